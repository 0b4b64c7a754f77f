/* ppolicy audit, check-token and canary-fingerprint: the security checks of
 * docs/spec.md §6 over a policy and the records a cloud exports, one JSON
 * line per finding, so that CI can gate on the exit status. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fields.h"
#include "json.h"
#include "output.h"
#include "records.h"

static const char audit_help[] =
    "Usage: ppolicy audit --policy POLICY.yaml [--summary] [RECORDS]\n"
    "\n"
    "Run the security checks on the policy and, when given, on RECORDS (a file,\n"
    "or `-` for standard input): a YAML or JSON mapping of optional lists\n"
    "  integrations: [{product_id: ID, url: URL, enforce_ssl: true|false}]\n"
    "  tokens:       [{product_id: ID, owner: NAME, full_control: BOOL, human: BOOL}]\n"
    "  sims:         [{iccid: ICCID, usage_bytes: N, limit_bytes: N}]\n"
    "  devices:      [device records, as for `decide`]\n"
    "(every record may also hold a `note`, which is ignored).\n"
    "\n"
    "Prints one JSON object per finding:\n"
    "  {\"code\":...,\"severity\":...,\"list\":...,\"product_id\":P,\"record\":N,\n"
    "   \"subject\":...,\"message\":...}\n"
    "where list is policy, integrations, tokens, sims or devices and record\n"
    "the 0-based index in that list.  A record that cannot be read is an\n"
    "invalid_record finding; the run goes on.\n"
    "\n"
    "  -p, --policy FILE   the policy (required)\n"
    "  -s, --summary       counts per severity and code on standard error\n"
    PPC_FORMAT_HELP
    "                      (json: the summary as one JSON object; findings are\n"
    "                      JSON lines in either format)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 no findings, 1 findings or an invalid policy, 2 bad usage,\n"
    "unreadable records or records that are not well-formed.\n";

static const char check_token_help[] =
    "Usage: ppolicy check-token --policy POLICY.yaml < TOKEN\n"
    "\n"
    "Read a presented access token from standard input (never from the\n"
    "command line, which other users can see) and report canary_token_used\n"
    "when it matches a canary fingerprint of the policy, as a JSON line like\n"
    "`audit`'s.  One trailing line break is not part of the token.  The token\n"
    "itself is never printed.\n"
    "\n"
    "  -p, --policy FILE   the policy (required)\n"
    PPC_FORMAT_HELP
    "                      (findings are JSON lines in either format)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 not a canary, 1 a canary token or an invalid policy,\n"
    "2 bad usage or no token.\n";

static const char canary_help[] =
    "Usage: ppolicy canary-fingerprint < TOKEN\n"
    "\n"
    "Read a decoy token from standard input and print its canary fingerprint\n"
    "(XXH3-64, 16 hex digits) to list under an organization's canary_tokens.\n"
    "One trailing line break is not part of the token.\n"
    "\n"
    PPC_FORMAT_HELP
    "                      (json: {\"fingerprint\":\"...\"})\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0, 2 bad usage or no token.\n";

#define RECORD_STRING_MAX 4096  /* URLs may be 2048 bytes in a policy */
#define TOKEN_MAX 65536

/* ---- records ---- */

typedef enum { T_U32, T_U64, T_BOOL, T_STRING } field_type;

typedef struct field_spec {
    field_type type;
    size_t value;   /* offset of the value (pointer for strings) */
    size_t len;     /* offset of a string's length */
} field_spec;

enum { L_POLICY, L_INTEGRATIONS, L_TOKENS, L_SIMS, L_DEVICES, L_TOKEN, NLISTS };
static const char *const list_names[NLISTS] = {
    "policy", "integrations", "tokens", "sims", "devices", "token",
};

