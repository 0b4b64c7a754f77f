/* The schema version, which decides how to read everything else, and the
 * policy-wide settings with their defaults. */
#include "load.h"

#define DEFAULT_LEGACY_BELOW "4.0.0-0"
#define DEFAULT_SIM_NOTIFY_PERCENT 90u

enum { SET_LEGACY_BELOW, SET_REQUIRE_LTS, SET_SIM_NOTIFY, SETTINGS_KEYS };
static const char *const settings_keys[SETTINGS_KEYS] = {
    "legacy_device_os_below", "require_lts", "sim_notify_percent",
};
static const schema settings_schema = SCHEMA(settings_keys);

int ppi_check_version(loader *l, const ppi_node *root)
{
    const path at = { NULL, "version", 0 };
    const ppi_node *v = ppi_node_find(root, "version");
    char got[QUOTED];
    if (v == NULL)
        return ppi_load_fail(l, PP_ERR_MISSING_KEY, root, NULL,
                             "missing required key 'version' (write 'version: 1')");
    if (!ppi_node_is_integer(v))
        return ppi_load_fail(l, PP_ERR_WRONG_TYPE, v, &at, "expected an integer, got %s",
                             ppi_describe(got, v));
    if (!ppi_node_is(v, "1"))
        return ppi_load_fail(l, PP_ERR_SCHEMA_VERSION, v, &at,
                             "unsupported schema version %s (this library reads version 1)",
                             ppi_describe(got, v));
    return PP_OK;
}

int ppi_compile_settings(loader *l, const ppi_node *n)
{
    pp_policy *p = l->p;
    p->sim_notify_percent = DEFAULT_SIM_NOTIFY_PERCENT;
    /* A static default outlives any policy. */
    int rc = ppi_version_parse(&p->legacy_below, DEFAULT_LEGACY_BELOW,
                               sizeof DEFAULT_LEGACY_BELOW - 1);
    if (n == NULL || rc != PP_OK)
        return rc;
    const path at = { NULL, "settings", 0 }, lts_at = { &at, "require_lts", 0 },
               notify_at = { &at, "sim_notify_percent", 0 },
               below_at = { &at, "legacy_device_os_below", 0 };
    const ppi_node *v[SETTINGS_KEYS];
    if ((rc = ppi_read_map(l, n, &at, &settings_schema, v)) != PP_OK)
        return rc;
    uint64_t percent = DEFAULT_SIM_NOTIFY_PERCENT;
    if (v[SET_REQUIRE_LTS] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_bool(l, v[SET_REQUIRE_LTS], &lts_at, &p->require_lts)))
        return rc;
    if (v[SET_SIM_NOTIFY] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_uint(l, v[SET_SIM_NOTIFY], &notify_at, 1, 100, &percent)))
        return rc;
    p->sim_notify_percent = (uint32_t)percent;
    if (v[SET_LEGACY_BELOW] != NULL &&
        !ppi_carry_on(l, &rc, ppi_get_version(l, v[SET_LEGACY_BELOW], &below_at,
                                              &p->legacy_below)))
        return rc;
    return rc;
}
