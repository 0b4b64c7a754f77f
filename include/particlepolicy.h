/*
 * libparticlepolicy: which devices belong to which product, with which
 * privileges.  See docs/api.md for a guided tour and docs/decisions.md for
 * the decision table this API implements.
 *
 * Conventions (the whole header follows them):
 *  - Every exported name starts with pp_ / PP_.
 *  - Functions that can fail return int: PP_OK (0) or a negative pp_error
 *    code.  Out-parameters come first.
 *  - An object returned through `**out` belongs to the caller, who frees it
 *    with the matching _free function.  Every _free accepts NULL.
 *  - Strings are passed as (pointer, length) pairs and are not required to be
 *    NUL-terminated; a NULL pointer with length 0 means "absent".  A NULL
 *    pointer with a nonzero length is a caller's bug, never "absent": every
 *    function answers it with PP_ERR_INVALID_ARGUMENT (pp_decide with its
 *    fail-closed deny, a security check's record with an invalid_record
 *    finding; the few functions that return a value say what they return).
 *    The same holds for arrays given as (pointer, count).  The library never
 *    keeps a pointer to caller memory after a call returns.
 *  - Name functions return static strings, or NULL for an unknown value, so a
 *    binding can enumerate every value by counting up from 0 (or down from -1
 *    for error codes) until NULL.
 *  - No I/O, no global mutable state, no thread-local state.  A compiled
 *    policy is immutable and may be used from any number of threads at once.
 *  - Every struct a caller fills has an initialiser, PP_<NAME>_INIT, that
 *    leaves each field absent, unspecified or 0: `pp_device d =
 *    PP_DEVICE_INIT;`, then set what is known.  (A pp_device zeroed some
 *    other way says platform 0, the Core.)  The initialisers are plain
 *    positional braces, valid C99 and C++11.
 */
#ifndef PARTICLEPOLICY_H
#define PARTICLEPOLICY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PP_BUILDING_LIBRARY) && defined(__GNUC__)
#define PP_API __attribute__((visibility("default")))
#else
#define PP_API
#endif

/* ------------------------------------------------------------------ */
/* Versions                                                            */
/* ------------------------------------------------------------------ */

#define PP_VERSION_MAJOR 0
#define PP_VERSION_MINOR 1
#define PP_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, comparable with pp_version_number(). */
#define PP_VERSION_NUMBER \
    (PP_VERSION_MAJOR * 10000 + PP_VERSION_MINOR * 100 + PP_VERSION_PATCH)

/* The version of the library actually linked (compare with PP_VERSION_NUMBER
 * to detect a header/library mismatch). */
PP_API unsigned pp_version_number(void);
/* "MAJOR.MINOR.PATCH"; static storage. */
PP_API const char *pp_version_string(void);

/* ------------------------------------------------------------------ */
/* Opaque types                                                        */
/* ------------------------------------------------------------------ */

/* A compiled, immutable policy.  Thread-safe for every read. */
typedef struct pp_policy pp_policy;
/* A caller-built set of team memberships (organization, user, role). */
typedef struct pp_team pp_team;

/* ------------------------------------------------------------------ */
/* Error codes (stable; never renumbered)                              */
/* ------------------------------------------------------------------ */

typedef enum pp_error_code {
    PP_OK = 0,
    PP_ERR_NOMEM = -1,              /* "out_of_memory" */
    PP_ERR_INVALID_ARGUMENT = -2,   /* "invalid_argument": NULL or bad argument */
    PP_ERR_YAML = -3,               /* "yaml_syntax": libyaml rejected the text */
    PP_ERR_LIMIT = -4,              /* "limit_exceeded": a pp_load_options limit,
                                       or keys that no hash seed spreads */
    PP_ERR_SCHEMA_VERSION = -5,     /* "unsupported_schema_version" */
    PP_ERR_UNKNOWN_KEY = -6,        /* "unknown_key" */
    PP_ERR_MISSING_KEY = -7,        /* "missing_key" */
    PP_ERR_WRONG_TYPE = -8,         /* "wrong_type" */
    PP_ERR_INVALID_VALUE = -9,      /* "invalid_value" */
    PP_ERR_OUT_OF_RANGE = -10,      /* "out_of_range" */
    PP_ERR_DUPLICATE = -11,         /* "duplicate" */
    PP_ERR_UNKNOWN_FAMILY = -12,    /* "unknown_family" */
    PP_ERR_UNKNOWN_NAME = -13,      /* "unknown_name": organization, platform */
    PP_ERR_INVALID_VERSION = -14,   /* "invalid_version": not semver 2.0 */
    /* Device record errors: returned by pp_decide with an invalid_input
     * decision. */
    PP_ERR_DEVICE_ID = -15,         /* "invalid_device_id" */
    PP_ERR_DEVICE_OS = -16,         /* "invalid_device_os" */
    PP_ERR_SKU = -17,               /* "invalid_sku" */
    PP_ERR_OWNER = -18,             /* "invalid_owner" */
    PP_ERR_FIRMWARE_VERSION = -19,  /* "invalid_firmware_version" */
    PP_ERR_PLATFORM = -20           /* "invalid_platform" */
} pp_error_code;

/* Stable snake_case name of an error code, or NULL if unknown. */
PP_API const char *pp_error_name(int code);
/* One-sentence English description of an error code, or NULL if unknown. */
PP_API const char *pp_error_text(int code);

#define PP_ERROR_MESSAGE_SIZE 256

/* Caller-owned error record, filled by functions that take one (may be NULL).
 * line and column are 1-based (0 when the error has no position); offset is
 * the 0-based byte offset into the input.  message is NUL-terminated and
 * names the problem precisely, with a did-you-mean hint where one helps. */
typedef struct pp_error {
    int code;
    uint32_t line;
    uint32_t column;
    size_t offset;
    char message[PP_ERROR_MESSAGE_SIZE];
} pp_error;

/* ------------------------------------------------------------------ */
/* Lifecycle and loading                                               */
/* ------------------------------------------------------------------ */

/* Allocator hook.  alloc returns NULL on failure; free accepts NULL.  Set
 * both alloc and free, or neither (then malloc/free are used, and a load's
 * temporary memory is pages mapped from the system, returned when the load
 * ends); half a hook is PP_ERR_INVALID_ARGUMENT.  Note: libyaml's own scratch
 * allocations during parsing do not go through this hook. */
typedef struct pp_allocator {
    void *(*alloc)(void *opaque, size_t size);
    void (*free)(void *opaque, void *ptr);
    void *opaque;
} pp_allocator;

/* No hook: malloc and free. */
#define PP_ALLOCATOR_INIT { NULL, NULL, NULL }

#define PP_LOAD_OPTIONS_VERSION 1

/* Limits for untrusted policy text.  A zero field means "use the default"
 * (given beside each field).  Initialise with PP_LOAD_OPTIONS_INIT. */
