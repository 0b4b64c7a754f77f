/* Helpers the Check suites share (see helpers.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "particlepolicy.h"

pp_policy *ppt_load(const char *text)
{
    pp_policy *p = NULL;
    pp_error err;
    int rc = pp_policy_load(&p, text, strlen(text), NULL, &err);
    ck_assert_msg(rc == PP_OK, "policy: %u:%u %s", (unsigned)err.line, (unsigned)err.column,
                  err.message);
    return p;
}

char *ppt_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    ck_assert_int_ge(size, 0);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    buf[size] = '\0';
    *len = (size_t)size;
    return buf;
}

long ppt_iterations(long n)
{
    const char *light = getenv("PP_TEST_LIGHT");
    if (light == NULL || *light == '\0')
        return n;
    return n / 20 > 0 ? n / 20 : 1;
}
