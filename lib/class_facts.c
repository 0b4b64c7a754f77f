/*
 * The facts of a device record that the policy diff's device classes are
 * made of (docs/diff.md): which products its product fields name, whether
 * it is legacy, and how its Device OS, lists, owner, model and firmware
 * relate to the product in question under each policy.  classes.c
 * enumerates them; pp_diff_class_of reads them off a concrete record.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "effects.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Index of product ID id in d->products, or -1. */
int32_t ppi_product_slot(const pp_diff *d, uint32_t id)
{
    const uint32_t *hit = bsearch(&id, d->products, d->nproducts, sizeof id, cmp_u32);
    return hit == NULL ? -1 : (int32_t)(hit - d->products);
}

static bool is_known(const pp_diff *d, uint32_t id)
{
    return ppi_product_slot(d, id) >= 0;
}

/* The representative product IDs of a context.  UNKNOWN and OTHER are IDs
 * neither policy holds, distinct from each other. */
void ppi_context_ids(const pp_diff *d, ppi_context ctx, uint32_t *C, uint32_t *F)
{
    bool c_unknown = ctx.cloud == PPI_SLOT_UNKNOWN || ctx.cloud == PPI_SLOT_OTHER;
    *C = ctx.cloud == PPI_SLOT_NONE ? 0 : c_unknown ? d->unknown[0] : d->products[ctx.cloud];
    if (ctx.firmware == PPI_SLOT_NONE)
        *F = 0;
    else if (ctx.firmware == PPI_SLOT_SAME)
        *F = *C;
    else if (ctx.firmware == PPI_SLOT_UNKNOWN || ctx.firmware == PPI_SLOT_OTHER)
        *F = c_unknown ? d->unknown[1] : d->unknown[0];
    else
        *F = d->products[ctx.firmware];
}

ppi_shape ppi_context_shape(ppi_context ctx)
{
    if (ctx.cloud == PPI_SLOT_NONE)
        return ctx.firmware == PPI_SLOT_NONE ? PPI_SHAPE_NONE : PPI_SHAPE_FIRMWARE_ONLY;
    if (ctx.firmware == PPI_SLOT_NONE)
        return PPI_SHAPE_CLOUD_ONLY;
    if (ctx.firmware == PPI_SLOT_SAME)
        return PPI_SHAPE_SAME;
    if (ctx.cloud == PPI_SLOT_OTHER)
        return PPI_SHAPE_FIRMWARE_WINS;
    if (ctx.firmware == PPI_SLOT_OTHER)
        return PPI_SHAPE_CLOUD_WINS;
    return PPI_SHAPE_BOTH;
}

/* Whether legacy pair l can occur in a context of this shape. */
bool ppi_shape_allows(ppi_shape shape, unsigned l)
{
    switch (shape) {
    case PPI_SHAPE_FIRMWARE_WINS: return l == PPI_PAIR(1, 1);
    case PPI_SHAPE_CLOUD_WINS: return l == PPI_PAIR(0, 0);
    case PPI_SHAPE_BOTH: return PPI_PAIR_OLD(l) != PPI_PAIR_NEW(l);
    default: return true;
    }
}

/* P as pp_decide picks it (docs/decisions.md). */
uint32_t ppi_product_in_question(uint32_t C, uint32_t F, bool legacy)
{
    return legacy && F != 0 ? F : C != 0 ? C : F;
}

bool ppi_is_legacy(const pp_policy *p, const ppi_version *v)
{
    return ppi_version_cmp(v, &p->legacy_below) < 0;
}

bool ppi_below_minimum(const ppi_product *pr, const ppi_version *v)
{
    return pr != NULL && pr->has_min_device_os && ppi_version_cmp(v, &pr->min_device_os) < 0;
}

unsigned ppi_join_of(const pp_policy *p, const ppi_product *pr, const ppi_model *m)
{
    if (pr == NULL)
        return PPI_JOIN_NA;
    switch (ppi_join_reason(&p->families, m, pr->family)) {
    case PP_REASON_SAME_FAMILY: return PPI_JOIN_FITS;
    case PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE: return PPI_JOIN_NOT_ELIGIBLE;
    case PP_REASON_SKU_REQUIRED: return PPI_JOIN_SKU_REQUIRED;
    default: return PPI_JOIN_INCOMPATIBLE;
    }
}

