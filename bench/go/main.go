// Go binding figures for make bench: Policy.Decide per call and
// Policy.DecideMany per record on the policies ppbench cached, printed as
// rows of ppbench's Markdown table.  bench/run.sh runs it against a copy of
// bindings/go.  Usage: go run . CACHE_DIR
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	pp "particlepolicy"
)

const (
	repeat = 5
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

func row(what string, s []float64, unit, workload string, limit float64) {
	sort.Float64s(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
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

func main() {
	cache := os.Args[1]
	limits := pp.Limits{MaxInputBytes: 1 << 31, MaxNodes: 1<<32 - 1, MaxProducts: 1<<32 - 1,
		MaxMembers: 1<<32 - 1}
	for _, c := range []struct {
		label, file      string
		nproducts, norgs int
	}{{"small", "small-policy.yaml", 5, 2}, {"large", "large-policy.yaml", 10000, 1000}} {
		text, err := os.ReadFile(filepath.Join(cache, c.file))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		p, err := pp.LoadPolicyWithLimits(text, limits)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		devs := records(calls, c.nproducts, c.norgs)
		var one, many []float64
		for r := 0; r <= repeat; r++ {
			t0 := time.Now()
			for i := range devs {
				if _, err := p.Decide(devs[i]); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
			ns1 := float64(time.Since(t0).Nanoseconds()) / calls
			t0 = time.Now()
			if _, err := p.DecideMany(devs); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			nsm := float64(time.Since(t0).Nanoseconds()) / calls
			if r > 0 {
				one, many = append(one, ns1), append(many, nsm)
			}
		}
		work := fmt.Sprintf("%d calls; %s policy; rules 7/12/14/15 in turn", calls, c.label)
		limit := 150.0 // issue 15: the small policy
		if c.label == "large" {
			limit = 300
		}
		row("Go Policy.Decide, "+c.label, one, "ns/call", work, limit)
		row("Go Policy.DecideMany, "+c.label, many, "ns/record", work, 0)
		p.Close()
	}
}
