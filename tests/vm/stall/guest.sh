# A guest that stops making progress: one line, then a task that blocks
# in the kernel (a read of a FIFO nobody writes), then silence. The host's
# stall watcher (vm_stall_watch in tests/vm/vm-lib.sh) must dump the
# tasks' stacks into the console log.
echo "stall-started"
mkfifo /tmp/never
cat /tmp/never
echo "stall-ended"
