"""Formulas as sympy expressions: f and f′ pretty-printed and in LaTeX (sympy imported lazily).

Used to show a formula and its derivative (``actcli info``). These are for reading, not for
computing: the numbers always come from the exact implementations. Each catalog record holds
its own sympy form (the ``sympy`` field of :class:`~actcli.catalog.records.Definition`);
this module is the machinery around it. Parameters stay symbols (α for negative_slope), so
the formula reads as in the paper and holds for any parameter values; constants that are exact
decimals (0.044715, 1.702) are exact rationals; SELU's λ and α stay symbols (their digits are
in ``info``'s constants).

Printing the catalog's forms takes sympy seconds (import, differentiation, simplification), so
they are printed once by ``tools/gen_forms.py`` into :mod:`actcli.catalog._forms`, and
:func:`forms` reads them from there: sympy is imported only for formulas in x. A test
regenerates them and compares (:func:`catalog_forms`).
"""

from __future__ import annotations

import contextlib
import itertools
from typing import TYPE_CHECKING

from actcli.catalog.binding import Activation
from actcli.catalog.records import Definition
from actcli.catalog.registry import definitions

if TYPE_CHECKING:
    import sympy


# How parameters read in a formula (sympy would print negative_slope as negativeₛₗₒₚₑ).
SYMBOLS = {
    "negative_slope": "alpha", "alpha": "alpha", "weight": "a", "lambd": "lambda",
    "beta": "beta", "threshold": "theta", "value": "v", "min_val": "a", "max_val": "b", "max_value": "M",
    "lower": "l", "upper": "u", "slope": "s", "frequency": "a", "w0": "omega_0",
    "scale": "s", "bias": "b", "b": "b", "temperature": "T",
}  # fmt: skip


def expression(act: Activation) -> sympy.Expr | None:
    """f(x) as a sympy expression with its parameters as symbols (None for vector ones).

    A catalog activation's form is its record's ``sympy`` field; a choice parameter (gelu's
    ``approximate``) takes its value, every real parameter stays a symbol, so the form holds
    for any values of them.
    """
    import sympy as sp

    if act.definition.family == "expression":
        from actcli import expr

        return expr.parse(act.name)[0]
    build = act.definition.sympy
    if build is None:
        return None
    x = sp.Symbol("x", real=True)
    symbols = {
        p.name: (
            act.params[p.name] if p.choices else sp.Symbol(SYMBOLS.get(p.name, p.name), real=True)
        )
        for p in act.definition.params
    }
    result: sympy.Expr = build(sp, x, symbols)
    return result


def derivative(expr: sympy.Expr) -> sympy.Expr:
    """f′(x), simplified where sympy can do so cheaply."""
    import sympy as sp

    x = sp.Symbol("x", real=True)
    d = sp.diff(expr, x)
    if sp.count_ops(d) > 60:  # simplify's time grows fast with size: show large ones as they are
        return d
    try:
        simpler = sp.simplify(d, ratio=1.0)
    except Exception:  # sympy may fail on Piecewise/Max combinations: keep the raw form
        return d
    return simpler if sp.count_ops(simpler) <= sp.count_ops(d) else d


# sympy wraps a pretty print at the terminal's width when not told one: a fixed width keeps
# the stored forms and the output independent of the terminal (and of being in a pipe)
PRETTY_WIDTH = 80


def pretty(expr: sympy.Expr, unicode: bool = True) -> str:
    import sympy as sp

    return str(sp.pretty(expr, use_unicode=unicode, num_columns=PRETTY_WIDTH))


def latex(expr: sympy.Expr) -> str:
    import sympy as sp

    return str(sp.latex(expr))


# ---------------------------------------------------------------------------------- forms

FORM_KEYS = ("f", "f_prime", "latex_f", "latex_f_prime")
"""The keys of a form (and of ``info``'s ``sympy`` section): f and f′, pretty and LaTeX."""


def variant(act: Activation) -> str:
    """The key of an activation's stored forms: its name and its choice parameters' values
    (``gelu:approximate=tanh``); real parameters are symbols in the form, so they don't count."""
    choices = [f"{p.name}={act.params[p.name]}" for p in act.definition.params if p.choices]
    return act.name + (":" + ",".join(choices) if choices else "")


def compute(act: Activation) -> dict[str, str] | None:
    """f and f′ pretty-printed and in LaTeX, by sympy (None for vector activations)."""
    expr = expression(act)
    if expr is None:
        return None
    with contextlib.ExitStack() as stack:
        if act.definition.family == "expression":  # a user's formula: its printing is bounded
            from actcli import expr as formulas
            from actcli.expr_limits import budget

            stack.enter_context(budget(formulas.too_costly(act.name)))
        deriv = derivative(expr)
        shown = (pretty(expr), pretty(deriv), latex(expr), latex(deriv))
    return dict(zip(FORM_KEYS, shown, strict=True))


def forms(act: Activation) -> dict[str, str] | None:
    """:func:`compute`'s result: stored for catalog activations, by sympy for formulas in x."""
    if act.definition.family != "expression":
        if act.definition.sympy is None:
            return None
        from actcli.catalog._forms import FORMS

        stored = FORMS.get(variant(act))
        if stored is not None:  # always, unless the store is stale (a test says so)
            return dict(zip(FORM_KEYS, stored, strict=True))
    return compute(act)


def _variants(d: Definition) -> list[Activation]:
    """The activation bound to every combination of its choice parameters' values."""
    choices = [p for p in d.params if p.choices]
    out = []
    for values in itertools.product(*(p.choices for p in choices)):
        params = {p.name: p.default for p in d.params}
        params.update({p.name: v for p, v in zip(choices, values, strict=True)})
        out.append(Activation(d, params, "torch"))
    return out


def catalog_forms() -> dict[str, tuple[str, str, str, str]]:
    """Every catalog form, computed by sympy now: what ``tools/gen_forms.py`` stores."""
    out = {}
    for name in sorted(definitions()):
        d = definitions()[name]
        if d.sympy is None:
            continue
        for act in _variants(d):
            computed = compute(act)
            assert computed is not None
            f, f_prime, latex_f, latex_f_prime = (computed[k] for k in FORM_KEYS)
            out[variant(act)] = (f, f_prime, latex_f, latex_f_prime)
    return out
