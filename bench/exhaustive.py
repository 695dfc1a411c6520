"""Exhaustive float32 gelu — every input's value evaluated, then checked — with ``--jobs``.

Run: python bench/exhaustive.py [JOBS ...] [--sample K]

All 4,278,190,080 finite float32 are too many for a bench run, so it measures a sample of the
sweep spread over all of it: K shards of 1/(16·K) each (``--shard I/(16K)``, I = 8, 24, 40,
...; K = 8 by default: 1/16 of the sweep, 2^28 rows), each evaluated to a ``.npy``
(``eval gelu --all float32 --dtype float32 --shard I/N -j J -o part.npy``) and checked
(``check gelu part.npy --dtype float32 --tol 0.5 -j J``), for each J given (default: 1 and
every core). Printed per J: the rows, wall seconds of eval and of check, rows per second, rows
per CPU second (the rate per core, whatever else the machine runs), the peak memory of each
command (its largest process), and the whole sweep's wall time and CPU time extrapolated from
the sample (× 16). Target: the whole sweep, eval + check, within 15 minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import ACTCLI_PATH, ENV

from actcli.inputs import every_count

_PEAK = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_maxrss, u.ru_utime + u.ru_stime)"
)
FULL = 2 * 0x7F800000  # finite float32, ±0 both


def _run(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (all its processes) and peak MB (the largest of them) of one
    command."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, *args], env=ENV, check=True, capture_output=True, text=True
    )
    peak, cpu = out.stdout.split()
    return time.perf_counter() - start, float(cpu), int(peak) / 1024


def measure(jobs: int, sample: int, folder: Path) -> dict[str, float]:
    parts = 16 * sample
    rows = 0
    seconds = {"eval": 0.0, "check": 0.0}
    cpu = {"eval": 0.0, "check": 0.0}
    peak = {"eval": 0.0, "check": 0.0}
    for i in range(8, parts, 16):
        table = folder / "part.npy"
        shard = ["--shard", f"{i}/{parts}", "-j", str(jobs)]
        evaluate = [ACTCLI_PATH, "eval", "gelu", "--all", "float32", "--dtype", "float32"]
        s, c, mb = _run([*evaluate, *shard, "-o", str(table)])
        seconds["eval"] += s
        cpu["eval"] += c
        peak["eval"] = max(peak["eval"], mb)
        check = [ACTCLI_PATH, "check", "gelu", str(table), "--dtype", "float32", "--tol", "0.5"]
        s, c, mb = _run([*check, "-j", str(jobs), "--format", "json"])
        seconds["check"] += s
        cpu["check"] += c
        peak["check"] = max(peak["check"], mb)
        rows += every_count("float32", shard=(i, parts))
    total = seconds["eval"] + seconds["check"]
    used = cpu["eval"] + cpu["check"]
    return {
        "jobs": jobs,
        "rows": rows,
        "eval_s": seconds["eval"],
        "check_s": seconds["check"],
        "rows_per_s": rows / total,
        "per_core": rows / used,  # rows per CPU second: what a core does, however busy
        "cpu_s": used,
        "eval_mb": peak["eval"],
        "check_mb": peak["check"],
        "whole_min": total * FULL / rows / 60,
        "whole_cpu_min": used * FULL / rows / 60,
    }


def main() -> None:
    args = sys.argv[1:]
    sample = 8
    if "--sample" in args:
        at = args.index("--sample")
        sample = int(args[at + 1])
        del args[at : at + 2]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs = [int(a) for a in args] or sorted({1, cores or 1})
    print(f"exhaustive float32 gelu, a sample of 1/16 of the sweep in {sample} shards\n")
    head = f"{'jobs':>4} {'rows':>12} {'eval s':>8} {'check s':>8} {'rows/s':>11} {'per core':>10}"
    print(head + f" {'eval MB':>8} {'check MB':>9} {'whole sweep':>12} {'CPU':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for j in jobs:
            m = measure(j, sample, Path(tmp))
            print(
                f"{j:>4} {m['rows']:>12,} {m['eval_s']:>8.1f} {m['check_s']:>8.1f} "
                f"{m['rows_per_s']:>11,.0f} {m['per_core']:>10,.0f} {m['eval_mb']:>8.0f} "
                f"{m['check_mb']:>9.0f} {m['whole_min']:>9.1f} min {m['whole_cpu_min']:>6.1f} min"
            )
            print(json.dumps(m), file=sys.stderr)


if __name__ == "__main__":
    main()
