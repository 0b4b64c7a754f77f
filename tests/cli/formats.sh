#!/bin/sh
# Device records in YAML, JSON and JSON Lines, told apart without a flag
# (cli/format.c): the same records in every layout give the same
# decisions; a differential run reads the same random records, valid and
# malformed, once as JSON (yajl) and once as YAML (libyaml), and both must
# give the same answers and the same messages at the same lines and
# columns; JSON syntax errors end the input after the records before them,
# with a position; requests and audit records read JSON too.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA"

# same NAME FILE: decide FILE; the output must equal the JSON list's.
same() {
    run "$PPOLICY" decide --policy policy.yaml "$2"
    checks=$((checks + 1))
    [ "$status" -eq 0 ] || fail "$1: status $status: $(head -c 300 "$TMP/err")"
    checks=$((checks + 1))
    cmp -s "$TMP/out" "$TMP/reference" || { fail "$1 decides differently"; diff "$TMP/reference" "$TMP/out" | head -n 6; }
}

# The records of devices.json in other layouts.
"$PPOLICY" decide --policy policy.yaml devices.json >"$TMP/reference"
python3 - "$TMP" <<'PY'
import json, sys
tmp = sys.argv[1]
records = json.load(open("devices.json"))
def write(name, text):
    open("%s/%s" % (tmp, name), "w").write(text)
write("lines.jsonl", "".join(json.dumps(r) + "\n" for r in records))
write("crlf.jsonl", "".join(json.dumps(r) + "\r\n" for r in records))
write("packed.json", "".join(json.dumps(r, separators=(",", ":")) for r in records))
write("pretty.json", json.dumps(records, indent=4) + "\n")
write("objects.json", "\n".join(json.dumps(r, indent=2) for r in records) + "\n")
write("lists.jsonl", json.dumps(records[:3]) + "\n" + json.dumps(records[3:]) + "\n")
write("blank-lines.jsonl", "\n\n" + "\n\n".join(json.dumps(r) for r in records) + "\n\n")
write("stream.yaml", "".join("--- " + json.dumps(r) + "\n" for r in records))
write("block.yaml", "".join("- " + json.dumps(r) + "\n" for r in records))
PY
for f in lines.jsonl crlf.jsonl packed.json pretty.json objects.json lists.jsonl \
    blank-lines.jsonl stream.yaml block.yaml; do
    same "$f" "$TMP/$f"
done
printf '\357\273\277' | cat - "$TMP/lines.jsonl" >"$TMP/bom.jsonl"
same "bom.jsonl" "$TMP/bom.jsonl"
"$PPOLICY" decide --policy policy.yaml <"$TMP/lines.jsonl" >"$TMP/out"
checks=$((checks + 1))
cmp -s "$TMP/out" "$TMP/reference" || fail "JSON Lines on standard input decides differently"

# decide reads its own output: JSON Lines, each line a record with keys
# that are no device fields (unknown_key), not a syntax error.
"$PPOLICY" decide --policy policy.yaml "$TMP/lines.jsonl" >"$TMP/answers.jsonl"
expect_status 0 "$PPOLICY" decide --policy policy.yaml "$TMP/answers.jsonl"
checks=$((checks + 1))
[ "$(grep -c '"error_code":"unknown_key","error":"record [0-9]* (id [0-9a-f]*): unknown field .record. (line [0-9]*, column 2)"' "$TMP/out")" -eq \
  "$(wc -l <"$TMP/answers.jsonl")" ] || fail "decide cannot read its own output line by line"

