/* The lifecycle explorer's parts: domains and states (explore.c), one step
 * and the invariants (explore_step.c). */
#ifndef PP_EXPLORE_H
#define PP_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "particlepolicy.h"

#define NPRODUCTS 4   /* none, P1, P2, a product no policy holds */
#define NOS 3         /* legacy, a 4.0.0 prerelease, 4.x+ */
#define NOWNERS 3     /* none, a team member, an outsider */
#define NPLATFORMS 3  /* fits P1, fits P2, not product-eligible */
#define NACTORS 8
#define NPOLICIES 32
#define NINVARIANTS 6
#define NRECORDS (NPRODUCTS * NPRODUCTS * NPRODUCTS * NPRODUCTS * NPRODUCTS * NOS * NOWNERS * \
                  NPLATFORMS * 2 * 2)
/* Ghost bits, three per product P1, P2: removed from it (not approved
 * since), denied in it (not re-approved since), and took the way back (left
 * its Denied list on non-product firmware). */
#define NGHOSTS 64
#define GHOST(p, bit) (1u << (((p) - 1) * 3 + (bit)))
#define G_REMOVED 0
#define G_DENIED 1
#define G_ESCAPED 2
#define MAX_EVENTS 256
#define EX_RELEASED 5  /* the released firmware of the policies that have one */

extern const uint32_t ex_products[NPRODUCTS];
extern const char *const ex_os[NOS];
extern const bool ex_legacy[NOS];
extern const char *const ex_owners[NOWNERS];
extern const uint32_t ex_platforms[NPLATFORMS];

typedef struct ex_actor {
    const char *name;
    int kind;
    bool may;            /* may change devices (developer and up, or the scopes) */
    const char *what;
} ex_actor;
extern const ex_actor ex_actors[NACTORS];

/* A record as indexes into the domains. */
typedef struct ex_rec {
    uint8_t C, F, D, R, Q;   /* cloud, firmware, denied, removed, quarantined */
    uint8_t os, owner, platform, development, fwv;
} ex_rec;

typedef struct ex_state {
    ex_rec rec;
    uint8_t ghost;
} ex_state;

typedef enum ex_kind {
    EV_RECONNECT,
    EV_OPERATE,     /* a: operation, b: product index, c: actor */
    EV_FIRMWARE,    /* a: the product its firmware claims */
    EV_DEVICE_OS,   /* a: Device OS */
    EV_OWNER        /* a: owner (a claim, or a user unclaiming) */
} ex_kind;

typedef struct ex_event {
    ex_kind kind;
    uint8_t a, b, c;
} ex_event;

extern ex_event ex_events[MAX_EVENTS];
extern int ex_nevents;

/* What one run knows. */
typedef struct ex_world {
    pp_policy *policy;
    int index;
    int broken;                    /* a break of explore_step.c, or -1 */
    const char *violation;
    unsigned long long checks[NINVARIANTS], checks_total;
    size_t way_back;               /* privileges regained after the way back */
} ex_world;

bool ex_auto(int policy, int p);
bool ex_removed_quarantine(int policy, int p);
void ex_policy_name(char *buf, size_t size, int index);
uint32_t ex_key(const ex_state *s);
ex_state ex_unkey(uint32_t key);
pp_device ex_device(const ex_rec *r);

uint8_t ex_start_ghost(const ex_rec *r);
int ex_break_from_name(const char *name);
/* Apply event ev to s; false on a violation (w->violation names it).  With
 * print, tell the step as a line of a story. */
bool ex_step(ex_world *w, const ex_state *s, int ev, ex_state *next, bool print);
/* Checks of a state on its own: errors fail closed. */
bool ex_check_state(ex_world *w, const ex_state *s);
void ex_print_record(const ex_rec *r, uint8_t ghost);

#endif
