/*
 * The policy diff (docs/diff.md): building the diff object and reading it
 * through the pp_diff_ accessors, and what its parts share.  The semantic
 * changes are in diff_changes.c, the findings they bring in
 * diff_findings.c, the device classes in class_facts.c, classes.c,
 * class_merge.c and class_words.c, operator authorization in
 * diff_authorize.c.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

char *ppi_diff_printf(pp_diff *d, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    return ppi_arena_strndup(&d->arena, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* ---- growable arrays ---- */

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

/* ---- what the diff's files share ---- */

int ppi_str_cmp(const void *a, const void *b)
{
    const ppi_str *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->ptr, y->ptr, n);
    return c != 0 ? c : x->len < y->len ? -1 : x->len > y->len;
}



static int build_teams(pp_diff *d, const pp_policy *p, ppi_team_index *t)
{
    uint32_t nteams = p->norgs + p->nproducts;
    t->first = ppi_arena_alloc(&d->arena, ((size_t)nteams + 2) * sizeof(uint32_t));
    t->members = ppi_arena_alloc(&d->arena, ((size_t)p->nmembers + 1) * sizeof(uint32_t));
    if (t->first == NULL || t->members == NULL)
        return PP_ERR_NOMEM;
    /* Counting sort by team. */
    for (uint32_t i = 0; i < p->nmembers; i++)
        t->first[p->members[i].team + 2]++;
    for (uint32_t i = 2; i < nteams + 2; i++)
        t->first[i] += t->first[i - 1];
    for (uint32_t i = 0; i < p->nmembers; i++)
        t->members[t->first[p->members[i].team + 1]++] = i;
    return PP_OK;
}

static bool name_in(const pp_policy *p, const char *name, size_t len)
{
    for (uint32_t i = 0; i < p->nmembers; i++)
        if (p->members[i].name_len == len && memcmp(p->members[i].name, name, len) == 0)
            return true;
    return false;
}

static int build_outsider(pp_diff *d)
{
    for (unsigned n = 0;; n++) {
        char *name = n == 0 ? ppi_diff_printf(d, "someone-else@example.invalid")
                            : ppi_diff_printf(d, "someone-else-%u@example.invalid", n);
        if (name == NULL)
            return PP_ERR_NOMEM;
        size_t len = strlen(name);
        if (!name_in(d->old_p, name, len) && !name_in(d->new_p, name, len)) {
            d->outsider = name;
            d->outsider_len = len;
            return PP_OK;
        }
    }
}

/* ---- the public entry points ---- */

void pp_diff_free(pp_diff *d)
{
    if (d == NULL)
        return;
    pp_policy_free(d->old_p);
    pp_policy_free(d->new_p);
    /* The diff lives in its own arena: copy the arena out first. */
    ppi_arena arena = d->arena;
    ppi_arena_free_all(&arena);
}

int pp_policy_diff(pp_diff **out, const pp_policy *old_policy, const pp_policy *new_policy,
                   const pp_diff_options *options, pp_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || old_policy == NULL || new_policy == NULL)
        return ppi_error_set(err, PP_ERR_INVALID_ARGUMENT, 0, 0, 0, "%s",
                             out == NULL ? "out is NULL" : "a policy is NULL");
    pp_diff_options opt = PP_DIFF_OPTIONS_INIT;
    if (options != NULL)
        opt = *options;
    /* Half a hook would free with the wrong function. */
    if (opt.version != PP_DIFF_OPTIONS_VERSION ||
        (opt.allocator.alloc == NULL) != (opt.allocator.free == NULL))
        return ppi_error_set(err, PP_ERR_INVALID_ARGUMENT, 0, 0, 0,
                             "options: version must be PP_DIFF_OPTIONS_VERSION and an "
                             "allocator needs both alloc and free");
    ppi_arena arena;
    ppi_arena_init(&arena, &opt.allocator);
    pp_diff *d = ppi_arena_alloc(&arena, sizeof *d);
    if (d == NULL) {
        ppi_arena_free_all(&arena);
        return ppi_error_set(err, PP_ERR_NOMEM, 0, 0, 0, "out of memory");
    }
    d->arena = arena;
    /* The diff points into both policies (names, findings' subjects).
     * Retaining changes only the atomic count, never the rules. */
    d->old_p = pp_policy_retain((pp_policy *)(uintptr_t)old_policy);
    d->new_p = pp_policy_retain((pp_policy *)(uintptr_t)new_policy);

    int rc = build_teams(d, d->old_p, &d->teams[0]);
    if (rc == PP_OK)
        rc = build_teams(d, d->new_p, &d->teams[1]);
    if (rc == PP_OK)
        rc = build_outsider(d);
    if (rc == PP_OK)
        rc = ppi_diff_changes(d);
    if (rc == PP_OK)
        rc = ppi_diff_findings(d);
    if (rc == PP_OK)
        rc = ppi_diff_classes(d, opt.max_classes, err);
    else
        ppi_error_set(err, rc, 0, 0, 0, "out of memory");
    if (rc == PP_OK && (rc = ppi_diff_authorizations(d)) != PP_OK)
        ppi_error_set(err, rc, 0, 0, 0, "out of memory");
    if (rc != PP_OK) {
        pp_diff_free(d);
        return rc;
    }
    *out = d;
    return ppi_error_set(err, PP_OK, 0, 0, 0, "%s", "");
}

size_t pp_diff_change_count(const pp_diff *d)
{
    return d == NULL ? 0 : d->nchanges;
}

int pp_diff_change_at(pp_change *out, const pp_diff *d, size_t index)
{
    if (out == NULL || d == NULL || index >= d->nchanges)
        return PP_ERR_INVALID_ARGUMENT;
    *out = d->changes[index];
    return PP_OK;
}

size_t pp_diff_finding_count(const pp_diff *d)
{
    return d == NULL ? 0 : d->nfindings;
}

int pp_diff_finding_at(pp_diff_finding *out, const pp_diff *d, size_t index)
{
    if (out == NULL || d == NULL || index >= d->nfindings)
        return PP_ERR_INVALID_ARGUMENT;
    *out = d->findings[index];
    return PP_OK;
}

size_t pp_diff_device_class_count(const pp_diff *d)
{
    return d == NULL ? 0 : d->nclasses;
}

int pp_diff_device_class_at(pp_device_class *out, const pp_diff *d, size_t index)
{
    if (out == NULL || d == NULL || index >= d->nclasses)
        return PP_ERR_INVALID_ARGUMENT;
    *out = d->classes[index].pub;
    return PP_OK;
}

uint64_t pp_diff_classes_examined(const pp_diff *d)
{
    return d == NULL ? 0 : d->examined;
}

size_t pp_diff_authorization_count(const pp_diff *d)
{
    return d == NULL ? 0 : d->nauthz;
}

int pp_diff_authorization_at(pp_authorization_change *out, const pp_diff *d, size_t index)
{
    if (out == NULL || d == NULL || index >= d->nauthz)
        return PP_ERR_INVALID_ARGUMENT;
    *out = d->authz[index];
    return PP_OK;
}
