/*
 * Internal declarations shared by the library's modules.  Nothing here is
 * exported: internal functions use the ppi_ prefix, which the export regex
 * (^pp_) does not match, and the library is built with hidden visibility.
 */
#ifndef PP_INTERNAL_H
#define PP_INTERNAL_H

#define PP_BUILDING_LIBRARY 1
#include "particlepolicy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A caller's bug that must never read as "absent": a NULL pointer with a
 * nonzero length.  Every (pointer, length) pair of the public API is checked
 * with it and answers PP_ERR_INVALID_ARGUMENT (docs/api.md, "strings"). */
static inline bool ppi_null_with_len(const void *ptr, size_t len)
{
    return ptr == NULL && len != 0;
}

/* ---- arena.c: chunked bump allocation through the caller's hook ---- */

/* Every allocation of a policy or a loader lives in an arena; freeing the
 * arena frees all of it, which makes every failure path leak-free. */
typedef struct ppi_chunk ppi_chunk;
typedef struct ppi_arena {
    pp_allocator hook;   /* alloc/free never NULL after ppi_arena_init */
    ppi_chunk *chunks;
    char *cursor;        /* free space in the newest chunk */
    size_t left;
    size_t next_size;    /* size of the next ordinary chunk */
} ppi_arena;

/* hook may be NULL or have NULL alloc: malloc/free are used. */
void ppi_arena_init(ppi_arena *arena, const pp_allocator *hook);
/* Aligned to 16 bytes; NULL when the hook fails.  Never returns the same
 * memory twice; memory is zeroed. */
void *ppi_arena_alloc(ppi_arena *arena, size_t size);
/* Copy len bytes and append a NUL (byte-aligned, so names pack tightly);
 * NULL on allocation failure. */
char *ppi_arena_strndup(ppi_arena *arena, const char *s, size_t len);
void ppi_arena_free_all(ppi_arena *arena);
/* Bytes obtained from the hook so far (for memory figures). */
size_t ppi_arena_bytes(const ppi_arena *arena);

/* ---- hash.c: hashing helpers (xxhash is compiled in privately) ---- */

uint64_t ppi_hash_bytes(const void *data, size_t len);
/* Mix a user-name hash with a team seed into the membership key hash. */
uint64_t ppi_hash_mix(uint64_t a, uint64_t b);
/* Seed of a product's own team (product-level members). */
uint64_t ppi_product_team_seed(uint32_t product_id);

/* ---- version.c: semver 2.0 ---- */

/* MAJOR, MINOR or PATCH: any number of digits (semver sets no limit).  Up to
 * PPI_NUMBER_EXACT_DIGITS digits the value is exact and below
 * PPI_NUMBER_LONG, which stands for every longer number: comparing values
 * first orders all but two long numbers, which compare by their digits. */
#define PPI_NUMBER_EXACT_DIGITS 18
#define PPI_NUMBER_LONG UINT64_MAX
typedef struct ppi_number {
    uint64_t value;      /* exact, or PPI_NUMBER_LONG past 18 digits */
    const char *digits;  /* points into the version text; no leading zero */
    size_t len;
} ppi_number;

typedef struct ppi_version {
    ppi_number major, minor, patch;
    const char *pre;     /* prerelease identifiers without the '-'; NULL if none */
    size_t pre_len;
    const char *text;    /* the whole version as given (points into the input) */
    size_t text_len;
} ppi_version;

/* Parse "[v]MAJOR.MINOR.PATCH[-PRE][+BUILD]" strictly per semver 2.0 (no
 * leading zeros in numeric parts, numbers of any length, non-empty
 * identifiers of [0-9A-Za-z-]).  One pass, no allocation.  out->pre,
 * out->text and the numbers' digits point into s.  Returns PP_OK or
 * PP_ERR_INVALID_VERSION. */
int ppi_version_parse(ppi_version *out, const char *s, size_t len);
/* Precedence: <0, 0, >0.  Build metadata is ignored. */
int ppi_version_cmp(const ppi_version *a, const ppi_version *b);

/* ---- family.c: platforms, SKUs and families (docs/spec.md §5) ---- */

typedef struct ppi_platform {
    uint32_t id;
    const char *name;
    bool eligible;       /* may be in a product at all */
    int32_t family;      /* family index, or -1 when only the SKU decides */
} ppi_platform;

typedef struct ppi_sku {
    const char *prefix;  /* upper case */
    uint32_t prefix_len;
    uint32_t platform_id;
    int32_t family;
} ppi_sku;

typedef struct ppi_families {
    ppi_platform *platforms;
    uint32_t nplatforms;
    ppi_sku *skus;
    uint32_t nskus;
    const char **names;  /* family names by index */
    uint32_t nnames;
} ppi_families;

/* ---- hardware.c: the built-in table (data only) ---- */

