/* ppolicy explain: one device's decision as a person would check it, rule
 * by rule (docs/spec.md §3), from what the public API tells about the
 * policy; then checked against pp_decide, which is the authority. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "effects.h"
#include "json.h"
#include "output.h"
#include "records.h"

static const char help[] =
    "Usage: ppolicy explain --policy POLICY.yaml DEVICE\n"
    "\n"
    "Explain the decision for one device record: each rule of the decision\n"
    "table checked in order with the values it looked at, the rule that\n"
    "decided and why, the privileges and advisories, the legacy threshold and\n"
    "the policy's fingerprint.\n"
    "\n"
    "DEVICE is the record itself, inline, when it starts with `{` or holds\n"
    "`: ` or a line break (YAML or JSON, e.g. '{id: ..., device_os: 3.3.1}');\n"
    "otherwise a file holding one record; `-` is standard input.\n"
    "\n"
    "  -p, --policy FILE   the policy (required)\n"
    PPC_FORMAT_HELP
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0, 1 the policy is invalid, 2 bad usage, unreadable or\n"
    "malformed input (not exactly one record).\n";

/* What the rules look at, gathered once. */
typedef struct facts {
    const pp_policy *policy;
    const pp_device *d;
    int legacy;
    uint32_t P, C, F;
    int in_policy;              /* P is a product of the policy */
    pp_product_info product;
    pp_verdict verdict;         /* pp_may_join(P, model): rules 3 and 4 */
    const pp_decision *actual;  /* pp_decide's answer (for rule 14) */
} facts;

/* One rule as checked: whether its condition holds, and the values it
 * looked at (detail, one line of text). */
typedef struct row {
    int rule, holds;
    const char *condition;
    ppc_out detail;
} row;

/* The account: the rules checked, and its conclusion, to compare with
 * pp_decide's. */
typedef struct account {
    row rows[16];
    int nrows;
    ppc_out *out;               /* the detail of the last row */
    int rule, outcome, reason;
} account;

static void quoted(account *a, const char *s, size_t n)
{
    ppc_json_string(a->out, s, n);
}

/* Start the row of a rule; what follows goes into its detail. */
static void rule_line(account *a, int rule, int yes, const char *condition)
{
    row *r = &a->rows[a->nrows++];
    r->rule = rule;
    r->holds = yes;
    r->condition = condition;
    ppc_out_memory(&r->detail);
    a->out = &r->detail;
}

static const char *platform_name(const pp_policy *p, uint32_t id)
{
    pp_platform_info pl;
    for (size_t i = 0; pp_policy_platform_at(&pl, p, i) == PP_OK; i++)
        if (pl.id == id)
            return pl.name;
    return NULL;
}

static const char *family(const pp_policy *p, int index)
{
    const char *name = index >= 0 ? pp_family_name(p, index) : NULL;
    return name != NULL ? name : "none";
}

static void print_model(const facts *f, account *a)
{
    if (f->d->platform_id == PP_PLATFORM_UNSPECIFIED) {
        ppc_puts(a->out, "no platform_id");
    } else {
        const char *name = platform_name(f->policy, f->d->platform_id);
        ppc_printf(a->out, "platform %lu (%s)", (unsigned long)f->d->platform_id,
                   name != NULL ? name : "not in the table");
    }
    if (f->d->sku != NULL) {
        ppc_puts(a->out, ", sku ");
        quoted(a, f->d->sku, f->d->sku_len);
    }
}

static void set(account *a, int rule, int outcome, int reason)
{
    a->rule = rule;
    a->outcome = outcome;
    a->reason = reason;
}

