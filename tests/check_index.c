/*
 * The lookup tables (lib/index.c, lib/family_index.c, lib/audit_index.c):
 * the bounded probe and the reseeding that keep a lookup O(1) whatever keys
 * a policy author picks, and each lookup against a plain scan of the same
 * table (the code it replaced), on random tables and queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_util.h"
#include "internal.h"
#include "sku_index.h"
#include "suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define S(x) (x), strlen(x)

/* ---- the bounded table itself ---- */

/* Keys are their index; the hash is chosen per test. */
typedef struct toy {
    uint64_t (*hash)(uint32_t i, uint64_t seed);
    uint32_t *key;              /* key of entry i (for duplicates) */
} toy;

static uint64_t toy_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const toy *t = ctx;
    return t->hash(i, seed);
}

static bool toy_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const toy *t = ctx;
    return t->key[i] == t->key[j];
}

typedef struct toy_query {
    const toy *t;
    uint32_t key;
} toy_query;

static bool toy_is(const void *ctx, uint32_t i)
{
    const toy_query *q = ctx;
    return q->t->key[i] == q->key;
}

/* Every key home in slot 0 whatever the seed: no seed can help. */
static uint64_t one_home(uint32_t i, uint64_t seed)
{
    (void)i;
    (void)seed;
    return 0;
}

/* Every key home in slot 0 under the first seed only. */
static uint64_t bad_first_seed(uint32_t i, uint64_t seed)
{
    return seed == ppi_table_seed(0) ? (uint64_t)i << 32 : ppi_hash_mix(i, seed);
}

static uint32_t toy_find(const ppi_table *t, const toy *k, uint32_t key)
{
    toy_query q = { k, key };
    uint32_t entry = PPI_NONE;
    /* The hash of a key is that of the first entry holding it. */
    for (uint32_t i = 0; entry == PPI_NONE && i < 1000; i++)
        if (k->key[i] == key)
            entry = ppi_table_find(t, k->hash(i, t->seed), toy_is, &q);
    return entry;
}

START_TEST(test_index_bounded_probe_refuses_keys_no_seed_spreads)
{
    uint32_t keys[1000];
    for (uint32_t i = 0; i < N(keys); i++)
        keys[i] = i;
    toy k = { one_home, keys };
    ppi_arena arena;
    ppi_arena_init(&arena, NULL);
    ppi_table t;
    uint32_t dup = 99;
    /* PPI_TABLE_MAX_PROBE keys fit in one cluster, one more does not. */
    ppi_keys fits = { &k, PPI_TABLE_MAX_PROBE, toy_hash, toy_equal, PPI_DUPS_REFUSED };
    ck_assert_int_eq(ppi_table_build(&t, &arena, &fits, &dup), PP_OK);
    ck_assert_uint_eq(t.max_probe, PPI_TABLE_MAX_PROBE);
    ck_assert_uint_eq(toy_find(&t, &k, PPI_TABLE_MAX_PROBE - 1), PPI_TABLE_MAX_PROBE - 1);
    ppi_keys too_many = { &k, PPI_TABLE_MAX_PROBE + 1, toy_hash, toy_equal, PPI_DUPS_REFUSED };
    ck_assert_int_eq(ppi_table_build(&t, &arena, &too_many, &dup), PP_ERR_LIMIT);
    ck_assert_uint_eq(dup, 99);
    ppi_arena_free_all(&arena);
}
END_TEST

START_TEST(test_index_keys_clustered_under_one_seed_are_rebuilt_under_the_next)
{
    uint32_t keys[1000];
    for (uint32_t i = 0; i < N(keys); i++)
        keys[i] = i;
    toy k = { bad_first_seed, keys };
    ppi_arena arena;
    ppi_arena_init(&arena, NULL);
    ppi_table t;
    uint32_t dup;
    ppi_keys all = { &k, N(keys), toy_hash, toy_equal, PPI_DUPS_REFUSED };
    ck_assert_int_eq(ppi_table_build(&t, &arena, &all, &dup), PP_OK);
    ck_assert_uint_eq(t.seed, ppi_table_seed(1));
    ck_assert_uint_lt(t.max_probe, 32);
    for (uint32_t i = 0; i < N(keys); i++)
        ck_assert_uint_eq(toy_find(&t, &k, i), i);
    ck_assert_uint_eq(toy_find(&t, &k, 5000), PPI_NONE);
    /* The seeds differ from each other. */
    for (uint32_t a = 0; a < PPI_TABLE_SEEDS; a++)
        for (uint32_t b = a + 1; b < PPI_TABLE_SEEDS; b++)
            ck_assert_uint_ne(ppi_table_seed(a), ppi_table_seed(b));
    ppi_arena_free_all(&arena);
}
END_TEST

