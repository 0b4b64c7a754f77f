/* The platform, SKU and family tables: the built-in table, overridden and
 * extended by the policy's platforms: and skus: (docs/policy-format.md). */
#include "load.h"

#include <inttypes.h>
#include <string.h>

enum { PL_ID, PL_NAME, PL_ELIGIBLE, PL_FAMILY, PL_BY_SKU, PLATFORM_KEYS };
static const char *const platform_keys[PLATFORM_KEYS] = {
    "id", "name", "product_eligible", "family", "family_by_sku",
};
static const schema platform_schema = SCHEMA(platform_keys);

enum { SKU_PREFIX, SKU_PLATFORM, SKU_FAMILY, SKU_KEYS };
static const char *const sku_keys[SKU_KEYS] = { "prefix", "platform", "family" };
static const schema sku_schema = SCHEMA(sku_keys);

/* Index of family name, added to the table when new. */
static int family_index(loader *l, const char *name, uint32_t len, int32_t *out)
{
    ppi_families *f = &l->p->families;
    uint32_t i = ppi_map_get(&l->families, name, len);
    if (i == PPI_NONE) {
        char *copy = ppi_arena_strndup(&l->p->arena, name, len);
        if (copy == NULL)
            return ppi_load_nomem(l);
        i = f->nnames++;
        f->names[i] = copy;
        ppi_map_add(&l->families, copy, len, i);
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
    l->item_platform[k] = PPI_NONE; /* until it compiles */
    int rc = ppi_read_map(l, item, at, &platform_schema, v);
    if (rc != PP_OK || !ppi_carry_on(l, &rc, ppi_require(l, item, at, &platform_schema, v, PL_ID)) ||
        !ppi_carry_on(l, &rc, ppi_require(l, item, at, &platform_schema, v, PL_NAME)))
        return rc;
    uint64_t id = 0;
    const char *name = NULL;
    uint32_t name_len = 0;
    bool eligible = true, by_sku = false;
    /* UINT32_MAX is PP_PLATFORM_UNSPECIFIED. */
    if (v[PL_ID] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_uint(l, v[PL_ID], &id_at, 0, UINT32_MAX - 1, &id)))
        return rc;
    if (v[PL_NAME] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_ident(l, v[PL_NAME], &name_at, "platform", &name,
                                            &name_len)))
        return rc;
    if (v[PL_ELIGIBLE] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_bool(l, v[PL_ELIGIBLE], &eligible_at, &eligible)))
        return rc;
    if (v[PL_BY_SKU] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_bool(l, v[PL_BY_SKU], &by_sku_at, &by_sku)))
        return rc;
    if (rc != PP_OK) /* the rest needs every field above */
        return rc;

    int32_t family = -1;
    if (by_sku && v[PL_FAMILY] != NULL)
        return ppi_load_fail(l, PP_ERR_INVALID_VALUE, v[PL_FAMILY], &family_at,
                             "'family' does not go with 'family_by_sku: true' "
                             "(each SKU names its family)");
    if (!eligible && v[PL_FAMILY] != NULL)
        return ppi_load_fail(l, PP_ERR_INVALID_VALUE, v[PL_FAMILY], &family_at,
                             "'family' does not go with 'product_eligible: false' "
                             "(no product may hold it)");
    if (!by_sku && eligible) {
        const char *fname = name;
        uint32_t flen = name_len;
        if (v[PL_FAMILY] != NULL &&
            (rc = ppi_get_ident(l, v[PL_FAMILY], &family_at, "family", &fname, &flen)) != PP_OK)
            return rc;
        if ((rc = family_index(l, fname, flen, &family)) != PP_OK)
            return rc;
    }
    char *copy = ppi_arena_strndup(&l->p->arena, name, name_len);
    if (copy == NULL)
        return ppi_load_nomem(l);

    /* Same ID as a built-in platform: replace it in place. */
    uint32_t id32 = (uint32_t)id;
    uint32_t i = ppi_map_get(&l->platform_ids, &id32, sizeof id32);
    if (i != PPI_NONE && l->platform_item[i] != NULL)
        return ppi_load_fail(l, PP_ERR_DUPLICATE, v[PL_ID], &id_at,
                             "platform ID %" PRIu32 " is already declared (line %" PRIu32 ")",
                             id32, ppi_node_line(ppi_node_find(l->platform_item[i], "id")));
    if (i == PPI_NONE) {
        i = f->nplatforms++;
        f->platforms[i].id = id32;
        ppi_map_add(&l->platform_ids, &f->platforms[i].id, sizeof id32, i);
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
    int rc = ppi_map_init(l, &l->platform_names, f->nplatforms);
    if (rc != PP_OK)
        return rc;
    for (uint32_t i = 0; i < f->nplatforms; i++)
        if (l->platform_item[i] == NULL)
            ppi_map_add(&l->platform_names, f->platforms[i].name,
                        strlen(f->platforms[i].name), i);
    uint32_t k = 0;
    for (const ppi_node *item = ppi_node_items(list) ? ppi_node_child(list) : NULL; item;
         item = ppi_node_next(item), k++) {
        if (l->item_platform[k] == PPI_NONE)
            continue; /* a validation skipped it */
        const ppi_platform *pl = &f->platforms[l->item_platform[k]];
        uint32_t other = ppi_map_add(&l->platform_names, pl->name, strlen(pl->name),
                                     l->item_platform[k]);
        if (other == PPI_NONE)
            continue;
        const path at = { list_at, NULL, k }, name_at = { &at, "name", 0 };
        if (!ppi_carry_on(l, &rc, ppi_load_fail(l, PP_ERR_DUPLICATE, ppi_node_find(item, "name"),
                                                &name_at, "platform name '%s' is already used "
                                                "by platform %" PRIu32,
                                                pl->name, f->platforms[other].id)))
            return rc;
    }
    return rc;
}

