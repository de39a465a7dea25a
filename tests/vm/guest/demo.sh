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
	# The thread on CPU 1, the readers on CPU 0: each hand-off crosses
	# CPUs, so a reader really sleeps while the thread works. (On one CPU
	# the woken thread preempts the reader and answers before it sleeps.)
	thread=$(demo_thread_pid)
	echo "\$ taskset -p 2 $thread    # $thread: lothars_wait_thread"
	taskset -p 2 "$thread" >/dev/null
	run taskset 1 cat $dev
	# Two readers whose requests overlap: `cat & cat` would not, as a
	# fork+exec takes milliseconds under TCG. Each opens the device, then
	# both read at the same moment; each prints its pid and its answer.
	run taskset 1 ktprobe together 2
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
read -r up _ </proc/uptime
echo "# guest-uptime $up"
