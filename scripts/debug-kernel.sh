#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds (once; cached) a small debug kernel from Debian's kernel source
# (the release's own, as scripts/kernel-source.sh names it):
# tinyconfig + tests/debug/base.config (bootable in QEMU) + the flavour's
# detectors. Prints its tree.
#   scripts/debug-kernel.sh [kasan|kcsan]
# kasan (the default): tests/debug/debug.config (lockdep, KASAN, kmemleak,
#   DEBUG_OBJECTS, DEBUG_LIST, fault injection, KUnit);
# kcsan: tests/debug/kcsan.config (the same with KCSAN, strict, for KASAN).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
case ${1:-kasan} in
kasan) detectors=$root/tests/debug/debug.config ;;
kcsan) detectors=$root/tests/debug/kcsan.config ;;
*) echo "usage: scripts/debug-kernel.sh [kasan|kcsan]" >&2; exit 2 ;;
esac
base=$root/tests/debug/base.config
# shellcheck source=scripts/kernel-source.sh
. scripts/kernel-source.sh
tarball=$(kernel_source_tarball) || exit 1
# (base.config + debug.config is the one fragment of before: same stamp.)
stamp=$(cat "$base" "$detectors" "$tarball" | md5sum | cut -c1-12)
cache=${VM_CACHE:-$root/cache}/debug-kernel
tree=$cache/linux-$stamp
if [[ -f $tree/.built ]]; then
	echo "$tree"
	exit 0
fi
mkdir -p "$cache"
# Never beside a VM or another kernel build (see tests/vm/vm-lib.sh); a
# second caller waits here and then finds the tree built.
exec {heavy}>"${VM_LOCK:-/tmp/kthread-cxx-heavy.lock}"
flock "$heavy"
if [[ -f $tree/.built ]]; then
	echo "$tree"
	exit 0
fi
if [[ ! -f $tree/Makefile ]]; then
	rm -rf "$tree.tmp"
	mkdir -p "$tree.tmp"
	echo "[debug-kernel] unpacking $tarball" >&2
	tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
	mv "$tree.tmp" "$tree"
fi
cd "$tree"
t=$SECONDS
echo "[debug-kernel] configuring (tinyconfig + base.config + $(basename "$detectors"))" >&2
make -s tinyconfig >&2
fragment=$tree/.kcxx-fragment.config
cat "$base" "$detectors" >"$fragment"
scripts/kconfig/merge_config.sh -m .config "$fragment" >/dev/null
make -s olddefconfig >&2
# Every line of the fragment must have survived: a silently dropped option
# would mean a detector that is not there.
missing=$(grep '^CONFIG_' "$fragment" | while read -r line; do grep -qx "$line" .config || echo "$line"; done)
[[ -z $missing ]] || { echo "error: options not taken by kconfig:" >&2; echo "$missing" >&2; exit 1; }
echo "[debug-kernel] building bzImage and modules with -j$(nproc) (about 7-10 minutes)" >&2
make -s -j"$(nproc)" bzImage modules >&2
touch .built
echo "[debug-kernel] built in $((SECONDS - t)) s" >&2
echo "$tree"
