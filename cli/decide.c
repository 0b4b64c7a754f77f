/* ppolicy decide: stream device records through pp_decide, one JSON line per
 * record, in input order, in constant memory. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "effects.h"
#include "json.h"
#include "output.h"
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
    PPC_FORMAT_HELP
    "                      (json: the summary as one JSON object; the answers\n"
    "                      are JSON lines in either format)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 (also when records are malformed), 1 the policy is\n"
    "invalid, 2 bad usage, unreadable input or input that is not well-formed,\n"
    "4 the output cannot be written.\n";

#define NOUTCOMES (PP_OUTCOME_REAPPEAR_AS_DENIED + 1)
#define NREASONS (PP_REASON_OWNER_NOT_TEAM_MEMBER + 1)

typedef struct counts {
    uint64_t records;
    uint64_t outcome[NOUTCOMES];
    uint64_t reason[NREASONS];
} counts;

void ppc_json_device_id(ppc_out *out, const pp_device *device, const pp_decision *d)
{
    if (d->error == PP_OK && device->id_len == 24) {
        /* A valid ID is 24 hex digits, reported lower-case (docs/spec.md
         * §2): nothing in it needs escaping, and setting bit 5 of every
         * byte turns A-F into a-f and leaves 0-9 as they are. */
        char id[26];
        id[0] = id[25] = '"';
        for (size_t i = 0; i < 24; i += 8) {
            uint64_t w;
            memcpy(&w, device->id + i, 8);
            w |= 0x2020202020202020ull;
            memcpy(id + 1 + i, &w, 8);
        }
        ppc_put(out, id, sizeof id);
    } else {
        ppc_json_string(out, device->id, device->id_len);
    }
}

/* ,"next_record":{...}: the record after the decision's effects; null when
 * the record was malformed (the cloud stores nothing). */
static void print_next_record(ppc_out *out, const ppr_record *rec, const pp_decision *d)
{
    pp_device next;
    PPC_PUTS(out, ",\"next_record\":");
    if (d->error != PP_OK || pp_apply_effects(&next, &rec->device, d) != PP_OK)
        PPC_PUTS(out, "null");
    else
        ppc_json_record(out, &next);
}

/* The parts of an answer that depend on one name or set of names, written
 * once: most of a line is copied, not formatted. */
#define NMASKS 32 /* privilege and advisory sets kept; larger ones are written */

typedef struct piece {
    char text[192];
    size_t len;
} piece;

typedef struct pieces {
    piece outcome[NOUTCOMES];       /* ,"outcome":"ok","reason": */
    piece reason[NREASONS];         /* "member","rule": */
    piece privileges[NMASKS];       /* ,"privileges":[...] */
    piece advisories[NMASKS];       /* ,"advisories":[...] */
    piece effects[NMASKS];          /* ,"effects":[...] */
} pieces;

static void make_piece(piece *p, const char *before, const char *name, uint32_t bits,
                       const char *(*names)(int), const char *after)
{
    ppc_out o;
    ppc_out_memory(&o);
    ppc_puts(&o, before);
    if (names != NULL)
        ppc_json_names(&o, bits, names);
    else
        ppc_json_cstring(&o, name);
    ppc_puts(&o, after);
    p->len = o.error == 0 && o.len <= sizeof p->text ? o.len : 0;
    if (p->len > 0)
        memcpy(p->text, o.buf, p->len);
    ppc_out_free(&o);
}

static void make_pieces(pieces *p)
{
    for (int i = 0; i < NOUTCOMES; i++)
        make_piece(&p->outcome[i], ",\"outcome\":", pp_outcome_name(i), 0, NULL, ",\"reason\":");
    for (int i = 0; i < NREASONS; i++)
        make_piece(&p->reason[i], "", pp_reason_name(i), 0, NULL, ",\"rule\":");
    for (uint32_t m = 0; m < NMASKS; m++) {
        make_piece(&p->privileges[m], ",\"privileges\":", NULL, m, pp_privilege_name, "");
        make_piece(&p->advisories[m], ",\"advisories\":", NULL, m, pp_advisory_name, "");
        make_piece(&p->effects[m], ",\"effects\":", NULL, m, pp_effect_name, "");
    }
}

