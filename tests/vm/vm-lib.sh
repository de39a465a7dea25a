# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# vm-lib.sh - boot a Debian kernel in QEMU (TCG) with a busybox initramfs
# that carries kthread.ko and a guest script. Sourced, not run.
#
# The guest writes its report (TAP) to its second serial port (x86) or a
# virtio console (arm64: QEMU's virt machine has one UART); the kernel
# console goes to the first. Both land in files, so a hung guest can never
# block the host, and the host prints the report as it grows.
#
# The architecture is the kernel tree's (KDIR_ARCH, which scripts/kdir.sh
# sets: x86 or arm64; VM_ARCH overrides it): arm64 boots Debian's arm64
# image in qemu-system-aarch64 -M virt -cpu max, with busybox-static:arm64
# and guest tools cross-built static (scripts/arm64-kernel.sh fetches the
# image, the virtio modules of the report channel and busybox).

VM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM_CACHE=${VM_CACHE:-$VM_ROOT/cache}
VM_BUILD=${VM_BUILD:-$VM_ROOT/build}
# One VM or kernel build at a time on this machine (2 cores): every boot
# and every kernel build takes this lock, whichever checkout runs it.
VM_LOCK=${VM_LOCK:-/tmp/kthread-cxx-heavy.lock}

vm_log() { printf '[vm %s] %s\n' "$(date +%T)" "$*" >&2; }

# The guest's architecture: x86 or arm64.
vm_arch() { echo "${VM_ARCH:-${KDIR_ARCH:-x86}}"; }

# vm_cc ARGS...: the C compiler for static guest programs of vm_arch.
vm_cc() {
	if [[ $(vm_arch) == arm64 && $(uname -m) != aarch64 ]]; then
		aarch64-linux-gnu-gcc "$@"
	else
		gcc "$@"
	fi
}

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
	if [[ $release == *-arm64 ]]; then
		# The image as it is (qemu boots arm64's vmlinuz directly), with
		# the report channel's modules beside it (scripts/arm64-kernel.sh).
		"$VM_ROOT/scripts/arm64-kernel.sh" "$release" >/dev/null || return 1
		echo "$dir/vmlinuz"
		return 0
	fi
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

