/* UTF-8 decoding, and the characters that names and URLs refuse because a
 * reader cannot see them: controls, format characters (bidirectional
 * controls, zero-width characters, the soft hyphen, ...), line and paragraph
 * separators, spaces other than U+0020, and the other default-ignorable code
 * points.  Any of them can make an audit line or a log read as something it
 * is not ("alice" followed by U+202E, "ad\u200Bmin").
 *
 * The set is thirty ranges, so it is a table here rather than a Unicode
 * library: it covers every code point of general category Cc, Cf, Zs, Zl and
 * Zp but U+0020, and Default_Ignorable_Code_Point, as of Unicode 15. */
#include "internal.h"

size_t ppi_utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
    /* RFC 3629 §4: narrowing the second byte's range per lead byte is what
     * rejects overlong forms, surrogates and code points above U+10FFFF. */
    unsigned char lead = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (lead < 0x80) {
        *cp = lead;
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        n = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        n = 3;
        if (lead == 0xE0)
            lo = 0xA0;      /* below U+0800: overlong */
        else if (lead == 0xED)
            hi = 0x9F;      /* U+D800..U+DFFF: surrogates */
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        n = 4;
        if (lead == 0xF0)
            lo = 0x90;      /* below U+10000: overlong */
        else if (lead == 0xF4)
            hi = 0x8F;      /* above U+10FFFF */
    } else {
        return 0;           /* continuation byte, C0/C1 (overlong), F5..FF */
    }
    if (left < n || s[1] < lo || s[1] > hi)
        return 0;
    uint32_t v = lead & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    *cp = v;
    return n;
}

typedef struct range {
    uint32_t first, last;
} range;

/* Sorted; adjacent ranges merged. */
static const range hidden[] = {
    { 0x0000, 0x001F },   /* C0 controls */
    { 0x007F, 0x00A0 },   /* DEL, C1 controls (U+0085 NEL, U+009B CSI),
                             no-break space */
    { 0x00AD, 0x00AD },   /* soft hyphen */
    { 0x034F, 0x034F },   /* combining grapheme joiner */
    { 0x0600, 0x0605 },   /* Arabic number signs */
    { 0x061C, 0x061C },   /* Arabic letter mark */
    { 0x06DD, 0x06DD },
    { 0x070F, 0x070F },
    { 0x0890, 0x0891 },
    { 0x08E2, 0x08E2 },
    { 0x115F, 0x1160 },   /* Hangul fillers */
    { 0x1680, 0x1680 },   /* Ogham space mark */
    { 0x17B4, 0x17B5 },
    { 0x180B, 0x180F },   /* Mongolian variation selectors, vowel separator */
    { 0x2000, 0x200F },   /* spaces, zero-width space and joiners, LRM, RLM */
    { 0x2028, 0x202F },   /* line and paragraph separators, bidi embeddings
                             and overrides, narrow no-break space */
    { 0x205F, 0x206F },   /* medium space, word joiner, invisible operators,
                             bidi isolates, deprecated format characters */
    { 0x3000, 0x3000 },   /* ideographic space */
    { 0x3164, 0x3164 },   /* Hangul filler */
    { 0xFE00, 0xFE0F },   /* variation selectors */
    { 0xFEFF, 0xFEFF },   /* zero-width no-break space (byte order mark) */
    { 0xFFA0, 0xFFA0 },   /* halfwidth Hangul filler */
    { 0xFFF0, 0xFFFB },   /* interlinear annotation */
    { 0x110BD, 0x110BD },
    { 0x110CD, 0x110CD },
    { 0x13430, 0x1343F }, /* Egyptian hieroglyph format controls */
    { 0x1BCA0, 0x1BCA3 }, /* shorthand format controls */
    { 0x1D173, 0x1D17A }, /* musical symbol format controls */
    { 0xE0000, 0xE0FFF }, /* tags, variation selectors supplement */
};

bool ppi_char_hidden(uint32_t cp)
{
    /* Most text is below U+0600: the scan stops after a few entries. */
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
        if (cp < hidden[i].first)
            return false;
        if (cp <= hidden[i].last)
            return true;
    }
    return false;
}
