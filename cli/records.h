/*
 * The device record reader: a streaming reader of device records in YAML,
 * JSON or JSON Lines, one record at a time in constant memory, for ppolicy
 * and the fuzz target.
 *
 * The format is told from the first characters (format.c): input that
 * starts like JSON (`{"`, `{}`, `[` and then a JSON value) is read as JSON
 * with yajl, anything else as YAML with libyaml.  Both give the same
 * events (ppr_event), and everything above them (records, fields, their
 * rules and messages) is one code for both formats.
 *
 * Input: a list of records, or a stream of documents (YAML documents
 * separated by `---`, or JSON values one after the other, as in JSON
 * Lines), each a record or a list of records.  A record is a mapping with
 * these fields (docs/spec.md §2):
 *
 *   id, sku, device_os, owner           strings (null, ~ or empty: absent)
 *   platform_id                         decimal integer, or a platform name
 *                                       of the policy's table (any case)
 *   cloud_product_id, firmware_product_id, denied_in, removed_from,
 *   quarantined_in, firmware_version    decimal integers 0..4294967295
 *                                       (plain scalars, JSON numbers; null: 0)
 *   development                         true or false (null: false)
 *   note                                any scalar; ignored (for comments)
 *
 * A malformed record (unknown or repeated field, wrong type, text that is
 * not valid UTF-8, a value longer than PPR_MAX_STRING) is still returned, with
 * `error` set and a message naming the record, the field and the position;
 * reading goes on with the next record.  What the reader cannot step over
 * (syntax errors, nesting deeper than PPR_MAX_DEPTH, more than
 * PPR_MAX_TOKEN bytes of input between two tokens, read errors) is a fatal
 * error that ends the input.
 *
 * Bytes the parsers would refuse (invalid UTF-8, control characters other
 * than tab and line breaks) do not end the input: the reader replaces each
 * with U+FFFD before parsing, and a string field that held one is an error
 * of its record (so a bad owner never silently becomes another owner).
 *
 * Usage:
 *
 *   ppr_reader *r = ppr_reader_new_fd(policy, fd);
 *   ppr_record rec;
 *   pp_decision d;
 *   int rc;
 *   while ((rc = ppr_next(r, &rec)) > 0) {
 *       ppr_decide(&d, policy, NULL, &rec);
 *       ... d, and rec.message when d.error is set ...
 *   }
 *   if (rc < 0) ... ppr_reader_error(r) ...
 *   ppr_reader_free(r);
 */
#ifndef PPR_RECORDS_H
#define PPR_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "particlepolicy.h"

/* Fields of a record, in the order docs/spec.md §2 lists them. */
enum ppr_field {
    PPR_ID,
    PPR_PLATFORM_ID,
    PPR_SKU,
    PPR_DEVICE_OS,
    PPR_CLOUD_PRODUCT_ID,
    PPR_FIRMWARE_PRODUCT_ID,
    PPR_OWNER,
    PPR_DENIED_IN,
    PPR_REMOVED_FROM,
    PPR_QUARANTINED_IN,
    PPR_DEVELOPMENT,
    PPR_FIRMWARE_VERSION,
    PPR_NOTE,
    PPR_NFIELDS
};

/* The field's key ("device_os"), or NULL past the end. */
const char *ppr_field_name(int field);

/* Limits against hostile input.  Records are not counted. */
#define PPR_MAX_DEPTH 64            /* nesting of lists and mappings */
#define PPR_MAX_STRING 1024         /* longest string field value, in bytes */
#define PPR_MAX_TOKEN (4u << 20)    /* input bytes between two tokens */
/* Bytes of a scalar an event holds: a longer one (only a note or a value
 * over its limit can be) holds its first PPR_SCALAR_KEEP bytes. */
#define PPR_SCALAR_KEEP 4096

#define PPR_MESSAGE_SIZE 512

