/*
 * One compiled policy shared by many threads (the header's promise: "A
 * compiled policy is immutable and may be used from any number of threads
 * at once").  Every thread decides, authorizes and audits the same records
 * as a single-threaded reference run and must get the same answers, while
 * taking and dropping references.  Built on its own so scripts/harden.sh can
 * run it under ThreadSanitizer (Check's fork mode off: CK_FORK=no).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "particlepolicy.h"

#define THREADS 8
#define ROUNDS 40
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const ids[] = { "0123456789abcdef01234567", "FFFFFFFFFFFFFFFFFFFFFFFF",
                                   "0123456789abcdef0123456" /* too short */ };
static const char *const oses[] = { "3.3.1", "4.0.0-beta.1", "6.1.1", "v2.0.0", "1.2" /* invalid */ };
static const char *const owners[] = { NULL, "dana@brightwater.example", "kim@contractor.example",
                                      "mallory@example.net" };
static const uint32_t products[] = { 0, 14001, 14002, 14005, 14006, 99999 };
static const uint32_t platforms[] = { 26, 23, 10, 13, 32, PP_PLATFORM_UNSPECIFIED };
static const char *const skus[] = { NULL, "T404MEA", "B404XMEA", "P2MOD" };

#define NDEVICES (N(ids) * N(oses) * N(owners) * N(products) * N(platforms) * N(skus))

typedef struct shared {
    pp_policy *policy;
    pp_team *team;
    pp_device *devices;
    pp_decision *decisions;        /* the single-threaded answers */
    pp_authorization *authorizations;
    size_t findings;
    uint64_t fingerprint;
} shared;

static void set(const char **s, size_t *len, const char *value)
{
    *s = value;
    *len = value ? strlen(value) : 0;
}

static pp_device *make_devices(void)
{
    pp_device *d = calloc(NDEVICES, sizeof *d);
    ck_assert_ptr_nonnull(d);
    size_t n = 0;
    for (size_t a = 0; a < N(ids); a++)
        for (size_t b = 0; b < N(oses); b++)
            for (size_t c = 0; c < N(owners); c++)
                for (size_t e = 0; e < N(products); e++)
                    for (size_t f = 0; f < N(platforms); f++)
                        for (size_t g = 0; g < N(skus); g++, n++) {
                            set(&d[n].id, &d[n].id_len, ids[a]);
                            set(&d[n].device_os, &d[n].device_os_len, oses[b]);
                            set(&d[n].owner, &d[n].owner_len, owners[c]);
                            set(&d[n].sku, &d[n].sku_len, skus[g]);
                            d[n].platform_id = platforms[f];
                            /* Spread the lists over the records by a hash of n,
                             * so they do not line up with the loops above. */
                            uint32_t h = (uint32_t)n * 2654435761u;
                            d[n].firmware_product_id = (h >> 4) % 4 == 1 ? 0 : products[e];
                            d[n].cloud_product_id =
                                (h >> 6) % 3 == 0 || (h >> 4) % 4 == 1 ? products[e] : 0;
                            d[n].denied_in = (h >> 9) % 7 == 0 ? products[e] : 0;
                            d[n].removed_from = (h >> 12) % 5 == 0 ? products[e] : 0;
                            d[n].quarantined_in = (h >> 15) % 11 == 0 ? products[e] : 0;
                            d[n].firmware_version = (h >> 19) % 30;
                            d[n].development = (h >> 24) % 13 == 0;
                        }
    return d;
}

static const pp_actor actor = { "eli@brightwater.example", 23, PP_ACTOR_HUMAN };

static void authorize(pp_authorization *out, const shared *s, size_t i)
{
    const pp_device *d = &s->devices[i];
    pp_authorize(out, s->policy, s->team, &actor, (int)(i % 16),
                 d->cloud_product_id ? d->cloud_product_id : d->firmware_product_id, d);
}

static size_t audit_count(const shared *s)
{
    pp_audit_input in = { 0 };
    in.devices = s->devices;
    in.n_devices = NDEVICES;
    size_t total = 0;
    ck_assert_int_eq(pp_audit(&total, NULL, 0, s->policy, &in), PP_OK);
    return total;
}

