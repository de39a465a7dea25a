#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench, the host side: the guest's report (bench/guest/bench.sh)
and `size` of both modules in; a table on stdout, build/bench.json and
the data files bench/plot.gp draws out.

Every comparison is a ratio of two variants measured in the same round
(the variants alternate in short slices within a round), and the figure
reported is the median of the per-round ratios. The targets are reported,
never asserted: the exit status says only whether the report was complete.
"""
import argparse
import json
import math
import re
import statistics
import subprocess
import sys
from collections import defaultdict

import report_crc
from report_table import (print_checks, print_instructions, print_latency, print_ratios, print_sizes,
                          print_throughput)

VARIANTS = ("cxx", "c")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def ratio(a, b):
    return a / b if a and b else None


def parse_report(path):
    meta = {}
    tput = defaultdict(lambda: defaultdict(dict))  # (variant, mode) -> readers -> round -> reads/s
    tput_raw = []
    wake = defaultdict(dict)  # (variant, mode) -> round -> {key: value}
    dist = defaultdict(lambda: defaultdict(lambda: {"summary": None, "bins": {}}))
    checks, trace = [], []
    done = False
    with open(path, encoding="utf-8", errors="replace") as report:
        for line in report:
            f = line.split()
            if not f:
                continue
            if f[0] == "meta":
                meta[f[1]] = " ".join(f[2:])
            elif f[0] == "tput" and len(f) == 8:
                variant, mode, rnd, readers = f[1], f[2], int(f[3]), int(f[4])
                tput[(variant, mode)][readers][rnd] = float(f[5])
                tput_raw.append({"variant": variant, "mode": mode, "round": rnd, "readers": readers,
                                 "reads_per_s": float(f[5]), "reads": int(f[6]), "ms": float(f[7])})
            elif f[0] == "wake":
                variant, mode, rnd = f[1], f[2], int(f[3])
                kv = f[4:]
                wake[(variant, mode)][rnd] = {kv[i]: int(kv[i + 1]) for i in range(0, len(kv) - 1, 2)}
            elif f[0] == "dist":
                kind, variant, rnd = f[1], f[2], int(f[3])
                entry = dist[(kind, variant)][rnd]
                if f[4] == "summary":
                    n, p50, p90, p99, mx, mean = (int(x) for x in f[5:11])
                    entry["summary"] = {"n": n, "p50_ns": p50, "p90_ns": p90, "p99_ns": p99,
                                        "max_ns": mx, "mean_ns": mean}
                elif f[4] == "bin":
                    entry["bins"][int(f[5])] = int(f[6])
            elif f[0] == "check":
                checks.append({"name": f[1], "ok": f[2] == "ok", "detail": " ".join(f[3:])})
            elif f[0] == "trace":
                trace.append(line[len("trace "):].rstrip("\n"))
            elif f[0] == "bench-done":
                done = True
    return meta, tput, tput_raw, wake, dist, checks, trace, done


def parse_icount(path):
    """(variant, kind) -> (boot, rep) -> instructions per operation."""
    per_op = defaultdict(dict)
    if not path:
        return per_op, {}
    meta = {}
    with open(path, encoding="utf-8", errors="replace") as report:
        for line in report:
            f = line.split()
            if len(f) == 7 and f[0] == "icount":
                per_op[(f[1], f[2])][(int(f[3]), int(f[4]))] = int(f[6]) / int(f[5])
            elif len(f) >= 3 and f[0] == "meta":
                meta[f[1]] = " ".join(f[2:])
    return per_op, meta


def parse_sections(ko):
    """Sizes of a module's allocated, read-only sections: what `size` counts
    as text, one entry per section (C++ COMDAT sections summed by kind)."""
    out = subprocess.run(["readelf", "-SW", ko], capture_output=True, text=True, check=True).stdout
    sections = defaultdict(int)
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+\S+\s+\S+\s+([0-9a-f]+)\s+\S+\s+(\S*)", line)
        if not m or "A" not in m.group(3) or "W" in m.group(3):
            continue
        name = m.group(1)
        for kind in (".text.unlikely", ".text", ".rodata"):
            if name.startswith(kind + ".") and name != kind:
                name = kind + ".*"
                break
        sections[name] += int(m.group(2), 16)
    return dict(sections)


def parse_size(path):
    sizes = {}
    with open(path, encoding="utf-8") as size:
        for line in size:
            f = line.split()
            if len(f) == 6 and f[0].isdigit():
                name = f[5].rsplit("/", 1)[-1]
                sizes[{"kthread.ko": "cxx", "ctwin.ko": "c"}.get(name, name)] = {
                    "text": int(f[0]), "data": int(f[1]), "bss": int(f[2]), "file": f[5]}
    return sizes


class Figures:
    """The guest's report, the instruction count and the sizes, read; what
    every ratio and median is computed from."""

    def __init__(self, args):
        (self.meta, self.tput, self.tput_raw, self.wake, self.dist, self.checks, self.trace,
         self.done) = parse_report(args.report)
        self.sizes = parse_size(args.size)
        self.icount, self.icount_meta = parse_icount(args.icount)
        self.sections = {}
        if args.ko:
            self.sections = {"cxx": parse_sections(args.ko[0]), "c": parse_sections(args.ko[1])}
        self.rounds = sorted({r["round"] for r in self.tput_raw})
        self.readers = sorted({r["readers"] for r in self.tput_raw})
        # The instruction count's repeats: (boot, repeat) pairs.
        self.reps = sorted({r for per in self.icount.values() for r in per})

    def tput_of(self, variant, mode, p, rnd):
        return self.tput[(variant, mode)].get(p, {}).get(rnd)

    def wake_of(self, variant, mode, key, rnd):
        return self.wake[(variant, mode)].get(rnd, {}).get(key)

    def dist_of(self, kind, variant, key, rnd):
        s = self.dist[(kind, variant)].get(rnd, {}).get("summary")
        return s[key] if s else None

    def per_round(self, fn):
        return [fn(r) for r in self.rounds]

    # Per-round ratios of one figure of two variants.
    def tput_ratio(self, a, b, p):
        return self.per_round(lambda r: ratio(self.tput_of(*a, p, r), self.tput_of(*b, p, r)))

    def tput_geo(self, a, b):
        """Over the reader counts, the geometric mean of the ratios."""
        return self.per_round(lambda r: geomean([ratio(self.tput_of(*a, p, r), self.tput_of(*b, p, r))
                                                 for p in self.readers]))

    def wake_ratio(self, mode, key):
        return self.per_round(lambda r: ratio(self.wake_of("cxx", mode, key, r), self.wake_of("c", mode, key, r)))

    def rt_ratio(self, a, b, key="p50_ns"):
        return self.per_round(lambda r: ratio(self.dist_of("rt", a, key, r), self.dist_of("rt", b, key, r)))

    def icount_ratio(self, a, b, kind):
        return [ratio(self.icount[(a, kind)].get(r), self.icount[(b, kind)].get(r)) for r in self.reps]


class Ratios(dict):
    """name -> its per-round values, their median, spread and target."""

    def add(self, name, values, target=None, what=""):
        entry = {"what": what, "per_round": values, "median": median(values)}
        known = sorted(v for v in values if v)
        if len(known) > 1:
            # Rounds that disagree by more than 2x (the outermost two left
            # out from 5 rounds on) measure the host, not the code.
            core = known[1:-1] if len(known) >= 5 else known
            entry["spread"] = core[-1] / core[0]
            entry["reliable"] = entry["spread"] <= 2.0
        if target:
            op, bound = target
            m = entry["median"]
            entry["target"] = f"{op} {bound}"
            entry["met"] = None if m is None else (m >= bound if op == ">=" else m <= bound)
        self[name] = entry


CXX, C = ("cxx", "signal"), ("c", "signal")
CXX_NULL, C_NULL = ("cxx", "null"), ("c", "null")

# The timed round trips: name, numerator, denominator, target, what.
RT_RATIOS = (
    ("cxx_over_c_roundtrip_p50", "cxx", "c", None, "user-space round trip p50 C++ / C"),
    ("cxx_over_c_roundtrip_p99", "cxx", "c", None, "user-space round trip p99 C++ / C"),
    ("quiet_roundtrip_pinned_over_kthread_worker_p50", "qcxx", "qkworker", ("<=", 1.0),
     "round trip p50, quiet=1, all on CPU 0: C++ module / kthread_worker"),
    ("quiet_roundtrip_pinned_over_workqueue_p50", "qcxx", "qwq", ("<=", 1.0),
     "round trip p50, quiet=1, all on CPU 0: C++ module / system_wq"),
    ("c_quiet_roundtrip_pinned_over_kthread_worker_p50", "qc", "qkworker", None, "the same for the C twin"),
)
RT_AGAINST_ANCHORS = (
    ("roundtrip_over_workqueue_p50", "cxx", "wq", ("<=", 1.0),
     "round trip p50 C++ (kthread + completions) / workqueue"),
    ("roundtrip_over_kthread_worker_p50", "cxx", "kworker", None, "round trip p50 C++ / kthread_worker"),
    ("roundtrip_over_unbound_workqueue_p50", "cxx", "uwq", None,
     "round trip p50 C++ / workqueue on system_unbound_wq (any CPU, as the kthread)"),
    ("pinned_roundtrip_over_workqueue_p50", "cxxpin", "wq", None,
     "round trip p50 C++ with thread and reader pinned to CPU 0 / workqueue"),
    ("c_roundtrip_over_workqueue_p50", "c", "wq", None, "round trip p50 C twin / workqueue"),
)
ICOUNT_KINDS = (
    ("read", "cxx_over_c_instructions_per_read", "a signalling read (log_events=0)"),
    ("null", "cxx_over_c_instructions_per_null_read", "a null read (signal=0)"),
    ("roundtrip", "cxx_over_c_instructions_per_roundtrip", "a round-trip read (roundtrip=1)"),
    ("qroundtrip", "cxx_over_c_instructions_per_quiet_roundtrip", "a round-trip read, quiet=1"),
    ("load", "cxx_over_c_instructions_per_load_unload", "insmod + rmmod (CPU time of tasks)"),
)


def ratios_timed(fig, out):
    """C++ against C in the timed rounds: throughput, wake-ups, round trips."""
    out.add("cxx_over_c_reads_per_s", fig.tput_geo(CXX, C),
            (">=", 0.98), "reads/s C++ / C, geometric mean over the reader counts")
    for p in fig.readers:
        out.add(f"cxx_over_c_reads_per_s_{p}r", fig.tput_ratio(CXX, C, p), None, f"reads/s C++ / C, {p} readers")
    out.add("cxx_over_c_wake_p50", fig.wake_ratio("rt", "p50_ns"),
            ("<=", 1.02), "wake latency p50 C++ / C (one reader, each read finds the thread asleep)")
    out.add("cxx_over_c_wake_p99", fig.wake_ratio("rt", "p99_ns"), ("<=", 1.02), "wake latency p99 C++ / C")
    out.add("cxx_over_c_wake_pinned_p50", fig.wake_ratio("pin", "p50_ns"),
            ("<=", 1.02), "wake latency p50 C++ / C, thread and reader pinned to one CPU (no IPI, no host noise)")
    out.add("cxx_over_c_wake_pinned_p99", fig.wake_ratio("pin", "p99_ns"), None, "wake latency p99 C++ / C, pinned")
    out.add("cxx_over_c_roundtrip_pinned_p50", fig.rt_ratio("cxxpin", "cpin"),
            ("<=", 1.02), "round trip p50 C++ / C, pinned")
    out.add("cxx_over_c_wake_seq_p50", fig.wake_ratio("seq", "p50_ns"), None,
            "post-to-handle p50 C++ / C, free-running reader (includes the queue it builds)")
    for name, a, b, target, what in RT_RATIOS:
        out.add(name, fig.rt_ratio(a, b, "p99_ns" if name.endswith("_p99") else "p50_ns"), target, what)


def ratios_counted(fig, out):
    """Instruction counts: boots under -icount, repeats alternating C++ and C
    within each; a ratio per repeat, the median reported. Then the design
    against the kernel's own hand-off primitives, in the same counts."""
    for kind, key, what in ICOUNT_KINDS:
        if not fig.reps:
            break
        target = None if kind in ("load", "qroundtrip") else ("<=", 1.0)
        out.add(key, fig.icount_ratio("cxx", "c", kind), target, f"guest instructions per operation C++ / C: {what}")
    for anchor, key, what in (("kworker", "quiet_roundtrip_over_kthread_worker_instructions", "kthread_worker"),
                              ("wq", "quiet_roundtrip_over_workqueue_instructions", "system_wq")):
        if fig.reps and ("cxx", "qroundtrip") in fig.icount and (anchor, "qroundtrip") in fig.icount:
            out.add(key, fig.icount_ratio("cxx", anchor, "qroundtrip"),
                    ("<=", 1.0), f"guest instructions per quiet round trip: C++ module / {what}")


