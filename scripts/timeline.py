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
import bisect
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

THREAD_COMM = "lothars_wait_th"  # TASK_COMM_LEN cuts "lothars_wait_thread"
THREAD_NAME = "lothars_wait_thread"
ALL = 0xFFFFFFFF  # complete_all() leaves done at UINT_MAX
READERS = ("cat", "ktprobe")  # the guest's readers of the device

# One line of tracefs' "trace" file (default options).
LINE = re.compile(
    r"^\s*(?P<comm>.+?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+"
    r"(?:(?P<flags>\S{4,8})\s+)?(?P<ts>\d+\.\d+):\s+(?P<body>.*)$"
)
CONSOLE_STAMP = re.compile(r"^\[\s*\d+\.\d+\]\s")
SYS_ENTER = re.compile(r"^sys_(?P<call>\w+)\((?P<args>.*)\)$")
SYS_EXIT = re.compile(r"^sys_(?P<call>\w+) -> (?P<ret>\S+)$")
NAMED = re.compile(r"^(?P<name>\w+):\s?(?P<rest>.*)$")
KEYVAL = re.compile(r"(\w+)=(\S+)")

WAITS = {"wait", "wait_interruptible", "wait_killable"}
WAITED = {"waited", "waited_interruptible", "waited_killable"}
PROBES = WAITS | WAITED | {
    "init", "reinit", "complete", "complete_all", "done", "try_wait",
    "joined", "device_destroy",
}
STEP_NAMES = {1: "init", 2: "re-init", 3: "wait", 4: "wake", 5: "status"}


@dataclass
class Event:
    seq: int
    ts: float
    cpu: int
    pid: int
    comm: str
    name: str
    args: dict
    us: int = 0


@dataclass
class Mark:
    ev: Event
    lane: int  # pid
    glyph: str
    text: str
    step: int = 0
    label: str = ""  # short label for the picture; "" = none


@dataclass
class Session:
    lines: list = field(default_factory=list)  # what the user saw
    notes: list = field(default_factory=list)  # trace-note lines
    a: list = field(default_factory=list)
    b: list = field(default_factory=list)
    ended: bool = False


class TraceError(Exception):
    pass


# ---- parsing ----------------------------------------------------------------


def read_report(text):
    s = Session()
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if line.startswith("trace-a "):
            s.a.append(line[8:])
        elif line.startswith("trace-b "):
            s.b.append(line[8:])
        elif line.startswith("trace-note "):
            s.notes.append(line[11:])
        elif line == "trace-end":
            s.ended = True
        elif not line.startswith("# guest-exit"):
            s.lines.append(line)
    return s


def parse_args(text):
    return {k: v for k, v in KEYVAL.findall(text)}


def parse_line(line):
    m = LINE.match(line)
    if not m:
        return None
    body = m.group("body")
    args = {}
    e = SYS_ENTER.match(body)
    x = SYS_EXIT.match(body)
    if e:
        name = "sys_enter_" + e.group("call")
        for part in e.group("args").split(", "):
            k, _, v = part.partition(": ")
            args[k] = v
    elif x:
        name = "sys_exit_" + x.group("call")
        args["ret"] = int(x.group("ret"), 0)
    else:
        n = NAMED.match(body)
        if not n:
            return None
        name, rest = n.group("name"), n.group("rest")
        if name in ("console", "tracing_mark_write", "module_load", "module_free"):
            args["msg"] = rest.strip()
            if name == "console" and CONSOLE_STAMP.match(args["msg"]):
                # 5.10 emits the event as the console prints the line, with
                # printk's time stamp, in whichever task holds the console
                # then: not necessarily the line's author.
                args["msg"] = CONSOLE_STAMP.sub("", args["msg"])
                args["printed_by_console_owner"] = "1"
        else:
            args = parse_args(rest)
    return Event(0, float(m.group("ts")), int(m.group("cpu")), int(m.group("pid")),
                 m.group("comm"), name, args)


COMPLETION_CALLS = WAITS | {"reinit", "complete", "complete_all", "done", "try_wait"}


def logged_by(ev, pid):
    """A console event of task pid's line, as far as the kernel tells."""
    return ev.pid == pid or "printed_by_console_owner" in ev.args


