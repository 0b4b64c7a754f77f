/* Semver 2.0.0 parsing and precedence (lib/version.c).  The comparison cases
 * live in tests/data/versions.txt; the tables here cover what a comparison
 * line cannot express: rejected input, parsed fields, lengths. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "load_util.h"
#include "version_short.h"
#include "suites.h"

/* A string literal as (pointer, length), so cases may hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

/* ---- the comparison file ---- */

#define MAX_CASES 256
#define MAX_VERSION 128

typedef struct comparison {
    char a[MAX_VERSION];
    char b[MAX_VERSION];
    int want;       /* -1, 0, 1 */
    int line;
} comparison;

/* Read every "A <op> B" line of versions.txt; a malformed line fails the
 * test so a typo in the data cannot silently drop a case. */
static size_t load_comparisons(comparison *out, size_t cap)
{
    const char *path = TEST_DATA_DIR "/versions.txt";
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[512];
    int lineno = 0;
    size_t n = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        ck_assert_msg(strchr(line, '\n') != NULL || feof(f),
                      "versions.txt:%d: line too long", lineno);
        if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line))
            continue;
        ck_assert_msg(n < cap, "versions.txt: more than %zu cases", cap);
        comparison *c = &out[n];
        char op[4], extra;
        int fields = sscanf(line, "%127s %3s %127s %c", c->a, op, c->b, &extra);
        ck_assert_msg(fields == 3, "versions.txt:%d: expected \"A <op> B\"",
                      lineno);
        ck_assert_msg(strlen(op) == 1 && strchr("<=>", op[0]) != NULL,
                      "versions.txt:%d: bad operator \"%s\"", lineno, op);
        c->want = op[0] == '<' ? -1 : op[0] == '=' ? 0 : 1;
        c->line = lineno;
        n++;
    }
    fclose(f);
    return n;
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void parse_ok(ppi_version *v, const char *s, int line)
{
    ck_assert_msg(ppi_version_parse(v, s, strlen(s)) == PP_OK,
                  "versions.txt:%d: \"%s\" should parse", line, s);
}

START_TEST(test_version_file_comparisons_hold_both_ways)
{
    static comparison cases[MAX_CASES];
    size_t n = load_comparisons(cases, MAX_CASES);
    ck_assert_uint_ge(n, 80);

    for (size_t i = 0; i < n; i++) {
        const comparison *c = &cases[i];
        ppi_version va, vb;
        parse_ok(&va, c->a, c->line);
        parse_ok(&vb, c->b, c->line);
        ck_assert_msg(sign(ppi_version_cmp(&va, &vb)) == c->want,
                      "versions.txt:%d: ppi_version_cmp(%s, %s) != %d",
                      c->line, c->a, c->b, c->want);
        ck_assert_msg(sign(ppi_version_cmp(&vb, &va)) == -c->want,
                      "versions.txt:%d: ppi_version_cmp(%s, %s) != %d",
                      c->line, c->b, c->a, -c->want);

        int got = 99;
        ck_assert_int_eq(pp_version_compare(&got, c->a, strlen(c->a), c->b,
                                            strlen(c->b)),
                         PP_OK);
        ck_assert_msg(got == c->want,
                      "versions.txt:%d: pp_version_compare(%s, %s) = %d",
                      c->line, c->a, c->b, got);
        got = 99;
        ck_assert_int_eq(pp_version_compare(&got, c->b, strlen(c->b), c->a,
                                            strlen(c->a)),
                         PP_OK);
        ck_assert_msg(got == -c->want,
                      "versions.txt:%d: pp_version_compare(%s, %s) = %d",
                      c->line, c->b, c->a, got);
    }
}
END_TEST

/* Every version in the file against every other: the precedence must be a
 * total preorder (reflexive, antisymmetric in sign, transitive), which the
 * pairwise lines alone do not show.  Each distinct text is taken once, and
 * transitivity is only tested where it says something (i <= j <= k), so the
 * test stays quick under sanitizers as the file grows. */