START_TEST(test_index_equal_keys_refused_first_or_last)
{
    uint32_t keys[] = { 7, 8, 7, 9, 7 };
    toy k = { bad_first_seed, keys };
    ppi_arena arena;
    ppi_arena_init(&arena, NULL);
    ppi_table t;
    uint32_t dup = 0;
    ppi_keys refused = { &k, N(keys), toy_hash, toy_equal, PPI_DUPS_REFUSED };
    /* Equal keys must hash equally: entries 0, 2 and 4 share a hash. */
    k.hash = one_home;
    ck_assert_int_eq(ppi_table_build(&t, &arena, &refused, &dup), PP_ERR_DUPLICATE);
    ck_assert_uint_eq(dup, 2);
    ppi_keys first = { &k, N(keys), toy_hash, toy_equal, PPI_DUPS_FIRST };
    ck_assert_int_eq(ppi_table_build(&t, &arena, &first, &dup), PP_OK);
    ck_assert_uint_eq(toy_find(&t, &k, 7), 0);
    ck_assert_uint_eq(toy_find(&t, &k, 9), 3);
    ppi_keys last = { &k, N(keys), toy_hash, toy_equal, PPI_DUPS_LAST };
    ck_assert_int_eq(ppi_table_build(&t, &arena, &last, &dup), PP_OK);
    ck_assert_uint_eq(toy_find(&t, &k, 7), 4);
    ck_assert_uint_eq(toy_find(&t, &k, 8), 1);
    ppi_arena_free_all(&arena);
}
END_TEST

START_TEST(test_index_empty_table_finds_nothing)
{
    ppi_arena arena;
    ppi_arena_init(&arena, NULL);
    ppi_table t;
    uint32_t dup, keys[1] = { 0 };
    toy k = { one_home, keys };
    ppi_keys none = { &k, 0, toy_hash, toy_equal, PPI_DUPS_REFUSED };
    ck_assert_int_eq(ppi_table_build(&t, &arena, &none, &dup), PP_OK);
    ck_assert_uint_eq(t.max_probe, 0);
    toy_query q = { &k, 0 };
    ck_assert_uint_eq(ppi_table_find(&t, 0, toy_is, &q), PPI_NONE);
    ppi_table zero;
    memset(&zero, 0, sizeof zero);
    ck_assert_uint_eq(ppi_table_find(&zero, 0, toy_is, &q), PPI_NONE);
    ppi_arena_free_all(&arena);
}
END_TEST

/* ---- a policy author who picks colliding keys ---- */

/* Product IDs whose home slot under the first seed is one of the first 8
 * slots of a table of `cap` slots: linear probing would pile them up. */
static uint32_t colliding_ids(uint32_t *ids, uint32_t n, uint64_t cap)
{
    uint32_t k = 0;
    for (uint32_t id = 1; k < n && id != 0; id++)
        if ((ppi_hash_mix(id, ppi_table_seed(0)) & (cap - 1)) < 8)
            ids[k++] = id;
    return k;
}

START_TEST(test_index_products_picked_to_collide_load_and_stay_fast)
{
    enum { NPRODUCTS = 400 };
    uint32_t ids[NPRODUCTS];
    ck_assert_uint_eq(colliding_ids(ids, NPRODUCTS, 1024), NPRODUCTS);
    size_t cap = 64 + NPRODUCTS * 64, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len, "version: 1\nproducts:\n");
    for (int i = 0; i < NPRODUCTS; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "  - {id: %u, name: p%d, family: bsom}\n", ids[i], i);
    pp_policy *p = NULL;
    pp_error err;
    int rc = pp_policy_load(&p, text, len, NULL, &err);
    ck_assert_msg(rc == PP_OK, "%s", err.message);
    /* The first seed piled them up, so the table is under another, with
     * every product near its home. */
    ck_assert_uint_ne(p->product_index.seed, ppi_table_seed(0));
    ck_assert_uint_le(p->product_index.max_probe, 32);
    for (int i = 0; i < NPRODUCTS; i++) {
        const ppi_product *pr = ppi_product_find(p, ids[i]);
        ck_assert_ptr_nonnull(pr);
        ck_assert_uint_eq(pr->id, ids[i]);
    }
    ck_assert_ptr_null(ppi_product_find(p, 0));
    pp_policy_free(p);
    free(text);
}
END_TEST

