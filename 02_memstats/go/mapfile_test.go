// The Go twin of test_mapfile.c: os.ReadFile allocates the file's size plus one byte (in
// its size class), syscall.Mmap allocates no Go heap for the bytes, a bufio.Reader its
// buffer whatever the file; the three agree, and agree with hash/fnv. Every figure is
// worked out from the file's length and from what opening the file costs, measured
// alone; the same on Go 1.19 and 1.24 (os.ReadFile makes size+1 bytes on both).
package main

import (
	"hash/fnv"
	"os"
	"syscall"
	"testing"
)

func mapfileInput(t *testing.T, n int) string {
	t.Helper()
	path, err := makeFile(t.TempDir(), n)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// openCost is what opening, stat'ing and closing the file allocates: os.File and its
// name, the FileInfo. Every way pays it; what each adds is the lesson.
func openCost(path string) cost {
	return measure(10, func() {
		f, _ := os.Open(path)
		f.Stat()
		f.Close()
	})
}

var mapfileSizes = []int{100 << 10, 1 << 20, 4 << 20}

func TestReadFileAllocatesTheFilesSizePlusOneInItsSizeClass(t *testing.T) {
	defer gcByHand()()
	for _, n := range mapfileSizes {
		path := mapfileInput(t, n)
		open := openCost(path)
		got := measure(5, func() { sumWhole(path) })
		wantCost(t, "os.ReadFile", got, open.allocs+1, open.bytes+sizeClass(n+1))
	}
}

func TestMmapAllocatesNoGoHeapForTheBytes(t *testing.T) {
	defer gcByHand()()
	path := mapfileInput(t, 4<<20)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fd := int(f.Fd())
	got := measure(10, func() {
		b, err := syscall.Mmap(fd, 0, 4<<20, syscall.PROT_READ, syscall.MAP_PRIVATE)
		if err == nil {
			syscall.Munmap(b)
		}
	})
	wantCost(t, "syscall.Mmap and Munmap of 4 MiB", got, 0, 0)
	for _, n := range mapfileSizes {
		path := mapfileInput(t, n)
		wantCost(t, "sumMap", measure(5, func() { sumMap(path) }), openCost(path).allocs, openCost(path).bytes)
	}
}

func TestABufioReaderCostsItsBufferWhateverTheFile(t *testing.T) {
	defer gcByHand()()
	for _, n := range mapfileSizes {
		path := mapfileInput(t, n)
		open := measure(10, func() { // no Stat: the reader does not ask the size
			f, _ := os.Open(path)
			f.Close()
		})
		got := measure(5, func() { sumStream(path, mapfileBuf) })
		// bufio.NewReaderSize is inlined and its Reader does not escape: the Reader is on
		// the stack; its buffer, whose size is known only at run time, on the heap
		wantCost(t, "sumStream", got, open.allocs+1, open.bytes+sizeClass(mapfileBuf))
	}
}

func TestTheThreeWaysAgreeAndTheDigestIsFNV1a(t *testing.T) {
	path := mapfileInput(t, 1<<20)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := fnv.New64a()
	h.Write(b)
	lines := uint64(0)
	for _, c := range b {
		if c == '\n' {
			lines++
		}
	}
	want := fileSum{uint64(len(b)), lines, h.Sum64()}
	for name, fn := range map[string]func() (fileSum, error){
		"sumWhole":     func() (fileSum, error) { return sumWhole(path) },
		"sumMap":       func() (fileSum, error) { return sumMap(path) },
		"sumStream 64": func() (fileSum, error) { return sumStream(path, 64) },
		"sumStream":    func() (fileSum, error) { return sumStream(path, mapfileBuf) },
	} {
		if got, err := fn(); err != nil || got != want {
			t.Errorf("%s: %+v, %v; expected %+v", name, got, err, want)
		}
	}
}

func TestAnEmptyFileMapsNothingAndAMissingOneIsAnError(t *testing.T) {
	path := mapfileInput(t, 0)
	if s, err := sumMap(path); err != nil || s.bytes != 0 || s.digest != fnvStart {
		t.Errorf("an empty file: %+v, %v", s, err)
	}
	for _, fn := range []func(string) (fileSum, error){sumWhole, sumMap,
		func(p string) (fileSum, error) { return sumStream(p, mapfileBuf) }} {
		if _, err := fn("/nonexistent/file"); !os.IsNotExist(err) {
			t.Errorf("a missing file: %v, expected it not to exist", err)
		}
	}
}
