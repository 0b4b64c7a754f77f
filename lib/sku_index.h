/* The SKU lookup of a decision, inline (family_index.c builds its tables
 * and says how they work): a SKU's key is its first eight bytes in upper
 * case, one word (ppi_sku_key; ppi_sku_check reads it while checking the
 * characters); its first two bytes' classes pick a row (sku_rows).  A row
 * of a few short prefixes lists them, longest first, and each is compared
 * with the key masked to its length: no hash.  Any other row gives the
 * prefix lengths that may match, and each is probed in the hash table,
 * longest first, with the key masked to its length.  Past eight bytes the
 * hash and the compare take the rest out of line. */
#ifndef PP_SKU_INDEX_H
#define PP_SKU_INDEX_H

#include "internal.h"

/* SKU characters in classes 1..37, any case (0: any other byte), and 38
 * for "no second character" (NUL, which ends a short key's word, too). */
#define PPI_SKU_CLASSES 39u
#define PPI_SKU_CLASS_END 38u
extern const uint8_t ppi_sku_class[256];

/* The row of sku_starts for a key's first two bytes. */
static inline uint32_t ppi_sku_start(uint64_t head)
{
    return ppi_sku_class[head & 0xFF] * PPI_SKU_CLASSES + ppi_sku_class[head >> 8 & 0xFF];
}

/* The first len bytes of a key (all of it from 8 on). */
static inline uint64_t ppi_sku_head_mask(uint32_t len)
{
    return len >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * len)) - 1;
}

/* The hash of s[0, len) in upper case, head the key of s: the masked key
 * mixed with the seed (no SKU character is NUL, so keys of different
 * lengths differ), then each further word of the rest (family_index.c). */
uint64_t ppi_sku_hash_rest(uint64_t h, const char *s, uint32_t len, uint64_t seed);
static inline uint64_t ppi_sku_prefix_hash(const char *s, uint32_t len, uint64_t head,
                                           uint64_t seed)
{
    uint64_t h = ppi_hash_mix(head & ppi_sku_head_mask(len), seed);
    return len <= 8 ? h : ppi_sku_hash_rest(h, s, len, seed);
}

/* Whether bytes [8, len) of sku and prefix are equal but for case. */
bool ppi_sku_rest_equal(const char *prefix, const char *sku, uint32_t len);

typedef struct ppi_sku_query {
    const ppi_families *t;
    const char *sku;
    uint64_t head;                /* the key masked to len */
    uint32_t len;                 /* the prefix length probed */
} ppi_sku_query;

static inline bool ppi_sku_is(const void *ctx, uint32_t i)
{
    const ppi_sku_query *q = ctx;
    const ppi_sku *s = &q->t->skus[i];
    return q->t->sku_heads[i] == q->head && s->prefix_len == q->len &&
           (q->len <= 8 || ppi_sku_rest_equal(s->prefix, q->sku, q->len));
}

/* The index in t->skus of the longest prefix of sku (len >= 1, head its
 * key), or PPI_NONE. */
static inline __attribute__((always_inline)) uint32_t
ppi_sku_lookup(const ppi_families *t, const char *sku, size_t len, uint64_t head)
{
    const ppi_sku_row *row = &t->sku_rows[ppi_sku_start(head)];
    if (row->lengths == 0) {
        /* A key has zeros past its end, a prefix none: no longer prefix
         * matches. */
        const ppi_sku_pick *pick = &t->sku_picks[row->first];
        for (uint32_t k = row->count; k > 0; k--, pick++)
            if ((head & pick->mask) == pick->head)
                return pick->sku;
        return PPI_NONE;
    }
    /* Bit k-1 is length k: the lengths that may match and fit, longest
     * first (no prefix is longer than PPI_SKU_MAX_LEN). */
    uint32_t lengths = row->lengths;
    if (len < PPI_SKU_MAX_LEN)
        lengths &= (1u << len) - 1;
    ppi_sku_query q = { t, sku, 0, 0 };
    while (lengths != 0) {
        q.len = 32 - (uint32_t)__builtin_clz(lengths);
        lengths &= ~(1u << (q.len - 1));
        q.head = head & ppi_sku_head_mask(q.len);
        uint32_t i = ppi_table_find(&t->sku_prefixes,
                                    ppi_sku_prefix_hash(sku, q.len, head, t->sku_prefixes.seed),
                                    ppi_sku_is, &q);
        if (i != PPI_NONE)
            return i;
    }
    return PPI_NONE;
}

#endif /* PP_SKU_INDEX_H */
