/*
 * The admission decision (docs/spec.md §3), one table per question.  Each
 * row says, in its name, the case it pins; the expectations were derived from
 * docs/spec.md and docs/decisions.md, not from the engine.
 */
#include <stdio.h>
#include <string.h>

#include "particlepolicy.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define S(x) (x), strlen(x)

/* ---- the policies the rows run against ---- */

static const char POLICY_MAIN[] =
    "version: 1\n"
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: alice, role: owner, two_step: true}\n"
    "      - {user: vic, role: view_only, two_step: false}\n"
    "    api_users:\n"
    "      - {name: acme-ci, scopes: ['devices:import']}\n"
    "  - name: globex\n"
    "    members:\n"
    "      - {user: gina, role: administrator, two_step: true}\n"
    "products:\n"
    "  - {id: 100, name: B SoM Quarantine, organization: acme, family: bsom}\n"
    "  - id: 200\n"
    "    name: B SoM Auto\n"
    "    organization: acme\n"
    "    family: bsom\n"
    "    unrecognized_devices: auto_approve\n"
    "    removed_devices: quarantine\n"
    "    released_firmware: 5\n"
    "    min_device_os: 3.1.0\n"
    "    team:\n"
    "      - {user: carol, role: developer, two_step: true}\n"
    "  - {id: 300, name: P2 Module, organization: globex, family: p2,\n"
    "     min_device_os: 5.8.0}\n"
    "  - {id: 400, name: Photon 2, organization: globex, family: photon2}\n"
    "  - {id: 500, name: Electron Fleet, organization: acme, family: electron,\n"
    "     released_firmware: 12, min_device_os: 2.0.0}\n"
    "  - {id: 600, name: Globex Boron, organization: globex, family: boron,\n"
    "     unrecognized_devices: auto_approve}\n"
    "  - {id: 700, name: Acme Tracker, organization: acme, family: tracker,\n"
    "     unrecognized_devices: auto_approve}\n";

/* The same quarantine product under a custom legacy threshold. */
static const char POLICY_THRESHOLD_5[] =
    "version: 1\n"
    "settings:\n"
    "  legacy_device_os_below: 5.0.0\n"
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: alice, role: owner, two_step: true}\n"
    "products:\n"
    "  - {id: 100, name: B SoM Quarantine, organization: acme, family: bsom}\n";

/* Thresholds the decision's version keys do not decide alone: a number
 * too large for a key, and a prerelease (whose equal keys leave the order
 * to the identifiers). */
static const char POLICY_THRESHOLD_HUGE[] =
    "version: 1\n"
    "settings:\n"
    "  legacy_device_os_below: 1048576.0.0\n"
    "products:\n"
    "  - {id: 100, name: B SoM Quarantine, family: bsom}\n";

static const char POLICY_THRESHOLD_RC[] =
    "version: 1\n"
    "settings:\n"
    "  legacy_device_os_below: 5.0.0-rc.2\n"
    "products:\n"
    "  - {id: 100, name: B SoM Quarantine, family: bsom}\n";

enum { MAIN = 0, THRESHOLD_5 = 1, THRESHOLD_HUGE = 2, THRESHOLD_RC = 3 };
static pp_policy *policies[4];

static pp_policy *load(const char *text)
{
    pp_policy *p = NULL;
    pp_error err;
    memset(&err, 0, sizeof err);
    int rc = pp_policy_load(&p, text, strlen(text), NULL, &err);
    ck_assert_msg(rc == PP_OK, "test policy does not load: %u:%u: %s",
                  err.line, err.column, err.message);
    return p;
}

static void setup(void)
{
    policies[MAIN] = load(POLICY_MAIN);
    policies[THRESHOLD_5] = load(POLICY_THRESHOLD_5);
    policies[THRESHOLD_HUGE] = load(POLICY_THRESHOLD_HUGE);
    policies[THRESHOLD_RC] = load(POLICY_THRESHOLD_RC);
}

static void teardown(void)
{
    pp_policy_free(policies[MAIN]);
    pp_policy_free(policies[THRESHOLD_5]);
    pp_policy_free(policies[THRESHOLD_HUGE]);
    pp_policy_free(policies[THRESHOLD_RC]);
}

/* ---- rows ---- */

/* Platform IDs of docs/spec.md §5. */
#define CORE 0u
#define PHOTON 6u
#define ELECTRON 10u
#define BORON 13u
#define XENON 14u
#define ESOMX 15u
#define ASOM 22u
#define BSOM 23u
#define B5SOM 25u
#define TRACKER 26u
#define P2 32u
#define UNKNOWN_PLATFORM 99u
#define BY_SKU PP_PLATFORM_UNSPECIFIED

#define ALL PP_PRIVILEGES_ALL
#define OTA PP_ADVISORY_OTA_UPDATE_PENDING
#define DEV PP_ADVISORY_DEVELOPMENT_DEVICE
#define BELOW PP_ADVISORY_DEVICE_OS_BELOW_MINIMUM
#define LEAVES_DENIED PP_ADVISORY_LEAVES_DENIED_LIST
#define LEAVES_QUARANTINE PP_ADVISORY_LEAVES_QUARANTINE

#define DEFAULT_ID "e00fce68aabbccddeeff0011"

/* Strings left NULL are absent (id: a valid default).  Every row names its
 * platform: 0 is the Core. */
typedef struct device_in {
    const char *os;
    uint32_t platform;
    const char *sku;
    const char *owner;
    uint32_t c, f;
    uint32_t denied_in, removed_from, quarantined_in;
    uint32_t firmware_version;
    int development;
    const char *id;
} device_in;

typedef struct expected {
    int outcome, reason, rule;
    uint32_t product, limited_in, privileges, advisories;
} expected;

typedef struct decide_case {
    const char *name;
    device_in in;
    expected want;
} decide_case;

static pp_device make_device(const device_in *in)
{
    pp_device d;
    memset(&d, 0, sizeof d);
    d.id = in->id ? in->id : DEFAULT_ID;
    d.id_len = strlen(d.id);
    d.device_os = in->os;
    d.device_os_len = in->os ? strlen(in->os) : 0;
    d.sku = in->sku;
    d.sku_len = in->sku ? strlen(in->sku) : 0;
    d.owner = in->owner;
    d.owner_len = in->owner ? strlen(in->owner) : 0;
    d.platform_id = in->platform;
    d.cloud_product_id = in->c;
    d.firmware_product_id = in->f;
    d.denied_in = in->denied_in;
    d.removed_from = in->removed_from;
    d.quarantined_in = in->quarantined_in;
    d.firmware_version = in->firmware_version;
    d.development = in->development;
    return d;
}

static const char *or_unknown(const char *name) { return name ? name : "?"; }

static void assert_decision(const char *name, const pp_decision *got,
                            const expected *want, int error)
{
    ck_assert_msg(got->outcome == want->outcome, "%s: outcome %s, want %s", name,
                  or_unknown(pp_outcome_name(got->outcome)),
                  or_unknown(pp_outcome_name(want->outcome)));
    ck_assert_msg(got->reason == want->reason, "%s: reason %s, want %s", name,
                  or_unknown(pp_reason_name(got->reason)),
                  or_unknown(pp_reason_name(want->reason)));
    ck_assert_msg(got->rule == want->rule, "%s: rule %d, want %d", name,
                  got->rule, want->rule);
    ck_assert_msg(got->error == error, "%s: error %s, want %s", name,
                  or_unknown(pp_error_name(got->error)),
                  or_unknown(pp_error_name(error)));
    ck_assert_msg(got->product_id == want->product, "%s: product %u, want %u",
                  name, got->product_id, want->product);
    ck_assert_msg(got->limited_in == want->limited_in,
                  "%s: limited_in %u, want %u", name, got->limited_in,
                  want->limited_in);
    ck_assert_msg(got->privileges == want->privileges,
                  "%s: privileges 0x%x, want 0x%x", name, got->privileges,
                  want->privileges);
    ck_assert_msg(got->advisories == want->advisories,
                  "%s: advisories 0x%x, want 0x%x", name, got->advisories,
                  want->advisories);
}

