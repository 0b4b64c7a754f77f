/*
 * NULL with a nonzero length is a caller's bug, never "absent" (docs/api.md,
 * "NULL with a length").  One table row per (pointer, length) pair of the
 * public API and per entry point that reads it: each row is called once with
 * the pair intact, which must not be invalid_argument, and once with the
 * pointer NULL and the length kept, which must be.  Device records must also
 * come back as the fail-closed deny, never with a privilege.
 */
#include <stdbool.h>
#include <string.h>

#include "particlepolicy.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define S(x) (x), strlen(x)

/* Product 200 auto-approves: a legacy newcomer that reads as unowned would
 * be approved with every privilege (rule 13), the failure this file pins. */
static const char POLICY[] =
    "version: 1\n"
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: alice, role: owner, two_step: true}\n"
    "    api_users:\n"
    "      - {name: acme-ci, scopes: ['devices:import']}\n"
    "products:\n"
    "  - id: 200\n"
    "    name: B SoM Auto\n"
    "    organization: acme\n"
    "    family: bsom\n"
    "    unrecognized_devices: auto_approve\n"
    "    approved_integrations: ['https://hooks.acme.example/']\n";

static pp_policy *policy;
static pp_team *team;

static void setup(void)
{
    pp_error err;
    int rc = pp_policy_load(&policy, S(POLICY), NULL, &err);
    ck_assert_msg(rc == PP_OK, "policy: %u:%u %s", err.line, err.column, err.message);
    ck_assert_int_eq(pp_team_new(&team, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(team, S("acme"), S("bob"), PP_ROLE_DEVELOPER), PP_OK);
}

static void teardown(void)
{
    pp_team_free(team);
    pp_policy_free(policy);
    team = NULL;
    policy = NULL;
}

/* A legacy device (Device OS 2.3.0) that reports product 200 and is on no
 * list: with its owner alice it is auto-approved by rule 14. */
static pp_device newcomer(void)
{
    pp_device d;
    memset(&d, 0, sizeof d);
    d.id = "e00fce68aabbccddeeff0011";
    d.id_len = 24;
    d.device_os = "2.3.0";
    d.device_os_len = 5;
    d.sku = "B404MEA";
    d.sku_len = 7;
    d.owner = "alice";
    d.owner_len = 5;
    d.platform_id = 23;
    d.firmware_product_id = 200;
    return d;
}

static void expect_fail_closed(const pp_decision *dec, int code)
{
    ck_assert_int_eq(dec->error, code);
    ck_assert_int_eq(dec->outcome, PP_OUTCOME_DENY);
    ck_assert_int_eq(dec->reason, PP_REASON_INVALID_INPUT);
    ck_assert_int_eq(dec->rule, 0);
    ck_assert_uint_eq(dec->privileges, 0);
    ck_assert_uint_eq(dec->advisories, 0);
    ck_assert_uint_eq(dec->product_id, 0);
}

/* ---- device records: every string field through every entry point ---- */

typedef struct device_field {
    const char *name;
    void (*drop)(pp_device *d); /* the pointer becomes NULL, the length stays */
} device_field;

static void drop_id(pp_device *d) { d->id = NULL; }
static void drop_os(pp_device *d) { d->device_os = NULL; }
static void drop_sku(pp_device *d) { d->sku = NULL; }
static void drop_owner(pp_device *d) { d->owner = NULL; }

static const device_field fields[] = {
    { "id", drop_id },
    { "device_os", drop_os },
    { "sku", drop_sku },
    { "owner", drop_owner },
};

/* Each entry point decides or checks one record and returns the library's
 * code for it: the decision's error, or for the security checks
 * PP_ERR_INVALID_ARGUMENT exactly when the record is an invalid_record
 * finding that says so. */
typedef int (*device_entry)(const pp_device *d);

static int via_decide(const pp_device *d)
{
    pp_decision dec;
    int rc = pp_decide(&dec, policy, team, d);
    ck_assert_int_eq(dec.error, rc);
    if (rc != PP_OK)
        expect_fail_closed(&dec, rc);
    return rc;
}

static int via_decide_many(const pp_device *d)
{
    pp_device two[2] = { newcomer(), *d };
    pp_decision dec[2];
    int rc = pp_decide_many(dec, policy, team, two, 2);
    ck_assert_int_eq(dec[0].error, PP_OK); /* its neighbour is decided as usual */
    ck_assert_int_eq(dec[0].outcome, PP_OUTCOME_AUTO_APPROVE);
    ck_assert_int_eq(dec[1].error, rc);
    if (rc != PP_OK)
        expect_fail_closed(&dec[1], rc);
    return rc;
}

static int via_authorize(const pp_device *d)
{
    pp_actor alice = { S("alice"), PP_ACTOR_HUMAN };
    pp_authorization a;
    int rc = pp_authorize(&a, policy, team, &alice, PP_ACTION_ADD_DEVICE, 200, d);
    ck_assert_int_eq(a.error, rc);
    if (rc != PP_OK) {
        ck_assert_int_eq(a.allowed, 0);
        ck_assert_int_eq(a.reason, PP_AUTHZ_INVALID_INPUT);
    } else {
        ck_assert_int_eq(a.allowed, 1);
    }
    return rc;
}

/* pp_operate adds the newcomer to product 200 (as pp_authorize's
 * add_device allows it); a refusal leaves the record unchanged. */
static int via_operate(const pp_device *d)
{
    pp_actor alice = { S("alice"), PP_ACTOR_HUMAN };
    pp_device next;
    pp_transition t;
    int rc = pp_operate(&next, &t, policy, team, &alice, PP_OPERATION_ADD_DEVICE, 200, d);
    ck_assert_int_eq(t.error, rc);
    ck_assert_int_eq(t.applied, rc == PP_OK);
    if (rc != PP_OK) {
        ck_assert_int_eq(t.refusal, PP_REFUSAL_INVALID_INPUT);
        ck_assert(memcmp(&next, d, sizeof next) == 0);
    }
    return rc;
}

/* pp_apply_effects with the decision of the intact record (join 200). */
static int via_apply_effects(const pp_device *d)
{
    pp_device intact = newcomer(), next;
    pp_decision dec;
    ck_assert_int_eq(pp_decide(&dec, policy, team, &intact), PP_OK);
    ck_assert_uint_eq(dec.effects, PP_EFFECT_JOIN);
    int rc = pp_apply_effects(&next, d, &dec);
    ck_assert_uint_eq(next.cloud_product_id, rc == PP_OK ? 200 : 0);
    return rc;
}

/* invalid_record naming invalid_argument as the only finding: the code. */
static int finding_code(int rc, size_t total, const pp_finding *f)
{
    ck_assert_int_eq(rc, PP_OK);
    if (total == 0)
        return PP_OK;
    ck_assert_uint_eq(total, 1);
    ck_assert_int_eq(f->code, PP_FINDING_INVALID_RECORD);
    ck_assert_uint_eq(f->record, 0);
    ck_assert_msg(strstr(f->message, "invalid_argument") != NULL, "message: %s", f->message);
    return PP_ERR_INVALID_ARGUMENT;
}

static int via_check_devices(const pp_device *d)
{
    pp_finding f[4];
    size_t total;
    int rc = pp_check_devices(&total, f, N(f), policy, d, 1);
    return finding_code(rc, total, f);
}

static int via_audit(const pp_device *d)
{
    pp_audit_input in;
    memset(&in, 0, sizeof in);
    in.devices = d;
    in.n_devices = 1;
    /* The policy alone has two findings: product 200 auto-approves. */
    pp_finding f[4];
    size_t total;
    int rc = pp_audit(&total, f, N(f), policy, &in);
    ck_assert_int_eq(rc, PP_OK);
    ck_assert_uint_ge(total, 2);
    ck_assert_int_eq(f[0].code, PP_FINDING_AUTO_APPROVE_ENABLED);
    ck_assert_int_eq(f[1].code, PP_FINDING_AUTO_APPROVE_READMITS_DENIED);
    return finding_code(rc, total - 2, &f[2]);
}

/* A policy's diff with itself: no class changes, and an invalid record
 * gets the fail-closed decision under both. */
static int via_diff_class_of(const pp_device *d)
{
    pp_diff *diff;
    ck_assert_int_eq(pp_policy_diff(&diff, policy, policy, NULL, NULL), PP_OK);
    size_t at;
    pp_decision o, n;
    int rc = pp_diff_class_of(&at, &o, &n, diff, d);
    pp_diff_free(diff);
    ck_assert_uint_eq(at, PP_DIFF_NONE);
    ck_assert_int_eq(o.error, rc);
    ck_assert_int_eq(n.error, rc);
    if (rc != PP_OK) {
        expect_fail_closed(&o, rc);
        expect_fail_closed(&n, rc);
    }
    return rc;
}

static const struct {
    const char *name;
    device_entry call;
} entries[] = {
    { "pp_decide", via_decide },
    { "pp_decide_many", via_decide_many },
    { "pp_authorize", via_authorize },
    { "pp_operate", via_operate },
    { "pp_apply_effects", via_apply_effects },
    { "pp_check_devices", via_check_devices },
    { "pp_audit", via_audit },
    { "pp_diff_class_of", via_diff_class_of },
};

START_TEST(device_field_null_with_length)
{
    const device_field *field = &fields[_i % N(fields)];
    size_t e = (size_t)_i / N(fields);
    pp_device d = newcomer();
    ck_assert_msg(entries[e].call(&d) == PP_OK, "%s: the intact record is valid", entries[e].name);
    field->drop(&d);
    ck_assert_msg(entries[e].call(&d) == PP_ERR_INVALID_ARGUMENT,
                  "%s: device.%s NULL with a nonzero length is not invalid_argument",
                  entries[e].name, field->name);
}
END_TEST

/* The case that failed open: a legacy newcomer to an auto-approve product
 * with owner = NULL, owner_len = 5 was "auto_approve unowned". */
START_TEST(owner_null_with_length_is_not_unowned)
{
    pp_device d = newcomer();
    d.owner = NULL;
    pp_decision dec;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_ERR_INVALID_ARGUMENT);
    expect_fail_closed(&dec, PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_ne(dec.outcome, PP_OUTCOME_AUTO_APPROVE);
    /* Absent for real (length 0) is rule 13, so the record is otherwise fine. */
    d.owner_len = 0;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_OK);
    ck_assert_int_eq(dec.rule, 13);
    ck_assert_int_eq(dec.outcome, PP_OUTCOME_AUTO_APPROVE);
}
END_TEST