def ours(events):
    """The kernel's completion functions are probed for every caller (the
    module calls them directly): keep the calls on completions the module
    initialised (the shim's init helper is probed too), and the returns of
    the waits kept. A task waits on one thing at a time, so a return
    belongs to the last wait it entered."""
    known, pending, kept = set(), {}, []
    for ev in events:
        c = ev.args.get("c")
        if ev.name == "init":
            known.add(c)
        elif ev.name in COMPLETION_CALLS and c not in known:
            continue  # another completion of the same task (kthread_create's, ...)
        if ev.name in WAITS:
            pending[ev.pid] = ev.name
        elif ev.name in WAITED and pending.pop(ev.pid, None) != "wait" + ev.name[len("waited"):]:
            continue
        kept.append(ev)
    return kept


def merge(session):
    """The top-level buffer up to its cut, then the instance after its cut."""
    if not session.ended:
        raise TraceError("the guest sent no complete trace (no trace-end)")

    def parse(lines):
        return [ev for ev in map(parse_line, lines) if ev]

    a, b = parse(session.a), parse(session.b)

    def cut(evs):
        for i, ev in enumerate(evs):
            if ev.name == "tracing_mark_write" and ev.args["msg"] == "demo-cut":
                return i
        raise TraceError("no demo-cut marker in a trace half")

    events = ours(a[:cut(a)] + b[cut(b) + 1:])
    if not events:
        raise TraceError("empty trace")
    t0 = events[0].ts
    for i, ev in enumerate(events):
        ev.seq = i
        ev.us = round((ev.ts - t0) * 1e6)
    return events


# ---- the run: tasks, completions, marks ------------------------------------


