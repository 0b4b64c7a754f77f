/* The single Check runner: every module's suite, one report. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *runner = srunner_create(version_suite());
    srunner_add_suite(runner, device_suite());
    srunner_add_suite(runner, family_suite());
    srunner_add_suite(runner, hardware_suite());
    srunner_add_suite(runner, load_suite());
    srunner_add_suite(runner, load_limits_suite());
    srunner_add_suite(runner, load_robust_suite());
    srunner_add_suite(runner, validate_suite());
    srunner_add_suite(runner, utf8_suite());
    srunner_add_suite(runner, url_suite());
    srunner_add_suite(runner, decide_suite());
    srunner_add_suite(runner, batch_suite());
    srunner_add_suite(runner, team_suite());
    srunner_add_suite(runner, policy_suite());
    srunner_add_suite(runner, authorize_suite());
    srunner_add_suite(runner, audit_suite());
    srunner_add_suite(runner, arguments_suite());
    srunner_add_suite(runner, init_suite());
    srunner_add_suite(runner, index_suite());
    srunner_add_suite(runner, effects_suite());
    srunner_add_suite(runner, transition_suite());
    srunner_add_suite(runner, diff_suite());
    srunner_add_suite(runner, diff_classes_suite());
    srunner_add_suite(runner, model_fit_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
