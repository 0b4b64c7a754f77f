#!/bin/sh
# ppolicy authorize: the single form (exit status 0 allowed, 3 denied), the
# batch form (golden JSON lines, malformed requests denied while the run goes
# on), usage errors, and hostile requests whose answers must stay valid JSON.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python

POLICY="$DATA/authz-policy.yaml"
DEV='{id: 0123456789abcdef01234567, platform_id: bsom, device_os: 4.0.1, quarantined_in: 100, firmware_version: 3}'

# single ARGS...: run one request, append its status and answer to $TMP/single.
single() {
    run "$PPOLICY" authorize -p "$POLICY" "$@"
    { echo "status $status: $*" | sed "s|$DATA/|DATA/|g"; cat "$TMP/out" "$TMP/err"; } >>"$TMP/single"
}

# The example table of docs/authorization.md, one request at a time.
: >"$TMP/single"
single --actor dev --action approve_quarantined --product 100 "$DEV"
single --actor vera --action approve_quarantined --product 100 "$DEV"
single --actor ci --api-user --action approve_quarantined --product 100 "$DEV"
single --actor olivia --action billing --product 100
single --actor ci --api-user --action billing --product 100
single --actor mallory --action view_devices --product 100
single --actor dev --action flash_device --product 100 "$DATA/authz-device.yaml"
single --actor dev --action view_devices --product 100 '{id: 0123456789abcdef0123456, device_os: 4.0.1}'
single --actor dev --action view_devices --product 100 '{id: 0123456789abcdef01234567, device_os: 4.0.1, colour: red}'
golden authorize-single.out "$TMP/single"
json_lines "$TMP/out"

expect_status 0 "$PPOLICY" authorize -p "$POLICY" --actor dev --action approve_quarantined --product 100 "$DEV"
contains "$TMP/out" '"allowed":true,"reason":"granted_by_role"'
contains "$TMP/out" '"ota_update_pending":true'
expect_status 3 "$PPOLICY" authorize -p "$POLICY" --actor vera --action approve_quarantined --product 100 "$DEV"
contains "$TMP/out" '"allowed":false,"reason":"role_insufficient"'
# An invalid device record is denied (fail closed), not a usage error.
expect_status 3 "$PPOLICY" authorize -p "$POLICY" --actor dev --action view_devices --product 100 '{id: x, device_os: 4.0.1}'
contains "$TMP/out" '"error_code":"invalid_device_id"'
# The device from standard input.
echo "$DEV" >"$TMP/dev.yaml"
run "$PPOLICY" authorize -p "$POLICY" --actor dev --action approve_quarantined --product 100 - <"$TMP/dev.yaml"
checks=$((checks + 1))
[ "$status" = 0 ] || fail "device from standard input: status $status"
# An invalid policy is 1, as everywhere.
expect_status 1 "$PPOLICY" authorize -p "$DATA/bad-family.yaml" --actor dev --action billing --product 100
contains "$TMP/err" "error:"

# The batch form: every row of the example table, then malformed requests.
expect_status 0 "$PPOLICY" authorize -p "$POLICY" --batch "$DATA/requests.yaml"
golden authorize-batch.out "$TMP/out"
json_lines "$TMP/out"
checks=$((checks + 1))
[ "$(wc -l <"$TMP/out")" -eq 29 ] || fail "batch: expected 29 answers, got $(wc -l <"$TMP/out")"
expect_status 0 "$PPOLICY" authorize -p "$POLICY" --batch <"$DATA/requests.yaml"
golden authorize-batch.out "$TMP/out"
# JSON Lines converted on the fly, as the docs suggest.
printf '%s\n' '{"actor":"olivia","action":"billing","product_id":100}' \
    '{"actor":"ci","api_user":true,"action":"billing","product_id":100}' |
    sed 's/^/--- /' >"$TMP/req.jsonl"
