/* Security checks: the caller's records into the library's structures,
 * the snprintf-style calls, the findings out, and the SIM and canary
 * helpers.  A check walks the policy and every record, so it runs without
 * the GIL, over a retained policy and records this call owns: the package
 * passes integration, token and SIM records as tuples of bytes, None and
 * ints (immutable, held by our own tuple of them), and devices are
 * converted with their strings held in a keep array. */
#include "native.h"

typedef enum {
    CHECK_POLICY, CHECK_INTEGRATIONS, CHECK_TOKENS, CHECK_SIMS, CHECK_DEVICES,
    CHECK_TOKEN, CHECK_AUDIT
} check;

/* The records of one call. */
typedef struct {
    pp_audit_input in;
    const char *token;
    size_t token_len;
    PyObject *rows[4];      /* our tuples of the record tuples */
    PyObject **keep;        /* PP_PY_DEVICE_STRINGS per converted device */
    size_t n_keep;
} records;

static void records_free(records *r)
{
    pp_py_release(r->keep, r->n_keep);
    PyMem_Free(r->keep);
    PyMem_Free((void *)r->in.integrations);
    PyMem_Free((void *)r->in.tokens);
    PyMem_Free((void *)r->in.sims);
    PyMem_Free((void *)r->in.devices);
    for (int i = 0; i < 4; i++)
        Py_CLEAR(r->rows[i]);
}

/* Our own tuple of seq's items, and a zeroed array of as many structures
 * (never NULL: the library gets a real pointer also for none). */
static Py_ssize_t take(PyObject *seq, PyObject **rows, void **array, size_t size)
{
    *rows = PySequence_Tuple(seq);
    if (*rows == NULL)
        return -1;
    Py_ssize_t n = PyTuple_GET_SIZE(*rows);
    *array = PyMem_Calloc((size_t)n + 1, size);
    if (*array == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return n;
}

/* Field i of a record tuple of n fields, or NULL with TypeError. */
static PyObject *field(PyObject *row, Py_ssize_t n, Py_ssize_t i)
{
    if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) != n) {
        PyErr_SetString(PyExc_TypeError, "a record is a tuple of its fields");
        return NULL;
    }
    return PyTuple_GET_ITEM(row, i);
}

/* bytes or None, as the package gives record strings */
static int text(PyObject *value, const char *name, const char **ptr, size_t *len)
{
    *ptr = NULL;
    *len = 0;
    return value == Py_None ? 0 : pp_py_bytes_arg(value, name, ptr, len);
}

static int int32(PyObject *value, int32_t *out)
{
    long v = PyLong_AsLong(value);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = v != 0;
    return 0;
}

static int uint64(PyObject *value, uint64_t *out)
{
    unsigned long long v = PyLong_AsUnsignedLongLong(value);
    if (v == (unsigned long long)-1 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

/* (product_id, url, enforce_ssl) */
static int integrations(records *r, PyObject *seq)
{
    pp_integration_record *a;
    Py_ssize_t n = take(seq, &r->rows[0], (void **)&a, sizeof *a);
    r->in.integrations = n < 0 ? NULL : a;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PyTuple_GET_ITEM(r->rows[0], i);
        if (field(row, 3, 0) == NULL ||
            pp_py_uint32(field(row, 3, 0), "product_id", UINT32_MAX, &a[i].product_id) < 0 ||
            text(field(row, 3, 1), "url", &a[i].url, &a[i].url_len) < 0 ||
            int32(field(row, 3, 2), &a[i].enforce_ssl) < 0)
            return -1;
    }
    r->in.n_integrations = n < 0 ? 0 : (size_t)n;
    return n < 0 ? -1 : 0;
}

/* (product_id, owner, full_control, human) */
static int tokens(records *r, PyObject *seq)
{
    pp_token_record *a;
    Py_ssize_t n = take(seq, &r->rows[1], (void **)&a, sizeof *a);
    r->in.tokens = n < 0 ? NULL : a;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PyTuple_GET_ITEM(r->rows[1], i);
        if (field(row, 4, 0) == NULL ||
            pp_py_uint32(field(row, 4, 0), "product_id", UINT32_MAX, &a[i].product_id) < 0 ||
            text(field(row, 4, 1), "owner", &a[i].owner, &a[i].owner_len) < 0 ||
            int32(field(row, 4, 2), &a[i].full_control) < 0 ||
            int32(field(row, 4, 3), &a[i].human) < 0)
            return -1;
    }
    r->in.n_tokens = n < 0 ? 0 : (size_t)n;
    return n < 0 ? -1 : 0;
}

