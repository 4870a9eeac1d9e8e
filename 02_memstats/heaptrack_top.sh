#!/usr/bin/env bash
# heaptrack_top.sh: heaptrack on lesson 02's heavy side (make heaptrack-02).
#
#   02_memstats/heaptrack_top.sh BUILD_DIR/02_memstats [N]
#
# Records the plain build of `main --heavy N` (glibc's malloc, so heaptrack's preloaded
# one is called: a program that defines malloc itself, as countalloc does, would hide
# every call) and prints heaptrack_print's top sites by calls to allocation functions,
# by peak consumption and by temporary allocations, each reduced to the allocating line,
# then its summary. The whole record: heaptrack_print FILE, or heaptrack_gui FILE.
set -euo pipefail
# One run of the job (report.h would time repeats in forked children, recorded too).
export REPORT_RUNS=1
build=${1:?usage: heaptrack_top.sh BUILD_DIR/02_memstats [N]}
n=${2:-20000}
command -v heaptrack >/dev/null || { echo "heaptrack: heaptrack is missing (make deps)" >&2; exit 2; }

rm -f "$build"/heaptrack.heavy.*
heaptrack -o "$build/heaptrack.heavy" "$build/plain/main" --heavy "$n" >"$build/heaptrack.log" 2>&1 ||
    { cat "$build/heaptrack.log" >&2; exit 1; }
file=$(ls "$build"/heaptrack.heavy.* | head -1)
echo "== heaptrack_print -a -p -T -n 3 $file (callers cut, modules dropped)"
heaptrack_print -a -p -T -n 3 -f "$file" | awk '
    /^reading file|^Debuggee|^finished reading/ { next }
    / from:$/ { skip = 1; next }          # the callers of an entry
    skip && /^$/ { skip = 0 }
    skip { next }
    /^  in / { next }
    { print }' | cat -s
