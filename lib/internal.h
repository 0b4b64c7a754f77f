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

#include "swar.h"

/* A caller's bug that must never read as "absent": a NULL pointer with a
 * nonzero length.  Every (pointer, length) pair of the public API is checked
 * with it and answers PP_ERR_INVALID_ARGUMENT (docs/api.md, "strings"). */
static inline bool ppi_null_with_len(const void *ptr, size_t len)
{
    return ptr == NULL && len != 0;
}

/* Whether any string pair of a device record is NULL with a length. */
static inline bool ppi_device_pairs_bad(const pp_device *d)
{
    return ppi_null_with_len(d->id, d->id_len) || ppi_null_with_len(d->device_os, d->device_os_len) ||
           ppi_null_with_len(d->sku, d->sku_len) || ppi_null_with_len(d->owner, d->owner_len);
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
    bool piecewise;      /* test-only: a chunk per allocation */
    bool pages;          /* chunks are mapped pages, not the hook's */
} ppi_arena;

/* hook may be NULL or have NULL alloc: malloc/free are used. */
void ppi_arena_init(ppi_arena *arena, const pp_allocator *hook);
/* An arena for a load's temporary memory: the caller's hook when there is
 * one; otherwise pages mapped straight from the system (mmap), so that
 * freeing the arena gives them back at once instead of leaving a large
 * policy's temporary tree in malloc's free lists. */
void ppi_arena_init_scratch(ppi_arena *arena, const pp_allocator *hook);
/* Aligned to 16 bytes; NULL when the hook fails.  Never returns the same
 * memory twice; memory is zeroed. */
void *ppi_arena_alloc(ppi_arena *arena, size_t size);
/* The same, not zeroed: for memory written before it is read, so a large
 * block mapped from the system is touched only where it is used. */
void *ppi_arena_take(ppi_arena *arena, size_t size);
/* Copy len bytes and append a NUL (byte-aligned, so names pack tightly);
 * NULL on allocation failure. */
char *ppi_arena_strndup(ppi_arena *arena, const char *s, size_t len);
void ppi_arena_free_all(ppi_arena *arena);
/* Test-only: from now on every allocation gets a chunk of its own from the
 * hook, so that failing the hook's N-th call fails the N-th allocation. */
void ppi_arena_piecewise(ppi_arena *arena);
/* Bytes obtained from the hook or the system so far (for memory figures). */
size_t ppi_arena_bytes(const ppi_arena *arena);

/* ---- hash.c: hashing helpers (xxhash is compiled in privately) ---- */

uint64_t ppi_hash_bytes(const void *data, size_t len);
/* The same with a seed: a table that must be rebuilt with another seed
 * (index.c) hashes its string keys with this. */
uint64_t ppi_hash_seeded(const void *data, size_t len, uint64_t seed);
/* A full-avalanche finaliser (murmur3 fmix64) over both inputs, e.g. a
 * member name's hash with its team's seed.  For fixed b it is a bijection
 * of a, so distinct integer keys never collide in full. */
static inline uint64_t ppi_hash_mix(uint64_t a, uint64_t b)
{
    uint64_t h = a ^ (b * 0x9E3779B97F4A7C15ull);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
}
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
    uint64_t key;        /* ppi_version_key, or 0 */
} ppi_version;

/* A version as one number that orders like ppi_version_cmp where the keys
 * differ: MAJOR, MINOR and PATCH below PPI_VERSION_KEY_LIMIT each, then 1
 * for a release and 0 for a prerelease (lower than its release), under a
 * top bit that no other key has; 0 when a number is too large.  Equal keys
 * of prereleases say nothing about their identifiers. */
#define PPI_VERSION_KEY_LIMIT (UINT64_C(1) << 20)
static inline uint64_t ppi_version_key(uint64_t major, uint64_t minor, uint64_t patch,
                                       bool release)
{
    if ((major | minor | patch) >= PPI_VERSION_KEY_LIMIT)
        return 0;
    return UINT64_C(1) << 63 | major << 41 | minor << 21 | patch << 1 | release;
}

/* Whether two versions' keys decide their order: both are keys, and they
 * differ or are releases'.  The order is then (a > b) - (a < b). */
static inline bool ppi_version_keys_decide(uint64_t a, uint64_t b)
{
    return (a & b) >> 63 != 0 && (a != b || (a & 1) != 0);
}

