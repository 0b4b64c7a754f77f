/* The loader under failure: every allocation failed in turn, and inputs cut
 * or damaged at every byte.  Each load either succeeds or fails with a sane
 * error record, never a crash, a leak or a half-built policy. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_fail.h"
#include "internal.h"
#include "load_util.h"
#include "suites.h"

#define VALID_DIR TEST_DATA_DIR "/valid"
#define INVALID_DIR TEST_DATA_DIR "/invalid"

/* Fails allocation n = 1, 2, ... of loading path until the load succeeds;
 * every failure must be out_of_memory with nothing leaked and no policy, and
 * the policy finally built must be the one the default allocator builds.
 * Returns how many allocations the successful load made. */
static long fail_each_allocation_of(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    pp_policy *want = NULL;
    pp_error err;
    ck_assert_msg(pp_policy_load(&want, text, len, NULL, &err) == PP_OK, "%s: %s", path,
                  err.message);
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    long n;
    counting c = { 0, 0, 0 };
    for (n = 1; n < 100000; n++) {
        c = (counting){ 0, 0, n };
        opt.allocator = (pp_allocator){ counting_alloc, counting_free, &c };
        pp_policy *p = (pp_policy *)&p;
        int rc = pp_policy_load(&p, text, len, &opt, &err);
        if (rc == PP_OK) {
            ck_assert_int_lt(c.calls, n);
            ck_assert_uint_eq(pp_policy_fingerprint(p), pp_policy_fingerprint(want));
            ck_assert_uint_eq(pp_policy_product_count(p), pp_policy_product_count(want));
            pp_policy_free(p);
            ck_assert_int_eq(c.live, 0);
            break;
        }
        ck_assert_msg(rc == PP_ERR_NOMEM && err.code == PP_ERR_NOMEM, "%s: allocation %ld: %s %s",
                      path, n, pp_error_name(rc), err.message);
        ck_assert_msg(p == NULL, "%s: allocation %ld failed: a policy was returned", path, n);
        ck_assert_msg(c.live == 0, "%s: allocation %ld failed: %ld blocks leaked", path, n, c.live);
    }
    ck_assert_msg(n < 100000, "%s: never loaded", path);
    pp_policy_free(want);
    free(text);
    return c.calls;
}

START_TEST(test_load_fails_each_allocation_cleanly_for_every_valid_policy)
{
    long calls = fail_each_allocation_of(EXAMPLES_DIR "/policy.yaml");
    ck_assert_int_gt(calls, 3);
    DIR *dir = opendir(VALID_DIR);
    ck_assert_msg(dir != NULL, "cannot open %s", VALID_DIR);
    int cases = 1;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!has_suffix(e->d_name, ".yaml"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", VALID_DIR, e->d_name);
        ck_assert_int_gt(fail_each_allocation_of(path), 1);
        cases++;
    }
    closedir(dir);
    ck_assert_int_ge(cases, 9);
}
END_TEST

/* Every prefix of a valid policy, and every byte replaced by bytes that
 * matter to YAML: a load either succeeds or fails with a sane record.  With
 * PP_TEST_LIGHT (valgrind), every 20th position and the whole text. */
START_TEST(test_load_survives_truncated_and_damaged_input)
{
    size_t len;
    char *text = slurp(VALID_DIR "/full.yaml", &len);
    char *work = malloc(len);
    ck_assert_ptr_nonnull(work);
    static const char bytes[] = { '\0', '\t', ':', '[', '{', '&', '*', '"', '\xff', '-' };
    size_t loads = 0, successes = 0, step = (size_t)ppt_stride();
    for (size_t cut = 0; cut <= len; cut = cut < len && cut + step > len ? len : cut + step) {
        for (size_t b = 0; b <= COUNT(bytes); b++) {
            size_t n = cut;
            memcpy(work, text, len);
            if (b < COUNT(bytes)) {
                if (cut == len)
                    break;
                work[cut] = bytes[b];
                n = len;
            }
            pp_policy *p = (pp_policy *)&p;
            pp_error err;
            int rc = pp_policy_load(&p, work, n, NULL, &err);
            loads++;
            if (rc == PP_OK) {
                successes++;
                ck_assert_ptr_nonnull(p);
                pp_policy_free(p);
                continue;
            }
            ck_assert_ptr_null(p);
            ck_assert_int_eq(err.code, rc);
            ck_assert_msg(err.line >= 1 && err.column >= 1 && err.offset <= n,
                          "cut %zu byte %zu: %u:%u offset %zu", cut, b, err.line,
                          err.column, err.offset);
            ck_assert_uint_eq(err.offset, offset_of(work, n, err.line, err.column));
            ck_assert_msg(message_well_formed(&err), "cut %zu byte %zu", cut, b);
        }
    }
    ck_assert_uint_gt(loads, 10 * (len / step));
    ck_assert_uint_gt(successes, 0);
    free(work);
    free(text);
}
END_TEST

