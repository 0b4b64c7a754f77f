/* Generated workloads: policies of any size and a stream of distinct device
 * records that exercises every rule of the decision table (docs/spec.md
 * §3), so the figures measure the whole decision, not its fastest path. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

void text_printf(bench_text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->ptr + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap ? t->cap * 2 : 1 << 16;
        t->ptr = realloc(t->ptr, t->cap);
        if (t->ptr == NULL) {
            fprintf(stderr, "ppbench: out of memory\n");
            exit(1);
        }
    }
}

/* Every built-in family a platform alone decides, with that platform
 * (docs/hardware.md); product i holds family i % NFAM, and rule-4 records use
 * the next family's platform. */
static const struct {
    const char *family;
    uint32_t platform;
} fams[] = {
    { "photon", 6 }, { "p1", 8 }, { "electron", 10 }, { "argon", 12 },
    { "boron", 13 }, { "esomx", 15 }, { "bsom", 23 }, { "b5som", 25 },
    { "tracker", 26 }, { "trackerm", 28 }, { "msom", 35 },
    { "electron2", 37 }, { "sulu", 38 }, { "tachyon", 42 }, { "linux", 43 },
};
#define NFAM (sizeof fams / sizeof fams[0])

/* A SKU for each platform of the stream (Particle's model numbers; the
 * built-in table knows no SKU of trackerm, sulu, tachyon, linux or core,
 * whose records carry one the lookup does not find). */
static const struct {
    uint32_t platform;
    const char *sku;
} platform_skus[] = {
    { 6, "PHNTRAYH" },   { 8, "P1REEL" },     { 10, "E314KIT" },    { 12, "ARGNKIT" },
    { 13, "BRN404X" },   { 15, "E404XTRAY" }, { 23, "B404XMEA" },   { 25, "B524MEA" },
    { 26, "ONE524MEA" }, { 28, "TRKM524" },   { 35, "M524MEA" },    { 37, "ELC524EM" },
    { 38, "SULU1" },     { 42, "TACH8NA" },   { 43, "LNX1" },       { 0, "CORE" },
};

uint32_t product_platform(uint32_t i)
{
    return fams[i % NFAM].platform;
}

const char *platform_sku(uint32_t platform)
{
    for (size_t k = 0; k < sizeof platform_skus / sizeof platform_skus[0]; k++)
        if (platform_skus[k].platform == platform)
            return platform_skus[k].sku;
    return "UNKNOWN1";
}

/* The rule record r stands for: r % 16, or with a mask the (r % count)-th
 * rule of the mask. */
static unsigned rule_of(size_t r, uint16_t mask)
{
    if (mask == 0)
        return (unsigned)(r % 16);
    unsigned k = (unsigned)(r % (size_t)__builtin_popcount(mask));
    for (unsigned rule = 0;; rule++)
        if ((mask >> rule & 1u) && k-- == 0)
            return rule;
}

static const char *const roles[] = { "view_only", "support", "developer",
                                     "administrator" };

void policy_yaml(bench_text *out, const bench_shape *s)
{
    text_printf(out, "version: 1\norganizations:\n");
    for (uint32_t o = 0; o < s->norgs; o++) {
        text_printf(out, "  - name: o%u\n", o);
        if (o < s->nmembers)
            text_printf(out, "    members:\n");
        for (uint64_t k = o; k < s->nmembers; k += s->norgs)
            text_printf(out, "      - {user: m%llu, role: %s, two_step: true}\n",
                        (unsigned long long)k, roles[(k / s->norgs) % 4]);
    }
    text_printf(out, "products:\n");
    for (uint32_t i = 0; i < s->nproducts; i++) {
        text_printf(out, "  - id: %u\n    name: p%u\n    organization: o%u\n"
                    "    family: %s\n    unrecognized_devices: %s\n",
                    PRODUCT_BASE + i, i, i % s->norgs, fams[i % NFAM].family,
                    i % 2 == 0 ? "auto_approve" : "quarantine");
        if (i % 3 == 0)
            text_printf(out, "    removed_devices: quarantine\n");
        if (i % 4 == 0)
            text_printf(out, "    released_firmware: %u\n", 1 + i % 100);
        if (i % 5 == 0)
            text_printf(out, "    min_device_os: 3.4.0\n");
    }
}

