/*
 * The exhaustive lifecycle explorer (docs/lifecycle.md, "The explorer").
 *
 * Breadth-first over every sequence of events, up to a depth, from every
 * start record of small finite domains, under each policy of a small set,
 * with duplicate states merged.  The events are real library calls on the
 * public API: a reconnect is pp_decide then pp_apply_effects, an operator
 * action is pp_operate; device-side events (firmware, Device OS, owner) are
 * record changes made here.  Ghost bits beside the record remember what the
 * record may have forgotten (removed from P, denied in P, left P's Denied
 * list on non-product firmware), and six invariants are checked at every
 * step.  On a violation it prints the shortest event sequence reaching it.
 *
 *   explore [--depth N] [--starts fresh|all] [--policy I,J,...] [--break NAME] [-q]
 *
 * --depth 0 explores until no new state appears.  --break NAME breaks one
 * transition in the event application below (tests/explore.sh shows each is
 * caught).  Exit status: 0 all invariants hold, 1 a violation, 2 usage.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "particlepolicy.h"

#include "explore.h"

/* ---- the domains ---- */

const uint32_t ex_products[NPRODUCTS] = { 0, 100, 200, 999 };  /* none, P1, P2, unknown */
const char *const ex_os[NOS] = { "3.3.1", "4.0.0-beta.1", "5.6.0" };
const bool ex_legacy[NOS] = { true, false, false };
const char *const ex_owners[NOWNERS] = { NULL, "tina", "mallory" }; /* team member, outsider */
const uint32_t ex_platforms[NPLATFORMS] = { 23, 13, 14 };  /* fits P1 (bsom), P2 (boron), neither */

const ex_actor ex_actors[NACTORS] = {
    { "olivia", PP_ACTOR_HUMAN, true, "owner" },
    { "adam", PP_ACTOR_HUMAN, true, "administrator" },
    { "dev", PP_ACTOR_HUMAN, true, "developer" },
    { "sam", PP_ACTOR_HUMAN, false, "support" },
    { "vera", PP_ACTOR_HUMAN, false, "view-only" },
    { "mallory", PP_ACTOR_HUMAN, false, "outsider" },
    { "ci", PP_ACTOR_API_USER, true, "API user with the scopes" },
    { "reader", PP_ACTOR_API_USER, false, "API user without them" },
};

/* Product settings by policy index: bit 0/1 P1 auto-approve / removed
 * quarantine, bit 2/3 the same for P2, bit 4 both release firmware 5. */
bool ex_auto(int policy, int p) { return policy >> (p == 1 ? 0 : 2) & 1; }
bool ex_removed_quarantine(int policy, int p) { return policy >> (p == 1 ? 1 : 3) & 1; }
static bool released(int policy) { return policy >> 4 & 1; }

static pp_policy *load_policy(int index)
{
    char text[2048], rel[32] = "";
    if (released(index))
        snprintf(rel, sizeof rel, ", released_firmware: %d", EX_RELEASED);
    snprintf(text, sizeof text,
             "version: 1\n"
             "organizations:\n"
             "  - name: acme\n"
             "    members:\n"
             "      - {user: olivia, role: owner, two_step: true}\n"
             "      - {user: adam, role: administrator, two_step: true}\n"
             "      - {user: dev, role: developer, two_step: true}\n"
             "      - {user: sam, role: support, two_step: true}\n"
             "      - {user: vera, role: view_only, two_step: true}\n"
             "      - {user: tina, role: view_only, two_step: true}\n"
             "    api_users:\n"
             "      - {name: ci, scopes: ['devices:import', 'devices:remove',\n"
             "                            'devices:update', 'firmware:release']}\n"
             "      - {name: reader, scopes: ['devices:list']}\n"
             "products:\n"
             "  - {id: 100, name: P1, organization: acme, family: bsom,\n"
             "     unrecognized_devices: %s, removed_devices: %s%s}\n"
             "  - {id: 200, name: P2, organization: acme, family: boron,\n"
             "     unrecognized_devices: %s, removed_devices: %s%s}\n",
             ex_auto(index, 1) ? "auto_approve" : "quarantine",
             ex_removed_quarantine(index, 1) ? "quarantine" : "deny",
             rel,
             ex_auto(index, 2) ? "auto_approve" : "quarantine",
             ex_removed_quarantine(index, 2) ? "quarantine" : "deny",
             rel);
    pp_policy *p = NULL;
    pp_error err;
    if (pp_policy_load(&p, text, strlen(text), NULL, &err) != PP_OK) {
        fprintf(stderr, "explore: policy %d: %u:%u: %s\n", index, err.line, err.column,
                err.message);
        exit(2);
    }
    return p;
}

