#!/usr/bin/env bash
# allocators.sh: a lesson's benchmarks under glibc, jemalloc, mimalloc and tcmalloc, side
# by side (make allocators-01, make allocators-04).
#
#   tools/allocators.sh --names 'NAME...' --column HEADING UNIT FORMAT DIVISOR [--column ...]
#       [--ratio [LABEL=]SLOW/FAST ...] [--title LINE] [--width N] BENCH [BENCH FLAGS...]
#
# Each allocator runs through the harness's ALLOCATOR=... (common/bench.h): the twin bench
# with countalloc forwarding to the next malloc, that allocator preloaded. Each --column
# is a table: a row per benchmark named in --names, the median of its runs in the column
# UNIT (ns/op, moves/op ...), divided by DIVISOR and printed with the awk FORMAT (%11s:
# the median as it is); the first table's heading names the allocators. Each --ratio is
# a last row: per allocator, how many times slower SLOW was than FAST (median ns/op), in
# the same run. The row labels are WIDTH wide (default 22).
set -euo pipefail

usage="usage: tools/allocators.sh --names 'NAME...' --column HEADING UNIT FORMAT DIVISOR..."
usage+=" [--ratio [LABEL=]SLOW/FAST...] [--title LINE] [--width N] BENCH [BENCH FLAGS...]"
bad() { echo "allocators.sh: $1 ($usage)" >&2; exit 2; }

names=() headings=() units=() formats=() divisors=() ratios=() title='' width=22
while [ $# -gt 0 ]; do
    case $1 in
    --names)
        [ $# -ge 2 ] || bad "--names takes a list of benchmarks"
        read -ra names <<<"$2"
        [ ${#names[@]} -gt 0 ] || bad "--names must list one benchmark or more"
        shift 2 ;;
    --column)
        [ $# -ge 5 ] || bad "--column takes HEADING UNIT FORMAT DIVISOR"
        [[ $4 =~ ^[^%]*%-?[0-9]*(\.[0-9]+)?[dfgs][^%]*$ ]] ||
            bad "--column's FORMAT must be one awk conversion (%8.3f, %11s ...), got '$4'"
        [[ $5 =~ ^[0-9]+(\.[0-9]+)?(e[0-9]+)?$ && ! $5 =~ ^0+(\.0*)?(e[0-9]+)?$ ]] ||
            bad "--column's DIVISOR must be a positive number (1, 1e6 ...), got '$5'"
        headings+=("$2") units+=("$3") formats+=("$4") divisors+=("$5")
        shift 5 ;;
    --ratio)
        [[ $# -ge 2 && $2 =~ ^([^=]+=)?[A-Za-z0-9_]+/[A-Za-z0-9_]+$ ]] ||
            bad "--ratio must be [LABEL=]SLOW/FAST, got '${2:-}'"
        ratios+=("$2")
        shift 2 ;;
    --title)
        [ $# -ge 2 ] || bad "--title takes a line"
        title=$2
        shift 2 ;;
    --width)
        [[ $# -ge 2 && $2 =~ ^[0-9]+$ && $2 -ge 1 && $2 -le 80 ]] ||
            bad "--width must be a whole number from 1 to 80, got '${2:-}'"
        width=$2
        shift 2 ;;
    -*) bad "unknown option '$1'" ;;
    *) break ;;
    esac
done
[ ${#names[@]} -gt 0 ] || bad "--names is missing"
[ ${#headings[@]} -gt 0 ] || bad "--column is missing"
[[ $# -gt 0 && -x $1 ]] || bad "BENCH must be a benchmark program, got '${1:-}'"
for r in "${ratios[@]}"; do
    pair=${r#*=}
    for n in "${pair%/*}" "${pair#*/}"; do
        [[ " ${names[*]} " == *" $n "* ]] || bad "--ratio names '$n', which --names does not"
    done
done
bench=$1
shift

allocators=(glibc jemalloc mimalloc tcmalloc)
regex="^($(IFS='|'; echo "${names[*]}"))\$"
# the median of each benchmark's runs in column UNIT: "name value" lines
median() { awk -v unit="$1" -f "$(dirname "$0")/medians.awk"; }

declare -A ns value
for a in "${allocators[@]}"; do
    out=$(ALLOCATOR=$a "$bench" -bench "$regex" "$@")
    while read -r name v; do ns[$a,$name]=$v; done < <(median ns/op <<<"$out")
    for u in "${units[@]}"; do
        while read -r name v; do value[$a,$u,$name]=$v; done < <(median "$u" <<<"$out")
    done
done

[ -z "$title" ] || echo "$title"
for c in "${!headings[@]}"; do
    printf "%-${width}s" "${headings[$c]}"
    [ "$c" -gt 0 ] || printf '%11s' "${allocators[@]}"
    echo
    for n in "${names[@]}"; do
        printf "%-${width}s" "$n"
        for a in "${allocators[@]}"; do
            v=${value[$a,${units[$c]},$n]:-}
            if [ -z "$v" ]; then
                printf '%11s' -
            else # with DIVISOR 1, %s shows the median as medians.awk printed it
                awk -v v="$v" -v d="${divisors[$c]}" -v f="${formats[$c]}" 'BEGIN { printf f, d == 1 ? v : v / d }'
            fi
        done
        echo
    done
done
for r in "${ratios[@]}"; do
    pair=${r#*=}
    label=${r%%=*}
    [ "$label" != "$r" ] || label=$pair
    printf "%-${width}s" "$label"
    for a in "${allocators[@]}"; do
        awk -v s="${ns[$a,${pair%/*}]:-0}" -v f="${ns[$a,${pair#*/}]:-0}" \
            'BEGIN { if (s > 0 && f > 0) printf "%10.1fx", s / f; else printf "%11s", "-" }'
    done
    echo
done
