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

/* The account's conclusion, to compare with pp_decide's. */
typedef struct account {
    int rule, outcome, reason;
} account;

static void quoted(const char *s, size_t n)
{
    ppc_json_string(stdout, s, n);
}

static void rule_line(int rule, int yes, const char *condition)
{
    printf("rule %2d  %-3s  %-40s  ", rule, yes ? "YES" : "no", condition);
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

static void print_model(const facts *f)
{
    if (f->d->platform_id == PP_PLATFORM_UNSPECIFIED) {
        fputs("no platform_id", stdout);
    } else {
        const char *name = platform_name(f->policy, f->d->platform_id);
        printf("platform %lu (%s)", (unsigned long)f->d->platform_id,
               name != NULL ? name : "not in the table");
    }
    if (f->d->sku != NULL) {
        fputs(", sku ", stdout);
        quoted(f->d->sku, f->d->sku_len);
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
    rule_line(1, f->P == 0, "P = 0: not a product device");
    printf("P = %lu\n", (unsigned long)f->P);
    if (f->P == 0) {
        set(a, 1, PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE);
        return 1;
    }

    rule_line(2, !f->in_policy, "P is not in the policy");
    if (!f->in_policy) {
        printf("the policy has no product %lu\n", (unsigned long)f->P);
        set(a, 2, PP_OUTCOME_DENY, PP_REASON_UNKNOWN_PRODUCT);
        return 1;
    }
    printf("product %lu ", (unsigned long)f->P);
    quoted(f->product.name, strlen(f->product.name));
    printf(", family %s\n", family(f->policy, f->product.family));

    int ineligible = f->verdict.reason == PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE;
    rule_line(3, ineligible, "the platform may not be in a product");
    print_model(f);
    puts(ineligible ? ": not product-eligible" : "");
    if (ineligible) {
        set(a, 3, PP_OUTCOME_DENY, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE);
        return 1;
    }

    rule_line(4, !f->verdict.allowed, "the model is not in P's family");
    printf("model family %s, P's family %s", family(f->policy, f->verdict.family_a),
           family(f->policy, f->product.family));
    if (!f->verdict.allowed && f->verdict.reason == PP_REASON_SKU_REQUIRED)
        fputs(" (only a SKU can tell this platform's family)", stdout);
    putchar('\n');
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

    rule_line(5, yes = C == P && d->denied_in == P, "C = P and denied_in = P");
    printf("C = %lu, denied_in = %lu\n", (unsigned long)C, (unsigned long)d->denied_in);
    if (yes) {
        set(a, 5, PP_OUTCOME_DENY, PP_REASON_DENIED_LIST);
        return;
    }
    rule_line(6, yes = C == P && f->legacy && F == 0, "C = P, legacy and F = 0");
    printf("C = %lu, %s, F = %lu\n", (unsigned long)C, legacy, (unsigned long)F);
    if (yes) {
        set(a, 6, PP_OUTCOME_LIMITED, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT);
        return;
    }
    rule_line(7, yes = C == P, "C = P: the cloud lists it in P");
    printf("C = %lu\n", (unsigned long)C);
    if (yes) {
        set(a, 7, PP_OUTCOME_OK, PP_REASON_MEMBER);
        return;
    }
    rule_line(8, yes = d->denied_in == P, "denied_in = P");
    printf("denied_in = %lu\n", (unsigned long)d->denied_in);
    if (yes) {
        set(a, 8, PP_OUTCOME_DENY, PP_REASON_DENIED_LIST);
        return;
    }
    rule_line(9, yes = d->removed_from == P, "removed_from = P");
    printf("removed_from = %lu", (unsigned long)d->removed_from);
    if (yes)
        printf("; removed_devices: %s, %s", f->product.removed_quarantine ? "quarantine" : "deny",
               legacy);
    putchar('\n');
    if (yes) {
        set(a, 9,
                   f->product.removed_quarantine && f->legacy ? PP_OUTCOME_QUARANTINE
                                                              : PP_OUTCOME_REAPPEAR_AS_DENIED,
                   PP_REASON_REMOVED_FROM_PRODUCT);
        return;
    }
    rule_line(10, yes = !f->legacy, "not legacy: must have been pre-added");
    printf("device_os ");
    quoted(d->device_os, d->device_os_len);
    printf(", %s\n", legacy);
    if (yes) {
        set(a, 10, PP_OUTCOME_DENY, PP_REASON_NOT_PRE_ADDED);
        return;
    }
    rule_line(11, yes = C != 0, "C != 0: a member of another product");
    printf("C = %lu\n", (unsigned long)C);
    if (yes) {
        set(a, 11, PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT);
        return;
    }
    rule_line(12, yes = !f->product.auto_approve, "P quarantines unrecognized devices");
    printf("unrecognized_devices: %s\n", f->product.auto_approve ? "auto_approve" : "quarantine");
    if (yes) {
        set(a, 12, PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE);
        return;
    }
    rule_line(13, yes = d->owner == NULL, "P auto-approves and there is no owner");
    if (d->owner == NULL) {
        puts("owner absent");
        set(a, 13, PP_OUTCOME_AUTO_APPROVE, PP_REASON_UNOWNED);
        return;
    }
    fputs("owner ", stdout);
    quoted(d->owner, d->owner_len);
    putchar('\n');
    /* No public call lists team members: the team lookup is pp_decide's. */
    rule_line(14, yes = f->actual->rule == 14, "the owner is in P's team");
    fputs("owner ", stdout);
    quoted(d->owner, d->owner_len);
    fputs(yes ? " is" : " is not", stdout);
    fputs(" a member of P's own team", stdout);
    if (f->product.organization != NULL) {
        fputs(" or of organization ", stdout);
        quoted(f->product.organization, strlen(f->product.organization));
    }
    puts(" (team lookup by pp_decide)");
    if (yes) {
        set(a, 14, PP_OUTCOME_AUTO_APPROVE, PP_REASON_OWNER_IS_TEAM_MEMBER);
        return;
    }
    rule_line(15, 1, "otherwise");
    puts("-");
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

static void print_names(const char *label, uint32_t bits, const char *(*name)(int))
{
    printf("%-14s", label);
    int any = 0;
    for (int i = 0; i < 32; i++)
        if (bits & (1u << i)) {
            printf("%s%s", any ? ", " : "", name(i) != NULL ? name(i) : "?");
            any = 1;
        }
    puts(any ? "" : "none");
}

/* Why each advisory of the decision applies, from the record's facts. */
static void print_advisory_reasons(const facts *f, uint32_t advisories)
{
    const pp_device *d = f->d;
    if (advisories & PP_ADVISORY_OTA_UPDATE_PENDING) {
        printf("  ota_update_pending: P releases firmware %lu, the device runs ",
               (unsigned long)f->product.released_firmware);
        if (d->firmware_version == 0)
            puts("none");
        else
            printf("%lu\n", (unsigned long)d->firmware_version);
    }
    if (advisories & PP_ADVISORY_DEVELOPMENT_DEVICE)
        puts("  development_device: it ignores released product firmware");
    if ((advisories & PP_ADVISORY_DEVICE_OS_BELOW_MINIMUM) && f->product.min_device_os != NULL) {
        fputs("  device_os_below_minimum: ", stdout);
        quoted(d->device_os, d->device_os_len);
        printf(" is below P's min_device_os %s\n", f->product.min_device_os);
    }
    if (advisories & PP_ADVISORY_LEAVES_DENIED_LIST)
        printf("  leaves_denied_list: legacy with F = 0: running non-product firmware takes "
               "it off product %lu's denied list\n", (unsigned long)d->denied_in);
    if (advisories & PP_ADVISORY_LEAVES_QUARANTINE)
        printf("  leaves_quarantine: legacy with F = 0: running non-product firmware takes "
               "it out of product %lu's quarantine\n", (unsigned long)d->quarantined_in);
}

static void print_decision(const facts *f, const pp_decision *d)
{
    printf("%-14s%s (reason %s, rule %d), product %lu\n", "decision:",
           pp_outcome_name(d->outcome), pp_reason_name(d->reason), (int)d->rule,
           (unsigned long)d->product_id);
    print_names("privileges:", d->privileges, pp_privilege_name);
    print_names("advisories:", d->advisories, pp_advisory_name);
    if (f != NULL)
        print_advisory_reasons(f, d->advisories);
    printf("%-14s", "effects:");
    ppc_text_effects(stdout, d);
    putchar('\n');
    if (d->limited_in != 0)
        printf("%-14slimited in product %lu: the cloud lists it there, its firmware "
               "claims product %lu\n", "status:", (unsigned long)d->limited_in,
               (unsigned long)d->product_id);
}

static void explain(const pp_policy *policy, const char *policy_name, ppr_record *rec)
{
    pp_decision actual;
    ppr_decide(&actual, policy, NULL, rec);
    const pp_device *d = &rec->device;

    printf("%-14s%s\n", "policy:", policy_name);
    printf("%-14s", "device:");
    ppc_json_device_id(stdout, d, &actual);
    printf(" (record %" PRIu64 ")\n", rec->number);

    account a = { 0, PP_OUTCOME_DENY, PP_REASON_INVALID_INPUT };
    facts f;
    memset(&f, 0, sizeof f);
    f.policy = policy;
    f.d = d;
    f.actual = &actual;
    if (actual.error != PP_OK) {
        /* Rule 0 is the validation pp_decide (or the reader) did. */
        putchar('\n');
        rule_line(0, 1, "the record is malformed");
        ppc_json_cstring(stdout, rec->message);
        putchar('\n');
    } else {
        f.legacy = pp_is_legacy(policy, d->device_os, d->device_os_len) == 1;
        f.C = d->cloud_product_id;
        f.F = d->firmware_product_id;
        f.P = f.legacy && f.F != 0 ? f.F : f.C != 0 ? f.C : f.F;
        f.in_policy = f.P != 0 && pp_policy_product(&f.product, policy, f.P) == PP_OK;
        pp_model model = { d->platform_id, d->sku, d->sku_len };
        if (f.in_policy)
            pp_may_join(&f.verdict, policy, f.P, &model);

        printf("%-14s", "device_os:");
        quoted(d->device_os, d->device_os_len);
        printf(", %s (legacy below %s)\n", f.legacy ? "legacy" : "not legacy",
               pp_policy_legacy_below(policy));
        printf("%-14sC = %lu (cloud_product_id), F = %lu (firmware_product_id)\n", "products:",
               (unsigned long)f.C, (unsigned long)f.F);
        printf("%-14sP = %lu, the product in question: %s\n", "", (unsigned long)f.P,
               f.legacy && f.F != 0 ? "F, as a legacy device reports it"
               : f.C != 0           ? "C, the cloud's record"
                                    : "F (there is no C)");
        putchar('\n');
        rule_line(0, 0, "the record is malformed");
        puts("every field is valid");
        if (!product_rules(&f, &a))
            membership_rules(&f, &a);
    }
    putchar('\n');

    uint32_t privileges, advisories;
    consequences(&f, &a, &privileges, &advisories);
    uint32_t limited_in = a.rule > 0 && f.C != 0 && f.C != f.P ? f.C : 0;
    if (a.rule != actual.rule || a.outcome != actual.outcome || a.reason != actual.reason ||
        (a.rule > 0 && f.P != actual.product_id) || privileges != actual.privileges ||
        advisories != actual.advisories || limited_in != actual.limited_in) {
        printf("NOTE: this account disagrees with pp_decide, which is the authority; "
               "its answer follows.\n");
        fprintf(stderr, "ppolicy explain: the account disagrees with pp_decide "
                        "(rule %d here, %d there)\n", a.rule, (int)actual.rule);
    }
    print_decision(actual.error == PP_OK ? &f : NULL, &actual);
    printf("%-14s%s\n", "legacy below:", pp_policy_legacy_below(policy));
    printf("%-14s%016" PRIx64 "\n", "fingerprint:", pp_policy_fingerprint(policy));
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
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy_path = NULL;
    int c;
    while ((c = ppc_getopt(argc, argv, "p:h", longopts, help)) != -1) {
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
        explain(policy, ppc_display_name(policy_path), &rec);
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
