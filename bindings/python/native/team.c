/* Team sets built at run time, and the lock that keeps a change from
 * running while a decision reads the set without the GIL.
 *
 * Changes (add, close) hold the GIL and the write lock.  A decision that
 * keeps the GIL needs no lock: no change can run beside it.  A decision
 * that releases the GIL takes the read lock after releasing it, so no
 * thread ever waits for the lock while holding the GIL (the holder might
 * need the GIL to finish). */
#include "native.h"

static void team_dealloc(pp_py_team *self)
{
    if (self->weakrefs != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    pp_team_free(self->team);      /* no call uses it: they hold references */
    pthread_rwlock_destroy(&self->lock);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Take the write lock with the GIL held, waiting without it. */
static void write_lock(pp_py_team *t)
{
    if (pthread_rwlock_trywrlock(&t->lock) == 0)
        return;
    Py_BEGIN_ALLOW_THREADS
    pthread_rwlock_wrlock(&t->lock);
    Py_END_ALLOW_THREADS
}

static PyObject *team_close(pp_py_team *self, PyObject *unused)
{
    (void)unused;
    write_lock(self);
    pp_team *team = self->team;
    self->team = NULL;
    pthread_rwlock_unlock(&self->lock);
    pp_team_free(team);
    Py_RETURN_NONE;
}

static PyObject *team_closed(pp_py_team *self, void *unused)
{
    (void)unused;
    return PyBool_FromLong(self->team == NULL);
}

static PyMethodDef team_type_methods[] = {
    {"close", (PyCFunction)team_close, METH_NOARGS,
     "Free the set once no decision reads it; idempotent."},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef team_getset[] = {
    {"closed", (getter)team_closed, NULL, "Whether close() has run.", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

PyTypeObject pp_py_team_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "particlepolicy._native.Team",
    .tp_doc = "A team set (made by team_new()).",
    .tp_basicsize = sizeof(pp_py_team),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)team_dealloc,
    .tp_weaklistoffset = offsetof(pp_py_team, weakrefs),
    .tp_methods = team_type_methods,
    .tp_getset = team_getset,
};

int pp_py_team_read(pp_py_team *t, const pp_team **out)
{
    *out = NULL;
    if (t == NULL)
        return 0;
    pthread_rwlock_rdlock(&t->lock);
    if (t->team == NULL) {
        pthread_rwlock_unlock(&t->lock);
        return -1;
    }
    *out = t->team;
    return 0;
}

void pp_py_team_unread(pp_py_team *t)
{
    if (t != NULL)
        pthread_rwlock_unlock(&t->lock);
}

/* team_new() -> Team, or the error code */
static PyObject *py_team_new(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    pp_team *team;
    int rc = pp_team_new(&team, NULL);
    if (rc != PP_OK)
        return PyLong_FromLong(rc);
    pp_py_team *self = PyObject_New(pp_py_team, &pp_py_team_type);
    if (self == NULL) {
        pp_team_free(team);
        return NULL;
    }
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#ifdef __GLIBC__
    /* Decisions in a loop must not keep a change waiting for ever. */
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(&self->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    self->team = team;
    self->weakrefs = NULL;
    return (PyObject *)self;
}

/* team_add(team, organization: bytes, user: bytes, role: int) -> error code */
static PyObject *py_team_add(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    pp_py_team *t;
    const char *org, *user;
    size_t org_len, user_len;
    if (pp_py_nargs("team_add", nargs, 4) < 0 || pp_py_team_arg(args[0], &t) < 0 ||
        pp_py_bytes_arg(args[1], "organization", &org, &org_len) < 0 ||
        pp_py_bytes_arg(args[2], "user", &user, &user_len) < 0)
        return NULL;
    long role = PyLong_AsLong(args[3]);
    if (role == -1 && PyErr_Occurred())
        return NULL;
    if (t == NULL || role < INT_MIN || role > INT_MAX) {
        PyErr_SetString(PyExc_ValueError, "team_add() needs a team set and a role value");
        return NULL;
    }
    write_lock(t);
    if (t->team == NULL) {
        pthread_rwlock_unlock(&t->lock);
        PyErr_SetString(PyExc_ValueError, "team set is closed");
        return NULL;
    }
    int rc = pp_team_add(t->team, org, org_len, user, user_len, (pp_role)role);
    pthread_rwlock_unlock(&t->lock);
    return PyLong_FromLong(rc);
}

static PyObject *py_team_size(PyObject *module, PyObject *arg)
{
    (void)module;
    pp_py_team *t;
    const pp_team *team;
    if (pp_py_team_arg(arg, &t) < 0 || pp_py_open_team(t, &team) < 0)
        return NULL;
    return PyLong_FromSize_t(team == NULL ? 0 : pp_team_size(team));
}

PyMethodDef pp_py_team_methods[] = {
    {"team_new", py_team_new, METH_NOARGS, "team_new() -> Team, or an error code"},
    {"team_add", (PyCFunction)(void (*)(void))py_team_add, METH_FASTCALL,
     "team_add(team, organization, user, role) -> error code"},
    {"team_size", py_team_size, METH_O, "team_size(team) -> int"},
    {NULL, NULL, 0, NULL}
};
