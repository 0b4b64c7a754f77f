/* Policy YAML (schema version 1, docs/policy-format.md) compiled into a
 * pp_policy.  The text becomes a tree (yaml_tree.c); the tree is checked
 * against the schema, node by node, and copied into the policy's arena; then
 * the lookups are indexed.  A load succeeds whole or fails whole: everything
 * lives in one of two arenas (the policy's, and a scratch one for the tree
 * and the loader's own lookups), so any failure frees both and returns.
 *
 * Work is linear in the size of the text: the loader counts every list before
 * it allocates (one exact array per kind of entry), looks names up in hash
 * maps, and leaves duplicate products and members to the indexes that the
 * decisions use anyway. */
#include "internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"
#include "yaml_tree.h"

#define DEFAULT_MAX_INPUT_BYTES ((size_t)16 << 20)
#define DEFAULT_MAX_DEPTH 32u
#define DEFAULT_MAX_ALIASES 64u
#define DEFAULT_MAX_NODES 8000000u
#define DEFAULT_MAX_PRODUCTS 100000u
#define DEFAULT_MAX_MEMBERS 1000000u

#define DEFAULT_LEGACY_BELOW "4.0.0-0"
#define IDENT_MAX_LEN 32u   /* platform and family names */
#define URL_MAX_LEN 2048u   /* approved integration destinations */
#define DEFAULT_SIM_NOTIFY_PERCENT 90u
#define SNIPPET 40u         /* bytes of document text quoted in a message */
#define QUOTED (SNIPPET + 24u)

/* ---- the schema: the keys of each mapping ---- */

typedef struct schema {
    const char *const *keys;
    unsigned count;
} schema;

#define SCHEMA(keys) { keys, (unsigned)(sizeof keys / sizeof keys[0]) }

enum { ROOT_VERSION, ROOT_SETTINGS, ROOT_PLATFORMS, ROOT_SKUS,
       ROOT_ORGANIZATIONS, ROOT_PRODUCTS, ROOT_KEYS };
static const char *const root_keys[ROOT_KEYS] = {
    "version", "settings", "platforms", "skus", "organizations", "products",
};
static const schema root_schema = SCHEMA(root_keys);

enum { SET_LEGACY_BELOW, SET_REQUIRE_LTS, SET_SIM_NOTIFY, SETTINGS_KEYS };
static const char *const settings_keys[SETTINGS_KEYS] = {
    "legacy_device_os_below", "require_lts", "sim_notify_percent",
};
static const schema settings_schema = SCHEMA(settings_keys);

enum { PL_ID, PL_NAME, PL_ELIGIBLE, PL_FAMILY, PL_BY_SKU, PLATFORM_KEYS };
static const char *const platform_keys[PLATFORM_KEYS] = {
    "id", "name", "product_eligible", "family", "family_by_sku",
};
static const schema platform_schema = SCHEMA(platform_keys);

enum { SKU_PREFIX, SKU_PLATFORM, SKU_FAMILY, SKU_KEYS };
static const char *const sku_keys[SKU_KEYS] = { "prefix", "platform", "family" };
static const schema sku_schema = SCHEMA(sku_keys);

enum { ORG_NAME, ORG_MEMBERS, ORG_API_USERS, ORG_CANARIES, ORG_KEYS };
static const char *const org_keys[ORG_KEYS] = {
    "name", "members", "api_users", "canary_tokens",
};
static const schema org_schema = SCHEMA(org_keys);

enum { MEM_USER, MEM_ROLE, MEM_TWO_STEP, MEMBER_KEYS };
static const char *const member_keys[MEMBER_KEYS] = { "user", "role", "two_step" };
static const schema member_schema = SCHEMA(member_keys);

enum { API_NAME, API_SCOPES, API_ORG_LEVEL, API_KEYS };
static const char *const api_keys[API_KEYS] = { "name", "scopes", "organization_level" };
static const schema api_schema = SCHEMA(api_keys);

enum { PR_ID, PR_NAME, PR_ORG, PR_FAMILY, PR_UNRECOGNIZED, PR_REMOVED,
       PR_RELEASED, PR_MIN_OS, PR_TEAM, PR_INTEGRATIONS, PR_REQUIRE_LTS,
       PRODUCT_KEYS };
static const char *const product_keys[PRODUCT_KEYS] = {
    "id", "name", "organization", "family", "unrecognized_devices",
    "removed_devices", "released_firmware", "min_device_os", "team",
    "approved_integrations", "require_lts",
};
static const schema product_schema = SCHEMA(product_keys);

/* Enum values, by their numeric meaning (pp_role_name serves roles). */
static const char *unrecognized_mode(int i)
{
    static const char *const names[] = { "quarantine", "auto_approve" };
    return i >= 0 && i < 2 ? names[i] : NULL;
}

static const char *removed_mode(int i)
{
    static const char *const names[] = { "deny", "quarantine" };
    return i >= 0 && i < 2 ? names[i] : NULL;
}

/* ---- key paths for messages: products[2].family ---- */

/* One step from the root; lives on the stack of the code that walks it, so
 * naming a position costs nothing unless an error is reported. */
typedef struct path {
    const struct path *up;
    const char *key;     /* a mapping key, or NULL for a list item */
    uint32_t index;
} path;

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

/* ---- name maps: the loader's own hashed lookups (scratch memory) ---- */

typedef struct map_slot {
    const char *key;     /* not owned: points at text that outlives the map */
    uint32_t len;
    uint32_t value;
    uint32_t gen;        /* in use when equal to the map's generation */
} map_slot;

typedef struct name_map {
    map_slot *slots;
    uint64_t mask;
    uint32_t gen;        /* bumping it empties the map in O(1) */
} name_map;

/* ---- the loader ---- */

typedef struct loader {
    const char *text;
    size_t len;
    pp_error *err;
    const pp_load_options *opt;   /* defaults filled in */
    ppi_arena scratch;
    pp_policy *p;
    const ppi_node *root[ROOT_KEYS];

    name_map families;            /* family name -> index */
    name_map platform_ids;        /* 4-byte ID -> platform index */
    name_map platform_names;      /* name -> platform index */
    name_map skus;                /* upper-case prefix -> SKU index */
    name_map orgs;                /* name -> organization index */
    name_map scopes;              /* one list's entries: scopes, URLs, canaries */
    const ppi_node **platform_item; /* declaring YAML item; NULL: built-in */
    uint32_t *item_platform;      /* platforms[k] -> platform index */
    const ppi_node **sku_item;
    uint32_t *org_owner;          /* member index of the owner, or PPI_NONE */
} loader;

typedef struct counts {
    uint32_t products, orgs, members, scopes, user_scopes;
    uint32_t integrations, canaries;
} counts;

/* ---- errors ---- */

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

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int fail(loader *l, int code, const ppi_node *at, const path *where,
                const char *fmt, ...)
{
    if (l->err == NULL)
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
        line = at->line;
        column = at->column;
        offset = ppi_yaml_offset(l->text, l->len, line, column);
    }
    return ppi_error_set(l->err, code, line, column, offset, "%s", msg);
}

static int nomem(loader *l)
{
    return ppi_error_set(l->err, PP_ERR_NOMEM, 0, 0, 0, "out of memory");
}

/* ---- reading nodes ---- */

static bool is(const ppi_node *n, const char *s)
{
    size_t len = strlen(s);
    return n->kind == PPI_SCALAR && n->len == len && memcmp(n->text, s, len) == 0;
}

/* YAML's null: an empty or ~ / null plain scalar (YAML 1.1 spellings). */
static bool is_null(const ppi_node *n)
{
    return n->kind == PPI_SCALAR && n->plain &&
           (n->len == 0 || is(n, "~") || is(n, "null") || is(n, "Null") ||
            is(n, "NULL"));
}

/* A plain scalar of decimal digits, with an optional leading '-'. */
static bool is_integer(const ppi_node *n)
{
    if (n->kind != PPI_SCALAR || !n->plain)
        return false;
    uint32_t i = n->len > 0 && n->text[0] == '-' ? 1 : 0;
    if (i == n->len)
        return false;
    for (; i < n->len; i++)
        if (n->text[i] < '0' || n->text[i] > '9')
            return false;
    return true;
}

static const char *quote(char buf[QUOTED], const char *s, size_t len)
{
    char shown[SNIPPET];
    ppi_yaml_snippet(shown, sizeof shown, s, len);
    snprintf(buf, QUOTED, "'%s'", shown);
    return buf;
}

