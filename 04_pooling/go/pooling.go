// Package pooling is lesson 04 in Go: the two jobs of heavy.c and light.c, request
// buffers and list nodes, each allocated per use (heavy) or reused (light: a sync.Pool
// for the buffers, one slice of nodes as the arena). Results are the same both ways.
//
// Costs, Go 1.19 (pooling_test.go pins them):
//
//	heavyRequests: one 4 KiB allocation per request    lightRequests: none once the pool is warm
//	heavyNodes:    one 64-byte allocation per node     lightNodes:    one 64 KiB slice per call
package pooling

import (
	"encoding/binary"
	"strconv"
	"sync"
)

const (
	requestBuf      = 4096 // bytes of scratch buffer per request
	requestInflight = 8    // requests handled at once
	nodesPerRound   = 1000 // nodes built, walked and dropped together
	digestStart     = 0xcbf29ce484222325
)

// node is 64 bytes, as in pooling.h.
type node struct {
	next    *node
	key     uint64
	payload [48]byte
}

// respond writes request id's response into buf and returns its length. It appends
// inside buf's capacity, so it never allocates.
func respond(buf []byte, id uint64) int {
	b := append(buf[:0], "HTTP/1.1 200 OK\r\nX-Request: "...)
	b = strconv.AppendUint(b, id, 10)
	b = append(b, "\r\n\r\n"...)
	return len(b)
}

// digest folds p into h (FNV-1a, 8 bytes a step, as hash_fnv_words in common/hash.h
// does on a little-endian machine).
func digest(h uint64, p []byte) uint64 {
	for ; len(p) >= 8; p = p[8:] {
		h = (h ^ binary.LittleEndian.Uint64(p)) * 0x100000001b3
	}
	for _, c := range p {
		h = (h ^ uint64(c)) * 0x100000001b3
	}
	return h
}

// fill makes nd a fresh node for key, in front of next.
func fill(nd *node, key uint64, next *node) {
	nd.next = next
	nd.key = key * 2654435761
	for i := range nd.payload {
		nd.payload[i] = byte(key & 0x7f)
	}
}

// inflight is how many of the requests from first on are handled together.
func inflight(n, first, most uint64) uint64 {
	if n-first < most {
		return n - first
	}
	return most
}

// heavyRequests: a new buffer per request. The buffers outlive the loop iteration that
// makes them (bufs is declared outside it), so they escape to the heap: n allocations.
// Nothing frees them; the garbage collector does, later.
func heavyRequests(n uint64) uint64 {
	h := uint64(digestStart)
	var bufs [requestInflight][]byte

	for first := uint64(0); first < n; first += requestInflight {
		k := inflight(n, first, requestInflight)
		for i := uint64(0); i < k; i++ {
			bufs[i] = make([]byte, requestBuf)
			h = digest(h, bufs[i][:respond(bufs[i], first+i)])
		}
	}
	return h
}

// requestPool holds request buffers as pointers to arrays: a pointer goes into Put's
// interface argument as it is, where a []byte would be boxed (24 bytes per Put).
var requestPool = sync.Pool{New: func() any { return new([requestBuf]byte) }}

// lightRequests: the buffers come from requestPool and go back to it. Like the C pool,
// it hands back dirty memory: respond overwrites what it reads.
func lightRequests(n uint64) uint64 {
	h := uint64(digestStart)
	var bufs [requestInflight]*[requestBuf]byte

	for first := uint64(0); first < n; first += requestInflight {
		k := inflight(n, first, requestInflight)
		for i := uint64(0); i < k; i++ {
			bufs[i] = requestPool.Get().(*[requestBuf]byte)
			h = digest(h, bufs[i][:respond(bufs[i][:], first+i)])
		}
		for i := uint64(0); i < k; i++ {
			requestPool.Put(bufs[i])
			bufs[i] = nil // the pool's now: keep no pointer to it
		}
	}
	return h
}

// heavyNodes: one allocation per node; a round's nodes become garbage together.
func heavyNodes(n uint64) uint64 {
	h := uint64(digestStart)
	var key [8]byte

	for first := uint64(0); first < n; first += nodesPerRound {
		k := inflight(n, first, nodesPerRound)
		var list *node
		for i := uint64(0); i < k; i++ {
			nd := new(node)
			fill(nd, first+i, list)
			list = nd
		}
		for nd := list; nd != nil; nd = nd.next {
			binary.LittleEndian.PutUint64(key[:], nd.key)
			h = digest(h, key[:])
		}
	}
	return h
}

// lightNodes: the arena is one slice of nodes, made once per call and emptied after
// each round (arena[:0]), as arena_reset keeps its chunk. Pointers into it stay valid
// only because it never grows past its capacity: an append beyond it would move every
// node and leave the list pointing at the old array.
func lightNodes(n uint64) uint64 {
	h := uint64(digestStart)
	var key [8]byte
	arena := make([]node, 0, nodesPerRound)

	for first := uint64(0); first < n; first += nodesPerRound {
		k := inflight(n, first, nodesPerRound)
		var list *node
		for i := uint64(0); i < k; i++ {
			arena = append(arena, node{})
			nd := &arena[len(arena)-1]
			fill(nd, first+i, list)
			list = nd
		}
		for nd := list; nd != nil; nd = nd.next {
			binary.LittleEndian.PutUint64(key[:], nd.key)
			h = digest(h, key[:])
		}
		arena = arena[:0] // every node at once; the array stays for the next round
	}
	return h
}
