#!/usr/bin/env bash
# twins.sh: the tests of a lesson's Go and Python twins, as `make test-NN` runs them.
#
#   tools/twins.sh DIR RESULTS    run DIR/go's tests (if Go is installed) and DIR/py's
#                                 unittest files (test_*.py, with Debian's python3); each
#                                 writes "PASSED FAILED 0" to RESULTS/DIR.{go,py}.count
#
# Go and Python allocation counts are exact, so these tests assert them like the C ones.
# Without Go the Go twin is skipped with a line that says so: make deps installs it.
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: tools/twins.sh DIR RESULTS (two arguments, got $#)" >&2; exit 2; }
dir=$1 results=$2
[ -d "$dir" ] || { echo "twins.sh: DIR must be a lesson directory, got '$dir'" >&2; exit 2; }
mkdir -p "$results"
status=0

if [ -f "$dir/go/go.mod" ]; then
    if ! command -v go >/dev/null; then
        echo "$dir: Go twin skipped: Go is not installed (make deps installs golang-go)"
    else
        tools/go.sh "$dir" test >"$results/$dir.go.txt" 2>&1
        rc=$?
        pass=$(grep -c '^--- PASS' "$results/$dir.go.txt")
        failed=$(grep -c '^--- FAIL' "$results/$dir.go.txt")
        # a build or vet error fails the run even though no test reported
        [ "$rc" = 0 ] || [ "$failed" -gt 0 ] || failed=1
        echo "$pass $failed 0" >"$results/$dir.go.count"
        if [ "$rc" = 0 ]; then
            echo "$dir: Go twin ($(go env GOVERSION)): $pass tests passed"
        else
            grep -E -- '^(--- FAIL|\s+\S+_test\.go:[0-9]+:|#|vet:|FAIL)' "$results/$dir.go.txt" | head -20
            echo "$dir: Go twin: $failed failed (whole output: $results/$dir.go.txt)"
            status=1
        fi
    fi
fi

if ls "$dir"/py/test_*.py >/dev/null 2>&1; then
    py=/usr/bin/python3
    (cd "$dir/py" && "$py" -m unittest -v test_*.py) >"$results/$dir.py.txt" 2>&1
    rc=$?
    pass=$(grep -cE '\.\.\. ok$' "$results/$dir.py.txt")
    failed=$(grep -cE '\.\.\. (FAIL|ERROR)$' "$results/$dir.py.txt")
    [ "$rc" = 0 ] || [ "$failed" -gt 0 ] || failed=1
    echo "$pass $failed 0" >"$results/$dir.py.count"
    if [ "$rc" = 0 ]; then
        echo "$dir: Python twin ($("$py" -c 'import platform; print(platform.python_version())')): $pass tests passed"
    else
        tail -25 "$results/$dir.py.txt"
        echo "$dir: Python twin: $failed failed (whole output: $results/$dir.py.txt)"
        status=1
    fi
fi
exit $status
