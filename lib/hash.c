/* Hashing.  xxhash is compiled into this file only (XXH_INLINE_ALL), so the
 * library exports none of its symbols. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "internal.h"

uint64_t ppi_hash_bytes(const void *data, size_t len)
{
    return XXH3_64bits(data, len);
}

/* A full-avalanche finaliser (murmur3 fmix64) over both inputs: one string
 * hash per decision is then combined with each team seed at no extra cost. */
uint64_t ppi_hash_mix(uint64_t a, uint64_t b)
{
    uint64_t h = a ^ (b * 0x9E3779B97F4A7C15ull);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
}

uint64_t ppi_product_team_seed(uint32_t product_id)
{
    /* Disjoint from organization seeds in practice: organizations hash their
     * names, products hash their ID with a tag no name starts with. */
    unsigned char key[5] = { 0xFF, (unsigned char)(product_id >> 24),
                             (unsigned char)(product_id >> 16),
                             (unsigned char)(product_id >> 8),
                             (unsigned char)product_id };
    return XXH3_64bits(key, sizeof key);
}
