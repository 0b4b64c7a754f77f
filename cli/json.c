/* JSON string escaping (see json.h). */
#include <string.h>

#include "json.h"
#include "utf8.h"

static void write_u(FILE *out, uint32_t cp)
{
    fprintf(out, "\\u%04x", (unsigned)cp);
}

void ppc_json_string(FILE *out, const char *s, size_t len)
{
    if (s == NULL) {
        fputs("null", out);
        return;
    }
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    putc('"', out);
    while (p < end) {
        /* Copy the longest run that needs no escaping in one call. */
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            fwrite(run, 1, (size_t)(p - run), out);
        if (p == end)
            break;
        uint32_t cp;
        size_t n = ppc_utf8_decode(p, (size_t)(end - p), &cp);
        if (n == 0) {
            fputs("\\ufffd", out);
            p++;
        } else if (cp == '"' || cp == '\\') {
            putc('\\', out);
            putc((int)cp, out);
            p++;
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
                   cp == 0x2029) {
            /* Escaped so a terminal or a JavaScript parser never acts on them. */
            write_u(out, cp);
            p += n;
        } else {
            fwrite(p, 1, n, out);
            p += n;
        }
    }
    putc('"', out);
}

void ppc_json_cstring(FILE *out, const char *s)
{
    ppc_json_string(out, s, s == NULL ? 0 : strlen(s));
}

void ppc_json_names(FILE *out, uint32_t bits, const char *(*name)(int))
{
    putc('[', out);
    int first = 1;
    for (int i = 0; i < 32; i++) {
        if (!(bits & (1u << i)))
            continue;
        if (!first)
            putc(',', out);
        first = 0;
        ppc_json_cstring(out, name(i));
    }
    putc(']', out);
}
