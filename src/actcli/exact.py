"""The exact reference, for the rare results float64 cannot round to a narrow type alone.

A float64 result within its error bound of a rounding boundary of float32, float16 or
bfloat16 (the midpoint between two neighbours of the type, or its overflow threshold) could
round either way; :func:`side` decides on which side of that boundary the exact value lies
(Ziv's strategy: the fast float64 path for nearly every result, exact arithmetic for the
few it cannot decide). The exact value is the activation's own formula (its record's sympy
form, what ``info`` prints) at x and its parameters as the exact binary64 numbers they are
(decimal constants inside a definition, such as QuickGELU's 1.702, are exact reals), the
difference from the boundary evaluated by sympy's evalf at whatever precision it takes to
know its sign (``strict``: an answer it cannot vouch for is an error, not a guess).

sympy is imported only when a result needs deciding.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation

# How far (in float64 ULP) a float64 value, f′ and f″ may be from the exact one: README's
# bounds with a wide margin (which costs nothing: a result is looked at exactly only when it
# is this near a boundary of the narrow type, 2^-21 of float32 results for f′)
SLACK = (2.0**8, 2.0**12, 2.0**16)

# Digits of working precision evalf may use to decide one sign (its ``maxn``):
# tanh_shrink(2050) − 2049 is 5e−1781, which needs about 1,800.
MAX_DIGITS = 20_000


def side(act: Activation, order: int, x: float, boundary: float) -> int | None:
    """The sign of f⁽ᵒʳᵈᵉʳ⁾(x) − boundary (−1, 0 or 1) for an elementwise activation, or
    None when it cannot be known exactly: no exact form, a kink (where the dialect's
    convention, not a formula, gives f′), or more precision than MAX_DIGITS."""
    if x in act.kinks:
        return None
    key = (_key(act), order)
    if key not in _FORMS:
        _FORMS[key] = _form(act, order)
    form = _FORMS[key]
    if form is None:
        return None
    quick = _quick_sign(key, form, x, boundary)
    if quick is not None:
        return quick
    import sympy as sp

    at = sp.Rational(x)
    try:
        difference = form.subs(_X, at) - sp.Rational(boundary)
        if difference.is_Rational:
            return int(sp.sign(difference))
        value = difference.evalf(15, maxn=MAX_DIGITS, strict=True)
    except (ValueError, TypeError, ArithmeticError, sp.SympifyError):  # (PrecisionExhausted too)
        return None
    if not value.is_real or not value.is_number or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    return int(sp.sign(value))


def rounded(act: Activation, order: int, x: np.ndarray, y: np.ndarray, name: str) -> np.ndarray:
    """f⁽ᵒʳᵈᵉʳ⁾'s float64 results ``y`` at ``x`` (flat arrays) rounded correctly to the float
    type ``name``: :func:`dtypes.round_correctly` with this order's error bound, the rare
    results near a rounding boundary decided by :func:`side`."""
    from actcli import dtypes

    def decide(i: int, boundary: float) -> int | None:
        return side(act, order, float(x[i]), boundary)

    return dtypes.round_correctly(y, name, SLACK[order], decide)


_X: Any = None  # the symbol x, once sympy is imported


def _key(act: Activation) -> Hashable:
    return (act.definition.name, act.spec, tuple(sorted(act.params.items())), act.dialect)


_FORMS: dict[Hashable, Any] = {}  # (activation, order) -> its form, built once
_NUMERIC: dict[Hashable, Any] = {}  # ... and the form as an mpmath function of x

# Working precisions (bits) of the quick look, and the margin a difference must clear: mpmath
# evaluates each operation to the working precision, so a difference over 2^64 of its ULPs at
# the scale of the operands has its sign right.
QUICK_BITS = (128, 1024, 8192, 32768)
QUICK_MARGIN = 64


def _quick_sign(key: Hashable, form: Any, x: float, boundary: float) -> int | None:
    """The sign of form(x) − boundary from mpmath at rising precision when it is plain (a
    difference far above the working precision's error), else None: evalf decides then
    (exact ties of rational forms, and whatever the quick look cannot vouch for)."""
    import mpmath

    if key not in _NUMERIC:
        import sympy as sp

        try:
            _NUMERIC[key] = sp.lambdify(_X, form, modules="mpmath")
        except Exception:  # a form lambdify cannot print: evalf alone
            _NUMERIC[key] = None
    fn = _NUMERIC[key]
    if fn is None:
        return None
    scale = max(abs(x), abs(boundary), 1.0)
    for bits in QUICK_BITS:
        with mpmath.workprec(bits):
            try:
                difference = fn(mpmath.mpf(x)) - mpmath.mpf(boundary)
            except (ValueError, TypeError, NameError, ZeroDivisionError, OverflowError):
                return None
            if not isinstance(difference, mpmath.mpf) or not mpmath.isfinite(difference):
                return None
            if abs(difference) > mpmath.ldexp(scale, QUICK_MARGIN - bits):
                return 1 if difference > 0 else -1
    return None


def _form(act: Activation, order: int) -> Any:
    """f, f′ or f″ with the parameters' values in, as a sympy expression in x; None for
    activations without one (vector activations, formulas calling catalog functions).

    A record's form is built with the parameters as exact numbers (not printed symbols that
    are substituted afterwards), so that a form can read a parameter the way the
    implementation does (hard_sigmoid's half-width 1/(2·slope) is a binary64)."""
    global _X
    import sympy as sp

    from actcli import symbolic

    _X = sp.Symbol("x", real=True)
    build = act.definition.sympy
    if act.definition.family == "expression":
        form = symbolic.expression(act)
    elif build is None:
        return None
    else:
        values = {
            p.name: act.params[p.name] if p.choices else sp.Rational(float(act.params[p.name]))
            for p in act.definition.params
        }
        form = build(sp, _X, values)
    if form is None:
        return None
    exact = {c.sympy: sp.Rational(c.digits) for c in act.definition.constants if c.sympy}
    form = form.subs({s: exact[s.name] for s in form.free_symbols if s.name in exact})
    if form.free_symbols - {_X}:
        return None  # a constant without its digits: nothing exact to evaluate
    if order:
        form = sp.diff(form, _X, order)
    if form.has(sp.Heaviside, sp.DiracDelta, sp.Subs, sp.Derivative):
        return None  # a kink's convention, or a function sympy cannot differentiate
    return form
