module particlepolicy

go 1.19
