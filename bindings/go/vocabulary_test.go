package particlepolicy

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// headerNames reads `PREFIX_X = N, /* "name" */` (or `(1u << N) /* "name" */`)
// from the public header: the names and numbers the header documents.
func headerNames(t *testing.T, prefix string) map[int]string {
	t.Helper()
	re := regexp.MustCompile(`#?\s*(?:define\s+)?` + prefix +
		`_[A-Z_]+\s*(?:=\s*(-?\d+),?|\(1u << (\d+)\))\s*/\* "([a-z_]+)"`)
	out := map[int]string{}
	for _, m := range re.FindAllStringSubmatch(string(readFile(t, "include", "particlepolicy.h")), -1) {
		n := m[1]
		if n == "" {
			n = m[2]
		}
		v, _ := strconv.Atoi(n)
		out[v] = m[3]
	}
	if len(out) == 0 {
		t.Fatalf("no %s names in the header", prefix)
	}
	return out
}

func TestOutcomeNamesAndNumbersMatchTheHeader(t *testing.T) {
	want := headerNames(t, "PP_OUTCOME")
	if len(Outcomes()) != len(want) {
		t.Fatalf("%d outcomes, header documents %d", len(Outcomes()), len(want))
	}
	for _, o := range Outcomes() {
		if o.String() != want[int(o)] {
			t.Errorf("Outcome(%d) = %q, header says %q", int(o), o, want[int(o)])
		}
	}
	if OutcomeReappearAsDenied.String() != "reappear_as_denied" {
		t.Error(OutcomeReappearAsDenied)
	}
}

func TestRoleNamesMatchTheHeader(t *testing.T) {
	want := headerNames(t, "PP_ROLE")
	got := map[int]string{}
	for _, r := range Roles() {
		got[int(r)] = r.String()
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("roles %v, header %v", got, want)
	}
}

func TestErrorCodeNamesMatchTheHeader(t *testing.T) {
	want := headerNames(t, "PP_ERR")
	codes := ErrorCodes()
	if len(codes) != len(want)+1 || codes[0] != CodeOK || CodeOK.String() != "ok" {
		t.Fatalf("codes %v, header documents %d errors", codes, len(want))
	}
	for _, c := range codes[1:] {
		if c.String() != want[int(c)] {
			t.Errorf("ErrorCode(%d) = %q, header says %q", int(c), c, want[int(c)])
		}
		if c.Text() == "" || c.Text() == "unknown error" {
			t.Errorf("%s has no text", c)
		}
	}
}

func TestPrivilegeAndAdvisoryBitsMatchTheHeader(t *testing.T) {
	for bit, name := range headerNames(t, "PP_PRIVILEGE") {
		if got := Privileges(1 << bit).String(); got != name {
			t.Errorf("privilege bit %d = %q, header says %q", bit, got, name)
		}
	}
	for bit, name := range headerNames(t, "PP_ADVISORY") {
		if got := Advisories(1 << bit).String(); got != name {
			t.Errorf("advisory bit %d = %q, header says %q", bit, got, name)
		}
	}
	for bit, name := range headerNames(t, "PP_EFFECT") {
		if got := Effects(1 << bit).String(); got != name {
			t.Errorf("effect bit %d = %q, header says %q", bit, got, name)
		}
	}
	if AllPrivileges != PrivilegeOTAUpdates|PrivilegeProductEvents|PrivilegeCustomerClaim|PrivilegeProductWebhooks {
		t.Errorf("AllPrivileges = %b", AllPrivileges)
	}
}