START_TEST(test_version_precedence_is_a_total_order_over_file_versions)
{
    static comparison cases[MAX_CASES];
    static const char *text[2 * MAX_CASES];
    static ppi_version v[2 * MAX_CASES];
    static int cmp[2 * MAX_CASES][2 * MAX_CASES];
    size_t ncases = load_comparisons(cases, MAX_CASES);
    size_t n = 0;
    for (size_t i = 0; i < 2 * ncases; i++) {
        const comparison *c = &cases[i / 2];
        const char *s = i % 2 == 0 ? c->a : c->b;
        size_t k = 0;
        while (k < n && strcmp(text[k], s) != 0)
            k++;
        if (k == n) {
            text[n] = s;
            parse_ok(&v[n++], s, c->line);
        }
    }
    ck_assert_uint_ge(n, 150);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            cmp[i][j] = sign(ppi_version_cmp(&v[i], &v[j]));

    /* Count violations and assert once: a Check assertion per triple would
     * cost millions of round trips to the runner. */
    size_t bad = 0, bad_i = 0, bad_j = 0, bad_k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if ((cmp[i][i] != 0 || cmp[i][j] != -cmp[j][i]) && bad++ == 0) {
                bad_i = i;
                bad_j = bad_k = j;
            }
            if (cmp[i][j] > 0)
                continue;
            /* i <= j <= k implies i <= k, equal only if both are. */
            for (size_t k = 0; k < n; k++)
                if (cmp[j][k] <= 0 &&
                    (cmp[i][k] > 0 ||
                     (cmp[i][k] == 0) != (cmp[i][j] == 0 && cmp[j][k] == 0)) &&
                    bad++ == 0) {
                    bad_i = i;
                    bad_j = j;
                    bad_k = k;
                }
        }
    ck_assert_msg(bad == 0, "%zu violations, first at %s, %s, %s", bad,
                  text[bad_i], text[bad_j], text[bad_k]);
}
END_TEST

START_TEST(test_version_semver_org_chain_is_strictly_increasing)
{
    static const char *const chain[] = {
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
        "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
    };
    for (size_t i = 0; i < COUNT(chain); i++)
        for (size_t j = 0; j < COUNT(chain); j++) {
            int got = 99;
            ck_assert_int_eq(pp_version_compare(&got, chain[i],
                                                strlen(chain[i]), chain[j],
                                                strlen(chain[j])),
                             PP_OK);
            ck_assert_msg(got == (i < j ? -1 : i > j ? 1 : 0),
                          "%s vs %s gave %d", chain[i], chain[j], got);
        }
}
END_TEST

/* Where the keys decide (ppi_version_keys_decide), they order versions as
 * ppi_version_cmp does, and they decide every pair of distinct releases: every pair of a set with prereleases, builds,
 * numbers just below and at PPI_VERSION_KEY_LIMIT (no key) and past 2^64. */
START_TEST(test_version_keys_order_like_the_comparison)
{
    static const char *const set[] = {
        "0.0.0", "0.0.1-rc.1", "0.0.1", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta",
        "1.0.0-rc.1", "1.0.0", "v1.0.0+build.7", "1.0.1", "1.1.0-0", "1.1.0", "3.3.1",
        "4.0.0-beta.1", "5.4.0", "5.10.12", "10.20.30", "1048575.1048575.1048575",
        "1048575.1048575.1048576", "1048576.0.0-rc", "1048576.0.0", "2.1048576.0",
        "18446744073709551616.0.0",
    };
    for (size_t i = 0; i < COUNT(set); i++)
        for (size_t j = 0; j < COUNT(set); j++) {
            ppi_version a, b;
            ck_assert_int_eq(ppi_version_parse(&a, set[i], strlen(set[i])), PP_OK);
            ck_assert_int_eq(ppi_version_parse(&b, set[j], strlen(set[j])), PP_OK);
            int want = ppi_version_cmp(&a, &b);
            if (ppi_version_keys_decide(a.key, b.key))
                ck_assert_msg((a.key > b.key) - (a.key < b.key) == (want > 0) - (want < 0),
                              "%s vs %s: keys disagree", set[i], set[j]);
            else
                ck_assert_msg(a.key == 0 || b.key == 0 || (a.key == b.key && a.pre != NULL),
                              "%s vs %s: keys that should decide", set[i], set[j]);
            bool big = strstr(set[i], "1048576") != NULL || strstr(set[i], "18446") != NULL;
            ck_assert_msg((a.key == 0) == big, "%s: key %llx", set[i],
                          (unsigned long long)a.key);
        }
}
END_TEST

