/* What ppolicy's command files share.  The commands use the library's
 * public API only. */
#ifndef PPC_CLI_H
#define PPC_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "particlepolicy.h"

/* Exit statuses, the same for every command. */
enum {
    PPC_EXIT_OK = 0,
    PPC_EXIT_FAIL = 1,  /* invalid policy, failed tests */
    PPC_EXIT_USAGE = 2, /* bad usage, unreadable file, malformed input stream */
    PPC_EXIT_DENIED = 3, /* authorize: the action is denied */
    PPC_EXIT_OUTPUT = 4  /* the output cannot be written (closed pipe, full disk) */
};

/* The commands.  argv[0] is the command's name; each returns an exit status. */
int ppc_validate(int argc, char **argv);
int ppc_decide(int argc, char **argv);
int ppc_explain(int argc, char **argv);
int ppc_test(int argc, char **argv);
int ppc_fingerprint(int argc, char **argv);
int ppc_platforms(int argc, char **argv);
int ppc_families(int argc, char **argv);
int ppc_authorize(int argc, char **argv);
int ppc_audit(int argc, char **argv);
int ppc_check_token(int argc, char **argv);
int ppc_canary_fingerprint(int argc, char **argv);
int ppc_diff(int argc, char **argv);
int ppc_replay(int argc, char **argv);

/* ppolicy.c: "ppolicy COMMAND: message" and a pointer to --help on standard
 * error; returns PPC_EXIT_USAGE. */
int ppc_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Output formats: -o/--format text (the default) or json; platforms and
 * families also markdown. */
enum { PPC_TEXT, PPC_JSON, PPC_MARKDOWN };
/* The longopts entry of -o/--format, which every command takes. */
#define PPC_FORMAT_OPTION { "format", required_argument, NULL, 'o' }
/* Its line in a command's --help. */
#define PPC_FORMAT_HELP \
    "  -o, --format FMT    text (the default) or json (docs/cli.md: each schema)\n"

/* Parse a command's options with getopt_long.  "h" is --help: prints help
 * and returns 'h'.  "o:" (and "f:", its other name where a command has
 * it) is --format: parsed into *format, text or json (never returned), or
 * returned when format is NULL.  Returns the next option character, -1 at
 * the end of the options, '?' after reporting a usage error. */
struct option;
int ppc_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts, const char *help, int *format);
/* A --format value: text, json, or (markdown_ok) markdown.  1 (*format
 * set), or 0 after reporting the usage error. */
int ppc_parse_format(const char *command, const char *arg, int markdown_ok, int *format);

/* ppolicy.c: a fingerprint on standard output, as 16 hex digits and a line
 * break (text) or {"fingerprint":"..."} (json). */
void ppc_print_fingerprint(int format, uint64_t fingerprint);

/* ppolicy.c: a ppr_read_fn over a file descriptor (opaque points to the
 * int) that first flushes standard output, so a pipeline sees each answer
 * as soon as its record is complete while a file still goes through in
 * large writes. */
int ppc_read_flushing(void *opaque, unsigned char *buf, size_t size, size_t *got);

/* decide.c: a record's device ID as a JSON string, lower-case when the
 * decision found it valid (docs/spec.md §2), as given otherwise. */
struct ppc_out;
void ppc_json_device_id(struct ppc_out *out, const pp_device *device, const pp_decision *d);
/* decide.c: one decision as decide prints it, the keys of its JSON object
 * after "record": "id":...,"product_id":..., ... "error" (no braces). */
struct ppr_record;
void ppc_json_decision(struct ppc_out *out, const struct ppr_record *rec, const pp_decision *d);

/* policyfile.c */

/* The name to show for a path ("-" is standard input). */
const char *ppc_display_name(const char *path);

/* Whether a DEVICE argument is inline record text rather than a file name:
 * it starts with '{', or holds a line break or ": ". */
int ppc_is_inline(const char *arg);
/* Read a whole file ("-": standard input), at most max bytes (reading one
 * more than a limit lets the limit's owner report it).  The caller frees
 * *text.  0, or an errno value. */
int ppc_read_file(const char *path, size_t max, char **text, size_t *len);
/* Load a policy file.  Problems are reported on standard error, a load
 * error compiler-style (FILE:LINE:COLUMN: error: MESSAGE [code]).  Returns
 * PPC_EXIT_OK, PPC_EXIT_FAIL (invalid policy) or PPC_EXIT_USAGE
 * (unreadable). */
int ppc_load_policy(const char *path, pp_policy **out);
/* The policy with the built-in tables only (no file). */
int ppc_load_builtin(pp_policy **out);

#endif