class Run:
    def __init__(self, session):
        self.session = session
        self.events = merge(session)
        self.comm = {}
        for ev in self.events:
            if ev.comm != "<...>":
                self.comm[ev.pid] = ev.comm
        for ev in self.events:
            for p, c in (("pid", "comm"), ("prev_pid", "prev_comm"), ("next_pid", "next_comm")):
                if p in ev.args and c in ev.args and int(ev.args[p]) not in self.comm:
                    self.comm[int(ev.args[p])] = ev.args[c]
        self.thread = next((p for p, c in self.comm.items() if c.startswith(THREAD_COMM)), None)
        self.roundtrip = any(ln.startswith("$ insmod") and "roundtrip=1" in ln for ln in session.lines)
        self.cnames = self._name_completions()
        self.lanes = self._lanes()
        self.marks = self._marks()
        # The story starts at module_load: insmod's reading and relocating
        # before it is left out. Time 0 is module_load.
        load = next((i for i, m in enumerate(self.marks) if m.glyph == "L"), 0)
        self.marks = self.marks[load:]
        if self.marks:
            t0 = self.marks[0].ev.ts
            for ev in self.events:
                ev.us = round((ev.ts - t0) * 1e6)

    def of(self, name, pid=None):
        return [ev for ev in self.events if ev.name == name and (pid is None or ev.pid == pid)]

    def _name_completions(self):
        """Name each completion at each event by how the module uses it: an
        address says nothing, and a freed session's is soon reused."""
        fixed = {}
        for ev in self.events:
            c = ev.args.get("c")
            if ev.name == "wait_interruptible" and ev.pid == self.thread:
                fixed.setdefault(c, "m_event")
            elif ev.name == "wait_killable" and self.comm.get(ev.pid) == "insmod":
                fixed.setdefault(c, "m_running")
        names, current = {}, dict(fixed)
        for ev in self.events:
            c = ev.args.get("c")
            if c is None:
                continue
            if ev.name == "init" and self.comm.get(ev.pid) in READERS:
                current[c] = f"answered[{ev.pid}]"  # a new session's
            names[ev.seq] = current.get(c, c)
        return names

    def cname(self, ev):
        return self.cnames.get(ev.seq, ev.args.get("c", "?"))

    def addr_of(self, name):
        return next((ev.args["c"] for ev in self.events if self.cnames.get(ev.seq) == name), None)

    def _lanes(self):
        """insmod, the thread, the readers in order of appearance, rmmod."""
        seen = []
        for ev in self.events:
            pids = [ev.pid] + ([int(ev.args["pid"])] if ev.name == "sched_wakeup" else [])
            for p in pids:
                if p not in seen and (p == self.thread or self.comm.get(p) in ("insmod", "rmmod") + READERS):
                    seen.append(p)
        # stable: the readers keep their order of appearance
        seen.sort(key=lambda p: 1 if p == self.thread else {"insmod": 0, "rmmod": 3}.get(self.comm.get(p), 2))
        return [p for p in seen if self._matters(p)]

    def _matters(self, pid):
        """A reader lane only when the module saw it (not the shell's other cats)."""
        if self.comm.get(pid) not in READERS:
            return True
        return any(ev.pid == pid and (ev.name in PROBES or ev.name.startswith("lothars_event")
                                      or ev.name == "console") for ev in self.events)

    def lane_name(self, pid):
        c = self.comm.get(pid, "?")
        return f"{THREAD_NAME if pid == self.thread else c} {pid}"

    def _marks(self):
        marks = []
        lanes = set(self.lanes)
        waker = {}
        in_read = {}
        dev_reads = self._device_reads()
        for ev in self.events:
            n, a = ev.name, ev.args

            def add(lane, glyph, text, step=0, label=""):
                if lane in lanes:
                    marks.append(Mark(ev, lane, glyph, text, step, label))

            if n == "module_load":
                add(ev.pid, "L", f"module_load {a['msg'].split()[0]}", label="load")
            elif n == "module_free":
                add(self._rmmod() or ev.pid, "F", "module_free: the module's memory goes", label="module_free")
            elif n == "sched_process_exec":
                add(ev.pid, "E", f"starts: exec as {ev.comm}")
            elif n == "sched_process_exit":
                add(int(a["pid"]), "X", "exit", label="exit")
            elif n == "sched_waking":
                waker[int(a["pid"])] = ev
            elif n in ("sched_wakeup", "sched_wakeup_new"):
                pid = int(a["pid"])
                w = waker.pop(pid, None)
                by = f" by {self.lane_name(w.pid)} on cpu{w.cpu}" if w and w.pid in lanes else ""
                add(pid, "W", f"woken{by}, runnable on cpu{int(a['target_cpu'])}")
            elif n == "sched_switch":
                prev, nxt = int(a["prev_pid"]), int(a["next_pid"])
                state = a["prev_state"]
                if state.startswith("R"):
                    add(prev, "~", f"preempted on cpu{ev.cpu}")
                elif state in ("X", "Z", "I"):
                    pass  # the last switch of a task that has exited
                else:
                    add(prev, "S", f"sleeps in state {state}, leaves cpu{ev.cpu}")
                add(nxt, "R", f"runs on cpu{ev.cpu}")
            elif n == "sys_enter_read" and (ev.pid, ev.seq) in dev_reads:
                in_read[ev.pid] = True
                add(ev.pid, "(", f"read() of {dev_reads[(ev.pid, ev.seq)]}")
            elif n == "sys_exit_read" and in_read.pop(ev.pid, False):
                add(ev.pid, ")", f"read() returns {a['ret']}")
            elif n == "console":
                add(ev.pid, "m", f'log "{a["msg"]}"')
            elif n == "lothars_event_posted":
                add(ev.pid, "P", f"post event {a['event']}", label=f"post #{a['event']}")
            elif n == "lothars_event_handled":
                us = int(a.get("wake_ns", 0)) / 1000
                add(ev.pid, "H", f"handles event {a['event']} ({us:.0f} us after its complete())",
                    label=f"handled #{a['event']}")
            elif n == "init":
                add(ev.pid, "1", f"step 1 init {self.cname(ev)}", 1, f"1 init {self.cname(ev)}")
            elif n == "reinit":
                add(ev.pid, "2", f"step 2 reinit {self.cname(ev)} (done {fmt_done(a)} -> 0)", 2,
                    f"2 re-init {self.cname(ev)}")
            elif n in WAITS:
                add(ev.pid, "3", f"step 3 {n.replace('_', ' ')} on {self.cname(ev)}, done={fmt_done(a)}"
                    + (": sleeps" if int(a["done"], 0) == 0 else ": takes it at once"), 3,
                    f"3 wait {self.cname(ev)} (done={fmt_done(a)})")
            elif n in WAITED:
                add(ev.pid, "<", "wait over" + (f" (ret {a['ret']})" if "ret" in a else ""))
            elif n == "complete":
                d = int(a["done"], 0)
                add(ev.pid, "4", f"step 4 complete {self.cname(ev)}: done {d} -> {d + 1}", 4,
                    f"4 complete {self.cname(ev)} (done {d}->{d + 1})")
            elif n == "complete_all":
                add(ev.pid, "4", f"step 4 complete_all {self.cname(ev)}: done {fmt_done(a)} -> all", 4,
                    f"4 complete_all {self.cname(ev)}")
            elif n in ("done", "try_wait"):
                what = "completion_done" if n == "done" else "try_wait_for_completion"
                add(ev.pid, "5", f"step 5 {what}({self.cname(ev)}) sees done={fmt_done(a)}", 5,
                    f"5 status {self.cname(ev)}: done={fmt_done(a)}")
            elif n == "joined":
                add(ev.pid, "J", f"join: kthread_stop() returns {a['ret']}", label="join")
            elif n == "device_destroy":
                add(ev.pid, "D", "device_destroy(): /dev/lothars_chardev goes", label="device gone")
        return marks

    def _rmmod(self):
        return next((p for p in self.lanes if self.comm.get(p) == "rmmod"), None)

    def _device_reads(self):
        """read() calls that reached the module: their span holds a module event."""
        reads, open_ = {}, {}
        for ev in self.events:
            if ev.name == "sys_enter_read":
                open_[ev.pid] = (ev, None)
            elif ev.pid in open_ and ev.name == "console" and ev.args["msg"] == "chardev_read()":
                open_[ev.pid] = (open_[ev.pid][0], "/dev/lothars_chardev")
            elif ev.pid in open_ and ev.name == "done" and open_[ev.pid][1] is None:
                open_[ev.pid] = (open_[ev.pid][0], "the 'pending' counter")
            elif ev.name == "sys_exit_read" and ev.pid in open_:
                start, what = open_.pop(ev.pid)
                if what:
                    reads[(ev.pid, start.seq)] = what
        return reads


