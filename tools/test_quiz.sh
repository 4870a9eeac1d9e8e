#!/usr/bin/env bash
# test_quiz.sh DIR: tools/quiz.py (make quiz) against INTERVIEW.md and a page of its own:
# every question found with its section and answer; a session typed on a pipe (the score,
# the missed list, AGAIN=1 asking those alone, the same SEED the same order); bad input one
# line and status 2; output that cannot be written status 1; then make quiz in a real
# terminal (tmux), driven with the keys a person types. Prints "quiz: P passed, F failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
dir=${1:?usage: tools/test_quiz.sh DIR}
mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || exit 2
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
expect() { # WHAT COMMAND...: passes when the command succeeds
    local what=$1
    shift
    if "$@"; then ok; else fail "$what"; fi
}
quiz() { tools/quiz.py --state "$dir/state" "$@"; }
# make quiz runs here as a fresh shell would run it: none of the calling make's variables
unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES TMUX
py() { python3 -c "import sys; sys.path.insert(0, 'tools'); import quiz; $1"; }

# ---- the page: every "**N. ...**" line a question, numbered 1..N, with an answer ----
listed=$(grep -cE '^\*\*[0-9]+\. .*\*\*$' INTERVIEW.md)
found=$(py 'qs = quiz.parse("INTERVIEW.md"); print(len(qs))')
expect "INTERVIEW.md: $found questions parsed, $listed written" test "$found" = "$listed"
expect "numbered 1 to $listed in order, each with a section and an answer that names its proof" \
    py 'qs = quiz.parse("INTERVIEW.md")
assert [q.number for q in qs] == list(range(1, len(qs) + 1)), "numbering"
bad = [q.number for q in qs if not q.section or "](" not in "\n".join(q.lines)]
assert not bad, f"no section or no link: {bad}"'
sum=$(quiz --list | awk '{ n += $1 } END { print n }')
expect "--list: the sections' counts add up to $listed (saw $sum)" test "$sum" = "$listed"

cat >"$dir/page.md" <<'EOF'
# A page

## First part

**1. Where is the `first` one?**

Here, in [a file](a.c) and [b.c](b.c); `Test(suite, a_name_with_no_break)` names it.

<!-- docs: exact echo -->
```text
**2. not a question: inside a block**
```
<!-- /docs -->

**2. And the second?**

Two lines
of answer.

## Second part

**3. The third?**

Three.
EOF
expect "a page of its own: three questions, the fenced line not one of them, each in its section" \
    py 'qs = quiz.parse("'"$dir"'/page.md")
assert [(q.number, q.section) for q in qs] == [(1, "First part"), (2, "First part"), (3, "Second part")], [(q.number, q.section) for q in qs]
r = quiz.render(qs[0], 40)
assert "a file (a.c) and b.c;" in r.replace("\n", " "), r
assert "`Test(suite, a_name_with_no_break)`" in r.split("\n"), r
assert "    **2. not a question: inside a block**" in r and "docs:" not in r, r
assert quiz.render(qs[1], 40) == "Two lines of answer.", quiz.render(qs[1], 40)'

# ---- a session on a pipe: Enter shows an answer, y or n marks it ----
rm -rf "$dir/state"
out=$(printf '\ny\n\nn\n' | quiz --n 2 --seed 7)
order=$(grep -o '^Question [0-9] of 2  (#[0-9]*' <<<"$out" | sed 's/.*#//')
first=$(sed -n 1p <<<"$order") second=$(sed -n 2p <<<"$order")
expect "two questions asked (saw '$order')" test "$(wc -l <<<"$order")" = 2
expect "the score: 1 of 2" grep -q '^You had 1 of 2\.$' <<<"$out"
expect "the missed one listed, #$second" grep -q "^  #$second " <<<"$out"
expect "and kept for AGAIN=1" test "$(cat "$dir/state/missed")" = "$second"
# (word for word: where the lines break follows the terminal's width)
expect "the answer shown is the page's (#$first)" \
    py 'q = [q for q in quiz.parse("INTERVIEW.md") if q.number == '"$first"'][0]
words = " ".join(open("/dev/stdin").read().split())
assert " ".join(quiz.render(q, 90).split()) in words' <<<"$out"
again=$(printf '\ny\n\nn\n' | quiz --n 2 --seed 7 | grep -o '^Question [0-9] of 2  (#[0-9]*' | sed 's/.*#//')
expect "the same SEED, the same order" test "$again" = "$order"
out=$(printf '\ny\n' | quiz --again)
expect "--again asks the missed one alone" grep -q "^Question 1 of 1  (#$second," <<<"$out"
expect "had this time: it leaves the list" test ! -s "$dir/state/missed"
expect "then --again has nothing to ask" \
    grep -q 'nothing missed last time' <<<"$(quiz --again </dev/null)"
