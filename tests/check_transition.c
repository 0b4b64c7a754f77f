/*
 * Operator actions as transitions (pp_operate, docs/lifecycle.md): what each
 * one writes, that nothing pp_authorize refuses is ever applied, and how the
 * record's one Denied slot and one removal slot keep every block.
 */
#include <string.h>

#include "particlepolicy.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define S(x) (x), strlen(x)

static const char POLICY[] =
    "version: 1\n"
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: vera, role: view_only, two_step: true}\n"
    "      - {user: sam, role: support, two_step: true}\n"
    "      - {user: dev, role: developer, two_step: true}\n"
    "      - {user: adam, role: administrator, two_step: true}\n"
    "      - {user: olivia, role: owner, two_step: true}\n"
    "    api_users:\n"
    "      - {name: ci, scopes: ['devices:import', 'devices:remove', 'devices:update',\n"
    "                            'firmware:release']}\n"
    "      - {name: reader, scopes: ['devices:list']}\n"
    "products:\n"
    "  - {id: 100, name: Quarantine, organization: acme, family: bsom,\n"
    "     released_firmware: 5}\n"
    "  - {id: 200, name: Auto, organization: acme, family: bsom,\n"
    "     unrecognized_devices: auto_approve}\n"
    "  - {id: 300, name: Boron, organization: acme, family: boron}\n";

static pp_policy *policy;

static void setup(void)
{
    pp_error err;
    int rc = pp_policy_load(&policy, POLICY, strlen(POLICY), NULL, &err);
    ck_assert_msg(rc == PP_OK, "policy: %u:%u %s", err.line, err.column, err.message);
}

static void teardown(void)
{
    pp_policy_free(policy);
    policy = NULL;
}

#define ID "e00fce68a1b2c3d4e5f60718"

static pp_device device(uint32_t C, uint32_t D, uint32_t R, uint32_t Q)
{
    pp_device d;
    memset(&d, 0, sizeof d);
    d.id = ID;
    d.id_len = strlen(ID);
    d.device_os = "3.3.1";
    d.device_os_len = 5;
    d.owner = "customer@example.com";
    d.owner_len = strlen(d.owner);
    d.platform_id = 23;  /* B SoM */
    d.cloud_product_id = C;
    d.firmware_product_id = C ? C : 100;
    d.denied_in = D;
    d.removed_from = R;
    d.quarantined_in = Q;
    d.firmware_version = 3;
    return d;
}

static pp_actor human(const char *name)
{
    return (pp_actor){ name, strlen(name), PP_ACTOR_HUMAN };
}

/* Operate as dev (a developer) and expect it applied. */
static pp_device apply(int op, uint32_t product, pp_device d)
{
    pp_actor who = human("dev");
    pp_device next;
    pp_transition t;
    memset(&next, 0x5A, sizeof next);
    memset(&t, 0x5A, sizeof t);
    int rc = pp_operate(&next, &t, policy, NULL, &who, op, product, &d);
    ck_assert_int_eq(rc, PP_OK);
    ck_assert_msg(t.applied == 1 && t.refusal == PP_REFUSAL_NONE,
                  "%s in %u: refused %s (%s)", pp_operation_name(op), product,
                  pp_refusal_name(t.refusal), pp_authz_reason_name(t.authorization.reason));
    ck_assert_int_eq(t.error, PP_OK);
    ck_assert_int_eq(t.authorization.allowed, 1);
    ck_assert_ptr_eq(next.id, d.id);          /* strings are carried over */
    ck_assert_ptr_eq(next.device_os, d.device_os);
    return next;
}

#define LISTS(n, c, dn, r, q)                                                   \
    ck_assert_msg((n).cloud_product_id == (c) && (n).denied_in == (dn) &&       \
                  (n).removed_from == (r) && (n).quarantined_in == (q),         \
                  "C=%u D=%u R=%u Q=%u", (n).cloud_product_id, (n).denied_in,   \
                  (n).removed_from, (n).quarantined_in)

