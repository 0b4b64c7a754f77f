/* The JSON writer: every string that reaches ppolicy's JSON output goes
 * through ppc_json_string, so the output is valid JSON (RFC 8259) and safe
 * on a terminal whatever bytes the input held.  ppc_json keeps the commas
 * of nested objects and lists, so a command's JSON reads as its schema:
 *
 *   ppc_json j;
 *   ppc_json_start(&j, ppc_stdout());
 *   ppc_json_object(&j);
 *   ppc_json_key(&j, "file");  ppc_json_cstr(&j, name);
 *   ppc_json_key(&j, "errors"); ppc_json_list(&j); ... ppc_json_end(&j);
 *   ppc_json_end(&j);
 *   ppc_json_finish(&j);       (a line break after the document)
 */
#ifndef PPC_JSON_H
#define PPC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output.h"

/* Write s[0..len) as a quoted JSON string: `"` and `\` escaped, control
 * characters (C0, DEL, C1) and U+2028/U+2029 as \u00XX / \u20XX, each byte
 * that is not part of well-formed UTF-8 as \ufffd.  s may be NULL (len 0):
 * writes null. */
void ppc_json_string(ppc_out *o, const char *s, size_t len);
/* The same for a NUL-terminated string (NULL writes null). */
void ppc_json_cstring(ppc_out *o, const char *s);
/* A JSON list of the names of the set bits of `bits`, named by name(index)
 * (pp_privilege_name, pp_advisory_name). */
void ppc_json_names(ppc_out *o, uint32_t bits, const char *(*name)(int));

#define PPC_JSON_DEPTH 16

typedef struct ppc_json {
    ppc_out *o;
    int depth;
    bool first[PPC_JSON_DEPTH];     /* no item yet at this depth */
    char close[PPC_JSON_DEPTH];     /* '}' or ']' */
    bool after_key;                 /* a key was written: its value comes next */
} ppc_json;

void ppc_json_start(ppc_json *j, ppc_out *o);
/* The line break that ends a document (one per line: JSON Lines). */
void ppc_json_finish(ppc_json *j);
void ppc_json_object(ppc_json *j);
void ppc_json_list(ppc_json *j);
void ppc_json_end(ppc_json *j);
void ppc_json_key(ppc_json *j, const char *key);
void ppc_json_str(ppc_json *j, const char *s, size_t len);
void ppc_json_cstr(ppc_json *j, const char *s);     /* NULL: null */
void ppc_json_uint(ppc_json *j, uint64_t v);
void ppc_json_int(ppc_json *j, int64_t v);
void ppc_json_bool(ppc_json *j, bool v);
void ppc_json_null(ppc_json *j);
void ppc_json_bits(ppc_json *j, uint32_t bits, const char *(*name)(int));
/* The caller writes the next value itself, to j->o. */
void ppc_json_value(ppc_json *j);
/* A fingerprint: 16 lower-case hex digits, as a string. */
void ppc_json_hex64(ppc_json *j, uint64_t v);

#endif