/* Parse "[v]MAJOR.MINOR.PATCH[-PRE][+BUILD]" strictly per semver 2.0 (no
 * leading zeros in numeric parts, numbers of any length, non-empty
 * identifiers of [0-9A-Za-z-]).  One pass, no allocation.  out->pre,
 * out->text and the numbers' digits point into s.  Returns PP_OK or
 * PP_ERR_INVALID_VERSION. */
int ppi_version_parse(ppi_version *out, const char *s, size_t len);
/* Precedence: <0, 0, >0.  Build metadata is ignored. */
int ppi_version_cmp(const ppi_version *a, const ppi_version *b);

/* ---- index.c: open-addressing tables with a bounded probe ---- */

#define PPI_NONE UINT32_MAX

/* Slots a lookup reads at most, whatever the keys: a build places every
 * entry fewer than this many slots from its home slot, trying another hash
 * seed when one does not (at load factor <= 1/2 a million random keys need
 * about 40), and refuses with PP_ERR_LIMIT when none of PPI_TABLE_SEEDS
 * does. */
#define PPI_TABLE_MAX_PROBE 128u
#define PPI_TABLE_SEEDS 8u

/* slot = 1 + index of the entry, 0 = empty.  The entry's key hash is kept
 * beside it so most misses cost no compare. */
typedef struct ppi_slot {
    uint32_t tag;               /* high 32 bits of the key hash */
    uint32_t entry;             /* 1 + index; 0 empty */
} ppi_slot;

typedef struct ppi_table {
    ppi_slot *slots;
    uint64_t mask;              /* capacity - 1 (capacity a power of two) */
    uint64_t seed;              /* the seed the keys were hashed with */
    uint32_t max_probe;         /* slots a lookup reads at most; 0: empty */
} ppi_table;

/* What a build does with two entries whose keys are equal. */
typedef enum ppi_dups {
    PPI_DUPS_REFUSED,   /* an error: the loader's duplicate check */
    PPI_DUPS_FIRST,     /* the first is found, the others are left out */
    PPI_DUPS_LAST       /* the last is found (a later entry overrides) */
} ppi_dups;

/* The keys of a table to build: entry i's hash under a seed, and whether
 * two entries' keys are equal. */
typedef struct ppi_keys {
    const void *ctx;
    uint32_t n;
    uint64_t (*hash)(const void *ctx, uint32_t i, uint64_t seed);
    bool (*equal)(const void *ctx, uint32_t i, uint32_t j);
    ppi_dups dups;
} ppi_keys;

/* The seed of the attempt-th build (0 .. PPI_TABLE_SEEDS - 1). */
uint64_t ppi_table_seed(uint32_t attempt);
/* Slots for n entries at load factor <= 1/2 (at least 8), zeroed, from
 * arena.  PP_ERR_NOMEM on failure. */
int ppi_table_alloc(ppi_table *t, ppi_arena *arena, uint64_t n);
/* Place entry (hash h) into t.  Returns 0 when placed (t->max_probe grows
 * as needed), 1 + the index of an entry with an equal key (which the new
 * one replaces under PPI_DUPS_LAST, else it is not placed), or PPI_NONE
 * when it would sit PPI_TABLE_MAX_PROBE or more slots from home. */
uint32_t ppi_table_place(ppi_table *t, uint64_t h, uint32_t entry,
                         const ppi_keys *keys);
/* Allocate t from arena and place keys 0 .. n-1, with the first seed under
 * which every entry is near its home.  Returns PP_OK, PP_ERR_NOMEM,
 * PP_ERR_DUPLICATE (PPI_DUPS_REFUSED; *dup = the later of two equal keys) or
 * PP_ERR_LIMIT (no seed keeps every lookup within PPI_TABLE_MAX_PROBE). */
int ppi_table_build(ppi_table *t, ppi_arena *arena, const ppi_keys *keys,
                    uint32_t *dup);
/* Clear t's slots and place keys 0 .. n-1, trying the seeds from attempt
 * *attempt on; on success *attempt is the one used.  PP_OK,
 * PP_ERR_DUPLICATE or PP_ERR_LIMIT as above. */
int ppi_table_fill(ppi_table *t, const ppi_keys *keys, uint32_t *attempt,
                   uint32_t *dup);

/* The entry whose key hashes to h and satisfies is(ctx, entry), or
 * PPI_NONE.  Reads at most t->max_probe slots.  Inline, so each lookup's
 * key comparison is compiled into it. */
