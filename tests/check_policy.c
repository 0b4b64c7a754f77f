/* Policy identity and lifetime, and the public vocabulary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "suites.h"

static pp_policy *load(const char *text)
{
    pp_policy *p = NULL;
    pp_error err;
    int rc = pp_policy_load(&p, text, strlen(text), NULL, &err);
    ck_assert_msg(rc == PP_OK, "load failed: %d:%d %s", err.line, err.column, err.message);
    return p;
}

static uint64_t fingerprint_of(const char *text)
{
    pp_policy *p = load(text);
    uint64_t f = pp_policy_fingerprint(p);
    pp_policy_free(p);
    return f;
}

static const char base[] =
    "version: 1\n"
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: alice, role: owner, two_step: true}\n"
    "      - {user: bob, role: support}\n"
    "    api_users:\n"
    "      - {name: ci, scopes: [devices:import, firmware:release]}\n"
    "products:\n"
    "  - {id: 1, name: One, organization: acme, family: bsom}\n"
    "  - id: 2\n"
    "    name: Two\n"
    "    family: tracker\n"
    "    unrecognized_devices: auto_approve\n"
    "    released_firmware: 3\n"
    "    min_device_os: 4.0.2\n";

/* Same rules: keys reordered, lists reordered, comments, other layout. */
static const char reordered[] =
    "# the same policy, written differently\n"
    "products:\n"
    "  - family: tracker\n"
    "    min_device_os: \"4.0.2\"\n"
    "    released_firmware: 3\n"
    "    unrecognized_devices: auto_approve\n"
    "    name: Two\n"
    "    id: 2\n"
    "  - id: 1\n"
    "    family: bsom\n"
    "    organization: acme   # trailing comment\n"
    "    name: 'One'\n"
    "organizations:\n"
    "  - members: [{role: support, user: bob}, {user: alice, two_step: true, role: owner}]\n"
    "    api_users: [{scopes: [firmware:release, devices:import], name: ci}]\n"
    "    name: acme\n"
    "version: 1\n";

START_TEST(test_fingerprint_ignores_order_comments_and_layout)
{
    ck_assert_uint_eq(fingerprint_of(base), fingerprint_of(reordered));
    ck_assert_uint_ne(fingerprint_of(base), 0);
}
END_TEST

/* Each variant changes exactly one rule of `base`. */
static const struct {
    const char *from, *to;
} one_change[] = {
    { "id: 1,", "id: 3," },
    { "name: One", "name: Uno" },
    { "family: bsom", "family: b5som" },
    { "auto_approve", "quarantine" },
    { "released_firmware: 3", "released_firmware: 4" },
    { "min_device_os: 4.0.2", "min_device_os: 4.0.3" },
    { "role: support", "role: developer" },
    { "two_step: true", "two_step: false" },
    { "user: bob", "user: rob" },
    { "firmware:release", "firmware:list" },
    { "name: ci,", "name: cd," },
    { "organization: acme, ", "" },
    { "version: 1\n", "version: 1\nsettings: {legacy_device_os_below: 5.0.0}\n" },
    { "version: 1\n", "version: 1\nskus: [{prefix: ZZ9, platform: bsom}]\n" },
    { "version: 1\n", "version: 1\nplatforms: [{id: 99, name: nextgen}]\n" },
};

START_TEST(test_fingerprint_changes_when_any_rule_changes)
{
    uint64_t original = fingerprint_of(base);
    const char *from = one_change[_i].from, *to = one_change[_i].to;
    const char *at = strstr(base, from);
    ck_assert_ptr_nonnull(at);
    char text[2048];
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
    ck_assert_msg(fingerprint_of(text) != original, "'%s' -> '%s' kept the fingerprint", from, to);
}
END_TEST

START_TEST(test_policy_retain_keeps_it_alive_until_last_free)
{
    pp_policy *p = load(base);
    ck_assert_ptr_eq(pp_policy_retain(p), p);
    pp_policy_free(p);
    /* Still alive: one reference left. */
    ck_assert_uint_ne(pp_policy_fingerprint(p), 0);
    pp_policy_free(p);
    pp_policy_free(NULL);
    ck_assert_ptr_null(pp_policy_retain(NULL));
    ck_assert_uint_eq(pp_policy_fingerprint(NULL), 0);
}
END_TEST

