/* Device records (a Device dataclass or a mapping with the documented
 * keys) and models into the library's structures. */
#include "native.h"

#include <structmember.h>

/* The keys, in the order their values are checked (the order of pp_device:
 * an invalid record raises the error of its first bad field). */
enum {
    K_ID, K_DEVICE_OS, K_SKU, K_OWNER, K_PLATFORM_ID, K_CLOUD_PRODUCT_ID,
    K_FIRMWARE_PRODUCT_ID, K_DENIED_IN, K_REMOVED_FROM, K_QUARANTINED_IN,
    K_FIRMWARE_VERSION, K_DEVELOPMENT, K_NOTE, N_KEYS
};
static const char *const key_names[N_KEYS] = {
    "id", "device_os", "sku", "owner", "platform_id", "cloud_product_id",
    "firmware_product_id", "denied_in", "removed_from", "quarantined_in",
    "firmware_version", "development", "note"
};
static PyObject *keys[N_KEYS];   /* interned on first use */

static int intern_keys(void)
{
    for (int i = 0; i < N_KEYS; i++) {
        if (keys[i] == NULL && (keys[i] = PyUnicode_InternFromString(key_names[i])) == NULL)
            return -1;
    }
    return 0;
}

/* The index of a key, or -1 for one that is not a field.  The keys of a
 * Device's __dict__ and of dicts written in Python are the interned names
 * themselves, usually in field order; keys decoded from JSON are equal
 * strings, compared by their bytes. */
static int key_index(PyObject *key, int expected)
{
    if (expected < N_KEYS && key == keys[expected])
        return expected;
    for (int i = 0; i < N_KEYS; i++) {
        if (key == keys[i])
            return i;
    }
    Py_ssize_t len;
    const char *s = PyUnicode_Check(key) ? PyUnicode_AsUTF8AndSize(key, &len) : NULL;
    if (s == NULL) {
        PyErr_Clear();          /* not text: simply not a field */
        return -1;
    }
    for (int i = 0; i < N_KEYS; i++) {
        if (strlen(key_names[i]) == (size_t)len && memcmp(key_names[i], s, (size_t)len) == 0)
            return i;
    }
    return -1;
}

/* Raise the TypeError for a mapping's keys that are not device fields
 * (the package's hook names the first in sorted order, with a
 * did-you-mean hint). */
static int refuse(PyObject *dict)
{
    PyObject *unknown = PyList_New(0);
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (unknown != NULL && PyDict_Next(dict, &pos, &key, &value)) {
        if (key_index(key, 0) < 0) {
            Py_INCREF(key);
            pp_py_append(&unknown, key);
        }
    }
    if (unknown == NULL)
        return -1;
    PyObject *done = PyObject_CallOneArg(pp_py_registered.refuse, unknown);
    Py_DECREF(unknown);
    Py_XDECREF(done);
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_TypeError, "unknown device field");
    return -1;
}

/* New references to the record's values (None when absent) in v; with
 * check_unknown, TypeError for a key that is not a field.  A Device's
 * __dict__ has no other keys. */
static int read_fields(PyObject *dict, PyObject **v, int check_unknown)
{
    for (int i = 0; i < N_KEYS; i++)
        v[i] = NULL;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    int next = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        int i = key_index(key, next);
        if (i < 0) {
            if (!check_unknown)
                continue;
            pp_py_release(v, N_KEYS);
            return refuse(dict);
        }
        Py_INCREF(value);
        Py_XSETREF(v[i], value);
        next = i + 1;
    }
    for (int i = 0; i < N_KEYS; i++) {
        if (v[i] == NULL) {
            Py_INCREF(Py_None);
            v[i] = Py_None;
        }
    }
    return 0;
}

static void unknown_platform(PyObject *name, pp_py_policy *p)
{
    PyObject *names = PyDict_Keys(p->platforms);
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *known = NULL;
    if (names != NULL && sep != NULL && PyList_Sort(names) == 0)
        known = PyUnicode_Join(sep, names);
    if (known != NULL)
        PyErr_Format(PyExc_ValueError, "unknown platform name %R; the policy knows: %U",
                     name, known);
    Py_XDECREF(names);
    Py_XDECREF(sep);
    Py_XDECREF(known);
}

/* None (unspecified), a platform ID, or a platform name of the policy's
 * table in any case. */
