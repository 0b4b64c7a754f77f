/*
 * Security checks (docs/spec.md §6): each finding, its severity and subject,
 * the snprintf-like counting, the schema keys they read, and failing closed.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define S(x) (x), strlen(x)

/* "decoy-token-123" hashes to the fingerprint below (checked in a test). */
#define CANARY_TOKEN "decoy-token-123"

static const char POLICY_FMT[] =
    "version: 1\n"
    "settings:\n"
    "  require_lts: true\n"
    "  sim_notify_percent: 80\n"
    "organizations:\n"
    "  - name: acme\n"
    "    canary_tokens: ['%016llx', 00000000000000AA]\n"
    "    members:\n"
    "      - {user: olivia, role: owner, two_step: true}\n"
    "      - {user: nate, role: developer}\n"
    "    api_users:\n"
    "      - {name: ci, scopes: ['devices:import']}\n"
    "      - {name: org-bot, scopes: ['devices:list'], organization_level: true}\n"
    "products:\n"
    "  - id: 100\n"
    "    name: Acme B SoM\n"
    "    organization: acme\n"
    "    family: bsom\n"
    "    require_lts: true\n"
    "    min_device_os: 4.0.1\n"
    "    approved_integrations:\n"
    "      - https://hooks.acme.example/particle\n"
    "      - https://api.acme.example/\n"
    "      - http://legacy.acme.example/in\n"
    "      - HTTPS://Mixed.Acme.Example/In\n"
    "      - https://bot@Mixed.ACME.example/\n"
    "  - id: 200\n"
    "    name: Acme Auto\n"
    "    organization: acme\n"
    "    family: tracker\n"
    "    unrecognized_devices: auto_approve\n"
    "    team: [{user: tess, role: support, two_step: false}]\n";

static pp_policy *policy;

static pp_policy *load(const char *text)
{
    pp_policy *p = NULL;
    pp_error err;
    int rc = pp_policy_load(&p, text, strlen(text), NULL, &err);
    ck_assert_msg(rc == PP_OK, "policy: %u:%u %s", err.line, err.column, err.message);
    return p;
}

static void setup(void)
{
    char text[sizeof POLICY_FMT + 32];
    snprintf(text, sizeof text, POLICY_FMT,
             (unsigned long long)pp_canary_fingerprint(S(CANARY_TOKEN)));
    policy = load(text);
}

static void teardown(void)
{
    pp_policy_free(policy);
    policy = NULL;
}

static bool subject_is(const pp_finding *f, const char *s)
{
    return f->subject_len == strlen(s) && memcmp(f->subject, s, f->subject_len) == 0;
}

static void expect(const pp_finding *f, int code, uint32_t product, const char *subject)
{
    ck_assert_msg(f->code == code, "code %s, want %s", pp_finding_name(f->code),
                  pp_finding_name(code));
    ck_assert_int_eq(f->severity, pp_finding_severity(code));
    ck_assert_uint_eq(f->product_id, product);
    if (subject == NULL)
        ck_assert_ptr_null(f->subject);
    else
        ck_assert_msg(subject_is(f, subject), "subject '%.*s', want '%s'",
                      (int)f->subject_len, f->subject ? f->subject : "", subject);
    ck_assert_msg(f->message[0] != '\0' && strlen(f->message) < PP_FINDING_MESSAGE_SIZE,
                  "message");
}

/* ---- the policy alone ---- */

START_TEST(test_audit_policy_findings_team_auto_approve_and_lts)
{
    pp_finding f[16];
    size_t total = 99;
    ck_assert_int_eq(pp_check_policy(&total, f, N(f), policy), PP_OK);
    ck_assert_uint_eq(total, 6);
    expect(&f[0], PP_FINDING_TWO_STEP_DISABLED, 0, "nate");
    expect(&f[1], PP_FINDING_ORGANIZATION_LEVEL_API_USER, 0, "org-bot");
    expect(&f[2], PP_FINDING_TWO_STEP_DISABLED, 200, "tess");
    expect(&f[3], PP_FINDING_AUTO_APPROVE_ENABLED, 200, "Acme Auto");
    expect(&f[4], PP_FINDING_AUTO_APPROVE_READMITS_DENIED, 200, "Acme Auto");
    expect(&f[5], PP_FINDING_LTS_NOT_REQUIRED, 200, "Acme Auto");
    ck_assert_int_eq(f[3].severity, PP_SEVERITY_WARNING);
    ck_assert_int_eq(f[4].severity, PP_SEVERITY_WARNING);
    ck_assert_int_eq(f[5].severity, PP_SEVERITY_INFO);
    ck_assert_ptr_nonnull(strstr(f[4].message, "non-product firmware"));
}
END_TEST

