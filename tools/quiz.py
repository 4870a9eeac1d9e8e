#!/usr/bin/env python3
"""quiz.py: INTERVIEW.md's questions asked one at a time, as in an interview (make quiz).

    tools/quiz.py [--topic WORD] [--n N] [--seed S] [--again] [--state DIR] [--list] [--check] [FILE]

Each question is shown alone; say the answer aloud, then press Enter to see the page's
answer and where it is proved, and mark it: y (you had it) or n (you did not). q leaves at
any prompt. At the end: how many you had, and the ones you missed with their proof, also
kept in DIR/missed so that --again asks those alone next time. The order is random (--seed
fixes it); --topic keeps the questions of the sections whose heading has that word;
--n asks that many; --list prints the sections and their number of questions.

FILE is INTERVIEW.md unless given. --check checks the arguments and asks nothing (make
quiz runs it first, so that bad input stops make in one line). Bad input gets one line and exit status 2; output that
cannot be written, one line and exit status 1.
"""
import argparse
import os
import random
import re
import shutil
import sys
import textwrap

QUESTION = re.compile(r"^\*\*(\d+)\. (.+)\*\*$")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
CODE = re.compile(r"`[^`]+`")
NBSP = "\x00"  # stands for a space inside a code span while a paragraph is wrapped


class Question:
    def __init__(self, number, text, section):
        self.number, self.text, self.section = number, text, section
        self.lines = []  # the answer as written, trailing blank lines dropped


def parse(path):
    """The page's questions in order, each with its section and its answer's lines."""
    questions, section, current, fence = [], None, None, False
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("```"):
                fence = not fence
            if not fence and line.startswith("## "):
                section, current = line[3:].strip(), None
                continue
            m = None if fence else QUESTION.match(line)
            if m:
                current = Question(int(m.group(1)), m.group(2), section)
                questions.append(current)
            elif current is not None:
                current.lines.append(line)
    for q in questions:
        while q.lines and not q.lines[-1].strip():
            q.lines.pop()
        while q.lines and not q.lines[0].strip():
            q.lines.pop(0)
    return questions


def plain(text):
    """Markdown for a terminal: a link's text with its target beside it, no bold marks."""
    def link(m):
        shown, target = m.group(1), m.group(2)
        return shown if shown.strip("`") == target else f"{shown} ({target})"

    return LINK.sub(link, text).replace("**", "")


def wrap(text, width):
    """Lines of at most width (a longer word alone on its line), never breaking inside a
    `code span`: a test's name stays whole."""
    glued = CODE.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    return [line.replace(NBSP, " ") for line in
            textwrap.wrap(glued, width, break_on_hyphens=False, break_long_words=False)]


def render(q, width):
    """The answer: paragraphs wrapped to width, generated blocks kept as they are, indented."""
    out, para, fence = [], [], False

    def flush():
        if para:
            out.extend(wrap(plain(" ".join(para)), width))
            para.clear()

    for line in q.lines:
        if line.startswith("<!--"):
            continue
        if line.startswith("```"):
            flush()
            fence = not fence
            continue
        if fence:
            out.append("    " + line)
        elif not line.strip():
            flush()
            out.append("")
        else:
            para.append(line.strip())
    flush()
    return "\n".join(out)


def ask(prompt, accepted):
    """One answer from the learner: a key of accepted (lower case), or None on q or end of input."""
    while True:
        say(prompt, end="")
        try:
            reply = input().strip().lower()
        except EOFError:
            say("")
            return None
        if reply == "q":
            return None
        if reply in accepted:
            return reply
        say(f"  (type {' or '.join(k if k else 'Enter' for k in accepted)}; q leaves)")


def say(text, end="\n"):
    sys.stdout.write(text + end)
    sys.stdout.flush()


def positive(name, value, top):
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= top:
        die(f"{name} must be a whole number from 1 to {top}, got '{value}'")
    return n


CHECK_ONLY = False  # --check: the bad-input line goes to stdout, for make's $(shell)