/* Rules 1-4: is P a product this model may be in?  1 when one decided. */
static int product_rules(const facts *f, account *a)
{
    rule_line(a, 1, f->P == 0, "P = 0: not a product device");
    ppc_printf(a->out, "P = %lu", (unsigned long)f->P);
    if (f->P == 0) {
        set(a, 1, PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE);
        return 1;
    }

    rule_line(a, 2, !f->in_policy, "P is not in the policy");
    if (!f->in_policy) {
        ppc_printf(a->out, "the policy has no product %lu", (unsigned long)f->P);
        set(a, 2, PP_OUTCOME_DENY, PP_REASON_UNKNOWN_PRODUCT);
        return 1;
    }
    ppc_printf(a->out, "product %lu ", (unsigned long)f->P);
    quoted(a, f->product.name, strlen(f->product.name));
    ppc_printf(a->out, ", family %s", family(f->policy, f->product.family));

    int ineligible = f->verdict.reason == PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE;
    rule_line(a, 3, ineligible, "the platform may not be in a product");
    print_model(f, a);
    ppc_puts(a->out, ineligible ? ": not product-eligible" : "");
    if (ineligible) {
        set(a, 3, PP_OUTCOME_DENY, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE);
        return 1;
    }

    rule_line(a, 4, !f->verdict.allowed, "the model is not in P's family");
    ppc_printf(a->out, "model family %s, P's family %s", family(f->policy, f->verdict.family_a),
           family(f->policy, f->product.family));
    if (!f->verdict.allowed && f->verdict.reason == PP_REASON_SKU_REQUIRED)
        ppc_puts(a->out, " (only a SKU can tell this platform's family)");
    
    if (!f->verdict.allowed) {
        set(a, 4, PP_OUTCOME_DENY, f->verdict.reason);
        return 1;
    }
    return 0;
}

/* Rules 5-15, for a product P the model fits. */
static void membership_rules(const facts *f, account *a)
{
    const pp_device *d = f->d;
    uint32_t P = f->P, C = f->C, F = f->F;
    int yes;
    const char *legacy = f->legacy ? "legacy" : "not legacy";

    rule_line(a, 5, yes = C == P && d->denied_in == P, "C = P and denied_in = P");
    ppc_printf(a->out, "C = %lu, denied_in = %lu", (unsigned long)C, (unsigned long)d->denied_in);
    if (yes) {
        set(a, 5, PP_OUTCOME_DENY, PP_REASON_DENIED_LIST);
        return;
    }
    rule_line(a, 6, yes = C == P && f->legacy && F == 0, "C = P, legacy and F = 0");
    ppc_printf(a->out, "C = %lu, %s, F = %lu", (unsigned long)C, legacy, (unsigned long)F);
    if (yes) {
        set(a, 6, PP_OUTCOME_LIMITED, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT);
        return;
    }
    rule_line(a, 7, yes = C == P, "C = P: the cloud lists it in P");
    ppc_printf(a->out, "C = %lu", (unsigned long)C);
    if (yes) {
        set(a, 7, PP_OUTCOME_OK, PP_REASON_MEMBER);
        return;
    }
    rule_line(a, 8, yes = d->denied_in == P, "denied_in = P");
    ppc_printf(a->out, "denied_in = %lu", (unsigned long)d->denied_in);
    if (yes) {
        set(a, 8, PP_OUTCOME_DENY, PP_REASON_DENIED_LIST);
        return;
    }
    rule_line(a, 9, yes = d->removed_from == P, "removed_from = P");
    ppc_printf(a->out, "removed_from = %lu", (unsigned long)d->removed_from);
    if (yes)
        ppc_printf(a->out, "; removed_devices: %s, %s", f->product.removed_quarantine ? "quarantine" : "deny",
               legacy);
    
    if (yes) {
        set(a, 9,
                   f->product.removed_quarantine && f->legacy ? PP_OUTCOME_QUARANTINE
                                                              : PP_OUTCOME_REAPPEAR_AS_DENIED,
                   PP_REASON_REMOVED_FROM_PRODUCT);
        return;
    }
    rule_line(a, 10, yes = !f->legacy, "not legacy: must have been pre-added");
    ppc_printf(a->out, "device_os ");
    quoted(a, d->device_os, d->device_os_len);
    ppc_printf(a->out, ", %s", legacy);
    if (yes) {
        set(a, 10, PP_OUTCOME_DENY, PP_REASON_NOT_PRE_ADDED);
        return;
    }
    rule_line(a, 11, yes = C != 0, "C != 0: a member of another product");
    ppc_printf(a->out, "C = %lu", (unsigned long)C);
    if (yes) {
        set(a, 11, PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT);
        return;
    }
    rule_line(a, 12, yes = !f->product.auto_approve, "P quarantines unrecognized devices");
    ppc_printf(a->out, "unrecognized_devices: %s", f->product.auto_approve ? "auto_approve" : "quarantine");
    if (yes) {
        set(a, 12, PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE);
        return;
    }
    rule_line(a, 13, yes = d->owner == NULL, "P auto-approves and there is no owner");
    if (d->owner == NULL) {
        ppc_puts(a->out, "owner absent");
        set(a, 13, PP_OUTCOME_AUTO_APPROVE, PP_REASON_UNOWNED);
        return;
    }
    ppc_puts(a->out, "owner ");
    quoted(a, d->owner, d->owner_len);
    
    /* No public call lists team members: the team lookup is pp_decide's. */
    rule_line(a, 14, yes = f->actual->rule == 14, "the owner is in P's team");
    ppc_puts(a->out, "owner ");
    quoted(a, d->owner, d->owner_len);
    ppc_puts(a->out, yes ? " is" : " is not");
    ppc_puts(a->out, " a member of P's own team");
    if (f->product.organization != NULL) {
        ppc_puts(a->out, " or of organization ");
        quoted(a, f->product.organization, strlen(f->product.organization));
    }
    ppc_puts(a->out, " (team lookup by pp_decide)");
    if (yes) {
        set(a, 14, PP_OUTCOME_AUTO_APPROVE, PP_REASON_OWNER_IS_TEAM_MEMBER);
        return;
    }
    rule_line(a, 15, 1, "otherwise");
    ppc_puts(a->out, "-");
    set(a, 15, PP_OUTCOME_QUARANTINE, PP_REASON_OWNER_NOT_TEAM_MEMBER);
}

