/* ppolicy diff: what the command's files share (diff.c reads the policies,
 * the fleet and the options; diff_report.c prints). */
#ifndef PPC_DIFF_H
#define PPC_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

#define PPC_DIFF_EXAMPLES 3
/* Device classes the text report lists under one heading without --all. */
#define PPC_DIFF_CLASSES_SHOWN 5
#define PPC_DIFF_ID_MAX 48

/* One row of the fleet's transition table: old decision -> new decision. */
typedef struct ppc_transition {
    int32_t old_outcome, old_reason, new_outcome, new_reason;
    bool changed;              /* the decisions differ (also in rule, product,
                                  privileges or advisories) */
    uint64_t count;
    size_t nexamples;
    char examples[PPC_DIFF_EXAMPLES][PPC_DIFF_ID_MAX + 1];
} ppc_transition;

typedef struct ppc_fleet {
    const char *name;          /* as shown, NULL without --fleet */
    uint64_t records;
    uint64_t invalid;
    uint64_t changed;
    uint64_t gains;            /* records that gain a privilege */
    uint64_t losses;
    uint64_t mismatches;       /* records that do not change as their class says */
    ppc_transition *rows;
    size_t nrows;
} ppc_fleet;

/* What --fail-on asks about (bits). */
enum {
    PPC_FAIL_GAINS = 1,
    PPC_FAIL_LOOSENING = 2,
    PPC_FAIL_FINDINGS = 4,
    PPC_FAIL_ANY = 8
};

typedef struct ppc_diff_report {
    const char *old_name, *new_name;
    const pp_policy *old_policy, *new_policy;
    const pp_diff *diff;
    ppc_fleet fleet;
    int all_classes;           /* --all: every class in the text report */
    unsigned fail_on;
    unsigned failed;           /* the conditions that hold */
} ppc_diff_report;

/* diff_report.c */
void ppc_diff_text(struct ppc_out *out, const ppc_diff_report *r);
void ppc_diff_json(struct ppc_out *out, const ppc_diff_report *r);
/* The conditions of mask that hold for the report (PPC_FAIL_* bits), with
 * a sentence for each on standard error when say is set. */
unsigned ppc_diff_gate(const ppc_diff_report *r, unsigned mask, int say);

#endif
