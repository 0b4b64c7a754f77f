/* Platforms, SKUs and device families (docs/spec.md §5): the table, the
 * built-in one (hardware.c) copied for a policy's additions, resolving a
 * model to its family, and the family questions of the public API (may a
 * model join a product, may two models share one).  The table's lookups are
 * in family_index.c. */
#include <string.h>

#include "internal.h"

/* Room for n built-in plus extra entries, or NULL when the count does not fit
 * the table's uint32_t counts or the arena fails. */
static void *alloc_entries(ppi_arena *arena, uint32_t n, uint32_t extra,
                           size_t size)
{
    uint64_t total = (uint64_t)n + extra;
    if (total > UINT32_MAX || total > SIZE_MAX / size)
        return NULL;
    return ppi_arena_alloc(arena, (size_t)total * size);
}

int ppi_families_builtin(ppi_families *out, ppi_arena *arena,
                         uint32_t extra_platforms, uint32_t extra_skus,
                         uint32_t extra_families)
{
    if (out == NULL || arena == NULL)
        return PP_ERR_INVALID_ARGUMENT;
    memset(out, 0, sizeof *out);

    const ppi_hardware *hw = &ppi_builtin_hardware;
    ppi_platform *platforms = alloc_entries(arena, hw->nplatforms,
                                            extra_platforms, sizeof *platforms);
    ppi_sku *skus = alloc_entries(arena, hw->nskus, extra_skus, sizeof *skus);
    const char **names = alloc_entries(arena, hw->nfamilies, extra_families,
                                       sizeof *names);
    if (platforms == NULL || skus == NULL || names == NULL)
        return PP_ERR_NOMEM;

    memcpy(platforms, hw->platforms, hw->nplatforms * sizeof *platforms);
    memcpy(skus, hw->skus, hw->nskus * sizeof *skus);
    for (uint32_t f = 0; f < hw->nfamilies; f++)
        names[f] = hw->families[f];

    *out = (ppi_families){ .platforms = platforms, .nplatforms = hw->nplatforms,
                           .skus = skus, .nskus = hw->nskus, .names = names,
                           .nnames = hw->nfamilies };
    return PP_OK;
}

void ppi_model_resolve(ppi_model *out, const ppi_families *t,
                       uint32_t platform_id, const char *sku, size_t sku_len)
{
    const ppi_sku *s = sku != NULL ? ppi_sku_find(t, sku, sku_len) : NULL;
    out->family = -1;
    if (platform_id == PP_PLATFORM_UNSPECIFIED) {
        out->platform_id = platform_id;
        if (s == NULL) {
            out->status = PPI_MODEL_UNKNOWN_PLATFORM;
            return;
        }
        platform_id = s->platform_id;
    }
    out->platform_id = platform_id;
    const ppi_platform *p = ppi_platform_find(t, platform_id);
    /* Rule 3 before rule 4: a Core, Xenon or A-SoM is not eligible whatever
     * its SKU says. */
    if (p != NULL && !p->eligible)
        out->status = PPI_MODEL_NOT_ELIGIBLE;
    else if (s != NULL && s->platform_id != platform_id)
        out->status = PPI_MODEL_CONTRADICTS;
    else if (p == NULL)
        out->status = PPI_MODEL_UNKNOWN_PLATFORM;
    else {
        int32_t family = s != NULL ? s->family : p->family;
        out->status = family < 0 ? PPI_MODEL_NEEDS_SKU : PPI_MODEL_RESOLVED;
        out->family = family < 0 ? -1 : family;
    }
}

/* ---- the public family questions ---- */

static int verdict(pp_verdict *out, int32_t reason, int32_t family_a,
                   int32_t family_b)
{
    out->allowed = reason == PP_REASON_SAME_FAMILY;
    out->reason = reason;
    out->family_a = family_a;
    out->family_b = family_b;
    return PP_OK;
}

static int invalid(pp_verdict *out, int code)
{
    if (out != NULL)
        verdict(out, PP_REASON_INVALID_INPUT, -1, -1);
    return code;
}

/* Rule 0 for a model, as pp_decide applies it to a device record: a SKU, when
 * given, must be well-formed, and a model needs a platform or a SKU. */
static int model_resolve_checked(ppi_model *out, const pp_policy *policy,
                                 const pp_model *model)
{
    if (model == NULL || ppi_null_with_len(model->sku, model->sku_len))
        return PP_ERR_INVALID_ARGUMENT;
    if (model->sku != NULL && !ppi_sku_valid(model->sku, model->sku_len))
        return PP_ERR_SKU;
    if (model->platform_id == PP_PLATFORM_UNSPECIFIED && model->sku == NULL)
        return PP_ERR_PLATFORM;
    ppi_model_resolve(out, &policy->families, model->platform_id, model->sku,
                      model->sku_len);
    return PP_OK;
}

/* Why a model that did not resolve cannot be in a product (rules 3-4). */
static int32_t unresolved_reason(ppi_model_status status)
{
    switch (status) {
    case PPI_MODEL_NOT_ELIGIBLE:
        return PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE;
    case PPI_MODEL_NEEDS_SKU:
        return PP_REASON_SKU_REQUIRED;
    default:
        return PP_REASON_INCOMPATIBLE_PLATFORM;
    }
}

int32_t ppi_join_reason(const ppi_families *t, const ppi_model *m,
                        int32_t product_family)
{
    if (m->status == PPI_MODEL_RESOLVED)
        return m->family == product_family ? PP_REASON_SAME_FAMILY
                                           : PP_REASON_INCOMPATIBLE_PLATFORM;
    if (m->status == PPI_MODEL_NEEDS_SKU &&
        !ppi_platform_may_be_family(t, m->platform_id, product_family))
        return PP_REASON_INCOMPATIBLE_PLATFORM; /* no SKU could make it fit */
    return unresolved_reason(m->status);
}

int pp_may_join(pp_verdict *out, const pp_policy *policy, uint32_t product_id,
                const pp_model *model)
{
    if (out == NULL || policy == NULL)
        return invalid(out, PP_ERR_INVALID_ARGUMENT);
    ppi_model m;
    int rc = model_resolve_checked(&m, policy, model);
    if (rc != PP_OK)
        return invalid(out, rc);

    const ppi_product *product = ppi_product_find(policy, product_id);
    if (product == NULL)
        return verdict(out, PP_REASON_UNKNOWN_PRODUCT, m.family, -1);
    return verdict(out, ppi_join_reason(&policy->families, &m, product->family),
                   m.family, product->family);
}

int pp_may_share(pp_verdict *out, const pp_policy *policy, const pp_model *a,
                 const pp_model *b)
{
    if (out == NULL || policy == NULL)
        return invalid(out, PP_ERR_INVALID_ARGUMENT);
    ppi_model ma, mb;
    int rc = model_resolve_checked(&ma, policy, a);
    if (rc == PP_OK)
        rc = model_resolve_checked(&mb, policy, b);
    if (rc != PP_OK)
        return invalid(out, rc);

    int32_t reason;
    if (ma.status != PPI_MODEL_RESOLVED)
        reason = unresolved_reason(ma.status);
    else if (mb.status != PPI_MODEL_RESOLVED)
        reason = unresolved_reason(mb.status);
    else
        reason = ma.family == mb.family ? PP_REASON_SAME_FAMILY
                                        : PP_REASON_DIFFERENT_FAMILIES;
    return verdict(out, reason, ma.family, mb.family);
}

const char *pp_family_name(const pp_policy *policy, int index)
{
    if (policy == NULL || index < 0 || (uint32_t)index >= policy->families.nnames)
        return NULL;
    return policy->families.names[index];
}
