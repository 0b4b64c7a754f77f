/* Run-time team sets: building them, looking members up, failing cleanly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "suites.h"

#define S(x) (x), strlen(x)

static uint64_t seed(const char *org) { return ppi_hash_bytes(org, strlen(org)); }

static int role_of(const pp_team *t, const char *org, const char *user)
{
    return ppi_team_role(t, S(org), seed(org), S(user));
}

/* An allocator that fails the N-th allocation and counts live blocks. */
typedef struct { int fail_at, calls, live; } counting;

static void *counting_alloc(void *opaque, size_t size)
{
    counting *c = opaque;
    if (++c->calls == c->fail_at)
        return NULL;
    c->live++;
    return malloc(size);
}

static void counting_free(void *opaque, void *ptr)
{
    counting *c = opaque;
    if (ptr != NULL)
        c->live--;
    free(ptr);
}

START_TEST(test_team_lookup_finds_members_by_org_and_user)
{
    pp_team *t = NULL;
    ck_assert_int_eq(pp_team_new(&t, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(t, S("acme"), S("alice@acme.io"), PP_ROLE_DEVELOPER), PP_OK);
    ck_assert_int_eq(pp_team_add(t, S("globex"), S("bob@globex.io"), PP_ROLE_VIEW_ONLY), PP_OK);
    ck_assert_int_eq(role_of(t, "acme", "alice@acme.io"), PP_ROLE_DEVELOPER);
    ck_assert_int_eq(role_of(t, "globex", "bob@globex.io"), PP_ROLE_VIEW_ONLY);
    /* Membership is per organization: alice is not in globex. */
    ck_assert_int_eq(role_of(t, "globex", "alice@acme.io"), -1);
    ck_assert_int_eq(role_of(t, "acme", "ALICE@acme.io"), -1);
    ck_assert_uint_eq(pp_team_size(t), 2);
    pp_team_free(t);
}
END_TEST

START_TEST(test_team_adding_again_updates_the_role)
{
    pp_team *t = NULL;
    ck_assert_int_eq(pp_team_new(&t, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(t, S("acme"), S("carol"), PP_ROLE_SUPPORT), PP_OK);
    ck_assert_int_eq(pp_team_add(t, S("acme"), S("carol"), PP_ROLE_ADMINISTRATOR), PP_OK);
    ck_assert_uint_eq(pp_team_size(t), 1);
    ck_assert_int_eq(role_of(t, "acme", "carol"), PP_ROLE_ADMINISTRATOR);
    pp_team_free(t);
}
END_TEST

START_TEST(test_team_grows_to_many_members)
{
    pp_team *t = NULL;
    ck_assert_int_eq(pp_team_new(&t, NULL), PP_OK);
    char name[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(name, sizeof name, "user%d@org%d", i, i % 7);
        ck_assert_int_eq(pp_team_add(t, S(i % 2 ? "odd" : "even"), S(name), (pp_role)(i % 5)), PP_OK);
    }
    ck_assert_uint_eq(pp_team_size(t), 100000);
    for (int i = 0; i < 100000; i += 997) {
        snprintf(name, sizeof name, "user%d@org%d", i, i % 7);
        ck_assert_int_eq(role_of(t, i % 2 ? "odd" : "even", name), i % 5);
        ck_assert_int_eq(role_of(t, i % 2 ? "even" : "odd", name), -1);
    }
    pp_team_free(t);
}
END_TEST

START_TEST(test_team_rejects_invalid_arguments)
{
    pp_team *t = NULL;
    ck_assert_int_eq(pp_team_new(NULL, NULL), PP_ERR_INVALID_ARGUMENT);
    pp_allocator half = { counting_alloc, NULL, NULL };
    ck_assert_int_eq(pp_team_new(&t, &half), PP_ERR_INVALID_ARGUMENT);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(pp_team_new(&t, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(NULL, S("acme"), S("a"), PP_ROLE_OWNER), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_team_add(t, S(""), S("a"), PP_ROLE_OWNER), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_team_add(t, S("acme"), S(""), PP_ROLE_OWNER), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_team_add(t, S("acme"), "a\nb", 3, PP_ROLE_OWNER), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_team_add(t, S("acme"), S("a"), (pp_role)5), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_team_add(t, S("acme"), S("a"), (pp_role)-1), PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(pp_team_size(t), 0);
    ck_assert_uint_eq(pp_team_size(NULL), 0);
    pp_team_free(t);
    pp_team_free(NULL);
}
END_TEST

START_TEST(test_team_survives_every_allocation_failure)
{
    char name[32];
    bool completed = false;
    for (int n = 1; !completed; n++) {
        counting c = { n, 0, 0 };
        pp_allocator hook = { counting_alloc, counting_free, &c };
        pp_team *t = NULL;
        int rc = pp_team_new(&t, &hook);
        int added = 0;
        for (int i = 0; rc == PP_OK && i < 300; i++) {
            snprintf(name, sizeof name, "member-%d", i);
            rc = pp_team_add(t, S("acme"), S(name), PP_ROLE_SUPPORT);
            if (rc == PP_OK)
                added++;
        }
        if (rc == PP_OK)
            completed = true;
        else
            ck_assert_int_eq(rc, PP_ERR_NOMEM);
        /* A failed add leaves the set as it was: every earlier member stays. */
        if (t != NULL) {
            ck_assert_uint_eq(pp_team_size(t), (size_t)added);
            for (int i = 0; i < added; i++) {
                snprintf(name, sizeof name, "member-%d", i);
                ck_assert_int_eq(role_of(t, "acme", name), PP_ROLE_SUPPORT);
            }
        }
        pp_team_free(t);
        ck_assert_int_eq(c.live, 0);
    }
}
END_TEST

Suite *team_suite(void)
{
    Suite *s = suite_create("team");
    TCase *tc = tcase_create("team");
    tcase_add_test(tc, test_team_lookup_finds_members_by_org_and_user);
    tcase_add_test(tc, test_team_adding_again_updates_the_role);
    tcase_add_test(tc, test_team_grows_to_many_members);
    tcase_add_test(tc, test_team_rejects_invalid_arguments);
    tcase_add_test(tc, test_team_survives_every_allocation_failure);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}