void ex_policy_name(char *buf, size_t size, int index)
{
    snprintf(buf, size, "P1 %s/removed %s, P2 %s/removed %s, %s",
             ex_auto(index, 1) ? "auto_approve" : "quarantine",
             ex_removed_quarantine(index, 1) ? "quarantine" : "deny",
             ex_auto(index, 2) ? "auto_approve" : "quarantine",
             ex_removed_quarantine(index, 2) ? "quarantine" : "deny",
             released(index) ? "released firmware 5" : "no released firmware");
}

/* ---- states: a record of the domains plus ghost bits, as one number ---- */

uint32_t ex_key(const ex_state *s)
{
    const ex_rec *r = &s->rec;
    uint32_t k = r->C;
    k = k * NPRODUCTS + r->F;
    k = k * NPRODUCTS + r->D;
    k = k * NPRODUCTS + r->R;
    k = k * NPRODUCTS + r->Q;
    k = k * NOS + r->os;
    k = k * NOWNERS + r->owner;
    k = k * NPLATFORMS + r->platform;
    k = k * 2 + r->development;
    k = k * 2 + r->fwv;
    return k * NGHOSTS + s->ghost;
}

ex_state ex_unkey(uint32_t k)
{
    ex_state s;
    ex_rec *r = &s.rec;
    s.ghost = (uint8_t)(k % NGHOSTS), k /= NGHOSTS;
    r->fwv = (uint8_t)(k % 2), k /= 2;
    r->development = (uint8_t)(k % 2), k /= 2;
    r->platform = (uint8_t)(k % NPLATFORMS), k /= NPLATFORMS;
    r->owner = (uint8_t)(k % NOWNERS), k /= NOWNERS;
    r->os = (uint8_t)(k % NOS), k /= NOS;
    r->Q = (uint8_t)(k % NPRODUCTS), k /= NPRODUCTS;
    r->R = (uint8_t)(k % NPRODUCTS), k /= NPRODUCTS;
    r->D = (uint8_t)(k % NPRODUCTS), k /= NPRODUCTS;
    r->F = (uint8_t)(k % NPRODUCTS), k /= NPRODUCTS;
    r->C = (uint8_t)k;
    return s;
}

#define ID "e00fce68a1b2c3d4e5f60718"

pp_device ex_device(const ex_rec *r)
{
    pp_device d;
    memset(&d, 0, sizeof d);
    d.id = ID;
    d.id_len = strlen(ID);
    d.device_os = ex_os[r->os];
    d.device_os_len = strlen(d.device_os);
    d.owner = ex_owners[r->owner];
    d.owner_len = d.owner ? strlen(d.owner) : 0;
    d.platform_id = ex_platforms[r->platform];
    d.cloud_product_id = ex_products[r->C];
    d.firmware_product_id = ex_products[r->F];
    d.denied_in = ex_products[r->D];
    d.removed_from = ex_products[r->R];
    d.quarantined_in = ex_products[r->Q];
    d.firmware_version = r->fwv ? EX_RELEASED : 0;
    d.development = r->development;
    return d;
}

/* ---- events ---- */

ex_event ex_events[MAX_EVENTS];
int ex_nevents;

static void add_event(ex_kind kind, int a, int b, int c)
{
    ex_events[ex_nevents++] = (ex_event){ kind, (uint8_t)a, (uint8_t)b, (uint8_t)c };
}

static void build_events(void)
{
    add_event(EV_RECONNECT, 0, 0, 0);
    for (int op = 0; pp_operation_name(op) != NULL; op++) {
        for (int p = 1; p <= 2; p++)
            for (int a = 0; a < NACTORS; a++)
                add_event(EV_OPERATE, op, p, a);
        add_event(EV_OPERATE, op, 3, 0);  /* the unknown product, by the owner */
    }
    for (int f = 0; f < NPRODUCTS; f++)
        add_event(EV_FIRMWARE, f, 0, 0);
    for (int o = 0; o < NOS; o++)
        add_event(EV_DEVICE_OS, o, 0, 0);
    for (int w = 0; w < NOWNERS; w++)
        add_event(EV_OWNER, w, 0, 0);
}