START_TEST(test_transition_each_operation)
{
    pp_device n;
    n = apply(PP_OPERATION_ADD_DEVICE, 100, device(0, 0, 100, 200));
    LISTS(n, 100, 0, 0, 200);  /* added back: the old removal no longer matters */
    n = apply(PP_OPERATION_APPROVE_QUARANTINED, 100, device(0, 0, 0, 100));
    LISTS(n, 100, 0, 0, 0);
    n = apply(PP_OPERATION_APPROVE_QUARANTINED, 100, device(300, 0, 0, 100));
    LISTS(n, 100, 0, 0, 0);    /* approving moves a member of another product */
    n = apply(PP_OPERATION_DENY_QUARANTINED, 100, device(0, 0, 0, 100));
    LISTS(n, 0, 100, 0, 0);
    n = apply(PP_OPERATION_REAPPROVE_DENIED, 100, device(0, 100, 100, 100));
    LISTS(n, 100, 0, 0, 0);
    pp_device dev = device(100, 0, 0, 100);
    dev.development = 1;
    n = apply(PP_OPERATION_REMOVE_DEVICE, 100, dev);
    LISTS(n, 0, 0, 100, 0);
    ck_assert_int_eq(n.development, 0);
    n = apply(PP_OPERATION_UNCLAIM_DEVICE, 100, device(100, 0, 0, 0));
    ck_assert_ptr_null(n.owner);
    ck_assert_uint_eq(n.owner_len, 0);
    n = apply(PP_OPERATION_MARK_DEVELOPMENT, 100, device(100, 0, 0, 0));
    ck_assert_int_eq(n.development, 1);
    n = apply(PP_OPERATION_UNMARK_DEVELOPMENT, 100, n);
    ck_assert_int_eq(n.development, 0);
    n = apply(PP_OPERATION_RELEASE_FIRMWARE, 100, device(100, 0, 0, 0));
    ck_assert_uint_eq(n.firmware_version, 5);
    ck_assert_uint_eq(n.firmware_product_id, 100);
    LISTS(n, 100, 0, 0, 0);
}
END_TEST

/* After an approval the device is admitted at its next reconnect. */
START_TEST(test_transition_approve_then_reconnect)
{
    pp_device n = apply(PP_OPERATION_APPROVE_QUARANTINED, 100, device(0, 0, 0, 100));
    pp_decision d;
    ck_assert_int_eq(pp_decide(&d, policy, NULL, &n), PP_OK);
    ck_assert_int_eq(d.rule, 7);
    ck_assert_uint_eq(d.privileges, PP_PRIVILEGES_ALL);
    ck_assert_uint_ne(d.advisories & PP_ADVISORY_OTA_UPDATE_PENDING, 0);
    n = apply(PP_OPERATION_RELEASE_FIRMWARE, 100, n);
    ck_assert_int_eq(pp_decide(&d, policy, NULL, &n), PP_OK);
    ck_assert_uint_eq(d.advisories & PP_ADVISORY_OTA_UPDATE_PENDING, 0);
}
END_TEST

START_TEST(test_transition_release_firmware_only_where_it_matters)
{
    pp_actor who = human("dev");
    pp_device d = device(100, 0, 0, 0), next;
    pp_transition t;
    d.firmware_version = 5;  /* already on it */
    ck_assert_int_eq(pp_operate(&next, &t, policy, NULL, &who,
                                PP_OPERATION_RELEASE_FIRMWARE, 100, &d), PP_OK);
    ck_assert_int_eq(t.applied, 0);
    ck_assert_int_eq(t.refusal, PP_REFUSAL_NO_UPDATE_PENDING);
    d.firmware_version = 3;
    d.development = 1;       /* ignores released firmware */
    pp_operate(&next, &t, policy, NULL, &who, PP_OPERATION_RELEASE_FIRMWARE, 100, &d);
    ck_assert_int_eq(t.refusal, PP_REFUSAL_NO_UPDATE_PENDING);
    d = device(200, 0, 0, 0);  /* product 200 has no released firmware */
    pp_operate(&next, &t, policy, NULL, &who, PP_OPERATION_RELEASE_FIRMWARE, 200, &d);
    ck_assert_int_eq(t.refusal, PP_REFUSAL_NO_UPDATE_PENDING);
    d = device(0, 0, 0, 100);  /* quarantined: no privileges, no update */
    pp_operate(&next, &t, policy, NULL, &who, PP_OPERATION_RELEASE_FIRMWARE, 100, &d);
    ck_assert_int_eq(t.refusal, PP_REFUSAL_NO_UPDATE_PENDING);
    ck_assert_uint_eq(next.firmware_version, 3);
    d.device_os = "3.3";     /* not about a device for pp_authorize, checked here */
    d.device_os_len = 3;
    ck_assert_int_eq(pp_operate(&next, &t, policy, NULL, &who,
                                PP_OPERATION_RELEASE_FIRMWARE, 100, &d), PP_ERR_DEVICE_OS);
    ck_assert_int_eq(t.refusal, PP_REFUSAL_INVALID_INPUT);
    ck_assert_int_eq(t.error, PP_ERR_DEVICE_OS);
}
END_TEST

/* Every operation x actor x device state: applied exactly when pp_authorize
 * allows it (and, for release_firmware, an update is pending). */
