/* Products: ID, name, organization, family, the device handling modes, their
 * own team, and the approved integration destinations. */
#include "load.h"

#include <inttypes.h>
#include <string.h>

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

static int compile_integrations(loader *l, const ppi_node *list, const path *at,
                                ppi_product *pr)
{
    pp_policy *p = l->p;
    int rc = ppi_get_list(l, list, at);
    if (rc != PP_OK)
        return rc;
    pr->has_integrations = true;
    pr->first_integration = p->nintegrations;
    l->scopes.gen++;
    uint32_t j = 0;
    for (const ppi_node *n = ppi_node_child(list); n; n = ppi_node_next(n), j++) {
        const path item_at = { at, NULL, j };
        const char *s;
        uint32_t len;
        char shown[QUOTED];
        int step = ppi_get_string(l, n, &item_at, &s, &len);
        if (step == PP_OK && !ppi_url_valid(s, len))
            step = ppi_load_fail(l, PP_ERR_INVALID_VALUE, n, &item_at,
                                 "%s is not an http(s) URL (scheme://host..., no spaces "
                                 "or invisible characters, at most %u bytes)",
                                 ppi_quote(shown, s, len), PPI_URL_MAX_LEN);
        if (step == PP_OK) {
            /* Stored canonical, so one destination spelt two ways is a
             * duplicate and the audit compares without case. */
            char *copy = ppi_arena_strndup(&p->arena, s, len);
            if (copy == NULL)
                return ppi_load_nomem(l);
            ppi_url_canonicalize(copy, len);
            if (ppi_map_add(&l->scopes, copy, len, j) != PPI_NONE)
                step = ppi_load_fail(l, PP_ERR_DUPLICATE, n, &item_at,
                                     "destination %s is listed twice (scheme and host "
                                     "compare without case)", ppi_quote(shown, s, len));
            else
                p->integrations[p->nintegrations++] = (ppi_str){ copy, len };
        }
        if (!ppi_carry_on(l, &rc, step))
            return rc;
    }
    pr->nintegrations = p->nintegrations - pr->first_integration;
    return rc;
}

static int product_org(loader *l, const ppi_node *n, const path *at, uint32_t *out)
{
    const pp_policy *p = l->p;
    const char *s;
    uint32_t len;
    int rc = ppi_get_string(l, n, at, &s, &len);
    if (rc != PP_OK)
        return rc;
    if ((*out = ppi_map_get(&l->orgs, s, len)) != PPI_NONE)
        return PP_OK;
    ppi_suggest sg;
    ppi_suggest_init(&sg, s, len);
    for (uint32_t i = 0; i < p->norgs; i++)
        ppi_suggest_offer(&sg, p->orgs[i].name, p->orgs[i].name_len);
    char shown[QUOTED], h[QUOTED];
    return ppi_load_fail(l, PP_ERR_UNKNOWN_NAME, n, at, "unknown organization %s%s",
                         ppi_quote(shown, s, len), ppi_hint(h, &sg));
}

