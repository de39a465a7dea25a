# SPDX-License-Identifier: GPL-2.0
"""make bench's table on stdout, from bench/report.py's figures: throughput,
latency, instruction counts, sizes, the ratios against their targets, the
guest's checks."""


def fmt_ns(ns):
    if ns is None:
        return "-"
    if ns >= 1_000_000:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1_000:
        return f"{ns / 1e3:.1f} us"
    return f"{ns:.0f} ns"


def fmt_ratio(r):
    return "-" if r is None else f"{r:.3f}"


def print_throughput(fig, result, ratios, med_tput, host):
    print()
    print(f"make bench: Linux {result['kernel']}, QEMU TCG, {result['cpus']} cpus, "
          f"clocksource {result['clocksource']}, {len(fig.rounds)} rounds x {result['slices_per_round']} "
          f"alternating slices; medians over the rounds")
    if host:
        print(f"host: {host}")
    print()
    print("reads/s (log_events=0)          " + "".join(f"{p:>9}r" for p in fig.readers))
    for key, label in (("cxx-signal", "C++ module"), ("c-signal", "C twin"),
                       ("cxx-null", "C++ null read (signal=0)"), ("c-null", "C twin null read")):
        print(f"  {label:30}" + "".join(f"{med_tput[key][p] or 0:>10.0f}" for p in fig.readers))
    print("  C++/C per round (geomean)     " + " ".join(fmt_ratio(x) for x in ratios["cxx_over_c_reads_per_s"]["per_round"]))
    print()


def print_latency(med_wake, med_rt):
    print(f"{'latency':44}{'p50':>10}{'p90':>10}{'p99':>10}{'max':>10}")
    rows = (("wake, C++ (complete() -> thread runs)", med_wake["cxx-rt"]),
            ("wake, C twin", med_wake["c-rt"]),
            ("post -> handled, C++, free-running reader", med_wake["cxx-seq"]),
            ("post -> handled, C twin, free-running", med_wake["c-seq"]),
            ("round trip read(), C++ (roundtrip=1)", med_rt["cxx"]),
            ("round trip read(), C twin", med_rt["c"]),
            ("round trip read(), workqueue (per-CPU)", med_rt["wq"]),
            ("round trip read(), unbound workqueue", med_rt["uwq"]),
            ("round trip read(), kthread_worker", med_rt["kworker"]),
            ("pinned to CPU 0: wake, C++", med_wake["cxx-pin"]),
            ("pinned to CPU 0: wake, C twin", med_wake["c-pin"]),
            ("pinned to CPU 0: round trip, C++", med_rt["cxxpin"]),
            ("pinned to CPU 0: round trip, C twin", med_rt["cpin"]))
    for label, s in rows:
        print(f"  {label:42}" + "".join(f"{fmt_ns(s[k]):>10}" for k in ("p50_ns", "p90_ns", "p99_ns", "max_ns")))
    print()


def print_instructions(fig, instructions):
    if not instructions:
        return
    print(f"guest instructions per operation (-icount, 1 vCPU, {len(fig.reps)} repeats over "
          f"{len({b for b, _ in fig.reps})} boots; median, and the boots' medians max/min)")
    print(f"  {'':28}{'C++':>24}{'C twin':>24}")
    for kind, label in (("read", "signalling read"), ("null", "null read (signal=0)"),
                        ("roundtrip", "round trip (roundtrip=1)"), ("qroundtrip", "round trip, quiet=1"),
                        ("load", "insmod + rmmod")):
        cells = []
        for v in ("cxx", "c"):
            e = instructions.get(v, {}).get(kind)
            cells.append(f"{e['median']:>12.0f} ({e['boot_spread']:.4f})" if e else f"{'-':>21}")
        print(f"  {label:28}" + "".join(f"{c:>24}" for c in cells))
    for v, label in (("kworker", "round trip, quiet=1: kthread_worker"), ("wq", "round trip, quiet=1: system_wq")):
        e = instructions.get(v, {}).get("qroundtrip")
        if e:
            print(f"  {label:52}{e['median']:>12.0f} ({e['boot_spread']:.4f})")
    print()


def print_sizes(fig):
    print(f"{'.ko size':22}{'text':>8}{'data':>8}{'bss':>8}")
    for v, label in (("cxx", "kthread.ko (C++)"), ("c", "ctwin.ko (C)")):
        s = fig.sizes.get(v, {})
        print(f"  {label:20}{s.get('text', 0):>8}{s.get('data', 0):>8}{s.get('bss', 0):>8}")
    if fig.sections:
        print(f"  {'text by section':32}{'C++':>8}{'C':>8}")
        for name in sorted(set(fig.sections["cxx"]) | set(fig.sections["c"])):
            a, b = fig.sections["cxx"].get(name, 0), fig.sections["c"].get(name, 0)
            print(f"  {name:32}{a:>8}{b:>8}{a - b:>+8}")
    print()


TABLED_RATIOS = (
    "cxx_over_c_instructions_per_read", "cxx_over_c_instructions_per_null_read",
    "cxx_over_c_instructions_per_roundtrip", "cxx_over_c_instructions_per_quiet_roundtrip",
    "cxx_over_c_instructions_per_load_unload", "quiet_roundtrip_over_kthread_worker_instructions",
    "quiet_roundtrip_over_workqueue_instructions",
    "cxx_over_c_reads_per_s", "cxx_over_c_wake_p50", "cxx_over_c_wake_p99",
    "cxx_over_c_text_size", "signal_over_null_reads_per_s", "roundtrip_over_workqueue_p50",
    "cxx_over_c_wake_pinned_p50", "cxx_over_c_wake_pinned_p99", "cxx_over_c_roundtrip_p50",
    "cxx_over_c_roundtrip_pinned_p50", "cxx_over_c_null_reads_per_s",
    "signal_over_null_reads_per_s_1r", "c_signal_over_null_reads_per_s",
    "roundtrip_over_kthread_worker_p50", "roundtrip_over_unbound_workqueue_p50",
    "pinned_roundtrip_over_workqueue_p50", "quiet_roundtrip_pinned_over_kthread_worker_p50",
    "quiet_roundtrip_pinned_over_workqueue_p50", "c_quiet_roundtrip_pinned_over_kthread_worker_p50")


def print_ratios(ratios):
    print(f"{'ratio':48}{'median':>8}  {'target':9} {'':7} per round (per repeat for instructions)")
    for name in TABLED_RATIOS:
        if name not in ratios:
            continue
        e = ratios[name]
        met = {True: "met", False: "MISSED", None: ""}[e.get("met")] if "target" in e else ""
        if met and e.get("reliable") is False:
            met += "*"
        print(f"  {name:46}{fmt_ratio(e['median']):>8}  {e.get('target', ''):9} {met:7} "
              + " ".join(fmt_ratio(x) for x in e["per_round"]))
    print("  * the rounds disagree by more than 2x (without the outermost two): host noise, not the code")
    print()


def print_checks(fig, json_path):
    for c in fig.checks:
        print(f"check {c['name']}: {'ok' if c['ok'] else 'FAILED'} {c['detail']}")
    if fig.trace:
        print("trace (tracefs, 3 reads with the module's defaults):")
        for t in fig.trace:
            print("  " + t.strip())
    print()
    print(f"figures: {json_path}")
