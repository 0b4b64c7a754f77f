/* The floor a decision cannot go under: the same hash lookups it makes
 * (a product probe for every record that names a product, a member probe
 * where the owner's team is consulted), into open-addressing tables of the
 * same sizes, slot layout, entry strides and hashing as lib/index.c, without
 * validating anything or applying any rule.  Written here on purpose, not
 * by calling the library, so it measures memory and hashing alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "bench.h"
#include "internal.h"

typedef struct lookup {
    uint32_t product;     /* 0: no product probe */
    uint32_t org;         /* member probe in this organization's team */
    const char *owner;    /* NULL: no member probe */
    size_t owner_len;
} lookup;

struct bench_floor {
    ppi_slot *pslots, *mslots;
    uint64_t pmask, mmask;
    ppi_product *products;   /* same stride as the policy's entries */
    ppi_member *members;
    uint64_t *org_seed;
    char *names;
    lookup *plan;
    size_t n, nlookups;
};

static ppi_slot *slots_for(uint32_t n, uint64_t *mask)
{
    uint64_t cap = 8;
    while (cap < (uint64_t)n * 2)
        cap <<= 1;
    *mask = cap - 1;
    ppi_slot *s = calloc(cap, sizeof *s);
    if (s == NULL) {
        fprintf(stderr, "ppbench: out of memory\n");
        exit(1);
    }
    return s;
}

static void insert(ppi_slot *slots, uint64_t mask, uint64_t h, uint32_t entry)
{
    uint64_t s = h & mask;
    while (slots[s].entry != 0)
        s = (s + 1) & mask;
    slots[s].tag = (uint32_t)(h >> 32);
    slots[s].entry = entry;
}

bench_floor *floor_make(const bench_shape *sh, const bench_stream *st,
                        const pp_decision *dec)
{
    bench_floor *f = calloc(1, sizeof *f);
    f->products = calloc(sh->nproducts, sizeof *f->products);
    f->members = calloc(sh->nmembers ? sh->nmembers : 1, sizeof *f->members);
    f->org_seed = calloc(sh->norgs, sizeof *f->org_seed);
    f->names = malloc((size_t)sh->nmembers * 12 + 1);
    f->plan = calloc(st->n, sizeof *f->plan);
    if (!f->products || !f->members || !f->org_seed || !f->names || !f->plan) {
        fprintf(stderr, "ppbench: out of memory\n");
        exit(1);
    }
    f->pslots = slots_for(sh->nproducts, &f->pmask);
    f->mslots = slots_for(sh->nmembers, &f->mmask);
    char buf[32];
    for (uint32_t o = 0; o < sh->norgs; o++)
        f->org_seed[o] = XXH3_64bits(buf, (size_t)snprintf(buf, sizeof buf, "o%u", o));
    for (uint32_t i = 0; i < sh->nproducts; i++) {
        f->products[i].id = PRODUCT_BASE + i;
        insert(f->pslots, f->pmask, ppi_hash_mix(PRODUCT_BASE + i, 0x5052u), i + 1);
    }
    char *name = f->names;
    for (uint32_t k = 0; k < sh->nmembers; k++) {
        int len = snprintf(name, 12, "m%u", k);
        ppi_member *m = &f->members[k];
        m->name = name;
        m->name_len = (uint32_t)len;
        m->team = k % sh->norgs;
        insert(f->mslots, f->mmask,
               ppi_hash_mix(XXH3_64bits(name, (size_t)len), f->org_seed[m->team]), k + 1);
        name += len + 1;
    }
    f->n = st->n;
    for (size_t i = 0; i < st->n; i++) {
        lookup *l = &f->plan[i];
        if (dec[i].rule >= 2) {
            l->product = dec[i].product_id;
            f->nlookups++;
        }
        if (dec[i].rule == 14 || dec[i].rule == 15) {
            l->org = (dec[i].product_id - PRODUCT_BASE) % sh->norgs;
            l->owner = st->devices[i].owner;
            l->owner_len = st->devices[i].owner_len;
            f->nlookups++;
        }
    }
    return f;
}

uint64_t floor_run(const bench_floor *f)
{
    uint64_t hits = 0;
    for (size_t i = 0; i < f->n; i++) {
        const lookup *l = &f->plan[i];
        if (l->product != 0) {
            uint64_t h = ppi_hash_mix(l->product, 0x5052u);
            for (uint64_t s = h & f->pmask;; s = (s + 1) & f->pmask) {
                const ppi_slot *slot = &f->pslots[s];
                if (slot->entry == 0)
                    break;
                if (slot->tag == (uint32_t)(h >> 32) &&
                    f->products[slot->entry - 1].id == l->product) {
                    hits++;
                    break;
                }
            }
        }
        if (l->owner != NULL) {
            uint64_t h = ppi_hash_mix(XXH3_64bits(l->owner, l->owner_len), f->org_seed[l->org]);
            for (uint64_t s = h & f->mmask;; s = (s + 1) & f->mmask) {
                const ppi_slot *slot = &f->mslots[s];
                if (slot->entry == 0)
                    break;
                const ppi_member *m = &f->members[slot->entry - 1];
                if (slot->tag == (uint32_t)(h >> 32) && m->team == l->org &&
                    m->name_len == l->owner_len &&
                    memcmp(m->name, l->owner, l->owner_len) == 0) {
                    hits++;
                    break;
                }
            }
        }
    }
    return hits;
}

size_t floor_lookups(const bench_floor *f)
{
    return f->nlookups;
}

void floor_free(bench_floor *f)
{
    free(f->pslots);
    free(f->mslots);
    free(f->products);
    free(f->members);
    free(f->org_seed);
    free(f->names);
    free(f->plan);
    free(f);
}
