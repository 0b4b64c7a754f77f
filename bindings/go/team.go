package particlepolicy

/*
#include <particlepolicy.h>
*/
import "C"

import (
	"runtime"
	"sync"
)

// Team is a set of team memberships (organization, user, role) built at run
// time from the caller's own database; decisions made with it count them for
// rule 14 beside the policy's own teams.  Add may run while other goroutines
// decide with the set: it waits for the decisions in flight.  Close frees
// it; a finalizer frees a set that was never closed.
type Team struct {
	mu  sync.RWMutex // read: decisions in flight; write: Add, Close
	ptr *C.pp_team
}

// NewTeam returns an empty team set.
func NewTeam() (*Team, error) {
	if libraryError != nil {
		return nil, libraryError
	}
	var ptr *C.pp_team
	if err := codeError(C.pp_team_new(&ptr, nil)); err != nil {
		return nil, err
	}
	t := &Team{ptr: ptr}
	runtime.SetFinalizer(t, (*Team).finalize)
	return t, nil
}

func (t *Team) finalize() { C.pp_team_free(t.ptr) }

// Add records that user belongs to organization with role; adding the same
// pair again changes the role.  Invalid names give CodeInvalidArgument.
func (t *Team) Add(organization, user string, role Role) error {
	a := newArena(uintptr(len(organization) + len(user)))
	defer a.free()
	org, orgLen := a.text(organization)
	name, nameLen := a.text(user)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ptr == nil {
		return ErrClosed
	}
	err := codeError(C.pp_team_add(t.ptr, org, orgLen, name, nameLen, C.pp_role(role)))
	runtime.KeepAlive(t)
	return err
}

// Len is the number of memberships in the set (0 after Close).
func (t *Team) Len() int {
	n := 0
	_ = t.use(func(c *C.pp_team) error {
		n = int(C.pp_team_size(c))
		return nil
	})
	return n
}

// Close frees the set once the decisions in flight have returned; later use
// fails with ErrClosed.  Idempotent; always returns nil.
func (t *Team) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ptr != nil {
		C.pp_team_free(t.ptr)
		t.ptr = nil
		runtime.SetFinalizer(t, nil)
	}
	return nil
}

// use runs f with the C team set held for reading; a nil Team is no set.
func (t *Team) use(f func(*C.pp_team) error) error {
	if t == nil {
		return f(nil)
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.ptr == nil {
		return ErrClosed
	}
	err := f(t.ptr)
	runtime.KeepAlive(t)
	return err
}
