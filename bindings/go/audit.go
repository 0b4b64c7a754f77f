package particlepolicy

/*
#include <stdlib.h>
#include <particlepolicy.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Severity is how much a finding matters, least to most.
type Severity int32

// Severities.
const (
	SeverityInfo     Severity = C.PP_SEVERITY_INFO
	SeverityWarning  Severity = C.PP_SEVERITY_WARNING
	SeverityCritical Severity = C.PP_SEVERITY_CRITICAL
)

var severities = vocabulary[Severity]{"Severity", severityNames}

// Severities lists every severity the library knows, least to most.
func Severities() []Severity { return all[Severity](len(severityNames)) }

// String is the library's spelling ("critical").
func (s Severity) String() string { return severities.name(s) }

// ParseSeverity is the severity named name (the library's spelling).
func ParseSeverity(name string) (Severity, error) { return severities.parse(name) }

// MarshalText writes the library's spelling.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the library's spelling.
func (s *Severity) UnmarshalText(b []byte) (err error) {
	*s, err = ParseSeverity(string(b))
	return err
}

// FindingCode says what a security check found (docs/security-checks.md).
type FindingCode int32

// Finding codes.
const (
	FindingInsecureTransport         FindingCode = C.PP_FINDING_INSECURE_TRANSPORT
	FindingSSLNotEnforced            FindingCode = C.PP_FINDING_SSL_NOT_ENFORCED
	FindingUnaccountedIntegration    FindingCode = C.PP_FINDING_UNACCOUNTED_INTEGRATION
	FindingTwoStepDisabled           FindingCode = C.PP_FINDING_TWO_STEP_DISABLED
	FindingOrganizationLevelAPIUser  FindingCode = C.PP_FINDING_ORGANIZATION_LEVEL_API_USER
	FindingFullControlHumanToken     FindingCode = C.PP_FINDING_FULL_CONTROL_HUMAN_TOKEN
	FindingOwnerAccountToken         FindingCode = C.PP_FINDING_OWNER_ACCOUNT_TOKEN
	FindingAutoApproveEnabled        FindingCode = C.PP_FINDING_AUTO_APPROVE_ENABLED
	FindingDeviceOSBelowMinimum      FindingCode = C.PP_FINDING_DEVICE_OS_BELOW_MINIMUM
	FindingLTSNotRequired            FindingCode = C.PP_FINDING_LTS_NOT_REQUIRED
	FindingSIMDataNotify             FindingCode = C.PP_FINDING_SIM_DATA_NOTIFY
	FindingSIMDataPaused             FindingCode = C.PP_FINDING_SIM_DATA_PAUSED
	FindingCanaryTokenUsed           FindingCode = C.PP_FINDING_CANARY_TOKEN_USED
	FindingInvalidRecord             FindingCode = C.PP_FINDING_INVALID_RECORD               // a record that could not be checked
	FindingAutoApproveReadmitsDenied FindingCode = C.PP_FINDING_AUTO_APPROVE_READMITS_DENIED // docs/lifecycle.md, the way back
)

var findingCodes = vocabulary[FindingCode]{"FindingCode", findingNames}

// FindingCodes lists every finding code the library knows.
func FindingCodes() []FindingCode { return all[FindingCode](len(findingNames)) }

// String is the library's spelling ("ssl_not_enforced").
func (f FindingCode) String() string { return findingCodes.name(f) }

// ParseFindingCode is the code named name (the library's spelling).
func ParseFindingCode(name string) (FindingCode, error) { return findingCodes.parse(name) }

// MarshalText writes the library's spelling.
func (f FindingCode) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText reads the library's spelling.
func (f *FindingCode) UnmarshalText(b []byte) (err error) {
	*f, err = ParseFindingCode(string(b))
	return err
}

// Severity is the code's fixed severity.
func (f FindingCode) Severity() Severity { return Severity(C.pp_finding_severity(C.int(f))) }

// SimState is a SIM's data use against its per-SIM limit.
type SimState int32

// SIM states.
const (
	SimActive SimState = C.PP_SIM_ACTIVE
	SimNotify SimState = C.PP_SIM_NOTIFY // at or over the policy's notify share
	SimPaused SimState = C.PP_SIM_PAUSED // at or over the limit
)

var simStates = vocabulary[SimState]{"SimState", simStateNames}

// SimStates lists every SIM state the library knows.
func SimStates() []SimState { return all[SimState](len(simStateNames)) }

// String is the library's spelling ("notify").
func (s SimState) String() string { return simStates.name(s) }

// ParseSimState is the state named name (the library's spelling).
func ParseSimState(name string) (SimState, error) { return simStates.parse(name) }

// MarshalText writes the library's spelling.
func (s SimState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the library's spelling.
func (s *SimState) UnmarshalText(b []byte) (err error) {
	*s, err = ParseSimState(string(b))
	return err
}

// Finding is one security finding.  Record is the index of the caller
// record it is about (within its kind); Subject a member, organization,
// product name, URL, ICCID or device ID ("" when the record had none), never
// a presented token.  It is a copy: it outlives the policy and the records.
type Finding struct {
	Code      FindingCode `json:"code"`
	Severity  Severity    `json:"severity"`
	ProductID uint32      `json:"product_id,omitempty"`
	Record    int         `json:"record"`
	Subject   string      `json:"subject,omitempty"`
	Message   string      `json:"message"`
}

// String reads "critical insecure_transport http://x: message".
func (f Finding) String() string {
	return fmt.Sprintf("%s %s %s: %s", f.Severity, f.Code, orDash(f.Subject), f.Message)
}

// IntegrationRecord is an integration (webhook) of a product.  "" is no URL.
type IntegrationRecord struct {
	ProductID  uint32 `json:"product_id"`
	URL        string `json:"url"`
	EnforceSSL bool   `json:"enforce_ssl"`
}

// TokenRecord is an access token: the product it acts on (0 = none known)
// and the account that created it.
type TokenRecord struct {
	ProductID   uint32 `json:"product_id"`
	Owner       string `json:"owner"`
	FullControl bool   `json:"full_control"`
	Human       bool   `json:"human"`
}

// SIMRecord is a SIM's data use this billing period and its limit.
type SIMRecord struct {
	ICCID      string `json:"iccid"`
	UsageBytes uint64 `json:"usage_bytes"`
	LimitBytes uint64 `json:"limit_bytes"`
}

// AuditInput is everything Audit checks besides the policy; any part may be
// empty.
type AuditInput struct {
	Integrations []IntegrationRecord `json:"integrations,omitempty"`
	Tokens       []TokenRecord       `json:"tokens,omitempty"`
	SIMs         []SIMRecord         `json:"sims,omitempty"`
	Devices      []Device            `json:"devices,omitempty"`
}

func boolInt(b bool) C.int32_t {
	if b {
		return 1
	}
	return 0
}

// recordsToC copies the integration, token and SIM records into one C
// allocation (see cArena); devices go through devicesToC.
func recordsToC(in *AuditInput) (*cArena, *C.pp_audit_input) {
	isize := unsafe.Sizeof(C.pp_integration_record{})
	tsize := unsafe.Sizeof(C.pp_token_record{})
	ssize := unsafe.Sizeof(C.pp_sim_record{})
	total := structSpace(unsafe.Sizeof(C.pp_audit_input{})) +
		structSpace(isize*uintptr(len(in.Integrations))) +
		structSpace(tsize*uintptr(len(in.Tokens))) + structSpace(ssize*uintptr(len(in.SIMs)))
	for i := range in.Integrations {
		total += uintptr(len(in.Integrations[i].URL))
	}
	for i := range in.Tokens {
		total += uintptr(len(in.Tokens[i].Owner))
	}
	for i := range in.SIMs {
		total += uintptr(len(in.SIMs[i].ICCID))
	}
	a := newArena(total)
	c := (*C.pp_audit_input)(a.alloc(unsafe.Sizeof(C.pp_audit_input{})))
	*c = C.pp_audit_input{}
	if n := len(in.Integrations); n > 0 {
		c.integrations = (*C.pp_integration_record)(a.alloc(isize * uintptr(n)))
		c.n_integrations = C.size_t(n)
		out := unsafe.Slice(c.integrations, n)
		for i := range out {
			x, rec := &out[i], &in.Integrations[i]
			x.product_id = C.uint32_t(rec.ProductID)
			x.url, x.url_len = a.required(rec.URL)
			x.enforce_ssl = boolInt(rec.EnforceSSL)
		}
	}
	if n := len(in.Tokens); n > 0 {
		c.tokens = (*C.pp_token_record)(a.alloc(tsize * uintptr(n)))
		c.n_tokens = C.size_t(n)
		out := unsafe.Slice(c.tokens, n)
		for i := range out {
			x, rec := &out[i], &in.Tokens[i]
			x.product_id = C.uint32_t(rec.ProductID)
			x.owner, x.owner_len = a.required(rec.Owner)
			x.full_control = boolInt(rec.FullControl)
			x.human = boolInt(rec.Human)
		}
	}
	if n := len(in.SIMs); n > 0 {
		c.sims = (*C.pp_sim_record)(a.alloc(ssize * uintptr(n)))
		c.n_sims = C.size_t(n)
		out := unsafe.Slice(c.sims, n)
		for i := range out {
			x, rec := &out[i], &in.SIMs[i]
			x.iccid, x.iccid_len = a.required(rec.ICCID)
			x.usage_bytes = C.uint64_t(rec.UsageBytes)
			x.limit_bytes = C.uint64_t(rec.LimitBytes)
		}
	}
	return a, c
}

// firstCap is the first guess at the number of findings: enough for most
// calls; a larger total is asked for again (the checks count like snprintf).
const firstCap = 64

// check runs one snprintf-style check on p with a first guess at the array
// size, and again with the total if it was too small.  Subjects point into
// the policy or the caller's records: they are copied while p.use holds the
// policy, and the caller frees its records only after check returns.
func (p *Policy) check(call func(c *C.pp_policy, total *C.size_t, out *C.pp_finding, capacity C.size_t) C.int) ([]Finding, error) {
	var found []Finding
	err := p.use(func(c *C.pp_policy) error {
		size := unsafe.Sizeof(C.pp_finding{})
		capacity := C.size_t(firstCap)
		for {
			// C memory: the library stores C pointers (subjects) into it.
			out := (*C.pp_finding)(C.calloc(capacity, C.size_t(size)))
			if out == nil {
				return CodeNoMemory
			}
			var total C.size_t
			rc := call(c, &total, out, capacity)
			if rc == 0 && total <= capacity {
				found = findingsFrom(unsafe.Slice(out, int(total)))
			}
			C.free(unsafe.Pointer(out))
			if rc != 0 {
				return ErrorCode(rc)
			}
			if total <= capacity {
				return nil
			}
			capacity = total
		}
	})
	return found, err
}

func findingsFrom(cf []C.pp_finding) []Finding {
	out := make([]Finding, len(cf))
	for i := range cf {
		f := &cf[i]
		out[i] = Finding{
			Code:      FindingCode(f.code),
			Severity:  Severity(f.severity),
			ProductID: uint32(f.product_id),
			Record:    int(f.record),
			Message:   C.GoString(&f.message[0]),
		}
		if f.subject != nil {
			out[i].Subject = C.GoStringN(f.subject, C.int(f.subject_len))
		}
	}
	return out
}

// Audit runs every security check but CheckToken, in the order of
// docs/security-checks.md: the policy, then the integrations, tokens, SIMs
// and devices given.  A record that cannot be checked is an invalid_record
// finding, never skipped.  A closed policy gives ErrClosed.
func (p *Policy) Audit(in AuditInput) ([]Finding, error) {
	a, c := recordsToC(&in)
	defer a.free()
	if n := len(in.Devices); n > 0 {
		d, cdev := devicesToC(in.Devices)
		defer d.free()
		c.devices, c.n_devices = cdev, C.size_t(n)
	}
	return p.check(func(pol *C.pp_policy, total *C.size_t, out *C.pp_finding, capacity C.size_t) C.int {
		return C.pp_audit(total, out, capacity, pol, c)
	})
}

// CheckPolicy checks the policy alone: two_step_disabled,
// organization_level_api_user, auto_approve_enabled, lts_not_required.
func (p *Policy) CheckPolicy() ([]Finding, error) {
	return p.check(func(pol *C.pp_policy, total *C.size_t, out *C.pp_finding, capacity C.size_t) C.int {
		return C.pp_check_policy(total, out, capacity, pol)
	})
}

// CheckIntegrations finds insecure_transport, ssl_not_enforced and
// unaccounted_integration.
func (p *Policy) CheckIntegrations(records []IntegrationRecord) ([]Finding, error) {
	a, c := recordsToC(&AuditInput{Integrations: records})
	defer a.free()
	return p.check(func(pol *C.pp_policy, total *C.size_t, out *C.pp_finding, capacity C.size_t) C.int {
		return C.pp_check_integrations(total, out, capacity, pol, c.integrations, c.n_integrations)
	})
}

// CheckTokens finds full_control_human_token and owner_account_token.
func (p *Policy) CheckTokens(records []TokenRecord) ([]Finding, error) {
	a, c := recordsToC(&AuditInput{Tokens: records})
	defer a.free()
	return p.check(func(pol *C.pp_policy, total *C.size_t, out *C.pp_finding, capacity C.size_t) C.int {
		return C.pp_check_tokens(total, out, capacity, pol, c.tokens, c.n_tokens)
	})
}

// CheckSIMs finds sim_data_notify and sim_data_paused.
func (p *Policy) CheckSIMs(records []SIMRecord) ([]Finding, error) {
	a, c := recordsToC(&AuditInput{SIMs: records})
	defer a.free()
	return p.check(func(pol *C.pp_policy, total *C.size_t, out *C.pp_finding, capacity C.size_t) C.int {
		return C.pp_check_sims(total, out, capacity, pol, c.sims, c.n_sims)
	})
}

// CheckDevices finds device_os_below_minimum in the product the admission
// decision names.
func (p *Policy) CheckDevices(devices []Device) ([]Finding, error) {
	var cdev *C.pp_device
	if len(devices) > 0 {
		var a *cArena
		a, cdev = devicesToC(devices)
		defer a.free()
	}
	return p.check(func(pol *C.pp_policy, total *C.size_t, out *C.pp_finding, capacity C.size_t) C.int {
		return C.pp_check_devices(total, out, capacity, pol, cdev, C.size_t(len(devices)))
	})
}

// CheckToken finds canary_token_used when a presented token is one of the
// policy's canaries (Subject: the organization).  The library hashes the
// token and keeps it nowhere.  An empty token gives CodeInvalidArgument.
func (p *Policy) CheckToken(token string) ([]Finding, error) {
	a := newArena(uintptr(len(token)))
	defer a.free()
	s, n := a.text(token)
	return p.check(func(pol *C.pp_policy, total *C.size_t, out *C.pp_finding, capacity C.size_t) C.int {
		return C.pp_check_token(total, out, capacity, pol, s, n)
	})
}

// SIMState is a SIM's state for its data use against its limit, under the
// policy's settings.sim_notify_percent (a limit of 0 is paused).  A closed
// policy gives SimPaused and ErrClosed: fail closed.
func (p *Policy) SIMState(usageBytes, limitBytes uint64) (SimState, error) {
	state := SimPaused
	err := p.use(func(c *C.pp_policy) error {
		var s C.int32_t
		if err := codeError(C.pp_sim_state_of(&s, c, C.uint64_t(usageBytes), C.uint64_t(limitBytes))); err != nil {
			return err
		}
		state = SimState(s)
		return nil
	})
	return state, err
}

// CanaryFingerprint is the canary fingerprint of a token as a policy spells
// it: XXH3-64 (seed 0) of its bytes; print it with %016x.
func CanaryFingerprint(token string) uint64 {
	a := newArena(uintptr(len(token)))
	defer a.free()
	s, n := a.text(token)
	return uint64(C.pp_canary_fingerprint(s, n))
}
