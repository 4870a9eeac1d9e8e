package strbuild

import (
	"bytes"
	"io"
	"runtime"
	"testing"

	"allocaware.local/measure"
)

// A log line nobody reads, in Go: testing.AllocsPerRun (through measure.PerRun) of one
// call site at a time, debug off and on (the line into a bytes.Buffer, reset each time),
// and how many times describe ran. Each count is worked out from the arguments by 03's
// rule for what an interface conversion allocates: an int outside 0..255 and a non-empty
// string that is not a constant take a heap block each; and, through an interface method,
// the []any array one more.

var (
	logID           = 4711
	logUser         = "alice"
	logSmall        = 255 // a small int: the runtime has a static copy of each, nothing to box
	logEmpty        = ""
	logO            = logObj{4711, "alice", 3}
	logger   Logger = sinkLogger{}
)

// boxInt and boxString: the heap blocks converting v to an interface costs (03).
func boxInt(v int) uint64 {
	if v >= 0 && v < 256 {
		return 0
	}
	return 1
}

func boxString(s string) uint64 {
	if s == "" {
		return 0
	}
	return 1
}

// describeAllocs: Sprintf's conversions of the object's fields, and the string it returns.
func describeAllocs(o *logObj) uint64 {
	return boxInt(o.id) + boxString(o.user) + boxInt(o.items) + 1
}

type logCase struct {
	name      string
	f         func()
	off, on   uint64 // allocations a call, worked out from the arguments
	describes int    // describe's calls a call, off (and on: 1 wherever it appears)
}

func logCases() []logCase {
	o := &logO
	boxes := boxInt(logID) + boxString(logUser)
	return []logCase{
		{`debugf("request %d from %s", 4711, "alice")`,
			func() { debugf("request %d from %s", logID, logUser) }, boxes, boxes, 0},
		{`debugf("request %d from %s", 255, "")`,
			func() { debugf("request %d from %s", logSmall, logEmpty) },
			boxInt(logSmall) + boxString(logEmpty), boxInt(logSmall) + boxString(logEmpty), 0},
		{`if debugOn { debugf(... 4711, "alice") }`,
			func() {
				if debugOn {
					debugf("request %d from %s", logID, logUser)
				}
			}, 0, boxes, 0},
		{`logger.Debugf(... 4711, "alice")`,
			func() { logger.Debugf("request %d from %s", logID, logUser) }, boxes + 1, boxes + 1, 0},
		{`debugf("%s", describe(o))`,
			func() { debugf("%s", describe(o)) }, describeAllocs(o) + 1, describeAllocs(o) + 1, 1},
		{`if debugOn { debugf("%s", describe(o)) }`,
			func() {
				if debugOn {
					debugf("%s", describe(o))
				}
			}, 0, describeAllocs(o) + 1, 0},
	}
}

func TestLoglineAnOffLineAllocatesWhatItsCallSiteConverts(t *testing.T) {
	var out bytes.Buffer
	defer func() { logSink, debugOn = io.Discard, false }()
	logSink = &out
	t.Logf("%-44s  %9s  %8s  %s", "call site", "debug off", "debug on", "describe's calls a call, off")
	for _, c := range logCases() {
		debugOn = false
		calls := describeCalls
		off, _ := measure.PerRun(100, c.f)
		calls = describeCalls - calls
		debugOn = true
		on, _ := measure.PerRun(100, func() { out.Reset(); c.f() })
		if off != c.off || on != c.on {
			t.Errorf("%s: want %d allocations a call off and %d on, got %d and %d on %s",
				c.name, c.off, c.on, off, on, runtime.Version())
		}
		// measure.PerRun calls f 1 + 100 times, three times over
		if want := 3 * 101 * c.describes; calls != want {
			t.Errorf("%s, debug off: want describe called %d times, got %d", c.name, want, calls)
		}
		t.Logf("%-44s  %9d  %8d  %d", c.name, off, on, c.describes)
	}
}

// What the lines say, on: the same text each way, as logline_printf writes it in C.
func TestLoglineTheLinesWritten(t *testing.T) {
	var out bytes.Buffer
	defer func() { logSink, debugOn = io.Discard, false }()
	logSink, debugOn = &out, true
	debugf("request %d from %s", logID, logUser)
	logger.Debugf("%s", describe(&logO))
	want := "request 4711 from alice\norder 4711 of alice, 3 items\n"
	if out.String() != want {
		t.Errorf("want %q, got %q", want, out.String())
	}
	debugOn = false
	debugf("request %d from %s", logID, logUser)
	if out.String() != want {
		t.Errorf("debug off: nothing more written, got %q", out.String())
	}
}
