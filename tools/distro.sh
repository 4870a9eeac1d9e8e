#!/usr/bin/env bash
# distro.sh: the Quickstart on another Debian release, in a root of its own.
#
#   tools/distro.sh [SUITE] [-- COMMAND...]
#
# Builds a minimal Debian root for SUITE (default trixie, Debian 13) with debootstrap from
# the Debian archive apt already uses, under build/distro/SUITE (kept for the next run),
# copies this checkout into it (the committed tree plus the files changed in the working
# tree), and runs the README's commands there: `make deps`, then `make -j2 test`
# (or COMMAND). /proc, /sys, /dev and /dev/pts are bind-mounted for the run and unmounted
# on exit, also when it fails or is interrupted. Needs root, debootstrap and git.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

suite=trixie
if [ $# -gt 0 ] && [ "$1" != -- ]; then suite=$1; shift; fi
[ "${1:-}" = -- ] && shift
[[ "$suite" =~ ^[a-z]+$ ]] || { echo "distro.sh: SUITE must be a Debian code name such as trixie, got '$suite'" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "distro.sh: needs root (debootstrap, chroot and bind mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "distro.sh: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 2; }
if [ $# -gt 0 ]; then cmd=$(printf '%q ' "$@"); else cmd='make deps && make -j2 test'; fi

# The archive apt already uses: the first Debian URI of the host's sources, not security's.
mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' |
         grep -v security | head -1 || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ { print ($2 ~ /^\[/ ? $3 : $2); exit }' \
                             /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || { echo "distro.sh: no Debian archive in /etc/apt/sources.list(.d)" >&2; exit 2; }

root=$top/build/distro/$suite
mounted=()
cleanup() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$SECONDS
if [ ! -f "$root/.debootstrap-done" ]; then
    echo "distro: debootstrap --variant=minbase $suite from $mirror"
    rm -rf "$root"
    mkdir -p "$root"
    if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.log" 2>&1; then
        tail -5 "$root.log" >&2
        echo "distro.sh: debootstrap failed (whole log: $root.log)" >&2
        exit 1
    fi
    touch "$root/.debootstrap-done"
    echo "distro: root ready in $((SECONDS - start)) s"
fi
for m in proc sys dev dev/pts; do
    mount --bind "/$m" "$root/$m"
    mounted+=("$root/$m")
done
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

# The checkout: what is committed, then what the working tree changed on top of it, staged
# or not (against HEAD, not the index), and the files git does not track yet.
rm -rf "$root/src"
git clone -q --no-hardlinks "$top" "$root/src"
{ git diff -z --name-only --no-renames --diff-filter=d HEAD; git ls-files -z -o --exclude-standard; } |
    (cd "$top" && xargs -0r cp --parents -t "$root/src")
git diff -z --name-only --no-renames --diff-filter=D HEAD | (cd "$root/src" && xargs -0r rm -f)

# build-essential and make come with make deps; make itself is needed to run it.
echo "distro: $suite: $(cat "$root/etc/debian_version"); running: $cmd"
status=0
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 CI="${CI:-}" \
    DEBIAN_FRONTEND=noninteractive bash -c '
    set -e
    command -v make >/dev/null || { apt-get update -qq && apt-get install -y -qq make >/dev/null; }
    cd /src
    bash -c "$1"
    echo "distro: glibc $(getconf GNU_LIBC_VERSION | cut -d" " -f2), $(gcc --version | head -1), $(valgrind --version)," \
         "$(go version 2>/dev/null | cut -d" " -f3), Python $(python3 -c "import platform; print(platform.python_version())")"
' distro "$cmd" || status=$?
echo "distro: $suite done in $((SECONDS - start)) s"
exit $status
