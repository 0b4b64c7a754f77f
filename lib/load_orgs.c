/* Organizations: their members (humans with a role), API users (with
 * scopes) and canary token fingerprints.  Product teams reuse the member
 * compiler. */
#include "load.h"

#include <inttypes.h>
#include <string.h>

enum { ORG_NAME, ORG_MEMBERS, ORG_API_USERS, ORG_CANARIES, ORG_KEYS };
static const char *const org_keys[ORG_KEYS] = {
    "name", "members", "api_users", "canary_tokens",
};
static const schema org_schema = SCHEMA(org_keys);

enum { MEM_USER, MEM_ROLE, MEM_TWO_STEP, MEMBER_KEYS };
static const char *const member_keys[MEMBER_KEYS] = { "user", "role", "two_step" };
static const schema member_schema = SCHEMA(member_keys);

enum { API_NAME, API_SCOPES, API_ORG_LEVEL, API_KEYS };
static const char *const api_keys[API_KEYS] = { "name", "scopes", "organization_level" };
static const schema api_schema = SCHEMA(api_keys);

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* organizations[].canary_tokens: 16 hex digits each (pp_canary_fingerprint),
 * so the policy never holds a token itself. */
static int compile_canaries(loader *l, const ppi_node *list, const path *at,
                            ppi_org *org)
{
    pp_policy *p = l->p;
    int rc = ppi_get_list(l, list, at);
    if (rc != PP_OK)
        return rc;
    org->first_canary = p->ncanaries;
    l->scopes.gen++;
    uint32_t j = 0;
    for (const ppi_node *n = ppi_node_child(list); n; n = ppi_node_next(n), j++) {
        const path item_at = { at, NULL, j };
        const char *s;
        uint32_t len;
        char shown[QUOTED];
        int step = ppi_get_string(l, n, &item_at, &s, &len);
        uint64_t v = 0;
        bool ok = step == PP_OK && len == 16;
        for (uint32_t i = 0; ok && i < len; i++) {
            int d = hex_digit(s[i]);
            ok = d >= 0;
            v = v << 4 | (uint64_t)(d & 0xF);
        }
        uint64_t *slot = &p->canaries[p->ncanaries];
        *slot = v;
        if (step == PP_OK && !ok)
            step = ppi_load_fail(l, PP_ERR_INVALID_VALUE, n, &item_at,
                                 "%s is not a canary fingerprint "
                                 "(16 hex digits: XXH3-64 of the token)",
                                 ppi_quote(shown, s, len));
        else if (step == PP_OK && ppi_map_add(&l->scopes, slot, sizeof *slot, j) != PPI_NONE)
            step = ppi_load_fail(l, PP_ERR_DUPLICATE, n, &item_at,
                                 "canary fingerprint %s is listed twice", ppi_quote(shown, s, len));
        else if (step == PP_OK)
            p->ncanaries++;
        if (!ppi_carry_on(l, &rc, step))
            return rc;
    }
    org->ncanaries = p->ncanaries - org->first_canary;
    return rc;
}

/* docs/spec.md §4: one owner per product.  An organization's owner owns each of its
 * products, so a product team may name an owner only when its organization
 * has none (or names the same person). */
static int check_owner(loader *l, const ppi_node *n, const path *at,
                       const char *name, uint32_t len, uint32_t team_owner,
                       uint32_t org_owner)
{
    const pp_policy *p = l->p;
    char shown[QUOTED];
    if (team_owner != PPI_NONE) {
        const ppi_member *o = &p->members[team_owner];
        return ppi_load_fail(l, PP_ERR_DUPLICATE, n, at,
                             "a team has one owner, and %s already is",
                             ppi_quote(shown, o->name, o->name_len));
    }
    if (org_owner != PPI_NONE) {
        const ppi_member *o = &p->members[org_owner];
        if (o->name_len != len || memcmp(o->name, name, len) != 0)
            return ppi_load_fail(l, PP_ERR_DUPLICATE, n, at,
                                 "the product already has an owner: %s, owner of its organization",
                                 ppi_quote(shown, o->name, o->name_len));
    }
    return PP_OK;
}

