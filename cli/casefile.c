/* ppolicy test: a policy test runner.  A case file names a policy and lists
 * cases, each a device record and the decision expected for it; every
 * mismatch is printed with expected and actual values. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "records.h"

static const char help[] =
    "Usage: ppolicy test [--policy POLICY.yaml] CASES.yaml...\n"
    "\n"
    "Run policy test files.  A file is a YAML mapping:\n"
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
    "`policy` must come before `cases`.  Each failure is printed with its\n"
    "position, expected and actual values; then `N passed, N failed`.\n"
    "\n"
    "  -p, --policy FILE   use this policy instead of the files' own\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 all cases pass, 1 a case fails or the policy is invalid,\n"
    "2 bad usage, an unreadable or malformed case file.\n";

#define NAME_SIZE 256

/* The decision a case expects; only what it names is compared. */
typedef struct expectation {
    int has_outcome, has_reason, has_rule, has_product, has_limited;
    int has_privileges, has_advisories, has_error;
    int outcome, reason, rule, error;
    uint32_t product_id, limited_in, privileges, advisories;
} expectation;

typedef struct case_file {
    const char *path;
    const char *policy_override;
    ppr_reader *r;
    pp_policy *policy;
    int status;         /* PPC_EXIT_* once the file cannot go on */
    unsigned passed, failed, cases;
} case_file;

/* Report a problem of the case file itself; stops the file. */
static int file_error(case_file *cf, ppr_position at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int file_error(case_file *cf, ppr_position at, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%lu:%lu: error: ", ppc_display_name(cf->path), (unsigned long)at.line,
            (unsigned long)at.column);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cf->status == PPC_EXIT_OK)
        cf->status = PPC_EXIT_USAGE;
    return -1;
}

/* Report the reader's fatal error (the file is not well-formed YAML). */
static int reader_failed(case_file *cf)
{
    const pp_error *e = ppr_reader_error(cf->r);
    fprintf(stderr, "%s:%lu:%lu: error: %s\n", ppc_display_name(cf->path), (unsigned long)e->line,
            (unsigned long)e->column, e->message);
    cf->status = PPC_EXIT_USAGE;
    return -1;
}

static int next(case_file *cf, ppr_event *ev)
{
    return ppr_event_next(cf->r, ev) > 0 ? 1 : reader_failed(cf);
}

/* Skip a value the runner does not read (a note). */
static int skip_value(case_file *cf)
{
    ppr_event ev;
    if (next(cf, &ev) < 0)
        return -1;
    return ppr_skip_node(cf->r, &ev) > 0 ? 1 : reader_failed(cf);
}

#define scalar_is ppr_scalar_is

/* A scalar's text for a message: at most 64 bytes, control bytes as '?'. */
static const char *text_of(const ppr_event *ev)
{
    static char shown[68];
    size_t n = ev->len < 64 ? ev->len : 64;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)ev->text[i];
        shown[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    strcpy(shown + n, ev->len > 64 ? "..." : "");
    return shown;
}

/* Take the next event, which must be a scalar: 1, or -1 reported. */
static int next_scalar(case_file *cf, ppr_event *ev, const char *key)
{
    if (next(cf, ev) < 0)
        return -1;
    if (ev->type == PPR_SCALAR)
        return 1;
    file_error(cf, ev->at, "%s: expected a scalar", key);
    return -1;
}

/* Take the next event, which must start a collection of the given type
 * (PPR_MAPPING_START or PPR_SEQUENCE_START); else report
 * `what`.  *at (may be NULL) gets its position.  1, or -1 reported. */
static int next_start(case_file *cf, int type, ppr_position *at,
                      const char *what)
{
    ppr_event ev;
    if (next(cf, &ev) < 0)
        return -1;
    if (at != NULL)
        *at = ev.at;
    int ok = ev.type == type;
    if (!ok)
        file_error(cf, ev.at, "%s", what);
    return ok ? 1 : -1;
}

