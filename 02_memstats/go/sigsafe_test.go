// The Go twin of test_sigsafe.c. Go code runs in no signal handler: the receiver of
// signal.Notify's channel is an ordinary goroutine, so it allocates as any goroutine does,
// while another goroutine allocates in a loop, and nothing waits for ever. Exact: a signal
// sent and received costs the receiver's one 64-byte record and nothing else, and every
// paced signal arrives. Within bounds: a burst arrives as at least one signal and at most
// as many as were sent (the runtime keeps one pending signal of each number, and the
// channel holds one). Go 1.19 and 1.24.
package main

import (
	"testing"
	"time"
)

func TestASignalReceivedThroughNotifyCostsTheReceiversRecordAlone(t *testing.T) {
	r := signals(200, 20*time.Second)
	if !r.finished {
		t.Fatalf("200 signals each way did not finish in 20 s")
	}
	if r.perSignal != 1 || r.bytes != recordBytes {
		t.Errorf("a signal sent and received: %d allocations of %d B, expected 1 of %d B (the receiver's "+
			"record: kill, the runtime's handler and the channel allocate nothing)", r.perSignal, r.bytes, recordBytes)
	}
	if r.paced != 200 {
		t.Errorf("200 signals sent one at a time, each waited for: %d received, expected all", r.paced)
	}
	if r.burst < 1 || r.burst > 200 {
		t.Errorf("200 signals in a burst: %d received, expected 1 to 200", r.burst)
	}
	if r.loopAllocs < 1 {
		t.Errorf("the allocating goroutine made %d allocations meanwhile, expected some", r.loopAllocs)
	}
}
