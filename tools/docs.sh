#!/usr/bin/env bash
# docs.sh: the figures in the READMEs come from running the code, never from typing.
#
#   tools/docs.sh --write FILE...   rerun every generated block and rewrite it
#   tools/docs.sh --check FILE...   fail if an `exact` block no longer matches the code
#
# A generated block in a README:
#   <!-- docs: exact build/01_allocation_basics/main 1000 -->
#   ```text
#   ...output of the command, run from the repository root...
#   ```
#   <!-- /docs -->
# `exact` blocks are checked line by line, except lines that show a time (a figure with
# ns, us, ms or s, or MB/s): timings differ from run to run and are only refreshed.
# `timing` blocks are only refreshed, and so are `layout` blocks: figures that follow the
# size and layout of the program itself, or the processor, rather than what it allocates
# (massif's --pages-as-heap counts every page mapped, code included, so it moves a page
# whenever the binary grows one; --stacks=yes follows the size of the environment;
# callgrind's instructions in glibc's string functions follow the variant glibc picks for
# the CPU). `sample` blocks are only refreshed too: counts that follow a random draw, such
# as how many of 1,000 Go maps drew an extra table from their hash seeds, or the state of
# the kernel at that moment, such as the page faults fault-around saves on a file mapping;
# the tests assert their bounds. `--check` never writes.
#
# Figures that depend on a library's or a language's version name it after the kind:
#   <!-- docs: exact glibc=2.36 build/01_allocation_basics/main 1000 -->
# (keys: glibc, glib, go, python, valgrind, gcc, clang; major.minor is compared; and thp, the
# kernel's transparent huge page mode, always, madvise or never, where a figure counts
# pages the kernel maps). --write records the versions of this machine, and keeps as it
# is a block recorded with another major.minor version (a Go 1.24 block on a machine with
# Go 1.19: its figures, and the prose around them, are that version's), unless --only
# names it. --check on another version runs the block and, where the output differs,
# prints the difference as a note instead of failing: that difference is what the other
# version does. A block whose tool is not installed is skipped with a note.
#
#   tools/docs.sh --write --only REGEX FILE...   rewrite only the blocks whose command
#                                                matches REGEX (grep -E); a block of
#                                                another version it names is rewritten
#                                                with a note saying so
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: tools/docs.sh --write [--only REGEX]|--check README.md..." >&2; exit 2; }
mode=${1:-}
only=''
case "$mode" in
--write | --check) shift ;;
*) usage ;;
esac
if [ "${1:-}" = --only ]; then
    [ "$mode" = --write ] && [ $# -ge 2 ] || usage
    only=$2
    shift 2
fi

# version KEY: this machine's version of KEY, major.minor[.patch]; empty if not installed.
version() {
    case "$1" in
    glibc) getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ print $2 }' ;;
    glib) pkg-config --modversion glib-2.0 2>/dev/null || true ;;
    go) command -v go >/dev/null && go env GOVERSION 2>/dev/null | sed 's/^go//' || true ;;
    python) /usr/bin/python3 -c 'import platform; print(platform.python_version())' 2>/dev/null || true ;;
    valgrind) valgrind --version 2>/dev/null | sed 's/^valgrind-//' || true ;;
    gcc) gcc -dumpfullversion 2>/dev/null || true ;;
    clang) command -v clang >/dev/null && clang -dumpversion 2>/dev/null || true ;;
    # a kernel built without THP maps small pages only, as "never" does
    thp) sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null | grep . || echo never ;;
    *) echo "docs.sh: unknown version key '$1' (glibc, glib, go, python, valgrind, gcc, clang, thp)" >&2; return 1 ;;
    esac
}
minor() { cut -d. -f1,2 <<<"$1"; }

# Lines that carry a time are not compared.
TIME_RE='[0-9][0-9.,]*[[:space:]]*(ns|us|µs|ms|s)(/op)?([^[:alnum:]]|$)|MB/s'
stable() { grep -Ev -- "$TIME_RE" | sed -E 's/[[:space:]]+$//' || true; }

