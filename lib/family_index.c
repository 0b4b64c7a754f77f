/* The lookups of the platform, SKU and family table, O(1) in its size (a
 * policy may bring a million SKU prefixes; a decision with a SKU must cost
 * the same as on the built-in table).  Built once the table is complete
 * (ppi_families_index), on the bounded tables of index.c.
 *
 * SKUs map by longest case-insensitive prefix.  A SKU's first two
 * characters pick a row (sku_rows).  Most rows hold a few prefixes of at
 * most eight bytes (every row of the built-in table does): the row lists
 * them, longest first, and a lookup compares the SKU's key with each in
 * turn, at most PPI_SKU_PICKS compares.  Any other row gives the prefix
 * lengths that may match as a bitmask, and those lengths are probed in a
 * hash table longest first, so a lookup is at most 32 probes whatever the
 * number of prefixes.  A key is the SKU's first eight bytes, upper-cased
 * in one word (ppi_sku_key), masked to the length (prefix_hash and the
 * rows' compares): the decision reads that word once, to check the SKU's
 * characters and to find it (ppi_sku_check).
 * Among equal keys the later entry wins: the loader replaces a built-in
 * prefix, platform ID or name the policy repeats in place, and an entry
 * appended after an equal one overrides it. */
#include <string.h>

#include "internal.h"
#include "sku_index.h"

/* ASCII only: <ctype.h> depends on the locale. */
static unsigned char ascii_upper(unsigned char c)
{
    return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

/* The key hash of s[0, len) folded to upper case. */
static uint64_t folded_hash(const char *s, size_t len, uint64_t seed)
{
    uint64_t h = ppi_prefix_start(seed);
    for (size_t i = 0; i < len; i++)
        h = ppi_prefix_step(h, ascii_upper((unsigned char)s[i]), seed);
    return ppi_prefix_hash(h);
}

static bool equal_nocase(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (ascii_upper((unsigned char)a[i]) != ascii_upper((unsigned char)b[i]))
            return false;
    return true;
}

/* ---- platforms by ID ---- */

static uint64_t platform_id_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const ppi_families *t = ctx;
    return ppi_hash_mix(t->platforms[i].id, seed);
}

static bool platform_id_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const ppi_families *t = ctx;
    return t->platforms[i].id == t->platforms[j].id;
}

typedef struct id_query {
    const ppi_families *t;
    uint32_t id;
} id_query;

static bool platform_id_is(const void *ctx, uint32_t i)
{
    const id_query *q = ctx;
    return q->t->platforms[i].id == q->id;
}

const ppi_platform *ppi_platform_find_large(const ppi_families *t, uint32_t id)
{
    id_query q = { t, id };
    uint32_t i = ppi_table_find(&t->platform_ids, ppi_hash_mix(id, t->platform_ids.seed),
                                platform_id_is, &q);
    return i == PPI_NONE ? NULL : &t->platforms[i];
}

/* small_platforms: the platform of each small ID, the later of equal IDs
 * as in platform_ids. */
static int index_small_platforms(ppi_families *t, ppi_arena *arena)
{
    t->small_platforms = ppi_arena_alloc(arena, PPI_SMALL_PLATFORM_IDS * sizeof *t->small_platforms);
    if (t->small_platforms == NULL)
        return PP_ERR_NOMEM;
    for (uint32_t i = 0; i < t->nplatforms; i++)
        if (t->platforms[i].id < PPI_SMALL_PLATFORM_IDS)
            t->small_platforms[t->platforms[i].id] = i + 1;
    return PP_OK;
}

/* ---- platforms by name, and family names ---- */

typedef struct name_query {
    const ppi_families *t;
    const char *name;
    size_t len;
} name_query;

static uint64_t platform_name_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const ppi_families *t = ctx;
    const char *name = t->platforms[i].name;
    return folded_hash(name, strlen(name), seed);
}

static bool platform_name_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const ppi_families *t = ctx;
    const char *a = t->platforms[i].name, *b = t->platforms[j].name;
    return strlen(a) == strlen(b) && equal_nocase(a, b, strlen(a));
}

static bool platform_name_is(const void *ctx, uint32_t i)
{
    const name_query *q = ctx;
    const char *name = q->t->platforms[i].name;
    return strlen(name) == q->len && equal_nocase(name, q->name, q->len);
}

