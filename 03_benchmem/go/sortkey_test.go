package benchmem

import (
	"runtime"
	"sort"
	"strings"
	"testing"

	"allocaware.local/measure"
)

// A comparator that allocates, in Go: the same words sorted three ways with sort.Slice.
// measure.PerRun counts each sort's allocations (a copy of the words into a slice made
// beforehand, then the sort: the copy allocates nothing). What sort.Slice allocates for
// itself is measured on its own, for each element type: the in-place sort of the []string,
// and a sort of the pairs already made, by an allocation-free less. The other counts less
// that are their comparators' and keys' own, worked out from what the sorts counted.

func TestSortKeyAllocatesPerComparisonWhenTheLessFunctionLowersBothSides(t *testing.T) {
	const runs = 2
	t.Logf("%s, measure.PerRun(%d), allocations per sort:", runtime.Version(), runs)
	t.Logf("  %-24s %6s %12s %9s %8s %9s", "", "words", "comparisons", "per word", "allocs", "per word")
	for _, lower := range []bool{false, true} {
		for _, n := range []int{1000, 2000, 4000} {
			if lower && n > 1000 {
				break // already lower case: one size shows it
			}
			words := sortWords(n, 1)
			if lower {
				for i, w := range words {
					words[i] = strings.ToLower(w)
				}
			}
			buf := make([]string, n)
			var ce, ck, cf sortCounts
			ae, _ := measure.PerRun(runs, func() { copy(buf, words); ce = sortLowerEachCompare(buf) })
			ak, _ := measure.PerRun(runs, func() { copy(buf, words); ck = sortKeyedOnce(buf) })
			af, _ := measure.PerRun(runs, func() { copy(buf, words); cf = sortFoldInPlace(buf) })
			pairs := make([]keyedWord, n)
			for i, w := range words {
				pairs[i] = keyedWord{strings.ToLower(w), w}
			}
			pbuf := make([]keyedWord, n)
			ap, _ := measure.PerRun(runs, func() {
				copy(pbuf, pairs)
				sort.Slice(pbuf, func(i, j int) bool { return pbuf[i].key < pbuf[j].key })
			})
			if lower && n == 1000 {
				t.Logf("the same words, already lower case: strings.ToLower returns its argument")
			}
			row := func(name string, c sortCounts, a uint64) {
				t.Logf("  %-24s %6d %12d %9.2f %8d %9.2f", name, n, c.compares,
					float64(c.compares)/float64(n), a, float64(a)/float64(n))
			}
			row("ToLower in less", ce, ae)
			row("keys made once", ck, ak)
			row("compared in place", cf, af)

			// sort.Slice's own: a few, whatever n (on Go 1.19 and 1.24, 2 for a []string and
			// 3 for the pairs); the bound makes sure that nothing per word hides in them.
			if af > 3 || ap > 3 {
				t.Errorf("%s, %d words: sort.Slice alone: want at most 3 allocations, got %d ([]string) and %d (pairs)", runtime.Version(), n, af, ap)
			}
			if n == 1000 && !lower {
				t.Logf("sort.Slice's own allocations, an allocation-free less: %d for a []string, %d for a []keyedWord", af, ap)
			}
			// ToLower in less: one new string per call whose argument holds an upper-case
			// letter, none for a word already lower case; same comparisons as in place
			// (pdqsort's choices follow the answers, and the order is the same).
			if ce.compares != cf.compares || ae != af+uint64(ce.lowersWithUpper) {
				t.Errorf("%s, %d words: ToLower in less: want %d comparisons and %d + %d allocations, got %d and %d",
					runtime.Version(), n, cf.compares, af, ce.lowersWithUpper, ce.compares, ae)
			}
			if lower != (ce.lowersWithUpper == 0) || (!lower && ce.lowersWithUpper < ce.compares) {
				t.Errorf("%d words: %d of the lowering calls had an upper-case letter, in %d comparisons", n, ce.lowersWithUpper, ce.compares)
			}
			// keys made once: the slice of pairs and one string per word with an upper-case letter.
			if ak != ap+1+uint64(ck.lowersWithUpper) {
				t.Errorf("%s, %d words: keys made once: want %d + 1 + %d allocations, got %d",
					runtime.Version(), n, ap, ck.lowersWithUpper, ak)
			}
		}
	}
}

// The three sorts give one order, the order of sortkey.h, on the words C makes.
func TestSortKeyThreeWaysGiveOneOrder(t *testing.T) {
	// sortkey_words(&v, 5, 1) in C makes these: the same generator
	if got, want := strings.Join(sortWords(5, 1), " "), "qZyzlS kggd AUOsfbt ZRYzAP cRRe"; got != want {
		t.Fatalf("sortWords(5, 1) = %q, want C's %q", got, want)
	}
	words := sortWords(3000, 5)
	a := append([]string(nil), words...)
	b := append([]string(nil), words...)
	c := append([]string(nil), words...)
	sortLowerEachCompare(a)
	sortKeyedOnce(b)
	sortFoldInPlace(c)
	for i := range a {
		if a[i] != c[i] || b[i] != c[i] {
			t.Fatalf("at %d: %q, %q, %q", i, a[i], b[i], c[i])
		}
		if i > 0 && foldCompare(c[i-1], c[i]) > 0 {
			t.Fatalf("at %d: %q before %q", i, c[i-1], c[i])
		}
	}
}
