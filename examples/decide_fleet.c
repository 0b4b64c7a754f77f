/*
 * decide_fleet: decide which product every device of a fleet belongs to.
 *
 *     decide_fleet POLICY.yaml FLEET.json
 *
 * Compiles the policy once, then reads the fleet (a JSON list of device
 * records with the field names of docs/spec.md §2) and prints one line per
 * device:
 *
 *     ID OUTCOME REASON rule=N product=P limited_in=C privileges=a,b advisories=x,y
 *
 * followed by a summary line.  The library does no I/O: reading files and
 * parsing JSON is this program's job, deciding is the library's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <particlepolicy.h>
#include <yaml.h>

/* Read a whole file into a malloc'd buffer; NULL (and a message) on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1))
        && fread(buf, 1, (size_t)size, f) == (size_t)size) {
        *len = (size_t)size;
    } else {
        perror(path);
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

/* ---- one device record ---- */

enum { ID, DEVICE_OS, SKU, OWNER, NTEXTS };

/* The device being read.  Its strings are copies owned here, because libyaml
 * frees an event's text as soon as the next event is parsed. */
typedef struct record {
    pp_device dev;
    char *text[NTEXTS];
} record;

static void record_start(record *r)
{
    memset(r, 0, sizeof *r);
    r->dev = (pp_device)PP_DEVICE_INIT;   /* platform unspecified: a SKU decides */
}

static void record_end(record *r)
{
    for (int i = 0; i < NTEXTS; i++)
        free(r->text[i]);
}

static int set_text(record *r, int which, const char **field, size_t *len,
                    const yaml_event_t *ev)
{
    size_t n = ev->data.scalar.length;
    char *copy = malloc(n + 1);
    if (!copy)
        return 0;
    memcpy(copy, ev->data.scalar.value, n + 1);   /* libyaml adds a NUL */
    free(r->text[which]);
    r->text[which] = copy;
    *field = copy;
    *len = n;
    return 1;
}

static int set_number(uint32_t *field, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    unsigned long long value = 0;
    if (n == 0 || n > 10)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        value = value * 10 + (unsigned)(s[i] - '0');
    }
    if (value > UINT32_MAX)
        return 0;
    *field = (uint32_t)value;
    return 1;
}

/* Store the value of one "key": value pair.  Unknown keys (like "note") are
 * ignored; JSON null means absent.  Returns 0 for a value of the wrong kind. */
static int set_field(record *r, const char *key, const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    pp_device *d = &r->dev;

    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(v, "null") == 0)
        return 1;
    if (strcmp(key, "id") == 0)
        return set_text(r, ID, &d->id, &d->id_len, ev);
    if (strcmp(key, "device_os") == 0)
        return set_text(r, DEVICE_OS, &d->device_os, &d->device_os_len, ev);
    if (strcmp(key, "sku") == 0)
        return set_text(r, SKU, &d->sku, &d->sku_len, ev);
    if (strcmp(key, "owner") == 0)
        return set_text(r, OWNER, &d->owner, &d->owner_len, ev);
    if (strcmp(key, "platform_id") == 0)
        return set_number(&d->platform_id, ev);
    if (strcmp(key, "cloud_product_id") == 0)
        return set_number(&d->cloud_product_id, ev);
    if (strcmp(key, "firmware_product_id") == 0)
        return set_number(&d->firmware_product_id, ev);
    if (strcmp(key, "denied_in") == 0)
        return set_number(&d->denied_in, ev);
    if (strcmp(key, "removed_from") == 0)
        return set_number(&d->removed_from, ev);
    if (strcmp(key, "quarantined_in") == 0)
        return set_number(&d->quarantined_in, ev);
    if (strcmp(key, "firmware_version") == 0)
        return set_number(&d->firmware_version, ev);
    if (strcmp(key, "development") == 0) {
        d->development = strcmp(v, "true") == 0;
        return d->development || strcmp(v, "false") == 0;
    }
    return 1;
}

/* ---- output ---- */

/* Names of the set bits, comma-separated, or "-" when none is set. */
static void print_names(uint32_t bits, const char *(*name)(int))
{
    if (bits == 0) {
        fputs("-", stdout);
        return;
    }
    const char *sep = "";
    for (int i = 0; i < 32; i++) {
        if (bits & (1u << i)) {
            const char *s = name(i);
            printf("%s%s", sep, s ? s : "?");
            sep = ",";
        }
    }
}

