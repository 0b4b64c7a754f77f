/*
 * What each admission decision tells the cloud to write (docs/decisions.md,
 * "effects" column; docs/lifecycle.md) and pp_apply_effects.  The expected
 * effects were written from those pages, row by row, not from lib/effects.c.
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
    "      - {user: alice, role: owner, two_step: true}\n"
    "products:\n"
    "  - {id: 100, name: Quarantine, organization: acme, family: bsom,\n"
    "     released_firmware: 5}\n"
    "  - {id: 200, name: Auto, organization: acme, family: bsom,\n"
    "     unrecognized_devices: auto_approve, removed_devices: quarantine}\n"
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

enum { BSOM = 23, XENON = 14, BORON = 13 };
#define ID "e00fce68a1b2c3d4e5f60718"
#define LEGACY "3.3.1"
#define NEW "5.6.0"

/* A record: os, C, F, denied_in, removed_from, quarantined_in, owner. */
typedef struct rec {
    const char *os;
    uint32_t C, F, D, R, Q;
    const char *owner;
    uint32_t platform;
    const char *id;
} rec;

static pp_device device(const rec *r)
{
    pp_device d;
    memset(&d, 0, sizeof d);
    const char *id = r->id ? r->id : ID;
    d.id = id;
    d.id_len = strlen(id);
    d.device_os = r->os;
    d.device_os_len = strlen(r->os);
    if (r->owner) {
        d.owner = r->owner;
        d.owner_len = strlen(r->owner);
    }
    d.platform_id = r->platform ? r->platform : BSOM;
    d.cloud_product_id = r->C;
    d.firmware_product_id = r->F;
    d.denied_in = r->D;
    d.removed_from = r->R;
    d.quarantined_in = r->Q;
    return d;
}

#define JOIN PP_EFFECT_JOIN
#define ENTER_Q PP_EFFECT_ENTER_QUARANTINE
#define ENTER_D PP_EFFECT_ENTER_DENIED_LIST
#define LEAVE_D PP_EFFECT_LEAVE_DENIED_LIST
#define LEAVE_Q PP_EFFECT_LEAVE_QUARANTINE

