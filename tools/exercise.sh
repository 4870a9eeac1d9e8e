#!/usr/bin/env bash
# exercise.sh: the exercise loop, as the make targets run it.
#
#   tools/exercise.sh watch            make watch: the first unsolved exercise, rerun on
#                                      every save, then the next one; Ctrl-C leaves
#   tools/exercise.sh check [EX]       make exercise: one exercise (the current one if no
#                                      EX), its first failure and its current hint
#   tools/exercise.sh lesson DIR       make exercise-NN: the lesson's first unsolved one
#   tools/exercise.sh hint [N] [EX]    make hint: the next hint; N: hint N again
#   tools/exercise.sh reset EX         make reset: exercise.c as committed in git
#   tools/exercise.sh list             make exercises: solved / total, and what is next
#   tools/exercise.sh catalog DIR      a lesson's exercises, one line each (its README)
#   tools/exercise.sh prove DIR...     make test: the tests fail on the committed starter
#                                      and pass on the solution
#   tools/exercise.sh args CMD ...     the bad-input check make runs before CMD: prints
#                                      one line saying what is wrong, or nothing
#
# EX names an exercise as NN/K_KIND_SLUG (01/1_fix_parse_ints) or by its folder.
# An exercise is solved when its tests pass on the learner's exercise.c; a "find"
# exercise also needs memcheck to report no error. Hints (hints.txt, separated by lines
# holding only ---) come one at a time: a failing run shows the current one, and only
# make hint moves on to the next.
#
# State lives in $BUILD (make clean forgets it, solved is always measured again):
#   $BUILD/<folder>/starter, solution, pristine   the three builds (see the Makefile)
#   $BUILD/<folder>/result        the last run's verdict, kept while starter is unchanged
#   $BUILD/<folder>/build.log, starter.log, starter.memcheck/   what the last build and
#                                 run printed (pristine.log, solution.log: make test's)
#   $BUILD/<folder>/hints.shown   how many hints have been shown
#   $BUILD/exercises.current      the exercise last checked and not solved
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
# shellcheck disable=SC2054 # "definite,possible" is one argument
MEMCHECK=(valgrind --tool=memcheck --trace-children=yes --error-exitcode=99 --leak-check=full
          --errors-for-leak-kinds=definite,possible --soname-synonyms=somalloc=nouserintercepts)

