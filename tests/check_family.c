/* Platforms, SKUs and device families (lib/family.c, docs/spec.md §5).  The
 * tables below are the cases the domain contract and its sources name; the
 * matrix test checks every pair of models against every other pair, both on
 * the internal table and through the public pp_may_share. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "suites.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define BY_SKU PP_PLATFORM_UNSPECIFIED

/* ---- helpers ---- */

typedef struct model_row {
    uint32_t platform;
    const char *sku; /* NULL: none */
} model_row;

static pp_model model_of(model_row r)
{
    pp_model m = { r.platform, r.sku, r.sku != NULL ? strlen(r.sku) : 0 };
    return m;
}

/* Build (again) the lookups of a table whose entries are in place. */
static void index_table(ppi_families *t, ppi_arena *arena)
{
    const char *table = NULL;
    ck_assert_int_eq(ppi_families_index(t, arena, arena, &table), PP_OK);
}

static void builtin_open(ppi_arena *arena, ppi_families *t)
{
    ppi_arena_init(arena, NULL);
    ck_assert_int_eq(ppi_families_builtin(t, arena, 0, 0, 0), PP_OK);
    index_table(t, arena);
}

/* Family name by index, NULL for -1. */
static const char *family_of(const ppi_families *t, int32_t family)
{
    ck_assert_int_lt(family, (int32_t)t->nnames);
    return family < 0 ? NULL : t->names[family];
}

static bool same_name(const char *a, const char *b)
{
    return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static const char *show(const char *s)
{
    return s != NULL ? s : "(none)";
}

static pp_policy *load(const char *text)
{
    pp_policy *p = NULL;
    pp_error err;
    memset(&err, 0, sizeof err);
    int rc = pp_policy_load(&p, text, strlen(text), NULL, &err);
    ck_assert_msg(rc == PP_OK, "policy load failed: %d at %u:%u: %s", rc,
                  (unsigned)err.line, (unsigned)err.column, err.message);
    ck_assert_ptr_nonnull(p);
    return p;
}

static pp_policy *load_empty(void)
{
    pp_policy *p = NULL;
    pp_error err;
    memset(&err, 0, sizeof err);
    int rc = pp_policy_load(&p, "version: 1\n", 11, NULL, &err);
    ck_assert_msg(rc == PP_OK, "empty policy load failed: %d: %s", rc, err.message);
    ck_assert_ptr_nonnull(p);
    return p;
}

/* ---- the built-in families ---- */

/* The platform table itself is held against Particle's published data in
 * check_hardware.c. */
START_TEST(test_family_builtin_families_in_index_order)
{
    static const char *const families[] = {
        "photon", "p1", "electron", "argon", "boron", "esomx", "bsom",
        "b5som", "tracker", "trackerm", "p2", "photon2", "msom", "electron2",
        "sulu", "tachyon", "linux",
    };
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    ck_assert_uint_eq(t.nnames, COUNT(families));
    for (uint32_t i = 0; i < COUNT(families); i++) {
        ck_assert_str_eq(t.names[i], families[i]);
        ck_assert_int_eq(ppi_family_find(&t, families[i], strlen(families[i])),
                         (int32_t)i);
    }
    ck_assert_ptr_null(ppi_platform_find(&t, 1));
    ck_assert_ptr_null(ppi_platform_find(&t, BY_SKU));
    ppi_arena_free_all(&arena);
}
END_TEST

/* ---- table construction ---- */

static bool disjoint(const void *a, size_t alen, const void *b, size_t blen)
{
    const char *pa = a, *pb = b;
    return pa + alen <= pb || pb + blen <= pa;
}

START_TEST(test_family_builtin_leaves_room_for_policy_entries)
{
    ppi_arena arena;
    ppi_families t, plain;
    ppi_arena_init(&arena, NULL);
    ck_assert_int_eq(ppi_families_builtin(&plain, &arena, 0, 0, 0), PP_OK);
    ck_assert_int_eq(ppi_families_builtin(&t, &arena, 3, 5, 2), PP_OK);
    /* Counts are the built-in ones: the extra room is the loader's. */
    ck_assert_uint_eq(t.nplatforms, plain.nplatforms);
    ck_assert_uint_eq(t.nskus, plain.nskus);
    ck_assert_uint_eq(t.nnames, plain.nnames);

    /* The room is there: the arrays, spare slots included, overlap neither
     * each other nor what the arena hands out next, and start zeroed. */
    size_t pl = (t.nplatforms + 3) * sizeof *t.platforms;
    size_t sk = (t.nskus + 5) * sizeof *t.skus;
    size_t nm = (t.nnames + 2) * sizeof *t.names;
    void *next = ppi_arena_alloc(&arena, 64);
    ck_assert_ptr_nonnull(next);
    ck_assert(disjoint(t.platforms, pl, t.skus, sk));
    ck_assert(disjoint(t.platforms, pl, t.names, nm));
    ck_assert(disjoint(t.skus, sk, t.names, nm));
    ck_assert(disjoint(next, 64, t.platforms, pl));
    ck_assert(disjoint(next, 64, t.skus, sk));
    ck_assert(disjoint(next, 64, t.names, nm));
    ck_assert_uint_eq(t.platforms[t.nplatforms + 2].id, 0);
    ck_assert_ptr_null(t.skus[t.nskus + 4].prefix);
    ck_assert_ptr_null(t.names[t.nnames + 1]);

    /* The loader appends into the spare slots and bumps the counts. */
    t.names[t.nnames++] = "other";
    t.names[t.nnames++] = "nextgen";
    t.platforms[t.nplatforms++] = (ppi_platform){ 41, "a", true, 0 };
    t.platforms[t.nplatforms++] = (ppi_platform){ 42, "b", true, 0 };
    t.platforms[t.nplatforms++] = (ppi_platform){ 40, "nextgen", true,
                                                  (int32_t)t.nnames - 1 };
    for (int i = 0; i < 4; i++)
        t.skus[t.nskus++] = (ppi_sku){ "QQ", 2, 41, 0, -1 };
    t.skus[t.nskus++] = (ppi_sku){ "NG1", 3, 40, (int32_t)t.nnames - 1, -1 };
    index_table(&t, &arena);

    ck_assert_int_eq(ppi_family_find(&t, "nextgen", 7), (int32_t)t.nnames - 1);
    ppi_model m;
    ppi_model_resolve(&m, &t, BY_SKU, "ng1-rev2", 8);
    ck_assert_int_eq(m.status, PPI_MODEL_RESOLVED);
    ck_assert_uint_eq(m.platform_id, 40);
    ck_assert_str_eq(family_of(&t, m.family), "nextgen");
    /* The built-in part is intact. */
    ppi_model_resolve(&m, &t, BY_SKU, "B524MEA", 7);
    ck_assert_str_eq(family_of(&t, m.family), "b5som");
    ppi_arena_free_all(&arena);
}
END_TEST

static void *failing_alloc(void *opaque, size_t size)
{
    (void)opaque;
    (void)size;
    return NULL;
}

static void no_free(void *opaque, void *ptr)
{
    (void)opaque;
    ck_assert_ptr_null(ptr);
}

START_TEST(test_family_builtin_reports_allocation_failure)
{
    pp_allocator hook = { failing_alloc, no_free, NULL };
    ppi_arena arena;
    ppi_families t;
    ppi_arena_init(&arena, &hook);
    ck_assert_int_eq(ppi_families_builtin(&t, &arena, 0, 0, 0), PP_ERR_NOMEM);
    ck_assert_uint_eq(t.nplatforms, 0);
    ck_assert_uint_eq(t.nskus, 0);
    ck_assert_uint_eq(t.nnames, 0);
    ppi_arena_free_all(&arena);
}
END_TEST

START_TEST(test_family_builtin_rejects_counts_beyond_uint32)
{
    ppi_arena arena;
    ppi_families t;
    ppi_arena_init(&arena, NULL);
    ck_assert_int_eq(ppi_families_builtin(&t, &arena, UINT32_MAX, 0, 0), PP_ERR_NOMEM);
    ck_assert_int_eq(ppi_families_builtin(&t, &arena, 0, UINT32_MAX, 0), PP_ERR_NOMEM);
    ck_assert_int_eq(ppi_families_builtin(&t, &arena, 0, 0, UINT32_MAX), PP_ERR_NOMEM);
    ck_assert_int_eq(ppi_families_builtin(NULL, &arena, 0, 0, 0),
                     PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(ppi_families_builtin(&t, NULL, 0, 0, 0), PP_ERR_INVALID_ARGUMENT);
    ppi_arena_free_all(&arena);
}
END_TEST

/* ---- lookups ---- */

static const struct sku_row {
    const char *sku;
    const char *prefix; /* the longest matching prefix, NULL: none */
} sku_rows[] = {
    { "E404XMEA", "E404X" },   /* E404X beats E4 */
    { "e404xmea", "E404X" },
    { "E404MEA", "E4" },
    { "E4", "E4" },            /* a SKU equal to the prefix */
    { "ELC504EM", "ELC5" },    /* ELC5 beats ELC */
    { "ELC314", "ELC" },
    { "B404XMEA", "B40" },
    { "PHN2MEA", "PHN2" },
    { "P2MOD10", "P2" },
    { "Phn1Kit", "PHN" },
    { "PHNTRAYH", "PHN" },     /* Photon trays */
    { "PHOTONH", "PHOTON" },
    { "MUON404", "MUON" },
    { "mon404e01c01kit", "MON" },
    { "P0MOD10", "P0" },       /* the Photon's module */
    { "SPKBTTN", "SPKBTTN" },  /* kits that do not name their module */
    { "ASSET3G270V2", "ASSET3G" },
    { "SNSRKIT3G260", "SNSRKIT3G" },
    { "SNSRKIT", NULL },
    { "B504EMEA", "B5" },
    { "T404MEA", "T4" },
    { "E", NULL },             /* shorter than every prefix */
    { "PH", NULL },
    { "", NULL },
    { "ZZZ999", NULL },
    { "XE", NULL },
};

START_TEST(test_family_sku_longest_case_insensitive_prefix_wins)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    const struct sku_row *r = &sku_rows[_i];
    const ppi_sku *s = ppi_sku_find(&t, r->sku, strlen(r->sku));
    ck_assert_msg(same_name(s != NULL ? s->prefix : NULL, r->prefix),
                  "%s: prefix %s, want %s", r->sku, show(s ? s->prefix : NULL),
                  show(r->prefix));
    if (s != NULL)
        ck_assert_uint_eq(s->prefix_len, strlen(s->prefix));
    ppi_arena_free_all(&arena);
}
END_TEST

START_TEST(test_family_sku_find_without_sku_finds_nothing)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    ck_assert_ptr_null(ppi_sku_find(&t, NULL, 0));
    ck_assert_ptr_null(ppi_sku_find(&t, NULL, 8));
    /* The length bounds the match: "E404X" is not read past 3 bytes. */
    const ppi_sku *s = ppi_sku_find(&t, "E404XMEA", 3);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s->prefix, "E4");
    ppi_arena_free_all(&arena);
}
END_TEST

