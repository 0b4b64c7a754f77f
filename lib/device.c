/* Validation of device record fields.  Records come from the caller's
 * database or from devices themselves, so every field is checked before it
 * reaches a decision; anything malformed fails closed as invalid input.
 * Character classes are spelled out because <ctype.h> depends on the locale. */
#include "internal.h"

/* Every handshake passes here, so the fields are checked eight bytes at a
 * time (swar.h), without a branch per character: a string of 8 or more
 * bytes is read as the words at 0, 8, ... and the one ending at its last
 * byte, a shorter one as one word of its bytes (some twice).  The device
 * ID's check and the SKU's are inline in internal.h, 16 bytes at a time. */

/* The high bit of each byte of w that is printable ASCII (0x20-0x7E),
 * where w's bytes are all below 0x80. */
static inline uint64_t printable_bits(uint64_t w)
{
    return ppi_bytes_in(w, 0x20, 0x7E);
}

/* Whether every byte of s[0, len) (len >= 1) is below 0x80 and has its
 * high bit set by ok(). */
static inline bool all_bytes(const char *s, size_t len, uint64_t (*ok)(uint64_t))
{
    uint64_t high = 0, good = PPI_HIGH;
    size_t i = 0;
    for (; i + 8 < len; i += 8) {
        uint64_t w = ppi_load64(s + i);
        high |= w;
        good &= ok(w);
    }
    uint64_t w = len >= 8 ? ppi_load64(s + len - 8) : ppi_word_of(s, len);
    return ((high | w) & PPI_HIGH) == 0 && (good & ok(w) & PPI_HIGH) == PPI_HIGH;
}

bool ppi_sku_check_long(const char *sku, size_t len, uint64_t *head)
{
    if (sku == NULL || len <= 16 || len > PPI_SKU_MAX_LEN)
        return false; /* 1 to 16 bytes are ppi_sku_check's own */
    /* 17 to 32 bytes: the vectors at 0 and ending at the last byte. */
    ppi_bytes16 a, b;
    memcpy(&a, sku, sizeof a);
    memcpy(&b, sku + len - sizeof b, sizeof b);
    ppi_words2 ok = (ppi_words2)(ppi_sku_bytes(a, ppi_letter_bytes(a)) &
                                 ppi_sku_bytes(b, ppi_letter_bytes(b)));
    *head = ppi_sku_key(sku, len);
    return (ok[0] & ok[1]) == UINT64_MAX;
}

bool ppi_sku_valid(const char *sku, size_t len)
{
    uint64_t head;
    return ppi_sku_check(sku, len, &head);
}

bool ppi_user_name_valid(const char *name, size_t len)
{
    if (name == NULL || len == 0 || len > PPI_USER_NAME_MAX_LEN)
        return false;
    /* Mostly printable ASCII, which is valid as it is; UTF-8 is decoded. */
    if (all_bytes(name, len, printable_bits))
        return true;
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
