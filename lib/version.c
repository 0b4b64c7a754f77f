/* Semantic Versioning 2.0.0 (semver.org): strict parsing and precedence.
 * Device OS versions decide legacy handling and minimum-version advisories,
 * so anything that is not exactly semver is rejected rather than guessed at.
 * Character classes are spelled out because <ctype.h> depends on the locale. */
#include "internal.h"
#include "version_short.h"

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

/* MAJOR, MINOR or PATCH at s[*pos]: digits without a leading zero, any
 * number of them (semver sets no limit).  The value is kept while it is
 * exact, so that comparing most numbers is one integer compare; past 19
 * digits the sum wraps (unsigned, so defined), and it is not kept.
 * Advances *pos past the digits.  Inline: every decision parses three. */
static inline bool parse_number(ppi_number *out, const char *s, size_t len, size_t *pos)
{
    size_t start = *pos, i = start;
    uint64_t value = 0;
    unsigned digit;
    while (i < len && (digit = (unsigned char)s[i] - (unsigned char)'0') < 10) {
        value = value * 10 + digit;
        i++;
    }
    size_t n = i - start;
    if (n == 0 || (s[start] == '0' && n > 1))
        return false;
    out->value = n <= PPI_NUMBER_EXACT_DIGITS ? value : PPI_NUMBER_LONG;
    out->digits = s + start;
    out->len = n;
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

/* Parses straight into *out (no copy of the struct on the way: this runs on
 * every decision); ppi_version_parse clears *out when it fails. */
static inline bool parse_into(ppi_version *out, const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && s[i] == 'v')
        i++;
    if (!parse_number(&out->major, s, len, &i) || i == len || s[i++] != '.' ||
        !parse_number(&out->minor, s, len, &i) || i == len || s[i++] != '.' ||
        !parse_number(&out->patch, s, len, &i))
        return false;

    out->pre = NULL;
    out->pre_len = 0;
    if (i < len && s[i] == '-') {
        size_t start = ++i;
        if (!scan_identifiers(s, len, &i, true))
            return false;
        out->pre = s + start;
        out->pre_len = i - start;
    }
    if (i < len && s[i] == '+') {
        i++;
        if (!scan_identifiers(s, len, &i, false))
            return false;
    }
    out->text = s;
    out->text_len = len;
    out->key = ppi_version_key(out->major.value, out->minor.value, out->patch.value,
                               out->pre == NULL);
    return i == len;
}

int ppi_version_parse(ppi_version *out, const char *s, size_t len)
{
    if (s != NULL && (ppi_version_parse_short(out, s, len) || parse_into(out, s, len)))
        return PP_OK;
    memset(out, 0, sizeof *out);
    return PP_ERR_INVALID_VERSION;
}

/* Numbers without leading zeros: the longer is the larger, and equal lengths
 * compare digit by digit.  The value decides unless both are long: a long
 * number's PPI_NUMBER_LONG is above every exact value. */
static int cmp_number(const ppi_number *a, const ppi_number *b)
{
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    if (a->value != PPI_NUMBER_LONG)
        return 0;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    int c = memcmp(a->digits, b->digits, a->len);
    return (c > 0) - (c < 0);
}

/* Prerelease identifiers (semver §11.4), in one pass over both lists.  Each
 * pair of identifiers is read side by side: whether each is all digits, its
 * length, and the first byte where they differ.  Numeric identifiers have no
 * leading zeros once parsed, so a longer one is larger; numeric ones are
 * lower than alphanumeric ones; alphanumeric ones compare in ASCII order.
 * When every shared identifier is equal, the longer list is the larger.
 * Both lists are non-empty (the parser allows no empty identifier). */
static int cmp_prerelease(const char *a, size_t a_len, const char *b,
                          size_t b_len)
{
    size_t i = 0, j = 0;
    for (;;) {
        size_t a_start = i, b_start = j;
        bool a_num = true, b_num = true;
        int first = 0;
        while (i < a_len && a[i] != '.' && j < b_len && b[j] != '.') {
            a_num = a_num && is_digit(a[i]);
            b_num = b_num && is_digit(b[j]);
            if (first == 0 && a[i] != b[j])
                first = (unsigned char)a[i] < (unsigned char)b[j] ? -1 : 1;
            i++;
            j++;
        }
        for (; i < a_len && a[i] != '.'; i++)
            a_num = a_num && is_digit(a[i]);
        for (; j < b_len && b[j] != '.'; j++)
            b_num = b_num && is_digit(b[j]);
        size_t n = i - a_start, m = j - b_start;
        int c;
        if (a_num != b_num)
            c = a_num ? -1 : 1;
        else if (a_num && n != m)
            c = n < m ? -1 : 1;
        else if (first != 0)
            c = first;
        else
            c = (n > m) - (n < m);
        if (c != 0)
            return c;
        bool a_more = i < a_len, b_more = j < b_len;
        if (!a_more || !b_more)
            return (a_more > b_more) - (a_more < b_more);
        i++; /* the dots */
        j++;
    }
}

int ppi_version_cmp(const ppi_version *a, const ppi_version *b)
{
    int c = cmp_number(&a->major, &b->major);
    if (c == 0)
        c = cmp_number(&a->minor, &b->minor);
    if (c == 0)
        c = cmp_number(&a->patch, &b->patch);
    if (c != 0)
        return c;
    /* A prerelease is lower than the release it precedes. */
    if (a->pre == NULL || b->pre == NULL)
        return (a->pre == NULL) - (b->pre == NULL);
    return cmp_prerelease(a->pre, a->pre_len, b->pre, b->pre_len);
}

int pp_version_compare(int *cmp, const char *a, size_t a_len, const char *b,
                       size_t b_len)
{
    if (cmp == NULL)
        return PP_ERR_INVALID_ARGUMENT;
    *cmp = 0;
    if (ppi_null_with_len(a, a_len) || ppi_null_with_len(b, b_len))
        return PP_ERR_INVALID_ARGUMENT;
    ppi_version va, vb;
    if (ppi_version_parse(&va, a, a_len) != PP_OK ||
        ppi_version_parse(&vb, b, b_len) != PP_OK)
        return PP_ERR_INVALID_VERSION;
    int c = ppi_version_cmp(&va, &vb);
    *cmp = (c > 0) - (c < 0);
    return PP_OK;
}
