/* Operator authorization, docs/spec.md §4: may this person or API user do
 * that, on this product (and device)?  The table below is that section's
 * table, one row per action; docs/authorization.md prints the same rows.
 * Nothing here allocates, does I/O or touches global state. */
#include <string.h>

#include "internal.h"

/* Device states as bits, for the states an action accepts. */
#define ST(s) (1u << (s))
#define ST_LISTED (ST(PP_DEVICE_STATE_MEMBER) | ST(PP_DEVICE_STATE_QUARANTINED) | \
                   ST(PP_DEVICE_STATE_DENIED))

typedef struct action_rule {
    pp_role min_role;
    const char *scopes[2];  /* any one grants the action; none: API users never */
    unsigned states;        /* device states it accepts; 0: not about a device */
    bool admits;            /* brings the device into the product */
} action_rule;

/* Indexed by pp_action. */
static const action_rule rules[] = {
    [PP_ACTION_VIEW_DEVICES] = { PP_ROLE_VIEW_ONLY, { "devices:list", "devices:get" }, ST_LISTED, false },
    [PP_ACTION_CALL_FUNCTION] = { PP_ROLE_SUPPORT, { "devices.function:call", NULL }, ST(PP_DEVICE_STATE_MEMBER), false },
    [PP_ACTION_CHANGE_SIM] = { PP_ROLE_SUPPORT, { "sims:update", NULL }, ST(PP_DEVICE_STATE_MEMBER), false },
    [PP_ACTION_ADD_DEVICE] = { PP_ROLE_DEVELOPER, { "devices:import", NULL }, ST(PP_DEVICE_STATE_NONE), true },
    [PP_ACTION_APPROVE_QUARANTINED] = { PP_ROLE_DEVELOPER, { "devices:import", NULL }, ST(PP_DEVICE_STATE_QUARANTINED), true },
    [PP_ACTION_DENY_QUARANTINED] = { PP_ROLE_DEVELOPER, { "devices:remove", NULL }, ST(PP_DEVICE_STATE_QUARANTINED), false },
    [PP_ACTION_REAPPROVE_DENIED] = { PP_ROLE_DEVELOPER, { "devices:import", NULL }, ST(PP_DEVICE_STATE_DENIED), true },
    [PP_ACTION_REMOVE_DEVICE] = { PP_ROLE_DEVELOPER, { "devices:remove", NULL }, ST(PP_DEVICE_STATE_MEMBER), false },
    [PP_ACTION_UNCLAIM_DEVICE] = { PP_ROLE_DEVELOPER, { "devices:remove", NULL }, ST(PP_DEVICE_STATE_MEMBER), false },
    [PP_ACTION_MARK_DEVELOPMENT] = { PP_ROLE_DEVELOPER, { "devices:update", NULL }, ST(PP_DEVICE_STATE_MEMBER), false },
    [PP_ACTION_FLASH_DEVICE] = { PP_ROLE_DEVELOPER, { "devices:update", NULL }, ST(PP_DEVICE_STATE_MEMBER), false },
    [PP_ACTION_RELEASE_FIRMWARE] = { PP_ROLE_DEVELOPER, { "firmware:release", NULL }, 0, false },
    [PP_ACTION_MANAGE_INTEGRATIONS] = { PP_ROLE_DEVELOPER, { "integrations:create", "integrations:update" }, 0, false },
    [PP_ACTION_MANAGE_TEAM] = { PP_ROLE_ADMINISTRATOR, { "teams.users:*", NULL }, 0, false },
    [PP_ACTION_CHANGE_SETTINGS] = { PP_ROLE_ADMINISTRATOR, { "configuration:update", NULL }, 0, false },
    [PP_ACTION_BILLING] = { PP_ROLE_OWNER, { NULL, NULL }, 0, false },
};

#define NACTIONS ((int)(sizeof rules / sizeof rules[0]))
_Static_assert(sizeof rules / sizeof rules[0] <= 16, "ppi_member.actions holds one bit per action");

int pp_action_min_role(int action)
{
    return action >= 0 && action < NACTIONS ? (int)rules[action].min_role : -1;
}

const char *pp_action_scope(int action, size_t index)
{
    if (action < 0 || action >= NACTIONS || index >= 2)
        return NULL;
    return rules[action].scopes[index];
}

