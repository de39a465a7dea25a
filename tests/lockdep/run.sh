#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The lockdep proof on the debug kernel: lockdep_abba.ko takes two mutexes
# of two lock sites (kernel/LockClass.h) in both orders; lockdep must
# report a possible circular dependency naming both sites' classes. With
# one class for every Mutex it would report recursive locking instead, and
# with no lockdep at all nothing: both fail here. Its own boot, because a
# lockdep report switches lockdep off for the rest of that boot.
#   tests/lockdep/run.sh   (after scripts/debug-kernel.sh has built the kernel)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/vm/vm-lib.sh
. tests/debug/proof.sh
tree=$(scripts/debug-kernel.sh)
proof_boot "$tree" lockdep lockdep_abba
vm_verdict "lockdep reports the AB-BA order" grep -q 'possible circular locking dependency detected' "$report"
vm_verdict "the report names class abba_first" grep -q 'abba_first' "$report"
vm_verdict "the report names class abba_second" grep -q 'abba_second' "$report"
vm_verdict "no recursive-locking report (one class per site)" bash -c "! grep -q 'possible recursive locking' '$report'"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
