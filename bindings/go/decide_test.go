package particlepolicy

import (
	"encoding/json"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestExampleFleetDecidesAsTheCExample(t *testing.T) {
	p := examplePolicy(t)
	devices := fleet(t)
	want := expectedLines(t)
	if len(devices) != 39 || len(want) != 39 {
		t.Fatalf("%d devices, %d expected lines", len(devices), len(want))
	}
	for i, d := range devices {
		dec, err := p.Decide(d)
		if (err != nil) != (dec.ErrorCode != CodeOK) {
			t.Errorf("device %d: error %v with decision %v", i, err, dec)
		}
		if got := fleetLine(d, dec); got != want[i] {
			t.Errorf("device %d:\n got  %s\n want %s", i, got, want[i])
		}
	}
}

func TestDecideManyEqualsOneByOne(t *testing.T) {
	p := examplePolicy(t)
	devices := fleet(t)
	many, err := p.DecideMany(devices)
	var rerr *RecordError
	if !errors.As(err, &rerr) || rerr.Index != 32 || rerr.Code != CodeDeviceID ||
		!errors.Is(err, CodeDeviceID) {
		t.Errorf("first invalid record: %v", err) // fleet.json's record 32 has a 23-digit ID
	}
	if err.Error() != "particlepolicy: record 32: invalid_device_id: device ID must be 24 hexadecimal characters" {
		t.Error(err)
	}
	for i, d := range devices {
		one, _ := p.Decide(d)
		if many[i] != one {
			t.Errorf("device %d: batch %v, alone %v", i, many[i], one)
		}
	}
	if out, err := p.DecideMany(nil); err != nil || len(out) != 0 {
		t.Error(out, err)
	}
	if _, err := p.DecideMany(devices[:3]); err != nil {
		t.Errorf("valid batch: %v", err)
	}
}

func TestMemberGetsEveryPrivilege(t *testing.T) {
	p := examplePolicy(t)
	d, err := p.Decide(member())
	want := Decision{Outcome: OutcomeOK, Reason: ReasonMember, Rule: 7, ProductID: 14001,
		Privileges: AllPrivileges}
	if err != nil || d != want {
		t.Errorf("%v, %v", d, err)
	}
	if d.String() != "ok member rule=7 product=14001 limited_in=0 "+
		"privileges=ota_updates,product_events,customer_claim,product_webhooks advisories=-" {
		t.Error(d.String())
	}
}

func TestLimitedInNamesTheCloudProduct(t *testing.T) {
	p := examplePolicy(t)
	d, _ := p.Decide(Device{ID: "b2f14c942e05319acb5c7427", PlatformID: Ptr[uint32](10),
		DeviceOS: "3.3.1", CloudProductID: 13999, FirmwareProductID: 14005})
	if d.Outcome != OutcomeQuarantine || d.Reason != ReasonMemberOfOtherProduct || d.Rule != 11 ||
		d.LimitedIn != 13999 {
		t.Error(d)
	}
}

func TestInvalidInputIsADenyWithItsCode(t *testing.T) {
	p := examplePolicy(t)
	cases := []struct {
		change func(*Device)
		code   ErrorCode
	}{
		{func(d *Device) { d.ID = "12bd4acefaecbd389be4bcf" }, CodeDeviceID},
		{func(d *Device) { d.ID = "" }, CodeDeviceID},
		{func(d *Device) { d.DeviceOS = "4.1" }, CodeDeviceOS},
		{func(d *Device) { d.DeviceOS = "" }, CodeDeviceOS},
		{func(d *Device) { d.SKU = Ptr("T404 MEA") }, CodeSKU},
		{func(d *Device) { d.Owner = Ptr("") }, CodeOwner},
		{func(d *Device) { d.FirmwareVersion = 70000 }, CodeFirmwareVersion},
		{func(d *Device) { d.PlatformID, d.SKU = nil, nil }, CodePlatform},
	}
	for _, c := range cases {
		d := member()
		c.change(&d)
		dec, err := p.Decide(d)
		want := Decision{Outcome: OutcomeDeny, Reason: ReasonInvalidInput, ErrorCode: c.code}
		if dec != want || !errors.Is(err, c.code) {
			t.Errorf("%s: %v, %v", c.code, dec, err)
		}
	}
}

func TestOwnerKeepsAnEmbeddedNUL(t *testing.T) {
	p := examplePolicy(t)
	// Cut at the NUL, the owner would be fay, a team member: auto_approve.
	d, err := p.Decide(newcomer("fay@brightwater.example\x00mallory"))
	if !errors.Is(err, CodeOwner) || d.ErrorCode != CodeOwner {
		t.Error(d, err)
	}
	d, _ = p.Decide(newcomer("fay@brightwater.example"))
	if d.Reason != ReasonOwnerIsTeamMember {
		t.Error(d)
	}
}

func TestPlatformIDAbsentLetsTheSKUDecide(t *testing.T) {
	p := examplePolicy(t)
	d := member()
	d.PlatformID = nil
	if dec, err := p.Decide(d); err != nil || dec.Reason != ReasonMember {
		t.Error(dec, err)
	}
	// Platform 0 is the Core, not "absent".
	d.PlatformID = Ptr[uint32](0)
	if dec, _ := p.Decide(d); dec.Outcome != OutcomeDeny || dec.ErrorCode != CodeOK {
		t.Error(dec)
	}
}

func TestDevelopmentDeviceIsFlaggedAndGetsNoOTA(t *testing.T) {
	p := examplePolicy(t)
	d := member()
	d.FirmwareVersion, d.Development = 21, true
	if dec, _ := p.Decide(d); dec.Advisories != AdvisoryDevelopmentDevice {
		t.Error(dec)
	}
	d.Development = false
	if dec, _ := p.Decide(d); dec.Advisories != AdvisoryOTAUpdatePending {
		t.Error(dec)
	}
}

func TestDeviceDecodesFromTheCLIsJSON(t *testing.T) {
	var d Device
	text := `{"id": "0C5C7FD0A6A3A4506513270E", "platform_id": 26, "sku": "ONE404MEA",
		"device_os": "3.3.1", "cloud_product_id": 14001, "firmware_product_id": 14001,
		"owner": null, "firmware_version": 21, "development": false, "note": "ignored"}`
	if err := json.Unmarshal([]byte(text), &d); err != nil {
		t.Fatal(err)
	}
	want := Device{ID: "0C5C7FD0A6A3A4506513270E", PlatformID: Ptr[uint32](26),
		SKU: Ptr("ONE404MEA"), DeviceOS: "3.3.1", CloudProductID: 14001,
		FirmwareProductID: 14001, FirmwareVersion: 21}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("%+v", d)
	}
	if d.Model().SKU == nil || *d.Model().SKU != "ONE404MEA" || *d.Model().PlatformID != 26 {
		t.Error(d.Model())
	}
}