/* ---- parsing ---- */

/* MAJOR, MINOR and PATCH are expected as their digits: they may be longer
 * than any integer type. */
static const struct valid_case {
    const char *s;
    const char *major, *minor, *patch;
    const char *pre;  /* expected prerelease text, NULL for none */
} valid_cases[] = {
    { "3.3.1", "3", "3", "1", NULL },
    { "4.0.0-beta.1", "4", "0", "0", "beta.1" },
    { "2.3.1-rc.2", "2", "3", "1", "rc.2" },
    { "3.0.1-p2.1", "3", "0", "1", "p2.1" },
    { "5.4.0+ledger", "5", "4", "0", NULL },
    { "v6.1.0", "6", "1", "0", NULL },
    { "1.0.0-0A.is.legal", "1", "0", "0", "0A.is.legal" },
    { "1.0.0-alpha+001", "1", "0", "0", "alpha" },
    { "0.0.0", "0", "0", "0", NULL },
    { "4.0.0-0", "4", "0", "0", "0" },
    { "1.0.0--", "1", "0", "0", "-" },
    { "1.0.0-x-y-z.--", "1", "0", "0", "x-y-z.--" },
    { "1.0.0-00a", "1", "0", "0", "00a" },
    { "1.0.0-alpha.0.valid", "1", "0", "0", "alpha.0.valid" },
    { "1.0.0+0123", "1", "0", "0", NULL },
    { "1.0.0+-", "1", "0", "0", NULL },
    { "1.0.0-rc.1+build.1-x.007", "1", "0", "0", "rc.1" },
    { "v10.20.30-a+b", "10", "20", "30", "a" },
    { "1.0.0-123456789012345678901234567890", "1", "0", "0",
      "123456789012345678901234567890" },
    { "18446744073709551615.18446744073709551615.18446744073709551615",
      "18446744073709551615", "18446744073709551615", "18446744073709551615",
      NULL },
    { "9999999999999999999.0.0", "9999999999999999999", "0", "0", NULL },
    { "99999999999999999999.0.0", "99999999999999999999", "0", "0", NULL },
    { "18446744073709551616.0.0", "18446744073709551616", "0", "0", NULL },
    { "0.18446744073709551616.0", "0", "18446744073709551616", "0", NULL },
    { "0.0.18446744073709551616", "0", "0", "18446744073709551616", NULL },
    { "v123456789012345678901234567890.1.2-rc.1+b",
      "123456789012345678901234567890", "1", "2", "rc.1" },
    { "99999999999999999999999.999999999999999999.99999999999999999",
      "99999999999999999999999", "999999999999999999", "99999999999999999",
      NULL },
};

/* The value of a number of at most 18 digits. */
static uint64_t decimal(const char *digits)
{
    uint64_t v = 0;
    for (const char *d = digits; *d; d++)
        v = v * 10 + (uint64_t)(*d - '0');
    return v;
}

static void check_number(const ppi_number *n, const char *want,
                         const char *version)
{
    size_t len = strlen(want);
    ck_assert_msg(n->len == len && memcmp(n->digits, want, len) == 0,
                  "%s: expected the number %s", version, want);
    uint64_t value = len <= PPI_NUMBER_EXACT_DIGITS ? decimal(want) : PPI_NUMBER_LONG;
    ck_assert_msg(n->value == value, "%s: %s has the wrong value", version, want);
}

START_TEST(test_version_parses_valid_forms)
{
    const struct valid_case *c = &valid_cases[_i];
    ppi_version v;
    ck_assert_msg(ppi_version_parse(&v, c->s, strlen(c->s)) == PP_OK,
                  "\"%s\" should parse", c->s);
    check_number(&v.major, c->major, c->s);
    check_number(&v.minor, c->minor, c->s);
    check_number(&v.patch, c->patch, c->s);
    /* The digits point into the input. */
    ck_assert(v.major.digits >= c->s && v.patch.digits < c->s + strlen(c->s));
    if (c->pre == NULL) {
        ck_assert_ptr_null(v.pre);
        ck_assert_uint_eq(v.pre_len, 0);
    } else {
        ck_assert_ptr_nonnull(v.pre);
        ck_assert_uint_eq(v.pre_len, strlen(c->pre));
        ck_assert(memcmp(v.pre, c->pre, v.pre_len) == 0);
    }
}
END_TEST

