#!/bin/sh
# ppolicy decide against hostile input: binary junk, huge lines and values,
# deep nesting, unknown fields, invalid UTF-8 and control characters in IDs
# and owners.  It never crashes, its output is always one valid JSON object
# per line, a bad record never spoils the good ones around it, and what
# cannot be stepped over ends the run with status 2 and a positioned error.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA"

# decide_input FILE: run decide on FILE; the status must be 0 or 2 (not a
# crash) and the output valid JSON lines.
decide_input() {
    run "$PPOLICY" decide --policy policy.yaml "$1"
    checks=$((checks + 1))
    case $status in
    0 | 2) ;;
    *) fail "$(basename "$1"): status $status" ;;
    esac
    json_lines "$TMP/out"
}

# field N KEY: KEY of the JSON object on output line N (python's view).
field() {
    python3 -c 'import json, sys
line = open(sys.argv[1], encoding="utf-8").read().splitlines()[int(sys.argv[2]) - 1]
print(json.loads(line).get(sys.argv[3]))' "$TMP/out" "$1" "$2"
}

# expect_field N KEY VALUE
expect_field() {
    checks=$((checks + 1))
    got=$(field "$1" "$2")
    [ "$got" = "$3" ] || fail "line $1: $2 is '$got', expected '$3'"
}

good='{id: ee0000000000000000000001, platform_id: tracker, device_os: 3.3.1, firmware_product_id: 1001}'

# Binary junk, reproducible: several seeds and sizes.
for seed in 1 2 3 4 5 6 7 8; do
    python3 -c 'import random, sys
r = random.Random(int(sys.argv[1]))
sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(r.choice([1, 100, 5000, 65536]))))' \
        "$seed" >"$TMP/junk.bin"
    decide_input "$TMP/junk.bin"
done
# Junk after good records: they are decided before the run ends.
{ printf -- '- %s\n- %s\n' "$good" "$good"; head -c 3000 "$TMP/junk.bin"; } >"$TMP/tail-junk.yaml"
decide_input "$TMP/tail-junk.yaml"
expect_field 1 outcome auto_approve
expect_field 2 outcome auto_approve

# Invalid UTF-8 and raw control characters in IDs and owners: that record is
# invalid (invalid_value), shown with U+FFFD; the next one is decided.
for bad in '\200' '\300\200' '\355\240\200' '\365\200\200\200' '\377' '\342\202' '\000' '\001' '\177' '\302\205'; do
    printf -- "- {id: \"ee0000000000000000$bad\", platform_id: 26, device_os: 3.3.1}\n- %s\n" "$good" >"$TMP/bad-id.yaml"
    decide_input "$TMP/bad-id.yaml"
    expect_field 1 error_code invalid_value
    expect_field 2 outcome auto_approve
    contains "$TMP/out" "field id: holds bytes that are not UTF-8 text or are control characters"
    printf -- "- {id: ee0000000000000000000002, platform_id: 26, device_os: 3.3.1, firmware_product_id: 1001, owner: \"ann$bad@acme.example\"}\n- %s\n" "$good" >"$TMP/bad-owner.yaml"
    decide_input "$TMP/bad-owner.yaml"
    expect_field 1 error_code invalid_value
    expect_field 1 outcome deny
    expect_field 2 outcome auto_approve
done
# What the ID shows: one U+FFFD per refused character or stray byte.
printf -- '- {id: "ee00\302\205\377\200", platform_id: 26, device_os: 3.3.1}\n' >"$TMP/shown.yaml"
decide_input "$TMP/shown.yaml"
checks=$((checks + 1))
[ "$(field 1 id)" = "$(printf 'ee00\357\277\275\357\277\275\357\277\275')" ] ||
    fail "refused bytes in an ID are not shown as U+FFFD: $(field 1 id)"
# The same at the very end of the input (a truncated sequence).
printf -- '- %s\n- {id: ee0000000000000000000003, owner: "x\342' "$good" >"$TMP/truncated.yaml"
decide_input "$TMP/truncated.yaml"
expect_field 1 outcome auto_approve

# Escaped quotes, backslashes and control characters come back intact.
cat >"$TMP/escapes.yaml" <<'YAML'
- {id: "q\"b\\s\u0000n\u001b[2J\u007f\u0085\u2028", platform_id: 26, device_os: 3.3.1}
- {id: ee0000000000000000000004, platform_id: 26, device_os: 3.3.1, firmware_product_id: 1001, owner: "ann\u0000@acme.example"}
- {id: ee0000000000000000000005, platform_id: 26, device_os: 3.3.1, firmware_product_id: 1001, owner: "ann@acme.example"}
YAML
decide_input "$TMP/escapes.yaml"
checks=$((checks + 1))
python3 - "$TMP/out" <<'PY' || fail "escaped ID does not round-trip through the JSON output"
import json, sys
line = open(sys.argv[1], encoding="utf-8").readline()
assert json.loads(line)["id"] == 'q"b\\s\x00n\x1b[2J\x7f\x85\u2028', line
assert "\x1b" not in line and "\x00" not in line, "raw control character in output"
PY
# An owner with an embedded NUL stays what it is: not "ann".
expect_field 2 error_code invalid_owner
expect_field 3 reason owner_is_team_member

