/* Timing and the table every figure is printed in (a Markdown table, so
 * docs/performance.md can quote it as it is). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

void bench_die(const char *what)
{
    fprintf(stderr, "ppbench: %s\n", what);
    exit(1);
}

double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bench_stat stat_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    bench_stat s = { n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[0], v[n - 1] };
    return s;
}

void row_header(void)
{
    printf("| figure | median | min | max | unit | workload | target |\n"
           "|---|--:|--:|--:|---|---|---|\n");
}

void row(const char *what, bench_stat s, const char *unit,
         const char *workload, const char *target)
{
    printf("| %s | %.4g | %.4g | %.4g | %s | %s | %s |\n", what, s.median,
           s.min, s.max, unit, workload, target ? target : "");
    fflush(stdout);
}
