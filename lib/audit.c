/* Security checks, docs/spec.md §6: pure functions over the policy and records
 * the caller passes, each finding with a stable code, a fixed severity and a
 * message.  Findings go into the caller's array; the count of all of them is
 * returned like snprintf's, so nothing allocates.  Messages never repeat the
 * subject (it is in the finding) and never a presented token. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* Indexed by pp_finding_code. */
static const pp_severity severities[] = {
    [PP_FINDING_INSECURE_TRANSPORT] = PP_SEVERITY_CRITICAL,
    [PP_FINDING_SSL_NOT_ENFORCED] = PP_SEVERITY_CRITICAL,
    [PP_FINDING_UNACCOUNTED_INTEGRATION] = PP_SEVERITY_WARNING,
    [PP_FINDING_TWO_STEP_DISABLED] = PP_SEVERITY_WARNING,
    [PP_FINDING_ORGANIZATION_LEVEL_API_USER] = PP_SEVERITY_WARNING,
    [PP_FINDING_FULL_CONTROL_HUMAN_TOKEN] = PP_SEVERITY_WARNING,
    [PP_FINDING_OWNER_ACCOUNT_TOKEN] = PP_SEVERITY_WARNING,
    [PP_FINDING_AUTO_APPROVE_ENABLED] = PP_SEVERITY_WARNING,
    [PP_FINDING_DEVICE_OS_BELOW_MINIMUM] = PP_SEVERITY_WARNING,
    [PP_FINDING_LTS_NOT_REQUIRED] = PP_SEVERITY_INFO,
    [PP_FINDING_SIM_DATA_NOTIFY] = PP_SEVERITY_INFO,
    [PP_FINDING_SIM_DATA_PAUSED] = PP_SEVERITY_WARNING,
    [PP_FINDING_CANARY_TOKEN_USED] = PP_SEVERITY_CRITICAL,
    [PP_FINDING_INVALID_RECORD] = PP_SEVERITY_WARNING,
    [PP_FINDING_AUTO_APPROVE_READMITS_DENIED] = PP_SEVERITY_WARNING,
};

#define NFINDINGS ((int)(sizeof severities / sizeof severities[0]))

int pp_finding_severity(int code)
{
    return code >= 0 && code < NFINDINGS ? (int)severities[code] : -1;
}

/* The caller's array and how many findings there are so far. */
typedef struct sink {
    pp_finding *out;
    size_t cap;
    size_t n;
} sink;

#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
static void report(sink *s, pp_finding_code code, uint32_t product_id,
                   size_t record, const char *subject, size_t subject_len,
                   const char *fmt, ...)
{
    if (s->n < s->cap) {
        pp_finding *f = &s->out[s->n];
        f->code = code;
        f->severity = severities[code];
        f->product_id = product_id;
        f->record = record > UINT32_MAX ? UINT32_MAX : (uint32_t)record;
        f->subject = subject;
        f->subject_len = subject == NULL ? 0 : subject_len;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(f->message, sizeof f->message, fmt, ap);
        va_end(ap);
    }
    s->n++;
}

/* The end of an invalid_record message for a string field: a NULL pointer
 * with a nonzero length is the caller's bug (invalid_argument), said so. */
static const char *null_with_len(const void *ptr, size_t len)
{
    return ppi_null_with_len(ptr, len) ? " (NULL with a nonzero length: invalid_argument)" : "";
}

/* ---- the policy alone ---- */

