#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check-atomics.sh - kernel::Atomic orders memory as the kernel's own
# atomics do, on each architecture, checked in the compiled code:
#   scripts/check-atomics.sh [ARCH...]    (default: this machine's, and
#                                          arm64 when its headers and the
#                                          cross compiler are here)
# For each architecture, tests/atomics/ is built as one module against that
# architecture's kernel headers (scripts/kdir.sh picks them): the kernel's
# atomic64_fetch_add(), atomic_add_return(), atomic_dec_and_test(),
# smp_mb(), ... in C (atomics_kernel.c) and the same operations of
# kernel::Atomic in C++ (atomics_cxx.cpp), with the kernel's flags. Both
# objects are disassembled (that architecture's objdump) and, function by
# function, the instructions that order memory are compared:
#   arm64  dmb/dsb/isb with their option, the exclusives (ldxr, ldaxr,
#          stxr, stlxr, ...), load-acquire/store-release (ldar, ldapr,
#          stlr) and the LSE atomics (ldaddal, stadd, swpal, casal, ...).
#          The kernel's function holds both of its forms (LSE, patched in
#          at boot where the CPU has it, and the LL/SC fallback): the C++
#          must equal one of them exactly.
#   x86    LOCK-prefixed instructions (whatever the operation: each is a
#          full barrier), xchg (implicitly locked), the fences.
# Also: the module calls no out-of-line atomic helper (nm -u: no
# __aarch64_* from libgcc's outline atomics). Then the check proves itself:
# it builds once more with a broken Atomic.h (arm64: GCC's __ATOMIC_SEQ_CST
# fetch_add, ldaxr/stlxr without the barrier; x86: fetch_add as a plain
# read and set) and must see that differ. Ends with "N passed, N failed".
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=$ROOT/build/atomics

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }

# The pairs (atomics.h): NAME and whether the kernel's is fully ordered
# (then its side must show ordering instructions at all: a check that the
# disassembly was read).
ops=(fetch_add64:full fetch_add32:full add_return64:full add_return32:full
	dec_and_test64:full dec_and_test32:full fetch_add_relaxed64: add64: add32:
	read64: set64: read_acquire64: set_release64: full_barrier:full)

# tokens ARCH OBJDUMP OBJECT: "function<TAB>token" for each instruction of
# the object that orders memory; LSE atomics are marked "lse:".
tokens() {
	local arch=$1 objdump=$2 obj=$3
	"$objdump" -d --no-show-raw-insn "$obj" | awk -v arch="$arch" '
		/^[0-9a-f]+ <[^>]+>:$/ { fn = $2; gsub(/[<>:]/, "", fn); next }
		!/^ *[0-9a-f]+:\t/ { next }
		{
			line = $0; sub(/^ *[0-9a-f]+:\t/, "", line)
			n = split(line, w, /[ \t]+/); m = w[1]
			if (arch == "arm64") {
				if (m ~ /^(dmb|dsb)$/) print fn "\t" m " " w[2]
				else if (m == "isb") print fn "\t" m
				else if (m ~ /^(ld|st)(a|l)?x(r|p)[bh]?$/ || m ~ /^(ldar|ldapr|stlr)[bh]?$/) print fn "\t" m
				else if (m ~ /^(ld|st)(add|clr|eor|set|smax|smin|umax|umin)(a|al|l)?[bh]?$/ ||
					m ~ /^swp(a|al|l)?[bh]?$/ || m ~ /^cas(a|al|l)?[bhp]?$/) print fn "\tlse:" m
			} else {
				# Any LOCK-prefixed read-modify-write is a full barrier:
				# lock decq and lock subq $1 order alike.
				if (m == "lock") print fn "\tlock"
				else if (m ~ /^[lms]fence$/) print fn "\t" m
				else if (m ~ /^xchg/ && line ~ /\(/) print fn "\t" m
			}
		}'
}

# seq FILE FUNCTION [lse|other|all]: the function's tokens on one line.
seq_of() {
	awk -F'\t' -v fn="$2" -v which="${3:-all}" '$1 == fn {
		lse = ($2 ~ /^lse:/); t = $2; sub(/^lse:/, "", t)
		if (which == "all" || (which == "lse") == lse) s = s (s ? " " : "") t
	} END { print s }' "$1"
}

