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
    for (const ppi_node *n = list->child; n; n = n->next, j++) {
        const path item_at = { at, NULL, j };
        const char *s;
        uint32_t len;
        char shown[QUOTED];
        if ((rc = ppi_get_string(l, n, &item_at, &s, &len)) != PP_OK)
            return rc;
        uint64_t v = 0;
        bool ok = len == 16;
        for (uint32_t i = 0; ok && i < len; i++) {
            int d = hex_digit(s[i]);
            ok = d >= 0;
            v = v << 4 | (uint64_t)(d & 0xF);
        }
        if (!ok)
            return ppi_load_fail(l, PP_ERR_INVALID_VALUE, n, &item_at,
                                 "%s is not a canary fingerprint "
                                 "(16 hex digits: XXH3-64 of the token)",
                                 ppi_quote(shown, s, len));
        uint64_t *slot = &p->canaries[p->ncanaries];
        *slot = v;
        if (ppi_map_add(&l->scopes, slot, sizeof *slot, j) != PPI_NONE)
            return ppi_load_fail(l, PP_ERR_DUPLICATE, n, &item_at,
                                 "canary fingerprint %s is listed twice", ppi_quote(shown, s, len));
        p->ncanaries++;
    }
    org->ncanaries = p->ncanaries - org->first_canary;
    return PP_OK;
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
    int rc = ppi_read_map(l, item, at, &member_schema, v);
    if (rc == PP_OK)
        rc = ppi_require(l, item, at, &member_schema, v, MEM_USER);
    if (rc == PP_OK)
        rc = ppi_require(l, item, at, &member_schema, v, MEM_ROLE);
    const char *name = NULL;
    uint32_t len = 0;
    int role = 0;
    bool two_step = false;
    if (rc == PP_OK)
        rc = ppi_get_name(l, v[MEM_USER], &user_at, "user", &name, &len);
    if (rc == PP_OK)
        rc = ppi_get_enum(l, v[MEM_ROLE], &role_at, "role", pp_role_name, &role);
    if (rc == PP_OK && v[MEM_TWO_STEP] != NULL)
        rc = ppi_get_bool(l, v[MEM_TWO_STEP], &two_step_at, &two_step);
    if (rc == PP_OK && role == PP_ROLE_OWNER)
        rc = check_owner(l, v[MEM_ROLE], &role_at, name, len, *team_owner, org_owner);
    if (rc != PP_OK)
        return rc;
    if (role == PP_ROLE_OWNER)
        *team_owner = p->nmembers;
    p->members[p->nmembers++] = (ppi_member){
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

static int compile_api_user(loader *l, const ppi_node *item, const path *at,
                            uint32_t team)
{
    pp_policy *p = l->p;
    const ppi_node *v[API_KEYS];
    const path name_at = { at, "name", 0 }, scopes_at = { at, "scopes", 0 },
               org_level_at = { at, "organization_level", 0 };
    int rc = ppi_read_map(l, item, at, &api_schema, v);
    if (rc == PP_OK)
        rc = ppi_require(l, item, at, &api_schema, v, API_NAME);
    if (rc == PP_OK)
        rc = ppi_require(l, item, at, &api_schema, v, API_SCOPES);
    const char *name = NULL;
    uint32_t len = 0;
    if (rc == PP_OK)
        rc = ppi_get_name(l, v[API_NAME], &name_at, "API user", &name, &len);
    if (rc == PP_OK)
        rc = ppi_get_list(l, v[API_SCOPES], &scopes_at);
    bool org_level = false;
    if (rc == PP_OK && v[API_ORG_LEVEL] != NULL)
        rc = ppi_get_bool(l, v[API_ORG_LEVEL], &org_level_at, &org_level);
    if (rc != PP_OK)
        return rc;
    if (v[API_SCOPES]->len == 0)
        return ppi_load_fail(l, PP_ERR_INVALID_VALUE, v[API_SCOPES], &scopes_at,
                             "an API user needs at least one scope");

    uint32_t first = p->nscopes, j = 0;
    l->scopes.gen++;
    for (const ppi_node *sn = v[API_SCOPES]->child; sn; sn = sn->next, j++) {
        const path scope_at = { &scopes_at, NULL, j };
        const char *s;
        uint32_t slen;
        char shown[QUOTED];
        if ((rc = ppi_get_string(l, sn, &scope_at, &s, &slen)) != PP_OK)
            return rc;
        if (!scope_valid(s, slen))
            return ppi_load_fail(l, PP_ERR_INVALID_VALUE, sn, &scope_at,
                                 "%s is not a scope (resource[.sub]:verb, e.g. devices:import)",
                                 ppi_quote(shown, s, slen));
        if (ppi_map_add(&l->scopes, s, slen, j) != PPI_NONE)
            return ppi_load_fail(l, PP_ERR_DUPLICATE, sn, &scope_at, "scope %s is listed twice",
                                 ppi_quote(shown, s, slen));
        char *copy = ppi_arena_strndup(&p->arena, s, slen);
        if (copy == NULL)
            return ppi_load_nomem(l);
        p->scopes[p->nscopes++] = (ppi_str){ copy, slen };
    }
    p->scopes[p->nscopes++] = (ppi_str){ NULL, 0 };
    p->members[p->nmembers++] = (ppi_member){
        .name = name, .name_len = len, .team = team, .kind = PPI_API_USER,
        .org_level = org_level, .first_scope = first,
    };
    return PP_OK;
}

int ppi_compile_orgs(loader *l, const ppi_node *list)
{
    pp_policy *p = l->p;
    const path list_at = { NULL, "organizations", 0 };
    if (list == NULL)
        return PP_OK;
    int rc = ppi_get_list(l, list, &list_at);
    if (rc != PP_OK)
        return rc;
    uint32_t o = 0;
    for (const ppi_node *item = list->child; item; item = item->next, o++) {
        const path at = { &list_at, NULL, o }, name_at = { &at, "name", 0 },
                   members_at = { &at, "members", 0 }, api_at = { &at, "api_users", 0 },
                   canaries_at = { &at, "canary_tokens", 0 };
        const ppi_node *v[ORG_KEYS];
        const char *name = NULL;
        uint32_t len = 0;
        rc = ppi_read_map(l, item, &at, &org_schema, v);
        if (rc == PP_OK)
            rc = ppi_require(l, item, &at, &org_schema, v, ORG_NAME);
        if (rc == PP_OK)
            rc = ppi_get_name(l, v[ORG_NAME], &name_at, "organization", &name, &len);
        if (rc != PP_OK)
            return rc;
        uint32_t other = ppi_map_add(&l->orgs, name, len, o);
        char shown[QUOTED];
        if (other != PPI_NONE)
            return ppi_load_fail(l, PP_ERR_DUPLICATE, v[ORG_NAME], &name_at,
                                 "organization %s is already defined (line %" PRIu32 ")",
                                 ppi_quote(shown, name, len),
                                 ppi_node_find(ppi_node_nth(list, other), "name")->line);
        p->orgs[o] = (ppi_org){ name, len, ppi_hash_bytes(name, len), 0, 0 };
        l->org_owner[o] = PPI_NONE;
        if (v[ORG_CANARIES] != NULL &&
            (rc = compile_canaries(l, v[ORG_CANARIES], &canaries_at, &p->orgs[o])) != PP_OK)
            return rc;

        if (v[ORG_MEMBERS] != NULL) {
            if ((rc = ppi_get_list(l, v[ORG_MEMBERS], &members_at)) != PP_OK)
                return rc;
            uint32_t j = 0;
            for (const ppi_node *m = v[ORG_MEMBERS]->child; m; m = m->next, j++) {
                const path mat = { &members_at, NULL, j };
                if ((rc = ppi_compile_member(l, m, &mat, o, &l->org_owner[o], PPI_NONE)) != PP_OK)
                    return rc;
            }
        }
        if (v[ORG_API_USERS] != NULL) {
            if ((rc = ppi_get_list(l, v[ORG_API_USERS], &api_at)) != PP_OK)
                return rc;
            uint32_t j = 0;
            for (const ppi_node *u = v[ORG_API_USERS]->child; u; u = u->next, j++) {
                const path uat = { &api_at, NULL, j };
                if ((rc = compile_api_user(l, u, &uat, o)) != PP_OK)
                    return rc;
            }
        }
    }
    return PP_OK;
}
