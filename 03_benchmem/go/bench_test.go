package benchmem

import (
	"bytes"
	"fmt"
	"testing"
)

// The benchmarks of bench.c and trap/traps.c, in Go (tools/go.sh 03_benchmem bench).

const nrecs = 1000

var recs = makeRecords(nrecs)

func benchmarkFormat1000(b *testing.B, format func(*digest, []record) error) {
	d := newDigest()
	for i := 0; i < b.N; i++ {
		if err := format(d, recs); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(d.bytes) / int64(b.N)) // the MB/s column: bytes of text per op
	b.ReportMetric(nrecs, "lines/op")       // a custom column
}

func BenchmarkFormat1000Sprintf(b *testing.B) {
	benchmarkFormat1000(b, func(d *digest, r []record) error { return heavyFormat(d, r) })
}

func BenchmarkFormat1000Append(b *testing.B) {
	benchmarkFormat1000(b, func(d *digest, r []record) error { return lightFormat(d, r) })
}

// FormatOneSprintf is FormatOneAsprintf: a new string per record.
func BenchmarkFormatOneSprintf(b *testing.B) {
	d := newDigest()
	for i := 0; i < b.N; i++ {
		r := &recs[i%nrecs]
		d.WriteString(fmt.Sprintf(format, r.id, r.user, r.qty, r.cents/100, r.cents%100))
	}
}

// FormatOneFprintf reuses one buffer, grown before the timer, as FormatOneReused does;
// Fprintf still boxes its arguments.
func BenchmarkFormatOneFprintf(b *testing.B) {
	d := newDigest()
	var buf bytes.Buffer
	fmt.Fprintf(&buf, format, recs[0].id, recs[0].user, recs[0].qty, 0, 0) // setup: the buffer
	b.ResetTimer()                                                         // ...is not measured
	for i := 0; i < b.N; i++ {
		r := &recs[i%nrecs]
		buf.Reset()
		fmt.Fprintf(&buf, format, r.id, r.user, r.qty, r.cents/100, r.cents%100)
		d.Write(buf.Bytes())
	}
}

// FormatOneAppend reuses one []byte and appends with strconv: 0 allocs/op.
func BenchmarkFormatOneAppend(b *testing.B) {
	d := newDigest()
	buf := make([]byte, 0, 128) // setup: the buffer
	b.ResetTimer()              // ...is not measured
	for i := 0; i < b.N; i++ {
		buf = appendRecord(buf[:0], &recs[i%nrecs])
		d.Write(buf)
	}
}

// 160 bytes per op, as ten 16-byte objects or as one.
var sinks [10][]byte

func BenchmarkAlloc10x16B(b *testing.B) {
	for i := 0; i < b.N; i++ {
		for k := range sinks {
			sinks[k] = make([]byte, 16)
		}
	}
}

func BenchmarkAlloc1x160B(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = make([]byte, 160)
	}
}

// Empty: the loop alone.
func BenchmarkEmpty(b *testing.B) {
	for i := 0; i < b.N; i++ {
	}
}

// The compiler and the sink: MallocFreeO2 and MallocFreeNoBuiltin of traps.c, in Go.
func BenchmarkMakeNoSink(b *testing.B) {
	for i := 0; i < b.N; i++ {
		makeNoSink()
	}
}

func BenchmarkMakeKeepAlive(b *testing.B) {
	for i := 0; i < b.N; i++ {
		makeKeepAlive()
	}
}

func BenchmarkMakeSink(b *testing.B) {
	for i := 0; i < b.N; i++ {
		makeSink()
	}
}

// setupRecords is the setup of SetupInTimer: 1,000 records, each user name copied
// (1,001 allocations).
func setupRecords() []record {
	r := makeRecords(nrecs)
	for i := range r {
		r[i].user = string([]byte(r[i].user))
	}
	return r
}

func formatLoop(b *testing.B, r []record) {
	d := newDigest()
	for i := 0; i < b.N; i++ {
		if err := heavyFormat(d, r[i%nrecs:i%nrecs+1]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetupInTimer(b *testing.B) {
	r := setupRecords() // timed and counted: the trap
	formatLoop(b, r)
}

func BenchmarkSetupOutsideTimer(b *testing.B) {
	r := setupRecords()
	b.ResetTimer() // forget the setup
	formatLoop(b, r)
}

// FirstWrite: the first call ever makes out's buffer; run it with -benchtime 1x -count 2.
func BenchmarkFirstWrite(b *testing.B) {
	for i := 0; i < b.N; i++ {
		writeLine(i)
	}
}
