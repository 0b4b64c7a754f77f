package particlepolicy

/*
#include <particlepolicy.h>
*/
import "C"

import (
	"errors"
	"fmt"
)

// ErrorCode is one of the library's stable error codes.  It is an error
// itself, so errors.Is(err, CodeUnknownKey) works on every error this package
// returns.
type ErrorCode int32

// Error codes (stable; never renumbered).
const (
	CodeOK              ErrorCode = C.PP_OK
	CodeNoMemory        ErrorCode = C.PP_ERR_NOMEM
	CodeInvalidArgument ErrorCode = C.PP_ERR_INVALID_ARGUMENT
	CodeYAML            ErrorCode = C.PP_ERR_YAML
	CodeLimit           ErrorCode = C.PP_ERR_LIMIT
	CodeSchemaVersion   ErrorCode = C.PP_ERR_SCHEMA_VERSION
	CodeUnknownKey      ErrorCode = C.PP_ERR_UNKNOWN_KEY
	CodeMissingKey      ErrorCode = C.PP_ERR_MISSING_KEY
	CodeWrongType       ErrorCode = C.PP_ERR_WRONG_TYPE
	CodeInvalidValue    ErrorCode = C.PP_ERR_INVALID_VALUE
	CodeOutOfRange      ErrorCode = C.PP_ERR_OUT_OF_RANGE
	CodeDuplicate       ErrorCode = C.PP_ERR_DUPLICATE
	CodeUnknownFamily   ErrorCode = C.PP_ERR_UNKNOWN_FAMILY
	CodeUnknownName     ErrorCode = C.PP_ERR_UNKNOWN_NAME
	CodeInvalidVersion  ErrorCode = C.PP_ERR_INVALID_VERSION
	CodeDeviceID        ErrorCode = C.PP_ERR_DEVICE_ID
	CodeDeviceOS        ErrorCode = C.PP_ERR_DEVICE_OS
	CodeSKU             ErrorCode = C.PP_ERR_SKU
	CodeOwner           ErrorCode = C.PP_ERR_OWNER
	CodeFirmwareVersion ErrorCode = C.PP_ERR_FIRMWARE_VERSION
	CodePlatform        ErrorCode = C.PP_ERR_PLATFORM
)

// ErrorCodes lists every code the library knows: CodeOK, then -1, -2, ...
func ErrorCodes() []ErrorCode {
	out := make([]ErrorCode, len(errorNames))
	for i := range out {
		out[i] = ErrorCode(-i)
	}
	return out
}

// String is the code's stable snake_case name ("invalid_device_id").
func (c ErrorCode) String() string {
	if c <= 0 && int(-c) < len(errorNames) {
		return errorNames[-c]
	}
	return fmt.Sprintf("ErrorCode(%d)", int32(c))
}

// Text is the library's one-sentence description of the code.
func (c ErrorCode) Text() string {
	if c <= 0 && int(-c) < len(errorTexts) {
		return errorTexts[-c]
	}
	return "unknown error"
}

// Error makes a code usable as an error value.
func (c ErrorCode) Error() string {
	return "particlepolicy: " + c.String() + ": " + c.Text()
}

// MarshalText writes the code's name.
func (c ErrorCode) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// ParseErrorCode is the code with the given name.
func ParseErrorCode(name string) (ErrorCode, error) {
	for i, n := range errorNames {
		if n == name {
			return ErrorCode(-i), nil
		}
	}
	return 0, fmt.Errorf("particlepolicy: unknown error code %q", name)
}

// UnmarshalText reads the code's name.
func (c *ErrorCode) UnmarshalText(b []byte) (err error) {
	*c, err = ParseErrorCode(string(b))
	return err
}

// Error is a policy that did not load: the code, where (1-based Line and
// Column, 0 when the error has no position; 0-based byte Offset) and why.
type Error struct {
	Code    ErrorCode
	Line    int
	Column  int
	Offset  int
	Message string
	Source  string // the file name, when loaded with LoadPolicyFile
}

// Error reads like a compiler's: "policy.yaml:4:5: message (code)".
func (e *Error) Error() string {
	where := e.Source
	if where == "" {
		where = "<policy>"
	}
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d:%d", where, e.Line, e.Column)
	}
	return fmt.Sprintf("%s: %s (%s)", where, e.Message, e.Code.String())
}

// Unwrap gives the code, for errors.Is.
func (e *Error) Unwrap() error { return e.Code }

// RecordError says which record of a batch was invalid first; its decision
// (and that of every other invalid record) is a deny with its own code.
type RecordError struct {
	Index int
	Code  ErrorCode
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("particlepolicy: record %d: %s: %s", e.Index, e.Code.String(), e.Code.Text())
}

// Unwrap gives the code, for errors.Is.
func (e *RecordError) Unwrap() error { return e.Code }

// ErrClosed is returned for a policy or team set used after Close.
var ErrClosed = errors.New("particlepolicy: use of a closed policy or team set")

// codeError turns a negative return code into an error (nil for PP_OK).
func codeError(rc C.int) error {
	if rc == 0 {
		return nil
	}
	return ErrorCode(rc)
}
