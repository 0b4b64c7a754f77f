/*
 * Operator authorization (docs/spec.md §4).  The role x action grid and the
 * scope lists below are copied from that section's table, not from
 * lib/authorize.c, so
 * the two are checked against each other cell by cell.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
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
    "      - {name: 'only devices:list', scopes: ['devices:list']}\n"
    "      - {name: 'only devices:get', scopes: ['devices:get']}\n"
    "      - {name: 'only devices.function:call', scopes: ['devices.function:call']}\n"
    "      - {name: 'only sims:update', scopes: ['sims:update']}\n"
    "      - {name: 'only devices:import', scopes: ['devices:import']}\n"
    "      - {name: 'only devices:remove', scopes: ['devices:remove']}\n"
    "      - {name: 'only devices:update', scopes: ['devices:update']}\n"
    "      - {name: 'only firmware:release', scopes: ['firmware:release']}\n"
    "      - {name: 'only integrations:create', scopes: ['integrations:create']}\n"
    "      - {name: 'only integrations:update', scopes: ['integrations:update']}\n"
    "      - {name: 'only teams.users:*', scopes: ['teams.users:*']}\n"
    "      - {name: 'only configuration:update', scopes: ['configuration:update']}\n"
    "      - {name: devices-wildcard, scopes: ['devices:*']}\n"
    "      - {name: team-inviter, scopes: ['teams.users:invite']}\n"
    "      - {name: unrelated, scopes: ['customers:list']}\n"
    "  - name: globex\n"
    "    members:\n"
    "      - {user: gina, role: owner, two_step: true}\n"
    "products:\n"
    "  - {id: 100, name: Acme B SoM, organization: acme, family: bsom,\n"
    "     released_firmware: 5}\n"
    "  - id: 200\n"
    "    name: Acme Tracker\n"
    "    organization: acme\n"
    "    family: tracker\n"
    "    team:\n"
    "      - {user: pat, role: developer, two_step: true}\n"
    "      - {user: vera, role: administrator, two_step: true}\n"
    "  - {id: 300, name: Globex Boron, organization: globex, family: boron}\n"
    "  - {id: 400, name: No Organization, family: p2}\n";

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

static pp_actor human(const char *name)
{
    return (pp_actor){ name, strlen(name), PP_ACTOR_HUMAN };
}

static pp_actor api(const char *name)
{
    return (pp_actor){ name, strlen(name), PP_ACTOR_API_USER };
}

static pp_authorization ask(const pp_team *team, pp_actor a, int action, uint32_t product,
                            const pp_device *d)
{
    pp_authorization out;
    memset(&out, 0x5A, sizeof out);
    int rc = pp_authorize(&out, policy, team, &a, action, product, d);
    ck_assert_int_eq(rc, PP_OK);
    ck_assert_int_eq(out.error, PP_OK);
    return out;
}

/* ---- docs/spec.md §4 table: every role x action cell ---- */

static const char *const role_users[5] = { "vera", "sam", "dev", "adam", "olivia" };

static const struct {
    int action;
    int cells[5];  /* view_only, support, developer, administrator, owner */
} grid[] = {
    { PP_ACTION_VIEW_DEVICES, { 1, 1, 1, 1, 1 } },
    { PP_ACTION_CALL_FUNCTION, { 0, 1, 1, 1, 1 } },
    { PP_ACTION_CHANGE_SIM, { 0, 1, 1, 1, 1 } },
    { PP_ACTION_ADD_DEVICE, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_APPROVE_QUARANTINED, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_REAPPROVE_DENIED, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_DENY_QUARANTINED, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_REMOVE_DEVICE, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_UNCLAIM_DEVICE, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_MARK_DEVELOPMENT, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_FLASH_DEVICE, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_RELEASE_FIRMWARE, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_MANAGE_INTEGRATIONS, { 0, 0, 1, 1, 1 } },
    { PP_ACTION_MANAGE_TEAM, { 0, 0, 0, 1, 1 } },
    { PP_ACTION_CHANGE_SETTINGS, { 0, 0, 0, 1, 1 } },
    { PP_ACTION_BILLING, { 0, 0, 0, 0, 1 } },
};

