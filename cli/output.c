/* The buffered writers (see output.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "output.h"

#define STREAM_SIZE 65536

static char stdout_buf[STREAM_SIZE], stderr_buf[4096];
static ppc_out out_stream = { stdout_buf, 0, sizeof stdout_buf, STDOUT_FILENO, 0 };
static ppc_out err_stream = { stderr_buf, 0, sizeof stderr_buf, STDERR_FILENO, 0 };

ppc_out *ppc_stdout(void)
{
    return &out_stream;
}

ppc_out *ppc_stderr(void)
{
    return &err_stream;
}

void ppc_out_memory(ppc_out *o)
{
    o->buf = NULL;
    o->len = o->cap = 0;
    o->fd = -1;
    o->error = 0;
}

void ppc_out_free(ppc_out *o)
{
    free(o->buf);
    ppc_out_memory(o);
}

ppc_out *ppc_out_create(const char *path)
{
    ppc_out *o = malloc(sizeof *o + STREAM_SIZE);
    if (o == NULL)
        return NULL;
    o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (o->fd < 0) {
        int err = errno;
        free(o);
        errno = err;
        return NULL;
    }
    o->buf = (char *)(o + 1);
    o->len = 0;
    o->cap = STREAM_SIZE;
    o->error = 0;
    return o;
}

int ppc_out_close(ppc_out *o)
{
    int err = ppc_flush(o);
    if (close(o->fd) != 0 && err == 0)
        err = errno;
    free(o);
    return err;
}

/* Write s[0..n) to the file descriptor, all of it or until an error. */
static void write_all(ppc_out *o, const char *s, size_t n)
{
    while (n > 0 && o->error == 0) {
        ssize_t w = write(o->fd, s, n);
        if (w > 0) {
            s += w;
            n -= (size_t)w;
        } else if (w < 0 && errno != EINTR) {
            o->error = errno;
        }
    }
}

int ppc_flush(ppc_out *o)
{
    if (o->fd >= 0 && o->len > 0) {
        write_all(o, o->buf, o->len);
        o->len = 0;
    }
    return o->error;
}

void ppc_put_slow(ppc_out *o, const char *s, size_t n)
{
    if (n == 0 || o->error != 0)
        return; /* the reader is gone (or memory is): nothing more to say */
    if (o->fd < 0) {
        size_t cap = o->cap == 0 ? 256 : o->cap;
        while (cap - o->len < n)
            cap *= 2;
        char *grown = realloc(o->buf, cap);
        if (grown == NULL) {
            o->error = ENOMEM;
            return;
        }
        o->buf = grown;
        o->cap = cap;
        memcpy(o->buf + o->len, s, n);
        o->len += n;
        return;
    }
    ppc_flush(o);
    if (n >= o->cap) {
        write_all(o, s, n);
        return;
    }
    memcpy(o->buf, s, n);
    o->len = n;
}

void ppc_puts(ppc_out *o, const char *s)
{
    ppc_put(o, s, strlen(s));
}

void ppc_put_u64(ppc_out *o, uint64_t v)
{
    /* Two digits a division (every answer holds two or three numbers). */
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char digits[20];
    size_t n = sizeof digits;
    while (v >= 100) {
        n -= 2;
        memcpy(digits + n, pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        n -= 2;
        memcpy(digits + n, pairs + 2 * v, 2);
    } else {
        digits[--n] = (char)('0' + v);
    }
    ppc_put(o, digits + n, sizeof digits - n);
}

void ppc_put_i64(ppc_out *o, int64_t v)
{
    if (v < 0) {
        ppc_putc(o, '-');
        ppc_put_u64(o, (uint64_t)0 - (uint64_t)v);
    } else {
        ppc_put_u64(o, (uint64_t)v);
    }
}

void ppc_printf(ppc_out *o, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        ppc_put(o, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        o->error = o->error != 0 ? o->error : ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ppc_put(o, big, (size_t)n);
    free(big);
}
