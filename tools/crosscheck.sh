#!/usr/bin/env bash
# crosscheck.sh: the counting allocator and Valgrind memcheck must agree exactly.
#
#   tools/crosscheck.sh [BUILD_DIR]
#
# The lessons' programs run with the small arguments of their check_args.txt
# (tools/check_args.sh).
#
# Each command runs twice, separately: once under `valgrind --tool=memcheck`, once
# counted (system programs through LD_PRELOAD=BUILD_DIR/libcountalloc.so, this
# repository's programs through their linked-in allocator and COUNTALLOC_REPORT=1).
# Every figure of the heap summary must be equal: allocations, frees, bytes allocated,
# and bytes and blocks in use at exit. Before its report, memcheck runs glibc's
# __libc_freeres (and libstdc++'s __gnu_cxx::__freeres), which free the buffers libc keeps
# for the life of the process; countalloc's report does the same. tools/threads.c, a
# program that starts and joins 4 threads, checks that the shim adds nothing of its own
# per thread (a TLS module in the shim would make glibc's per-thread vector bigger, which
# the script then shows with a library that has one).
# Python randomises string hashing per process, which changes how its dicts grow;
# PYTHONHASHSEED=0 makes both runs allocate the same.
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -le 1 ] && [[ "${1:-build}" != -* ]] ||
    { echo "usage: tools/crosscheck.sh [BUILD_DIR] (one directory, got '$*')" >&2; exit 2; }
