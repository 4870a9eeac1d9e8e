#!/usr/bin/env bash
# test_check_links.sh DIR: tools/check_links.py against a page whose references all exist
# and against pages with one broken reference each; it must pass the first, and fail each
# of the others naming the broken reference. Then tools/contents.py's block: checked,
# found stale, rewritten. Prints "check_links: P passed, F failed".
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: tools/test_check_links.sh DIR}
mkdir -p "$dir"
up=$(realpath --relative-to="$dir" .) # from DIR back to the repository root

good="A [section]($up/README.md#quickstart), a [file]($up/04_pooling/test_misuse.c) and
\`Test(misuse, asan_reports_a_heap_use_after_free)\`, wrapped \`Test(realloc_corners,
glibc_realloc_to_0_frees_the_block_and_returns_null)\`, \`TestPoolObjectsComeBackDirty\`,
\`test_join_allocates_exactly_the_result_and_nothing_more_on_the_way\`, [up](#a-heading), [web](https://example.org/x),
\`code [not](a link)\`.

## A heading
"
passed=0
failed=0
check() { # NAME EXPECTED-STATUS EXPECTED-TEXT PAGE-TEXT
    printf '%s' "$4" >"$dir/links_$1.md"
    out=$(tools/check_links.py "$dir/links_$1.md" 2>&1)
    status=$?
    if [ "$status" = "$2" ] && grep -qF -- "$3" <<<"$out"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $1: expected status $2 and '$3', saw status $status: $out"
    fi
}
check good 0 '' "$good"
check missing_file 1 'broken link: nosuch.c' "$good [x](nosuch.c)"
check missing_anchor 1 "no heading #quickstrat in README.md" "$good [x]($up/README.md#quickstrat)"
check missing_own_anchor 1 'no heading #nowhere' "$good [x](#nowhere)"
check missing_c_test 1 'no such test: Test(misuse, asan_reports_nothing_at_all)' \
    "$good Test(misuse, asan_reports_nothing_at_all)"
check missing_go_test 1 'no such Go test: TestPoolObjectsComeBackClean' "$good \`TestPoolObjectsComeBackClean\`"
check missing_py_test 1 'no such Python test: test_join_is_quadratic' "$good \`test_join_is_quadratic\`"
# A contents block (tools/contents.py): one that lists the headings passes, one that misses
# a heading fails, and contents.py rewrites it so that it passes again.
toc="# Title

<!-- contents -->
- [A heading](#a-heading)
  - [A sub heading](#a-sub-heading)
<!-- /contents -->

## A heading

### A sub heading
"
check contents_good 0 '' "$toc"
check contents_stale 1 'contents out of date: run tools/contents.py' "$toc
## Another heading
"
out=$(tools/contents.py "$dir/links_contents_stale.md" 2>&1 && tools/contents.py --check "$dir/links_contents_stale.md" 2>&1)
if [ $? = 0 ] && grep -qF -- '- [Another heading](#another-heading)' "$dir/links_contents_stale.md"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL contents_rewritten: expected contents.py to add the new heading: $out"
fi
out=$(tools/contents.py --check "$dir/links_good.md" 2>&1)
if [ $? = 1 ] && grep -qF 'no contents block' <<<"$out"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAIL contents_missing: expected --check to fail on a page without a block: $out"
fi
out=$(tools/check_links.py 2>&1)
if [ $? = 2 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL no arguments: $out"; fi
echo "check_links: $passed passed, $failed failed"
[ "$failed" = 0 ]
