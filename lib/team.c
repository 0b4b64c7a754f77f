/* Team sets built by the caller at run time, for organizations too large or
 * too volatile to list in YAML.  Keys are (organization name, user), hashed
 * like the policy's member index (the user's name under the set's seed,
 * mixed with the organization's name hash, which the policy also keeps).
 * User names come from the caller's sign-ups, so the table bounds its probes
 * like the policy's (index.c): an add that would land too far from home
 * rehashes the set under the next seed, and when no seed spreads the names
 * it is refused with PP_ERR_LIMIT and the set stays as it was. */
#include <string.h>

#include "internal.h"

typedef struct team_entry {
    const char *org;
    const char *user;
    uint32_t org_len;
    uint32_t user_len;
    uint64_t org_hash;      /* ppi_hash_bytes(org), the policy's team seed */
    int role;
} team_entry;

struct pp_team {
    ppi_arena strings;      /* names; entries and slots are resized apart */
    team_entry *entries;
    uint32_t n;
    uint32_t cap;
    ppi_table index;
    uint32_t attempt;       /* the seed index.seed is (ppi_table_seed) */
    const char *last_org;   /* consecutive adds usually share one org */
    uint32_t last_org_len;
};

static bool entry_is(const team_entry *e, const char *org, size_t org_len,
                     const char *user, size_t user_len)
{
    return e->user_len == user_len && e->org_len == org_len &&
           memcmp(e->user, user, user_len) == 0 && memcmp(e->org, org, org_len) == 0;
}

static uint64_t key_hash(const char *user, size_t user_len, uint64_t org_hash,
                         uint64_t seed)
{
    return ppi_hash_mix(ppi_hash_seeded(user, user_len, seed), org_hash);
}

static uint64_t entry_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const team_entry *e = &((const team_entry *)ctx)[i];
    return key_hash(e->user, e->user_len, e->org_hash, seed);
}

/* Entries are unique (an add of a known pair updates it), so a rehash never
 * meets two equal keys. */
static bool entry_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const team_entry *a = &((const team_entry *)ctx)[i], *b = &((const team_entry *)ctx)[j];
    return entry_is(a, b->org, b->org_len, b->user, b->user_len);
}

static ppi_keys entry_keys(const team_entry *entries, uint32_t n)
{
    return (ppi_keys){ entries, n, entry_hash, entry_equal, PPI_DUPS_FIRST };
}

static void *hook_alloc(pp_team *t, size_t size)
{
    return t->strings.hook.alloc(t->strings.hook.opaque, size);
}

static void hook_free(pp_team *t, void *ptr)
{
    t->strings.hook.free(t->strings.hook.opaque, ptr);
}

int pp_team_new(pp_team **out, const pp_allocator *allocator)
{
    if (out == NULL)
        return PP_ERR_INVALID_ARGUMENT;
    *out = NULL;
    if (allocator != NULL && (allocator->alloc == NULL) != (allocator->free == NULL))
        return PP_ERR_INVALID_ARGUMENT;
    ppi_arena arena;
    ppi_arena_init(&arena, allocator);
    pp_team *t = arena.hook.alloc(arena.hook.opaque, sizeof *t);
    if (t == NULL)
        return PP_ERR_NOMEM;
    memset(t, 0, sizeof *t);
    t->strings = arena;
    *out = t;
    return PP_OK;
}

/* Double the entry array and the slot table together (load factor <= 1/2),
 * rehashing under the same seed (or a later one if it must).  On failure
 * the set is as it was. */
static int grow(pp_team *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 64;
    if (cap <= t->cap || (uint64_t)cap * 2 > UINT32_MAX)
        return PP_ERR_NOMEM;
    team_entry *entries = hook_alloc(t, (size_t)cap * sizeof *entries);
    ppi_slot *slots = hook_alloc(t, (size_t)cap * 2 * sizeof *slots);
    if (entries == NULL || slots == NULL) {
        hook_free(t, entries);
        hook_free(t, slots);
        return PP_ERR_NOMEM;
    }
    if (t->n > 0)
        memcpy(entries, t->entries, (size_t)t->n * sizeof *entries);
    ppi_table index = { slots, (uint64_t)cap * 2 - 1, 0, 0 };
    uint32_t attempt = t->attempt, unused;
    ppi_keys keys = entry_keys(entries, t->n);
    if (ppi_table_fill(&index, &keys, &attempt, &unused) != PP_OK) {
        hook_free(t, entries);
        hook_free(t, slots);
        return PP_ERR_LIMIT;
    }
    hook_free(t, t->entries);
    hook_free(t, t->index.slots);
    t->entries = entries;
    t->index = index;
    t->attempt = attempt;
    t->cap = cap;
    return PP_OK;
}