static inline uint32_t ppi_table_find(const ppi_table *t, uint64_t h,
                                      bool (*is)(const void *ctx, uint32_t entry),
                                      const void *ctx)
{
    uint32_t tag = (uint32_t)(h >> 32);
    uint64_t s = h;
    for (uint32_t n = t->max_probe; n > 0; n--, s++) {
        const ppi_slot *slot = &t->slots[s & t->mask];
        if (slot->entry == 0)
            return PPI_NONE;
        if (slot->tag == tag && is(ctx, slot->entry - 1))
            return slot->entry - 1;
    }
    return PPI_NONE;
}

/* Hashes of every prefix of a string in one pass: h = ppi_prefix_start(seed),
 * then h = ppi_prefix_step(h, byte, seed) per byte; ppi_prefix_hash(h) is
 * then the key hash of the bytes so far.  A polynomial whose multiplier is
 * drawn from the seed: a multiply-add per byte and a fold per lookup, cheap
 * enough to hash every prefix of a SKU on the decision path. */
static inline uint64_t ppi_prefix_start(uint64_t seed)
{
    return seed;
}

static inline uint64_t ppi_prefix_step(uint64_t h, unsigned char c, uint64_t seed)
{
    return (h + c) * (seed | 1);
}

/* The high half is the slot's tag; the low half, which picks the slot, gets
 * the high half's well-mixed bits too. */
static inline uint64_t ppi_prefix_hash(uint64_t h)
{
    return h ^ (h >> 32);
}

/* ---- family.c: platforms, SKUs and families (docs/spec.md §5) ---- */

typedef struct ppi_platform {
    uint32_t id;
    const char *name;
    bool eligible;       /* may be in a product at all */
    int32_t family;      /* family index, or -1 when only the SKU decides */
} ppi_platform;

typedef struct ppi_sku {
    const char *prefix;  /* upper case (the loader's) */
    uint32_t prefix_len;
    uint32_t platform_id;
    int32_t family;
    int32_t fit_family;  /* family when the platform is in the table and
                            product-eligible, else -1 (ppi_families_index) */
} ppi_sku;

/* The SKU prefixes that start with a pair of characters (sku_index.h):
 * when they are at most PPI_SKU_PICKS, none longer than eight bytes, the
 * row lists them, longest first (count picks of sku_picks from first;
 * lengths 0); else lengths has bit k-1 for each of their lengths k. */
#define PPI_SKU_PICKS 4u
typedef struct ppi_sku_row {
    uint32_t lengths;
    uint16_t first;
    uint16_t count;
} ppi_sku_row;

typedef struct ppi_sku_pick {
    uint64_t head;       /* the prefix's key (its sku_heads) */
    uint64_t mask;       /* its length's bytes of a key */
    uint32_t sku;        /* its index in skus */
} ppi_sku_pick;

/* Platform IDs below this are found by a direct index (small_platforms). */
#define PPI_SMALL_PLATFORM_IDS 256u

/* The longest SKU prefix there can be (ppi_sku_valid). */
#define PPI_SKU_MAX_LEN 32u

