/*
 * One step of the lifecycle explorer and the invariants checked on it
 * (docs/lifecycle.md, "Safety rules").  Every check counts under the
 * invariant it belongs to; the first that fails names the violation.
 */
#include <stdio.h>
#include <string.h>

#include "explore.h"

/* ---- deliberately broken transitions (tests/explore.sh) ---- */

enum { BREAK_NO_STORE, BREAK_UNAUTHORIZED_APPROVE, BREAK_REMOVE_FORGETS, BREAK_DENY_FORGETS };
static const char *const breaks[] = {
    "no-store",              /* a reconnect does not store its effects */
    "unauthorized-approve",  /* a refused approval is applied anyway */
    "remove-forgets",        /* a removal is not recorded */
    "deny-forgets",          /* a denial is not recorded */
};

int ex_break_from_name(const char *name)
{
    for (int i = 0; i < (int)(sizeof breaks / sizeof breaks[0]); i++)
        if (strcmp(name, breaks[i]) == 0)
            return i;
    return -1;
}

static const char *const invariant_names[NINVARIANTS] = {
    "invariant 1 (privileges only for a device P lists, or one auto-approved legitimately)",
    "invariant 2 (on Device OS 4+, privileges only while P lists the device)",
    "invariant 3 (a removed device never regains privileges without an approval)",
    "invariant 4 (a denied device gets no privileges until re-approved)",
    "invariant 5 (a second reconnect writes nothing new, grants the same)",
    "invariant 6 (one product at most, errors fail closed, every decision names its rule)",
};

/* Count a check of invariant n (1-based); false records the violation. */
static bool check(ex_world *w, int n, bool ok)
{
    w->checks[n - 1]++;
    w->checks_total++;
    if (!ok)
        w->violation = invariant_names[n - 1];
    return ok;
}

uint8_t ex_start_ghost(const ex_rec *r)
{
    uint8_t g = 0;
    for (int p = 1; p <= 2; p++) {
        if (r->R == p && r->C != p)  /* re-added since: the removal is over */
            g |= GHOST(p, G_REMOVED);
        if (r->D == p)
            g |= GHOST(p, G_DENIED);
    }
    return g;
}

static int product_index(uint32_t id)
{
    for (int i = 0; i < NPRODUCTS; i++)
        if (ex_products[i] == id)
            return i;
    return -1;
}

/* The library's record back in the domains; false when it left them or
 * changed what it must not (the strings, the model, Device OS). */
static bool from_device(ex_rec *r, const ex_rec *before, const pp_device *d)
{
    pp_device b = ex_device(before);
    int C = product_index(d->cloud_product_id), F = product_index(d->firmware_product_id),
        D = product_index(d->denied_in), R = product_index(d->removed_from),
        Q = product_index(d->quarantined_in);
    if (C < 0 || F < 0 || D < 0 || R < 0 || Q < 0 ||
        (d->firmware_version != 0 && d->firmware_version != EX_RELEASED) || d->id != b.id ||
        d->id_len != b.id_len || d->device_os != b.device_os || d->platform_id != b.platform_id ||
        (d->owner != NULL && (d->owner != b.owner || d->owner_len != b.owner_len)) ||
        (d->development != 0 && d->development != 1))
        return false;
    *r = *before;
    r->C = (uint8_t)C, r->F = (uint8_t)F, r->D = (uint8_t)D, r->R = (uint8_t)R, r->Q = (uint8_t)Q;
    r->fwv = d->firmware_version != 0;
    r->development = (uint8_t)d->development;
    if (d->owner == NULL)
        r->owner = 0;
    return true;
}

