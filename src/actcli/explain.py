"""What ``actcli info`` says about an activation: everything computed, nothing typed twice.

Formulas come from the registry (plain text, LaTeX) and from :mod:`actcli.symbolic` (sympy's
pretty print of f and f′, stored for the catalog); properties from :mod:`actcli.comparison`;
kinks from every dialect's binding of the activation; known problems are derived from the
properties. The document's keys are ASCII snake_case (JSON-friendly) and its numbers are
numbers; :data:`LABELS` holds what a table or text calls them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import actcli
from actcli import comparison, snippets, symbolic
from actcli.catalog import dialects
from actcli.catalog.binding import Activation
from actcli.formats import Table, flatten

GRID = np.linspace(-10.0, 10.0, 4001)

# Human labels of the document's keys: section titles, and the kinks table's columns.
LABELS = {
    "uses": "where it is used",
    "formula": "formula",
    "parameters": "parameters",
    "constants": "constants",
    "properties": f"properties (range and extrema over all x; the rest on [−{GRID[-1]:g}, {GRID[-1]:g}])",
    "kinks": "kinks: the derivative at each, per dialect",
    "problems": "known problems",
    "framework_errors": "where the frameworks are off (recorded, shown against mpmath)",
    "frameworks": "in code",
    "libraries": "in model libraries (actcli identify NAME says more)",
    "reference": "reference",
    "at": "at",
    "jump_order": "jumps",
    "f_prime_left": "f′ left",
    "f_prime_right": "f′ right",
    **{f"f_prime_{dialect}": f"f′ ({dialect})" for dialect in dialects.DIALECTS},
}
JUMPS = ("f", "f′", "f″")  # what jumps at a kink, by jump_order


def _paragraphs(text: str) -> str:
    """Docstring notes with their line breaks undone (blank lines still separate paragraphs)."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def _problems(act: Activation, props: dict[str, Any]) -> list[str]:
    """Known problems, read off the computed properties."""
    out = []
    dy = np.asarray(act.derivative(GRID))
    if not dy.any():
        return ["zero gradient almost everywhere: it cannot be trained by gradient descent"]
    if not act.kinks and not np.asarray(act.derivative(GRID, order=2)).any():
        out.append(
            "linear: stacked linear layers collapse into one linear map, so a network without "
            "non-linear activations is a linear model however deep it is"
        )
    if dy[0] == 0:
        last = int(np.argmax(dy != 0)) - 1 if (dy != 0).any() else len(GRID) - 1
        out.append(
            f"zero gradient for x ≤ {GRID[last]:g}: a unit whose inputs stay there stops "
            "learning (the dying-ReLU problem)"
        )
    saturation = props["saturates"]
    if isinstance(saturation, list) and saturation:
        text = comparison.saturation_text(saturation)
        if len(saturation) == 2:
            out.append(
                f"saturates on both sides ({text}): gradients vanish through deep stacks "
                "unless inputs are normalised"
            )
        elif not out:
            out.append(f"saturates for {text}: little gradient flows there")
    mean = props["gaussian_mean"]
    if isinstance(mean, float) and abs(mean) > 0.1:
        out.append(
            f"not zero-centred: E[f(z)] = {mean:.3g} for z ~ N(0, 1), which shifts the next "
            "layer's inputs"
        )
    if act.definition.family == "smooth" and act.name not in ("exponential", "identity"):
        out.append("costs a transcendental function (exp, erf or tanh) per element")
    return out


def kink_rows(act: Activation) -> list[dict[str, Any]]:
    """Each kink: where, f′ from either side, f′ at the point in every dialect."""
    kinks = act.kink_points
    if not kinks:
        return []
    bound = {
        dialect: actcli.get(act.spec, dialect=dialect).kink_points for dialect in dialects.DIALECTS
    }
    rows = []
    for i, k in enumerate(kinks):
        row: dict[str, Any] = {
            "at": k.at,
            "jump_order": k.jump_order,
            "f_prime_left": k.left[0],
            "f_prime_right": k.right[0],
        }
        for dialect, other in bound.items():
            row[f"f_prime_{dialect}"] = other[i].d1 if i < len(other) else math.nan
        rows.append(row)
    return rows


QUANTITIES = {"y": "f", "dy": "f′", "jacobian": "the Jacobian"}