status=0
for file in "$@"; do
    [ -f "$file" ] || { echo "docs.sh: no such file: $file" >&2; status=1; continue; }
    out=$(mktemp)
    in_block=0 kind='' cmd=''
    old=''
    while IFS= read -r line || [ -n "$line" ]; do
        if [ "$in_block" = 1 ]; then
            if [[ "$line" == '<!-- /docs -->' ]]; then
                in_block=0
                if { [ "$mode" = --check ] && [ "$kind" != exact ]; } || [ "$skip" = 1 ] || [ -n "$missing" ]; then
                    # timing and layout blocks: only --write reruns them; --only: the others stay
                    printf '%s' "$old" >>"$out"
                    [ -n "$missing" ] && echo "note: $file: '$cmd' skipped: not installed:$missing" >&2
                    [ "$kept" = 1 ] && echo "note: $file: '$cmd' kept: recorded with$differs; refresh it where that version runs, or name it with --only" >&2
                elif ! new=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL bash -c "$cmd" 2>&1); then
                    echo "$file: '$cmd' failed:" >&2
                    printf '%s\n' "$new" | tail -5 >&2
                    status=1
                    printf '%s' "$old" >>"$out"
                else
                    if [ "$mode" = --check ] && [ "$kind" = exact ]; then
                        want=$(printf '%s' "$old" | sed '1d;$d' | stable)
                        got=$(printf '%s\n' "$new" | stable)
                        if [ "$want" != "$got" ] && [ -n "$differs" ]; then
                            echo "note: $file: '$cmd' was recorded with$differs; there it prints:" >&2
                            diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    /' | head -20 >&2 || true
                        elif [ "$want" != "$got" ]; then
                            echo "$file: the figures of '$cmd' no longer match the code (run 'make docs'):" >&2
                            diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    /' | head -20 >&2 || true
                            status=1
                        fi
                    fi
                    printf '```text\n%s\n```\n' "$new" >>"$out"
                fi
                printf '%s\n' "$line" >>"$out"
                old=''
            else
                old+="$line"$'\n'
            fi
            continue
        fi
        printf '%s\n' "$line" >>"$out"
        if [[ "$line" =~ ^'<!-- docs: '(exact|timing|layout|sample)' '(.*)' -->'$ ]]; then
            in_block=1 kind=${BASH_REMATCH[1]} cmd=${BASH_REMATCH[2]} old=''
            # leading KEY=VERSION words: what the figures depend on
            pins='' differs='' missing='' marker="<!-- docs: $kind"
            while [[ "$cmd" =~ ^(glibc|glib|go|python|valgrind|gcc|clang|thp)=([0-9a-z][0-9a-z.]*)' '(.*)$ ]]; do
                key=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]} cmd=${BASH_REMATCH[3]}
                have=$(version "$key")
                pins+=" $key=$want"
                marker+=" $key=${have:-$want}"
                if [ -z "$have" ]; then
                    missing+=" $key"
                elif [ "$(minor "$have")" != "$(minor "$want")" ]; then
                    differs+=" $key $(minor "$want") (this machine: $have)"
                fi
            done
            marker+=" $cmd -->"
            skip=0 kept=0
            [ -n "$only" ] && ! grep -qE -- "$only" <<<"$cmd" && skip=1
            # a block recorded with another version is that version's figures: --write
            # keeps it, unless --only names it
            if [ "$mode" = --write ] && [ "$skip" = 0 ] && [ -n "$differs" ] && [ -z "$only" ]; then
                skip=1 kept=1
            fi
            # named by --only: said aloud, since a REGEX meant for one version's block can
            # match its twin of another version as well
            [ "$mode" = --write ] && [ "$skip" = 0 ] && [ -n "$differs" ] && [ -z "$missing" ] &&
                echo "note: $file: '$cmd' was recorded with$differs; --only names it, so this machine's figures replace that version's" >&2
            # --write records this machine's versions in the marker
            if [ "$mode" = --write ] && [ "$skip" = 0 ] && [ -n "$pins" ] && [ -z "$missing" ]; then
                sed -i '$d' "$out"
                printf '%s\n' "$marker" >>"$out"
            fi
        fi
    done <"$file"
    if [ "$in_block" = 1 ]; then
        echo "$file: block '$cmd' has no closing <!-- /docs -->" >&2
        status=1
    elif [ "$mode" = --write ]; then
        cat "$out" >"$file"
        echo "docs: $file"
    fi
    rm -f "$out"
done
exit $status
