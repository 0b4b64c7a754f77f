/* ppbench: the figures of docs/performance.md.  Each figure is the median
 * (with min and max) of repeated runs over a generated workload, printed as
 * one Markdown table row that names the workload and the target.
 *
 *   ppbench [--cache DIR] [--repeat N]   the main table (make bench)
 *   ppbench --growth [--cache DIR]       cost against products, members, batch
 *   ppbench --peers [--cache DIR]        the peers' workload, C side
 *   ppbench --skus [--cache DIR]         the SKU-table rows of the main table alone
 *   ppbench --large [--cache DIR]        the large policy's decision rows alone
 *   ppbench --cost [--cache DIR]         instructions per decision, under
 *                                        callgrind (bench/cost.sh, make bench-cost)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "bench.h"

#define STREAM 1000000u
#define BATCH 256u
#define COST_RECORDS 200000u

static int repeat = 5;

const bench_shape small_shape = { 5, 20, 2 };
const bench_shape large_shape = { 10000, 1000000, 1000 };

/* "<= 100: met" or "<= 100: missed by 23%". */
static const char *target_le(char *buf, size_t size, double value, double limit)
{
    if (value <= limit)
        snprintf(buf, size, "<= %g: met", limit);
    else
        snprintf(buf, size, "<= %g: missed by %.0f%%", limit, (value / limit - 1) * 100);
    return buf;
}

static const char *target_ge(char *buf, size_t size, double value, double limit)
{
    if (value >= limit)
        snprintf(buf, size, ">= %g: met", limit);
    else
        snprintf(buf, size, ">= %g: missed by %.0f%%", limit, (1 - value / limit) * 100);
    return buf;
}

/* ---- deciding ---- */

typedef struct job {
    const pp_policy *policy;
    const pp_team *team;
    const pp_device *devices;
    pp_decision *out;
    size_t n;
    unsigned batch;         /* 0: one pp_decide per record */
    pthread_barrier_t *start;
    uint64_t checksum;
} job;

static void decide_range(job *j)
{
    uint64_t sum = 0;
    if (j->batch == 0) {
        for (size_t i = 0; i < j->n; i++) {
            pp_decision d;
            pp_decide(&d, j->policy, j->team, &j->devices[i]);
            sum += (uint64_t)d.rule + d.advisories;
        }
    } else {
        for (size_t i = 0; i < j->n; i += j->batch) {
            size_t m = j->n - i < j->batch ? j->n - i : j->batch;
            pp_decide_many(j->out, j->policy, j->team, &j->devices[i], m);
            sum += (uint64_t)j->out[m - 1].rule;
        }
    }
    j->checksum = sum;
}

static void *worker(void *arg)
{
    job *j = arg;
    pthread_barrier_wait(j->start);
    decide_range(j);
    return NULL;
}

/* ns per decision over the whole stream: wall time / records, so with
 * several threads it is the throughput of all cores together. */
static double decide_once(const pp_policy *p, const pp_team *team,
                          const bench_stream *s, unsigned threads, unsigned batch)
{
    job jobs[64];
    pthread_t tid[64];
    pthread_barrier_t start;
    pp_decision *outs = batch ? calloc((size_t)threads * batch, sizeof *outs) : NULL;
    pthread_barrier_init(&start, NULL, threads + 1);
    size_t per = s->n / threads;
    for (unsigned t = 0; t < threads; t++) {
        jobs[t] = (job){ p, team, s->devices + t * per, outs ? outs + t * batch : NULL,
                         t == threads - 1 ? s->n - t * per : per, batch, &start, 0 };
        if (threads > 1 && pthread_create(&tid[t], NULL, worker, &jobs[t]) != 0)
            bench_die("pthread_create failed");
    }
    double t0;
    if (threads > 1) {
        pthread_barrier_wait(&start);
        t0 = now_ns();
        for (unsigned t = 0; t < threads; t++)
            pthread_join(tid[t], NULL);
    } else {
        t0 = now_ns();
        decide_range(&jobs[0]);
    }
    double ns = (now_ns() - t0) / (double)s->n;
    pthread_barrier_destroy(&start);
    free(outs);
    return ns;
}

