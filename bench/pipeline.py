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
from _timing import ACTCLI, ACTCLI_PATH, ENV, PY, report

# The least any Python + polars tool can do for this job: start, import what actcli imports,
# read all of stdin at once, parse, relu, write. No checks, no streaming, no line numbers.
FLOOR = """
import io, sys
import numpy as np, typer, polars as pl
frame = pl.read_csv(io.BytesIO(sys.stdin.buffer.read()), has_header=False,
                    schema={"x": pl.Float64}, quote_char=None)
x = frame["x"].to_numpy()
pl.DataFrame({"x": x, "relu": np.maximum(x, 0)}).write_csv(sys.stdout.buffer)
"""


def main() -> None:
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 2_000_000
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "in.txt")
        np.savetxt(data, np.random.default_rng(0).standard_normal(n), fmt="%.17g")
        floor = os.path.join(tmp, "floor.py")
        with open(floor, "w", encoding="utf-8") as fh:
            fh.write(FLOOR)
        print(f"{n:,} lines")
        report(
            [
                ("mawk '{print ($1>0)?$1:0}' (6 digits)  (baseline)", f"mawk '{{print ($1>0)?$1:0}}' {data}"),
                ("floor: python + numpy, typer, polars; one read, one write", f"{PY} {floor} < {data}"),
                *((f"actcli {cmd} < in.txt", f"{ACTCLI} {cmd} < {data}") for cmd in ("eval relu", "eval gelu", "diff silu")),
            ]
        )  # fmt: skip
        big = os.path.join(tmp, "big.txt")
        with open(big, "w", encoding="ascii") as fh:
            for _ in range(5):
                np.savetxt(fh, np.random.default_rng(1).standard_normal(2_000_000), fmt="%.17g")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        with open(big, "rb") as src:
            subprocess.run(
                [ACTCLI_PATH, "eval", "relu"],
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
