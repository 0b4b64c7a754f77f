/* ppolicy authorize: may this operator do that, on this product and device?
 * One request from the command line, or a stream of request records, each
 * answered by pp_authorize as one JSON object. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fields.h"
#include "json.h"
#include "output.h"
#include "records.h"

static const char help[] =
    "Usage: ppolicy authorize --policy POLICY.yaml --actor NAME [--api-user]\n"
    "                         --action ACTION --product ID [DEVICE]\n"
    "       ppolicy authorize --policy POLICY.yaml --batch [REQUESTS]\n"
    "\n"
    "May the operator NAME (a person, or with --api-user an API user) perform\n"
    "ACTION on product ID and, for actions on a device, on DEVICE as it stands?\n"
    "DEVICE is a device record as for `decide`: inline when it starts with `{`\n"
    "or holds `: `, else a file holding one record; `-` is standard input.\n"
    "\n"
    "Actions: view_devices, call_function, change_sim, add_device,\n"
    "approve_quarantined, deny_quarantined, reapprove_denied, remove_device,\n"
    "unclaim_device, mark_development, flash_device, release_firmware,\n"
    "manage_integrations, manage_team, change_settings, billing.\n"
    "\n"
    "Prints one JSON object:\n"
    "  {\"actor\":...,\"actor_kind\":...,\"action\":...,\"product_id\":P,\n"
    "   \"allowed\":true|false,\"reason\":...,\"role\":...,\"required_role\":...,\n"
    "   \"required_scope\":...,\"device_state\":...,\"ota_update_pending\":...}\n"
    "plus \"error_code\" and \"error\" for invalid input (denied, invalid_input).\n"
    "\n"
    "With --batch, reads request records from REQUESTS (standard input when\n"
    "absent or `-`; YAML, JSON or JSON Lines, a list or a stream of documents):\n"
    "  {actor: NAME, api_user: false, action: ACTION, product_id: ID,\n"
    "   device: {id: ..., device_os: ..., ...}, note: ignored}\n"
    "and prints one JSON object per request, in input order, starting with\n"
    "\"request\":N.  A malformed request is denied (invalid_input); the run goes on.\n"
    "\n"
    "  -p, --policy FILE   the policy (required)\n"
    "      --actor NAME    who acts (exact name, case matters)\n"
    "      --api-user      the actor is an API user (scopes, no role)\n"
    "      --action ACTION what the actor wants to do\n"
    "      --product ID    the product acted on\n"
    "      --batch         read request records instead\n"
    PPC_FORMAT_HELP
    "                      (the answers are JSON in either format)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 allowed (--batch: 0 whatever the answers), 1 the policy is\n"
    "invalid, 2 bad usage, unreadable input or input that is not well-formed,\n"
    "3 denied (also for an invalid device record), 4 the output cannot be\n"
    "written.\n";

#define ACTION_MAX 64

/* A request as read, before pp_authorize. */
typedef struct request {
    const char *actor;   /* NULL: absent */
    size_t actor_len;
    int32_t kind;
    const char *action;  /* the action as given; NULL: absent */
    size_t action_len;
    uint32_t product_id;
} request;

/* One answer.  number 0: the single form (no "request" key).  a NULL: the
 * request was malformed (error_code and message say why). */
static void print_answer(uint64_t number, const request *q, const pp_authorization *a,
                         int error_code, const char *message)
{
    ppc_json j;
    ppc_json_start(&j, ppc_stdout());
    ppc_json_object(&j);
    if (number > 0) {
        ppc_json_key(&j, "request");
        ppc_json_uint(&j, number);
    }
    ppc_json_key(&j, "actor");
    ppc_json_str(&j, q->actor, q->actor_len);
    ppc_json_key(&j, "actor_kind");
    ppc_json_cstr(&j, pp_actor_kind_name(q->kind));
    ppc_json_key(&j, "action");
    ppc_json_str(&j, q->action, q->action_len);
    ppc_json_key(&j, "product_id");
    ppc_json_uint(&j, q->product_id);
    ppc_json_key(&j, "allowed");
    ppc_json_bool(&j, a != NULL && a->allowed);
    ppc_json_key(&j, "reason");
    ppc_json_cstr(&j, pp_authz_reason_name(a != NULL ? a->reason : PP_AUTHZ_INVALID_INPUT));
    ppc_json_key(&j, "role");
    ppc_json_cstr(&j, a != NULL ? pp_role_name(a->role) : NULL);
    ppc_json_key(&j, "required_role");
    ppc_json_cstr(&j, a != NULL ? pp_role_name(a->required_role) : NULL);
    ppc_json_key(&j, "required_scope");
    ppc_json_cstr(&j, a != NULL ? a->required_scope : NULL);
    ppc_json_key(&j, "device_state");
    ppc_json_cstr(&j, a != NULL ? pp_device_state_name(a->device_state) : NULL);
    ppc_json_key(&j, "ota_update_pending");
    ppc_json_bool(&j, a != NULL && a->ota_update_pending);
    if (error_code != PP_OK) {
        ppc_json_key(&j, "error_code");
        ppc_json_cstr(&j, pp_error_name(error_code));
        ppc_json_key(&j, "error");
        ppc_json_cstr(&j, message);
    }
    ppc_json_end(&j);
    ppc_json_finish(&j);
}