# vm_probe TOOL OUT: a static guest probe (tests/vm/guest/probes/: ktprobe,
# crcprobe or make fuzz's crcfuzz, on the shared core probe.c; crcfuzz on
# crcprobe's requests too), rebuilt when a source changed.
# The commands share one signature, so not every one reads every parameter.
vm_probe() {
	local tool=$1 out=$2 dir=$VM_ROOT/tests/vm/guest/probes prefix src srcs=() stale=0 more=()
	case $tool in
	ktprobe) prefix=kt_ ;;
	crcprobe) prefix=crc_ ;;
	crcfuzz) prefix=crcfuzz_ more=("$dir/crc_request.c") ;;
	*) return 1 ;;
	esac
	for src in "$dir/probe.c" "$dir/$tool.c" "$dir/$prefix"*.c "${more[@]}"; do srcs+=("$src"); done
	for src in "${srcs[@]}" "$dir"/*.h; do [[ $src -nt $out ]] && stale=1; done
	if [[ ! -x $out || $stale == 1 ]]; then
		mkdir -p "$(dirname "$out")"
		vm_cc -static -O2 -Wall -Wextra -Wno-unused-parameter -Werror -pthread -o "$out" "${srcs[@]}"
	fi
	echo "$out"
}

# The static guest helper for kthread.ko, in /bin of every initramfs.
vm_ktprobe() {
	local out=$VM_BUILD/ktprobe
	[[ $(vm_arch) == x86 ]] || out=$VM_BUILD/ktprobe-$(vm_arch)
	vm_probe ktprobe "$out"
}

# vm_initramfs OUT GUEST_SCRIPT FILE...: an uncompressed newc cpio with
# busybox, /init, the guest scripts and FILE... copied into /test.
vm_initramfs() {
	local out=$1 script=$2
	shift 2
	local tree
	tree=$(mktemp -d)
	mkdir -p "$tree"/{bin,sbin,proc,sys,dev,tmp,test,etc}
	if [[ $(vm_arch) == arm64 && $(uname -m) != aarch64 ]]; then
		[[ -x $VM_CACHE/arm64/busybox/busybox ]] || "$VM_ROOT/scripts/arm64-kernel.sh" >/dev/null
		cp "$VM_CACHE/arm64/busybox/busybox" "$tree/bin/busybox"
	else
		cp /bin/busybox "$tree/bin/busybox"
	fi
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

# vm_verdict NAME COMMAND...: a host-side TAP line on what a VM left
# behind ("ok - NAME" if COMMAND succeeds), counted in the caller's
# passed / failed, for its "N passed, N failed".
vm_verdict() {
	if "${@:2}"; then passed=$((passed + 1)); echo "ok - $1"; else failed=$((failed + 1)); echo "not ok - $1"; fi
}

# vm_stall_watch PID OUTDIR TIMEOUT: while PID (the VM) lives, watch its
# two logs; when neither has grown for VM_STALL_SECS (default a third of
# TIMEOUT, at least 300 s: the debug kernel's fault injection can be quiet
# for minutes; 0: never) since QEMU started, press SysRq 8 (console loglevel 8: the dumps are KERN_INFO),
# w (blocked tasks) and t (every task) on the guest's keyboard through
# QEMU's monitor, once: a guest that stopped making progress leaves its
# tasks' stacks in OUTDIR/console.log, and OUTDIR/stall.txt says when.
# x86 only (arm64's virt machine has no keyboard for sendkey).
vm_stall_watch() {
	local pid=$1 out=$2 limit=${VM_STALL_SECS:-$(($3 / 3 > 300 ? $3 / 3 : 300))} size last=-1 quiet=0
	[[ $limit -gt 0 && $(vm_arch) == x86 ]] || return 0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		[[ -S $out/monitor.sock ]] || continue # still waiting for the VM lock
		size=$(cat "$out/console.log" "$out/report.log" 2>/dev/null | wc -c)
		if [[ $size != "$last" ]]; then
			last=$size quiet=0
			continue
		fi
		quiet=$((quiet + 5))
		[[ $quiet -ge $limit ]] || continue
		vm_log "no output from the guest for $quiet s: SysRq w and t, the tasks' stacks, into $out/console.log"
		echo "stalled: no output for $quiet s; SysRq 8, w, t sent at $(date +%T)" >"$out/stall.txt"
		python3 - "$out/monitor.sock" <<-'PY' || vm_log "could not reach QEMU's monitor"
			import socket, sys, time
			s = socket.socket(socket.AF_UNIX)
			s.connect(sys.argv[1])
			for key in ("8", "w", "t"):
			    s.sendall(b"sendkey alt-sysrq-%s\n" % key.encode())
			    time.sleep(2)
			s.close()
		PY
		return 0
	done
}

# vm_boot KERNEL INITRD OUTDIR TIMEOUT [KERNEL ARGS...]
# VM_SMP (default 2) and VM_QEMU_ARGS (extra QEMU options, split on blanks)
# change the machine, e.g. one vCPU under -icount for make bench.
# Streams the guest report to stdout as it comes. Returns QEMU's status
# (124 on timeout). The console log is OUTDIR/console.log; a stalled guest
# dumps its tasks there (vm_stall_watch).
vm_boot() {
	local kernel=$1 initrd=$2 out=$3 timeout=$4
	shift 4
	mkdir -p "$out"
	: >"$out/console.log"
	: >"$out/report.log"
	rm -f "$out/monitor.sock" "$out/stall.txt"
	local args=(-kernel "$kernel" -nographic -no-reboot -nic none
		-monitor "unix:$out/monitor.sock,server=on,wait=off"
		-chardev "file,id=console,path=$out/console.log" -serial chardev:console
		-chardev "file,id=report,path=$out/report.log")
	local qemu append="panic=-1 oops=panic loglevel=5 log_buf_len=4M quiet sysrq_always_enabled $*"
	# The kernel's modules that the test modules need (vm-kmods.sh), in /kmod.
	initrd=$(vm_kmods_initrd "$kernel" "$initrd" "$out")
	if [[ $(vm_arch) == arm64 ]]; then
		# virt has one UART (the console); the report goes to a virtio
		# console, /dev/hvc0, whose modules (Debian builds them as modules)
		# ride along as a second cpio archive the kernel unpacks after the
		# first: /report/*.ko and their load order, for the guest's /init.
		local mods=${kernel%/*}/modules
		if [[ -f $mods/order ]]; then
			local tree
			tree=$(mktemp -d)
			mkdir -p "$tree/report"
			local m
			while read -r m; do cp "$mods/$m.kmod" "$tree/report/$m.ko"; done <"$mods/order"
			cp "$mods/order" "$tree/report/"
			cat "$initrd" >"$out/initrd-arm64.cpio"
			(cd "$tree" && find . | cpio -o -H newc --quiet) >>"$out/initrd-arm64.cpio"
			rm -rf "$tree"
			initrd=$out/initrd-arm64.cpio
		fi
		# -cpu max: pointer authentication (Debian's arm64 kernels sign
		# their return addresses) and BTI as the kernel enables them, LSE
		# atomics; pauth-impdef: QEMU's cheap implementation-defined PAC
		# algorithm instead of QARMA5 (still signed and checked, far less
		# TCG time per function call).
		qemu="qemu-system-aarch64"
		args+=(-M virt -accel tcg -cpu "max,pauth-impdef=on"
			-device virtio-serial-device -device "virtconsole,chardev=report")
		append="console=ttyAMA0 $append"
	else
		qemu="qemu-system-x86_64"
		args+=(-accel tcg -cpu "max,la57=off" -serial chardev:report)
		append="console=ttyS0 8250.nr_uarts=2 $append"
	fi
	# shellcheck disable=SC2086 # VM_QEMU_ARGS: QEMU options, one word each
	flock "$VM_LOCK" timeout --foreground -k 5 "$timeout" "$qemu" \
		-smp "${VM_SMP:-2}" -m 1024 ${VM_QEMU_ARGS:-} "${args[@]}" \
		-initrd "$initrd" -append "$append" \
		</dev/null >"$out/qemu.log" 2>&1 &
	local qemu=$!
	tail -n +1 -F --pid=$qemu "$out/report.log" 2>/dev/null | tr -d '\r' &
	local tailer=$!
	vm_stall_watch $qemu "$out" "$timeout" &
	local watcher=$!
	local status=0
	wait $qemu || status=$?
	wait $tailer 2>/dev/null || true
	kill $watcher 2>/dev/null || true
	wait $watcher 2>/dev/null || true
	rm -f "$out/monitor.sock"
	tr -d '\r' <"$out/report.log" >"$out/report.txt"
	return $status
}

# vm_boot_done WHAT DONE KERNEL INITRD OUTDIR TIMEOUT [KERNEL ARGS...]: a
# measuring boot (make bench's): vm_boot, the guest's progress lines ("# ...")
# and failed checks on stderr; fails, saying why, on kernel trouble on the
# console or when the report has no line DONE (WHAT did not finish).
vm_boot_done() {
	local what=$1 done=$2 out=$5 status=0 trouble
	shift 2
	vm_boot "$@" | grep --line-buffered -E '^# |^check .*FAILED' >&2 || status=${PIPESTATUS[0]}
	trouble=$(vm_console_trouble "$out/console.log")
	if [[ -n $trouble ]]; then
		echo "kernel trouble on the console ($out/console.log):" >&2
		echo "$trouble" | head -n 20 >&2
		return 1
	fi
	grep -q "^$done\$" "$out/report.txt" && return 0
	echo "$what did not finish (QEMU status $status); see $out/" >&2
	return 1
}

# shellcheck source=tests/vm/vm-kmods.sh
. "$VM_ROOT/tests/vm/vm-kmods.sh"

# shellcheck source=tests/vm/guest/klog.sh
. "$VM_ROOT/tests/vm/guest/klog.sh"

# Kernel trouble on the console: anything here fails the run.
vm_console_trouble() {
	klog_trouble "$1" || true
}