static const struct {
    const char *name;
    rec in;
    int rule;
    uint32_t effects, leaves_denied, leaves_quarantine;
    rec out;  /* the next record's lists: C, D, R, Q (os, F, owner unchanged) */
} rows[] = {
    { "rule 0: an invalid record writes nothing, whatever it says",
      { LEGACY, 0, 0, 100, 0, 200, NULL, 0, "not-an-id" }, 0, 0, 0, 0,
      { LEGACY, 0, 0, 100, 0, 200, NULL, 0, NULL } },
    { "rule 1: non-product firmware on a legacy device leaves both lists",
      { LEGACY, 0, 0, 100, 0, 200, NULL, 0, NULL }, 1, LEAVE_D | LEAVE_Q, 100, 200,
      { LEGACY, 0, 0, 0, 0, 0, NULL, 0, NULL } },
    { "rule 1: the removal is not a list the firmware changes",
      { LEGACY, 0, 0, 0, 100, 0, NULL, 0, NULL }, 1, 0, 0, 0,
      { LEGACY, 0, 0, 0, 100, 0, NULL, 0, NULL } },
    { "rule 1: a 4.x device reports no firmware product, so leaves nothing",
      { NEW, 0, 0, 100, 0, 200, NULL, 0, NULL }, 1, 0, 0, 0,
      { NEW, 0, 0, 100, 0, 200, NULL, 0, NULL } },
    { "rule 2: an unknown product writes nothing",
      { LEGACY, 999, 0, 100, 0, 0, NULL, 0, NULL }, 2, 0, 0, 0,
      { LEGACY, 999, 0, 100, 0, 0, NULL, 0, NULL } },
    { "rule 3: a platform no product holds writes nothing",
      { LEGACY, 100, 0, 300, 0, 0, NULL, XENON, NULL }, 3, 0, 0, 0,
      { LEGACY, 100, 0, 300, 0, 0, NULL, 0, NULL } },
    { "rule 4: a model outside the family writes nothing",
      { LEGACY, 100, 0, 300, 0, 0, NULL, BORON, NULL }, 4, 0, 0, 0,
      { LEGACY, 100, 0, 300, 0, 0, NULL, 0, NULL } },
    { "rule 5: a contradictory record writes nothing (fail closed)",
      { LEGACY, 100, 0, 100, 0, 0, NULL, 0, NULL }, 5, 0, 0, 0,
      { LEGACY, 100, 0, 100, 0, 0, NULL, 0, NULL } },
    { "rule 6: a member on non-product firmware leaves other lists, stays listed",
      { LEGACY, 100, 0, 300, 0, 100, NULL, 0, NULL }, 6, LEAVE_D | LEAVE_Q, 300, 100,
      { LEGACY, 100, 0, 0, 0, 0, NULL, 0, NULL } },
    { "rule 7: a member writes nothing",
      { LEGACY, 100, 100, 300, 0, 200, NULL, 0, NULL }, 7, 0, 0, 0,
      { LEGACY, 100, 100, 300, 0, 200, NULL, 0, NULL } },
    { "rule 8: a denied device stays denied",
      { LEGACY, 0, 100, 100, 0, 0, NULL, 0, NULL }, 8, 0, 0, 0,
      { LEGACY, 0, 100, 100, 0, 0, NULL, 0, NULL } },
    { "rule 9: a removed device reappears on the Denied list; the removal is done",
      { LEGACY, 0, 100, 0, 100, 0, NULL, 0, NULL }, 9, ENTER_D, 0, 0,
      { LEGACY, 0, 100, 100, 0, 0, NULL, 0, NULL } },
    { "rule 9: on 4.x, from P's quarantine list to P's Denied list",
      { NEW, 0, 200, 0, 200, 200, NULL, 0, NULL }, 9, ENTER_D | LEAVE_Q, 0, 200,
      { NEW, 0, 200, 200, 0, 0, NULL, 0, NULL } },
    { "rule 9: another product's Denied entry is kept, and so is the removal",
      { LEGACY, 0, 100, 300, 100, 0, NULL, 0, NULL }, 9, 0, 0, 0,
      { LEGACY, 0, 100, 300, 100, 0, NULL, 0, NULL } },
    { "rule 9, removed_devices: quarantine: enters quarantine, removal kept",
      { LEGACY, 0, 200, 0, 200, 0, NULL, 0, NULL }, 9, ENTER_Q, 0, 0,
      { LEGACY, 0, 200, 0, 200, 200, NULL, 0, NULL } },
    { "rule 9, removed_devices: quarantine: already there, nothing new",
      { LEGACY, 0, 200, 0, 200, 200, NULL, 0, NULL }, 9, 0, 0, 0,
      { LEGACY, 0, 200, 0, 200, 200, NULL, 0, NULL } },
    { "rule 10: a 4.x device never pre-added writes nothing",
      { NEW, 0, 100, 0, 0, 0, NULL, 0, NULL }, 10, 0, 0, 0,
      { NEW, 0, 100, 0, 0, 0, NULL, 0, NULL } },
    { "rule 11: a member of another product enters P's quarantine list",
      { LEGACY, 300, 100, 0, 0, 0, NULL, 0, NULL }, 11, ENTER_Q, 0, 0,
      { LEGACY, 300, 100, 0, 0, 100, NULL, 0, NULL } },
    { "rule 11: moving from another product's quarantine list",
      { LEGACY, 300, 100, 0, 0, 200, NULL, 0, NULL }, 11, ENTER_Q | LEAVE_Q, 0, 200,
      { LEGACY, 300, 100, 0, 0, 100, NULL, 0, NULL } },
    { "rule 12: an unrecognized device enters the quarantine list",
      { LEGACY, 0, 100, 0, 0, 0, NULL, 0, NULL }, 12, ENTER_Q, 0, 0,
      { LEGACY, 0, 100, 0, 0, 100, NULL, 0, NULL } },
    { "rule 12: already quarantined there: nothing new",
      { LEGACY, 0, 100, 300, 0, 100, NULL, 0, NULL }, 12, 0, 0, 0,
      { LEGACY, 0, 100, 300, 0, 100, NULL, 0, NULL } },
    { "rule 13: an unowned device joins the auto-approve product",
      { LEGACY, 0, 200, 0, 0, 0, NULL, 0, NULL }, 13, JOIN, 0, 0,
      { LEGACY, 200, 200, 0, 0, 0, NULL, 0, NULL } },
    { "rule 13: joining takes it off that product's quarantine list",
      { LEGACY, 0, 200, 0, 0, 200, NULL, 0, NULL }, 13, JOIN | LEAVE_Q, 0, 200,
      { LEGACY, 200, 200, 0, 0, 0, NULL, 0, NULL } },
    { "rule 13: another product's quarantine entry stays",
      { LEGACY, 0, 200, 0, 0, 100, NULL, 0, NULL }, 13, JOIN, 0, 0,
      { LEGACY, 200, 200, 0, 0, 100, NULL, 0, NULL } },
    { "rule 14: owned by a team member, joins",
      { LEGACY, 0, 200, 0, 0, 0, "alice", 0, NULL }, 14, JOIN, 0, 0,
      { LEGACY, 200, 200, 0, 0, 0, "alice", 0, NULL } },
    { "rule 15: owned by an outsider, quarantined",
      { LEGACY, 0, 200, 0, 0, 0, "mallory", 0, NULL }, 15, ENTER_Q, 0, 0,
      { LEGACY, 0, 200, 0, 0, 200, "mallory", 0, NULL } },
};