/* Loop index = row * 5 + role: one test per cell. */
START_TEST(test_authorize_role_action_cell_matches_spec_table)
{
    ck_assert_uint_eq(N(grid), 16);
    int row = _i / 5, role = _i % 5;
    int action = grid[row].action;
    pp_authorization a = ask(NULL, human(role_users[role]), action, 100, NULL);
    ck_assert_msg(a.allowed == grid[row].cells[role], "%s by %s: allowed=%d",
                  pp_action_name(action), pp_role_name(role), a.allowed);
    ck_assert_int_eq(a.reason, grid[row].cells[role] ? PP_AUTHZ_GRANTED_BY_ROLE
                                                     : PP_AUTHZ_ROLE_INSUFFICIENT);
    ck_assert_int_eq(a.role, role);
    ck_assert_int_eq(a.device_state, -1);
    ck_assert_int_eq(a.ota_update_pending, 0);
    /* The least role with a y in the row is the one reported as required. */
    int least = 0;
    while (!grid[row].cells[least])
        least++;
    ck_assert_int_eq(a.required_role, least);
    ck_assert_int_eq(pp_action_min_role(action), least);
}
END_TEST

/* ---- API users: each scope alone, against each action ---- */

static const char *const single_scopes[] = {
    "devices:list", "devices:get", "devices.function:call", "sims:update",
    "devices:import", "devices:remove", "devices:update", "firmware:release",
    "integrations:create", "integrations:update", "teams.users:*",
    "configuration:update",
};

/* The API scope column of docs/spec.md §4; NULL-terminated. */
static const struct {
    int action;
    const char *scopes[3];
} scope_column[] = {
    { PP_ACTION_VIEW_DEVICES, { "devices:list", "devices:get", NULL } },
    { PP_ACTION_CALL_FUNCTION, { "devices.function:call", NULL, NULL } },
    { PP_ACTION_CHANGE_SIM, { "sims:update", NULL, NULL } },
    { PP_ACTION_ADD_DEVICE, { "devices:import", NULL, NULL } },
    { PP_ACTION_APPROVE_QUARANTINED, { "devices:import", NULL, NULL } },
    { PP_ACTION_REAPPROVE_DENIED, { "devices:import", NULL, NULL } },
    { PP_ACTION_DENY_QUARANTINED, { "devices:remove", NULL, NULL } },
    { PP_ACTION_REMOVE_DEVICE, { "devices:remove", NULL, NULL } },
    { PP_ACTION_UNCLAIM_DEVICE, { "devices:remove", NULL, NULL } },
    { PP_ACTION_MARK_DEVELOPMENT, { "devices:update", NULL, NULL } },
    { PP_ACTION_FLASH_DEVICE, { "devices:update", NULL, NULL } },
    { PP_ACTION_RELEASE_FIRMWARE, { "firmware:release", NULL, NULL } },
    { PP_ACTION_MANAGE_INTEGRATIONS, { "integrations:create", "integrations:update", NULL } },
    { PP_ACTION_MANAGE_TEAM, { "teams.users:*", NULL, NULL } },
    { PP_ACTION_CHANGE_SETTINGS, { "configuration:update", NULL, NULL } },
    { PP_ACTION_BILLING, { NULL, NULL, NULL } },
};

/* Loop index = row * 12 + scope. */
START_TEST(test_authorize_api_user_gets_exactly_its_scope)
{
    ck_assert_uint_eq(N(scope_column), 16);
    int row = _i / (int)N(single_scopes);
    const char *scope = single_scopes[_i % (int)N(single_scopes)];
    int action = scope_column[row].action;
    bool grants = false;
    for (int k = 0; scope_column[row].scopes[k] != NULL; k++)
        grants |= strcmp(scope_column[row].scopes[k], scope) == 0;
    char name[64];
    snprintf(name, sizeof name, "only %s", scope);
    pp_authorization a = ask(NULL, api(name), action, 100, NULL);
    ck_assert_msg(a.allowed == grants, "%s with %s: allowed=%d", pp_action_name(action),
                  scope, a.allowed);
    int want = grants ? PP_AUTHZ_GRANTED_BY_SCOPE
             : action == PP_ACTION_BILLING ? PP_AUTHZ_NOT_FOR_API_USERS
                                           : PP_AUTHZ_SCOPE_MISSING;
    ck_assert_int_eq(a.reason, want);
    ck_assert_int_eq(a.role, -1); /* never a role */
    /* The first scope of that column is the one reported. */
    if (scope_column[row].scopes[0] == NULL)
        ck_assert_ptr_null(a.required_scope);
    else
        ck_assert_str_eq(a.required_scope, scope_column[row].scopes[0]);
    for (size_t k = 0; k < 3; k++) {
        const char *s = pp_action_scope(action, k);
        if (scope_column[row].scopes[k] == NULL)
            ck_assert_ptr_null(s);
        else
            ck_assert_str_eq(s, scope_column[row].scopes[k]);
    }
}
END_TEST

