/* Device records in YAML: libyaml's events as the reader's (see input.h).
 * libyaml reads the filtered text; the replaced positions are in
 * characters, which is what libyaml's marks count. */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "input.h"

struct ppr_yaml {
    yaml_parser_t parser;
    ppr_input *in;
    size_t out_pos;         /* of in->out, handed to libyaml */
    size_t since_event;     /* bytes handed over since the last event */
    bool over_token, input_failed;
    bool has_event;
    yaml_event_t event;     /* the last event returned */
};

static int yaml_read(void *data, unsigned char *buf, size_t size, size_t *got)
{
    ppr_yaml *y = data;
    ppr_input *in = y->in;
    *got = 0;
    if (y->out_pos == in->out_len) {
        if (!ppr_input_fill(in)) {
            y->input_failed = true;
            return 0;
        }
        y->out_pos = 0;
    }
    size_t n = in->out_len - y->out_pos;
    if (n > size)
        n = size;
    memcpy(buf, in->out + y->out_pos, n);
    y->out_pos += n;
    *got = n;
    /* libyaml holds a whole token in memory: bound it. */
    y->since_event += n;
    if (y->since_event > PPR_MAX_TOKEN) {
        y->over_token = true;
        return 0;
    }
    return 1;
}

ppr_yaml *ppr_yaml_new(ppr_input *in)
{
    ppr_yaml *y = calloc(1, sizeof *y);
    if (y == NULL)
        return NULL;
    if (!yaml_parser_initialize(&y->parser)) {
        free(y);
        return NULL;
    }
    y->in = in;
    yaml_parser_set_input(&y->parser, yaml_read, y);
    /* The filter hands libyaml UTF-8 only; no guessing from a BOM. */
    yaml_parser_set_encoding(&y->parser, YAML_UTF8_ENCODING);
    return y;
}

void ppr_yaml_free(ppr_yaml *y)
{
    if (y == NULL)
        return;
    if (y->has_event)
        yaml_event_delete(&y->event);
    yaml_parser_delete(&y->parser);
    free(y);
}

static ppr_position position(yaml_mark_t mark)
{
    ppr_position at = { (uint32_t)mark.line + 1, (uint32_t)mark.column + 1 };
    return at;
}

static void fail_parser(ppr_yaml *y, pp_error *err)
{
    const yaml_parser_t *p = &y->parser;
    if (y->over_token)
        ppr_fail(err, PP_ERR_LIMIT, position(p->mark),
                 "more than %u bytes of input without a complete value", (unsigned)PPR_MAX_TOKEN);
    else if (y->input_failed)
        ppr_fail_input(err, y->in, position(p->mark));
    else if (p->error == YAML_MEMORY_ERROR)
        ppr_fail(err, PP_ERR_NOMEM, position(p->mark), "out of memory");
    else if (p->error == YAML_READER_ERROR)
        ppr_fail(err, PP_ERR_YAML, position(p->mark), "%s",
                 p->problem ? p->problem : "unreadable input");
    else if (p->context != NULL) /* worded like the policy loader's errors */
        ppr_fail(err, PP_ERR_YAML, position(p->problem_mark), "%s (%s at line %lu, column %lu)",
                 p->problem ? p->problem : "syntax error", p->context,
                 (unsigned long)p->context_mark.line + 1,
                 (unsigned long)p->context_mark.column + 1);
    else
        ppr_fail(err, PP_ERR_YAML, position(p->problem_mark), "%s",
                 p->problem ? p->problem : "syntax error");
}

int ppr_yaml_next(ppr_yaml *y, ppr_event *ev, pp_error *err)
{
    if (y->has_event) {
        yaml_event_delete(&y->event);
        y->has_event = false;
    }
    yaml_event_t *e = &y->event;
    if (!yaml_parser_parse(&y->parser, e)) {
        fail_parser(y, err);
        return -1;
    }
    y->has_event = true;
    y->since_event = 0;
    ppr_input_forget(y->in, e->start_mark.index);
    memset(ev, 0, sizeof *ev);
    ev->at = position(e->start_mark);
    switch (e->type) {
    case YAML_STREAM_START_EVENT: ev->type = PPR_STREAM_START; break;
    case YAML_STREAM_END_EVENT: ev->type = PPR_STREAM_END; break;
    case YAML_DOCUMENT_START_EVENT: ev->type = PPR_DOCUMENT_START; break;
    case YAML_DOCUMENT_END_EVENT: ev->type = PPR_DOCUMENT_END; break;
    case YAML_ALIAS_EVENT: ev->type = PPR_ALIAS; break;
    case YAML_SEQUENCE_START_EVENT:
        ev->type = PPR_SEQUENCE_START;
        ev->tagged = e->data.sequence_start.tag != NULL;
        break;
    case YAML_SEQUENCE_END_EVENT: ev->type = PPR_SEQUENCE_END; break;
    case YAML_MAPPING_START_EVENT:
        ev->type = PPR_MAPPING_START;
        ev->tagged = e->data.mapping_start.tag != NULL;
        break;
    case YAML_MAPPING_END_EVENT: ev->type = PPR_MAPPING_END; break;
    case YAML_SCALAR_EVENT:
        ev->type = PPR_SCALAR;
        ev->text = (const char *)e->data.scalar.value;
        ev->len = e->data.scalar.length;
        ev->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        ev->tagged = e->data.scalar.tag != NULL;
        ev->replaced = ppr_input_replaced(y->in, e->start_mark.index, e->end_mark.index);
        break;
    default: /* YAML_NO_EVENT: libyaml only returns it after an error */
        ppr_fail(err, PP_ERR_YAML, ev->at, "unexpected end of the YAML stream");
        return -1;
    }
    return 1;
}
