/*
 * lookup_cost N CALLS [M]: the calls whose cost must not grow with the
 * policy, on a policy whose every table grows with N (tests/check-lookup-
 * cost.sh runs it under callgrind for a small and a large N and compares
 * the instructions per call).  The policy has N SKU prefixes of every length
 * (and M / 8 more on a platform whose SKUs decide the family, each naming a
 * family of its own), M / 8 more platforms, an API user with M scopes, an
 * organization with M canary fingerprints, a product with M approved
 * integrations and a caller's team set of M memberships; M is N unless
 * given (docs/performance.md gives 1,000,000 SKU prefixes and M = 0).  Each of the CALLS
 * rounds makes:
 *   pp_decide            a record with a SKU (rule 14, owner in the team set)
 *   pp_decide            a record whose platform needs a SKU it lacks (rule 4)
 *   ppi_sku_find         the first record's SKU (the lookup pp_decide makes
 *                        inline, counted on its own; bench/sku-cost.sh)
 *   pp_authorize         the API user (its scope is the last one listed)
 *   pp_check_token       a token that is no canary
 *   pp_check_integrations a URL under the last approved destination
 * and checks each answer, so the figures are of calls that did their work.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void die(const char *what)
{
    fprintf(stderr, "lookup_cost: %s\n", what);
    exit(1);
}

typedef struct text {
    char *ptr;
    size_t len, cap;
} text;

__attribute__((format(printf, 2, 3))) static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->ptr + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            die("vsnprintf failed");
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap * 2 + (size_t)n + 1;
        if ((t->ptr = realloc(t->ptr, t->cap)) == NULL)
            die("out of memory");
    }
}

/* i in lower-case letters, at least one ("a", "b", ..., "ba", ...). */
static const char *letters(char buf[16], uint32_t i)
{
    char rev[16];
    int n = 0;
    do {
        rev[n++] = (char)('a' + i % 26);
        i /= 26;
    } while (i > 0);
    for (int k = 0; k < n; k++)
        buf[k] = rev[n - 1 - k];
    buf[n] = '\0';
    return buf;
}

