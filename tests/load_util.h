/* Helpers the Check suites share: reading files, loading text that must
 * load or must fail, an allocator hook that counts and fails, and the
 * PP_TEST_LIGHT bounds of long loops. */
#ifndef PP_TEST_LOAD_UTIL_H
#define PP_TEST_LOAD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "particlepolicy.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The whole file, NUL-terminated (free it); *len its bytes. */
char *slurp(const char *path, size_t *len);
/* A policy that must load (default options). */
pp_policy *load_text(const char *text, size_t len);
pp_policy *load_string(const char *text);
pp_policy *load_file(const char *path);
/* Load text that must fail; returns the code, checks *out stays NULL and
 * err->code agrees. */
int load_fails(pp_error *err, const char *text, const pp_load_options *opt);
/* Byte offset of 1-based LINE:COLUMN (columns in characters), with YAML's
 * line breaks: LF, CR LF, CR (and NEL, LS, PS, which no case uses). */
size_t offset_of(const char *text, size_t len, uint32_t line, uint32_t column);
bool has_suffix(const char *s, const char *suffix);
/* tmpl with its one "@@" replaced by insert, into out (which must fit). */
void splice(char *out, size_t size, const char *tmpl, const char *insert);
/* A message must be one line of valid UTF-8 that fits the record, without
 * hidden characters. */
bool message_well_formed(const pp_error *err);

/* An allocator hook (opaque: a counting) that fails call number fail_at
 * (never when 0) and counts the blocks alive. */
typedef struct counting {
    long calls, live, fail_at;
} counting;
void *counting_alloc(void *opaque, size_t size);
void counting_free(void *opaque, void *ptr);

/* The count for a long randomized or exhaustive loop: n, or a twentieth of
 * it (at least 1) when PP_TEST_LIGHT is set in the environment.
 * scripts/sanitize.sh sets it for valgrind, which runs every path of such a
 * loop 50 times slower and finds nothing more in its thousandth round. */
long ppt_iterations(long n);
/* The step of an exhaustive loop over positions or allocations: 1, or 20
 * (every 20th) when PP_TEST_LIGHT is set. */
long ppt_stride(void);

#endif
