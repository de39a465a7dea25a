# echo.sh - the in-VM group of the example module, examples/echo/echo.ko
# (busybox sh, TAP out), appended by tests/vm/run-suite.sh to the suite of
# the same boot. What the README promises of it: each write() is answered
# on the next read() of the same open file, by its worker thread.
EKO=/test/echo.ko
EDEV=/dev/echo

group "echo: the example module"
check "insmod echo.ko" insmod $EKO
check "/dev/echo is a character device" test -c $EDEV
is "one worker thread, named echo" "$(cat /proc/[0-9]*/comm 2>/dev/null | grep -cx echo)" 1
# One open file, fd 3: write, then read back on the same file.
exec 3<>$EDEV
printf 'hello, echo' >&3
is "a read answers the write" "$(dd bs=64 count=1 <&3 2>/dev/null)" "hello, echo"
is "then a read has nothing: end of file" "$(dd bs=64 count=1 <&3 2>/dev/null | wc -c)" 0
printf 'first' >&3
# (dd says why its write failed; the shell's printf would not.)
is "a second write before the answer is read: EBUSY" \
	"$(printf second | dd bs=64 2>&1 >&3 | grep -ci 'busy')" 1
is "the first request's answer stays" "$(dd bs=64 count=1 <&3 2>/dev/null)" first
exec 3>&-
# Another open file has its own request.
exec 3<>$EDEV 4<>$EDEV
printf 'three' >&3
printf 'four' >&4
is "two open files, two answers" "$(dd bs=64 count=1 <&4 2>/dev/null) $(dd bs=64 count=1 <&3 2>/dev/null)" "four three"
printf 'left unread' >&3
exec 3>&- 4>&-
check "rmmod echo (a request left unread at close)" rmmod echo
check "the device went" test ! -e $EDEV
is "the worker went" "$(cat /proc/[0-9]*/comm 2>/dev/null | grep -cx echo)" 0
end_group