func TestRunTimeTeamCountsForRule14(t *testing.T) {
	p := examplePolicy(t)
	outsider := newcomer("zoe@partner.example")
	if d, _ := p.Decide(outsider); d.Reason != ReasonOwnerNotTeamMember {
		t.Error(d)
	}
	team, err := NewTeam()
	if err != nil {
		t.Fatal(err)
	}
	defer team.Close()
	if err := team.Add("brightwater", "zoe@partner.example", RoleDeveloper); err != nil {
		t.Fatal(err)
	}
	d, err := p.DecideWithTeam(team, outsider)
	if err != nil || d.Outcome != OutcomeAutoApprove || d.Reason != ReasonOwnerIsTeamMember || d.Rule != 14 {
		t.Error(d, err)
	}
	ds, err := p.DecideManyWithTeam(team, []Device{outsider, newcomer("")})
	if err != nil || ds[0] != d || ds[1].Reason != ReasonUnowned {
		t.Error(ds, err)
	}
	other, _ := NewTeam()
	defer other.Close()
	_ = other.Add("harbor-labs", "zoe@partner.example", RoleOwner)
	if d, _ := p.DecideWithTeam(other, outsider); d.Reason != ReasonOwnerNotTeamMember {
		t.Errorf("another organization's team counted: %v", d)
	}
}

func TestDecisionStringShowsErrorAndLimitedIn(t *testing.T) {
	d := Decision{Outcome: OutcomeQuarantine, Reason: ReasonMemberOfOtherProduct, Rule: 11,
		ProductID: 14005, LimitedIn: 13999, ErrorCode: CodeOK}
	if !strings.Contains(d.String(), "limited_in=13999 privileges=- advisories=-") {
		t.Error(d)
	}
	d = Decision{Outcome: OutcomeDeny, Reason: ReasonInvalidInput, ErrorCode: CodeSKU}
	if !strings.HasSuffix(d.String(), " error=invalid_sku") {
		t.Error(d)
	}
}

