/* The generated policy texts, cached in the build tree (bench/cache/) so
 * that later runs, the cost run under callgrind and the Python and Go
 * benchmarks read the same text instead of generating it again. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "bench.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size == 0) {
        fclose(f);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        bench_die("cannot read a cached policy");
    fclose(f);
    buf[st.st_size] = '\0';
    *len = (size_t)st.st_size;
    return buf;
}

bench_text cached_text(const char *dir, const char *name,
                       void (*make)(bench_text *, const void *), const void *arg)
{
    bench_text t = { 0 };
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    t.ptr = read_file(path, &t.len);
    if (t.ptr != NULL)
        return t;
    make(&t, arg);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL || fwrite(t.ptr, 1, t.len, f) != t.len || fclose(f) != 0 ||
        rename(tmp, path) != 0)
        bench_die("cannot write the policy cache");
    return t;
}

static void make_shaped(bench_text *t, const void *shape)
{
    policy_yaml(t, shape);
}

bench_text policy_text(const bench_shape *shape, const char *dir, const char *name)
{
    return cached_text(dir, name, make_shaped, shape);
}
