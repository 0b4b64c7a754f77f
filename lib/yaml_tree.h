/* A compact, read-only tree of one YAML document, built from libyaml's event
 * parser for the policy loader.  The tree lives in an arena the caller frees
 * and may point into the input text: both must outlive its use. */
#ifndef PPI_YAML_TREE_H
#define PPI_YAML_TREE_H

#include "internal.h"

#include <string.h>

typedef enum ppi_node_kind {
    PPI_SCALAR = 0,
    PPI_SEQUENCE = 1,
    PPI_MAPPING = 2
} ppi_node_kind;

/* The tree is an array of 8-byte slots in document order (a large policy
 * has millions of nodes), in 4 KiB segments whose first slot points at the
 * document (ppi_yaml_doc): so a node needs no pointer to its text or
 * position.  A node is a head slot, then:
 *   scalar, verbatim: nothing; its bytes are the document's at its position
 *     (after the opening quote when quoted);
 *   scalar, copied (escapes, block scalars, non-ASCII documents) or an
 *     alias: a slot with a pointer to its bytes;
 *   collection: a slot pointing at where its next sibling is, then its
 *     children (an alias's: one more slot, pointing at the anchored node's
 *     first child).
 * A segment that has no room for the next node ends with a jump to the
 * segment that holds it. */
typedef union ppi_node ppi_node;
union ppi_node {
    struct {
        uint32_t at;       /* libyaml's index of the node's start:
                              characters from the document's start */
        uint32_t bits;     /* PPI_TREE_* fields below */
    } h;
    const char *text;      /* a scalar's bytes (not NUL-terminated) */
    const ppi_node *link;  /* a collection's next sibling or first child;
                              a jump's destination */
    struct ppi_yaml_doc *doc; /* a segment's first slot */
};

/* The fields of h.bits. */
#define PPI_TREE_KIND 3u           /* ppi_node_kind, or PPI_TREE_JUMP */
#define PPI_TREE_JUMP 3u
#define PPI_TREE_QUOTED 4u         /* verbatim, after the opening quote */
#define PPI_TREE_POINTER 8u        /* text (or first child) in a slot */
#define PPI_TREE_PLAIN 16u         /* scalar written unquoted (not quoted,
                                      not a block scalar) */
#define PPI_TREE_LAST 32u          /* no next sibling */
#define PPI_TREE_COUNT_SHIFT 6     /* scalar: bytes; sequence: items;
                                      mapping: pairs */
#define PPI_TREE_COUNT_MAX ((1u << (32 - PPI_TREE_COUNT_SHIFT)) - 1)
#define PPI_TREE_SEGMENT 4096u

/* The document a tree was built from, and where its last position was
 * found (errors come mostly in document order). */
typedef struct ppi_yaml_doc {
    const char *text;
    size_t len;
    size_t cursor_offset;   /* a line start: byte offset, */
    uint64_t cursor_index;  /* libyaml index */
    uint32_t cursor_line;   /* and 1-based line */
} ppi_yaml_doc;

/* Parse len bytes of UTF-8 (at most one document) into a tree allocated from
 * arena, enforcing limits->max_depth, max_aliases and max_nodes (which must
 * already hold their effective values).  Aliases become nodes that share the
 * anchored node's content.  *root is NULL for a stream without a document.
 * On failure returns a pp_error_code, fills err (may be NULL) with position
 * and message, and leaves whatever it allocated in arena. */
int ppi_yaml_parse(const ppi_node **root, ppi_arena *arena, const char *text,
                   size_t len, const pp_load_options *limits, pp_error *err);

/* A node's 1-based line and column and its byte offset in the text. */
void ppi_node_position(const ppi_node *n, uint32_t *line, uint32_t *column,
                       size_t *offset);
uint32_t ppi_node_line(const ppi_node *n);

/* Byte offset of 1-based line and column (in characters), with libyaml's
 * line breaks (LF, CR LF, CR, NEL, LS, PS); len when past the end. */
size_t ppi_yaml_offset(const char *text, size_t len, uint32_t line,
                       uint32_t column);

/* The start of a line: offset of its first byte, and its 1-based number. */
typedef struct ppi_yaml_cursor {
    size_t offset;
    uint32_t line;
} ppi_yaml_cursor;

/* ppi_yaml_offset from the start of a line at or before line (*from; { 0, 1 }
 * is the text's start), which it moves to line: positions in order cost one
 * walk of the text between them. */
size_t ppi_yaml_offset_from(ppi_yaml_cursor *from, const char *text, size_t len,
                            uint32_t line, uint32_t column);

/* The inverse: 1-based line and column of a byte offset. */
void ppi_yaml_position(const char *text, size_t len, size_t offset,
                       uint32_t *line, uint32_t *column);

/* Render len bytes of document text for an error message in buf: at most
 * size - 1 bytes, cut on a character boundary with "..." when longer, and
 * hidden characters (ppi_char_hidden: controls, line separators, bidi
 * controls, ...) or malformed UTF-8 shown as '?', so a message stays one line
 * of valid UTF-8 that reads as what it says.  Returns buf. */