int ppi_compile_member(loader *l, const ppi_node *item, const path *at,
                       uint32_t team, uint32_t *team_owner, uint32_t org_owner)
{
    pp_policy *p = l->p;
    const ppi_node *v[MEMBER_KEYS];
    const path user_at = { at, "user", 0 }, role_at = { at, "role", 0 },
               two_step_at = { at, "two_step", 0 };
    /* A validation keeps a nameless entry for a member it skips, so that
     * members stay numbered as they are declared (member_origin_find). */
    ppi_member *m = &p->members[p->nmembers++];
    *m = (ppi_member){ .team = team, .kind = PPI_HUMAN };
    const char *name = NULL;
    uint32_t len = 0;
    int role = 0;
    bool two_step = false;
    int rc = ppi_read_map(l, item, at, &member_schema, v);
    if (rc != PP_OK || !ppi_carry_on(l, &rc, ppi_require(l, item, at, &member_schema, v, MEM_USER)) ||
        !ppi_carry_on(l, &rc, ppi_require(l, item, at, &member_schema, v, MEM_ROLE)))
        return rc;
    if (v[MEM_USER] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_name(l, v[MEM_USER], &user_at, "user", &name, &len)))
        return rc;
    if (v[MEM_ROLE] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_enum(l, v[MEM_ROLE], &role_at, "role", pp_role_name,
                                           &role)))
        return rc;
    if (v[MEM_TWO_STEP] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_bool(l, v[MEM_TWO_STEP], &two_step_at, &two_step)))
        return rc;
    if (rc == PP_OK && role == PP_ROLE_OWNER)
        rc = check_owner(l, v[MEM_ROLE], &role_at, name, len, *team_owner, org_owner);
    if (rc != PP_OK)
        return rc;
    if (role == PP_ROLE_OWNER)
        *team_owner = (uint32_t)(m - p->members);
    *m = (ppi_member){
        .name = name, .name_len = len, .team = team, .role = (uint8_t)role,
        .two_step = two_step, .kind = PPI_HUMAN,
    };
    return PP_OK;
}

/* resource[.sub]:verb, each part [a-z_]+, the verb also '*'. */
static bool scope_valid(const char *s, uint32_t len)
{
    uint32_t i = 0, parts = 0;
    for (;;) {
        uint32_t start = i;
        while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
            i++;
        if (i == start || i == len || ++parts > 2)
            return false;
        if (s[i] == ':')
            break;
        if (s[i++] != '.')
            return false;
    }
    i++; /* ':' */
    if (i + 1 == len && s[i] == '*')
        return true;
    uint32_t start = i;
    while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
        i++;
    return i > start && i == len;
}

/* The scopes of an API user, into p->scopes from first, ended by a NULL
 * entry. */
static int compile_scopes(loader *l, const ppi_node *list, const path *at)
{
    pp_policy *p = l->p;
    int rc = PP_OK;
    uint32_t j = 0;
    l->scopes.gen++;
    for (const ppi_node *sn = ppi_node_child(list); sn; sn = ppi_node_next(sn), j++) {
        const path scope_at = { at, NULL, j };
        const char *s;
        uint32_t slen;
        char shown[QUOTED];
        int step = ppi_get_string(l, sn, &scope_at, &s, &slen);
        if (step == PP_OK && !scope_valid(s, slen))
            step = ppi_load_fail(l, PP_ERR_INVALID_VALUE, sn, &scope_at,
                                 "%s is not a scope (resource[.sub]:verb, e.g. devices:import)",
                                 ppi_quote(shown, s, slen));
        else if (step == PP_OK && ppi_map_add(&l->scopes, s, slen, j) != PPI_NONE)
            step = ppi_load_fail(l, PP_ERR_DUPLICATE, sn, &scope_at, "scope %s is listed twice",
                                 ppi_quote(shown, s, slen));
        if (step == PP_OK) {
            char *copy = ppi_arena_strndup(&p->arena, s, slen);
            if (copy == NULL)
                return ppi_load_nomem(l);
            p->scopes[p->nscopes++] = (ppi_str){ copy, slen };
        }
        if (!ppi_carry_on(l, &rc, step))
            return rc;
    }
    p->scopes[p->nscopes++] = (ppi_str){ NULL, 0 };
    return rc;
}

static int compile_api_user(loader *l, const ppi_node *item, const path *at,
                            uint32_t team)
{
    pp_policy *p = l->p;
    const ppi_node *v[API_KEYS];
    const path name_at = { at, "name", 0 }, scopes_at = { at, "scopes", 0 },
               org_level_at = { at, "organization_level", 0 };
    /* Numbered as declared, like members (ppi_compile_member). */
    ppi_member *m = &p->members[p->nmembers++];
    *m = (ppi_member){ .team = team, .kind = PPI_API_USER };
    const char *name = NULL;
    uint32_t len = 0;
    bool org_level = false;
    int rc = ppi_read_map(l, item, at, &api_schema, v);
    if (rc != PP_OK || !ppi_carry_on(l, &rc, ppi_require(l, item, at, &api_schema, v, API_NAME)) ||
        !ppi_carry_on(l, &rc, ppi_require(l, item, at, &api_schema, v, API_SCOPES)))
        return rc;
    if (v[API_NAME] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_name(l, v[API_NAME], &name_at, "API user", &name, &len)))
        return rc;
    int scopes = v[API_SCOPES] != NULL ? ppi_get_list(l, v[API_SCOPES], &scopes_at) : PP_OK;
    if (!ppi_carry_on(l, &rc, scopes))
        return rc;
    if (v[API_ORG_LEVEL] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_bool(l, v[API_ORG_LEVEL], &org_level_at, &org_level)))
        return rc;
    if (v[API_SCOPES] == NULL || scopes != PP_OK)
        return rc;
    if (ppi_node_len(v[API_SCOPES]) == 0 &&
        !ppi_carry_on(l, &rc, ppi_load_fail(l, PP_ERR_INVALID_VALUE, v[API_SCOPES], &scopes_at,
                                            "an API user needs at least one scope")))
        return rc;
    uint32_t first = p->nscopes;
    if (!ppi_carry_on(l, &rc, compile_scopes(l, v[API_SCOPES], &scopes_at)) || rc != PP_OK)
        return rc;
    *m = (ppi_member){
        .name = name, .name_len = len, .team = team, .kind = PPI_API_USER,
        .org_level = org_level, .first_scope = first,
    };
    return PP_OK;
}