/* (iccid, usage_bytes, limit_bytes) */
static int sims(records *r, PyObject *seq)
{
    pp_sim_record *a;
    Py_ssize_t n = take(seq, &r->rows[2], (void **)&a, sizeof *a);
    r->in.sims = n < 0 ? NULL : a;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PyTuple_GET_ITEM(r->rows[2], i);
        if (field(row, 3, 0) == NULL ||
            text(field(row, 3, 0), "iccid", &a[i].iccid, &a[i].iccid_len) < 0 ||
            uint64(field(row, 3, 1), &a[i].usage_bytes) < 0 ||
            uint64(field(row, 3, 2), &a[i].limit_bytes) < 0)
            return -1;
    }
    r->in.n_sims = n < 0 ? 0 : (size_t)n;
    return n < 0 ? -1 : 0;
}

/* Device records, as for decide. */
static int devices(records *r, PyObject *seq, pp_py_policy *p)
{
    pp_device *a;
    Py_ssize_t n = take(seq, &r->rows[3], (void **)&a, sizeof *a);
    r->in.devices = n < 0 ? NULL : a;
    if (n < 0)
        return -1;
    r->keep = PyMem_Calloc((size_t)n * PP_PY_DEVICE_STRINGS + 1, sizeof *r->keep);
    if (r->keep == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (pp_py_device(&a[i], PyTuple_GET_ITEM(r->rows[3], i), p, &r->keep[r->n_keep]) < 0)
            return -1;
        r->n_keep += PP_PY_DEVICE_STRINGS;
    }
    r->in.n_devices = (size_t)n;
    return 0;
}

static int run(check which, size_t *total, pp_finding *out, size_t cap,
               const pp_policy *policy, const records *r)
{
    const pp_audit_input *in = &r->in;
    switch (which) {
    case CHECK_POLICY:
        return pp_check_policy(total, out, cap, policy);
    case CHECK_INTEGRATIONS:
        return pp_check_integrations(total, out, cap, policy, in->integrations,
                                     in->n_integrations);
    case CHECK_TOKENS:
        return pp_check_tokens(total, out, cap, policy, in->tokens, in->n_tokens);
    case CHECK_SIMS:
        return pp_check_sims(total, out, cap, policy, in->sims, in->n_sims);
    case CHECK_DEVICES:
        return pp_check_devices(total, out, cap, policy, in->devices, in->n_devices);
    case CHECK_TOKEN:
        return pp_check_token(total, out, cap, policy, r->token, r->token_len);
    case CHECK_AUDIT:
        return pp_audit(total, out, cap, policy, in);
    }
    return PP_ERR_INVALID_ARGUMENT;
}

/* A first array this large holds every finding of most calls; a larger
 * total is asked for again (the checks count like snprintf). */
#define FIRST_CAP 64

/* Run a check; (error code, [(code, severity, product_id, record, subject,
 * message)]).  Subjects point into the policy or the records: they are
 * copied before either is let go. */
static PyObject *findings(check which, pp_py_policy *p, records *r)
{
    pp_policy *policy = pp_py_open_policy(p);
    if (policy == NULL) {
        records_free(r);
        return NULL;
    }
    pp_policy_retain(policy);
    size_t cap = FIRST_CAP, total = 0;
    pp_finding *out = NULL;
    int rc = PP_OK;
    for (;;) {
        pp_finding *bigger = PyMem_Realloc(out, cap * sizeof *out);
        if (bigger == NULL) {
            PyMem_Free(out);
            out = NULL;
            break;
        }
        out = bigger;
        Py_BEGIN_ALLOW_THREADS
        rc = run(which, &total, out, cap, policy, r);
        Py_END_ALLOW_THREADS
        if (rc != PP_OK || total <= cap)
            break;
        cap = total;
    }
    PyObject *list = out == NULL ? PyErr_NoMemory() : PyList_New(0);
    for (size_t i = 0; list != NULL && rc == PP_OK && i < total; i++) {
        const pp_finding *f = &out[i];
        PyObject *subject = f->subject == NULL ? pp_py_str_or_none(NULL)
            : PyUnicode_DecodeUTF8(f->subject, (Py_ssize_t)f->subject_len, "replace");
        pp_py_append(&list, subject == NULL ? NULL
                     : Py_BuildValue("(iikkNN)", (int)f->code, (int)f->severity,
                                     (unsigned long)f->product_id, (unsigned long)f->record,
                                     subject, pp_py_str_or_none(f->message)));
    }
    PyMem_Free(out);
    pp_policy_free(policy);
    records_free(r);
    if (list == NULL)
        return NULL;
    return Py_BuildValue("(iN)", rc, list);
}

static PyObject *py_check_policy(PyObject *module, PyObject *arg)
{
    (void)module;
    records r = {0};
    pp_py_policy *p = pp_py_policy_arg(arg);
    return p == NULL ? NULL : findings(CHECK_POLICY, p, &r);
}

