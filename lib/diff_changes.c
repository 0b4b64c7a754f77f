/*
 * The semantic changes of a policy diff (docs/diff.md): the compiled forms
 * compared element by element, each keyed by what the YAML names it by
 * (product IDs, organization and user names, platform IDs, SKU prefixes,
 * family names), so order, comments and layout never show.  Each change gets
 * its direction: loosening when some device or person may gain by it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* ---- recording changes ---- */

typedef struct builder {
    pp_diff *d;
    ppi_vec changes;
    int rc;
} builder;

static pp_change *change(builder *b, pp_change_kind kind, pp_direction direction, uint32_t product,
                         const char *org, const char *subject, const char *key,
                         const char *old_value, const char *new_value)
{
    if (b->rc != PP_OK)
        return NULL;
    pp_change *c = ppi_vec_push(&b->changes, &b->d->arena.hook);
    if (c == NULL) {
        b->rc = PP_ERR_NOMEM;
        return NULL;
    }
    *c = (pp_change){ kind, direction, product, org, subject, key, old_value, new_value, 0, 0 };
    return c;
}

/* Text of a value, kept by the diff; on failure the builder fails. */
static const char *num(builder *b, uint64_t v)
{
    char *s = ppi_diff_printf(b->d, "%" PRIu64, v);
    if (s == NULL)
        b->rc = PP_ERR_NOMEM;
    return s;
}

static const char *boolean(bool v)
{
    return v ? "true" : "false";
}

static pp_direction looser_if(bool loosens)
{
    return loosens ? PP_DIRECTION_LOOSENING : PP_DIRECTION_TIGHTENING;
}

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* ---- sorted views of the compiled elements ---- */

static int cmp_cstr(const char *a, const char *b)
{
    return strcmp(a, b);
}

/* qsort over indexes needs the policy: sort (key, index) records instead. */
typedef struct keyed {
    const char *name;       /* NULL when keyed by number */
    uint64_t number;
    uint32_t group;         /* primary key: team kind etc. */
    uint32_t index;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->number != b->number)
        return a->number < b->number ? -1 : 1;
    if (a->name != NULL && b->name != NULL)
        return cmp_cstr(a->name, b->name);
    return 0;
}

/* A sorted view of n elements; key(i) fills one record.  NULL on failure
 * (or n == 0). */
static keyed *sorted(builder *b, size_t n, void (*key)(const pp_policy *, uint32_t, keyed *),
                     const pp_policy *p)
{
    if (n == 0 || b->rc != PP_OK)
        return NULL;
    keyed *k = ppi_arena_alloc(&b->d->arena, n * sizeof *k);
    if (k == NULL) {
        b->rc = PP_ERR_NOMEM;
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        key(p, i, &k[i]);
        k[i].index = i;
    }
    ppi_sort(k, n, sizeof *k, cmp_keyed);
    return k;
}

/* Walk two sorted views together: f(b, old index or -1, new index or -1). */
typedef void (*pair_fn)(builder *b, int64_t o, int64_t n);

static void walk(builder *b, const keyed *ko, size_t no, const keyed *kn, size_t nn, pair_fn f)
{
    size_t i = 0, j = 0;
    while ((i < no || j < nn) && b->rc == PP_OK) {
        int c = i == no ? 1 : j == nn ? -1 : cmp_keyed(&ko[i], &kn[j]);
        if (c < 0)
            f(b, ko[i++].index, -1);
        else if (c > 0)
            f(b, -1, kn[j++].index);
        else
            f(b, ko[i++].index, kn[j++].index);
    }
}

#define OLD (b->d->old_p)
#define NEW (b->d->new_p)

/* ---- settings ---- */

