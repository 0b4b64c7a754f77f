/* The scalar syntax every record kind shares (see records.h): what is
 * null, an integer, a boolean.  Strict, so that nothing is guessed: YAML
 * 1.1's octal, sexagesimal and yes/no forms are refused, and quoted text is
 * never a number. */
#include <string.h>

#include "records.h"

static ppr_number digits(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    if (n == 0)
        return PPR_NUMBER_NOT_A_NUMBER;
    if (n < 10 && max >= 999999999) {
        /* Cannot pass max: no test per digit (every ID and version of a
         * record is one of these). */
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned digit = (unsigned)(unsigned char)s[i] - '0';
            if (digit > 9)
                return PPR_NUMBER_NOT_A_NUMBER;
            v = v * 10 + digit;
        }
        if (n > 1 && s[0] == '0')
            return PPR_NUMBER_LEADING_ZERO;
        *out = v;
        return PPR_NUMBER_OK;
    }
    uint64_t v = 0, tenth = max / 10, last = max % 10;
    int too_big = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return PPR_NUMBER_NOT_A_NUMBER;
        uint64_t digit = (uint64_t)(s[i] - '0');
        if (v > tenth || (v == tenth && digit > last))
            too_big = 1;
        else
            v = v * 10 + digit;
    }
    if (n > 1 && s[0] == '0')
        return PPR_NUMBER_LEADING_ZERO;
    if (too_big)
        return PPR_NUMBER_TOO_BIG;
    *out = v;
    return PPR_NUMBER_OK;
}

ppr_number ppr_parse_number(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    if (n > 1 && s[0] == '-') {
        uint64_t ignored;
        return digits(s + 1, n - 1, UINT64_MAX, &ignored) == PPR_NUMBER_NOT_A_NUMBER
                   ? PPR_NUMBER_NOT_A_NUMBER
                   : PPR_NUMBER_NEGATIVE;
    }
    return digits(s, n, max, out);
}

int ppr_text_integer(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    switch (ppr_parse_number(s, n, max, out)) {
    case PPR_NUMBER_OK: return PP_OK;
    case PPR_NUMBER_TOO_BIG:
    case PPR_NUMBER_NEGATIVE: return PP_ERR_OUT_OF_RANGE;
    default: return PP_ERR_WRONG_TYPE;
    }
}

int ppr_scalar_null_text(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '~') ||
           (n == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
                       memcmp(s, "NULL", 4) == 0));
}

int ppr_scalar_integer(const ppr_event *ev, uint64_t max, uint64_t *out)
{
    if (ev->type != PPR_SCALAR || !ev->plain)
        return PP_ERR_WRONG_TYPE;
    return ppr_text_integer(ev->text, ev->len, max, out);
}

int ppr_scalar_uint32(const ppr_event *ev, uint32_t *out)
{
    uint64_t v = 0;
    if (ppr_scalar_integer(ev, UINT32_MAX, &v) != PP_OK)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

int ppr_scalar_bool(const ppr_event *ev, int32_t *out)
{
    if (ppr_scalar_null(ev) || (ev->plain && ppr_scalar_is(ev, "false")))
        *out = 0;
    else if (ev->plain && ppr_scalar_is(ev, "true"))
        *out = 1;
    else
        return 0;
    return 1;
}

int ppr_scalar_is(const ppr_event *ev, const char *s)
{
    size_t n = strlen(s);
    return ev->type == PPR_SCALAR && ev->len == n && memcmp(ev->text, s, n) == 0;
}
