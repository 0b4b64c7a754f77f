package particlepolicy

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const twoProducts = "version: 1\nproducts:\n  - id: 7\n    name: seven\n    family: argon\n" +
	"  - id: 8\n    name: eight\n    family: boron\n"

func TestLoadPolicyCompilesTheExample(t *testing.T) {
	p := examplePolicy(t)
	var ids []uint32
	for _, pr := range p.Products() {
		ids = append(ids, pr.ID)
	}
	if !reflect.DeepEqual(ids, []uint32{14001, 14002, 14003, 14004, 14005, 14006}) {
		t.Error(ids)
	}
	q, err := LoadPolicy(readFile(t, "examples", "policy.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if q.Fingerprint() != p.Fingerprint() || p.Fingerprint() == 0 {
		t.Errorf("fingerprints %x %x", q.Fingerprint(), p.Fingerprint())
	}
}

func TestEveryValidDataFileLoads(t *testing.T) {
	paths, _ := filepath.Glob(srcdir("tests", "data", "valid", "*.yaml"))
	if len(paths) == 0 {
		t.Fatal("no valid data files")
	}
	for _, path := range paths {
		p, err := LoadPolicyFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		p.Close()
	}
}

// Each file of tests/data/invalid starts `# expect: LINE:COL CODE TEXT`,
// TEXT a substring of the message (as tests/check_load.c reads them).
var expectLine = regexp.MustCompile(`^# expect: (\d+):(\d+) (\w+) (.*)`)

func TestEveryInvalidDataFileFailsWithItsCodeLineColumnAndMessage(t *testing.T) {
	paths, _ := filepath.Glob(srcdir("tests", "data", "invalid", "*.yaml"))
	checked := 0
	for _, path := range paths {
		data, _ := os.ReadFile(path)
		first, _, _ := bytes.Cut(data, []byte("\n"))
		m := expectLine.FindStringSubmatch(string(first))
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[1])
		column, _ := strconv.Atoi(m[2])
		_, err := LoadPolicyFile(path)
		var perr *Error
		if !errors.As(err, &perr) {
			t.Errorf("%s: got %v, want an *Error", path, err)
			continue
		}
		if perr.Code.String() != m[3] || perr.Line != line || perr.Column != column ||
			!strings.Contains(perr.Message, m[4]) || perr.Source != path {
			t.Errorf("%s: got %s %d:%d %q, want %s %d:%d %q", filepath.Base(path),
				perr.Code, perr.Line, perr.Column, perr.Message, m[3], line, column, m[4])
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d invalid cases", checked)
	}
}

func TestLoadErrorCarriesCodePositionAndMessage(t *testing.T) {
	text := "version: 1\nproducts:\n  - id: 7\n    name: seven\n    famly: argon\n"
	_, err := LoadPolicy([]byte(text))
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("%v is not an *Error", err)
	}
	if perr.Code != CodeUnknownKey || perr.Line != 5 || perr.Column != 5 ||
		perr.Offset != strings.Index(text, "famly") || !strings.Contains(perr.Message, "did you mean 'family'?") {
		t.Errorf("%+v", perr)
	}
	if !errors.Is(err, CodeUnknownKey) || errors.Is(err, CodeDuplicate) {
		t.Error("errors.Is does not see the code")
	}
	if want := "<policy>:5:5: " + perr.Message + " (unknown_key)"; err.Error() != want {
		t.Errorf("%q", err.Error())
	}
}

func TestValidatePolicyReportsEveryErrorInSourceOrder(t *testing.T) {
	text := "version: 1\nproducts:\n  - {id: 0, name: p, family: argon}\n" +
		"  - {id: 2, name: q, famly: argon}\n"
	errs, err := ValidatePolicy([]byte(text))
	if err != nil || len(errs) != 3 {
		t.Fatalf("%v %v", errs, err)
	}
	// The missing key is reported at its mapping, before the misspelt key.
	want := []ErrorCode{CodeOutOfRange, CodeMissingKey, CodeUnknownKey}
	lines := []int{3, 4, 4}
	for i, e := range errs {
		if e.Code != want[i] || e.Line != lines[i] {
			t.Errorf("%d: %+v", i, e)
		}
	}
	if _, loadErr := LoadPolicy([]byte(text)); !errors.Is(loadErr, CodeOutOfRange) {
		t.Errorf("load: %v", loadErr)
	}
	if errs, err := ValidatePolicy([]byte("version: 1\n")); errs != nil || err != nil {
		t.Errorf("a valid policy: %v %v", errs, err)
	}
}

func TestLoadPolicyFileErrorsNameTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, []byte("version: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadPolicyFile(path)
	if !errors.Is(err, CodeSchemaVersion) || !strings.HasPrefix(err.Error(), path+":1:") {
		t.Error(err)
	}
	if _, err := LoadPolicyFile(path + ".missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Error(err)
	}
}

func TestEmptyAndSyntacticallyBrokenTextFail(t *testing.T) {
	if _, err := LoadPolicy(nil); !errors.Is(err, CodeMissingKey) {
		t.Errorf("empty: %v", err)
	}
	_, err := LoadPolicy([]byte("version: 1\nproducts: [\n"))
	var perr *Error
	if !errors.As(err, &perr) || perr.Code != CodeYAML || perr.Line == 0 {
		t.Errorf("syntax: %v", err)
	}
}

func TestLimitsArePassedToTheLibrary(t *testing.T) {
	p, err := LoadPolicyWithLimits([]byte(twoProducts), Limits{MaxProducts: 2})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if _, err := LoadPolicyWithLimits([]byte(twoProducts), Limits{MaxProducts: 1}); !errors.Is(err, CodeLimit) {
		t.Error(err)
	}
	if _, err := LoadPolicyWithLimits([]byte(twoProducts), Limits{MaxInputBytes: 16}); !errors.Is(err, CodeLimit) {
		t.Error(err)
	}
}