# A 1 MB value: that record is invalid; the run goes on.
python3 -c 'import sys; sys.stdout.write("- {id: ee0000000000000000000006, platform_id: 26, device_os: 3.3.1, owner: \"" + "x" * 1048576 + "\"}\n")' >"$TMP/long-value.yaml"
printf -- '- %s\n' "$good" >>"$TMP/long-value.yaml"
decide_input "$TMP/long-value.yaml"
expect_field 1 error_code invalid_value
contains "$TMP/out" "field owner: 1048576 bytes, longer than the 1024 allowed"
expect_field 2 outcome auto_approve
# A 1 MB line of small records (minified JSON) is just records.
python3 -c 'import sys
rec = "{\"id\":\"ee%022x\",\"platform_id\":26,\"device_os\":\"3.3.1\",\"firmware_product_id\":1001}"
sys.stdout.write("[" + ",".join(rec % i for i in range(12000)) + "]\n")' >"$TMP/long-line.json"
decide_input "$TMP/long-line.json"
checks=$((checks + 1))
[ "$(grep -c auto_approve "$TMP/out")" -eq 12000 ] || fail "a 1 MB line of records was not decided whole"
# More than 4 MiB without a complete value ends the run, after the rest.
python3 -c 'import sys; sys.stdout.write("- {id: ee0000000000000000000001, platform_id: 26, device_os: 3.3.1, firmware_product_id: 1001}\n- {owner: " + "y" * 5000000 + "}\n")' >"$TMP/huge-value.yaml"
decide_input "$TMP/huge-value.yaml"
checks=$((checks + 1))
[ "$status" -eq 2 ] || fail "a 5 MB value gave status $status"
contains "$TMP/err" "error: more than 4194304 bytes of input without a complete value"
expect_field 1 outcome auto_approve

# 10,000-deep nesting, at the top and inside a record: status 2 at the 65th
# level, after the records before it.
python3 -c 'import sys; sys.stdout.write("[" * 10000 + "]" * 10000 + "\n")' >"$TMP/deep.yaml"
decide_input "$TMP/deep.yaml"
checks=$((checks + 1))
[ "$status" -eq 2 ] || fail "deep nesting gave status $status"
contains "$TMP/err" "deep.yaml:1:65: error: nesting deeper than 64 levels"
python3 -c 'import sys; sys.stdout.write("- {id: ee0000000000000000000001, platform_id: 26, device_os: 3.3.1, firmware_product_id: 1001}\n- {owner: " + "{a: " * 10000 + "}" * 10000 + "}\n")' >"$TMP/deep-value.yaml"
decide_input "$TMP/deep-value.yaml"
checks=$((checks + 1))
[ "$status" -eq 2 ] || fail "a deep value gave status $status"
expect_field 1 outcome auto_approve

# Unknown fields: named in the error (a long one cut short), never ignored.
# (YAML allows implicit keys up to 1024 characters; a longer one is a syntax
# error, which ends the run.)
python3 -c 'import sys; sys.stdout.write("- {id: ee0000000000000000000007, platform_id: 26, device_os: 3.3.1, " + "k" * 1000 + ": 1}\n")' >"$TMP/unknown.yaml"
printf -- '- {id: ee0000000000000000000008, platform_id: 26, device_os: 3.3.1, firmware_product_id: 1001, "owner ": x, "Owner": y}\n' >>"$TMP/unknown.yaml"
decide_input "$TMP/unknown.yaml"
expect_field 1 error_code unknown_key
contains "$TMP/out" "unknown field 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'"
expect_field 2 error_code unknown_key
contains "$TMP/out" "unknown field 'owner '"
python3 -c 'import sys; sys.stdout.write("- {id: ee0000000000000000000007, " + "k" * 100000 + ": 1}\n")' >"$TMP/long-key.yaml"
decide_input "$TMP/long-key.yaml"
checks=$((checks + 1))
[ "$status" -eq 2 ] || fail "a 100,000-character key gave status $status"

# An alias bomb is not expanded: aliases are refused, cheaply.
{
    echo '- &a {id: ee0000000000000000000009, platform_id: 26, device_os: 3.3.1}'
    echo '- &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]'
    echo '- &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]'
    echo '- [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'
} >"$TMP/aliases.yaml"
decide_input "$TMP/aliases.yaml"
checks=$((checks + 1))
[ "$(wc -l <"$TMP/out")" -eq 4 ] || fail "aliases: expected 4 lines"

# Line ends and byte order marks.
printf -- '- %s\r\n- %s\r\n' "$good" "$good" >"$TMP/crlf.yaml"
decide_input "$TMP/crlf.yaml"
expect_field 2 outcome auto_approve
printf -- '\357\273\277- %s\n' "$good" >"$TMP/bom.yaml"
decide_input "$TMP/bom.yaml"
expect_field 1 outcome auto_approve
printf '\377\376-\000 \000{\000}\000\n\000' >"$TMP/utf16.yaml"
decide_input "$TMP/utf16.yaml"

# Truncated input.
printf -- '- %s\n- {id: ee000000000000000000000a, platform_id: 2' "$good" >"$TMP/cut.yaml"
decide_input "$TMP/cut.yaml"
checks=$((checks + 1))
[ "$status" -eq 2 ] || fail "truncated input gave status $status"

finish
