/* ppbench --cost: the instructions a decision costs, counted by callgrind,
 * which does not depend on the machine or its load (bench/cost.sh runs it
 * under valgrind and prints the table of docs/performance.md).  The large
 * policy and every stream are built first, with valgrind's instrumentation
 * off; then each workload's pp_decide calls are counted on their own
 * (bench/cost.sh passes --toggle-collect=pp_decide and pp_decide_many): its
 * counters are zeroed before the workload and dumped, under the workload's
 * name, after it; then the same for the same records through
 * pp_decide_many.  Each workload's answers are checked against the same calls made
 * before counting, so the count is of calls that did their work.
 * Outside valgrind the requests do nothing and the run prints the rules
 * each workload reached. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name) ((void)(name))
#endif

#include "bench.h"

typedef struct workload {
    const char *name;
    const char *what;
    double target;          /* instructions per decision; 0: none */
    bench_stream s;
    uint64_t expect;        /* checksum of the answers */
} workload;

static uint64_t fold(uint64_t sum, const pp_decision *d)
{
    return sum * 31 + (uint64_t)d->rule * 1000 + (uint64_t)d->outcome * 100 + d->advisories +
           d->effects;
}

static uint64_t decide_all(const pp_policy *p, const bench_stream *s, int *rules)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        pp_decision d;
        pp_decide(&d, p, s->team, &s->devices[i]);
        sum = fold(sum, &d);
        if (rules != NULL)
            rules[d.rule]++;
    }
    return sum;
}

/* The same decisions through pp_decide_many, BATCH records a call. */
#define BATCH 256
static uint64_t decide_batches(const pp_policy *p, const bench_stream *s)
{
    pp_decision out[BATCH];
    uint64_t sum = 0;
    for (size_t i = 0; i < s->n; i += BATCH) {
        size_t m = s->n - i < BATCH ? s->n - i : BATCH;
        pp_decide_many(out, p, s->team, &s->devices[i], m);
        for (size_t k = 0; k < m; k++)
            sum = fold(sum, &out[k]);
    }
    return sum;
}

void cost_run(const char *cache, size_t n)
{
    bench_text t = policy_text(&large_shape, cache, "large-policy.yaml");
    pp_policy *p = policy_load_or_die(t.ptr, t.len);
    free(t.ptr);
    static const bench_mix member = { 1u << 7, false }, skus = { 1u << 7, true };
    workload w[] = {
        { "mixed", "uniform stream, every rule 1/16, no SKU", 300, { 0 }, 0 },
        { "sku", "members (rule 7), every record with its platform's SKU", 350, { 0 }, 0 },
        { "member", "members of their cloud product only (rule 7)", 350, { 0 }, 0 },
        { "handshake", "the handshake workload (bench/handshake.c)", 0, { 0 }, 0 },
    };
    static const char *const batch_names[] = { "mixed-batch", "sku-batch", "member-batch",
                                               "handshake-batch" };
    size_t nw = sizeof w / sizeof w[0];
    stream_make(&w[0].s, &large_shape, n, 0, 2, NULL);
    stream_make(&w[1].s, &large_shape, n, 0, 4, &skus);
    stream_make(&w[2].s, &large_shape, n, 0, 4, &member);
    handshake_stream_make(&w[3].s, &large_shape, n, 5);
    for (size_t k = 0; k < nw; k++) {
        pp_team_free(w[k].s.team); /* the cost runs decide without a team set */
        w[k].s.team = NULL;
        int rules[16] = { 0 };
        w[k].expect = decide_all(p, &w[k].s, rules);
        printf("workload %s %zu %g %s; rules:", w[k].name, n, w[k].target, w[k].what);
        for (int r = 0; r < 16; r++)
            if (rules[r] != 0)
                printf(" %d:%.1f%%", r, 100.0 * rules[r] / (double)n);
        printf("\nworkload %s %zu 0 the same records through pp_decide_many, %d a call\n",
               batch_names[k], n, BATCH);
    }
    fflush(stdout);
    CALLGRIND_START_INSTRUMENTATION;
    for (size_t k = 0; k < nw; k++) {
        CALLGRIND_ZERO_STATS;
        uint64_t sum = decide_all(p, &w[k].s, NULL);
        CALLGRIND_DUMP_STATS_AT(w[k].name);
        if (sum != w[k].expect)
            bench_die("a workload decided differently under the counter");
        CALLGRIND_ZERO_STATS;
        sum = decide_batches(p, &w[k].s);
        CALLGRIND_DUMP_STATS_AT(batch_names[k]);
        if (sum != w[k].expect)
            bench_die("pp_decide_many decided differently from pp_decide");
    }
    for (size_t k = 0; k < nw; k++)
        stream_free(&w[k].s);
    pp_policy_free(p);
}
