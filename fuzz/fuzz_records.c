/*
 * Fuzz target: the CLI's streaming record reader (cli/records.c) over YAML
 * or JSON text, deciding each record as ppolicy does.  A record's error and
 * message must agree, and a fatal error must stay fatal.
 */
#include <string.h>

#include "records.h"
#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bounds the work per input: records are cheap but unlimited. */
#define MAX_RECORDS 10000

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
