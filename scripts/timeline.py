#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""timeline.py - what happened in a `make demo` run, from the kernel's trace.

Reads the report the demo's guest sent (tests/vm/guest/demo.sh): the
session as the user saw it, then the trace (tracefs text, two halves cut
at "demo-cut", see tests/vm/guest/demo-trace.sh). Prints a text timeline,
one lane per task; with --out, draws OUT.svg and OUT.png with gnuplot;
with --check, checks the trace against the session's log and fails (exit
status 1) when they disagree.

    scripts/timeline.py REPORT [--out PREFIX] [--check] [--quiet]

Python 3 standard library only; gnuplot (gnuplot-nox) for the picture.
"""

import argparse
import os
import sys

# The parts live in timelib/, beside this file: parsing (trace), the run
# (run), the checks (checks), the text timeline (text), the picture (picture).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timelib.checks import check  # noqa: E402
from timelib.picture import picture  # noqa: E402
from timelib.run import Run  # noqa: E402
from timelib.text import text_timeline  # noqa: E402
from timelib.trace import TraceError, read_report  # noqa: E402

__all__ = ["Run", "TraceError", "check", "picture", "read_report", "text_timeline"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report")
    ap.add_argument("--out", help="write OUT.svg and OUT.png")
    ap.add_argument("--check", action="store_true", help="check the trace against the log")
    ap.add_argument("--quiet", action="store_true", help="no text timeline")
    opts = ap.parse_args(argv)
    with open(opts.report, encoding="utf-8", errors="replace") as f:
        session = read_report(f.read())
    try:
        run = Run(session)
    except TraceError as e:
        print(f"not ok - {e}")
        return 1
    if not opts.quiet:
        print(text_timeline(run))
        print()
    status = 0
    if opts.out:
        try:
            files = picture(run, opts.out)
            print("timeline drawn: " + ", ".join(files))
        except TraceError as e:
            print(f"no picture: {e}")
            status = 1
    if opts.check:
        checks = check(run)
        results = checks.results
        bad = [w for ok, w in results if not ok]
        for ok, what in results:
            if opts.quiet or not ok:
                print(f"{'ok' if ok else 'not ok'} - {what}")
        for note in checks.notes:
            print(f"# {note}")
        print(f"timeline checked against the log: {len(results) - len(bad)} passed, {len(bad)} failed")
        if bad:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
