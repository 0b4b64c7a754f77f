/* Device records in JSON and JSON Lines: yajl's callbacks as the reader's
 * events (see input.h).  yajl parses the filtered text a slice at a time;
 * each callback queues one event (with the document events a YAML parser
 * would give: every top-level value is a document, so JSON Lines is a
 * stream of documents and a JSON list one document holding a list).  yajl
 * allocates nothing per value and hands strings over in place; the reader
 * copies only those it decoded (escapes), so most records cost no copy.
 *
 * Positions: a string or number yajl hands over in place starts where its
 * text is (less the quote); any other token ends where yajl has consumed
 * up to, and starts its length before (`{`, `true`) or at the first byte
 * after the previous token that is not a blank, `,` or `:` (an escaped
 * string).  Lines come from the filter's table of line starts, columns are
 * counted from the last position asked for, so each byte is counted once. */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "input.h"

/* Bytes handed to yajl per call: bounds the events one call can queue
 * (each takes at least one byte, a top-level value adds two) and the
 * copies they need.  Fewer, larger slices split fewer tokens (yajl copies
 * a token cut by a slice's end into its own buffer and reads it back
 * there): 4096 costs 150 instructions a record less than 512.  The queue
 * is sized for the worst case, but only the events a slice holds are
 * ever written (about 25 per 150-byte record). */
#define SLICE 4096
#define ARENA_SIZE (SLICE + PPR_SCALAR_KEEP + 16)

struct ppr_json {
    yajl_handle h;
    ppr_input *in;
    size_t fed;                 /* of in->out, handed to yajl */
    bool at_eof, ended, started, nomem;
    bool failed;                /* the error is set: return it once the queue is empty */
    /* Events of the last call, not yet returned; room for cap, reserved
     * for a whole slice before yajl parses it. */
    ppr_queue q;
    size_t cap;
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
    /* The bytes of such a token from scan (held_from) that an earlier
     * filtered text held: a syntax error in it may lie there, after that
     * text is gone (bounded by PPR_MAX_TOKEN). */
    unsigned char *held;
    size_t held_len, held_cap;
    uint64_t held_from;
    /* Lines and columns: byte cur_off is at line, column; the next line
     * start to pass is in->lines[next_line], at line_due (UINT64_MAX: none
     * in this text). */
    uint64_t cur_off;
    uint32_t line, column;
    size_t next_line;
    uint64_t line_due;
};

/* Count lines and characters up to byte to (in in->out): the lines from
 * the filter's table of line starts, the characters of the last one (bytes
 * when the text is ASCII). */
static inline void advance(ppr_json *j, uint64_t to)
{
    const ppr_input *in = j->in;
    size_t rel = (size_t)(to - in->out_base);
    if (to >= j->line_due) { /* one compare for the tokens within a line */
        while (j->next_line < in->nlines && in->lines[j->next_line] <= rel) {
            j->line++;
            j->column = 1;
            j->cur_off = in->out_base + in->lines[j->next_line++];
        }
        j->line_due = j->next_line < in->nlines ? in->out_base + in->lines[j->next_line]
                                                : UINT64_MAX;
    }
    if (in->ascii) {
        j->column += (uint32_t)(to - j->cur_off);
    } else {
        const unsigned char *s = in->out + (j->cur_off - in->out_base), *e = in->out + rel;
        for (; s < e; s++)
            j->column += (*s & 0xC0) != 0x80;
    }
    j->cur_off = to;
}

static inline ppr_position resolve(ppr_json *j, uint64_t off)
{
    advance(j, off);
    ppr_position at = { j->line, j->column };
    return at;
}

static inline bool separator(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':';
}

/* Skip separators from scan within the slice, up to limit. */
static inline uint64_t skip_separators(const ppr_json *j, uint64_t limit)
{
    uint64_t at = j->scan;
    while (at < limit && separator(j->slice[at - j->slice_base]))
        at++;
    return at;
}

/* Room for the events of n more bytes (each takes one at least, a
 * top-level value adds two), and the end of the stream: false when out of
 * memory. */
static bool reserve(ppr_json *j, size_t n)
{
    size_t need = j->q.count + 3 * n + 4;
    if (need <= j->cap)
        return true;
    ppr_event *grown = realloc(j->q.events, need * sizeof *grown);
    if (grown == NULL) {
        j->nomem = true;
        return false;
    }
    j->q.events = grown;
    j->cap = need;
    return true;
}

