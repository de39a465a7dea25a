# crc.sh - make bench's CRC throughput inside the VM (busybox sh;
# scripts/bench-crc.sh boots it): crcpool.ko's bench build
# (bench/crcpool) in each of its variants, all in this one boot, in rounds
# whose slices alternate the variants (the order reversed every other
# round), so that a busy host slows all of them alike. Each slice loads
# the variant, runs `crcprobe tput` (writers each writing a buffer and
# reading its CRC in a loop, every answer checked) and unloads it.
#
#   meta KEY VALUE...
#   crc VARIANT SIZE ROUND BYTES_PER_S BYTES MS
#   check NAME ok|FAILED DETAIL
#
# Variants (N: the guest's CPUs): inline1 and inline, the CRC computed in
# write() itself with 1 and N writers; pool1, pool2, poolN, the pool's
# workers (1, 2, N of them) with N writers; wq, a work item on system_wq
# per request, N writers.
ROUNDS=3
SLICES=2
CRC_MS=1000
SIZES="4096 65536"

KO=/test/crcpool.ko
CPROBE=/test/crcprobe
N=$(grep -c ^processor /proc/cpuinfo)
VARIANTS="inline1 inline pool1 pool2 poolN wq"

progress() { echo "# [$(cut -d' ' -f1 /proc/uptime) s] $*"; }
die() { echo "check $1 FAILED $2"; echo "# crc bench aborted: $1"; exit 1; }
# params VARIANT: its module parameters; writers VARIANT: its writers.
params() {
	case $1 in
	inline1 | inline) echo mode=1 ;;
	pool1) echo mode=0 workers=1 ;;
	pool2) echo mode=0 workers=2 ;;
	poolN) echo mode=0 workers=$N ;;
	wq) echo mode=2 ;;
	esac
}
writers() { if [ $1 = inline1 ]; then echo 1; else echo $N; fi; }
order() { if [ $(($1 % 2)) = 1 ]; then echo $VARIANTS; else echo $VARIANTS | tr ' ' '\n' | sed -n '1!G;h;$p'; fi; }

echo "meta kernel $(uname -r)"
echo "meta cpus $N"
echo "meta crc_rounds $ROUNDS"
echo "meta crc_slices $SLICES"
echo "meta crc_ms $CRC_MS"
# The crypto API's crc32c driver libcrc32c uses (the highest priority);
# none where crc32c() is the library's own (7.x).
echo "meta crc_impl $(awk '/^name/ { n = $3 } /^driver/ { d = $3 }
	/^priority/ && n == "crc32c" && $3 > p { p = $3; best = d } END { print best }' /proc/crypto)"

# slice VARIANT SIZE: one slice of VARIANT, its "BYTES MS" appended to
# /tmp/crc.VARIANT.
slice() {
	insmod $KO $(params $1) || die insmod "insmod $(params $1) failed"
	r=$($CPROBE tput $(writers $1) $((CRC_MS / SLICES)) $2) || die tput "crcprobe tput on $1 failed: $r"
	rmmod crcpool || die rmmod "rmmod failed"
	set -- $1 $r
	[ "$5" = 0 ] || die answers "$1: $5 wrong answers or failed calls"
	echo "$3 $4" >>/tmp/crc.$1
}

for round in $(seq 1 $ROUNDS); do
	progress "crc round $round of $ROUNDS"
	for size in $SIZES; do
		rm -f /tmp/crc.*
		for s in $(seq 1 $SLICES); do
			for v in $(order $round); do slice $v $size; done
		done
		for v in $VARIANTS; do
			awk -v v=$v -v size=$size -v round=$round '{ b += $1; ms += $2 }
				END { printf "crc %s %s %s %.0f %.0f %s\n", v, size, round, b * 1000 / ms, b, ms }' /tmp/crc.$v
		done
	done
done

. /test/klog.sh
dmesg | klog_trouble | sed 's/^/check kernel-log FAILED /'
progress "done"
echo "bench-done"