/* What a node is, for "expected X, got Y". */
static const char *describe(char buf[QUOTED], const ppi_node *n)
{
    if (n->kind == PPI_SEQUENCE)
        return "a list";
    if (n->kind == PPI_MAPPING)
        return "a mapping";
    if (is_null(n))
        return "null";
    char shown[SNIPPET];
    ppi_yaml_snippet(shown, sizeof shown, n->text, n->len);
    snprintf(buf, QUOTED, n->plain ? "'%s'" : "the quoted string '%s'", shown);
    return buf;
}

static const char *hint(char buf[QUOTED], const ppi_suggest *s)
{
    buf[0] = '\0';
    if (s->best != NULL) {
        char shown[SNIPPET];
        ppi_yaml_snippet(shown, sizeof shown, s->best, s->best_len);
        snprintf(buf, QUOTED, " (did you mean '%s'?)", shown);
    }
    return buf;
}

/* First value under key in a mapping, or NULL. */
static const ppi_node *find(const ppi_node *map, const char *key)
{
    if (map == NULL || map->kind != PPI_MAPPING)
        return NULL;
    for (const ppi_node *k = map->child; k != NULL; k = k->next->next)
        if (is(k, key))
            return k->next;
    return NULL;
}

/* Items of a list, or 0 for anything else (reported when it is compiled). */
static uint32_t items(const ppi_node *n)
{
    return n != NULL && n->kind == PPI_SEQUENCE ? n->len : 0;
}

static const ppi_node *nth(const ppi_node *list, uint32_t i)
{
    const ppi_node *n = list->child;
    while (i-- > 0)
        n = n->next;
    return n;
}

static int unknown_key(loader *l, const ppi_node *key, const path *at,
                       const schema *sc)
{
    char shown[QUOTED], h[QUOTED];
    if (key->plain && is(key, "<<"))
        return fail(l, PP_ERR_UNKNOWN_KEY, key, at,
                    "merge keys ('<<') are not supported: write the keys out");
    ppi_suggest s;
    ppi_suggest_init(&s, key->text, key->len);
    for (unsigned i = 0; i < sc->count; i++)
        ppi_suggest_offer(&s, sc->keys[i], strlen(sc->keys[i]));
    return fail(l, PP_ERR_UNKNOWN_KEY, key, at, "unknown key %s%s",
                quote(shown, key->text, key->len), hint(h, &s));
}

/* Check that n is a mapping with known, distinct keys; vals[k] is the value
 * of sc->keys[k] or NULL. */
static int read_map(loader *l, const ppi_node *n, const path *at,
                    const schema *sc, const ppi_node **vals)
{
    char got[QUOTED];
    if (n->kind != PPI_MAPPING)
        return fail(l, PP_ERR_WRONG_TYPE, n, at, "expected a mapping, got %s",
                    describe(got, n));
    memset(vals, 0, sc->count * sizeof *vals);
    for (const ppi_node *k = n->child; k != NULL; k = k->next->next) {
        if (k->kind != PPI_SCALAR)
            return fail(l, PP_ERR_WRONG_TYPE, k, at,
                        "expected a key name, got %s", describe(got, k));
        unsigned i = 0;
        while (i < sc->count && !is(k, sc->keys[i]))
            i++;
        if (i == sc->count)
            return unknown_key(l, k, at, sc);
        if (vals[i] != NULL)
            return fail(l, PP_ERR_DUPLICATE, k, at,
                        "duplicate key '%s' (first at line %" PRIu32 ")",
                        sc->keys[i], vals[i]->line);
        vals[i] = k->next;
    }
    return PP_OK;
}

static int require(loader *l, const ppi_node *map, const path *at,
                   const schema *sc, const ppi_node **vals, unsigned key)
{
    if (vals[key] != NULL)
        return PP_OK;
    return fail(l, PP_ERR_MISSING_KEY, map, at, "missing required key '%s'",
                sc->keys[key]);
}

static int get_list(loader *l, const ppi_node *n, const path *at)
{
    char got[QUOTED];
    if (n->kind == PPI_SEQUENCE)
        return PP_OK;
    return fail(l, PP_ERR_WRONG_TYPE, n, at, "expected a list, got %s",
                describe(got, n));
}

static int get_string(loader *l, const ppi_node *n, const path *at,
                      const char **s, uint32_t *len)
{
    char got[QUOTED];
    if (n->kind != PPI_SCALAR || is_null(n))
        return fail(l, PP_ERR_WRONG_TYPE, n, at, "expected a string, got %s",
                    describe(got, n));
    *s = n->text;
    *len = n->len;
    return PP_OK;
}

static int get_uint(loader *l, const ppi_node *n, const path *at, uint64_t min,
                    uint64_t max, uint64_t *out)
{
    char got[QUOTED];
    if (!is_integer(n))
        return fail(l, PP_ERR_WRONG_TYPE, n, at, "expected an integer, got %s",
                    describe(got, n));
    if (n->text[0] == '0' && n->len > 1)
        return fail(l, PP_ERR_INVALID_VALUE, n, at,
                    "%s: leading zeros are not allowed (YAML 1.1 reads them as octal)",
                    describe(got, n));
    uint64_t v = 0;
    bool negative = n->text[0] == '-';
    for (uint32_t i = negative ? 1 : 0; i < n->len && v != UINT64_MAX; i++) {
        unsigned digit = (unsigned)(n->text[i] - '0');
        v = v > (UINT64_MAX - digit) / 10 ? UINT64_MAX : v * 10 + digit;
    }
    if (negative || v < min || v > max)
        return fail(l, PP_ERR_OUT_OF_RANGE, n, at,
                    "%s is out of range (%" PRIu64 " to %" PRIu64 ")",
                    describe(got, n), min, max);
    *out = v;
    return PP_OK;
}

static int get_bool(loader *l, const ppi_node *n, const path *at, bool *out)
{
    char got[QUOTED];
    if (n->kind == PPI_SCALAR && n->plain && (is(n, "true") || is(n, "false"))) {
        *out = n->text[0] == 't';
        return PP_OK;
    }
    return fail(l, PP_ERR_WRONG_TYPE, n, at, "expected true or false, got %s",
                describe(got, n));
}

/* One of the names name_of(0), name_of(1), ... (until NULL). */
static int get_enum(loader *l, const ppi_node *n, const path *at,
                    const char *what, const char *(*name_of)(int), int *out)
{
    const char *s;
    uint32_t len;
    int rc = get_string(l, n, at, &s, &len);
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
        return fail(l, PP_ERR_INVALID_VALUE, n, at, "unknown %s %s%s", what,
                    quote(shown, s, len), hint(h, &sg));
    return fail(l, PP_ERR_INVALID_VALUE, n, at, "unknown %s %s (one of %s)", what,
                quote(shown, s, len), choices);
}

