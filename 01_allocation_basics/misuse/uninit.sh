#!/usr/bin/env bash
# uninit.sh: misuse/uninit_use and misuse/padding_leak under memcheck, without and with
# --track-origins=yes, one line per thing memcheck says: what (the error, the block it
# points into, where the bytes came from), then the function and line of the program's
# own it names (make uninit-01).
#
#   01_allocation_basics/misuse/uninit.sh BUILD_DIR/01_allocation_basics/misuse
#
# Exit status 1 when a program's run under memcheck reports nothing.
set -uo pipefail
dir=${1:?usage: uninit.sh BUILD_DIR/01_allocation_basics/misuse}
command -v valgrind >/dev/null || { echo "uninit: valgrind is missing (make deps)" >&2; exit 2; }
status=0

# findings SRC: each heading of memcheck's report on stdin (the error, and its " Address"
# and " Uninitialised value" notes; addresses left out) with the first frame in SRC.
findings() {
    awk -v src="$1" '
        { sub(/^==[0-9]+== ?/, "") }
        /^ ?[A-Z]/ { head = $0; sub(/^ /, "", head); sub(/^Address 0x[0-9a-fA-F]+ is /, "", head); done = 0; next }
        head != "" && !done && index($0, "(" src ":") {
            fn = $0; sub(/^ *(at|by) 0x[0-9A-Fa-f]+: /, "", fn); sub(/ \(.*/, "", fn)
            loc = $0; sub(/.*\(/, "", loc); sub(/\)$/, "", loc)
            printf "  %s: %s, %s\n", head, fn, loc; done = 1
        }'
}

for prog in uninit_use padding_leak; do
    for opts in "" "--track-origins=yes"; do
        echo "valgrind $opts${opts:+ }misuse/$prog:"
        out=$(valgrind -q $opts "$dir/$prog" 2>&1 >/dev/null | findings "$prog.c")
        [ -n "$out" ] || { out="  MISSED: nothing reported"; status=1; }
        printf '%s\n' "$out"
    done
done
exit $status