const char *ppi_yaml_snippet(char *buf, size_t size, const char *s, size_t len);

/* ---- reading the tree ---- */

static inline ppi_node_kind ppi_node_kind_of(const ppi_node *n)
{
    return (ppi_node_kind)(n->h.bits & PPI_TREE_KIND);
}

/* Scalar: its bytes; sequence: its items; mapping: its pairs. */
static inline uint32_t ppi_node_len(const ppi_node *n)
{
    return n->h.bits >> PPI_TREE_COUNT_SHIFT;
}

static inline bool ppi_node_plain(const ppi_node *n)
{
    return (n->h.bits & PPI_TREE_PLAIN) != 0;
}

static inline const ppi_yaml_doc *ppi_node_doc(const ppi_node *n)
{
    uintptr_t segment = (uintptr_t)n & ~(uintptr_t)(PPI_TREE_SEGMENT - 1);
    return ((const ppi_node *)segment)->doc;
}

/* A scalar's bytes (not NUL-terminated). */
static inline const char *ppi_node_text(const ppi_node *n)
{
    if (n->h.bits & PPI_TREE_POINTER)
        return n[1].text;
    return ppi_node_doc(n)->text + n->h.at + ((n->h.bits & PPI_TREE_QUOTED) != 0);
}

/* The node at slot s, past a jump. */
static inline const ppi_node *ppi_node_at(const ppi_node *s)
{
    return (s->h.bits & PPI_TREE_KIND) == PPI_TREE_JUMP ? s[1].link : s;
}

/* The next sibling in the parent collection, or NULL. */
static inline const ppi_node *ppi_node_next(const ppi_node *n)
{
    if (n->h.bits & PPI_TREE_LAST)
        return NULL;
    if (ppi_node_kind_of(n) != PPI_SCALAR)
        return ppi_node_at(n[1].link);
    return ppi_node_at(n + ((n->h.bits & PPI_TREE_POINTER) ? 2 : 1));
}

/* A collection's first child (a mapping's children alternate key, value),
 * or NULL when it is empty or not a collection. */
static inline const ppi_node *ppi_node_child(const ppi_node *n)
{
    if (ppi_node_kind_of(n) == PPI_SCALAR || ppi_node_len(n) == 0)
        return NULL;
    if (n->h.bits & PPI_TREE_POINTER)
        return n[2].link;
    return ppi_node_at(n + 2);
}

/* Whether n is the scalar s (exactly, any style). */
static inline bool ppi_node_is(const ppi_node *n, const char *s)
{
    size_t len = strlen(s);
    return ppi_node_kind_of(n) == PPI_SCALAR && ppi_node_len(n) == len &&
           memcmp(ppi_node_text(n), s, len) == 0;
}

/* YAML's null: an empty or ~ / null plain scalar (YAML 1.1 spellings). */
static inline bool ppi_node_is_null(const ppi_node *n)
{
    return ppi_node_kind_of(n) == PPI_SCALAR && ppi_node_plain(n) &&
           (ppi_node_len(n) == 0 || ppi_node_is(n, "~") || ppi_node_is(n, "null") ||
            ppi_node_is(n, "Null") || ppi_node_is(n, "NULL"));
}

/* A plain scalar of decimal digits, with an optional leading '-'. */
static inline bool ppi_node_is_integer(const ppi_node *n)
{
    if (ppi_node_kind_of(n) != PPI_SCALAR || !ppi_node_plain(n))
        return false;
    const char *text = ppi_node_text(n);
    uint32_t len = ppi_node_len(n);
    uint32_t i = len > 0 && text[0] == '-' ? 1 : 0;
    if (i == len)
        return false;
    for (; i < len; i++)
        if (text[i] < '0' || text[i] > '9')
            return false;
    return true;
}

/* First value under key in a mapping, or NULL (also when map is NULL or not
 * a mapping). */
static inline const ppi_node *ppi_node_find(const ppi_node *map, const char *key)
{
    if (map == NULL || ppi_node_kind_of(map) != PPI_MAPPING)
        return NULL;
    for (const ppi_node *k = ppi_node_child(map); k != NULL;
         k = ppi_node_next(ppi_node_next(k)))
        if (ppi_node_is(k, key))
            return ppi_node_next(k);
    return NULL;
}

/* Items of a list, or 0 for anything else (reported when it is compiled). */
static inline uint32_t ppi_node_items(const ppi_node *n)
{
    return n != NULL && ppi_node_kind_of(n) == PPI_SEQUENCE ? ppi_node_len(n) : 0;
}

/* Item i of a list (i < its length). */
static inline const ppi_node *ppi_node_nth(const ppi_node *list, uint32_t i)
{
    const ppi_node *n = ppi_node_child(list);
    while (i-- > 0)
        n = ppi_node_next(n);
    return n;
}

#endif /* PPI_YAML_TREE_H */
