/* ppolicy replay: play a story (replay.h) through the library, step by
 * step: a reconnect is pp_decide then pp_apply_effects, an operator action
 * is pp_operate, a device-side event changes the record itself.  Each step
 * prints its decision or answer and the record after it. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "effects.h"
#include "json.h"
#include "output.h"
#include "records.h"
#include "replay.h"

static const char help[] =
    "Usage: ppolicy replay --policy POLICY.yaml [--format text|json] STORY.yaml\n"
    "\n"
    "Replay a story: a device record and the events that happen to it, each\n"
    "step's decision or answer printed with the record after it.\n"
    "  title: removed, then back with product firmware   # optional\n"
    "  device: {id: ..., platform_id: tracker, device_os: 3.3.1, ...}\n"
    "  events:\n"
    "    - reconnect                  # pp_decide, then store the next record\n"
    "    - {operate: remove_device, actor: NAME, product_id: ID}\n"
    "                                 # api_user: true for an API user\n"
    "    - {flash: ID}                # firmware claiming product ID (0: none);\n"
    "                                 # firmware_version: N\n"
    "    - {device_os: 4.1.0}         # upgrade (or downgrade) Device OS\n"
    "    - {claim: NAME}              # a user claims it (null: unclaimed)\n"
    "Every event may carry a note, printed with its step.  Operations:\n"
    "add_device, approve_quarantined, deny_quarantined, reapprove_denied,\n"
    "remove_device, unclaim_device, mark_development, unmark_development,\n"
    "release_firmware.\n"
    "\n"
    "  -p, --policy FILE   the policy (required)\n"
    PPC_FORMAT_HELP
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 the story was replayed (whatever the answers), 1 the\n"
    "policy is invalid, 2 bad usage, an unreadable or malformed story.\n";

#define STORY_MAX ((size_t)1 << 20) /* bytes of a story file */

/* What one step did. */
typedef struct step {
    const ppc_event *event;
    pp_device before;      /* the record the step started from */
    int decided;           /* a reconnect: d is set */
    pp_decision d;
    int operated;          /* an operator action: t is set */
    pp_transition t;
} step;

/* ---- playing ---- */

static void play(step *st, pp_device *record, const pp_policy *policy, const ppc_event *e)
{
    pp_device next = *record;
    memset(st, 0, sizeof *st);
    st->event = e;
    st->before = *record;
    switch (e->kind) {
    case PPC_EVENT_RECONNECT:
        st->decided = 1;
        pp_decide(&st->d, policy, NULL, record);
        /* A decision with an error writes nothing: next stays the record. */
        if (pp_apply_effects(&next, record, &st->d) != PP_OK)
            next = *record;
        break;
    case PPC_EVENT_OPERATE: {
        st->operated = 1;
        pp_actor actor = { e->actor.s, e->actor.len, e->actor_kind };
        pp_operate(&next, &st->t, policy, NULL, &actor, e->operation, e->product_id, record);
        if (!st->t.applied)
            next = *record;
        break;
    }
    case PPC_EVENT_FLASH:
        next.firmware_product_id = e->product_id;
        next.firmware_version = e->firmware_version;
        break;
    case PPC_EVENT_DEVICE_OS:
        next.device_os = e->text.s;
        next.device_os_len = e->text.len;
        break;
    default: /* claim */
        next.owner = e->text.s;
        next.owner_len = e->text.len;
        break;
    }
    *record = next;
}

/* ---- text ---- */

static void text_event(const ppc_event *e)
{
    ppc_out *o = ppc_stdout();
    switch (e->kind) {
    case PPC_EVENT_RECONNECT:
        ppc_puts(o, "reconnect");
        break;
    case PPC_EVENT_OPERATE:
        ppc_printf(o, "%s in product %" PRIu32 " by %s", pp_operation_name(e->operation), e->product_id,
               e->actor_kind == PP_ACTOR_API_USER ? "API user " : "");
        ppc_json_string(o, e->actor.s, e->actor.len);
        break;
    case PPC_EVENT_FLASH:
        if (e->product_id == 0)
            ppc_puts(o, "flash firmware that claims no product");
        else
            ppc_printf(o, "flash firmware of product %" PRIu32, e->product_id);
        if (e->firmware_version != 0)
            ppc_printf(o, ", version %" PRIu32, e->firmware_version);
        break;
    case PPC_EVENT_DEVICE_OS:
        ppc_puts(o, "Device OS becomes ");
        ppc_json_string(o, e->text.s, e->text.len);
        break;
    default:
        if (e->text.s == NULL) {
            ppc_puts(o, "the owner releases the device (unclaimed)");
        } else {
            ppc_puts(o, "claimed by ");
            ppc_json_string(o, e->text.s, e->text.len);
        }
        break;
    }
}

static void text_names(const char *label, uint32_t bits, const char *(*name)(int))
{
    ppc_out *o = ppc_stdout();
    ppc_printf(o, "    %-12s", label);
    ppc_text_names(o, bits, name);
    ppc_putc(o, '\n');
}

