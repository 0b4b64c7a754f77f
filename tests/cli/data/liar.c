/* For explain.sh: a pp_decide that answers quarantine/rule 12 where the
 * library says auto_approve/rule 13, so ppolicy explain's check against
 * pp_decide has a disagreement to report.  Loaded with LD_PRELOAD. */
#define _GNU_SOURCE
#include <dlfcn.h>

#include "particlepolicy.h"

int pp_decide(pp_decision *out, const pp_policy *policy, const pp_team *team,
              const pp_device *device)
{
    int (*real)(pp_decision *, const pp_policy *, const pp_team *, const pp_device *) =
        (int (*)(pp_decision *, const pp_policy *, const pp_team *, const pp_device *))dlsym(
            RTLD_NEXT, "pp_decide");
    int rc = real(out, policy, team, device);
    if (out->rule == 13) {
        out->rule = 12;
        out->outcome = PP_OUTCOME_QUARANTINE;
        out->reason = PP_REASON_UNRECOGNIZED_DEVICE;
        out->privileges = 0;
        out->advisories = 0;
    }
    return rc;
}
