/* UTF-8 decoding shared by the JSON writer and the record reader's input
 * filter: both must agree, byte for byte, on what counts as valid text. */
#ifndef PPC_UTF8_H
#define PPC_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1-4) of the well-formed UTF-8 sequence (RFC 3629: no overlongs,
 * surrogates or code points above U+10FFFF) that starts s, with its code
 * point in *cp; 0 when s does not start one within len bytes. */
size_t ppc_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

#endif
