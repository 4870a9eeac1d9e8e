package pooling

import (
	"container/list"
	"reflect"
	"runtime"
	"strconv"
	"testing"

	"allocaware.local/measure"
)

// The Go side of make lru-04, the twin of lru.h: an LRU cache from string keys to uint64
// values, its capacity fixed at creation, two ways. lruList is the usual Go LRU: a
// map[string]*list.Element and a container/list whose elements hold an *lruEntry. lruArray
// is the intrusive one: every entry in one []lruArrayEntry made at creation, the recency
// list as int32 indexes into it, and a map[string]int32 made with the capacity. The tests
// below measure both, in allocations per operation.

type lruEntry struct {
	key string
	val uint64
}

// lruList: a new key is a new *lruEntry and a new list.Element (PushFront); an eviction
// removes the back element and deletes its key from the map.
type lruList struct {
	cap   int
	items map[string]*list.Element
	order *list.List // front: the most recent
}

func newLRUList(capacity int) *lruList {
	return &lruList{cap: capacity, items: make(map[string]*list.Element, capacity),
		order: list.New()}
}

func (c *lruList) get(key string) (uint64, bool) {
	e, ok := c.items[key]
	if !ok {
		return 0, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry).val, true
}

func (c *lruList) put(key string, val uint64) {
	if e, ok := c.items[key]; ok {
		e.Value.(*lruEntry).val = val
		c.order.MoveToFront(e)
		return
	}
	if c.order.Len() == c.cap {
		back := c.order.Back()
		c.order.Remove(back)
		delete(c.items, back.Value.(*lruEntry).key)
	}
	c.items[key] = c.order.PushFront(&lruEntry{key, val})
}

// lruArrayEntry: prev and next are indexes into the array, -1 at the ends.
type lruArrayEntry struct {
	key        string
	val        uint64
	prev, next int32
}

// lruArray: a new key takes the next unused entry or, when full, the back entry's,
// reused in place: its key deleted from the map and the new one added.
type lruArray struct {
	entries     []lruArrayEntry
	index       map[string]int32
	front, back int32
}

func newLRUArray(capacity int) *lruArray {
	return &lruArray{entries: make([]lruArrayEntry, 0, capacity),
		index: make(map[string]int32, capacity), front: -1, back: -1}
}

func (c *lruArray) unlink(i int32) {
	e := &c.entries[i]
	if e.prev >= 0 {
		c.entries[e.prev].next = e.next
	} else {
		c.front = e.next
	}
	if e.next >= 0 {
		c.entries[e.next].prev = e.prev
	} else {
		c.back = e.prev
	}
}

func (c *lruArray) pushFront(i int32) {
	e := &c.entries[i]
	e.prev, e.next = -1, c.front
	if c.front >= 0 {
		c.entries[c.front].prev = i
	} else {
		c.back = i
	}
	c.front = i
}

func (c *lruArray) get(key string) (uint64, bool) {
	i, ok := c.index[key]
	if !ok {
		return 0, false
	}
	c.unlink(i)
	c.pushFront(i)
	return c.entries[i].val, true
}

func (c *lruArray) put(key string, val uint64) {
	if i, ok := c.index[key]; ok {
		c.entries[i].val = val
		c.unlink(i)
		c.pushFront(i)
		return
	}
	var i int32
	if len(c.entries) < cap(c.entries) {
		i = int32(len(c.entries))
		c.entries = c.entries[:i+1] // within the capacity made at creation: no allocation
	} else {
		i = c.back
		c.unlink(i)
		delete(c.index, c.entries[i].key)
	}
	c.entries[i].key, c.entries[i].val = key, val
	c.index[key] = i
	c.pushFront(i)
}

// keys returns the keys from the most recent to the least (for the tests).
func (c *lruList) keys() []string {
	var ks []string
	for e := c.order.Front(); e != nil; e = e.Next() {
		ks = append(ks, e.Value.(*lruEntry).key)
	}
	return ks
}

func (c *lruArray) keys() []string {
	var ks []string
	for i := c.front; i >= 0; i = c.entries[i].next {
		ks = append(ks, c.entries[i].key)
	}
	return ks
}

const lruCap = 1000