static void check_case(const decide_case *tc, int policy, const pp_team *team)
{
    pp_device dev = make_device(&tc->in);
    pp_decision got;
    memset(&got, 0xA5, sizeof got);   /* every field must be overwritten */
    int rc = pp_decide(&got, policies[policy], team, &dev);
    ck_assert_msg(rc == PP_OK, "%s: pp_decide returned %s", tc->name,
                  or_unknown(pp_error_name(rc)));
    assert_decision(tc->name, &got, &tc->want, PP_OK);
}

/* ---- each rule on its own ---- */

static const decide_case rule_cases[] = {
    { "rule_1_device_in_no_product_is_a_plain_device",
      { .os = "3.3.1", .platform = BSOM },
      { PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE, 1, 0, 0, 0, 0 } },
    { "rule_1_device_os_4_device_in_no_product_is_a_plain_device",
      { .os = "5.8.0", .platform = P2, .sku = "P2MOD10" },
      { PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE, 1, 0, 0, 0, 0 } },
    { "rule_2_firmware_claims_a_product_not_in_the_policy",
      { .os = "3.3.1", .platform = BSOM, .f = 999 },
      { PP_OUTCOME_DENY, PP_REASON_UNKNOWN_PRODUCT, 2, 999, 0, 0, 0 } },
    { "rule_2_cloud_lists_a_device_os_4_device_in_a_product_not_in_the_policy",
      { .os = "4.0.0", .platform = BSOM, .c = 999 },
      { PP_OUTCOME_DENY, PP_REASON_UNKNOWN_PRODUCT, 2, 999, 0, 0, 0 } },
    { "rule_3_core_is_not_product_eligible",
      { .os = "1.5.2", .platform = CORE, .c = 100, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, 3, 100, 0, 0, 0 } },
    { "rule_3_xenon_is_not_product_eligible",
      { .os = "3.3.1", .platform = XENON, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, 3, 100, 0, 0, 0 } },
    { "rule_3_asom_is_not_product_eligible",
      { .os = "3.3.1", .platform = ASOM, .c = 100, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, 3, 100, 0, 0, 0 } },
    { "rule_4_b5som_platform_is_not_in_a_bsom_product",
      { .os = "3.3.1", .platform = B5SOM, .c = 100, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 100, 0, 0, 0 } },
    { "rule_4_p2_platform_without_sku_is_sku_required_in_a_p2_product",
      { .os = "5.8.0", .platform = P2, .c = 300 },
      { PP_OUTCOME_DENY, PP_REASON_SKU_REQUIRED, 4, 300, 0, 0, 0 } },
    { "rule_5_member_on_its_own_denied_list_fails_closed",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .f = 100, .denied_in = 100 },
      { PP_OUTCOME_DENY, PP_REASON_DENIED_LIST, 5, 100, 0, 0, 0 } },
    { "rule_6_legacy_member_whose_firmware_reports_no_product_is_limited",
      { .os = "3.3.1", .platform = BSOM, .c = 100 },
      { PP_OUTCOME_LIMITED, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT, 6, 100, 0, 0, 0 } },
    { "rule_7_legacy_member_with_matching_firmware_is_ok",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .f = 100 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, 0 } },
    { "rule_7_device_os_4_member_is_ok_on_the_cloud_record_alone",
      { .os = "4.0.0", .platform = BSOM, .c = 100 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, 0 } },
    { "rule_8_denied_device_flashed_with_product_firmware_stays_denied",
      { .os = "3.3.1", .platform = BSOM, .f = 100, .denied_in = 100 },
      { PP_OUTCOME_DENY, PP_REASON_DENIED_LIST, 8, 100, 0, 0, 0 } },
    { "rule_9_removed_device_reappears_as_denied",
      { .os = "3.3.1", .platform = BSOM, .f = 100, .removed_from = 100 },
      { PP_OUTCOME_REAPPEAR_AS_DENIED, PP_REASON_REMOVED_FROM_PRODUCT, 9, 100, 0, 0, 0 } },
    { "rule_9_removed_legacy_device_is_quarantined_when_the_product_says_so",
      { .os = "3.3.1", .platform = BSOM, .f = 200, .removed_from = 200,
        .firmware_version = 5 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_REMOVED_FROM_PRODUCT, 9, 200, 0, 0, 0 } },
    { "rule_9_removed_device_os_4_device_reappears_as_denied_even_when_the_product_quarantines",
      { .os = "4.0.0", .platform = BSOM, .f = 200, .removed_from = 200 },
      { PP_OUTCOME_REAPPEAR_AS_DENIED, PP_REASON_REMOVED_FROM_PRODUCT, 9, 200, 0, 0, 0 } },
    { "rule_10_device_os_4_device_not_pre_added_is_denied",
      { .os = "4.0.0", .platform = BSOM, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_NOT_PRE_ADDED, 10, 100, 0, 0, 0 } },
    { "rule_11_legacy_member_of_another_product_is_quarantined",
      { .os = "3.3.1", .platform = BSOM, .c = 600, .f = 100 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT, 11, 100, 600, 0, 0 } },
    { "rule_12_unrecognized_device_is_quarantined",
      { .os = "3.3.1", .platform = BSOM, .f = 100 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE, 12, 100, 0, 0, 0 } },
    { "rule_13_unowned_device_is_auto_approved",
      { .os = "3.3.1", .platform = BSOM, .f = 200, .firmware_version = 5 },
      { PP_OUTCOME_AUTO_APPROVE, PP_REASON_UNOWNED, 13, 200, 0, ALL, 0 } },
    { "rule_14_device_owned_by_an_organization_member_is_auto_approved",
      { .os = "3.3.1", .platform = BSOM, .f = 200, .owner = "alice",
        .firmware_version = 5 },
      { PP_OUTCOME_AUTO_APPROVE, PP_REASON_OWNER_IS_TEAM_MEMBER, 14, 200, 0, ALL, 0 } },
    { "rule_15_device_owned_by_a_stranger_is_quarantined",
      { .os = "3.3.1", .platform = BSOM, .f = 200, .owner = "mallory",
        .firmware_version = 5 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_OWNER_NOT_TEAM_MEMBER, 15, 200, 0, 0, 0 } },
};

START_TEST(test_decide_each_rule_on_its_own)
{
    check_case(&rule_cases[_i], MAIN, NULL);
}
END_TEST

/* ---- neighbouring rules: a device matching rule n and n+1 gets rule n ---- */

