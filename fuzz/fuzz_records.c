/*
 * Fuzz target: the CLI's streaming record reader (cli/records.c) over YAML
 * or JSON text, deciding each record as ppolicy does.  A record's error and
 * message must agree, a field blamed for bytes that are not text must hold
 * one (shown as U+FFFD: a clean field is never blamed for its neighbour's),
 * and a fatal error must stay fatal.
 */
#include <string.h>

#include "records.h"
#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bounds the work per input: records are cheap but unlimited. */
#define MAX_RECORDS 10000

/* The value of a string field as the reader returned it. */
static int field_value(const ppr_record *rec, const char **s, size_t *n)
{
    const pp_device *d = &rec->device;
    switch (rec->error_field) {
    case PPR_ID: *s = d->id; *n = d->id_len; return 1;
    case PPR_SKU: *s = d->sku; *n = d->sku_len; return 1;
    case PPR_DEVICE_OS: *s = d->device_os; *n = d->device_os_len; return 1;
    case PPR_OWNER: *s = d->owner; *n = d->owner_len; return 1;
    default: return 0;
    }
}

/* Every replaced byte shows as U+FFFD in the value. */
static int holds_replacement(const char *s, size_t n)
{
    for (size_t i = 0; s != NULL && i + 3 <= n; i++)
        if (memcmp(s + i, "\xEF\xBF\xBD", 3) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pp_policy *policy = fuzz_policy();
    ppr_reader *r = ppr_reader_new_string(policy, (const char *)data, size);
    if (r == NULL)
        fuzz_fail("records: cannot allocate a reader");
    ppr_record rec;
    int rc;
    uint64_t count = 0;
    while (count < MAX_RECORDS && (rc = ppr_next(r, &rec)) > 0) {
        count++;
        if (rec.number != count)
            fuzz_fail("records: numbering skipped");
        if (rec.error != PP_OK && (pp_error_name(rec.error) == NULL || rec.message[0] == '\0' ||
                                   memchr(rec.message, '\0', sizeof rec.message) == NULL))
            fuzz_fail("records: error without a message");
        const char *value;
        size_t len;
        if (rec.error == PP_ERR_INVALID_VALUE && strstr(rec.message, "holds bytes that are not") &&
            field_value(&rec, &value, &len) && !holds_replacement(value, len))
            fuzz_fail("records: a field blamed for bytes it does not hold");
        int before = rec.error;
        pp_decision d;
        int dr = ppr_decide(&d, policy, NULL, &rec);
        if (dr != d.error || (before != PP_OK && dr != before))
            fuzz_fail("records: ppr_decide lost the reader's error");
        if (dr != PP_OK && (d.outcome != PP_OUTCOME_DENY || d.privileges != 0))
            fuzz_fail("records: malformed record not denied");
    }
    if (count < MAX_RECORDS && rc < 0) {
        const pp_error *err = ppr_reader_error(r);
        if (err == NULL || err->code >= 0 || memchr(err->message, '\0', sizeof err->message) == NULL)
            fuzz_fail("records: fatal error without a record");
        if (ppr_next(r, &rec) != -1)
            fuzz_fail("records: reading went on after a fatal error");
    }
    ppr_reader_free(r);
    return 0;
}
