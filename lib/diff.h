/*
 * Internal to the policy diff: the diff object shared by diff.c (semantic
 * changes and the public accessors), classes.c (the device-class
 * abstraction), class_words.c (classes described in words) and
 * diff_authorize.c (operator authorization before and after).
 */
#ifndef PP_DIFF_H
#define PP_DIFF_H

#include <stdlib.h>

#include "internal.h"

/* ---- a growable array through the diff's allocator hook ---- */

typedef struct ppi_vec {
    void *data;
    size_t n;
    size_t cap;
    size_t size;    /* bytes per item */
} ppi_vec;

/* qsort of n items, n possibly 0 with base NULL (an empty vector), which
 * qsort itself must not be given. */
static inline void ppi_sort(void *base, size_t n, size_t size,
                            int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static inline void ppi_vec_init(ppi_vec *v, size_t size)
{
    *v = (ppi_vec){ NULL, 0, 0, size };
}
/* Room for one more item at the end (zeroed), or NULL when out of memory. */
void *ppi_vec_push(ppi_vec *v, const pp_allocator *hook);
void ppi_vec_free(ppi_vec *v, const pp_allocator *hook);
/* Move the items into the arena (so they live as long as the diff) and free
 * the vector.  NULL for an empty vector; *ok false when out of memory. */
void *ppi_vec_keep(ppi_vec *v, ppi_arena *arena, bool *ok);

/* ---- the facts a device class is made of (docs/diff.md) ---- */

/* Which product IDs the record's cloud_product_id (C) and
 * firmware_product_id (F) name, as a slot: a product of either policy (its
 * index in pp_diff.products) or one of these. */
enum {
    PPI_SLOT_NONE = -1,     /* 0: none */
    PPI_SLOT_SAME = -2,     /* F only: the same product as C */
    PPI_SLOT_OTHER = -3,    /* nonzero, not the other one, and not read */
    PPI_SLOT_UNKNOWN = -4   /* a product neither policy holds */
};

/* The shape of (C, F), which decides which of them is the product in
 * question P under each policy. */
typedef enum ppi_shape {
    PPI_SHAPE_NONE,          /* C = F = 0: P = 0 */
    PPI_SHAPE_FIRMWARE_ONLY, /* C = 0, F: P = F */
    PPI_SHAPE_CLOUD_ONLY,    /* C, F = 0: P = C */
    PPI_SHAPE_SAME,          /* C = F: P = C */
    PPI_SHAPE_FIRMWARE_WINS, /* C != F, legacy under both: P = F */
    PPI_SHAPE_CLOUD_WINS,    /* C != F, legacy under neither: P = C */
    PPI_SHAPE_BOTH,          /* C != F, legacy under one: P = F there, C in the other */
    PPI_NSHAPES
} ppi_shape;

/* The other facts, each a small set of values.  "Pair" values are
 * old << 1 | new for a fact true or false under each policy. */
enum {
    PPI_D_BELOW,        /* pair: Device OS below P's min_device_os */
    PPI_D_DENIED,       /* PPI_REL_*: denied_in */
    PPI_D_REMOVED,      /* PPI_REL_*: removed_from */
    PPI_D_QUARANTINED,  /* 0 / 1: quarantined_in is set */
    PPI_D_OWNER,        /* 0 unowned, else 1 + pair: owner on P's team */
    PPI_D_MODEL,        /* join_old * PPI_NJOINS + join_new */
    PPI_D_DEVELOPMENT,  /* 0 / 1 */
    PPI_D_FIRMWARE,     /* pair: runs another version than P releases */
    PPI_NDIMS
};

enum { PPI_REL_NONE, PPI_REL_CLOUD, PPI_REL_FIRMWARE, PPI_REL_OTHER };

/* How a model relates to P's family (rules 3 and 4). */
enum {
    PPI_JOIN_FITS,
    PPI_JOIN_NOT_ELIGIBLE,
    PPI_JOIN_INCOMPATIBLE,
    PPI_JOIN_SKU_REQUIRED,
    PPI_JOIN_NA,            /* P is 0 or not in that policy: not read */
    PPI_NJOINS
};

#define PPI_PAIR(old, new) ((unsigned)(old) << 1 | (unsigned)(new))
#define PPI_PAIR_OLD(v) (((v) >> 1) & 1u)
#define PPI_PAIR_NEW(v) ((v) & 1u)

extern const uint8_t ppi_dim_size[PPI_NDIMS];

/* A decision with the product IDs replaced by their role in the record, so
 * classes over different products compare. */
enum { PPI_ROLE_NONE, PPI_ROLE_CLOUD, PPI_ROLE_FIRMWARE };

typedef struct ppi_rel_decision {
    int32_t outcome, reason, rule;
    uint32_t privileges, advisories;
    uint8_t product_role, limited_role;
} ppi_rel_decision;

/* A context: the slots of C and F.  Every class lies in one. */
typedef struct ppi_context {
    int32_t cloud;
    int32_t firmware;
} ppi_context;

/* A changed class as reported: the contexts it covers (first_context ..
 * + ncontexts in pp_diff.contexts), the legacy pairs it covers, and for each
 * fact the values it covers (covers, which adds values no record of the
 * class can have) and the values records of it do have (realized). */
typedef struct ppi_class {
    pp_device_class pub;
    ppi_shape shape;
    uint32_t legacy;                /* mask of legacy pairs */
    uint32_t covers[PPI_NDIMS];     /* masks of values */
    uint32_t realized[PPI_NDIMS];
    ppi_rel_decision old_rel, new_rel;
    uint64_t seq;                   /* order of its first record */
    size_t first_context;
    size_t ncontexts;
} ppi_class;

/* One stage of a class on its way to the report. */
typedef struct ppi_item {
    uint32_t key[PPI_NDIMS];        /* scratch: covers with one fact cleared */
    uint32_t covers[PPI_NDIMS];
    uint32_t realized[PPI_NDIMS];
    uint32_t legacy;
    ppi_rel_decision old_rel, new_rel;
    ppi_context ctx;
    ppi_shape shape;
    uint64_t seq;                   /* enumeration order of its first record */
    pp_device rep;
    pp_decision old_d, new_d;
} ppi_item;


/* ---- the diff ---- */

/* Members of each team of a policy (team numbers as ppi_member.team): team
 * t holds members[first[t] .. first[t + 1]). */
typedef struct ppi_team_index {
    uint32_t *first;
    uint32_t *members;
} ppi_team_index;

struct pp_diff {
    ppi_arena arena;            /* owns everything below */
    pp_policy *old_p;           /* retained */
    pp_policy *new_p;

    ppi_team_index teams[2];    /* of old_p and new_p */
    const char *outsider;       /* a user name on no team of either policy */
    size_t outsider_len;

    pp_change *changes;
    size_t nchanges;
    pp_diff_finding *findings;
    size_t nfindings;

    /* the device-class abstraction */
    uint32_t *products;         /* every product ID of either policy, sorted */
    uint32_t nproducts;
    uint32_t unknown[3];        /* three product IDs neither policy holds */
    ppi_class *classes;
    size_t nclasses;
    ppi_context *contexts;
    size_t ncontexts;
    uint64_t examined;

    pp_authorization_change *authz;
    size_t nauthz;
};

/* diff.c: an arena copy of printf-style text, or NULL when out of memory. */
char *ppi_diff_printf(pp_diff *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* class_facts.c: the facts of a record (docs/diff.md). */

/* d->products, the product IDs of either policy, and d->unknown. */
int ppi_diff_products(pp_diff *d);
/* Index of product ID id in d->products, or -1. */
int32_t ppi_product_slot(const pp_diff *d, uint32_t id);
/* The representative C and F of a context: unknown and "other" slots get IDs
 * neither policy holds, distinct from each other. */
void ppi_context_ids(const pp_diff *d, ppi_context ctx, uint32_t *C, uint32_t *F);
ppi_shape ppi_context_shape(ppi_context ctx);
/* Whether legacy pair l can occur in a context of this shape. */
bool ppi_shape_allows(ppi_shape shape, unsigned l);
/* P as pp_decide picks it. */
uint32_t ppi_product_in_question(uint32_t C, uint32_t F, bool legacy);
bool ppi_is_legacy(const pp_policy *p, const ppi_version *v);
/* Device OS v below P's min_device_os (pr NULL: no P, false). */
bool ppi_below_minimum(const ppi_product *pr, const ppi_version *v);
/* PPI_JOIN_* of a resolved model against P's family. */
unsigned ppi_join_of(const pp_policy *p, const ppi_product *pr, const ppi_model *m);
/* Rule 14 without a runtime team set: a person on P's team. */
bool ppi_owner_on_team(const pp_policy *p, const ppi_product *pr, const char *name, size_t len);
/* An OTA update would be pending: P releases another firmware version. */
bool ppi_pending(const ppi_product *pr, uint32_t firmware_version);
ppi_rel_decision ppi_relative(const pp_decision *dec, uint32_t C, uint32_t F);
bool ppi_same_decision(const pp_decision *a, const pp_decision *b);

/* diff.c: strcmp-like order of two ppi_str (for qsort). */
int ppi_str_cmp(const void *a, const void *b);
/* diff_changes.c: d->changes.  diff_findings.c: d->findings, attached to
 * d->changes. */
int ppi_diff_changes(pp_diff *d);
int ppi_diff_findings(pp_diff *d);

/* classes.c: enumerate the classes of both policies, keep the changed ones. */
int ppi_diff_classes(pp_diff *d, uint64_t max_classes, pp_error *err);

/* class_merge.c: merge items of one context and legacy pair that differ in
 * one fact, or items of one context that differ in their legacy pair only;
 * the new count. */
size_t ppi_merge_facts(ppi_item *items, size_t n);
size_t ppi_merge_legacy(ppi_item *items, size_t n);
/* The items of every context (all, reordered) grouped into d->classes. */
int ppi_group_classes(pp_diff *d, ppi_vec *all);
/* class_words.c: the description of a changed class (in the arena), or
 * NULL when out of memory; w is scratch space for a run of them. */
typedef struct ppi_words {
    ppi_vec text;
    ppi_vec slots;
} ppi_words;
void ppi_words_init(ppi_words *w);
void ppi_words_free(ppi_words *w, const pp_allocator *hook);
char *ppi_class_describe(pp_diff *d, const ppi_class *c, ppi_words *w);
/* diff_authorize.c: every (actor, action, product) answer that changes. */
int ppi_diff_authorizations(pp_diff *d);

#endif /* PP_DIFF_H */
