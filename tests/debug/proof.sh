# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# proof.sh - what the debug kernels' proofs (tests/lockdep/run.sh,
# tests/kcsan/run.sh) share. Sourced after tests/vm/vm-lib.sh, from the
# top of the tree.

# proof_boot TREE NAME MODULE: builds tests/NAME's MODULE.ko with warnings
# as errors against the kernel tree TREE, from a copy of lib/ and
# tests/NAME in build/NAME/src, and boots TREE's kernel once with it and
# tests/NAME/guest.sh (which ends its report with "NAME-done"). Sets
# report (the guest's, build/NAME/report.txt) and starts the caller's
# passed / failed with the verdicts every proof has: the guest finished
# and the module loaded.
proof_boot() {
	local tree=$1 name=$2 module=$3
	local out=build/$name
	rm -rf "$out/src"
	mkdir -p "$out/src/tests"
	cp -r lib "$out/src/"
	cp -r "tests/$name" "$out/src/tests/"
	make -s -C "$tree" M="$PWD/$out/src/tests/$name" KCXX_WERROR=1 modules
	vm_initramfs "$out/initrd.cpio" "tests/$name/guest.sh" "$out/src/tests/$name/$module.ko"
	vm_boot "$tree/arch/x86/boot/bzImage" "$out/initrd.cpio" "$out" 300 >/dev/null || true
	report=$out/report.txt
	passed=0 failed=0
	vm_verdict "the guest finished" grep -q "^$name-done\$" "$report"
	vm_verdict "insmod $module.ko" grep -q '^ok - insmod' "$report"
}
