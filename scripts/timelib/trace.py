# SPDX-License-Identifier: GPL-2.0
"""The demo's report read: the session as the user saw it, the trace's
lines parsed into events, both halves merged in order."""

import re
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
