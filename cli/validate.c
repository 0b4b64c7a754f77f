/* ppolicy validate: load each policy; a one-line summary for a good one,
 * and for a bad one its schema errors as a compiler shows them: position,
 * message, code, the source line and a caret under the column. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "output.h"
#include "utf8.h"

static const char help[] =
    "Usage: ppolicy validate [--quiet] [--max-errors N] [--format FMT] POLICY.yaml...\n"
    "\n"
    "Load each policy.  A valid one gets one line:\n"
    "  FILE: valid: N products, fingerprint HHHHHHHHHHHHHHHH\n"
    "an invalid one its errors, each with its position, a did-you-mean hint,\n"
    "the source line and a caret under the column:\n"
    "  FILE:LINE:COLUMN: error: MESSAGE [error_code]\n"
    "      5 |     family: trackr\n"
    "        |             ^\n"
    "`-` reads a policy from standard input.\n"
    "\n"
    "  -q, --quiet         print nothing for valid policies\n"
    "  -m, --max-errors N  show at most N errors per policy (default 20; the\n"
    "                      check stops at 100)\n"
    PPC_FORMAT_HELP
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 all valid, 1 a policy is invalid, 2 bad usage or an\n"
    "unreadable file, 4 the output cannot be written.\n";

#define DEFAULT_MAX_ERRORS 20
#define POLICY_READ_MAX ((size_t)16 * 1024 * 1024 + 1) /* as ppc_load_policy */
#define SHOWN_WIDTH 160 /* characters of a long source line shown around the column */

/* ---- source lines ---- */

/* Length of the line break at s (YAML's: \n, \r\n, \r, NEL, LS, PS), 0 if
 * none: libyaml counts lines by these. */
static size_t line_break(const unsigned char *s, const unsigned char *end)
{
    if (*s == '\n')
        return 1;
    if (*s == '\r')
        return s + 1 < end && s[1] == '\n' ? 2 : 1;
    if (end - s >= 2 && s[0] == 0xC2 && s[1] == 0x85)
        return 2;
    if (end - s >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
        return 3;
    return 0;
}

/* The text of line (1-based) in [*start, *end); false when there is none. */
static bool find_line(const char *text, size_t len, uint32_t line, const unsigned char **start,
                      const unsigned char **end)
{
    const unsigned char *p = (const unsigned char *)text, *stop = p + len;
    for (uint32_t at = 1; at < line; at++) {
        size_t n = 0;
        while (p < stop && (n = line_break(p, stop)) == 0)
            p++;
        if (p == stop)
            return false;
        p += n;
    }
    const unsigned char *e = p;
    while (e < stop && line_break(e, stop) == 0)
        e++;
    *start = p;
    *end = e;
    return true;
}

/* One character of a source line as shown: itself when printable, a tab
 * as a tab (the caret line repeats it, so both align), anything else
 * (control characters, bytes that are not UTF-8, a byte order mark) as
 * '?'.  Returns its length in bytes. */
static size_t show_char(ppc_out *o, const unsigned char *p, const unsigned char *end,
                        char *caret_fill)
{
    uint32_t cp;
    size_t n = ppc_utf8_decode(p, (size_t)(end - p), &cp);
    *caret_fill = cp == '\t' && n == 1 ? '\t' : ' ';
    if (n == 0) {
        ppc_putc(o, '?');
        return 1;
    }
    if (cp == '\t' || (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F) && cp != 0xFEFF &&
                       cp != 0x2028 && cp != 0x2029 && !(cp >= 0x202A && cp <= 0x202E) &&
                       !(cp >= 0x2066 && cp <= 0x2069)))
        ppc_put(o, (const char *)p, n);
    else
        ppc_putc(o, '?'); /* controls and bidirectional overrides never reach a terminal */
    return n;
}

