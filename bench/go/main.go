// Go binding figures for make bench: Policy.Decide per call and
// Policy.DecideMany per record on the policies ppbench cached, printed as
// rows of ppbench's Markdown table: the calling thread's CPU time (the
// goroutine is locked to it), the wall-clock median beside it, as
// bench_python.py does.  bench/run.sh runs it against a copy of
// bindings/go.  Usage: go run . CACHE_DIR
//
// go run . --count decide|decide_many N CACHE_DIR makes N calls (or decides
// N records in batches) on the small policy and nothing else, for
// bench/go-cost.sh to count instructions under callgrind.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	pp "particlepolicy"
)

const (
	repeat = 5
	// Rounds that warm up before the measured ones: the Go heap grows to
	// its working size over the first batches (DecideMany's first three
	// rounds on the small policy took 2-3x the later ones).
	warmup = 4
	calls  = 200000
)

var platforms = []uint32{6, 8, 10, 12, 13, 23, 25, 26, 28, 35}

// records: members (rule 7), unknown legacy devices (12), auto-approved
// team devices (14), strangers (15), as in bench_python.py.
func records(n, nproducts, norgs int) []pp.Device {
	out := make([]pp.Device, n)
	for r := range out {
		i := r % nproducts
		d := pp.Device{ID: fmt.Sprintf("%024x", r)}
		switch r % 4 {
		case 0:
			d.DeviceOS, d.CloudProductID = "5.4.0", uint32(1000+i)
		case 1:
			i |= 1
			d.DeviceOS, d.FirmwareProductID = "3.3.1", uint32(1000+i)
		case 2:
			i &^= 1
			d.DeviceOS, d.FirmwareProductID = "3.3.1", uint32(1000+i)
			d.Owner = pp.Ptr(fmt.Sprintf("m%d", i%norgs))
		case 3:
			i &^= 1
			d.DeviceOS, d.FirmwareProductID = "3.3.1", uint32(1000+i)
			d.Owner = pp.Ptr(fmt.Sprintf("x%d", r))
		}
		if i >= nproducts {
			i = nproducts - 2
			d.FirmwareProductID = uint32(1000 + i)
		}
		d.PlatformID = pp.Ptr(platforms[i%10])
		out[r] = d
	}
	return out
}

func median(s []float64) float64 {
	sort.Float64s(s)
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

func row(what string, s []float64, unit, workload string, limit float64) {
	med := median(s)
	target := ""
	if limit > 0 {
		target = fmt.Sprintf("<= %g: met", limit)
		if med > limit {
			target = fmt.Sprintf("<= %g: missed by %.0f%%", limit, (med/limit-1)*100)
		}
	}
	fmt.Printf("| %s | %.4g | %.4g | %.4g | %s | %s | %s |\n", what, med, s[0], s[len(s)-1],
		unit, workload, target)
}

// threadCPU is the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime,
		uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		fmt.Fprintln(os.Stderr, "clock_gettime:", e)
		os.Exit(1)
	}
	return time.Duration(ts.Nano())
}

// timed is the thread CPU and wall-clock nanoseconds per record of work.
func timed(records int, work func()) (cpu, wall float64) {
	c0, t0 := threadCPU(), time.Now()
	work()
	return float64(threadCPU()-c0) / float64(records), float64(time.Since(t0)) / float64(records)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func decideEach(p *pp.Policy, devs []pp.Device) {
	for i := range devs {
		if _, err := p.Decide(devs[i]); err != nil {
			fail(err)
		}
	}
}

func decideMany(p *pp.Policy, devs []pp.Device) {
	if _, err := p.DecideMany(devs); err != nil {
		fail(err)
	}
}

// count makes the calls bench/go-cost.sh counts: the same policy, records
// and warm-up whatever n, so that the difference of two runs is the calls.
func count(mode string, n int, cache string) {
	p, err := pp.LoadPolicyFile(filepath.Join(cache, "small-policy.yaml"))
	if err != nil {
		fail(err)
	}
	devs := records(calls, 5, 2)
	decideMany(p, devs[:1000])
	for done := 0; done < n; done += len(devs) {
		batch := devs[:min(n-done, len(devs))]
		if mode == "decide" {
			decideEach(p, batch)
		} else {
			decideMany(p, batch)
		}
	}
	p.Close()
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func main() {
	if os.Args[1] == "--count" {
		n, err := strconv.Atoi(os.Args[3])
		if err != nil {
			fail(err)
		}
		count(os.Args[2], n, os.Args[4])
		return
	}
	runtime.LockOSThread() // the thread whose CPU time is measured
	cache := os.Args[1]
	limits := pp.Limits{MaxInputBytes: 1 << 31, MaxNodes: 1<<32 - 1, MaxProducts: 1<<32 - 1,
		MaxMembers: 1<<32 - 1}
	for _, c := range []struct {
		label, file      string
		nproducts, norgs int
	}{{"small", "small-policy.yaml", 5, 2}, {"large", "large-policy.yaml", 10000, 1000}} {
		text, err := os.ReadFile(filepath.Join(cache, c.file))
		if err != nil {
			fail(err)
		}
		p, err := pp.LoadPolicyWithLimits(text, limits)
		if err != nil {
			fail(err)
		}
		devs := records(calls, c.nproducts, c.norgs)
		var one, many, oneWall, manyWall, ratio []float64
		for r := 0; r < warmup+repeat; r++ {
			cpu1, wall1 := timed(calls, func() { decideEach(p, devs) })
			cpum, wallm := timed(calls, func() { decideMany(p, devs) })
			if r >= warmup {
				one, many = append(one, cpu1), append(many, cpum)
				oneWall, manyWall = append(oneWall, wall1), append(manyWall, wallm)
				ratio = append(ratio, cpum/cpu1)
			}
		}
		work := fmt.Sprintf("%d calls; %s policy; rules 7/12/14/15 in turn; thread CPU time", calls, c.label)
		limit := 150.0 // issue 15: the small policy
		if c.label == "large" {
			limit = 300
		}
		wall := func(s []float64) string { return fmt.Sprintf("; wall-clock median %.4g ns", median(s)) }
		row("Go Policy.Decide, "+c.label, one, "ns/call", work+wall(oneWall), limit)
		row("Go Policy.DecideMany, "+c.label, many, "ns/record",
			fmt.Sprintf("%d records in one call; %s policy; rules 7/12/14/15 in turn; thread CPU time%s",
				calls, c.label, wall(manyWall)), 0)
		row("Go DecideMany / Decide, "+c.label, ratio, "x", "per run, same records, CPU time", 0)
		p.Close()
	}
}
