#!/usr/bin/env bash
# allocators.sh: does the allocator hide the cost of growing by one? The Grow benchmarks
# of bench.c under glibc, jemalloc, mimalloc and tcmalloc, side by side (make allocators-01).
#
#   01_allocation_basics/allocators.sh BUILD_DIR/01_allocation_basics/bench [BENCH FLAGS...]
#
# Each allocator runs through the harness's ALLOCATOR=... (common/bench.h): the twin bench
# with countalloc forwarding to the next malloc, that allocator preloaded. The table shows
# the median ns/op and moves/op (reallocs that returned a new block) of each benchmark,
# and per allocator how many times slower growing by one was than doubling, in the same run.
set -euo pipefail
bench=${1:?usage: allocators.sh BUILD_DIR/01_allocation_basics/bench [BENCH FLAGS...]}
shift
flags=("$@")
[ ${#flags[@]} -gt 0 ] || flags=(-count 3 -benchtime 10x)
allocators=(glibc jemalloc mimalloc tcmalloc)
names=(GrowByOne GrowX1_5 GrowX2 GrowReserved)
regex="^($(IFS='|'; echo "${names[*]}"))\$"

# median UNIT: "name value" lines, the median of each benchmark's runs in that column.
median() { awk -v unit="$1" -f "$(dirname "$0")/../tools/medians.awk"; }

declare -A ns moves
for a in "${allocators[@]}"; do
    out=$(ALLOCATOR=$a "$bench" -bench "$regex" "${flags[@]}")
    while read -r name value; do ns[$a,$name]=$value; done < <(median ns/op <<<"$out")
    while read -r name value; do moves[$a,$name]=$value; done < <(median moves/op <<<"$out")
done

echo "100,000 appends of int64_t per op (bench.c GROW_N); median of the runs; moves: reallocs that copied"
printf '%-14s' "ms/op"
printf '%11s' "${allocators[@]}"
echo
for n in "${names[@]}"; do
    printf '%-14s' "$n"
    for a in "${allocators[@]}"; do
        awk -v v="${ns[$a,$n]:-0}" 'BEGIN { printf "%8.3f ms", v / 1e6 }'
    done
    echo
done
printf '%-14s' "moves/op"
echo
for n in "${names[@]}"; do
    printf '%-14s' "$n"
    for a in "${allocators[@]}"; do printf '%11.0f' "${moves[$a,$n]:-0}"; done
    echo
done
printf '%-14s' "ByOne/X2"
for a in "${allocators[@]}"; do
    awk -v s="${ns[$a,GrowByOne]:-0}" -v f="${ns[$a,GrowX2]:-0}" \
        'BEGIN { if (s > 0 && f > 0) printf "%10.1fx", s / f; else printf "%11s", "-" }'
done
echo
