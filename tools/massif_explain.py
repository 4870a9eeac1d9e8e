#!/usr/bin/python3
"""massif_explain.py: ms_print's output, with a numbered note beside each part.

  tools/massif_explain.py [OPTIONS] MASSIF_OUT          read a massif.out file
  tools/massif_explain.py [OPTIONS] --run PROG [ARGS]   run PROG under massif, then read it

Options:
  --part P         print one part only: header, graph, table, tree, peak (default: all)
  --snapshot N     the detailed snapshot whose tree --part tree shows (default: the peak);
                   a function's name: the first detailed snapshot whose tree holds it
  --rows R         --part table prints the rows R: all, or A-B (default: the first
                   rows and the peak's)
  --massif OPT     a massif option for --run (repeatable); --time-unit=B is always given
  --ms-print OPT   an ms_print option (repeatable): --threshold=M.N, --x=N, --y=N
  --out FILE       --run keeps the massif.out file there (default: a temporary file)
  --hide-addresses print code addresses as 0x...: they change with every build, so a
                   README that shows a tree stays true until a file:line moves

Every figure in a note is read from this run's massif.out: the peak snapshot's number,
its bytes, its top branch, useful against extra heap. Bad input (no such program, a
program that fails, a file that is not a massif.out) gets one line on stderr and a
non-zero status: 2 for a bad argument, 1 for a run that failed.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

PROG = "massif-explain"
PARTS = ("all", "header", "graph", "table", "tree", "peak")
ROW_RE = re.compile(r"^\s*(\d+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s*$")
FRAME_RE = re.compile(r"->(\d+\.\d+)% \(([\d,]+)B\) (?:0x[0-9A-F.]+: )?(.*?)(?: \(([^():]+):(\d+)\))?$")


class Bad(Exception):
    """Bad input: one line for stderr, and the exit status."""

    def __init__(self, msg, status=2):
        super().__init__(msg)
        self.status = status


def fmt(n):
    return f"{n:,}"


def iec(n):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def pct(part, whole):
    if not whole or not part:
        return "0%"
    p = 100.0 * part / whole
    return f"{p:.1f}%" if p >= 0.05 else "under 0.1%"


# ---- the massif.out file ----

def parse_massif(path):
    """The snapshots of a massif.out file: a list of dicts, and its desc/cmd/time_unit."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        raise Bad(f"no such file: {path}")
    except (IsADirectoryError, PermissionError, OSError) as e:
        raise Bad(f"cannot read {path}: {e.strerror}")
    if len(lines) < 3 or not lines[0].startswith("desc:") or not lines[1].startswith("cmd:") \
            or not lines[2].startswith("time_unit:"):
        raise Bad(f"{path} is not a massif.out file (it should start with desc:, cmd:, time_unit:)")
    info = {"desc": lines[0][5:].strip(), "cmd": lines[1][4:].strip(),
            "time_unit": lines[2][10:].strip()}
    snaps, cur = [], None
    for line in lines[3:]:
        if line.startswith("snapshot="):
            cur = {"n": int(line[9:]), "tree": "empty"}
            snaps.append(cur)
        elif cur is not None and "=" in line and not line.startswith(" "):
            key, _, val = line.partition("=")
            if key in ("time", "mem_heap_B", "mem_heap_extra_B", "mem_stacks_B"):
                try:
                    cur[key] = int(val)
                except ValueError:
                    raise Bad(f"{path} is not a massif.out file (snapshot {cur['n']}: {line!r})")
            elif key == "heap_tree":
                cur["tree"] = val
    need = ("time", "mem_heap_B", "mem_heap_extra_B", "mem_stacks_B")
    if not snaps or any(k not in s for s in snaps for k in need):
        raise Bad(f"{path} is not a massif.out file (no complete snapshots: was the run cut short?)")
    for s in snaps:
        s["total"] = s["mem_heap_B"] + s["mem_heap_extra_B"] + s["mem_stacks_B"]
    return info, snaps


# ---- ms_print's output, cut into its parts ----

def ms_print(path, opts):
    try:
        r = subprocess.run(["ms_print", *opts, path], capture_output=True, text=True)
    except FileNotFoundError:
        raise Bad("ms_print is missing (make deps installs valgrind)", 1)
    if r.returncode != 0:
        first = (r.stderr.strip().splitlines() or ["no message"])[0]
        raise Bad(f"ms_print could not read {path}: {first}", 1)
    return r.stdout.splitlines()


