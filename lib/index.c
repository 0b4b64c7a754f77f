/* The policy's lookups, each O(1) in the size of every table: open
 * addressing with linear probing at load factor <= 1/2, each slot keeping 32
 * bits of the key hash so a miss rarely touches an entry.  A policy author
 * picks the keys, so "O(1)" must hold for keys chosen to collide: a build
 * places every entry fewer than PPI_TABLE_MAX_PROBE slots from its home and
 * records the farthest, lookups stop there, and when keys cluster under one
 * hash seed the table is rebuilt under the next; when none of them spreads
 * the keys the load is refused (PP_ERR_LIMIT) rather than made slow. */
#include <string.h>

#include "internal.h"

uint64_t ppi_table_seed(uint32_t attempt)
{
    return ppi_hash_mix(attempt, 0x7461626C65ull); /* "table" */
}

int ppi_table_alloc(ppi_table *t, ppi_arena *arena, uint64_t n)
{
    memset(t, 0, sizeof *t);
    uint64_t cap = 8;
    while (cap < n * 2)
        cap <<= 1;
    if (cap > SIZE_MAX / sizeof *t->slots)
        return PP_ERR_NOMEM;
    t->slots = ppi_arena_alloc(arena, (size_t)cap * sizeof *t->slots);
    if (t->slots == NULL)
        return PP_ERR_NOMEM;
    t->mask = cap - 1;
    return PP_OK;
}

uint32_t ppi_table_place(ppi_table *t, uint64_t h, uint32_t entry,
                         const ppi_keys *keys)
{
    uint32_t tag = (uint32_t)(h >> 32);
    for (uint32_t d = 0; d < PPI_TABLE_MAX_PROBE; d++) {
        ppi_slot *slot = &t->slots[(h + d) & t->mask];
        if (slot->entry == 0) {
            slot->tag = tag;
            slot->entry = entry + 1;
            if (d + 1 > t->max_probe)
                t->max_probe = d + 1;
            return 0;
        }
        if (slot->tag == tag && keys->equal(keys->ctx, slot->entry - 1, entry)) {
            uint32_t other = slot->entry;
            if (keys->dups == PPI_DUPS_LAST)
                slot->entry = entry + 1;
            return other;
        }
    }
    return PPI_NONE;
}

int ppi_table_fill(ppi_table *t, const ppi_keys *keys, uint32_t *attempt,
                   uint32_t *dup)
{
    for (; *attempt < PPI_TABLE_SEEDS; ++*attempt) {
        memset(t->slots, 0, (size_t)(t->mask + 1) * sizeof *t->slots);
        t->seed = ppi_table_seed(*attempt);
        t->max_probe = 0;
        uint32_t i = 0;
        for (; i < keys->n; i++) {
            uint32_t r = ppi_table_place(t, keys->hash(keys->ctx, i, t->seed), i, keys);
            if (r == PPI_NONE)
                break;              /* clustered under this seed: the next */
            if (r != 0 && keys->dups == PPI_DUPS_REFUSED) {
                *dup = i;
                return PP_ERR_DUPLICATE;
            }
        }
        if (i == keys->n)
            return PP_OK;
    }
    return PP_ERR_LIMIT;
}

int ppi_table_build(ppi_table *t, ppi_arena *arena, const ppi_keys *keys,
                    uint32_t *dup)
{
    uint32_t attempt = 0;
    int rc = ppi_table_alloc(t, arena, keys->n);
    return rc != PP_OK ? rc : ppi_table_fill(t, keys, &attempt, dup);
}

/* ---- products by ID ---- */

static uint64_t product_hash(uint32_t id, uint64_t seed)
{
    return ppi_hash_mix(id, seed);
}

static uint64_t product_key_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const pp_policy *p = ctx;
    return product_hash(p->products[i].id, seed);
}

static bool product_key_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const pp_policy *p = ctx;
    return p->products[i].id == p->products[j].id;
}

int ppi_index_products(pp_policy *p, uint32_t *dup)
{
    ppi_keys keys = { p, p->nproducts, product_key_hash, product_key_equal, PPI_DUPS_REFUSED };
    return ppi_table_build(&p->product_index, &p->arena, &keys, dup);
}

/* ---- team members by (team, name) ---- */

static uint64_t member_team_seed(const pp_policy *p, const ppi_member *m)
{
    return m->team < p->norgs ? p->orgs[m->team].team_seed
                              : p->products[m->team - p->norgs].team_seed;
}

static uint64_t member_key_hash(const void *ctx, uint32_t i, uint64_t seed)
{
    const pp_policy *p = ctx;
    const ppi_member *m = &p->members[i];
    return ppi_hash_mix(ppi_hash_seeded(m->name, m->name_len, seed), member_team_seed(p, m));
}

static bool member_key_equal(const void *ctx, uint32_t i, uint32_t j)
{
    const pp_policy *p = ctx;
    const ppi_member *b = &p->members[j];
    return ppi_member_is(&p->members[i], b->team, b->name, b->name_len);
}

int ppi_index_members(pp_policy *p, uint32_t *dup)
{
    ppi_keys keys = { p, p->nmembers, member_key_hash, member_key_equal, PPI_DUPS_REFUSED };
    return ppi_table_build(&p->member_index, &p->arena, &keys, dup);
}

uint64_t ppi_member_hash(const pp_policy *p, const char *name, size_t len)
{
    return ppi_hash_seeded(name, len, p->member_index.seed);
}

/* ---- everything else a decision, authorization or check looks up ---- */

int ppi_index_policy(pp_policy *p, ppi_arena *scratch, const char **table)
{
    for (uint32_t i = 0; i < p->nmembers; i++) {
        ppi_member *m = &p->members[i];
        if (m->kind == PPI_API_USER)
            m->actions = ppi_scope_actions(&p->scopes[m->first_scope]);
    }
    int rc = ppi_families_index(&p->families, &p->arena, scratch, table);
    return rc != PP_OK ? rc : ppi_index_audit(p, scratch, table);
}
