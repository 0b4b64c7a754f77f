/* The public vocabulary (docs/spec.md): one table per kind of value.
 * Bindings enumerate these through the name functions instead of hard-coding
 * numbers, so the order here IS the numbering in particlepolicy.h. */
#include <string.h>

#include "internal.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const outcome_names[] = {
    "ok", "limited", "quarantine", "auto_approve", "deny", "reappear_as_denied",
};

static const char *const reason_names[] = {
    "invalid_input",
    "not_a_product_device",
    "unknown_product",
    "platform_not_product_eligible",
    "incompatible_platform",
    "sku_required",
    "denied_list",
    "firmware_reports_no_product",
    "member",
    "removed_from_product",
    "not_pre_added",
    "member_of_other_product",
    "unrecognized_device",
    "unowned",
    "owner_is_team_member",
    "owner_not_team_member",
    "same_family",
    "different_families",
};

static const char *const privilege_names[] = {
    "ota_updates", "product_events", "customer_claim", "product_webhooks",
};

static const char *const advisory_names[] = {
    "ota_update_pending", "development_device", "device_os_below_minimum",
    "leaves_denied_list", "leaves_quarantine",
};

static const char *const role_names[] = {
    "view_only", "support", "developer", "administrator", "owner",
};

static const char *const action_names[] = {
    "view_devices", "call_function", "change_sim", "add_device",
    "approve_quarantined", "deny_quarantined", "reapprove_denied",
    "remove_device", "unclaim_device", "mark_development", "flash_device",
    "release_firmware", "manage_integrations", "manage_team",
    "change_settings", "billing",
};

static const char *const authz_reason_names[] = {
    "invalid_input", "unknown_product", "not_a_team_member",
    "role_insufficient", "scope_missing", "not_for_api_users",
    "wrong_device_state", "platform_not_product_eligible",
    "incompatible_platform", "sku_required", "granted_by_role",
    "granted_by_scope",
};

static const char *const actor_kind_names[] = { "human", "api_user" };

static const char *const device_state_names[] = {
    "none", "member", "quarantined", "denied",
};

static const char *const effect_names[] = {
    "join", "enter_quarantine", "enter_denied_list", "leave_denied_list",
    "leave_quarantine",
};

static const char *const operation_names[] = {
    "add_device", "approve_quarantined", "deny_quarantined",
    "reapprove_denied", "remove_device", "unclaim_device", "mark_development",
    "unmark_development", "release_firmware",
};

static const char *const refusal_names[] = {
    "none", "invalid_input", "not_authorized", "no_update_pending",
};

static const char *const severity_names[] = { "info", "warning", "critical" };

static const char *const finding_names[] = {
    "insecure_transport", "ssl_not_enforced", "unaccounted_integration",
    "two_step_disabled", "organization_level_api_user",
    "full_control_human_token", "owner_account_token", "auto_approve_enabled",
    "device_os_below_minimum", "lts_not_required", "sim_data_notify",
    "sim_data_paused", "canary_token_used", "invalid_record",
    "auto_approve_readmits_denied",
};

static const char *const sim_state_names[] = { "active", "notify", "paused" };

static const char *const change_kind_names[] = {
    "setting", "platform_added", "platform_removed", "platform_changed",
    "sku_added", "sku_removed", "sku_changed", "family_added", "family_removed",
    "organization_added", "organization_removed", "canary_added",
    "canary_removed", "product_added", "product_removed", "product_changed",
    "integration_added", "integration_removed", "member_added",
    "member_removed", "member_changed", "api_user_added", "api_user_removed",
    "api_user_changed", "scope_added", "scope_removed",
};

static const char *const direction_names[] = { "neutral", "tightening", "loosening" };

/* Indexed by -code. */
static const struct {
    const char *name;
    const char *text;
} errors[] = {
    { "ok", "success" },
    { "out_of_memory", "memory allocation failed" },
    { "invalid_argument", "an argument is NULL or invalid" },
    { "yaml_syntax", "the text is not well-formed YAML" },
    { "limit_exceeded", "the input exceeds a configured limit" },
    { "unsupported_schema_version", "the policy's schema version is not supported" },
    { "unknown_key", "a key is not part of the policy schema" },
    { "missing_key", "a required key is missing" },
    { "wrong_type", "a value has the wrong type" },
    { "invalid_value", "a value is not allowed here" },
    { "out_of_range", "a number is out of range" },
    { "duplicate", "a key, ID or name appears twice" },
    { "unknown_family", "a family name is not known" },
    { "unknown_name", "a referenced organization or platform is not defined" },
    { "invalid_version", "a version is not a valid semantic version" },
    { "invalid_device_id", "device ID must be 24 hexadecimal characters" },
    { "invalid_device_os", "device_os is missing or not a valid semantic version" },
    { "invalid_sku", "SKU must be 1 to 32 characters of A-Z, 0-9 and '-'" },
    { "invalid_owner", "owner must be 1 to 255 bytes of UTF-8 without control characters" },
    { "invalid_firmware_version", "firmware_version must be 0 (none) or 1 to 65535" },
    { "invalid_platform", "platform_id is unspecified and no SKU names the platform" },
};