typedef struct ppi_hardware {
    const ppi_platform *platforms;
    uint32_t nplatforms;
    const ppi_sku *skus;
    uint32_t nskus;
    const char *const *families;  /* family names by index */
    uint32_t nfamilies;
} ppi_hardware;

/* Every Particle platform, its SKU prefixes and the built-in families, from
 * the sources docs/hardware.md names. */
extern const ppi_hardware ppi_builtin_hardware;

/* Copy the built-in table into arena-owned arrays with room for `extra_*`
 * more entries (the policy's own platforms/skus/families). */
int ppi_families_builtin(ppi_families *out, ppi_arena *arena,
                         uint32_t extra_platforms, uint32_t extra_skus,
                         uint32_t extra_families);
/* Index of a family name, or -1. */
int32_t ppi_family_find(const ppi_families *t, const char *name, size_t len);
/* Platform by ID, or NULL. */
const ppi_platform *ppi_platform_find(const ppi_families *t, uint32_t id);
/* Platform by name (case-insensitive), or NULL. */
const ppi_platform *ppi_platform_find_name(const ppi_families *t,
                                           const char *name, size_t len);
/* Longest case-insensitive prefix match, or NULL. */
const ppi_sku *ppi_sku_find(const ppi_families *t, const char *sku, size_t len);

/* What a model (platform ID and/or SKU) resolves to. */
typedef enum ppi_model_status {
    PPI_MODEL_RESOLVED = 0,      /* family >= 0 */
    PPI_MODEL_NOT_ELIGIBLE,      /* known platform that no product may hold */
    PPI_MODEL_NEEDS_SKU,         /* platform's family is decided by SKU, none usable */
    PPI_MODEL_CONTRADICTS,       /* SKU belongs to another platform */
    PPI_MODEL_UNKNOWN_PLATFORM   /* platform not in the table (and no SKU tells) */
} ppi_model_status;

typedef struct ppi_model {
    ppi_model_status status;
    uint32_t platform_id;        /* resolved platform (from the SKU if unspecified) */
    int32_t family;              /* -1 unless RESOLVED */
} ppi_model;

/* Resolve a model.  sku may be NULL.  An unknown SKU is ignored where the
 * platform alone decides the family.  Never allocates. */
void ppi_model_resolve(ppi_model *out, const ppi_families *t,
                       uint32_t platform_id, const char *sku, size_t sku_len);
/* Rules 3-4 for a resolved model and a product's family: PP_REASON_SAME_FAMILY
 * when it fits, else platform_not_product_eligible, incompatible_platform or
 * sku_required (only when some SKU of the platform would fit). */
int32_t ppi_join_reason(const ppi_families *t, const ppi_model *m,
                        int32_t product_family);
/* Whether some SKU of this platform belongs to family: then a SKU could tell
 * (rule 4 answers sku_required rather than incompatible_platform). */
bool ppi_platform_may_be_family(const ppi_families *t, uint32_t platform_id,
                                int32_t family);

/* ---- the compiled policy ---- */

#define PPI_NONE UINT32_MAX

typedef struct ppi_product {
    uint32_t id;
    uint32_t org;               /* organization index, or PPI_NONE */
    int32_t family;
    bool auto_approve;          /* unrecognized_devices: auto_approve */
    bool removed_quarantine;    /* removed_devices: quarantine */
    bool has_min_device_os;
    bool require_lts;           /* require_lts: true */
    uint16_t released_firmware; /* 0 = none */
    ppi_version min_device_os;  /* points into the policy arena */
    const char *name;
    uint32_t name_len;
    uint64_t team_seed;         /* ppi_product_team_seed(id) */
    uint32_t first_integration; /* approved_integrations: index into */
    uint32_t nintegrations;     /* p->integrations */
    bool has_integrations;      /* the key is given (an empty list approves none) */
} ppi_product;

typedef struct ppi_org {
    const char *name;
    uint32_t name_len;
    uint64_t team_seed;         /* ppi_hash_bytes(name) */
    uint32_t first_canary;      /* canary_tokens: index into p->canaries */
    uint32_t ncanaries;
} ppi_org;

typedef enum ppi_member_kind { PPI_HUMAN = 0, PPI_API_USER = 1 } ppi_member_kind;

/* A member of a team: an organization's (team < norgs) or a product's own
 * (team = norgs + product index).  API users are members with scopes. */
typedef struct ppi_member {
    const char *name;
    uint32_t name_len;
    uint32_t team;
    uint8_t role;               /* pp_role; unused for API users */
    uint8_t two_step;
    uint8_t kind;               /* ppi_member_kind */
    uint8_t org_level;          /* API users: organization_level: true */
    uint32_t first_scope;       /* API users: index of their first scope in
                                   p->scopes; the list ends at a NULL entry
                                   (so a member stays 24 bytes) */
} ppi_member;

typedef struct ppi_str {
    const char *ptr;
    uint32_t len;
} ppi_str;

