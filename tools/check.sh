#!/usr/bin/env bash
# check.sh: everything under the tools, as `make check` runs it.
#
#   1. memcheck: every lesson program (heavy and light, and each benchmark once) with
#      --leak-check=full and --error-exitcode, and every Criterion suite (the lessons', the
#      toolbox's and the exercise solutions') with --trace-children=yes
#   2. AddressSanitizer + UBSan: the whole test suite rebuilt with -fsanitize=address,undefined
#   3. OOM sweeps: every ASSERT_SWEEP_CLEAN in the tests, totalled per lesson
#   4. whole programs (each lesson's main --heavy, --light, and both with all main prints,
#      then its other programs) under fault injection: COUNTALLOC_FAIL_AT=k must end in a
#      clear message and a non-zero status (or a correct run, where a failure is absorbed,
#      as glibc's stdio does when it cannot get a buffer), never a crash
#   5. bad input: every program and benchmark binary, table-driven
#   6. output that cannot be written: every program with stdout on /dev/full must say
#      "write error" and exit non-zero, never lose its output silently
#
# Each lesson's main runs with the small arguments of its check_args.txt (tools/check_args.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
build=build
jobs=${JOBS:-2}
errors=0 programs=0 points=0 badinputs=0 faultruns=0 fullruns=0
log=$build/check
rm -rf "$log" && mkdir -p "$log"

