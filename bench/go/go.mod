module ppbench

go 1.19

require particlepolicy v0.0.0

replace particlepolicy => ../binding
