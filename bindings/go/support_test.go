package particlepolicy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// srcdir is the source tree: $top_srcdir (as make check passes it) or ../..
func srcdir(parts ...string) string {
	top := os.Getenv("top_srcdir")
	if top == "" {
		top = filepath.Join("..", "..")
	}
	return filepath.Join(append([]string{top}, parts...)...)
}

func readFile(t testing.TB, parts ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(srcdir(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func examplePolicy(t testing.TB) *Policy {
	t.Helper()
	p, err := LoadPolicyFile(srcdir("examples", "policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// fleet is examples/fleet.json (its "note" keys are ignored).
func fleet(t testing.TB) []Device {
	t.Helper()
	var devices []Device
	if err := json.Unmarshal(readFile(t, "examples", "fleet.json"), &devices); err != nil {
		t.Fatal(err)
	}
	return devices
}

// expectedLines is examples/fleet.expected without its summary line.
func expectedLines(t testing.TB) []string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(string(readFile(t, "examples", "fleet.expected")), "\n"), "\n")
	return lines[:len(lines)-1]
}

// fleetLine is one line of the C example's output (examples/decide_fleet.c).
func fleetLine(d Device, dec Decision) string {
	id := strings.ToLower(d.ID)
	if d.ID == "" {
		id = "-"
	}
	return fmt.Sprintf("%s %s", id, dec)
}

// member is a member of product 14001 (tracker, auto-approve, released 23).
func member() Device {
	return Device{ID: "269e0d37f2a74de452e6b438", PlatformID: Ptr[uint32](26),
		SKU: Ptr("T404MEA"), DeviceOS: "6.1.1", CloudProductID: 14001,
		FirmwareProductID: 14001, FirmwareVersion: 23}
}

// newcomer is a legacy tracker new to 14001: rules 13-15 decide it.
func newcomer(owner string) Device {
	d := Device{ID: "81e74ef5e8e25d940ed90475", PlatformID: Ptr[uint32](26),
		DeviceOS: "3.3.1", FirmwareProductID: 14001, FirmwareVersion: 23}
	if owner != "" {
		d.Owner = &owner
	}
	return d
}
