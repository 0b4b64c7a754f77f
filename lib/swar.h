/* Tests of eight bytes at a time in a 64-bit word (SWAR: SIMD within a
 * register), for the fields every decision validates: no branch per
 * character.  Each test looks at every byte on its own, so a word may hold
 * some bytes of a string twice (ppi_word_of).  In a word whose bytes are all
 * below 0x80, adding a constant below 0x80 to every byte carries into no
 * neighbour, which makes the range tests exact per byte; a caller checks
 * the high bits (PPI_HIGH) first or alongside. */
#ifndef PP_SWAR_H
#define PP_SWAR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PPI_ONES 0x0101010101010101ull
#define PPI_HIGH 0x8080808080808080ull
#define PPI_LOW7 0x7F7F7F7F7F7F7F7Full

/* Words hold a string's bytes from the low end, the first byte lowest, on
 * every machine (the tests are per byte, so only ppi_head_of's users, which
 * mask the first bytes, care). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define PPI_FROM_LE64(x) __builtin_bswap64(x)
#define PPI_FROM_LE32(x) __builtin_bswap32(x)
#define PPI_FROM_LE16(x) __builtin_bswap16(x)
#else
#define PPI_FROM_LE64(x) (x)
#define PPI_FROM_LE32(x) (x)
#define PPI_FROM_LE16(x) (x)
#endif

static inline uint64_t ppi_load64(const char *s)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    return PPI_FROM_LE64(w);
}

static inline uint32_t ppi_load32(const char *s)
{
    uint32_t w;
    memcpy(&w, s, sizeof w);
    return PPI_FROM_LE32(w);
}

static inline uint16_t ppi_load16(const char *s)
{
    uint16_t w;
    memcpy(&w, s, sizeof w);
    return PPI_FROM_LE16(w);
}

/* s[0, len) for 1 <= len <= 8 in the eight bytes of a word, some twice. */
static inline uint64_t ppi_word_of(const char *s, size_t len)
{
    if (len >= 8)
        return ppi_load64(s);
    if (len >= 4)
        return ppi_load32(s) | (uint64_t)ppi_load32(s + len - 4) << 32;
    if (len >= 2) {
        uint64_t w = ppi_load16(s) | (uint64_t)ppi_load16(s + len - 2) << 16;
        return w | w << 32;
    }
    return (unsigned char)s[0] * PPI_ONES;
}

/* s[0, min(len, 8)) (len >= 1) in a word, each byte once, the first lowest,
 * zeros above: a key for the string's first bytes (family_index.c). */
static inline uint64_t ppi_head_of(const char *s, size_t len)
{
    if (len >= 8)
        return ppi_load64(s);
    if (len >= 4)
        return ppi_load32(s) | (uint64_t)ppi_load32(s + len - 4) << (8 * (len - 4));
    if (len >= 2)
        return ppi_load16(s) | (uint64_t)ppi_load16(s + len - 2) << (8 * (len - 2));
    return (unsigned char)s[0];
}

/* The high bit of each byte that is >= c (1 <= c <= 0x80), <= c (c <=
 * 0x7F), or in [lo, hi]; the other bits are left over from the arithmetic
 * (mask with PPI_HIGH).  Words whose bytes are all below 0x80 only. */
static inline uint64_t ppi_bytes_ge(uint64_t w, unsigned c)
{
    return w + (0x80u - c) * PPI_ONES;
}

static inline uint64_t ppi_bytes_le(uint64_t w, unsigned c)
{
    return ~(w + (0x7Fu - c) * PPI_ONES);
}

static inline uint64_t ppi_bytes_in(uint64_t w, unsigned lo, unsigned hi)
{
    return ppi_bytes_ge(w, lo) & ppi_bytes_le(w, hi);
}

/* The high bit of each byte equal to c, exactly, whatever the bytes. */
static inline uint64_t ppi_bytes_eq(uint64_t w, unsigned c)
{
    uint64_t y = w ^ (c * PPI_ONES);
    return ~(((y & PPI_LOW7) + PPI_LOW7) | y | PPI_LOW7);
}

/* The letters a-z in upper case; every other byte, of any value, as it is. */
static inline uint64_t ppi_bytes_upper(uint64_t w)
{
    uint64_t lower = ppi_bytes_in(w & PPI_LOW7, 'a', 'z') & ~w & PPI_HIGH;
    return w & ~(lower >> 2);
}

#endif /* PP_SWAR_H */
