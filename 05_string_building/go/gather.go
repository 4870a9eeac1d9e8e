package strbuild

// Gather, don't build, in Go: the response of gather.h (a status line, h header lines, a
// body, a trailer) sent whole over a connection three ways:
//
//	sendBuild     bytes.Buffer grown to the total, each piece written into it, then one
//	              Write of its bytes (gather_build)
//	sendPieces    a Write per piece (gather_piecewise)
//	sendBuffers   net.Buffers(pieces).WriteTo: one writev where the connection has it,
//	              as *net.UnixConn and *net.TCPConn do (gather_writev)
//
// A Write on a net.Conn returns only when all of it is written or it failed: the
// runtime continues a short write itself.

import (
	"bytes"
	"fmt"
	"io"
	"net"
)

// gatherPieces is the message gather_msg_make writes in C, piece for piece.
func gatherPieces(h, body int) [][]byte {
	p := [][]byte{[]byte("HTTP/1.1 200 OK\r\n")}
	for i := 0; i < h; i++ {
		end := ""
		if i+1 == h {
			end = "\r\n"
		}
		p = append(p, []byte(fmt.Sprintf("X-Field-%03d: %d\r\n%s", i+1, i*37%1000, end)))
	}
	b := make([]byte, body)
	for j := range b {
		b[j] = byte('a' + j%26)
	}
	return append(p, b, []byte("X-Trailer: end\r\n"))
}

func gatherTotal(pieces [][]byte) int {
	n := 0
	for _, p := range pieces {
		n += len(p)
	}
	return n
}

func sendBuild(w io.Writer, pieces [][]byte) error {
	var b bytes.Buffer
	b.Grow(gatherTotal(pieces))
	for _, p := range pieces {
		b.Write(p)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func sendPieces(w io.Writer, pieces [][]byte) error {
	for _, p := range pieces {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// gatherScratch is what sendBuffers reuses: WriteTo consumes the net.Buffers it is
// given (it ends past the last piece, its capacity the array's spare room) and empties the
// elements it wrote in the array behind it, so the pieces go into an array kept apart, and bufs is reset to it.
type gatherScratch struct {
	arr  [][]byte
	bufs net.Buffers
}

func sendBuffers(w io.Writer, pieces [][]byte, s *gatherScratch) error {
	s.arr = append(s.arr[:0], pieces...)
	s.bufs = s.arr
	_, err := s.bufs.WriteTo(w)
	return err
}

// sendBuffersConsumed reuses the net.Buffers itself: after WriteTo it starts past the
// last piece, so the append makes a new array every time.
func sendBuffersConsumed(w io.Writer, pieces [][]byte, s *gatherScratch) error {
	s.bufs = append(s.bufs[:0], pieces...)
	_, err := s.bufs.WriteTo(w)
	return err
}