typedef struct pp_load_options {
    unsigned version;         /* PP_LOAD_OPTIONS_VERSION */
    size_t max_input_bytes;   /* default 16 MiB */
    uint32_t max_depth;       /* nesting of collections; default 32 */
    uint32_t max_aliases;     /* alias (*ref) uses; default 64 */
    uint32_t max_nodes;       /* YAML nodes, counting alias expansion; default 8,000,000 */
    uint32_t max_products;    /* default 100,000 */
    uint32_t max_members;     /* members + API users, all teams; default 1,000,000 */
    pp_allocator allocator;   /* used for the policy's whole lifetime */
} pp_load_options;

#define PP_LOAD_OPTIONS_INIT \
    { PP_LOAD_OPTIONS_VERSION, 0, 0, 0, 0, 0, 0, PP_ALLOCATOR_INIT }

/* Compile a policy from YAML text (schema version 1, docs/policy-format.md).
 * text need not be NUL-terminated and is not referenced after the call.
 * options may be NULL for defaults.  err may be NULL.
 * On success *out is a new policy the caller frees with pp_policy_free.
 * On failure *out is NULL, nothing is left allocated, and err holds the code,
 * position and message. */
PP_API int pp_policy_load(pp_policy **out, const char *text, size_t len,
                          const pp_load_options *options, pp_error *err);

/* The most errors pp_policy_validate reports; the run stops there. */
#define PP_VALIDATE_MAX_ERRORS 100

/* Check policy text as pp_policy_load does, but report every schema error it
 * finds in one run rather than the first (for `ppolicy validate`).  After a
 * schema error the offending node is skipped and the rest is read.  A YAML
 * syntax error, a limit, an unsupported schema version or running out of
 * memory ends the run; so does the PP_VALIDATE_MAX_ERRORS-th error.
 * Writes up to cap errors into errors (which may be NULL when cap is 0), in
 * source order, each as pp_policy_load would fill its record: code, 1-based
 * line and column, offset, message.  Sets *total to the number found, which
 * may exceed cap.  Returns PP_OK when the text loads (*total is 0), else the
 * code of the first error found, which is what pp_policy_load returns for the
 * same text and options (its error is one of those reported, though not
 * always the first in source order: organizations are read before products
 * wherever they are, and duplicate product IDs and team members last).
 * Invalid arguments (total NULL, errors NULL with cap > 0, the cases
 * pp_policy_load refuses) return PP_ERR_INVALID_ARGUMENT, reported as one
 * error when total and errors allow.  Builds no policy; leaves nothing
 * allocated; allocates through options' allocator like a load. */
PP_API int pp_policy_validate(size_t *total, pp_error *errors, size_t cap,
                              const char *text, size_t len,
                              const pp_load_options *options);

/* Take one more reference to policy (atomic; any thread).  Returns policy. */
PP_API pp_policy *pp_policy_retain(pp_policy *policy);
/* Drop one reference; the last one frees the policy.  NULL is a no-op. */
PP_API void pp_policy_free(pp_policy *policy);

/* 64-bit xxhash of the policy's canonical form: equal for texts that differ
 * only in key order, list order of unordered sets, comments or formatting;
 * different when any rule differs.  Stamp it on audit logs. */
PP_API uint64_t pp_policy_fingerprint(const pp_policy *policy);

/* ------------------------------------------------------------------ */
/* Reading a compiled policy (for tools that explain decisions)        */
/* ------------------------------------------------------------------ */

/* A product as compiled.  String pointers belong to the policy and stay
 * valid while the caller holds a reference to it; they are NUL-terminated. */
typedef struct pp_product_info {
    uint32_t id;
    const char *name;
    const char *organization;   /* NULL when the product has none */
    int32_t family;             /* index for pp_family_name */
    int32_t auto_approve;       /* 1: unrecognized_devices: auto_approve */
    int32_t removed_quarantine; /* 1: removed_devices: quarantine */
    uint32_t released_firmware; /* 0 = none */
    const char *min_device_os;  /* NULL = none */
} pp_product_info;

/* Number of products in the policy. */
PP_API size_t pp_policy_product_count(const pp_policy *policy);
/* Product by position (0 .. count-1, in no particular order) or by ID.
 * Return PP_ERR_INVALID_ARGUMENT for a bad position, PP_ERR_UNKNOWN_NAME
 * for an ID the policy does not hold. */
PP_API int pp_policy_product_at(pp_product_info *out, const pp_policy *policy,
                                size_t index);
PP_API int pp_policy_product(pp_product_info *out, const pp_policy *policy,
                             uint32_t product_id);
/* The Device OS version below which devices are legacy (the policy's
 * settings.legacy_device_os_below); owned by the policy. */
PP_API const char *pp_policy_legacy_below(const pp_policy *policy);

/* A platform of the policy's table (built-in plus the policy's own). */
typedef struct pp_platform_info {
    uint32_t id;
    const char *name;
    int32_t product_eligible;   /* 1 when a product may hold it */
    int32_t family;             /* family index, or -1 when the SKU decides */
} pp_platform_info;

/* A SKU prefix of the policy's table. */
typedef struct pp_sku_info {
    const char *prefix;
    uint32_t platform_id;
    int32_t family;             /* family index, or -1 (not product-eligible) */
} pp_sku_info;

/* Entries by position; PP_ERR_INVALID_ARGUMENT past the end. */
PP_API int pp_policy_platform_at(pp_platform_info *out,
                                 const pp_policy *policy, size_t index);
PP_API int pp_policy_sku_at(pp_sku_info *out, const pp_policy *policy,
                            size_t index);

/* ------------------------------------------------------------------ */
/* Vocabulary: outcomes, reasons, privileges, advisories, roles        */
/* ------------------------------------------------------------------ */

typedef enum pp_outcome {
    PP_OUTCOME_OK = 0,                 /* "ok" */
    PP_OUTCOME_LIMITED = 1,            /* "limited" */
    PP_OUTCOME_QUARANTINE = 2,         /* "quarantine" */
    PP_OUTCOME_AUTO_APPROVE = 3,       /* "auto_approve" */
    PP_OUTCOME_DENY = 4,               /* "deny" */
    PP_OUTCOME_REAPPEAR_AS_DENIED = 5  /* "reappear_as_denied" */
} pp_outcome;