build=${1:-build}
shim=$PWD/$build/libcountalloc.so
work=$build/crosscheck
mkdir -p "$work/fixed"
[ -f "$shim" ] || { echo "crosscheck: $shim is missing (make shim)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "crosscheck: valgrind is missing (make deps)" >&2; exit 2; }

# Fixed inputs, the same on every machine.
seq 1 20000 | awk '{ print ($1 * 7919) % 20011 }' >"$work/numbers.txt"
for f in alpha beta gamma; do printf '%s\n' "$f" >"$work/fixed/$f"; done
touch -d '2020-01-01 00:00:00' "$work/fixed" "$work"/fixed/*

# A system program may allocate by the size of its environment (python3 copies it into a
# dict that grows), so both runs of it get the same small one.
clean="env -i PATH=$PATH PYTHONHASHSEED=0 LC_ALL=C"
export LC_ALL=C
. tools/check_args.sh
ours=()
for main in "$build"/[0-9][0-9]_*/main; do
    [ -x "$main" ] && ours+=("$main")
done

# figures: "ALLOCS FREES BYTES INUSE BLOCKS" from a report's "in use at exit" and
# "total heap usage" lines (memcheck prints them in that order, countalloc the other).
figures() {
    sed -nE 's/.*in use at exit: ([0-9,]+) bytes in ([0-9,]+) blocks.*/use \1 \2/p
             s/.*total heap usage: ([0-9,]+) allocs, ([0-9,]+) frees, ([0-9,]+) bytes.*/total \1 \2 \3/p' |
        tr -d , | awk '$1 == "use" { u = $2 " " $3 } $1 == "total" { t = $2 " " $3 " " $4 }
                       END { if (t != "" && u != "") print t, u }'
}

fail=0 checked=0
check() { # check KIND COMMAND...
    local kind=$1 vg counted
    shift
    # memcheck reports each process it follows (a fork's child too): keep the first
    # process's report, the program's own, as countalloc's is.
    vg=$($clean valgrind --tool=memcheck "$@" 2>&1 >/dev/null |
        awk 'pid == "" && match($0, /^==[0-9]+==/) { pid = substr($0, 1, RLENGTH) }
             index($0, pid) == 1 && /(total heap usage|in use at exit)/' | figures)
    if [ "$kind" = system ]; then
        counted=$($clean LD_PRELOAD=$shim "$@" 2>&1 >/dev/null | grep '^countalloc: ' | figures)
    else
        counted=$(COUNTALLOC_REPORT=1 "$@" 2>&1 >/dev/null | grep '^countalloc: ' | figures)
    fi
    checked=$((checked + 1))
    if [ -n "$vg" ] && [ "$vg" = "$counted" ]; then
        printf '  agree   %-48s %s allocs, %s frees, %s bytes; at exit %s bytes in %s blocks\n' "$*" $vg
    else
        printf '  DIFFER  %-48s memcheck: %s   countalloc: %s\n' "$*" "${vg:-none}" "${counted:-none}"
        fail=1
    fi
}

# The threaded program, built here as the system programs were: without countalloc.
if ! ${CC:-gcc} -O2 -pthread tools/threads.c -o "$work/threads"; then
    echo "crosscheck: cannot build tools/threads.c" >&2
    exit 2
fi

echo "countalloc vs valgrind memcheck (every figure of the heap summary must be equal)"
check system "$work/threads" 4
check system sort -n "$work/numbers.txt"
check system ls -l "$work/fixed"
if [ -x /usr/bin/python3 ]; then
    check system /usr/bin/python3 -c 'import json; print(json.dumps({str(i): i * i for i in range(500)})[:40])'
fi
for m in "${ours[@]}"; do
    l=${m%/main}
    # shellcheck disable=SC2046
    check ours "$m" $(args_of "${l##*/}")
done
echo "crosscheck: $checked commands, $([ $fail = 0 ] && echo "all agree" || echo "DIFFERENCES above")"

# Why the shim keeps no thread-local variable: a library with one, preloaded beside it,
# is one TLS module more, and glibc's per-thread vector (a calloc the program is charged
# for) grows with the number of modules.
printf '__thread int tls_probe;\n' >"$work/tlsmodule.c"
if ! ${CC:-gcc} -shared -fPIC "$work/tlsmodule.c" -o "$work/libtlsmodule.so"; then
    echo "crosscheck: cannot build a TLS module" >&2
    exit 2
fi
bytes() { $clean LD_PRELOAD="$1" "$work/threads" 4 2>&1 >/dev/null | grep '^countalloc: ' | figures | awk '{ print $3 }'; }
plain=$(bytes "$shim")
more=$(bytes "$shim $PWD/$work/libtlsmodule.so")
if [ -n "$plain" ] && [ -n "$more" ] && [ "$more" -gt "$plain" ]; then
    echo "one TLS module more (a preloaded library with one __thread variable): $work/threads 4 allocates" \
         "$(((more - plain) / 4)) bytes more per thread, so a shim with TLS of its own would change what it counts"
else
    echo "  DIFFER  one TLS module more should cost each thread bytes: ${plain:-none} bytes without it, ${more:-none} with it"
    fail=1
fi

# The shim must run real programs unchanged, each process reporting once at exit.
echo "countalloc shim under real programs (exit status unchanged, one report per process)"
printf 'int main(void) { return 0; }\n' >"$work/tiny.c"
survive() { # survive COMMAND...: its status with and without the shim must agree
    local want got reports
    "$@" >/dev/null 2>&1
    want=$?
    COUNTALLOC_OUT="$PWD/$work/report.%p" LD_PRELOAD=$shim "$@" >/dev/null 2>&1
    got=$?
    reports=$(cat "$work"/report.* 2>/dev/null | grep -c '^countalloc: total heap usage')
    rm -f "$work"/report.*
    if [ "$want" = "$got" ] && [ "$reports" -ge 1 ]; then
        printf '  ok      %-48s status %s, %s report(s)\n' "$*" "$got" "$reports"
    else
        printf '  BROKEN  %-48s status %s (want %s), %s report(s)\n' "$*" "$got" "$want" "$reports"
        fail=1
    fi
}
survive ls -l /usr
survive sort "$work/numbers.txt"
survive grep -r root /etc/passwd
survive git --version
survive gcc -c "$work/tiny.c" -o "$work/tiny.o"
[ -x /usr/bin/python3 ] && survive /usr/bin/python3 -c 'import sqlite3, json; print(len(json.dumps(list(range(1000)))))'
exit $fail
