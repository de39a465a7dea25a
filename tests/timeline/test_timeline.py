#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side tests of scripts/timeline.py's checks, on traces recorded by
`make demo` (fixtures/*.report: the guest's report, unedited). Each test
breaks a copy the way a broken module or a lost trace line would, and the
checks must notice; the unbroken recordings must pass.

    python3 -m unittest discover -s tests/timeline -v
"""

import importlib.util
import os
import re
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "timeline", os.path.join(HERE, "..", "..", "scripts", "timeline.py"))
timeline = importlib.util.module_from_spec(spec)
spec.loader.exec_module(timeline)


def fixture(name):
    with open(os.path.join(HERE, "fixtures", name + ".report"), encoding="utf-8") as f:
        return f.read().splitlines()


def failures(lines):
    run = timeline.Run(timeline.read_report("\n".join(lines)))
    return timeline.check(run).failed()


def index(lines, pattern, start=0):
    rx = re.compile(pattern)
    for i in range(start, len(lines)):
        if rx.search(lines[i]):
            return i
    raise AssertionError(f"fixture has no line matching {pattern!r}")


def drop(lines, pattern):
    i = index(lines, pattern)
    return lines[:i] + lines[i + 1:]


def move_before(lines, pattern, anchor):
    """Move the line matching pattern to just before the line matching anchor."""
    i = index(lines, pattern)
    line, rest = lines[i], lines[:i] + lines[i + 1:]
    j = index(rest, anchor)
    return rest[:j] + [line] + rest[j:]


class Recorded(unittest.TestCase):
    def test_plain_run_passes(self):
        self.assertEqual(failures(fixture("plain")), [])

    def test_roundtrip_run_passes(self):
        self.assertEqual(failures(fixture("roundtrip")), [])

    def test_rt_kernel_run_passes(self):
        """6.1-rt's trace lines carry seven flag characters, not five."""
        lines = fixture("plain-6.1-rt")
        self.assertTrue(any(re.search(r"\[\d+\] \S{7} ", l) for l in lines))
        self.assertEqual(failures(lines), [])

    def test_5_10_run_passes(self):
        """5.10 traces a log line only if the console prints it (the guest
        raised console_loglevel), with printk's time stamp in the message."""
        lines = fixture("plain-5.10")
        self.assertTrue(any(re.search(r"console: \[\s*\d+\.\d+\] event came from", l) for l in lines))
        self.assertEqual(failures(lines), [])

    def test_5_10_round_trip_a_line_printed_by_another_task(self):
        """On 5.10 a reader holding the console printed the thread's line."""
        lines = fixture("roundtrip-5.10")
        self.assertTrue(any(re.search(r"ktprobe-\d+ .* console: \[.*\] event came from READ", l) for l in lines))
        self.assertEqual(failures(lines), [])

    def test_6_12_run_passes(self):
        """6.12 refuses $retval on a void function: wait_for_completion()'s
        return is recorded without one."""
        lines = fixture("plain-6.12")
        waited = [l for l in lines if "lothars_step/waited:" in l or "waited:" in l]
        self.assertTrue(waited and not any("ret=" in l for l in waited if "interruptible" not in l))
        self.assertEqual(failures(lines), [])

    def test_arm64_run_passes(self):
        """arm64 (6.12, qemu-system-aarch64): the probes read the first
        argument from %x0; the completions' addresses are arm64's."""
        lines = fixture("plain-arm64-6.12")
        self.assertTrue(any(re.search(r" init: \(shim_completion_init\S* \[kthread\]\) c=0xfff0", l) for l in lines))
        self.assertEqual(failures(lines), [])

    def test_arm64_roundtrip_with_a_complete_racing_the_next_wait(self):
        """arm64 6.1: the thread's next wait read done=0 at its entry probe
        while a reader's complete() was still taking the lock; the wait then
        found the event without sleeping. Not a lost wake-up."""
        self.assertEqual(failures(fixture("roundtrip-arm64-6.1")), [])

    def test_text_timeline_has_a_lane_per_task_and_every_post(self):
        run = timeline.Run(timeline.read_report("\n".join(fixture("plain"))))
        text = timeline.text_timeline(run)
        self.assertIn("lothars_wait_thread", text.splitlines()[0])
        for lane in ("insmod", "cat", "rmmod"):
            self.assertIn(lane, text.splitlines()[0])
        self.assertEqual(len(re.findall(r": post event \d+$", text, re.M)), 2)
        self.assertEqual(len(re.findall(r": handles event \d+", text)), 2)


class Broken(unittest.TestCase):
    def assertCaught(self, lines, what):
        bad = failures(lines)
        self.assertTrue(any(what in b for b in bad), f"no failure about {what!r}; failures: {bad}")

    def test_a_post_dropped(self):
        self.assertCaught(drop(fixture("plain"), r"lothars_event_posted: event=1$"), "read 1")

    def test_a_handled_dropped(self):
        self.assertCaught(drop(fixture("plain"), r"lothars_event_handled: event=0 "), "read 0")

    def test_the_wakeup_dropped(self):
        lines = fixture("plain")
        post = index(lines, r"lothars_event_posted: event=0$")
        wake = index(lines, r"sched_wakeup: comm=lothars_wait_th", post)
        self.assertCaught(lines[:wake] + lines[wake + 1:], "read 0: the thread was asleep, is woken")

    def test_the_log_claims_a_read_the_trace_lacks(self):
        lines = fixture("plain")
        i = index(lines, r"^    event came from READ function - 1$")
        lines = lines[:i + 1] + ["    event came from READ function - 2"] + lines[i + 1:]
        self.assertCaught(lines, "the same")

    def test_the_thread_exits_early(self):
        # A module whose thread returns after the first event: its exit
        # lands before the second read.
        lines = move_before(fixture("plain"), r"sched_process_exit: comm=lothars_wait_th",
                            r"lothars_event_posted: event=1$")
        self.assertCaught(lines, "the thread exits (sched_process_exit) after its exit event")

    def test_no_exit_event(self):
        self.assertCaught(drop(fixture("plain"), r"console: event came from exit function"),
                          "the log and the trace show the exit event")

    def test_the_device_goes_before_the_join(self):
        lines = move_before(fixture("plain"), r"device_destroy: \(", r"joined: \(")
        self.assertCaught(lines, "the device goes (device_destroy) after the join")

    def test_no_join(self):
        self.assertCaught(drop(fixture("plain"), r"joined: \("), "rmmod joins the thread")

    def test_pending_shown_wrong(self):
        lines = fixture("plain")
        i = index(lines, r"^\$ cat /sys/class/lothars_chardev/lothars_chardev/pending$")
        lines[i + 1] = "1"
        self.assertCaught(lines, "step 5")

    def test_answers_swapped(self):
        lines = fixture("roundtrip")
        i = index(lines, r"^\[pid \d+\] event 1$")
        j = index(lines, r"^\[pid \d+\] event 2$")
        lines[i] = lines[i].replace("event 1", "event 2")
        lines[j] = lines[j].replace("event 2", "event 1")
        self.assertCaught(lines, "the thread answers its completion")

    def test_a_sleeping_reader_never_woken(self):
        lines = fixture("roundtrip")
        pid = re.search(r"^\[pid (\d+)\] event 1$", "\n".join(lines), re.M).group(1)
        # the thread's first complete_all after this reader's post answers it
        answer = index(lines, r"complete_all: ", index(lines, rf"-{pid} .*lothars_event_posted"))
        wake = index(lines, rf"sched_wakeup: comm=ktprobe pid={pid} ", answer)
        self.assertCaught(lines[:wake] + lines[wake + 1:], f"reader {pid}: sleeps in state S until complete_all")

    def test_no_reinit(self):
        self.assertCaught(drop(fixture("roundtrip"), r" reinit: \("), "step 2 re-init")

    def test_trace_cut_off(self):
        lines = [ln for ln in fixture("plain") if ln != "trace-end"]
        with self.assertRaises(timeline.TraceError):
            timeline.Run(timeline.read_report("\n".join(lines)))


if __name__ == "__main__":
    unittest.main()