out=$(printf 'q\n' | quiz --topic realloc --seed 1)
expect "q at the first question: 0 of 0, in the topic's section" \
    grep -qE '^Question 1 of [0-9]+  \(#[0-9]+, realloc\)' <<<"$out"
expect "and nothing recorded" test ! -s "$dir/state/missed"
out=$(printf 'x\n\nmaybe\nn\n' | quiz --n 1 --seed 3)
expect "a key that means nothing is asked again" test "$(grep -c '(type ' <<<"$out")" = 2
expect "end of input leaves like q" grep -q '^You had 0 of 0\.$' <<<"$(quiz --n 3 </dev/null)"

# ---- bad input: one line on stderr, nothing on stdout, status 2 ----
bad() { # EXPECTED-TEXT ARGS...
    local want=$1 out err rc
    shift
    out=$(quiz "$@" 2>"$dir/err" </dev/null)
    rc=$?
    err=$(cat "$dir/err")
    if [ $rc = 2 ] && [ -z "$out" ] && [ "$(grep -c . "$dir/err")" = 1 ] && grep -qF -- "$want" <<<"$err"; then
        ok
    else
        fail "quiz $*: status $rc, stdout '$out', stderr '$err'"
    fi
}
bad "TOPIC 'nosuch' names no section" --topic nosuch
bad "N must be a whole number from 1 to $listed, got '0'" --n 0
bad "N must be a whole number from 1 to $listed, got '$((listed + 1))'" --n $((listed + 1))
in_realloc=$(quiz --list | awk '$2 == "realloc" && NF == 2 { print $1 }')
bad "N must be a whole number from 1 to $in_realloc, got 'ten'" --topic realloc --n ten
bad "SEED must be a whole number, got 'x'" --seed x
bad "unrecognized arguments: --nosuch" --nosuch
bad "cannot read nosuch.md" nosuch.md
out=$(make -s quiz N=0 2>&1 </dev/null)
expect "make quiz N=0: one line from make (saw '$out')" \
    test "$(grep -c . <<<"$out")" = 1 -a -n "$(grep -F "N must be a whole number" <<<"$out")"
if [ -w /dev/full ]; then
    err=$(quiz --list 2>&1 >/dev/full)
    rc=$?
    expect "--list into /dev/full: status 1 and one line (saw $rc, '$err')" \
        test $rc = 1 -a "$(grep -c 'cannot write' <<<"$err")" = 1
fi

# ---- make quiz in a terminal, as a person uses it ----
if command -v tmux >/dev/null; then
    TMUX_SOCK=${TMPDIR:-/tmp}/quiz-test-$$.sock TMUX_SESSION=quiz
    # shellcheck source=tools/tmux.sh
    . tools/tmux.sh
    rm -rf "$dir/tmux-build"
    T -f /dev/null new-session -d -s quiz -x 100 -y 40 -c "$PWD" \
        "env PS1='quiz-test\$ ' TERM=xterm bash --norc --noprofile -i"
    T send-keys -t quiz "make -s quiz N=2 SEED=5 BUILD=$dir/tmux-build" Enter
    expect "make quiz shows the first question" wait_for '^Question 1 of 2  \(#' 30
    expect "and waits for Enter" wait_for '\[Enter: the answer, q: leave\] $' 5
    n1=$(screen | sed -n 's/^Question 1 of 2  (#\([0-9]*\),.*/\1/p')
    line1=$(py 'print(quiz.render([q for q in quiz.parse("INTERVIEW.md") if q.number == '"${n1:-0}"'][0], 90).split("\n")[0])')
    T send-keys -t quiz Enter
    expect "Enter shows the answer of #$n1" wait_for "^$(sed 's/[][\.*^$()|?+{}]/\\&/g' <<<"$line1")" 5
    expect "and asks y or n" wait_for 'Did you have it\? \[y/n, q: leave\] $' 5
    T send-keys -t quiz n Enter
    expect "n goes on to the second question" wait_for '^Question 2 of 2  \(#' 5
    T send-keys -t quiz q Enter
    expect "q leaves with the score" wait_for '^You had 0 of 1\.$' 5
    expect "and lists #$n1 to read again" wait_for "^  #$n1 " 5
    expect "and the shell prompt is back" wait_for 'quiz-test\$ *$' 5
    expect "the missed one kept for AGAIN=1" test "$(cat "$dir/tmux-build/quiz/missed" 2>/dev/null)" = "$n1"
    T kill-server 2>/dev/null
    rm -f "$TMUX_SOCK"
else
    fail "tmux is missing (make deps installs it)"
fi

echo "quiz: $passed passed, $failed failed"
[ "$failed" = 0 ]
