/* The built-in hardware table (lib/hardware.c) against Particle's published
 * data: every platform of @particle/device-constants and every SKU of the
 * published SKU list, as the fact lists tests/data/published-platforms.txt
 * and tests/data/published-skus.txt hold them (docs/hardware.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "suites.h"

#define BY_SKU PP_PLATFORM_UNSPECIFIED
#define MAX_ROWS 256
#define MAX_FIELDS 5
#define FIELD_LEN 40

typedef struct fact_row {
    char field[MAX_FIELDS][FIELD_LEN];
    int nfields;
    int line;
} fact_row;

/* The whitespace-separated fields of every line that is not blank or a '#'
 * comment; a line with fewer than min_fields fields fails the test, so a
 * typo cannot drop a fact silently. */
static size_t load_facts(const char *name, fact_row *rows, int min_fields)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", TEST_DATA_DIR, name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[256];
    size_t n = 0;
    for (int lineno = 1; fgets(line, sizeof line, f) != NULL; lineno++) {
        ck_assert_msg(strchr(line, '\n') != NULL || feof(f), "%s:%d: line too long",
                      name, lineno);
        char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
        if (tok == NULL || tok[0] == '#')
            continue;
        ck_assert_msg(n < MAX_ROWS, "%s: more than %d rows", name, MAX_ROWS);
        fact_row *r = &rows[n++];
        r->nfields = 0;
        r->line = lineno;
        for (; tok != NULL; tok = strtok_r(NULL, " \t\r\n", &save)) {
            ck_assert_msg(r->nfields < MAX_FIELDS && strlen(tok) < FIELD_LEN,
                          "%s:%d: too many or too long fields", name, lineno);
            strcpy(r->field[r->nfields++], tok);
        }
        ck_assert_msg(r->nfields >= min_fields, "%s:%d: expected %d fields", name,
                      lineno, min_fields);
    }
    fclose(f);
    return n;
}

static uint32_t number(const fact_row *r, int i)
{
    char *end;
    unsigned long v = strtoul(r->field[i], &end, 10);
    ck_assert_msg(*end == '\0' && v < UINT32_MAX, "line %d: '%s' is not an ID",
                  r->line, r->field[i]);
    return (uint32_t)v;
}

static const char *family_of(const ppi_families *t, int32_t family)
{
    ck_assert_int_lt(family, (int32_t)t->nnames);
    return family < 0 ? "-" : t->names[family];
}

static void builtin_open(ppi_arena *arena, ppi_families *t)
{
    const char *table = NULL;
    ppi_arena_init(arena, NULL);
    ck_assert_int_eq(ppi_families_builtin(t, arena, 0, 0, 0), PP_OK);
    ck_assert_int_eq(ppi_families_index(t, arena, arena, &table), PP_OK);
}

static pp_policy *load_empty(void)
{
    pp_policy *p = NULL;
    ck_assert_int_eq(pp_policy_load(&p, "version: 1\n", 11, NULL, NULL), PP_OK);
    return p;
}

/* ---- platforms ---- */

static fact_row platform_rows[MAX_ROWS];

START_TEST(test_hardware_has_every_device_constants_platform_and_no_other)
{
    size_t n = load_facts("published-platforms.txt", platform_rows, 4);
    ck_assert_uint_eq(n, 26);
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    ck_assert_uint_eq(t.nplatforms, n);
    for (size_t i = 0; i < n; i++) {
        const fact_row *r = &platform_rows[i];
        uint32_t id = number(r, 0);
        const char *name = r->field[1], *family = r->field[3];
        bool eligible = strcmp(r->field[2], "yes") == 0;
        const ppi_platform *p = ppi_platform_find(&t, id);
        ck_assert_msg(p != NULL, "line %d: platform %u missing", r->line, (unsigned)id);
        ck_assert_str_eq(p->name, name);
        ck_assert_msg(p->eligible == eligible, "%s: product eligibility", name);
        if (strcmp(family, "by-sku") == 0)
            ck_assert_msg(eligible && p->family == -1, "%s: not decided by SKU", name);
        else
            ck_assert_msg(strcmp(family_of(&t, p->family), family) == 0,
                          "%s: family %s, want %s", name, family_of(&t, p->family),
                          family);
        ck_assert_ptr_eq(ppi_platform_find_name(&t, name, strlen(name)), p);
    }
    ppi_arena_free_all(&arena);
}
END_TEST

