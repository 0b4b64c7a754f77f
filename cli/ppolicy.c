/* ppolicy: validate policies, decide fleets, explain decisions and run
 * policy tests from the command line.  This file parses the command line
 * and dispatches; each command lives in its own file. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "output.h"
#include "records.h"

#define STR2(x) #x
#define STR(x) STR2(x)

static const char help[] =
    "Usage: ppolicy COMMAND [OPTIONS] [ARGUMENTS]\n"
    "\n"
    "Check product policies, decide which devices belong to which product,\n"
    "and explain why.\n"
    "\n"
    "Commands:\n"
    "  validate POLICY...                check policies (errors as FILE:LINE:COLUMN)\n"
    "  decide --policy POLICY [DEVICES]  decide device records: a JSON line each\n"
    "  explain --policy POLICY DEVICE    explain one decision, rule by rule\n"
    "  test CASES...                     run policy test files\n"
    "  fingerprint POLICY                print a policy's fingerprint\n"
    "  platforms [--policy POLICY]       the platform table\n"
    "  families [--policy POLICY]        the device family table\n"
    "  authorize --policy POLICY --actor NAME --action ACTION --product ID [DEVICE]\n"
    "                                    may an operator do that? (or --batch)\n"
    "  audit --policy POLICY [RECORDS]   security checks: a JSON line per finding\n"
    "  check-token --policy POLICY       is the token on standard input a canary?\n"
    "  canary-fingerprint                fingerprint of a token read from stdin\n"
    "  diff OLD NEW [--fleet DEVICES]    what NEW changes: every device and person\n"
    "  replay --policy POLICY STORY      a device's story, step by step: decisions,\n"
    "                                    operator actions and the records after them\n"
    "\n"
    "Options:\n"
    "  -h, --help      show this help; `ppolicy COMMAND --help` for a command\n"
    "  -V, --version   show the versions of ppolicy and the library\n"
    "Every command takes -o/--format text|json (text by default).\n"
    "\n"
    "Exit status: 0 success, 1 invalid policy or failed tests, 2 bad usage,\n"
    "unreadable or malformed input, 4 the output cannot be written; audit and\n"
    "check-token: 1 findings; authorize: 3 denied; diff: 1 a --fail-on\n"
    "condition holds.  See ppolicy(1).\n";

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    { "validate", ppc_validate },
    { "decide", ppc_decide },
    { "explain", ppc_explain },
    { "test", ppc_test },
    { "fingerprint", ppc_fingerprint },
    { "platforms", ppc_platforms },
    { "families", ppc_families },
    { "authorize", ppc_authorize },
    { "audit", ppc_audit },
    { "check-token", ppc_check_token },
    { "canary-fingerprint", ppc_canary_fingerprint },
    { "diff", ppc_diff },
    { "replay", ppc_replay },
};

int ppc_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ppolicy %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'ppolicy %s --help'.\n", command);
    return PPC_EXIT_USAGE;
}

int ppc_parse_format(const char *command, const char *arg, int markdown_ok, int *format)
{
    if (strcmp(arg, "text") == 0)
        *format = PPC_TEXT;
    else if (strcmp(arg, "json") == 0)
        *format = PPC_JSON;
    else if (markdown_ok && strcmp(arg, "markdown") == 0)
        *format = PPC_MARKDOWN;
    else {
        ppc_usage_error(command, "unknown format '%s' (text%s or json)", arg,
                        markdown_ok ? ", markdown" : "");
        return 0;
    }
    return 1;
}

int ppc_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts, const char *command_help, int *format)
{
    char spec[32];
    /* A leading ':' tells a missing value (':') from an unknown option. */
    snprintf(spec, sizeof spec, ":%s", shortopts);
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, spec, longopts, NULL);
        switch (c) {
        case 'h':
            ppc_puts(ppc_stdout(), command_help);
            return 'h';
        case 'o':
        case 'f':
            if (format == NULL)
                return c;
            if (!ppc_parse_format(argv[0], optarg, 0, format))
                return '?';
            continue;
        case ':':
            ppc_usage_error(argv[0], "option '%s' needs a value", argv[optind - 1]);
            return '?';
        case '?':
            if (optopt != 0)
                ppc_usage_error(argv[0], "unknown option '-%c'", optopt);
            else
                ppc_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
            return '?';
        default:
            return c;
        }
    }
}

void ppc_print_fingerprint(int format, uint64_t fingerprint)
{
    ppc_out *o = ppc_stdout();
    if (format == PPC_JSON) {
        ppc_json j;
        ppc_json_start(&j, o);
        ppc_json_object(&j);
        ppc_json_key(&j, "fingerprint");
        ppc_json_hex64(&j, fingerprint);
        ppc_json_end(&j);
        ppc_json_finish(&j);
    } else {
        ppc_printf(o, "%016" PRIx64 "\n", fingerprint);
    }
}

int ppc_read_flushing(void *opaque, unsigned char *buf, size_t size, size_t *got)
{
    ppc_flush(ppc_stdout());
    return ppr_read_fd(opaque, buf, size, got);
}

static int run(const struct command *cmd, int argc, char **argv)
{
    int rc = cmd->run(argc, argv);
    int err = ppc_flush(ppc_stdout());
    if (err != 0) {
        fprintf(stderr, "ppolicy %s: cannot write the output: %s\n", argv[0], strerror(err));
        return PPC_EXIT_OUTPUT;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("Usage: ppolicy COMMAND [OPTIONS] [ARGUMENTS]\n"
              "Try 'ppolicy --help'.\n", stderr);
        return PPC_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
        fputs(help, stdout);
        return PPC_EXIT_OK;
    }
    if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
        printf("ppolicy " STR(PP_VERSION_MAJOR) "." STR(PP_VERSION_MINOR) "." STR(
                   PP_VERSION_PATCH) " (libparticlepolicy %s)\n",
               pp_version_string());
        return PPC_EXIT_OK;
    }
    int help_for = strcmp(name, "help") == 0;
    if (help_for) {
        if (argc == 2) {
            fputs(help, stdout);
            return PPC_EXIT_OK;
        }
        name = argv[2];
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(name, commands[i].name) != 0)
            continue;
        if (help_for) {
            char *args[] = { argv[2], (char *)"--help", NULL };
            return run(&commands[i], 2, args);
        }
        return run(&commands[i], argc - 1, argv + 1);
    }
    fprintf(stderr, "ppolicy: unknown command '%s'\nTry 'ppolicy --help'.\n", name);
    return PPC_EXIT_USAGE;
}
