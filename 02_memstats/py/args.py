"""The one optional number the lesson's Python programs take, checked as the C programs
check theirs (common/cli.h): bad input gets one line naming the argument and its range
on stderr, and exit status 2."""
import sys


def number(prog, name, default, low, high, what):
    """sys.argv's one optional argument, a whole number from low to high; default without
    it. what says what it counts ("records", "KiB, the file's size")."""
    args = sys.argv[1:]
    if len(args) > 1 or (args and not (args[0].isdigit() and low <= int(args[0]) <= high)):
        print(f"{prog}: {name}: expected {what} from {low} to {high}", file=sys.stderr)
        sys.exit(2)
    return int(args[0]) if args else default