/* Ask pp_authorize and print the answer; returns allowed. */
static int answer(uint64_t number, const request *q, int action, const pp_policy *policy,
                  const pp_device *device)
{
    pp_actor who = { q->actor, q->actor_len, q->kind };
    pp_authorization a;
    pp_authorize(&a, policy, NULL, &who, action, q->product_id, device);
    char message[PPR_MESSAGE_SIZE] = "";
    if (a.error != PP_OK) {
        const char *why = pp_error_text(a.error);
        if (number > 0)
            snprintf(message, sizeof message, "request %" PRIu64 ": %s", number,
                     why != NULL ? why : "invalid input");
        else
            snprintf(message, sizeof message, "%s", why != NULL ? why : "invalid input");
    }
    print_answer(number, q, &a, a.error, message);
    return a.allowed;
}

/* ---- the batch form ---- */

enum { F_ACTOR, F_API_USER, F_ACTION, F_PRODUCT_ID, F_DEVICE, F_NOTE };
static const char *const request_fields[] = {
    "actor", "api_user", "action", "product_id", "device", "note", NULL,
};

/* Read one request (start: its first event, consumed) and answer it. */
static int read_request(ppr_reader *r, const ppr_event *start, uint64_t number,
                        const pp_policy *policy)
{
    char actor[PPR_MAX_STRING], action[ACTION_MAX];
    request q;
    memset(&q, 0, sizeof q);
    ppc_problem pb;
    pb.code = PP_OK;
    ppr_record rec;
    int has_device = 0, act = -1;
    ppr_position at = start->at;
    if (start->type != PPR_MAPPING_START) {
        ppc_problem_note(&pb, PP_ERR_WRONG_TYPE, NULL, at, "expected a mapping (a request)");
        if (ppr_skip_node(r, start) < 0)
            return -1;
    } else {
        uint32_t seen = 0;
        ppr_event v;
        int f;
        while ((f = ppc_next_field(r, &pb, request_fields, &seen, &v)) >= 0) {
            const char *s = NULL;
            size_t n = 0;
            uint64_t id = 0;
            switch (f) {
            case F_ACTOR:
                ppc_value_string(&pb, "actor", &v, sizeof actor, &s, &n);
                if (s != NULL) {
                    memcpy(actor, s, n);
                    q.actor = actor;
                    q.actor_len = n;
                }
                break;
            case F_API_USER:
                ppc_value_bool(&pb, "api_user", &v, &q.kind);
                break;
            case F_ACTION:
                ppc_value_string(&pb, "action", &v, sizeof action, &s, &n);
                if (s != NULL) {
                    memcpy(action, s, n);
                    q.action = action;
                    q.action_len = n;
                    act = pp_action_from_name(s, n);
                    if (act < 0)
                        ppc_problem_note(&pb, PP_ERR_UNKNOWN_NAME, "action", v.at,
                                         "unknown action (see `ppolicy authorize --help`)");
                }
                break;
            case F_PRODUCT_ID:
                ppc_value_integer(&pb, "product_id", &v, UINT32_MAX, &id);
                q.product_id = (uint32_t)id;
                break;
            case F_DEVICE:
                if (ppr_scalar_null(&v))
                    break;
                /* The device record reader takes the value from here. */
                if (ppr_read_record(r, &v, &rec) < 0)
                    return -1;
                has_device = 1;
                if (rec.error != PP_OK && pb.code == PP_OK) {
                    pb.code = rec.error;
                    snprintf(pb.detail, sizeof pb.detail, "device%s", ppr_message_detail(&rec));
                }
                continue;
            default: /* note: for people */
                break;
            }
            if (ppr_skip_node(r, &v) < 0)
                return -1;
        }
        if (f == PPC_FIELDS_FATAL)
            return -1;
        if (q.actor == NULL)
            ppc_problem_note(&pb, PP_ERR_MISSING_KEY, "actor", at, "required");
        if (q.action == NULL)
            ppc_problem_note(&pb, PP_ERR_MISSING_KEY, "action", at, "required");
    }
    if (pb.code != PP_OK) {
        char message[PPR_MESSAGE_SIZE + 32];
        snprintf(message, sizeof message, "request %" PRIu64 ": %s", number, pb.detail);
        print_answer(number, &q, NULL, pb.code, message);
        return 1;
    }
    answer(number, &q, act, policy, has_device ? &rec.device : NULL);
    return 1;
}

