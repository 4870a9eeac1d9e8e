#!/usr/bin/env bash
# run.sh: the misuse programs under Valgrind memcheck and under AddressSanitizer, one
# line each: what the tool reported and where (make misuse-04).
#
#   04_pooling/misuse/run.sh BUILD_DIR/04_pooling/misuse [--full]
#
# --full prints each tool's whole report. Exit status 1 when a tool missed a misuse or
# reported correct use.
set -uo pipefail
dir=${1:?usage: run.sh BUILD_DIR/04_pooling/misuse [--full]}
full=${2:-}
command -v valgrind >/dev/null || { echo "misuse: valgrind is missing (make deps)" >&2; exit 2; }
status=0

# summarize REPORT: the tool's first complaint and the line of ours it points at.
summarize() {
    local what where
    what=$(grep -m1 -oE 'Invalid (read|write) of size [0-9]+|Conditional jump or move depends on uninitialised value|[a-z-]+-(after-poison|after-free|overflow)' <<<"$1")
    where=$(sed -nE 's/.*(: | in )main \(?([^ ]*\/)?([a-z_]+\.c:[0-9]+)\)?$/\3/p' <<<"$1" | head -1)
    printf '%s in main at %s' "${what:-an error}" "${where:-?}"
}

# Which tools must report each program: ASan checks addresses only, so it cannot see a
# read of stale but addressable bytes (dirty_read); correct_use must be clean everywhere.
expect() {
    case $1,$2 in
    correct_use,*) echo no ;;
    dirty_read,asan) echo no ;;
    *) echo yes ;;
    esac
}

for prog in use_after_put use_after_reset dirty_read correct_use; do
    vg=$(valgrind -q --error-exitcode=99 --leak-check=full "$dir/vg/$prog" 2>&1 >/dev/null)
    vg_rc=$?
    as=$(ASAN_OPTIONS=detect_leaks=1 "$dir/asan/$prog" 2>&1 >/dev/null)
    as_rc=$?
    for tool in memcheck asan; do
        if [ $tool = memcheck ]; then out=$vg rc=$vg_rc; else out=$as rc=$as_rc; fi
        if [ $rc = 0 ] && [ -z "$out" ]; then
            verdict="nothing reported"
            [ "$(expect $prog $tool)" = no ] || { verdict="MISSED: nothing reported"; status=1; }
        else
            verdict=$(summarize "$out")
            [ "$(expect $prog $tool)" = yes ] || { verdict="UNEXPECTED: $verdict"; status=1; }
        fi
        printf '%-16s %-9s %s\n' "$prog" "$tool" "$verdict"
        if [ "$full" = --full ] && [ -n "$out" ]; then
            printf '%s\n\n' "$out" | sed -E 's/^==[0-9]+==/==PID==/' | sed 's/^/    /'
        fi
    done
done
exit $status