typedef enum pp_reason {
    /* Admission decision: the value is the rule's reason, see decisions.md */
    PP_REASON_INVALID_INPUT = 0,                 /* rule 0 */
    PP_REASON_NOT_A_PRODUCT_DEVICE = 1,          /* rule 1 */
    PP_REASON_UNKNOWN_PRODUCT = 2,               /* rule 2 */
    PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE = 3, /* rule 3 */
    PP_REASON_INCOMPATIBLE_PLATFORM = 4,         /* rule 4 */
    PP_REASON_SKU_REQUIRED = 5,                  /* rule 4 */
    PP_REASON_DENIED_LIST = 6,                   /* rules 5 and 8 */
    PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT = 7,   /* rule 6 */
    PP_REASON_MEMBER = 8,                        /* rule 7 */
    PP_REASON_REMOVED_FROM_PRODUCT = 9,          /* rule 9 */
    PP_REASON_NOT_PRE_ADDED = 10,                /* rule 10 */
    PP_REASON_MEMBER_OF_OTHER_PRODUCT = 11,      /* rule 11 */
    PP_REASON_UNRECOGNIZED_DEVICE = 12,          /* rule 12 */
    PP_REASON_UNOWNED = 13,                      /* rule 13 */
    PP_REASON_OWNER_IS_TEAM_MEMBER = 14,         /* rule 14 */
    PP_REASON_OWNER_NOT_TEAM_MEMBER = 15,        /* rule 15 */
    /* Family questions (pp_may_join, pp_may_share) */
    PP_REASON_SAME_FAMILY = 16,                  /* "same_family" */
    PP_REASON_DIFFERENT_FAMILIES = 17            /* "different_families" */
} pp_reason;

/* Privileges are bits: PP_PRIVILEGE_x = 1u << index; names by index. */
#define PP_PRIVILEGE_OTA_UPDATES      (1u << 0)  /* "ota_updates" */
#define PP_PRIVILEGE_PRODUCT_EVENTS   (1u << 1)  /* "product_events" */
#define PP_PRIVILEGE_CUSTOMER_CLAIM   (1u << 2)  /* "customer_claim" */
#define PP_PRIVILEGE_PRODUCT_WEBHOOKS (1u << 3)  /* "product_webhooks" */
#define PP_PRIVILEGES_ALL             0xFu

/* Advisories are bits beside the outcome; they never change it. */
#define PP_ADVISORY_OTA_UPDATE_PENDING      (1u << 0) /* "ota_update_pending" */
#define PP_ADVISORY_DEVELOPMENT_DEVICE      (1u << 1) /* "development_device" */
#define PP_ADVISORY_DEVICE_OS_BELOW_MINIMUM (1u << 2) /* "device_os_below_minimum" */
#define PP_ADVISORY_LEAVES_DENIED_LIST      (1u << 3) /* "leaves_denied_list" */
#define PP_ADVISORY_LEAVES_QUARANTINE       (1u << 4) /* "leaves_quarantine" */

typedef enum pp_role {
    PP_ROLE_VIEW_ONLY = 0,      /* "view_only" */
    PP_ROLE_SUPPORT = 1,        /* "support" */
    PP_ROLE_DEVELOPER = 2,      /* "developer" */
    PP_ROLE_ADMINISTRATOR = 3,  /* "administrator" */
    PP_ROLE_OWNER = 4           /* "owner" */
} pp_role;

/* Stable names (the library's spelling), or NULL for an unknown value. */
PP_API const char *pp_outcome_name(int outcome);
PP_API const char *pp_reason_name(int reason);
PP_API const char *pp_privilege_name(int bit_index);
PP_API const char *pp_advisory_name(int bit_index);
PP_API const char *pp_role_name(int role);
/* Inverse lookups: the value for a name, or -1 when the name is unknown
 * (PP_ERR_INVALID_ARGUMENT for NULL with len != 0: test for < 0). */
PP_API int pp_outcome_from_name(const char *name, size_t len);
PP_API int pp_reason_from_name(const char *name, size_t len);
PP_API int pp_role_from_name(const char *name, size_t len);

/* ------------------------------------------------------------------ */
/* Device records and the admission decision (docs/spec.md §3)         */
/* ------------------------------------------------------------------ */

/* platform_id value meaning "not given": the platform is then taken from the
 * SKU, and a record with neither is invalid. */
#define PP_PLATFORM_UNSPECIFIED UINT32_MAX

/* A device record, owned by the caller.  Initialise with PP_DEVICE_INIT,
 * then fill.  Strings are (pointer, length); a NULL pointer with length 0
 * means absent, NULL with a nonzero length is PP_ERR_INVALID_ARGUMENT
 * (rule 0). */
typedef struct pp_device {
    const char *id;            /* required: 24 hex digits, any case */
    size_t id_len;
    const char *device_os;     /* required: semver 2.0, optional leading 'v' */
    size_t device_os_len;
    const char *sku;           /* optional: model SKU, e.g. "B524MEA" */
    size_t sku_len;
    const char *owner;         /* optional: claiming user; absent = unowned */
    size_t owner_len;
    uint32_t platform_id;      /* platform table ID, or PP_PLATFORM_UNSPECIFIED */
    uint32_t cloud_product_id; /* C: 0 = none */
    uint32_t firmware_product_id; /* F: 0 = none */
    uint32_t denied_in;        /* 0 = none */
    uint32_t removed_from;     /* 0 = none */
    uint32_t quarantined_in;   /* 0 = none */
    uint32_t firmware_version; /* PRODUCT_VERSION 1..65535; 0 = none */
    int development;           /* nonzero: a development device */
} pp_device;

/* Nothing known: platform PP_PLATFORM_UNSPECIFIED, every string absent, every
 * number 0.  A record needs at least id, device_os and a platform or SKU. */
#define PP_DEVICE_INIT \
    { NULL, 0, NULL, 0, NULL, 0, NULL, 0, PP_PLATFORM_UNSPECIFIED, 0, 0, 0, 0, 0, 0, 0 }

/* The answer.  Every field is set by every call, also on error. */
typedef struct pp_decision {
    int32_t outcome;       /* pp_outcome */
    int32_t reason;        /* pp_reason */
    int32_t rule;          /* 0..15: the decision-table row that decided */
    int32_t error;         /* PP_OK, or the pp_error_code of invalid input */
    uint32_t product_id;   /* P, the product in question (0 = none) */
    uint32_t limited_in;   /* C when the device holds `limited` privileges in
                              its cloud product C != P; else 0 */
    uint32_t privileges;   /* PP_PRIVILEGE_* bits */
    uint32_t advisories;   /* PP_ADVISORY_* bits */
    uint32_t effects;      /* PP_EFFECT_* bits: the record changes the cloud
                              must make ("Device lifecycle" below); 0: none.
                              join, enter_quarantine and enter_denied_list
                              concern product_id */
    uint32_t leaves_denied;     /* leave_denied_list: the product whose Denied
                                   list the device leaves; else 0 */
    uint32_t leaves_quarantine; /* leave_quarantine: the product whose
                                   quarantine list it leaves; else 0 */
} pp_decision;

/* A decision not made yet (for a caller that builds one to pass to
 * pp_apply_effects): a fail-closed deny that grants and writes nothing. */