/* docs/decisions.md: the reason(s) of each rule. */
static bool reason_fits_rule(int rule, int reason)
{
    static const int reasons[16] = {
        PP_REASON_INVALID_INPUT, PP_REASON_NOT_A_PRODUCT_DEVICE, PP_REASON_UNKNOWN_PRODUCT,
        PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, PP_REASON_INCOMPATIBLE_PLATFORM,
        PP_REASON_DENIED_LIST, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT, PP_REASON_MEMBER,
        PP_REASON_DENIED_LIST, PP_REASON_REMOVED_FROM_PRODUCT, PP_REASON_NOT_PRE_ADDED,
        PP_REASON_MEMBER_OF_OTHER_PRODUCT, PP_REASON_UNRECOGNIZED_DEVICE, PP_REASON_UNOWNED,
        PP_REASON_OWNER_IS_TEAM_MEMBER, PP_REASON_OWNER_NOT_TEAM_MEMBER,
    };
    if (rule < 0 || rule > 15 || pp_reason_name(reason) == NULL)
        return false;
    return reason == reasons[rule] || (rule == 4 && reason == PP_REASON_SKU_REQUIRED);
}

/* Invariant 6 on any decision of a valid record. */
static bool well_formed(ex_world *w, const pp_decision *d, int rc)
{
    bool product = d->product_id == 100 || d->product_id == 200;
    return check(w, 6, rc == PP_OK && d->error == PP_OK && reason_fits_rule(d->rule, d->reason) &&
                           pp_outcome_name(d->outcome) != NULL &&
                           (d->privileges == 0 || d->privileges == PP_PRIVILEGES_ALL) &&
                           (d->privileges == 0 || (product && d->limited_in == 0)) &&
                           (d->effects & ~PP_EFFECTS_ALL) == 0);
}

static void print_list(const char *name, uint8_t p)
{
    if (p == 0)
        printf(" %s=-", name);
    else
        printf(" %s=%u", name, ex_products[p]);
}

void ex_print_record(const ex_rec *r, uint8_t ghost)
{
    printf("record:");
    print_list("cloud", r->C);
    print_list("firmware", r->F);
    print_list("denied", r->D);
    print_list("removed", r->R);
    print_list("quarantined", r->Q);
    printf(" device_os=%s owner=%s platform=%u development=%s firmware_version=%d",
           ex_os[r->os], ex_owners[r->owner] ? ex_owners[r->owner] : "-",
           ex_platforms[r->platform], r->development ? "yes" : "no", r->fwv ? EX_RELEASED : 0);
    static const char *const bits[3] = { "removed", "denied", "took the way back" };
    const char *sep = " [remembered:";
    for (int p = 1; p <= 2; p++)
        for (int b = 0; b < 3; b++)
            if (ghost & GHOST(p, b)) {
                printf("%s %s %u", sep, bits[b], ex_products[p]);
                sep = ",";
            }
    printf("%s\n", *sep == ',' ? "]" : "");
}

static void print_names(const char *(*name)(int), uint32_t bits)
{
    if (bits == 0)
        printf("-");
    for (int i = 0, first = 1; i < 32; i++)
        if (bits & (1u << i)) {
            printf("%s%s", first ? "" : ",", name(i));
            first = 0;
        }
}

static void print_decision(const pp_decision *d)
{
    printf("reconnect: %s %s, rule %d, product %u, privileges ", pp_outcome_name(d->outcome),
           pp_reason_name(d->reason), d->rule, d->product_id);
    print_names(pp_privilege_name, d->privileges);
    printf(", effects ");
    print_names(pp_effect_name, d->effects);
    if (d->leaves_denied)
        printf(" (leaves %u's Denied list)", d->leaves_denied);
    if (d->leaves_quarantine)
        printf(" (leaves %u's quarantine list)", d->leaves_quarantine);
    printf("\n");
}

/* ---- the events ---- */

