package particlepolicy

import (
	"errors"
	"reflect"
	"testing"
)

// The source document's quarantine story, on docs/authorization.md's
// policy: a legacy B SoM claiming product 100 is quarantined, approved by a
// developer, then admitted; removed, it reappears on the Denied list.
func TestQuarantineApproveRemoveStory(t *testing.T) {
	p := loadAuthzPolicy(t)
	d := Device{ID: "e00fce68a1b2c3d4e5f60718", PlatformID: Ptr[uint32](23), DeviceOS: "3.3.1",
		FirmwareProductID: 100, FirmwareVersion: 3}

	dec, err := p.Decide(d)
	if err != nil || dec.Rule != 12 || dec.Effects != EffectEnterQuarantine {
		t.Fatalf("newcomer: %v %v", dec, err)
	}
	d, err = d.ApplyEffects(dec)
	if err != nil || d.QuarantinedIn != 100 {
		t.Fatalf("stored: %+v %v", d, err)
	}
	if again, _ := p.Decide(d); again.Effects != 0 {
		t.Errorf("second reconnect writes %v", again.Effects)
	}

	if _, tr, _ := p.Operate(Human("vera"), OperationApproveQuarantined, 100, d); tr.Applied ||
		tr.Refusal != RefusalNotAuthorized || tr.Authorization.Reason != AuthzRoleInsufficient {
		t.Errorf("view-only approves: %v", tr)
	}
	d, tr, err := p.Operate(Human("dev"), OperationApproveQuarantined, 100, d)
	if err != nil || !tr.Applied || tr.Refusal != RefusalNone || !tr.Authorization.OTAUpdatePending {
		t.Fatalf("approve: %v %v", tr, err)
	}
	if d.CloudProductID != 100 || d.QuarantinedIn != 0 {
		t.Errorf("approved: %+v", d)
	}
	if dec, _ := p.Decide(d); dec.Rule != 7 || dec.Privileges != AllPrivileges {
		t.Errorf("after approval: %v", dec)
	}
	d, tr, err = p.Operate(APIUser("ci"), OperationReleaseFirmware, 100, d)
	if err != nil || !tr.Applied || d.FirmwareVersion != 5 {
		t.Errorf("release: %v %+v %v", tr, d, err)
	}

	d, tr, _ = p.Operate(Human("dev"), OperationRemoveDevice, 100, d)
	if !tr.Applied || d.CloudProductID != 0 || d.RemovedFrom != 100 {
		t.Fatalf("remove: %v %+v", tr, d)
	}
	dec, _ = p.Decide(d)
	if dec.Outcome != OutcomeReappearAsDenied || dec.Effects != EffectEnterDeniedList {
		t.Fatalf("removed device reconnects: %v", dec)
	}
	d, _ = d.ApplyEffects(dec)
	if d.DeniedIn != 100 || d.RemovedFrom != 0 {
		t.Errorf("stored: %+v", d)
	}

	// Non-product firmware takes it off the Denied list.
	d.FirmwareProductID = 0
	dec, _ = p.Decide(d)
	if dec.Effects != EffectLeaveDeniedList || dec.LeavesDenied != 100 {
		t.Fatalf("tinker: %v", dec)
	}
	if d, _ = d.ApplyEffects(dec); d.DeniedIn != 0 {
		t.Errorf("left: %+v", d)
	}
}

func TestApplyEffectsRefusesADecisionForAnotherRecord(t *testing.T) {
	p := loadAuthzPolicy(t)
	d := Device{ID: "e00fce68a1b2c3d4e5f60718", PlatformID: Ptr[uint32](23), DeviceOS: "3.3.1",
		DeniedIn: 100}
	dec, _ := p.Decide(d)
	other := d
	other.DeniedIn = 300
	got, err := other.ApplyEffects(dec)
	if !errors.Is(err, CodeInvalidArgument) || !reflect.DeepEqual(got, other) {
		t.Errorf("%+v %v", got, err)
	}
}

