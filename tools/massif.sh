#!/usr/bin/env bash
# massif.sh: Valgrind massif on a lesson's heavy and light programs.
#
#   tools/massif.sh DIR BUILD_DIR [--summary] [--plot] [ARGS...]
#
# Runs `BUILD_DIR/main --heavy ARGS` and `--light ARGS` under
# `valgrind --tool=massif --time-unit=B $MASSIF_OPTS` (time measured in bytes allocated
# and freed, so the figures are the same on every run), prints each side's peak snapshot
# (useful and extra heap), its most useful heap and its distance travelled, then
# ms_print's graphs (not with --summary). --plot also draws DIR/massif.png (tools/massif.gp):
# heavy and light side by side on the same axes, useful heap with malloc's extra heap
# stacked on it. `make massif-explain-NN` reads one side's whole ms_print output.
# Under valgrind the program's own counts read 0: massif replaces malloc, the counting
# allocator's included.
set -euo pipefail
usage="usage: tools/massif.sh DIR BUILD_DIR [--summary] [--plot] [ARGS...]"
bad() { echo "massif.sh: $1 ($usage)" >&2; exit 2; }
[ $# -ge 2 ] || bad "DIR and BUILD_DIR are missing"
dir=$1 build=$2
[ -d "$dir" ] || bad "DIR must be a lesson directory, got '$dir'"
[ -x "$build/main" ] || bad "BUILD_DIR must hold the lesson's built main, got '$build'"
shift 2
plot=0 summary=0
while [ $# -gt 0 ]; do
    case "$1" in
    --plot) plot=1 ;;
    --summary) summary=1 ;;
    *) break ;;
    esac
    shift
done
command -v valgrind >/dev/null || { echo "massif: valgrind is missing (make deps)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)

# figures FILE: the peak snapshot (massif's, marked heap_tree=peak: the largest total) and the snapshot with the most useful heap:
#   peak_n peak_time useful extra stacks max_useful max_useful_n last_time
figures() {
    awk -F= '
        /^snapshot=/ { n = $2 }
        /^time=/ { t[n] = $2; last = $2 }
        /^mem_heap_B=/ { u[n] = $2 }
        /^mem_heap_extra_B=/ { e[n] = $2 }
        /^mem_stacks_B=/ { s[n] = $2; tot = u[n] + e[n] + s[n]
            if (tot > best) { best = tot; p = n }
            if (u[n] > mu || (u[n] == mu && marked == n)) { mu = u[n]; mun = n } }
        /^heap_tree=peak/ { marked = n; if (u[n] == mu) mun = n }
        END { if (marked != "") p = marked
              print p + 0, t[p] + 0, u[p] + 0, e[p] + 0, s[p] + 0, mu + 0, mun + 0, last + 0 }' "$1"
}
human() { numfmt --to=iec-i --round=nearest --suffix=B --format='%.1f' "$1" | sed 's/\([0-9]\)\([KMG]\)/\1 \2/'; }
comma() { awk -v n="$1" 'BEGIN { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }'; }

# shellcheck disable=SC2086
# A program that fails under massif: its own lines (a bad argument's one line) and its
# status; valgrind's whole log when the program said nothing.
for v in heavy light; do
    rc=0
    valgrind --tool=massif --time-unit=B ${MASSIF_OPTS:-} --massif-out-file="$build/massif.$v.out" \
        "$build/main" --$v "$@" >/dev/null 2>"$build/massif.$v.log" || rc=$?
    if [ $rc != 0 ]; then
        grep -v '^==[0-9]*==' "$build/massif.$v.log" >&2 || cat "$build/massif.$v.log" >&2
        exit $rc
    fi
done
echo "valgrind --tool=massif --time-unit=B${MASSIF_OPTS:+ $MASSIF_OPTS} $build/main --heavy|--light${*:+ $*}"
echo
printf '  %-6s %5s %12s %12s %12s %10s   %s\n' side peak total useful extra extra% "most useful (snapshot)"
tot_h=0 tot_l=0
for v in heavy light; do
    read -r pn _ u e s mu mun _ < <(figures "$build/massif.$v.out")
    tot=$((u + e + s))
    [ $v = heavy ] && tot_h=$tot || tot_l=$tot
    printf '  %-6s %5s %12s %12s %12s %9s%%   %s (%s)\n' $v "#$pn" "$(comma $tot)" "$(comma "$u")" "$(comma "$e")" \
        "$(awk -v u="$u" -v e="$e" 'BEGIN { printf "%.1f", u + e ? 100 * e / (u + e) : 0 }')" "$(comma "$mu")" "$mun"
done
[ "$tot_l" -gt 0 ] && awk -v h="$tot_h" -v l="$tot_l" -v hh="$(human "$tot_h")" -v lh="$(human "$tot_l")" \
    'BEGIN { printf "  peak heap: heavy %s, light %s, heavy/light %.1fx\n", hh, lh, h / l }'
for v in heavy light; do
    read -r _ _ _ _ _ _ _ last < <(figures "$build/massif.$v.out")
    printf '  %s travelled %s bytes (%s) allocated and freed, a realloc by its change in size\n' \
        $v "$(comma "$last")" "$(human "$last")"
done
if [ "$summary" = 0 ]; then
    for v in heavy light; do
        echo
        echo "== ms_print $build/massif.$v.out (the graph; make massif-explain-NN reads all of it)"
        ms_print "$build/massif.$v.out" | awk '/^ *[0-9.]+\^/ { g = 1; print prev } g { print } /^ +0 +[0-9.]+ *$/ { g = 0 } { prev = $0 }'
    done
fi
if [ "$plot" = 1 ]; then
    command -v gnuplot >/dev/null || { echo "massif: gnuplot is missing (make deps)" >&2; exit 2; }
    for v in heavy light; do
        awk -F= '/^time=/ { t = $2 } /^mem_heap_B=/ { u = $2 } /^mem_heap_extra_B=/ { print t, u, $2 }' \
            "$build/massif.$v.out" >"$build/massif.$v.dat"
    done
    "$here/massif_plot.sh" "$(basename "$dir")" "$build/massif.heavy.dat" "$build/massif.light.dat" "$dir/massif.png"
    echo
    echo "plot: $dir/massif.png"
fi
