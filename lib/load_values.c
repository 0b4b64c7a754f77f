/* Reading the YAML tree against the schema: each reader checks one node's
 * kind and value and reports what it expected, where, with a did-you-mean
 * when a name is close to a known one. */
#include "load.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int unknown_key(loader *l, const ppi_node *key, const path *at,
                       const schema *sc)
{
    char shown[QUOTED], h[QUOTED];
    if (ppi_node_plain(key) && ppi_node_is(key, "<<"))
        return ppi_load_fail(l, PP_ERR_UNKNOWN_KEY, key, at,
                             "merge keys ('<<') are not supported: write the keys out");
    ppi_suggest s;
    ppi_suggest_init(&s, ppi_node_text(key), ppi_node_len(key));
    for (unsigned i = 0; i < sc->count; i++)
        ppi_suggest_offer(&s, sc->keys[i], strlen(sc->keys[i]));
    return ppi_load_fail(l, PP_ERR_UNKNOWN_KEY, key, at, "unknown key %s%s",
                         ppi_quote(shown, ppi_node_text(key), ppi_node_len(key)), ppi_hint(h, &s));
}

int ppi_read_map(loader *l, const ppi_node *n, const path *at,
                 const schema *sc, const ppi_node **vals)
{
    char got[QUOTED];
    memset(vals, 0, sc->count * sizeof *vals);
    if (ppi_node_kind_of(n) != PPI_MAPPING)
        return ppi_load_fail(l, PP_ERR_WRONG_TYPE, n, at, "expected a mapping, got %s",
                             ppi_describe(got, n));
    int rc = PP_OK;
    for (const ppi_node *k = ppi_node_child(n); k != NULL; k = ppi_node_next(ppi_node_next(k))) {
        unsigned i = 0;
        while (ppi_node_kind_of(k) == PPI_SCALAR && i < sc->count && !ppi_node_is(k, sc->keys[i]))
            i++;
        int step = PP_OK;
        if (ppi_node_kind_of(k) != PPI_SCALAR)
            step = ppi_load_fail(l, PP_ERR_WRONG_TYPE, k, at, "expected a key name, got %s",
                                 ppi_describe(got, k));
        else if (i == sc->count)
            step = unknown_key(l, k, at, sc);
        else if (vals[i] != NULL)
            step = ppi_load_fail(l, PP_ERR_DUPLICATE, k, at,
                                 "duplicate key '%s' (first at line %" PRIu32 ")",
                                 sc->keys[i], ppi_node_line(vals[i]));
        else
            vals[i] = ppi_node_next(k);
        if (!ppi_carry_on(l, &rc, step))
            return rc;
    }
    /* A validation reads on with the keys that are right. */
    return PP_OK;
}

int ppi_require(loader *l, const ppi_node *map, const path *at,
                const schema *sc, const ppi_node **vals, unsigned key)
{
    if (vals[key] != NULL)
        return PP_OK;
    return ppi_load_fail(l, PP_ERR_MISSING_KEY, map, at, "missing required key '%s'",
                         sc->keys[key]);
}

int ppi_get_list(loader *l, const ppi_node *n, const path *at)
{
    char got[QUOTED];
    if (ppi_node_kind_of(n) == PPI_SEQUENCE)
        return PP_OK;
    return ppi_load_fail(l, PP_ERR_WRONG_TYPE, n, at, "expected a list, got %s",
                         ppi_describe(got, n));
}

int ppi_get_string(loader *l, const ppi_node *n, const path *at,
                   const char **s, uint32_t *len)
{
    char got[QUOTED];
    if (ppi_node_kind_of(n) != PPI_SCALAR || ppi_node_is_null(n))
        return ppi_load_fail(l, PP_ERR_WRONG_TYPE, n, at, "expected a string, got %s",
                             ppi_describe(got, n));
    *s = ppi_node_text(n);
    *len = ppi_node_len(n);
    return PP_OK;
}

int ppi_get_uint(loader *l, const ppi_node *n, const path *at, uint64_t min,
                 uint64_t max, uint64_t *out)
{
    char got[QUOTED];
    if (!ppi_node_is_integer(n))
        return ppi_load_fail(l, PP_ERR_WRONG_TYPE, n, at, "expected an integer, got %s",
                             ppi_describe(got, n));
    if (ppi_node_text(n)[0] == '0' && ppi_node_len(n) > 1)
        return ppi_load_fail(l, PP_ERR_INVALID_VALUE, n, at,
                             "%s: leading zeros are not allowed (YAML 1.1 reads them as octal)",
                             ppi_describe(got, n));
    uint64_t v = 0;
    bool negative = ppi_node_text(n)[0] == '-';
    for (uint32_t i = negative ? 1 : 0; i < ppi_node_len(n) && v != UINT64_MAX; i++) {
        unsigned digit = (unsigned)(ppi_node_text(n)[i] - '0');
        v = v > (UINT64_MAX - digit) / 10 ? UINT64_MAX : v * 10 + digit;
    }
    if (negative || v < min || v > max)
        return ppi_load_fail(l, PP_ERR_OUT_OF_RANGE, n, at,
                             "%s is out of range (%" PRIu64 " to %" PRIu64 ")",
                             ppi_describe(got, n), min, max);
    *out = v;
    return PP_OK;
}