def ratios_overhead(fig, out):
    """What the module costs: its text, signalling against a null read, the
    round trip against the kernel's workqueues."""
    tc, tcc = fig.sizes.get("cxx", {}).get("text"), fig.sizes.get("c", {}).get("text")
    out.add("cxx_over_c_text_size", [ratio(tc, tcc)], ("<=", 1.10), "module text C++ / C (size)")
    out.add("signal_over_null_reads_per_s", fig.tput_geo(CXX, CXX_NULL),
            (">=", 0.90), "reads/s C++ signal=1 / signal=0, geometric mean over the reader counts")
    for p in fig.readers:
        out.add(f"signal_over_null_reads_per_s_{p}r", fig.tput_ratio(CXX, CXX_NULL, p),
                None, f"reads/s C++ signal=1 / signal=0, {p} readers")
    out.add("c_signal_over_null_reads_per_s", fig.tput_geo(C, C_NULL), None, "the same for the C twin")
    out.add("cxx_over_c_null_reads_per_s", fig.tput_geo(CXX_NULL, C_NULL),
            None, "null reads/s C++ / C: the noise floor of a ratio (both do the same work)")
    for name, a, b, target, what in RT_AGAINST_ANCHORS:
        out.add(name, fig.rt_ratio(a, b), target, what)