START_TEST(test_audit_lts_only_when_the_policy_asks)
{
    pp_policy *p = load("version: 1\n"
                        "products:\n"
                        "  - {id: 1, name: A, family: bsom}\n");
    size_t total = 99;
    ck_assert_int_eq(pp_check_policy(&total, NULL, 0, p), PP_OK);
    ck_assert_uint_eq(total, 0);
    pp_policy_free(p);
}
END_TEST

/* ---- integrations ---- */

static const struct {
    const char *name;
    uint32_t product;
    const char *url;
    int enforce_ssl;
    int codes[3];  /* -1 terminated */
} integration_rows[] = {
    { "approved https with ssl", 100, "https://hooks.acme.example/particle", 1, { -1 } },
    { "under an approved prefix", 100, "https://api.acme.example/v2/events", 1, { -1 } },
    { "prefix needs the slash", 100, "https://hooks.acme.example/particle2", 1,
      { PP_FINDING_UNACCOUNTED_INTEGRATION, -1 } },
    { "ssl off", 100, "https://hooks.acme.example/particle", 0,
      { PP_FINDING_SSL_NOT_ENFORCED, -1 } },
    { "plain http even if approved", 100, "http://legacy.acme.example/in", 1,
      { PP_FINDING_INSECURE_TRANSPORT, -1 } },
    { "plain http, upper case, unapproved", 100, "HTTP://evil.example/", 0,
      { PP_FINDING_INSECURE_TRANSPORT, PP_FINDING_UNACCOUNTED_INTEGRATION, -1 } },
    { "unknown scheme is not https", 100, "ftp://files.acme.example/", 1,
      { PP_FINDING_INSECURE_TRANSPORT, PP_FINDING_UNACCOUNTED_INTEGRATION, -1 } },
    { "upper-case https is https", 100, "HTTPS://api.acme.example/x", 1, { -1 } },
    { "scheme and host in any case", 100, "hTTps://API.Acme.EXAMPLE/v2/events", 1, { -1 } },
    { "approved in mixed case", 100, "https://mixed.acme.example/In", 1, { -1 } },
    { "the path keeps its case", 100, "https://hooks.acme.example/PARTICLE", 1,
      { PP_FINDING_UNACCOUNTED_INTEGRATION, -1 } },
    { "the path keeps its case, approved in mixed case", 100,
      "https://mixed.acme.example/in", 1, { PP_FINDING_UNACCOUNTED_INTEGRATION, -1 } },
    { "the userinfo keeps its case", 100, "https://Bot@mixed.acme.example/", 1,
      { PP_FINDING_UNACCOUNTED_INTEGRATION, -1 } },
    { "the userinfo, host in any case", 100, "https://bot@MIXED.acme.example/x", 1, { -1 } },
    { "product without a list", 200, "https://hooks.acme.example/particle", 1,
      { PP_FINDING_UNACCOUNTED_INTEGRATION, -1 } },
    { "product not in the policy", 999, "https://hooks.acme.example/particle", 1,
      { PP_FINDING_UNACCOUNTED_INTEGRATION, -1 } },
};

START_TEST(test_audit_integration_findings)
{
    pp_integration_record r = { integration_rows[_i].product, S(integration_rows[_i].url),
                                integration_rows[_i].enforce_ssl };
    pp_finding f[4];
    size_t total = 99;
    ck_assert_int_eq(pp_check_integrations(&total, f, N(f), policy, &r, 1), PP_OK);
    size_t want = 0;
    while (integration_rows[_i].codes[want] >= 0)
        want++;
    ck_assert_msg(total == want, "%s: %zu findings", integration_rows[_i].name, total);
    for (size_t k = 0; k < want; k++)
        expect(&f[k], integration_rows[_i].codes[k], integration_rows[_i].product,
               integration_rows[_i].url);
    for (size_t k = 0; k < want; k++)
        ck_assert_ptr_eq(f[k].subject, r.url);  /* the caller's own memory */
}
END_TEST

