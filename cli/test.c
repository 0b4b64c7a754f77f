/* ppolicy test: a policy test runner in the manner of `opa test`.  Every
 * case file is read whole first (casefile.c): a malformed one is reported
 * before anything is run or counted.  Then each case is checked;
 * mismatches are printed with expected and actual values, as text, as
 * JSON, and as a JUnit report for CI systems. */
#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefile.h"
#include "cli.h"
#include "json.h"
#include "output.h"
#include "utf8.h"

static const char help[] =
    "Usage: ppolicy test [--policy POLICY.yaml] [-v] [--run PATTERN] [--junit FILE]\n"
    "                    [--format FMT] CASES.yaml...\n"
    "\n"
    "Run policy test files.  A file is a YAML (or JSON) mapping:\n"
    "  policy: policy.yaml        # relative to the case file\n"
    "  cases:\n"
    "    - name: unowned tracker is auto-approved\n"
    "      device: {id: 0123456789abcdef01234567, platform_id: tracker,\n"
    "               device_os: 3.3.1, firmware_product_id: 1001}\n"
    "      expect:\n"
    "        outcome: auto_approve   # required\n"
    "        reason: unowned         # the rest is optional\n"
    "        rule: 13\n"
    "        product_id: 1001\n"
    "        limited_in: 0\n"
    "        privileges: [ota_updates, product_events, customer_claim, product_webhooks]\n"
    "        advisories: []\n"
    "        error: invalid_device_os   # pp_decide's or the reader's error code\n"
    "`policy` must come before `cases`.  Every file is read first; a malformed\n"
    "one is reported (FILE:LINE:COLUMN: error: KEY: MESSAGE) and nothing runs.\n"
    "Then each failure is printed with its position, expected and actual\n"
    "values, and `N passed, N failed`.  `-` reads a case file from standard\n"
    "input (its policy path is relative to the current directory).\n"
    "\n"
    "  -p, --policy FILE   use this policy instead of the files' own\n"
    "  -v, --verbose       list every case run, passed or not\n"
    "  -r, --run PATTERN   run only the cases whose name matches PATTERN (a POSIX\n"
    "                      extended regular expression; unnamed cases are\n"
    "                      `case N`)\n"
    "  -j, --junit FILE    also write a JUnit XML report to FILE\n"
    PPC_FORMAT_HELP
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 all cases pass, 1 a case fails or the policy is invalid,\n"
    "2 bad usage, an unreadable or malformed case file, 4 the output cannot be\n"
    "written.\n";

/* ---- running and reporting ---- */

typedef struct mismatch {
    const char *key;
    char expected[256], got[256];
} mismatch;

static void names_text(char *out, size_t size, uint32_t bits, const char *(*name)(int))
{
    size_t used = (size_t)snprintf(out, size, "[");
    for (int i = 0; i < 32 && used < size; i++)
        if (bits & (1u << i))
            used += (size_t)snprintf(out + used, size - used, "%s%s", used > 1 ? ", " : "",
                                     name(i) != NULL ? name(i) : "?");
    if (used < size)
        snprintf(out + used, size - used, "]");
}

static const char *or_none(const char *name)
{
    return name != NULL ? name : "none";
}

/* What differs between a case's expectation and its decision. */
static size_t mismatches(const ppc_case *c, mismatch m[8])
{
    const ppc_expectation *x = &c->x;
    const pp_decision *d = &c->d;
    size_t n = 0;
#define NAMED(has, want, gotv, key_, name_)                                                  \
    if (x->has && (want) != (gotv)) {                                                       \
        m[n].key = key_;                                                                    \
        snprintf(m[n].expected, sizeof m[n].expected, "%s", or_none(name_(want)));          \
        snprintf(m[n].got, sizeof m[n].got, "%s", or_none(name_(gotv)));                    \
        n++;                                                                                \
    }
#define NUMBER(has, want, gotv, key_)                                                        \
    if (x->has && (want) != (gotv)) {                                                       \
        m[n].key = key_;                                                                    \
        snprintf(m[n].expected, sizeof m[n].expected, "%ld", (long)(want));                 \
        snprintf(m[n].got, sizeof m[n].got, "%ld", (long)(gotv));                           \
        n++;                                                                                \
    }
#define BITS(has, want, gotv, key_, name_)                                                   \
    if (x->has && (want) != (gotv)) {                                                       \
        m[n].key = key_;                                                                    \
        names_text(m[n].expected, sizeof m[n].expected, want, name_);                       \
        names_text(m[n].got, sizeof m[n].got, gotv, name_);                                 \
        n++;                                                                                \
    }
    NAMED(has_outcome, x->outcome, d->outcome, "outcome", pp_outcome_name)
    NAMED(has_reason, x->reason, d->reason, "reason", pp_reason_name)
    NUMBER(has_rule, x->rule, d->rule, "rule")
    NUMBER(has_product, x->product_id, d->product_id, "product_id")
    NUMBER(has_limited, x->limited_in, d->limited_in, "limited_in")
    BITS(has_privileges, x->privileges, d->privileges, "privileges", pp_privilege_name)
    BITS(has_advisories, x->advisories, d->advisories, "advisories", pp_advisory_name)
    if (x->has_error && x->error != d->error) {
        m[n].key = "error";
        snprintf(m[n].expected, sizeof m[n].expected, "%s", or_none(pp_error_name(x->error)));
        snprintf(m[n].got, sizeof m[n].got, "%s",
                 d->error == PP_OK ? "none" : or_none(pp_error_name(d->error)));
        n++;
    }
#undef NAMED
#undef NUMBER
#undef BITS
    return n;
}