static void text_decision(const pp_decision *d)
{
    ppc_out *o = ppc_stdout();
    ppc_printf(o, "    %-12s%s (reason %s, rule %d), product %" PRIu32 "\n", "decision:",
           pp_outcome_name(d->outcome), pp_reason_name(d->reason), (int)d->rule, d->product_id);
    if (d->error != PP_OK)
        ppc_printf(o, "    %-12s%s: %s\n", "error:", pp_error_name(d->error), pp_error_text(d->error));
    text_names("privileges:", d->privileges, pp_privilege_name);
    text_names("advisories:", d->advisories, pp_advisory_name);
    if (d->limited_in != 0)
        ppc_printf(o, "    %-12slimited in product %" PRIu32 "\n", "status:", d->limited_in);
    ppc_printf(o, "    %-12s", "effects:");
    ppc_text_effects(o, d);
    ppc_putc(o, '\n');
}

static void text_answer(const pp_transition *t)
{
    ppc_out *o = ppc_stdout();
    const pp_authorization *a = &t->authorization;
    ppc_printf(o, "    %-12s%s", "answer:", t->applied ? "applied" : "refused: ");
    if (!t->applied)
        ppc_puts(o, pp_refusal_name(t->refusal));
    ppc_printf(o, " (%s", pp_authz_reason_name(a->reason));
    if (a->role >= 0)
        ppc_printf(o, ", role %s", pp_role_name(a->role));
    if ((a->reason == PP_AUTHZ_ROLE_INSUFFICIENT || a->reason == PP_AUTHZ_NOT_A_TEAM_MEMBER) &&
        a->required_role >= 0)
        ppc_printf(o, ", needs %s", pp_role_name(a->required_role));
    if (a->device_state >= 0)
        ppc_printf(o, ", device %s", pp_device_state_name(a->device_state));
    ppc_puts(o, ")\n");
    if (t->error != PP_OK)
        ppc_printf(o, "    %-12s%s: %s\n", "error:", pp_error_name(t->error), pp_error_text(t->error));
}

static void text_step(size_t n, const step *st, const pp_device *record)
{
    ppc_out *o = ppc_stdout();
    ppc_printf(o, "\n%zu. ", n);
    text_event(st->event);
    ppc_putc(o, '\n');
    if (st->event->note.s != NULL) {
        ppc_puts(o, "    # ");
        ppc_json_string(o, st->event->note.s, st->event->note.len);
        ppc_putc(o, '\n');
    }
    if (st->decided)
        text_decision(&st->d);
    if (st->operated)
        text_answer(&st->t);
    ppc_printf(o, "    %-12s", "record:");
    ppc_text_record(o, record);
    ppc_putc(o, '\n');
}

/* ---- JSON ---- */

static void json_event(const ppc_event *e)
{
    ppc_out *o = ppc_stdout();
    static const char *const kinds[] = { "reconnect", "operate", "flash", "device_os", "claim" };
    ppc_puts(o, "\"event\":");
    ppc_json_cstring(o, kinds[e->kind]);
    ppc_printf(o, ",\"line\":%lu", e->line);
    switch (e->kind) {
    case PPC_EVENT_OPERATE:
        ppc_puts(o, ",\"operation\":");
        ppc_json_cstring(o, pp_operation_name(e->operation));
        ppc_puts(o, ",\"actor\":");
        ppc_json_string(o, e->actor.s, e->actor.len);
        ppc_puts(o, ",\"actor_kind\":");
        ppc_json_cstring(o, pp_actor_kind_name(e->actor_kind));
        ppc_printf(o, ",\"product_id\":%" PRIu32, e->product_id);
        break;
    case PPC_EVENT_FLASH:
        ppc_printf(o, ",\"firmware_product_id\":%" PRIu32 ",\"firmware_version\":%" PRIu32,
               e->product_id, e->firmware_version);
        break;
    case PPC_EVENT_DEVICE_OS:
        ppc_puts(o, ",\"device_os\":");
        ppc_json_string(o, e->text.s, e->text.len);
        break;
    case PPC_EVENT_CLAIM:
        ppc_puts(o, ",\"owner\":");
        ppc_json_string(o, e->text.s, e->text.len);
        break;
    default:
        break;
    }
    if (e->note.s != NULL) {
        ppc_puts(o, ",\"note\":");
        ppc_json_string(o, e->note.s, e->note.len);
    }
}

static void json_error(int code)
{
    ppc_out *o = ppc_stdout();
    if (code == PP_OK)
        return;
    ppc_puts(o, ",\"error_code\":");
    ppc_json_cstring(o, pp_error_name(code));
}

