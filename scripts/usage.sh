# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# usage.sh - a script's usage, read from its own header comment, so that the
# two cannot part: the header line "#   PATH/NAME ARGS..." that names the
# script, and the lines indented deeper under it. Sourced before the script
# changes directory (it remembers where the script is); `usage` prints to
# stderr.

USAGE_FILE=$(realpath -- "$0")

usage() {
	awk -v name="$(basename "$USAGE_FILE")" '
		!/^#/ { exit }
		found && /^#     / { sub(/^#/, "   "); print; next }
		found { exit }
		$2 ~ ("(^|/)" name "$") && /^#   [^ ]/ { found = 1; sub(/^# */, "usage: "); print }
	' "$USAGE_FILE" >&2
}
