// The casbin peer in Go for make bench-peers: Debian's native casbin
// (golang-github-casbin-casbin-dev) on the two workloads of peers.js, the
// same models, request shapes and checks.  Prints one line per workload,
// "workload median min max" in ns per decision, for bench/peers/run.sh.
// Usage: go run . (offline: go.mod replaces every module with Debian's copy)
package main

import (
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
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

func enforcer(text string, policies, groupings [][]interface{}) *casbin.Enforcer {
	m, err := model.NewModelFromString(text)
	if err != nil {
		panic(err)
	}
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		panic(err)
	}
	for _, p := range policies {
		if _, err := e.AddPolicy(p...); err != nil {
			panic(err)
		}
	}
	for _, g := range groupings {
		if _, err := e.AddGroupingPolicy(g...); err != nil {
			panic(err)
		}
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
	e := enforcer(`
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, state, act
[role_definition]
g = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub, r.obj.Product) && r.obj.State == p.state && r.act == p.act
`, [][]interface{}{{"member", "quarantined", "approve"}},
		[][]interface{}{{"alice", "member", "p1"}, {"bob", "viewer", "p1"}})
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
	e := enforcer(`
[request_definition]
r = dev, prod, act
[policy_definition]
p = act
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.act == p.act && (r.dev.Cloud == r.prod.ID || (r.prod.Auto == true && r.dev.Legacy == true && g(r.dev.Owner, r.prod.Org)))
`, [][]interface{}{{"connect"}}, [][]interface{}{{"alice", "acme"}, {"bob", "acme"}})
	p1, p2 := Product{"p1", false, "acme"}, Product{"p2", true, "acme"}
	return timeShapes(e, []shape{
		{[]interface{}{Record{"p1", false, ""}, p1, "connect"}, true},
		{[]interface{}{Record{"", true, ""}, p1, "connect"}, false},
		{[]interface{}{Record{"", true, "alice"}, p2, "connect"}, true},
		{[]interface{}{Record{"", true, "mallory"}, p2, "connect"}, false},
	})
}

func main() {
	med, lo, hi := authorization()
	fmt.Printf("authorization %.2f %.2f %.2f\n", med, lo, hi)
	med, lo, hi = admission()
	fmt.Printf("admission %.2f %.2f %.2f\n", med, lo, hi)
}
