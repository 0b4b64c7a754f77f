/* The loader's limits (pp_load_options) against hostile text: each one
 * stops the load where it is crossed, with a message that names it, and
 * the defaults hold against megabytes of input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "load_util.h"
#include "suites.h"

START_TEST(test_load_depth_bomb_fails_fast_at_max_depth)
{
    enum { DEPTH = 10000 };
    char *text = malloc(2 * DEPTH + 1);
    ck_assert_ptr_nonnull(text);
    memset(text, '[', DEPTH);
    memset(text + DEPTH, ']', DEPTH);
    text[2 * DEPTH] = '\0';
    pp_error err;
    clock_t start = clock();
    ck_assert_int_eq(load_fails(&err, text, NULL), PP_ERR_LIMIT);
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    ck_assert_msg(seconds < 0.5, "took %.3f s", seconds);
    /* The 33rd '[' is the first collection deeper than 32. */
    ck_assert_uint_eq(err.line, 1);
    ck_assert_uint_eq(err.column, 33);
    ck_assert_uint_eq(err.offset, 32);
    ck_assert_ptr_nonnull(strstr(err.message, "max_depth"));

    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    opt.max_depth = 3;
    ck_assert_int_eq(load_fails(&err, "version: 1\nproducts: [[[1]]]\n", &opt), PP_ERR_LIMIT);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_eq(err.column, 13); /* root mapping 1, [ 2, [ 3, [ 4 */
    opt.max_depth = 4;
    ck_assert_int_eq(load_fails(&err, "version: 1\nproducts: [[[1]]]\n", &opt), PP_ERR_WRONG_TYPE);
    free(text);
}
END_TEST

/* Ten times ten times ... ten copies of a ten-item list: 10^9 nodes once
 * expanded, from a few hundred bytes. */
static char *billion_laughs(void)
{
    char *text = malloc(4096);
    ck_assert_ptr_nonnull(text);
    size_t n = (size_t)sprintf(text, "version: 1\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int level = 1; level <= 9; level++) {
        n += (size_t)sprintf(text + n, "l%d: &l%d [", level, level);
        for (int i = 0; i < 10; i++)
            n += (size_t)sprintf(text + n, "%s*l%d", i ? ", " : "", level - 1);
        n += (size_t)sprintf(text + n, "]\n");
    }
    return text;
}

START_TEST(test_load_billion_laughs_fails_with_limit_exceeded)
{
    char *text = billion_laughs();
    pp_error err;
    /* By default the expanded node count stops it (2,000,000 nodes are
     * passed at the first alias of l6, the 51st alias)... */
    ck_assert_int_eq(load_fails(&err, text, NULL), PP_ERR_LIMIT);
    ck_assert_ptr_nonnull(strstr(err.message, "max_nodes"));
    ck_assert_uint_eq(err.line, 8);
    /* ...with nodes unlimited, the alias count does (the 65th: l7's 5th)... */
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    opt.max_nodes = UINT32_MAX;
    ck_assert_int_eq(load_fails(&err, text, &opt), PP_ERR_LIMIT);
    ck_assert_ptr_nonnull(strstr(err.message, "max_aliases"));
    ck_assert_uint_eq(err.line, 9);
    ck_assert_uint_eq(err.column, strlen("l7: &l7 [*l6, *l6, *l6, *l6, ") + 1);
    /* ...and with aliases allowed, the node count again, quickly. */
    opt.max_nodes = 0;
    opt.max_aliases = 100000;
    clock_t start = clock();
    ck_assert_int_eq(load_fails(&err, text, &opt), PP_ERR_LIMIT);
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    ck_assert_msg(seconds < 0.5, "took %.3f s", seconds);
    ck_assert_ptr_nonnull(strstr(err.message, "max_nodes"));
    ck_assert_uint_ge(err.line, 3);
    ck_assert_uint_eq(err.offset, offset_of(text, strlen(text), err.line, err.column));
    ck_assert_int_eq(text[err.offset], '*');
    free(text);
}
END_TEST

START_TEST(test_load_max_nodes_counts_alias_expansion_at_the_right_alias)
{
    /* Nodes: root 1, version 2, 1 3, x 4, list 5, a b c 8, y 9, list 10,
     * then each *a adds the 4 nodes it stands for: 14, 18, 22. */
    static const char text[] = "version: 1\nx: &a [a, b, c]\ny: [*a, *a, *a]\n";
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    pp_error err;
    opt.max_nodes = 17;
    ck_assert_int_eq(load_fails(&err, text, &opt), PP_ERR_LIMIT);
    ck_assert_uint_eq(err.line, 3);
    ck_assert_uint_eq(err.column, 9);
    ck_assert_uint_eq(err.offset, 35);
    opt.max_nodes = 22; /* enough: the load goes on to the schema */
    ck_assert_int_eq(load_fails(&err, text, &opt), PP_ERR_UNKNOWN_KEY);
}
END_TEST

