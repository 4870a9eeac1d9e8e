package main

// A record and its name, C's onealloc.h in Go. Go has no flexible array member: a
// struct's size is fixed at compile time. A string or []byte field is a header (pointer
// and length) whose bytes are a block of their own, so a record made from bytes read at
// run time is two allocations, as C's char * way is; a fixed-size array field keeps the
// bytes inside the struct, one allocation, but only up to the array's length.

// recString and recBytes hold the name the way C's struct onealloc_two does.
type recString struct {
	id   uint32
	name string
}

type recBytes struct {
	id   uint32
	name []byte
}

// recInline holds up to 24 bytes of name inside the struct.
type recInline struct {
	id   uint32
	n    uint8
	name [24]byte
}

var (
	sinkRecString *recString
	sinkRecBytes  *recBytes
	sinkRecInline *recInline
)

// The records escape (the tests store them in the sinks above), so each is on the heap.
func newRecString(id uint32, b []byte) *recString {
	return &recString{id: id, name: string(b)}
}

func newRecBytes(id uint32, b []byte) *recBytes {
	r := &recBytes{id: id, name: make([]byte, len(b))}
	copy(r.name, b)
	return r
}

func newRecInline(id uint32, b []byte) *recInline {
	r := &recInline{id: id}
	r.n = uint8(copy(r.name[:], b))
	return r
}