# ---- names ----
# every exercise folder, in lesson order, then by K
all() {
    local d
    for d in [0-9][0-9]_*/exercises/*/test_exercise.c; do
        [ -f "$d" ] && dirname "$d"
    done | sort -t/ -k1,1 -k3,3n
}
short() { local d=$1; echo "${d%%_*}/${d##*/}"; } # 01_x/exercises/1_fix_y -> 01/1_fix_y
kind() { local n=${1##*/}; n=${n#*_}; echo "${n%%_*}"; }

# resolve EX: the folder it names, or one line on stderr and status 2
resolve() {
    local ex=${1%/} d
    if [ -z "$ex" ]; then
        echo "no exercise named: say which one, as in EX=$(short "$(all | head -1)") (make exercises lists them)" >&2
        return 2
    fi
    if [ -f "$ex/test_exercise.c" ] && [[ $ex == [0-9][0-9]_*/exercises/* ]]; then
        echo "$ex"
        return 0
    fi
    if [[ $ex == [0-9][0-9]/* ]]; then
        for d in "${ex%%/*}"_*/exercises/"${ex#*/}"; do
            [ -f "$d/test_exercise.c" ] && echo "$d" && return 0
        done
    fi
    echo "no exercise '$ex': name one as NN/K_KIND_SLUG, as in $(short "$(all | head -1)") (make exercises lists them)" >&2
    return 2
}

# ---- building and running ----
# build DIR: the learner's build, its output in $BUILD/DIR/build.log
build() {
    mkdir -p "$BUILD/$1"
    $MAKE -s --no-print-directory "$BUILD/$1/starter" >"$BUILD/$1/build.log" 2>&1
}

# built DIR: the starter binary is there and no newer than the folder's sources
built() {
    local bin=$BUILD/$1/starter
    [ -x "$bin" ] && [ -z "$(find "$1" -maxdepth 1 -name '*.[ch]' -newer "$bin" -print -quit)" ]
}

# asan_build BIN: true for a binary built with AddressSanitizer. (ldd's whole output
# first: grep -q stops reading at the match, and under pipefail the SIGPIPE that ldd may
# then get would read as "not ASan".)
asan_build() { [[ "$(ldd "$1" 2>/dev/null)" == *libasan* ]]; }

# run BIN DIR: its tests, and memcheck for a "find" exercise. The verdict is the status
# (0 solved, 1 a test fails, 3 memcheck errors); the output stays in BIN.log, memcheck's
# reports in BIN.memcheck/.
run() {
    local bin=$1 dir=$2 log=$1.log vg=$1.memcheck rc
    # --foreground: Ctrl-C reaches the tests too
    timeout --foreground 120 "$bin" --jobs 1 >"$log" 2>&1
    rc=$?
    [ $rc != 124 ] || echo "[FAIL] the tests were stopped after 120 s: an endless loop?" >>"$log"
    [ $rc = 0 ] || return 1
    [ "$(kind "$dir")" = find ] || return 0
    # an AddressSanitizer build (make SANITIZE=1) checks itself: memcheck cannot run it
    asan_build "$bin" && return 0
    rm -rf "$vg" && mkdir -p "$vg"
    timeout --foreground 900 "${MEMCHECK[@]}" --log-file="$vg/%p.log" "$bin" --jobs 1 >"$log" 2>&1 || return 3
    ! grep -qs 'ERROR SUMMARY: [1-9]' "$vg"/*.log || return 3
}

# verdict DIR: solved (0) or not (1: tests, 2: build, 3: memcheck), using the last run
# while the starter binary has not changed. Prints nothing.
verdict() {
    local dir=$1 res=$BUILD/$1/result v
    built "$dir" || return 2
    if [ "$res" -nt "$BUILD/$dir/starter" ]; then
        return "$(cat "$res")"
    fi
    run "$BUILD/$dir/starter" "$dir"
    v=$?
    echo "$v" >"$res"
    return "$v"
}

# first_unsolved: the first exercise not solved, after building every starter at once
first_unsolved() {
    local d
    # shellcheck disable=SC2046
    $MAKE -s -k --no-print-directory $(all | sed "s|.*|$BUILD/&/starter|") >/dev/null 2>&1
    for d in $(all); do
        verdict "$d" || { echo "$d"; return 0; }
    done
    return 1
}

# current: the exercise last checked and not solved, else the first unsolved one
current() {
    local d
    d=$(cat "$BUILD/exercises.current" 2>/dev/null)
    if [ -n "$d" ] && [ -f "$d/test_exercise.c" ] && ! { build "$d" && verdict "$d"; }; then
        echo "$d"
        return 0
    fi
    first_unsolved
}

synthesis() { sed -nE 's/.*Synthesis: (Tested: .*) \| Crashing: 0 *$/\1/p; s/.*Synthesis: (Tested: .*[1-9].*)$/\1/p' "$1" | tail -1; }

# passing LOG: "5 of 7 tests pass"
passing() { synthesis "$1" | awk -F'[:|] *' '{ printf "%d of %d tests pass\n", $4, $2 }'; }

# ---- what the learner sees ----
# first_error DIR: the compiler's first error (or the linker's), with its source lines
first_error() {
    awk '/error:|undefined reference/ && !shown { on = 1; shown = 1; print; next }
         on && /^ +([0-9]+ )?[|]/ { print; next } { on = 0 }' "$BUILD/$1/build.log" | head -12
    grep -qE 'error:|undefined reference' "$BUILD/$1/build.log" || tail -5 "$BUILD/$1/build.log"
}

# warnings DIR: the compiler's warnings on the learner's file, shown but not fatal
warnings() {
    local n
    n=$(grep -c 'warning:' "$BUILD/$1/build.log")
    [ "$n" -gt 0 ] || return 0
    awk '/warning:/ && !shown { on = 1; shown = 1; print; next } on && /^ +([0-9]+ )?[|]/ { print; next } { on = 0 }' \
        "$BUILD/$1/build.log" | head -8
    [ "$n" -gt 1 ] && echo "(and $((n - 1)) more warnings: $BUILD/$1/build.log has them all)"
    echo
}

# first_failure DIR: the first failing test's report, without Criterion's frames
first_failure() {
    awk '/^\[(PASS|SKIP)\]/ { n = 0; next }
         /^\[FAIL\]/ { for (i = 1; i <= n; i++) print block[i]; sub(/^\[FAIL\] /, "FAILED: ");
                       sub(/: \([0-9.]+s\)$/, ""); print; exit }
         /^\[====\]/ { next }
         { sub(/^\[----\] ?/, ""); sub(/^ *$/, ""); if ($0 != "") block[++n] = $0 }' "$BUILD/$1/starter.log" |
        sed -E 's|^[^ ]*/(test_exercise\.c:)|\1|; s/^/  /'
    echo "  $(synthesis "$BUILD/$1/starter.log")"
}

# memcheck_errors DIR: the first error memcheck reported, and how many there were
memcheck_errors() {
    local f
    f=$(grep -ls 'ERROR SUMMARY: [1-9]' "$BUILD/$1/starter.memcheck"/*.log | head -1)
    [ -n "$f" ] || { echo "  memcheck did not finish (see $BUILD/$1/starter.log)"; return; }
    awk '/^==[0-9]+== (Invalid|Conditional|Use of|Mismatched|Syscall|Source and|.* (definitely|possibly) lost)/ { on = 1 }
         on && /^==[0-9]+== *$/ { exit } on' "$f" | sed -E 's/^==[0-9]+== ?/  /' | head -14
    echo "  memcheck: $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$f" | sed 's/ERROR SUMMARY: //') (full report: $f)"
}

hint_count() { echo $(($(grep -c '^---$' "$1/hints.txt" 2>/dev/null || echo 0) + 1)); }
hints_shown() { local n; n=$(cat "$BUILD/$1/hints.shown" 2>/dev/null); echo "${n:-0}"; }

# show_hint DIR N: hint N of DIR's hints.txt, and what to type next
show_hint() {
    local dir=$1 n=$2 total
    total=$(hint_count "$dir")
    mkdir -p "$BUILD/$dir"
    [ "$(hints_shown "$dir")" -ge "$n" ] || echo "$n" >"$BUILD/$dir/hints.shown"
    echo "Hint $n of $total ($(short "$dir")):"
    awk -v want="$n" 'BEGIN { n = 1 } /^---$/ { n++; next } n == want' "$dir/hints.txt" | sed 's/^/  /'
    if [ "$n" -lt "$total" ]; then
        echo "(make hint: hint $((n + 1)); make hint N=k: hint k again)"
    else
        echo "(that was the last hint; the reference answer is $dir/solution/exercise.c)"
    fi
}

# check DIR: build, run, and show the verdict. Status 0 when solved.
check() {
    local dir=$1 v
    mkdir -p "$BUILD/$dir"
    if ! build "$dir"; then
        echo "$(short "$dir"): does not build. The compiler's first error:"
        first_error "$dir" | sed 's/^/  /'
        v=2
    else
        warnings "$dir"
        [ "$(kind "$dir")" != find ] || echo "Running the tests, then memcheck on them (it takes a while)..."
        run "$BUILD/$dir/starter" "$dir"
        v=$?
        echo "$v" >"$BUILD/$dir/result"
        case $v in
        0) echo "$(short "$dir"): SOLVED ($(synthesis "$BUILD/$dir/starter.log")$([ "$(kind "$dir")" = find ] && echo ', memcheck clean'))."
           echo "Compare with the reference answer: $dir/solution/exercise.c"
           [ "$(cat "$BUILD/exercises.current" 2>/dev/null)" = "$dir" ] && rm -f "$BUILD/exercises.current"
           return 0 ;;
        3) echo "$(short "$dir"): the tests pass, but memcheck reports errors:"
           memcheck_errors "$dir" ;;
        *) echo "$(short "$dir"): not solved yet. The first failing test:"
           first_failure "$dir" ;;
        esac
    fi
    echo "$dir" >"$BUILD/exercises.current"
    echo
    show_hint "$dir" "$(( $(hints_shown "$dir") > 0 ? $(hints_shown "$dir") : 1 ))"
    return 1
}

# ---- the commands ----
cmd_check() {
    local dir
    if [ -n "${1:-}" ]; then dir=$(resolve "$1") || exit 2
    else dir=$(current) || { echo "Every exercise is solved."; exit 0; }; fi
    check "$dir" || { echo; echo "Edit $dir/exercise.c, then make exercise EX=$(short "$dir") (or make watch)."; exit 1; }
}

cmd_lesson() {
    local d
    for d in $(all | grep "^$1/"); do
        { build "$d" && verdict "$d"; } || { cmd_check "$d"; return; }
    done
    echo "$1: every exercise is solved ($(all | grep -c "^$1/") of $(all | grep -c "^$1/"))."
}

# hint_error N DIR: why hint N cannot be shown (one line), or nothing
hint_error() {
    local n=$1 dir=$2 total shown
    total=$(hint_count "$dir")
    shown=$(hints_shown "$dir")
    if ! [[ $n =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt "$total" ]; then
        echo "make hint: N=$n is not a hint of $(short "$dir"): it has hints 1 to $total"
    elif [ "$n" -gt "$shown" ]; then
        echo "make hint: N=$n: hint $n of $(short "$dir") is not shown yet; make hint shows the next one, hint $((shown + 1))"
    fi
}

cmd_hint() {
    local n=${1:-} dir err
    if [ -n "${2:-}" ]; then dir=$(resolve "$2") || exit 2
    else dir=$(current) || { echo "Every exercise is solved: make hint EX=NN/K_KIND_SLUG for one of them."; exit 0; }; fi
    if [ -n "$n" ]; then
        err=$(hint_error "$n" "$dir")
        [ -z "$err" ] || { echo "$err" >&2; exit 2; }
        show_hint "$dir" "$n"
    else
        local next=$(($(hints_shown "$dir") + 1)) total
        total=$(hint_count "$dir")
        show_hint "$dir" $((next > total ? total : next))
    fi
    [ -n "${2:-}" ] || echo "$dir" >"$BUILD/exercises.current"
}

cmd_reset() {
    local dir file old
    dir=$(resolve "${1:-}") || exit 2
    file=$dir/exercise.c
    old=$(git show "HEAD:$file" 2>/dev/null) ||
        { echo "make reset: $file is not committed in git here, so there is no starter to restore" >&2; exit 2; }
    if [ "$old" = "$(cat "$file")" ]; then
        echo "$file is already the starter as committed: nothing changed."
        return 0
    fi
    mkdir -p "$BUILD/$dir"
    cp "$file" "$BUILD/$dir/exercise.c.before-reset"
    git show "HEAD:$file" >"$file"
    echo "$file is the starter again, as committed in git (HEAD)."
    echo "Your version is saved in $BUILD/$dir/exercise.c.before-reset (make clean deletes it)."
}

cmd_list() {
    local d l v solved=0 total=0 next='' lsolved ltotal
    [ -t 1 ] && printf 'Building and running every exercise...'
    # shellcheck disable=SC2046
    $MAKE -s -k --no-print-directory $(all | sed "s|.*|$BUILD/&/starter|") >/dev/null 2>&1
    [ -t 1 ] && printf '\r\033[K'
    for l in $(all | cut -d/ -f1 | uniq); do
        lsolved=0 ltotal=0
        local lines=()
        for d in $(all | grep "^$l/"); do
            verdict "$d"
            v=$?
            ltotal=$((ltotal + 1))
            case $v in
            0) lines+=("$(printf '    %-8s %s' solved "${d##*/}")"); lsolved=$((lsolved + 1)) ;;
            2) lines+=("$(printf '    %-8s %-28s does not build' todo "${d##*/}")") ;;
            3) lines+=("$(printf '    %-8s %-28s tests pass, memcheck reports errors' todo "${d##*/}")") ;;
            *) lines+=("$(printf '    %-8s %-28s %s' todo "${d##*/}" "$(passing "$BUILD/$d/starter.log")")") ;;
            esac
            [ "$v" = 0 ] || [ -n "$next" ] || next=$d
        done
        printf '  %-26s %d of %d solved\n' "$l" "$lsolved" "$ltotal"
        printf '%s\n' "${lines[@]}"
        solved=$((solved + lsolved)) total=$((total + ltotal))
    done
    echo
    if [ -n "$next" ]; then
        echo "In all: $solved of $total solved. Next: $(short "$next") (make watch, or make exercise EX=$(short "$next"))"
    else
        echo "In all: $solved of $total solved. Every exercise is done."
    fi
}

# catalog DIR: each exercise of the lesson and the first sentence of its starter's
# opening comment, as committed (the learner's edits do not change the README)
cmd_catalog() {
    local d text
    for d in $(all | grep "^$1/"); do
        text=$(git show "HEAD:$d/exercise.c" 2>/dev/null || cat "$d/exercise.c")
        text=$(awk '{ print } /\*\// { exit }' <<<"$text" | sed -E 's|^/\* ?||; s|^ \* ?||; s| *\*/.*$||' |
            tr '\n' ' ' | sed -E 's/  +/ /g; s/^exercise\.c: //; s/ \(make [^)]*\)//; s/([.!?]) .*/\1/')
        echo "${d##*/}"
        fold -s -w 84 <<<"$text" | sed -E 's/^/    /; s/ +$//'
    done
}

cmd_prove() {
    local dir status=0 starter
    [ $# -gt 0 ] || { echo "exercise.sh: prove takes exercise folders, got none" >&2; exit 2; }
    for dir in "$@"; do
        dir=$(resolve "$dir") || exit 2
        run "$BUILD/$dir/pristine" "$dir"
        case $? in
        0) echo "$(short "$dir"): the tests PASS on the committed starter; they must fail there," \
                "or the exercise teaches nothing" >&2
           status=1
           continue ;;
        3) starter='tests pass, memcheck reports errors' ;;
        *) starter=$(synthesis "$BUILD/$dir/pristine.log") ;;
        esac
        if ! run "$BUILD/$dir/solution" "$dir"; then
            cat "$BUILD/$dir/solution.log" >&2
            echo "$(short "$dir"): the tests FAIL on solution/exercise.c" >&2
            status=1
            continue
        fi
        echo "$(short "$dir"): fails on the starter ($starter), passes on the solution" \
             "($(synthesis "$BUILD/$dir/solution.log")$([ "$(kind "$dir")" = find ] &&
                 if asan_build "$BUILD/$dir/solution"; then echo ', ASan clean'; else echo ', memcheck clean'; fi))"
    done
    return $status
}

# args CMD ...: the same checks the command makes, without touching anything
cmd_args() {
    local what=${1:-} dir
    case "$what" in
    reset) resolve "${2:-}" 2>&1 >/dev/null | sed 's/^/make reset: /' ;;
    exercise) [ -z "${2:-}" ] || resolve "$2" 2>&1 >/dev/null | sed 's/^/make exercise: /' ;;
    hint) # hint N EX
        if [ -n "${3:-}" ]; then
            dir=$(resolve "$3" 2>&1) || { echo "make hint: $dir"; return; }
        elif [ -n "${2:-}" ]; then
            dir=$(current 2>/dev/null) || return 0
        fi
        [ -z "${2:-}" ] || hint_error "$2" "$dir"
        ;;
    *) echo "exercise.sh args: unknown command '$what'" ;;
    esac
}

