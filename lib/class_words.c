/*
 * A changed device class in words: "a legacy device (Device OS below
 * 4.0.0-0), not in the cloud, firmware claims 14001, unowned".  Each fact
 * is named only when the class leaves out some value a record could have;
 * where the class also covers values no record can have, the shortest
 * phrase that is true of every record of the class and of no other record
 * is chosen.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diff.h"

typedef struct text {
    ppi_vec *buf;
    const pp_allocator *hook;
    bool failed;
} text;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void add(text *t, const char *fmt, ...)
{
    char piece[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(piece, sizeof piece, fmt, ap);
    va_end(ap);
    for (int i = 0; i < n && (size_t)i < sizeof piece - 1 && !t->failed; i++) {
        char *c = ppi_vec_push(t->buf, t->hook);
        if (c == NULL)
            t->failed = true;
        else
            *c = piece[i];
    }
}

/* Start a clause after the first. */
static void clause(text *t)
{
    add(t, ", ");
}

/* ---- facts true or false under each policy ---- */

/* Forms of a set of pairs (old << 1 | new), simplest first. */
static const struct pair_form {
    uint32_t set;
    const char *fmt;   /* %1$s: the positive phrase, %2$s: the negative */
} pair_forms[] = {
    { 0x8, "%1$s" },                                      /* TT */
    { 0x1, "%2$s" },                                      /* FF */
    { 0xC, "%1$s under the old policy" },                 /* TT TF */
    { 0x3, "%2$s under the old policy" },                 /* FT FF */
    { 0xA, "%1$s under the new policy" },                 /* TT FT */
    { 0x5, "%2$s under the new policy" },                 /* TF FF */
    { 0x4, "%1$s under the old policy, %2$s under the new" }, /* TF */
    { 0x2, "%2$s under the old policy, %1$s under the new" }, /* FT */
    { 0x9, "%1$s under both policies or neither" },       /* TT FF */
    { 0x6, "%1$s under one policy only" },                /* TF FT */
    { 0x7, "%2$s under at least one policy" },            /* not TT */
    { 0xE, "%1$s under at least one policy" },            /* not FF */
    { 0xD, "%1$s under the old policy or %2$s under the new" }, /* not FT */
    { 0xB, "%2$s under the old policy or %1$s under the new" }, /* not TF */
};

/* The phrase for the pairs a class covers: realized are the pairs its
 * records have, covers may add pairs no record has.  NULL: any pair. */
static void add_pairs(text *t, uint32_t realized, uint32_t covers, const char *pos,
                      const char *neg)
{
    for (size_t i = 0; i < sizeof pair_forms / sizeof pair_forms[0]; i++) {
        uint32_t s = pair_forms[i].set;
        if ((realized & ~s) == 0 && (s & ~covers) == 0) {
            /* Positional arguments are POSIX printf, not ISO C: substitute
             * by hand. */
            const char *f = pair_forms[i].fmt;
            while (*f != '\0') {
                if (f[0] == '%' && f[2] == '$') {
                    add(t, "%s", f[1] == '1' ? pos : neg);
                    f += 4;
                } else {
                    add(t, "%c", *f++);
                }
            }
            return;
        }
    }
}

/* ---- the Device OS ---- */

