"""Plots drawn in the terminal with uniplot: 4× resolution with Unicode blocks, or ASCII.

Curves come from :mod:`actcli.curves` with their jumps as NaN gaps. Without colour (NO_COLOR,
--no-color, a pipe) the series stay distinguishable: ASCII mode gives each its own character.
"""

from __future__ import annotations

import numpy as np

from actcli.curves import Curve, y_limits
from actcli.errors import UsageError

ASCII_MARKS = "+xo*~.#@%&=$"  # one per curve when there is no colour (uniplot has six)


def render(
    curves: list[Curve],
    x: np.ndarray,
    *,
    width: int,
    height: int,
    title: str,
    ascii_only: bool,
    color: bool,
) -> str:
    """The plot as text (lines joined by newlines, ending with one)."""
    from uniplot import plot_to_string

    lo, hi = (max(min(v, 1e100), -1e100) for v in y_limits(curves, x))  # uniplot squares these
    options: dict[str, object] = {
        "lines": True,
        "legend_labels": [c.label for c in curves],
        "width": max(width, 10),
        "height": max(height, 4),
        "x_min": float(x[0]),
        "x_max": float(x[-1]),
        "y_min": lo,
        "y_max": hi,
        "color": color,
    }
    if title:  # uniplot cannot centre an empty one
        options["title"] = title
    if ascii_only or not color:  # without colour, only distinct characters tell series apart
        if len(curves) > len(ASCII_MARKS):
            raise UsageError(
                f"a terminal plot without colour tells {len(ASCII_MARKS)} curves apart, "
                f"not {len(curves)}: ask for fewer, or write a figure with -o"
            )
        options["character_set"] = "ascii"
        options["force_ascii_characters"] = list(ASCII_MARKS)
    # uniplot cannot place inf: off-scale points are gaps (the y limits are finite anyway)
    pad = hi - lo
    ys = [np.where((c.y >= lo - pad) & (c.y <= hi + pad), c.y, np.nan) for c in curves]
    with np.errstate(all="ignore"):  # uniplot's pixel arithmetic on far off-scale points
        text = plot_to_string(ys, [c.x for c in curves], **options)
    if ascii_only:  # uniplot's frame is box drawing even in its ASCII mode
        text = text.translate(_TO_ASCII).encode("ascii", "replace").decode("ascii")
    return text.rstrip("\n") + "\n"


_TO_ASCII = str.maketrans(
    {"┌": "+", "┐": "+", "└": "+", "┘": "+", "─": "-", "│": "|", "′": "'", "″": "''",
     "▔": "-", "▁": "_", "·": "."}
)  # fmt: skip


def can_draw_blocks(encoding: str | None) -> bool:
    """Whether the output encoding has the Unicode block characters uniplot draws with."""
    try:
        "▀▄█▌▐".encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