/* Open-addressing table: slot = 1 + index of the entry, 0 = empty.  The
 * entry's key hash is kept beside it so most misses cost no compare. */
typedef struct ppi_slot {
    uint32_t tag;               /* high 32 bits of the key hash */
    uint32_t entry;             /* 1 + index; 0 empty */
} ppi_slot;

typedef struct ppi_table {
    ppi_slot *slots;
    uint64_t mask;              /* capacity - 1 (capacity a power of two) */
} ppi_table;

struct pp_policy {
    ppi_arena arena;            /* owns everything below */
    uint32_t refcount;          /* atomic */
    uint64_t fingerprint;

    ppi_version legacy_below;   /* settings.legacy_device_os_below */

    ppi_product *products;
    uint32_t nproducts;
    ppi_table product_index;    /* by product ID */

    ppi_org *orgs;
    uint32_t norgs;

    ppi_member *members;        /* humans and API users of every team */
    uint32_t nmembers;
    ppi_table member_index;     /* by (team seed, name) */

    ppi_str *scopes;            /* API users' scopes, one NULL-ended list each */
    uint32_t nscopes;

    ppi_families families;

    bool require_lts;           /* settings.require_lts */
    uint32_t sim_notify_percent; /* settings.sim_notify_percent */
    ppi_str *integrations;      /* products' approved_integrations, grouped */
    uint32_t nintegrations;
    uint64_t *canaries;         /* organizations' canary_tokens, grouped */
    uint32_t ncanaries;
};

/* ---- index.c: the O(1) lookups ---- */

/* Build product_index; on a duplicate ID sets *dup to the index of the later
 * product and returns PP_ERR_DUPLICATE. */
int ppi_index_products(pp_policy *p, uint32_t *dup);
/* Build member_index; on a duplicate (team, name) sets *dup as above. */
int ppi_index_members(pp_policy *p, uint32_t *dup);
/* Product by ID, or NULL. */
const ppi_product *ppi_product_find(const pp_policy *p, uint32_t id);
/* Member of a team by name, or NULL.  user_hash = ppi_hash_bytes(name). */
const ppi_member *ppi_member_find(const pp_policy *p, uint64_t team_seed,
                                  uint32_t team, const char *name,
                                  size_t len, uint64_t user_hash);

/* ---- team.c: caller-built team sets ---- */

/* Role of user in organization (by name and its team seed), or -1. */
int ppi_team_role(const pp_team *team, const char *org, size_t org_len,
                  uint64_t org_seed, const char *user, size_t user_len,
                  uint64_t user_hash);

/* ---- policy.c ---- */

/* Compute p->fingerprint from the compiled form (order-independent). */
void ppi_policy_fingerprint(pp_policy *p);

/* ---- error.c ---- */

/* Fill err (may be NULL) with code, position and a printf-style message.
 * Returns code. */
int ppi_error_set(pp_error *err, int code, uint32_t line, uint32_t column,
                  size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* ---- load.c (built on yaml_tree.c) ---- */
/* pp_policy_load is the public entry point. */

/* ---- device.c: validation of device record fields ---- */

bool ppi_device_id_valid(const char *id, size_t len);
bool ppi_sku_valid(const char *sku, size_t len);
/* A user name (member or owner), also an organization or product name:
 * 1..255 bytes of valid UTF-8 without hidden characters (ppi_char_hidden);
 * U+0020 is the one space it may hold. */
#define PPI_USER_NAME_MAX_LEN 255u
bool ppi_user_name_valid(const char *name, size_t len);

/* ---- utf8.c: decoding, and the characters names and URLs refuse ---- */

/* Length of the well-formed UTF-8 sequence at s (left >= 1 bytes), its code
 * point in *cp; 0 when it is ill-formed or truncated. */
size_t ppi_utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);
/* Whether cp shows nothing or moves the text around it: a control (C0, DEL,
 * C1), a format character (bidi controls, zero-width characters, ...), a
 * line or paragraph separator, a space other than U+0020, or another
 * default-ignorable code point. */
bool ppi_char_hidden(uint32_t cp);

/* ---- url.c: approved integration destinations ---- */

#define PPI_URL_MAX_LEN 2048u
/* An http(s) URL of at most PPI_URL_MAX_LEN bytes: the scheme in any case,
 * "://", then at least one character, none of them a space or hidden. */
bool ppi_url_valid(const char *s, size_t len);
/* Lower-case the ASCII letters of a valid URL's scheme and host in place,
 * so that one destination has one spelling. */
void ppi_url_canonicalize(char *s, size_t len);
/* Whether a destination approves url: url is it, or is under it when it ends
 * in '/'.  approved is canonical; url is compared with its scheme and host
 * in any case and the rest exactly.  Never allocates. */
bool ppi_url_approves(const char *approved, size_t approved_len,
                      const char *url, size_t len);

#endif /* PP_INTERNAL_H */
