/* Loading policy YAML (lib/load.c, lib/yaml_tree.c, lib/suggest.c).
 *
 * Most cases are data: tests/data/invalid/<case>.yaml starts with
 *   # expect: LINE:COLUMN error_name substring-of-message
 * and tests/data/valid/<case>.yaml with
 *   # expect: products=N organizations=N members=N scopes=N platforms=+N skus=+N families=+N
 * (the + counts are on top of the built-in table).  The tests below walk both
 * directories, then check what a load compiles, its arguments and options,
 * and its messages.  Limits: check_load_limits.c; failure everywhere:
 * check_load_robust.c. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "load_util.h"
#include "suggest.h"
#include "suites.h"
#include "yaml_tree.h"

#define INVALID_DIR TEST_DATA_DIR "/invalid"
#define VALID_DIR TEST_DATA_DIR "/valid"

/* ---- helpers ---- */

/* An API user's scopes run from first_scope to a NULL entry. */
static uint32_t scope_count(const pp_policy *p, const ppi_member *m)
{
    uint32_t n = 0;
    while (p->scopes[m->first_scope + n].ptr != NULL)
        n++;
    return n;
}

static int error_code_by_name(const char *name)
{
    for (int code = 0; pp_error_name(code) != NULL; code--)
        if (strcmp(pp_error_name(code), name) == 0)
            return code;
    return 1; /* no such name */
}

/* Skips a UTF-8 byte order mark. */
static const char *header_of(const char *text)
{
    return strncmp(text, "\xEF\xBB\xBF", 3) == 0 ? text + 3 : text;
}

/* ---- data-driven cases ---- */

START_TEST(test_load_invalid_cases_report_code_position_and_message)
{
    DIR *dir = opendir(INVALID_DIR);
    ck_assert_msg(dir != NULL, "cannot open %s", INVALID_DIR);
    char failures[8192] = "";
    size_t used = 0;
    int cases = 0, failed = 0;
    bool seen[16] = { false }; /* by -code */
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!has_suffix(e->d_name, ".yaml"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", INVALID_DIR, e->d_name);
        size_t len;
        char *text = slurp(path, &len);
        unsigned line = 0, column = 0;
        char name[64];
        int consumed = 0;
        const char *head = header_of(text);
        int fields = sscanf(head, "# expect: %u:%u %63s %n", &line, &column, name, &consumed);
        ck_assert_msg(fields == 3 && consumed > 0, "%s: bad '# expect:' line", e->d_name);
        char substring[256];
        size_t sl = strcspn(head + consumed, "\r\n");
        ck_assert_msg(sl > 0 && sl < sizeof substring, "%s: no message substring", e->d_name);
        memcpy(substring, head + consumed, sl);
        substring[sl] = '\0';
        int want = error_code_by_name(name);
        ck_assert_msg(want < 0, "%s: unknown error name %s", e->d_name, name);

        pp_policy *p = (pp_policy *)&p;
        pp_error err;
        memset(&err, 0, sizeof err);
        int rc = pp_policy_load(&p, text, len, NULL, &err);
        size_t offset = offset_of(text, len, line, column);
        bool ok = rc == want && err.code == rc && p == NULL && err.line == line &&
                  err.column == column && err.offset == offset &&
                  strstr(err.message, substring) != NULL && message_well_formed(&err);
        if (!ok) {
            failed++;
            int w = snprintf(failures + used, sizeof failures - used,
                             "\n%s: want %u:%u %s (offset %zu) '%s'\n   got %u:%u %s (offset %zu) '%s'%s",
                             e->d_name, line, column, name, offset, substring, err.line,
                             err.column, pp_error_name(rc), err.offset, err.message,
                             p == NULL ? "" : " and a policy");
            if (w > 0 && (size_t)w < sizeof failures - used)
                used += (size_t)w;
        }
        if (rc == PP_OK && p != NULL)
            pp_policy_free(p);
        if (want < 0 && -want < (int)COUNT(seen))
            seen[-want] = true;
        cases++;
        free(text);
    }
    closedir(dir);
    ck_assert_msg(failed == 0, "%d of %d invalid cases failed:%s", failed, cases, failures);
    ck_assert_int_ge(cases, 80);
    /* Every load error a text can cause has a case. */
    for (int code = -PP_ERR_YAML; code <= -PP_ERR_INVALID_VERSION; code++)
        ck_assert_msg(seen[code], "no invalid case for %s", pp_error_name(-code));
}
END_TEST

typedef struct expected_counts {
    unsigned products, organizations, members, scopes;
    unsigned extra_platforms, extra_skus, extra_families;
} expected_counts;