int ppi_get_bool(loader *l, const ppi_node *n, const path *at, bool *out)
{
    char got[QUOTED];
    if (ppi_node_kind_of(n) == PPI_SCALAR && ppi_node_plain(n) &&
        (ppi_node_is(n, "true") || ppi_node_is(n, "false"))) {
        *out = ppi_node_text(n)[0] == 't';
        return PP_OK;
    }
    return ppi_load_fail(l, PP_ERR_WRONG_TYPE, n, at, "expected true or false, got %s",
                         ppi_describe(got, n));
}

/* One of the names name_of(0), name_of(1), ... (until NULL). */
int ppi_get_enum(loader *l, const ppi_node *n, const path *at,
                 const char *what, const char *(*name_of)(int), int *out)
{
    const char *s;
    uint32_t len;
    int rc = ppi_get_string(l, n, at, &s, &len);
    if (rc != PP_OK)
        return rc;
    const char *name;
    for (int i = 0; (name = name_of(i)) != NULL; i++) {
        if (strlen(name) == len && memcmp(name, s, len) == 0) {
            *out = i;
            return PP_OK;
        }
    }
    /* Unknown: suggest the closest name, or list them all. */
    ppi_suggest sg;
    ppi_suggest_init(&sg, s, len);
    char choices[PP_ERROR_MESSAGE_SIZE / 2] = "";
    size_t used = 0;
    for (int i = 0; (name = name_of(i)) != NULL; i++) {
        ppi_suggest_offer(&sg, name, strlen(name));
        int w = snprintf(choices + used, sizeof choices - used, "%s%s",
                         i > 0 ? ", " : "", name);
        if (w > 0 && (size_t)w < sizeof choices - used)
            used += (size_t)w;
    }
    char shown[QUOTED], h[QUOTED];
    if (sg.best != NULL)
        return ppi_load_fail(l, PP_ERR_INVALID_VALUE, n, at, "unknown %s %s%s", what,
                             ppi_quote(shown, s, len), ppi_hint(h, &sg));
    return ppi_load_fail(l, PP_ERR_INVALID_VALUE, n, at, "unknown %s %s (one of %s)", what,
                         ppi_quote(shown, s, len), choices);
}

/* A platform or family name: [a-z0-9_]{1,32}. */
int ppi_get_ident(loader *l, const ppi_node *n, const path *at,
                  const char *what, const char **s, uint32_t *len)
{
    int rc = ppi_get_string(l, n, at, s, len);
    if (rc != PP_OK)
        return rc;
    bool ok = *len >= 1 && *len <= IDENT_MAX_LEN;
    for (uint32_t i = 0; ok && i < *len; i++) {
        char c = (*s)[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    char shown[QUOTED];
    if (!ok)
        return ppi_load_fail(l, PP_ERR_INVALID_VALUE, n, at,
                             "%s names are 1 to 32 characters of a-z, 0-9 and _, got %s",
                             what, ppi_quote(shown, *s, *len));
    return PP_OK;
}

/* A user, organization or product name (ppi_user_name_valid), copied into
 * the policy. */
int ppi_get_name(loader *l, const ppi_node *n, const path *at,
                 const char *what, const char **copy, uint32_t *len)
{
    const char *s;
    int rc = ppi_get_string(l, n, at, &s, len);
    if (rc != PP_OK)
        return rc;
    char shown[QUOTED];
    if (!ppi_user_name_valid(s, *len))
        return ppi_load_fail(l, PP_ERR_INVALID_VALUE, n, at,
                             "%s %s: names are 1 to 255 bytes of UTF-8 without control or "
                             "invisible characters (U+0020 is the one space allowed)",
                             what, ppi_quote(shown, s, *len));
    if ((*copy = ppi_arena_strndup(&l->p->arena, s, *len)) == NULL)
        return ppi_load_nomem(l);
    return PP_OK;
}

int ppi_get_version(loader *l, const ppi_node *n, const path *at,
                    ppi_version *out)
{
    const char *s;
    uint32_t len;
    int rc = ppi_get_string(l, n, at, &s, &len);
    if (rc != PP_OK)
        return rc;
    /* Parsed from the policy's copy: the version keeps pointers into it. */
    char *copy = ppi_arena_strndup(&l->p->arena, s, len);
    if (copy == NULL)
        return ppi_load_nomem(l);
    char shown[QUOTED];
    if (ppi_version_parse(out, copy, len) != PP_OK)
        return ppi_load_fail(l, PP_ERR_INVALID_VERSION, n, at,
                             "%s is not a semantic version "
                             "(MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])",
                             ppi_quote(shown, s, len));
    return PP_OK;
}
