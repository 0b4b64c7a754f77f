/* Team sets built by the caller at run time, for organizations too large or
 * too volatile to list in YAML.  Keys are (organization name, user); the key
 * hash is the same as the policy's own member index uses, so one hash of the
 * owner's name serves both lookups in a decision. */
#include <string.h>

#include "internal.h"

typedef struct team_entry {
    const char *org;
    const char *user;
    uint32_t org_len;
    uint32_t user_len;
    uint64_t hash;
    int role;
} team_entry;

struct pp_team {
    ppi_arena strings;      /* names; entries and slots are resized apart */
    team_entry *entries;
    uint32_t n;
    uint32_t cap;
    ppi_table index;
    const char *last_org;   /* consecutive adds usually share one org */
    uint32_t last_org_len;
};

static bool entry_is(const team_entry *e, const char *org, size_t org_len,
                     const char *user, size_t user_len)
{
    return e->user_len == user_len && e->org_len == org_len &&
           memcmp(e->user, user, user_len) == 0 && memcmp(e->org, org, org_len) == 0;
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

/* Double the entry array and the slot table together (load factor <= 1/2). */
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
    memset(slots, 0, (size_t)cap * 2 * sizeof *slots);
    uint64_t mask = (uint64_t)cap * 2 - 1;
    for (uint32_t i = 0; i < t->n; i++) {
        uint64_t s = entries[i].hash & mask;
        while (slots[s].entry != 0)
            s = (s + 1) & mask;
        slots[s].tag = (uint32_t)(entries[i].hash >> 32);
        slots[s].entry = i + 1;
    }
    hook_free(t, t->entries);
    hook_free(t, t->index.slots);
    t->entries = entries;
    t->index.slots = slots;
    t->index.mask = mask;
    t->cap = cap;
    return PP_OK;
}

static team_entry *find(const pp_team *t, const char *org, size_t org_len,
                        const char *user, size_t user_len, uint64_t h)
{
    if (t->n == 0)
        return NULL;
    uint32_t tag = (uint32_t)(h >> 32);
    for (uint64_t s = h & t->index.mask;; s = (s + 1) & t->index.mask) {
        const ppi_slot *slot = &t->index.slots[s];
        if (slot->entry == 0)
            return NULL;
        team_entry *e = &t->entries[slot->entry - 1];
        if (slot->tag == tag && entry_is(e, org, org_len, user, user_len))
            return e;
    }
}

int pp_team_add(pp_team *t, const char *org, size_t org_len,
                const char *user, size_t user_len, pp_role role)
{
    if (t == NULL || !ppi_user_name_valid(org, org_len) ||
        !ppi_user_name_valid(user, user_len) || pp_role_name((int)role) == NULL)
        return PP_ERR_INVALID_ARGUMENT;
    uint64_t h = ppi_hash_mix(ppi_hash_bytes(user, user_len),
                              ppi_hash_bytes(org, org_len));
    team_entry *e = find(t, org, org_len, user, user_len, h);
    if (e != NULL) {
        e->role = (int)role;
        return PP_OK;
    }
    if (t->n == t->cap && grow(t) != PP_OK)
        return PP_ERR_NOMEM;
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
    e = &t->entries[t->n];
    e->org = org_copy;
    e->org_len = (uint32_t)org_len;
    e->user = user_copy;
    e->user_len = (uint32_t)user_len;
    e->hash = h;
    e->role = (int)role;
    uint64_t s = h & t->index.mask;
    while (t->index.slots[s].entry != 0)
        s = (s + 1) & t->index.mask;
    t->index.slots[s].tag = (uint32_t)(h >> 32);
    t->index.slots[s].entry = ++t->n;
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
                  uint64_t org_seed, const char *user, size_t user_len,
                  uint64_t user_hash)
{
    const team_entry *e = find(t, org, org_len, user, user_len,
                               ppi_hash_mix(user_hash, org_seed));
    return e == NULL ? -1 : e->role;
}