START_TEST(test_load_max_aliases_stops_at_the_first_alias_over)
{
    static const char text[] =
        "version: 1\nproducts:\n"
        "  - {id: 1, name: &n a, family: &f argon}\n"
        "  - {id: 2, name: *n, family: *f}\n"
        "  - {id: 3, name: *n, family: argon}\n";
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    pp_error err;
    opt.max_aliases = 2;
    ck_assert_int_eq(load_fails(&err, text, &opt), PP_ERR_LIMIT);
    ck_assert_uint_eq(err.line, 5);
    ck_assert_uint_eq(err.column, 19);
    ck_assert_ptr_nonnull(strstr(err.message, "more than 2 aliases"));
    opt.max_aliases = 3;
    pp_policy *p = NULL;
    ck_assert_int_eq(pp_policy_load(&p, text, strlen(text), &opt, &err), PP_OK);
    pp_policy_free(p);
}
END_TEST

START_TEST(test_load_input_beyond_max_input_bytes_fails_before_parsing)
{
    enum { NAME = 5000 };
    char *text = malloc(NAME + 128);
    ck_assert_ptr_nonnull(text);
    int n = sprintf(text, "version: 1\nproducts: [{id: 1, family: argon, name: ");
    memset(text + n, 'x', NAME);
    strcpy(text + n + NAME, "}]\n");
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    pp_error err;
    opt.max_input_bytes = 100;
    ck_assert_int_eq(load_fails(&err, text, &opt), PP_ERR_LIMIT);
    /* The first byte past the limit: line 2 starts at byte 11. */
    ck_assert_uint_eq(err.offset, 100);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_eq(err.column, 100 - 11 + 1);
    ck_assert_ptr_nonnull(strstr(err.message, "max_input_bytes"));
    /* At the limit the text is parsed, and the name is too long for one. */
    opt.max_input_bytes = strlen(text);
    ck_assert_int_eq(load_fails(&err, text, &opt), PP_ERR_INVALID_VALUE);
    ck_assert_ptr_nonnull(strstr(err.message, "products[0].name"));
    free(text);
}
END_TEST

START_TEST(test_load_max_products_points_at_the_first_product_over)
{
    static const char text[] =
        "version: 1\nproducts:\n"
        "  - {id: 1, name: a, family: argon}\n"
        "  - {id: 2, name: b, family: argon}\n"
        "  - {id: 3, name: c, family: argon}\n";
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    pp_error err;
    opt.max_products = 2;
    ck_assert_int_eq(load_fails(&err, text, &opt), PP_ERR_LIMIT);
    ck_assert_uint_eq(err.line, 5);
    ck_assert_uint_eq(err.column, 5);
    ck_assert_ptr_nonnull(strstr(err.message, "products[2]: more than 2 products (max_products)"));
    opt.max_products = 3;
    pp_policy *p = NULL;
    ck_assert_int_eq(pp_policy_load(&p, text, strlen(text), &opt, &err), PP_OK);
    pp_policy_free(p);
}
END_TEST

START_TEST(test_load_max_members_counts_every_team)
{
    static const char text[] =
        "version: 1\n"
        "organizations:\n"
        "  - name: acme\n"
        "    members: [{user: a, role: owner}, {user: b, role: support}]\n"
        "    api_users: [{name: ci, scopes: [devices:list]}]\n"
        "products:\n"
        "  - id: 1\n    name: One\n    family: argon\n"
        "    team:\n"
        "      - {user: c, role: developer}\n"
        "      - {user: d, role: developer}\n";
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    pp_error err;
    opt.max_members = 4;
    ck_assert_int_eq(load_fails(&err, text, &opt), PP_ERR_LIMIT);
    ck_assert_uint_eq(err.line, 12);
    ck_assert_uint_eq(err.column, 9);
    ck_assert_ptr_nonnull(strstr(err.message, "products[0].team[1]: more than 4"));
    opt.max_members = 5;
    pp_policy *p = NULL;
    ck_assert_int_eq(pp_policy_load(&p, text, strlen(text), &opt, &err), PP_OK);
    ck_assert_uint_eq(p->nmembers, 5);
    pp_policy_free(p);
}
END_TEST

/* ---- the default limits against big hostile inputs ---- */

/* "version: 1\nproducts: [{id: 1, family: argon, name: xxx...}]\n" with a
 * name of name_len bytes; the caller frees it. */
static char *policy_with_long_name(size_t name_len, size_t *len)
{
    static const char head[] = "version: 1\nproducts: [{id: 1, family: argon, name: ";
    char *text = malloc(sizeof head + name_len + 4);
    ck_assert_ptr_nonnull(text);
    memcpy(text, head, sizeof head - 1);
    memset(text + sizeof head - 1, 'x', name_len);
    memcpy(text + sizeof head - 1 + name_len, "}]\n", 4);
    *len = sizeof head - 1 + name_len + 3;
    return text;
}

