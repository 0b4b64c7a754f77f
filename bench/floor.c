/* The floor a decision cannot go under: it reads the same device records
 * the library reads (the record, its ID, Device OS, SKU and owner bytes)
 * and makes every hash probe a decision makes (the product of every record
 * that names one; where the owner's team is read, the product's own team,
 * then its organization's), into open-addressing tables of the same sizes,
 * slot layout, entry strides and hashing as lib/index.c, without validating
 * anything or applying any rule.  Which records need which probes (and
 * which are legacy, for the product in question) comes from the library's
 * own decisions, made beforehand.  Written here on purpose, not by calling
 * the library, so it measures memory and hashing alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "bench.h"
#include "internal.h"

enum { PRODUCT = 1, TEAM = 2, LEGACY = 4 };

#define MEMBER_SEED 0x6D656D62ull /* any seed: the floor's names hash with it */

struct bench_floor {
    ppi_slot *pslots, *mslots;
    uint64_t pmask, mmask;
    ppi_product *products;   /* same stride as the policy's entries */
    ppi_member *members;
    ppi_org *orgs;
    char *names;
    uint8_t *plan;           /* per record: PRODUCT | TEAM | LEGACY */
    const pp_device *devices;
    size_t n, nlookups;
};

static ppi_slot *slots_for(uint32_t n, uint64_t *mask)
{
    uint64_t cap = 8;
    while (cap < (uint64_t)n * 2)
        cap <<= 1;
    *mask = cap - 1;
    ppi_slot *s = calloc(cap, sizeof *s);
    if (s == NULL)
        bench_die("out of memory");
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

/* A product's own team seed, as the library derives it from the ID. */
static uint64_t product_team_seed(uint32_t id)
{
    unsigned char key[5] = { 0xFF, (unsigned char)(id >> 24), (unsigned char)(id >> 16),
                             (unsigned char)(id >> 8), (unsigned char)id };
    return XXH3_64bits(key, sizeof key);
}

bench_floor *floor_make(const bench_shape *sh, const bench_stream *st,
                        const pp_decision *dec)
{
    bench_floor *f = calloc(1, sizeof *f);
    if (f == NULL)
        bench_die("out of memory");
    f->products = calloc(sh->nproducts, sizeof *f->products);
    f->members = calloc(sh->nmembers ? sh->nmembers : 1, sizeof *f->members);
    f->orgs = calloc(sh->norgs, sizeof *f->orgs);
    f->names = malloc((size_t)sh->nmembers * 12 + 1);
    f->plan = calloc(st->n, 1);
    if (!f->products || !f->members || !f->orgs || !f->names || !f->plan)
        bench_die("out of memory");
    f->pslots = slots_for(sh->nproducts, &f->pmask);
    f->mslots = slots_for(sh->nmembers, &f->mmask);
    char buf[32];
    for (uint32_t o = 0; o < sh->norgs; o++) {
        snprintf(buf, sizeof buf, "o%u", o);
        f->orgs[o].team_seed = XXH3_64bits(buf, strlen(buf));
    }
    for (uint32_t i = 0; i < sh->nproducts; i++) {
        ppi_product *pr = &f->products[i];
        pr->id = PRODUCT_BASE + i;
        pr->org = i % sh->norgs;
        pr->team_seed = product_team_seed(pr->id);
        insert(f->pslots, f->pmask, ppi_hash_mix(pr->id, 0x5052u), i + 1);
    }
    char *name = f->names;
    for (uint32_t k = 0; k < sh->nmembers; k++) {
        int len = snprintf(name, 12, "m%u", k);
        ppi_member *m = &f->members[k];
        m->name = name;
        m->name_len = (uint32_t)len;
        m->team = k % sh->norgs;
        insert(f->mslots, f->mmask,
               ppi_hash_mix(XXH3_64bits_withSeed(name, (size_t)len, MEMBER_SEED),
                            f->orgs[m->team].team_seed), k + 1);
        name += len + 1;
    }
    f->devices = st->devices;
    f->n = st->n;
    for (size_t i = 0; i < st->n; i++) {
        const pp_device *d = &st->devices[i];
        if (dec[i].rule >= 2) {
            f->plan[i] |= PRODUCT;
            f->nlookups++;
        }
        if (dec[i].rule == 14 || dec[i].rule == 15) {
            f->plan[i] |= TEAM;
            f->nlookups += 2;
        }
        /* Legacy: the product in question is the firmware's. */
        if (dec[i].rule != 0 && d->firmware_product_id != 0 &&
            dec[i].product_id == d->firmware_product_id &&
            d->firmware_product_id != d->cloud_product_id)
            f->plan[i] |= LEGACY;
    }
    return f;
}

/* Up to 8 bytes of a string, read as the library reads them (swar.h). */
static uint64_t word(const char *s, size_t len)
{
    return s == NULL || len == 0 ? 0 : ppi_word_of(s, len < 8 ? len : 8);
}

static const ppi_member *member_probe(const bench_floor *f, uint64_t h, uint64_t seed,
                                      uint32_t team, const char *name, size_t len)
{
    h = ppi_hash_mix(h, seed);
    for (uint64_t s = h & f->mmask;; s = (s + 1) & f->mmask) {
        const ppi_slot *slot = &f->mslots[s];
        if (slot->entry == 0)
            return NULL;
        const ppi_member *m = &f->members[slot->entry - 1];
        if (slot->tag == (uint32_t)(h >> 32) && m->team == team && m->name_len == len &&
            memcmp(m->name, name, len) == 0)
            return m;
    }
}

uint64_t floor_run(const bench_floor *f)
{
    uint64_t hits = 0, bytes = 0;
    for (size_t i = 0; i < f->n; i++) {
        const pp_device *d = &f->devices[i];
        uint8_t plan = f->plan[i];
        /* The bytes a decision reads, folded so that they are read. */
        bytes ^= word(d->id, d->id_len) ^ word(d->device_os, d->device_os_len) ^
                 word(d->sku, d->sku_len);
        if (d->id_len == 24)
            bytes ^= ppi_load64(d->id + 8) ^ ppi_load64(d->id + 16);
        if (!(plan & PRODUCT))
            continue;
        uint32_t P = (plan & LEGACY) ? d->firmware_product_id
                     : d->cloud_product_id != 0 ? d->cloud_product_id : d->firmware_product_id;
        uint64_t h = ppi_hash_mix(P, 0x5052u);
        const ppi_product *pr = NULL;
        for (uint64_t s = h & f->pmask;; s = (s + 1) & f->pmask) {
            const ppi_slot *slot = &f->pslots[s];
            if (slot->entry == 0)
                break;
            if (slot->tag == (uint32_t)(h >> 32) && f->products[slot->entry - 1].id == P) {
                pr = &f->products[slot->entry - 1];
                hits++;
                break;
            }
        }
        if (pr == NULL || !(plan & TEAM))
            continue;
        uint64_t oh = XXH3_64bits_withSeed(d->owner, d->owner_len, MEMBER_SEED);
        uint32_t team = (uint32_t)(pr - f->products) + UINT32_MAX / 2;
        if (member_probe(f, oh, pr->team_seed, team, d->owner, d->owner_len) != NULL ||
            member_probe(f, oh, f->orgs[pr->org].team_seed, pr->org, d->owner,
                         d->owner_len) != NULL)
            hits++;
    }
    return hits + (bytes & 1);
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
    free(f->orgs);
    free(f->names);
    free(f->plan);
    free(f);
}