/* Fails allocation N = 1, 2, ... of loading path until the load succeeds,
 * with every arena allocation a call of the hook of its own
 * (ppi_policy_load_piecewise) and, where malloc is interposed
 * (alloc_fail.h), through it: so libyaml's allocations fail too.  At every
 * N the load must be out_of_memory with no policy and nothing left
 * allocated, by the arena (the hook's count) or by libyaml (the interposed
 * count); finally it builds the policy a plain load builds.  *sites gets
 * the allocations of the successful load, *outside those not made through
 * the hook (libyaml's). */
static void fail_every_allocation_site(const char *path, long *sites, long *outside)
{
    bool interposed = alloc_fail_active();
    size_t len;
    char *text = slurp(path, &len);
    pp_policy *want = load_text(text, len);
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    long n;
    for (n = 1; n < 1000000; n++) {
        /* Interposed, the hook's own malloc fails at N like libyaml's. */
        counting c = { 0, 0, interposed ? 0 : n };
        opt.allocator = (pp_allocator){ counting_alloc, counting_free, &c };
        pp_policy *p = (pp_policy *)&p;
        pp_error err;
        alloc_fail_arm(interposed ? n : 0);
        int rc = ppi_policy_load_piecewise(&p, text, len, &opt, &err);
        uint64_t fingerprint = 0;
        if (rc == PP_OK) {
            fingerprint = pp_policy_fingerprint(p);
            pp_policy_free(p);
        }
        long live, calls = alloc_fail_disarm(&live);
        ck_assert_msg(live == 0 && c.live == 0,
                      "%s: allocation %ld failed: %ld blocks leaked, %ld of the arena", path, n,
                      live, c.live);
        if (rc == PP_OK) {
            *sites = interposed ? calls : c.calls;
            *outside = interposed ? calls - c.calls : 0;
            ck_assert_int_lt(*sites, n); /* nothing failed */
            ck_assert_uint_eq(fingerprint, pp_policy_fingerprint(want));
            break;
        }
        ck_assert_msg(rc == PP_ERR_NOMEM && err.code == PP_ERR_NOMEM,
                      "%s: allocation %ld: %s %s", path, n, pp_error_name(rc), err.message);
        ck_assert_msg(p == NULL, "%s: allocation %ld failed: a policy was returned", path, n);
    }
    ck_assert_msg(n < 1000000, "%s: never loaded", path);
    pp_policy_free(want);
    free(text);
}

START_TEST(test_load_fails_every_allocation_site_for_every_valid_policy)
{
    long sites, outside;
    fail_every_allocation_site(EXAMPLES_DIR "/policy.yaml", &sites, &outside);
    /* In pieces, the example makes many more allocations than the few
     * chunks a load asks the hook for. */
    ck_assert_int_gt(sites, 10 * fail_each_allocation_of(EXAMPLES_DIR "/policy.yaml"));
    if (alloc_fail_active())
        ck_assert_int_gt(outside, 0); /* libyaml's own were failed too */
    DIR *dir = opendir(VALID_DIR);
    ck_assert_msg(dir != NULL, "cannot open %s", VALID_DIR);
    int cases = 1;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!has_suffix(e->d_name, ".yaml"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", VALID_DIR, e->d_name);
        fail_every_allocation_site(path, &sites, &outside);
        ck_assert_int_gt(sites, 1);
        cases++;
    }
    closedir(dir);
    ck_assert_int_ge(cases, 9);
}
END_TEST

/* Without a hook, a load's scratch memory is pages mapped from the system
 * (ppi_arena_init_scratch): where calls are interposed, fail every malloc
 * and mmap of a plain load of path in turn, libyaml's included; each must be
 * out_of_memory with nothing left allocated or mapped, and the last load
 * builds the policy.  *maps gets the successful load's mmap calls. */