static bench_stat decide_stat(const pp_policy *p, const pp_team *team,
                              const bench_stream *s, unsigned threads, unsigned batch)
{
    double v[32];
    decide_once(p, team, s, threads, batch); /* warm caches and pages */
    for (int r = 0; r < repeat; r++)
        v[r] = decide_once(p, team, s, threads, batch);
    return stat_of(v, repeat);
}

/* Decide every record once; checks the stream reaches all 16 rules when
 * every_rule, and writes the share of each rule reached to hist. */
static pp_decision *decide_all(const pp_policy *p, const pp_team *team,
                               const bench_stream *s, char *hist, size_t hist_size,
                               bool every_rule)
{
    pp_decision *dec = malloc(s->n * sizeof *dec);
    if (dec == NULL)
        bench_die("out of memory");
    size_t count[16] = { 0 };
    for (size_t i = 0; i < s->n; i++) {
        pp_decide(&dec[i], p, team, &s->devices[i]);
        count[dec[i].rule]++;
    }
    size_t used = 0;
    for (int r = 0; r < 16; r++) {
        if (count[r] == 0 && every_rule) {
            fprintf(stderr, "ppbench: the stream never reaches rule %d\n", r);
            exit(1);
        }
        if (count[r] != 0)
            used += (size_t)snprintf(hist + used, hist_size - used, "%s%d:%.1f%%",
                                     used ? " " : "", r,
                                     100.0 * (double)count[r] / (double)s->n);
    }
    return dec;
}

#define SKU_PREFIXES 1000000u

static void make_skus(bench_text *t, const void *n)
{
    sku_policy_yaml(t, *(const uint32_t *)n);
}

/* ---- loading ---- */

static double yaml_parse_ms(const bench_text *t)
{
    yaml_parser_t parser;
    yaml_event_t event;
    double t0 = now_ns();
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)t->ptr, t->len);
    for (;;) {
        if (!yaml_parser_parse(&parser, &event))
            bench_die("libyaml rejected the policy");
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        if (done)
            break;
    }
    yaml_parser_delete(&parser);
    return (now_ns() - t0) / 1e6;
}

static double load_ms(const bench_text *t)
{
    double t0 = now_ns();
    pp_policy *p = policy_load_or_die(t->ptr, t->len);
    double ms = (now_ns() - t0) / 1e6;
    pp_policy_free(p);
    return ms;
}

static void load_rows(const bench_text *large, const bench_text *products_only)
{
    char work[256], tgt[96];
    double load[32], parse[32], mbs[32], ratio[32];
    int n = repeat < 3 ? repeat : 3;
    for (int r = 0; r < n; r++) {
        load[r] = load_ms(large);
        parse[r] = yaml_parse_ms(large);
        mbs[r] = (double)large->len / 1e6 / (load[r] / 1e3);
        ratio[r] = load[r] / parse[r];
    }
    snprintf(work, sizeof work, "large policy text, %.1f MB (10,000 products, 1,000,000 members)",
             (double)large->len / 1e6);
    bench_stat sl = stat_of(load, n), sm = stat_of(mbs, n), sr = stat_of(ratio, n);
    row("pp_policy_load, large policy", sl, "ms", work, NULL);
    row("pp_policy_load throughput", sm, "MB/s", work, target_ge(tgt, sizeof tgt, sm.median, 25));
    row("libyaml event parse alone (the floor)", stat_of(parse, n), "ms", work, NULL);
    row("load / libyaml parse", sr, "x", work, target_le(tgt, sizeof tgt, sr.median, 1.5));

    size_t all = policy_bytes(large), prod = policy_bytes(products_only);
    double id_bytes = 0;
    for (uint32_t k = 0; k < large_shape.nmembers; k++)
        id_bytes += (double)snprintf(work, sizeof work, "m%u", k);
    id_bytes /= large_shape.nmembers;
    double per_member = (double)(all - prod) / large_shape.nmembers;
    bench_stat s = { per_member, per_member, per_member };
    snprintf(work, sizeof work, "(large - same policy without members) / 1,000,000; "
             "member IDs average %.1f bytes", id_bytes);
    row("compiled policy per member", s, "bytes", work,
        target_le(tgt, sizeof tgt, per_member - id_bytes, 48));
    s.median = s.min = s.max = (double)prod / large_shape.nproducts;
    row("compiled policy per product", s, "bytes",
        "10,000 products and 1,000 organizations, no members / 10,000", NULL);
    s.median = s.min = s.max = (double)all / 1e6;
    row("compiled large policy, total", s, "MB", "bytes through the allocator hook", NULL);
}

