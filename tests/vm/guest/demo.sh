# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
# The classic demo's Usage, run inside the VM, as a user would type it,
# recorded with the kernel's tracing (demo-trace.sh) for the timeline.
# /test/demo.conf may set ROUNDTRIP=1: the module's round-trip mode, with
# two concurrent readers.
# shellcheck source=tests/vm/guest/demo-trace.sh
. /test/demo-trace.sh
ROUNDTRIP=0
# shellcheck disable=SC1091 # written by scripts/demo.sh
[ -f /test/demo.conf ] && . /test/demo.conf

run() {
	echo "\$ $*"
	"$@"
}
dev=/dev/lothars_chardev
demo_trace_start
dmesg -c >/dev/null
if [ "$ROUNDTRIP" = 1 ]; then
	run insmod /test/kthread.ko roundtrip=1
	demo_trace_module
	run cat $dev
	# Two readers at once, each writing its answer to a file named after
	# its pid (the pid the trace shows): sh -c 'exec cat' keeps the pid.
	echo "\$ cat $dev & cat $dev & wait"
	sh -c "exec cat $dev >/tmp/answer.\$\$" &
	sh -c "exec cat $dev >/tmp/answer.\$\$" &
	wait
	for f in /tmp/answer.*; do
		read -r line <"$f"
		echo "[pid ${f#/tmp/answer.}] $line"
	done
else
	run insmod /test/kthread.ko
	demo_trace_module
	run cat $dev
	run cat $dev
fi
run cat /sys/class/lothars_chardev/lothars_chardev/pending
demo_trace_cut
run rmmod kthread
echo '$ dmesg | tail'
dmesg | sed -e 's/^\[ *[0-9.]*\] //' -e 's/^/    /'
demo_trace_send