static int authorize_batch(const pp_policy *policy, int fd, const char *name)
{
    ppr_reader *r = ppr_reader_new(policy, ppc_read_flushing, &fd);
    if (r == NULL) {
        fprintf(stderr, "ppolicy authorize: out of memory\n");
        return PPC_EXIT_USAGE;
    }
    uint64_t number = 0;
    int in_list = 0, rc = 0;
    while (rc >= 0) {
        ppr_event ev;
        if (ppr_event_next(r, &ev) < 0) {
            rc = -1;
            break;
        }
        int take = 0;
        switch (ev.type) {
        case PPR_STREAM_END:
            rc = 1;
            break;
        case PPR_SEQUENCE_START: /* a document that is a list of requests */
            take = in_list;
            in_list = 1;
            break;
        case PPR_SEQUENCE_END:
            in_list = 0;
            break;
        case PPR_SCALAR: /* an empty document holds no request */
            take = in_list || !ppr_scalar_null(&ev);
            break;
        case PPR_MAPPING_START:
        case PPR_ALIAS:
            take = 1;
            break;
        default:
            break;
        }
        if (take) {
            rc = read_request(r, &ev, ++number, policy) < 0 ? -1 : 0;
            if (ppc_stdout()->error != 0)
                break; /* the reader is gone: stop now */
            continue;
        }
        if (rc > 0)
            break;
    }
    int status = PPC_EXIT_OK;
    if (rc < 0) {
        const pp_error *e = ppr_reader_error(r);
        ppc_flush(ppc_stdout()); /* the answers so far come first */
        fprintf(stderr, "%s:%lu:%lu: error: %s\n", name, (unsigned long)e->line,
                (unsigned long)e->column, e->message);
        status = PPC_EXIT_USAGE;
    }
    ppr_reader_free(r);
    return status;
}

/* ---- the single form ---- */

/* Read exactly one device record from arg and answer.  Returns an exit
 * status. */
static int authorize_device(const pp_policy *policy, const request *q, int action,
                            const char *arg)
{
    int inline_text = ppc_is_inline(arg), from_stdin = strcmp(arg, "-") == 0;
    const char *name = inline_text ? "<inline>" : ppc_display_name(arg);
    int fd = inline_text || from_stdin ? STDIN_FILENO : open(arg, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "ppolicy: cannot read %s: %s\n", arg, strerror(errno));
        return PPC_EXIT_USAGE;
    }
    ppr_reader *r = inline_text ? ppr_reader_new_string(policy, arg, strlen(arg))
                                : ppr_reader_new_fd(policy, fd);
    ppr_record rec, extra;
    pp_authorization a;
    /* got: 1 a record, 0 none, -1 fatal, -2 more than one, -3 no memory. */
    int got = r == NULL ? -3 : ppr_next(r, &rec);
    if (got > 0 && rec.error == PP_OK) {
        /* Ask before reading on: the record's strings live in the reader
         * only until its next call. */
        pp_actor who = { q->actor, q->actor_len, q->kind };
        pp_authorize(&a, policy, NULL, &who, action, q->product_id, &rec.device);
    }
    if (got > 0) {
        int more = ppr_next(r, &extra);
        got = more == 0 ? 1 : more > 0 ? -2 : -1;
    }
    int rc = PPC_EXIT_USAGE;
    if (got > 0 && rec.error != PP_OK) {
        char message[PPR_MESSAGE_SIZE + 8];
        snprintf(message, sizeof message, "device%s", ppr_message_detail(&rec));
        print_answer(0, q, NULL, rec.error, message);
        rc = PPC_EXIT_DENIED;
    } else if (got > 0) {
        const char *why = a.error == PP_OK ? "" : pp_error_text(a.error);
        print_answer(0, q, &a, a.error, why != NULL ? why : "invalid input");
        rc = a.allowed ? PPC_EXIT_OK : PPC_EXIT_DENIED;
    } else if (got == -3) {
        fprintf(stderr, "ppolicy authorize: out of memory\n");
    } else if (got == 0) {
        fprintf(stderr, "ppolicy authorize: %s holds no device record\n", name);
    } else if (got == -2) {
        fprintf(stderr, "ppolicy authorize: %s holds more than one device record; "
                        "use --batch for many requests\n", name);
    } else {
        const pp_error *e = ppr_reader_error(r);
        fprintf(stderr, "%s:%lu:%lu: error: %s\n", name, (unsigned long)e->line,
                (unsigned long)e->column, e->message);
    }
    ppr_reader_free(r);
    if (fd != STDIN_FILENO)
        close(fd);
    return rc;
}

