/* Rules 3 and 4 of a decision (lib/decide.c, model_fits) against the whole
 * model resolution (lib/family.c, which pp_may_join gives): a decision
 * takes a shortcut for most records (the SKU's fit_family, found at load,
 * or the platform's family) and the whole resolution for the rest, and
 * must answer as the resolution does for every platform of the table, no
 * platform and an unknown one, with every SKU prefix of the table, in
 * either case, none and an unknown SKU, in a product of every family; on
 * the built-in table and on one a policy changes (a platform no longer
 * eligible, one made eligible, one whose SKUs decide, a new one, a prefix
 * replaced). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "load_util.h"
#include "suites.h"

static const char builtin_table[] = "";

static const char changed_table[] =
    "platforms:\n"
    "  - {id: 23, name: bsom, product_eligible: false}\n"
    "  - {id: 14, name: xenon, product_eligible: true, family: mesh_kit}\n"
    "  - {id: 88, name: duo, family_by_sku: true}\n"
    "  - {id: 40, name: nextgen}\n"
    "skus:\n"
    "  - {prefix: DUO-A, platform: 88, family: duo_a}\n"
    "  - {prefix: NG1, platform: nextgen}\n"
    "  - {prefix: MON, platform: tracker, family: monitor}\n"
    "  - {prefix: B5X, platform: 23}\n";

#define PRODUCT_BASE 1000u

/* The table's text, then a product of every family it has. */
static pp_policy *load_with_products(const char *table)
{
    char text[8192];
    int n = snprintf(text, sizeof text, "version: 1\n%s", table);
    pp_policy *p = load_string(text); /* for its family names */
    n += snprintf(text + n, sizeof text - (size_t)n, "products:\n");
    for (int f = 0; pp_family_name(p, f) != NULL; f++)
        n += snprintf(text + n, sizeof text - (size_t)n, "  - {id: %u, name: f%d, family: %s}\n",
                      PRODUCT_BASE + (unsigned)f, f, pp_family_name(p, f));
    ck_assert_int_lt(n, (int)sizeof text);
    pp_policy_free(p);
    return load_string(text);
}

static void check_model(const pp_policy *p, uint32_t platform, const char *sku, size_t sku_len)
{
    for (int f = 0; pp_family_name(p, f) != NULL; f++) {
        pp_device d = PP_DEVICE_INIT;
        d.id = "0123456789abcdef01234567";
        d.id_len = 24;
        d.device_os = "5.4.0";
        d.device_os_len = 5;
        d.platform_id = platform;
        d.sku = sku;
        d.sku_len = sku_len;
        d.cloud_product_id = PRODUCT_BASE + (uint32_t)f;
        pp_model m = { platform, sku, sku_len };
        pp_verdict v;
        pp_decision out;
        int rc = pp_decide(&out, p, NULL, &d);
        ck_assert_int_eq(rc, pp_may_join(&v, p, d.cloud_product_id, &m));
        if (rc != PP_OK)
            continue;
        /* A member of the product, once its model fits (rule 7). */
        int rule = v.allowed ? 7 : v.reason == PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE ? 3 : 4;
        int32_t reason = v.allowed ? PP_REASON_MEMBER : v.reason;
        ck_assert_msg(out.rule == rule && (int32_t)out.reason == reason,
                      "platform %u, SKU '%.*s', family %s: rule %d (%d), the model's %d (%d)",
                      platform, (int)sku_len, sku != NULL ? sku : "", pp_family_name(p, f),
                      out.rule, (int)out.reason, rule, (int)reason);
    }
}

START_TEST(test_model_fit_agrees_with_the_whole_resolution)
{
    pp_policy *p = load_with_products(_i == 0 ? builtin_table : changed_table);
    const ppi_families *t = &p->families;
    uint32_t platforms[64];
    uint32_t np = 0;
    for (uint32_t i = 0; i < t->nplatforms && np < 62; i++)
        platforms[np++] = t->platforms[i].id;
    platforms[np++] = PP_PLATFORM_UNSPECIFIED;
    platforms[np++] = 9999;
    for (uint32_t k = 0; k < np; k++) {
        check_model(p, platforms[k], NULL, 0);
        check_model(p, platforms[k], "ZZZ-1", 5);
        for (uint32_t i = 0; i < t->nskus; i++) {
            char sku[PPI_SKU_MAX_LEN + 8];
            size_t len = t->skus[i].prefix_len;
            memcpy(sku, t->skus[i].prefix, len);
            check_model(p, platforms[k], sku, len);
            memcpy(sku + len, "mea", 3); /* longer, and in lower case */
            for (size_t j = 0; j < len; j++)
                if (sku[j] >= 'A' && sku[j] <= 'Z')
                    sku[j] = (char)(sku[j] - 'A' + 'a');
            check_model(p, platforms[k], sku, len + 3);
        }
    }
    pp_policy_free(p);
}
END_TEST

Suite *model_fit_suite(void)
{
    Suite *s = suite_create("model_fit");
    TCase *tc = tcase_create("resolution");
    tcase_add_loop_test(tc, test_model_fit_agrees_with_the_whole_resolution, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
