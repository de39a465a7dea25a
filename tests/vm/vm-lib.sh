# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# vm-lib.sh - boot a Debian kernel in QEMU (TCG) with a busybox initramfs
# that carries kthread.ko and a guest script. Sourced, not run.
#
# The guest writes its report (TAP) to its second serial port; the kernel
# console goes to the first. Both land in files, so a hung guest can never
# block the host, and the host prints the report as it grows.

VM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM_CACHE=${VM_CACHE:-$VM_ROOT/cache}
VM_BUILD=${VM_BUILD:-$VM_ROOT/build}
# One VM or kernel build at a time on this machine (2 cores): every boot
# and every kernel build takes this lock, whichever checkout runs it.
VM_LOCK=${VM_LOCK:-/tmp/kthread-cxx-heavy.lock}

vm_log() { printf '[vm %s] %s\n' "$(date +%T)" "$*" >&2; }

# The kernel release a build tree is for (6.1.0-56-amd64, ...).
vm_release_of() {
	# UTS_RELEASE is what uname -r says; Debian's kernel.release is not.
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h"
}

# vm_kernel_from_archive RELEASE DIR: its image package into DIR through
# scripts/debian-archive.sh (in a subshell: the library's settings stay there).
vm_kernel_from_archive() (
	# shellcheck source=scripts/debian-archive.sh
	. "$VM_ROOT/scripts/debian-archive.sh"
	archive_init >&2 || exit 1
	archive_download "$2" "linux-image-$1" 2>/dev/null || archive_download "$2" "linux-image-$1-unsigned"
)

# Print the path of a bootable kernel for RELEASE, downloading Debian's
# image package into the cache the first time (nothing is installed).
# Prefers the unpacked vmlinux (PVH entry), unless VM_BZIMAGE=1.
vm_kernel() {
	local release=$1 dir=$VM_CACHE/kernels/$1
	mkdir -p "$VM_CACHE/kernels"
	exec {cache_fd}>"$VM_CACHE/kernels/.lock"
	flock "$cache_fd"
	if [[ ! -f $dir/vmlinuz ]]; then
		mkdir -p "$dir/deb"
		vm_log "fetching linux-image-$release from Debian's archive"
		if [[ -f /boot/vmlinuz-$release ]]; then
			cp "/boot/vmlinuz-$release" "$dir/vmlinuz.tmp"
		else
			# The host's apt first, then the project's view of the archive
			# (a kernel of a suite the host's apt does not list: backports,
			# another release).
			(cd "$dir/deb" && apt-get download "linux-image-$release" >/dev/null 2>&1 ||
				apt-get download "linux-image-$release-unsigned" >/dev/null 2>&1) ||
				vm_kernel_from_archive "$release" "$dir/deb" ||
				{ vm_log "cannot download linux-image-$release"; return 1; }
			dpkg-deb --fsys-tarfile "$dir"/deb/*.deb | tar -x -C "$dir/deb" ./boot
			cp "$dir/deb/boot/vmlinuz-$release" "$dir/vmlinuz.tmp"
			rm -rf "$dir/deb"
		fi
		mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
	fi
	if [[ ${VM_BZIMAGE:-0} != 1 && ! -f $dir/vmlinux ]]; then
		python3 "$VM_ROOT/tests/vm/extract-vmlinux.py" "$dir/vmlinuz" "$dir/vmlinux.tmp" &&
			mv "$dir/vmlinux.tmp" "$dir/vmlinux"
	fi
	exec {cache_fd}>&-
	if [[ ${VM_BZIMAGE:-0} == 1 || ! -f $dir/vmlinux ]]; then
		echo "$dir/vmlinuz"
	else
		echo "$dir/vmlinux"
	fi
}

# The static guest helper, rebuilt when its source changes.
vm_ktprobe() {
	local out=$VM_BUILD/ktprobe src=$VM_ROOT/tests/vm/guest/ktprobe.c
	if [[ ! -x $out || $src -nt $out ]]; then
		mkdir -p "$VM_BUILD"
		gcc -static -O2 -Wall -Wextra -Werror -pthread -o "$out" "$src"
	fi
	echo "$out"
}

# vm_initramfs OUT GUEST_SCRIPT FILE...: an uncompressed newc cpio with
# busybox, /init, the guest scripts and FILE... copied into /test.
vm_initramfs() {
	local out=$1 script=$2
	shift 2
	local tree
	tree=$(mktemp -d)
	mkdir -p "$tree"/{bin,sbin,proc,sys,dev,tmp,test,etc}
	cp /bin/busybox "$tree/bin/busybox"
	cp "$VM_ROOT/tests/vm/guest/init" "$tree/init"
	cp "$VM_ROOT"/tests/vm/guest/*.sh "$tree/test/"
	cp "$script" "$tree/test/main.sh"
	cp "$(vm_ktprobe)" "$tree/bin/ktprobe"
	local f
	for f in "$@"; do cp "$f" "$tree/test/"; done
	chmod +x "$tree/init" "$tree"/test/*.sh
	(cd "$tree" && find . | cpio -o -H newc --quiet) >"$out"
	rm -rf "$tree"
}

# vm_boot KERNEL INITRD OUTDIR TIMEOUT [KERNEL ARGS...]
# VM_SMP (default 2) and VM_QEMU_ARGS (extra QEMU options, split on blanks)
# change the machine, e.g. one vCPU under -icount for make bench.
# Streams the guest report to stdout as it comes. Returns QEMU's status
# (124 on timeout). The console log is OUTDIR/console.log.
vm_boot() {
	local kernel=$1 initrd=$2 out=$3 timeout=$4
	shift 4
	mkdir -p "$out"
	: >"$out/console.log"
	: >"$out/report.log"
	local append="console=ttyS0 8250.nr_uarts=2 panic=-1 oops=panic loglevel=5 log_buf_len=4M quiet $*"
	# shellcheck disable=SC2086 # VM_QEMU_ARGS: QEMU options, one word each
	flock "$VM_LOCK" timeout --foreground -k 5 "$timeout" qemu-system-x86_64 \
		-accel tcg -cpu max,la57=off -smp "${VM_SMP:-2}" -m 1024 ${VM_QEMU_ARGS:-} \
		-nographic -no-reboot -monitor none -nic none \
		-kernel "$kernel" -initrd "$initrd" -append "$append" \
		-chardev file,id=console,path="$out/console.log" -serial chardev:console \
		-chardev file,id=report,path="$out/report.log" -serial chardev:report \
		</dev/null >"$out/qemu.log" 2>&1 &
	local qemu=$!
	tail -n +1 -F --pid=$qemu "$out/report.log" 2>/dev/null | tr -d '\r' &
	local tailer=$!
	local status=0
	wait $qemu || status=$?
	wait $tailer 2>/dev/null || true
	tr -d '\r' <"$out/report.log" >"$out/report.txt"
	return $status
}

# Kernel trouble on the console: anything here fails the run.
vm_console_trouble() {
	grep -E 'BUG:|WARNING:|Oops|Call Trace|Kernel panic|blocked for more than|hung_task|general protection|KASAN|possible circular|possible recursive|inconsistent lock|UBSAN' "$1" || true
}
