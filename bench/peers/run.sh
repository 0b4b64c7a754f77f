#!/bin/sh
# make bench-peers: install pinned casbin and cedar-wasm from the npm registry
# into $top_builddir/bench/peers/node_modules-dir (never committed), run the
# library's side of the workload (bench/ppbench --peers, Python), then the
# peers on the same workload (peers.js), which prints the table.
#   top_builddir=BUILD top_srcdir=SOURCE bench/peers/run.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
for tool in node npm; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "error: $tool is needed (Node 20: apt-get install nodejs npm)" >&2
        exit 1
    fi
done
modules=$top_builddir/bench/peers/node_modules-dir
if [ ! -f "$modules/node_modules/casbin/package.json" ] ||
   [ ! -f "$modules/node_modules/@cedar-policy/cedar-wasm/package.json" ]; then
    mkdir -p "$modules"
    npm install --no-audit --no-fund --no-save --prefix "$modules" \
        casbin@5.51.1 @cedar-policy/cedar-wasm@4.13.0 >&2
fi

cache=$top_builddir/bench/cache
mkdir -p "$cache"
# The C runs are short (100,000 calls take ~10 ms): many of them keep a
# busy machine's preemptions out of the median.
c=$("$top_builddir/bench/ppbench" --peers --repeat 21 --cache "$cache")
stage=$(top_srcdir=$top_srcdir top_builddir=$top_builddir "$top_srcdir/bindings/python/stage.sh")
py=$(PYTHONPATH=$stage PYTHONDONTWRITEBYTECODE=1 \
     "${PYTHON:-python3}" "$here/peer_python.py" "$cache/peer-policy.yaml")
# casbin for Go, Debian's (golang-github-casbin-casbin-dev, which
# scripts/install-deps.sh installs), built offline from a copy of
# bench/peers/casbin-go whose go.mod replaces every module with Debian's
# copy; govaluate comes without a go.mod, so the copy gets one.
gocode=/usr/share/gocode/src/github.com
if command -v go >/dev/null 2>&1 && [ -d "$gocode/casbin/casbin" ]; then
    tmp=$(mktemp -d)
    trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
    cp -R "$here/casbin-go" "$tmp/peer"
    mkdir "$tmp/peer/govaluate"
    cp "$gocode/Knetic/govaluate/"*.go "$tmp/peer/govaluate/"
    rm -f "$tmp/peer/govaluate/"*_test.go
    echo "module github.com/Knetic/govaluate" >"$tmp/peer/govaluate/go.mod"
    chmod -R u+w "$tmp"
    casbin_go=$(cd "$tmp/peer" && GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off \
                GOCACHE="$tmp/cache" go run . "$here/casbin")
else
    echo "casbin for Go: go or golang-github-casbin-casbin-dev missing, skipped" >&2
    casbin_go="authorization 0 0 0
admission 0 0 0"
fi
# "workload median min max" lines (C, Python, casbin-Go) into the JSON
# peers.js reads.
json=$(printf '%s\n%s\n%s\n' "$c" "$py" "$casbin_go" | awk '
    function obj(m, lo, hi) { return "{\"median\":" m ",\"min\":" lo ",\"max\":" hi "}" }
    { v = obj($2, $3, $4); if ($1 in py) cg[$1] = v; else if ($1 in c) py[$1] = v; else c[$1] = v }
    END { for (w in c) printf "%s\"%s\":{\"c\":%s,\"python\":%s,\"casbin_go\":%s}",
                              n++ ? "," : "{", w, c[w], py[w], cg[w]
          printf "}" }')
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}; $(date -u +%Y-%m-%dT%H:%MZ)"
exec node "$here/peers.js" "$modules" "$json"