static void json_answer(const pp_transition *t)
{
    ppc_out *o = ppc_stdout();
    const pp_authorization *a = &t->authorization;
    ppc_printf(o, ",\"answer\":{\"applied\":%s,\"refusal\":", t->applied ? "true" : "false");
    ppc_json_cstring(o, pp_refusal_name(t->refusal));
    ppc_printf(o, ",\"allowed\":%s,\"reason\":", a->allowed ? "true" : "false");
    ppc_json_cstring(o, pp_authz_reason_name(a->reason));
    ppc_puts(o, ",\"role\":");
    ppc_json_cstring(o, pp_role_name(a->role));
    ppc_puts(o, ",\"required_role\":");
    ppc_json_cstring(o, pp_role_name(a->required_role));
    ppc_puts(o, ",\"device_state\":");
    ppc_json_cstring(o, pp_device_state_name(a->device_state));
    json_error(t->error);
    ppc_putc(o, '}');
}

static void json_step(size_t n, const step *st, const pp_device *record)
{
    ppc_out *o = ppc_stdout();
    ppc_printf(o, "%s\n{\"step\":%zu,", n == 1 ? "" : ",", n);
    json_event(st->event);
    if (st->decided) {
        /* The decision as decide prints it, for the record it was made for. */
        ppr_record rec;
        memset(&rec, 0, sizeof rec);
        rec.device = st->before;
        rec.error = st->d.error;
        if (st->d.error != PP_OK)
            snprintf(rec.message, sizeof rec.message, "%s", pp_error_text(st->d.error));
        ppc_puts(o, ",\"decision\":{");
        ppc_json_decision(o, &rec, &st->d);
        ppc_putc(o, '}');
    }
    if (st->operated)
        json_answer(&st->t);
    ppc_puts(o, ",\"record\":");
    ppc_json_record(o, record);
    ppc_putc(o, '}');
}

/* ---- the command ---- */

static int replay(const pp_policy *policy, const char *policy_name, const char *story_name,
                  ppc_story *story, int format)
{
    ppc_out *o = ppc_stdout();
    pp_device record = story->device;
    if (format == PPC_JSON) {
        ppc_puts(o, "{\"story\":");
        ppc_json_cstring(o, story_name);
        ppc_puts(o, ",\"title\":");
        ppc_json_string(o, story->title.s, story->title.len);
        ppc_puts(o, ",\"policy\":");
        ppc_json_cstring(o, policy_name);
        ppc_puts(o, ",\"start\":");
        ppc_json_record(o, &record);
        ppc_puts(o, ",\"steps\":[");
    } else {
        if (story->title.s != NULL) {
            ppc_puts(o, "story:  ");
            ppc_json_string(o, story->title.s, story->title.len);
            ppc_putc(o, '\n');
        }
        ppc_printf(o, "policy: %s\n", policy_name);
        ppc_puts(o, "start:  ");
        ppc_text_record(o, &record);
        ppc_putc(o, '\n');
    }
    for (size_t i = 0; i < story->count; i++) {
        step st;
        play(&st, &record, policy, &story->events[i]);
        if (format == PPC_JSON)
            json_step(i + 1, &st, &record);
        else
            text_step(i + 1, &st, &record);
    }
    if (format == PPC_JSON)
        ppc_puts(o, "\n]}\n");
    return PPC_EXIT_OK;
}

int ppc_replay(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy_path = NULL;
    int format = PPC_TEXT, c;
    while ((c = ppc_getopt(argc, argv, "p:o:f:h", longopts, help, &format)) != -1) {
        switch (c) {
        case 'h': return PPC_EXIT_OK;
        case 'p': policy_path = optarg; break;
        default: return PPC_EXIT_USAGE;
        }
    }
    if (policy_path == NULL)
        return ppc_usage_error(argv[0], "--policy is required");
    if (argc - optind != 1)
        return ppc_usage_error(argv[0], "give one story file");
    const char *path = argv[optind];
    if (strcmp(path, "-") == 0 && strcmp(policy_path, "-") == 0)
        return ppc_usage_error(argv[0], "the policy and the story cannot both be standard input");

    pp_policy *policy;
    int rc = ppc_load_policy(policy_path, &policy);
    if (rc != PPC_EXIT_OK)
        return rc;
    char *text = NULL;
    size_t len = 0;
    int err = ppc_read_file(path, STORY_MAX + 1, &text, &len);
    if (err == 0 && len > STORY_MAX)
        err = EFBIG;
    if (err != 0) {
        fprintf(stderr, "ppolicy: cannot read %s: %s\n", path, strerror(err));
        free(text);
        pp_policy_free(policy);
        return PPC_EXIT_USAGE;
    }
    ppc_story story;
    rc = ppc_story_read(&story, policy, ppc_display_name(path), text, len);
    if (rc == PPC_EXIT_OK) {
        rc = replay(policy, ppc_display_name(policy_path), ppc_display_name(path), &story,
                    format);
        ppc_story_free(&story);
    }
    free(text);
    pp_policy_free(policy);
    return rc;
}