const ppi_platform *ppi_platform_find_name(const ppi_families *t,
                                           const char *name, size_t len)
{
    if (name == NULL)
        return NULL;
    name_query q = { t, name, len };
    uint32_t i = ppi_table_find(&t->platform_names,
                                folded_hash(name, len, t->platform_names.seed),
                                platform_name_is, &q);
    return i == PPI_NONE ? NULL : &t->platforms[i];
}

/* Family names are vocabulary ([a-z0-9_]): matched exactly. */
static uint64_t family_name_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const ppi_families *t = ctx;
    return ppi_hash_seeded(t->names[i], strlen(t->names[i]), seed);
}

static bool family_name_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const ppi_families *t = ctx;
    return strcmp(t->names[i], t->names[j]) == 0;
}

static bool family_name_is(const void *ctx, uint32_t i)
{
    const name_query *q = ctx;
    const char *name = q->t->names[i];
    return strlen(name) == q->len && memcmp(name, q->name, q->len) == 0;
}

int32_t ppi_family_find(const ppi_families *t, const char *name, size_t len)
{
    if (name == NULL)
        return -1;
    name_query q = { t, name, len };
    uint32_t i = ppi_table_find(&t->family_names,
                                ppi_hash_seeded(name, len, t->family_names.seed),
                                family_name_is, &q);
    return i == PPI_NONE ? -1 : (int32_t)i;
}

/* ---- SKU prefixes (the lookup is inline, sku_index.h) ---- */

uint64_t ppi_sku_hash_rest(uint64_t h, const char *s, uint32_t len, uint64_t seed)
{
    for (uint32_t i = 8; i < len; i += 8)
        h = ppi_hash_mix(h ^ ppi_bytes_upper(ppi_head_of(s + i, len - i)), seed);
    return h;
}

bool ppi_sku_rest_equal(const char *prefix, const char *sku, uint32_t len)
{
    return equal_nocase(prefix + 8, sku + 8, len - 8);
}

static uint64_t sku_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const ppi_families *t = ctx;
    const ppi_sku *s = &t->skus[i];
    return ppi_sku_prefix_hash(s->prefix, s->prefix_len, t->sku_heads[i], seed);
}

static bool sku_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const ppi_families *t = ctx;
    const ppi_sku *a = &t->skus[i], *b = &t->skus[j];
    return a->prefix_len == b->prefix_len && equal_nocase(a->prefix, b->prefix, a->prefix_len);
}

const uint8_t ppi_sku_class[256] = {
    ['\0'] = PPI_SKU_CLASS_END,
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
    ['7'] = 8, ['8'] = 9, ['9'] = 10, ['A'] = 11, ['a'] = 11, ['B'] = 12, ['b'] = 12,
    ['C'] = 13, ['c'] = 13, ['D'] = 14, ['d'] = 14, ['E'] = 15, ['e'] = 15,
    ['F'] = 16, ['f'] = 16, ['G'] = 17, ['g'] = 17, ['H'] = 18, ['h'] = 18,
    ['I'] = 19, ['i'] = 19, ['J'] = 20, ['j'] = 20, ['K'] = 21, ['k'] = 21,
    ['L'] = 22, ['l'] = 22, ['M'] = 23, ['m'] = 23, ['N'] = 24, ['n'] = 24,
    ['O'] = 25, ['o'] = 25, ['P'] = 26, ['p'] = 26, ['Q'] = 27, ['q'] = 27,
    ['R'] = 28, ['r'] = 28, ['S'] = 29, ['s'] = 29, ['T'] = 30, ['t'] = 30,
    ['U'] = 31, ['u'] = 31, ['V'] = 32, ['v'] = 32, ['W'] = 33, ['w'] = 33,
    ['X'] = 34, ['x'] = 34, ['Y'] = 35, ['y'] = 35, ['Z'] = 36, ['z'] = 36, ['-'] = 37,
};

const ppi_sku *ppi_sku_find(const ppi_families *t, const char *sku, size_t len)
{
    if (sku == NULL || len == 0)
        return NULL;
    uint32_t i = ppi_sku_lookup(t, sku, len, ppi_sku_key(sku, len));
    return i == PPI_NONE ? NULL : &t->skus[i];
}

/* ---- the rows of the SKU lookup (sku_index.h) ---- */

#define SKU_ROWS (PPI_SKU_CLASSES * PPI_SKU_CLASSES)
_Static_assert(SKU_ROWS * PPI_SKU_PICKS <= UINT16_MAX, "a row's first pick fits its uint16_t");

/* A row's prefixes while it may list them: up to PPI_SKU_PICKS, a count
 * past that when there are more or one is longer than eight bytes. */
