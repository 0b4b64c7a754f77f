/* ppolicy diff OLD NEW: what a new policy changes before it ships (the
 * library's pp_policy_diff), optionally what it does to a real fleet, and a
 * gate for pipelines (--fail-on).  Printing is in diff_report.c. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "output.h"
#include "records.h"

static const char help[] =
    "Usage: ppolicy diff [OPTIONS] OLD.yaml NEW.yaml\n"
    "\n"
    "What NEW changes against OLD, in the policy's words: each semantic change\n"
    "(loosening, tightening or neutral) with the security findings it brings or\n"
    "resolves; every class of device records whose decision changes, over every\n"
    "possible record (\"no device changes\" is a statement about all of them);\n"
    "and every (actor, action, product) whose authorization changes.\n"
    "\n"
    "  -o, -f, --format FMT text (the default) or json (docs/cli.md: the schema)\n"
    "  -a, --all            list every device class in the text report (it\n"
    "                       lists 5 under each change of decision otherwise)\n"
    "      --fleet FILE     also decide these device records (any format\n"
    "                       `decide` reads; `-`: standard input) under both\n"
    "                       policies: a table of old -> new decisions\n"
    "      --fail-on LIST   exit 1 when one of these holds (comma-separated):\n"
    "                       gains      a device class gains a privilege or\n"
    "                                  someone gains an action\n"
    "                       loosening  gains, or any loosening change\n"
    "                       findings   a security finding is introduced\n"
    "                       any        anything at all differs\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 no --fail-on condition holds; 1 one holds, or a policy is\n"
    "invalid; 2 bad usage, an unreadable file, fleet input that is not YAML, or\n"
    "a diff the library refuses (too many classes).\n";

/* ---- the fleet ---- */

static bool same_decision(const pp_decision *a, const pp_decision *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

static ppc_transition *row_for(ppc_fleet *f, const pp_decision *o, const pp_decision *n)
{
    bool changed = !same_decision(o, n);
    for (size_t i = 0; i < f->nrows; i++) {
        ppc_transition *t = &f->rows[i];
        if (t->old_outcome == o->outcome && t->old_reason == o->reason &&
            t->new_outcome == n->outcome && t->new_reason == n->reason && t->changed == changed)
            return t;
    }
    ppc_transition *rows = realloc(f->rows, (f->nrows + 1) * sizeof *rows);
    if (rows == NULL)
        return NULL;
    f->rows = rows;
    ppc_transition *t = &rows[f->nrows++];
    memset(t, 0, sizeof *t);
    t->old_outcome = o->outcome;
    t->old_reason = o->reason;
    t->new_outcome = n->outcome;
    t->new_reason = n->reason;
    t->changed = changed;
    return t;
}

static void add_example(ppc_transition *t, const pp_device *d, const pp_decision *o)
{
    if (t->nexamples == PPC_DIFF_EXAMPLES)
        return;
    char *id = t->examples[t->nexamples++];
    size_t n = d->id_len < PPC_DIFF_ID_MAX ? d->id_len : PPC_DIFF_ID_MAX;
    for (size_t i = 0; i < n; i++) {
        char c = d->id[i];
        /* A valid ID is reported lower-case (as decide reports it). */
        id[i] = o->error == PP_OK && c >= 'A' && c <= 'F' ? (char)(c - 'A' + 'a') : c;
    }
    id[n] = '\0';
}

/* Every record of the fleet under both policies, one at a time. */
static int read_fleet(ppc_diff_report *r, const char *path)
{
    ppc_fleet *f = &r->fleet;
    int from_stdin = strcmp(path, "-") == 0;
    int fd = from_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "ppolicy: cannot read %s: %s\n", path, strerror(errno));
        return PPC_EXIT_USAGE;
    }
    /* Platform names in records are the new policy's. */
    ppr_reader *reader = ppr_reader_new(r->new_policy, ppr_read_fd, &fd);
    int status = reader == NULL ? PPC_EXIT_USAGE : PPC_EXIT_OK;
    ppr_record rec;
    int rc = 0;
    while (status == PPC_EXIT_OK && (rc = ppr_next(reader, &rec)) > 0) {
        pp_decision o, n, po, pn;
        ppr_decide(&o, r->old_policy, NULL, &rec);
        ppr_decide(&n, r->new_policy, NULL, &rec);
        f->records++;
        ppc_transition *t = row_for(f, &o, &n);
        if (t == NULL) {
            status = PPC_EXIT_USAGE;
            break;
        }
        t->count++;
        if (o.error != PP_OK || n.error != PP_OK) {
            f->invalid++;
            add_example(t, &rec.device, &o);
            continue;
        }
        if (!same_decision(&o, &n)) {
            f->changed++;
            add_example(t, &rec.device, &o);
        }
        f->gains += (n.privileges & ~o.privileges) != 0;
        f->losses += (o.privileges & ~n.privileges) != 0;
        /* The record's class must predict exactly this. */
        size_t index;
        pp_diff_class_of(&index, &po, &pn, r->diff, &rec.device);
        if (!same_decision(&po, &o) || !same_decision(&pn, &n) ||
            (index != PP_DIFF_NONE) != !same_decision(&o, &n))
            f->mismatches++;
    }
    if (reader == NULL || status != PPC_EXIT_OK) {
        fprintf(stderr, "ppolicy diff: out of memory\n");
    } else if (rc < 0) {
        const pp_error *e = ppr_reader_error(reader);
        fprintf(stderr, "%s:%lu:%lu: error: %s\n", f->name, (unsigned long)e->line,
                (unsigned long)e->column, e->message);
        status = PPC_EXIT_USAGE;
    }
    ppr_reader_free(reader);
    if (!from_stdin)
        close(fd);
    if (status == PPC_EXIT_OK && f->mismatches > 0) {
        fprintf(stderr, "ppolicy diff: %llu records do not decide as their device class says "
                        "(a bug: please report it)\n", (unsigned long long)f->mismatches);
        status = PPC_EXIT_USAGE;
    }
    return status;
}