START_TEST(test_audit_integration_without_url_is_an_invalid_record)
{
    pp_integration_record r[2] = { { 100, S("https://api.acme.example/"), 1 }, { 100, NULL, 0, 1 } };
    pp_finding f[2];
    size_t total;
    ck_assert_int_eq(pp_check_integrations(&total, f, N(f), policy, r, 2), PP_OK);
    ck_assert_uint_eq(total, 1);
    expect(&f[0], PP_FINDING_INVALID_RECORD, 100, NULL);
    ck_assert_uint_eq(f[0].record, 1);
}
END_TEST

/* ---- tokens ---- */

START_TEST(test_audit_token_findings)
{
    pp_token_record r[] = {
        { 100, S("nate"), 1, 1 },     /* full control, a person */
        { 100, S("ci"), 1, 0 },       /* full control, an API user: fine */
        { 100, S("olivia"), 0, 1 },   /* the owner's day-to-day token */
        { 200, S("olivia"), 1, 1 },   /* both */
        { 0, S("olivia"), 0, 1 },     /* product unknown: owner not checked */
        { 100, S("nate"), 0, 1 },     /* nothing wrong */
        { 100, NULL, 0, 1, 1 },       /* no owner */
    };
    pp_finding f[8];
    size_t total;
    ck_assert_int_eq(pp_check_tokens(&total, f, N(f), policy, r, N(r)), PP_OK);
    ck_assert_uint_eq(total, 5);
    expect(&f[0], PP_FINDING_FULL_CONTROL_HUMAN_TOKEN, 100, "nate");
    ck_assert_uint_eq(f[0].record, 0);
    expect(&f[1], PP_FINDING_OWNER_ACCOUNT_TOKEN, 100, "olivia");
    ck_assert_uint_eq(f[1].record, 2);
    expect(&f[2], PP_FINDING_FULL_CONTROL_HUMAN_TOKEN, 200, "olivia");
    expect(&f[3], PP_FINDING_OWNER_ACCOUNT_TOKEN, 200, "olivia");
    expect(&f[4], PP_FINDING_INVALID_RECORD, 100, NULL);
    ck_assert_uint_eq(f[4].record, 6);
}
END_TEST

/* Only the owner's role is the owner's: an administrator's token, on the
 * organization's team or the product's, is no owner-account token. */
START_TEST(test_audit_administrator_token_is_no_owner_token)
{
    pp_policy *p = load("version: 1\n"
                        "organizations:\n"
                        "  - name: acme\n"
                        "    members:\n"
                        "      - {user: olivia, role: owner, two_step: true}\n"
                        "      - {user: ada, role: administrator, two_step: true}\n"
                        "products:\n"
                        "  - {id: 100, name: P, organization: acme, family: bsom,\n"
                        "     team: [{user: pat, role: administrator, two_step: true}]}\n");
    pp_token_record r[] = {
        { 100, S("ada"), 0, 1 },
        { 100, S("pat"), 0, 1 },
        { 100, S("olivia"), 0, 1 },
    };
    pp_finding f[4];
    size_t total;
    ck_assert_int_eq(pp_check_tokens(&total, f, N(f), p, r, N(r)), PP_OK);
    ck_assert_uint_eq(total, 1);
    expect(&f[0], PP_FINDING_OWNER_ACCOUNT_TOKEN, 100, "olivia");
    ck_assert_uint_eq(f[0].record, 2);
    pp_policy_free(p);
}
END_TEST

/* ---- SIM data ---- */

static const struct {
    uint64_t usage, limit;
    int state;
} sim_rows[] = {
    { 0, 1000, PP_SIM_ACTIVE },
    { 799, 1000, PP_SIM_ACTIVE },
    { 800, 1000, PP_SIM_NOTIFY },   /* 80 % exactly */
    { 999, 1000, PP_SIM_NOTIFY },
    { 1000, 1000, PP_SIM_PAUSED },  /* at the limit */
    { 5000, 1000, PP_SIM_PAUSED },
    { 800, 1001, PP_SIM_ACTIVE },   /* 80 % of 1001 is 800.8 */
    { 801, 1001, PP_SIM_NOTIFY },
    { 0, 0, PP_SIM_PAUSED },        /* no allowance at all */
    { UINT64_MAX / 100 * 80, UINT64_MAX, PP_SIM_ACTIVE },
    { UINT64_MAX - 1, UINT64_MAX, PP_SIM_NOTIFY },
    { UINT64_MAX, UINT64_MAX, PP_SIM_PAUSED },
};