/* The case's name as text shows it: a JSON string, or "case N". */
static void put_name(ppc_out *o, const ppc_case *c)
{
    if (c->name != NULL)
        ppc_json_string(o, c->name, c->name_len);
    else
        ppc_printf(o, "case %u", c->number);
}

/* "FILE:L:C: FAIL name" and its mismatches, as text. */
static void put_result(ppc_out *o, const char *file, const ppc_case *c)
{
    mismatch m[8];
    size_t n = c->passed ? 0 : mismatches(c, m);
    ppc_printf(o, "%s:%lu:%lu: %s ", file, (unsigned long)c->at.line, (unsigned long)c->at.column,
               c->passed ? "PASS" : "FAIL");
    put_name(o, c);
    ppc_putc(o, '\n');
    for (size_t i = 0; i < n; i++) {
        char label[16];
        snprintf(label, sizeof label, "%s:", m[i].key);
        ppc_printf(o, "  %-13sexpected %s, got %s\n", label, m[i].expected, m[i].got);
    }
    if (!c->passed && c->d.error != PP_OK) {
        ppc_puts(o, "  input error: ");
        ppc_json_cstring(o, c->message);
        ppc_putc(o, '\n');
    }
}

/* Text safe in XML 1.0: markup characters escaped, characters XML does not
 * allow (controls other than tab and line breaks, bytes that are not
 * UTF-8) as '?'. */
static void put_xml(ppc_out *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned char c = *p;
        if (c == '&') PPC_PUTS(o, "&amp;");
        else if (c == '<') PPC_PUTS(o, "&lt;");
        else if (c == '>') PPC_PUTS(o, "&gt;");
        else if (c == '"') PPC_PUTS(o, "&quot;");
        else if (c == '\'') PPC_PUTS(o, "&apos;");
        else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F)) ppc_putc(o, (char)c);
        else if (c < 0x80) ppc_putc(o, '?');
        else {
            uint32_t cp;
            size_t k = ppc_utf8_decode(p, (size_t)(end - p), &cp);
            if (k == 0 || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF) {
                ppc_putc(o, '?');
                p += k > 0 ? k : 1;
            } else {
                ppc_put(o, (const char *)p, k);
                p += k;
            }
            continue;
        }
        p++;
    }
}

static void put_xml_cstr(ppc_out *o, const char *s)
{
    put_xml(o, s, strlen(s));
}

