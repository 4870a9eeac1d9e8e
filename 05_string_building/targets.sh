#!/usr/bin/env bash
# targets.sh: lesson 05's speed targets, checked against one run of bench.c (every ratio
# comes from the same run: medians of -count runs).
#
#   05_string_building/targets.sh BUILD_DIR/05_string_building/bench [BENCH FLAGS...]
#                                  runs the benchmarks the targets need, then checks them
#   05_string_building/targets.sh --from FILE
#                                  checks them against a saved run (make bench-05 does this
#                                  with its own output)
#
# Prints each target, the measured ratio and "met" or "MISSED by ..."; exit status 0
# either way (a shared or slow machine can miss a target without anything being wrong).
set -euo pipefail
usage="usage: targets.sh BUILD_DIR/05_string_building/bench [BENCH FLAGS...] | --from FILE"
if [ "${1:-}" = --from ]; then
    out=$(cat "${2:?$usage}")
else
    bench=${1:?$usage}
    shift
    flags=("$@")
    [ ${#flags[@]} -gt 0 ] || flags=(-count 5 -benchtime 200ms)
    out=$("$bench" -bench '^(MemcpyFloor|Builder|GString|Memstream|Concat64B|Builder64B)$' "${flags[@]}")
fi

# Median ns/op per benchmark name, as "name value" lines.
medians=$(awk '/^Benchmark/ && $4 == "ns/op" {
                  n = substr($1, 10); sub(/-[0-9]+$/, "", n); v[n] = v[n] " " $3 }
              END { for (n in v) { c = split(substr(v[n], 2), x, " ");
                  for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
                      if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }
                  print n, (c % 2) ? x[(c + 1) / 2] : (x[c / 2] + x[c / 2 + 1]) / 2 } }' <<<"$out")
ns() { awk -v n="$1" '$1 == n { print $2 }' <<<"$medians"; }

echo
printf '%-56s %10s  %s\n' "targets (1 MiB per join, medians of this run)" "measured" "verdict"
faster() { # faster SLOW FAST MIN: FAST at least MIN times faster than SLOW
    awk -v s="$(ns "$1")" -v f="$(ns "$2")" -v min="$3" -v what="$2 at least ${3}x faster than $1" \
        'BEGIN { if (s == "" || f == "") { printf "%-56s %10s  %s\n", what, "-", "not run"; exit }
                 r = s / f
                 printf "%-56s %9.1fx  %s\n", what, r, (r >= min) ? "met" : sprintf("MISSED by %.1fx", min - r) }'
}
within() { # within NAME FLOOR MAX: NAME at most MAX times FLOOR's time
    awk -v v="$(ns "$1")" -v f="$(ns "$2")" -v max="$3" -v what="$1 within ${3}x of $2" \
        'BEGIN { if (v == "" || f == "") { printf "%-56s %10s  %s\n", what, "-", "not run"; exit }
                 r = v / f
                 printf "%-56s %9.2fx  %s\n", what, r, (r <= max) ? "met" : sprintf("MISSED by %.2fx", r - max) }'
}
within Builder MemcpyFloor 1.5
faster GString Builder 2
faster Memstream Builder 2
faster Concat64B Builder64B 1000