START_TEST(test_authorize_verb_wildcard_grants_every_verb_of_one_resource)
{
    pp_actor w = api("devices-wildcard");
    ck_assert_int_eq(ask(NULL, w, PP_ACTION_ADD_DEVICE, 100, NULL).allowed, 1);
    ck_assert_int_eq(ask(NULL, w, PP_ACTION_REMOVE_DEVICE, 100, NULL).allowed, 1);
    ck_assert_int_eq(ask(NULL, w, PP_ACTION_VIEW_DEVICES, 100, NULL).allowed, 1);
    /* devices.function is another resource than devices. */
    pp_authorization a = ask(NULL, w, PP_ACTION_CALL_FUNCTION, 100, NULL);
    ck_assert_int_eq(a.allowed, 0);
    ck_assert_int_eq(a.reason, PP_AUTHZ_SCOPE_MISSING);
    /* One verb of teams.users is not the whole team API. */
    a = ask(NULL, api("team-inviter"), PP_ACTION_MANAGE_TEAM, 100, NULL);
    ck_assert_int_eq(a.reason, PP_AUTHZ_SCOPE_MISSING);
}
END_TEST

START_TEST(test_scope_grants_exact_or_verb_wildcard_only)
{
    static const struct {
        const char *granted, *required;
        int want;
    } rows[] = {
        { "devices:import", "devices:import", 1 },
        { "devices:import", "devices:remove", 0 },
        { "devices:*", "devices:import", 1 },
        { "teams.users:*", "teams.users:invite", 1 },
        { "teams.users:*", "teams.users:*", 1 },
        { "teams:*", "teams.users:invite", 0 },
        { "devices:*", "devices.function:call", 0 },
        { "devices:*", "devices:", 0 },
        { "devices:import", "devices:*", 0 },
        { "*", "devices:import", 0 },
        { "devices:impor", "devices:import", 0 },
    };
    for (size_t i = 0; i < N(rows); i++)
        ck_assert_msg(pp_scope_grants(S(rows[i].granted), S(rows[i].required)) == rows[i].want,
                      "%s grants %s", rows[i].granted, rows[i].required);
    ck_assert_int_eq(pp_scope_grants(NULL, 0, S("devices:import")), 0);
}
END_TEST

/* ---- who is on the team ---- */

START_TEST(test_authorize_organization_role_applies_to_every_product)
{
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_FLASH_DEVICE, 100, NULL).allowed, 1);
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_FLASH_DEVICE, 200, NULL).allowed, 1);
    pp_authorization a = ask(NULL, human("dev"), PP_ACTION_VIEW_DEVICES, 300, NULL);
    ck_assert_int_eq(a.allowed, 0);
    ck_assert_int_eq(a.reason, PP_AUTHZ_NOT_A_TEAM_MEMBER);
    ck_assert_int_eq(a.role, -1);
}
END_TEST

START_TEST(test_authorize_product_team_member_acts_on_that_product_only)
{
    pp_authorization a = ask(NULL, human("pat"), PP_ACTION_APPROVE_QUARANTINED, 200, NULL);
    ck_assert_int_eq(a.allowed, 1);
    ck_assert_int_eq(a.role, PP_ROLE_DEVELOPER);
    a = ask(NULL, human("pat"), PP_ACTION_VIEW_DEVICES, 100, NULL);
    ck_assert_int_eq(a.reason, PP_AUTHZ_NOT_A_TEAM_MEMBER);
}
END_TEST

START_TEST(test_authorize_largest_of_organization_and_product_role_wins)
{
    /* vera: view_only in acme, administrator on product 200's own team. */
    pp_authorization a = ask(NULL, human("vera"), PP_ACTION_MANAGE_TEAM, 200, NULL);
    ck_assert_int_eq(a.allowed, 1);
    ck_assert_int_eq(a.role, PP_ROLE_ADMINISTRATOR);
    a = ask(NULL, human("vera"), PP_ACTION_MANAGE_TEAM, 100, NULL);
    ck_assert_int_eq(a.reason, PP_AUTHZ_ROLE_INSUFFICIENT);
}
END_TEST

