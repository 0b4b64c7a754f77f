/*
 * Fuzz target: the security checks over structured caller records
 * (integrations, tokens, SIMs, devices) and a presented token.  Checks that
 * the two-call protocol (count, then fetch) agrees, that pp_audit is the
 * concatenation of the single checks, and that every finding is named, has
 * its fixed severity and a subject inside the policy or the records.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 6
#define MAX_FINDINGS 256

static void check_findings(const pp_finding *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (pp_finding_name(f[i].code) == NULL || f[i].severity != pp_finding_severity(f[i].code))
            fuzz_fail("audit: unnamed finding or wrong severity");
        if (memchr(f[i].message, '\0', sizeof f[i].message) == NULL)
            fuzz_fail("audit: message not terminated");
        if (f[i].subject == NULL && f[i].subject_len != 0)
            fuzz_fail("audit: NULL subject with a length");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const pp_policy *policy = fuzz_policy();
    fuzz_bytes b = { data, size };
    pp_integration_record integrations[MAX_RECORDS];
    pp_token_record tokens[MAX_RECORDS];
    pp_sim_record sims[MAX_RECORDS];
    pp_device devices[MAX_RECORDS];
    pp_audit_input in = { integrations, fuzz_u8(&b) % (MAX_RECORDS + 1),
                          tokens, fuzz_u8(&b) % (MAX_RECORDS + 1),
                          sims, fuzz_u8(&b) % (MAX_RECORDS + 1),
                          devices, fuzz_u8(&b) % (MAX_RECORDS + 1) };
    for (size_t i = 0; i < in.n_integrations; i++) {
        integrations[i].product_id = fuzz_u32(&b);
        integrations[i].url = fuzz_str(&b, &integrations[i].url_len);
        integrations[i].enforce_ssl = fuzz_u8(&b) & 1;
    }
    for (size_t i = 0; i < in.n_tokens; i++) {
        tokens[i].product_id = fuzz_u32(&b);
        tokens[i].owner = fuzz_str(&b, &tokens[i].owner_len);
        uint8_t bits = fuzz_u8(&b);
        tokens[i].full_control = bits & 1;
        tokens[i].human = bits >> 1 & 1;
    }
    for (size_t i = 0; i < in.n_sims; i++) {
        sims[i].iccid = fuzz_str(&b, &sims[i].iccid_len);
        sims[i].usage_bytes = (uint64_t)fuzz_u32(&b) << (fuzz_u8(&b) % 33);
        sims[i].limit_bytes = (uint64_t)fuzz_u32(&b) << (fuzz_u8(&b) % 33);
        int32_t state = -1;
        if (pp_sim_state_of(&state, policy, sims[i].usage_bytes, sims[i].limit_bytes) != PP_OK ||
            pp_sim_state_name(state) == NULL)
            fuzz_fail("sim_state_of: no state");
        if (sims[i].usage_bytes >= sims[i].limit_bytes && state != PP_SIM_PAUSED)
            fuzz_fail("sim_state_of: at the limit but not paused");
    }
    for (size_t i = 0; i < in.n_devices; i++)
        fuzz_device(&b, &devices[i]);

    pp_finding *all = malloc(MAX_FINDINGS * sizeof *all);
    if (all == NULL)
        fuzz_fail("audit: cannot allocate");
    size_t total = 0, again = 0;
    if (pp_audit(&total, NULL, 0, policy, &in) != PP_OK)
        fuzz_fail("audit: failed on valid arguments");
    size_t cap = total < MAX_FINDINGS ? total : MAX_FINDINGS;
    if (pp_audit(&again, all, cap, policy, &in) != PP_OK || again != total)
        fuzz_fail("audit: counting and fetching disagree");
    check_findings(all, cap);

    /* pp_audit is the single checks in order. */
    size_t sum = 0, part = 0;
    pp_check_policy(&part, NULL, 0, policy);
    sum += part;
    pp_check_integrations(&part, NULL, 0, policy, in.integrations, in.n_integrations);
    sum += part;
    pp_check_tokens(&part, NULL, 0, policy, in.tokens, in.n_tokens);
    sum += part;
    pp_check_sims(&part, NULL, 0, policy, in.sims, in.n_sims);
    sum += part;
    pp_check_devices(&part, NULL, 0, policy, in.devices, in.n_devices);
    sum += part;
    if (sum != total)
        fuzz_fail("audit: not the sum of the single checks");

    /* What is left is a presented token. */
    const char *token = (const char *)b.p;
    int rc = pp_check_token(&total, all, MAX_FINDINGS, policy, token, b.n);
    if (b.n == 0 ? rc != PP_ERR_INVALID_ARGUMENT || total != 0 : rc != PP_OK || total > 1)
        fuzz_fail("check_token: wrong answer for an empty token, or two canaries for one");
    check_findings(all, total);
    if (total == 1 && pp_canary_fingerprint(token, b.n) != 0x5f1b6e0d2c3a4b59u)
        fuzz_fail("check_token: canary reported for another fingerprint");
    free(all);
    return 0;
}