/* User names whose keys share a home slot under a team set's first seed:
 * the set rehashes under another and every member stays found. */
START_TEST(test_index_team_names_picked_to_collide_stay_found)
{
    enum { NAMES = 300 };
    static char names[NAMES][16];
    uint64_t org = ppi_hash_bytes(S("acme"));
    uint32_t k = 0;
    for (uint32_t i = 0; k < NAMES; i++) {
        char name[16];
        snprintf(name, sizeof name, "u%u", i);
        uint64_t h = ppi_hash_mix(ppi_hash_seeded(name, strlen(name), ppi_table_seed(0)), org);
        if ((h & 1023) < 4)
            memcpy(names[k++], name, sizeof name);
    }
    pp_team *team = NULL;
    ck_assert_int_eq(pp_team_new(&team, NULL), PP_OK);
    for (uint32_t i = 0; i < NAMES; i++)
        ck_assert_int_eq(pp_team_add(team, S("acme"), S(names[i]), PP_ROLE_SUPPORT), PP_OK);
    ck_assert_uint_eq(pp_team_size(team), NAMES);
    for (uint32_t i = 0; i < NAMES; i++)
        ck_assert_int_eq(ppi_team_role(team, S("acme"), org, S(names[i])), PP_ROLE_SUPPORT);
    ck_assert_int_eq(ppi_team_role(team, S("acme"), org, S("stranger")), -1);
    pp_team_free(team);
}
END_TEST

/* Two organizations whose team seeds give member "x" the same home slot
 * and tag under the member table's first seed (a birthday search over
 * names "o<i>"): x, on the first one's team only, is still no member of
 * the second.  Only the team in the member's key tells the entries apart. */
static void colliding_orgs(char a[16], char b[16])
{
    enum { BITS = 20, MAX = 700000 };
    uint64_t *seen = calloc((size_t)1 << BITS, sizeof *seen);
    ck_assert_ptr_nonnull(seen);
    uint64_t x = ppi_hash_seeded(S("x"), ppi_table_seed(0));
    for (uint32_t i = 0; i < MAX; i++) {
        char name[16];
        snprintf(name, sizeof name, "o%u", i);
        uint64_t h = ppi_hash_mix(x, ppi_hash_bytes(name, strlen(name)));
        uint64_t key = (h >> 32) << 3 | (h & 7); /* tag, and slot of 8 */
        uint64_t s = (key * 0x9E3779B97F4A7C15ull) >> (64 - BITS);
        for (;; s = (s + 1) & (((uint64_t)1 << BITS) - 1)) {
            if (seen[s] == 0) {
                seen[s] = key << 24 | (i + 1);
                break;
            }
            if (seen[s] >> 24 == key) {
                snprintf(a, 16, "o%u", (unsigned)((seen[s] & 0xFFFFFF) - 1));
                snprintf(b, 16, "%s", name);
                free(seen);
                return;
            }
        }
    }
    ck_abort_msg("no two organization names collide for x");
}