uint64_t bench_rand(uint64_t *x)
{
    /* splitmix64: reproducible, cheap, good enough to scatter keys. */
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#define LEGACY_OS "3.3.1"
#define MODERN_OS "5.4.0"
#define PRERELEASE_OS "4.0.0-beta.1"

/* Strings per record: a 24-digit ID and an owner of at most 15 bytes. */
#define RECORD_BYTES 40

void stream_make(bench_stream *out, const bench_shape *s, size_t n,
                 uint32_t nteam, uint64_t seed, const bench_mix *mix)
{
    bench_mix all = { 0, false };
    if (mix == NULL)
        mix = &all;
    out->n = n;
    out->devices = calloc(n, sizeof *out->devices);
    out->strings = malloc(n * RECORD_BYTES);
    if (out->devices == NULL || out->strings == NULL ||
        pp_team_new(&out->team, NULL) != PP_OK) {
        fprintf(stderr, "ppbench: out of memory\n");
        exit(1);
    }
    char name[32], org[32];
    for (uint32_t k = 0; k < nteam; k++) {
        int nl = snprintf(name, sizeof name, "t%u", k);
        int ol = snprintf(org, sizeof org, "o%u", k % s->norgs);
        if (pp_team_add(out->team, org, (size_t)ol, name, (size_t)nl,
                        PP_ROLE_SUPPORT) != PP_OK) {
            fprintf(stderr, "ppbench: pp_team_add failed\n");
            exit(1);
        }
    }
    uint64_t rng = seed;
    uint32_t per_org = s->nmembers / s->norgs;
    for (size_t r = 0; r < n; r++) {
        pp_device *d = &out->devices[r];
        char *str = out->strings + r * RECORD_BYTES;
        /* Distinct IDs: the record number in the low digits. */
        snprintf(str, 25, "%016llx%08x", (unsigned long long)bench_rand(&rng),
                 (unsigned)(r & 0xFFFFFFFFu));
        d->id = str;
        d->id_len = 24;
        uint32_t i = (uint32_t)(bench_rand(&rng) % s->nproducts);
        unsigned rule = rule_of(r, mix->rules);
        /* Rules 12-15 need a product of the right mode. */
        if (rule == 12)
            i |= 1;
        else if (rule >= 13)
            i &= ~1u;
        if (i >= s->nproducts)
            i = s->nproducts - 2;
        uint32_t P = PRODUCT_BASE + i;
        d->platform_id = fams[i % NFAM].platform;
        d->device_os = LEGACY_OS;
        d->firmware_product_id = P;
        d->firmware_version = (uint32_t)(r % 7);
        d->development = r % 11 == 0;
        switch (rule) {
        case 0: /* malformed: a 23-digit ID */
            d->id_len = 23;
            break;
        case 1:
            d->firmware_product_id = 0;
            d->device_os = MODERN_OS;
            break;
        case 2:
            d->firmware_product_id = 4000000000u;
            break;
        case 3:
            d->platform_id = 0; /* core */
            break;
        case 4:
            d->platform_id = fams[(i + 1) % NFAM].platform;
            break;
        case 5:
            d->cloud_product_id = P;
            d->denied_in = P;
            break;
        case 6:
            d->cloud_product_id = P;
            d->firmware_product_id = 0;
            break;
        case 7:
            d->cloud_product_id = P;
            d->device_os = r % 32 == 7 ? PRERELEASE_OS : MODERN_OS;
            break;
        case 8:
            d->denied_in = P;
            break;
        case 9:
            d->removed_from = P;
            break;
        case 10:
            d->device_os = MODERN_OS;
            break;
        case 11:
            d->cloud_product_id = PRODUCT_BASE + (i + 1) % s->nproducts;
            break;
        case 12:
        case 13:
            break;
        case 14: {
            /* Half owned by policy members of P's organization, half by
             * members only the caller's team set knows. */
            uint32_t o = i % s->norgs;
            uint64_t k = bench_rand(&rng);
            int len;
            if ((r / 16) % 2 == 0 || nteam < s->norgs)
                len = snprintf(str + 24, 16, "m%llu",
                               (unsigned long long)(o + s->norgs * (k % per_org)));
            else
                len = snprintf(str + 24, 16, "t%llu",
                               (unsigned long long)(o + s->norgs *
                                                    (k % (nteam / s->norgs))));
            d->owner = str + 24;
            d->owner_len = (size_t)len;
            break;
        }
        case 15: {
            int len = snprintf(str + 24, 16, "x%llu", (unsigned long long)r);
            d->owner = str + 24;
            d->owner_len = (size_t)len;
            break;
        }
        }
        d->device_os_len = strlen(d->device_os);
        if (mix->skus) {
            d->sku = platform_sku(d->platform_id);
            d->sku_len = strlen(d->sku);
        }
    }
}

void stream_free(bench_stream *s)
{
    free(s->devices);
    free(s->strings);
    pp_team_free(s->team);
}

pp_policy *policy_load_or_die(const char *text, size_t len)
{
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    opt.max_input_bytes = len + 1;
    opt.max_members = UINT32_MAX;
    opt.max_nodes = UINT32_MAX;
    opt.max_products = UINT32_MAX;
    pp_policy *p;
    pp_error err;
    if (pp_policy_load(&p, text, len, &opt, &err) != PP_OK) {
        fprintf(stderr, "ppbench: policy load failed at %u:%u: %s\n",
                err.line, err.column, err.message);
        exit(1);
    }
    return p;
}

/* An allocator hook that counts the bytes it holds. */
typedef struct counted {
    size_t bytes;
} counted;

static void *count_alloc(void *opaque, size_t size)
{
    counted *c = opaque;
    size_t *p = malloc(size + 16);
    if (p == NULL)
        return NULL;
    p[0] = size;
    c->bytes += size;
    return (char *)p + 16;
}

static void count_free(void *opaque, void *ptr)
{
    counted *c = opaque;
    if (ptr == NULL)
        return;
    size_t *p = (size_t *)((char *)ptr - 16);
    c->bytes -= p[0];
    free(p);
}

size_t policy_bytes(const bench_text *t)
{
    counted c = { 0 };
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    opt.max_input_bytes = t->len + 1;
    opt.max_members = UINT32_MAX;
    opt.max_nodes = UINT32_MAX;
    opt.max_products = UINT32_MAX;
    opt.allocator = (pp_allocator){ count_alloc, count_free, &c };
    pp_policy *p;
    if (pp_policy_load(&p, t->ptr, t->len, &opt, NULL) != PP_OK) {
        fprintf(stderr, "ppbench: policy load failed\n");
        exit(1);
    }
    size_t bytes = c.bytes;
    pp_policy_free(p);
    if (c.bytes != 0) {
        fprintf(stderr, "ppbench: the policy did not free everything it allocated\n");
        exit(1);
    }
    return bytes;
}
