/* Helpers the Check suites share: reading a test file and an allocator that
 * counts its blocks and fails on request, and a policy from text. */
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

/* A pp_allocator opaque: fails the fail_at-th allocation (0: none) and
 * counts the blocks still live. */
typedef struct ppt_counting {
    long calls, live, fail_at;
} ppt_counting;

void *ppt_counting_alloc(void *opaque, size_t size);
void ppt_counting_free(void *opaque, void *ptr);

/* The count for a long randomized or exhaustive loop: n, or a twentieth of
 * it (at least 1) when PP_TEST_LIGHT is set in the environment.
 * scripts/sanitize.sh sets it for valgrind, which runs every path of such a
 * loop 50 times slower and finds nothing more in its thousandth round. */
long ppt_iterations(long n);

#endif
