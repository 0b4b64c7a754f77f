/* The JSON writer: every string that reaches ppolicy's output goes through
 * ppc_json_string, so the output is valid JSON (RFC 8259) and safe on a
 * terminal whatever bytes the input held. */
#ifndef PPC_JSON_H
#define PPC_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Write s[0..len) as a quoted JSON string: `"` and `\` escaped, control
 * characters (C0, DEL, C1) and U+2028/U+2029 as \u00XX / \u20XX, each byte
 * that is not part of well-formed UTF-8 as \ufffd.  s may be NULL (len 0):
 * writes null. */
void ppc_json_string(FILE *out, const char *s, size_t len);
/* The same for a NUL-terminated string (NULL writes null). */
void ppc_json_cstring(FILE *out, const char *s);
/* A JSON list of the names of the set bits of `bits`, named by name(index)
 * (pp_privilege_name, pp_advisory_name). */
void ppc_json_names(FILE *out, uint32_t bits, const char *(*name)(int));

#endif