START_TEST(test_load_valid_cases_compile_with_expected_counts)
{
    ppi_arena arena;
    ppi_families builtin;
    ppi_arena_init(&arena, NULL);
    ck_assert_int_eq(ppi_families_builtin(&builtin, &arena, 0, 0, 0), PP_OK);

    DIR *dir = opendir(VALID_DIR);
    ck_assert_msg(dir != NULL, "cannot open %s", VALID_DIR);
    int cases = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (!has_suffix(e->d_name, ".yaml"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", VALID_DIR, e->d_name);
        size_t len;
        char *text = slurp(path, &len);
        expected_counts x;
        int fields = sscanf(header_of(text),
                            "# expect: products=%u organizations=%u members=%u scopes=%u "
                            "platforms=+%u skus=+%u families=+%u",
                            &x.products, &x.organizations, &x.members, &x.scopes,
                            &x.extra_platforms, &x.extra_skus, &x.extra_families);
        ck_assert_msg(fields == 7, "%s: bad '# expect:' line", e->d_name);
        pp_policy *p = NULL;
        pp_error err;
        int rc = pp_policy_load(&p, text, len, NULL, &err);
        ck_assert_msg(rc == PP_OK, "%s: %s %u:%u %s", e->d_name, pp_error_name(rc),
                      err.line, err.column, err.message);
        uint32_t scopes = 0; /* p->scopes also holds each list's NULL end */
        for (uint32_t i = 0; i < p->nscopes; i++)
            scopes += p->scopes[i].ptr != NULL;
        ck_assert_msg(p->nproducts == x.products && p->norgs == x.organizations &&
                          p->nmembers == x.members && scopes == x.scopes &&
                          p->families.nplatforms == builtin.nplatforms + x.extra_platforms &&
                          p->families.nskus == builtin.nskus + x.extra_skus &&
                          p->families.nnames == builtin.nnames + x.extra_families,
                      "%s: got products=%u organizations=%u members=%u scopes=%u "
                      "platforms=+%u skus=+%u families=+%u", e->d_name, p->nproducts,
                      p->norgs, p->nmembers, scopes,
                      p->families.nplatforms - builtin.nplatforms,
                      p->families.nskus - builtin.nskus,
                      p->families.nnames - builtin.nnames);
        ck_assert_uint_eq(p->refcount, 1);
        pp_policy_free(p);
        free(text);
        cases++;
    }
    closedir(dir);
    ppi_arena_free_all(&arena);
    ck_assert_int_ge(cases, 8);
}
END_TEST

/* ---- what a load compiles ---- */

static const ppi_member *member(const pp_policy *p, uint32_t team, const char *name)
{
    uint64_t seed = team < p->norgs ? p->orgs[team].team_seed
                                    : p->products[team - p->norgs].team_seed;
    return ppi_member_find(p, seed, team, name, strlen(name),
                           ppi_member_hash(p, name, strlen(name)));
}

static uint32_t product_index(const pp_policy *p, uint32_t id)
{
    const ppi_product *pr = ppi_product_find(p, id);
    ck_assert_msg(pr != NULL, "no product %u", id);
    return (uint32_t)(pr - p->products);
}

static const char *family_of(const pp_policy *p, int32_t family)
{
    return family < 0 ? "(by SKU)" : p->families.names[family];
}

static bool str_is(const char *s, uint32_t len, const char *want)
{
    return s != NULL && len == strlen(want) && memcmp(s, want, len) == 0 &&
           s[len] == '\0';
}

/* Every field of tests/data/valid/full.yaml; p may have outlived its text. */
static void check_full_policy(const pp_policy *p)
{
    ck_assert_uint_eq(p->legacy_below.major.value, 4);
    ck_assert_uint_eq(p->legacy_below.pre_len, 1);
    ck_assert_int_eq(p->legacy_below.pre[0], '0');

    /* Organizations, with the seeds decisions hash with. */
    ck_assert_uint_eq(p->norgs, 2);
    ck_assert(str_is(p->orgs[0].name, p->orgs[0].name_len, "acme"));
    ck_assert(str_is(p->orgs[1].name, p->orgs[1].name_len, "harbor-labs"));
    ck_assert_uint_eq(p->orgs[1].team_seed, ppi_hash_bytes("harbor-labs", 11));

    /* Products. */
    const ppi_product *tracker = &p->products[product_index(p, 1001)];
    ck_assert(str_is(tracker->name, tracker->name_len, "Acme Tracker"));
    ck_assert_uint_eq(tracker->org, 0);
    ck_assert_str_eq(family_of(p, tracker->family), "tracker");
    ck_assert(tracker->auto_approve);
    ck_assert(tracker->removed_quarantine);
    ck_assert_uint_eq(tracker->released_firmware, 7);
    ck_assert(tracker->has_min_device_os);
    ck_assert_uint_eq(tracker->min_device_os.major.value, 2);
    ck_assert_uint_eq(tracker->min_device_os.minor.value, 3);
    ck_assert_uint_eq(tracker->min_device_os.patch.value, 1);
    ck_assert_uint_eq(tracker->min_device_os.pre_len, 4);
    ck_assert_int_eq(memcmp(tracker->min_device_os.pre, "rc.2", 4), 0);
    ck_assert_uint_eq(tracker->team_seed, ppi_product_team_seed(1001));

    const ppi_product *sensor = &p->products[product_index(p, 1002)];
    ck_assert_str_eq(family_of(p, sensor->family), "nextgen");
    ck_assert(!sensor->auto_approve && !sensor->removed_quarantine);
    ck_assert_uint_eq(sensor->released_firmware, 0);
    ck_assert(!sensor->has_min_device_os);

    const ppi_product *relay = &p->products[product_index(p, 4294967295u)];
    ck_assert_uint_eq(relay->org, 1);
    ck_assert_str_eq(family_of(p, relay->family), "duo_b");

    const ppi_product *lone = &p->products[product_index(p, 1)];
    ck_assert_uint_eq(lone->org, PPI_NONE);
    ck_assert_str_eq(family_of(p, lone->family), "photon");

    /* Members of organization teams, product teams, and API users. */
    const ppi_member *alice = member(p, 0, "alice@acme.io");
    ck_assert_ptr_nonnull(alice);
    ck_assert_uint_eq(alice->role, PP_ROLE_OWNER);
    ck_assert_uint_eq(alice->two_step, 1);
    ck_assert_uint_eq(alice->kind, PPI_HUMAN);
    const ppi_member *bob = member(p, 0, "bob@acme.io");
    ck_assert_ptr_nonnull(bob);
    ck_assert_uint_eq(bob->role, PP_ROLE_DEVELOPER);
    ck_assert_uint_eq(bob->two_step, 0);
    ck_assert_ptr_null(member(p, 1, "alice@acme.io"));
    ck_assert_uint_eq(member(p, 1, "ivy@harbor.example")->role, PP_ROLE_ADMINISTRATOR);

    uint32_t tracker_team = p->norgs + product_index(p, 1001);
    const ppi_member *contractor = member(p, tracker_team, "bob@contractor.io");
    ck_assert_ptr_nonnull(contractor);
    ck_assert_uint_eq(contractor->role, PP_ROLE_SUPPORT);
    ck_assert_ptr_null(member(p, 0, "bob@contractor.io"));
    ck_assert_uint_eq(member(p, tracker_team, "alice@acme.io")->role, PP_ROLE_OWNER);

    const ppi_member *ci = member(p, 0, "ci-deployer");
    ck_assert_ptr_nonnull(ci);
    ck_assert_uint_eq(ci->kind, PPI_API_USER);
    ck_assert_uint_eq(scope_count(p, ci), 2);
    const ppi_str *s = &p->scopes[ci->first_scope];
    ck_assert(str_is(s[0].ptr, s[0].len, "devices:import"));
    ck_assert(str_is(s[1].ptr, s[1].len, "firmware:release"));
    const ppi_member *monitor = member(p, 0, "monitor");
    ck_assert_uint_eq(scope_count(p, monitor), 2);
    s = &p->scopes[monitor->first_scope];
    ck_assert(str_is(s[1].ptr, s[1].len, "teams.users:*"));

    /* Platforms: two new ones, Xenon overridden in place. */
    const ppi_platform *ng = ppi_platform_find(&p->families, 40);
    ck_assert_ptr_nonnull(ng);
    ck_assert_str_eq(ng->name, "nextgen");
    ck_assert(ng->eligible);
    ck_assert_str_eq(family_of(p, ng->family), "nextgen");
    ck_assert_int_eq(ppi_platform_find(&p->families, 41)->family, -1);
    const ppi_platform *xenon = ppi_platform_find(&p->families, 14);
    ck_assert(xenon->eligible);
    ck_assert_str_eq(family_of(p, xenon->family), "mesh_kit");

    /* SKUs: stored upper case; an override replaces, a longer prefix wins. */
    const ppi_sku *sku = ppi_sku_find(&p->families, "ng1-rev2", 8);
    ck_assert_ptr_nonnull(sku);
    ck_assert_str_eq(sku->prefix, "NG1");
    ck_assert_uint_eq(sku->platform_id, 40);
    ck_assert_str_eq(family_of(p, ppi_sku_find(&p->families, "DUO-A1", 6)->family), "duo_a");
    ck_assert_uint_eq(ppi_sku_find(&p->families, "DUO-A1", 6)->platform_id, 41);
    ck_assert_str_eq(family_of(p, ppi_sku_find(&p->families, "DUO-B1", 6)->family), "duo_b");
    sku = ppi_sku_find(&p->families, "MON524", 6);
    ck_assert_str_eq(family_of(p, sku->family), "monitor");
    ck_assert_uint_eq(sku->platform_id, 26);
    unsigned mon = 0;
    for (uint32_t i = 0; i < p->families.nskus; i++)
        mon += strcmp(p->families.skus[i].prefix, "MON") == 0;
    ck_assert_uint_eq(mon, 1);
    ck_assert_str_eq(ppi_sku_find(&p->families, "B404XMEA", 8)->prefix, "B404X");
    ck_assert_uint_eq(ppi_sku_find(&p->families, "B404XMEA", 8)->platform_id, 23);

    /* Families through the public API. */
    ck_assert_int_eq(ppi_family_find(&p->families, "monitor", 7), (int32_t)p->families.nnames - 1);
    ck_assert_str_eq(pp_family_name(p, ppi_family_find(&p->families, "duo_a", 5)), "duo_a");
}

START_TEST(test_load_full_policy_compiles_every_field)
{
    pp_policy *p = load_file(VALID_DIR "/full.yaml");
    check_full_policy(p);
    pp_policy_free(p);
}
END_TEST

START_TEST(test_load_policy_survives_the_input_being_freed)
{
    size_t len;
    char *file = slurp(VALID_DIR "/full.yaml", &len);
    char *copy = malloc(len);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, file, len);
    free(file);
    pp_policy *p = load_text(copy, len);
    memset(copy, 0xAA, len); /* nothing may point in here */
    free(copy);
    check_full_policy(p);
    pp_policy_free(p);
}
END_TEST