static const char *const integration_fields[] = { "product_id", "url", "enforce_ssl", "note", NULL };
static const field_spec integration_specs[] = {
    { T_U32, offsetof(pp_integration_record, product_id), 0 },
    { T_STRING, offsetof(pp_integration_record, url), offsetof(pp_integration_record, url_len) },
    { T_BOOL, offsetof(pp_integration_record, enforce_ssl), 0 },
};
static const char *const token_fields[] = { "product_id", "owner", "full_control", "human", "note", NULL };
static const field_spec token_specs[] = {
    { T_U32, offsetof(pp_token_record, product_id), 0 },
    { T_STRING, offsetof(pp_token_record, owner), offsetof(pp_token_record, owner_len) },
    { T_BOOL, offsetof(pp_token_record, full_control), 0 },
    { T_BOOL, offsetof(pp_token_record, human), 0 },
};
static const char *const sim_fields[] = { "iccid", "usage_bytes", "limit_bytes", "note", NULL };
static const field_spec sim_specs[] = {
    { T_STRING, offsetof(pp_sim_record, iccid), offsetof(pp_sim_record, iccid_len) },
    { T_U64, offsetof(pp_sim_record, usage_bytes), 0 },
    { T_U64, offsetof(pp_sim_record, limit_bytes), 0 },
};

/* One list of records as the checks take it. */
typedef struct list {
    unsigned char *items;
    size_t n, cap, size;
    char **bad;     /* per record: why it could not be read, or NULL */
} list;

typedef struct audit {
    const pp_policy *policy;
    const char *name;       /* of the records file */
    ppr_reader *r;
    list lists[NLISTS];
    char **strings;         /* copies the records point to */
    size_t nstrings, capstrings;
} audit;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t n = *cap == 0 ? 16 : *cap * 2;
    if (n < need)
        n = need;
    void *q = realloc(*p, n * size);
    if (q == NULL)
        return 0;
    *p = q;
    *cap = n;
    return 1;
}

