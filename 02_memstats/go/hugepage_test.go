// The Go twin of test_hugepage.c, within bounds: the runtime runs beside the writes (its
// background work faults and writes pages of the same mappings now and then), and where
// the slice starts within a span is the heap's to choose. The slice is made in a fresh
// process (this test binary run again for TestHugepageChild alone): in this one, the heap
// the other tests freed would be reused, already resident. One byte written per span
// takes a fault a span, give or take a few of the runtime's; H, its spans mapped with a
// huge page, is at most the spans that lie whole in the slice (all of them but the first
// when it does not start at a span), and none in mode never; Rss grows by H huge pages
// and a page for each other span written, give or take the runtime's few pages. Measured:
// in mode madvise, H is every whole span on Go 1.19 and 0 on Go 1.24.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// hugeSlack is the runtime's own: faults and bytes it may add to the same mappings.
const (
	hugeSlackFaults = 16
	hugeSlackBytes  = 1 << 20
	hugeTestSpans   = 8
	hugeChildEnv    = "HUGEPAGE_TEST_CHILD"
)

// TestHugepageChild measures, when run as the child, and prints the figures on a line.
func TestHugepageChild(t *testing.T) {
	if os.Getenv(hugeChildEnv) != "1" {
		t.Skip("the child of TestOneByteASpanFaultsOnceASpanAndRssFollowsTheHugePages")
	}
	f, err := hugeMeasure(hugeTestSpans, hugeSpan())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("figures %d %d %d %d %d\n", f.faults, f.rss, f.anonHuge, f.offset, f.mappings)
}

func TestOneByteASpanFaultsOnceASpanAndRssFollowsTheHugePages(t *testing.T) {
	const spans = hugeTestSpans
	span := hugeSpan()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHugepageChild$", "-test.v")
	cmd.Env = append(os.Environ(), hugeChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child: %v\n%s", err, out)
	}
	f := hugeFigures{spans: spans, span: span}
	var at int
	for at = 0; at < len(out); at++ {
		if n, _ := fmt.Sscanf(string(out[at:]), "figures %d %d %d %d %d", &f.faults, &f.rss,
			&f.anonHuge, &f.offset, &f.mappings); n == 5 {
			break
		}
	}
	if at == len(out) {
		t.Fatalf("the child printed no figures:\n%s", out)
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
