#!/usr/bin/env bash
# targets.sh: lesson 04's performance targets, checked against one run of bench.c (the
# ratios come from the same run, medians of -count runs).
#
#   04_pooling/targets.sh BUILD_DIR/04_pooling/bench [BENCH FLAGS...]
#
# Prints each target, the measured figure and whether it was met; exit status 0 either
# way (a shared or slow machine misses targets without anything being wrong).
set -euo pipefail
bench=${1:?usage: targets.sh BUILD_DIR/04_pooling/bench [BENCH FLAGS...]}
shift
flags=("$@")
[ ${#flags[@]} -gt 0 ] || flags=(-count 5 -benchtime 200ms)
out=$("$bench" -bench '^(Malloc4KiB|Pool4KiB|Malloc64B|Arena64B|MutexPool2Threads|TSPool2Threads)$' "${flags[@]}")

# Median ns/op per benchmark name, as "name value" lines.
medians=$(awk '/^Benchmark/ && $4 == "ns/op" {
                  n = substr($1, 10); sub(/-[0-9]+$/, "", n); v[n] = v[n] " " $3 }
              END { for (n in v) { c = split(substr(v[n], 2), x, " ");
                  for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
                      if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }
                  print n, (c % 2) ? x[(c + 1) / 2] : (x[c / 2] + x[c / 2 + 1]) / 2 } }' <<<"$out")
ns() { awk -v n="$1" '$1 == n { print $2 }' <<<"$medians"; }

printf '%-58s %10s  %s\n' "target (make bench-04, medians of one run)" "measured" "met"
faster() { # faster SLOW FAST MIN: FAST at least MIN times faster than SLOW
    awk -v s="$(ns "$1")" -v f="$(ns "$2")" -v min="$3" -v what="$2 at least ${3}x faster than $1" \
        'BEGIN { r = (f > 0) ? s / f : 0
                 printf "%-58s %9.1fx  %s\n", what, r, (r >= min) ? "yes" : sprintf("no: %.1fx below", min - r) }'
}
at_most() { # at_most NAME NS
    awk -v v="$(ns "$1")" -v max="$2" -v what="$1 at most $2 ns per get+put" \
        'BEGIN { printf "%-58s %7.2f ns  %s\n", what, v, (v <= max) ? "yes" : sprintf("no: %.2f ns over", v - max) }'
}
faster Malloc4KiB Pool4KiB 10
at_most TSPool2Threads 5
faster MutexPool2Threads TSPool2Threads 30
faster Malloc64B Arena64B 10
