/* Compiled policies: loading, freeing, and reading what they hold. */
#include "native.h"

static void policy_dealloc(pp_py_policy *self)
{
    if (self->weakrefs != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    pp_policy_free(self->policy);
    Py_XDECREF(self->platforms);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *policy_close(pp_py_policy *self, PyObject *unused)
{
    (void)unused;
    pp_policy *policy = self->policy;
    self->policy = NULL;
    pp_policy_free(policy);     /* calls in flight hold their own reference */
    Py_RETURN_NONE;
}

static PyObject *policy_closed(pp_py_policy *self, void *unused)
{
    (void)unused;
    return PyBool_FromLong(self->policy == NULL);
}

static PyMethodDef policy_type_methods[] = {
    {"close", (PyCFunction)policy_close, METH_NOARGS,
     "Drop the handle's reference to the policy; idempotent."},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef policy_getset[] = {
    {"closed", (getter)policy_closed, NULL, "Whether close() has run.", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

PyTypeObject pp_py_policy_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "particlepolicy._native.Policy",
    .tp_doc = "A compiled policy (made by load()).",
    .tp_basicsize = sizeof(pp_py_policy),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)policy_dealloc,
    .tp_weaklistoffset = offsetof(pp_py_policy, weakrefs),
    .tp_methods = policy_type_methods,
    .tp_getset = policy_getset,
};

/* Lower-case platform name -> ID, for records that name their platform. */
static PyObject *platform_names(const pp_policy *policy)
{
    PyObject *names = PyDict_New();
    pp_platform_info info;
    for (size_t i = 0; names != NULL && pp_policy_platform_at(&info, policy, i) == PP_OK; i++) {
        PyObject *name = PyUnicode_DecodeUTF8(info.name, (Py_ssize_t)strlen(info.name),
                                              "replace");
        PyObject *lower = name == NULL ? NULL : PyObject_CallMethod(name, "lower", NULL);
        PyObject *id = PyLong_FromUnsignedLong(info.id);
        if (lower == NULL || id == NULL || PyDict_SetItem(names, lower, id) < 0)
            Py_CLEAR(names);
        Py_XDECREF(name);
        Py_XDECREF(lower);
        Py_XDECREF(id);
    }
    return names;
}

/* load(text: bytes, limits: tuple of 6 ints or None) -> Policy, or the
 * error (code, message, line, column, offset) when the text does not load. */
static PyObject *py_load(PyObject *module, PyObject *args)
{
    (void)module;
    const char *text;
    Py_ssize_t len;
    PyObject *limits;
    if (!PyArg_ParseTuple(args, "y#O:load", &text, &len, &limits))
        return NULL;
    /* The package checked the ranges (Limits). */
    pp_load_options options = PP_LOAD_OPTIONS_INIT;
    unsigned long long max_input_bytes = 0;
    if (limits != Py_None &&
        !PyArg_ParseTuple(limits, "KIIIII:limits", &max_input_bytes,
                          &options.max_depth, &options.max_aliases, &options.max_nodes,
                          &options.max_products, &options.max_members))
        return NULL;
    options.max_input_bytes = (size_t)max_input_bytes;
    pp_policy *policy = NULL;
    pp_error err;
    int rc;
    /* Loading a large policy takes seconds: other threads run meanwhile.
     * text belongs to the bytes object the caller holds. */
    Py_BEGIN_ALLOW_THREADS
    rc = pp_policy_load(&policy, text, (size_t)len, limits == Py_None ? NULL : &options,
                        &err);
    Py_END_ALLOW_THREADS
    if (rc == PP_ERR_NOMEM)
        return PyErr_NoMemory();
    if (rc != PP_OK)
        return Py_BuildValue("(iskkn)", err.code, err.message, (unsigned long)err.line,
                             (unsigned long)err.column, (Py_ssize_t)err.offset);
    pp_py_policy *self = PyObject_New(pp_py_policy, &pp_py_policy_type);
    if (self == NULL) {
        pp_policy_free(policy);
        return NULL;
    }
    self->policy = policy;
    self->weakrefs = NULL;
    self->platforms = platform_names(policy);
    if (self->platforms == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

/* validate(text: bytes, limits) -> list of (code, message, line, column,
 * offset): every error of the text, in source order; empty when it loads. */
static PyObject *py_validate(PyObject *module, PyObject *args)
{
    (void)module;
    const char *text;
    Py_ssize_t len;
    PyObject *limits;
    if (!PyArg_ParseTuple(args, "y#O:validate", &text, &len, &limits))
        return NULL;
    pp_load_options options = PP_LOAD_OPTIONS_INIT;
    unsigned long long max_input_bytes = 0;
    if (limits != Py_None &&
        !PyArg_ParseTuple(limits, "KIIIII:limits", &max_input_bytes,
                          &options.max_depth, &options.max_aliases, &options.max_nodes,
                          &options.max_products, &options.max_members))
        return NULL;
    options.max_input_bytes = (size_t)max_input_bytes;
    pp_error *found = PyMem_Malloc(PP_VALIDATE_MAX_ERRORS * sizeof *found);
    if (found == NULL)
        return PyErr_NoMemory();
    size_t total = 0;
    Py_BEGIN_ALLOW_THREADS
    pp_policy_validate(&total, found, PP_VALIDATE_MAX_ERRORS, text, (size_t)len,
                       limits == Py_None ? NULL : &options);
    Py_END_ALLOW_THREADS
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list != NULL && i < total && i < PP_VALIDATE_MAX_ERRORS; i++) {
        PyObject *e = Py_BuildValue("(iskkn)", found[i].code, found[i].message,
                                    (unsigned long)found[i].line,
                                    (unsigned long)found[i].column, (Py_ssize_t)found[i].offset);
        if (e == NULL || PyList_Append(list, e) < 0)
            Py_CLEAR(list);
        Py_XDECREF(e);
    }
    PyMem_Free(found);
    return list;
}

static PyObject *py_fingerprint(PyObject *module, PyObject *arg)
{
    (void)module;
    pp_policy *policy = pp_py_policy_of(arg);
    if (policy == NULL)
        return NULL;
    return PyLong_FromUnsignedLongLong(pp_policy_fingerprint(policy));
}

static PyObject *py_legacy_below(PyObject *module, PyObject *arg)
{
    (void)module;
    pp_policy *policy = pp_py_policy_of(arg);
    if (policy == NULL)
        return NULL;
    return pp_py_str_or_none(pp_policy_legacy_below(policy));
}

/* products(policy) -> [(id, name, organization, family, auto_approve,
 * removed_quarantine, released_firmware, min_device_os)] */
static PyObject *py_products(PyObject *module, PyObject *arg)
{
    (void)module;
    pp_policy *policy = pp_py_policy_of(arg);
    if (policy == NULL)
        return NULL;
    size_t n = pp_policy_product_count(policy);
    PyObject *out = PyList_New(0);
    pp_product_info info;
    for (size_t i = 0; out != NULL && i < n; i++) {
        if (pp_policy_product_at(&info, policy, i) != PP_OK)
            continue;
        pp_py_append(&out, Py_BuildValue(
            "(kNNNiikN)", (unsigned long)info.id, pp_py_str_or_none(info.name),
            pp_py_str_or_none(info.organization), pp_py_family(policy, info.family),
            (int)info.auto_approve, (int)info.removed_quarantine,
            (unsigned long)info.released_firmware, pp_py_str_or_none(info.min_device_os)));
    }
    return out;
}

/* platforms(policy) -> [(id, name, product_eligible, family or None)] */
static PyObject *py_platforms(PyObject *module, PyObject *arg)
{
    (void)module;
    pp_policy *policy = pp_py_policy_of(arg);
    if (policy == NULL)
        return NULL;
    PyObject *out = PyList_New(0);
    pp_platform_info info;
    for (size_t i = 0; out != NULL && pp_policy_platform_at(&info, policy, i) == PP_OK; i++) {
        pp_py_append(&out, Py_BuildValue("(kNiN)", (unsigned long)info.id,
                                         pp_py_str_or_none(info.name),
                                         (int)info.product_eligible,
                                         pp_py_family(policy, info.family)));
    }
    return out;
}

/* skus(policy) -> [(prefix, platform_id, family or None)] */
static PyObject *py_skus(PyObject *module, PyObject *arg)
{
    (void)module;
    pp_policy *policy = pp_py_policy_of(arg);
    if (policy == NULL)
        return NULL;
    PyObject *out = PyList_New(0);
    pp_sku_info info;
    for (size_t i = 0; out != NULL && pp_policy_sku_at(&info, policy, i) == PP_OK; i++) {
        pp_py_append(&out, Py_BuildValue("(NkN)", pp_py_str_or_none(info.prefix),
                                         (unsigned long)info.platform_id,
                                         pp_py_family(policy, info.family)));
    }
    return out;
}

PyMethodDef pp_py_policy_methods[] = {
    {"load", py_load, METH_VARARGS,
     "load(text, limits) -> Policy, or (code, message, line, column, offset)"},
    {"validate", py_validate, METH_VARARGS,
     "validate(text, limits) -> [(code, message, line, column, offset), ...]"},
    {"fingerprint", py_fingerprint, METH_O, "fingerprint(policy) -> int"},
    {"legacy_below", py_legacy_below, METH_O, "legacy_below(policy) -> str"},
    {"products", py_products, METH_O, "products(policy) -> list of tuples"},
    {"platforms", py_platforms, METH_O, "platforms(policy) -> list of tuples"},
    {"skus", py_skus, METH_O, "skus(policy) -> list of tuples"},
    {NULL, NULL, 0, NULL}
};