static void check_policy(sink *s, const pp_policy *p)
{
    for (uint32_t i = 0; i < p->nmembers; i++) {
        const ppi_member *m = &p->members[i];
        uint32_t product = m->team < p->norgs ? 0 : p->products[m->team - p->norgs].id;
        if (m->kind == PPI_HUMAN && !m->two_step)
            report(s, PP_FINDING_TWO_STEP_DISABLED, product, 0, m->name, m->name_len,
                   "%s member has two-step authentication off",
                   product ? "product team" : "organization");
        if (m->kind == PPI_API_USER && m->org_level)
            report(s, PP_FINDING_ORGANIZATION_LEVEL_API_USER, 0, 0, m->name, m->name_len,
                   "API user has organization-level access; grant it per product");
    }
    for (uint32_t i = 0; i < p->nproducts; i++) {
        const ppi_product *pr = &p->products[i];
        if (pr->auto_approve) {
            report(s, PP_FINDING_AUTO_APPROVE_ENABLED, pr->id, 0, pr->name, pr->name_len,
                   "product %" PRIu32 " auto-approves unrecognized devices; "
                   "quarantine is safer", pr->id);
            /* The one way back the lifecycle explorer finds (docs/lifecycle.md). */
            report(s, PP_FINDING_AUTO_APPROVE_READMITS_DENIED, pr->id, 0, pr->name,
                   pr->name_len, "product %" PRIu32 ": a denied or removed device that "
                   "runs non-product firmware once leaves the Denied list, then is "
                   "auto-approved like a newcomer", pr->id);
        }
        if (p->require_lts && !pr->require_lts)
            report(s, PP_FINDING_LTS_NOT_REQUIRED, pr->id, 0, pr->name, pr->name_len,
                   "product %" PRIu32 " does not require a Long Term Support Device OS "
                   "(settings.require_lts asks every product to)", pr->id);
    }
}

/* ---- integrations ---- */

static bool has_scheme(const char *url, size_t len, const char *scheme)
{
    size_t n = strlen(scheme);
    return len >= n && strncasecmp(url, scheme, n) == 0;
}

static void check_integrations(sink *s, const pp_policy *p,
                               const pp_integration_record *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const pp_integration_record *x = &r[i];
        if (x->url == NULL || x->url_len == 0) {
            report(s, PP_FINDING_INVALID_RECORD, x->product_id, i, NULL, 0,
                   "integration record %zu has no destination URL%s", i,
                   null_with_len(x->url, x->url_len));
            continue;
        }
        if (!has_scheme(x->url, x->url_len, "https://"))
            report(s, PP_FINDING_INSECURE_TRANSPORT, x->product_id, i, x->url, x->url_len,
                   "integration destination is not https://");
        else if (!x->enforce_ssl)
            report(s, PP_FINDING_SSL_NOT_ENFORCED, x->product_id, i, x->url, x->url_len,
                   "integration does not validate the server certificate (enforce_ssl off)");
        const ppi_product *pr = x->product_id == 0 ? NULL : ppi_product_find(p, x->product_id);
        if (pr == NULL)
            report(s, PP_FINDING_UNACCOUNTED_INTEGRATION, x->product_id, i, x->url,
                   x->url_len, "integration of product %" PRIu32 ", which the policy "
                   "does not hold", x->product_id);
        else if (!pr->has_integrations)
            report(s, PP_FINDING_UNACCOUNTED_INTEGRATION, x->product_id, i, x->url,
                   x->url_len, "product %" PRIu32 " has no approved_integrations list",
                   x->product_id);
        else if (!ppi_integration_approved(p, pr, x->url, x->url_len))
            report(s, PP_FINDING_UNACCOUNTED_INTEGRATION, x->product_id, i, x->url,
                   x->url_len, "destination is not on product %" PRIu32
                   "'s approved_integrations", x->product_id);
    }
}

/* ---- access tokens ---- */

/* Whether user is P's owner (on P's own team or P's organization's). */
static bool is_owner(const pp_policy *p, const ppi_product *pr, const char *user,
                     size_t len)
{
    uint64_t h = ppi_member_hash(p, user, len);
    const ppi_member *m = ppi_member_find(p, pr->team_seed,
                                          p->norgs + (uint32_t)(pr - p->products),
                                          user, len, h);
    if (m == NULL && pr->org != PPI_NONE)
        m = ppi_member_find(p, p->orgs[pr->org].team_seed, pr->org, user, len, h);
    return m != NULL && m->kind == PPI_HUMAN && m->role == PP_ROLE_OWNER;
}

