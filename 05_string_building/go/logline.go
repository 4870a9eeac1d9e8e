package strbuild

// A log line nobody reads, in Go (logline.h): debugf returns at once when debug is off,
// yet the call site has already converted each argument to an interface (any) for its
// ...any, and an int of 256 or more, or a non-empty string, needs a heap block for that
// (03's TestWhatBoxesIntoAnInterface). The []any itself is on the caller's stack while
// the compiler can see that debugf keeps none of it; through an interface method it
// cannot, and the array escapes too. A check at the call site, if debugOn { ... },
// converts nothing.

import (
	"fmt"
	"io"
)

var (
	debugOn bool                   // debug lines written or not
	logSink io.Writer = io.Discard // where they go
)

// debugf writes a debug line when debug is on (logline_printf: the level checked first).
func debugf(format string, args ...any) {
	if !debugOn {
		return
	}
	fmt.Fprintf(logSink, format, args...)
	logSink.Write(newline)
}

var newline = []byte{'\n'}

// Logger is what a program passes around instead of calling debugf: a method called
// through an interface, whose callee the compiler cannot see.
type Logger interface {
	Debugf(format string, args ...any)
}

type sinkLogger struct{}

func (sinkLogger) Debugf(format string, args ...any) { debugf(format, args...) }

// logObj is logline.h's struct logline_obj.
type logObj struct {
	id    int
	user  string
	items int
}

var describeCalls int

// describe is logline_describe: an argument that allocates, "order 4711 of alice, 3 items".
func describe(o *logObj) string {
	describeCalls++
	return fmt.Sprintf("order %d of %s, %d items", o.id, o.user, o.items)
}
