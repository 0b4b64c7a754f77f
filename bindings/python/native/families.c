/* Device families: may a model join a product, may two models share one,
 * and the policy's family names. */
#include "native.h"

/* (error code, allowed, reason, family_a, family_b) */
static PyObject *verdict(int rc, const pp_verdict *v, const pp_policy *policy)
{
    return Py_BuildValue("(iiiNN)", rc, (int)v->allowed, (int)v->reason,
                         pp_py_family(policy, v->family_a), pp_py_family(policy, v->family_b));
}

/* may_join(policy, product_id, platform, sku) -> verdict tuple */
static PyObject *py_may_join(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    uint32_t product_id;
    pp_model model;
    PyObject *keep = NULL;
    if (pp_py_nargs("may_join", nargs, 4) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        pp_py_uint32(args[1], "product_id", UINT32_MAX, &product_id) < 0 ||
        pp_py_model(&model, args[2], args[3], p, &keep) < 0)
        return NULL;
    pp_policy *policy = pp_py_open_policy(p);
    PyObject *out = NULL;
    if (policy != NULL) {
        pp_verdict v = {0, 0, -1, -1};
        int rc = pp_may_join(&v, policy, product_id, &model);
        out = verdict(rc, &v, policy);
    }
    Py_XDECREF(keep);
    return out;
}

/* may_share(policy, platform_a, sku_a, platform_b, sku_b) -> verdict tuple */
static PyObject *py_may_share(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    pp_model a, b;
    PyObject *keep_a = NULL, *keep_b = NULL;
    if (pp_py_nargs("may_share", nargs, 5) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        pp_py_model(&a, args[1], args[2], p, &keep_a) < 0)
        return NULL;
    PyObject *out = NULL;
    if (pp_py_model(&b, args[3], args[4], p, &keep_b) == 0) {
        pp_policy *policy = pp_py_open_policy(p);
        if (policy != NULL) {
            pp_verdict v = {0, 0, -1, -1};
            int rc = pp_may_share(&v, policy, &a, &b);
            out = verdict(rc, &v, policy);
        }
    }
    Py_XDECREF(keep_a);
    Py_XDECREF(keep_b);
    return out;
}

/* families(policy) -> tuple of names, built-in first */
static PyObject *py_families(PyObject *module, PyObject *arg)
{
    (void)module;
    pp_policy *policy = pp_py_policy_of(arg);
    if (policy == NULL)
        return NULL;
    PyObject *names = PyList_New(0);
    const char *name;
    for (int i = 0; names != NULL && (name = pp_family_name(policy, i)) != NULL; i++)
        pp_py_append(&names, pp_py_str_or_none(name));
    return pp_py_tuple(names);
}

PyMethodDef pp_py_families_methods[] = {
    {"may_join", (PyCFunction)(void (*)(void))py_may_join, METH_FASTCALL,
     "may_join(policy, product_id, platform, sku) -> (code, allowed, reason, family_a, family_b)"},
    {"may_share", (PyCFunction)(void (*)(void))py_may_share, METH_FASTCALL,
     "may_share(policy, platform_a, sku_a, platform_b, sku_b) -> verdict tuple"},
    {"families", py_families, METH_O, "families(policy) -> tuple of names"},
    {NULL, NULL, 0, NULL}
};