/* A NULL SKU with a length is not "no SKU" either (it would let the
 * platform alone decide the family). */
START_TEST(sku_null_with_length_is_not_absent)
{
    pp_device d = newcomer();
    d.sku = NULL;
    pp_decision dec;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_ERR_INVALID_ARGUMENT);
    expect_fail_closed(&dec, PP_ERR_INVALID_ARGUMENT);
    d.sku_len = 0;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_OK);
    ck_assert_int_eq(dec.rule, 14);
}
END_TEST

/* The pair check comes before every field's own check. */
START_TEST(null_with_length_is_reported_first)
{
    pp_device d = newcomer();
    d.id = "not hex";
    d.id_len = 7;
    d.owner = NULL;
    pp_decision dec;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_ERR_INVALID_ARGUMENT);
    d.owner = "alice";
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_ERR_DEVICE_ID);
}
END_TEST

/* Also when the field's problem comes after the pair's field among the
 * checks (the firmware version is the last but one), for every pair. */
START_TEST(null_with_length_outranks_a_later_problem)
{
    const device_field *field = &fields[_i];
    pp_device d = newcomer();
    d.firmware_version = 70000;
    pp_decision dec;
    ck_assert_int_eq(pp_decide(&dec, policy, NULL, &d), PP_ERR_FIRMWARE_VERSION);
    field->drop(&d);
    ck_assert_msg(pp_decide(&dec, policy, NULL, &d) == PP_ERR_INVALID_ARGUMENT,
                  "device.%s NULL with a length and a bad firmware version", field->name);
    expect_fail_closed(&dec, PP_ERR_INVALID_ARGUMENT);
}
END_TEST