/* A name of a vocabulary whose values count up from 0 (outcomes, reasons,
 * privilege and advisory bit indexes) or down from 0 (error codes). */
static int lookup(const ppr_event *ev, const char *(*name)(int), int step)
{
    for (int i = 0;; i += step) {
        const char *n = name(i);
        if (n == NULL)
            return -1000;
        if (scalar_is(ev, n))
            return i;
    }
}

static int read_name(case_file *cf, const char *key, const char *(*name)(int), int step,
                     int *out)
{
    ppr_event ev;
    if (next_scalar(cf, &ev, key) < 0)
        return -1;
    int v = lookup(&ev, name, step);
    int rc = 1;
    if (v == -1000)
        rc = file_error(cf, ev.at, "expect.%s: unknown name '%s'", key, text_of(&ev));
    else
        *out = v;
    return rc;
}

static int read_number(case_file *cf, const char *key, uint32_t *out)
{
    ppr_event ev;
    if (next_scalar(cf, &ev, key) < 0)
        return -1;
    int rc = ppr_scalar_uint32(&ev, out)
                 ? 1
                 : file_error(cf, ev.at, "expect.%s: expected a decimal integer", key);
    return rc;
}

/* A list of privilege or advisory names, as bits. */
static int read_bits(case_file *cf, const char *key, const char *(*name)(int), uint32_t *out)
{
    char what[64];
    snprintf(what, sizeof what, "expect.%s: expected a list of names", key);
    if (next_start(cf, PPR_SEQUENCE_START, NULL, what) < 0)
        return -1;
    ppr_event ev;
    int rc = 1;
    *out = 0;
    for (;;) {
        if (next(cf, &ev) < 0)
            return -1;
        if (ev.type == PPR_SEQUENCE_END)
            break;
        int bit = ev.type == PPR_SCALAR ? lookup(&ev, name, 1) : -1000;
        if (bit == -1000) {
            rc = file_error(cf, ev.at, "expect.%s: unknown name%s%s%s", key,
                            ev.type == PPR_SCALAR ? " '" : "",
                            ev.type == PPR_SCALAR ? text_of(&ev) : "",
                            ev.type == PPR_SCALAR ? "'" : "");
            return rc;
        }
        *out |= 1u << bit;
    }
    return rc;
}

static int read_expectation(case_file *cf, expectation *x)
{
    if (next_start(cf, PPR_MAPPING_START, NULL, "expect: expected a mapping") < 0)
        return -1;
    ppr_event ev;
    for (;;) {
        if (next(cf, &ev) < 0)
            return -1;
        if (ev.type == PPR_MAPPING_END)
            break;
        int rc;
        if (scalar_is(&ev, "outcome")) {
            rc = read_name(cf, "outcome", pp_outcome_name, 1, &x->outcome);
            x->has_outcome = 1;
        } else if (scalar_is(&ev, "reason")) {
            rc = read_name(cf, "reason", pp_reason_name, 1, &x->reason);
            x->has_reason = 1;
        } else if (scalar_is(&ev, "error")) {
            rc = read_name(cf, "error", pp_error_name, -1, &x->error);
            x->has_error = 1;
        } else if (scalar_is(&ev, "rule")) {
            uint32_t v = 0;
            rc = read_number(cf, "rule", &v);
            if (rc > 0 && v > 15)
                rc = file_error(cf, ev.at, "expect.rule: rules are 0 to 15");
            x->rule = (int)v;
            x->has_rule = 1;
        } else if (scalar_is(&ev, "product_id")) {
            rc = read_number(cf, "product_id", &x->product_id);
            x->has_product = 1;
        } else if (scalar_is(&ev, "limited_in")) {
            rc = read_number(cf, "limited_in", &x->limited_in);
            x->has_limited = 1;
        } else if (scalar_is(&ev, "privileges")) {
            rc = read_bits(cf, "privileges", pp_privilege_name, &x->privileges);
            x->has_privileges = 1;
        } else if (scalar_is(&ev, "advisories")) {
            rc = read_bits(cf, "advisories", pp_advisory_name, &x->advisories);
            x->has_advisories = 1;
        } else {
            rc = file_error(cf, ev.at,
                            "expect: unknown key (expected outcome, reason, rule, product_id, "
                            "limited_in, privileges, advisories or error)");
        }
        if (rc < 0)
            return -1;
    }
    return 1;
}

