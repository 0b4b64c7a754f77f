/* The admission decision, docs/spec.md §3.  The rule numbers and reasons below
 * are the rows of docs/decisions.md; read one against the other.  Nothing here
 * allocates, does I/O or touches global state. */
#include <string.h>

#include "effects.h"
#include "internal.h"
#include "sku_index.h"
#include "version_short.h"

/* The stages of a decision, inlined into both pp_decide and the batch, so
 * that a single decision pays for no call between them. */
#define DECISION_STAGE static inline __attribute__((always_inline))

/* Rule 0's checks of each field, in order: PP_OK or the first problem.  A
 * valid ID and Device OS are not NULL, so of the NULL-with-length pairs
 * only those of the optional SKU and owner are left to test. */
DECISION_STAGE int validate_fields(const pp_device *d, ppi_version *v, uint64_t *sku_head)
{
    if (!ppi_device_id_valid(d->id, d->id_len))
        return PP_ERR_DEVICE_ID;
    /* Most versions are short: their key alone (text NULL), see os_below. */
    if (d->device_os == NULL)
        return PP_ERR_DEVICE_OS;
    if (ppi_version_key_short(&v->key, d->device_os, d->device_os_len))
        v->text = NULL;
    else if (ppi_version_parse(v, d->device_os, d->device_os_len) != PP_OK)
        return PP_ERR_DEVICE_OS;
    if (d->sku != NULL ? !ppi_sku_check(d->sku, d->sku_len, sku_head) : d->sku_len != 0)
        return d->sku != NULL ? PP_ERR_SKU : PP_ERR_INVALID_ARGUMENT;
    if (d->owner != NULL ? !ppi_owner_valid(d->owner, d->owner_len) : d->owner_len != 0)
        return d->owner != NULL ? PP_ERR_OWNER : PP_ERR_INVALID_ARGUMENT;
    if (d->firmware_version > UINT16_MAX)
        return PP_ERR_FIRMWARE_VERSION;
    if (d->platform_id == PP_PLATFORM_UNSPECIFIED && d->sku == NULL)
        return PP_ERR_PLATFORM;
    return PP_OK;
}

/* Rule 0: validate the record.  Returns PP_OK or the first problem.  A NULL
 * string with a nonzero length is a caller's bug, not an absent field: it
 * comes before any field's own problem, so it can never read as "unowned"
 * (tested only when some field fails: a valid record has none). */
DECISION_STAGE int validate(const pp_device *d, ppi_version *v, uint64_t *sku_head)
{
    int rc = validate_fields(d, v, sku_head);
    if (rc != PP_OK && ppi_device_pairs_bad(d))
        return PP_ERR_INVALID_ARGUMENT;
    return rc;
}

/* Whether the record's Device OS v (validate's) is below a policy's
 * version b: by the keys when they decide; else by the whole version,
 * parsed again when validate kept only its key. */
static bool os_below_whole(const ppi_version *v, const pp_device *d, const ppi_version *b)
{
    ppi_version whole;
    if (v->text == NULL) {
        (void)ppi_version_parse(&whole, d->device_os, d->device_os_len); /* valid */
        v = &whole;
    }
    return ppi_version_cmp(v, b) < 0;
}

DECISION_STAGE bool os_below(const ppi_version *v, const pp_device *d, const ppi_version *b)
{
    if (ppi_version_keys_decide(v->key, b->key))
        return v->key < b->key;
    return os_below_whole(v, d, b);
}

static int fail_closed(pp_decision *out, int code)
{
    if (out != NULL) {
        memset(out, 0, sizeof *out);
        out->outcome = PP_OUTCOME_DENY;
        out->reason = PP_REASON_INVALID_INPUT;
        out->rule = 0;
        out->error = code;
    }
    return code;
}

DECISION_STAGE void set(pp_decision *out, int rule, pp_outcome outcome, pp_reason reason)
{
    out->rule = rule;
    out->outcome = outcome;
    out->reason = reason;
}

/* Rule 14's team: P's organization (policy or caller's team set) or P's own
 * product team.  API users are programs, not people who own devices.  h is
 * ppi_member_hash of the owner. */
