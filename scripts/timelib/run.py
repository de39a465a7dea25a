# SPDX-License-Identifier: GPL-2.0
"""A run: its tasks, the completions named by their use, and the marks of
the timeline."""

from .trace import (ALL, PROBES, READERS, THREAD_COMM, THREAD_NAME, WAITED, WAITS,
                    Mark, merge)


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
