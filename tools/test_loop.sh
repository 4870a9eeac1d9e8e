#!/usr/bin/env bash
# test_loop.sh: the exercise loop tested the way a person uses it (make test-loop).
#
#   tools/test_loop.sh SCRATCH COUNT_FILE
#
# SCRATCH becomes a copy of the repository (the working tree's files, every exercise.c
# as committed) and a git repository of its own, so the real exercise files are never
# touched. There, `make watch` runs in a real terminal (tmux, 120x40): the first
# exercise's solution is saved into it, and the screen must show it solved and name the
# next one; `make hint` from another terminal must reach the watch screen; Ctrl-C must
# bring back the shell prompt with nothing left running. Then make exercises, hint, reset
# and exercise, their bad inputs, a build error, and a "find" exercise (made here, in the
# copy) graded by memcheck. Writes "PASSED FAILED 0" to COUNT_FILE for make test.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
scratch=${1:?usage: tools/test_loop.sh SCRATCH COUNT_FILE}
count=${2:?usage: tools/test_loop.sh SCRATCH COUNT_FILE}
count=$(realpath -m "$count")
pass=0 failed=0
ok() { echo "  ok    loop: $*"; pass=$((pass + 1)); }
fail() { echo "  FAIL  loop: $*"; failed=$((failed + 1)); }
expect() { # expect WHAT COMMAND...: counts as a pass when the command succeeds
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
for tool in tmux inotifywait git valgrind pgrep ps; do
    command -v $tool >/dev/null || { echo "test_loop.sh: $tool is missing (make deps installs it)" >&2; exit 2; }
done

# ---- the scratch copy ----
rm -rf "$scratch" && mkdir -p "$scratch" || exit 2
scratch=$(cd "$scratch" && pwd)
if git rev-parse --git-dir >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard |
        tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$scratch"
else # not a git checkout: everything but the builds
    tar --exclude=./build -cf - . | tar -xf - -C "$scratch"
fi
for d in [0-9][0-9]_*/exercises/*/; do
    git show "HEAD:${d}exercise.c" >"$scratch/${d}exercise.c.head" 2>/dev/null &&
        mv "$scratch/${d}exercise.c.head" "$scratch/${d}exercise.c"
    rm -f "$scratch/${d}exercise.c.head"
done

# A tiny "find" exercise: its tests pass, but it leaks; the solution frees.
# It goes last (the last lesson, K = 99), after the exercises the watch test works on.
find_ex=$(ls -d [0-9][0-9]_*/ | tail -1)exercises/99_find_tiny_leak
mkdir -p "$scratch/$find_ex/solution"
cat >"$scratch/$find_ex/exercise.c" <<'EOF'
/* Find the leak: the tests pass, memcheck does not. */
#include <stdlib.h>
int tiny_sum(int n);
int tiny_sum(int n)
{
    int *v = malloc((size_t)n * sizeof *v), s = 0;
    if (v == NULL)
        return -1;
    for (int i = 0; i < n; i++)
        s += v[i] = i;
    return s;
}
EOF
sed 's/    return s;/    free(v);\n    return s;/' "$scratch/$find_ex/exercise.c" >"$scratch/$find_ex/solution/exercise.c"
cat >"$scratch/$find_ex/test_exercise.c" <<'EOF'
#include <criterion/criterion.h>
int tiny_sum(int n);
Test(tiny, sums_the_first_n_numbers) { cr_assert(tiny_sum(4) == 6, "tiny_sum(4) should be 6"); }
EOF
printf 'memcheck says where the block was allocated.\n---\nfree(v) before returning.\n' \
    >"$scratch/$find_ex/hints.txt"

# Everything in the copy runs as a fresh shell would: none of our make's variables.
unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES TMUX
export BUILD=build
cd "$scratch" || exit 2
if ! { git init -q && git add -A && git -c user.name=loop -c user.email=loop@localhost commit -qm scratch; }; then
    echo "test_loop.sh: cannot make the scratch repository" >&2
    exit 2
fi
exercises=$(ls -d [0-9][0-9]_*/exercises/*/ | sed 's|/$||' | sort -t/ -k1,1 -k3,3n)
first=$(head -1 <<<"$exercises")
second=$(sed -n 2p <<<"$exercises")
short() { echo "${1%%_*}/${1##*/}"; }
# shellcheck disable=SC2046
make -s -j2 $(sed 's|.*|build/&/starter|' <<<"$exercises") >build.log 2>&1 ||
    { cat build.log; echo "test_loop.sh: the scratch copy does not build" >&2; exit 1; }

# ---- make watch in a terminal ----
TMUX_SOCK=${TMPDIR:-/tmp}/loop-test-$$.sock TMUX_SESSION=loop
# shellcheck source=tools/tmux.sh
. tools/tmux.sh
T -f /dev/null new-session -d -s loop -x 120 -y 40 -c "$scratch" \
    "env PS1='loop-test\$ ' TERM=xterm bash --norc --noprofile -i"
T send-keys -t loop 'make watch' Enter
expect "make watch starts on the first exercise, $(short "$first")" \
    wait_for "Waiting for a save in $first/" 240
expect "its first failure and hint 1 are on the screen" \
    wait_for "FAILED: .*|Hint 1 of" 1
