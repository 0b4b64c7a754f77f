/*
 * soak [SECONDS [SAMPLE_SECONDS]]: 8 threads decide while another swaps
 * policies, for SECONDS (default 3; docs/testing.md, "Soak").  The swapper
 * loads a fresh policy from one of two texts in turn (the example policy
 * and the same with another legacy threshold, so the two decide
 * differently), publishes it under a mutex and drops its own reference to
 * the old one; a decider takes the current policy under the mutex with
 * pp_policy_retain, decides a round of records without any lock, checks
 * every answer against the single-threaded one for that policy's
 * fingerprint, and drops its reference with pp_policy_free, so the last
 * holder of a swapped-out policy frees it, on whichever thread.
 *
 * Every SAMPLE_SECONDS (default SECONDS / 10) it prints the process's
 * resident memory and the bytes the policies hold through the allocator
 * hook.  It fails on a wrong answer, on policy bytes left at the end, on
 * policies that pile up (more than the 10 readers and the swapper could
 * hold), or on resident memory that grows: the largest sample of the second
 * half may exceed the largest of the first half (after the first sample,
 * the warm-up) by at most 5 % + 1 MiB.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "particlepolicy.h"

#define THREADS 8
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void die(const char *what)
{
    fprintf(stderr, "soak: %s\n", what);
    exit(1);
}

/* ---- the allocator hook: what the policies hold ---- */

static atomic_long live_bytes, live_blocks;

static void *hook_alloc(void *opaque, size_t size)
{
    (void)opaque;
    size_t *b = malloc(sizeof(size_t) * 2 + size);
    if (b == NULL)
        return NULL;
    b[0] = size;
    atomic_fetch_add(&live_bytes, (long)size);
    atomic_fetch_add(&live_blocks, 1);
    return b + 2;
}

static void hook_free(void *opaque, void *ptr)
{
    (void)opaque;
    if (ptr == NULL)
        return;
    size_t *b = (size_t *)ptr - 2;
    atomic_fetch_sub(&live_bytes, (long)b[0]);
    atomic_fetch_sub(&live_blocks, 1);
    free(b);
}

/* ---- the two policies ---- */

typedef struct text {
    char *ptr;
    size_t len;
} text;

static text read_example(void)
{
    FILE *f = fopen(EXAMPLES_DIR "/policy.yaml", "rb");
    if (f == NULL)
        die("cannot open " EXAMPLES_DIR "/policy.yaml");
    text t = { malloc(1 << 20), 0 };
    if (t.ptr == NULL)
        die("out of memory");
    t.len = fread(t.ptr, 1, (1 << 20) - 1, f);
    fclose(f);
    t.ptr[t.len] = '\0';
    return t;
}

/* The example with the legacy threshold moved from 4.0.0-0 to 6.0.0. */
static text other_threshold(const text *a)
{
    static const char from[] = "legacy_device_os_below: 4.0.0-0";
    static const char to[] = "legacy_device_os_below: 6.0.0  ";
    char *at = strstr(a->ptr, from);
    if (at == NULL || sizeof from != sizeof to)
        die("the example policy has no legacy threshold to change");
    text b = { malloc(a->len + 1), a->len };
    if (b.ptr == NULL)
        die("out of memory");
    memcpy(b.ptr, a->ptr, a->len + 1);
    memcpy(b.ptr + (at - a->ptr), to, sizeof to - 1);
    return b;
}

static pp_policy *load(const text *t)
{
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    opt.allocator = (pp_allocator){ hook_alloc, hook_free, NULL };
    pp_policy *p;
    pp_error err;
    if (pp_policy_load(&p, t->ptr, t->len, &opt, &err) != PP_OK) {
        fprintf(stderr, "soak: load failed at %u:%u: %s\n", err.line, err.column, err.message);
        exit(1);
    }
    return p;
}

/* ---- the records ---- */

static const char *const ids[] = { "0123456789abcdef01234567", "FFFFFFFFFFFFFFFFFFFFFFFF",
                                   "0123456789abcdef0123456" /* too short */ };
static const char *const oses[] = { "3.3.1", "4.0.0-beta.1", "5.4.0", "6.1.1", "1.2" /* bad */ };
static const char *const owners[] = { NULL, "dana@brightwater.example", "kim@contractor.example",
                                      "mallory@example.net" };
