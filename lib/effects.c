/* What an admission decision tells the cloud to write (docs/lifecycle.md,
 * the "effects" column of docs/decisions.md), and the record that results.
 * The record holds one product per list, so entering a quarantine list
 * leaves the one the device was on, and a Denied entry of another product is
 * never overwritten.  Nothing here allocates.  A decision's effects are
 * set inline (effects.h); this is what applies them. */
#include "internal.h"

int pp_apply_effects(pp_device *next, const pp_device *d, const pp_decision *dec)
{
    if (next == NULL || d == NULL || dec == NULL)
        return PP_ERR_INVALID_ARGUMENT;
    pp_device n = *d;
    uint32_t e = dec->effects, P = dec->product_id;
    bool enters = (e & (PP_EFFECT_JOIN | PP_EFFECT_ENTER_QUARANTINE |
                        PP_EFFECT_ENTER_DENIED_LIST)) != 0;
    if (ppi_device_pairs_bad(d) || (e & ~PP_EFFECTS_ALL) != 0 || (enters && P == 0) ||
        ((e & PP_EFFECT_LEAVE_DENIED_LIST) && (dec->leaves_denied == 0 ||
                                               dec->leaves_denied != d->denied_in)) ||
        ((e & PP_EFFECT_LEAVE_QUARANTINE) && (dec->leaves_quarantine == 0 ||
                                              dec->leaves_quarantine != d->quarantined_in))) {
        *next = n;
        return PP_ERR_INVALID_ARGUMENT;
    }
    /* Leaving first: a device moves from one quarantine list to another. */
    if (e & PP_EFFECT_LEAVE_DENIED_LIST)
        n.denied_in = 0;
    if (e & PP_EFFECT_LEAVE_QUARANTINE)
        n.quarantined_in = 0;
    if (e & PP_EFFECT_JOIN)
        n.cloud_product_id = P;
    if (e & PP_EFFECT_ENTER_QUARANTINE)
        n.quarantined_in = P;
    if (e & PP_EFFECT_ENTER_DENIED_LIST) {
        n.denied_in = P;
        if (n.removed_from == P)
            n.removed_from = 0;
    }
    *next = n;
    return PP_OK;
}
