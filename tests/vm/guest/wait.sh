# wait.sh - the guest's one wait for a module to catch up with its callers:
# two counters polled until they agree. Sourced by tap.sh (the suites) and
# bench/guest/variants.sh (make bench).

# wait_equal TRIES PAUSE A B: until the commands A and B print the same, at
# most TRIES times PAUSE seconds apart; false if they never did.
wait_equal() {
	local tries=$1 pause=$2 i=0
	while [ "$(eval "$3")" != "$(eval "$4")" ]; do
		i=$((i + 1))
		[ $i -gt "$tries" ] && return 1
		sleep "$pause"
	done
	return 0
}