static const decide_case precedence_cases[] = {
    { "rule_1_before_2_and_3_core_device_in_no_product_is_a_plain_device",
      { .os = "3.3.1", .platform = CORE },
      { PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE, 1, 0, 0, 0, 0 } },
    { "rule_2_before_3_core_claiming_an_unknown_product_is_unknown_product",
      { .os = "3.3.1", .platform = CORE, .f = 999 },
      { PP_OUTCOME_DENY, PP_REASON_UNKNOWN_PRODUCT, 2, 999, 0, 0, 0 } },
    { "rule_3_before_4_xenon_member_is_not_product_eligible",
      { .os = "3.3.1", .platform = XENON, .c = 100, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, 3, 100, 0, 0, 0 } },
    { "rule_4_before_5_incompatible_member_on_the_denied_list",
      { .os = "3.3.1", .platform = B5SOM, .c = 100, .f = 100, .denied_in = 100 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 100, 0, 0, 0 } },
    { "rule_5_before_6_denied_legacy_member_without_product_firmware",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .denied_in = 100 },
      { PP_OUTCOME_DENY, PP_REASON_DENIED_LIST, 5, 100, 0, 0, LEAVES_DENIED } },
    { "rule_5_before_7_and_8_device_os_4_member_on_the_denied_list",
      { .os = "4.0.0", .platform = BSOM, .c = 100, .denied_in = 100 },
      { PP_OUTCOME_DENY, PP_REASON_DENIED_LIST, 5, 100, 0, 0, 0 } },
    { "rule_6_before_7_legacy_member_running_non_product_firmware",
      { .os = "2.3.1", .platform = BSOM, .c = 100 },
      { PP_OUTCOME_LIMITED, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT, 6, 100, 0, 0, 0 } },
    { "rule_7_before_9_member_once_removed_is_a_member",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .f = 100, .removed_from = 100 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, 0 } },
    { "rule_8_before_9_denied_and_removed_is_denied_list",
      { .os = "3.3.1", .platform = BSOM, .f = 100, .denied_in = 100,
        .removed_from = 100 },
      { PP_OUTCOME_DENY, PP_REASON_DENIED_LIST, 8, 100, 0, 0, 0 } },
    { "rule_9_before_10_removed_device_os_4_device_reappears_as_denied",
      { .os = "4.0.0", .platform = BSOM, .f = 100, .removed_from = 100 },
      { PP_OUTCOME_REAPPEAR_AS_DENIED, PP_REASON_REMOVED_FROM_PRODUCT, 9, 100, 0, 0, 0 } },
    { "rule_9_before_11_removed_device_now_in_another_product",
      { .os = "3.3.1", .platform = BSOM, .c = 600, .f = 200, .removed_from = 200 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_REMOVED_FROM_PRODUCT, 9, 200, 600, 0, 0 } },
    { "rule_10_before_12_device_os_4_device_in_a_quarantine_product",
      { .os = "4.0.0", .platform = BSOM, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_NOT_PRE_ADDED, 10, 100, 0, 0, 0 } },
    { "rule_10_before_13_device_os_4_unowned_device_in_an_auto_approve_product",
      { .os = "4.0.0", .platform = BSOM, .f = 200 },
      { PP_OUTCOME_DENY, PP_REASON_NOT_PRE_ADDED, 10, 200, 0, 0, 0 } },
    { "rule_11_before_12_member_of_another_product_in_a_quarantine_product",
      { .os = "3.3.1", .platform = BSOM, .c = 700, .f = 100 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT, 11, 100, 700, 0, 0 } },
    { "rule_11_before_13_auto_approve_never_takes_an_unowned_member_of_another_product",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .f = 200, .firmware_version = 5 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT, 11, 200, 100, 0, 0 } },
    { "rule_11_before_14_auto_approve_never_takes_a_team_members_device_of_another_product",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .f = 200, .owner = "alice",
        .firmware_version = 5 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT, 11, 200, 100, 0, 0 } },
    { "rule_12_before_14_team_members_device_in_a_quarantine_product",
      { .os = "3.3.1", .platform = BSOM, .f = 100, .owner = "alice" },
      { PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE, 12, 100, 0, 0, 0 } },
    { "rule_12_before_15_strangers_device_in_a_quarantine_product",
      { .os = "3.3.1", .platform = BSOM, .f = 100, .owner = "mallory" },
      { PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE, 12, 100, 0, 0, 0 } },
};

START_TEST(test_decide_neighbouring_rules_first_match_wins)
{
    check_case(&precedence_cases[_i], MAIN, NULL);
}
END_TEST

/* ---- legacy vs Device OS 4 on both sides of the threshold ----
 * The same unrecognized device in quarantine product 100: legacy devices are
 * quarantined (rule 12), 4.x ones are denied (rule 10). */

#define UNRECOGNIZED_IN_100(version) \
    { .os = version, .platform = BSOM, .f = 100 }
#define LEGACY_12 \
    { PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE, 12, 100, 0, 0, 0 }
#define MODERN_10 \
    { PP_OUTCOME_DENY, PP_REASON_NOT_PRE_ADDED, 10, 100, 0, 0, 0 }

static const decide_case threshold_cases[] = {
    { "threshold_3_3_1_is_legacy", UNRECOGNIZED_IN_100("3.3.1"), LEGACY_12 },
    { "threshold_3_999_999_is_legacy", UNRECOGNIZED_IN_100("3.999.999"), LEGACY_12 },
    { "threshold_2_3_1_rc_2_is_legacy", UNRECOGNIZED_IN_100("2.3.1-rc.2"), LEGACY_12 },
    { "threshold_3_0_1_p2_1_is_legacy", UNRECOGNIZED_IN_100("3.0.1-p2.1"), LEGACY_12 },
    { "threshold_leading_v_v3_3_1_is_legacy", UNRECOGNIZED_IN_100("v3.3.1"), LEGACY_12 },
    { "threshold_4_0_0_0_is_not_legacy", UNRECOGNIZED_IN_100("4.0.0-0"), MODERN_10 },
    { "threshold_4_0_0_beta_1_is_not_legacy", UNRECOGNIZED_IN_100("4.0.0-beta.1"), MODERN_10 },
    { "threshold_4_0_0_is_not_legacy", UNRECOGNIZED_IN_100("4.0.0"), MODERN_10 },
    { "threshold_5_4_0_build_ledger_is_not_legacy", UNRECOGNIZED_IN_100("5.4.0+ledger"), MODERN_10 },
    { "threshold_3_999_999_member_without_product_firmware_is_limited",
      { .os = "3.999.999", .platform = BSOM, .c = 100 },
      { PP_OUTCOME_LIMITED, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT, 6, 100, 0, 0, 0 } },
    { "threshold_4_0_0_0_member_without_product_firmware_is_ok",
      { .os = "4.0.0-0", .platform = BSOM, .c = 100 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, 0 } },
};

START_TEST(test_decide_legacy_threshold)
{
    check_case(&threshold_cases[_i], MAIN, NULL);
}
END_TEST

/* The same device under `legacy_device_os_below: 5.0.0`: the comparison is
 * plain semver precedence, so 5.0.0's own prereleases are legacy there. */
static const decide_case custom_threshold_cases[] = {
    { "custom_threshold_5_0_0_makes_3_3_1_legacy",
      UNRECOGNIZED_IN_100("3.3.1"), LEGACY_12 },
    { "custom_threshold_5_0_0_makes_4_4_0_legacy",
      UNRECOGNIZED_IN_100("4.4.0"), LEGACY_12 },
    { "custom_threshold_5_0_0_makes_its_own_prerelease_5_0_0_rc_1_legacy",
      UNRECOGNIZED_IN_100("5.0.0-rc.1"), LEGACY_12 },
    { "custom_threshold_5_0_0_makes_5_0_0_not_legacy",
      UNRECOGNIZED_IN_100("5.0.0"), MODERN_10 },
    { "custom_threshold_5_0_0_makes_6_1_0_not_legacy",
      UNRECOGNIZED_IN_100("6.1.0"), MODERN_10 },
};

START_TEST(test_decide_custom_legacy_threshold)
{
    check_case(&custom_threshold_cases[_i], THRESHOLD_5, NULL);
}
END_TEST

static const decide_case huge_threshold_cases[] = {
    { "threshold_1048576_0_0_makes_5_4_0_legacy", UNRECOGNIZED_IN_100("5.4.0"), LEGACY_12 },
    { "threshold_1048576_0_0_makes_its_prerelease_legacy",
      UNRECOGNIZED_IN_100("1048576.0.0-rc.1"), LEGACY_12 },
    { "threshold_1048576_0_0_makes_itself_not_legacy",
      UNRECOGNIZED_IN_100("1048576.0.0"), MODERN_10 },
    { "threshold_1048576_0_0_makes_2000000_1_1_not_legacy",
      UNRECOGNIZED_IN_100("2000000.1.1"), MODERN_10 },
};

START_TEST(test_decide_legacy_threshold_past_the_version_keys)
{
    check_case(&huge_threshold_cases[_i], THRESHOLD_HUGE, NULL);
}
END_TEST