def compute_ratios(fig):
    out = Ratios()
    ratios_timed(fig, out)
    ratios_counted(fig, out)
    ratios_overhead(fig, out)
    return out


PERCENTILES = ("p50_ns", "p90_ns", "p99_ns", "max_ns", "mean_ns")


def medians(fig):
    """The medians over the rounds of the raw figures, and the instruction
    counts per operation."""
    med_tput = {f"{v}-{m}": {p: median([fig.tput_of(v, m, p, r) for r in fig.rounds]) for p in fig.readers}
                for v in VARIANTS for m in ("signal", "null")}
    med_wake = {f"{v}-{m}": {k: median([fig.wake_of(v, m, k, r) for r in fig.rounds]) for k in PERCENTILES}
                for v in VARIANTS for m in ("rt", "pin", "seq")}
    med_rt = {v: {k: median([fig.dist_of("rt", v, k, r) for r in fig.rounds]) for k in PERCENTILES}
              for v in ("cxx", "c", "wq", "uwq", "kworker", "cxxpin", "cpin", "qcxx", "qc", "qwq", "qkworker")}
    instructions = {}
    for (variant, kind), per in sorted(fig.icount.items()):
        boots = sorted({b for b, _ in per})
        boot_medians = [median([v for (b, _), v in per.items() if b == boot]) for boot in boots]
        values = [per[k] for k in sorted(per)]
        instructions.setdefault(variant, {})[kind] = {
            "per_repeat": [round(v, 1) for v in values], "median": round(median(values), 1),
            "boot_medians": [round(v, 1) for v in boot_medians],
            # how exactly a count repeats: max/min of the boots' medians
            "boot_spread": round(max(boot_medians) / min(boot_medians), 5)}
    return med_tput, med_wake, med_rt, instructions


