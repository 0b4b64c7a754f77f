package particlepolicy

/*
#include <particlepolicy.h>

// ppgo_decide is pp_decide for one record built here, on the C stack: the
// strings are Go memory holding no Go pointers (cgo lets C read them during
// the call), so a decision costs one cgo call and no C allocation.  present
// has bit 0 for the SKU and bit 1 for the owner: present but empty is a
// non-NULL pointer to the library.  The handles come as integers: they are
// C memory (pp_policy_load's and pp_team_new's), which never moves, so the
// integer stays their address; as pointers cgo would check each at run time
// as if it might be Go memory.
static pp_decision ppgo_decide(uintptr_t policy, uintptr_t team,
                               const char *id, size_t id_len,
                               const char *device_os, size_t device_os_len,
                               const char *sku, size_t sku_len,
                               const char *owner, size_t owner_len, unsigned present,
                               uint32_t platform_id, uint32_t cloud_product_id,
                               uint32_t firmware_product_id, uint32_t denied_in,
                               uint32_t removed_from, uint32_t quarantined_in,
                               uint32_t firmware_version, int development)
{
    pp_device d = {
        .id = id, .id_len = id_len,
        .device_os = device_os, .device_os_len = device_os_len,
        .sku = (present & 1u) ? (sku ? sku : "") : NULL, .sku_len = sku_len,
        .owner = (present & 2u) ? (owner ? owner : "") : NULL, .owner_len = owner_len,
        .platform_id = platform_id, .cloud_product_id = cloud_product_id,
        .firmware_product_id = firmware_product_id, .denied_in = denied_in,
        .removed_from = removed_from, .quarantined_in = quarantined_in,
        .firmware_version = firmware_version, .development = development,
    };
    pp_decision out;
    pp_decide(&out, (const pp_policy *)policy, (const pp_team *)team, &d);
    return out;
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"unsafe"
)

// Device is a device record with the field names of docs/spec.md §2; it
// decodes from the JSON the CLI reads.  ID and DeviceOS are required: "" is
// absent, and the decision is then a deny with an error code, like any invalid
// input.  PlatformID, SKU and Owner are optional and nil when absent (a nil
// PlatformID lets the SKU decide; a present but empty Owner is invalid).
// Product IDs are 0 when absent.
type Device struct {
	ID                string  `json:"id"`
	PlatformID        *uint32 `json:"platform_id,omitempty"`
	SKU               *string `json:"sku,omitempty"`
	DeviceOS          string  `json:"device_os"`
	CloudProductID    uint32  `json:"cloud_product_id,omitempty"`
	FirmwareProductID uint32  `json:"firmware_product_id,omitempty"`
	Owner             *string `json:"owner,omitempty"`
	DeniedIn          uint32  `json:"denied_in,omitempty"`
	RemovedFrom       uint32  `json:"removed_from,omitempty"`
	QuarantinedIn     uint32  `json:"quarantined_in,omitempty"`
	Development       bool    `json:"development,omitempty"`
	FirmwareVersion   uint32  `json:"firmware_version,omitempty"`
}

// Model is the device's model, for MayJoin and MayShare.
func (d Device) Model() Model { return Model{PlatformID: d.PlatformID, SKU: d.SKU} }

// Decision is the admission decision for one device (docs/spec.md §3).  Rule
// is the decision-table row that decided (docs/decisions.md), ProductID the
// product in question (0 = none), LimitedIn the cloud product in which the
// device keeps limited privileges when its firmware claims another (0 = none).
// ErrorCode is CodeOK for a valid record; otherwise the decision is deny /
// invalid_input / rule 0 with no privileges.  Effects are the record changes
// the cloud must make (docs/lifecycle.md): join, enter_quarantine and
// enter_denied_list concern ProductID, leave_denied_list LeavesDenied and
// leave_quarantine LeavesQuarantine.
type Decision struct {
	Outcome          Outcome    `json:"outcome"`
	Reason           Reason     `json:"reason"`
	Rule             int        `json:"rule"`
	ProductID        uint32     `json:"product_id"`
	LimitedIn        uint32     `json:"limited_in,omitempty"`
	Privileges       Privileges `json:"privileges"`
	Advisories       Advisories `json:"advisories"`
	Effects          Effects    `json:"effects"`
	LeavesDenied     uint32     `json:"leaves_denied,omitempty"`
	LeavesQuarantine uint32     `json:"leaves_quarantine,omitempty"`
	ErrorCode        ErrorCode  `json:"error,omitempty"`
}

// String reads like the example's output:
// "ok member rule=7 product=14001 limited_in=0 privileges=ota_updates,... advisories=-".
func (d Decision) String() string {
	s := fmt.Sprintf("%s %s rule=%d product=%d limited_in=%d privileges=%s advisories=%s",
		d.Outcome, d.Reason, d.Rule, d.ProductID, d.LimitedIn,
		orDash(d.Privileges.String()), orDash(d.Advisories.String()))
	if d.ErrorCode != CodeOK {
		s += " error=" + d.ErrorCode.String()
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// denied is the decision for a call that could not be made (closed policy):
// fail closed, never the zero Decision (whose Outcome is ok).
func denied(code ErrorCode) Decision {
	return Decision{Outcome: OutcomeDeny, Reason: ReasonInvalidInput, ErrorCode: code}
}

func decisionFrom(d *C.pp_decision) Decision {
	return Decision{
		Outcome:          Outcome(d.outcome),
		Reason:           Reason(d.reason),
		Rule:             int(d.rule),
		ProductID:        uint32(d.product_id),
		LimitedIn:        uint32(d.limited_in),
		Privileges:       Privileges(d.privileges),
		Advisories:       Advisories(d.advisories),
		Effects:          Effects(d.effects),
		LeavesDenied:     uint32(d.leaves_denied),
		LeavesQuarantine: uint32(d.leaves_quarantine),
		ErrorCode:        ErrorCode(d.error),
	}
}

// devicesToC copies devices into one C allocation (see cArena).
func devicesToC(devices []Device) (*cArena, *C.pp_device) {
	size := unsafe.Sizeof(C.pp_device{})
	total := structSpace(size * uintptr(len(devices)))
	for i := range devices {
		d := &devices[i]
		total += uintptr(len(d.ID)+len(d.DeviceOS)) + optionalLen(d.SKU) + optionalLen(d.Owner)
	}
	a := newArena(total)
	first := (*C.pp_device)(a.alloc(size * uintptr(len(devices))))
	out := unsafe.Slice(first, len(devices))
	for i := range devices {
		d, c := &devices[i], &out[i]
		c.id, c.id_len = a.required(d.ID)
		c.device_os, c.device_os_len = a.required(d.DeviceOS)
		c.sku, c.sku_len = a.optional(d.SKU)
		c.owner, c.owner_len = a.optional(d.Owner)
		c.platform_id = C.PP_PLATFORM_UNSPECIFIED
		if d.PlatformID != nil {
			c.platform_id = C.uint32_t(*d.PlatformID)
		}
		c.cloud_product_id = C.uint32_t(d.CloudProductID)
		c.firmware_product_id = C.uint32_t(d.FirmwareProductID)
		c.denied_in = C.uint32_t(d.DeniedIn)
		c.removed_from = C.uint32_t(d.RemovedFrom)
		c.quarantined_in = C.uint32_t(d.QuarantinedIn)
		c.firmware_version = C.uint32_t(d.FirmwareVersion)
		c.development = 0
		if d.Development {
			c.development = 1
		}
	}
	return a, first
}

// required is text for a required string: "" is absent (NULL).
func (a *cArena) required(s string) (*C.char, C.size_t) {
	if s == "" {
		return nil, 0
	}
	return a.text(s)
}

// Decide decides admission for one device.  An invalid record gives a deny
// decision (reason invalid_input) and its ErrorCode as the error; a closed
// policy gives a deny and ErrClosed.
func (p *Policy) Decide(d Device) (Decision, error) { return p.decide(nil, &d) }

// DecideWithTeam is Decide with run-time team memberships that count for
// rule 14 beside the policy's own; team may be nil.
func (p *Policy) DecideWithTeam(team *Team, d Device) (Decision, error) {
	return p.decide(team, &d)
}

// decide takes the record by address (one copy of it per call, not two) and
// holds the locks of use inline, without defer (nothing between the locks
// and their release can panic).
func (p *Policy) decide(team *Team, d *Device) (Decision, error) {
	p.mu.RLock()
	if p.ptr == nil {
		p.mu.RUnlock()
		return denied(CodeInvalidArgument), ErrClosed
	}
	var t C.uintptr_t
	if team != nil {
		team.mu.RLock()
		if team.ptr == nil {
			team.mu.RUnlock()
			p.mu.RUnlock()
			return denied(CodeInvalidArgument), ErrClosed
		}
		t = C.uintptr_t(uintptr(unsafe.Pointer(team.ptr)))
	}
	var present C.unsigned
	var sku, owner *C.char
	var skuLen, ownerLen int
	if d.SKU != nil {
		present, sku, skuLen = present|1, stringData(*d.SKU), len(*d.SKU)
	}
	if d.Owner != nil {
		present, owner, ownerLen = present|2, stringData(*d.Owner), len(*d.Owner)
	}
	platform := uint32(C.PP_PLATFORM_UNSPECIFIED)
	if d.PlatformID != nil {
		platform = *d.PlatformID
	}
	development := C.int(0)
	if d.Development {
		development = 1
	}
	c := C.ppgo_decide(C.uintptr_t(uintptr(unsafe.Pointer(p.ptr))), t,
		stringData(d.ID), C.size_t(len(d.ID)),
		stringData(d.DeviceOS), C.size_t(len(d.DeviceOS)),
		sku, C.size_t(skuLen), owner, C.size_t(ownerLen), present,
		C.uint32_t(platform), C.uint32_t(d.CloudProductID), C.uint32_t(d.FirmwareProductID),
		C.uint32_t(d.DeniedIn), C.uint32_t(d.RemovedFrom), C.uint32_t(d.QuarantinedIn),
		C.uint32_t(d.FirmwareVersion), development)
	if team != nil {
		team.mu.RUnlock()
	}
	p.mu.RUnlock()
	runtime.KeepAlive(p)
	runtime.KeepAlive(team)
	out := decisionFrom(&c)
	if out.ErrorCode != CodeOK {
		return out, out.ErrorCode
	}
	return out, nil
}

// stringData is the address of s's bytes, for C to read during one call:
// the first word of the string header, as unsafe.StringData (Go 1.20; go.mod
// says 1.19) returns it.  An empty string gives nil: its data word may point
// just past the end of another object (s[len(s):]), and the garbage
// collector, finding such a pointer in an argument, marks whatever object
// follows ("found pointer to free object").  ppgo_decide turns nil back
// into "" for a present SKU or owner.
func stringData(s string) *C.char {
	if len(s) == 0 {
		return nil
	}
	return (*C.char)(unsafe.Pointer(*(**byte)(unsafe.Pointer(&s))))
}

// DecideMany decides many devices in one call to the library, in order.
// When a record is invalid, its decision is a deny with its code and the
// error is a *RecordError for the first such record; the other decisions
// are made as usual.
func (p *Policy) DecideMany(devices []Device) ([]Decision, error) {
	return p.DecideManyWithTeam(nil, devices)
}

// DecideManyWithTeam is DecideMany with run-time team memberships.
func (p *Policy) DecideManyWithTeam(team *Team, devices []Device) ([]Decision, error) {
	out := make([]Decision, len(devices))
	if len(devices) == 0 {
		return out, nil
	}
	cout := make([]C.pp_decision, len(devices)) // Go memory without pointers
	a, cdev := devicesToC(devices)
	defer a.free()
	err := p.use(func(c *C.pp_policy) error {
		return team.use(func(t *C.pp_team) error {
			C.pp_decide_many(&cout[0], c, t, cdev, C.size_t(len(devices)))
			return nil
		})
	})
	if err != nil {
		for i := range out {
			out[i] = denied(CodeInvalidArgument)
		}
		return out, err
	}
	var first error
	for i := range cout {
		out[i] = decisionFrom(&cout[i])
		if out[i].ErrorCode != CodeOK && first == nil {
			first = &RecordError{Index: i, Code: out[i].ErrorCode}
		}
	}
	return out, first
}

// Model is a device model for family questions: a platform and/or a SKU
// (nil when absent).
type Model struct {
	PlatformID *uint32
	SKU        *string
}

// SKUModel is the model with this SKU (its platform comes from the SKU).
func SKUModel(sku string) Model { return Model{SKU: &sku} }

// PlatformModel is the model of this platform ID, without a SKU.
func PlatformModel(id uint32) Model { return Model{PlatformID: &id} }

func (m Model) String() string {
	var parts []string
	if m.PlatformID != nil {
		parts = append(parts, fmt.Sprintf("platform %d", *m.PlatformID))
	}
	if m.SKU != nil {
		parts = append(parts, fmt.Sprintf("SKU %q", *m.SKU))
	}
	if parts == nil {
		return "no model"
	}
	return strings.Join(parts, ", ")
}

// Verdict answers a family question.  FamilyA is the family of the (first)
// model, FamilyB that of the product or second model ("" when unknown).
type Verdict struct {
	Allowed bool
	Reason  Reason
	FamilyA string
	FamilyB string
}

func modelsToC(models ...Model) (*cArena, []C.pp_model) {
	size := unsafe.Sizeof(C.pp_model{})
	total := structSpace(size * uintptr(len(models)))
	for _, m := range models {
		total += optionalLen(m.SKU)
	}
	a := newArena(total)
	out := unsafe.Slice((*C.pp_model)(a.alloc(size*uintptr(len(models)))), len(models))
	for i, m := range models {
		out[i].platform_id = C.PP_PLATFORM_UNSPECIFIED
		if m.PlatformID != nil {
			out[i].platform_id = C.uint32_t(*m.PlatformID)
		}
		out[i].sku, out[i].sku_len = a.optional(m.SKU)
	}
	return a, out
}

func verdictFrom(c *C.pp_policy, v *C.pp_verdict) Verdict {
	return Verdict{
		Allowed: v.allowed != 0,
		Reason:  Reason(v.reason),
		FamilyA: goStringOrEmpty(C.pp_family_name(c, C.int(v.family_a))),
		FamilyB: goStringOrEmpty(C.pp_family_name(c, C.int(v.family_b))),
	}
}

// MayJoin tells whether a device of model m may join product productID, and
// if not, why (unknown_product, platform_not_product_eligible,
// incompatible_platform, sku_required).  A malformed model (a bad SKU, no
// platform and no SKU) gives its ErrorCode.
func (p *Policy) MayJoin(productID uint32, m Model) (Verdict, error) {
	a, cm := modelsToC(m)
	defer a.free()
	var v Verdict
	err := p.use(func(c *C.pp_policy) error {
		var out C.pp_verdict
		if err := codeError(C.pp_may_join(&out, c, C.uint32_t(productID), &cm[0])); err != nil {
			return err
		}
		v = verdictFrom(c, &out)
		return nil
	})
	return v, err
}

// MayShare tells whether devices of models a and b may share one product,
// and if not, why.
func (p *Policy) MayShare(ma, mb Model) (Verdict, error) {
	a, cm := modelsToC(ma, mb)
	defer a.free()
	var v Verdict
	err := p.use(func(c *C.pp_policy) error {
		var out C.pp_verdict
		if err := codeError(C.pp_may_share(&out, c, &cm[0], &cm[1])); err != nil {
			return err
		}
		v = verdictFrom(c, &out)
		return nil
	})
	return v, err
}
