/* YAML text to a compact tree, driven by libyaml's event parser.  Policy text
 * may be untrusted, and libyaml 0.2.5 limits neither nesting nor alias
 * expansion, so every limit is counted here as the events arrive and the
 * parse stops at the first event that breaks one. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "yaml_tree.h"

#define FIRST_FRAMES 16u
#define FIRST_ANCHORS 8u
#define NODE_BLOCK ((size_t)64 << 10)
#define SNIPPET_SIZE 48u

/* An anchor (&name) and the node it names.  An anchor may be redefined; an
 * alias refers to the latest definition before it. */
typedef struct anchor {
    const char *name;
    size_t len;
    const ppi_node *node;
    uint32_t size;        /* nodes it stands for, nested aliases expanded */
    bool complete;        /* false while its collection is still open */
} anchor;

/* An open collection. */
typedef struct frame {
    ppi_node *node;
    ppi_node *last;       /* its last child so far */
    uint64_t nodes_before; /* document node count before it started */
    uint32_t anchor;      /* index in anchors, or PPI_NONE */
} frame;

typedef struct builder {
    ppi_arena *arena;
    const char *text;
    size_t len;
    bool ascii;           /* then libyaml's character index is a byte offset */
    const pp_load_options *limits;
    pp_error *err;

    frame *frames;
    uint32_t depth, frames_cap;

    anchor *anchors;      /* every definition, in document order */
    uint32_t nanchors, anchors_cap;
    uint32_t *slots;      /* name hash -> 1 + index of its latest definition */
    uint64_t slots_mask;

    char *block;          /* nodes are carved from here */
    size_t block_left;
    uint64_t nodes;       /* nodes so far, alias expansion counted */
    uint32_t aliases;
    uint32_t documents;
    const ppi_node *root;
} builder;

/* ---- positions and message text ---- */

static uint32_t clamp32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Bytes of the line break at s[i], or 0: LF, CR LF, CR, and the Unicode
 * breaks YAML 1.1 also counts (NEL, LS, PS), as libyaml does. */
