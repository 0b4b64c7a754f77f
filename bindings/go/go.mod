// Apache-2.0: see LICENSE (the same text as the repository's).
module particlepolicy

go 1.19
