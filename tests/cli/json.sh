#!/bin/sh
# --format json (-o json) for every command: one golden per command, each
# document parsed with Python's strict json; the schemas are docs/cli.md's.
# Text stays the default, and an unknown format is a usage error.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA"

# Fingerprints are checked by tables.sh; masked here.
mask() { sed 's/"fingerprint":"[0-9a-f]\{16\}"/"fingerprint":"FINGERPRINT"/g' "$1" >"$1.masked"; }

# json_golden NAME STATUS ARGS...: ppolicy ARGS with -o json, then with
# --format json (same bytes); valid JSON lines; golden NAME.
json_golden() {
    name=$1
    want=$2
    shift 2
    expect_status "$want" "$PPOLICY" "$@" -o json
    cp "$TMP/out" "$TMP/short.out"
    expect_status "$want" "$PPOLICY" "$@" --format json
    checks=$((checks + 1))
    cmp -s "$TMP/out" "$TMP/short.out" || fail "$name: -o json and --format json differ"
    json_lines "$TMP/out"
    mask "$TMP/out"
    golden "$name" "$TMP/out.masked"
}

json_golden json-validate-ok.out 0 validate policy.yaml policy-reordered.yaml
json_golden json-validate-errors.out 1 validate bad-family.yaml policy.yaml bad-key.yaml \
    bad-syntax.yaml bad-version.yaml
checks=$((checks + 1))
[ ! -s "$TMP/err" ] || fail "validate --format json wrote errors to standard error as text"
json_golden json-validate-many.out 1 validate --max-errors 3 many-errors.yaml
json_golden json-validate-unreadable.out 2 validate policy.yaml no-such-file.yaml
json_golden json-fingerprint.out 0 fingerprint policy.yaml
json_golden json-platforms.out 0 platforms
json_golden json-families-custom.out 0 families --policy custom-platforms.yaml
json_golden json-explain-member.out 0 explain --policy policy.yaml \
    '{id: aa0000000000000000000001, platform_id: 26, device_os: 5.6.0, cloud_product_id: 1001, firmware_version: 6}'
json_golden json-explain-malformed.out 0 explain --policy policy.yaml '{id: x, colour: red}'
json_golden json-explain-quarantine.out 0 explain --policy policy.yaml \
    '{id: aa0000000000000000000004, platform_id: 26, device_os: 3.3.1, firmware_product_id: 1001, owner: "ci-bot"}'
json_golden json-authorize.out 3 authorize --policy authz-policy.yaml --actor dev \
    --action flash_device --product 100 authz-device.yaml
json_golden json-test.out 1 test passing.cases.yaml failing.cases.yaml
printf 'canary-token-for-tests' >"$TMP/token"
expect_status 0 "$PPOLICY" canary-fingerprint -o json <"$TMP/token"
golden json-canary-fingerprint.out "$TMP/out"
json_lines "$TMP/out"

# The summaries of decide and audit: one JSON object on standard error;
# standard output is the same JSON lines as without --format.
"$PPOLICY" decide --policy policy.yaml devices.json >"$TMP/plain.out"
expect_status 0 "$PPOLICY" decide --policy policy.yaml --summary -o json devices.json
checks=$((checks + 1))
cmp -s "$TMP/out" "$TMP/plain.out" || fail "decide --format json changed the answers"
json_lines "$TMP/err"
golden json-decide-summary.err "$TMP/err"
expect_status 1 "$PPOLICY" audit --policy "$EXAMPLES/policy.yaml" --summary -o json \
    "$EXAMPLES/audit-records.yaml"
json_lines "$TMP/out"
json_lines "$TMP/err"
golden json-audit-summary.err "$TMP/err"

# The explain account in JSON says what the text says.
checks=$((checks + 1))
while IFS= read -r record; do
    case $record in '' | '#'*) continue ;; esac
    "$PPOLICY" explain --policy policy.yaml "$record" >"$TMP/text"
    "$PPOLICY" explain --policy policy.yaml -o json "$record" >"$TMP/json"
    python3 - "$TMP/text" "$TMP/json" <<'PY' || { fail "explain text and JSON disagree for $record"; break; }
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read().splitlines()
doc = json.loads(open(sys.argv[2], encoding="utf-8").read())
rules = [l for l in text if l.startswith("rule ")]
assert len(rules) == len(doc["rules"]), (len(rules), len(doc["rules"]))
for line, r in zip(rules, doc["rules"]):
    m = re.match(r"rule +(\d+)  (YES|no )  (.{40})  (.*)$", line)
    assert m, line
    assert int(m.group(1)) == r["rule"] and (m.group(2) == "YES") == r["holds"], (line, r)
    assert m.group(3).rstrip() == r["condition"] and m.group(4) == r["detail"], (line, r)
decision = [l for l in text if l.startswith("decision:")][0]
d = doc["decision"]
assert "%s (reason %s, rule %d)" % (d["outcome"], d["reason"], d["rule"]) in decision, decision
assert doc["agrees_with_pp_decide"] is True
PY
done <explain.list

# Text is the default; an unknown format is a usage error.
"$PPOLICY" validate policy.yaml >"$TMP/default"
"$PPOLICY" validate -o text policy.yaml >"$TMP/text"
checks=$((checks + 1))
cmp -s "$TMP/default" "$TMP/text" || fail "-o text is not the default"
for cmd in "validate policy.yaml" "decide -p policy.yaml" "test passing.cases.yaml" \
    "diff policy.yaml policy.yaml"; do
    # shellcheck disable=SC2086
    expect_status 2 "$PPOLICY" $cmd --format yaml
    contains "$TMP/err" "unknown format 'yaml' (text or json)"
done
expect_status 2 "$PPOLICY" validate -o markdown policy.yaml
contains "$TMP/err" "unknown format 'markdown' (text or json)"
# The tables also take markdown (docs/hardware.md is made so).
expect_status 2 "$PPOLICY" platforms --format yaml
contains "$TMP/err" "unknown format 'yaml' (text, markdown or json)"

finish