/* check_<kind>(policy, records) for the kinds of one record sequence */
static PyObject *check_records(const char *name, check which, PyObject *const *args,
                               Py_ssize_t nargs)
{
    records r = {0};
    pp_py_policy *p;
    if (pp_py_nargs(name, nargs, 2) < 0 || (p = pp_py_policy_arg(args[0])) == NULL)
        return NULL;
    int rc = which == CHECK_INTEGRATIONS ? integrations(&r, args[1])
           : which == CHECK_TOKENS ? tokens(&r, args[1])
           : which == CHECK_SIMS ? sims(&r, args[1])
           : devices(&r, args[1], p);
    if (rc < 0) {
        records_free(&r);
        return NULL;
    }
    return findings(which, p, &r);
}

static PyObject *py_check_integrations(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    (void)m;
    return check_records("check_integrations", CHECK_INTEGRATIONS, args, nargs);
}

static PyObject *py_check_tokens(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    (void)m;
    return check_records("check_tokens", CHECK_TOKENS, args, nargs);
}

static PyObject *py_check_sims(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    (void)m;
    return check_records("check_sims", CHECK_SIMS, args, nargs);
}

static PyObject *py_check_devices(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    (void)m;
    return check_records("check_devices", CHECK_DEVICES, args, nargs);
}

/* check_token(policy, token: bytes) */
static PyObject *py_check_token(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    records r = {0};
    pp_py_policy *p;
    if (pp_py_nargs("check_token", nargs, 2) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        pp_py_bytes_arg(args[1], "token", &r.token, &r.token_len) < 0)
        return NULL;
    /* The token belongs to args[1], which the caller holds for the call. */
    return findings(CHECK_TOKEN, p, &r);
}

/* audit(policy, integrations, tokens, sims, devices) */
static PyObject *py_audit(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    records r = {0};
    pp_py_policy *p;
    if (pp_py_nargs("audit", nargs, 5) < 0 || (p = pp_py_policy_arg(args[0])) == NULL)
        return NULL;
    if (integrations(&r, args[1]) < 0 || tokens(&r, args[2]) < 0 || sims(&r, args[3]) < 0 ||
        devices(&r, args[4], p) < 0) {
        records_free(&r);
        return NULL;
    }
    return findings(CHECK_AUDIT, p, &r);
}

/* sim_state(policy, usage_bytes, limit_bytes) -> (error code, state) */
static PyObject *py_sim_state(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    uint64_t usage, limit;
    if (pp_py_nargs("sim_state", nargs, 3) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        uint64(args[1], &usage) < 0 || uint64(args[2], &limit) < 0)
        return NULL;
    pp_policy *policy = pp_py_open_policy(p);
    if (policy == NULL)
        return NULL;
    int32_t state = 0;
    int rc = pp_sim_state_of(&state, policy, usage, limit);
    return Py_BuildValue("(ii)", rc, (int)state);
}

/* canary_fingerprint(token: bytes) -> int */
static PyObject *py_canary_fingerprint(PyObject *module, PyObject *arg)
{
    (void)module;
    const char *s;
    size_t len;
    if (pp_py_bytes_arg(arg, "token", &s, &len) < 0)
        return NULL;
    return PyLong_FromUnsignedLongLong(pp_canary_fingerprint(s, len));
}

PyMethodDef pp_py_audit_methods[] = {
    {"check_policy", py_check_policy, METH_O, "check_policy(policy) -> (code, findings)"},
    {"check_integrations", (PyCFunction)(void (*)(void))py_check_integrations, METH_FASTCALL,
     "check_integrations(policy, records) -> (code, findings)"},
    {"check_tokens", (PyCFunction)(void (*)(void))py_check_tokens, METH_FASTCALL,
     "check_tokens(policy, records) -> (code, findings)"},
    {"check_sims", (PyCFunction)(void (*)(void))py_check_sims, METH_FASTCALL,
     "check_sims(policy, records) -> (code, findings)"},
    {"check_devices", (PyCFunction)(void (*)(void))py_check_devices, METH_FASTCALL,
     "check_devices(policy, devices) -> (code, findings)"},
    {"check_token", (PyCFunction)(void (*)(void))py_check_token, METH_FASTCALL,
     "check_token(policy, token) -> (code, findings)"},
    {"audit", (PyCFunction)(void (*)(void))py_audit, METH_FASTCALL,
     "audit(policy, integrations, tokens, sims, devices) -> (code, findings)"},
    {"sim_state", (PyCFunction)(void (*)(void))py_sim_state, METH_FASTCALL,
     "sim_state(policy, usage_bytes, limit_bytes) -> (code, state)"},
    {"canary_fingerprint", py_canary_fingerprint, METH_O, "canary_fingerprint(token) -> int"},
    {NULL, NULL, 0, NULL}
};
