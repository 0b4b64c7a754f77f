/* The streaming device record reader (see records.h for the contract). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "records.h"
#include "utf8.h"

static const char *const field_names[PPR_NFIELDS] = {
    "id", "platform_id", "sku", "device_os", "cloud_product_id",
    "firmware_product_id", "owner", "denied_in", "removed_from",
    "quarantined_in", "development", "firmware_version", "note",
};

const char *ppr_field_name(int field)
{
    return field >= 0 && field < PPR_NFIELDS ? field_names[field] : NULL;
}

#define IN_SIZE 4096
#define EXCERPT 64   /* bytes of a user value quoted in a message */

/* Characters [start, end) of the text libyaml saw that stand for bytes the
 * filter replaced; positions are libyaml's mark.index (characters). */
typedef struct replaced_run {
    uint64_t start, end;
} replaced_run;

struct ppr_reader {
    yaml_parser_t parser;
    const pp_policy *policy;
    ppr_read_fn read;
    void *opaque;

    /* The input filter between the source and libyaml. */
    unsigned char in[IN_SIZE];
    size_t in_pos, in_len;
    bool in_eof;
    unsigned char out[3 * IN_SIZE]; /* every byte may become 3 (U+FFFD) */
    size_t out_pos, out_len;
    uint64_t chars;                 /* characters handed to libyaml */
    /* Pending runs, oldest first: runs[run_head..nruns).  As many as the
     * input holds between libyaml's position and the filter's (bounded by
     * PPR_MAX_TOKEN), so attribution is exact whatever their number. */
    replaced_run *runs;
    size_t run_head, nruns, run_cap;
    size_t since_event;             /* bytes handed over since the last event */
    bool over_token, read_failed, runs_nomem;
    int read_errno;

    /* Where the stream is. */
    uint32_t depth;
    bool done, failed;
    uint64_t records;
    pp_error error;

    /* Values of the current record's string fields. */
    char strings[4][PPR_MAX_STRING];

    /* Sources of the convenience constructors. */
    int fd;
    const char *text;
    size_t text_len, text_pos;
};

/* ---- the input filter ---- */

/* Characters passed to libyaml: what its reader accepts (it refuses the
 * rest with an error that would end the whole input), less U+0085, a C1
 * control that YAML would quietly fold into a space inside a string. */