START_TEST(test_effects_of_each_rule)
{
    pp_device d = device(&rows[_i].in);
    pp_decision out;
    memset(&out, 0x5A, sizeof out);
    pp_decide(&out, policy, NULL, &d);
    ck_assert_msg(out.rule == rows[_i].rule, "%s: rule %d", rows[_i].name, out.rule);
    ck_assert_msg(out.effects == rows[_i].effects, "%s: effects 0x%x", rows[_i].name,
                  out.effects);
    ck_assert_uint_eq(out.leaves_denied, rows[_i].leaves_denied);
    ck_assert_uint_eq(out.leaves_quarantine, rows[_i].leaves_quarantine);

    pp_device next;
    memset(&next, 0x5A, sizeof next);
    ck_assert_int_eq(pp_apply_effects(&next, &d, &out), PP_OK);
    const rec *w = &rows[_i].out;
    ck_assert_msg(next.cloud_product_id == w->C && next.denied_in == w->D &&
                  next.removed_from == w->R && next.quarantined_in == w->Q,
                  "%s: next C=%u D=%u R=%u Q=%u", rows[_i].name, next.cloud_product_id,
                  next.denied_in, next.removed_from, next.quarantined_in);
    /* Everything else is carried over, string pointers included. */
    ck_assert_ptr_eq(next.id, d.id);
    ck_assert_ptr_eq(next.device_os, d.device_os);
    ck_assert_ptr_eq(next.owner, d.owner);
    ck_assert_uint_eq(next.firmware_product_id, d.firmware_product_id);
    ck_assert_uint_eq(next.platform_id, d.platform_id);
}
END_TEST

/* Decide, store, decide again: nothing new to write, the same privileges. */
START_TEST(test_effects_reach_a_fixpoint_at_once)
{
    pp_device d = device(&rows[_i].in), next;
    pp_decision first, second;
    pp_decide(&first, policy, NULL, &d);
    ck_assert_int_eq(pp_apply_effects(&next, &d, &first), PP_OK);
    pp_decide(&second, policy, NULL, &next);
    ck_assert_msg(second.effects == 0, "%s: second effects 0x%x", rows[_i].name,
                  second.effects);
    ck_assert_uint_eq(second.privileges, first.privileges);
    ck_assert_uint_eq(second.product_id, first.product_id);
}
END_TEST

START_TEST(test_effects_apply_in_place)
{
    rec r = { LEGACY, 0, 0, 100, 0, 200, NULL, 0, NULL };
    pp_device d = device(&r);
    pp_decision out;
    pp_decide(&out, policy, NULL, &d);
    ck_assert_int_eq(pp_apply_effects(&d, &d, &out), PP_OK);
    ck_assert_uint_eq(d.denied_in, 0);
    ck_assert_uint_eq(d.quarantined_in, 0);
}
END_TEST