/* Privileges and advisories follow from the account (docs/spec.md §3). */
static void consequences(const facts *f, const account *a, uint32_t *privileges,
                         uint32_t *advisories)
{
    const pp_device *d = f->d;
    int granted = a->rule == 7 || a->rule == 13 || a->rule == 14;
    *privileges = granted ? PP_PRIVILEGES_ALL : 0;
    *advisories = 0;
    if (a->rule == 0)
        return;
    if (f->legacy && f->F == 0 && d->denied_in != 0)
        *advisories |= PP_ADVISORY_LEAVES_DENIED_LIST;
    if (f->legacy && f->F == 0 && d->quarantined_in != 0)
        *advisories |= PP_ADVISORY_LEAVES_QUARANTINE;
    if (!f->in_policy)
        return;
    int cmp;
    if (f->product.min_device_os != NULL &&
        pp_version_compare(&cmp, d->device_os, d->device_os_len, f->product.min_device_os,
                           strlen(f->product.min_device_os)) == PP_OK && cmp < 0)
        *advisories |= PP_ADVISORY_DEVICE_OS_BELOW_MINIMUM;
    if (granted && d->development)
        *advisories |= PP_ADVISORY_DEVELOPMENT_DEVICE;
    if (granted && !d->development && f->product.released_firmware != 0 &&
        d->firmware_version != f->product.released_firmware)
        *advisories |= PP_ADVISORY_OTA_UPDATE_PENDING;
}

static void print_names(ppc_out *o, const char *label, uint32_t bits,
                        const char *(*name)(int))
{
    ppc_printf(o, "%-14s", label);
    ppc_text_names(o, bits, name);
    ppc_putc(o, '\n');
}

/* Why an advisory of the decision applies, from the record's facts: 1
 * when written to o. */
static int advisory_reason(ppc_out *o, const facts *f, uint32_t advisory)
{
    const pp_device *d = f->d;
    switch (advisory) {
    case PP_ADVISORY_OTA_UPDATE_PENDING:
        ppc_printf(o, "P releases firmware %lu, the device runs ",
                   (unsigned long)f->product.released_firmware);
        if (d->firmware_version == 0)
            ppc_puts(o, "none");
        else
            ppc_printf(o, "%lu", (unsigned long)d->firmware_version);
        return 1;
    case PP_ADVISORY_DEVELOPMENT_DEVICE:
        ppc_puts(o, "it ignores released product firmware");
        return 1;
    case PP_ADVISORY_DEVICE_OS_BELOW_MINIMUM:
        if (f->product.min_device_os == NULL)
            return 0;
        ppc_json_string(o, d->device_os, d->device_os_len);
        ppc_printf(o, " is below P's min_device_os %s", f->product.min_device_os);
        return 1;
    case PP_ADVISORY_LEAVES_DENIED_LIST:
        ppc_printf(o, "legacy with F = 0: running non-product firmware takes it off product "
                      "%lu's denied list", (unsigned long)d->denied_in);
        return 1;
    case PP_ADVISORY_LEAVES_QUARANTINE:
        ppc_printf(o, "legacy with F = 0: running non-product firmware takes it out of "
                      "product %lu's quarantine", (unsigned long)d->quarantined_in);
        return 1;
    default:
        return 0;
    }
}