static inline ppr_event *push(ppr_json *j, int type, ppr_position at)
{
    ppr_event *ev = &j->q.events[j->q.count++];
    ev->type = type;
    ev->at = at;
    ev->text = NULL;
    ev->len = 0;
    ev->plain = ev->tagged = ev->replaced = false;
    return ev;
}

/* The position of a token that starts at start: known already when it
 * began in an earlier slice. */
static inline ppr_position place(ppr_json *j, uint64_t start)
{
    if (j->start_known) {
        j->start_known = false;
        return j->start_at;
    }
    return resolve(j, start);
}

/* Where the token yajl has just taken ends, by the bytes it consumed. */
static inline uint64_t consumed(ppr_json *j)
{
    return j->completing ? j->in->out_base + j->in->out_len
                         : j->slice_base + yajl_get_bytes_consumed(j->h);
}

/* Where a token that ends at end starts, when yajl gives no pointer to it:
 * the first byte after the previous token that is no separator. */
static inline uint64_t start_before(ppr_json *j, uint64_t end)
{
    return j->start_known ? j->scan : skip_separators(j, end);
}

/* Whether s[0..len) lies in the slice: yajl hands over what needs no
 * decoding in place. */
static inline bool in_slice(const ppr_json *j, const unsigned char *s, size_t len)
{
    return !j->completing && s >= j->slice && s + len <= j->slice + j->slice_len;
}

static inline void done(ppr_json *j, uint64_t end)
{
    j->scan = end;
    j->last_end = end;
}

/* A scalar token [start, end): its event, in a document of its own at the
 * top.  text: in the slice or a constant (kept), else copied.  Inlined
 * into each callback (it runs for every key and value: 4% of decide's
 * instructions were its calls). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int scalar(ppr_json *j, uint64_t start, uint64_t end, const unsigned char *text,
                         size_t len, bool plain, bool kept)
{
    ppr_position at = place(j, start);
    if (j->depth == 0)
        push(j, PPR_DOCUMENT_START, at);
    ppr_event *ev = push(j, PPR_SCALAR, at);
    if (kept) {
        ev->text = (const char *)text; /* stays until the slice is refilled */
    } else {
        /* Decoded by yajl, or held across slices: copy what readers look
         * at. */
        size_t keep = len < PPR_SCALAR_KEEP ? len : PPR_SCALAR_KEEP;
        if (j->arena_len + keep > sizeof j->arena) {
            j->nomem = true; /* cannot happen: see ARENA_SIZE */
            return 0;
        }
        memcpy(j->arena + j->arena_len, text, keep);
        ev->text = j->arena + j->arena_len;
        j->arena_len += keep;
    }
    ev->len = len;
    ev->plain = plain;
    ev->replaced = ppr_input_any_replaced(j->in, start, end);
    if (j->depth == 0)
        push(j, PPR_DOCUMENT_END, at);
    done(j, end);
    return 1;
}

static int on_null(void *ctx)
{
    ppr_json *j = ctx;
    uint64_t end = consumed(j);
    return scalar(j, end - 4, end, (const unsigned char *)"null", 4, true, true);
}

static int on_boolean(void *ctx, int b)
{
    ppr_json *j = ctx;
    uint64_t end = consumed(j);
    size_t n = b ? 4 : 5;
    return scalar(j, end - n, end, (const unsigned char *)(b ? "true" : "false"), n, true, true);
}

static int on_number(void *ctx, const char *s, size_t len)
{
    ppr_json *j = ctx;
    const unsigned char *u = (const unsigned char *)s;
    if (in_slice(j, u, len)) {
        uint64_t start = j->slice_base + (uint64_t)(u - j->slice);
        return scalar(j, start, start + len, u, len, true, true);
    }
    uint64_t end = consumed(j);
    return scalar(j, start_before(j, end), end, u, len, true, false);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    ppr_json *j = ctx;
    if (in_slice(j, s, len)) { /* no escapes: the quotes are just around it */
        uint64_t start = j->slice_base + (uint64_t)(s - j->slice) - 1;
        return scalar(j, start, start + len + 2, s, len, false, true);
    }
    uint64_t end = consumed(j);
    return scalar(j, start_before(j, end), end, s, len, false, false);
}

