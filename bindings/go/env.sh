# Sourced by bindings/go/run-tests.sh and examples/compare-outputs.sh: sets
# up the Go toolchain to build against the library in a build tree, offline.
# Needs top_srcdir and top_builddir (absolute) and tmp (a scratch directory
# the caller removes).

# cgo finds the library through pkg-config: a .pc for the build tree.
pp_header="$top_srcdir/include/particlepolicy.h"
pp_version=$(sed -n 's/^#define PP_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$/\2/p' "$pp_header" |
             paste -sd. -)
cat > "$tmp/particlepolicy.pc" <<PC
Name: particlepolicy
Description: libparticlepolicy in the build tree $top_builddir
Version: $pp_version
Libs: -L$top_builddir/.libs -lparticlepolicy
Cflags: -I$top_srcdir/include
PC
PKG_CONFIG_PATH=$tmp${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
LD_LIBRARY_PATH=$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PKG_CONFIG_PATH LD_LIBRARY_PATH

# No toolchain or module downloads, no VCS stamping; caches in the scratch
# directory when HOME cannot hold them.
GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-buildvcs=false GO111MODULE=on GOWORK=off CGO_ENABLED=1
export GOTOOLCHAIN GOPROXY GOFLAGS GO111MODULE GOWORK CGO_ENABLED
if [ -z "${HOME:-}" ] || [ ! -w "${HOME:-/nonexistent}" ]; then
    GOCACHE=${GOCACHE:-$tmp/gocache} GOPATH=${GOPATH:-$tmp/gopath}
    export GOCACHE GOPATH
fi