def split_parts(lines):
    """header, graph (with the snapshot counts), table rows and trees, from ms_print."""
    i = 0
    dashes = [k for k, l in enumerate(lines) if re.fullmatch(r"-{20,}", l)]
    if len(dashes) < 2:
        raise Bad("ms_print printed no header: is this a massif.out file?", 1)
    header = lines[dashes[0]:dashes[1] + 1]
    i = dashes[1] + 1
    graph = []
    while i < len(lines) and not lines[i].startswith(" Detailed snapshots:"):
        graph.append(lines[i])
        i += 1
    if i < len(lines):
        graph.append(lines[i])
        i += 1
    while graph and not graph[0].strip():
        graph.pop(0)
    rest = lines[i:]
    # the table: ms_print repeats its column header before each detailed snapshot
    colhead = next((l for l in rest if l.lstrip().startswith("n ") and "time(" in l), "")
    rows, trees, cur = [], {}, None
    for line in rest:
        m = ROW_RE.match(line)
        if m:
            rows.append(line)
            cur = int(m.group(1))
            continue
        if re.fullmatch(r"-{20,}", line) or line is colhead:
            cur = None
            continue
        if cur is not None and line.strip():
            trees.setdefault(cur, []).append(line)
    return header, graph, colhead, rows, trees


# ---- notes ----

def note(num, title, text):
    """A numbered note: wrapped to 88 columns, indented under its number."""
    out, width = [], 88
    words = text.split()
    line = f"  [{num}] {title}."
    for w in words:
        if len(line) + 1 + len(w) > width:
            out.append(line)
            line = "      " + w
        else:
            line += " " + w
    out.append(line)
    return [""] + out + [""]


def unit_words(tu):
    return {"B": "bytes allocated and freed so far, a realloc counting only its change in size "
                  "(--time-unit=B: the same on every run)",
            "i": "instructions executed so far (--time-unit=i, the default)",
            "ms": "milliseconds since the start (--time-unit=ms)"}.get(tu, tu)


def find_peak(snaps):
    """massif's peak snapshot (heap_tree=peak, marked '#'); else the largest total."""
    marked = [s for s in snaps if s["tree"] == "peak"]
    return marked[-1] if marked else max(snaps, key=lambda s: (s["total"], -s["n"]))


def source_files(root="."):
    """Basenames of the C sources under the current directory (build/ and .git skipped)."""
    names = set()
    for d, subdirs, files in os.walk(root):
        subdirs[:] = [s for s in subdirs if s not in ("build", ".git", "node_modules")]
        if d.count(os.sep) > 3:
            subdirs[:] = []
        names.update(f for f in files if f.endswith((".c", ".h", ".cc", ".cpp")))
    return names


def branches(tree):
    """The top-level branches of an ms_print tree: (percent, bytes, [frames]) each."""
    out = []
    for line in tree[1:]:
        m = FRAME_RE.search(line)
        if not m:
            continue
        depth = line.index("->")
        frame = (m.group(3), m.group(4), m.group(5), float(m.group(1)), int(m.group(2).replace(",", "")))
        if depth == 0:
            out.append([frame])
        elif out:
            out[-1].append(frame)
    return out


def notes_header(info, snaps):
    return note(1, "The header", (
        f"Command is the program massif ran: {info['cmd']}. Massif arguments are the "
        f"options it ran with: {info['desc'] or '(none)'}. --time-unit=B makes the x axis "
        f"bytes allocated and freed, so the figures are the same on every run and on every "
        f"machine with the same libc; the default unit, instructions, changes with the "
        f"compiler and the CPU. ms_print arguments are the options of the printer itself "
        f"(--threshold cuts the trees, --x and --y size the graph)."
        + (" TMP is a temporary directory, gone after the run (--out FILE keeps the file)."
           if "TMP/massif.out" in info["desc"] else "")))


def option(info, name, default):
    """The value massif ran with for option NAME: from the run's own desc line, else massif's default."""
    return next((o.split("=", 1)[1] for o in info["desc"].split() if o.startswith(name + "=")), default)


