/* Fields of authorization requests and audit records (see fields.h). */
#include <stdio.h>
#include <string.h>

#include "fields.h"

void ppc_problem_note(ppc_problem *pb, int code, const char *field, ppr_position at,
                      const char *what)
{
    if (pb->code != PP_OK)
        return;
    pb->code = code;
    pb->line = at.line;
    pb->column = at.column;
    snprintf(pb->detail, sizeof pb->detail, "%s%s%s%s (line %lu, column %lu)",
             field != NULL ? "field " : "", field != NULL ? field : "",
             field != NULL ? ": " : "", what, pb->line, pb->column);
}

static int name_index(const char *const *names, const ppr_event *key)
{
    for (int i = 0; names[i] != NULL; i++)
        if (ppr_scalar_is(key, names[i]))
            return i;
    return -1;
}

int ppc_next_field(ppr_reader *r, ppc_problem *pb, const char *const *names,
                   uint32_t *seen, ppr_event *value)
{
    for (;;) {
        ppr_event key;
        if (ppr_event_next(r, &key) < 0)
            return PPC_FIELDS_FATAL;
        if (key.type == PPR_MAPPING_END)
            return PPC_FIELDS_END;
        int field = key.type == PPR_SCALAR ? name_index(names, &key) : -1;
        if (key.type != PPR_SCALAR) {
            ppc_problem_note(pb, PP_ERR_WRONG_TYPE, NULL, key.at, "expected a field name");
        } else if (field < 0) {
            /* The key is not quoted back: it could be a secret pasted in. */
            ppc_problem_note(pb, PP_ERR_UNKNOWN_KEY, NULL, key.at, "unknown field");
        } else if (*seen & (1u << field)) {
            ppc_problem_note(pb, PP_ERR_DUPLICATE, names[field], key.at, "given twice");
            field = -1;
        }
        if (ppr_skip_node(r, &key) < 0 || ppr_event_next(r, value) < 0)
            return PPC_FIELDS_FATAL;
        if (field >= 0) {
            *seen |= 1u << field;
            return field;
        }
        if (ppr_skip_node(r, value) < 0)
            return PPC_FIELDS_FATAL;
    }
}

/* A scalar without a tag; notes the problem otherwise. */
static int plain_value(ppc_problem *pb, const char *field, const ppr_event *ev)
{
    if (ev->type != PPR_SCALAR) {
        ppc_problem_note(pb, PP_ERR_WRONG_TYPE, field, ev->at,
                         ev->type == PPR_ALIAS ? "aliases are not supported"
                                               : "expected a scalar");
        return 0;
    }
    if (ev->tagged) {
        ppc_problem_note(pb, PP_ERR_WRONG_TYPE, field, ev->at, "YAML tags are not supported");
        return 0;
    }
    return 1;
}

void ppc_value_integer(ppc_problem *pb, const char *field, const ppr_event *ev,
                       uint64_t max, uint64_t *out)
{
    if (!plain_value(pb, field, ev))
        return;
    if (ppr_scalar_null(ev)) {
        *out = 0;
        return;
    }
    uint64_t v = 0;
    int rc = ppr_scalar_integer(ev, max, &v);
    if (rc == PP_OK)
        *out = v;
    else if (rc == PP_ERR_OUT_OF_RANGE)
        ppc_problem_note(pb, rc, field, ev->at,
                         max == UINT32_MAX ? "must be 0 to 4294967295"
                                           : "must be 0 to 18446744073709551615");
    else
        ppc_problem_note(pb, rc, field, ev->at,
                         "expected an unquoted decimal integer without leading zeros");
}

void ppc_value_bool(ppc_problem *pb, const char *field, const ppr_event *ev, int32_t *out)
{
    if (plain_value(pb, field, ev) && !ppr_scalar_bool(ev, out))
        ppc_problem_note(pb, PP_ERR_WRONG_TYPE, field, ev->at, "expected unquoted true or false");
}

void ppc_value_string(ppc_problem *pb, const char *field, const ppr_event *ev, size_t max,
                      const char **s, size_t *len)
{
    if (!plain_value(pb, field, ev) || ppr_scalar_null(ev))
        return;
    if (ev->len > max) {
        char what[64];
        snprintf(what, sizeof what, "longer than the %zu bytes allowed", max);
        ppc_problem_note(pb, PP_ERR_INVALID_VALUE, field, ev->at, what);
        return;
    }
    if (ev->replaced) {
        ppc_problem_note(pb, PP_ERR_INVALID_VALUE, field, ev->at,
                         "holds bytes that are not UTF-8 text or are control characters");
        return;
    }
    *s = ev->text;
    *len = ev->len;
}
