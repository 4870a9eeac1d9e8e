package benchmem

import (
	"runtime"
	"testing"

	"allocaware.local/measure"
)

// Chaining or open addressing in Go: n keys into make(map[uint64]uint64, n) against a
// chained map with a node per key (chain.go), each made for n keys. measure.PerRun: the
// allocations and size-class bytes per call, the least of three measurements. Go 1.19's
// map keeps 8 entries inline per bucket, Go 1.24's Swiss tables 8 per group; neither
// allocates per key.

func TestChainAllocatesANodePerKeyAndTheMapDoesNot(t *testing.T) {
	const runs = 20
	swiss := swissMaps(t)
	t.Logf("%s, measure.PerRun(%d), allocations and bytes per table:", runtime.Version(), runs)
	t.Logf("  %-32s %6s %8s %9s", "", "keys", "allocs", "bytes")
	for _, n := range []int{1000, 10000} {
		n := n
		ma, mb := measure.PerRun(runs, func() { u64Sink = make(map[uint64]uint64, n) })
		fa, fb := measure.PerRun(runs, func() { u64Fill(n) })
		ca, cb := measure.PerRun(runs, func() { chainSink = newChainMap(n) })
		ga, gb := measure.PerRun(runs, func() { chainFill(n) })
		u64Sink, chainSink = nil, nil
		t.Logf("  %-32s %6d %8d %9d", "make(map[uint64]uint64, n)", n, ma, mb)
		t.Logf("  %-32s %6d %8d %9d", "  made, then n keys put", n, fa, fb)
		t.Logf("  %-32s %6d %8d %9d", "newChainMap(n)", n, ca, cb)
		t.Logf("  %-32s %6d %8d %9d", "  made, then n keys put", n, ga, gb)

		// The chained map: the struct (a slice header and a count, 32 B) and its bucket
		// slice (8 B a head) when made, then a 24-byte node per key (24 B is a size class)
		// and nothing else. The slice's bytes are its size class: on Go 1.19 exactly 8 B a
		// head at these sizes; on Go 1.24 the 8 KiB slice of 1,000 keys' buckets measures
		// more (the next size class, 9,472 B, where 8 KiB of pointers lands), so there the
		// made bytes are bounded: at least 8 B a head, at most a quarter more.
		b := uint64(chainBucketsFor(n))
		if ca != 2 || ga-ca != uint64(n) || gb-cb != 24*uint64(n) {
			t.Errorf("%s, chained, %d keys: want 2 allocs made and 1 alloc of 24 B per key; got %d allocs made, %d allocs %d B for the keys",
				runtime.Version(), n, ca, ga-ca, gb-cb)
		}
		if (!swiss && cb != 32+8*b) || cb < 32+8*b || cb > 32+8*b*5/4 {
			t.Errorf("%s, chained, %d keys: want 32 B for the struct and %d B for %d heads (Go 1.19: exactly; later: at most a quarter more); got %d B",
				runtime.Version(), n, 8*b, b, cb)
		}
		// The map: what make allocated holds every key. Go 1.24 (Swiss tables): exactly;
		// for n keys a table has at most 7/8 of its slots' worth of keys on average, and a
		// split needs one past 896 of its 1,024 (at 1,000 and 10,000 keys, a map's tables
		// hold 500 and 625 keys on average). Go 1.19: a bucket that fills chains an
		// overflow bucket, and make(map, n) preallocates some; which buckets fill follows
		// the hash seed, so the bound is loose: fewer than 1 allocation per 100 keys.
		if swiss && (fa != ma || fb != mb) {
			t.Errorf("%s, map, %d keys: want the inserts to allocate nothing: made %d allocs %d B, filled %d allocs %d B",
				runtime.Version(), n, ma, mb, fa, fb)
		}
		if !swiss && (fa < ma || fa-ma >= uint64(n)/100) {
			t.Errorf("%s, map, %d keys: want fewer than %d allocations for the inserts: made %d, filled %d",
				runtime.Version(), n, n/100, ma, fa)
		}
	}
}

// The hand-written chained map holds what it was given: a check that chain.go is a table.
func TestChainMapFindsEveryKeyPutAndNoOther(t *testing.T) {
	m := newChainMap(0)
	for i := 1; i <= 5000; i++ {
		m.put(chainKey(i), uint64(i))
	}
	m.put(chainKey(7), 70) // a key put again replaces its value
	for i := 1; i <= 5000; i++ {
		want := uint64(i)
		if i == 7 {
			want = 70
		}
		if v, ok := m.get(chainKey(i)); !ok || v != want {
			t.Fatalf("key %d: got %d %v, want %d", i, v, ok, want)
		}
	}
	if _, ok := m.get(chainKey(5001)); ok || m.count != 5000 || len(m.buckets) != chainBucketsFor(5000) {
		t.Fatalf("a key never put found, or %d keys in %d buckets", m.count, len(m.buckets))
	}
}
