# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# debian-archive.sh - Debian's archive, seen through a private apt that
# never touches the host's: package lists of every suite the project
# fetches kernels from, downloads into the project's cache/. Sourced by
# the matrix, deb-check and the scripts that fetch foreign kernels.
#
# The archive's addresses are the machine's own: the mirror serving its
# Debian release and the one serving its -security suite, as its apt
# configuration names them (sources.list, sources.list.d/*.list or
# *.sources, as apt reads them), so a machine behind a local mirror or a
# proxy fetches through it. DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR
# override them. Where apt names none, archive_init fails and says so:
# no address is written into the code.
#
#   archive_mirrors          sets ARCHIVE_MIRROR, ARCHIVE_SECURITY
#   archive_init [--refresh] the private apt's package lists (refreshed when
#                            older than a day, or the addresses changed)
#   archive_packages SUITE ERE [ARCH]   "package version" of each package
#                            of SUITE (main) whose name matches ERE
#   archive_newest_kernel ERE SUITE...  "release suite version" of the newest
#                            headers package matching ERE whose image is in
#                            the same suite
#   archive_suite_of PACKAGE [ARCH]     the suites carrying PACKAGE, one a line
#   archive_download DIR PACKAGE...     apt-get download into DIR
#   archive_sources SUITE... "deb ..." lines for a chroot's sources.list
#
# ARCHIVE_DIR (default cache/apt of the checkout) holds it; ARCHIVE_ARCHS
# (default "amd64 arm64") the architectures whose lists are kept.

ARCHIVE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARCHIVE_DIR=${ARCHIVE_DIR:-$ARCHIVE_ROOT/cache/apt}
ARCHIVE_ARCHS=${ARCHIVE_ARCHS:-amd64 arm64}
ARCHIVE_SUITES=(bullseye bullseye-security bookworm bookworm-updates bookworm-security
	bookworm-backports trixie trixie-updates trixie-security trixie-backports
	sid experimental)
ARCHIVE_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

archive_log() { printf '[archive %s] %s\n' "$(date +%T)" "$*" >&2; }

# The address of the machine's first apt source whose suite matches ERE,
# as apt itself reads both source formats: the Release files
# `apt-get update --print-uris` would fetch (no download, no lists needed).
archive_machine_uri() {
	apt-get update --print-uris 2>/dev/null |
		sed -nE "s|^'(https?://[^']*)/dists/([^/']+)/(In)?Release' .*|\\1 \\2|p" |
		awk -v re="$1" '$2 ~ re { sub("/+$", "", $1); print $1; exit }'
}

archive_mirrors() {
	local codenames='^(buster|bullseye|bookworm|trixie|forky|duke|sid|unstable|stable|oldstable|testing|experimental)'
	ARCHIVE_MIRROR=${DEBIAN_MIRROR:-$(archive_machine_uri "$codenames(-updates|-backports)?\$")}
	ARCHIVE_SECURITY=${DEBIAN_SECURITY_MIRROR:-$(archive_machine_uri "$codenames-security\$")}
}

# archive_sources SUITE...: one "deb" line a suite, -security from the
# security mirror.
archive_sources() {
	local s
	for s in "$@"; do
		if [[ $s == *-security ]]; then
			echo "deb $ARCHIVE_SECURITY $s main"
		else
			echo "deb $ARCHIVE_MIRROR $s main"
		fi
	done
}

archive_apt_options() {
	local a archs=()
	for a in $ARCHIVE_ARCHS; do archs+=(-o "APT::Architectures::=$a"); done
	ARCHIVE_APT=(-q -o Dir::Etc::sourcelist="$ARCHIVE_DIR/sources.list" -o Dir::Etc::sourceparts=/nonexistent
		-o Dir::State::Lists="$ARCHIVE_DIR/lists" -o Dir::Cache="$ARCHIVE_DIR/cache"
		-o Dir::State::status=/dev/null -o APT::Architecture=amd64 "${archs[@]}"
		-o Acquire::Languages=none -o APT::Sandbox::User=root)
}

