# check_args.sh: sourced by check.sh and crosscheck.sh.
#
# Each lesson's check_args.txt holds the arguments that keep its programs small enough for
# Valgrind and for failing every allocation in turn, after any # comments: first main's
# line, then, for a program of the lesson's PROGS whose default run is too long to fail
# each allocation of, a line naming it under the lesson (demo/locality 64).

args_of() { # args_of LESSON: that lesson's small arguments for main
    [ -f "$1/check_args.txt" ] && grep -v '^#' "$1/check_args.txt" | grep -Ev '^[a-z_]+/' | head -1
}

prog_args_of() { # prog_args_of LESSON/PROGRAM: its small arguments, or nothing (its defaults)
    local l=${1%%/*} p=${1#*/}
    [ -f "$l/check_args.txt" ] && awk -v p="$p" '$1 == p { $1 = ""; sub(/^ /, ""); print; exit }' "$l/check_args.txt"
}
