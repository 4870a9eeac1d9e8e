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
# Prints each target, the figure from the medians, the range the runs allow (the fastest
# run of one side against the slowest of the other, both ways) and a verdict: "met" when
# the whole range meets the target, "MISSED" when none of it does, and "noise" when the
# range straddles it: such a target reads either way on a rerun, and the run says
# nothing about it. Exit status 0 either way (a shared or slow machine misses timing
# targets without anything being wrong), 2 on a malformed targets file.
set -euo pipefail
usage="usage: tools/targets.sh --from FILE TARGETS | --run BENCH TARGETS [BENCH FLAGS...]"
bad() { echo "targets.sh: $1 ($usage)" >&2; exit 2; }
[ $# -ge 3 ] || bad "the mode, the run or bench, and TARGETS are missing"
mode=$1 src=$2 targets=$3
shift 3
case "$mode" in
--from) [ -f "$src" ] || bad "--from takes a saved run, got '$src'" ;;
--run) [ -x "$src" ] || bad "--run takes a benchmark program, got '$src'" ;;
*) bad "the mode must be --from or --run, got '$mode'" ;;
esac
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

medians=$(awk -v spread=1 -f "$(dirname "$0")/medians.awk" <<<"$out")
printf '\n%-70s %10s %17s  %s\n' "target (medians of one run)" "measured" "runs allow" "verdict"
while read -r a kind b x; do
    va=$(awk -v n="$a" '$1 == n { print $2, $3, $4 }' <<<"$medians")
    vb=$(awk -v n="$b" '$1 == n { print $2, $3, $4 }' <<<"$medians")
    case "$kind" in
    faster) what="$a at least ${x}x faster than $b" ;;
    within) what="$a within ${x}x of $b" ;;
    under) what="$a at most $b ns/op" x=$b vb="1 1 1" ;;
    *) echo "targets.sh: $targets: unknown target '$a $kind $b $x'" >&2; exit 2 ;;
    esac
    if [ -z "$va" ] || [ -z "$vb" ]; then
        printf '%-70s %10s %17s  %s\n' "$what" "-" "-" "not run"
        continue
    fi
    awk -v kind="$kind" -v a="$va" -v b="$vb" -v x="$x" -v what="$what" 'BEGIN {
        split(a, A, " "); split(b, B, " ")  # median, min, max of each side
        if (kind == "faster") { # B over A: at least x
            r = B[1] / A[1]; lo = B[2] / A[3]; hi = B[3] / A[2]; f = "%.1fx"
            v = lo >= x ? "met" : hi < x ? "MISSED" : "noise" }
        if (kind == "within") { # A over B: at most x
            r = A[1] / B[1]; lo = A[2] / B[3]; hi = A[3] / B[2]; f = "%.2fx"
            v = hi <= x ? "met" : lo > x ? "MISSED" : "noise" }
        if (kind == "under") { # A: at most x ns
            r = A[1]; lo = A[2]; hi = A[3]; f = "%.2f ns"
            v = hi <= x ? "met" : lo > x ? "MISSED" : "noise" }
        printf "%-70s %10s %17s  %s\n", what, sprintf(f, r), sprintf(f "-" f, lo, hi), v }'
done <<<"$specs"