/* ---- the SKU table's size ---- */

/* The SKU policies load with the default limits but the input size: no
 * YAML spelling of 1,000,000 prefixes fits 16 MiB (each needs a prefix and
 * a platform, 24 bytes at the least), and every other limit holds them
 * (7,000,000 nodes of the 8,000,000). */
static pp_policy *sku_policy_load(const bench_text *t)
{
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    opt.max_input_bytes = t->len + 1;
    pp_policy *p;
    pp_error err;
    if (pp_policy_load(&p, t->ptr, t->len, &opt, &err) != PP_OK) {
        fprintf(stderr, "ppbench: SKU policy load failed at %u:%u: %s\n", err.line, err.column,
                err.message);
        exit(1);
    }
    return p;
}

/* Decisions that resolve a SKU on the built-in table and on 1,000,000 more
 * prefixes, runs interleaved so that both see the same machine. */
static void sku_rows(const char *cache)
{
    static const uint32_t none = 0, many = SKU_PREFIXES;
    bench_text small = cached_text(cache, "sku-builtin-policy.yaml", make_skus, &none);
    bench_text big = cached_text(cache, "sku-1m-policy.yaml", make_skus, &many);
    pp_policy *a = sku_policy_load(&small);
    pp_policy *b = sku_policy_load(&big);
    bench_stream s;
    sku_stream_make(&s, STREAM, 3);
    for (size_t i = 0; i < s.n; i++) {
        pp_decision da, db;
        pp_decide(&da, a, NULL, &s.devices[i]);
        pp_decide(&db, b, NULL, &s.devices[i]);
        if (da.rule != 7 || db.rule != 7)
            bench_die("a SKU record is not rule 7 (member)");
    }
    double va[32], vb[32], ratio[32];
    decide_once(a, NULL, &s, 1, 0);
    decide_once(b, NULL, &s, 1, 0);
    for (int r = 0; r < repeat; r++) {
        va[r] = decide_once(a, NULL, &s, 1, 0);
        vb[r] = decide_once(b, NULL, &s, 1, 0);
        ratio[r] = vb[r] / va[r];
    }
    char work[256], tgt[96];
    snprintf(work, sizeof work, "%zu distinct records with SKUs of 7 families, each a member "
             "of its product (rule 7); built-in SKU table", s.n);
    row("pp_decide with a SKU, built-in table", stat_of(va, repeat), "ns/decision", work, NULL);
    snprintf(work, sizeof work, "same records; the policy adds %u SKU prefixes (%.1f MB) that "
             "start like the records' SKUs, lengths 4-32; default limits but the size",
             SKU_PREFIXES, (double)big.len / 1e6);
    row("pp_decide with a SKU, 1,000,000 SKU prefixes", stat_of(vb, repeat), "ns/decision",
        work, NULL);
    bench_stat sr = stat_of(ratio, repeat);
    row("SKU decision, 1,000,000 prefixes / built-in", sr, "x", "per run, same records",
        target_le(tgt, sizeof tgt, sr.median, 1.5));
    stream_free(&s);
    pp_policy_free(a);
    pp_policy_free(b);
    free(small.ptr);
    free(big.ptr);
}