typedef struct row_picks {
    uint32_t n;
    uint32_t sku[PPI_SKU_PICKS];
} row_picks;

/* Offer sku i to a row: of equal prefixes the later is the one found, as
 * in sku_prefixes. */
static void offer_pick(row_picks *r, const ppi_families *t, uint32_t i)
{
    if (r->n > PPI_SKU_PICKS)
        return;
    if (t->skus[i].prefix_len > 8) {
        r->n = PPI_SKU_PICKS + 1;
        return;
    }
    for (uint32_t k = 0; k < r->n; k++)
        if (t->skus[r->sku[k]].prefix_len == t->skus[i].prefix_len &&
            t->sku_heads[r->sku[k]] == t->sku_heads[i]) {
            r->sku[k] = i;
            return;
        }
    if (r->n < PPI_SKU_PICKS)
        r->sku[r->n] = i;
    r->n++;
}

/* sku_rows and sku_picks: a row's prefixes are those that start with its
 * two characters' classes, and the one-byte prefixes of its first (which
 * may start any SKU with that first byte). */
static int index_sku_rows(ppi_families *t, ppi_arena *arena, ppi_arena *scratch)
{
    t->sku_rows = ppi_arena_alloc(arena, SKU_ROWS * sizeof *t->sku_rows);
    row_picks *rows = ppi_arena_alloc(scratch, SKU_ROWS * sizeof *rows);
    if (t->sku_rows == NULL || rows == NULL)
        return PP_ERR_NOMEM;
    for (uint32_t i = 0; i < t->nskus; i++) {
        const ppi_sku *s = &t->skus[i];
        uint32_t start = ppi_sku_start(t->sku_heads[i]);
        if (s->prefix_len > 1) {
            t->sku_rows[start].lengths |= 1u << (s->prefix_len - 1);
            offer_pick(&rows[start], t, i);
            continue;
        }
        uint32_t first = start - PPI_SKU_CLASS_END;
        for (uint32_t c = 0; c < PPI_SKU_CLASSES; c++) {
            t->sku_rows[first + c].lengths |= 1u;
            offer_pick(&rows[first + c], t, i);
        }
    }
    uint32_t npicks = 0;
    for (uint32_t r = 0; r < SKU_ROWS; r++)
        npicks += rows[r].n <= PPI_SKU_PICKS ? rows[r].n : 0;
    t->sku_picks = ppi_arena_alloc(arena, (npicks > 0 ? npicks : 1) * sizeof *t->sku_picks);
    if (t->sku_picks == NULL)
        return PP_ERR_NOMEM;
    npicks = 0;
    for (uint32_t r = 0; r < SKU_ROWS; r++) {
        if (rows[r].n > PPI_SKU_PICKS)
            continue;
        t->sku_rows[r] = (ppi_sku_row){ 0, (uint16_t)npicks, (uint16_t)rows[r].n };
        /* Longest first: at most one prefix of each length matches. */
        for (uint32_t len = 8; len > 0; len--)
            for (uint32_t k = 0; k < rows[r].n; k++) {
                uint32_t i = rows[r].sku[k];
                if (t->skus[i].prefix_len == len)
                    t->sku_picks[npicks++] = (ppi_sku_pick){ t->sku_heads[i],
                                                             ppi_sku_head_mask(len), i };
            }
    }
    return PP_OK;
}

/* fit_family: what a decision needs of a SKU's platform, found once. */
static void index_sku_fits(ppi_families *t)
{
    for (uint32_t i = 0; i < t->nskus; i++) {
        ppi_sku *s = &t->skus[i];
        const ppi_platform *pl = ppi_platform_find(t, s->platform_id);
        s->fit_family = pl != NULL && pl->eligible ? s->family : -1;
    }
}

/* sku_heads: the prefixes' keys, in upper case whatever the case they were
 * given in (the loader keeps them upper case; equal_nocase finds repeats). */
static int index_sku_heads(ppi_families *t, ppi_arena *arena)
{
    t->sku_heads = ppi_arena_take(arena, (t->nskus > 0 ? t->nskus : 1) * sizeof *t->sku_heads);
    if (t->sku_heads == NULL)
        return PP_ERR_NOMEM;
    for (uint32_t i = 0; i < t->nskus; i++)
        t->sku_heads[i] = ppi_sku_key(t->skus[i].prefix, t->skus[i].prefix_len);
    return PP_OK;
}