START_TEST(test_index_member_of_a_colliding_team_is_not_in_another)
{
    char a[16], b[16], text[512];
    colliding_orgs(a, b);
    snprintf(text, sizeof text,
             "version: 1\n"
             "organizations:\n"
             "  - {name: %s, members: [{user: x, role: owner, two_step: true}]}\n"
             "  - {name: %s, members: [{user: y, role: owner, two_step: true}]}\n"
             "products:\n"
             "  - {id: 7, name: B, organization: %s, family: bsom,\n"
             "     unrecognized_devices: auto_approve}\n",
             a, b, b);
    pp_policy *p = load_string(text);
    /* The collision holds in the table the policy built. */
    ck_assert_uint_eq(p->member_index.seed, ppi_table_seed(0));
    ck_assert_uint_eq(p->member_index.mask, 7);
    uint64_t x = ppi_member_hash(p, S("x"));
    uint64_t ha = ppi_hash_mix(x, p->orgs[0].team_seed), hb = ppi_hash_mix(x, p->orgs[1].team_seed);
    ck_assert_uint_eq(ha >> 32, hb >> 32);
    ck_assert_uint_eq(ha & 7, hb & 7);
    ck_assert_ptr_nonnull(ppi_member_find(p, p->orgs[0].team_seed, 0, S("x"), x));
    ck_assert_ptr_null(ppi_member_find(p, p->orgs[1].team_seed, 1, S("x"), x));

    /* A legacy newcomer to b's auto-approve product, owned by x: x is not
     * on its team (rule 15, no privileges), and may not act on it. */
    pp_device d = PP_DEVICE_INIT;
    d.id = "e00fce68aabbccddeeff0011";
    d.id_len = strlen(d.id);
    d.device_os = "3.3.1";
    d.device_os_len = strlen(d.device_os);
    d.platform_id = 23;
    d.firmware_product_id = 7;
    d.owner = "x";
    d.owner_len = 1;
    pp_decision dec;
    ck_assert_int_eq(pp_decide(&dec, p, NULL, &d), PP_OK);
    ck_assert_int_eq(dec.rule, 15);
    ck_assert_uint_eq(dec.privileges, 0);
    pp_actor who = { S("x"), PP_ACTOR_HUMAN };
    pp_authorization az;
    ck_assert_int_eq(pp_authorize(&az, p, NULL, &who, PP_ACTION_VIEW_DEVICES, 7, NULL), PP_OK);
    ck_assert(!az.allowed);
    pp_policy_free(p);
}
END_TEST

/* ---- each lookup against a scan of the same table ---- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33) % n;
}

static const char sku_chars[] = "AB4-0ab";

static void random_sku(char *s, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        s[i] = sku_chars[rnd(sizeof sku_chars - 1)];
}

static char ascii_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool prefix_nocase(const char *prefix, size_t plen, const char *s, size_t len)
{
    if (plen > len)
        return false;
    for (size_t i = 0; i < plen; i++)
        if (ascii_upper(prefix[i]) != ascii_upper(s[i]))
            return false;
    return true;
}

/* The lookup the index replaced: longest case-insensitive prefix, the later
 * entry among equal ones. */
static const ppi_sku *scan_sku(const ppi_families *t, const char *sku, size_t len)
{
    const ppi_sku *best = NULL;
    for (uint32_t i = t->nskus; i-- > 0;) {
        const ppi_sku *s = &t->skus[i];
        if ((best == NULL || s->prefix_len > best->prefix_len) &&
            prefix_nocase(s->prefix, s->prefix_len, sku, len))
            best = s;
    }
    return best;
}

static bool scan_may_be_family(const ppi_families *t, uint32_t platform, int32_t family)
{
    for (uint32_t i = 0; family >= 0 && i < t->nskus; i++)
        if (t->skus[i].platform_id == platform && t->skus[i].family == family)
            return true;
    return false;
}

