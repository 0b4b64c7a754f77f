/* The device lifecycle (docs/lifecycle.md): the record a decision's effects
 * lead to, and operator actions as transitions of a record.  The next record
 * goes back as the fields the library may change; the package makes the
 * Device from them. */
#include "native.h"

/* (cloud_product_id, firmware_product_id, denied_in, removed_from,
 * quarantined_in, firmware_version, development, owner kept) */
static PyObject *next_fields(const pp_device *n)
{
    return Py_BuildValue("(kkkkkkOO)", (unsigned long)n->cloud_product_id,
                         (unsigned long)n->firmware_product_id, (unsigned long)n->denied_in,
                         (unsigned long)n->removed_from, (unsigned long)n->quarantined_in,
                         (unsigned long)n->firmware_version, n->development ? Py_True : Py_False,
                         n->owner != NULL ? Py_True : Py_False);
}

/* apply_effects(policy, device, product_id, effects, leaves_denied,
 * leaves_quarantine) -> (error code, next fields).  The policy reads the
 * record's platform names. */
static PyObject *py_apply_effects(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    pp_decision d = PP_DECISION_INIT;
    if (pp_py_nargs("apply_effects", nargs, 6) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        pp_py_uint32(args[2], "product_id", UINT32_MAX, &d.product_id) < 0 ||
        pp_py_uint32(args[3], "effects", UINT32_MAX, &d.effects) < 0 ||
        pp_py_uint32(args[4], "leaves_denied", UINT32_MAX, &d.leaves_denied) < 0 ||
        pp_py_uint32(args[5], "leaves_quarantine", UINT32_MAX, &d.leaves_quarantine) < 0)
        return NULL;
    pp_device device, next;
    PyObject *keep[PP_PY_DEVICE_STRINGS];
    if (pp_py_device(&device, args[1], p, keep) < 0)
        return NULL;
    int rc = pp_apply_effects(&next, &device, &d);
    pp_py_release(keep, PP_PY_DEVICE_STRINGS);
    return Py_BuildValue("(iN)", rc, next_fields(&next));
}

/* operate(policy, team, name: bytes, kind, operation, product_id, device)
 * -> (applied, refusal, error, authorization tuple, next fields).  Keeps
 * the GIL, like authorize. */
static PyObject *py_operate(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    pp_py_team *t;
    pp_actor actor;
    uint32_t kind, operation, product_id;
    if (pp_py_nargs("operate", nargs, 7) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        pp_py_team_arg(args[1], &t) < 0 ||
        pp_py_bytes_arg(args[2], "name", &actor.name, &actor.name_len) < 0 ||
        pp_py_uint32(args[3], "kind", INT32_MAX, &kind) < 0 ||
        pp_py_uint32(args[4], "operation", INT32_MAX, &operation) < 0 ||
        pp_py_uint32(args[5], "product_id", UINT32_MAX, &product_id) < 0)
        return NULL;
    actor.kind = (int32_t)kind;
    pp_device device;
    PyObject *keep[PP_PY_DEVICE_STRINGS];
    if (pp_py_device(&device, args[6], p, keep) < 0)
        return NULL;
    const pp_team *team;
    pp_policy *policy = pp_py_open_policy(p);
    PyObject *out = NULL;
    if (policy != NULL && pp_py_open_team(t, &team) == 0) {
        pp_device next;
        pp_transition tr;
        (void)pp_operate(&next, &tr, policy, team, &actor, (int)operation, product_id,
                         &device);      /* tr carries any error */
        out = Py_BuildValue("(iiiNN)", (int)tr.applied, (int)tr.refusal, (int)tr.error,
                            pp_py_authorization(&tr.authorization), next_fields(&next));
    }
    pp_py_release(keep, PP_PY_DEVICE_STRINGS);
    return out;
}

PyMethodDef pp_py_lifecycle_methods[] = {
    {"apply_effects", (PyCFunction)(void (*)(void))py_apply_effects, METH_FASTCALL,
     "apply_effects(policy, device, product_id, effects, leaves_denied, leaves_quarantine)"
     " -> (error code, next fields)"},
    {"operate", (PyCFunction)(void (*)(void))py_operate, METH_FASTCALL,
     "operate(policy, team, name, kind, operation, product_id, device)"
     " -> (applied, refusal, error, authorization, next fields)"},
    {NULL, NULL, 0, NULL}
};