def notes_graph(info, snaps, graph):
    peak = find_peak(snaps)
    ylab = next((l.strip() for l in graph if l.strip()), "?")
    top = next((l for l in graph if "^" in l), "")
    ymax = top.split("^")[0].strip()
    axis = next((l for l in graph if "+--" in l), "")
    xunit = axis.rstrip().split(">")[-1] if ">" in axis else "?"
    xi = graph.index(axis) + 1 if axis in graph else -1
    xmax = graph[xi].split()[-1] if 0 <= xi < len(graph) and graph[xi].split() else "?"
    det = sum(1 for s in snaps if s["tree"] in ("detailed", "peak"))
    last = snaps[-1]
    n2 = note(2, "The axes", (
        f"Up is the heap in use, useful plus extra heap (plus stacks with --stacks=yes), "
        f"in {ylab}: the top of the axis, {ymax} {ylab}, is the peak, {fmt(peak['total'])} bytes. "
        f"Across is time, {unit_words(info['time_unit'])}; it ends at the last snapshot massif kept, "
        f"{xmax} {xunit} ({fmt(last['time'])} {info['time_unit']}). ms_print's KB, MB and GB are powers of "
        f"1,024: KiB, MiB and GiB."))
    n3 = note(3, "The marks", (
        f"Each column is a snapshot. ':' is a normal snapshot (its total only), '@' a "
        f"detailed one (its tree is printed below), '#' the peak, snapshot {peak['n']}. "
        f"This run kept {len(snaps)} snapshots, {det} of them detailed. Massif keeps at most "
        f"--max-snapshots ({option(info, '--max-snapshots', '100')} here); when the list fills "
        f"it drops every other one and the interval doubles, so a short-lived block can fall "
        f"between two snapshots. Every --detailed-freq'th snapshot "
        f"({option(info, '--detailed-freq', '10')} here) is detailed."))
    return n2 + n3


def notes_table(info, snaps):
    peak = find_peak(snaps)
    u, e, st = peak["mem_heap_B"], peak["mem_heap_extra_B"], peak["mem_stacks_B"]
    return note(4, "The table", (
        f"One row per snapshot; the peak is row {peak['n']}. n is the snapshot's number. "
        f"time({info['time_unit']}) is when it was taken: {fmt(peak['time'])}. total(B) is "
        f"the sum of the next three: {fmt(peak['total'])}. useful-heap(B) is what the "
        f"program asked malloc for and still holds: {fmt(u)}. extra-heap(B) is massif's "
        f"estimate of malloc's own cost, a header (--heap-admin, 8 bytes) and the rounding "
        f"up to --alignment (16) of every live block: {fmt(e)}, {pct(e, u + e)} of the heap. stacks(B) is the stack, measured only with --stacks=yes: {fmt(st)}. "
        f"A row followed by a tree is a detailed snapshot."
        + (" With --pages-as-heap=yes massif counts pages, not blocks: useful-heap(B) is "
           "every page mapped (brk and mmap, the program's code and libraries included), "
           "freed or not, and extra-heap(B) is 0." if "--pages-as-heap=yes" in info["desc"] else "")))


def notes_tree(info, snaps, n, tree, opts, hide=False):
    snap = next(s for s in snaps if s["n"] == n)
    thr = next((o.split("=", 1)[1] for o in opts if o.startswith("--threshold=")), "1.0")
    bs = branches(tree)
    mine = source_files()
    text = (f"Snapshot {n}'s tree. The first line is the useful heap at that moment, "
            f"{fmt(snap['mem_heap_B'])} bytes, as a share of the snapshot's total. Each '->' "
            f"below it is a place that allocated: its share of the total, its live bytes, then "
            f"the code address{' (hidden: 0x...)' if hide else ''}, the function and the "
            f"file:line. A branch starts at the line that called malloc and goes down, one "
            f"caller per line, to main. ")
    real = [b for b in bs if b[0][1] is not None or not b[0][0].startswith("in ")]
    if real:
        top = real[0]
        fn, file, line, p, nbytes = top[0]
        text += (f"The top branch holds {fmt(nbytes)} bytes ({p:.2f}%): it starts in "
                 f"{fn} ({file}:{line}). ")
        own = next((f for f in top if f[1] in mine), None)
        if own is not None and own is not top[0]:
            text += f"Follow it down to the first line of this program's code: {own[0]} ({own[1]}:{own[2]}). "
        elif own is not None:
            text += f"That line is this program's own code. "
        text += (f"{len(real)} branches are above the threshold. " if len(real) > 1
                 else "It is the only branch above the threshold. ")
    mthr = option(info, "--threshold", "1.0")
    for who, opt, line in (("massif's", mthr, next((l for l in tree if l.startswith("->") and "below massif's" in l), None)),
                           ("ms_print's", thr, next((l for l in tree if l.startswith("->") and "below ms_print's" in l), None))):
        if line is None:
            continue
        m = re.search(r"\(([\d,]+)B\) in (\d+\+?) place", line)
        b, k = (m.group(1), m.group(2)) if m else ("?", "?")
        if who == "massif's":
            text += (f"The line 'in {k} places, all below massif's threshold' gathers {b} bytes: "
                     f"massif merged those places when it wrote the file (its --threshold, "
                     f"{opt}% of the heap), and no printer can split them again. ")
        else:
            text += (f"The line 'all below ms_print's threshold' gathers {b} bytes from places "
                     f"ms_print did not draw (its --threshold, {opt}% of the total; a lower one "
                     f"shows them). ")
    text += "Both thresholds cut between branches, never inside a stack."
    return note(5, "The tree", text)


