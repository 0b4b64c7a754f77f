/* The characters names and URLs refuse (lib/utf8.c), and names that hold
 * them in every place a policy or a record has a name. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "load_util.h"
#include "suites.h"

/* ---- ppi_char_hidden: the edges of every range ---- */

static const struct {
    uint32_t first, last;
} hidden_ranges[] = {
    { 0x0000, 0x001F }, { 0x007F, 0x00A0 }, { 0x00AD, 0x00AD },
    { 0x034F, 0x034F }, { 0x0600, 0x0605 }, { 0x061C, 0x061C }, { 0x06DD, 0x06DD },
    { 0x070F, 0x070F }, { 0x0890, 0x0891 }, { 0x08E2, 0x08E2 }, { 0x115F, 0x1160 },
    { 0x1680, 0x1680 }, { 0x17B4, 0x17B5 }, { 0x180B, 0x180F }, { 0x2000, 0x200F },
    { 0x2028, 0x202F }, { 0x205F, 0x206F }, { 0x3000, 0x3000 }, { 0x3164, 0x3164 },
    { 0xFE00, 0xFE0F }, { 0xFEFF, 0xFEFF }, { 0xFFA0, 0xFFA0 }, { 0xFFF0, 0xFFFB },
    { 0x110BD, 0x110BD }, { 0x110CD, 0x110CD }, { 0x13430, 0x1343F },
    { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A }, { 0xE0000, 0xE0FFF },
};

START_TEST(test_char_hidden_covers_each_range_and_nothing_around_it)
{
    uint32_t first = hidden_ranges[_i].first, last = hidden_ranges[_i].last;
    ck_assert_msg(ppi_char_hidden(first), "U+%04X", first);
    ck_assert_msg(ppi_char_hidden(last), "U+%04X", last);
    ck_assert_msg(ppi_char_hidden(first + (last - first) / 2), "inside U+%04X", first);
    if (first > 0 && first - 1 != 0x20)
        ck_assert_msg(!ppi_char_hidden(first - 1), "U+%04X", first - 1);
    ck_assert_msg(!ppi_char_hidden(last + 1) || last + 1 == 0x20, "U+%04X", last + 1);
}
END_TEST

START_TEST(test_char_hidden_spares_text)
{
    static const uint32_t text[] = { 0x20, 'a', '~', 0xE9, 0x416, 0x5D0, 0x627, 0x4E2D,
                                     0xAC00, 0xFFFD, 0x1F600, 0x10FFFF };
    for (size_t i = 0; i < COUNT(text); i++)
        ck_assert_msg(!ppi_char_hidden(text[i]), "U+%04X", text[i]);
}
END_TEST