def framework_errors(act: Activation) -> list[dict[str, Any]]:
    """The recorded inaccuracies of the frameworks computing this very function (the same
    parameter values, each framework's spec bound in its own dialect), one per framework,
    quantity and reason, with where they were measured."""
    from actcli.catalog.framework_errors import KNOWN_FRAMEWORK_ERRORS

    out: dict[tuple[str, str, str], dict[str, str]] = {}
    for e in KNOWN_FRAMEWORK_ERRORS:
        if e.spec.partition(":")[0] != act.name:
            continue
        if dict(actcli.get(e.spec, dialect=e.framework).params) != dict(act.params):
            continue
        where = _where(e.region, e.case)
        first = {
            "framework": e.framework,
            "quantity": QUANTITIES[e.quantity],
            "where": where,
            "reason": e.reason,
        }
        entry = out.setdefault((e.framework, e.quantity, e.reason), first)
        if where not in entry["where"].split("; "):
            entry["where"] += "; " + where
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}  # one kernel behind several
    for entry in out.values():
        key = (entry["quantity"], entry["where"], entry["reason"])
        merged.setdefault(key, {"frameworks": [], **entry})["frameworks"].append(entry["framework"])
    return [{k: v for k, v in entry.items() if k != "framework"} for entry in merged.values()]


def _number(v: float) -> str:
    return "∞" if v == math.inf else "−∞" if v == -math.inf else f"{v:g}".replace("-", "−")


def _where(region: tuple[tuple[float, float], ...], case: tuple[float, ...] | None) -> str:
    if case is not None:
        return "at x = (" + ", ".join(_number(v) for v in case) + ")"
    tiny = 2.2250738585072014e-308
    if region == ((-tiny, tiny),):
        return "for subnormal x"
    return "for x in " + " ∪ ".join(f"[{_number(a)}, {_number(b)}]" for a, b in region)


def _fully_masked(act: Activation) -> str:
    """What a row that is entirely −inf (a fully masked one) gives in each dialect whose
    framework has the activation, computed from the dialects (tests/test_parity.py holds them
    to the frameworks' recorded answers); "" for elementwise and gated activations."""
    d = act.definition
    if act.kind != "vector" or d.family == "gated" or not d.code:
        return ""
    row = np.full(3, -math.inf)
    gives: dict[str, list[str]] = {}
    for dialect in d.code:
        y = np.asarray(actcli.get(act.spec, dialect=dialect)(row))
        text = _number(float(y[0])) if (y == y[0]).all() or np.isnan(y).all() else None
        value = f"{text} in every entry" if text else "(" + ", ".join(map(_number, y)) + ")"
        gives.setdefault(value, []).append(dialect)
    said = "; ".join(f"{value} ({', '.join(names)})" for value, names in gives.items())
    return f"A fully masked row, (−∞, −∞, −∞), gives {said}."


def explain(act: Activation) -> dict[str, Any]:
    """Everything ``info`` shows, as plain data (JSON-ready apart from NaN and ±inf).

    A property or formula that cannot be computed for a formula in x is the string
    "not available (reason)" (see :func:`actcli.comparison.available`); the rest is there.
    """
    d = act.definition
    doc: dict[str, Any] = {
        "name": act.name,
        "spec": act.spec,
        "dialect": act.dialect,
        "kind": act.kind,
        "family": d.family,
        "aliases": list(d.aliases),
        "summary": d.summary,
        "uses": d.uses,
        "notes": "\n\n".join(filter(None, (_paragraphs(d.notes), _fully_masked(act)))),
        "formula": d.formula,
        "derivative": d.derivative_formula,
        "latex": d.latex,
        "reference": d.reference,
        "range": d.range,
        "parameters": [
            {
                "name": p.name,
                "value": act.params[p.name],
                "symbol": symbolic.SYMBOLS.get(p.name, p.name),
                "domain": ", ".join(p.choices) if p.choices else p.domain,
                "meaning": p.doc,
                "defaults": {
                    dialect: dialects.framework_default(dialect, act.name, p.name, p.default)
                    for dialect in dialects.DIALECTS
                },
                **_kept(act.name, p.name),
            }
            for p in d.params
        ],
        "constants": [
            {"symbol": c.symbol, "value": float(c.digits), "digits": c.digits, "note": c.note}
            for c in d.constants
        ],
        "dialect_differences": dialects.differences(act.name),
        "framework_errors": framework_errors(act),
        "frameworks": snippets.frameworks(act),
    }
    if act.kind == "elementwise" and act.name in _catalog_names():
        from actcli.identify import library_names

        doc["libraries"] = library_names(act)
    if act.kind == "elementwise":
        doc["sympy"] = comparison.available(lambda: symbolic.forms(act))
        props = comparison.properties(act, GRID)
        doc["properties"] = props
        doc["kinks"] = kink_rows(act)
        doc["problems"] = _problems(act, props)
    return doc


def _catalog_names() -> list[str]:
    from actcli.catalog.registry import names

    return names()


def _kept(activation: str, param: str) -> dict[str, Any]:
    """A framework default actcli does not take, said as a difference (torch's softplus)."""
    why = dialects.kept(activation, param)
    return {"not_taken": why} if why else {}


def table(doc: dict[str, Any]) -> Table:
    """:func:`explain`'s document as key/value rows (``info --format csv|tsv``): dotted keys
    (``parameters.1.name``), one scalar each."""
    return Table(["key", "value"], [[key, value] for key, value in flatten(doc)])
