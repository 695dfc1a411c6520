"""An activation in a Jupyter notebook: its rich display (HTML, LaTeX, SVG).

IPython calls :meth:`Activation._repr_html_` and friends, which land here. The HTML is static
(no scripts, no network): the formula as MathJax-ready ``$…$`` LaTeX, an inline SVG of f and
f′ drawn by :mod:`actcli.plotting` with matplotlib's SVG backend (pyplot untouched), and the key
properties (range, monotonic, smoothness, f(0), f′(0), kinks with each dialect's f′), so a
notebook shows the same on GitHub and nbviewer as in Jupyter. Only the SVG pays for matplotlib,
and only when a notebook asks for it.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation

SVG_SIZE = (4.2, 2.6)  # inches: beside the properties in a notebook cell, legible at 100 %
SVG_STEPS = 401  # points per curve: smooth at this size, and the SVG stays ~50 kB
SHOWN = ("range", "monotonic", "bounded", "smoothness", "f_at_0", "f_prime_at_0")


def view_range(act: Activation) -> tuple[float, float]:
    """The x range of the picture: plot's default ±5, widened to show every kink with room
    on both sides (threshold at 20 is drawn from −30 to 30), at most ±1000."""
    far = max((abs(k) for k in act.kinks if math.isfinite(k)), default=0.0)
    half = min(max(5.0, 1.5 * far), 1000.0)
    return -half, half


def latex(act: Activation) -> str:
    """``$\\operatorname{name}(x) = …$``: the record's LaTeX, for MathJax or a LaTeX document."""
    name = act.name.replace("_", "\\_")
    head = f"\\operatorname{{{name}}}(x)" + ("_i" if act.kind == "vector" else "")
    if act.definition.family == "expression":  # a formula in x is its own name
        head = "f(x)"
    return f"$\\displaystyle {head} = {act.latex}$"


def svg(act: Activation) -> str:
    """f and f′ (∂f/∂x along one input for a vector activation) over :func:`view_range`, as
    an ``<svg>`` element; kinks drawn as ``plot`` draws them."""
    from actcli import curves, plotting

    x = curves.grid(*view_range(act), SVG_STEPS)
    drawn = curves.curves(act, x, 1, [0.0], curves.Label(act.spec))
    look = plotting.Look(size=SVG_SIZE, dpi=72, fontsize=8.0)
    return plotting.svg(plotting.figure([plotting.Panel(drawn, x)], look=look), look)


def properties(act: Activation) -> list[tuple[str, str]]:
    """The key properties as (label, text) rows, as ``compare`` words them."""
    from actcli import comparison

    if act.kind != "elementwise":
        return [("range", act.range), ("kind", "vector: acts on a whole axis")]
    x = np.linspace(*view_range(act), 2001)
    shown = comparison.display(comparison.properties(act, x))
    return [(comparison.LABELS[key], _text(shown[comparison.LABELS[key]])) for key in SHOWN]


def kink_rows(act: Activation) -> tuple[list[str], list[list[str]]]:
    """The kinks: where, f′ from the left and right, and f′ *at* the kink in each dialect."""
    from actcli import explain
    from actcli.catalog import dialects

    rows = explain.kink_rows(act) if act.kind == "elementwise" else []
    head = ["x", "f′ left", "f′ right", *(f"f′ ({d})" for d in dialects.DIALECTS)]
    body = [
        [
            _text(r["at"]),
            _text(r["f_prime_left"]),
            _text(r["f_prime_right"]),
            *(_text(r[f"f_prime_{d}"]) for d in dialects.DIALECTS),
        ]
        for r in rows
    ]
    return head, body


def to_html(act: Activation) -> str:
    """The whole card: heading, formula, picture, properties, kinks, reference."""
    e = html.escape
    parts = [
        '<div class="actcli-activation" style="display:flex;flex-wrap:wrap;gap:1em;'
        'align-items:flex-start">',
        '<div style="flex:0 0 auto">',
        svg(act),
        "</div>",
        '<div style="flex:1 1 20em;min-width:16em">',
        f"<h4 style='margin:0'>{e(act.spec)} <small>(dialect {e(act.dialect)})</small></h4>",
        f"<p>{e(latex(act))}</p>",
        _table(["property", "value"], [list(r) for r in properties(act)]),
    ]
    head, body = kink_rows(act)
    if body:
        parts += ["<p style='margin-bottom:0'>kinks</p>", _table(head, body)]
    if act.reference:
        parts.append(f"<p><small>{e(act.reference)}</small></p>")
    parts.append("</div></div>")
    return "\n".join(parts)


def _table(head: list[str], body: list[list[str]]) -> str:
    e = html.escape
    th = "".join(f"<th style='text-align:left'>{e(h)}</th>" for h in head)
    rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in body)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{rows}</tbody></table>"


def _text(value: Any) -> str:
    """A cell: numbers as the shortest round-trip repr (−0 kept), the rest as text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    return str(value)
