#!/usr/bin/env bash
# run.sh: the misuse programs alone (glibc's own checks), under Valgrind memcheck and under
# AddressSanitizer, one line each: what the tool reported and where (make misuse-04); then
# leak_kinds.c's four leaks as memcheck and LeakSanitizer each report them.
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
    what=$(grep -m1 -oE 'Invalid (read|write) of size [0-9]+|Invalid free\(\)|Conditional jump or move depends on uninitialised value|[a-z-]+-(after-poison|after-free|overflow)|attempting double-free|free\(\): double free detected[a-z0-9 ]*' <<<"$1")
    where=$(sed -nE 's/.*(: | in )main \(?([^ ]*\/)?([a-z_]+\.c:[0-9]+)\)?$/\3/p' <<<"$1" | head -1)
    if [ -n "$where" ]; then
        printf '%s in main at %s' "${what:-an error}" "$where"
    else
        printf '%s (no source line)' "${what:-an error}"
    fi
}

# Which tools must report each program: glibc alone catches only the double free (its
# tcache check); ASan checks addresses only, so it cannot see a read of stale but
# addressable bytes (dirty_read); correct_use must be clean everywhere.
expect() {
    case $1,$2 in
    correct_use,*) echo no ;;
    double_free,glibc) echo yes ;;
    *,glibc) echo no ;;
    dirty_read,asan) echo no ;;
    *) echo yes ;;
    esac
}

for prog in use_after_put use_after_reset dirty_read use_after_free use_after_fl_free \
    read_past_fl_shrink use_after_slab_free double_free correct_use; do
    gl=$("$dir/vg/$prog" 2>&1 >/dev/null)
    gl_rc=$?
    vg=$(valgrind -q --error-exitcode=99 --leak-check=full "$dir/vg/$prog" 2>&1 >/dev/null)
    vg_rc=$?
    as=$(ASAN_OPTIONS=detect_leaks=1 "$dir/asan/$prog" 2>&1 >/dev/null)
    as_rc=$?
    for tool in glibc memcheck asan; do
        case $tool in
        glibc) out=$gl rc=$gl_rc ;;
        memcheck) out=$vg rc=$vg_rc ;;
        asan) out=$as rc=$as_rc ;;
        esac
        if [ $rc = 0 ] && [ -z "$out" ]; then
            verdict="nothing reported"
            [ "$(expect $prog $tool)" = no ] || { verdict="MISSED: nothing reported"; status=1; }
        else
            verdict=$(summarize "$out")
            [ "$(expect $prog $tool)" = yes ] || { verdict="UNEXPECTED: $verdict"; status=1; }
        fi
        printf '%-19s %-9s %s\n' "$prog" "$tool" "$verdict"
        if [ "$full" = --full ] && [ -n "$out" ]; then
            printf '%s\n\n' "$out" | sed -E 's/^==[0-9]+==/==PID==/' | sed 's/^/    /'
        fi
    done
done

# The four kinds of leak: memcheck names them all; LeakSanitizer reports the blocks no
# pointer reaches (Direct, and Indirect behind them) and counts an interior pointer as a
# reference.
vg=$(valgrind --leak-check=full --show-leak-kinds=all "$dir/vg/leak_kinds" 2>&1 >/dev/null)
as=$(ASAN_OPTIONS=detect_leaks=1 "$dir/asan/leak_kinds" 2>&1 >/dev/null)
echo
printf '%-19s %-24s %s\n' "leak_kinds" "memcheck" "LeakSanitizer"
for kind in "definitely lost:Direct" "indirectly lost:Indirect" "possibly lost:" "still reachable:"; do
    mk=${kind%%:*} lk=${kind#*:}
    m=$(sed -nE "s/.*$mk: ([0-9,]+) bytes in ([0-9,]+) blocks/\1 B in \2 block(s)/p" <<<"$vg")
    l=''
    [ -n "$lk" ] && l=$(sed -nE "s/^$lk leak of ([0-9]+) byte\(s\) in ([0-9]+) object\(s\).*/\1 B in \2 object(s) ($lk leak)/p" <<<"$as" | head -1)
    printf '%-19s %-24s %s\n' "$mk" "${m:-MISSED}" "${l:-not reported}"
    [ -n "$m" ] && [ "$m" != "0 B in 0 block(s)" ] || status=1
    { [ -n "$lk" ] && [ -z "$l" ]; } && status=1
done
exit $status
