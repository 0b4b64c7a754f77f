/* Helpers the loader's test files share (load_util.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "load_util.h"

char *slurp(const char *path, size_t *len)
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

pp_policy *load_text(const char *text, size_t len)
{
    pp_policy *p = NULL;
    pp_error err;
    int rc = pp_policy_load(&p, text, len, NULL, &err);
    ck_assert_msg(rc == PP_OK, "load failed: %s %u:%u %s", pp_error_name(rc),
                  err.line, err.column, err.message);
    ck_assert_ptr_nonnull(p);
    return p;
}

pp_policy *load_string(const char *text)
{
    return load_text(text, strlen(text));
}

pp_policy *load_file(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    pp_policy *p = load_text(text, len);
    free(text);
    return p;
}

int load_fails(pp_error *err, const char *text, const pp_load_options *opt)
{
    pp_policy *p = (pp_policy *)&p; /* not NULL: the load must clear it */
    memset(err, 0, sizeof *err);
    int rc = pp_policy_load(&p, text, strlen(text), opt, err);
    ck_assert_int_ne(rc, PP_OK);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(err->code, rc);
    return rc;
}

size_t offset_of(const char *text, size_t len, uint32_t line, uint32_t column)
{
    size_t i = 0;
    for (uint32_t l = 1; l < line && i < len; i++) {
        if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
            i++;
        if (text[i] == '\n' || text[i] == '\r')
            l++;
    }
    for (uint32_t c = 1; c < column && i < len; c++) {
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}


void splice(char *out, size_t size, const char *tmpl, const char *insert)
{
    const char *at = strstr(tmpl, "@@");
    ck_assert_ptr_nonnull(at);
    int n = snprintf(out, size, "%.*s%s%s", (int)(at - tmpl), tmpl, insert, at + 2);
    ck_assert_int_lt(n, (int)size);
}

bool message_well_formed(const pp_error *err)
{
    size_t n = strnlen(err->message, sizeof err->message);
    if (n == sizeof err->message || n == 0)
        return false;
    /* ppi_user_name_valid: 1..255 bytes of UTF-8, no hidden characters. */
    return ppi_user_name_valid(err->message, n);
}

void *counting_alloc(void *opaque, size_t size)
{
    counting *c = opaque;
    if (++c->calls == c->fail_at)
        return NULL;
    void *ptr = malloc(size);
    if (ptr != NULL)
        c->live++;
    return ptr;
}

void counting_free(void *opaque, void *ptr)
{
    counting *c = opaque;
    if (ptr != NULL) {
        c->live--;
        free(ptr);
    }
}

long ppt_iterations(long n)
{
    const char *light = getenv("PP_TEST_LIGHT");
    if (light == NULL || *light == '\0')
        return n;
    return n / 20 > 0 ? n / 20 : 1;
}

long ppt_stride(void)
{
    return 20 / ppt_iterations(20);
}