#define PP_DECISION_INIT \
    { PP_OUTCOME_DENY, PP_REASON_INVALID_INPUT, 0, PP_ERR_INVALID_ARGUMENT, 0, 0, 0, 0, 0, 0, 0 }

/* Decide admission for one device.  team may be NULL; when given, its
 * memberships count as team memberships for rule 14 in addition to the
 * policy's own.  Never allocates, never fails open: on invalid input returns
 * the error code and fills *out with deny / invalid_input / rule 0 and no
 * privileges.  policy, device and out must not be NULL (if they are, returns
 * PP_ERR_INVALID_ARGUMENT and, when out is not NULL, the same deny). */
PP_API int pp_decide(pp_decision *out, const pp_policy *policy,
                     const pp_team *team, const pp_device *device);

/* Decide n devices; out has room for n decisions.  Returns PP_OK when every
 * record was valid, else the error code of the first invalid record (each
 * decision carries its own error field). */
PP_API int pp_decide_many(pp_decision *out, const pp_policy *policy,
                          const pp_team *team, const pp_device *devices,
                          size_t n);

/* Whether a device OS version counts as legacy (reports its firmware product
 * ID; quarantine and auto-approve apply) under this policy's threshold.
 * Returns 1 legacy, 0 not, or a negative error for an invalid version
 * (PP_ERR_INVALID_ARGUMENT for a NULL device_os). */
PP_API int pp_is_legacy(const pp_policy *policy, const char *device_os,
                        size_t len);

/* Compare two semver 2.0 versions by precedence (build metadata ignored,
 * optional leading 'v').  Sets *cmp to -1, 0 or 1.  Returns PP_OK,
 * PP_ERR_INVALID_VERSION, or PP_ERR_INVALID_ARGUMENT for NULL with a nonzero
 * length (*cmp is then 0). */
PP_API int pp_version_compare(int *cmp, const char *a, size_t a_len,
                              const char *b, size_t b_len);

/* ------------------------------------------------------------------ */
/* Team sets built at run time                                         */
/* ------------------------------------------------------------------ */

/* New empty team set.  allocator may be NULL (malloc/free). */
PP_API int pp_team_new(pp_team **out, const pp_allocator *allocator);
/* Record that user belongs to organization with role.  Adding the same
 * (organization, user) again updates the role.  Not safe concurrently with
 * decisions that use this team set; build first, then share read-only.
 * PP_ERR_LIMIT (the set unchanged) for a name whose key clusters with the
 * others under every hash seed, which only names built for it do: lookups
 * stay O(1) whatever names a caller's users pick. */
PP_API int pp_team_add(pp_team *team, const char *organization,
                       size_t organization_len, const char *user,
                       size_t user_len, pp_role role);
/* Number of memberships in the set. */
PP_API size_t pp_team_size(const pp_team *team);
PP_API void pp_team_free(pp_team *team);

/* ------------------------------------------------------------------ */
/* Device families (docs/spec.md §5)                                   */
/* ------------------------------------------------------------------ */

/* A device model: a platform ID and/or a SKU. */
typedef struct pp_model {
    uint32_t platform_id;  /* or PP_PLATFORM_UNSPECIFIED to go by SKU alone */
    const char *sku;       /* optional */
    size_t sku_len;
} pp_model;

/* Platform unspecified, no SKU: set one or both. */
#define PP_MODEL_INIT { PP_PLATFORM_UNSPECIFIED, NULL, 0 }

/* The answer to a family question. */
typedef struct pp_verdict {
    int32_t allowed;   /* 1 yes, 0 no */
    int32_t reason;    /* pp_reason: same_family, different_families,
                          unknown_product, platform_not_product_eligible,
                          incompatible_platform, sku_required */
    int32_t family_a;  /* family index of the (first) model, or -1 */
    int32_t family_b;  /* family index of the product / second model, or -1 */
} pp_verdict;

/* May a device of this model join product product_id (docs/spec.md §3,
 * rules 2-4)? */
PP_API int pp_may_join(pp_verdict *out, const pp_policy *policy,
                       uint32_t product_id, const pp_model *model);
/* May devices of models a and b share one product? */
PP_API int pp_may_share(pp_verdict *out, const pp_policy *policy,
                        const pp_model *a, const pp_model *b);
/* The policy's families (built-in plus extensions), by index: name, or NULL
 * past the end. */
PP_API const char *pp_family_name(const pp_policy *policy, int index);

/* ------------------------------------------------------------------ */
/* Operator authorization (docs/spec.md §4, docs/authorization.md)     */
/* ------------------------------------------------------------------ */

/* What an operator wants to do.  Each action has one minimum role and the
 * API scopes that grant it (pp_action_min_role, pp_action_scope). */
typedef enum pp_action {
    PP_ACTION_VIEW_DEVICES = 0,         /* "view_devices" */
    PP_ACTION_CALL_FUNCTION = 1,        /* "call_function" (also variables, ping) */
    PP_ACTION_CHANGE_SIM = 2,           /* "change_sim" (state or data limit) */
    PP_ACTION_ADD_DEVICE = 3,           /* "add_device" */
    PP_ACTION_APPROVE_QUARANTINED = 4,  /* "approve_quarantined" */
    PP_ACTION_DENY_QUARANTINED = 5,     /* "deny_quarantined" */
    PP_ACTION_REAPPROVE_DENIED = 6,     /* "reapprove_denied" */
    PP_ACTION_REMOVE_DEVICE = 7,        /* "remove_device" */
    PP_ACTION_UNCLAIM_DEVICE = 8,       /* "unclaim_device" */
    PP_ACTION_MARK_DEVELOPMENT = 9,     /* "mark_development" (mark or unmark) */
    PP_ACTION_FLASH_DEVICE = 10,        /* "flash_device" */
    PP_ACTION_RELEASE_FIRMWARE = 11,    /* "release_firmware" (upload, release) */
    PP_ACTION_MANAGE_INTEGRATIONS = 12, /* "manage_integrations" */
    PP_ACTION_MANAGE_TEAM = 13,         /* "manage_team" */
    PP_ACTION_CHANGE_SETTINGS = 14,     /* "change_settings" (incl. auto-approve) */
    PP_ACTION_BILLING = 15              /* "billing" */
} pp_action;

/* Why an action was allowed or denied.  Names shared with pp_reason
 * (invalid_input, unknown_product, platform_not_product_eligible,
 * incompatible_platform, sku_required) mean the same thing there. */
