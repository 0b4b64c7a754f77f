#!/bin/sh
# ppolicy decide: golden outputs for JSON and YAML input and for malformed
# records (denied, and the run goes on); standard input; the summary; input
# that ends the run; exit statuses; and the example fleet, which must show
# every outcome with the decisions worked out by hand in fleet.expected.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA"

expect_status 0 "$PPOLICY" decide --policy policy.yaml devices.json
golden decide-devices-json.out "$TMP/out"
json_lines "$TMP/out"
checks=$((checks + 1))
[ ! -s "$TMP/err" ] || fail "decide wrote to stderr without --summary"

expect_status 0 "$PPOLICY" decide --policy policy.yaml devices.yaml
golden decide-devices-yaml.out "$TMP/out"

expect_status 0 "$PPOLICY" decide --policy policy.yaml malformed.yaml
golden decide-malformed.out "$TMP/out"
json_lines "$TMP/out"
checks=$((checks + 1))
[ "$(wc -l <"$TMP/out")" -eq 29 ] || fail "malformed.yaml: expected 29 lines, one per record"

# Standard input, with or without `-`, gives the same lines.
"$PPOLICY" decide --policy policy.yaml devices.json >"$TMP/file.out"
"$PPOLICY" decide --policy policy.yaml <devices.json >"$TMP/stdin.out"
"$PPOLICY" decide -p policy.yaml - <devices.json >"$TMP/dash.out"
checks=$((checks + 1))
if ! cmp -s "$TMP/file.out" "$TMP/stdin.out" || ! cmp -s "$TMP/file.out" "$TMP/dash.out"; then
    fail "standard input decides differently from the file"
fi

# Through a pipe that delivers one byte at a time: same answers.
checks=$((checks + 1))
python3 -c '
import sys, time
data = open(sys.argv[1], "rb").read()
for i in range(len(data)):
    sys.stdout.buffer.write(data[i:i + 1]); sys.stdout.buffer.flush()
' devices.yaml | "$PPOLICY" decide -p policy.yaml >"$TMP/trickle.out"
"$PPOLICY" decide -p policy.yaml devices.yaml >"$TMP/yaml.out"
cmp -s "$TMP/trickle.out" "$TMP/yaml.out" || fail "a byte-at-a-time pipe decides differently"

# In a pipeline each answer comes out before the input ends: two records
# written, the producer waiting, the first answer must arrive.  (JSON is
# answered at its closing brace, YAML once the next record starts.  The
# timeout only bounds a failure; a working reader answers at once.)
checks=$((checks + 1))
python3 - "$PPOLICY" <<'PY' || fail "decide does not answer until its input ends"
import select, subprocess, sys
p = subprocess.Popen([sys.argv[1], "decide", "--policy", "policy.yaml"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
rec = b'{"id": "aa00000000000000000000%02x", "platform_id": 26, "device_os": "3.3.1"}'
p.stdin.write(b"[" + rec % 1 + b",\n" + rec % 2)
p.stdin.flush()
ready, _, _ = select.select([p.stdout], [], [], 30)
line = p.stdout.readline() if ready else b""
p.stdin.write(b"\n]\n")
p.stdin.close()
p.wait()
sys.exit(0 if b'"record":1' in line else "no answer while the input was open")
PY

expect_status 0 "$PPOLICY" decide --summary --policy policy.yaml devices.json
golden decide-summary.err "$TMP/err"
cmp -s "$TMP/out" "$TMP/file.out" || fail "--summary changed standard output"

# No records at all: nothing printed, success.
for empty in '' '# only a comment' '---' '[]' '--- []'; do
    printf '%s\n' "$empty" >"$TMP/empty.yaml"
    expect_status 0 "$PPOLICY" decide -p policy.yaml "$TMP/empty.yaml"
    checks=$((checks + 1))
    [ ! -s "$TMP/out" ] || fail "'$empty' gave output"
done

# A syntax error ends the input: what came before is decided, then the
# error, compiler-style, and status 2.
printf '%s\n' '- {id: dd0000000000000000000001, platform_id: 26, device_os: 3.3.1}' \
    '- {id: dd0000000000000000000002, platform_id: 26, device_os: 3.3.1' >"$TMP/broken.yaml"
(cd "$TMP" && "$PPOLICY" decide -p "$DATA/policy.yaml" broken.yaml >out 2>err) && st=0 || st=$?
checks=$((checks + 1))
[ "$st" -eq 2 ] || fail "a syntax error gave status $st, expected 2"
checks=$((checks + 1))
[ "$(wc -l <"$TMP/out")" -eq 1 ] || fail "the record before the syntax error was not decided"
contains "$TMP/err" "broken.yaml:3:1: error: "

# Exit statuses.
expect_status 1 "$PPOLICY" decide -p bad-family.yaml devices.json
contains "$TMP/err" "bad-family.yaml:5:13: error: "
expect_status 2 "$PPOLICY" decide -p policy.yaml no-such-devices.json
contains "$TMP/err" "ppolicy: cannot read no-such-devices.json: No such file or directory"
expect_status 2 "$PPOLICY" decide -p no-such-policy.yaml devices.json
expect_status 2 "$PPOLICY" decide -p policy.yaml devices.json devices.yaml
contains "$TMP/err" "give at most one device file"
expect_status 2 "$PPOLICY" decide -p - - </dev/null
contains "$TMP/err" "cannot both be standard input"

# The example fleet: every outcome, and the same decisions as the ones
# worked out by hand in examples/fleet.expected (the C example's format).
expect_status 0 "$PPOLICY" decide --policy "$EXAMPLES/policy.yaml" "$EXAMPLES/fleet.json"
json_lines "$TMP/out"
for outcome in ok limited quarantine auto_approve deny reappear_as_denied; do
    contains "$TMP/out" "\"outcome\":\"$outcome\""
done
checks=$((checks + 1))
python3 - "$TMP/out" >"$TMP/fleet.converted" <<'PY' || fail "cannot convert the fleet decisions"
import json, sys
counts = {k: 0 for k in ("ok", "limited", "quarantine", "auto_approve", "deny",
                         "reappear_as_denied")}
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    n += 1
    counts[d["outcome"]] += 1
    limited = d.get("cloud_product_status", {}).get("product_id", 0)
    text = "%s %s %s rule=%d product=%d limited_in=%d privileges=%s advisories=%s" % (
        d["id"], d["outcome"], d["reason"], d["rule"], d["product_id"], limited,
        ",".join(d["privileges"]) or "-", ",".join(d["advisories"]) or "-")
    if "error_code" in d:
        text += " error=" + d["error_code"]
    print(text)
print("%d devices: %s" % (n, " ".join("%s=%d" % kv for kv in counts.items())))
PY
checks=$((checks + 1))
diff -u "$EXAMPLES/fleet.expected" "$TMP/fleet.converted" >"$TMP/fleet.diff" ||
    { fail "ppolicy decide differs from examples/fleet.expected:"; head -n 30 "$TMP/fleet.diff"; }

finish