START_TEST(test_family_find_matches_names_exactly)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    ck_assert_int_eq(ppi_family_find(&t, "tracker", 7), 8);
    ck_assert_int_eq(ppi_family_find(&t, "trackerm", 7), 8); /* length bounds it */
    ck_assert_int_eq(ppi_family_find(&t, "trackerm", 8), 9);
    ck_assert_int_eq(ppi_family_find(&t, "photon2", 7), 11);
    ck_assert_int_eq(ppi_family_find(&t, "Tracker", 7), -1);
    ck_assert_int_eq(ppi_family_find(&t, "track", 5), -1);
    ck_assert_int_eq(ppi_family_find(&t, "core", 4), -1);   /* not eligible */
    ck_assert_int_eq(ppi_family_find(&t, "xenon", 5), -1);
    ck_assert_int_eq(ppi_family_find(&t, "asom", 4), -1);
    ck_assert_int_eq(ppi_family_find(&t, "", 0), -1);
    ck_assert_int_eq(ppi_family_find(&t, NULL, 0), -1);
    ppi_arena_free_all(&arena);
}
END_TEST

START_TEST(test_family_platform_find_name_ignores_case)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    const ppi_platform *p = ppi_platform_find_name(&t, "BSoM", 4);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(p->id, 23);
    p = ppi_platform_find_name(&t, "P2", 2);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(p->id, 32);
    ck_assert_ptr_null(ppi_platform_find_name(&t, "bso", 3));
    ck_assert_ptr_null(ppi_platform_find_name(&t, "bsomx", 5));
    ck_assert_ptr_null(ppi_platform_find_name(&t, "photon2", 7)); /* a family only */
    ck_assert_ptr_null(ppi_platform_find_name(&t, "bsom\0", 5));
    ck_assert_ptr_null(ppi_platform_find_name(&t, NULL, 0));
    ppi_arena_free_all(&arena);
}
END_TEST

START_TEST(test_family_platform_may_be_family_only_through_its_skus)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    int32_t p2 = ppi_family_find(&t, "p2", 2);
    int32_t photon2 = ppi_family_find(&t, "photon2", 7);
    int32_t bsom = ppi_family_find(&t, "bsom", 4);
    int32_t tracker = ppi_family_find(&t, "tracker", 7);
    ck_assert(ppi_platform_may_be_family(&t, 32, p2));
    ck_assert(ppi_platform_may_be_family(&t, 32, photon2));
    ck_assert(!ppi_platform_may_be_family(&t, 32, tracker));
    ck_assert(!ppi_platform_may_be_family(&t, 32, -1));
    ck_assert(ppi_platform_may_be_family(&t, 23, bsom));
    ck_assert(!ppi_platform_may_be_family(&t, 25, bsom));
    ck_assert(!ppi_platform_may_be_family(&t, 99, p2));
    ppi_arena_free_all(&arena);
}
END_TEST

