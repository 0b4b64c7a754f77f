/* pp_decide_many against pp_decide (lib/decide.c): the batch decides in
 * blocks, with its own passes over each block, and must give every record
 * the answer pp_decide gives it alone, byte for byte, at every position in
 * a block and across blocks, with and without a team set. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "particlepolicy.h"
#include "suites.h"

static const char policy_text[] =
    "version: 1\n"
    "organizations:\n"
    "  - name: acme\n"
    "    members:\n"
    "      - {user: alice, role: developer, two_step: true}\n"
    "    api_users:\n"
    "      - {name: bot, scopes: [devices:import]}\n"
    "  - name: other\n"
    "products:\n"
    "  - {id: 100, name: quiet, organization: acme, family: bsom}\n"
    "  - {id: 200, name: open, organization: acme, family: bsom,\n"
    "     unrecognized_devices: auto_approve, removed_devices: quarantine,\n"
    "     released_firmware: 3, min_device_os: 5.0.0,\n"
    "     team: [{user: pat, role: support, two_step: true}]}\n"
    "  - {id: 300, name: tracked, organization: other, family: tracker,\n"
    "     unrecognized_devices: auto_approve}\n";

#define RECORDS 2000

static uint64_t rng = 99;

static unsigned pick(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(rng >> 33) % n;
}

/* Records over every field's interesting values: valid and invalid IDs,
 * versions (legacy, modern, prerelease, malformed), SKUs, owners (members,
 * product members, API users, the team set's, strangers, ill-formed), every
 * product ID (known, unknown, none) in every list. */
static void make_records(pp_device *d, size_t n)
{
    static const char *const ids[] = { "e00fce681a2b3c4d5e6f7081", "E00FCE681A2B3C4D5E6F7081",
                                       "e00fce681a2b3c4d5e6f708", "e00fce681a2b3c4d5e6f708g" };
    static const char *const oses[] = { "3.3.1", "5.4.0", "4.0.0-beta.1", "10.2.30", "v6.1.0",
                                        "1.5.4-rc.1+b7", "05.4.0", "5.4", "2.3.10" };
    static const char *const skus[] = { NULL, "B404XMEA", "b524mea", "ONE524MEA", "ZZZ1",
                                        "B40 4" };
    static const char *const owners[] = { NULL, "alice", "pat", "bot", "tess", "mallory",
                                          "\x01x", "ann\xc3\xa9" };
    static const uint32_t platforms[] = { 23, 25, 26, 0, 6, 9999, PP_PLATFORM_UNSPECIFIED };
    static const uint32_t products[] = { 0, 100, 200, 300, 404 };
    for (size_t i = 0; i < n; i++) {
        pp_device r = PP_DEVICE_INIT;
        r.id = ids[pick(8) < 7 ? pick(2) : 2 + pick(2)];
        r.id_len = strlen(r.id);
        r.device_os = oses[pick(9)];
        r.device_os_len = strlen(r.device_os);
        r.sku = pick(2) ? NULL : skus[pick(6)];
        r.sku_len = r.sku ? strlen(r.sku) : 0;
        r.owner = pick(3) == 0 ? NULL : owners[pick(8)];
        r.owner_len = r.owner ? strlen(r.owner) : 0;
        r.platform_id = pick(2) ? (pick(2) ? 23 : 26) : platforms[pick(7)];
        r.cloud_product_id = pick(2) ? 0 : products[pick(5)];
        r.firmware_product_id = products[pick(5)];
        r.denied_in = pick(6) == 0 ? products[pick(5)] : 0;
        r.removed_from = pick(6) == 0 ? products[pick(5)] : 0;
        r.quarantined_in = pick(3) == 0 ? products[pick(5)] : 0;
        r.firmware_version = pick(5);
        r.development = pick(6) == 0;
        d[i] = r;
    }
}

START_TEST(test_batch_gives_every_record_its_single_decision)
{
    pp_policy *p = NULL;
    ck_assert_int_eq(pp_policy_load(&p, policy_text, sizeof policy_text - 1, NULL, NULL), PP_OK);
    pp_team *team = NULL;
    ck_assert_int_eq(pp_team_new(&team, NULL), PP_OK);
    ck_assert_int_eq(pp_team_add(team, "acme", 4, "tess", 4, PP_ROLE_SUPPORT), PP_OK);
    static pp_device d[RECORDS];
    static pp_decision one[RECORDS], many[RECORDS];
    make_records(d, RECORDS);
    const pp_team *teams[2] = { NULL, team };
    size_t rules = 0;
    for (int t = 0; t < 2; t++) {
        int first = PP_OK;
        for (size_t i = 0; i < RECORDS; i++) {
            int rc = pp_decide(&one[i], p, teams[t], &d[i]);
            if (rc != PP_OK && first == PP_OK)
                first = rc;
            rules |= (size_t)1 << one[i].rule;
        }
        /* Every block size a caller may pass, at every offset into a block. */
        static const size_t sizes[] = { 1, 2, 15, 16, 17, 31, 33, 100, RECORDS };
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
            for (size_t at = 0; at + sizes[k] <= RECORDS; at += sizes[k] + 7) {
                memset(many, 0xA5, sizeof many);
                int want = PP_OK;
                for (size_t i = at; i < at + sizes[k] && want == PP_OK; i++)
                    want = one[i].error;
                ck_assert_int_eq(pp_decide_many(many, p, teams[t], &d[at], sizes[k]), want);
                for (size_t i = 0; i < sizes[k]; i++)
                    ck_assert_msg(memcmp(&many[i], &one[at + i], sizeof many[i]) == 0,
                                  "record %zu (batch of %zu at %zu, team %d) differs",
                                  at + i, sizes[k], at, t);
            }
        ck_assert_int_eq(pp_decide_many(many, p, teams[t], d, RECORDS), first);
    }
    /* The records reach every rule, so every path of the batch ran. */
    ck_assert_uint_eq(rules, 0xFFFF);
    pp_team_free(team);
    pp_policy_free(p);
}
END_TEST

Suite *batch_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("decide_many");
    tcase_add_test(tc, test_batch_gives_every_record_its_single_decision);
    suite_add_tcase(s, tc);
    return s;
}
