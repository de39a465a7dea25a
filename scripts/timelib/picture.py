# SPDX-License-Identifier: GPL-2.0
"""The picture: PREFIX.svg and PREFIX.png, drawn by gnuplot."""

import bisect
import os
import shutil
import subprocess

from .trace import STEP_NAMES, TraceError


GAP_US = 2500  # longer quiet stretches are drawn short, and labelled
GAP_DRAWN = 900
STEP_COLOURS = {1: "#2ca02c", 2: "#17becf", 3: "#9467bd", 4: "#d62728", 5: "#ff7f0e"}
CPU_COLOURS = ["#1f77b4", "#e377c2", "#8c564b", "#7f7f7f"]
PLOT_PX = 1440  # width of the plot area, for placing labels
CHAR_PX = 6.2


class TimeAxis:
    """Microseconds to x: linear, except quiet gaps, squeezed to GAP_DRAWN."""

    def __init__(self, times):
        self.ts = sorted(set(times))
        self.xs, self.breaks, x = [], [], 0.0
        for i, t in enumerate(self.ts):
            if i:
                d = t - self.ts[i - 1]
                if d > GAP_US:
                    self.breaks.append((x + GAP_DRAWN / 2, d))
                    x += GAP_DRAWN
                else:
                    x += d
            self.xs.append(x)
        self.xmax = max(self.xs[-1], 1.0)

    def __call__(self, t):
        i = bisect.bisect_left(self.ts, t)
        if i < len(self.ts) and self.ts[i] == t:
            return self.xs[i]
        if i == 0:
            return self.xs[0] - min(self.ts[0] - t, GAP_DRAWN / 2)
        if i == len(self.ts):
            return self.xs[-1] + min(t - self.ts[-1], GAP_DRAWN / 2)
        t0, t1, x0, x1 = self.ts[i - 1], self.ts[i], self.xs[i - 1], self.xs[i]
        return x0 + (x1 - x0) * (t - t0) / (t1 - t0)


def fmt_us(us):
    return f"{us / 1000:.1f} ms" if us >= 1000 else f"{us} us"


def gp_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def story_window(run):
    """The picture shows module_load to module_free: the module's life."""
    free = next((m for m in run.marks if m.glyph == "F"), run.marks[-1])
    return [m for m in run.marks if m.ev.seq <= free.ev.seq]


