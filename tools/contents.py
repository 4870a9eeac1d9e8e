#!/usr/bin/python3
"""contents.py: a page's table of contents, made from its headings.

    tools/contents.py FILE.md...          rewrite each file's contents block
    tools/contents.py --check FILE.md...  exit 1 when a block is not what its headings make

A contents block sits between the lines `<!-- contents -->` and `<!-- /contents -->`:
one bullet per `##` heading of the page and, indented under it, one per `###` heading
(outside fenced blocks), each a link to the heading's anchor by GitHub's rules (the
rules tools/check_links.py checks links with). make test runs check_links.py, which
reports a block that no longer matches its headings; this tool rewrites it. A file
without the markers is left alone by --write and is an error for --check.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_links import headings  # noqa: E402

OPEN, CLOSE = "<!-- contents -->", "<!-- /contents -->"


def block(text):
    """The lines a contents block of `text` should hold, markers included."""
    lines = [OPEN]
    for level, title, slug in headings(text):
        if level in (2, 3):
            title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
            lines.append("%s- [%s](#%s)" % ("  " * (level - 2), title, slug))
    return lines + [CLOSE]


def span(lines):
    """(first, last) indexes of the block's marker lines, or None."""
    try:
        first = lines.index(OPEN)
        return first, lines.index(CLOSE, first)
    except ValueError:
        return None


def stale(text):
    """None when the block matches the headings, else what is wrong."""
    lines = text.split("\n")
    where = span(lines)
    if where is None:
        return "no contents block (%s ... %s)" % (OPEN, CLOSE)
    first, last = where
    return None if lines[first:last + 1] == block(text) else "contents out of date"


def main(argv):
    check = bool(argv) and argv[0] == "--check"
    files = argv[1:] if check else argv
    if not files or any(a.startswith("-") for a in files):
        print("usage: tools/contents.py [--check] FILE.md...", file=sys.stderr)
        return 2
    status = 0
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            print("contents.py: %s: %s" % (path, e.strerror), file=sys.stderr)
            return 2
        what = stale(text)
        if check:
            if what:
                print("%s: %s (tools/contents.py %s)" % (path, what, path))
                status = 1
            continue
        lines = text.split("\n")
        where = span(lines)
        if where is None or what is None:
            continue
        first, last = where
        lines[first:last + 1] = block(text)
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
        except OSError as e:
            print("contents.py: %s: %s" % (path, e.strerror), file=sys.stderr)
            return 1
        print("contents: %s" % path)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
