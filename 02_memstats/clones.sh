#!/usr/bin/env bash
# clones.sh: the system call that starts the child, each way of starting /bin/true, seen
# with strace (make clones-02). The faults the parent takes after a start tell whether it
# copied the page tables (demo/spawn); this shows what the C library, Go's os/exec and
# CPython asked the kernel for: clone without CLONE_VM copies the address space (fork),
# CLONE_VM | CLONE_VFORK runs the child in the parent's until it execs (vfork,
# posix_spawn). Threads (clone with CLONE_THREAD: Go's runtime starts some) are left out.
#
#   02_memstats/clones.sh BUILD_DIR/02_memstats c|go|python
#
# Each program starts /bin/true once and waits for it: demo/spawn --once WAY, the Go
# twin's -spawnonce WAY, py/spawn.py --once WAY. Lines are the starting process's calls,
# then its children's (the shell of system() and popen()), in the order they were made;
# pids, addresses and stack sizes left out.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: 02_memstats/clones.sh BUILD_DIR/02_memstats c|go|python" >&2; exit 2; }
[ $# -eq 2 ] || usage
build=$1 lang=$2
command -v strace >/dev/null || {
    echo "clones.sh: strace is not installed: run 'make deps' (Debian package strace)" >&2
    exit 2
}
tmp=$build/clones
mkdir -p "$tmp"

# calls LABEL CMD...: run CMD under strace and print its process-starting calls, indented.
calls() {
    local label=$1 log
    shift
    log=$tmp/trace.txt
    if ! strace -f -qq -e trace=clone,clone3,fork,vfork -e signal=none -o "$log" "$@" >/dev/null; then
        echo "clones.sh: '$*' failed under strace (is ptrace allowed here?)" >&2
        exit 1
    fi
    printf '  %s\n' "$label"
    awk '
        # "PID call(args) = ret": the first pid is the program strace started. A call that
        # another process interrupts is split in two lines, "call(args <unfinished ...>"
        # and "<... call resumed> = ret", and a thread that exits inside a call strace had
        # not yet decoded leaves "???( <detached ...>": only the line with the arguments
        # is read.
        {
            pid = $1; line = $0; sub(/^[0-9]+ +/, "", line)
            if (line !~ /^(clone|clone3|fork|vfork)\(/) next
            if (line ~ /CLONE_THREAD/) next
            if (first == "") first = pid
            who = pid == first ? "itself" : "its child"
            if (line ~ /^clone3\(/) {
                match(line, /flags=[A-Z_|]+/); f = substr(line, RSTART + 6, RLENGTH - 6)
                match(line, /exit_signal=[A-Z0-9]+/); e = substr(line, RSTART, RLENGTH)
                call = "clone3(" f ", " e ")"
            } else if (line ~ /^clone\(/) {
                match(line, /flags=[A-Z_|]+/); call = "clone(" substr(line, RSTART + 6, RLENGTH - 6) ")"
            } else {
                call = line; sub(/ *=.*/, "", call)
            }
            printf "    %-10s %s\n", who, call
        }' "$log"
}

case "$lang" in
c)
    echo "02_memstats: the call that starts /bin/true, C (glibc $(getconf GNU_LIBC_VERSION | cut -d' ' -f2)), strace -f, threads left out"
    for way in fork vfork posix_spawn system popen; do
        calls "demo/spawn --once $way" "$build/demo/spawn" --once "$way"
    done
    ;;
go)
    tools/go.sh 02_memstats build "$tmp/go-twin" >&2
    echo "02_memstats, Go twin ($(go env GOVERSION)): the call that starts /bin/true, strace -f, threads left out"
    calls "exec.Command(\"/bin/true\").Run()" "$tmp/go-twin" -spawnonce exec
    calls "a raw fork (clone, SIGCHLD), for comparison" "$tmp/go-twin" -spawnonce fork
    ;;
python)
    py=/usr/bin/python3
    echo "02_memstats, Python twin (CPython $($py -c 'import platform; print(platform.python_version())')): the call that starts /bin/true, strace -f"
    for way in subprocess posix_spawn fork; do
        calls "spawn.py --once $way" "$py" 02_memstats/py/spawn.py --once "$way"
    done
    ;;
*)
    echo "clones.sh: the language (ARGS of make clones-02) must be c, go or python, got '$lang'" >&2
    exit 2
    ;;
esac
