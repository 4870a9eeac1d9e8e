package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// secretLen is the length of the secret, as in C's secret.h: 32 random letters.
const secretLen = 32

const secretLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// scanChunk is how many bytes of /proc/self/mem one read takes.
const scanChunk = 64 << 10

// secretScan is the instrument of C's secret.h in Go: the secret is never whole in memory
// (byte i is masked[i] ^ mask[i]), and the masks and the buffer /proc/self/mem is read into
// live in a mapping of its own (syscall.Mmap, not Go's heap), whose range the search skips:
// the buffer holds a copy of whatever it read last.
type secretScan struct {
	region       []byte
	masked, mask []byte
	buf          []byte
	start, end   uintptr
}

func newSecretScan() (*secretScan, error) {
	size := 2*secretLen + secretLen/2 + scanChunk + secretLen
	region, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, err
	}
	s := &secretScan{region: region, masked: region[:secretLen], mask: region[secretLen : 2*secretLen], buf: region[2*secretLen:]}
	s.start = uintptr(unsafe.Pointer(&region[0]))
	s.end = s.start + uintptr(len(region))
	if _, err := rand.Read(s.mask); err != nil {
		return nil, err
	}
	// the letters drawn into the buffer, masked, then the buffer wiped
	if _, err := rand.Read(s.buf[:secretLen]); err != nil {
		return nil, err
	}
	for i := 0; i < secretLen; i++ {
		s.masked[i] = secretLetters[s.buf[i]&63] ^ s.mask[i]
		s.buf[i] = 0
	}
	return s, nil
}

func (s *secretScan) close() { syscall.Munmap(s.region) }

// put writes the secret at dst, one byte at a time.
func (s *secretScan) put(dst []byte) {
	for i := 0; i < secretLen; i++ {
		dst[i] = s.masked[i] ^ s.mask[i]
	}
}

func (s *secretScan) match(p []byte, from, n int) bool {
	if len(p) < n {
		return false
	}
	for j := 0; j < n; j++ {
		if p[j]^s.mask[from+j] != s.masked[from+j] {
			return false
		}
	}
	return true
}

// secretCopies is what a search found, as C's struct secret_copies.
type secretCopies struct{ whole, head, tail int }

func (c secretCopies) any() int { return c.whole + c.head + c.tail }

// count reads every writable mapping of /proc/self/maps through /proc/self/mem, its own
// range cut out, and counts the whole copies and the halves found alone.
func (s *secretScan) count() (secretCopies, error) {
	var c secretCopies
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return c, err
	}
	mem, err := os.Open("/proc/self/mem")
	if err != nil {
		return c, err
	}
	defer mem.Close()
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || !strings.HasPrefix(f[1], "rw") {
			continue
		}
		r := strings.SplitN(f[0], "-", 2)
		lo, err1 := strconv.ParseUint(r[0], 16, 64)
		hi, err2 := strconv.ParseUint(r[1], 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		start, end := uintptr(lo), uintptr(hi)
		if start < s.start {
			s.countRange(mem, start, min(end, s.start), &c)
		}
		if end > s.end {
			s.countRange(mem, max(start, s.end), end, &c)
		}
	}
	return c, nil
}

func min(a, b uintptr) uintptr {
	if a < b {
		return a
	}
	return b
}

func max(a, b uintptr) uintptr {
	if a > b {
		return a
	}
	return b
}

const half = secretLen / 2

func (s *secretScan) countRange(mem *os.File, start, end uintptr, c *secretCopies) {
	for a := start; a < end; a += scanChunk {
		b := min(end, a+scanChunk)
		from := start
		if a-start >= half {
			from = a - half
		}
		to := min(end, b+secretLen)
		n, _ := mem.ReadAt(s.buf[:to-from], int64(from))
		if n <= 0 {
			return // a mapping the kernel will not copy
		}
		buf := s.buf[:n]
		off := int(a - from)
		last := int(min(b, from+uintptr(n)) - from)
		h0, t0 := s.masked[0]^s.mask[0], s.masked[half]^s.mask[half]
		for i := off; i < last; {
			j := bytes.IndexByte(buf[i:last], h0)
			if j < 0 {
				break
			}
			i += j
			if s.match(buf[i:], 0, half) {
				if s.match(buf[i+half:], half, half) {
					c.whole++
				} else {
					c.head++
				}
			}
			i++
		}
		for i := off; i < last; {
			j := bytes.IndexByte(buf[i:last], t0)
			if j < 0 {
				break
			}
			i += j
			if s.match(buf[i:], half, half) && !(i >= half && s.match(buf[i-half:], 0, half)) {
				c.tail++
			}
			i++
		}
	}
}

var secretSink []byte
var secretString string

// secretStep is one count of a case: what was done, and the copies found after it.
type secretStep struct {
	what string
	c    secretCopies
}

func zeroBytes(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// secretCases are the cases `go run . -secret` runs, each in a process of its own (a later
// case would find what an earlier one left): each returns its steps, counted.
var secretCases = []func(s *secretScan, step func(string)){
	func(s *secretScan, step func(string)) {
		step("nothing put yet")
		secretSink = make([]byte, secretLen)
		s.put(secretSink)
		step("b := make([]byte, 32), the secret put in it")
		zeroBytes(secretSink)
		step("  b zeroed with a loop")
	},
	func(s *secretScan, step func(string)) {
		secretSink = make([]byte, secretLen)
		s.put(secretSink)
		secretString = string(secretSink)
		zeroBytes(secretSink)
		step("s := string(b), then b zeroed")
		secretString = ""
		runtime.GC()
		step("  s dropped, runtime.GC()")
	},
	func(s *secretScan, step func(string)) {
		b := make([]byte, secretLen)
		s.put(b)
		b = append(b, make([]byte, 64)...)
		secretSink = b
		zeroBytes(b)
		step("b := append(b, 64 more) past its cap of 32, the new b zeroed")
		runtime.GC()
		step("  runtime.GC()")
	},
}

// secretCase runs case k in this process: its steps, counted.
func secretCase(k int) ([]secretStep, error) {
	s, err := newSecretScan()
	if err != nil {
		return nil, err
	}
	defer s.close()
	var steps []secretStep
	var failed error
	secretCases[k](s, func(what string) {
		c, err := s.count()
		if err != nil && failed == nil {
			failed = err
		}
		steps = append(steps, secretStep{what, c})
	})
	return steps, failed
}

func secretRow(st secretStep) {
	fmt.Printf("  %-64s %5d %8d %7d\n", st.what, st.c.whole, st.c.head, st.c.tail)
}

// secretCaseLines is `-secret-case K`: case K's rows, for the parent to print.
func secretCaseLines(k int) {
	steps, err := secretCase(k)
	if err != nil {
		fmt.Fprintln(os.Stderr, "01_allocation_basics: -secret-case:", err)
		os.Exit(1)
	}
	for _, st := range steps {
		secretRow(st)
	}
}

// secret prints what `go run . -secret` shows: each case in a child process, this
// program run again with -secret-case K.
func secret() {
	fmt.Printf("01_allocation_basics, Go twin (%s): a secret of 32 random letters, its copies in\n"+
		"this process's writable memory (/proc/self/mem); each case in a process of its own\n", runtime.Version())
	fmt.Printf("  %-64s %5s %8s %7s\n", "", "whole", "first 16", "last 16")
	for k := range secretCases {
		cmd := exec.Command(os.Args[0], "-secret-case", strconv.Itoa(k))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "01_allocation_basics: -secret: case", k, err)
			os.Exit(1)
		}
	}
}
