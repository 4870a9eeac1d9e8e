// Lesson 02's job in Go, mirroring heavy.c and light.c: build n records of 100 bytes,
// then drop all but one in 64.
//
//	heavy: a new(Record) per record behind a []*Record: n + 1 allocations. The drop
//	       allocates nothing; the dropped records become garbage, freed by the next GC.
//	light: the records in one []Record: 1 allocation. The drop copies the survivors
//	       into a slice of their own (1 allocation); the big one becomes garbage whole.
//
// Go has no free: "dropped" means unreachable, and memory comes back only when the
// garbage collector has marked and swept it.
package main

import "strconv"

const (
	recordSize = 100 // bytes per record, as memstats.h's RECORD_SIZE
	keepEvery  = 64  // one record in 64 survives the drop, as KEEP_EVERY
)

// Record is 100 bytes, C's struct record. The heap hands it a block of its size class,
// 112 bytes.
type Record struct {
	ID   uint32
	Text [recordSize - 4]byte
}

// fill writes record i's contents, as memstats_record_fill ("record 42"); no allocation.
func fill(r *Record, i int) {
	r.ID = uint32(i)
	r.Text = [recordSize - 4]byte{}
	n := copy(r.Text[:], "record ")
	strconv.AppendUint(r.Text[n:n], uint64(i), 10) // in place: Text has room
}

// kept is how many records the drop keeps out of n, memstats_kept.
func kept(n int) int { return (n + keepEvery - 1) / keepEvery }

// heavyBuild: the pointer slice and one allocation per record.
func heavyBuild(n int) []*Record {
	rec := make([]*Record, n)
	for i := range rec {
		rec[i] = new(Record) // one heap block per record
		fill(rec[i], i)
	}
	return rec
}

// heavyDrop keeps one record in keepEvery, in order, in the same slice; the others are
// unreachable from here on. Allocates nothing.
func heavyDrop(rec []*Record) []*Record {
	k := 0
	for i, r := range rec {
		if i%keepEvery == 0 {
			rec[k] = r
			k++
		}
	}
	for i := k; i < len(rec); i++ {
		rec[i] = nil // no longer referenced: garbage for the next GC
	}
	return rec[:k]
}

// lightBuild: every record in one allocation.
func lightBuild(n int) []Record {
	rec := make([]Record, n)
	for i := range rec {
		fill(&rec[i], i)
	}
	return rec
}

// lightDrop copies the survivors into a slice of their own: one allocation. The old
// slice, every dropped record with it, is one block of garbage.
func lightDrop(rec []Record) []Record {
	out := make([]Record, 0, kept(len(rec)))
	for i := range rec {
		if i%keepEvery == 0 {
			out = append(out, rec[i])
		}
	}
	return out
}