static size_t break_len(const unsigned char *s, size_t i, size_t end)
{
    if (s[i] == '\n')
        return 1;
    if (s[i] == '\r')
        return i + 1 < end && s[i + 1] == '\n' ? 2 : 1;
    if (s[i] == 0xC2 && i + 1 < end && s[i + 1] == 0x85)
        return 2;
    if (s[i] == 0xE2 && i + 2 < end && s[i + 1] == 0x80 &&
        (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
        return 3;
    return 0;
}

/* One character (its continuation bytes included). */
static size_t char_len(const unsigned char *s, size_t i, size_t end)
{
    size_t j = i + 1;
    while (j < end && (s[j] & 0xC0) == 0x80)
        j++;
    return j - i;
}

size_t ppi_yaml_offset_from(ppi_yaml_cursor *from, const char *text, size_t len,
                            uint32_t line, uint32_t column)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = from->offset;
    uint32_t l = from->line;
    while (l < line && i < len) {
        size_t b = break_len(s, i, len);
        i += b ? b : 1;
        l += b != 0;
    }
    *from = (ppi_yaml_cursor){ i, l };
    /* A column past the end of its line stops at the line break. */
    for (uint32_t c = 1; c < column && i < len && break_len(s, i, len) == 0; c++)
        i += char_len(s, i, len);
    return i;
}

size_t ppi_yaml_offset(const char *text, size_t len, uint32_t line,
                       uint32_t column)
{
    ppi_yaml_cursor start = { 0, 1 };
    return ppi_yaml_offset_from(&start, text, len, line, column);
}

void ppi_yaml_position(const char *text, size_t len, size_t offset,
                       uint32_t *line, uint32_t *column)
{
    const unsigned char *s = (const unsigned char *)text;
    uint64_t l = 0, c = 0;
    size_t end = offset < len ? offset : len;
    for (size_t i = 0; i < end;) {
        size_t b = break_len(s, i, end);
        if (b != 0) {
            i += b;
            l++;
            c = 0;
        } else {
            i += char_len(s, i, end);
            c++;
        }
    }
    *line = clamp32(l + 1);
    *column = clamp32(c + 1);
}

/* Bytes of the UTF-8 character at s when it is safe to show on one message
 * line, or 0 for a hidden character (a control, a line separator, a bidi
 * control, a zero-width character: ppi_char_hidden) or a malformed
 * sequence. */
static size_t printable_len(const unsigned char *s, size_t left)
{
    uint32_t cp;
    size_t n = ppi_utf8_decode(s, left, &cp);
    return n == 0 || ppi_char_hidden(cp) ? 0 : n;
}

/* Input bytes of the character at s[0] (an unprintable one with its
 * continuation bytes); *shown is what it renders to: itself, or 1 for '?'. */
static size_t char_step(const unsigned char *s, size_t left, size_t *shown)
{
    size_t n = printable_len(s, left);
    *shown = n == 0 ? 1 : n;
    if (n > 0)
        return n;
    size_t i = 1;
    while (i < left && (s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

const char *ppi_yaml_snippet(char *buf, size_t size, const char *s, size_t len)
{
    if (size == 0)
        return buf;
    const unsigned char *u = (const unsigned char *)s;
    size_t room = size - 1, total = 0, shown;
    for (size_t i = 0; i < len && total <= room;) {
        i += char_step(u + i, len - i, &shown);
        total += shown;
    }
    bool cut = total > room;
    size_t limit = cut ? (room >= 3 ? room - 3 : 0) : room;
    size_t out = 0, i = 0;
    while (i < len) {
        size_t step = char_step(u + i, len - i, &shown);
        if (out + shown > limit)
            break;
        if (printable_len(u + i, len - i) == 0)
            buf[out] = '?';
        else
            memcpy(buf + out, s + i, shown);
        out += shown;
        i += step;
    }
    if (cut && room >= 3) {
        memcpy(buf + out, "...", 3);
        out += 3;
    }
    buf[out] = '\0';
    return buf;
}

/* ---- errors ---- */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail_at(builder *b, int code, const yaml_mark_t *mark,
                   const char *fmt, ...)
{
    if (b->err == NULL)
        return code;
    char msg[PP_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    uint32_t line = clamp32((uint64_t)mark->line + 1);
    uint32_t column = clamp32((uint64_t)mark->column + 1);
    return ppi_error_set(b->err, code, line, column,
                         ppi_yaml_offset(b->text, b->len, line, column), "%s", msg);
}

static int fail_nomem(builder *b)
{
    return ppi_error_set(b->err, PP_ERR_NOMEM, 0, 0, 0, "out of memory");
}

/* libyaml's own report, with 1-based positions and byte offsets.  Reader
 * errors (malformed UTF-8, control characters such as NUL) carry a byte
 * offset and no mark; scanner and parser errors carry marks. */
static int fail_libyaml(builder *b, const yaml_parser_t *parser)
{
    const char *problem = parser->problem ? parser->problem : "malformed YAML";
    if (parser->error == YAML_MEMORY_ERROR)
        return fail_nomem(b);
    if (parser->error == YAML_READER_ERROR) {
        uint32_t line, column;
        ppi_yaml_position(b->text, b->len, parser->problem_offset, &line, &column);
        if (parser->problem_value >= 0)
            return ppi_error_set(b->err, PP_ERR_YAML, line, column,
                                 parser->problem_offset, "%s (#x%X)", problem,
                                 (unsigned)parser->problem_value);
        return ppi_error_set(b->err, PP_ERR_YAML, line, column,
                             parser->problem_offset, "%s", problem);
    }
    const yaml_mark_t *at = &parser->problem_mark;
    size_t offset = ppi_yaml_offset(b->text, b->len, clamp32((uint64_t)at->line + 1),
                                    clamp32((uint64_t)at->column + 1));
    /* The commonest beginner's mistake gets a plain-words hint. */
    const char *hint = offset < b->len && b->text[offset] == '\t'
                           ? "; indent with spaces, not tabs" : "";
    const yaml_mark_t *ctx = &parser->context_mark;
    if (parser->context == NULL)
        return fail_at(b, PP_ERR_YAML, at, "%s%s", problem, hint);
    if (ctx->index == at->index)
        return fail_at(b, PP_ERR_YAML, at, "%s (%s)%s", problem,
                       parser->context, hint);
    return fail_at(b, PP_ERR_YAML, at, "%s (%s at line %u, column %u)%s",
                   problem, parser->context, clamp32((uint64_t)ctx->line + 1),
                   clamp32((uint64_t)ctx->column + 1), hint);
}

/* Policies are plain data: a tag (!!str, !custom) would change how a value
 * reads, so every explicit tag is refused rather than half-honoured. */
static int check_tag(builder *b, const yaml_char_t *tag, const yaml_mark_t *mark)
{
    if (tag == NULL)
        return PP_OK;
    static const char core[] = "tag:yaml.org,2002:";
    const char *t = (const char *)tag;
    char shown[SNIPPET_SIZE];
    if (strncmp(t, core, sizeof core - 1) == 0) {
        char rest[SNIPPET_SIZE - 2];
        const char *suffix = t + sizeof core - 1;
        ppi_yaml_snippet(rest, sizeof rest, suffix, strlen(suffix));
        snprintf(shown, sizeof shown, "!!%s", rest);
    } else {
        ppi_yaml_snippet(shown, sizeof shown, t, strlen(t));
    }
    return fail_at(b, PP_ERR_YAML, mark,
                   "tags are not supported ('%s'): write the plain value", shown);
}

/* ---- anchors ---- */

static int anchors_rehash(builder *b, uint64_t cap)
{
    uint32_t *slots = ppi_arena_alloc(b->arena, cap * sizeof *slots);
    if (slots == NULL)
        return PP_ERR_NOMEM;
    uint64_t mask = cap - 1;
    for (uint32_t i = 0; i < b->nanchors; i++) {
        const anchor *a = &b->anchors[i];
        uint64_t s = ppi_hash_bytes(a->name, a->len) & mask;
        /* A redefinition takes over its name's slot. */
        while (slots[s] != 0 && !(b->anchors[slots[s] - 1].len == a->len &&
                                  memcmp(b->anchors[slots[s] - 1].name, a->name,
                                         a->len) == 0))
            s = (s + 1) & mask;
        slots[s] = i + 1;
    }
    b->slots = slots;
    b->slots_mask = mask;
    return PP_OK;
}

/* Record a definition; *index is its place in b->anchors. */
static int anchor_define(builder *b, const yaml_char_t *name,
                         const ppi_node *node, bool complete, uint32_t *index)
{
    if (b->nanchors == b->anchors_cap) {
        uint32_t cap = b->anchors_cap ? b->anchors_cap * 2 : FIRST_ANCHORS;
        if (cap < b->anchors_cap)
            return PP_ERR_NOMEM;
        anchor *grown = ppi_arena_alloc(b->arena, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return PP_ERR_NOMEM;
        if (b->nanchors > 0)
            memcpy(grown, b->anchors, b->nanchors * sizeof *grown);
        b->anchors = grown;
        b->anchors_cap = cap;
    }
    size_t len = strlen((const char *)name);
    char *copy = ppi_arena_strndup(b->arena, (const char *)name, len);
    if (copy == NULL)
        return PP_ERR_NOMEM;
    *index = b->nanchors;
    b->anchors[b->nanchors++] = (anchor){ copy, len, node, 1, complete };
    /* Keep the table at most half full; rebuilding it also enters the new
     * definition. */
    if ((uint64_t)b->nanchors * 2 > b->slots_mask + 1 || b->slots == NULL)
        return anchors_rehash(b, b->slots == NULL ? FIRST_ANCHORS * 2
                                                  : (b->slots_mask + 1) * 2);
    uint64_t s = ppi_hash_bytes(copy, len) & b->slots_mask;
    while (b->slots[s] != 0) {
        const anchor *a = &b->anchors[b->slots[s] - 1];
        if (a->len == len && memcmp(a->name, copy, len) == 0)
            break;
        s = (s + 1) & b->slots_mask;
    }
    b->slots[s] = *index + 1;
    return PP_OK;
}

static const anchor *anchor_find(const builder *b, const char *name)
{
    if (b->slots == NULL)
        return NULL;
    size_t len = strlen(name);
    for (uint64_t s = ppi_hash_bytes(name, len) & b->slots_mask; b->slots[s] != 0;
         s = (s + 1) & b->slots_mask) {
        const anchor *a = &b->anchors[b->slots[s] - 1];
        if (a->len == len && memcmp(a->name, name, len) == 0)
            return a;
    }
    return NULL;
}

/* ---- building ---- */

static int count_nodes(builder *b, uint64_t n, const yaml_mark_t *mark)
{
    b->nodes += n;
    if (b->nodes > b->limits->max_nodes)
        return fail_at(b, PP_ERR_LIMIT, mark,
                       "more than %u YAML nodes (max_nodes, aliases expanded)",
                       (unsigned)b->limits->max_nodes);
    return PP_OK;
}

/* Nodes and their text are carved from arena blocks at 8-byte alignment: a
 * policy of a million members has millions of small nodes, for which the
 * arena's 16-byte alignment and per-call zeroing cost memory and time. */
static void *node_alloc(builder *b, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    if (size > b->block_left) {
        if (size > NODE_BLOCK / 4 || b->arena->piecewise)
            return ppi_arena_alloc(b->arena, size);
        char *block = ppi_arena_alloc(b->arena, NODE_BLOCK);
        if (block == NULL)
            return NULL;
        b->block = block;
        b->block_left = NODE_BLOCK;
    }
    void *p = b->block;
    b->block += size;
    b->block_left -= size;
    return p;
}

static ppi_node *node_new(builder *b, ppi_node_kind kind, const yaml_mark_t *mark,
                          size_t extra)
{
    if (extra > SIZE_MAX - sizeof(ppi_node) - 8)
        return NULL;
    ppi_node *n = node_alloc(b, sizeof *n + extra);
    if (n == NULL)
        return NULL;
    *n = (ppi_node){ .kind = (uint8_t)kind,
                     .line = clamp32((uint64_t)mark->line + 1),
                     .column = clamp32((uint64_t)mark->column + 1) };
    return n;
}

/* Append a finished (or just opened) node to the innermost open collection,
 * or make it the document's root. */
static void attach(builder *b, ppi_node *n)
{
    if (b->depth == 0) {
        b->root = n;
        return;
    }
    frame *f = &b->frames[b->depth - 1];
    if (f->last == NULL)
        f->node->child = n;
    else
        f->last->next = n;
    f->last = n;
    f->node->len++;
}

/* The scalar's own bytes in the input, when the text is ASCII and the value
 * is written verbatim (plain, or quoted without escapes): most values are,
 * and sharing them saves a copy of nearly every byte of a large policy. */
static const char *verbatim(const builder *b, const yaml_event_t *e)
{
    size_t at = e->start_mark.index, len = e->data.scalar.length;
    yaml_scalar_style_t style = e->data.scalar.style;
    if (!b->ascii || (style != YAML_PLAIN_SCALAR_STYLE &&
                      style != YAML_SINGLE_QUOTED_SCALAR_STYLE &&
                      style != YAML_DOUBLE_QUOTED_SCALAR_STYLE))
        return NULL;
    if (style != YAML_PLAIN_SCALAR_STYLE)
        at++; /* the opening quote */
    if (at > b->len || len > b->len - at ||
        memcmp(b->text + at, e->data.scalar.value, len) != 0)
        return NULL;
    return b->text + at;
}

static int on_scalar(builder *b, const yaml_event_t *e)
{
    const yaml_mark_t *mark = &e->start_mark;
    int rc = check_tag(b, e->data.scalar.tag, mark);
    if (rc == PP_OK)
        rc = count_nodes(b, 1, mark);
    if (rc != PP_OK)
        return rc;
    size_t len = e->data.scalar.length;
    if (len >= UINT32_MAX)
        return fail_at(b, PP_ERR_LIMIT, mark, "scalar longer than 4 GiB");
    const char *shared = verbatim(b, e);
    /* Otherwise the text lives right behind its node: one allocation. */
    ppi_node *n = node_new(b, PPI_SCALAR, mark, shared ? 0 : len);
    if (n == NULL)
        return fail_nomem(b);
    if (shared != NULL) {
        n->text = shared;
    } else {
        char *text = (char *)(n + 1);
        if (len > 0)
            memcpy(text, e->data.scalar.value, len);
        n->text = text;
    }
    n->len = (uint32_t)len;
    n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (e->data.scalar.anchor != NULL) {
        uint32_t index;
        if (anchor_define(b, e->data.scalar.anchor, n, true, &index) != PP_OK)
            return fail_nomem(b);
    }
    attach(b, n);
    return PP_OK;
}

static int on_collection_start(builder *b, const yaml_event_t *e,
                               ppi_node_kind kind)
{
    const yaml_mark_t *mark = &e->start_mark;
    bool seq = kind == PPI_SEQUENCE;
    int rc = check_tag(b, seq ? e->data.sequence_start.tag
                              : e->data.mapping_start.tag, mark);
    if (rc != PP_OK)
        return rc;
    if (b->depth >= b->limits->max_depth)
        return fail_at(b, PP_ERR_LIMIT, mark,
                       "nesting deeper than %u levels (max_depth)",
                       (unsigned)b->limits->max_depth);
    uint64_t before = b->nodes;
    if ((rc = count_nodes(b, 1, mark)) != PP_OK)
        return rc;
    ppi_node *n = node_new(b, kind, mark, 0);
    if (n == NULL)
        return fail_nomem(b);
    attach(b, n);

    if (b->depth == b->frames_cap) {
        uint32_t cap = b->frames_cap ? b->frames_cap * 2 : FIRST_FRAMES;
        if (cap < b->frames_cap)
            return fail_nomem(b);
        frame *grown = ppi_arena_alloc(b->arena, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return fail_nomem(b);
        if (b->depth > 0)
            memcpy(grown, b->frames, b->depth * sizeof *grown);
        b->frames = grown;
        b->frames_cap = cap;
    }
    const yaml_char_t *name = seq ? e->data.sequence_start.anchor
                                  : e->data.mapping_start.anchor;
    uint32_t index = PPI_NONE;
    if (name != NULL && anchor_define(b, name, n, false, &index) != PP_OK)
        return fail_nomem(b);
    b->frames[b->depth++] = (frame){ n, NULL, before, index };
    return PP_OK;
}

static void on_collection_end(builder *b)
{
    frame *f = &b->frames[--b->depth];
    if (f->node->kind == PPI_MAPPING)
        f->node->len /= 2; /* children were counted, pairs are reported */
    if (f->anchor != PPI_NONE) {
        anchor *a = &b->anchors[f->anchor];
        /* At most max_nodes (checked on every increment). */
        a->size = (uint32_t)(b->nodes - f->nodes_before);
        a->complete = true;
    }
}

static int on_alias(builder *b, const yaml_event_t *e)
{
    const yaml_mark_t *mark = &e->start_mark;
    const char *name = (const char *)e->data.alias.anchor;
    char shown[SNIPPET_SIZE];
    ppi_yaml_snippet(shown, sizeof shown, name, strlen(name));
    if (++b->aliases > b->limits->max_aliases)
        return fail_at(b, PP_ERR_LIMIT, mark, "more than %u aliases (max_aliases)",
                       (unsigned)b->limits->max_aliases);
    const anchor *a = anchor_find(b, name);
    if (a == NULL)
        return fail_at(b, PP_ERR_YAML, mark, "unknown alias '*%s'", shown);
    if (!a->complete)
        return fail_at(b, PP_ERR_YAML, mark,
                       "alias '*%s' is inside the node it names (recursive)", shown);
    int rc = count_nodes(b, a->size, mark);
    if (rc != PP_OK)
        return rc;
    /* Share the anchored content, but keep the alias's own position so that
     * errors point at the place the value is used. */
    ppi_node *n = node_new(b, (ppi_node_kind)a->node->kind, mark, 0);
    if (n == NULL)
        return fail_nomem(b);
    const ppi_node *target = a->node;
    if (target->kind == PPI_SCALAR)
        n->text = target->text;
    else
        n->child = target->child;
    n->len = target->len;
    n->plain = target->plain;
    attach(b, n);
    return PP_OK;
}

/* One event; *done is set at the end of the stream. */
static int on_event(builder *b, const yaml_event_t *e, bool *done)
{
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (b->documents++ > 0)
            return fail_at(b, PP_ERR_YAML, &e->start_mark,
                           "a policy is one YAML document; a second one starts here");
        return PP_OK;
    case YAML_SCALAR_EVENT:
        return on_scalar(b, e);
    case YAML_SEQUENCE_START_EVENT:
        return on_collection_start(b, e, PPI_SEQUENCE);
    case YAML_MAPPING_START_EVENT:
        return on_collection_start(b, e, PPI_MAPPING);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        on_collection_end(b);
        return PP_OK;
    case YAML_ALIAS_EVENT:
        return on_alias(b, e);
    case YAML_STREAM_END_EVENT:
        *done = true;
        return PP_OK;
    default: /* stream start, document end */
        return PP_OK;
    }
}

int ppi_yaml_parse(const ppi_node **root, ppi_arena *arena, const char *text,
                   size_t len, const pp_load_options *limits, pp_error *err)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.arena = arena;
    b.text = text != NULL ? text : "";
    b.len = len;
    b.limits = limits;
    b.err = err;
    *root = NULL;
    unsigned char any = 0; /* an OR over every byte: vectorises */
    for (size_t i = 0; i < len; i++)
        any |= (unsigned char)text[i];
    b.ascii = any < 0x80;

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return fail_nomem(&b);
    /* libyaml asserts on a NULL input, even an empty one. */
    yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""),
                                 len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    int rc = PP_OK;
    for (bool done = false; !done && rc == PP_OK;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            rc = fail_libyaml(&b, &parser);
            break;
        }
        rc = on_event(&b, &event, &done);
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    if (rc == PP_OK)
        *root = b.root;
    return rc;
}
