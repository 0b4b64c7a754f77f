/* Read-only views of a compiled policy, for tools that explain decisions
 * (ppolicy explain, platforms, families) without reaching into internals. */
#include "internal.h"

static void product_info(pp_product_info *out, const pp_policy *p,
                         const ppi_product *pr)
{
    out->id = pr->id;
    out->name = pr->name;
    out->organization = pr->org == PPI_NONE ? NULL : p->orgs[pr->org].name;
    out->family = pr->family;
    out->auto_approve = pr->auto_approve;
    out->removed_quarantine = pr->removed_quarantine;
    out->released_firmware = pr->released_firmware;
    out->min_device_os = pr->has_min_device_os ? pr->min_device_os.text : NULL;
}

size_t pp_policy_product_count(const pp_policy *p)
{
    return p == NULL ? 0 : p->nproducts;
}

int pp_policy_product_at(pp_product_info *out, const pp_policy *p, size_t index)
{
    if (out == NULL || p == NULL || index >= p->nproducts)
        return PP_ERR_INVALID_ARGUMENT;
    product_info(out, p, &p->products[index]);
    return PP_OK;
}

int pp_policy_product(pp_product_info *out, const pp_policy *p, uint32_t id)
{
    if (out == NULL || p == NULL)
        return PP_ERR_INVALID_ARGUMENT;
    const ppi_product *pr = ppi_product_find(p, id);
    if (pr == NULL)
        return PP_ERR_UNKNOWN_NAME;
    product_info(out, p, pr);
    return PP_OK;
}

const char *pp_policy_legacy_below(const pp_policy *p)
{
    return p == NULL ? NULL : p->legacy_below.text;
}

int pp_policy_platform_at(pp_platform_info *out, const pp_policy *p, size_t index)
{
    if (out == NULL || p == NULL || index >= p->families.nplatforms)
        return PP_ERR_INVALID_ARGUMENT;
    const ppi_platform *pl = &p->families.platforms[index];
    out->id = pl->id;
    out->name = pl->name;
    out->product_eligible = pl->eligible;
    out->family = pl->family;
    return PP_OK;
}

int pp_policy_sku_at(pp_sku_info *out, const pp_policy *p, size_t index)
{
    if (out == NULL || p == NULL || index >= p->families.nskus)
        return PP_ERR_INVALID_ARGUMENT;
    const ppi_sku *s = &p->families.skus[index];
    out->prefix = s->prefix;
    out->platform_id = s->platform_id;
    out->family = s->family;
    return PP_OK;
}
