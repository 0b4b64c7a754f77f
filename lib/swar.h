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

static inline uint64_t ppi_load64(const char *s)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
    return w;
}

/* s[0, len) for 1 <= len <= 8 in the eight bytes of a word, some twice. */
static inline uint64_t ppi_word_of(const char *s, size_t len)
{
    uint32_t a, b;
    uint16_t c, d;
    if (len >= 8)
        return ppi_load64(s);
    if (len >= 4) {
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        return a | (uint64_t)b << 32;
    }
    if (len >= 2) {
        memcpy(&c, s, 2);
        memcpy(&d, s + len - 2, 2);
        uint64_t w = c | (uint64_t)d << 16;
        return w | w << 32;
    }
    return (unsigned char)s[0] * PPI_ONES;
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

/* Every byte with bit 5 set: 'A'-'Z' onto 'a'-'z' (and digits unchanged). */
static inline uint64_t ppi_bytes_fold(uint64_t w)
{
    return w | 0x20 * PPI_ONES;
}

#endif /* PP_SWAR_H */
