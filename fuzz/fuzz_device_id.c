/*
 * Fuzz target: device record field validation (device ID, SKU, user name),
 * each against a plain restatement of its rule, and a decision on a record
 * whose ID is the input, which must agree with the validator.
 */
#include <ctype.h>
#include <string.h>

#include "internal.h"
#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* docs/spec.md §2: 24 hex digits, any case. */
static bool id_reference(const char *s, size_t len)
{
    if (len != 24)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    bool id_ok = ppi_device_id_valid(s, size);
    if (id_ok != id_reference(s, size))
        fuzz_fail("device_id: validator disagrees with the rule");
    (void)ppi_sku_valid(s, size);
    bool user_ok = ppi_user_name_valid(s, size);
    if (user_ok && (size == 0 || size > 255 || memchr(s, '\0', size) != NULL))
        fuzz_fail("user name: accepted an empty, long or NUL-holding name");

    pp_device d;
    memset(&d, 0, sizeof d);
    d.id = s;
    d.id_len = size;
    d.device_os = "3.3.1";
    d.device_os_len = 5;
    d.platform_id = 26;
    pp_decision out;
    int rc = pp_decide(&out, fuzz_policy(), NULL, &d);
    if ((rc == PP_ERR_DEVICE_ID) != !id_ok)
        fuzz_fail("device_id: decide disagrees with the validator");

    /* The same bytes as an owner: invalid names are rejected, never decided on. */
    d.id = "0123456789abcdef01234567";
    d.id_len = 24;
    d.owner = s;
    d.owner_len = size;
    rc = pp_decide(&out, fuzz_policy(), NULL, &d);
    if (rc != PP_OK && rc != PP_ERR_OWNER)
        fuzz_fail("owner: unexpected error");
    if (rc == PP_ERR_OWNER && (out.outcome != PP_OUTCOME_DENY || out.privileges != 0))
        fuzz_fail("owner: invalid owner did not fail closed");
    return 0;
}
