/* ppbench --cost: the instructions a decision costs, counted by callgrind,
 * which does not depend on the machine or its load (bench/cost.sh runs it
 * under valgrind and prints the table of docs/performance.md).  The large
 * policy and every stream are built first, with valgrind's instrumentation
 * off; then each workload's pp_decide calls are counted on their own
 * (bench/cost.sh passes --toggle-collect=pp_decide): its counters are
 * zeroed before the workload and dumped, under the workload's name, after
 * it.  Each workload's answers are checked against the same calls made
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

static uint64_t decide_all(const pp_policy *p, const bench_stream *s, int *rules)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < s->n; i++) {
        pp_decision d;
        pp_decide(&d, p, s->team, &s->devices[i]);
        sum = sum * 31 + (uint64_t)d.rule * 1000 + d.outcome * 100 + d.advisories + d.effects;
        if (rules != NULL)
            rules[d.rule]++;
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
        printf("\n");
    }
    fflush(stdout);
    CALLGRIND_START_INSTRUMENTATION;
    for (size_t k = 0; k < nw; k++) {
        CALLGRIND_ZERO_STATS;
        uint64_t sum = decide_all(p, &w[k].s, NULL);
        CALLGRIND_DUMP_STATS_AT(w[k].name);
        if (sum != w[k].expect)
            bench_die("a workload decided differently under the counter");
    }
    for (size_t k = 0; k < nw; k++)
        stream_free(&w[k].s);
    pp_policy_free(p);
}
