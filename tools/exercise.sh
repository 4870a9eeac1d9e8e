#!/usr/bin/env bash
# exercise.sh: run a lesson's exercise tests, with hints, as `make exercise-NN` does.
#
#   tools/exercise.sh DIR BUILD_DIR           your exercise.c against its tests; on
#                                             failure what was expected, what was seen,
#                                             and the next hint from DIR/hints.txt
#   tools/exercise.sh DIR BUILD_DIR --status  one line: solved or not yet
#   tools/exercise.sh DIR BUILD_DIR --prove   the tests fail on the starter as committed
#                                             and pass on solution/exercise.c (make test)
#
# Hints come one at a time, like rustlings: the first failure shows hint 1, the next
# a stronger hint 2, and so on; a pass starts them over. hints.txt separates hints with
# a line holding only ---.
set -uo pipefail

dir=${1:?usage: tools/exercise.sh DIR BUILD_DIR [--status|--prove]}
build=${2:?usage: tools/exercise.sh DIR BUILD_DIR [--status|--prove]}
mode=${3:-}
name=$(basename "$dir")

# run BINARY: Criterion's output in $out, its exit status returned.
run() {
    out=$("$1" --jobs 1 2>&1)
}

synthesis() { printf '%s\n' "$out" | grep -E 'Synthesis' | sed -E 's/.*Synthesis: //'; }

case "$mode" in
--status)
    if run "$build/exercise_starter"; then
        printf '  %-24s solved\n' "$name"
    else
        printf '  %-24s not yet   (%s)\n' "$name" "$(synthesis)"
    fi
    ;;
--prove)
    if run "$build/exercise_pristine"; then
        echo "$name: the exercise tests PASS on the committed starter exercise.c;" \
             "they must fail there, or the exercise teaches nothing" >&2
        exit 1
    fi
    starter=$(synthesis)
    if ! run "$build/exercise_solution"; then
        printf '%s\n' "$out" >&2
        echo "$name: the exercise tests FAIL on solution/exercise.c" >&2
        exit 1
    fi
    echo "$name: exercise tests fail on the starter ($starter) and pass on the solution ($(synthesis))"
    ;;
'')
    level_file="$build/.hint-level"
    if run "$build/exercise_starter"; then
        printf '%s\n' "$out" | tail -1
        echo "$name: exercise solved. Compare with $dir/solution/exercise.c."
        rm -f "$level_file"
        exit 0
    fi
    printf '%s\n' "$out" | grep -v '^\[----\] *$'
    hints="$dir/hints.txt"
    if [ -f "$hints" ]; then
        total=$(grep -c '^---$' "$hints")
        total=$((total + 1))
        level=$(cat "$level_file" 2>/dev/null || echo 1)
        [ "$level" -ge 1 ] 2>/dev/null || level=1
        [ "$level" -le "$total" ] || level=$total
        echo
        echo "Hint $level of $total:"
        awk -v want="$level" 'BEGIN { n = 1 } /^---$/ { n++; next } n == want' "$hints" | sed 's/^/  /'
        [ "$level" -lt "$total" ] && echo "(run make exercise again for a stronger hint)"
        echo $((level + 1)) >"$level_file"
    fi
    echo
    echo "$name: not solved yet. Edit $dir/exercise.c and run make exercise again."
    exit 1
    ;;
*)
    echo "exercise.sh: unknown mode '$mode' (expected --status or --prove)" >&2
    exit 2
    ;;
esac