static void policy_text(text *t, uint32_t n, uint32_t m)
{
    char b[16];
    uint32_t extra = m / 8;
    put(t, "version: 1\nplatforms:\n  - {id: 40, name: multi, family_by_sku: true}\n");
    for (uint32_t i = 0; i < extra; i++)
        put(t, "  - {id: %" PRIu32 ", name: plat_%s}\n", 1000 + i, letters(b, i));
    /* Prefixes "B4Q<i in letters>" and "ZQ<i in letters>" padded with '-'
     * to lengths 4..32 in turn: distinct, every length present, half of them
     * starting like the record's SKU (B404MEA), none a prefix of it. */
    put(t, n == 0 ? "skus: []\n" : "skus:\n");
    for (uint32_t i = 0; i < n; i++) {
        const char *start = i % 2 ? "B4Q" : "ZQ";
        letters(b, i);
        int pad = (int)(4 + i % 29) - (int)strlen(start) - (int)strlen(b);
        put(t, "  - {prefix: %s%s%.*s, platform: 23}\n", start, b, pad > 0 ? pad : 0,
            "--------------------------------");
    }
    for (uint32_t i = 0; i < extra; i++)
        put(t, "  - {prefix: MU%s, platform: 40, family: fam_%s}\n", letters(b, i), b);
    put(t, "organizations:\n  - name: acme\n    members:\n"
           "      - {user: alice, role: owner, two_step: true}\n"
           "    api_users:\n      - name: ci\n        scopes:\n");
    for (uint32_t i = 0; i < m; i++)
        put(t, "          - 'res_%s:read'\n", letters(b, i));
    put(t, "          - 'devices:import'\n    canary_tokens:\n");
    for (uint32_t i = 0; i <= m; i++)
        put(t, "      - '%016" PRIx64 "'\n", (uint64_t)(i * 0x9E3779B97F4A7C15ull + 1));
    put(t, "products:\n  - id: 200\n    name: Auto\n    organization: acme\n"
           "    family: bsom\n    unrecognized_devices: auto_approve\n"
           "    approved_integrations:\n");
    for (uint32_t i = 0; i <= m; i++)
        put(t, "      - 'https://hooks.acme.example/%s/'\n", letters(b, i));
    put(t, "  - {id: 300, name: P2, organization: acme, family: p2}\n");
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4)
        die("usage: lookup_cost N CALLS [M]");
    uint32_t n = (uint32_t)strtoul(argv[1], NULL, 10);
    long calls = strtol(argv[2], NULL, 10);
    uint32_t m = argc == 4 ? (uint32_t)strtoul(argv[3], NULL, 10) : n;
    text t = { NULL, 0, 0 };
    policy_text(&t, n, m);
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    opt.max_input_bytes = t.len + 1;
    opt.max_nodes = UINT32_MAX;
    opt.max_members = UINT32_MAX;
    pp_policy *p = NULL;
    pp_error err;
    if (pp_policy_load(&p, t.ptr, t.len, &opt, &err) != PP_OK) {
        fprintf(stderr, "lookup_cost: %u:%u: %s\n", err.line, err.column, err.message);
        return 1;
    }
    free(t.ptr);

    pp_team *team = NULL;
    char b[16], user[32];
    if (pp_team_new(&team, NULL) != PP_OK)
        die("pp_team_new failed");
    for (uint32_t i = 0; i <= m; i++) {
        snprintf(user, sizeof user, "t_%s", letters(b, i));
        if (pp_team_add(team, "acme", 4, user, strlen(user), PP_ROLE_SUPPORT) != PP_OK)
            die("pp_team_add failed");
    }

    pp_device with_sku = { 0 }, needs_sku = { 0 };
    with_sku.id = "e00fce68aabbccddeeff0011";
    with_sku.id_len = 24;
    with_sku.device_os = "2.3.0";
    with_sku.device_os_len = 5;
    with_sku.sku = "B404MEA";
    with_sku.sku_len = 7;
    with_sku.owner = "t_a";
    with_sku.owner_len = 3;
    with_sku.platform_id = 23;
    with_sku.firmware_product_id = 200;
    needs_sku = with_sku;
    needs_sku.sku = NULL;
    needs_sku.sku_len = 0;
    needs_sku.owner = NULL;
    needs_sku.owner_len = 0;
    needs_sku.platform_id = 40;
    needs_sku.firmware_product_id = 300;
    pp_actor ci = { "ci", 2, PP_ACTOR_API_USER };
    letters(b, m);
    char url[64];
    snprintf(url, sizeof url, "https://hooks.acme.example/%s/x/y", b);
    pp_integration_record hook = { 200, url, strlen(url), 1 };

    for (long k = 0; k < calls; k++) {
        pp_decision d;
        if (pp_decide(&d, p, team, &with_sku) != PP_OK || d.rule != 14)
            die("the record with a SKU is not rule 14");
        if (pp_decide(&d, p, team, &needs_sku) != PP_OK || d.reason != PP_REASON_INCOMPATIBLE_PLATFORM)
            die("the record without a SKU is not incompatible_platform");
        const ppi_sku *s = ppi_sku_find(&p->families, with_sku.sku, with_sku.sku_len);
        if (s == NULL || s->platform_id != 23)
            die("the record's SKU is not found");
        pp_authorization a;
        if (pp_authorize(&a, p, NULL, &ci, PP_ACTION_ADD_DEVICE, 200, NULL) != PP_OK ||
            a.reason != PP_AUTHZ_GRANTED_BY_SCOPE)
            die("the API user is not granted by scope");
        size_t total;
        pp_finding f[2];
        if (pp_check_token(&total, f, 2, p, "not-a-canary", 12) != PP_OK || total != 0)
            die("a token that is no canary has findings");
        if (pp_check_integrations(&total, f, 2, p, &hook, 1) != PP_OK || total != 0)
            die("an approved integration has findings");
    }
    printf("policy: %" PRIu32 " more SKU prefixes, %" PRIu32 " in every other table; "
           "%ld rounds\n", n, m, calls);
    pp_team_free(team);
    pp_policy_free(p);
    return 0;
}