static bool reconnect(ex_world *w, const ex_state *s, ex_state *next, bool print)
{
    const ex_rec *r = &s->rec;
    pp_device d = ex_device(r);
    pp_decision dec;
    int rc = pp_decide(&dec, w->policy, NULL, &d);
    if (print)
        print_decision(&dec);
    if (!well_formed(w, &dec, rc))
        return false;
    int p = product_index(dec.product_id);
    bool legacy = ex_legacy[r->os];
    bool legit_join = dec.outcome == PP_OUTCOME_AUTO_APPROVE && legacy && r->owner != 2 &&
                      (p == 1 || p == 2) && ex_auto(w->index, p);
    if (dec.privileges != 0) {
        if (!check(w, 1, r->C == p || legit_join) || !check(w, 2, legacy || r->C == p) ||
            !check(w, 3, !(s->ghost & GHOST(p, G_REMOVED))) ||
            !check(w, 4, !(s->ghost & GHOST(p, G_DENIED)) && r->D != p))
            return false;
        if (s->ghost & GHOST(p, G_ESCAPED))
            w->way_back++;
    }
    /* A removed device back with P's firmware appears on the Denied list,
     * or the quarantine list where P says so (legacy only). */
    if ((p == 1 || p == 2) && (s->ghost & GHOST(p, G_REMOVED)) && r->F == p) {
        bool quarantine = legacy && ex_removed_quarantine(w->index, p);
        int o = dec.outcome;
        if (!check(w, 3, o == PP_OUTCOME_DENY || (quarantine ? o == PP_OUTCOME_QUARANTINE
                                                             : o == PP_OUTCOME_REAPPEAR_AS_DENIED)))
            return false;
    }

    pp_device n;
    rc = pp_apply_effects(&n, &d, &dec);
    if (w->broken == BREAK_NO_STORE)
        n = d;
    *next = *s;
    if (!check(w, 6, rc == PP_OK && from_device(&next->rec, r, &n)))
        return false;
    /* Only an auto-approval makes the device a member. */
    if (next->rec.C != r->C && !check(w, 1, legit_join && next->rec.C == p))
        return false;

    pp_decision again;
    rc = pp_decide(&again, w->policy, NULL, &n);
    if (!well_formed(w, &again, rc) ||
        !check(w, 5, again.effects == 0 && again.privileges == dec.privileges &&
                         again.product_id == dec.product_id))
        return false;

    if (dec.effects & PP_EFFECT_ENTER_DENIED_LIST)
        next->ghost |= (uint8_t)GHOST(p, G_DENIED);
    int left = product_index(dec.leaves_denied);
    if ((dec.effects & PP_EFFECT_LEAVE_DENIED_LIST) && (left == 1 || left == 2)) {
        uint8_t blocks = (uint8_t)(GHOST(left, G_REMOVED) | GHOST(left, G_DENIED));
        /* The way back: off the Denied list, a newcomer again. */
        if (next->ghost & blocks)
            next->ghost = (uint8_t)((next->ghost & ~blocks) | GHOST(left, G_ESCAPED));
    }
    return true;
}

static bool operate(ex_world *w, const ex_state *s, const ex_event *e, ex_state *next,
                    bool print)
{
    const ex_actor *who = &ex_actors[e->c];
    pp_actor a = { who->name, strlen(who->name), who->kind };
    uint32_t P = ex_products[e->b];
    pp_device d = ex_device(&s->rec), n;
    pp_transition t;
    int rc = pp_operate(&n, &t, w->policy, NULL, &a, e->a, P, &d);
    /* pp_authorize itself, where an allowed action could change the record
     * (a refusal leaves it unchanged, checked below). */
    pp_authorization want = t.authorization;
    int wrc = PP_OK;
    if (t.applied || t.authorization.allowed)
        wrc = pp_authorize(&want, w->policy, NULL, &a, pp_operation_action(e->a), P, &d);
    if (print) {
        printf("%s (%s): %s in %u: ", who->name, who->what, pp_operation_name(e->a), P);
        if (t.applied)
            printf("applied\n");
        else
            printf("refused, %s (%s)\n", pp_refusal_name(t.refusal),
                   pp_authz_reason_name(t.authorization.reason));
    }
    /* One source of truth: pp_operate applies exactly what pp_authorize
     * allows, and only an actor of the kinds that may. */
    if (!check(w, 6, rc == PP_OK && wrc == PP_OK && t.error == PP_OK) ||
        !check(w, 1, t.authorization.allowed == want.allowed &&
                         t.authorization.reason == want.reason &&
                         (!want.allowed || (who->may && (e->b == 1 || e->b == 2))) &&
                         (!t.applied || want.allowed)) ||
        !check(w, 6, t.applied || memcmp(&n, &d, sizeof n) == 0))
        return false;
    if (w->broken == BREAK_UNAUTHORIZED_APPROVE && e->a == PP_OPERATION_APPROVE_QUARANTINED &&
        !t.applied && d.quarantined_in == P) {
        n.cloud_product_id = P;
        n.quarantined_in = 0;
    }
    if (w->broken == BREAK_REMOVE_FORGETS && e->a == PP_OPERATION_REMOVE_DEVICE && t.applied)
        n.removed_from = d.removed_from;
    if (w->broken == BREAK_DENY_FORGETS && e->a == PP_OPERATION_DENY_QUARANTINED && t.applied)
        n.denied_in = d.denied_in;

    *next = *s;
    if (!check(w, 6, from_device(&next->rec, &s->rec, &n)))
        return false;
    bool admits = e->a == PP_OPERATION_ADD_DEVICE || e->a == PP_OPERATION_APPROVE_QUARANTINED ||
                  e->a == PP_OPERATION_REAPPROVE_DENIED;
    /* Only an authorized approval makes the device a member. */
    if (next->rec.C != s->rec.C && next->rec.C != 0 &&
        !check(w, 1, t.applied && admits && next->rec.C == e->b))
        return false;
    if (t.applied && admits)
        next->ghost &= (uint8_t)~(GHOST(e->b, G_REMOVED) | GHOST(e->b, G_DENIED) |
                                  GHOST(e->b, G_ESCAPED));
    if (t.applied && e->a == PP_OPERATION_DENY_QUARANTINED)
        next->ghost |= (uint8_t)GHOST(e->b, G_DENIED);
    if (t.applied && e->a == PP_OPERATION_REMOVE_DEVICE)
        next->ghost |= (uint8_t)GHOST(e->b, G_REMOVED);
    return true;
}