static void diff_settings(builder *b)
{
    const ppi_version *vo = &OLD->legacy_below, *vn = &NEW->legacy_below;
    if (ppi_version_cmp(vo, vn) != 0) {
        /* Either way some record gains: raised, a 4.x device that was denied
         * as not pre-added may be auto-approved; lowered, a limited device
         * may become a member with every privilege. */
        const char *o = ppi_arena_strndup(&b->d->arena, vo->text, vo->text_len);
        const char *n = ppi_arena_strndup(&b->d->arena, vn->text, vn->text_len);
        if (o == NULL || n == NULL)
            b->rc = PP_ERR_NOMEM;
        change(b, PP_CHANGE_SETTING, PP_DIRECTION_LOOSENING, 0, NULL, NULL,
               "legacy_device_os_below", o, n);
    }
    if (OLD->require_lts != NEW->require_lts)
        change(b, PP_CHANGE_SETTING, looser_if(!NEW->require_lts), 0, NULL, NULL, "require_lts",
               boolean(OLD->require_lts), boolean(NEW->require_lts));
    if (OLD->sim_notify_percent != NEW->sim_notify_percent)
        change(b, PP_CHANGE_SETTING,
               looser_if(NEW->sim_notify_percent > OLD->sim_notify_percent), 0, NULL, NULL,
               "sim_notify_percent", num(b, OLD->sim_notify_percent),
               num(b, NEW->sim_notify_percent));
}

/* ---- platforms, SKUs, families ---- */

static const char *family_text(const pp_policy *p, int32_t family)
{
    return family < 0 ? NULL : p->families.names[family];
}

static const char *platform_family(const pp_policy *p, const ppi_platform *pl)
{
    if (!pl->eligible)
        return NULL;
    return pl->family < 0 ? "by_sku" : family_text(p, pl->family);
}

static void platform_key(const pp_policy *p, uint32_t i, keyed *k)
{
    *k = (keyed){ NULL, p->families.platforms[i].id, 0, 0 };
}

static void platform_pair(builder *b, int64_t o, int64_t n)
{
    const ppi_platform *po = o < 0 ? NULL : &OLD->families.platforms[o];
    const ppi_platform *pn = n < 0 ? NULL : &NEW->families.platforms[n];
    const char *id = num(b, (po != NULL ? po : pn)->id);
    if (po == NULL) {
        change(b, PP_CHANGE_PLATFORM_ADDED, PP_DIRECTION_LOOSENING, 0, NULL, id, NULL, NULL, pn->name);
        return;
    }
    if (pn == NULL) {
        change(b, PP_CHANGE_PLATFORM_REMOVED, PP_DIRECTION_TIGHTENING, 0, NULL, id, NULL, po->name,
               NULL);
        return;
    }
    if (strcmp(po->name, pn->name) != 0)
        change(b, PP_CHANGE_PLATFORM_CHANGED, PP_DIRECTION_NEUTRAL, 0, NULL, id, "name", po->name,
               pn->name);
    if (po->eligible != pn->eligible)
        change(b, PP_CHANGE_PLATFORM_CHANGED, looser_if(pn->eligible), 0, NULL, id,
               "product_eligible", boolean(po->eligible), boolean(pn->eligible));
    const char *fo = platform_family(OLD, po), *fn = platform_family(NEW, pn);
    if (po->eligible && pn->eligible && !str_eq(fo, fn))
        change(b, PP_CHANGE_PLATFORM_CHANGED, PP_DIRECTION_LOOSENING, 0, NULL, id, "family", fo, fn);
}

static void sku_key(const pp_policy *p, uint32_t i, keyed *k)
{
    *k = (keyed){ p->families.skus[i].prefix, 0, 0, 0 };
}

