/* The loader's name maps: open addressing over keys that point into the
 * document or the policy, in scratch memory that the load frees whole. */
#include "load.h"

#include <string.h>

int ppi_map_init(loader *l, name_map *m, uint64_t entries)
{
    uint64_t cap = 8;
    while (cap < entries * 2)
        cap <<= 1;
    if (cap > SIZE_MAX / sizeof *m->slots)
        return ppi_load_nomem(l);
    m->slots = ppi_arena_alloc(&l->scratch, (size_t)cap * sizeof *m->slots);
    if (m->slots == NULL)
        return ppi_load_nomem(l);
    m->mask = cap - 1;
    m->gen = 1;
    return PP_OK;
}

/* The slot holding key, or the free slot where it would go.  Maps are sized
 * for every key they will hold, so a free slot always exists. */
static map_slot *map_probe(const name_map *m, const void *key, size_t len)
{
    for (uint64_t s = ppi_hash_bytes(key, len) & m->mask;; s = (s + 1) & m->mask) {
        map_slot *e = &m->slots[s];
        if (e->gen != m->gen || (e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
}

uint32_t ppi_map_get(const name_map *m, const void *key, size_t len)
{
    const map_slot *e = map_probe(m, key, len);
    return e->gen == m->gen ? e->value : PPI_NONE;
}

/* Add key -> value unless the key is there: returns its value then, else
 * PPI_NONE.  key must outlive the map. */
uint32_t ppi_map_add(name_map *m, const void *key, size_t len, uint32_t value)
{
    map_slot *e = map_probe(m, key, len);
    if (e->gen == m->gen)
        return e->value;
    *e = (map_slot){ key, (uint32_t)len, value, m->gen };
    return PPI_NONE;
}

void *ppi_scratch_array(loader *l, uint64_t n, size_t size)
{
    return n > SIZE_MAX / size ? NULL : ppi_arena_alloc(&l->scratch, (size_t)n * size);
}
