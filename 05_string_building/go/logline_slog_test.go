//go:build go1.21

package strbuild

import (
	"bytes"
	"context"
	"log/slog"
	"runtime"
	"testing"

	"allocaware.local/measure"
)

// log/slog, from Go 1.21, with Debug disabled (a handler at Info): Logger.Debug takes its
// key-value pairs as ...any, so each value is converted at the call site as debugf's
// arguments are (the keys are constants: nothing); LogAttrs takes typed slog.Attr values
// (slog.Int, slog.String), which hold an int or a string without an interface; and a
// check of Enabled at the call site. Go 1.19 builds without this file.

func TestLoglineSlogDebugConvertsItsValuesLogAttrsDoesNot(t *testing.T) {
	var out bytes.Buffer
	ctx := context.Background()
	level := new(slog.LevelVar)
	l := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: level}))
	boxes := boxInt(logID) + boxString(logUser)
	for _, c := range []struct {
		name string
		f    func()
		off  uint64
	}{
		{`l.Debug("request", "id", 4711, "user", "alice")`,
			func() { l.Debug("request", "id", logID, "user", logUser) }, boxes},
		{`l.LogAttrs(ctx, slog.LevelDebug, "request", slog.Int(...), slog.String(...))`,
			func() {
				l.LogAttrs(ctx, slog.LevelDebug, "request", slog.Int("id", logID), slog.String("user", logUser))
			}, 0},
		{`if l.Enabled(ctx, slog.LevelDebug) { l.Debug(...) }`,
			func() {
				if l.Enabled(ctx, slog.LevelDebug) {
					l.Debug("request", "id", logID, "user", logUser)
				}
			}, 0},
	} {
		level.Set(slog.LevelInfo)
		off, _ := measure.PerRun(100, c.f)
		level.Set(slog.LevelDebug)
		out.Reset()
		c.f()
		if off != c.off || out.Len() == 0 {
			t.Errorf("%s: want %d allocations a call with Debug disabled, got %d on %s; enabled, "+
				"it wrote %q", c.name, c.off, off, runtime.Version(), out.String())
		}
		t.Logf("%-78s  %d allocs off", c.name, off)
	}
}
