# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
# crcpool.ko's usage, run inside the VM as a user would type it
# (scripts/crcpool-demo.sh): a buffer written to /dev/crcpool, its result
# read back on the same descriptor, many writers at once, the unload.
run() {
	echo "\$ $*"
	eval "$*"
}
dmesg -c >/dev/null
run insmod /test/crcpool.ko
run cat /sys/class/crcpool/crcpool/workers
run 'exec 3<>/dev/crcpool'
run 'printf 123456789 >&3'
run 'dd bs=64 count=1 status=none <&3'
run 'head -c 65536 /dev/urandom >/tmp/blob'
run 'dd bs=65536 count=1 status=none if=/tmp/blob >&3'
run 'dd bs=64 count=1 status=none <&3'
run 'dd bs=64 count=1 status=none <&3'
run 'exec 3>&-'
run crcprobe writers 8 200 4096
run 'cat /sys/class/crcpool/crcpool/submitted /sys/class/crcpool/crcpool/completed'
run rmmod crcpool
echo "\$ dmesg | grep crcpool"
dmesg | sed 's/^\[ *[0-9.]*\] //' | grep crcpool | sed 's/^/    /'