static bool owner_in_team(const pp_policy *p, const pp_team *team, const ppi_product *product,
                          const pp_device *d, uint64_t h)
{
    const ppi_member *m = ppi_member_find(p, product->team_seed,
                                          p->norgs + (uint32_t)(product - p->products),
                                          d->owner, d->owner_len, h);
    if (m != NULL && m->kind == PPI_HUMAN)
        return true;
    if (product->org == PPI_NONE)
        return false;
    const ppi_org *org = &p->orgs[product->org];
    m = ppi_member_find(p, org->team_seed, product->org, d->owner, d->owner_len, h);
    if (m != NULL && m->kind == PPI_HUMAN)
        return true;
    return team != NULL && ppi_team_role(team, org->name, org->name_len, org->team_seed,
                                         d->owner, d->owner_len) >= 0;
}

bool ppi_owner_in_team(const pp_policy *p, const pp_team *team,
                       const ppi_product *product, const pp_device *d)
{
    return owner_in_team(p, team, product, d, ppi_member_hash(p, d->owner, d->owner_len));
}

/* Rules 3 and 4: may this device's model be in P at all? */
DECISION_STAGE bool model_fits(pp_decision *out, const pp_policy *p,
                       const ppi_product *product, const pp_device *d, uint64_t sku_head)
{
    /* Most records: an eligible platform whose family is the product's,
     * from the record's SKU when the table knows it (and it names that
     * platform, or the record names none: its fit_family), else from the
     * platform.  Any other case takes the whole resolution (family.c),
     * which gives the reason. */
    const ppi_families *t = &p->families;
    uint32_t i = d->sku != NULL ? ppi_sku_lookup(t, d->sku, d->sku_len, sku_head) : PPI_NONE;
    int32_t family = -1;
    if (i != PPI_NONE) {
        const ppi_sku *s = &t->skus[i];
        if (s->platform_id == d->platform_id || d->platform_id == PP_PLATFORM_UNSPECIFIED)
            family = s->fit_family;
    } else {
        const ppi_platform *pl = ppi_platform_find(t, d->platform_id);
        if (pl != NULL && pl->eligible)
            family = pl->family;
    }
    if (family >= 0 && family == product->family)
        return true;
    ppi_model m;
    ppi_model_resolve(&m, &p->families, d->platform_id, d->sku, d->sku_len);
    int32_t reason = ppi_join_reason(&p->families, &m, product->family);
    if (reason == PP_REASON_SAME_FAMILY)
        return true;
    set(out, reason == PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE ? 3 : 4,
        PP_OUTCOME_DENY, (pp_reason)reason);
    return false;
}

/* Rules 5-15, for a device whose product P is known and whose model fits. */
DECISION_STAGE void admit(pp_decision *out, const pp_policy *p, const pp_team *team,
                  const ppi_product *product, const pp_device *d, bool legacy,
                  const uint64_t *owner_hash)
{
    uint32_t P = product->id, C = d->cloud_product_id, F = d->firmware_product_id;
    if (C == P && d->denied_in == P)
        set(out, 5, PP_OUTCOME_DENY, PP_REASON_DENIED_LIST);
    else if (C == P && legacy && F == 0)
        set(out, 6, PP_OUTCOME_LIMITED, PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT);
    else if (C == P)
        set(out, 7, PP_OUTCOME_OK, PP_REASON_MEMBER);
    else if (d->denied_in == P)
        set(out, 8, PP_OUTCOME_DENY, PP_REASON_DENIED_LIST);
    else if (d->removed_from == P)
        set(out, 9, product->removed_quarantine && legacy ? PP_OUTCOME_QUARANTINE
                                                          : PP_OUTCOME_REAPPEAR_AS_DENIED,
            PP_REASON_REMOVED_FROM_PRODUCT);
    else if (!legacy)
        set(out, 10, PP_OUTCOME_DENY, PP_REASON_NOT_PRE_ADDED);
    else if (C != 0)
        set(out, 11, PP_OUTCOME_QUARANTINE, PP_REASON_MEMBER_OF_OTHER_PRODUCT);
    else if (!product->auto_approve)
        set(out, 12, PP_OUTCOME_QUARANTINE, PP_REASON_UNRECOGNIZED_DEVICE);
    else if (d->owner == NULL)
        set(out, 13, PP_OUTCOME_AUTO_APPROVE, PP_REASON_UNOWNED);
    else if (owner_in_team(p, team, product, d,
                           owner_hash != NULL ? *owner_hash
                                              : ppi_member_hash(p, d->owner, d->owner_len)))
        set(out, 14, PP_OUTCOME_AUTO_APPROVE, PP_REASON_OWNER_IS_TEAM_MEMBER);
    else
        set(out, 15, PP_OUTCOME_QUARANTINE, PP_REASON_OWNER_NOT_TEAM_MEMBER);
}

