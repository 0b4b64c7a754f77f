/* particlepolicy._native: the C library's calls as Python functions.
 *
 * One file per area of include/particlepolicy.h (decide.c, authorize.c,
 * audit.c, team.c, families.c, ...).  Each defines a NULL-terminated method
 * table that module.c adds to the module, so binding a new C function is one
 * function plus one table entry in its area's file (and a new area is one
 * file plus one line in module.c's list).  The functions take and return
 * plain Python values (ints, bytes, str, tuples); the package's Python code
 * gives them their shape (dataclasses, enums, exceptions).  The exception is
 * the admission decision, built here from a cache because it is the hot path.
 *
 * Rules every function keeps:
 *  - A (pointer, length) pair given to the library is never NULL with a
 *    nonzero length: absent is (NULL, 0), present is a real pointer
 *    (pp_py_text).
 *  - The library may run without the GIL only over memory this call owns:
 *    strings held by reference (the keep arrays), the policy retained
 *    (pp_policy_retain), a team set read-locked (team.c).  Short calls keep
 *    the GIL: releasing it would cost more than the call.
 *  - Errors the caller can cause are Python exceptions with the same
 *    messages the package documents (TypeError, ValueError); library error
 *    codes are returned to the Python code, which raises for them. */
#ifndef PP_PY_NATIVE_H
#define PP_PY_NATIVE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>

#include <particlepolicy.h>

/* A compiled policy (_native.Policy).  close() drops the handle's reference;
 * a call running without the GIL holds its own, so closing never frees
 * memory in use. */
typedef struct {
    PyObject_HEAD
    pp_policy *policy;      /* NULL once closed */
    PyObject *platforms;    /* dict: lower-case platform name -> ID */
    PyObject *weakrefs;
} pp_py_policy;

/* A team set (_native.Team).  pp_team_add must not run while a decision
 * reads the set: changes hold the GIL and the write lock, decisions that
 * run without the GIL hold the read lock, and decisions that keep the GIL
 * need no lock. */
typedef struct {
    PyObject_HEAD
    pp_team *team;          /* NULL once closed */
    pthread_rwlock_t lock;
    PyObject *weakrefs;
} pp_py_team;

extern PyTypeObject pp_py_policy_type;
extern PyTypeObject pp_py_team_type;

/* Python objects the package registers at import (_native.register). */
typedef struct {
    PyObject *device_type;  /* particlepolicy.Device */
    PyObject *refuse;       /* raises TypeError for unknown device keys */
    PyObject *decision;     /* builds a Decision from its 11 raw fields: the
                               reference, used for values the tables lack */
    PyObject *decision_type;    /* Decision */
    PyObject *status_type;      /* CloudProductStatus */
    PyObject *limited;          /* Outcome.LIMITED */
    PyObject *outcomes;     /* tuples of members by value (errors by -code, */
    PyObject *reasons;      /* None at 0; flag sets by bit pattern) */
    PyObject *errors;
    PyObject *privileges;
    PyObject *advisories;
    PyObject *effects;
    PyObject *mapping;      /* collections.abc.Mapping (module.c imports it) */
} pp_py_hooks;
extern pp_py_hooks pp_py_registered;

/* Each area's functions (module.c adds them in this order). */
extern PyMethodDef pp_py_module_methods[];
extern PyMethodDef pp_py_vocabulary_methods[];
extern PyMethodDef pp_py_policy_methods[];
extern PyMethodDef pp_py_team_methods[];
extern PyMethodDef pp_py_device_methods[];
extern PyMethodDef pp_py_decide_methods[];
extern PyMethodDef pp_py_families_methods[];
extern PyMethodDef pp_py_authorize_methods[];
extern PyMethodDef pp_py_audit_methods[];
extern PyMethodDef pp_py_lifecycle_methods[];
extern PyMethodDef pp_py_diff_methods[];

/* ---- convert.c: Python values to C, with the package's messages ---- */

/* str (UTF-8), bytes, bytearray or memoryview (copied), or None (absent:
 * NULL, 0) into (*ptr, *len).  *keep receives a new reference to the object
 * that owns the bytes (NULL for None); release it after the call. */
int pp_py_text_any(PyObject *value, const char *field, PyObject **keep,
                   const char **ptr, size_t *len);
