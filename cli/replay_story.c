/* Reading a story file (replay.h): a YAML mapping
 *
 *   title: remove, then the device reconnects with product firmware
 *   device: {id: ..., platform_id: tracker, device_os: 3.3.1, ...}
 *   events:
 *     - reconnect
 *     - {operate: remove_device, actor: dana@brightwater.example, product_id: 14001}
 *     - {flash: 14001, firmware_version: 23}
 *     - {device_os: 4.1.0}
 *     - {claim: mallory@example.net}
 *
 * with the device record reader's strictness (its reader reads the device;
 * fields.h reads the events), each problem reported with its line and
 * column. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fields.h"
#include "records.h"
#include "replay.h"

typedef struct story_reader {
    ppr_reader *r;
    const char *name;
    ppc_story *story;
} story_reader;

static int fail_at(story_reader *sr, unsigned long line, unsigned long column,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Report a problem of the story file; returns -1. */
static int fail_at(story_reader *sr, unsigned long line, unsigned long column,
                   const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%lu:%lu: error: ", sr->name, line, column);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static int fail_mark(story_reader *sr, ppr_position at, const char *what)
{
    return fail_at(sr, at.line, at.column, "%s", what);
}

/* The reader's fatal error (not well-formed YAML, a limit). */
static int reader_failed(story_reader *sr)
{
    const pp_error *e = ppr_reader_error(sr->r);
    return fail_at(sr, (unsigned long)e->line, (unsigned long)e->column, "%s", e->message);
}

/* A problem noted by fields.h, without the "(line L, column C)" its detail
 * ends with: the position leads the message.  An unknown field is not
 * quoted back (fields.h); expected names the known ones. */
static int fail_problem(story_reader *sr, const char *where, const ppc_problem *pb,
                        const char *expected)
{
    const char *detail = pb->detail, *cut = NULL;
    for (const char *p = strstr(detail, " (line "); p != NULL; p = strstr(p + 1, " (line "))
        cut = p;
    int n = cut != NULL ? (int)(cut - detail) : (int)strlen(detail);
    return fail_at(sr, pb->line, pb->column, "%s: %.*s%s%s", where, n, detail,
                   pb->code == PP_ERR_UNKNOWN_KEY ? " (expected " : "",
                   pb->code == PP_ERR_UNKNOWN_KEY ? expected : "");
}

static int next(story_reader *sr, ppr_event *ev)
{
    return ppr_event_next(sr->r, ev) > 0 ? 1 : reader_failed(sr);
}

/* Skip the rest of the node that starts with start: 1, or -1 reported. */
static int skip(story_reader *sr, const ppr_event *start)
{
    return ppr_skip_node(sr->r, start) > 0 ? 1 : reader_failed(sr);
}

/* Copy s[0..len) (NULL: absent stays absent); 0 or -1 out of memory. */
static int copy_text(story_reader *sr, ppc_text *t, const char *s, size_t len)
{
    t->s = NULL;
    t->len = 0;
    if (s == NULL)
        return 0;
    t->s = malloc(len + 1);
    if (t->s == NULL)
        return fail_at(sr, 0, 0, "out of memory");
    memcpy(t->s, s, len);
    t->s[len] = '\0';
    t->len = len;
    return 0;
}

/* ---- the device ---- */

static int read_device(story_reader *sr, const ppr_event *start)
{
    ppr_record rec;
    if (ppr_read_record(sr->r, start, &rec) < 0)
        return reader_failed(sr);
    if (rec.error != PP_OK) {
        ppr_position at = rec.error_field >= 0 ? rec.field_at[rec.error_field] : rec.at;
        if (at.line == 0)
            at = rec.at;
        return fail_at(sr, at.line, at.column, "device%s", ppr_message_detail(&rec));
    }
    /* The record's strings live in the reader until its next call. */
    ppc_story *s = sr->story;
    s->device = rec.device;
    const char *from[4] = { rec.device.id, rec.device.sku, rec.device.device_os,
                            rec.device.owner };
    const size_t lens[4] = { rec.device.id_len, rec.device.sku_len, rec.device.device_os_len,
                             rec.device.owner_len };
    for (int i = 0; i < 4; i++)
        if (copy_text(sr, &s->fields[i], from[i], lens[i]) < 0)
            return -1;
    s->device.id = s->fields[0].s;
    s->device.sku = s->fields[1].s;
    s->device.device_os = s->fields[2].s;
    s->device.owner = s->fields[3].s;
    return 1;
}

/* ---- the events ---- */

enum { E_RECONNECT, E_OPERATE, E_FLASH, E_DEVICE_OS, E_CLAIM, E_ACTOR, E_API_USER,
       E_PRODUCT_ID, E_FIRMWARE_VERSION, E_NOTE };
static const char *const event_fields[] = {
    "reconnect", "operate", "flash", "device_os", "claim", "actor", "api_user",
    "product_id", "firmware_version", "note", NULL,
};
#define KIND_FIELDS ((1u << E_RECONNECT) | (1u << E_OPERATE) | (1u << E_FLASH) | \
                     (1u << E_DEVICE_OS) | (1u << E_CLAIM))