START_TEST(test_index_sku_lookup_agrees_with_a_scan)
{
    rng_state = 2001 + (uint64_t)_i;
    enum { EXTRA = 300 };
    static char prefixes[EXTRA][PPI_SKU_MAX_LEN];
    ppi_arena arena;
    ppi_arena_init(&arena, NULL);
    ppi_families t;
    ck_assert_int_eq(ppi_families_builtin(&t, &arena, 0, EXTRA, 0), PP_OK);
    /* Short prefixes over a small alphabet: many share starts and nest; a
     * few repeat a built-in prefix or each other (the later one wins). */
    for (uint32_t i = 0; i < EXTRA; i++) {
        uint32_t len = 1 + rnd(i % 3 == 0 ? PPI_SKU_MAX_LEN : 6);
        random_sku(prefixes[i], len);
        if (i % 50 == 0)
            len = (uint32_t)strlen(strcpy(prefixes[i], "B40"));
        for (uint32_t k = 0; k < len; k++) /* kept in upper case, as the loader does */
            prefixes[i][k] = ascii_upper(prefixes[i][k]);
        t.skus[t.nskus++] = (ppi_sku){ prefixes[i], len, 1000 + rnd(5), (int32_t)rnd(3), -1 };
    }
    const char *table = NULL;
    ck_assert_int_eq(ppi_families_index(&t, &arena, &arena, &table), PP_OK);
    for (int q = 0; q < 4000; q++) {
        char sku[40];
        uint32_t len = 1 + rnd(q % 4 == 0 ? 40 : 8);
        random_sku(sku, len);
        if (q % 7 == 0)
            memcpy(sku, "B404MEA", len < 7 ? len : 7);
        if (q % 5 == 0) /* any byte: a NUL, high bytes, a letter past F, bytes that
                         * bit 5 or the high bit would fold onto a SKU character */
            sku[rnd(len)] = "\0\xe1z{@`\r\x10\x19\xad\xb0["[rnd(12)];
        const ppi_sku *got = ppi_sku_find(&t, sku, len), *want = scan_sku(&t, sku, len);
        ck_assert_msg(got == want, "SKU '%.*s': index %s, scan %s", (int)len, sku,
                      got ? got->prefix : "none", want ? want->prefix : "none");
    }
    for (uint32_t platform = 999; platform < 1006; platform++)
        for (int32_t family = -1; family < 4; family++)
            ck_assert_int_eq(ppi_platform_may_be_family(&t, platform, family),
                             scan_may_be_family(&t, platform, family));
    ck_assert_ptr_null(ppi_sku_find(&t, NULL, 3));
    ck_assert_ptr_null(ppi_sku_find(&t, "B404", 0));
    ppi_arena_free_all(&arena);
}
END_TEST

/* The rows of the SKU lookup (sku_index.h): a start with at most
 * PPI_SKU_PICKS prefixes, none past eight bytes, lists them; one more, or
 * one of nine bytes, and the start is probed in the hash table.  Every
 * prefix and its neighbours, in both cases and with a bad byte anywhere,
 * are found as a scan finds them, on rows of both kinds. */
static const struct {
    const char *prefix;
    bool listed;                /* its start's row lists its prefixes */
} row_prefixes[] = {
    /* Four nested (and a repeat of one, which replaces it): listed. */
    { "QA", true }, { "QA1", true }, { "QA12", true }, { "QA123", true }, { "qa1", true },
    /* Five: probed. */
    { "QB1", false }, { "QB2", false }, { "QB3", false }, { "QB4", false }, { "QB5", false },
    /* One of nine bytes: probed; one of eight: listed. */
    { "QC", false }, { "QC3456789", false }, { "QE", true }, { "QE345678", true },
    /* A one-byte prefix joins every row of its first character: three
     * more, listed; four more, probed. */
    { "W", true }, { "WX1", true }, { "WX12", true }, { "WX123", true },
    { "WZ1", false }, { "WZ2", false }, { "WZ3", false }, { "WZ4", false },
};