/* ---- the main table ---- */

/* pp_decide, pp_decide_many and the floor over one stream, each run of the
 * three back to back, so that the ratios are of one run: batch / single
 * and single / floor. */
static void core_rows(const char *label, const pp_policy *p, const bench_shape *shape,
                      const bench_stream *s, const pp_decision *dec, double target_batch,
                      double target_floor)
{
    char work[256], what[128], tgt[96];
    bench_floor *f = floor_make(shape, s, dec);
    double one[32], many[32], fl[32], batch_ratio[32], floor_ratio[32];
    decide_once(p, NULL, s, 1, 0);
    decide_once(p, NULL, s, 1, BATCH);
    floor_run(f);
    for (int r = 0; r < repeat; r++) {
        one[r] = decide_once(p, NULL, s, 1, 0);
        many[r] = decide_once(p, NULL, s, 1, BATCH);
        double t0 = now_ns();
        if (floor_run(f) == 0)
            bench_die("the floor found nothing");
        fl[r] = (now_ns() - t0) / (double)s->n;
        batch_ratio[r] = many[r] / one[r];
        floor_ratio[r] = one[r] / fl[r];
    }
    snprintf(what, sizeof what, "pp_decide_many, %s, batches of %u", label, BATCH);
    row(what, stat_of(many, repeat), "ns/decision", "same stream, 1 thread", NULL);
    snprintf(what, sizeof what, "pp_decide_many / pp_decide, %s", label);
    bench_stat sb = stat_of(batch_ratio, repeat);
    row(what, sb, "x", "per run: batch time / single-call time, same records",
        target_batch > 0 ? target_le(tgt, sizeof tgt, sb.median, target_batch) : NULL);
    snprintf(work, sizeof work, "%zu probes (every product, product-team and organization "
             "probe a decision makes) reading the same records, on tables of the same sizes",
             floor_lookups(f));
    snprintf(what, sizeof what, "hash-lookup floor, %s", label);
    row(what, stat_of(fl, repeat), "ns/record", work, NULL);
    snprintf(what, sizeof what, "pp_decide / floor, %s", label);
    bench_stat sr = stat_of(floor_ratio, repeat);
    row(what, sr, "x", "per run: pp_decide time / floor time",
        target_floor > 0 ? target_le(tgt, sizeof tgt, sr.median, target_floor) : NULL);
    floor_free(f);
}

static void policy_rows(const char *label, const pp_policy *p, const bench_shape *shape,
                        const bench_stream *s, unsigned ncpu, double target_one,
                        double target_batch, double target_floor)
{
    char hist[256], work[512], what[128], tgt[96];
    pp_decision *dec = decide_all(p, s->team, s, hist, sizeof hist, true);
    free(dec);
    dec = decide_all(p, NULL, s, hist, sizeof hist, true);
    snprintf(work, sizeof work, "%s: %u products, %u members; %zu distinct records, "
             "share by rule %s", label, shape->nproducts, shape->nmembers, s->n, hist);

    uint64_t a0 = alloc_count();
    bench_stat one = decide_stat(p, NULL, s, 1, 0);
    uint64_t allocs = alloc_count() - a0;
    snprintf(what, sizeof what, "pp_decide, %s, 1 thread", label);
    row(what, one, "ns/decision", work,
        target_one > 0 ? target_le(tgt, sizeof tgt, one.median, target_one) : NULL);

    snprintf(what, sizeof what, "pp_decide, %s, 1 thread, with team set", label);
    char twork[128];
    snprintf(twork, sizeof twork, "same stream; caller-built team set of %zu memberships",
             pp_team_size(s->team));
    row(what, decide_stat(p, s->team, s, 1, 0), "ns/decision", twork, NULL);

    snprintf(what, sizeof what, "pp_decide, %s, %u threads (all cores)", label, ncpu);
    row(what, decide_stat(p, NULL, s, ncpu, 0), "ns/decision",
        "same stream split across threads; wall time / records", NULL);
    snprintf(what, sizeof what, "pp_decide, %s, %u threads, with team set", label, ncpu);
    row(what, decide_stat(p, s->team, s, ncpu, 0), "ns/decision", twork, NULL);

    snprintf(what, sizeof what, "pp_decide_many, %s, batches of %u, %u threads", label,
             BATCH, ncpu);
    row(what, decide_stat(p, NULL, s, ncpu, BATCH), "ns/decision", "same stream", NULL);

    core_rows(label, p, shape, s, dec, target_batch, target_floor);
    double per = (double)allocs / ((double)s->n * (repeat + 1));
    bench_stat al = { per, per, per };
    snprintf(work, sizeof work, "%llu allocations in %zu pp_decide calls, counted by an "
             "interposed malloc (checked live on a policy load)", (unsigned long long)allocs,
             s->n * (size_t)(repeat + 1));
    snprintf(what, sizeof what, "heap allocations per decision, %s", label);
    row(what, al, "allocs", work, per == 0 ? "= 0: met" : "= 0: MISSED");
    free(dec);
}

