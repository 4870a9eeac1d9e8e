#!/usr/bin/env bash
# honest.sh: is common/bench honest? Its figures against Google Benchmark's on the same
# loop, and its own cost per iteration, from one run (make honest).
#
#   common/gbench/honest.sh BUILD/common/gbench/harness BUILD/common/gbench/gbench [ROUNDS]
#
# Each round runs both harnesses one after the other on Malloc1024 and Empty (200 ms
# each, as make bench-NN does), the one going first alternating from round to round;
# the figures are medians over the rounds (default 5), so a machine that speeds up or
# slows down between rounds moves both sides alike. Both
# programs link the same counting allocator: the comparison is harness against harness.
# The cost of counting itself is make bench-common's to measure (README.md, "What
# counting costs"). Exit status 0 whether targets are met or not: a busy machine
# misses timing targets without anything being wrong.
set -euo pipefail
bench=${1:?usage: honest.sh HARNESS GBENCH [ROUNDS]}
gbench=${2:?usage: honest.sh HARNESS GBENCH [ROUNDS]}
rounds=${3:-5}
[[ "$rounds" =~ ^[1-9][0-9]?$ ]] || { echo "honest.sh: ROUNDS must be a whole number from 1 to 99, got '$rounds'" >&2; exit 2; }

run_ours() { # "BenchmarkMalloc1024 <tab> n <tab> 16.62 ns/op ..." -> "Malloc1024 16.62"
    "$bench" -bench '^(Malloc1024|Empty)$' -benchtime 200ms |
        awk '/^Benchmark/ { n = $1; sub(/^Benchmark/, "", n); print n, $3 }'
}
run_theirs() { # CSV: "BM_Malloc1024",iterations,real_time,... -> "Malloc1024 16.5"
    "$gbench" --benchmark_min_time=0.2 --benchmark_format=csv 2>/dev/null |
        awk -F, '/^"BM_/ { n = $1; gsub(/"|BM_/, "", n); print n, $3 }'
}
ours='' theirs=''
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then # who goes first alternates, so neither always gets the warmer machine
        ours+=$(run_ours)$'\n'
        theirs+=$(run_theirs)$'\n'
    else
        theirs+=$(run_theirs)$'\n'
        ours+=$(run_ours)$'\n'
    fi
done

median() { # median NAME <<< "name value" lines
    awk -v n="$1" '$1 == n { v[++c] = $2 }
        END { for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
              print (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }'
}
om=$(median Malloc1024 <<<"$ours")
gm=$(median Malloc1024 <<<"$theirs")
oe=$(median Empty <<<"$ours")
ge=$(median Empty <<<"$theirs")

echo "common/bench against Google Benchmark, same loops, same counting malloc"
echo "median of $rounds rounds, each harness 200 ms per benchmark per round"
echo
printf '%-34s %12s %12s %10s\n' "loop" "common/bench" "gbench" "ratio"
awk -v o="$om" -v g="$gm" 'BEGIN { printf "%-34s %9.2f ns %9.2f ns %9.3fx\n", "malloc(1024)+free", o, g, o / g }'
awk -v o="$oe" -v g="$ge" 'BEGIN { printf "%-34s %9.3f ns %9.3f ns %9.3fx\n", "empty body (the harness alone)", o, g, (g > 0) ? o / g : 0 }'
echo
awk -v o="$om" -v g="$gm" 'BEGIN { d = (o / g - 1) * 100; if (d < 0) d = -d
    printf "target: malloc(1024)+free within 5%% of Google Benchmark: %.1f%% apart: %s\n", d, (d <= 5) ? "met" : "MISSED" }'
awk -v o="$oe" 'BEGIN {
    printf "target: harness overhead below 1 ns per iteration: %.3f ns: %s\n", o, (o < 1) ? "met" : "MISSED" }'
echo "target: what counting adds per malloc+free pair: measured by make bench-common"
