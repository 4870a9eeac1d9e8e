#!/usr/bin/env bash
# run.sh: the misuse programs alone (glibc's own checks), under Valgrind memcheck and under
# AddressSanitizer, one line each: what the tool reported and where (make misuse-04); then
# leak_kinds.c's four leaks as memcheck and LeakSanitizer each report them.
#
#   04_pooling/misuse/run.sh BUILD_DIR/04_pooling/misuse [--full | --stdout] [PROG...]
#
# --full prints each tool's whole report, --stdout what the program printed under it
# (nothing when the tool stopped it first). PROG...: those programs alone, without the
# leaks. Exit status 1 when a tool missed a misuse or reported correct use.
set -uo pipefail
usage="usage: run.sh BUILD_DIR/04_pooling/misuse [--full | --stdout] [PROG...]"
dir=${1:?$usage}
shift
show='' progs=()
for a in "$@"; do
    case $a in
    --full | --stdout) show=$a ;;
    -*) echo "misuse: unknown option $a; $usage" >&2; exit 2 ;;
    *) progs+=("$a") ;;
    esac
done
command -v valgrind >/dev/null || { echo "misuse: valgrind is missing (make deps)" >&2; exit 2; }
status=0
stdout=$(mktemp) || exit 2
trap 'rm -f "$stdout"' EXIT

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
# addressable bytes (dirty_read); a pointer into a slot the slot map reused reads live,
# initialised bytes of a live block, and no tool can tell (stale_ptr_after_reuse);
# correct_use must be clean everywhere.
expect() {
    case $1,$2 in
    correct_use,* | stale_ptr_after_reuse,*) echo no ;;
    double_free,glibc) echo yes ;;
    *,glibc) echo no ;;
    dirty_read,asan) echo no ;;
    *) echo yes ;;
    esac
}

# said: what the program printed (only with --stdout; a stale byte printed as %c can be 0).
said() { [ "$show" != --stdout ] || tr -d '\0' <"$stdout"; }

named=${#progs[@]}
[ "$named" -gt 0 ] || progs=(use_after_put use_after_reset dirty_read use_after_free
    use_after_fl_free read_past_fl_shrink use_after_slab_free read_past_buddy_request
    stale_ptr_after_grow
    stale_ptr_after_reuse double_free correct_use)
for prog in "${progs[@]}"; do
    [ -x "$dir/vg/$prog" ] || { echo "misuse: no program $dir/vg/$prog" >&2; exit 2; }
    gl=$("$dir/vg/$prog" 2>&1 >"$stdout")
    gl_rc=$? gl_out=$(said)
    vg=$(valgrind -q --error-exitcode=99 --leak-check=full "$dir/vg/$prog" 2>&1 >"$stdout")
    vg_rc=$? vg_out=$(said)
    as=$(ASAN_OPTIONS=detect_leaks=1 "$dir/asan/$prog" 2>&1 >"$stdout")
    as_rc=$? as_out=$(said)
    for tool in glibc memcheck asan; do
        case $tool in
        glibc) out=$gl rc=$gl_rc said=$gl_out ;;
        memcheck) out=$vg rc=$vg_rc said=$vg_out ;;
        asan) out=$as rc=$as_rc said=$as_out ;;
        esac
        if [ "$rc" = 0 ] && [ -z "$out" ]; then
            verdict="nothing reported"
            [ "$(expect "$prog" $tool)" = no ] || { verdict="MISSED: nothing reported"; status=1; }
        else
            verdict=$(summarize "$out")
            [ "$(expect "$prog" $tool)" = yes ] || { verdict="UNEXPECTED: $verdict"; status=1; }
        fi
        printf '%-23s %-9s %s\n' "$prog" "$tool" "$verdict"
        if [ "$show" = --full ] && [ -n "$out" ]; then
            printf '%s\n\n' "$out" | sed -E 's/^==[0-9]+==/==PID==/' | sed 's/^/    /'
        elif [ "$show" = --stdout ]; then
            printf '%s\n' "${said:-(nothing printed)}" | sed 's/^/    /'
        fi
    done
done
[ "$named" -gt 0 ] && exit $status

# The four kinds of leak: memcheck names them all; LeakSanitizer reports the blocks no
# pointer reaches (Direct, and Indirect behind them) and counts an interior pointer as a
# reference.
vg=$(valgrind --leak-check=full --show-leak-kinds=all "$dir/vg/leak_kinds" 2>&1 >/dev/null)
as=$(ASAN_OPTIONS=detect_leaks=1 "$dir/asan/leak_kinds" 2>&1 >/dev/null)
echo
printf '%-23s %-24s %s\n' "leak_kinds" "memcheck" "LeakSanitizer"
for kind in "definitely lost:Direct" "indirectly lost:Indirect" "possibly lost:" "still reachable:"; do
    mk=${kind%%:*} lk=${kind#*:}
    m=$(sed -nE "s/.*$mk: ([0-9,]+) bytes in ([0-9,]+) blocks/\1 B in \2 block(s)/p" <<<"$vg")
    l=''
    [ -n "$lk" ] && l=$(sed -nE "s/^$lk leak of ([0-9]+) byte\(s\) in ([0-9]+) object\(s\).*/\1 B in \2 object(s) ($lk leak)/p" <<<"$as" | head -1)
    printf '%-23s %-24s %s\n' "$mk" "${m:-MISSED}" "${l:-not reported}"
    [ -n "$m" ] && [ "$m" != "0 B in 0 block(s)" ] || status=1
    { [ -n "$lk" ] && [ -z "$l" ]; } && status=1
done
exit $status