/* 1-based line and column (in characters); 0 when unknown. */
typedef struct ppr_position {
    uint32_t line;
    uint32_t column;
} ppr_position;

typedef struct ppr_record {
    /* The record for pp_decide.  Its strings point into the reader and stay
     * valid until the next call on it; they are not NUL-terminated and may
     * hold NUL bytes. */
    pp_device device;
    uint64_t number;                    /* 1-based position in the input */
    ppr_position at;                    /* where the record starts */
    ppr_position field_at[PPR_NFIELDS]; /* where each field's value starts */
    /* PP_OK, or a pp_error_code: the reader's (unknown_key, duplicate,
     * wrong_type, out_of_range, invalid_value, unknown_name) or, after
     * ppr_decide, pp_decide's. */
    int error;
    /* When error is set: the field it is about (enum ppr_field), or -1 for
     * the record as a whole. */
    int error_field;
    /* When error is set: "record N (id X): field F: what (line L, column C)". */
    char message[PPR_MESSAGE_SIZE];
} ppr_record;

/* Input: fill buf with up to size bytes, set *got (0 at the end of the
 * input); return 1, or 0 on a read error (errno says why). */
typedef int (*ppr_read_fn)(void *opaque, unsigned char *buf, size_t size,
                           size_t *got);

typedef struct ppr_reader ppr_reader;

/* A reader over an input.  policy (may be NULL: then no platform names are
 * known) names platforms; it is not retained and must outlive the reader.
 * NULL when out of memory. */
ppr_reader *ppr_reader_new(const pp_policy *policy, ppr_read_fn read,
                           void *opaque);
/* Over a file descriptor (read(2), so a pipe streams without waiting for a
 * full buffer); the descriptor is not closed. */
ppr_reader *ppr_reader_new_fd(const pp_policy *policy, int fd);
/* Over text in memory, which must outlive the reader. */
ppr_reader *ppr_reader_new_string(const pp_policy *policy, const char *text,
                                  size_t len);
/* ppr_read_fn over a file descriptor: opaque points to the int. */
int ppr_read_fd(void *opaque, unsigned char *buf, size_t size, size_t *got);
/* Name platforms by this policy from now on. */
void ppr_reader_set_policy(ppr_reader *r, const pp_policy *policy);
void ppr_reader_free(ppr_reader *r);
/* "YAML" or "JSON" once the first event has been read, else NULL. */
const char *ppr_reader_format(const ppr_reader *r);

/* The next record: 1 (a record in *out, possibly with error set), 0 at the
 * end of the input, -1 on a fatal error (see ppr_reader_error; every later
 * call returns -1 too). */
int ppr_next(ppr_reader *r, ppr_record *out);

/* The fatal error: code PP_ERR_YAML (syntax, YAML or JSON), PP_ERR_LIMIT,
 * PP_ERR_NOMEM or PP_ERR_INVALID_ARGUMENT (read error), with line, column
 * and message. */
const pp_error *ppr_reader_error(const ppr_reader *r);

/* Decide a record.  A malformed one gets pp_decide's fail-closed answer
 * (deny, invalid_input, rule 0, no privileges) with rec->error in
 * out->error; when pp_decide finds invalid input, rec->error and
 * rec->message name the field.  Returns out->error. */
int ppr_decide(pp_decision *out, const pp_policy *policy, const pp_team *team,
               ppr_record *rec);

/* ---- events, for readers of files that embed records ---- */

enum ppr_event_type {
    PPR_STREAM_START,
    PPR_STREAM_END,
    PPR_DOCUMENT_START,
    PPR_DOCUMENT_END,
    PPR_SEQUENCE_START,
    PPR_SEQUENCE_END,
    PPR_MAPPING_START,
    PPR_MAPPING_END,
    PPR_SCALAR,
    PPR_ALIAS       /* YAML only */
};

/* One event of the input, YAML's or JSON's alike.  Mapping keys are
 * scalars (JSON's always quoted).  Its text is valid until the next call
 * on the reader. */
