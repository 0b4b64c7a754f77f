/* Approved integration destinations (lib/url.c): what a URL may hold, one
 * spelling per destination, and the audit's comparison against it. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "load_util.h"
#include "suites.h"

static const char product_with[] =
    "version: 1\nproducts:\n  - id: 1\n    name: p\n    family: argon\n"
    "    approved_integrations:\n@@";

/* A policy whose product approves the given list items ("      - x\n"...). */
static void policy_with(char *out, size_t size, const char *items)
{
    splice(out, size, product_with, items);
}

/* Code points a URL refuses: every kind the issue named. */
static const uint32_t refused[] = {
    0x01, 0x09, 0x1F, 0x20, 0x7F, 0x80, 0x85, 0x9B, 0x9F,
    0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    0x061C, 0x200E, 0x200F, 0x202A, 0x202E, 0x2066, 0x2069,
    0xAD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0x2064, 0xFEFF, 0xFE0F, 0xE0001,
};

START_TEST(test_url_refuses_control_format_and_space_characters)
{
    /* In the host, in the path, and last. */
    static const char *const places[] = { "\"https://ho@@st.example/in\"",
                                          "\"https://host.example/i@@n\"",
                                          "\"https://host.example/in@@\"" };
    for (size_t k = 0; k < COUNT(places); k++) {
        char escape[16], url[64], item[96], text[512];
        snprintf(escape, sizeof escape, "\\U%08X", refused[_i]);
        splice(url, sizeof url, places[k], escape);
        snprintf(item, sizeof item, "      - %s\n", url);
        policy_with(text, sizeof text, item);
        pp_error err;
        ck_assert_int_eq(load_fails(&err, text, NULL), PP_ERR_INVALID_VALUE);
        ck_assert_msg(strstr(err.message, "is not an http(s) URL") != NULL,
                      "U+%04X: %s", refused[_i], err.message);
        ck_assert_msg(message_well_formed(&err), "U+%04X: %s", refused[_i], err.message);
    }
}
END_TEST

START_TEST(test_url_keeps_visible_text)
{
    char text[512];
    policy_with(text, sizeof text,
                "      - \"https://h\\u00F6st.example/caf\\u00E9\"\n"
                "      - \"https://host.example/\\u2010\\u3001\\U0001F600\"\n"
                "      - https://host.example/a?b=c#d\n"
                "      - http://user:pw@host.example:8443/x\n"
                "      - https://[fe80::1]:443/\n");
    pp_policy *p = load_text(text, strlen(text));
    ck_assert_uint_eq(p->nintegrations, 5);
    pp_policy_free(p);
}
END_TEST

/* ---- one spelling per destination ---- */

static const struct {
    const char *given, *canonical;
} canonical_rows[] = {
    { "HTTPS://Host.EXAMPLE/Path", "https://host.example/Path" },
    { "Http://HOST.example:8080/X?Q=1#F", "http://host.example:8080/X?Q=1#F" },
    { "https://User:PW@Host.Example/", "https://User:PW@host.example/" },
    { "https://a@b@C.example", "https://a@b@c.example" },   /* the last '@' */
    { "https://[FE80::A]:80/P", "https://[fe80::a]:80/P" },
    { "HTTPS://A", "https://a" },
    { "https://Host?Q", "https://host?Q" },
    { "https://Host#F", "https://host#F" },
    { "https://\xc3\x84.Example/", "https://\xc3\x84.example/" }, /* ASCII letters only */
};

START_TEST(test_url_is_stored_with_scheme_and_host_in_lower_case)
{
    char item[160], text[512];
    snprintf(item, sizeof item, "      - \"%s\"\n", canonical_rows[_i].given);
    policy_with(text, sizeof text, item);
    pp_policy *p = load_text(text, strlen(text));
    ck_assert_uint_eq(p->nintegrations, 1);
    ck_assert_uint_eq(p->integrations[0].len, strlen(canonical_rows[_i].canonical));
    ck_assert_str_eq(p->integrations[0].ptr, canonical_rows[_i].canonical);
    pp_policy_free(p);
}
END_TEST

static const struct {
    const char *a, *b;
    bool same;
} pair_rows[] = {
    { "https://A", "HTTPS://a", true },
    { "https://hooks.example/in", "hTTpS://HOOKS.Example/in", true },
    { "http://h.example:8080/x", "HTTP://H.EXAMPLE:8080/x", true },
    { "https://[fe80::1]/", "https://[FE80::1]/", true },
    { "https://u@h.example/", "https://u@H.example/", true },
    { "https://h.example?Q", "https://H.example?Q", true },
    { "https://h.example/P", "https://h.example/p", false },
    { "https://U@h.example/", "https://u@h.example/", false },
    { "https://h.example?Q", "https://h.example?q", false },
    { "https://h.example#F", "https://h.example#f", false },
    { "http://h.example", "https://h.example", false },
};

START_TEST(test_url_duplicates_compare_scheme_and_host_without_case)
{
    char items[256], text[512];
    snprintf(items, sizeof items, "      - \"%s\"\n      - \"%s\"\n", pair_rows[_i].a,
             pair_rows[_i].b);
    policy_with(text, sizeof text, items);
    if (!pair_rows[_i].same) {
        pp_policy_free(load_text(text, strlen(text)));
        return;
    }
    pp_error err;
    ck_assert_int_eq(load_fails(&err, text, NULL), PP_ERR_DUPLICATE);
    ck_assert_uint_eq(err.line, 8);
    ck_assert_ptr_nonnull(strstr(err.message, "is listed twice"));
}
END_TEST

START_TEST(test_url_approves_exactly_or_under_a_slash)
{
    static const struct {
        const char *approved, *url;
        bool yes;
    } rows[] = {
        { "https://h.example/in", "HTTPS://H.Example/in", true },
        { "https://h.example/in", "https://h.example/in/", false },
        { "https://h.example/in", "https://h.example/In", false },
        { "https://h.example/", "https://H.EXAMPLE/any/thing", true },
        { "https://h.example/", "https://h.example", false },
        { "https://h.example/a/", "https://h.example/a/B", true },
        { "https://h.example/a/", "https://h.example/A/b", false },
        { "https://u@h.example/", "https://u@H.example/x", true },
        { "https://u@h.example/", "https://U@h.example/x", false },
        { "https://h.example", "https://h.example.evil/", false },
        { "https://h.example/", "https://h.example.evil/", false },
        { "", "https://h.example/", false },
    };
    for (size_t i = 0; i < COUNT(rows); i++)
        ck_assert_msg(ppi_url_approves(rows[i].approved, strlen(rows[i].approved), rows[i].url,
                                       strlen(rows[i].url)) == rows[i].yes,
                      "%s approves %s", rows[i].approved, rows[i].url);
}
END_TEST

Suite *url_suite(void)
{
    Suite *s = suite_create("url");
    TCase *valid = tcase_create("what a URL may hold");
    tcase_add_loop_test(valid, test_url_refuses_control_format_and_space_characters, 0,
                        (int)COUNT(refused));
    tcase_add_test(valid, test_url_keeps_visible_text);
    suite_add_tcase(s, valid);

    TCase *same = tcase_create("one destination, one spelling");
    tcase_add_loop_test(same, test_url_is_stored_with_scheme_and_host_in_lower_case, 0,
                        (int)COUNT(canonical_rows));
    tcase_add_loop_test(same, test_url_duplicates_compare_scheme_and_host_without_case, 0,
                        (int)COUNT(pair_rows));
    tcase_add_test(same, test_url_approves_exactly_or_under_a_slash);
    suite_add_tcase(s, same);
    return s;
}