static const decide_case rc_threshold_cases[] = {
    { "threshold_5_0_0_rc_2_makes_5_0_0_rc_1_legacy", UNRECOGNIZED_IN_100("5.0.0-rc.1"),
      LEGACY_12 },
    { "threshold_5_0_0_rc_2_makes_itself_not_legacy", UNRECOGNIZED_IN_100("5.0.0-rc.2"),
      MODERN_10 },
    { "threshold_5_0_0_rc_2_makes_5_0_0_rc_10_not_legacy", UNRECOGNIZED_IN_100("5.0.0-rc.10"),
      MODERN_10 },
    { "threshold_5_0_0_rc_2_makes_4_9_9_legacy", UNRECOGNIZED_IN_100("4.9.9"), LEGACY_12 },
    { "threshold_5_0_0_rc_2_makes_5_0_0_not_legacy", UNRECOGNIZED_IN_100("5.0.0"), MODERN_10 },
};

START_TEST(test_decide_prerelease_legacy_threshold)
{
    check_case(&rc_threshold_cases[_i], THRESHOLD_RC, NULL);
}
END_TEST

/* ---- the product in question (F vs C) and limited_in ---- */

static const decide_case product_cases[] = {
    { "product_is_f_for_a_legacy_device_whose_cloud_record_disagrees",
      { .os = "3.3.1", .platform = BORON, .c = 100, .f = 600 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT, 11, 600, 100, 0, 0 } },
    { "product_is_c_for_a_device_os_4_device_whatever_its_firmware_says",
      { .os = "4.0.0", .platform = BSOM, .c = 100, .f = 600 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, 0 } },
    { "product_is_f_for_a_device_os_4_device_the_cloud_lists_nowhere",
      { .os = "4.0.0-beta.1", .platform = BSOM, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_NOT_PRE_ADDED, 10, 100, 0, 0, 0 } },
    { "product_is_c_for_a_legacy_device_reporting_no_product",
      { .os = "3.3.1", .platform = BSOM, .c = 200 },
      { PP_OUTCOME_LIMITED, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT, 6, 200, 0, 0, 0 } },
    { "mismatch_cloud_1_device_2_is_limited_in_1",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .f = 200, .firmware_version = 5 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT, 11, 200, 100, 0, 0 } },
    { "mismatch_cloud_2_device_1_is_limited_in_2",
      { .os = "3.3.1", .platform = BSOM, .c = 200, .f = 100 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT, 11, 100, 200, 0, 0 } },
    { "limited_in_on_rule_2_unknown_product",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .f = 999 },
      { PP_OUTCOME_DENY, PP_REASON_UNKNOWN_PRODUCT, 2, 999, 100, 0, 0 } },
    { "limited_in_on_rule_3_platform_not_product_eligible",
      { .os = "3.3.1", .platform = CORE, .c = 600, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, 3, 100, 600, 0, 0 } },
    { "limited_in_on_rule_4_incompatible_platform",
      { .os = "3.3.1", .platform = B5SOM, .c = 600, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 100, 600, 0, 0 } },
    { "limited_in_on_rule_8_denied_list",
      { .os = "3.3.1", .platform = BSOM, .c = 600, .f = 100, .denied_in = 100 },
      { PP_OUTCOME_DENY, PP_REASON_DENIED_LIST, 8, 100, 600, 0, 0 } },
    { "limited_in_on_rule_9_removed_from_product",
      { .os = "3.3.1", .platform = BSOM, .c = 600, .f = 100, .removed_from = 100 },
      { PP_OUTCOME_REAPPEAR_AS_DENIED, PP_REASON_REMOVED_FROM_PRODUCT, 9, 100, 600, 0, 0 } },
    { "limited_in_names_a_cloud_product_outside_the_policy",
      { .os = "3.3.1", .platform = BSOM, .c = 999, .f = 100 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT, 11, 100, 999, 0, 0 } },
};

START_TEST(test_decide_product_in_question_and_limited_in)
{
    check_case(&product_cases[_i], MAIN, NULL);
}
END_TEST

/* ---- rule 4 in detail: platforms, SKUs and families ---- */

static const decide_case family_cases[] = {
    { "family_bsom_product_takes_a_b404x_sku",
      { .os = "3.3.1", .platform = BSOM, .sku = "B404XMEA", .c = 100, .f = 100 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, 0 } },
    { "family_sku_alone_gives_the_platform",
      { .os = "3.3.1", .platform = BY_SKU, .sku = "B404XMEA", .c = 100, .f = 100 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, 0 } },
    { "family_unknown_sku_is_ignored_where_the_platform_decides",
      { .os = "3.3.1", .platform = BSOM, .sku = "ACME-1", .c = 100, .f = 100 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, 0 } },
    { "family_sku_of_another_platform_is_incompatible",
      { .os = "3.3.1", .platform = BSOM, .sku = "B524MEA", .c = 100, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 100, 0, 0, 0 } },
    { "family_b5som_sku_alone_is_not_bsom",
      { .os = "3.3.1", .platform = BY_SKU, .sku = "B524MEA", .c = 100, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 100, 0, 0, 0 } },
    { "family_boron_is_not_with_bsom",
      { .os = "3.3.1", .platform = BORON, .c = 100, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 100, 0, 0, 0 } },
    { "family_unknown_platform_is_incompatible_not_invalid",
      { .os = "3.3.1", .platform = UNKNOWN_PLATFORM, .c = 100, .f = 100 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 100, 0, 0, 0 } },
    { "family_unknown_platform_in_no_product_is_a_plain_device",
      { .os = "3.3.1", .platform = UNKNOWN_PLATFORM },
      { PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE, 1, 0, 0, 0, 0 } },
    { "family_p2_platform_without_sku_is_incompatible_with_bsom",
      { .os = "5.8.0", .platform = P2, .c = 100 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 100, 0, 0, 0 } },
    { "family_p2_sku_in_a_p2_product",
      { .os = "5.8.0", .platform = P2, .sku = "P2MOD10", .c = 300 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 300, 0, ALL, 0 } },
    { "family_sku_prefix_matches_case_insensitively",
      { .os = "5.8.0", .platform = P2, .sku = "p2mod10", .c = 300 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 300, 0, ALL, 0 } },
    { "family_photon2_sku_in_a_p2_product_is_incompatible",
      { .os = "5.8.0", .platform = P2, .sku = "PHN2MEA", .c = 300 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 300, 0, 0, 0 } },
    { "family_p2_platform_with_unknown_sku_is_sku_required",
      { .os = "5.8.0", .platform = P2, .sku = "ACME-1", .c = 300 },
      { PP_OUTCOME_DENY, PP_REASON_SKU_REQUIRED, 4, 300, 0, 0, 0 } },
    { "family_p2_platform_without_sku_is_sku_required_in_a_photon2_product",
      { .os = "5.8.0", .platform = P2, .c = 400 },
      { PP_OUTCOME_DENY, PP_REASON_SKU_REQUIRED, 4, 400, 0, 0, 0 } },
    { "family_photon2_sku_in_a_photon2_product",
      { .os = "5.8.0", .platform = P2, .sku = "PHN2MEA", .c = 400 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 400, 0, ALL, 0 } },
    { "family_p2_sku_alone_in_a_photon2_product_is_incompatible",
      { .os = "5.8.0", .platform = BY_SKU, .sku = "P2MOD10", .c = 400 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 400, 0, 0, 0 } },
    { "family_photon_platform_in_a_p2_product_is_incompatible",
      { .os = "5.8.0", .platform = PHOTON, .c = 300 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 300, 0, 0, 0 } },
    { "family_e_series_sku_shares_the_electron_product",
      { .os = "3.3.1", .platform = ELECTRON, .sku = "E404MEA", .c = 500, .f = 500,
        .firmware_version = 12 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 500, 0, ALL, 0 } },
    { "family_e404x_sku_on_the_electron_platform_contradicts_it",
      { .os = "3.3.1", .platform = ELECTRON, .sku = "E404XMEA", .c = 500, .f = 500 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 500, 0, 0, 0 } },
    { "family_e404x_sku_alone_is_not_electron",
      { .os = "4.0.0", .platform = BY_SKU, .sku = "E404XMEA", .c = 500 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 500, 0, 0, 0 } },
    { "family_esomx_platform_is_not_electron",
      { .os = "4.0.0", .platform = ESOMX, .c = 500 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 500, 0, 0, 0 } },
    { "family_tracker_one_sku_alone_joins_a_tracker_product",
      { .os = "3.3.1", .platform = BY_SKU, .sku = "ONE404MEA", .c = 700, .f = 700 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 700, 0, ALL, 0 } },
    { "family_monitor_one_sku_shares_the_tracker_product",
      { .os = "3.3.1", .platform = TRACKER, .sku = "MON404E", .c = 700, .f = 700 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 700, 0, ALL, 0 } },
};

