package particlepolicy

/*
#include <particlepolicy.h>
*/
import "C"

import (
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unsafe"
)

// Policy is a compiled, immutable policy.  Any number of goroutines may use
// one at once.  Close frees it (after the calls in flight return); a
// finalizer frees a policy that was never closed.
type Policy struct {
	mu        sync.RWMutex // read: a call in flight; write: Close
	ptr       *C.pp_policy
	platforms map[string]uint32 // platform names, lower case, for PlatformID
}

// Limits for untrusted policy text; a zero field keeps the library's default
// (16 MiB input, depth 32, 64 aliases, 2,000,000 nodes, 100,000 products,
// 1,000,000 members).
type Limits struct {
	MaxInputBytes uint
	MaxDepth      uint32
	MaxAliases    uint32
	MaxNodes      uint32
	MaxProducts   uint32
	MaxMembers    uint32
}

// LoadPolicy compiles policy text (YAML, schema version 1).  A text that is
// not a valid policy gives an *Error with code, line, column and message.
func LoadPolicy(text []byte) (*Policy, error) {
	return load(text, nil, "")
}

// LoadPolicyWithLimits is LoadPolicy with limits for untrusted text.
func LoadPolicyWithLimits(text []byte, limits Limits) (*Policy, error) {
	return load(text, &limits, "")
}

// LoadPolicyFile reads and compiles a policy file; errors name the file.
func LoadPolicyFile(path string) (*Policy, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return load(text, nil, path)
}

func load(text []byte, limits *Limits, source string) (*Policy, error) {
	if libraryError != nil {
		return nil, libraryError
	}
	var options *C.pp_load_options
	if limits != nil {
		// Go memory without Go pointers: cgo lets C read it during the call.
		options = &C.pp_load_options{
			version:         C.PP_LOAD_OPTIONS_VERSION,
			max_input_bytes: C.size_t(limits.MaxInputBytes),
			max_depth:       C.uint32_t(limits.MaxDepth),
			max_aliases:     C.uint32_t(limits.MaxAliases),
			max_nodes:       C.uint32_t(limits.MaxNodes),
			max_products:    C.uint32_t(limits.MaxProducts),
			max_members:     C.uint32_t(limits.MaxMembers),
		}
	}
	if len(text) == 0 {
		text = make([]byte, 0, 1) // present but empty: a pointer, not NULL
	}
	data := (*C.char)(unsafe.Pointer(&text[:1][0]))
	var ptr *C.pp_policy
	var cerr C.pp_error
	rc := C.pp_policy_load(&ptr, data, C.size_t(len(text)), options, &cerr)
	runtime.KeepAlive(text)
	if rc != 0 {
		if ErrorCode(rc) == CodeNoMemory {
			return nil, CodeNoMemory
		}
		return nil, newError(&cerr, source)
	}
	p := &Policy{ptr: ptr}
	runtime.SetFinalizer(p, (*Policy).finalize)
	p.platforms = map[string]uint32{}
	for _, pl := range p.Platforms() {
		p.platforms[strings.ToLower(pl.Name)] = pl.ID
	}
	return p, nil
}

func newError(cerr *C.pp_error, source string) *Error {
	return &Error{
		Code:    ErrorCode(cerr.code),
		Line:    int(cerr.line),
		Column:  int(cerr.column),
		Offset:  int(cerr.offset),
		Message: C.GoString(&cerr.message[0]),
		Source:  source,
	}
}

// ValidatePolicy checks policy text as LoadPolicy does, but reports every
// error it finds in one run (at most 100), in source order, and builds no
// policy: nil when the text loads.
func ValidatePolicy(text []byte) ([]*Error, error) {
	if libraryError != nil {
		return nil, libraryError
	}
	if len(text) == 0 {
		text = make([]byte, 0, 1) // present but empty: a pointer, not NULL
	}
	data := (*C.char)(unsafe.Pointer(&text[:1][0]))
	found := make([]C.pp_error, C.PP_VALIDATE_MAX_ERRORS)
	var total C.size_t
	C.pp_policy_validate(&total, &found[0], C.size_t(len(found)), data, C.size_t(len(text)), nil)
	runtime.KeepAlive(text)
	var errs []*Error
	for i := 0; i < int(total) && i < len(found); i++ {
		errs = append(errs, newError(&found[i], ""))
	}
	return errs, nil
}

func (p *Policy) finalize() { C.pp_policy_free(p.ptr) }

// Close frees the policy once the calls in flight have returned.  Later
// calls fail with ErrClosed (and decisions are deny).  Close is idempotent
// and always returns nil.
func (p *Policy) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ptr != nil {
		C.pp_policy_free(p.ptr)
		p.ptr = nil
		runtime.SetFinalizer(p, nil)
	}
	return nil
}

// use runs f with the C policy held for reading; ErrClosed after Close.
func (p *Policy) use(f func(*C.pp_policy) error) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.ptr == nil {
		return ErrClosed
	}
	err := f(p.ptr)
	runtime.KeepAlive(p)
	return err
}

// Fingerprint is a 64-bit hash of the policy's canonical form, equal for
// texts that differ only in order, comments or layout: stamp it on audit
// logs.  0 after Close.
func (p *Policy) Fingerprint() uint64 {
	var fp uint64
	_ = p.use(func(c *C.pp_policy) error {
		fp = uint64(C.pp_policy_fingerprint(c))
		return nil
	})
	return fp
}

// LegacyBelow is the Device OS version below which devices are legacy.
func (p *Policy) LegacyBelow() string {
	var s string
	_ = p.use(func(c *C.pp_policy) error {
		s = C.GoString(C.pp_policy_legacy_below(c))
		return nil
	})
	return s
}

