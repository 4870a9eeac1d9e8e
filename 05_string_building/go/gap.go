package strbuild

// Editing in the middle, in Go (gapbuf.h's two ways): a keystroke typed into a string, a
// []byte, and a gap buffer. A string cannot change: typing into it makes a new one of
// len+1 bytes. A []byte makes room with append and moves the tail with copy. A gap buffer
// keeps its free bytes at the cursor, so a keystroke writes one byte.

// insertString types c at byte i of s: a new string, s[:i] + c + s[i:].
func insertString(s string, i int, c byte) string {
	return s[:i] + string(c) + s[i:]
}

// insertBytes types c at byte i of b: one byte appended (a new array when b is full),
// the tail b[i:] moved one on. The bytes copy moved.
func insertBytes(b []byte, i int, c byte) ([]byte, int) {
	b = append(b, 0)
	moved := copy(b[i+1:], b[i:])
	b[i] = c
	return b, moved
}

// gapBuf is the text buf[:start] + buf[end:], the gap buf[start:end] at the cursor.
type gapBuf struct {
	buf        []byte
	start, end int
	moved      int // bytes of text moved by Move
	grows      int // growths: a new array of twice the size
}

// newGapBuf loads text with room free bytes after it, the cursor at the end: one array.
func newGapBuf(text []byte, room int) *gapBuf {
	buf := make([]byte, len(text)+room)
	copy(buf, text)
	return &gapBuf{buf: buf, start: len(text), end: len(buf)}
}

func (g *gapBuf) Len() int { return len(g.buf) - (g.end - g.start) }

// Move puts the cursor (the gap) at pos: the bytes between move across the gap.
func (g *gapBuf) Move(pos int) {
	if pos < g.start {
		d := g.start - pos
		copy(g.buf[g.end-d:g.end], g.buf[pos:g.start])
		g.start, g.end, g.moved = pos, g.end-d, g.moved+d
	} else if pos > g.start {
		d := pos - g.start
		copy(g.buf[g.start:], g.buf[g.end:g.end+d])
		g.start, g.end, g.moved = pos, g.end+d, g.moved+d
	}
}

// Insert types c at the cursor; a full gap doubles the array first.
func (g *gapBuf) Insert(c byte) {
	if g.start == g.end {
		buf := make([]byte, 2*len(g.buf))
		after := len(g.buf) - g.end
		copy(buf, g.buf[:g.start])
		copy(buf[len(buf)-after:], g.buf[g.end:])
		g.buf, g.end = buf, len(buf)-after
		g.grows++
	}
	g.buf[g.start] = c
	g.start++
}

func (g *gapBuf) String() string {
	return string(g.buf[:g.start]) + string(g.buf[g.end:])
}
