#!/usr/bin/env bash
# allocators.sh: a lesson's benchmarks under glibc, jemalloc, mimalloc and tcmalloc, side
# by side (make allocators-01, make allocators-04).
#
#   tools/allocators.sh --names 'NAME...' --column HEADING UNIT FORMAT DIVISOR [--column ...]
#       [--ratio [LABEL=]SLOW/FAST ...] [--title LINE] [--width N] BENCH [BENCH FLAGS...]
#
# Each allocator runs through the harness's ALLOCATOR=... (common/bench.h): the twin bench
# with countalloc forwarding to the next malloc, that allocator preloaded. The heading
# names each allocator's version: glibc's release, and for the others the version of the
# Debian package that holds the library the twin's `malloc:` line names. Each --column is
# a table: a row per benchmark named in --names, the median of its runs in the column UNIT
# (ns/op, moves/op ...), divided by DIVISOR and printed with the awk FORMAT (%.3f ms; %s:
# the median as the harness printed it), and beneath it the fastest and slowest run, the
# same way. Each --ratio is a last row: per allocator, how many times slower SLOW was than
# FAST (median ns/op), in the same run, and beneath it the range the runs allow (the
# fastest run of one side against the slowest of the other, both ways). Where that range
# holds 1, the two sides' runs overlap and the ratio reads "~1x", no measurable difference,
# as report_table prints it (common/report.h). The row labels are WIDTH wide (default 22),
# or one wider than the longest label; the allocators' columns are as wide as their widest
# cell.
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
            bad "--column's FORMAT must be one awk conversion (%.3f ms, %s ...), got '$4'"
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
# "name median min max" lines: each benchmark's runs in column UNIT
spread() { awk -v unit="$1" -v spread=1 -f "$(dirname "$0")/medians.awk"; }

# version_of ALLOCATOR LIBRARY: glibc's release, or the version of the Debian package that
# holds LIBRARY, the file the twin's malloc came from (found by common/bench.c), so no
# package name or soname is written down here. The loader may name the file through /lib
# (a link to /usr/lib) or by its soname (a link to the file), and dpkg knows only the path
# its package ships: each form is tried.
version_of() {
    local v='' lib=$2 real p pkg
    if [ "$1" = glibc ]; then
        v=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ print $2 }') || v=''
        [ -n "$v" ] || v=$(ldd --version 2>/dev/null | awk 'NR == 1 { print $NF }') || v=''
    elif [ -n "$lib" ] && command -v dpkg-query >/dev/null; then
        real=$(readlink -f "$lib") || real=$lib
        for p in "$lib" "$real" "${lib#/usr}" "${real#/usr}"; do
            pkg=$(dpkg-query -S "$p" 2>/dev/null | sed -n '1s/: .*//p') || continue
            # shellcheck disable=SC2016 # ${Version} is dpkg-query's, not the shell's
            [ -n "$pkg" ] && v=$(dpkg-query -W -f='${Version}' "${pkg%%,*}" 2>/dev/null) && break
        done
    fi
    echo "${v:-unknown}"
}

# value[ALLOCATOR,UNIT,NAME]: "median min max", for each column's unit and for ns/op,
# which the ratios read
declare -A value version
read_units=(ns/op)
for u in "${units[@]}"; do [[ " ${read_units[*]} " == *" $u "* ]] || read_units+=("$u"); done
runs=0
for a in "${allocators[@]}"; do
    out=$(ALLOCATOR=$a "$bench" -bench "$regex" "$@")
    version[$a]=$(version_of "$a" "$(sed -n 's/^malloc: //p' <<<"$out")")
    for u in "${read_units[@]}"; do
        while read -r name m lo hi; do value[$a,$u,$name]="$m $lo $hi"; done < <(spread "$u" <<<"$out")
    done
    # the fewest runs of any benchmark, as the headings say
    n=$(awk '/^Benchmark/ { c[$1]++ } END { for (b in c) if (m == "" || c[b] < m) m = c[b]; print m + 0 }' <<<"$out")
    if [ "$runs" = 0 ] || [ "$n" -lt "$runs" ]; then runs=$n; fi
done

