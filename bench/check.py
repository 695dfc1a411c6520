"""``actcli check`` on 10,000,000 float32 rows from a ``.npy``, against ``actcli eval`` on the
same inputs.

Run: python bench/check.py [N]

Makes x (N float32 values swept over [−8, 8], in order), a correctly rounded float32 gelu
table as an (N, 2) ``.npy``, and times ``actcli check gelu table.npy --dtype float32`` (the
summary to a pipe) against ``actcli eval gelu --input x.npy -o out.npy --dtype float32`` (the
same inputs evaluated and written). Median of 5 interleaved runs after 1 warm-up.
Target: check ≤ 3× eval, and its memory flat in the rows: peak RSS is printed for both
commands at N rows and at N/10.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from _timing import ACTCLI, ENV, report

_PEAK = (
    "import resource, subprocess, sys; "
    "subprocess.run(['bash', '-c', sys.argv[1]], stdout=subprocess.DEVNULL, check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _peak_mb(command: str) -> float:
    """Peak RSS of ``command`` alone (a fresh parent for each: the maximum is per parent)."""
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, command], env=ENV, check=True, capture_output=True, text=True
    )
    return int(out.stdout) / 1024  # Linux reports kilobytes


def _commands(folder: Path, rows: int) -> tuple[str, str]:
    """x (``rows`` float32 values swept over [−8, 8], in order) and a correctly rounded
    float32 gelu table of them; the eval and check commands on those files."""
    import actcli

    x = np.linspace(-8.0, 8.0, rows).astype(np.float32)  # a sweep: sorted, as kernels are tested
    y = actcli.get("gelu")(x.astype(np.float64)).astype(np.float32)
    np.save(folder / f"x{rows}.npy", x)
    np.save(folder / f"table{rows}.npy", np.column_stack([x, y]))
    evaluate = (
        f"{ACTCLI} eval gelu --input {folder / f'x{rows}.npy'} -o {folder / 'out.npy'} "
        "--dtype float32"
    )
    return evaluate, f"{ACTCLI} check gelu {folder / f'table{rows}.npy'} --dtype float32 | cat"


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        evaluate, check = _commands(folder, rows)
        print(f"{rows:,} float32 rows\n")
        commands = [
            ("actcli eval gelu --input x.npy -o out.npy (baseline)", evaluate),
            ("actcli check gelu table.npy --dtype float32", check),
        ]
        report(commands, repeat=5, warmup=1)
        print()
        # flat memory: the peak at a tenth of the rows too
        tenth = _commands(folder, rows // 10)
        for n, (e, c) in ((rows, (evaluate, check)), (rows // 10, tenth)):
            print(f"peak RSS, {n:,} rows: eval {_peak_mb(e):.0f} MB, check {_peak_mb(c):.0f} MB")


if __name__ == "__main__":
    main()
