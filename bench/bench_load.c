/* bench_load: what loading the large policy (10,000 products, 1,000,000
 * members) costs in time and memory, as rows of the table in
 * docs/performance.md (make bench-load).
 *
 *   bench_load [--cache DIR] [--repeat N]
 *
 * Memory is read from /proc/self/status in a child process that does
 * nothing but read the text and load it: VmRSS before and after the load
 * (the text resident throughout), and VmHWM, the peak, reset just before
 * the load.  Time is the median of N loads beside N bare libyaml event
 * parses of the same text, interleaved so both see the same machine, in
 * process CPU time. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "bench.h"

/* ppbench's large policy, so both share bench/cache/large-policy.yaml. */
static const bench_shape large = { 10000, 1000000, 1000 };

static void die(const char *what)
{
    fprintf(stderr, "bench_load: %s\n", what);
    exit(1);
}

static const char *target(char *buf, size_t size, double value, double limit, bool at_most)
{
    bool met = at_most ? value <= limit : value >= limit;
    snprintf(buf, size, "%s %g: %s", at_most ? "<=" : ">=", limit, met ? "met" : "MISSED");
    return buf;
}

/* The large policy's text: DIR/large-policy.yaml (the cache ppbench
 * shares), written there first when missing. */
static bench_text large_text(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/large-policy.yaml", dir);
    bench_text t = { 0 };
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f != NULL && fstat(fileno(f), &st) == 0 && st.st_size > 0) {
        t.len = (size_t)st.st_size;
        t.ptr = malloc(t.len);
        if (t.ptr == NULL || fread(t.ptr, 1, t.len, f) != t.len)
            die("cannot read the cached policy");
        fclose(f);
        return t;
    }
    if (f != NULL)
        fclose(f);
    policy_yaml(&t, &large);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (f == NULL || fwrite(t.ptr, 1, t.len, f) != t.len || fclose(f) != 0 ||
        rename(tmp, path) != 0)
        die("cannot write the policy cache");
    return t;
}

/* ---- memory ---- */

/* A field of /proc/self/status in bytes (it is in kB there). */
static double status_bytes(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        die("cannot read /proc/self/status");
    char line[256];
    size_t n = strlen(field);
    double kb = -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, field, n) == 0 && line[n] == ':')
            kb = strtod(line + n + 1, NULL);
    fclose(f);
    if (kb < 0)
        die("no such field in /proc/self/status");
    return kb * 1024;
}

/* Reset VmHWM to the current VmRSS (Linux 4.0 and later). */
static void reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f == NULL || fputs("5", f) < 0 || fclose(f) != 0)
        die("cannot reset the peak through /proc/self/clear_refs");
}

/* In a fresh child: the first load, then a second one after freeing the
 * first (what a server that reloads its policy sees). */
static void memory_rows(const char *cache)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork failed");
    if (pid > 0) {
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            die("the memory child failed");
        return;
    }
    double base = status_bytes("VmRSS");
    bench_text t = large_text(cache);
    double with_text = status_bytes("VmRSS");
    reset_peak();
    pp_policy *p = policy_load_or_die(t.ptr, t.len);
    double peak = status_bytes("VmHWM"), after = status_bytes("VmRSS");
    pp_policy_free(p);
    p = policy_load_or_die(t.ptr, t.len);
    double again = status_bytes("VmRSS");
    pp_policy_free(p);
    double compiled = (double)policy_bytes(&t), text = (double)t.len;

    char work[256], tgt[64];
    snprintf(work, sizeof work, "large policy: %.1f MB of text, %.1f MB compiled (bytes "
             "through the allocator hook)", text / 1e6, compiled / 1e6);
    bench_stat s;
    s.median = s.min = s.max = (peak - base) / text;
    row("peak resident during the load / text", s, "x",
        "VmHWM (reset before the load) - VmRSS before the text was read; the text counts",
        target(tgt, sizeof tgt, s.median, 3, true));
    s.median = s.min = s.max = (after - with_text) / compiled;
    row("resident after the load / compiled size", s, "x",
        "VmRSS after - VmRSS before the load (text resident in both), first load of the process",
        target(tgt, sizeof tgt, s.median, 1.3, true));
    s.median = s.min = s.max = (again - with_text) / compiled;
    row("resident after a reload / compiled size", s, "x",
        "the same after freeing the first policy and loading the text again",
        target(tgt, sizeof tgt, s.median, 1.3, true));
    s.median = s.min = s.max = compiled / 1e6;
    row("compiled large policy", s, "MB", work, NULL);
    fflush(stdout);
    free(t.ptr);
    _exit(0);
}

/* ---- time ---- */

/* CPU time of the process: on a shared machine, the time it waits for a
 * core does not count. */
static double cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double parse_ms(const bench_text *t)
{
    yaml_parser_t parser;
    yaml_event_t event;
    double t0 = cpu_ns();
    if (!yaml_parser_initialize(&parser))
        die("libyaml: out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)t->ptr, t->len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    for (bool done = false; !done;) {
        if (!yaml_parser_parse(&parser, &event))
            die("libyaml rejected the policy");
        done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    return (cpu_ns() - t0) / 1e6;
}

static double load_ms(const bench_text *t)
{
    double t0 = cpu_ns();
    pp_policy *p = policy_load_or_die(t->ptr, t->len);
    double ms = (cpu_ns() - t0) / 1e6;
    pp_policy_free(p);
    return ms;
}

static void time_rows(const char *cache, int repeat)
{
    bench_text t = large_text(cache);
    double load[64], parse[64], mbs[64], ratio[64];
    load_ms(&t); /* warm the caches and the allocator */
    for (int r = 0; r < repeat; r++) {
        load[r] = load_ms(&t);
        parse[r] = parse_ms(&t);
        mbs[r] = (double)t.len / 1e6 / (load[r] / 1e3);
        ratio[r] = load[r] / parse[r];
    }
    char work[256], tgt[64];
    snprintf(work, sizeof work, "large policy text, %.1f MB (10,000 products, 1,000,000 "
             "members); %d runs", (double)t.len / 1e6, repeat);
    bench_stat sm = stat_of(mbs, repeat), sr = stat_of(ratio, repeat);
    row("pp_policy_load, large policy", stat_of(load, repeat), "ms", work, NULL);
    row("pp_policy_load throughput", sm, "MB/s", work, target(tgt, sizeof tgt, sm.median, 40, false));
    row("libyaml event parse alone (the floor)", stat_of(parse, repeat), "ms", work, NULL);
    row("load / libyaml parse", sr, "x", "per run, same text",
        target(tgt, sizeof tgt, sr.median, 1.3, true));
    free(t.ptr);
}

int main(int argc, char **argv)
{
    const char *cache = ".";
    int repeat = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cache") == 0 && i + 1 < argc)
            cache = argv[++i];
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else
            die("usage: bench_load [--cache DIR] [--repeat N]");
    }
    if (repeat < 1 || repeat > 64)
        die("--repeat takes 1 to 64");
    bench_text t = large_text(cache); /* in the cache before the child reads it */
    free(t.ptr);
    row_header();
    memory_rows(cache);
    time_rows(cache, repeat);
    return 0;
}