START_TEST(test_decide_platform_and_sku_against_the_family)
{
    check_case(&family_cases[_i], MAIN, NULL);
}
END_TEST

/* ---- advisories ---- */

static const decide_case advisory_cases[] = {
    { "ota_update_pending_on_auto_approve_with_older_firmware",
      { .os = "3.3.1", .platform = BSOM, .f = 200, .firmware_version = 3 },
      { PP_OUTCOME_AUTO_APPROVE, PP_REASON_UNOWNED, 13, 200, 0, ALL, OTA } },
    { "ota_update_pending_when_no_firmware_version_is_known",
      { .os = "3.3.1", .platform = BSOM, .f = 200 },
      { PP_OUTCOME_AUTO_APPROVE, PP_REASON_UNOWNED, 13, 200, 0, ALL, OTA } },
    { "ota_update_pending_on_member_with_older_firmware",
      { .os = "3.3.1", .platform = BSOM, .c = 200, .f = 200, .firmware_version = 4 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, OTA } },
    { "ota_update_pending_on_member_with_newer_firmware",
      { .os = "4.0.0", .platform = BSOM, .c = 200, .firmware_version = 6 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, OTA } },
    { "ota_update_pending_on_team_members_device",
      { .os = "3.3.1", .platform = BSOM, .f = 200, .owner = "alice",
        .firmware_version = 1 },
      { PP_OUTCOME_AUTO_APPROVE, PP_REASON_OWNER_IS_TEAM_MEMBER, 14, 200, 0, ALL, OTA } },
    { "no_ota_update_pending_when_running_released_firmware",
      { .os = "3.3.1", .platform = BSOM, .c = 200, .f = 200, .firmware_version = 5 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, 0 } },
    { "no_ota_update_pending_without_released_firmware",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .f = 100, .firmware_version = 3 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, 0 } },
    { "no_ota_update_pending_on_quarantine",
      { .os = "3.3.1", .platform = ELECTRON, .f = 500, .firmware_version = 1 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE, 12, 500, 0, 0, 0 } },
    { "no_ota_update_pending_on_limited",
      { .os = "3.3.1", .platform = BSOM, .c = 200, .firmware_version = 1 },
      { PP_OUTCOME_LIMITED, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT, 6, 200, 0, 0, 0 } },
    { "development_device_on_member_instead_of_ota_update_pending",
      { .os = "3.3.1", .platform = BSOM, .c = 200, .f = 200, .firmware_version = 4,
        .development = 1 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, DEV } },
    { "development_device_on_auto_approve",
      { .os = "3.3.1", .platform = BSOM, .f = 200, .development = 1 },
      { PP_OUTCOME_AUTO_APPROVE, PP_REASON_UNOWNED, 13, 200, 0, ALL, DEV } },
    { "development_device_on_member_of_a_product_without_released_firmware",
      { .os = "4.0.0", .platform = BSOM, .c = 100, .development = 1 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 100, 0, ALL, DEV } },
    { "no_development_device_on_a_device_in_no_product",
      { .os = "3.3.1", .platform = BSOM, .development = 1 },
      { PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE, 1, 0, 0, 0, 0 } },
    { "no_development_device_on_quarantine",
      { .os = "3.3.1", .platform = ELECTRON, .f = 500, .development = 1 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE, 12, 500, 0, 0, 0 } },
    { "no_advisory_on_deny_not_pre_added",
      { .os = "4.0.0", .platform = BSOM, .f = 200, .firmware_version = 1,
        .development = 1 },
      { PP_OUTCOME_DENY, PP_REASON_NOT_PRE_ADDED, 10, 200, 0, 0, 0 } },
    { "device_os_below_minimum_on_member_with_ota_update_pending",
      { .os = "2.3.1", .platform = BSOM, .c = 200, .f = 200, .firmware_version = 4 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, OTA | BELOW } },
    { "device_os_below_minimum_for_a_prerelease_of_the_minimum",
      { .os = "3.1.0-rc.1", .platform = BSOM, .c = 200, .f = 200, .firmware_version = 5 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, BELOW } },
    { "device_os_at_the_minimum_is_not_below_it",
      { .os = "3.1.0", .platform = BSOM, .c = 200, .f = 200, .firmware_version = 5 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, 0 } },
    { "device_os_below_minimum_on_quarantine",
      { .os = "1.5.2", .platform = ELECTRON, .f = 500 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE, 12, 500, 0, 0, BELOW } },
    { "device_os_below_minimum_on_rule_3",
      { .os = "2.3.1", .platform = CORE, .f = 200 },
      { PP_OUTCOME_DENY, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, 3, 200, 0, 0, BELOW } },
    { "device_os_below_minimum_on_rule_4",
      { .os = "2.3.1", .platform = B5SOM, .f = 200 },
      { PP_OUTCOME_DENY, PP_REASON_INCOMPATIBLE_PLATFORM, 4, 200, 0, 0, BELOW } },
    { "device_os_below_minimum_on_device_os_4_member",
      { .os = "5.4.0+ledger", .platform = P2, .sku = "P2MOD10", .c = 300 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 300, 0, ALL, BELOW } },
    { "no_device_os_below_minimum_for_a_product_not_in_the_policy",
      { .os = "1.0.0", .platform = BSOM, .f = 999 },
      { PP_OUTCOME_DENY, PP_REASON_UNKNOWN_PRODUCT, 2, 999, 0, 0, 0 } },
    { "leaves_denied_list_when_running_non_product_firmware",
      { .os = "3.3.1", .platform = BSOM, .denied_in = 100 },
      { PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE, 1, 0, 0, 0, LEAVES_DENIED } },
    { "leaves_quarantine_when_running_non_product_firmware",
      { .os = "3.3.1", .platform = BSOM, .quarantined_in = 100 },
      { PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE, 1, 0, 0, 0, LEAVES_QUARANTINE } },
    { "leaves_denied_list_and_quarantine_together",
      { .os = "3.3.1", .platform = BSOM, .denied_in = 100, .quarantined_in = 500 },
      { PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE, 1, 0, 0, 0,
        LEAVES_DENIED | LEAVES_QUARANTINE } },
    { "leaves_quarantine_on_a_limited_member",
      { .os = "3.3.1", .platform = BSOM, .c = 100, .quarantined_in = 100 },
      { PP_OUTCOME_LIMITED, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT, 6, 100, 0, 0,
        LEAVES_QUARANTINE } },
    { "leaves_denied_list_on_an_unknown_cloud_product",
      { .os = "3.3.1", .platform = BSOM, .c = 999, .denied_in = 999 },
      { PP_OUTCOME_DENY, PP_REASON_UNKNOWN_PRODUCT, 2, 999, 0, 0, LEAVES_DENIED } },
    { "no_leaves_advisories_for_device_os_4",
      { .os = "4.0.0", .platform = BSOM, .denied_in = 100, .quarantined_in = 100 },
      { PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE, 1, 0, 0, 0, 0 } },
    { "no_leaves_denied_list_when_firmware_reports_the_product",
      { .os = "3.3.1", .platform = BSOM, .f = 100, .denied_in = 100 },
      { PP_OUTCOME_DENY, PP_REASON_DENIED_LIST, 8, 100, 0, 0, 0 } },
    { "no_leaves_quarantine_when_firmware_reports_the_product",
      { .os = "3.3.1", .platform = BSOM, .f = 100, .quarantined_in = 100 },
      { PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE, 12, 100, 0, 0, 0 } },
};

