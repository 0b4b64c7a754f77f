/* ppolicy diff's output: a report for people (text) and one JSON object for
 * machines, from the same pp_diff. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "effects.h"
#include "json.h"
#include "output.h"

/* ---- counting what the gate asks about ---- */

typedef struct tally {
    size_t loosening, findings_introduced, class_gains, class_losses, people_gain, people_lose;
} tally;

static tally count(const ppc_diff_report *r)
{
    tally t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < pp_diff_change_count(r->diff); i++) {
        pp_change c;
        pp_diff_change_at(&c, r->diff, i);
        t.loosening += c.direction == PP_DIRECTION_LOOSENING;
    }
    for (size_t i = 0; i < pp_diff_finding_count(r->diff); i++) {
        pp_diff_finding f;
        pp_diff_finding_at(&f, r->diff, i);
        t.findings_introduced += f.introduced != 0;
    }
    for (size_t i = 0; i < pp_diff_device_class_count(r->diff); i++) {
        pp_device_class k;
        pp_diff_device_class_at(&k, r->diff, i);
        t.class_gains += k.privileges_gained != 0;
        t.class_losses += k.privileges_lost != 0;
    }
    for (size_t i = 0; i < pp_diff_authorization_count(r->diff); i++) {
        pp_authorization_change a;
        pp_diff_authorization_at(&a, r->diff, i);
        t.people_gain += !a.old_answer.allowed && a.new_answer.allowed;
        t.people_lose += a.old_answer.allowed && !a.new_answer.allowed;
    }
    return t;
}

static bool anything(const ppc_diff_report *r)
{
    return pp_diff_change_count(r->diff) + pp_diff_device_class_count(r->diff) +
               pp_diff_authorization_count(r->diff) + r->fleet.changed > 0;
}

unsigned ppc_diff_gate(const ppc_diff_report *r, unsigned mask, int say)
{
    tally t = count(r);
    bool gains = t.class_gains + t.people_gain + r->fleet.gains > 0;
    unsigned failed = 0;
    if ((mask & PPC_FAIL_GAINS) && gains)
        failed |= PPC_FAIL_GAINS;
    if ((mask & PPC_FAIL_LOOSENING) && (gains || t.loosening > 0))
        failed |= PPC_FAIL_LOOSENING;
    if ((mask & PPC_FAIL_FINDINGS) && t.findings_introduced > 0)
        failed |= PPC_FAIL_FINDINGS;
    if ((mask & PPC_FAIL_ANY) && anything(r))
        failed |= PPC_FAIL_ANY;
    if (say && (failed & (PPC_FAIL_GAINS | PPC_FAIL_LOOSENING)))
        fprintf(stderr, "ppolicy diff: --fail-on %s: %zu device class%s gain%s privileges, %zu "
                "answer%s allow%s an action not allowed before, %zu loosening change%s\n",
                failed & PPC_FAIL_GAINS ? "gains" : "loosening", t.class_gains,
                t.class_gains == 1 ? "" : "es", t.class_gains == 1 ? "s" : "", t.people_gain,
                t.people_gain == 1 ? "" : "s", t.people_gain == 1 ? "s" : "", t.loosening,
                t.loosening == 1 ? "" : "s");
    if (say && (failed & PPC_FAIL_FINDINGS))
        fprintf(stderr, "ppolicy diff: --fail-on findings: %zu security finding%s introduced\n",
                t.findings_introduced, t.findings_introduced == 1 ? "" : "s");
    if (say && (failed & PPC_FAIL_ANY))
        fprintf(stderr, "ppolicy diff: --fail-on any: the policies differ\n");
    return failed;
}

/* ---- text ---- */

static const char *or_none(const char *s)
{
    return s != NULL ? s : "none";
}

static void print_team(ppc_out *out, const pp_change *c)
{
    if (c->organization != NULL)
        ppc_printf(out, "organization %s: ", c->organization);
    else
        ppc_printf(out, "product %" PRIu32 " team: ", c->product_id);
}

