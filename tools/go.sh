#!/usr/bin/env bash
# go.sh: a lesson's Go twin (NN_name/go/, standard library only), as `make go-NN` runs it.
#
#   tools/go.sh DIR test [ARGS]     go vet, then the tests (exact allocation counts), verbose
#   tools/go.sh DIR bench [ARGS]    go test -run '^$' -bench . -benchmem [ARGS]
#   tools/go.sh DIR escape          go build -gcflags=-m: the compiler's escape decisions
#   tools/go.sh DIR run [ARGS]      go run . [ARGS]: the twin's own program, if it has one
#   tools/go.sh DIR build OUT       go build -o OUT .: the same program as a file, for a
#                                   tool that runs it (02_memstats/clones.sh: strace)
#   tools/go.sh DIR all             test, escape, then bench
#
# Go comes from Debian's golang-go (make deps). Nothing is downloaded: the module proxy
# is off, the toolchain is the local one, and the caches live under build/go/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() { echo "usage: tools/go.sh NN_name test|bench|escape|run|all [ARGS], or build OUT" >&2; exit 2; }
[ $# -ge 2 ] || usage
dir=$1 mode=$2
shift 2
[ -d "$dir" ] || { echo "go.sh: no lesson directory '$dir'" >&2; exit 2; }
[ -f "$dir/go/go.mod" ] || { echo "go.sh: $dir has no Go twin ($dir/go/go.mod)" >&2; exit 2; }
command -v go >/dev/null || {
    echo "go.sh: Go is not installed: run 'make deps' (Debian package golang-go)" >&2
    exit 2
}

export GOCACHE=$root/build/go/cache GOPATH=$root/build/go/path GOMODCACHE=$root/build/go/mod
export GOPROXY=off GOTOOLCHAIN=local GOTELEMETRY=off GOFLAGS=-mod=mod CGO_ENABLED=0
cd "$dir/go"

case "$mode" in
test)
    go vet ./...
    go test -count=1 -v "$@" ./...
    ;;
bench) go test -run '^$' -bench . -benchmem "$@" ./... ;;
escape)
    # -m once: where each value lives; only the twin's own lines.
    go build -gcflags=-m -o /dev/null ./... 2>&1 | grep -E '^\./[^ ]+\.go:' | sort -t: -k1,1 -k2,2n -s
    ;;
run) go run . "$@" ;;
build)
    [ $# -eq 1 ] || usage
    case "$1" in /*) out=$1 ;; *) out=$root/$1 ;; esac
    go build -o "$out" .
    ;;
all)
    "$root/tools/go.sh" "$dir" test
    "$root/tools/go.sh" "$dir" escape
    "$root/tools/go.sh" "$dir" bench "$@"
    ;;
*) usage ;;
esac