/* Rule 3 names every platform no product may hold, those only
 * device-constants knows included (GCC, Duo, X-SoM...): they are known, not
 * unknown (rule 4).  An eligible platform joins a product of its family. */
START_TEST(test_hardware_platforms_join_by_their_published_eligibility)
{
    size_t n = load_facts("published-platforms.txt", platform_rows, 4);
    pp_policy *p = NULL;
    char text[4096] = "version: 1\nproducts:\n";
    size_t used = strlen(text);
    for (size_t i = 0; i < n; i++) {
        const fact_row *r = &platform_rows[i];
        if (strcmp(r->field[3], "-") != 0 && strcmp(r->field[3], "by-sku") != 0)
            used += (size_t)snprintf(text + used, sizeof text - used,
                                     "  - {id: %zu, name: P%zu, family: %s}\n", i + 1,
                                     i + 1, r->field[3]);
    }
    ck_assert_uint_lt(used, sizeof text);
    ck_assert_int_eq(pp_policy_load(&p, text, used, NULL, NULL), PP_OK);
    for (size_t i = 0; i < n; i++) {
        const fact_row *r = &platform_rows[i];
        pp_model m = { number(r, 0), NULL, 0 };
        pp_verdict v;
        if (strcmp(r->field[2], "no") == 0) {
            /* Any product: the first one. */
            ck_assert_int_eq(pp_may_join(&v, p, 3, &m), PP_OK);
            ck_assert_msg(v.reason == PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE,
                          "%s: %s", r->field[1], pp_reason_name(v.reason));
        } else if (strcmp(r->field[3], "by-sku") != 0) {
            ck_assert_int_eq(pp_may_join(&v, p, (uint32_t)i + 1, &m), PP_OK);
            ck_assert_msg(v.allowed && v.reason == PP_REASON_SAME_FAMILY, "%s: %s",
                          r->field[1], pp_reason_name(v.reason));
        }
    }
    pp_policy_free(p);
}
END_TEST

/* ---- SKUs ---- */

static fact_row sku_rows[MAX_ROWS];

static void expect_model(const ppi_families *t, const fact_row *r, uint32_t platform,
                         const char *sku)
{
    uint32_t want_platform = number(r, 2);
    const char *want_family = r->field[3];
    ppi_model m;
    ppi_model_resolve(&m, t, platform, sku, strlen(sku));
    ck_assert_msg(m.platform_id == want_platform, "line %d: %s: platform %u, want %u",
                  r->line, sku, (unsigned)m.platform_id, (unsigned)want_platform);
    ppi_model_status want = strcmp(want_family, "-") == 0 ? PPI_MODEL_NOT_ELIGIBLE
                                                          : PPI_MODEL_RESOLVED;
    ck_assert_msg(m.status == want, "line %d: %s: status %d, want %d", r->line, sku,
                  (int)m.status, (int)want);
    ck_assert_msg(strcmp(family_of(t, m.family), want_family) == 0,
                  "line %d: %s: family %s, want %s", r->line, sku,
                  family_of(t, m.family), want_family);
}

/* Every published SKU, alone, with its platform and in lower case, resolves
 * to the platform and family of the fact list: kits and bundles whose SKU
 * does not name the module included. */