archive_init() {
	local refresh=0
	[[ ${1:-} != --refresh ]] || refresh=1
	archive_mirrors
	if [[ -z $ARCHIVE_MIRROR || -z $ARCHIVE_SECURITY ]]; then
		archive_log "error: the apt configuration names no Debian ${ARCHIVE_MIRROR:+security }mirror" \
			"(set DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR)"
		return 1
	fi
	archive_apt_options
	mkdir -p "$ARCHIVE_DIR/lists/partial" "$ARCHIVE_DIR/cache/archives/partial"
	exec {ARCHIVE_LOCK}>"$ARCHIVE_DIR/.lock"
	flock "$ARCHIVE_LOCK"
	archive_sources "${ARCHIVE_SUITES[@]}" | sed "s|^deb |deb [signed-by=$ARCHIVE_KEYRING] |" \
		>"$ARCHIVE_DIR/sources.list.new"
	echo "# architectures: $ARCHIVE_ARCHS" >>"$ARCHIVE_DIR/sources.list.new"
	cmp -s "$ARCHIVE_DIR/sources.list.new" "$ARCHIVE_DIR/sources.list" || refresh=1
	mv "$ARCHIVE_DIR/sources.list.new" "$ARCHIVE_DIR/sources.list"
	local stamp=$ARCHIVE_DIR/lists/.updated status=0
	if [[ $refresh == 1 || ! -f $stamp || -n $(find "$stamp" -mmin +1440) ]]; then
		archive_log "refreshing package lists from $ARCHIVE_MIRROR and $ARCHIVE_SECURITY (${ARCHIVE_SUITES[*]}; $ARCHIVE_ARCHS)"
		if apt-get "${ARCHIVE_APT[@]}" update >"$ARCHIVE_DIR/update.log" 2>&1; then
			touch "$stamp"
		else
			cat "$ARCHIVE_DIR/update.log" >&2
			archive_log "error: apt-get update of the private lists failed"
			status=1
		fi
	fi
	exec {ARCHIVE_LOCK}>&-
	return $status
}

archive_packages() {
	local suite=$1 re=$2 arch=${3:-amd64} f
	for f in "$ARCHIVE_DIR"/lists/*_dists_"$suite"_main_binary-"$arch"_Packages*; do
		[[ -f $f ]] || continue
		/usr/lib/apt/apt-helper cat-file "$f" |
			awk -v re="^($re)\$" '/^Package: /{p=$2} /^Version: /{if (p ~ re) print p, $2}'
	done
}

archive_newest_kernel() {
	local re=$1 arch=${ARCHIVE_KERNEL_ARCH:-amd64}
	shift
	local best="" bestv="" s p v rel images
	for s in "$@"; do
		images=$(archive_packages "$s" 'linux-(image|binary)-.*' "$arch" | cut -d' ' -f1)
		while read -r p v; do
			[[ -n $p ]] || continue
			rel=${p#linux-headers-}
			grep -qxF -e "linux-image-$rel" -e "linux-image-$rel-unsigned" \
				-e "linux-binary-$rel" <<<"$images" || continue
			if [[ -z $bestv ]] || dpkg --compare-versions "$v" gt "$bestv"; then
				best="$rel $s $v" bestv=$v
			fi
		done < <(archive_packages "$s" "$re" "$arch")
	done
	[[ -n $best ]] && echo "$best"
}

# archive_ere TEXT: TEXT as an ERE that matches it literally (kernel
# releases and paths have . and +: 6.12.95+deb12).
# shellcheck disable=SC2001 # one sed for a class of characters
archive_ere() { sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$1"; }

archive_suite_of() {
	local pkg=$1 arch=${2:-amd64} s re
	re=$(archive_ere "$pkg")
	for s in "${ARCHIVE_SUITES[@]}"; do
		[[ -z $(archive_packages "$s" "$re" "$arch") ]] || echo "$s"
	done
}

archive_download() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && apt-get "${ARCHIVE_APT[@]}" download "$@" >"$dir/download.log" 2>&1) && return 0
	# A stale list names a file the mirror dropped: refresh once and retry.
	archive_init --refresh || return 1
	(cd "$dir" && apt-get "${ARCHIVE_APT[@]}" download "$@" >"$dir/download.log" 2>&1) ||
		{ tail -n 5 "$dir/download.log" >&2; return 1; }
}

archive_mirrors
archive_apt_options