static int opening(ppr_json *j, int type)
{
    uint64_t end = consumed(j);
    ppr_position at = place(j, end - 1);
    if (j->depth++ == 0)
        push(j, PPR_DOCUMENT_START, at);
    push(j, type, at);
    done(j, end);
    return 1;
}

static int closing(ppr_json *j, int type)
{
    uint64_t end = consumed(j);
    ppr_position at = place(j, end - 1);
    push(j, type, at);
    if (--j->depth == 0)
        push(j, PPR_DOCUMENT_END, at);
    done(j, end);
    return 1;
}

static int on_start_map(void *ctx)
{
    return opening(ctx, PPR_MAPPING_START);
}

static int on_end_map(void *ctx)
{
    return closing(ctx, PPR_MAPPING_END);
}

static int on_start_array(void *ctx)
{
    return opening(ctx, PPR_SEQUENCE_START);
}

static int on_end_array(void *ctx)
{
    return closing(ctx, PPR_SEQUENCE_END);
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
    j->line_due = UINT64_MAX;
    return j;
}

void ppr_json_free(ppr_json *j)
{
    if (j == NULL)
        return;
    yajl_free(j->h);
    free(j->q.events);
    free(j->held);
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

/* Keep the bytes of the token yajl holds across the end of the filtered
 * text, which is about to go: false when out of memory. */
static bool hold(ppr_json *j)
{
    const ppr_input *in = j->in;
    if (!j->start_known) {
        j->held_len = 0;
        return true;
    }
    if (j->held_len == 0 || j->held_from != j->scan) {
        j->held_len = 0;
        j->held_from = j->scan;
    }
    uint64_t from = j->scan > in->out_base ? j->scan : in->out_base;
    size_t n = (size_t)(in->out_base + in->out_len - from);
    if (j->held_len + n > j->held_cap) {
        size_t cap = j->held_cap == 0 ? 256 : j->held_cap;
        while (cap < j->held_len + n)
            cap *= 2;
        unsigned char *grown = realloc(j->held, cap);
        if (grown == NULL) {
            j->nomem = true;
            return false;
        }
        j->held = grown;
        j->held_cap = cap;
    }
    memcpy(j->held + j->held_len, in->out + (from - in->out_base), n);
    j->held_len += n;
    return true;
}

/* The position of byte at of a token held across filtered texts (one of
 * the held bytes, before the counted position): counted from the token's
 * start, as advance counts. */
static ppr_position held_position(const ppr_json *j, uint64_t at)
{
    ppr_position p = j->start_at;
    for (size_t i = 0; i < (size_t)(at - j->held_from); i++) {
        unsigned char c = j->held[i];
        if (c == '\n') {
            p.line++;
            p.column = 1;
        } else {
            p.column += (c & 0xC0) != 0x80;
        }
    }
    return p;
}

/* The offset yajl would give for an error that a token held from an
 * earlier slice ends in, had it seen the token in one piece (default: at,
 * its offset now).  After such a token, yajl backs its offset up by the
 * token's length, but not past the start of the slice: so the token is
 * parsed again, whole, by a parser of its own that a prefix puts into the
 * state of the error. */
static uint64_t whole_offset(ppr_json *j, const char *message, uint64_t at)
{
    static const struct {
        const char *error, *prefix;
    } states[] = {
        { "after key and value", "{\"\":0 " },
        { "after array element", "[0 " },
        { "invalid object key", "{" },
        { "object key and value must be separated", "{\"\" " },
    };
    const char *prefix = NULL;
    for (size_t i = 0; i < sizeof states / sizeof *states; i++)
        if (strstr(message, states[i].error) != NULL)
            prefix = states[i].prefix;
    const ppr_input *in = j->in;
    bool earlier = j->scan < in->out_base; /* the token began in an earlier text */
    if (prefix == NULL || (earlier && j->held_from != j->scan))
        return at;
    size_t np = strlen(prefix), nh = earlier ? j->held_len : 0;
    const unsigned char *now = in->out + (earlier ? 0 : j->scan - in->out_base);
    size_t nn = (size_t)(j->slice_base + j->slice_len - (earlier ? in->out_base : j->scan));
    unsigned char *whole = malloc(np + nh + nn);
    yajl_handle h = yajl_alloc(NULL, NULL, NULL);
    if (whole != NULL && h != NULL) {
        memcpy(whole, prefix, np);
        if (nh > 0)
            memcpy(whole + np, j->held, nh);
        memcpy(whole + np + nh, now, nn);
        yajl_config(h, yajl_allow_multiple_values, 1);
        if (yajl_parse(h, whole, np + nh + nn) != yajl_status_ok) {
            size_t c = yajl_get_bytes_consumed(h);
            if (c >= np)
                at = j->scan + (c - np);
        }
    }
    if (h != NULL)
        yajl_free(h);
    free(whole);
    return at;
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
    uint64_t at = j->slice_base + consumed;
    if (consumed == 0 && j->start_known && j->scan < j->slice_base && text != NULL)
        at = whole_offset(j, (const char *)text, at);
    if (text != NULL)
        yajl_free_error(j->h, text);
    if (!in_string && at > (j->start_known ? j->scan : j->slice_base))
        at--;
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
    if (at < j->cur_off && j->start_known && j->held_from == j->scan &&
        at - j->held_from < j->held_len)
        return held_position(j, at);
    if (at < j->cur_off)
        at = j->cur_off;
    return resolve(j, at);
}

/* How much of the filtered text from j->fed to give yajl, at most max
 * bytes: up to the last line start within them, when there is one.  A
 * token that a slice cuts is held by yajl across the call, and the error
 * it may end in is then placed by parsing it again (whole_offset); a line
 * break is no part of any token (in a string it is an error of its own),
 * so JSON Lines are never cut inside a token but by a read. */
static size_t slice_length(const ppr_json *j, size_t max)
{
    const ppr_input *in = j->in;
    size_t lo = j->next_line, hi = in->nlines; /* line starts >= the parse position */
    size_t limit = j->fed + max, best = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (in->lines[mid] <= limit) {
            best = in->lines[mid];
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return best > j->fed ? best - j->fed : max;
}

/* Hand yajl the next slice (or, at the end, the end).  1, or -1 when the
 * input fails.  A syntax error or a limit sets failed instead, so that the
 * events before it are returned first. */
static int feed(ppr_json *j, pp_error *err)
{
    ppr_input *in = j->in;
    if (j->fed == in->out_len) {
        if (j->at_eof) {
            if (!reserve(j, 4)) {
                ppr_fail(err, PP_ERR_NOMEM, resolve(j, j->cur_off), "out of memory");
                return -1;
            }
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
            push(j, PPR_STREAM_END, resolve(j, in->out_base + in->out_len));
            j->ended = true;
            return 1;
        }
        /* The text is about to go: count it first. */
        advance(j, in->out_base + in->out_len);
        if (!hold(j)) {
            ppr_fail(err, PP_ERR_NOMEM, resolve(j, j->cur_off), "out of memory");
            return -1;
        }
        j->next_line = 0;
        bool filled = ppr_input_fill(in);
        j->line_due = in->nlines > 0 ? in->out_base + in->lines[0] : UINT64_MAX;
        if (!filled) {
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
        n = slice_length(j, SLICE);
    if (!reserve(j, n)) {
        ppr_fail(err, PP_ERR_NOMEM, resolve(j, j->cur_off), "out of memory");
        return -1;
    }
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
    if (!j->started && j->q.count == 0) {
        ppr_position start = { 1, 1 };
        if (!reserve(j, 1)) {
            ppr_fail(err, PP_ERR_NOMEM, start, "out of memory");
            return -1;
        }
        push(j, PPR_STREAM_START, start);
    }
    while (j->q.head == j->q.count) {
        j->q.head = j->q.count = 0;
        j->arena_len = 0;
        if (j->failed)
            return -1;
        if (j->ended) {
            ppr_position at = { j->line, j->column };
            push(j, PPR_STREAM_END, at); /* again: the queue has room for it */
            break;
        }
        if (feed(j, err) < 0)
            return -1;
    }
    *ev = j->q.events[j->q.head++];
    return 1;
}

ppr_queue *ppr_json_queue(ppr_json *j)
{
    return &j->q;
}