static void print_change(ppc_out *out, const pp_change *c)
{
    const char *o = or_none(c->old_value), *n = or_none(c->new_value);
    switch (c->kind) {
    case PP_CHANGE_SETTING: ppc_printf(out, "settings.%s: %s -> %s", c->key, o, n); break;
    case PP_CHANGE_PLATFORM_ADDED: ppc_printf(out, "platform %s (%s) added", c->subject, n); break;
    case PP_CHANGE_PLATFORM_REMOVED: ppc_printf(out, "platform %s (%s) removed", c->subject, o); break;
    case PP_CHANGE_PLATFORM_CHANGED: ppc_printf(out, "platform %s %s: %s -> %s", c->subject, c->key, o, n); break;
    case PP_CHANGE_SKU_ADDED: ppc_printf(out, "SKU prefix %s added (family %s)", c->subject, n); break;
    case PP_CHANGE_SKU_REMOVED: ppc_printf(out, "SKU prefix %s removed (was family %s)", c->subject, o); break;
    case PP_CHANGE_SKU_CHANGED: ppc_printf(out, "SKU prefix %s %s: %s -> %s", c->subject, c->key, o, n); break;
    case PP_CHANGE_FAMILY_ADDED: ppc_printf(out, "family %s added", c->subject); break;
    case PP_CHANGE_FAMILY_REMOVED: ppc_printf(out, "family %s removed", c->subject); break;
    case PP_CHANGE_ORGANIZATION_ADDED: ppc_printf(out, "organization %s added", c->organization); break;
    case PP_CHANGE_ORGANIZATION_REMOVED: ppc_printf(out, "organization %s removed", c->organization); break;
    case PP_CHANGE_CANARY_ADDED:
        ppc_printf(out, "organization %s: canary token %s added", c->organization, c->subject);
        break;
    case PP_CHANGE_CANARY_REMOVED:
        ppc_printf(out, "organization %s: canary token %s removed", c->organization, c->subject);
        break;
    case PP_CHANGE_PRODUCT_ADDED: ppc_printf(out, "product %" PRIu32 " (%s) added", c->product_id, n); break;
    case PP_CHANGE_PRODUCT_REMOVED: ppc_printf(out, "product %" PRIu32 " (%s) removed", c->product_id, o); break;
    case PP_CHANGE_PRODUCT_CHANGED:
        ppc_printf(out, "product %" PRIu32 " %s: %s -> %s", c->product_id, c->key, o, n);
        break;
    case PP_CHANGE_INTEGRATION_ADDED:
        ppc_printf(out, "product %" PRIu32 ": approved integration %s added", c->product_id, c->subject);
        break;
    case PP_CHANGE_INTEGRATION_REMOVED:
        ppc_printf(out, "product %" PRIu32 ": approved integration %s removed", c->product_id, c->subject);
        break;
    default:
        print_team(out, c);
        switch (c->kind) {
        case PP_CHANGE_MEMBER_ADDED: ppc_printf(out, "member %s added (%s)", c->subject, n); break;
        case PP_CHANGE_MEMBER_REMOVED: ppc_printf(out, "member %s removed (was %s)", c->subject, o); break;
        case PP_CHANGE_API_USER_ADDED: ppc_printf(out, "API user %s added (%s)", c->subject, n); break;
        case PP_CHANGE_API_USER_REMOVED: ppc_printf(out, "API user %s removed (had %s)", c->subject, o); break;
        case PP_CHANGE_SCOPE_ADDED: ppc_printf(out, "API user %s gains scope %s", c->subject, n); break;
        case PP_CHANGE_SCOPE_REMOVED: ppc_printf(out, "API user %s loses scope %s", c->subject, o); break;
        default:
            ppc_printf(out, "%s %s %s: %s -> %s",
                       c->kind == PP_CHANGE_MEMBER_CHANGED ? "member" : "API user", c->subject,
                       c->key, o, n);
        }
    }
}

static void print_finding(ppc_out *out, const pp_diff_finding *f)
{
    ppc_printf(out, "%s %s (%s): %s\n", f->introduced ? "introduces" : "resolves",
               pp_finding_name(f->finding.code), pp_severity_name(f->finding.severity),
               f->finding.message);
}

static void print_names(ppc_out *out, uint32_t bits, const char *(*name)(int))
{
    const char *sep = "";
    for (int i = 0; i < 32; i++)
        if (bits & (1u << i)) {
            ppc_printf(out, "%s%s", sep, name(i));
            sep = ", ";
        }
}

/* "deny not_pre_added (rule 10)", and which product the decision is about
 * when that differs between the two (rep is the class's representative). */
