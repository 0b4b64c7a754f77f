/*
 * The policy diff's device classes (docs/diff.md) checked against records:
 * every random record's change between two policies is the one its class
 * predicts, and the classes' descriptions name every fact they rest on.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff_fixtures.h"
#include "load_util.h"
#include "suites.h"
#include "particlepolicy.h"

/* ---- the abstraction against records ---- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t pick(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

#define PICK(a) ((a)[pick(COUNT(a))])

/* Random records over the values that matter (thresholds, product IDs of
 * either policy and others, every member, every model of the tables) and
 * some that do not, half of them a changed class's representative with a
 * few fields redrawn (records near the edges of the classes): each decides,
 * under both policies, the way its class says. */
static void check_records_against_classes(const pp_policy *a, const pp_policy *b, long n)
{
    n = ppt_iterations(n);
    static const char *const versions[] = {
        "0.0.0-0", "0.0.1", "1.9.0", "2.0.0", "2.2.0", "2.3.0-rc.1", "2.3.0", "2.3.1",
        "3.3.1", "v3.0.1-p2.1", "4.0.0-beta.1", "4.0.0", "4.5.0", "5.0.0-0", "5.0.0",
        "5.0.1+ledger", "6.1.1",
    };
    static const char *const owners[] = {
        NULL, "fay@brightwater.example", "dana@brightwater.example", "kim@contractor.example",
        "ivy@harborlabs.example", "fleet-sync", "mallory@example.net", "alice", "bob", "carol",
        "dave", "ci",
    };
    static const char *const skus[] = {
        NULL, "T404MEA", "ONE404MEA", "B404X", "B524", "P2MOD10", "PHN2MEA", "E404X", "E404",
        "MON404", "BRN404", "XEN1", "NG1", "NG2X", "NG3", "Z9", "TRACKM1",
    };
    static const uint32_t platforms[] = {
        0, 6, 10, 13, 14, 15, 23, 25, 26, 28, 32, 38, 40, 42, 43, 60, 61, 99, PP_PLATFORM_UNSPECIFIED,
    };
    static const uint32_t firmware[] = { 0, 0, 7, 8, 21, 22, 23, 100 };
    uint32_t ids[64];
    size_t nids = 0;
    ids[nids++] = 0;
    ids[nids++] = 13999;
    ids[nids++] = 3;
    const pp_policy *both[2] = { a, b };
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < pp_policy_product_count(both[k]) && nids < COUNT(ids); i++) {
            pp_product_info info;
            pp_policy_product_at(&info, both[k], i);
            ids[nids++] = info.id;
        }
    pp_diff *d = diff_of(a, b);
    size_t nclasses = pp_diff_device_class_count(d);
    int changed = 0;
    for (long i = 0; i < n; i++) {
        pp_device r;
        /* Which fields to draw: all, or one to three of a representative's. */
        unsigned redraw = 0x7FF;
        memset(&r, 0, sizeof r);
        if (nclasses > 0 && i % 2 == 1) {
            pp_device_class c;
            pp_diff_device_class_at(&c, d, pick((uint32_t)nclasses));
            r = c.representative;
            redraw = 0;
            for (uint32_t k = pick(3) + 1; k > 0; k--)
                redraw |= 1u << pick(11);
        }
        r.id = "0123456789abcdef01234567";
        r.id_len = 24;
        if (redraw & 1)
            r.device_os = PICK(versions), r.device_os_len = strlen(r.device_os);
        if (redraw & 2)
            r.sku = PICK(skus), r.sku_len = r.sku ? strlen(r.sku) : 0;
        if (redraw & 4)
            r.platform_id = PICK(platforms);
        if (r.platform_id == PP_PLATFORM_UNSPECIFIED && r.sku == NULL)
            r.sku = "T404", r.sku_len = 4;
        if (redraw & 8)
            r.cloud_product_id = pick(3) == 0 ? 0 : ids[pick((uint32_t)nids)];
        if (redraw & 16)
            r.firmware_product_id = pick(4) == 0 ? r.cloud_product_id : ids[pick((uint32_t)nids)];
        uint32_t *lists[3] = { &r.denied_in, &r.removed_from, &r.quarantined_in };
        for (int k = 0; k < 3; k++) {
            uint32_t choice = pick(6);
            if (redraw & (32u << k))
                *lists[k] = choice < 3 ? 0 : choice == 3 ? r.cloud_product_id
                          : choice == 4 ? r.firmware_product_id : ids[pick((uint32_t)nids)];
        }
        if (redraw & 256)
            r.owner = PICK(owners), r.owner_len = r.owner ? strlen(r.owner) : 0;
        if (redraw & 512)
            r.development = pick(3) == 0;
        if (redraw & 1024)
            r.firmware_version = PICK(firmware);

        pp_decision od, nd, po, pn;
        ck_assert_int_eq(pp_decide(&od, a, NULL, &r), PP_OK);
        ck_assert_int_eq(pp_decide(&nd, b, NULL, &r), PP_OK);
        size_t at;
        ck_assert_int_eq(pp_diff_class_of(&at, &po, &pn, d, &r), PP_OK);
        bool differs = memcmp(&od, &nd, sizeof od) != 0;
        changed += differs;
        ck_assert_msg(differs == (at != PP_DIFF_NONE),
                      "record %ld (os %s, platform %u, C %u, F %u): changes %d, class %zd", i,
                      r.device_os, r.platform_id, r.cloud_product_id, r.firmware_product_id,
                      differs, (ssize_t)at);
        ck_assert_msg(memcmp(&po, &od, sizeof od) == 0 && memcmp(&pn, &nd, sizeof nd) == 0,
                      "record %ld: the class predicts rules %d -> %d, the record decides %d -> %d",
                      i, po.rule, pn.rule, od.rule, nd.rule);
    }
    /* The pairs below do change some records. */
    ck_assert_int_gt(changed, 0);
    pp_diff_free(d);
}