typedef struct ppi_families {
    ppi_platform *platforms;
    uint32_t nplatforms;
    ppi_sku *skus;
    uint32_t nskus;
    const char **names;  /* family names by index */
    uint32_t nnames;

    /* The lookups, built by ppi_families_index once the table is complete. */
    ppi_table platform_ids;    /* platforms by ID */
    uint32_t *small_platforms; /* 1 + platform index by ID, for IDs below
                                  PPI_SMALL_PLATFORM_IDS (every Particle
                                  platform's); 0: none */
    ppi_table platform_names;  /* platforms by name, any case */
    ppi_table family_names;    /* names by name */
    ppi_table sku_prefixes;    /* skus by prefix, any case (prefix_hash) */
    uint64_t *sku_heads;       /* each sku's first eight bytes (ppi_head_of) */
    ppi_sku_row *sku_rows;     /* by a SKU's first two characters' classes */
    ppi_sku_pick *sku_picks;
    uint64_t *sku_families;    /* distinct (platform ID << 32 | family) of the skus */
    ppi_table sku_family_index;
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
 * more entries (the policy's own platforms/skus/families).  The lookups
 * work once ppi_families_index has run. */
int ppi_families_builtin(ppi_families *out, ppi_arena *arena,
                         uint32_t extra_platforms, uint32_t extra_skus,
                         uint32_t extra_families);
/* Build the lookups of a complete table in arena (scratch: temporary
 * arrays).  PP_OK, PP_ERR_NOMEM or PP_ERR_LIMIT, *table naming the table. */
int ppi_families_index(ppi_families *t, ppi_arena *arena, ppi_arena *scratch,
                       const char **table);
/* Index of a family name, or -1. */
int32_t ppi_family_find(const ppi_families *t, const char *name, size_t len);
/* Platform by ID, or NULL: by small_platforms below PPI_SMALL_PLATFORM_IDS,
 * else by platform_ids (ppi_platform_find_large). */
const ppi_platform *ppi_platform_find_large(const ppi_families *t, uint32_t id);
static inline const ppi_platform *ppi_platform_find(const ppi_families *t, uint32_t id)
{
    if (id >= PPI_SMALL_PLATFORM_IDS)
        return ppi_platform_find_large(t, id);
    uint32_t e = t->small_platforms[id];
    return e == 0 ? NULL : &t->platforms[e - 1];
}
/* Platform by name (case-insensitive), or NULL. */
const ppi_platform *ppi_platform_find_name(const ppi_families *t,
                                           const char *name, size_t len);
/* Longest case-insensitive prefix match, or NULL.  Any bytes; len may be 0. */
const ppi_sku *ppi_sku_find(const ppi_families *t, const char *sku, size_t len);
/* The same for len >= 1 and its key (ppi_sku_key), inline: ppi_sku_lookup
 * (sku_index.h). */

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
    uint8_t kind;               /* ppi_member_kind */
    uint8_t org_level;          /* API users: organization_level: true */
    union {
        struct {
            uint8_t role;       /* humans: pp_role */
            uint8_t two_step;
        };
        uint16_t actions;       /* API users: bit a when a scope grants
                                   pp_action a (ppi_scope_actions) */
    };
    uint32_t first_scope;       /* API users: index of their first scope in
                                   p->scopes; the list ends at a NULL entry
                                   (so a member stays 24 bytes) */
} ppi_member;

typedef struct ppi_str {
    const char *ptr;
    uint32_t len;
} ppi_str;

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
    ppi_table member_index;     /* by (team seed, name); names hashed with
                                   ppi_member_hash */

    ppi_str *scopes;            /* API users' scopes, one NULL-ended list each */
    uint32_t nscopes;

    ppi_families families;

    bool require_lts;           /* settings.require_lts */
    uint32_t sim_notify_percent; /* settings.sim_notify_percent */
    ppi_str *integrations;      /* products' approved_integrations, grouped */
    uint32_t nintegrations;
    ppi_table integration_index; /* by (product, URL) */
    uint64_t *canaries;         /* organizations' canary_tokens, grouped */
    uint32_t ncanaries;
    ppi_table canary_index;     /* the first canary of each fingerprint */
    uint32_t *canary_next;      /* the next canary of the same fingerprint */
    uint32_t *canary_org;       /* the organization a canary belongs to */
};

/* ---- index.c: the policy's lookups ---- */

/* Build product_index; on a duplicate ID sets *dup to the index of the later
 * product and returns PP_ERR_DUPLICATE.  PP_ERR_LIMIT: see ppi_table_build. */
int ppi_index_products(pp_policy *p, uint32_t *dup);
/* Build member_index; on a duplicate (team, name) sets *dup as above. */
int ppi_index_members(pp_policy *p, uint32_t *dup);
/* Build every other lookup (families, API users' actions, approved
 * integrations, canaries).  PP_OK, PP_ERR_NOMEM or PP_ERR_LIMIT with
 * *table naming the table whose keys no seed spread. */
int ppi_index_policy(pp_policy *p, ppi_arena *scratch, const char **table);
/* Product by ID, or NULL.  Inline: every decision looks one up.  The
 * hashed form takes ppi_product_hash(p, id), which also names the slot a
 * lookup reads first (slots[hash & mask]). */
static inline uint64_t ppi_product_hash(const pp_policy *p, uint32_t id)
{
    return ppi_hash_mix(id, p->product_index.seed);
}

static inline const ppi_product *ppi_product_find_hashed(const pp_policy *p, uint32_t id,
                                                         uint64_t h)
{
    const ppi_table *t = &p->product_index;
    uint32_t tag = (uint32_t)(h >> 32);
    for (uint32_t n = t->max_probe; n > 0; n--, h++) {
        const ppi_slot *slot = &t->slots[h & t->mask];
        if (slot->entry == 0)
            return NULL;
        if (slot->tag == tag && p->products[slot->entry - 1].id == id)
            return &p->products[slot->entry - 1];
    }
    return NULL;
}

