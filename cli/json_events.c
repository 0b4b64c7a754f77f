/* Device records in JSON and JSON Lines: yajl's callbacks as the reader's
 * events (see input.h).  yajl parses the filtered text a slice at a time;
 * each callback queues one event (with the document events a YAML parser
 * would give: every top-level value is a document, so JSON Lines is a
 * stream of documents and a JSON list one document holding a list).  yajl
 * allocates nothing per value and hands strings over in place; the reader
 * copies only those it decoded (escapes), so most records cost no copy.
 *
 * Positions: yajl tells where a token ends (the bytes it consumed); it
 * starts at the first byte after the previous token that is not a blank,
 * `,` or `:`.  Lines and columns (characters) are counted from the last
 * position asked for, so each byte is counted once. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "input.h"

/* Bytes handed to yajl per call: bounds the events one call can queue
 * (each takes at least one byte, a top-level value adds two) and the
 * copies they need. */
#define SLICE 512
#define ARENA_SIZE (SLICE + PPR_SCALAR_KEEP + 16)

struct ppr_json {
    yajl_handle h;
    ppr_input *in;
    size_t fed;                 /* of in->out, handed to yajl */
    bool at_eof, ended, started, nomem;
    bool failed;                /* the error is set: return it once the queue is empty */
    /* Events of the last call, not yet returned: queue[head..count). */
    ppr_event *queue;
    size_t head, count, cap;
    char arena[ARENA_SIZE];     /* copies of the strings yajl decoded */
    size_t arena_len;
    uint32_t depth;             /* of the JSON value being read */
    /* The slice in yajl's hands. */
    const unsigned char *slice;
    uint64_t slice_base;
    size_t slice_len;
    bool completing;            /* in yajl_complete_parse: tokens end at the end */
    /* Where the next token starts: everything before scan is tokens already
     * seen, blanks, `,` and `:`.  start_known: scan is the first byte of a
     * token that yajl holds across slices, and start_at its position. */
    uint64_t scan, last_end;
    bool start_known;
    ppr_position start_at;
    /* Lines and columns: byte cur_off is at line, column. */
    uint64_t cur_off;
    uint32_t line, column;
};

/* Count lines and characters up to byte to (in in->out). */
static void advance(ppr_json *j, uint64_t to)
{
    const ppr_input *in = j->in;
    const unsigned char *s = in->out + (j->cur_off - in->out_base);
    const unsigned char *e = in->out + (to - in->out_base);
    const unsigned char *nl;
    while (s < e && (nl = memchr(s, '\n', (size_t)(e - s))) != NULL) {
        j->line++;
        j->column = 1;
        s = nl + 1;
    }
    if (in->ascii) {
        j->column += (uint32_t)(e - s);
    } else {
        for (; s < e; s++)
            j->column += (*s & 0xC0) != 0x80;
    }
    j->cur_off = to;
}

static ppr_position resolve(ppr_json *j, uint64_t off)
{
    advance(j, off);
    ppr_position at = { j->line, j->column };
    return at;
}

static bool separator(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':';
}

/* Skip separators from scan within the slice, up to limit. */
static uint64_t skip_separators(const ppr_json *j, uint64_t limit)
{
    uint64_t at = j->scan;
    while (at < limit && separator(j->slice[at - j->slice_base]))
        at++;
    return at;
}

static ppr_event *push(ppr_json *j, int type, ppr_position at)
{
    if (j->count == j->cap) {
        size_t cap = j->cap == 0 ? 64 : j->cap * 2;
        ppr_event *grown = realloc(j->queue, cap * sizeof *grown);
        if (grown == NULL) {
            j->nomem = true;
            return NULL;
        }
        j->queue = grown;
        j->cap = cap;
    }
    ppr_event *ev = &j->queue[j->count++];
    memset(ev, 0, sizeof *ev);
    ev->type = type;
    ev->at = at;
    return ev;
}

/* One token: its events.  s (len bytes) is a scalar's text; literal: s is
 * a string constant rather than yajl's.  0 stops yajl (out of memory). */
