# guest.sh - the lockdep proof inside the debug kernel (busybox sh).
dmesg -c >/dev/null
insmod /test/lockdep_abba.ko && echo "ok - insmod lockdep_abba.ko" || echo "not ok - insmod lockdep_abba.ko"
rmmod lockdep_abba
dmesg | sed 's/^/dmesg: /'
echo "lockdep-done"
