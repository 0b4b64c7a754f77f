package particlepolicy

/*
#include <particlepolicy.h>
*/
import "C"

import (
	"fmt"
)

// The device lifecycle (docs/lifecycle.md): the record a decision's effects
// lead to, and operator actions as transitions of a record.

// Operation is an operator action that changes a device record.
type Operation int32

// Operations.
const (
	OperationAddDevice          Operation = C.PP_OPERATION_ADD_DEVICE // pre-add
	OperationApproveQuarantined Operation = C.PP_OPERATION_APPROVE_QUARANTINED
	OperationDenyQuarantined    Operation = C.PP_OPERATION_DENY_QUARANTINED
	OperationReapproveDenied    Operation = C.PP_OPERATION_REAPPROVE_DENIED
	OperationRemoveDevice       Operation = C.PP_OPERATION_REMOVE_DEVICE
	OperationUnclaimDevice      Operation = C.PP_OPERATION_UNCLAIM_DEVICE
	OperationMarkDevelopment    Operation = C.PP_OPERATION_MARK_DEVELOPMENT
	OperationUnmarkDevelopment  Operation = C.PP_OPERATION_UNMARK_DEVELOPMENT
	OperationReleaseFirmware    Operation = C.PP_OPERATION_RELEASE_FIRMWARE // the update reaches the device
)

var (
	operationNames = names(func(i C.int) *C.char { return C.pp_operation_name(i) }, 0, 1)
	refusalNames   = names(func(i C.int) *C.char { return C.pp_refusal_name(i) }, 0, 1)
	operations     = vocabulary[Operation]{"Operation", operationNames}
	refusals       = vocabulary[Refusal]{"Refusal", refusalNames}
)

// Operations lists every operation the library knows, in numeric order.
func Operations() []Operation { return all[Operation](len(operationNames)) }

// String is the library's spelling ("approve_quarantined").
func (o Operation) String() string { return operations.name(o) }

// ParseOperation is the operation spelt name.
func ParseOperation(name string) (Operation, error) { return operations.parse(name) }

// MarshalText writes the library's spelling.
func (o Operation) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText reads the library's spelling.
func (o *Operation) UnmarshalText(b []byte) (err error) {
	*o, err = ParseOperation(string(b))
	return err
}

// Action is the action the operation is authorized as (-1 if unknown).
func (o Operation) Action() Action { return Action(C.pp_operation_action(C.int(o))) }

// Refusal says why an operation was not applied.
type Refusal int32

// Refusals.
const (
	RefusalNone            Refusal = C.PP_REFUSAL_NONE // applied
	RefusalInvalidInput    Refusal = C.PP_REFUSAL_INVALID_INPUT
	RefusalNotAuthorized   Refusal = C.PP_REFUSAL_NOT_AUTHORIZED // Authorization.Reason says why
	RefusalNoUpdatePending Refusal = C.PP_REFUSAL_NO_UPDATE_PENDING
)

// Refusals lists every refusal the library knows, in numeric order.
func Refusals() []Refusal { return all[Refusal](len(refusalNames)) }

// String is the library's spelling ("not_authorized").
func (r Refusal) String() string { return refusals.name(r) }

// ParseRefusal is the refusal spelt name.
func ParseRefusal(name string) (Refusal, error) { return refusals.parse(name) }

// MarshalText writes the library's spelling.
func (r Refusal) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the library's spelling.
func (r *Refusal) UnmarshalText(b []byte) (err error) {
	*r, err = ParseRefusal(string(b))
	return err
}

// Transition is the answer to Operate: Applied (the returned record is the
// one to store) or a Refusal, with the authorization it was given.
type Transition struct {
	Applied       bool          `json:"applied"`
	Refusal       Refusal       `json:"refusal"`
	Authorization Authorization `json:"authorization"`
	ErrorCode     ErrorCode     `json:"error,omitempty"`
}

