module casbinpeer

go 1.19

require github.com/casbin/casbin/v2 v2.60.0

require (
	github.com/Knetic/govaluate v3.0.1-0.20171022003610-9aa49832a739+incompatible // indirect
	github.com/golang/mock v1.4.4 // indirect
)

// Debian's copies (golang-github-casbin-casbin-dev and its dependencies):
// no module proxy, nothing downloaded.  Debian ships govaluate without a
// go.mod: bench/peers/run.sh copies it beside this directory's copy, as
// ./govaluate, with one.
replace (
	github.com/Knetic/govaluate => ./govaluate
	github.com/casbin/casbin/v2 => /usr/share/gocode/src/github.com/casbin/casbin
	github.com/golang/mock => /usr/share/gocode/src/github.com/golang/mock
)