/* A platform named by ID (a plain integer) or by name (any case). */
static int find_platform(loader *l, const ppi_node *n, const path *at,
                         const ppi_platform **out)
{
    const ppi_families *f = &l->p->families;
    uint32_t i = PPI_NONE;
    char shown[QUOTED], h[QUOTED];
    if (ppi_node_is_integer(n)) {
        uint64_t id;
        int rc = ppi_get_uint(l, n, at, 0, UINT32_MAX - 1, &id);
        if (rc != PP_OK)
            return rc;
        uint32_t id32 = (uint32_t)id;
        i = ppi_map_get(&l->platform_ids, &id32, sizeof id32);
        if (i == PPI_NONE)
            return ppi_load_fail(l, PP_ERR_UNKNOWN_NAME, n, at, "unknown platform ID %" PRIu32,
                                 id32);
        *out = &f->platforms[i];
        return PP_OK;
    }
    const char *s;
    uint32_t len;
    int rc = ppi_get_string(l, n, at, &s, &len);
    if (rc != PP_OK)
        return rc;
    if (len <= IDENT_MAX_LEN) {
        char lower[IDENT_MAX_LEN];
        for (uint32_t j = 0; j < len; j++)
            lower[j] = s[j] >= 'A' && s[j] <= 'Z' ? (char)(s[j] - 'A' + 'a') : s[j];
        i = ppi_map_get(&l->platform_names, lower, len);
    }
    if (i == PPI_NONE) {
        ppi_suggest sg;
        ppi_suggest_init(&sg, s, len);
        for (uint32_t j = 0; j < f->nplatforms; j++)
            ppi_suggest_offer(&sg, f->platforms[j].name, strlen(f->platforms[j].name));
        return ppi_load_fail(l, PP_ERR_UNKNOWN_NAME, n, at, "unknown platform %s%s",
                             ppi_quote(shown, s, len), ppi_hint(h, &sg));
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
    int rc = ppi_read_map(l, item, at, &sku_schema, v);
    if (rc != PP_OK || !ppi_carry_on(l, &rc, ppi_require(l, item, at, &sku_schema, v, SKU_PREFIX)) ||
        !ppi_carry_on(l, &rc, ppi_require(l, item, at, &sku_schema, v, SKU_PLATFORM)))
        return rc;
    const char *prefix = NULL;
    uint32_t len = 0;
    char shown[QUOTED];
    if (v[SKU_PREFIX] != NULL) {
        int step = ppi_get_string(l, v[SKU_PREFIX], &prefix_at, &prefix, &len);
        if (step == PP_OK && !ppi_sku_valid(prefix, len))
            step = ppi_load_fail(l, PP_ERR_INVALID_VALUE, v[SKU_PREFIX], &prefix_at,
                                 "SKU prefixes are 1 to 32 characters of A-Z, 0-9 and '-', "
                                 "got %s", ppi_quote(shown, prefix, len));
        if (!ppi_carry_on(l, &rc, step))
            return rc;
    }
    const ppi_platform *pl = NULL;
    if (v[SKU_PLATFORM] != NULL &&
        !ppi_carry_on(l, &rc, find_platform(l, v[SKU_PLATFORM], &platform_at, &pl)))
        return rc;
    if (rc != PP_OK) /* the rest needs the prefix and the platform */
        return rc;
    int32_t family = pl->family;
    if (!pl->eligible) {
        /* No product may hold the platform: its SKUs name no family. */
        if (v[SKU_FAMILY] != NULL)
            return ppi_load_fail(l, PP_ERR_INVALID_VALUE, v[SKU_FAMILY], &family_at,
                                 "'family' does not go with platform '%s', "
                                 "which is not product-eligible",
                                 pl->name);
    } else if (v[SKU_FAMILY] != NULL) {
        const char *fname;
        uint32_t flen;
        if ((rc = ppi_get_ident(l, v[SKU_FAMILY], &family_at, "family", &fname, &flen)) != PP_OK ||
            (rc = family_index(l, fname, flen, &family)) != PP_OK)
            return rc;
    } else if (family < 0) {
        return ppi_load_fail(l, PP_ERR_MISSING_KEY, item, at,
                             "missing required key 'family' (platform '%s' is family_by_sku)",
                             pl->name);
    }

    char *upper = ppi_arena_strndup(&l->p->arena, prefix, len);
    if (upper == NULL)
        return ppi_load_nomem(l);
    for (uint32_t j = 0; j < len; j++)
        if (upper[j] >= 'a' && upper[j] <= 'z')
            upper[j] = (char)(upper[j] - 'a' + 'A');
    uint32_t i = ppi_map_get(&l->skus, upper, len);
    if (i != PPI_NONE && l->sku_item[i] != NULL)
        return ppi_load_fail(l, PP_ERR_DUPLICATE, v[SKU_PREFIX], &prefix_at,
                             "SKU prefix '%s' is already declared (line %" PRIu32 ")", upper,
                             ppi_node_line(ppi_node_find(l->sku_item[i], "prefix")));
    if (i == PPI_NONE) {
        i = f->nskus++;
        ppi_map_add(&l->skus, upper, len, i);
    }
    f->skus[i] = (ppi_sku){ upper, len, pl->id, family, -1 };
    l->sku_item[i] = item;
    return PP_OK;
}

int ppi_compile_families(loader *l, const ppi_node *platforms,
                         const ppi_node *skus)
{
    ppi_families *f = &l->p->families;
    const path platforms_at = { NULL, "platforms", 0 }, skus_at = { NULL, "skus", 0 };
    int rc = PP_OK;
    if ((platforms != NULL &&
         !ppi_carry_on(l, &rc, ppi_get_list(l, platforms, &platforms_at))) ||
        (skus != NULL && !ppi_carry_on(l, &rc, ppi_get_list(l, skus, &skus_at))))
        return rc;
    uint32_t np = ppi_node_items(platforms), ns = ppi_node_items(skus);
    /* Each declared platform or SKU may bring one new family.  np + ns fits:
     * both count nodes, which max_nodes bounds. */
    int built = ppi_families_builtin(f, &l->p->arena, np, ns, np + ns);
    if (built == PP_ERR_NOMEM)
        return ppi_load_nomem(l);
    if (built != PP_OK)
        return ppi_load_fail(l, built, NULL, NULL, "built-in platform table unavailable");

    int step;
    if ((step = ppi_map_init(l, &l->families, (uint64_t)f->nnames + np + ns)) != PP_OK ||
        (step = ppi_map_init(l, &l->platform_ids, (uint64_t)f->nplatforms + np)) != PP_OK ||
        (step = ppi_map_init(l, &l->skus, (uint64_t)f->nskus + ns)) != PP_OK)
        return step;
    l->platform_item = ppi_scratch_array(l, (uint64_t)f->nplatforms + np, sizeof *l->platform_item);
    l->item_platform = ppi_scratch_array(l, np, sizeof *l->item_platform);
    l->sku_item = ppi_scratch_array(l, (uint64_t)f->nskus + ns, sizeof *l->sku_item);
    if (l->platform_item == NULL || l->item_platform == NULL || l->sku_item == NULL)
        return ppi_load_nomem(l);
    for (uint32_t i = 0; i < f->nnames; i++)
        ppi_map_add(&l->families, f->names[i], strlen(f->names[i]), i);
    for (uint32_t i = 0; i < f->nplatforms; i++)
        ppi_map_add(&l->platform_ids, &f->platforms[i].id, sizeof f->platforms[i].id, i);
    for (uint32_t i = 0; i < f->nskus; i++)
        ppi_map_add(&l->skus, f->skus[i].prefix, f->skus[i].prefix_len, i);

    uint32_t k = 0;
    for (const ppi_node *item = np ? ppi_node_child(platforms) : NULL; item;
         item = ppi_node_next(item), k++) {
        const path at = { &platforms_at, NULL, k };
        if (!ppi_carry_on(l, &rc, compile_platform(l, item, &at, k)))
            return rc;
    }
    if (!ppi_carry_on(l, &rc, check_platform_names(l, platforms, &platforms_at)))
        return rc;
    k = 0;
    for (const ppi_node *item = ns ? ppi_node_child(skus) : NULL; item;
         item = ppi_node_next(item), k++) {
        const path at = { &skus_at, NULL, k };
        if (!ppi_carry_on(l, &rc, compile_sku(l, item, &at)))
            return rc;
    }
    return rc;
}
