/* The policy diff: what a new policy changes (docs/diff.md).  The diff is
 * kept in a capsule that frees it; its parts come back as plain tuples for
 * the package's dataclasses (particlepolicy/_diff.py). */
#include "native.h"

#define CAPSULE "particlepolicy.diff"

static void diff_destroy(PyObject *capsule)
{
    pp_diff_free(PyCapsule_GetPointer(capsule, CAPSULE));
}

static const pp_diff *diff_arg(PyObject *arg)
{
    return PyCapsule_GetPointer(arg, CAPSULE);  /* ValueError for another object */
}

/* diff(old, new, max_classes) -> (0, None, capsule) or (code, message, None).
 * Runs without the GIL: both policies are retained for the call. */
static PyObject *py_diff(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    unsigned long long max = 0;
    pp_policy *old_policy, *new_policy;
    if (pp_py_nargs("diff", nargs, 3) < 0 || (old_policy = pp_py_policy_of(args[0])) == NULL ||
        (new_policy = pp_py_policy_of(args[1])) == NULL)
        return NULL;
    max = PyLong_AsUnsignedLongLong(args[2]);
    if (max == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    pp_diff_options options = PP_DIFF_OPTIONS_INIT;
    options.max_classes = max;
    pp_policy_retain(old_policy);
    pp_policy_retain(new_policy);
    pp_diff *d = NULL;
    pp_error err;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pp_policy_diff(&d, old_policy, new_policy, &options, &err);
    Py_END_ALLOW_THREADS
    pp_policy_free(old_policy);
    pp_policy_free(new_policy);
    if (rc != PP_OK)
        return Py_BuildValue("(isO)", rc, err.message, Py_None);
    PyObject *capsule = PyCapsule_New(d, CAPSULE, diff_destroy);
    if (capsule == NULL) {
        pp_diff_free(d);
        return NULL;
    }
    return Py_BuildValue("(iON)", 0, Py_None, capsule);
}

static PyObject *text(const char *s, size_t len)
{
    if (s == NULL)
        return pp_py_str_or_none(NULL);
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "replace");
}

static PyObject *cstr(const char *s)
{
    return text(s, s == NULL ? 0 : strlen(s));
}

/* The fields of a pp_device as a tuple in Device's order. */
static PyObject *record(const pp_device *r)
{
    PyObject *platform = r->platform_id == PP_PLATFORM_UNSPECIFIED
                             ? pp_py_str_or_none(NULL) : PyLong_FromUnsignedLong(r->platform_id);
    return Py_BuildValue("(NNNNNkkkkkOk)", text(r->id, r->id_len),
                         text(r->device_os, r->device_os_len), platform,
                         text(r->sku, r->sku_len), text(r->owner, r->owner_len),
                         (unsigned long)r->cloud_product_id,
                         (unsigned long)r->firmware_product_id, (unsigned long)r->denied_in,
                         (unsigned long)r->removed_from, (unsigned long)r->quarantined_in,
                         r->development ? Py_True : Py_False,
                         (unsigned long)r->firmware_version);
}

/* diff_report(capsule) -> (changes, findings, classes, examined,
 * authorizations), each a list of tuples. */