/* The advisories of a decision in the order text shows their reasons. */
static const uint32_t advisory_order[] = {
    PP_ADVISORY_OTA_UPDATE_PENDING, PP_ADVISORY_DEVELOPMENT_DEVICE,
    PP_ADVISORY_DEVICE_OS_BELOW_MINIMUM, PP_ADVISORY_LEAVES_DENIED_LIST,
    PP_ADVISORY_LEAVES_QUARANTINE,
};

static const char *advisory_name(uint32_t bit)
{
    for (int i = 0; i < 32; i++)
        if (bit == 1u << i)
            return pp_advisory_name(i);
    return NULL;
}

static void print_decision(ppc_out *o, const facts *f, const pp_decision *d)
{
    ppc_printf(o, "%-14s%s (reason %s, rule %d), product %lu\n", "decision:",
               pp_outcome_name(d->outcome), pp_reason_name(d->reason), (int)d->rule,
               (unsigned long)d->product_id);
    print_names(o, "privileges:", d->privileges, pp_privilege_name);
    print_names(o, "advisories:", d->advisories, pp_advisory_name);
    for (size_t i = 0; f != NULL && i < sizeof advisory_order / sizeof advisory_order[0]; i++) {
        uint32_t bit = advisory_order[i];
        if (!(d->advisories & bit))
            continue;
        ppc_out why;
        ppc_out_memory(&why);
        if (advisory_reason(&why, f, bit)) {
            ppc_printf(o, "  %s: ", advisory_name(bit));
            ppc_put(o, why.buf, why.len);
            ppc_putc(o, '\n');
        }
        ppc_out_free(&why);
    }
    ppc_printf(o, "%-14s", "effects:");
    ppc_text_effects(o, d);
    ppc_putc(o, '\n');
    if (d->limited_in != 0)
        ppc_printf(o, "%-14slimited in product %lu: the cloud lists it there, its firmware "
                      "claims product %lu\n", "status:", (unsigned long)d->limited_in,
                   (unsigned long)d->product_id);
}

/* Where P comes from, in words. */
static const char *p_source(const facts *f)
{
    return f->legacy && f->F != 0 ? "F, as a legacy device reports it"
           : f->C != 0            ? "C, the cloud's record"
                                  : "F (there is no C)";
}

static void print_text(ppc_out *o, const char *policy_name, const ppr_record *rec,
                       const facts *f, const account *a, const pp_decision *actual,
                       bool agrees)
{
    const pp_policy *policy = f->policy;
    const pp_device *d = &rec->device;
    ppc_printf(o, "%-14s%s\n", "policy:", policy_name);
    ppc_printf(o, "%-14s", "device:");
    ppc_json_device_id(o, d, actual);
    ppc_printf(o, " (record %" PRIu64 ")\n", rec->number);
    if (actual->error == PP_OK) {
        ppc_printf(o, "%-14s", "device_os:");
        ppc_json_string(o, d->device_os, d->device_os_len);
        ppc_printf(o, ", %s (legacy below %s)\n", f->legacy ? "legacy" : "not legacy",
                   pp_policy_legacy_below(policy));
        ppc_printf(o, "%-14sC = %lu (cloud_product_id), F = %lu (firmware_product_id)\n",
                   "products:", (unsigned long)f->C, (unsigned long)f->F);
        ppc_printf(o, "%-14sP = %lu, the product in question: %s\n", "", (unsigned long)f->P,
                   p_source(f));
    }
    ppc_putc(o, '\n');
    for (int i = 0; i < a->nrows; i++) {
        const row *r = &a->rows[i];
        ppc_printf(o, "rule %2d  %-3s  %-40s  ", r->rule, r->holds ? "YES" : "no", r->condition);
        ppc_put(o, r->detail.buf, r->detail.len);
        ppc_putc(o, '\n');
    }
    ppc_putc(o, '\n');
    if (!agrees)
        ppc_puts(o, "NOTE: this account disagrees with pp_decide, which is the authority; "
                    "its answer follows.\n");
    print_decision(o, actual->error == PP_OK ? f : NULL, actual);
    ppc_printf(o, "%-14s%s\n", "legacy below:", pp_policy_legacy_below(policy));
    ppc_printf(o, "%-14s%016" PRIx64 "\n", "fingerprint:", pp_policy_fingerprint(policy));
}

