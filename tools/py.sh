#!/usr/bin/env bash
# py.sh: a lesson's Python twin (NN_name/py/), as `make py-NN` runs it.
#
#   tools/py.sh DIR            run every program DIR/py/*.py (not the test_*.py, nor a module
#                              without a __main__ block), in order
#   tools/py.sh DIR NAME.py    run that one (ARGS after it go to the program)
#
# Python is Debian's /usr/bin/python3, whatever python3 comes first on PATH, and it runs
# in a fixed small environment: CPython copies the environment into a dict at start, so
# its size would change what the programs measure. Programs run from the repository
# root; the tests beside them (test_*.py) run in make test-NN (tools/twins.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

py=/usr/bin/python3
usage() { echo "usage: tools/py.sh NN_name [PROGRAM.py [ARGS]]" >&2; exit 2; }
[ $# -ge 1 ] || usage
dir=$1
shift
[ -d "$dir" ] || { echo "py.sh: no lesson directory '$dir'" >&2; exit 2; }
[ -d "$dir/py" ] || { echo "py.sh: $dir has no Python twin ($dir/py/)" >&2; exit 2; }
[ -x "$py" ] || { echo "py.sh: $py is missing: run 'make deps' (Debian package python3)" >&2; exit 2; }

programs=()
if [ $# -ge 1 ]; then
    name=${1##*/}
    shift
    case "$name" in
    test_*.py) echo "py.sh: '$name' is a test: make test-${dir%%_*} runs it" >&2; exit 2 ;;
    esac
    if [ ! -f "$dir/py/$name" ] || [[ "$name" != *.py ]]; then
        echo "py.sh: $dir/py has no program '$name' (it has: $(cd "$dir/py" && ls -- *.py | grep -v '^test_' | tr '\n' ' '))" >&2
        exit 2
    fi
    programs=("$dir/py/$name")
else
    for f in "$dir"/py/*.py; do
        case "${f##*/}" in test_*) continue ;; esac
        grep -q '^if __name__ == "__main__":' "$f" || continue # a module the programs import
        programs+=("$f")
    done
    [ ${#programs[@]} -gt 0 ] || { echo "py.sh: $dir/py has no program (only tests)" >&2; exit 2; }
fi

status=0
for p in "${programs[@]}"; do
    [ ${#programs[@]} -eq 1 ] || echo "== $py $p"
    env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 \
        "$py" "$p" "$@" || status=$?
done
exit $status