static void put_piece(ppc_out *o, const piece *p)
{
    ppc_put(o, p->text, p->len);
}

static inline void put_names(ppc_out *o, const piece *kept, const char *key, uint32_t bits,
                      const char *(*names)(int))
{
    if (kept != NULL && bits < NMASKS && kept[bits].len > 0) {
        put_piece(o, &kept[bits]);
        return;
    }
    ppc_puts(o, key);
    ppc_json_names(o, bits, names);
}

/* The record number as text, counted up in place: records are numbered
 * 1, 2, 3, ... so most lines need one digit changed, not a division per
 * digit. */
typedef struct counter {
    char digits[24];        /* digits[start..24) */
    size_t start;
    uint64_t value;
} counter;

static void count_to(counter *c, uint64_t n)
{
    if (n == c->value + 1 && c->value != 0) {
        size_t i = sizeof c->digits;
        while (i > c->start && c->digits[i - 1] == '9')
            c->digits[--i] = '0';
        if (i == c->start)
            c->digits[--c->start] = '1';
        else
            c->digits[i - 1]++;
    } else {
        c->start = sizeof c->digits;
        uint64_t v = n;
        do {
            c->digits[--c->start] = (char)('0' + v % 10);
            v /= 10;
        } while (v != 0);
    }
    c->value = n;
}

/* A decision's keys after its "record", from the pieces (NULL: each one
 * formatted). */
static void put_decision(ppc_out *o, const pieces *p, const ppr_record *rec,
                         const pp_decision *d, int next_record)
{
    PPC_PUTS(o, "\"id\":");
    ppc_json_device_id(o, &rec->device, d);
    PPC_PUTS(o, ",\"product_id\":");
    ppc_put_u64(o, d->product_id);
    if (p != NULL && (unsigned)d->outcome < NOUTCOMES && (unsigned)d->reason < NREASONS &&
        p->outcome[d->outcome].len > 0 && p->reason[d->reason].len > 0) {
        put_piece(o, &p->outcome[d->outcome]);
        put_piece(o, &p->reason[d->reason]);
    } else {
        PPC_PUTS(o, ",\"outcome\":");
        ppc_json_cstring(o, pp_outcome_name(d->outcome));
        PPC_PUTS(o, ",\"reason\":");
        ppc_json_cstring(o, pp_reason_name(d->reason));
        PPC_PUTS(o, ",\"rule\":");
    }
    if ((unsigned)d->rule < 10)
        ppc_putc(o, (char)('0' + d->rule)); /* rules are 0-15 */
    else
        ppc_put_i64(o, d->rule);
    put_names(o, p != NULL ? p->privileges : NULL, ",\"privileges\":", d->privileges,
              pp_privilege_name);
    put_names(o, p != NULL ? p->advisories : NULL, ",\"advisories\":", d->advisories,
              pp_advisory_name);
    if (d->limited_in != 0) {
        PPC_PUTS(o, ",\"cloud_product_status\":{\"product_id\":");
        ppc_put_u64(o, d->limited_in);
        PPC_PUTS(o, ",\"status\":\"limited\"}");
    }
    put_names(o, p != NULL ? p->effects : NULL, ",\"effects\":", d->effects, pp_effect_name);
    ppc_json_leaves(o, d);
    if (next_record)
        print_next_record(o, rec, d);
    if (d->error != PP_OK) {
        PPC_PUTS(o, ",\"error_code\":");
        ppc_json_cstring(o, pp_error_name(d->error));
        PPC_PUTS(o, ",\"error\":");
        ppc_json_cstring(o, rec->message);
    }
}

void ppc_json_decision(ppc_out *o, const ppr_record *rec, const pp_decision *d)
{
    put_decision(o, NULL, rec, d, 0);
}

