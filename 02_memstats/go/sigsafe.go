// The Go twin of sigsafe.h: Go code never runs in a signal handler. The runtime's own
// handler notes the signal and returns; signal.Notify's goroutine then sends it on a
// channel, and an ordinary goroutine receives it, where it may allocate, take locks,
// anything. A goroutine allocates in a loop all along; another sends SIGUSR1 to the
// process (syscall.Kill) n times; the receiver allocates a 64-byte record for each
// signal it gets. Paced (the sender waits for each record), every signal arrives;
// in a burst, the runtime and the channel (a buffer of one) coalesce them.
// `go run . -signals N` prints the table.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	toolbox "allocaware.local/measure"
)

const recordBytes = 64

// receiver gets SIGUSR1 through signal.Notify and keeps a record for each signal.
type receiver struct {
	ch      chan os.Signal
	ack     chan struct{} // one per record kept
	records [][]byte
}

var sinkLoop []byte

func newReceiver(max int) *receiver {
	r := &receiver{ch: make(chan os.Signal, 1), ack: make(chan struct{}, max+1),
		records: make([][]byte, 0, max+1)}
	signal.Notify(r.ch, syscall.SIGUSR1)
	go func() {
		for range r.ch {
			r.records = append(r.records, make([]byte, recordBytes)) // an allocation a signal
			r.ack <- struct{}{}
		}
	}()
	return r
}

func (r *receiver) stop() {
	signal.Stop(r.ch)
	close(r.ch)
}

func kill() {
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		panic(err)
	}
}

// roundTrip sends one signal and waits for its record.
func (r *receiver) roundTrip() {
	kill()
	<-r.ack
}

// signalsRun is what one run measured.
type signalsRun struct {
	perSignal, bytes uint64 // the round trip's allocations and bytes (toolbox.PerRun)
	paced, burst     int    // signals received of n sent, paced and in a burst
	loopAllocs       int64  // the loop goroutine's allocations meanwhile
	finished         bool   // everything within the deadline
}

// signals runs it all with n signals each way, giving up after deadline.
func signals(n int, deadline time.Duration) signalsRun {
	var out signalsRun
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := newReceiver(2*n + 1)
		defer r.stop()
		out.perSignal, out.bytes = toolbox.PerRun(n/4+1, r.roundTrip)
		var stop atomic.Bool
		var loops atomic.Int64
		go func() {
			for !stop.Load() {
				sinkLoop = make([]byte, 4000)
				loops.Add(1)
			}
		}()
		for loops.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		start := len(r.records)
		for i := 0; i < n; i++ {
			r.roundTrip()
		}
		out.paced = len(r.records) - start
		start = len(r.records)
		for i := 0; i < n; i++ {
			kill()
		}
		// the last signal sent is pending or delivered; one more round trip is the mark
		// that everything before it has been received
		time.Sleep(20 * time.Millisecond)
		for len(r.ack) > 0 {
			<-r.ack
		}
		out.burst = len(r.records) - start
		stop.Store(true)
		out.loopAllocs = loops.Load()
	}()
	select {
	case <-done:
		out.finished = true
	case <-time.After(deadline):
	}
	return out
}

func signalsTable(n int) {
	r := signals(n, 30*time.Second)
	fmt.Printf("02_memstats, Go twin (%s): SIGUSR1 through signal.Notify, received by a goroutine\n"+
		"that allocates a %d-byte record a signal, while another goroutine allocates 4,000 B in a loop\n",
		runtime.Version(), recordBytes)
	fmt.Printf("  a signal sent and its record made (toolbox.PerRun): %d allocation, %d B\n", r.perSignal, r.bytes)
	fmt.Printf("  paced, each waited for:   %s sent, %s received\n", commas(uint64(n)), commas(uint64(r.paced)))
	fmt.Printf("  a burst, none waited for: %s sent, %s received (coalesced)\n", commas(uint64(n)), commas(uint64(r.burst)))
	fmt.Printf("  the loop's allocations meanwhile: %s; finished: %v\n", commas(uint64(r.loopAllocs)), r.finished)
}
