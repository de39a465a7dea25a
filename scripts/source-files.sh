#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# source-files.sh - the project's source files, NUL-separated, relative to
# the top of the tree, for every script that copies or packs the sources
# (make dist, make deb, deb-check, the matrix, the static checks).
#
#   scripts/source-files.sh [--without DIR]...
#
# In a git work tree: what git tracks or would track (new files too;
# nothing it ignores). From a source tarball (no .git): every file but
# build/, cache/ and kbuild's products, the same set make dist packed.
# --without DIR leaves a top-level folder out (debian for the orig tarball).
set -euo pipefail
# shellcheck source=scripts/usage.sh
. "$(dirname "$0")/usage.sh"
cd "$(dirname "$0")/.."

without=()
while [[ $# -gt 0 ]]; do
	case $1 in
	--without) without+=("$2"); shift 2 ;;
	*) usage; exit 2 ;;
	esac
done

if [[ -e .git ]] && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	pathspec=(. ':!:build' ':!:cache')
	for d in "${without[@]}"; do pathspec+=(":!:$d"); done
	# A file deleted but not yet committed is listed by git and absent.
	git ls-files -z -co --exclude-standard -- "${pathspec[@]}" |
		while IFS= read -r -d '' f; do [[ -f $f || -L $f ]] && printf '%s\0' "$f"; done
else
	prune=(-path ./.git -o -path ./build -o -path ./cache)
	for d in "${without[@]}"; do prune+=(-o -path "./$d"); done
	find . \( "${prune[@]}" \) -prune -o \( -type f -o -type l \) \
		! -name '*.o' ! -name '*.ko' ! -name '*.mod' ! -name '*.mod.c' ! -name '.*.cmd' \
		! -name '*.cmd' ! -name '.*.d' ! -name Module.symvers ! -name modules.order \
		! -name kcxx-offsets.s \( ! -name kcxx_offsets.h -o -path './tests/fake/*' \) \
		! -path '*/__pycache__/*' ! -path './tests/host/build*' -printf '%P\0' | sort -z
fi
