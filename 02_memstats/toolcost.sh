#!/usr/bin/env bash
# toolcost.sh: what each memory tool tells and what it costs, measured here (make
# toolcost-02). Every row runs `main --heavy N` (default 1,000,000 records); the slowdown
# is its wall time over the plain build's (glibc's malloc, nothing counted). The plain
# and counted runs take the median of 5; the tools one run each.
#
#   02_memstats/toolcost.sh BUILD_DIR/02_memstats [N]
set -euo pipefail
# One timed run of the job per process (report.h): every tool runs the same work.
export REPORT_RUNS=1
build=${1:?usage: toolcost.sh BUILD_DIR/02_memstats [N]}
n=${2:-1000000}
tmp=$build/toolcost
mkdir -p "$tmp"

# secs CMD...: wall seconds of one run, output discarded
secs() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "toolcost: '$*' failed" >&2; exit 1; }
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 1e9 }'
}
median5() { for _ in 1 2 3 4 5; do secs "$@"; done | sort -g | sed -n 3p; }

plain=$(median5 "$build/plain/main" --heavy "$n")
rows=()
row() { # row NAME TELLS SECONDS
    rows+=("$(awk -v name="$1" -v tells="$2" -v s="$3" -v p="$plain" \
        'BEGIN { printf "%-20s %9.3f s %8.1fx  %s", name, s, s / p, tells }')")
}
row "plain (glibc)" "nothing: the baseline" "$plain"
row "counting" "allocs, frees, bytes, heap now and peak (make run-02)" \
    "$(median5 "$build/main" --heavy "$n")"
row "site tracer" "the same per source line, snapshots, compare_to (--sites)" \
    "$(secs "$build/main" --heavy --sites "$n")"
row "massif" "heap over time, peak snapshot's call tree (make massif-02)" \
    "$(secs valgrind --tool=massif --time-unit=B --massif-out-file="$tmp/massif.out" "$build/plain/main" --heavy "$n")"
row "memcheck" "leaks and invalid accesses, total heap usage" \
    "$(secs valgrind --tool=memcheck --leak-check=full "$build/plain/main" --heavy "$n")"
row "DHAT" "per site: blocks, bytes, lifetimes, reads/writes (make dhat-02)" \
    "$(secs valgrind --tool=dhat --dhat-out-file="$tmp/dhat.out" "$build/plain/main" --heavy "$n")"
rm -f "$tmp"/heaptrack.*
row "heaptrack" "per site: calls, peak, temporary, leaked (make heaptrack-02)" \
    "$(secs heaptrack -o "$tmp/heaptrack" "$build/plain/main" --heavy "$n")"

printf 'main --heavy %s, wall time of one run; slowdown over the plain build\n\n' \
    "$(printf "%'d" "$n")"
printf '%-20s %11s %9s  %s\n' tool "time" slowdown "what it tells"
printf '%s\n' "${rows[@]}"