static void add_os(text *t, const pp_diff *d, uint32_t legacy)
{
    const ppi_version *to = &d->old_p->legacy_below, *tn = &d->new_p->legacy_below;
    int order = ppi_version_cmp(to, tn);
    const ppi_version *a = order <= 0 ? to : tn, *b = order <= 0 ? tn : to;
    /* The versions below a are legacy under both, from a to below b under
     * one (the policy with the higher threshold), from b on under neither. */
    unsigned mixed = order < 0 ? PPI_PAIR(0, 1) : PPI_PAIR(1, 0);
    ppi_version least;
    ppi_version_parse(&least, "0.0.0-0", 7);
    bool low = ppi_version_cmp(a, &least) > 0; /* some version is below a */
    bool s0 = legacy & (1u << PPI_PAIR(1, 1)), s2 = legacy & (1u << PPI_PAIR(0, 0));
    bool s1 = order != 0 && (legacy & (1u << mixed));
    bool all0 = !low || s0, all1 = order == 0 || s1;
    const char *one = order < 0 ? "new" : "old", *other = order < 0 ? "old" : "new";
    int an = (int)a->text_len, bn = (int)b->text_len;
    if (all0 && all1 && s2)
        add(t, "a device");
    else if (s0 && !s1 && !s2)
        add(t, order == 0 ? "a legacy device (Device OS below %.*s)"
                          : "a device legacy under both policies (Device OS below %.*s)",
            an, a->text);
    else if (!s0 && !s1 && s2)
        add(t, order == 0 ? "a device that is not legacy (Device OS %.*s or later)"
                          : "a device legacy under neither policy (Device OS %.*s or later)",
            bn, b->text);
    else if (!s0 && s1 && !s2)
        add(t, "a device legacy under the %s policy only (Device OS from %.*s to below %.*s)",
            one, an, a->text, bn, b->text);
    else if (s0 && s1 && !s2)
        add(t, "a device legacy under the %s policy (Device OS below %.*s)", one, bn, b->text);
    else if (!s0 && s1 && s2)
        add(t, "a device not legacy under the %s policy (Device OS %.*s or later)", other, an,
            a->text);
    else
        add(t, "a device legacy under both policies or neither (Device OS below %.*s, or %.*s "
               "or later)", an, a->text, bn, b->text);
}

/* ---- the products ---- */

static void add_slot(text *t, const pp_diff *d, int32_t slot)
{
    if (slot == PPI_SLOT_UNKNOWN)
        add(t, "a product neither policy holds");
    else
        add(t, "%u", (unsigned)d->products[slot]);
}

/* "14001, 14002 or 14006"; every product (and the unknown one): "any
 * product". */
static void add_slots(text *t, const pp_diff *d, const int32_t *slots, size_t n)
{
    bool unknown = false;
    size_t known = 0;
    for (size_t i = 0; i < n; i++) {
        if (slots[i] == PPI_SLOT_UNKNOWN)
            unknown = true;
        else
            known++;
    }
    if (known == d->nproducts && known > 1) {
        add(t, unknown ? "any product" : "any product of the policies");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            add(t, i + 1 == n ? " or " : ", ");
        add_slot(t, d, slots[i]);
    }
}

static bool has_slot(const int32_t *slots, size_t n, int32_t s)
{
    for (size_t i = 0; i < n; i++)
        if (slots[i] == s)
            return true;
    return false;
}

/* The distinct slots of one side of the class's contexts, in order. */
static size_t side_slots(const pp_diff *d, const ppi_class *c, bool cloud, int32_t *out)
{
    size_t n = 0;
    for (size_t k = 0; k < c->ncontexts; k++) {
        const ppi_context *x = &d->contexts[c->first_context + k];
        int32_t s = cloud ? x->cloud : x->firmware;
        if (!has_slot(out, n, s))
            out[n++] = s;
    }
    return n;
}

static void add_products(text *t, const pp_diff *d, const ppi_class *c, ppi_vec *slots)
{
    slots->n = 0;
    for (size_t k = 0; k < 2 * c->ncontexts; k++)
        if (ppi_vec_push(slots, t->hook) == NULL) {
            t->failed = true;
            return;
        }
    int32_t *a = slots->data, *b = a + c->ncontexts;
    size_t na = side_slots(d, c, true, a), nb = side_slots(d, c, false, b);
    switch (c->shape) {
    case PPI_SHAPE_NONE:
        add(t, "not in the cloud, firmware claims no product");
        break;
    case PPI_SHAPE_FIRMWARE_ONLY:
        add(t, "not in the cloud, firmware claims ");
        add_slots(t, d, b, nb);
        break;
    case PPI_SHAPE_CLOUD_ONLY:
        add(t, "in the cloud under ");
        add_slots(t, d, a, na);
        add(t, ", firmware claims no product");
        break;
    case PPI_SHAPE_SAME:
        add(t, "in the cloud under ");
        add_slots(t, d, a, na);
        add(t, ", firmware claims the same product");
        break;
    case PPI_SHAPE_FIRMWARE_WINS:
        add(t, "firmware claims ");
        add_slots(t, d, b, nb);
        add(t, ", in the cloud under another product");
        break;
    case PPI_SHAPE_CLOUD_WINS:
        add(t, "in the cloud under ");
        add_slots(t, d, a, na);
        add(t, ", firmware claims another product");
        break;
    default: {
        /* Pairs: one rectangle (every cloud product with every other
         * firmware product) reads best; otherwise each pair. */
        size_t rect = 0;
        for (size_t i = 0; i < na; i++)
            for (size_t j = 0; j < nb; j++)
                rect += a[i] != b[j] || a[i] == PPI_SLOT_UNKNOWN;
        if (rect == c->ncontexts) {
            add(t, "in the cloud under ");
            add_slots(t, d, a, na);
            add(t, ", firmware claims ");
            add_slots(t, d, b, nb);
            add(t, " (another product)");
        } else {
            for (size_t k = 0; k < c->ncontexts; k++) {
                const ppi_context *x = &d->contexts[c->first_context + k];
                add(t, k == 0 ? "in the cloud under " : " or under ");
                add_slot(t, d, x->cloud);
                add(t, " with firmware claiming ");
                add_slot(t, d, x->firmware);
            }
        }
    }
    }
}