def build_result(args, fig, ratios, med):
    """bench.json's content."""
    meta = fig.meta
    med_tput, med_wake, med_rt, instructions = med
    return {
        "kernel": meta.get("kernel"),
        "accel": "tcg",
        "cpus": int(meta["cpus"]) if meta.get("cpus") else None,
        "cpu_model": meta.get("cpu_model"),
        "clocksource": meta.get("clocksource"),
        "rounds": len(fig.rounds),
        "slices_per_round": int(meta.get("slices", 1)),
        "knobs": {k: meta.get(k) for k in ("tput_ms", "wake_n", "lat_n", "readers")},
        "complete": fig.done,
        "host": args.host,
        "wall_seconds": {"vm": args.vm_seconds, "make_bench_before_plot": args.total_seconds},
        "size": fig.sizes,
        "sections": fig.sections,
        "instructions": {"method": "QEMU -icount shift=0,sleep=off, 1 vCPU: 1 guest ns = 1 instruction",
                         "kernel": fig.icount_meta.get("kernel"), "per_operation": instructions},
        "ratios": ratios,
        "medians": {"reads_per_s": med_tput, "wake_latency": med_wake, "roundtrip": med_rt},
        "raw": {
            "reads_per_s": fig.tput_raw,
            "wake_latency": [{"variant": v, "mode": m, "round": r, **vals}
                             for (v, m), per in sorted(fig.wake.items()) for r, vals in sorted(per.items())],
            "distributions": [{"kind": k, "variant": v, "round": r, "summary": e["summary"],
                               "bins_ns": sorted(e["bins"].items())}
                              for (k, v), per in sorted(fig.dist.items()) for r, e in sorted(per.items())],
        },
        "checks": fig.checks,
        "trace": fig.trace,
    }


