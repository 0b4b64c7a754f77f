/*
 * Operator authorization before and after a policy change: every (actor,
 * action, product) whose pp_authorize answer changes.  An answer depends on
 * the actor's kind and on the entries of its name on the product's teams
 * (the product's own and its organization's) in each policy; a name on
 * neither policy's teams of a product answers like any other such name, so
 * per product the actors are the names on those teams plus one outsider
 * standing for everyone else, each as a person and as an API user.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"

typedef struct actor_name {
    const char *name;
    size_t len;
} actor_name;

static int cmp_name(const void *pa, const void *pb)
{
    const actor_name *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->name, b->name, n);
    return c != 0 ? c : a->len < b->len ? -1 : a->len > b->len;
}

/* Push the names on product pr's teams in policy k. */
static int team_names(const pp_diff *d, int k, const ppi_product *pr, ppi_vec *names)
{
    const pp_policy *p = k == 0 ? d->old_p : d->new_p;
    if (pr == NULL)
        return PP_OK;
    uint32_t teams[2] = { p->norgs + (uint32_t)(pr - p->products), pr->org };
    const ppi_team_index *ix = &d->teams[k];
    for (int t = 0; t < 2; t++) {
        if (teams[t] == PPI_NONE)
            continue;
        for (uint32_t i = ix->first[teams[t]]; i < ix->first[teams[t] + 1]; i++) {
            const ppi_member *m = &p->members[ix->members[i]];
            actor_name *a = ppi_vec_push(names, &d->arena.hook);
            if (a == NULL)
                return PP_ERR_NOMEM;
            *a = (actor_name){ m->name, m->name_len };
        }
    }
    return PP_OK;
}

static bool same_answer(const pp_authorization *a, const pp_authorization *b)
{
    return a->allowed == b->allowed && a->reason == b->reason && a->role == b->role &&
           a->error == b->error;
}

/* Every action for one actor on product id; changed answers into out. */
static int actor_changes(pp_diff *d, ppi_vec *out, const actor_name *who, bool named,
                         int32_t kind, uint32_t id)
{
    pp_actor actor = { who->name, who->len, kind };
    for (int action = 0; pp_action_name(action) != NULL; action++) {
        pp_authorization o, n;
        pp_authorize(&o, d->old_p, NULL, &actor, action, id, NULL);
        pp_authorize(&n, d->new_p, NULL, &actor, action, id, NULL);
        if (same_answer(&o, &n))
            continue;
        pp_authorization_change *c = ppi_vec_push(out, &d->arena.hook);
        if (c == NULL)
            return PP_ERR_NOMEM;
        *c = (pp_authorization_change){ named ? who->name : NULL, kind, action, id, o, n };
    }
    return PP_OK;
}

int ppi_diff_authorizations(pp_diff *d)
{
    ppi_vec out, names;
    ppi_vec_init(&out, sizeof(pp_authorization_change));
    ppi_vec_init(&names, sizeof(actor_name));
    int rc = PP_OK;
    for (uint32_t i = 0; i < d->nproducts && rc == PP_OK; i++) {
        uint32_t id = d->products[i];
        names.n = 0;
        rc = team_names(d, 0, ppi_product_find(d->old_p, id), &names);
        if (rc == PP_OK)
            rc = team_names(d, 1, ppi_product_find(d->new_p, id), &names);
        if (rc != PP_OK)
            break;
        /* Names may be on both policies' teams: once each, in order. */
        actor_name *a = names.data;
        ppi_sort(a, names.n, sizeof *a, cmp_name);
        for (size_t k = 0; k < names.n && rc == PP_OK; k++) {
            if (k > 0 && cmp_name(&a[k - 1], &a[k]) == 0)
                continue;
            for (int32_t kind = 0; pp_actor_kind_name(kind) != NULL && rc == PP_OK; kind++)
                rc = actor_changes(d, &out, &a[k], true, kind, id);
        }
        actor_name outsider = { d->outsider, d->outsider_len };
        for (int32_t kind = 0; pp_actor_kind_name(kind) != NULL && rc == PP_OK; kind++)
            rc = actor_changes(d, &out, &outsider, false, kind, id);
    }
    ppi_vec_free(&names, &d->arena.hook);
    bool ok = rc == PP_OK;
    d->nauthz = out.n;
    d->authz = ppi_vec_keep(&out, &d->arena, &ok);
    return rc != PP_OK ? rc : ok ? PP_OK : PP_ERR_NOMEM;
}
