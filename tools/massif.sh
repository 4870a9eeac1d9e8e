#!/usr/bin/env bash
# massif.sh: Valgrind massif on a lesson's heavy and light programs.
#
#   tools/massif.sh DIR BUILD_DIR [--plot] [ARGS...]
#
# Runs `BUILD_DIR/main --heavy ARGS` and `--light ARGS` under
# `valgrind --tool=massif --time-unit=B` (time measured in bytes allocated and freed, so
# the graph is the same on every run), prints each peak and the ratio, then ms_print's
# graph and the detailed snapshot at the peak. --plot also draws DIR/massif.png: heavy's
# and light's heap curves side by side (gnuplot), each on its own x axis. Under valgrind
# the program's own counts read 0: massif replaces malloc, the counting allocator's
# included.
set -euo pipefail
dir=${1:?usage: tools/massif.sh DIR BUILD_DIR [--plot] [ARGS...]}
build=${2:?usage: tools/massif.sh DIR BUILD_DIR [--plot] [ARGS...]}
shift 2
plot=0
if [ "${1:-}" = --plot ]; then plot=1; shift; fi
command -v valgrind >/dev/null || { echo "massif: valgrind is missing (make deps)" >&2; exit 2; }

# peak FILE: the largest mem_heap_B of any snapshot.
peak() { awk -F= '/^mem_heap_B=/ { if ($2 > m) m = $2 } END { print m + 0 }' "$1"; }
human() { numfmt --to=iec-i --suffix=B --format='%.1f' "$1" | sed 's/\([0-9]\)\([KMG]\)/\1 \2/'; }

for v in heavy light; do
    valgrind --tool=massif --time-unit=B --massif-out-file="$build/massif.$v.out" \
        "$build/main" --$v "$@" >/dev/null 2>"$build/massif.$v.log" ||
        { cat "$build/massif.$v.log" >&2; exit 1; }
done
h=$(peak "$build/massif.heavy.out")
l=$(peak "$build/massif.light.out")
echo "massif peak heap ($(basename "$dir"), time unit: bytes allocated and freed)"
printf '  heavy  %12s bytes  (%s)\n' "$(printf "%'d" "$h")" "$(human "$h")"
printf '  light  %12s bytes  (%s)\n' "$(printf "%'d" "$l")" "$(human "$l")"
if [ "$l" -gt 0 ]; then
    awk -v h="$h" -v l="$l" 'BEGIN { printf "  heavy/light  %.1fx\n", h / l }'
fi
for v in heavy light; do
    echo
    echo "== ms_print $build/massif.$v.out (graph, then the peak snapshot's tree)"
    ms_print "$build/massif.$v.out" | awk '
        /^ *[0-9.]+\^/ && !seen { graph = 1; seen = 1; print prev }
        graph { print; if ($0 ~ /\+-+>/) { graph = 0; axis = 1; next } }
        axis { print; axis = 0 }
        /^ Detailed snapshots:/ { match($0, /[0-9]+ \(peak\)/); peak = substr($0, RSTART, RLENGTH - 7) }
        peak != "" && $1 == peak && NF >= 6 { tree = 1; print ""; print "peak snapshot " peak ":"; n = 0; next }
        tree && /^-+$/ { tree = 0 }
        tree && n < 14 && NF { print; n++ }
        { prev = $0 }'
done
if [ "$plot" = 1 ]; then
    command -v gnuplot >/dev/null || { echo "massif: gnuplot is missing (make deps)" >&2; exit 2; }
    for v in heavy light; do
        awk -F= '/^time=/ { t = $2 } /^mem_heap_B=/ { print t, $2 }' "$build/massif.$v.out" >"$build/massif.$v.dat"
    done
    gnuplot <<GP
set terminal pngcairo size 1000,420 font ",10" noenhanced
set output "$dir/massif.png"
set multiplot layout 1,2 title "$(basename "$dir"): heap in use, massif --time-unit=B (x: bytes allocated and freed so far)"
set ylabel "heap in use"
set format x "%.1s%cB"
set format y "%.1s%cB"
set yrange [0:*]
set key top left
plot "$build/massif.heavy.dat" using 1:2 with steps lw 2 lc rgb "#c0392b" title "heavy"
plot "$build/massif.light.dat" using 1:2 with steps lw 2 lc rgb "#2471a3" title "light"
unset multiplot
GP
    echo
    echo "plot: $dir/massif.png"
fi