START_TEST(test_effects_apply_refuses_a_decision_for_another_record)
{
    rec r = { LEGACY, 0, 0, 100, 0, 200, NULL, 0, NULL };
    pp_device d = device(&r), next;
    pp_decision out;
    pp_decide(&out, policy, NULL, &d);
    pp_decision bad = out;

    d.denied_in = 300;  /* the record moved on since the decision */
    memset(&next, 0x5A, sizeof next);
    ck_assert_int_eq(pp_apply_effects(&next, &d, &out), PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(next.denied_in, 300);  /* an unchanged copy */
    ck_assert_uint_eq(next.quarantined_in, 200);
    ck_assert_ptr_eq(next.id, d.id);
    d.denied_in = 100;

    d.quarantined_in = 0;
    ck_assert_int_eq(pp_apply_effects(&next, &d, &out), PP_ERR_INVALID_ARGUMENT);
    d.quarantined_in = 200;

    bad.effects |= 1u << 5;  /* no such effect */
    ck_assert_int_eq(pp_apply_effects(&next, &d, &bad), PP_ERR_INVALID_ARGUMENT);

    bad = out;
    bad.leaves_denied = 0;
    ck_assert_int_eq(pp_apply_effects(&next, &d, &bad), PP_ERR_INVALID_ARGUMENT);
    bad = out;
    bad.leaves_quarantine = 0;
    ck_assert_int_eq(pp_apply_effects(&next, &d, &bad), PP_ERR_INVALID_ARGUMENT);

    static const uint32_t entering[] = { PP_EFFECT_JOIN, PP_EFFECT_ENTER_QUARANTINE,
                                         PP_EFFECT_ENTER_DENIED_LIST };
    for (size_t i = 0; i < N(entering); i++) {
        bad = out;
        bad.effects = entering[i];
        bad.product_id = 0;  /* entering no product */
        ck_assert_int_eq(pp_apply_effects(&next, &d, &bad), PP_ERR_INVALID_ARGUMENT);
        ck_assert_uint_eq(next.cloud_product_id, 0);
        ck_assert_uint_eq(next.quarantined_in, 200);
    }
    ck_assert_int_eq(pp_apply_effects(NULL, &d, &out), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_apply_effects(&next, NULL, &out), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_apply_effects(&next, &d, NULL), PP_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_effects_none_on_error)
{
    rec r = { LEGACY, 0, 200, 0, 0, 0, NULL, 0, NULL };
    pp_device d = device(&r);
    pp_decision out;
    /* A valid newcomer to the auto-approve product would join it... */
    pp_decide(&out, policy, NULL, &d);
    ck_assert_uint_eq(out.effects, PP_EFFECT_JOIN);
    /* ...an invalid owner, a NULL policy: nothing at all. */
    d.owner = "";
    d.owner_len = 0;
    ck_assert_int_eq(pp_decide(&out, policy, NULL, &d), PP_ERR_OWNER);
    ck_assert_uint_eq(out.effects, 0);
    ck_assert_uint_eq(out.leaves_denied, 0);
    ck_assert_uint_eq(out.leaves_quarantine, 0);
    ck_assert_int_eq(pp_decide(&out, NULL, NULL, &d), PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(out.effects, 0);
}
END_TEST

START_TEST(test_effects_decision_init_grants_and_writes_nothing)
{
    pp_decision none = PP_DECISION_INIT;
    ck_assert_int_eq(none.outcome, PP_OUTCOME_DENY);
    ck_assert_uint_eq(none.privileges, 0);
    ck_assert_uint_eq(none.effects, 0);
    rec r = { LEGACY, 0, 100, 300, 100, 200, NULL, 0, NULL };
    pp_device d = device(&r), next;
    ck_assert_int_eq(pp_apply_effects(&next, &d, &none), PP_OK);
    ck_assert(memcmp(&next, &d, sizeof d) == 0);
}
END_TEST

START_TEST(test_effects_names)
{
    static const char *const names[] = { "join", "enter_quarantine", "enter_denied_list",
                                         "leave_denied_list", "leave_quarantine" };
    ck_assert_uint_eq(PP_EFFECTS_ALL, (1u << N(names)) - 1);
    for (int i = 0; i < (int)N(names); i++) {
        ck_assert_str_eq(pp_effect_name(i), names[i]);
        ck_assert_int_eq(pp_effect_from_name(S(names[i])), i);
    }
    ck_assert_ptr_null(pp_effect_name((int)N(names)));
    ck_assert_ptr_null(pp_effect_name(-1));
    ck_assert_int_eq(pp_effect_from_name(S("none")), -1);
    ck_assert_int_eq(pp_effect_from_name(NULL, 0), -1);
    ck_assert_int_eq(pp_effect_from_name("joint", 4), 0);  /* length counts */
}
END_TEST

Suite *effects_suite(void)
{
    Suite *s = suite_create("effects");
    TCase *tc = tcase_create("effects");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_effects_of_each_rule, 0, N(rows));
    tcase_add_loop_test(tc, test_effects_reach_a_fixpoint_at_once, 0, N(rows));
    tcase_add_test(tc, test_effects_apply_in_place);
    tcase_add_test(tc, test_effects_apply_refuses_a_decision_for_another_record);
    tcase_add_test(tc, test_effects_none_on_error);
    tcase_add_test(tc, test_effects_decision_init_grants_and_writes_nothing);
    tcase_add_test(tc, test_effects_names);
    suite_add_tcase(s, tc);
    return s;
}
