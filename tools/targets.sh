#!/usr/bin/env bash
# targets.sh: a lesson's speed targets, checked against one benchmark run. Every figure
# is a median of that run's -count runs, and every ratio compares benchmarks of the same
# run, so a machine that is slow all along still gives fair ratios.
#
#   tools/targets.sh --from FILE TARGETS      check a saved run (make bench-NN does this)
#   tools/targets.sh --run BENCH TARGETS [BENCH FLAGS...]
#                                             run only the benchmarks the targets name
#
# TARGETS is a lesson's targets.txt: one target a line, # starts a comment.
#   FAST faster SLOW X      FAST's ns/op at least X times lower than SLOW's
#   NAME within FLOOR X     NAME's ns/op at most X times FLOOR's
#   NAME under X            NAME's ns/op at most X ns
# Prints each target, the measured figure and "met" or "MISSED"; exit status 0 either way
# (a shared or slow machine misses timing targets without anything being wrong), 2 on a
# malformed targets file.
set -euo pipefail
usage="usage: tools/targets.sh --from FILE TARGETS | --run BENCH TARGETS [BENCH FLAGS...]"
mode=${1:-}
src=${2:?$usage}
targets=${3:?$usage}
shift 3
[ -f "$targets" ] || { echo "targets.sh: no targets file '$targets'" >&2; exit 2; }
specs=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$targets")

case "$mode" in
--from) out=$(cat "$src") ;;
--run)
    names=$(awk '{ print $1; if ($2 != "under") print $3 }' <<<"$specs" | sort -u | paste -sd'|')
    flags=("$@")
    [ ${#flags[@]} -gt 0 ] || flags=(-count 5 -benchtime 200ms)
    out=$("$src" -bench "^($names)\$" "${flags[@]}")
    ;;
*) echo "$usage" >&2; exit 2 ;;
esac

medians=$(awk -f "$(dirname "$0")/medians.awk" <<<"$out")
printf '\n%-72s %12s  %s\n' "target (medians of one run)" "measured" "verdict"
while read -r a kind b x; do
    va=$(awk -v n="$a" '$1 == n { print $2 }' <<<"$medians")
    vb=$(awk -v n="$b" '$1 == n { print $2 }' <<<"$medians")
    case "$kind" in
    faster) what="$a at least ${x}x faster than $b" ;;
    within) what="$a within ${x}x of $b" ;;
    under) what="$a at most $b ns/op" x=$b vb=1 ;;
    *) echo "targets.sh: $targets: unknown target '$a $kind $b $x'" >&2; exit 2 ;;
    esac
    if [ -z "$va" ] || [ -z "$vb" ]; then
        printf '%-72s %12s  %s\n' "$what" "-" "not run"
        continue
    fi
    awk -v kind="$kind" -v a="$va" -v b="$vb" -v x="$x" -v what="$what" 'BEGIN {
        if (kind == "faster") { r = (a > 0) ? b / a : 0; ok = r >= x; m = sprintf("%.1fx", r) }
        if (kind == "within") { r = (b > 0) ? a / b : 0; ok = r <= x; m = sprintf("%.2fx", r) }
        if (kind == "under")  { ok = a <= x; m = sprintf("%.2f ns", a) }
        printf "%-72s %12s  %s\n", what, m, ok ? "met" : "MISSED" }'
done <<<"$specs"
