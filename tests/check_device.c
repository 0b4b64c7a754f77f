/* Validation of device record fields (lib/device.c): device IDs, SKUs and
 * user names, each as a table of accepted and a table of rejected inputs. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "suites.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* A string literal as (pointer, length), so cases may hold NUL bytes. */
#define S(lit) { lit, sizeof(lit) - 1 }

typedef struct bytes {
    const char *s;
    size_t len;
} bytes;

/* ---- device IDs: exactly 24 hex digits, any case ---- */

static const bytes valid_ids[] = {
    S("0123456789abcdef01234567"),
    S("0123456789ABCDEF01234567"),
    S("e00fce68a1b2c3d4e5f60718"),
    S("E00FCE68a1B2c3D4e5F60718"),
    S("000000000000000000000000"),
    S("ffffffffffffffffffffffff"),
};

static const bytes invalid_ids[] = {
    { NULL, 0 },
    { NULL, 24 },
    S(""),
    S("0123456789abcdef0123456"),     /* 23 */
    S("0123456789abcdef012345678"),   /* 25 */
    S("0123456789abcdef0123456g"),
    S("0123456789abcdef0123456G"),
    S("0x23456789abcdef01234567"),
    S(" 123456789abcdef01234567"),
    S("0123456789abcdef0123456 "),
    S("0123456789abcdef0123456\n"),
    S("0123456789a\0cdef01234567"),  /* NUL inside the length */
    S("0123456789abcdef012345\xc3\xa9"),
    S("0123456789abcdef-1234567"),
};

START_TEST(test_device_id_accepts_24_hex_digits_any_case)
{
    ck_assert_msg(ppi_device_id_valid(valid_ids[_i].s, valid_ids[_i].len),
                  "valid_ids[%d] rejected", _i);
}
END_TEST

START_TEST(test_device_id_rejects_other_lengths_and_characters)
{
    ck_assert_msg(!ppi_device_id_valid(invalid_ids[_i].s, invalid_ids[_i].len),
                  "invalid_ids[%d] accepted", _i);
}
END_TEST

START_TEST(test_device_id_reads_only_len_bytes)
{
    /* 24 good digits followed by more text: only the length counts. */
    static const char longer[] = "0123456789abcdef01234567zz";
    ck_assert(ppi_device_id_valid(longer, 24));
    ck_assert(!ppi_device_id_valid(longer, 25));
}
END_TEST

/* ---- SKUs: 1..32 bytes of [A-Za-z0-9-] ---- */

static const bytes valid_skus[] = {
    S("B524MEA"), S("P2MOD10"), S("PHN2MEA"), S("E404XMEA"), S("b524mea"),
    S("ONE-404"), S("X"), S("7"), S("-"),
    S("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"),   /* 32 */
};

static const bytes invalid_skus[] = {
    { NULL, 0 },
    { NULL, 7 },
    S(""),
    S("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"),  /* 33 */
    S("B524 MEA"),
    S("B524_MEA"),
    S("B524.MEA"),
    S("B524/MEA"),
    S("B524MEA\n"),
    S(" B524MEA"),
    S("B524\0MEA"),                          /* NUL inside the length */
    S("\xd0\x92""524MEA"),                   /* Cyrillic VE, looks like B */
};

START_TEST(test_sku_accepts_letters_digits_and_hyphens)
{
    ck_assert_msg(ppi_sku_valid(valid_skus[_i].s, valid_skus[_i].len),
                  "valid_skus[%d] rejected", _i);
}
END_TEST

START_TEST(test_sku_rejects_empty_long_and_other_characters)
{
    ck_assert_msg(!ppi_sku_valid(invalid_skus[_i].s, invalid_skus[_i].len),
                  "invalid_skus[%d] accepted", _i);
}
END_TEST

/* ---- user names: 1..255 bytes of UTF-8 without hidden characters ---- */