/* ---- the lists ---- */

static const char *list_owner(ppi_shape shape, unsigned rel)
{
    bool cloud_decides = shape == PPI_SHAPE_CLOUD_ONLY || shape == PPI_SHAPE_SAME ||
                         shape == PPI_SHAPE_CLOUD_WINS;
    bool firmware_decides = shape == PPI_SHAPE_FIRMWARE_ONLY || shape == PPI_SHAPE_FIRMWARE_WINS;
    switch (rel) {
    case PPI_REL_CLOUD: return cloud_decides ? "its product" : "its cloud product";
    case PPI_REL_FIRMWARE: return firmware_decides ? "its product" : "the product its firmware claims";
    default: return "another product";
    }
}

/* denied_in or removed_from: what = "on the Denied list of" / "removed from". */
static void add_list(text *t, ppi_shape shape, uint32_t realized, uint32_t covers,
                     const char *what, const char *none, const char *some)
{
    uint32_t missing = ~covers & 0xF;
    if (realized == 1u << PPI_REL_NONE) {
        clause(t);
        add(t, "%s", none);
        return;
    }
    clause(t);
    if ((missing & (missing - 1)) == 0) {  /* one value left out */
        if (missing == 1u << PPI_REL_NONE)
            add(t, "%s", some);
        else
            for (unsigned v = 0; v < 4; v++)
                if (missing & (1u << v))
                    add(t, "not %s %s", what, list_owner(shape, v));
        return;
    }
    bool first = true;
    for (unsigned v = 0; v < 4; v++) {
        if (!(realized & (1u << v)))
            continue;
        add(t, first ? "" : " or ");
        first = false;
        if (v == PPI_REL_NONE)
            add(t, "%s", none);
        else
            add(t, "%s %s", what, list_owner(shape, v));
    }
}

/* ---- the model ---- */

static const char *join_phrase(unsigned j)
{
    switch (j) {
    case PPI_JOIN_FITS: return "fits its product's family";
    case PPI_JOIN_NOT_ELIGIBLE: return "is on a platform no product may hold";
    case PPI_JOIN_INCOMPATIBLE: return "is outside its product's family";
    case PPI_JOIN_SKU_REQUIRED: return "has no SKU that tells its family";
    default: return "has no product to fit";
    }
}

static void add_joins(text *t, uint32_t joins)
{
    bool first = true;
    for (unsigned j = 0; j < PPI_NJOINS; j++)
        if (joins & (1u << j)) {
            add(t, "%s%s", first ? "" : " or ", join_phrase(j));
            first = false;
        }
}