/* A SKU change may move a model into another family: it may gain. */
static void sku_pair(builder *b, int64_t o, int64_t n)
{
    const ppi_sku *so = o < 0 ? NULL : &OLD->families.skus[o];
    const ppi_sku *sn = n < 0 ? NULL : &NEW->families.skus[n];
    if (so == NULL) {
        change(b, PP_CHANGE_SKU_ADDED, PP_DIRECTION_LOOSENING, 0, NULL, sn->prefix, NULL, NULL,
               family_text(NEW, sn->family));
        return;
    }
    if (sn == NULL) {
        change(b, PP_CHANGE_SKU_REMOVED, PP_DIRECTION_LOOSENING, 0, NULL, so->prefix, NULL,
               family_text(OLD, so->family), NULL);
        return;
    }
    if (so->platform_id != sn->platform_id)
        change(b, PP_CHANGE_SKU_CHANGED, PP_DIRECTION_LOOSENING, 0, NULL, sn->prefix, "platform",
               num(b, so->platform_id), num(b, sn->platform_id));
    const char *fo = family_text(OLD, so->family), *fn = family_text(NEW, sn->family);
    if (!str_eq(fo, fn))
        change(b, PP_CHANGE_SKU_CHANGED, PP_DIRECTION_LOOSENING, 0, NULL, sn->prefix, "family", fo, fn);
}

static void family_key(const pp_policy *p, uint32_t i, keyed *k)
{
    *k = (keyed){ p->families.names[i], 0, 0, 0 };
}

/* Families come and go with the platforms and SKUs that name them; those
 * changes carry the direction. */
static void family_pair(builder *b, int64_t o, int64_t n)
{
    if (o < 0)
        change(b, PP_CHANGE_FAMILY_ADDED, PP_DIRECTION_NEUTRAL, 0, NULL, NEW->families.names[n], NULL,
               NULL, NULL);
    else if (n < 0)
        change(b, PP_CHANGE_FAMILY_REMOVED, PP_DIRECTION_NEUTRAL, 0, NULL, OLD->families.names[o],
               NULL, NULL, NULL);
}

/* ---- organizations and their canary tokens ---- */

