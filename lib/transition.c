/* Operator actions as transitions of a device record (docs/lifecycle.md):
 * each is applied only when pp_authorize allows its action on this device,
 * so who may act and in which device state stay defined in one place
 * (lib/authorize.c).  Nothing here allocates. */
#include <string.h>

#include "internal.h"

/* Indexed by pp_operation. */
static const pp_action actions[] = {
    [PP_OPERATION_ADD_DEVICE] = PP_ACTION_ADD_DEVICE,
    [PP_OPERATION_APPROVE_QUARANTINED] = PP_ACTION_APPROVE_QUARANTINED,
    [PP_OPERATION_DENY_QUARANTINED] = PP_ACTION_DENY_QUARANTINED,
    [PP_OPERATION_REAPPROVE_DENIED] = PP_ACTION_REAPPROVE_DENIED,
    [PP_OPERATION_REMOVE_DEVICE] = PP_ACTION_REMOVE_DEVICE,
    [PP_OPERATION_UNCLAIM_DEVICE] = PP_ACTION_UNCLAIM_DEVICE,
    [PP_OPERATION_MARK_DEVELOPMENT] = PP_ACTION_MARK_DEVELOPMENT,
    [PP_OPERATION_UNMARK_DEVELOPMENT] = PP_ACTION_MARK_DEVELOPMENT,
    [PP_OPERATION_RELEASE_FIRMWARE] = PP_ACTION_RELEASE_FIRMWARE,
};

#define NOPERATIONS ((int)(sizeof actions / sizeof actions[0]))

int pp_operation_action(int operation)
{
    return operation >= 0 && operation < NOPERATIONS ? (int)actions[operation] : -1;
}

static bool held(const pp_policy *p, uint32_t product)
{
    return product != 0 && ppi_product_find(p, product) != NULL;
}

/* Whether the record keeps the device out of product Q: on Q's Denied list
 * (rule 8, or 5), or removed from it while not its member (rule 9). */
static bool keeps_out(const pp_policy *p, uint32_t D, uint32_t R, uint32_t C, uint32_t Q)
{
    return !held(p, Q) || D == Q || (R == Q && C != Q);
}

/* Block the device in P, as a Denied entry (deny) or a removal (remove),
 * without losing a block the record held.  The record has one slot of each:
 * when the slot P needs holds another product's block, that block moves to
 * the other slot (a Denied entry kept as a removal or the reverse: either
 * way no privileges there without an approval), or P's block takes the
 * other slot.  Blocks of products the policy does not hold do not count.
 * Only when no arrangement keeps them all (three blocks) is one forgotten,
 * never P's. */
static void block(const pp_policy *p, pp_device *n, uint32_t P, bool deny)
{
    uint32_t D = n->denied_in, R = n->removed_from, C = n->cloud_product_id;
    uint32_t need[2] = { keeps_out(p, D, R, C, D) ? D : 0, keeps_out(p, D, R, C, R) ? R : 0 };
    /* Arrangements (Denied slot, removal slot), the natural one first. */
    uint32_t tries[4][2] = {
        { deny ? P : D, deny ? R : P }, { deny ? P : R, deny ? D : P },
        { deny ? D : P, deny ? P : R }, { deny ? P : D, deny ? R : P },
    };
    int best = 3, best_kept = -1;
    for (int i = 0; i < 3; i++) {
        uint32_t d = tries[i][0], r = tries[i][1];
        if (!keeps_out(p, d, r, C, P) || (d != 0 && d == C && d != D))
            continue;  /* P not blocked, or a member newly denied in its product */
        int kept = keeps_out(p, d, r, C, need[0]) + keeps_out(p, d, r, C, need[1]);
        if (kept > best_kept) {
            best = i;
            best_kept = kept;
        }
    }
    n->denied_in = tries[best][0];
    n->removed_from = tries[best][1];
}

/* An approval: the device is P's member, off P's lists. */
static void admit(pp_device *n, uint32_t P)
{
    n->cloud_product_id = P;
    if (n->quarantined_in == P)
        n->quarantined_in = 0;
    if (n->denied_in == P)
        n->denied_in = 0;
    if (n->removed_from == P)
        n->removed_from = 0;
}

static int refuse(pp_device *next, const pp_device *copy, pp_transition *out,
                  pp_refusal why, int code)
{
    out->applied = 0;
    out->refusal = why;
    out->error = code;
    if (next != NULL)
        *next = *copy;
    return code;
}

int pp_operate(pp_device *next, pp_transition *out, const pp_policy *p,
               const pp_team *team, const pp_actor *a, int op, uint32_t P,
               const pp_device *d)
{
    pp_device n;
    if (d != NULL)
        n = *d;  /* next may be d itself */
    else
        memset(&n, 0, sizeof n);
    if (out == NULL) {
        if (next != NULL)
            *next = n;
        return PP_ERR_INVALID_ARGUMENT;
    }
    memset(out, 0, sizeof *out);
    if (next == NULL || d == NULL || op < 0 || op >= NOPERATIONS) {
        pp_authorize(&out->authorization, NULL, NULL, NULL, -1, 0, NULL);
        return refuse(next, &n, out, PP_REFUSAL_INVALID_INPUT, PP_ERR_INVALID_ARGUMENT);
    }
    int rc = pp_authorize(&out->authorization, p, team, a, actions[op], P, d);
    if (rc != PP_OK)
        return refuse(next, &n, out, PP_REFUSAL_INVALID_INPUT, rc);
    pp_decision now;
    if (op == PP_OPERATION_RELEASE_FIRMWARE) {
        /* release_firmware is not about a device for pp_authorize: the
         * record is checked here, by the decision that says whether the
         * device takes P's released firmware. */
        rc = pp_decide(&now, p, team, d);
        if (rc != PP_OK)
            return refuse(next, &n, out, PP_REFUSAL_INVALID_INPUT, rc);
    }
    if (!out->authorization.allowed)
        return refuse(next, &n, out, PP_REFUSAL_NOT_AUTHORIZED, PP_OK);

    switch ((pp_operation)op) {
    case PP_OPERATION_ADD_DEVICE:
    case PP_OPERATION_APPROVE_QUARANTINED:
    case PP_OPERATION_REAPPROVE_DENIED:
        admit(&n, P);
        break;
    case PP_OPERATION_DENY_QUARANTINED:
        n.quarantined_in = 0;
        block(p, &n, P, true);
        break;
    case PP_OPERATION_REMOVE_DEVICE:
        n.cloud_product_id = 0;
        n.development = 0;  /* development marks a device in its product */
        if (n.quarantined_in == P)
            n.quarantined_in = 0;
        block(p, &n, P, false);
        break;
    case PP_OPERATION_UNCLAIM_DEVICE:
        n.owner = NULL;
        n.owner_len = 0;
        break;
    case PP_OPERATION_MARK_DEVELOPMENT:
        n.development = 1;
        break;
    case PP_OPERATION_UNMARK_DEVELOPMENT:
        n.development = 0;
        break;
    case PP_OPERATION_RELEASE_FIRMWARE:
        if (now.product_id != P || (now.advisories & PP_ADVISORY_OTA_UPDATE_PENDING) == 0)
            return refuse(next, &n, out, PP_REFUSAL_NO_UPDATE_PENDING, PP_OK);
        n.firmware_product_id = P;
        n.firmware_version = ppi_product_find(p, P)->released_firmware;
        break;
    }
    out->applied = 1;
    out->refusal = PP_REFUSAL_NONE;
    *next = n;
    return PP_OK;
}