static int token(ppr_json *j, int type, const unsigned char *s, size_t len, bool plain,
                 bool literal)
{
    uint64_t end = j->completing ? j->in->out_base + j->in->out_len
                                 : j->slice_base + yajl_get_bytes_consumed(j->h);
    uint64_t start;
    ppr_position at;
    if (j->start_known) {
        start = j->scan;
        at = j->start_at;
    } else {
        start = skip_separators(j, end);
        at = resolve(j, start);
    }
    bool opens = type == PPR_MAPPING_START || type == PPR_SEQUENCE_START;
    bool closes = type == PPR_MAPPING_END || type == PPR_SEQUENCE_END;
    if (j->depth == 0 && !closes && push(j, PPR_DOCUMENT_START, at) == NULL)
        return 0;
    ppr_event *ev = push(j, type, at);
    if (ev == NULL)
        return 0;
    if (type == PPR_SCALAR) {
        const unsigned char *slice_end = j->slice + j->slice_len;
        if (literal || (!j->completing && s >= j->slice && s + len <= slice_end)) {
            ev->text = (const char *)s; /* stays until the slice is refilled */
        } else {
            /* Decoded by yajl, or held across slices: copy what readers
             * look at. */
            size_t keep = len < PPR_SCALAR_KEEP ? len : PPR_SCALAR_KEEP;
            if (j->arena_len + keep > sizeof j->arena) {
                j->nomem = true; /* cannot happen: see ARENA_SIZE */
                return 0;
            }
            memcpy(j->arena + j->arena_len, s, keep);
            ev->text = j->arena + j->arena_len;
            j->arena_len += keep;
        }
        ev->len = len;
        ev->plain = plain;
        ev->replaced = ppr_input_replaced(j->in, start, end);
    }
    if (opens)
        j->depth++;
    if (closes)
        j->depth--;
    if (j->depth == 0 && !opens && push(j, PPR_DOCUMENT_END, at) == NULL)
        return 0;
    j->scan = end;
    j->last_end = end;
    j->start_known = false;
    return 1;
}

static int on_null(void *ctx)
{
    return token(ctx, PPR_SCALAR, (const unsigned char *)"null", 4, true, true);
}

static int on_boolean(void *ctx, int b)
{
    return token(ctx, PPR_SCALAR, (const unsigned char *)(b ? "true" : "false"), b ? 4 : 5,
                 true, true);
}

static int on_number(void *ctx, const char *s, size_t len)
{
    return token(ctx, PPR_SCALAR, (const unsigned char *)s, len, true, false);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    return token(ctx, PPR_SCALAR, s, len, false, false);
}

static int on_start_map(void *ctx)
{
    return token(ctx, PPR_MAPPING_START, NULL, 0, false, false);
}

static int on_end_map(void *ctx)
{
    return token(ctx, PPR_MAPPING_END, NULL, 0, false, false);
}

static int on_start_array(void *ctx)
{
    return token(ctx, PPR_SEQUENCE_START, NULL, 0, false, false);
}

static int on_end_array(void *ctx)
{
    return token(ctx, PPR_SEQUENCE_END, NULL, 0, false, false);
}

static const yajl_callbacks callbacks = {
    on_null, on_boolean, NULL, NULL, on_number, on_string,
    on_start_map, on_string, on_end_map, on_start_array, on_end_array,
};

ppr_json *ppr_json_new(ppr_input *in)
{
    ppr_json *j = calloc(1, sizeof *j);
    if (j == NULL)
        return NULL;
    j->h = yajl_alloc(&callbacks, NULL, j);
    if (j->h == NULL) {
        free(j);
        return NULL;
    }
    /* JSON Lines and concatenated JSON: a stream of values. */
    yajl_config(j->h, yajl_allow_multiple_values, 1);
    j->in = in;
    j->line = j->column = 1;
    return j;
}

void ppr_json_free(ppr_json *j)
{
    if (j == NULL)
        return;
    yajl_free(j->h);
    free(j->queue);
    free(j);
}

/* yajl's message ("parse error: premature EOF\n") as ours. */
static void fail_syntax(ppr_json *j, pp_error *err, ppr_position at)
{
    unsigned char *text = yajl_get_error(j->h, 0, NULL, 0);
    const char *m = text != NULL ? (const char *)text : "syntax error";
    const char *colon = strstr(m, "error: ");
    if (colon != NULL)
        m = colon + 7;
    size_t n = strcspn(m, "\n");
    while (n > 0 && m[n - 1] == '.')
        n--;
    const char *hint = strstr(m, "invalid char in json text") == m
                           ? " (input that starts like JSON, with `{\"` or `[`, is read as JSON: "
                             "quote every key and string, or use YAML from the start)"
                           : "";
    ppr_fail(err, PP_ERR_YAML, at, "invalid JSON: %.*s%s", (int)n, m, hint);
    if (text != NULL)
        yajl_free_error(j->h, text);
}

/* Where a syntax error is: the character yajl stopped at, or the first
 * one after the last token that is not blank. */
