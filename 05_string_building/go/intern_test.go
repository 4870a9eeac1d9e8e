package strbuild

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// Interning in Go: strings read out of one big string by strings.Split point into its
// bytes (one allocation for the slice of headers, none per field), so equal fields are
// already one copy of the text; a string that is copied out (strings.Clone, string(b) of
// a []byte) is a block of its own. A map[string]string is the intern table: the first
// copy of each value is kept, later equal ones are looked up and allocate nothing.

const internN = 10000 // fields in the text

var internCities = []string{"Amsterdam", "Barcelona", "Copenhagen", "Dublin", "Edinburgh",
	"Frankfurt", "Gothenburg", "Helsinki", "Istanbul", "Ljubljana", "Marseille",
	"Nottingham", "Oslo", "Prague", "Reykjavik", "Stockholm"}

// internText is internN city names separated by commas, field i naming city i % 16.
func internText() string {
	var b strings.Builder
	for i := 0; i < internN; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(internCities[i%len(internCities)])
	}
	return b.String()
}

// dataOf is the address of s's bytes.
func dataOf(s string) uintptr {
	return (*reflect.StringHeader)(unsafe.Pointer(&s)).Data
}

var internSink []string

func TestInternSplitFieldsPointIntoTheTextOneAllocationInAll(t *testing.T) {
	text := internText()
	allocs := testing.AllocsPerRun(10, func() { internSink = strings.Split(text, ",") })
	if allocs != 1 {
		t.Errorf("strings.Split of %d fields: want 1 allocation (the slice), got %v", internN, allocs)
	}
	fields := strings.Split(text, ",")
	start, end := dataOf(text), dataOf(text)+uintptr(len(text))
	for i, f := range fields {
		if p := dataOf(f); p < start || p >= end {
			t.Fatalf("field %d (%q) is not inside the text", i, f)
		}
	}
	t.Logf("strings.Split, %d fields:            %v allocs, every field inside the text", internN, allocs)
}

func TestInternCopiedFieldsAreOneBlockEach(t *testing.T) {
	fields := strings.Split(internText(), ",")
	out := make([]string, len(fields))
	clone := testing.AllocsPerRun(10, func() {
		for i, f := range fields {
			out[i] = strings.Clone(f)
		}
	})
	bytes := make([][]byte, len(fields))
	for i, f := range fields {
		bytes[i] = []byte(f)
	}
	conv := testing.AllocsPerRun(10, func() {
		for i, b := range bytes {
			out[i] = string(b)
		}
	})
	if clone != internN || conv != internN {
		t.Errorf("want %d allocations each way, got strings.Clone %v, string([]byte) %v", internN, clone, conv)
	}
	if out[0] != out[len(internCities)] || dataOf(out[0]) == dataOf(out[len(internCities)]) {
		t.Errorf("fields 0 and %d: want equal strings in two blocks", len(internCities))
	}
	t.Logf("strings.Clone of each of %d fields: %v allocs", internN, clone)
	t.Logf("string(b) of each of %d []byte:     %v allocs", internN, conv)
}

// intern returns the table's copy of s, keeping a copy of s if it has none.
func intern(table map[string]string, s string) string {
	if kept, ok := table[s]; ok {
		return kept
	}
	s = strings.Clone(s)
	table[s] = s
	return s
}

func TestInternAMapKeepsOneCopyAndAnEqualStringAllocatesNothing(t *testing.T) {
	bytes := make([][]byte, internN)
	for i := range bytes {
		bytes[i] = []byte(internCities[i%len(internCities)])
	}
	table := map[string]string{}
	out := make([]string, internN)
	for i, b := range bytes { // the first pass fills the table
		out[i] = intern(table, string(b))
	}
	// table[string(b)] does not allocate: the compiler looks b up without a copy
	again := testing.AllocsPerRun(10, func() {
		for i, b := range bytes {
			if kept, ok := table[string(b)]; ok {
				out[i] = kept
			}
		}
	})
	// through a function that takes a string, string(b) is made before the lookup
	viaFunc := testing.AllocsPerRun(10, func() {
		for i, b := range bytes {
			out[i] = intern(table, string(b))
		}
	})
	if viaFunc != internN {
		t.Errorf("intern(table, string(b)): want %d allocations (the conversions), got %v", internN, viaFunc)
	}
	if len(table) != len(internCities) || again != 0 {
		t.Errorf("want %d strings kept and 0 allocations for equal ones, got %d and %v",
			len(internCities), len(table), again)
	}
	if dataOf(out[0]) != dataOf(out[len(internCities)]) {
		t.Errorf("records 0 and %d: want one copy", len(internCities))
	}
	t.Logf("map[string]string, %d []byte looked up: %v allocs, %d strings kept", internN, again, len(table))
	t.Logf("intern(table, string(b)), %d []byte:    %v allocs (string(b) made first)", internN, viaFunc)
}
