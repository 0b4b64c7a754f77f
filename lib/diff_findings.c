/*
 * The security findings a policy change brings in or takes away: the
 * findings of pp_check_policy for both policies, compared, each attached to
 * the change of the element it is about (docs/diff.md).
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* Findings of one policy, sorted by (code, product, subject). */
static int findings_of(pp_diff *d, const pp_policy *p, pp_finding **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t total = 0;
    if (pp_check_policy(&total, NULL, 0, p) != PP_OK || total == 0)
        return PP_OK;
    if ((*out = ppi_arena_alloc(&d->arena, total * sizeof **out)) == NULL)
        return PP_ERR_NOMEM;
    pp_check_policy(n, *out, total, p);
    return PP_OK;
}

/* A finding about a product names the product as its subject: the product
 * ID identifies it (a renamed product keeps its findings). */
static bool about_product(const pp_finding *f)
{
    return f->code == PP_FINDING_AUTO_APPROVE_ENABLED ||
           f->code == PP_FINDING_AUTO_APPROVE_READMITS_DENIED ||
           f->code == PP_FINDING_LTS_NOT_REQUIRED;
}

static int cmp_finding(const void *pa, const void *pb)
{
    const pp_finding *a = pa, *b = pb;
    if (a->code != b->code)
        return a->code < b->code ? -1 : 1;
    if (a->product_id != b->product_id)
        return a->product_id < b->product_id ? -1 : 1;
    if (about_product(a))
        return 0;
    ppi_str x = { a->subject, (uint32_t)a->subject_len }, y = { b->subject, (uint32_t)b->subject_len };
    return ppi_str_cmp(&x, &y);
}

static bool subject_is(const pp_finding *f, const char *s)
{
    return s != NULL && f->subject_len == strlen(s) && memcmp(f->subject, s, f->subject_len) == 0;
}

/* Whether change c brings in (introduced) or takes away finding f: the
 * change of the element the check looks at. */
static bool comes_with(const pp_change *c, const pp_finding *f, bool introduced)
{
    const char *key = c->key == NULL ? "" : c->key;
    switch (f->code) {
    case PP_FINDING_TWO_STEP_DISABLED:
        return c->product_id == f->product_id && subject_is(f, c->subject) &&
               (c->kind == (introduced ? PP_CHANGE_MEMBER_ADDED : PP_CHANGE_MEMBER_REMOVED) ||
                (c->kind == PP_CHANGE_MEMBER_CHANGED && strcmp(key, "two_step") == 0));
    case PP_FINDING_ORGANIZATION_LEVEL_API_USER:
        return subject_is(f, c->subject) &&
               (c->kind == (introduced ? PP_CHANGE_API_USER_ADDED : PP_CHANGE_API_USER_REMOVED) ||
                (c->kind == PP_CHANGE_API_USER_CHANGED && strcmp(key, "organization_level") == 0));
    case PP_FINDING_AUTO_APPROVE_ENABLED:
    case PP_FINDING_AUTO_APPROVE_READMITS_DENIED:
        return c->product_id == f->product_id &&
               (c->kind == (introduced ? PP_CHANGE_PRODUCT_ADDED : PP_CHANGE_PRODUCT_REMOVED) ||
                (c->kind == PP_CHANGE_PRODUCT_CHANGED && strcmp(key, "unrecognized_devices") == 0));
    case PP_FINDING_LTS_NOT_REQUIRED:
        return (c->kind == PP_CHANGE_SETTING && strcmp(key, "require_lts") == 0) ||
               (c->product_id == f->product_id &&
                (c->kind == (introduced ? PP_CHANGE_PRODUCT_ADDED : PP_CHANGE_PRODUCT_REMOVED) ||
                 (c->kind == PP_CHANGE_PRODUCT_CHANGED && strcmp(key, "require_lts") == 0)));
    default:
        return false;
    }
}

static int add_finding(pp_diff *d, ppi_vec *v, const pp_finding *f, bool introduced)
{
    pp_diff_finding *x = ppi_vec_push(v, &d->arena.hook);
    if (x == NULL)
        return PP_ERR_NOMEM;
    x->introduced = introduced;
    x->change = PP_DIFF_NONE;
    x->finding = *f;
    for (size_t i = 0; i < d->nchanges; i++)
        if (comes_with(&d->changes[i], f, introduced)) {
            x->change = i;
            if (introduced)
                d->changes[i].findings_introduced++;
            else
                d->changes[i].findings_resolved++;
            break;
        }
    return PP_OK;
}

int ppi_diff_findings(pp_diff *d)
{
    size_t no, nn;
    pp_finding *fo, *fn;
    int rc = findings_of(d, d->old_p, &fo, &no);
    if (rc == PP_OK)
        rc = findings_of(d, d->new_p, &fn, &nn);
    if (rc != PP_OK)
        return rc;
    ppi_sort(fo, no, sizeof *fo, cmp_finding);
    ppi_sort(fn, nn, sizeof *fn, cmp_finding);
    ppi_vec v;
    ppi_vec_init(&v, sizeof(pp_diff_finding));
    size_t i = 0, j = 0;
    while ((i < no || j < nn) && rc == PP_OK) {
        int c = i == no ? 1 : j == nn ? -1 : cmp_finding(&fo[i], &fn[j]);
        if (c < 0)
            rc = add_finding(d, &v, &fo[i++], false);
        else if (c > 0)
            rc = add_finding(d, &v, &fn[j++], true);
        else
            i++, j++;
    }
    bool ok = rc == PP_OK;
    d->nfindings = v.n;
    d->findings = ppi_vec_keep(&v, &d->arena, &ok);
    return ok ? rc : PP_ERR_NOMEM;
}