def notes_peak(info, snaps):
    peak = find_peak(snaps)
    useful = max(snaps, key=lambda s: (s["mem_heap_B"], -s["n"]))
    u, e = peak["mem_heap_B"], peak["mem_heap_extra_B"]
    st = peak["mem_stacks_B"]
    text = (f"The peak is snapshot {peak['n']}, taken at time {fmt(peak['time'])}: "
            f"{fmt(peak['total'])} bytes ({iec(peak['total'])}) in all: {fmt(u)} useful heap, "
            f"{fmt(e)} extra heap" + (f" and {fmt(st)} stack. " if st else ". "))
    if u + e and "--pages-as-heap=yes" not in info["desc"]:
        text += f"Malloc's own overhead is {pct(e, u + e)} of the heap there. "
    if useful["mem_heap_B"] > u:
        text += (f"The most useful heap is elsewhere: snapshot {useful['n']}, "
                 f"{fmt(useful['mem_heap_B'])} bytes. Counted in full, snapshot "
                 f"{peak['n']} is higher: which peak you see depends on what you count. ")
    last = snaps[-1]
    if last["n"] != peak["n"]:
        text += (f"At the end, snapshot {last['n']}, {fmt(last['total'])} bytes are left "
                 f"({pct(last['total'], peak['total'])} of the peak). ")
    else:
        text += ("The peak is also the last snapshot massif kept: it took none after it, so "
                 "this run's graph cannot show what the program freed afterwards. ")
    text += ("Massif finds a peak only when memory is freed after it, and records it only "
             f"if it is at least --peak-inaccuracy ({option(info, '--peak-inaccuracy', '1.0')}%) above "
             "the last one it recorded: the true maximum can be up to that much higher.")
    return note(6, "The peak", text)


# ---- output ----

def table_rows(rows, snaps, every):
    if every is True:
        return rows
    peak = find_peak(snaps)["n"]
    keep = {0, 1, 2, peak - 1, peak, peak + 1, len(rows) - 1}
    if every:
        keep = set(range(every[0], every[1] + 1))
    out, gap = [], False
    for line in rows:
        n = int(ROW_RE.match(line).group(1))
        if n in keep:
            if gap:
                out.append("  ...")
            out.append(line + ("   <- the peak" if n == peak else ""))
            gap = False
        else:
            gap = True
    if gap:
        out.append("  ...")
    return out


def explain(path, part, snapshot, every, ms_opts, shown=None, hide=False):
    shown = shown or path
    info, snaps = parse_massif(path)
    printed = ms_print(path, ms_opts)
    if shown != path:  # a temporary file: its random name would change on every run
        printed = [l.replace(path, shown) for l in printed]
        info["desc"] = info["desc"].replace(path, shown)
    if hide:
        printed = [re.sub(r"(->[\d.]+% \([\d,]+B\) )0x[0-9A-Fa-f]+:", r"\g<1>0x...:", l) for l in printed]
    header, graph, colhead, rows, trees = split_parts(printed)
    peak = find_peak(snaps)
    if not trees:
        raise Bad(f"{path} has no detailed snapshot: was the run cut short?")
    n = peak["n"] if snapshot is None else snapshot
    if isinstance(snapshot, str):  # the first detailed snapshot whose tree names it
        n = next((k for k in sorted(trees) if any(f" {snapshot} (" in l for l in trees[k])), None)
        if n is None:
            raise Bad(f"--snapshot {snapshot}: no detailed snapshot of {path} holds that function")
    if n not in trees:
        have = ", ".join(str(k) for k in sorted(trees)) or "none"
        raise Bad(f"--snapshot {n}: not a detailed snapshot of {path} (detailed: {have})")
    sep = "-" * 80
    out = []
    if part in ("all", "header"):
        out += header + notes_header(info, snaps)
    if part in ("all", "graph"):
        out += graph + notes_graph(info, snaps, graph)
    if part == "all":
        # the whole table, every detailed snapshot's tree after its row, as ms_print has it
        out += [sep, colhead, sep] + notes_table(info, snaps)
        for line in rows:
            k = int(ROW_RE.match(line).group(1))
            out.append(line)
            if k in trees:
                out += trees[k]
                if k == n:
                    out += notes_tree(info, snaps, k, trees[k], ms_opts, hide)
    if part == "table":
        out += [sep, colhead, sep] + table_rows(rows, snaps, every) + notes_table(info, snaps)
    if part == "tree":
        row = next(l for l in rows if int(ROW_RE.match(l).group(1)) == n)
        out += [sep, colhead, sep, row] + trees[n] + notes_tree(info, snaps, n, trees[n], ms_opts, hide)
    if part in ("all", "peak"):
        out += notes_peak(info, snaps)
    while out and not out[-1].strip():
        out.pop()
    out = [l for i, l in enumerate(out) if l.strip() or i == 0 or out[i - 1].strip()]
    print("\n".join(l.rstrip() for l in out))


