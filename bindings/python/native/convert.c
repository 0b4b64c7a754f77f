/* Python values to C values, and the argument checks every area shares.
 * The messages are the package's documented ones (docs/python.md). */
#include "native.h"

/* type(value).__name__, for messages. */
static PyObject *type_name(PyObject *value)
{
    return PyObject_GetAttrString((PyObject *)Py_TYPE(value), "__name__");
}

static void wrong_type(PyObject *value, const char *field, const char *wanted)
{
    PyObject *name = type_name(value);
    if (name != NULL) {
        PyErr_Format(PyExc_TypeError, "%s must be %s, not %U", field, wanted, name);
        Py_DECREF(name);
    }
}

int pp_py_text_any(PyObject *value, const char *field, PyObject **keep,
                   const char **ptr, size_t *len)
{
    *keep = NULL;
    if (value == Py_None) {
        *ptr = NULL;
        *len = 0;
        return 0;
    }
    Py_ssize_t n;
    if (PyUnicode_Check(value)) {
        /* The UTF-8 form is cached in the str, which *keep holds. */
        const char *s = PyUnicode_AsUTF8AndSize(value, &n);
        if (s == NULL)
            return -1;
        Py_INCREF(value);
        *keep = value;
        *ptr = s;
        *len = (size_t)n;
        return 0;
    }
    if (PyBytes_Check(value)) {
        Py_INCREF(value);
    } else if (PyByteArray_Check(value) || PyMemoryView_Check(value)) {
        /* Mutable: a copy, so that no other thread can change or free the
         * bytes while the library reads them. */
        value = PyBytes_FromObject(value);
        if (value == NULL)
            return -1;
    } else {
        wrong_type(value, field, "str or bytes");
        return -1;
    }
    *keep = value;
    *ptr = PyBytes_AS_STRING(value);   /* never NULL, also for b"" */
    *len = (size_t)PyBytes_GET_SIZE(value);
    return 0;
}

int pp_py_uint32_any(PyObject *value, const char *field, uint32_t limit, uint32_t *out)
{
    if (value == Py_None) {
        *out = 0;
        return 0;
    }
    if (!PyLong_Check(value) || PyBool_Check(value)) {
        wrong_type(value, field, "an int");
        return -1;
    }
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (overflow || v < 0 || (unsigned long long)v > limit) {
        PyErr_Format(PyExc_ValueError, "%s must be 0 to %lu, found %S", field,
                     (unsigned long)limit, value);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

void pp_py_release(PyObject **keep, size_t n)
{
    for (size_t i = 0; i < n; i++)
        Py_CLEAR(keep[i]);
}

pp_py_policy *pp_py_policy_arg(PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &pp_py_policy_type)) {
        PyErr_SetString(PyExc_TypeError, "expected a particlepolicy._native.Policy");
        return NULL;
    }
    return (pp_py_policy *)arg;
}

int pp_py_team_arg(PyObject *arg, pp_py_team **out)
{
    if (arg == Py_None) {
        *out = NULL;
        return 0;
    }
    if (!PyObject_TypeCheck(arg, &pp_py_team_type)) {
        PyErr_SetString(PyExc_TypeError, "expected a particlepolicy._native.Team");
        return -1;
    }
    *out = (pp_py_team *)arg;
    return 0;
}

pp_policy *pp_py_policy_of(PyObject *arg)
{
    pp_py_policy *p = pp_py_policy_arg(arg);
    return p == NULL ? NULL : pp_py_open_policy(p);
}

pp_policy *pp_py_open_policy(pp_py_policy *p)
{
    if (p->policy == NULL)
        PyErr_SetString(PyExc_ValueError, "policy is closed");
    return p->policy;
}

int pp_py_open_team(pp_py_team *t, const pp_team **out)
{
    *out = NULL;
    if (t == NULL)
        return 0;
    if (t->team == NULL) {
        PyErr_SetString(PyExc_ValueError, "team set is closed");
        return -1;
    }
    *out = t->team;
    return 0;
}

int pp_py_nargs(const char *name, Py_ssize_t nargs, Py_ssize_t n)
{
    if (nargs == n)
        return 0;
    PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%zd given)", name, n, nargs);
    return -1;
}

int pp_py_bytes_arg(PyObject *arg, const char *field, const char **ptr, size_t *len)
{
    if (!PyBytes_Check(arg)) {
        wrong_type(arg, field, "bytes");
        return -1;
    }
    *ptr = PyBytes_AS_STRING(arg);
    *len = (size_t)PyBytes_GET_SIZE(arg);
    return 0;
}

int pp_py_append(PyObject **list, PyObject *item)
{
    if (*list != NULL && (item == NULL || PyList_Append(*list, item) < 0))
        Py_CLEAR(*list);
    Py_XDECREF(item);
    return *list == NULL ? -1 : 0;
}

PyObject *pp_py_tuple(PyObject *list)
{
    PyObject *t = list == NULL ? NULL : PyList_AsTuple(list);
    Py_XDECREF(list);
    return t;
}

PyObject *pp_py_str_or_none(const char *s)
{
    if (s == NULL)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

PyObject *pp_py_family(const pp_policy *policy, int index)
{
    return pp_py_str_or_none(index < 0 ? NULL : pp_family_name(policy, index));
}