expect_status 0 "$PPOLICY" authorize -p "$POLICY" --batch - <"$TMP/req.jsonl"
contains "$TMP/out" '{"request":1,"actor":"olivia","actor_kind":"human","action":"billing","product_id":100,"allowed":true'
contains "$TMP/out" '{"request":2,"actor":"ci","actor_kind":"api_user","action":"billing","product_id":100,"allowed":false,"reason":"not_for_api_users"'
# Input that is not YAML: the answers so far, then status 2.
printf -- '- {actor: olivia, action: billing, product_id: 100}\n- {actor: [\n' >"$TMP/broken.yaml"
expect_status 2 "$PPOLICY" authorize -p "$POLICY" --batch "$TMP/broken.yaml"
contains "$TMP/out" '"request":1'
contains "$TMP/err" "broken.yaml:"
expect_status 0 "$PPOLICY" authorize -p "$POLICY" --batch /dev/null
checks=$((checks + 1))
[ ! -s "$TMP/out" ] || fail "batch: empty input gives answers"

# Usage errors.
expect_status 0 "$PPOLICY" authorize --help
contains "$TMP/out" "Usage: ppolicy authorize"
contains "$TMP/out" "3 denied"
expect_status 2 "$PPOLICY" authorize --actor dev --action billing --product 100
contains "$TMP/err" "ppolicy authorize: --policy is required"
expect_status 2 "$PPOLICY" authorize -p "$POLICY" --actor dev --product 100
contains "$TMP/err" "give --actor, --action and --product (or --batch)"
expect_status 2 "$PPOLICY" authorize -p "$POLICY" --actor dev --action launch --product 100
contains "$TMP/err" "ppolicy authorize: unknown action 'launch'"
for bad in 0100 -1 4294967296 1e3 ''; do
    expect_status 2 "$PPOLICY" authorize -p "$POLICY" --actor dev --action billing --product "$bad"
    contains "$TMP/err" "--product: expected a decimal product ID"
done
expect_status 2 "$PPOLICY" authorize -p "$POLICY" --batch --actor dev
contains "$TMP/err" "--batch reads actor, action and product from the requests"
expect_status 2 "$PPOLICY" authorize -p "$POLICY" --actor dev --action billing --product 100 a b
contains "$TMP/err" "unexpected argument 'b'"
expect_status 2 "$PPOLICY" authorize -p - --batch -
contains "$TMP/err" "cannot both be standard input"
expect_status 2 "$PPOLICY" authorize -p "$POLICY" --batch "$TMP/missing.yaml"
contains "$TMP/err" "cannot read"
expect_status 2 "$PPOLICY" authorize -p "$POLICY" --actor dev --action view_devices --product 100 "$TMP/missing.yaml"
expect_status 2 "$PPOLICY" authorize -p "$POLICY" --actor dev --action view_devices --product 100 "$DATA/devices.yaml"
contains "$TMP/err" "holds more than one device record"
expect_status 2 "$PPOLICY" authorize -p "$POLICY" --actor dev --action view_devices --product 100 /dev/null
contains "$TMP/err" "holds no device record"
expect_status 2 "$PPOLICY" authorize --no-such-option
contains "$TMP/err" "ppolicy authorize: unknown option '--no-such-option'"

# Hostile requests: every answer is one valid JSON object, bad bytes never
# pass through raw, and nothing malformed is allowed.
python3 - "$TMP/hostile.yaml" <<'PY'
import sys
out = open(sys.argv[1], "wb")
def req(actor_bytes, extra=b""):
    out.write(b"--- {actor: \"" + actor_bytes + b"\", action: billing, product_id: 100" + extra + b"}\n")
req(b"olivia")
req(b"oli\xffvia")
req(b"oli\\u001b[31mvia")
req(b"\x1b[2J")
req(b"o" * 5000)
req(b"olivia", b", device: {id: \"\xc3\x28\", device_os: 4.0.1}")
req(b"olivia\\u2028")
out.write(b"--- [" + b"[" * 10 + b"]" * 10 + b"]\n")
out.write(b"--- {note: &a {id: x}, actor: olivia, action: billing, product_id: 100, device: *a}\n")
out.write(b"--- {actor: olivia, action: billing, product_id: 100}\n")
PY
expect_status 0 "$PPOLICY" authorize -p "$POLICY" --batch "$TMP/hostile.yaml"
json_lines "$TMP/out"
checks=$((checks + 1))
allowed=$(grep -c '"allowed":true' "$TMP/out" || true)
[ "$allowed" -eq 2 ] || fail "hostile: expected exactly the 2 clean requests allowed, got $allowed"
checks=$((checks + 1))
if LC_ALL=C grep -q "$(printf '\033')" "$TMP/out"; then fail "hostile: a raw escape reached the output"; fi

finish