static const bytes valid_names[] = {
    S("alice@example.com"),
    S("a"),
    S("Alice Example"),
    S("~"),                              /* U+007E, last before DEL */
    S(" "),                              /* U+0020, first after C0 */
    S("Zo\xc3\xab"),                     /* U+00EB, 2 bytes */
    S("\xc2\xa1"),                       /* U+00A1, first after C1 and NBSP */
    S("\xc2\xac\xc2\xae"),               /* U+00AC, U+00AE around the soft hyphen */
    S("\xd8\x9b\xd8\x9d"),               /* U+061B, U+061D around U+061C */
    S("\xe2\x80\x90\xe2\x80\xa7"),       /* U+2010, U+2027: after the zero-width
                                            characters, before LS */
    S("\xe2\x80\xb0\xe2\x81\x9e"),       /* U+2030, U+205E around the bidi and
                                            invisible ranges */
    S("\xe2\x81\xb0"),                   /* U+2070, after them */
    S("\xe3\x80\x81\xef\xbb\xbe"),       /* U+3001, U+FEFE */
    S("\xf3\xa1\x80\x80"),               /* U+E1000, after the tags */
    S("\xdf\xbf"),                       /* U+07FF, last of 2 bytes */
    S("\xe0\xa0\x80"),                   /* U+0800, first of 3 bytes */
    S("\xe6\x97\xa5\xe6\x9c\xac"),       /* Japanese, 3 bytes each */
    S("\xed\x9f\xbf"),                   /* U+D7FF, before the surrogates */
    S("\xee\x80\x80"),                   /* U+E000, after the surrogates */
    S("\xef\xbf\xbd"),                   /* U+FFFD */
    S("\xef\xbf\xbf"),                   /* U+FFFF: a noncharacter, yet valid */
    S("\xf0\x90\x80\x80"),               /* U+10000, first of 4 bytes */
    S("\xf0\x9f\x98\x80 smile"),         /* U+1F600 */
    S("\xf4\x8f\xbf\xbf"),               /* U+10FFFF, the last code point */
};

static const bytes invalid_names[] = {
    { NULL, 0 },
    { NULL, 5 },
    S(""),
    /* C0 controls and DEL */
    S("\0"),
    S("ali\0ce"),                        /* NUL inside the length */
    S("alice\0"),
    S("\x01"),
    S("tab\there"),
    S("line\nbreak"),
    S("cr\r"),
    S("esc\x1b[31m"),
    S("\x1f"),
    S("del\x7f"),
    /* C1 controls U+0080..U+009F */
    S("\xc2\x80"),
    S("next\xc2\x85line"),               /* U+0085 NEL */
    S("\xc2\x9b"),                       /* U+009B CSI */
    S("\xc2\x9f"),
    /* spaces other than U+0020, line and paragraph separators */
    S("a\xc2\xa0" "b"),                 /* U+00A0 no-break space */
    S("\xe1\x9a\x80"),                   /* U+1680 */
    S("\xe2\x80\x80"),                   /* U+2000 */
    S("\xe2\x80\x8a"),                   /* U+200A */
    S("\xe2\x80\xa8"),                   /* U+2028 line separator */
    S("\xe2\x80\xa9"),                   /* U+2029 paragraph separator */
    S("\xe2\x80\xaf"),                   /* U+202F */
    S("\xe2\x81\x9f"),                   /* U+205F */
    S("\xe3\x80\x80"),                   /* U+3000 ideographic space */
    /* bidirectional controls */
    S("alice\xe2\x80\xae"),              /* U+202E right-to-left override */
    S("\xd8\x9c"),                       /* U+061C Arabic letter mark */
    S("\xe2\x80\x8e"),                   /* U+200E LRM */
    S("\xe2\x80\x8f"),                   /* U+200F RLM */
    S("\xe2\x80\xaa"),                   /* U+202A */
    S("\xe2\x81\xa6"),                   /* U+2066 */
    S("\xe2\x81\xa9"),                   /* U+2069 */
    /* other invisible format characters */
    S("soft\xc2\xadhyphen"),             /* U+00AD */
    S("\xe1\xa0\x8e"),                   /* U+180E */
    S("ad\xe2\x80\x8bmin"),              /* U+200B zero-width space */
    S("\xe2\x80\x8d"),                   /* U+200D zero-width joiner */
    S("\xe2\x81\xa0"),                   /* U+2060 word joiner */
    S("\xe2\x81\xa4"),                   /* U+2064 */
    S("\xef\xbb\xbf" "bob"),              /* U+FEFF */
    S("\xcd\x8f"),                       /* U+034F combining grapheme joiner */
    S("\xef\xb8\x8f"),                   /* U+FE0F variation selector */
    S("\xf3\xa0\x80\x81"),               /* U+E0001 language tag */
    S("\xf3\xa0\xbf\xbf"),               /* U+E0FFF, last default-ignorable */
    /* overlong encodings */
    S("\xc0\xaf"),                       /* '/' in 2 bytes */
    S("\xc0\x80"),                       /* NUL in 2 bytes */
    S("\xc1\xbf"),
    S("\xe0\x80\xaf"),                   /* '/' in 3 bytes */
    S("\xe0\x9f\xbf"),                   /* U+07FF in 3 bytes */
    S("\xf0\x80\x80\xaf"),               /* '/' in 4 bytes */
    S("\xf0\x8f\xbf\xbf"),               /* U+FFFF in 4 bytes */
    /* UTF-16 surrogates */
    S("\xed\xa0\x80"),                   /* U+D800 */
    S("\xed\xaf\xbf"),                   /* U+DBFF */
    S("\xed\xb0\x80"),                   /* U+DC00 */
    S("\xed\xbf\xbf"),                   /* U+DFFF */
    S("\xed\xa0\xbd\xed\xb8\x80"),       /* CESU-8 pair for U+1F600 */
    /* above U+10FFFF, and bytes that never occur */
    S("\xf4\x90\x80\x80"),               /* U+110000 */
    S("\xf5\x80\x80\x80"),
    S("\xf7\xbf\xbf\xbf"),
    S("\xf8\x88\x80\x80\x80"),           /* old 5-byte form */
    S("\xfc\x84\x80\x80\x80\x80"),       /* old 6-byte form */
    S("\xfe"),
    S("\xff"),
    /* truncated sequences and stray continuation bytes */
    S("\xc3"),
    S("caf\xc3"),
    S("\xe2\x82"),
    S("\xf0\x9f\x98"),
    S("\xc3" "a"),
    S("\xe2\x82" "a"),
    S("\xf0\x9f" "ab"),
    S("\x80"),
    S("a\xbf"),
    S("\xc3\xa9\xa9"),
    S("\xe2\x82\xac\x80"),
    S("\xe2\xc2\xa0"),                   /* lead byte, then a new lead */
};

