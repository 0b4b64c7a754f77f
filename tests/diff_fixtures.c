/* The policies and helpers the diff's test files share (diff_fixtures.h). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "diff_fixtures.h"
#include "load_util.h"

static char *example_text(void)
{
    size_t len;
    return slurp(EXAMPLES_DIR "/policy.yaml", &len);
}

/* text with its one occurrence of from replaced by to (the caller frees). */
char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "the example lacks: %s", from);
    ck_assert_msg(strstr(at + 1, from) == NULL, "the example has twice: %s", from);
    size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

/* The example policy changed one way (from -> to). */
pp_policy *example_changed(const char *from, const char *to)
{
    char *text = example_text();
    char *changed = replace(text, from, to);
    pp_policy *p = load_string(changed);
    free(changed);
    free(text);
    return p;
}

pp_policy *example(void)
{
    char *text = example_text();
    pp_policy *p = load_string(text);
    free(text);
    return p;
}

pp_diff *diff_of(const pp_policy *a, const pp_policy *b)
{
    pp_diff *d = NULL;
    pp_error err;
    int rc = pp_policy_diff(&d, a, b, NULL, &err);
    ck_assert_msg(rc == PP_OK, "diff: %s", err.message);
    ck_assert_int_eq(err.code, PP_OK);
    return d;
}

/* One policy with every kind of element, and one that changes each. */
const char RICH_OLD[] =
    "version: 1\n"
    "settings:\n"
    "  legacy_device_os_below: 4.0.0-0\n"
    "  require_lts: true\n"
    "  sim_notify_percent: 80\n"
    "platforms:\n"
    "  - {id: 40, name: nextgen}\n"
    "  - {id: 60, name: labkit, product_eligible: false}\n"
    "  - {id: 14, name: xenon, product_eligible: true, family: mesh_kit}\n"
    "skus:\n"
    "  - {prefix: NG1, platform: nextgen}\n"
    "  - {prefix: NG2, platform: nextgen}\n"
    "organizations:\n"
    "  - name: acme\n"
    "    canary_tokens: [00000000000000aa]\n"
    "    members:\n"
    "      - {user: alice, role: owner, two_step: true}\n"
    "      - {user: bob, role: developer}\n"
    "      - {user: carol, role: support, two_step: true}\n"
    "    api_users:\n"
    "      - {name: ci, scopes: ['devices:import', 'firmware:release']}\n"
    "      - {name: bot, scopes: ['devices:list']}\n"
    "  - name: gone\n"
    "products:\n"
    "  - id: 1\n"
    "    name: A\n"
    "    organization: acme\n"
    "    family: tracker\n"
    "    released_firmware: 7\n"
    "    min_device_os: 2.3.1\n"
    "    require_lts: true\n"
    "    approved_integrations: [https://a.example/x]\n"
    "  - {id: 2, name: B, organization: acme, family: nextgen}\n"
    "  - {id: 4, name: D, family: p2, team: [{user: bob, role: owner, two_step: true}]}\n";

const char RICH_NEW[] =
    "version: 1\n"
    "settings:\n"
    "  legacy_device_os_below: 5.0.0\n"
    "platforms:\n"
    "  - {id: 40, name: nextgen2, family: nextgen}\n"
    "  - {id: 61, name: extra}\n"
    "  - {id: 14, name: xenon, product_eligible: true, family: mesh2}\n"
    "skus:\n"
    "  - {prefix: NG1, platform: extra}\n"
    "  - {prefix: NG3, platform: 40}\n"
    "organizations:\n"
    "  - name: acme\n"
    "    canary_tokens: [00000000000000BB]\n"
    "    members:\n"
    "      - {user: alice, role: owner, two_step: true}\n"
    "      - {user: bob, role: administrator, two_step: true}\n"
    "      - {user: dave, role: view_only}\n"
    "    api_users:\n"
    "      - {name: ci, scopes: ['devices:remove', 'devices:import'], organization_level: true}\n"
    "      - {name: carol, scopes: ['devices:list']}\n"
    "  - name: new-org\n"
    "products:\n"
    "  - {id: 5, name: E, organization: acme, family: boron}\n"
    "  - id: 1\n"
    "    name: A2\n"
    "    organization: new-org\n"
    "    family: trackerm\n"
    "    unrecognized_devices: auto_approve\n"
    "    removed_devices: quarantine\n"
    "    released_firmware: 8\n"
    "    min_device_os: 2.0.0\n"
    "    approved_integrations: [https://b.example/y]\n"
    "  - {id: 2, name: B, organization: acme, family: nextgen}\n";

bool contains(const char *s, const char *part)
{
    return s != NULL && strstr(s, part) != NULL;
}