static int platform(PyObject *value, pp_py_policy *p, uint32_t *out)
{
    if (value == Py_None) {
        *out = PP_PLATFORM_UNSPECIFIED;
        return 0;
    }
    if (!PyUnicode_Check(value))
        return pp_py_uint32(value, "platform_id", PP_PLATFORM_UNSPECIFIED - 1, out);
    PyObject *lower = PyObject_CallMethod(value, "lower", NULL);
    if (lower == NULL)
        return -1;
    PyObject *id = PyDict_GetItemWithError(p->platforms, lower);
    Py_DECREF(lower);
    if (id != NULL) {
        *out = (uint32_t)PyLong_AsUnsignedLong(id);
        return 0;
    }
    if (!PyErr_Occurred())
        unknown_platform(value, p);
    return -1;
}

static int flag(PyObject *value, int *out)
{
    if (value == Py_None || value == Py_False || value == Py_True) {
        *out = value == Py_True;
        return 0;
    }
    if (!PyLong_Check(value)) {     /* an int is a flag, bool being one */
        PyObject *name = PyObject_GetAttrString((PyObject *)Py_TYPE(value), "__name__");
        if (name != NULL) {
            PyErr_Format(PyExc_TypeError, "development must be a bool, not %U", name);
            Py_DECREF(name);
        }
        return -1;
    }
    int truth = PyObject_IsTrue(value);
    if (truth < 0)
        return -1;
    *out = truth;
    return 0;
}

static int fill(pp_device *out, PyObject **v, pp_py_policy *p, PyObject **keep)
{
    memset(out, 0, sizeof *out);
    if (pp_py_text(v[K_ID], "id", &keep[0], &out->id, &out->id_len) < 0 ||
        pp_py_text(v[K_DEVICE_OS], "device_os", &keep[1], &out->device_os,
                   &out->device_os_len) < 0 ||
        pp_py_text(v[K_SKU], "sku", &keep[2], &out->sku, &out->sku_len) < 0 ||
        pp_py_text(v[K_OWNER], "owner", &keep[3], &out->owner, &out->owner_len) < 0 ||
        platform(v[K_PLATFORM_ID], p, &out->platform_id) < 0)
        return -1;
    static const struct { int key; size_t offset; } numbers[] = {
        {K_CLOUD_PRODUCT_ID, offsetof(pp_device, cloud_product_id)},
        {K_FIRMWARE_PRODUCT_ID, offsetof(pp_device, firmware_product_id)},
        {K_DENIED_IN, offsetof(pp_device, denied_in)},
        {K_REMOVED_FROM, offsetof(pp_device, removed_from)},
        {K_QUARANTINED_IN, offsetof(pp_device, quarantined_in)},
        {K_FIRMWARE_VERSION, offsetof(pp_device, firmware_version)},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        uint32_t *field = (uint32_t *)((char *)out + numbers[i].offset);
        if (pp_py_uint32(v[numbers[i].key], key_names[numbers[i].key], UINT32_MAX, field) < 0)
            return -1;
    }
    return flag(v[K_DEVELOPMENT], &out->development);
}

/* Where each field of a Device lives when the class has slots (Python 3.10
 * and later): its offset in the object, or 0 to read its __dict__. */
static PyObject *slots_of;          /* the class the offsets are for */
static Py_ssize_t slots[K_NOTE];

static void find_slots(PyObject *type)
{
    slots_of = type;
    for (int i = 0; i < K_NOTE; i++) {
        PyObject *d = PyDict_GetItemWithError(((PyTypeObject *)type)->tp_dict, keys[i]);
        slots[i] = d != NULL && Py_IS_TYPE(d, &PyMemberDescr_Type) &&
                   ((PyMemberDescrObject *)d)->d_member->type == T_OBJECT_EX
                   ? ((PyMemberDescrObject *)d)->d_member->offset : 0;
        if (slots[i] == 0) {
            PyErr_Clear();
            slots[0] = 0;
            return;
        }
    }
}

/* New references to a Device's field values; NULL without __dict__ nor slots. */
static int device_fields(PyObject *record, PyObject **v)
{
    PyObject *type = pp_py_registered.device_type;
    if (slots_of != type)
        find_slots(type);
    if (slots[0] == 0) {
        PyObject *dict = PyObject_GenericGetDict(record, NULL);
        int rc = dict == NULL ? -1 : read_fields(dict, v, 0);
        Py_XDECREF(dict);
        return rc;
    }
    for (int i = 0; i < K_NOTE; i++) {
        v[i] = *(PyObject **)((char *)record + slots[i]);
        v[i] = v[i] != NULL ? v[i] : Py_None;      /* never set: absent */
        Py_INCREF(v[i]);
    }
    v[K_NOTE] = Py_None;
    Py_INCREF(Py_None);
    return 0;
}