/* ---- every other pair: called with (text, len) and with (NULL, len) ---- */

typedef struct pair_row {
    const char *name;
    const char *text;            /* the intact pointer's contents */
    int (*call)(const char *s, size_t len);
    int intact;                  /* what the intact pair returns */
} pair_row;

static int model_sku(const char *s, size_t len)
{
    pp_model m = { PP_PLATFORM_UNSPECIFIED, s, len };
    pp_verdict v;
    int rc = pp_may_join(&v, policy, 200, &m);
    if (rc != PP_OK)
        ck_assert_int_eq(v.allowed, 0);
    return rc;
}

/* pp_may_share with the pair as the SKU of model a (second: of model b). */
static int share(const char *s, size_t len, bool second)
{
    pp_model with = { 23, s, len }, without = { 23, NULL, 0 };
    pp_verdict v;
    int rc = second ? pp_may_share(&v, policy, &without, &with)
                    : pp_may_share(&v, policy, &with, &without);
    if (rc != PP_OK)
        ck_assert_int_eq(v.allowed, 0);
    return rc;
}

static int share_a(const char *s, size_t len) { return share(s, len, false); }
static int share_b(const char *s, size_t len) { return share(s, len, true); }

/* pp_authorize for an actor of this kind named by the pair: alice may view
 * product 200's devices, acme-ci may add one. */