# compare ARCH KT CT: each pair, as described above; prints one line each.
# Returns the number of differences.
compare() {
	local arch=$1 kt=$2 ct=$3 bad=0 entry op full k kl kx c cl cx
	for entry in "${ops[@]}"; do
		op=${entry%%:*} full=${entry#*:}
		if ! grep -q "^kern_$op	" "$kt" && [[ -n $full ]]; then
			echo "#   kern_$op: no ordering instruction found (disassembly not read?)"
			bad=$((bad + 1))
			continue
		fi
		k=$(seq_of "$kt" "kern_$op") c=$(seq_of "$ct" "cxx_$op")
		if [[ $arch == arm64 ]]; then
			kl=$(seq_of "$kt" "kern_$op" lse) kx=$(seq_of "$kt" "kern_$op" other)
			cl=$(seq_of "$ct" "cxx_$op" lse) cx=$(seq_of "$ct" "cxx_$op" other)
			if [[ -z $cl && $cx == "$kx" ]] || [[ -n $kl && -z $cx && $cl == "$kl" ]]; then
				echo "#   $op: kernel [${kx:-none}${kl:+ | LSE $kl}], C++ [${c:-none}]"
				continue
			fi
			echo "#   $op DIFFERS: kernel [${kx:-none}${kl:+ | LSE $kl}], C++ [${c:-none}]"
		else
			if [[ $c == "$k" ]]; then
				echo "#   $op: kernel [${k:-none}], C++ [${c:-none}]"
				continue
			fi
			echo "#   $op DIFFERS: kernel [${k:-none}], C++ [${c:-none}]"
		fi
		bad=$((bad + 1))
	done
	return "$bad"
}

# build ARCH DIR [MUTATION]: tests/atomics and lib/ copied to DIR, the
# mutation applied to DIR's Atomic.h, built for ARCH's kernel headers.
build() {
	local arch=$1 dir=$2 mutation=${3:-}
	rm -rf "$dir"
	mkdir -p "$dir/tests"
	cp -r tests/atomics "$dir/tests/"
	cp -r lib "$dir/"
	if [[ -n $mutation ]]; then
		cp "$dir/lib/kernel/Atomic.h" "$dir/Atomic.h.orig"
		sed -i "$mutation" "$dir/lib/kernel/Atomic.h"
		if cmp -s "$dir/Atomic.h.orig" "$dir/lib/kernel/Atomic.h"; then
			echo "#   the mutation did not apply to Atomic.h"
			return 1
		fi
	fi
	(
		ARCH=$arch
		export ARCH
		. scripts/kdir.sh
		echo "#   $arch: KDIR=$KDIR${CROSS_COMPILE:+ CROSS_COMPILE=$CROSS_COMPILE}"
		make -C "$KDIR" M="$dir/tests/atomics" modules >"$dir/build.log" 2>&1
	) || { sed 's/^/#   | /' "$dir/build.log" | tail -n 30; return 1; }
}

# check ARCH: build, compare, prove.
check() {
	local arch=$1 objdump nm dir=$OUT/$1 mutation
	case $arch in
	arm64)
		if [[ $(uname -m) == aarch64 ]]; then objdump=objdump nm=nm; else
			objdump=aarch64-linux-gnu-objdump nm=aarch64-linux-gnu-nm
		fi
		mutation='s|return arm64::fetch_op_full(&m_counter, delta, false);|return __atomic_fetch_add(\&m_counter, delta, __ATOMIC_SEQ_CST);|'
		;;
	x86)
		objdump=objdump nm=nm
		mutation='s|return __atomic_fetch_add(&m_counter, delta, __ATOMIC_SEQ_CST);|T old = read(); set(old + delta); return old;|'
		;;
	*) not_ok "$arch: no rules for this architecture"; return ;;
	esac
	if ! build "$arch" "$dir"; then
		not_ok "$arch: tests/atomics builds"
		return
	fi
	local obj=$dir/tests/atomics
	tokens "$arch" "$objdump" "$obj/atomics_kernel.o" >"$dir/kernel.tokens"
	tokens "$arch" "$objdump" "$obj/atomics_cxx.o" >"$dir/cxx.tokens"
	if compare "$arch" "$dir/kernel.tokens" "$dir/cxx.tokens"; then
		ok "$arch: kernel::Atomic orders memory as the kernel's atomics (${#ops[@]} operations)"
	else
		not_ok "$arch: kernel::Atomic orders memory as the kernel's atomics"
	fi
	local helpers
	helpers=$("$nm" -u "$obj/kcxx_atomics.ko" | awk '$2 ~ /^__(aarch64|atomic|sync)_/ { print $2 }')
	if [[ -z $helpers ]]; then
		ok "$arch: no out-of-line atomic helper called"
	else
		not_ok "$arch: no out-of-line atomic helper called" && echo "#   undefined: $helpers"
	fi
	# The proof: a broken Atomic.h must be caught.
	if ! build "$arch" "$dir-broken" "$mutation"; then
		not_ok "$arch: the broken Atomic.h builds (for the proof)"
		return
	fi
	tokens "$arch" "$objdump" "$dir-broken/tests/atomics/atomics_cxx.o" >"$dir-broken/cxx.tokens"
	if compare "$arch" "$dir/kernel.tokens" "$dir-broken/cxx.tokens" >"$dir-broken/compare.log"; then
		not_ok "$arch: a fetch_add with another ordering is caught"
		sed 's/^/  /' "$dir-broken/compare.log"
	else
		ok "$arch: a fetch_add with another ordering is caught ($(grep DIFFERS "$dir-broken/compare.log" | sed 's/^#   //; s/ DIFFERS//' | head -n 1))"
	fi
}

archs=("$@")
if [[ ${#archs[@]} -eq 0 ]]; then
	host=$(uname -m | sed -e 's/^x86_64$/x86/' -e 's/^aarch64$/arm64/')
	archs=("$host")
	if [[ $host != arm64 ]] && command -v aarch64-linux-gnu-gcc >/dev/null &&
		ARCH=arm64 scripts/kdir.sh >/dev/null 2>&1; then
		archs+=(arm64)
	else
		[[ $host == arm64 ]] || echo "# arm64: no headers or no cross compiler here (scripts/arm64-kernel.sh, scripts/deps.sh arm64): skipped"
	fi
fi
for a in "${archs[@]}"; do
	echo "# --- $a"
	check "$a"
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
