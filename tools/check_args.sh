# check_args.sh: sourced by check.sh and crosscheck.sh.
#
# Each lesson's check_args.txt holds the arguments that keep its main small enough for
# Valgrind and for failing every allocation in turn: one line, after any # comments.

args_of() { # args_of LESSON: that lesson's small arguments
    [ -f "$1/check_args.txt" ] && grep -v '^#' "$1/check_args.txt" | head -1
}