typedef enum pp_authz_reason {
    PP_AUTHZ_INVALID_INPUT = 0,                 /* "invalid_input" */
    PP_AUTHZ_UNKNOWN_PRODUCT = 1,               /* "unknown_product" */
    PP_AUTHZ_NOT_A_TEAM_MEMBER = 2,             /* "not_a_team_member" */
    PP_AUTHZ_ROLE_INSUFFICIENT = 3,             /* "role_insufficient" */
    PP_AUTHZ_SCOPE_MISSING = 4,                 /* "scope_missing" */
    PP_AUTHZ_NOT_FOR_API_USERS = 5,             /* "not_for_api_users": no scope grants it */
    PP_AUTHZ_WRONG_DEVICE_STATE = 6,            /* "wrong_device_state" */
    PP_AUTHZ_PLATFORM_NOT_PRODUCT_ELIGIBLE = 7, /* "platform_not_product_eligible" */
    PP_AUTHZ_INCOMPATIBLE_PLATFORM = 8,         /* "incompatible_platform" */
    PP_AUTHZ_SKU_REQUIRED = 9,                  /* "sku_required" */
    PP_AUTHZ_GRANTED_BY_ROLE = 10,              /* "granted_by_role" */
    PP_AUTHZ_GRANTED_BY_SCOPE = 11              /* "granted_by_scope" */
} pp_authz_reason;

typedef enum pp_actor_kind {
    PP_ACTOR_HUMAN = 0,     /* "human": a console user with a role */
    PP_ACTOR_API_USER = 1   /* "api_user": programmatic, scopes only */
} pp_actor_kind;

/* Who acts.  name is (pointer, length); owned by the caller. */
typedef struct pp_actor {
    const char *name;
    size_t name_len;
    int32_t kind;           /* pp_actor_kind */
} pp_actor;

/* No name (an invalid actor until one is set), kind PP_ACTOR_HUMAN. */
#define PP_ACTOR_INIT { NULL, 0, PP_ACTOR_HUMAN }

/* Where a device stands in the product in question, as pp_authorize reads
 * it from a pp_device record (docs/authorization.md). */
typedef enum pp_device_state {
    PP_DEVICE_STATE_NONE = 0,        /* "none": not on any of P's lists */
    PP_DEVICE_STATE_MEMBER = 1,      /* "member": cloud_product_id = P */
    PP_DEVICE_STATE_QUARANTINED = 2, /* "quarantined": quarantined_in = P */
    PP_DEVICE_STATE_DENIED = 3       /* "denied": denied_in = P (wins over member) */
} pp_device_state;

/* The answer.  Every field is set by every call, also on error. */
typedef struct pp_authorization {
    int32_t allowed;          /* 1 allowed, 0 denied */
    int32_t reason;           /* pp_authz_reason */
    int32_t error;            /* PP_OK, or the pp_error_code of invalid input */
    int32_t role;             /* the actor's effective role, or -1 (API user,
                                 not a member) */
    int32_t required_role;    /* the action's minimum role, or -1 */
    int32_t device_state;     /* pp_device_state, or -1 when no device given */
    const char *required_scope; /* static: the first scope that grants the
                                 action, NULL when none does (billing) */
    int32_t ota_update_pending; /* 1: an allowed add/approve/re-approve puts
                                 the device on P's released firmware at once */
} pp_authorization;

/* May actor perform action on product product_id, and, when device is not
 * NULL and the action targets a device, on that device in its current
 * state?  team may be NULL; when given, its memberships of the product's
 * organization count like the policy's own (largest role wins).  Never
 * allocates; O(1) in products and team members.  Fails closed: NULL
 * arguments, an unknown action, an invalid actor name or an invalid device
 * record deny with reason invalid_input and return the error code. */
PP_API int pp_authorize(pp_authorization *out, const pp_policy *policy,
                        const pp_team *team, const pp_actor *actor,
                        int action, uint32_t product_id,
                        const pp_device *device);

/* The minimum role for an action, or -1 for an unknown action. */
PP_API int pp_action_min_role(int action);
/* The index-th API scope that grants action (static), or NULL past the end
 * (billing has none). */
PP_API const char *pp_action_scope(int action, size_t index);
/* Whether granted scope grants required scope: equal, or granted's verb is
 * '*' and the resources are equal ("teams.users:*" grants
 * "teams.users:invite").  Returns 1 or 0, or PP_ERR_INVALID_ARGUMENT for NULL
 * with a nonzero length: only 1 grants. */
PP_API int pp_scope_grants(const char *granted, size_t granted_len,
                           const char *required, size_t required_len);

PP_API const char *pp_action_name(int action);
PP_API const char *pp_authz_reason_name(int reason);
PP_API const char *pp_actor_kind_name(int kind);
PP_API const char *pp_device_state_name(int state);
PP_API int pp_action_from_name(const char *name, size_t len);
PP_API int pp_authz_reason_from_name(const char *name, size_t len);

/* ------------------------------------------------------------------ */
/* Device lifecycle (docs/lifecycle.md)                                */
/* ------------------------------------------------------------------ */

/* What a decision tells the cloud to write, as bits of pp_decision.effects
 * (names by bit index).  Decisions with an error, and the denials of rules
 * 2-5, write nothing; docs/decisions.md gives each rule's effects. */
#define PP_EFFECT_JOIN              (1u << 0) /* "join": cloud_product_id = P
                                                 (auto-approved) */
#define PP_EFFECT_ENTER_QUARANTINE  (1u << 1) /* "enter_quarantine":
                                                 quarantined_in = P */
#define PP_EFFECT_ENTER_DENIED_LIST (1u << 2) /* "enter_denied_list": denied_in
                                                 = P; the removal from P it
                                                 records is done (removed_from
                                                 = 0) */
#define PP_EFFECT_LEAVE_DENIED_LIST (1u << 3) /* "leave_denied_list":
                                                 denied_in = 0 */
#define PP_EFFECT_LEAVE_QUARANTINE  (1u << 4) /* "leave_quarantine":
                                                 quarantined_in = 0 */
#define PP_EFFECTS_ALL              0x1Fu

/* Apply decision's effects to device, the record it was decided for, and
 * write the record the cloud should store to *next (caller-owned; next may
 * be device itself).  String pointers are copied from device, not the
 * strings.  Never allocates.  Returns PP_ERR_INVALID_ARGUMENT for NULL
 * arguments, a record string NULL with a length, unknown effect bits, or a
 * decision that does not fit the record (join or enter_* without a product,
 * a leave_* naming another list than the record's); *next is then an
 * unchanged copy of device (when both are given), so storing it writes
 * nothing. */
PP_API int pp_apply_effects(pp_device *next, const pp_device *device,
                            const pp_decision *decision);

/* Operator actions that change a device record.  Each is authorized as one
 * pp_action (pp_operation_action). */
typedef enum pp_operation {
    PP_OPERATION_ADD_DEVICE = 0,          /* "add_device" (pre-add) */
    PP_OPERATION_APPROVE_QUARANTINED = 1, /* "approve_quarantined" */
    PP_OPERATION_DENY_QUARANTINED = 2,    /* "deny_quarantined" */
    PP_OPERATION_REAPPROVE_DENIED = 3,    /* "reapprove_denied" */
    PP_OPERATION_REMOVE_DEVICE = 4,       /* "remove_device" */
    PP_OPERATION_UNCLAIM_DEVICE = 5,      /* "unclaim_device" */
    PP_OPERATION_MARK_DEVELOPMENT = 6,    /* "mark_development" */
    PP_OPERATION_UNMARK_DEVELOPMENT = 7,  /* "unmark_development" */
    PP_OPERATION_RELEASE_FIRMWARE = 8     /* "release_firmware": the released
                                             firmware reaches the device */
} pp_operation;

