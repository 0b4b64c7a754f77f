/* An interposed malloc for the test program (alloc_fail.c): while armed it
 * counts every malloc, calloc, realloc and mmap, of the library and of
 * libyaml alike, fails the N-th, and keeps the blocks allocated (and pages
 * mapped) meanwhile, so a test can fail each allocation of a load in turn
 * and see that none leaks. */
#ifndef PP_TEST_ALLOC_FAIL_H
#define PP_TEST_ALLOC_FAIL_H

#include <stdbool.h>

/* AddressSanitizer brings an allocator of its own, which cannot be mixed
 * with glibc's underneath one program: there the calls are not interposed
 * and only the library's allocator hook can be failed (docs/testing.md). */
#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_FAIL_INTERPOSED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_FAIL_INTERPOSED 0
#endif
#endif
#ifndef ALLOC_FAIL_INTERPOSED
#define ALLOC_FAIL_INTERPOSED 1
#endif

/* Whether the calls really come through here: not under AddressSanitizer,
 * nor under valgrind unless it runs with --soname-synonyms=somalloc=
 * nouserintercepts (scripts/sanitize.sh does), since valgrind replaces a
 * program's own malloc by default. */
bool alloc_fail_active(void);
/* Count allocation calls from now on and fail the fail_at-th (none for 0). */
void alloc_fail_arm(long fail_at);
/* Stop counting.  Returns the calls made while armed; *live is how many of
 * the blocks allocated meanwhile are not freed yet. */
long alloc_fail_disarm(long *live);
/* The mmap calls that succeeded since the last arming. */
long alloc_fail_maps(void);

#endif