def fmt_done(args):
    d = int(args.get("done", "0"), 0)
    return "all" if d == ALL else str(d)


# ---- checks: the trace against the log --------------------------------------


class Checks:
    def __init__(self):
        self.results = []
        self.notes = []

    def note(self, text):
        self.notes.append(text)

    def __call__(self, ok, what):
        self.results.append((bool(ok), what))
        return ok

    def failed(self):
        return [w for ok, w in self.results if not ok]


def first(evs, pred=lambda ev: True, after=-1, before=None):
    for ev in evs:
        if ev.seq > after and (before is None or ev.seq < before) and pred(ev):
            return ev
    return None


def check(run):
    """Every claim the timeline makes, checked against the session's log."""
    c = Checks()
    evs, th = run.events, run.thread
    log = run.session.lines
    read_log = [int(m.group(1)) for ln in log if (m := re.search(r"event came from READ function - (\d+)$", ln))]
    c(th is not None, f"the trace shows the thread {THREAD_NAME}")
    loads, frees = run.of("module_load"), run.of("module_free")
    c(len(loads) == 1 and len(frees) == 1 and loads[0].seq < frees[0].seq,
      "module_load, then module_free, once each")
    c(read_log, "the log shows read events")
    for note in run.session.notes:
        c(False, f"the guest: {note}")
    if th is None or not loads or not frees or not read_log:
        return c
    load, free = loads[0], frees[0]
    posted = {int(ev.args["event"]): ev for ev in run.of("lothars_event_posted")}
    handled = {int(ev.args["event"]): ev for ev in run.of("lothars_event_handled")}
    ev_c = run.addr_of("m_event")

    # Step 1 at load, before the thread first runs; step 3: the thread sleeps in S.
    thread_runs = first(evs, lambda ev: ev.name == "sched_switch" and int(ev.args["next_pid"]) == th)
    inits = [ev for ev in run.of("init") if run.comm.get(ev.pid) == "insmod"]
    c(len(inits) >= 2 and all(load.seq < ev.seq < (thread_runs.seq if thread_runs else 0) for ev in inits[:2])
      and ev_c in {ev.args["c"] for ev in inits},
      "step 1: insmod initialises m_event and m_running after module_load, before the thread first runs")
    wait0 = first(evs, lambda ev: ev.name == "wait_interruptible" and ev.pid == th)
    c(wait0 and int(wait0.args["done"], 0) == 0 and first(
        evs, lambda ev: ev.name == "sched_switch" and int(ev.args["prev_pid"]) == th
        and ev.args["prev_state"] == "S", after=wait0.seq),
      "step 3: the idle thread waits on m_event with done=0 and sleeps in state S")

    # Every read in the log: post, wake, handled, in that order.
    c(sorted(posted) == sorted(read_log) == sorted(handled),
      f"events posted {sorted(posted)}, handled {sorted(handled)}, logged {read_log}: the same")
    for n in read_log:
        p, h = posted.get(n), handled.get(n)
        if not c(p and h and run.comm.get(p.pid) in READERS and h.pid == th and p.seq < h.seq,
                 f"read {n}: a reader posts it, then the thread handles it"):
            continue
        comp = first(evs, lambda ev: ev.name == "complete" and ev.pid == p.pid and ev.args["c"] == ev_c, after=p.seq)
        c(comp and comp.seq < h.seq, f"read {n}: step 4, the reader completes m_event (done "
          f"{comp.args['done'] if comp else '?'} -> +1) before the thread handles it")
        asleep = thread_sleeping_at(run, p.seq)
        wake = first(evs, lambda ev: ev.name == "sched_wakeup" and int(ev.args["pid"]) == th,
                     after=p.seq, before=h.seq)
        if asleep:
            c(wake, f"read {n}: the thread was asleep, is woken after the post, before it handles")
        else:
            # The probes read done at function entry, outside the lock: a
            # complete() that is still taking the lock when the wait's probe
            # fires shows done=0 there, and the wait then finds it without
            # sleeping (seen under arm64 TCG, a stalled vCPU between the two).
            wt = last_before(evs, lambda ev: ev.name == "wait_interruptible" and ev.pid == th, h.seq)
            slept = wt and first(evs, lambda ev: ev.name == "sched_switch" and int(ev.args["prev_pid"]) == th
                                 and not ev.args["prev_state"].startswith("R"), after=wt.seq, before=h.seq)
            c(wt and (int(wt.args["done"], 0) > 0 or not slept),
              f"read {n}: the thread was awake; its next wait found the event posted (done>0, or no sleep)")
        logged = first(evs, lambda ev: ev.name == "console" and logged_by(ev, th)
                       and ev.args["msg"] == f"event came from READ function - {n}", after=h.seq)
        c(logged, f"read {n}: its log line comes from the thread after it handled it")

    # The exit event after the last read; the join before the device goes.
    last_post = max(p.seq for p in posted.values()) if posted else 0
    last_handled = max(h.seq for h in handled.values()) if handled else 0
    rm = run._rmmod()
    exit_post = first(evs, lambda ev: ev.name == "complete" and ev.pid == rm and ev.args["c"] == ev_c)
    exit_log = first(evs, lambda ev: ev.name == "console" and logged_by(ev, th)
                     and ev.args["msg"] == "event came from exit function")
    c("    event came from exit function" in log and exit_log, "the log and the trace show the exit event")
    c(exit_post and exit_post.seq > max(last_post, last_handled),
      "rmmod posts the exit event (complete m_event) after the last read was posted and handled")
    c(exit_log and exit_post and exit_log.seq > exit_post.seq, "the thread takes the exit event after rmmod posts it")
    texit = first(evs, lambda ev: ev.name == "sched_process_exit" and int(ev.args["pid"]) == th)
    joined = first(evs, lambda ev: ev.name == "joined" and ev.pid == rm)
    gone = first(evs, lambda ev: ev.name == "device_destroy" and ev.pid == rm)
    # kthread_stop() returns once the exiting thread signals it (exit_mm, in
    # do_exit), which can be before or after the sched_process_exit event.
    c(texit and exit_log and texit.seq > exit_log.seq, "the thread exits (sched_process_exit) after its exit event")
    c(joined and exit_log and int(joined.args["ret"]) == 0 and joined.seq > exit_log.seq and not first(
        evs, lambda ev: ev.pid == th and (ev.name in PROBES or ev.name.startswith("lothars_")
                                          or ev.name == "console"), after=joined.seq),
      "rmmod joins the thread (kthread_stop returns 0) after its exit event; no module code runs in it after")
    c(joined and gone and gone.seq > joined.seq, "the device goes (device_destroy) after the join")
    c(gone and free.seq > gone.seq, "module_free comes last")

    # Step 5 where it is read: the 'pending' file shows what completion_done() saw.
    shown = value_after(log, "$ cat /sys/class/lothars_chardev/lothars_chardev/pending")
    status = [ev for ev in run.of("done") if ev.args["c"] == ev_c and run.comm.get(ev.pid) in READERS]
    c(status and shown is not None and int(shown) == (1 if int(status[-1].args["done"], 0) else 0),
      f"step 5: the 'pending' file shows {shown}, as completion_done(m_event) saw done="
      f"{status[-1].args['done'] if status else '?'}")

    if run.roundtrip:
        check_roundtrip(run, c, handled)
    return c


