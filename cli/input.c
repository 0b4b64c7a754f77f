/* The reader's input and its filter (see input.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "input.h"
#include "utf8.h"

bool ppr_input_init(ppr_input *in, ppr_read_fn read, void *opaque, size_t size)
{
    memset(in, 0, sizeof *in);
    in->read = read;
    in->opaque = opaque;
    in->in_cap = size < 16 ? 16 : size > PPR_IN_SIZE ? PPR_IN_SIZE : size;
    in->in = malloc(in->in_cap);
    in->out = malloc(3 * in->in_cap);
    in->ascii = true;
    return in->in != NULL && in->out != NULL;
}

void ppr_input_free(ppr_input *in)
{
    free(in->in);
    free(in->out);
    free(in->runs);
    free(in->lines);
}

/* Read more raw input behind what is there; false on a read error. */
static bool read_more(ppr_input *in)
{
    if (in->in_pos > 0) {
        memmove(in->in, in->in + in->in_pos, in->in_len - in->in_pos);
        in->in_len -= in->in_pos;
        in->in_pos = 0;
    }
    size_t got = 0;
    if (!in->read(in->opaque, in->in + in->in_len, in->in_cap - in->in_len, &got)) {
        in->read_errno = errno;
        in->read_failed = true;
        return false;
    }
    if (got == 0)
        in->in_eof = true;
    in->in_len += got;
    return true;
}

int ppr_input_detect(ppr_input *in)
{
    for (;;) {
        bool full = in->in_len == in->in_cap;
        int format = ppr_detect_format(in->in, in->in_len, in->in_eof || full);
        if (format != 0) {
            in->json = format == PPR_JSON;
            return format;
        }
        if (!read_more(in))
            return -1;
    }
}

/* ---- replaced positions ---- */

static bool note_replaced(ppr_input *in, uint64_t at)
{
    if (in->nruns > in->run_head && in->runs[in->nruns - 1].end == at) {
        in->runs[in->nruns - 1].end = at + 1;
        return true;
    }
    if (in->nruns == in->run_cap && in->run_head > 0) {
        memmove(in->runs, in->runs + in->run_head, (in->nruns - in->run_head) * sizeof *in->runs);
        in->nruns -= in->run_head;
        in->run_head = 0;
    }
    if (in->nruns == in->run_cap) {
        size_t cap = in->run_cap == 0 ? 64 : in->run_cap * 2;
        ppr_run *grown = realloc(in->runs, cap * sizeof *grown);
        if (grown == NULL) {
            in->nomem = true;
            return false;
        }
        in->runs = grown;
        in->run_cap = cap;
    }
    in->runs[in->nruns].start = at;
    in->runs[in->nruns].end = at + 1;
    in->nruns++;
    return true;
}

void ppr_input_forget(ppr_input *in, uint64_t pos)
{
    while (in->run_head < in->nruns && in->runs[in->run_head].end <= pos)
        in->run_head++;
    if (in->run_head == in->nruns)
        in->run_head = in->nruns = 0;
}

bool ppr_input_replaced(ppr_input *in, uint64_t start, uint64_t end)
{
    ppr_input_forget(in, start);
    return in->run_head < in->nruns && in->runs[in->run_head].start < end;
}

/* ---- the filter ---- */

/* Characters passed to the parsers: what libyaml's reader accepts (it
 * refuses the rest with an error that would end the whole input), less
 * U+0085, a C1 control that YAML would quietly fold into a space. */
static bool printable(uint32_t c)
{
    return c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E) ||
           (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

/* Bytes a sequence starting with b needs, so a sequence cut by a read is
 * completed by the next read rather than replaced. */
static size_t sequence_length(unsigned char b)
{
    return b < 0xC2 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF5 ? 4 : 1;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Whether the 8 bytes at p are all printable ASCII (no byte below 0x20,
 * none above 0x7E) and, for JSON, hold no backslash.  Exact: the borrow
 * and carry tricks only ever flag a word that has such a byte. */
static bool plain_word(const unsigned char *p, bool json)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    uint64_t below = (x - ONES * 0x20) & ~x;
    uint64_t above = (x + ONES) | x;
    uint64_t bad = below | above;
    if (json) {
        uint64_t b = x ^ (ONES * '\\');
        bad |= (b - ONES) & ~b;
    }
    return (bad & HIGHS) == 0;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A JSON escape at p (p[0] is a backslash): how many bytes to pass through
 * unchanged, or 0 when more input is needed.  *bad: it escapes a lone
 * UTF-16 surrogate. */
static size_t json_escape(const unsigned char *p, size_t avail, bool eof, bool *bad)
{
    *bad = false;
    if (avail < 2)
        return eof ? 1 : 0;
    if (p[1] != 'u')
        return p[1] >= 0x20 && p[1] < 0x7F ? 2 : 1;
    if (avail < 6)
        return eof ? 1 : 0;
    int cp = hex4(p + 2);
    if (cp < 0xD800 || cp > 0xDFFF)
        return cp < 0 ? 2 : 6; /* not hex: yajl reports it */
    if (cp >= 0xDC00) {
        *bad = true; /* a low surrogate alone */
        return 6;
    }
    if (avail < 12 && !eof)
        return 0;
    int low = avail >= 12 && p[6] == '\\' && p[7] == 'u' ? hex4(p + 8) : -1;
    if (low >= 0xDC00 && low <= 0xDFFF)
        return 12;
    *bad = true; /* a high surrogate without its low half */
    return 6;
}

/* JSON: a line starts at offset at of out. */
static bool note_line(ppr_input *in, size_t at)
{
    if (in->nlines == in->lines_cap) {
        size_t cap = in->lines_cap == 0 ? 1024 : in->lines_cap * 2;
        uint32_t *grown = realloc(in->lines, cap * sizeof *grown);
        if (grown == NULL) {
            in->nomem = true;
            return false;
        }
        in->lines = grown;
        in->lines_cap = cap;
    }
    in->lines[in->nlines++] = (uint32_t)at;
    return true;
}

#if defined(__SSE2__)
/* The same for 16 bytes at once, where the machine has SSE2 (every x86-64),
 * line feeds allowed: their bits in *newlines. */
static bool plain_block(const unsigned char *p, bool json, unsigned *newlines)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i ok = _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x20)), v),
                               _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x7E)), v));
    if (json)
        ok = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')), ok);
    __m128i lf = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));
    *newlines = (unsigned)_mm_movemask_epi8(lf);
    return _mm_movemask_epi8(_mm_or_si128(ok, lf)) == 0xFFFF;
}
#endif

