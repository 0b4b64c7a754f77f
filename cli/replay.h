/* ppolicy replay: a story is a device record and the events that happen to
 * it (reconnects, operator actions, firmware, Device OS and owner changes).
 * replay_story.c reads a story file; replay.c plays it through the library
 * and prints each step. */
#ifndef PPC_REPLAY_H
#define PPC_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "particlepolicy.h"

/* What happens at a step. */
typedef enum ppc_event_kind {
    PPC_EVENT_RECONNECT, /* reconnect: pp_decide, then store pp_apply_effects' record */
    PPC_EVENT_OPERATE,   /* operate: an operator action through pp_operate */
    PPC_EVENT_FLASH,     /* flash: firmware that claims a product (or none, 0) */
    PPC_EVENT_DEVICE_OS, /* device_os: a Device OS upgrade (or downgrade) */
    PPC_EVENT_CLAIM      /* claim: a user claims the device (NULL: unclaimed) */
} ppc_event_kind;

/* A string the story owns (NULL: absent). */
typedef struct ppc_text {
    char *s;
    size_t len;
} ppc_text;

typedef struct ppc_event {
    int kind;                     /* ppc_event_kind */
    unsigned long line, column;   /* where the event starts, 1-based */
    ppc_text note;                /* for people; printed with the step */
    int operation;                /* operate: pp_operation */
    ppc_text actor;               /* operate: who */
    int32_t actor_kind;           /* operate: pp_actor_kind */
    uint32_t product_id;          /* operate: the product acted on;
                                     flash: firmware_product_id */
    uint32_t firmware_version;    /* flash: the version flashed (0: none) */
    ppc_text text;                /* device_os: the version; claim: the owner */
} ppc_event;

typedef struct ppc_story {
    ppc_text title;
    pp_device device;             /* the start record; strings in fields */
    ppc_text fields[4];           /* id, sku, device_os, owner */
    ppc_event *events;
    size_t count, capacity;
} ppc_story;

/* Stories are small; a file with more events is refused. */
#define PPC_STORY_MAX_EVENTS 10000

/* Read the story in text[0..len) (name: how to call it in errors),
 * platform names by policy.  Problems are reported on standard error as
 * NAME:LINE:COLUMN: error: MESSAGE.  Returns PPC_EXIT_OK, or PPC_EXIT_USAGE
 * (malformed story, out of memory) with *story freed. */
int ppc_story_read(ppc_story *story, const pp_policy *policy, const char *name,
                   const char *text, size_t len);
void ppc_story_free(ppc_story *story);

#endif