static int actor(const char *s, size_t len, pp_actor_kind kind)
{
    pp_actor a = { s, len, kind };
    pp_authorization out;
    int rc = pp_authorize(&out, policy, NULL, &a,
                          kind == PP_ACTOR_HUMAN ? PP_ACTION_VIEW_DEVICES : PP_ACTION_ADD_DEVICE,
                          200, NULL);
    ck_assert_int_eq(out.allowed, rc == PP_OK);
    return rc;
}

static int actor_name(const char *s, size_t len) { return actor(s, len, PP_ACTOR_HUMAN); }
static int api_user_name(const char *s, size_t len) { return actor(s, len, PP_ACTOR_API_USER); }

static int team_org(const char *s, size_t len)
{
    return pp_team_add(team, s, len, S("carol"), PP_ROLE_SUPPORT);
}

static int team_user(const char *s, size_t len)
{
    return pp_team_add(team, S("acme"), s, len, PP_ROLE_SUPPORT);
}

static int integration_url(const char *s, size_t len)
{
    pp_integration_record r = { 200, s, len, 1 };
    pp_finding f[4];
    size_t total;
    int rc = pp_check_integrations(&total, f, N(f), policy, &r, 1);
    return finding_code(rc, total, f);
}

static int token_owner(const char *s, size_t len)
{
    pp_token_record r = { 200, s, len, 0, 0 };
    pp_finding f[4];
    size_t total;
    int rc = pp_check_tokens(&total, f, N(f), policy, &r, 1);
    return finding_code(rc, total, f);
}

static int sim_iccid(const char *s, size_t len)
{
    pp_sim_record r = { s, len, 10, 1000 };
    pp_finding f[4];
    size_t total;
    int rc = pp_check_sims(&total, f, N(f), policy, &r, 1);
    return finding_code(rc, total, f);
}

/* All three record kinds in one pp_audit; s only says intact or NULL. */
static int audit_records(const char *s, size_t len)
{
    (void)len;
    const char *url = "https://hooks.acme.example/in", *owner = "bob",
               *iccid = "8934076500002589174";
    pp_integration_record i = { 200, s ? url : NULL, strlen(url), 1 };
    pp_token_record t = { 200, s ? owner : NULL, strlen(owner), 0, 0 };
    pp_sim_record sim = { s ? iccid : NULL, strlen(iccid), 10, 1000 };
    pp_audit_input in = { &i, 1, &t, 1, &sim, 1, NULL, 0 };
    pp_finding f[8];
    size_t total;
    ck_assert_int_eq(pp_audit(&total, f, N(f), policy, &in), PP_OK);
    ck_assert_int_eq(f[0].code, PP_FINDING_AUTO_APPROVE_ENABLED);
    ck_assert_int_eq(f[1].code, PP_FINDING_AUTO_APPROVE_READMITS_DENIED);
    if (total == 2)
        return PP_OK;
    ck_assert_uint_eq(total, 5); /* each of the three records */
    for (size_t k = 2; k < 5; k++)
        ck_assert_int_eq(finding_code(PP_OK, 1, &f[k]), PP_ERR_INVALID_ARGUMENT);
    return PP_ERR_INVALID_ARGUMENT;
}

