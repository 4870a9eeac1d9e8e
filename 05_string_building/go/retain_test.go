package strbuild

import (
	"runtime"
	"testing"
)

// A short view pins a big buffer, in Go: a substring s[a:b] and a subslice b[a:b] share
// the backing array of what they were cut from, so 16 bytes kept out of a 1 MiB message
// keep the whole MiB reachable; a full slice expression b[a:b:b] limits the capacity, not
// what stays reachable. A copy of the 16 bytes is a block of its own, and the message goes
// at the next collection. strings.Clone is Go 1.20's (retain_clone_test.go); on Go 1.19
// string([]byte(sub)) copies, and so does append([]byte(nil), sub...) for a []byte.
//
// What stays is measured as HeapAlloc after runtime.GC(), before and after keeping a
// field of each message. HeapAlloc also counts blocks of the runtime's and the test
// framework's own, so it is not the fields' alone: the tests bound the difference within
// retainSlack of what the fields keep, and the log rounds it to the nearest MiB, which
// the bounds make the same on every run.

const (
	retainM     = 64      // messages
	retainSize  = 1 << 20 // bytes per message
	retainOff   = 1000    // where the field starts in each message
	retainField = 16      // bytes of the field
	retainSlack = 256 << 10
	mib         = 1 << 20
)

// What the tests keep, one field per message; package-level, so that it is reachable.
var (
	keptStrings = make([]string, retainM)
	keptBytes   = make([][]byte, retainM)
)

// heapAfterGC is HeapAlloc once a collection has run and swept.
func heapAfterGC() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// retained calls keep with each of retainM messages of retainSize bytes, each a block
// of its own made at run time, and returns how much more HeapAlloc holds after a
// collection than before: what the kept fields keep reachable.
func retained(keep func(i int, msg []byte)) int64 {
	for i := range keptStrings {
		keptStrings[i], keptBytes[i] = "", nil
	}
	before := heapAfterGC()
	for i := 0; i < retainM; i++ {
		msg := make([]byte, retainSize)
		for j := retainOff; j < retainOff+retainField; j++ {
			msg[j] = byte('a' + (i+j)%26)
		}
		keep(i, msg)
	}
	return heapAfterGC() - before
}

// wantPinned checks that the fields kept every message reachable: retainM MiB, within the
// slack, and logs it.
func wantPinned(t *testing.T, what string, got int64) {
	t.Helper()
	if want := int64(retainM * retainSize); got < want-retainSlack || got > want+retainSlack {
		t.Errorf("%s: want HeapAlloc up by %d MiB (every message) within %d KiB, got %d bytes",
			what, retainM, retainSlack>>10, got)
	}
	logRetained(t, what, got)
}

// wantLetGo checks that the fields kept no message: less than the slack, and logs it.
func wantLetGo(t *testing.T, what string, got int64) {
	t.Helper()
	if got > retainSlack {
		t.Errorf("%s: want HeapAlloc up by less than %d KiB (the copies, no message), got %d bytes",
			what, retainSlack>>10, got)
	}
	logRetained(t, what, got)
}

func logRetained(t *testing.T, what string, got int64) {
	t.Helper()
	t.Logf("%-38s HeapAlloc after runtime.GC() up %3d MiB", what, (got+mib/2)/mib)
}

const fieldExpr = "[1000:1016]"

func TestRetainASubstringKeepsItsWholeMessage(t *testing.T) {
	t.Logf("a %d-byte field kept from each of %d messages of %d MiB:", retainField, retainM, retainSize/mib)
	got := retained(func(i int, msg []byte) {
		s := string(msg) // the message as a string: a block of its own
		keptStrings[i] = s[retainOff : retainOff+retainField]
	})
	wantPinned(t, "substring s"+fieldExpr, got)
}

func TestRetainASubsliceKeepsItsWholeArrayEvenWithItsCapacityCut(t *testing.T) {
	got := retained(func(i int, msg []byte) {
		keptBytes[i] = msg[retainOff : retainOff+retainField]
	})
	wantPinned(t, "subslice b"+fieldExpr, got)
	got = retained(func(i int, msg []byte) {
		keptBytes[i] = msg[retainOff : retainOff+retainField : retainOff+retainField]
		if cap(keptBytes[i]) != retainField {
			t.Fatalf("cap of b[a:b:b] is %d, want %d", cap(keptBytes[i]), retainField)
		}
	})
	wantPinned(t, "full slice b[1000:1016:1016]", got)
}

// fieldOf is the field retained() writes into message i.
func fieldOf(i int) string {
	b := make([]byte, retainField)
	for j := range b {
		b[j] = byte('a' + (i+retainOff+j)%26)
	}
	return string(b)
}

func TestRetainACopyLetsTheMessageGo(t *testing.T) {
	got := retained(func(i int, msg []byte) {
		s := string(msg)
		keptStrings[i] = string([]byte(s[retainOff : retainOff+retainField]))
	})
	wantLetGo(t, "string([]byte(s"+fieldExpr+"))", got)
	for i, s := range keptStrings {
		if s != fieldOf(i) {
			t.Fatalf("message %d: kept %q, want %q", i, s, fieldOf(i))
		}
	}
	got = retained(func(i int, msg []byte) {
		keptBytes[i] = append([]byte(nil), msg[retainOff:retainOff+retainField]...)
	})
	wantLetGo(t, "append([]byte(nil), b"+fieldExpr+"...)", got)
	for i, b := range keptBytes {
		if string(b) != fieldOf(i) {
			t.Fatalf("message %d: kept %q, want %q", i, b, fieldOf(i))
		}
	}
}

// The copies' allocations, exact: one block of the field's size class each.
func TestRetainACopyIsOneAllocationOfTheFieldsSize(t *testing.T) {
	msg := make([]byte, retainSize)
	s := string(msg)
	for _, c := range []struct {
		what string
		f    func()
	}{
		{"string([]byte(s" + fieldExpr + "))", func() {
			keptStrings[0] = string([]byte(s[retainOff : retainOff+retainField]))
		}},
		{"append([]byte(nil), b" + fieldExpr + "...)", func() {
			keptBytes[0] = append([]byte(nil), msg[retainOff:retainOff+retainField]...)
		}},
	} {
		got := testing.AllocsPerRun(100, c.f)
		if got != 1 {
			t.Errorf("%s: want 1 allocation, got %v", c.what, got)
		}
		t.Logf("%-38s %v allocation a field", c.what, got)
	}
	keptStrings[0], keptBytes[0] = "", nil
}
