// Package benchmem is lesson 03 in Go: formatting order records as text lines, with
// byte for byte the output of heavy.c and light.c.
//
//	heavyFormat    fmt.Sprintf per record: a new string, and the arguments boxed
//	fprintfFormat  fmt.Fprintf into one reused bytes.Buffer: no new string, but the
//	               arguments are still boxed into the interfaces Fprintf takes
//	lightFormat    strconv.Append* into one reused []byte: nothing per record
//
// The tests pin every count; Go 1.19 and Go 1.24 give the same ones.
package benchmem

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// record is one order line of a shop, as in benchmem.h.
type record struct {
	id    uint64
	user  string
	qty   int32
	cents uint32 // price in cents
}

// format is BENCHMEM_FORMAT; both Printf-style formatters use it.
const format = "order=%d user=%s qty=%d price=%d.%02d\n"

// makeRecords returns n records, the same as benchmem_records_make's.
func makeRecords(n int) []record {
	users := [...]string{
		"ada", "grace", "linus", "ken", "dennis", "barbara", "margaret", "edsger",
		"donald", "frances", "john", "radia", "bjarne", "guido", "rob", "niklaus",
	}
	recs := make([]record, n)
	x := uint64(0x9e3779b97f4a7c15) // splitmix64's increment, as a fixed start
	for i := range recs {
		x += 0x9e3779b97f4a7c15
		recs[i] = record{
			id:    100000 + uint64(i),
			user:  users[(x>>40)%uint64(len(users))],
			qty:   int32(1 + (x>>20)%50),
			cents: uint32(99 + (x>>8)%100000),
		}
	}
	return recs
}

// heavyFormat makes a new string per record, as asprintf does.
func heavyFormat(w io.Writer, recs []record) error {
	for i := range recs {
		r := &recs[i]
		line := fmt.Sprintf(format, r.id, r.user, r.qty, r.cents/100, r.cents%100)
		if _, err := io.WriteString(w, line); err != nil {
			return err
		}
	}
	return nil
}

// fprintfFormat formats every record into one bytes.Buffer, reset per line: the
// buffer is reused, but each boxed argument (a value that does not fit in an
// interface, or a number of 256 or more) is still an allocation.
func fprintfFormat(w io.Writer, recs []record) error {
	var buf bytes.Buffer
	for i := range recs {
		r := &recs[i]
		buf.Reset()
		fmt.Fprintf(&buf, format, r.id, r.user, r.qty, r.cents/100, r.cents%100)
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// appendRecord appends r's line to buf with strconv: no interface, nothing boxed.
func appendRecord(buf []byte, r *record) []byte {
	buf = append(buf, "order="...)
	buf = strconv.AppendUint(buf, r.id, 10)
	buf = append(buf, " user="...)
	buf = append(buf, r.user...)
	buf = append(buf, " qty="...)
	buf = strconv.AppendInt(buf, int64(r.qty), 10)
	buf = append(buf, " price="...)
	buf = strconv.AppendUint(buf, uint64(r.cents/100), 10)
	return append(buf, '.', byte('0'+r.cents%100/10), byte('0'+r.cents%10), '\n')
}

// lightFormat formats every record into one []byte, as light.c does with benchmem_buf. The
// buffer goes to w, an interface, so it escapes: 1 allocation per call (128 bytes,
// BENCHMEM_BUF_MIN), and another only if a line does not fit.
func lightFormat(w io.Writer, recs []record) error {
	buf := make([]byte, 0, 128)
	for i := range recs {
		buf = appendRecord(buf[:0], &recs[i])
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// digest folds every byte written into an FNV-1a hash, as benchmem_digest_write does.
type digest struct {
	h     uint64
	bytes uint64
}

func newDigest() *digest { return &digest{h: 0xcbf29ce484222325} }

func (d *digest) Write(p []byte) (int, error) {
	for _, c := range p {
		d.h = (d.h ^ uint64(c)) * 0x100000001b3
	}
	d.bytes += uint64(len(p))
	return len(p), nil
}

// WriteString lets io.WriteString pass a string without converting it to []byte.
func (d *digest) WriteString(s string) (int, error) {
	for i := 0; i < len(s); i++ {
		d.h = (d.h ^ uint64(s[i])) * 0x100000001b3
	}
	d.bytes += uint64(len(s))
	return len(s), nil
}
