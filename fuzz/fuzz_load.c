/*
 * Fuzz target: the YAML policy loader with its default limits.  Every
 * failure must leave *out NULL and a well-formed error record; every success
 * must answer the introspection API consistently.  pp_policy_validate must
 * agree: the load's code, the load's error among those it reports, in
 * source order.
 */
#include <stdbool.h>
#include <string.h>

#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(int rc, const pp_error *err)
{
    if (rc >= 0 || err->code != rc || pp_error_name(rc) == NULL)
        fuzz_fail("load: error code not set");
    if (memchr(err->message, '\0', sizeof err->message) == NULL || err->message[0] == '\0')
        fuzz_fail("load: message not a non-empty string");
    if ((err->line == 0) != (err->column == 0))
        fuzz_fail("load: half a position");
}

static void check_policy(const pp_policy *p)
{
    size_t n = pp_policy_product_count(p);
    for (size_t i = 0; i < n; i++) {
        pp_product_info a, b;
        if (pp_policy_product_at(&a, p, i) != PP_OK)
            fuzz_fail("load: product_at within count");
        if (pp_policy_product(&b, p, a.id) != PP_OK || b.id != a.id || strcmp(a.name, b.name) != 0)
            fuzz_fail("load: product by ID differs from product by position");
        if (pp_family_name(p, a.family) == NULL)
            fuzz_fail("load: product family has no name");
    }
    pp_product_info none;
    if (pp_policy_product_at(&none, p, n) != PP_ERR_INVALID_ARGUMENT)
        fuzz_fail("load: product_at past the end");
    pp_platform_info pl;
    for (size_t i = 0; pp_policy_platform_at(&pl, p, i) == PP_OK; i++)
        if (pl.name == NULL || (pl.family >= 0 && pp_family_name(p, pl.family) == NULL))
            fuzz_fail("load: platform without name or family");
    pp_sku_info sku;
    for (size_t i = 0; pp_policy_sku_at(&sku, p, i) == PP_OK; i++)
        if (sku.prefix == NULL)
            fuzz_fail("load: SKU without prefix");
    if (pp_policy_legacy_below(p) == NULL)
        fuzz_fail("load: no legacy threshold");
    size_t total = 0;
    if (pp_check_policy(&total, NULL, 0, p) != PP_OK)
        fuzz_fail("load: check_policy on a loaded policy");
    (void)pp_policy_fingerprint(p);
}

static void check_validation(const uint8_t *data, size_t size, int rc, const pp_error *err)
{
    static pp_error found[PP_VALIDATE_MAX_ERRORS];
    size_t total = 0;
    if (pp_policy_validate(&total, found, PP_VALIDATE_MAX_ERRORS, (const char *)data, size,
                           NULL) != rc)
        fuzz_fail("validate: not the load's code");
    if ((rc == PP_OK) != (total == 0) || total > PP_VALIDATE_MAX_ERRORS)
        fuzz_fail("validate: count");
    bool has_load_error = rc == PP_OK;
    for (size_t i = 0; i < total; i++) {
        check_error(found[i].code, &found[i]);
        if (i > 0 && (found[i].line < found[i - 1].line ||
                      (found[i].line == found[i - 1].line && found[i].column < found[i - 1].column)))
            fuzz_fail("validate: not in source order");
        has_load_error |= found[i].code == err->code && found[i].line == err->line &&
                          found[i].column == err->column && found[i].offset == err->offset &&
                          strcmp(found[i].message, err->message) == 0;
    }
    if (!has_load_error)
        fuzz_fail("validate: the load's error is not among them");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pp_policy *p = (pp_policy *)&p;
    pp_error err;
    int rc = pp_policy_load(&p, (const char *)data, size, NULL, &err);
    check_validation(data, size, rc, &err);
    if (rc != PP_OK) {
        if (p != NULL)
            fuzz_fail("load: failure left a policy");
        check_error(rc, &err);
        return 0;
    }
    if (p == NULL || err.code != PP_OK)
        fuzz_fail("load: success without a policy");
    check_policy(p);
    /* The same text loads to the same policy. */
    pp_policy *again = NULL;
    if (pp_policy_load(&again, (const char *)data, size, NULL, NULL) != PP_OK ||
        pp_policy_fingerprint(again) != pp_policy_fingerprint(p))
        fuzz_fail("load: not deterministic");
    pp_policy_free(again);
    pp_policy_free(p);
    return 0;
}