START_TEST(test_hardware_resolves_every_published_sku)
{
    size_t n = load_facts("published-skus.txt", sku_rows, 4);
    ck_assert_uint_eq(n, 120);
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    for (size_t i = 0; i < n; i++) {
        const fact_row *r = &sku_rows[i];
        char lower[FIELD_LEN];
        size_t k = 0;
        for (; r->field[0][k] != '\0'; k++)
            lower[k] = (char)(r->field[0][k] >= 'A' && r->field[0][k] <= 'Z'
                                  ? r->field[0][k] - 'A' + 'a'
                                  : r->field[0][k]);
        lower[k] = '\0';
        expect_model(&t, r, BY_SKU, r->field[0]);
        expect_model(&t, r, number(r, 2), r->field[0]);
        expect_model(&t, r, BY_SKU, lower);
        ck_assert_msg(ppi_sku_valid(r->field[0], strlen(r->field[0])),
                      "line %d: %s is not a valid SKU", r->line, r->field[0]);
    }
    ppi_arena_free_all(&arena);
}
END_TEST

/* Where the table departs from a SKU's published platform ID (a decision of
 * docs/hardware.md), a record that reports the published ID with that SKU
 * contradicts itself: incompatible, never admitted as the published ID. */
START_TEST(test_hardware_decided_skus_contradict_their_published_platform)
{
    size_t n = load_facts("published-skus.txt", sku_rows, 4);
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    size_t decided = 0;
    for (size_t i = 0; i < n; i++) {
        const fact_row *r = &sku_rows[i];
        if (number(r, 1) == number(r, 2))
            continue;
        ck_assert_msg(r->nfields == 5 && strcmp(r->field[4], "decided") == 0,
                      "line %d: the platform differs from the published one without "
                      "a decision", r->line);
        ppi_model m;
        ppi_model_resolve(&m, &t, number(r, 1), r->field[0], strlen(r->field[0]));
        ck_assert_int_eq(m.status, PPI_MODEL_CONTRADICTS);
        decided++;
    }
    ck_assert_uint_eq(decided, 1); /* E404XTRAY50 */
    ppi_arena_free_all(&arena);
}
END_TEST

/* No invented prefix: each built-in prefix is the longest match of some
 * published SKU. */
START_TEST(test_hardware_every_prefix_names_a_published_sku)
{
    size_t n = load_facts("published-skus.txt", sku_rows, 4);
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    for (uint32_t s = 0; s < t.nskus; s++) {
        bool used = false;
        for (size_t i = 0; i < n && !used; i++)
            used = ppi_sku_find(&t, sku_rows[i].field[0], strlen(sku_rows[i].field[0])) ==
                   &t.skus[s];
        ck_assert_msg(used, "prefix %s names no published SKU", t.skus[s].prefix);
    }
    ppi_arena_free_all(&arena);
}
END_TEST

/* Every built-in family has a platform or a SKU prefix, so a product of
 * that family can hold something. */
START_TEST(test_hardware_every_family_holds_something)
{
    ppi_arena arena;
    ppi_families t;
    builtin_open(&arena, &t);
    for (uint32_t f = 0; f < t.nnames; f++) {
        bool held = false;
        for (uint32_t i = 0; i < t.nplatforms; i++)
            held = held || t.platforms[i].family == (int32_t)f;
        for (uint32_t i = 0; i < t.nskus; i++)
            held = held || t.skus[i].family == (int32_t)f;
        ck_assert_msg(held, "family %s holds nothing", t.names[f]);
    }
    pp_policy *p = load_empty();
    ck_assert_str_eq(pp_family_name(p, (int)t.nnames - 1), t.names[t.nnames - 1]);
    ck_assert_ptr_null(pp_family_name(p, (int)t.nnames));
    pp_policy_free(p);
    ppi_arena_free_all(&arena);
}
END_TEST

Suite *hardware_suite(void)
{
    Suite *s = suite_create("hardware");
    TCase *tc = tcase_create("published");
    tcase_add_test(tc, test_hardware_has_every_device_constants_platform_and_no_other);
    tcase_add_test(tc, test_hardware_platforms_join_by_their_published_eligibility);
    tcase_add_test(tc, test_hardware_resolves_every_published_sku);
    tcase_add_test(tc, test_hardware_decided_skus_contradict_their_published_platform);
    tcase_add_test(tc, test_hardware_every_prefix_names_a_published_sku);
    tcase_add_test(tc, test_hardware_every_family_holds_something);
    suite_add_tcase(s, tc);
    return s;
}