START_TEST(test_authorize_names_match_only_their_own_kind)
{
    /* An API user's name used as a person, and a person's as an API user. */
    pp_authorization a = ask(NULL, human("only devices:import"), PP_ACTION_ADD_DEVICE, 100, NULL);
    ck_assert_int_eq(a.reason, PP_AUTHZ_NOT_A_TEAM_MEMBER);
    a = ask(NULL, api("olivia"), PP_ACTION_VIEW_DEVICES, 100, NULL);
    ck_assert_int_eq(a.reason, PP_AUTHZ_NOT_A_TEAM_MEMBER);
    /* API users of one organization do not act on another's products. */
    a = ask(NULL, api("only devices:list"), PP_ACTION_VIEW_DEVICES, 300, NULL);
    ck_assert_int_eq(a.reason, PP_AUTHZ_NOT_A_TEAM_MEMBER);
    /* Names are exact: case matters. */
    a = ask(NULL, human("Olivia"), PP_ACTION_VIEW_DEVICES, 100, NULL);
    ck_assert_int_eq(a.reason, PP_AUTHZ_NOT_A_TEAM_MEMBER);
}
END_TEST

START_TEST(test_authorize_unknown_product_is_denied)
{
    pp_authorization a = ask(NULL, human("olivia"), PP_ACTION_VIEW_DEVICES, 999, NULL);
    ck_assert_int_eq(a.allowed, 0);
    ck_assert_int_eq(a.reason, PP_AUTHZ_UNKNOWN_PRODUCT);
    a = ask(NULL, human("olivia"), PP_ACTION_VIEW_DEVICES, 0, NULL);
    ck_assert_int_eq(a.reason, PP_AUTHZ_UNKNOWN_PRODUCT);
    /* A product without an organization has only its own team (none here). */
    a = ask(NULL, human("olivia"), PP_ACTION_VIEW_DEVICES, 400, NULL);
    ck_assert_int_eq(a.reason, PP_AUTHZ_NOT_A_TEAM_MEMBER);
}
END_TEST

START_TEST(test_authorize_runtime_team_set_counts_like_the_policy)
{
    pp_team *t = NULL;
    ck_assert_int_eq(pp_team_new(&t, NULL), PP_OK);
    char name[32];
    /* A large organization: lookups stay hash lookups. */
    for (int i = 0; i < 50000; i++) {
        snprintf(name, sizeof name, "user%d", i);
        ck_assert_int_eq(pp_team_add(t, S("acme"), S(name), (pp_role)(i % 5)), PP_OK);
    }
    ck_assert_int_eq(pp_team_add(t, S("acme"), S("ted"), PP_ROLE_ADMINISTRATOR), PP_OK);
    ck_assert_int_eq(pp_team_add(t, S("acme"), S("sam"), PP_ROLE_DEVELOPER), PP_OK);
    ck_assert_int_eq(pp_team_add(t, S("globex"), S("ursula"), PP_ROLE_OWNER), PP_OK);

    ck_assert_int_eq(ask(NULL, human("ted"), PP_ACTION_MANAGE_TEAM, 100, NULL).reason,
                     PP_AUTHZ_NOT_A_TEAM_MEMBER);
    pp_authorization a = ask(t, human("ted"), PP_ACTION_MANAGE_TEAM, 100, NULL);
    ck_assert_int_eq(a.allowed, 1);
    ck_assert_int_eq(a.role, PP_ROLE_ADMINISTRATOR);
    /* sam: support in the policy, developer in the team set: the larger. */
    a = ask(t, human("sam"), PP_ACTION_FLASH_DEVICE, 100, NULL);
    ck_assert_int_eq(a.allowed, 1);
    ck_assert_int_eq(a.role, PP_ROLE_DEVELOPER);
    /* The set's organization must be the product's. */
    ck_assert_int_eq(ask(t, human("ursula"), PP_ACTION_VIEW_DEVICES, 100, NULL).reason,
                     PP_AUTHZ_NOT_A_TEAM_MEMBER);
    ck_assert_int_eq(ask(t, human("ursula"), PP_ACTION_BILLING, 300, NULL).allowed, 1);
    for (int i = 0; i < 50000; i += 4999) {
        snprintf(name, sizeof name, "user%d", i);
        a = ask(t, human(name), PP_ACTION_CALL_FUNCTION, 100, NULL);
        ck_assert_int_eq(a.role, i % 5);
        ck_assert_int_eq(a.allowed, i % 5 >= PP_ROLE_SUPPORT);
    }
    /* Team sets never make API users. */
    ck_assert_int_eq(ask(t, api("ted"), PP_ACTION_VIEW_DEVICES, 100, NULL).reason,
                     PP_AUTHZ_NOT_A_TEAM_MEMBER);
    pp_team_free(t);
}
END_TEST