static void org_key(const pp_policy *p, uint32_t i, keyed *k)
{
    *k = (keyed){ p->orgs[i].name, 0, 0, 0 };
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A sorted copy of an organization's canary fingerprints. */
static uint64_t *canaries(builder *b, const pp_policy *p, const ppi_org *o)
{
    if (o == NULL || o->ncanaries == 0 || b->rc != PP_OK)
        return NULL;
    uint64_t *c = ppi_arena_alloc(&b->d->arena, o->ncanaries * sizeof *c);
    if (c == NULL) {
        b->rc = PP_ERR_NOMEM;
        return NULL;
    }
    memcpy(c, &p->canaries[o->first_canary], o->ncanaries * sizeof *c);
    ppi_sort(c, o->ncanaries, sizeof *c, cmp_u64);
    return c;
}

static void canary(builder *b, bool added, const char *org, uint64_t v)
{
    char *s = ppi_diff_printf(b->d, "%016" PRIx64, v);
    if (s == NULL)
        b->rc = PP_ERR_NOMEM;
    /* A canary detects a leaked secret: removing one loosens. */
    change(b, added ? PP_CHANGE_CANARY_ADDED : PP_CHANGE_CANARY_REMOVED, looser_if(!added), 0, org,
           s, NULL, NULL, NULL);
}

static void org_pair(builder *b, int64_t o, int64_t n)
{
    const ppi_org *oo = o < 0 ? NULL : &OLD->orgs[o];
    const ppi_org *on = n < 0 ? NULL : &NEW->orgs[n];
    const char *name = (on != NULL ? on : oo)->name;
    /* The members and products of the organization carry the direction. */
    if (oo == NULL)
        change(b, PP_CHANGE_ORGANIZATION_ADDED, PP_DIRECTION_NEUTRAL, 0, name, NULL, NULL, NULL, NULL);
    else if (on == NULL)
        change(b, PP_CHANGE_ORGANIZATION_REMOVED, PP_DIRECTION_NEUTRAL, 0, name, NULL, NULL, NULL,
               NULL);
    uint32_t no = oo ? oo->ncanaries : 0, nn = on ? on->ncanaries : 0, i = 0, j = 0;
    uint64_t *co = canaries(b, OLD, oo), *cn = canaries(b, NEW, on);
    while ((i < no || j < nn) && b->rc == PP_OK) {
        if (j == nn || (i < no && co[i] < cn[j]))
            canary(b, false, name, co[i++]);
        else if (i == no || cn[j] < co[i])
            canary(b, true, name, cn[j++]);
        else
            i++, j++;
    }
}

/* ---- products ---- */

static void product_key(const pp_policy *p, uint32_t i, keyed *k)
{
    *k = (keyed){ NULL, p->products[i].id, 0, 0 };
}

static const char *org_of(const pp_policy *p, const ppi_product *pr)
{
    return pr->org == PPI_NONE ? NULL : p->orgs[pr->org].name;
}

static const char *min_text(builder *b, const ppi_product *pr)
{
    if (!pr->has_min_device_os)
        return NULL;
    const char *s = ppi_arena_strndup(&b->d->arena, pr->min_device_os.text,
                                      pr->min_device_os.text_len);
    if (s == NULL)
        b->rc = PP_ERR_NOMEM;
    return s;
}

/* A sorted copy of n strings. */
static ppi_str *strings(builder *b, const ppi_str *from, size_t n)
{
    if (n == 0 || b->rc != PP_OK)
        return NULL;
    ppi_str *s = ppi_arena_alloc(&b->d->arena, n * sizeof *s);
    if (s == NULL) {
        b->rc = PP_ERR_NOMEM;
        return NULL;
    }
    memcpy(s, from, n * sizeof *s);
    ppi_sort(s, n, sizeof *s, ppi_str_cmp);
    return s;
}

/* Walk two sorted string sets: f(b, s, added) for each string in one only. */
static void walk_strings(builder *b, const ppi_str *so, size_t no, const ppi_str *sn, size_t nn,
                         void (*f)(builder *, const ppi_str *, bool, const void *), const void *ctx)
{
    size_t i = 0, j = 0;
    while ((i < no || j < nn) && b->rc == PP_OK) {
        int c = i == no ? 1 : j == nn ? -1 : ppi_str_cmp(&so[i], &sn[j]);
        if (c < 0)
            f(b, &so[i++], false, ctx);
        else if (c > 0)
            f(b, &sn[j++], true, ctx);
        else
            i++, j++;
    }
}

static void integration(builder *b, const ppi_str *url, bool added, const void *ctx)
{
    const ppi_product *pr = ctx;
    char *s = ppi_arena_strndup(&b->d->arena, url->ptr, url->len);
    if (s == NULL)
        b->rc = PP_ERR_NOMEM;
    change(b, added ? PP_CHANGE_INTEGRATION_ADDED : PP_CHANGE_INTEGRATION_REMOVED,
           looser_if(added), pr->id, NULL, s, NULL, NULL, NULL);
}

static void product_fields(builder *b, const ppi_product *po, const ppi_product *pn)
{
    uint32_t id = pn->id;
#define FIELD(direction, key, o, n) \
    change(b, PP_CHANGE_PRODUCT_CHANGED, (direction), id, NULL, NULL, (key), (o), (n))
    if (strcmp(po->name, pn->name) != 0)
        FIELD(PP_DIRECTION_NEUTRAL, "name", po->name, pn->name);
    /* Another organization: other people on its team. */
    if (!str_eq(org_of(OLD, po), org_of(NEW, pn)))
        FIELD(PP_DIRECTION_LOOSENING, "organization", org_of(OLD, po), org_of(NEW, pn));
    /* Another family: other models may join. */
    if (!str_eq(family_text(OLD, po->family), family_text(NEW, pn->family)))
        FIELD(PP_DIRECTION_LOOSENING, "family", family_text(OLD, po->family),
              family_text(NEW, pn->family));
    if (po->auto_approve != pn->auto_approve)
        FIELD(looser_if(pn->auto_approve), "unrecognized_devices",
              po->auto_approve ? "auto_approve" : "quarantine",
              pn->auto_approve ? "auto_approve" : "quarantine");
    if (po->removed_quarantine != pn->removed_quarantine)
        FIELD(looser_if(pn->removed_quarantine), "removed_devices",
              po->removed_quarantine ? "quarantine" : "deny",
              pn->removed_quarantine ? "quarantine" : "deny");
    /* Which firmware devices are sent; no privilege changes. */
    if (po->released_firmware != pn->released_firmware)
        FIELD(PP_DIRECTION_NEUTRAL, "released_firmware",
              po->released_firmware ? num(b, po->released_firmware) : NULL,
              pn->released_firmware ? num(b, pn->released_firmware) : NULL);
    bool min_changed = po->has_min_device_os != pn->has_min_device_os ||
                       (po->has_min_device_os &&
                        ppi_version_cmp(&po->min_device_os, &pn->min_device_os) != 0);
    if (min_changed) {
        /* Dropped or lowered: older Device OS no longer flagged. */
        bool looser = !pn->has_min_device_os ||
                      (po->has_min_device_os &&
                       ppi_version_cmp(&pn->min_device_os, &po->min_device_os) < 0);
        FIELD(looser_if(looser), "min_device_os", min_text(b, po), min_text(b, pn));
    }
    if (po->require_lts != pn->require_lts)
        FIELD(looser_if(!pn->require_lts), "require_lts", boolean(po->require_lts),
              boolean(pn->require_lts));
    /* Absent and empty both approve nothing; only the finding's wording
     * differs. */
    if (po->has_integrations != pn->has_integrations)
        FIELD(PP_DIRECTION_NEUTRAL, "approved_integrations", po->has_integrations ? "listed" : NULL,
              pn->has_integrations ? "listed" : NULL);
#undef FIELD
}

static void product_pair(builder *b, int64_t o, int64_t n)
{
    const ppi_product *po = o < 0 ? NULL : &OLD->products[o];
    const ppi_product *pn = n < 0 ? NULL : &NEW->products[n];
    if (po == NULL)
        change(b, PP_CHANGE_PRODUCT_ADDED, PP_DIRECTION_LOOSENING, pn->id, NULL, NULL, NULL, NULL,
               pn->name);
    else if (pn == NULL)
        change(b, PP_CHANGE_PRODUCT_REMOVED, PP_DIRECTION_TIGHTENING, po->id, NULL, NULL, NULL,
               po->name, NULL);
    else
        product_fields(b, po, pn);
    /* A policy without integrations has none allocated (NULL). */
    const ppi_str *io = po && po->nintegrations ? strings(b, &OLD->integrations[po->first_integration],
                                                          po->nintegrations) : NULL;
    const ppi_str *in = pn && pn->nintegrations ? strings(b, &NEW->integrations[pn->first_integration],
                                                          pn->nintegrations) : NULL;
    walk_strings(b, io, po ? po->nintegrations : 0, in, pn ? pn->nintegrations : 0, integration,
                 pn != NULL ? pn : po);
}

/* ---- teams ---- */

/* Organization teams first (by name), then product teams (by ID), each by
 * user. */
static int cmp_member(const pp_policy *po, const ppi_member *a, const pp_policy *pn,
                      const ppi_member *b)
{
    bool ao = a->team < po->norgs, bo = b->team < pn->norgs;
    if (ao != bo)
        return ao ? -1 : 1;
    if (ao) {
        int c = strcmp(po->orgs[a->team].name, pn->orgs[b->team].name);
        if (c != 0)
            return c;
    } else {
        uint32_t x = po->products[a->team - po->norgs].id, y = pn->products[b->team - pn->norgs].id;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return strcmp(a->name, b->name);
}

/* The order needs the policy, which qsort cannot pass to its comparison
 * without a global: a merge sort of member indexes. */
static void sort_members(const pp_policy *p, uint32_t *ix, uint32_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_members(p, ix, tmp, h);
    sort_members(p, ix + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h || j < n) {
        if (j == n || (i < h && cmp_member(p, &p->members[ix[i]], p, &p->members[ix[j]]) <= 0))
            tmp[k++] = ix[i++];
        else
            tmp[k++] = ix[j++];
    }
    memcpy(ix, tmp, n * sizeof *ix);
}

static uint32_t *members_sorted(builder *b, const pp_policy *p)
{
    if (p->nmembers == 0 || b->rc != PP_OK)
        return NULL;
    uint32_t *ix = ppi_arena_alloc(&b->d->arena, p->nmembers * sizeof *ix);
    uint32_t *tmp = ppi_arena_alloc(&b->d->arena, p->nmembers * sizeof *tmp);
    if (ix == NULL || tmp == NULL) {
        b->rc = PP_ERR_NOMEM;
        return NULL;
    }
    for (uint32_t i = 0; i < p->nmembers; i++)
        ix[i] = i;
    sort_members(p, ix, tmp, p->nmembers);
    return ix;
}

static void team_of(const pp_policy *p, const ppi_member *m, uint32_t *product, const char **org)
{
    *product = m->team < p->norgs ? 0 : p->products[m->team - p->norgs].id;
    *org = m->team < p->norgs ? p->orgs[m->team].name : NULL;
}

static const ppi_str *scopes_of(const pp_policy *p, const ppi_member *m, size_t *n)
{
    const ppi_str *s = &p->scopes[m->first_scope];
    *n = 0;
    while (s[*n].ptr != NULL)
        (*n)++;
    return s;
}

/* "devices:import, firmware:release" for an API user added or removed. */
static const char *scope_list(builder *b, const pp_policy *p, const ppi_member *m)
{
    size_t n;
    const ppi_str *s = scopes_of(p, m, &n);
    ppi_str *sorted_s = strings(b, s, n);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += s[i].len + 2;
    char *out = len == 0 || b->rc != PP_OK ? NULL : ppi_arena_alloc(&b->d->arena, len + 1);
    if (out == NULL) {
        if (len != 0)
            b->rc = PP_ERR_NOMEM;
        return NULL;
    }
    char *w = out;
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            memcpy(w, ", ", 2);
            w += 2;
        }
        memcpy(w, sorted_s[i].ptr, sorted_s[i].len);
        w += sorted_s[i].len;
    }
    *w = '\0';
    return out;
}

