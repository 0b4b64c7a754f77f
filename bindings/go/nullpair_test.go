package particlepolicy

import (
	"errors"
	"strings"
	"testing"
	"unsafe"
)

// The library answers a NULL pointer with a nonzero length with
// invalid_argument (a caller's bug, never "absent").  A Go value must never
// reach it as such a pair: these tests build every shape a string field can
// take (absent, empty, empty but cut from a longer string, short, long) in
// every record and call of the binding, and check the C side of the
// conversions and the library's answers.

const nullPairPolicy = `version: 1
organizations:
  - name: acme
    members:
      - {user: alice, role: owner, two_step: true}
    api_users:
      - {name: acme-ci, scopes: ['devices:import']}
products:
  - id: 200
    name: B SoM Auto
    organization: acme
    family: bsom
    unrecognized_devices: auto_approve
    approved_integrations: ['https://hooks.acme.example/']
`

// stringShapes are the strings a record field is filled with.  The second
// empty string is cut from the end of a longer one, so its data word points
// past that string's bytes.
func stringShapes() []string {
	long := "e00fce68aabbccddeeff0011"
	return []string{"", long[len(long):], "a", "2.3.0", "B404MEA", "alice", long,
		string([]byte("https://hooks.acme.example/in"))}
}

// optionalShapes are stringShapes as optional fields, nil (absent) first.
func optionalShapes() []*string {
	out := []*string{nil}
	for _, s := range stringShapes() {
		s := s
		out = append(out, &s)
	}
	return out
}

func shapeDevices() []Device {
	var out []Device
	for _, id := range stringShapes() {
		for _, os := range stringShapes() {
			for _, sku := range optionalShapes() {
				for _, owner := range optionalShapes() {
					out = append(out, Device{ID: id, DeviceOS: os, SKU: sku, Owner: owner,
						PlatformID: Ptr[uint32](23), FirmwareProductID: 200})
				}
			}
		}
	}
	return out
}