static inline int pp_py_text(PyObject *value, const char *field, PyObject **keep,
                             const char **ptr, size_t *len)
{
    if (value == Py_None) {
        *keep = NULL;
        *ptr = NULL;
        *len = 0;
        return 0;
    }
    if (PyUnicode_CheckExact(value) && PyUnicode_IS_COMPACT_ASCII(value)) {
        Py_INCREF(value);       /* ASCII text is its own UTF-8 */
        *keep = value;
        *ptr = (const char *)PyUnicode_DATA(value);
        *len = (size_t)PyUnicode_GET_LENGTH(value);
        return 0;
    }
    return pp_py_text_any(value, field, keep, ptr, len);
}

/* An int from 0 to limit (None is 0); TypeError for other types, bool
 * included, ValueError out of range. */
int pp_py_uint32_any(PyObject *value, const char *field, uint32_t limit, uint32_t *out);
static inline int pp_py_uint32(PyObject *value, const char *field, uint32_t limit,
                               uint32_t *out)
{
    if (PyLong_CheckExact(value)) {
        unsigned long v = PyLong_AsUnsignedLong(value);
        if (v != (unsigned long)-1 && v <= limit) {
            *out = (uint32_t)v;
            return 0;
        }
        PyErr_Clear();          /* negative, say: the slow path's message */
    }
    return pp_py_uint32_any(value, field, limit, out);
}

/* Release n references of a keep array and clear them. */
void pp_py_release(PyObject **keep, size_t n);
/* The argument as a policy / team set, or NULL with TypeError. */
pp_py_policy *pp_py_policy_arg(PyObject *arg);
/* The open policy of a handle argument, or NULL with TypeError/ValueError. */
pp_policy *pp_py_policy_of(PyObject *arg);
/* None gives *out NULL. */
int pp_py_team_arg(PyObject *arg, pp_py_team **out);
/* The open policy of a handle, or NULL with ValueError("policy is closed"). */
pp_policy *pp_py_open_policy(pp_py_policy *p);
/* The open set of a team handle (NULL for none), or -1 with ValueError. */
int pp_py_open_team(pp_py_team *t, const pp_team **out);
/* Whether nargs is n, else TypeError naming the function. */
int pp_py_nargs(const char *name, Py_ssize_t nargs, Py_ssize_t n);
/* An item of a str/bytes tuple argument as (pointer, length). */
int pp_py_bytes_arg(PyObject *arg, const char *field, const char **ptr, size_t *len);
/* Append item (a new reference, or NULL after an error) to *list, giving
 * the reference up; on failure *list is cleared.  Returns 0 or -1. */
int pp_py_append(PyObject **list, PyObject *item);
/* A list as a tuple (NULL stays NULL); the list is released. */
PyObject *pp_py_tuple(PyObject *list);
/* A family index as its name, or None. */
PyObject *pp_py_family(const pp_policy *policy, int index);
/* A static C string as str, or None for NULL. */
PyObject *pp_py_str_or_none(const char *s);

/* A pp_decision's fields in structure order, as the package's Decision
 * takes them (decide.c). */
PyObject *pp_py_decision_fields(const pp_decision *d);

/* ---- device.c: device records and models ---- */

/* Strings in a pp_device (id, device_os, sku, owner): the keep array's
 * length per record. */
#define PP_PY_DEVICE_STRINGS 4

/* A Device or a mapping into *out for policy p's platform names.  On
 * failure keep holds nothing. */
int pp_py_device(pp_device *out, PyObject *record, pp_py_policy *p, PyObject **keep);
/* A platform (None, an ID or a name) and a SKU into a pp_model. */
int pp_py_model(pp_model *out, PyObject *platform, PyObject *sku, pp_py_policy *p,
                PyObject **keep);

/* ---- authorize.c ---- */

/* An authorization as the package's answer tuple: (allowed, reason, error,
 * role, required_role, device_state, required_scope, ota_update_pending). */
PyObject *pp_py_authorization(const pp_authorization *a);

/* ---- team.c: using a set without the GIL ---- */

/* Read-lock t (may be NULL) and fetch its set; call without the GIL.
 * Returns -1 when the set was closed (then nothing is locked). */
int pp_py_team_read(pp_py_team *t, const pp_team **out);
void pp_py_team_unread(pp_py_team *t);

/* Decision objects the cache may hold after a call (decide.c). */
#define PP_PY_DECISION_CACHE_LIMIT 16384

/* Batches at least this long run without the GIL: below, releasing and
 * taking it back costs about as much as the library's work. */
#define PP_PY_RELEASE_MIN 64

#endif /* PP_PY_NATIVE_H */