/* ---- which families a platform's SKUs name ---- */

static uint64_t sku_family_key(const ppi_sku *s)
{
    return (uint64_t)s->platform_id << 32 | (uint32_t)s->family;
}

static uint64_t pair_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const ppi_families *t = ctx;
    return ppi_hash_mix(sku_family_key(&t->skus[i]), seed);
}

static bool pair_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const ppi_families *t = ctx;
    return sku_family_key(&t->skus[i]) == sku_family_key(&t->skus[j]);
}

static uint64_t distinct_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const ppi_families *t = ctx;
    return ppi_hash_mix(t->sku_families[i], seed);
}

static bool distinct_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const ppi_families *t = ctx;
    return t->sku_families[i] == t->sku_families[j];
}

typedef struct pair_query {
    const ppi_families *t;
    uint64_t key;
} pair_query;

static bool pair_is(const void *ctx, uint32_t i)
{
    const pair_query *q = ctx;
    return q->t->sku_families[i] == q->key;
}

bool ppi_platform_may_be_family(const ppi_families *t, uint32_t platform_id,
                                int32_t family)
{
    if (family < 0)
        return false;
    pair_query q = { t, (uint64_t)platform_id << 32 | (uint32_t)family };
    return ppi_table_find(&t->sku_family_index, ppi_hash_mix(q.key, t->sku_family_index.seed),
                          pair_is, &q) != PPI_NONE;
}

/* The distinct (platform, family) pairs of the SKUs: a first table in
 * scratch, sized for every SKU, drops the repeats; the policy keeps only
 * the distinct pairs and their table. */
static int index_sku_families(ppi_families *t, ppi_arena *arena, ppi_arena *scratch,
                              const char **table)
{
    *table = "SKU families";
    ppi_table all;
    uint32_t unused;
    ppi_keys keys = { t, t->nskus, pair_hash, pair_equal, PPI_DUPS_FIRST };
    int rc = ppi_table_build(&all, scratch, &keys, &unused);
    if (rc != PP_OK)
        return rc;
    uint32_t n = 0;
    for (uint64_t s = 0; s <= all.mask; s++)
        n += all.slots[s].entry != 0 && t->skus[all.slots[s].entry - 1].family >= 0;
    t->sku_families = n == 0 ? NULL : ppi_arena_alloc(arena, n * sizeof *t->sku_families);
    if (n > 0 && t->sku_families == NULL)
        return PP_ERR_NOMEM;
    n = 0;
    for (uint64_t s = 0; s <= all.mask; s++) {
        uint32_t e = all.slots[s].entry;
        if (e != 0 && t->skus[e - 1].family >= 0)
            t->sku_families[n++] = sku_family_key(&t->skus[e - 1]);
    }
    ppi_keys distinct = { t, n, distinct_hash, distinct_equal, PPI_DUPS_FIRST };
    return ppi_table_build(&t->sku_family_index, arena, &distinct, &unused);
}

int ppi_families_index(ppi_families *t, ppi_arena *arena, ppi_arena *scratch,
                       const char **table)
{
    const struct {
        const char *name;
        ppi_table *table;
        ppi_keys keys;
    } builds[] = {
        { "platform IDs", &t->platform_ids,
          { t, t->nplatforms, platform_id_hash, platform_id_equal, PPI_DUPS_LAST } },
        { "platform names", &t->platform_names,
          { t, t->nplatforms, platform_name_hash, platform_name_equal, PPI_DUPS_LAST } },
        { "family names", &t->family_names,
          { t, t->nnames, family_name_hash, family_name_equal, PPI_DUPS_LAST } },
        { "SKU prefixes", &t->sku_prefixes, { t, t->nskus, sku_hash, sku_equal, PPI_DUPS_LAST } },
    };
    *table = "SKU prefixes";
    int rc = index_sku_heads(t, arena);
    if (rc != PP_OK)
        return rc;
    uint32_t unused;
    for (size_t b = 0; b < sizeof builds / sizeof builds[0]; b++) {
        *table = builds[b].name;
        rc = ppi_table_build(builds[b].table, arena, &builds[b].keys, &unused);
        if (rc != PP_OK)
            return rc;
    }
    *table = "SKU prefixes";
    rc = index_small_platforms(t, arena);
    if (rc == PP_OK)
        rc = index_sku_rows(t, arena, scratch);
    if (rc != PP_OK)
        return rc;
    index_sku_fits(t);
    return index_sku_families(t, arena, scratch, table);
}
