# SPDX-License-Identifier: GPL-2.0
"""The text timeline: one lane per task, one row per mark."""


def rows(run):
    """The marks as rows of the text timeline: a wake-up and the run that
    follows it share a row; a long run of nothing but sleeps and wake-ups
    on one lane (the kernel's own waits, e.g. RCU during rmmod) is one row."""
    marks, out, i = run.marks, [], 0
    churn = set("WRS~")
    while i < len(marks):
        m = marks[i]
        j = i
        while j < len(marks) and marks[j].lane == m.lane and marks[j].glyph in churn:
            j += 1
        if j - i >= 5:
            sleeps = [x for x in marks[i:j] if x.glyph == "S"]
            states = sorted({x.ev.args.get("prev_state", "?") for x in sleeps})
            pre = sum(1 for x in marks[i:j] if x.glyph == "~")
            out.append((m, "*", f"{len(sleeps)} sleeps (state {'/'.join(states) or '-'}), {pre} preemptions "
                        f"and their wake-ups, until {marks[j - 1].ev.us} us", marks[j - 1]))
            i = j
            continue
        n = marks[i + 1] if i + 1 < len(marks) else None
        if m.glyph == "W" and n and n.lane == m.lane and n.glyph == "R":
            out.append((m, "W", f"{m.text}; runs on cpu{n.ev.cpu} {n.ev.us - m.ev.us} us later", n))
            i += 2
            continue
        if m.glyph == "~" and n and n.lane == m.lane and n.glyph == "R":
            out.append((m, "~", f"{m.text}; runs again on cpu{n.ev.cpu} {n.ev.us - m.ev.us} us later", n))
            i += 2
            continue
        if m.glyph == "<":  # the wait's return: the "runs" row above says it
            i += 1
            continue
        out.append((m, m.glyph, m.text, m))
        i += 1
    return out


def text_timeline(run, width=3):
    lanes = run.lanes
    state = {p: " " for p in lanes}  # " " not there, "|" on a CPU, ":" runnable, "." asleep
    after = {"R": "|", "W": "|", "~": ":", "S": ".", "X": " ", "*": None}
    out = ["lanes: " + "  ".join(f"{i + 1}={run.lane_name(p)}" for i, p in enumerate(lanes)),
           "marks: L module_load  1-5 the completion steps  E exec  ( ) read()  P post  W woken  S sleeps  "
           "~ preempted  H handled  m log line  X exit  J join  D device removed  F module_free  * many",
           "between marks: | on a CPU  : runnable  . asleep",
           "",
           f"{'us':>8} cpu  {' '.join(str(i + 1).ljust(width) for i in range(len(lanes)))} what"]
    for m, glyph, text, last in rows(run):
        p = m.lane
        if state[p] == " " and glyph != "X":
            state[p] = "|"
        cells = [(glyph if q == p else state[q]).ljust(width) for q in lanes]
        out.append(f"{m.ev.us:>8} {m.ev.cpu:>3}  {' '.join(cells)} {run.lane_name(p)}: {text}")
        nxt = after.get(last.glyph if glyph == "*" else glyph)
        if glyph == "W" and last.glyph != "R":
            nxt = ":"
        if glyph == "~" and last.glyph == "R":
            nxt = "|"
        if nxt is not None:
            state[p] = nxt
    return "\n".join(out)
