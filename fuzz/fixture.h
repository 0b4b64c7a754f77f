/*
 * What the fuzz targets share: one realistic policy compiled once, and a
 * reader that turns the fuzzer's bytes into structured values (integers,
 * short strings), so a target fuzzes records rather than their encoding.
 */
#ifndef PP_FUZZ_FIXTURE_H
#define PP_FUZZ_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "particlepolicy.h"

/* The fixture policy (every feature of schema version 1), loaded on first
 * use and kept for the process; aborts if it does not load. */
const pp_policy *fuzz_policy(void);

/* A cursor over the fuzzer's input.  Reading past the end yields zeros and
 * empty strings, so every input decodes to something. */
typedef struct fuzz_bytes {
    const uint8_t *p;
    size_t n;
} fuzz_bytes;

uint8_t fuzz_u8(fuzz_bytes *b);
/* Mostly values the policy knows (product IDs, platform IDs, small numbers),
 * sometimes any 32-bit value: a selector byte picks which. */
uint32_t fuzz_u32(fuzz_bytes *b);
/* A string of up to 255 bytes: one length byte, then the bytes.  A length
 * byte of 255 means absent: *len is 0 and the result NULL. */
const char *fuzz_str(fuzz_bytes *b, size_t *len);
/* Fill a device record from the input. */
void fuzz_device(fuzz_bytes *b, pp_device *d);

/* Abort with a message: a fuzz target's way to report a broken invariant. */
void fuzz_fail(const char *what) __attribute__((noreturn));

#endif
