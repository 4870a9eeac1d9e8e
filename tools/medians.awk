# medians.awk: the median of each benchmark's runs, from Go-format benchmark output.
#
#   awk -f tools/medians.awk [-v unit=allocs/op] BENCH_OUTPUT   ->   "Name median" lines
#   awk -f tools/medians.awk -v spread=1 BENCH_OUTPUT     ->   "Name median min max" lines
#
# unit names the column to read (default ns/op; any unit a benchmark reports, such as
# B/op or a bench_report_metric unit). A -N GOMAXPROCS suffix is dropped from names.
BEGIN { u = (unit == "") ? "ns/op" : unit }
/^Benchmark/ {
    n = substr($1, 10)
    sub(/-[0-9]+$/, "", n)
    for (i = 3; i < NF; i++)
        if ($(i + 1) == u)
            v[n] = v[n] " " $i
}
END {
    for (n in v) {
        c = split(substr(v[n], 2), x, " ")
        for (i = 1; i <= c; i++)
            for (j = i + 1; j <= c; j++)
                if (x[j] + 0 < x[i] + 0) { t = x[i]; x[i] = x[j]; x[j] = t }
        m = (c % 2) ? x[(c + 1) / 2] : (x[c / 2] + x[c / 2 + 1]) / 2
        if (spread)
            print n, m, x[1], x[c]
        else
            print n, m
    }
}