/* Why an operation was not applied. */
typedef enum pp_refusal {
    PP_REFUSAL_NONE = 0,              /* "none": applied */
    PP_REFUSAL_INVALID_INPUT = 1,     /* "invalid_input": see error */
    PP_REFUSAL_NOT_AUTHORIZED = 2,    /* "not_authorized": pp_authorize denied
                                         it; authorization.reason says why */
    PP_REFUSAL_NO_UPDATE_PENDING = 3  /* "no_update_pending": release_firmware
                                         to a device that would not take it */
} pp_refusal;

/* The answer.  Every field is set by every call, also on error. */
typedef struct pp_transition {
    int32_t applied;        /* 1: *next is the record to store */
    int32_t refusal;        /* pp_refusal */
    int32_t error;          /* PP_OK, or the pp_error_code of invalid input */
    pp_authorization authorization; /* pp_authorize's answer for the
                                       operation's action (device given) */
} pp_transition;

/* Operation by actor on device in product product_id.  It is applied only
 * when pp_authorize(policy, team, actor, pp_operation_action(operation),
 * product_id, device) allows it, and the next record goes to *next
 * (caller-owned; string pointers copied from device; never allocates).
 * When refused, *next is an unchanged copy of device (when both are given).
 * Returns PP_OK (applied or refused) or the error code of invalid input
 * (NULL arguments, unknown operation, invalid actor or device record).
 * docs/lifecycle.md gives each operation's changes. */
PP_API int pp_operate(pp_device *next, pp_transition *out,
                      const pp_policy *policy, const pp_team *team,
                      const pp_actor *actor, int operation,
                      uint32_t product_id, const pp_device *device);

/* The pp_action an operation is authorized as, or -1 if unknown. */
PP_API int pp_operation_action(int operation);

PP_API const char *pp_effect_name(int bit_index);
PP_API const char *pp_operation_name(int operation);
PP_API const char *pp_refusal_name(int refusal);
/* Inverse lookups: the bit index or value, or -1 when the name is unknown
 * (PP_ERR_INVALID_ARGUMENT for NULL with len != 0: test for < 0). */
PP_API int pp_effect_from_name(const char *name, size_t len);
PP_API int pp_operation_from_name(const char *name, size_t len);
PP_API int pp_refusal_from_name(const char *name, size_t len);

/* ------------------------------------------------------------------ */
/* Security checks (docs/spec.md §6, docs/security-checks.md)          */
/* ------------------------------------------------------------------ */

typedef enum pp_severity {
    PP_SEVERITY_INFO = 0,     /* "info" */
    PP_SEVERITY_WARNING = 1,  /* "warning" */
    PP_SEVERITY_CRITICAL = 2  /* "critical" */
} pp_severity;

/* Each code has one fixed severity (pp_finding_severity). */
typedef enum pp_finding_code {
    PP_FINDING_INSECURE_TRANSPORT = 0,        /* "insecure_transport" */
    PP_FINDING_SSL_NOT_ENFORCED = 1,          /* "ssl_not_enforced" */
    PP_FINDING_UNACCOUNTED_INTEGRATION = 2,   /* "unaccounted_integration" */
    PP_FINDING_TWO_STEP_DISABLED = 3,         /* "two_step_disabled" */
    PP_FINDING_ORGANIZATION_LEVEL_API_USER = 4, /* "organization_level_api_user" */
    PP_FINDING_FULL_CONTROL_HUMAN_TOKEN = 5,  /* "full_control_human_token" */
    PP_FINDING_OWNER_ACCOUNT_TOKEN = 6,       /* "owner_account_token" */
    PP_FINDING_AUTO_APPROVE_ENABLED = 7,      /* "auto_approve_enabled" */
    PP_FINDING_DEVICE_OS_BELOW_MINIMUM = 8,   /* "device_os_below_minimum" */
    PP_FINDING_LTS_NOT_REQUIRED = 9,          /* "lts_not_required" */
    PP_FINDING_SIM_DATA_NOTIFY = 10,          /* "sim_data_notify" */
    PP_FINDING_SIM_DATA_PAUSED = 11,          /* "sim_data_paused" */
    PP_FINDING_CANARY_TOKEN_USED = 12,        /* "canary_token_used" */
    PP_FINDING_INVALID_RECORD = 13,           /* "invalid_record": a caller
                                                 record could not be checked */
    PP_FINDING_AUTO_APPROVE_READMITS_DENIED = 14 /* "auto_approve_readmits_denied":
                                                 docs/lifecycle.md, the way back */
} pp_finding_code;

/* SIM data state against the per-SIM limit. */
typedef enum pp_sim_state {
    PP_SIM_ACTIVE = 0,  /* "active" */
    PP_SIM_NOTIFY = 1,  /* "notify": at or over the policy's notify share */
    PP_SIM_PAUSED = 2   /* "paused": at or over the limit */
} pp_sim_state;

#define PP_FINDING_MESSAGE_SIZE 192

/* One finding.  subject points into the policy (valid while the caller holds
 * it) or into the caller's record (valid while that is); it is not
 * NUL-terminated: use subject_len.  It is never a presented token. */
typedef struct pp_finding {
    int32_t code;             /* pp_finding_code */
    int32_t severity;         /* pp_severity */
    uint32_t product_id;      /* the product concerned, or 0 */
    uint32_t record;          /* index of the caller record, or 0 */
    const char *subject;      /* member, organization, URL, ICCID, device ID... */
    size_t subject_len;
    char message[PP_FINDING_MESSAGE_SIZE];  /* NUL-terminated English */
} pp_finding;

/* Caller records.  Strings are (pointer, length).  A record with a required
 * string absent, empty or NULL with a nonzero length gives an invalid_record
 * finding and the other records are checked as usual. */
typedef struct pp_integration_record {
    uint32_t product_id;
    const char *url;          /* destination */
    size_t url_len;
    int32_t enforce_ssl;      /* certificate validation on */
} pp_integration_record;

/* No product, no URL, enforce_ssl off. */
#define PP_INTEGRATION_RECORD_INIT { 0, NULL, 0, 0 }

typedef struct pp_token_record {
    uint32_t product_id;      /* the product it acts on; 0 = none known */
    const char *owner;        /* the account that created it */
    size_t owner_len;
    int32_t full_control;     /* "Full control" scope */
    int32_t human;            /* owned by a person (not an API user) */
} pp_token_record;

