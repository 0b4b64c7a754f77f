/* The bytes a record reader parses, and what its two event sources (YAML
 * through libyaml, JSON through yajl) share: the input filter, the
 * positions of what it replaced, and the reader's fatal errors.  Internal
 * to the reader (records.c, format.c, yaml_events.c, json_events.c). */
#ifndef PPR_INPUT_H
#define PPR_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "records.h"

/* Raw input read at a time (at most); the filtered copy needs three times
 * as much (every byte may become U+FFFD, 3 bytes). */
#define PPR_IN_SIZE 65536

/* A run [start, end) of positions that stand for replaced input: in
 * characters for YAML (libyaml's mark.index), in bytes of the filtered text
 * for JSON (yajl's offsets). */
typedef struct ppr_run {
    uint64_t start, end;
} ppr_run;

/*
 * The input filter.  Bytes libyaml or yajl would refuse with an error that
 * ends the whole input (invalid UTF-8, control characters other than tab
 * and line breaks, DEL, C1 controls, U+FFFE, U+FFFF) are replaced by U+FFFD
 * and their positions kept, so that a string holding one is an error of its
 * record only.  For JSON, escapes of lone UTF-16 surrogates (\ud800 without
 * its pair), which yajl would turn into '?' or invalid UTF-8, become
 * \ufffd and are kept as such positions too.  Every replaced position between the parser's and the
 * filter's is kept (as many as the input holds there), so the attribution
 * is exact.
 */
typedef struct ppr_input {
    ppr_read_fn read;
    void *opaque;
    unsigned char *in;          /* raw input: in[in_pos..in_len) not yet filtered */
    size_t in_pos, in_len, in_cap;
    bool in_eof, read_failed, nomem;
    int read_errno;
    bool json;                  /* JSON rules; set before filtering starts */
    /* Filtered text: out[0..out_len) is the text at [out_base, out_base +
     * out_len) of the filtered stream. */
    unsigned char *out;
    size_t out_len;
    uint64_t out_base;
    uint64_t chars;             /* characters filtered so far */
    bool ascii;                 /* out holds no byte above 0x7F */
    /* JSON only: where lines start in out (offsets of the bytes after each
     * \n), for the JSON source's lines and columns. */
    uint32_t *lines;
    size_t nlines, lines_cap;
    ppr_run *runs;              /* pending runs, oldest first: runs[run_head..nruns) */
    size_t run_head, nruns, run_cap;
} ppr_input;

/* Reading size bytes at a time (at most PPR_IN_SIZE, at least 16); false
 * when out of memory. */
bool ppr_input_init(ppr_input *in, ppr_read_fn read, void *opaque, size_t size);
void ppr_input_free(ppr_input *in);

/* Read until the raw input's start tells its format (format.c): PPR_YAML or
 * PPR_JSON, or -1 on a read error. */
int ppr_input_detect(ppr_input *in);

/* Drop the filtered text and filter more: afterwards out_len > 0, or
 * out_len == 0 at the end of the input.  false on a read error or when out
 * of memory (read_failed, nomem). */
bool ppr_input_fill(ppr_input *in);

/* Whether a replaced position lies in [start, end); forgets the runs that
 * end before start (positions must be asked about in increasing order). */
bool ppr_input_replaced(ppr_input *in, uint64_t start, uint64_t end);
/* The same, inline for the usual case: nothing replaced at all. */
static inline bool ppr_input_any_replaced(ppr_input *in, uint64_t start, uint64_t end)
{
    return in->nruns != in->run_head && ppr_input_replaced(in, start, end);
}
/* Forget the runs that end at or before pos. */
void ppr_input_forget(ppr_input *in, uint64_t pos);

/* ---- format detection (format.c) ---- */

enum { PPR_YAML = 1, PPR_JSON = 2 };

/* The format of an input that starts with p[0..n): PPR_JSON when, past an
 * optional UTF-8 byte order mark and blanks, it starts like a JSON object
 * (`{` and then `"` or `}`) or a JSON list (`[` and then a JSON value that
 * is not YAML-only: `]`, `"`, `-`, a digit, or an object or list that
 * starts like JSON); PPR_YAML otherwise.  0 when the bytes so far cannot
 * tell (and eof is false). */
int ppr_detect_format(const unsigned char *p, size_t n, bool eof);

/* ---- the event sources ---- */

/* Record a fatal error. */
void ppr_fail(pp_error *e, int code, ppr_position at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* The fatal error for a failed ppr_input_fill (read error, no memory). */
void ppr_fail_input(pp_error *e, const ppr_input *in, ppr_position at);

typedef struct ppr_yaml ppr_yaml;
ppr_yaml *ppr_yaml_new(ppr_input *in);
/* The next event: 1, or -1 with *err set. */
int ppr_yaml_next(ppr_yaml *y, ppr_event *ev, pp_error *err);
void ppr_yaml_free(ppr_yaml *y);

typedef struct ppr_json ppr_json;
ppr_json *ppr_json_new(ppr_input *in);
int ppr_json_next(ppr_json *j, ppr_event *ev, pp_error *err);
void ppr_json_free(ppr_json *j);

/* The events the JSON source has ready, those of the slice yajl parsed
 * last: events[head..count).  The reader takes them from here without a
 * call per event, and calls ppr_json_next when there are none. */
typedef struct ppr_queue {
    ppr_event *events;
    size_t head, count;
} ppr_queue;
ppr_queue *ppr_json_queue(ppr_json *j);

#endif