START_TEST(test_family_later_entries_win_over_builtin_ones)
{
    ppi_arena arena;
    ppi_families t;
    ppi_arena_init(&arena, NULL);
    ck_assert_int_eq(ppi_families_builtin(&t, &arena, 1, 1, 0), PP_OK);
    index_table(&t, &arena);
    int32_t electron = ppi_family_find(&t, "electron", 8);
    /* A policy moving E404X SKUs back to the Electron platform, lower case. */
    t.skus[t.nskus++] = (ppi_sku){ "e404x", 5, 10, electron, -1 };
    t.platforms[t.nplatforms++] = (ppi_platform){ 14, "xenon", true, electron };
    index_table(&t, &arena);

    ppi_model m;
    ppi_model_resolve(&m, &t, BY_SKU, "E404XMEA", 8);
    ck_assert_int_eq(m.status, PPI_MODEL_RESOLVED);
    ck_assert_uint_eq(m.platform_id, 10);
    ck_assert_int_eq(m.family, electron);
    ppi_model_resolve(&m, &t, 14, NULL, 0);
    ck_assert_int_eq(m.status, PPI_MODEL_RESOLVED);
    ck_assert_int_eq(m.family, electron);
    ppi_arena_free_all(&arena);
}
END_TEST

/* ---- model resolution ---- */

static const struct resolve_row {
    const char *what;
    model_row model;
    ppi_model_status status;
    uint32_t platform;  /* resolved platform */
    const char *family; /* NULL: -1 */
} resolve_rows[] = {
    { "platform alone", { 6, NULL }, PPI_MODEL_RESOLVED, 6, "photon" },
    { "platform and its SKU", { 10, "E260" }, PPI_MODEL_RESOLVED, 10, "electron" },
    { "platform from the SKU", { BY_SKU, "E404" }, PPI_MODEL_RESOLVED, 10, "electron" },
    { "E404X is esomx", { BY_SKU, "E404XMEA" }, PPI_MODEL_RESOLVED, 15, "esomx" },
    { "B404X is bsom", { BY_SKU, "B404XMEA" }, PPI_MODEL_RESOLVED, 23, "bsom" },
    { "B524 is b5som", { 25, "B524MEA" }, PPI_MODEL_RESOLVED, 25, "b5som" },
    { "P2 by SKU", { 32, "P2MOD10" }, PPI_MODEL_RESOLVED, 32, "p2" },
    { "Photon 2 by SKU", { 32, "PHN2MEA" }, PPI_MODEL_RESOLVED, 32, "photon2" },
    { "Photon 2 by SKU alone", { BY_SKU, "PHN2EDGEKIT" }, PPI_MODEL_RESOLVED, 32, "photon2" },
    { "lower-case SKU", { 32, "p2mod10" }, PPI_MODEL_RESOLVED, 32, "p2" },
    { "Muon", { BY_SKU, "muon404" }, PPI_MODEL_RESOLVED, 35, "msom" },
    { "Monitor One", { 26, "MON404E01C01KIT" }, PPI_MODEL_RESOLVED, 26, "tracker" },
    { "Electron 2", { BY_SKU, "ELC504EM" }, PPI_MODEL_RESOLVED, 37, "electron2" },
    { "unknown SKU ignored", { 13, "ZZZ9" }, PPI_MODEL_RESOLVED, 13, "boron" },
    { "platform 32 without SKU", { 32, NULL }, PPI_MODEL_NEEDS_SKU, 32, NULL },
    { "platform 32, unknown SKU", { 32, "ZZZ9" }, PPI_MODEL_NEEDS_SKU, 32, NULL },
    { "core", { 0, NULL }, PPI_MODEL_NOT_ELIGIBLE, 0, NULL },
    { "xenon", { 14, NULL }, PPI_MODEL_NOT_ELIGIBLE, 14, NULL },
    { "xenon by SKU", { BY_SKU, "XENKIT" }, PPI_MODEL_NOT_ELIGIBLE, 14, NULL },
    { "asom", { 22, NULL }, PPI_MODEL_NOT_ELIGIBLE, 22, NULL },
    { "duo", { 88, NULL }, PPI_MODEL_NOT_ELIGIBLE, 88, NULL },
    { "tachyon, its own family", { 42, "TACH8NA" }, PPI_MODEL_RESOLVED, 42, "tachyon" },
    /* Rule 3 before rule 4: not eligible whatever the SKU says. */
    { "xenon with a B SoM SKU", { 14, "B524MEA" }, PPI_MODEL_NOT_ELIGIBLE, 14, NULL },
    { "E404X SKU on Electron", { 10, "E404XMEA" }, PPI_MODEL_CONTRADICTS, 10, NULL },
    { "B524 SKU on bsom", { 23, "B524MEA" }, PPI_MODEL_CONTRADICTS, 23, NULL },
    { "ELC5 SKU on Electron", { 10, "ELC504EM" }, PPI_MODEL_CONTRADICTS, 10, NULL },
    { "M-SoM SKU on tracker", { 26, "M404MEA" }, PPI_MODEL_CONTRADICTS, 26, NULL },
    { "xenon SKU on bsom", { 23, "XENKIT" }, PPI_MODEL_CONTRADICTS, 23, NULL },
    { "known SKU, unknown platform", { 99, "B524MEA" }, PPI_MODEL_CONTRADICTS, 99, NULL },
    { "unknown platform", { 99, NULL }, PPI_MODEL_UNKNOWN_PLATFORM, 99, NULL },
    { "unknown platform, unknown SKU", { 99, "ZZZ" }, PPI_MODEL_UNKNOWN_PLATFORM, 99, NULL },
    { "neither platform nor SKU", { BY_SKU, NULL }, PPI_MODEL_UNKNOWN_PLATFORM, BY_SKU, NULL },
    { "unknown SKU alone", { BY_SKU, "ZZZ" }, PPI_MODEL_UNKNOWN_PLATFORM, BY_SKU, NULL },
};

START_TEST(test_family_model_resolves_per_spec)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    const struct resolve_row *r = &resolve_rows[_i];
    ppi_model m;
    ppi_model_resolve(&m, &t, r->model.platform, r->model.sku,
                      r->model.sku != NULL ? strlen(r->model.sku) : 0);
    ck_assert_msg(m.status == r->status, "%s: status %d, want %d", r->what,
                  (int)m.status, (int)r->status);
    ck_assert_msg(m.platform_id == r->platform, "%s: platform %u, want %u",
                  r->what, (unsigned)m.platform_id, (unsigned)r->platform);
    ck_assert_msg(same_name(family_of(&t, m.family), r->family),
                  "%s: family %s, want %s", r->what,
                  show(family_of(&t, m.family)), show(r->family));
    ppi_arena_free_all(&arena);
}
END_TEST