func nullPairPolicyOrFatal(t *testing.T) *Policy {
	t.Helper()
	p, err := LoadPolicy([]byte(nullPairPolicy))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func notInvalidArgument(t *testing.T, what string, err error) {
	t.Helper()
	if errors.Is(err, CodeInvalidArgument) {
		t.Fatalf("%s: invalid_argument: the binding passed a NULL pointer with a length", what)
	}
}

func noInvalidArgumentFinding(t *testing.T, what string, found []Finding, err error) {
	t.Helper()
	notInvalidArgument(t, what, err)
	for _, f := range found {
		if strings.Contains(f.Message, "invalid_argument") {
			t.Fatalf("%s: finding %v: the binding passed a NULL pointer with a length", what, f)
		}
	}
}

// The C structures the conversions build: a NULL pointer only with length 0,
// and an optional string absent (NULL) exactly when the Go field is nil.
func TestConversionsNeverBuildNullWithLength(t *testing.T) {
	devices := shapeDevices()
	a, first := devicesToC(devices)
	defer a.free()
	for i, c := range unsafe.Slice(first, len(devices)) {
		d := devices[i]
		if (c.id == nil && c.id_len != 0) || (c.device_os == nil && c.device_os_len != 0) ||
			(c.sku == nil && c.sku_len != 0) || (c.owner == nil && c.owner_len != 0) {
			t.Fatalf("device %d (%+v): a NULL pointer with a length", i, d)
		}
		if (c.sku == nil) != (d.SKU == nil) || (c.owner == nil) != (d.Owner == nil) {
			t.Fatalf("device %d (%+v): present and absent confused", i, d)
		}
	}
	var models []Model
	for _, sku := range optionalShapes() {
		models = append(models, Model{SKU: sku})
	}
	ma, cm := modelsToC(models...)
	defer ma.free()
	for i, c := range cm {
		if (c.sku == nil && c.sku_len != 0) || (c.sku == nil) != (models[i].SKU == nil) {
			t.Fatalf("model %d: sku %p length %d", i, c.sku, c.sku_len)
		}
	}
	var in AuditInput
	for _, s := range stringShapes() {
		in.Integrations = append(in.Integrations, IntegrationRecord{ProductID: 200, URL: s})
		in.Tokens = append(in.Tokens, TokenRecord{ProductID: 200, Owner: s})
		in.SIMs = append(in.SIMs, SIMRecord{ICCID: s})
	}
	ra, rc := recordsToC(&in)
	defer ra.free()
	for i, x := range unsafe.Slice(rc.integrations, len(in.Integrations)) {
		if x.url == nil && x.url_len != 0 {
			t.Fatalf("integration %d: NULL with a length", i)
		}
	}
	for i, x := range unsafe.Slice(rc.tokens, len(in.Tokens)) {
		if x.owner == nil && x.owner_len != 0 {
			t.Fatalf("token %d: NULL with a length", i)
		}
	}
	for i, x := range unsafe.Slice(rc.sims, len(in.SIMs)) {
		if x.iccid == nil && x.iccid_len != 0 {
			t.Fatalf("SIM %d: NULL with a length", i)
		}
	}
	for _, s := range stringShapes() {
		ta := newArena(uintptr(len(s)))
		if p, n := ta.text(s); p == nil || int(n) != len(s) {
			t.Fatalf("text(%q) = %p, %d", s, p, n)
		}
		ta.free()
	}
}

// Every device record shape through every call that reads a device.
func TestNoDeviceRecordIsNullWithLength(t *testing.T) {
	p := nullPairPolicyOrFatal(t)
	team, err := NewTeam()
	if err != nil {
		t.Fatal(err)
	}
	defer team.Close()
	if err := team.Add("acme", "bob", RoleDeveloper); err != nil {
		t.Fatal(err)
	}
	devices := shapeDevices()
	for i := range devices {
		d := devices[i]
		dec, err := p.Decide(d)
		notInvalidArgument(t, "Decide "+dec.String(), err)
		if dec.ErrorCode == CodeInvalidArgument {
			t.Fatalf("Decide(%+v): invalid_argument", d)
		}
		_, err = p.DecideWithTeam(team, d)
		notInvalidArgument(t, "DecideWithTeam", err)
		_, err = p.Authorize(Human("alice"), ActionAddDevice, 200, &d)
		notInvalidArgument(t, "Authorize with a device", err)
		_, err = p.MayJoin(200, d.Model())
		notInvalidArgument(t, "MayJoin", err)
	}
	decs, err := p.DecideMany(devices)
	if err != nil {
		notInvalidArgument(t, "DecideMany", err)
	}
	for i, dec := range decs {
		if dec.ErrorCode == CodeInvalidArgument {
			t.Fatalf("DecideMany record %d (%+v): invalid_argument", i, devices[i])
		}
	}
	found, err := p.CheckDevices(devices)
	noInvalidArgumentFinding(t, "CheckDevices", found, err)
	found, err = p.Audit(AuditInput{Devices: devices})
	noInvalidArgumentFinding(t, "Audit", found, err)
}

// Every other string the binding passes.  Where the library refuses an
// empty string as invalid_argument in its own right (a team member's or an
// actor's name, a presented token), only non-empty shapes can tell.
func TestNoOtherStringIsNullWithLength(t *testing.T) {
	p := nullPairPolicyOrFatal(t)
	team, err := NewTeam()
	if err != nil {
		t.Fatal(err)
	}
	defer team.Close()
	var in AuditInput
	for _, s := range stringShapes() {
		in.Integrations = append(in.Integrations, IntegrationRecord{ProductID: 200, URL: s})
		in.Tokens = append(in.Tokens, TokenRecord{ProductID: 200, Owner: s})
		in.SIMs = append(in.SIMs, SIMRecord{ICCID: s})
		if !ScopeGrants(s, s) {
			t.Fatalf("ScopeGrants(%q, %q) is false: a scope grants itself", s, s)
		}
		if CanaryFingerprint(s) == 0 {
			t.Fatalf("CanaryFingerprint(%q) is 0, the NULL-with-length answer", s)
		}
		_, err := p.IsLegacy(s)
		notInvalidArgument(t, "IsLegacy", err)
		_, err = CompareVersions(s, "1.0.0")
		notInvalidArgument(t, "CompareVersions a", err)
		_, err = CompareVersions("1.0.0", s)
		notInvalidArgument(t, "CompareVersions b", err)
		for _, other := range optionalShapes() {
			_, err = p.MayShare(Model{PlatformID: Ptr[uint32](23), SKU: &s},
				Model{PlatformID: Ptr[uint32](23), SKU: other})
			notInvalidArgument(t, "MayShare", err)
		}
		if s == "" {
			continue
		}
		_, err = p.Authorize(Human(s), ActionViewDevices, 200, nil)
		notInvalidArgument(t, "Authorize human "+s, err)
		_, err = p.Authorize(APIUser(s), ActionAddDevice, 200, nil)
		notInvalidArgument(t, "Authorize API user "+s, err)
		notInvalidArgument(t, "Team.Add organization", team.Add(s, "carol", RoleSupport))
		notInvalidArgument(t, "Team.Add user", team.Add("acme", s, RoleSupport))
		found, err := p.CheckToken(s)
		noInvalidArgumentFinding(t, "CheckToken", found, err)
	}
	found, err := p.CheckIntegrations(in.Integrations)
	noInvalidArgumentFinding(t, "CheckIntegrations", found, err)
	found, err = p.CheckTokens(in.Tokens)
	noInvalidArgumentFinding(t, "CheckTokens", found, err)
	found, err = p.CheckSIMs(in.SIMs)
	noInvalidArgumentFinding(t, "CheckSIMs", found, err)
	found, err = p.Audit(in)
	noInvalidArgumentFinding(t, "Audit", found, err)
	for _, text := range [][]byte{nil, {}, []byte("version: 1\n")[:0]} {
		_, err := LoadPolicy(text)
		notInvalidArgument(t, "LoadPolicy of an empty text", err)
	}
}