// String reads "applied (allowed granted_by_role ...)" or
// "refused not_authorized (denied role_insufficient ...)".
func (t Transition) String() string {
	s := "applied"
	if !t.Applied {
		s = "refused " + t.Refusal.String()
	}
	return fmt.Sprintf("%s (%s)", s, t.Authorization)
}

// deviceFromC is d with the fields the library may change read from c; the
// strings stay d's (the library carries string pointers over, and only
// ever drops the owner).
func deviceFromC(d Device, c *C.pp_device) Device {
	d.CloudProductID = uint32(c.cloud_product_id)
	d.FirmwareProductID = uint32(c.firmware_product_id)
	d.DeniedIn = uint32(c.denied_in)
	d.RemovedFrom = uint32(c.removed_from)
	d.QuarantinedIn = uint32(c.quarantined_in)
	d.FirmwareVersion = uint32(c.firmware_version)
	d.Development = c.development != 0
	if c.owner == nil {
		d.Owner = nil
	}
	return d
}

// ApplyEffects is the record to store after dec, the decision made for d:
// its effects applied (docs/lifecycle.md).  A decision that does not fit the
// record (made for another one, or with unknown effects) gives d unchanged
// and CodeInvalidArgument.
func (d Device) ApplyEffects(dec Decision) (Device, error) {
	a, cdev := devicesToC([]Device{d})
	defer a.free()
	cdec := C.pp_decision{
		outcome: C.int32_t(dec.Outcome), reason: C.int32_t(dec.Reason),
		rule: C.int32_t(dec.Rule), error: C.int32_t(dec.ErrorCode),
		product_id: C.uint32_t(dec.ProductID), limited_in: C.uint32_t(dec.LimitedIn),
		privileges: C.uint32_t(dec.Privileges), advisories: C.uint32_t(dec.Advisories),
		effects: C.uint32_t(dec.Effects), leaves_denied: C.uint32_t(dec.LeavesDenied),
		leaves_quarantine: C.uint32_t(dec.LeavesQuarantine),
	}
	var next C.pp_device
	if err := codeError(C.pp_apply_effects(&next, cdev, &cdec)); err != nil {
		return d, err
	}
	return deviceFromC(d, &next), nil
}

// Operate performs op by actor on device in product productID: the record
// to store when the transition was applied (only ever when Authorize allows
// the operation's action), else device unchanged with the refusal.  Invalid
// input gives RefusalInvalidInput and its ErrorCode as the error; a closed
// policy gives ErrClosed.
func (p *Policy) Operate(actor Actor, op Operation, productID uint32, device Device) (Device, Transition, error) {
	return p.OperateWithTeam(nil, actor, op, productID, device)
}

// OperateWithTeam is Operate with run-time team memberships (see
// AuthorizeWithTeam); team may be nil.
func (p *Policy) OperateWithTeam(team *Team, actor Actor, op Operation, productID uint32,
	device Device) (Device, Transition, error) {
	names, cactor := actorToC(actor)
	defer names.free()
	records, cdev := devicesToC([]Device{device})
	defer records.free()
	var next C.pp_device
	var out C.pp_transition
	var rc C.int
	err := p.use(func(c *C.pp_policy) error {
		return team.use(func(t *C.pp_team) error {
			rc = C.pp_operate(&next, &out, c, t, cactor, C.int(op), C.uint32_t(productID), cdev)
			return nil
		})
	})
	if err != nil {
		return device, Transition{Refusal: RefusalInvalidInput,
			Authorization: refused(CodeInvalidArgument), ErrorCode: CodeInvalidArgument}, err
	}
	t := Transition{
		Applied:       out.applied != 0,
		Refusal:       Refusal(out.refusal),
		Authorization: authorizationFrom(&out.authorization),
		ErrorCode:     ErrorCode(out.error),
	}
	if !t.Applied {
		return device, t, codeError(rc)
	}
	return deviceFromC(device, &next), t, nil
}