static bool yaml_printable(uint32_t c)
{
    return c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E) ||
           (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

static bool note_replaced(ppr_reader *r, uint64_t at)
{
    if (r->nruns > r->run_head && r->runs[r->nruns - 1].end == at) {
        r->runs[r->nruns - 1].end = at + 1;
        return true;
    }
    if (r->nruns == r->run_cap && r->run_head > 0) {
        memmove(r->runs, r->runs + r->run_head,
                (r->nruns - r->run_head) * sizeof r->runs[0]);
        r->nruns -= r->run_head;
        r->run_head = 0;
    }
    if (r->nruns == r->run_cap) {
        size_t cap = r->run_cap == 0 ? 64 : r->run_cap * 2;
        replaced_run *grown = realloc(r->runs, cap * sizeof *grown);
        if (grown == NULL) {
            r->runs_nomem = true;
            return false;
        }
        r->runs = grown;
        r->run_cap = cap;
    }
    r->runs[r->nruns].start = at;
    r->runs[r->nruns].end = at + 1;
    r->nruns++;
    return true;
}

/* Bytes a sequence starting with b needs, so a sequence cut by a read is
 * completed by the next read rather than replaced. */
static size_t sequence_length(unsigned char b)
{
    return b < 0xC2 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF5 ? 4 : 1;
}

/* Filter what the input buffer holds; false when out of memory. */
static bool decode_available(ppr_reader *r)
{
    static const unsigned char replacement[3] = { 0xEF, 0xBF, 0xBD };
    while (r->in_pos < r->in_len) {
        const unsigned char *p = r->in + r->in_pos;
        size_t avail = r->in_len - r->in_pos;
        /* Printable ASCII, most of any input, goes through in one copy. */
        size_t run = 0;
        while (run < avail && ((p[run] >= 0x20 && p[run] < 0x7F) || p[run] == '\n' ||
                               p[run] == '\t' || p[run] == '\r'))
            run++;
        if (run > 0) {
            memcpy(r->out + r->out_len, p, run);
            r->out_len += run;
            r->in_pos += run;
            r->chars += run;
            continue;
        }
        if (avail < sequence_length(*p) && !r->in_eof)
            break;
        uint32_t cp;
        size_t n = ppc_utf8_decode(p, avail, &cp);
        if (n > 0 && yaml_printable(cp)) {
            memcpy(r->out + r->out_len, p, n);
            r->out_len += n;
        } else {
            if (!note_replaced(r, r->chars))
                return false;
            memcpy(r->out + r->out_len, replacement, 3);
            r->out_len += 3;
            if (n == 0)
                n = 1;
        }
        r->in_pos += n;
        r->chars++;
    }
    return true;
}

/* Refill r->out; false on a read error or when out of memory.  Leaves it
 * empty at the end. */
static bool filter_fill(ppr_reader *r)
{
    r->out_pos = r->out_len = 0;
    for (;;) {
        if (!decode_available(r))
            return false;
        if (r->out_len > 0 || r->in_eof)
            return true;
        memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
        r->in_len -= r->in_pos;
        r->in_pos = 0;
        size_t got = 0;
        if (!r->read(r->opaque, r->in + r->in_len, IN_SIZE - r->in_len, &got)) {
            r->read_errno = errno;
            r->read_failed = true;
            return false;
        }
        if (got == 0)
            r->in_eof = true;
        r->in_len += got;
    }
}

static int yaml_read(void *data, unsigned char *buf, size_t size, size_t *got)
{
    ppr_reader *r = data;
    *got = 0;
    if (r->out_pos == r->out_len && !filter_fill(r))
        return 0;
    size_t n = r->out_len - r->out_pos;
    if (n > size)
        n = size;
    memcpy(buf, r->out + r->out_pos, n);
    r->out_pos += n;
    *got = n;
    /* libyaml holds a whole token in memory: bound it. */
    r->since_event += n;
    if (r->since_event > PPR_MAX_TOKEN) {
        r->over_token = true;
        return 0;
    }
    return 1;
}

static void forget_runs_before(ppr_reader *r, uint64_t index)
{
    while (r->run_head < r->nruns && r->runs[r->run_head].end <= index)
        r->run_head++;
    if (r->run_head == r->nruns)
        r->run_head = r->nruns = 0;
}

int ppr_scalar_replaced(ppr_reader *r, const yaml_event_t *ev)
{
    forget_runs_before(r, ev->start_mark.index);
    return r->run_head < r->nruns && r->runs[r->run_head].start < ev->end_mark.index;
}

/* ---- construction ---- */

ppr_reader *ppr_reader_new(const pp_policy *policy, ppr_read_fn read, void *opaque)
{
    ppr_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    if (!yaml_parser_initialize(&r->parser)) {
        free(r);
        return NULL;
    }
    yaml_parser_set_input(&r->parser, yaml_read, r);
    /* The filter hands libyaml UTF-8 only; no guessing from a BOM. */
    yaml_parser_set_encoding(&r->parser, YAML_UTF8_ENCODING);
    r->policy = policy;
    r->read = read;
    r->opaque = opaque;
    r->fd = -1;
    return r;
}

int ppr_read_fd(void *opaque, unsigned char *buf, size_t size, size_t *got)
{
    int fd = *(const int *)opaque;
    for (;;) {
        ssize_t n = read(fd, buf, size);
        if (n >= 0) {
            *got = (size_t)n;
            return 1;
        }
        if (errno != EINTR)
            return 0;
    }
}

int ppr_read_fd_flushing(void *opaque, unsigned char *buf, size_t size, size_t *got)
{
    fflush(stdout);
    return ppr_read_fd(opaque, buf, size, got);
}

ppr_reader *ppr_reader_new_fd(const pp_policy *policy, int fd)
{
    ppr_reader *r = ppr_reader_new(policy, ppr_read_fd, NULL);
    if (r != NULL) {
        r->fd = fd;
        r->opaque = &r->fd;
    }
    return r;
}

static int read_text(void *opaque, unsigned char *buf, size_t size, size_t *got)
{
    ppr_reader *r = opaque;
    size_t n = r->text_len - r->text_pos;
    if (n > size)
        n = size;
    memcpy(buf, r->text + r->text_pos, n);
    r->text_pos += n;
    *got = n;
    return 1;
}

ppr_reader *ppr_reader_new_string(const pp_policy *policy, const char *text, size_t len)
{
    ppr_reader *r = ppr_reader_new(policy, read_text, NULL);
    if (r != NULL) {
        r->opaque = r;
        r->text = text;
        r->text_len = text == NULL ? 0 : len;
    }
    return r;
}

void ppr_reader_set_policy(ppr_reader *r, const pp_policy *policy)
{
    r->policy = policy;
}

void ppr_reader_free(ppr_reader *r)
{
    if (r == NULL)
        return;
    yaml_parser_delete(&r->parser);
    free(r->runs);
    free(r);
}

const pp_error *ppr_reader_error(const ppr_reader *r)
{
    return &r->error;
}

/* ---- events ---- */

static ppr_position position(yaml_mark_t mark)
{
    ppr_position at = { (uint32_t)mark.line + 1, (uint32_t)mark.column + 1 };
    return at;
}

static void fail(ppr_reader *r, int code, yaml_mark_t mark, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void fail(ppr_reader *r, int code, yaml_mark_t mark, const char *fmt, ...)
{
    va_list ap;
    r->failed = true;
    r->error.code = code;
    r->error.line = (uint32_t)mark.line + 1;
    r->error.column = (uint32_t)mark.column + 1;
    r->error.offset = 0; /* positions here are in characters, not bytes */
    va_start(ap, fmt);
    vsnprintf(r->error.message, sizeof r->error.message, fmt, ap);
    va_end(ap);
}

static void fail_parser(ppr_reader *r)
{
    const yaml_parser_t *p = &r->parser;
    if (r->over_token)
        fail(r, PP_ERR_LIMIT, p->mark,
             "more than %u bytes of input without a complete value",
             (unsigned)PPR_MAX_TOKEN);
    else if (r->read_failed)
        fail(r, PP_ERR_INVALID_ARGUMENT, p->mark, "read error: %s",
             strerror(r->read_errno));
    else if (p->error == YAML_MEMORY_ERROR || r->runs_nomem)
        fail(r, PP_ERR_NOMEM, p->mark, "out of memory");
    else if (p->error == YAML_READER_ERROR)
        fail(r, PP_ERR_YAML, p->mark, "%s", p->problem ? p->problem : "unreadable input");
    else if (p->context != NULL) /* worded like the policy loader's errors */
        fail(r, PP_ERR_YAML, p->problem_mark, "%s (%s at line %lu, column %lu)",
             p->problem ? p->problem : "syntax error", p->context,
             (unsigned long)p->context_mark.line + 1, (unsigned long)p->context_mark.column + 1);
    else
        fail(r, PP_ERR_YAML, p->problem_mark, "%s", p->problem ? p->problem : "syntax error");
}

int ppr_event(ppr_reader *r, yaml_event_t *ev)
{
    if (r->failed)
        return -1;
    if (!yaml_parser_parse(&r->parser, ev)) {
        fail_parser(r);
        return -1;
    }
    r->since_event = 0;
    forget_runs_before(r, ev->start_mark.index);
    switch (ev->type) {
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (++r->depth > PPR_MAX_DEPTH) {
            fail(r, PP_ERR_LIMIT, ev->start_mark, "nesting deeper than %d levels",
                 PPR_MAX_DEPTH);
            yaml_event_delete(ev);
            return -1;
        }
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        r->depth--;
        break;
    default:
        break;
    }
    return 1;
}

int ppr_skip_node(ppr_reader *r, yaml_event_t *start)
{
    bool collection = start->type == YAML_SEQUENCE_START_EVENT ||
                      start->type == YAML_MAPPING_START_EVENT;
    yaml_event_delete(start);
    if (!collection)
        return 1;
    uint32_t outer = r->depth - 1;
    while (r->depth > outer) {
        yaml_event_t ev;
        if (ppr_event(r, &ev) < 0)
            return -1;
        yaml_event_delete(&ev);
    }
    return 1;
}

/* ---- messages ---- */

typedef struct text {
    char *buf;
    size_t size, len;
} text;

static void add(text *t, const char *s, size_t n)
{
    if (t->len + 1 >= t->size)
        return;
    size_t room = t->size - 1 - t->len;
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* never cut a UTF-8 sequence */
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void addf(text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void addf(text *t, const char *fmt, ...)
{
    char tmp[PPR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        add(t, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A user value quoted in a message: at most EXCERPT bytes, control bytes
 * (NUL included: the message is a C string) written as \xNN. */
static void add_excerpt(text *t, const char *s, size_t n)
{
    size_t cut = n > EXCERPT ? EXCERPT : n;
    while (cut < n && cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    for (size_t i = 0; i < cut; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            addf(t, "\\x%02x", c);
        else
            add(t, (const char *)&c, 1);
    }
    if (cut < n)
        add(t, "...", 3);
}

/* The first problem of a record, kept until the record's id is known. */
typedef struct problem {
    int code;
    int field;          /* enum ppr_field, or -1 for the record itself */
    ppr_position at;
    char detail[PPR_MESSAGE_SIZE];
} problem;

static void compose(ppr_record *rec, int field, ppr_position at, const char *detail)
{
    text t = { rec->message, sizeof rec->message, 0 };
    rec->error_field = field;
    rec->message[0] = '\0';
    addf(&t, "record %llu", (unsigned long long)rec->number);
    if (rec->device.id != NULL) {
        add(&t, " (id ", 5);
        add_excerpt(&t, rec->device.id, rec->device.id_len);
        add(&t, ")", 1);
    }
    add(&t, ": ", 2);
    if (field >= 0)
        addf(&t, "field %s: ", field_names[field]);
    add(&t, detail, strlen(detail));
    addf(&t, " (line %u, column %u)", (unsigned)at.line, (unsigned)at.column);
}

static void note(problem *pb, int code, int field, ppr_position at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void note(problem *pb, int code, int field, ppr_position at, const char *fmt, ...)
{
    if (pb->code != PP_OK)
        return; /* the first problem is the one reported */
    pb->code = code;
    pb->field = field;
    pb->at = at;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pb->detail, sizeof pb->detail, fmt, ap);
    va_end(ap);
}

/* Note a problem whose detail quotes user text: "before 'excerpt'after". */
static void note_quoted(problem *pb, int code, int field, ppr_position at,
                        const char *before, const char *s, size_t n, const char *after)
{
    char buf[PPR_MESSAGE_SIZE];
    text t = { buf, sizeof buf, 0 };
    buf[0] = '\0';
    add(&t, before, strlen(before));
    add(&t, *before != '\0' ? " '" : "'", *before != '\0' ? 2 : 1);
    add_excerpt(&t, s, n);
    add(&t, "'", 1);
    add(&t, after, strlen(after));
    note(pb, code, field, at, "%s", buf);
}

/* ---- values ---- */

static const char *node_kind(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_MAPPING_START_EVENT: return "a mapping";
    case YAML_SEQUENCE_START_EVENT: return "a list";
    case YAML_ALIAS_EVENT: return "an alias (not supported in device records)";
    case YAML_SCALAR_EVENT: return "a scalar";
    default: return "something else";
    }
}

static bool is_null(const yaml_event_t *ev)
{
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    return n == 0 || (n == 1 && s[0] == '~') ||
           (n == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
                       memcmp(s, "NULL", 4) == 0));
}

/* Decimal digits only, no sign, no leading zero. */
typedef enum { NUM_OK, NUM_NOT_A_NUMBER, NUM_LEADING_ZERO, NUM_TOO_BIG } num_status;

static num_status parse_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    if (n == 0)
        return NUM_NOT_A_NUMBER;
    uint64_t v = 0;
    bool too_big = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return NUM_NOT_A_NUMBER;
        uint64_t digit = (uint64_t)(s[i] - '0');
        if (v > (max - digit) / 10)
            too_big = true;
        else
            v = v * 10 + digit;
    }
    if (n > 1 && s[0] == '0')
        return NUM_LEADING_ZERO;
    if (too_big)
        return NUM_TOO_BIG;
    *out = v;
    return NUM_OK;
}

static num_status parse_uint32(const char *s, size_t n, uint32_t *out)
{
    uint64_t v = 0;
    num_status st = parse_uint(s, n, UINT32_MAX, &v);
    if (st == NUM_OK)
        *out = (uint32_t)v;
    return st;
}

static bool negative_number(const char *s, size_t n)
{
    uint32_t ignored;
    return n > 1 && s[0] == '-' && parse_uint32(s + 1, n - 1, &ignored) != NUM_NOT_A_NUMBER;
}

int ppr_scalar_uint32(const yaml_event_t *ev, uint32_t *out)
{
    return ev->type == YAML_SCALAR_EVENT && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           parse_uint32((const char *)ev->data.scalar.value, ev->data.scalar.length, out) == NUM_OK;
}

int ppr_scalar_integer(const yaml_event_t *ev, uint64_t max, uint64_t *out)
{
    if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return PP_ERR_WRONG_TYPE;
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    switch (parse_uint(s, n, max, out)) {
    case NUM_OK: return PP_OK;
    case NUM_TOO_BIG: return PP_ERR_OUT_OF_RANGE;
    case NUM_LEADING_ZERO: return PP_ERR_WRONG_TYPE;
    default: return negative_number(s, n) ? PP_ERR_OUT_OF_RANGE : PP_ERR_WRONG_TYPE;
    }
}

const char *ppr_message_detail(const ppr_record *rec)
{
    /* compose() starts every message with "record N". */
    char prefix[32];
    int n = snprintf(prefix, sizeof prefix, "record %llu", (unsigned long long)rec->number);
    if (n > 0 && strncmp(rec->message, prefix, (size_t)n) == 0)
        return rec->message + n;
    return rec->message;
}

int ppr_scalar_null(const yaml_event_t *ev)
{
    return ev->type == YAML_SCALAR_EVENT && is_null(ev);
}

static void set_integer(problem *pb, uint32_t *out, int field, ppr_position at,
                        const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    if (is_null(ev)) {
        *out = 0;
        return;
    }
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        note_quoted(pb, PP_ERR_WRONG_TYPE, field, at,
                    "expected an unquoted decimal integer, found the string", s, n, "");
        return;
    }
    switch (parse_uint32(s, n, out)) {
    case NUM_OK:
        return;
    case NUM_LEADING_ZERO:
        note_quoted(pb, PP_ERR_WRONG_TYPE, field, at,
                    "", s, n, " has a leading zero (YAML 1.1 would read it as octal)");
        return;
    case NUM_TOO_BIG:
        note_quoted(pb, PP_ERR_OUT_OF_RANGE, field, at,
                    "must be 0 to 4294967295, found", s, n, "");
        return;
    case NUM_NOT_A_NUMBER:
        if (negative_number(s, n))
            note_quoted(pb, PP_ERR_OUT_OF_RANGE, field, at,
                        "must be 0 to 4294967295, found", s, n, "");
        else
            note_quoted(pb, PP_ERR_WRONG_TYPE, field, at,
                        "expected a decimal integer, found", s, n, "");
        return;
    }
}

static bool same_name(const char *a, size_t n, const char *b)
{
    size_t m = strlen(b);
    if (m != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

static void set_platform(ppr_reader *r, problem *pb, ppr_record *rec, ppr_position at,
                         const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    if (is_null(ev))
        return; /* stays PP_PLATFORM_UNSPECIFIED */
    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        uint32_t id;
        num_status st = parse_uint32(s, n, &id);
        if (st == NUM_OK && id != PP_PLATFORM_UNSPECIFIED) {
            rec->device.platform_id = id;
            return;
        }
        if (st == NUM_LEADING_ZERO) {
            note_quoted(pb, PP_ERR_WRONG_TYPE, PPR_PLATFORM_ID, at,
                        "", s, n, " has a leading zero (YAML 1.1 would read it as octal)");
            return;
        }
        if (st != NUM_NOT_A_NUMBER || negative_number(s, n)) {
            note_quoted(pb, PP_ERR_OUT_OF_RANGE, PPR_PLATFORM_ID, at,
                        "must be 0 to 4294967294, found", s, n, "");
            return;
        }
    }
    /* Not a number: a platform name. */
    pp_platform_info info;
    for (size_t i = 0;
         r->policy != NULL && pp_policy_platform_at(&info, r->policy, i) == PP_OK; i++) {
        if (same_name(s, n, info.name)) {
            rec->device.platform_id = info.id;
            return;
        }
    }
    note_quoted(pb, PP_ERR_UNKNOWN_NAME, PPR_PLATFORM_ID, at,
                "unknown platform name", s, n, " (see `ppolicy platforms`)");
}

static void set_string(ppr_reader *r, problem *pb, ppr_record *rec, int field,
                       ppr_position at, const yaml_event_t *ev)
{
    static const int slot_of[PPR_NFIELDS] = {
        [PPR_ID] = 0, [PPR_SKU] = 1, [PPR_DEVICE_OS] = 2, [PPR_OWNER] = 3,
    };
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    if (is_null(ev))
        return; /* absent */
    if (n > PPR_MAX_STRING) {
        note(pb, PP_ERR_INVALID_VALUE, field, at, "%zu bytes, longer than the %d allowed",
             n, PPR_MAX_STRING);
        n = PPR_MAX_STRING; /* keep the start, to show it */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if (ppr_scalar_replaced(r, ev))
        note(pb, PP_ERR_INVALID_VALUE, field, at,
             "holds bytes that are not UTF-8 text or are control characters (shown as U+FFFD)");
    char *dst = r->strings[slot_of[field]];
    memcpy(dst, s, n);
    switch (field) {
    case PPR_ID: rec->device.id = dst; rec->device.id_len = n; break;
    case PPR_SKU: rec->device.sku = dst; rec->device.sku_len = n; break;
    case PPR_DEVICE_OS: rec->device.device_os = dst; rec->device.device_os_len = n; break;
    default: rec->device.owner = dst; rec->device.owner_len = n; break;
    }
}

static void set_field(ppr_reader *r, problem *pb, ppr_record *rec, int field,
                      const yaml_event_t *ev)
{
    ppr_position at = rec->field_at[field];
    pp_device *d = &rec->device;
    switch (field) {
    case PPR_ID:
    case PPR_SKU:
    case PPR_DEVICE_OS:
    case PPR_OWNER:
        set_string(r, pb, rec, field, at, ev);
        break;
    case PPR_PLATFORM_ID:
        set_platform(r, pb, rec, at, ev);
        break;
    case PPR_CLOUD_PRODUCT_ID: set_integer(pb, &d->cloud_product_id, field, at, ev); break;
    case PPR_FIRMWARE_PRODUCT_ID: set_integer(pb, &d->firmware_product_id, field, at, ev); break;
    case PPR_DENIED_IN: set_integer(pb, &d->denied_in, field, at, ev); break;
    case PPR_REMOVED_FROM: set_integer(pb, &d->removed_from, field, at, ev); break;
    case PPR_QUARANTINED_IN: set_integer(pb, &d->quarantined_in, field, at, ev); break;
    case PPR_FIRMWARE_VERSION: set_integer(pb, &d->firmware_version, field, at, ev); break;
    case PPR_DEVELOPMENT: {
        const char *s = (const char *)ev->data.scalar.value;
        size_t n = ev->data.scalar.length;
        bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (is_null(ev) || (plain && n == 5 && memcmp(s, "false", 5) == 0))
            d->development = 0;
        else if (plain && n == 4 && memcmp(s, "true", 4) == 0)
            d->development = 1;
        else
            note_quoted(pb, PP_ERR_WRONG_TYPE, field, at,
                        "expected unquoted true or false, found", s, n, "");
        break;
    }
    default: /* note: free text for people */
        break;
    }
}

static int field_index(const yaml_event_t *key)
{
    const char *s = (const char *)key->data.scalar.value;
    size_t n = key->data.scalar.length;
    for (int f = 0; f < PPR_NFIELDS; f++)
        if (strlen(field_names[f]) == n && memcmp(field_names[f], s, n) == 0)
            return f;
    return -1;
}

static bool has_tag(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT: return ev->data.scalar.tag != NULL;
    case YAML_MAPPING_START_EVENT: return ev->data.mapping_start.tag != NULL;
    case YAML_SEQUENCE_START_EVENT: return ev->data.sequence_start.tag != NULL;
    default: return false;
    }
}

/* Read one key and its value into rec.  1, 0 at the record's end, -1. */
static int read_field(ppr_reader *r, problem *pb, ppr_record *rec, uint32_t *seen)
{
    yaml_event_t key, value;
    if (ppr_event(r, &key) < 0)
        return -1;
    if (key.type == YAML_MAPPING_END_EVENT) {
        yaml_event_delete(&key);
        return 0;
    }
    ppr_position kat = position(key.start_mark);
    int field = -1;
    if (key.type != YAML_SCALAR_EVENT)
        note(pb, PP_ERR_WRONG_TYPE, -1, kat, "expected a field name, found %s",
             node_kind(&key));
    else if ((field = field_index(&key)) < 0)
        note_quoted(pb, PP_ERR_UNKNOWN_KEY, -1, kat, "unknown field",
                    (const char *)key.data.scalar.value, key.data.scalar.length, "");
    else if (*seen & (1u << field)) {
        note(pb, PP_ERR_DUPLICATE, field, kat, "given twice");
        field = -1;
    }
    if (ppr_skip_node(r, &key) < 0 || ppr_event(r, &value) < 0)
        return -1;
    if (field < 0)
        return ppr_skip_node(r, &value);
    *seen |= 1u << field;
    rec->field_at[field] = position(value.start_mark);
    if (value.type != YAML_SCALAR_EVENT)
        note(pb, PP_ERR_WRONG_TYPE, field, rec->field_at[field], "expected a scalar, found %s",
             node_kind(&value));
    else if (has_tag(&value))
        note(pb, PP_ERR_WRONG_TYPE, field, rec->field_at[field],
             "YAML tags are not supported in device records");
    else
        set_field(r, pb, rec, field, &value);
    return ppr_skip_node(r, &value);
}

int ppr_read_record(ppr_reader *r, yaml_event_t *start, ppr_record *out)
{
    memset(&out->device, 0, sizeof out->device);
    memset(out->field_at, 0, sizeof out->field_at);
    out->device.platform_id = PP_PLATFORM_UNSPECIFIED;
    out->error = PP_OK;
    out->error_field = -1;
    out->message[0] = '\0';
    out->number = ++r->records;
    out->at = position(start->start_mark);

    problem pb;
    pb.code = PP_OK;
    if (start->type != YAML_MAPPING_START_EVENT)
        note(&pb, PP_ERR_WRONG_TYPE, -1, out->at,
             "expected a mapping (a device record), found %s", node_kind(start));
    else if (has_tag(start))
        note(&pb, PP_ERR_WRONG_TYPE, -1, out->at, "YAML tags are not supported in device records");
    if (start->type != YAML_MAPPING_START_EVENT) {
        if (ppr_skip_node(r, start) < 0)
            return -1;
    } else {
        yaml_event_delete(start);
        uint32_t seen = 0;
        int rc;
        while ((rc = read_field(r, &pb, out, &seen)) > 0)
            ;
        if (rc < 0)
            return -1;
    }
    if (pb.code != PP_OK) {
        out->error = pb.code;
        compose(out, pb.field, pb.at, pb.detail);
    }
    return 1;
}

int ppr_next(ppr_reader *r, ppr_record *out)
{
    for (;;) {
        if (r->failed)
            return -1;
        if (r->done)
            return 0;
        yaml_event_t ev;
        if (ppr_event(r, &ev) < 0)
            return -1;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            r->done = true;
            yaml_event_delete(&ev);
            return 0;
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        case YAML_SEQUENCE_END_EVENT: /* of a document's list of records */
            yaml_event_delete(&ev);
            continue;
        case YAML_SEQUENCE_START_EVENT:
            if (r->depth == 1) { /* a document that is a list of records */
                yaml_event_delete(&ev);
                continue;
            }
            break;
        case YAML_SCALAR_EVENT:
            if (r->depth == 0 && is_null(&ev)) { /* an empty document */
                yaml_event_delete(&ev);
                continue;
            }
            break;
        default:
            break;
        }
        return ppr_read_record(r, &ev, out);
    }
}

/* Name the field behind pp_decide's invalid-input code in rec. */
static void name_decide_error(ppr_record *rec, int code)
{
    const pp_device *d = &rec->device;
    int field;
    const char *value = NULL;
    size_t len = 0;
    switch (code) {
    case PP_ERR_DEVICE_ID: field = PPR_ID; value = d->id; len = d->id_len; break;
    case PP_ERR_DEVICE_OS: field = PPR_DEVICE_OS; value = d->device_os; len = d->device_os_len; break;
    case PP_ERR_SKU: field = PPR_SKU; value = d->sku; len = d->sku_len; break;
    case PP_ERR_OWNER: field = PPR_OWNER; value = d->owner; len = d->owner_len; break;
    case PP_ERR_FIRMWARE_VERSION: field = PPR_FIRMWARE_VERSION; break;
    case PP_ERR_PLATFORM: field = PPR_PLATFORM_ID; break;
    default: field = -1; break;
    }
    const char *why = pp_error_text(code);
    char detail[PPR_MESSAGE_SIZE];
    text t = { detail, sizeof detail, 0 };
    detail[0] = '\0';
    if (value != NULL) {
        add(&t, "'", 1);
        add_excerpt(&t, value, len);
        add(&t, "': ", 3);
    } else if (field == PPR_FIRMWARE_VERSION) {
        addf(&t, "%lu: ", (unsigned long)d->firmware_version);
    } else if (field >= 0) {
        add(&t, "missing: ", 9);
    }
    add(&t, why != NULL ? why : "invalid input", strlen(why != NULL ? why : "invalid input"));
    ppr_position at = field >= 0 && rec->field_at[field].line != 0 ? rec->field_at[field] : rec->at;
    rec->error = code;
    compose(rec, field, at, detail);
}

int ppr_decide(pp_decision *out, const pp_policy *policy, const pp_team *team,
               ppr_record *rec)
{
    if (rec->error == PP_OK) {
        if (pp_decide(out, policy, team, &rec->device) != PP_OK)
            name_decide_error(rec, out->error);
        return out->error;
    }
    memset(out, 0, sizeof *out);
    out->outcome = PP_OUTCOME_DENY;
    out->reason = PP_REASON_INVALID_INPUT;
    out->rule = 0;
    out->error = rec->error;
    return out->error;
}