static inline const ppi_product *ppi_product_find(const pp_policy *p, uint32_t id)
{
    return ppi_product_find_hashed(p, id, ppi_product_hash(p, id));
}
/* The hash of a member name for ppi_member_find (one serves every team). */
uint64_t ppi_member_hash(const pp_policy *p, const char *name, size_t len);
/* Whether m is the member name of a team. */
static inline bool ppi_member_is(const ppi_member *m, uint32_t team, const char *name,
                                 size_t len)
{
    return m->team == team && m->name_len == len && memcmp(m->name, name, len) == 0;
}

typedef struct ppi_member_query {
    const pp_policy *p;
    uint32_t team;
    const char *name;
    size_t len;
} ppi_member_query;

static inline bool ppi_member_query_is(const void *ctx, uint32_t i)
{
    const ppi_member_query *q = ctx;
    return ppi_member_is(&q->p->members[i], q->team, q->name, q->len);
}

/* Member of a team by name, or NULL.  Inline: rule 14 looks up two. */
static inline const ppi_member *ppi_member_find(const pp_policy *p, uint64_t team_seed,
                                                uint32_t team, const char *name,
                                                size_t len, uint64_t name_hash)
{
    ppi_member_query q = { p, team, name, len };
    uint32_t i = ppi_table_find(&p->member_index, ppi_hash_mix(name_hash, team_seed),
                                ppi_member_query_is, &q);
    return i == PPI_NONE ? NULL : &p->members[i];
}

/* ---- authorize.c ---- */

/* The actions some scope of a NULL-ended list grants, as bits by pp_action. */
uint16_t ppi_scope_actions(const ppi_str *scopes);

/* ---- audit_index.c: the security checks' lookups ---- */

/* Build integration_index and the canary lookups.  PP_OK, PP_ERR_NOMEM or
 * PP_ERR_LIMIT with *table naming the table. */
int ppi_index_audit(pp_policy *p, ppi_arena *scratch, const char **table);
/* Whether url is one of pr's approved destinations or under one that ends
 * in '/'.  Costs the length of url, not of pr's list. */
bool ppi_integration_approved(const pp_policy *p, const ppi_product *pr,
                              const char *url, size_t len);
/* The first canary (index into p->canaries) with this fingerprint, or
 * PPI_NONE; p->canary_next[i] is the next one, PPI_NONE after the last. */
uint32_t ppi_canary_first(const pp_policy *p, uint64_t fingerprint);

/* ---- team.c: caller-built team sets ---- */

/* Role of user in organization (by name and its team seed), or -1. */
int ppi_team_role(const pp_team *team, const char *org, size_t org_len,
                  uint64_t org_seed, const char *user, size_t user_len);

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

/* Test-only: pp_policy_load with arenas that ask the hook for every
 * allocation (ppi_arena_piecewise), so that an allocation-failure loop
 * reaches every allocation site of the loader. */
int ppi_policy_load_piecewise(pp_policy **out, const char *text, size_t len,
                              const pp_load_options *options, pp_error *err);

/* ---- decide.c ---- */

/* Rule 14: whether d's owner (not NULL) is a person on product's team (its
 * own or its organization's, in the policy or in team). */
bool ppi_owner_in_team(const pp_policy *p, const pp_team *team,
                       const ppi_product *product, const pp_device *d);

/* ---- device.c: validation of device record fields ---- */

/* 24 hex digits, any case.  Every handshake passes here: the ID is read as
 * two 16-byte vectors (bytes 0-15 and 8-23; GCC's and clang's vector
 * extensions, SSE2 on x86-64) and every byte is tested at once for a digit
 * or, with bit 5 set (folding 'A'-'F' onto 'a'-'f'), a letter a-f. */
#define PPI_DEVICE_ID_LEN 24
typedef uint8_t ppi_bytes16 __attribute__((vector_size(16)));
typedef uint64_t ppi_words2 __attribute__((vector_size(16)));

/* 0xFF in each byte of v that is a hex digit, 0 elsewhere. */
static inline ppi_bytes16 ppi_hex_bytes(ppi_bytes16 v)
{
    return (ppi_bytes16)((v - '0') <= 9) | (ppi_bytes16)(((v | 0x20) - 'a') <= 5);
}