static void print_json(ppc_out *o, const char *policy_name, ppr_record *rec, const facts *f,
                       const account *a, const pp_decision *actual, bool agrees)
{
    const pp_policy *policy = f->policy;
    ppc_json j;
    ppc_json_start(&j, o);
    ppc_json_object(&j);
    ppc_json_key(&j, "policy");
    ppc_json_cstr(&j, policy_name);
    ppc_json_key(&j, "fingerprint");
    ppc_json_hex64(&j, pp_policy_fingerprint(policy));
    ppc_json_key(&j, "legacy_below");
    ppc_json_cstr(&j, pp_policy_legacy_below(policy));
    ppc_json_key(&j, "record");
    ppc_json_uint(&j, rec->number);
    if (actual->error == PP_OK) {
        const pp_device *d = &rec->device;
        ppc_json_key(&j, "device_os");
        ppc_json_str(&j, d->device_os, d->device_os_len);
        ppc_json_key(&j, "legacy");
        ppc_json_bool(&j, f->legacy);
        ppc_json_key(&j, "C");
        ppc_json_uint(&j, f->C);
        ppc_json_key(&j, "F");
        ppc_json_uint(&j, f->F);
        ppc_json_key(&j, "P");
        ppc_json_uint(&j, f->P);
        ppc_json_key(&j, "P_is");
        ppc_json_cstr(&j, p_source(f));
    }
    ppc_json_key(&j, "rules");
    ppc_json_list(&j);
    for (int i = 0; i < a->nrows; i++) {
        const row *r = &a->rows[i];
        ppc_json_object(&j);
        ppc_json_key(&j, "rule");
        ppc_json_int(&j, r->rule);
        ppc_json_key(&j, "holds");
        ppc_json_bool(&j, r->holds);
        ppc_json_key(&j, "condition");
        ppc_json_cstr(&j, r->condition);
        ppc_json_key(&j, "detail");
        ppc_json_str(&j, r->detail.buf, r->detail.len);
        ppc_json_end(&j);
    }
    ppc_json_end(&j);
    ppc_json_key(&j, "decision");
    ppc_json_value(&j);
    ppc_putc(j.o, '{');
    ppc_json_decision(j.o, rec, actual);
    ppc_putc(j.o, '}');
    ppc_json_key(&j, "advisory_reasons");
    ppc_json_object(&j);
    for (size_t i = 0; actual->error == PP_OK && i < sizeof advisory_order / sizeof advisory_order[0];
         i++) {
        uint32_t bit = advisory_order[i];
        ppc_out why;
        ppc_out_memory(&why);
        if ((actual->advisories & bit) && advisory_reason(&why, f, bit)) {
            ppc_json_key(&j, advisory_name(bit));
            ppc_json_str(&j, why.buf, why.len);
        }
        ppc_out_free(&why);
    }
    ppc_json_end(&j);
    ppc_json_key(&j, "agrees_with_pp_decide");
    ppc_json_bool(&j, agrees);
    ppc_json_end(&j);
    ppc_json_finish(&j);
}

static void explain(const pp_policy *policy, const char *policy_name, ppr_record *rec,
                    int format)
{
    pp_decision actual;
    ppr_decide(&actual, policy, NULL, rec);
    const pp_device *d = &rec->device;

    account a;
    memset(&a, 0, sizeof a);
    a.outcome = PP_OUTCOME_DENY;
    a.reason = PP_REASON_INVALID_INPUT;
    facts f;
    memset(&f, 0, sizeof f);
    f.policy = policy;
    f.d = d;
    f.actual = &actual;
    if (actual.error != PP_OK) {
        /* Rule 0 is the validation pp_decide (or the reader) did. */
        rule_line(&a, 0, 1, "the record is malformed");
        ppc_json_cstring(a.out, rec->message);
    } else {
        f.legacy = pp_is_legacy(policy, d->device_os, d->device_os_len) == 1;
        f.C = d->cloud_product_id;
        f.F = d->firmware_product_id;
        f.P = f.legacy && f.F != 0 ? f.F : f.C != 0 ? f.C : f.F;
        f.in_policy = f.P != 0 && pp_policy_product(&f.product, policy, f.P) == PP_OK;
        pp_model model = { d->platform_id, d->sku, d->sku_len };
        if (f.in_policy)
            pp_may_join(&f.verdict, policy, f.P, &model);
        rule_line(&a, 0, 0, "the record is malformed");
        ppc_puts(a.out, "every field is valid");
        if (!product_rules(&f, &a))
            membership_rules(&f, &a);
    }

    uint32_t privileges, advisories;
    consequences(&f, &a, &privileges, &advisories);
    uint32_t limited_in = a.rule > 0 && f.C != 0 && f.C != f.P ? f.C : 0;
    bool agrees = !(a.rule != actual.rule || a.outcome != actual.outcome ||
                    a.reason != actual.reason || (a.rule > 0 && f.P != actual.product_id) ||
                    privileges != actual.privileges || advisories != actual.advisories ||
                    limited_in != actual.limited_in);
    if (!agrees)
        fprintf(stderr, "ppolicy explain: the account disagrees with pp_decide "
                        "(rule %d here, %d there)\n", a.rule, (int)actual.rule);
    if (format == PPC_JSON)
        print_json(ppc_stdout(), policy_name, rec, &f, &a, &actual, agrees);
    else
        print_text(ppc_stdout(), policy_name, rec, &f, &a, &actual, agrees);
    for (int i = 0; i < a.nrows; i++)
        ppc_out_free(&a.rows[i].detail);
}

