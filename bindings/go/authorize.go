package particlepolicy

/*
#include <particlepolicy.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Action is what an operator wants to do (docs/spec.md §4,
// docs/authorization.md).
type Action int32

// Actions, least privileged first.
const (
	ActionViewDevices        Action = C.PP_ACTION_VIEW_DEVICES
	ActionCallFunction       Action = C.PP_ACTION_CALL_FUNCTION // also variables, ping
	ActionChangeSIM          Action = C.PP_ACTION_CHANGE_SIM    // state or data limit
	ActionAddDevice          Action = C.PP_ACTION_ADD_DEVICE
	ActionApproveQuarantined Action = C.PP_ACTION_APPROVE_QUARANTINED
	ActionDenyQuarantined    Action = C.PP_ACTION_DENY_QUARANTINED
	ActionReapproveDenied    Action = C.PP_ACTION_REAPPROVE_DENIED
	ActionRemoveDevice       Action = C.PP_ACTION_REMOVE_DEVICE
	ActionUnclaimDevice      Action = C.PP_ACTION_UNCLAIM_DEVICE
	ActionMarkDevelopment    Action = C.PP_ACTION_MARK_DEVELOPMENT // mark or unmark
	ActionFlashDevice        Action = C.PP_ACTION_FLASH_DEVICE
	ActionReleaseFirmware    Action = C.PP_ACTION_RELEASE_FIRMWARE // upload, release
	ActionManageIntegrations Action = C.PP_ACTION_MANAGE_INTEGRATIONS
	ActionManageTeam         Action = C.PP_ACTION_MANAGE_TEAM
	ActionChangeSettings     Action = C.PP_ACTION_CHANGE_SETTINGS // incl. auto-approve
	ActionBilling            Action = C.PP_ACTION_BILLING
)

var actions = vocabulary[Action]{"Action", actionNames}

// Actions lists every action the library knows, in numeric order.
func Actions() []Action { return all[Action](len(actionNames)) }

// String is the library's spelling ("approve_quarantined").
func (a Action) String() string { return actions.name(a) }

// ParseAction is the action named name (the library's spelling).
func ParseAction(name string) (Action, error) { return actions.parse(name) }

// MarshalText writes the library's spelling.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads the library's spelling.
func (a *Action) UnmarshalText(b []byte) (err error) {
	*a, err = ParseAction(string(b))
	return err
}

// MinRole is the least role that may perform the action (NoRole for an
// unknown action).
func (a Action) MinRole() Role { return Role(C.pp_action_min_role(C.int(a))) }

// Scopes are the API scopes that grant the action, any one of them (none
// for billing: API users never may).
func (a Action) Scopes() []string {
	var out []string
	for i := 0; ; i++ {
		s := C.pp_action_scope(C.int(a), C.size_t(i))
		if s == nil {
			return out
		}
		out = append(out, C.GoString(s))
	}
}

// ScopeGrants reports whether an API user's granted scope grants a required
// one: equal, or "resource:*" for a required scope on exactly that resource.
func ScopeGrants(granted, required string) bool {
	a := newArena(uintptr(len(granted) + len(required)))
	defer a.free()
	g, gn := a.text(granted)
	r, rn := a.text(required)
	return C.pp_scope_grants(g, gn, r, rn) == 1
}

// AuthzReason says why an action was allowed or denied.  The names shared
// with Reason (invalid_input, unknown_product, ...) mean the same there.
type AuthzReason int32

// Authorization reasons, in the order the checks are made.
const (
	AuthzInvalidInput               AuthzReason = C.PP_AUTHZ_INVALID_INPUT
	AuthzUnknownProduct             AuthzReason = C.PP_AUTHZ_UNKNOWN_PRODUCT
	AuthzNotATeamMember             AuthzReason = C.PP_AUTHZ_NOT_A_TEAM_MEMBER
	AuthzRoleInsufficient           AuthzReason = C.PP_AUTHZ_ROLE_INSUFFICIENT
	AuthzScopeMissing               AuthzReason = C.PP_AUTHZ_SCOPE_MISSING
	AuthzNotForAPIUsers             AuthzReason = C.PP_AUTHZ_NOT_FOR_API_USERS
	AuthzWrongDeviceState           AuthzReason = C.PP_AUTHZ_WRONG_DEVICE_STATE
	AuthzPlatformNotProductEligible AuthzReason = C.PP_AUTHZ_PLATFORM_NOT_PRODUCT_ELIGIBLE
	AuthzIncompatiblePlatform       AuthzReason = C.PP_AUTHZ_INCOMPATIBLE_PLATFORM
	AuthzSKURequired                AuthzReason = C.PP_AUTHZ_SKU_REQUIRED
	AuthzGrantedByRole              AuthzReason = C.PP_AUTHZ_GRANTED_BY_ROLE
	AuthzGrantedByScope             AuthzReason = C.PP_AUTHZ_GRANTED_BY_SCOPE
)

var authzReasons = vocabulary[AuthzReason]{"AuthzReason", authzReasonNames}

// AuthzReasons lists every authorization reason the library knows.
func AuthzReasons() []AuthzReason { return all[AuthzReason](len(authzReasonNames)) }

// String is the library's spelling ("role_insufficient").
func (r AuthzReason) String() string { return authzReasons.name(r) }

// ParseAuthzReason is the reason named name (the library's spelling).
func ParseAuthzReason(name string) (AuthzReason, error) { return authzReasons.parse(name) }

// MarshalText writes the library's spelling.
func (r AuthzReason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the library's spelling.
func (r *AuthzReason) UnmarshalText(b []byte) (err error) {
	*r, err = ParseAuthzReason(string(b))
	return err
}

// ActorKind says who acts: a person with a role, or an API user with scopes.
type ActorKind int32

// Actor kinds.
const (
	ActorHuman   ActorKind = C.PP_ACTOR_HUMAN
	ActorAPIUser ActorKind = C.PP_ACTOR_API_USER
)

var actorKinds = vocabulary[ActorKind]{"ActorKind", actorKindNames}

// ActorKinds lists every actor kind the library knows.
func ActorKinds() []ActorKind { return all[ActorKind](len(actorKindNames)) }

// String is the library's spelling ("api_user").
func (k ActorKind) String() string { return actorKinds.name(k) }

// ParseActorKind is the kind named name (the library's spelling).
func ParseActorKind(name string) (ActorKind, error) { return actorKinds.parse(name) }

// MarshalText writes the library's spelling.
func (k ActorKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads the library's spelling.
func (k *ActorKind) UnmarshalText(b []byte) (err error) {
	*k, err = ParseActorKind(string(b))
	return err
}

// DeviceState is where a device stands in the product acted on, as
// Authorize reads it from the record.
type DeviceState int32

// Device states.  NoDeviceState ("-") says no device played a part.
const (
	DeviceStateNone        DeviceState = C.PP_DEVICE_STATE_NONE // on none of the product's lists
	DeviceStateMember      DeviceState = C.PP_DEVICE_STATE_MEMBER
	DeviceStateQuarantined DeviceState = C.PP_DEVICE_STATE_QUARANTINED
	DeviceStateDenied      DeviceState = C.PP_DEVICE_STATE_DENIED // wins over member
	NoDeviceState          DeviceState = -1
)

var deviceStates = vocabulary[DeviceState]{"DeviceState", deviceStateNames}

// DeviceStates lists every device state the library knows.
func DeviceStates() []DeviceState { return all[DeviceState](len(deviceStateNames)) }

// String is the library's spelling ("quarantined"), or "-" for NoDeviceState.
func (s DeviceState) String() string {
	if s == NoDeviceState {
		return "-"
	}
	return deviceStates.name(s)
}

// ParseDeviceState is the state named name (the library's spelling).
func ParseDeviceState(name string) (DeviceState, error) { return deviceStates.parse(name) }

// MarshalText writes the library's spelling.
func (s DeviceState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the library's spelling, or "-" for NoDeviceState.
func (s *DeviceState) UnmarshalText(b []byte) (err error) {
	if string(b) == "-" {
		*s = NoDeviceState
		return nil
	}
	*s, err = ParseDeviceState(string(b))
	return err
}

// Actor is who acts.  Names are exact (case matters); "" is absent, and
// the answer is then a deny with an error code.
type Actor struct {
	Name string    `json:"name"`
	Kind ActorKind `json:"kind"`
}

// Human is a person, looked up on the product's team with a role.
func Human(name string) Actor { return Actor{Name: name, Kind: ActorHuman} }

// APIUser is an API user of the product's organization: exactly its scopes.
func APIUser(name string) Actor { return Actor{Name: name, Kind: ActorAPIUser} }

// Authorization answers whether an actor may perform an action.  Role is
// the actor's effective role (NoRole for an API user or a non-member),
// RequiredRole and RequiredScope what the action needs (RequiredScope ""
// for billing), DeviceState the device's standing read from the record
// (NoDeviceState when no device played a part), OTAUpdatePending whether an
// allowed add/approve/re-approve puts the device on the product's released
// firmware at once.  ErrorCode is CodeOK, or the code of invalid input (the
// answer is then a deny with reason invalid_input).
type Authorization struct {
	Allowed          bool        `json:"allowed"`
	Reason           AuthzReason `json:"reason"`
	Role             Role        `json:"role"`
	RequiredRole     Role        `json:"required_role"`
	RequiredScope    string      `json:"required_scope,omitempty"`
	DeviceState      DeviceState `json:"device_state"`
	OTAUpdatePending bool        `json:"ota_update_pending,omitempty"`
	ErrorCode        ErrorCode   `json:"error,omitempty"`
}

// String reads "allowed granted_by_role role=developer ..." or
// "denied role_insufficient ...".
func (a Authorization) String() string {
	verdict := "denied"
	if a.Allowed {
		verdict = "allowed"
	}
	s := fmt.Sprintf("%s %s role=%s required_role=%s required_scope=%s device_state=%s",
		verdict, a.Reason, a.Role, a.RequiredRole, orDash(a.RequiredScope), a.DeviceState)
	if a.OTAUpdatePending {
		s += " ota_update_pending"
	}
	if a.ErrorCode != CodeOK {
		s += " error=" + a.ErrorCode.String()
	}
	return s
}

// refused is the answer for a call that could not be made (closed policy or
// team set): fail closed, never the zero Authorization's reason.
func refused(code ErrorCode) Authorization {
	return Authorization{Reason: AuthzInvalidInput, Role: NoRole, RequiredRole: NoRole,
		DeviceState: NoDeviceState, ErrorCode: code}
}

// Authorize tells whether actor may perform action on product productID
// and, for an action that targets a device, on device as it stands now
// (device may be nil; it is ignored for actions not about a device).  Like
// Decide, invalid input (an empty or malformed actor name, an unknown
// action, an invalid device record) gives a deny with reason invalid_input
// and its ErrorCode as the error; a closed policy gives a deny and
// ErrClosed.
func (p *Policy) Authorize(actor Actor, action Action, productID uint32, device *Device) (Authorization, error) {
	return p.AuthorizeWithTeam(nil, actor, action, productID, device)
}

// AuthorizeWithTeam is Authorize with run-time team memberships: a
// person's membership of the product's organization there counts like the
// policy's own (the largest role wins).  team may be nil.
func (p *Policy) AuthorizeWithTeam(team *Team, actor Actor, action Action, productID uint32,
	device *Device) (Authorization, error) {
	names, cactor := actorToC(actor)
	defer names.free()
	var cdev *C.pp_device
	if device != nil {
		var records *cArena
		records, cdev = devicesToC([]Device{*device})
		defer records.free()
	}
	var out C.pp_authorization // Go memory; required_scope is a static C string
	var rc C.int
	err := p.use(func(c *C.pp_policy) error {
		return team.use(func(t *C.pp_team) error {
			rc = C.pp_authorize(&out, c, t, cactor, C.int(action), C.uint32_t(productID), cdev)
			return nil
		})
	})
	if err != nil {
		return refused(CodeInvalidArgument), err
	}
	return authorizationFrom(&out), codeError(rc)
}

// actorToC copies actor into a C allocation of its own.
func actorToC(actor Actor) (*cArena, *C.pp_actor) {
	names := newArena(structSpace(unsafe.Sizeof(C.pp_actor{})) + uintptr(len(actor.Name)))
	cactor := (*C.pp_actor)(names.alloc(unsafe.Sizeof(C.pp_actor{})))
	cactor.name, cactor.name_len = names.required(actor.Name)
	cactor.kind = C.int32_t(actor.Kind)
	return names, cactor
}

func authorizationFrom(out *C.pp_authorization) Authorization {
	return Authorization{
		Allowed:          out.allowed != 0,
		Reason:           AuthzReason(out.reason),
		Role:             Role(out.role),
		RequiredRole:     Role(out.required_role),
		RequiredScope:    goStringOrEmpty(out.required_scope),
		DeviceState:      DeviceState(out.device_state),
		OTAUpdatePending: out.ota_update_pending != 0,
		ErrorCode:        ErrorCode(out.error),
	}
}
