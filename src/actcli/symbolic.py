"""The catalog's elementwise activations as sympy expressions (sympy is imported lazily).

Used to show a formula and its derivative pretty-printed (``actcli info``) and as LaTeX. These
are for reading, not for computing: the numbers always come from the exact implementations.
Parameters stay symbols (α for negative_slope), so the formula reads as in the paper; constants
that are exact decimals (0.044715, 1.702) are exact rationals; SELU's λ and α stay symbols
(their digits are in ``info``'s constants).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from actcli.catalog.registry import Activation

if TYPE_CHECKING:
    import sympy


def _builders(sp: Any) -> dict[str, Callable[[Any, dict[str, Any]], Any]]:
    """name -> (x, parameter symbols) -> expression."""
    half = sp.Rational(1, 2)

    def sig(z: Any) -> Any:
        return 1 / (1 + sp.exp(-z))

    def softplus(z: Any) -> Any:
        return sp.log(1 + sp.exp(z))

    def leaky(x: Any, a: Any) -> Any:
        return sp.Piecewise((x, x >= 0), (a * x, True))

    return {
        "step": lambda x, p: sp.Piecewise(
            (0, x < p["threshold"]), (p["value"], sp.Eq(x, p["threshold"])), (1, True)
        ),
        "identity": lambda x, p: x,
        "relu": lambda x, p: sp.Max(x, 0),
        "relu6": lambda x, p: sp.Min(sp.Max(x, 0), 6),
        "leaky_relu": lambda x, p: leaky(x, p["negative_slope"]),
        "prelu": lambda x, p: leaky(x, p["weight"]),
        "rrelu": lambda x, p: leaky(x, (p["lower"] + p["upper"]) / 2),
        "threshold": lambda x, p: sp.Piecewise((x, x > p["threshold"]), (p["value"], True)),
        "hard_tanh": lambda x, p: sp.Min(sp.Max(x, p["min_val"]), p["max_val"]),
        "hard_sigmoid": lambda x, p: sp.Min(sp.Max(p["slope"] * x + half, 0), 1),
        "hard_silu": lambda x, p: x * sp.Min(sp.Max(x + 3, 0), 6) / 6,
        "hard_shrink": lambda x, p: sp.Piecewise((x, sp.Abs(x) > p["lambd"]), (0, True)),
        "soft_shrink": lambda x, p: sp.Piecewise(
            (x - p["lambd"], x > p["lambd"]), (x + p["lambd"], x < -p["lambd"]), (0, True)
        ),
        "tanh_shrink": lambda x, p: x - sp.tanh(x),
        "sigmoid": lambda x, p: sig(x),
        "log_sigmoid": lambda x, p: -softplus(-x),
        "tanh": lambda x, p: sp.tanh(x),
        "softsign": lambda x, p: x / (1 + sp.Abs(x)),
        "isru": lambda x, p: x / sp.sqrt(1 + p["alpha"] * x**2),
        "sparse_sigmoid": lambda x, p: sp.Piecewise((0, x <= -1), ((x + 1) / 2, x < 1), (1, True)),
        "sparse_plus": lambda x, p: sp.Piecewise(
            (0, x <= -1), ((x + 1) ** 2 / 4, x < 1), (x, True)
        ),
        "softplus": lambda x, p: softplus(p["beta"] * x) / p["beta"],
        "squareplus": lambda x, p: (x + sp.sqrt(x**2 + p["b"])) / 2,
        "silu": lambda x, p: x * sig(p["beta"] * x),
        "quick_gelu": lambda x, p: x * sig(sp.Rational(1702, 1000) * x),
        "mish": lambda x, p: x * sp.tanh(softplus(x)),
        "gelu": lambda x, p: (
            half * x * (1 + sp.erf(x / sp.sqrt(2)))
            if p["approximate"] == "none"
            else half
            * x
            * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 10**6) * x**3)))
        ),
        "elu": lambda x, p: sp.Piecewise((x, x > 0), (p["alpha"] * (sp.exp(x) - 1), True)),
        "selu": lambda x, p: (
            sp.Symbol("lambda")
            * sp.Piecewise((x, x > 0), (sp.Symbol("alpha") * (sp.exp(x) - 1), True))
        ),
        "celu": lambda x, p: sp.Max(0, x) + sp.Min(0, p["alpha"] * (sp.exp(x / p["alpha"]) - 1)),
        "exponential": lambda x, p: sp.exp(x),
        "squared_relu": lambda x, p: sp.Max(x, 0) ** 2,
        "star_relu": lambda x, p: p["scale"] * sp.Max(x, 0) ** 2 + p["bias"],
        "snake": lambda x, p: x + sp.sin(p["frequency"] * x) ** 2 / p["frequency"],
        "lisht": lambda x, p: x * sp.tanh(x),
        "tanh_exp": lambda x, p: x * sp.tanh(sp.exp(x)),
        "serf": lambda x, p: x * sp.erf(softplus(x)),
        "elish": lambda x, p: sp.Piecewise((x * sig(x), x >= 0), ((sp.exp(x) - 1) * sig(x), True)),
        "sine": lambda x, p: sp.sin(p["w0"] * x),
        "gaussian": lambda x, p: sp.exp(-(x**2)),
        "bent_identity": lambda x, p: (sp.sqrt(x**2 + 1) - 1) / 2 + x,
    }


# How parameters read in a formula (sympy would print negative_slope as negativeₛₗₒₚₑ).
SYMBOLS = {
    "negative_slope": "alpha", "alpha": "alpha", "weight": "a", "lambd": "lambda",
    "beta": "beta", "threshold": "theta", "value": "v", "min_val": "a", "max_val": "b",
    "lower": "l", "upper": "u", "slope": "s", "frequency": "a", "w0": "omega_0",
    "scale": "s", "bias": "b", "b": "b", "temperature": "T",
}  # fmt: skip


def expression(act: Activation) -> sympy.Expr | None:
    """f(x) as a sympy expression with its parameters as symbols (None for vector ones)."""
    import sympy as sp

    if act.definition.family == "expression":
        from actcli import expr

        return expr.parse(act.name)[0]
    build = _builders(sp).get(act.name)
    if build is None:
        return None
    x = sp.Symbol("x", real=True)
    symbols = {
        p.name: (p.default if p.choices else sp.Symbol(SYMBOLS.get(p.name, p.name), real=True))
        for p in act.definition.params
    }
    symbols.update({k: v for k, v in act.params.items() if isinstance(v, str)})
    result: sympy.Expr = build(x, symbols)
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


def pretty(expr: sympy.Expr, unicode: bool = True) -> str:
    import sympy as sp

    return str(sp.pretty(expr, use_unicode=unicode))


def latex(expr: sympy.Expr) -> str:
    import sympy as sp

    return str(sp.latex(expr))
