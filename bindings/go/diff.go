package particlepolicy

/*
#include <particlepolicy.h>
*/
import "C"

import (
	"runtime"
	"sync"
)

// ChangeKind says what a semantic change of a policy diff is about.
type ChangeKind int32

// Change kinds (docs/diff.md lists their fields and directions).
const (
	ChangeSetting             ChangeKind = C.PP_CHANGE_SETTING
	ChangePlatformAdded       ChangeKind = C.PP_CHANGE_PLATFORM_ADDED
	ChangePlatformRemoved     ChangeKind = C.PP_CHANGE_PLATFORM_REMOVED
	ChangePlatformChanged     ChangeKind = C.PP_CHANGE_PLATFORM_CHANGED
	ChangeSKUAdded            ChangeKind = C.PP_CHANGE_SKU_ADDED
	ChangeSKURemoved          ChangeKind = C.PP_CHANGE_SKU_REMOVED
	ChangeSKUChanged          ChangeKind = C.PP_CHANGE_SKU_CHANGED
	ChangeFamilyAdded         ChangeKind = C.PP_CHANGE_FAMILY_ADDED
	ChangeFamilyRemoved       ChangeKind = C.PP_CHANGE_FAMILY_REMOVED
	ChangeOrganizationAdded   ChangeKind = C.PP_CHANGE_ORGANIZATION_ADDED
	ChangeOrganizationRemoved ChangeKind = C.PP_CHANGE_ORGANIZATION_REMOVED
	ChangeCanaryAdded         ChangeKind = C.PP_CHANGE_CANARY_ADDED
	ChangeCanaryRemoved       ChangeKind = C.PP_CHANGE_CANARY_REMOVED
	ChangeProductAdded        ChangeKind = C.PP_CHANGE_PRODUCT_ADDED
	ChangeProductRemoved      ChangeKind = C.PP_CHANGE_PRODUCT_REMOVED
	ChangeProductChanged      ChangeKind = C.PP_CHANGE_PRODUCT_CHANGED
	ChangeIntegrationAdded    ChangeKind = C.PP_CHANGE_INTEGRATION_ADDED
	ChangeIntegrationRemoved  ChangeKind = C.PP_CHANGE_INTEGRATION_REMOVED
	ChangeMemberAdded         ChangeKind = C.PP_CHANGE_MEMBER_ADDED
	ChangeMemberRemoved       ChangeKind = C.PP_CHANGE_MEMBER_REMOVED
	ChangeMemberChanged       ChangeKind = C.PP_CHANGE_MEMBER_CHANGED
	ChangeAPIUserAdded        ChangeKind = C.PP_CHANGE_API_USER_ADDED
	ChangeAPIUserRemoved      ChangeKind = C.PP_CHANGE_API_USER_REMOVED
	ChangeAPIUserChanged      ChangeKind = C.PP_CHANGE_API_USER_CHANGED
	ChangeScopeAdded          ChangeKind = C.PP_CHANGE_SCOPE_ADDED
	ChangeScopeRemoved        ChangeKind = C.PP_CHANGE_SCOPE_REMOVED
)

var changeKinds = vocabulary[ChangeKind]{"ChangeKind", changeKindNames}

// ChangeKinds lists every change kind in order.
func ChangeKinds() []ChangeKind { return all[ChangeKind](len(changeKindNames)) }

// String is the kind's stable name ("product_changed").
func (k ChangeKind) String() string { return changeKinds.name(k) }