/* The handshake workload (bench/handshake.c) on the large policy. */
static void handshake_rows(const pp_policy *p)
{
    bench_stream s;
    handshake_stream_make(&s, &large_shape, STREAM, 5);
    char hist[256], work[512], what[128];
    pp_decision *dec = decide_all(p, NULL, &s, hist, sizeof hist, false);
    snprintf(work, sizeof work, "handshake: %zu records, a SKU on each, Device OS of many "
             "releases, products and owners across the large policy; share by rule %s",
             s.n, hist);
    snprintf(what, sizeof what, "pp_decide, handshake, 1 thread");
    row(what, decide_stat(p, NULL, &s, 1, 0), "ns/decision", work, NULL);
    core_rows("handshake", p, &large_shape, &s, dec, 0.6, 2);
    free(dec);
    stream_free(&s);
}

static void large_rows(const char *cache, unsigned ncpu)
{
    bench_text large = policy_text(&large_shape, cache, "large-policy.yaml");
    pp_policy *lp = policy_load_or_die(large.ptr, large.len);
    free(large.ptr);
    bench_stream ls;
    stream_make(&ls, &large_shape, STREAM, 100000, 2, NULL);
    policy_rows("large", lp, &large_shape, &ls, ncpu, 100, 0.6, 2);
    stream_free(&ls);
    handshake_rows(lp);
    pp_policy_free(lp);
}

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

static void main_table(const char *cache)
{
    unsigned ncpu = cores();
    row_header();

    bench_text small = policy_text(&small_shape, cache, "small-policy.yaml");
    uint64_t a0 = alloc_count();
    pp_policy *sp = policy_load_or_die(small.ptr, small.len);
    if (alloc_count() == a0)
        bench_die("the allocation counter is not live (no allocation seen during load)");
    bench_stream ss;
    stream_make(&ss, &small_shape, STREAM, 20, 1, NULL);
    policy_rows("small", sp, &small_shape, &ss, ncpu, 0, 0, 0);
    stream_free(&ss);
    pp_policy_free(sp);

    large_rows(cache, ncpu);

    bench_text large = policy_text(&large_shape, cache, "large-policy.yaml");
    bench_shape no_members = large_shape;
    no_members.nmembers = 0;
    bench_text prod = { 0 };
    policy_yaml(&prod, &no_members);
    load_rows(&large, &prod);
    free(prod.ptr);
    free(large.ptr);
    free(small.ptr);
    sku_rows(cache);
}

/* ---- growth ---- */

