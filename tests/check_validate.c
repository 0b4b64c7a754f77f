/* pp_policy_validate: every schema error of a text in one run, in source
 * order, the first one found being the one pp_policy_load reports. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_fail.h"
#include "internal.h"
#include "load_util.h"
#include "suites.h"

#define INVALID_DIR TEST_DATA_DIR "/invalid"
#define VALID_DIR TEST_DATA_DIR "/valid"

static bool same_error(const pp_error *a, const pp_error *b)
{
    return a->code == b->code && a->line == b->line && a->column == b->column &&
           a->offset == b->offset && strcmp(a->message, b->message) == 0;
}

/* What every validation must hold: the return is the load's code, the load's
 * error is among those reported, each error is well formed with the offset
 * of its line and column, in source order. */
static size_t validate_like_load(const char *name, const char *text, size_t len,
                                 pp_error *errors, size_t cap)
{
    pp_policy *p = NULL;
    pp_error load_err;
    int load_rc = pp_policy_load(&p, text, len, NULL, &load_err);
    pp_policy_free(p);
    size_t total = 12345;
    int rc = pp_policy_validate(&total, errors, cap, text, len, NULL);
    ck_assert_msg(rc == load_rc, "%s: validate %s, load %s", name, pp_error_name(rc),
                  pp_error_name(load_rc));
    if (load_rc == PP_OK) {
        ck_assert_uint_eq(total, 0);
        return 0;
    }
    ck_assert_msg(total >= 1 && total <= PP_VALIDATE_MAX_ERRORS, "%s: %zu errors", name, total);
    size_t shown = total < cap ? total : cap, found = 0;
    for (size_t i = 0; i < shown; i++) {
        const pp_error *e = &errors[i];
        ck_assert_msg(message_well_formed(e), "%s: error %zu", name, i);
        ck_assert_int_lt(e->code, 0);
        if (e->line > 0)
            ck_assert_msg(e->offset == offset_of(text, len, e->line, e->column),
                          "%s: error %zu at %u:%u has offset %zu", name, i, e->line,
                          e->column, e->offset);
        if (i > 0)
            ck_assert_msg(e->line > errors[i - 1].line ||
                              (e->line == errors[i - 1].line && e->column >= errors[i - 1].column),
                          "%s: error %zu out of order", name, i);
        found += same_error(e, &load_err);
    }
    if (shown == total)
        ck_assert_msg(found == 1, "%s: the load's error '%s' is not reported once", name,
                      load_err.message);
    return total;
}

/* ---- several errors ---- */

static const char several[] =
    "version: 1\n"                                          /* 1 */
    "settings:\n"
    "  sim_notify_percent: 101\n"                           /* 3: out_of_range */
    "platforms:\n"
    "  - {id: 40, name: Bad-Name}\n"                        /* 5: invalid_value */
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: alice, role: ownr}\n"                   /* 9: invalid_value */
    "      - {user: bob, role: developer, twostep: true}\n" /* 10: unknown_key */
    "      - {user: bob, role: support}\n"                  /* 11: duplicate */
    "products:\n"
    "  - id: 01\n"                                          /* 13: invalid_value */
    "    name: p\n"
    "    family: argn\n"                                    /* 15: unknown_family */
    "  - id: 2\n"
    "    name: q\n"
    "    family: argon\n"
    "    organization: acm\n"                               /* 19: unknown_name */
    "  - id: 2\n"                                           /* 20: duplicate (id) */
    "    family: boron\n";                                  /* 20: missing_key name */

static const struct {
    int code;
    uint32_t line, column;
    const char *message;
} several_errors[] = {
    { PP_ERR_OUT_OF_RANGE, 3, 23, "settings.sim_notify_percent: '101' is out of range" },
    { PP_ERR_INVALID_VALUE, 5, 20, "platforms[0].name: platform names are 1 to 32" },
    { PP_ERR_INVALID_VALUE, 9, 29, "organizations[0].members[0].role: unknown role 'ownr'" },
    { PP_ERR_UNKNOWN_KEY, 10, 38, "organizations[0].members[1]: unknown key 'twostep'" },
    { PP_ERR_DUPLICATE, 11, 16, "organizations[0].members[2].user: 'bob' is already" },
    { PP_ERR_INVALID_VALUE, 13, 9, "products[0].id: '01': leading zeros" },
    { PP_ERR_UNKNOWN_FAMILY, 15, 13, "products[0].family: unknown family 'argn'" },
    { PP_ERR_UNKNOWN_NAME, 19, 19, "products[1].organization: unknown organization 'acm'" },
    { PP_ERR_MISSING_KEY, 20, 5, "products[2]: missing required key 'name'" },
    { PP_ERR_DUPLICATE, 20, 9, "products[2].id: duplicate product ID 2 (first at line 16)" },
};

