#!/bin/sh
# ppolicy diff: golden reports (text and JSON) for each kind of change, the
# example policy changed three ways against the example fleet, an empty diff
# for a reformatted policy, the --fail-on gate's exit statuses, and bad
# usage.  The data are in tests/cli/data/diff (their own copies, so these
# goldens move only when ppolicy diff does).
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA/diff"

# json_object FILE: FILE is one JSON object whose fleet transitions, when
# there are any, add up to its record count.
json_object() {
    checks=$((checks + 1))
    python3 - "$1" <<'PY' || fail "$(basename "$1") is not the diff's JSON object"
import json, sys
with open(sys.argv[1], "rb") as f:
    d = json.loads(f.read().decode("utf-8", errors="strict"))
for key in ("old", "new", "changes", "findings", "device_classes", "authorizations", "fleet", "fail_on"):
    assert key in d, key
assert d["device_classes"]["cover_every_record"] is True
if d["fleet"] is not None:
    assert sum(t["count"] for t in d["fleet"]["transitions"]) == d["fleet"]["records"]
PY
}

# changes_of FILE: the semantic changes and findings of a JSON report, one
# per line (the device classes of a large change are checked elsewhere).
changes_of() {
    python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["changes"]:
    print(json.dumps(c, sort_keys=True))
for f in d["findings"]:
    print(json.dumps(f, sort_keys=True))
PY
}

# no_fingerprints FILE: FILE with the policies' fingerprints written as F,
# so the goldens do not move with the built-in hardware tables.
no_fingerprints() {
    sed -e 's/fingerprint [0-9a-f]\{16\}/fingerprint F/' \
        -e 's/"fingerprint":"[0-9a-f]\{16\}"/"fingerprint":"F"/g' "$1" >"$1.golden"
    mv "$1.golden" "$1"
}

# ---- goldens: each change of the base policy, with the fleet ----
for variant in auto-approve member-dropped legacy-5; do
    expect_status 0 "$PPOLICY" diff --fleet fleet.yaml base.yaml "$variant.yaml"
    no_fingerprints "$TMP/out"
    golden "diff-$variant.out" "$TMP/out"
    checks=$((checks + 1))
    [ ! -s "$TMP/err" ] || fail "$variant: diff wrote to stderr without --fail-on"
    expect_status 0 "$PPOLICY" diff --format json --fleet fleet.yaml base.yaml "$variant.yaml"
    json_object "$TMP/out"
    no_fingerprints "$TMP/out"
    if [ "$variant" != legacy-5 ]; then
        golden "diff-$variant.json" "$TMP/out"
    fi
