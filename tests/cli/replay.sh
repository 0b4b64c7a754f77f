#!/bin/sh
# ppolicy replay: every story of examples/stories replayed against the
# example policy, golden in text and JSON; the records each story must end
# in, checked from the JSON apart from the goldens; a reconnect's record
# equals decide --next-record's; malformed stories reported with line and
# column; usage errors.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$top_srcdir"

stories="quarantine-then-approve quarantine-deny-reapprove remove-then-reconnect
auto-approve-unowned device-os-4-not-pre-added non-product-firmware-way-back"
for s in $stories; do
    expect_status 0 "$PPOLICY" replay --policy examples/policy.yaml "examples/stories/$s.yaml"
    golden "replay-$s.out" "$TMP/out"
    checks=$((checks + 1))
    [ ! -s "$TMP/err" ] || fail "replay $s wrote to stderr"
    expect_status 0 "$PPOLICY" replay -p examples/policy.yaml --format json "examples/stories/$s.yaml"
    golden "replay-$s.json" "$TMP/out"
    cp "$TMP/out" "$TMP/long-option.json"
    expect_status 0 "$PPOLICY" replay -p examples/policy.yaml -o json "examples/stories/$s.yaml"
    checks=$((checks + 1))
    cmp -s "$TMP/out" "$TMP/long-option.json" || fail "replay -o json differs from --format json"
    cp "$TMP/out" "$TMP/$s.json"
done

# What each passage says must happen, step by step (outcome, effects, the
# answer, and the lists the record is on afterwards).
checks=$((checks + 1))
python3 - "$TMP" <<'PY' || fail "a story does not end where its passage says"
import json, os, sys
tmp = sys.argv[1]
def steps(name):
    with open(os.path.join(tmp, name + ".json"), "rb") as f:
        return json.loads(f.read().decode("utf-8", errors="strict"))["steps"]
def lists(st):
    r = st["record"]
    return (r["cloud_product_id"], r["quarantined_in"], r["denied_in"], r["removed_from"])
def outcome(st):
    return (st["decision"]["outcome"], st["decision"]["effects"])
def applied(st):
    return st["answer"]["applied"]

s = steps("quarantine-then-approve")
assert outcome(s[0]) == ("quarantine", ["enter_quarantine"]) and lists(s[0]) == (0, 14002, 0, 0)
assert not applied(s[1]) and s[1]["answer"]["reason"] == "role_insufficient"
assert applied(s[2]) and lists(s[2]) == (14002, 0, 0, 0)
assert outcome(s[3]) == ("ok", []) and s[3]["decision"]["privileges"]

s = steps("quarantine-deny-reapprove")
assert lists(s[1]) == (0, 0, 14002, 0)
assert outcome(s[2]) == ("deny", []) and s[2]["decision"]["reason"] == "denied_list"
assert not applied(s[3]) and s[3]["answer"]["reason"] == "not_a_team_member"
assert applied(s[4]) and s[4]["answer"]["reason"] == "granted_by_scope"
assert lists(s[4]) == (14002, 0, 0, 0) and outcome(s[5]) == ("ok", [])

s = steps("remove-then-reconnect")
assert not applied(s[1]) and applied(s[2]) and lists(s[2]) == (0, 0, 0, 14005)
assert outcome(s[3]) == ("reappear_as_denied", ["enter_denied_list"])
assert lists(s[3]) == (0, 0, 14005, 0) and not s[3]["decision"]["privileges"]
assert outcome(s[4]) == ("deny", [])
assert not applied(s[5]) and s[5]["answer"]["reason"] == "wrong_device_state"
assert applied(s[6]) and outcome(s[7]) == ("ok", []) and lists(s[7]) == (14005, 0, 0, 0)

s = steps("auto-approve-unowned")
assert outcome(s[0]) == ("auto_approve", ["join"]) and s[0]["decision"]["reason"] == "unowned"
assert lists(s[0]) == (14001, 0, 0, 0) and outcome(s[1]) == ("ok", [])

s = steps("device-os-4-not-pre-added")
assert outcome(s[0]) == ("deny", []) and s[0]["decision"]["reason"] == "not_pre_added"
assert lists(s[0]) == (0, 0, 0, 0) and applied(s[1]) and outcome(s[2]) == ("ok", [])

s = steps("non-product-firmware-way-back")
assert outcome(s[0]) == ("deny", [])
assert outcome(s[2]) == ("ok", ["leave_denied_list"]) and s[2]["decision"]["leaves_denied"] == 14001
assert lists(s[2]) == (0, 0, 0, 0)
assert outcome(s[4]) == ("auto_approve", ["join"])
PY

# A reconnect stores what decide --next-record says: the record before the
# step, decided, gives the step's record.
checks=$((checks + 1))
python3 - "$TMP/remove-then-reconnect.json" "$TMP/before.json" "$TMP/after.json" <<'PY' || fail "could not collect records"
import json, sys
story = json.load(open(sys.argv[1]))
before, after, prev = [], [], story["start"]
for st in story["steps"]:
    if st["event"] == "reconnect":
        before.append(prev)
        after.append(st["record"])
    prev = st["record"]
json.dump(before, open(sys.argv[2], "w"))
json.dump(after, open(sys.argv[3], "w"))
PY
"$PPOLICY" decide -p examples/policy.yaml --next-record "$TMP/before.json" >"$TMP/decided"
checks=$((checks + 1))
python3 - "$TMP/decided" "$TMP/after.json" <<'PY' || fail "replay's reconnect differs from decide --next-record"
import json, sys
got = [json.loads(l)["next_record"] for l in open(sys.argv[1])]
want = json.load(open(sys.argv[2]))
assert got == want, (got, want)
PY

