#!/bin/sh
# The Go binding's checks (gofmt, go vet, go test -race, then the memory
# tests without the race detector), against the library built in this tree.
# automake's TESTS_ENVIRONMENT passes top_builddir and top_srcdir; by hand:
#   top_builddir=BUILD top_srcdir=SOURCE bindings/go/run-tests.sh [go test args]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
if [ ! -f "$top_builddir/.libs/libparticlepolicy.so" ]; then
    echo "error: $top_builddir/.libs/libparticlepolicy.so is missing: build the library first" >&2
    exit 99
fi
if ! command -v go >/dev/null 2>&1; then
    echo "SKIP: go is not installed (scripts/install-deps.sh installs golang-go)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$here/env.sh"
export top_srcdir

cd "$here"
echo "$(go version), library: $top_builddir/.libs ($pp_version)"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
    echo "gofmt would change: $unformatted" >&2
    exit 1
fi
go vet ./...
go test -race -count=1 -v "$@" ./...
# Memory growth is measured without the race detector, whose own memory grows.
go test -count=1 -v -run '^TestMemory' "$@" ./...
