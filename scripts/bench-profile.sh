#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The "why" behind make bench's C++/C throughput ratio: perf in the guest.
# Copies the host's perf (Debian's linux-perf, matching the 6.1 guest) and
# the libraries it links into a second initramfs archive, boots the VM as
# make bench does and runs bench/guest/profile.sh: flat profiles of the
# C++ module and the C twin, null read and signalling read, one reader.
# Prints them side by side: symbol, share of all samples (both CPUs) for
# C++ and for C. About 40 s. Needs kthread.ko and ctwin.ko (make bench).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh

perf=$(command -v perf) || { echo "no perf: apt-get install linux-perf" >&2; exit 1; }
[[ -f bench/ctwin/ctwin.ko && -f bench/kthread/kthread.ko ]] ||
	{ echo "run make bench first (it builds bench/ctwin/ctwin.ko and bench/kthread/kthread.ko)" >&2; exit 1; }
out=build/bench-profile
rm -rf "$out" && mkdir -p "$out/root/usr/bin"
cp "$perf" "$out/root/usr/bin/perf"
for lib in $(ldd "$perf" | grep -o '/[^ ]*\.so[^ ]*'); do
	mkdir -p "$out/root$(dirname "$lib")"
	cp -L "$lib" "$out/root$lib"
done
vm_initramfs "$out/base.cpio" bench/guest/profile.sh bench/kthread/kthread.ko bench/ctwin/ctwin.ko
(cd "$out/root" && find . | cpio -o -H newc --quiet) >"$out/perf.cpio"
cat "$out/base.cpio" "$out/perf.cpio" >"$out/initrd.cpio"
rm -rf "$out/root" "$out/base.cpio" "$out/perf.cpio"
vm_boot "$(vm_kernel "$(vm_release_of "$KDIR")")" "$out/initrd.cpio" "$out" 300 tsc=reliable |
	grep '^# ' || true
grep -q '^profile-done' "$out/report.txt" || { echo "no profile; see $out/report.txt" >&2; exit 1; }
python3 - "$out/report.txt" <<'PY'
import sys
from collections import defaultdict
share = defaultdict(dict)
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[0] == "profile":
        share[f[1]][(f[2], f[4])] = float(f[3].rstrip("%"))
for mode in ("null", "signal"):
    syms = sorted({s for (_, s) in share[mode]}, key=lambda s: -max(share[mode].get(("cxx", s), 0), share[mode].get(("c", s), 0)))
    print(f"\n{mode} read, one reader: % of all samples    C++      C")
    for s in syms[:25]:
        print(f"  {s[:44]:44} {share[mode].get(('cxx', s), 0):6.2f} {share[mode].get(('c', s), 0):6.2f}")
PY