static const uint32_t products[] = { 0, 14001, 14002, 14005, 14006, 99999 };
static const uint32_t platforms[] = { 26, 23, 10, 13, PP_PLATFORM_UNSPECIFIED };
static const char *const skus[] = { NULL, "T404MEA", "B404XMEA" };

#define NDEVICES (N(ids) * N(oses) * N(owners) * N(products) * N(products) * N(platforms) * N(skus))

static void set(const char **s, size_t *len, const char *value)
{
    *s = value;
    *len = value != NULL ? strlen(value) : 0;
}

static pp_device *make_devices(void)
{
    pp_device *d = calloc(NDEVICES, sizeof *d);
    if (d == NULL)
        die("out of memory");
    size_t n = 0;
    for (size_t a = 0; a < N(ids); a++)
        for (size_t b = 0; b < N(oses); b++)
            for (size_t c = 0; c < N(owners); c++)
                for (size_t e = 0; e < N(products); e++)
                    for (size_t e2 = 0; e2 < N(products); e2++)
                        for (size_t f = 0; f < N(platforms); f++)
                            for (size_t g = 0; g < N(skus); g++, n++) {
                                set(&d[n].id, &d[n].id_len, ids[a]);
                                set(&d[n].device_os, &d[n].device_os_len, oses[b]);
                                set(&d[n].owner, &d[n].owner_len, owners[c]);
                                set(&d[n].sku, &d[n].sku_len, skus[g]);
                                d[n].cloud_product_id = products[e];
                                d[n].firmware_product_id = products[e2];
                                d[n].platform_id = platforms[f];
                                d[n].firmware_version = (uint32_t)(n % 30);
                            }
    return d;
}

/* ---- the run ---- */

typedef struct shared {
    pthread_mutex_t lock;
    pp_policy *current;             /* under lock */
    atomic_bool stop;
    pp_device *devices;
    uint64_t fingerprint[2];
    pp_decision *expected[2];       /* the single-threaded answers */
    atomic_long decisions, wrong, swaps, holders;
    text texts[2];
} shared;

static pp_policy *take(shared *s)
{
    pthread_mutex_lock(&s->lock);
    pp_policy *p = pp_policy_retain(s->current);
    pthread_mutex_unlock(&s->lock);
    return p;
}

static void *decider(void *arg)
{
    shared *s = arg;
    uint64_t round = 0;
    while (!atomic_load(&s->stop)) {
        pp_policy *p = take(s);
        uint64_t f = pp_policy_fingerprint(p);
        const pp_decision *want = f == s->fingerprint[0] ? s->expected[0]
                                  : f == s->fingerprint[1] ? s->expected[1] : NULL;
        long wrong = want == NULL;
        /* A slice of the records each round, a different one each time. */
        size_t start = (size_t)(round++ * 997) % NDEVICES, n = 512;
        for (size_t k = 0; k < n && want != NULL; k++) {
            size_t i = (start + k) % NDEVICES;
            pp_decision d;
            pp_decide(&d, p, NULL, &s->devices[i]);
            wrong += memcmp(&d, &want[i], sizeof d) != 0;
        }
        pp_policy_free(p);
        atomic_fetch_add(&s->decisions, (long)n);
        if (wrong != 0)
            atomic_fetch_add(&s->wrong, wrong);
    }
    return NULL;
}