def thread_sleeping_at(run, seq):
    """Was the thread switched out in S (and not woken) at event seq?"""
    state = False
    for ev in run.events[:seq]:
        if ev.name == "sched_switch":
            if int(ev.args["prev_pid"]) == run.thread:
                state = not ev.args["prev_state"].startswith("R")
            if int(ev.args["next_pid"]) == run.thread:
                state = False
        elif ev.name == "sched_wakeup" and int(ev.args["pid"]) == run.thread:
            state = False
    return state


def last_before(evs, pred, seq):
    found = None
    for ev in evs[:seq]:
        if pred(ev):
            found = ev
    return found


def value_after(lines, command):
    """The line after the command (typed with or without taskset)."""
    for i, ln in enumerate(lines):
        if ln.startswith("$ ") and re.sub(r"^\$ taskset \S+ ", "$ ", ln) == command and i + 1 < len(lines):
            return lines[i + 1].strip()
    return None


def check_roundtrip(run, c, handled):
    """Each reader: its own answer, re-armed, waited for in S, woken by complete_all."""
    evs, th, log = run.events, run.thread, run.session.lines
    answers = {int(m.group(1)): int(m.group(2)) for ln in log if (m := re.match(r"^\[pid (\d+)\] event (\d+)$", ln))}
    first_answer = value_after(log, "$ cat /dev/lothars_chardev")
    readers = [ev.pid for ev in run.of("lothars_event_posted")]
    c(len(answers) == 2 and first_answer and len(readers) == 3,
      f"round trip: three readers posted, two of them through `ktprobe together` (answers {answers})")
    if readers and first_answer and first_answer.startswith("event "):
        answers.setdefault(readers[0], int(first_answer.split()[1]))
    for pid in readers:
        mine = f"answered[{pid}]"

        def on_mine(name, who):
            return lambda ev: ev.name == name and ev.pid == who and run.cname(ev) == mine
        init = first(evs, on_mine("init", pid))
        reinit = first(evs, on_mine("reinit", pid))
        post = first(evs, lambda ev: ev.name == "lothars_event_posted" and ev.pid == pid)
        wait = first(evs, on_mine("wait_interruptible", pid))
        c(init and reinit and post and wait and init.seq < reinit.seq < post.seq < wait.seq,
          f"reader {pid}: step 1 init at open, step 2 re-init, post, step 3 wait on its own completion")
        if not (init and reinit and post and wait):
            continue
        answer = first(evs, on_mine("complete_all", th), after=post.seq)
        h = last_before(evs, lambda ev: ev.name == "lothars_event_handled" and ev.pid == th,
                        answer.seq if answer else 0)
        n = int(h.args["event"]) if h else None
        c(answer and n is not None and answers.get(pid) == n,
          f"reader {pid}: the thread answers its completion (complete_all) right after handling event {n}; "
          f"the reader printed event {answers.get(pid)}")
        if not answer:
            continue
        if int(wait.args["done"], 0) == 0:
            # Where was the reader when the answer came? Asleep (then the
            # answer must wake it), preempted, or still on its CPU.
            switches = [ev for ev in evs[wait.seq:answer.seq] if ev.name == "sched_switch"
                        and pid in (int(ev.args["prev_pid"]), int(ev.args["next_pid"]))]
            off = switches[-1] if switches and int(switches[-1].args["prev_pid"]) == pid else None
            if off and off.args["prev_state"] == "S":
                woke = first(evs, lambda ev: ev.name == "sched_wakeup" and int(ev.args["pid"]) == pid,
                             after=answer.seq)
                c(woke, f"reader {pid}: sleeps in state S until complete_all wakes it")
            elif off:
                c(True, f"reader {pid}: preempted before it could sleep; the answer is there when it runs again")
            else:
                c(True, f"reader {pid}: the answer came before it had to sleep")
        ret = first(evs, lambda ev: ev.name == "sys_exit_read" and ev.pid == pid, after=answer.seq)
        c(ret and n is not None and ret.args["ret"] == len(f"event {n}\n"),
          f"reader {pid}: its read() returns its line 'event {n}' after the answer")
    # Whether the two requests overlap is up to the scheduler: said, not checked.
    overlap = [pid for pid in readers[1:] if overlapping(run, pid, readers)]
    c.note("the requests of " + (f"reader {overlap[0]} and another overlap (posted while the other waited)"
                                 if overlap else "the readers did not overlap this time"))