static void print_decision(ppc_out *out, const pp_decision *d, const pp_device *rep, int about)
{
    ppc_printf(out, "%s %s (rule %" PRId32, pp_outcome_name(d->outcome), pp_reason_name(d->reason),
               d->rule);
       if (about)
           ppc_puts(out, d->product_id == rep->cloud_product_id
                             ? ", about its cloud product"
                             : ", about the product its firmware claims");
       ppc_putc(out, ')');
    if (d->limited_in != 0)
        ppc_puts(out, ", limited in its cloud product");
}

static void print_advisories(ppc_out *out, uint32_t bits)
{
    if (bits == 0)
        ppc_puts(out, "none");
    else
        print_names(out, bits, pp_advisory_name);
}

static void print_privileges(ppc_out *out, const char *verb, uint32_t bits)
{
    if (bits == 0)
        return;
    ppc_printf(out, ", %s ", verb);
    if (bits == PP_PRIVILEGES_ALL)
        ppc_puts(out, "all privileges");
    else
        print_names(out, bits, pp_privilege_name);
}

static bool about_differs(const pp_device_class *k)
{
    return k->old_decision.product_id != k->new_decision.product_id;
}

/* Classes under one heading when their two decisions read alike but for
 * the advisories (which each class line then gives). */
static bool same_transition(const pp_device_class *a, const pp_device_class *b)
{
    const pp_decision *x[2] = { &a->old_decision, &a->new_decision };
    const pp_decision *y[2] = { &b->old_decision, &b->new_decision };
    for (int i = 0; i < 2; i++)
        if (x[i]->outcome != y[i]->outcome || x[i]->reason != y[i]->reason ||
            x[i]->rule != y[i]->rule || x[i]->privileges != y[i]->privileges ||
            (x[i]->limited_in != 0) != (y[i]->limited_in != 0))
            return false;
    return about_differs(a) == about_differs(b);
}

static void text_devices(ppc_out *out, const pp_diff *d, size_t per_transition)
{
    size_t n = pp_diff_device_class_count(d);
    unsigned long long examined = (unsigned long long)pp_diff_classes_examined(d);
    if (n == 0) {
        ppc_printf(out, "Devices: no device changes. The %llu device classes examined cover every "
                        "possible device record.\n", examined);
        return;
    }
    ppc_printf(out, "Devices: %zu class%s of records change%s (of %llu classes examined, which "
                    "cover every possible device record):\n", n, n == 1 ? "" : "es",
               n == 1 ? "s" : "", examined);
    bool *done = calloc(n, sizeof *done);
    for (size_t i = 0; i < n; i++) {
        if (done != NULL && done[i])
            continue;
        pp_device_class k;
        pp_diff_device_class_at(&k, d, i);
        ppc_puts(out, "  ");
        print_decision(out, &k.old_decision, &k.representative, about_differs(&k));
        ppc_puts(out, " -> ");
        print_decision(out, &k.new_decision, &k.representative, about_differs(&k));
        print_privileges(out, "gains", k.privileges_gained);
        print_privileges(out, "loses", k.privileges_lost);
        ppc_puts(out, ":\n");
        size_t shown = 0, more = 0;
        for (size_t j = i; j < n; j++) {
            pp_device_class m;
            pp_diff_device_class_at(&m, d, j);
            if ((done != NULL && done[j]) || !same_transition(&k, &m) || (done == NULL && j != i))
                continue;
            if (done != NULL)
                done[j] = true;
            if (per_transition != 0 && shown == per_transition)
                more++;
            else {
                ppc_printf(out, "    - %s", m.description);
                if (m.old_decision.advisories != 0 || m.new_decision.advisories != 0) {
                    ppc_puts(out, "; advisories: ");
                    print_advisories(out, m.old_decision.advisories);
                    ppc_puts(out, " -> ");
                    print_advisories(out, m.new_decision.advisories);
                }
                ppc_putc(out, '\n');
                shown++;
            }
        }
        if (more > 0)
            ppc_printf(out, "    ... and %zu more class%s (--all or --format json lists every one)\n",
                       more, more == 1 ? "" : "es");
    }
    free(done);
}

static void print_answer(ppc_out *out, const pp_authorization *a)
{
    ppc_printf(out, "%s (%s", a->allowed ? "allowed" : "denied", pp_authz_reason_name(a->reason));
       if (a->role >= 0)
           ppc_printf(out, ", %s", pp_role_name(a->role));
       ppc_putc(out, ')');
}

static bool same_answer(const pp_authorization *a, const pp_authorization *b)
{
    return a->allowed == b->allowed && a->reason == b->reason && a->role == b->role;
}