/* The JUnit XML report: a testsuite per case file, a testcase per case. */
static int write_junit(const char *path, const ppc_suite *s, const char *const *files, int nfiles,
                       const unsigned counts[3])
{
    ppc_out *o = strcmp(path, "-") == 0 ? ppc_stdout() : ppc_out_create(path);
    if (o == NULL) {
        fprintf(stderr, "ppolicy test: cannot write %s: %s\n", path, strerror(errno));
        return PPC_EXIT_USAGE;
    }
    ppc_printf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"ppolicy test\" tests=\"%u\" failures=\"%u\" "
                  "skipped=\"%u\">\n", counts[0] + counts[1] + counts[2], counts[1], counts[2]);
    size_t at = 0;
    for (int f = 0; f < nfiles; f++) {
        const char *file = ppc_display_name(files[f]);
        unsigned tests = 0, failed = 0, skipped = 0;
        size_t first = at;
        for (; at < s->ncases && s->cases[at].file == f; at++) {
            tests++;
            failed += s->cases[at].run && !s->cases[at].passed;
            skipped += !s->cases[at].run;
        }
        ppc_puts(o, "  <testsuite name=\"");
        put_xml_cstr(o, file);
        ppc_printf(o, "\" tests=\"%u\" failures=\"%u\" skipped=\"%u\" errors=\"0\">\n", tests,
                   failed, skipped);
        for (size_t i = first; i < at; i++) {
            const ppc_case *c = &s->cases[i];
            ppc_puts(o, "    <testcase classname=\"");
            put_xml_cstr(o, file);
            ppc_puts(o, "\" name=\"");
            if (c->name != NULL)
                put_xml(o, c->name, c->name_len);
            else
                ppc_printf(o, "case %u", c->number);
            ppc_puts(o, "\" file=\"");
            put_xml_cstr(o, file);
            ppc_printf(o, "\" line=\"%lu\"", (unsigned long)c->at.line);
            if (c->run && c->passed) {
                ppc_puts(o, "/>\n");
                continue;
            }
            ppc_puts(o, ">\n");
            if (!c->run) {
                ppc_puts(o, "      <skipped message=\"not selected by --run\"/>\n");
            } else {
                mismatch m[8];
                size_t n = mismatches(c, m);
                ppc_puts(o, "      <failure type=\"mismatch\" message=\"");
                for (size_t k = 0; k < n; k++) {
                    char one[600];
                    snprintf(one, sizeof one, "%s%s: expected %s, got %s", k > 0 ? "; " : "",
                             m[k].key, m[k].expected, m[k].got);
                    put_xml_cstr(o, one);
                }
                ppc_puts(o, "\">");
                ppc_out text;
                ppc_out_memory(&text);
                put_result(&text, file, c);
                put_xml(o, text.buf, text.len);
                ppc_out_free(&text);
                ppc_puts(o, "</failure>\n");
            }
            ppc_puts(o, "    </testcase>\n");
        }
        ppc_puts(o, "  </testsuite>\n");
    }
    ppc_puts(o, "</testsuites>\n");
    int err = o == ppc_stdout() ? ppc_flush(o) : ppc_out_close(o);
    if (err != 0) {
        fprintf(stderr, "ppolicy test: cannot write %s: %s\n", path, strerror(err));
        return PPC_EXIT_OUTPUT;
    }
    return PPC_EXIT_OK;
}

static void print_problems(const ppc_suite *s, int format)
{
    if (format == PPC_JSON) {
        ppc_json j;
        ppc_json_start(&j, ppc_stdout());
        ppc_json_object(&j);
        ppc_json_key(&j, "errors");
        ppc_json_list(&j);
        for (size_t i = 0; i < s->nproblems; i++) {
            const ppc_problem *pb = &s->problems[i];
            ppc_json_object(&j);
            ppc_json_key(&j, "file");
            ppc_json_cstr(&j, pb->file);
            ppc_json_key(&j, "line");
            ppc_json_uint(&j, pb->at.line);
            ppc_json_key(&j, "column");
            ppc_json_uint(&j, pb->at.column);
            ppc_json_key(&j, "key");
            ppc_json_cstr(&j, pb->key);
            ppc_json_key(&j, "code");
            ppc_json_cstr(&j, pp_error_name(pb->code));
            ppc_json_key(&j, "message");
            ppc_json_cstr(&j, pb->message);
            ppc_json_end(&j);
        }
        ppc_json_end(&j);
        ppc_json_end(&j);
        ppc_json_finish(&j);
        return;
    }
    ppc_out *o = ppc_stderr();
    for (size_t i = 0; i < s->nproblems; i++) {
        const ppc_problem *pb = &s->problems[i];
        const char *code = pp_error_name(pb->code);
        if (pb->at.line > 0)
            ppc_printf(o, "%s:%lu:%lu: error: ", pb->file, (unsigned long)pb->at.line,
                       (unsigned long)pb->at.column);
        else
            ppc_printf(o, "%s: error: ", pb->file);
        ppc_printf(o, "%s%s%s [%s]\n", pb->key, pb->key[0] != '\0' ? ": " : "", pb->message,
                   code != NULL ? code : "error");
    }
    ppc_flush(o);
}

static void print_json(const ppc_suite *s, const char *const *files, const unsigned counts[3])
{
    ppc_json j;
    ppc_json_start(&j, ppc_stdout());
    ppc_json_object(&j);
    ppc_json_key(&j, "passed");
    ppc_json_uint(&j, counts[0]);
    ppc_json_key(&j, "failed");
    ppc_json_uint(&j, counts[1]);
    ppc_json_key(&j, "skipped");
    ppc_json_uint(&j, counts[2]);
    ppc_json_key(&j, "cases");
    ppc_json_list(&j);
    for (size_t i = 0; i < s->ncases; i++) {
        const ppc_case *c = &s->cases[i];
        ppc_json_object(&j);
        ppc_json_key(&j, "file");
        ppc_json_cstr(&j, ppc_display_name(files[c->file]));
        ppc_json_key(&j, "line");
        ppc_json_uint(&j, c->at.line);
        ppc_json_key(&j, "column");
        ppc_json_uint(&j, c->at.column);
        ppc_json_key(&j, "name");
        if (c->name != NULL)
            ppc_json_str(&j, c->name, c->name_len);
        else
            ppc_json_null(&j);
        ppc_json_key(&j, "result");
        ppc_json_cstr(&j, !c->run ? "skipped" : c->passed ? "pass" : "fail");
        if (c->run && !c->passed) {
            mismatch m[8];
            size_t n = mismatches(c, m);
            ppc_json_key(&j, "mismatches");
            ppc_json_list(&j);
            for (size_t k = 0; k < n; k++) {
                ppc_json_object(&j);
                ppc_json_key(&j, "key");
                ppc_json_cstr(&j, m[k].key);
                ppc_json_key(&j, "expected");
                ppc_json_cstr(&j, m[k].expected);
                ppc_json_key(&j, "got");
                ppc_json_cstr(&j, m[k].got);
                ppc_json_end(&j);
            }
            ppc_json_end(&j);
        }
        if (c->d.error != PP_OK) {
            ppc_json_key(&j, "input_error");
            ppc_json_cstr(&j, c->message);
        }
        ppc_json_end(&j);
    }
    ppc_json_end(&j);
    ppc_json_end(&j);
    ppc_json_finish(&j);
}