done
# --all lists the classes the text report leaves out.
expect_status 0 "$PPOLICY" diff --all base.yaml legacy-5.yaml
checks=$((checks + 1))
[ "$(grep -c '^    - ' "$TMP/out")" -eq "$(python3 -c '
import json, subprocess, sys
out = subprocess.run(sys.argv[1:], capture_output=True, check=True).stdout
print(len(json.loads(out)["device_classes"]["changed"]))' "$PPOLICY" diff -f json base.yaml legacy-5.yaml)" ] ||
    fail "--all does not list every device class"
expect_status 0 "$PPOLICY" diff base.yaml legacy-5.yaml
contains "$TMP/out" "(--all or --format json lists every one)"

# Every kind of change at once (platforms, SKUs, families, organizations,
# canaries, products, integrations, members, API users, scopes, settings):
# the changes as text and as JSON.
expect_status 0 "$PPOLICY" diff rich-old.yaml rich-new.yaml
sed '/^Devices:/q' "$TMP/out" >"$TMP/rich-changes.out"
no_fingerprints "$TMP/rich-changes.out"
golden diff-rich.out "$TMP/rich-changes.out"
expect_status 0 "$PPOLICY" diff -f json rich-old.yaml rich-new.yaml
json_object "$TMP/out"
changes_of "$TMP/out" >"$TMP/rich-changes.json"
golden diff-rich-changes.json "$TMP/rich-changes.json"

# A pure reformatting: nothing at all, and the gate passes on "any".
expect_status 0 "$PPOLICY" diff --fail-on any --fleet fleet.yaml base.yaml reformatted.yaml
checks=$((checks + 1))
[ "$(grep -c "fingerprint $("$PPOLICY" fingerprint base.yaml)" "$TMP/out")" -eq 2 ] ||
    fail "the reformatted policy's fingerprint differs"
no_fingerprints "$TMP/out"
golden diff-reformatted.out "$TMP/out"
contains "$TMP/out" "Devices: no device changes."
contains "$TMP/out" "cover every possible device record"
contains "$TMP/out" "Changes: none."
contains "$TMP/out" "People: no authorization changes."

# ---- the gate ----
expect_status 1 "$PPOLICY" diff --fail-on gains base.yaml auto-approve.yaml
contains "$TMP/err" "--fail-on gains: 4 device classes gain privileges"
expect_status 0 "$PPOLICY" diff --fail-on gains base.yaml member-dropped.yaml
expect_status 1 "$PPOLICY" diff --fail-on gains base.yaml legacy-5.yaml
# Dropping a member only tightens; it brings no finding; but it is a change.
expect_status 0 "$PPOLICY" diff --fail-on loosening,findings base.yaml member-dropped.yaml
expect_status 1 "$PPOLICY" diff --fail-on any base.yaml member-dropped.yaml
contains "$TMP/err" "--fail-on any: the policies differ"
expect_status 1 "$PPOLICY" diff --fail-on findings base.yaml auto-approve.yaml
contains "$TMP/err" "2 security findings introduced"
expect_status 1 "$PPOLICY" diff --fail-on loosening base.yaml legacy-5.yaml
# The other way round the member is added back: that loosens.
expect_status 1 "$PPOLICY" diff --fail-on loosening member-dropped.yaml base.yaml
expect_status 1 "$PPOLICY" diff -f json --fail-on gains,any base.yaml auto-approve.yaml
contains "$TMP/out" '"fail_on":{"asked":["gains","any"],"failed":["gains","any"]}'

# ---- the example policy changed three ways, on the example fleet ----
example() {
    sed "$1" "$EXAMPLES/policy.yaml" >"$TMP/$2.yaml"
}
example 's/^    unrecognized_devices: quarantine$/    unrecognized_devices: auto_approve/' auto
example '/user: fay@brightwater.example/d' member
example 's/legacy_device_os_below: 4.0.0-0/legacy_device_os_below: 5.0.0/' legacy
expect_status 1 "$PPOLICY" diff --fail-on gains --fleet "$EXAMPLES/fleet.json" \
    "$EXAMPLES/policy.yaml" "$TMP/auto.yaml"
contains "$TMP/out" "product 14002 unrecognized_devices: quarantine -> auto_approve  [loosening]"
contains "$TMP/out" "introduces auto_approve_enabled (warning)"
contains "$TMP/out" "quarantine unrecognized_device (rule 12) -> auto_approve unowned (rule 13), gains all privileges:"
contains "$TMP/out" "39 records, 1 decides differently (1 gain privileges, 0 lose them), 6 invalid"
contains "$TMP/out" "quarantine unrecognized_device -> auto_approve unowned: 1 (a09f76b5a170b33839263059)"
expect_status 0 "$PPOLICY" diff --fail-on gains --fleet "$EXAMPLES/fleet.json" \
    "$EXAMPLES/policy.yaml" "$TMP/member.yaml"
contains "$TMP/out" "organization brightwater: member fay@brightwater.example removed (was developer)  [tightening]"
contains "$TMP/out" "auto_approve owner_is_team_member (rule 14) -> quarantine owner_not_team_member (rule 15), loses all privileges:"
contains "$TMP/out" "fay@brightwater.example (person) on 14001, 14002, 14005:"
contains "$TMP/out" "39 records, 1 decides differently (0 gain privileges, 1 lose them), 6 invalid"
contains "$TMP/out" "auto_approve owner_is_team_member -> quarantine owner_not_team_member: 1 (81e74ef5e8e25d940ed90475)"
expect_status 1 "$PPOLICY" diff --fail-on gains --fleet "$EXAMPLES/fleet.json" \
    "$EXAMPLES/policy.yaml" "$TMP/legacy.yaml"
contains "$TMP/out" "settings.legacy_device_os_below: 4.0.0-0 -> 5.0.0  [loosening]"
contains "$TMP/out" "deny not_pre_added (rule 10) -> auto_approve unowned (rule 13), gains all privileges:"
contains "$TMP/out" "Device OS from 4.0.0-0 to below 5.0.0"
contains "$TMP/out" "39 records, 2 decide differently (0 gain privileges, 1 lose them), 6 invalid"
contains "$TMP/out" "ok member -> limited firmware_reports_no_product: 1 (ca02135e92b1d3f28ede0d7a)"
contains "$TMP/out" "reappear_as_denied removed_from_product -> quarantine removed_from_product: 1 (658cda1495e60af593bd04cf)"

# The fleet from standard input reads the same.
"$PPOLICY" diff --fleet - base.yaml auto-approve.yaml <fleet.yaml |
    sed 's/^Fleet <stdin>:/Fleet fleet.yaml:/' >"$TMP/stdin.out"
"$PPOLICY" diff --fleet fleet.yaml base.yaml auto-approve.yaml >"$TMP/file.out"
checks=$((checks + 1))
cmp -s "$TMP/stdin.out" "$TMP/file.out" || fail "--fleet - reads differently from the file"

# --fleet reads what decide reads (one reader): the example fleet as JSON
# Lines gives the same report as the JSON list.
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json, sys
for r in json.load(open(sys.argv[1])): print(json.dumps(r))' "$EXAMPLES/fleet.json" >"$TMP/fleet.jsonl"
    "$PPOLICY" diff --fleet "$EXAMPLES/fleet.json" base.yaml auto-approve.yaml |
        sed 's/^Fleet [^ ]*:/Fleet F:/' >"$TMP/list.out"
    "$PPOLICY" diff --fleet "$TMP/fleet.jsonl" base.yaml auto-approve.yaml |
        sed 's/^Fleet [^ ]*:/Fleet F:/' >"$TMP/lines.out"
    checks=$((checks + 1))
    grep -q '^Fleet F: 39 records' "$TMP/lines.out" || fail "--fleet did not read the JSON Lines fleet"
    cmp -s "$TMP/list.out" "$TMP/lines.out" || fail "--fleet reads JSON Lines differently from a JSON list"
fi

# ---- bad usage and bad input ----
expect_status 2 "$PPOLICY" diff base.yaml
contains "$TMP/err" "give two policies: OLD and NEW"
expect_status 2 "$PPOLICY" diff --format yaml base.yaml base.yaml
expect_status 2 "$PPOLICY" diff --fail-on everything base.yaml base.yaml
contains "$TMP/err" "--fail-on takes gains, loosening, findings or any"
expect_status 2 "$PPOLICY" diff --fail-on gains, base.yaml base.yaml
expect_status 2 "$PPOLICY" diff --fleet - - base.yaml </dev/null
expect_status 2 "$PPOLICY" diff base.yaml "$TMP/missing.yaml"
printf 'version: 1\nproducts: [{id: 1}]\n' >"$TMP/bad.yaml"
expect_status 1 "$PPOLICY" diff base.yaml "$TMP/bad.yaml"
contains "$TMP/err" "bad.yaml:2:"
printf -- '- {id: [\n' >"$TMP/bad-fleet.yaml"
expect_status 2 "$PPOLICY" diff --fleet "$TMP/bad-fleet.yaml" base.yaml auto-approve.yaml
expect_status 0 "$PPOLICY" diff --help
contains "$TMP/out" "Usage: ppolicy diff"

finish
