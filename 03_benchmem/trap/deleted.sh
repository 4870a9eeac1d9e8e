#!/usr/bin/env bash
# deleted.sh: what gcc -O2 made of trap/mallocfree.c, with and without the Makefile's
# -fno-builtin-malloc -fno-builtin-free (make deleted-03).
#
#   03_benchmem/trap/deleted.sh BUILD/03_benchmem/trap
set -euo pipefail
dir=${1:?usage: deleted.sh BUILD/03_benchmem/trap}
command -v objdump >/dev/null || { echo "deleted.sh: objdump is missing (package binutils)" >&2; exit 2; }
for v in o2 kept; do
    o=$dir/mallocfree_$v.o
    d=$(objdump -dr --no-show-raw-insn "$o")
    printf '%-22s calls to malloc: %s   calls to free: %s\n' "mallocfree_$v.o" \
        "$(grep -c 'R_X86_64_PLT32.malloc' <<<"$d" || true)" "$(grep -c 'R_X86_64_PLT32.free' <<<"$d" || true)"
done
echo
echo "trap_mallocfree_o2, all of it (objdump -d):"
objdump -d --no-show-raw-insn "$dir/mallocfree_o2.o" | sed -n '/<trap_mallocfree_o2>:/,/^$/p' | sed '/^$/d; s/^/  /'