/* "    5 | source line" and "      |    ^" under column (in characters). */
static void show_source(ppc_out *o, const char *text, size_t len, uint32_t line,
                        uint32_t column)
{
    const unsigned char *p, *end;
    if (line == 0 || !find_line(text, len, line, &p, &end))
        return;
    /* A long line: a window around the column. */
    uint32_t first = column > SHOWN_WIDTH / 2 ? column - SHOWN_WIDTH / 2 : 1;
    uint32_t col = 1;
    for (; col < first && p < end; col++) {
        uint32_t cp;
        size_t n = ppc_utf8_decode(p, (size_t)(end - p), &cp);
        p += n > 0 ? n : 1;
    }
    char fill[3 + SHOWN_WIDTH + 1]; /* what goes before the caret */
    size_t nfill = 0;
    ppc_printf(o, "%5lu | ", (unsigned long)line);
    if (first > 1) {
        PPC_PUTS(o, "...");
        memset(fill, ' ', 3);
        nfill = 3;
    }
    for (uint32_t k = 0; p < end && k < SHOWN_WIDTH; k++, col++) {
        char f;
        p += show_char(o, p, end, &f);
        if (col < column)
            fill[nfill++] = f;
    }
    if (p < end)
        PPC_PUTS(o, "...");
    PPC_PUTS(o, "\n      | ");
    for (; col < column && nfill < sizeof fill; col++)
        fill[nfill++] = ' '; /* an error at the end of the line */
    ppc_put(o, fill, nfill);
    PPC_PUTS(o, "^\n");
}

/* The source line itself, for JSON (JSON escaping keeps it safe). */
static void json_source(ppc_json *j, const char *text, size_t len, uint32_t line)
{
    const unsigned char *p, *end;
    if (line > 0 && find_line(text, len, line, &p, &end))
        ppc_json_str(j, (const char *)p, (size_t)(end - p) > 4096 ? 4096 : (size_t)(end - p));
    else
        ppc_json_null(j);
}

/* ---- one policy ---- */

typedef struct options {
    int quiet, format;
    size_t max_errors;
} options;