START_TEST(test_index_sku_rows_list_few_short_prefixes)
{
    ppi_arena arena;
    ppi_arena_init(&arena, NULL);
    ppi_families t;
    ck_assert_int_eq(ppi_families_builtin(&t, &arena, 2, N(row_prefixes), 0), PP_OK);
    t.platforms[t.nplatforms++] = (ppi_platform){ 2000, "eligible", true, 1 };
    t.platforms[t.nplatforms++] = (ppi_platform){ 2001, "not-eligible", false, -1 };
    for (uint32_t i = 0; i < N(row_prefixes); i++) {
        const char *p = row_prefixes[i].prefix;
        t.skus[t.nskus++] = (ppi_sku){ p, (uint32_t)strlen(p), 2000 + i % 3, (int32_t)(i % 3), -1 };
    }
    const char *table = NULL;
    ck_assert_int_eq(ppi_families_index(&t, &arena, &arena, &table), PP_OK);
    /* A decision takes a SKU's family only on a known, eligible platform. */
    for (uint32_t i = 0; i < t.nskus; i++) {
        const ppi_platform *pl = ppi_platform_find(&t, t.skus[i].platform_id);
        ck_assert_int_eq(t.skus[i].fit_family,
                         pl != NULL && pl->eligible ? t.skus[i].family : -1);
    }
    for (uint32_t j = 0, base = t.nskus - (uint32_t)N(row_prefixes); j < N(row_prefixes); j++)
        ck_assert_int_eq(t.skus[base + j].fit_family, j % 3 == 0 ? 0 : -1);
    for (uint32_t i = 0; i < N(row_prefixes); i++) {
        const char *p = row_prefixes[i].prefix;
        size_t len = strlen(p) > 1 ? strlen(p) : 2;
        char start[2] = { p[0], p[1] != '\0' ? p[1] : 'Y' };
        const ppi_sku_row *row = &t.sku_rows[ppi_sku_start(ppi_sku_key(start, 2))];
        ck_assert_msg((row->lengths == 0) == row_prefixes[i].listed, "%s", p);
        for (size_t n = 1; n <= len + 2; n++)
            for (size_t at = 0; at <= n; at++)
                for (int variant = 0; variant < 4; variant++) {
                    char sku[16];
                    for (size_t k = 0; k < n; k++) /* the prefix, then 0s */
                        sku[k] = k < strlen(p) ? p[k] : '0';
                    if (variant & 1) /* the other case */
                        for (size_t k = 0; k < n; k++)
                            sku[k] = (char)(sku[k] ^ (sku[k] >= 'A' ? 0x20 : 0));
                    if (at < n) /* a bad byte, or a letter past the prefix's */
                        sku[at] = (variant & 2) ? "\0\r\x10\xd1"[at % 4] : 'Z';
                    const ppi_sku *got = ppi_sku_find(&t, sku, n), *want = scan_sku(&t, sku, n);
                    ck_assert_msg(got == want, "'%.*s': index %s, scan %s", (int)n, sku,
                                  got ? got->prefix : "none", want ? want->prefix : "none");
                }
    }
    ppi_arena_free_all(&arena);
}
END_TEST

/* Platforms and families added after the built-in ones, some repeating a
 * built-in ID or name (the later entry is the one found). */
START_TEST(test_index_platform_and_family_lookups_agree_with_a_scan)
{
    ppi_arena arena;
    ppi_arena_init(&arena, NULL);
    ppi_families t;
    enum { EXTRA = 300 };
    static char names[EXTRA][16];
    ck_assert_int_eq(ppi_families_builtin(&t, &arena, EXTRA, 0, EXTRA + 1), PP_OK);
    for (uint32_t i = 0; i < EXTRA; i++) {
        snprintf(names[i], sizeof names[i], i % 3 ? "Plat%u" : "fam%u", i);
        uint32_t id = i % 40 == 0 ? 23 : 5000 + i;
        t.platforms[t.nplatforms++] = (ppi_platform){ id, names[i], true, -1 };
        t.names[t.nnames++] = names[i];
    }
    t.names[t.nnames++] = "photon"; /* a repeated family name: the later one */
    const char *table = NULL;
    ck_assert_int_eq(ppi_families_index(&t, &arena, &arena, &table), PP_OK);
    for (uint32_t id = 0; id < 6000; id++) {
        const ppi_platform *want = NULL;
        for (uint32_t i = t.nplatforms; want == NULL && i-- > 0;)
            if (t.platforms[i].id == id)
                want = &t.platforms[i];
        ck_assert_ptr_eq(ppi_platform_find(&t, id), want);
    }
    for (uint32_t i = 0; i < t.nplatforms; i++) {
        char upper[32];
        const char *name = t.platforms[i].name;
        size_t len = strlen(name);
        for (size_t j = 0; j <= len; j++)
            upper[j] = ascii_upper(name[j]);
        const ppi_platform *want = NULL;
        for (uint32_t j = t.nplatforms; want == NULL && j-- > 0;)
            if (strlen(t.platforms[j].name) == len &&
                prefix_nocase(t.platforms[j].name, len, name, len))
                want = &t.platforms[j];
        ck_assert_ptr_eq(ppi_platform_find_name(&t, upper, len), want);
    }
    for (uint32_t i = 0; i < t.nnames; i++) {
        int32_t want = -1;
        for (uint32_t j = t.nnames; want < 0 && j-- > 0;)
            if (strcmp(t.names[j], t.names[i]) == 0)
                want = (int32_t)j;
        ck_assert_int_eq(ppi_family_find(&t, S(t.names[i])), want);
    }
    ck_assert_int_eq(ppi_family_find(&t, S("photon")), (int32_t)t.nnames - 1);
    ck_assert_int_eq(ppi_family_find(&t, S("Fam3")), -1); /* exact case */
    ck_assert_ptr_null(ppi_platform_find_name(&t, S("plat")));
    ck_assert_ptr_null(ppi_platform_find_name(&t, NULL, 0));
    ppi_arena_free_all(&arena);
}
END_TEST