static PyObject *py_diff_report(PyObject *module, PyObject *arg)
{
    (void)module;
    const pp_diff *d = diff_arg(arg);
    if (d == NULL)
        return NULL;
    PyObject *changes = PyList_New(0), *findings = PyList_New(0), *classes = PyList_New(0),
             *authz = PyList_New(0);
    for (size_t i = 0; changes != NULL && i < pp_diff_change_count(d); i++) {
        pp_change c;
        pp_diff_change_at(&c, d, i);
        pp_py_append(&changes, Py_BuildValue("(iikNNNNNnn)", (int)c.kind, (int)c.direction,
                                             (unsigned long)c.product_id, cstr(c.organization),
                                             cstr(c.subject), cstr(c.key), cstr(c.old_value),
                                             cstr(c.new_value), (Py_ssize_t)c.findings_introduced,
                                             (Py_ssize_t)c.findings_resolved));
    }
    for (size_t i = 0; findings != NULL && i < pp_diff_finding_count(d); i++) {
        pp_diff_finding f;
        pp_diff_finding_at(&f, d, i);
        pp_py_append(&findings, Py_BuildValue(
            "(in(iikkNN))", (int)f.introduced,
            f.change == PP_DIFF_NONE ? (Py_ssize_t)-1 : (Py_ssize_t)f.change,
            (int)f.finding.code, (int)f.finding.severity, (unsigned long)f.finding.product_id,
            (unsigned long)f.finding.record, text(f.finding.subject, f.finding.subject_len),
            cstr(f.finding.message)));
    }
    for (size_t i = 0; classes != NULL && i < pp_diff_device_class_count(d); i++) {
        pp_device_class k;
        pp_diff_device_class_at(&k, d, i);
        pp_py_append(&classes, Py_BuildValue("(NNNNkk)", cstr(k.description),
                                             record(&k.representative),
                                             pp_py_decision_fields(&k.old_decision),
                                             pp_py_decision_fields(&k.new_decision),
                                             (unsigned long)k.privileges_gained,
                                             (unsigned long)k.privileges_lost));
    }
    for (size_t i = 0; authz != NULL && i < pp_diff_authorization_count(d); i++) {
        pp_authorization_change a;
        pp_diff_authorization_at(&a, d, i);
        pp_py_append(&authz, Py_BuildValue("(NiikNN)", cstr(a.actor), (int)a.actor_kind,
                                           (int)a.action, (unsigned long)a.product_id,
                                           pp_py_authorization(&a.old_answer),
                                           pp_py_authorization(&a.new_answer)));
    }
    if (changes == NULL || findings == NULL || classes == NULL || authz == NULL) {
        Py_XDECREF(changes);
        Py_XDECREF(findings);
        Py_XDECREF(classes);
        Py_XDECREF(authz);
        return NULL;
    }
    return Py_BuildValue("(NNNKN)", changes, findings, classes,
                         (unsigned long long)pp_diff_classes_examined(d), authz);
}

/* diff_class_of(capsule, policy, device) -> (error, index or -1, old
 * decision fields, new decision fields).  policy names the platforms of a
 * record that names its platform. */
static PyObject *py_diff_class_of(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    const pp_diff *d;
    pp_py_policy *p;
    if (pp_py_nargs("diff_class_of", nargs, 3) < 0 || (d = diff_arg(args[0])) == NULL ||
        (p = pp_py_policy_arg(args[1])) == NULL)
        return NULL;
    pp_device device;
    PyObject *keep[PP_PY_DEVICE_STRINGS] = {NULL, NULL, NULL, NULL};
    if (pp_py_device(&device, args[2], p, keep) < 0)
        return NULL;
    size_t index;
    pp_decision o, n;
    int rc = pp_diff_class_of(&index, &o, &n, d, &device);
    pp_py_release(keep, PP_PY_DEVICE_STRINGS);
    return Py_BuildValue("(inNN)", rc, index == PP_DIFF_NONE ? (Py_ssize_t)-1 : (Py_ssize_t)index,
                         pp_py_decision_fields(&o), pp_py_decision_fields(&n));
}

PyMethodDef pp_py_diff_methods[] = {
    {"diff", (PyCFunction)(void (*)(void))py_diff, METH_FASTCALL,
     "diff(old, new, max_classes) -> (error, message, diff)"},
    {"diff_report", py_diff_report, METH_O,
     "diff_report(diff) -> (changes, findings, classes, examined, authorizations)"},
    {"diff_class_of", (PyCFunction)(void (*)(void))py_diff_class_of, METH_FASTCALL,
     "diff_class_of(diff, policy, device) -> (error, index, old, new)"},
    {NULL, NULL, 0, NULL}
};
