/* The loader's error reports: a code, the 1-based position of the offending
 * node, and a message that starts with the node's key path
 * ("products[2].family: unknown family 'argn' (did you mean 'argon'?)"). */
#include "load.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static size_t path_render(char *buf, size_t size, const path *p)
{
    if (p == NULL)
        return 0;
    size_t used = path_render(buf, size, p->up);
    if (used >= size)
        return used;
    int n = p->key != NULL
                ? snprintf(buf + used, size - used, "%s%s", used > 0 ? "." : "", p->key)
                : snprintf(buf + used, size - used, "[%" PRIu32 "]", p->index);
    return n < 0 ? used : used + (size_t)n;
}

/* Drop a character that vsnprintf cut in the middle. */
static void trim_partial_utf8(char *s)
{
    size_t len = strlen(s), k = len;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k == 0 || (unsigned char)s[k - 1] < 0xC0)
        return;
    unsigned char lead = (unsigned char)s[k - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (len - (k - 1) < need)
        s[k - 1] = '\0';
}

/* Errors after which a validation has nothing left to read. */
static bool ends_validation(int code)
{
    return code == PP_ERR_YAML || code == PP_ERR_LIMIT || code == PP_ERR_NOMEM ||
           code == PP_ERR_SCHEMA_VERSION;
}

/* The next record for an error: the caller's for a load (NULL when it gave
 * none), the next free one of a validation (NULL past the limit). */
static pp_error *record_for(loader *l, int code)
{
    if (!l->collect)
        return l->err;
    if (l->stopped)
        return NULL;
    if (l->nfound == 0)
        l->first = code;
    pp_error *e = &l->found[l->nfound++];
    l->stopped = ends_validation(code) || l->nfound == PP_VALIDATE_MAX_ERRORS;
    return e;
}

int ppi_load_fail(loader *l, int code, const ppi_node *at, const path *where,
                  const char *fmt, ...)
{
    pp_error *e = record_for(l, code);
    if (e == NULL)
        return code;
    char msg[PP_ERROR_MESSAGE_SIZE];
    size_t n = path_render(msg, sizeof msg, where);
    if (n + 3 > sizeof msg)
        n = sizeof msg - 1;
    else if (n > 0) {
        msg[n++] = ':';
        msg[n++] = ' ';
    }
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(msg + n, sizeof msg - n, fmt, ap);
    va_end(ap);
    if (w < 0)
        msg[n] = '\0';
    else if ((size_t)w >= sizeof msg - n)
        trim_partial_utf8(msg);
    uint32_t line = 0, column = 0;
    size_t offset = 0;
    if (at != NULL) {
        ppi_node_position(at, &line, &column, &offset);
    }
    return ppi_error_set(e, code, line, column, offset, "%s", msg);
}

int ppi_load_nomem(loader *l)
{
    return ppi_error_set(record_for(l, PP_ERR_NOMEM), PP_ERR_NOMEM, 0, 0, 0, "out of memory");
}

int ppi_load_report(loader *l, const pp_error *e)
{
    pp_error *to = record_for(l, e->code);
    if (to != NULL && to != e)
        *to = *e;
    return e->code;
}

const char *ppi_quote(char buf[QUOTED], const char *s, size_t len)
{
    char shown[SNIPPET];
    ppi_yaml_snippet(shown, sizeof shown, s, len);
    snprintf(buf, QUOTED, "'%s'", shown);
    return buf;
}

/* What a node is, for "expected X, got Y". */
const char *ppi_describe(char buf[QUOTED], const ppi_node *n)
{
    if (ppi_node_kind_of(n) == PPI_SEQUENCE)
        return "a list";
    if (ppi_node_kind_of(n) == PPI_MAPPING)
        return "a mapping";
    if (ppi_node_is_null(n))
        return "null";
    char shown[SNIPPET];
    ppi_yaml_snippet(shown, sizeof shown, ppi_node_text(n), ppi_node_len(n));
    snprintf(buf, QUOTED, ppi_node_plain(n) ? "'%s'" : "the quoted string '%s'", shown);
    return buf;
}

const char *ppi_hint(char buf[QUOTED], const ppi_suggest *s)
{
    buf[0] = '\0';
    if (s->best != NULL) {
        char shown[SNIPPET];
        ppi_yaml_snippet(shown, sizeof shown, s->best, s->best_len);
        snprintf(buf, QUOTED, " (did you mean '%s'?)", shown);
    }
    return buf;
}