START_TEST(test_version_query_matches_header)
{
    ck_assert_uint_eq(pp_version_number(), PP_VERSION_NUMBER);
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", PP_VERSION_MAJOR, PP_VERSION_MINOR, PP_VERSION_PATCH);
    ck_assert_str_eq(pp_version_string(), expect);
}
END_TEST

START_TEST(test_legacy_threshold_is_a_policy_setting)
{
    pp_policy *p = load("version: 1\n");
    ck_assert_int_eq(pp_is_legacy(p, "3.3.1", 5), 1);
    ck_assert_int_eq(pp_is_legacy(p, "4.0.0-beta.1", 12), 0);
    ck_assert_int_eq(pp_is_legacy(p, "4.0.0", 5), 0);
    ck_assert_int_eq(pp_is_legacy(p, "4.0", 3), PP_ERR_INVALID_VERSION);
    ck_assert_int_eq(pp_is_legacy(NULL, "4.0.0", 5), PP_ERR_INVALID_ARGUMENT);
    pp_policy_free(p);
    p = load("version: 1\nsettings:\n  legacy_device_os_below: 4.0.0\n");
    ck_assert_int_eq(pp_is_legacy(p, "4.0.0-beta.1", 12), 1);
    ck_assert_int_eq(pp_is_legacy(p, "4.0.0", 5), 0);
    pp_policy_free(p);
}
END_TEST

/* The names are the public vocabulary (docs/spec.md) and round-trip
 * through from_name. */
START_TEST(test_names_round_trip_and_end_in_null)
{
    static const char *const outcomes[] = { "ok", "limited", "quarantine", "auto_approve",
                                            "deny", "reappear_as_denied" };
    for (int i = 0; i < 6; i++) {
        ck_assert_str_eq(pp_outcome_name(i), outcomes[i]);
        ck_assert_int_eq(pp_outcome_from_name(outcomes[i], strlen(outcomes[i])), i);
    }
    ck_assert_ptr_null(pp_outcome_name(6));
    ck_assert_ptr_null(pp_outcome_name(-1));
    int reasons = 0;
    while (pp_reason_name(reasons) != NULL) {
        const char *n = pp_reason_name(reasons);
        ck_assert_int_eq(pp_reason_from_name(n, strlen(n)), reasons);
        reasons++;
    }
    ck_assert_int_eq(reasons, PP_REASON_DIFFERENT_FAMILIES + 1);
    ck_assert_str_eq(pp_reason_name(PP_REASON_OWNER_NOT_TEAM_MEMBER), "owner_not_team_member");
    ck_assert_str_eq(pp_privilege_name(3), "product_webhooks");
    ck_assert_ptr_null(pp_privilege_name(4));
    ck_assert_str_eq(pp_advisory_name(4), "leaves_quarantine");
    ck_assert_ptr_null(pp_advisory_name(5));
    ck_assert_str_eq(pp_role_name(PP_ROLE_ADMINISTRATOR), "administrator");
    ck_assert_int_eq(pp_role_from_name("owner", 5), PP_ROLE_OWNER);
    ck_assert_int_eq(pp_role_from_name("own", 3), -1);
    ck_assert_int_eq(pp_role_from_name(NULL, 0), -1);
    int errors = 0;
    while (pp_error_name(-errors) != NULL) {
        ck_assert_ptr_nonnull(pp_error_text(-errors));
        errors++;
    }
    ck_assert_int_eq(errors, -PP_ERR_PLATFORM + 1);
    ck_assert_str_eq(pp_error_name(PP_ERR_DEVICE_OS), "invalid_device_os");
    ck_assert_ptr_null(pp_error_name(1));
}
END_TEST

Suite *policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("policy");
    tcase_add_test(tc, test_fingerprint_ignores_order_comments_and_layout);
    tcase_add_loop_test(tc, test_fingerprint_changes_when_any_rule_changes, 0,
                        (int)(sizeof one_change / sizeof one_change[0]));
    tcase_add_test(tc, test_policy_retain_keeps_it_alive_until_last_free);
    tcase_add_test(tc, test_version_query_matches_header);
    tcase_add_test(tc, test_legacy_threshold_is_a_policy_setting);
    tcase_add_test(tc, test_names_round_trip_and_end_in_null);
    suite_add_tcase(s, tc);
    return s;
}
