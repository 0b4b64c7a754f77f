/* ppolicy validate: load each policy; a one-line summary for a good one, a
 * compiler-style error for a bad one. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"

static const char help[] =
    "Usage: ppolicy validate [--quiet] POLICY.yaml...\n"
    "\n"
    "Load each policy.  A valid one gets one line:\n"
    "  FILE: valid: N products, fingerprint HHHHHHHHHHHHHHHH\n"
    "an invalid one an error with its position and a did-you-mean hint:\n"
    "  FILE:LINE:COLUMN: error: MESSAGE [error_code]\n"
    "`-` reads a policy from standard input.\n"
    "\n"
    "  -q, --quiet   print nothing for valid policies\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 all valid, 1 a policy is invalid, 2 bad usage or an\n"
    "unreadable file.\n";

int ppc_validate(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int quiet = 0, c;
    while ((c = ppc_getopt(argc, argv, "qh", longopts, help)) != -1) {
        if (c == 'h')
            return PPC_EXIT_OK;
        if (c != 'q')
            return PPC_EXIT_USAGE;
        quiet = 1;
    }
    if (optind == argc)
        return ppc_usage_error(argv[0], "no policy file given");
    int worst = PPC_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        pp_policy *p;
        int rc = ppc_load_policy(argv[i], &p);
        if (rc == PPC_EXIT_OK && !quiet) {
            size_t n = pp_policy_product_count(p);
            printf("%s: valid: %zu product%s, fingerprint %016" PRIx64 "\n",
                   ppc_display_name(argv[i]), n, n == 1 ? "" : "s", pp_policy_fingerprint(p));
        }
        pp_policy_free(p);
        if (rc > worst)
            worst = rc;
    }
    return worst;
}
