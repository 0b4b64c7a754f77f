/*
 * Merging the changed combinations of facts into few classes (docs/diff.md):
 * two classes with the same two decisions that differ in one fact become
 * one, repeatedly, within a context and legacy pair (where the values each
 * fact can take do not depend on the others); then across legacy pairs and
 * across contexts into the classes the diff reports.  A merged class is the
 * union of what it merges, so it never covers a record that decides
 * otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* ---- merging: unions of combinations with the same decisions ---- */

static bool same_rel(const ppi_rel_decision *a, const ppi_rel_decision *b)
{
    return a->outcome == b->outcome && a->reason == b->reason && a->rule == b->rule &&
           a->privileges == b->privileges && a->advisories == b->advisories &&
           a->product_role == b->product_role && a->limited_role == b->limited_role;
}

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
    const ppi_item *a = pa, *b = pb;
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

static bool same_group(const ppi_item *a, const ppi_item *b, bool legacy_too)
{
    return memcmp(a->key, b->key, sizeof a->key) == 0 &&
           (!legacy_too || a->legacy == b->legacy) && same_rel(&a->old_rel, &b->old_rel) &&
           same_rel(&a->new_rel, &b->new_rel);
}

/* Fold b into a (a is the earlier). */
static void fold(ppi_item *a, const ppi_item *b)
{
    for (int k = 0; k < PPI_NDIMS; k++) {
        a->covers[k] |= b->covers[k];
        a->realized[k] |= b->realized[k];
    }
    a->legacy |= b->legacy;
}

/* Merge items that differ in one fact only, fact by fact, until nothing
 * merges.  Returns the new count. */
size_t ppi_merge_facts(ppi_item *items, size_t n)
{
    for (bool merged = true; merged && n > 1;) {
        merged = false;
        for (int dim = 0; dim < PPI_NDIMS; dim++) {
            for (size_t i = 0; i < n; i++) {
                memcpy(items[i].key, items[i].covers, sizeof items[i].key);
                items[i].key[dim] = 0;
            }
            ppi_sort(items, n, sizeof *items, cmp_item);
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
size_t ppi_merge_legacy(ppi_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        memcpy(items[i].key, items[i].covers, sizeof items[i].key);
    ppi_sort(items, n, sizeof *items, cmp_item);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && same_group(&items[out - 1], &items[i], false))
            fold(&items[out - 1], &items[i]);
        else
            items[out++] = items[i];
    }
    return out;
}


static int cmp_item_group(const void *pa, const void *pb)
{
    const ppi_item *a = pa, *b = pb;
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
int ppi_group_classes(pp_diff *d, ppi_vec *all)
{
    const pp_allocator *hook = &d->arena.hook;
    ppi_item *items = all->data;
    size_t n = all->n;
    for (size_t i = 0; i < n; i++)
        memcpy(items[i].key, items[i].covers, sizeof items[i].key);
    ppi_sort(items, n, sizeof *items, cmp_item_group);
    ppi_vec classes, contexts;
    ppi_vec_init(&classes, sizeof(ppi_class));
    ppi_vec_init(&contexts, sizeof(ppi_context));
    int rc = PP_OK;
    for (size_t i = 0; i < n && rc == PP_OK;) {
        size_t j = i + 1;
        while (j < n && items[j].shape == items[i].shape && same_group(&items[i], &items[j], true))
            j++;
        ppi_class *c = ppi_vec_push(&classes, hook);
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
            ppi_context *ctx = ppi_vec_push(&contexts, hook);
            if (ctx == NULL)
                rc = PP_ERR_NOMEM;
            else
                *ctx = items[k].ctx;
        }
        i = j;
    }
    if (rc == PP_OK)
        ppi_sort(classes.data, classes.n, sizeof(ppi_class), cmp_class_seq);
    bool ok = rc == PP_OK;
    d->nclasses = classes.n;
    d->classes = ppi_vec_keep(&classes, &d->arena, &ok);
    d->ncontexts = contexts.n;
    d->contexts = ppi_vec_keep(&contexts, &d->arena, &ok);
    return rc != PP_OK ? rc : ok ? PP_OK : PP_ERR_NOMEM;
}