static void check_tokens(sink *s, const pp_policy *p, const pp_token_record *r,
                         size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const pp_token_record *x = &r[i];
        if (!ppi_user_name_valid(x->owner, x->owner_len)) {
            report(s, PP_FINDING_INVALID_RECORD, x->product_id, i, NULL, 0,
                   "token record %zu has no valid owner%s", i,
                   null_with_len(x->owner, x->owner_len));
            continue;
        }
        if (x->full_control && x->human)
            report(s, PP_FINDING_FULL_CONTROL_HUMAN_TOKEN, x->product_id, i, x->owner,
                   x->owner_len, "full-control token owned by a person inherits all "
                   "of their permissions; use an API user with scopes");
        const ppi_product *pr = x->product_id == 0 ? NULL : ppi_product_find(p, x->product_id);
        if (pr != NULL && is_owner(p, pr, x->owner, x->owner_len))
            report(s, PP_FINDING_OWNER_ACCOUNT_TOKEN, x->product_id, i, x->owner,
                   x->owner_len, "token belongs to the owner of product %" PRIu32
                   "; keep the owner account for owner tasks only", x->product_id);
    }
}

/* ---- SIM data ---- */

/* usage >= limit * percent / 100, without overflow. */
static pp_sim_state sim_state(uint64_t usage, uint64_t limit, uint32_t percent)
{
    if (usage >= limit)
        return PP_SIM_PAUSED;
    uint64_t q = limit / 100, r = limit % 100;
    uint64_t base = q * percent + r * percent / 100;
    uint64_t threshold = base + (r * percent % 100 != 0);
    return usage >= threshold ? PP_SIM_NOTIFY : PP_SIM_ACTIVE;
}

int pp_sim_state_of(int32_t *state, const pp_policy *p, uint64_t usage,
                    uint64_t limit)
{
    if (state == NULL || p == NULL) {
        if (state != NULL)
            *state = PP_SIM_PAUSED;  /* fail closed */
        return PP_ERR_INVALID_ARGUMENT;
    }
    *state = sim_state(usage, limit, p->sim_notify_percent);
    return PP_OK;
}

static void check_sims(sink *s, const pp_policy *p, const pp_sim_record *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const pp_sim_record *x = &r[i];
        if (x->iccid == NULL || x->iccid_len == 0) {
            report(s, PP_FINDING_INVALID_RECORD, 0, i, NULL, 0,
                   "SIM record %zu has no ICCID%s", i,
                   null_with_len(x->iccid, x->iccid_len));
            continue;
        }
        pp_sim_state st = sim_state(x->usage_bytes, x->limit_bytes, p->sim_notify_percent);
        if (st == PP_SIM_PAUSED)
            report(s, PP_FINDING_SIM_DATA_PAUSED, 0, i, x->iccid, x->iccid_len,
                   "SIM used %" PRIu64 " of its %" PRIu64 " byte limit: paused",
                   x->usage_bytes, x->limit_bytes);
        else if (st == PP_SIM_NOTIFY)
            report(s, PP_FINDING_SIM_DATA_NOTIFY, 0, i, x->iccid, x->iccid_len,
                   "SIM used %" PRIu64 " of its %" PRIu64 " byte limit (notify at %"
                   PRIu32 "%%)", x->usage_bytes, x->limit_bytes, p->sim_notify_percent);
    }
}

/* ---- devices ---- */

static void check_devices(sink *s, const pp_policy *p, const pp_device *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        pp_decision dec;
        int rc = pp_decide(&dec, p, NULL, &d[i]);
        if (rc != PP_OK)
            report(s, PP_FINDING_INVALID_RECORD, 0, i, d[i].id, d[i].id_len,
                   "device record %zu is invalid: %s", i, pp_error_name(rc));
        else if (dec.advisories & PP_ADVISORY_DEVICE_OS_BELOW_MINIMUM)
            report(s, PP_FINDING_DEVICE_OS_BELOW_MINIMUM, dec.product_id, i, d[i].id,
                   d[i].id_len, "device runs a Device OS below product %" PRIu32
                   "'s min_device_os", dec.product_id);
    }
}

/* ---- canary tokens ---- */

uint64_t pp_canary_fingerprint(const char *token, size_t len)
{
    if (ppi_null_with_len(token, len))
        return 0;
    return ppi_hash_bytes(token == NULL ? "" : token, len);
}

