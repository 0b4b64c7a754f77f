/* YAML text to a compact tree, driven by libyaml's event parser.  Policy text
 * may be untrusted, and libyaml 0.2.5 limits neither nesting nor alias
 * expansion, so every limit is counted here as the events arrive and the
 * parse stops at the first event that breaks one. */
#include "internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "yaml_tree.h"

#define FIRST_FRAMES 16u
#define FIRST_ANCHORS 8u
#define SNIPPET_SIZE 48u
#define SEGMENT_SLOTS (PPI_TREE_SEGMENT / sizeof(ppi_node))
#define MAX_CHUNK_SEGMENTS 256u  /* 1 MiB */

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
    uint64_t children;
    uint64_t nodes_before; /* document node count before it started */
    uint32_t anchor;      /* index in anchors, or PPI_NONE */
} frame;

typedef struct builder {
    ppi_arena *arena;
    const char *text;
    size_t len;
    bool ascii;           /* then libyaml's character index is a byte offset */
    uint64_t open_end;    /* the end's index when the last line has no
                             break, else UINT64_MAX */
    const pp_load_options *limits;
    pp_error *err;
    ppi_yaml_doc *doc;

    frame *frames;
    uint32_t depth, frames_cap;

    anchor *anchors;      /* every definition, in document order */
    uint32_t nanchors, anchors_cap;
    uint32_t *slots;      /* name hash -> 1 + index of its latest definition */
    uint64_t slots_mask;

    ppi_node *cursor;     /* the next free slot of the current segment */
    size_t left;          /* slots left there, the jump's two not counted */
    char *segments;       /* further segments of the current chunk */
    size_t chunk_left;    /* how many */
    size_t chunk_size;    /* segments of the next chunk */
    uint64_t nodes;       /* nodes so far, alias expansion counted */
    uint32_t aliases;
    uint32_t documents;
    ppi_node *root;
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

/* Where libyaml's index (characters, a CR LF counting two) falls: from
 * the document's cursor when it is not past it, else from the start. */
void ppi_node_position(const ppi_node *n, uint32_t *line, uint32_t *column,
                       size_t *offset)
{
    uintptr_t segment = (uintptr_t)n & ~(uintptr_t)(PPI_TREE_SEGMENT - 1);
    ppi_yaml_doc *d = ((const ppi_node *)segment)->doc;
    const unsigned char *s = (const unsigned char *)d->text;
    uint64_t target = n->h.at;
    if (target < d->cursor_index) {
        d->cursor_offset = 0;
        d->cursor_index = 0;
        d->cursor_line = 1;
    }
    size_t i = d->cursor_offset;
    uint64_t index = d->cursor_index;
    uint32_t l = d->cursor_line;
    while (index < target && i < d->len) {
        size_t b = break_len(s, i, d->len);
        if (b == 0) {
            i += char_len(s, i, d->len);
            index++;
            continue;
        }
        index += b == 2 && s[i] == '\r' ? 2 : 1;
        i += b;
        l++;
        d->cursor_offset = i;
        d->cursor_index = index;
        d->cursor_line = l;
    }
    /* One past the end: the line libyaml adds there (see node_new). */
    if (index < target) {
        *line = l + 1;
        *column = 1;
    } else {
        *line = l;
        *column = clamp32(target - d->cursor_index + 1);
    }
    *offset = i;
}

uint32_t ppi_node_line(const ppi_node *n)
{
    uint32_t line, column;
    size_t offset;
    ppi_node_position(n, &line, &column, &offset);
    return line;
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

/* A fresh segment, from chunks of segments that grow to 1 MiB (one segment
 * each in pieces): aligned to PPI_TREE_SEGMENT, its first slot the
 * document. */
static ppi_node *segment_new(builder *b)
{
    if (b->chunk_left == 0) {
        size_t n = b->arena->piecewise ? 1 : b->chunk_size;
        char *chunk = ppi_arena_take(b->arena, (n + 1) * PPI_TREE_SEGMENT);
        if (chunk == NULL)
            return NULL;
        uintptr_t align = (uintptr_t)-(uintptr_t)chunk & (PPI_TREE_SEGMENT - 1);
        b->segments = chunk + align;
        b->chunk_left = n;
        if (b->chunk_size < MAX_CHUNK_SEGMENTS)
            b->chunk_size *= 2;
    }
    ppi_node *seg = (ppi_node *)(void *)b->segments;
    b->segments += PPI_TREE_SEGMENT;
    b->chunk_left--;
    seg[0].doc = b->doc;
    return seg;
}

/* k consecutive slots (at most 3) for the next node, after a jump to a new
 * segment when this one has no room. */
static ppi_node *slots_new(builder *b, size_t k)
{
    if (k > b->left) {
        ppi_node *seg = segment_new(b);
        if (seg == NULL)
            return NULL;
        if (b->cursor != NULL) {
            b->cursor[0].h.at = 0;
            b->cursor[0].h.bits = PPI_TREE_JUMP;
            b->cursor[1].link = seg + 1;
        }
        b->cursor = seg + 1;
        b->left = SEGMENT_SLOTS - 3;
    }
    ppi_node *n = b->cursor;
    b->cursor += k;
    b->left -= k;
    return n;
}

/* Whether libyaml reports mark on the line it adds after a last line that
 * has no break: an index one past the end stands for that line. */
static bool past_end(const builder *b, const yaml_mark_t *mark)
{
    return mark->index == b->open_end && mark->column == 0;
}

/* A node of k slots, its head filled in. */
static ppi_node *node_new(builder *b, size_t k, uint32_t bits, const yaml_mark_t *mark)
{
    ppi_node *n = slots_new(b, k);
    if (n == NULL)
        return NULL;
    /* The text is shorter than 4 GiB - 1. */
    n->h.at = (uint32_t)mark->index + past_end(b, mark);
    n->h.bits = bits;
    return n;
}

/* Append a finished (or just opened) node to the innermost open collection,
 * or make it the document's root.  Its slots follow the previous sibling's
 * subtree, so the tree links only collections to what follows them. */
static int attach(builder *b, ppi_node *n, const yaml_mark_t *mark)
{
    if (b->depth == 0) {
        n->h.bits |= PPI_TREE_LAST;
        b->root = n;
        return PP_OK;
    }
    frame *f = &b->frames[b->depth - 1];
    if (++f->children > PPI_TREE_COUNT_MAX)
        return fail_at(b, PP_ERR_LIMIT, mark, "more than %u entries in one list or mapping",
                       (unsigned)PPI_TREE_COUNT_MAX);
    f->last = n;
    return PP_OK;
}

/* The scalar's own bytes in the input, when the text is ASCII and the value
 * is written verbatim (plain, or quoted without escapes): most values are,
 * and sharing them saves a copy of nearly every byte of a large policy. */
static bool verbatim(const builder *b, const yaml_event_t *e)
{
    size_t at = e->start_mark.index, len = e->data.scalar.length;
    yaml_scalar_style_t style = e->data.scalar.style;
    if (!b->ascii || (style != YAML_PLAIN_SCALAR_STYLE &&
                      style != YAML_SINGLE_QUOTED_SCALAR_STYLE &&
                      style != YAML_DOUBLE_QUOTED_SCALAR_STYLE))
        return false;
    if (style != YAML_PLAIN_SCALAR_STYLE)
        at++; /* the opening quote */
    return at <= b->len && len <= b->len - at &&
           memcmp(b->text + at, e->data.scalar.value, len) == 0;
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
    if (len > PPI_TREE_COUNT_MAX)
        return fail_at(b, PP_ERR_LIMIT, mark, "scalar longer than %u bytes",
                       (unsigned)PPI_TREE_COUNT_MAX);
    yaml_scalar_style_t style = e->data.scalar.style;
    /* Past the end (an empty value there) its text is a copy. */
    bool shared = !past_end(b, mark) && verbatim(b, e);
    uint32_t bits = PPI_SCALAR | (uint32_t)len << PPI_TREE_COUNT_SHIFT |
                    (style == YAML_PLAIN_SCALAR_STYLE ? PPI_TREE_PLAIN : 0) |
                    (!shared ? PPI_TREE_POINTER
                             : style != YAML_PLAIN_SCALAR_STYLE ? PPI_TREE_QUOTED : 0);
    ppi_node *n = node_new(b, shared ? 1 : 2, bits, mark);
    if (n == NULL)
        return fail_nomem(b);
    if (!shared &&
        (n[1].text = ppi_arena_strndup(b->arena, (const char *)e->data.scalar.value, len)) == NULL)
        return fail_nomem(b);
    if (e->data.scalar.anchor != NULL) {
        uint32_t index;
        if (anchor_define(b, e->data.scalar.anchor, n, true, &index) != PP_OK)
            return fail_nomem(b);
    }
    return attach(b, n, mark);
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
    ppi_node *n = node_new(b, 2, kind, mark);
    if (n == NULL)
        return fail_nomem(b);
    if ((rc = attach(b, n, mark)) != PP_OK)
        return rc;

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
    b->frames[b->depth++] = (frame){ n, NULL, 0, before, index };
    return PP_OK;
}

static void on_collection_end(builder *b)
{
    frame *f = &b->frames[--b->depth];
    /* A mapping's children were counted; its pairs are reported. */
    uint64_t count = ppi_node_kind_of(f->node) == PPI_MAPPING ? f->children / 2 : f->children;
    f->node->h.bits |= (uint32_t)count << PPI_TREE_COUNT_SHIFT;
    if (f->last != NULL)
        f->last->h.bits |= PPI_TREE_LAST;
    /* What follows the collection goes here (or a jump to it does). */
    f->node[1].link = b->cursor;
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
    const ppi_node *target = a->node;
    bool scalar = ppi_node_kind_of(target) == PPI_SCALAR;
    uint32_t bits = (target->h.bits & ~(PPI_TREE_QUOTED | PPI_TREE_LAST)) | PPI_TREE_POINTER;
    ppi_node *n = node_new(b, scalar ? 2 : 3, bits, mark);
    if (n == NULL)
        return fail_nomem(b);
    if (scalar) {
        n[1].text = ppi_node_text(target);
    } else {
        n[1].link = b->cursor;
        n[2].link = ppi_node_child(target);
    }
    return attach(b, n, mark);
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
    b.chunk_size = 1;
    *root = NULL;
    /* Positions are 32-bit indexes, one past the end included. */
    if (len >= UINT32_MAX)
        return ppi_error_set(err, PP_ERR_LIMIT, 1, 1, 0, "text longer than %" PRIu32 " bytes",
                             UINT32_MAX);
    if ((b.doc = ppi_arena_alloc(arena, sizeof *b.doc)) == NULL)
        return fail_nomem(&b);
    *b.doc = (ppi_yaml_doc){ b.text, len, 0, 0, 1 };
    unsigned char any = 0; /* an OR over every byte: vectorises */
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) {
        any |= (unsigned char)text[i];
        chars += ((unsigned char)text[i] & 0xC0) != 0x80;
    }
    b.ascii = any < 0x80;
    /* libyaml ends a text's last line when it has no line break of its own:
     * what it reports there is on a line of its own, at an index that is
     * also the end's (see node_new). */
    const unsigned char *u = (const unsigned char *)b.text;
    bool open_end = len > 0 && break_len(u, len - 1, len) == 0 &&
                    !(len >= 2 && break_len(u, len - 2, len) == 2) &&
                    !(len >= 3 && break_len(u, len - 3, len) == 3);
    b.open_end = open_end ? chars : UINT64_MAX;

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