typedef struct scope_ctx {
    uint32_t product;
    const char *org;
    const char *user;
} scope_ctx;

static void scope(builder *b, const ppi_str *s, bool added, const void *ctx)
{
    const scope_ctx *x = ctx;
    char *text = ppi_arena_strndup(&b->d->arena, s->ptr, s->len);
    if (text == NULL)
        b->rc = PP_ERR_NOMEM;
    change(b, added ? PP_CHANGE_SCOPE_ADDED : PP_CHANGE_SCOPE_REMOVED, looser_if(added),
           x->product, x->org, x->user, NULL, added ? NULL : text, added ? text : NULL);
}

static void member_gone(builder *b, const pp_policy *p, const ppi_member *m, bool added)
{
    uint32_t product;
    const char *org;
    team_of(p, m, &product, &org);
    if (m->kind == PPI_HUMAN) {
        const char *role = pp_role_name(m->role);
        change(b, added ? PP_CHANGE_MEMBER_ADDED : PP_CHANGE_MEMBER_REMOVED, looser_if(added),
               product, org, m->name, NULL, added ? NULL : role, added ? role : NULL);
    } else {
        const char *scopes = scope_list(b, p, m);
        change(b, added ? PP_CHANGE_API_USER_ADDED : PP_CHANGE_API_USER_REMOVED,
               looser_if(added), product, org, m->name, NULL, added ? NULL : scopes,
               added ? scopes : NULL);
    }
}

