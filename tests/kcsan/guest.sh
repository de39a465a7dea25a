# guest.sh - the KCSAN proof inside the data-race kernel (busybox sh).
dmesg -c >/dev/null
insmod /test/kcsan_race.ko && echo "ok - insmod kcsan_race.ko" || echo "not ok - insmod kcsan_race.ko"
rmmod kcsan_race
dmesg | sed 's/^/dmesg: /'
echo "kcsan-done"