var (
	lruListSink  *lruList
	lruArraySink *lruArray
	lruValSink   uint64
)

// lruKeys: "k0" .. "k<n-1>", made once, so that no key is built inside a measurement.
func lruKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i)
	}
	return keys
}

// lruCache: what both ways offer the tests.
type lruCache interface {
	get(key string) (uint64, bool)
	put(key string, val uint64)
	keys() []string
}

// Both ways keep the recency order: puts, a get, an update, and an eviction of exactly
// the least recent entry.
func TestLRUBothWaysKeepTheRecencyOrderAndEvictTheLeastRecent(t *testing.T) {
	for name, c := range map[string]lruCache{"list": newLRUList(3), "array": newLRUArray(3)} {
		c.put("a", 1)
		c.put("b", 2)
		c.put("c", 3)
		steps := []struct {
			do   func()
			want []string
		}{
			{func() {}, []string{"c", "b", "a"}},
			{func() { c.get("a") }, []string{"a", "c", "b"}},
			{func() { c.get("zz") }, []string{"a", "c", "b"}},
			{func() { c.put("b", 20) }, []string{"b", "a", "c"}},
			{func() { c.put("d", 4) }, []string{"d", "b", "a"}},
		}
		for i, s := range steps {
			s.do()
			if got := c.keys(); !reflect.DeepEqual(got, s.want) {
				t.Errorf("%s, step %d: want %v, got %v", name, i, s.want, got)
			}
		}
		if v, ok := c.get("b"); !ok || v != 20 {
			t.Errorf("%s: b = %d, %v; want 20, true", name, v, ok)
		}
		if _, ok := c.get("c"); ok {
			t.Errorf("%s: c, the least recent, was not evicted", name)
		}
	}
}

// The allocations of making each cache: the same on every run of a release, not across
// releases (the map's buckets changed with Swiss tables in 1.24).
var lruMakeAllocs = map[int][2]uint64{19: {5, 5}, 24: {8, 8}}

// The usual Go LRU, full and warm: each put of a new key allocates an lruEntry and a
// list.Element, a hit and an update nothing. Exact: 2 allocations a put. The map's own
// allocations are measured apart (TestLRUArrayMapAllocatesInTheSteadyState...); here a
// batch of 2 * lruCap puts is measured five times and divided (PerRun), so that the rare
// bucket a Go 1.19 map adds cannot round the figure up.
func TestLRUListAllocatesAnEntryAndAnElementPerNewKeyAndNothingPerHit(t *testing.T) {
	minor, release := measure.GoMinor()
	keys := lruKeys(2 * lruCap)
	mkList, _ := measure.PerRun(10, func() { lruListSink = newLRUList(lruCap) })
	mkArray, _ := measure.PerRun(10, func() { lruArraySink = newLRUArray(lruCap) })
	t.Logf("%s, a cache of %d entries, keys cycling through %d (every put a new key, "+
		"evicting):", runtime.Version(), lruCap, len(keys))
	t.Logf("%-44s %8s %8s", "", "allocs", "bytes")
	t.Logf("%-44s %8d %8s", "newLRUList (map, list)", mkList, "")
	t.Logf("%-44s %8d %8s", "newLRUArray (map, array)", mkArray, "")
	if want, ok := lruMakeAllocs[minor]; ok && release && (mkList != want[0] || mkArray != want[1]) {
		t.Errorf("%s: making the caches: want %d and %d allocations, got %d and %d",
			runtime.Version(), want[0], want[1], mkList, mkArray)
	}

	l, a := newLRUList(lruCap), newLRUArray(lruCap)
	n := 0
	batch := func(c lruCache) func() {
		return func() {
			for i := 0; i < len(keys); i++ {
				c.put(keys[n%len(keys)], uint64(i))
				n++
			}
		}
	}
	for i := 0; i < 100; i++ { // warm: the maps have seen their deletes and inserts
		batch(l)()
		batch(a)()
	}
	listPut, listBytes := measure.PerRun(5, batch(l))
	// the last lruCap keys put are in the cache: get them (hits), then put them (updates)
	hits := func(c lruCache, update bool) func() {
		return func() {
			for i := n - lruCap; i < n; i++ {
				if update {
					c.put(keys[i%len(keys)], 7)
				} else {
					lruValSink, _ = c.get(keys[i%len(keys)])
				}
			}
		}
	}
	listHit, _ := measure.PerRun(5, hits(l, false))
	listUpd, _ := measure.PerRun(5, hits(l, true))
	per := uint64(len(keys))
	t.Logf("%-44s %8d %8d", "list: a put of a new key, evicting", listPut/per, listBytes/per)
	t.Logf("%-44s %8d %8s", "list: a get that hits", listHit/lruCap, "")
	t.Logf("%-44s %8d %8s", "list: a put that updates", listUpd/lruCap, "")
	if listPut != 2*per || listBytes != 72*per {
		t.Errorf("%d puts of a new key: want %d allocations of 72 B a put (an lruEntry of "+
			"24 B, a list.Element of 48 B), got %d allocations, %d B", per, 2*per, listPut,
			listBytes)
	}
	if listHit != 0 || listUpd != 0 {
		t.Errorf("hits and updates: want 0 allocations, got %d and %d per %d", listHit,
			listUpd, lruCap)
	}
}