/* ---- the whole family matrix ---- */

/* Every model of every built-in eligible family: two models may share a
 * product exactly when they are in the same row group. */
static const struct member_row {
    const char *family;
    model_row model;
} members[] = {
    { "photon", { 6, NULL } },         { "photon", { 6, "PHOTONH" } },
    { "photon", { BY_SKU, "PHN1KIT" } }, { "photon", { BY_SKU, "P0REEL" } },
    { "photon", { 6, "SPKBTTN" } },
    { "p1", { 8, NULL } },             { "p1", { BY_SKU, "P1REEL" } },
    { "electron", { 10, NULL } },      { "electron", { 10, "E260" } },
    { "electron", { 10, "E270" } },    { "electron", { 10, "E350" } },
    { "electron", { BY_SKU, "E201" } }, { "electron", { BY_SKU, "E310" } },
    { "electron", { BY_SKU, "E313" } }, { "electron", { BY_SKU, "E314" } },
    { "electron", { BY_SKU, "E402" } }, { "electron", { BY_SKU, "E404" } },
    { "electron", { BY_SKU, "ELC314" } }, { "electron", { 10, "e404mea" } },
    { "electron", { BY_SKU, "ASSET2GV2" } }, { "electron", { BY_SKU, "SNSRKIT3G270" } },
    { "argon", { 12, NULL } },         { "argon", { BY_SKU, "ARGNKIT" } },
    { "boron", { 13, NULL } },         { "boron", { BY_SKU, "BRN404X" } },
    { "esomx", { 15, NULL } },         { "esomx", { BY_SKU, "E404XMEA" } },
    { "esomx", { 15, "e404xtray50" } },
    { "bsom", { 23, NULL } },          { "bsom", { BY_SKU, "B402MEA" } },
    { "bsom", { BY_SKU, "B404MEA" } }, { "bsom", { BY_SKU, "B404XMEA" } },
    { "b5som", { 25, NULL } },         { "b5som", { BY_SKU, "B523MEA" } },
    { "b5som", { 25, "b524mea" } },   { "b5som", { BY_SKU, "B504EMEA" } },
    { "tracker", { 26, NULL } },       { "tracker", { BY_SKU, "T402MEA" } },
    { "tracker", { BY_SKU, "T404MEA" } }, { "tracker", { BY_SKU, "T523MEA" } },
    { "tracker", { BY_SKU, "T524MEA" } }, { "tracker", { BY_SKU, "ONE402MEA" } },
    { "tracker", { BY_SKU, "ONE404MEA" } }, { "tracker", { BY_SKU, "ONE523MEA" } },
    { "tracker", { BY_SKU, "ONE524MEA" } }, { "tracker", { BY_SKU, "MON404E01C01KIT" } },
    { "trackerm", { 28, NULL } },      { "trackerm", { 28, "ZZZ9" } },
    { "p2", { 32, "P2MOD10" } },       { "p2", { BY_SKU, "P2REEL" } },
    { "p2", { 32, "p2mod10" } },
    { "photon2", { 32, "PHN2MEA" } },  { "photon2", { BY_SKU, "PHN2EDGEKIT" } },
    { "photon2", { 32, "phn2mea" } },
    { "msom", { 35, NULL } },          { "msom", { BY_SKU, "M404MEA" } },
    { "msom", { BY_SKU, "M524MEA" } }, { "msom", { BY_SKU, "M635MEA" } },
    { "msom", { BY_SKU, "MUON404" } }, { "msom", { 35, "Muon524" } },
    { "electron2", { 37, NULL } },     { "electron2", { BY_SKU, "ELC504EM" } },
    { "electron2", { BY_SKU, "ELC524EM" } },
    { "sulu", { 38, NULL } },          { "sulu", { 38, "ZZZ9" } },
    { "tachyon", { 42, NULL } },       { "tachyon", { 42, "TACH4ROW" } },
    { "linux", { 43, NULL } },         { "linux", { 43, "ZZZ9" } },
};

static const char *model_text(char *buf, size_t size, model_row m)
{
    snprintf(buf, size, "%u/%s", (unsigned)m.platform, show(m.sku));
    return buf;
}

START_TEST(test_family_matrix_covers_every_builtin_family_twice)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    for (uint32_t f = 0; f < t.nnames; f++) {
        size_t n = 0;
        for (size_t i = 0; i < COUNT(members); i++)
            n += strcmp(members[i].family, t.names[f]) == 0;
        ck_assert_msg(n >= 2, "family %s has %zu models in the matrix", t.names[f], n);
    }
    ppi_arena_free_all(&arena);
}
END_TEST

/* Row _i against every row, on the internal table. */
START_TEST(test_family_matrix_internal_same_family_iff_same_group)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    const struct member_row *a = &members[_i];
    char ta[64], tb[64];
    ppi_model ma, mb;
    ppi_model_resolve(&ma, &t, a->model.platform, a->model.sku,
                      a->model.sku != NULL ? strlen(a->model.sku) : 0);
    ck_assert_msg(ma.status == PPI_MODEL_RESOLVED, "%s: status %d",
                  model_text(ta, sizeof ta, a->model), (int)ma.status);
    ck_assert_msg(ma.family == ppi_family_find(&t, a->family, strlen(a->family)),
                  "%s: family %s, want %s", model_text(ta, sizeof ta, a->model),
                  show(family_of(&t, ma.family)), a->family);
    for (size_t j = 0; j < COUNT(members); j++) {
        const struct member_row *b = &members[j];
        ppi_model_resolve(&mb, &t, b->model.platform, b->model.sku,
                          b->model.sku != NULL ? strlen(b->model.sku) : 0);
        ck_assert_int_eq(mb.status, PPI_MODEL_RESOLVED);
        bool want = strcmp(a->family, b->family) == 0;
        ck_assert_msg((ma.family == mb.family) == want, "%s vs %s: share %d, want %d",
                      model_text(ta, sizeof ta, a->model),
                      model_text(tb, sizeof tb, b->model), !want, want);
    }
    ppi_arena_free_all(&arena);
}
END_TEST

/* Row _i against every row, through the public API. */
START_TEST(test_family_matrix_may_share_same_family_iff_same_group)
{
    pp_policy *p = load_empty();
    const struct member_row *a = &members[_i];
    pp_model ma = model_of(a->model);
    char ta[64], tb[64];
    for (size_t j = 0; j < COUNT(members); j++) {
        const struct member_row *b = &members[j];
        pp_model mb = model_of(b->model);
        pp_verdict v;
        ck_assert_int_eq(pp_may_share(&v, p, &ma, &mb), PP_OK);
        bool want = strcmp(a->family, b->family) == 0;
        ck_assert_msg(v.allowed == want &&
                          v.reason == (want ? PP_REASON_SAME_FAMILY
                                            : PP_REASON_DIFFERENT_FAMILIES),
                      "%s vs %s: allowed %d reason %s", model_text(ta, sizeof ta, a->model),
                      model_text(tb, sizeof tb, b->model), v.allowed,
                      show(pp_reason_name(v.reason)));
        ck_assert_str_eq(show(pp_family_name(p, v.family_a)), a->family);
        ck_assert_str_eq(show(pp_family_name(p, v.family_b)), b->family);
    }
    pp_policy_free(p);
}
END_TEST