START_TEST(test_diff_every_record_changes_as_its_class_predicts)
{
    pp_policy *example_policy = example();
    pp_policy *variants[] = {
        example_changed(TO_AUTO_APPROVE), example_changed(DROP_FAY), example_changed(LEGACY_5),
        load_string(RICH_OLD), load_string(RICH_NEW),
    };
    for (size_t i = 0; i < 3; i++) {
        check_records_against_classes(example_policy, variants[i], 20000);
        check_records_against_classes(variants[i], example_policy, 20000);
    }
    check_records_against_classes(variants[3], variants[4], 40000);
    check_records_against_classes(variants[4], variants[3], 40000);
    check_records_against_classes(example_policy, variants[4], 20000);
    for (size_t i = 0; i < COUNT(variants); i++)
        pp_policy_free(variants[i]);
    pp_policy_free(example_policy);
}
END_TEST

START_TEST(test_diff_class_descriptions_cover_the_facts)
{
    pp_policy *a = load_string(RICH_OLD), *b = load_string(RICH_NEW);
    pp_diff *d = diff_of(a, b);
    /* Each of these phrases is the only description of some class. */
    static const char *const phrases[] = {
        "in the cloud under ", "firmware claims no product", "firmware claims the same product",
        "in the cloud under another product", "firmware claims another product",
        "(another product)", "a product neither policy holds", "on the Denied list of",
        "removed from", "on a quarantine list", "unowned", "owned by someone",
        "its model ", "a development device", "released firmware",
        "below its product's min_device_os", "legacy under the new policy only",
    };
    for (size_t p = 0; p < COUNT(phrases); p++) {
        bool found = false;
        for (size_t k = 0; k < pp_diff_device_class_count(d) && !found; k++) {
            pp_device_class c;
            pp_diff_device_class_at(&c, d, k);
            found = contains(c.description, phrases[p]);
        }
        ck_assert_msg(found, "no class says: %s", phrases[p]);
    }
    pp_diff_free(d);
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

Suite *diff_classes_suite(void)
{
    Suite *s = suite_create("diff classes");
    TCase *tc = tcase_create("diff classes");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_diff_every_record_changes_as_its_class_predicts);
    tcase_add_test(tc, test_diff_class_descriptions_cover_the_facts);
    suite_add_tcase(s, tc);
    return s;
}