START_TEST(test_validate_reports_every_independent_error_in_source_order)
{
    pp_error errors[32];
    size_t total = validate_like_load("several", several, strlen(several), errors,
                                      COUNT(errors));
    for (size_t i = 0; i < total && i < COUNT(several_errors); i++)
        ck_assert_msg(errors[i].code == several_errors[i].code &&
                          errors[i].line == several_errors[i].line &&
                          errors[i].column == several_errors[i].column &&
                          strncmp(errors[i].message, several_errors[i].message,
                                  strlen(several_errors[i].message)) == 0,
                      "error %zu: %s %u:%u %s", i, pp_error_name(errors[i].code),
                      errors[i].line, errors[i].column, errors[i].message);
    ck_assert_uint_eq(total, COUNT(several_errors));
}
END_TEST

START_TEST(test_validate_returns_the_first_error_found_not_the_first_in_the_text)
{
    /* Organizations are read before products wherever they are. */
    static const char text[] =
        "version: 1\n"
        "products:\n"
        "  - {id: 1, name: p, family: argn}\n"
        "organizations:\n"
        "  - {name: acme, members: [{user: a, role: ownr}]}\n";
    pp_error errors[4];
    ck_assert_uint_eq(validate_like_load("orgs after products", text, strlen(text), errors,
                                         COUNT(errors)), 2);
    ck_assert_int_eq(errors[0].code, PP_ERR_UNKNOWN_FAMILY);
    ck_assert_int_eq(errors[1].code, PP_ERR_INVALID_VALUE);
    size_t total;
    ck_assert_int_eq(pp_policy_validate(&total, errors, 4, text, strlen(text), NULL),
                     PP_ERR_INVALID_VALUE);
}
END_TEST

START_TEST(test_validate_keeps_members_numbered_past_a_skipped_one)
{
    /* The first member is skipped; the duplicate is still placed right. */
    static const char text[] =
        "version: 1\n"
        "organizations:\n"
        "  - name: \"\"\n"
        "    members:\n"
        "      - [not, a, member]\n"
        "      - {user: ann, role: support}\n"
        "    api_users:\n"
        "      - {name: ann, scopes: [devices:list, BAD]}\n"
        "      - {name: bot, scopes: [devices:list]}\n"
        "      - {name: bot, scopes: [devices:import]}\n";
    pp_error errors[8];
    ck_assert_uint_eq(validate_like_load("numbering", text, strlen(text), errors,
                                         COUNT(errors)), 4);
    ck_assert_int_eq(errors[0].code, PP_ERR_INVALID_VALUE); /* the empty name */
    ck_assert_int_eq(errors[1].code, PP_ERR_WRONG_TYPE);    /* the list member */
    ck_assert_uint_eq(errors[1].line, 5);
    ck_assert_int_eq(errors[2].code, PP_ERR_INVALID_VALUE); /* scope BAD */
    ck_assert_uint_eq(errors[2].line, 8);
    /* The API user ann was skipped for its scope, so only the second bot
     * is a duplicate, placed where it is although two entries before it
     * were skipped. */
    ck_assert_int_eq(errors[3].code, PP_ERR_DUPLICATE);
    ck_assert_uint_eq(errors[3].line, 10);
    ck_assert_ptr_nonnull(strstr(errors[3].message, "api_users[2].name: 'bot' is already on "
                                                    "this team (line 9)"));
}
END_TEST

/* ---- what ends a run ---- */

START_TEST(test_validate_stops_at_a_yaml_error)
{
    static const char text[] =
        "version: 1\nproducts:\n  - {id: 0, name: p, family: argn}\n  - {id: [\n";
    pp_error errors[4];
    size_t total;
    ck_assert_int_eq(pp_policy_validate(&total, errors, 4, text, strlen(text), NULL),
                     PP_ERR_YAML);
    ck_assert_uint_eq(total, 1);
    validate_like_load("yaml", text, strlen(text), errors, 4);
}
END_TEST

