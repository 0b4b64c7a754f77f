/* Operator authorization: may this actor take this action, and the
 * library's table of roles and scopes per action. */
#include "native.h"

PyObject *pp_py_authorization(const pp_authorization *a)
{
    return Py_BuildValue("(iiiiiiNi)", (int)a->allowed, (int)a->reason, (int)a->error,
                         (int)a->role, (int)a->required_role, (int)a->device_state,
                         pp_py_str_or_none(a->required_scope), (int)a->ota_update_pending);
}

/* authorize(policy, team, name: bytes, kind, action, product_id, device or
 * None) -> (allowed, reason, error, role, required_role, device_state,
 * required_scope, ota_update_pending).  Keeps the GIL, like decide. */
static PyObject *py_authorize(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    pp_py_team *t;
    pp_actor actor;
    uint32_t kind, action, product_id;
    if (pp_py_nargs("authorize", nargs, 7) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        pp_py_team_arg(args[1], &t) < 0 ||
        pp_py_bytes_arg(args[2], "name", &actor.name, &actor.name_len) < 0 ||
        pp_py_uint32(args[3], "kind", INT32_MAX, &kind) < 0 ||
        pp_py_uint32(args[4], "action", INT32_MAX, &action) < 0 ||
        pp_py_uint32(args[5], "product_id", UINT32_MAX, &product_id) < 0)
        return NULL;
    actor.kind = (int32_t)kind;
    pp_device device;
    PyObject *keep[PP_PY_DEVICE_STRINGS] = {NULL, NULL, NULL, NULL};
    int with_device = args[6] != Py_None;
    if (with_device && pp_py_device(&device, args[6], p, keep) < 0)
        return NULL;
    const pp_team *team;
    pp_policy *policy = pp_py_open_policy(p);
    PyObject *out = NULL;
    if (policy != NULL && pp_py_open_team(t, &team) == 0) {
        pp_authorization a;
        (void)pp_authorize(&a, policy, team, &actor, (int)action, product_id,
                           with_device ? &device : NULL);      /* a carries any error */
        out = pp_py_authorization(&a);
    }
    pp_py_release(keep, PP_PY_DEVICE_STRINGS);
    return out;
}

/* scope_grants(granted: bytes, required: bytes) -> bool */
static PyObject *py_scope_grants(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    const char *g, *r;
    size_t g_len, r_len;
    if (pp_py_nargs("scope_grants", nargs, 2) < 0 ||
        pp_py_bytes_arg(args[0], "granted", &g, &g_len) < 0 ||
        pp_py_bytes_arg(args[1], "required", &r, &r_len) < 0)
        return NULL;
    return PyBool_FromLong(pp_scope_grants(g, g_len, r, r_len) == 1);
}

/* action_min_role(action) -> role value, or -1 */
static PyObject *py_action_min_role(PyObject *module, PyObject *arg)
{
    (void)module;
    long action = PyLong_AsLong(arg);
    if (action == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(pp_action_min_role(action < INT_MIN || action > INT_MAX
                                              ? -1 : (int)action));
}

/* action_scopes(action) -> tuple of the scopes that grant it */
static PyObject *py_action_scopes(PyObject *module, PyObject *arg)
{
    (void)module;
    long action = PyLong_AsLong(arg);
    if (action == -1 && PyErr_Occurred())
        return NULL;
    PyObject *scopes = PyList_New(0);
    const char *scope;
    for (size_t i = 0; scopes != NULL && action >= INT_MIN && action <= INT_MAX &&
                       (scope = pp_action_scope((int)action, i)) != NULL; i++)
        pp_py_append(&scopes, pp_py_str_or_none(scope));
    return pp_py_tuple(scopes);
}

PyMethodDef pp_py_authorize_methods[] = {
    {"authorize", (PyCFunction)(void (*)(void))py_authorize, METH_FASTCALL,
     "authorize(policy, team, name, kind, action, product_id, device) -> answer tuple"},
    {"scope_grants", (PyCFunction)(void (*)(void))py_scope_grants, METH_FASTCALL,
     "scope_grants(granted, required) -> bool"},
    {"action_min_role", py_action_min_role, METH_O, "action_min_role(action) -> role value"},
    {"action_scopes", py_action_scopes, METH_O, "action_scopes(action) -> tuple of scopes"},
    {NULL, NULL, 0, NULL}
};