/* The product ID of --product, with the record reader's integer syntax. */
static int parse_product(const char *arg, uint32_t *out)
{
    uint64_t v = 0;
    if (ppr_text_integer(arg, strlen(arg), UINT32_MAX, &v) != PP_OK)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

int ppc_authorize(int argc, char **argv)
{
    enum { ACTOR = 256, API_USER, ACTION, PRODUCT, BATCH };
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        { "actor", required_argument, NULL, ACTOR },
        { "api-user", no_argument, NULL, API_USER },
        { "action", required_argument, NULL, ACTION },
        { "product", required_argument, NULL, PRODUCT },
        { "batch", no_argument, NULL, BATCH },
        PPC_FORMAT_OPTION,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *policy_path = NULL, *action_name = NULL, *product = NULL;
    request q;
    memset(&q, 0, sizeof q);
    int batch = 0, format = PPC_TEXT, c;
    while ((c = ppc_getopt(argc, argv, "p:o:h", longopts, help, &format)) != -1) {
        switch (c) {
        case 'h': return PPC_EXIT_OK;
        case 'p': policy_path = optarg; break;
        case ACTOR: q.actor = optarg; q.actor_len = strlen(optarg); break;
        case API_USER: q.kind = PP_ACTOR_API_USER; break;
        case ACTION: action_name = optarg; break;
        case PRODUCT: product = optarg; break;
        case BATCH: batch = 1; break;
        default: return PPC_EXIT_USAGE;
        }
    }
    if (policy_path == NULL)
        return ppc_usage_error(argv[0], "--policy is required");
    if (argc - optind > 1)
        return ppc_usage_error(argv[0], "unexpected argument '%s'", argv[optind + 1]);
    const char *input = optind < argc ? argv[optind] : NULL;
    int action = -1;
    if (batch) {
        if (q.actor != NULL || q.kind != PP_ACTOR_HUMAN || action_name != NULL || product != NULL)
            return ppc_usage_error(argv[0], "--batch reads actor, action and product from "
                                            "the requests: drop --actor, --api-user, "
                                            "--action and --product");
        if (input == NULL)
            input = "-";
    } else {
        if (q.actor == NULL || action_name == NULL || product == NULL)
            return ppc_usage_error(argv[0], "give --actor, --action and --product (or --batch)");
        action = pp_action_from_name(action_name, strlen(action_name));
        if (action < 0)
            return ppc_usage_error(argv[0], "unknown action '%s'", action_name);
        q.action = action_name;
        q.action_len = strlen(action_name);
        if (!parse_product(product, &q.product_id))
            return ppc_usage_error(argv[0], "--product: expected a decimal product ID, "
                                            "found '%s'", product);
    }
    if (input != NULL && strcmp(input, "-") == 0 && strcmp(policy_path, "-") == 0)
        return ppc_usage_error(argv[0], "the policy and the %s cannot both be standard input",
                               batch ? "requests" : "device");

    pp_policy *policy;
    int rc = ppc_load_policy(policy_path, &policy);
    if (rc != PPC_EXIT_OK)
        return rc;
    if (batch) {
        int fd = strcmp(input, "-") == 0 ? STDIN_FILENO : open(input, O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "ppolicy: cannot read %s: %s\n", input, strerror(errno));
            rc = PPC_EXIT_USAGE;
        } else {
            rc = authorize_batch(policy, fd, ppc_display_name(input));
            if (fd != STDIN_FILENO)
                close(fd);
        }
    } else if (input != NULL) {
        rc = authorize_device(policy, &q, action, input);
    } else {
        rc = answer(0, &q, action, policy, NULL) ? PPC_EXIT_OK : PPC_EXIT_DENIED;
    }
    pp_policy_free(policy);
    return rc;
}
