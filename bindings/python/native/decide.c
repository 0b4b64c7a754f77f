/* The admission decision: one record, a batch, and the cache of Decision
 * objects.  Decisions repeat (a fleet has few distinct answers) and are
 * immutable, so equal answers share one object, built once per distinct
 * answer, not once per record. */
#include "native.h"

/* The cache: open addressing over raw pp_decisions, touched only with the
 * GIL held.  It is emptied at the end of a call that leaves it holding more
 * than CACHE_LIMIT answers; during a call it grows as needed.  A fleet has
 * about one distinct answer per product and outcome: the limit covers
 * policies of some ten thousand products in a few MB. */
#define CACHE_LIMIT PP_PY_DECISION_CACHE_LIMIT
#define CACHE_SLOTS_MIN (2 * CACHE_LIMIT)

typedef struct {
    pp_decision key;
    PyObject *value;        /* NULL: an empty slot */
} cache_slot;

static struct {
    cache_slot *slots;
    size_t mask;            /* slots - 1, a power of two minus one */
    size_t count;
    unsigned long generation;   /* how many times it was emptied */
} cache;

#define DECISION_WORDS (sizeof(pp_decision) / sizeof(uint32_t))

static size_t hash_decision(const pp_decision *d)
{
    uint32_t w[DECISION_WORDS];
    memcpy(w, d, sizeof w);
    uint64_t h = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < DECISION_WORDS; i++) {
        h = (h ^ w[i]) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    return (size_t)h;
}

static cache_slot *find_slot(cache_slot *slots, size_t mask, const pp_decision *d)
{
    size_t i = hash_decision(d) & mask;
    while (slots[i].value != NULL && memcmp(&slots[i].key, d, sizeof *d) != 0)
        i = (i + 1) & mask;
    return &slots[i];
}

static int cache_resize(size_t nslots)
{
    cache_slot *slots = PyMem_Calloc(nslots, sizeof *slots);
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; cache.slots != NULL && i <= cache.mask; i++) {
        if (cache.slots[i].value != NULL)
            *find_slot(slots, nslots - 1, &cache.slots[i].key) = cache.slots[i];
    }
    PyMem_Free(cache.slots);
    cache.slots = slots;
    cache.mask = nslots - 1;
    return 0;
}

static void cache_clear(void)
{
    cache_slot *slots = cache.slots;
    size_t n = slots == NULL ? 0 : cache.mask + 1;
    cache.slots = NULL;         /* the objects' deallocation runs no lookup */
    cache.count = 0;
    cache.generation++;
    for (size_t i = 0; i < n; i++)
        Py_XDECREF(slots[i].value);
    PyMem_Free(slots);
}

/* After each call: keep the cache bounded. */
static void cache_trim(void)
{
    if (cache.count > CACHE_LIMIT)
        cache_clear();
}

/* Decision's fields in its dataclass order, and CloudProductStatus's. */
static const char *const decision_field_names[] = {
    "outcome", "reason", "rule", "product_id", "privileges", "advisories",
    "cloud_product_status", "error", "effects", "leaves_denied", "leaves_quarantine"
};
#define DECISION_FIELDS 11
static PyObject *decision_fields[DECISION_FIELDS];
static PyObject *status_fields[2];      /* product_id, status */

static int intern_fields(void)
{
    for (int i = 0; i < DECISION_FIELDS; i++) {
        decision_fields[i] = PyUnicode_InternFromString(decision_field_names[i]);
        if (decision_fields[i] == NULL)
            return -1;
    }
    status_fields[0] = decision_fields[3];
    status_fields[1] = PyUnicode_InternFromString("status");
    return status_fields[1] == NULL ? -1 : 0;
}

/* The member of a registered tuple at index, or NULL when it has none. */
static PyObject *member(PyObject *table, long index)
{
    return index >= 0 && index < PyTuple_GET_SIZE(table) ? PyTuple_GET_ITEM(table, index) : NULL;
}

/* A frozen dataclass instance made as object.__new__ and object.__setattr__
 * make it: what its __init__ does, without the checks of a frozen class's
 * own __setattr__ (it has no __post_init__ to skip). */
