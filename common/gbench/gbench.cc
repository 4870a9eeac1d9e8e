// gbench.cc: the loops of harness.c (BenchmarkEmpty and BenchmarkMalloc1024), timed by
// Google Benchmark instead of common/bench, as an independent check of the harness (make
// honest). Linked with the same counting allocator as harness.c, so both harnesses time
// the same malloc: what differs is only the harness.
#include <benchmark/benchmark.h>

#include <cstdlib>

// malloc(1024)+free; DoNotOptimize keeps the pair, as bench_keep does in bench.c. The
// setup is bench.c's too: a fence block keeps the freed block out of the heap's top.
static void BM_Malloc1024(benchmark::State &state)
{
    void *first = std::malloc(1024), *fence = std::malloc(16);

    if (first == nullptr || fence == nullptr) {
        state.SkipWithError("out of memory");
        return;
    }
    std::free(first);
    for (auto _ : state) {
        void *p = std::malloc(1024);
        benchmark::DoNotOptimize(p);
        std::free(p);
    }
    std::free(fence);
}
BENCHMARK(BM_Malloc1024);

// The loop alone, with a compiler barrier as bench.c's bench_keep(b) has.
static void BM_Empty(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::ClobberMemory();
}
BENCHMARK(BM_Empty);

BENCHMARK_MAIN();