// IsLegacy reports whether devices on Device OS version deviceOS are legacy
// under this policy (they report their firmware's product; quarantine and
// auto-approve apply).  An invalid version gives CodeInvalidVersion.
func (p *Policy) IsLegacy(deviceOS string) (bool, error) {
	var legacy bool
	err := p.use(func(c *C.pp_policy) error {
		a := newArena(uintptr(len(deviceOS)))
		defer a.free()
		s, n := a.text(deviceOS)
		rc := C.pp_is_legacy(c, s, n)
		legacy = rc == 1
		if rc < 0 {
			return ErrorCode(rc)
		}
		return nil
	})
	return legacy, err
}

// Product is a product as the policy compiled it.  Organization and
// MinDeviceOS are "" and ReleasedFirmware is 0 when the policy gives none.
type Product struct {
	ID                  uint32
	Name                string
	Organization        string
	Family              string
	UnrecognizedDevices string // "quarantine" or "auto_approve"
	RemovedDevices      string // "deny" or "quarantine"
	ReleasedFirmware    uint32
	MinDeviceOS         string
}

func (p *Policy) product(c *C.pp_policy, info *C.pp_product_info) Product {
	out := Product{
		ID:                  uint32(info.id),
		Name:                C.GoString(info.name),
		Organization:        goStringOrEmpty(info.organization),
		Family:              goStringOrEmpty(C.pp_family_name(c, C.int(info.family))),
		UnrecognizedDevices: "quarantine",
		RemovedDevices:      "deny",
		ReleasedFirmware:    uint32(info.released_firmware),
		MinDeviceOS:         goStringOrEmpty(info.min_device_os),
	}
	if info.auto_approve != 0 {
		out.UnrecognizedDevices = "auto_approve"
	}
	if info.removed_quarantine != 0 {
		out.RemovedDevices = "quarantine"
	}
	return out
}

func goStringOrEmpty(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// Products lists the policy's products by ID.
func (p *Policy) Products() []Product {
	var out []Product
	_ = p.use(func(c *C.pp_policy) error {
		var info C.pp_product_info
		n := int(C.pp_policy_product_count(c))
		for i := 0; i < n; i++ {
			if C.pp_policy_product_at(&info, c, C.size_t(i)) == 0 {
				out = append(out, p.product(c, &info))
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Product is the product with this ID, if the policy holds it.
func (p *Policy) Product(id uint32) (Product, bool) {
	var out Product
	found := false
	_ = p.use(func(c *C.pp_policy) error {
		var info C.pp_product_info
		if C.pp_policy_product(&info, c, C.uint32_t(id)) == 0 {
			out, found = p.product(c, &info), true
		}
		return nil
	})
	return out, found
}

// Platform is an entry of the policy's platform table (built-in plus the
// policy's own).  Family is "" when only the SKU decides it.
type Platform struct {
	ID              uint32
	Name            string
	ProductEligible bool
	Family          string
}

// Platforms lists the policy's platform table.
func (p *Policy) Platforms() []Platform {
	var out []Platform
	_ = p.use(func(c *C.pp_policy) error {
		var info C.pp_platform_info
		for i := 0; C.pp_policy_platform_at(&info, c, C.size_t(i)) == 0; i++ {
			out = append(out, Platform{
				ID:              uint32(info.id),
				Name:            C.GoString(info.name),
				ProductEligible: info.product_eligible != 0,
				Family:          goStringOrEmpty(C.pp_family_name(c, C.int(info.family))),
			})
		}
		return nil
	})
	return out
}

// PlatformID is the ID of a platform name of the policy's table ("bsom"),
// in any case.
func (p *Policy) PlatformID(name string) (uint32, bool) {
	id, ok := p.platforms[strings.ToLower(name)]
	return id, ok
}

// SKUPrefix is an entry of the policy's SKU table: the longest prefix of a
// SKU decides its platform and family ("" when not product-eligible).
type SKUPrefix struct {
	Prefix     string
	PlatformID uint32
	Family     string
}

// SKUs lists the policy's SKU prefix table.
func (p *Policy) SKUs() []SKUPrefix {
	var out []SKUPrefix
	_ = p.use(func(c *C.pp_policy) error {
		var info C.pp_sku_info
		for i := 0; C.pp_policy_sku_at(&info, c, C.size_t(i)) == 0; i++ {
			out = append(out, SKUPrefix{
				Prefix:     C.GoString(info.prefix),
				PlatformID: uint32(info.platform_id),
				Family:     goStringOrEmpty(C.pp_family_name(c, C.int(info.family))),
			})
		}
		return nil
	})
	return out
}

// Families lists the policy's family names (built-in plus its own).
func (p *Policy) Families() []string {
	var out []string
	_ = p.use(func(c *C.pp_policy) error {
		out = names(func(i C.int) *C.char { return C.pp_family_name(c, i) }, 0, 1)
		return nil
	})
	return out
}

// CompareVersions compares two Device OS versions by semver 2.0 precedence
// (build metadata ignored, optional leading 'v'): -1, 0 or 1.  An invalid
// version gives CodeInvalidVersion.
func CompareVersions(a, b string) (int, error) {
	arena := newArena(uintptr(len(a) + len(b)))
	defer arena.free()
	sa, na := arena.text(a)
	sb, nb := arena.text(b)
	var cmp C.int
	if err := codeError(C.pp_version_compare(&cmp, sa, na, sb, nb)); err != nil {
		return 0, err
	}
	return int(cmp), nil
}
