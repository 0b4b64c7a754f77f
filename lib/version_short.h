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
/* The number whose digits are bytes [from, to) of d (each byte's digit in
 * its low four bits). */
static inline void ppi_short_number(ppi_number *out, const char *s, uint64_t d,
                                unsigned from, unsigned to)
{
    uint64_t x = d >> (8 * from), value = x & 0xF;
    for (unsigned k = 1; k < to - from; k++)
        value = value * 10 + (x >> (8 * k) & 0xF);
    out->value = value;
    out->digits = s + from;
    out->len = to - from;
}

/* What most decisions parse, at once: MAJOR.MINOR.PATCH of 5 to 8 bytes,
 * digits and two dots only.  False for anything else, which
 * ppi_version_parse then reads; true only where it parses the same. */
static inline __attribute__((always_inline)) bool
ppi_version_parse_short(ppi_version *out, const char *s, size_t len)
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
            out->major = (ppi_number){ x & 0xF, s, 1 };
            out->minor = (ppi_number){ x >> 16 & 0xF, s + 2, 1 };
            out->patch = (ppi_number){ x >> 32 & 0xF, s + 4, 1 };
            out->pre = NULL;
            out->pre_len = 0;
            out->text = s;
            out->text_len = len;
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
    ppi_short_number(&out->major, s, d, 0, a);
    ppi_short_number(&out->minor, s, d, a + 1, b);
    ppi_short_number(&out->patch, s, d, b + 1, (unsigned)len);
    out->pre = NULL;
    out->pre_len = 0;
    out->text = s;
    out->text_len = len;
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
#endif

#endif /* PP_VERSION_SHORT_H */