START_TEST(test_load_defaults_apply_when_optional_keys_are_absent)
{
    static const char text[] =
        "version: 1\n"
        "organizations: [{name: acme, members: [{user: a, role: support}]}]\n"
        "products: [{id: 9, name: Nine, family: boron}]\n";
    pp_policy *p = load_text(text, strlen(text));
    const ppi_product *pr = ppi_product_find(p, 9);
    ck_assert_ptr_nonnull(pr);
    ck_assert_uint_eq(pr->org, PPI_NONE);
    ck_assert(!pr->auto_approve);       /* unrecognized_devices: quarantine */
    ck_assert(!pr->removed_quarantine); /* removed_devices: deny */
    ck_assert_uint_eq(pr->released_firmware, 0);
    ck_assert(!pr->has_min_device_os);
    ck_assert_uint_eq(member(p, 0, "a")->two_step, 0);
    /* settings.legacy_device_os_below defaults to 4.0.0-0. */
    ppi_version want;
    ck_assert_int_eq(ppi_version_parse(&want, "4.0.0-0", 7), PP_OK);
    ck_assert_int_eq(ppi_version_cmp(&p->legacy_below, &want), 0);
    ck_assert_int_eq(pp_is_legacy(p, "4.0.0-beta.1", 12), 0);
    ck_assert_int_eq(pp_is_legacy(p, "3.3.1", 5), 1);
    pp_policy_free(p);
}
END_TEST