# cells FORMAT DIVISOR "MEDIAN MIN MAX": the median's cell and the min-max cell, a tab apart
cells() {
    [[ $1 =~ ^([^%]*)%-?[0-9]*((\.[0-9]+)?[dfgs])(.*)$ ]]
    awk -v pre="${BASH_REMATCH[1]}" -v conv="%${BASH_REMATCH[2]}" -v post="${BASH_REMATCH[4]}" \
        -v d="$2" -v v="$3" '
        function f(x) { return sprintf(conv, d == 1 ? x : x / d) } # %s with d = 1: as printed
        BEGIN {
            if (split(v, x, " ") != 3) { print "-\t-"; exit }
            print pre f(x[1]) post "\t" pre f(x[2]) "-" f(x[3]) post
        }'
}

# ratio_cells "SLOW's MEDIAN MIN MAX" "FAST's ...": SLOW/FAST as report_table prints a time
# ratio ("~1x" where the runs allow 1), and the range the runs allow, a tab apart
ratio_cells() {
    awk -v s="$1" -v f="$2" 'BEGIN {
        if (split(s, S, " ") != 3 || split(f, F, " ") != 3 || F[2] <= 0 || S[2] <= 0) {
            print "-\t-"; exit
        }
        r = S[1] / F[1]; lo = S[2] / F[3]; hi = S[3] / F[2]
        if (lo <= 1 && hi >= 1)
            c = "~1x"
        else if (r >= 100) { # "1,000x"
            c = sprintf("%d", r + 0.5)
            while (c ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", c)
            c = c "x"
        } else
            c = sprintf("%.1fx", r)
        print c "\t" sprintf(hi >= 100 ? "%.0f-%.0fx" : "%.1f-%.1fx", lo, hi)
    }'
}

# Every line of the table, first as cells: a heading ("# TEXT") or a label and a cell per
# allocator, tab-separated; then printed with the allocators' columns as wide as the widest.
rows=("$(printf '\t%s' "${allocators[@]}")" version)
for a in "${allocators[@]}"; do rows[1]+=$'\t'${version[$a]}; done
for c in "${!headings[@]}"; do
    rows+=("# ${headings[$c]}, median of $runs run$([ "$runs" = 1 ] || echo s)")
    for n in "${names[@]}"; do
        med=$n range='  min-max'
        for a in "${allocators[@]}"; do
            IFS=$'\t' read -r m x < <(cells "${formats[$c]}" "${divisors[$c]}" "${value[$a,${units[$c]},$n]:-}")
            med+=$'\t'$m range+=$'\t'$x
        done
        rows+=("$med" "$range")
    done
done
if [ ${#ratios[@]} -gt 0 ]; then
    rows+=("# ns/op ratios, ~1x where the two sides' runs overlap")
    for r in "${ratios[@]}"; do
        pair=${r#*=}
        label=${r%%=*}
        [ "$label" != "$r" ] || label=$pair
        med=$label range='  min-max'
        for a in "${allocators[@]}"; do
            IFS=$'\t' read -r m x < <(ratio_cells "${value[$a,ns/op,${pair%/*}]:-}" \
                "${value[$a,ns/op,${pair#*/}]:-}")
            med+=$'\t'$m range+=$'\t'$x
        done
        rows+=("$med" "$range")
    done
fi

[ -z "$title" ] || echo "$title"
# Labels WIDTH wide, or one wider than the longest; each column as wide as its widest cell.
printf '%s\n' "${rows[@]}" | awk -F '\t' -v width="$width" '
    BEGIN { lw = width }
    { line[NR] = $0
      if (!/^# /) {
          if (length($1) + 1 > lw) lw = length($1) + 1
          for (i = 2; i <= NF; i++) if (length($i) + 2 > w) w = length($i) + 2
      } }
    END {
        for (r = 1; r <= NR; r++) {
            if (line[r] ~ /^# /) { print substr(line[r], 3); continue }
            n = split(line[r], c, "\t")
            s = sprintf("%-" lw "s", c[1])
            for (i = 2; i <= n; i++) s = s sprintf("%" w "s", c[i])
            print s
        }
    }'
