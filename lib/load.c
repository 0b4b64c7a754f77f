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
#include "load.h"

#include <inttypes.h>
#include <string.h>

#define DEFAULT_MAX_INPUT_BYTES ((size_t)16 << 20)
#define DEFAULT_MAX_DEPTH 32u
#define DEFAULT_MAX_ALIASES 64u
#define DEFAULT_MAX_NODES 8000000u
#define DEFAULT_MAX_PRODUCTS 100000u
#define DEFAULT_MAX_MEMBERS 1000000u

static const char *const root_keys[ROOT_KEYS] = {
    "version", "settings", "platforms", "skus", "organizations", "products",
};
static const schema root_schema = SCHEMA(root_keys);

typedef struct counts {
    uint32_t products, orgs, members, scopes, user_scopes;
    uint32_t integrations, canaries;
} counts;

/* ---- counting (before anything is allocated) ---- */

static int add_members(loader *l, uint64_t *total, const ppi_node *list,
                       const path *at)
{
    uint32_t n = ppi_node_items(list);
    if (*total + n > l->opt->max_members) {
        uint32_t i = (uint32_t)(l->opt->max_members - *total);
        const path item = { at, NULL, i };
        return ppi_load_fail(l, PP_ERR_LIMIT, ppi_node_nth(list, i), &item,
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
    c->orgs = ppi_node_items(orgs);
    c->products = ppi_node_items(products);
    if (c->products > l->opt->max_products) {
        const path at = { &products_at, NULL, l->opt->max_products };
        return ppi_load_fail(l, PP_ERR_LIMIT, ppi_node_nth(products, l->opt->max_products), &at,
                             "more than %" PRIu32 " products (max_products)",
                             l->opt->max_products);
    }
    uint64_t members = 0, scopes = 0;
    int rc = PP_OK;
    uint32_t k = 0;
    for (const ppi_node *org = c->orgs ? ppi_node_child(orgs) : NULL; org;
         org = ppi_node_next(org), k++) {
        const path at = { &orgs_at, NULL, k }, members_at = { &at, "members", 0 },
                   api_at = { &at, "api_users", 0 };
        const ppi_node *api = ppi_node_find(org, "api_users");
        if ((rc = add_members(l, &members, ppi_node_find(org, "members"), &members_at)) != PP_OK ||
            (rc = add_members(l, &members, api, &api_at)) != PP_OK)
            return rc;
        for (const ppi_node *u = ppi_node_items(api) ? ppi_node_child(api) : NULL; u;
             u = ppi_node_next(u)) {
            uint32_t n = ppi_node_items(ppi_node_find(u, "scopes"));
            scopes += n + 1; /* and the entry that ends the user's list */
            if (n > c->user_scopes)
                c->user_scopes = n;
        }
        uint32_t n = ppi_node_items(ppi_node_find(org, "canary_tokens"));
        c->canaries += n;
        if (n > c->user_scopes)
            c->user_scopes = n;
    }
    k = 0;
    for (const ppi_node *pr = c->products ? ppi_node_child(products) : NULL; pr;
         pr = ppi_node_next(pr), k++) {
        const path at = { &products_at, NULL, k }, team_at = { &at, "team", 0 };
        if ((rc = add_members(l, &members, ppi_node_find(pr, "team"), &team_at)) != PP_OK)
            return rc;
        uint32_t n = ppi_node_items(ppi_node_find(pr, "approved_integrations"));
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

/* Parse the text again after the tree was freed, to report a duplicate:
 * it parsed before, so only memory can fail. */
static int reread(loader *l)
{
    if (!l->tree_freed)
        return PP_OK;
    l->tree_freed = false;
    const ppi_node *root;
    pp_error e;
    int rc = ppi_yaml_parse(&root, &l->tree, l->text, l->len, l->opt, &e);
    if (rc == PP_OK)
        rc = ppi_read_map(l, root, NULL, &root_schema, l->root);
    return rc == PP_OK ? PP_OK : ppi_load_nomem(l);
}

static void free_tree(loader *l)
{
    ppi_arena_free_all(&l->tree);
    memset(l->root, 0, sizeof l->root);
    l->tree_freed = true;
}


static int duplicate_product(loader *l, uint32_t dup)
{
    int rc = reread(l);
    if (rc != PP_OK)
        return rc;
    const pp_policy *p = l->p;
    const ppi_node *list = l->root[ROOT_PRODUCTS];
    uint32_t first = 0;
    while (p->products[first].id != p->products[dup].id)
        first++;
    const path list_at = { NULL, "products", 0 }, at = { &list_at, NULL, dup },
               id_at = { &at, "id", 0 };
    return ppi_load_fail(l, PP_ERR_DUPLICATE, ppi_node_find(ppi_node_nth(list, dup), "id"), &id_at,
                         "duplicate product ID %" PRIu32 " (first at line %" PRIu32 ")",
                         p->products[dup].id,
                         ppi_node_line(ppi_node_find(ppi_node_nth(list, first), "id")));
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
    const ppi_node *list = ppi_node_find(outer_item, list_key);
    uint32_t n = ppi_node_items(list);
    if (*i >= n) {
        *i -= n;
        return false;
    }
    *out = (member_origin){ outer, list_key, name_key, outer_index, *i,
                            ppi_node_find(ppi_node_nth(list, *i), name_key) };
    return true;
}

static void member_origin_find(const loader *l, uint32_t i, member_origin *out)
{
    const ppi_node *orgs = l->root[ROOT_ORGANIZATIONS];
    const ppi_node *products = l->root[ROOT_PRODUCTS];
    memset(out, 0, sizeof *out);
    uint32_t k = 0;
    for (const ppi_node *o = ppi_node_items(orgs) ? ppi_node_child(orgs) : NULL; o;
         o = ppi_node_next(o), k++)
        if (origin_in(out, &i, o, "organizations", k, "members", "user") ||
            origin_in(out, &i, o, "organizations", k, "api_users", "name"))
            return;
    k = 0;
    for (const ppi_node *pr = ppi_node_items(products) ? ppi_node_child(products) : NULL; pr;
         pr = ppi_node_next(pr), k++)
        if (origin_in(out, &i, pr, "products", k, "team", "user"))
            return;
}

/* Member dup clashes with the earlier member first: the same name on one
 * team, or (case_only) names that differ only in the case of ASCII letters. */
static int member_clash(loader *l, uint32_t dup, uint32_t first, bool case_only)
{
    int rc = reread(l);
    if (rc != PP_OK)
        return rc;
    const ppi_member *m = &l->p->members[dup], *f = &l->p->members[first];
    member_origin here, there;
    member_origin_find(l, dup, &here);
    member_origin_find(l, first, &there);
    const path outer = { NULL, here.outer, 0 }, item = { &outer, NULL, here.outer_index },
               list = { &item, here.list, 0 }, entry = { &list, NULL, here.index },
               key = { &entry, here.key, 0 };
    char shown[QUOTED], other[QUOTED];
    uint32_t line = there.name ? ppi_node_line(there.name) : 0;
    if (case_only)
        return ppi_load_fail(l, PP_ERR_DUPLICATE, here.name, &key,
                             "%s differs only in case from %s on this team (line %" PRIu32
                             "): names compare exactly, so write each person one way",
                             ppi_quote(shown, m->name, m->name_len),
                             ppi_quote(other, f->name, f->name_len), line);
    return ppi_load_fail(l, PP_ERR_DUPLICATE, here.name, &key,
                         "%s is already on this team (line %" PRIu32 ")",
                         ppi_quote(shown, m->name, m->name_len), line);
}

static int duplicate_member(loader *l, uint32_t dup)
{
    const pp_policy *p = l->p;
    const ppi_member *m = &p->members[dup];
    uint32_t first = 0;
    while (!(p->members[first].team == m->team && p->members[first].name_len == m->name_len &&
             memcmp(p->members[first].name, m->name, m->name_len) == 0))
        first++;
    return member_clash(l, dup, first, false);
}

static uint64_t team_seed(const pp_policy *p, uint32_t team)
{
    return team < p->norgs ? p->orgs[team].team_seed
                           : p->products[team - p->norgs].team_seed;
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool has_upper(const ppi_member *m)
{
    for (uint32_t i = 0; i < m->name_len; i++)
        if (m->name[i] != ascii_lower(m->name[i]))
            return true;
    return false;
}

static bool same_name(const ppi_member *a, const ppi_member *b)
{
    return a->team == b->team && a->name_len == b->name_len &&
           memcmp(a->name, b->name, a->name_len) == 0;
}

static bool same_but_case(const ppi_member *a, const ppi_member *b)
{
    if (a->team != b->team || a->name_len != b->name_len)
        return false;
    for (uint32_t i = 0; i < a->name_len; i++)
        if (ascii_lower(a->name[i]) != ascii_lower(b->name[i]))
            return false;
    return true;
}

/* Two members of one team whose names differ only in the case of ASCII
 * letters (alice@acme.io, Alice@acme.io) are an error: a reader takes them
 * for one person, a decision for two (docs/policy-format.md).  Such a pair
 * always has a name with an upper-case letter, so only those names are
 * folded, each looked up among the exact names (its all-lower-case
 * spelling) and among the other folded ones, in a table of their own.  The
 * clash reported is the one whose later member comes first. */
static int case_duplicates(loader *l)
{
    const pp_policy *p = l->p;
    uint32_t upper = 0;
    for (uint32_t i = 0; i < p->nmembers; i++)
        upper += has_upper(&p->members[i]);
    if (upper == 0)
        return PP_OK;
    uint64_t cap = 8;
    while (cap < (uint64_t)upper * 2)
        cap <<= 1;
    uint32_t *slots = ppi_scratch_array(l, cap, sizeof *slots); /* 1 + member */
    if (slots == NULL)
        return ppi_load_nomem(l);
    uint32_t dup = PPI_NONE, first = PPI_NONE;
    for (uint32_t i = 0; i < p->nmembers; i++) {
        const ppi_member *m = &p->members[i];
        if (!has_upper(m))
            continue;
        char folded[PPI_USER_NAME_MAX_LEN];
        for (uint32_t j = 0; j < m->name_len; j++)
            folded[j] = ascii_lower(m->name[j]);
        uint64_t seed = team_seed(p, m->team);
        uint64_t h = ppi_member_hash(p, folded, m->name_len);
        const ppi_member *lower = ppi_member_find(p, seed, m->team, folded, m->name_len, h);
        uint64_t s = ppi_hash_mix(h, seed) & (cap - 1);
        while (slots[s] != 0 && !same_but_case(&p->members[slots[s] - 1], m))
            s = (s + 1) & (cap - 1);
        uint32_t others[2] = { slots[s] != 0 ? slots[s] - 1 : PPI_NONE,
                               lower != NULL ? (uint32_t)(lower - p->members) : PPI_NONE };
        if (slots[s] == 0)
            slots[s] = i + 1;
        for (unsigned k = 0; k < 2; k++) {
            uint32_t later = others[k] > i ? others[k] : i;
            if (others[k] != PPI_NONE && later < dup) {
                dup = later;
                first = others[k] > i ? i : others[k];
            }
        }
    }
    return dup == PPI_NONE ? PP_OK : member_clash(l, dup, first, true);
}

/* ---- duplicates in a validation ---- */

/* Members of one team with equal names (fold false), or names equal but for
 * the case of ASCII letters (fold true; exact twins are the other pass's),
 * each later one reported against the first.  A validation builds no index,
 * so it has this table of its own; its first report is the one a load makes
 * (duplicate_member, case_duplicates). */
static int member_twins(loader *l, bool fold)
{
    const pp_policy *p = l->p;
    uint64_t cap = 8;
    while (cap < (uint64_t)p->nmembers * 2)
        cap <<= 1;
    uint32_t *slots = ppi_scratch_array(l, cap, sizeof *slots); /* 1 + member */
    if (slots == NULL)
        return ppi_load_nomem(l);
    int rc = PP_OK;
    for (uint32_t i = 0; i < p->nmembers; i++) {
        const ppi_member *m = &p->members[i];
        if (m->name_len == 0)
            continue; /* skipped by the validation */
        char folded[PPI_USER_NAME_MAX_LEN];
        for (uint32_t j = 0; fold && j < m->name_len; j++)
            folded[j] = ascii_lower(m->name[j]);
        uint64_t h = ppi_hash_mix(ppi_hash_bytes(fold ? folded : m->name, m->name_len),
                                  team_seed(p, m->team));
        uint64_t s = h & (cap - 1);
        while (slots[s] != 0 && !(fold ? same_but_case : same_name)(&p->members[slots[s] - 1], m))
            s = (s + 1) & (cap - 1);
        if (slots[s] == 0) {
            slots[s] = i + 1;
            continue;
        }
        uint32_t first = slots[s] - 1;
        if (fold && same_name(&p->members[first], m))
            continue;
        if (!ppi_carry_on(l, &rc, member_clash(l, i, first, fold)))
            return rc;
    }
    return rc;
}

/* Every duplicate product ID and team member, in the order a load finds
 * the first one: products (a product whose ID was wrong has ID 0 and is
 * left out), then equal names, then names that differ only in case. */
static int every_duplicate(loader *l)
{
    const pp_policy *p = l->p;
    name_map ids;
    int rc = ppi_map_init(l, &ids, p->nproducts);
    if (rc != PP_OK)
        return rc;
    for (uint32_t k = 0; k < p->nproducts; k++)
        if (p->products[k].id != 0 &&
            ppi_map_add(&ids, &p->products[k].id, sizeof p->products[k].id, k) != PPI_NONE &&
            !ppi_carry_on(l, &rc, duplicate_product(l, k)))
            return rc;
    if (!ppi_carry_on(l, &rc, member_twins(l, false)) ||
        !ppi_carry_on(l, &rc, member_twins(l, true)))
        return rc;
    return rc;
}

/* ---- the whole load ---- */

static void *policy_array(pp_policy *p, uint32_t n, size_t size)
{
    return n == 0 ? NULL : ppi_arena_alloc(&p->arena, (size_t)n * size);
}

static int compile(loader *l)
{
    const ppi_node *root;
    pp_error e;
    int rc = ppi_yaml_parse(&root, &l->tree, l->text, l->len, l->opt, &e);
    if (rc != PP_OK)
        return ppi_load_report(l, &e);
    if (root == NULL || ppi_node_is_null(root)) {
        uint32_t line = 1, column = 1;
        size_t offset = 0;
        if (root != NULL)
            ppi_node_position(root, &line, &column, &offset);
        ppi_error_set(&e, PP_ERR_MISSING_KEY, line, column, offset,
                      "empty policy: a policy needs at least 'version: 1'");
        return ppi_load_report(l, &e);
    }
    char got[QUOTED];
    if (ppi_node_kind_of(root) != PPI_MAPPING)
        return ppi_load_fail(l, PP_ERR_WRONG_TYPE, root, NULL,
                             "a policy is a mapping (version, products, ...), got %s",
                             ppi_describe(got, root));
    /* The version decides how to read everything else, so a wrong one is
     * reported before any other key; a missing one after the other keys,
     * which may hold it misspelt ("Version"). */
    bool has_version = ppi_node_find(root, "version") != NULL;
    if ((has_version && (rc = ppi_check_version(l, root)) != PP_OK) ||
        (rc = ppi_read_map(l, root, NULL, &root_schema, l->root)) != PP_OK ||
        (!has_version && !ppi_carry_on(l, &rc, ppi_check_version(l, root))))
        return rc;

    counts c;
    if ((rc = count(l, &c)) != PP_OK)
        return rc;

    ppi_arena arena;
    ppi_arena_init(&arena, &l->opt->allocator);
    if (l->piecewise)
        ppi_arena_piecewise(&arena);
    pp_policy *p = ppi_arena_alloc(&arena, sizeof *p);
    if (p == NULL) {
        ppi_arena_free_all(&arena);
        return ppi_load_nomem(l);
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
    l->org_owner = ppi_scratch_array(l, c.orgs, sizeof *l->org_owner);
    if ((c.products && !p->products) || (c.orgs && !p->orgs) ||
        (c.members && !p->members) || (c.scopes && !p->scopes) ||
        (c.integrations && !p->integrations) || (c.canaries && !p->canaries) ||
        !l->org_owner)
        return ppi_load_nomem(l);
    p->nproducts = c.products;
    p->norgs = c.orgs;
    if ((rc = ppi_map_init(l, &l->orgs, c.orgs)) != PP_OK ||
        (rc = ppi_map_init(l, &l->scopes, c.user_scopes)) != PP_OK)
        return rc;

    if (!ppi_carry_on(l, &rc, ppi_compile_settings(l, l->root[ROOT_SETTINGS])) ||
        !ppi_carry_on(l, &rc, ppi_compile_families(l, l->root[ROOT_PLATFORMS],
                                                   l->root[ROOT_SKUS])) ||
        !ppi_carry_on(l, &rc, ppi_compile_orgs(l, l->root[ROOT_ORGANIZATIONS])) ||
        !ppi_carry_on(l, &rc, ppi_compile_products(l, l->root[ROOT_PRODUCTS])))
        return rc;
    if (l->collect)
        return every_duplicate(l); /* and no index: a validation builds no policy */

    /* The policy holds copies of all it needs: the tree goes before the
     * indexes take their memory, so the two never peak together. */
    free_tree(l);
    uint32_t dup = 0;
    const char *table = "products";
    rc = ppi_index_products(p, &dup);
    if (rc == PP_ERR_DUPLICATE)
        return duplicate_product(l, dup);
    if (rc == PP_OK) {
        table = "team members";
        rc = ppi_index_members(p, &dup);
    }
    if (rc == PP_ERR_DUPLICATE)
        return duplicate_member(l, dup);
    if (rc == PP_OK)
        rc = ppi_index_policy(p, &l->scratch, &table);
    if (rc == PP_ERR_LIMIT)
        return ppi_error_set(l->err, PP_ERR_LIMIT, 0, 0, 0,
                             "the %s cluster in their lookup table under every hash seed "
                             "tried, so lookups would be slow; change some of them", table);
    if (rc != PP_OK)
        return ppi_load_nomem(l);
    if ((rc = case_duplicates(l)) != PP_OK)
        return rc;
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

/* The checks before any parsing, shared by a load and a validation: into
 * err, and *opt gets the options with their defaults. */
static int check_arguments(pp_load_options *opt, const char *text, size_t len,
                           const pp_load_options *options, pp_error *err)
{
    /* Even on an error: a validation frees its scratch through *opt. */
    pp_load_options defaults = PP_LOAD_OPTIONS_INIT;
    *opt = defaults;
    if (text == NULL && len > 0)
        return ppi_error_set(err, PP_ERR_INVALID_ARGUMENT, 0, 0, 0,
                             "text is NULL but len is not 0");
    if (resolve_options(opt, options) != PP_OK)
        return ppi_error_set(err, PP_ERR_INVALID_ARGUMENT, 0, 0, 0,
                             "options: version must be PP_LOAD_OPTIONS_VERSION and an "
                             "allocator needs both alloc and free");
    if (len > opt->max_input_bytes) {
        uint32_t line, column;
        ppi_yaml_position(text, len, opt->max_input_bytes, &line, &column);
        return ppi_error_set(err, PP_ERR_LIMIT, line, column, opt->max_input_bytes,
                             "input is larger than %zu bytes (max_input_bytes)",
                             opt->max_input_bytes);
    }
    return PP_OK;
}

static void loader_init(loader *l, const char *text, size_t len, const pp_load_options *opt,
                        bool piecewise)
{
    memset(l, 0, sizeof *l);
    l->text = text;
    l->len = len;
    l->opt = opt;
    l->piecewise = piecewise;
    ppi_arena_init_scratch(&l->scratch, &opt->allocator);
    ppi_arena_init_scratch(&l->tree, &opt->allocator);
    if (piecewise) {
        ppi_arena_piecewise(&l->scratch);
        ppi_arena_piecewise(&l->tree);
    }
}

/* Free what a failed load or any validation built. */
static void loader_free(loader *l)
{
    ppi_arena_free_all(&l->tree);
    ppi_arena_free_all(&l->scratch);
    if (l->p != NULL) {
        ppi_arena arena = l->p->arena;
        ppi_arena_free_all(&arena);
        l->p = NULL;
    }
}

static int load(pp_policy **out, const char *text, size_t len,
                const pp_load_options *options, pp_error *err, bool piecewise)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL)
        return ppi_error_set(err, PP_ERR_INVALID_ARGUMENT, 0, 0, 0, "out is NULL");
    pp_load_options opt;
    int rc = check_arguments(&opt, text, len, options, err);
    if (rc != PP_OK)
        return rc;
    loader l;
    loader_init(&l, text, len, &opt, piecewise);
    l.err = err;
    rc = compile(&l);
    if (rc != PP_OK) {
        loader_free(&l);
        return rc;
    }
    ppi_arena_free_all(&l.tree);
    ppi_arena_free_all(&l.scratch);
    *out = l.p;
    return ppi_error_set(err, PP_OK, 0, 0, 0, "%s", "");
}

int pp_policy_load(pp_policy **out, const char *text, size_t len,
                   const pp_load_options *options, pp_error *err)
{
    return load(out, text, len, options, err, false);
}

int ppi_policy_load_piecewise(pp_policy **out, const char *text, size_t len,
                              const pp_load_options *options, pp_error *err)
{
    return load(out, text, len, options, err, true);
}

/* ---- validation: every error in one run ---- */

static bool before(const pp_error *a, const pp_error *b)
{
    return a->line < b->line || (a->line == b->line && a->column < b->column);
}

/* Errors into source order (stable: those at one place stay in the order
 * found). */
static void in_source_order(pp_error *e, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        pp_error x = e[i];
        uint32_t j = i;
        for (; j > 0 && before(&x, &e[j - 1]); j--)
            e[j] = e[j - 1];
        e[j] = x;
    }
}

int pp_policy_validate(size_t *total, pp_error *errors, size_t cap, const char *text,
                       size_t len, const pp_load_options *options)
{
    if (total != NULL)
        *total = 0;
    if (total == NULL || (errors == NULL && cap > 0))
        return PP_ERR_INVALID_ARGUMENT;
    pp_load_options opt;
    pp_error e;
    int rc = check_arguments(&opt, text, len, options, &e);
    loader l;
    loader_init(&l, text, len, &opt, false);
    l.collect = true;
    if (rc == PP_OK && (l.found = ppi_scratch_array(&l, PP_VALIDATE_MAX_ERRORS,
                                                   sizeof *l.found)) == NULL)
        rc = ppi_error_set(&e, PP_ERR_NOMEM, 0, 0, 0, "out of memory");
    if (rc != PP_OK) {
        loader_free(&l);
        *total = 1;
        if (cap > 0)
            errors[0] = e;
        return rc;
    }
    compile(&l);
    in_source_order(l.found, l.nfound);
    for (uint32_t i = 0; i < l.nfound && i < cap; i++)
        errors[i] = l.found[i];
    *total = l.nfound;
    rc = l.nfound > 0 ? l.first : PP_OK;
    loader_free(&l);
    return rc;
}
