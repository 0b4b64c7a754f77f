#!/bin/sh
# ppolicy audit, check-token and canary-fingerprint: golden findings for the
# example policy and for a policy with every kind of finding, exit status 0
# (clean), 1 (findings) and 2 (usage, unreadable or not YAML), malformed
# records reported as invalid_record, tokens never echoed, valid JSON always.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python

POLICY="$DATA/authz-policy.yaml"

# The shipped example: examples/audit-records.yaml against the example policy.
expect_status 1 "$PPOLICY" audit --policy "$EXAMPLES/policy.yaml" --summary "$EXAMPLES/audit-records.yaml"
golden audit-example.out "$TMP/out"
golden audit-example.err "$TMP/err"
json_lines "$TMP/out"
checks=$((checks + 1))
grep -q '"code":"invalid_record"' "$TMP/out" && fail "the example records hold an invalid record"

# Every finding the records can give, and malformed records.
expect_status 1 "$PPOLICY" audit -p "$POLICY" "$DATA/audit-records.yaml"
golden audit-records.out "$TMP/out"
json_lines "$TMP/out"
for code in two_step_disabled organization_level_api_user auto_approve_enabled auto_approve_readmits_denied \
    lts_not_required insecure_transport ssl_not_enforced unaccounted_integration \
    full_control_human_token owner_account_token sim_data_notify sim_data_paused \
    device_os_below_minimum invalid_record; do
    contains "$TMP/out" "\"code\":\"$code\""
done
checks=$((checks + 1))
if grep -q 's3cr3t' "$TMP/out" "$TMP/err"; then fail "a value of an unknown field was echoed"; fi
# The same records from standard input.
expect_status 1 "$PPOLICY" audit -p "$POLICY" - <"$DATA/audit-records.yaml"
golden audit-records.out "$TMP/out"

# The policy alone; a clean policy and clean records give nothing and 0.
expect_status 1 "$PPOLICY" audit -p "$POLICY"
checks=$((checks + 1))
[ "$(wc -l <"$TMP/out")" -eq 5 ] || fail "policy alone: expected 5 findings"
cat >"$TMP/clean.yaml" <<'YAML'
version: 1
organizations:
  - name: acme
    members: [{user: olivia, role: owner, two_step: true}, {user: dev, role: developer, two_step: true}]