/* No product, no owner, not full control, not a person's. */
#define PP_TOKEN_RECORD_INIT { 0, NULL, 0, 0, 0 }

typedef struct pp_sim_record {
    const char *iccid;
    size_t iccid_len;
    uint64_t usage_bytes;     /* this billing period */
    uint64_t limit_bytes;     /* the per-SIM data limit */
} pp_sim_record;

/* No ICCID, no usage, no limit. */
#define PP_SIM_RECORD_INIT { NULL, 0, 0, 0 }

/* Everything pp_audit checks besides the policy itself.  Any array may be
 * NULL with count 0. */
typedef struct pp_audit_input {
    const pp_integration_record *integrations;
    size_t n_integrations;
    const pp_token_record *tokens;
    size_t n_tokens;
    const pp_sim_record *sims;
    size_t n_sims;
    const pp_device *devices;
    size_t n_devices;
} pp_audit_input;

/* No records: pp_audit then checks the policy alone. */
#define PP_AUDIT_INPUT_INIT { NULL, 0, NULL, 0, NULL, 0, NULL, 0 }

/* Every check below writes at most cap findings to out (out may be NULL when
 * cap is 0) and sets *total to the number of findings there are, so a caller
 * whose array was too small calls again with *total.  They never allocate.
 * Return PP_OK, or PP_ERR_INVALID_ARGUMENT (then *total is 0 when total is
 * not NULL). */

/* The policy alone: members without two-step authentication, organization-
 * level API users, products on auto_approve (two findings: it is enabled,
 * and it readmits denied devices), products without require_lts when
 * settings.require_lts asks for it. */
PP_API int pp_check_policy(size_t *total, pp_finding *out, size_t cap,
                           const pp_policy *policy);
/* insecure_transport, ssl_not_enforced, unaccounted_integration. */
PP_API int pp_check_integrations(size_t *total, pp_finding *out, size_t cap,
                                 const pp_policy *policy,
                                 const pp_integration_record *records, size_t n);
/* full_control_human_token, owner_account_token. */
PP_API int pp_check_tokens(size_t *total, pp_finding *out, size_t cap,
                           const pp_policy *policy,
                           const pp_token_record *records, size_t n);
/* sim_data_notify, sim_data_paused (see pp_sim_state). */
PP_API int pp_check_sims(size_t *total, pp_finding *out, size_t cap,
                         const pp_policy *policy,
                         const pp_sim_record *records, size_t n);
/* device_os_below_minimum in the product the admission decision names. */
PP_API int pp_check_devices(size_t *total, pp_finding *out, size_t cap,
                            const pp_policy *policy,
                            const pp_device *devices, size_t n);
/* canary_token_used when token hashes to a canary fingerprint of some
 * organization (subject: that organization).  The token is hashed and
 * forgotten: never stored, never in a message. */
PP_API int pp_check_token(size_t *total, pp_finding *out, size_t cap,
                          const pp_policy *policy, const char *token,
                          size_t token_len);
/* All of the above except pp_check_token, in that order.  input may be NULL
 * (the policy alone). */
PP_API int pp_audit(size_t *total, pp_finding *out, size_t cap,
                    const pp_policy *policy, const pp_audit_input *input);

/* SIM state for usage against limit under the policy's
 * settings.sim_notify_percent (limit 0: paused). */
PP_API int pp_sim_state_of(int32_t *state, const pp_policy *policy,
                           uint64_t usage_bytes, uint64_t limit_bytes);
/* The canary fingerprint of a token as the policy spells it: XXH3-64 of the
 * token bytes, seed 0 (write it as 16 hex digits).  0 for NULL with a
 * nonzero length (there is no error to return). */
PP_API uint64_t pp_canary_fingerprint(const char *token, size_t len);

PP_API const char *pp_severity_name(int severity);
PP_API const char *pp_finding_name(int code);
PP_API const char *pp_sim_state_name(int state);
/* The fixed severity of a finding code, or -1 for an unknown code. */
PP_API int pp_finding_severity(int code);
PP_API int pp_finding_from_name(const char *name, size_t len);

/* ------------------------------------------------------------------ */
/* Policy diff (docs/diff.md)                                          */
/* ------------------------------------------------------------------ */

/* What a new policy changes, before it ships: its semantic changes in the
 * policy's own words, every class of device record whose admission decision
 * changes, and every (actor, action, product) whose authorization changes.
 * The device classes partition every possible valid record (docs/diff.md
 * describes the abstraction), so an empty list of changed classes means that
 * no record at all decides differently, not that a sample did not.  A
 * runtime team set (pp_team) is not part of a policy: the diff decides and
 * authorizes without one.  Building a diff allocates; reading it does not. */
typedef struct pp_diff pp_diff;

/* What a semantic change is about.  Fields of pp_change that a kind leaves
 * unused are 0 / NULL. */
typedef enum pp_change_kind {
    PP_CHANGE_SETTING = 0,              /* "setting": key under settings */
    PP_CHANGE_PLATFORM_ADDED = 1,       /* "platform_added": subject = ID */
    PP_CHANGE_PLATFORM_REMOVED = 2,     /* "platform_removed" */
    PP_CHANGE_PLATFORM_CHANGED = 3,     /* "platform_changed": key name,
                                           product_eligible or family */
    PP_CHANGE_SKU_ADDED = 4,            /* "sku_added": subject = prefix */
    PP_CHANGE_SKU_REMOVED = 5,          /* "sku_removed" */
    PP_CHANGE_SKU_CHANGED = 6,          /* "sku_changed": key platform or family */
    PP_CHANGE_FAMILY_ADDED = 7,         /* "family_added": subject = family */
    PP_CHANGE_FAMILY_REMOVED = 8,       /* "family_removed" */
    PP_CHANGE_ORGANIZATION_ADDED = 9,   /* "organization_added" */
    PP_CHANGE_ORGANIZATION_REMOVED = 10, /* "organization_removed" */
    PP_CHANGE_CANARY_ADDED = 11,        /* "canary_added": subject = fingerprint */
    PP_CHANGE_CANARY_REMOVED = 12,      /* "canary_removed" */
    PP_CHANGE_PRODUCT_ADDED = 13,       /* "product_added" */
    PP_CHANGE_PRODUCT_REMOVED = 14,     /* "product_removed" */
    PP_CHANGE_PRODUCT_CHANGED = 15,     /* "product_changed": key is the
                                           product's YAML key */
    PP_CHANGE_INTEGRATION_ADDED = 16,   /* "integration_added": subject = URL
                                           on approved_integrations */
    PP_CHANGE_INTEGRATION_REMOVED = 17, /* "integration_removed" */
    PP_CHANGE_MEMBER_ADDED = 18,        /* "member_added": subject = user,
                                           new_value = role */
    PP_CHANGE_MEMBER_REMOVED = 19,      /* "member_removed" */
    PP_CHANGE_MEMBER_CHANGED = 20,      /* "member_changed": key role or two_step */
    PP_CHANGE_API_USER_ADDED = 21,      /* "api_user_added": subject = name */
    PP_CHANGE_API_USER_REMOVED = 22,    /* "api_user_removed" */
    PP_CHANGE_API_USER_CHANGED = 23,    /* "api_user_changed": key
                                           organization_level */
    PP_CHANGE_SCOPE_ADDED = 24,         /* "scope_added": subject = API user,
                                           new_value = scope */
    PP_CHANGE_SCOPE_REMOVED = 25        /* "scope_removed": old_value = scope */
} pp_change_kind;