static PyObject *instance(PyObject *type, PyObject *const *names, PyObject *const *values,
                          int n)
{
    static PyObject *no_args;
    if (no_args == NULL && (no_args = PyTuple_New(0)) == NULL)
        return NULL;
    PyObject *obj = PyBaseObject_Type.tp_new((PyTypeObject *)type, no_args, NULL);
    for (int i = 0; obj != NULL && i < n; i++) {
        if (values[i] == NULL || PyObject_GenericSetAttr(obj, names[i], values[i]) < 0)
            Py_CLEAR(obj);
    }
    return obj;
}

PyObject *pp_py_decision_fields(const pp_decision *d)
{
    return Py_BuildValue("(iiiikkkkkkk)", (int)d->outcome, (int)d->reason, (int)d->rule,
                         (int)d->error, (unsigned long)d->product_id,
                         (unsigned long)d->limited_in, (unsigned long)d->privileges,
                         (unsigned long)d->advisories, (unsigned long)d->effects,
                         (unsigned long)d->leaves_denied, (unsigned long)d->leaves_quarantine);
}

/* The package's builder: the reference, and the answer for values the
 * registered tables do not hold (it raises ValueError for those). */
static PyObject *build_in_python(const pp_decision *d)
{
    PyObject *raw = pp_py_decision_fields(d);
    if (raw == NULL)
        return NULL;
    PyObject *decision = PyObject_CallOneArg(pp_py_registered.decision, raw);
    Py_DECREF(raw);
    return decision;
}

static PyObject *build_decision(const pp_decision *d)
{
    const pp_py_hooks *h = &pp_py_registered;
    PyObject *outcome = member(h->outcomes, d->outcome);
    PyObject *reason = member(h->reasons, d->reason);
    PyObject *privileges = member(h->privileges, (long)d->privileges);
    PyObject *advisories = member(h->advisories, (long)d->advisories);
    PyObject *error = member(h->errors, -(long)d->error);
    PyObject *effects = member(h->effects, (long)d->effects);
    if (outcome == NULL || reason == NULL || privileges == NULL || advisories == NULL ||
        error == NULL || effects == NULL)
        return build_in_python(d);
    if (decision_fields[0] == NULL && intern_fields() < 0)
        return NULL;
    PyObject *status = Py_None;
    Py_INCREF(status);
    if (d->limited_in != 0) {
        PyObject *id = PyLong_FromUnsignedLong(d->limited_in);
        PyObject *values[2] = {id, h->limited};
        Py_SETREF(status, id == NULL ? NULL : instance(h->status_type, status_fields, values, 2));
        Py_XDECREF(id);
    }
    PyObject *rule = PyLong_FromLong(d->rule);
    PyObject *product_id = PyLong_FromUnsignedLong(d->product_id);
    PyObject *leaves_denied = PyLong_FromUnsignedLong(d->leaves_denied);
    PyObject *leaves_quarantine = PyLong_FromUnsignedLong(d->leaves_quarantine);
    PyObject *values[DECISION_FIELDS] = {
        outcome, reason, rule, product_id, privileges, advisories, status, error,
        effects, leaves_denied, leaves_quarantine
    };
    PyObject *decision = instance(h->decision_type, decision_fields, values, DECISION_FIELDS);
    Py_XDECREF(rule);
    Py_XDECREF(product_id);
    Py_XDECREF(leaves_denied);
    Py_XDECREF(leaves_quarantine);
    Py_XDECREF(status);
    return decision;
}

/* The Decision for d: a new reference, from the cache when it is there. */
static PyObject *decision_object(const pp_decision *d)
{
    if (cache.slots != NULL) {
        cache_slot *slot = find_slot(cache.slots, cache.mask, d);
        if (slot->value != NULL) {
            Py_INCREF(slot->value);
            return slot->value;
        }
    }
    PyObject *decision = build_decision(d);
    if (decision == NULL)
        return NULL;
    /* The builder ran Python code: another thread may have changed the
     * cache meanwhile, so look again before storing. */
    if ((cache.slots == NULL || 2 * (cache.count + 1) > cache.mask + 1) &&
        cache_resize(cache.slots == NULL ? CACHE_SLOTS_MIN : 2 * (cache.mask + 1)) < 0) {
        Py_DECREF(decision);
        return NULL;
    }
    cache_slot *slot = find_slot(cache.slots, cache.mask, d);
    if (slot->value != NULL) {
        Py_DECREF(decision);
    } else {
        slot->key = *d;
        slot->value = decision;
        cache.count++;
    }
    Py_INCREF(slot->value);
    return slot->value;
}

