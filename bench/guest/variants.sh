# variants.sh - sourced by bench.sh and icount.sh in the VM (busybox sh):
# the two modules under comparison, kthread.ko (cxx) and its C twin (c),
# and the helpers both measurements use to load, drive and settle them.
# The sourcing script names itself in WHAT ("bench", "icount").
KO_cxx=/test/kthread.ko MOD_cxx=kthread NAME_cxx=lothars_chardev THREAD_cxx=lothars_wait_thread
KO_c=/test/ctwin.ko MOD_c=ctwin NAME_c=lothars_ctwin THREAD_c=ctwin_wait_thread

die() { echo "check $1 FAILED $2"; echo "# ${WHAT:-bench} aborted: $1"; exit 1; }
name_of() { eval echo "\$NAME_$1"; }
thread_pid() { # thread_pid COMM
	local p
	for p in /proc/[0-9]*; do
		[ "$(cat $p/comm 2>/dev/null)" = $1 ] && { echo ${p#/proc/}; return 0; }
	done
	return 1
}
counter() { cat /sys/class/$(name_of $1)/$(name_of $1)/$2; }
# Wait until the thread has handled every posted event: up to a minute of
# guest time, since a host busy with other work can starve a TCG vCPU for
# many seconds (the guest then reports soft lockups). On a timeout the
# counters are printed, so that a stuck thread is told from a slow one.
settle() {
	local end=$(($(cut -d. -f1 /proc/uptime) + 60))
	while [ "$(counter $1 events)" != "$(counter $1 reads)" ]; do
		if [ "$(cut -d. -f1 /proc/uptime)" -ge $end ]; then
			echo "# settle $1: after 60 s, reads $(counter $1 reads), events $(counter $1 events)"
			return 1
		fi
		sleep 0.01
	done
}
load() { # load VARIANT PARAMS...
	local v=$1
	shift
	insmod "$(eval echo "\$KO_$v")" "$@" || die "insmod-$v" "insmod $* failed"
}
unload() { rmmod "$(eval echo "\$MOD_$1")" || die "rmmod-$1" "rmmod failed"; }
# This round's order: odd rounds cxx first, even rounds c first.
order() { if [ $(($1 % 2)) = 1 ]; then echo "cxx c"; else echo "c cxx"; fi; }
