module decidefleet

go 1.19

require particlepolicy v0.0.0

// The binding from this source tree.
replace particlepolicy => ../../bindings/go
