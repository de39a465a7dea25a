# SPDX-License-Identifier: GPL-2.0
"""scripts/timeline.py's parts (see there)."""
