/* Validation of device record fields.  Records come from the caller's
 * database or from devices themselves, so every field is checked before it
 * reaches a decision; anything malformed fails closed as invalid input.
 * Character classes are spelled out because <ctype.h> depends on the locale. */
#include "internal.h"

#define DEVICE_ID_LEN 24
#define SKU_MAX_LEN 32

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

bool ppi_user_name_valid(const char *name, size_t len)
{
    if (name == NULL || len == 0 || len > PPI_USER_NAME_MAX_LEN)
        return false;
    const unsigned char *s = (const unsigned char *)name;
    size_t i = 0;
    while (i < len) {
        /* Names are mostly ASCII: C0 controls (NUL included) and DEL are the
         * only hidden characters there. */
        if (s[i] < 0x80) {
            if (s[i] < 0x20 || s[i] == 0x7F)
                return false;
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = ppi_utf8_decode(s + i, len - i, &cp);
        if (n == 0 || ppi_char_hidden(cp))
            return false;
        i += n;
    }
    return true;
}