/* ---- the cases docs/spec.md §5 names ---- */

static const struct share_row {
    const char *what;
    model_row a, b;
    pp_reason reason; /* allowed exactly when same_family */
} share_rows[] = {
    { "Photon and P1 are separate", { 6, NULL }, { 8, NULL }, PP_REASON_DIFFERENT_FAMILIES },
    { "Photon and P1 by SKU", { BY_SKU, "PHOTONH" }, { BY_SKU, "P1REEL" },
      PP_REASON_DIFFERENT_FAMILIES },
    { "Boron is not with B SoM", { 13, NULL }, { 23, NULL }, PP_REASON_DIFFERENT_FAMILIES },
    { "B402 not with B523", { BY_SKU, "B402MEA" }, { BY_SKU, "B523MEA" },
      PP_REASON_DIFFERENT_FAMILIES },
    { "B404 not with B524", { BY_SKU, "B404MEA" }, { BY_SKU, "B524MEA" },
      PP_REASON_DIFFERENT_FAMILIES },
    { "B404X not with B524", { 23, "B404XMEA" }, { 25, "B524MEA" },
      PP_REASON_DIFFERENT_FAMILIES },
    { "B402 with B404X", { BY_SKU, "B402MEA" }, { BY_SKU, "B404XMEA" }, PP_REASON_SAME_FAMILY },
    { "B523 with B524", { BY_SKU, "B523MEA" }, { BY_SKU, "B524MEA" }, PP_REASON_SAME_FAMILY },
    { "Electron with E402", { 10, NULL }, { BY_SKU, "E402TRACKER" }, PP_REASON_SAME_FAMILY },
    { "Electron with E201", { 10, "E260" }, { BY_SKU, "E201" }, PP_REASON_SAME_FAMILY },
    { "E404 with Electron", { BY_SKU, "E404MEA" }, { 10, "E350" }, PP_REASON_SAME_FAMILY },
    { "Electron not with E404X", { 10, NULL }, { BY_SKU, "E404XMEA" },
      PP_REASON_DIFFERENT_FAMILIES },
    { "E404 not with E404X", { BY_SKU, "E404MEA" }, { BY_SKU, "E404XMEA" },
      PP_REASON_DIFFERENT_FAMILIES },
    { "Electron not with Electron 2", { 10, NULL }, { 37, NULL },
      PP_REASON_DIFFERENT_FAMILIES },
    { "Tracker SoM with Tracker One", { BY_SKU, "T404MEA" }, { BY_SKU, "ONE524MEA" },
      PP_REASON_SAME_FAMILY },
    { "Monitor One with Tracker SoM", { BY_SKU, "MON404E01C01KIT" }, { BY_SKU, "T523MEA" },
      PP_REASON_SAME_FAMILY },
    { "Tracker One with platform 26", { BY_SKU, "ONE402MEA" }, { 26, NULL },
      PP_REASON_SAME_FAMILY },
    { "Tracker not with Tracker M", { 26, NULL }, { 28, NULL },
      PP_REASON_DIFFERENT_FAMILIES },
    { "P2 not with Photon 2", { 32, "P2MOD10" }, { 32, "PHN2MEA" },
      PP_REASON_DIFFERENT_FAMILIES },
    { "P2 with P2", { 32, "P2MOD10" }, { BY_SKU, "P2REEL" }, PP_REASON_SAME_FAMILY },
    { "Photon 2 with Photon 2", { BY_SKU, "PHN2MEA" }, { 32, "PHN2EDGEKIT" },
      PP_REASON_SAME_FAMILY },
    { "platform 32 without SKU", { 32, NULL }, { 32, "P2MOD10" }, PP_REASON_SKU_REQUIRED },
    { "platform 32 without SKU, twice", { 32, NULL }, { 32, NULL }, PP_REASON_SKU_REQUIRED },
    { "platform 32 without SKU second", { 6, NULL }, { 32, NULL }, PP_REASON_SKU_REQUIRED },
    { "platform 32 with an unknown SKU", { 32, "ZZZ9" }, { 32, "PHN2MEA" },
      PP_REASON_SKU_REQUIRED },
    { "Muon with M-SoM", { BY_SKU, "MUON404" }, { 35, NULL }, PP_REASON_SAME_FAMILY },
    { "Muon with M635", { 35, "muon524" }, { BY_SKU, "M635MEA" }, PP_REASON_SAME_FAMILY },
    { "Core not eligible", { 0, NULL }, { 6, NULL }, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE },
    { "Xenon not eligible", { 12, NULL }, { 14, NULL },
      PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE },
    { "A-SoM not eligible", { 22, NULL }, { 22, NULL },
      PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE },
    { "Xenon by SKU not eligible", { BY_SKU, "XENKIT" }, { 13, NULL },
      PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE },
    { "Xenon whatever its SKU", { 14, "B524MEA" }, { 25, NULL },
      PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE },
    { "first failing model decides: a", { 0, NULL }, { 32, NULL },
      PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE },
    { "first failing model decides: b", { 32, NULL }, { 0, NULL }, PP_REASON_SKU_REQUIRED },
    { "SKU contradicts platform", { 10, "B524MEA" }, { 25, NULL },
      PP_REASON_INCOMPATIBLE_PLATFORM },
    { "E404X SKU on Electron platform", { 10, NULL }, { 10, "E404XMEA" },
      PP_REASON_INCOMPATIBLE_PLATFORM },
    { "unknown platform", { 6, NULL }, { 99, NULL }, PP_REASON_INCOMPATIBLE_PLATFORM },
    { "unknown SKU alone", { BY_SKU, "ZZZ9" }, { 6, NULL }, PP_REASON_INCOMPATIBLE_PLATFORM },
    { "unknown SKU ignored", { 13, "ZZZ9" }, { 13, NULL }, PP_REASON_SAME_FAMILY },
    { "unknown SKU ignored, other family", { 23, "ZZZ9" }, { 13, NULL },
      PP_REASON_DIFFERENT_FAMILIES },
    { "lower-case SKUs", { BY_SKU, "b524mea" }, { BY_SKU, "B523MEA" }, PP_REASON_SAME_FAMILY },
    { "lower-case E404X", { BY_SKU, "e404xmea" }, { 10, NULL },
      PP_REASON_DIFFERENT_FAMILIES },
};