static void print_bits(uint32_t bits, const char *(*name)(int))
{
    putchar('[');
    int any = 0;
    for (int i = 0; i < 32; i++)
        if (bits & (1u << i)) {
            printf("%s%s", any ? ", " : "", name(i) != NULL ? name(i) : "?");
            any = 1;
        }
    putchar(']');
}

static const char *or_none(const char *name)
{
    return name != NULL ? name : "none";
}

/* Compare; print the failure.  1 passed, 0 failed. */
static int check(case_file *cf, ppr_position at, const char *name, size_t name_len,
                 const expectation *x, const pp_decision *d, const char *message)
{
    int ok = (!x->has_outcome || x->outcome == d->outcome) &&
             (!x->has_reason || x->reason == d->reason) && (!x->has_rule || x->rule == d->rule) &&
             (!x->has_product || x->product_id == d->product_id) &&
             (!x->has_limited || x->limited_in == d->limited_in) &&
             (!x->has_privileges || x->privileges == d->privileges) &&
             (!x->has_advisories || x->advisories == d->advisories) &&
             (!x->has_error || x->error == d->error);
    if (ok)
        return 1;
    printf("%s:%lu:%lu: FAIL ", ppc_display_name(cf->path), (unsigned long)at.line,
           (unsigned long)at.column);
    if (name != NULL)
        ppc_json_string(stdout, name, name_len);
    else
        printf("case %u", cf->cases);
    putchar('\n');
    if (x->has_outcome && x->outcome != d->outcome)
        printf("  outcome:     expected %s, got %s\n", pp_outcome_name(x->outcome),
               pp_outcome_name(d->outcome));
    if (x->has_reason && x->reason != d->reason)
        printf("  reason:      expected %s, got %s\n", pp_reason_name(x->reason),
               pp_reason_name(d->reason));
    if (x->has_rule && x->rule != d->rule)
        printf("  rule:        expected %d, got %d\n", x->rule, (int)d->rule);
    if (x->has_product && x->product_id != d->product_id)
        printf("  product_id:  expected %lu, got %lu\n", (unsigned long)x->product_id,
               (unsigned long)d->product_id);
    if (x->has_limited && x->limited_in != d->limited_in)
        printf("  limited_in:  expected %lu, got %lu\n", (unsigned long)x->limited_in,
               (unsigned long)d->limited_in);
    if (x->has_privileges && x->privileges != d->privileges) {
        fputs("  privileges:  expected ", stdout);
        print_bits(x->privileges, pp_privilege_name);
        fputs(", got ", stdout);
        print_bits(d->privileges, pp_privilege_name);
        putchar('\n');
    }
    if (x->has_advisories && x->advisories != d->advisories) {
        fputs("  advisories:  expected ", stdout);
        print_bits(x->advisories, pp_advisory_name);
        fputs(", got ", stdout);
        print_bits(d->advisories, pp_advisory_name);
        putchar('\n');
    }
    if (x->has_error && x->error != d->error)
        printf("  error:       expected %s, got %s\n", or_none(pp_error_name(x->error)),
               d->error == PP_OK ? "none" : or_none(pp_error_name(d->error)));
    if (d->error != PP_OK) {
        fputs("  input error: ", stdout);
        ppc_json_cstring(stdout, message);
        putchar('\n');
    }
    return 0;
}