/* ---- the device's state and platform ---- */

static pp_device bsom(uint32_t cloud, uint32_t quarantined, uint32_t denied)
{
    pp_device d;
    memset(&d, 0, sizeof d);
    d.id = "e00fce681f2ab2c3d4e5f6a7";
    d.id_len = 24;
    d.device_os = "3.3.1";
    d.device_os_len = 5;
    d.platform_id = 23;
    d.firmware_product_id = 100;
    d.firmware_version = 3;
    d.cloud_product_id = cloud;
    d.quarantined_in = quarantined;
    d.denied_in = denied;
    return d;
}

static const struct {
    const char *name;
    int action;
    uint32_t cloud, quarantined, denied;
    int state;
    int allowed;
} state_rows[] = {
    { "approve a quarantined device", PP_ACTION_APPROVE_QUARANTINED, 0, 100, 0, PP_DEVICE_STATE_QUARANTINED, 1 },
    { "approve a member", PP_ACTION_APPROVE_QUARANTINED, 100, 0, 0, PP_DEVICE_STATE_MEMBER, 0 },
    { "approve a denied device", PP_ACTION_APPROVE_QUARANTINED, 0, 0, 100, PP_DEVICE_STATE_DENIED, 0 },
    { "approve a device quarantined elsewhere", PP_ACTION_APPROVE_QUARANTINED, 0, 300, 0, PP_DEVICE_STATE_NONE, 0 },
    { "re-approve a denied device", PP_ACTION_REAPPROVE_DENIED, 0, 0, 100, PP_DEVICE_STATE_DENIED, 1 },
    { "re-approve a quarantined device", PP_ACTION_REAPPROVE_DENIED, 0, 100, 0, PP_DEVICE_STATE_QUARANTINED, 0 },
    { "deny a quarantined device", PP_ACTION_DENY_QUARANTINED, 0, 100, 0, PP_DEVICE_STATE_QUARANTINED, 1 },
    { "deny a member", PP_ACTION_DENY_QUARANTINED, 100, 0, 0, PP_DEVICE_STATE_MEMBER, 0 },
    { "add a new device", PP_ACTION_ADD_DEVICE, 0, 0, 0, PP_DEVICE_STATE_NONE, 1 },
    { "add a member again", PP_ACTION_ADD_DEVICE, 100, 0, 0, PP_DEVICE_STATE_MEMBER, 0 },
    { "remove a member", PP_ACTION_REMOVE_DEVICE, 100, 0, 0, PP_DEVICE_STATE_MEMBER, 1 },
    { "remove a stranger", PP_ACTION_REMOVE_DEVICE, 0, 0, 0, PP_DEVICE_STATE_NONE, 0 },
    { "flash a member", PP_ACTION_FLASH_DEVICE, 100, 0, 0, PP_DEVICE_STATE_MEMBER, 1 },
    { "flash a quarantined device", PP_ACTION_FLASH_DEVICE, 0, 100, 0, PP_DEVICE_STATE_QUARANTINED, 0 },
    { "call a function on a denied device", PP_ACTION_CALL_FUNCTION, 0, 0, 100, PP_DEVICE_STATE_DENIED, 0 },
    { "view a quarantined device", PP_ACTION_VIEW_DEVICES, 0, 100, 0, PP_DEVICE_STATE_QUARANTINED, 1 },
    { "view a denied device", PP_ACTION_VIEW_DEVICES, 0, 0, 100, PP_DEVICE_STATE_DENIED, 1 },
    { "view a stranger", PP_ACTION_VIEW_DEVICES, 0, 0, 0, PP_DEVICE_STATE_NONE, 0 },
    { "member on the denied list too", PP_ACTION_FLASH_DEVICE, 100, 0, 100, PP_DEVICE_STATE_DENIED, 0 },
    { "unclaim a member", PP_ACTION_UNCLAIM_DEVICE, 100, 0, 0, PP_DEVICE_STATE_MEMBER, 1 },
    { "mark a member development", PP_ACTION_MARK_DEVELOPMENT, 100, 0, 0, PP_DEVICE_STATE_MEMBER, 1 },
    { "change a member's SIM", PP_ACTION_CHANGE_SIM, 100, 0, 0, PP_DEVICE_STATE_MEMBER, 1 },
};

