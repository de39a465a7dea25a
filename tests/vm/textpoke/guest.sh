# The guest of tests/vm/textpoke/run.sh: no module of ours, only the
# kernel. Four pipelines wake each other on every 64-byte write (so both
# vCPUs run try_to_wake_up() all the time) while the sched_wakeup trace
# event is switched on and off: each switch makes the kernel patch the
# tracepoint's call sites in the scheduler with text_poke_bp() (an int3
# over the first byte, the rest, then the first byte back, each step
# followed by a sync IPI). TEXTPOKE_EVENT names the event switched
# (sched/sched_wakeup: sites the pipelines run; module/module_load: sites
# nothing runs, the control); TEXTPOKE_SECONDS how long.
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T
echo "textpoke-started event=$TEXTPOKE_EVENT seconds=$TEXTPOKE_SECONDS"
for i in 1 2 3 4; do
	(dd if=/dev/zero bs=64 count=1000000000 2>/dev/null | dd of=/dev/null bs=64 2>/dev/null) &
done
n=0
end=$(($(cut -d. -f1 /proc/uptime) + TEXTPOKE_SECONDS))
while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
	for i in 1 2 3 4 5 6 7 8 9 10; do
		echo 1 >$T/events/$TEXTPOKE_EVENT/enable
		echo 0 >$T/events/$TEXTPOKE_EVENT/enable
	done
	n=$((n + 10))
done
echo "textpoke-ended switches=$n"
