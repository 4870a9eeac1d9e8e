// Package strbuild is lesson 05 in Go: joining n parts into one string, the ways of
// heavy.c and light.c where Go has them. Every way returns the same string.
//
//	concat     s += part: a new string and a full copy of s per part (heavy_concat)
//	builder    strings.Builder: grows by append's policy (light_builder)
//	appendAll  append to a nil []byte: also append's policy, not an exact-size
//	           reallocation per part as heavy_realloc's (Go has no such call)
//	reserve    strings.Builder with Grow(total) first: one allocation (light_reserve)
//	sprintf    s = fmt.Sprintf("%s%s", s, part): formats all of s again (heavy_asprintf)
//	buffer     bytes.Buffer, then String(): a growing buffer and one copy out
//	           (light_memstream)
//
// The tests pin every count; Go 1.19 and Go 1.24 give the same ones.
package strbuild

import (
	"bytes"
	"fmt"
	"strings"
)

// makeParts returns n parts of size bytes, part i made of the letters from 'a'+i on,
// as strbuild_parts_make does.
func makeParts(n, size int) []string {
	parts := make([]string, n)
	b := make([]byte, size)
	for i := range parts {
		for j := range b {
			b[j] = byte('a' + (i+j)%26)
		}
		parts[i] = string(b)
	}
	return parts
}

// total is the length of all parts joined.
func total(parts []string) int {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return n
}

// concat is the trap: Go strings are immutable, so each += allocates len(s)+len(part)
// bytes and copies both. The first += onto "" returns part itself: no allocation.
func concat(parts []string) string {
	s := ""
	for _, p := range parts {
		s += p
	}
	return s
}

// builder appends into one buffer that grows geometrically; String() hands that buffer
// over as the string, without a copy.
func builder(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p)
	}
	return b.String()
}

// appendAll appends to a nil slice: each growth allocates a larger array by append's
// policy (double while small, then about 1.25x) and copies into it.
func appendAll(parts []string) []byte {
	var s []byte
	for _, p := range parts {
		s = append(s, p...)
	}
	return s
}

// reserve sizes the builder first: exactly one allocation.
func reserve(parts []string) string {
	var b strings.Builder
	b.Grow(total(parts))
	for _, p := range parts {
		b.WriteString(p)
	}
	return b.String()
}

// sprintf formats s again for every part: a new string per part, plus the boxing of
// its arguments into the interfaces fmt takes.
func sprintf(parts []string) string {
	s := ""
	for _, p := range parts {
		s = fmt.Sprintf("%s%s", s, p)
	}
	return s
}

// buffer writes into a bytes.Buffer; String() copies the bytes out into a new string.
func buffer(parts []string) string {
	var b bytes.Buffer
	for _, p := range parts {
		b.WriteString(p)
	}
	return b.String()
}