static void growth_row(const bench_shape *shape, const char *cache)
{
    bench_text t = { 0 };
    char name[64];
    snprintf(name, sizeof name, "policy-%u-%u.yaml", shape->nproducts, shape->nmembers);
    t = policy_text(shape, cache, name);
    double ms[32];
    int n = repeat < 3 ? repeat : 3;
    for (int r = 0; r < n; r++)
        ms[r] = load_ms(&t);
    size_t bytes = policy_bytes(&t);
    pp_policy *p = policy_load_or_die(t.ptr, t.len);
    bench_stream s;
    stream_make(&s, shape, 200000, 0, 3, NULL);
    bench_stat d = decide_stat(p, NULL, &s, 1, 0);
    printf("| %u | %u | %.1f | %.1f | %.1f | %.1f [%.1f, %.1f] |\n", shape->nproducts,
           shape->nmembers, (double)t.len / 1e6, stat_of(ms, n).median,
           (double)bytes / 1e6, d.median, d.min, d.max);
    fflush(stdout);
    stream_free(&s);
    pp_policy_free(p);
    free(t.ptr);
}

static void growth(const char *cache)
{
    static const bench_shape shapes[] = {
        { 100, 100000, 100 }, { 1000, 100000, 1000 }, { 10000, 100000, 1000 },
        { 10000, 10000, 1000 }, { 10000, 1000000, 1000 },
    };
    printf("| products | members | text MB | load ms | policy MB | pp_decide ns (median [min, max]) |\n"
           "|--:|--:|--:|--:|--:|---|\n");
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        growth_row(&shapes[i], cache);

    bench_text t = policy_text(&large_shape, cache, "large-policy.yaml");
    pp_policy *p = policy_load_or_die(t.ptr, t.len);
    bench_stream s;
    stream_make(&s, &large_shape, STREAM, 100000, 2, NULL);
    printf("\n| batch size (pp_decide_many, large policy) | ns/decision (median [min, max]) |\n"
           "|--:|---|\n");
    static const unsigned batches[] = { 1, 16, 256, 4096 };
    for (size_t i = 0; i < sizeof batches / sizeof batches[0]; i++) {
        bench_stat b = decide_stat(p, NULL, &s, 1, batches[i]);
        printf("| %u | %.1f [%.1f, %.1f] |\n", batches[i], b.median, b.min, b.max);
        fflush(stdout);
    }
    stream_free(&s);
    pp_policy_free(p);
    free(t.ptr);
}

/* ---- the peers' workload (bench/peers/run.sh prints it beside theirs) ---- */

static const char peer_policy[] =
    "version: 1\n"
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: alice, role: developer, two_step: true}\n"
    "      - {user: bob, role: view_only, two_step: true}\n"
    "products:\n"
    "  - {id: 1, name: p1, organization: acme, family: bsom}\n"
    "  - {id: 2, name: p2, organization: acme, family: bsom, unrecognized_devices: auto_approve}\n";

#define PEER_CALLS 100000
#define PEER_WARMUP 10000

static double peer_authorize_once(const pp_policy *p)
{
    static const char *const who[4] = { "alice", "bob", "alice", "carol" };
    pp_device q = { 0 }, m = { 0 };
    q.id = m.id = "e00fce681a2b3c4d5e6f7081";
    q.id_len = m.id_len = 24;
    q.device_os = m.device_os = "5.4.0";
    q.device_os_len = m.device_os_len = 5;
    q.platform_id = m.platform_id = 23;
    q.quarantined_in = 1;
    m.cloud_product_id = 1;
    const pp_device *dev[4] = { &q, &q, &m, &q };
    static const int32_t expect[4] = { 1, 0, 0, 0 };
    double t0 = 0;
    for (int i = 0; i < PEER_WARMUP + PEER_CALLS; i++) {
        if (i == PEER_WARMUP)
            t0 = now_ns();
        pp_actor a = { who[i % 4], strlen(who[i % 4]), PP_ACTOR_HUMAN };
        pp_authorization out;
        pp_authorize(&out, p, NULL, &a, PP_ACTION_APPROVE_QUARANTINED, 1, dev[i % 4]);
        if (out.allowed != expect[i % 4])
            bench_die("pp_authorize gave an unexpected answer on the peers' workload");
    }
    return (now_ns() - t0) / PEER_CALLS;
}

