/*
 * Fuzz target: operator authorization over structured inputs (actor, action,
 * product, optional device and run-time team) against the fixture policy.
 * Checks that the answer is always complete and fails closed, and that an
 * allowed action is explained by a role at least the minimum or a scope,
 * and that pp_operate never applies what pp_authorize refuses.
 */
#include <string.h>

#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const pp_authorization *a, int rc, int action)
{
    if (a->error != rc || (a->allowed != 0 && a->allowed != 1) ||
        pp_authz_reason_name(a->reason) == NULL)
        fuzz_fail("authorize: field out of range");
    if (rc != PP_OK && (a->allowed || a->reason != PP_AUTHZ_INVALID_INPUT))
        fuzz_fail("authorize: invalid input did not fail closed");
    if (a->allowed && a->reason != PP_AUTHZ_GRANTED_BY_ROLE && a->reason != PP_AUTHZ_GRANTED_BY_SCOPE)
        fuzz_fail("authorize: allowed without a granting reason");
    if (!a->allowed && (a->reason == PP_AUTHZ_GRANTED_BY_ROLE || a->reason == PP_AUTHZ_GRANTED_BY_SCOPE))
        fuzz_fail("authorize: denied with a granting reason");
    if (a->reason == PP_AUTHZ_GRANTED_BY_ROLE &&
        (a->role < 0 || a->role < pp_action_min_role(action)))
        fuzz_fail("authorize: granted by a role below the minimum");
    if (a->reason == PP_AUTHZ_GRANTED_BY_SCOPE && a->required_scope == NULL)
        fuzz_fail("authorize: granted by scope without one");
    if (a->ota_update_pending && !a->allowed)
        fuzz_fail("authorize: update pending on a denied action");
    if (a->device_state != -1 && pp_device_state_name(a->device_state) == NULL)
        fuzz_fail("authorize: unnamed device state");
}

/* pp_operate (docs/lifecycle.md) applies an operation only when
 * pp_authorize allows its action, and a refusal leaves the record as it was.
 * The fuzzed action byte doubles as the operation. */
static void check_operation(const pp_policy *policy, const pp_team *team,
                            const pp_actor *actor, int op, uint32_t product,
                            const pp_device *device)
{
    pp_device next;
    pp_transition t;
    int rc = pp_operate(&next, &t, policy, team, actor, op, product, device);
    pp_authorization want;
    int wrc = pp_authorize(&want, policy, team, actor, pp_operation_action(op), product, device);
    if (t.error != rc || pp_refusal_name(t.refusal) == NULL ||
        t.applied != (t.refusal == PP_REFUSAL_NONE))
        fuzz_fail("operate: field out of range");
    if (t.applied && (!want.allowed || wrc != PP_OK))
        fuzz_fail("operate: applied what pp_authorize refuses");
    if (!t.applied && memcmp(&next, device, sizeof next) != 0)
        fuzz_fail("operate: a refusal changed the record");
    if (rc != PP_OK && t.refusal != PP_REFUSAL_INVALID_INPUT)
        fuzz_fail("operate: invalid input not refused as such");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pp_policy *policy = fuzz_policy();
    fuzz_bytes b = { data, size };

    pp_team *team = NULL;
    uint8_t members = fuzz_u8(&b) % 4;
    if (members > 0 && pp_team_new(&team, NULL) != PP_OK)
        fuzz_fail("team: cannot allocate");
    for (uint8_t i = 0; i < members; i++) {
        size_t org_len, user_len;
        const char *org = fuzz_str(&b, &org_len);
        const char *user = fuzz_str(&b, &user_len);
        (void)pp_team_add(team, org, org_len, user, user_len, (pp_role)(fuzz_u8(&b) % 6));
    }

    while (b.n > 0) {
        pp_actor actor;
        actor.name = fuzz_str(&b, &actor.name_len);
        actor.kind = (int32_t)(fuzz_u8(&b) % 3);
        int action = (int)(fuzz_u8(&b) % 18) - 1;
        uint32_t product = fuzz_u32(&b);
        pp_device device;
        int with_device = fuzz_u8(&b) & 1;
        if (with_device)
            fuzz_device(&b, &device);
        pp_authorization a;
        memset(&a, 0xA5, sizeof a);
        int rc = pp_authorize(&a, policy, team, &actor, action, product, with_device ? &device : NULL);
        check(&a, rc, action);
        if (with_device)
            check_operation(policy, team, &actor, action, product, &device);

        /* The scope table agrees with scope_grants. */
        for (size_t i = 0; pp_action_scope(action, i) != NULL; i++) {
            const char *scope = pp_action_scope(action, i);
            if (!pp_scope_grants(scope, strlen(scope), scope, strlen(scope)))
                fuzz_fail("scope_grants: a scope does not grant itself");
        }
        size_t g_len, r_len;
        const char *g = fuzz_str(&b, &g_len);
        const char *r = fuzz_str(&b, &r_len);
        int grants = pp_scope_grants(g, g_len, r, r_len);
        if (grants != 0 && grants != 1)
            fuzz_fail("scope_grants: not 0 or 1");
    }
    pp_team_free(team);
    return 0;
}
