/* ppolicy fingerprint, platforms, families: what a policy holds besides its
 * products, read through the public accessors. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char fingerprint_help[] =
    "Usage: ppolicy fingerprint POLICY.yaml\n"
    "\n"
    "Print the policy's fingerprint: 16 hex digits of a hash of its canonical\n"
    "form, the same for texts that differ only in order, comments or layout.\n"
    "Stamp it on audit logs beside each decision.\n"
    "\n"
    "Exit status: 0, 1 the policy is invalid, 2 bad usage or unreadable file.\n";

static const char platforms_help[] =
    "Usage: ppolicy platforms [--policy POLICY.yaml] [--format FORMAT]\n"
    "\n"
    "Print the platform table: ID, name, whether a product may hold the\n"
    "platform, its family (`by SKU` when only the SKU tells) and its SKU\n"
    "prefixes.  Without --policy, the built-in table; with it, the policy's\n"
    "(built-in plus its own platforms and SKUs).\n"
    "\n"
    "  -p, --policy FILE   the policy whose table to print\n"
    "  -f, --format FMT    text (the default, aligned columns) or markdown\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0, 1 the policy is invalid, 2 bad usage or unreadable file.\n";

static const char families_help[] =
    "Usage: ppolicy families [--policy POLICY.yaml] [--format FORMAT]\n"
    "\n"
    "Print the device families (one product holds one family) with their\n"
    "platforms and SKU prefixes.  Without --policy, the built-in table.\n"
    "\n"
    "  -p, --policy FILE   the policy whose table to print\n"
    "  -f, --format FMT    text (the default, aligned columns) or markdown\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0, 1 the policy is invalid, 2 bad usage or unreadable file.\n";

int ppc_fingerprint(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = ppc_getopt(argc, argv, "h", longopts, fingerprint_help)) != -1)
        return c == 'h' ? PPC_EXIT_OK : PPC_EXIT_USAGE;
    if (argc - optind != 1)
        return ppc_usage_error(argv[0], "give exactly one policy file");
    pp_policy *p;
    int rc = ppc_load_policy(argv[optind], &p);
    if (rc == PPC_EXIT_OK)
        printf("%016" PRIx64 "\n", pp_policy_fingerprint(p));
    pp_policy_free(p);
    return rc;
}

/* The policy named by --policy, or the built-in tables; *markdown for
 * --format markdown (docs/hardware.md shows the built-in tables so). */
static int table_policy(int argc, char **argv, const char *help, pp_policy **p,
                        int *markdown)
{
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *path = NULL;
    int c;
    *p = NULL;
    *markdown = 0;
    while ((c = ppc_getopt(argc, argv, "p:f:h", longopts, help)) != -1) {
        if (c == 'h')
            return -1;
        if (c == 'f' && (strcmp(optarg, "text") == 0 || strcmp(optarg, "markdown") == 0)) {
            *markdown = strcmp(optarg, "markdown") == 0;
            continue;
        }
        if (c == 'f')
            return ppc_usage_error(argv[0], "unknown format '%s' (text or markdown)",
                                   optarg);
        if (c != 'p')
            return PPC_EXIT_USAGE;
        path = optarg;
    }
    if (optind != argc)
        return ppc_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    return path != NULL ? ppc_load_policy(path, p) : ppc_load_builtin(p);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The SKU prefixes of a platform (family < -1) or of a family (platform_id
 * ignored), space-separated in sorted order. */
static void print_skus(const pp_policy *p, uint32_t platform_id, int family)
{
    size_t n = 0;
    pp_sku_info s;
    while (pp_policy_sku_at(&s, p, n) == PP_OK)
        n++;
    const char **list = n > 0 ? malloc(n * sizeof *list) : NULL;
    size_t k = 0;
    for (size_t i = 0; list != NULL && i < n; i++) {
        pp_policy_sku_at(&s, p, i);
        if (family < -1 ? s.platform_id == platform_id : s.family == family)
            list[k++] = s.prefix;
    }
    if (k > 0)
        qsort(list, k, sizeof *list, by_text);
    for (size_t i = 0; i < k; i++)
        printf("%s%s", i == 0 ? "" : " ", list[i]);
    if (k == 0)
        putchar('-');
    free(list);
}

static const char *family_text(const pp_policy *p, int family)
{
    const char *name = family >= 0 ? pp_family_name(p, family) : NULL;
    return family == -1 ? "-" : name != NULL ? name : "?";
}

int ppc_platforms(int argc, char **argv)
{
    pp_policy *p;
    int markdown;
    int rc = table_policy(argc, argv, platforms_help, &p, &markdown);
    if (rc != PPC_EXIT_OK)
        return rc < 0 ? PPC_EXIT_OK : rc;
    if (markdown)
        printf("| id | name | product | family | sku prefixes |\n|---|---|---|---|---|\n");
    else
        printf("%-4s  %-10s  %-8s  %-10s  %s\n", "id", "name", "product", "family",
               "sku prefixes");
    pp_platform_info pl;
    for (size_t i = 0; pp_policy_platform_at(&pl, p, i) == PP_OK; i++) {
        const char *family = pl.family >= 0 ? family_text(p, pl.family)
                             : pl.product_eligible ? "by SKU" : "-";
        printf(markdown ? "| %lu | %s | %s | %s | " : "%-4lu  %-10s  %-8s  %-10s  ",
               (unsigned long)pl.id, pl.name, pl.product_eligible ? "yes" : "no", family);
        print_skus(p, pl.id, -2);
        printf(markdown ? " |\n" : "\n");
    }
    pp_policy_free(p);
    return PPC_EXIT_OK;
}

int ppc_families(int argc, char **argv)
{
    pp_policy *p;
    int markdown;
    int rc = table_policy(argc, argv, families_help, &p, &markdown);
    if (rc != PPC_EXIT_OK)
        return rc < 0 ? PPC_EXIT_OK : rc;
    if (markdown)
        printf("| family | platforms | sku prefixes |\n|---|---|---|\n");
    else
        printf("%-10s  %-28s  %s\n", "family", "platforms", "sku prefixes");
    for (int f = 0; pp_family_name(p, f) != NULL; f++) {
        /* Platforms of the family, and those whose SKUs can put them in it. */
        char platforms[256] = "";
        size_t used = 0;
        pp_platform_info pl;
        for (size_t i = 0; pp_policy_platform_at(&pl, p, i) == PP_OK; i++) {
            int by_sku = 0;
            pp_sku_info s;
            for (size_t j = 0; pl.family == -1 && pp_policy_sku_at(&s, p, j) == PP_OK; j++)
                by_sku |= s.platform_id == pl.id && s.family == f;
            if (pl.family != f && !by_sku)
                continue;
            int n = snprintf(platforms + used, sizeof platforms - used, "%s%lu %s%s",
                             used == 0 ? "" : ", ", (unsigned long)pl.id, pl.name,
                             by_sku ? " (by SKU)" : "");
            if (n > 0 && (size_t)n < sizeof platforms - used)
                used += (size_t)n;
        }
        printf(markdown ? "| %s | %s | " : "%-10s  %-28s  ", pp_family_name(p, f),
               platforms);
        print_skus(p, 0, f);
        printf(markdown ? " |\n" : "\n");
    }
    pp_policy_free(p);
    return PPC_EXIT_OK;
}
