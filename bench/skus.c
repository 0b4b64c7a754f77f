/* The SKU workload (docs/performance.md): decisions that resolve a SKU, on
 * the built-in SKU table and on a policy that adds a million prefixes, to
 * show that the size of the SKU table does not change the cost of one.  The
 * added prefixes start like the records' SKUs and have every length from 4
 * to 32, the case that probes the most lengths, without ever matching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* A SKU of each of seven families, the product that holds it and its
 * platform. */
static const struct {
    const char *sku;
    uint32_t platform;
    const char *family;
} models[] = {
    { "B404MEA", 23, "bsom" },    { "B524MEA", 25, "b5som" },
    { "E404XMEA", 15, "esomx" },  { "P2MOD10", 32, "p2" },
    { "PHN2MEA", 32, "photon2" }, { "ONE404MEA", 26, "tracker" },
    { "M404MEA", 35, "msom" },
};
#define NMODELS (sizeof models / sizeof models[0])

void sku_policy_yaml(bench_text *out, uint32_t nprefixes)
{
    text_printf(out, "version: 1\nproducts:\n");
    for (uint32_t i = 0; i < NMODELS; i++)
        text_printf(out, "  - {id: %u, name: s%u, family: %s}\n", PRODUCT_BASE + i, i,
                    models[i].family);
    if (nprefixes == 0)
        return;
    text_printf(out, "skus:\n");
    for (uint32_t k = 0; k < nprefixes; k++) {
        /* The first two characters of a record's SKU, then 'Q' (no record's
         * third character), then k in base 36, padded with '-'. */
        char prefix[40];
        const char *sku = models[k % NMODELS].sku;
        int len = snprintf(prefix, sizeof prefix, "%.2sQ", sku);
        for (uint32_t v = k / NMODELS;; v /= 36) {
            prefix[len++] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[v % 36];
            if (v < 36)
                break;
        }
        int want = 4 + (int)(k % 29);
        while (len < want)
            prefix[len++] = '-';
        text_printf(out, "  - {prefix: '%.*s', platform: %u, family: %s}\n", len, prefix,
                    models[k % NMODELS].platform, models[k % NMODELS].family);
    }
}

void sku_stream_make(bench_stream *out, size_t n, uint64_t seed)
{
    out->n = n;
    out->devices = calloc(n, sizeof *out->devices);
    out->strings = malloc(n * 24);
    out->team = NULL;
    if (out->devices == NULL || out->strings == NULL) {
        fprintf(stderr, "ppbench: out of memory\n");
        exit(1);
    }
    for (size_t r = 0; r < n; r++) {
        pp_device *d = &out->devices[r];
        char id[25];
        snprintf(id, sizeof id, "%016llx%08x", (unsigned long long)(seed * 0x9E3779B97F4A7C15ull + r),
                 (unsigned)(r & 0xFFFFFFFFu));
        memcpy(out->strings + r * 24, id, 24);
        uint32_t m = (uint32_t)(r % NMODELS);
        d->id = out->strings + r * 24;
        d->id_len = 24;
        d->device_os = "5.4.0";
        d->device_os_len = 5;
        d->sku = models[m].sku;
        d->sku_len = strlen(models[m].sku);
        d->platform_id = models[m].platform;
        d->cloud_product_id = PRODUCT_BASE + m;
    }
}
