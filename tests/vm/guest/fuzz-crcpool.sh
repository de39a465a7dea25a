# fuzz-crcpool.sh - make fuzz's phases for crcpool.ko, sourced by fuzz.sh
# (whose helpers they use: trinity_phase, trinity_verdict, fops_hits):
#   crcpool  trinity against /dev/crcpool and its sysfs files, the module
#            unloaded and loaded again beside it with other parameters;
#   crcfuzz  our protocol fuzzer (probes/crcfuzz*.c), its every answer and
#            errno checked, the module's counters against its own.
CKO=/test/crcpool.ko
CDEV=/dev/crcpool
CSYS=/sys/devices/virtual/crcpool/crcpool

ccount() { cat "$CSYS/$1" 2>/dev/null || echo missing; }
cloaded() { grep -q '^crcpool ' /proc/modules; }
cgone() { ! cloaded && test ! -e $CDEV && [ "$(cat /proc/[0-9]*/comm 2>/dev/null | grep -c '^crcpool/')" = 0 ]; }
csettle() { wait_equal 300 0.1 "ccount completed" "ccount submitted"; }

# crc_load N: the Nth load of the phase: 1..4 workers; requests of up to
# 64 KiB (the default), 4 KiB or 1 MiB, so that trinity's sizes fall on
# both sides of the limit.
crc_load() {
	local max=65536
	case $(($1 % 3)) in 1) max=4096 ;; 2) max=1048576 ;; esac
	insmod $CKO workers=$(($1 % 4 + 1)) max_request=$max && arm $CDEV
}
crc_sample() { ccount submitted; }

fuzz_crcpool() {
	local submitted
	group "fuzz: trinity on crcpool, $FUZZ_SECONDS s, seed $FUZZ_SEED"
	trinity_phase crcpool crc_load crc_sample $CDEV $CDEV $CSYS
	check "crcpool: after settling, every request submitted is completed" csettle
	submitted=$((sum + $(ccount submitted)))
	trinity_verdict crcpool crcpool cgone "requests accepted (sum of the submitted counter over the loads): $submitted"
	check "crcpool: the fuzzer's writes reached the device's write() ($fop_write)" test "$fop_write" -gt 0
	end_group
}

# field NAME: NAME=value from crcfuzz's summary line.
field() { grep '^crcfuzz: calls=' /tmp/crcfuzz.out | tr ' ' '\n' | sed -n "s/^$1=//p"; }

fuzz_crcfuzz() {
	local threads=${FUZZ_THREADS:-8} status=0 s0 b0 accepted answered closed
	group "fuzz: crcfuzz on crcpool, $threads threads, $FUZZ_SECONDS s, seed $FUZZ_SEED"
	: >/tmp/fuzz.trouble
	check "insmod crcpool.ko workers=2 (max_request 65536)" insmod $CKO workers=2
	arm $CDEV
	before=$(fops_snapshot)
	s0=$(ccount submitted) b0=$(ccount bytes)
	/test/crcfuzz "$threads" "$FUZZ_SECONDS" "$FUZZ_SEED" >/tmp/crcfuzz.out 2>&1 || status=$?
	sed 's/^/# /' /tmp/crcfuzz.out | head -n 50
	echo "# crcfuzz: replay: FUZZ_SEED=$FUZZ_SEED FUZZ_MODES=crcfuzz FUZZ_SECONDS=$FUZZ_SECONDS FUZZ_THREADS=$threads make fuzz"
	check "crcfuzz: after settling, every request submitted is completed" csettle
	fops_hits "$before" "$(fops_snapshot)"
	echo "# crcfuzz: calls that reached the device's file operations:$hits"
	echo "# crcfuzz: the module's counters moved by: submitted $(($(ccount submitted) - s0)), bytes $(($(ccount bytes) - b0))"
	collect_log
	accepted=$(field accepted) answered=$(field answered) closed=$(field closed_in_flight)
	is "crcfuzz: ran to its end and reported" "$status $(grep -c '^crcfuzz: calls=' /tmp/crcfuzz.out)" "0 1"
	check "crcfuzz: made calls ($(field calls)) and had requests accepted (${accepted:-0})" test "${accepted:-0}" -gt 0
	is "crcfuzz: every answer exact: CRC, bytes=, worker=, the line's form ($(field exact) exact)" "$(field wrong)" 0
	is "crcfuzz: every errno (and answer length) the documented one" "$(field mismatches)" 0
	is "crcfuzz: the device was reached: its submitted counter grew by the requests accepted" \
		"$(($(ccount submitted) - s0))" "${accepted:-none}"
	is "crcfuzz: and its bytes counter by their bytes" "$(($(ccount bytes) - b0))" "$(field bytes)"
	is "crcfuzz: each accepted request answered once, or closed in flight" \
		"$((${answered:-0} + ${closed:-0}))" "${accepted:-none}"
	is "crcfuzz: no two answers with one seq=" "$(field duplicate_seqs)" 0
	is "crcfuzz: the half-mapped buffers' holes stayed unmapped" "$(field holes)" kept
	unload_module crcpool
	check "crcfuzz: the module unloads at the end, workers and node gone" cgone
	collect_log
	no_kernel_report crcfuzz
	end_group
}
