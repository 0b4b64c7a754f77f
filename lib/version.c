/* Semantic Versioning 2.0.0 (semver.org): strict parsing and precedence.
 * Device OS versions decide legacy handling and minimum-version advisories,
 * so anything that is not exactly semver is rejected rather than guessed at.
 * Character classes are spelled out because <ctype.h> depends on the locale. */
#include "internal.h"

#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_identifier_char(char c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           c == '-';
}

/* MAJOR, MINOR or PATCH at s[*pos]: digits without a leading zero that fit
 * in uint64.  Advances *pos past the digits. */
static bool parse_number(uint64_t *out, const char *s, size_t len, size_t *pos)
{
    size_t i = *pos;
    uint64_t value = 0;
    while (i < len && is_digit(s[i])) {
        unsigned digit = (unsigned)(s[i] - '0');
        if (value > (UINT64_MAX - digit) / 10)
            return false;
        value = value * 10 + digit;
        i++;
    }
    if (i == *pos || (s[*pos] == '0' && i - *pos > 1))
        return false;
    *out = value;
    *pos = i;
    return true;
}

/* Dot-separated, non-empty identifiers at s[*pos], up to the first byte that
 * is neither an identifier character nor a dot.  Numeric prerelease
 * identifiers may not have leading zeros; build identifiers may ("+001"). */
static bool scan_identifiers(const char *s, size_t len, size_t *pos,
                             bool prerelease)
{
    size_t i = *pos;
    for (;;) {
        size_t start = i;
        bool numeric = true;
        while (i < len && is_identifier_char(s[i])) {
            numeric = numeric && is_digit(s[i]);
            i++;
        }
        if (i == start)
            return false;
        if (prerelease && numeric && s[start] == '0' && i - start > 1)
            return false;
        if (i == len || s[i] != '.')
            break;
        i++;
    }
    *pos = i;
    return true;
}

int ppi_version_parse(ppi_version *out, const char *s, size_t len)
{
    memset(out, 0, sizeof *out);
    if (s == NULL)
        return PP_ERR_INVALID_VERSION;

    ppi_version v = { .text = s, .text_len = len };
    size_t i = 0;
    if (i < len && s[i] == 'v')
        i++;
    if (!parse_number(&v.major, s, len, &i) || i == len || s[i++] != '.' ||
        !parse_number(&v.minor, s, len, &i) || i == len || s[i++] != '.' ||
        !parse_number(&v.patch, s, len, &i))
        return PP_ERR_INVALID_VERSION;

    if (i < len && s[i] == '-') {
        size_t start = ++i;
        if (!scan_identifiers(s, len, &i, true))
            return PP_ERR_INVALID_VERSION;
        v.pre = s + start;
        v.pre_len = i - start;
    }
    if (i < len && s[i] == '+') {
        i++;
        if (!scan_identifiers(s, len, &i, false))
            return PP_ERR_INVALID_VERSION;
    }
    if (i != len)
        return PP_ERR_INVALID_VERSION;
    *out = v;
    return PP_OK;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return (a > b) - (a < b);
}

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* One prerelease identifier against another (semver §11.4.1-3).  Numeric
 * identifiers have no leading zeros once parsed, so the longer one is the
 * larger; comparing bytes after lengths handles any number of digits. */
static int cmp_identifier(const char *a, size_t a_len, const char *b,
                          size_t b_len)
{
    bool a_num = all_digits(a, a_len);
    bool b_num = all_digits(b, b_len);
    if (a_num != b_num)
        return a_num ? -1 : 1;
    if (a_num && a_len != b_len)
        return a_len < b_len ? -1 : 1;
    int c = memcmp(a, b, a_len < b_len ? a_len : b_len);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return cmp_u64(a_len, b_len);
}

/* Length of the identifier starting at s (up to a dot or the end). */
static size_t identifier_len(const char *s, size_t len)
{
    const char *dot = memchr(s, '.', len);
    return dot != NULL ? (size_t)(dot - s) : len;
}

static int cmp_prerelease(const ppi_version *a, const ppi_version *b)
{
    size_t i = 0, j = 0;
    while (i < a->pre_len && j < b->pre_len) {
        size_t n = identifier_len(a->pre + i, a->pre_len - i);
        size_t m = identifier_len(b->pre + j, b->pre_len - j);
        int c = cmp_identifier(a->pre + i, n, b->pre + j, m);
        if (c != 0)
            return c;
        /* Step over the identifier and its dot (if any). */
        i += n + 1;
        j += m + 1;
    }
    /* All shared identifiers equal: the longer list is the larger. */
    bool a_more = i < a->pre_len, b_more = j < b->pre_len;
    return (a_more > b_more) - (a_more < b_more);
}

int ppi_version_cmp(const ppi_version *a, const ppi_version *b)
{
    int c = cmp_u64(a->major, b->major);
    if (c == 0)
        c = cmp_u64(a->minor, b->minor);
    if (c == 0)
        c = cmp_u64(a->patch, b->patch);
    if (c != 0)
        return c;
    /* A prerelease is lower than the release it precedes. */
    if (a->pre == NULL || b->pre == NULL)
        return (a->pre == NULL) - (b->pre == NULL);
    return cmp_prerelease(a, b);
}

int pp_version_compare(int *cmp, const char *a, size_t a_len, const char *b,
                       size_t b_len)
{
    if (cmp == NULL)
        return PP_ERR_INVALID_ARGUMENT;
    *cmp = 0;
    ppi_version va, vb;
    if (ppi_version_parse(&va, a, a_len) != PP_OK ||
        ppi_version_parse(&vb, b, b_len) != PP_OK)
        return PP_ERR_INVALID_VERSION;
    int c = ppi_version_cmp(&va, &vb);
    *cmp = (c > 0) - (c < 0);
    return PP_OK;
}