static ppr_position error_position(ppr_json *j)
{
    if (j->completing)
        return resolve(j, j->in->out_base + j->in->out_len);
    size_t consumed = yajl_get_bytes_consumed(j->h);
    /* yajl stops just after a bad token, but at a bad character inside a
     * string. */
    unsigned char *text = yajl_get_error(j->h, 0, NULL, 0);
    bool in_string = text != NULL && strstr((const char *)text, "string") != NULL;
    if (text != NULL)
        yajl_free_error(j->h, text);
    uint64_t at = j->slice_base + (consumed > 0 && !in_string ? consumed - 1 : consumed);
    if (at >= j->slice_base + j->slice_len && j->slice_len > 0)
        at = j->slice_base + j->slice_len - 1;
    if (!j->start_known) {
        uint64_t first = j->scan, end = j->slice_base + j->slice_len;
        while (first < end) {
            unsigned char c = j->slice[first - j->slice_base];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                break;
            first++;
        }
        if (first > at)
            at = first;
    }
    if (j->start_known && j->scan > at)
        return j->start_at;
    if (at < j->cur_off)
        at = j->cur_off;
    return resolve(j, at);
}

/* Hand yajl the next slice (or, at the end, the end).  1, or -1 when the
 * input fails.  A syntax error or a limit sets failed instead, so that the
 * events before it are returned first. */
static int feed(ppr_json *j, pp_error *err)
{
    ppr_input *in = j->in;
    if (j->fed == in->out_len) {
        if (j->at_eof) {
            j->completing = true;
            yajl_status st = yajl_complete_parse(j->h);
            j->completing = false;
            if (st != yajl_status_ok) {
                if (j->nomem)
                    ppr_fail(err, PP_ERR_NOMEM, resolve(j, j->cur_off), "out of memory");
                else
                    fail_syntax(j, err, resolve(j, in->out_base + in->out_len));
                j->failed = true;
                return 1;
            }
            if (push(j, PPR_STREAM_END, resolve(j, in->out_base + in->out_len)) == NULL) {
                ppr_fail(err, PP_ERR_NOMEM, resolve(j, j->cur_off), "out of memory");
                return -1;
            }
            j->ended = true;
            return 1;
        }
        /* The text is about to go: count it first. */
        advance(j, in->out_base + in->out_len);
        if (!ppr_input_fill(in)) {
            ppr_fail_input(err, in, resolve(j, j->cur_off));
            return -1;
        }
        j->fed = 0;
        j->at_eof = in->out_len == 0;
        if (!j->started) {
            j->started = true;
            /* A byte order mark is no JSON token; it counts as a column, as
             * in YAML. */
            if (in->out_len >= 3 && memcmp(in->out, "\xEF\xBB\xBF", 3) == 0)
                j->fed = 3;
            j->scan = j->last_end = j->fed;
        }
        return 1;
    }
    size_t n = in->out_len - j->fed;
    if (n > SLICE)
        n = SLICE;
    j->slice = in->out + j->fed;
    j->slice_base = in->out_base + j->fed;
    j->slice_len = n;
    yajl_status st = yajl_parse(j->h, j->slice, n);
    if (st != yajl_status_ok) {
        if (j->nomem)
            ppr_fail(err, PP_ERR_NOMEM, resolve(j, j->cur_off), "out of memory");
        else
            fail_syntax(j, err, error_position(j));
        j->failed = true;
        return 1;
    }
    j->fed += n;
    uint64_t end = j->slice_base + n;
    if (!j->start_known) {
        /* The next token starts here (or in a later slice): note where,
         * while its bytes are at hand. */
        j->scan = skip_separators(j, end);
        if (j->scan < end) {
            j->start_known = true;
            j->start_at = resolve(j, j->scan);
        }
    }
    /* yajl holds a whole token in memory: bound it. */
    if (end - j->last_end > PPR_MAX_TOKEN) {
        ppr_fail(err, PP_ERR_LIMIT, resolve(j, end),
                 "more than %u bytes of input without a complete value", (unsigned)PPR_MAX_TOKEN);
        j->failed = true;
    }
    return 1;
}

int ppr_json_next(ppr_json *j, ppr_event *ev, pp_error *err)
{
    if (!j->started && j->count == 0) {
        ppr_position start = { 1, 1 };
        if (push(j, PPR_STREAM_START, start) == NULL) {
            ppr_fail(err, PP_ERR_NOMEM, start, "out of memory");
            return -1;
        }
    }
    while (j->head == j->count) {
        j->head = j->count = 0;
        j->arena_len = 0;
        if (j->failed)
            return -1;
        if (j->ended) {
            ppr_position at = { j->line, j->column };
            if (push(j, PPR_STREAM_END, at) == NULL) {
                ppr_fail(err, PP_ERR_NOMEM, at, "out of memory");
                return -1;
            }
            break;
        }
        if (feed(j, err) < 0)
            return -1;
    }
    *ev = j->queue[j->head++];
    return 1;
}