def overlapping(run, pid, readers):
    """Did pid post while another reader's request was still unanswered?"""
    post = first(run.events, lambda ev: ev.name == "lothars_event_posted" and ev.pid == pid)
    for other in readers:
        if other == pid or not post:
            continue
        p2 = first(run.events, lambda ev: ev.name == "lothars_event_posted" and ev.pid == other)
        ans = first(run.events, lambda ev: ev.name == "complete_all" and run.cname(ev) == f"answered[{other}]",
                    after=p2.seq if p2 else 0)
        if p2 and ans and p2.seq < post.seq < ans.seq:
            return True
    return False


# ---- the text timeline -----------------------------------------------------


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


# ---- the picture -------------------------------------------------------------

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
    xmax = ax.xmax
    datadir = prefix + ".data"
    os.makedirs(datadir, exist_ok=True)

    # Lane segments: on a CPU (thick, in the CPU's colour), runnable, asleep.
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
    with open(os.path.join(datadir, "segments.dat"), "w") as f:
        f.write("# x0 x1 lane state cpu us0 us1\n")
        for p, t0, t1, st, cpu in segs:
            f.write(f"{ax(t0):.1f} {ax(t1):.1f} {y[p]} {st} {cpu} {t0} {t1}\n")
    with open(os.path.join(datadir, "marks.dat"), "w") as f:
        f.write("# x lane cpu step glyph us\n")
        for m in marks:
            if m.glyph not in "RWS~m*E":
                f.write(f"{ax(m.ev.us):.1f} {y[m.lane]} {m.ev.cpu} {m.step} {m.glyph} {m.ev.us}\n")

    # Wake-ups: the waker's lane at sched_waking to the woken lane at sched_wakeup.
    arrows, waking = [], {}
    lo, hi = marks[0].ev.seq, marks[-1].ev.seq
    for ev in run.events[lo:hi + 1]:
        if ev.name == "sched_waking":
            waking[int(ev.args["pid"])] = ev
        elif ev.name == "sched_wakeup":
            pid = int(ev.args["pid"])
            w = waking.pop(pid, None)
            if w and w.pid in y and pid in y:
                arrows.append((ax(w.us), y[w.pid], ax(ev.us), y[pid]))

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
    for x0, y0, x1, y1 in arrows:
        cmds.append(f"set arrow from {x0:.1f},{y0} to {x1:.1f},{y1} lc rgb '#444444' lw 1 filled "
                    "size screen 0.006,20 front")

    # Labels of the story, horizontal, stacked above their lane where they
    # would overlap; the completion steps in their colours.
    per_x = xmax * 1.1 / PLOT_PX
    busy = {}
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

    title = ("make demo ROUNDTRIP=1" if run.roundtrip else "make demo") + \
        ": kthread.ko's completion hand-off, module_load to module_free, from the kernel's trace " \
        f"(tracefs; QEMU TCG, {max(ev.cpu for ev in run.events) + 1} vCPUs)"
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
    height = 200 + 120 * len(lanes)
    body = "\n".join([
        "set border 3", "set grid xtics lc rgb '#f0f0f0'",
        f"set title {gp_str(title)} font ',12'",
        f"set xlabel 'microseconds since module_load; quiet stretches over {fmt_us(GAP_US)} drawn short "
        "(dotted lines, their length at the top)'",
        "set tmargin 6", "set rmargin 4", "set lmargin 26",
        "set key at screen 0.99, screen 0.995 right top horizontal maxrows 2 font ',9' samplen 2 box opaque",
        *cmds,
        "plot " + ", \\\n     ".join(plot),
    ])
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


# ---- main ----------------------------------------------------------------------


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