START_TEST(test_validate_stops_at_an_unsupported_version)
{
    static const char text[] = "version: 2\nproducts: [{id: 0}]\nbogus: 1\n";
    pp_error errors[4];
    ck_assert_uint_eq(validate_like_load("version 2", text, strlen(text), errors, 4), 1);
    ck_assert_int_eq(errors[0].code, PP_ERR_SCHEMA_VERSION);
}
END_TEST

START_TEST(test_validate_reads_on_after_a_missing_version)
{
    static const char text[] = "Version: 1\nproducts: [{id: 0, name: p, family: argon}]\n";
    pp_error errors[4];
    ck_assert_uint_eq(validate_like_load("no version", text, strlen(text), errors, 4), 3);
    ck_assert_int_eq(errors[0].code, PP_ERR_UNKNOWN_KEY);  /* 'Version', found first */
    ck_assert_int_eq(errors[1].code, PP_ERR_MISSING_KEY);  /* at the root, 1:1 too */
    ck_assert_int_eq(errors[2].code, PP_ERR_OUT_OF_RANGE); /* id 0 */
}
END_TEST

START_TEST(test_validate_stops_at_the_error_limit)
{
    size_t n = 2 * PP_VALIDATE_MAX_ERRORS, cap = n * 40 + 64, used = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    used += (size_t)snprintf(text, cap, "version: 1\nproducts:\n");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, cap - used, "  - {id: 0, name: p, family: argon}\n");
    pp_error errors[PP_VALIDATE_MAX_ERRORS + 1];
    ck_assert_uint_eq(validate_like_load("many", text, used, errors, COUNT(errors)),
                      PP_VALIDATE_MAX_ERRORS);
    ck_assert_uint_eq(errors[PP_VALIDATE_MAX_ERRORS - 1].line, 2 + PP_VALIDATE_MAX_ERRORS);
    free(text);
}
END_TEST

/* ---- the caller's side ---- */

START_TEST(test_validate_counts_past_the_capacity)
{
    pp_error errors[3];
    size_t total;
    memset(errors, 0x5A, sizeof errors);
    ck_assert_int_eq(pp_policy_validate(&total, errors, 2, several, strlen(several), NULL),
                     PP_ERR_OUT_OF_RANGE);
    ck_assert_uint_eq(total, COUNT(several_errors));
    ck_assert_int_eq(errors[1].code, several_errors[1].code);
    ck_assert_int_eq(errors[2].code, 0x5A5A5A5A); /* untouched */
    ck_assert_int_eq(pp_policy_validate(&total, NULL, 0, several, strlen(several), NULL),
                     PP_ERR_OUT_OF_RANGE);
    ck_assert_uint_eq(total, COUNT(several_errors));
}
END_TEST

