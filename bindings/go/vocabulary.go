package particlepolicy

/*
#include <particlepolicy.h>
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The names of every value come from the library's own name functions,
// enumerated at start-up until they answer NULL; the constants below take
// their numbers from the C header.

// names counts from start by step until nameOf returns NULL.
func names(nameOf func(C.int) *C.char, start, step int) []string {
	var out []string
	for i := start; ; i += step {
		s := nameOf(C.int(i))
		if s == nil {
			return out
		}
		out = append(out, C.GoString(s))
	}
}

var (
	outcomeNames   = names(func(i C.int) *C.char { return C.pp_outcome_name(i) }, 0, 1)
	reasonNames    = names(func(i C.int) *C.char { return C.pp_reason_name(i) }, 0, 1)
	roleNames      = names(func(i C.int) *C.char { return C.pp_role_name(i) }, 0, 1)
	privilegeNames = names(func(i C.int) *C.char { return C.pp_privilege_name(i) }, 0, 1)
	advisoryNames  = names(func(i C.int) *C.char { return C.pp_advisory_name(i) }, 0, 1)
	effectNames    = names(func(i C.int) *C.char { return C.pp_effect_name(i) }, 0, 1)
	errorNames     = names(func(i C.int) *C.char { return C.pp_error_name(i) }, 0, -1)
	errorTexts     = names(func(i C.int) *C.char { return C.pp_error_text(i) }, 0, -1)

	actionNames      = names(func(i C.int) *C.char { return C.pp_action_name(i) }, 0, 1)
	authzReasonNames = names(func(i C.int) *C.char { return C.pp_authz_reason_name(i) }, 0, 1)
	actorKindNames   = names(func(i C.int) *C.char { return C.pp_actor_kind_name(i) }, 0, 1)
	deviceStateNames = names(func(i C.int) *C.char { return C.pp_device_state_name(i) }, 0, 1)
	severityNames    = names(func(i C.int) *C.char { return C.pp_severity_name(i) }, 0, 1)
	findingNames     = names(func(i C.int) *C.char { return C.pp_finding_name(i) }, 0, 1)
	simStateNames    = names(func(i C.int) *C.char { return C.pp_sim_state_name(i) }, 0, 1)

	changeKindNames = names(func(i C.int) *C.char { return C.pp_change_kind_name(i) }, 0, 1)
	directionNames  = names(func(i C.int) *C.char { return C.pp_direction_name(i) }, 0, 1)
)

// vocabulary holds the names of one enumeration, indexed by value.
type vocabulary[T ~int32] struct {
	kind  string
	names []string
}

func (v vocabulary[T]) name(x T) string {
	if x >= 0 && int(x) < len(v.names) {
		return v.names[x]
	}
	return fmt.Sprintf("%s(%d)", v.kind, int32(x))
}

func (v vocabulary[T]) parse(name string) (T, error) {
	for i, n := range v.names {
		if n == name {
			return T(i), nil
		}
	}
	return 0, fmt.Errorf("particlepolicy: unknown %s %q (one of %s)",
		strings.ToLower(v.kind), name, strings.Join(v.names, ", "))
}

// Outcome is how a device is admitted (docs/spec.md §3).
type Outcome int32

// Outcomes.
const (
	OutcomeOK               Outcome = C.PP_OUTCOME_OK
	OutcomeLimited          Outcome = C.PP_OUTCOME_LIMITED
	OutcomeQuarantine       Outcome = C.PP_OUTCOME_QUARANTINE
	OutcomeAutoApprove      Outcome = C.PP_OUTCOME_AUTO_APPROVE
	OutcomeDeny             Outcome = C.PP_OUTCOME_DENY
	OutcomeReappearAsDenied Outcome = C.PP_OUTCOME_REAPPEAR_AS_DENIED
)

var outcomes = vocabulary[Outcome]{"Outcome", outcomeNames}

// Outcomes lists every outcome the library knows, in numeric order.
func Outcomes() []Outcome { return all[Outcome](len(outcomeNames)) }

// String is the library's spelling ("auto_approve").
func (o Outcome) String() string { return outcomes.name(o) }

// ParseOutcome is the outcome named name (the library's spelling).
func ParseOutcome(name string) (Outcome, error) { return outcomes.parse(name) }

// MarshalText writes the library's spelling (JSON, YAML, ...).
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads the library's spelling.
func (o *Outcome) UnmarshalText(b []byte) (err error) {
	*o, err = ParseOutcome(string(b))
	return err
}

// Reason says why: one per decision-table rule, plus the family answers.
type Reason int32

// Reasons, with the decision-table rule that gives them (docs/decisions.md).
const (
	ReasonInvalidInput               Reason = C.PP_REASON_INVALID_INPUT                 // rule 0
	ReasonNotAProductDevice          Reason = C.PP_REASON_NOT_A_PRODUCT_DEVICE          // rule 1
	ReasonUnknownProduct             Reason = C.PP_REASON_UNKNOWN_PRODUCT               // rule 2
	ReasonPlatformNotProductEligible Reason = C.PP_REASON_PLATFORM_NOT_PRODUCT_ELIGIBLE // rule 3
	ReasonIncompatiblePlatform       Reason = C.PP_REASON_INCOMPATIBLE_PLATFORM         // rule 4
	ReasonSKURequired                Reason = C.PP_REASON_SKU_REQUIRED                  // rule 4
	ReasonDeniedList                 Reason = C.PP_REASON_DENIED_LIST                   // rules 5, 8
	ReasonFirmwareReportsNoProduct   Reason = C.PP_REASON_FIRMWARE_REPORTS_NO_PRODUCT   // rule 6
	ReasonMember                     Reason = C.PP_REASON_MEMBER                        // rule 7
	ReasonRemovedFromProduct         Reason = C.PP_REASON_REMOVED_FROM_PRODUCT          // rule 9
	ReasonNotPreAdded                Reason = C.PP_REASON_NOT_PRE_ADDED                 // rule 10
	ReasonMemberOfOtherProduct       Reason = C.PP_REASON_MEMBER_OF_OTHER_PRODUCT       // rule 11
	ReasonUnrecognizedDevice         Reason = C.PP_REASON_UNRECOGNIZED_DEVICE           // rule 12
	ReasonUnowned                    Reason = C.PP_REASON_UNOWNED                       // rule 13
	ReasonOwnerIsTeamMember          Reason = C.PP_REASON_OWNER_IS_TEAM_MEMBER          // rule 14
	ReasonOwnerNotTeamMember         Reason = C.PP_REASON_OWNER_NOT_TEAM_MEMBER         // rule 15
	ReasonSameFamily                 Reason = C.PP_REASON_SAME_FAMILY                   // MayJoin, MayShare
	ReasonDifferentFamilies          Reason = C.PP_REASON_DIFFERENT_FAMILIES            // MayShare
)

var reasons = vocabulary[Reason]{"Reason", reasonNames}

// Reasons lists every reason the library knows, in numeric order.
func Reasons() []Reason { return all[Reason](len(reasonNames)) }

// String is the library's spelling ("owner_is_team_member").
func (r Reason) String() string { return reasons.name(r) }

// ParseReason is the reason named name (the library's spelling).
func ParseReason(name string) (Reason, error) { return reasons.parse(name) }

// MarshalText writes the library's spelling.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the library's spelling.
func (r *Reason) UnmarshalText(b []byte) (err error) {
	*r, err = ParseReason(string(b))
	return err
}

// Role is a team member's role, least to most.
type Role int32

// Roles.
const (
	RoleViewOnly      Role = C.PP_ROLE_VIEW_ONLY
	RoleSupport       Role = C.PP_ROLE_SUPPORT
	RoleDeveloper     Role = C.PP_ROLE_DEVELOPER
	RoleAdministrator Role = C.PP_ROLE_ADMINISTRATOR
	RoleOwner         Role = C.PP_ROLE_OWNER
)

var roles = vocabulary[Role]{"Role", roleNames}

// Roles lists every role the library knows, least to most.
func Roles() []Role { return all[Role](len(roleNames)) }

// NoRole is the role of an actor who holds none: an API user, or a person
// who is not on the product's team.  It is written "-".
const NoRole Role = -1

// String is the library's spelling ("view_only"), or "-" for NoRole.
func (r Role) String() string {
	if r == NoRole {
		return "-"
	}
	return roles.name(r)
}

// ParseRole is the role named name (the library's spelling).
func ParseRole(name string) (Role, error) { return roles.parse(name) }

// MarshalText writes the library's spelling.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the library's spelling, or "-" for NoRole.
func (r *Role) UnmarshalText(b []byte) (err error) {
	if string(b) == "-" {
		*r = NoRole
		return nil
	}
	*r, err = ParseRole(string(b))
	return err
}

func all[T ~int32](n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = T(i)
	}
	return out
}

// Privileges is a set of what an admitted device may do.
type Privileges uint32

// Privileges, one bit each.
const (
	PrivilegeOTAUpdates      Privileges = C.PP_PRIVILEGE_OTA_UPDATES
	PrivilegeProductEvents   Privileges = C.PP_PRIVILEGE_PRODUCT_EVENTS
	PrivilegeCustomerClaim   Privileges = C.PP_PRIVILEGE_CUSTOMER_CLAIM
	PrivilegeProductWebhooks Privileges = C.PP_PRIVILEGE_PRODUCT_WEBHOOKS
	// AllPrivileges is what a member's ok and an auto-approval carry.
	AllPrivileges Privileges = C.PP_PRIVILEGES_ALL
)

// Has reports whether every privilege of q is in p.
func (p Privileges) Has(q Privileges) bool { return p&q == q }

// Names are the library's names of the privileges in p, in bit order.
func (p Privileges) Names() []string { return bitNames(uint32(p), privilegeNames) }

// String joins the names with commas ("" for none).
func (p Privileges) String() string { return strings.Join(p.Names(), ",") }

// MarshalJSON writes a list of names, as the CLI does.
func (p Privileges) MarshalJSON() ([]byte, error) { return json.Marshal(p.Names()) }

// UnmarshalJSON reads a list of names.
func (p *Privileges) UnmarshalJSON(b []byte) error {
	bits, err := parseBits(b, privilegeNames, "privilege")
	*p = Privileges(bits)
	return err
}

// Advisories is a set of flags beside the outcome; they never change it.
type Advisories uint32

// Advisories, one bit each.
const (
	AdvisoryOTAUpdatePending     Advisories = C.PP_ADVISORY_OTA_UPDATE_PENDING
	AdvisoryDevelopmentDevice    Advisories = C.PP_ADVISORY_DEVELOPMENT_DEVICE
	AdvisoryDeviceOSBelowMinimum Advisories = C.PP_ADVISORY_DEVICE_OS_BELOW_MINIMUM
	AdvisoryLeavesDeniedList     Advisories = C.PP_ADVISORY_LEAVES_DENIED_LIST
	AdvisoryLeavesQuarantine     Advisories = C.PP_ADVISORY_LEAVES_QUARANTINE
)

// Has reports whether every advisory of q is in a.
func (a Advisories) Has(q Advisories) bool { return a&q == q }

// Names are the library's names of the advisories in a, in bit order.
func (a Advisories) Names() []string { return bitNames(uint32(a), advisoryNames) }

// String joins the names with commas ("" for none).
func (a Advisories) String() string { return strings.Join(a.Names(), ",") }

// MarshalJSON writes a list of names, as the CLI does.
func (a Advisories) MarshalJSON() ([]byte, error) { return json.Marshal(a.Names()) }

// UnmarshalJSON reads a list of names.
func (a *Advisories) UnmarshalJSON(b []byte) error {
	bits, err := parseBits(b, advisoryNames, "advisory")
	*a = Advisories(bits)
	return err
}

// Effects is the set of record changes a decision tells the cloud to make
// (docs/lifecycle.md); none is the empty set.
type Effects uint32

// Effects, one bit each.
const (
	EffectJoin            Effects = C.PP_EFFECT_JOIN
	EffectEnterQuarantine Effects = C.PP_EFFECT_ENTER_QUARANTINE
	EffectEnterDeniedList Effects = C.PP_EFFECT_ENTER_DENIED_LIST
	EffectLeaveDeniedList Effects = C.PP_EFFECT_LEAVE_DENIED_LIST
	EffectLeaveQuarantine Effects = C.PP_EFFECT_LEAVE_QUARANTINE
)

// Has reports whether every effect of q is in e.
func (e Effects) Has(q Effects) bool { return e&q == q }

// Names are the names of the effects in e, in bit order.
func (e Effects) Names() []string { return bitNames(uint32(e), effectNames) }

// String joins the names with commas ("" for none).
func (e Effects) String() string { return strings.Join(e.Names(), ",") }

// MarshalJSON writes a list of names, as the CLI does.
func (e Effects) MarshalJSON() ([]byte, error) { return json.Marshal(e.Names()) }

// UnmarshalJSON reads a list of names.
func (e *Effects) UnmarshalJSON(b []byte) error {
	bits, err := parseBits(b, effectNames, "effect")
	*e = Effects(bits)
	return err
}

func bitNames(bits uint32, table []string) []string {
	out := []string{}
	for i := 0; i < 32; i++ {
		if bits&(1<<i) == 0 {
			continue
		}
		if i < len(table) {
			out = append(out, table[i])
		} else {
			out = append(out, fmt.Sprintf("bit%d", i))
		}
	}
	return out
}

func parseBits(b []byte, table []string, kind string) (uint32, error) {
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return 0, err
	}
	var bits uint32
next:
	for _, name := range list {
		for i, n := range table {
			if n == name {
				bits |= 1 << i
				continue next
			}
		}
		return 0, fmt.Errorf("particlepolicy: unknown %s %q", kind, name)
	}
	return bits, nil
}
