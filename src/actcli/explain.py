"""What ``actcli info`` says about an activation: everything computed, nothing typed twice.

Formulas come from the registry (plain text, LaTeX) and from :mod:`actcli.symbolic` (sympy's
pretty print of f and f′); properties from :mod:`actcli.comparison`; kinks from every dialect's
binding of the activation; known problems are derived from the properties.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import actcli
from actcli import comparison, symbolic
from actcli.catalog import dialects
from actcli.catalog.registry import Activation

GRID = np.linspace(-10.0, 10.0, 4001)
FRAMEWORK_MODULES = {"torch": "torch.nn.functional as F", "keras": "keras", "jax": "jax"}


def _paragraphs(text: str) -> str:
    """Docstring notes with their line breaks undone (blank lines still separate paragraphs)."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def _problems(act: Activation, props: dict[str, Any]) -> list[str]:
    """Known problems, read off the computed properties."""
    out = []
    dy = np.asarray(act.derivative(GRID))
    if not dy.any():
        return ["zero gradient almost everywhere: it cannot be trained by gradient descent"]
    if dy[0] == 0:
        last = int(np.argmax(dy != 0)) - 1 if (dy != 0).any() else len(GRID) - 1
        out.append(
            f"zero gradient for x ≤ {GRID[last]:g}: a unit whose inputs stay there stops "
            "learning (the dying-ReLU problem)"
        )
    saturation = props[comparison.SATURATES]
    if "x >" in saturation and "x <" in saturation:
        out.append(
            f"saturates on both sides ({saturation}): gradients vanish through deep stacks "
            "unless inputs are normalised"
        )
    elif saturation != "none" and not out:
        out.append(f"saturates for {saturation}: little gradient flows there")
    mean = float(props[comparison.MEAN])
    if abs(mean) > 0.1:
        out.append(
            f"not zero-centred: E[f(z)] = {mean:.3g} for z ~ N(0, 1), which shifts the next "
            "layer's inputs"
        )
    if act.definition.family == "smooth" and act.name not in ("exponential", "identity"):
        out.append("costs a transcendental function (exp, erf or tanh) per element")
    return out


# The keyword arguments torch's function takes under actcli's (= torch's) names.
TORCH_KWARGS = {
    "leaky_relu": ("negative_slope",), "elu": ("alpha",), "celu": ("alpha",),
    "softplus": ("beta", "threshold"), "gelu": ("approximate",), "rrelu": ("lower", "upper"),
    "hard_tanh": ("min_val", "max_val"), "hard_shrink": ("lambd",), "soft_shrink": ("lambd",),
    "threshold": ("threshold", "value"),
}  # fmt: skip


def _snippets(act: Activation) -> dict[str, str]:
    out = {}
    for framework, call in act.definition.frameworks.items():
        if framework == "torch":
            head = (
                "import torch.nn.functional as F\n" if call.startswith("F.") else "import torch\n"
            )
            args = "".join(
                f", {k}={act.params[k]!r}"
                for k in TORCH_KWARGS.get(act.name, ())
                if act.params[k] != math.inf  # torch's softplus takes a finite threshold
            )
            out["torch"] = f"{head}y = {call}(x{args})"
        elif framework == "keras":
            target = call if "." in call else f"keras.activations.{call}"
            out["keras"] = f"import keras\ny = {target}(x{_shared_kwargs(act)})"
        elif framework == "jax":
            out["jax"] = f"import jax\ny = {call}(x{_shared_kwargs(act)})"
    return out


def _shared_kwargs(act: Activation) -> str:
    """Keyword arguments for keras and jax, whose defaults differ from torch's: always
    spelled out (gelu's approximate is a bool there; leaky slope and alpha share names)."""
    if act.name == "gelu":
        return f", approximate={act.params['approximate'] == 'tanh'}"
    keys = {"leaky_relu": ("negative_slope",), "elu": ("alpha",), "celu": ("alpha",)}
    return "".join(f", {k}={act.params[k]!r}" for k in keys.get(act.name, ()))


def _kinks(act: Activation) -> list[dict[str, Any]]:
    rows = []
    for i, k in enumerate(act.kink_points):
        row: dict[str, Any] = {
            "at": k.at,
            "jumps": ("f", "f′", "f″")[k.jump_order],
            "f′ left": k.left[0],
            "f′ right": k.right[0],
        }
        for dialect in dialects.DIALECTS:
            other = actcli.get(act.spec, dialect=dialect).kink_points
            row[f"f′ ({dialect})"] = other[i].d1 if i < len(other) else math.nan
        rows.append(row)
    return rows


def explain(act: Activation) -> dict[str, Any]:
    """Everything ``info`` shows, as plain data (JSON-ready apart from NaN)."""
    d = act.definition
    doc: dict[str, Any] = {
        "name": act.name,
        "spec": act.spec,
        "dialect": act.dialect,
        "kind": act.kind,
        "family": d.family,
        "aliases": list(d.aliases),
        "summary": d.summary,
        "notes": _paragraphs(d.notes),
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
                    dialect: dialects.default(dialect, act.name, p.name, p.default)
                    for dialect in dialects.DIALECTS
                },
            }
            for p in d.params
        ],
        "dialect differences": dialects.differences(act.name),
        "frameworks": _snippets(act),
    }
    expr = symbolic.expression(act)
    if expr is not None:
        deriv = symbolic.derivative(expr)
        doc["sympy"] = {
            "f": symbolic.pretty(expr),
            "f′": symbolic.pretty(deriv),
            "latex f": symbolic.latex(expr),
            "latex f′": symbolic.latex(deriv),
        }
    if act.kind == "elementwise":
        props = comparison.properties(act, GRID)
        doc["properties"] = props
        doc["kinks"] = _kinks(act)
        doc["problems"] = _problems(act, props)
    return doc