START_TEST(test_authorize_action_fits_device_state)
{
    pp_device d = bsom(state_rows[_i].cloud, state_rows[_i].quarantined, state_rows[_i].denied);
    pp_authorization a = ask(NULL, human("olivia"), state_rows[_i].action, 100, &d);
    ck_assert_msg(a.allowed == state_rows[_i].allowed, "%s: allowed=%d", state_rows[_i].name,
                  a.allowed);
    ck_assert_int_eq(a.device_state, state_rows[_i].state);
    ck_assert_int_eq(a.reason, state_rows[_i].allowed ? PP_AUTHZ_GRANTED_BY_ROLE
                                                      : PP_AUTHZ_WRONG_DEVICE_STATE);
}
END_TEST

START_TEST(test_authorize_role_is_checked_before_device_state)
{
    pp_device d = bsom(100, 0, 0);
    pp_authorization a = ask(NULL, human("vera"), PP_ACTION_APPROVE_QUARANTINED, 100, &d);
    ck_assert_int_eq(a.reason, PP_AUTHZ_ROLE_INSUFFICIENT);
    ck_assert_int_eq(a.device_state, -1);
}
END_TEST

START_TEST(test_authorize_approval_needs_a_platform_of_the_product_family)
{
    pp_device d = bsom(0, 100, 0);
    d.platform_id = 13; /* boron: not with B SoM */
    pp_authorization a = ask(NULL, human("dev"), PP_ACTION_APPROVE_QUARANTINED, 100, &d);
    ck_assert_int_eq(a.allowed, 0);
    ck_assert_int_eq(a.reason, PP_AUTHZ_INCOMPATIBLE_PLATFORM);
    ck_assert_int_eq(a.ota_update_pending, 0);
    d = bsom(0, 0, 0);
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_ADD_DEVICE, 100, &d).allowed, 1);
    d.platform_id = 14; /* xenon: no product may hold it */
    a = ask(NULL, human("dev"), PP_ACTION_ADD_DEVICE, 100, &d);
    ck_assert_int_eq(a.reason, PP_AUTHZ_PLATFORM_NOT_PRODUCT_ELIGIBLE);
    /* Checked against the product acted on, not the firmware's product. */
    d = bsom(0, 0, 100);
    d.firmware_product_id = 300;
    a = ask(NULL, human("dev"), PP_ACTION_REAPPROVE_DENIED, 100, &d);
    ck_assert_int_eq(a.allowed, 1);
    /* Actions that only remove or inspect do not check the platform. */
    d = bsom(0, 100, 0);
    d.platform_id = 13;
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_DENY_QUARANTINED, 100, &d).allowed, 1);
}
END_TEST

START_TEST(test_authorize_sku_required_when_only_a_sku_could_tell)
{
    static const char text[] =
        "version: 1\n"
        "organizations:\n"
        "  - {name: o, members: [{user: u, role: developer}]}\n"
        "products:\n"
        "  - {id: 7, name: P2 Product, organization: o, family: p2}\n";
    pp_policy *p = NULL;
    ck_assert_int_eq(pp_policy_load(&p, text, strlen(text), NULL, NULL), PP_OK);
    pp_device d = bsom(0, 7, 0);
    d.platform_id = 32;
    pp_actor u = human("u");
    pp_authorization a;
    ck_assert_int_eq(pp_authorize(&a, p, NULL, &u, PP_ACTION_APPROVE_QUARANTINED, 7, &d), PP_OK);
    ck_assert_int_eq(a.reason, PP_AUTHZ_SKU_REQUIRED);
    d.sku = "P2MOD10";
    d.sku_len = 7;
    ck_assert_int_eq(pp_authorize(&a, p, NULL, &u, PP_ACTION_APPROVE_QUARANTINED, 7, &d), PP_OK);
    ck_assert_int_eq(a.allowed, 1);
    d.sku = "PHN2MEA";
    ck_assert_int_eq(pp_authorize(&a, p, NULL, &u, PP_ACTION_APPROVE_QUARANTINED, 7, &d), PP_OK);
    ck_assert_int_eq(a.reason, PP_AUTHZ_INCOMPATIBLE_PLATFORM);
    pp_policy_free(p);
}
END_TEST

