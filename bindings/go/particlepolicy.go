// Package particlepolicy is the Go binding of libparticlepolicy, the C
// library that decides which IoT devices belong to which product, with which
// privileges (the Particle Device Cloud's product model).
//
// Compile a policy once, then decide as many devices as you like, from any
// number of goroutines:
//
//	policy, err := particlepolicy.LoadPolicy(yamlText)
//	if err != nil {
//		var perr *particlepolicy.Error
//		if errors.As(err, &perr) {
//			log.Fatalf("policy.yaml:%d:%d: %s", perr.Line, perr.Column, perr.Message)
//		}
//		log.Fatal(err)
//	}
//	defer policy.Close()
//	d, err := policy.Decide(particlepolicy.Device{
//		ID: "269e0d37f2a74de452e6b438", PlatformID: particlepolicy.Ptr[uint32](26),
//		DeviceOS: "6.1.1", CloudProductID: 14001,
//	})
//	fmt.Println(d.Outcome, d.Reason, d.Rule) // ok member 7
//
// The package links the C library through pkg-config (package
// "particlepolicy"); see docs/go.md in the source tree.
package particlepolicy

/*
#cgo pkg-config: particlepolicy
#include <stdlib.h>
#include <particlepolicy.h>

// Compile-time guard: this binding is written against the 0.x API from 0.1.0
// on; another major version of the header stops the build here.
#if !defined(PP_VERSION_NUMBER) || PP_VERSION_MAJOR != 0 || PP_VERSION_NUMBER < 100
#error "particlepolicy (Go): needs libparticlepolicy 0.x, at least 0.1.0"
#endif
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// HeaderVersion is the library version this package was compiled against
// (MAJOR*10000 + MINOR*100 + PATCH).
const HeaderVersion = C.PP_VERSION_NUMBER

// LibraryVersion is the version of the C library actually linked, as
// "MAJOR.MINOR.PATCH".
func LibraryVersion() string { return C.GoString(C.pp_version_string()) }

// libraryError is non-nil when the linked library's major version differs
// from the header's, or it is older: every constructor then returns it.
var libraryError = checkLibrary(uint(C.pp_version_number()))

func checkLibrary(linked uint) error {
	if linked/10000 != HeaderVersion/10000 || linked < HeaderVersion {
		return fmt.Errorf("particlepolicy: linked library %s does not match the header %d.%d.%d",
			LibraryVersion(), C.PP_VERSION_MAJOR, C.PP_VERSION_MINOR, C.PP_VERSION_PATCH)
	}
	return nil
}

// Ptr returns a pointer to v: a shorthand for the optional fields of Device
// and Model (PlatformID, SKU, Owner).
func Ptr[T any](v T) *T { return &v }

// cArena is one C allocation holding the structures and strings of one call.
// The C structures hold pointers, and cgo forbids C memory from holding Go
// pointers, so strings are copied here; the C library keeps no pointer after
// the call returns, and free releases everything at once.
type cArena struct {
	base       unsafe.Pointer
	used, size uintptr
}

func newArena(size uintptr) *cArena {
	size++ // room for the empty string at the very end
	return &cArena{base: C.malloc(C.size_t(size)), size: size}
}

// alloc returns n bytes aligned for any C structure.
func (a *cArena) alloc(n uintptr) unsafe.Pointer {
	const align = 16
	a.used = (a.used + align - 1) &^ (align - 1)
	p := unsafe.Add(a.base, a.used)
	a.used += n
	if a.used > a.size {
		panic("particlepolicy: arena overflow")
	}
	return p
}

// text copies s and returns it as (pointer, length); the pointer is never
// NULL, so an empty string stays present (NULL means absent to the library).
func (a *cArena) text(s string) (*C.char, C.size_t) {
	p := unsafe.Add(a.base, a.used)
	if a.used+uintptr(len(s)) > a.size {
		panic("particlepolicy: arena overflow")
	}
	copy(unsafe.Slice((*byte)(p), len(s)), s)
	a.used += uintptr(len(s))
	return (*C.char)(p), C.size_t(len(s))
}

// optional is text for a string that may be absent (nil: NULL, 0).
func (a *cArena) optional(s *string) (*C.char, C.size_t) {
	if s == nil {
		return nil, 0
	}
	return a.text(*s)
}

func (a *cArena) free() { C.free(a.base) }

// structSpace is what alloc may use for one structure of size n.
func structSpace(n uintptr) uintptr { return n + 16 }

func optionalLen(s *string) uintptr {
	if s == nil {
		return 0
	}
	return uintptr(len(*s))
}
