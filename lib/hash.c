/* Hashing.  xxhash is compiled into this file only (XXH_INLINE_ALL), so the
 * library exports none of its symbols. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "internal.h"

uint64_t ppi_hash_bytes(const void *data, size_t len)
{
    return XXH3_64bits(data, len);
}

uint64_t ppi_hash_seeded(const void *data, size_t len, uint64_t seed)
{
    return XXH3_64bits_withSeed(data, len, seed);
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
