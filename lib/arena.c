/* Chunked bump allocation through the caller's allocator hook.  A policy owns
 * one arena, so freeing a policy, or abandoning a failed load, is one walk of
 * the chunk list and can never leak a partly built structure.  A load's
 * scratch arena without a hook maps its chunks from the system instead
 * (ppi_arena_init_scratch). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#endif
#if defined(MAP_ANONYMOUS)
#define PPI_HAVE_PAGES 1
#else
#define PPI_HAVE_PAGES 0
#endif

#define PPI_ALIGN 16u
#define PPI_FIRST_CHUNK 4096u
#define PPI_MAX_CHUNK (1u << 20)
#define PPI_FIRST_PAGES (64u << 10)

struct ppi_chunk {
    ppi_chunk *next;
    size_t size;          /* bytes obtained from the hook, header included */
    max_align_t align[];  /* data follows, suitably aligned */
};

static void *default_alloc(void *opaque, size_t size)
{
    (void)opaque;
    return malloc(size);
}

static void default_free(void *opaque, void *ptr)
{
    (void)opaque;
    free(ptr);
}

void ppi_arena_init(ppi_arena *arena, const pp_allocator *hook)
{
    memset(arena, 0, sizeof *arena);
    if (hook != NULL && hook->alloc != NULL && hook->free != NULL) {
        arena->hook = *hook;
    } else {
        arena->hook.alloc = default_alloc;
        arena->hook.free = default_free;
        arena->hook.opaque = NULL;
    }
    arena->next_size = PPI_FIRST_CHUNK;
}

void ppi_arena_init_scratch(ppi_arena *arena, const pp_allocator *hook)
{
    ppi_arena_init(arena, hook);
    arena->pages = PPI_HAVE_PAGES && (hook == NULL || hook->alloc == NULL);
    /* A first chunk of 16 pages, its header included: chunks stay whole
     * pages as they double. */
    if (arena->pages)
        arena->next_size = PPI_FIRST_PAGES - sizeof(ppi_chunk);
}

static ppi_chunk *chunk_new(ppi_arena *arena, size_t data_size)
{
    if (data_size > SIZE_MAX - sizeof(ppi_chunk))
        return NULL;
    size_t total = sizeof(ppi_chunk) + data_size;
    ppi_chunk *c;
#if PPI_HAVE_PAGES
    if (arena->pages) {
        void *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        c = m == MAP_FAILED ? NULL : m;
    } else
#endif
        c = arena->hook.alloc(arena->hook.opaque, total);
    if (c == NULL)
        return NULL;
    c->size = total;
    return c;
}

static void chunk_free(ppi_arena *arena, ppi_chunk *c)
{
#if PPI_HAVE_PAGES
    if (arena->pages) {
        munmap(c, c->size);
        return;
    }
#endif
    arena->hook.free(arena->hook.opaque, c);
}

/* Carve size bytes aligned to align (a power of two, at most PPI_ALIGN).
 * Strings ask for alignment 1, so a 1,000,000-member policy does not spend
 * a 16-byte slot on every 7-byte name. */
static void *bump(ppi_arena *arena, size_t size, size_t align)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - PPI_ALIGN)
        return NULL;
    size_t pad = (size_t)(-(uintptr_t)arena->cursor) & (align - 1);
    if (arena->left < pad || size > arena->left - pad) {
        if (size > arena->next_size / 4 || arena->piecewise) {
            /* A big block gets a chunk of its own, linked behind the current
             * one so the current chunk's free space stays usable. */
            ppi_chunk *big = chunk_new(arena, size);
            if (big == NULL)
                return NULL;
            if (arena->chunks == NULL) {
                big->next = NULL;
                arena->chunks = big;
            } else {
                big->next = arena->chunks->next;
                arena->chunks->next = big;
            }
            return big->align;
        }
        ppi_chunk *c = chunk_new(arena, arena->next_size);
        if (c == NULL)
            return NULL;
        c->next = arena->chunks;
        arena->chunks = c;
        arena->cursor = (char *)c->align;
        arena->left = arena->next_size;
        if (arena->next_size < PPI_MAX_CHUNK)
            arena->next_size *= 2;
        pad = 0;
    }
    void *p = arena->cursor + pad;
    arena->cursor += pad + size;
    arena->left -= pad + size;
    return p;
}

void *ppi_arena_take(ppi_arena *arena, size_t size)
{
    return bump(arena, size, PPI_ALIGN);
}

void *ppi_arena_alloc(ppi_arena *arena, size_t size)
{
    void *p = bump(arena, size, PPI_ALIGN);
    if (p != NULL)
        memset(p, 0, size);
    return p;
}

char *ppi_arena_strndup(ppi_arena *arena, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *copy = bump(arena, len + 1, 1);
    if (copy == NULL)
        return NULL;
    if (len > 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

void ppi_arena_free_all(ppi_arena *arena)
{
    ppi_chunk *c = arena->chunks;
    while (c != NULL) {
        ppi_chunk *next = c->next;
        chunk_free(arena, c);
        c = next;
    }
    arena->chunks = NULL;
    arena->cursor = NULL;
    arena->left = 0;
    arena->next_size = arena->pages ? PPI_FIRST_PAGES - sizeof(ppi_chunk) : PPI_FIRST_CHUNK;
}

void ppi_arena_piecewise(ppi_arena *arena)
{
    arena->piecewise = true;
}

size_t ppi_arena_bytes(const ppi_arena *arena)
{
    size_t total = 0;
    for (const ppi_chunk *c = arena->chunks; c != NULL; c = c->next)
        total += c->size;
    return total;
}