/* The list of valid and invalid versions that semver.org's FAQ points to
 * ("Is there a suggested regular expression?"), taken whole. */
static const char *const semver_org_valid[] = {
    "0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta",
    "1.1.2+meta-valid", "1.0.0-alpha", "1.0.0-beta", "1.0.0-alpha.beta",
    "1.0.0-alpha.beta.1", "1.0.0-alpha.1", "1.0.0-alpha0.valid",
    "1.0.0-alpha.0valid",
    "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
    "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123", "1.2.3-beta",
    "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123", "1.0.0", "2.0.0", "1.1.7",
    "2.0.0+build.1848", "2.0.1-alpha.1227", "1.0.0-alpha+beta",
    "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----R-S.12.9.1--.12+meta",
    "1.2.3----RC-SNAPSHOT.12.9.1--.12", "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
    "99999999999999999999999.999999999999999999.99999999999999999",
    "1.0.0-0A.is.legal",
};

static const char *const semver_org_invalid[] = {
    "1", "1.2", "1.2.3-0123", "1.2.3-0123.0123", "1.1.2+.123", "+invalid",
    "-invalid", "-invalid+invalid", "-invalid.01", "alpha", "alpha.beta",
    "alpha.beta.1", "alpha.1", "alpha+beta", "alpha_beta", "alpha.",
    "alpha..", "beta", "1.0.0-alpha_beta", "-alpha.", "1.0.0-alpha..",
    "1.0.0-alpha..1", "1.0.0-alpha...1", "1.0.0-alpha....1",
    "1.0.0-alpha.....1", "1.0.0-alpha......1", "1.0.0-alpha.......1",
    "01.1.1", "1.01.1", "1.1.01", "1.2.3.DEV", "1.2-SNAPSHOT",
    "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", "1.2-RC-SNAPSHOT",
    "-1.0.3-gamma+b7718", "+justmeta", "9.8.7+meta+meta",
    "9.8.7-whatever+meta+meta",
    ("99999999999999999999999.999999999999999999.99999999999999999"
     "----RC-SNAPSHOT.12.09.1--------------------------------..12"),
};

START_TEST(test_version_accepts_semver_org_valid_list)
{
    const char *s = semver_org_valid[_i];
    ppi_version v;
    ck_assert_msg(ppi_version_parse(&v, s, strlen(s)) == PP_OK,
                  "\"%s\" should parse", s);
    int cmp = 99;
    ck_assert_int_eq(pp_version_compare(&cmp, s, strlen(s), s, strlen(s)),
                     PP_OK);
    ck_assert_int_eq(cmp, 0);
}
END_TEST

START_TEST(test_version_rejects_semver_org_invalid_list)
{
    const char *s = semver_org_invalid[_i];
    ppi_version v;
    ck_assert_msg(ppi_version_parse(&v, s, strlen(s)) == PP_ERR_INVALID_VERSION,
                  "\"%s\" should be rejected", s);
}
END_TEST

static const struct invalid_case {
    const char *s;
    size_t len;
} invalid_cases[] = {
    { S("") },
    { S("4.0") },
    { S("4") },
    { S("04.0.0") },
    { S("4.00.0") },
    { S("4.0.00") },
    { S("4.0.0-") },
    { S("4.0.0-01") },
    { S("4.0.0-alpha.01") },
    { S("4.0.0-00") },
    { S("4.0.0+") },
    { S("4.0.0-a..b") },
    { S("4.0.0-a.") },
    { S("4.0.0-.a") },
    { S("4.0.0+a..b") },
    { S("4.0.0+a.") },
    { S("4.0.0-+b") },
    { S("4.0.0-a+") },
    { S("4.0.0+a+b") },
    { S("vv4.0.0") },
    { S("V4.0.0") },
    { S("v") },
    { S(" 4.0.0") },
    { S("4.0.0 ") },
    { S("4.0.0\n") },
    { S("4.0.0-beta_1") },
    { S("4.0.0+build_1") },
    { S("4.0.0-b\xc3\xa9ta") },
    { S("4.0.0.0") },
    { S("4..0.0") },
    { S(".4.0.0") },
    { S("4.0.") },
    { S("4.0.0a") },
    { S("-4.0.0") },
    { S("+4.0.0") },
    { S("4.-1.0") },
    { S("4.0.0\0") },
    { S("4.0\0.0") },
    { S("018446744073709551616.0.0") },
    { S("1.00000000000000000000000.0") },
    { S("1.0.0-000000000000000000000000") },
};

