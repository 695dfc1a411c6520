"""``actcli info``: catalog activations and a formula, against ``python -c "import numpy, typer"``.

Run: python bench/info.py [--actcli PATH]

Prints median wall times over 15 interleaved runs (after 2 warm-ups) and ratios to the
baseline; stdout goes to /dev/null (a pipe: the text that ``info | less`` gets). Target: a
catalog activation ≤ 3× the baseline. The formula pays for sympy (import, parsing,
differentiation, printing), which the catalog's stored forms avoid; it is shown for scale.
"""

from __future__ import annotations

import argparse
import shlex

from _timing import ACTCLI, PY, report

NAMES = ("gelu", "leaky_relu --dialect keras", "softplus:beta=2", "'x*sigmoid(1.702*x)'")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actcli", help="the actcli to time (default: the one beside python)")
    args = parser.parse_args()
    actcli = shlex.quote(args.actcli) if args.actcli else ACTCLI
    rows = [('python -c "import numpy, typer"  (baseline)', f'{PY} -c "import numpy, typer"')]
    rows += [(f"actcli info {name}", f"{actcli} info {name}") for name in NAMES]
    report(rows)


if __name__ == "__main__":
    main()