static void print_decision(ppc_out *o, const pieces *p, counter *number,
                           const ppr_record *rec, const pp_decision *d, int next_record)
{
    PPC_PUTS(o, "{\"record\":");
    count_to(number, rec->number);
    ppc_put(o, number->digits + number->start, sizeof number->digits - number->start);
    ppc_putc(o, ',');
    put_decision(o, p, rec, d, next_record);
    PPC_PUTS(o, "}\n");
}

static void print_summary(const counts *c, int format)
{
    ppc_out *o = ppc_stderr();
    if (format == PPC_JSON) {
        ppc_json j;
        ppc_json_start(&j, o);
        ppc_json_object(&j);
        ppc_json_key(&j, "records");
        ppc_json_uint(&j, c->records);
        ppc_json_key(&j, "outcomes");
        ppc_json_object(&j);
        for (int i = 0; i < NOUTCOMES; i++) {
            ppc_json_key(&j, pp_outcome_name(i));
            ppc_json_uint(&j, c->outcome[i]);
        }
        ppc_json_end(&j);
        ppc_json_key(&j, "reasons");
        ppc_json_object(&j);
        for (int i = 0; i < NREASONS; i++)
            if (c->reason[i] != 0) {
                ppc_json_key(&j, pp_reason_name(i));
                ppc_json_uint(&j, c->reason[i]);
            }
        ppc_json_end(&j);
        ppc_json_end(&j);
        ppc_json_finish(&j);
    } else {
        ppc_printf(o, "%" PRIu64 " record%s\n", c->records, c->records == 1 ? "" : "s");
        for (int i = 0; i < NOUTCOMES; i++)
            ppc_printf(o, "outcome %-30s %" PRIu64 "\n", pp_outcome_name(i), c->outcome[i]);
        for (int i = 0; i < NREASONS; i++)
            if (c->reason[i] != 0)
                ppc_printf(o, "reason  %-30s %" PRIu64 "\n", pp_reason_name(i), c->reason[i]);
    }
    ppc_flush(o);
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
                      int next_record, int show, int format)
{
    ppr_reader *r = ppr_reader_new(policy, ppc_read_flushing, &fd);
    pieces *p = malloc(sizeof *p);
    if (r == NULL || p == NULL) {
        fprintf(stderr, "ppolicy decide: out of memory\n");
        ppr_reader_free(r);
        free(p);
        return PPC_EXIT_USAGE;
    }
    make_pieces(p);
    ppc_out *o = ppc_stdout();
    counter number = { { 0 }, 0, 0 };
    counts c;
    memset(&c, 0, sizeof c);
    progress pg = { show && isatty(STDERR_FILENO), 0, time(NULL) };
    ppr_record rec;
    pp_decision d;
    int rc;
    while ((rc = ppr_next(r, &rec)) > 0) {
        ppr_decide(&d, policy, NULL, &rec);
        print_decision(o, p, &number, &rec, &d, next_record);
        c.records++;
        if ((unsigned)d.outcome < NOUTCOMES)
            c.outcome[d.outcome]++;
        if ((unsigned)d.reason < NREASONS)
            c.reason[d.reason]++;
        show_progress(&pg, c.records);
        if (o->error != 0)
            break; /* the reader is gone: stop now, not at the end of the input */
    }
    if (pg.shown)
        fputs("\r\033[K", stderr);
    int status = PPC_EXIT_OK;
    if (rc < 0 && o->error == 0) {
        const pp_error *e = ppr_reader_error(r);
        ppc_flush(o); /* the decisions so far come first */
        fprintf(stderr, "%s:%lu:%lu: error: %s\n", name, (unsigned long)e->line,
                (unsigned long)e->column, e->message);
        status = PPC_EXIT_USAGE;
    }
    if (summary && o->error == 0)
        print_summary(&c, format);
    ppr_reader_free(r);
    free(p);
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
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy_path = NULL;
    int summary = 0, next_record = 0, show_progress_line = 1, format = PPC_TEXT, c;
    while ((c = ppc_getopt(argc, argv, "p:sno:h", longopts, help, &format)) != -1) {
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
                    show_progress_line, format);
    if (!from_stdin)
        close(fd);
    pp_policy_free(policy);
    return rc;
}
