"""Pipeline throughput and memory: numbers on stdin → CSV ``x,relu``, against mawk.

Run: python bench/pipeline.py [N]   (default N = 2,000,000 lines)

mawk prints 6 significant digits; actcli prints every value exactly (shortest round trip).
Also reports actcli's peak resident memory on 10,000,000 lines (target ≤ 200 MB).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile

import numpy as np
from _timing import ENV, row, wall


def main() -> None:
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 2_000_000
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "in.txt")
        x = np.random.default_rng(0).standard_normal(n)
        np.savetxt(data, x, fmt="%.17g")
        mawk = wall(f"mawk '{{print ($1>0)?$1:0}}' {data}", repeat=5)
        print(f"{n:,} lines; median of 5 runs\n")
        print(f"{'command':<58}{'median s':>8}{'ratio':>8}")
        print(row("mawk '{print ($1>0)?$1:0}' (6 digits)  (baseline)", mawk, mawk))
        for cmd in ("actcli eval relu", "actcli eval gelu", "actcli diff silu"):
            print(row(f"{cmd} < in.txt", wall(f"{cmd} < {data}", repeat=5), mawk))
        big = os.path.join(tmp, "big.txt")
        with open(big, "w", encoding="ascii") as fh:
            for _ in range(5):
                np.savetxt(fh, np.random.default_rng(1).standard_normal(2_000_000), fmt="%.17g")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        with open(big, "rb") as src:
            subprocess.run(
                ["actcli", "eval", "relu"],
                stdin=src,
                stdout=subprocess.DEVNULL,
                env=ENV,
                check=True,
            )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(
            f"\npeak RSS of actcli eval relu on 10,000,000 lines: {max(peak, before) / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
