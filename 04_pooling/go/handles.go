// The Go twin of handle.h: a slot map. Objects live in one []hSlot grown by doubling
// (a new slice of twice the length, the slots copied: the growths are the map's own, the
// same count on every Go release); a free slot is chained to the next by index; each slot
// keeps a uint32 generation, odd while live, and a handle is the slot's index and its
// generation in one uint64. handles_test.go measures it.
package pooling

const hMinCap = 8 // the first growth's slots

type hObj struct {
	id, value uint64
}

type hSlot struct {
	obj  hObj
	gen  uint32 // odd: live; even: free (0: retired, or never used)
	next uint32 // free: the next free slot's index + 1 (0: none)
}

type slotMap struct {
	slots    []hSlot // len: the slots used so far; cap: the array
	freeHead uint32  // the first free slot's index + 1 (0: none); the last freed first
	retired  int     // slots whose generation ran out: never reused
	growths  int     // arrays made
}

func hMake(index, gen uint32) uint64 { return uint64(gen)<<32 | uint64(index) }

// insert copies o into the last freed slot, or the next unused one, growing the array
// first when it is full. It returns the handle, never 0.
func (m *slotMap) insert(o hObj) uint64 {
	var i uint32
	if m.freeHead != 0 {
		i = m.freeHead - 1
		m.freeHead = m.slots[i].next
	} else {
		if len(m.slots) == cap(m.slots) {
			n := 2 * cap(m.slots)
			if n == 0 {
				n = hMinCap
			}
			grown := make([]hSlot, len(m.slots), n)
			copy(grown, m.slots)
			m.slots = grown
			m.growths++
		}
		i = uint32(len(m.slots))
		m.slots = m.slots[:i+1]
		m.slots[i].gen = 0
	}
	s := &m.slots[i]
	s.obj = o
	s.gen++
	s.next = 0
	return hMake(i, s.gen)
}

// get returns the object h names, or nil: h is 0, its index is past the slots used, or
// its slot's generation is not h's (the object was removed, and perhaps the slot reused).
func (m *slotMap) get(h uint64) *hObj {
	i, gen := uint32(h), uint32(h>>32)
	if int(i) >= len(m.slots) || gen&1 == 0 || m.slots[i].gen != gen {
		return nil
	}
	return &m.slots[i].obj
}

// remove removes the object h names and reports whether there was one: a second remove
// of the same handle is refused. A slot whose generation would wrap is retired.
func (m *slotMap) remove(h uint64) bool {
	if m.get(h) == nil {
		return false
	}
	i := uint32(h)
	s := &m.slots[i]
	if s.gen == ^uint32(0) {
		s.gen = 0
		m.retired++
		return true
	}
	s.gen++
	s.next = m.freeHead
	m.freeHead = i + 1
	return true
}
