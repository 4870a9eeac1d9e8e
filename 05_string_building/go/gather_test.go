package strbuild

import (
	"bytes"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"allocaware.local/measure"
)

// Gather, don't build, in Go: the three ways of gather.go over a Unix socket pair, each
// response read back whole from the other end before the next: allocations per response
// (testing.AllocsPerRun's count, through measure.PerRun) and the write-family system calls
// the kernel counted for this thread (syscw in /proc/thread-self/io).

// gatherPair: two connected *net.UnixConn. The responses here fit in the socket's buffer,
// so no Write waits for the reader.
func gatherPair(t *testing.T) (*net.UnixConn, *net.UnixConn) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	var c [2]*net.UnixConn
	for i, fd := range fds {
		f := os.NewFile(uintptr(fd), "pair")
		fc, err := net.FileConn(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		c[i] = fc.(*net.UnixConn)
	}
	return c[0], c[1]
}

// syscw is this thread's count of write-family system calls; the caller locks its thread.
func syscw(t *testing.T) int {
	b, err := os.ReadFile("/proc/thread-self/io")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\nsyscw: ")
	n, err := strconv.Atoi(strings.TrimSpace(s[i+8 : i+8+strings.IndexByte(s[i+8:], '\n')]))
	if i < 0 || err != nil {
		t.Fatalf("no syscw in %q", s)
	}
	return n
}

type gatherWay struct {
	name string
	send func(w io.Writer, pieces [][]byte, scratch *gatherScratch) error
}

var gatherWays = []gatherWay{
	{"bytes.Buffer + Write", func(w io.Writer, p [][]byte, _ *gatherScratch) error { return sendBuild(w, p) }},
	{"Write per piece", func(w io.Writer, p [][]byte, _ *gatherScratch) error { return sendPieces(w, p) }},
	{"net.Buffers.WriteTo", sendBuffers},
	{"same, slice consumed", sendBuffersConsumed},
}

func TestGatherSameBytesCallsAndAllocs(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	a, b := gatherPair(t)
	defer a.Close()
	defer b.Close()
	for _, body := range []int{100, 64 << 10} {
		pieces := gatherPieces(16, body)
		want := bytes.Join(pieces, nil)
		got := make([]byte, len(want))
		var scratch gatherScratch
		for i, w := range gatherWays {
			send := func() {
				if err := w.send(a, pieces, &scratch); err != nil {
					t.Fatal(err)
				}
				if _, err := io.ReadFull(b, got); err != nil {
					t.Fatal(err)
				}
			}
			before := syscw(t)
			send()
			calls := syscw(t) - before
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, %d-byte body: the reader got other bytes", w.name, body)
			}
			wantCalls := []int{1, len(pieces), 1, 1}[i]
			if calls != wantCalls {
				t.Errorf("%s, %d pieces: want %d write-family calls (syscw), got %d on %s",
					w.name, len(pieces), wantCalls, calls, runtime.Version())
			}
			allocs, bytesPer := measure.PerRun(20, send)
			// bytes.Buffer: its one block, of the total rounded up to a size class (Go
			// counts size-class bytes); a consumed net.Buffers: a new array of k slice
			// headers; the others nothing once the scratch array and the descriptor's
			// cached iovecs have grown.
			wantAllocs, least, most := uint64(0), uint64(0), uint64(0)
			switch i {
			case 0:
				wantAllocs, least, most = 1, uint64(len(want)), uint64(len(want)+len(want)/8+8192)
			case 3:
				hdrs := uint64(24 * len(pieces))
				wantAllocs, least, most = 1, hdrs, hdrs+hdrs/8+8192
			}
			if allocs != wantAllocs || bytesPer < least || bytesPer > most {
				t.Errorf("%s, %d-byte body: want %d allocations of %d to %d bytes, got %d of %d on %s",
					w.name, body, wantAllocs, least, most, allocs, bytesPer, runtime.Version())
			}
			t.Logf("%-20s %2d pieces, %6d bytes: %d write calls (syscw), %d allocs, %6d bytes a response",
				w.name, len(pieces), len(want), calls, allocs, bytesPer)
		}
	}
}

// WriteTo consumes what it is given: the net.Buffers ends past the last piece (appending
// to it again needs a new array), and the elements it wrote are emptied in the array
// behind it, which the caller's slice shares.
func TestGatherBuffersWriteToConsumesItsSlice(t *testing.T) {
	a, b := gatherPair(t)
	defer a.Close()
	defer b.Close()
	pieces := gatherPieces(2, 10)
	k := len(pieces)
	bufs := net.Buffers(pieces)
	n, err := bufs.WriteTo(a)
	if err != nil || int(n) != gatherTotal(gatherPieces(2, 10)) {
		t.Fatal(n, err)
	}
	io.ReadFull(b, make([]byte, n))
	cleared := 0
	for _, p := range pieces {
		if len(p) == 0 {
			cleared++
		}
	}
	if spare := cap(pieces) - k; len(bufs) != 0 || cap(bufs) != spare || cleared != k {
		t.Errorf("want net.Buffers past the last piece (len 0, cap %d) after WriteTo and all %d "+
			"pieces emptied, got len %d, cap %d, %d emptied on %s", spare, k, len(bufs), cap(bufs),
			cleared, runtime.Version())
	}
	t.Logf("after WriteTo: net.Buffers len %d, cap %d (the array's spare room); the caller's %d pieces: %d emptied",
		len(bufs), cap(bufs), k, cleared)
}