/* An organization's members: or api_users:, each compiled by one. */
static int compile_team_list(loader *l, const ppi_node *list, const path *at, uint32_t o,
                             bool api_users)
{
    int rc = ppi_get_list(l, list, at);
    if (rc != PP_OK)
        return rc;
    uint32_t j = 0;
    for (const ppi_node *item = ppi_node_child(list); item; item = ppi_node_next(item), j++) {
        const path item_at = { at, NULL, j };
        int step = api_users ? compile_api_user(l, item, &item_at, o)
                             : ppi_compile_member(l, item, &item_at, o, &l->org_owner[o],
                                                  PPI_NONE);
        if (!ppi_carry_on(l, &rc, step))
            return rc;
    }
    return rc;
}

static int compile_org(loader *l, const ppi_node *list, const ppi_node *item,
                       const path *at, uint32_t o)
{
    pp_policy *p = l->p;
    const path name_at = { at, "name", 0 }, members_at = { at, "members", 0 },
               api_at = { at, "api_users", 0 }, canaries_at = { at, "canary_tokens", 0 };
    const ppi_node *v[ORG_KEYS];
    const char *name = NULL;
    uint32_t len = 0;
    p->orgs[o] = (ppi_org){ "", 0, ppi_hash_bytes("", 0), 0, 0 };
    l->org_owner[o] = PPI_NONE;
    int rc = ppi_read_map(l, item, at, &org_schema, v);
    if (rc != PP_OK || !ppi_carry_on(l, &rc, ppi_require(l, item, at, &org_schema, v, ORG_NAME)))
        return rc;
    int named = v[ORG_NAME] != NULL
                    ? ppi_get_name(l, v[ORG_NAME], &name_at, "organization", &name, &len)
                    : PP_ERR_MISSING_KEY;
    if (!ppi_carry_on(l, &rc, named))
        return rc;
    uint32_t other = named == PP_OK ? ppi_map_add(&l->orgs, name, len, o) : PPI_NONE;
    char shown[QUOTED];
    if (other != PPI_NONE &&
        !ppi_carry_on(l, &rc, ppi_load_fail(l, PP_ERR_DUPLICATE, v[ORG_NAME], &name_at,
                                            "organization %s is already defined (line %" PRIu32
                                            ")", ppi_quote(shown, name, len),
                                            ppi_node_line(ppi_node_find(ppi_node_nth(list, other),
                                                          "name")))))
        return rc;
    if (named == PP_OK)
        p->orgs[o] = (ppi_org){ name, len, ppi_hash_bytes(name, len), 0, 0 };
    /* A validation reads the teams of an organization it could not name. */
    if ((v[ORG_CANARIES] != NULL &&
         !ppi_carry_on(l, &rc, compile_canaries(l, v[ORG_CANARIES], &canaries_at, &p->orgs[o]))) ||
        (v[ORG_MEMBERS] != NULL &&
         !ppi_carry_on(l, &rc, compile_team_list(l, v[ORG_MEMBERS], &members_at, o, false))) ||
        (v[ORG_API_USERS] != NULL &&
         !ppi_carry_on(l, &rc, compile_team_list(l, v[ORG_API_USERS], &api_at, o, true))))
        return rc;
    return rc;
}

int ppi_compile_orgs(loader *l, const ppi_node *list)
{
    const path list_at = { NULL, "organizations", 0 };
    if (list == NULL)
        return PP_OK;
    int rc = ppi_get_list(l, list, &list_at);
    if (rc != PP_OK)
        return rc;
    uint32_t o = 0;
    for (const ppi_node *item = ppi_node_child(list); item; item = ppi_node_next(item), o++) {
        const path at = { &list_at, NULL, o };
        if (!ppi_carry_on(l, &rc, compile_org(l, list, item, &at, o)))
            return rc;
    }
    return rc;
}
