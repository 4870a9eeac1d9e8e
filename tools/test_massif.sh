#!/usr/bin/env bash
# test_massif.sh: the massif tools against real massif.out files and broken ones.
#
#   tools/test_massif.sh DEMO TMPDIR     (make test-tools)
#
# DEMO is build/tools/massif_demo: it holds exactly N * 1,000 bytes at its peak. Checks
# that massif_explain.py reads this run's figures (peak snapshot, bytes, top branch,
# useful and extra heap), prints every tree whole, and that bad input (a missing program,
# a program that fails, a file that is not a massif.out) gets one line and a non-zero
# status; and that massif_plot.sh keeps its IEC units and shared ranges.
set -uo pipefail
[ $# -eq 2 ] && [ -x "$1" ] ||
    { echo "usage: tools/test_massif.sh DEMO TMPDIR (DEMO: the built massif_demo, got '${1:-}')" >&2; exit 2; }
demo=$1 tmp=$2
here=$(cd "$(dirname "$0")" && pwd)
explain=$here/massif_explain.py
mkdir -p "$tmp"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
comma() { awk -v n="$1" 'BEGIN { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }'; }

# expect_error STATUS WORDS -- CMD...: CMD exits with STATUS and says one line holding WORDS.
expect_error() {
    local want=$1 words=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    local lines
    lines=$(wc -l <"$tmp/err")
    if [ "$got" != "$want" ] || [ "$lines" != 1 ] || ! grep -q -- "$words" "$tmp/err" || [ -s "$tmp/out" ]; then
        bad "'$*': want status $want and one line with '$words'; got status $got, $lines line(s): $(head -3 "$tmp/err")"
    else
        ok
    fi
}

# ---- a real run: the notes carry this run's figures ----
out=$tmp/demo.massif.out
rm -f "$out"
if ! "$explain" --out "$out" --run "$demo" 40 >"$tmp/all.txt" 2>"$tmp/err"; then
    bad "massif_explain.py --run $demo 40 failed: $(cat "$tmp/err")"
else
    ok
    # the peak as massif.out has it, read here without the explainer
    read -r pn pt pu pe < <(awk -F= '/^snapshot=/ { n = $2 } /^time=/ { t = $2 } /^mem_heap_B=/ { u = $2 }
        /^mem_heap_extra_B=/ { e = $2 } /^heap_tree=peak/ { print n, t, u, e }' "$out")
    [ "${pu:-}" = 40000 ] && ok || bad "the demo's peak useful heap should be 40 x 1,000 = 40,000 bytes, massif.out says '${pu:-none}'"
    flat=$(tr -s ' \n' '  ' <"$tmp/all.txt")
    want="The peak is snapshot $pn, taken at time $(comma "$pt"): $(comma $((pu + pe))) bytes"
    grep -qF -- "$want" <<<"$flat" && ok || bad "note [6] should say '$want'"
    want="$(comma "$pu") useful heap, $(comma "$pe") extra heap."
    grep -qF -- "$want" <<<"$flat" && ok || bad "note [6] should say '$want'"
    want="The top branch holds $(comma "$pu") bytes"
    grep -qF -- "$want" <<<"$flat" && ok || bad "note [5] should say '$want'"
    grep -qF -- "demo_hold (massif_demo.c:" <<<"$flat" && ok || bad "note [5] should name demo_hold (massif_demo.c:LINE), the line that allocated"
    for k in 1 2 3 4 5 6; do
        grep -q "^  \[$k\] " "$tmp/all.txt" && ok || bad "note [$k] is missing from the whole reading"
    done
    # every line of ms_print's output is in the reading (trees whole, table whole)
    missing=$(ms_print "$out" | sed 's/[[:space:]]*$//' | grep -v '^$' | grep -vxF -f <(sed 's/[[:space:]]*$//' "$tmp/all.txt") |
        grep -v -e '^-*$' -e 'time(B)' -e '^ms_print arguments' | head -3)
    [ -z "$missing" ] && ok || bad "lines of ms_print's output missing from the reading: $missing"
    # --part tree: the peak's tree, every line of it
    "$explain" --part tree "$out" >"$tmp/tree.txt" 2>&1
    want=$(ms_print "$out" | awk -v p="$pn" '$1 == p && NF == 6 { t = 1; next } t && /^-+$/ { t = 0 } t && /->/' | wc -l)
    got=$(grep -c -- '^[| ]*->' "$tmp/tree.txt")
    [ "$want" -gt 0 ] && [ "$got" = "$want" ] && ok || bad "--part tree printed $got branch lines of the peak's $want"
    # --hide-addresses: no code address left, the rest of the tree as it was
    "$explain" --part tree --hide-addresses "$out" >"$tmp/hidden.txt" 2>&1
    ! grep -q -- '-> *[0-9.]*% ([0-9,]*B) 0x[0-9A-F]' "$tmp/hidden.txt" && grep -q '0x\.\.\.: demo_hold (massif_demo.c:' "$tmp/hidden.txt" &&
        [ "$(grep -c -- '^[| ]*->' "$tmp/hidden.txt")" = "$want" ] && ok || bad "--hide-addresses should print 0x... for every address and keep every line"
    # --ms-print --threshold is passed on: a high threshold hides the branch
    "$explain" --part tree --ms-print --threshold=99.5 "$out" >"$tmp/thr.txt" 2>&1
    grep -q "below ms_print's threshold (99.50%)" "$tmp/thr.txt" && ok || bad "--ms-print --threshold=99.5 did not reach ms_print"
    grep -q "its --threshold, 99.5% of the total" <(tr -s ' \n' '  ' <"$tmp/thr.txt") && ok ||
        bad "note [5] should name the threshold given (99.5%)"
fi

# ---- bad input: one line, a non-zero status ----
expect_error 2 "no such program: ./no-such-prog" -- "$explain" --run ./no-such-prog 1
expect_error 2 "no such program: no-such-prog-anywhere" -- "$explain" --run no-such-prog-anywhere
expect_error 1 "exit status 3" -- "$explain" --run "$demo" --fail 5
expect_error 1 "exit status 2" -- "$explain" --run "$demo" 0
expect_error 2 "needs a program" -- "$explain" --run
: >"$tmp/empty.out"
expect_error 2 "is not a massif.out file" -- "$explain" "$tmp/empty.out"
expect_error 2 "is not a massif.out file" -- "$explain" "$here/massif.sh"
expect_error 2 "no such file" -- "$explain" "$tmp/absent.out"
expect_error 2 "cannot read" -- "$explain" "$tmp"
if [ -f "$out" ]; then
    head -n 16 "$out" >"$tmp/cut.out"   # cut inside snapshot 1: no heap_tree line
    expect_error 2 "no complete snapshots" -- "$explain" "$tmp/cut.out"
    sed 's/^mem_heap_B=.*/mem_heap_B=lots/' "$out" >"$tmp/garbled.out"
    expect_error 2 "is not a massif.out file" -- "$explain" "$tmp/garbled.out"
    expect_error 2 "not a detailed snapshot" -- "$explain" --part tree --snapshot 999 "$out"
fi
expect_error 2 "not one of" -- "$explain" --part axes "$tmp/empty.out"
expect_error 2 "CMD is empty" -- env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$here/.." massif-explain CMD=

# ---- the plot: IEC units, shared ranges, stacked heaps ----
printf '0 0 0\n1000 5000 80\n3000 0 0\n' >"$tmp/h.dat"
printf '0 0 0\n500 1048576 16\n800 0 0\n' >"$tmp/l.dat"
printf '0 0 0\n10 1000 8\n20 0 0\n' >"$tmp/s.dat"
if ! "$here/massif_plot.sh" --print t "$tmp/h.dat" "$tmp/l.dat" "$tmp/p.png" >"$tmp/plot.gp" 2>"$tmp/err"; then
    bad "massif_plot.sh --print failed: $(cat "$tmp/err")"
else
    grep -qx 'set xrange \[0:3000\]' "$tmp/plot.gp" && ok || bad "both panels share x: the longer run's 3000 B"
    grep -qx 'set yrange \[0:1048592 \* 1.3\]' "$tmp/plot.gp" && ok || bad "both panels share y: the higher total, 1,048,592 B"
    [ "$(grep -c 'range' "$tmp/plot.gp")" = 2 ] && ok || bad "the ranges are set once, before both panels"
    [ "$(grep -c '^plot' "$tmp/plot.gp")" = 2 ] && ok || bad "two panels, heavy and light"
    [ "$(grep -c 'using 1:(\$2+\$3) with fillsteps' "$tmp/plot.gp")" = 2 ] && ok || bad "extra heap stacked on useful heap in both panels"
    grep -q '"1 MiB" 1048576' "$tmp/plot.gp" && ok || bad "y tics in IEC units: \"1 MiB\" 1048576"
    grep -q 'label 1 "peak 1.0 MiB" at 500, 1048592 left' "$tmp/plot.gp" && ok || bad "light's panel marks its peak, 1.0 MiB at 500 B"
    grep -qE '[0-9] ?(kB|KB|MB|GB)|%c|%s' "$tmp/plot.gp" && bad "SI or gnuplot-chosen units in the plot script" || ok
    for ax in xtics ytics; do
        n=$(grep "^set $ax" "$tmp/plot.gp" | grep -o '" [0-9]' | wc -l)
        [ "$n" -ge 2 ] && [ "$n" -le 5 ] && ok || bad "$ax: $n labels; 2 to 5 keep them apart"
    done
    if command -v gnuplot >/dev/null; then
        "$here/massif_plot.sh" t "$tmp/h.dat" "$tmp/l.dat" "$tmp/p.png" 2>"$tmp/err" && [ -s "$tmp/p.png" ] && ok ||
            bad "massif_plot.sh drew no PNG: $(head -3 "$tmp/err")"
    fi
fi
"$here/massif_plot.sh" --print t "$tmp/h.dat" "$tmp/s.dat" "$tmp/p.png" >"$tmp/sliver.gp" 2>&1
grep -q 'set title "light: its whole run, 20.0 B, is the sliver at the left edge"' "$tmp/sliver.gp" && ok ||
    bad "a run shorter than 2% of the shared x axis says where it is"
grep -q 'massif_plot.sh' "$here/massif.sh" && ok || bad "massif.sh draws its plot with massif_plot.sh"

echo "massif tools: $pass passed, $fail failed"
[ "$fail" = 0 ]
