/* The handshake workload: records as a fleet presents them when its devices
 * reconnect, not one share per rule.  Most devices are members of their
 * product; every record carries the SKU of its model; the Device OS
 * versions are those of many releases and prereleases, each record holding
 * its own copy of the string; IDs are random, in either case; products and
 * owners are drawn across the whole policy, so the lookups touch all of its
 * tables.  Shares (of records): 86% members (rule 7, half of them with an
 * owner), 5% legacy devices a quarantine product does not know (12), 4%
 * legacy devices of auto-approve products owned by a member of the
 * product's organization (14), 2% owned by strangers (15), 1% not pre-added
 * (10), 1% members of another product (11), 1% denied (8). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* A record's strings: ID, Device OS, SKU, owner. */
#define ID_AT 0
#define OS_AT 24
#define SKU_AT 48
#define OWNER_AT 64
#define RECORD_BYTES 88

__attribute__((format(printf, 3, 4))) static size_t put(char *at, size_t room,
                                                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room)
        bench_die("a handshake string does not fit");
    return (size_t)n;
}

/* A Device OS version: a release or, one in eight, a prerelease of it;
 * legacy ones (below 4.0.0) are 1.x-3.x. */
static size_t device_os(char *at, uint64_t *rng, int legacy)
{
    static const char *const pre[] = { "rc", "beta", "alpha" };
    uint64_t x = bench_rand(rng);
    unsigned major = legacy ? 1 + (unsigned)(x % 3) : 4 + (unsigned)(x % 3);
    unsigned minor = (unsigned)(x >> 8) % 20, patch = (unsigned)(x >> 16) % 10;
    if ((x >> 24) % 8 != 0)
        return put(at, 24, "%u.%u.%u", major, minor, patch);
    size_t n = put(at, 24, "%u.%u.%u-", major, minor, patch);
    memcpy(at + n, pre[(x >> 32) % 3], strlen(pre[(x >> 32) % 3]));
    n += strlen(pre[(x >> 32) % 3]);
    return n + put(at + n, 24 - n, ".%u", 1 + (unsigned)(x >> 40) % 4);
}

/* 24 random hex digits, upper case for one record in eight. */
static void device_id(char *at, uint64_t *rng)
{
    static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
    uint64_t a = bench_rand(rng), b = bench_rand(rng);
    const char *digits = (b >> 60) % 8 == 0 ? upper : lower;
    for (int k = 0; k < 16; k++)
        at[k] = digits[(a >> (4 * k)) & 15];
    for (int k = 0; k < 8; k++)
        at[16 + k] = digits[(b >> (4 * k)) & 15];
}

static void set_owner(pp_device *d, char *at, char tag, unsigned v)
{
    d->owner = at;
    d->owner_len = put(at, RECORD_BYTES - OWNER_AT, "%c%u", tag, v);
}

void handshake_stream_make(bench_stream *out, const bench_shape *s, size_t n,
                           uint64_t seed)
{
    out->n = n;
    out->devices = calloc(n, sizeof *out->devices);
    out->strings = malloc(n * RECORD_BYTES);
    out->team = NULL;
    if (out->devices == NULL || out->strings == NULL)
        bench_die("out of memory");
    uint64_t rng = seed;
    uint32_t per_org = s->nmembers / s->norgs;
    for (size_t r = 0; r < n; r++) {
        pp_device *d = &out->devices[r];
        char *str = out->strings + r * RECORD_BYTES;
        unsigned share = (unsigned)(bench_rand(&rng) % 100);
        uint32_t i = (uint32_t)(bench_rand(&rng) % s->nproducts);
        /* 12 needs a quarantine product (odd), 14 and 15 an auto-approve one. */
        if (share >= 86 && share < 91)
            i |= 1;
        else if (share >= 91 && share < 97)
            i &= ~1u;
        if (i >= s->nproducts)
            i = s->nproducts - 2;
        uint32_t P = PRODUCT_BASE + i, o = i % s->norgs;
        int legacy = share >= 86 && share < 97;
        if (share == 98)
            legacy = 1;

        device_id(str + ID_AT, &rng);
        d->id = str + ID_AT;
        d->id_len = 24;
        d->device_os = str + OS_AT;
        d->device_os_len = device_os(str + OS_AT, &rng, legacy);
        d->platform_id = product_platform(i);
        const char *sku = platform_sku(d->platform_id);
        d->sku_len = strlen(sku);
        memcpy(str + SKU_AT, sku, d->sku_len);
        d->sku = str + SKU_AT;
        d->firmware_product_id = P;
        d->firmware_version = 1 + (uint32_t)(bench_rand(&rng) % 100);
        unsigned member = per_org ? (unsigned)(o + s->norgs * (bench_rand(&rng) % per_org)) : 0;
        if (share < 86) {
            d->cloud_product_id = P;
            d->development = r % 25 == 0;
            if (r % 2 == 0 && per_org > 0)
                set_owner(d, str + OWNER_AT, 'm', member);
        } else if (share < 91) {
            if (r % 2 == 0)
                d->quarantined_in = P;
        } else if (share < 95) {
            if (per_org > 0)
                set_owner(d, str + OWNER_AT, 'm', member);
        } else if (share < 97) {
            set_owner(d, str + OWNER_AT, 'u', (unsigned)r);
        } else if (share == 98) {
            d->cloud_product_id = PRODUCT_BASE + (i + 1) % s->nproducts;
        } else if (share == 99) {
            d->denied_in = P;
        }
    }
}
