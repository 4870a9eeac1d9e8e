#!/usr/bin/env bash
# dhat.sh: Valgrind DHAT on lesson 02's heavy and light sides (make dhat-02).
#
#   02_memstats/dhat.sh BUILD_DIR/02_memstats [N]
#
# Runs the plain build (glibc's malloc; DHAT replaces it anyway) of `main --heavy N` and
# `main --light N` under `valgrind --tool=dhat`, prints DHAT's totals for each, then the
# top allocation sites of heavy read from its JSON profile: blocks, bytes, average
# lifetime, bytes live at the global peak (t-gmax) and at exit (t-end), reads and writes.
# The full profile opens in /usr/libexec/valgrind/dh_view.html ("Load..." the file).
set -euo pipefail
build=${1:?usage: dhat.sh BUILD_DIR/02_memstats [N]}
n=${2:-20000}
command -v valgrind >/dev/null || { echo "dhat: valgrind is missing (make deps)" >&2; exit 2; }

for v in heavy light; do
    valgrind --tool=dhat --dhat-out-file="$build/dhat.$v.out" "$build/plain/main" --$v "$n" \
        >/dev/null 2>"$build/dhat.$v.log" || { cat "$build/dhat.$v.log" >&2; exit 1; }
    echo "== DHAT totals, main --$v $n"
    sed -nE 's/^==[0-9]+== (Total|At t-gmax|At t-end|Reads|Writes)/  \1/p' "$build/dhat.$v.log"
done

echo
echo "== heavy's top sites by bytes allocated ($build/dhat.heavy.out)"
awk '
    /"ftbl":/ { in_ftbl = 1; next }
    in_ftbl && /"/ {
        s = $0; sub(/^[ \[,]*"/, "", s); sub(/"[ \]]*$/, "", s); ftbl[nf++] = s; next }
    /"te":/ { match($0, /"te":[0-9]+/); te = substr($0, RSTART + 5, RLENGTH - 5) + 0 }
    {
        line = $0
        while (match(line, /"[a-z]+":[0-9]+/)) {
            kv = substr(line, RSTART + 1, RLENGTH - 1); line = substr(line, RSTART + RLENGTH)
            split(kv, a, "\":"); cur[a[1]] = a[2] + 0
        }
        if (match($0, /"fs":\[[0-9,]+\]/)) {
            fs = substr($0, RSTART + 6, RLENGTH - 7); np++
            tb[np] = cur["tb"]; tbk[np] = cur["tbk"]; tl[np] = cur["tl"]; gb[np] = cur["gb"]
            eb[np] = cur["eb"]; rb[np] = cur["rb"]; wb[np] = cur["wb"]; frames[np] = fs
        }
    }
    function c(n,   s) { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }
    END {
        for (shown = 0; shown < 3 && shown < np; shown++) {
            best = 0
            for (i = 1; i <= np; i++) if (!done[i] && (best == 0 || tb[i] > tb[best])) best = i
            done[best] = 1
            k = split(frames[best], f, ","); site = "?"
            for (j = 1; j <= k; j++) if (ftbl[f[j]] !~ /vgpreload|\[root\]/) { site = ftbl[f[j]]; break }
            sub(/^0x[0-9A-Fa-f]+: /, "", site)
            printf "  %s\n", site
            printf "    %s block%s, %s bytes; average lifetime %.1f%% of the run\n", c(tbk[best]),
                   tbk[best] == 1 ? "" : "s", c(tb[best]),
                   (tbk[best] > 0 && te > 0) ? 100 * tl[best] / tbk[best] / te : 0
            printf "    live at t-gmax %s bytes, at t-end %s bytes; read %s bytes, wrote %s bytes\n",
                   c(gb[best]), c(eb[best]), c(rb[best]), c(wb[best])
        }
    }' "$build/dhat.heavy.out"
echo
echo "open /usr/libexec/valgrind/dh_view.html in a browser, click Load..., pick $build/dhat.heavy.out"
