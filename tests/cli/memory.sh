#!/bin/sh
# ppolicy decide streams: the peak memory (max RSS) for 200,000 records is
# the same as for 2,000, within a small margin, in each input format (a YAML
# list, a JSON list, JSON Lines).  A reader that kept the input or the
# records would need tens of megabytes more.  No timing.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA"

# peak_kb FORMAT N: max RSS in KiB of `ppolicy decide` fed N generated
# records through a pipe (so the input is never a file it could map).
peak_kb() {
    python3 - "$1" "$2" "$PPOLICY" <<'PY'
import resource, subprocess, sys, threading
fmt, n, ppolicy = sys.argv[1], int(sys.argv[2]), sys.argv[3]
p = subprocess.Popen([ppolicy, "decide", "--policy", "policy.yaml"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
lines = []
def drain():
    for _ in p.stdout:
        lines.append(1)
t = threading.Thread(target=drain)
t.start()
record = (b'{"id": "%024x", "platform_id": 26, "device_os": "3.3.1", '
          b'"firmware_product_id": 1001, "owner": "user%d@example.net"}')
head = {"yaml": b"", "json": b"[\n", "jsonl": b""}[fmt]
lead = b"- " if fmt == "yaml" else b""
tail = b"\n]\n" if fmt == "json" else b"\n"
between = b",\n" if fmt == "json" else b"\n"
p.stdin.write(head)
chunk = []
for i in range(n):
    chunk.append(lead + record % (i, i))
    if len(chunk) == 1000:
        p.stdin.write(between.join(chunk) + (between if i < n - 1 else b""))
        chunk = []
p.stdin.write(between.join(chunk) + tail)
p.stdin.close()
t.join()
if p.wait() != 0 or len(lines) != n:
    sys.exit("decide failed: status %d, %d lines for %d records" % (p.returncode, len(lines), n))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

for format in yaml json jsonl; do
    small=$(peak_kb $format 2000)
    large=$(peak_kb $format 200000)
    echo "$format: peak RSS ${small} KiB for 2,000 records, ${large} KiB for 200,000"
    checks=$((checks + 1))
    [ "$large" -le $((small + 4096)) ] ||
        fail "$format: memory grows with the input: ${small} KiB -> ${large} KiB"
done

finish