/* How many bytes at p (of avail) are plain text that goes through as it
 * is: printable ASCII, tabs and line breaks, no backslash in JSON.  16 or 8
 * bytes at a time, most of any input; *ok false when out of memory. */
static size_t plain_run(ppr_input *in, const unsigned char *p, size_t avail, bool *ok)
{
    const bool json = in->json;
    size_t run = 0;
    for (;;) {
#if defined(__SSE2__)
        unsigned newlines;
        while (run + 16 <= avail && plain_block(p + run, json, &newlines)) {
            for (; json && newlines != 0; newlines &= newlines - 1)
                if (!note_line(in, in->out_len + run + (size_t)__builtin_ctz(newlines) + 1)) {
                    *ok = false;
                    return run;
                }
            run += 16;
        }
#endif
        while (run + 8 <= avail && plain_word(p + run, json))
            run += 8;
        /* A word with a line break (or the end): byte by byte up to the
         * next word. */
        size_t stop = run + 8 <= avail ? run + 8 : avail;
        for (; run < stop; run++) {
            unsigned char c = p[run];
            if (c >= 0x20 && c < 0x7F && !(json && c == '\\'))
                continue;
            if (c == '\n') {
                if (json && !note_line(in, in->out_len + run + 1)) {
                    *ok = false;
                    return run;
                }
                continue;
            }
            if (c != '\t' && c != '\r')
                return run;
        }
        if (run == avail)
            return run;
    }
}

/* Filter what the raw buffer holds; false when out of memory. */
static bool filter_available(ppr_input *in)
{
    static const unsigned char replacement[3] = { 0xEF, 0xBF, 0xBD };
    const bool json = in->json;
    while (in->in_pos < in->in_len) {
        const unsigned char *p = in->in + in->in_pos;
        size_t avail = in->in_len - in->in_pos;
        bool ok = true;
        size_t run = plain_run(in, p, avail, &ok);
        if (!ok)
            return false;
        if (run > 0) {
            memcpy(in->out + in->out_len, p, run);
            in->out_len += run;
            in->in_pos += run;
            in->chars += run;
            continue;
        }
        size_t n;
        if (*p == '\\') { /* JSON only: escapes of lone surrogates */
            bool bad;
            n = json_escape(p, avail, in->in_eof, &bad);
            if (n == 0)
                break;
            if (bad && !note_replaced(in, in->out_base + in->out_len))
                return false;
            /* A lone surrogate's escape becomes U+FFFD's, of the same
             * length: the value shows it as every replaced byte. */
            memcpy(in->out + in->out_len, bad ? (const unsigned char *)"\\ufffd" : p, n);
            in->out_len += n;
            in->in_pos += n;
            in->chars += n;
            continue;
        }
        if (avail < sequence_length(*p) && !in->in_eof)
            break;
        uint32_t cp;
        n = ppc_utf8_decode(p, avail, &cp);
        if (n > 0 && printable(cp)) {
            memcpy(in->out + in->out_len, p, n);
            in->out_len += n;
            in->ascii = false;
        } else {
            if (!note_replaced(in, json ? in->out_base + in->out_len : in->chars))
                return false;
            memcpy(in->out + in->out_len, replacement, 3);
            in->out_len += 3;
            in->ascii = false;
            if (n == 0)
                n = 1;
        }
        in->in_pos += n;
        in->chars++;
    }
    return true;
}

bool ppr_input_fill(ppr_input *in)
{
    in->out_base += in->out_len;
    in->out_len = 0;
    in->ascii = true;
    in->nlines = 0;
    for (;;) {
        if (!filter_available(in))
            return false;
        if (in->out_len > 0 || in->in_eof)
            return true;
        if (!read_more(in))
            return false;
    }
}

/* ---- fatal errors ---- */

void ppr_fail(pp_error *e, int code, ppr_position at, const char *fmt, ...)
{
    e->code = code;
    e->line = at.line;
    e->column = at.column;
    e->offset = 0; /* positions here are in characters, not bytes */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

void ppr_fail_input(pp_error *e, const ppr_input *in, ppr_position at)
{
    if (in->nomem)
        ppr_fail(e, PP_ERR_NOMEM, at, "out of memory");
    else
        ppr_fail(e, PP_ERR_INVALID_ARGUMENT, at, "read error: %s", strerror(in->read_errno));
}
