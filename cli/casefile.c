/* ppolicy test's case files, read with the record reader's events (YAML
 * or JSON alike): every problem of a file is reported with its position,
 * the key it is about and a did-you-mean, and a case is decided as it is
 * read. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casefile.h"
#include "cli.h"
#include "suggest.h"

/* Problems reported per case file; more are counted, not listed. */
#define MAX_PROBLEMS 20

/* Reading one case file. */
typedef struct reader {
    ppc_suite *s;
    const char *path;       /* as given; "-" standard input */
    const char *name;       /* as shown */
    const char *policy_override;
    ppr_reader *r;
    pp_policy *policy;
    unsigned problems;      /* of this file */
    bool failed;            /* the reader failed: stop reading */
    unsigned cases;         /* cases seen in this file */
    int file;               /* index of the file among the arguments */
} reader;

/* ---- problems ---- */

static void *grow(void *p, size_t *cap, size_t need, size_t size, bool *nomem)
{
    if (need <= *cap)
        return p;
    size_t n = *cap == 0 ? 16 : *cap * 2;
    void *q = realloc(p, n * size);
    if (q == NULL) {
        *nomem = true;
        return p;
    }
    *cap = n;
    return q;
}

static void report(reader *rd, ppr_position at, int code, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Note a problem of the case file (key: the path of the key it is about). */
static void report(reader *rd, ppr_position at, int code, const char *key, const char *fmt, ...)
{
    ppc_suite *s = rd->s;
    if (s->status < PPC_EXIT_USAGE)
        s->status = PPC_EXIT_USAGE;
    if (rd->problems++ >= MAX_PROBLEMS)
        return;
    s->problems = grow(s->problems, &s->problems_cap, s->nproblems + 1, sizeof *s->problems,
                       &s->out_of_memory);
    if (s->nproblems == s->problems_cap)
        return;
    ppc_problem *pb = &s->problems[s->nproblems++];
    pb->file = rd->name;
    pb->at = at;
    pb->code = code;
    snprintf(pb->key, sizeof pb->key, "%s", key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pb->message, sizeof pb->message, fmt, ap);
    va_end(ap);
}

/* The reader's fatal error (the file is not well-formed YAML or JSON). */
static void reader_failed(reader *rd)
{
    const pp_error *e = ppr_reader_error(rd->r);
    ppr_position at = { e->line, e->column };
    report(rd, at, e->code, "", "%s", e->message);
    rd->failed = true;
}

static bool next(reader *rd, ppr_event *ev)
{
    if (rd->failed)
        return false;
    if (ppr_event_next(rd->r, ev) > 0)
        return true;
    reader_failed(rd);
    return false;
}

static bool skip(reader *rd, const ppr_event *start)
{
    if (ppr_skip_node(rd->r, start) > 0)
        return true;
    reader_failed(rd);
    return false;
}

/* ---- vocabularies ---- */

/* A name of a vocabulary whose values count up from 0 (outcomes, reasons,
 * privilege and advisory bit indexes) or down from 0 (error codes). */
typedef struct vocabulary {
    const char *what;       /* "outcome" */
    const char *(*name)(int);
    int step;
} vocabulary;

static const vocabulary outcomes = { "outcome", pp_outcome_name, 1 };
static const vocabulary reasons = { "reason", pp_reason_name, 1 };
static const vocabulary privileges = { "privilege", pp_privilege_name, 1 };
static const vocabulary advisories = { "advisory", pp_advisory_name, 1 };
static const vocabulary errors = { "error code", pp_error_name, -1 };

#define NOT_FOUND (-1000)

static int lookup(const ppr_event *ev, const vocabulary *v)
{
    for (int i = 0;; i += v->step) {
        const char *n = v->name(i);
        if (n == NULL)
            return NOT_FOUND;
        if (ppr_scalar_is(ev, n))
            return i;
    }
}

/* " (did you mean 'X'?)" for the closest of candidates (NULL-terminated),
 * or "" when none is close. */
static void did_you_mean(char *out, size_t size, const ppr_event *ev, const char *const *words,
                         const vocabulary *v)
{
    ppi_suggest sg;
    ppi_suggest_init(&sg, ev->text, ev->len);
    for (size_t i = 0; words != NULL && words[i] != NULL; i++)
        ppi_suggest_offer(&sg, words[i], strlen(words[i]));
    for (int i = 0; v != NULL && v->name(i) != NULL; i += v->step)
        ppi_suggest_offer(&sg, v->name(i), strlen(v->name(i)));
    if (sg.best != NULL)
        snprintf(out, size, " (did you mean '%.*s'?)", (int)sg.best_len, sg.best);
    else
        out[0] = '\0';
}

static void unknown_key(reader *rd, const ppr_event *key, const char *path,
                        const char *const *words, const char *expected)
{
    char shown[300], hint[96];
    ppr_excerpt(shown, sizeof shown, key->text, key->len);
    did_you_mean(hint, sizeof hint, key, words, NULL);
    report(rd, key->at, PP_ERR_UNKNOWN_KEY, path, "unknown key '%s'%s", shown,
           hint[0] != '\0' ? hint : expected);
}

static void unknown_name(reader *rd, const ppr_event *ev, const char *path, const vocabulary *v)
{
    char shown[300], hint[96];
    ppr_excerpt(shown, sizeof shown, ev->text, ev->len);
    did_you_mean(hint, sizeof hint, ev, NULL, v);
    report(rd, ev->at, PP_ERR_UNKNOWN_NAME, path, "unknown %s '%s'%s", v->what, shown, hint);
}

/* The index of key in names (NULL-terminated), -1 if none; a repeated key
 * is reported and is -2. */
static int key_index(reader *rd, const ppr_event *key, const char *path,
                     const char *const *names, uint32_t *seen)
{
    for (int i = 0; names[i] != NULL; i++) {
        if (!ppr_scalar_is(key, names[i]))
            continue;
        if (*seen & (1u << i)) {
            report(rd, key->at, PP_ERR_DUPLICATE, path, "key '%s' given twice", names[i]);
            return -2;
        }
        *seen |= 1u << i;
        return i;
    }
    return -1;
}

/* ---- expectations ---- */

static void read_name(reader *rd, const ppr_event *ev, const char *path, const vocabulary *v,
                      int *out, bool *has)
{
    if (ev->type != PPR_SCALAR) {
        report(rd, ev->at, PP_ERR_WRONG_TYPE, path, "expected a name");
        return;
    }
    int i = lookup(ev, v);
    if (i == NOT_FOUND) {
        unknown_name(rd, ev, path, v);
        return;
    }
    *out = i;
    *has = true;
}

static void read_number(reader *rd, const ppr_event *ev, const char *path, uint32_t max,
                        uint32_t *out, bool *has)
{
    uint64_t v = 0;
    int rc = ppr_scalar_integer(ev, UINT32_MAX, &v);
    if (rc == PP_OK && v <= max) {
        *out = (uint32_t)v;
        *has = true;
    } else if (rc == PP_OK || rc == PP_ERR_OUT_OF_RANGE) {
        report(rd, ev->at, PP_ERR_OUT_OF_RANGE, path, "must be 0 to %lu", (unsigned long)max);
    } else {
        report(rd, ev->at, PP_ERR_WRONG_TYPE, path,
               "expected an unquoted decimal integer without leading zeros");
    }
}

/* A list of privilege or advisory names, as bits. */
static void read_bits(reader *rd, const ppr_event *start, const char *path, const vocabulary *v,
                      uint32_t *out, bool *has)
{
    if (start->type != PPR_SEQUENCE_START) {
        report(rd, start->at, PP_ERR_WRONG_TYPE, path, "expected a list of %s names", v->what);
        skip(rd, start);
        return;
    }
    uint32_t bits = 0;
    bool ok = true;
    ppr_event ev;
    for (unsigned i = 0; next(rd, &ev) && ev.type != PPR_SEQUENCE_END; i++) {
        char item[128];
        snprintf(item, sizeof item, "%s[%u]", path, i);
        int bit = NOT_FOUND;
        bool has_bit = false;
        if (ev.type == PPR_SCALAR)
            read_name(rd, &ev, item, v, &bit, &has_bit);
        else
            report(rd, ev.at, PP_ERR_WRONG_TYPE, item, "expected a %s name", v->what);
        if (!skip(rd, &ev))
            return;
        if (has_bit)
            bits |= 1u << bit;
        else
            ok = false;
    }
    if (ok && !rd->failed) {
        *out = bits;
        *has = true;
    }
}

static void read_expectation(reader *rd, const ppr_event *start, const char *path,
                             ppc_expectation *x)
{
    static const char *const keys[] = {
        "outcome", "reason", "rule", "product_id", "limited_in", "privileges", "advisories",
        "error", NULL,
    };
    if (start->type != PPR_MAPPING_START) {
        report(rd, start->at, PP_ERR_WRONG_TYPE, path, "expected a mapping of expected values");
        skip(rd, start);
        return;
    }
    uint32_t seen = 0;
    ppr_event key, value;
    while (next(rd, &key) && key.type != PPR_MAPPING_END) {
        ppr_position at = key.at;
        int k = key.type == PPR_SCALAR ? key_index(rd, &key, path, keys, &seen) : -3;
        if (k == -1)
            unknown_key(rd, &key, path, keys,
                        " (expected outcome, reason, rule, product_id, limited_in, privileges, "
                        "advisories or error)");
        else if (k == -3)
            report(rd, at, PP_ERR_WRONG_TYPE, path, "expected a key");
        if (!skip(rd, &key) || !next(rd, &value))
            return;
        char item[128];
        snprintf(item, sizeof item, "%s.%s", path, k >= 0 ? keys[k] : "?");
        switch (k) {
        case 0: read_name(rd, &value, item, &outcomes, &x->outcome, &x->has_outcome); break;
        case 1: read_name(rd, &value, item, &reasons, &x->reason, &x->has_reason); break;
        case 2: {
            uint32_t rule = 0;
            read_number(rd, &value, item, 15, &rule, &x->has_rule);
            x->rule = (int)rule;
            break;
        }
        case 3: read_number(rd, &value, item, UINT32_MAX, &x->product_id, &x->has_product); break;
        case 4: read_number(rd, &value, item, UINT32_MAX, &x->limited_in, &x->has_limited); break;
        case 5:
            read_bits(rd, &value, item, &privileges, &x->privileges, &x->has_privileges);
            continue; /* read_bits took the whole list */
        case 6:
            read_bits(rd, &value, item, &advisories, &x->advisories, &x->has_advisories);
            continue;
        case 7: read_name(rd, &value, item, &errors, &x->error, &x->has_error); break;
        default: break;
        }
        if (!skip(rd, &value))
            return;
    }
}

/* ---- cases ---- */

static char *copy(const char *s, size_t n, bool *nomem)
{
    char *c = malloc(n + 1);
    if (c == NULL) {
        *nomem = true;
        return NULL;
    }
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

/* One case; start is its first event. */
static void read_case(reader *rd, const ppr_event *start, unsigned index)
{
    static const char *const keys[] = { "name", "device", "expect", "note", NULL };
    char path[64];
    snprintf(path, sizeof path, "cases[%u]", index);
    if (start->type != PPR_MAPPING_START) {
        report(rd, start->at, PP_ERR_WRONG_TYPE, path,
               "expected a mapping with name, device and expect");
        skip(rd, start);
        return;
    }
    ppc_suite *s = rd->s;
    ppc_case c;
    memset(&c, 0, sizeof c);
    c.number = ++rd->cases;
    c.file = rd->file;
    c.at = start->at;
    bool has_device = false, has_expect = false, bad = false;
    unsigned problems = rd->problems;
    uint32_t seen = 0;
    ppr_event key, value;
    while (next(rd, &key) && key.type != PPR_MAPPING_END) {
        int k = key.type == PPR_SCALAR ? key_index(rd, &key, path, keys, &seen) : -3;
        if (k == -1)
            unknown_key(rd, &key, path, keys, " (expected name, device, expect or note)");
        else if (k == -3)
            report(rd, key.at, PP_ERR_WRONG_TYPE, path, "expected a key");
        if (!skip(rd, &key) || !next(rd, &value))
            break;
        char item[96];
        snprintf(item, sizeof item, "%s.%s", path, k >= 0 ? keys[k] : "?");
        if (k == 0) {
            if (value.type == PPR_SCALAR) {
                c.name = copy(value.text, value.len, &s->out_of_memory);
                c.name_len = value.len;
            } else {
                report(rd, value.at, PP_ERR_WRONG_TYPE, item, "expected a scalar");
            }
        } else if (k == 1) {
            ppr_record rec;
            if (ppr_read_record(rd->r, &value, &rec) < 0) {
                reader_failed(rd);
                break;
            }
            /* Decided now, with the file's policy; compared later. */
            ppr_decide(&c.d, rd->policy, NULL, &rec);
            if (c.d.error != PP_OK)
                c.message = copy(rec.message, strlen(rec.message), &s->out_of_memory);
            has_device = true;
            continue; /* the record reader took the whole value */
        } else if (k == 2) {
            read_expectation(rd, &value, item, &c.x);
            has_expect = true;
            continue; /* read_expectation took the whole value */
        }
        if (!skip(rd, &value))
            break;
    }
    /* Missing keys, unless a problem of the case (a misspelt key) says
     * more already. */
    if (!rd->failed && rd->problems == problems) {
        if (!has_device)
            report(rd, c.at, PP_ERR_MISSING_KEY, path, "missing key 'device'");
        if (!has_expect)
            report(rd, c.at, PP_ERR_MISSING_KEY, path, "missing key 'expect'");
        else if (!c.x.has_outcome) {
            char expect[80];
            snprintf(expect, sizeof expect, "%s.expect", path);
            report(rd, c.at, PP_ERR_MISSING_KEY, expect, "missing key 'outcome'");
        }
    }
    bad = rd->problems != problems || rd->failed;
    if (!bad) {
        s->cases = grow(s->cases, &s->cap, s->ncases + 1, sizeof *s->cases, &s->out_of_memory);
        if (s->ncases < s->cap) {
            s->cases[s->ncases++] = c;
            return;
        }
    }
    free(c.name);
    free(c.message);
}

/* The policy path, relative to the case file's directory (to the current
 * one for standard input). */
static bool load_policy(reader *rd, const ppr_event *v)
{
    if (v->type != PPR_SCALAR || v->len == 0 || memchr(v->text, '\0', v->len) != NULL) {
        report(rd, v->at, PP_ERR_WRONG_TYPE, "policy", "expected a file name");
        return skip(rd, v);
    }
    const char *slash = strcmp(rd->path, "-") == 0 ? NULL : strrchr(rd->path, '/');
    size_t dir = v->text[0] == '/' || slash == NULL ? 0 : (size_t)(slash - rd->path) + 1;
    char *full = malloc(dir + v->len + 1);
    if (full == NULL) {
        rd->s->out_of_memory = true;
        return false;
    }
    memcpy(full, rd->path, dir);
    memcpy(full + dir, v->text, v->len);
    full[dir + v->len] = '\0';
    /* Its own errors go to standard error, compiler-style. */
    int rc = ppc_load_policy(full, &rd->policy);
    if (rc != PPC_EXIT_OK) {
        /* An invalid policy is status 1 (unless worse came before), as for
         * every command; an unreadable one 2. */
        int before = rd->s->status;
        report(rd, v->at, rc == PPC_EXIT_FAIL ? PP_ERR_INVALID_VALUE : PP_ERR_INVALID_ARGUMENT,
               "policy", "cannot use %s (%s)", full,
               rc == PPC_EXIT_FAIL ? "it is invalid: see its errors" : "unreadable");
        rd->s->status = before > rc ? before : rc;
        free(full);
        rd->failed = true; /* the devices cannot be read without it */
        return false;
    }
    free(full);
    ppr_reader_set_policy(rd->r, rd->policy);
    return true;
}

static void read_cases(reader *rd, const ppr_event *start)
{
    if (rd->policy == NULL) {
        report(rd, start->at, PP_ERR_MISSING_KEY, "cases",
               "no policy: give `policy: FILE` before `cases`, or --policy");
        rd->failed = true;
        return;
    }
    if (start->type != PPR_SEQUENCE_START) {
        report(rd, start->at, PP_ERR_WRONG_TYPE, "cases", "expected a list of cases");
        skip(rd, start);
        return;
    }
    ppr_event ev;
    for (unsigned i = 0; next(rd, &ev) && ev.type != PPR_SEQUENCE_END; i++)
        read_case(rd, &ev, i);
}

static void read_file(reader *rd)
{
    static const char *const keys[] = { "policy", "cases", "note", NULL };
    ppr_event ev;
    if (!next(rd, &ev) || !next(rd, &ev)) /* stream start, document start */
        return;
    if (ev.type == PPR_STREAM_END) {
        report(rd, ev.at, PP_ERR_MISSING_KEY, "",
               "empty case file: it needs `policy` (or --policy) and `cases`");
        return;
    }
    ppr_event top;
    if (!next(rd, &top))
        return;
    if (top.type != PPR_MAPPING_START) {
        report(rd, top.at, PP_ERR_WRONG_TYPE, "", "a case file is a mapping with policy and cases");
        return;
    }
    ppr_position top_at = top.at;
    uint32_t seen = 0;
    ppr_event key, value;
    while (next(rd, &key) && key.type != PPR_MAPPING_END) {
        int k = key.type == PPR_SCALAR ? key_index(rd, &key, "", keys, &seen) : -3;
        if (k == -1)
            unknown_key(rd, &key, "", keys, " (expected policy, cases or note)");
        else if (k == -3)
            report(rd, key.at, PP_ERR_WRONG_TYPE, "", "expected a key");
        if (!skip(rd, &key) || !next(rd, &value))
            return;
        if (k == 0 && rd->policy_override == NULL) {
            if (!load_policy(rd, &value))
                return;
            continue;
        }
        if (k == 1) {
            read_cases(rd, &value);
            if (rd->failed)
                return;
            continue;
        }
        if (!skip(rd, &value))
            return;
    }
    if (rd->failed)
        return;
    if (!(seen & 2u))
        report(rd, top_at, PP_ERR_MISSING_KEY, "", "missing key 'cases'");
    if (next(rd, &ev) && next(rd, &ev) && ev.type != PPR_STREAM_END) /* document end, stream end */
        report(rd, ev.at, PP_ERR_WRONG_TYPE, "", "a case file holds one document");
}

void ppc_read_case_file(ppc_suite *s, const char *path, int file, const char *policy_override)
{
    reader rd;
    memset(&rd, 0, sizeof rd);
    rd.s = s;
    rd.file = file;
    rd.path = path;
    rd.name = ppc_display_name(path);
    rd.policy_override = policy_override;
    int from_stdin = strcmp(path, "-") == 0;
    int fd = from_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "ppolicy: cannot read %s: %s\n", path, strerror(errno));
        s->status = PPC_EXIT_USAGE;
        return;
    }
    rd.r = ppr_reader_new_fd(NULL, fd);
    if (rd.r == NULL) {
        s->out_of_memory = true;
    } else {
        int rc = policy_override != NULL ? ppc_load_policy(policy_override, &rd.policy)
                                         : PPC_EXIT_OK;
        if (rc != PPC_EXIT_OK) {
            if (rc > s->status)
                s->status = rc;
        } else {
            if (rd.policy != NULL)
                ppr_reader_set_policy(rd.r, rd.policy);
            read_file(&rd);
        }
    }
    if (rd.problems > MAX_PROBLEMS) {
        ppr_position none = { 0, 0 };
        unsigned more = rd.problems - MAX_PROBLEMS;
        rd.problems = 0; /* so this one is listed */
        report(&rd, none, PP_ERR_LIMIT, "", "%u more problem%s not listed", more,
               more == 1 ? "" : "s");
    }
    ppr_reader_free(rd.r);
    if (!from_stdin)
        close(fd);
    pp_policy_free(rd.policy);
}

void ppc_suite_free(ppc_suite *s)
{
    for (size_t i = 0; i < s->ncases; i++) {
        free(s->cases[i].name);
        free(s->cases[i].message);
    }
    free(s->cases);
    free(s->problems);
}
