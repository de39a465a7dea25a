# SPDX-License-Identifier: GPL-2.0
# kdir.sh - sourced: KDIR as the Makefile picks it (the running kernel's
# build tree, else the newest installed Debian headers).
if [[ -z ${KDIR:-} ]]; then
	if [[ -f /lib/modules/$(uname -r)/build/Makefile ]]; then
		KDIR=/lib/modules/$(uname -r)/build
	else
		KDIR=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
	fi
fi
[[ -n $KDIR && -f $KDIR/Makefile ]] || { echo "error: no kernel headers (apt-get install linux-headers-amd64)" >&2; exit 1; }
export KDIR
