// The Go twin of test_hugepage.c, within bounds: the runtime runs beside the writes (its
// background work faults and writes pages of the same mappings now and then), and where
// the slice starts within a span is the heap's to choose. One byte written per span takes
// a fault a span, give or take a few of the runtime's; H, its spans mapped with a huge
// page, is at most the spans that lie whole in the slice (all of them but the first when
// it does not start at a span), and none in mode never; Rss grows by H huge pages and a
// page for each other span written, give or take the runtime's few pages.
package main

import (
	"runtime"
	"testing"
)

// hugeSlack is the runtime's own: faults and bytes it may add to the same mappings.
const (
	hugeSlackFaults = 16
	hugeSlackBytes  = 1 << 20
)

func TestOneByteASpanFaultsOnceASpanAndRssFollowsTheHugePages(t *testing.T) {
	const spans = 8
	span := hugeSpan()
	f, err := hugeMeasure(spans, span)
	if err != nil {
		t.Fatal(err)
	}
	whole := uint64(spans)
	if f.offset != 0 {
		whole-- // the first span is cut by the slice's start: never a huge page of its own
	}
	h := f.huge()
	if f.anonHuge%uint64(span) != 0 || h > whole {
		t.Errorf("AnonHugePages %d B: expected whole huge pages, at most %d, saw H = %d", f.anonHuge, whole, h)
	}
	if mode := thpMode(); (mode == "never" || mode == "missing") && h != 0 {
		t.Errorf("mode %s: no huge page, saw %d", mode, h)
	}
	if f.faults+1 < spans || f.faults > spans+hugeSlackFaults {
		t.Errorf("%d faults, expected one a span (%d), give or take the runtime's", f.faults, spans)
	}
	page := uint64(4096)
	least := h*uint64(span) + (spans-1-h)*page
	if f.rss < least || f.rss > least+page+hugeSlackBytes {
		t.Errorf("Rss grew by %d B, expected H x %d + (%d - H) x %d = %d B and up to %d B more",
			f.rss, span, spans, page, least+page, hugeSlackBytes)
	}
	t.Logf("%s: mode %s, H = %d of %d, %d faults, Rss +%d B, the slice %d B into a span",
		runtime.Version(), thpMode(), h, spans, f.faults, f.rss, f.offset)
}