static inline bool ppi_device_id_valid(const char *id, size_t len)
{
    if (id == NULL || len != PPI_DEVICE_ID_LEN)
        return false;
    ppi_bytes16 a, b;
    memcpy(&a, id, sizeof a);
    memcpy(&b, id + 8, sizeof b);
    ppi_words2 ok = (ppi_words2)(ppi_hex_bytes(a) & ppi_hex_bytes(b));
    return (ok[0] & ok[1]) == UINT64_MAX;
}
/* 1..PPI_SKU_MAX_LEN characters of [0-9A-Za-z-]. */
bool ppi_sku_valid(const char *sku, size_t len);

/* 0xFF in each byte of v that is a letter, any case, 0 elsewhere. */
static inline ppi_bytes16 ppi_letter_bytes(ppi_bytes16 v)
{
    return (ppi_bytes16)(((v | 0x20) - 'a') <= 25);
}

/* 0xFF in each byte of v that is a SKU character, letters being
 * ppi_letter_bytes(v), 0 elsewhere. */
static inline ppi_bytes16 ppi_sku_bytes(ppi_bytes16 v, ppi_bytes16 letters)
{
    return (ppi_bytes16)((v - '0') <= 9) | letters | (ppi_bytes16)(v == '-');
}

/* A SKU's key for ppi_sku_lookup: its first eight bytes (ppi_head_of),
 * letters a-z in upper case, any other byte as it is. */
static inline uint64_t ppi_sku_key(const char *sku, size_t len)
{
    return ppi_bytes_upper(ppi_head_of(sku, len));
}

/* ppi_sku_check for the SKUs it does not take inline: NULL, no byte or
 * more than 16 bytes; false for 1 to 16 (device.c). */
bool ppi_sku_check_long(const char *sku, size_t len, uint64_t *head);

/* ppi_sku_valid, and (when valid) *head = ppi_sku_key(sku, len), from the
 * word the check reads (its letters' bit 5 cleared).  Inline for up to 16
 * bytes, one vector of the words at 0 and ending at the last byte (GCC's
 * and clang's vector extensions, as the device ID's): a decision's SKU
 * passes here. */
static inline __attribute__((always_inline)) bool
ppi_sku_check(const char *sku, size_t len, uint64_t *head)
{
    if (sku == NULL || len - 1 >= 16)
        return ppi_sku_check_long(sku, len, head);
    uint64_t used = len >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * len)) - 1;
    ppi_words2 w = { ppi_head_of(sku, len), 0 };
    w[1] = len > 8 ? ppi_load64(sku + len - 8) : w[0];
    ppi_bytes16 letters = ppi_letter_bytes((ppi_bytes16)w);
    ppi_words2 ok = (ppi_words2)ppi_sku_bytes((ppi_bytes16)w, letters);
    *head = w[0] & ~(((ppi_words2)letters)[0] & 0x20 * PPI_ONES);
    return (ok[0] & ok[1] & used) == used;
}
/* A user name (member or owner), also an organization or product name:
 * 1..255 bytes of valid UTF-8 without hidden characters (ppi_char_hidden);
 * U+0020 is the one space it may hold. */
#define PPI_USER_NAME_MAX_LEN 255u
bool ppi_user_name_valid(const char *name, size_t len);
/* The same, inline for the names of up to eight bytes of printable ASCII
 * (most owners): one word tested at once.  A decision's owner passes here. */
static inline bool ppi_owner_valid(const char *name, size_t len)
{
    if (name != NULL && len >= 1 && len <= 8) {
        uint64_t w = ppi_head_of(name, len), used = PPI_HIGH >> (64 - 8 * len);
        if ((w & PPI_HIGH) == 0 && (ppi_bytes_in(w, 0x20, 0x7E) & used) == used)
            return true;
    }
    return ppi_user_name_valid(name, len);
}

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
/* The bytes of a URL compared without case: the scheme [0, *scheme_end) and
 * the host [*host_start, *host_end).  The audit's index (audit_index.c)
 * folds a record's URL with them as it hashes it. */
void ppi_url_folded(const char *s, size_t len, size_t *scheme_end, size_t *host_start,
                    size_t *host_end);
/* Whether a destination approves url: url is it, or is under it when it ends
 * in '/'.  approved is canonical; url is compared with its scheme and host
 * in any case and the rest exactly.  Never allocates. */
bool ppi_url_approves(const char *approved, size_t approved_len,
                      const char *url, size_t len);

#endif /* PP_INTERNAL_H */