// MarshalText writes the stable name.
func (k ChangeKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Direction says which way a change moves: loosening when some device or
// person may gain by it, tightening when some may only lose, neutral when
// nothing can change.
type Direction int32

// Directions.
const (
	DirectionNeutral    Direction = C.PP_DIRECTION_NEUTRAL
	DirectionTightening Direction = C.PP_DIRECTION_TIGHTENING
	DirectionLoosening  Direction = C.PP_DIRECTION_LOOSENING
)

var directions = vocabulary[Direction]{"Direction", directionNames}

// String is the direction's stable name ("loosening").
func (d Direction) String() string { return directions.name(d) }

// MarshalText writes the stable name.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Change is one semantic change.  Strings are "" where the kind has none
// (an absent old or new value is "" too).
type Change struct {
	Kind               ChangeKind `json:"kind"`
	Direction          Direction  `json:"direction"`
	ProductID          uint32     `json:"product_id,omitempty"`
	Organization       string     `json:"organization,omitempty"`
	Subject            string     `json:"subject,omitempty"`
	Key                string     `json:"key,omitempty"`
	Old                string     `json:"old,omitempty"`
	New                string     `json:"new,omitempty"`
	FindingsIntroduced int        `json:"findings_introduced"`
	FindingsResolved   int        `json:"findings_resolved"`
}

// DiffFinding is a security finding one policy has and the other has not;
// Change is the index of the change it comes with, or -1.
type DiffFinding struct {
	Introduced bool    `json:"introduced"`
	Change     int     `json:"change"`
	Finding    Finding `json:"finding"`
}

// DeviceClass is a class of device records whose decision changes: every
// record it describes decides as Old under the old policy and as New under
// the new one (product IDs are the representative's).
type DeviceClass struct {
	Description      string     `json:"description"`
	Representative   Device     `json:"representative"`
	Old              Decision   `json:"old"`
	New              Decision   `json:"new"`
	PrivilegesGained Privileges `json:"privileges_gained"`
	PrivilegesLost   Privileges `json:"privileges_lost"`
}

// AuthorizationChange is an answer of Authorize that changes.  Actor is ""
// for anyone on neither policy's teams of the product.
type AuthorizationChange struct {
	Actor     string        `json:"actor,omitempty"`
	ActorKind ActorKind     `json:"actor_kind"`
	Action    Action        `json:"action"`
	ProductID uint32        `json:"product_id"`
	Old       Authorization `json:"old"`
	New       Authorization `json:"new"`
}

// Diff is what a new policy changes against an old one (docs/diff.md).  The
// device classes cover every possible record: no class means no record
// decides differently.  The fields are copies; ClassOf needs the diff open
// (Close frees it, a finalizer frees a diff never closed).
type Diff struct {
	mu              sync.RWMutex
	ptr             *C.pp_diff
	Changes         []Change              `json:"changes"`
	Findings        []DiffFinding         `json:"findings"`
	DeviceClasses   []DeviceClass         `json:"device_classes"`
	ClassesExamined uint64                `json:"classes_examined"`
	Authorizations  []AuthorizationChange `json:"authorizations"`
}

// Diff compares p (the old policy) with newer.  It fails with CodeLimit when
// the device-class analysis would be too large, or ErrClosed.
func (p *Policy) Diff(newer *Policy) (*Diff, error) {
	var ptr *C.pp_diff
	var rc C.int
	err := p.use(func(old *C.pp_policy) error {
		return newer.use(func(c *C.pp_policy) error {
			rc = C.pp_policy_diff(&ptr, old, c, nil, nil)
			return codeError(rc)
		})
	})
	if err != nil {
		return nil, err
	}
	d := &Diff{ptr: ptr, ClassesExamined: uint64(C.pp_diff_classes_examined(ptr))}
	runtime.SetFinalizer(d, (*Diff).finalize)
	d.read()
	return d, nil
}

func (d *Diff) read() {
	for i := C.size_t(0); i < C.pp_diff_change_count(d.ptr); i++ {
		var c C.pp_change
		C.pp_diff_change_at(&c, d.ptr, i)
		d.Changes = append(d.Changes, Change{
			Kind: ChangeKind(c.kind), Direction: Direction(c.direction), ProductID: uint32(c.product_id),
			Organization: goStringOrEmpty(c.organization), Subject: goStringOrEmpty(c.subject),
			Key: goStringOrEmpty(c.key), Old: goStringOrEmpty(c.old_value), New: goStringOrEmpty(c.new_value),
			FindingsIntroduced: int(c.findings_introduced), FindingsResolved: int(c.findings_resolved),
		})
	}
	for i := C.size_t(0); i < C.pp_diff_finding_count(d.ptr); i++ {
		var f C.pp_diff_finding
		C.pp_diff_finding_at(&f, d.ptr, i)
		change := -1
		if f.change != ^C.size_t(0) {
			change = int(f.change)
		}
		d.Findings = append(d.Findings, DiffFinding{
			Introduced: f.introduced != 0, Change: change,
			Finding: findingsFrom([]C.pp_finding{f.finding})[0],
		})
	}
	for i := C.size_t(0); i < C.pp_diff_device_class_count(d.ptr); i++ {
		var k C.pp_device_class
		C.pp_diff_device_class_at(&k, d.ptr, i)
		d.DeviceClasses = append(d.DeviceClasses, DeviceClass{
			Description:      C.GoString(k.description),
			Representative:   deviceFrom(&k.representative),
			Old:              decisionFrom(&k.old_decision),
			New:              decisionFrom(&k.new_decision),
			PrivilegesGained: Privileges(k.privileges_gained),
			PrivilegesLost:   Privileges(k.privileges_lost),
		})
	}
	for i := C.size_t(0); i < C.pp_diff_authorization_count(d.ptr); i++ {
		var a C.pp_authorization_change
		C.pp_diff_authorization_at(&a, d.ptr, i)
		d.Authorizations = append(d.Authorizations, AuthorizationChange{
			Actor: goStringOrEmpty(a.actor), ActorKind: ActorKind(a.actor_kind), Action: Action(a.action),
			ProductID: uint32(a.product_id), Old: authorizationFrom(&a.old_answer),
			New: authorizationFrom(&a.new_answer),
		})
	}
}

// deviceFrom copies a C record (the diff's representatives).
func deviceFrom(c *C.pp_device) Device {
	d := Device{
		ID:                C.GoStringN(c.id, C.int(c.id_len)),
		DeviceOS:          C.GoStringN(c.device_os, C.int(c.device_os_len)),
		CloudProductID:    uint32(c.cloud_product_id),
		FirmwareProductID: uint32(c.firmware_product_id),
		DeniedIn:          uint32(c.denied_in),
		RemovedFrom:       uint32(c.removed_from),
		QuarantinedIn:     uint32(c.quarantined_in),
		Development:       c.development != 0,
		FirmwareVersion:   uint32(c.firmware_version),
	}
	if c.platform_id != C.PP_PLATFORM_UNSPECIFIED {
		id := uint32(c.platform_id)
		d.PlatformID = &id
	}
	if c.sku != nil {
		s := C.GoStringN(c.sku, C.int(c.sku_len))
		d.SKU = &s
	}
	if c.owner != nil {
		s := C.GoStringN(c.owner, C.int(c.owner_len))
		d.Owner = &s
	}
	return d
}

func (d *Diff) finalize() { C.pp_diff_free(d.ptr) }

// Close frees the C diff; ClassOf fails with ErrClosed afterwards.  The
// copied fields stay.  Idempotent; always nil.
func (d *Diff) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ptr != nil {
		C.pp_diff_free(d.ptr)
		d.ptr = nil
		runtime.SetFinalizer(d, nil)
	}
	return nil
}

// ClassOf is the index in DeviceClasses of the changed class a record
// belongs to (-1 when its class decides the same under both policies), and
// the two decisions its class predicts for it.  An invalid record gives -1,
// deny decisions and its error code.
func (d *Diff) ClassOf(dev Device) (int, Decision, Decision, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.ptr == nil {
		return -1, denied(CodeInvalidArgument), denied(CodeInvalidArgument), ErrClosed
	}
	a, cdev := devicesToC([]Device{dev})
	defer a.free()
	var index C.size_t
	var o, n C.pp_decision
	rc := C.pp_diff_class_of(&index, &o, &n, d.ptr, cdev)
	runtime.KeepAlive(d)
	class := -1
	if index != ^C.size_t(0) {
		class = int(index)
	}
	return class, decisionFrom(&o), decisionFrom(&n), codeError(rc)
}