/* decide(policy, device, team or None) -> Decision.  Keeps the GIL: the
 * library's work is shorter than releasing it. */
static PyObject *py_decide(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    pp_py_team *t;
    if (pp_py_nargs("decide", nargs, 3) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        pp_py_team_arg(args[2], &t) < 0)
        return NULL;
    pp_device device;
    PyObject *keep[PP_PY_DEVICE_STRINGS];
    if (pp_py_device(&device, args[1], p, keep) < 0)
        return NULL;
    /* No Python code runs from here to the call: the policy and the set
     * stay as they are checked. */
    const pp_team *team;
    pp_policy *policy = pp_py_open_policy(p);
    PyObject *out = NULL;
    if (policy != NULL && pp_py_open_team(t, &team) == 0) {
        pp_decision d;
        (void)pp_decide(&d, policy, team, &device);     /* d carries any error */
        out = decision_object(&d);
        cache_trim();
    }
    pp_py_release(keep, PP_PY_DEVICE_STRINGS);
    return out;
}

/* Equal answers in a batch are one object.  The cache makes them so unless
 * another thread's call emptied it while the batch ran without the GIL;
 * then the batch's list is made so by value. */
static int share_equal(PyObject *list)
{
    PyObject *first = PyDict_New();
    for (Py_ssize_t i = 0; first != NULL && i < PyList_GET_SIZE(list); i++) {
        PyObject *d = PyList_GET_ITEM(list, i);
        PyObject *same = PyDict_SetDefault(first, d, d);
        if (same == NULL) {
            Py_CLEAR(first);
        } else if (same != d) {
            Py_INCREF(same);
            PyList_SET_ITEM(list, i, same);
            Py_DECREF(d);
        }
    }
    int rc = first == NULL ? -1 : 0;
    Py_XDECREF(first);
    return rc;
}

/* Records are converted and decided in chunks: the chunk's structures stay
 * in cache, and memory does not grow with the batch. */
#define CHUNK 256

typedef struct {
    pp_device devices[CHUNK];
    pp_decision out[CHUNK];
    PyObject *keep[CHUNK * PP_PY_DEVICE_STRINGS];
} chunk_buffers;

/* Decide m converted records; without the GIL when there are enough. */
static int decide_chunk(chunk_buffers *b, size_t m, const pp_policy *policy, pp_py_team *t)
{
    const pp_team *team;
    if (m < PP_PY_RELEASE_MIN) {
        if (pp_py_open_team(t, &team) < 0)
            return -1;
        (void)pp_decide_many(b->out, policy, team, b->devices, m);
        return 0;
    }
    int closed;
    Py_BEGIN_ALLOW_THREADS
    closed = pp_py_team_read(t, &team) < 0;
    if (!closed) {
        (void)pp_decide_many(b->out, policy, team, b->devices, m);
        pp_py_team_unread(t);
    }
    Py_END_ALLOW_THREADS
    if (closed)
        PyErr_SetString(PyExc_ValueError, "team set is closed");
    return closed ? -1 : 0;
}