START_TEST(test_load_aliases_expand_to_full_copies)
{
    pp_policy *p = load_file(VALID_DIR "/anchors_and_aliases.yaml");
    uint32_t t10 = p->norgs + product_index(p, 10), t11 = p->norgs + product_index(p, 11);
    ck_assert_uint_eq(member(p, t10, "a@acme.io")->role, PP_ROLE_DEVELOPER);
    ck_assert_uint_eq(member(p, t11, "a@acme.io")->role, PP_ROLE_DEVELOPER);
    ck_assert_uint_eq(member(p, t11, "b@acme.io")->role, PP_ROLE_SUPPORT);
    const ppi_product *p11 = ppi_product_find(p, 11);
    ck_assert(str_is(p11->name, p11->name_len, "Tracker"));
    ck_assert_str_eq(family_of(p, p11->family), "tracker");
    const ppi_member *second = member(p, 0, "importer-2");
    ck_assert_uint_eq(scope_count(p, second), 3);
    ck_assert(str_is(p->scopes[second->first_scope + 2].ptr,
                     p->scopes[second->first_scope + 2].len, "sims:update"));
    pp_policy_free(p);
}
END_TEST

START_TEST(test_load_layout_does_not_change_the_fingerprint)
{
    pp_policy *a = load_file(VALID_DIR "/flow_style.yaml");
    static const char block[] =
        "products:\n"
        "  - id: 2\n    name: Two\n    family: boron\n    min_device_os: 3.3.1\n"
        "  - id: 1\n    name: One\n    organization: acme\n    family: argon\n"
        "organizations:\n"
        "  - name: acme\n"
        "    api_users:\n      - name: bot\n        scopes:\n          - devices:*\n"
        "    members:\n      - user: a@acme.io\n        role: owner\n"
        "settings:\n  legacy_device_os_below: v4.0.0-0\n"
        "version: 1\n";
    pp_policy *b = load_text(block, strlen(block));
    ck_assert_uint_eq(pp_policy_fingerprint(a), pp_policy_fingerprint(b));
    pp_policy_free(a);
    pp_policy_free(b);
}
END_TEST

