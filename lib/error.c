/* Filling the caller's error record. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int ppi_error_set(pp_error *err, int code, uint32_t line, uint32_t column,
                  size_t offset, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    err->line = line;
    err->column = column;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n < 0)
        err->message[0] = '\0';
    return code;
}