static bool passes(const ppc_case *c)
{
    mismatch m[8];
    return mismatches(c, m) == 0;
}

int ppc_test(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        { "verbose", no_argument, NULL, 'v' },
        { "run", required_argument, NULL, 'r' },
        { "junit", required_argument, NULL, 'j' },
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy = NULL, *pattern = NULL, *junit = NULL;
    int verbose = 0, format = PPC_TEXT, c;
    while ((c = ppc_getopt(argc, argv, "p:vr:j:o:h", longopts, help, &format)) != -1) {
        switch (c) {
        case 'h': return PPC_EXIT_OK;
        case 'p': policy = optarg; break;
        case 'v': verbose = 1; break;
        case 'r': pattern = optarg; break;
        case 'j': junit = optarg; break;
        default: return PPC_EXIT_USAGE;
        }
    }
    if (optind == argc)
        return ppc_usage_error(argv[0], "no case file given");
    int stdin_users = policy != NULL && strcmp(policy, "-") == 0;
    for (int i = optind; i < argc; i++)
        stdin_users += strcmp(argv[i], "-") == 0;
    if (stdin_users > 1)
        return ppc_usage_error(argv[0], "two files cannot both be standard input");
    if (junit != NULL && strcmp(junit, "-") == 0 && format == PPC_JSON)
        return ppc_usage_error(argv[0], "--junit - and --format json would share standard output");
    regex_t re;
    if (pattern != NULL) {
        int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            char why[128];
            regerror(rc, &re, why, sizeof why);
            return ppc_usage_error(argv[0], "--run: invalid pattern '%s': %s", pattern, why);
        }
    }

    /* Read every file first: nothing runs when one is malformed. */
    ppc_suite s;
    memset(&s, 0, sizeof s);
    for (int i = optind; i < argc; i++)
        ppc_read_case_file(&s, argv[i], i - optind, policy);
    int status = s.status;
    if (s.out_of_memory) {
        fprintf(stderr, "ppolicy test: out of memory\n");
        status = PPC_EXIT_USAGE;
    }
    if (s.nproblems > 0 || status != PPC_EXIT_OK) {
        print_problems(&s, format);
        ppc_suite_free(&s);
        if (pattern != NULL)
            regfree(&re);
        return status != PPC_EXIT_OK ? status : PPC_EXIT_USAGE;
    }

    unsigned counts[3] = { 0, 0, 0 }; /* passed, failed, skipped */
    ppc_out *o = ppc_stdout();
    const char *const *files = (const char *const *)argv + optind;
    for (size_t i = 0; i < s.ncases; i++) {
        ppc_case *t = &s.cases[i];
        char label[32];
        snprintf(label, sizeof label, "case %u", t->number);
        char *name = t->name != NULL ? t->name : label;
        t->run = pattern == NULL || regexec(&re, name, 0, NULL, 0) == 0;
        t->passed = t->run && passes(t);
        counts[!t->run ? 2 : t->passed ? 0 : 1]++;
        if (format == PPC_TEXT && t->run && (verbose || !t->passed))
            put_result(o, ppc_display_name(files[t->file]), t);
    }
    if (format == PPC_JSON) {
        print_json(&s, files, counts);
    } else {
        ppc_printf(o, "%u passed, %u failed", counts[0], counts[1]);
        if (counts[2] > 0)
            ppc_printf(o, ", %u skipped (--run)", counts[2]);
        ppc_putc(o, '\n');
    }
    if (junit != NULL) {
        int rc = write_junit(junit, &s, files, argc - optind, counts);
        if (rc != PPC_EXIT_OK)
            status = rc;
    }
    ppc_suite_free(&s);
    if (pattern != NULL)
        regfree(&re);
    if (status == PPC_EXIT_OK && counts[1] > 0)
        status = PPC_EXIT_FAIL;
    return status;
}
