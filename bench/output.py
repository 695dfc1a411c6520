"""Output formats at scale: time and peak memory of each, against CSV in the same run.

Run: python bench/output.py [N]   (default N = 5,000,000 rows)

Two tables: ``eval relu --range 0 1 --steps N`` written as CSV (the baseline), JSON Lines and
one JSON document; and narrow values spelled as their type's shortest strings,
``eval gelu --all float32 --range 1 1.5 --dtype float32`` (4,194,305 rows) as CSV and JSON
Lines, in rows per second. Peak resident memory of each command is measured from outside
(the finished child's rusage, from ``os.wait4``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from _timing import ACTCLI_PATH, ENV

FLOAT32_ROWS = 4_194_305  # the float32 values in [1, 1.5]


def _measure(args: list[str], repeat: int) -> tuple[float, float]:
    """Median seconds and the peak RSS (MB) of ``actcli ARGS > /dev/null``."""
    times, peak = [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen([ACTCLI_PATH, *args], stdout=subprocess.DEVNULL, env=ENV)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)  # (reaped here, not by Popen)
        times.append(time.perf_counter() - start)
        if status != 0:
            raise SystemExit(f"actcli {' '.join(args)} failed ({status})")
        peak = max(peak, usage.ru_maxrss / 1024)
    times.sort()
    return times[len(times) // 2], peak


def _table(title: str, rows: list[tuple[str, list[str]]], count: int, repeat: int) -> None:
    print(f"\n{title}\n")
    print(f"{'command':<62}{'median s':>9}{'ratio':>7}{'rows/s':>12}{'peak MB':>9}")
    base = None
    for label, args in rows:
        seconds, peak = _measure(args, repeat)
        base = base or seconds
        print(
            f"{label:<62}{seconds:>9.2f}{seconds / base:>7.2f}{count / seconds:>12,.0f}{peak:>9.0f}"
        )


def main() -> None:
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 5_000_000
    repeat = 3
    _measure(["eval", "relu", "1"], 1)  # warm-up: bytecode caches
    grid = ["eval", "relu", "--range", "0", "1", "--steps", str(n)]
    _table(
        f"{n:,} rows of eval relu",
        [(f"actcli {' '.join(grid[:2])} ... --format {f}", [*grid, "--format", f])
         for f in ("csv", "jsonl", "json")],
        n,
        repeat,
    )  # fmt: skip
    every = ["eval", "gelu", "--all", "float32", "--range", "1", "1.5", "--dtype", "float32"]
    _table(
        "float32 results spelled as float32 (the shortest string that reads back)",
        [(f"actcli eval gelu --all float32 ... --dtype float32 --format {f}",
          [*every, "--format", f]) for f in ("csv", "jsonl")],
        FLOAT32_ROWS,
        repeat,
    )  # fmt: skip


if __name__ == "__main__":
    main()