START_TEST(test_transition_applied_only_when_authorized)
{
    static const pp_actor actors[] = {
        { "vera", 4, PP_ACTOR_HUMAN }, { "sam", 3, PP_ACTOR_HUMAN },
        { "dev", 3, PP_ACTOR_HUMAN }, { "adam", 4, PP_ACTOR_HUMAN },
        { "olivia", 6, PP_ACTOR_HUMAN }, { "mallory", 7, PP_ACTOR_HUMAN },
        { "ci", 2, PP_ACTOR_API_USER }, { "reader", 6, PP_ACTOR_API_USER },
        { "dev", 3, PP_ACTOR_API_USER },
    };
    const pp_device states[] = {
        device(0, 0, 0, 0), device(100, 0, 0, 0), device(0, 0, 0, 100),
        device(0, 100, 0, 0), device(0, 0, 100, 0), device(300, 0, 0, 100),
    };
    static const uint32_t products[] = { 100, 200, 300, 999, 0 };
    int applied = 0, refused = 0;
    for (int op = 0; pp_operation_name(op) != NULL; op++)
        for (size_t a = 0; a < N(actors); a++)
            for (size_t s = 0; s < N(states); s++)
                for (size_t p = 0; p < N(products); p++) {
                    pp_authorization want;
                    pp_authorize(&want, policy, NULL, &actors[a], pp_operation_action(op),
                                 products[p], &states[s]);
                    pp_device next;
                    pp_transition t;
                    ck_assert_int_eq(pp_operate(&next, &t, policy, NULL, &actors[a], op,
                                                products[p], &states[s]), PP_OK);
                    ck_assert_int_eq(t.authorization.allowed, want.allowed);
                    ck_assert_int_eq(t.authorization.reason, want.reason);
                    if (!want.allowed) {
                        ck_assert_int_eq(t.applied, 0);
                        ck_assert_int_eq(t.refusal, PP_REFUSAL_NOT_AUTHORIZED);
                        ck_assert(memcmp(&next, &states[s], sizeof next) == 0);
                        refused++;
                    } else {
                        ck_assert(t.applied || t.refusal == PP_REFUSAL_NO_UPDATE_PENDING);
                        applied += t.applied;
                    }
                }
    ck_assert_int_gt(applied, 50);
    ck_assert_int_gt(refused, 1000);
}
END_TEST