/* ---- the security checks' lookups ---- */

START_TEST(test_index_integration_lookup_agrees_with_a_scan)
{
    static const char *const approved[] = {
        "https://hooks.acme.example/particle",
        "https://api.acme.example/",
        "https://api.acme.example/v2/",
        "http://legacy.acme.example/in",
    };
    static const struct {
        const char *url;
        bool ok;
    } rows[] = {
        { "https://hooks.acme.example/particle", true },
        { "https://hooks.acme.example/particle/x", false },  /* not under: no '/' */
        { "https://hooks.acme.example/partic", false },
        { "https://api.acme.example/", true },
        { "https://api.acme.example/v1/x", true },
        { "https://api.acme.example", false },
        { "https://api.acme.example/v2/deep/er/", true },
        { "http://legacy.acme.example/in", true },
        { "http://legacy.acme.example/in/", false },
        { "https://other.example/", false },
        { "https:/", false },
        { "h", false },
        /* Scheme and host compare without case, the rest exactly. */
        { "HTTPS://Hooks.ACME.example/particle", true },
        { "https://hooks.acme.example/Particle", false },
        { "Https://API.acme.example/v1/x", true },
        { "HTTP://LEGACY.ACME.EXAMPLE/in", true },
        { "https://user@API.acme.example/x", false },
    };
    char text[1024];
    size_t len = (size_t)snprintf(text, sizeof text,
                                  "version: 1\nproducts:\n"
                                  "  - {id: 1, name: one, family: bsom, approved_integrations: []}\n"
                                  "  - id: 2\n    name: two\n    family: bsom\n"
                                  "    approved_integrations: ['%s', '%s', '%s', '%s']\n",
                                  approved[0], approved[1], approved[2], approved[3]);
    pp_policy *p = NULL;
    pp_error err;
    ck_assert_msg(pp_policy_load(&p, text, len, NULL, &err) == PP_OK, "%s", err.message);
    const ppi_product *one = ppi_product_find(p, 1), *two = ppi_product_find(p, 2);
    for (size_t i = 0; i < N(rows); i++) {
        ck_assert_msg(ppi_integration_approved(p, two, S(rows[i].url)) == rows[i].ok, "%s",
                      rows[i].url);
        ck_assert(!ppi_integration_approved(p, one, S(rows[i].url)));
    }
    /* Random URLs near the approved ones agree with ppi_url_approves over
     * the list (the comparison the index replaced). */
    rng_state = 2001;
    for (int q = 0; q < 5000; q++) {
        char url[96];
        const char *base = approved[rnd(N(approved))];
        size_t n = strlen(base) - rnd(4);
        memcpy(url, base, n);
        for (size_t k = 0; k < n; k++)
            if (rnd(4) == 0 && url[k] >= 'a' && url[k] <= 'z')
                url[k] = (char)(url[k] - 'a' + 'A');
        static const char *const tails[] = { "", "/", "x", "/x/y", "?q=1", "#f" };
        const char *tail = tails[rnd(N(tails))];
        memcpy(url + n, tail, strlen(tail));
        n += strlen(tail);
        bool want = false;
        for (size_t k = 0; k < N(approved); k++)
            want |= ppi_url_approves(approved[k], strlen(approved[k]), url, n);
        ck_assert_msg(ppi_integration_approved(p, two, url, n) == want, "%.*s", (int)n,
                      url);
    }
    pp_policy_free(p);
}
END_TEST

/* Organizations sharing a fingerprint each get their finding, in policy
 * order, whatever the number of other canaries. */