typedef struct team_query {
    const team_entry *entries;
    const char *org, *user;
    size_t org_len, user_len;
} team_query;

static bool team_query_is(const void *ctx, uint32_t i)
{
    const team_query *q = ctx;
    return entry_is(&q->entries[i], q->org, q->org_len, q->user, q->user_len);
}

static team_entry *find(const pp_team *t, const char *org, size_t org_len,
                        uint64_t org_hash, const char *user, size_t user_len)
{
    team_query q = { t->entries, org, user, org_len, user_len };
    uint32_t i = ppi_table_find(&t->index, key_hash(user, user_len, org_hash, t->index.seed),
                                team_query_is, &q);
    return i == PPI_NONE ? NULL : &t->entries[i];
}

/* Index the entry just written at t->entries[t->n]: in place, or by
 * rehashing everything under a later seed.  PP_ERR_LIMIT when no seed
 * spreads the names; the table is then rebuilt as it was. */
static int place_new(pp_team *t, uint64_t h)
{
    ppi_keys keys = entry_keys(t->entries, t->n + 1);
    uint32_t r = ppi_table_place(&t->index, h, t->n, &keys);
    if (r == 0)
        return PP_OK;
    uint32_t attempt = t->attempt + 1, unused;
    if (ppi_table_fill(&t->index, &keys, &attempt, &unused) == PP_OK) {
        t->attempt = attempt;
        return PP_OK;
    }
    attempt = t->attempt;
    keys.n = t->n;
    ppi_table_fill(&t->index, &keys, &attempt, &unused); /* placed them before */
    return PP_ERR_LIMIT;
}

int pp_team_add(pp_team *t, const char *org, size_t org_len,
                const char *user, size_t user_len, pp_role role)
{
    if (t == NULL || !ppi_user_name_valid(org, org_len) ||
        !ppi_user_name_valid(user, user_len) || pp_role_name((int)role) == NULL)
        return PP_ERR_INVALID_ARGUMENT;
    uint64_t org_hash = ppi_hash_bytes(org, org_len);
    team_entry *e = find(t, org, org_len, org_hash, user, user_len);
    if (e != NULL) {
        e->role = (int)role;
        return PP_OK;
    }
    int rc;
    if (t->n == t->cap && (rc = grow(t)) != PP_OK)
        return rc;
    const char *org_copy = t->last_org;
    if (org_copy == NULL || t->last_org_len != org_len ||
        memcmp(org_copy, org, org_len) != 0) {
        org_copy = ppi_arena_strndup(&t->strings, org, org_len);
        if (org_copy == NULL)
            return PP_ERR_NOMEM;
        t->last_org = org_copy;
        t->last_org_len = (uint32_t)org_len;
    }
    const char *user_copy = ppi_arena_strndup(&t->strings, user, user_len);
    if (user_copy == NULL)
        return PP_ERR_NOMEM;
    t->entries[t->n] = (team_entry){ org_copy, user_copy, (uint32_t)org_len,
                                     (uint32_t)user_len, org_hash, (int)role };
    if ((rc = place_new(t, key_hash(user, user_len, org_hash, t->index.seed))) != PP_OK)
        return rc;
    t->n++;
    return PP_OK;
}

size_t pp_team_size(const pp_team *t)
{
    return t == NULL ? 0 : t->n;
}

void pp_team_free(pp_team *t)
{
    if (t == NULL)
        return;
    ppi_arena strings = t->strings;
    hook_free(t, t->entries);
    hook_free(t, t->index.slots);
    hook_free(t, t);
    ppi_arena_free_all(&strings);
}

int ppi_team_role(const pp_team *t, const char *org, size_t org_len,
                  uint64_t org_seed, const char *user, size_t user_len)
{
    const team_entry *e = find(t, org, org_len, org_seed, user, user_len);
    return e == NULL ? -1 : e->role;
}