START_TEST(test_family_may_share_named_cases)
{
    pp_policy *p = load_empty();
    const struct share_row *r = &share_rows[_i];
    pp_model a = model_of(r->a), b = model_of(r->b);
    pp_verdict v;
    memset(&v, 0x55, sizeof v);
    ck_assert_int_eq(pp_may_share(&v, p, &a, &b), PP_OK);
    ck_assert_msg(v.reason == (int32_t)r->reason, "%s: reason %s, want %s", r->what,
                  show(pp_reason_name(v.reason)), show(pp_reason_name((int)r->reason)));
    ck_assert_msg(v.allowed == (r->reason == PP_REASON_SAME_FAMILY), "%s: allowed %d",
                  r->what, v.allowed);
    pp_policy_free(p);
}
END_TEST

/* The internal answer agrees with the public one on the named cases. */
START_TEST(test_family_named_cases_resolve_alike_internally)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    const struct share_row *r = &share_rows[_i];
    ppi_model a, b;
    ppi_model_resolve(&a, &t, r->a.platform, r->a.sku, r->a.sku ? strlen(r->a.sku) : 0);
    ppi_model_resolve(&b, &t, r->b.platform, r->b.sku, r->b.sku ? strlen(r->b.sku) : 0);
    bool both = a.status == PPI_MODEL_RESOLVED && b.status == PPI_MODEL_RESOLVED;
    if (r->reason == PP_REASON_SAME_FAMILY || r->reason == PP_REASON_DIFFERENT_FAMILIES) {
        ck_assert_msg(both, "%s: statuses %d, %d", r->what, (int)a.status, (int)b.status);
        ck_assert_msg((a.family == b.family) == (r->reason == PP_REASON_SAME_FAMILY),
                      "%s: families %d, %d", r->what, a.family, b.family);
    } else {
        ck_assert_msg(!both, "%s: both resolved", r->what);
        ppi_model_status first = a.status != PPI_MODEL_RESOLVED ? a.status : b.status;
        if (r->reason == PP_REASON_SKU_REQUIRED)
            ck_assert_msg(first == PPI_MODEL_NEEDS_SKU, "%s: status %d", r->what, (int)first);
        else if (r->reason == PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE)
            ck_assert_msg(first == PPI_MODEL_NOT_ELIGIBLE, "%s: status %d", r->what,
                          (int)first);
        else
            ck_assert_msg(first == PPI_MODEL_CONTRADICTS ||
                              first == PPI_MODEL_UNKNOWN_PLATFORM,
                          "%s: status %d", r->what, (int)first);
    }
    ppi_arena_free_all(&arena);
}
END_TEST

/* ---- may a model join a product ---- */

static const char products_policy[] =
    "version: 1\n"
    "products:\n"
    "  - {id: 1, name: P2 fleet, family: p2}\n"
    "  - {id: 2, name: Photon 2 fleet, family: photon2}\n"
    "  - {id: 3, name: Trackers, family: tracker}\n"
    "  - {id: 4, name: Cellular, family: electron}\n"
    "  - {id: 5, name: B SoM, family: bsom}\n"
    "  - {id: 4294967295, name: Last, family: msom}\n";

static const struct join_row {
    const char *what;
    uint32_t product;
    model_row model;
    pp_reason reason;          /* allowed exactly when same_family */
    const char *family_a;      /* NULL: -1 */
    const char *family_b;
} join_rows[] = {
    { "unknown product", 999, { 32, "P2MOD10" }, PP_REASON_UNKNOWN_PRODUCT, "p2", NULL },
    { "product 0", 0, { 6, NULL }, PP_REASON_UNKNOWN_PRODUCT, "photon", NULL },
    { "unknown product before eligibility", 999, { 0, NULL }, PP_REASON_UNKNOWN_PRODUCT,
      NULL, NULL },
    { "P2 joins P2", 1, { 32, "P2MOD10" }, PP_REASON_SAME_FAMILY, "p2", "p2" },
    { "P2 by SKU alone", 1, { BY_SKU, "p2reel" }, PP_REASON_SAME_FAMILY, "p2", "p2" },
    { "Photon 2 not in P2", 1, { 32, "PHN2MEA" }, PP_REASON_INCOMPATIBLE_PLATFORM, "photon2",
      "p2" },
    { "Photon 2 joins Photon 2", 2, { 32, "PHN2MEA" }, PP_REASON_SAME_FAMILY, "photon2",
      "photon2" },
    { "P2 not in Photon 2", 2, { BY_SKU, "P2MOD10" }, PP_REASON_INCOMPATIBLE_PLATFORM, "p2",
      "photon2" },
    { "platform 32 without SKU, P2", 1, { 32, NULL }, PP_REASON_SKU_REQUIRED, NULL, "p2" },
    { "platform 32 without SKU, Photon 2", 2, { 32, NULL }, PP_REASON_SKU_REQUIRED, NULL,
      "photon2" },
    { "platform 32, unknown SKU", 1, { 32, "ZZZ9" }, PP_REASON_SKU_REQUIRED, NULL, "p2" },
    { "platform 32 no SKU could fit", 3, { 32, NULL }, PP_REASON_INCOMPATIBLE_PLATFORM, NULL,
      "tracker" },
    { "Tracker One", 3, { BY_SKU, "ONE524MEA" }, PP_REASON_SAME_FAMILY, "tracker", "tracker" },
    { "Monitor One", 3, { 26, "MON404E01C01KIT" }, PP_REASON_SAME_FAMILY, "tracker",
      "tracker" },
    { "Tracker M", 3, { 28, NULL }, PP_REASON_INCOMPATIBLE_PLATFORM, "trackerm", "tracker" },
    { "E Series", 4, { BY_SKU, "E314" }, PP_REASON_SAME_FAMILY, "electron", "electron" },
    { "Electron", 4, { 10, NULL }, PP_REASON_SAME_FAMILY, "electron", "electron" },
    { "E404X", 4, { 15, NULL }, PP_REASON_INCOMPATIBLE_PLATFORM, "esomx", "electron" },
    { "E404X SKU on Electron", 4, { 10, "E404XMEA" }, PP_REASON_INCOMPATIBLE_PLATFORM, NULL,
      "electron" },
    { "B404X", 5, { 23, "b404xmea" }, PP_REASON_SAME_FAMILY, "bsom", "bsom" },
    { "Boron not in B SoM", 5, { 13, NULL }, PP_REASON_INCOMPATIBLE_PLATFORM, "boron",
      "bsom" },
    { "B524 not in B SoM", 5, { BY_SKU, "B524MEA" }, PP_REASON_INCOMPATIBLE_PLATFORM, "b5som",
      "bsom" },
    { "Core", 5, { 0, NULL }, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, NULL, "bsom" },
    { "Xenon with a B SoM SKU", 5, { 14, "B404MEA" },
      PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, NULL, "bsom" },
    { "X-SoM", 5, { 24, NULL }, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE, NULL, "bsom" },
    { "Xenon by SKU", 5, { BY_SKU, "XENNTRAY50" }, PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE,
      NULL, "bsom" },
    { "unknown platform", 5, { 99, NULL }, PP_REASON_INCOMPATIBLE_PLATFORM, NULL, "bsom" },
    { "unknown SKU alone", 5, { BY_SKU, "ZZZ9" }, PP_REASON_INCOMPATIBLE_PLATFORM, NULL,
      "bsom" },
    { "Muon, largest product ID", 4294967295u, { BY_SKU, "MUON404" }, PP_REASON_SAME_FAMILY,
      "msom", "msom" },
};