START_TEST(test_load_default_max_input_bytes_stops_a_huge_scalar)
{
    size_t len;
    char *text = policy_with_long_name((size_t)17 << 20, &len);
    pp_policy *p = (pp_policy *)&p;
    pp_error err;
    ck_assert_int_eq(pp_policy_load(&p, text, len, NULL, &err), PP_ERR_LIMIT);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(err.offset, (size_t)16 << 20);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_ptr_nonnull(strstr(err.message, "max_input_bytes"));
    free(text);
}
END_TEST

START_TEST(test_load_huge_scalar_under_the_input_limit_fails_as_a_value)
{
    size_t len;
    char *text = policy_with_long_name((size_t)15 << 20, &len);
    pp_error err;
    ck_assert_int_eq(load_fails(&err, text, NULL), PP_ERR_INVALID_VALUE);
    ck_assert_ptr_nonnull(strstr(err.message, "products[0].name"));
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_eq(err.column, strlen("products: [{id: 1, family: argon, name: ") + 1);
    ck_assert(message_well_formed(&err));
    free(text);
}
END_TEST

/* An anchored list of 200,000 scalars aliased again and again: each alias
 * stands for 200,001 nodes, so the default max_nodes (8,000,000) stops the
 * 39th (200,007 nodes before the first alias, see the test above). */
START_TEST(test_load_aliases_to_a_huge_node_stop_at_default_max_nodes)
{
    enum { ITEMS = 200000, ALIASES = 50 };
    char *text = malloc(64 + 3 * ITEMS + 5 * ALIASES);
    ck_assert_ptr_nonnull(text);
    size_t n = (size_t)sprintf(text, "version: 1\nx: &a [");
    for (int i = 0; i < ITEMS; i++)
        n += (size_t)sprintf(text + n, "%sa", i ? ", " : "");
    n += (size_t)sprintf(text + n, "]\ny: [");
    size_t y = n;
    for (int i = 0; i < ALIASES; i++)
        n += (size_t)sprintf(text + n, "%s*a", i ? ", " : "");
    sprintf(text + n, "]\n");
    pp_error err;
    ck_assert_int_eq(load_fails(&err, text, NULL), PP_ERR_LIMIT);
    ck_assert_ptr_nonnull(strstr(err.message, "max_nodes"));
    ck_assert_uint_eq(err.line, 3);
    ck_assert_uint_eq(err.offset, y + 38 * 4); /* "*a, " before the 39th */
    free(text);
}
END_TEST

START_TEST(test_load_default_max_products_stops_product_100001)
{
    enum { PRODUCTS = 100001 };
    char *text = malloc(16 + 40 * (size_t)PRODUCTS);
    ck_assert_ptr_nonnull(text);
    size_t n = (size_t)sprintf(text, "version: 1\nproducts:\n");
    for (int i = 1; i <= PRODUCTS; i++)
        n += (size_t)sprintf(text + n, "- {id: %d, name: p, family: argon}\n", i);
    pp_error err;
    ck_assert_int_eq(load_fails(&err, text, NULL), PP_ERR_LIMIT);
    ck_assert_ptr_nonnull(strstr(err.message, "products[100000]: more than 100000 products"));
    ck_assert_uint_eq(err.line, 3 + 100000);
    ck_assert_uint_eq(err.column, 3);
    free(text);
}
END_TEST

Suite *load_limits_suite(void)
{
    Suite *s = suite_create("load limits");
    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, test_load_depth_bomb_fails_fast_at_max_depth);
    tcase_add_test(limits, test_load_billion_laughs_fails_with_limit_exceeded);
    tcase_add_test(limits, test_load_max_nodes_counts_alias_expansion_at_the_right_alias);
    tcase_add_test(limits, test_load_max_aliases_stops_at_the_first_alias_over);
    tcase_add_test(limits, test_load_input_beyond_max_input_bytes_fails_before_parsing);
    tcase_add_test(limits, test_load_max_products_points_at_the_first_product_over);
    tcase_add_test(limits, test_load_max_members_counts_every_team);
    suite_add_tcase(s, limits);

    /* Megabytes of text each: room for valgrind and coverage builds. */
    TCase *big = tcase_create("big inputs");
    tcase_set_timeout(big, 600);
    tcase_add_test(big, test_load_default_max_input_bytes_stops_a_huge_scalar);
    tcase_add_test(big, test_load_huge_scalar_under_the_input_limit_fails_as_a_value);
    tcase_add_test(big, test_load_aliases_to_a_huge_node_stop_at_default_max_nodes);
    tcase_add_test(big, test_load_default_max_products_stops_product_100001);
    suite_add_tcase(s, big);
    return s;
}