/* ---- the run ---- */

typedef struct queue {
    uint32_t *key, *parent;
    uint16_t *event;
    size_t n, cap;
} queue;

static void push(queue *q, uint32_t key, uint32_t parent, uint16_t event)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 1u << 16;
        q->key = realloc(q->key, q->cap * sizeof *q->key);
        q->parent = realloc(q->parent, q->cap * sizeof *q->parent);
        q->event = realloc(q->event, q->cap * sizeof *q->event);
        if (!q->key || !q->parent || !q->event) {
            fprintf(stderr, "explore: out of memory at %zu states\n", q->n);
            exit(2);
        }
    }
    q->key[q->n] = key;
    q->parent[q->n] = parent;
    q->event[q->n] = event;
    q->n++;
}

/* The shortest sequence to the state at index i, then the failing event. */
static void print_story(ex_world *w, const queue *q, size_t i, int last_event)
{
    size_t path[256];
    int n = 0;
    for (size_t j = i; j != UINT32_MAX && n < 256; j = q->parent[j])
        path[n++] = j;
    ex_state s = ex_unkey(q->key[path[n - 1]]);
    printf("story (%d event%s):\n  start: ", n, n == 1 ? "" : "s");
    ex_print_record(&s.rec, s.ghost);
    for (int k = n - 2; k >= (last_event < 0 ? 0 : -1); k--) {
        int ev = k >= 0 ? q->event[path[k]] : last_event;
        printf("  %d. ", n - 1 - k);
        ex_state next;
        ex_step(w, &s, ev, &next, true);
        s = next;
    }
    if (last_event < 0) {
        ex_check_state(w, &s);
        printf("  this state: %s\n", w->violation);
    }
}

static int violated(ex_world *w, const queue *q, size_t i, int ev)
{
    char name[160];
    ex_policy_name(name, sizeof name, w->index);
    printf("VIOLATION of %s\nunder policy %d (%s)\n", w->violation, w->index, name);
    print_story(w, q, i, ev);
    return 1;
}

/* One run over the chosen policies, and its figures. */
typedef struct run {
    int depth;              /* 0: until no new state */
    bool all_starts, quiet;
    uint8_t *seen;          /* a bit per possible state */
    queue q;
    size_t states, starts;
    unsigned long long transitions;
    int deepest, way_back_policies;
} run;

static bool seen_before(run *r, uint32_t k)
{
    uint8_t bit = (uint8_t)(1u << (k % 8));
    if (r->seen[k / 8] & bit)
        return true;
    r->seen[k / 8] |= bit;
    return false;
}

/* Breadth first under policy w->index; 0, or 1 after telling the story of
 * the first violation. */
static int explore_policy(ex_world *w, run *r)
{
    queue *q = &r->q;
    memset(r->seen, 0, (size_t)NRECORDS * NGHOSTS / 8 + 1);
    q->n = 0;
    w->way_back = 0;
    for (uint32_t rec = 0; rec < NRECORDS; rec++) {
        ex_state s = ex_unkey(rec * NGHOSTS);
        if (!r->all_starts && (s.rec.C || s.rec.D || s.rec.R || s.rec.Q || s.rec.development ||
                               s.rec.fwv))
            continue;  /* fresh: a device the cloud has never acted on */
        s.ghost = ex_start_ghost(&s.rec);
        uint32_t k = ex_key(&s);
        seen_before(r, k);
        push(q, k, UINT32_MAX, 0);
    }
    r->starts = q->n;
    size_t level_start = 0, level_end = q->n;
    int d = 0;
    for (;; d++) {
        bool expand = level_start < level_end && (r->depth == 0 || d < r->depth);
        for (size_t i = level_start; i < level_end; i++) {
            ex_state s = ex_unkey(q->key[i]);
            if (!ex_check_state(w, &s))
                return violated(w, q, i, -1);
            for (int ev = 0; expand && ev < ex_nevents; ev++) {
                ex_state next;
                r->transitions++;
                if (!ex_step(w, &s, ev, &next, false))
                    return violated(w, q, i, ev);
                uint32_t k = ex_key(&next);
                if (!seen_before(r, k))
                    push(q, k, (uint32_t)i, (uint16_t)ev);
            }
        }
        if (!expand)
            break;
        level_start = level_end;
        level_end = q->n;
    }
    if (d > r->deepest)
        r->deepest = d;
    r->states += q->n;
    r->way_back_policies += w->way_back > 0;
    if (!r->quiet) {
        char name[160];
        ex_policy_name(name, sizeof name, w->index);
        printf("policy %2d (%s): %zu states, depth %d%s, way back reached %zu times\n", w->index,
               name, q->n, d, level_start == level_end ? " (closed)" : "", w->way_back);
    }
    /* Closed: the way back exists exactly where a product auto-approves. */
    if (level_start == level_end &&
        (w->way_back > 0) != (ex_auto(w->index, 1) || ex_auto(w->index, 2))) {
        printf("VIOLATION: the way back was %sreached under policy %d\n",
               w->way_back ? "" : "not ", w->index);
        return 1;
    }
    return 0;
}

