#!/bin/sh
# ppolicy decide streams: the peak memory (max RSS) for 200,000 records is
# the same as for 2,000, within a small margin.  A reader that kept the
# input or the records would need tens of megabytes more.  No timing.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA"

# peak_kb N: max RSS in KiB of `ppolicy decide` fed N generated records
# through a pipe (so the input is never a file it could map).
peak_kb() {
    python3 - "$1" "$PPOLICY" <<'PY'
import resource, subprocess, sys
n, ppolicy = int(sys.argv[1]), sys.argv[2]
p = subprocess.Popen([ppolicy, "decide", "--policy", "policy.yaml"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
import threading
lines = []
def drain():
    for _ in p.stdout:
        lines.append(1)
t = threading.Thread(target=drain)
t.start()
p.stdin.write(b"[\n")
chunk = []
for i in range(n):
    chunk.append(b'{"id": "%024x", "platform_id": 26, "device_os": "3.3.1", '
                 b'"firmware_product_id": 1001, "owner": "user%d@example.net"},\n' % (i, i))
    if len(chunk) == 1000:
        p.stdin.write(b"".join(chunk))
        chunk = []
p.stdin.write(b"".join(chunk) + b"]\n")
p.stdin.close()
t.join()
if p.wait() != 0 or len(lines) != n:
    sys.exit("decide failed: status %d, %d lines for %d records" % (p.returncode, len(lines), n))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

small=$(peak_kb 2000)
large=$(peak_kb 200000)
echo "peak RSS: ${small} KiB for 2,000 records, ${large} KiB for 200,000"
checks=$((checks + 1))
[ "$large" -le $((small + 4096)) ] ||
    fail "memory grows with the input: ${small} KiB -> ${large} KiB"

finish
