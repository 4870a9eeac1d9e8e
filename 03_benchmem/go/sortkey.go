package benchmem

// A comparator that allocates, in Go: the same words sorted case-insensitively with
// sort.Slice three ways, each comparison counted. The twin of sortkey.h and
// demo/sortkey.c; its tests are in sortkey_test.go.

import (
	"sort"
	"strings"
)

// sortWords is sortkey_words: n words of 3 to 8 letters, each a-z in upper or lower case
// at random, from the same xorshift64* (common/shuffle.h) and seed, so the same words as C's.
func sortWords(n int, seed uint64) []string {
	r := seed ^ 0x9e3779b97f4a7c15
	if r == 0 {
		r = 1
	}
	next := func() uint64 {
		r ^= r >> 12
		r ^= r << 25
		r ^= r >> 27
		return r * 2685821657736338717
	}
	words := make([]string, n)
	for i := range words {
		b := make([]byte, 3+next()%6)
		for j := range b {
			x := next()
			if (x>>8)%2 == 1 {
				b[j] = byte('A' + x%26)
			} else {
				b[j] = byte('a' + x%26)
			}
		}
		words[i] = string(b)
	}
	return words
}

// sortCounts is what a sort counted: comparisons, and the calls to strings.ToLower whose
// argument held an upper-case letter (the calls that make a new string).
type sortCounts struct {
	compares, lowersWithUpper int
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// foldCompare is strcasecmp then strcmp, on ASCII letters: no copy.
func foldCompare(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return int(x) - int(y)
		}
	}
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// sortLowerEachCompare: the less function lowers both sides, strings.ToLower(a) <
// strings.ToLower(b), ties by the bytes.
func sortLowerEachCompare(words []string) sortCounts {
	var c sortCounts
	sort.Slice(words, func(i, j int) bool {
		c.compares++
		a, b := words[i], words[j]
		if hasUpper(a) {
			c.lowersWithUpper++
		}
		if hasUpper(b) {
			c.lowersWithUpper++
		}
		la, lb := strings.ToLower(a), strings.ToLower(b)
		if la != lb {
			return la < lb
		}
		return a < b
	})
	return c
}

// keyedWord is a word with its key, made once.
type keyedWord struct {
	key, word string
}

// sortKeyedOnce: each word lowered once into a slice of pairs, the pairs sorted by key,
// the words put back (Python's key=).
func sortKeyedOnce(words []string) sortCounts {
	var c sortCounts
	ps := make([]keyedWord, len(words))
	for i, w := range words {
		if hasUpper(w) {
			c.lowersWithUpper++
		}
		ps[i] = keyedWord{strings.ToLower(w), w}
	}
	sort.Slice(ps, func(i, j int) bool {
		c.compares++
		if ps[i].key != ps[j].key {
			return ps[i].key < ps[j].key
		}
		return ps[i].word < ps[j].word
	})
	for i := range ps {
		words[i] = ps[i].word
	}
	return c
}

// sortFoldInPlace: the less function compares in place, a byte at a time (foldCompare).
func sortFoldInPlace(words []string) sortCounts {
	var c sortCounts
	sort.Slice(words, func(i, j int) bool {
		c.compares++
		return foldCompare(words[i], words[j]) < 0
	})
	return c
}
