/* Approved integration destinations (products[].approved_integrations) and
 * the audit's comparison against them.  A destination is one place however
 * its scheme and host are capitalised (RFC 3986 §3.1, §3.2.2: both are
 * case-insensitive), so the loader stores one canonical spelling and the
 * audit compares a record's URL against it without allocating.  The rest of
 * a URL (userinfo, port, path, query) is compared exactly. */
#include "internal.h"

#include <string.h>
#include <strings.h>

/* Bytes of "https://" or "http://" (any case) at the start of s, or 0. */
static size_t scheme_len(const char *s, size_t len)
{
    static const char *const schemes[] = { "https://", "http://" };
    for (unsigned i = 0; i < 2; i++) {
        size_t n = strlen(schemes[i]);
        if (len >= n && strncasecmp(s, schemes[i], n) == 0)
            return n;
    }
    return 0;
}

/* Where the parts compared without case are: the scheme is s[0, scheme_end),
 * the host s[host_start, host_end) (after any userinfo, before any port). */
typedef struct url_parts {
    size_t scheme_end, host_start, host_end;
} url_parts;

static void split(const char *s, size_t len, url_parts *p)
{
    size_t start = scheme_len(s, len), end = start;
    while (end < len && s[end] != '/' && s[end] != '?' && s[end] != '#')
        end++;
    size_t host = start;
    for (size_t i = start; i < end; i++)
        if (s[i] == '@')
            host = i + 1; /* the last '@' ends the userinfo, as browsers read it */
    size_t h = host;
    if (h < end && s[h] == '[') { /* an IPv6 literal holds ':' */
        while (h < end && s[h] != ']')
            h++;
        h += h < end;
    } else {
        while (h < end && s[h] != ':')
            h++;
    }
    *p = (url_parts){ start, host, h };
}

static bool folded(const url_parts *p, size_t i)
{
    return i < p->scheme_end || (i >= p->host_start && i < p->host_end);
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool ppi_url_valid(const char *s, size_t len)
{
    size_t start = scheme_len(s, len);
    if (start == 0 || start == len || len > PPI_URL_MAX_LEN)
        return false;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = start; i < len;) {
        uint32_t cp;
        size_t n = ppi_utf8_decode(u + i, len - i, &cp);
        if (n == 0 || cp == ' ' || ppi_char_hidden(cp))
            return false;
        i += n;
    }
    return true;
}

void ppi_url_canonicalize(char *s, size_t len)
{
    url_parts p;
    split(s, len, &p);
    for (size_t i = 0; i < p.host_end; i++)
        if (folded(&p, i))
            s[i] = lower(s[i]);
}

void ppi_url_folded(const char *s, size_t len, size_t *scheme_end, size_t *host_start,
                    size_t *host_end)
{
    url_parts p;
    split(s, len, &p);
    *scheme_end = p.scheme_end;
    *host_start = p.host_start;
    *host_end = p.host_end;
}

bool ppi_url_approves(const char *approved, size_t approved_len,
                      const char *url, size_t len)
{
    if (approved_len == 0 || approved_len > len ||
        (approved_len < len && approved[approved_len - 1] != '/'))
        return false;
    /* A match has the approved URL's delimiters at the same places, so its
     * parts are the approved URL's. */
    url_parts p;
    split(approved, approved_len, &p);
    for (size_t i = 0; i < approved_len; i++)
        if ((folded(&p, i) ? lower(url[i]) : url[i]) != approved[i])
            return false;
    return true;
}
