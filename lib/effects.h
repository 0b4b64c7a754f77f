/* What an admission decision tells the cloud to write (docs/lifecycle.md,
 * the "effects" column of docs/decisions.md): set inline at the end of a
 * decision (decide.c) and of a class's prediction (class_facts.c);
 * effects.c applies them to the record.  The record holds one product per
 * list, so entering a quarantine list leaves the one the device was on, and
 * a Denied entry of another product is never overwritten. */
#ifndef PP_EFFECTS_H
#define PP_EFFECTS_H

#include "internal.h"

/* The rules whose decisions may have effects: for the others
 * ppi_decide_effects writes zeros, which pp_decide's cleared decision
 * already holds, so it calls it only for these. */
#define PPI_RULES_WITH_EFFECTS \
    (1u << 1 | 1u << 6 | 1u << 9 | 1u << 11 | 1u << 12 | 1u << 13 | 1u << 14 | 1u << 15)

/* Entering P's quarantine list: the record's one quarantine slot moves. */
static inline uint32_t ppi_enter_quarantine(pp_decision *out, const pp_device *d)
{
    if (d->quarantined_in == out->product_id)
        return 0;
    if (d->quarantined_in == 0)
        return PP_EFFECT_ENTER_QUARANTINE;
    out->leaves_quarantine = d->quarantined_in;
    return PP_EFFECT_ENTER_QUARANTINE | PP_EFFECT_LEAVE_QUARANTINE;
}

/* Set out->effects (and the products they leave) from the rule pp_decide
 * chose for d. */
static inline void ppi_decide_effects(pp_decision *out, const pp_device *d)
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
            e = ppi_enter_quarantine(out, d);
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
        e = ppi_enter_quarantine(out, d);
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

#endif /* PP_EFFECTS_H */
