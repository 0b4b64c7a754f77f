/* ppolicy fingerprint, platforms, families: what a policy holds besides its
 * products, read through the public accessors. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "output.h"

static const char fingerprint_help[] =
    "Usage: ppolicy fingerprint POLICY.yaml\n"
    "\n"
    "Print the policy's fingerprint: 16 hex digits of a hash of its canonical\n"
    "form, the same for texts that differ only in order, comments or layout.\n"
    "Stamp it on audit logs beside each decision.\n"
    "\n"
    PPC_FORMAT_HELP
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
    "  -o, -f, --format FMT  text (the default), json or markdown\n"
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
    "  -o, -f, --format FMT  text (the default), json or markdown\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0, 1 the policy is invalid, 2 bad usage or unreadable file.\n";

int ppc_fingerprint(int argc, char **argv)
{
    static const struct option longopts[] = {
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, format = PPC_TEXT;
    while ((c = ppc_getopt(argc, argv, "o:h", longopts, fingerprint_help, &format)) != -1)
        return c == 'h' ? PPC_EXIT_OK : PPC_EXIT_USAGE;
    if (argc - optind != 1)
        return ppc_usage_error(argv[0], "give exactly one policy file");
    pp_policy *p;
    int rc = ppc_load_policy(argv[optind], &p);
    if (rc == PPC_EXIT_OK)
        ppc_print_fingerprint(format, pp_policy_fingerprint(p));
    pp_policy_free(p);
    return rc;
}

/* The policy named by --policy, or the built-in tables; *format for
 * --format (markdown: docs/hardware.md shows the built-in tables so). */
