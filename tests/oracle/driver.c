/*
 * Differential-testing driver: runs the real library (public API only) over a
 * policy file and a stream of device records, printing one line per decision
 * for tests/oracle/difftest.py to compare with the Python oracle.
 *
 *   driver POLICY.yaml < RECORDS
 *
 * Input lines (fields separated by TAB; in a field `\N` alone means absent,
 * and `\\`, `\t`, `\n`, `\r`, `\xHH` are escapes, so any byte can pass):
 *   T  organization  user  role        add a run-time team membership
 *   D  id  platform_id  sku  device_os  cloud_product_id  firmware_product_id
 *      owner  denied_in  removed_from  quarantined_in  development
 *      firmware_version                decide one device
 * All T lines apply to every decision (the team set is built first and passed
 * to pp_decide only when there is at least one T line).
 *
 * Output: first `L ok FINGERPRINT`, or `L ERROR_NAME LINE COLUMN MESSAGE`
 * when the policy does not load (then nothing else).  Then, per D line:
 *   outcome reason rule product limited_in privileges advisories error ret
 * where privileges and advisories are comma-separated names or `-`, error is
 * the name of decision.error and ret the name of pp_decide's result.
 * Finally pp_decide_many is run over the whole batch; any difference from the
 * single decisions is reported on stderr with exit status 3.
 * Exit status: 0 done, 2 usage or malformed input, 3 inconsistency.
 */
#define _POSIX_C_SOURCE 200809L /* getline */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "particlepolicy.h"

#define D_FIELDS 12

typedef struct record {
    pp_device dev;
    char *line; /* owns the unescaped field bytes dev points into */
} record;

static void die(const char *what, unsigned long lineno)
{
    fprintf(stderr, "driver: line %lu: %s\n", lineno, what);
    exit(2);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Unescape field [s, s+len) in place; returns its new length, or -1 when it
 * holds a bad escape.  Unescaping never lengthens, so in place is safe. */
static long unescape(char *s, size_t len)
{
    size_t r = 0, w = 0;

    while (r < len) {
        if (s[r] != '\\') {
            s[w++] = s[r++];
            continue;
        }
        if (r + 1 >= len)
            return -1;
        switch (s[r + 1]) {
        case '\\': s[w++] = '\\'; r += 2; break;
        case 't': s[w++] = '\t'; r += 2; break;
        case 'n': s[w++] = '\n'; r += 2; break;
        case 'r': s[w++] = '\r'; r += 2; break;
        case 'x': {
            int hi = r + 3 < len ? hex_value(s[r + 2]) : -1;
            int lo = r + 3 < len ? hex_value(s[r + 3]) : -1;
            if (hi < 0 || lo < 0)
                return -1;
            s[w++] = (char)(hi * 16 + lo);
            r += 4;
            break;
        }
        default:
            return -1;
        }
    }
    return (long)w;
}

/* Split line (without its newline) at TABs into at most max fields, each
 * unescaped in place.  ptr[i] is NULL for `\N`.  Returns the field count. */
static size_t split(char *line, size_t len, const char **ptr, size_t *flen,
                    size_t max, unsigned long lineno)
{
    size_t n = 0, start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && line[i] != '\t')
            continue;
        if (n == max)
            die("too many fields", lineno);
        if (i - start == 2 && line[start] == '\\' && line[start + 1] == 'N') {
            ptr[n] = NULL;
            flen[n] = 0;
        } else {
            long l = unescape(line + start, i - start);
            if (l < 0)
                die("bad escape", lineno);
            ptr[n] = line + start;
            flen[n] = (size_t)l;
        }
        n++;
        start = i + 1;
    }
    return n;
}

static uint32_t number(const char *s, size_t len, unsigned long lineno)
{
    char buf[16];
    char *end;
    unsigned long long v;

    if (s == NULL || len == 0 || len >= sizeof buf)
        die("bad number", lineno);
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    v = strtoull(buf, &end, 10);
    if (errno != 0 || *end != '\0' || v > UINT32_MAX)
        die("bad number", lineno);
    return (uint32_t)v;
}

/* Names of the set bits, comma-separated, or "-". */
static void print_bits(uint32_t bits, const char *(*name)(int))
{
    int first = 1;

    for (int i = 0; i < 32; i++) {
        if (!(bits & (1u << i)))
            continue;
        const char *n = name(i);
        printf("%s%s", first ? "" : ",", n != NULL ? n : "?");
        first = 0;
    }
    if (first)
        fputs("-", stdout);
}

static const char *or_unknown(const char *name)
{
    return name != NULL ? name : "?";
}