fail() { echo "  FAIL: $*"; errors=$((errors + 1)); }
# section TITLE: closes the previous section with its wall time and opens the next one
# (date, not $SECONDS, which fault_sweep resets for its budget)
started=$(date +%s) section_start=$started section_title=
section() {
    local now
    now=$(date +%s)
    [ -n "$section_title" ] && printf '  (%s: %d s)\n' "${section_title%%:*}" $((now - section_start))
    section_title=$1 section_start=$now
    [ -z "$1" ] || echo "== $1"
}
# CHECK_LESSONS="04_pooling ..." narrows the run to those lessons (the toolbox always runs).
lessons=${CHECK_LESSONS:-$(ls -d [0-9][0-9]_*/ 2>/dev/null | tr -d / | while read -r l; do [ -f "$l/main.c" ] && echo "$l"; done)}
. tools/check_args.sh
# every exercise's solution build, lesson by lesson
# By lesson, and in each lesson by number (9_ before 10_).
solutions() {
    for l in $lessons; do
        for d in $(printf '%s\n' "$l"/exercises/*/ | sort -t/ -k3,3n); do
            [ -f "$d/test_exercise.c" ] && echo "$build/${d%/}/solution"
        done
    done
}

# The lessons' other programs (each lesson.mk's PROGS_NN_name), for steps 4, 5 and 6.
: "${CHECK_PROGS=$(make -s --no-print-directory check-progs)}"
progs=$(for p in $CHECK_PROGS; do for l in $lessons; do [ "${p%%/*}" = "$l" ] && echo "$p"; done; done)

section "building (normal and sanitizer builds)"
make -s -j"$jobs" $(for l in $lessons; do echo "$build/$l/main $build/$l/bench $build/$l/test"; done) $(solutions) \
    $(ls common/test_*.c | sed "s|^|$build/|; s|\.c$||") $(for p in $progs; do echo "$build/$p"; done) \
    >"$log/build.log" 2>&1 ||
    { cat "$log/build.log"; exit 1; }

section "1. memcheck: lesson programs"
VG=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,possible
    --errors-for-leak-kinds=definite,possible)
vg_run() { # vg_run LOGNAME PROGRAM ARGS...: the program under memcheck, reported
    local name=$1
    shift
    if "${VG[@]}" "$@" >"$log/$name.memcheck" 2>&1; then
        echo "  ok    ${*#"$build"/}: $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$log/$name.memcheck")"
    else
        fail "${*#"$build"/} under memcheck (see $log/$name.memcheck)"
        grep -E 'Invalid|uninitialised|definitely|possibly|ERROR SUMMARY' "$log/$name.memcheck" | head -5
    fi
}
# $jobs programs at a time (each is one process); each writes its line and its error count
# to files of its own, printed and added up in order once all are done.
nvg=0
vg_bg() { # vg_bg ARGS...: vg_run ARGS in the background
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    nvg=$((nvg + 1)) programs=$((programs + 1))
    # shellcheck disable=SC2030 # the subshell's own count, written to its .count file
    (
        errors=0
        vg_run "$@" >"$log/vg.$nvg.line" 2>&1
        echo "$errors" >"$log/vg.$nvg.count"
    ) &
}
for l in $lessons; do
    for v in heavy light; do
        # shellcheck disable=SC2046
        vg_bg "$l.$v" "$build/$l/main" --$v $(args_of "$l")
    done
    # every benchmark once: the harness and the benchmarks' setup and teardown
    vg_bg "$l.bench" "$build/$l/bench" -benchtime 1x
done
wait
for ((i = 1; i <= nvg; i++)); do
    cat "$log/vg.$i.line"
    if read -r e <"$log/vg.$i.count" 2>/dev/null; then
        # shellcheck disable=SC2031 # the total is this shell's; the subshells' came by file
        errors=$((errors + e))
    else
        fail "memcheck run $i did not finish"
    fi
done

section "1. memcheck: Criterion suites (our allocator kept in place: --soname-synonyms=somalloc=nouserintercepts)"
# memcheck_suite SUITE JOBS: one Criterion suite under memcheck, its line printed; status 1
# when it fails.
# --child-silent-after-fork: a test that forks without exec leaves the worker's whole
# state to its child, which _exits; its "leaks" are Criterion's, not the test's.
# Our allocator stays in place here, so every block's pointer sits 16 bytes past
# its start and memcheck calls a block still held "possibly lost": only definite
# leaks (no pointer at all) count. Each worker is its own process: any of them
# reporting an error fails the suite, whatever the runner's status.
# skipped SUITE LOG: ", N of M skipped" when the suite lists more tests than it ran
# (Criterion's synthesis leaves skipped tests out of "Tested"): under memcheck, the tests
# that compare glibc's addresses or run a Valgrind tool of their own, which the runner
# skips without starting them (common/native_only.h).
skipped() {
    local listed ran
    listed=$("$1" --list 2>/dev/null | grep -c '── ')
    ran=$(grep -o 'Tested: [0-9]*' "$2" | tail -1 | grep -o '[0-9]*$')
    if [ "${ran:-0}" -lt "$listed" ]; then
        echo ", $((listed - ${ran:-0})) of $listed skipped"
    fi
}
memcheck_suite() {
    local t=$1 name=${1#"$build"/} vlog
    vlog="$log/${name//\//_}.memcheck"
    if valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
        --errors-for-leak-kinds=definite --trace-children=yes --child-silent-after-fork=yes \
        --soname-synonyms=somalloc=nouserintercepts \
        "$t" --jobs "$2" >"$vlog" 2>&1 && ! grep -q 'ERROR SUMMARY: [1-9]' "$vlog"; then
        echo "  ok    $name: $(grep -o 'Synthesis.*' "$vlog" | tail -1 | sed 's/ *$//'), 0 memcheck errors$(skipped "$t" "$vlog")"
    else
        echo "  FAIL: $name under memcheck (see $vlog)"
        grep -E 'Invalid|uninitialised|definitely lost: [1-9]|ERROR SUMMARY: [1-9]|FAIL|Synthesis' "$vlog" | head -8
        return 1
    fi
}
# $jobs suites at once, one worker each. Criterion's runner starts a worker and then waits
# (waitpid) until the worker has started, and under memcheck a start is most of a test's
# time: one suite with $jobs workers kept the two cores 60% busy, its runner waiting while
# its other worker had finished and waited for the runner. The suites with the most tests
# go first, so that the last to finish are small; each line prints as its suite finishes.
# A suite without an ok line (failed, or never run) is an error.
line_of() { local n=${1#"$build"/}; echo "$log/${n//\//_}.line"; }
export -f memcheck_suite skipped line_of
export build log
suites=$({ ls common/test_*.c | sed "s|^|$build/|; s|\.c$||"; for l in $lessons; do echo "$build/$l/test"; done; solutions; } |
    while read -r t; do echo "$("$t" --list 2>/dev/null | grep -c '── ') $t"; done | sort -s -k1,1nr | cut -d' ' -f2)
# shellcheck disable=SC2016 # $1 is the inner shell's
echo "$suites" | xargs -P "$jobs" -I{} bash -c 'memcheck_suite "$1" 1 >"$(line_of "$1")" 2>&1; cat "$(line_of "$1")"' _ {}
for t in $suites; do
    [ -s "$(line_of "$t")" ] || echo "  FAIL: ${t#"$build"/} did not run under memcheck"
    grep -q '^  ok ' "$(line_of "$t")" 2>/dev/null || errors=$((errors + 1))
done

section "2. AddressSanitizer + UBSan: make SANITIZE=1 test"
# shellcheck disable=SC2046
if make -s -j"$jobs" SANITIZE=1 test-common $(for l in $lessons; do echo "test-${l%%_*}"; done) \
    >"$log/asan.log" 2>&1; then
    echo "  ok    $(grep -c 'Synthesis' "$log/asan.log") suites, $(grep -hoE 'Tested: [0-9]+' "$log/asan.log" | awk '{ s += $2 } END { print s }') tests, no sanitizer report"
else
    fail "sanitizer build (see $log/asan.log)"
    grep -E 'ERROR|runtime error|FAIL' "$log/asan.log" | head -10
fi

section "3. OOM sweeps (each allocation point of each lesson function failed in turn)"
for l in $lessons; do
    export SWEEP_LOG=$PWD/$log/$l.sweeps
    : >"$SWEEP_LOG"
    if ! "$build/$l/test" --jobs 1 >"$log/$l.sweep.out" 2>&1; then
        fail "$l tests (see $log/$l.sweep.out)"
    fi
    # each line: sweep NAME points=N leaks=L unreported=U absorbed=A (common/sweep.h)
    read -r f n leaks _ absorbed < <(awk '{ for (i = 3; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] } }
        END { print NR, s["points"] + 0, s["leaks"] + 0, s["unreported"] + 0, s["absorbed"] + 0 }' "$SWEEP_LOG")
    bad=$(grep -cvE ' leaks=0 unreported=0 ' "$SWEEP_LOG")
    [ "$bad" = 0 ] || fail "$l: $bad sweeps found leaks or unreported failures"
    [ "$f" -gt 0 ] || fail "$l: no function is OOM-swept"
    printf '  %-24s %3d functions swept, %5d allocation points, %d leaks, %d absorbed by libc\n' \
        "$l" "$f" "$n" "$leaks" "$absorbed"
    points=$((points + n))
done
unset SWEEP_LOG

section "4. whole programs under fault injection (COUNTALLOC_FAIL_AT=k)"
# fault_sweep LABEL FIRST SPREAD BUDGET PROGRAM ARGS...: the program's allocations counted
# once (COUNTALLOC_REPORT), then run with allocation k failed, for every k up to FIRST and
# SPREAD more spread over the rest, until BUDGET seconds have gone: a message and a
# non-zero status, or a correct run (absorbed), never a crash.
fault_sweep() {
    local label=$1 first=$2 spread=$3 budget=$4 total ks k rc crashed=0 clean=0 absorbed=0 tried=0
    local err=$log/fault.$BASHPID.err
    shift 4
    total=$(COUNTALLOC_REPORT=1 "$@" 2>&1 >/dev/null | sed -nE 's/.*total heap usage: ([0-9,]+) allocs.*/\1/p' | tr -d ,)
    if [ -z "$total" ]; then
        printf '  %-34s not counted (glibc malloc as it is): nothing to inject\n' "$label"
        return
    fi
    ks=$(awk -v n="$total" -v a="$first" -v b="$spread" 'BEGIN { for (k = 1; k <= n && k <= a; k++) print k;
                                   if (n > a) for (i = 1; i <= b; i++) print a + int((n - a) * i / b) }' | sort -nu)
    SECONDS=0
    for k in $ks; do
        [ $SECONDS -ge "$budget" ] && break
        COUNTALLOC_FAIL_AT=$k "$@" >/dev/null 2>"$err"
        rc=$?
        faultruns=$((faultruns + 1)) tried=$((tried + 1))
        if [ $rc -ge 128 ]; then
            crashed=$((crashed + 1))
            [ $crashed = 1 ] && fail "$label crashed (status $rc) when allocation $k failed"
        elif [ $rc = 0 ]; then
            absorbed=$((absorbed + 1))
        elif [ "$(wc -l <"$err")" -lt 1 ]; then
            fail "$label exited $rc without a message when allocation $k failed"
        else
            clean=$((clean + 1))
        fi
    done
    printf '  %-34s %7d allocations: %4d failed with a message, %3d absorbed, %d crashed%s\n' \
        "$label" "$total" "$clean" "$absorbed" "$crashed" \
        "$([ "$tried" -lt "$(wc -w <<<"$ks")" ] && echo " ($tried of $(wc -w <<<"$ks") points in ${budget} s)")"
}
# The sweeps run $jobs at a time (each program is one process at a time, and most are
# single-threaded); each writes its line and its counts to files of its own, printed and
# added up in order once all are done.
nfault=0
fault_bg() { # fault_bg ARGS...: fault_sweep ARGS in the background
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    nfault=$((nfault + 1))
    # shellcheck disable=SC2030 # the subshell's own counts, written to its .count file
    (
        errors=0 faultruns=0
        fault_sweep "$@" >"$log/fault.$nfault.line" 2>&1
        echo "$errors $faultruns" >"$log/fault.$nfault.count"
    ) &
}
for l in $lessons; do
    for v in heavy light both; do # both: main with no --heavy/--light, all it prints
        flag=--$v
        [ $v = both ] && flag=
        # every k up to 300, then 100 more spread over the rest
        # shellcheck disable=SC2046
        fault_bg "$l ${flag:-(both)}" 300 100 600 "$build/$l/main" $flag $(args_of "$l")
    done
done
# the lessons' other programs, with their defaults or the small arguments their lesson's
# check_args.txt gives them: every k up to 100, then 50 spread, within 30 s each
for p in $progs; do
    a=$(prog_args_of "$p")
    # shellcheck disable=SC2086
    fault_bg "$p${a:+ $a}" 100 50 30 "$build/$p" $a
done
wait
for ((i = 1; i <= nfault; i++)); do
    cat "$log/fault.$i.line"
    if read -r e r <"$log/fault.$i.count" 2>/dev/null; then
        # shellcheck disable=SC2031 # the totals are this shell's; the subshells' came by file
        errors=$((errors + e)) faultruns=$((faultruns + r))
    else
        fail "fault sweep $i did not finish"
    fi
done

section "5. bad input: one line on stderr, exit status 2"
bad_run() { # bad_run PROGRAM ARGS...
    local out rc
    out=$("$@" 2>&1 >/dev/null)
    rc=$?
    badinputs=$((badinputs + 1))
    if [ $rc != 2 ] || [ "$(printf '%s\n' "$out" | grep -c .)" != 1 ]; then
        fail "'$*' gave status $rc and $(printf '%s\n' "$out" | grep -c .) lines on stderr (want 2 and 1)"
    fi
}
for l in $lessons; do
    m=$build/$l/main
    for a in abc -5 0 99999999999999999999999 1x --bogus; do bad_run "$m" "$a"; done
    bad_run "$m" 10 20 30 40 50 60 70 80
    b=$build/$l/bench
    for a in "-benchtime abc" "-benchtime" "-count 0" "-count -1" "-count x" "-bench [" "-bogus" "stray"; do
        # shellcheck disable=SC2086
        bad_run "$b" $a
    done
    bad_run env ALLOCATOR=bogus "$b"
    # ALLOCATOR=... must reach the twin and the allocator it names.
    for a in jemalloc mimalloc tcmalloc; do
        first=$("$b" -list . | head -1 | sed 's/^Benchmark//')
        out=$(ALLOCATOR=$a "$b" -bench "^$first\$" -benchtime 1x 2>&1)
        grep -q "^malloc: .*lib$a" <<<"$out" || fail "ALLOCATOR=$a $b did not run under $a"
    done
done
for p in $progs; do # the lessons' other programs: a bad word, a bad flag, too many arguments
    for a in abc --bogus; do bad_run "$build/$p" "$a"; done
    bad_run "$build/$p" 10 20 30 40 50 60 70 80
done
make -s $build/common/bench_countalloc >/dev/null 2>&1
for a in abc -5 0 99999999999999999999999 "1000 extra"; do
    # shellcheck disable=SC2086
    bad_run $build/common/bench_countalloc $a
done
# The tools a person runs by hand: a bad word, a missing argument.
bad_run tools/allocators.sh --bogus
bad_run tools/check_links.py
bad_run tools/crosscheck.sh --bogus
bad_run tools/distro.sh BAD1
bad_run tools/docs.sh --bogus
bad_run tools/exercise.sh bogus
bad_run tools/exercise.sh lesson 77
bad_run tools/exercise.sh catalog nope
bad_run tools/exercise.sh prove
bad_run tools/exercise.sh prove x
bad_run tools/go.sh 99_nope test
bad_run tools/massif.sh
bad_run tools/massif.sh 99_nope "$build/99_nope"
# shellcheck disable=SC2086
first=$(echo $lessons | awk '{ print $1 }')
bad_run tools/massif.sh "$first" "$build/$first" --bogus
bad_run tools/massif_explain.py --bogus
bad_run tools/massif_plot.sh
bad_run tools/py.sh 99_nope
bad_run tools/targets.sh --run
bad_run tools/targets.sh --bogus x y
bad_run tools/test_massif.sh
bad_run tools/twins.sh
echo "  $badinputs bad inputs tried"

section "6. output that cannot be written: one line on stderr, a non-zero status"
full_run() { # full_run PROGRAM ARGS...: stdout is /dev/full, every write fails
    local out rc
    out=$("$@" 2>&1 >/dev/full)
    rc=$?
    fullruns=$((fullruns + 1))
    if [ $rc = 0 ] || [ $rc -ge 128 ] || ! grep -q 'write error' <<<"$out"; then
        fail "'$* >/dev/full' gave status $rc and no write error (output lost silently)"
    fi
}
for l in $lessons; do
    # shellcheck disable=SC2046
    full_run "$build/$l/main" $(args_of "$l")
    full_run "$build/$l/bench" -benchtime 1x
done
for p in $progs; do full_run "$build/$p"; done
full_run $build/common/bench_countalloc 1000
echo "  $fullruns programs with stdout on /dev/full"

section ""
echo
echo "check summary: $programs programs under memcheck, $points allocation points swept," \
     "$faultruns fault-injected runs, $badinputs bad inputs tried, $fullruns runs on /dev/full," \
     "$errors errors found, in $(($(date +%s) - started)) s"
[ $errors = 0 ]