START_TEST(test_family_may_join_per_rules_2_to_4)
{
    pp_policy *p = load(products_policy);
    const struct join_row *r = &join_rows[_i];
    pp_model m = model_of(r->model);
    pp_verdict v;
    memset(&v, 0x55, sizeof v);
    ck_assert_int_eq(pp_may_join(&v, p, r->product, &m), PP_OK);
    ck_assert_msg(v.reason == (int32_t)r->reason, "%s: reason %s, want %s", r->what,
                  show(pp_reason_name(v.reason)), show(pp_reason_name((int)r->reason)));
    ck_assert_msg(v.allowed == (r->reason == PP_REASON_SAME_FAMILY), "%s: allowed %d",
                  r->what, v.allowed);
    ck_assert_msg(same_name(pp_family_name(p, v.family_a), r->family_a),
                  "%s: family_a %s, want %s", r->what,
                  show(pp_family_name(p, v.family_a)), show(r->family_a));
    ck_assert_msg(same_name(pp_family_name(p, v.family_b), r->family_b),
                  "%s: family_b %s, want %s", r->what,
                  show(pp_family_name(p, v.family_b)), show(r->family_b));
    if (r->family_a == NULL)
        ck_assert_int_eq(v.family_a, -1);
    if (r->family_b == NULL)
        ck_assert_int_eq(v.family_b, -1);
    pp_policy_free(p);
}
END_TEST

/* ---- malformed arguments fail closed ---- */

static void assert_invalid(const pp_verdict *v)
{
    ck_assert_int_eq(v->allowed, 0);
    ck_assert_int_eq(v->reason, PP_REASON_INVALID_INPUT);
    ck_assert_int_eq(v->family_a, -1);
    ck_assert_int_eq(v->family_b, -1);
}

static const struct bad_model_row {
    const char *what;
    pp_model model;
    int code;
} bad_models[] = {
    { "empty SKU", { 32, "", 0 }, PP_ERR_SKU },
    { "SKU with a space", { 32, "P2 MOD", 6 }, PP_ERR_SKU },
    { "SKU with a NUL", { 32, "P2\0MOD", 6 }, PP_ERR_SKU },
    { "SKU too long", { BY_SKU, "B524MEAB524MEAB524MEAB524MEAB524M", 33 }, PP_ERR_SKU },
    { "neither platform nor SKU", { BY_SKU, NULL, 0 }, PP_ERR_PLATFORM },
};

START_TEST(test_family_may_share_rejects_malformed_models)
{
    pp_policy *p = load_empty();
    const struct bad_model_row *r = &bad_models[_i];
    pp_model good = { 6, NULL, 0 };
    pp_verdict v;
    memset(&v, 0x55, sizeof v);
    ck_assert_msg(pp_may_share(&v, p, &r->model, &good) == r->code, "%s as a", r->what);
    assert_invalid(&v);
    memset(&v, 0x55, sizeof v);
    ck_assert_msg(pp_may_share(&v, p, &good, &r->model) == r->code, "%s as b", r->what);
    assert_invalid(&v);
    pp_policy_free(p);
}
END_TEST

START_TEST(test_family_may_join_rejects_malformed_models)
{
    pp_policy *p = load(products_policy);
    const struct bad_model_row *r = &bad_models[_i];
    pp_verdict v;
    memset(&v, 0x55, sizeof v);
    ck_assert_msg(pp_may_join(&v, p, 1, &r->model) == r->code, "%s", r->what);
    assert_invalid(&v);
    pp_policy_free(p);
}
END_TEST

START_TEST(test_family_null_arguments_are_invalid)
{
    pp_policy *p = load_empty();
    pp_model m = { 6, NULL, 0 };
    pp_verdict v;
    memset(&v, 0x55, sizeof v);
    ck_assert_int_eq(pp_may_share(&v, NULL, &m, &m), PP_ERR_INVALID_ARGUMENT);
    assert_invalid(&v);
    memset(&v, 0x55, sizeof v);
    ck_assert_int_eq(pp_may_share(&v, p, NULL, &m), PP_ERR_INVALID_ARGUMENT);
    assert_invalid(&v);
    memset(&v, 0x55, sizeof v);
    ck_assert_int_eq(pp_may_share(&v, p, &m, NULL), PP_ERR_INVALID_ARGUMENT);
    assert_invalid(&v);
    ck_assert_int_eq(pp_may_share(NULL, p, &m, &m), PP_ERR_INVALID_ARGUMENT);

    memset(&v, 0x55, sizeof v);
    ck_assert_int_eq(pp_may_join(&v, NULL, 1, &m), PP_ERR_INVALID_ARGUMENT);
    assert_invalid(&v);
    memset(&v, 0x55, sizeof v);
    ck_assert_int_eq(pp_may_join(&v, p, 1, NULL), PP_ERR_INVALID_ARGUMENT);
    assert_invalid(&v);
    ck_assert_int_eq(pp_may_join(NULL, p, 1, &m), PP_ERR_INVALID_ARGUMENT);
    pp_policy_free(p);
}
END_TEST

/* ---- family names ---- */

START_TEST(test_family_name_lists_builtin_families_then_null)
{
    static const char *const want[] = {
        "photon", "p1", "electron", "argon", "boron", "esomx", "bsom",
        "b5som", "tracker", "trackerm", "p2", "photon2", "msom", "electron2",
        "sulu", "tachyon", "linux",
    };
    pp_policy *p = load_empty();
    for (int i = 0; i < (int)COUNT(want); i++)
        ck_assert_str_eq(show(pp_family_name(p, i)), want[i]);
    ck_assert_ptr_null(pp_family_name(p, (int)COUNT(want)));
    ck_assert_ptr_null(pp_family_name(p, -1));
    ck_assert_ptr_null(pp_family_name(NULL, 0));
    pp_policy_free(p);
}
END_TEST

/* Overriding a built-in platform's family carries its built-in SKUs along:
 * a Boron with and without its BRN SKU must stay in one family. */
START_TEST(test_family_platform_override_moves_its_builtin_skus)
{
    pp_policy *p = load("version: 1\n"
                        "platforms:\n"
                        "  - {id: 13, name: boron, family: boron2}\n"
                        "  - {id: 14, name: xenon, product_eligible: true}\n");
    pp_model bare = { 13, NULL, 0 }, sku = { 13, "BRN404X", 7 };
    pp_model xenon = { 14, NULL, 0 }, xenon_sku = { 14, "XEN10", 5 };
    pp_verdict v;
    ck_assert_int_eq(pp_may_share(&v, p, &bare, &sku), PP_OK);
    ck_assert_int_eq(v.reason, PP_REASON_SAME_FAMILY);
    ck_assert_str_eq(pp_family_name(p, v.family_a), "boron2");
    ck_assert_int_eq(pp_may_share(&v, p, &xenon, &xenon_sku), PP_OK);
    ck_assert_int_eq(v.reason, PP_REASON_SAME_FAMILY);
    ck_assert_str_eq(pp_family_name(p, v.family_b), "xenon");
    pp_policy_free(p);
}
END_TEST