static void print_decision(const pp_decision *d, int ret)
{
    printf("%s %s %d %lu %lu ", or_unknown(pp_outcome_name(d->outcome)),
           or_unknown(pp_reason_name(d->reason)), (int)d->rule,
           (unsigned long)d->product_id, (unsigned long)d->limited_in);
    print_bits(d->privileges, pp_privilege_name);
    putchar(' ');
    print_bits(d->advisories, pp_advisory_name);
    printf(" %s %s\n", or_unknown(pp_error_name(d->error)),
           or_unknown(pp_error_name(ret)));
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (f == NULL)
        return NULL;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void parse_device(record *r, const char **f, const size_t *fl,
                         unsigned long lineno)
{
    pp_device *d = &r->dev;

    memset(d, 0, sizeof *d);
    d->id = f[1];
    d->id_len = fl[1];
    d->platform_id = number(f[2], fl[2], lineno);
    d->sku = f[3];
    d->sku_len = fl[3];
    d->device_os = f[4];
    d->device_os_len = fl[4];
    d->cloud_product_id = number(f[5], fl[5], lineno);
    d->firmware_product_id = number(f[6], fl[6], lineno);
    d->owner = f[7];
    d->owner_len = fl[7];
    d->denied_in = number(f[8], fl[8], lineno);
    d->removed_from = number(f[9], fl[9], lineno);
    d->quarantined_in = number(f[10], fl[10], lineno);
    d->development = (int)number(f[11], fl[11], lineno);
    d->firmware_version = number(f[12], fl[12], lineno);
}

int main(int argc, char **argv)
{
    pp_policy *policy = NULL;
    pp_team *team = NULL;
    pp_error err;
    record *recs = NULL;
    size_t nrecs = 0, cap = 0;
    char *line = NULL;
    size_t linecap = 0;
    ssize_t got;
    unsigned long lineno = 0;
    size_t text_len;
    char *text;
    int rc;

    if (argc != 2) {
        fputs("usage: driver POLICY.yaml < RECORDS\n", stderr);
        return 2;
    }
    text = read_file(argv[1], &text_len);
    if (text == NULL) {
        perror(argv[1]);
        return 2;
    }
    rc = pp_policy_load(&policy, text, text_len, NULL, &err);
    free(text);
    if (rc != PP_OK) {
        printf("L %s %lu %lu %s\n", or_unknown(pp_error_name(rc)),
               (unsigned long)err.line, (unsigned long)err.column,
               err.message);
        return 0;
    }
    printf("L ok %016llx\n",
           (unsigned long long)pp_policy_fingerprint(policy));

    while ((got = getline(&line, &linecap, stdin)) > 0) {
        const char *f[D_FIELDS + 1];
        size_t fl[D_FIELDS + 1];
        size_t len = (size_t)got, n;

        lineno++;
        if (line[len - 1] == '\n')
            len--;
        n = split(line, len, f, fl, D_FIELDS + 1, lineno);
        if (n == 4 && f[0] != NULL && fl[0] == 1 && f[0][0] == 'T') {
            int role;
            if (f[1] == NULL || f[2] == NULL || f[3] == NULL)
                die("absent team field", lineno);
            role = pp_role_from_name(f[3], fl[3]);
            if (role < 0)
                die("unknown role", lineno);
            if (team == NULL && pp_team_new(&team, NULL) != PP_OK)
                die("pp_team_new failed", lineno);
            if (pp_team_add(team, f[1], fl[1], f[2], fl[2],
                            (pp_role)role) != PP_OK)
                die("pp_team_add failed", lineno);
        } else if (n == D_FIELDS + 1 && f[0] != NULL && fl[0] == 1 &&
                   f[0][0] == 'D') {
            if (nrecs == cap) {
                cap = cap ? cap * 2 : 1024;
                record *nr = realloc(recs, cap * sizeof *recs);
                if (nr == NULL)
                    die("out of memory", lineno);
                recs = nr;
            }
            /* The record points into this line: keep it, take a new one. */
            recs[nrecs].line = line;
            parse_device(&recs[nrecs], f, fl, lineno);
            nrecs++;
            line = NULL;
            linecap = 0;
        } else {
            die("expected a T line of 4 fields or a D line of 13", lineno);
        }
    }
    free(line);

    pp_decision *single = calloc(nrecs ? nrecs : 1, sizeof *single);
    pp_decision *many = calloc(nrecs ? nrecs : 1, sizeof *many);
    if (single == NULL || many == NULL)
        die("out of memory", lineno);
    int first_error = PP_OK;
    for (size_t i = 0; i < nrecs; i++) {
        int ret = pp_decide(&single[i], policy, team, &recs[i].dev);
        if (first_error == PP_OK)
            first_error = ret;
        print_decision(&single[i], ret);
    }
    fflush(stdout);

    /* The batch call must agree with the single ones, field by field. */
    int status = 0;
    pp_device none;
    memset(&none, 0, sizeof none);
    rc = pp_decide_many(many, policy, team, &none, 0);
    if (rc != PP_OK) {
        fprintf(stderr, "driver: pp_decide_many with n = 0 returned %d\n", rc);
        status = 3;
    }
    if (nrecs > 0) {
        pp_device *devs = malloc(nrecs * sizeof *devs);
        if (devs == NULL)
            die("out of memory", lineno);
        for (size_t i = 0; i < nrecs; i++)
            devs[i] = recs[i].dev;
        rc = pp_decide_many(many, policy, team, devs, nrecs);
        if (rc != first_error) {
            fprintf(stderr, "driver: pp_decide_many returned %d, the first "
                    "invalid record's code is %d\n", rc, first_error);
            status = 3;
        }
        for (size_t i = 0; i < nrecs; i++) {
            if (memcmp(&single[i], &many[i], sizeof many[i]) != 0) {
                fprintf(stderr, "driver: pp_decide_many differs from "
                        "pp_decide on record %zu\n", i);
                status = 3;
                break;
            }
        }
        free(devs);
    }

    for (size_t i = 0; i < nrecs; i++)
        free(recs[i].line);
    free(recs);
    free(single);
    free(many);
    pp_team_free(team);
    pp_policy_free(policy);
    return status;
}
