/* The benchmark's shared declarations: generated workloads, the hash-lookup
 * floor, the allocation counter and the statistics every row is printed
 * with.  See docs/performance.md. */
#ifndef PP_BENCH_H
#define PP_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "particlepolicy.h"

/* ---- workload.c: generated policies and device streams ---- */

/* A growable text buffer. */
typedef struct bench_text {
    char *ptr;
    size_t len, cap;
} bench_text;

void text_printf(bench_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The shape of a generated policy.  Member k belongs to organization
 * k % norgs and is named "m<k>"; product i has ID PRODUCT_BASE + i and
 * belongs to organization i % norgs; even products auto-approve. */
typedef struct bench_shape {
    uint32_t nproducts;
    uint32_t nmembers;
    uint32_t norgs;
} bench_shape;

#define PRODUCT_BASE 1000u

void policy_yaml(bench_text *out, const bench_shape *shape);

/* A stream of distinct device records that exercises every decision rule,
 * with a caller-built team set whose members own some rule-14 devices. */
typedef struct bench_stream {
    pp_device *devices;
    size_t n;
    char *strings;       /* device IDs and owners the records point into */
    pp_team *team;       /* memberships found only here ("t<k>") */
} bench_stream;

/* Which records a stream holds: rule bit r for records decided by rule r
 * (0: all 16 rules in turn), and whether every record carries a SKU (its
 * platform's, platform_sku). */
typedef struct bench_mix {
    uint16_t rules;
    bool skus;
} bench_mix;

/* n records of the rules of mix (NULL: all, no SKU) over shape's policy. */
void stream_make(bench_stream *out, const bench_shape *shape, size_t n,
                 uint32_t nteam, uint64_t seed, const bench_mix *mix);
void stream_free(bench_stream *s);

/* splitmix64: the next of a reproducible sequence of random numbers. */
uint64_t bench_rand(uint64_t *x);

/* The platform of product i's family, and a SKU of a platform. */
uint32_t product_platform(uint32_t i);
const char *platform_sku(uint32_t platform);

/* ---- handshake.c: what a fleet's reconnections look like ---- */

/* n records as devices present them at a handshake on shape's policy:
 * mostly members of their product, a SKU on every record, Device OS
 * versions of many releases and prereleases, random IDs in either case,
 * products and owners drawn across the whole fleet (see handshake.c for
 * the shares).  No team set. */
void handshake_stream_make(bench_stream *out, const bench_shape *shape, size_t n,
                           uint64_t seed);

/* ---- skus.c: decisions that resolve a SKU ---- */

/* Seven products, one per family of the stream's SKUs, and nprefixes more
 * SKU prefixes that start like those SKUs but never match them. */
void sku_policy_yaml(bench_text *out, uint32_t nprefixes);
/* n distinct records, each a member of the product of its SKU's family
 * (rule 7 after resolving the SKU); no team set. */
void sku_stream_make(bench_stream *out, size_t n, uint64_t seed);

/* Load with limits raised for the large policy; exits on failure. */
pp_policy *policy_load_or_die(const char *text, size_t len);
/* Bytes the compiled policy of t holds: what it obtains through a counting
 * allocator hook (exits on failure, or when freeing it leaves any). */
size_t policy_bytes(const bench_text *t);

/* ---- floor.c: the same lookups without the library ---- */

typedef struct bench_floor bench_floor;
/* Tables shaped like the policy's (same sizes, strides and hashing) and
 * the lookups each record's decision makes (from the decisions in dec). */
bench_floor *floor_make(const bench_shape *shape, const bench_stream *s,
                        const pp_decision *dec);
/* Run every lookup once; returns a checksum (hits). */
uint64_t floor_run(const bench_floor *f);
/* Lookups the floor makes over the whole stream. */
size_t floor_lookups(const bench_floor *f);
void floor_free(bench_floor *f);

/* ---- alloc_count.c: interposed malloc ---- */

/* Heap allocations (malloc, calloc, realloc, aligned) made by this process
 * so far, by any thread and any library. */
uint64_t alloc_count(void);

/* ---- cache.c: generated policy texts, cached in a directory ---- */

/* DIR/NAME if it exists, else make(&t, arg) written there first. */
bench_text cached_text(const char *dir, const char *name,
                       void (*make)(bench_text *, const void *), const void *arg);
/* The policy of a shape, cached as DIR/NAME. */
bench_text policy_text(const bench_shape *shape, const char *dir, const char *name);

/* The two policies of the main table. */
extern const bench_shape small_shape, large_shape;

/* ---- cost.c: instructions per decision (ppbench --cost, bench/cost.sh) ---- */

void cost_run(const char *cache, size_t n);

/* ---- stats.c ---- */

/* Print "ppbench: WHAT" and exit 1. */
void bench_die(const char *what) __attribute__((noreturn));

double now_ns(void);

typedef struct bench_stat {
    double median, min, max;
} bench_stat;

/* Summarise n samples (sorted in place). */
bench_stat stat_of(double *samples, int n);

/* One row of the table: what, median/min/max in unit, the workload, and
 * the target it is held to (NULL when none). */
void row(const char *what, bench_stat s, const char *unit,
         const char *workload, const char *target);
void row_header(void);

#endif /* PP_BENCH_H */
