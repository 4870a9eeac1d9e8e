#!/usr/bin/python3
"""check_links.py: every proof a page points at must exist.

    tools/check_links.py FILE.md...

For each Markdown file:
  - every relative link [text](path) or [text](path#anchor) names a file or directory
    that exists, relative to the file; an #anchor into a .md file (or a bare #anchor
    into the file itself) names a heading there, by GitHub's rules (lowercase, spaces
    to '-', punctuation dropped, a repeated heading gets -1, -2 ...);
  - a contents block (tools/contents.py) lists the page's headings as they are;
  - every `Test(suite, name)` it names is a Criterion test in some test_*.c of the
    repository;
  - every Go test it names in backquotes (`TestSomething`) is a func in some *_test.go,
    and every Python test (`test_something`) a def in some test_*.py.
Prints one line per broken reference (FILE:LINE: what is wrong) and exits 1 if there
is any, 2 on bad arguments.
"""
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SKIP_DIRS = {".git", "build"}


def repo_files(suffix_re):
    out = []
    for d, dirs, files in os.walk(ROOT):
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS]
        out += [os.path.join(d, f) for f in files if re.search(suffix_re, f)]
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def headings(text):
    """(level, title, anchor) of each heading of a Markdown text, outside fenced blocks,
    in order; the anchor by GitHub's rules."""
    seen, out, fence = {}, [], False
    for line in text.splitlines():
        if re.match(r"^\s*(```|~~~)", line):
            fence = not fence
            continue
        m = None if fence else re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(2))  # a link: its text
        slug = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.append((len(m.group(1)), m.group(2), slug if n == 0 else "%s-%d" % (slug, n)))
    return out


def anchors(path):
    """The anchors GitHub makes for the headings of a Markdown file."""
    return {slug for _, _, slug in headings(read(path))}


def main(argv):
    if not argv or any(a.startswith("-") for a in argv):
        print("usage: tools/check_links.py FILE.md...", file=sys.stderr)
        return 2
    c_tests = set()
    for f in repo_files(r"^test_.*\.c$"):
        for m in re.finditer(r"^Test\(\s*(\w+)\s*,\s*(\w+)\s*[,)]", read(f), re.M):
            c_tests.add((m.group(1), m.group(2)))
    go_tests = set()
    for f in repo_files(r"_test\.go$"):
        go_tests |= set(re.findall(r"^func\s+(Test\w+)\s*\(", read(f), re.M))
    py_tests = set()
    for f in repo_files(r"^test_.*\.py$"):
        py_tests |= set(re.findall(r"^\s*def\s+(test_\w+)\s*\(", read(f), re.M))

    bad = 0
    anchor_cache = {}
    for page in argv:
        if not os.path.isfile(page):
            print("check_links.py: %s: no such file" % page, file=sys.stderr)
            return 2
        text = read(page)
        base = os.path.dirname(os.path.abspath(page))

        def complain(pos, what):
            nonlocal bad
            bad += 1
            print("%s:%d: %s" % (page, text.count("\n", 0, pos) + 1, what))

        # Links, outside fenced blocks and code spans (their contents are code, not prose).
        blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))
        prose = re.sub(r"(?ms)^```.*?^```", blank, text)
        prose = re.sub(r"`[^`\n]*`", blank, prose)  # code spans: `a[i](x)` is no link
        for m in re.finditer(r"\[[^\]]*\]\(([^)\s]+)\)", prose):
            target = m.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            full = os.path.normpath(os.path.join(base, path)) if path else os.path.abspath(page)
            if not os.path.exists(full):
                complain(m.start(), "broken link: %s (no such file or directory)" % target)
                continue
            if anchor and full.endswith(".md"):
                if full not in anchor_cache:
                    anchor_cache[full] = anchors(full)
                if anchor not in anchor_cache[full]:
                    complain(m.start(), "broken link: %s (no heading #%s in %s)"
                             % (target, anchor, os.path.relpath(full, ROOT)))
        # A contents block (tools/contents.py) lists the page's headings as they are now.
        if "<!-- contents -->" in text:
            import contents
            what = contents.stale(text)
            if what:
                complain(text.index("<!-- contents -->"),
                         "%s: run tools/contents.py %s" % (what, page))
        # Criterion tests, possibly wrapped over two lines.
        for m in re.finditer(r"Test\(\s*(\w+)\s*,\s*(\w+)\s*\)", text):
            if (m.group(1), m.group(2)) not in c_tests:
                complain(m.start(), "no such test: Test(%s, %s)" % (m.group(1), m.group(2)))
        for m in re.finditer(r"`(Test[A-Z]\w*)`", text):
            if m.group(1) not in go_tests:
                complain(m.start(), "no such Go test: %s" % m.group(1))
        for m in re.finditer(r"`(test_\w+)`", text):
            if m.group(1) not in py_tests:
                complain(m.start(), "no such Python test: %s" % m.group(1))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
