// The Go twin of lru.h: an LRU cache from string keys to uint64 values, its capacity
// fixed at creation, two ways. lruList is the usual Go LRU: a map[string]*list.Element
// and a container/list whose elements hold an *lruEntry. lruArray is the intrusive one:
// every entry in one []lruArrayEntry made at creation, the recency list as int32 indexes
// into it, and a map[string]int32 made with the capacity. lru_test.go measures both.
package pooling

import "container/list"

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
