# Sourced by bench/run.sh and bench/go-cost.sh: builds bench/go against a
# copy of bindings/go (its go.mod's replace points at ../binding), offline
# and leaving the source tree untouched, as $tmp/gobench, in the
# environment bindings/go/env.sh sets up for building and running it.
# Needs top_srcdir, top_builddir, here (bench/) and tmp (a scratch
# directory the caller removes).
. "$top_srcdir/bindings/go/env.sh"
cp -R "$top_srcdir/bindings/go" "$tmp/binding"
cp -R "$here/go" "$tmp/bench"
chmod -R u+w "$tmp"
(cd "$tmp/bench" && go build -o "$tmp/gobench" .)
