/* ppolicy decide: stream device records through pp_decide, one JSON line per
 * record, in input order, in constant memory. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "effects.h"
#include "json.h"
#include "records.h"

static const char help[] =
    "Usage: ppolicy decide --policy POLICY.yaml [--summary] [--next-record] [DEVICES]\n"
    "\n"
    "Decide each device record of DEVICES (a file; standard input when absent\n"
    "or `-`): YAML, JSON or JSON Lines (told from the first characters), a\n"
    "list of records or a stream of documents (`---` in YAML, one value after\n"
    "another in JSON).\n"
    "Fields: id, platform_id (a number or a platform name), sku, device_os,\n"
    "cloud_product_id, firmware_product_id, owner, denied_in, removed_from,\n"
    "quarantined_in, development, firmware_version, and note (ignored).\n"
    "\n"
    "Prints one JSON object per record, in input order:\n"
    "  {\"record\":N,\"id\":...,\"product_id\":P,\"outcome\":...,\"reason\":...,\n"
    "   \"rule\":R,\"privileges\":[...],\"advisories\":[...],\"effects\":[...]}\n"
    "plus \"cloud_product_status\":{\"product_id\":C,\"status\":\"limited\"} when\n"
    "the device keeps limited privileges in its cloud product C,\n"
    "\"leaves_denied\":P and \"leaves_quarantine\":P when the effects take the\n"
    "device off product P's Denied or quarantine list, and\n"
    "\"error_code\" and \"error\" for a malformed record, which is denied\n"
    "(reason invalid_input) while the run goes on.\n"
    "\n"
    "  -p, --policy FILE   the policy (required)\n"
    "  -s, --summary       counts per outcome and reason on standard error\n"
    "  -n, --next-record   add \"next_record\": the record the cloud should store\n"
    "                      after the decision (null for a malformed record)\n"
    "      --no-progress   no progress line, even on a terminal\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 (also when records are malformed), 1 the policy is\n"
    "invalid, 2 bad usage, unreadable input or input that is not well-formed,\n"
    "4 the output cannot be written.\n";

#define NREASONS (PP_REASON_OWNER_NOT_TEAM_MEMBER + 1)

typedef struct counts {
    uint64_t records;
    uint64_t outcome[PP_OUTCOME_REAPPEAR_AS_DENIED + 1];
    uint64_t reason[NREASONS];
} counts;

void ppc_json_device_id(FILE *out, const pp_device *device, const pp_decision *d)
{
    if (d->error == PP_OK && device->id_len == 24) {
        /* A valid ID is reported lower-case (docs/spec.md §2). */
        char id[24];
        for (size_t i = 0; i < sizeof id; i++) {
            char c = device->id[i];
            id[i] = c >= 'A' && c <= 'F' ? (char)(c - 'A' + 'a') : c;
        }
        ppc_json_string(out, id, sizeof id);
    } else {
        ppc_json_string(out, device->id, device->id_len);
    }
}

/* ,"next_record":{...}: the record after the decision's effects; null when
 * the record was malformed (the cloud stores nothing). */
static void print_next_record(FILE *out, const ppr_record *rec, const pp_decision *d)
{
    pp_device next;
    fputs(",\"next_record\":", out);
    if (d->error != PP_OK || pp_apply_effects(&next, &rec->device, d) != PP_OK)
        fputs("null", out);
    else
        ppc_json_record(out, &next);
}

static void print_decision(const ppr_record *rec, const pp_decision *d, int next_record)
{
    FILE *out = stdout;
    fprintf(out, "{\"record\":%" PRIu64 ",\"id\":", rec->number);
    ppc_json_device_id(out, &rec->device, d);
    fprintf(out, ",\"product_id\":%" PRIu32 ",\"outcome\":", d->product_id);
    ppc_json_cstring(out, pp_outcome_name(d->outcome));
    fputs(",\"reason\":", out);
    ppc_json_cstring(out, pp_reason_name(d->reason));
    fprintf(out, ",\"rule\":%" PRId32 ",\"privileges\":", d->rule);
    ppc_json_names(out, d->privileges, pp_privilege_name);
    fputs(",\"advisories\":", out);
    ppc_json_names(out, d->advisories, pp_advisory_name);
    if (d->limited_in != 0)
        fprintf(out, ",\"cloud_product_status\":{\"product_id\":%" PRIu32 ",\"status\":\"limited\"}",
               d->limited_in);
    ppc_json_effects(out, d);
    if (next_record)
        print_next_record(out, rec, d);
    if (d->error != PP_OK) {
        fputs(",\"error_code\":", out);
        ppc_json_cstring(out, pp_error_name(d->error));
        fputs(",\"error\":", out);
        ppc_json_cstring(out, rec->message);
    }
    fputs("}\n", out);
}

