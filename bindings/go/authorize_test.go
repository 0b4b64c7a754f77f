package particlepolicy

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// authzPolicy is docs/authorization.md's example, with a member of every
// role and an API user holding wildcard scopes.
const authzPolicy = `
version: 1
organizations:
  - name: acme
    members:
      - {user: olivia, role: owner, two_step: true}
      - {user: ada, role: administrator, two_step: true}
      - {user: dev, role: developer, two_step: true}
      - {user: sam, role: support, two_step: true}
      - {user: vera, role: view_only, two_step: true}
    api_users:
      - {name: ci, scopes: ['devices:import', 'firmware:release']}
      - {name: ops, scopes: ['devices:*', 'teams.users:*']}
products:
  - {id: 100, name: Acme B SoM, organization: acme, family: bsom, released_firmware: 5}
`

func loadAuthzPolicy(t testing.TB) *Policy {
	t.Helper()
	p, err := LoadPolicy([]byte(authzPolicy))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// quarantined is a B SoM in product 100's quarantine on product firmware 3
// (100 releases 5).
func quarantined() *Device {
	return &Device{ID: "e00fce68a1b2c3d4e5f60718", PlatformID: Ptr[uint32](23), SKU: Ptr("B404MEA"),
		DeviceOS: "4.0.1", QuarantinedIn: 100, FirmwareVersion: 3}
}

func memberOf100() *Device {
	d := quarantined()
	d.QuarantinedIn, d.CloudProductID = 0, 100
	return d
}

// specMinRole is the table of docs/spec.md §4, written out rather than read
// from the library.
var specMinRole = map[string]Role{
	"view_devices": RoleViewOnly, "call_function": RoleSupport, "change_sim": RoleSupport,
	"add_device": RoleDeveloper, "approve_quarantined": RoleDeveloper,
	"deny_quarantined": RoleDeveloper, "reapprove_denied": RoleDeveloper,
	"remove_device": RoleDeveloper, "unclaim_device": RoleDeveloper,
	"mark_development": RoleDeveloper, "flash_device": RoleDeveloper,
	"release_firmware": RoleDeveloper, "manage_integrations": RoleDeveloper,
	"manage_team": RoleAdministrator, "change_settings": RoleAdministrator,
	"billing": RoleOwner,
}

func TestAuthorizeEveryRoleAndActionFollowsTheSpecTable(t *testing.T) {
	p := loadAuthzPolicy(t)
	members := map[string]Role{"vera": RoleViewOnly, "sam": RoleSupport, "dev": RoleDeveloper,
		"ada": RoleAdministrator, "olivia": RoleOwner}
	cells := 0
	for user, role := range members {
		for _, action := range Actions() {
			a, err := p.Authorize(Human(user), action, 100, nil)
			if err != nil {
				t.Fatal(err)
			}
			need := specMinRole[action.String()]
			want := Authorization{Allowed: role >= need, Reason: AuthzRoleInsufficient, Role: role,
				RequiredRole: need, DeviceState: NoDeviceState}
			if scopes := action.Scopes(); scopes != nil {
				want.RequiredScope = scopes[0]
			}
			if want.Allowed {
				want.Reason = AuthzGrantedByRole
			}
			if a != want {
				t.Errorf("%s %s: %v, want %v", user, action, a, want)
			}
			cells++
		}
	}
	if cells != 80 {
		t.Errorf("%d cells", cells)
	}
}

func TestAuthorizeTheDocumentedExampleAnswers(t *testing.T) {
	p := loadAuthzPolicy(t)
	boron := quarantined()
	boron.PlatformID, boron.SKU = Ptr[uint32](13), nil
	cases := []struct {
		actor   Actor
		action  Action
		device  *Device
		allowed bool
		reason  AuthzReason
		ota     bool
	}{
		{Human("dev"), ActionApproveQuarantined, quarantined(), true, AuthzGrantedByRole, true},
		{Human("vera"), ActionApproveQuarantined, quarantined(), false, AuthzRoleInsufficient, false},
		{APIUser("ci"), ActionApproveQuarantined, quarantined(), true, AuthzGrantedByScope, true},
		{APIUser("ci"), ActionRemoveDevice, memberOf100(), false, AuthzScopeMissing, false},
		{Human("olivia"), ActionBilling, nil, true, AuthzGrantedByRole, false},
		{APIUser("ci"), ActionBilling, nil, false, AuthzNotForAPIUsers, false},
		{Human("dev"), ActionApproveQuarantined, boron, false, AuthzIncompatiblePlatform, false},
		{Human("dev"), ActionFlashDevice, quarantined(), false, AuthzWrongDeviceState, false},
		{Human("mallory"), ActionViewDevices, nil, false, AuthzNotATeamMember, false},
		{APIUser("ops"), ActionRemoveDevice, memberOf100(), true, AuthzGrantedByScope, false},
		{APIUser("ops"), ActionManageTeam, nil, true, AuthzGrantedByScope, false},
		{APIUser("ops"), ActionCallFunction, memberOf100(), false, AuthzScopeMissing, false},
		{Human("ci"), ActionReleaseFirmware, nil, false, AuthzNotATeamMember, false},
		{APIUser("dev"), ActionReleaseFirmware, nil, false, AuthzNotATeamMember, false},
		{Human("Dev"), ActionReleaseFirmware, nil, false, AuthzNotATeamMember, false},
	}
	for _, c := range cases {
		a, err := p.Authorize(c.actor, c.action, 100, c.device)
		if err != nil || a.Allowed != c.allowed || a.Reason != c.reason || a.OTAUpdatePending != c.ota {
			t.Errorf("%v %s: %v, %v", c.actor, c.action, a, err)
		}
	}
}

func TestAuthorizeSaysWhatTheActionNeedsAndWhereTheDeviceStands(t *testing.T) {
	p := loadAuthzPolicy(t)
	a, _ := p.Authorize(APIUser("ci"), ActionRemoveDevice, 100, memberOf100())
	if a.RequiredScope != "devices:remove" || a.RequiredRole != RoleDeveloper || a.Role != NoRole ||
		a.DeviceState != NoDeviceState {
		t.Error(a)
	}
	a, _ = p.Authorize(Human("dev"), ActionViewDevices, 100, memberOf100())
	if a.DeviceState != DeviceStateMember || a.RequiredScope != "devices:list" {
		t.Error(a)
	}
	denied := memberOf100()
	denied.DeniedIn = 100
	a, _ = p.Authorize(Human("dev"), ActionReapproveDenied, 100, denied)
	if !a.Allowed || a.DeviceState != DeviceStateDenied {
		t.Error(a)
	}
	fresh := memberOf100()
	fresh.CloudProductID = 0
	a, _ = p.Authorize(Human("dev"), ActionAddDevice, 100, fresh)
	if !a.Allowed || a.DeviceState != DeviceStateNone {
		t.Error(a)
	}
	a, _ = p.Authorize(Human("olivia"), ActionBilling, 100, nil)
	if a.RequiredScope != "" || a.RequiredRole != RoleOwner {
		t.Error(a)
	}
	for _, product := range []uint32{0, 101} {
		if a, err := p.Authorize(Human("olivia"), ActionViewDevices, product, nil); err != nil ||
			a.Allowed || a.Reason != AuthzUnknownProduct {
			t.Errorf("product %d: %v, %v", product, a, err)
		}
	}
}

func TestAuthorizeWithTeamCountsRunTimeMembersLargestRoleWins(t *testing.T) {
	p := loadAuthzPolicy(t)
	team, err := NewTeam()
	if err != nil {
		t.Fatal(err)
	}
	defer team.Close()
	for _, m := range []struct {
		org, user string
		role      Role
	}{{"acme", "tess", RoleAdministrator}, {"acme", "vera", RoleDeveloper}, {"other", "otto", RoleOwner}} {
		if err := team.Add(m.org, m.user, m.role); err != nil {
			t.Fatal(err)
		}
	}
	if a, _ := p.AuthorizeWithTeam(team, Human("tess"), ActionManageTeam, 100, nil); !a.Allowed || a.Role != RoleAdministrator {
		t.Error(a)
	}
	if a, _ := p.AuthorizeWithTeam(team, Human("vera"), ActionFlashDevice, 100, memberOf100()); !a.Allowed || a.Role != RoleDeveloper {
		t.Error(a)
	}
	if a, _ := p.AuthorizeWithTeam(team, Human("otto"), ActionViewDevices, 100, nil); a.Reason != AuthzNotATeamMember {
		t.Error(a)
	}
	if a, _ := p.AuthorizeWithTeam(team, APIUser("tess"), ActionViewDevices, 100, nil); a.Reason != AuthzNotATeamMember {
		t.Error(a)
	}
	if a, _ := p.Authorize(Human("tess"), ActionManageTeam, 100, nil); a.Reason != AuthzNotATeamMember {
		t.Error(a)
	}
	team.Close()
	a, err := p.AuthorizeWithTeam(team, Human("tess"), ActionViewDevices, 100, nil)
	if !errors.Is(err, ErrClosed) || a.Allowed || a.Reason != AuthzInvalidInput {
		t.Error(a, err)
	}
}

func TestAuthorizeFailsClosedOnInvalidInput(t *testing.T) {
	p := loadAuthzPolicy(t)
	badID := memberOf100()
	badID.ID = "nothex"
	badOS := quarantined()
	badOS.DeviceOS = "four"
	cases := []struct {
		actor  Actor
		action Action
		device *Device
		code   ErrorCode
	}{
		{Human(""), ActionViewDevices, nil, CodeInvalidArgument},
		{Human("ol\x00ivia"), ActionViewDevices, nil, CodeInvalidArgument},
		{Human("\xff"), ActionViewDevices, nil, CodeInvalidArgument},
		{Actor{Name: "olivia", Kind: 7}, ActionViewDevices, nil, CodeInvalidArgument},
		{Human("olivia"), Action(99), nil, CodeInvalidArgument},
		{Human("olivia"), Action(-1), nil, CodeInvalidArgument},
		{Human("olivia"), ActionViewDevices, badID, CodeDeviceID},
		{Human("olivia"), ActionApproveQuarantined, badOS, CodeDeviceOS},
		{Human("olivia"), ActionFlashDevice, &Device{ID: "e00fce68a1b2c3d4e5f60718"}, CodeDeviceOS},
	}
	for _, c := range cases {
		a, err := p.Authorize(c.actor, c.action, 100, c.device)
		if a.Allowed || a.Reason != AuthzInvalidInput || a.ErrorCode != c.code || a.OTAUpdatePending ||
			!errors.Is(err, c.code) {
			t.Errorf("%q %v: %v, %v", c.actor.Name, c.action, a, err)
		}
	}
	// A device plays no part in an action that is not about one.
	if a, err := p.Authorize(Human("olivia"), ActionBilling, 100, badID); err != nil || !a.Allowed ||
		a.DeviceState != NoDeviceState {
		t.Error(a, err)
	}
}

func TestAuthorizeOnAClosedPolicyDeniesWithErrClosed(t *testing.T) {
	p, err := LoadPolicy([]byte(authzPolicy))
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	a, err := p.Authorize(Human("olivia"), ActionBilling, 100, nil)
	if !errors.Is(err, ErrClosed) || a.Allowed || a.Reason != AuthzInvalidInput {
		t.Error(a, err)
	}
}

func TestActionsCarryTheLibraryTableOfRolesAndScopes(t *testing.T) {
	for _, a := range Actions() {
		if a.MinRole() != specMinRole[a.String()] {
			t.Errorf("%s: min role %s", a, a.MinRole())
		}
	}
	if s := ActionViewDevices.Scopes(); !reflect.DeepEqual(s, []string{"devices:list", "devices:get"}) {
		t.Error(s)
	}
	if s := ActionManageTeam.Scopes(); !reflect.DeepEqual(s, []string{"teams.users:*"}) {
		t.Error(s)
	}
	if s := ActionBilling.Scopes(); s != nil || Action(99).MinRole() != NoRole {
		t.Error(s)
	}
	for _, c := range []struct {
		granted, required string
		want              bool
	}{
		{"devices:*", "devices:import", true}, {"teams.users:*", "teams.users:invite", true},
		{"devices:*", "devices.function:call", false}, {"devices:import", "devices:*", false},
		{"devices:import", "devices:import", true}, {"", "devices:import", false},
	} {
		if ScopeGrants(c.granted, c.required) != c.want {
			t.Errorf("ScopeGrants(%q, %q) != %v", c.granted, c.required, c.want)
		}
	}
}

func TestAuthorizationJSONAndStringUseTheSpecSpelling(t *testing.T) {
	p := loadAuthzPolicy(t)
	a, _ := p.Authorize(APIUser("ci"), ActionApproveQuarantined, 100, quarantined())
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"allowed":true,"reason":"granted_by_scope","role":"-","required_role":"developer",` +
		`"required_scope":"devices:import","device_state":"quarantined","ota_update_pending":true}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back Authorization
	if err := json.Unmarshal(b, &back); err != nil || back != a {
		t.Errorf("round trip: %v, %v", back, err)
	}
	if s := a.String(); s != "allowed granted_by_scope role=- required_role=developer "+
		"required_scope=devices:import device_state=quarantined ota_update_pending" {
		t.Error(s)
	}
	a, _ = p.Authorize(Human(""), ActionViewDevices, 100, nil)
	if s := a.String(); s != "denied invalid_input role=- required_role=- required_scope=- "+
		"device_state=- error=invalid_argument" {
		t.Error(s)
	}
	var k ActorKind
	if err := json.Unmarshal([]byte(`"api_user"`), &k); err != nil || k != ActorAPIUser {
		t.Error(k, err)
	}
	if err := json.Unmarshal([]byte(`"robot"`), &k); err == nil {
		t.Error("robot accepted")
	}
}
