package particlepolicy

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
)

// A step of `ppolicy replay --format json` (tests/cli/golden/replay-*.json).
type storyStep struct {
	Step              int       `json:"step"`
	Event             string    `json:"event"`
	Operation         Operation `json:"operation"`
	Actor             string    `json:"actor"`
	ActorKind         string    `json:"actor_kind"`
	ProductID         uint32    `json:"product_id"`
	FirmwareProductID uint32    `json:"firmware_product_id"`
	FirmwareVersion   uint32    `json:"firmware_version"`
	DeviceOS          string    `json:"device_os"`
	Owner             *string   `json:"owner"`
	Decision          *struct {
		ProductID        uint32   `json:"product_id"`
		Outcome          Outcome  `json:"outcome"`
		Reason           Reason   `json:"reason"`
		Rule             int      `json:"rule"`
		Privileges       []string `json:"privileges"`
		Advisories       []string `json:"advisories"`
		Effects          []string `json:"effects"`
		LeavesDenied     uint32   `json:"leaves_denied"`
		LeavesQuarantine uint32   `json:"leaves_quarantine"`
	} `json:"decision"`
	Answer *struct {
		Applied bool    `json:"applied"`
		Refusal Refusal `json:"refusal"`
		Allowed bool    `json:"allowed"`
		Reason  string  `json:"reason"`
	} `json:"answer"`
	Record Device `json:"record"`
}

// nonNil is a list of names, [] rather than nil when empty.
func nonNil(n []string) []string {
	if n == nil {
		return []string{}
	}
	return n
}

// playStep plays one step of the CLI's story on d through the binding and
// checks what it gives against the CLI's; it returns the record after it.
func playStep(t *testing.T, p *Policy, d Device, st storyStep) Device {
	t.Helper()
	switch st.Event {
	case "reconnect":
		dec, _ := p.Decide(d)
		w := st.Decision
		if w == nil || dec.Outcome != w.Outcome || dec.Reason != w.Reason || dec.Rule != w.Rule ||
			dec.ProductID != w.ProductID || dec.LeavesDenied != w.LeavesDenied ||
			dec.LeavesQuarantine != w.LeavesQuarantine ||
			!reflect.DeepEqual(nonNil(dec.Privileges.Names()), w.Privileges) ||
			!reflect.DeepEqual(nonNil(dec.Advisories.Names()), w.Advisories) ||
			!reflect.DeepEqual(nonNil(dec.Effects.Names()), w.Effects) {
			t.Fatalf("step %d: decision %+v, the CLI's %+v", st.Step, dec, w)
		}
		next, err := d.ApplyEffects(dec)
		if err != nil {
			t.Fatalf("step %d: %v", st.Step, err)
		}
		return next
	case "operate":
		actor := Human(st.Actor)
		if st.ActorKind == "api_user" {
			actor = APIUser(st.Actor)
		}
		next, tr, err := p.Operate(actor, st.Operation, st.ProductID, d)
		w := st.Answer
		if err != nil || w == nil || tr.Applied != w.Applied || tr.Refusal != w.Refusal ||
			tr.Authorization.Allowed != w.Allowed || tr.Authorization.Reason.String() != w.Reason {
			t.Fatalf("step %d: answer %+v (%v), the CLI's %+v", st.Step, tr, err, w)
		}
		return next
	case "flash":
		d.FirmwareProductID, d.FirmwareVersion = st.FirmwareProductID, st.FirmwareVersion
	case "device_os":
		d.DeviceOS = st.DeviceOS
	case "claim":
		d.Owner = st.Owner
	default:
		t.Fatalf("step %d: unknown event %q", st.Step, st.Event)
	}
	return d
}

// The lifecycle stories of examples/stories, replayed through the binding:
// every step gives what `ppolicy replay` gives, so Go and the CLI tell the
// same story.
func TestStoriesReplayAsTheCLIReplaysThem(t *testing.T) {
	p := examplePolicy(t)
	files, err := filepath.Glob(srcdir("tests", "cli", "golden", "replay-*.json"))
	if err != nil || len(files) < 6 {
		t.Fatalf("stories: %v %v", files, err)
	}
	for _, file := range files {
		var story struct {
			Story string      `json:"story"`
			Start Device      `json:"start"`
			Steps []storyStep `json:"steps"`
		}
		if err := json.Unmarshal(readFile(t, "tests", "cli", "golden", filepath.Base(file)), &story); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		t.Run(filepath.Base(story.Story), func(t *testing.T) {
			d := story.Start
			for _, st := range story.Steps {
				d = playStep(t, p, d, st)
				if !reflect.DeepEqual(d, st.Record) {
					t.Fatalf("step %d: record %+v, the CLI's %+v", st.Step, d, st.Record)
				}
			}
		})
	}
}