static void member_pair(builder *b, const ppi_member *mo, const ppi_member *mn)
{
    if (mo->kind != mn->kind) {
        member_gone(b, OLD, mo, false);
        member_gone(b, NEW, mn, true);
        return;
    }
    uint32_t product;
    const char *org;
    team_of(NEW, mn, &product, &org);
    if (mn->kind == PPI_HUMAN) {
        if (mo->role != mn->role)
            change(b, PP_CHANGE_MEMBER_CHANGED, looser_if(mn->role > mo->role), product, org,
                   mn->name, "role", pp_role_name(mo->role), pp_role_name(mn->role));
        if (mo->two_step != mn->two_step)
            change(b, PP_CHANGE_MEMBER_CHANGED, looser_if(!mn->two_step), product, org, mn->name,
                   "two_step", boolean(mo->two_step), boolean(mn->two_step));
        return;
    }
    if (mo->org_level != mn->org_level)
        change(b, PP_CHANGE_API_USER_CHANGED, looser_if(mn->org_level), product, org, mn->name,
               "organization_level", boolean(mo->org_level), boolean(mn->org_level));
    size_t no, nn;
    const ppi_str *so = scopes_of(OLD, mo, &no), *sn = scopes_of(NEW, mn, &nn);
    scope_ctx x = { product, org, mn->name };
    walk_strings(b, strings(b, so, no), no, strings(b, sn, nn), nn, scope, &x);
}