static bool same_actor(const pp_authorization_change *a, const pp_authorization_change *b)
{
    return a->actor_kind == b->actor_kind &&
           (a->actor == b->actor || (a->actor != NULL && b->actor != NULL &&
                                     strcmp(a->actor, b->actor) == 0));
}

/* Whether changes p and q are the same action changing the same way. */
static bool same_entry(const pp_diff *d, size_t p, size_t q)
{
    pp_authorization_change a, b;
    pp_diff_authorization_at(&a, d, p);
    pp_diff_authorization_at(&b, d, q);
    return a.action == b.action && same_answer(&a.old_answer, &b.old_answer) &&
           same_answer(&a.new_answer, &b.new_answer);
}

/* A run: the changes of one actor on one product, [start, end). */
static size_t run_end(const pp_diff *d, size_t start)
{
    size_t n = pp_diff_authorization_count(d);
    pp_authorization_change a, b;
    pp_diff_authorization_at(&a, d, start);
    size_t end = start + 1;
    while (end < n) {
        pp_diff_authorization_at(&b, d, end);
        if (b.product_id != a.product_id || !same_actor(&a, &b))
            break;
        end++;
    }
    return end;
}

static bool same_run(const pp_diff *d, size_t p, size_t q)
{
    size_t ep = run_end(d, p), eq = run_end(d, q);
    if (ep - p != eq - q)
        return false;
    for (size_t k = 0; k < ep - p; k++)
        if (!same_entry(d, p + k, q + k))
            return false;
    return true;
}

static void text_people(ppc_out *out, const pp_diff *d)
{
    size_t n = pp_diff_authorization_count(d);
    if (n == 0) {
        ppc_puts(out, "People: no authorization changes.\n");
        return;
    }
    ppc_printf(out, "People: %zu answer%s change%s:\n", n, n == 1 ? "" : "s", n == 1 ? "s" : "");
    /* Runs of one actor on one product; runs of one actor that read alike
     * on several products go under one heading. */
    bool *done = calloc(n, sizeof *done);
    for (size_t i = 0; i < n; i = run_end(d, i)) {
        if (done != NULL && done[i])
            continue;
        pp_authorization_change a;
        pp_diff_authorization_at(&a, d, i);
        if (a.actor != NULL)
            ppc_printf(out, "  %s (%s) on %" PRIu32, a.actor,
                       a.actor_kind == PP_ACTOR_HUMAN ? "person" : "API user", a.product_id);
        else
            ppc_printf(out, "  anyone else (as a %s) on %" PRIu32,
                       a.actor_kind == PP_ACTOR_HUMAN ? "person" : "API user", a.product_id);
        for (size_t j = run_end(d, i); done != NULL && j < n; j = run_end(d, j)) {
            pp_authorization_change b;
            pp_diff_authorization_at(&b, d, j);
            if (!done[j] && same_actor(&a, &b) && same_run(d, i, j)) {
                done[j] = true;
                ppc_printf(out, ", %" PRIu32, b.product_id);
            }
        }
        ppc_puts(out, ":\n");
        /* Actions that change alike, on one line. */
        size_t end = run_end(d, i);
        for (size_t k = i; k < end; k++) {
            pp_authorization_change x;
            pp_diff_authorization_at(&x, d, k);
            bool first = true;
            for (size_t m = i; m < k && first; m++) {
                pp_authorization_change y;
                pp_diff_authorization_at(&y, d, m);
                first = !(same_answer(&x.old_answer, &y.old_answer) &&
                          same_answer(&x.new_answer, &y.new_answer));
            }
            if (!first)
                continue;
            ppc_puts(out, "    ");
            print_answer(out, &x.old_answer);
            ppc_puts(out, " -> ");
            print_answer(out, &x.new_answer);
            ppc_puts(out, ": ");
            const char *sep = "";
            for (size_t m = k; m < end; m++) {
                pp_authorization_change y;
                pp_diff_authorization_at(&y, d, m);
                if (same_answer(&x.old_answer, &y.old_answer) &&
                    same_answer(&x.new_answer, &y.new_answer)) {
                    ppc_printf(out, "%s%s", sep, pp_action_name(y.action));
                    sep = ", ";
                }
            }
            ppc_putc(out, '\n');
        }
    }
    free(done);
}

