/* Lifetime and identity of a compiled policy: reference counting and the
 * fingerprint stamped on audit logs. */
#include <string.h>

#include "internal.h"

pp_policy *pp_policy_retain(pp_policy *p)
{
    if (p != NULL)
        __atomic_add_fetch(&p->refcount, 1, __ATOMIC_RELAXED);
    return p;
}

void pp_policy_free(pp_policy *p)
{
    if (p == NULL || __atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    /* The policy struct lives in its own arena: copy the arena out first. */
    ppi_arena arena = p->arena;
    ppi_arena_free_all(&arena);
}

uint64_t pp_policy_fingerprint(const pp_policy *p)
{
    return p == NULL ? 0 : p->fingerprint;
}

/* The fingerprint hashes every compiled element on its own (a fixed array of
 * field hashes) and adds the element hashes up: addition commutes, so the
 * order of products, members, platforms or keys in the YAML cannot change
 * it, while any changed field changes its element's hash. */

static uint64_t str_hash(const char *s, size_t len)
{
    return s == NULL ? 0 : ppi_hash_bytes(s, len);
}

/* Equal numbers have equal digits (no leading zeros), so equal versions hash
 * alike; a number too long for its value is hashed by its digits. */
static uint64_t number_hash(const ppi_number *n)
{
    return n->value != PPI_NUMBER_LONG ? n->value : str_hash(n->digits, n->len);
}

static uint64_t version_hash(const ppi_version *v)
{
    uint64_t f[4] = { number_hash(&v->major), number_hash(&v->minor),
                      number_hash(&v->patch), str_hash(v->pre, v->pre_len) };
    return ppi_hash_bytes(f, sizeof f);
}

static uint64_t family_hash(const pp_policy *p, int32_t family)
{
    return family < 0 ? 0 : str_hash(p->families.names[family],
                                      strlen(p->families.names[family]));
}

static uint64_t product_hash(const pp_policy *p, const ppi_product *pr)
{
    const ppi_org *org = pr->org == PPI_NONE ? NULL : &p->orgs[pr->org];
    uint64_t integrations = 0;
    for (uint32_t i = 0; i < pr->nintegrations; i++) {
        const ppi_str *u = &p->integrations[pr->first_integration + i];
        integrations += str_hash(u->ptr, u->len);
    }
    uint64_t f[12] = {
        pr->id,
        str_hash(pr->name, pr->name_len),
        org == NULL ? 0 : str_hash(org->name, org->name_len),
        family_hash(p, pr->family),
        pr->auto_approve,
        pr->removed_quarantine,
        pr->released_firmware,
        pr->has_min_device_os ? version_hash(&pr->min_device_os) : 0,
        1, /* element kind */
        pr->require_lts,
        pr->has_integrations,
        integrations,
    };
    return ppi_hash_bytes(f, sizeof f);
}

static uint64_t member_hash(const pp_policy *p, const ppi_member *m)
{
    uint64_t scopes = 0;
    if (m->kind == PPI_API_USER)
        for (const ppi_str *s = &p->scopes[m->first_scope]; s->ptr != NULL; s++)
            scopes += str_hash(s->ptr, s->len);
    /* The team is named by what the YAML names it by: an organization's name
     * or a product's ID, never by an index that depends on list order. */
    uint64_t team = m->team < p->norgs
                        ? str_hash(p->orgs[m->team].name, p->orgs[m->team].name_len)
                        : p->products[m->team - p->norgs].id;
    uint64_t f[9] = {
        m->team < p->norgs, team, str_hash(m->name, m->name_len),
        m->kind == PPI_HUMAN ? m->role : 0, m->kind == PPI_HUMAN ? m->two_step : 0,
        m->kind, scopes, 2, m->org_level,
    };
    return ppi_hash_bytes(f, sizeof f);
}

void ppi_policy_fingerprint(pp_policy *p)
{
    uint64_t sum[5] = { 0, 0, 0, 0, 0 };
    for (uint32_t i = 0; i < p->nproducts; i++)
        sum[0] += product_hash(p, &p->products[i]);
    for (uint32_t i = 0; i < p->norgs; i++) {
        const ppi_org *o = &p->orgs[i];
        uint64_t canaries = 0;
        for (uint32_t j = 0; j < o->ncanaries; j++)
            canaries += ppi_hash_bytes(&p->canaries[o->first_canary + j], sizeof(uint64_t));
        uint64_t f[2] = { str_hash(o->name, o->name_len), canaries };
        sum[1] += ppi_hash_bytes(f, sizeof f);
    }
    for (uint32_t i = 0; i < p->nmembers; i++)
        sum[2] += member_hash(p, &p->members[i]);
    for (uint32_t i = 0; i < p->families.nplatforms; i++) {
        const ppi_platform *pl = &p->families.platforms[i];
        uint64_t f[4] = { pl->id, str_hash(pl->name, strlen(pl->name)), pl->eligible,
                          family_hash(p, pl->family) };
        sum[3] += ppi_hash_bytes(f, sizeof f);
    }
    for (uint32_t i = 0; i < p->families.nskus; i++) {
        const ppi_sku *s = &p->families.skus[i];
        uint64_t f[3] = { str_hash(s->prefix, s->prefix_len), s->platform_id,
                          family_hash(p, s->family) };
        sum[4] += ppi_hash_bytes(f, sizeof f);
    }
    uint64_t whole[14] = {
        2, /* canonical form version: 2 adds the security settings */
        version_hash(&p->legacy_below),
        p->nproducts, sum[0], p->norgs, sum[1], p->nmembers, sum[2],
        p->families.nplatforms, sum[3], p->families.nskus, sum[4],
        p->require_lts, p->sim_notify_percent,
    };
    p->fingerprint = ppi_hash_bytes(whole, sizeof whole);
}
