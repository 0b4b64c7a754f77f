// decide_fleet: decide which product every device of a fleet belongs to.
//
//	decide_fleet POLICY.yaml FLEET.json
//
// The Go twin of examples/decide_fleet.c, printing the same lines: one per
// device,
//
//	ID OUTCOME REASON rule=N product=P limited_in=C privileges=a,b advisories=x,y
//
// then a summary.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"particlepolicy"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintf(os.Stderr, "usage: %s POLICY.yaml FLEET.json\n", os.Args[0])
		os.Exit(2)
	}
	policy, err := particlepolicy.LoadPolicyFile(os.Args[1])
	var perr *particlepolicy.Error
	if errors.As(err, &perr) {
		fmt.Fprintf(os.Stderr, "%s:%d:%d: error: %s\n", perr.Source, perr.Line, perr.Column, perr.Message)
		os.Exit(1)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer policy.Close()

	text, err := os.ReadFile(os.Args[2])
	var fleet []particlepolicy.Device // JSON keys as in docs/spec.md §2
	if err == nil {
		err = json.Unmarshal(text, &fleet)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[2], err)
		os.Exit(1)
	}

	// One call for the whole fleet; invalid records are denied with their
	// own error code (the error names only the first), so it is not fatal.
	decisions, _ := policy.DecideMany(fleet)
	counts := map[particlepolicy.Outcome]int{}
	for i, d := range decisions {
		fmt.Printf("%s %s\n", reportedID(fleet[i].ID), d) // Decision prints like the C example
		counts[d.Outcome]++
	}
	fmt.Printf("%d devices:", len(decisions))
	for _, o := range particlepolicy.Outcomes() {
		fmt.Printf(" %s=%d", o, counts[o])
	}
	fmt.Println()
}

// reportedID is the ID in lower case (ASCII only, like C's tolower), or "-".
func reportedID(id string) string {
	if id == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, id)
}
