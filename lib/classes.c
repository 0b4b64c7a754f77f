/*
 * The device-class abstraction of the policy diff (docs/diff.md).
 *
 * pp_decide reads a valid record only through a few facts: which of its
 * product fields name which product (the context: C and F as slots),
 * whether it is legacy under each policy, and, against the product in
 * question P of each policy, whether its Device OS is below P's minimum,
 * whether denied_in / removed_from name C, F or another product, whether
 * quarantined_in is set, whether its owner is absent or on P's team, how
 * its model relates to P's family, whether it is a development device and
 * whether it runs another firmware version than P releases.  Two records
 * with the same facts decide alike under both policies: a class is one
 * combination of facts, and every record belongs to exactly one.
 *
 * For every context and every combination of facts that some record can
 * have, this file builds a concrete representative, decides it with
 * pp_decide under both policies, keeps the combinations whose decision
 * changes, and merges them into few classes without ever covering a record
 * that decides otherwise (a merged class is a union of combinations with the
 * same decisions).  pp_diff_class_of maps a concrete record to its class, so
 * a test can check the whole abstraction against real records.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"

const uint8_t ppi_dim_size[PPI_NDIMS] = {
    [PPI_D_BELOW] = 4,
    [PPI_D_DENIED] = 4,
    [PPI_D_REMOVED] = 4,
    [PPI_D_QUARANTINED] = 2,
    [PPI_D_OWNER] = 5,
    [PPI_D_MODEL] = PPI_NJOINS * PPI_NJOINS,
    [PPI_D_DEVELOPMENT] = 2,
    [PPI_D_FIRMWARE] = 4,
};

#define FULL(dim) ((uint32_t)((1ull << ppi_dim_size[dim]) - 1))
#define MAX_VALUES (PPI_NJOINS * PPI_NJOINS)
#define DEFAULT_MAX_CLASSES 50000000ull

/* Every representative carries this ID (any valid ID decides alike). */
static const char REPRESENTATIVE_ID[] = "d1ff0000c1a55000000000ee";

/* ---- candidates: concrete values that reach every fact ---- */

/* Device OS versions: 0.0.0-0 (the least version) and every threshold of
 * either policy.  Any version lies at or above exactly the same thresholds
 * as the greatest candidate at or below it, so these reach every
 * combination of comparisons. */
typedef struct version_cand {
    ppi_version v;
    const char *text;
    size_t len;
} version_cand;

/* Models: every platform ID of either table, one neither has, and "by SKU
 * alone", each with no SKU, every SKU prefix of either table (a SKU's
 * longest match in each table is also the longest match of the longer of
 * the two matched prefixes) and a SKU neither table matches. */
typedef struct model_cand {
    uint32_t platform_id;
    const char *sku;
    size_t sku_len;
    ppi_model m[2];         /* resolved under the old and the new policy */
} model_cand;

/* One stage of a class on its way to the report. */
typedef struct item {
    uint32_t key[PPI_NDIMS];        /* scratch: covers with one fact cleared */
    uint32_t covers[PPI_NDIMS];
    uint32_t realized[PPI_NDIMS];
    uint32_t legacy;
    ppi_rel_decision old_rel, new_rel;
    ppi_context ctx;
    ppi_shape shape;
    uint64_t seq;                   /* enumeration order of its first record */
    pp_device rep;
    pp_decision old_d, new_d;
} item;

typedef struct walker {
    pp_diff *d;
    const pp_policy *pol[2];
    const pp_allocator *hook;
    version_cand *versions;
    size_t nversions;
    model_cand *models;
    size_t nmodels;
    uint64_t max;
    uint64_t seq;
    ppi_vec raw;        /* changed combinations of one (context, legacy) */
    ppi_vec context;    /* merged items of one context */
    ppi_vec all;        /* merged items of every context */
} walker;

/* What one (context, legacy pair) can be: the product in question under
 * each policy, the values each fact can take, and a concrete value for
 * each. */
typedef struct side {
    uint32_t pid;               /* P, 0 when none */
    const ppi_product *pr;      /* P in that policy, or NULL */
} side;

typedef struct facts {
    uint32_t C, F;
    side s[2];
    uint32_t mask[PPI_NDIMS];
    int32_t version_of[4];
    const char *owner_of[5];
    size_t owner_len_of[5];
    int32_t model_of[MAX_VALUES];
    uint32_t firmware_of[4];
} facts;

/* ---- small helpers ---- */

void *ppi_vec_push(ppi_vec *v, const pp_allocator *hook)
{
    if (v->n == v->cap) {
        size_t cap = v->cap == 0 ? 64 : v->cap * 2;
        if (cap > SIZE_MAX / v->size)
            return NULL;
        void *data = hook->alloc(hook->opaque, cap * v->size);
        if (data == NULL)
            return NULL;
        if (v->n > 0)
            memcpy(data, v->data, v->n * v->size);
        hook->free(hook->opaque, v->data);
        v->data = data;
        v->cap = cap;
    }
    void *slot = (char *)v->data + v->n++ * v->size;
    memset(slot, 0, v->size);
    return slot;
}

