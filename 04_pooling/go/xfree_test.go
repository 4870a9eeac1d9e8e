package pooling

import (
	"runtime"
	"runtime/debug"
	"testing"
	"unsafe"
)

// A message freed by another thread, in Go: a producer goroutine allocates n messages and
// sends them over a channel; a consumer goroutine receives each and drops it. Neither
// frees anything (Go has no free): MemStats.Mallocs rises by n, Frees does not move and
// HeapObjects keeps them, until a collection finds them unreachable and the sweeper frees
// them. The collector is off while the goroutines run (SetGCPercent(-1)), so that the only
// collection is the test's own runtime.GC().

const xfreeN = 1000

type xfreeMsg struct {
	seq     int
	payload [56]byte
}

// xfreeRun: the producer and the consumer, n messages through an unbuffered channel;
// returns when the consumer has dropped the last one.
func xfreeRun(n int) {
	ch := make(chan *xfreeMsg)
	done := make(chan struct{})
	go func() {
		for m := range ch {
			m.payload[0] = byte(m.seq) // used, then dropped
		}
		close(done)
	}()
	for i := 0; i < n; i++ {
		ch <- &xfreeMsg{seq: i}
	}
	close(ch)
	<-done
}

// The runtime's own allocations in a run: the two channels and the consumer's goroutine
// (a goroutine is taken from a free list when there is one); measured 5 to 7 on Go 1.19;
// 16 leaves room for Go 1.24.
const xfreeRuntimeSlack = 16

func TestXFreeNoGoroutineFreesTheCollectorDoes(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	xfreeRun(xfreeN) // warm-up: the goroutine's stack and the channels' first use
	runtime.GC()
	var before, sent, swept runtime.MemStats
	runtime.ReadMemStats(&before)
	xfreeRun(xfreeN)
	runtime.ReadMemStats(&sent)
	runtime.GC()
	runtime.ReadMemStats(&swept)
	mallocs := sent.Mallocs - before.Mallocs
	freesSent := sent.Frees - before.Frees
	live := int64(sent.HeapObjects) - int64(before.HeapObjects)
	freesGC := swept.Frees - sent.Frees
	t.Logf("%s: a producer goroutine sends %d messages of %d B, a consumer drops each",
		runtime.Version(), xfreeN, unsafe.Sizeof(xfreeMsg{}))
	t.Logf("after the consumer dropped them: Mallocs +%d (n and the runtime's own: %v),",
		mallocs, mallocs >= xfreeN && mallocs <= xfreeN+xfreeRuntimeSlack)
	t.Logf("  Frees +%d, HeapObjects +%d (all n still counted: %v)", freesSent, live,
		live >= xfreeN)
	t.Logf("after runtime.GC(): Frees +%d (at least n: %v)", freesGC, freesGC >= xfreeN)
	if mallocs < xfreeN || mallocs > xfreeN+xfreeRuntimeSlack {
		t.Errorf("want Mallocs to rise by %d messages and at most %d of the runtime's, got %d",
			xfreeN, xfreeRuntimeSlack, mallocs)
	}
	if freesSent > xfreeRuntimeSlack || live < xfreeN {
		t.Errorf("want no message freed before a collection: Frees +%d, HeapObjects +%d",
			freesSent, live)
	}
	if freesGC < xfreeN {
		t.Errorf("want the collection to free every message: Frees +%d, want at least %d",
			freesGC, xfreeN)
	}
}
