// Lesson 01's job in Go, mirroring heavy.c and light.c: read lines "user,bytes" and
// collect the fields, the bytes into a slice and the users into a digest.
//
//	heavy: a new string per line (bufio.Reader.ReadString), a copy of every first field
//	       (strings.Clone), the slice grown by exactly one element per line: 3
//	       allocations per line, like heavy.c's getline, strndup and realloc.
//	light: one buffer for the whole stream (bufio.Scanner), the first field read in
//	       place (a subslice), the slice grown by append: a few dozen in all.
package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

const digestStart = 0xcbf29ce484222325 // FNV-1a's offset basis, as in common/hash.h

// Fields is what both sides collect, as struct fields does in basics.h.
type Fields struct {
	Bytes []int64 // the second field of every line, in order (0 if it has none)
	Users uint64  // FNV-1a digest of every first field, in order
}

// bytesOf is the second field of line i, as basics_bytes_of.
func bytesOf(i int) int64 { return int64(i * 7919 % 100000) }

// makeInput is the text basics_make_input makes: n lines "user%06d,%d\n".
func makeInput(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "user%06d,%d\n", i%1000, bytesOf(i))
	}
	return b.String()
}

// digest folds the bytes of s into the FNV-1a digest h: a string or a []byte, read
// where it lies.
func digest[T string | []byte](h uint64, s T) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 0x100000001b3 // FNV-1a's 64-bit prime
	}
	return h
}

// parseInt reads a decimal number, strtoll's job for well-formed input; no allocation
// (strconv.ParseInt(string(b)) would copy b into a string first).
func parseInt[T string | []byte](s T) int64 {
	var v int64
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		v = v*10 + int64(s[i]-'0')
	}
	return v
}

// split cuts a line at its first comma: the user and the bytes field.
func split[T string | []byte](line T) (user, rest T) {
	for i := 0; i < len(line); i++ {
		if line[i] == ',' {
			return line[:i], line[i+1:]
		}
	}
	return line, line[len(line):]
}

// pushByOne appends x with a new backing array of exactly len + 1 elements, C's
// realloc to len + 1 (VEC_BY_ONE): one allocation and a full copy per call. Go's own
// append never does this: it always grows geometrically.
func pushByOne(s []int64, x int64) []int64 {
	t := make([]int64, len(s)+1)
	copy(t, s)
	t[len(s)] = x
	return t
}

// heavyCollect: 3 allocations per line, plus bufio.Reader's buffer.
func heavyCollect(in io.Reader) (Fields, error) {
	f := Fields{Users: digestStart}
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadString('\n') // a new string for every line
		if line == "" && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return Fields{}, err
		}
		line = strings.TrimSuffix(line, "\n")
		user, rest := split(line)
		user = strings.Clone(user) // the field as a string of its own
		f.Users = digest(f.Users, user)
		f.Bytes = pushByOne(f.Bytes, parseInt(rest)) // a new array, len + 1
	}
	return f, nil
}

// lightCollect: the Scanner's buffer, reused for every line, and append's growth.
func lightCollect(in io.Reader) (Fields, error) {
	f := Fields{Users: digestStart}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := sc.Bytes()        // the same buffer for every line, valid until the next Scan
		user, rest := split(line) // the field in place: a subslice, no copy
		f.Users = digest(f.Users, user)
		f.Bytes = append(f.Bytes, parseInt(rest)) // geometric growth
	}
	return f, sc.Err()
}