PLOTTED_RATIOS = (("cxx_over_c_reads_per_s", "reads/s"), ("cxx_over_c_wake_p50", "wake p50"),
                  ("cxx_over_c_wake_p99", "wake p99"), ("cxx_over_c_wake_pinned_p50", "wake p50, pinned"),
                  ("cxx_over_c_wake_pinned_p99", "wake p99, pinned"), ("cxx_over_c_roundtrip_p50", "round trip p50"),
                  ("cxx_over_c_roundtrip_pinned_p50", "round trip p50, pinned"),
                  ("cxx_over_c_null_reads_per_s", "null reads/s"),
                  ("cxx_over_c_instructions_per_read", "instr/read"),
                  ("cxx_over_c_instructions_per_null_read", "instr/null read"),
                  ("cxx_over_c_instructions_per_roundtrip", "instr/round trip"))


def write_plot_data(data, fig, ratios):
    """The data files bench/plot.gp draws."""
    with open(f"{data}/tput.dat", "w", encoding="utf-8") as out:
        out.write("# readers, then median min max reads/s of: cxx c cxx-null c-null\n")
        for p in fig.readers:
            cols = [str(p)]
            for v, m in (CXX, C, CXX_NULL, C_NULL):
                vals = [x for x in (fig.tput_of(v, m, p, r) for r in fig.rounds) if x]
                cols += [f"{median(vals):.0f}", f"{min(vals):.0f}", f"{max(vals):.0f}"] if vals else ["?"] * 3
            out.write(" ".join(cols) + "\n")
    for (kind, variant), per in fig.dist.items():
        total = defaultdict(int)
        for entry in per.values():
            for edge, count in entry["bins"].items():
                total[edge] += count
        n = sum(total.values()) or 1
        with open(f"{data}/dist-{kind}-{variant}.dat", "w", encoding="utf-8") as out:
            out.write("# lower bin edge (us, quarter octaves), share of the samples (all rounds)\n")
            for edge in sorted(total):
                out.write(f"{edge / 1e3:.3f} {total[edge] / n:.5f}\n")
    with open(f"{data}/ratios.dat", "w", encoding="utf-8") as out:
        out.write("# x label round ratio\n")
        for x, (name, label) in enumerate(PLOTTED_RATIOS):
            if name not in ratios:
                continue
            for rnd, value in zip(fig.rounds, ratios[name]["per_round"]):
                if value:
                    out.write(f"{x} \"{label}\" {rnd} {value:.4f}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", required=True)
    ap.add_argument("--size", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--data", required=True, help="directory for the plot's data files")
    ap.add_argument("--vm-seconds", type=int, default=None)
    ap.add_argument("--total-seconds", type=int, default=None)
    ap.add_argument("--host", default=None, help="the host's cpus and load, for the record")
    ap.add_argument("--icount", default=None, help="the instruction count's report (scripts/bench-icount.sh)")
    ap.add_argument("--ko", nargs=2, default=None, metavar=("CXX_KO", "C_KO"), help="for the section sizes")
    ap.add_argument("--crc", default=None, help="the CRC throughput's report (scripts/bench-crc.sh)")
    args = ap.parse_args()

    fig = Figures(args)
    ratios = compute_ratios(fig)
    crc = report_crc.Crc(args.crc) if args.crc else None
    if crc:
        report_crc.add_ratios(crc, ratios)
        fig.checks += crc.checks
        fig.done = fig.done and crc.done
    med = medians(fig)
    result = build_result(args, fig, ratios, med)
    if crc:
        result["crc"] = report_crc.result(crc)
    with open(args.json, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=1)
        out.write("\n")
    write_plot_data(args.data, fig, ratios)

    med_tput, med_wake, med_rt, instructions = med
    print_throughput(fig, result, ratios, med_tput, args.host)
    print_latency(med_wake, med_rt)
    print_instructions(fig, instructions)
    if crc:
        report_crc.print_table(crc)
    print_sizes(fig)
    print_ratios(ratios)
    print_checks(fig, args.json)
    return 0 if fig.done and all(c["ok"] for c in fig.checks) else 1


if __name__ == "__main__":
    sys.exit(main())