/* Keep a record's strings while the reader looks for a second record. */
static void keep(ppr_record *rec, char store[4][PPR_MAX_STRING])
{
    pp_device *d = &rec->device;
    const char **fields[4] = { &d->id, &d->sku, &d->device_os, &d->owner };
    size_t lens[4] = { d->id_len, d->sku_len, d->device_os_len, d->owner_len };
    for (int i = 0; i < 4; i++)
        if (*fields[i] != NULL) {
            memcpy(store[i], *fields[i], lens[i]);
            *fields[i] = store[i];
        }
}

int ppc_explain(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy_path = NULL;
    int c, format = PPC_TEXT;
    while ((c = ppc_getopt(argc, argv, "p:o:h", longopts, help, &format)) != -1) {
        if (c == 'h')
            return PPC_EXIT_OK;
        if (c != 'p')
            return PPC_EXIT_USAGE;
        policy_path = optarg;
    }
    if (policy_path == NULL)
        return ppc_usage_error(argv[0], "--policy is required");
    if (argc - optind != 1)
        return ppc_usage_error(argv[0], "give one device record (inline, a file or -)");
    const char *arg = argv[optind];
    int inline_text = ppc_is_inline(arg), from_stdin = strcmp(arg, "-") == 0;
    if (from_stdin && strcmp(policy_path, "-") == 0)
        return ppc_usage_error(argv[0], "the policy and the device cannot both be standard input");
    const char *name = inline_text ? "<inline>" : ppc_display_name(arg);

    pp_policy *policy;
    int rc = ppc_load_policy(policy_path, &policy);
    if (rc != PPC_EXIT_OK)
        return rc;
    int fd = inline_text || from_stdin ? STDIN_FILENO : open(arg, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "ppolicy: cannot read %s: %s\n", arg, strerror(errno));
        pp_policy_free(policy);
        return PPC_EXIT_USAGE;
    }
    ppr_reader *r = inline_text ? ppr_reader_new_string(policy, arg, strlen(arg))
                                : ppr_reader_new_fd(policy, fd);
    ppr_record rec, extra;
    char store[4][PPR_MAX_STRING];
    rc = r == NULL ? -1 : ppr_next(r, &rec);
    if (rc > 0) {
        keep(&rec, store);
        int more = ppr_next(r, &extra);
        rc = more == 0 ? 1 : more > 0 ? -2 : -1;
    }
    if (rc > 0) {
        explain(policy, ppc_display_name(policy_path), &rec, format);
        rc = PPC_EXIT_OK;
    } else {
        if (r == NULL)
            fprintf(stderr, "ppolicy explain: out of memory\n");
        else if (rc == 0)
            fprintf(stderr, "ppolicy explain: %s holds no device record\n", name);
        else if (rc == -2)
            fprintf(stderr, "ppolicy explain: %s holds more than one device record; "
                            "explain takes one (decide takes many)\n", name);
        else
            fprintf(stderr, "%s:%lu:%lu: error: %s\n", name,
                    (unsigned long)ppr_reader_error(r)->line,
                    (unsigned long)ppr_reader_error(r)->column, ppr_reader_error(r)->message);
        rc = PPC_EXIT_USAGE;
    }
    ppr_reader_free(r);
    if (fd != STDIN_FILENO)
        close(fd);
    pp_policy_free(policy);
    return rc;
}