/* decide_many(policy, devices, team or None) -> [Decision] */
static PyObject *py_decide_many(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    pp_py_team *t;
    if (pp_py_nargs("decide_many", nargs, 3) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        pp_py_team_arg(args[2], &t) < 0)
        return NULL;
    /* A tuple of our own: no other thread can change the sequence. */
    PyObject *records = PySequence_Tuple(args[1]);
    if (records == NULL)
        return NULL;
    size_t n = (size_t)PyTuple_GET_SIZE(records);
    if (n == 0) {
        Py_DECREF(records);
        return PyList_New(0);
    }
    /* The batch holds its own reference to the policy: close() in another
     * thread meanwhile drops only the handle's. */
    pp_policy *policy = pp_py_open_policy(p);
    PyObject *out = NULL;
    chunk_buffers *b = NULL;
    if (policy == NULL || (out = PyList_New((Py_ssize_t)n)) == NULL ||
        (b = PyMem_Malloc(sizeof *b)) == NULL) {
        if (out != NULL)
            PyErr_NoMemory();
        Py_XDECREF(out);
        Py_DECREF(records);
        return NULL;
    }
    pp_policy_retain(policy);
    unsigned long generation = cache.generation;
    int rc = 0;
    for (size_t start = 0; rc == 0 && start < n; start += CHUNK) {
        size_t m = n - start < CHUNK ? n - start : CHUNK;
        size_t converted = 0;
        while (rc == 0 && converted < m) {
            PyObject *record = PyTuple_GET_ITEM(records, (Py_ssize_t)(start + converted));
            rc = pp_py_device(&b->devices[converted], record, p,
                              &b->keep[converted * PP_PY_DEVICE_STRINGS]);
            converted += rc == 0;
        }
        if (rc == 0)
            rc = decide_chunk(b, m, policy, t);
        pp_py_release(b->keep, converted * PP_PY_DEVICE_STRINGS);
        for (size_t i = 0; rc == 0 && i < m; i++) {
            PyObject *decision = decision_object(&b->out[i]);
            if (decision == NULL)
                rc = -1;
            else
                PyList_SET_ITEM(out, (Py_ssize_t)(start + i), decision);
        }
    }
    if (rc == 0 && cache.generation != generation)
        rc = share_equal(out);
    cache_trim();
    pp_policy_free(policy);
    PyMem_Free(b);
    Py_DECREF(records);
    if (rc < 0)
        Py_CLEAR(out);
    return out;
}

/* is_legacy(policy, device_os: bytes) -> 1, 0 or an error code */
static PyObject *py_is_legacy(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    const char *s;
    size_t len;
    if (pp_py_nargs("is_legacy", nargs, 2) < 0 || (p = pp_py_policy_arg(args[0])) == NULL ||
        pp_py_bytes_arg(args[1], "device_os", &s, &len) < 0)
        return NULL;
    pp_policy *policy = pp_py_open_policy(p);
    return policy == NULL ? NULL : PyLong_FromLong(pp_is_legacy(policy, s, len));
}

/* version_compare(a: bytes, b: bytes) -> (error code, -1/0/1) */
static PyObject *py_version_compare(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    const char *a, *b;
    size_t a_len, b_len;
    if (pp_py_nargs("version_compare", nargs, 2) < 0 ||
        pp_py_bytes_arg(args[0], "a", &a, &a_len) < 0 ||
        pp_py_bytes_arg(args[1], "b", &b, &b_len) < 0)
        return NULL;
    int cmp = 0;
    int rc = pp_version_compare(&cmp, a, a_len, b, b_len);
    return Py_BuildValue("(ii)", rc, cmp);
}

static PyObject *py_decision_cache_size(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    return PyLong_FromSize_t(cache.count);
}

static PyObject *py_clear_decision_cache(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    cache_clear();
    Py_RETURN_NONE;
}

PyMethodDef pp_py_decide_methods[] = {
    {"decide", (PyCFunction)(void (*)(void))py_decide, METH_FASTCALL,
     "decide(policy, device, team) -> Decision"},
    {"decide_many", (PyCFunction)(void (*)(void))py_decide_many, METH_FASTCALL,
     "decide_many(policy, devices, team) -> list of Decision"},
    {"is_legacy", (PyCFunction)(void (*)(void))py_is_legacy, METH_FASTCALL,
     "is_legacy(policy, device_os) -> 1, 0 or an error code"},
    {"version_compare", (PyCFunction)(void (*)(void))py_version_compare, METH_FASTCALL,
     "version_compare(a, b) -> (error code, comparison)"},
    {"decision_cache_size", py_decision_cache_size, METH_NOARGS,
     "decision_cache_size() -> the number of Decision objects cached"},
    {"clear_decision_cache", py_clear_decision_cache, METH_NOARGS,
     "clear_decision_cache() -> None"},
    {NULL, NULL, 0, NULL}
};
