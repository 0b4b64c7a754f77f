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
 * changes, and has them merged into few classes (class_merge.c).  The facts
 * themselves, and pp_diff_class_of, which reads them off a concrete record,
 * are in class_facts.c.
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

/* ---- the facts of one (context, legacy pair) ---- */

static void set_value(facts *f, int dim, unsigned value)
{
    f->mask[dim] |= 1u << value;
}

static void owner_candidate(const walker *w, facts *f, const char *name, size_t len)
{
    bool in_old = ppi_owner_on_team(w->pol[0], f->s[0].pr, name, len);
    bool in_new = ppi_owner_on_team(w->pol[1], f->s[1].pr, name, len);
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
    if (!ppi_shape_allows(ppi_context_shape(ctx), l))
        return false;
    ppi_context_ids(d, ctx, &f->C, &f->F);
    for (int k = 0; k < 2; k++) {
        bool legacy = k == 0 ? PPI_PAIR_OLD(l) : PPI_PAIR_NEW(l);
        f->s[k].pid = ppi_product_in_question(f->C, f->F, legacy);
        f->s[k].pr = f->s[k].pid == 0 ? NULL : ppi_product_find(w->pol[k], f->s[k].pid);
    }
    for (size_t i = 0; i < w->nversions; i++) {
        const ppi_version *v = &w->versions[i].v;
        if (PPI_PAIR(ppi_is_legacy(w->pol[0], v), ppi_is_legacy(w->pol[1], v)) != l)
            continue;
        unsigned b = PPI_PAIR(ppi_below_minimum(f->s[0].pr, v), ppi_below_minimum(f->s[1].pr, v));
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
        unsigned v = ppi_join_of(w->pol[0], f->s[0].pr, &m->m[0]) * PPI_NJOINS +
                     ppi_join_of(w->pol[1], f->s[1].pr, &m->m[1]);
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
        unsigned v = PPI_PAIR(ppi_pending(f->s[0].pr, versions[i]), ppi_pending(f->s[1].pr, versions[i]));
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
        if (!ppi_same_decision(&od, &nd)) {
            ppi_item *it = ppi_vec_push(&w->raw, w->hook);
            if (it == NULL)
                return PP_ERR_NOMEM;
            for (int dim = 0; dim < PPI_NDIMS; dim++) {
                it->covers[dim] = (1u << value[dim]) | (~f.mask[dim] & FULL(dim));
                it->realized[dim] = 1u << value[dim];
            }
            it->legacy = 1u << l;
            it->old_rel = ppi_relative(&od, f.C, f.F);
            it->new_rel = ppi_relative(&nd, f.C, f.F);
            it->ctx = ctx;
            it->shape = ppi_context_shape(ctx);
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
    if (w->raw.n > first) /* (no items: data may still be NULL) */
        w->raw.n = first + ppi_merge_facts((ppi_item *)w->raw.data + first, w->raw.n - first);
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
    size_t n = ppi_merge_legacy(w->raw.data, w->raw.n);
    for (size_t i = 0; i < n; i++) {
        ppi_item *it = ppi_vec_push(&w->all, w->hook);
        if (it == NULL)
            return PP_ERR_NOMEM;
        *it = ((ppi_item *)w->raw.data)[i];
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
    ppi_vec_init(&w.raw, sizeof(ppi_item));
    ppi_vec_init(&w.all, sizeof(ppi_item));
    int rc = ppi_diff_products(d);
    if (rc == PP_OK)
        rc = build_versions(&w);
    if (rc == PP_OK)
        rc = build_models(&w);
    if (rc == PP_OK)
        rc = walk_all(&w, err);
    if (rc == PP_OK)
        rc = ppi_group_classes(d, &w.all);
    ppi_vec_free(&w.raw, w.hook);
    ppi_vec_free(&w.all, w.hook);
    if (rc == PP_OK)
        rc = finish(d);
    if (rc == PP_ERR_NOMEM)
        ppi_error_set(err, rc, 0, 0, 0, "out of memory while comparing device classes");
    return rc;
}

