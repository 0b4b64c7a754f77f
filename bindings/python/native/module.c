/* The module: every area's functions, the two handle types, the version
 * check against the library actually loaded, and the Python objects the
 * package registers for the C code to use. */
#include "native.h"

#include <dlfcn.h>

pp_py_hooks pp_py_registered;

/* register(**objects): the package's classes, members and helpers for the
 * C code (called once, at import); every entry of pp_py_hooks but mapping. */
static PyObject *py_register(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    enum { ANY, TYPE, TUPLE };
    static const struct { const char *name; size_t offset; int kind; } entries[] = {
        {"device_type", offsetof(pp_py_hooks, device_type), TYPE},
        {"refuse", offsetof(pp_py_hooks, refuse), ANY},
        {"decision", offsetof(pp_py_hooks, decision), ANY},
        {"decision_type", offsetof(pp_py_hooks, decision_type), TYPE},
        {"status_type", offsetof(pp_py_hooks, status_type), TYPE},
        {"limited", offsetof(pp_py_hooks, limited), ANY},
        {"outcomes", offsetof(pp_py_hooks, outcomes), TUPLE},
        {"reasons", offsetof(pp_py_hooks, reasons), TUPLE},
        {"errors", offsetof(pp_py_hooks, errors), TUPLE},
        {"privileges", offsetof(pp_py_hooks, privileges), TUPLE},
        {"advisories", offsetof(pp_py_hooks, advisories), TUPLE},
        {"effects", offsetof(pp_py_hooks, effects), TUPLE},
    };
    size_t n = sizeof entries / sizeof entries[0];
    if (PyTuple_GET_SIZE(args) != 0 || kwargs == NULL || PyDict_GET_SIZE(kwargs) != (Py_ssize_t)n) {
        PyErr_SetString(PyExc_TypeError, "register() takes every object by keyword");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        PyObject *value = PyDict_GetItemString(kwargs, entries[i].name);
        if (value == NULL || (entries[i].kind == TUPLE && !PyTuple_Check(value)) ||
            (entries[i].kind == TYPE && !PyType_Check(value))) {
            PyErr_Format(PyExc_TypeError, "register(): %s is missing or of the wrong type",
                         entries[i].name);
            return NULL;
        }
    }
    for (size_t i = 0; i < n; i++) {
        PyObject **slot = (PyObject **)((char *)&pp_py_registered + entries[i].offset);
        PyObject *value = PyDict_GetItemString(kwargs, entries[i].name);
        Py_INCREF(value);
        Py_XSETREF(*slot, value);
    }
    Py_RETURN_NONE;
}

PyMethodDef pp_py_module_methods[] = {
    {"register", (PyCFunction)(void (*)(void))py_register, METH_VARARGS | METH_KEYWORDS,
     "register(**objects): the package's classes and members for the C code"},
    {NULL, NULL, 0, NULL}
};

/* Every area's table, in header order. */
static PyMethodDef *const areas[] = {
    pp_py_module_methods,
    pp_py_vocabulary_methods,
    pp_py_policy_methods,
    pp_py_team_methods,
    pp_py_device_methods,
    pp_py_decide_methods,
    pp_py_families_methods,
    pp_py_authorize_methods,
    pp_py_lifecycle_methods,
    pp_py_audit_methods,
    pp_py_diff_methods,
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "particlepolicy._native",
    .m_doc = "libparticlepolicy's calls for the particlepolicy package.",
    .m_size = -1,
};

/* The file the library was loaded from, for messages and for
 * particlepolicy.library_path. */
static PyObject *library_path(void)
{
    Dl_info info;
    const char *path = NULL;
    if (dladdr((void *)pp_version_number, &info) != 0)
        path = info.dli_fname;
    return PyUnicode_DecodeFSDefault(path != NULL ? path : "libparticlepolicy");
}

/* The library must have the header's major version and be at least as new
 * as the header this module was compiled with. */
static int check_version(PyObject *path)
{
    unsigned linked = pp_version_number();
    if (linked / 10000 == PP_VERSION_MAJOR && linked >= PP_VERSION_NUMBER)
        return 0;
    PyErr_Format(PyExc_ImportError,
                 "particlepolicy: %U is version %s, this binding needs %d.x from %d.%d.%d on",
                 path, pp_version_string(), PP_VERSION_MAJOR, PP_VERSION_MAJOR,
                 PP_VERSION_MINOR, PP_VERSION_PATCH);
    return -1;
}

static int add_object(PyObject *module, const char *name, PyObject *value)
{
    if (value == NULL || PyModule_AddObject(module, name, value) < 0) {
        Py_XDECREF(value);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC PyInit__native(void)
{
    PyObject *path = library_path();
    if (path == NULL || check_version(path) < 0 || PyType_Ready(&pp_py_policy_type) < 0 ||
        PyType_Ready(&pp_py_team_type) < 0) {
        Py_XDECREF(path);
        return NULL;
    }
    PyObject *module = PyModule_Create(&module_def);
    for (size_t i = 0; module != NULL && i < sizeof areas / sizeof areas[0]; i++) {
        if (PyModule_AddFunctions(module, areas[i]) < 0)
            Py_CLEAR(module);
    }
    if (module == NULL) {
        Py_DECREF(path);
        return NULL;
    }
    PyObject *abc = PyImport_ImportModule("collections.abc");
    if (pp_py_registered.mapping == NULL && abc != NULL)
        pp_py_registered.mapping = PyObject_GetAttrString(abc, "Mapping");
    Py_XDECREF(abc);
    Py_INCREF(&pp_py_policy_type);
    Py_INCREF(&pp_py_team_type);
    if (pp_py_registered.mapping == NULL ||
        add_object(module, "Policy", (PyObject *)&pp_py_policy_type) < 0 ||
        add_object(module, "Team", (PyObject *)&pp_py_team_type) < 0 ||
        add_object(module, "library_path", path) < 0 ||
        add_object(module, "library_version", PyUnicode_FromString(pp_version_string())) < 0 ||
        add_object(module, "header_version",
                   PyUnicode_FromFormat("%d.%d.%d", PP_VERSION_MAJOR, PP_VERSION_MINOR,
                                        PP_VERSION_PATCH)) < 0 ||
        PyModule_AddIntConstant(module, "RELEASE_MIN", PP_PY_RELEASE_MIN) < 0 ||
        PyModule_AddIntConstant(module, "DECISION_CACHE_LIMIT", PP_PY_DECISION_CACHE_LIMIT) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
