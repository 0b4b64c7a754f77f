/* Reading policy files and telling file arguments from inline text, and
 * reporting load errors the way compilers do, so editors and CI logs can
 * jump to the line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* pp_load_options' default max_input_bytes: read one byte more so the
 * loader, which owns the limit, reports it. */
#define POLICY_READ_MAX ((size_t)16 * 1024 * 1024 + 1)

int ppc_is_inline(const char *arg)
{
    const char *p = arg + strspn(arg, " \t");
    return *p == '{' || strchr(arg, '\n') != NULL || strstr(arg, ": ") != NULL;
}

const char *ppc_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int ppc_read_file(const char *path, size_t max, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL)
        return errno;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    int err = 0;
    for (;;) {
        if (n == cap) {
            if (cap >= max)
                break;
            size_t grown = cap == 0 ? 65536 : cap * 2;
            char *p = realloc(buf, grown < max ? grown : max);
            if (p == NULL) {
                err = ENOMEM;
                break;
            }
            buf = p;
            cap = grown < max ? grown : max;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                err = errno != 0 ? errno : EIO;
            break;
        }
    }
    if (!is_stdin)
        fclose(f);
    if (err != 0) {
        free(buf);
        return err;
    }
    *text = buf;
    *len = n;
    return 0;
}

int ppc_load_policy(const char *path, pp_policy **out)
{
    *out = NULL;
    char *text;
    size_t len;
    int err = ppc_read_file(path, POLICY_READ_MAX, &text, &len);
    if (err != 0) {
        fprintf(stderr, "ppolicy: cannot read %s: %s\n", ppc_display_name(path), strerror(err));
        return PPC_EXIT_USAGE;
    }
    pp_error e;
    int rc = pp_policy_load(out, text, len, NULL, &e);
    free(text);
    if (rc == PP_OK)
        return PPC_EXIT_OK;
    const char *code = pp_error_name(e.code);
    if (e.line > 0)
        fprintf(stderr, "%s:%lu:%lu: error: %s [%s]\n", ppc_display_name(path),
                (unsigned long)e.line, (unsigned long)e.column, e.message,
                code != NULL ? code : "error");
    else
        fprintf(stderr, "%s: error: %s [%s]\n", ppc_display_name(path), e.message,
                code != NULL ? code : "error");
    return rc == PP_ERR_NOMEM ? PPC_EXIT_USAGE : PPC_EXIT_FAIL;
}

int ppc_load_builtin(pp_policy **out)
{
    static const char empty[] = "version: 1\n";
    pp_error e;
    if (pp_policy_load(out, empty, sizeof empty - 1, NULL, &e) != PP_OK) {
        fprintf(stderr, "ppolicy: cannot build the built-in tables: %s\n", e.message);
        return PPC_EXIT_USAGE;
    }
    return PPC_EXIT_OK;
}
