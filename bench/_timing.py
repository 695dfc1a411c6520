"""Shared helpers for the bench scripts: time shell commands side by side and print ratios."""

from __future__ import annotations

import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Benchmarks run as a user would: with bytecode caches (some environments disable them).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# This interpreter and the actcli installed beside it: a version manager's shim on PATH (pyenv)
# would add its own start-up to one side of a comparison and not the other.
PY = shlex.quote(sys.executable)
_BESIDE = Path(sys.executable).parent / "actcli"
ACTCLI_PATH = str(_BESIDE) if _BESIDE.exists() else "actcli"
ACTCLI = shlex.quote(ACTCLI_PATH)


def _run(command: str) -> float:
    start = time.perf_counter()
    subprocess.run(["bash", "-c", command], env=ENV, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def medians(commands: list[str], repeat: int = 15, warmup: int = 2) -> list[float]:
    """Median wall time of each ``bash -c`` command, in seconds.

    The commands take turns, round after round, so that a machine that slows down or speeds
    up during the run moves every figure alike rather than the ratios.
    """
    for _ in range(warmup):
        for command in commands:
            _run(command)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for i, command in enumerate(commands):
            times[i].append(_run(command))
    return [statistics.median(t) for t in times]


def report(rows: list[tuple[str, str]], repeat: int = 15, warmup: int = 2) -> None:
    """Time (label, command) pairs side by side; the first is the baseline of the ratios."""
    seconds = medians([command for _, command in rows], repeat, warmup)
    print(f"median of {repeat} interleaved runs after {warmup} warm-ups\n")
    print(f"{'command':<58}{'median s':>8}{'ratio':>8}")
    for (label, _), s in zip(rows, seconds, strict=True):
        print(f"{label:<58}{s:>8.3f}{s / seconds[0]:>8.2f}")