#define EVENT_FIELDS_HINT "reconnect, operate, flash, device_os, claim, actor, api_user, " \
                          "product_id, firmware_version or note)"
#define OPERATE_FIELDS ((1u << E_ACTOR) | (1u << E_API_USER) | (1u << E_PRODUCT_ID))

static ppc_event *new_event(story_reader *sr, ppr_position at)
{
    ppc_story *s = sr->story;
    if (s->count == PPC_STORY_MAX_EVENTS) {
        char what[64];
        snprintf(what, sizeof what, "more than %d events", PPC_STORY_MAX_EVENTS);
        fail_mark(sr, at, what);
        return NULL;
    }
    if (s->count == s->capacity) {
        size_t cap = s->capacity == 0 ? 16 : 2 * s->capacity;
        ppc_event *e = realloc(s->events, cap * sizeof *e);
        if (e == NULL) {
            fail_mark(sr, at, "out of memory");
            return NULL;
        }
        s->events = e;
        s->capacity = cap;
    }
    ppc_event *e = &s->events[s->count++];
    memset(e, 0, sizeof *e);
    e->line = at.line;
    e->column = at.column;
    e->kind = -1;
    return e;
}

/* A field's string value, copied; the value (v: its first event) is
 * consumed.  1, or -1 reported. */
static int take_string(story_reader *sr, ppc_problem *pb, const char *field, const ppr_event *v,
                       ppc_text *out)
{
    const char *s = NULL;
    size_t n = 0;
    ppc_value_string(pb, field, v, PPR_MAX_STRING, &s, &n);
    if (pb->code == PP_OK && copy_text(sr, out, s, n) < 0)
        return -1;
    return skip(sr, v);
}

/* The value of one field of an event mapping (v: its first event). */
static int event_field(story_reader *sr, ppc_problem *pb, ppc_event *e, int f, const ppr_event *v)
{
    uint64_t n = 0;
    if (f >= E_RECONNECT && f <= E_CLAIM)
        e->kind = f - E_RECONNECT + PPC_EVENT_RECONNECT;
    switch (f) {
    case E_RECONNECT:
        if (v->type != PPR_SCALAR || !ppr_scalar_null(v))
            ppc_problem_note(pb, PP_ERR_WRONG_TYPE, "reconnect", v->at,
                             "takes no value (write `- reconnect`)");
        break;
    case E_OPERATE: {
        ppc_text name = { NULL, 0 };
        ppr_position at = v->at;
        if (take_string(sr, pb, "operate", v, &name) < 0)
            return -1;
        e->operation = name.s != NULL ? pp_operation_from_name(name.s, name.len) : -1;
        free(name.s);
        if (e->operation < 0)
            ppc_problem_note(pb, PP_ERR_UNKNOWN_NAME, "operate", at,
                             "unknown operation (see `ppolicy replay --help`)");
        return 1;
    }
    case E_FLASH:
        ppc_value_integer(pb, "flash", v, UINT32_MAX, &n);
        e->product_id = (uint32_t)n;
        break;
    case E_FIRMWARE_VERSION:
        ppc_value_integer(pb, "firmware_version", v, UINT32_MAX, &n);
        e->firmware_version = (uint32_t)n;
        break;
    case E_PRODUCT_ID:
        ppc_value_integer(pb, "product_id", v, UINT32_MAX, &n);
        e->product_id = (uint32_t)n;
        break;
    case E_API_USER:
        ppc_value_bool(pb, "api_user", v, &e->actor_kind);
        break;
    case E_DEVICE_OS:
    case E_CLAIM:
        return take_string(sr, pb, event_fields[f], v, &e->text);
    case E_ACTOR:
        return take_string(sr, pb, "actor", v, &e->actor);
    default: /* note */
        return take_string(sr, pb, "note", v, &e->note);
    }
    return skip(sr, v);
}

/* Which fields go together: one kind, the operator's fields with operate
 * only, a version with flash only. */
static int check_event(story_reader *sr, const ppc_event *e, const char *where,
                       uint32_t seen)
{
    const char *problem = NULL;
    uint32_t kinds = seen & KIND_FIELDS;
    if (kinds == 0)
        problem = "an event needs one of reconnect, operate, flash, device_os, claim";
    else if ((kinds & (kinds - 1)) != 0)
        problem = "one event per list item: reconnect, operate, flash, device_os and claim "
                  "do not go together";
    else if (e->kind == PPC_EVENT_OPERATE && e->actor.s == NULL)
        problem = "operate needs an actor";
    else if (e->kind == PPC_EVENT_OPERATE && !(seen & (1u << E_PRODUCT_ID)))
        problem = "operate needs a product_id";
    else if (e->kind != PPC_EVENT_OPERATE && (seen & OPERATE_FIELDS))
        problem = "actor, api_user and product_id belong to operate events";
    else if (e->kind != PPC_EVENT_FLASH && (seen & (1u << E_FIRMWARE_VERSION)))
        problem = "firmware_version belongs to flash events";
    if (problem == NULL)
        return 1;
    return fail_at(sr, e->line, e->column, "%s: %s", where, problem);
}