/* One finding per canary of the fingerprint, in policy order. */
static void check_canary(sink *s, const pp_policy *p, uint64_t fingerprint)
{
    for (uint32_t i = ppi_canary_first(p, fingerprint); i != PPI_NONE; i = p->canary_next[i]) {
        const ppi_org *org = &p->orgs[p->canary_org[i]];
        report(s, PP_FINDING_CANARY_TOKEN_USED, 0, 0, org->name, org->name_len,
               "a decoy token of this organization was presented: "
               "someone has read the firmware or configuration it was planted in");
    }
}

/* ---- public entry points ---- */

/* Common argument checks: Returns PP_OK and a ready sink, or the error with
 * *total = 0. */
static int start(sink *s, size_t *total, pp_finding *out, size_t cap,
                 const pp_policy *p, const void *records, size_t n)
{
    if (total != NULL)
        *total = 0;
    if (total == NULL || p == NULL || (out == NULL && cap > 0) ||
        (records == NULL && n > 0))
        return PP_ERR_INVALID_ARGUMENT;
    *s = (sink){ out, cap, 0 };
    return PP_OK;
}

int pp_check_policy(size_t *total, pp_finding *out, size_t cap, const pp_policy *p)
{
    sink s;
    int rc = start(&s, total, out, cap, p, NULL, 0);
    if (rc == PP_OK) {
        check_policy(&s, p);
        *total = s.n;
    }
    return rc;
}

int pp_check_integrations(size_t *total, pp_finding *out, size_t cap,
                          const pp_policy *p, const pp_integration_record *r, size_t n)
{
    sink s;
    int rc = start(&s, total, out, cap, p, r, n);
    if (rc == PP_OK) {
        check_integrations(&s, p, r, n);
        *total = s.n;
    }
    return rc;
}

int pp_check_tokens(size_t *total, pp_finding *out, size_t cap, const pp_policy *p,
                    const pp_token_record *r, size_t n)
{
    sink s;
    int rc = start(&s, total, out, cap, p, r, n);
    if (rc == PP_OK) {
        check_tokens(&s, p, r, n);
        *total = s.n;
    }
    return rc;
}

int pp_check_sims(size_t *total, pp_finding *out, size_t cap, const pp_policy *p,
                  const pp_sim_record *r, size_t n)
{
    sink s;
    int rc = start(&s, total, out, cap, p, r, n);
    if (rc == PP_OK) {
        check_sims(&s, p, r, n);
        *total = s.n;
    }
    return rc;
}

int pp_check_devices(size_t *total, pp_finding *out, size_t cap, const pp_policy *p,
                     const pp_device *d, size_t n)
{
    sink s;
    int rc = start(&s, total, out, cap, p, d, n);
    if (rc == PP_OK) {
        check_devices(&s, p, d, n);
        *total = s.n;
    }
    return rc;
}

int pp_check_token(size_t *total, pp_finding *out, size_t cap, const pp_policy *p,
                   const char *token, size_t len)
{
    sink s;
    int rc = start(&s, total, out, cap, p, token, len);
    if (rc == PP_OK && len == 0)
        rc = PP_ERR_INVALID_ARGUMENT;  /* nothing was presented */
    if (rc == PP_OK) {
        check_canary(&s, p, pp_canary_fingerprint(token, len));
        *total = s.n;
    }
    return rc;
}

int pp_audit(size_t *total, pp_finding *out, size_t cap, const pp_policy *p,
             const pp_audit_input *in)
{
    sink s;
    int rc = start(&s, total, out, cap, p, NULL, 0);
    if (rc == PP_OK && in != NULL &&
        ((in->integrations == NULL && in->n_integrations > 0) ||
         (in->tokens == NULL && in->n_tokens > 0) || (in->sims == NULL && in->n_sims > 0) ||
         (in->devices == NULL && in->n_devices > 0)))
        rc = PP_ERR_INVALID_ARGUMENT;
    if (rc != PP_OK)
        return rc;
    check_policy(&s, p);
    if (in != NULL) {
        check_integrations(&s, p, in->integrations, in->n_integrations);
        check_tokens(&s, p, in->tokens, in->n_tokens);
        check_sims(&s, p, in->sims, in->n_sims);
        check_devices(&s, p, in->devices, in->n_devices);
    }
    *total = s.n;
    return PP_OK;
}
