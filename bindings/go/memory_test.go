//go:build !race

// The race detector's own memory grows with every allocation it watches, so
// these run without it (run-tests.sh runs them in a second pass).

package particlepolicy

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
)

const mib = 1 << 20

// Growth allowed once warm: allocator noise, far below any real leak (16
// bytes per decision would be 15 MiB over a million; the policies left to
// finalizers below, 12 MiB).
const memoryBound = 4 * mib

func rss(t *testing.T) int64 {
	t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skip("needs /proc to read RSS")
	}
	pages, _ := strconv.ParseInt(strings.Fields(string(data))[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

func TestMemoryStaysFlatOverAMillionDecisions(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	p := examplePolicy(t)
	team, _ := NewTeam()
	defer team.Close()
	_ = team.Add("brightwater", "user7@example.com", RoleDeveloper)
	batch := make([]Device, 1000)
	for i := range batch {
		switch i % 3 {
		case 0:
			batch[i] = member()
			batch[i].FirmwareVersion = uint32(1 + i%50)
		case 1:
			batch[i] = newcomer(fmt.Sprintf("user%d@example.com", i))
			batch[i].FirmwareProductID = uint32(14001 + i%900)
		default:
			batch[i] = member()
			batch[i].ID = batch[i].ID[1:] // invalid
		}
	}
	for i := 0; i < 20; i++ {
		_, _ = p.DecideManyWithTeam(team, batch)
	}
	before := rss(t)
	decided := 0
	for round := 0; round < 900; round++ {
		var tm *Team
		if round%2 == 1 {
			tm = team
		}
		out, _ := p.DecideManyWithTeam(tm, batch)
		decided += len(out)
	}
	for i := 0; i < 100_000; i++ {
		_, _ = p.Decide(batch[i%len(batch)])
		decided++
	}
	growth := rss(t) - before
	t.Logf("RSS grew %.1f MiB", float64(growth)/mib)
	if decided != 1_000_000 {
		t.Errorf("%d decisions", decided)
	}
	if growth > memoryBound {
		t.Errorf("RSS grew %.1f MiB over a million decisions", float64(growth)/mib)
	}
}

func TestMemoryOfPoliciesAndTeamsDroppedWithoutCloseIsFreed(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	text := readFile(t, "examples", "policy.yaml")
	churn := func(n int) {
		for i := 0; i < n; i++ {
			p, err := LoadPolicy(text)
			if err != nil {
				t.Fatal(err)
			}
			team, _ := NewTeam()
			for j := 0; j < 20; j++ {
				_ = team.Add("brightwater", fmt.Sprintf("u%d@example.com", j), RoleSupport)
			}
			_, _ = p.DecideWithTeam(team, newcomer("u1@example.com"))
			if i%2 == 1 { // half closed, half left to the finalizers
				p.Close()
				team.Close()
			}
			// The collector cannot see the C memory behind a Policy, so
			// without this thousands of unreachable policies could wait
			// for a collection and RSS would measure that backlog.
			if i%50 == 0 {
				runtime.GC()
			}
		}
		runtime.GC()
		time.Sleep(50 * time.Millisecond) // finalizers run on their own goroutine
	}
	churn(2000)
	before := rss(t)
	churn(6000) // a leak of the 3000 left to finalizers would be about 30 MiB
	growth := rss(t) - before
	t.Logf("RSS grew %.1f MiB", float64(growth)/mib)
	if growth > memoryBound {
		t.Errorf("RSS grew %.1f MiB over 6000 policies and team sets", float64(growth)/mib)
	}
}

func TestMemoryStaysFlatOverAuthorizationsAndAudits(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	p := examplePolicy(t)
	devices := fleet(t)
	var sims []SIMRecord
	var integrations []IntegrationRecord
	for i := 0; i < 50; i++ {
		sims = append(sims, SIMRecord{ICCID: fmt.Sprintf("8901%015d", i), UsageBytes: uint64(i * 3), LimitBytes: 100})
		integrations = append(integrations, IntegrationRecord{ProductID: 14001, URL: fmt.Sprintf("http://h%d.example/", i)})
	}
	in := AuditInput{Integrations: integrations, SIMs: sims, Devices: devices}
	work := func(rounds int) int {
		n := 0
		for r := 0; r < rounds; r++ {
			for i := range devices {
				_, _ = p.Authorize(Human("fay@brightwater.example"), Action(i%16), 14001, &devices[i])
				n++
			}
			if r%20 == 0 {
				// More findings than the first array holds: two calls each.
				if found, err := p.Audit(in); err != nil || len(found) <= firstCap {
					t.Fatalf("%d findings, %v", len(found), err)
				}
			}
		}
		return n
	}
	work(100)
	before := rss(t)
	n := work(5000)
	growth := rss(t) - before
	t.Logf("RSS grew %.1f MiB over %d authorizations", float64(growth)/mib, n)
	if growth > memoryBound {
		t.Errorf("RSS grew %.1f MiB", float64(growth)/mib)
	}
}

// Decide makes one cgo call with the record built on the C stack: nothing on
// the Go heap either (a pointer to an opaque C type passed to cgo would be).
func TestMemoryDecideAllocatesNothing(t *testing.T) {
	p := examplePolicy(t)
	team, _ := NewTeam()
	defer team.Close()
	d := newcomer("fay@brightwater.example")
	for _, tm := range []*Team{nil, team} {
		if n := testing.AllocsPerRun(1000, func() { _, _ = p.DecideWithTeam(tm, d) }); n != 0 {
			t.Errorf("team %v: %v allocations per Decide", tm != nil, n)
		}
	}
}
