package particlepolicy

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const jsonRecord = `{"id": "269e0d37f2a74de452e6b438", "device_os": "3.3.1",
	"firmware_product_id": 14002, %s}`

func decodeDevice(platform string) (Device, error) {
	var d Device
	err := json.Unmarshal([]byte(strings.Replace(jsonRecord, "%s", platform, 1)), &d)
	return d, err
}

func TestDevicePlatformIDByNameOrNumber(t *testing.T) {
	for _, c := range []struct {
		json string
		want *uint32
	}{
		{`"platform_id": 23`, Ptr[uint32](23)},
		{`"platform_id": "bsom"`, Ptr[uint32](23)},
		{`"platform_id": "BSoM"`, Ptr[uint32](23)},
		{`"platform_id": "p2"`, Ptr[uint32](32)},
		{`"platform_id": 0`, Ptr[uint32](0)},
		{`"platform_id": 4294967294`, Ptr[uint32](4294967294)},
		{`"platform_id": null`, nil},
		{`"sku": "B404MEA"`, nil},
	} {
		d, err := decodeDevice(c.json)
		if err != nil || !reflect.DeepEqual(d.PlatformID, c.want) {
			t.Errorf("%s: platform %v, error %v", c.json, d.PlatformID, err)
		}
	}
}

func TestDevicePlatformNamesAreTheLibrarysTable(t *testing.T) {
	p, err := LoadPolicy([]byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	platforms := p.Platforms()
	if len(platforms) < 16 {
		t.Fatalf("%d built-in platforms", len(platforms))
	}
	for _, pl := range platforms {
		d, err := decodeDevice(`"platform_id": "` + pl.Name + `"`)
		if err != nil || d.PlatformID == nil || *d.PlatformID != pl.ID {
			t.Errorf("%s: %v, %v", pl.Name, d.PlatformID, err)
		}
	}
}

func TestDeviceJSONErrorsAreErrorsNeverAPlatform(t *testing.T) {
	for _, c := range []struct {
		json string
		code ErrorCode
	}{
		{`"platform_id": "nosuch"`, CodeUnknownName},
		{`"platform_id": "photon2"`, CodeUnknownName}, // a family, not a platform
		{`"platform_id": ""`, CodeUnknownName},
		{`"platform_id": -1`, CodeOutOfRange},
		{`"platform_id": 4294967295`, CodeOutOfRange}, // PP_PLATFORM_UNSPECIFIED
		{`"platform_id": 99999999999`, CodeOutOfRange},
		{`"platform_id": 23.5`, CodeWrongType},
		{`"platform_id": 2.3e1`, CodeWrongType},
		{`"platform_id": true`, CodeWrongType},
		{`"platform_id": [23]`, CodeWrongType},
		{`"platfom_id": 23`, CodeUnknownKey},
		{`"cloud_product_id": -5`, CodeWrongType},
	} {
		d, err := decodeDevice(c.json)
		if !errors.Is(err, c.code) {
			t.Errorf("%s: error %v, want %v", c.json, err, c.code)
		}
		// Ignoring the error leaves the zero Device: no platform at all, and
		// deciding it is invalid input, not platform 0 (the Core).
		if !reflect.DeepEqual(d, Device{}) {
			t.Errorf("%s: the error left %+v", c.json, d)
		}
	}
	if _, err := decodeDevice(`"platform_id": "nosuch"`); err == nil ||
		!strings.Contains(err.Error(), `unknown platform name "nosuch" (one of `) ||
		!strings.Contains(err.Error(), "bsom") {
		t.Error(err)
	}
}

func TestIgnoredDeviceJSONErrorCannotLeavePlatformZero(t *testing.T) {
	p := examplePolicy(t)
	var zero Device
	if zero.PlatformID != nil || zero.Model().PlatformID != nil {
		t.Fatal("the zero Device has a platform")
	}
	if dec, _ := p.Decide(zero); dec.Outcome != OutcomeDeny || dec.ErrorCode != CodeDeviceID {
		t.Error("zero Device:", dec)
	}

	// A device already filled in keeps what it had when a decode fails.
	d := member()
	before := d
	if err := json.Unmarshal([]byte(`{"id": "x", "platform_id": "nosuch"}`), &d); err == nil {
		t.Fatal("no error")
	}
	if !reflect.DeepEqual(d, before) {
		t.Errorf("a failed decode changed the device: %+v", d)
	}

	// In a list, the bad record stops the decode; every record decoded so
	// far has exactly the platform it gave, none a platform 0 it did not.
	var fleet []Device
	err := json.Unmarshal([]byte(`[
		{"id": "269e0d37f2a74de452e6b438", "device_os": "3.3.1", "platform_id": "bsom"},
		{"id": "269e0d37f2a74de452e6b439", "device_os": "3.3.1", "platform_id": "bsmo"},
		{"id": "269e0d37f2a74de452e6b43a", "device_os": "3.3.1", "platform_id": 0}]`), &fleet)
	if !errors.Is(err, CodeUnknownName) {
		t.Fatal(err)
	}
	for i, d := range fleet {
		if i == 0 && (d.PlatformID == nil || *d.PlatformID != 23) {
			t.Errorf("record 0: %v", d.PlatformID)
		}
		if i > 0 && d.PlatformID != nil {
			t.Errorf("record %d after the error has platform %d", i, *d.PlatformID)
		}
	}
}

func TestDeviceJSONRoundTrips(t *testing.T) {
	d := member()
	d.SKU, d.Owner = Ptr("ONE404MEA"), Ptr("ann@example.com")
	text, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back Device
	if err := json.Unmarshal(text, &back); err != nil || !reflect.DeepEqual(back, d) {
		t.Errorf("%s: %+v, %v", text, back, err)
	}
}
