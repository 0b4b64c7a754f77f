/* ppolicy test's case files (casefile.c reads them, test.c runs them).
 * A case file names a policy and lists cases, each a device record and the
 * decision expected for it.  A file is read whole, every case decided as it
 * is read; a malformed file gives problems (every one found, with its
 * position, key and a did-you-mean) and no cases. */
#ifndef PPC_CASEFILE_H
#define PPC_CASEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "records.h"

/* The decision a case expects; only what it names is compared. */
typedef struct ppc_expectation {
    bool has_outcome, has_reason, has_rule, has_product, has_limited;
    bool has_privileges, has_advisories, has_error;
    int outcome, reason, rule, error;
    uint32_t product_id, limited_in, privileges, advisories;
} ppc_expectation;

typedef struct ppc_case {
    char *name;             /* NULL: unnamed ("case N") */
    size_t name_len;
    unsigned number;        /* 1-based in its file */
    int file;               /* index of its file among the arguments */
    ppr_position at;
    ppc_expectation x;
    pp_decision d;          /* decided as the file was read */
    char *message;          /* the record's message when d.error is set */
    bool run, passed;
} ppc_case;

typedef struct ppc_problem {
    const char *file;
    ppr_position at;
    int code;
    char key[96];           /* "cases[2].expect.reason", "" for the file */
    char message[PPR_MESSAGE_SIZE];
} ppc_problem;

/* Everything read, over every file. */
typedef struct ppc_suite {
    ppc_case *cases;
    size_t ncases, cap;
    ppc_problem *problems;
    size_t nproblems, problems_cap;
    int status;             /* the worst exit status so far */
    bool out_of_memory;
} ppc_suite;

/* Read one case file (path "-": standard input) into the suite, as file
 * number `file`; policy_override (NULL: the file's own) is the policy path
 * of --policy.  Problems and the exit status go into the suite. */
void ppc_read_case_file(ppc_suite *s, const char *path, int file, const char *policy_override);
void ppc_suite_free(ppc_suite *s);

#endif
