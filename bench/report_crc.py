# SPDX-License-Identifier: GPL-2.0
"""make bench's CRC throughput (scripts/bench-crc.sh, bench/guest/crc.sh):
crcpool.ko's bytes/s in each variant, as ratios of variants measured in the
same round of the same boot (the median over the rounds), for bench/report.py.

Variants: inline1 (the CRC computed in write(), 1 writer), inline (the same,
N writers), pool1 / pool2 / poolN (the pool's 1, 2, N workers, N writers),
wq (a work item on system_wq per request, N writers); N is the guest's CPUs.
"""
from collections import defaultdict
import statistics

SIZES = ((4096, "4k"), (65536, "64k"))
POOLS = (("pool1", "1 worker"), ("pool2", "2 workers"), ("poolN", "N workers"))


def parse(path):
    """meta, {(variant, size): {round: bytes/s}}, checks, done."""
    with open(path, encoding="utf-8", errors="replace") as report:
        lines = [line.split() for line in report]
    meta = {f[1]: " ".join(f[2:]) for f in lines if f[:1] == ["meta"] and len(f) > 1}
    rate = defaultdict(dict)
    for f in (f for f in lines if f[:1] == ["crc"] and len(f) == 7):
        rate[(f[1], int(f[2]))][int(f[3])] = float(f[4])
    checks = [{"name": "crc-" + f[1], "ok": f[2] == "ok", "detail": " ".join(f[3:])}
              for f in lines if f[:1] == ["check"] and len(f) > 2]
    return meta, rate, checks, ["bench-done"] in lines


class Crc:
    def __init__(self, path):
        self.meta, self.rate, self.checks, self.done = parse(path)
        self.rounds = sorted({r for per in self.rate.values() for r in per})
        self.cpus = int(self.meta.get("cpus", "0") or 0)

    def ratio(self, a, b, size):
        """Per round: variant a's bytes/s over variant b's, at size."""
        out = []
        for r in self.rounds:
            x, y = self.rate[(a, size)].get(r), self.rate[(b, size)].get(r)
            out.append(x / y if x and y else None)
        return out

    def medians(self):
        """bytes/s, the median over the rounds, per variant and size."""
        return {f"{v}-{label}": statistics.median(per.values()) if per else None
                for (v, size), per in sorted(self.rate.items()) for s, label in SIZES if s == size}


def add_ratios(crc, out):
    """The CRC keys, into bench/report.py's Ratios."""
    n = crc.cpus
    for size, label in SIZES:
        for variant, what in POOLS:
            target = (">=", round(0.9 * n, 2)) if variant == "poolN" and size == 65536 else None
            out.add(f"crc_{variant}_over_inline1_{label}", crc.ratio(variant, "inline1", size), target,
                    f"CRC bytes/s at {label}: the pool with {what}, {n} writers / computed in write(), 1 writer"
                    + (f" (goal: 0.9 x N = {0.9 * n:g})" if target else ""))
        out.add(f"crc_inline_over_inline1_{label}", crc.ratio("inline", "inline1", size), None,
                f"CRC bytes/s at {label}: computed in write(), {n} writers / 1 writer (the machine's own scaling)")
        out.add(f"crc_poolN_over_inline_{label}", crc.ratio("poolN", "inline", size), None,
                f"CRC bytes/s at {label}: the pool with N workers / computed in write(), both {n} writers")
        out.add(f"crc_poolN_over_wq_{label}", crc.ratio("poolN", "wq", size), None,
                f"CRC bytes/s at {label}: the pool with N workers / a work item on system_wq, both {n} writers")


def result(crc):
    """bench.json's "crc" entry."""
    return {"kernel": crc.meta.get("kernel"), "cpus": crc.cpus, "crc32c_driver": crc.meta.get("crc_impl"),
            "rounds": len(crc.rounds), "slices_per_round": int(crc.meta.get("crc_slices", 1)),
            "ms_per_variant_and_round": crc.meta.get("crc_ms"), "complete": crc.done,
            "medians_bytes_per_s": crc.medians(),
            "raw": [{"variant": v, "size": s, "round": r, "bytes_per_s": b}
                    for (v, s), per in sorted(crc.rate.items()) for r, b in sorted(per.items())]}


def print_table(crc):
    """The medians in MB/s, one line per variant."""
    med = crc.medians()
    print(f"\nCRC32C throughput ({crc.meta.get('kernel')}, {crc.cpus} vCPUs, crc32c: "
          f"{crc.meta.get('crc_impl') or 'lib'}; MB/s, median of {len(crc.rounds)} rounds)")
    print(f"  {'variant':<10} {'4 KiB':>9} {'64 KiB':>9}")
    for v in ("inline1", "inline", "pool1", "pool2", "poolN", "wq"):
        cols = [med.get(f"{v}-{label}") for _, label in SIZES]
        print(f"  {v:<10} " + " ".join(f"{c / 1e6:9.1f}" if c else f"{'?':>9}" for c in cols))


def main(path):
    """scripts/bench-crc.sh alone: the table and the ratios of one report."""
    from report import Ratios  # pylint: disable=import-outside-toplevel
    crc = Crc(path)
    ratios = Ratios()
    add_ratios(crc, ratios)
    print_table(crc)
    print("\nratios (median of the rounds' own; N = %d)" % crc.cpus)
    for name, entry in ratios.items():
        m = entry["median"]
        goal = f"  goal {entry['target']}: {'met' if entry['met'] else 'not met'}" if "target" in entry else ""
        print(f"  {name:<30} {m:6.3f}{goal}" if m else f"  {name:<30}      ?")
    return 0 if crc.done and all(c["ok"] for c in crc.checks) else 1


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1]))
