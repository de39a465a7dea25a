# SPDX-License-Identifier: GPL-2.0
"""The checks: every claim the timeline makes, against the session's log."""

import re

from .trace import PROBES, READERS, THREAD_NAME, logged_by

# The kernel's own events every demo records (tests/vm/guest/demo-trace.sh).
KERNEL_EVENTS = ("sched_switch", "sched_waking", "sched_wakeup", "sched_process_exec",
                 "sched_process_exit", "console", "module_load", "module_free")


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
    th, log = run.thread, run.session.lines
    read_log = [int(m.group(1)) for ln in log if (m := re.search(r"event came from READ function - (\d+)$", ln))]
    c(th is not None, f"the trace shows the thread {THREAD_NAME}")
    loads, frees = run.of("module_load"), run.of("module_free")
    c(len(loads) == 1 and len(frees) == 1 and loads[0].seq < frees[0].seq,
      "module_load, then module_free, once each")
    c(read_log, "the log shows read events")
    for note in run.session.notes:
        c(False, f"the guest: {note}")
    # A kind of event the guest enabled but never recorded would fail the
    # checks built on it with a misleading reason; name it instead.
    for kind in KERNEL_EVENTS:
        if not run.of(kind):
            c(False, f"the trace has no {kind} events (enabled in the guest, never recorded)")
    if th is None or not loads or not frees or not read_log:
        return c
    load, free = loads[0], frees[0]
    posted = {int(ev.args["event"]): ev for ev in run.of("lothars_event_posted")}
    handled = {int(ev.args["event"]): ev for ev in run.of("lothars_event_handled")}
    ev_c = run.addr_of("m_event")
    check_start(run, c, load, ev_c)
    # Every read in the log: post, wake, handled, in that order.
    c(sorted(posted) == sorted(read_log) == sorted(handled),
      f"events posted {sorted(posted)}, handled {sorted(handled)}, logged {read_log}: the same")
    for n in read_log:
        check_read(run, c, n, posted.get(n), handled.get(n), ev_c)
    check_exit(run, c, posted, handled, ev_c, free)
    check_status(run, c, ev_c)
    if run.roundtrip:
        check_roundtrip(run, c, handled)
    return c


def check_start(run, c, load, ev_c):
    """Step 1 at load, before the thread first runs; step 3: the thread sleeps in S."""
    evs, th = run.events, run.thread
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


def check_read(run, c, n, p, h, ev_c):
    """Read n of the log: posted by a reader (p), woken, handled by the thread (h)."""
    evs, th = run.events, run.thread
    if not c(p and h and run.comm.get(p.pid) in READERS and h.pid == th and p.seq < h.seq,
             f"read {n}: a reader posts it, then the thread handles it"):
        return
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


def check_exit(run, c, posted, handled, ev_c, free):
    """The exit event after the last read; the join before the device goes."""
    evs, th, log = run.events, run.thread, run.session.lines
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


def check_status(run, c, ev_c):
    """Step 5 where it is read: the 'pending' file shows what completion_done() saw."""
    log = run.session.lines
    shown = value_after(log, "$ cat /sys/class/lothars_chardev/lothars_chardev/pending")
    status = [ev for ev in run.of("done") if ev.args["c"] == ev_c and run.comm.get(ev.pid) in READERS]
    c(status and shown is not None and int(shown) == (1 if int(status[-1].args["done"], 0) else 0),
      f"step 5: the 'pending' file shows {shown}, as completion_done(m_event) saw done="
      f"{status[-1].args['done'] if status else '?'}")


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
