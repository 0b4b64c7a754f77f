package particlepolicy

import (
	"errors"
	"testing"
)

func TestMayShareAnswersBySKUAndPlatform(t *testing.T) {
	p := examplePolicy(t)
	xenon, _ := p.PlatformID("xenon")
	cases := []struct {
		a, b Model
		want Verdict
	}{
		{SKUModel("P2MOD10"), SKUModel("PHN2MEA"), Verdict{false, ReasonDifferentFamilies, "p2", "photon2"}},
		{SKUModel("B404XMEA"), SKUModel("B402MEA"), Verdict{true, ReasonSameFamily, "bsom", "bsom"}},
		{SKUModel("E404XMEA"), SKUModel("E404MEA"), Verdict{false, ReasonDifferentFamilies, "esomx", "electron"}},
		{PlatformModel(10), SKUModel("E404MEA"), Verdict{true, ReasonSameFamily, "electron", "electron"}},
		{PlatformModel(xenon), PlatformModel(13), Verdict{false, ReasonPlatformNotProductEligible, "", "boron"}},
		{PlatformModel(32), SKUModel("P2MOD10"), Verdict{false, ReasonSKURequired, "", "p2"}},
	}
	for _, c := range cases {
		got, err := p.MayShare(c.a, c.b)
		if err != nil || got != c.want {
			t.Errorf("MayShare(%v, %v) = %+v, %v; want %+v", c.a, c.b, got, err, c.want)
		}
	}
}

func TestMayJoinAnswersForAProduct(t *testing.T) {
	p := examplePolicy(t)
	cases := []struct {
		product uint32
		model   Model
		want    Verdict
	}{
		{14001, SKUModel("MON404E"), Verdict{true, ReasonSameFamily, "tracker", "tracker"}},
		{14002, Model{PlatformID: Ptr[uint32](25), SKU: Ptr("B524MEA")},
			Verdict{false, ReasonIncompatiblePlatform, "b5som", "bsom"}},
		{14003, PlatformModel(32), Verdict{false, ReasonSKURequired, "", "p2"}},
		{15999, SKUModel("P2MOD10"), Verdict{false, ReasonUnknownProduct, "p2", ""}},
	}
	for _, c := range cases {
		got, err := p.MayJoin(c.product, c.model)
		if err != nil || got != c.want {
			t.Errorf("MayJoin(%d, %v) = %+v, %v; want %+v", c.product, c.model, got, err, c.want)
		}
	}
	d := member()
	if v, err := p.MayJoin(14001, d.Model()); err != nil || !v.Allowed {
		t.Error(v, err)
	}
}

func TestFamilyQuestionsRefuseMalformedModels(t *testing.T) {
	p := examplePolicy(t)
	if _, err := p.MayShare(SKUModel("B524 MEA"), SKUModel("B524MEA")); !errors.Is(err, CodeSKU) {
		t.Error(err)
	}
	if _, err := p.MayJoin(14001, Model{}); !errors.Is(err, CodePlatform) {
		t.Error(err)
	}
	if s := (Model{}).String(); s != "no model" {
		t.Error(s)
	}
	if s := (Model{PlatformID: Ptr[uint32](32), SKU: Ptr("P2MOD10")}).String(); s != `platform 32, SKU "P2MOD10"` {
		t.Error(s)
	}
}
