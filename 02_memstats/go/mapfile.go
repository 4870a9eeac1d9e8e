// The Go twin of mapfile.h: one job (count the lines, fold the bytes into FNV-1a) on a
// whole file three ways. os.ReadFile allocates a []byte of the file's size; syscall.Mmap
// maps it and allocates no Go heap for the bytes; a bufio.Reader reads it through a
// buffer of a fixed size. `go run . -mapfile` prints what each costs per call.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"syscall"
)

// mapfileBuf is the bufio.Reader's size, the C side's MAPFILE_BUF.
const mapfileBuf = 64 << 10

// fileSum is the job's result, as struct mapfile_sum.
type fileSum struct {
	bytes, lines uint64
	digest       uint64
}

// fnvFold folds p into the digest a byte at a time: FNV-1a, as common/hash.h's hash_fnv
// (hash/fnv's New64a would allocate its state behind an interface).
func fnvFold(h uint64, p []byte) uint64 {
	for _, c := range p {
		h = (h ^ uint64(c)) * 0x100000001b3
	}
	return h
}

const fnvStart = 0xcbf29ce484222325

func (s *fileSum) fold(p []byte) {
	s.bytes += uint64(len(p))
	s.digest = fnvFold(s.digest, p)
	for _, c := range p {
		if c == '\n' {
			s.lines++
		}
	}
}

// sumWhole: os.ReadFile, the whole file in one []byte.
func sumWhole(path string) (fileSum, error) {
	s := fileSum{digest: fnvStart}
	b, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	s.fold(b)
	return s, nil
}

// sumMap: syscall.Mmap of the file's size, read-only; an empty file maps nothing.
func sumMap(path string) (fileSum, error) {
	s := fileSum{digest: fnvStart}
	f, err := os.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return s, err
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return s, err
	}
	s.fold(b)
	return s, syscall.Munmap(b)
}

// sumStream: a bufio.Reader of size bytes; ReadSlice returns a line (or a full buffer of
// one) inside the reader's buffer, without copying it out.
func sumStream(path string, size int) (fileSum, error) {
	s := fileSum{digest: fnvStart}
	f, err := os.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, size)
	for {
		line, err := r.ReadSlice('\n')
		s.fold(line)
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case err == io.EOF:
			return s, nil
		default:
			return s, err
		}
	}
}

// makeFile writes n bytes of lines (the C side's pattern) into a new file in dir.
func makeFile(dir string, n int) (string, error) {
	f, err := os.CreateTemp(dir, "mapfile-go-")
	if err != nil {
		return "", err
	}
	w := bufio.NewWriter(f)
	letters := "the quick brown fox jumps over the lazy dog, and back again: "
	for i, left := 0, n; left > 0; i++ {
		line := fmt.Sprintf("%08d %s\n", i, letters[:i*7%61])
		if len(line) > left {
			line = line[:left]
		}
		w.WriteString(line)
		left -= len(line)
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// leastCost is what one call of f allocates: perObject's least over leastOf runs of one
// call, without the runtime's background work landing in a run.
func leastCost(f func()) heapCost {
	return perObject(1, func(int) { f() })
}

// mapfileTable makes a file of kib KiB, then prints what each way allocates per call
// (leastCost: TotalAlloc and Mallocs, the collector off) and its result.
func mapfileTable(kib int) {
	dir := os.Getenv("TMPDIR")
	if dir == "" {
		dir = "/var/tmp"
	}
	path, err := makeFile(dir, kib<<10)
	if err != nil {
		fmt.Fprintln(os.Stderr, "02_memstats: making the file:", err)
		os.Exit(1)
	}
	defer os.Remove(path)
	fmt.Printf("02_memstats, Go twin (%s): one job three ways on a file of %s KiB\n",
		runtime.Version(), commas(uint64(kib)))
	fmt.Printf("  %-30s %8s %14s  %s\n", "way", "allocs", "bytes", "result")
	ways := []struct {
		name string
		fn   func() (fileSum, error)
	}{
		{"os.ReadFile", func() (fileSum, error) { return sumWhole(path) }},
		{"syscall.Mmap", func() (fileSum, error) { return sumMap(path) }},
		{"bufio.NewReaderSize(f, 64 KiB)", func() (fileSum, error) { return sumStream(path, mapfileBuf) }},
	}
	open := leastCost(func() {
		f, _ := os.Open(path)
		f.Stat()
		f.Close()
	})
	fmt.Printf("  %-30s %8.0f %14s\n", "(os.Open, Stat and Close alone)", open.allocs, commas(uint64(open.bytes)))
	var first fileSum
	for i, w := range ways {
		s, err := w.fn()
		if err != nil {
			fmt.Fprintf(os.Stderr, "02_memstats: %s: %v\n", w.name, err)
			os.Exit(1)
		}
		if i == 0 {
			first = s
		}
		c := leastCost(func() { w.fn() })
		same := "the same"
		if s != first {
			same = "DIFFERENT (a bug)"
		}
		fmt.Printf("  %-30s %8.0f %14s  %s\n", w.name, c.allocs, commas(uint64(c.bytes)), same)
	}
	fmt.Printf("  %s lines, digest %016x\n", commas(first.lines), first.digest)
}