/* One case; start is its first event, consumed. */
static int read_case(case_file *cf, ppr_event *start)
{
    ppr_event ev;
    ppr_position at = start->at;
    int is_mapping = start->type == PPR_MAPPING_START;
    if (!is_mapping)
        return file_error(cf, at, "cases: each case is a mapping with name, device and expect");
    cf->cases++;
    char name[NAME_SIZE];
    size_t name_len = 0;
    int has_name = 0, has_device = 0;
    expectation x;
    memset(&x, 0, sizeof x);
    pp_decision d;
    ppr_record rec;
    for (;;) {
        if (next(cf, &ev) < 0)
            return -1;
        if (ev.type == PPR_MAPPING_END)
            break;
        int rc = 1;
        if (scalar_is(&ev, "name")) {
            ppr_event v;
            rc = next_scalar(cf, &v, "name");
            if (rc > 0) {
                name_len = v.len < NAME_SIZE ? v.len : NAME_SIZE;
                memcpy(name, v.text, name_len);
                has_name = 1;
            }
        } else if (scalar_is(&ev, "device")) {
            ppr_event v;
            rc = next(cf, &v);
            if (rc > 0 && ppr_read_record(cf->r, &v, &rec) < 0)
                rc = reader_failed(cf);
            if (rc > 0) {
                ppr_decide(&d, cf->policy, NULL, &rec);
                has_device = 1;
            }
        } else if (scalar_is(&ev, "expect")) {
            rc = read_expectation(cf, &x);
        } else if (scalar_is(&ev, "note")) {
            rc = skip_value(cf);
        } else {
            rc = file_error(cf, ev.at,
                            "unknown key in a case (expected name, device, expect or note)");
        }
        if (rc < 0)
            return -1;
    }
    if (!has_device || !x.has_outcome)
        return file_error(cf, at, "a case needs a device and expect.outcome");
    if (check(cf, at, has_name ? name : NULL, name_len, &x, &d, rec.message))
        cf->passed++;
    else
        cf->failed++;
    return 1;
}

/* The policy path, relative to the case file's directory. */
static int load_policy(case_file *cf, const char *path, size_t len, ppr_position at)
{
    if (memchr(path, '\0', len) != NULL || len == 0)
        return file_error(cf, at, "policy: expected a file name");
    /* Relative to the case file's directory (to the current one for
     * standard input). */
    const char *slash = strcmp(cf->path, "-") == 0 ? NULL : strrchr(cf->path, '/');
    size_t dir = path[0] == '/' || slash == NULL ? 0 : (size_t)(slash - cf->path) + 1;
    char *full = malloc(dir + len + 1);
    if (full == NULL)
        return file_error(cf, at, "out of memory");
    memcpy(full, cf->path, dir);
    memcpy(full + dir, path, len);
    full[dir + len] = '\0';
    int rc = ppc_load_policy(full, &cf->policy);
    free(full);
    if (rc != PPC_EXIT_OK) {
        cf->status = rc;
        return -1;
    }
    ppr_reader_set_policy(cf->r, cf->policy);
    return 1;
}

static int read_cases(case_file *cf, ppr_position at)
{
    if (cf->policy == NULL)
        return file_error(cf, at, "no policy: give `policy: FILE` before `cases` or use --policy");
    if (next_start(cf, PPR_SEQUENCE_START, NULL, "cases: expected a list of cases") < 0)
        return -1;
    ppr_event ev;
    for (;;) {
        if (next(cf, &ev) < 0)
            return -1;
        if (ev.type == PPR_SEQUENCE_END) {
            return 1;
        }
        if (read_case(cf, &ev) < 0)
            return -1;
    }
}