static void print_summary(const counts *c)
{
    fprintf(stderr, "%" PRIu64 " record%s\n", c->records, c->records == 1 ? "" : "s");
    for (int i = 0; i <= PP_OUTCOME_REAPPEAR_AS_DENIED; i++)
        fprintf(stderr, "outcome %-30s %" PRIu64 "\n", pp_outcome_name(i), c->outcome[i]);
    for (int i = 0; i < NREASONS; i++)
        if (c->reason[i] != 0)
            fprintf(stderr, "reason  %-30s %" PRIu64 "\n", pp_reason_name(i), c->reason[i]);
}

typedef struct progress {
    int on;
    int shown;
    time_t last;
} progress;

static void show_progress(progress *pg, uint64_t records)
{
    if (!pg->on || records % 4096 != 0)
        return;
    time_t now = time(NULL);
    if (now == pg->last)
        return;
    pg->last = now;
    pg->shown = 1;
    fprintf(stderr, "\rppolicy decide: %" PRIu64 " records", records);
}

static int decide_all(const pp_policy *policy, int fd, const char *name, int summary,
                      int next_record, int show)
{
    ppr_reader *r = ppr_reader_new(policy, ppc_read_flushing, &fd);
    if (r == NULL) {
        fprintf(stderr, "ppolicy decide: out of memory\n");
        return PPC_EXIT_USAGE;
    }
    counts c;
    memset(&c, 0, sizeof c);
    progress pg = { show && isatty(STDERR_FILENO), 0, time(NULL) };
    ppr_record rec;
    pp_decision d;
    int rc;
    while ((rc = ppr_next(r, &rec)) > 0) {
        ppr_decide(&d, policy, NULL, &rec);
        print_decision(&rec, &d, next_record);
        c.records++;
        if ((unsigned)d.outcome < sizeof c.outcome / sizeof c.outcome[0])
            c.outcome[d.outcome]++;
        if ((unsigned)d.reason < NREASONS)
            c.reason[d.reason]++;
        show_progress(&pg, c.records);
        if (ferror(stdout))
            break; /* the reader is gone: stop now, not at the end of the input */
    }
    if (pg.shown)
        fputs("\r\033[K", stderr);
    int status = PPC_EXIT_OK;
    if (rc < 0) {
        const pp_error *e = ppr_reader_error(r);
        fflush(stdout); /* the decisions so far come first */
        fprintf(stderr, "%s:%lu:%lu: error: %s\n", name, (unsigned long)e->line,
                (unsigned long)e->column, e->message);
        status = PPC_EXIT_USAGE;
    }
    if (summary)
        print_summary(&c);
    ppr_reader_free(r);
    return status;
}

int ppc_decide(int argc, char **argv)
{
    enum { NO_PROGRESS = 256 };
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        { "summary", no_argument, NULL, 's' },
        { "next-record", no_argument, NULL, 'n' },
        { "no-progress", no_argument, NULL, NO_PROGRESS },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy_path = NULL;
    int summary = 0, next_record = 0, show_progress_line = 1, c;
    while ((c = ppc_getopt(argc, argv, "p:snh", longopts, help)) != -1) {
        switch (c) {
        case 'h': return PPC_EXIT_OK;
        case 'p': policy_path = optarg; break;
        case 's': summary = 1; break;
        case 'n': next_record = 1; break;
        case NO_PROGRESS: show_progress_line = 0; break;
        default: return PPC_EXIT_USAGE;
        }
    }
    if (policy_path == NULL)
        return ppc_usage_error(argv[0], "--policy is required");
    if (argc - optind > 1)
        return ppc_usage_error(argv[0], "give at most one device file");
    const char *devices = optind < argc ? argv[optind] : "-";
    int from_stdin = strcmp(devices, "-") == 0;
    if (from_stdin && strcmp(policy_path, "-") == 0)
        return ppc_usage_error(argv[0], "the policy and the devices cannot both be standard input");

    pp_policy *policy;
    int rc = ppc_load_policy(policy_path, &policy);
    if (rc != PPC_EXIT_OK)
        return rc;
    int fd = from_stdin ? STDIN_FILENO : open(devices, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "ppolicy: cannot read %s: %s\n", devices, strerror(errno));
        pp_policy_free(policy);
        return PPC_EXIT_USAGE;
    }
    rc = decide_all(policy, fd, ppc_display_name(devices), summary, next_record,
                    show_progress_line);
    if (!from_stdin)
        close(fd);
    pp_policy_free(policy);
    return rc;
}
