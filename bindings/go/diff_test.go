package particlepolicy

import (
	"errors"
	"strings"
	"testing"
)

// The example policy with the Tide Gauge (14002) switched to auto-approve.
func autoApproveVariant(t *testing.T) *Policy {
	t.Helper()
	text := strings.Replace(string(readFile(t, "examples", "policy.yaml")),
		"    family: bsom\n    unrecognized_devices: quarantine\n",
		"    family: bsom\n    unrecognized_devices: auto_approve\n", 1)
	p, err := LoadPolicy([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestDiffOfAutoApproveNamesTheChangeAndTheDevicesThatGain(t *testing.T) {
	d, err := examplePolicy(t).Diff(autoApproveVariant(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if len(d.Changes) != 1 {
		t.Fatalf("changes %+v", d.Changes)
	}
	c := d.Changes[0]
	if c.Kind != ChangeProductChanged || c.Direction != DirectionLoosening || c.ProductID != 14002 ||
		c.Key != "unrecognized_devices" || c.Old != "quarantine" || c.New != "auto_approve" ||
		c.FindingsIntroduced != 2 {
		t.Errorf("change %+v", c)
	}
	if c.Kind.String() != "product_changed" || c.Direction.String() != "loosening" {
		t.Errorf("names %s %s", c.Kind, c.Direction)
	}
	// auto_approve_enabled and auto_approve_readmits_denied, both brought by the change.
	if len(d.Findings) != 2 {
		t.Fatalf("findings %+v", d.Findings)
	}
	for i, code := range []FindingCode{FindingAutoApproveEnabled, FindingAutoApproveReadmitsDenied} {
		if f := d.Findings[i]; !f.Introduced || f.Change != 0 || f.Finding.Code != code {
			t.Errorf("finding %d: %+v", i, f)
		}
	}
	if len(d.DeviceClasses) != 5 || d.ClassesExamined < 1000 || len(d.Authorizations) != 0 {
		t.Fatalf("%d classes of %d, %d authorizations", len(d.DeviceClasses), d.ClassesExamined,
			len(d.Authorizations))
	}
	gains := 0
	for i, k := range d.DeviceClasses {
		if !strings.Contains(k.Description, "firmware claims 14002") || k.Old.Rule != 12 {
			t.Errorf("class %d: %s, old rule %d", i, k.Description, k.Old.Rule)
		}
		if k.PrivilegesGained != 0 {
			gains++
		}
		// The representative belongs to its class and decides as it says.
		class, old, now, err := d.ClassOf(k.Representative)
		if err != nil || class != i || old != k.Old || now != k.New {
			t.Errorf("class %d: ClassOf %d %v -> %v, %v", i, class, old, now, err)
		}
	}
	if gains != 4 {
		t.Errorf("%d classes gain", gains)
	}
}

func TestDiffClassOfEveryFleetRecordPredictsItsDecisions(t *testing.T) {
	oldPolicy, newPolicy := examplePolicy(t), autoApproveVariant(t)
	d, err := oldPolicy.Diff(newPolicy)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for i, dev := range fleet(t) {
		class, predictedOld, predictedNew, err := d.ClassOf(dev)
		old, oldErr := oldPolicy.Decide(dev)
		now, _ := newPolicy.Decide(dev)
		if !errors.Is(err, oldErr) && !(err == nil && oldErr == nil) {
			t.Errorf("record %d: ClassOf error %v, Decide %v", i, err, oldErr)
		}
		if predictedOld != old || predictedNew != now || (class >= 0) != (old != now) {
			t.Errorf("record %d: class %d predicts %v -> %v, decides %v -> %v", i, class,
				predictedOld, predictedNew, old, now)
		}
	}
}

func TestDiffOfEqualPoliciesIsEmptyAndAClosedDiffRefusesClassOf(t *testing.T) {
	p := examplePolicy(t)
	d, err := p.Diff(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Changes)+len(d.Findings)+len(d.DeviceClasses)+len(d.Authorizations) != 0 {
		t.Errorf("diff of a policy with itself: %+v", d)
	}
	d.Close()
	d.Close()
	if class, old, _, err := d.ClassOf(fleet(t)[0]); !errors.Is(err, ErrClosed) || class != -1 ||
		old.Outcome != OutcomeDeny {
		t.Errorf("closed: %d %v %v", class, old, err)
	}
	closed := autoApproveVariant(t)
	closed.Close()
	if _, err := p.Diff(closed); !errors.Is(err, ErrClosed) {
		t.Errorf("diff with a closed policy: %v", err)
	}
}

func TestChangeKindAndDirectionNamesMatchTheHeader(t *testing.T) {
	want := headerNames(t, "PP_CHANGE")
	if len(ChangeKinds()) != len(want) {
		t.Fatalf("%d kinds, header documents %d", len(ChangeKinds()), len(want))
	}
	for _, k := range ChangeKinds() {
		if k.String() != want[int(k)] {
			t.Errorf("ChangeKind(%d) = %q, header says %q", int(k), k, want[int(k)])
		}
	}
	directionsWant := headerNames(t, "PP_DIRECTION")
	for _, e := range []Direction{DirectionNeutral, DirectionTightening, DirectionLoosening} {
		if e.String() != directionsWant[int(e)] {
			t.Errorf("Direction(%d) = %q, header says %q", int(e), e, directionsWant[int(e)])
		}
	}
}