static void fail_each_allocation_without_hook(const char *path, long *maps)
{
    size_t len;
    char *text = slurp(path, &len);
    pp_policy *want = load_text(text, len);
    long n;
    for (n = 1; n < 1000000; n++) {
        pp_policy *p = (pp_policy *)&p;
        pp_error err;
        alloc_fail_arm(n);
        int rc = pp_policy_load(&p, text, len, NULL, &err);
        *maps = alloc_fail_maps();
        uint64_t fingerprint = 0;
        if (rc == PP_OK) {
            fingerprint = pp_policy_fingerprint(p);
            pp_policy_free(p);
        }
        long live, calls = alloc_fail_disarm(&live);
        ck_assert_msg(live == 0, "%s: allocation %ld failed: %ld blocks leaked", path, n, live);
        if (rc == PP_OK) {
            ck_assert_int_lt(calls, n);
            ck_assert_uint_eq(fingerprint, pp_policy_fingerprint(want));
            break;
        }
        ck_assert_msg(rc == PP_ERR_NOMEM && err.code == PP_ERR_NOMEM,
                      "%s: allocation %ld: %s %s", path, n, pp_error_name(rc), err.message);
        ck_assert_msg(p == NULL, "%s: allocation %ld failed: a policy was returned", path, n);
    }
    ck_assert_msg(n < 1000000, "%s: never loaded", path);
    pp_policy_free(want);
    free(text);
}

START_TEST(test_load_without_hook_fails_each_malloc_and_mmap_cleanly)
{
    if (!alloc_fail_active())
        return; /* AddressSanitizer: nothing is interposed (alloc_fail.h) */
    long maps;
    fail_each_allocation_without_hook(EXAMPLES_DIR "/policy.yaml", &maps);
    ck_assert_int_gt(maps, 0); /* the scratch memory was mapped pages */
    DIR *dir = opendir(VALID_DIR);
    ck_assert_msg(dir != NULL, "cannot open %s", VALID_DIR);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!has_suffix(e->d_name, ".yaml"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", VALID_DIR, e->d_name);
        fail_each_allocation_without_hook(path, &maps);
        ck_assert_int_gt(maps, 0);
    }
    closedir(dir);
}
END_TEST

/* A policy that fails on a duplicate the indexes find, after the tree was
 * freed: reporting it parses the text again (lib/load.c).  Every allocation
 * failed in turn, each load is out_of_memory with nothing left allocated,
 * until the load gets far enough to report the error a plain load reports. */
static void fail_each_allocation_of_duplicate(const char *path)
{
    bool interposed = alloc_fail_active();
    size_t len;
    char *text = slurp(path, &len);
    pp_policy *p = NULL;
    pp_error want, err;
    int code = pp_policy_load(&p, text, len, NULL, &want);
    ck_assert_int_eq(code, PP_ERR_DUPLICATE);
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    long n;
    for (n = 1; n < 100000; n++) {
        counting c = { 0, 0, interposed ? 0 : n };
        opt.allocator = (pp_allocator){ counting_alloc, counting_free, &c };
        alloc_fail_arm(interposed ? n : 0);
        int rc = ppi_policy_load_piecewise(&p, text, len, &opt, &err);
        long live, calls = alloc_fail_disarm(&live);
        ck_assert_ptr_null(p);
        ck_assert_msg(live == 0 && c.live == 0, "%s: allocation %ld failed: %ld blocks leaked, "
                      "%ld of the arena", path, n, live, c.live);
        long made = interposed ? calls : c.calls;
        if (rc != PP_ERR_NOMEM) {
            ck_assert_int_lt(made, n); /* nothing failed */
            ck_assert_int_eq(rc, code);
            ck_assert_uint_eq(err.line, want.line);
            ck_assert_uint_eq(err.column, want.column);
            ck_assert_str_eq(err.message, want.message);
            break;
        }
        ck_assert_int_eq(err.code, PP_ERR_NOMEM);
    }
    ck_assert_msg(n < 100000, "%s: never got past the allocations", path);
    free(text);
}

START_TEST(test_load_reporting_a_duplicate_fails_each_allocation_cleanly)
{
    static const char *const files[] = {
        "duplicate_member.yaml", "duplicate_product_id.yaml",
        "duplicate_member_differing_in_case.yaml", "duplicate_product_team_member.yaml",
    };
    for (size_t i = 0; i < COUNT(files); i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", INVALID_DIR, files[i]);
        fail_each_allocation_of_duplicate(path);
    }
}
END_TEST

Suite *load_robust_suite(void)
{
    Suite *s = suite_create("load robustness");
    /* These load a policy thousands of times: room for valgrind. */
    TCase *robust = tcase_create("robustness");
    tcase_set_timeout(robust, 600);
    tcase_add_test(robust, test_load_fails_each_allocation_cleanly_for_every_valid_policy);
    tcase_add_test(robust, test_load_fails_every_allocation_site_for_every_valid_policy);
    tcase_add_test(robust, test_load_without_hook_fails_each_malloc_and_mmap_cleanly);
    tcase_add_test(robust, test_load_reporting_a_duplicate_fails_each_allocation_cleanly);
    tcase_add_test(robust, test_load_survives_truncated_and_damaged_input);
    suite_add_tcase(s, robust);
    return s;
}
