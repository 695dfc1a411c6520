"""Start-up: ``actcli eval relu 1 2 3 --format csv`` against ``python -c "import numpy, typer"``.

Run: python bench/startup.py [--torch-python PATH]

Prints median wall times over 15 interleaved runs (after 2 warm-ups) and ratios to the
baseline. With --torch-python (an interpreter that has torch), also the torch one-liner.
Target: actcli ≤ 1.25× the baseline, and ≥ 10× faster than torch.
"""

from __future__ import annotations

import argparse
import shlex

from _timing import ACTCLI, PY, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-python", help="a Python with torch installed")
    args = parser.parse_args()
    rows = [('python -c "import numpy, typer"  (baseline)', f'{PY} -c "import numpy, typer"')]
    for cmd in ("eval relu 1 2 3 --format csv", "eval gelu 1 2 3 --format csv", "--version"):
        rows.append((f"actcli {cmd}", f"{ACTCLI} {cmd}"))
    if args.torch_python:
        code = "import torch; print(torch.relu(torch.tensor([1., 2., 3.])))"
        rows.append(
            (
                "torch one-liner (relu of 3 numbers)",
                f"{shlex.quote(args.torch_python)} -c {shlex.quote(code)}",
            )
        )
    report(rows)


if __name__ == "__main__":
    main()