/* A copy of s[0..n) owned by the audit; NULL when out of memory. */
static char *keep(audit *a, const char *s, size_t n)
{
    if (!grow((void **)&a->strings, &a->capstrings, a->nstrings + 1, sizeof(char *)))
        return NULL;
    char *copy = malloc(n + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    a->strings[a->nstrings++] = copy;
    return copy;
}

/* A new zeroed record at the end of l; NULL when out of memory. */
static void *append(list *l)
{
    size_t cap = l->cap;
    if (!grow((void **)&l->items, &l->cap, l->n + 1, l->size))
        return NULL;
    if (!grow((void **)&l->bad, &cap, l->n + 1, sizeof(char *)))
        return NULL;
    l->bad[l->n] = NULL;
    void *item = l->items + l->n * l->size;
    memset(item, 0, l->size);
    l->n++;
    return item;
}

/* Remember why record i of l could not be read: "LIST[i]DETAIL". */
static int mark_bad(audit *a, int which, size_t i, const char *sep, const char *detail)
{
    char message[PPR_MESSAGE_SIZE + 64];
    snprintf(message, sizeof message, "%s[%zu]%s%s", list_names[which], i, sep, detail);
    a->lists[which].bad[i] = keep(a, message, strlen(message));
    return a->lists[which].bad[i] != NULL;
}

static int fatal(const audit *a, ppr_position at, const char *what)
{
    fprintf(stderr, "%s:%lu:%lu: error: %s\n", a->name, (unsigned long)at.line,
            (unsigned long)at.column, what);
    return -1;
}

static int reader_failed(const audit *a)
{
    const pp_error *e = ppr_reader_error(a->r);
    fprintf(stderr, "%s:%lu:%lu: error: %s\n", a->name, (unsigned long)e->line,
            (unsigned long)e->column, e->message);
    return -1;
}

static int out_of_memory(void)
{
    fprintf(stderr, "ppolicy audit: out of memory\n");
    return -1;
}

/* An integration, token or SIM record; start (consumed) is its first event.
 * A malformed one is kept blank, so the checks report it as
 * invalid_record, with the reader's explanation. */
static int read_item(audit *a, int which, const char *const *names, const field_spec *specs,
                     const ppr_event *start)
{
    list *l = &a->lists[which];
    size_t index = l->n;
    unsigned char *item = append(l);
    if (item == NULL)
        return out_of_memory();
    ppc_problem pb;
    pb.code = PP_OK;
    if (start->type != PPR_MAPPING_START) {
        ppc_problem_note(&pb, PP_ERR_WRONG_TYPE, NULL, start->at,
                         "expected a mapping (a record)");
        if (ppr_skip_node(a->r, start) < 0)
            return reader_failed(a);
    } else {
        uint32_t seen = 0;
        ppr_event v;
        int f;
        while ((f = ppc_next_field(a->r, &pb, names, &seen, &v)) >= 0) {
            const char *name = names[f];
            if (names[f + 1] != NULL) { /* the last field is the note */
                const field_spec *sp = &specs[f];
                uint64_t n = 0;
                const char *s = NULL;
                size_t len = 0;
                switch (sp->type) {
                case T_U32:
                    ppc_value_integer(&pb, name, &v, UINT32_MAX, &n);
                    *(uint32_t *)(void *)(item + sp->value) = (uint32_t)n;
                    break;
                case T_U64:
                    ppc_value_integer(&pb, name, &v, UINT64_MAX, &n);
                    *(uint64_t *)(void *)(item + sp->value) = n;
                    break;
                case T_BOOL:
                    ppc_value_bool(&pb, name, &v, (int32_t *)(void *)(item + sp->value));
                    break;
                case T_STRING:
                    ppc_value_string(&pb, name, &v, RECORD_STRING_MAX, &s, &len);
                    if (s != NULL) {
                        char *copy = keep(a, s, len);
                        if (copy == NULL)
                            return out_of_memory();
                        *(const char **)(void *)(item + sp->value) = copy;
                        *(size_t *)(void *)(item + sp->len) = len;
                    }
                    break;
                }
            }
            if (ppr_skip_node(a->r, &v) < 0)
                return reader_failed(a);
        }
        if (f == PPC_FIELDS_FATAL)
            return reader_failed(a);
    }
    if (pb.code == PP_OK)
        return 1;
    memset(item, 0, l->size);
    return mark_bad(a, which, index, ": ", pb.detail) ? 1 : out_of_memory();
}

/* A device record, its strings copied; a malformed one keeps its ID only
 * (no device_os: the checks find it invalid). */
static int read_device(audit *a, const ppr_event *start)
{
    list *l = &a->lists[L_DEVICES];
    size_t index = l->n;
    pp_device *d = append(l);
    if (d == NULL)
        return out_of_memory();
    ppr_record rec;
    if (ppr_read_record(a->r, start, &rec) < 0)
        return reader_failed(a);
    const pp_device *s = &rec.device;
    *d = *s;
    if (rec.error != PP_OK) {
        memset(d, 0, sizeof *d);
        d->id = s->id;
        d->id_len = s->id_len;
    }
    const char **fields[4] = { &d->id, &d->sku, &d->device_os, &d->owner };
    size_t lens[4] = { d->id_len, d->sku_len, d->device_os_len, d->owner_len };
    for (int i = 0; i < 4; i++)
        if (*fields[i] != NULL && (*fields[i] = keep(a, *fields[i], lens[i])) == NULL)
            return out_of_memory();
    if (rec.error != PP_OK && !mark_bad(a, L_DEVICES, index, "", ppr_message_detail(&rec)))
        return out_of_memory();
    return 1;
}

static int read_list(audit *a, int which, const ppr_event *start)
{
    if (ppr_scalar_null(start))
        return 1;
    if (start->type != PPR_SEQUENCE_START)
        return fatal(a, start->at, "expected a list of records");
    for (;;) {
        ppr_event ev;
        if (ppr_event_next(a->r, &ev) < 0)
            return reader_failed(a);
        if (ev.type == PPR_SEQUENCE_END)
            return 1;
        int rc;
        switch (which) {
        case L_INTEGRATIONS: rc = read_item(a, which, integration_fields, integration_specs, &ev); break;
        case L_TOKENS: rc = read_item(a, which, token_fields, token_specs, &ev); break;
        case L_SIMS: rc = read_item(a, which, sim_fields, sim_specs, &ev); break;
        default: rc = read_device(a, &ev); break;
        }
        if (rc < 0)
            return -1;
    }
}

/* The records file: one document, a mapping of lists (or nothing). */
static int read_records(audit *a)
{
    ppr_event ev;
    uint32_t seen = 0;
    int depth = 0; /* 1 inside the document, 2 inside its mapping */
    for (;;) {
        if (ppr_event_next(a->r, &ev) < 0)
            return reader_failed(a);
        ppr_position at = ev.at;
        int rc = 1;
        switch (ev.type) {
        case PPR_STREAM_START:
            break;
        case PPR_STREAM_END:
            return 1;
        case PPR_DOCUMENT_START:
            rc = seen & 1u ? fatal(a, at, "the records file holds one document") : 1;
            seen |= 1u;
            depth = 1;
            break;
        case PPR_DOCUMENT_END:
            depth = 0;
            break;
        case PPR_MAPPING_START:
            if (depth == 1) {
                depth = 2;
                break;
            }
            rc = fatal(a, at, "expected a list name (integrations, tokens, sims, devices or note)");
            break;
        case PPR_MAPPING_END:
            depth = 1;
            break;
        case PPR_SCALAR:
            if (depth == 1 && ppr_scalar_null(&ev))
                break; /* an empty document */
            if (depth == 2) {
                int which = -1;
                for (int i = L_INTEGRATIONS; i <= L_DEVICES; i++)
                    if (ppr_scalar_is(&ev, list_names[i]))
                        which = i;
                int note = ppr_scalar_is(&ev, "note");
                ppr_event value;
                if (which < 0 && !note)
                    rc = fatal(a, at, "unknown key (expected integrations, tokens, sims, devices or note)");
                else if (which >= 0 && (seen & (2u << which)))
                    rc = fatal(a, at, "list given twice");
                else if (ppr_event_next(a->r, &value) < 0)
                    rc = reader_failed(a);
                else if (note)
                    rc = ppr_skip_node(a->r, &value) < 0 ? reader_failed(a) : 1;
                else {
                    seen |= 2u << which;
                    rc = read_list(a, which, &value);
                }
                break;
            }
            rc = fatal(a, at, "the records file is a mapping of lists: integrations, tokens, "
                              "sims, devices");
            break;
        default:
            rc = fatal(a, at, depth == 2 ? "expected a list name (integrations, tokens, sims, "
                                           "devices or note)"
                                         : "the records file is a mapping of lists: "
                                           "integrations, tokens, sims, devices");
            break;
        }
        if (rc < 0)
            return -1;
    }
}

/* ---- checks and findings ---- */

static int check(const audit *a, int which, size_t *total, pp_finding *out, size_t cap,
                 const char *token, size_t token_len)
{
    const list *l = &a->lists[which];
    switch (which) {
    case L_POLICY:
        return pp_check_policy(total, out, cap, a->policy);
    case L_INTEGRATIONS:
        return pp_check_integrations(total, out, cap, a->policy,
                                     (const pp_integration_record *)(const void *)l->items, l->n);
    case L_TOKENS:
        return pp_check_tokens(total, out, cap, a->policy,
                               (const pp_token_record *)(const void *)l->items, l->n);
    case L_SIMS:
        return pp_check_sims(total, out, cap, a->policy,
                             (const pp_sim_record *)(const void *)l->items, l->n);
    case L_DEVICES:
        return pp_check_devices(total, out, cap, a->policy,
                                (const pp_device *)(const void *)l->items, l->n);
    default:
        return pp_check_token(total, out, cap, a->policy, token, token_len);
    }
}

static void print_finding(const audit *a, int which, const pp_finding *f)
{
    const list *l = &a->lists[which];
    const char *message = f->message;
    /* A record the reader could not read: its explanation, which names the
     * field and the position, says more than "invalid". */
    if (f->code == PP_FINDING_INVALID_RECORD && f->record < l->n && l->bad[f->record] != NULL)
        message = l->bad[f->record];
    ppc_json j;
    ppc_json_start(&j, ppc_stdout());
    ppc_json_object(&j);
    ppc_json_key(&j, "code");
    ppc_json_cstr(&j, pp_finding_name(f->code));
    ppc_json_key(&j, "severity");
    ppc_json_cstr(&j, pp_severity_name(f->severity));
    ppc_json_key(&j, "list");
    ppc_json_cstr(&j, list_names[which]);
    ppc_json_key(&j, "product_id");
    ppc_json_uint(&j, f->product_id);
    ppc_json_key(&j, "record");
    ppc_json_uint(&j, f->record);
    ppc_json_key(&j, "subject");
    ppc_json_str(&j, f->subject, f->subject_len);
    ppc_json_key(&j, "message");
    ppc_json_cstr(&j, message);
    ppc_json_end(&j);
    ppc_json_finish(&j);
}

#define NCODES (PP_FINDING_AUTO_APPROVE_READMITS_DENIED + 1) /* the last code */

/* Run the checks of lists [first, last] and print their findings; counts
 * per code are added to counts.  Returns the number of findings, or -1. */
static long run_checks(const audit *a, int first, int last, uint64_t counts[NCODES],
                       const char *token, size_t token_len)
{
    pp_finding *f = NULL;
    size_t cap = 0;
    long found = 0;
    for (int which = first; which <= last; which++) {
        size_t total = 0;
        /* snprintf-style: call again with room for all when short. */
        for (;;) {
            if (check(a, which, &total, f, cap, token, token_len) != PP_OK) {
                fprintf(stderr, "ppolicy: the %s checks failed\n", list_names[which]);
                free(f);
                return -1;
            }
            if (total <= cap)
                break;
            pp_finding *g = realloc(f, total * sizeof *f);
            if (g == NULL) {
                free(f);
                return out_of_memory();
            }
            f = g;
            cap = total;
        }
        for (size_t i = 0; i < total; i++) {
            print_finding(a, which, &f[i]);
            if ((unsigned)f[i].code < NCODES)
                counts[f[i].code]++;
        }
        found += (long)total;
    }
    free(f);
    return found;
}

static void print_summary(const uint64_t counts[NCODES], long found, int format)
{
    ppc_out *o = ppc_stderr();
    uint64_t by_severity[PP_SEVERITY_CRITICAL + 1] = { 0 };
    for (int c = 0; c < NCODES; c++) {
        int s = pp_finding_severity(c);
        if (s >= PP_SEVERITY_INFO && s <= PP_SEVERITY_CRITICAL)
            by_severity[s] += counts[c];
    }
    if (format == PPC_JSON) {
        ppc_json j;
        ppc_json_start(&j, o);
        ppc_json_object(&j);
        ppc_json_key(&j, "findings");
        ppc_json_int(&j, found);
        ppc_json_key(&j, "severities");
        ppc_json_object(&j);
        for (int s = PP_SEVERITY_CRITICAL; s >= PP_SEVERITY_INFO; s--) {
            ppc_json_key(&j, pp_severity_name(s));
            ppc_json_uint(&j, by_severity[s]);
        }
        ppc_json_end(&j);
        ppc_json_key(&j, "codes");
        ppc_json_object(&j);
        for (int c = 0; c < NCODES; c++)
            if (counts[c] != 0) {
                ppc_json_key(&j, pp_finding_name(c));
                ppc_json_uint(&j, counts[c]);
            }
        ppc_json_end(&j);
        ppc_json_end(&j);
        ppc_json_finish(&j);
    } else {
        ppc_printf(o, "%ld finding%s\n", found, found == 1 ? "" : "s");
        for (int s = PP_SEVERITY_CRITICAL; s >= PP_SEVERITY_INFO; s--)
            ppc_printf(o, "severity %-30s %" PRIu64 "\n", pp_severity_name(s), by_severity[s]);
        for (int c = 0; c < NCODES; c++)
            if (counts[c] != 0)
                ppc_printf(o, "finding  %-30s %" PRIu64 "\n", pp_finding_name(c), counts[c]);
    }
    ppc_flush(o);
}

static void audit_free(audit *a)
{
    for (int i = 0; i < NLISTS; i++) {
        free(a->lists[i].items);
        free(a->lists[i].bad);
    }
    for (size_t i = 0; i < a->nstrings; i++)
        free(a->strings[i]);
    free(a->strings);
    ppr_reader_free(a->r);
}

static void audit_init(audit *a, const pp_policy *policy)
{
    memset(a, 0, sizeof *a);
    a->policy = policy;
    a->lists[L_INTEGRATIONS].size = sizeof(pp_integration_record);
    a->lists[L_TOKENS].size = sizeof(pp_token_record);
    a->lists[L_SIMS].size = sizeof(pp_sim_record);
    a->lists[L_DEVICES].size = sizeof(pp_device);
}

int ppc_audit(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        { "summary", no_argument, NULL, 's' },
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy_path = NULL;
    int summary = 0, format = PPC_TEXT, c;
    while ((c = ppc_getopt(argc, argv, "p:so:h", longopts, audit_help, &format)) != -1) {
        switch (c) {
        case 'h': return PPC_EXIT_OK;
        case 'p': policy_path = optarg; break;
        case 's': summary = 1; break;
        default: return PPC_EXIT_USAGE;
        }
    }
    if (policy_path == NULL)
        return ppc_usage_error(argv[0], "--policy is required");
    if (argc - optind > 1)
        return ppc_usage_error(argv[0], "give at most one records file");
    const char *records = optind < argc ? argv[optind] : NULL;
    if (records != NULL && strcmp(records, "-") == 0 && strcmp(policy_path, "-") == 0)
        return ppc_usage_error(argv[0], "the policy and the records cannot both be standard input");

    pp_policy *policy;
    int rc = ppc_load_policy(policy_path, &policy);
    if (rc != PPC_EXIT_OK)
        return rc;
    audit a;
    audit_init(&a, policy);
    int fd = -1;
    if (records != NULL) {
        a.name = ppc_display_name(records);
        fd = strcmp(records, "-") == 0 ? STDIN_FILENO : open(records, O_RDONLY);
        if (fd < 0)
            fprintf(stderr, "ppolicy: cannot read %s: %s\n", records, strerror(errno));
        else if ((a.r = ppr_reader_new_fd(policy, fd)) == NULL)
            out_of_memory();
        if (a.r == NULL || read_records(&a) < 0)
            rc = PPC_EXIT_USAGE;
    }
    if (rc == PPC_EXIT_OK) {
        /* Checked whole, after reading: nothing is reported about a file
         * that turns out not to be YAML. */
        uint64_t counts[NCODES] = { 0 };
        long found = run_checks(&a, L_POLICY, L_DEVICES, counts, NULL, 0);
        if (found < 0)
            rc = PPC_EXIT_USAGE;
        else {
            if (summary)
                print_summary(counts, found, format);
            rc = found > 0 ? PPC_EXIT_FAIL : PPC_EXIT_OK;
        }
    }
    if (fd > STDIN_FILENO)
        close(fd);
    audit_free(&a);
    pp_policy_free(policy);
    return rc;
}

/* ---- tokens from standard input ---- */

/* The token on standard input, less one trailing line break.  The caller
 * frees *token (wiped first).  Returns an exit status. */
static int read_token(const char *command, char **token, size_t *len)
{
    if (isatty(STDIN_FILENO))
        fprintf(stderr, "ppolicy %s: reading the token from standard input "
                        "(end with Ctrl-D)\n", command);
    int err = ppc_read_file("-", TOKEN_MAX + 1, token, len);
    if (err != 0) {
        fprintf(stderr, "ppolicy %s: cannot read standard input: %s\n", command, strerror(err));
        return PPC_EXIT_USAGE;
    }
    if (*len > 0 && (*token)[*len - 1] == '\n')
        (*len)--;
    if (*len > 0 && (*token)[*len - 1] == '\r')
        (*len)--;
    if (*len == 0 || *len > TOKEN_MAX) {
        fprintf(stderr, "ppolicy %s: %s\n", command,
                *len == 0 ? "no token on standard input" : "the token is longer than 65536 bytes");
        free(*token);
        *token = NULL;
        return PPC_EXIT_USAGE;
    }
    return PPC_EXIT_OK;
}

static void forget(char *token, size_t len)
{
    if (token != NULL) {
        /* volatile: the compiler may not drop the wipe before free. */
        volatile char *p = token;
        for (size_t i = 0; i < len; i++)
            p[i] = 0;
    }
    free(token);
}

/* Options of the token commands, which take no arguments: 1 to go on, or 0
 * with the exit status in *status (after --help or a usage error). */
static int token_options(int argc, char **argv, const char *shortopts,
                         const struct option *longopts, const char *help,
                         const char **policy, int *format, int *status)
{
    int c;
    while ((c = ppc_getopt(argc, argv, shortopts, longopts, help, format)) != -1) {
        if (c != 'p') {
            *status = c == 'h' ? PPC_EXIT_OK : PPC_EXIT_USAGE;
            return 0;
        }
        *policy = optarg;
    }
    if (optind < argc) {
        /* Not quoted back: it may well be a token. */
        *status = ppc_usage_error(argv[0], "no arguments: the token is read from standard "
                                           "input, never from the command line");
        return 0;
    }
    return 1;
}

int ppc_check_token(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy_path = NULL;
    int rc, format = PPC_TEXT;
    if (!token_options(argc, argv, "p:o:h", longopts, check_token_help, &policy_path, &format,
                       &rc))
        return rc;
    if (policy_path == NULL)
        return ppc_usage_error(argv[0], "--policy is required");
    if (strcmp(policy_path, "-") == 0)
        return ppc_usage_error(argv[0], "standard input holds the token, not the policy");
    pp_policy *policy;
    rc = ppc_load_policy(policy_path, &policy);
    if (rc != PPC_EXIT_OK)
        return rc;
    char *token = NULL;
    size_t len = 0;
    rc = read_token(argv[0], &token, &len);
    if (rc == PPC_EXIT_OK) {
        audit a;
        audit_init(&a, policy);
        uint64_t counts[NCODES] = { 0 };
        long found = run_checks(&a, L_TOKEN, L_TOKEN, counts, token, len);
        rc = found < 0 ? PPC_EXIT_USAGE : found > 0 ? PPC_EXIT_FAIL : PPC_EXIT_OK;
        audit_free(&a);
    }
    forget(token, len);
    pp_policy_free(policy);
    return rc;
}

int ppc_canary_fingerprint(int argc, char **argv)
{
    static const struct option longopts[] = {
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *unused = NULL;
    int rc, format = PPC_TEXT;
    if (!token_options(argc, argv, "o:h", longopts, canary_help, &unused, &format, &rc))
        return rc;
    char *token = NULL;
    size_t len = 0;
    rc = read_token(argv[0], &token, &len);
    if (rc == PPC_EXIT_OK)
        ppc_print_fingerprint(format, pp_canary_fingerprint(token, len));
    forget(token, len);
    return rc;
}