bool ppi_owner_on_team(const pp_policy *p, const ppi_product *pr, const char *name,
                          size_t len)
{
    if (pr == NULL || name == NULL)
        return false;
    pp_device probe;
    memset(&probe, 0, sizeof probe);
    probe.owner = name;
    probe.owner_len = len;
    return ppi_owner_in_team(p, NULL, pr, &probe);
}

bool ppi_pending(const ppi_product *pr, uint32_t firmware_version)
{
    return pr != NULL && pr->released_firmware != 0 &&
           firmware_version != pr->released_firmware;
}

static unsigned relation(uint32_t id, uint32_t C, uint32_t F)
{
    if (id == 0)
        return PPI_REL_NONE;
    if (id == C)
        return PPI_REL_CLOUD;
    if (id == F)
        return PPI_REL_FIRMWARE;
    return PPI_REL_OTHER;
}

static uint8_t role_of(uint32_t pid, uint32_t C, uint32_t F)
{
    return pid == 0 ? PPI_ROLE_NONE : pid == C ? PPI_ROLE_CLOUD
                                    : pid == F ? PPI_ROLE_FIRMWARE : PPI_ROLE_NONE;
}

ppi_rel_decision ppi_relative(const pp_decision *dec, uint32_t C, uint32_t F)
{
    return (ppi_rel_decision){
        dec->outcome, dec->reason, dec->rule, dec->privileges, dec->advisories,
        role_of(dec->product_id, C, F), role_of(dec->limited_in, C, F),
    };
}

bool ppi_same_decision(const pp_decision *a, const pp_decision *b)
{
    return a->outcome == b->outcome && a->reason == b->reason && a->rule == b->rule &&
           a->error == b->error && a->product_id == b->product_id &&
           a->limited_in == b->limited_in && a->privileges == b->privileges &&
           a->advisories == b->advisories;
}

int ppi_diff_products(pp_diff *d)
{
    uint64_t n = (uint64_t)d->old_p->nproducts + d->new_p->nproducts;
    d->products = ppi_arena_alloc(&d->arena, (size_t)(n + 1) * sizeof(uint32_t));
    if (d->products == NULL)
        return PP_ERR_NOMEM;
    uint32_t k = 0;
    for (uint32_t i = 0; i < d->old_p->nproducts; i++)
        d->products[k++] = d->old_p->products[i].id;
    for (uint32_t i = 0; i < d->new_p->nproducts; i++)
        d->products[k++] = d->new_p->products[i].id;
    ppi_sort(d->products, k, sizeof(uint32_t), cmp_u32);
    uint32_t u = 0;
    for (uint32_t i = 0; i < k; i++)
        if (u == 0 || d->products[u - 1] != d->products[i])
            d->products[u++] = d->products[i];
    d->nproducts = u;
    uint32_t id = 1;
    for (int i = 0; i < 3; i++) {
        while (is_known(d, id))
            id++;
        d->unknown[i] = id++;
    }
    return PP_OK;
}

/* ---- a concrete record's class ---- */

static int32_t slot_of(const pp_diff *d, uint32_t id)
{
    if (id == 0)
        return PPI_SLOT_NONE;
    int32_t s = ppi_product_slot(d, id);
    return s >= 0 ? s : PPI_SLOT_UNKNOWN;
}

static bool class_covers(const pp_diff *d, const ppi_class *c, ppi_context ctx,
                         unsigned l, const unsigned *value)
{
    if (!(c->legacy & (1u << l)))
        return false;
    for (int dim = 0; dim < PPI_NDIMS; dim++)
        if (!(c->covers[dim] & (1u << value[dim])))
            return false;
    for (size_t k = 0; k < c->ncontexts; k++) {
        const ppi_context *x = &d->contexts[c->first_context + k];
        if (x->cloud == ctx.cloud && x->firmware == ctx.firmware)
            return true;
    }
    return false;
}

/* The class's decision for the concrete record dev: its products, and the
 * effects, which name the record's own list entries (the classes see only
 * whether the device is on a quarantine list, which is all a decision's
 * outcome depends on; the effects are a function of the decision and the
 * record). */
