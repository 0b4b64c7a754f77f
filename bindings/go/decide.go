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

// ppgo_decide_many is pp_decide_many with its arguments as integers: the
// handles, and the records and answers of DecideMany's C block (C memory
// too; as a pointer, cgo would check the records, which hold pointers).
static void ppgo_decide_many(uintptr_t out, uintptr_t policy, uintptr_t team,
                             uintptr_t devices, size_t n)
{
    pp_decide_many((pp_decision *)out, (const pp_policy *)policy, (const pp_team *)team,
                   (const pp_device *)devices, n);
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
	var out Decision
	setDecision(&out, d)
	return out
}

// setDecision writes d into out field by field (decide: into its result).
func setDecision(out *Decision, d *C.pp_decision) {
	out.Outcome = Outcome(d.outcome)
	out.Reason = Reason(d.reason)
	out.Rule = int(d.rule)
	out.ProductID = uint32(d.product_id)
	out.LimitedIn = uint32(d.limited_in)
	out.Privileges = Privileges(d.privileges)
	out.Advisories = Advisories(d.advisories)
	out.Effects = Effects(d.effects)
	out.LeavesDenied = uint32(d.leaves_denied)
	out.LeavesQuarantine = uint32(d.leaves_quarantine)
	out.ErrorCode = ErrorCode(d.error)
}

const (
	deviceSize   = unsafe.Sizeof(C.pp_device{})
	decisionSize = unsafe.Sizeof(C.pp_decision{})
)

// devicesToC copies devices into one C allocation (see cArena).
func devicesToC(devices []Device) (*cArena, *C.pp_device) {
	a := newArena(structSpace(deviceSize*uintptr(len(devices))) + textSpace(devices))
	return a, placeDevices(a, devices)
}

// textSpace is the bytes of the devices' strings.
func textSpace(devices []Device) uintptr {
	var n uintptr
	for i := range devices {
		d := &devices[i]
		n += uintptr(len(d.ID)+len(d.DeviceOS)) + optionalLen(d.SKU) + optionalLen(d.Owner)
	}
	return n
}

