#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The in-VM suite: build kthread.ko for KDIR, boot that kernel in QEMU and
# run tests/vm/guest/suite.sh; its TAP report streams here as it goes.
#   tests/vm/run-suite.sh [--ko PATH] [--name LABEL] [--cycles N] [--readers N]
#       [--kernel IMAGE] [--extra GUEST_SCRIPT]... [--file FILE]... [--append ARGS]
#       [--groups all|base|torture|none]   (base: suite.sh; torture: torture.sh)
#       [--crcpool-ko PATH|none] [--echo-ko PATH|none]
# crcpool.ko's groups (tests/vm/guest/crcpool.sh) and the example's
# (tests/vm/guest/echo.sh) run in the same boot, after kthread.ko's, with
# groups all or base: without --ko, crcpool.ko and examples/echo/echo.ko
# are the ones `make` builds for KDIR beside kthread.ko; with --ko, only
# if --crcpool-ko or --echo-ko names them.
set -euo pipefail
# shellcheck source=scripts/usage.sh
. "$(dirname "$0")/../../scripts/usage.sh"
cd "$(dirname "$0")/../.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh

ko="" name=stock$([[ $KDIR_ARCH == x86 ]] || echo "-$KDIR_ARCH") cycles=${CYCLES:-100} readers=4 timeout=${VM_TIMEOUT:-900}
kernel="" extras=() files=() append="" groups=${SUITE_GROUPS:-all} crcpool_ko="" echo_ko=""
while [[ $# -gt 0 ]]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	--readers) readers=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--extra) extras+=("$2"); shift 2 ;;
	--file) files+=("$2"); shift 2 ;;
	--append) append=$2; shift 2 ;;
	--groups) groups=$2; shift 2 ;;
	--crcpool-ko) crcpool_ko=$2; shift 2 ;;
	--echo-ko) echo_ko=$2; shift 2 ;;
	*) usage; exit 2 ;;
	esac
done

if [[ -z $ko ]]; then
	# The top-level make builds both modules of the library.
	make --no-print-directory KDIR="$KDIR" >/dev/null
	ko=kthread.ko
	[[ -n $crcpool_ko ]] || crcpool_ko=crcpool/crcpool.ko
	[[ -n $echo_ko ]] || echo_ko=examples/echo/echo.ko
fi
[[ $crcpool_ko != none && $groups =~ ^(all|base)$ ]] || crcpool_ko=""
[[ $echo_ko != none && $groups =~ ^(all|base)$ ]] || echo_ko=""
release=$(vm_release_of "$KDIR")
# A kernel given by path is named by its path (another release or
# architecture than KDIR's: deb-check's arm64 run, the debug kernel).
if [[ -n $kernel ]]; then release=${kernel#"$PWD"/}; else kernel=$(vm_kernel "$release"); fi
out=build/vm-$name
mkdir -p "$out"
case $groups in all | base | torture | none) ;; *) echo "--groups: all, base, torture or none" >&2; exit 2 ;; esac
{
	if [[ $groups == all || $groups == base ]]; then
		sed -e "s/^CYCLES=.*/CYCLES=$cycles/" -e "s/^READERS=.*/READERS=$readers/" tests/vm/guest/suite.sh
	else
		# suite.sh's preamble only: the torture groups load the module themselves.
		sed -n '/^\. \/test\/tap.sh/,/^echo "# kernel/p' tests/vm/guest/suite.sh
	fi
	[[ $groups != all && $groups != torture ]] || cat tests/vm/guest/torture.sh
	[[ -z $crcpool_ko ]] || cat tests/vm/guest/crcpool.sh
	[[ -z $echo_ko ]] || cat tests/vm/guest/echo.sh
	for extra in "${extras[@]}"; do cat "$extra"; done
	echo finish
} >"$out/suite.sh"
[[ $ko -ef $out/kthread.ko ]] || cp "$ko" "$out/kthread.ko"
if [[ -n $crcpool_ko ]]; then
	[[ $crcpool_ko -ef $out/crcpool.ko ]] || cp "$crcpool_ko" "$out/crcpool.ko"
	vm_probe crcprobe "$out/crcprobe" >/dev/null
	files+=("$out/crcpool.ko" "$out/crcprobe")
fi
if [[ -n $echo_ko ]]; then
	[[ $echo_ko -ef $out/echo.ko ]] || cp "$echo_ko" "$out/echo.ko"
	files+=("$out/echo.ko")
fi
vm_initramfs "$out/initrd.cpio" "$out/suite.sh" "$out/kthread.ko" "${files[@]}"
vm_log "booting $release ($(basename "$kernel")), suite '$name', $cycles load/unload cycles${crcpool_ko:+, with crcpool.ko}${echo_ko:+, with echo.ko}"
start=$SECONDS
status=0
# shellcheck disable=SC2086 # $append: kernel arguments, one word each
vm_boot "$kernel" "$out/initrd.cpio" "$out" "$timeout" $append || status=$?
elapsed=$((SECONDS - start))

# The verdict: the guest's own summary, a complete run, a quiet console.
failed=0
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/report.txt" | tail -n 1 || true)
if [[ -z $summary ]]; then
	echo "not ok - the guest did not finish (QEMU status $status; see $out/console.log)"
	tail -n 30 "$out/console.log" | sed 's/^/#   /'
	failed=1
fi
# (A TODO is a known bug, shown but not counted: TAP's rule.)
if grep '^not ok' "$out/report.txt" | grep -vq ' # TODO '; then failed=1; fi
trouble=$(vm_console_trouble "$out/console.log")
if [[ -n $trouble ]]; then
	echo "not ok - kernel trouble on the console"
	echo "$trouble" | head -n 40 | sed 's/^/#   /'
	failed=1
fi
passed=$(grep -c '^ok ' "$out/report.txt" || true)
notok=$(grep '^not ok ' "$out/report.txt" | grep -vc ' # TODO ' || true)
vm_log "suite '$name' on $release: $passed passed, $notok failed, ${elapsed} s"
exit $failed