static void instantiate(pp_decision *out, const pp_decision *rep, const ppi_rel_decision *r,
                        const pp_device *dev)
{
    uint32_t C = dev->cloud_product_id, F = dev->firmware_product_id;
    *out = *rep;
    out->product_id = r->product_role == PPI_ROLE_CLOUD ? C
                    : r->product_role == PPI_ROLE_FIRMWARE ? F : 0;
    out->limited_in = r->limited_role == PPI_ROLE_CLOUD ? C
                    : r->limited_role == PPI_ROLE_FIRMWARE ? F : 0;
    out->effects = out->leaves_denied = out->leaves_quarantine = 0;
    ppi_decide_effects(out, dev);
}

int pp_diff_class_of(size_t *index, pp_decision *old_out, pp_decision *new_out,
                     const pp_diff *d, const pp_device *dev)
{
    pp_decision od;
    /* pp_decide fails closed on invalid input, NULL arguments included. */
    int rc = pp_decide(&od, d == NULL ? NULL : d->old_p, NULL, index == NULL ? NULL : dev);
    if (index != NULL)
        *index = PP_DIFF_NONE;
    if (old_out != NULL)
        *old_out = od;
    if (new_out != NULL)
        *new_out = od;
    if (rc != PP_OK)
        return rc;

    ppi_version v;
    ppi_version_parse(&v, dev->device_os, dev->device_os_len);
    bool lo = ppi_is_legacy(d->old_p, &v), ln = ppi_is_legacy(d->new_p, &v);
    unsigned l = PPI_PAIR(lo, ln);
    uint32_t C = dev->cloud_product_id, F = dev->firmware_product_id;
    ppi_context ctx = { slot_of(d, C), F == 0 ? PPI_SLOT_NONE : F == C ? PPI_SLOT_SAME
                                                                     : slot_of(d, F) };
    if (ppi_context_shape(ctx) == PPI_SHAPE_BOTH && lo == ln) {
        if (lo)
            ctx.cloud = PPI_SLOT_OTHER;
        else
            ctx.firmware = PPI_SLOT_OTHER;
    }
    const pp_policy *pol[2] = { d->old_p, d->new_p };
    const ppi_product *pr[2];
    for (int k = 0; k < 2; k++) {
        uint32_t pid = ppi_product_in_question(C, F, k == 0 ? lo : ln);
        pr[k] = pid == 0 ? NULL : ppi_product_find(pol[k], pid);
    }
    unsigned value[PPI_NDIMS];
    value[PPI_D_BELOW] = PPI_PAIR(ppi_below_minimum(pr[0], &v), ppi_below_minimum(pr[1], &v));
    value[PPI_D_DENIED] = relation(dev->denied_in, C, F);
    value[PPI_D_REMOVED] = relation(dev->removed_from, C, F);
    value[PPI_D_QUARANTINED] = dev->quarantined_in != 0;
    value[PPI_D_OWNER] = dev->owner == NULL
                             ? 0
                             : 1 + PPI_PAIR(ppi_owner_on_team(pol[0], pr[0], dev->owner, dev->owner_len),
                                            ppi_owner_on_team(pol[1], pr[1], dev->owner, dev->owner_len));
    ppi_model m[2];
    for (int k = 0; k < 2; k++)
        ppi_model_resolve(&m[k], &pol[k]->families, dev->platform_id, dev->sku, dev->sku_len);
    value[PPI_D_MODEL] = ppi_join_of(pol[0], pr[0], &m[0]) * PPI_NJOINS + ppi_join_of(pol[1], pr[1], &m[1]);
    value[PPI_D_DEVELOPMENT] = dev->development != 0;
    value[PPI_D_FIRMWARE] = PPI_PAIR(ppi_pending(pr[0], dev->firmware_version),
                                     ppi_pending(pr[1], dev->firmware_version));

    for (size_t i = 0; i < d->nclasses; i++) {
        const ppi_class *c = &d->classes[i];
        if (!class_covers(d, c, ctx, l, value))
            continue;
        *index = i;
        if (old_out != NULL)
            instantiate(old_out, &c->pub.old_decision, &c->old_rel, dev);
        if (new_out != NULL)
            instantiate(new_out, &c->pub.new_decision, &c->new_rel, dev);
        break;
    }
    return PP_OK;
}