// placeDevices copies devices into a as an array of C records.
func placeDevices(a *cArena, devices []Device) *C.pp_device {
	first := (*C.pp_device)(a.alloc(deviceSize * uintptr(len(devices))))
	out := unsafe.Slice(first, len(devices))
	for i := range devices {
		d, c := &devices[i], &out[i]
		var p [4]*C.char
		p[0], c.id_len = a.required(d.ID)
		p[1], c.device_os_len = a.required(d.DeviceOS)
		p[2], c.sku_len = a.optional(d.SKU)
		p[3], c.owner_len = a.optional(d.Owner)
		setC(&c.id, p[0])
		setC(&c.device_os, p[1])
		setC(&c.sku, p[2])
		setC(&c.owner, p[3])
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
	return first
}

// setC stores p, a pointer to C memory, in C memory as a plain word.  Stored
// as a pointer it would go through the collector's write barrier, which
// while a collection marks looks every such pointer up in the Go heap
// (DecideMany spent a tenth of its time there): the collector neither scans
// C memory nor needs to know of C pointers.
func setC(field **C.char, p *C.char) {
	*(*uintptr)(unsafe.Pointer(field)) = uintptr(unsafe.Pointer(p))
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
// does what hold and release do inline, without defer (nothing between the
// locks and their release can panic): as calls they cost 30 instructions more.
func (p *Policy) decide(team *Team, d *Device) (out Decision, err error) {
	p.mu.RLock()
	if p.ptr == nil {
		p.mu.RUnlock()
		return denied(CodeInvalidArgument), ErrClosed
	}
	policy, t := address(unsafe.Pointer(p.ptr)), C.uintptr_t(0)
	if team != nil {
		team.mu.RLock()
		if team.ptr == nil {
			team.mu.RUnlock()
			p.mu.RUnlock()
			return denied(CodeInvalidArgument), ErrClosed
		}
		t = address(unsafe.Pointer(team.ptr))
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
	c := C.ppgo_decide(policy, t,
		stringData(d.ID), C.size_t(len(d.ID)),
		stringData(d.DeviceOS), C.size_t(len(d.DeviceOS)),
		sku, C.size_t(skuLen), owner, C.size_t(ownerLen), present,
		C.uint32_t(platform), C.uint32_t(d.CloudProductID), C.uint32_t(d.FirmwareProductID),
		C.uint32_t(d.DeniedIn), C.uint32_t(d.RemovedFrom), C.uint32_t(d.QuarantinedIn),
		C.uint32_t(d.FirmwareVersion), development)
	// The answer's fields are stored before the locked instructions of
	// RUnlock, which wait until those stores have reached the cache: the
	// caller's copy of the Decision in 16-byte words then reads the cache.
	// Stored after them, the copy would wait for each (the processor cannot
	// forward narrow stores to a wider load; about 10 ns a call here).
	setDecision(&out, &c)
	if team != nil {
		team.mu.RUnlock()
	}
	p.mu.RUnlock()
	runtime.KeepAlive(p)
	runtime.KeepAlive(team)
	if out.ErrorCode != CodeOK {
		err = out.ErrorCode
	}
	return out, err
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

// address is C memory's address as an integer, for the calls above.
func address(c unsafe.Pointer) C.uintptr_t { return C.uintptr_t(uintptr(c)) }

// hold read-locks the policy and the team set (nil: none) for one call into
// the library and returns their handles as integers; ErrClosed, holding
// nothing, when either is closed.
func hold(p *Policy, team *Team) (policy, t C.uintptr_t, err error) {
	p.mu.RLock()
	if p.ptr == nil {
		p.mu.RUnlock()
		return 0, 0, ErrClosed
	}
	if team != nil {
		team.mu.RLock()
		if team.ptr == nil {
			team.mu.RUnlock()
			p.mu.RUnlock()
			return 0, 0, ErrClosed
		}
		t = address(unsafe.Pointer(team.ptr))
	}
	return address(unsafe.Pointer(p.ptr)), t, nil
}

// release undoes hold; p and team stay reachable (their finalizers cannot
// free them) until it returns.
func release(p *Policy, team *Team) {
	if team != nil {
		team.mu.RUnlock()
	}
	p.mu.RUnlock()
	runtime.KeepAlive(p)
	runtime.KeepAlive(team)
}

// DecideMany decides many devices, in order, in calls to the library of
// batchRecords each.
// When a record is invalid, its decision is a deny with its code and the
// error is a *RecordError for the first such record; the other decisions
// are made as usual.
func (p *Policy) DecideMany(devices []Device) ([]Decision, error) {
	return p.DecideManyWithTeam(nil, devices)
}

// batchRecords is how many records DecideMany copies to C and decides per
// library call: the records, their strings and answers (about 60 KB) stay
// in the cache between the copy, the decision and the answers' conversion,
// and the C memory is the same block for every chunk of a batch.
const batchRecords = 256

// DecideManyWithTeam is DecideMany with run-time team memberships.  The
// locks are held for the whole batch, so a Close waits for it: every
// decision of one batch comes from the same open policy, or all are denies
// with ErrClosed.
func (p *Policy) DecideManyWithTeam(team *Team, devices []Device) ([]Decision, error) {
	out := make([]Decision, len(devices))
	if len(devices) == 0 {
		return out, nil
	}
	policy, t, err := hold(p, team)
	if err != nil {
		for i := range out {
			out[i] = denied(CodeInvalidArgument)
		}
		return out, err
	}
	defer release(p, team)
	var a *cArena
	defer func() {
		if a != nil {
			a.free()
		}
	}()
	var first error
	for start := 0; start < len(devices); start += batchRecords {
		chunk := devices[start:]
		if len(chunk) > batchRecords {
			chunk = chunk[:batchRecords]
		}
		n := uintptr(len(chunk))
		need := structSpace(decisionSize*n) + structSpace(deviceSize*n) + textSpace(chunk)
		if a == nil || need > a.size {
			if a != nil {
				a.free()
			}
			a = newArena(need)
		}
		a.used = 0
		cout := (*C.pp_decision)(a.alloc(decisionSize * n))
		cdev := placeDevices(a, chunk)
		C.ppgo_decide_many(address(unsafe.Pointer(cout)), policy, t,
			address(unsafe.Pointer(cdev)), C.size_t(n))
		decided := out[start : start+len(chunk)]
		answers := unsafe.Slice(cout, n)
		for i := range answers {
			setDecision(&decided[i], &answers[i])
			if decided[i].ErrorCode != CodeOK && first == nil {
				first = &RecordError{Index: start + i, Code: decided[i].ErrorCode}
			}
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