static const char *lookup(const char *const *table, int count, int index)
{
    return index >= 0 && index < count ? table[index] : NULL;
}

static int reverse(const char *const *table, int count, const char *name,
                   size_t len)
{
    if (name == NULL)
        return len == 0 ? -1 : PP_ERR_INVALID_ARGUMENT;
    for (int i = 0; i < count; i++)
        if (strlen(table[i]) == len && memcmp(table[i], name, len) == 0)
            return i;
    return -1;
}

const char *pp_outcome_name(int v) { return lookup(outcome_names, COUNT(outcome_names), v); }
const char *pp_reason_name(int v) { return lookup(reason_names, COUNT(reason_names), v); }
const char *pp_privilege_name(int v) { return lookup(privilege_names, COUNT(privilege_names), v); }
const char *pp_advisory_name(int v) { return lookup(advisory_names, COUNT(advisory_names), v); }
const char *pp_role_name(int v) { return lookup(role_names, COUNT(role_names), v); }

int pp_outcome_from_name(const char *name, size_t len)
{
    return reverse(outcome_names, COUNT(outcome_names), name, len);
}

int pp_reason_from_name(const char *name, size_t len)
{
    return reverse(reason_names, COUNT(reason_names), name, len);
}

int pp_role_from_name(const char *name, size_t len)
{
    return reverse(role_names, COUNT(role_names), name, len);
}

const char *pp_action_name(int v) { return lookup(action_names, COUNT(action_names), v); }
const char *pp_authz_reason_name(int v) { return lookup(authz_reason_names, COUNT(authz_reason_names), v); }
const char *pp_actor_kind_name(int v) { return lookup(actor_kind_names, COUNT(actor_kind_names), v); }
const char *pp_device_state_name(int v) { return lookup(device_state_names, COUNT(device_state_names), v); }
const char *pp_severity_name(int v) { return lookup(severity_names, COUNT(severity_names), v); }
const char *pp_finding_name(int v) { return lookup(finding_names, COUNT(finding_names), v); }
const char *pp_sim_state_name(int v) { return lookup(sim_state_names, COUNT(sim_state_names), v); }
const char *pp_change_kind_name(int v) { return lookup(change_kind_names, COUNT(change_kind_names), v); }
const char *pp_direction_name(int v) { return lookup(direction_names, COUNT(direction_names), v); }

int pp_action_from_name(const char *name, size_t len)
{
    return reverse(action_names, COUNT(action_names), name, len);
}

int pp_authz_reason_from_name(const char *name, size_t len)
{
    return reverse(authz_reason_names, COUNT(authz_reason_names), name, len);
}

const char *pp_effect_name(int v) { return lookup(effect_names, COUNT(effect_names), v); }
const char *pp_operation_name(int v) { return lookup(operation_names, COUNT(operation_names), v); }
const char *pp_refusal_name(int v) { return lookup(refusal_names, COUNT(refusal_names), v); }

int pp_effect_from_name(const char *name, size_t len)
{
    return reverse(effect_names, COUNT(effect_names), name, len);
}

int pp_operation_from_name(const char *name, size_t len)
{
    return reverse(operation_names, COUNT(operation_names), name, len);
}

int pp_refusal_from_name(const char *name, size_t len)
{
    return reverse(refusal_names, COUNT(refusal_names), name, len);
}

int pp_finding_from_name(const char *name, size_t len)
{
    return reverse(finding_names, COUNT(finding_names), name, len);
}

const char *pp_error_name(int code)
{
    return code <= 0 && -code < COUNT(errors) ? errors[-code].name : NULL;
}

const char *pp_error_text(int code)
{
    return code <= 0 && -code < COUNT(errors) ? errors[-code].text : NULL;
}

unsigned pp_version_number(void)
{
    return PP_VERSION_NUMBER;
}

#define PP_STR2(x) #x
#define PP_STR(x) PP_STR2(x)
const char *pp_version_string(void)
{
    return PP_STR(PP_VERSION_MAJOR) "." PP_STR(PP_VERSION_MINOR) "." PP_STR(PP_VERSION_PATCH);
}