static void print_figures(const ex_world *w, const run *r, double seconds)
{
    printf("start records per policy: %zu\n", r->starts);
    printf("states explored: %zu\n", r->states);
    printf("transitions: %llu\n", r->transitions);
    printf("invariants checked: %llu", w->checks_total);
    for (int i = 0; i < NINVARIANTS; i++)
        printf("%sinv%d %llu", i ? ", " : " (", i + 1, w->checks[i]);
    printf(")\n");
    printf("way back (left the Denied list on non-product firmware, later admitted without an "
           "approval): reached under %d policies\n", r->way_back_policies);
    printf("deepest level: %d\n", r->deepest);
    printf("time: %.1f s\n", seconds);
}

/* A comma-separated list of policy indexes as bits; 0 when malformed. */
static uint32_t policy_list(const char *text)
{
    uint32_t chosen = 0;
    for (const char *p = text;;) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v >= NPOLICIES || (*end != ',' && *end != 0))
            return 0;
        chosen |= 1u << v;
        if (*end == 0)
            return chosen;
        p = end + 1;
    }
}

int main(int argc, char **argv)
{
    run r;
    memset(&r, 0, sizeof r);
    r.depth = 6;
    uint32_t chosen = UINT32_MAX;  /* every policy */
    ex_world w;
    memset(&w, 0, sizeof w);
    w.broken = -1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "-q") == 0) {
            r.quiet = true;
            continue;
        }
        if (value == NULL)
            goto usage;
        i++;
        if (strcmp(arg, "--depth") == 0 && (r.depth = atoi(value)) >= 0)
            continue;
        if (strcmp(arg, "--starts") == 0 && (strcmp(value, "all") == 0 ||
                                             strcmp(value, "fresh") == 0)) {
            r.all_starts = strcmp(value, "all") == 0;
            continue;
        }
        if (strcmp(arg, "--policy") == 0 && (chosen = policy_list(value)) != 0)
            continue;
        if (strcmp(arg, "--break") == 0 && (w.broken = ex_break_from_name(value)) >= 0)
            continue;
        goto usage;
    }
    build_events();
    int npolicies = 0;
    for (int i = 0; i < NPOLICIES; i++)
        npolicies += chosen >> i & 1;
    char depth_text[16] = "unbounded";
    if (r.depth > 0)
        snprintf(depth_text, sizeof depth_text, "%d", r.depth);
    printf("explore: depth %s, %s start records, %d events per state, %d policies\n",
           depth_text, r.all_starts ? "all" : "fresh", ex_nevents, npolicies);

    clock_t started = clock();
    r.seen = malloc((size_t)NRECORDS * NGHOSTS / 8 + 1);
    if (r.seen == NULL)
        return 2;
    int status = 0;
    for (int pi = 0; pi < NPOLICIES && status == 0; pi++) {
        if (!(chosen >> pi & 1))
            continue;
        w.index = pi;
        w.policy = load_policy(pi);
        status = explore_policy(&w, &r);
        pp_policy_free(w.policy);
    }
    if (status == 0) {
        print_figures(&w, &r, (double)(clock() - started) / CLOCKS_PER_SEC);
        printf("all invariants hold\n");
    }
    free(r.seen);
    free(r.q.key);
    free(r.q.parent);
    free(r.q.event);
    return status;

usage:
    fprintf(stderr, "usage: explore [--depth N] [--starts fresh|all] [--policy I,J,... (0-%d)] "
                    "[--break NAME] [-q]\n", NPOLICIES - 1);
    return 2;
}