int pp_scope_grants(const char *granted, size_t granted_len, const char *required,
                    size_t required_len)
{
    if (ppi_null_with_len(granted, granted_len) ||
        ppi_null_with_len(required, required_len))
        return PP_ERR_INVALID_ARGUMENT;
    if (granted == NULL || required == NULL)
        return 0;
    if (granted_len == required_len && memcmp(granted, required, granted_len) == 0)
        return 1;
    /* "resource:*" grants every verb on exactly that resource. */
    if (granted_len < 2 || granted[granted_len - 1] != '*' || granted[granted_len - 2] != ':')
        return 0;
    size_t prefix = granted_len - 1;  /* up to and including ':' */
    return required_len > prefix && memcmp(granted, required, prefix) == 0 &&
           memchr(required + prefix, ':', required_len - prefix) == NULL;
}

static void set(pp_authorization *out, bool allowed, pp_authz_reason reason)
{
    out->allowed = allowed;
    out->reason = reason;
}

static int fail_closed(pp_authorization *out, int code)
{
    set(out, false, PP_AUTHZ_INVALID_INPUT);
    out->error = code;
    out->ota_update_pending = 0;
    return code;
}

/* The device's standing in product P.  denied wins over member: a record on
 * P's Denied list and in P's device list is contradictory, and the admission
 * decision (rule 5) fails it closed the same way. */
static pp_device_state device_state(const pp_device *d, uint32_t P)
{
    if (d->denied_in == P)
        return PP_DEVICE_STATE_DENIED;
    if (d->cloud_product_id == P)
        return PP_DEVICE_STATE_MEMBER;
    if (d->quarantined_in == P)
        return PP_DEVICE_STATE_QUARANTINED;
    return PP_DEVICE_STATE_NONE;
}

/* A human's role on P: the largest of P's own team, P's organization in the
 * policy, and P's organization in the caller's team set; -1 when none.  API
 * users are not people: a human actor never matches one. */
static int human_role(const pp_policy *p, const pp_team *team,
                      const ppi_product *pr, const pp_actor *a, uint64_t h)
{
    int role = -1;
    const ppi_member *m = ppi_member_find(p, pr->team_seed,
                                          p->norgs + (uint32_t)(pr - p->products),
                                          a->name, a->name_len, h);
    if (m != NULL && m->kind == PPI_HUMAN)
        role = m->role;
    if (pr->org == PPI_NONE)
        return role;
    const ppi_org *org = &p->orgs[pr->org];
    m = ppi_member_find(p, org->team_seed, pr->org, a->name, a->name_len, h);
    if (m != NULL && m->kind == PPI_HUMAN && m->role > role)
        role = m->role;
    if (team != NULL) {
        int r = ppi_team_role(team, org->name, org->name_len, org->team_seed,
                              a->name, a->name_len);
        if (r > role)
            role = r;
    }
    return role;
}

/* An API user of P's organization (or P's own team), or NULL. */
static const ppi_member *api_user(const pp_policy *p, const ppi_product *pr,
                                  const pp_actor *a, uint64_t h)
{
    const ppi_member *m = ppi_member_find(p, pr->team_seed,
                                          p->norgs + (uint32_t)(pr - p->products),
                                          a->name, a->name_len, h);
    if ((m == NULL || m->kind != PPI_API_USER) && pr->org != PPI_NONE)
        m = ppi_member_find(p, p->orgs[pr->org].team_seed, pr->org, a->name,
                            a->name_len, h);
    return m != NULL && m->kind == PPI_API_USER ? m : NULL;
}

/* Computed once at load for each API user (ppi_index_policy), so that an
 * authorization costs the same however many scopes the user lists. */
uint16_t ppi_scope_actions(const ppi_str *scopes)
{
    uint16_t actions = 0;
    for (int a = 0; a < NACTIONS; a++)
        for (unsigned k = 0; k < 2 && rules[a].scopes[k] != NULL; k++)
            for (const ppi_str *s = scopes; s->ptr != NULL; s++)
                if (pp_scope_grants(s->ptr, s->len, rules[a].scopes[k],
                                    strlen(rules[a].scopes[k])) == 1)
                    actions |= (uint16_t)(1u << a);
    return actions;
}

/* Rules 3-4 of the admission decision, against P whatever the record's own
 * product fields say.  false with *why when the model does not fit. */
