/*
 * Fuzz target: the admission decision over structured device records (see
 * fuzz_device in fixture.c) against the fixture policy, with and without a
 * run-time team.  Checks the decision's invariants: every field named, fail
 * closed on invalid input, effects that reach a fixpoint at once,
 * pp_decide_many equal to pp_decide one by one, and the family questions
 * answering for the same models.
 */
#include <stdbool.h>
#include <string.h>

#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEVICES 8

static void check_decision(const pp_decision *d, int rc)
{
    if (d->error != rc || pp_outcome_name(d->outcome) == NULL || pp_reason_name(d->reason) == NULL ||
        d->rule < 0 || d->rule > 15 || (d->privileges & ~PP_PRIVILEGES_ALL) != 0 ||
        d->advisories >= 1u << 5)
        fuzz_fail("decide: field out of range");
    if (rc != PP_OK && (d->outcome != PP_OUTCOME_DENY || d->reason != PP_REASON_INVALID_INPUT ||
                        d->rule != 0 || d->privileges != 0))
        fuzz_fail("decide: invalid input did not fail closed");
    if (rc == PP_OK && d->reason == PP_REASON_INVALID_INPUT)
        fuzz_fail("decide: invalid_input without an error");
    /* docs/decisions.md: all four privileges on rules 7, 13 and 14, none otherwise. */
    bool all = d->rule == 7 || d->rule == 13 || d->rule == 14;
    if (d->privileges != (all ? PP_PRIVILEGES_ALL : 0))
        fuzz_fail("decide: privileges do not follow the rule");
    if ((d->effects & ~PP_EFFECTS_ALL) != 0 || (rc != PP_OK && d->effects != 0))
        fuzz_fail("decide: effects out of range or written on an error");
}

/* docs/lifecycle.md: the effects apply to the record they were decided for,
 * and deciding the stored record writes nothing new, with the same
 * privileges. */
static void check_fixpoint(const pp_policy *policy, const pp_team *team,
                           const pp_device *dev, const pp_decision *d)
{
    pp_device next;
    if (pp_apply_effects(&next, dev, d) != PP_OK)
        fuzz_fail("effects: do not apply to their own record");
    pp_decision again;
    if (pp_decide(&again, policy, team, &next) != d->error || again.effects != 0 ||
        again.privileges != d->privileges || again.product_id != d->product_id)
        fuzz_fail("effects: the stored record is not a fixpoint");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pp_policy *policy = fuzz_policy();
    fuzz_bytes b = { data, size };

    /* A run-time team of up to four memberships. */
    pp_team *team = NULL;
    uint8_t members = fuzz_u8(&b) % 5;
    if (members > 0 && pp_team_new(&team, NULL) != PP_OK)
        fuzz_fail("team: cannot allocate");
    for (uint8_t i = 0; i < members; i++) {
        size_t org_len, user_len;
        const char *org = fuzz_str(&b, &org_len);
        const char *user = fuzz_str(&b, &user_len);
        int role = fuzz_u8(&b) % 7 - 1;
        int rc = pp_team_add(team, org, org_len, user, user_len, (pp_role)role);
        if (rc != PP_OK && rc != PP_ERR_INVALID_ARGUMENT && rc != PP_ERR_OWNER)
            fuzz_fail("team: unexpected error");
    }

    pp_device devices[MAX_DEVICES];
    pp_decision one[MAX_DEVICES], many[MAX_DEVICES];
    size_t n = 0;
    int first_error = PP_OK;
    while (n < MAX_DEVICES && b.n > 0) {
        fuzz_device(&b, &devices[n]);
        int rc = pp_decide(&one[n], policy, team, &devices[n]);
        check_decision(&one[n], rc);
        check_fixpoint(policy, team, &devices[n], &one[n]);
        if (first_error == PP_OK)
            first_error = rc;

        if (devices[n].device_os != NULL) {
            int legacy = pp_is_legacy(policy, devices[n].device_os, devices[n].device_os_len);
            if (legacy != 0 && legacy != 1 && legacy != PP_ERR_INVALID_VERSION)
                fuzz_fail("is_legacy: unexpected answer");
        }
        pp_model model = { devices[n].platform_id, devices[n].sku, devices[n].sku_len };
        pp_verdict v;
        int jr = pp_may_join(&v, policy, devices[n].cloud_product_id, &model);
        if (jr == PP_OK && (v.allowed != (v.reason == PP_REASON_SAME_FAMILY) ||
                            pp_reason_name(v.reason) == NULL))
            fuzz_fail("may_join: allowed disagrees with reason");
        if (n > 0) {
            pp_model other = { devices[n - 1].platform_id, devices[n - 1].sku, devices[n - 1].sku_len };
            pp_verdict ab, ba;
            int r1 = pp_may_share(&ab, policy, &model, &other);
            int r2 = pp_may_share(&ba, policy, &other, &model);
            /* With two invalid models the code is the first one's, so only
             * success and the answer must not depend on the order. */
            bool failed = r1 != PP_OK;
            if (failed != (r2 != PP_OK) || ab.allowed != ba.allowed ||
                (failed && (ab.reason != PP_REASON_INVALID_INPUT ||
                            ba.reason != PP_REASON_INVALID_INPUT)))
                fuzz_fail("may_share: not symmetric");
        }
        n++;
    }
    if (n > 0) {
        int rc = pp_decide_many(many, policy, team, devices, n);
        if (rc != first_error || memcmp(one, many, n * sizeof one[0]) != 0)
            fuzz_fail("decide_many differs from decide");
    }
    pp_team_free(team);
    return 0;
}