START_TEST(test_user_name_accepts_printable_utf8)
{
    ck_assert_msg(ppi_user_name_valid(valid_names[_i].s, valid_names[_i].len),
                  "valid_names[%d] rejected", _i);
}
END_TEST

START_TEST(test_user_name_rejects_controls_and_ill_formed_utf8)
{
    ck_assert_msg(!ppi_user_name_valid(invalid_names[_i].s,
                                       invalid_names[_i].len),
                  "invalid_names[%d] accepted", _i);
}
END_TEST

START_TEST(test_user_name_length_limit_is_255_bytes)
{
    char name[300];
    memset(name, 'a', sizeof name);
    ck_assert(ppi_user_name_valid(name, 255));
    ck_assert(!ppi_user_name_valid(name, 256));

    /* The limit counts bytes, not characters: 253 + a 2-byte character
     * fits, 254 + a 2-byte character does not. */
    memcpy(name + 253, "\xc3\xa9", 2);
    ck_assert(ppi_user_name_valid(name, 255));
    memset(name, 'a', sizeof name);
    memcpy(name + 254, "\xc3\xa9", 2);
    ck_assert(!ppi_user_name_valid(name, 256));
    /* Cut at 255 the same bytes end in half a character. */
    ck_assert(!ppi_user_name_valid(name, 255));
}
END_TEST

START_TEST(test_user_name_sequence_cut_by_len_is_truncated)
{
    /* The buffer holds a whole character but len ends inside it. */
    static const char name[] = "a\xe2\x82\xac";   /* "a€" */
    ck_assert(ppi_user_name_valid(name, 4));
    ck_assert(!ppi_user_name_valid(name, 3));
    ck_assert(!ppi_user_name_valid(name, 2));
    ck_assert(ppi_user_name_valid(name, 1));
}
END_TEST

/* ---- each check against its per-character rule ---- */

/* The checks test eight bytes at a time; these compare them with the rule
 * stated one character at a time, for every byte value at every position
 * of strings of every length they handle, in buffers of exactly that length
 * (so ASan and valgrind see any read past the end). */
static bool hex_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool sku_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '-';
}

/* A lone byte in an ASCII name: printable ASCII only (a byte of 0x80 or
 * more alone is ill-formed UTF-8). */
static bool name_char(unsigned char c)
{
    return c >= 0x20 && c <= 0x7E;
}

typedef struct byte_rule {
    const char *what;
    bool (*check)(const char *s, size_t len);
    bool (*one)(unsigned char c);
    size_t min_len, max_len;
    char fill;
} byte_rule;

