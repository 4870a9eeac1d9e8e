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
# `timing` blocks are only refreshed. `--check` never writes.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in
--write | --check) shift ;;
*) echo "usage: tools/docs.sh --write|--check README.md..." >&2; exit 2 ;;
esac

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
                if [ "$mode" = --check ] && [ "$kind" != exact ]; then
                    new=$(printf '%s' "$old" | sed '1d;$d') # timing blocks: only --write reruns them
                elif ! new=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL bash -c "$cmd" 2>&1); then
                    echo "$file: '$cmd' failed:" >&2
                    printf '%s\n' "$new" | tail -5 >&2
                    status=1
                    printf '%s' "$old" >>"$out"
                else
                    if [ "$mode" = --check ] && [ "$kind" = exact ]; then
                        want=$(printf '%s' "$old" | sed '1d;$d' | stable)
                        got=$(printf '%s\n' "$new" | stable)
                        if [ "$want" != "$got" ]; then
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
        if [[ "$line" =~ ^'<!-- docs: '(exact|timing)' '(.*)' -->'$ ]]; then
            in_block=1 kind=${BASH_REMATCH[1]} cmd=${BASH_REMATCH[2]} old=''
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