func TestOperateKeepsStringsAndDropsTheOwnerOnUnclaim(t *testing.T) {
	p := loadAuthzPolicy(t)
	d := *memberOf100()
	d.Owner = Ptr("customer@example.com")
	next, tr, err := p.Operate(Human("olivia"), OperationUnclaimDevice, 100, d)
	if err != nil || !tr.Applied || next.Owner != nil || next.SKU == nil || *next.SKU != "B404MEA" ||
		next.ID != d.ID {
		t.Errorf("%v %+v %v", tr, next, err)
	}
	next, tr, _ = p.Operate(Human("dev"), OperationMarkDevelopment, 100, d)
	if !tr.Applied || !next.Development || next.Owner == nil {
		t.Errorf("%v %+v", tr, next)
	}
	next, _, _ = p.Operate(Human("dev"), OperationUnmarkDevelopment, 100, next)
	if next.Development {
		t.Errorf("unmark: %+v", next)
	}
}

func TestOperateRefusesInvalidInputAndClosedPolicies(t *testing.T) {
	p := loadAuthzPolicy(t)
	d := *quarantined()
	next, tr, err := p.Operate(Human(""), OperationApproveQuarantined, 100, d)
	if !errors.Is(err, CodeInvalidArgument) || tr.Applied || tr.Refusal != RefusalInvalidInput ||
		!reflect.DeepEqual(next, d) {
		t.Errorf("%v %v", tr, err)
	}
	bad := d
	bad.DeviceOS = "4.1"
	if _, tr, err := p.Operate(Human("dev"), OperationApproveQuarantined, 100, bad); !errors.Is(err, CodeDeviceOS) ||
		tr.ErrorCode != CodeDeviceOS {
		t.Errorf("%v %v", tr, err)
	}
	if _, tr, _ := p.Operate(Human("dev"), Operation(99), 100, d); tr.Refusal != RefusalInvalidInput {
		t.Errorf("unknown operation: %v", tr)
	}
	if _, tr, _ := p.Operate(Human("dev"), OperationReleaseFirmware, 100, d); tr.Refusal != RefusalNoUpdatePending {
		t.Errorf("release to a quarantined device: %v", tr)
	}
	p.Close()
	if _, tr, err := p.Operate(Human("dev"), OperationApproveQuarantined, 100, d); !errors.Is(err, ErrClosed) ||
		tr.Applied || tr.Refusal != RefusalInvalidInput {
		t.Errorf("closed: %v %v", tr, err)
	}
}

func TestOperationAndRefusalNamesMatchTheHeader(t *testing.T) {
	for v, name := range headerNames(t, "PP_OPERATION") {
		if got := Operation(v).String(); got != name {
			t.Errorf("operation %d = %q, header says %q", v, got, name)
		}
		if back, err := ParseOperation(name); err != nil || int(back) != v {
			t.Errorf("ParseOperation(%q) = %v, %v", name, back, err)
		}
	}
	for v, name := range headerNames(t, "PP_REFUSAL") {
		if got := Refusal(v).String(); got != name {
			t.Errorf("refusal %d = %q, header says %q", v, got, name)
		}
	}
	if len(Operations()) != 9 || len(Refusals()) != 4 {
		t.Errorf("%v %v", Operations(), Refusals())
	}
	if OperationUnmarkDevelopment.Action() != ActionMarkDevelopment ||
		OperationAddDevice.Action() != ActionAddDevice || Operation(99).Action() != -1 {
		t.Error("operation actions")
	}
	e := EffectJoin | EffectLeaveQuarantine
	if e.String() != "join,leave_quarantine" || !e.Has(EffectJoin) || e.Has(EffectEnterQuarantine) {
		t.Error(e)
	}
	if _, err := ParseRefusal("maybe"); err == nil {
		t.Error("unknown refusal parsed")
	}
}