// The intrusive LRU's array never allocates after it is made; its map may. A long run of
// gets and puts (a put when the get missed) over 4 * lruCap keys, after a warm-up, counted
// by MemStats.Mallocs: what the map allocated as keys were deleted and added. Go 1.24's
// Swiss-table map grew in the warm-up and then allocated nothing; Go 1.19's adds an
// overflow bucket when a bucket's 8 slots fill, and grows again when there are too many,
// so it allocates now and then, at a rate its hash seed decides: bounds, not counts.
func TestLRUArrayMapAllocatesInTheSteadyStateOnlyOnGo119(t *testing.T) {
	const ops, warm = 400_000, 400_000
	minor, release := measure.GoMinor()
	keys := lruKeys(4 * lruCap)
	var seed uint64
	run := func(c lruCache, n int) (allocs, misses uint64) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for i := 0; i < n; i++ {
			seed = seed*6364136223846793005 + 1442695040888963407
			k := keys[(seed>>20)%uint64(len(keys))]
			if _, ok := c.get(k); !ok {
				c.put(k, uint64(i))
				misses++
			}
		}
		runtime.ReadMemStats(&after)
		return after.Mallocs - before.Mallocs, misses
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	a, l := newLRUArray(lruCap), newLRUList(lruCap)
	seed = 1
	warmA, _ := run(a, warm)
	steadyA, missA := run(a, ops)
	seed = 1 // the same keys again, for the list
	run(l, warm)
	steadyL, missL := run(l, ops)
	t.Logf("%s, a cache of %d entries, %d gets over %d keys, a put after each miss:",
		runtime.Version(), lruCap, ops, len(keys))
	t.Logf("%-34s %10s %10s", "", "misses", "allocs")
	t.Logf("%-34s %10s %10d", "array: the first run (warm-up)", "", warmA)
	t.Logf("%-34s %10d %10d", "array: the next run", missA, steadyA)
	t.Logf("%-34s %10d %10d", "list: the next run", missL, steadyL)
	if missA == 0 || missA != missL {
		t.Fatalf("the two caches must miss alike: %d and %d misses", missA, missL)
	}
	// the list: 2 allocations a miss, and its map's; the runtime's own few in either
	if steadyL < 2*missL || steadyL > 2*missL+missL/100+16 {
		t.Errorf("list: want 2 allocations a miss, %d, plus the map's few, got %d",
			2*missL, steadyL)
	}
	switch {
	case release && minor >= 24:
		// Swiss tables: a slot deleted in a group with room is empty again, so the
		// table, grown once, holds its keys; 16 leaves room for the runtime's own
		if steadyA > 16 {
			t.Errorf("%s: the array's map allocated %d times in %d misses; measured: "+
				"none after the warm-up", runtime.Version(), steadyA, missA)
		}
	default:
		// Go 1.19's buckets: fewer than 1 allocation per 100 misses
		if steadyA > missA/100 {
			t.Errorf("%s: the array's map allocated %d times in %d misses, more than 1 "+
				"per 100", runtime.Version(), steadyA, missA)
		}
	}
}