START_TEST(test_version_rejects_invalid_forms)
{
    const struct invalid_case *c = &invalid_cases[_i];
    ppi_version v;
    ck_assert_msg(ppi_version_parse(&v, c->s, c->len) == PP_ERR_INVALID_VERSION,
                  "case %d (\"%s\") should be rejected", _i, c->s);
    int got = 99;
    ck_assert_int_eq(pp_version_compare(&got, c->s, c->len, S("1.0.0")),
                     PP_ERR_INVALID_VERSION);
    ck_assert_int_eq(pp_version_compare(&got, S("1.0.0"), c->s, c->len),
                     PP_ERR_INVALID_VERSION);
}
END_TEST

START_TEST(test_version_rejects_null)
{
    ppi_version v;
    ck_assert_int_eq(ppi_version_parse(&v, NULL, 0), PP_ERR_INVALID_VERSION);
    ck_assert_int_eq(ppi_version_parse(&v, NULL, 5), PP_ERR_INVALID_VERSION);
    int got = 99;
    ck_assert_int_eq(pp_version_compare(&got, NULL, 0, S("1.0.0")),
                     PP_ERR_INVALID_VERSION);
    ck_assert_int_eq(pp_version_compare(&got, S("1.0.0"), NULL, 0),
                     PP_ERR_INVALID_VERSION);
}
END_TEST

START_TEST(test_version_failed_parse_clears_result)
{
    ppi_version v;
    memset(&v, 0xAB, sizeof v);
    ck_assert_int_eq(ppi_version_parse(&v, S("4.0.0-01")),
                     PP_ERR_INVALID_VERSION);
    ck_assert_ptr_null(v.major.digits);
    ck_assert_uint_eq(v.major.len, 0);
    ck_assert_uint_eq(v.major.value, 0);
    ck_assert_ptr_null(v.patch.digits);
    ck_assert_uint_eq(v.patch.len, 0);
    ck_assert_ptr_null(v.pre);
    ck_assert_uint_eq(v.pre_len, 0);
    ck_assert_ptr_null(v.text);
    ck_assert_uint_eq(v.text_len, 0);
}
END_TEST

START_TEST(test_version_prerelease_and_text_point_into_input)
{
    static const char with_build[] = "4.0.0-beta.1+x.y";
    static const char with_v[] = "v6.1.0-rc.1";
    static const char build_only[] = "5.4.0+ledger-1";
    ppi_version v;

    ck_assert_int_eq(ppi_version_parse(&v, S(with_build)), PP_OK);
    ck_assert_ptr_eq(v.pre, with_build + 6);
    ck_assert_uint_eq(v.pre_len, 6);
    ck_assert_ptr_eq(v.text, with_build);
    ck_assert_uint_eq(v.text_len, sizeof with_build - 1);

    ck_assert_int_eq(ppi_version_parse(&v, S(with_v)), PP_OK);
    ck_assert_ptr_eq(v.pre, with_v + 7);
    ck_assert_uint_eq(v.pre_len, 4);
    /* The text keeps the 'v': it is the version as the policy wrote it. */
    ck_assert_ptr_eq(v.text, with_v);
    ck_assert_uint_eq(v.text_len, sizeof with_v - 1);

    /* A hyphen inside build metadata is not a prerelease. */
    ck_assert_int_eq(ppi_version_parse(&v, S(build_only)), PP_OK);
    ck_assert_ptr_null(v.pre);
    ck_assert_uint_eq(v.pre_len, 0);
}
END_TEST

