package particlepolicy

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

const canary = "pp-canary-7f3a9c1e"

// auditPolicy is docs/security-checks.md's example, with a canary for acme.
func auditPolicy(t testing.TB) *Policy {
	t.Helper()
	text := fmt.Sprintf(`
version: 1
settings: {require_lts: true, sim_notify_percent: 80}
organizations:
  - name: acme
    canary_tokens: [%016x]
    members:
      - {user: olivia, role: owner, two_step: true}
      - {user: nate, role: developer}
    api_users:
      - {name: org-bot, scopes: ['devices:list'], organization_level: true}
products:
  - id: 100
    name: Acme B SoM
    organization: acme
    family: bsom
    require_lts: true
    min_device_os: 4.0.1
    approved_integrations: [https://hooks.acme.example/particle, https://api.acme.example/]
  - {id: 200, name: Acme Auto, organization: acme, family: tracker,
     unrecognized_devices: auto_approve}
`, CanaryFingerprint(canary))
	p, err := LoadPolicy([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

var policyFindings = []string{"auto_approve_enabled Acme Auto",
	"auto_approve_readmits_denied Acme Auto", "lts_not_required Acme Auto",
	"organization_level_api_user org-bot", "two_step_disabled nate"}

// oldDevice is a member of product 100 below its min_device_os.
func oldDevice() Device {
	return Device{ID: "e00fce68a1b2c3d4e5f60718", PlatformID: Ptr[uint32](23), DeviceOS: "3.0.0",
		CloudProductID: 100}
}

// shapes is "record code subject" for each finding.
func shapes(found []Finding) []string {
	out := []string{}
	for _, f := range found {
		out = append(out, fmt.Sprintf("%d %s %s", f.Record, f.Code, f.Subject))
	}
	return out
}

// finder returns a helper that takes a check's (findings, error) and fails
// the test on an error.
func finder(t *testing.T) func([]Finding, error) []Finding {
	return func(found []Finding, err error) []Finding {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
}

func TestCheckPolicyGivesItsDocumentedFindings(t *testing.T) {
	p := auditPolicy(t)
	must := finder(t)
	found := must(p.CheckPolicy())
	var got []string
	for _, f := range found {
		got = append(got, f.Code.String()+" "+f.Subject)
		if f.Severity != f.Code.Severity() || f.Message == "" {
			t.Error(f)
		}
		if f.Code == FindingAutoApproveEnabled && f.ProductID != 200 {
			t.Error(f)
		}
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, policyFindings) {
		t.Error(got)
	}
}

func TestCheckIntegrationsEachKindOfFinding(t *testing.T) {
	p := auditPolicy(t)
	must := finder(t)
	found := must(p.CheckIntegrations([]IntegrationRecord{
		{100, "http://evil.example/", true},
		{100, "https://hooks.acme.example/particle", false},
		{100, "https://hooks.acme.example/particle", true},
		{100, "https://api.acme.example/v2/events", true},
		{100, "https://hooks.acme.example/particle2", true},
		{200, "https://hooks.acme.example/particle", true},
		{999, "https://hooks.acme.example/particle", true},
		{100, "", true},
	}))
	want := []string{"0 insecure_transport http://evil.example/", "0 unaccounted_integration http://evil.example/",
		"1 ssl_not_enforced https://hooks.acme.example/particle",
		"4 unaccounted_integration https://hooks.acme.example/particle2",
		"5 unaccounted_integration https://hooks.acme.example/particle",
		"6 unaccounted_integration https://hooks.acme.example/particle", "7 invalid_record "}
	if got := shapes(found); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if found[0].Severity != SeverityCritical || found[0].ProductID != 100 {
		t.Error(found[0])
	}
}

func TestCheckTokensSIMsAndDevicesEachKindOfFinding(t *testing.T) {
	p := auditPolicy(t)
	must := finder(t)
	tokens := must(p.CheckTokens([]TokenRecord{
		{100, "olivia", true, true}, {100, "nate", true, false}, {0, "nate", true, true}, {100, "", false, true},
	}))
	if got, want := shapes(tokens), []string{"0 full_control_human_token olivia", "0 owner_account_token olivia",
		"2 full_control_human_token nate", "3 invalid_record "}; !reflect.DeepEqual(got, want) {
		t.Errorf("tokens %q", got)
	}
	sims := must(p.CheckSIMs([]SIMRecord{
		{"8901000000000000001", 799, 1000}, {"8901000000000000002", 800, 1000},
		{"8901000000000000003", 1000, 1000}, {"", 1, 1000},
	}))
	if got, want := shapes(sims), []string{"1 sim_data_notify 8901000000000000002",
		"2 sim_data_paused 8901000000000000003", "3 invalid_record "}; !reflect.DeepEqual(got, want) {
		t.Errorf("sims %q", got)
	}
	current, bad := oldDevice(), oldDevice()
	current.DeviceOS, bad.ID = "4.0.1", "XYZ"
	devices := must(p.CheckDevices([]Device{current, oldDevice(), bad}))
	if got, want := shapes(devices), []string{"1 device_os_below_minimum e00fce68a1b2c3d4e5f60718",
		"2 invalid_record XYZ"}; !reflect.DeepEqual(got, want) {
		t.Errorf("devices %q", got)
	}
	if devices[0].ProductID != 100 || !strings.Contains(devices[1].Message, "invalid_device_id") {
		t.Error(devices)
	}
	if none := must(p.CheckDevices(nil)); len(none) != 0 {
		t.Error(none)
	}
}

func TestCheckTokenFindsACanaryAndNeverRepeatsIt(t *testing.T) {
	p := auditPolicy(t)
	must := finder(t)
	found := must(p.CheckToken(canary))
	if len(found) != 1 || found[0].Code != FindingCanaryTokenUsed || found[0].Subject != "acme" ||
		found[0].Severity != SeverityCritical || strings.Contains(fmt.Sprint(found), canary) {
		t.Error(found)
	}
	if none := must(p.CheckToken("an ordinary token")); len(none) != 0 {
		t.Error(none)
	}
	if _, err := p.CheckToken(""); !errors.Is(err, CodeInvalidArgument) {
		t.Error(err)
	}
}

func TestAuditIsEveryCheckInOrder(t *testing.T) {
	p := auditPolicy(t)
	must := finder(t)
	in := AuditInput{
		Integrations: []IntegrationRecord{{100, "http://evil.example/", true}},
		Tokens:       []TokenRecord{{100, "olivia", true, true}},
		SIMs:         []SIMRecord{{"8901", 10, 10}},
		Devices:      []Device{oldDevice()},
	}
	found := must(p.Audit(in))
	var want []Finding
	for _, part := range [][]Finding{must(p.CheckPolicy()), must(p.CheckIntegrations(in.Integrations)),
		must(p.CheckTokens(in.Tokens)), must(p.CheckSIMs(in.SIMs)),
		must(p.CheckDevices(in.Devices))} {
		want = append(want, part...)
	}
	if len(found) != len(policyFindings)+2+2+1+1 || !reflect.DeepEqual(found, want) {
		t.Errorf("audit %v\nwant  %v", found, want)
	}
	if alone := must(p.Audit(AuditInput{})); !reflect.DeepEqual(alone, want[:len(policyFindings)]) {
		t.Error(alone)
	}
}

func TestAuditReturnsMoreFindingsThanTheFirstArrayHolds(t *testing.T) {
	p := auditPolicy(t)
	must := finder(t)
	const n = 150 // two findings each, far past the first guess
	var records []IntegrationRecord
	for i := 0; i < n; i++ {
		records = append(records, IntegrationRecord{ProductID: 100, URL: fmt.Sprintf("http://h%d.example/", i)})
	}
	found := must(p.Audit(AuditInput{Integrations: records}))
	k := len(policyFindings)
	if len(found) != k+2*n {
		t.Fatalf("%d findings", len(found))
	}
	for i := 0; i < n; i++ {
		f := found[k+2*i+1]
		if f.Record != i || f.Subject != records[i].URL {
			t.Fatalf("finding for record %d: %v", i, f)
		}
	}
}

func TestFindingsAreCopiesThatOutliveThePolicy(t *testing.T) {
	p := auditPolicy(t)
	must := finder(t)
	found := must(p.Audit(AuditInput{Integrations: []IntegrationRecord{{100, "http://gone.example/", true}}}))
	p.Close()
	var got []string
	k := len(policyFindings)
	for _, f := range found[:k] {
		got = append(got, f.Code.String()+" "+f.Subject)
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, policyFindings) || found[k].Subject != "http://gone.example/" {
		t.Error(found)
	}
	if _, err := p.CheckPolicy(); !errors.Is(err, ErrClosed) {
		t.Error(err)
	}
	if _, err := p.Audit(AuditInput{}); !errors.Is(err, ErrClosed) {
		t.Error(err)
	}
	if s, err := p.SIMState(1, 10); s != SimPaused || !errors.Is(err, ErrClosed) {
		t.Error(s, err)
	}
}

func TestSIMStateFollowsThePolicyNotifyShare(t *testing.T) {
	p := auditPolicy(t)
	for _, c := range []struct {
		usage, limit uint64
		want         SimState
	}{{799, 1000, SimActive}, {800, 1000, SimNotify}, {999, 1000, SimNotify}, {1000, 1000, SimPaused},
		{0, 0, SimPaused}, {1<<64 - 2, 1<<64 - 1, SimNotify}} {
		if s, err := p.SIMState(c.usage, c.limit); err != nil || s != c.want {
			t.Errorf("%d of %d: %v, %v", c.usage, c.limit, s, err)
		}
	}
	def, err := LoadPolicy([]byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer def.Close()
	if s, _ := def.SIMState(899, 1000); s != SimActive {
		t.Error(s)
	}
	if s, _ := def.SIMState(900, 1000); s != SimNotify {
		t.Error(s)
	}
}

func TestCanaryFingerprintIsXXH3OfTheToken(t *testing.T) {
	if fp := CanaryFingerprint(""); fp != 0x2D06800538D394C2 { // XXH3-64 of no bytes
		t.Errorf("%016x", fp)
	}
	if CanaryFingerprint("tok") == CanaryFingerprint("tok2") {
		t.Error("collision")
	}
}