/* New references to a record's field values in v. */
static int record_fields(PyObject *record, PyObject **v)
{
    if (pp_py_registered.device_type != NULL &&
        PyObject_TypeCheck(record, (PyTypeObject *)pp_py_registered.device_type))
        return device_fields(record, v);
    if (PyDict_Check(record))
        return read_fields(record, v, 1);
    int mapping = PyObject_IsInstance(record, pp_py_registered.mapping);
    if (mapping == 0) {
        PyObject *name = PyObject_GetAttrString((PyObject *)Py_TYPE(record), "__name__");
        if (name != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "a device is a particlepolicy.Device or a mapping, not %U", name);
            Py_DECREF(name);
        }
    }
    PyObject *dict = mapping == 1 ? PyDict_New() : NULL;
    int rc = dict == NULL || PyDict_Merge(dict, record, 1) < 0 ? -1 : read_fields(dict, v, 1);
    Py_XDECREF(dict);
    return rc;
}

int pp_py_device(pp_device *out, PyObject *record, pp_py_policy *p, PyObject **keep)
{
    for (int i = 0; i < PP_PY_DEVICE_STRINGS; i++)
        keep[i] = NULL;
    if (keys[0] == NULL && intern_keys() < 0)
        return -1;
    PyObject *v[N_KEYS];
    if (record_fields(record, v) < 0)
        return -1;
    int rc = fill(out, v, p, keep);
    for (int i = 0; i < N_KEYS; i++)
        Py_DECREF(v[i]);
    if (rc < 0)
        pp_py_release(keep, PP_PY_DEVICE_STRINGS);
    return rc;
}

int pp_py_model(pp_model *out, PyObject *platform_id, PyObject *sku, pp_py_policy *p,
                PyObject **keep)
{
    memset(out, 0, sizeof *out);
    *keep = NULL;
    if (platform(platform_id, p, &out->platform_id) < 0)
        return -1;
    return pp_py_text(sku, "sku", keep, &out->sku, &out->sku_len);
}

/* A string field as the library sees it: (pointer set, length, bytes or None). */
static PyObject *seen(const char *ptr, size_t len)
{
    if (ptr == NULL)
        return Py_BuildValue("(OnO)", Py_False, (Py_ssize_t)len, Py_None);
    return Py_BuildValue("(Ony#)", Py_True, (Py_ssize_t)len, ptr, (Py_ssize_t)len);
}

/* device_records(policy, devices) -> one tuple per record, the pp_device
 * fields in order as decide_many gives them to the library (for tests). */
static PyObject *py_device_records(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_policy *p;
    if (pp_py_nargs("device_records", nargs, 2) < 0 || (p = pp_py_policy_arg(args[0])) == NULL)
        return NULL;
    PyObject *records = PySequence_Tuple(args[1]);
    if (records == NULL)
        return NULL;
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < PyTuple_GET_SIZE(records); i++) {
        pp_device d;
        PyObject *keep[PP_PY_DEVICE_STRINGS];
        if (pp_py_device(&d, PyTuple_GET_ITEM(records, i), p, keep) < 0) {
            Py_CLEAR(out);
            break;
        }
        pp_py_append(&out, Py_BuildValue("(NNNNkkkkkkki)", seen(d.id, d.id_len),
                                         seen(d.device_os, d.device_os_len),
                                         seen(d.sku, d.sku_len), seen(d.owner, d.owner_len),
                                         (unsigned long)d.platform_id,
                                         (unsigned long)d.cloud_product_id,
                                         (unsigned long)d.firmware_product_id,
                                         (unsigned long)d.denied_in,
                                         (unsigned long)d.removed_from,
                                         (unsigned long)d.quarantined_in,
                                         (unsigned long)d.firmware_version, d.development));
        pp_py_release(keep, PP_PY_DEVICE_STRINGS);
    }
    Py_DECREF(records);
    return out;
}

PyMethodDef pp_py_device_methods[] = {
    {"device_records", (PyCFunction)(void (*)(void))py_device_records, METH_FASTCALL,
     "device_records(policy, devices) -> the pp_device fields of each record"},
    {NULL, NULL, 0, NULL}
};