products:
  - {id: 100, name: Acme, organization: acme, family: bsom,
     approved_integrations: [https://hooks.acme.example/]}
YAML
cat >"$TMP/clean-records.yaml" <<'YAML'
integrations: [{product_id: 100, url: https://hooks.acme.example/in, enforce_ssl: true}]
tokens: [{product_id: 100, owner: dev, full_control: false, human: true}]
sims: [{iccid: "8901", usage_bytes: 0, limit_bytes: 1000}]
devices: [{id: 0123456789abcdef01234567, platform_id: bsom, device_os: 4.0.1, cloud_product_id: 100}]
YAML
expect_status 0 "$PPOLICY" audit -p "$TMP/clean.yaml" --summary "$TMP/clean-records.yaml"
checks=$((checks + 1))
[ ! -s "$TMP/out" ] || fail "clean records give findings"
contains "$TMP/err" "0 findings"
for empty in '' '---' '{}' 'integrations:' 'note: nothing' 'devices: []'; do
    printf '%s\n' "$empty" >"$TMP/empty.yaml"
    expect_status 0 "$PPOLICY" audit -p "$TMP/clean.yaml" "$TMP/empty.yaml"
done

# Records files that are not what audit reads: status 2, FILE:LINE:COLUMN.
bad_records() {
    printf '%s\n' "$1" >"$TMP/bad.yaml"
    expect_status 2 "$PPOLICY" audit -p "$TMP/clean.yaml" "$TMP/bad.yaml"
    contains "$TMP/err" "bad.yaml:$2: error: $3"
    checks=$((checks + 1))
    [ ! -s "$TMP/out" ] || fail "findings printed for a broken records file: $1"
}
bad_records '[1, 2]' 1:1 "the records file is a mapping of lists"
bad_records 'hosts: []' 1:1 "unknown key (expected integrations, tokens, sims, devices or note)"
bad_records 'sims: {iccid: 1}' 1:7 "expected a list of records"
bad_records 'sims: []
sims: []' 2:1 "list given twice"
bad_records 'sims: [' 2:1 ""
bad_records '{}
--- {}' 2:1 "the records file holds one document"
bad_records '{[1]: []}' 1:2 "expected a list name"
expect_status 2 "$PPOLICY" audit -p "$POLICY" "$TMP/missing.yaml"
contains "$TMP/err" "cannot read"
expect_status 1 "$PPOLICY" audit -p "$DATA/bad-family.yaml"
contains "$TMP/err" "error:"

# Usage.
expect_status 0 "$PPOLICY" audit --help
contains "$TMP/out" "Usage: ppolicy audit"
expect_status 2 "$PPOLICY" audit
contains "$TMP/err" "ppolicy audit: --policy is required"
expect_status 2 "$PPOLICY" audit -p "$POLICY" a b
contains "$TMP/err" "give at most one records file"
expect_status 2 "$PPOLICY" audit -p - -
contains "$TMP/err" "cannot both be standard input"

# Hostile records: bytes that are not text, huge values, deep nesting.
python3 - "$TMP/hostile.yaml" <<'PY'
import sys
out = open(sys.argv[1], "wb")
out.write(b"integrations:\n")
out.write(b"  - {product_id: 100, url: \"https://hooks.acme.example/\xff\x1b[2J\", enforce_ssl: true}\n")
out.write(b"  - {product_id: 100, url: \"https://hooks.acme.example/" + b"a" * 5000 + b"\", enforce_ssl: true}\n")
out.write(b"  - {product_id: 100, url: \"https://hooks.acme.example/\\u2028\\u0000\", enforce_ssl: true}\n")
out.write(b"  - " + b"[" * 50 + b"]" * 50 + b"\n")
out.write(b"tokens:\n  - {owner: \"ol\\u0000ivia\", full_control: true, human: true}\n")
out.write(b"  - {owner: !!binary aGk=, full_control: true}\n")
out.write(b"sims:\n  - {iccid: \"\xc3\x28\", usage_bytes: 1, limit_bytes: 1}\n")
out.write(b"devices:\n  - {id: \"0123456789abcdef0123456\x01\", device_os: 4.0.1}\n")
PY
expect_status 1 "$PPOLICY" audit -p "$POLICY" "$TMP/hostile.yaml"
json_lines "$TMP/out"
checks=$((checks + 1))
if LC_ALL=C grep -q "$(printf '\033')" "$TMP/out"; then fail "hostile: a raw escape reached the output"; fi
checks=$((checks + 1))
n=$(grep -c '"list":"integrations"' "$TMP/out" || true)
[ "$n" -ge 4 ] || fail "hostile: every hostile integration must be reported, got $n findings"

# canary-fingerprint: XXH3-64 of the token, one trailing line break dropped.
printf 'canary-token-for-tests' | "$PPOLICY" canary-fingerprint >"$TMP/fp1"
printf 'canary-token-for-tests\n' | "$PPOLICY" canary-fingerprint >"$TMP/fp2"
printf 'canary-token-for-tests\r\n' | "$PPOLICY" canary-fingerprint >"$TMP/fp3"
printf 'canary-token-for-tests\n\n' | "$PPOLICY" canary-fingerprint >"$TMP/fp4"
printf '' | "$PPOLICY" canary-fingerprint >"$TMP/fp5" 2>/dev/null || echo "status $?" >>"$TMP/fp5"
cat "$TMP/fp1" "$TMP/fp2" "$TMP/fp3" "$TMP/fp4" "$TMP/fp5" >"$TMP/fps"
golden canary-fingerprint.out "$TMP/fps"
expect_status 2 "$PPOLICY" canary-fingerprint canary-token-for-tests
contains "$TMP/err" "never from the command line"
expect_status 0 "$PPOLICY" canary-fingerprint --help
contains "$TMP/out" "Usage: ppolicy canary-fingerprint"

# check-token: the canary of the test policy, then other tokens.
printf 'canary-token-for-tests\n' >"$TMP/token"
expect_status 1 "$PPOLICY" check-token -p "$POLICY" <"$TMP/token"
golden check-token.out "$TMP/out"
json_lines "$TMP/out"
contains "$TMP/out" '"code":"canary_token_used","severity":"critical","list":"token"'
contains "$TMP/out" '"subject":"acme"'
checks=$((checks + 1))
if grep -q 'canary-token-for-tests' "$TMP/out" "$TMP/err"; then fail "check-token echoed the token"; fi
printf 'some-real-token\n' >"$TMP/token"
expect_status 0 "$PPOLICY" check-token -p "$POLICY" <"$TMP/token"
checks=$((checks + 1))
[ ! -s "$TMP/out" ] || fail "check-token: findings for a token that is no canary"
printf 'canary-token-for-tests ' >"$TMP/token"
expect_status 0 "$PPOLICY" check-token -p "$POLICY" <"$TMP/token"
expect_status 2 "$PPOLICY" check-token -p "$POLICY" </dev/null
contains "$TMP/err" "no token on standard input"
expect_status 2 "$PPOLICY" check-token -p "$POLICY" canary-token-for-tests
contains "$TMP/err" "never from the command line"
checks=$((checks + 1))
if grep -q 'canary-token-for-tests' "$TMP/err"; then fail "check-token echoed a token given as an argument"; fi
expect_status 2 "$PPOLICY" check-token </dev/null
contains "$TMP/err" "ppolicy check-token: --policy is required"
expect_status 2 "$PPOLICY" check-token -p - </dev/null
expect_status 0 "$PPOLICY" check-token --help
contains "$TMP/out" "Usage: ppolicy check-token"
# A token fingerprinted by canary-fingerprint is found by check-token.
"$PPOLICY" canary-fingerprint <"$TMP/token" >"$TMP/fp"
sed "s/DC07E64C5CB74FD7/$(cat "$TMP/fp")/" "$POLICY" >"$TMP/rotated.yaml"
expect_status 1 "$PPOLICY" check-token -p "$TMP/rotated.yaml" <"$TMP/token"

finish