static int read_top(case_file *cf)
{
    ppr_event ev;
    int rc = 1, has_cases = 0, has_policy = 0;
    for (int i = 0; i < 2; i++) { /* stream start, document start */
        if (next(cf, &ev) < 0)
            return -1;
        int end = ev.type == PPR_STREAM_END;
        ppr_position at = ev.at;
        if (end)
            return file_error(cf, at, "empty case file");
    }
    ppr_position top;
    if (next_start(cf, PPR_MAPPING_START, &top,
                   "a case file is a mapping with policy and cases") < 0)
        return -1;
    for (;;) {
        if (next(cf, &ev) < 0)
            return -1;
        if (ev.type == PPR_MAPPING_END)
            break;
        ppr_position at = ev.at;
        if (scalar_is(&ev, "policy") && !has_policy) {
            ppr_event v;
            has_policy = 1;
            rc = next_scalar(cf, &v, "policy");
            if (rc > 0) {
                if (cf->policy_override == NULL)
                    rc = load_policy(cf, v.text, v.len, v.at);
            }
        } else if (scalar_is(&ev, "cases") && !has_cases) {
            has_cases = 1;
            rc = read_cases(cf, at);
        } else if (scalar_is(&ev, "note")) {
            rc = skip_value(cf);
        } else {
            rc = file_error(cf, at, "unknown or repeated key (expected policy, cases or note)");
        }
        if (rc < 0)
            return -1;
    }
    if (!has_cases)
        return file_error(cf, top, "no cases: the file needs a `cases` list");
    if (next(cf, &ev) < 0) /* document end */
        return -1;
    if (next(cf, &ev) < 0)
        return -1;
    rc = ev.type == PPR_STREAM_END
             ? 1
             : file_error(cf, ev.at, "a case file holds one YAML document");
    return rc;
}

static int run_file(const char *path, const char *policy_override, unsigned *passed,
                    unsigned *failed)
{
    case_file cf;
    memset(&cf, 0, sizeof cf);
    cf.path = path;
    cf.policy_override = policy_override;
    int from_stdin = strcmp(path, "-") == 0;
    int fd = from_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "ppolicy: cannot read %s: %s\n", path, strerror(errno));
        return PPC_EXIT_USAGE;
    }
    cf.r = ppr_reader_new_fd(NULL, fd);
    if (cf.r == NULL) {
        if (!from_stdin)
            close(fd);
        fprintf(stderr, "ppolicy test: out of memory\n");
        return PPC_EXIT_USAGE;
    }
    if (policy_override != NULL) {
        int rc = ppc_load_policy(policy_override, &cf.policy);
        if (rc != PPC_EXIT_OK)
            cf.status = rc;
        else
            ppr_reader_set_policy(cf.r, cf.policy);
    }
    if (cf.status == PPC_EXIT_OK)
        read_top(&cf);
    ppr_reader_free(cf.r);
    if (!from_stdin)
        close(fd);
    pp_policy_free(cf.policy);
    *passed += cf.passed;
    *failed += cf.failed;
    return cf.status;
}

int ppc_test(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy = NULL;
    int c;
    while ((c = ppc_getopt(argc, argv, "p:h", longopts, help)) != -1) {
        if (c == 'h')
            return PPC_EXIT_OK;
        if (c != 'p')
            return PPC_EXIT_USAGE;
        policy = optarg;
    }
    if (optind == argc)
        return ppc_usage_error(argv[0], "no case file given");
    int stdin_users = policy != NULL && strcmp(policy, "-") == 0;
    for (int i = optind; i < argc; i++)
        stdin_users += strcmp(argv[i], "-") == 0;
    if (stdin_users > 1)
        return ppc_usage_error(argv[0], "two files cannot both be standard input");
    unsigned passed = 0, failed = 0;
    int worst = PPC_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        int rc = run_file(argv[i], policy, &passed, &failed);
        if (rc > worst)
            worst = rc;
    }
    printf("%u passed, %u failed\n", passed, failed);
    if (worst == PPC_EXIT_OK && failed > 0)
        worst = PPC_EXIT_FAIL;
    return worst;
}