static void *swapper(void *arg)
{
    shared *s = arg;
    for (unsigned k = 0; !atomic_load(&s->stop); k++) {
        pp_policy *next = load(&s->texts[k % 2]);
        pthread_mutex_lock(&s->lock);
        pp_policy *old = s->current;
        s->current = next;
        pthread_mutex_unlock(&s->lock);
        pp_policy_free(old);
        atomic_fetch_add(&s->swaps, 1);
    }
    return NULL;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f == NULL)
        return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3;
    double every = argc > 2 ? atof(argv[2]) : seconds / 10;
    if (seconds <= 0 || every <= 0)
        die("usage: soak [SECONDS [SAMPLE_SECONDS]]");

    static shared s;
    pthread_mutex_init(&s.lock, NULL);
    s.devices = make_devices();
    s.texts[0] = read_example();
    s.texts[1] = other_threshold(&s.texts[0]);
    size_t differ = 0;
    for (int k = 0; k < 2; k++) {
        pp_policy *p = load(&s.texts[k]);
        s.fingerprint[k] = pp_policy_fingerprint(p);
        s.expected[k] = calloc(NDEVICES, sizeof *s.expected[k]);
        if (s.expected[k] == NULL)
            die("out of memory");
        pp_decide_many(s.expected[k], p, NULL, s.devices, NDEVICES);
        pp_policy_free(p);
    }
    for (size_t i = 0; i < NDEVICES; i++)
        differ += memcmp(&s.expected[0][i], &s.expected[1][i], sizeof s.expected[0][i]) != 0;
    if (s.fingerprint[0] == s.fingerprint[1] || differ == 0)
        die("the two policies do not differ");
    s.current = load(&s.texts[0]);

    printf("soak: %d deciders, 1 swapper, %.0f s; %zu records, %zu decided differently by the "
           "two policies\n", THREADS, seconds, (size_t)NDEVICES, differ);
    printf("%8s %10s %12s %14s %8s %12s\n", "seconds", "rss KiB", "policy KiB", "decisions",
           "swaps", "policy blocks");
    pthread_t t[THREADS + 1];
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, decider, &s) != 0)
            die("pthread_create failed");
    if (pthread_create(&t[THREADS], NULL, swapper, &s) != 0)
        die("pthread_create failed");

    enum { MAX_SAMPLES = 4096 };
    static long rss[MAX_SAMPLES];
    int nsamples = 0;
    long policy_peak = 0, one_policy = 0;
    double t0 = now(), next = t0 + every;
    for (;;) {
        double left = next - now();
        if (left > 0)
            usleep((useconds_t)(left * 1e6));
        double at = now() - t0;
        long bytes = atomic_load(&live_bytes);
        if (nsamples < MAX_SAMPLES)
            rss[nsamples++] = rss_kib();
        if (bytes > policy_peak)
            policy_peak = bytes;
        printf("%8.1f %10ld %12ld %14ld %8ld %12ld\n", at, rss[nsamples - 1], bytes / 1024,
               atomic_load(&s.decisions), atomic_load(&s.swaps), atomic_load(&live_blocks));
        fflush(stdout);
        next += every;
        if (at + every / 2 >= seconds)
            break;
    }
    atomic_store(&s.stop, true);
    for (int i = 0; i <= THREADS; i++)
        pthread_join(t[i], NULL);
    one_policy = atomic_load(&live_bytes);
    pp_policy_free(s.current);

    int status = 0;
    long wrong = atomic_load(&s.wrong), left = atomic_load(&live_bytes);
    printf("decisions %ld, swaps %ld, wrong answers %ld, policy bytes left %ld\n",
           atomic_load(&s.decisions), atomic_load(&s.swaps), wrong, left);
    if (wrong != 0 || left != 0 || atomic_load(&live_blocks) != 0) {
        fprintf(stderr, "soak: FAIL: wrong answers or policy memory left\n");
        status = 1;
    }
    if (atomic_load(&s.swaps) < 2 || atomic_load(&s.decisions) == 0) {
        fprintf(stderr, "soak: FAIL: too few swaps or decisions to say anything\n");
        status = 1;
    }
    /* At most one policy per decider, the published one and the swapper's
     * next: more means references are not dropped. */
    if (policy_peak > one_policy * (THREADS + 2)) {
        fprintf(stderr, "soak: FAIL: policies pile up (%ld bytes at the peak, %ld for one)\n",
                policy_peak, one_policy);
        status = 1;
    }
    if (nsamples >= 3) {
        long first = 0, second = 0;
        int half = 1 + (nsamples - 1) / 2;
        for (int i = 1; i < nsamples; i++) {
            long *m = i < half ? &first : &second;
            if (rss[i] > *m)
                *m = rss[i];
        }
        printf("resident memory: largest %ld KiB in the first half, %ld KiB in the second "
               "(warm-up sample %ld KiB)\n", first, second, rss[0]);
        if (second > first + first / 20 + 1024) {
            fprintf(stderr, "soak: FAIL: resident memory grows\n");
            status = 1;
        }
    }
    for (int k = 0; k < 2; k++) {
        free(s.expected[k]);
        free(s.texts[k].ptr);
    }
    free(s.devices);
    pthread_mutex_destroy(&s.lock);
    return status;
}