/* Returns the number of answers that differ from the reference. */
static void *worker(void *arg)
{
    const shared *s = arg;
    size_t *wrong = calloc(1, sizeof *wrong);
    pp_decision *many = malloc(NDEVICES * sizeof *many);
    if (wrong == NULL || many == NULL) {
        free(many);
        return wrong;
    }
    for (int round = 0; round < ROUNDS; round++) {
        pp_policy *mine = pp_policy_retain(s->policy);
        for (size_t i = 0; i < NDEVICES; i++) {
            pp_decision d;
            pp_authorization a;
            pp_decide(&d, mine, s->team, &s->devices[i]);
            authorize(&a, s, i);
            if (memcmp(&d, &s->decisions[i], sizeof d) != 0 ||
                memcmp(&a, &s->authorizations[i], sizeof a) != 0)
                (*wrong)++;
        }
        pp_decide_many(many, mine, s->team, s->devices, NDEVICES);
        if (memcmp(many, s->decisions, NDEVICES * sizeof *many) != 0)
            (*wrong)++;
        if (pp_policy_fingerprint(mine) != s->fingerprint || audit_count(s) != s->findings)
            (*wrong)++;
        pp_policy_free(mine);
    }
    free(many);
    return wrong;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    ck_assert_int_ge(size, 0);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, (size_t)size, f);
    ck_assert_uint_eq(*len, (size_t)size);
    fclose(f);
    return buf;
}

START_TEST(test_threads_share_one_policy_and_agree_with_one_thread)
{
    shared s;
    size_t len;
    char *text = slurp(EXAMPLES_DIR "/policy.yaml", &len);
    ck_assert_int_eq(pp_policy_load(&s.policy, text, len, NULL, NULL), PP_OK);
    free(text);
    ck_assert_int_eq(pp_team_new(&s.team, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(s.team, "harbor-labs", 11, "mallory@example.net", 19,
                                 PP_ROLE_SUPPORT), PP_OK);
    s.devices = make_devices();
    s.decisions = malloc(NDEVICES * sizeof *s.decisions);
    s.authorizations = malloc(NDEVICES * sizeof *s.authorizations);
    ck_assert_ptr_nonnull(s.decisions);
    ck_assert_ptr_nonnull(s.authorizations);
    size_t outcomes[6] = { 0 }, allowed = 0;
    for (size_t i = 0; i < NDEVICES; i++) {
        pp_decide(&s.decisions[i], s.policy, s.team, &s.devices[i]);
        authorize(&s.authorizations[i], &s, i);
        outcomes[s.decisions[i].outcome]++;
        allowed += (size_t)s.authorizations[i].allowed;
    }
    /* The records reach every outcome and both answers, or the test proves little. */
    for (size_t o = 0; o < N(outcomes); o++)
        ck_assert_msg(outcomes[o] > 0, "no record decided %s", pp_outcome_name((int)o));
    ck_assert_uint_gt(allowed, 0);
    ck_assert_uint_lt(allowed, NDEVICES);
    s.fingerprint = pp_policy_fingerprint(s.policy);
    s.findings = audit_count(&s);
    ck_assert_uint_gt(s.findings, 0);

    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_create(&threads[t], NULL, worker, &s), 0);
    size_t wrong = 0;
    for (int t = 0; t < THREADS; t++) {
        void *ret;
        ck_assert_int_eq(pthread_join(threads[t], &ret), 0);
        ck_assert_msg(ret != NULL, "thread %d ran out of memory", t);
        wrong += *(size_t *)ret;
        free(ret);
    }
    ck_assert_uint_eq(wrong, 0);

    free(s.authorizations);
    free(s.decisions);
    free(s.devices);
    pp_team_free(s.team);
    pp_policy_free(s.policy);
}
END_TEST

/* The last reference may be dropped by any thread: each thread frees its
 * own, the loader's reference goes first. */
static void *drop(void *arg)
{
    pp_policy_free(arg);
    return NULL;
}

START_TEST(test_threads_the_last_reference_frees_the_policy_once)
{
    pp_policy *p;
    ck_assert_int_eq(pp_policy_load(&p, "version: 1\n", 11, NULL, NULL), PP_OK);
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++)
        ck_assert_ptr_eq(pp_policy_retain(p), p);
    pp_policy_free(p);
    for (int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_create(&threads[t], NULL, drop, p), 0);
    for (int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_join(threads[t], NULL), 0);
    /* A leak or double free here is for valgrind, ASan or TSan to report. */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("shared policy");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_threads_share_one_policy_and_agree_with_one_thread);
    tcase_add_test(tc, test_threads_the_last_reference_frees_the_policy_once);
    suite_add_tcase(s, tc);
    SRunner *runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
