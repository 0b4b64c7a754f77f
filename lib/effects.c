/* What an admission decision tells the cloud to write (docs/lifecycle.md,
 * the "effects" column of docs/decisions.md), and the record that results.
 * The record holds one product per list, so entering a quarantine list
 * leaves the one the device was on, and a Denied entry of another product is
 * never overwritten.  Nothing here allocates. */
#include "internal.h"

/* Entering P's quarantine list: the record's one quarantine slot moves. */
static uint32_t enter_quarantine(pp_decision *out, const pp_device *d)
{
    if (d->quarantined_in == out->product_id)
        return 0;
    if (d->quarantined_in == 0)
        return PP_EFFECT_ENTER_QUARANTINE;
    out->leaves_quarantine = d->quarantined_in;
    return PP_EFFECT_ENTER_QUARANTINE | PP_EFFECT_LEAVE_QUARANTINE;
}

void ppi_decide_effects(pp_decision *out, const pp_device *d)
{
    uint32_t P = out->product_id, e = 0;
    switch (out->rule) {
    case 1:
    case 6:
        /* Non-product firmware on a legacy device (the advisories say so)
         * takes it off the lists it was on. */
        if (out->advisories & PP_ADVISORY_LEAVES_DENIED_LIST) {
            e |= PP_EFFECT_LEAVE_DENIED_LIST;
            out->leaves_denied = d->denied_in;
        }
        if (out->advisories & PP_ADVISORY_LEAVES_QUARANTINE) {
            e |= PP_EFFECT_LEAVE_QUARANTINE;
            out->leaves_quarantine = d->quarantined_in;
        }
        break;
    case 9:
        if (out->outcome == PP_OUTCOME_QUARANTINE) {
            /* The removal stays recorded: P's quarantine list alone would not
             * keep an auto-approve product from taking the device back. */
            e = enter_quarantine(out, d);
        } else if (d->denied_in == 0) {
            /* Another product's Denied entry is kept; the removal from P,
             * which stays, denies the device in P at every reconnect. */
            e = PP_EFFECT_ENTER_DENIED_LIST;
            if (d->quarantined_in == P) {
                e |= PP_EFFECT_LEAVE_QUARANTINE;
                out->leaves_quarantine = P;
            }
        }
        break;
    case 11:
    case 12:
    case 15:
        e = enter_quarantine(out, d);
        break;
    case 13:
    case 14:
        e = PP_EFFECT_JOIN;
        if (d->quarantined_in == P) {
            e |= PP_EFFECT_LEAVE_QUARANTINE;
            out->leaves_quarantine = P;
        }
        break;
    default:
        break;  /* rules 0, 2-5, 7, 8 and 10 write nothing (PPI_RULES_WITH_EFFECTS) */
    }
    out->effects = e;
}

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
