#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* Every section and option of the schema, so decisions reach every rule and
 * the audit checks every finding. */
static const char policy_text[] =
    "version: 1\n"
    "settings:\n"
    "  legacy_device_os_below: 4.0.0-0\n"
    "  require_lts: true\n"
    "  sim_notify_percent: 80\n"
    "platforms:\n"
    "  - {id: 40, name: nextgen}\n"
    "  - {id: 41, name: twin, product_eligible: true, family_by_sku: true}\n"
    "  - {id: 14, name: xenon, product_eligible: true, family: mesh_kit}\n"
    "skus:\n"
    "  - {prefix: NG1, platform: nextgen}\n"
    "  - {prefix: DUO-A, platform: 41, family: duo_a}\n"
    "  - {prefix: DUO-B, platform: twin, family: duo_b}\n"
    "  - {prefix: MON, platform: tracker, family: monitor}\n"
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: alice@acme.io, role: owner, two_step: true}\n"
    "      - {user: bob@acme.io, role: developer}\n"
    "      - {user: carol@acme.io, role: support, two_step: true}\n"
    "      - {user: dan@acme.io, role: view_only}\n"
    "      - {user: erin@acme.io, role: administrator, two_step: true}\n"
    "    api_users:\n"
    "      - {name: ci-deployer, scopes: [devices:import, firmware:release]}\n"
    "      - {name: ops, scopes: ['devices:*', 'teams.users:*', sims:update], organization_level: true}\n"
    "    canary_tokens: [5f1b6e0d2c3a4b59]\n"
    "  - name: harbor\n"
    "    members:\n"
    "      - {user: ivy@harbor.example, role: owner, two_step: true}\n"
    "products:\n"
    "  - id: 1001\n"
    "    name: Acme Tracker\n"
    "    organization: acme\n"
    "    family: tracker\n"
    "    unrecognized_devices: auto_approve\n"
    "    removed_devices: quarantine\n"
    "    released_firmware: 7\n"
    "    min_device_os: 2.3.1\n"
    "    team: [{user: bob@contractor.io, role: support}]\n"
    "    require_lts: true\n"
    "    approved_integrations: [https://hooks.acme.example/particle]\n"
    "  - {id: 1002, name: Acme Sensor, organization: acme, family: nextgen}\n"
    "  - {id: 1003, name: Acme Duo, organization: acme, family: duo_a,\n"
    "     released_firmware: 65535}\n"
    "  - {id: 2001, name: Harbor Buoy, organization: harbor, family: p2,\n"
    "     min_device_os: 5.0.0-rc.1}\n"
    "  - {id: 2002, name: Harbor Relay, organization: harbor, family: boron,\n"
    "     unrecognized_devices: auto_approve}\n"
    "  - {id: 4294967295, name: Edge, family: electron, released_firmware: 1}\n"
    "  - {id: 1, name: Lone Photon, family: photon}\n";

static pp_policy *policy;

/* At exit, so valgrind and LeakSanitizer see every block freed. */
static void free_policy(void)
{
    pp_policy_free(policy);
    policy = NULL;
}

const pp_policy *fuzz_policy(void)
{
    if (policy == NULL) {
        pp_error err;
        if (pp_policy_load(&policy, policy_text, sizeof policy_text - 1, NULL, &err) != PP_OK) {
            fprintf(stderr, "fixture policy: %u:%u %s\n", err.line, err.column, err.message);
            abort();
        }
        atexit(free_policy);
    }
    return policy;
}

void fuzz_fail(const char *what)
{
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
}

uint8_t fuzz_u8(fuzz_bytes *b)
{
    if (b->n == 0)
        return 0;
    b->n--;
    return *b->p++;
}

uint32_t fuzz_u32(fuzz_bytes *b)
{
    static const uint32_t known[] = {
        0, 1, 1001, 1002, 1003, 2001, 2002, 4294967295u, 999, 6, 10, 12, 13, 14,
        23, 25, 26, 28, 32, 40, 41, 65535, 65536, 7, 8,
    };
    uint8_t sel = fuzz_u8(b);
    if (sel < 0xC0)
        return known[sel % (sizeof known / sizeof known[0])];
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | fuzz_u8(b);
    return v;
}

const char *fuzz_str(fuzz_bytes *b, size_t *len)
{
    uint8_t n = fuzz_u8(b);
    if (n == 255) {
        *len = 0;
        return NULL;
    }
    if (n > b->n)
        n = (uint8_t)b->n;
    const char *s = (const char *)b->p;
    b->p += n;
    b->n -= n;
    *len = n;
    return s;
}

void fuzz_device(fuzz_bytes *b, pp_device *d)
{
    memset(d, 0, sizeof *d);
    d->id = fuzz_str(b, &d->id_len);
    d->device_os = fuzz_str(b, &d->device_os_len);
    d->sku = fuzz_str(b, &d->sku_len);
    d->owner = fuzz_str(b, &d->owner_len);
    uint8_t platform = fuzz_u8(b);
    d->platform_id = platform == 0xFF ? PP_PLATFORM_UNSPECIFIED : fuzz_u32(b);
    d->cloud_product_id = fuzz_u32(b);
    d->firmware_product_id = fuzz_u32(b);
    d->denied_in = fuzz_u32(b);
    d->removed_from = fuzz_u32(b);
    d->quarantined_in = fuzz_u32(b);
    d->firmware_version = fuzz_u32(b);
    d->development = fuzz_u8(b) & 1;
}
