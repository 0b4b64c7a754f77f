/* The library's vocabularies, read from its own name functions (the
 * package builds its enums from them), and the facts attached to values. */
#include "native.h"

/* Every vocabulary: its name functions count from start by step until NULL. */
static const struct {
    const char *kind;
    const char *(*name)(int);
    int start, step;
} vocabularies[] = {
    {"outcome", pp_outcome_name, 0, 1},
    {"reason", pp_reason_name, 0, 1},
    {"role", pp_role_name, 0, 1},
    {"error", pp_error_name, 0, -1},
    {"privilege", pp_privilege_name, 0, 1},     /* by bit index */
    {"advisory", pp_advisory_name, 0, 1},       /* by bit index */
    {"action", pp_action_name, 0, 1},
    {"authz_reason", pp_authz_reason_name, 0, 1},
    {"actor_kind", pp_actor_kind_name, 0, 1},
    {"device_state", pp_device_state_name, 0, 1},
    {"severity", pp_severity_name, 0, 1},
    {"finding", pp_finding_name, 0, 1},
    {"sim_state", pp_sim_state_name, 0, 1},
    {"effect", pp_effect_name, 0, 1},           /* by bit index */
    {"operation", pp_operation_name, 0, 1},
    {"refusal", pp_refusal_name, 0, 1},
    {"change_kind", pp_change_kind_name, 0, 1},
    {"direction", pp_direction_name, 0, 1},
};

/* names(kind: str) -> [(name, value)] */
static PyObject *py_names(PyObject *module, PyObject *arg)
{
    (void)module;
    const char *kind = PyUnicode_Check(arg) ? PyUnicode_AsUTF8(arg) : NULL;
    if (kind == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "names() takes a vocabulary name");
        return NULL;
    }
    for (size_t v = 0; v < sizeof vocabularies / sizeof vocabularies[0]; v++) {
        if (strcmp(kind, vocabularies[v].kind) != 0)
            continue;
        PyObject *out = PyList_New(0);
        const char *name;
        for (int i = vocabularies[v].start; out != NULL && (name = vocabularies[v].name(i)) != NULL;
             i += vocabularies[v].step)
            pp_py_append(&out, Py_BuildValue("(si)", name, i));
        return out;
    }
    PyErr_Format(PyExc_ValueError, "no vocabulary %R", arg);
    return NULL;
}

/* An int argument that fits a C int. */
static int int_arg(PyObject *arg, int *out)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < INT_MIN || v > INT_MAX) {
        PyErr_SetString(PyExc_ValueError, "value out of range");
        return -1;
    }
    *out = (int)v;
    return 0;
}

static PyObject *py_error_text(PyObject *module, PyObject *arg)
{
    (void)module;
    int code;
    return int_arg(arg, &code) < 0 ? NULL : pp_py_str_or_none(pp_error_text(code));
}

static PyObject *py_finding_severity(PyObject *module, PyObject *arg)
{
    (void)module;
    int code;
    return int_arg(arg, &code) < 0 ? NULL : PyLong_FromLong(pp_finding_severity(code));
}

static PyObject *py_operation_action(PyObject *module, PyObject *arg)
{
    (void)module;
    int operation;
    return int_arg(arg, &operation) < 0 ? NULL
                                        : PyLong_FromLong(pp_operation_action(operation));
}

PyMethodDef pp_py_vocabulary_methods[] = {
    {"names", py_names, METH_O, "names(kind) -> [(name, value)] of a vocabulary"},
    {"error_text", py_error_text, METH_O, "error_text(code) -> str or None"},
    {"finding_severity", py_finding_severity, METH_O,
     "finding_severity(code) -> severity value, or -1"},
    {"operation_action", py_operation_action, METH_O,
     "operation_action(operation) -> the action value it is authorized as, or -1"},
    {NULL, NULL, 0, NULL}
};