static bool platform_fits(pp_authz_reason *why, const pp_policy *p,
                          const ppi_product *pr, const pp_device *d)
{
    ppi_model m;
    ppi_model_resolve(&m, &p->families, d->platform_id, d->sku, d->sku_len);
    int32_t reason = ppi_join_reason(&p->families, &m, pr->family);
    *why = reason == PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE ? PP_AUTHZ_PLATFORM_NOT_PRODUCT_ELIGIBLE
         : reason == PP_REASON_SKU_REQUIRED ? PP_AUTHZ_SKU_REQUIRED
                                            : PP_AUTHZ_INCOMPATIBLE_PLATFORM;
    return reason == PP_REASON_SAME_FAMILY;
}

int pp_authorize(pp_authorization *out, const pp_policy *p, const pp_team *team,
                 const pp_actor *a, int action, uint32_t product_id,
                 const pp_device *d)
{
    if (out == NULL)
        return PP_ERR_INVALID_ARGUMENT;
    memset(out, 0, sizeof *out);
    out->role = -1;
    out->required_role = -1;
    out->device_state = -1;
    if (p == NULL || a == NULL || action < 0 || action >= NACTIONS ||
        (a->kind != PP_ACTOR_HUMAN && a->kind != PP_ACTOR_API_USER) ||
        !ppi_user_name_valid(a->name, a->name_len))
        return fail_closed(out, PP_ERR_INVALID_ARGUMENT);
    const action_rule *r = &rules[action];
    out->required_role = (int32_t)r->min_role;
    out->required_scope = r->scopes[0];
    if (d != NULL && r->states == 0)
        d = NULL;  /* not about a device: the record plays no part */

    /* The device as if P listed it: validates the record (rule 0) and, for
     * an admitting action, tells whether P's released firmware goes to it. */
    pp_decision as_member;
    if (d != NULL) {
        pp_device copy = *d;
        copy.cloud_product_id = product_id;
        copy.denied_in = copy.quarantined_in = copy.removed_from = 0;
        int rc = pp_decide(&as_member, p, team, &copy);
        if (rc != PP_OK)
            return fail_closed(out, rc);
    }

    const ppi_product *pr = product_id == 0 ? NULL : ppi_product_find(p, product_id);
    if (pr == NULL) {
        set(out, false, PP_AUTHZ_UNKNOWN_PRODUCT);
        return PP_OK;
    }

    uint64_t h = ppi_member_hash(p, a->name, a->name_len);
    pp_authz_reason grant;
    if (a->kind == PP_ACTOR_HUMAN) {
        out->role = human_role(p, team, pr, a, h);
        if (out->role < 0) {
            set(out, false, PP_AUTHZ_NOT_A_TEAM_MEMBER);
            return PP_OK;
        }
        if (out->role < (int32_t)r->min_role) {
            set(out, false, PP_AUTHZ_ROLE_INSUFFICIENT);
            return PP_OK;
        }
        grant = PP_AUTHZ_GRANTED_BY_ROLE;
    } else {
        const ppi_member *m = api_user(p, pr, a, h);
        if (m == NULL) {
            set(out, false, PP_AUTHZ_NOT_A_TEAM_MEMBER);
            return PP_OK;
        }
        if (r->scopes[0] == NULL) {
            set(out, false, PP_AUTHZ_NOT_FOR_API_USERS);
            return PP_OK;
        }
        if ((m->actions & (1u << action)) == 0) {
            set(out, false, PP_AUTHZ_SCOPE_MISSING);
            return PP_OK;
        }
        grant = PP_AUTHZ_GRANTED_BY_SCOPE;
    }

    if (d != NULL) {
        pp_device_state st = device_state(d, product_id);
        out->device_state = st;
        if ((r->states & ST(st)) == 0) {
            set(out, false, PP_AUTHZ_WRONG_DEVICE_STATE);
            return PP_OK;
        }
        if (r->admits) {
            pp_authz_reason why;
            if (!platform_fits(&why, p, pr, d)) {
                set(out, false, why);
                return PP_OK;
            }
            out->ota_update_pending = as_member.product_id == product_id &&
                                      (as_member.advisories & PP_ADVISORY_OTA_UPDATE_PENDING) != 0;
        }
    }
    set(out, true, grant);
    return PP_OK;
}
