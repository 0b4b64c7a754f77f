/* One Check suite per module; tests/runner.c runs them all. */
#ifndef PP_TEST_SUITES_H
#define PP_TEST_SUITES_H

#include <check.h>

Suite *version_suite(void);
Suite *device_suite(void);
Suite *family_suite(void);
Suite *hardware_suite(void);
Suite *load_suite(void);
Suite *load_limits_suite(void);
Suite *load_robust_suite(void);
Suite *validate_suite(void);
Suite *utf8_suite(void);
Suite *url_suite(void);
Suite *decide_suite(void);
Suite *batch_suite(void);
Suite *team_suite(void);
Suite *policy_suite(void);
Suite *authorize_suite(void);
Suite *audit_suite(void);
Suite *arguments_suite(void);
Suite *init_suite(void);
Suite *index_suite(void);
Suite *effects_suite(void);
Suite *transition_suite(void);
Suite *diff_suite(void);
Suite *diff_classes_suite(void);
Suite *model_fit_suite(void);

#endif
