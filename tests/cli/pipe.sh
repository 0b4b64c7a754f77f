#!/bin/sh
# A reader that goes away (issue 10.5): with SIGPIPE ignored, as some
# supervisors and language runtimes leave it, `decide` and `authorize
# --batch` on an endless input stop as soon as a write fails with EPIPE,
# with "cannot write the output: Broken pipe" and exit status 4, instead of
# reading on until the input ends.  With SIGPIPE at its default the kernel
# ends the process, as for any Unix tool.
# shellcheck source=tests/cli/lib.sh
. "${top_srcdir:-.}/tests/cli/lib.sh"
need_python
cd "$DATA"

# endless DISPOSITION COMMAND...: feed COMMAND an endless stream of records,
# read one line of its output, close the pipe, and report how it ended.
endless() {
    python3 - "$@" <<'PY'
import signal, subprocess, sys, threading, time
disposition, cmd = sys.argv[1], sys.argv[2:]
record = (b'{"actor": "dev", "action": "view_devices", "product_id": 100},\n'
          if "--batch" in cmd else
          b'{"id": "aa0000000000000000000001", "platform_id": 26, "device_os": "3.3.1"},\n')
def child():
    signal.signal(signal.SIGPIPE, signal.SIG_IGN if disposition == "ignored" else signal.SIG_DFL)
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, preexec_fn=child)
def feed():
    try:
        p.stdin.write(b"[\n")
        while True:
            p.stdin.write(record * 100)
    except OSError:
        pass
threading.Thread(target=feed, daemon=True).start()
first = p.stdout.readline()
p.stdout.close()
try:
    status = p.wait(30)   # bounds a failure only; a working ppolicy stops at once
except subprocess.TimeoutExpired:
    p.kill()
    sys.exit("still reading 30 s after its reader went away")
err = p.stderr.read().decode()
print(("%d %s" % (status, err)).strip())
sys.exit(0 if first.startswith(b"{") else "no first answer")
PY
}

for cmd in "decide --policy policy.yaml" "authorize --policy authz-policy.yaml --batch"; do
    # shellcheck disable=SC2086
    if endless ignored "$PPOLICY" $cmd >"$TMP/result"; then
        checks=$((checks + 1))
        grep -qx "4 ppolicy ${cmd%% *}: cannot write the output: Broken pipe" "$TMP/result" ||
            fail "$cmd, SIGPIPE ignored: $(cat "$TMP/result")"
    else
        fail "$cmd, SIGPIPE ignored: $(cat "$TMP/result")"
    fi
    # shellcheck disable=SC2086
    if endless default "$PPOLICY" $cmd >"$TMP/result"; then
        checks=$((checks + 1))
        grep -qx -- "-13" "$TMP/result" || fail "$cmd, SIGPIPE default: $(cat "$TMP/result")"
    else
        fail "$cmd, SIGPIPE default: $(cat "$TMP/result")"
    fi
done

# A full disk is the same failure.
if [ -w /dev/full ]; then
    run sh -c "'$PPOLICY' validate policy.yaml >/dev/full"
    checks=$((checks + 1))
    [ "$status" -eq 4 ] || fail "writing to /dev/full: status $status"
    contains "$TMP/err" "ppolicy validate: cannot write the output: No space left on device"
fi

finish