/* Which way a change moves: loosening when some device or person may gain
 * something by it (also when others lose), tightening when some may only
 * lose, neutral when no decision or check can change.  docs/diff.md lists
 * the direction of every kind of change.  (A decision's effects, PP_EFFECT_*,
 * are record changes; a direction is how a policy change moves privileges.) */
typedef enum pp_direction {
    PP_DIRECTION_NEUTRAL = 0,     /* "neutral" */
    PP_DIRECTION_TIGHTENING = 1,  /* "tightening" */
    PP_DIRECTION_LOOSENING = 2    /* "loosening" */
} pp_direction;

#define PP_DIFF_OPTIONS_VERSION 1

/* Initialise with PP_DIFF_OPTIONS_INIT; a zero field means the default. */
typedef struct pp_diff_options {
    unsigned version;          /* PP_DIFF_OPTIONS_VERSION */
    uint64_t max_classes;      /* device classes to examine at most (the
                                  work grows with the square of the number of
                                  products when the legacy threshold moves);
                                  default 50,000,000; beyond: PP_ERR_LIMIT */
    pp_allocator allocator;    /* for the diff's whole lifetime */
} pp_diff_options;

#define PP_DIFF_OPTIONS_INIT { PP_DIFF_OPTIONS_VERSION, 0, PP_ALLOCATOR_INIT }

/* Compare old_policy with new_policy.  Both are retained by the diff (free
 * them whenever you like).  options may be NULL; err may be NULL.  On
 * success *out is a new diff the caller frees with pp_diff_free; on failure
 * *out is NULL, nothing is left allocated, and the code is returned
 * (PP_ERR_INVALID_ARGUMENT, PP_ERR_NOMEM, PP_ERR_LIMIT) with a message in
 * err.  Policies with equal fingerprints give an empty diff. */
PP_API int pp_policy_diff(pp_diff **out, const pp_policy *old_policy,
                          const pp_policy *new_policy,
                          const pp_diff_options *options, pp_error *err);
/* NULL is a no-op. */
PP_API void pp_diff_free(pp_diff *diff);

/* One semantic change.  Strings are NUL-terminated and belong to the diff;
 * values are text in the policy's spelling ("auto_approve", "5.0.0",
 * "true"), NULL when absent. */
typedef struct pp_change {
    int32_t kind;               /* pp_change_kind */
    int32_t direction;          /* pp_direction */
    uint32_t product_id;        /* the product, or the product team; 0 */
    const char *organization;   /* the organization, or NULL */
    const char *subject;        /* see pp_change_kind, or NULL */
    const char *key;            /* the setting or field, or NULL */
    const char *old_value;
    const char *new_value;
    size_t findings_introduced; /* security findings (pp_check_policy) this */
    size_t findings_resolved;   /* change brings in / takes away */
} pp_change;

/* Changes in a stable order (settings, tables, organizations, products,
 * teams; each by name or ID), never in the order of the YAML.  _at returns
 * PP_ERR_INVALID_ARGUMENT past the end. */
PP_API size_t pp_diff_change_count(const pp_diff *diff);
PP_API int pp_diff_change_at(pp_change *out, const pp_diff *diff, size_t index);

#define PP_DIFF_NONE SIZE_MAX

/* A security finding of pp_check_policy that one policy has and the other
 * has not.  finding.subject points into the policy it came from. */
typedef struct pp_diff_finding {
    int32_t introduced;         /* 1: the new policy's; 0: resolved (the old's) */
    size_t change;              /* index of the change it comes with, or
                                   PP_DIFF_NONE */
    pp_finding finding;
} pp_diff_finding;

PP_API size_t pp_diff_finding_count(const pp_diff *diff);
PP_API int pp_diff_finding_at(pp_diff_finding *out, const pp_diff *diff,
                              size_t index);

/* A class of device records whose decision changes: every valid record the
 * description covers decides as old_decision under the old policy and as
 * new_decision under the new one (product IDs are the representative's;
 * the description names every product the class covers). */
typedef struct pp_device_class {
    const char *description;    /* English, owned by the diff */
    pp_device representative;   /* a concrete record of the class; its
                                   strings belong to the diff */
    pp_decision old_decision;
    pp_decision new_decision;
    uint32_t privileges_gained; /* PP_PRIVILEGE_* bits new has, old had not */
    uint32_t privileges_lost;
} pp_device_class;

PP_API size_t pp_diff_device_class_count(const pp_diff *diff);
PP_API int pp_diff_device_class_at(pp_device_class *out, const pp_diff *diff,
                                   size_t index);
/* How many classes (of all records, changed or not) the diff decided. */
PP_API uint64_t pp_diff_classes_examined(const pp_diff *diff);
/* The changed class a record belongs to: *index is its position for
 * pp_diff_device_class_at, or PP_DIFF_NONE when the record's class decides
 * the same under both policies.  old_decision and new_decision (either may
 * be NULL) get what the class predicts for this record: its decisions with
 * this record's product IDs, or, when nothing changes, the record's
 * decision under the old policy in both.  An invalid record returns its
 * error code (pp_decide's) with PP_DIFF_NONE and fail-closed decisions. */
PP_API int pp_diff_class_of(size_t *index, pp_decision *old_decision,
                            pp_decision *new_decision, const pp_diff *diff,
                            const pp_device *device);

/* An operator whose answer changes for one action on one product. */
typedef struct pp_authorization_change {
    const char *actor;          /* a name either policy knows (owned by the
                                   diff), or NULL: anyone on neither
                                   policy's teams of the product */
    int32_t actor_kind;         /* pp_actor_kind */
    int32_t action;             /* pp_action */
    uint32_t product_id;
    pp_authorization old_answer; /* pp_authorize without a device */
    pp_authorization new_answer;
} pp_authorization_change;

PP_API size_t pp_diff_authorization_count(const pp_diff *diff);
PP_API int pp_diff_authorization_at(pp_authorization_change *out,
                                    const pp_diff *diff, size_t index);

PP_API const char *pp_change_kind_name(int kind);
PP_API const char *pp_direction_name(int direction);

#ifdef __cplusplus
}
#endif

#endif /* PARTICLEPOLICY_H */
