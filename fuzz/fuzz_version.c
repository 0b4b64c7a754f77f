/*
 * Fuzz target: semver parsing and precedence.  The input is two versions
 * separated by the first NUL byte (or one version compared with itself).
 * Comparison must agree with parsing, be reflexive, antisymmetric and
 * ignore build metadata, and the parser must only point into its input.
 */
#include <string.h>

#include "internal.h"
#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_parsed(const ppi_version *v, const char *s, size_t len)
{
    if (v->text != s || v->text_len != len)
        fuzz_fail("version: text is not the input");
    if (v->pre != NULL && (v->pre < s || v->pre + v->pre_len > s + len || v->pre_len == 0))
        fuzz_fail("version: prerelease outside the input");
    const ppi_number *n[3] = { &v->major, &v->minor, &v->patch };
    for (int i = 0; i < 3; i++)
        if (n[i]->len == 0 || n[i]->digits < s || n[i]->digits + n[i]->len > s + len)
            fuzz_fail("version: a number outside the input");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *a = (const char *)data;
    const char *nul = memchr(a, '\0', size);
    size_t a_len = nul ? (size_t)(nul - a) : size;
    const char *b = nul ? nul + 1 : a;
    size_t b_len = nul ? size - a_len - 1 : size;

    ppi_version va, vb;
    int ra = ppi_version_parse(&va, a, a_len);
    int rb = ppi_version_parse(&vb, b, b_len);
    if ((ra != PP_OK && ra != PP_ERR_INVALID_VERSION) || (rb != PP_OK && rb != PP_ERR_INVALID_VERSION))
        fuzz_fail("version: parse returned an unexpected code");
    if (ra == PP_OK)
        check_parsed(&va, a, a_len);
    if (rb == PP_OK)
        check_parsed(&vb, b, b_len);

    int ab = 2, ba = 2, aa = 2;
    int rc = pp_version_compare(&ab, a, a_len, b, b_len);
    if ((rc == PP_OK) != (ra == PP_OK && rb == PP_OK))
        fuzz_fail("version: compare disagrees with parse");
    if (rc != PP_OK)
        return 0;
    if (pp_version_compare(&ba, b, b_len, a, a_len) != PP_OK ||
        pp_version_compare(&aa, a, a_len, a, a_len) != PP_OK)
        fuzz_fail("version: compare not repeatable");
    if (ab < -1 || ab > 1 || ab != -ba || aa != 0)
        fuzz_fail("version: compare not antisymmetric or not reflexive");
    int raw = ppi_version_cmp(&va, &vb);
    if ((raw > 0) - (raw < 0) != ab)
        fuzz_fail("version: ppi_version_cmp disagrees with pp_version_compare");

    /* Build metadata never changes precedence. */
    const char *plus = memchr(a, '+', a_len);
    size_t core = plus ? (size_t)(plus - a) : a_len;
    int stripped = 2;
    if (pp_version_compare(&stripped, a, core, b, b_len) != PP_OK || stripped != ab)
        fuzz_fail("version: build metadata changed precedence");
    return 0;
}
