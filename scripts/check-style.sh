#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own style tools on the C side, and shellcheck on the scripts:
#   checkpatch   scripts/checkpatch.pl --strict on the C files: the
#                library's boundary (lib/shim/), the modules' C (kthread/,
#                crcpool/), the KUnit glue, the lockdep proof;
#   kernel-doc   scripts/kernel-doc on the same files: every kernel-doc
#                comment well formed, parameters and return values named;
#   clang-format the C++ (library headers, modules, conformance suite,
#                KUnit and lockdep tests, host tests) against .clang-format;
#   library      lib/ knows no module: no "lothars", "crcpool" or "hello"
#                in it (each module keeps its own policy);
#   shell lint   shellcheck on every bash script of the project.
# checkpatch.pl and kernel-doc come from Debian's kernel source (the
# tarball the debug kernel is built from, scripts/kernel-source.sh), unpacked
# once into cache/.
# Ends with "N passed, N failed".
#
# checkpatch types left out, and why:
#   PREFER_DEFINED_ATTRIBUTE_MACRO  lib/shim/*.h are read by g++ as well, which
#       has no <linux/compiler_attributes.h> (__printf, __aligned, __cold);
#   LINUX_VERSION_CODE, CONSTANT_COMPARISON  an out-of-tree module builds
#       for many kernels, so it compares LINUX_VERSION_CODE with constants;
#   CONST_STRUCT  it flags `struct file_operations;` forward declarations;
#       the one definition (kthread/kthread_fops.c) is const;
#   COMPLEX_MACRO, MACRO_ARG_REUSE, TRAILING_SEMICOLON  the X-macro list of
#       the conformance cases (tests/conformance/conformance.h) expands to a
#       sequence of declarations, not to a value.
# The tracepoint header keeps TRACE_EVENT()'s own layout (OPEN_ENDED_LINE,
# PARENTHESIS_ALIGNMENT), as the kernel's trace headers do.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=scripts/kernel-source.sh
. scripts/kernel-source.sh
source_package=$(kernel_source_package)
cache=${VM_CACHE:-$root/cache}/kernel-scripts/$source_package
mkdir -p build

passed=0 failed=0
verdict() { # verdict NAME STATUS
	if [[ $2 -eq 0 ]]; then
		passed=$((passed + 1))
		echo "=== $1: passed"
	else
		failed=$((failed + 1))
		echo "=== $1: FAILED"
	fi
}

tarball=$(kernel_source_tarball 2>/dev/null || true)
if [[ ! -x $cache/scripts/checkpatch.pl && -n $tarball ]]; then
	mkdir -p "$cache.tmp"
	tar -xJf "$tarball" -C "$cache.tmp" --strip-components=1 \
		"$source_package"/scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch,kernel-doc}
	rm -rf "$cache"
	mv "$cache.tmp" "$cache"
fi

shopt -s nullglob
c_files=(lib/shim/*.c kthread/*.c crcpool/*.c tests/kunit/*.c tests/lockdep/*.c tests/atomics/*.c)
h_files=(lib/shim/*.h kthread/*.h crcpool/crcpool_*.h tests/conformance/*.h tests/atomics/atomics.h)
shopt -u nullglob
mapfile -t c_files < <(printf '%s\n' "${c_files[@]}" | grep -v '\.mod\.c$')

echo "=== checkpatch"
status=0
if [[ ! -x $cache/scripts/checkpatch.pl ]]; then
	echo "  no checkpatch.pl: install the Debian package $source_package"
	status=1
else
	ignore=PREFER_DEFINED_ATTRIBUTE_MACRO,LINUX_VERSION_CODE,CONSTANT_COMPARISON,CONST_STRUCT
	others=()
	for f in "${c_files[@]}" "${h_files[@]}"; do
		[[ $f == kthread/kthread_trace.h || $f == tests/conformance/conformance.h ]] || others+=("$f")
	done
	perl "$cache/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore "$ignore" -f "${others[@]}" >build/checkpatch.log 2>&1 || status=1
	perl "$cache/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore "$ignore,OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT" -f kthread/kthread_trace.h \
		>>build/checkpatch.log 2>&1 || status=1
	perl "$cache/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore "$ignore,COMPLEX_MACRO,MACRO_ARG_REUSE,TRAILING_SEMICOLON" -f tests/conformance/conformance.h \
		>>build/checkpatch.log 2>&1 || status=1
	grep -v '^total: 0 errors, 0 warnings, 0 checks' build/checkpatch.log | grep -E 'ERROR|WARNING|CHECK' || true
	echo "  $(( ${#others[@]} + 2 )) files checked"
fi
verdict checkpatch $status

echo "=== kernel-doc"
status=0
if [[ ! -x $cache/scripts/kernel-doc ]]; then
	echo "  no kernel-doc: install the Debian package $source_package"
	status=1
else
	perl "$cache/scripts/kernel-doc" -none "${c_files[@]}" >build/kernel-doc.log 2>&1 || status=1
	if grep -E 'warning|error' build/kernel-doc.log; then status=1; fi
	echo "  $(grep -c '^/\*\*' "${c_files[@]}" | awk -F: '{ n += $2 } END { print n }') kernel-doc comments in ${#c_files[@]} files"
fi
verdict kernel-doc $status

echo "=== clang-format"
status=0
if ! command -v clang-format >/dev/null; then
	echo "  no clang-format: install the Debian package clang-format"
	status=1
else
	shopt -s nullglob
	cxx_files=(lib/kernel/*.h tests/fake/*.cpp tests/fake/*.h tests/fake/include/*.h kthread/*.cpp crcpool/*.cpp examples/echo/*.cpp
		tests/conformance/*.cpp tests/kunit/*.cpp tests/lockdep/*.cpp tests/atomics/*.cpp tests/host/*.cpp tests/host/*.h)
	shopt -u nullglob
	clang-format --style=file --dry-run -Werror "${cxx_files[@]}" 2>build/clang-format.log || status=1
	grep -m 20 'error:' build/clang-format.log || true
	echo "  ${#cxx_files[@]} files checked ($(clang-format --version | sed 's/.*version \([0-9.]*\).*/clang-format \1/'))"
fi
verdict clang-format $status

echo "=== library"
status=0
if grep -rniE 'lothars|crcpool|hello' lib/; then
	echo "  lib/ names a module (above): its policy belongs in the module's folder"
	status=1
else
	echo "  $(find lib -type f | wc -l) files, none names a module"
fi
verdict library $status

echo "=== shellcheck"
status=0
if ! command -v shellcheck >/dev/null; then
	echo "  no shellcheck: install the Debian package shellcheck"
	status=1
else
	mapfile -t scripts < <(grep -rlE '^#!/usr/bin/env bash|^#!/bin/bash' scripts tests bench .ci 2>/dev/null | sort)
	shellcheck -x "${scripts[@]}" || status=1
	echo "  ${#scripts[@]} scripts checked"
fi
verdict shellcheck $status

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
