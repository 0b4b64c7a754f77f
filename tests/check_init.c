/*
 * The PP_*_INIT initialisers: each leaves its struct absent, unspecified or
 * 0, and a caller who sets only what it knows gets the decision that
 * follows from it.  Above all: a device initialised with PP_DEVICE_INIT
 * and given only a SKU is decided by the SKU, where a zeroed one is a Core
 * (platform 0) and denied.
 */
#include <string.h>

#include "particlepolicy.h"
#include "suites.h"

#define S(x) (x), strlen(x)

static const char POLICY[] =
    "version: 1\n"
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: alice, role: owner, two_step: true}\n"
    "products:\n"
    "  - {id: 100, name: B SoM, organization: acme, family: bsom}\n"
    "  - {id: 300, name: P2 Module, organization: acme, family: p2}\n"
    "  - {id: 400, name: Photon 2, organization: acme, family: photon2}\n";

static pp_policy *policy;

static void setup(void)
{
    pp_load_options opts = PP_LOAD_OPTIONS_INIT;
    pp_error err;
    int rc = pp_policy_load(&policy, POLICY, strlen(POLICY), &opts, &err);
    ck_assert_msg(rc == PP_OK, "test policy does not load: %u:%u: %s",
                  err.line, err.column, err.message);
}

static void teardown(void)
{
    pp_policy_free(policy);
}

/* A device with an ID and a Device OS, and nothing else known. */
static pp_device device(const char *device_os)
{
    pp_device d = PP_DEVICE_INIT;
    d.id = "e00fce681a2b3c4d5e6f7081";
    d.id_len = 24;
    d.device_os = device_os;
    d.device_os_len = strlen(device_os);
    return d;
}

START_TEST(test_device_init_is_nothing_known)
{
    pp_device d = PP_DEVICE_INIT;
    ck_assert_uint_eq(d.platform_id, PP_PLATFORM_UNSPECIFIED);
    ck_assert_ptr_null(d.id);
    ck_assert_ptr_null(d.device_os);
    ck_assert_ptr_null(d.sku);
    ck_assert_ptr_null(d.owner);
    ck_assert_uint_eq(d.id_len + d.device_os_len + d.sku_len + d.owner_len, 0);
    ck_assert_uint_eq(d.cloud_product_id, 0);
    ck_assert_uint_eq(d.firmware_product_id, 0);
    ck_assert_uint_eq(d.denied_in, 0);
    ck_assert_uint_eq(d.removed_from, 0);
    ck_assert_uint_eq(d.quarantined_in, 0);
    ck_assert_uint_eq(d.firmware_version, 0);
    ck_assert_int_eq(d.development, 0);
}
END_TEST

START_TEST(test_device_init_with_sku_decides_by_sku)
{
    /* A legacy B404 whose firmware claims the B SoM product: rule 12. */
    pp_device d = device("3.3.1");
    d.sku = "B404MEA";
    d.sku_len = 7;
    d.firmware_product_id = 100;
    pp_decision dec;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_OK);
    ck_assert_int_eq(dec.outcome, PP_OUTCOME_QUARANTINE);
    ck_assert_int_eq(dec.reason, PP_REASON_UNRECOGNIZED_DEVICE);
    ck_assert_int_eq(dec.rule, 12);
    ck_assert_uint_eq(dec.product_id, 100);

    /* The same record zeroed instead: platform 0 is the Core, rule 3. */
    pp_device zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    zeroed.id = d.id;
    zeroed.id_len = d.id_len;
    zeroed.device_os = d.device_os;
    zeroed.device_os_len = d.device_os_len;
    zeroed.sku = d.sku;
    zeroed.sku_len = d.sku_len;
    zeroed.firmware_product_id = 100;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &zeroed), PP_OK);
    ck_assert_int_eq(dec.outcome, PP_OUTCOME_DENY);
    ck_assert_int_eq(dec.reason, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE);
}
END_TEST

START_TEST(test_device_init_sku_picks_the_family_on_platform_32)
{
    /* P2 and Photon 2 share platform 32; only the SKU tells them apart. */
    pp_device d = device("5.9.0");
    d.sku = "PHN2MEA";
    d.sku_len = 7;
    d.cloud_product_id = 400;
    pp_decision dec;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_OK);
    ck_assert_int_eq(dec.outcome, PP_OUTCOME_OK);
    ck_assert_int_eq(dec.reason, PP_REASON_MEMBER);

    d.cloud_product_id = 300;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_OK);
    ck_assert_int_eq(dec.outcome, PP_OUTCOME_DENY);
    ck_assert_int_eq(dec.reason, PP_REASON_INCOMPATIBLE_PLATFORM);
}
END_TEST

START_TEST(test_device_init_without_platform_or_sku_is_invalid)
{
    pp_device d = PP_DEVICE_INIT;
    pp_decision dec;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_ERR_DEVICE_ID);
    ck_assert_int_eq(dec.outcome, PP_OUTCOME_DENY);
    ck_assert_uint_eq(dec.privileges, 0);

    d = device("3.3.1");
    d.cloud_product_id = 100;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_ERR_PLATFORM);
    ck_assert_int_eq(dec.reason, PP_REASON_INVALID_INPUT);
    ck_assert_uint_eq(dec.privileges, 0);
}
END_TEST