static const byte_rule byte_rules[] = {
    { "device ID", ppi_device_id_valid, hex_char, 24, 24, 'a' },
    { "SKU", ppi_sku_valid, sku_char, 1, 32, 'M' },
    { "SKU in lower case", ppi_sku_valid, sku_char, 1, 32, 'z' },
    { "user name", ppi_user_name_valid, name_char, 1, 40, 'u' },
    { "owner", ppi_owner_valid, name_char, 1, 40, 'u' },
};

START_TEST(test_checks_agree_with_their_rule_for_every_byte_everywhere)
{
    const byte_rule *r = &byte_rules[_i];
    for (size_t len = r->min_len; len <= r->max_len; len++) {
        char *buf = malloc(len);
        ck_assert_ptr_nonnull(buf);
        for (size_t at = 0; at < len; at++)
            for (unsigned c = 0; c < 256; c++) {
                memset(buf, r->fill, len);
                buf[at] = (char)c;
                ck_assert_msg(r->check(buf, len) == r->one((unsigned char)c),
                              "%s of %zu bytes with 0x%02x at %zu", r->what, len, c, at);
            }
        free(buf);
    }
}
END_TEST

/* The SKU's key (ppi_sku_key, family_index.c): its first eight bytes, the
 * first lowest, letters a-z upper-cased and every other byte kept,
 * zeros past its end; ppi_sku_check gives it for a valid SKU.  For every
 * byte value at every position of every length the inline check and the
 * out-of-line one take (1-16, 17-32) and past them. */
static uint64_t key_by_bytes(const char *s, size_t len)
{
    uint64_t k = 0;
    for (size_t i = 0; i < len && i < 8; i++) {
        unsigned char c = (unsigned char)s[i];
        k |= (uint64_t)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c) << (8 * i);
    }
    return k;
}

START_TEST(test_sku_key_is_the_first_eight_bytes_upper_cased)
{
    for (size_t len = 1; len <= PPI_SKU_MAX_LEN + 2; len++) {
        char *buf = malloc(len);
        ck_assert_ptr_nonnull(buf);
        for (size_t at = 0; at < len; at++)
            for (unsigned c = 0; c < 256; c++) {
                for (size_t i = 0; i < len; i++) /* both cases, digits and '-' */
                    buf[i] = "Mz9-aZ0q"[i % 8];
                buf[at] = (char)c;
                uint64_t head = 0;
                bool valid = ppi_sku_check(buf, len, &head);
                ck_assert(valid == (sku_char((unsigned char)c) && len <= PPI_SKU_MAX_LEN));
                ck_assert_msg(ppi_sku_key(buf, len) == key_by_bytes(buf, len),
                              "%zu bytes, 0x%02x at %zu", len, c, at);
                if (valid)
                    ck_assert_msg(head == key_by_bytes(buf, len), "%zu bytes, 0x%02x at %zu",
                                  len, c, at);
            }
        free(buf);
    }
}
END_TEST

Suite *device_suite(void)
{
    Suite *s = suite_create("device");

    TCase *tc = tcase_create("device_id");
    tcase_add_loop_test(tc, test_device_id_accepts_24_hex_digits_any_case, 0,
                        (int)COUNT(valid_ids));
    tcase_add_loop_test(tc, test_device_id_rejects_other_lengths_and_characters,
                        0, (int)COUNT(invalid_ids));
    tcase_add_test(tc, test_device_id_reads_only_len_bytes);
    suite_add_tcase(s, tc);

    tc = tcase_create("sku");
    tcase_add_loop_test(tc, test_sku_accepts_letters_digits_and_hyphens, 0,
                        (int)COUNT(valid_skus));
    tcase_add_loop_test(tc, test_sku_rejects_empty_long_and_other_characters, 0,
                        (int)COUNT(invalid_skus));
    tcase_add_test(tc, test_sku_key_is_the_first_eight_bytes_upper_cased);
    suite_add_tcase(s, tc);

    tc = tcase_create("user_name");
    tcase_add_loop_test(tc, test_user_name_accepts_printable_utf8, 0,
                        (int)COUNT(valid_names));
    tcase_add_loop_test(tc, test_user_name_rejects_controls_and_ill_formed_utf8,
                        0, (int)COUNT(invalid_names));
    tcase_add_test(tc, test_user_name_length_limit_is_255_bytes);
    tcase_add_test(tc, test_user_name_sequence_cut_by_len_is_truncated);
    suite_add_tcase(s, tc);

    tc = tcase_create("per_character");
    tcase_add_loop_test(tc, test_checks_agree_with_their_rule_for_every_byte_everywhere, 0,
                        (int)COUNT(byte_rules));
    suite_add_tcase(s, tc);

    return s;
}