static int table_policy(int argc, char **argv, const char *help, pp_policy **p, int *format)
{
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *path = NULL;
    int c;
    *p = NULL;
    while ((c = ppc_getopt(argc, argv, "p:f:o:h", longopts, help, NULL)) != -1) {
        if (c == 'h')
            return -1;
        if (c == 'o' || c == 'f') {
            if (!ppc_parse_format(argv[0], optarg, 1, format))
                return PPC_EXIT_USAGE;
            continue;
        }
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
 * ignored), in sorted order, in *list (the caller frees it).  Returns how
 * many. */
static size_t sku_prefixes(const pp_policy *p, uint32_t platform_id, int family,
                           const char ***list)
{
    size_t n = 0;
    pp_sku_info s;
    while (pp_policy_sku_at(&s, p, n) == PP_OK)
        n++;
    *list = n > 0 ? malloc(n * sizeof **list) : NULL;
    size_t k = 0;
    for (size_t i = 0; *list != NULL && i < n; i++) {
        pp_policy_sku_at(&s, p, i);
        if (family < -1 ? s.platform_id == platform_id : s.family == family)
            (*list)[k++] = s.prefix;
    }
    if (k > 0)
        qsort(*list, k, sizeof **list, by_text);
    return k;
}

/* Space-separated for text, a list of strings for JSON. */
static void print_skus(ppc_json *j, int format, const pp_policy *p, uint32_t platform_id,
                       int family)
{
    const char **list;
    size_t k = sku_prefixes(p, platform_id, family, &list);
    if (format == PPC_JSON)
        ppc_json_list(j);
    for (size_t i = 0; i < k; i++) {
        if (format == PPC_JSON)
            ppc_json_cstr(j, list[i]);
        else
            ppc_printf(j->o, "%s%s", i == 0 ? "" : " ", list[i]);
    }
    if (format == PPC_JSON)
        ppc_json_end(j);
    else if (k == 0)
        ppc_putc(j->o, '-');
    free(list);
}

static const char *family_text(const pp_policy *p, int family)
{
    const char *name = family >= 0 ? pp_family_name(p, family) : NULL;
    return family == -1 ? "-" : name != NULL ? name : "?";
}

/* A table's start on standard output: {"KEY":[ for JSON, the Markdown
 * header rows or the text heading. */
static void start_table(ppc_json *j, int format, const char *key, const char *markdown,
                        const char *text)
{
    ppc_json_start(j, ppc_stdout());
    if (format == PPC_JSON) {
        ppc_json_object(j);
        ppc_json_key(j, key);
        ppc_json_list(j);
    } else if (format == PPC_MARKDOWN) {
        ppc_puts(j->o, markdown);
    } else {
        ppc_puts(j->o, text);
    }
}

int ppc_platforms(int argc, char **argv)
{
    pp_policy *p;
    int format = PPC_TEXT;
    int rc = table_policy(argc, argv, platforms_help, &p, &format);
    if (rc != PPC_EXIT_OK)
        return rc < 0 ? PPC_EXIT_OK : rc;
    ppc_json j;
    char heading[80];
    snprintf(heading, sizeof heading, "%-4s  %-10s  %-8s  %-10s  %s\n", "id", "name", "product",
             "family", "sku prefixes");
    start_table(&j, format, "platforms",
                "| id | name | product | family | sku prefixes |\n|---|---|---|---|---|\n", heading);
    pp_platform_info pl;
    for (size_t i = 0; pp_policy_platform_at(&pl, p, i) == PP_OK; i++) {
        if (format == PPC_JSON) {
            ppc_json_object(&j);
            ppc_json_key(&j, "id");
            ppc_json_uint(&j, pl.id);
            ppc_json_key(&j, "name");
            ppc_json_cstr(&j, pl.name);
            ppc_json_key(&j, "product_eligible");
            ppc_json_bool(&j, pl.product_eligible);
            ppc_json_key(&j, "family");
            ppc_json_cstr(&j, pl.family >= 0 ? pp_family_name(p, pl.family) : NULL);
            ppc_json_key(&j, "family_by_sku");
            ppc_json_bool(&j, pl.family < 0 && pl.product_eligible);
            ppc_json_key(&j, "sku_prefixes");
            print_skus(&j, format, p, pl.id, -2);
            ppc_json_end(&j);
            continue;
        }
        const char *family = pl.family >= 0 ? family_text(p, pl.family)
                             : pl.product_eligible ? "by SKU" : "-";
        ppc_printf(j.o, format == PPC_MARKDOWN ? "| %lu | %s | %s | %s | "
                                               : "%-4lu  %-10s  %-8s  %-10s  ",
                   (unsigned long)pl.id, pl.name, pl.product_eligible ? "yes" : "no", family);
        print_skus(&j, format, p, pl.id, -2);
        ppc_puts(j.o, format == PPC_MARKDOWN ? " |\n" : "\n");
    }
    if (format == PPC_JSON) {
        ppc_json_end(&j);
        ppc_json_end(&j);
        ppc_json_finish(&j);
    }
    pp_policy_free(p);
    return PPC_EXIT_OK;
}

/* Whether a platform without a family of its own has SKUs in family f. */
static int by_sku_in(const pp_policy *p, const pp_platform_info *pl, int f)
{
    pp_sku_info s;
    for (size_t j = 0; pl->family == -1 && pp_policy_sku_at(&s, p, j) == PP_OK; j++)
        if (s.platform_id == pl->id && s.family == f)
            return 1;
    return 0;
}

int ppc_families(int argc, char **argv)
{
    pp_policy *p;
    int format = PPC_TEXT;
    int rc = table_policy(argc, argv, families_help, &p, &format);
    if (rc != PPC_EXIT_OK)
        return rc < 0 ? PPC_EXIT_OK : rc;
    ppc_json j;
    char heading[80];
    snprintf(heading, sizeof heading, "%-10s  %-28s  %s\n", "family", "platforms",
             "sku prefixes");
    start_table(&j, format, "families", "| family | platforms | sku prefixes |\n|---|---|---|\n",
                heading);
    for (int f = 0; pp_family_name(p, f) != NULL; f++) {
        /* Platforms of the family, and those whose SKUs can put them in it. */
        char platforms[256] = "";
        size_t used = 0;
        if (format == PPC_JSON) {
            ppc_json_object(&j);
            ppc_json_key(&j, "name");
            ppc_json_cstr(&j, pp_family_name(p, f));
            ppc_json_key(&j, "platforms");
            ppc_json_list(&j);
        }
        pp_platform_info pl;
        for (size_t i = 0; pp_policy_platform_at(&pl, p, i) == PP_OK; i++) {
            int by_sku = by_sku_in(p, &pl, f);
            if (pl.family != f && !by_sku)
                continue;
            if (format == PPC_JSON) {
                ppc_json_object(&j);
                ppc_json_key(&j, "id");
                ppc_json_uint(&j, pl.id);
                ppc_json_key(&j, "name");
                ppc_json_cstr(&j, pl.name);
                ppc_json_key(&j, "by_sku");
                ppc_json_bool(&j, by_sku);
                ppc_json_end(&j);
                continue;
            }
            int n = snprintf(platforms + used, sizeof platforms - used, "%s%lu %s%s",
                             used == 0 ? "" : ", ", (unsigned long)pl.id, pl.name,
                             by_sku ? " (by SKU)" : "");
            if (n > 0 && (size_t)n < sizeof platforms - used)
                used += (size_t)n;
        }
        if (format == PPC_JSON) {
            ppc_json_end(&j);
            ppc_json_key(&j, "sku_prefixes");
            print_skus(&j, format, p, 0, f);
            ppc_json_end(&j);
            continue;
        }
        ppc_printf(j.o, format == PPC_MARKDOWN ? "| %s | %s | " : "%-10s  %-28s  ",
                   pp_family_name(p, f), platforms);
        print_skus(&j, format, p, 0, f);
        ppc_puts(j.o, format == PPC_MARKDOWN ? " |\n" : "\n");
    }
    if (format == PPC_JSON) {
        ppc_json_end(&j);
        ppc_json_end(&j);
        ppc_json_finish(&j);
    }
    pp_policy_free(p);
    return PPC_EXIT_OK;
}