START_TEST(test_authorize_approval_reports_immediate_firmware_update)
{
    /* Product 100 releases firmware 5; the device runs 3. */
    pp_device d = bsom(0, 100, 0);
    pp_authorization a = ask(NULL, human("dev"), PP_ACTION_APPROVE_QUARANTINED, 100, &d);
    ck_assert_int_eq(a.allowed, 1);
    ck_assert_int_eq(a.ota_update_pending, 1);
    a = ask(NULL, api("only devices:import"), PP_ACTION_APPROVE_QUARANTINED, 100, &d);
    ck_assert_int_eq(a.reason, PP_AUTHZ_GRANTED_BY_SCOPE);
    ck_assert_int_eq(a.ota_update_pending, 1);
    d.firmware_version = 5;
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_APPROVE_QUARANTINED, 100, &d).ota_update_pending, 0);
    d.firmware_version = 3;
    d.development = 1;
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_APPROVE_QUARANTINED, 100, &d).ota_update_pending, 0);
    /* Re-approving a denied device and adding a new one admit it too. */
    d = bsom(0, 0, 100);
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_REAPPROVE_DENIED, 100, &d).ota_update_pending, 1);
    d = bsom(0, 0, 0);
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_ADD_DEVICE, 100, &d).ota_update_pending, 1);
    /* No released firmware on product 200: nothing pending. */
    d = bsom(0, 200, 0);
    d.platform_id = 26;
    d.firmware_product_id = 200;
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_APPROVE_QUARANTINED, 200, &d).ota_update_pending, 0);
    /* Denying is not an approval. */
    d = bsom(0, 100, 0);
    ck_assert_int_eq(ask(NULL, human("dev"), PP_ACTION_DENY_QUARANTINED, 100, &d).ota_update_pending, 0);
}
END_TEST

START_TEST(test_authorize_device_record_ignored_for_product_actions)
{
    pp_device junk;
    memset(&junk, 0, sizeof junk);  /* invalid: no ID, no Device OS */
    pp_authorization a = ask(NULL, human("dev"), PP_ACTION_RELEASE_FIRMWARE, 100, &junk);
    ck_assert_int_eq(a.allowed, 1);
    ck_assert_int_eq(a.device_state, -1);
}
END_TEST

/* ---- failing closed ---- */

START_TEST(test_authorize_invalid_input_denies_with_error)
{
    pp_authorization a;
    pp_actor ok = human("olivia");
    pp_actor empty = { "", 0, PP_ACTOR_HUMAN };
    pp_actor control = { "oli\nvia", 7, PP_ACTOR_HUMAN };
    pp_actor no_name = { NULL, 0, PP_ACTOR_HUMAN };
    pp_actor bad_kind = { "olivia", 6, 2 };
    pp_device bad = bsom(100, 0, 0);
    bad.id = "not-a-device-id";
    bad.id_len = strlen(bad.id);
    pp_device bad_os = bsom(100, 0, 0);
    bad_os.device_os = "3.3";
    bad_os.device_os_len = 3;
    const struct {
        const pp_policy *p;
        const pp_actor *actor;
        int action;
        const pp_device *d;
        int want;
    } rows[] = {
        { NULL, &ok, PP_ACTION_VIEW_DEVICES, NULL, PP_ERR_INVALID_ARGUMENT },
        { policy, NULL, PP_ACTION_VIEW_DEVICES, NULL, PP_ERR_INVALID_ARGUMENT },
        { policy, &ok, -1, NULL, PP_ERR_INVALID_ARGUMENT },
        { policy, &ok, 16, NULL, PP_ERR_INVALID_ARGUMENT },
        { policy, &empty, PP_ACTION_VIEW_DEVICES, NULL, PP_ERR_INVALID_ARGUMENT },
        { policy, &control, PP_ACTION_VIEW_DEVICES, NULL, PP_ERR_INVALID_ARGUMENT },
        { policy, &no_name, PP_ACTION_VIEW_DEVICES, NULL, PP_ERR_INVALID_ARGUMENT },
        { policy, &bad_kind, PP_ACTION_VIEW_DEVICES, NULL, PP_ERR_INVALID_ARGUMENT },
        { policy, &ok, PP_ACTION_FLASH_DEVICE, &bad, PP_ERR_DEVICE_ID },
        { policy, &ok, PP_ACTION_VIEW_DEVICES, &bad_os, PP_ERR_DEVICE_OS },
    };
    for (size_t i = 0; i < N(rows); i++) {
        memset(&a, 0x5A, sizeof a);
        int rc = pp_authorize(&a, rows[i].p, NULL, rows[i].actor, rows[i].action, 100, rows[i].d);
        ck_assert_msg(rc == rows[i].want, "row %zu: rc %d", i, rc);
        ck_assert_int_eq(a.allowed, 0);
        ck_assert_int_eq(a.reason, PP_AUTHZ_INVALID_INPUT);
        ck_assert_int_eq(a.error, rows[i].want);
        ck_assert_int_eq(a.ota_update_pending, 0);
    }
    ck_assert_int_eq(pp_authorize(NULL, policy, NULL, &ok, 0, 100, NULL), PP_ERR_INVALID_ARGUMENT);
}
END_TEST