# Golden: malformed records in JSON Lines, and syntax errors.
expect_status 0 "$PPOLICY" decide --policy policy.yaml malformed.jsonl
golden decide-malformed-jsonl.out "$TMP/out"
json_lines "$TMP/out"
for case in 'trailing-comma|[{"id": "cc0000000000000000000001"},\n]\n|2:1' \
    'unquoted-key|{"id": "cc0000000000000000000001"}\n{"id": "x", device_os: 1}\n|2:13' \
    'cut|{"id": "cc0000000000000000000001"}\n{"id": "x", "sku"\n|3:1' \
    'raw-tab|{"id": "cc0000000000000000000001"}\n{"owner": "a\tb"}\n|2:13' \
    'garbage|{"id": "cc0000000000000000000001"} ]\n|1:36'; do
    name=${case%%|*}
    at=${case##*|}
    text=${case#*|}
    # shellcheck disable=SC2059 # the cases hold printf escapes on purpose
    printf "${text%|*}" >"$TMP/$name.json"
    run "$PPOLICY" decide --policy policy.yaml "$TMP/$name.json"
    checks=$((checks + 1))
    [ "$status" -eq 2 ] || fail "$name: status $status, expected 2"
    checks=$((checks + 1))
    [ "$(wc -l <"$TMP/out")" -eq 1 ] || fail "$name: the record before the error was not decided"
    contains "$TMP/err" "$name.json:$at: error: invalid JSON: "
    cat "$TMP/err" >>"$TMP/syntax.err"
done
sed "s|$TMP/||" "$TMP/syntax.err" >"$TMP/syntax.masked"
golden decide-json-syntax.err "$TMP/syntax.masked"

# A syntax error's position does not depend on where the reader's slices
# of the input end: the same bad line after a first line of every length
# that puts its tokens across the 4 KiB slice ends (json_events.c).
checks=$((checks + 1))
python3 - "$PPOLICY" <<'PY' || fail "a JSON syntax error moves with the slice ends"
import subprocess, sys
bad = {b'{"id": 12 3}': "2:11", b'{"id": "a" "b"}': "2:13", b'{"id": -}': "2:8",
       b'{"id": 01}': "2:9", b'{"development": trux}': "2:20"}
for line, at in bad.items():
    for end in (4096, 8192):
        for k in range(-len(line) - 2, 4):
            start = end + k - len(line)
            data = b'{"note":"' + b"x" * (start - 12) + b'"}\n' + line + b"\n"
            p = subprocess.run([sys.argv[1], "decide", "-p", "policy.yaml", "-"], input=data,
                               capture_output=True)
            where = p.stderr.decode().split(": error:")[0]
            assert where == "<stdin>:" + at, (line, end, k, where)
PY

# Nor on where a read of the input ends (json_events.c keeps the bytes of a
# token cut by one): a bad line sent through a pipe in two pieces, cut at
# every byte.  The first piece ends after a whole record, and the second is
# written only once that record's answer is out, so the reader has read the
# first piece alone and the cut is a read boundary.  Then a bad number far
# longer than a read, which several reads cut wherever they end.
checks=$((checks + 1))
python3 - "$PPOLICY" <<'PY' || fail "a JSON syntax error moves with the read boundaries"
import subprocess, sys
good = b'{"id": "aa0000000000000000000001", "platform_id": 26, "device_os": "3.3.1"}\n'
bad = {b'{"id": "x", "development": trux}': "2:31", b'{"id": 12 3}': "2:11",
       b'{"id": -}': "2:8", b'{"id": 01}': "2:9", b'{"id": 1.e5}': "2:9",
       b'{"id": "abc': "2:12", b'{"id": "a\tb"}': "2:10", b'{"id": @}': "2:8",
       b'{"id": "x", nul}': "2:16", b'{"id": "\\q"}': "2:10", b'{"id": "a" "b"}': "2:13",
       b'{"id": "\xc3\xa9" "\xc3\xa9\xc3\xa9"}': "2:13", b'  {"id": 12 3}': "2:13"}
def where(first, rest):
    p = subprocess.Popen([sys.argv[1], "decide", "-p", "policy.yaml", "-"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        if first:
            p.stdin.write(first)
            p.stdin.flush()
            assert p.stdout.readline().startswith(b"{"), "no answer to the first piece"
        p.stdin.write(rest)
        p.stdin.close()
    except BrokenPipeError:
        pass  # the error was in the first piece already
    p.stdout.read()
    err = p.stderr.read().decode()
    p.wait()
    return err.split(": error:")[0]
for line, at in bad.items():
    assert where(b"", good + line + b"\n") == "<stdin>:" + at, (line, at)
    for cut in range(1, len(line)):
        got = where(good + line[:cut], line[cut:] + b"\n")
        assert got == "<stdin>:" + at, (line, cut, got)
for n in (100000, 300000):
    for tail, after in ((b".e5}", 0), (b"x}", 0), (b" 2}", 1)):
        got = where(b"", b'{"id": 1' + b"1" * n + tail + b"\n")
        assert got == "<stdin>:1:%d" % (9 + n + after), (n, tail, got)
PY

# Differential: the same random records read as JSON and as YAML.  A JSON
# list with one record per line is YAML too (flow style); a comment line in
# front makes the reader take it as YAML, one line further down.
checks=$((checks + 1))
python3 - "$TMP/diff.json" <<'PY' || fail "cannot generate the differential records"
import json, random, sys
r = random.Random(7)
KEYS = ["id", "platform_id", "sku", "device_os", "cloud_product_id", "firmware_product_id",
        "owner", "denied_in", "removed_from", "quarantined_in", "development",
        "firmware_version", "note"]
def value(key):
    c = r.random()
    if c < 0.08: return None
    if c < 0.12: return r.choice([[], [1], {}, {"a": 1}])
    if c < 0.16: return r.choice([True, False])
    if c < 0.20: return r.choice([-1, 4294967296, 1.5, 0, 7, 10**20])
    # (Not U+2028 unescaped: a line break to YAML, not to JSON.)
    if c < 0.24: return r.choice(["", " ", "caf\u00e9", "a\u0000b", "\\", "\"q\"",
                                  "\u00e9" * 400, "x" * 1100, "26", "tracker", "BSOM"])
    if key == "id": return "%024x" % r.getrandbits(96)
    if key in ("platform_id",): return r.choice([26, 23, 32, "tracker", "bsom", 4294967295])
    if key == "sku": return r.choice(["T404MEA", "ONE404MEA", "B404XMEA", "bad sku"])
    if key == "device_os": return r.choice(["3.3.1", "6.1.0", "v4.0.0", "4.1", "01.2.3"])
    if key == "owner": return r.choice(["ann@acme.example", "kim@contractor.example", "x"])
    if key == "development": return r.choice([True, False, "true", 1])
    if key == "note": return r.choice(["n", 5, None, ""])
    return r.choice([0, 1001, 1002, 14001, "1001", 65535, 65536])
lines = []
for n in range(2000):
    keys = r.sample(KEYS, r.randint(0, 8))
    if r.random() < 0.1: keys.append(r.choice(KEYS))              # a duplicate
    if r.random() < 0.05: keys.append(r.choice(["Id", "owner ", "colour"]))
    pairs = ["%s: %s" % (json.dumps(k), json.dumps(value(k), ensure_ascii=r.random() < 0.5))
             for k in keys]
    rec = "{" + ", ".join(pairs) + "}"
    if r.random() < 0.03: rec = r.choice(["[]", "5", "\"s\"", "null", "[{}]"])
    lines.append(rec)
open(sys.argv[1], "w", encoding="utf-8").write("[\n" + ",\n".join(lines) + "\n]\n")
PY
printf '# as YAML\n' | cat - "$TMP/diff.json" >"$TMP/diff.yaml"
"$PPOLICY" decide --policy policy.yaml "$TMP/diff.json" >"$TMP/diff.json.out" 2>"$TMP/diff.json.err" ||
    fail "the differential records as JSON: $(head -c 300 "$TMP/diff.json.err")"
"$PPOLICY" decide --policy policy.yaml "$TMP/diff.yaml" >"$TMP/diff.yaml.out" 2>"$TMP/diff.yaml.err" ||
    fail "the differential records as YAML: $(head -c 300 "$TMP/diff.yaml.err")"
checks=$((checks + 1))
python3 - "$TMP/diff.json.out" "$TMP/diff.yaml.out" <<'PY' || fail "JSON and YAML readers disagree"
import re, sys
a = open(sys.argv[1], encoding="utf-8").read().splitlines()
b = open(sys.argv[2], encoding="utf-8").read().splitlines()
assert len(a) == len(b) == 2000, (len(a), len(b))
shift = lambda line: re.sub(r"\(line (\d+),", lambda m: "(line %d," % (int(m.group(1)) - 1), line)
bad = [(x, y) for x, y in zip(a, b) if x != shift(y)]
for x, y in bad[:3]:
    print("JSON: " + x + "\nYAML: " + shift(y))
sys.exit("%d of 2000 records differ" % len(bad) if bad else 0)
PY
grep -q '"error_code"' "$TMP/diff.json.out" || fail "the differential records hold no malformed record"

# Requests and audit records in JSON.
python3 -c 'import json
print(json.dumps({"actor": "dev", "action": "view_devices", "product_id": 100}))
print(json.dumps({"actor": "dev", "action": "view_device", "product_id": 100}))' >"$TMP/requests.jsonl"
expect_status 0 "$PPOLICY" authorize --policy authz-policy.yaml --batch "$TMP/requests.jsonl"
json_lines "$TMP/out"
contains "$TMP/out" '"request":1,"actor":"dev","actor_kind":"human","action":"view_devices","product_id":100,"allowed":true'
contains "$TMP/out" '"request":2,'
contains "$TMP/out" '"error":"request 2: field action: unknown action (see `ppolicy authorize --help`) (line 2, column 28)"'
python3 -c 'import json, sys
print(json.dumps({"sims": [{"iccid": "8901", "usage_bytes": 20, "limit_bytes": 10}],
                  "integrations": [{"product_id": 1001, "url": "http://x.example", "enforce_ssl": "yes"}]}))' \
    >"$TMP/records.json"
expect_status 1 "$PPOLICY" audit --policy policy.yaml "$TMP/records.json"
contains "$TMP/out" '"message":"integrations[0]: field enforce_ssl: expected unquoted true or false (line 1, column 149)"'

finish
