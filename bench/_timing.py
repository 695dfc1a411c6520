"""Shared helpers for the bench scripts: run a shell command repeatedly and time it."""

from __future__ import annotations

import os
import statistics
import subprocess
import time

# Benchmarks run as a user would: with bytecode caches (some environments disable them).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(command: str, repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of ``bash -c command`` in seconds."""
    times = []
    for i in range(warmup + repeat):
        start = time.perf_counter()
        subprocess.run(["bash", "-c", command], env=ENV, check=True, stdout=subprocess.DEVNULL)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(label: str, seconds: float, baseline: float) -> str:
    return f"{label:<58}{seconds:>8.3f}{seconds / baseline:>8.2f}"
