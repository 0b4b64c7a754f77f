/* Validation of device record fields.  Records come from the caller's
 * database or from devices themselves, so every field is checked before it
 * reaches a decision; anything malformed fails closed as invalid input.
 * Character classes are spelled out because <ctype.h> depends on the locale. */
#include "internal.h"

#define DEVICE_ID_LEN 24
#define SKU_MAX_LEN 32
#define USER_NAME_MAX_LEN 255

static bool is_sku_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c >= 'a' && c <= 'z') || c == '-';
}

bool ppi_device_id_valid(const char *id, size_t len)
{
    if (id == NULL || len != DEVICE_ID_LEN)
        return false;
    /* Every handshake passes here: check all 24 characters without a branch
     * per character (the compiler can vectorise the fixed-length loop).
     * c | 0x20 folds 'A'-'F' onto 'a'-'f' and leaves digits as they are. */
    unsigned bad = 0;
    for (size_t i = 0; i < DEVICE_ID_LEN; i++) {
        unsigned char c = (unsigned char)id[i];
        unsigned digit = (unsigned char)(c - '0') < 10;
        unsigned letter = (unsigned char)((c | 0x20) - 'a') < 6;
        bad |= !(digit | letter);
    }
    return bad == 0;
}

bool ppi_sku_valid(const char *sku, size_t len)
{
    if (sku == NULL || len == 0 || len > SKU_MAX_LEN)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_sku_char(sku[i]))
            return false;
    return true;
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629 §4), or 0 when it
 * is ill-formed or truncated.  Narrowing the second byte's range per lead
 * byte is what rejects overlong forms, surrogates and code points above
 * U+10FFFF. */
static size_t utf8_sequence_len(const unsigned char *s, size_t left)
{
    unsigned char lead = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (lead < 0x80)
        return 1;
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
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

bool ppi_user_name_valid(const char *name, size_t len)
{
    if (name == NULL || len == 0 || len > USER_NAME_MAX_LEN)
        return false;
    const unsigned char *s = (const unsigned char *)name;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_sequence_len(s + i, len - i);
        if (n == 0)
            return false;
        /* C0 controls (NUL included), DEL, and C1 controls U+0080..U+009F
         * (encoded C2 80..C2 9F). */
        if ((n == 1 && (s[i] < 0x20 || s[i] == 0x7F)) ||
            (n == 2 && s[i] == 0xC2 && s[i + 1] <= 0x9F))
            return false;
        i += n;
    }
    return true;
}