func TestFingerprintIgnoresLayoutAndOrderButNotRules(t *testing.T) {
	reordered := "# the same\nversion: 1\nproducts:\n  - {family: boron, name: eight, id: 8}\n" +
		"  - {id: 7, family: argon, name: seven}\n"
	changed := strings.Replace(twoProducts, "family: boron", "family: bsom", 1)
	fp := func(text string) uint64 {
		p, err := LoadPolicy([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		return p.Fingerprint()
	}
	if fp(twoProducts) != fp(reordered) || fp(twoProducts) == fp(changed) {
		t.Errorf("%x %x %x", fp(twoProducts), fp(reordered), fp(changed))
	}
}

func TestProductsAreReadBackAsCompiled(t *testing.T) {
	p := examplePolicy(t)
	got, ok := p.Product(14001)
	want := Product{ID: 14001, Name: "Brightwater Fleet Tracker", Organization: "brightwater",
		Family: "tracker", UnrecognizedDevices: "auto_approve", RemovedDevices: "deny",
		ReleasedFirmware: 23}
	if !ok || got != want {
		t.Errorf("%+v", got)
	}
	if pr, _ := p.Product(14002); pr.RemovedDevices != "quarantine" || pr.UnrecognizedDevices != "quarantine" {
		t.Errorf("%+v", pr)
	}
	if pr, _ := p.Product(14005); pr.MinDeviceOS != "2.3.0" || pr.ReleasedFirmware != 8 {
		t.Errorf("%+v", pr)
	}
	if _, ok := p.Product(15999); ok {
		t.Error("15999 found")
	}
	q, _ := LoadPolicy([]byte(twoProducts))
	defer q.Close()
	if pr, _ := q.Product(7); pr.Organization != "" || pr.Family != "argon" {
		t.Errorf("%+v", pr)
	}
}

func TestPlatformSKUAndFamilyTables(t *testing.T) {
	p := examplePolicy(t)
	platforms := map[string]Platform{}
	for _, pl := range p.Platforms() {
		platforms[pl.Name] = pl
	}
	if platforms["bsom"] != (Platform{23, "bsom", true, "bsom"}) ||
		platforms["xenon"] != (Platform{14, "xenon", false, ""}) || platforms["p2"].Family != "" {
		t.Errorf("%+v", platforms)
	}
	// Every platform of Particle's device-constants (docs/hardware.md).
	if platforms["tachyon"] != (Platform{42, "tachyon", true, "tachyon"}) ||
		platforms["duo"] != (Platform{88, "duo", false, ""}) || len(platforms) != 26 {
		t.Errorf("%d platforms: %+v", len(platforms), platforms)
	}
	skus := map[string]SKUPrefix{}
	for _, s := range p.SKUs() {
		skus[s.Prefix] = s
	}
	if skus["E404X"] != (SKUPrefix{"E404X", 15, "esomx"}) || skus["PHN2"].Family != "photon2" {
		t.Errorf("%+v %+v", skus["E404X"], skus["PHN2"])
	}
	families := strings.Join(p.Families(), " ")
	if !strings.Contains(families, "photon2") || !strings.Contains(families, "tracker") {
		t.Error(families)
	}
	if id, ok := p.PlatformID("BSoM"); !ok || id != 23 {
		t.Error(id, ok)
	}
	if _, ok := p.PlatformID("trakcer"); ok {
		t.Error("trakcer found")
	}
}

func TestLegacyThreshold(t *testing.T) {
	p := examplePolicy(t)
	if p.LegacyBelow() != "4.0.0-0" {
		t.Error(p.LegacyBelow())
	}
	for version, want := range map[string]bool{"3.3.1": true, "4.0.0-beta.1": false, "v6.1.1": false} {
		if got, err := p.IsLegacy(version); err != nil || got != want {
			t.Errorf("IsLegacy(%q) = %v, %v", version, got, err)
		}
	}
	if _, err := p.IsLegacy("4.1"); !errors.Is(err, CodeInvalidVersion) {
		t.Error(err)
	}
}

func TestCompareVersionsUsesSemverPrecedence(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{{"1.0.0-rc.1", "1.0.0", -1}, {"v3.3.1", "3.3.1", 0}, {"5.4.0+ledger", "5.4.0", 0},
		{"4.0.0-beta.10", "4.0.0-beta.2", 1}, {"3.0.1-p2.1", "3.0.1", -1}}
	for _, c := range cases {
		if got, err := CompareVersions(c.a, c.b); err != nil || got != c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, %v", c.a, c.b, got, err)
		}
		if got, _ := CompareVersions(c.b, c.a); got != -c.want {
			t.Errorf("CompareVersions(%q, %q) = %d", c.b, c.a, got)
		}
	}
	if _, err := CompareVersions("01.2.3", "1.2.3"); !errors.Is(err, CodeInvalidVersion) {
		t.Error(err)
	}
}

func TestClosedPolicyFailsClosed(t *testing.T) {
	p, err := LoadPolicy([]byte(twoProducts))
	if err != nil {
		t.Fatal(err)
	}
	if p.Close() != nil || p.Close() != nil {
		t.Error("Close returned an error")
	}
	d, err := p.Decide(member())
	if !errors.Is(err, ErrClosed) || d.Outcome != OutcomeDeny || d.Privileges != 0 {
		t.Errorf("%v, %v", d, err)
	}
	ds, err := p.DecideMany([]Device{member(), member()})
	if !errors.Is(err, ErrClosed) || len(ds) != 2 || ds[1].Outcome != OutcomeDeny {
		t.Errorf("%v, %v", ds, err)
	}
	if _, err := p.IsLegacy("1.0.0"); !errors.Is(err, ErrClosed) {
		t.Error(err)
	}
	if _, err := p.MayShare(PlatformModel(6), PlatformModel(8)); !errors.Is(err, ErrClosed) {
		t.Error(err)
	}
	if p.Fingerprint() != 0 || p.Products() != nil || p.Families() != nil || p.LegacyBelow() != "" {
		t.Error("a closed policy still answers")
	}
}

func TestLibraryVersionMatchesTheHeader(t *testing.T) {
	want := fmt.Sprintf("%d.%d.%d", HeaderVersion/10000, HeaderVersion/100%100, HeaderVersion%100)
	if LibraryVersion() != want {
		t.Errorf("library %s, header %s", LibraryVersion(), want)
	}
	if checkLibrary(uint(HeaderVersion)) != nil {
		t.Error("the header's own version is refused")
	}
	if checkLibrary(uint(HeaderVersion)+10000) == nil || checkLibrary(uint(HeaderVersion)-1) == nil {
		t.Error("a mismatched library is accepted")
	}
}
