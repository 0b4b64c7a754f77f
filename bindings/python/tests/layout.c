/* Prints the size of every public structure of particlepolicy.h and the
 * offset of each field, one "name value" per line, for test_native.py to
 * compare with the ctypes mirrors. */
#include <stddef.h>
#include <stdio.h>

#include <particlepolicy.h>

#define SIZE(type) printf("%s %zu\n", #type, sizeof(type))
#define FIELD(type, field) printf("%s.%s %zu\n", #type, #field, offsetof(type, field))

int main(void)
{
    SIZE(pp_error);
    FIELD(pp_error, code); FIELD(pp_error, line); FIELD(pp_error, column);
    FIELD(pp_error, offset); FIELD(pp_error, message);
    SIZE(pp_allocator);
    FIELD(pp_allocator, alloc); FIELD(pp_allocator, free); FIELD(pp_allocator, opaque);
    SIZE(pp_load_options);
    FIELD(pp_load_options, version); FIELD(pp_load_options, max_input_bytes);
    FIELD(pp_load_options, max_depth); FIELD(pp_load_options, max_aliases);
    FIELD(pp_load_options, max_nodes); FIELD(pp_load_options, max_products);
    FIELD(pp_load_options, max_members); FIELD(pp_load_options, allocator);
    SIZE(pp_product_info);
    FIELD(pp_product_info, id); FIELD(pp_product_info, name);
    FIELD(pp_product_info, organization); FIELD(pp_product_info, family);
    FIELD(pp_product_info, auto_approve); FIELD(pp_product_info, removed_quarantine);
    FIELD(pp_product_info, released_firmware); FIELD(pp_product_info, min_device_os);
    SIZE(pp_platform_info);
    FIELD(pp_platform_info, id); FIELD(pp_platform_info, name);
    FIELD(pp_platform_info, product_eligible); FIELD(pp_platform_info, family);
    SIZE(pp_sku_info);
    FIELD(pp_sku_info, prefix); FIELD(pp_sku_info, platform_id); FIELD(pp_sku_info, family);
    SIZE(pp_device);
    FIELD(pp_device, id); FIELD(pp_device, id_len);
    FIELD(pp_device, device_os); FIELD(pp_device, device_os_len);
    FIELD(pp_device, sku); FIELD(pp_device, sku_len);
    FIELD(pp_device, owner); FIELD(pp_device, owner_len);
    FIELD(pp_device, platform_id); FIELD(pp_device, cloud_product_id);
    FIELD(pp_device, firmware_product_id); FIELD(pp_device, denied_in);
    FIELD(pp_device, removed_from); FIELD(pp_device, quarantined_in);
    FIELD(pp_device, firmware_version); FIELD(pp_device, development);
    SIZE(pp_decision);
    FIELD(pp_decision, outcome); FIELD(pp_decision, reason); FIELD(pp_decision, rule);
    FIELD(pp_decision, error); FIELD(pp_decision, product_id);
    FIELD(pp_decision, limited_in); FIELD(pp_decision, privileges);
    FIELD(pp_decision, advisories);
    SIZE(pp_model);
    FIELD(pp_model, platform_id); FIELD(pp_model, sku); FIELD(pp_model, sku_len);
    SIZE(pp_verdict);
    FIELD(pp_verdict, allowed); FIELD(pp_verdict, reason);
    FIELD(pp_verdict, family_a); FIELD(pp_verdict, family_b);
    SIZE(pp_actor);
    FIELD(pp_actor, name); FIELD(pp_actor, name_len); FIELD(pp_actor, kind);
    SIZE(pp_authorization);
    FIELD(pp_authorization, allowed); FIELD(pp_authorization, reason);
    FIELD(pp_authorization, error); FIELD(pp_authorization, role);
    FIELD(pp_authorization, required_role); FIELD(pp_authorization, device_state);
    FIELD(pp_authorization, required_scope); FIELD(pp_authorization, ota_update_pending);
    SIZE(pp_finding);
    FIELD(pp_finding, code); FIELD(pp_finding, severity); FIELD(pp_finding, product_id);
    FIELD(pp_finding, record); FIELD(pp_finding, subject); FIELD(pp_finding, subject_len);
    FIELD(pp_finding, message);
    SIZE(pp_integration_record);
    FIELD(pp_integration_record, product_id); FIELD(pp_integration_record, url);
    FIELD(pp_integration_record, url_len); FIELD(pp_integration_record, enforce_ssl);
    SIZE(pp_token_record);
    FIELD(pp_token_record, product_id); FIELD(pp_token_record, owner);
    FIELD(pp_token_record, owner_len); FIELD(pp_token_record, full_control);
    FIELD(pp_token_record, human);
    SIZE(pp_sim_record);
    FIELD(pp_sim_record, iccid); FIELD(pp_sim_record, iccid_len);
    FIELD(pp_sim_record, usage_bytes); FIELD(pp_sim_record, limit_bytes);
    SIZE(pp_audit_input);
    FIELD(pp_audit_input, integrations); FIELD(pp_audit_input, n_integrations);
    FIELD(pp_audit_input, tokens); FIELD(pp_audit_input, n_tokens);
    FIELD(pp_audit_input, sims); FIELD(pp_audit_input, n_sims);
    FIELD(pp_audit_input, devices); FIELD(pp_audit_input, n_devices);
    /* Constants the binding copies. */
    printf("PP_ERROR_MESSAGE_SIZE %d\n", PP_ERROR_MESSAGE_SIZE);
    printf("PP_FINDING_MESSAGE_SIZE %d\n", PP_FINDING_MESSAGE_SIZE);
    printf("PP_LOAD_OPTIONS_VERSION %d\n", PP_LOAD_OPTIONS_VERSION);
    printf("PP_PLATFORM_UNSPECIFIED %lu\n", (unsigned long)PP_PLATFORM_UNSPECIFIED);
    printf("PP_VERSION_MAJOR %d\n", PP_VERSION_MAJOR);
    return 0;
}