START_TEST(test_transition_refuses_invalid_input)
{
    pp_actor who = human("dev");
    pp_device d = device(0, 0, 0, 100), next;
    pp_transition t;
    memset(&t, 0x5A, sizeof t);
    ck_assert_int_eq(pp_operate(&next, &t, policy, NULL, &who, 9, 100, &d),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(t.applied, 0);
    ck_assert_int_eq(t.refusal, PP_REFUSAL_INVALID_INPUT);
    ck_assert_int_eq(t.error, PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(t.authorization.allowed, 0);
    ck_assert_int_eq(t.authorization.reason, PP_AUTHZ_INVALID_INPUT);
    ck_assert(memcmp(&next, &d, sizeof d) == 0);
    ck_assert_int_eq(pp_operate(&next, &t, policy, NULL, &who, -1, 100, &d),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_operate(NULL, &t, policy, NULL, &who, 1, 100, &d),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(t.refusal, PP_REFUSAL_INVALID_INPUT);
    ck_assert_int_eq(pp_operate(&next, &t, policy, NULL, &who, 1, 100, NULL),
                     PP_ERR_INVALID_ARGUMENT);
    memset(&next, 0x5A, sizeof next);
    ck_assert_int_eq(pp_operate(&next, NULL, policy, NULL, &who, 1, 100, &d),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert(memcmp(&next, &d, sizeof d) == 0);
    ck_assert_int_eq(pp_operate(&next, &t, NULL, NULL, &who, 1, 100, &d),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_operate(&next, &t, policy, NULL, NULL, 1, 100, &d),
                     PP_ERR_INVALID_ARGUMENT);
    pp_actor bad = { "", 0, PP_ACTOR_HUMAN };
    ck_assert_int_eq(pp_operate(&next, &t, policy, NULL, &bad, 1, 100, &d),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(t.applied, 0);
    d.id_len = 5;  /* an invalid record is never changed */
    ck_assert_int_eq(pp_operate(&next, &t, policy, NULL, &who, 1, 100, &d),
                     PP_ERR_DEVICE_ID);
    ck_assert_int_eq(t.refusal, PP_REFUSAL_INVALID_INPUT);
    ck_assert_int_eq(t.error, PP_ERR_DEVICE_ID);
    ck_assert(memcmp(&next, &d, sizeof d) == 0);
}
END_TEST

/* Denying in 100 a device already on 300's Denied list: 300's block is kept
 * as a removal, so the device stays out of both. */
START_TEST(test_transition_blocks_move_to_the_free_slot)
{
    pp_device n = apply(PP_OPERATION_DENY_QUARANTINED, 100, device(0, 300, 0, 100));
    LISTS(n, 0, 100, 300, 0);
    /* Removing from 100 a device removed from 300 earlier: 300's removal
     * becomes 300's Denied entry. */
    n = apply(PP_OPERATION_REMOVE_DEVICE, 100, device(100, 0, 300, 0));
    LISTS(n, 0, 300, 100, 0);
    /* Already blocked in 300 by both: nothing to move. */
    n = apply(PP_OPERATION_REMOVE_DEVICE, 100, device(100, 300, 300, 0));
    LISTS(n, 0, 300, 100, 0);
    /* A product the policy does not hold is given up first. */
    n = apply(PP_OPERATION_REMOVE_DEVICE, 100, device(100, 0, 999, 0));
    LISTS(n, 0, 0, 100, 0);
    n = apply(PP_OPERATION_REMOVE_DEVICE, 100, device(100, 999, 300, 0));
    LISTS(n, 0, 300, 100, 0);
    /* Both slots hold other products of the policy: the older removal goes. */
    n = apply(PP_OPERATION_REMOVE_DEVICE, 100, device(100, 200, 300, 0));
    LISTS(n, 0, 200, 100, 0);
    /* Denied in 300 and removed from 100: 100's denial takes the Denied
     * slot, 300's denial the removal slot (found by the lifecycle explorer). */
    n = apply(PP_OPERATION_DENY_QUARANTINED, 100, device(0, 300, 100, 100));
    LISTS(n, 0, 100, 300, 0);
    /* A member of 300 on 300's Denied list (a contradictory record): moving
     * that entry to the removal slot would admit it (a removal ends when the
     * device is listed), so 100's denial is kept as a removal instead. */
    n = apply(PP_OPERATION_DENY_QUARANTINED, 100, device(300, 300, 0, 100));
    LISTS(n, 300, 300, 100, 0);
    /* Either way the device is blocked where it was. */
    pp_decision d;
    n = apply(PP_OPERATION_DENY_QUARANTINED, 100, device(0, 300, 0, 100));
    n.firmware_product_id = 300;
    n.platform_id = 13;  /* a Boron, for product 300 */
    pp_decide(&d, policy, NULL, &n);
    ck_assert_int_eq(d.rule, 9);
    ck_assert_uint_eq(d.privileges, 0);
}
END_TEST

START_TEST(test_transition_names)
{
    static const char *const ops[] = {
        "add_device", "approve_quarantined", "deny_quarantined", "reapprove_denied",
        "remove_device", "unclaim_device", "mark_development", "unmark_development",
        "release_firmware",
    };
    static const int actions[] = {
        PP_ACTION_ADD_DEVICE, PP_ACTION_APPROVE_QUARANTINED, PP_ACTION_DENY_QUARANTINED,
        PP_ACTION_REAPPROVE_DENIED, PP_ACTION_REMOVE_DEVICE, PP_ACTION_UNCLAIM_DEVICE,
        PP_ACTION_MARK_DEVELOPMENT, PP_ACTION_MARK_DEVELOPMENT, PP_ACTION_RELEASE_FIRMWARE,
    };
    for (int i = 0; i < (int)N(ops); i++) {
        ck_assert_str_eq(pp_operation_name(i), ops[i]);
        ck_assert_int_eq(pp_operation_from_name(S(ops[i])), i);
        ck_assert_int_eq(pp_operation_action(i), actions[i]);
    }
    ck_assert_ptr_null(pp_operation_name((int)N(ops)));
    ck_assert_int_eq(pp_operation_action((int)N(ops)), -1);
    ck_assert_int_eq(pp_operation_action(-1), -1);
    ck_assert_int_eq(pp_operation_from_name(S("flash_device")), -1);
    static const char *const refusals[] = { "none", "invalid_input", "not_authorized",
                                            "no_update_pending" };
    for (int i = 0; i < (int)N(refusals); i++) {
        ck_assert_str_eq(pp_refusal_name(i), refusals[i]);
        ck_assert_int_eq(pp_refusal_from_name(S(refusals[i])), i);
    }
    ck_assert_ptr_null(pp_refusal_name((int)N(refusals)));
    ck_assert_int_eq(pp_refusal_from_name(S("nope")), -1);
}
END_TEST

Suite *transition_suite(void)
{
    Suite *s = suite_create("transition");
    TCase *tc = tcase_create("transition");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_transition_each_operation);
    tcase_add_test(tc, test_transition_approve_then_reconnect);
    tcase_add_test(tc, test_transition_release_firmware_only_where_it_matters);
    tcase_add_test(tc, test_transition_applied_only_when_authorized);
    tcase_add_test(tc, test_transition_refuses_invalid_input);
    tcase_add_test(tc, test_transition_blocks_move_to_the_free_slot);
    tcase_add_test(tc, test_transition_names);
    suite_add_tcase(s, tc);
    return s;
}
