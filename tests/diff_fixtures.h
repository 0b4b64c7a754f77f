/* The policies and helpers the diff's test files share (check_diff.c,
 * check_diff_classes.c): the example policy changed one way at a time, a
 * policy with every kind of element and one that changes each, and a diff
 * that must succeed. */
#ifndef PP_TEST_DIFF_FIXTURES_H
#define PP_TEST_DIFF_FIXTURES_H

#include <stdbool.h>

#include "particlepolicy.h"

/* text with its one occurrence of from replaced by to (the caller frees). */
char *replace(const char *text, const char *from, const char *to);
/* The example policy, as it is and changed one way (from -> to). */
pp_policy *example(void);
pp_policy *example_changed(const char *from, const char *to);
/* The changes example_changed takes, as (from, to). */
#define TO_AUTO_APPROVE "    family: bsom\n    unrecognized_devices: quarantine\n", \
                        "    family: bsom\n    unrecognized_devices: auto_approve\n"
#define DROP_FAY "      - {user: fay@brightwater.example, role: developer, two_step: true}\n", ""
#define LEGACY_5 "legacy_device_os_below: 4.0.0-0", "legacy_device_os_below: 5.0.0"

/* One policy with every kind of element, and one that changes each. */
extern const char RICH_OLD[];
extern const char RICH_NEW[];

/* The diff of a and b, which must succeed. */
pp_diff *diff_of(const pp_policy *a, const pp_policy *b);
bool contains(const char *s, const char *part);

#endif