static void print_decision(const pp_device *dev, const pp_decision *d)
{
    /* Device IDs are case-insensitive and reported in lower case. */
    if (!dev->id)
        putchar('-');
    for (size_t i = 0; i < dev->id_len; i++)
        putchar(tolower((unsigned char)dev->id[i]));
    printf(" %s %s rule=%d product=%u limited_in=%u privileges=",
           pp_outcome_name(d->outcome), pp_reason_name(d->reason), (int)d->rule,
           (unsigned)d->product_id, (unsigned)d->limited_in);
    print_names(d->privileges, pp_privilege_name);
    fputs(" advisories=", stdout);
    print_names(d->advisories, pp_advisory_name);
    if (d->error != PP_OK)
        printf(" error=%s", pp_error_name(d->error));
    putchar('\n');
}

/* ---- the fleet ---- */

/* FILE:LINE:COLUMN: error: [KEY: ]MESSAGE, like a compiler. */
static void fail(const char *path, yaml_mark_t mark, const char *key,
                 const char *message)
{
    fprintf(stderr, "%s:%zu:%zu: error: %s%s%s\n", path, mark.line + 1,
            mark.column + 1, key, *key ? ": " : "", message);
}

/* Walk the fleet's events (JSON is YAML, so libyaml reads it): a list whose
 * items are objects.  Each object is decided when it closes.  Returns 0, or
 * 1 after printing FILE:LINE:COLUMN: error: MESSAGE. */
static int decide_fleet(const char *path, const char *text, size_t len,
                        const pp_policy *policy)
{
    unsigned counts[PP_OUTCOME_REAPPEAR_AS_DENIED + 1] = { 0 };
    unsigned devices = 0;
    int depth = 0;          /* open collections: 1 in the list, 2 in a record */
    char key[32] = "";      /* the key whose value comes next, if any */
    int have_key = 0, in_record = 0, done = 0, failed = 0;
    record rec;
    yaml_parser_t parser;
    yaml_event_t ev;

    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!done && !failed) {
        if (!yaml_parser_parse(&parser, &ev)) {
            fail(path, parser.problem_mark, "", parser.problem);
            failed = 1;
            break;
        }
        switch (ev.type) {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if ((depth == 0 && ev.type != YAML_SEQUENCE_START_EVENT) ||
                (depth == 1 && ev.type != YAML_MAPPING_START_EVENT)) {
                fail(path, ev.start_mark, "", "expected a list of device objects");
                failed = 1;
            } else if (depth == 1) {
                record_start(&rec);
                in_record = 1;
            }
            have_key = 0;   /* a nested value under an unknown key is skipped */
            depth++;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth == 2) {
                pp_decision d;
                pp_decide(&d, policy, NULL, &rec.dev);  /* errors are in d.error */
                print_decision(&rec.dev, &d);
                if (d.outcome >= 0 && d.outcome <= PP_OUTCOME_REAPPEAR_AS_DENIED)
                    counts[d.outcome]++;
                devices++;
                record_end(&rec);
                in_record = 0;
            }
            depth--;
            break;
        case YAML_SCALAR_EVENT:
            if (depth < 2) {
                fail(path, ev.start_mark, "", "expected a list of device objects");
                failed = 1;
            } else if (depth == 2 && !have_key) {
                snprintf(key, sizeof key, "%s", (const char *)ev.data.scalar.value);
                have_key = 1;
            } else if (depth == 2) {
                if (!set_field(&rec, key, &ev)) {
                    fail(path, ev.start_mark, key, "value of the wrong kind");
                    failed = 1;
                }
                have_key = 0;
            }
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    if (in_record)
        record_end(&rec);
    yaml_parser_delete(&parser);
    if (failed)
        return 1;

    printf("%u devices:", devices);
    for (int o = 0; o <= PP_OUTCOME_REAPPEAR_AS_DENIED; o++)
        printf(" %s=%u", pp_outcome_name(o), counts[o]);
    putchar('\n');
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s POLICY.yaml FLEET.json\n", argv[0]);
        return 2;
    }

    size_t len;
    char *text = read_file(argv[1], &len);
    if (!text)
        return 1;
    pp_policy *policy = NULL;
    pp_error err;
    int rc = pp_policy_load(&policy, text, len, NULL, &err);
    free(text);   /* the compiled policy keeps no pointer into the text */
    if (rc != PP_OK) {
        fprintf(stderr, "%s:%u:%u: error: %s\n", argv[1], (unsigned)err.line,
                (unsigned)err.column, err.message);
        return 1;
    }

    text = read_file(argv[2], &len);
    rc = text ? decide_fleet(argv[2], text, len, policy) : 1;
    free(text);
    pp_policy_free(policy);
    return rc;
}
