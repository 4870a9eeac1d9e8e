#!/usr/bin/env bash
# massif_plot.sh: heavy's and light's heap side by side, as massif measured them.
#
#   tools/massif_plot.sh [--print] TITLE HEAVY.dat LIGHT.dat OUT.png
#
# Each .dat line is one massif snapshot: time(B) useful-heap(B) extra-heap(B).
# Both panels share one x range (the longer run's bytes allocated and freed) and one
# y range (the higher peak), so the distance travelled and the heights compare at a
# glance. Useful heap is drawn with malloc's extra heap stacked on it, as ms_print's total.
# Tick labels are IEC (KiB, MiB, GiB, as ms_print), at most five per axis, so they never
# run into each other. Each panel marks its peak. --print prints the gnuplot script instead
# of drawing.
set -euo pipefail
print=0
[ "${1:-}" = --print ] && { print=1; shift; }
[ $# -eq 4 ] || { echo "usage: tools/massif_plot.sh [--print] TITLE HEAVY.dat LIGHT.dat OUT.png" >&2; exit 2; }
title=$1 heavy=$2 light=$3 out=$4
for f in "$heavy" "$light"; do
    [ -s "$f" ] || { echo "massif_plot: no snapshots in $f" >&2; exit 2; }
done

# The shared ranges: the longest time, the highest total.
read -r xmax ymax < <(awk '{ if ($1 > x) x = $1; if ($2 + $3 > y) y = $2 + $3 } END { print x + 0, y + 0 }' "$heavy" "$light")

# tics MAX: a gnuplot tic list, 0 and at most four more steps of 1, 2, 2.5 or 5 times a
# power of ten, in the IEC unit of MAX: ("0" 0, "256 KiB" 262144, ...).
tics() {
    awk -v max="$1" 'BEGIN {
        split("B KiB MiB GiB", name, " "); u = 1; k = 1
        while (k < 4 && max >= 1024 * u) { u *= 1024; k++ }
        v = max / u; if (v <= 0) v = 1
        p = 10 ^ int(log(v) / log(10) - 1)
        split("1 2 2.5 5 10 20 25 50", m, " ")
        for (i = 1; i <= 8; i++) { s = m[i] * p; if (v / s <= 4) break }
        out = "(\"0\" 0"
        for (t = s; t <= v * 1.0001; t += s)
            out = out sprintf(", \"%g %s\" %.0f", t, name[k], t * u)
        print out ")" }'
}
# peak FILE: "time total label" of the snapshot with the largest total, marked on its panel.
peak() {
    awk '$2 + $3 > y || NR == 1 { x = $1; y = $2 + $3 }
        END { split("B KiB MiB GiB", name, " "); v = y; k = 1
              while (k < 4 && v >= 1024) { v /= 1024; k++ }
              printf "%s %s peak %.1f %s\n", x, y, v, name[k] }' "$1"
}
read -r hx hy hlabel < <(peak "$heavy")
read -r lx ly llabel < <(peak "$light")
# name SIDE FILE: the panel's title; a run shorter than 2% of the shared axis says where it is.
name() {
    awk -v side="$1" -v m="$xmax" '{ x = $1 } END {
        if (x >= 0.02 * m) { print side; exit }
        split("B KiB MiB GiB", u, " "); v = x; k = 1
        while (k < 4 && v >= 1024) { v /= 1024; k++ }
        printf "%s: its whole run, %.1f %s, is the sliver at the left edge\n", side, v, u[k] }' "$2"
}
# side X: a label near the right edge goes to the left of its point.
side() { awk -v x="$1" -v m="$xmax" 'BEGIN { print (x > 0.6 * m ? "right offset -1, 0.6" : "left offset 1, 0.6") }'; }
xtics=$(tics "$xmax")
ytics=$(tics "$ymax")
script=$(cat <<GP
set terminal pngcairo size 1100,440 font ",10" noenhanced
set output "$out"
set multiplot layout 1,2 title "$title: heap in use against bytes allocated and freed (massif --time-unit=B), same scales"
set xrange [0:$xmax]
set yrange [0:$ymax * 1.3]
set xtics $xtics
set ytics $ytics
set xlabel "bytes allocated and freed so far"
set ylabel "heap in use"
set key top right
set style fill solid 1.0 noborder
set title "$(name heavy "$heavy")"
set label 1 "$hlabel" at $hx, $hy $(side "$hx") point pt 7 ps 1
plot "$heavy" using 1:(\$2+\$3) with fillsteps lc rgb "#f1948a" title "extra heap (malloc's headers, rounding)", \
     "$heavy" using 1:2 with fillsteps lc rgb "#c0392b" title "useful heap"
set title "$(name light "$light")"
set label 1 "$llabel" at $lx, $ly $(side "$lx") point pt 7 ps 1
plot "$light" using 1:(\$2+\$3) with fillsteps lc rgb "#85c1e9" title "extra heap (malloc's headers, rounding)", \
     "$light" using 1:2 with fillsteps lc rgb "#2471a3" title "useful heap"
unset multiplot
GP
)
if [ "$print" = 1 ]; then
    printf '%s\n' "$script"
else
    gnuplot <<<"$script"
fi
