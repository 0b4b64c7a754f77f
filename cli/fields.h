/* Reading the fields of records other than devices (authorization requests,
 * audit records) with the device reader's strictness: unknown and repeated
 * keys, wrong types, tags, aliases and bytes that are not text make a record
 * malformed, with a message naming the field and its position. */
#ifndef PPC_FIELDS_H
#define PPC_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "records.h"

#define PPC_PROBLEM_SIZE 256

/* The first problem of a record. */
typedef struct ppc_problem {
    int code;                        /* PP_OK, or a pp_error_code */
    char detail[PPC_PROBLEM_SIZE];   /* "field F: what (line L, column C)" */
    unsigned long line, column;      /* L and C, 1-based */
} ppc_problem;

/* Note a problem of field (NULL: the record itself) at a position, unless
 * one is noted already (the first one is reported). */
void ppc_problem_note(ppc_problem *pb, int code, const char *field, ppr_position at,
                      const char *what);

enum { PPC_FIELDS_END = -1, PPC_FIELDS_FATAL = -2 };

/* The next field of the mapping being read: its index in names (a
 * NULL-terminated list), with its value's first event in *value for the
 * caller to consume (ppr_skip_node, ppr_read_record); PPC_FIELDS_END at
 * the mapping's end; PPC_FIELDS_FATAL when the reader failed.  Unknown and
 * repeated keys are noted in pb and skipped.  seen holds a bit per field. */
int ppc_next_field(ppr_reader *r, ppc_problem *pb, const char *const *names,
                   uint32_t *seen, ppr_event *value);

/* Value checks on a field's value event.  Each notes a problem in pb when
 * the value is not of its type and leaves *out as it was; a plain null
 * (empty, ~, null) is absent: 0, false, or NULL. */
void ppc_value_integer(ppc_problem *pb, const char *field, const ppr_event *ev,
                       uint64_t max, uint64_t *out);
void ppc_value_bool(ppc_problem *pb, const char *field, const ppr_event *ev,
                    int32_t *out);
/* A string of at most max (<= PPR_SCALAR_KEEP) bytes: *s and *len point
 * into ev (valid until the reader's next event). */
void ppc_value_string(ppc_problem *pb, const char *field, const ppr_event *ev, size_t max,
                      const char **s, size_t *len);

#endif
