package benchmem

// Chaining against Go's own map: a hash table with a node per key, written by hand, beside
// map[uint64]uint64. The twin of chaintab.h and demo/chain.c; its tests are in
// chain_test.go.

// chainNode is one key of a chainMap: allocated on its own, as chaintab.h mallocs one.
type chainNode struct {
	key, val uint64
	next     *chainNode
}

// chainMap is chaintab.h in Go: a slice of bucket heads, a power of two from
// chainMinBuckets, doubled when the next key would pass 1 key per bucket, the nodes
// relinked into the new slice.
type chainMap struct {
	buckets []*chainNode
	count   int
}

const chainMinBuckets = 8

// chainHash is maptab_hash (splitmix64's finaliser), so that the keys land as in C.
func chainHash(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// chainKey is maptab_key: the key put i-th, distinct for distinct i, never 0.
func chainKey(i int) uint64 { return uint64(i) * 0x9e3779b97f4a7c15 }

// chainBucketsFor is chaintab_buckets_for: the smallest power of two from chainMinBuckets
// that is at least n (0 for no keys).
func chainBucketsFor(n int) int {
	if n == 0 {
		return 0
	}
	b := chainMinBuckets
	for n > b {
		b *= 2
	}
	return b
}

// newChainMap makes a chainMap with buckets for hint keys: the struct and one slice.
func newChainMap(hint int) *chainMap {
	return &chainMap{buckets: make([]*chainNode, chainBucketsFor(hint))}
}

func (m *chainMap) put(key, val uint64) {
	mask := uint64(len(m.buckets) - 1)
	if len(m.buckets) > 0 {
		for p := m.buckets[chainHash(key)&mask]; p != nil; p = p.next {
			if p.key == key {
				p.val = val // a key held already: no allocation
				return
			}
		}
	}
	if want := chainBucketsFor(m.count + 1); want > len(m.buckets) {
		heads := make([]*chainNode, want)
		for _, p := range m.buckets {
			for p != nil {
				next := p.next
				b := chainHash(p.key) & uint64(want-1)
				p.next, heads[b] = heads[b], p
				p = next
			}
		}
		m.buckets, mask = heads, uint64(want-1)
	}
	b := chainHash(key) & mask
	m.buckets[b] = &chainNode{key, val, m.buckets[b]}
	m.count++
}

func (m *chainMap) get(key uint64) (uint64, bool) {
	if len(m.buckets) == 0 {
		return 0, false
	}
	for p := m.buckets[chainHash(key)&uint64(len(m.buckets)-1)]; p != nil; p = p.next {
		if p.key == key {
			return p.val, true
		}
	}
	return 0, false
}

// chainSink and u64Sink keep each table reachable after the call, so that it lives on the
// heap as a table that outlives its function does.
var (
	chainSink *chainMap
	u64Sink   map[uint64]uint64
)

// chainFill makes a chainMap for n keys and puts n keys into it.
func chainFill(n int) {
	m := newChainMap(n)
	for i := 1; i <= n; i++ {
		m.put(chainKey(i), uint64(i))
	}
	chainSink = m
}

// u64Fill makes make(map[uint64]uint64, n) and puts the same n keys into it.
func u64Fill(n int) {
	m := make(map[uint64]uint64, n)
	for i := 1; i <= n; i++ {
		m[chainKey(i)] = uint64(i)
	}
	u64Sink = m
}