/* Platform IDs below 256 are found by a direct index, the others by a hash
 * table: both find the policy's platforms, the later of a repeated ID,
 * and nothing for an ID nobody declared. */
START_TEST(test_family_platform_ids_either_side_of_the_direct_index)
{
    pp_policy *p = load("version: 1\n"
                        "platforms:\n"
                        "  - {id: 255, name: w255, family: widget}\n"
                        "  - {id: 256, name: w256, family: widget}\n"
                        "  - {id: 70000, name: w70000, family: gadget}\n"
                        "products:\n"
                        "  - {id: 1, name: a, family: widget}\n");
    static const struct {
        uint32_t id;
        const char *name;
    } found[] = { { 0, "core" }, { 13, "boron" }, { 255, "w255" },
                  { 256, "w256" }, { 70000, "w70000" } };
    for (size_t i = 0; i < COUNT(found); i++) {
        const ppi_platform *pl = ppi_platform_find(&p->families, found[i].id);
        ck_assert_ptr_nonnull(pl);
        ck_assert_str_eq(pl->name, found[i].name);
    }
    ck_assert_ptr_null(ppi_platform_find(&p->families, 254));
    ck_assert_ptr_null(ppi_platform_find(&p->families, 257));
    ck_assert_ptr_null(ppi_platform_find(&p->families, PP_PLATFORM_UNSPECIFIED));
    pp_verdict v;
    pp_model m255 = { 255, NULL, 0 }, m256 = { 256, NULL, 0 }, m70000 = { 70000, NULL, 0 };
    ck_assert_int_eq(pp_may_join(&v, p, 1, &m255), PP_OK);
    ck_assert(v.allowed);
    ck_assert_int_eq(pp_may_join(&v, p, 1, &m256), PP_OK);
    ck_assert(v.allowed);
    ck_assert_int_eq(pp_may_join(&v, p, 1, &m70000), PP_OK);
    ck_assert_int_eq(v.reason, PP_REASON_INCOMPATIBLE_PLATFORM);
    pp_policy_free(p);
}
END_TEST

/* A SKU that names a family of its own puts its devices there, whatever
 * the platform's family (docs/policy-format.md, skus[]: "family"): a
 * Tracker platform with a monitor SKU is a monitor, the bare platform a
 * tracker. */
START_TEST(test_family_sku_family_wins_over_its_platforms)
{
    pp_policy *p = load("version: 1\n"
                        "skus:\n"
                        "  - {prefix: MON, platform: tracker, family: monitor}\n"
                        "products:\n"
                        "  - {id: 1, name: Monitors, family: monitor}\n"
                        "  - {id: 2, name: Trackers, family: tracker}\n");
    pp_model mon = { 26, "MON404E01C01KIT", 15 }, bare = { 26, NULL, 0 };
    pp_verdict v;
    ck_assert_int_eq(pp_may_join(&v, p, 1, &mon), PP_OK);
    ck_assert_int_eq(v.reason, PP_REASON_SAME_FAMILY);
    ck_assert_str_eq(pp_family_name(p, v.family_a), "monitor");
    ck_assert_int_eq(pp_may_join(&v, p, 2, &mon), PP_OK);
    ck_assert_int_eq(v.reason, PP_REASON_INCOMPATIBLE_PLATFORM);
    ck_assert_int_eq(pp_may_join(&v, p, 2, &bare), PP_OK);
    ck_assert_int_eq(v.reason, PP_REASON_SAME_FAMILY);
    ck_assert_int_eq(pp_may_share(&v, p, &mon, &bare), PP_OK);
    ck_assert_int_eq(v.reason, PP_REASON_DIFFERENT_FAMILIES);
    pp_policy_free(p);
}
END_TEST

Suite *family_suite(void)
{
    Suite *s = suite_create("family");

    TCase *tc = tcase_create("table");
    tcase_add_test(tc, test_family_builtin_families_in_index_order);
    tcase_add_test(tc, test_family_builtin_leaves_room_for_policy_entries);
    tcase_add_test(tc, test_family_builtin_reports_allocation_failure);
    tcase_add_test(tc, test_family_builtin_rejects_counts_beyond_uint32);
    tcase_add_test(tc, test_family_platform_override_moves_its_builtin_skus);
    tcase_add_test(tc, test_family_sku_family_wins_over_its_platforms);
    suite_add_tcase(s, tc);

    tc = tcase_create("lookup");
    tcase_add_loop_test(tc, test_family_sku_longest_case_insensitive_prefix_wins, 0,
                        COUNT(sku_rows));
    tcase_add_test(tc, test_family_sku_find_without_sku_finds_nothing);
    tcase_add_test(tc, test_family_find_matches_names_exactly);
    tcase_add_test(tc, test_family_platform_find_name_ignores_case);
    tcase_add_test(tc, test_family_platform_ids_either_side_of_the_direct_index);
    tcase_add_test(tc, test_family_platform_may_be_family_only_through_its_skus);
    tcase_add_test(tc, test_family_later_entries_win_over_builtin_ones);
    tcase_add_loop_test(tc, test_family_model_resolves_per_spec, 0, COUNT(resolve_rows));
    suite_add_tcase(s, tc);

    tc = tcase_create("matrix");
    tcase_add_test(tc, test_family_matrix_covers_every_builtin_family_twice);
    tcase_add_loop_test(tc, test_family_matrix_internal_same_family_iff_same_group, 0,
                        COUNT(members));
    tcase_add_loop_test(tc, test_family_matrix_may_share_same_family_iff_same_group, 0,
                        COUNT(members));
    tcase_add_loop_test(tc, test_family_may_share_named_cases, 0, COUNT(share_rows));
    tcase_add_loop_test(tc, test_family_named_cases_resolve_alike_internally, 0,
                        COUNT(share_rows));
    suite_add_tcase(s, tc);

    tc = tcase_create("join");
    tcase_add_loop_test(tc, test_family_may_join_per_rules_2_to_4, 0, COUNT(join_rows));
    tcase_add_loop_test(tc, test_family_may_share_rejects_malformed_models, 0,
                        COUNT(bad_models));
    tcase_add_loop_test(tc, test_family_may_join_rejects_malformed_models, 0,
                        COUNT(bad_models));
    tcase_add_test(tc, test_family_null_arguments_are_invalid);
    tcase_add_test(tc, test_family_name_lists_builtin_families_then_null);
    suite_add_tcase(s, tc);

    return s;
}
