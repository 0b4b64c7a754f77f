/* Telling JSON from YAML by the first characters of the input (see
 * input.h).  JSON is almost a subset of YAML, but not JSON Lines (a stream
 * of objects without `---`), and reading JSON with yajl costs a fraction of
 * reading it with libyaml.  Input that starts like JSON is read as JSON;
 * everything else (`---`, `- `, `#`, flow mappings with plain keys such as
 * `{id: ...}`) as YAML. */
#include "input.h"

/* Nested `[` before the first telling character beyond which the answer is
 * JSON anyway (the reader's depth limit ends such input either way). */
#define MAX_OPEN 64

static size_t skip_blanks(const unsigned char *p, size_t n, size_t i)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i;
}

int ppr_detect_format(const unsigned char *p, size_t n, bool eof)
{
    static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
    size_t i = 0;
    while (i < n && i < 3 && p[i] == bom[i])
        i++;
    if (i > 0 && i < 3) {
        if (i == n && !eof)
            return 0;
        return PPR_YAML; /* not a byte order mark: not JSON either */
    }
    /* Structure only ({}, [, ], commas) until a character that tells: a
     * quoted key, or inside a list a string or a number.  Empty objects
     * and lists say nothing either way: what follows them does. */
    int open = 0;
    bool seen = false;
    for (;;) {
        i = skip_blanks(p, n, i);
        if (i == n)
            return !eof ? 0 : seen ? PPR_JSON : PPR_YAML;
        unsigned char c = p[i];
        if (c == '{') {
            seen = true;
            i = skip_blanks(p, n, i + 1);
            if (i == n)
                return eof ? PPR_YAML : 0;
            if (p[i] == '"')
                return PPR_JSON;
            if (p[i] != '}')
                return PPR_YAML; /* {id: ...}: a YAML flow mapping */
            i++;
            continue;
        }
        if (c == '[') {
            seen = true;
            if (++open > MAX_OPEN)
                return PPR_JSON;
            i++;
            continue;
        }
        if (open > 0) {
            if (c == ']' || c == ',') {
                open -= c == ']';
                i++;
                continue;
            }
            if (c == '"' || c == '-' || (c >= '0' && c <= '9'))
                return PPR_JSON;
        }
        return PPR_YAML;
    }
}