START_TEST(test_version_reads_only_len_bytes)
{
    /* No terminating NUL: a read past the end shows under valgrind/ASan. */
    static const char bare[5] = { '1', '.', '2', '.', '3' };
    ppi_version v;
    ck_assert_int_eq(ppi_version_parse(&v, bare, sizeof bare), PP_OK);
    ck_assert_uint_eq(v.patch.value, 3);

    /* Bytes after len do not belong to the version, valid or not. */
    static const char longer[] = "4.0.0-beta.1 trailing";
    ck_assert_int_eq(ppi_version_parse(&v, longer, 12), PP_OK);
    ck_assert_ptr_eq(v.pre, longer + 6);
    ck_assert_uint_eq(v.pre_len, 6);
    ck_assert_uint_eq(v.text_len, 12);
    ck_assert_int_eq(ppi_version_parse(&v, longer, 11), PP_ERR_INVALID_VERSION);
    ck_assert_int_eq(ppi_version_parse(&v, "12.0.0", 5), PP_ERR_INVALID_VERSION);
}
END_TEST

/* ---- the decision path's parse of short versions (version_short.h) ---- */

/* What the short parse must accept: 5 to 8 bytes of three dot-separated
 * numbers without leading zeros, digits and dots only; values as decimal. */
static bool short_reference(const char *s, size_t len, uint64_t value[3], size_t at[3],
                            size_t n[3])
{
    if (len < 5 || len > 8)
        return false;
    size_t part = 0, i = 0;
    for (; part < 3; part++) {
        at[part] = i;
        value[part] = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            value[part] = value[part] * 10 + (uint64_t)(s[i++] - '0');
        n[part] = i - at[part];
        if (n[part] == 0 || (n[part] > 1 && s[at[part]] == '0'))
            return false;
        if (part < 2 && (i == len || s[i++] != '.'))
            return false;
    }
    return i == len;
}

static void check_short(const char *s, size_t len)
{
    uint64_t value[3];
    size_t at[3], n[3];
    ppi_version v;
    memset(&v, 0xAB, sizeof v);
    bool want = short_reference(s, len, value, at, n) && PPI_VERSION_SHORT;
    ck_assert_msg(ppi_version_parse_short(&v, s, len) == want, "'%.*s': short parse %s",
                  (int)len, s, want ? "refused it" : "accepted it");
    uint64_t unused;
    ck_assert(ppi_version_key_short(&unused, s, len) == want);
    if (!want)
        return;
    const ppi_number *num[3] = { &v.major, &v.minor, &v.patch };
    for (int k = 0; k < 3; k++) {
        ck_assert_uint_eq(num[k]->value, value[k]);
        ck_assert_ptr_eq(num[k]->digits, s + at[k]);
        ck_assert_uint_eq(num[k]->len, n[k]);
    }
    ck_assert_ptr_null(v.pre);
    ck_assert_uint_eq(v.pre_len, 0);
    ck_assert_ptr_eq(v.text, s);
    ck_assert_uint_eq(v.text_len, len);
    /* And it is what the whole parser makes of it. */
    ppi_version full;
    ck_assert_int_eq(ppi_version_parse(&full, s, len), PP_OK);
    ck_assert_int_eq(ppi_version_cmp(&v, &full), 0);
    ck_assert_uint_eq(v.key, full.key);
    ck_assert_uint_ne(v.key, 0);
    uint64_t key = 0;
    ck_assert(ppi_version_key_short(&key, s, len));
    ck_assert_uint_eq(key, full.key);
}

/* Every string of up to 8 bytes over digits (with the leading-zero case)
 * and dots, in a buffer of exactly its length (every 20th with
 * PP_TEST_LIGHT). */
START_TEST(test_version_short_parse_matches_reference_on_digits_and_dots)
{
    static const char alphabet[] = "017.";
    char buf[8];
    for (size_t len = 1; len <= 8; len++) {
        size_t total = 1;
        for (size_t k = 0; k < len; k++)
            total *= 4;
        char *exact = malloc(len);
        ck_assert_ptr_nonnull(exact);
        for (size_t code = 0; code < total; code += (size_t)ppt_stride()) {
            size_t c = code;
            for (size_t k = 0; k < len; k++, c /= 4)
                buf[k] = alphabet[c % 4];
            memcpy(exact, buf, len);
            check_short(exact, len);
        }
        free(exact);
    }
}
END_TEST

