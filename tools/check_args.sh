# check_args.sh: sourced by check.sh and crosscheck.sh.
#
# CHECK_ARGS (from make: "NN_name=ARG+ARG ..." words, one per lesson, out of each
# lesson.mk's CHECK_ARGS_NN_name) holds the arguments that keep a lesson's main small
# enough for Valgrind and for failing every allocation in turn. Run outside make, the
# scripts ask make for them.
: "${CHECK_ARGS=$(make -s --no-print-directory check-args)}"

args_of() { # args_of LESSON: that lesson's small arguments, space-separated
    local w
    for w in ${CHECK_ARGS:-}; do
        [ "${w%%=*}" = "$1" ] && { echo "${w#*=}" | tr + ' '; return; }
    done
}
