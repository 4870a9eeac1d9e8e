module 02_memstats

go 1.19

// The toolbox's Go side (common/go): PerRun, Benchmark, WantPerOp, GoMinor.
require allocaware.local/measure v0.0.0

replace allocaware.local/measure => ../../common/go
