/* The lookups of the security checks, O(1) in the policy's lists: approved
 * integrations by (product, URL) and canary fingerprints by value, on the
 * bounded tables of index.c.  A record's URL is approved when it is an
 * approved destination or lies under one that ends in '/': one pass over the
 * URL hashes each of its prefixes (ppi_prefix_step), and the prefixes ending
 * in '/' and the whole URL are looked up, so a check costs the length of
 * the record's URL, never the length of the product's list. */
#include <string.h>

#include "internal.h"

/* ---- approved integrations ---- */

typedef struct integration_keys {
    const pp_policy *p;
    const uint32_t *product;    /* product index of each integration */
} integration_keys;

/* The key of a URL's first len bytes (hashed so far into h) for a product. */
static uint64_t url_key(uint64_t h, size_t len, uint32_t product)
{
    return ppi_hash_mix(h, (uint64_t)product << 32 | (uint32_t)len);
}

static uint64_t integration_hash(const ppi_str *url, uint32_t product, uint64_t seed)
{
    uint64_t h = ppi_prefix_start(seed);
    for (uint32_t i = 0; i < url->len; i++)
        h = ppi_prefix_step(h, (unsigned char)url->ptr[i], seed);
    return url_key(h, url->len, product);
}

static uint64_t integration_key_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const integration_keys *k = ctx;
    return integration_hash(&k->p->integrations[i], k->product[i], seed);
}

static bool integration_key_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const integration_keys *k = ctx;
    const ppi_str *a = &k->p->integrations[i], *b = &k->p->integrations[j];
    return k->product[i] == k->product[j] && a->len == b->len &&
           memcmp(a->ptr, b->ptr, a->len) == 0;
}

typedef struct integration_query {
    const pp_policy *p;
    const ppi_product *pr;
    const char *url;
    size_t len;                 /* the prefix looked up */
    size_t scheme_end, host_start, host_end; /* what folds (ppi_url_folded) */
} integration_query;

/* Byte k of the record's URL as its canonical spelling has it. */
static unsigned char folded_byte(const integration_query *q, size_t k)
{
    unsigned char c = (unsigned char)q->url[k];
    bool fold = k < q->scheme_end || (k >= q->host_start && k < q->host_end);
    return fold && c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool integration_is(const void *ctx, uint32_t i)
{
    const integration_query *q = ctx;
    const ppi_str *a = &q->p->integrations[i];
    if (i - q->pr->first_integration >= q->pr->nintegrations || a->len != q->len)
        return false;
    for (size_t k = 0; k < q->len; k++)
        if ((unsigned char)a->ptr[k] != folded_byte(q, k))
            return false;
    return true;
}

/* Approved destinations are stored canonical (scheme and host in lower case,
 * ppi_url_canonicalize); the record's URL is folded the same way byte by
 * byte as it is hashed.  Where a record matches a destination, the two
 * have their delimiters at the same places, so folding by the record's own
 * parts is folding by the destination's (ppi_url_approves). */
bool ppi_integration_approved(const pp_policy *p, const ppi_product *pr,
                              const char *url, size_t len)
{
    const ppi_table *t = &p->integration_index;
    uint32_t product = (uint32_t)(pr - p->products);
    integration_query q = { p, pr, url, 0, 0, 0, 0 };
    ppi_url_folded(url, len, &q.scheme_end, &q.host_start, &q.host_end);
    uint64_t h = ppi_prefix_start(t->seed);
    for (size_t i = 0; i < len; i++) {
        h = ppi_prefix_step(h, folded_byte(&q, i), t->seed);
        /* "http://h/" is the shortest destination a '/' can end. */
        if ((url[i] == '/' && i + 1 < len && i + 1 >= 9) || i + 1 == len) {
            q.len = i + 1;
            if (ppi_table_find(t, url_key(h, q.len, product), integration_is, &q) != PPI_NONE)
                return true;
        }
    }
    return false;
}

static int index_integrations(pp_policy *p, ppi_arena *scratch)
{
    uint32_t *product = NULL;
    if (p->nintegrations > 0 &&
        (product = ppi_arena_alloc(scratch, (size_t)p->nintegrations * sizeof *product)) == NULL)
        return PP_ERR_NOMEM;
    for (uint32_t k = 0; k < p->nproducts; k++)
        for (uint32_t j = 0; j < p->products[k].nintegrations; j++)
            product[p->products[k].first_integration + j] = k;
    integration_keys ctx = { p, product };
    ppi_keys keys = { &ctx, p->nintegrations, integration_key_hash, integration_key_equal,
                      PPI_DUPS_FIRST };
    uint32_t unused;
    return ppi_table_build(&p->integration_index, &p->arena, &keys, &unused);
}

/* ---- canary fingerprints ---- */

static uint64_t canary_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const pp_policy *p = ctx;
    return ppi_hash_mix(p->canaries[i], seed);
}

static bool canary_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const pp_policy *p = ctx;
    return p->canaries[i] == p->canaries[j];
}

typedef struct canary_query {
    const pp_policy *p;
    uint64_t fingerprint;
} canary_query;

static bool canary_is(const void *ctx, uint32_t i)
{
    const canary_query *q = ctx;
    return q->p->canaries[i] == q->fingerprint;
}

uint32_t ppi_canary_first(const pp_policy *p, uint64_t fingerprint)
{
    canary_query q = { p, fingerprint };
    return ppi_table_find(&p->canary_index, ppi_hash_mix(fingerprint, p->canary_index.seed),
                          canary_is, &q);
}

/* The table holds the first canary of each fingerprint; canary_next chains
 * the others in order, so organizations come out in policy order. */
static int index_canaries(pp_policy *p, ppi_arena *scratch)
{
    uint32_t n = p->ncanaries;
    uint32_t *last = NULL;
    if (n > 0) {
        p->canary_next = ppi_arena_alloc(&p->arena, (size_t)n * sizeof *p->canary_next);
        p->canary_org = ppi_arena_alloc(&p->arena, (size_t)n * sizeof *p->canary_org);
        last = ppi_arena_alloc(scratch, (size_t)n * sizeof *last);
        if (p->canary_next == NULL || p->canary_org == NULL || last == NULL)
            return PP_ERR_NOMEM;
    }
    ppi_keys keys = { p, n, canary_hash, canary_equal, PPI_DUPS_FIRST };
    uint32_t unused;
    int rc = ppi_table_build(&p->canary_index, &p->arena, &keys, &unused);
    if (rc != PP_OK)
        return rc;
    for (uint32_t o = 0; o < p->norgs; o++)
        for (uint32_t j = 0; j < p->orgs[o].ncanaries; j++)
            p->canary_org[p->orgs[o].first_canary + j] = o;
    for (uint32_t j = 0; j < n; j++) {
        uint32_t first = ppi_canary_first(p, p->canaries[j]);
        p->canary_next[j] = PPI_NONE;
        if (first != j)
            p->canary_next[last[first]] = j;
        last[first] = j;
    }
    return PP_OK;
}

int ppi_index_audit(pp_policy *p, ppi_arena *scratch, const char **table)
{
    *table = "approved integrations";
    int rc = index_integrations(p, scratch);
    if (rc != PP_OK)
        return rc;
    *table = "canary fingerprints";
    return index_canaries(p, scratch);
}
