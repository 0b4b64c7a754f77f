/* Fields of authorization requests and audit records (see fields.h). */
#include <stdio.h>
#include <string.h>

#include "fields.h"

void ppc_problem_note(ppc_problem *pb, int code, const char *field, yaml_mark_t at,
                      const char *what)
{
    if (pb->code != PP_OK)
        return;
    pb->code = code;
    snprintf(pb->detail, sizeof pb->detail, "%s%s%s%s (line %lu, column %lu)",
             field != NULL ? "field " : "", field != NULL ? field : "",
             field != NULL ? ": " : "", what, (unsigned long)at.line + 1,
             (unsigned long)at.column + 1);
}

static int name_index(const char *const *names, const yaml_event_t *key)
{
    for (int i = 0; names[i] != NULL; i++)
        if (strlen(names[i]) == key->data.scalar.length &&
            memcmp(names[i], key->data.scalar.value, key->data.scalar.length) == 0)
            return i;
    return -1;
}

int ppc_next_field(ppr_reader *r, ppc_problem *pb, const char *const *names,
                   uint32_t *seen, yaml_event_t *value)
{
    for (;;) {
        yaml_event_t key;
        if (ppr_event(r, &key) < 0)
            return PPC_FIELDS_FATAL;
        if (key.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&key);
            return PPC_FIELDS_END;
        }
        yaml_mark_t at = key.start_mark;
        int field = key.type == YAML_SCALAR_EVENT ? name_index(names, &key) : -1;
        if (key.type != YAML_SCALAR_EVENT) {
            ppc_problem_note(pb, PP_ERR_WRONG_TYPE, NULL, at, "expected a field name");
        } else if (field < 0) {
            /* The key is not quoted back: it could be a secret pasted in. */
            ppc_problem_note(pb, PP_ERR_UNKNOWN_KEY, NULL, at, "unknown field");
        } else if (*seen & (1u << field)) {
            ppc_problem_note(pb, PP_ERR_DUPLICATE, names[field], at, "given twice");
            field = -1;
        }
        if (ppr_skip_node(r, &key) < 0 || ppr_event(r, value) < 0)
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
static int plain_value(ppc_problem *pb, const char *field, const yaml_event_t *ev)
{
    if (ev->type != YAML_SCALAR_EVENT) {
        ppc_problem_note(pb, PP_ERR_WRONG_TYPE, field, ev->start_mark,
                         ev->type == YAML_ALIAS_EVENT ? "aliases are not supported"
                                                      : "expected a scalar");
        return 0;
    }
    if (ev->data.scalar.tag != NULL) {
        ppc_problem_note(pb, PP_ERR_WRONG_TYPE, field, ev->start_mark,
                         "YAML tags are not supported");
        return 0;
    }
    return 1;
}

void ppc_value_integer(ppc_problem *pb, const char *field, const yaml_event_t *ev,
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
        ppc_problem_note(pb, rc, field, ev->start_mark,
                         max == UINT32_MAX ? "must be 0 to 4294967295"
                                           : "must be 0 to 18446744073709551615");
    else
        ppc_problem_note(pb, rc, field, ev->start_mark,
                         "expected an unquoted decimal integer without leading zeros");
}

void ppc_value_bool(ppc_problem *pb, const char *field, const yaml_event_t *ev,
                    int32_t *out)
{
    if (!plain_value(pb, field, ev))
        return;
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (ppr_scalar_null(ev) || (plain && n == 5 && memcmp(s, "false", 5) == 0))
        *out = 0;
    else if (plain && n == 4 && memcmp(s, "true", 4) == 0)
        *out = 1;
    else
        ppc_problem_note(pb, PP_ERR_WRONG_TYPE, field, ev->start_mark,
                         "expected unquoted true or false");
}

void ppc_value_string(ppr_reader *r, ppc_problem *pb, const char *field,
                      const yaml_event_t *ev, size_t max, const char **s, size_t *len)
{
    if (!plain_value(pb, field, ev) || ppr_scalar_null(ev))
        return;
    if (ev->data.scalar.length > max) {
        char what[64];
        snprintf(what, sizeof what, "longer than the %zu bytes allowed", max);
        ppc_problem_note(pb, PP_ERR_INVALID_VALUE, field, ev->start_mark, what);
        return;
    }
    if (ppr_scalar_replaced(r, ev)) {
        ppc_problem_note(pb, PP_ERR_INVALID_VALUE, field, ev->start_mark,
                         "holds bytes that are not UTF-8 text or are control characters");
        return;
    }
    *s = (const char *)ev->data.scalar.value;
    *len = ev->data.scalar.length;
}
