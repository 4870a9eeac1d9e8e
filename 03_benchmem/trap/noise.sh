#!/usr/bin/env bash
# noise.sh: the same code benchmarked twice (TwinA and TwinB in trap/traps.c), ten runs
# each. Any gap between them is noise: what one run of each would have claimed, against
# the medians of ten (make noise-03).
#
#   03_benchmem/trap/noise.sh BUILD/03_benchmem/traps [RUNS]
set -euo pipefail
traps=${1:?usage: noise.sh TRAPS [RUNS]}
runs=${2:-10}
[[ "$runs" =~ ^[1-9][0-9]?$ ]] || { echo "noise.sh: RUNS must be a whole number from 1 to 99, got '$runs'" >&2; exit 2; }

"$traps" -bench '^Twin[AB]$' -count "$runs" -benchtime 100ms |
    awk -v runs="$runs" '
    /^BenchmarkTwinA/ { a[++na] = $3 }
    /^BenchmarkTwinB/ { b[++nb] = $3 }
    function sort(v, n,    i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t } }
    function med(v, n) { sort(v, n); return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
    function gap(x, y) { return (x / y - 1) * 100 }
    END {
        printf "TwinA and TwinB are the same code: every gap below is noise\n\n"
        printf "%-28s %10s %10s %10s\n", "", "TwinA", "TwinB", "A vs B"
        lo = hi = gap(a[1], b[1])
        for (i = 1; i <= na; i++) {
            g = gap(a[i], b[i]); if (g < lo) lo = g; if (g > hi) hi = g
            printf "run %-24d %7.1f ns %7.1f ns %+9.1f%%\n", i, a[i], b[i], g
        }
        ma = med(a, na); mb = med(b, nb)
        printf "%-28s %7.1f ns %7.1f ns %+9.1f%%\n\n", "median of " runs, ma, mb, gap(ma, mb)
        printf "one run of each would have claimed anything from %+.1f%% to %+.1f%%;\n", lo, hi
        printf "the medians of %d runs say %+.1f%%.\n", runs, gap(ma, mb)
        spread = (a[na] - a[1]) / ma * 100  # a[] is sorted by med()
        printf "TwinA alone varies by %.1f%% from its fastest run to its slowest.\n", spread
        m = gap(ma, mb); if (m < 0) m = -m
        printf "verdict: %s\n", (m < spread) ? "no difference: the median gap is smaller than the spread" \
                                             : "a difference larger than the spread: suspect the machine"
    }'