static int read_event(story_reader *sr, const ppr_event *start)
{
    ppr_position at = start->at;
    ppc_event *e = new_event(sr, at);
    if (e == NULL)
        return -1;
    char where[32];
    snprintf(where, sizeof where, "event %zu", sr->story->count);
    if (start->type == PPR_SCALAR && !start->tagged && ppr_scalar_is(start, "reconnect")) {
        e->kind = PPC_EVENT_RECONNECT;
        return 1;
    }
    if (start->type != PPR_MAPPING_START)
        return fail_at(sr, at.line, at.column,
                       "%s: an event is `reconnect` or a mapping such as {operate: "
                       "approve_quarantined, actor: NAME, product_id: ID}", where);
    ppc_problem pb;
    pb.code = PP_OK;
    uint32_t seen = 0;
    ppr_event v;
    int f;
    while ((f = ppc_next_field(sr->r, &pb, event_fields, &seen, &v)) >= 0)
        if (event_field(sr, &pb, e, f, &v) < 0)
            return -1;
    if (f == PPC_FIELDS_FATAL)
        return reader_failed(sr);
    if (pb.code != PP_OK)
        return fail_problem(sr, where, &pb, EVENT_FIELDS_HINT);
    return check_event(sr, e, where, seen);
}

static int read_events(story_reader *sr, const ppr_event *start)
{
    if (start->type != PPR_SEQUENCE_START) {
        fail_mark(sr, start->at, "events: expected a list of events");
        return -1;
    }
    for (;;) {
        ppr_event ev;
        if (next(sr, &ev) < 0)
            return -1;
        if (ev.type == PPR_SEQUENCE_END)
            return 1;
        if (read_event(sr, &ev) < 0)
            return -1;
    }
}

/* ---- the file ---- */

enum { S_TITLE, S_DEVICE, S_EVENTS, S_NOTE };
static const char *const story_fields[] = { "title", "device", "events", "note", NULL };
#define STORY_FIELDS_HINT "title, device, events or note)"

static int read_top(story_reader *sr)
{
    ppr_event ev;
    for (int i = 0; i < 2; i++) { /* stream start, document start */
        if (next(sr, &ev) < 0)
            return -1;
        if (ev.type == PPR_STREAM_END)
            return fail_mark(sr, ev.at, "empty story: a story has a device and events");
    }
    if (next(sr, &ev) < 0)
        return -1;
    ppr_position top = ev.at;
    if (ev.type != PPR_MAPPING_START)
        return fail_mark(sr, top, "a story is a mapping with a device and events");
    ppc_problem pb;
    pb.code = PP_OK;
    uint32_t seen = 0;
    ppr_event v;
    int f;
    while ((f = ppc_next_field(sr->r, &pb, story_fields, &seen, &v)) >= 0) {
        int rc;
        if (f == S_DEVICE)
            rc = read_device(sr, &v);
        else if (f == S_EVENTS)
            rc = read_events(sr, &v);
        else if (f == S_TITLE)
            rc = take_string(sr, &pb, "title", &v, &sr->story->title);
        else
            rc = skip(sr, &v);
        if (rc < 0)
            return -1;
        if (pb.code != PP_OK)
            return fail_problem(sr, "story", &pb, STORY_FIELDS_HINT);
    }
    if (f == PPC_FIELDS_FATAL)
        return reader_failed(sr);
    if (pb.code != PP_OK)
        return fail_problem(sr, "story", &pb, STORY_FIELDS_HINT);
    if (!(seen & (1u << S_DEVICE)))
        return fail_mark(sr, top, "the story has no device record (`device:`)");
    if (!(seen & (1u << S_EVENTS)))
        return fail_mark(sr, top, "the story has no events (`events:`)");
    if (next(sr, &ev) < 0 || next(sr, &ev) < 0) /* document end, stream end */
        return -1;
    return ev.type == PPR_STREAM_END ? 1 : fail_mark(sr, ev.at, "a story file holds one document");
}

int ppc_story_read(ppc_story *story, const pp_policy *policy, const char *name,
                   const char *text, size_t len)
{
    memset(story, 0, sizeof *story);
    story_reader sr = { ppr_reader_new_string(policy, text, len), name, story };
    if (sr.r == NULL) {
        fprintf(stderr, "ppolicy replay: out of memory\n");
        return PPC_EXIT_USAGE;
    }
    int rc = read_top(&sr);
    ppr_reader_free(sr.r);
    if (rc < 0) {
        ppc_story_free(story);
        return PPC_EXIT_USAGE;
    }
    return PPC_EXIT_OK;
}

void ppc_story_free(ppc_story *story)
{
    for (size_t i = 0; i < story->count; i++) {
        free(story->events[i].note.s);
        free(story->events[i].actor.s);
        free(story->events[i].text.s);
    }
    free(story->events);
    for (int i = 0; i < 4; i++)
        free(story->fields[i].s);
    free(story->title.s);
    memset(story, 0, sizeof *story);
}