START_TEST(test_utf8_decode_returns_the_code_point)
{
    static const struct {
        const char *s;
        size_t len;
        uint32_t cp;
    } rows[] = {
        { "A", 1, 0x41 }, { "\xc2\xa0", 2, 0xA0 }, { "\xdf\xbf", 2, 0x7FF },
        { "\xe2\x80\xae", 3, 0x202E }, { "\xef\xbb\xbf", 3, 0xFEFF },
        { "\xf0\x9f\x98\x80", 4, 0x1F600 }, { "\xf4\x8f\xbf\xbf", 4, 0x10FFFF },
    };
    for (size_t i = 0; i < COUNT(rows); i++) {
        uint32_t cp = 0;
        ck_assert_uint_eq(ppi_utf8_decode((const unsigned char *)rows[i].s, rows[i].len, &cp),
                          rows[i].len);
        ck_assert_uint_eq(cp, rows[i].cp);
    }
    uint32_t cp;
    ck_assert_uint_eq(ppi_utf8_decode((const unsigned char *)"\xe2\x80", 2, &cp), 0);
    ck_assert_uint_eq(ppi_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
    /* A lead byte, or a byte past 0xBF, where a continuation byte must be. */
    ck_assert_uint_eq(ppi_utf8_decode((const unsigned char *)"\xe2\x80\xc3", 3, &cp), 0);
    ck_assert_uint_eq(ppi_utf8_decode((const unsigned char *)"\xf0\x90\x80\xff", 4, &cp), 0);
    ck_assert_uint_eq(ppi_utf8_decode((const unsigned char *)"\xe2\x80\xbf", 3, &cp), 3);
}
END_TEST

/* ---- names in a policy ---- */

/* Code points the issue named, and the edges of their ranges. */
static const uint32_t refused[] = {
    0x01, 0x1F, 0x7F, 0x80, 0x85, 0x9B, 0x9F,             /* controls */
    0xA0, 0x1680, 0x2000, 0x2005, 0x200A, 0x2028, 0x2029, /* spaces, separators */
    0x202F, 0x205F, 0x3000,
    0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C,       /* bidi controls */
    0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
    0xAD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060,          /* invisible */
    0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x034F, 0xFE0F, 0xE0001, 0xE007F,
};

/* Policies with one name that holds "\UXXXXXXXX" in place of @@; the path
 * of that name. */
static const struct {
    const char *yaml, *path;
} name_places[] = {
    { "version: 1\norganizations:\n  - name: \"ac@@me\"\n", "organizations[0].name" },
    { "version: 1\norganizations:\n  - name: acme\n"
      "    members: [{user: \"ali@@ce\", role: owner}]\n",
      "organizations[0].members[0].user" },
    { "version: 1\norganizations:\n  - name: acme\n"
      "    api_users: [{name: \"c@@i\", scopes: [devices:import]}]\n",
      "organizations[0].api_users[0].name" },
    { "version: 1\nproducts:\n  - {id: 1, name: \"Tra@@cker\", family: argon}\n",
      "products[0].name" },
    { "version: 1\nproducts:\n  - {id: 1, name: p, family: argon,\n"
      "     team: [{user: \"b@@ob\", role: support}]}\n",
      "products[0].team[0].user" },
};

static void policy_with(char *out, size_t size, const char *yaml, uint32_t cp)
{
    char escape[16];
    snprintf(escape, sizeof escape, "\\U%08X", cp);
    splice(out, size, yaml, escape);
}

START_TEST(test_load_names_refuse_hidden_characters)
{
    for (size_t k = 0; k < COUNT(name_places); k++) {
        char text[512];
        policy_with(text, sizeof text, name_places[k].yaml, refused[_i]);
        pp_error err;
        ck_assert_int_eq(load_fails(&err, text, NULL), PP_ERR_INVALID_VALUE);
        ck_assert_msg(strncmp(err.message, name_places[k].path,
                              strlen(name_places[k].path)) == 0 &&
                          strstr(err.message, "invisible") != NULL,
                      "U+%04X in %s: %s", refused[_i], name_places[k].path, err.message);
        /* The message shows the character as '?', never itself. */
        ck_assert_msg(message_well_formed(&err), "U+%04X: %s", refused[_i], err.message);
    }
}
END_TEST

START_TEST(test_load_names_keep_visible_neighbours)
{
    static const uint32_t visible[] = { 0xA1, 0xAC, 0xAE, 0x061B, 0x061D, 0x2010,
                                        0x2027, 0x2030, 0x205E, 0x2070, 0x3001, 0xFEFE };
    for (size_t k = 0; k < COUNT(name_places); k++)
        for (size_t i = 0; i < COUNT(visible); i++) {
            char text[512];
            policy_with(text, sizeof text, name_places[k].yaml, visible[i]);
            pp_policy_free(load_text(text, strlen(text)));
        }
}
END_TEST

/* ---- names in records: owners deny as invalid input ---- */

START_TEST(test_decide_owner_with_a_hidden_character_is_invalid_input)
{
    static const char yaml[] =
        "version: 1\n"
        "organizations:\n  - name: acme\n    members: [{user: alice, role: owner}]\n"
        "products:\n  - {id: 7, name: p, organization: acme, family: argon,\n"
        "     unrecognized_devices: auto_approve}\n";
    pp_policy *p = load_text(yaml, strlen(yaml));
    pp_device d = { .id = "e00fce68f5e1a8c2d8a1b3c4", .id_len = 24, .platform_id = 12,
                    .device_os = "5.4.0", .device_os_len = 5, .firmware_product_id = 7,
                    .owner = "alice", .owner_len = 5 };
    pp_decision out;
    ck_assert_int_eq(pp_decide(&out, p, NULL, &d), PP_OK);
    ck_assert_int_ne(out.reason, PP_REASON_INVALID_INPUT);
    /* "alice" as the eye reads it: U+202E, U+200B or U+00A0 after it. */
    static const char *const owners[] = { "alice\xe2\x80\xae", "alice\xe2\x80\x8b",
                                          "alice\xc2\xa0" };
    for (size_t i = 0; i < COUNT(owners); i++) {
        d.owner = owners[i];
        d.owner_len = strlen(owners[i]);
        ck_assert_int_eq(pp_decide(&out, p, NULL, &d), PP_ERR_OWNER);
        ck_assert_int_eq(out.outcome, PP_OUTCOME_DENY);
        ck_assert_int_eq(out.reason, PP_REASON_INVALID_INPUT);
        ck_assert_uint_eq(out.privileges, 0);
    }
    pp_policy_free(p);
}
END_TEST

Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *chars = tcase_create("hidden characters");
    tcase_add_loop_test(chars, test_char_hidden_covers_each_range_and_nothing_around_it, 0,
                        (int)COUNT(hidden_ranges));
    tcase_add_test(chars, test_char_hidden_spares_text);
    tcase_add_test(chars, test_utf8_decode_returns_the_code_point);
    suite_add_tcase(s, chars);

    TCase *names = tcase_create("names");
    tcase_add_loop_test(names, test_load_names_refuse_hidden_characters, 0, (int)COUNT(refused));
    tcase_add_test(names, test_load_names_keep_visible_neighbours);
    tcase_add_test(names, test_decide_owner_with_a_hidden_character_is_invalid_input);
    suite_add_tcase(s, names);
    return s;
}