static int check_token(const char *s, size_t len)
{
    pp_finding f[2];
    size_t total = 99;
    int rc = pp_check_token(&total, f, N(f), policy, s, len);
    if (rc != PP_OK)
        ck_assert_uint_eq(total, 0);
    return rc;
}

static int version_a(const char *s, size_t len)
{
    int cmp = 7;
    int rc = pp_version_compare(&cmp, s, len, S("1.0.0"));
    if (rc != PP_OK)
        ck_assert_int_eq(cmp, 0);
    return rc;
}

static int version_b(const char *s, size_t len)
{
    int cmp = 7;
    int rc = pp_version_compare(&cmp, S("1.0.0"), s, len);
    if (rc != PP_OK)
        ck_assert_int_eq(cmp, 0);
    return rc;
}

static int is_legacy(const char *s, size_t len)
{
    return pp_is_legacy(policy, s, len);
}

static int scope_granted(const char *s, size_t len)
{
    return pp_scope_grants(s, len, S("devices:import"));
}

static int scope_required(const char *s, size_t len)
{
    return pp_scope_grants(S("devices:*"), s, len);
}

static int outcome_from(const char *s, size_t len) { return pp_outcome_from_name(s, len); }
static int reason_from(const char *s, size_t len) { return pp_reason_from_name(s, len); }
static int role_from(const char *s, size_t len) { return pp_role_from_name(s, len); }
static int action_from(const char *s, size_t len) { return pp_action_from_name(s, len); }
static int authz_reason_from(const char *s, size_t len) { return pp_authz_reason_from_name(s, len); }
static int finding_from(const char *s, size_t len) { return pp_finding_from_name(s, len); }
static int effect_from(const char *s, size_t len) { return pp_effect_from_name(s, len); }
static int operation_from(const char *s, size_t len) { return pp_operation_from_name(s, len); }
static int refusal_from(const char *s, size_t len) { return pp_refusal_from_name(s, len); }

/* pp_canary_fingerprint has no error to return: 0 stands for it. */
static int canary(const char *s, size_t len)
{
    return pp_canary_fingerprint(s, len) == 0 ? PP_ERR_INVALID_ARGUMENT : PP_OK;
}

static int policy_text(const char *s, size_t len)
{
    pp_policy *p = (pp_policy *)&p; /* must come back NULL */
    pp_error err;
    int rc = pp_policy_load(&p, s, len, NULL, &err);
    ck_assert_int_eq(err.code, rc);
    if (rc != PP_OK)
        ck_assert_ptr_null(p);
    pp_policy_free(p);
    return rc;
}

static const pair_row pairs[] = {
    { "pp_model.sku (pp_may_join)", "B404MEA", model_sku, PP_OK },
    { "pp_model.sku (pp_may_share, a)", "B404MEA", share_a, PP_OK },
    { "pp_model.sku (pp_may_share, b)", "B404MEA", share_b, PP_OK },
    { "pp_actor.name (human)", "alice", actor_name, PP_OK },
    { "pp_actor.name (API user)", "acme-ci", api_user_name, PP_OK },
    { "pp_team_add organization", "acme", team_org, PP_OK },
    { "pp_team_add user", "carol", team_user, PP_OK },
    { "pp_integration_record.url", "https://hooks.acme.example/in", integration_url, PP_OK },
    { "pp_token_record.owner", "bob", token_owner, PP_OK },
    { "pp_sim_record.iccid", "8934076500002589174", sim_iccid, PP_OK },
    { "pp_audit_input records", "-", audit_records, PP_OK },
    { "pp_check_token", "some-token", check_token, PP_OK },
    { "pp_version_compare a", "1.2.3", version_a, PP_OK },
    { "pp_version_compare b", "1.2.3", version_b, PP_OK },
    { "pp_is_legacy", "5.0.0", is_legacy, 0 },
    { "pp_scope_grants granted", "devices:import", scope_granted, 1 },
    { "pp_scope_grants required", "devices:import", scope_required, 1 },
    { "pp_outcome_from_name", "deny", outcome_from, PP_OUTCOME_DENY },
    { "pp_reason_from_name", "unowned", reason_from, PP_REASON_UNOWNED },
    { "pp_role_from_name", "owner", role_from, PP_ROLE_OWNER },
    { "pp_action_from_name", "billing", action_from, PP_ACTION_BILLING },
    { "pp_authz_reason_from_name", "scope_missing", authz_reason_from, PP_AUTHZ_SCOPE_MISSING },
    { "pp_finding_from_name", "invalid_record", finding_from, PP_FINDING_INVALID_RECORD },
    { "pp_effect_from_name", "join", effect_from, 0 },
    { "pp_operation_from_name", "remove_device", operation_from, PP_OPERATION_REMOVE_DEVICE },
    { "pp_refusal_from_name", "not_authorized", refusal_from, PP_REFUSAL_NOT_AUTHORIZED },
    { "pp_canary_fingerprint", "decoy", canary, PP_OK },
    { "pp_policy_load text", "version: 1\n", policy_text, PP_OK },
};