static void add_model(text *t, uint32_t realized, uint32_t covers)
{
    uint32_t old_set = 0, new_set = 0, all_diag = 1;
    for (unsigned v = 0; v < PPI_NJOINS * PPI_NJOINS; v++)
        if (realized & (1u << v)) {
            old_set |= 1u << (v / PPI_NJOINS);
            new_set |= 1u << (v % PPI_NJOINS);
            all_diag &= v / PPI_NJOINS == v % PPI_NJOINS;
        }
    /* Whether every (old, new) with old in os and new in ns is covered. */
    bool by_old = true, by_new = true;
    for (unsigned v = 0; v < PPI_NJOINS * PPI_NJOINS; v++) {
        bool in = covers & (1u << v);
        if ((old_set & (1u << (v / PPI_NJOINS))) && !in)
            by_old = false;
        if ((new_set & (1u << (v % PPI_NJOINS))) && !in)
            by_new = false;
    }
    clause(t);
    if (all_diag) {
        add(t, "its model ");
        add_joins(t, old_set);
    } else if (by_new) {
        add(t, "under the new policy its model ");
        add_joins(t, new_set);
    } else if (by_old) {
        add(t, "under the old policy its model ");
        add_joins(t, old_set);
    } else {
        bool first = true;
        for (unsigned v = 0; v < PPI_NJOINS * PPI_NJOINS; v++)
            if (realized & (1u << v)) {
                add(t, first ? "its model " : " or ");
                first = false;
                add(t, "%s under the old policy and %s under the new",
                    join_phrase(v / PPI_NJOINS), join_phrase(v % PPI_NJOINS));
            }
    }
}

static bool full(const ppi_class *c, int dim)
{
    return c->covers[dim] == (uint32_t)((1ull << ppi_dim_size[dim]) - 1);
}

void ppi_words_init(ppi_words *w)
{
    ppi_vec_init(&w->text, 1);
    ppi_vec_init(&w->slots, sizeof(int32_t));
}

void ppi_words_free(ppi_words *w, const pp_allocator *hook)
{
    ppi_vec_free(&w->text, hook);
    ppi_vec_free(&w->slots, hook);
}

char *ppi_class_describe(pp_diff *d, const ppi_class *c, ppi_words *w)
{
    w->text.n = 0;
    text t = { &w->text, &d->arena.hook, false };
    add_os(&t, d, c->legacy);
    if (!full(c, PPI_D_BELOW)) {
        clause(&t);
        add_pairs(&t, c->realized[PPI_D_BELOW], c->covers[PPI_D_BELOW],
                  "below its product's min_device_os", "not below its product's min_device_os");
    }
    clause(&t);
    add_products(&t, d, c, &w->slots);
    if (!full(c, PPI_D_DENIED))
        add_list(&t, c->shape, c->realized[PPI_D_DENIED], c->covers[PPI_D_DENIED],
                 "on the Denied list of", "on no Denied list", "on a Denied list");
    if (!full(c, PPI_D_REMOVED))
        add_list(&t, c->shape, c->realized[PPI_D_REMOVED], c->covers[PPI_D_REMOVED],
                 "removed from", "never removed from a product", "removed from a product");
    if (!full(c, PPI_D_QUARANTINED)) {
        clause(&t);
        add(&t, c->realized[PPI_D_QUARANTINED] & 2 ? "on a quarantine list"
                                                  : "on no quarantine list");
    }
    if (!full(c, PPI_D_OWNER)) {
        uint32_t r = c->realized[PPI_D_OWNER], cv = c->covers[PPI_D_OWNER];
        clause(&t);
        if (r == 1)
            add(&t, "unowned");
        else {
            add(&t, (r & 1) ? "unowned or owned by someone " : "owned by someone ");
            if ((cv >> 1) == 0xF)
                add(&t, "at all");
            else
                add_pairs(&t, r >> 1, cv >> 1, "on its product's team",
                          "not on its product's team");
        }
    }
    if (!full(c, PPI_D_MODEL))
        add_model(&t, c->realized[PPI_D_MODEL], c->covers[PPI_D_MODEL]);
    if (!full(c, PPI_D_DEVELOPMENT)) {
        clause(&t);
        add(&t, c->realized[PPI_D_DEVELOPMENT] & 2 ? "a development device"
                                                  : "not a development device");
    }
    if (!full(c, PPI_D_FIRMWARE)) {
        clause(&t);
        add_pairs(&t, c->realized[PPI_D_FIRMWARE], c->covers[PPI_D_FIRMWARE],
                  "not on its product's released firmware",
                  "on its product's released firmware (or it releases none)");
    }
    return t.failed ? NULL : ppi_arena_strndup(&d->arena, w->text.data, w->text.n);
}
