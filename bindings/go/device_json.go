package particlepolicy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// UnmarshalJSON reads a device record as the CLI does: the field names of
// docs/spec.md §2, "platform_id" as a number (0 to 4294967294) or, in any
// case, a platform name of the library's built-in table ("bsom"), null or
// absent for "not given" (the SKU decides), and no other keys but "note".
// Anything else is an error wrapping CodeWrongType, CodeOutOfRange,
// CodeUnknownName or CodeUnknownKey, and d is left as it was: an error never
// becomes a platform, so a caller who ignores it still decides the Device it
// had before (the zero Device is invalid input with the platform
// unspecified, never platform 0, the Core).  A platform a policy adds
// itself is named with Policy.PlatformID.
func (d *Device) UnmarshalJSON(data []byte) error {
	type fields Device // the same fields, without this method
	var rec struct {
		fields
		PlatformID json.RawMessage `json:"platform_id"`
		Note       json.RawMessage `json:"note"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		code := CodeWrongType
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			code = CodeUnknownKey
		}
		return fmt.Errorf("particlepolicy: device record: %s: %w",
			strings.TrimPrefix(err.Error(), "json: "), code)
	}
	platform, err := platformFromJSON(rec.PlatformID)
	if err != nil {
		return fmt.Errorf("particlepolicy: device record: platform_id: %w", err)
	}
	out := Device(rec.fields)
	out.PlatformID = platform
	*d = out
	return nil
}

// platformFromJSON is the platform of a JSON value: nil for null or absent,
// else a platform ID or a built-in platform's name.
func platformFromJSON(raw json.RawMessage) (*uint32, error) {
	text := string(bytes.TrimSpace(raw))
	switch {
	case text == "" || text == "null":
		return nil, nil
	case text[0] == '"':
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return nil, fmt.Errorf("%v: %w", err, CodeWrongType)
		}
		id, ok := builtinPlatforms().ids[strings.ToLower(name)]
		if !ok {
			return nil, fmt.Errorf("unknown platform name %q (one of %s): %w",
				name, strings.Join(builtinPlatforms().names, ", "), CodeUnknownName)
		}
		return &id, nil
	case strings.IndexFunc(text, func(r rune) bool { return r < '0' || r > '9' }) < 0:
		n, err := strconv.ParseUint(text, 10, 32)
		if err != nil || n == math.MaxUint32 /* PP_PLATFORM_UNSPECIFIED */ {
			return nil, fmt.Errorf("must be 0 to 4294967294, found %s: %w", text, CodeOutOfRange)
		}
		id := uint32(n)
		return &id, nil
	case text[0] == '-':
		return nil, fmt.Errorf("must be 0 to 4294967294, found %s: %w", text, CodeOutOfRange)
	default:
		return nil, fmt.Errorf("must be a platform ID or name, found %s: %w", text, CodeWrongType)
	}
}

type platformNames struct {
	ids   map[string]uint32 // lower-case name: ID
	names []string          // sorted, for messages
}

var (
	builtinOnce  sync.Once
	builtinTable platformNames
)

// builtinPlatforms is the built-in platform table: the one of a policy that
// changes nothing, read once from the library, never copied into Go.
func builtinPlatforms() *platformNames {
	builtinOnce.Do(func() {
		p, err := LoadPolicy([]byte("version: 1\n"))
		if err != nil {
			return // no names: every name is then an error, never a platform
		}
		defer p.Close()
		builtinTable.ids = p.platforms
		for _, pl := range p.Platforms() {
			builtinTable.names = append(builtinTable.names, pl.Name)
		}
		sort.Strings(builtinTable.names)
	})
	return &builtinTable
}