START_TEST(test_decide_advisories)
{
    check_case(&advisory_cases[_i], MAIN, NULL);
}
END_TEST

/* ---- rule 14: who counts as P's team (policy data only) ---- */

#define OWNED_IN_200(user) \
    { .os = "3.3.1", .platform = BSOM, .f = 200, .owner = user, .firmware_version = 5 }
#define TEAM_200 \
    { PP_OUTCOME_AUTO_APPROVE, PP_REASON_OWNER_IS_TEAM_MEMBER, 14, 200, 0, ALL, 0 }
#define NOT_TEAM_200 \
    { PP_OUTCOME_QUARANTINE, PP_REASON_OWNER_NOT_TEAM_MEMBER, 15, 200, 0, 0, 0 }

static const decide_case team_cases[] = {
    { "team_organization_owner", OWNED_IN_200("alice"), TEAM_200 },
    { "team_organization_view_only_member_counts_whatever_the_role",
      OWNED_IN_200("vic"), TEAM_200 },
    { "team_product_team_member", OWNED_IN_200("carol"), TEAM_200 },
    { "team_api_user_is_not_a_team_member", OWNED_IN_200("acme-ci"), NOT_TEAM_200 },
    { "team_member_of_another_organization_is_not", OWNED_IN_200("gina"), NOT_TEAM_200 },
    { "team_user_names_are_exact", OWNED_IN_200("Alice"), NOT_TEAM_200 },
    { "team_product_team_does_not_extend_to_sibling_products",
      { .os = "3.3.1", .platform = TRACKER, .f = 700, .owner = "carol" },
      { PP_OUTCOME_QUARANTINE, PP_REASON_OWNER_NOT_TEAM_MEMBER, 15, 700, 0, 0, 0 } },
    { "team_organization_spans_its_products",
      { .os = "3.3.1", .platform = TRACKER, .f = 700, .owner = "vic" },
      { PP_OUTCOME_AUTO_APPROVE, PP_REASON_OWNER_IS_TEAM_MEMBER, 14, 700, 0, ALL, 0 } },
    { "team_other_organization_member_in_its_own_product",
      { .os = "3.3.1", .platform = BORON, .f = 600, .owner = "gina" },
      { PP_OUTCOME_AUTO_APPROVE, PP_REASON_OWNER_IS_TEAM_MEMBER, 14, 600, 0, ALL, 0 } },
    { "team_owner_of_acme_is_a_stranger_to_globex",
      { .os = "3.3.1", .platform = BORON, .f = 600, .owner = "alice" },
      { PP_OUTCOME_QUARANTINE, PP_REASON_OWNER_NOT_TEAM_MEMBER, 15, 600, 0, 0, 0 } },
};

START_TEST(test_decide_owner_team_membership)
{
    check_case(&team_cases[_i], MAIN, NULL);
}
END_TEST

/* ---- valid edge values (not invalid input) ---- */

#define S16 "aaaaaaaaaaaaaaaa"
#define OWNER_240 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16
#define OWNER_255 OWNER_240 "aaaaaaaaaaaaaaa"
#define OWNER_256 OWNER_240 S16

static const decide_case edge_cases[] = {
    { "edge_upper_case_device_id_is_valid",
      { .id = "E00FCE68AABBCCDDEEFF0011", .os = "3.3.1", .platform = BSOM,
        .c = 200, .f = 200, .firmware_version = 5 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, 0 } },
    { "edge_sku_of_32_characters_is_valid",
      { .os = "3.3.1", .platform = BSOM, .sku = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-12345",
        .c = 200, .f = 200, .firmware_version = 5 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, 0 } },
    { "edge_owner_of_255_bytes_is_valid", OWNED_IN_200(OWNER_255), NOT_TEAM_200 },
    { "edge_owner_in_utf8_is_valid", OWNED_IN_200("zo\xc3\xab"), NOT_TEAM_200 },
    { "edge_firmware_version_65535_is_valid",
      { .os = "3.3.1", .platform = BSOM, .c = 200, .f = 200, .firmware_version = 65535 },
      { PP_OUTCOME_OK, PP_REASON_MEMBER, 7, 200, 0, ALL, OTA } },
};

START_TEST(test_decide_valid_edge_values)
{
    check_case(&edge_cases[_i], MAIN, NULL);
}
END_TEST

/* ---- rule 0: invalid input fails closed ----
 * Every row is the member device below (which would be `ok` with every
 * privilege) with one or two fields broken. */

#define MEMBER_OF_200_ON(os_, platform_, firmware_version_) \
    .os = os_, .platform = platform_, .c = 200, .f = 200, \
    .firmware_version = firmware_version_
#define MEMBER_OF_200 MEMBER_OF_200_ON("3.3.1", BSOM, 5)

typedef struct invalid_case {
    const char *name;
    device_in in;
    int error;
} invalid_case;

