/* ppolicy's output: one buffered writer per stream, for every command.
 * Standard output is written in large writes (a record's answer is a few
 * appends to a buffer, not a printf per field), flushed when the buffer is
 * full, before ppolicy waits for more input (so a pipeline sees each answer
 * at once), and at the end.  The first failed write (EPIPE when the reader
 * went away, ENOSPC) is kept, later output dropped; streaming commands stop
 * as soon as they see it.  A writer without a file descriptor collects text
 * in memory (explain builds its account that way). */
#ifndef PPC_OUTPUT_H
#define PPC_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct ppc_out {
    char *buf;
    size_t len, cap;
    int fd;         /* -1: a memory buffer that grows */
    int error;      /* errno of the first failed write (or ENOMEM), or 0 */
} ppc_out;

/* The writers of standard output and standard error. */
ppc_out *ppc_stdout(void);
ppc_out *ppc_stderr(void);
/* A memory writer (text in o->buf[0..o->len)); free with ppc_out_free. */
void ppc_out_memory(ppc_out *o);
void ppc_out_free(ppc_out *o);
/* A writer to a new file; NULL with errno set. ppc_out_close flushes,
 * closes and frees it: 0, or the errno of the first failure. */
ppc_out *ppc_out_create(const char *path);
int ppc_out_close(ppc_out *o);

/* Write out what is buffered: 0, or the kept error. */
int ppc_flush(ppc_out *o);

void ppc_put_slow(ppc_out *o, const char *s, size_t n);

static inline void ppc_put(ppc_out *o, const char *s, size_t n)
{
    /* n - 1: nothing to copy (n == 0) takes the slow path too, so an empty
     * memory writer is never handed to memcpy. */
    if (n - 1 < o->cap - o->len) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    } else {
        ppc_put_slow(o, s, n);
    }
}

static inline void ppc_putc(ppc_out *o, char c)
{
    if (o->len < o->cap)
        o->buf[o->len++] = c;
    else
        ppc_put_slow(o, &c, 1);
}

/* A string literal, without strlen. */
#define PPC_PUTS(o, literal) ppc_put((o), (literal), sizeof(literal) - 1)

void ppc_puts(ppc_out *o, const char *s);
void ppc_put_u64(ppc_out *o, uint64_t v);
void ppc_put_i64(ppc_out *o, int64_t v);
void ppc_printf(ppc_out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