func TestReasonsAreTheSpecsInTableOrder(t *testing.T) {
	want := []string{"invalid_input", "not_a_product_device", "unknown_product",
		"platform_not_product_eligible", "incompatible_platform", "sku_required",
		"denied_list", "firmware_reports_no_product", "member", "removed_from_product",
		"not_pre_added", "member_of_other_product", "unrecognized_device", "unowned",
		"owner_is_team_member", "owner_not_team_member", "same_family", "different_families"}
	var got []string
	for _, r := range Reasons() {
		got = append(got, r.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reasons %v", got)
	}
	if ReasonOwnerNotTeamMember.String() != "owner_not_team_member" || ReasonMember != 8 {
		t.Error("reason constants disagree with the names")
	}
}

func TestUnknownValuesPrintTheirNumber(t *testing.T) {
	if s := Outcome(99).String(); s != "Outcome(99)" {
		t.Error(s)
	}
	if s := ErrorCode(-99).String(); s != "ErrorCode(-99)" || ErrorCode(-99).Text() != "unknown error" {
		t.Error(s)
	}
	if s := Privileges(1 << 30).String(); s != "bit30" {
		t.Error(s)
	}
}

func TestParseRoundTripsAndRejectsOtherSpellings(t *testing.T) {
	for _, o := range Outcomes() {
		if got, err := ParseOutcome(o.String()); err != nil || got != o {
			t.Errorf("ParseOutcome(%q) = %v, %v", o, got, err)
		}
	}
	for _, r := range Reasons() {
		if got, err := ParseReason(r.String()); err != nil || got != r {
			t.Errorf("ParseReason(%q) = %v, %v", r, got, err)
		}
	}
	for _, c := range ErrorCodes() {
		if got, err := ParseErrorCode(c.String()); err != nil || got != c {
			t.Errorf("ParseErrorCode(%q) = %v, %v", c, got, err)
		}
	}
	if r, err := ParseRole("administrator"); err != nil || r != RoleAdministrator {
		t.Error(r, err)
	}
	for _, bad := range []string{"OK", "okay", ""} {
		if _, err := ParseOutcome(bad); err == nil {
			t.Errorf("ParseOutcome(%q) accepted", bad)
		}
	}
	if _, err := ParseRole("admin"); err == nil {
		t.Error("ParseRole(admin) accepted")
	}
	if _, err := ParseReason("because"); err == nil {
		t.Error("ParseReason(because) accepted")
	}
	if _, err := ParseErrorCode("oops"); err == nil {
		t.Error("ParseErrorCode(oops) accepted")
	}
}

func TestBitSetsListNamesAndTestMembership(t *testing.T) {
	p := PrivilegeOTAUpdates | PrivilegeCustomerClaim
	if p.String() != "ota_updates,customer_claim" || !p.Has(PrivilegeCustomerClaim) ||
		p.Has(PrivilegeProductEvents) || !reflect.DeepEqual(p.Names(), []string{"ota_updates", "customer_claim"}) {
		t.Errorf("%v %v", p, p.Names())
	}
	a := AdvisoryLeavesQuarantine | AdvisoryOTAUpdatePending
	if a.String() != "ota_update_pending,leaves_quarantine" || !a.Has(AdvisoryLeavesQuarantine) {
		t.Error(a)
	}
	if Privileges(0).String() != "" || len(Advisories(0).Names()) != 0 {
		t.Error("empty sets have names")
	}
}

func TestJSONUsesTheSpecSpelling(t *testing.T) {
	d := Decision{Outcome: OutcomeAutoApprove, Reason: ReasonUnowned, Rule: 13, ProductID: 14001,
		Privileges: AllPrivileges, Advisories: AdvisoryOTAUpdatePending, Effects: EffectJoin}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"outcome":"auto_approve","reason":"unowned","rule":13,"product_id":14001,` +
		`"privileges":["ota_updates","product_events","customer_claim","product_webhooks"],` +
		`"advisories":["ota_update_pending"],"effects":["join"]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back Decision
	if err := json.Unmarshal(b, &back); err != nil || back != d {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	bad := Decision{Outcome: OutcomeDeny, ErrorCode: CodeDeviceID, Advisories: 0}
	b, _ = json.Marshal(bad)
	if want := `{"outcome":"deny","reason":"invalid_input","rule":0,"product_id":0,"privileges":[],"advisories":[],"effects":[],"error":"invalid_device_id"}`; string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	for _, text := range []string{`{"outcome":"maybe"}`, `{"privileges":["root"]}`,
		`{"advisories":["x"]}`, `{"effects":["y"]}`, `{"reason":"why"}`, `{"error":"oops"}`} {
		if err := json.Unmarshal([]byte(text), &back); err == nil {
			t.Errorf("%s accepted", text)
		}
	}
	var r Role
	if err := json.Unmarshal([]byte(`"support"`), &r); err != nil || r != RoleSupport {
		t.Error(r, err)
	}
	if b, _ := json.Marshal(RoleOwner); string(b) != `"owner"` {
		t.Error(string(b))
	}
}

func TestErrorCodesAreErrors(t *testing.T) {
	var err error = CodeDeviceID
	if !errors.Is(err, CodeDeviceID) || err.Error() !=
		"particlepolicy: invalid_device_id: device ID must be 24 hexadecimal characters" {
		t.Error(err)
	}
}

func TestAuthorizationAndAuditNamesMatchTheHeader(t *testing.T) {
	for prefix, got := range map[string][]string{
		"PP_SEVERITY": stringsOf(Severities()), "PP_FINDING": stringsOf(FindingCodes()), "PP_SIM": stringsOf(SimStates()),
		"PP_ACTION": stringsOf(Actions()), "PP_AUTHZ": stringsOf(AuthzReasons()), "PP_ACTOR": stringsOf(ActorKinds()),
		"PP_DEVICE_STATE": stringsOf(DeviceStates()),
	} {
		want := headerNames(t, prefix)
		if len(got) != len(want) {
			t.Errorf("%s: %d values, header documents %d", prefix, len(got), len(want))
		}
		for i, name := range got {
			if want[i] != name {
				t.Errorf("%s %d = %q, header says %q", prefix, i, name, want[i])
			}
		}
	}
	if FindingCanaryTokenUsed.Severity() != SeverityCritical || FindingLTSNotRequired.Severity() != SeverityInfo {
		t.Error("severities")
	}
	for _, f := range FindingCodes() {
		if got, err := ParseFindingCode(f.String()); err != nil || got != f {
			t.Error(f, err)
		}
	}
	for _, a := range Actions() {
		if got, err := ParseAction(a.String()); err != nil || got != a {
			t.Error(a, err)
		}
	}
	if _, err := ParseAction("fly"); err == nil {
		t.Error("fly accepted")
	}
}

func stringsOf[T fmt.Stringer](values []T) []string {
	var out []string
	for _, v := range values {
		out = append(out, v.String())
	}
	return out
}

// notCalled are the header functions the package does not call from Go: a
// Policy's lifetime is Close plus a finalizer (no retain), Decide calls
// and DecideMany call pp_decide and pp_decide_many from C (ppgo_decide and
// ppgo_decide_many in decide.go, which take their pointers as integers), and
// Parse* look names up among those the name functions gave at start-up.
var notCalled = map[string]bool{
	"pp_policy_retain": true, "pp_decide": true, "pp_decide_many": true, "pp_outcome_from_name": true,
	"pp_reason_from_name": true, "pp_role_from_name": true, "pp_action_from_name": true,
	"pp_authz_reason_from_name": true, "pp_finding_from_name": true,
	"pp_effect_from_name": true, "pp_operation_from_name": true, "pp_refusal_from_name": true,
}

// TestEveryHeaderFunctionIsCalled keeps the binding complete: each PP_API
// function of the header is called somewhere in the package's sources.
func TestEveryHeaderFunctionIsCalled(t *testing.T) {
	header := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(
		string(readFile(t, "include", "particlepolicy.h")), "")
	functions := regexp.MustCompile(`PP_API[^;(]*?\b(pp_\w+)\s*\(`).FindAllStringSubmatch(header, -1)
	if len(functions) < 57 {
		t.Fatalf("%d functions in the header", len(functions))
	}
	var sources strings.Builder
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			sources.Write(readFile(t, "bindings", "go", f))
		}
	}
	for _, m := range functions {
		if called := strings.Contains(sources.String(), "C."+m[1]+"("); called == notCalled[m[1]] {
			t.Errorf("%s: called %v, expected %v", m[1], called, !notCalled[m[1]])
		}
	}
}
