/* The test program's own malloc, calloc, realloc and free (see alloc_fail.h).
 * They forward to glibc's, which exports them as __libc_malloc and friends
 * for exactly this, so every library in the process, libyaml included, and
 * glibc's own strdup come through here.  mmap and munmap too, for the pages
 * a load's scratch memory maps without a hook (glibc's malloc maps its own
 * through an internal name, so only the library's calls arrive). */
#include "alloc_fail.h"

#if ALLOC_FAIL_INTERPOSED
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);

/* Blocks allocated while armed: an open-addressing set of pointers, static
 * so that keeping it allocates nothing.  A slot is in use when its gen is
 * the current one, so arming empties the set without touching it. */
#define SET_SIZE (1u << 16)
#define TOMBSTONE ((void *)1)

typedef struct slot {
    void *ptr;
    unsigned gen;
} slot;

static struct {
    bool armed, full;
    unsigned gen;
    long calls, fail_at, live, maps;
    slot set[SET_SIZE];
} state;

static size_t slot_of(const void *p)
{
    uintptr_t h = (uintptr_t)p * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 40) & (SET_SIZE - 1);
}

static void remember(void *p)
{
    if (p == NULL || !state.armed)
        return;
    size_t s = slot_of(p);
    for (size_t i = 0; i < SET_SIZE; i++, s = (s + 1) & (SET_SIZE - 1))
        if (state.set[s].gen != state.gen || state.set[s].ptr == TOMBSTONE) {
            state.set[s] = (slot){ p, state.gen };
            state.live++;
            return;
        }
    state.full = true;
}

static void forget(void *p)
{
    if (p == NULL || state.live == 0)
        return;
    size_t s = slot_of(p);
    for (size_t i = 0; i < SET_SIZE && state.set[s].gen == state.gen;
         i++, s = (s + 1) & (SET_SIZE - 1))
        if (state.set[s].ptr == p) {
            state.set[s].ptr = TOMBSTONE;
            state.live--;
            return;
        }
}

/* Whether this call is the one to fail. */
static bool failing(void)
{
    if (!state.armed || ++state.calls != state.fail_at)
        return false;
    errno = ENOMEM;
    return true;
}

void *malloc(size_t size)
{
    if (failing())
        return NULL;
    void *p = __libc_malloc(size);
    remember(p);
    return p;
}

void *calloc(size_t n, size_t size)
{
    if (failing())
        return NULL;
    void *p = __libc_calloc(n, size);
    remember(p);
    return p;
}

void *realloc(void *ptr, size_t size)
{
    if (failing())
        return NULL;
    void *p = __libc_realloc(ptr, size);
    if (p != NULL || size == 0) {
        forget(ptr);
        remember(p);
    }
    return p;
}

void free(void *ptr)
{
    forget(ptr);
    __libc_free(ptr);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
    if (failing())
        return MAP_FAILED;
    void *p = (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, offset);
    if (p != MAP_FAILED && state.armed) {
        state.maps++;
        remember(p);
    }
    return p;
}

int munmap(void *addr, size_t len)
{
    forget(addr);
    return (int)syscall(SYS_munmap, addr, len);
}

long alloc_fail_maps(void)
{
    return state.maps;
}

bool alloc_fail_active(void)
{
    alloc_fail_arm(0);
    void *volatile probe = malloc(1); /* volatile: not optimised away */
    free(probe);
    long live;
    return alloc_fail_disarm(&live) == 1;
}

void alloc_fail_arm(long fail_at)
{
    state.gen++;
    state.calls = 0;
    state.live = 0;
    state.maps = 0;
    state.full = false;
    state.fail_at = fail_at;
    state.armed = true;
}

long alloc_fail_disarm(long *live)
{
    state.armed = false;
    /* A full set lost track of blocks: count them as leaked. */
    *live = state.full ? -1 : state.live;
    return state.calls;
}
#else
bool alloc_fail_active(void)
{
    return false;
}

void alloc_fail_arm(long fail_at)
{
    (void)fail_at;
}

long alloc_fail_disarm(long *live)
{
    *live = 0;
    return 0;
}

long alloc_fail_maps(void)
{
    return 0;
}
#endif