static const invalid_case invalid_cases[] = {
    { "invalid_id_of_23_hex_digits",
      { MEMBER_OF_200, .id = "e00fce68aabbccddeeff001" }, PP_ERR_DEVICE_ID },
    { "invalid_id_of_25_hex_digits",
      { MEMBER_OF_200, .id = "e00fce68aabbccddeeff00112" }, PP_ERR_DEVICE_ID },
    { "invalid_id_with_a_non_hex_digit",
      { MEMBER_OF_200, .id = "e00fce68aabbccddeeff001g" }, PP_ERR_DEVICE_ID },
    { "invalid_id_empty", { MEMBER_OF_200, .id = "" }, PP_ERR_DEVICE_ID },
    { "invalid_device_os_missing", { MEMBER_OF_200_ON(NULL, BSOM, 5) }, PP_ERR_DEVICE_OS },
    { "invalid_device_os_empty", { MEMBER_OF_200_ON("", BSOM, 5) }, PP_ERR_DEVICE_OS },
    { "invalid_device_os_with_two_parts", { MEMBER_OF_200_ON("4.0", BSOM, 5) }, PP_ERR_DEVICE_OS },
    { "invalid_device_os_with_a_leading_zero",
      { MEMBER_OF_200_ON("04.0.0", BSOM, 5) }, PP_ERR_DEVICE_OS },
    { "invalid_device_os_with_an_empty_prerelease",
      { MEMBER_OF_200_ON("3.3.1-", BSOM, 5) }, PP_ERR_DEVICE_OS },
    { "invalid_device_os_word", { MEMBER_OF_200_ON("latest", BSOM, 5) }, PP_ERR_DEVICE_OS },
    { "invalid_sku_empty", { MEMBER_OF_200, .sku = "" }, PP_ERR_SKU },
    { "invalid_sku_of_33_characters",
      { MEMBER_OF_200, .sku = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-123456" }, PP_ERR_SKU },
    { "invalid_sku_with_an_underscore", { MEMBER_OF_200, .sku = "B404X_MEA" }, PP_ERR_SKU },
    { "invalid_sku_with_a_space", { MEMBER_OF_200, .sku = "B404X MEA" }, PP_ERR_SKU },
    { "invalid_owner_empty", { MEMBER_OF_200, .owner = "" }, PP_ERR_OWNER },
    { "invalid_owner_not_utf8", { MEMBER_OF_200, .owner = "al\xff\xfe" }, PP_ERR_OWNER },
    { "invalid_owner_overlong_utf8", { MEMBER_OF_200, .owner = "a\xc0\xaf" }, PP_ERR_OWNER },
    { "invalid_owner_with_a_newline", { MEMBER_OF_200, .owner = "ali\nce" }, PP_ERR_OWNER },
    { "invalid_owner_with_a_tab", { MEMBER_OF_200, .owner = "\talice" }, PP_ERR_OWNER },
    { "invalid_owner_of_256_bytes", { MEMBER_OF_200, .owner = OWNER_256 }, PP_ERR_OWNER },
    { "invalid_firmware_version_65536",
      { MEMBER_OF_200_ON("3.3.1", BSOM, 65536) }, PP_ERR_FIRMWARE_VERSION },
    { "invalid_firmware_version_uint32_max",
      { MEMBER_OF_200_ON("3.3.1", BSOM, UINT32_MAX) }, PP_ERR_FIRMWARE_VERSION },
    { "invalid_platform_neither_platform_id_nor_sku",
      { MEMBER_OF_200_ON("3.3.1", BY_SKU, 5) }, PP_ERR_PLATFORM },
    { "invalid_platform_neither_platform_id_nor_sku_whoever_owns_it",
      { MEMBER_OF_200_ON("3.3.1", BY_SKU, 5), .owner = "alice" }, PP_ERR_PLATFORM },
    { "first_error_wins_id_before_device_os",
      { MEMBER_OF_200_ON("4.0", BSOM, 5), .id = "xyz" }, PP_ERR_DEVICE_ID },
    { "first_error_wins_device_os_before_sku",
      { MEMBER_OF_200_ON("4.0", BSOM, 5), .sku = "B404X MEA" }, PP_ERR_DEVICE_OS },
    { "first_error_wins_sku_before_owner",
      { MEMBER_OF_200, .sku = "B404X MEA", .owner = "" }, PP_ERR_SKU },
    { "first_error_wins_owner_before_firmware_version",
      { MEMBER_OF_200_ON("3.3.1", BSOM, 65536), .owner = "" }, PP_ERR_OWNER },
    { "rule_0_before_1_invalid_id_on_a_device_in_no_product",
      { .os = "3.3.1", .platform = BSOM, .id = "not-a-device-id" }, PP_ERR_DEVICE_ID },
    { "rule_0_drops_the_advisories_a_valid_record_would_get",
      { .os = "3.3.1", .platform = BSOM, .denied_in = 100, .quarantined_in = 100,
        .id = "e00fce68aabbccddeeff001" }, PP_ERR_DEVICE_ID },
    { "rule_0_drops_ota_update_pending",
      { MEMBER_OF_200_ON("3.3.1", BSOM, 4), .owner = "" }, PP_ERR_OWNER },
};

static const expected INVALID_INPUT =
    { PP_OUTCOME_DENY, PP_REASON_INVALID_INPUT, 0, 0, 0, 0, 0 };

START_TEST(test_decide_invalid_input_fails_closed)
{
    const invalid_case *tc = &invalid_cases[_i];
    pp_device dev = make_device(&tc->in);
    pp_decision got;
    memset(&got, 0xA5, sizeof got);
    int rc = pp_decide(&got, policies[MAIN], NULL, &dev);
    ck_assert_msg(rc == tc->error, "%s: pp_decide returned %s, want %s", tc->name,
                  or_unknown(pp_error_name(rc)), or_unknown(pp_error_name(tc->error)));
    assert_decision(tc->name, &got, &INVALID_INPUT, tc->error);
}
END_TEST

START_TEST(test_decide_missing_id_is_invalid_input)
{
    device_in in = { MEMBER_OF_200 };
    pp_device dev = make_device(&in);
    dev.id = NULL;
    dev.id_len = 0;
    pp_decision got;
    ck_assert_int_eq(pp_decide(&got, policies[MAIN], NULL, &dev), PP_ERR_DEVICE_ID);
    assert_decision("missing id", &got, &INVALID_INPUT, PP_ERR_DEVICE_ID);
}
END_TEST

START_TEST(test_decide_id_is_read_by_length_not_to_a_nul)
{
    /* 24 hex digits followed by more text the length excludes. */
    device_in in = { MEMBER_OF_200, .id = "e00fce68aabbccddeeff0011trailing" };
    pp_device dev = make_device(&in);
    dev.id_len = 24;
    pp_decision got;
    ck_assert_int_eq(pp_decide(&got, policies[MAIN], NULL, &dev), PP_OK);
    ck_assert_int_eq(got.rule, 7);
    dev.id_len = 25;
    ck_assert_int_eq(pp_decide(&got, policies[MAIN], NULL, &dev), PP_ERR_DEVICE_ID);
}
END_TEST

/* ---- NULL arguments: an error and, where possible, a deny ---- */

static void assert_denied_for_bad_argument(const pp_decision *got)
{
    assert_decision("NULL argument", got, &INVALID_INPUT, PP_ERR_INVALID_ARGUMENT);
}

START_TEST(test_decide_null_out_is_invalid_argument)
{
    device_in in = { MEMBER_OF_200 };
    pp_device dev = make_device(&in);
    ck_assert_int_eq(pp_decide(NULL, policies[MAIN], NULL, &dev),
                     PP_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_decide_null_policy_denies)
{
    device_in in = { MEMBER_OF_200 };
    pp_device dev = make_device(&in);
    pp_decision got;
    memset(&got, 0xA5, sizeof got);
    ck_assert_int_eq(pp_decide(&got, NULL, NULL, &dev), PP_ERR_INVALID_ARGUMENT);
    assert_denied_for_bad_argument(&got);
}
END_TEST

START_TEST(test_decide_null_device_denies)
{
    pp_decision got;
    memset(&got, 0xA5, sizeof got);
    ck_assert_int_eq(pp_decide(&got, policies[MAIN], NULL, NULL),
                     PP_ERR_INVALID_ARGUMENT);
    assert_denied_for_bad_argument(&got);
}
END_TEST

/* ---- run-time team sets (rule 14) ---- */

static pp_decision decide_owned(uint32_t product, uint32_t platform,
                                const char *owner, const pp_team *team)
{
    device_in in = { .os = "3.3.1", .platform = platform, .f = product,
                     .owner = owner, .firmware_version = 5 };
    pp_device dev = make_device(&in);
    pp_decision got;
    ck_assert_int_eq(pp_decide(&got, policies[MAIN], team, &dev), PP_OK);
    return got;
}

START_TEST(test_decide_runtime_team_member_is_auto_approved)
{
    pp_team *team = NULL;
    ck_assert_int_eq(pp_team_new(&team, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(team, S("acme"), S("dave"), PP_ROLE_DEVELOPER), PP_OK);
    ck_assert_uint_eq(pp_team_size(team), 1);

    /* Without the set dave is a stranger; with it he is on acme's team. */
    ck_assert_int_eq(decide_owned(200, BSOM, "dave", NULL).rule, 15);
    pp_decision got = decide_owned(200, BSOM, "dave", team);
    const expected want = TEAM_200;
    assert_decision("runtime team member", &got, &want, PP_OK);

    /* The policy's own members still count when a set is given. */
    ck_assert_int_eq(decide_owned(200, BSOM, "alice", team).rule, 14);
    ck_assert_int_eq(decide_owned(200, BSOM, "mallory", team).rule, 15);
    pp_team_free(team);
}
END_TEST

START_TEST(test_decide_runtime_team_counts_only_for_its_organization)
{
    pp_team *team = NULL;
    ck_assert_int_eq(pp_team_new(&team, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(team, S("globex"), S("dave"), PP_ROLE_OWNER), PP_OK);
    /* Product 200 is acme's, product 600 globex's. */
    ck_assert_int_eq(decide_owned(200, BSOM, "dave", team).rule, 15);
    ck_assert_int_eq(decide_owned(600, BORON, "dave", team).rule, 14);
    pp_team_free(team);
}
END_TEST

START_TEST(test_decide_runtime_team_role_does_not_matter)
{
    pp_team *team = NULL;
    ck_assert_int_eq(pp_team_new(&team, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(team, S("acme"), S("erin"), PP_ROLE_VIEW_ONLY), PP_OK);
    ck_assert_int_eq(decide_owned(700, TRACKER, "erin", team).rule, 14);
    pp_team_free(team);
}
END_TEST

START_TEST(test_decide_runtime_team_does_not_open_a_quarantine_product)
{
    pp_team *team = NULL;
    ck_assert_int_eq(pp_team_new(&team, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(team, S("acme"), S("dave"), PP_ROLE_OWNER), PP_OK);
    pp_decision got = decide_owned(100, BSOM, "dave", team);
    ck_assert_int_eq(got.rule, 12);
    ck_assert_int_eq(got.outcome, PP_OUTCOME_QUARANTINE);
    pp_team_free(team);
    pp_team_free(NULL);   /* a no-op */
}
END_TEST

/* ---- pp_decide_many ---- */

START_TEST(test_decide_many_matches_single_decisions_and_reports_first_error)
{
    const device_in ins[] = {
        { MEMBER_OF_200 },
        { .os = "3.3.1", .platform = BSOM, .f = 100 },
        { MEMBER_OF_200_ON("4.0", BSOM, 5) },
        { MEMBER_OF_200, .id = "bad" },
        { .os = "4.0.0", .platform = BSOM, .f = 200 },
    };
    pp_device devs[N(ins)];
    for (size_t i = 0; i < N(ins); i++)
        devs[i] = make_device(&ins[i]);
    pp_decision many[N(ins)];
    memset(many, 0xA5, sizeof many);
    ck_assert_int_eq(pp_decide_many(many, policies[MAIN], NULL, devs, N(ins)),
                     PP_ERR_DEVICE_OS);
    for (size_t i = 0; i < N(ins); i++) {
        pp_decision one;
        memset(&one, 0, sizeof one);
        pp_decide(&one, policies[MAIN], NULL, &devs[i]);
        ck_assert_msg(memcmp(&one, &many[i], sizeof one) == 0,
                      "record %zu decided differently alone", i);
    }
    ck_assert_int_eq(many[0].rule, 7);
    ck_assert_int_eq(many[1].rule, 12);
    ck_assert_int_eq(many[2].error, PP_ERR_DEVICE_OS);
    ck_assert_int_eq(many[3].error, PP_ERR_DEVICE_ID);
    ck_assert_int_eq(many[4].rule, 10);
}
END_TEST

START_TEST(test_decide_many_all_valid_returns_ok)
{
    const device_in ins[] = {
        { MEMBER_OF_200 },
        { .os = "3.3.1", .platform = BSOM, .f = 200 },
    };
    pp_device devs[N(ins)];
    for (size_t i = 0; i < N(ins); i++)
        devs[i] = make_device(&ins[i]);
    pp_decision many[N(ins)];
    ck_assert_int_eq(pp_decide_many(many, policies[MAIN], NULL, devs, N(ins)), PP_OK);
    ck_assert_int_eq(many[0].outcome, PP_OUTCOME_OK);
    ck_assert_int_eq(many[1].outcome, PP_OUTCOME_AUTO_APPROVE);
    ck_assert_int_eq(pp_decide_many(many, policies[MAIN], NULL, devs, 0), PP_OK);
}
END_TEST

START_TEST(test_decide_many_null_arguments)
{
    device_in in = { MEMBER_OF_200 };
    pp_device dev = make_device(&in);
    pp_decision got;
    ck_assert_int_eq(pp_decide_many(NULL, policies[MAIN], NULL, &dev, 1),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_decide_many(&got, policies[MAIN], NULL, NULL, 1),
                     PP_ERR_INVALID_ARGUMENT);
    memset(&got, 0xA5, sizeof got);
    ck_assert_int_eq(pp_decide_many(&got, NULL, NULL, &dev, 1),
                     PP_ERR_INVALID_ARGUMENT);
    assert_denied_for_bad_argument(&got);
}
END_TEST

/* ---- pp_is_legacy follows the policy's threshold ---- */

START_TEST(test_is_legacy_follows_the_policy_threshold)
{
    ck_assert_int_eq(pp_is_legacy(policies[MAIN], S("3.999.999")), 1);
    ck_assert_int_eq(pp_is_legacy(policies[MAIN], S("4.0.0-0")), 0);
    ck_assert_int_eq(pp_is_legacy(policies[MAIN], S("4.0.0-beta.1")), 0);
    ck_assert_int_eq(pp_is_legacy(policies[THRESHOLD_5], S("4.4.0")), 1);
    ck_assert_int_eq(pp_is_legacy(policies[THRESHOLD_5], S("5.0.0")), 0);
    ck_assert_int_lt(pp_is_legacy(policies[MAIN], S("4.0")), 0);
    ck_assert_int_lt(pp_is_legacy(NULL, S("3.3.1")), 0);
}
END_TEST

/* ---- the suite ---- */

static TCase *tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, teardown);
    return tc;
}

Suite *decide_suite(void)
{
    Suite *s = suite_create("decide");

    TCase *tables = tcase("tables");
    tcase_add_loop_test(tables, test_decide_each_rule_on_its_own, 0, N(rule_cases));
    tcase_add_loop_test(tables, test_decide_neighbouring_rules_first_match_wins, 0,
                        N(precedence_cases));
    tcase_add_loop_test(tables, test_decide_legacy_threshold, 0, N(threshold_cases));
    tcase_add_loop_test(tables, test_decide_custom_legacy_threshold, 0,
                        N(custom_threshold_cases));
    tcase_add_loop_test(tables, test_decide_legacy_threshold_past_the_version_keys, 0,
                        N(huge_threshold_cases));
    tcase_add_loop_test(tables, test_decide_prerelease_legacy_threshold, 0,
                        N(rc_threshold_cases));
    tcase_add_loop_test(tables, test_decide_product_in_question_and_limited_in, 0,
                        N(product_cases));
    tcase_add_loop_test(tables, test_decide_platform_and_sku_against_the_family, 0,
                        N(family_cases));
    tcase_add_loop_test(tables, test_decide_advisories, 0, N(advisory_cases));
    tcase_add_loop_test(tables, test_decide_owner_team_membership, 0, N(team_cases));
    tcase_add_loop_test(tables, test_decide_valid_edge_values, 0, N(edge_cases));
    suite_add_tcase(s, tables);

    TCase *invalid = tcase("invalid_input");
    tcase_add_loop_test(invalid, test_decide_invalid_input_fails_closed, 0,
                        N(invalid_cases));
    tcase_add_test(invalid, test_decide_missing_id_is_invalid_input);
    tcase_add_test(invalid, test_decide_id_is_read_by_length_not_to_a_nul);
    tcase_add_test(invalid, test_decide_null_out_is_invalid_argument);
    tcase_add_test(invalid, test_decide_null_policy_denies);
    tcase_add_test(invalid, test_decide_null_device_denies);
    suite_add_tcase(s, invalid);

    TCase *teams = tcase("runtime_team");
    tcase_add_test(teams, test_decide_runtime_team_member_is_auto_approved);
    tcase_add_test(teams, test_decide_runtime_team_counts_only_for_its_organization);
    tcase_add_test(teams, test_decide_runtime_team_role_does_not_matter);
    tcase_add_test(teams, test_decide_runtime_team_does_not_open_a_quarantine_product);
    suite_add_tcase(s, teams);

    TCase *many = tcase("many");
    tcase_add_test(many, test_decide_many_matches_single_decisions_and_reports_first_error);
    tcase_add_test(many, test_decide_many_all_valid_returns_ok);
    tcase_add_test(many, test_decide_many_null_arguments);
    tcase_add_test(many, test_is_legacy_follows_the_policy_threshold);
    suite_add_tcase(s, many);

    return s;
}
