/* Helpers the Check suites share: reading a test file, a policy from text
 * (the counting allocator is load_util.h's). */
#ifndef PP_TEST_HELPERS_H
#define PP_TEST_HELPERS_H

#include <stddef.h>

/* The whole file, NUL-terminated (the test fails when it cannot be read).
 * The caller frees it. */
char *ppt_slurp(const char *path, size_t *len);

/* The policy of a NUL-terminated text (the test fails when it does not
 * load, with the position and message). */
struct pp_policy;
struct pp_policy *ppt_load(const char *text);


/* The count for a long randomized or exhaustive loop: n, or a twentieth of
 * it (at least 1) when PP_TEST_LIGHT is set in the environment.
 * scripts/sanitize.sh sets it for valgrind, which runs every path of such a
 * loop 50 times slower and finds nothing more in its thousandth round. */
long ppt_iterations(long n);

#endif
