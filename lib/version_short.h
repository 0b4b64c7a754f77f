/* The Device OS versions most records carry, "5.4.0" to "10.20.30", parsed
 * at once (swar.h) on the decision path; version.c parses the others.
 * Inline: pp_decide calls it before ppi_version_parse. */
#ifndef PP_VERSION_SHORT_H
#define PP_VERSION_SHORT_H

#include "internal.h"
#include "swar.h"

/* The words below hold the string's bytes in order from the low end: on
 * other byte orders every version takes ppi_version_parse. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PPI_VERSION_SHORT 1
/* A short version's three numbers: values, and where their digits are. */
typedef struct ppi_short_numbers {
    uint64_t value[3];
    unsigned from[3], to[3];
} ppi_short_numbers;

/* The number whose digits are bytes [from, to) of d (each byte's digit in
 * its low four bits). */
static inline uint64_t ppi_short_number(uint64_t d, unsigned from, unsigned to)
{
    uint64_t x = d >> (8 * from), value = x & 0xF;
    for (unsigned k = 1; k < to - from; k++)
        value = value * 10 + (x >> (8 * k) & 0xF);
    return value;
}

/* What most decisions parse, at once: MAJOR.MINOR.PATCH of 5 to 8 bytes,
 * digits and two dots only.  False for anything else, which
 * ppi_version_parse then reads; true only where it parses the same. */
static inline __attribute__((always_inline)) bool
ppi_short_split(ppi_short_numbers *out, const char *s, size_t len)
{
    if (len < 5 || len > 8)
        return false;
    uint32_t lo, hi;
    memcpy(&lo, s, 4);
    memcpy(&hi, s + len - 4, 4);
    uint64_t w = lo | (uint64_t)hi << (8 * (len - 4)); /* the bytes, then zeros */
    if (len == 5) {
        /* "D.D.D", the most common of all: the digits become their values
         * (and any other byte something above 9), the dots zeros. */
        uint64_t x = w ^ 0x302E302E30ull;
        if ((x & 0xF0FFF0FFF0ull) == 0 && ((x + 0x0600060006ull) & 0x1000100010ull) == 0) {
            *out = (ppi_short_numbers){ { x & 0xF, x >> 16 & 0xF, x >> 32 & 0xF },
                                        { 0, 2, 4 }, { 1, 3, 5 } };
            return true;
        }
    }
    uint64_t used = PPI_HIGH >> (64 - 8 * len);        /* a high bit per byte */
    uint64_t dots = ppi_bytes_eq(w, '.') & used;
    uint64_t digits = ppi_bytes_in(w, '0', '9') & used;
    uint64_t starts = dots << 8 | 0x80;                /* each number's first byte */
    uint64_t bad = (w & PPI_HIGH) | ((digits | dots) ^ used) |
                   (dots & (starts | 0x80ull << (8 * (len - 1)))) | /* an empty number */
                   (ppi_bytes_eq(w, '0') & starts & digits >> 8);  /* a leading zero */
    if (bad != 0 || dots == 0)
        return false;
    unsigned a = (unsigned)__builtin_ctzll(dots) / 8;
    dots &= dots - 1;
    if (dots == 0 || (dots & (dots - 1)) != 0)
        return false;
    unsigned b = (unsigned)__builtin_ctzll(dots) / 8;
    uint64_t d = w & 0x0F0F0F0F0F0F0F0Full;
    *out = (ppi_short_numbers){ { ppi_short_number(d, 0, a), ppi_short_number(d, a + 1, b),
                                  ppi_short_number(d, b + 1, (unsigned)len) },
                                { 0, a + 1, b + 1 }, { a, b, (unsigned)len } };
    return true;
}

/* The short parse into a whole version (ppi_version_parse). */
static inline __attribute__((always_inline)) bool
ppi_version_parse_short(ppi_version *out, const char *s, size_t len)
{
    ppi_short_numbers n;
    if (!ppi_short_split(&n, s, len))
        return false;
    ppi_number *num[3] = { &out->major, &out->minor, &out->patch };
    for (int k = 0; k < 3; k++)
        *num[k] = (ppi_number){ n.value[k], s + n.from[k], n.to[k] - n.from[k] };
    out->pre = NULL;
    out->pre_len = 0;
    out->text = s;
    out->text_len = len;
    out->key = ppi_version_key(n.value[0], n.value[1], n.value[2], true);
    return true;
}

/* The short parse for its key alone (ppi_version_key; never 0): what a
 * decision compares. */
static inline __attribute__((always_inline)) bool
ppi_version_key_short(uint64_t *key, const char *s, size_t len)
{
    ppi_short_numbers n;
    if (!ppi_short_split(&n, s, len))
        return false;
    *key = ppi_version_key(n.value[0], n.value[1], n.value[2], true);
    return true;
}
#else
#define PPI_VERSION_SHORT 0
static inline __attribute__((always_inline)) bool
ppi_version_parse_short(ppi_version *out, const char *s, size_t len)
{
    (void)out, (void)s, (void)len;
    return false;
}

static inline __attribute__((always_inline)) bool
ppi_version_key_short(uint64_t *key, const char *s, size_t len)
{
    (void)key, (void)s, (void)len;
    return false;
}
#endif

#endif /* PP_VERSION_SHORT_H */
