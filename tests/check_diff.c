/*
 * The policy diff (docs/diff.md): every kind of semantic change with its
 * direction and findings, the example policy changed three ways, operator
 * authorization, and failing cleanly.  Device classes against records are
 * in check_diff_classes.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_fixtures.h"
#include "load_util.h"
#include "suites.h"
#include "particlepolicy.h"

/* ---- reading changes ---- */

static bool eq(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The one change with these fields; its index. */
static size_t expect_change(const pp_diff *d, int kind, int direction, uint32_t product,
                            const char *org, const char *subject, const char *key,
                            const char *old_value, const char *new_value)
{
    size_t found = PP_DIFF_NONE, n = 0;
    for (size_t i = 0; i < pp_diff_change_count(d); i++) {
        pp_change c;
        ck_assert_int_eq(pp_diff_change_at(&c, d, i), PP_OK);
        if (c.kind == kind && c.product_id == product && eq(c.organization, org) &&
            eq(c.subject, subject) && eq(c.key, key)) {
            ck_assert_msg(eq(c.old_value, old_value) && eq(c.new_value, new_value),
                          "%s %s: %s -> %s, expected %s -> %s", pp_change_kind_name(kind),
                          key ? key : "", c.old_value ? c.old_value : "(none)",
                          c.new_value ? c.new_value : "(none)", old_value ? old_value : "(none)",
                          new_value ? new_value : "(none)");
            ck_assert_msg(c.direction == direction, "%s %s %s: direction %s, expected %s",
                          pp_change_kind_name(kind), subject ? subject : "", key ? key : "",
                          pp_direction_name(c.direction), pp_direction_name(direction));
            found = i;
            n++;
        }
    }
    ck_assert_msg(n == 1, "%zu changes %s %s %s %s", n, pp_change_kind_name(kind),
                  org ? org : "", subject ? subject : "", key ? key : "");
    return found;
}

static pp_change change_at(const pp_diff *d, size_t i)
{
    pp_change c;
    ck_assert_int_eq(pp_diff_change_at(&c, d, i), PP_OK);
    return c;
}

/* ---- equal policies ---- */

START_TEST(test_diff_of_equal_policies_is_empty)
{
    /* The example reordered, recommented and reflowed: the same rules. */
    static const char reformatted[] =
        "# the same policy, written differently\n"
        "products:\n"
        "  - {id: 14006, name: Harbor Relay, organization: harbor-labs, family: boron,\n"
        "     unrecognized_devices: auto_approve}\n"
        "  - {id: 14005, name: Cellular Logger, organization: brightwater,\n"
        "     family: electron, released_firmware: 8, min_device_os: \"2.3.0\"}\n"
        "  - {id: 14004, name: Dock Display, organization: harbor-labs, family: photon2}\n"
        "  - {id: 14003, name: Buoy Controller, organization: harbor-labs, family: p2}\n"
        "  - {id: 14002, name: Tide Gauge, organization: brightwater, family: bsom,\n"
        "     removed_devices: quarantine}\n"
        "  - id: 14001\n"
        "    team: [{user: kim@contractor.example, two_step: true, role: developer}]\n"
        "    released_firmware: 23\n"
        "    unrecognized_devices: auto_approve\n"
        "    family: tracker\n"
        "    organization: brightwater\n"
        "    name: Brightwater Fleet Tracker\n"
        "organizations:\n"
        "  - name: harbor-labs\n"
        "    members:\n"
        "      - {user: jon@harborlabs.example, role: developer, two_step: false}\n"
        "      - {user: ivy@harborlabs.example, role: owner, two_step: true}\n"
        "  - name: brightwater\n"
        "    api_users: [{name: fleet-sync, scopes: [firmware:release, devices:update, devices:import]}]\n"
        "    members:\n"
        "      - {user: hal@brightwater.example, role: view_only}\n"
        "      - {user: gus@brightwater.example, role: support}\n"
        "      - {user: fay@brightwater.example, role: developer, two_step: true}\n"
        "      - {user: eli@brightwater.example, role: administrator, two_step: true}\n"
        "      - {user: dana@brightwater.example, role: owner, two_step: true}\n"
        "version: 1\n";
    pp_policy *a = example(), *b = load_string(reformatted);
    ck_assert_uint_eq(pp_policy_fingerprint(a), pp_policy_fingerprint(b));
    pp_diff *d = diff_of(a, b);
    ck_assert_uint_eq(pp_diff_change_count(d), 0);
    ck_assert_uint_eq(pp_diff_finding_count(d), 0);
    ck_assert_uint_eq(pp_diff_device_class_count(d), 0);
    ck_assert_uint_eq(pp_diff_authorization_count(d), 0);
    /* Empty because every class was decided, not because none was. */
    ck_assert_uint_gt(pp_diff_classes_examined(d), 1000);
    pp_diff_free(d);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

/* ---- the example changed three ways ---- */

START_TEST(test_diff_auto_approve_gains_for_unrecognized_legacy_devices)
{
    pp_policy *a = example(), *b = example_changed(TO_AUTO_APPROVE);
    pp_diff *d = diff_of(a, b);
    ck_assert_uint_eq(pp_diff_change_count(d), 1);
    size_t i = expect_change(d, PP_CHANGE_PRODUCT_CHANGED, PP_DIRECTION_LOOSENING, 14002, NULL, NULL,
                             "unrecognized_devices", "quarantine", "auto_approve");
    /* auto_approve_enabled and auto_approve_readmits_denied (the way back
     * of docs/lifecycle.md), both brought by this change. */
    ck_assert_uint_eq(change_at(d, i).findings_introduced, 2);
    ck_assert_uint_eq(pp_diff_finding_count(d), 2);
    const int codes[2] = { PP_FINDING_AUTO_APPROVE_ENABLED, PP_FINDING_AUTO_APPROVE_READMITS_DENIED };
    pp_diff_finding f;
    for (size_t k = 0; k < 2; k++) {
        ck_assert_int_eq(pp_diff_finding_at(&f, d, k), PP_OK);
        ck_assert_int_eq(f.introduced, 1);
        ck_assert_int_eq(f.finding.code, codes[k]);
        ck_assert_uint_eq(f.finding.product_id, 14002);
        ck_assert_uint_eq(f.change, i);
    }

    /* Every changed class is a legacy device whose firmware claims 14002,
     * quarantined by rule 12 before; unowned and team-owned ones gain. */
    size_t n = pp_diff_device_class_count(d), gains = 0, rule[16] = { 0 };
    ck_assert_uint_eq(n, 5);
    for (size_t k = 0; k < n; k++) {
        pp_device_class c;
        ck_assert_int_eq(pp_diff_device_class_at(&c, d, k), PP_OK);
        ck_assert_msg(contains(c.description, "a legacy device") &&
                      contains(c.description, "firmware claims 14002") &&
                      contains(c.description, "not in the cloud"), "%s", c.description);
        ck_assert_int_eq(c.old_decision.rule, 12);
        ck_assert_int_eq(c.old_decision.outcome, PP_OUTCOME_QUARANTINE);
        ck_assert_uint_eq(c.new_decision.product_id, 14002);
        rule[c.new_decision.rule]++;
        if (c.privileges_gained == PP_PRIVILEGES_ALL) {
            gains++;
            ck_assert_int_eq(c.new_decision.outcome, PP_OUTCOME_AUTO_APPROVE);
        }
        ck_assert_uint_eq(c.privileges_lost, 0);
        /* The representative is a record of the class. */
        size_t at;
        pp_decision o, nw;
        ck_assert_int_eq(pp_diff_class_of(&at, &o, &nw, d, &c.representative), PP_OK);
        ck_assert_uint_eq(at, k);
        ck_assert_int_eq(nw.rule, c.new_decision.rule);
    }
    ck_assert_uint_eq(gains, 4);
    ck_assert_uint_eq(rule[13], 2);  /* unowned, development device or not */
    ck_assert_uint_eq(rule[14], 2);  /* owner on the team, the same */
    ck_assert_uint_eq(rule[15], 1);  /* owner outside: still quarantined */
    /* Who may do what does not depend on auto-approval. */
    ck_assert_uint_eq(pp_diff_authorization_count(d), 0);
    pp_diff_free(d);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

START_TEST(test_diff_dropping_a_member_loses_her_devices_and_actions)
{
    pp_policy *a = example(), *b = example_changed(DROP_FAY);
    pp_diff *d = diff_of(a, b);
    ck_assert_uint_eq(pp_diff_change_count(d), 1);
    expect_change(d, PP_CHANGE_MEMBER_REMOVED, PP_DIRECTION_TIGHTENING, 0, "brightwater",
                  "fay@brightwater.example", NULL, "developer", NULL);
    ck_assert_uint_eq(pp_diff_finding_count(d), 0);  /* she had two-step on */

    /* Her devices on brightwater's auto-approve product are quarantined. */
    size_t n = pp_diff_device_class_count(d);
    ck_assert_uint_eq(n, 3);
    for (size_t k = 0; k < n; k++) {
        pp_device_class c;
        pp_diff_device_class_at(&c, d, k);
        ck_assert_int_eq(c.old_decision.rule, 14);
        ck_assert_int_eq(c.new_decision.rule, 15);
        ck_assert_uint_eq(c.old_decision.product_id, 14001);
        ck_assert_uint_eq(c.privileges_lost, PP_PRIVILEGES_ALL);
        ck_assert_uint_eq(c.privileges_gained, 0);
        ck_assert_msg(contains(c.description, "owned by someone on its product's team under the "
                                              "old policy, not on its product's team under the new"),
                      "%s", c.description);
    }

    /* On each of brightwater's three products she loses what a developer
     * may do (13 actions) and nobody gains anything. */
    size_t lost = 0;
    for (size_t k = 0; k < pp_diff_authorization_count(d); k++) {
        pp_authorization_change c;
        ck_assert_int_eq(pp_diff_authorization_at(&c, d, k), PP_OK);
        ck_assert_str_eq(c.actor, "fay@brightwater.example");
        ck_assert_int_eq(c.actor_kind, PP_ACTOR_HUMAN);
        ck_assert_int_eq(c.new_answer.allowed, 0);
        ck_assert_int_eq(c.new_answer.reason, PP_AUTHZ_NOT_A_TEAM_MEMBER);
        ck_assert(c.product_id == 14001 || c.product_id == 14002 || c.product_id == 14005);
        lost += c.old_answer.allowed;
    }
    ck_assert_uint_eq(lost, 3 * 13);
    ck_assert_uint_eq(pp_diff_authorization_count(d), 3 * 16);
    pp_diff_free(d);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

START_TEST(test_diff_raising_the_legacy_threshold_changes_4x_devices)
{
    pp_policy *a = example(), *b = example_changed(LEGACY_5);
    pp_diff *d = diff_of(a, b);
    ck_assert_uint_eq(pp_diff_change_count(d), 1);
    expect_change(d, PP_CHANGE_SETTING, PP_DIRECTION_LOOSENING, 0, NULL, NULL,
                  "legacy_device_os_below", "4.0.0-0", "5.0.0");
    /* Only 4.x devices change, and among them an unowned one whose firmware
     * claims the Fleet Tracker, denied before, is auto-approved now. */
    bool tracker_gains = false, member_limited = false;
    for (size_t k = 0; k < pp_diff_device_class_count(d); k++) {
        pp_device_class c;
        pp_diff_device_class_at(&c, d, k);
        ck_assert_msg(contains(c.description, "legacy under the new policy only (Device OS from "
                                              "4.0.0-0 to below 5.0.0)"), "%s", c.description);
        if (c.old_decision.rule == 10 && c.new_decision.rule == 13 &&
            contains(c.description, "firmware claims 14001"))
            tracker_gains = c.privileges_gained == PP_PRIVILEGES_ALL;
        /* A member whose firmware reports no product: limited now. */
        if (c.old_decision.rule == 7 && c.new_decision.rule == 6)
            member_limited = c.privileges_lost == PP_PRIVILEGES_ALL;
    }
    ck_assert(tracker_gains);
    ck_assert(member_limited);
    ck_assert_uint_eq(pp_diff_authorization_count(d), 0);
    pp_diff_free(d);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

/* ---- every kind of change ---- */

/* A product's findings follow its ID: renamed, an auto-approve product
 * keeps them (none resolved, none introduced), and the name change is
 * neutral. */
START_TEST(test_diff_renamed_product_keeps_its_findings)
{
    pp_policy *a = example(), *b = example_changed("name: Harbor Relay\n", "name: Harbor Link\n");
    pp_diff *d = diff_of(a, b);
    ck_assert_uint_eq(pp_diff_change_count(d), 1);
    size_t i = expect_change(d, PP_CHANGE_PRODUCT_CHANGED, PP_DIRECTION_NEUTRAL, 14006, NULL, NULL,
                             "name", "Harbor Relay", "Harbor Link");
    ck_assert_uint_eq(change_at(d, i).findings_introduced + change_at(d, i).findings_resolved, 0);
    ck_assert_uint_eq(pp_diff_finding_count(d), 0);
    pp_diff_free(d);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

/* A role raised: every action's answer on each of her organization's three
 * products changes, if only in the role it was given for (a developer's 13
 * actions stay allowed, now as an administrator's). */
START_TEST(test_diff_raised_role_changes_every_answer)
{
    pp_policy *a = example(),
              *b = example_changed("{user: fay@brightwater.example, role: developer,",
                                   "{user: fay@brightwater.example, role: administrator,");
    pp_diff *d = diff_of(a, b);
    expect_change(d, PP_CHANGE_MEMBER_CHANGED, PP_DIRECTION_LOOSENING, 0, "brightwater",
                  "fay@brightwater.example", "role", "developer", "administrator");
    size_t kept = 0;
    for (size_t k = 0; k < pp_diff_authorization_count(d); k++) {
        pp_authorization_change c;
        ck_assert_int_eq(pp_diff_authorization_at(&c, d, k), PP_OK);
        ck_assert_str_eq(c.actor, "fay@brightwater.example");
        ck_assert_int_eq(c.actor_kind, PP_ACTOR_HUMAN);
        ck_assert_int_eq(c.old_answer.role, PP_ROLE_DEVELOPER);
        ck_assert_int_eq(c.new_answer.role, PP_ROLE_ADMINISTRATOR);
        kept += c.old_answer.allowed && c.new_answer.allowed;
    }
    ck_assert_uint_eq(kept, 3 * 13);
    ck_assert_uint_eq(pp_diff_authorization_count(d), 3 * 16);
    pp_diff_free(d);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

/* The actor standing for everyone else is named like nobody on either
 * policy: a member called what it would be called in the old policy gets
 * changes of her own, and everyone else none. */
START_TEST(test_diff_outsider_is_on_neither_policy)
{
    pp_policy *a = example(),
              *b = example_changed("{user: hal@brightwater.example, role: view_only, two_step: false}\n",
                                   "{user: hal@brightwater.example, role: view_only, two_step: false}\n"
                                   "      - {user: someone-else@example.invalid, role: view_only}\n");
    pp_diff *d = diff_of(a, b);
    ck_assert_uint_gt(pp_diff_authorization_count(d), 0);
    for (size_t k = 0; k < pp_diff_authorization_count(d); k++) {
        pp_authorization_change c;
        ck_assert_int_eq(pp_diff_authorization_at(&c, d, k), PP_OK);
        ck_assert_ptr_nonnull(c.actor);
        ck_assert_str_eq(c.actor, "someone-else@example.invalid");
    }
    pp_diff_free(d);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

START_TEST(test_diff_names_every_kind_of_change)
{
    pp_policy *a = load_string(RICH_OLD), *b = load_string(RICH_NEW);
    pp_diff *d = diff_of(a, b);
    enum { L = PP_DIRECTION_LOOSENING, T = PP_DIRECTION_TIGHTENING, N = PP_DIRECTION_NEUTRAL };
    size_t expected = 0;
#define EXPECT(...) (expected++, expect_change(d, __VA_ARGS__))
    EXPECT(PP_CHANGE_SETTING, L, 0, NULL, NULL, "legacy_device_os_below", "4.0.0-0", "5.0.0");
    size_t lts = EXPECT(PP_CHANGE_SETTING, L, 0, NULL, NULL, "require_lts", "true", "false");
    EXPECT(PP_CHANGE_SETTING, L, 0, NULL, NULL, "sim_notify_percent", "80", "90");
    EXPECT(PP_CHANGE_PLATFORM_CHANGED, N, 0, NULL, "40", "name", "nextgen", "nextgen2");
    EXPECT(PP_CHANGE_PLATFORM_CHANGED, L, 0, NULL, "14", "family", "mesh_kit", "mesh2");
    EXPECT(PP_CHANGE_PLATFORM_REMOVED, T, 0, NULL, "60", NULL, "labkit", NULL);
    EXPECT(PP_CHANGE_PLATFORM_ADDED, L, 0, NULL, "61", NULL, NULL, "extra");
    EXPECT(PP_CHANGE_SKU_CHANGED, L, 0, NULL, "NG1", "platform", "40", "61");
    EXPECT(PP_CHANGE_SKU_CHANGED, L, 0, NULL, "NG1", "family", "nextgen", "extra");
    EXPECT(PP_CHANGE_SKU_REMOVED, L, 0, NULL, "NG2", NULL, "nextgen", NULL);
    EXPECT(PP_CHANGE_SKU_ADDED, L, 0, NULL, "NG3", NULL, NULL, "nextgen");
    /* The built-in Xenon SKUs follow the platform's family. */
    EXPECT(PP_CHANGE_SKU_CHANGED, L, 0, NULL, "XEN", "family", "mesh_kit", "mesh2");
    EXPECT(PP_CHANGE_FAMILY_ADDED, N, 0, NULL, "extra", NULL, NULL, NULL);
    EXPECT(PP_CHANGE_FAMILY_ADDED, N, 0, NULL, "mesh2", NULL, NULL, NULL);
    EXPECT(PP_CHANGE_FAMILY_REMOVED, N, 0, NULL, "mesh_kit", NULL, NULL, NULL);
    EXPECT(PP_CHANGE_CANARY_REMOVED, L, 0, "acme", "00000000000000aa", NULL, NULL, NULL);
    EXPECT(PP_CHANGE_CANARY_ADDED, T, 0, "acme", "00000000000000bb", NULL, NULL, NULL);
    EXPECT(PP_CHANGE_ORGANIZATION_REMOVED, N, 0, "gone", NULL, NULL, NULL, NULL);
    EXPECT(PP_CHANGE_ORGANIZATION_ADDED, N, 0, "new-org", NULL, NULL, NULL, NULL);
    EXPECT(PP_CHANGE_PRODUCT_CHANGED, N, 1, NULL, NULL, "name", "A", "A2");
    EXPECT(PP_CHANGE_PRODUCT_CHANGED, L, 1, NULL, NULL, "organization", "acme", "new-org");
    EXPECT(PP_CHANGE_PRODUCT_CHANGED, L, 1, NULL, NULL, "family", "tracker", "trackerm");
    size_t auto_approve = EXPECT(PP_CHANGE_PRODUCT_CHANGED, L, 1, NULL, NULL,
                                 "unrecognized_devices", "quarantine", "auto_approve");
    EXPECT(PP_CHANGE_PRODUCT_CHANGED, L, 1, NULL, NULL, "removed_devices", "deny", "quarantine");
    EXPECT(PP_CHANGE_PRODUCT_CHANGED, N, 1, NULL, NULL, "released_firmware", "7", "8");
    EXPECT(PP_CHANGE_PRODUCT_CHANGED, L, 1, NULL, NULL, "min_device_os", "2.3.1", "2.0.0");
    EXPECT(PP_CHANGE_PRODUCT_CHANGED, L, 1, NULL, NULL, "require_lts", "true", "false");
    EXPECT(PP_CHANGE_INTEGRATION_REMOVED, T, 1, NULL, "https://a.example/x", NULL, NULL, NULL);
    EXPECT(PP_CHANGE_INTEGRATION_ADDED, L, 1, NULL, "https://b.example/y", NULL, NULL, NULL);
    EXPECT(PP_CHANGE_PRODUCT_REMOVED, T, 4, NULL, NULL, NULL, "D", NULL);
    EXPECT(PP_CHANGE_PRODUCT_ADDED, L, 5, NULL, NULL, NULL, NULL, "E");
    EXPECT(PP_CHANGE_API_USER_REMOVED, T, 0, "acme", "bot", NULL, "devices:list", NULL);
    EXPECT(PP_CHANGE_MEMBER_CHANGED, L, 0, "acme", "bob", "role", "developer", "administrator");
    size_t two_step = EXPECT(PP_CHANGE_MEMBER_CHANGED, T, 0, "acme", "bob", "two_step", "false",
                             "true");
    /* carol was a person and is an API user now: one leaves, one comes. */
    EXPECT(PP_CHANGE_MEMBER_REMOVED, T, 0, "acme", "carol", NULL, "support", NULL);
    EXPECT(PP_CHANGE_API_USER_ADDED, L, 0, "acme", "carol", NULL, NULL, "devices:list");
    size_t org_level = EXPECT(PP_CHANGE_API_USER_CHANGED, L, 0, "acme", "ci",
                              "organization_level", "false", "true");
    EXPECT(PP_CHANGE_SCOPE_REMOVED, T, 0, "acme", "ci", NULL, "firmware:release", NULL);
    EXPECT(PP_CHANGE_SCOPE_ADDED, L, 0, "acme", "ci", NULL, NULL, "devices:remove");
    size_t dave = EXPECT(PP_CHANGE_MEMBER_ADDED, L, 0, "acme", "dave", NULL, NULL, "view_only");
    EXPECT(PP_CHANGE_MEMBER_REMOVED, T, 4, NULL, "bob", NULL, "owner", NULL);
#undef EXPECT
    ck_assert_uint_eq(pp_diff_change_count(d), expected);

    /* Every kind has been seen. */
    bool seen[32] = { false };
    for (size_t i = 0; i < pp_diff_change_count(d); i++)
        seen[change_at(d, i).kind] = true;
    for (int k = 0; pp_change_kind_name(k) != NULL; k++)
        ck_assert_msg(seen[k], "no %s change", pp_change_kind_name(k));

    /* Findings come with the change that brings or resolves them. */
    ck_assert_uint_eq(change_at(d, auto_approve).findings_introduced, 2); /* and readmits_denied */
    ck_assert_uint_eq(change_at(d, org_level).findings_introduced, 1);
    ck_assert_uint_eq(change_at(d, dave).findings_introduced, 1);  /* no two-step */
    ck_assert_uint_eq(change_at(d, two_step).findings_resolved, 1);
    /* settings.require_lts off: products 2 and 4 no longer flagged (1 did
     * require LTS). */
    ck_assert_uint_eq(change_at(d, lts).findings_resolved, 2);
    for (size_t i = 0; i < pp_diff_finding_count(d); i++) {
        pp_diff_finding f;
        ck_assert_int_eq(pp_diff_finding_at(&f, d, i), PP_OK);
        ck_assert_msg(f.change != PP_DIFF_NONE, "finding %s has no change",
                      pp_finding_name(f.finding.code));
    }
    ck_assert_uint_eq(pp_diff_finding_count(d), 7);
    pp_diff_free(d);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

/* The same two policies written in another order: the same changes, in the
 * same order. */
START_TEST(test_diff_order_does_not_depend_on_the_yaml)
{
    static const char rich_new_reordered[] =
        "products:\n"
        "  - {id: 2, name: B, organization: acme, family: nextgen}\n"
        "  - id: 1\n"
        "    approved_integrations: [https://b.example/y]\n"
        "    min_device_os: 2.0.0\n"
        "    released_firmware: 8\n"
        "    removed_devices: quarantine\n"
        "    unrecognized_devices: auto_approve\n"
        "    family: trackerm\n"
        "    organization: new-org\n"
        "    name: A2\n"
        "  - {id: 5, name: E, organization: acme, family: boron}\n"
        "organizations:\n"
        "  - name: new-org\n"
        "  - name: acme\n"
        "    api_users:\n"
        "      - {name: carol, scopes: ['devices:list']}\n"
        "      - {name: ci, organization_level: true, scopes: ['devices:import', 'devices:remove']}\n"
        "    members:\n"
        "      - {user: dave, role: view_only}\n"
        "      - {user: bob, role: administrator, two_step: true}\n"
        "      - {user: alice, role: owner, two_step: true}\n"
        "    canary_tokens: [00000000000000bb]\n"
        "skus:\n"
        "  - {prefix: NG3, platform: 40}\n"
        "  - {prefix: NG1, platform: extra}\n"
        "platforms:\n"
        "  - {id: 14, name: xenon, product_eligible: true, family: mesh2}\n"
        "  - {id: 61, name: extra}\n"
        "  - {id: 40, name: nextgen2, family: nextgen}\n"
        "settings: {legacy_device_os_below: 5.0.0}\n"
        "version: 1\n";
    pp_policy *a = load_string(RICH_OLD), *b = load_string(RICH_NEW);
    pp_policy *c = load_string(rich_new_reordered);
    ck_assert_uint_eq(pp_policy_fingerprint(b), pp_policy_fingerprint(c));
    pp_diff *x = diff_of(a, b), *y = diff_of(a, c);
    ck_assert_uint_eq(pp_diff_change_count(x), pp_diff_change_count(y));
    for (size_t i = 0; i < pp_diff_change_count(x); i++) {
        pp_change p = change_at(x, i), q = change_at(y, i);
        ck_assert_int_eq(p.kind, q.kind);
        ck_assert_uint_eq(p.product_id, q.product_id);
        ck_assert(eq(p.subject, q.subject) && eq(p.key, q.key) && eq(p.organization, q.organization));
        ck_assert(eq(p.old_value, q.old_value) && eq(p.new_value, q.new_value));
    }
    ck_assert_uint_eq(pp_diff_device_class_count(x), pp_diff_device_class_count(y));
    for (size_t i = 0; i < pp_diff_device_class_count(x); i++) {
        pp_device_class p, q;
        pp_diff_device_class_at(&p, x, i);
        pp_diff_device_class_at(&q, y, i);
        ck_assert_str_eq(p.description, q.description);
    }
    ck_assert_uint_eq(pp_diff_authorization_count(x), pp_diff_authorization_count(y));
    pp_diff_free(x);
    pp_diff_free(y);
    pp_policy_free(a);
    pp_policy_free(b);
    pp_policy_free(c);
}
END_TEST

/* ---- failing cleanly ---- */

START_TEST(test_diff_rejects_bad_arguments)
{
    pp_policy *a = example();
    pp_diff *d = (pp_diff *)&d;
    pp_error err;
    ck_assert_int_eq(pp_policy_diff(&d, a, NULL, NULL, &err), PP_ERR_INVALID_ARGUMENT);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(pp_policy_diff(&d, NULL, a, NULL, NULL), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_policy_diff(NULL, a, a, NULL, &err), PP_ERR_INVALID_ARGUMENT);
    pp_diff_options opt = PP_DIFF_OPTIONS_INIT;
    opt.version = 99;
    ck_assert_int_eq(pp_policy_diff(&d, a, a, &opt, &err), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(err.code, PP_ERR_INVALID_ARGUMENT);
    opt = (pp_diff_options)PP_DIFF_OPTIONS_INIT;
    opt.allocator.alloc = counting_alloc;  /* half a hook */
    ck_assert_int_eq(pp_policy_diff(&d, a, a, &opt, &err), PP_ERR_INVALID_ARGUMENT);

    /* Reading past the end, or from nothing. */
    d = diff_of(a, a);
    pp_change c;
    pp_diff_finding f;
    pp_device_class k;
    pp_authorization_change z;
    ck_assert_int_eq(pp_diff_change_at(&c, d, 0), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_diff_finding_at(&f, d, 0), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_diff_device_class_at(&k, d, 0), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_diff_authorization_at(&z, d, 0), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_diff_change_at(NULL, d, 0), PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(pp_diff_change_count(NULL), 0);
    ck_assert_uint_eq(pp_diff_finding_count(NULL), 0);
    ck_assert_uint_eq(pp_diff_device_class_count(NULL), 0);
    ck_assert_uint_eq(pp_diff_authorization_count(NULL), 0);
    ck_assert_uint_eq(pp_diff_classes_examined(NULL), 0);

    /* An invalid record has no class and fails closed. */
    pp_device r;
    memset(&r, 0, sizeof r);
    r.id = "not an id";
    r.id_len = 9;
    r.device_os = "3.3.1";
    r.device_os_len = 5;
    r.platform_id = 26;
    size_t at = 0;
    pp_decision o, n;
    ck_assert_int_eq(pp_diff_class_of(&at, &o, &n, d, &r), PP_ERR_DEVICE_ID);
    ck_assert_uint_eq(at, PP_DIFF_NONE);
    ck_assert_int_eq(o.outcome, PP_OUTCOME_DENY);
    ck_assert_int_eq(n.reason, PP_REASON_INVALID_INPUT);
    ck_assert_uint_eq(n.privileges, 0);
    ck_assert_int_eq(pp_diff_class_of(&at, &o, NULL, NULL, &r), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(o.outcome, PP_OUTCOME_DENY);
    ck_assert_int_eq(pp_diff_class_of(NULL, &o, &n, d, &r), PP_ERR_INVALID_ARGUMENT);
    pp_diff_free(d);
    pp_diff_free(NULL);
    pp_policy_free(a);
}
END_TEST

START_TEST(test_diff_keeps_both_policies_alive)
{
    pp_policy *a = example(), *b = example_changed(DROP_FAY);
    pp_diff *d = diff_of(a, b);
    pp_policy_free(a);
    pp_policy_free(b);
    /* Names point into the policies, which the diff still holds. */
    pp_change c = change_at(d, 0);
    ck_assert_str_eq(c.subject, "fay@brightwater.example");
    ck_assert_str_eq(c.organization, "brightwater");
    pp_diff_free(d);
}
END_TEST

START_TEST(test_diff_stops_at_the_class_limit)
{
    pp_policy *a = example(), *b = example_changed(LEGACY_5);
    pp_diff_options opt = PP_DIFF_OPTIONS_INIT;
    opt.max_classes = 1000;
    pp_diff *d = (pp_diff *)&d;
    pp_error err;
    ck_assert_int_eq(pp_policy_diff(&d, a, b, &opt, &err), PP_ERR_LIMIT);
    ck_assert_ptr_null(d);
    ck_assert_msg(strstr(err.message, "max_classes") != NULL, "%s", err.message);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

START_TEST(test_diff_fails_each_allocation_cleanly)
{
    /* Every kind of change, with the threshold kept (so each try is quick). */
    char *rich_new = replace(RICH_NEW, "legacy_device_os_below: 5.0.0", "legacy_device_os_below: 4.0.0-0");
    pp_policy *a = load_string(RICH_OLD), *b = load_string(rich_new);
    free(rich_new);
    pp_diff *want = diff_of(a, b);
    pp_diff_options opt = PP_DIFF_OPTIONS_INIT;
    /* Every allocation in turn, or every 20th (and the first ones) with
     * PP_TEST_LIGHT: valgrind checks fewer failure paths, ASan all. */
    long n, step = ppt_stride();
    for (n = 1; n < 100000; n += n < 20 ? 1 : step) {
        counting c = { 0, 0, n };
        opt.allocator = (pp_allocator){ counting_alloc, counting_free, &c };
        pp_diff *d = (pp_diff *)&d;
        pp_error err;
        int rc = pp_policy_diff(&d, a, b, &opt, &err);
        if (rc == PP_OK) {
            ck_assert_int_lt(c.calls, n);
            ck_assert_uint_eq(pp_diff_change_count(d), pp_diff_change_count(want));
            ck_assert_uint_eq(pp_diff_device_class_count(d), pp_diff_device_class_count(want));
            ck_assert_uint_eq(pp_diff_authorization_count(d), pp_diff_authorization_count(want));
            pp_diff_free(d);
            ck_assert_int_eq(c.live, 0);
            break;
        }
        ck_assert_msg(rc == PP_ERR_NOMEM && err.code == PP_ERR_NOMEM, "allocation %ld: %s", n,
                      err.message);
        ck_assert_ptr_null(d);
        ck_assert_msg(c.live == 0, "allocation %ld failed: %ld blocks leaked", n, c.live);
    }
    ck_assert_int_gt(n, 10);
    pp_diff_free(want);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

START_TEST(test_diff_names_end_in_null)
{
    int kinds = 0;
    while (pp_change_kind_name(kinds) != NULL)
        kinds++;
    ck_assert_int_eq(kinds, PP_CHANGE_SCOPE_REMOVED + 1);
    ck_assert_str_eq(pp_change_kind_name(PP_CHANGE_PRODUCT_CHANGED), "product_changed");
    ck_assert_ptr_null(pp_change_kind_name(-1));
    ck_assert_str_eq(pp_direction_name(PP_DIRECTION_LOOSENING), "loosening");
    ck_assert_str_eq(pp_direction_name(PP_DIRECTION_TIGHTENING), "tightening");
    ck_assert_str_eq(pp_direction_name(PP_DIRECTION_NEUTRAL), "neutral");
    ck_assert_ptr_null(pp_direction_name(3));
}
END_TEST

Suite *diff_suite(void)
{
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("diff");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_diff_of_equal_policies_is_empty);
    tcase_add_test(tc, test_diff_auto_approve_gains_for_unrecognized_legacy_devices);
    tcase_add_test(tc, test_diff_dropping_a_member_loses_her_devices_and_actions);
    tcase_add_test(tc, test_diff_raising_the_legacy_threshold_changes_4x_devices);
    tcase_add_test(tc, test_diff_renamed_product_keeps_its_findings);
    tcase_add_test(tc, test_diff_raised_role_changes_every_answer);
    tcase_add_test(tc, test_diff_outsider_is_on_neither_policy);
    tcase_add_test(tc, test_diff_names_every_kind_of_change);
    tcase_add_test(tc, test_diff_order_does_not_depend_on_the_yaml);
    tcase_add_test(tc, test_diff_rejects_bad_arguments);
    tcase_add_test(tc, test_diff_keeps_both_policies_alive);
    tcase_add_test(tc, test_diff_stops_at_the_class_limit);
    tcase_add_test(tc, test_diff_fails_each_allocation_cleanly);
    tcase_add_test(tc, test_diff_names_end_in_null);
    suite_add_tcase(s, tc);
    return s;
}