/* Random strings over bytes next to the ones it accepts ('/' and ':'
 * beside the digits, the same with the high bit set, prerelease and build
 * signs, 'v', letters). */
START_TEST(test_version_short_parse_matches_reference_on_near_misses)
{
    static const unsigned char alphabet[] = { '0', '1', '9', '.', '/', ':', '-', '+', 'v',
                                              'a', 0xAE, 0xB0, 0xB9, 0x00, ' ' };
    uint64_t x = 12345;
    char buf[9];
    for (long round = 0; round < ppt_iterations(200000); round++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t len = 1 + (size_t)(x >> 60) % 9;
        for (size_t k = 0; k < len; k++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            /* Mostly digits and dots, so that most strings come close. */
            unsigned pick = (unsigned)(x >> 58);
            buf[k] = (char)(pick < 40 ? "0123456789"[pick % 10]
                            : pick < 52 ? '.' : alphabet[pick % sizeof alphabet]);
        }
        check_short(buf, len);
    }
}
END_TEST

START_TEST(test_version_compare_reports_minus_one_zero_or_one)
{
    int got = 99;
    ck_assert_int_eq(pp_version_compare(&got, S("1.0.0"),
                                        S("18446744073709551615.0.0")),
                     PP_OK);
    ck_assert_int_eq(got, -1);
    ck_assert_int_eq(pp_version_compare(&got, S("1.0.0-zzzzzzzz"),
                                        S("1.0.0-a")),
                     PP_OK);
    ck_assert_int_eq(got, 1);
    ck_assert_int_eq(pp_version_compare(&got, S("v1.0.0+a"), S("1.0.0+b")),
                     PP_OK);
    ck_assert_int_eq(got, 0);
}
END_TEST

START_TEST(test_version_compare_without_result_is_invalid_argument)
{
    ck_assert_int_eq(pp_version_compare(NULL, S("1.0.0"), S("1.0.0")),
                     PP_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_version_compare_error_reports_zero)
{
    int got = 99;
    ck_assert_int_eq(pp_version_compare(&got, S("1.0"), S("1.0.0")),
                     PP_ERR_INVALID_VERSION);
    ck_assert_int_eq(got, 0);
}
END_TEST

Suite *version_suite(void)
{
    Suite *s = suite_create("version");

    TCase *tc = tcase_create("precedence");
    /* The all-triples check is ~20 million comparisons: seconds under
     * ASan or valgrind on a loaded machine, past Check's default 4 s. */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_version_file_comparisons_hold_both_ways);
    tcase_add_test(tc, test_version_precedence_is_a_total_order_over_file_versions);
    tcase_add_test(tc, test_version_semver_org_chain_is_strictly_increasing);
    tcase_add_test(tc, test_version_compare_reports_minus_one_zero_or_one);
    tcase_add_test(tc, test_version_compare_without_result_is_invalid_argument);
    tcase_add_test(tc, test_version_compare_error_reports_zero);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_version_parses_valid_forms, 0,
                        (int)COUNT(valid_cases));
    tcase_add_loop_test(tc, test_version_rejects_invalid_forms, 0,
                        (int)COUNT(invalid_cases));
    tcase_add_loop_test(tc, test_version_accepts_semver_org_valid_list, 0,
                        (int)COUNT(semver_org_valid));
    tcase_add_loop_test(tc, test_version_rejects_semver_org_invalid_list, 0,
                        (int)COUNT(semver_org_invalid));
    tcase_add_test(tc, test_version_rejects_null);
    tcase_add_test(tc, test_version_failed_parse_clears_result);
    tcase_add_test(tc, test_version_prerelease_and_text_point_into_input);
    tcase_add_test(tc, test_version_reads_only_len_bytes);
    tcase_add_test(tc, test_version_short_parse_matches_reference_on_digits_and_dots);
    tcase_add_test(tc, test_version_keys_order_like_the_comparison);
    tcase_add_test(tc, test_version_short_parse_matches_reference_on_near_misses);
    suite_add_tcase(s, tc);

    return s;
}