/* ---- vocabulary ---- */

START_TEST(test_authorize_names_enumerate_and_round_trip)
{
    int n = 0;
    for (const char *s; (s = pp_action_name(n)) != NULL; n++)
        ck_assert_int_eq(pp_action_from_name(S(s)), n);
    ck_assert_int_eq(n, 16);
    ck_assert_str_eq(pp_action_name(PP_ACTION_REAPPROVE_DENIED), "reapprove_denied");
    ck_assert_ptr_null(pp_action_name(-1));
    ck_assert_int_eq(pp_action_from_name(S("approve")), -1);
    for (n = 0; pp_authz_reason_name(n) != NULL; n++)
        ck_assert_int_eq(pp_authz_reason_from_name(S(pp_authz_reason_name(n))), n);
    ck_assert_int_eq(n, 12);
    ck_assert_str_eq(pp_authz_reason_name(PP_AUTHZ_SCOPE_MISSING), "scope_missing");
    /* Shared names mean the same as in the admission vocabulary. */
    ck_assert_str_eq(pp_authz_reason_name(PP_AUTHZ_INCOMPATIBLE_PLATFORM),
                     pp_reason_name(PP_REASON_INCOMPATIBLE_PLATFORM));
    ck_assert_str_eq(pp_authz_reason_name(PP_AUTHZ_UNKNOWN_PRODUCT),
                     pp_reason_name(PP_REASON_UNKNOWN_PRODUCT));
    ck_assert_str_eq(pp_actor_kind_name(PP_ACTOR_API_USER), "api_user");
    ck_assert_ptr_null(pp_actor_kind_name(2));
    ck_assert_str_eq(pp_device_state_name(PP_DEVICE_STATE_QUARANTINED), "quarantined");
    ck_assert_ptr_null(pp_device_state_name(4));
    ck_assert_int_eq(pp_action_min_role(16), -1);
    ck_assert_ptr_null(pp_action_scope(16, 0));
}
END_TEST

Suite *authorize_suite(void)
{
    Suite *s = suite_create("authorize");
    TCase *tc = tcase_create("authorize");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_authorize_role_action_cell_matches_spec_table, 0, 16 * 5);
    tcase_add_loop_test(tc, test_authorize_api_user_gets_exactly_its_scope, 0,
                        16 * (int)N(single_scopes));
    tcase_add_test(tc, test_authorize_verb_wildcard_grants_every_verb_of_one_resource);
    tcase_add_test(tc, test_scope_grants_exact_or_verb_wildcard_only);
    tcase_add_test(tc, test_authorize_organization_role_applies_to_every_product);
    tcase_add_test(tc, test_authorize_product_team_member_acts_on_that_product_only);
    tcase_add_test(tc, test_authorize_largest_of_organization_and_product_role_wins);
    tcase_add_test(tc, test_authorize_names_match_only_their_own_kind);
    tcase_add_test(tc, test_authorize_unknown_product_is_denied);
    tcase_add_test(tc, test_authorize_runtime_team_set_counts_like_the_policy);
    tcase_add_loop_test(tc, test_authorize_action_fits_device_state, 0, (int)N(state_rows));
    tcase_add_test(tc, test_authorize_role_is_checked_before_device_state);
    tcase_add_test(tc, test_authorize_approval_needs_a_platform_of_the_product_family);
    tcase_add_test(tc, test_authorize_sku_required_when_only_a_sku_could_tell);
    tcase_add_test(tc, test_authorize_approval_reports_immediate_firmware_update);
    tcase_add_test(tc, test_authorize_device_record_ignored_for_product_actions);
    tcase_add_test(tc, test_authorize_invalid_input_denies_with_error);
    tcase_add_test(tc, test_authorize_names_enumerate_and_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