# Malformed stories: FILE:LINE:COLUMN: error: ..., status 2, nothing on
# standard output.
bad() {
    name=$1
    printf '%s\n' "$2" >"$TMP/$name.yaml"
    expect_status 2 "$PPOLICY" replay -p examples/policy.yaml "$TMP/$name.yaml"
    sed "s|$TMP/||" "$TMP/err" >>"$TMP/bad.err"
    checks=$((checks + 1))
    [ ! -s "$TMP/out" ] || fail "$name: output for a malformed story"
}
: >"$TMP/bad.err"
dev='device: {id: 3f1c5a7e9b2d4c6e8a0b1c2d, platform_id: bsom, device_os: 3.3.1}'
bad empty ''
bad not-mapping '- reconnect'
bad no-events "$dev"
bad no-device 'events: [reconnect]'
bad unknown-top "$dev
events: [reconnect]
story: x"
bad events-not-list "$dev
events: reconnect"
bad yaml-syntax "$dev
events: [reconnect"
bad bad-device 'device: {id: 3f1c5a7e9b2d4c6e8a0b1c2d, platform_id: bsom, device_os: 3.3.1, colour: red}
events: [reconnect]'
bad bad-platform 'device: {id: 3f1c5a7e9b2d4c6e8a0b1c2d, platform_id: toaster}
events: [reconnect]'
bad unknown-event "$dev
events:
  - reconnect
  - reboot"
bad unknown-field "$dev
events:
  - {reconnect: ~, when: now}"
bad reconnect-value "$dev
events:
  - reconnect: yes"
bad unknown-operation "$dev
events:
  - {operate: approve, actor: dana@brightwater.example, product_id: 14002}"
bad no-actor "$dev
events:
  - {operate: approve_quarantined, product_id: 14002}"
bad no-product "$dev
events:
  - {operate: approve_quarantined, actor: dana@brightwater.example}"
bad two-kinds "$dev
events:
  - {flash: 14002, device_os: 4.1.0}"
bad no-kind "$dev
events:
  - {note: nothing happens}"
bad actor-elsewhere "$dev
events:
  - {flash: 14002, actor: dana@brightwater.example}"
bad version-elsewhere "$dev
events:
  - {device_os: 4.1.0, firmware_version: 3}"
bad bad-flash "$dev
events:
  - {flash: -1}"
bad bad-api-user "$dev
events:
  - {operate: add_device, actor: fleet-sync, api_user: maybe, product_id: 14002}"
bad repeated "$dev
events:
  - {flash: 14002, flash: 14003}"
bad nested-note "$dev
events:
  - {reconnect: ~, note: {a: b}}"
bad two-documents "$dev
events: [reconnect]
---
$dev"
golden replay-errors.err "$TMP/bad.err"

# Events the library refuses or cannot decide are answered, not fatal: an
# invalid Device OS version fails closed, an empty actor is invalid input.
printf '%s\n' "$dev" 'events:' '  - {device_os: "4.1"}' '  - reconnect' \
    '  - {operate: add_device, actor: "", product_id: 14002}' >"$TMP/refused.yaml"
expect_status 0 "$PPOLICY" replay -p examples/policy.yaml "$TMP/refused.yaml"
contains "$TMP/out" "decision:   deny (reason invalid_input, rule 0), product 0"
contains "$TMP/out" "error:      invalid_device_os"
contains "$TMP/out" "answer:     refused: invalid_input"
expect_status 0 "$PPOLICY" replay -p examples/policy.yaml -f json "$TMP/refused.yaml"
contains "$TMP/out" '"error_code":"invalid_device_os"'
contains "$TMP/out" '"refusal":"invalid_input"'

# Limits: at most 10,000 events, files of at most 1 MiB.
python3 -c '
import sys
print(sys.argv[1]); print("events:")
for i in range(10001): print("  - reconnect")
' "$dev" >"$TMP/long.yaml"
expect_status 2 "$PPOLICY" replay -p examples/policy.yaml "$TMP/long.yaml"
contains "$TMP/err" "long.yaml:10003:5: error: more than 10000 events"
python3 -c '
import sys
print(sys.argv[1]); print("events: [reconnect]"); print("note: " + "x" * (1 << 20))
' "$dev" >"$TMP/big.yaml"
expect_status 2 "$PPOLICY" replay -p examples/policy.yaml "$TMP/big.yaml"
contains "$TMP/err" "File too large"

# Usage.
expect_status 2 "$PPOLICY" replay examples/stories/auto-approve-unowned.yaml
contains "$TMP/err" "--policy is required"
expect_status 2 "$PPOLICY" replay -p examples/policy.yaml
contains "$TMP/err" "give one story file"
expect_status 2 "$PPOLICY" replay -p examples/policy.yaml -f yaml examples/stories/auto-approve-unowned.yaml
contains "$TMP/err" "unknown format 'yaml' (text or json)"
expect_status 2 "$PPOLICY" replay -p examples/policy.yaml "$TMP/missing.yaml"
contains "$TMP/err" "cannot read"
expect_status 1 "$PPOLICY" replay -p tests/cli/data/bad-key.yaml examples/stories/auto-approve-unowned.yaml
expect_status 0 "$PPOLICY" replay --help
contains "$TMP/out" "Usage: ppolicy replay"
expect_status 0 "$PPOLICY" replay -p examples/policy.yaml - <examples/stories/auto-approve-unowned.yaml
contains "$TMP/out" "auto_approve (reason unowned, rule 13)"

finish
