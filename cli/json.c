/* The JSON writer (see json.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

static void write_u(ppc_out *o, uint32_t cp)
{
    static const char hex[] = "0123456789abcdef";
    char e[6] = { '\\', 'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15],
                  hex[cp & 15] };
    ppc_put(o, e, sizeof e);
}

void ppc_json_string(ppc_out *o, const char *s, size_t len)
{
    if (s == NULL) {
        PPC_PUTS(o, "null");
        return;
    }
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    ppc_putc(o, '"');
    while (p < end) {
        /* Copy the longest run that needs no escaping in one call. */
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            ppc_put(o, (const char *)run, (size_t)(p - run));
        if (p == end)
            break;
        uint32_t cp;
        size_t n = ppc_utf8_decode(p, (size_t)(end - p), &cp);
        if (n == 0) {
            PPC_PUTS(o, "\\ufffd");
            p++;
        } else if (cp == '"' || cp == '\\') {
            ppc_putc(o, '\\');
            ppc_putc(o, (char)cp);
            p++;
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
                   cp == 0x2029) {
            /* Escaped so a terminal or a JavaScript parser never acts on them. */
            write_u(o, cp);
            p += n;
        } else {
            ppc_put(o, (const char *)p, n);
            p += n;
        }
    }
    ppc_putc(o, '"');
}

void ppc_json_cstring(ppc_out *o, const char *s)
{
    ppc_json_string(o, s, s == NULL ? 0 : strlen(s));
}

void ppc_json_names(ppc_out *o, uint32_t bits, const char *(*name)(int))
{
    ppc_putc(o, '[');
    /* The set bits only, lowest first (most sets are empty or small). */
    for (uint32_t left = bits; left != 0; left &= left - 1) {
        if (left != bits)
            ppc_putc(o, ',');
        ppc_json_cstring(o, name(__builtin_ctz(left)));
    }
    ppc_putc(o, ']');
}

/* ---- structured documents ---- */

void ppc_json_start(ppc_json *j, ppc_out *o)
{
    memset(j, 0, sizeof *j);
    j->o = o;
    j->first[0] = true;
}

void ppc_json_finish(ppc_json *j)
{
    ppc_putc(j->o, '\n');
}

/* Before a value: the comma of a list item (an object's is the key's). */
static void item(ppc_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (!j->first[j->depth])
        ppc_putc(j->o, ',');
    j->first[j->depth] = false;
}

static void open_with(ppc_json *j, char open, char close)
{
    item(j);
    ppc_putc(j->o, open);
    if (j->depth + 1 < PPC_JSON_DEPTH) /* ppolicy's documents are 5 deep at most */
        j->depth++;
    j->first[j->depth] = true;
    j->close[j->depth] = close;
}

void ppc_json_object(ppc_json *j)
{
    open_with(j, '{', '}');
}

void ppc_json_list(ppc_json *j)
{
    open_with(j, '[', ']');
}

void ppc_json_end(ppc_json *j)
{
    if (j->depth == 0)
        return;
    ppc_putc(j->o, j->close[j->depth]);
    j->depth--;
}

void ppc_json_key(ppc_json *j, const char *key)
{
    item(j);
    ppc_json_cstring(j->o, key);
    ppc_putc(j->o, ':');
    j->after_key = true;
}

void ppc_json_str(ppc_json *j, const char *s, size_t len)
{
    item(j);
    ppc_json_string(j->o, s, len);
}

void ppc_json_cstr(ppc_json *j, const char *s)
{
    item(j);
    ppc_json_cstring(j->o, s);
}

void ppc_json_uint(ppc_json *j, uint64_t v)
{
    item(j);
    ppc_put_u64(j->o, v);
}

void ppc_json_int(ppc_json *j, int64_t v)
{
    item(j);
    ppc_put_i64(j->o, v);
}

void ppc_json_bool(ppc_json *j, bool v)
{
    item(j);
    if (v)
        PPC_PUTS(j->o, "true");
    else
        PPC_PUTS(j->o, "false");
}

void ppc_json_null(ppc_json *j)
{
    item(j);
    PPC_PUTS(j->o, "null");
}

void ppc_json_bits(ppc_json *j, uint32_t bits, const char *(*name)(int))
{
    item(j);
    ppc_json_names(j->o, bits, name);
}

void ppc_json_value(ppc_json *j)
{
    item(j);
}

void ppc_json_hex64(ppc_json *j, uint64_t v)
{
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, v);
    ppc_json_str(j, hex, 16);
}