/* Check one file; its text or JSON report.  Returns an exit status. */
static int validate(ppc_json *j, const char *path, const options *opt)
{
    const char *name = ppc_display_name(path);
    char *text;
    size_t len;
    int err = ppc_read_file(path, POLICY_READ_MAX, &text, &len);
    if (err != 0) {
        if (opt->format == PPC_JSON) {
            ppc_json_object(j);
            ppc_json_key(j, "file");
            ppc_json_cstr(j, name);
            ppc_json_key(j, "valid");
            ppc_json_bool(j, false);
            ppc_json_key(j, "unreadable");
            ppc_json_cstr(j, strerror(err));
            ppc_json_end(j);
        }
        fprintf(stderr, "ppolicy: cannot read %s: %s\n", name, strerror(err));
        return PPC_EXIT_USAGE;
    }
    size_t total = 0;
    pp_error *errors = malloc((opt->max_errors > 0 ? opt->max_errors : 1) * sizeof *errors);
    int rc = errors == NULL ? PP_ERR_NOMEM
                            : pp_policy_validate(&total, errors, opt->max_errors, text, len, NULL);
    size_t shown = total < opt->max_errors ? total : opt->max_errors;
    pp_policy *p = NULL;
    if (rc == PP_OK && pp_policy_load(&p, text, len, NULL, NULL) != PP_OK)
        rc = PP_ERR_NOMEM;
    if (opt->format == PPC_JSON) {
        ppc_json_object(j);
        ppc_json_key(j, "file");
        ppc_json_cstr(j, name);
        ppc_json_key(j, "valid");
        ppc_json_bool(j, rc == PP_OK);
        if (rc == PP_OK) {
            ppc_json_key(j, "products");
            ppc_json_uint(j, pp_policy_product_count(p));
            ppc_json_key(j, "fingerprint");
            ppc_json_hex64(j, pp_policy_fingerprint(p));
        } else {
            ppc_json_key(j, "errors");
            ppc_json_list(j);
            for (size_t i = 0; i < shown; i++) {
                const pp_error *e = &errors[i];
                ppc_json_object(j);
                ppc_json_key(j, "line");
                ppc_json_uint(j, e->line);
                ppc_json_key(j, "column");
                ppc_json_uint(j, e->column);
                ppc_json_key(j, "code");
                ppc_json_cstr(j, pp_error_name(e->code));
                ppc_json_key(j, "message");
                ppc_json_cstr(j, e->message);
                ppc_json_key(j, "source");
                json_source(j, text, len, e->line);
                ppc_json_end(j);
            }
            ppc_json_end(j);
            ppc_json_key(j, "errors_total");
            ppc_json_uint(j, total);
        }
        ppc_json_end(j);
    } else if (rc == PP_OK) {
        if (!opt->quiet) {
            size_t n = pp_policy_product_count(p);
            ppc_printf(ppc_stdout(), "%s: valid: %zu product%s, fingerprint %016" PRIx64 "\n",
                       name, n, n == 1 ? "" : "s", pp_policy_fingerprint(p));
        }
    } else {
        ppc_out *o = ppc_stderr();
        if (errors == NULL)
            ppc_printf(o, "%s: error: out of memory\n", name);
        for (size_t i = 0; i < shown; i++) {
            const pp_error *e = &errors[i];
            const char *code = pp_error_name(e->code);
            if (e->line > 0)
                ppc_printf(o, "%s:%lu:%lu: error: %s [%s]\n", name, (unsigned long)e->line,
                           (unsigned long)e->column, e->message, code != NULL ? code : "error");
            else
                ppc_printf(o, "%s: error: %s [%s]\n", name, e->message,
                           code != NULL ? code : "error");
            show_source(o, text, len, e->line, e->column);
        }
        if (total > shown)
            ppc_printf(o, "%s: %zu more error%s not shown (--max-errors %zu)\n", name,
                       total - shown, total - shown == 1 ? "" : "s", opt->max_errors);
        if (total == PP_VALIDATE_MAX_ERRORS)
            ppc_printf(o, "%s: stopped after %d errors\n", name, PP_VALIDATE_MAX_ERRORS);
        ppc_flush(o);
    }
    pp_policy_free(p);
    free(errors);
    free(text);
    return rc == PP_OK ? PPC_EXIT_OK : rc == PP_ERR_NOMEM ? PPC_EXIT_USAGE : PPC_EXIT_FAIL;
}

int ppc_validate(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "quiet", no_argument, NULL, 'q' },
        { "max-errors", required_argument, NULL, 'm' },
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    options opt = { 0, PPC_TEXT, DEFAULT_MAX_ERRORS };
    int c;
    while ((c = ppc_getopt(argc, argv, "qm:o:h", longopts, help, &opt.format)) != -1) {
        switch (c) {
        case 'h': return PPC_EXIT_OK;
        case 'q': opt.quiet = 1; break;
        case 'm': {
            char *end;
            errno = 0;
            unsigned long n = strtoul(optarg, &end, 10);
            if (*optarg < '1' || *optarg > '9' || *end != '\0' || errno != 0 ||
                n > PP_VALIDATE_MAX_ERRORS)
                return ppc_usage_error(argv[0], "--max-errors: expected 1 to %d, found '%s'",
                                       PP_VALIDATE_MAX_ERRORS, optarg);
            opt.max_errors = n;
            break;
        }
        default: return PPC_EXIT_USAGE;
        }
    }
    if (optind == argc)
        return ppc_usage_error(argv[0], "no policy file given");
    ppc_json j;
    ppc_json_start(&j, ppc_stdout());
    if (opt.format == PPC_JSON) {
        ppc_json_object(&j);
        ppc_json_key(&j, "files");
        ppc_json_list(&j);
    }
    int worst = PPC_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        int rc = validate(&j, argv[i], &opt);
        if (rc > worst)
            worst = rc;
    }
    if (opt.format == PPC_JSON) {
        ppc_json_end(&j);
        ppc_json_key(&j, "valid");
        ppc_json_bool(&j, worst == PPC_EXIT_OK);
        ppc_json_end(&j);
        ppc_json_finish(&j);
    }
    return worst;
}
