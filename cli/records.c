/* The streaming device record reader (see records.h for the contract):
 * the reader over its event source (YAML or JSON, told from the input's
 * first characters), and device records read from its events with the
 * field rules both formats share. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "records.h"

static const char *const fields[PPR_NFIELDS] = {
    "id", "platform_id", "sku", "device_os", "cloud_product_id", "firmware_product_id",
    "owner", "denied_in", "removed_from", "quarantined_in", "development",
    "firmware_version", "note",
};

const char *ppr_field_name(int field)
{
    return field >= 0 && field < PPR_NFIELDS ? fields[field] : NULL;
}

#define EXCERPT 64   /* bytes of a user value quoted in a message */

struct ppr_reader {
    ppr_input input;
    int format;             /* 0 until the first event, then PPR_YAML or PPR_JSON */
    ppr_yaml *yaml;
    ppr_json *json;
    ppr_queue *queue;       /* JSON: the events it has ready */
    const pp_policy *policy;

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

/* ---- construction ---- */

static ppr_reader *reader_new(const pp_policy *policy, ppr_read_fn read, void *opaque,
                              size_t size)
{
    ppr_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    if (!ppr_input_init(&r->input, read, opaque, size)) {
        ppr_input_free(&r->input);
        free(r);
        return NULL;
    }
    r->policy = policy;
    r->fd = -1;
    return r;
}

ppr_reader *ppr_reader_new(const pp_policy *policy, ppr_read_fn read, void *opaque)
{
    return reader_new(policy, read, opaque, PPR_IN_SIZE);
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

ppr_reader *ppr_reader_new_fd(const pp_policy *policy, int fd)
{
    ppr_reader *r = ppr_reader_new(policy, ppr_read_fd, NULL);
    if (r != NULL) {
        r->fd = fd;
        r->input.opaque = &r->fd;
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
    /* Text in memory needs no larger buffers than itself. */
    ppr_reader *r = reader_new(policy, read_text, NULL, text == NULL ? 0 : len + 1);
    if (r != NULL) {
        r->input.opaque = r;
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
    ppr_yaml_free(r->yaml);
    ppr_json_free(r->json);
    ppr_input_free(&r->input);
    free(r);
}

const pp_error *ppr_reader_error(const ppr_reader *r)
{
    return &r->error;
}

const char *ppr_reader_format(const ppr_reader *r)
{
    return r->format == PPR_JSON ? "JSON" : r->format == PPR_YAML ? "YAML" : NULL;
}

/* ---- events ---- */

static const ppr_position nowhere = { 1, 1 };

/* Tell the format and start its event source; false (failed) on error. */
static bool start(ppr_reader *r)
{
    int format = ppr_input_detect(&r->input);
    if (format < 0) {
        ppr_fail_input(&r->error, &r->input, nowhere);
        return false;
    }
    r->format = format;
    if (format == PPR_JSON) {
        r->json = ppr_json_new(&r->input);
        r->queue = r->json != NULL ? ppr_json_queue(r->json) : NULL;
    } else {
        r->yaml = ppr_yaml_new(&r->input);
    }
    if (r->json == NULL && r->yaml == NULL) {
        ppr_fail(&r->error, PP_ERR_NOMEM, nowhere, "out of memory");
        return false;
    }
    return true;
}

int ppr_event_next(ppr_reader *r, ppr_event *ev)
{
    if (r->failed)
        return -1;
    if (r->format == 0 && !start(r)) {
        r->failed = true;
        return -1;
    }
    ppr_queue *q = r->queue;
    if (q != NULL && q->head < q->count) {
        *ev = q->events[q->head++]; /* most JSON events: no call */
    } else {
        int rc = r->json != NULL ? ppr_json_next(r->json, ev, &r->error)
                                 : ppr_yaml_next(r->yaml, ev, &r->error);
        if (rc < 0) {
            r->failed = true;
            return -1;
        }
    }
    switch (ev->type) {
    case PPR_SEQUENCE_START:
    case PPR_MAPPING_START:
        if (++r->depth > PPR_MAX_DEPTH) {
            ppr_fail(&r->error, PP_ERR_LIMIT, ev->at, "nesting deeper than %d levels",
                     PPR_MAX_DEPTH);
            r->failed = true;
            return -1;
        }
        break;
    case PPR_SEQUENCE_END:
    case PPR_MAPPING_END:
        r->depth--;
        break;
    default:
        break;
    }
    return 1;
}

int ppr_skip_node(ppr_reader *r, const ppr_event *start_event)
{
    if (start_event->type != PPR_SEQUENCE_START && start_event->type != PPR_MAPPING_START)
        return 1;
    uint32_t outer = r->depth - 1;
    while (r->depth > outer) {
        ppr_event ev;
        if (ppr_event_next(r, &ev) < 0)
            return -1;
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

void ppr_excerpt(char *dst, size_t size, const char *s, size_t n)
{
    text t = { dst, size, 0 };
    if (size > 0)
        dst[0] = '\0';
    add_excerpt(&t, s, n);
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
        addf(&t, "field %s: ", fields[field]);
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
                        const char *before, const ppr_event *ev, const char *after)
{
    if (pb->code != PP_OK)
        return;
    char buf[PPR_MESSAGE_SIZE];
    text t = { buf, sizeof buf, 0 };
    buf[0] = '\0';
    add(&t, before, strlen(before));
    add(&t, *before != '\0' ? " '" : "'", *before != '\0' ? 2 : 1);
    add_excerpt(&t, ev->text, ev->len < PPR_SCALAR_KEEP ? ev->len : PPR_SCALAR_KEEP);
    add(&t, "'", 1);
    add(&t, after, strlen(after));
    note(pb, code, field, at, "%s", buf);
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

/* ---- the field rules ---- */

static const char *node_kind(const ppr_event *ev)
{
    switch (ev->type) {
    case PPR_MAPPING_START: return "a mapping";
    case PPR_SEQUENCE_START: return "a list";
    case PPR_ALIAS: return "an alias (not supported in device records)";
    case PPR_SCALAR: return "a scalar";
    default: return "something else";
    }
}

static void set_integer(problem *pb, uint32_t *out, int field, ppr_position at,
                        const ppr_event *ev)
{
    if (ppr_scalar_null(ev)) {
        *out = 0;
        return;
    }
    if (!ev->plain) {
        note_quoted(pb, PP_ERR_WRONG_TYPE, field, at,
                    "expected an unquoted decimal integer, found the string", ev, "");
        return;
    }
    uint64_t v = 0;
    switch (ppr_parse_number(ev->text, ev->len, UINT32_MAX, &v)) {
    case PPR_NUMBER_OK:
        *out = (uint32_t)v;
        return;
    case PPR_NUMBER_LEADING_ZERO:
        note_quoted(pb, PP_ERR_WRONG_TYPE, field, at,
                    "", ev, " has a leading zero (YAML 1.1 would read it as octal)");
        return;
    case PPR_NUMBER_TOO_BIG:
    case PPR_NUMBER_NEGATIVE:
        note_quoted(pb, PP_ERR_OUT_OF_RANGE, field, at, "must be 0 to 4294967295, found", ev, "");
        return;
    case PPR_NUMBER_NOT_A_NUMBER:
        note_quoted(pb, PP_ERR_WRONG_TYPE, field, at, "expected a decimal integer, found", ev, "");
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
                         const ppr_event *ev)
{
    if (ppr_scalar_null(ev))
        return; /* stays PP_PLATFORM_UNSPECIFIED */
    if (ev->plain) {
        uint64_t id = 0;
        ppr_number st = ppr_parse_number(ev->text, ev->len, UINT32_MAX, &id);
        if (st == PPR_NUMBER_OK && id != PP_PLATFORM_UNSPECIFIED) {
            rec->device.platform_id = (uint32_t)id;
            return;
        }
        if (st == PPR_NUMBER_LEADING_ZERO) {
            note_quoted(pb, PP_ERR_WRONG_TYPE, PPR_PLATFORM_ID, at,
                        "", ev, " has a leading zero (YAML 1.1 would read it as octal)");
            return;
        }
        if (st != PPR_NUMBER_NOT_A_NUMBER) {
            note_quoted(pb, PP_ERR_OUT_OF_RANGE, PPR_PLATFORM_ID, at,
                        "must be 0 to 4294967294, found", ev, "");
            return;
        }
    }
    /* Not a number: a platform name. */
    pp_platform_info info;
    for (size_t i = 0;
         r->policy != NULL && pp_policy_platform_at(&info, r->policy, i) == PP_OK; i++) {
        if (same_name(ev->text, ev->len, info.name)) {
            rec->device.platform_id = info.id;
            return;
        }
    }
    note_quoted(pb, PP_ERR_UNKNOWN_NAME, PPR_PLATFORM_ID, at,
                "unknown platform name", ev, " (see `ppolicy platforms`)");
}

static void set_string(ppr_reader *r, problem *pb, ppr_record *rec, int field,
                       ppr_position at, const ppr_event *ev)
{
    static const int slot_of[PPR_NFIELDS] = {
        [PPR_ID] = 0, [PPR_SKU] = 1, [PPR_DEVICE_OS] = 2, [PPR_OWNER] = 3,
    };
    const char *s = ev->text;
    size_t n = ev->len;
    if (ppr_scalar_null(ev))
        return; /* absent */
    if (n > PPR_MAX_STRING) {
        note(pb, PP_ERR_INVALID_VALUE, field, at, "%zu bytes, longer than the %d allowed",
             n, PPR_MAX_STRING);
        n = PPR_MAX_STRING; /* keep the start, to show it */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if (ev->replaced)
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
                      const ppr_event *ev)
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
    case PPR_DEVELOPMENT:
        if (!ppr_scalar_bool(ev, &d->development))
            note_quoted(pb, PP_ERR_WRONG_TYPE, field, at,
                        "expected unquoted true or false, found", ev, "");
        break;
    default: /* note: free text for people */
        break;
    }
}

/* The field a key names, or -1.  By length first, then compared with
 * the one or two names of that length as constants (the compiler compares
 * words, no call): this runs for every field of every record. */
static int field_index(const ppr_event *key)
{
#define IS(name) (memcmp(t, name, sizeof name - 1) == 0)
    const char *t = key->text;
    switch (key->len) {
    case 2: return IS("id") ? PPR_ID : -1;
    case 3: return IS("sku") ? PPR_SKU : -1;
    case 4: return IS("note") ? PPR_NOTE : -1;
    case 5: return IS("owner") ? PPR_OWNER : -1;
    case 9: return IS("device_os") ? PPR_DEVICE_OS : IS("denied_in") ? PPR_DENIED_IN : -1;
    case 11:
        return IS("platform_id") ? PPR_PLATFORM_ID : IS("development") ? PPR_DEVELOPMENT : -1;
    case 12: return IS("removed_from") ? PPR_REMOVED_FROM : -1;
    case 14: return IS("quarantined_in") ? PPR_QUARANTINED_IN : -1;
    case 16:
        return IS("cloud_product_id") ? PPR_CLOUD_PRODUCT_ID
               : IS("firmware_version") ? PPR_FIRMWARE_VERSION : -1;
    case 19: return IS("firmware_product_id") ? PPR_FIRMWARE_PRODUCT_ID : -1;
    default: return -1;
    }
#undef IS
}

/* The next event: a scalar the JSON source has queued is used where it
 * is (most keys and values: no copy, no call); anything else comes
 * through ppr_event_next into *spare.  NULL on a fatal error.  Valid
 * until the next event is taken. */
static inline const ppr_event *take(ppr_reader *r, ppr_event *spare)
{
    ppr_queue *q = r->queue;
    if (q != NULL && q->head < q->count && q->events[q->head].type == PPR_SCALAR && !r->failed)
        return &q->events[q->head++];
    return ppr_event_next(r, spare) < 0 ? NULL : spare;
}

/* Read one key and its value into rec.  1, 0 at the record's end, -1. */
static int read_field(ppr_reader *r, problem *pb, ppr_record *rec, uint32_t *seen)
{
    ppr_event key_spare, value_spare;
    const ppr_event *key = take(r, &key_spare), *value;
    if (key == NULL)
        return -1;
    if (key->type == PPR_MAPPING_END)
        return 0;
    int field = -1;
    if (key->type != PPR_SCALAR)
        note(pb, PP_ERR_WRONG_TYPE, -1, key->at, "expected a field name, found %s",
             node_kind(key));
    else if ((field = field_index(key)) < 0)
        note_quoted(pb, PP_ERR_UNKNOWN_KEY, -1, key->at, "unknown field", key, "");
    else if (*seen & (1u << field)) {
        note(pb, PP_ERR_DUPLICATE, field, key->at, "given twice");
        field = -1;
    }
    /* The key is not looked at past here: taking the value may refill the
     * queue it is in. */
    if ((key->type != PPR_SCALAR && ppr_skip_node(r, key) < 0) ||
        (value = take(r, &value_spare)) == NULL)
        return -1;
    if (field < 0)
        return ppr_skip_node(r, value);
    *seen |= 1u << field;
    rec->field_at[field] = value->at;
    if (value->type != PPR_SCALAR)
        note(pb, PP_ERR_WRONG_TYPE, field, value->at, "expected a scalar, found %s",
             node_kind(value));
    else if (value->tagged)
        note(pb, PP_ERR_WRONG_TYPE, field, value->at,
             "YAML tags are not supported in device records");
    else
        set_field(r, pb, rec, field, value);
    return value->type == PPR_SCALAR ? 1 : ppr_skip_node(r, value);
}

int ppr_read_record(ppr_reader *r, const ppr_event *start_event, ppr_record *out)
{
    memset(&out->device, 0, sizeof out->device);
    memset(out->field_at, 0, sizeof out->field_at);
    out->device.platform_id = PP_PLATFORM_UNSPECIFIED;
    out->error = PP_OK;
    out->error_field = -1;
    out->message[0] = '\0';
    out->number = ++r->records;
    out->at = start_event->at;

    problem pb;
    pb.code = PP_OK;
    if (start_event->type != PPR_MAPPING_START) {
        note(&pb, PP_ERR_WRONG_TYPE, -1, out->at,
             "expected a mapping (a device record), found %s", node_kind(start_event));
        if (ppr_skip_node(r, start_event) < 0)
            return -1;
    } else {
        if (start_event->tagged)
            note(&pb, PP_ERR_WRONG_TYPE, -1, out->at,
                 "YAML tags are not supported in device records");
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
        ppr_event ev;
        if (ppr_event_next(r, &ev) < 0)
            return -1;
        switch (ev.type) {
        case PPR_STREAM_END:
            r->done = true;
            return 0;
        case PPR_STREAM_START:
        case PPR_DOCUMENT_START:
        case PPR_DOCUMENT_END:
        case PPR_SEQUENCE_END: /* of a document's list of records */
            continue;
        case PPR_SEQUENCE_START:
            if (r->depth == 1) /* a document that is a list of records */
                continue;
            break;
        case PPR_SCALAR:
            if (r->depth == 0 && ppr_scalar_null(&ev)) /* an empty document */
                continue;
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