/* A platform or family name: [a-z0-9_]{1,32}. */
static int get_ident(loader *l, const ppi_node *n, const path *at,
                     const char *what, const char **s, uint32_t *len)
{
    int rc = get_string(l, n, at, s, len);
    if (rc != PP_OK)
        return rc;
    bool ok = *len >= 1 && *len <= IDENT_MAX_LEN;
    for (uint32_t i = 0; ok && i < *len; i++) {
        char c = (*s)[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    char shown[QUOTED];
    if (!ok)
        return fail(l, PP_ERR_INVALID_VALUE, n, at,
                    "%s names are 1 to 32 characters of a-z, 0-9 and _, got %s",
                    what, quote(shown, *s, *len));
    return PP_OK;
}

/* A user, organization or product name: 1..255 bytes of UTF-8 without
 * control characters, copied into the policy. */
static int get_name(loader *l, const ppi_node *n, const path *at,
                    const char *what, const char **copy, uint32_t *len)
{
    const char *s;
    int rc = get_string(l, n, at, &s, len);
    if (rc != PP_OK)
        return rc;
    char shown[QUOTED];
    if (!ppi_user_name_valid(s, *len))
        return fail(l, PP_ERR_INVALID_VALUE, n, at,
                    "%s %s: names are 1 to 255 bytes of UTF-8 without control characters",
                    what, quote(shown, s, *len));
    if ((*copy = ppi_arena_strndup(&l->p->arena, s, *len)) == NULL)
        return nomem(l);
    return PP_OK;
}

static int get_version(loader *l, const ppi_node *n, const path *at,
                       ppi_version *out)
{
    const char *s;
    uint32_t len;
    int rc = get_string(l, n, at, &s, &len);
    if (rc != PP_OK)
        return rc;
    /* Parsed from the policy's copy: the version keeps pointers into it. */
    char *copy = ppi_arena_strndup(&l->p->arena, s, len);
    if (copy == NULL)
        return nomem(l);
    char shown[QUOTED];
    if (ppi_version_parse(out, copy, len) != PP_OK)
        return fail(l, PP_ERR_INVALID_VERSION, n, at,
                    "%s is not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])",
                    quote(shown, s, len));
    return PP_OK;
}

/* ---- name maps ---- */

static int map_init(loader *l, name_map *m, uint64_t entries)
{
    uint64_t cap = 8;
    while (cap < entries * 2)
        cap <<= 1;
    if (cap > SIZE_MAX / sizeof *m->slots)
        return nomem(l);
    m->slots = ppi_arena_alloc(&l->scratch, (size_t)cap * sizeof *m->slots);
    if (m->slots == NULL)
        return nomem(l);
    m->mask = cap - 1;
    m->gen = 1;
    return PP_OK;
}

/* The slot holding key, or the free slot where it would go.  Maps are sized
 * for every key they will hold, so a free slot always exists. */
static map_slot *map_probe(const name_map *m, const void *key, size_t len)
{
    for (uint64_t s = ppi_hash_bytes(key, len) & m->mask;; s = (s + 1) & m->mask) {
        map_slot *e = &m->slots[s];
        if (e->gen != m->gen || (e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
}

static uint32_t map_get(const name_map *m, const void *key, size_t len)
{
    const map_slot *e = map_probe(m, key, len);
    return e->gen == m->gen ? e->value : PPI_NONE;
}

/* Add key -> value unless the key is there: returns its value then, else
 * PPI_NONE.  key must outlive the map. */
static uint32_t map_add(name_map *m, const void *key, size_t len, uint32_t value)
{
    map_slot *e = map_probe(m, key, len);
    if (e->gen == m->gen)
        return e->value;
    *e = (map_slot){ key, (uint32_t)len, value, m->gen };
    return PPI_NONE;
}

static void *scratch_array(loader *l, uint64_t n, size_t size)
{
    return n > SIZE_MAX / size ? NULL : ppi_arena_alloc(&l->scratch, (size_t)n * size);
}

/* ---- version and settings ---- */

static int check_version(loader *l, const ppi_node *root)
{
    const path at = { NULL, "version", 0 };
    const ppi_node *v = find(root, "version");
    char got[QUOTED];
    if (v == NULL)
        return fail(l, PP_ERR_MISSING_KEY, root, NULL,
                    "missing required key 'version' (write 'version: 1')");
    if (!is_integer(v))
        return fail(l, PP_ERR_WRONG_TYPE, v, &at, "expected an integer, got %s",
                    describe(got, v));
    if (!is(v, "1"))
        return fail(l, PP_ERR_SCHEMA_VERSION, v, &at,
                    "unsupported schema version %s (this library reads version 1)",
                    describe(got, v));
    return PP_OK;
}

static int compile_settings(loader *l, const ppi_node *n)
{
    pp_policy *p = l->p;
    if (n != NULL) {
        const path at = { NULL, "settings", 0 };
        const ppi_node *v[SETTINGS_KEYS];
        int rc = read_map(l, n, &at, &settings_schema, v);
        if (rc != PP_OK)
            return rc;
        const path lts_at = { &at, "require_lts", 0 },
                   notify_at = { &at, "sim_notify_percent", 0 };
        uint64_t percent = DEFAULT_SIM_NOTIFY_PERCENT;
        if (v[SET_REQUIRE_LTS] != NULL &&
            (rc = get_bool(l, v[SET_REQUIRE_LTS], &lts_at, &p->require_lts)) != PP_OK)
            return rc;
        if (v[SET_SIM_NOTIFY] != NULL &&
            (rc = get_uint(l, v[SET_SIM_NOTIFY], &notify_at, 1, 100, &percent)) != PP_OK)
            return rc;
        p->sim_notify_percent = (uint32_t)percent;
        if (v[SET_LEGACY_BELOW] != NULL) {
            const path vat = { &at, "legacy_device_os_below", 0 };
            return get_version(l, v[SET_LEGACY_BELOW], &vat, &p->legacy_below);
        }
    } else {
        p->sim_notify_percent = DEFAULT_SIM_NOTIFY_PERCENT;
    }
    /* A static default outlives any policy. */
    return ppi_version_parse(&p->legacy_below, DEFAULT_LEGACY_BELOW,
                             sizeof DEFAULT_LEGACY_BELOW - 1);
}

/* ---- platforms, SKUs and families ---- */

/* Index of family name, added to the table when new. */
static int family_index(loader *l, const char *name, uint32_t len, int32_t *out)
{
    ppi_families *f = &l->p->families;
    uint32_t i = map_get(&l->families, name, len);
    if (i == PPI_NONE) {
        char *copy = ppi_arena_strndup(&l->p->arena, name, len);
        if (copy == NULL)
            return nomem(l);
        i = f->nnames++;
        f->names[i] = copy;
        map_add(&l->families, copy, len, i);
    }
    *out = (int32_t)i;
    return PP_OK;
}

static int compile_platform(loader *l, const ppi_node *item, const path *at,
                            uint32_t k)
{
    ppi_families *f = &l->p->families;
    const ppi_node *v[PLATFORM_KEYS];
    const path id_at = { at, "id", 0 }, name_at = { at, "name", 0 },
               eligible_at = { at, "product_eligible", 0 },
               family_at = { at, "family", 0 }, by_sku_at = { at, "family_by_sku", 0 };
    int rc = read_map(l, item, at, &platform_schema, v);
    if (rc == PP_OK)
        rc = require(l, item, at, &platform_schema, v, PL_ID);
    if (rc == PP_OK)
        rc = require(l, item, at, &platform_schema, v, PL_NAME);
    uint64_t id = 0;
    const char *name = NULL;
    uint32_t name_len = 0;
    bool eligible = true, by_sku = false;
    /* UINT32_MAX is PP_PLATFORM_UNSPECIFIED. */
    if (rc == PP_OK)
        rc = get_uint(l, v[PL_ID], &id_at, 0, UINT32_MAX - 1, &id);
    if (rc == PP_OK)
        rc = get_ident(l, v[PL_NAME], &name_at, "platform", &name, &name_len);
    if (rc == PP_OK && v[PL_ELIGIBLE] != NULL)
        rc = get_bool(l, v[PL_ELIGIBLE], &eligible_at, &eligible);
    if (rc == PP_OK && v[PL_BY_SKU] != NULL)
        rc = get_bool(l, v[PL_BY_SKU], &by_sku_at, &by_sku);
    if (rc != PP_OK)
        return rc;

    int32_t family = -1;
    if (by_sku && v[PL_FAMILY] != NULL)
        return fail(l, PP_ERR_INVALID_VALUE, v[PL_FAMILY], &family_at,
                    "'family' does not go with 'family_by_sku: true' (each SKU names its family)");
    if (!eligible && v[PL_FAMILY] != NULL)
        return fail(l, PP_ERR_INVALID_VALUE, v[PL_FAMILY], &family_at,
                    "'family' does not go with 'product_eligible: false' (no product may hold it)");
    if (!by_sku && eligible) {
        const char *fname = name;
        uint32_t flen = name_len;
        if (v[PL_FAMILY] != NULL &&
            (rc = get_ident(l, v[PL_FAMILY], &family_at, "family", &fname, &flen)) != PP_OK)
            return rc;
        if ((rc = family_index(l, fname, flen, &family)) != PP_OK)
            return rc;
    }
    char *copy = ppi_arena_strndup(&l->p->arena, name, name_len);
    if (copy == NULL)
        return nomem(l);

    /* Same ID as a built-in platform: replace it in place. */
    uint32_t id32 = (uint32_t)id;
    uint32_t i = map_get(&l->platform_ids, &id32, sizeof id32);
    if (i != PPI_NONE && l->platform_item[i] != NULL)
        return fail(l, PP_ERR_DUPLICATE, v[PL_ID], &id_at,
                    "platform ID %" PRIu32 " is already declared (line %" PRIu32 ")",
                    id32, find(l->platform_item[i], "id")->line);
    if (i == PPI_NONE) {
        i = f->nplatforms++;
        f->platforms[i].id = id32;
        map_add(&l->platform_ids, &f->platforms[i].id, sizeof id32, i);
    } else if (!by_sku) {
        /* The built-in SKUs that named the overridden platform's family follow
         * the override, so a BRN404 Boron and a Boron without a SKU never end
         * up in different families.  (On a by-SKU platform each SKU keeps its
         * own family.)  The policy's own skus: entries come later and win. */
        int32_t old = f->platforms[i].family;
        for (uint32_t j = 0; j < f->nskus; j++)
            if (f->skus[j].platform_id == id32 && f->skus[j].family == old)
                f->skus[j].family = family;
    }
    f->platforms[i] = (ppi_platform){ id32, copy, eligible, family };
    l->platform_item[i] = item;
    l->item_platform[k] = i;
    return PP_OK;
}

/* Platform names are unique once every override is in place (renaming a
 * built-in frees its old name), so they are checked afterwards, in document
 * order. */
static int check_platform_names(loader *l, const ppi_node *list,
                                const path *list_at)
{
    const ppi_families *f = &l->p->families;
    int rc = map_init(l, &l->platform_names, f->nplatforms);
    if (rc != PP_OK)
        return rc;
    for (uint32_t i = 0; i < f->nplatforms; i++)
        if (l->platform_item[i] == NULL)
            map_add(&l->platform_names, f->platforms[i].name,
                    strlen(f->platforms[i].name), i);
    uint32_t k = 0;
    for (const ppi_node *item = list ? list->child : NULL; item; item = item->next, k++) {
        const ppi_platform *pl = &f->platforms[l->item_platform[k]];
        uint32_t other = map_add(&l->platform_names, pl->name, strlen(pl->name),
                                 l->item_platform[k]);
        if (other != PPI_NONE) {
            const path at = { list_at, NULL, k }, name_at = { &at, "name", 0 };
            return fail(l, PP_ERR_DUPLICATE, find(item, "name"), &name_at,
                        "platform name '%s' is already used by platform %" PRIu32,
                        pl->name, f->platforms[other].id);
        }
    }
    return PP_OK;
}

/* A platform named by ID (a plain integer) or by name (any case). */
static int find_platform(loader *l, const ppi_node *n, const path *at,
                         const ppi_platform **out)
{
    const ppi_families *f = &l->p->families;
    uint32_t i = PPI_NONE;
    char shown[QUOTED], h[QUOTED];
    if (is_integer(n)) {
        uint64_t id;
        int rc = get_uint(l, n, at, 0, UINT32_MAX - 1, &id);
        if (rc != PP_OK)
            return rc;
        uint32_t id32 = (uint32_t)id;
        i = map_get(&l->platform_ids, &id32, sizeof id32);
        if (i == PPI_NONE)
            return fail(l, PP_ERR_UNKNOWN_NAME, n, at, "unknown platform ID %" PRIu32,
                        id32);
        *out = &f->platforms[i];
        return PP_OK;
    }
    const char *s;
    uint32_t len;
    int rc = get_string(l, n, at, &s, &len);
    if (rc != PP_OK)
        return rc;
    if (len <= IDENT_MAX_LEN) {
        char lower[IDENT_MAX_LEN];
        for (uint32_t j = 0; j < len; j++)
            lower[j] = s[j] >= 'A' && s[j] <= 'Z' ? (char)(s[j] - 'A' + 'a') : s[j];
        i = map_get(&l->platform_names, lower, len);
    }
    if (i == PPI_NONE) {
        ppi_suggest sg;
        ppi_suggest_init(&sg, s, len);
        for (uint32_t j = 0; j < f->nplatforms; j++)
            ppi_suggest_offer(&sg, f->platforms[j].name, strlen(f->platforms[j].name));
        return fail(l, PP_ERR_UNKNOWN_NAME, n, at, "unknown platform %s%s",
                    quote(shown, s, len), hint(h, &sg));
    }
    *out = &f->platforms[i];
    return PP_OK;
}

static int compile_sku(loader *l, const ppi_node *item, const path *at)
{
    ppi_families *f = &l->p->families;
    const ppi_node *v[SKU_KEYS];
    const path prefix_at = { at, "prefix", 0 }, platform_at = { at, "platform", 0 },
               family_at = { at, "family", 0 };
    int rc = read_map(l, item, at, &sku_schema, v);
    if (rc == PP_OK)
        rc = require(l, item, at, &sku_schema, v, SKU_PREFIX);
    if (rc == PP_OK)
        rc = require(l, item, at, &sku_schema, v, SKU_PLATFORM);
    const char *prefix = NULL;
    uint32_t len = 0;
    if (rc == PP_OK)
        rc = get_string(l, v[SKU_PREFIX], &prefix_at, &prefix, &len);
    if (rc != PP_OK)
        return rc;
    char shown[QUOTED];
    if (!ppi_sku_valid(prefix, len))
        return fail(l, PP_ERR_INVALID_VALUE, v[SKU_PREFIX], &prefix_at,
                    "SKU prefixes are 1 to 32 characters of A-Z, 0-9 and '-', got %s",
                    quote(shown, prefix, len));
    const ppi_platform *pl = NULL;
    if ((rc = find_platform(l, v[SKU_PLATFORM], &platform_at, &pl)) != PP_OK)
        return rc;
    int32_t family = pl->family;
    if (!pl->eligible) {
        /* No product may hold the platform: its SKUs name no family. */
        if (v[SKU_FAMILY] != NULL)
            return fail(l, PP_ERR_INVALID_VALUE, v[SKU_FAMILY], &family_at,
                        "'family' does not go with platform '%s', which is not product-eligible",
                        pl->name);
    } else if (v[SKU_FAMILY] != NULL) {
        const char *fname;
        uint32_t flen;
        if ((rc = get_ident(l, v[SKU_FAMILY], &family_at, "family", &fname, &flen)) != PP_OK ||
            (rc = family_index(l, fname, flen, &family)) != PP_OK)
            return rc;
    } else if (family < 0) {
        return fail(l, PP_ERR_MISSING_KEY, item, at,
                    "missing required key 'family' (platform '%s' is family_by_sku)",
                    pl->name);
    }

    char *upper = ppi_arena_strndup(&l->p->arena, prefix, len);
    if (upper == NULL)
        return nomem(l);
    for (uint32_t j = 0; j < len; j++)
        if (upper[j] >= 'a' && upper[j] <= 'z')
            upper[j] = (char)(upper[j] - 'a' + 'A');
    uint32_t i = map_get(&l->skus, upper, len);
    if (i != PPI_NONE && l->sku_item[i] != NULL)
        return fail(l, PP_ERR_DUPLICATE, v[SKU_PREFIX], &prefix_at,
                    "SKU prefix '%s' is already declared (line %" PRIu32 ")", upper,
                    find(l->sku_item[i], "prefix")->line);
    if (i == PPI_NONE) {
        i = f->nskus++;
        map_add(&l->skus, upper, len, i);
    }
    f->skus[i] = (ppi_sku){ upper, len, pl->id, family };
    l->sku_item[i] = item;
    return PP_OK;
}

static int compile_families(loader *l, const ppi_node *platforms,
                            const ppi_node *skus)
{
    ppi_families *f = &l->p->families;
    const path platforms_at = { NULL, "platforms", 0 }, skus_at = { NULL, "skus", 0 };
    int rc = PP_OK;
    if (platforms != NULL && (rc = get_list(l, platforms, &platforms_at)) != PP_OK)
        return rc;
    if (skus != NULL && (rc = get_list(l, skus, &skus_at)) != PP_OK)
        return rc;
    uint32_t np = items(platforms), ns = items(skus);
    /* Each declared platform or SKU may bring one new family.  np + ns fits:
     * both count nodes, which max_nodes bounds. */
    rc = ppi_families_builtin(f, &l->p->arena, np, ns, np + ns);
    if (rc == PP_ERR_NOMEM)
        return nomem(l);
    if (rc != PP_OK)
        return ppi_error_set(l->err, rc, 0, 0, 0, "built-in platform table unavailable");

    if ((rc = map_init(l, &l->families, (uint64_t)f->nnames + np + ns)) != PP_OK ||
        (rc = map_init(l, &l->platform_ids, (uint64_t)f->nplatforms + np)) != PP_OK ||
        (rc = map_init(l, &l->skus, (uint64_t)f->nskus + ns)) != PP_OK)
        return rc;
    l->platform_item = scratch_array(l, (uint64_t)f->nplatforms + np, sizeof *l->platform_item);
    l->item_platform = scratch_array(l, np, sizeof *l->item_platform);
    l->sku_item = scratch_array(l, (uint64_t)f->nskus + ns, sizeof *l->sku_item);
    if (l->platform_item == NULL || l->item_platform == NULL || l->sku_item == NULL)
        return nomem(l);
    for (uint32_t i = 0; i < f->nnames; i++)
        map_add(&l->families, f->names[i], strlen(f->names[i]), i);
    for (uint32_t i = 0; i < f->nplatforms; i++)
        map_add(&l->platform_ids, &f->platforms[i].id, sizeof f->platforms[i].id, i);
    for (uint32_t i = 0; i < f->nskus; i++)
        map_add(&l->skus, f->skus[i].prefix, f->skus[i].prefix_len, i);

    uint32_t k = 0;
    for (const ppi_node *item = np ? platforms->child : NULL; item; item = item->next, k++) {
        const path at = { &platforms_at, NULL, k };
        if ((rc = compile_platform(l, item, &at, k)) != PP_OK)
            return rc;
    }
    if ((rc = check_platform_names(l, platforms, &platforms_at)) != PP_OK)
        return rc;
    k = 0;
    for (const ppi_node *item = ns ? skus->child : NULL; item; item = item->next, k++) {
        const path at = { &skus_at, NULL, k };
        if ((rc = compile_sku(l, item, &at)) != PP_OK)
            return rc;
    }
    return PP_OK;
}

/* ---- security lists: canary fingerprints and approved integrations ---- */

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* organizations[].canary_tokens: 16 hex digits each (pp_canary_fingerprint),
 * so the policy never holds a token itself. */
static int compile_canaries(loader *l, const ppi_node *list, const path *at,
                            ppi_org *org)
{
    pp_policy *p = l->p;
    int rc = get_list(l, list, at);
    if (rc != PP_OK)
        return rc;
    org->first_canary = p->ncanaries;
    l->scopes.gen++;
    uint32_t j = 0;
    for (const ppi_node *n = list->child; n; n = n->next, j++) {
        const path item_at = { at, NULL, j };
        const char *s;
        uint32_t len;
        char shown[QUOTED];
        if ((rc = get_string(l, n, &item_at, &s, &len)) != PP_OK)
            return rc;
        uint64_t v = 0;
        bool ok = len == 16;
        for (uint32_t i = 0; ok && i < len; i++) {
            int d = hex_digit(s[i]);
            ok = d >= 0;
            v = v << 4 | (uint64_t)(d & 0xF);
        }
        if (!ok)
            return fail(l, PP_ERR_INVALID_VALUE, n, &item_at,
                        "%s is not a canary fingerprint (16 hex digits: XXH3-64 of the token)",
                        quote(shown, s, len));
        uint64_t *slot = &p->canaries[p->ncanaries];
        *slot = v;
        if (map_add(&l->scopes, slot, sizeof *slot, j) != PPI_NONE)
            return fail(l, PP_ERR_DUPLICATE, n, &item_at,
                        "canary fingerprint %s is listed twice", quote(shown, s, len));
        p->ncanaries++;
    }
    org->ncanaries = p->ncanaries - org->first_canary;
    return PP_OK;
}

/* An http(s) URL: scheme (any case), then at least a host, no spaces or
 * control characters. */
static bool url_valid(const char *s, uint32_t len)
{
    static const char *const schemes[] = { "https://", "http://" };
    uint32_t start = 0;
    for (unsigned i = 0; i < 2 && start == 0; i++) {
        size_t n = strlen(schemes[i]);
        if (len > n && strncasecmp(s, schemes[i], n) == 0)
            start = (uint32_t)n;
    }
    if (start == 0 || len > URL_MAX_LEN)
        return false;
    for (uint32_t i = start; i < len; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7F)
            return false;
    return true;
}

static int compile_integrations(loader *l, const ppi_node *list, const path *at,
                                ppi_product *pr)
{
    pp_policy *p = l->p;
    int rc = get_list(l, list, at);
    if (rc != PP_OK)
        return rc;
    pr->has_integrations = true;
    pr->first_integration = p->nintegrations;
    l->scopes.gen++;
    uint32_t j = 0;
    for (const ppi_node *n = list->child; n; n = n->next, j++) {
        const path item_at = { at, NULL, j };
        const char *s;
        uint32_t len;
        char shown[QUOTED];
        if ((rc = get_string(l, n, &item_at, &s, &len)) != PP_OK)
            return rc;
        if (!url_valid(s, len))
            return fail(l, PP_ERR_INVALID_VALUE, n, &item_at,
                        "%s is not an http(s) URL (scheme://host..., no spaces, "
                        "at most 2048 bytes)", quote(shown, s, len));
        if (map_add(&l->scopes, s, len, j) != PPI_NONE)
            return fail(l, PP_ERR_DUPLICATE, n, &item_at, "destination %s is listed twice",
                        quote(shown, s, len));
        char *copy = ppi_arena_strndup(&p->arena, s, len);
        if (copy == NULL)
            return nomem(l);
        p->integrations[p->nintegrations++] = (ppi_str){ copy, len };
    }
    pr->nintegrations = p->nintegrations - pr->first_integration;
    return PP_OK;
}

/* ---- organizations, members, API users ---- */

/* SPEC §4: one owner per product.  An organization's owner owns each of its
 * products, so a product team may name an owner only when its organization
 * has none (or names the same person). */
static int check_owner(loader *l, const ppi_node *n, const path *at,
                       const char *name, uint32_t len, uint32_t team_owner,
                       uint32_t org_owner)
{
    const pp_policy *p = l->p;
    char shown[QUOTED];
    if (team_owner != PPI_NONE) {
        const ppi_member *o = &p->members[team_owner];
        return fail(l, PP_ERR_DUPLICATE, n, at,
                    "a team has one owner, and %s already is",
                    quote(shown, o->name, o->name_len));
    }
    if (org_owner != PPI_NONE) {
        const ppi_member *o = &p->members[org_owner];
        if (o->name_len != len || memcmp(o->name, name, len) != 0)
            return fail(l, PP_ERR_DUPLICATE, n, at,
                        "the product already has an owner: %s, owner of its organization",
                        quote(shown, o->name, o->name_len));
    }
    return PP_OK;
}

static int compile_member(loader *l, const ppi_node *item, const path *at,
                          uint32_t team, uint32_t *team_owner, uint32_t org_owner)
{
    pp_policy *p = l->p;
    const ppi_node *v[MEMBER_KEYS];
    const path user_at = { at, "user", 0 }, role_at = { at, "role", 0 },
               two_step_at = { at, "two_step", 0 };
    int rc = read_map(l, item, at, &member_schema, v);
    if (rc == PP_OK)
        rc = require(l, item, at, &member_schema, v, MEM_USER);
    if (rc == PP_OK)
        rc = require(l, item, at, &member_schema, v, MEM_ROLE);
    const char *name = NULL;
    uint32_t len = 0;
    int role = 0;
    bool two_step = false;
    if (rc == PP_OK)
        rc = get_name(l, v[MEM_USER], &user_at, "user", &name, &len);
    if (rc == PP_OK)
        rc = get_enum(l, v[MEM_ROLE], &role_at, "role", pp_role_name, &role);
    if (rc == PP_OK && v[MEM_TWO_STEP] != NULL)
        rc = get_bool(l, v[MEM_TWO_STEP], &two_step_at, &two_step);
    if (rc == PP_OK && role == PP_ROLE_OWNER)
        rc = check_owner(l, v[MEM_ROLE], &role_at, name, len, *team_owner, org_owner);
    if (rc != PP_OK)
        return rc;
    if (role == PP_ROLE_OWNER)
        *team_owner = p->nmembers;
    p->members[p->nmembers++] = (ppi_member){
        .name = name, .name_len = len, .team = team, .role = (uint8_t)role,
        .two_step = two_step, .kind = PPI_HUMAN,
    };
    return PP_OK;
}

/* resource[.sub]:verb, each part [a-z_]+, the verb also '*'. */
static bool scope_valid(const char *s, uint32_t len)
{
    uint32_t i = 0, parts = 0;
    for (;;) {
        uint32_t start = i;
        while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
            i++;
        if (i == start || i == len || ++parts > 2)
            return false;
        if (s[i] == ':')
            break;
        if (s[i++] != '.')
            return false;
    }
    i++; /* ':' */
    if (i + 1 == len && s[i] == '*')
        return true;
    uint32_t start = i;
    while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
        i++;
    return i > start && i == len;
}

static int compile_api_user(loader *l, const ppi_node *item, const path *at,
                            uint32_t team)
{
    pp_policy *p = l->p;
    const ppi_node *v[API_KEYS];
    const path name_at = { at, "name", 0 }, scopes_at = { at, "scopes", 0 },
               org_level_at = { at, "organization_level", 0 };
    int rc = read_map(l, item, at, &api_schema, v);
    if (rc == PP_OK)
        rc = require(l, item, at, &api_schema, v, API_NAME);
    if (rc == PP_OK)
        rc = require(l, item, at, &api_schema, v, API_SCOPES);
    const char *name = NULL;
    uint32_t len = 0;
    if (rc == PP_OK)
        rc = get_name(l, v[API_NAME], &name_at, "API user", &name, &len);
    if (rc == PP_OK)
        rc = get_list(l, v[API_SCOPES], &scopes_at);
    bool org_level = false;
    if (rc == PP_OK && v[API_ORG_LEVEL] != NULL)
        rc = get_bool(l, v[API_ORG_LEVEL], &org_level_at, &org_level);
    if (rc != PP_OK)
        return rc;
    if (v[API_SCOPES]->len == 0)
        return fail(l, PP_ERR_INVALID_VALUE, v[API_SCOPES], &scopes_at,
                    "an API user needs at least one scope");

    uint32_t first = p->nscopes, j = 0;
    l->scopes.gen++;
    for (const ppi_node *sn = v[API_SCOPES]->child; sn; sn = sn->next, j++) {
        const path scope_at = { &scopes_at, NULL, j };
        const char *s;
        uint32_t slen;
        char shown[QUOTED];
        if ((rc = get_string(l, sn, &scope_at, &s, &slen)) != PP_OK)
            return rc;
        if (!scope_valid(s, slen))
            return fail(l, PP_ERR_INVALID_VALUE, sn, &scope_at,
                        "%s is not a scope (resource[.sub]:verb, e.g. devices:import)",
                        quote(shown, s, slen));
        if (map_add(&l->scopes, s, slen, j) != PPI_NONE)
            return fail(l, PP_ERR_DUPLICATE, sn, &scope_at, "scope %s is listed twice",
                        quote(shown, s, slen));
        char *copy = ppi_arena_strndup(&p->arena, s, slen);
        if (copy == NULL)
            return nomem(l);
        p->scopes[p->nscopes++] = (ppi_str){ copy, slen };
    }
    p->scopes[p->nscopes++] = (ppi_str){ NULL, 0 };
    p->members[p->nmembers++] = (ppi_member){
        .name = name, .name_len = len, .team = team, .kind = PPI_API_USER,
        .org_level = org_level, .first_scope = first,
    };
    return PP_OK;
}

static int compile_orgs(loader *l, const ppi_node *list)
{
    pp_policy *p = l->p;
    const path list_at = { NULL, "organizations", 0 };
    if (list == NULL)
        return PP_OK;
    int rc = get_list(l, list, &list_at);
    if (rc != PP_OK)
        return rc;
    uint32_t o = 0;
    for (const ppi_node *item = list->child; item; item = item->next, o++) {
        const path at = { &list_at, NULL, o }, name_at = { &at, "name", 0 },
                   members_at = { &at, "members", 0 }, api_at = { &at, "api_users", 0 },
                   canaries_at = { &at, "canary_tokens", 0 };
        const ppi_node *v[ORG_KEYS];
        const char *name = NULL;
        uint32_t len = 0;
        rc = read_map(l, item, &at, &org_schema, v);
        if (rc == PP_OK)
            rc = require(l, item, &at, &org_schema, v, ORG_NAME);
        if (rc == PP_OK)
            rc = get_name(l, v[ORG_NAME], &name_at, "organization", &name, &len);
        if (rc != PP_OK)
            return rc;
        uint32_t other = map_add(&l->orgs, name, len, o);
        char shown[QUOTED];
        if (other != PPI_NONE)
            return fail(l, PP_ERR_DUPLICATE, v[ORG_NAME], &name_at,
                        "organization %s is already defined (line %" PRIu32 ")",
                        quote(shown, name, len), find(nth(list, other), "name")->line);
        p->orgs[o] = (ppi_org){ name, len, ppi_hash_bytes(name, len), 0, 0 };
        l->org_owner[o] = PPI_NONE;
        if (v[ORG_CANARIES] != NULL &&
            (rc = compile_canaries(l, v[ORG_CANARIES], &canaries_at, &p->orgs[o])) != PP_OK)
            return rc;

        if (v[ORG_MEMBERS] != NULL) {
            if ((rc = get_list(l, v[ORG_MEMBERS], &members_at)) != PP_OK)
                return rc;
            uint32_t j = 0;
            for (const ppi_node *m = v[ORG_MEMBERS]->child; m; m = m->next, j++) {
                const path mat = { &members_at, NULL, j };
                if ((rc = compile_member(l, m, &mat, o, &l->org_owner[o], PPI_NONE)) != PP_OK)
                    return rc;
            }
        }
        if (v[ORG_API_USERS] != NULL) {
            if ((rc = get_list(l, v[ORG_API_USERS], &api_at)) != PP_OK)
                return rc;
            uint32_t j = 0;
            for (const ppi_node *u = v[ORG_API_USERS]->child; u; u = u->next, j++) {
                const path uat = { &api_at, NULL, j };
                if ((rc = compile_api_user(l, u, &uat, o)) != PP_OK)
                    return rc;
            }
        }
    }
    return PP_OK;
}

/* ---- products ---- */

static int product_org(loader *l, const ppi_node *n, const path *at, uint32_t *out)
{
    const pp_policy *p = l->p;
    const char *s;
    uint32_t len;
    int rc = get_string(l, n, at, &s, &len);
    if (rc != PP_OK)
        return rc;
    if ((*out = map_get(&l->orgs, s, len)) != PPI_NONE)
        return PP_OK;
    ppi_suggest sg;
    ppi_suggest_init(&sg, s, len);
    for (uint32_t i = 0; i < p->norgs; i++)
        ppi_suggest_offer(&sg, p->orgs[i].name, p->orgs[i].name_len);
    char shown[QUOTED], h[QUOTED];
    return fail(l, PP_ERR_UNKNOWN_NAME, n, at, "unknown organization %s%s",
                quote(shown, s, len), hint(h, &sg));
}

static int product_family(loader *l, const ppi_node *n, const path *at, int32_t *out)
{
    const ppi_families *f = &l->p->families;
    const char *s;
    uint32_t len;
    int rc = get_string(l, n, at, &s, &len);
    if (rc != PP_OK)
        return rc;
    uint32_t i = map_get(&l->families, s, len);
    if (i != PPI_NONE) {
        *out = (int32_t)i;
        return PP_OK;
    }
    ppi_suggest sg;
    ppi_suggest_init(&sg, s, len);
    for (uint32_t j = 0; j < f->nnames; j++)
        ppi_suggest_offer(&sg, f->names[j], strlen(f->names[j]));
    char shown[QUOTED], h[QUOTED];
    return fail(l, PP_ERR_UNKNOWN_FAMILY, n, at, "unknown family %s%s",
                quote(shown, s, len), hint(h, &sg));
}

static int compile_product(loader *l, const ppi_node *item, const path *at,
                           uint32_t k)
{
    pp_policy *p = l->p;
    ppi_product *pr = &p->products[k];
    const ppi_node *v[PRODUCT_KEYS];
    const path id_at = { at, "id", 0 }, name_at = { at, "name", 0 },
               org_at = { at, "organization", 0 }, family_at = { at, "family", 0 },
               unrecognized_at = { at, "unrecognized_devices", 0 },
               removed_at = { at, "removed_devices", 0 },
               released_at = { at, "released_firmware", 0 },
               min_os_at = { at, "min_device_os", 0 }, team_at = { at, "team", 0 },
               integrations_at = { at, "approved_integrations", 0 },
               lts_at = { at, "require_lts", 0 };
    int rc = read_map(l, item, at, &product_schema, v);
    static const unsigned required[] = { PR_ID, PR_NAME, PR_FAMILY };
    for (unsigned i = 0; rc == PP_OK && i < sizeof required / sizeof *required; i++)
        rc = require(l, item, at, &product_schema, v, required[i]);
    uint64_t id = 0, released = 0;
    int unrecognized = 0, removed = 0;
    pr->org = PPI_NONE;
    if (rc == PP_OK)
        rc = get_uint(l, v[PR_ID], &id_at, 1, UINT32_MAX, &id);
    if (rc == PP_OK)
        rc = get_name(l, v[PR_NAME], &name_at, "product", &pr->name, &pr->name_len);
    if (rc == PP_OK && v[PR_ORG] != NULL)
        rc = product_org(l, v[PR_ORG], &org_at, &pr->org);
    if (rc == PP_OK)
        rc = product_family(l, v[PR_FAMILY], &family_at, &pr->family);
    if (rc == PP_OK && v[PR_UNRECOGNIZED] != NULL)
        rc = get_enum(l, v[PR_UNRECOGNIZED], &unrecognized_at, "mode",
                      unrecognized_mode, &unrecognized);
    if (rc == PP_OK && v[PR_REMOVED] != NULL)
        rc = get_enum(l, v[PR_REMOVED], &removed_at, "mode", removed_mode, &removed);
    if (rc == PP_OK && v[PR_RELEASED] != NULL)
        rc = get_uint(l, v[PR_RELEASED], &released_at, 1, UINT16_MAX, &released);
    if (rc == PP_OK && v[PR_MIN_OS] != NULL)
        rc = get_version(l, v[PR_MIN_OS], &min_os_at, &pr->min_device_os);
    if (rc == PP_OK && v[PR_REQUIRE_LTS] != NULL)
        rc = get_bool(l, v[PR_REQUIRE_LTS], &lts_at, &pr->require_lts);
    if (rc == PP_OK && v[PR_INTEGRATIONS] != NULL)
        rc = compile_integrations(l, v[PR_INTEGRATIONS], &integrations_at, pr);
    if (rc != PP_OK)
        return rc;
    pr->id = (uint32_t)id;
    pr->auto_approve = unrecognized == 1;
    pr->removed_quarantine = removed == 1;
    pr->released_firmware = (uint16_t)released;
    pr->has_min_device_os = v[PR_MIN_OS] != NULL;
    pr->team_seed = ppi_product_team_seed(pr->id);

    if (v[PR_TEAM] != NULL) {
        if ((rc = get_list(l, v[PR_TEAM], &team_at)) != PP_OK)
            return rc;
        uint32_t owner = PPI_NONE, j = 0;
        uint32_t org_owner = pr->org != PPI_NONE ? l->org_owner[pr->org] : PPI_NONE;
        for (const ppi_node *m = v[PR_TEAM]->child; m; m = m->next, j++) {
            const path mat = { &team_at, NULL, j };
            if ((rc = compile_member(l, m, &mat, p->norgs + k, &owner, org_owner)) != PP_OK)
                return rc;
        }
    }
    return PP_OK;
}

static int compile_products(loader *l, const ppi_node *list)
{
    const path list_at = { NULL, "products", 0 };
    if (list == NULL)
        return PP_OK;
    int rc = get_list(l, list, &list_at);
    uint32_t k = 0;
    for (const ppi_node *item = list->child; rc == PP_OK && item; item = item->next, k++) {
        const path at = { &list_at, NULL, k };
        rc = compile_product(l, item, &at, k);
    }
    return rc;
}

/* ---- counting (before anything is allocated) ---- */

static int add_members(loader *l, uint64_t *total, const ppi_node *list,
                       const path *at)
{
    uint32_t n = items(list);
    if (*total + n > l->opt->max_members) {
        uint32_t i = (uint32_t)(l->opt->max_members - *total);
        const path item = { at, NULL, i };
        return fail(l, PP_ERR_LIMIT, nth(list, i), &item,
                    "more than %" PRIu32 " team members and API users (max_members)",
                    l->opt->max_members);
    }
    *total += n;
    return PP_OK;
}

/* Sizes of the policy's arrays, and the product and member limits.  Lists of
 * the wrong type count as empty here: compiling them reports the error. */
static int count(loader *l, counts *c)
{
    const ppi_node *orgs = l->root[ROOT_ORGANIZATIONS];
    const ppi_node *products = l->root[ROOT_PRODUCTS];
    const path orgs_at = { NULL, "organizations", 0 }, products_at = { NULL, "products", 0 };
    memset(c, 0, sizeof *c);
    c->orgs = items(orgs);
    c->products = items(products);
    if (c->products > l->opt->max_products) {
        const path at = { &products_at, NULL, l->opt->max_products };
        return fail(l, PP_ERR_LIMIT, nth(products, l->opt->max_products), &at,
                    "more than %" PRIu32 " products (max_products)",
                    l->opt->max_products);
    }
    uint64_t members = 0, scopes = 0;
    int rc = PP_OK;
    uint32_t k = 0;
    for (const ppi_node *org = c->orgs ? orgs->child : NULL; org; org = org->next, k++) {
        const path at = { &orgs_at, NULL, k }, members_at = { &at, "members", 0 },
                   api_at = { &at, "api_users", 0 };
        const ppi_node *api = find(org, "api_users");
        if ((rc = add_members(l, &members, find(org, "members"), &members_at)) != PP_OK ||
            (rc = add_members(l, &members, api, &api_at)) != PP_OK)
            return rc;
        for (const ppi_node *u = items(api) ? api->child : NULL; u; u = u->next) {
            uint32_t n = items(find(u, "scopes"));
            scopes += n + 1; /* and the entry that ends the user's list */
            if (n > c->user_scopes)
                c->user_scopes = n;
        }
        uint32_t n = items(find(org, "canary_tokens"));
        c->canaries += n;
        if (n > c->user_scopes)
            c->user_scopes = n;
    }
    k = 0;
    for (const ppi_node *pr = c->products ? products->child : NULL; pr; pr = pr->next, k++) {
        const path at = { &products_at, NULL, k }, team_at = { &at, "team", 0 };
        if ((rc = add_members(l, &members, find(pr, "team"), &team_at)) != PP_OK)
            return rc;
        uint32_t n = items(find(pr, "approved_integrations"));
        c->integrations += n;
        if (n > c->user_scopes)
            c->user_scopes = n;
    }
    /* All within max_nodes, itself a uint32_t; user_scopes is the longest
     * list checked for duplicates through l->scopes. */
    c->members = (uint32_t)members;
    c->scopes = (uint32_t)scopes;
    return PP_OK;
}

/* ---- duplicates found by the indexes ---- */

static int duplicate_product(loader *l, uint32_t dup)
{
    const pp_policy *p = l->p;
    const ppi_node *list = l->root[ROOT_PRODUCTS];
    uint32_t first = 0;
    while (p->products[first].id != p->products[dup].id)
        first++;
    const path list_at = { NULL, "products", 0 }, at = { &list_at, NULL, dup },
               id_at = { &at, "id", 0 };
    return fail(l, PP_ERR_DUPLICATE, find(nth(list, dup), "id"), &id_at,
                "duplicate product ID %" PRIu32 " (first at line %" PRIu32 ")",
                p->products[dup].id, find(nth(list, first), "id")->line);
}

/* Where member i was declared.  Members are numbered in compile order: each
 * organization's members, then its API users; then each product's team. */
typedef struct member_origin {
    const char *outer, *list, *key;
    uint32_t outer_index, index;
    const ppi_node *name;
} member_origin;

/* Whether member *i is in list (the outer_index-th entry's); else skip it. */
static bool origin_in(member_origin *out, uint32_t *i, const ppi_node *outer_item,
                      const char *outer, uint32_t outer_index, const char *list_key,
                      const char *name_key)
{
    const ppi_node *list = find(outer_item, list_key);
    uint32_t n = items(list);
    if (*i >= n) {
        *i -= n;
        return false;
    }
    *out = (member_origin){ outer, list_key, name_key, outer_index, *i,
                            find(nth(list, *i), name_key) };
    return true;
}

static void member_origin_find(const loader *l, uint32_t i, member_origin *out)
{
    const ppi_node *orgs = l->root[ROOT_ORGANIZATIONS];
    const ppi_node *products = l->root[ROOT_PRODUCTS];
    memset(out, 0, sizeof *out);
    uint32_t k = 0;
    for (const ppi_node *o = items(orgs) ? orgs->child : NULL; o; o = o->next, k++)
        if (origin_in(out, &i, o, "organizations", k, "members", "user") ||
            origin_in(out, &i, o, "organizations", k, "api_users", "name"))
            return;
    k = 0;
    for (const ppi_node *pr = items(products) ? products->child : NULL; pr; pr = pr->next, k++)
        if (origin_in(out, &i, pr, "products", k, "team", "user"))
            return;
}

static int duplicate_member(loader *l, uint32_t dup)
{
    const pp_policy *p = l->p;
    const ppi_member *m = &p->members[dup];
    uint32_t first = 0;
    while (!(p->members[first].team == m->team && p->members[first].name_len == m->name_len &&
             memcmp(p->members[first].name, m->name, m->name_len) == 0))
        first++;
    member_origin here, there;
    member_origin_find(l, dup, &here);
    member_origin_find(l, first, &there);
    const path outer = { NULL, here.outer, 0 }, item = { &outer, NULL, here.outer_index },
               list = { &item, here.list, 0 }, entry = { &list, NULL, here.index },
               key = { &entry, here.key, 0 };
    char shown[QUOTED];
    return fail(l, PP_ERR_DUPLICATE, here.name, &key,
                "%s is already on this team (line %" PRIu32 ")",
                quote(shown, m->name, m->name_len), there.name ? there.name->line : 0);
}

/* ---- the whole load ---- */

static void *policy_array(pp_policy *p, uint32_t n, size_t size)
{
    return n == 0 ? NULL : ppi_arena_alloc(&p->arena, (size_t)n * size);
}

static int compile(loader *l)
{
    const ppi_node *root;
    int rc = ppi_yaml_parse(&root, &l->scratch, l->text, l->len, l->opt, l->err);
    if (rc != PP_OK)
        return rc;
    if (root == NULL || is_null(root))
        return ppi_error_set(l->err, PP_ERR_MISSING_KEY, root ? root->line : 1,
                             root ? root->column : 1,
                             root ? ppi_yaml_offset(l->text, l->len, root->line, root->column) : 0,
                             "empty policy: a policy needs at least 'version: 1'");
    char got[QUOTED];
    if (root->kind != PPI_MAPPING)
        return fail(l, PP_ERR_WRONG_TYPE, root, NULL,
                    "a policy is a mapping (version, products, ...), got %s",
                    describe(got, root));
    /* The version decides how to read everything else, so a wrong one is
     * reported before any other key; a missing one after the other keys,
     * which may hold it misspelt ("Version"). */
    bool has_version = find(root, "version") != NULL;
    if ((has_version && (rc = check_version(l, root)) != PP_OK) ||
        (rc = read_map(l, root, NULL, &root_schema, l->root)) != PP_OK ||
        (!has_version && (rc = check_version(l, root)) != PP_OK))
        return rc;

    counts c;
    if ((rc = count(l, &c)) != PP_OK)
        return rc;

    ppi_arena arena;
    ppi_arena_init(&arena, &l->opt->allocator);
    pp_policy *p = ppi_arena_alloc(&arena, sizeof *p);
    if (p == NULL) {
        ppi_arena_free_all(&arena);
        return nomem(l);
    }
    /* The policy owns the arena it lives in (see pp_policy_free). */
    p->arena = arena;
    l->p = p;
    p->products = policy_array(p, c.products, sizeof *p->products);
    p->orgs = policy_array(p, c.orgs, sizeof *p->orgs);
    p->members = policy_array(p, c.members, sizeof *p->members);
    p->scopes = policy_array(p, c.scopes, sizeof *p->scopes);
    p->integrations = policy_array(p, c.integrations, sizeof *p->integrations);
    p->canaries = policy_array(p, c.canaries, sizeof *p->canaries);
    l->org_owner = scratch_array(l, c.orgs, sizeof *l->org_owner);
    if ((c.products && !p->products) || (c.orgs && !p->orgs) ||
        (c.members && !p->members) || (c.scopes && !p->scopes) ||
        (c.integrations && !p->integrations) || (c.canaries && !p->canaries) ||
        !l->org_owner)
        return nomem(l);
    p->nproducts = c.products;
    p->norgs = c.orgs;
    if ((rc = map_init(l, &l->orgs, c.orgs)) != PP_OK ||
        (rc = map_init(l, &l->scopes, c.user_scopes)) != PP_OK)
        return rc;

    if ((rc = compile_settings(l, l->root[ROOT_SETTINGS])) != PP_OK ||
        (rc = compile_families(l, l->root[ROOT_PLATFORMS], l->root[ROOT_SKUS])) != PP_OK ||
        (rc = compile_orgs(l, l->root[ROOT_ORGANIZATIONS])) != PP_OK ||
        (rc = compile_products(l, l->root[ROOT_PRODUCTS])) != PP_OK)
        return rc;

    uint32_t dup = 0;
    rc = ppi_index_products(p, &dup);
    if (rc == PP_ERR_DUPLICATE)
        return duplicate_product(l, dup);
    if (rc == PP_OK)
        rc = ppi_index_members(p, &dup);
    if (rc == PP_ERR_DUPLICATE)
        return duplicate_member(l, dup);
    if (rc != PP_OK)
        return nomem(l);
    ppi_policy_fingerprint(p);
    p->refcount = 1;
    return PP_OK;
}

static int resolve_options(pp_load_options *opt, const pp_load_options *given)
{
    pp_load_options defaults = PP_LOAD_OPTIONS_INIT;
    *opt = given != NULL ? *given : defaults;
    if (opt->version != PP_LOAD_OPTIONS_VERSION)
        return PP_ERR_INVALID_ARGUMENT;
    /* Half a hook would free with the wrong function. */
    if ((opt->allocator.alloc == NULL) != (opt->allocator.free == NULL))
        return PP_ERR_INVALID_ARGUMENT;
    if (opt->max_input_bytes == 0)
        opt->max_input_bytes = DEFAULT_MAX_INPUT_BYTES;
    if (opt->max_depth == 0)
        opt->max_depth = DEFAULT_MAX_DEPTH;
    if (opt->max_aliases == 0)
        opt->max_aliases = DEFAULT_MAX_ALIASES;
    if (opt->max_nodes == 0)
        opt->max_nodes = DEFAULT_MAX_NODES;
    if (opt->max_products == 0)
        opt->max_products = DEFAULT_MAX_PRODUCTS;
    if (opt->max_members == 0)
        opt->max_members = DEFAULT_MAX_MEMBERS;
    return PP_OK;
}

int pp_policy_load(pp_policy **out, const char *text, size_t len,
                   const pp_load_options *options, pp_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || (text == NULL && len > 0))
        return ppi_error_set(err, PP_ERR_INVALID_ARGUMENT, 0, 0, 0,
                             out == NULL ? "out is NULL" : "text is NULL but len is not 0");
    pp_load_options opt;
    if (resolve_options(&opt, options) != PP_OK)
        return ppi_error_set(err, PP_ERR_INVALID_ARGUMENT, 0, 0, 0,
                             "options: version must be PP_LOAD_OPTIONS_VERSION and an "
                             "allocator needs both alloc and free");
    if (len > opt.max_input_bytes) {
        uint32_t line, column;
        ppi_yaml_position(text, len, opt.max_input_bytes, &line, &column);
        return ppi_error_set(err, PP_ERR_LIMIT, line, column, opt.max_input_bytes,
                             "input is larger than %zu bytes (max_input_bytes)",
                             opt.max_input_bytes);
    }

    loader l;
    memset(&l, 0, sizeof l);
    l.text = text;
    l.len = len;
    l.err = err;
    l.opt = &opt;
    ppi_arena_init(&l.scratch, &opt.allocator);
    int rc = compile(&l);
    ppi_arena_free_all(&l.scratch);
    if (rc != PP_OK) {
        if (l.p != NULL) {
            ppi_arena arena = l.p->arena;
            ppi_arena_free_all(&arena);
        }
        return rc;
    }
    *out = l.p;
    return ppi_error_set(err, PP_OK, 0, 0, 0, "%s", "");
}