void ppi_vec_free(ppi_vec *v, const pp_allocator *hook)
{
    hook->free(hook->opaque, v->data);
    ppi_vec_init(v, v->size);
}

void *ppi_vec_keep(ppi_vec *v, ppi_arena *arena, bool *ok)
{
    void *kept = NULL;
    if (v->n > 0) {
        kept = ppi_arena_alloc(arena, v->n * v->size);
        if (kept == NULL)
            *ok = false;
        else
            memcpy(kept, v->data, v->n * v->size);
    }
    ppi_vec_free(v, &arena->hook);
    return kept;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Index of product ID id in d->products, or -1. */
static int32_t product_slot(const pp_diff *d, uint32_t id)
{
    const uint32_t *hit = bsearch(&id, d->products, d->nproducts, sizeof id, cmp_u32);
    return hit == NULL ? -1 : (int32_t)(hit - d->products);
}

static bool is_known(const pp_diff *d, uint32_t id)
{
    return product_slot(d, id) >= 0;
}

/* The representative product IDs of a context.  UNKNOWN and OTHER are IDs
 * neither policy holds, distinct from each other. */
static void context_ids(const pp_diff *d, ppi_context ctx, uint32_t *C, uint32_t *F)
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

static ppi_shape context_shape(ppi_context ctx)
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
static bool shape_allows(ppi_shape shape, unsigned l)
{
    switch (shape) {
    case PPI_SHAPE_FIRMWARE_WINS: return l == PPI_PAIR(1, 1);
    case PPI_SHAPE_CLOUD_WINS: return l == PPI_PAIR(0, 0);
    case PPI_SHAPE_BOTH: return PPI_PAIR_OLD(l) != PPI_PAIR_NEW(l);
    default: return true;
    }
}

/* P as pp_decide picks it (docs/decisions.md). */
static uint32_t product_in_question(uint32_t C, uint32_t F, bool legacy)
{
    return legacy && F != 0 ? F : C != 0 ? C : F;
}

static bool is_legacy(const pp_policy *p, const ppi_version *v)
{
    return ppi_version_cmp(v, &p->legacy_below) < 0;
}

static bool below_minimum(const ppi_product *pr, const ppi_version *v)
{
    return pr != NULL && pr->has_min_device_os && ppi_version_cmp(v, &pr->min_device_os) < 0;
}

static unsigned join_of(const pp_policy *p, const ppi_product *pr, const ppi_model *m)
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

static bool owner_on_team(const pp_policy *p, const ppi_product *pr, const char *name,
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

static bool pending(const ppi_product *pr, uint32_t firmware_version)
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

static ppi_rel_decision relative(const pp_decision *dec, uint32_t C, uint32_t F)
{
    return (ppi_rel_decision){
        dec->outcome, dec->reason, dec->rule, dec->privileges, dec->advisories,
        role_of(dec->product_id, C, F), role_of(dec->limited_in, C, F),
    };
}

static bool same_decision(const pp_decision *a, const pp_decision *b)
{
    return a->outcome == b->outcome && a->reason == b->reason && a->rule == b->rule &&
           a->error == b->error && a->product_id == b->product_id &&
           a->limited_in == b->limited_in && a->privileges == b->privileges &&
           a->advisories == b->advisories;
}

static bool same_rel(const ppi_rel_decision *a, const ppi_rel_decision *b)
{
    return a->outcome == b->outcome && a->reason == b->reason && a->rule == b->rule &&
           a->privileges == b->privileges && a->advisories == b->advisories &&
           a->product_role == b->product_role && a->limited_role == b->limited_role;
}

/* ---- building the candidates ---- */

static int add_version(walker *w, ppi_vec *v, const ppi_version *src)
{
    for (size_t i = 0; i < v->n; i++)
        if (ppi_version_cmp(&((version_cand *)v->data)[i].v, src) == 0)
            return PP_OK;
    char *text = ppi_arena_strndup(&w->d->arena, src->text, src->text_len);
    version_cand *c = ppi_vec_push(v, w->hook);
    if (text == NULL || c == NULL)
        return PP_ERR_NOMEM;
    c->text = text;
    c->len = src->text_len;
    /* Parsed again from the diff's copy, so it points into the diff. */
    return ppi_version_parse(&c->v, text, c->len) == PP_OK ? PP_OK : PP_ERR_INVALID_ARGUMENT;
}

static int build_versions(walker *w)
{
    ppi_vec v;
    ppi_vec_init(&v, sizeof(version_cand));
    ppi_version least;
    int rc = ppi_version_parse(&least, "0.0.0-0", 7);
    if (rc == PP_OK)
        rc = add_version(w, &v, &least);
    for (int k = 0; k < 2 && rc == PP_OK; k++) {
        const pp_policy *p = w->pol[k];
        rc = add_version(w, &v, &p->legacy_below);
        for (uint32_t i = 0; i < p->nproducts && rc == PP_OK; i++)
            if (p->products[i].has_min_device_os)
                rc = add_version(w, &v, &p->products[i].min_device_os);
    }
    bool ok = true;
    w->nversions = v.n;
    w->versions = ppi_vec_keep(&v, &w->d->arena, &ok);
    return rc != PP_OK ? rc : ok ? PP_OK : PP_ERR_NOMEM;
}

static bool same_model(const ppi_model *a, const ppi_model *b)
{
    return a->status == b->status && a->platform_id == b->platform_id && a->family == b->family;
}

/* Keep a model candidate unless one already kept resolves alike under both
 * policies (then it decides alike everywhere). */
static int add_model(walker *w, ppi_vec *v, uint32_t platform_id, const char *sku,
                     size_t sku_len)
{
    ppi_model m[2];
    for (int k = 0; k < 2; k++)
        ppi_model_resolve(&m[k], &w->pol[k]->families, platform_id, sku, sku_len);
    for (size_t i = 0; i < v->n; i++) {
        const model_cand *c = &((model_cand *)v->data)[i];
        if (same_model(&c->m[0], &m[0]) && same_model(&c->m[1], &m[1]))
            return PP_OK;
    }
    model_cand *c = ppi_vec_push(v, w->hook);
    if (c == NULL)
        return PP_ERR_NOMEM;
    *c = (model_cand){ platform_id, sku, sku_len, { m[0], m[1] } };
    return PP_OK;
}

static bool sku_matches_nothing(const walker *w, const char *sku, size_t len)
{
    return ppi_sku_find(&w->pol[0]->families, sku, len) == NULL &&
           ppi_sku_find(&w->pol[1]->families, sku, len) == NULL;
}

static bool platform_known(const walker *w, uint32_t id)
{
    return ppi_platform_find(&w->pol[0]->families, id) != NULL ||
           ppi_platform_find(&w->pol[1]->families, id) != NULL;
}

static int build_models(walker *w)
{
    /* A SKU neither table matches, if one exists: a one-character SKU
     * matches only a one-character prefix. */
    static const char sku_chars[] = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210-";
    const char *nomatch = NULL;
    for (const char *c = sku_chars; *c != '\0' && nomatch == NULL; c++)
        if (sku_matches_nothing(w, c, 1))
            nomatch = c;

    ppi_vec platforms;
    ppi_vec_init(&platforms, sizeof(uint32_t));
    int rc = PP_OK;
    for (int k = 0; k < 2 && rc == PP_OK; k++)
        for (uint32_t i = 0; i < w->pol[k]->families.nplatforms && rc == PP_OK; i++) {
            uint32_t *slot = ppi_vec_push(&platforms, w->hook);
            if (slot == NULL)
                rc = PP_ERR_NOMEM;
            else
                *slot = w->pol[k]->families.platforms[i].id;
        }
    uint32_t unknown = 0;
    while (platform_known(w, unknown))
        unknown++;
    uint32_t *slot = rc == PP_OK ? ppi_vec_push(&platforms, w->hook) : NULL;
    if (slot != NULL)
        *slot = unknown;
    slot = slot != NULL ? ppi_vec_push(&platforms, w->hook) : NULL;
    if (slot != NULL)
        *slot = PP_PLATFORM_UNSPECIFIED;
    else
        rc = PP_ERR_NOMEM;

    ppi_vec v;
    ppi_vec_init(&v, sizeof(model_cand));
    const uint32_t *ids = platforms.data;
    for (size_t i = 0; i < platforms.n && rc == PP_OK; i++) {
        if (ids[i] != PP_PLATFORM_UNSPECIFIED)
            rc = add_model(w, &v, ids[i], NULL, 0);
        if (rc == PP_OK && nomatch != NULL)
            rc = add_model(w, &v, ids[i], nomatch, 1);
        for (int k = 0; k < 2 && rc == PP_OK; k++) {
            const ppi_families *t = &w->pol[k]->families;
            for (uint32_t s = 0; s < t->nskus && rc == PP_OK; s++)
                rc = add_model(w, &v, ids[i], t->skus[s].prefix, t->skus[s].prefix_len);
        }
    }
    ppi_vec_free(&platforms, w->hook);
    bool ok = true;
    w->nmodels = v.n;
    w->models = ppi_vec_keep(&v, &w->d->arena, &ok);
    return rc != PP_OK ? rc : ok ? PP_OK : PP_ERR_NOMEM;
}

static int build_products(pp_diff *d)
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
    qsort(d->products, k, sizeof(uint32_t), cmp_u32);
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

/* ---- the facts of one (context, legacy pair) ---- */

static void set_value(facts *f, int dim, unsigned value)
{
    f->mask[dim] |= 1u << value;
}

static void owner_candidate(const walker *w, facts *f, const char *name, size_t len)
{
    bool in_old = owner_on_team(w->pol[0], f->s[0].pr, name, len);
    bool in_new = owner_on_team(w->pol[1], f->s[1].pr, name, len);
    unsigned v = 1 + PPI_PAIR(in_old, in_new);
    if (!(f->mask[PPI_D_OWNER] & (1u << v))) {
        set_value(f, PPI_D_OWNER, v);
        f->owner_of[v] = name;
        f->owner_len_of[v] = len;
    }
}

/* The people on P's teams (its own and its organization's) in policy k. */
static void team_owners(const walker *w, facts *f, int k)
{
    const pp_policy *p = w->pol[k];
    const ppi_product *pr = f->s[k].pr;
    if (pr == NULL)
        return;
    uint32_t teams[2] = { p->norgs + (uint32_t)(pr - p->products), pr->org };
    for (int t = 0; t < 2; t++) {
        if (teams[t] == PPI_NONE)
            continue;
        const ppi_team_index *ix = &w->d->teams[k];
        for (uint32_t i = ix->first[teams[t]]; i < ix->first[teams[t] + 1]; i++) {
            const ppi_member *m = &p->members[ix->members[i]];
            owner_candidate(w, f, m->name, m->name_len);
        }
    }
}

/* Fill f for context ctx and legacy pair l.  false when no record has them. */
static bool compute_facts(const walker *w, facts *f, ppi_context ctx, unsigned l)
{
    const pp_diff *d = w->d;
    memset(f, 0, sizeof *f);
    if (!shape_allows(context_shape(ctx), l))
        return false;
    context_ids(d, ctx, &f->C, &f->F);
    for (int k = 0; k < 2; k++) {
        bool legacy = k == 0 ? PPI_PAIR_OLD(l) : PPI_PAIR_NEW(l);
        f->s[k].pid = product_in_question(f->C, f->F, legacy);
        f->s[k].pr = f->s[k].pid == 0 ? NULL : ppi_product_find(w->pol[k], f->s[k].pid);
    }
    for (size_t i = 0; i < w->nversions; i++) {
        const ppi_version *v = &w->versions[i].v;
        if (PPI_PAIR(is_legacy(w->pol[0], v), is_legacy(w->pol[1], v)) != l)
            continue;
        unsigned b = PPI_PAIR(below_minimum(f->s[0].pr, v), below_minimum(f->s[1].pr, v));
        if (!(f->mask[PPI_D_BELOW] & (1u << b))) {
            set_value(f, PPI_D_BELOW, b);
            f->version_of[b] = (int32_t)i;
        }
    }
    if (f->mask[PPI_D_BELOW] == 0)
        return false;
    for (int dim = PPI_D_DENIED; dim <= PPI_D_REMOVED; dim++) {
        set_value(f, dim, PPI_REL_NONE);
        set_value(f, dim, PPI_REL_OTHER);
        if (f->C != 0)
            set_value(f, dim, PPI_REL_CLOUD);
        if (f->F != 0 && f->F != f->C)
            set_value(f, dim, PPI_REL_FIRMWARE);
    }
    f->mask[PPI_D_QUARANTINED] = f->mask[PPI_D_DEVELOPMENT] = 3;
    set_value(f, PPI_D_OWNER, 0);
    team_owners(w, f, 0);
    team_owners(w, f, 1);
    owner_candidate(w, f, w->d->outsider, w->d->outsider_len);
    for (size_t i = 0; i < w->nmodels; i++) {
        const model_cand *m = &w->models[i];
        unsigned v = join_of(w->pol[0], f->s[0].pr, &m->m[0]) * PPI_NJOINS +
                     join_of(w->pol[1], f->s[1].pr, &m->m[1]);
        if (!(f->mask[PPI_D_MODEL] & (1u << v))) {
            set_value(f, PPI_D_MODEL, v);
            f->model_of[v] = (int32_t)i;
        }
    }
    uint32_t released[2] = { f->s[0].pr ? f->s[0].pr->released_firmware : 0,
                             f->s[1].pr ? f->s[1].pr->released_firmware : 0 };
    uint32_t other = 1;
    while (other == released[0] || other == released[1])
        other++;
    uint32_t versions[4] = { 0, released[0], released[1], other };
    for (int i = 0; i < 4; i++) {
        unsigned v = PPI_PAIR(pending(f->s[0].pr, versions[i]), pending(f->s[1].pr, versions[i]));
        if (!(f->mask[PPI_D_FIRMWARE] & (1u << v))) {
            set_value(f, PPI_D_FIRMWARE, v);
            f->firmware_of[v] = versions[i];
        }
    }
    return true;
}

static uint32_t related_id(const pp_diff *d, unsigned rel, uint32_t C, uint32_t F)
{
    switch (rel) {
    case PPI_REL_CLOUD: return C;
    case PPI_REL_FIRMWARE: return F;
    case PPI_REL_OTHER: return d->unknown[2];
    default: return 0;
    }
}

static void representative(const walker *w, const facts *f, const unsigned *value,
                           pp_device *out)
{
    const pp_diff *d = w->d;
    memset(out, 0, sizeof *out);
    out->id = REPRESENTATIVE_ID;
    out->id_len = sizeof REPRESENTATIVE_ID - 1;
    const version_cand *v = &w->versions[f->version_of[value[PPI_D_BELOW]]];
    out->device_os = v->text;
    out->device_os_len = v->len;
    const model_cand *m = &w->models[f->model_of[value[PPI_D_MODEL]]];
    out->platform_id = m->platform_id;
    out->sku = m->sku;
    out->sku_len = m->sku_len;
    out->cloud_product_id = f->C;
    out->firmware_product_id = f->F;
    out->denied_in = related_id(d, value[PPI_D_DENIED], f->C, f->F);
    out->removed_from = related_id(d, value[PPI_D_REMOVED], f->C, f->F);
    out->quarantined_in = value[PPI_D_QUARANTINED] ? d->unknown[2] : 0;
    if (value[PPI_D_OWNER] != 0) {
        out->owner = f->owner_of[value[PPI_D_OWNER]];
        out->owner_len = f->owner_len_of[value[PPI_D_OWNER]];
    }
    out->development = (int)value[PPI_D_DEVELOPMENT];
    out->firmware_version = f->firmware_of[value[PPI_D_FIRMWARE]];
}

/* ---- merging: unions of combinations with the same decisions ---- */

static int cmp_rel(const ppi_rel_decision *a, const ppi_rel_decision *b)
{
    int32_t x[7] = { a->outcome, a->reason, a->rule, (int32_t)a->privileges,
                     (int32_t)a->advisories, a->product_role, a->limited_role };
    int32_t y[7] = { b->outcome, b->reason, b->rule, (int32_t)b->privileges,
                     (int32_t)b->advisories, b->product_role, b->limited_role };
    for (int i = 0; i < 7; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

/* Items compare by key, legacy, decisions; the context and shape take part
 * only when ordered by them (cmp_item_context). */
static int cmp_item(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    int c = memcmp(a->key, b->key, sizeof a->key);
    if (c == 0)
        c = a->legacy < b->legacy ? -1 : a->legacy > b->legacy;
    if (c == 0)
        c = cmp_rel(&a->old_rel, &b->old_rel);
    if (c == 0)
        c = cmp_rel(&a->new_rel, &b->new_rel);
    if (c == 0)
        c = a->seq < b->seq ? -1 : a->seq > b->seq;
    return c;
}

static bool same_group(const item *a, const item *b, bool legacy_too)
{
    return memcmp(a->key, b->key, sizeof a->key) == 0 &&
           (!legacy_too || a->legacy == b->legacy) && same_rel(&a->old_rel, &b->old_rel) &&
           same_rel(&a->new_rel, &b->new_rel);
}

/* Fold b into a (a is the earlier). */
static void fold(item *a, const item *b)
{
    for (int k = 0; k < PPI_NDIMS; k++) {
        a->covers[k] |= b->covers[k];
        a->realized[k] |= b->realized[k];
    }
    a->legacy |= b->legacy;
}

/* Merge items that differ in one fact only, fact by fact, until nothing
 * merges.  Returns the new count. */
static size_t merge_facts(item *items, size_t n)
{
    for (bool merged = true; merged && n > 1;) {
        merged = false;
        for (int dim = 0; dim < PPI_NDIMS; dim++) {
            for (size_t i = 0; i < n; i++) {
                memcpy(items[i].key, items[i].covers, sizeof items[i].key);
                items[i].key[dim] = 0;
            }
            qsort(items, n, sizeof *items, cmp_item);
            size_t out = 0;
            for (size_t i = 0; i < n; i++) {
                if (out > 0 && same_group(&items[out - 1], &items[i], true)) {
                    fold(&items[out - 1], &items[i]);
                    merged = true;
                } else {
                    items[out++] = items[i];
                }
            }
            n = out;
        }
    }
    return n;
}

/* Merge items that differ in their legacy pairs only. */
static size_t merge_legacy(item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        memcpy(items[i].key, items[i].covers, sizeof items[i].key);
    qsort(items, n, sizeof *items, cmp_item);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && same_group(&items[out - 1], &items[i], false))
            fold(&items[out - 1], &items[i]);
        else
            items[out++] = items[i];
    }
    return out;
}

/* ---- the enumeration ---- */

static int limit_error(const walker *w, pp_error *err)
{
    return ppi_error_set(err, PP_ERR_LIMIT, 0, 0, 0,
                         "the device-class analysis needs more than %llu classes "
                         "(%u products); raise pp_diff_options.max_classes",
                         (unsigned long long)w->max, w->d->nproducts);
}

/* Every combination of facts of (ctx, l): decide, keep the changed ones in
 * w->raw. */
static int enumerate(walker *w, ppi_context ctx, unsigned l, pp_error *err)
{
    facts f;
    if (!compute_facts(w, &f, ctx, l))
        return PP_OK;
    unsigned vals[PPI_NDIMS][MAX_VALUES];
    unsigned nvals[PPI_NDIMS];
    uint64_t total = 1;
    for (int dim = 0; dim < PPI_NDIMS; dim++) {
        nvals[dim] = 0;
        for (unsigned v = 0; v < ppi_dim_size[dim]; v++)
            if (f.mask[dim] & (1u << v))
                vals[dim][nvals[dim]++] = v;
        total *= nvals[dim];
    }
    if (w->d->examined + total > w->max)
        return limit_error(w, err);
    unsigned at[PPI_NDIMS] = { 0 };
    size_t first = w->raw.n;
    for (uint64_t k = 0; k < total; k++) {
        unsigned value[PPI_NDIMS];
        for (int dim = 0; dim < PPI_NDIMS; dim++)
            value[dim] = vals[dim][at[dim]];
        pp_device rep;
        representative(w, &f, value, &rep);
        pp_decision od, nd;
        pp_decide(&od, w->pol[0], NULL, &rep);
        pp_decide(&nd, w->pol[1], NULL, &rep);
        w->d->examined++;
        uint64_t seq = w->seq++;
        if (!same_decision(&od, &nd)) {
            item *it = ppi_vec_push(&w->raw, w->hook);
            if (it == NULL)
                return PP_ERR_NOMEM;
            for (int dim = 0; dim < PPI_NDIMS; dim++) {
                it->covers[dim] = (1u << value[dim]) | (~f.mask[dim] & FULL(dim));
                it->realized[dim] = 1u << value[dim];
            }
            it->legacy = 1u << l;
            it->old_rel = relative(&od, f.C, f.F);
            it->new_rel = relative(&nd, f.C, f.F);
            it->ctx = ctx;
            it->shape = context_shape(ctx);
            it->seq = seq;
            it->rep = rep;
            it->old_d = od;
            it->new_d = nd;
        }
        for (int dim = PPI_NDIMS - 1; dim >= 0; dim--) {
            if (++at[dim] < nvals[dim])
                break;
            at[dim] = 0;
        }
    }
    size_t n = merge_facts((item *)w->raw.data + first, w->raw.n - first);
    w->raw.n = first + n;
    return PP_OK;
}

/* One context: every legacy pair, merged, appended to w->all. */
static int walk_context(walker *w, ppi_context ctx, pp_error *err)
{
    w->raw.n = 0;
    for (unsigned l = 0; l < 4; l++) {
        int rc = enumerate(w, ctx, l, err);
        if (rc != PP_OK)
            return rc;
    }
    size_t n = merge_legacy(w->raw.data, w->raw.n);
    for (size_t i = 0; i < n; i++) {
        item *it = ppi_vec_push(&w->all, w->hook);
        if (it == NULL)
            return PP_ERR_NOMEM;
        *it = ((item *)w->raw.data)[i];
    }
    return PP_OK;
}

static int walk_all(walker *w, pp_error *err)
{
    const pp_diff *d = w->d;
    int32_t nslots = (int32_t)d->nproducts + 1; /* the last one: UNKNOWN */
#define SLOT(i) ((i) == nslots - 1 ? PPI_SLOT_UNKNOWN : (i))
    int rc = walk_context(w, (ppi_context){ PPI_SLOT_NONE, PPI_SLOT_NONE }, err);
    static const ppi_shape order[] = { PPI_SHAPE_FIRMWARE_ONLY, PPI_SHAPE_CLOUD_ONLY,
                                       PPI_SHAPE_SAME, PPI_SHAPE_FIRMWARE_WINS,
                                       PPI_SHAPE_CLOUD_WINS };
    for (size_t o = 0; o < sizeof order / sizeof order[0] && rc == PP_OK; o++) {
        for (int32_t i = 0; i < nslots && rc == PP_OK; i++) {
            int32_t s = SLOT(i);
            ppi_context ctx;
            switch (order[o]) {
            case PPI_SHAPE_FIRMWARE_ONLY: ctx = (ppi_context){ PPI_SLOT_NONE, s }; break;
            case PPI_SHAPE_CLOUD_ONLY: ctx = (ppi_context){ s, PPI_SLOT_NONE }; break;
            case PPI_SHAPE_SAME: ctx = (ppi_context){ s, PPI_SLOT_SAME }; break;
            case PPI_SHAPE_FIRMWARE_WINS: ctx = (ppi_context){ PPI_SLOT_OTHER, s }; break;
            default: ctx = (ppi_context){ s, PPI_SLOT_OTHER }; break;
            }
            rc = walk_context(w, ctx, err);
        }
    }
    /* Only where the legacy threshold moved does P differ between the
     * policies, and then both products matter. */
    if (ppi_version_cmp(&d->old_p->legacy_below, &d->new_p->legacy_below) != 0)
        for (int32_t i = 0; i < nslots && rc == PP_OK; i++)
            for (int32_t j = 0; j < nslots && rc == PP_OK; j++)
                if (i != j || SLOT(i) == PPI_SLOT_UNKNOWN)
                    rc = walk_context(w, (ppi_context){ SLOT(i), SLOT(j) }, err);
#undef SLOT
    return rc;
}

static int cmp_item_group(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    if (a->shape != b->shape)
        return a->shape < b->shape ? -1 : 1;
    return cmp_item(pa, pb);
}

static int cmp_class_seq(const void *pa, const void *pb)
{
    const ppi_class *a = pa, *b = pb;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Group the merged items of all contexts into classes: same shape, legacy
 * pairs, facts and decisions, over a list of contexts.  Classes come in the
 * order of their first record, contexts in enumeration order. */
static int group(walker *w)
{
    pp_diff *d = w->d;
    item *items = w->all.data;
    size_t n = w->all.n;
    for (size_t i = 0; i < n; i++)
        memcpy(items[i].key, items[i].covers, sizeof items[i].key);
    qsort(items, n, sizeof *items, cmp_item_group);
    ppi_vec classes, contexts;
    ppi_vec_init(&classes, sizeof(ppi_class));
    ppi_vec_init(&contexts, sizeof(ppi_context));
    int rc = PP_OK;
    for (size_t i = 0; i < n && rc == PP_OK;) {
        size_t j = i + 1;
        while (j < n && items[j].shape == items[i].shape && same_group(&items[i], &items[j], true))
            j++;
        ppi_class *c = ppi_vec_push(&classes, w->hook);
        if (c == NULL) {
            rc = PP_ERR_NOMEM;
            break;
        }
        /* Sorted by seq within the group: items[i] has the first record. */
        c->shape = items[i].shape;
        c->legacy = items[i].legacy;
        c->old_rel = items[i].old_rel;
        c->new_rel = items[i].new_rel;
        c->seq = items[i].seq;
        c->first_context = contexts.n;
        c->ncontexts = j - i;
        memcpy(c->covers, items[i].covers, sizeof c->covers);
        c->pub.representative = items[i].rep;
        c->pub.old_decision = items[i].old_d;
        c->pub.new_decision = items[i].new_d;
        c->pub.privileges_gained = items[i].new_d.privileges & ~items[i].old_d.privileges;
        c->pub.privileges_lost = items[i].old_d.privileges & ~items[i].new_d.privileges;
        for (size_t k = i; k < j && rc == PP_OK; k++) {
            for (int dim = 0; dim < PPI_NDIMS; dim++)
                c->realized[dim] |= items[k].realized[dim];
            ppi_context *ctx = ppi_vec_push(&contexts, w->hook);
            if (ctx == NULL)
                rc = PP_ERR_NOMEM;
            else
                *ctx = items[k].ctx;
        }
        i = j;
    }
    if (rc == PP_OK)
        qsort(classes.data, classes.n, sizeof(ppi_class), cmp_class_seq);
    bool ok = rc == PP_OK;
    d->nclasses = classes.n;
    d->classes = ppi_vec_keep(&classes, &d->arena, &ok);
    d->ncontexts = contexts.n;
    d->contexts = ppi_vec_keep(&contexts, &d->arena, &ok);
    return rc != PP_OK ? rc : ok ? PP_OK : PP_ERR_NOMEM;
}

/* Copy a class's representative strings into the diff, and describe it. */
static int finish(pp_diff *d)
{
    ppi_words words;
    ppi_words_init(&words);
    int rc = PP_OK;
    for (size_t i = 0; i < d->nclasses && rc == PP_OK; i++) {
        ppi_class *c = &d->classes[i];
        pp_device *r = &c->pub.representative;
        char *id = ppi_arena_strndup(&d->arena, r->id, r->id_len);
        char *os = ppi_arena_strndup(&d->arena, r->device_os, r->device_os_len);
        char *sku = r->sku == NULL ? NULL : ppi_arena_strndup(&d->arena, r->sku, r->sku_len);
        char *owner = r->owner == NULL ? NULL
                                       : ppi_arena_strndup(&d->arena, r->owner, r->owner_len);
        if (id == NULL || os == NULL || (r->sku != NULL && sku == NULL) ||
            (r->owner != NULL && owner == NULL))
            rc = PP_ERR_NOMEM;
        r->id = id;
        r->device_os = os;
        r->sku = sku;
        r->owner = owner;
        c->pub.description = ppi_class_describe(d, c, &words);
        if (c->pub.description == NULL)
            rc = PP_ERR_NOMEM;
    }
    ppi_words_free(&words, &d->arena.hook);
    return rc;
}

int ppi_diff_classes(pp_diff *d, uint64_t max_classes, pp_error *err)
{
    walker w;
    memset(&w, 0, sizeof w);
    w.d = d;
    w.pol[0] = d->old_p;
    w.pol[1] = d->new_p;
    w.hook = &d->arena.hook;
    w.max = max_classes == 0 ? DEFAULT_MAX_CLASSES : max_classes;
    ppi_vec_init(&w.raw, sizeof(item));
    ppi_vec_init(&w.all, sizeof(item));
    int rc = build_products(d);
    if (rc == PP_OK)
        rc = build_versions(&w);
    if (rc == PP_OK)
        rc = build_models(&w);
    if (rc == PP_OK)
        rc = walk_all(&w, err);
    if (rc == PP_OK)
        rc = group(&w);
    ppi_vec_free(&w.raw, w.hook);
    ppi_vec_free(&w.all, w.hook);
    if (rc == PP_OK)
        rc = finish(d);
    if (rc == PP_ERR_NOMEM)
        ppi_error_set(err, rc, 0, 0, 0, "out of memory while comparing device classes");
    return rc;
}

/* ---- a concrete record's class ---- */

static int32_t slot_of(const pp_diff *d, uint32_t id)
{
    if (id == 0)
        return PPI_SLOT_NONE;
    int32_t s = product_slot(d, id);
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

static void instantiate(pp_decision *out, const pp_decision *rep, const ppi_rel_decision *r,
                        uint32_t C, uint32_t F)
{
    *out = *rep;
    out->product_id = r->product_role == PPI_ROLE_CLOUD ? C
                    : r->product_role == PPI_ROLE_FIRMWARE ? F : 0;
    out->limited_in = r->limited_role == PPI_ROLE_CLOUD ? C
                    : r->limited_role == PPI_ROLE_FIRMWARE ? F : 0;
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
    bool lo = is_legacy(d->old_p, &v), ln = is_legacy(d->new_p, &v);
    unsigned l = PPI_PAIR(lo, ln);
    uint32_t C = dev->cloud_product_id, F = dev->firmware_product_id;
    ppi_context ctx = { slot_of(d, C), F == 0 ? PPI_SLOT_NONE : F == C ? PPI_SLOT_SAME
                                                                     : slot_of(d, F) };
    if (context_shape(ctx) == PPI_SHAPE_BOTH && lo == ln) {
        if (lo)
            ctx.cloud = PPI_SLOT_OTHER;
        else
            ctx.firmware = PPI_SLOT_OTHER;
    }
    const pp_policy *pol[2] = { d->old_p, d->new_p };
    const ppi_product *pr[2];
    for (int k = 0; k < 2; k++) {
        uint32_t pid = product_in_question(C, F, k == 0 ? lo : ln);
        pr[k] = pid == 0 ? NULL : ppi_product_find(pol[k], pid);
    }
    unsigned value[PPI_NDIMS];
    value[PPI_D_BELOW] = PPI_PAIR(below_minimum(pr[0], &v), below_minimum(pr[1], &v));
    value[PPI_D_DENIED] = relation(dev->denied_in, C, F);
    value[PPI_D_REMOVED] = relation(dev->removed_from, C, F);
    value[PPI_D_QUARANTINED] = dev->quarantined_in != 0;
    value[PPI_D_OWNER] = dev->owner == NULL
                             ? 0
                             : 1 + PPI_PAIR(owner_on_team(pol[0], pr[0], dev->owner, dev->owner_len),
                                            owner_on_team(pol[1], pr[1], dev->owner, dev->owner_len));
    ppi_model m[2];
    for (int k = 0; k < 2; k++)
        ppi_model_resolve(&m[k], &pol[k]->families, dev->platform_id, dev->sku, dev->sku_len);
    value[PPI_D_MODEL] = join_of(pol[0], pr[0], &m[0]) * PPI_NJOINS + join_of(pol[1], pr[1], &m[1]);
    value[PPI_D_DEVELOPMENT] = dev->development != 0;
    value[PPI_D_FIRMWARE] = PPI_PAIR(pending(pr[0], dev->firmware_version),
                                     pending(pr[1], dev->firmware_version));

    for (size_t i = 0; i < d->nclasses; i++) {
        const ppi_class *c = &d->classes[i];
        if (!class_covers(d, c, ctx, l, value))
            continue;
        *index = i;
        if (old_out != NULL)
            instantiate(old_out, &c->pub.old_decision, &c->old_rel, C, F);
        if (new_out != NULL)
            instantiate(new_out, &c->pub.new_decision, &c->new_rel, C, F);
        break;
    }
    return PP_OK;
}
