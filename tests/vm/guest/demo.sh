# The classic demo's Usage, run inside the VM, as a user would type it.
run() {
	echo "\$ $*"
	"$@"
}
dmesg -c >/dev/null
run insmod /test/kthread.ko
run cat /dev/lothars_chardev
run cat /dev/lothars_chardev
run rmmod kthread
echo '$ dmesg | tail'
dmesg | sed -e 's/^\[ *[0-9.]*\] //' -e 's/^/    /'
