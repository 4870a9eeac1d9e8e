#!/usr/bin/env bash
# test_docs.sh DIR: tools/docs.sh on pages of its own blocks: an exact block that matches
# passes --check and one that does not fails it; a block recorded with another version
# (python=2.7) is a note to --check, is kept as it is by --write and rewritten only when
# --only names it, with a note that says so; a block of this machine's version is rewritten and keeps its pin.
# Prints "docs: P passed, F failed".
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: tools/test_docs.sh DIR}
mkdir -p "$dir"
py=$(/usr/bin/python3 -c 'import platform; print(platform.python_version())')

block() { # KIND-AND-PINS COMMAND OUTPUT
    printf '<!-- docs: %s %s -->\n```text\n%s\n```\n<!-- /docs -->\n' "$1" "$2" "$3"
}
passed=0
failed=0
result() { # NAME OK-OR-NOT DETAIL
    if [ "$2" = 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $1: $3"
    fi
}
# check NAME MODE EXPECTED-STATUS EXPECTED-TEXT (grep -F in what docs.sh printed, '' for
# none) EXPECTED-PAGE (the page after the run) PAGE
check() {
    local page=$dir/docs_$1.md out status ok=0
    printf '%s' "$6" >"$page"
    out=$(tools/docs.sh $2 "$page" 2>&1)
    status=$?
    [ "$status" = "$3" ] || ok=1
    [ -z "$4" ] || grep -qF -- "$4" <<<"$out" || ok=1
    [ "$(cat "$page")" = "$5" ] || ok=1
    result "$1" "$ok" "expected status $3 and '$4', saw status $status: $out; the page: $(cat "$page")"
}

same=$(block exact "printf 'a\nb'" $'a\nb')
check exact_matches --check 0 '' "$same" "$same"
stale=$(block exact "printf 'a\nc'" $'a\nb')
check exact_differs --check 1 'no longer match the code' "$stale" "$stale"
other=$(block exact "python=2.7 printf 'a\nc'" $'a\nb')
check other_version_is_a_note --check 0 'was recorded with python 2.7' "$other" "$other"
check other_version_is_kept_by_write --write 0 "kept: recorded with python 2.7" "$other" "$other"
check other_version_rewritten_when_named "--write --only printf" 0 \
    "was recorded with python 2.7 (this machine: $py); --only names it, so this machine's figures replace" \
    "$(block exact "python=$py printf 'a\nc'" $'a\nc')" "$other"
mine=$(block exact "python=$py printf 'a\nc'" $'a\nb')
check this_version_is_rewritten --write 0 '' "$(block exact "python=$py printf 'a\nc'" $'a\nc')" "$mine"
echo "docs: $passed passed, $failed failed"
[ "$failed" = 0 ]
