#!/usr/bin/env bash
# allocators.sh: do you still need a pool? The single-thread benchmarks of bench.c under
# glibc, jemalloc, mimalloc and tcmalloc, side by side (make allocators-04).
#
#   04_pooling/allocators.sh BUILD_DIR/04_pooling/bench [BENCH FLAGS...]
#
# Each allocator runs in the twin next/bench (countalloc forwarding to the next malloc,
# that allocator preloaded); the table shows the median ns/op of each benchmark and, per
# allocator, how many times faster the pool or the arena was in the same run.
set -euo pipefail
bench=${1:?usage: allocators.sh BUILD_DIR/04_pooling/bench [BENCH FLAGS...]}
shift
flags=("$@")
[ ${#flags[@]} -gt 0 ] || flags=(-count 3 -benchtime 100ms)
allocators=(glibc jemalloc mimalloc tcmalloc)
names=(WithAlloc WithPool Malloc4KiB Pool4KiB Malloc64B Arena64B)
pairs=("Malloc4KiB Pool4KiB" "Malloc64B Arena64B")
regex="^($(IFS='|'; echo "${names[*]}"))\$"

declare -A ns
for a in "${allocators[@]}"; do
    out=$(ALLOCATOR=$a "$bench" -bench "$regex" "${flags[@]}")
    # the median ns/op of each benchmark's runs
    while read -r name value; do
        ns[$a,$name]=$value
    done < <(awk -f "$(dirname "$0")/../tools/medians.awk" <<<"$out")
done

printf '%-22s' "ns/op (median)"
printf '%11s' "${allocators[@]}"
echo
for n in "${names[@]}"; do
    printf '%-22s' "$n"
    for a in "${allocators[@]}"; do printf '%11s' "${ns[$a,$n]:--}"; done
    echo
done
for p in "${pairs[@]}"; do
    read -r slow fast <<<"$p"
    printf '%-22s' "$slow/$fast"
    for a in "${allocators[@]}"; do
        awk -v s="${ns[$a,$slow]:-0}" -v f="${ns[$a,$fast]:-0}" \
            'BEGIN { if (s > 0 && f > 0) printf "%10.1fx", s / f; else printf "%11s", "-" }'
    done
    echo
done