START_TEST(test_model_init_goes_by_sku)
{
    pp_model m = PP_MODEL_INIT;
    ck_assert_uint_eq(m.platform_id, PP_PLATFORM_UNSPECIFIED);
    ck_assert_ptr_null(m.sku);
    pp_verdict v;
    ck_assert_int_ne(pp_may_join(&v, policy, 400, &m), PP_OK);
    ck_assert_int_eq(v.allowed, 0);

    m.sku = "PHN2MEA";
    m.sku_len = 7;
    ck_assert_int_eq(pp_may_join(&v, policy, 400, &m), PP_OK);
    ck_assert_int_eq(v.allowed, 1);
    ck_assert_int_eq(pp_may_join(&v, policy, 300, &m), PP_OK);
    ck_assert_int_eq(v.allowed, 0);
}
END_TEST

START_TEST(test_actor_init_has_no_name)
{
    pp_actor who = PP_ACTOR_INIT;
    ck_assert_ptr_null(who.name);
    ck_assert_int_eq(who.kind, PP_ACTOR_HUMAN);
    pp_authorization a;
    ck_assert_int_ne(pp_authorize(&a, policy, NULL, &who, PP_ACTION_VIEW_DEVICES, 100, NULL),
                     PP_OK);
    ck_assert_int_eq(a.allowed, 0);
    ck_assert_int_eq(a.reason, PP_AUTHZ_INVALID_INPUT);

    who.name = "alice";
    who.name_len = 5;
    ck_assert_int_eq(pp_authorize(&a, policy, NULL, &who, PP_ACTION_VIEW_DEVICES, 100, NULL),
                     PP_OK);
    ck_assert_int_eq(a.allowed, 1);
    ck_assert_int_eq(a.reason, PP_AUTHZ_GRANTED_BY_ROLE);
}
END_TEST

START_TEST(test_audit_records_init)
{
    pp_integration_record i = PP_INTEGRATION_RECORD_INIT;
    ck_assert_uint_eq(i.product_id, 0);
    ck_assert_ptr_null(i.url);
    ck_assert_int_eq(i.enforce_ssl, 0);
    pp_token_record t = PP_TOKEN_RECORD_INIT;
    ck_assert_ptr_null(t.owner);
    ck_assert_int_eq(t.product_id + t.owner_len + (size_t)t.full_control + (size_t)t.human, 0);
    pp_sim_record s = PP_SIM_RECORD_INIT;
    ck_assert_ptr_null(s.iccid);
    ck_assert(s.iccid_len == 0 && s.usage_bytes == 0 && s.limit_bytes == 0);

    /* Certificate validation is off until the caller says it is on. */
    i.product_id = 100;
    i.url = "https://hooks.acme.example/particle";
    i.url_len = strlen(i.url);
    pp_finding f[4];
    size_t total = 0;
    ck_assert_int_eq(pp_check_integrations(&total, f, 4, policy, &i, 1), PP_OK);
    int ssl = 0;
    for (size_t k = 0; k < total && k < 4; k++)
        ssl |= f[k].code == PP_FINDING_SSL_NOT_ENFORCED;
    ck_assert_msg(ssl, "an integration from PP_INTEGRATION_RECORD_INIT is not ssl_not_enforced");
}
END_TEST

START_TEST(test_audit_input_init_checks_the_policy_alone)
{
    pp_audit_input in = PP_AUDIT_INPUT_INIT;
    ck_assert(in.integrations == NULL && in.tokens == NULL && in.sims == NULL &&
              in.devices == NULL);
    ck_assert_uint_eq(in.n_integrations + in.n_tokens + in.n_sims + in.n_devices, 0);
    size_t audit_total = 99, policy_total = 98;
    ck_assert_int_eq(pp_audit(&audit_total, NULL, 0, policy, &in), PP_OK);
    ck_assert_int_eq(pp_check_policy(&policy_total, NULL, 0, policy), PP_OK);
    ck_assert_uint_eq(audit_total, policy_total);
}
END_TEST

START_TEST(test_load_options_init_is_the_defaults)
{
    pp_load_options opts = PP_LOAD_OPTIONS_INIT;
    ck_assert_uint_eq(opts.version, PP_LOAD_OPTIONS_VERSION);
    ck_assert_uint_eq(opts.max_input_bytes, 0);
    ck_assert_uint_eq(opts.max_depth + opts.max_aliases + opts.max_nodes, 0);
    ck_assert_uint_eq(opts.max_products + opts.max_members, 0);
    pp_allocator none = PP_ALLOCATOR_INIT;
    ck_assert(opts.allocator.alloc == NULL && opts.allocator.free == NULL &&
              opts.allocator.opaque == NULL);
    ck_assert(none.alloc == NULL && none.free == NULL && none.opaque == NULL);
}
END_TEST

Suite *init_suite(void)
{
    Suite *s = suite_create("init");
    TCase *tc = tcase_create("initialisers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_device_init_is_nothing_known);
    tcase_add_test(tc, test_device_init_with_sku_decides_by_sku);
    tcase_add_test(tc, test_device_init_sku_picks_the_family_on_platform_32);
    tcase_add_test(tc, test_device_init_without_platform_or_sku_is_invalid);
    tcase_add_test(tc, test_model_init_goes_by_sku);
    tcase_add_test(tc, test_actor_init_has_no_name);
    tcase_add_test(tc, test_audit_records_init);
    tcase_add_test(tc, test_audit_input_init_checks_the_policy_alone);
    tcase_add_test(tc, test_load_options_init_is_the_defaults);
    suite_add_tcase(s, tc);
    return s;
}
