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

/* 32 bytes: a large policy has millions of nodes.  The byte offset of a node
 * is not stored: errors compute it from line and column (ppi_yaml_offset). */
typedef struct ppi_node ppi_node;
struct ppi_node {
    const ppi_node *next;   /* next sibling in the parent collection */
    union {
        const char *text;   /* scalar: its bytes (not NUL-terminated; may
                               point into the input text) */
        const ppi_node *child; /* collection: first child; a mapping's
                                  children alternate key, value */
    };
    uint32_t len;           /* scalar: bytes; sequence: items; mapping: pairs */
    uint32_t line;          /* 1-based */
    uint32_t column;        /* 1-based, in characters */
    uint8_t kind;           /* ppi_node_kind */
    bool plain;             /* scalar written unquoted (not quoted, not a
                               block scalar) */
};

/* Parse len bytes of UTF-8 (at most one document) into a tree allocated from
 * arena, enforcing limits->max_depth, max_aliases and max_nodes (which must
 * already hold their effective values).  Aliases become nodes that share the
 * anchored node's content.  *root is NULL for a stream without a document.
 * On failure returns a pp_error_code, fills err (may be NULL) with position
 * and message, and leaves whatever it allocated in arena. */
int ppi_yaml_parse(const ppi_node **root, ppi_arena *arena, const char *text,
                   size_t len, const pp_load_options *limits, pp_error *err);

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

/* Whether n is the scalar s (exactly, any style). */
static inline bool ppi_node_is(const ppi_node *n, const char *s)
{
    size_t len = strlen(s);
    return n->kind == PPI_SCALAR && n->len == len && memcmp(n->text, s, len) == 0;
}

/* YAML's null: an empty or ~ / null plain scalar (YAML 1.1 spellings). */
static inline bool ppi_node_is_null(const ppi_node *n)
{
    return n->kind == PPI_SCALAR && n->plain &&
           (n->len == 0 || ppi_node_is(n, "~") || ppi_node_is(n, "null") ||
            ppi_node_is(n, "Null") || ppi_node_is(n, "NULL"));
}

/* A plain scalar of decimal digits, with an optional leading '-'. */
static inline bool ppi_node_is_integer(const ppi_node *n)
{
    if (n->kind != PPI_SCALAR || !n->plain)
        return false;
    uint32_t i = n->len > 0 && n->text[0] == '-' ? 1 : 0;
    if (i == n->len)
        return false;
    for (; i < n->len; i++)
        if (n->text[i] < '0' || n->text[i] > '9')
            return false;
    return true;
}

/* First value under key in a mapping, or NULL (also when map is NULL or not
 * a mapping). */
static inline const ppi_node *ppi_node_find(const ppi_node *map, const char *key)
{
    if (map == NULL || map->kind != PPI_MAPPING)
        return NULL;
    for (const ppi_node *k = map->child; k != NULL; k = k->next->next)
        if (ppi_node_is(k, key))
            return k->next;
    return NULL;
}

/* Items of a list, or 0 for anything else (reported when it is compiled). */
static inline uint32_t ppi_node_items(const ppi_node *n)
{
    return n != NULL && n->kind == PPI_SEQUENCE ? n->len : 0;
}

/* Item i of a list (i < its length). */
static inline const ppi_node *ppi_node_nth(const ppi_node *list, uint32_t i)
{
    const ppi_node *n = list->child;
    while (i-- > 0)
        n = n->next;
    return n;
}

#endif /* PPI_YAML_TREE_H */
