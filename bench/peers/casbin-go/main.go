// The casbin peer in Go for make bench-peers: Debian's native casbin
// (golang-github-casbin-casbin-dev) on the two workloads of peers.js, the
// same models, request shapes and checks.  Prints one line per workload,
// "workload median min max" in ns per decision, for bench/peers/run.sh.
// Usage: go run . MODELS_DIR (bench/peers/casbin, the models and policies
// peers.js reads too; offline: go.mod replaces every module with Debian's copy)
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/casbin/casbin/v2"
)

const (
	warmup = 10000
	calls  = 100000
	repeat = 3
)

type shape struct {
	args  []interface{}
	allow bool
}

// Every answer is checked: an engine that decides wrong would be timing
// something else.
func timeShapes(e *casbin.Enforcer, shapes []shape) (median, min, max float64) {
	runs := make([]float64, 0, repeat)
	for r := 0; r < repeat; r++ {
		var t0 time.Time
		for i := 0; i < warmup+calls; i++ {
			if i == warmup {
				t0 = time.Now()
			}
			s := shapes[i%len(shapes)]
			ok, err := e.Enforce(s.args...)
			if err != nil || ok != s.allow {
				fmt.Fprintf(os.Stderr, "casbin-go: shape %d answered %v (%v)\n", i%len(shapes), ok, err)
				os.Exit(1)
			}
		}
		runs = append(runs, float64(time.Since(t0).Nanoseconds())/calls)
	}
	sort.Float64s(runs)
	return runs[len(runs)/2], runs[0], runs[len(runs)-1]
}

// enforcer is casbin with the model and policy NAME.conf and NAME.csv of
// the directory the peers share (bench/peers/casbin).
func enforcer(name string) *casbin.Enforcer {
	e, err := casbin.NewEnforcer(filepath.Join(models, name+".conf"), filepath.Join(models, name+".csv"))
	if err != nil {
		panic(err)
	}
	return e
}

// Device is the object of the authorization workload.
type Device struct {
	State   string
	Product string
}

// Record and Product are the admission workload's request.
type Record struct {
	Cloud  string
	Legacy bool
	Owner  string
}

type Product struct {
	ID   string
	Auto bool
	Org  string
}

// Team members may approve quarantined devices of their product; view-only
// may not.  Shapes: developer + quarantined (allow), view-only +
// quarantined, developer + device already a member, stranger.
func authorization() (float64, float64, float64) {
	e := enforcer("authorization")
	q, m := Device{"quarantined", "p1"}, Device{"member", "p1"}
	return timeShapes(e, []shape{
		{[]interface{}{"alice", q, "approve"}, true},
		{[]interface{}{"bob", q, "approve"}, false},
		{[]interface{}{"alice", m, "approve"}, false},
		{[]interface{}{"carol", q, "approve"}, false},
	})
}

// The decision's core as casbin expresses it (allow = admitted with
// privileges): a member of its cloud product (rule 7), an unknown legacy
// device of a quarantine product (12), a legacy device of an auto-approve
// product owned by a team member (14), and by a stranger (15).
func admission() (float64, float64, float64) {
	e := enforcer("admission")
	p1, p2 := Product{"p1", false, "acme"}, Product{"p2", true, "acme"}
	return timeShapes(e, []shape{
		{[]interface{}{Record{"p1", false, ""}, p1, "connect"}, true},
		{[]interface{}{Record{"", true, ""}, p1, "connect"}, false},
		{[]interface{}{Record{"", true, "alice"}, p2, "connect"}, true},
		{[]interface{}{Record{"", true, "mallory"}, p2, "connect"}, false},
	})
}

// models is the directory of the casbin models and policies, the argument.
var models string

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: casbin-go MODELS_DIR")
		os.Exit(2)
	}
	models = os.Args[1]
	med, lo, hi := authorization()
	fmt.Printf("authorization %.2f %.2f %.2f\n", med, lo, hi)
	med, lo, hi = admission()
	fmt.Printf("admission %.2f %.2f %.2f\n", med, lo, hi)
}