START_TEST(pair_null_with_length)
{
    const pair_row *r = &pairs[_i];
    int intact = r->call(r->text, strlen(r->text));
    ck_assert_msg(intact == r->intact, "%s: intact pair gives %d, expected %d", r->name,
                  intact, r->intact);
    int broken = r->call(NULL, strlen(r->text));
    ck_assert_msg(broken == PP_ERR_INVALID_ARGUMENT,
                  "%s: NULL with a nonzero length gives %d, not invalid_argument", r->name,
                  broken);
}
END_TEST

/* ---- arrays given as (pointer, count) ---- */

START_TEST(arrays_null_with_count)
{
    pp_decision dec[2];
    ck_assert_int_eq(pp_decide_many(dec, policy, NULL, NULL, 2), PP_ERR_INVALID_ARGUMENT);
    expect_fail_closed(&dec[0], PP_ERR_INVALID_ARGUMENT);
    expect_fail_closed(&dec[1], PP_ERR_INVALID_ARGUMENT);
    pp_device d = newcomer();
    ck_assert_int_eq(pp_decide_many(NULL, policy, NULL, &d, 1), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_decide_many(NULL, policy, NULL, NULL, 0), PP_OK);

    size_t total = 99;
    ck_assert_int_eq(pp_check_integrations(&total, NULL, 0, policy, NULL, 1), PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(total, 0);
    ck_assert_int_eq(pp_check_tokens(&total, NULL, 0, policy, NULL, 1), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_check_sims(&total, NULL, 0, policy, NULL, 1), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_check_devices(&total, NULL, 0, policy, NULL, 1), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_check_policy(&total, NULL, 1, policy), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_check_policy(&total, NULL, 0, policy), PP_OK);
    ck_assert_uint_eq(total, 2);

    pp_audit_input in;
    for (int k = 0; k < 4; k++) {
        memset(&in, 0, sizeof in);
        in.n_integrations = k == 0;
        in.n_tokens = k == 1;
        in.n_sims = k == 2;
        in.n_devices = k == 3;
        total = 99;
        ck_assert_int_eq(pp_audit(&total, NULL, 0, policy, &in), PP_ERR_INVALID_ARGUMENT);
        ck_assert_uint_eq(total, 0);
    }
}
END_TEST

Suite *arguments_suite(void)
{
    Suite *s = suite_create("arguments");
    TCase *tc = tcase_create("null_with_length");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, device_field_null_with_length, 0, (int)(N(fields) * N(entries)));
    tcase_add_test(tc, owner_null_with_length_is_not_unowned);
    tcase_add_test(tc, sku_null_with_length_is_not_absent);
    tcase_add_loop_test(tc, null_with_length_outranks_a_later_problem, 0, (int)N(fields));
    tcase_add_test(tc, null_with_length_is_reported_first);
    tcase_add_loop_test(tc, pair_null_with_length, 0, (int)N(pairs));
    tcase_add_test(tc, arrays_null_with_count);
    suite_add_tcase(s, tc);
    return s;
}