typedef struct ppr_event {
    int type;               /* enum ppr_event_type */
    ppr_position at;        /* where it starts */
    bool plain;             /* unquoted: a plain YAML scalar, or a JSON number,
                               true, false or null */
    bool tagged;            /* carries a YAML tag */
    bool replaced;          /* held bytes that were replaced by U+FFFD */
    /* PPR_SCALAR: the value, len bytes (not NUL-terminated, may hold NUL);
     * text holds at most PPR_SCALAR_KEEP of them.  (The flags before it:
     * an event is 32 bytes, copied and queued for every token.) */
    const char *text;
    size_t len;
} ppr_event;

/* The next event, with the limits and the fatal error above: 1, or -1. */
int ppr_event_next(ppr_reader *r, ppr_event *ev);
/* Read the record whose first event (normally PPR_MAPPING_START) the
 * caller has just taken from ppr_event_next.  1 or -1. */
int ppr_read_record(ppr_reader *r, const ppr_event *start, ppr_record *out);
/* Skip the rest of the node that starts with start.  1 or -1. */
int ppr_skip_node(ppr_reader *r, const ppr_event *start);
/* User text quoted in a message, as the reader quotes it: at most 64 bytes
 * (never cutting a UTF-8 sequence, "..." when cut), control bytes as
 * \xNN; NUL-terminated in dst (size bytes; 300 hold any excerpt). */
void ppr_excerpt(char *dst, size_t size, const char *s, size_t n);
/* A record's message after its "record N" prefix (" (id X): field F: ..."),
 * for callers that number records their own way. */
const char *ppr_message_detail(const ppr_record *rec);

/* ---- the scalar syntax of every record kind (scalars.c) ---- */

/* s[0..n) as a decimal integer up to max: digits only, no sign, no leading
 * zero. */
typedef enum ppr_number {
    PPR_NUMBER_OK,
    PPR_NUMBER_NOT_A_NUMBER,
    PPR_NUMBER_LEADING_ZERO,    /* YAML 1.1 would read it as octal */
    PPR_NUMBER_TOO_BIG,
    PPR_NUMBER_NEGATIVE         /* a minus sign and digits */
} ppr_number;
ppr_number ppr_parse_number(const char *s, size_t n, uint64_t max, uint64_t *out);

/* A plain null scalar (empty, ~, null): 1 or 0.  Inline: asked of every
 * value of every record, and most are quoted or start with a digit. */
int ppr_scalar_null_text(const char *s, size_t n);
static inline int ppr_scalar_null(const ppr_event *ev)
{
    if (ev->type != PPR_SCALAR || !ev->plain)
        return 0;
    unsigned char c = ev->len > 0 ? (unsigned char)ev->text[0] : 0;
    if (c >= '0' && c <= '9')
        return 0;
    return ppr_scalar_null_text(ev->text, ev->len);
}
/* An unquoted decimal integer 0..4294967295 without leading zeros: 1
 * (value in *out) or 0. */
int ppr_scalar_uint32(const ppr_event *ev, uint32_t *out);
/* The same syntax up to max (at most UINT64_MAX): PP_OK (value in *out),
 * PP_ERR_OUT_OF_RANGE (a larger or a negative number) or PP_ERR_WRONG_TYPE
 * (anything else, also a quoted number or a leading zero). */
int ppr_scalar_integer(const ppr_event *ev, uint64_t max, uint64_t *out);
/* Unquoted true or false (or a plain null: false): 1 (value in *out) or 0. */
int ppr_scalar_bool(const ppr_event *ev, int32_t *out);
/* Whether the scalar is exactly the NUL-free word s. */
int ppr_scalar_is(const ppr_event *ev, const char *s);
/* Text that is a decimal integer text up to max with the same syntax,
 * outside any input (a command-line argument): PP_OK or as above. */
int ppr_text_integer(const char *s, size_t n, uint64_t max, uint64_t *out);

#endif
