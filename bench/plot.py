"""Figure speed: ``actcli plot relu --range -5 5 -o f.png`` against a bare matplotlib script.

Run: python bench/plot.py

The baseline draws the same curve on a ``matplotlib.figure.Figure`` with the Agg canvas and
saves a PNG, in a fresh interpreter, as actcli does. Median of 7 interleaved runs after 2 warm-ups.
Target: ≤ 1.15×. matplotlib builds its font cache once, on its very first run (seconds);
the warm-ups absorb it here.
"""

from __future__ import annotations

import tempfile

from _timing import ACTCLI, PY, report

BARE = """
import numpy as np
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg
x = np.linspace(-5, 5, 1001)
fig = Figure(figsize=(7, 4.5), dpi=150)
FigureCanvasAgg(fig)
ax = fig.add_subplot()
ax.plot(x, np.maximum(x, 0), label="relu")
ax.legend()
fig.savefig(sys.argv[1])
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        script = f"{tmp}/bare.py"
        with open(script, "w", encoding="utf-8") as fh:
            fh.write("import sys\n" + BARE)
        report(
            [
                ("bare Figure + Agg script (baseline)", f"{PY} {script} {tmp}/bare.png"),
                (
                    "actcli plot relu --range -5 5 -o f.png",
                    f"{ACTCLI} plot relu --range -5 5 -o {tmp}/f.png",
                ),
                (
                    "actcli plot relu --range -5 5 -o f.svg",
                    f"{ACTCLI} plot relu --range -5 5 -o {tmp}/f.svg",
                ),
            ],
            repeat=7,
        )


if __name__ == "__main__":
    main()