bool ex_step(ex_world *w, const ex_state *s, int ev, ex_state *next, bool print)
{
    const ex_event *e = &ex_events[ev];
    bool ok = true;
    switch (e->kind) {
    case EV_RECONNECT:
        ok = reconnect(w, s, next, print);
        break;
    case EV_OPERATE:
        ok = operate(w, s, e, next, print);
        break;
    case EV_FIRMWARE:
        *next = *s;
        next->rec.F = e->a;
        if (print && e->a == 0)
            printf("the device runs non-product firmware\n");
        else if (print)
            printf("the device runs firmware claiming %u\n", ex_products[e->a]);
        break;
    case EV_DEVICE_OS:
        *next = *s;
        next->rec.os = e->a;
        if (print)
            printf("Device OS becomes %s\n", ex_os[e->a]);
        break;
    case EV_OWNER:
        *next = *s;
        next->rec.owner = e->a;
        if (print && e->a == 0)
            printf("its user unclaims it\n");
        else if (print)
            printf("claimed by %s (%s)\n", ex_owners[e->a],
                   e->a == 1 ? "a team member" : "an outsider");
        break;
    }
    if (print && ok) {
        printf("     ");
        ex_print_record(&next->rec, next->ghost);
    } else if (print) {
        printf("     VIOLATED: %s\n", w->violation);
    }
    return ok;
}

bool ex_check_state(ex_world *w, const ex_state *s)
{
    /* Errors fail closed: the same record with an invalid owner, and an
     * operation by an invalid actor. */
    pp_device d = ex_device(&s->rec), bad = d, n;
    bad.owner = "";
    bad.owner_len = 0;
    pp_decision dec;
    int rc = pp_decide(&dec, w->policy, NULL, &bad);
    if (!check(w, 6, rc == PP_ERR_OWNER && dec.error == rc && dec.outcome == PP_OUTCOME_DENY &&
                         dec.rule == 0 && dec.privileges == 0 && dec.effects == 0))
        return false;
    pp_actor nobody = { "", 0, PP_ACTOR_HUMAN };
    pp_transition t;
    rc = pp_operate(&n, &t, w->policy, NULL, &nobody, PP_OPERATION_APPROVE_QUARANTINED, 100, &d);
    return check(w, 6, rc == PP_ERR_INVALID_ARGUMENT && !t.applied &&
                           t.refusal == PP_REFUSAL_INVALID_INPUT &&
                           memcmp(&n, &d, sizeof n) == 0);
}
