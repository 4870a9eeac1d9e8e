#!/usr/bin/env bash
# pprof.sh: Go's per-site heap profile of lesson 02's Go twin, beside the C site report,
# DHAT and heaptrack (make pprof-02).
#
#   02_memstats/pprof.sh [alloc_space|inuse_space|alloc_objects|inuse_objects] [N]
#
# Runs the twin's BuildDrop benchmarks N times each (default 100) with every allocation
# sampled (-memprofilerate 1), the GC off (GOGC=off) and one P (-cpu 1), so that the
# figures are the job's and the same on every run; then `go tool pprof -top` on the
# profile. The test binary and mem.prof go to build/go/02_memstats/, not into the tree.
#   alloc_space    every byte allocated, by site (TotalAlloc per line; DHAT's Total)
#   inuse_space    what was live at the last GC, by site (the site report's "live")
set -euo pipefail
cd "$(dirname "$0")/.."
index=${1:-alloc_space}
n=${2:-100}
case "$index" in
alloc_space | inuse_space | alloc_objects | inuse_objects) ;;
*) echo "pprof.sh: index: expected alloc_space, inuse_space, alloc_objects or inuse_objects, not '$index'" >&2; exit 2 ;;
esac
[[ "$n" =~ ^[1-9][0-9]{0,5}$ ]] || { echo "pprof.sh: N: expected runs per benchmark from 1 to 999999, not '$n'" >&2; exit 2; }
out=$PWD/build/go/02_memstats
mkdir -p "$out"

echo "== go test -run '^\$' -bench BuildDrop -benchmem -benchtime ${n}x -cpu 1 -memprofilerate 1 -memprofile mem.prof (GOGC=off)"
# the goos/goarch/pkg/cpu header names the machine; the figures do not depend on it
GOGC=off tools/go.sh 02_memstats bench -bench BuildDrop -benchtime "${n}x" -cpu 1 \
    -memprofilerate 1 -memprofile "$out/mem.prof" -o "$out/02_memstats.test" |
    grep -Ev '^(goos|goarch|pkg|cpu):'
echo
echo "== go tool pprof -top -focus BuildDrop -relative_percentages -sample_index=$index 02_memstats.test mem.prof"
# -focus: only the benchmarks' samples, not the test framework's. Left out: the Time:
# line (when the profile was written) and the Build ID: line newer Go prints (the binary's)
go tool pprof -top -focus BuildDrop -relative_percentages -sample_index="$index" "$out/02_memstats.test" "$out/mem.prof" 2>&1 |
    grep -Ev '^(Time|Build ID):'