# watch: clear the screen only on a terminal
clear_screen() { [ -t 1 ] && printf '\033[H\033[2J\033[3J'; }
# sources DIR: what a save changes (the starter's sources and the hints shown)
sources() { stat -c '%n %.9Y %s' "$1"/*.[ch] "$BUILD/$1/hints.shown" 2>/dev/null | md5sum; }

cmd_watch() {
    local dir before fresh=1 total
    command -v inotifywait >/dev/null ||
        { echo "make watch needs inotifywait: make deps installs it (Debian package inotify-tools)" >&2; exit 2; }
    trap 'echo; echo "Left make watch. make watch starts again where you are."; exit 0' INT TERM
    total=$(all | wc -l)
    echo "make watch: looking for the first exercise not solved yet..."
    dir=$(first_unsolved) || { echo "Every exercise is solved ($total of $total)."; exit 0; }
    while :; do
        [ "$fresh" = 1 ] && clear_screen
        fresh=1
        echo "make watch: $(short "$dir")   (Ctrl-C leaves)"
        echo "Edit $dir/exercise.c and save: its tests run again."
        echo
        # the watch shows hint 1 at least: count it before looking for changes
        mkdir -p "$BUILD/$dir"
        [ "$(hints_shown "$dir")" -ge 1 ] || echo 1 >"$BUILD/$dir/hints.shown"
        before=$(sources "$dir")
        if check "$dir"; then
            dir=$(first_unsolved) || { echo; echo "Every exercise is solved ($total of $total). Well done."; exit 0; }
            echo
            echo "Next: $(short "$dir")"
            echo "------------------------------------------------------------------------"
            fresh=0
            continue
        fi
        echo
        echo "Waiting for a save in $dir/ ..."
        # a save made while the tests ran counts too
        while [ "$(sources "$dir")" = "$before" ]; do
            inotifywait -qq -t 60 -e close_write -e moved_to -e create -e delete \
                --include '(\.[ch]|hints\.shown)$' "$dir" "$BUILD/$dir/hints.shown"
            sleep 0.2 # let the editor finish writing
        done
    done
}

# need_lesson DIR: DIR is a lesson with exercises, or one line on stderr and status 2
need_lesson() {
    if [ -z "${1:-}" ] || ! all | grep -q "^${1%/}/"; then
        echo "exercise.sh: DIR must be a lesson with exercises ($(all | cut -d/ -f1 | uniq | paste -sd' ')), got '${1:-}'" >&2
        exit 2
    fi
}

cmd=${1:-}
shift || true
case "$cmd" in
watch) cmd_watch ;;
check) cmd_check "${1:-}" ;;
lesson) need_lesson "${1:-}" && cmd_lesson "${1%/}" ;;
hint) cmd_hint "${1:-}" "${2:-}" ;;
reset) cmd_reset "${1:-}" ;;
list) cmd_list ;;
catalog) need_lesson "${1:-}" && cmd_catalog "${1%/}" ;;
prove) cmd_prove "$@" ;;
args) cmd_args "$@" ;;
*)
    echo "exercise.sh: unknown command '$cmd' (watch, check, lesson, hint, reset, list, catalog, prove, args)" >&2
    exit 2
    ;;
esac