/* What a valid record's decision knows before any lookup: its Device OS
 * version, its SKU's key (ppi_sku_check), whether it is legacy, and P. */
typedef struct prepared {
    ppi_version v;
    uint64_t sku_head;
    bool legacy;
    uint32_t P;
} prepared;

/* Rule 0, then P: PP_OK or the record's error. */
DECISION_STAGE int prepare(prepared *r, const pp_policy *p, const pp_device *d)
{
    int rc = validate(d, &r->v, &r->sku_head);
    if (rc != PP_OK)
        return rc;
    r->legacy = os_below(&r->v, d, &p->legacy_below);
    uint32_t C = d->cloud_product_id, F = d->firmware_product_id;
    r->P = r->legacy && F != 0 ? F : C != 0 ? C : F;
    return PP_OK;
}

/* Rules 1-15 for a prepared record; product is P's (NULL when P is not in
 * the policy), owner_hash the owner's ppi_member_hash when already known. */
DECISION_STAGE void decide_prepared(pp_decision *out, const pp_policy *p, const pp_team *team,
                            const pp_device *d, const prepared *r,
                            const ppi_product *product, const uint64_t *owner_hash)
{
    memset(out, 0, sizeof *out);
    bool legacy = r->legacy;
    uint32_t C = d->cloud_product_id, F = d->firmware_product_id, P = r->P;
    out->product_id = P;
    if (C != 0 && C != P)
        out->limited_in = C;
    if (legacy && F == 0) {
        if (d->denied_in != 0)
            out->advisories |= PP_ADVISORY_LEAVES_DENIED_LIST;
        if (d->quarantined_in != 0)
            out->advisories |= PP_ADVISORY_LEAVES_QUARANTINE;
    }

    if (P == 0) {
        set(out, 1, PP_OUTCOME_OK, PP_REASON_NOT_A_PRODUCT_DEVICE);
        ppi_decide_effects(out, d);
        return;
    }
    if (product == NULL) {
        set(out, 2, PP_OUTCOME_DENY, PP_REASON_UNKNOWN_PRODUCT);
        return;
    }
    if (product->has_min_device_os && os_below(&r->v, d, &product->min_device_os))
        out->advisories |= PP_ADVISORY_DEVICE_OS_BELOW_MINIMUM;
    if (!model_fits(out, p, product, d, r->sku_head))
        return;

    admit(out, p, team, product, d, legacy, owner_hash);
    /* Only a member's ok and an auto-approval carry privileges. */
    if (out->outcome == PP_OUTCOME_OK || out->outcome == PP_OUTCOME_AUTO_APPROVE) {
        out->privileges = PP_PRIVILEGES_ALL;
        if (d->development)
            out->advisories |= PP_ADVISORY_DEVELOPMENT_DEVICE;
        else if (product->released_firmware != 0 &&
                 d->firmware_version != product->released_firmware)
            out->advisories |= PP_ADVISORY_OTA_UPDATE_PENDING;
    }
    if (PPI_RULES_WITH_EFFECTS >> out->rule & 1)
        ppi_decide_effects(out, d);
}

int pp_decide(pp_decision *out, const pp_policy *p, const pp_team *team,
              const pp_device *d)
{
    if (out == NULL || p == NULL || d == NULL)
        return fail_closed(out, PP_ERR_INVALID_ARGUMENT);
    prepared r;
    int rc = prepare(&r, p, d);
    if (rc != PP_OK)
        return fail_closed(out, rc);
    decide_prepared(out, p, team, d, &r, r.P != 0 ? ppi_product_find(p, r.P) : NULL, NULL);
    return PP_OK;
}