static void print_id(ppc_out *out, const char *id)
{
    size_t n = strlen(id);
    bool plain = n > 0;
    for (size_t i = 0; i < n; i++)
        plain = plain && ((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f'));
    if (plain)
        ppc_puts(out, id);
    else
        ppc_json_string(out, id, n);
}

static bool row_changes(const ppc_transition *t)
{
    return t->changed;
}

/* Rows that change first, most records first; then the others. */
static int cmp_row(const void *pa, const void *pb)
{
    const ppc_transition *a = pa, *b = pb;
    if (row_changes(a) != row_changes(b))
        return row_changes(a) ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    int x[4] = { a->old_outcome, a->old_reason, a->new_outcome, a->new_reason };
    int y[4] = { b->old_outcome, b->old_reason, b->new_outcome, b->new_reason };
    for (int i = 0; i < 4; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

static void text_fleet(ppc_out *out, const ppc_fleet *f)
{
    if (f->name == NULL)
        return;
    qsort(f->rows, f->nrows, sizeof *f->rows, cmp_row);
    ppc_printf(out, "Fleet %s: %" PRIu64 " record%s, %" PRIu64 " decide%s differently (%" PRIu64
                    " gain privileges, %" PRIu64 " lose them), %" PRIu64 " invalid:\n",
               f->name, f->records, f->records == 1 ? "" : "s", f->changed,
               f->changed == 1 ? "s" : "", f->gains, f->losses, f->invalid);
    for (size_t i = 0; i < f->nrows; i++) {
        const ppc_transition *t = &f->rows[i];
        ppc_printf(out, "  %s %s -> ", pp_outcome_name(t->old_outcome), pp_reason_name(t->old_reason));
        if (!t->changed)
            ppc_puts(out, "the same");
        else if (t->old_outcome == t->new_outcome && t->old_reason == t->new_reason)
            ppc_puts(out, "the same outcome and reason, another rule, product or advisory");
        else
            ppc_printf(out, "%s %s", pp_outcome_name(t->new_outcome), pp_reason_name(t->new_reason));
        ppc_printf(out, ": %" PRIu64, t->count);
        for (size_t k = 0; k < t->nexamples; k++) {
            ppc_puts(out, k == 0 ? " (" : ", ");
            print_id(out, t->examples[k]);
        }
        ppc_puts(out, t->nexamples > 0 ? ")\n" : "\n");
    }
}

void ppc_diff_text(ppc_out *out, const ppc_diff_report *r)
{
    const pp_diff *d = r->diff;
    ppc_printf(out, "old %s: fingerprint %016" PRIx64 "\nnew %s: fingerprint %016" PRIx64 "\n\n",
               r->old_name, pp_policy_fingerprint(r->old_policy), r->new_name,
               pp_policy_fingerprint(r->new_policy));
    size_t n = pp_diff_change_count(d);
    if (n == 0)
        ppc_puts(out, "Changes: none.\n");
    else
        ppc_printf(out, "Changes (%zu):\n", n);
    for (size_t i = 0; i < n; i++) {
        pp_change c;
        pp_diff_change_at(&c, d, i);
        ppc_puts(out, "  ");
        print_change(out, &c);
        ppc_printf(out, "  [%s]\n", pp_direction_name(c.direction));
        for (size_t k = 0; k < pp_diff_finding_count(d); k++) {
            pp_diff_finding f;
            pp_diff_finding_at(&f, d, k);
            if (f.change == i) {
                ppc_puts(out, "      ");
                print_finding(out, &f);
            }
        }
    }
    for (size_t k = 0; k < pp_diff_finding_count(d); k++) {
        pp_diff_finding f;
        pp_diff_finding_at(&f, d, k);
        if (f.change == PP_DIFF_NONE) {
            ppc_puts(out, "  the whole policy ");
            print_finding(out, &f);
        }
    }
    ppc_putc(out, '\n');
    text_devices(out, d, r->all_classes ? 0 : PPC_DIFF_CLASSES_SHOWN);
    ppc_putc(out, '\n');
    text_people(out, d);
    if (r->fleet.name != NULL) {
        ppc_putc(out, '\n');
        text_fleet(out, &r->fleet);
    }
    if (r->fail_on != 0)
        ppc_printf(out, "\n--fail-on: %s\n", r->failed ? "fails" : "passes");
}

/* ---- JSON ---- */

static void json_decision(ppc_out *out, const pp_decision *d)
{
    ppc_puts(out, "{\"outcome\":");
    ppc_json_cstring(out, pp_outcome_name(d->outcome));
    ppc_puts(out, ",\"reason\":");
    ppc_json_cstring(out, pp_reason_name(d->reason));
    ppc_printf(out, ",\"rule\":%" PRId32 ",\"product_id\":%" PRIu32 ",\"privileges\":", d->rule,
               d->product_id);
    ppc_json_names(out, d->privileges, pp_privilege_name);
    ppc_puts(out, ",\"advisories\":");
    ppc_json_names(out, d->advisories, pp_advisory_name);
    if (d->limited_in != 0)
        ppc_printf(out, ",\"limited_in\":%" PRIu32, d->limited_in);
    ppc_putc(out, '}');
}

static void json_answer(ppc_out *out, const pp_authorization *a)
{
    ppc_printf(out, "{\"allowed\":%s,\"reason\":", a->allowed ? "true" : "false");
    ppc_json_cstring(out, pp_authz_reason_name(a->reason));
    ppc_puts(out, ",\"role\":");
    ppc_json_cstring(out, a->role >= 0 ? pp_role_name(a->role) : NULL);
    ppc_putc(out, '}');
}

static void json_policy(ppc_out *out, const char *key, const char *name, const pp_policy *p)
{
    ppc_printf(out, "\"%s\":{\"path\":", key);
    ppc_json_cstring(out, name);
    ppc_printf(out, ",\"fingerprint\":\"%016" PRIx64 "\"}", pp_policy_fingerprint(p));
}

static void json_changes(ppc_out *out, const pp_diff *d)
{
    ppc_puts(out, "\"changes\":[");
    for (size_t i = 0; i < pp_diff_change_count(d); i++) {
        pp_change c;
        pp_diff_change_at(&c, d, i);
        ppc_puts(out, i == 0 ? "\n{\"kind\":" : ",\n{\"kind\":");
        ppc_json_cstring(out, pp_change_kind_name(c.kind));
        ppc_puts(out, ",\"direction\":");
        ppc_json_cstring(out, pp_direction_name(c.direction));
        ppc_printf(out, ",\"product_id\":%" PRIu32 ",\"organization\":", c.product_id);
        ppc_json_cstring(out, c.organization);
        ppc_puts(out, ",\"subject\":");
        ppc_json_cstring(out, c.subject);
        ppc_puts(out, ",\"key\":");
        ppc_json_cstring(out, c.key);
        ppc_puts(out, ",\"old\":");
        ppc_json_cstring(out, c.old_value);
        ppc_puts(out, ",\"new\":");
        ppc_json_cstring(out, c.new_value);
        ppc_printf(out, ",\"findings_introduced\":%zu,\"findings_resolved\":%zu}",
                   c.findings_introduced, c.findings_resolved);
    }
    ppc_puts(out, "],\n\"findings\":[");
    for (size_t i = 0; i < pp_diff_finding_count(d); i++) {
        pp_diff_finding f;
        pp_diff_finding_at(&f, d, i);
        ppc_printf(out, "%s{\"introduced\":%s,\"change\":", i == 0 ? "\n" : ",\n",
                   f.introduced ? "true" : "false");
        if (f.change == PP_DIFF_NONE)
            ppc_puts(out, "null");
        else
            ppc_printf(out, "%zu", f.change);
        ppc_puts(out, ",\"code\":");
        ppc_json_cstring(out, pp_finding_name(f.finding.code));
        ppc_puts(out, ",\"severity\":");
        ppc_json_cstring(out, pp_severity_name(f.finding.severity));
        ppc_printf(out, ",\"product_id\":%" PRIu32 ",\"subject\":", f.finding.product_id);
        ppc_json_string(out, f.finding.subject, f.finding.subject_len);
        ppc_puts(out, ",\"message\":");
        ppc_json_cstring(out, f.finding.message);
        ppc_putc(out, '}');
    }
    ppc_puts(out, "],\n");
}

static void json_classes(ppc_out *out, const pp_diff *d)
{
    ppc_printf(out, "\"device_classes\":{\"examined\":%llu,\"cover_every_record\":true,\"changed\":[",
               (unsigned long long)pp_diff_classes_examined(d));
    for (size_t i = 0; i < pp_diff_device_class_count(d); i++) {
        pp_device_class k;
        pp_diff_device_class_at(&k, d, i);
        ppc_puts(out, i == 0 ? "\n{\"description\":" : ",\n{\"description\":");
        ppc_json_cstring(out, k.description);
        ppc_puts(out, ",\"old\":");
        json_decision(out, &k.old_decision);
        ppc_puts(out, ",\"new\":");
        json_decision(out, &k.new_decision);
        ppc_puts(out, ",\"privileges_gained\":");
        ppc_json_names(out, k.privileges_gained, pp_privilege_name);
        ppc_puts(out, ",\"privileges_lost\":");
        ppc_json_names(out, k.privileges_lost, pp_privilege_name);
        ppc_puts(out, ",\"representative\":");
        ppc_json_record(out, &k.representative);
        ppc_putc(out, '}');
    }
    ppc_puts(out, "]},\n\"authorizations\":[");
    for (size_t i = 0; i < pp_diff_authorization_count(d); i++) {
        pp_authorization_change a;
        pp_diff_authorization_at(&a, d, i);
        ppc_puts(out, i == 0 ? "\n{\"actor\":" : ",\n{\"actor\":");
        ppc_json_cstring(out, a.actor);
        ppc_puts(out, ",\"actor_kind\":");
        ppc_json_cstring(out, pp_actor_kind_name(a.actor_kind));
        ppc_puts(out, ",\"action\":");
        ppc_json_cstring(out, pp_action_name(a.action));
        ppc_printf(out, ",\"product_id\":%" PRIu32 ",\"old\":", a.product_id);
        json_answer(out, &a.old_answer);
        ppc_puts(out, ",\"new\":");
        json_answer(out, &a.new_answer);
        ppc_putc(out, '}');
    }
    ppc_puts(out, "]");
}

static void json_fleet(ppc_out *out, const ppc_fleet *f)
{
    ppc_puts(out, ",\n\"fleet\":");
    if (f->name == NULL) {
        ppc_puts(out, "null");
        return;
    }
    qsort(f->rows, f->nrows, sizeof *f->rows, cmp_row);
    ppc_puts(out, "{\"path\":");
    ppc_json_cstring(out, f->name);
    ppc_printf(out, ",\"records\":%" PRIu64 ",\"changed\":%" PRIu64 ",\"gain_privileges\":%" PRIu64
                    ",\"lose_privileges\":%" PRIu64 ",\"invalid\":%" PRIu64 ",\"transitions\":[",
               f->records, f->changed, f->gains, f->losses, f->invalid);
    for (size_t i = 0; i < f->nrows; i++) {
        const ppc_transition *t = &f->rows[i];
        ppc_printf(out, "%s{\"old\":{\"outcome\":\"%s\",\"reason\":\"%s\"},\"new\":{\"outcome\":\"%s\","
                        "\"reason\":\"%s\"},\"changed\":%s,\"count\":%" PRIu64 ",\"examples\":[",
                   i == 0 ? "\n" : ",\n", pp_outcome_name(t->old_outcome),
                   pp_reason_name(t->old_reason), pp_outcome_name(t->new_outcome),
                   pp_reason_name(t->new_reason), t->changed ? "true" : "false", t->count);
        for (size_t k = 0; k < t->nexamples; k++) {
            if (k > 0)
                ppc_putc(out, ',');
            ppc_json_cstring(out, t->examples[k]);
        }
        ppc_puts(out, "]}");
    }
    ppc_puts(out, "]}");
}

void ppc_diff_json(ppc_out *out, const ppc_diff_report *r)
{
    ppc_putc(out, '{');
    json_policy(out, "old", r->old_name, r->old_policy);
    ppc_putc(out, ',');
    json_policy(out, "new", r->new_name, r->new_policy);
    ppc_puts(out, ",\n");
    json_changes(out, r->diff);
    json_classes(out, r->diff);
    json_fleet(out, &r->fleet);
    static const char *const conditions[] = { "gains", "loosening", "findings", "any" };
    ppc_puts(out, ",\n\"fail_on\":{\"asked\":[");
    const char *sep = "";
    for (unsigned i = 0; i < 4; i++)
        if (r->fail_on & (1u << i)) {
            ppc_printf(out, "%s\"%s\"", sep, conditions[i]);
            sep = ",";
        }
    ppc_puts(out, "],\"failed\":[");
    sep = "";
    for (unsigned i = 0; i < 4; i++)
        if (r->failed & (1u << i)) {
            ppc_printf(out, "%s\"%s\"", sep, conditions[i]);
            sep = ",";
        }
    ppc_puts(out, "]}}\n");
}
