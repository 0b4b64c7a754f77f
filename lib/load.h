/* The policy loader's shared parts: its state, the key paths of its error
 * messages, its name maps, and the readers that check a YAML node against the
 * schema.  load.c drives a load; load_*.c compile one part of the schema
 * each (settings, platforms, organizations, products). */
#ifndef PPI_LOAD_H
#define PPI_LOAD_H

#include "internal.h"

#include "suggest.h"
#include "yaml_tree.h"

#define IDENT_MAX_LEN 32u   /* platform and family names */
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

/* ---- key paths for messages: products[2].family ---- */

/* One step from the root; lives on the stack of the code that walks it, so
 * naming a position costs nothing unless an error is reported. */
typedef struct path {
    const struct path *up;
    const char *key;     /* a mapping key, or NULL for a list item */
    uint32_t index;
} path;

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
    pp_error *err;                /* a load's first error (may be NULL) */
    const pp_load_options *opt;   /* defaults filled in */
    bool piecewise;               /* test-only: ppi_policy_load_piecewise */
    /* A validation (pp_policy_validate) goes on after an error, skipping the
     * node, and keeps every error here, in the order found. */
    bool collect;
    bool stopped;                 /* the validation ends: no more errors */
    pp_error *found;              /* PP_VALIDATE_MAX_ERRORS of them */
    uint32_t nfound;
    int first;                    /* code of the first error found */
    ppi_arena scratch;
    /* The document's tree, apart from the rest of the scratch memory: a load
     * frees it before building the indexes, and reads the text again only to
     * report a duplicate the indexes find (ppi_load_tree). */
    ppi_arena tree;
    bool tree_freed;
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

/* Whether the walk carries on after a step that returned step: always after
 * success; after an error only in a validation that has not ended.  *rc
 * keeps the first error.  A load stops at its first error, so it reports
 * the error a validation finds first. */
static inline bool ppi_carry_on(const loader *l, int *rc, int step)
{
    if (step == PP_OK)
        return true;
    if (*rc == PP_OK)
        *rc = step;
    return l->collect && !l->stopped;
}

/* ---- load_error.c: error reports ---- */

/* Report code with the position of node at (none when NULL) and the
 * message, prefixed with the key path where: into l->err for a load, into
 * l->found for a validation, which ends on an error that leaves nothing to
 * read on (a YAML error, a limit, out of memory, another schema version) or
 * at PP_VALIDATE_MAX_ERRORS.  Returns code. */
int ppi_load_fail(loader *l, int code, const ppi_node *at, const path *where,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
int ppi_load_nomem(loader *l);
/* Report an error already in a record (libyaml's, or one without a node). */
int ppi_load_report(loader *l, const pp_error *e);
/* Message pieces, written into buf and returned: 's', a node's kind or value
 * ("a list", "'x'"), and " (did you mean 'x'?)" or "". */
const char *ppi_quote(char buf[QUOTED], const char *s, size_t len);
const char *ppi_describe(char buf[QUOTED], const ppi_node *n);
const char *ppi_hint(char buf[QUOTED], const ppi_suggest *s);

/* ---- load_values.c: reading nodes against the schema ---- */

/* Check that n is a mapping with known, distinct keys; vals[k] is the value
 * of sc->keys[k] or NULL.  A validation skips a wrong key and returns PP_OK:
 * only a node that is not a mapping is unusable. */
int ppi_read_map(loader *l, const ppi_node *n, const path *at, const schema *sc,
                 const ppi_node **vals);
/* PP_ERR_MISSING_KEY unless vals[key] is set. */
int ppi_require(loader *l, const ppi_node *map, const path *at, const schema *sc,
                const ppi_node **vals, unsigned key);
int ppi_get_list(loader *l, const ppi_node *n, const path *at);
/* A scalar that is not null; *s points into the tree. */
int ppi_get_string(loader *l, const ppi_node *n, const path *at,
                   const char **s, uint32_t *len);
/* A decimal integer in [min, max], without leading zeros. */
int ppi_get_uint(loader *l, const ppi_node *n, const path *at, uint64_t min,
                 uint64_t max, uint64_t *out);
int ppi_get_bool(loader *l, const ppi_node *n, const path *at, bool *out);
/* One of the names name_of(0), name_of(1), ... (until NULL). */
int ppi_get_enum(loader *l, const ppi_node *n, const path *at, const char *what,
                 const char *(*name_of)(int), int *out);
/* A platform or family name: [a-z0-9_]{1,32}. */
int ppi_get_ident(loader *l, const ppi_node *n, const path *at,
                  const char *what, const char **s, uint32_t *len);
/* A user, organization or product name (ppi_user_name_valid), copied into
 * the policy. */
int ppi_get_name(loader *l, const ppi_node *n, const path *at,
                 const char *what, const char **copy, uint32_t *len);
/* A semantic version, parsed from a copy in the policy. */
int ppi_get_version(loader *l, const ppi_node *n, const path *at,
                    ppi_version *out);

/* ---- load_map.c: name maps and scratch arrays ---- */

/* An empty map with room for entries keys. */
int ppi_map_init(loader *l, name_map *m, uint64_t entries);
/* The value of key, or PPI_NONE. */
uint32_t ppi_map_get(const name_map *m, const void *key, size_t len);
/* Add key -> value unless the key is there: returns its value then, else
 * PPI_NONE.  key must outlive the map. */
uint32_t ppi_map_add(name_map *m, const void *key, size_t len, uint32_t value);
/* n zeroed elements of size bytes in scratch memory, or NULL. */
void *ppi_scratch_array(loader *l, uint64_t n, size_t size);

/* ---- the parts of the schema ---- */

/* load_settings.c: the version key, then settings (defaults when absent). */
int ppi_check_version(loader *l, const ppi_node *root);
int ppi_compile_settings(loader *l, const ppi_node *n);
/* load_platforms.c: the built-in table with the policy's platforms and SKUs. */
int ppi_compile_families(loader *l, const ppi_node *platforms, const ppi_node *skus);
/* load_orgs.c: organizations with their members, API users and canaries. */
int ppi_compile_orgs(loader *l, const ppi_node *list);
/* A team member (an organization's, or a product's own); *team_owner is the
 * team's owner so far and org_owner the organization's (or PPI_NONE). */
int ppi_compile_member(loader *l, const ppi_node *item, const path *at,
                       uint32_t team, uint32_t *team_owner, uint32_t org_owner);
/* load_products.c: products with their teams and approved integrations. */
int ppi_compile_products(loader *l, const ppi_node *list);

#endif /* PPI_LOAD_H */