START_TEST(test_validate_rejects_bad_arguments)
{
    pp_error errors[2];
    size_t total = 7;
    static const char ok[] = "version: 1\n";
    ck_assert_int_eq(pp_policy_validate(NULL, errors, 2, ok, strlen(ok), NULL),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_policy_validate(&total, NULL, 2, ok, strlen(ok), NULL),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(total, 0);
    ck_assert_int_eq(pp_policy_validate(&total, errors, 2, NULL, 5, NULL),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_uint_eq(total, 1);
    ck_assert_int_eq(errors[0].code, PP_ERR_INVALID_ARGUMENT);
    pp_load_options bad = PP_LOAD_OPTIONS_INIT;
    bad.version = 99;
    ck_assert_int_eq(pp_policy_validate(&total, errors, 2, ok, strlen(ok), &bad),
                     PP_ERR_INVALID_ARGUMENT);
    pp_load_options small = PP_LOAD_OPTIONS_INIT;
    small.max_input_bytes = 4;
    ck_assert_int_eq(pp_policy_validate(&total, errors, 2, ok, strlen(ok), &small),
                     PP_ERR_LIMIT);
    ck_assert_uint_eq(total, 1);
    ck_assert_int_eq(pp_policy_validate(&total, errors, 2, NULL, 0, NULL), PP_ERR_MISSING_KEY);
    ck_assert_int_eq(pp_policy_validate(&total, errors, 2, ok, strlen(ok), NULL), PP_OK);
    ck_assert_uint_eq(total, 0);
}
END_TEST

/* ---- every case the loader's tests have ---- */

static void validate_dir(const char *dir_path, bool valid)
{
    DIR *dir = opendir(dir_path);
    ck_assert_msg(dir != NULL, "cannot open %s", dir_path);
    int cases = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!has_suffix(e->d_name, ".yaml"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir_path, e->d_name);
        size_t len;
        char *text = slurp(path, &len);
        pp_error errors[PP_VALIDATE_MAX_ERRORS];
        size_t total = validate_like_load(e->d_name, text, len, errors, COUNT(errors));
        ck_assert_msg(valid == (total == 0), "%s: %zu errors", e->d_name, total);
        free(text);
        cases++;
    }
    closedir(dir);
    ck_assert_int_ge(cases, 9);
}

START_TEST(test_validate_agrees_with_load_on_every_data_case)
{
    validate_dir(INVALID_DIR, false);
    validate_dir(VALID_DIR, true);
}
END_TEST

START_TEST(test_validate_survives_truncated_and_damaged_input)
{
    size_t len;
    char *text = slurp(VALID_DIR "/full.yaml", &len);
    char *work = malloc(len);
    ck_assert_ptr_nonnull(work);
    static const char bytes[] = { '\0', ':', '[', '{', '-', 'x', '0' };
    /* Every third position; with PP_TEST_LIGHT (valgrind) every 60th. */
    for (size_t cut = 0; cut < len; cut += 3 * (size_t)ppt_stride())
        for (size_t b = 0; b <= COUNT(bytes); b++) {
            size_t n = b < COUNT(bytes) ? len : cut;
            memcpy(work, text, len);
            if (b < COUNT(bytes))
                work[cut] = bytes[b];
            pp_error errors[8];
            validate_like_load("damaged", work, n, errors, COUNT(errors));
        }
    free(work);
    free(text);
}
END_TEST

/* Allocation N fails (the hook's, and where malloc is interposed every one):
 * out_of_memory ends the run, nothing leaks, and the run that succeeds
 * reports what an unhindered one does. */
START_TEST(test_validate_fails_each_allocation_cleanly)
{
    bool interposed = alloc_fail_active();
    size_t want_total;
    pp_error want[16];
    int want_rc = pp_policy_validate(&want_total, want, COUNT(want), several, strlen(several),
                                     NULL);
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    long n;
    for (n = 1; n < 100000; n++) {
        counting c = { 0, 0, interposed ? 0 : n };
        opt.allocator = (pp_allocator){ counting_alloc, counting_free, &c };
        pp_error errors[16];
        size_t total;
        alloc_fail_arm(interposed ? n : 0);
        int rc = pp_policy_validate(&total, errors, COUNT(errors), several, strlen(several), &opt);
        long live, calls = alloc_fail_disarm(&live);
        ck_assert_msg(live == 0 && c.live == 0, "allocation %ld: %ld blocks leaked", n, live);
        bool failed = false;
        for (size_t i = 0; i < total && i < COUNT(errors); i++)
            failed |= errors[i].code == PP_ERR_NOMEM;
        if (!failed) {
            ck_assert_int_lt(interposed ? calls : c.calls, n);
            ck_assert_int_eq(rc, want_rc);
            ck_assert_uint_eq(total, want_total);
            for (size_t i = 0; i < total; i++)
                ck_assert(same_error(&errors[i], &want[i]));
            break;
        }
    }
    ck_assert_int_gt(n, 2);
}
END_TEST

Suite *validate_suite(void)
{
    Suite *s = suite_create("validate");
    TCase *errors = tcase_create("every error");
    tcase_add_test(errors, test_validate_reports_every_independent_error_in_source_order);
    tcase_add_test(errors, test_validate_returns_the_first_error_found_not_the_first_in_the_text);
    tcase_add_test(errors, test_validate_keeps_members_numbered_past_a_skipped_one);
    tcase_add_test(errors, test_validate_stops_at_a_yaml_error);
    tcase_add_test(errors, test_validate_stops_at_an_unsupported_version);
    tcase_add_test(errors, test_validate_reads_on_after_a_missing_version);
    tcase_add_test(errors, test_validate_stops_at_the_error_limit);
    tcase_add_test(errors, test_validate_counts_past_the_capacity);
    tcase_add_test(errors, test_validate_rejects_bad_arguments);
    suite_add_tcase(s, errors);

    TCase *agree = tcase_create("agrees with load");
    tcase_set_timeout(agree, 600);
    tcase_add_test(agree, test_validate_agrees_with_load_on_every_data_case);
    tcase_add_test(agree, test_validate_survives_truncated_and_damaged_input);
    tcase_add_test(agree, test_validate_fails_each_allocation_cleanly);
    suite_add_tcase(s, agree);
    return s;
}