/* ---- arguments and options ---- */

START_TEST(test_load_rejects_bad_arguments_and_options)
{
    pp_policy *p = (pp_policy *)&p;
    pp_error err;
    ck_assert_int_eq(pp_policy_load(NULL, "version: 1", 10, NULL, &err), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(err.code, PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(pp_policy_load(&p, NULL, 5, NULL, &err), PP_ERR_INVALID_ARGUMENT);
    ck_assert_ptr_null(p);

    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    opt.version = PP_LOAD_OPTIONS_VERSION + 1;
    ck_assert_int_eq(load_fails(&err, "version: 1", &opt), PP_ERR_INVALID_ARGUMENT);
    opt.version = 0;
    ck_assert_int_eq(load_fails(&err, "version: 1", &opt), PP_ERR_INVALID_ARGUMENT);
    opt.version = PP_LOAD_OPTIONS_VERSION;
    counting c = { 0, 0, 0 };
    opt.allocator = (pp_allocator){ counting_alloc, NULL, &c };
    ck_assert_int_eq(load_fails(&err, "version: 1", &opt), PP_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(c.calls, 0);

    /* NULL text with length 0 is an empty policy, not a crash. */
    p = (pp_policy *)&p;
    ck_assert_int_eq(pp_policy_load(&p, NULL, 0, NULL, &err), PP_ERR_MISSING_KEY);
    ck_assert_ptr_null(p);
    ck_assert_ptr_nonnull(strstr(err.message, "empty policy"));
    /* err may be NULL, on failure and on success. */
    ck_assert_int_eq(pp_policy_load(&p, "version: 2", 10, NULL, NULL), PP_ERR_SCHEMA_VERSION);
    ck_assert_int_eq(pp_policy_load(&p, "version: 1", 10, NULL, NULL), PP_OK);
    pp_policy_free(p);
}
END_TEST

START_TEST(test_load_success_clears_the_error_record)
{
    pp_policy *p = NULL;
    pp_error err;
    memset(&err, 'x', sizeof err);
    ck_assert_int_eq(pp_policy_load(&p, "version: 1\n", 11, NULL, &err), PP_OK);
    ck_assert_int_eq(err.code, PP_OK);
    ck_assert_uint_eq(err.line, 0);
    ck_assert_str_eq(err.message, "");
    pp_policy_free(p);
}
END_TEST

START_TEST(test_load_uses_the_allocator_hook_for_everything)
{
    counting c = { 0, 0, 0 };
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    opt.allocator = (pp_allocator){ counting_alloc, counting_free, &c };
    size_t len;
    char *text = slurp(VALID_DIR "/full.yaml", &len);
    pp_policy *p = NULL;
    pp_error err;
    ck_assert_int_eq(pp_policy_load(&p, text, len, &opt, &err), PP_OK);
    free(text);
    ck_assert_int_gt(c.calls, 1);
    ck_assert_int_gt(c.live, 0);    /* the policy's arena */
    pp_policy_free(p);
    ck_assert_int_eq(c.live, 0);    /* and the scratch arena was freed at load */
}
END_TEST

/* ---- failure everywhere ---- */

START_TEST(test_load_fails_each_allocation_cleanly)
{
    size_t len;
    char *text = slurp(VALID_DIR "/full.yaml", &len);
    pp_load_options opt = PP_LOAD_OPTIONS_INIT;
    long n;
    for (n = 1; n < 100000; n++) {
        counting c = { 0, 0, n };
        opt.allocator = (pp_allocator){ counting_alloc, counting_free, &c };
        pp_policy *p = (pp_policy *)&p;
        pp_error err;
        int rc = pp_policy_load(&p, text, len, &opt, &err);
        if (rc == PP_OK) {
            ck_assert_int_lt(c.calls, n); /* nothing failed */
            check_full_policy(p);
            pp_policy_free(p);
            ck_assert_int_eq(c.live, 0);
            break;
        }
        ck_assert_msg(rc == PP_ERR_NOMEM, "allocation %ld: %s %s", n, pp_error_name(rc),
                      err.message);
        ck_assert_int_eq(err.code, PP_ERR_NOMEM);
        ck_assert_ptr_null(p);
        ck_assert_msg(c.live == 0, "allocation %ld failed: %ld blocks leaked", n, c.live);
    }
    ck_assert_int_gt(n, 3); /* scratch and policy arenas both allocate */
    ck_assert_int_lt(n, 100000);
    free(text);
}
END_TEST

/* ---- messages ---- */

START_TEST(test_load_long_quoted_text_is_cut_on_a_character_boundary)
{
    /* A 600-byte family name of two-byte characters: the message quotes a
     * part of it and must stay valid UTF-8 within PP_ERROR_MESSAGE_SIZE. */
    char text[1024];
    int n = sprintf(text, "version: 1\nproducts: [{id: 1, name: a, family: ");
    for (int i = 0; i < 300; i++)
        n += sprintf(text + n, "\xC3\xA9");
    sprintf(text + n, "}]\n");
    pp_error err;
    ck_assert_int_eq(load_fails(&err, text, NULL), PP_ERR_UNKNOWN_FAMILY);
    ck_assert(message_well_formed(&err));
    ck_assert_ptr_nonnull(strstr(err.message, "...'"));

    /* The snippet itself: eight two-byte characters in 15 bytes of room. */
    char shown[16];
    ck_assert_str_eq(ppi_yaml_snippet(shown, sizeof shown, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 16),
                     "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9...");
}
END_TEST

START_TEST(test_yaml_snippet_shows_one_safe_line)
{
    char buf[12];
    ck_assert_str_eq(ppi_yaml_snippet(buf, sizeof buf, "abc", 3), "abc");
    /* Exactly the room: no cut. */
    ck_assert_str_eq(ppi_yaml_snippet(buf, sizeof buf, "abcdefghijk", 11), "abcdefghijk");
    ck_assert_str_eq(ppi_yaml_snippet(buf, sizeof buf, "abcdefghijkl", 12), "abcdefgh...");
    /* Control characters, NUL, C1 controls and line separators become '?'. */
    ck_assert_str_eq(ppi_yaml_snippet(buf, sizeof buf, "a\nb\0c\x7f", 6), "a?b?c?");
    ck_assert_str_eq(ppi_yaml_snippet(buf, sizeof buf, "\xC2\x85x\xE2\x80\xA8y", 7), "?x?y");
    /* A malformed sequence is one '?'. */
    ck_assert_str_eq(ppi_yaml_snippet(buf, sizeof buf, "\xFF\x80z", 3), "?z");
    /* A three-byte character that does not fit is left out whole. */
    ck_assert_str_eq(ppi_yaml_snippet(buf, sizeof buf, "abcdefg\xE2\x9C\x93xyz", 13), "abcdefg...");
}
END_TEST

START_TEST(test_yaml_positions_count_characters_and_yaml_line_breaks)
{
    /* a é ✓ z CR LF b CR c NEL d LF: 'z' is column 4 but byte 6. */
    static const char text[] = "a\xC3\xA9\xE2\x9C\x93z\r\nb\rc\xC2\x85" "d\n";
    size_t len = sizeof text - 1;
    static const struct {
        size_t offset;
        uint32_t line, column;
    } marks[] = {
        { 0, 1, 1 }, { 1, 1, 2 }, { 3, 1, 3 }, { 6, 1, 4 },
        { 9, 2, 1 },  /* 'b' after CR LF */
        { 11, 3, 1 }, /* 'c' after CR */
        { 14, 4, 1 }, /* 'd' after NEL */
        { 16, 5, 1 }, /* the end, after LF */
    };
    for (size_t i = 0; i < COUNT(marks); i++) {
        uint32_t line, column;
        ppi_yaml_position(text, len, marks[i].offset, &line, &column);
        ck_assert_uint_eq(line, marks[i].line);
        ck_assert_uint_eq(column, marks[i].column);
        ck_assert_uint_eq(ppi_yaml_offset(text, len, marks[i].line, marks[i].column),
                          marks[i].offset);
    }
    /* Past the end: the end; past a line's end: its line break. */
    ck_assert_uint_eq(ppi_yaml_offset(text, len, 99, 1), len);
    ck_assert_uint_eq(ppi_yaml_offset(text, len, 1, 99), 7);
}
END_TEST

/* A tree of many 4 KiB segments (lib/yaml_tree.h): a team of 2,000 in flow
 * mappings, plain, quoted and escaped names, used again through an alias;
 * then an unknown key on the last line.  With LF and ASCII (names shared
 * with the text), and with CR LF and a non-ASCII comment (every name
 * copied, positions counted in characters). */
static void many_members(char *text, size_t size, bool ascii, uint32_t *last_line)
{
    const char *nl = ascii ? "\n" : "\r\n";
    size_t used = 0;
    uint32_t line = 1;
#define ADD(...) (used += (size_t)snprintf(text + used, size - used, __VA_ARGS__))
    if (!ascii) {
        ADD("# caf\xC3\xA9 \xE2\x9C\x93%s", nl);
        line++;
    }
    ADD("version: 1%sorganizations:%s  - name: o%s    members: &team%s", nl, nl, nl, nl);
    line += 4;
    for (int i = 0; i < 2000; i++, line++) {
        if (i % 11 == 0)
            ADD("      - {user: \"\\x75%d\", role: support}%s", i, nl);
        else if (i % 7 == 0)
            ADD("      - {user: 'u%d', role: support, two_step: true}%s", i, nl);
        else
            ADD("      - {user: u%d, role: developer}%s", i, nl);
    }
    ADD("products:%s  - id: 1001%s    name: p%s    organization: o%s    family: photon%s"
        "    team: *team%s", nl, nl, nl, nl, nl, nl);
    line += 6;
    ADD("    bogus: 1%s", nl);
    *last_line = line;
#undef ADD
    ck_assert_uint_lt(used, size);
}

START_TEST(test_load_large_tree_keeps_every_node_and_position)
{
    static char text[200000];
    pp_error err_end;
    for (int ascii = 0; ascii < 2; ascii++) {
        uint32_t line;
        many_members(text, sizeof text, ascii, &line);
        size_t len = strlen(text);
        pp_error err;
        pp_policy *p = (pp_policy *)&p;
        ck_assert_int_eq(pp_policy_load(&p, text, len, NULL, &err), PP_ERR_UNKNOWN_KEY);
        ck_assert_ptr_null(p);
        ck_assert_uint_eq(err.line, line);
        ck_assert_uint_eq(err.column, 5);
        ck_assert_uint_eq(err.offset, offset_of(text, len, line, 5));
        ck_assert_msg(strstr(err.message, "products[0]: unknown key 'bogus'") != NULL, "%s",
                      err.message);
        /* Without the bad key the policy has both teams in full. */
        char *bad = strstr(text, "    bogus: 1");
        len = (size_t)(bad - text);
        p = load_text(text, len);
        ck_assert_uint_eq(p->nmembers, 4000);
        ck_assert_ptr_nonnull(member(p, 0, "u0"));
        ck_assert_ptr_nonnull(member(p, 0, "u1999"));
        ck_assert_ptr_nonnull(member(p, 1, "u77"));
        ck_assert_ptr_null(member(p, 0, "\\x75" "0"));
        ck_assert_uint_eq(member(p, 1, "u14")->two_step, 1);
        ck_assert_uint_eq(member(p, 1, "u15")->role, PP_ROLE_DEVELOPER);
        pp_policy_free(p);
    }
    /* A null value at the very end, after no line break: where its key ends. */
    static const char end[] = "version: 1\nproducts:";
    ck_assert_int_eq(load_fails(&err_end, end, NULL), PP_ERR_WRONG_TYPE);
    ck_assert_uint_eq(err_end.line, 2);
    ck_assert_uint_eq(err_end.column, 10);
    ck_assert_uint_eq(err_end.offset, 20);
    /* An empty document whose last line has no break: libyaml reports it on
     * a line of its own after the text. */
    ck_assert_int_eq(load_fails(&err_end, "---\n# x", NULL), PP_ERR_MISSING_KEY);
    ck_assert_uint_eq(err_end.line, 3);
    ck_assert_uint_eq(err_end.column, 1);
    ck_assert_uint_eq(err_end.offset, 7);
}
END_TEST

/* ---- did-you-mean ---- */

typedef struct distance_case {
    const char *a, *b;
    size_t limit, want;
} distance_case;

static const distance_case distances[] = {
    { "family", "family", 5, 0 },
    { "familly", "family", 5, 1 },   /* insertion */
    { "famly", "family", 5, 1 },     /* deletion */
    { "famiky", "family", 5, 1 },    /* substitution */
    { "fmaily", "family", 5, 1 },    /* transposition counts once */
    { "Version", "version", 5, 0 },  /* case-insensitive */
    { "trackr", "tracker", 5, 1 },
    { "", "abc", 5, 3 },
    { "kitten", "sitting", 5, 3 },
    { "kitten", "sitting", 2, 3 },   /* over the limit: limit + 1 */
    { "a", "abcdefgh", 3, 4 },       /* length difference alone exceeds it */
};

START_TEST(test_edit_distance_table)
{
    const distance_case *c = &distances[_i];
    ck_assert_uint_eq(ppi_edit_distance(c->a, strlen(c->a), c->b, strlen(c->b), c->limit),
                      c->want);
    ck_assert_uint_eq(ppi_edit_distance(c->b, strlen(c->b), c->a, strlen(c->a), c->limit),
                      c->want);
}
END_TEST

START_TEST(test_suggest_offers_the_first_closest_within_a_third_of_the_length)
{
    static const char *const roles[] = { "view_only", "support", "developer",
                                         "administrator", "owner" };
    ppi_suggest s;
    ppi_suggest_init(&s, "adminstrator", 12); /* limit 4 */
    for (size_t i = 0; i < COUNT(roles); i++)
        ppi_suggest_offer(&s, roles[i], strlen(roles[i]));
    ck_assert_ptr_nonnull(s.best);
    ck_assert_str_eq(s.best, "administrator");

    ppi_suggest_init(&s, "root", 4); /* limit 1: nothing that close */
    for (size_t i = 0; i < COUNT(roles); i++)
        ppi_suggest_offer(&s, roles[i], strlen(roles[i]));
    ck_assert_ptr_null(s.best);

    ppi_suggest_init(&s, "ab", 2); /* limit max(1, 0) = 1; ties keep the first */
    ppi_suggest_offer(&s, "ax", 2);
    ppi_suggest_offer(&s, "xb", 2);
    ck_assert_str_eq(s.best, "ax");

    /* Words longer than PPI_SUGGEST_MAX_LEN get no suggestion. */
    char longer[PPI_SUGGEST_MAX_LEN + 2];
    memset(longer, 'a', sizeof longer);
    ppi_suggest_init(&s, longer, sizeof longer);
    ppi_suggest_offer(&s, longer, sizeof longer - 1);
    ck_assert_ptr_null(s.best);
}
END_TEST

Suite *load_suite(void)
{
    Suite *s = suite_create("load");

    TCase *data = tcase_create("data");
    tcase_add_test(data, test_load_invalid_cases_report_code_position_and_message);
    tcase_add_test(data, test_load_valid_cases_compile_with_expected_counts);
    suite_add_tcase(s, data);

    TCase *compiled = tcase_create("compiled");
    tcase_add_test(compiled, test_load_full_policy_compiles_every_field);
    tcase_add_test(compiled, test_load_policy_survives_the_input_being_freed);
    tcase_add_test(compiled, test_load_defaults_apply_when_optional_keys_are_absent);
    tcase_add_test(compiled, test_load_aliases_expand_to_full_copies);
    tcase_add_test(compiled, test_load_layout_does_not_change_the_fingerprint);
    tcase_add_test(compiled, test_load_rejects_bad_arguments_and_options);
    tcase_add_test(compiled, test_load_success_clears_the_error_record);
    tcase_add_test(compiled, test_load_uses_the_allocator_hook_for_everything);
    suite_add_tcase(s, compiled);

    /* Thousands of loads: room for valgrind. */
    TCase *failing = tcase_create("allocation failure");
    tcase_set_timeout(failing, 600);
    tcase_add_test(failing, test_load_fails_each_allocation_cleanly);
    suite_add_tcase(s, failing);

    TCase *messages = tcase_create("messages");
    tcase_add_test(messages, test_load_long_quoted_text_is_cut_on_a_character_boundary);
    tcase_add_test(messages, test_yaml_snippet_shows_one_safe_line);
    tcase_add_test(messages, test_yaml_positions_count_characters_and_yaml_line_breaks);
    tcase_add_test(messages, test_load_large_tree_keeps_every_node_and_position);
    tcase_add_loop_test(messages, test_edit_distance_table, 0, (int)COUNT(distances));
    tcase_add_test(messages, test_suggest_offers_the_first_closest_within_a_third_of_the_length);
    suite_add_tcase(s, messages);
    return s;
}