static int product_family(loader *l, const ppi_node *n, const path *at, int32_t *out)
{
    const ppi_families *f = &l->p->families;
    const char *s;
    uint32_t len;
    int rc = ppi_get_string(l, n, at, &s, &len);
    if (rc != PP_OK)
        return rc;
    uint32_t i = ppi_map_get(&l->families, s, len);
    if (i != PPI_NONE) {
        *out = (int32_t)i;
        return PP_OK;
    }
    ppi_suggest sg;
    ppi_suggest_init(&sg, s, len);
    for (uint32_t j = 0; j < f->nnames; j++)
        ppi_suggest_offer(&sg, f->names[j], strlen(f->names[j]));
    char shown[QUOTED], h[QUOTED];
    return ppi_load_fail(l, PP_ERR_UNKNOWN_FAMILY, n, at, "unknown family %s%s",
                         ppi_quote(shown, s, len), ppi_hint(h, &sg));
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
    uint64_t id = 0, released = 0;
    int unrecognized = 0, removed = 0;
    pr->org = PPI_NONE;
    int rc = ppi_read_map(l, item, at, &product_schema, v);
    if (rc != PP_OK)
        return rc;
    static const unsigned required[] = { PR_ID, PR_NAME, PR_FAMILY };
    for (unsigned i = 0; i < sizeof required / sizeof *required; i++)
        if (!ppi_carry_on(l, &rc, ppi_require(l, item, at, &product_schema, v, required[i])))
            return rc;
    /* Each value on its own: a validation reports every bad one. */
    if ((v[PR_ID] != NULL &&
         !ppi_carry_on(l, &rc, ppi_get_uint(l, v[PR_ID], &id_at, 1, UINT32_MAX, &id))) ||
        (v[PR_NAME] != NULL &&
         !ppi_carry_on(l, &rc, ppi_get_name(l, v[PR_NAME], &name_at, "product", &pr->name,
                                            &pr->name_len))) ||
        (v[PR_ORG] != NULL &&
         !ppi_carry_on(l, &rc, product_org(l, v[PR_ORG], &org_at, &pr->org))) ||
        (v[PR_FAMILY] != NULL &&
         !ppi_carry_on(l, &rc, product_family(l, v[PR_FAMILY], &family_at, &pr->family))) ||
        (v[PR_UNRECOGNIZED] != NULL &&
         !ppi_carry_on(l, &rc, ppi_get_enum(l, v[PR_UNRECOGNIZED], &unrecognized_at, "mode",
                                            unrecognized_mode, &unrecognized))) ||
        (v[PR_REMOVED] != NULL &&
         !ppi_carry_on(l, &rc, ppi_get_enum(l, v[PR_REMOVED], &removed_at, "mode",
                                            removed_mode, &removed))) ||
        (v[PR_RELEASED] != NULL &&
         !ppi_carry_on(l, &rc, ppi_get_uint(l, v[PR_RELEASED], &released_at, 1, UINT16_MAX,
                                            &released))) ||
        (v[PR_MIN_OS] != NULL &&
         !ppi_carry_on(l, &rc, ppi_get_version(l, v[PR_MIN_OS], &min_os_at,
                                               &pr->min_device_os))) ||
        (v[PR_REQUIRE_LTS] != NULL &&
         !ppi_carry_on(l, &rc, ppi_get_bool(l, v[PR_REQUIRE_LTS], &lts_at, &pr->require_lts))) ||
        (v[PR_INTEGRATIONS] != NULL &&
         !ppi_carry_on(l, &rc, compile_integrations(l, v[PR_INTEGRATIONS], &integrations_at,
                                                    pr))))
        return rc;
    /* id is 0 when it is wrong: a validation looks for duplicates among the
     * others. */
    pr->id = (uint32_t)id;
    pr->auto_approve = unrecognized == 1;
    pr->removed_quarantine = removed == 1;
    pr->released_firmware = (uint16_t)released;
    pr->has_min_device_os = v[PR_MIN_OS] != NULL;
    pr->team_seed = ppi_product_team_seed(pr->id);

    if (v[PR_TEAM] != NULL) {
        int listed = ppi_get_list(l, v[PR_TEAM], &team_at);
        if (!ppi_carry_on(l, &rc, listed) || listed != PP_OK)
            return rc;
        uint32_t owner = PPI_NONE, j = 0;
        uint32_t org_owner = pr->org != PPI_NONE ? l->org_owner[pr->org] : PPI_NONE;
        for (const ppi_node *m = ppi_node_child(v[PR_TEAM]); m; m = ppi_node_next(m), j++) {
            const path mat = { &team_at, NULL, j };
            if (!ppi_carry_on(l, &rc, ppi_compile_member(l, m, &mat, p->norgs + k, &owner,
                                                         org_owner)))
                return rc;
        }
    }
    return rc;
}

int ppi_compile_products(loader *l, const ppi_node *list)
{
    const path list_at = { NULL, "products", 0 };
    if (list == NULL)
        return PP_OK;
    int rc = ppi_get_list(l, list, &list_at);
    if (rc != PP_OK)
        return rc;
    uint32_t k = 0;
    for (const ppi_node *item = ppi_node_child(list); item; item = ppi_node_next(item), k++) {
        const path at = { &list_at, NULL, k };
        if (!ppi_carry_on(l, &rc, compile_product(l, item, &at, k)))
            return rc;
    }
    return rc;
}