def die(message, status=2):
    (sys.stdout if CHECK_ONLY else sys.stderr).write(f"quiz: {message}\n")
    sys.exit(status)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        die(f"{message} (see tools/quiz.py --help)")


def main():
    p = Parser(description=__doc__.split("\n")[0])
    p.add_argument("file", nargs="?", default="INTERVIEW.md")
    p.add_argument("--topic", default="")
    p.add_argument("--n", default="")
    p.add_argument("--seed", default="")
    p.add_argument("--again", action="store_true")
    p.add_argument("--state", default="build/quiz")
    p.add_argument("--list", action="store_true")
    p.add_argument("--check", action="store_true", help="check the arguments, ask nothing")
    global CHECK_ONLY
    CHECK_ONLY = "--check" in sys.argv[1:]
    args = p.parse_args()

    try:
        questions = parse(args.file)
    except OSError as e:
        die(f"cannot read {args.file}: {e.strerror}")
    if not questions:
        die(f"{args.file} has no questions (lines like **1. Question?**)")
    sections = list(dict.fromkeys(q.section for q in questions))
    if args.list:
        for s in sections:
            say(f"{sum(q.section == s for q in questions):4d}  {s}")
        return 0

    pool = questions
    if args.topic:
        word = args.topic.lower()
        pool = [q for q in questions if q.section and word in q.section.lower()]
        if not pool:
            die(f"TOPIC '{args.topic}' names no section; a word of one of: " + "; ".join(sections))
    missed_file = os.path.join(args.state, "missed")
    try:
        with open(missed_file, encoding="utf-8") as f:
            kept = {int(w) for w in f.read().split() if w.isdigit()}
    except FileNotFoundError:
        kept = set()
    if args.again:
        pool = [q for q in pool if q.number in kept]
        if not pool:
            if not args.check:
                say("quiz: nothing missed last time: make quiz asks them all")
            return 0
    if args.seed:
        try:
            seed = int(args.seed)
        except ValueError:
            die(f"SEED must be a whole number, got '{args.seed}'")
    else:
        seed = random.randrange(1, 1000)
    pool = list(pool)
    random.Random(seed).shuffle(pool)
    if args.n:
        pool = pool[:positive("N", args.n, len(pool))]
    if args.check:
        return 0

    width = min(max(shutil.get_terminal_size((90, 24)).columns - 2, 40), 90)
    say(f"{len(pool)} question(s) from {args.file} (SEED={seed}). Say each answer aloud before you look.")
    had, missed, asked = [], [], 0
    for i, q in enumerate(pool, 1):
        say("")
        say(f"Question {i} of {len(pool)}  (#{q.number}, {q.section})")
        say("\n".join(wrap(plain(q.text), width)))
        if ask("[Enter: the answer, q: leave] ", {""}) is None:
            break
        say("")
        say(render(q, width))
        reply = ask("Did you have it? [y/n, q: leave] ", {"y", "n"})
        if reply is None:
            break
        asked += 1
        (had if reply == "y" else missed).append(q)

    say("")
    say(f"You had {len(had)} of {asked}.")
    if missed:
        say("Read these again:")
        for q in missed:
            say(f"  #{q.number} {plain(q.text)}")
        say("make quiz AGAIN=1 asks them alone.")
    if asked:
        # Only a finished question changes what --again asks: what was had leaves the list,
        # what was missed joins it.
        keep = (kept - {q.number for q in had}) | {q.number for q in missed}
        try:
            os.makedirs(args.state, exist_ok=True)
            with open(missed_file, "w", encoding="utf-8") as f:
                f.write("".join(f"{n}\n" for n in sorted(keep)))
        except OSError as e:
            die(f"cannot write {missed_file}: {e.strerror}", 1)
    return 0


if __name__ == "__main__":
    try:
        status = main()
        sys.stdout.flush()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        status = 130
    except OSError as e:
        sys.stderr.write(f"quiz: cannot write the output: {e.strerror}\n")
        status = 1
    # stdout already closed or full: leave without a second complaint at exit
    try:
        sys.stdout.flush()
    except OSError:
        pass
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(status)
