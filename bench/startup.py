"""Start-up: ``actcli eval relu 1 2 3 --format csv`` against ``python -c "import numpy, typer"``.

Run: python bench/startup.py [--torch-python PATH]

Prints median wall times over 15 runs (after 2 warm-ups) and ratios to the baseline, measured
side by side. With --torch-python (an interpreter that has torch), also the torch one-liner.
Target: actcli ≤ 1.25× the baseline, and ≥ 10× faster than torch.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from _timing import row, wall

PY = shlex.quote(sys.executable)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--torch-python", help="a Python with torch installed")
    args = parser.parse_args()
    base = wall(f'{PY} -c "import numpy, typer"')
    print(f"{'command':<58}{'median s':>8}{'ratio':>8}")
    print(row('python -c "import numpy, typer"  (baseline)', base, base))
    for cmd in ("actcli eval relu 1 2 3 --format csv", "actcli eval gelu 1 2 3 --format csv"):
        print(row(cmd, wall(cmd), base))
    print(row("actcli --version", wall("actcli --version"), base))
    if args.torch_python:
        code = "import torch; print(torch.relu(torch.tensor([1., 2., 3.])))"
        torch = wall(f"{shlex.quote(args.torch_python)} -c {shlex.quote(code)}", repeat=7)
        print(row("torch one-liner (relu of 3 numbers)", torch, base))


if __name__ == "__main__":
    main()