static double peer_admission_once(const pp_policy *p)
{
    pp_device d[4];
    memset(d, 0, sizeof d);
    for (int i = 0; i < 4; i++) {
        d[i].id = "e00fce681a2b3c4d5e6f7081";
        d[i].id_len = 24;
        d[i].device_os = "3.3.1";
        d[i].device_os_len = 5;
        d[i].platform_id = 23;
    }
    d[0].device_os = "5.4.0";         /* member of p1: ok */
    d[0].cloud_product_id = 1;
    d[1].firmware_product_id = 1;     /* unknown to p1 (quarantine mode) */
    d[2].firmware_product_id = 2;     /* p2 auto-approves its team's devices */
    d[2].owner = "alice";
    d[2].owner_len = 5;
    d[3].firmware_product_id = 2;     /* ... but not a stranger's */
    d[3].owner = "mallory";
    d[3].owner_len = 7;
    static const int admitted[4] = { 1, 0, 1, 0 };
    double t0 = 0;
    for (int i = 0; i < PEER_WARMUP + PEER_CALLS; i++) {
        if (i == PEER_WARMUP)
            t0 = now_ns();
        pp_decision out;
        pp_decide(&out, p, NULL, &d[i % 4]);
        if ((out.privileges != 0) != admitted[i % 4])
            bench_die("pp_decide gave an unexpected answer on the peers' workload");
    }
    return (now_ns() - t0) / PEER_CALLS;
}

static void peers(const char *cache)
{
    pp_policy *p = policy_load_or_die(peer_policy, sizeof peer_policy - 1);
    /* The Python side (bench/peers/peer_python.py) loads the same text. */
    char path[4096];
    snprintf(path, sizeof path, "%s/peer-policy.yaml", cache);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(peer_policy, 1, sizeof peer_policy - 1, f) != sizeof peer_policy - 1 ||
        fclose(f) != 0)
        bench_die("cannot write peer-policy.yaml");
    double a[32], d[32];
    for (int r = 0; r < repeat; r++) {
        a[r] = peer_authorize_once(p);
        d[r] = peer_admission_once(p);
    }
    bench_stat sa = stat_of(a, repeat), sd = stat_of(d, repeat);
    /* One line each for bench/peers/run.sh: workload median min max. */
    printf("authorization %.2f %.2f %.2f\nadmission %.2f %.2f %.2f\n", sa.median, sa.min,
           sa.max, sd.median, sd.min, sd.max);
    pp_policy_free(p);
}

int main(int argc, char **argv)
{
    const char *cache = ".";
    enum { MAIN, GROWTH, PEERS, SKUS, COST, LARGE } mode = MAIN;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cache") == 0 && i + 1 < argc)
            cache = argv[++i];
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--growth") == 0)
            mode = GROWTH;
        else if (strcmp(argv[i], "--peers") == 0)
            mode = PEERS;
        else if (strcmp(argv[i], "--skus") == 0)
            mode = SKUS;
        else if (strcmp(argv[i], "--cost") == 0)
            mode = COST;
        else if (strcmp(argv[i], "--large") == 0)
            mode = LARGE;
        else {
            fprintf(stderr, "usage: ppbench [--growth | --peers | --skus | --large | --cost] [--cache DIR] "
                            "[--repeat N]\n");
            return 2;
        }
    }
    if (repeat < 1 || repeat > 31)
        bench_die("--repeat takes 1 to 31");
    if (mode == GROWTH)
        growth(cache);
    else if (mode == PEERS)
        peers(cache);
    else if (mode == COST)
        cost_run(cache, COST_RECORDS);
    else if (mode == LARGE) {
        row_header();
        large_rows(cache, cores());
    }
    else if (mode == SKUS) {
        row_header();
        sku_rows(cache);
    } else
        main_table(cache);
    return 0;
}