/* Records decided together: each pass over a block starts the memory reads
 * the next pass needs (the product's slot, then the owner's member slots),
 * so that a block's cache misses overlap instead of each record waiting
 * for its own. */
#define BLOCK 16

/* Whether d may reach rule 14 in product: the owner's team is read. */
static bool reads_team(const pp_device *d, const prepared *r, const ppi_product *product)
{
    return product->auto_approve && d->owner != NULL && r->legacy &&
           d->cloud_product_id == 0;
}

static void prefetch_member_slot(const pp_policy *p, uint64_t h, uint64_t team_seed)
{
    const ppi_table *t = &p->member_index;
    __builtin_prefetch(&t->slots[ppi_hash_mix(h, team_seed) & t->mask]);
}

static int decide_block(pp_decision *out, const pp_policy *p, const pp_team *team,
                        const pp_device *d, size_t n)
{
    prepared r[BLOCK];
    int rc[BLOCK];
    uint64_t hash[BLOCK];
    const uint64_t *owner_hash[BLOCK];
    const ppi_product *product[BLOCK];
    const ppi_table *t = &p->product_index;
    /* Validate and hash; start reading each product's slot. */
    for (size_t k = 0; k < n; k++) {
        rc[k] = prepare(&r[k], p, &d[k]);
        if (rc[k] == PP_OK && r[k].P != 0) {
            hash[k] = ppi_product_hash(p, r[k].P);
            __builtin_prefetch(&t->slots[hash[k] & t->mask]);
        }
    }
    /* Find the products (their misses overlap: the iterations are
     * independent); start reading the owners' member slots. */
    for (size_t k = 0; k < n; k++) {
        product[k] = rc[k] == PP_OK && r[k].P != 0
                         ? ppi_product_find_hashed(p, r[k].P, hash[k]) : NULL;
        owner_hash[k] = NULL;
        if (product[k] != NULL && reads_team(&d[k], &r[k], product[k])) {
            hash[k] = ppi_member_hash(p, d[k].owner, d[k].owner_len);
            owner_hash[k] = &hash[k];
            prefetch_member_slot(p, hash[k], product[k]->team_seed);
            if (product[k]->org != PPI_NONE)
                prefetch_member_slot(p, hash[k], p->orgs[product[k]->org].team_seed);
        }
    }
    int first = PP_OK;
    for (size_t k = 0; k < n; k++) {
        if (rc[k] == PP_OK) {
            decide_prepared(&out[k], p, team, &d[k], &r[k], product[k], owner_hash[k]);
            continue;
        }
        fail_closed(&out[k], rc[k]);
        if (first == PP_OK)
            first = rc[k];
    }
    return first;
}

int pp_decide_many(pp_decision *out, const pp_policy *p, const pp_team *team,
                   const pp_device *devices, size_t n)
{
    if (n > 0 && (out == NULL || devices == NULL || p == NULL)) {
        if (out != NULL)
            for (size_t i = 0; i < n; i++)
                fail_closed(&out[i], PP_ERR_INVALID_ARGUMENT);
        return PP_ERR_INVALID_ARGUMENT;
    }
    int first = PP_OK;
    for (size_t i = 0; i < n; i += BLOCK) {
        int rc = decide_block(&out[i], p, team, &devices[i], n - i < BLOCK ? n - i : BLOCK);
        if (rc != PP_OK && first == PP_OK)
            first = rc;
    }
    return first;
}

int pp_is_legacy(const pp_policy *p, const char *device_os, size_t len)
{
    if (p == NULL || device_os == NULL) /* absent or NULL with a length */
        return PP_ERR_INVALID_ARGUMENT;
    ppi_version v;
    if (ppi_version_parse(&v, device_os, len) != PP_OK)
        return PP_ERR_INVALID_VERSION;
    return ppi_version_cmp(&v, &p->legacy_below) < 0;
}