static void diff_teams(builder *b)
{
    uint32_t *io = members_sorted(b, OLD), *in = members_sorted(b, NEW);
    size_t no = OLD->nmembers, nn = NEW->nmembers, i = 0, j = 0;
    if (b->rc != PP_OK)
        return;
    while ((i < no || j < nn) && b->rc == PP_OK) {
        const ppi_member *mo = i < no ? &OLD->members[io[i]] : NULL;
        const ppi_member *mn = j < nn ? &NEW->members[in[j]] : NULL;
        int c = mo == NULL ? 1 : mn == NULL ? -1 : cmp_member(OLD, mo, NEW, mn);
        if (c < 0) {
            member_gone(b, OLD, mo, false);
            i++;
        } else if (c > 0) {
            member_gone(b, NEW, mn, true);
            j++;
        } else {
            member_pair(b, mo, mn);
            i++, j++;
        }
    }
}

static void diff_elements(builder *b)
{
#define VIEWS(count_o, count_n, key) \
    keyed *ko = sorted(b, (count_o), key, OLD), *kn = sorted(b, (count_n), key, NEW); \
    size_t no = (count_o), nn = (count_n)
    diff_settings(b);
    {
        VIEWS(OLD->families.nplatforms, NEW->families.nplatforms, platform_key);
        walk(b, ko, no, kn, nn, platform_pair);
    }
    {
        VIEWS(OLD->families.nskus, NEW->families.nskus, sku_key);
        walk(b, ko, no, kn, nn, sku_pair);
    }
    {
        VIEWS(OLD->families.nnames, NEW->families.nnames, family_key);
        walk(b, ko, no, kn, nn, family_pair);
    }
    {
        VIEWS(OLD->norgs, NEW->norgs, org_key);
        walk(b, ko, no, kn, nn, org_pair);
    }
    {
        VIEWS(OLD->nproducts, NEW->nproducts, product_key);
        walk(b, ko, no, kn, nn, product_pair);
    }
#undef VIEWS
    diff_teams(b);
}

#undef OLD
#undef NEW

int ppi_diff_changes(pp_diff *d)
{
    builder b = { d, { NULL, 0, 0, sizeof(pp_change) }, PP_OK };
    diff_elements(&b);
    bool ok = b.rc == PP_OK;
    d->nchanges = b.changes.n;
    d->changes = ppi_vec_keep(&b.changes, &d->arena, &ok);
    return ok ? b.rc : PP_ERR_NOMEM;
}