START_TEST(test_audit_sim_state_against_limit_and_notify_share)
{
    int32_t st = -1;
    ck_assert_int_eq(pp_sim_state_of(&st, policy, sim_rows[_i].usage, sim_rows[_i].limit), PP_OK);
    ck_assert_msg(st == sim_rows[_i].state, "%llu of %llu: %s",
                  (unsigned long long)sim_rows[_i].usage,
                  (unsigned long long)sim_rows[_i].limit, pp_sim_state_name(st));
    pp_sim_record r = { S("8934076500002587657"), sim_rows[_i].usage, sim_rows[_i].limit };
    pp_finding f[2];
    size_t total;
    ck_assert_int_eq(pp_check_sims(&total, f, N(f), policy, &r, 1), PP_OK);
    ck_assert_uint_eq(total, st == PP_SIM_ACTIVE ? 0 : 1);
    if (st != PP_SIM_ACTIVE)
        expect(&f[0], st == PP_SIM_PAUSED ? PP_FINDING_SIM_DATA_PAUSED : PP_FINDING_SIM_DATA_NOTIFY,
               0, "8934076500002587657");
}
END_TEST

START_TEST(test_audit_sim_notify_share_defaults_to_ninety_percent)
{
    pp_policy *p = load("version: 1\n");
    int32_t st;
    ck_assert_int_eq(pp_sim_state_of(&st, p, 899, 1000), PP_OK);
    ck_assert_int_eq(st, PP_SIM_ACTIVE);
    ck_assert_int_eq(pp_sim_state_of(&st, p, 900, 1000), PP_OK);
    ck_assert_int_eq(st, PP_SIM_NOTIFY);
    pp_policy_free(p);
    ck_assert_int_eq(pp_sim_state_of(&st, NULL, 0, 1000), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(st, PP_SIM_PAUSED);
}
END_TEST

/* ---- devices ---- */

START_TEST(test_audit_devices_below_product_minimum)
{
    pp_device d[3];
    memset(d, 0, sizeof d);
    for (int i = 0; i < 3; i++) {
        d[i].id = "e00fce681f2ab2c3d4e5f6a7";
        d[i].id_len = 24;
        d[i].platform_id = 23;
        d[i].cloud_product_id = 100;
    }
    d[0].device_os = "4.0.0";
    d[0].device_os_len = 5;
    d[1].device_os = "4.0.1";  /* exactly the minimum */
    d[1].device_os_len = 5;
    d[2].device_os = "four";
    d[2].device_os_len = 4;
    pp_finding f[4];
    size_t total;
    ck_assert_int_eq(pp_check_devices(&total, f, N(f), policy, d, 3), PP_OK);
    ck_assert_uint_eq(total, 2);
    expect(&f[0], PP_FINDING_DEVICE_OS_BELOW_MINIMUM, 100, "e00fce681f2ab2c3d4e5f6a7");
    ck_assert_uint_eq(f[0].record, 0);
    expect(&f[1], PP_FINDING_INVALID_RECORD, 0, "e00fce681f2ab2c3d4e5f6a7");
    ck_assert_uint_eq(f[1].record, 2);
    ck_assert_ptr_nonnull(strstr(f[1].message, "invalid_device_os"));
}
END_TEST

/* ---- canary tokens ---- */

START_TEST(test_audit_canary_token_reported_never_echoed)
{
    pp_finding f[2];
    size_t total;
    ck_assert_int_eq(pp_check_token(&total, f, N(f), policy, S(CANARY_TOKEN)), PP_OK);
    ck_assert_uint_eq(total, 1);
    expect(&f[0], PP_FINDING_CANARY_TOKEN_USED, 0, "acme");
    ck_assert_int_eq(f[0].severity, PP_SEVERITY_CRITICAL);
    ck_assert_ptr_null(strstr(f[0].message, CANARY_TOKEN));
    ck_assert_int_eq(pp_check_token(&total, f, N(f), policy, S("a real token")), PP_OK);
    ck_assert_uint_eq(total, 0);
    ck_assert_int_eq(pp_check_token(&total, f, N(f), policy, NULL, 0), PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(total, 0);
}
END_TEST

START_TEST(test_audit_canary_fingerprint_is_xxh3_64)
{
    /* XXH3-64, seed 0, of the empty input: the published test vector. */
    ck_assert_uint_eq(pp_canary_fingerprint("", 0), 0x2D06800538D394C2ull);
    ck_assert_uint_eq(pp_canary_fingerprint(S(CANARY_TOKEN)), ppi_hash_bytes(S(CANARY_TOKEN)));
    /* The policy stores fingerprints, not tokens. */
    ck_assert_uint_eq(policy->ncanaries, 2);
    ck_assert_uint_eq(policy->canaries[1], 0xAA);
}
END_TEST

/* ---- counting, the whole audit, arguments ---- */

START_TEST(test_audit_counts_all_and_writes_at_most_cap)
{
    pp_finding f[2];
    memset(f, 0, sizeof f);
    size_t total;
    ck_assert_int_eq(pp_check_policy(&total, f, 2, policy), PP_OK);
    ck_assert_uint_eq(total, 6);
    expect(&f[1], PP_FINDING_ORGANIZATION_LEVEL_API_USER, 0, "org-bot");
    ck_assert_int_eq(pp_check_policy(&total, NULL, 0, policy), PP_OK);
    ck_assert_uint_eq(total, 6);
}
END_TEST

START_TEST(test_audit_whole_policy_is_every_check_in_order)
{
    pp_integration_record ir[] = { { 100, S("http://x.example/"), 1 } };
    pp_token_record tr[] = { { 100, S("olivia"), 1, 1 } };
    pp_sim_record sr[] = { { S("8934"), 10, 10 } };
    pp_device dr[1];
    memset(dr, 0, sizeof dr);
    dr[0] = (pp_device){ .id = "e00fce681f2ab2c3d4e5f6a7", .id_len = 24, .device_os = "3.0.0",
                         .device_os_len = 5, .platform_id = 23, .cloud_product_id = 100 };
    pp_audit_input in = { ir, 1, tr, 1, sr, 1, dr, 1 };
    pp_finding f[16];
    size_t total;
    ck_assert_int_eq(pp_audit(&total, f, N(f), policy, &in), PP_OK);
    ck_assert_uint_eq(total, 6 + 2 + 2 + 1 + 1);
    ck_assert_int_eq(f[5].code, PP_FINDING_LTS_NOT_REQUIRED);
    ck_assert_int_eq(f[6].code, PP_FINDING_INSECURE_TRANSPORT);
    ck_assert_int_eq(f[7].code, PP_FINDING_UNACCOUNTED_INTEGRATION);
    ck_assert_int_eq(f[8].code, PP_FINDING_FULL_CONTROL_HUMAN_TOKEN);
    ck_assert_int_eq(f[9].code, PP_FINDING_OWNER_ACCOUNT_TOKEN);
    ck_assert_int_eq(f[10].code, PP_FINDING_SIM_DATA_PAUSED);
    ck_assert_int_eq(f[11].code, PP_FINDING_DEVICE_OS_BELOW_MINIMUM);
    ck_assert_int_eq(pp_audit(&total, f, N(f), policy, NULL), PP_OK);
    ck_assert_uint_eq(total, 6);
}
END_TEST

START_TEST(test_audit_invalid_arguments_fail_with_no_findings)
{
    pp_finding f[2];
    size_t total = 7;
    pp_sim_record sr = { S("1"), 0, 1 };
    ck_assert_int_eq(pp_check_policy(NULL, f, 2, policy), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_check_policy(&total, f, 2, NULL), PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(total, 0);
    total = 7;
    ck_assert_int_eq(pp_check_sims(&total, NULL, 2, policy, &sr, 1), PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(total, 0);
    ck_assert_int_eq(pp_check_sims(&total, f, 2, policy, NULL, 1), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_check_tokens(&total, f, 2, policy, NULL, 3), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_check_integrations(&total, f, 2, policy, NULL, 1), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_check_devices(&total, f, 2, policy, NULL, 1), PP_ERR_INVALID_ARGUMENT);
    pp_audit_input in = { NULL, 1, NULL, 0, NULL, 0, NULL, 0 };
    total = 7;
    ck_assert_int_eq(pp_audit(&total, f, 2, policy, &in), PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(total, 0);
    ck_assert_int_eq(pp_check_sims(&total, NULL, 0, policy, NULL, 0), PP_OK);
    ck_assert_uint_eq(total, 0);
}
END_TEST

/* ---- the schema keys the checks read ---- */

static const struct {
    const char *text;
    int code;
    uint32_t line, column;
    const char *message;
} schema_rows[] = {
    { "version: 1\norganizations:\n  - {name: a, canary_tokens: [abc]}\n",
      PP_ERR_INVALID_VALUE, 3, 31, "not a canary fingerprint" },
    { "version: 1\norganizations:\n  - {name: a, canary_tokens: [00000000000000ag]}\n",
      PP_ERR_INVALID_VALUE, 3, 31, "16 hex digits" },
    { "version: 1\norganizations:\n  - {name: a, canary_tokens: [00000000000000AB, 00000000000000ab]}\n",
      PP_ERR_DUPLICATE, 3, 49, "listed twice" },
    { "version: 1\norganizations:\n  - {name: a, canary_tokens: 00000000000000AB}\n",
      PP_ERR_WRONG_TYPE, 3, 30, "expected a list" },
    { "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom, approved_integrations: [hooks.example]}\n",
      PP_ERR_INVALID_VALUE, 3, 60, "not an http(s) URL" },
    { "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom, approved_integrations: ['https://a b']}\n",
      PP_ERR_INVALID_VALUE, 3, 60, "not an http(s) URL" },
    { "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom, approved_integrations: ['https://']}\n",
      PP_ERR_INVALID_VALUE, 3, 60, "not an http(s) URL" },
    { "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom,\n     approved_integrations: ['https://a/', 'https://a/']}\n",
      PP_ERR_DUPLICATE, 4, 44, "listed twice" },
    { "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom, require_lts: yes}\n",
      PP_ERR_WRONG_TYPE, 3, 49, "expected true or false" },
    { "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom, requre_lts: true}\n",
      PP_ERR_UNKNOWN_KEY, 3, 36, "did you mean 'require_lts'" },
    { "version: 1\nsettings:\n  sim_notify_percent: 0\n",
      PP_ERR_OUT_OF_RANGE, 3, 23, "out of range (1 to 100)" },
    { "version: 1\nsettings:\n  sim_notify_percent: 101\n",
      PP_ERR_OUT_OF_RANGE, 3, 23, "out of range (1 to 100)" },
    { "version: 1\nsettings:\n  sim_notify_percent: 0.9\n",
      PP_ERR_WRONG_TYPE, 3, 23, "expected an integer" },
    { "version: 1\nsettings:\n  require_lts: 1\n",
      PP_ERR_WRONG_TYPE, 3, 16, "expected true or false" },
    { "version: 1\norganizations:\n  - name: a\n    api_users:\n"
      "      - {name: b, scopes: ['devices:list'], organization_level: on}\n",
      PP_ERR_WRONG_TYPE, 5, 65, "expected true or false" },
};

START_TEST(test_audit_schema_keys_are_strict_with_positions)
{
    pp_policy *p = NULL;
    pp_error err;
    memset(&err, 0, sizeof err);
    int rc = pp_policy_load(&p, S(schema_rows[_i].text), NULL, &err);
    ck_assert_ptr_null(p);
    ck_assert_msg(rc == schema_rows[_i].code && err.line == schema_rows[_i].line &&
                      err.column == schema_rows[_i].column &&
                      strstr(err.message, schema_rows[_i].message) != NULL,
                  "row %d: got %s %u:%u %s", _i, pp_error_name(rc), err.line, err.column,
                  err.message);
}
END_TEST

START_TEST(test_audit_fingerprint_covers_security_fields)
{
    static const char *const variants[] = {
        "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom}\n",
        "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom, require_lts: true}\n",
        "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom, approved_integrations: []}\n",
        "version: 1\nproducts:\n  - {id: 1, name: A, family: bsom, approved_integrations: ['https://a/']}\n",
        "version: 1\nsettings: {require_lts: true}\nproducts:\n  - {id: 1, name: A, family: bsom}\n",
        "version: 1\nsettings: {sim_notify_percent: 50}\nproducts:\n  - {id: 1, name: A, family: bsom}\n",
        "version: 1\norganizations: [{name: o}]\nproducts:\n  - {id: 1, name: A, family: bsom}\n",
        "version: 1\norganizations: [{name: o, canary_tokens: [00000000000000aa]}]\n"
        "products:\n  - {id: 1, name: A, family: bsom}\n",
        "version: 1\norganizations: [{name: o, api_users: [{name: b, scopes: ['x:y']}]}]\n",
        "version: 1\norganizations: [{name: o, api_users: [{name: b, scopes: ['x:y'], "
        "organization_level: true}]}]\n",
    };
    uint64_t fp[N(variants)];
    for (size_t i = 0; i < N(variants); i++) {
        pp_policy *p = load(variants[i]);
        fp[i] = pp_policy_fingerprint(p);
        pp_policy_free(p);
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(fp[i] != fp[j], "variants %zu and %zu share a fingerprint", j, i);
    }
    /* Order of an approved list, and the default spelled out, do not count. */
    pp_policy *a = load("version: 1\nproducts:\n  - {id: 1, name: A, family: bsom,\n"
                        "     approved_integrations: ['https://a/', 'https://b/']}\n");
    pp_policy *b = load("version: 1\nsettings: {sim_notify_percent: 90}\nproducts:\n"
                        "  - {id: 1, name: A, family: bsom,\n"
                        "     approved_integrations: ['https://b/', 'https://a/']}\n");
    ck_assert_uint_eq(pp_policy_fingerprint(a), pp_policy_fingerprint(b));
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

START_TEST(test_audit_names_enumerate_with_fixed_severities)
{
    int n = 0;
    for (const char *s; (s = pp_finding_name(n)) != NULL; n++) {
        ck_assert_int_eq(pp_finding_from_name(S(s)), n);
        ck_assert_ptr_nonnull(pp_severity_name(pp_finding_severity(n)));
    }
    ck_assert_int_eq(n, 15);
    ck_assert_int_eq(pp_finding_severity(n), -1);
    ck_assert_str_eq(pp_finding_name(PP_FINDING_AUTO_APPROVE_READMITS_DENIED),
                     "auto_approve_readmits_denied");
    ck_assert_str_eq(pp_finding_name(PP_FINDING_CANARY_TOKEN_USED), "canary_token_used");
    ck_assert_str_eq(pp_finding_name(PP_FINDING_AUTO_APPROVE_ENABLED), "auto_approve_enabled");
    ck_assert_str_eq(pp_severity_name(PP_SEVERITY_CRITICAL), "critical");
    ck_assert_ptr_null(pp_severity_name(3));
    ck_assert_str_eq(pp_sim_state_name(PP_SIM_NOTIFY), "notify");
    ck_assert_ptr_null(pp_sim_state_name(3));
    ck_assert_int_eq(pp_finding_severity(PP_FINDING_INSECURE_TRANSPORT), PP_SEVERITY_CRITICAL);
    ck_assert_int_eq(pp_finding_severity(PP_FINDING_SSL_NOT_ENFORCED), PP_SEVERITY_CRITICAL);
}
END_TEST

Suite *audit_suite(void)
{
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("audit");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_audit_policy_findings_team_auto_approve_and_lts);
    tcase_add_test(tc, test_audit_lts_only_when_the_policy_asks);
    tcase_add_loop_test(tc, test_audit_integration_findings, 0, (int)N(integration_rows));
    tcase_add_test(tc, test_audit_integration_without_url_is_an_invalid_record);
    tcase_add_test(tc, test_audit_token_findings);
    tcase_add_test(tc, test_audit_administrator_token_is_no_owner_token);
    tcase_add_loop_test(tc, test_audit_sim_state_against_limit_and_notify_share, 0,
                        (int)N(sim_rows));
    tcase_add_test(tc, test_audit_sim_notify_share_defaults_to_ninety_percent);
    tcase_add_test(tc, test_audit_devices_below_product_minimum);
    tcase_add_test(tc, test_audit_canary_token_reported_never_echoed);
    tcase_add_test(tc, test_audit_canary_fingerprint_is_xxh3_64);
    tcase_add_test(tc, test_audit_counts_all_and_writes_at_most_cap);
    tcase_add_test(tc, test_audit_whole_policy_is_every_check_in_order);
    tcase_add_test(tc, test_audit_invalid_arguments_fail_with_no_findings);
    tcase_add_loop_test(tc, test_audit_schema_keys_are_strict_with_positions, 0,
                        (int)N(schema_rows));
    tcase_add_test(tc, test_audit_fingerprint_covers_security_fields);
    tcase_add_test(tc, test_audit_names_enumerate_with_fixed_severities);
    suite_add_tcase(s, tc);
    return s;
}