START_TEST(test_index_canary_findings_in_policy_order)
{
    size_t cap = 4096 + 3 * 200 * 24, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len, "version: 1\norganizations:\n");
    static const char *const orgs[] = { "zeta", "alpha", "mid" };
    for (int o = 0; o < 3; o++) {
        len += (size_t)snprintf(text + len, cap - len, "  - name: %s\n    canary_tokens:\n",
                                orgs[o]);
        for (int i = 0; i < 200; i++)
            len += (size_t)snprintf(text + len, cap - len, "      - '%016x'\n",
                                    o == 1 && i == 50 ? 0xdecaf : o * 1000 + i + 1);
        if (o != 1)
            len += (size_t)snprintf(text + len, cap - len, "      - '%016x'\n", 0xdecaf);
    }
    pp_policy *p = NULL;
    pp_error err;
    ck_assert_msg(pp_policy_load(&p, text, len, NULL, &err) == PP_OK, "%s", err.message);
    uint32_t i = ppi_canary_first(p, 0xdecaf);
    for (int o = 0; o < 3; o++) {
        ck_assert_uint_ne(i, PPI_NONE);
        ck_assert_str_eq(p->orgs[p->canary_org[i]].name, orgs[o]);
        i = p->canary_next[i];
    }
    ck_assert_uint_eq(i, PPI_NONE);
    ck_assert_uint_eq(ppi_canary_first(p, 0xbad), PPI_NONE);
    ck_assert_uint_ne(ppi_canary_first(p, 2001), PPI_NONE);
    pp_policy_free(p);
    free(text);
}
END_TEST

/* An API user's granted actions are computed once, from every scope. */
START_TEST(test_index_api_user_actions_from_scopes)
{
    ppi_str scopes[] = { { S("devices:*") }, { S("teams.users:*") }, { NULL, 0 } };
    uint16_t a = ppi_scope_actions(scopes);
    for (int action = 0; pp_action_name(action) != NULL; action++) {
        bool granted = false;
        for (size_t k = 0; pp_action_scope(action, k) != NULL; k++)
            for (size_t s = 0; scopes[s].ptr != NULL; s++)
                granted |= pp_scope_grants(scopes[s].ptr, scopes[s].len,
                                           S(pp_action_scope(action, k))) == 1;
        ck_assert_msg(((a >> action) & 1) == granted, "%s", pp_action_name(action));
    }
    ck_assert(a & (1u << PP_ACTION_MANAGE_TEAM));
    ck_assert(!(a & (1u << PP_ACTION_BILLING)));
    ppi_str none[] = { { NULL, 0 } };
    ck_assert_uint_eq(ppi_scope_actions(none), 0);
}
END_TEST

Suite *index_suite(void)
{
    Suite *s = suite_create("index");
    TCase *tc = tcase_create("bounded");
    tcase_add_test(tc, test_index_bounded_probe_refuses_keys_no_seed_spreads);
    tcase_add_test(tc, test_index_keys_clustered_under_one_seed_are_rebuilt_under_the_next);
    tcase_add_test(tc, test_index_equal_keys_refused_first_or_last);
    tcase_add_test(tc, test_index_empty_table_finds_nothing);
    tcase_add_test(tc, test_index_products_picked_to_collide_load_and_stay_fast);
    tcase_add_test(tc, test_index_team_names_picked_to_collide_stay_found);
    tcase_add_test(tc, test_index_member_of_a_colliding_team_is_not_in_another);
    suite_add_tcase(s, tc);
    tc = tcase_create("lookups");
    /* Scans under valgrind or -O0 coverage on a loaded machine take a while. */
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_index_sku_lookup_agrees_with_a_scan, 0, 4);
    tcase_add_test(tc, test_index_sku_rows_list_few_short_prefixes);
    tcase_add_test(tc, test_index_platform_and_family_lookups_agree_with_a_scan);
    tcase_add_test(tc, test_index_integration_lookup_agrees_with_a_scan);
    tcase_add_test(tc, test_index_canary_findings_in_policy_order);
    tcase_add_test(tc, test_index_api_user_actions_from_scopes);
    suite_add_tcase(s, tc);
    return s;
}