/* ---- options ---- */

static int parse_fail_on(const char *list, unsigned *mask)
{
    static const struct {
        const char *name;
        unsigned bit;
    } words[] = {
        { "gains", PPC_FAIL_GAINS },
        { "loosening", PPC_FAIL_LOOSENING },
        { "findings", PPC_FAIL_FINDINGS },
        { "any", PPC_FAIL_ANY },
    };
    const char *p = list;
    for (;;) {
        size_t n = strcspn(p, ",");
        size_t i = 0;
        while (i < sizeof words / sizeof words[0] &&
               !(strlen(words[i].name) == n && strncmp(words[i].name, p, n) == 0))
            i++;
        if (i == sizeof words / sizeof words[0])
            return -1;
        *mask |= words[i].bit;
        if (p[n] == '\0')
            return 0;
        p += n + 1;
    }
}

int ppc_diff(int argc, char **argv)
{
    enum { FLEET = 256, FAIL_ON };
    static const struct option longopts[] = {
        PPC_FORMAT_OPTION,
        { "all", no_argument, NULL, 'a' },
        { "fleet", required_argument, NULL, FLEET },
        { "fail-on", required_argument, NULL, FAIL_ON },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *fleet = NULL;
    int format = PPC_TEXT;
    ppc_diff_report r;
    memset(&r, 0, sizeof r);
    int c;
    while ((c = ppc_getopt(argc, argv, "f:o:ah", longopts, help, &format)) != -1) {
        switch (c) {
        case 'h': return PPC_EXIT_OK;
        case 'a': r.all_classes = 1; break;
        case FLEET: fleet = optarg; break;
        case FAIL_ON:
            if (parse_fail_on(optarg, &r.fail_on) != 0)
                return ppc_usage_error(argv[0], "--fail-on takes gains, loosening, findings "
                                                "or any (comma-separated), not '%s'", optarg);
            break;
        default: return PPC_EXIT_USAGE;
        }
    }
    if (argc - optind != 2)
        return ppc_usage_error(argv[0], "give two policies: OLD and NEW");
    const char *old_path = argv[optind], *new_path = argv[optind + 1];
    int stdin_uses = (strcmp(old_path, "-") == 0) + (strcmp(new_path, "-") == 0) +
                     (fleet != NULL && strcmp(fleet, "-") == 0);
    if (stdin_uses > 1)
        return ppc_usage_error(argv[0], "only one input can be standard input");

    pp_policy *old_policy = NULL, *new_policy = NULL;
    int status = ppc_load_policy(old_path, &old_policy);
    if (status == PPC_EXIT_OK)
        status = ppc_load_policy(new_path, &new_policy);
    pp_diff *diff = NULL;
    if (status == PPC_EXIT_OK) {
        pp_error err;
        if (pp_policy_diff(&diff, old_policy, new_policy, NULL, &err) != PP_OK) {
            fprintf(stderr, "ppolicy diff: %s [%s]\n", err.message, pp_error_name(err.code));
            status = PPC_EXIT_USAGE;
        }
    }
    if (status == PPC_EXIT_OK) {
        r.old_name = ppc_display_name(old_path);
        r.new_name = ppc_display_name(new_path);
        r.old_policy = old_policy;
        r.new_policy = new_policy;
        r.diff = diff;
        if (fleet != NULL) {
            r.fleet.name = ppc_display_name(fleet);
            status = read_fleet(&r, fleet);
        }
    }
    if (status == PPC_EXIT_OK) {
        r.failed = ppc_diff_gate(&r, r.fail_on, 0);
        if (format == PPC_JSON)
            ppc_diff_json(ppc_stdout(), &r);
        else
            ppc_diff_text(ppc_stdout(), &r);
        ppc_flush(ppc_stdout());
        ppc_diff_gate(&r, r.fail_on, 1);
        status = r.failed ? PPC_EXIT_FAIL : PPC_EXIT_OK;
    }
    free(r.fleet.rows);
    pp_diff_free(diff);
    pp_policy_free(old_policy);
    pp_policy_free(new_policy);
    return status;
}