def picture(run, prefix):
    """PREFIX.svg and PREFIX.png with gnuplot; its data in PREFIX.data/."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        raise TraceError("gnuplot not found (apt-get install gnuplot-nox)")
    marks = story_window(run)
    lanes = [p for p in run.lanes if any(m.lane == p for m in marks)]
    y = {p: len(lanes) - i for i, p in enumerate(lanes)}
    ax = TimeAxis([m.ev.us for m in marks])
    datadir = prefix + ".data"
    os.makedirs(datadir, exist_ok=True)
    segs = segments(marks, lanes)
    write_data(datadir, ax, y, segs, marks)
    cmds = (axis_cmds(run, ax, y, lanes) + arrow_cmds(run, marks, ax, y)
            + label_cmds(marks, ax, y))
    title = ("make demo ROUNDTRIP=1" if run.roundtrip else "make demo") + \
        ": kthread.ko's completion hand-off, module_load to module_free, from the kernel's trace " \
        f"(tracefs; QEMU TCG, {max(ev.cpu for ev in run.events) + 1} vCPUs)"
    height = 200 + 120 * len(lanes)
    body = "\n".join([
        "set border 3", "set grid xtics lc rgb '#f0f0f0'",
        f"set title {gp_str(title)} font ',12'",
        f"set xlabel 'microseconds since module_load; quiet stretches over {fmt_us(GAP_US)} drawn short "
        "(dotted lines, their length at the top)'",
        "set tmargin 6", "set rmargin 4", "set lmargin 26",
        "set key at screen 0.99, screen 0.995 right top horizontal maxrows 2 font ',9' samplen 2 box opaque",
        *cmds,
        "plot " + ", \\\n     ".join(plot_lines(datadir, segs)),
    ])
    return render(gnuplot, prefix, datadir, body, height)


def segments(marks, lanes):
    """Lane segments: on a CPU (thick, in the CPU's colour), runnable, asleep."""
    segs = []
    for p in lanes:
        pm = [m for m in marks if m.lane == p]
        cur, since, cpu = "run", pm[0].ev.us, pm[0].ev.cpu
        for m in pm:
            new = {"R": "run", "W": "ready", "~": "ready", "S": "sleep", "X": "gone"}.get(m.glyph)
            ncpu = m.ev.cpu if m.glyph == "R" or (cur == "run" and m.glyph != "W") else cpu
            if new == "run" and cur == "run" and ncpu == cpu:
                continue
            if (new and new != cur) or ncpu != cpu:
                segs.append((p, since, m.ev.us, cur, cpu))
                cur, since, cpu = new or cur, m.ev.us, ncpu
        if cur != "gone":
            segs.append((p, since, pm[-1].ev.us, cur, cpu))
    return segs


def write_data(datadir, ax, y, segs, marks):
    with open(os.path.join(datadir, "segments.dat"), "w") as f:
        f.write("# x0 x1 lane state cpu us0 us1\n")
        for p, t0, t1, st, cpu in segs:
            f.write(f"{ax(t0):.1f} {ax(t1):.1f} {y[p]} {st} {cpu} {t0} {t1}\n")
    with open(os.path.join(datadir, "marks.dat"), "w") as f:
        f.write("# x lane cpu step glyph us\n")
        for m in marks:
            if m.glyph not in "RWS~m*E":
                f.write(f"{ax(m.ev.us):.1f} {y[m.lane]} {m.ev.cpu} {m.step} {m.glyph} {m.ev.us}\n")


def axis_cmds(run, ax, y, lanes):
    """The ranges, the lanes' names, the time tics and the squeezed gaps."""
    xmax = ax.xmax
    cmds = [f"set xrange [{-xmax * 0.01:.0f}:{xmax * 1.09:.0f}]",
            f"set yrange [0.5:{len(lanes) + 0.95}]",
            "set ytics (" + ", ".join(f"{gp_str(run.lane_name(p))} {y[p]}" for p in lanes) + ") nomirror"]
    tics, last = [], None
    for t, x in zip(ax.ts, ax.xs):
        if last is None or x - last >= xmax / 12:
            tics.append(f'"{t}" {x:.1f}')
            last = x
    cmds.append(f"set xtics ({', '.join(tics)}) rotate by -30 nomirror font ',9'")
    last = None
    for bx, d in ax.breaks:
        cmds.append(f"set arrow from {bx:.1f}, graph 0 to {bx:.1f}, graph 1 nohead dt 3 lc rgb '#cccccc'")
        if last is None or bx - last > xmax / 22:
            cmds.append(f"set label {gp_str(fmt_us(d))} at {bx:.1f}, graph 0.99 center font ',8' "
                        "tc rgb '#888888' front")
            last = bx
    return cmds


def arrow_cmds(run, marks, ax, y):
    """Wake-ups: the waker's lane at sched_waking to the woken lane at sched_wakeup."""
    cmds, waking = [], {}
    lo, hi = marks[0].ev.seq, marks[-1].ev.seq
    for ev in run.events[lo:hi + 1]:
        if ev.name == "sched_waking":
            waking[int(ev.args["pid"])] = ev
        elif ev.name == "sched_wakeup":
            pid = int(ev.args["pid"])
            w = waking.pop(pid, None)
            if w and w.pid in y and pid in y:
                cmds.append(f"set arrow from {ax(w.us):.1f},{y[w.pid]} to {ax(ev.us):.1f},{y[pid]} "
                            "lc rgb '#444444' lw 1 filled size screen 0.006,20 front")
    return cmds


def label_cmds(marks, ax, y):
    """Labels of the story, horizontal, stacked above their lane where they
    would overlap; the completion steps in their colours."""
    cmds, busy = [], {}
    per_x = ax.xmax * 1.1 / PLOT_PX
    for m in marks:
        if not m.label:
            continue
        x = ax(m.ev.us)
        text = f"{m.label} @cpu{m.ev.cpu}"
        ends = busy.setdefault(m.lane, [])
        level = next((k for k, e in enumerate(ends) if e < x), len(ends))
        if level == len(ends):
            ends.append(0)
        ends[level] = x + (len(text) + 1) * CHAR_PX * per_x
        colour = STEP_COLOURS.get(m.step, "#222222")
        cmds.append(f"set label {gp_str(text)} at {x:.1f},{y[m.lane] + 0.13 + 0.125 * min(level, 6):.3f} "
                    f"left font ',{9 if m.step else 8}' tc rgb '{colour}' front")
    return cmds


def plot_lines(datadir, segs):
    seg = f"'{datadir}/segments.dat' u 1:"
    mk = f"'{datadir}/marks.dat' u 1:"
    plot = []
    for cpu in sorted({s[4] for s in segs}):
        plot.append(f"{seg}(strcol(4) eq 'run' && $5 == {cpu} ? $3 : NaN):($2-$1):(0)"
                    f" w vectors nohead lw 7 lc rgb '{CPU_COLOURS[cpu % 4]}' t 'on cpu{cpu}'")
    plot.append(f"{seg}(strcol(4) eq 'ready' ? $3 : NaN):($2-$1):(0) w vectors nohead lw 2 "
                "lc rgb '#888888' t 'runnable'")
    plot.append(f"{seg}(strcol(4) eq 'sleep' ? $3 : NaN):($2-$1):(0) w vectors nohead lw 1.5 dt 2 "
                "lc rgb '#888888' t 'asleep (S or D)'")
    plot.append(f"{mk}($4 == 0 ? $2 : NaN) w p pt 7 ps 0.7 lc rgb '#222222' notitle")
    for st, nm in STEP_NAMES.items():
        plot.append(f"{mk}($4 == {st} ? $2 : NaN) w p pt 5 ps 1.1 lc rgb '{STEP_COLOURS[st]}' t 'step {st} {nm}'")
    plot.append("NaN w vectors lc rgb '#444444' t 'wake-up: waker -> woken'")
    return plot


def render(gnuplot, prefix, datadir, body, height):
    png = (f"if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {{ set terminal pngcairo size 1800,{height} "
           f"noenhanced font 'sans,10' }} else {{ set terminal png size 1800,{height} noenhanced }}")
    for term, ext in ((f"set terminal svg size 1800,{height} dynamic noenhanced font 'sans,10' "
                       "background '#ffffff'", "svg"), (png, "png")):
        script = "set encoding utf8\n" + term + \
            f"\nset output {gp_str(prefix + '.' + ext)}\n" + body + "\nunset output\n"
        with open(os.path.join(datadir, f"timeline-{ext}.gp"), "w") as f:
            f.write(script)
        r = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
        if r.returncode != 0:
            raise TraceError(f"gnuplot ({ext}) failed: {r.stderr.strip()}")
    return [prefix + ".svg", prefix + ".png"]