// DecideMany copies and decides a batch in chunks of batchRecords: answers
// keep their order across chunks, the first invalid record is found in a
// later chunk, and a chunk whose strings outgrow the C block of the chunk
// before gets a larger one.
func TestDecideManyAcrossChunksEqualsOneByOne(t *testing.T) {
	p := examplePolicy(t)
	var valid []Device
	for _, d := range fleet(t) {
		if dec, err := p.Decide(d); err == nil && dec.Outcome != OutcomeDeny {
			valid = append(valid, d)
		}
	}
	if len(valid) < 10 {
		t.Fatalf("%d valid fleet records", len(valid))
	}
	n := 4*batchRecords + 17
	devices := make([]Device, n)
	for i := range devices {
		devices[i] = valid[i%len(valid)]
	}
	long := strings.Repeat("o", 4*batchRecords*40) // more than a chunk's usual strings
	devices[3*batchRecords+5] = newcomer(long)
	firstBad := 2*batchRecords + 3
	devices[firstBad].ID = "not hex"
	devices[n-1].DeviceOS = "x"
	many, err := p.DecideMany(devices)
	var rerr *RecordError
	if !errors.As(err, &rerr) || rerr.Index != firstBad || rerr.Code != CodeDeviceID {
		t.Errorf("first invalid record: %v, want record %d", err, firstBad)
	}
	if len(many) != n {
		t.Fatalf("%d decisions for %d records", len(many), n)
	}
	for i, d := range devices {
		if one, _ := p.Decide(d); many[i] != one {
			t.Errorf("device %d: batch %v, alone %v", i, many[i], one)
		}
	}
	if many[n-1].ErrorCode != CodeDeviceOS {
		t.Errorf("last record: %v", many[n-1])
	}
}

// Decide builds its record in C from the Go strings: present-but-empty must
// stay present (non-NULL) and "" must stay absent, exactly as in a batch.
func TestDecideAloneAndInABatchAgreeOnEmptyAndAbsentStrings(t *testing.T) {
	p := examplePolicy(t)
	noSKU, emptySKU, emptyOwner := member(), member(), newcomer("")
	noSKU.SKU, emptySKU.SKU, emptyOwner.Owner = nil, Ptr(""), Ptr("")
	noID, noOS, dev := member(), member(), member()
	noID.ID, noOS.DeviceOS, dev.Development = "", "", true
	cases := []struct {
		d    Device
		code ErrorCode
	}{
		{member(), CodeOK}, {noSKU, CodeOK}, {emptySKU, CodeSKU},
		{newcomer(""), CodeOK}, {emptyOwner, CodeOwner},
		{noID, CodeDeviceID}, {noOS, CodeDeviceOS}, {dev, CodeOK},
	}
	for i, c := range cases {
		one, err := p.Decide(c.d)
		many, _ := p.DecideMany([]Device{c.d})
		if one != many[0] || one.ErrorCode != c.code || (err != nil) != (c.code != CodeOK) {
			t.Errorf("case %d: alone %v (%v), in a batch %v, want code %v", i, one, err,
				many[0], c.code)
		}
	}
}

// An empty string sliced off the end of a heap object points just past it.
// Decide must not hand that pointer to C: the garbage collector would mark
// whatever object follows ("found pointer to free object").  Run the
// collector while such strings are in flight.
func TestDecideWithEmptyStringsAtTheEndOfHeapObjects(t *testing.T) {
	p := examplePolicy(t)
	for i := 0; i < 2000; i++ {
		buf := []byte(strings.Repeat("x", 8+i%64))
		tail := string(buf)[len(buf):]
		d := newcomer("")
		d.SKU, d.Owner = &tail, &tail
		dec, _ := p.Decide(d)
		if dec.ErrorCode != CodeSKU {
			t.Fatalf("empty SKU: got %v, want %v", dec.ErrorCode, CodeSKU)
		}
		if i%100 == 0 {
			runtime.GC()
		}
	}
}
