/*
 * Fuzz target: operator authorization over structured inputs (actor, action,
 * product, optional device and run-time team) against the fixture policy.
 * Checks that the answer is always complete and fails closed, and that an
 * allowed action is explained by a role at least the minimum or a scope.
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
