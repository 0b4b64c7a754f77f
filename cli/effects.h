/* What a decision writes, in ppolicy's output: the effects of a decision
 * (pp_decision.effects and the products they leave) and device records, as
 * JSON for decide, diff and replay and as text for explain and replay. */
#ifndef PPC_EFFECTS_H
#define PPC_EFFECTS_H

#include <stdint.h>

#include "particlepolicy.h"

struct ppc_out;

/* The keys after a decision's ,"effects":[names]: when set,
 * ,"leaves_denied":P and ,"leaves_quarantine":P. */
void ppc_json_leaves(struct ppc_out *out, const pp_decision *d);
/* A device record as a JSON object with every field of docs/spec.md §2
 * (platform_id null when unspecified, absent strings null). */
void ppc_json_record(struct ppc_out *out, const pp_device *r);
/* The names of the set bits of bits as text ("ota_updates, product_events"),
 * named by name(index); "none" when no bit is set. */
void ppc_text_names(struct ppc_out *out, uint32_t bits, const char *(*name)(int));
/* The effects as text: "join, leave_quarantine (leaves product 1001's
 * quarantine list)", or "none" (then nothing is left either). */
void ppc_text_effects(struct ppc_out *out, const pp_decision *d);
/* A record as text on one line: a YAML flow mapping of the fields that are
 * set, strings quoted as JSON ({id: "...", platform_id: 26, device_os:
 * "3.3.1", cloud_product_id: 1001}); a record reader reads it back. */
void ppc_text_record(struct ppc_out *out, const pp_device *r);

#endif
