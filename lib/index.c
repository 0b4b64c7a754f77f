/* The O(1) lookups a decision makes: products by ID and team members by
 * (team, name).  Open addressing with linear probing at load factor <= 1/2;
 * each slot keeps 32 bits of the key hash so a miss rarely touches an entry. */
#include <string.h>

#include "internal.h"

static int table_init(ppi_arena *arena, ppi_table *t, uint32_t n)
{
    uint64_t cap = 8;
    while (cap < (uint64_t)n * 2)
        cap <<= 1;
    t->slots = ppi_arena_alloc(arena, cap * sizeof *t->slots);
    if (t->slots == NULL)
        return PP_ERR_NOMEM;
    t->mask = cap - 1;
    return PP_OK;
}

static uint64_t product_hash(uint32_t id)
{
    return ppi_hash_mix(id, 0x5052u);
}

static uint64_t member_team_seed(const pp_policy *p, const ppi_member *m)
{
    return m->team < p->norgs ? p->orgs[m->team].team_seed
                              : p->products[m->team - p->norgs].team_seed;
}

int ppi_index_products(pp_policy *p, uint32_t *dup)
{
    if (table_init(&p->arena, &p->product_index, p->nproducts) != PP_OK)
        return PP_ERR_NOMEM;
    for (uint32_t i = 0; i < p->nproducts; i++) {
        uint32_t id = p->products[i].id;
        uint64_t h = product_hash(id);
        for (uint64_t s = h & p->product_index.mask;; s = (s + 1) & p->product_index.mask) {
            ppi_slot *slot = &p->product_index.slots[s];
            if (slot->entry == 0) {
                slot->tag = (uint32_t)(h >> 32);
                slot->entry = i + 1;
                break;
            }
            if (p->products[slot->entry - 1].id == id) {
                *dup = i;
                return PP_ERR_DUPLICATE;
            }
        }
    }
    return PP_OK;
}

const ppi_product *ppi_product_find(const pp_policy *p, uint32_t id)
{
    uint64_t h = product_hash(id);
    uint32_t tag = (uint32_t)(h >> 32);
    const ppi_table *t = &p->product_index;
    for (uint64_t s = h & t->mask;; s = (s + 1) & t->mask) {
        const ppi_slot *slot = &t->slots[s];
        if (slot->entry == 0)
            return NULL;
        if (slot->tag == tag && p->products[slot->entry - 1].id == id)
            return &p->products[slot->entry - 1];
    }
}

static bool member_is(const ppi_member *m, uint32_t team, const char *name,
                      size_t len)
{
    return m->team == team && m->name_len == len &&
           memcmp(m->name, name, len) == 0;
}

int ppi_index_members(pp_policy *p, uint32_t *dup)
{
    if (table_init(&p->arena, &p->member_index, p->nmembers) != PP_OK)
        return PP_ERR_NOMEM;
    for (uint32_t i = 0; i < p->nmembers; i++) {
        const ppi_member *m = &p->members[i];
        uint64_t h = ppi_hash_mix(ppi_hash_bytes(m->name, m->name_len),
                                  member_team_seed(p, m));
        uint32_t tag = (uint32_t)(h >> 32);
        for (uint64_t s = h & p->member_index.mask;; s = (s + 1) & p->member_index.mask) {
            ppi_slot *slot = &p->member_index.slots[s];
            if (slot->entry == 0) {
                slot->tag = tag;
                slot->entry = i + 1;
                break;
            }
            if (slot->tag == tag &&
                member_is(&p->members[slot->entry - 1], m->team, m->name, m->name_len)) {
                *dup = i;
                return PP_ERR_DUPLICATE;
            }
        }
    }
    return PP_OK;
}

const ppi_member *ppi_member_find(const pp_policy *p, uint64_t team_seed,
                                  uint32_t team, const char *name,
                                  size_t len, uint64_t user_hash)
{
    uint64_t h = ppi_hash_mix(user_hash, team_seed);
    uint32_t tag = (uint32_t)(h >> 32);
    const ppi_table *t = &p->member_index;
    for (uint64_t s = h & t->mask;; s = (s + 1) & t->mask) {
        const ppi_slot *slot = &t->slots[s];
        if (slot->entry == 0)
            return NULL;
        if (slot->tag == tag && member_is(&p->members[slot->entry - 1], team, name, len))
            return &p->members[slot->entry - 1];
    }
}