def run_massif(argv, massif_opts, out):
    prog = argv[0]
    if os.sep not in prog:
        found = next((os.path.join(d, prog) for d in os.environ.get("PATH", "").split(os.pathsep)
                      if os.access(os.path.join(d, prog), os.X_OK)), None)
        if found is None:
            raise Bad(f"no such program: {prog}")
    elif not os.path.isfile(prog):
        raise Bad(f"no such program: {prog}")
    elif not os.access(prog, os.X_OK):
        raise Bad(f"not executable: {prog}")
    cmd = ["valgrind", "--tool=massif", "--time-unit=B", *massif_opts, f"--massif-out-file={out}", *argv]
    try:
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        raise Bad("valgrind is missing (make deps installs it)", 1)
    said = [l for l in r.stderr.splitlines() if not l.startswith("==")]
    if r.returncode != 0:
        why = f": {said[-1].strip()}" if said else ""
        vg = [l for l in r.stderr.splitlines() if "valgrind:" in l or "Bad option" in l]
        if vg and not os.path.exists(out):
            why = f": {vg[0].strip()}"
        raise Bad(f"'{shlex.join(argv)}' failed under massif (exit status {r.returncode}){why}", 1)
    if not os.path.exists(out):
        raise Bad(f"massif wrote no {out} for '{shlex.join(argv)}'", 1)


def main(argv):
    part, snapshot, every, massif_opts, ms_opts, keep, run = "all", None, False, [], [], None, None
    hide = False
    args = list(argv)
    while args:
        a = args.pop(0)
        if a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        if a == "--run":
            run = args
            break
        if a == "--hide-addresses":
            hide = True
            continue
        if a in ("--part", "--snapshot", "--rows", "--massif", "--ms-print", "--out"):
            if not args:
                raise Bad(f"{a} needs a value")
            v = args.pop(0)
            if a == "--part":
                if v not in PARTS:
                    raise Bad(f"--part {v}: not one of {', '.join(PARTS)}")
                part = v
            elif a == "--snapshot":
                snapshot = int(v) if v.isdigit() else v
            elif a == "--rows":
                m = re.fullmatch(r"(\d+)-(\d+)", v)
                if v != "all" and not (m and int(m.group(1)) <= int(m.group(2))):
                    raise Bad(f"--rows {v}: all, or a range of snapshot numbers A-B")
                every = True if v == "all" else (int(m.group(1)), int(m.group(2)))
            elif a == "--massif":
                massif_opts += shlex.split(v)
            elif a == "--ms-print":
                ms_opts += shlex.split(v)
            else:
                keep = v
        elif a.startswith("-") and a != "-":
            raise Bad(f"unknown option {a} (see --help)")
        else:
            if args:
                raise Bad(f"one massif.out file, not {len(args) + 1} arguments (or --run PROG ARGS)")
            explain(a, part, snapshot, every, ms_opts, hide=hide)
            return 0
    if run is None:
        raise Bad("give a massif.out file or --run PROG [ARGS] (see --help)")
    if not run or not run[0]:
        raise Bad("--run needs a program: --run PROG [ARGS]")
    if keep is not None:
        run_massif(run, massif_opts, keep)
        explain(keep, part, snapshot, every, ms_opts, hide=hide)
        return 0
    with tempfile.TemporaryDirectory(prefix="massif-explain.") as tmp:
        out = os.path.join(tmp, "massif.out")
        run_massif(run, massif_opts, out)
        explain(out, part, snapshot, every, ms_opts, shown="TMP/massif.out", hide=hide)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Bad as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        sys.exit(e.status)
    except BrokenPipeError:
        sys.exit(0)