cp "$first/solution/exercise.c" "$first/exercise.c"
expect "saving the solution shows $(short "$first") solved" wait_for "$(short "$first"): SOLVED" 120
expect "and names the next one, $(short "$second")" wait_for "^Next: $(short "$second")\$" 10
expect "and watches it" wait_for "Waiting for a save in $second/" 120
make -s hint >/dev/null 2>&1
expect "make hint in another terminal shows hint 2 on the watch screen" \
    wait_for "Hint 2 of [0-9]+ \($(short "$second")\)" 60
pane_pid=$(T display-message -p -t loop '#{pane_pid}')
screen >build/screen.txt # for a person to look at
T send-keys -t loop C-c
expect "Ctrl-C leaves make watch" wait_for "Left make watch" 20
expect "and the shell prompt is back" wait_for 'loop-test\$ *$' 10
sleep 0.5
left=$(pgrep -P "$pane_pid")
expect "with nothing left running${left:+ (left: $(ps -o comm= -p "$left" | tr '\n' ' '))}" test -z "$left"
T send-keys -t loop 'echo answer-$((6 * 7))' Enter
expect "and the terminal works as before" wait_for '^answer-42$' 10
T kill-server 2>/dev/null
rm -f "$TMUX_SOCK"

# ---- the other commands, as typed ----
# bad ARGS...: make ARGS fails with one line on stderr, nothing on stdout, no file touched
state() { { git status --porcelain; cat build/*/exercises/*/hints.shown build/exercises.current 2>/dev/null; } | md5sum; }
bad() {
    local before out err rc
    before=$(state)
    out=$(make -s "$@" 2>build/err)
    rc=$?
    err=$(cat build/err)
    if [ $rc != 0 ] && [ -z "$out" ] && [ "$(grep -c . build/err)" = 1 ] && [ "$(state)" = "$before" ]; then
        ok "make $*: one line, status $rc, nothing touched ($(sed -E 's/^Makefile:[0-9]+: \*\*\* //' build/err))"
    else
        fail "make $*: status $rc, stdout '$out', stderr '$err'"
    fi
}
has() { grep -Eq -- "$1" <<<"$out"; } # has REGEX: the last command's output shows it

out=$(make -s exercises 2>&1)
n=$(wc -l <<<"$exercises")
expect "make exercises counts 1 of $n solved and names $(short "$second") next" \
    has "^In all: 1 of $n solved. Next: $(short "$second") "
expect "make exercises lists per lesson" has "^  ${first%%/*} +1 of [0-9]+ solved"
total=$(($(grep -c '^---$' "$second/hints.txt") + 1))
out=$(make -s hint 2>&1)
expect "make hint shows the current exercise's next hint ($((total < 3 ? total : 3)))" \
    has "^Hint $((total < 3 ? total : 3)) of $total \($(short "$second")\)"
out=$(make -s hint N=2 2>&1)
expect "make hint N=2 shows hint 2 again" has "^Hint 2 of [0-9]+ \($(short "$second")\)"
lesson=${first%%/*}
in_lesson=$(grep "^$lesson/" <<<"$exercises" | sed -n 2p)
out=$(make -s "exercise-${lesson%%_*}" 2>&1)
if [ -n "$in_lesson" ]; then
    expect "make exercise-${lesson%%_*} checks the lesson's first unsolved one" has "^$(short "$in_lesson"): not solved yet"
else
    expect "make exercise-${lesson%%_*} says the lesson is done" has "^$lesson: every exercise is solved"
fi
bad exercise-99
bad hint N=0
bad hint N=$((total + 1))
bad hint N=x
bad reset EX=
bad reset EX=01/9_no_such_exercise
bad exercise EX=bogus
bad hint N=1 EX=99/1_fix_nothing

out=$(make -s reset EX="$(short "$first")" 2>&1)
expect "make reset restores the starter from git" git diff --quiet -- "$first/exercise.c"
expect "and says what it did, and where the learner's version went" \
    has "is the starter again, as committed in git"
expect "which is kept" cmp -s "$first/solution/exercise.c" "build/$first/exercise.c.before-reset"
out=$(make -s exercise EX="$(short "$first")" 2>&1)
expect "make exercise on the reset starter fails, with the first failure and a hint" \
    has "^$(short "$first"): not solved yet"
printf 'this does not compile\n' >>"$second/exercise.c"
out=$(make -s exercise EX="$(short "$second")" 2>&1)
expect "a build error shows the compiler's first error" has "does not build. The compiler's first error:"
expect "quietly (no command lines), with a hint" \
    bash -c '! grep -q -- "-std=c11" <<<"$1" && grep -q "^Hint [0-9]" <<<"$1"' _ "$out"
make -s reset EX="$(short "$second")" >/dev/null

# ---- a "find" exercise: solved only when memcheck is clean too ----
out=$(make -s exercise EX="$(short "$find_ex")" 2>&1)
expect "find: the tests pass but memcheck's leak report keeps it unsolved" \
    has "the tests pass, but memcheck reports errors"
expect "find: the report shows the leak" has "definitely lost"
make -s "build/$find_ex/pristine" "build/$find_ex/solution" >/dev/null 2>&1
out=$(tools/exercise.sh prove "$find_ex" 2>&1)
expect "find: make test's proof runs memcheck on the starter and the solution" \
    has "fails on the starter \(tests pass, memcheck reports errors\), passes on the solution .*memcheck clean"

echo "loop: $pass checks passed, $failed failed"
echo "$pass $failed 0" >"$count"
[ $failed = 0 ]
