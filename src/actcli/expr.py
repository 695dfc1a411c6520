"""Custom activations from formulas in ``x``: parsed safely, differentiated symbolically.

``x*sigmoid(1.702*x)`` becomes an activation like any other. The text is parsed with Python's
``ast`` and checked against a whitelist, then *built* as a sympy expression node by node:
nothing the user wrote is ever given to ``eval``, ``exec``, ``sympify`` or ``parse_expr``.
Derivatives of any order are symbolic; the numbers come from numpy/scipy code generated from
the sympy tree, in which every catalog activation used as a function keeps its exact
implementation (``softplus(x)`` stays actcli's softplus, its derivative actcli's sigmoid).

Bounded against denial of service: 1,000 characters, 400 nodes, depth 40, constant exponents
up to 64 in magnitude, every constant subexpression within float64's range, symbolic
derivatives that may not grow beyond 20,000 operations, and a CPU-time budget for the
symbolic work (:mod:`actcli.expr_limits`).
"""

from __future__ import annotations

import ast
import functools
import math
import operator
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from actcli.catalog.records import Definition, Param
from actcli.catalog.registry import definitions
from actcli.errors import UsageError
from actcli.expr_limits import SECONDS_VARIABLE, beyond_range, budget, log2_magnitude

MAX_LENGTH = 1000
MAX_NODES = 400
MAX_DEPTH = 100  # a + a + … nests one level per term
MAX_EXPONENT = 64.0
MAX_OPS = 20_000

ELEMENTARY = (
    "exp", "log", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh",
    "arcsin", "arccos", "arctan", "erf", "erfc", "abs",
)  # fmt: skip
SPECIAL = ("min", "max", "where")
CONSTANTS = ("pi", "e")
_SYMBOLIC_NAMES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "abs": "Abs"}


class ExpressionError(UsageError):
    """The text is not an expression actcli accepts; the message points at the spot."""

    def __init__(self, text: str, message: str, column: int | None = None) -> None:
        where = ""
        if column is not None:
            where = f" at column {column + 1}:\n  {text}\n  {' ' * column}^"
        super().__init__(f"expression {text!r}: {message}{where}")


def looks_like_expression(text: str) -> bool:
    """Whether a NAME is meant as a formula rather than a (mistyped) activation name: anything
    but a plain name (letters, digits, _ and -) is treated, and checked, as a formula."""
    return not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", text.strip()) or text.strip() == "x"


# ---------------------------------------------------------------------------------- checking


_ALLOWED = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Constant, ast.Compare,
    ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd,
    ast.Lt, ast.LtE, ast.Gt, ast.GtE,
)  # fmt: skip


def _check(text: str, tree: ast.AST, functions: set[str]) -> set[str]:
    """Reject anything outside the grammar; return the parameter names used."""
    params: set[str] = set()
    count = 0
    magnitudes: dict[int, Any] = {}

    def visit(node: ast.AST, depth: int) -> None:
        nonlocal count
        count += 1
        col = getattr(node, "col_offset", None)
        if count > MAX_NODES:
            raise ExpressionError(text, f"too large (more than {MAX_NODES} nodes)")
        if isinstance(node, ast.expr):
            magnitude = log2_magnitude(node, _CONSTANT_VALUES, magnitudes)
            if magnitude is not None and beyond_range(magnitude):
                raise ExpressionError(text, _beyond(text, node, magnitude[1]), col)
        if depth > MAX_DEPTH:
            raise ExpressionError(text, f"nested too deeply (more than {MAX_DEPTH} levels)", col)
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(text, f"{type(node).__name__.lower()} is not allowed", col)
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, (int, float))
        ):
            raise ExpressionError(text, f"only numbers are allowed, not {node.value!r}", col)
        if isinstance(node, ast.Name):
            name = node.id
            if "__" in name or not name.isascii() or not name.isidentifier():
                raise ExpressionError(text, f"name {name!r} is not allowed", col)
            if name in functions or name in ELEMENTARY or name in SPECIAL:
                raise ExpressionError(text, f"{name} is a function: call it, {name}(...)", col)
            if name != "x" and name not in CONSTANTS:
                params.add(name)
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise ExpressionError(text, "only named functions can be called", col)
            name = node.func.id
            if name not in functions and name not in ELEMENTARY and name not in SPECIAL:
                raise ExpressionError(text, f"unknown function {name!r}", col)
            if node.keywords:
                raise ExpressionError(text, "functions take positional arguments only", col)
            arity = 3 if name == "where" else 2 if name in ("min", "max") else 1
            if len(node.args) != arity:
                raise ExpressionError(text, f"{name} takes {arity} argument(s)", col)
            for arg in node.args:
                visit(arg, depth + 1)
            return
        if isinstance(node, ast.Compare) and len(node.ops) != 1:
            raise ExpressionError(text, "chained comparisons are not allowed", col)
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Pow)
            and log2_magnitude(node, _CONSTANT_VALUES, magnitudes) is None
        ):  # (a constant power, 10**200, is bounded by its magnitude instead)
            exponent = _constant(node.right)
            if exponent is not None and not abs(exponent) <= MAX_EXPONENT:
                raise ExpressionError(text, f"exponent beyond ±{MAX_EXPONENT:g}", col)
        for child in ast.iter_child_nodes(node):
            visit(child, depth + 1)

    visit(tree, 0)
    return params


_CONSTANT_VALUES = {"pi": math.pi, "e": math.e}


def _beyond(text: str, node: ast.expr, log2: float) -> str:
    """What to say of a constant beyond float64's range: its text (shortened) and size."""
    shown = ast.get_source_segment(text, node) or "a constant"
    shown = shown if len(shown) <= 30 else shown[:12] + "…" + shown[-12:]
    if log2 != log2:
        size = "of no definite size"
    elif abs(log2) == math.inf:
        size = "infinite" if log2 > 0 else "zero"
    else:
        size = f"about 2**{round(log2)}"
    return (
        f"the constant {shown} is beyond float64's range ({size}; doubles hold 2**-1074 to 2**1024)"
    )


def _constant(node: ast.AST) -> float | None:
    """The value of a constant subexpression, in floats (inf on overflow), or None."""
    try:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.UnaryOp):
            inner = _constant(node.operand)
            return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
        if isinstance(node, ast.BinOp):
            a, b = _constant(node.left), _constant(node.right)
            if a is None or b is None:
                return None
            op = type(node.op)
            if op is ast.Pow:
                return math.inf if abs(b) > MAX_EXPONENT or abs(a) > 1e6 else float(a**b)
            return {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}.get(
                op, a / b if b else math.inf
            )
    except (OverflowError, ValueError, ZeroDivisionError, TypeError):
        return math.inf
    return None


# ---------------------------------------------------------------------------------- building


@functools.cache
def _catalog_functions() -> dict[str, Any]:
    """sympy Functions for the catalog's elementwise activations (default parameters).

    Each knows its derivative as another such function (gelu → gelu_d1 → gelu_d2), named so
    that lambdify can bind it to actcli's implementation, and shown as gelu′ and gelu″.
    Formulas are differentiated at most twice (f″ for ``diff --order 2`` and ``plot -dd``).
    """
    import sympy as sp

    out: dict[str, Any] = {}
    for name, d in definitions().items():
        if d.kind != "elementwise":
            continue
        names = (name, f"{name}_d1", f"{name}_d2")

        def make(order: int, names: tuple[str, ...] = names, name: str = name) -> Any:
            shown = name + ("", "′", "″")[order]

            def fdiff(self: Any, argindex: int = 1) -> Any:
                if order == 2:
                    raise NotImplementedError(f"actcli has no third derivative of {name}")
                return out[names[order + 1]](self.args[0])

            def text(self: Any, printer: Any) -> str:
                return f"{shown}({printer._print(self.args[0])})"

            def pretty(self: Any, printer: Any) -> Any:
                return printer._print_Function(self, func_name=shown)

            def latex(self: Any, printer: Any, exp: str | None = None) -> str:
                primes = "'" * order
                arg = printer._print(self.args[0])
                call = rf"\operatorname{{{name}}}{primes}\left({arg}\right)"
                return call if exp is None else rf"\left({call}\right)^{{{exp}}}"

            methods = {"fdiff": fdiff, "_sympystr": text, "_pretty": pretty, "_latex": latex}
            return type(names[order], (sp.Function,), {**methods, "nargs": 1})

        for order in range(3):
            out[names[order]] = make(order)
    return out


_OPERATIONS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow,
}  # fmt: skip


def _build(node: ast.AST, sp: Any, env: dict[str, Any]) -> Any:
    if isinstance(node, ast.Expression):
        return _build(node.body, sp, env)
    if isinstance(node, ast.Constant):
        value = node.value
        return sp.Integer(value) if isinstance(value, int) else sp.Float(repr(value), 17)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _build(node.operand, sp, env)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        a, b = _build(node.left, sp, env), _build(node.right, sp, env)
        # one operation only: (x*10**64)**(10**64), computed for nothing, ran for hours
        op = _OPERATIONS.get(type(node.op), operator.pow)
        return op(a, b)
    if isinstance(node, ast.Compare):
        if not env.get("condition"):
            raise ValueError("a comparison is only allowed as where()'s condition")
        a, b = _build(node.left, sp, env), _build(node.comparators[0], sp, env)
        relation = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge}
        return relation[type(node.ops[0])](a, b)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    name = node.func.id
    args = [
        _build(a, sp, {**env, "condition": name == "where" and i == 0})
        for i, a in enumerate(node.args)
    ]
    if name == "where":
        if not isinstance(node.args[0], ast.Compare):
            raise ValueError("where(condition, a, b) needs a comparison as its condition")
        return sp.Piecewise((args[1], args[0]), (args[2], True))
    if name in ("min", "max"):
        return (sp.Min if name == "min" else sp.Max)(*args)
    if name in ("log1p", "expm1"):  # sympy's codegen functions: they print as np.log1p/expm1
        from sympy.codegen.cfunctions import expm1, log1p

        return (log1p if name == "log1p" else expm1)(*args)
    if name in ELEMENTARY:
        return getattr(sp, _SYMBOLIC_NAMES.get(name, name))(*args)
    return env["functions"][name](*args)


@functools.lru_cache(maxsize=32)
def parse(text: str) -> tuple[Any, frozenset[str]]:
    """The sympy expression for ``text`` and the names of its parameters (cached: info and
    compare ask for the same formula several times)."""
    import sympy as sp

    if len(text) > MAX_LENGTH:
        raise ExpressionError(text[:40] + "...", f"longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExpressionError(text, "empty")
    for column, char in enumerate(text):
        if not char.isascii() or (not char.isprintable() and char != " "):
            # Python folds look-alikes (ｘ → x) when it parses: refuse them before it can
            raise ExpressionError(text, f"character {char!r} is not allowed", column)
    functions = {n for n, d in definitions().items() if d.kind == "elementwise"}
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(text, "not a formula", (exc.offset or 1) - 1) from None
    params = _check(text.strip(), tree, functions)
    if not any(isinstance(node, ast.Name) and node.id == "x" for node in ast.walk(tree)):
        raise ExpressionError(text, "has no x: a formula is a function of x (as in 'x*sigmoid(x)')")
    env: dict[str, Any] = {"x": sp.Symbol("x", real=True), "pi": sp.pi, "e": sp.E}
    env.update({p: sp.Symbol(p, real=True) for p in params})
    env["functions"] = _catalog_functions()
    with budget(too_costly(text)):
        built = _built(text, tree, env)
    return built, frozenset(params)


def too_costly(text: str) -> Callable[[float], Exception]:
    """The refusal of a formula whose symbolic work spent its CPU-time budget."""

    def refuse(limit: float) -> Exception:
        return ExpressionError(
            text, f"takes over {limit:g} s of CPU to process ({SECONDS_VARIABLE} sets the limit)"
        )

    return refuse


def _built(text: str, tree: ast.AST, env: dict[str, Any]) -> Any:
    """The sympy expression of a checked tree, refused if it is not a finite real formula."""
    import sympy as sp

    try:
        built = _build(tree, sp, env)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError) as exc:
        raise ExpressionError(text, f"cannot be built ({exc})") from None
    try:  # (sympy evaluates constants to answer: sin(exp(exp(exp(10)))) overflows mpmath)
        if built.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) or built.is_real is False:
            raise ExpressionError(text, "is not a finite real formula (division by zero, √−1, …)")
        # a constant whose value is not real ((-8)**(1/3), sympy's principal cube root, is
        # complex): numpy would cast it to its real part without a word
        unreal = next(
            (n for n in sp.preorder_traversal(built) if n.is_number and n.is_real is False), None
        )
    except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        raise ExpressionError(text, f"has a constant beyond evaluation ({exc})") from None
    if unreal is not None:
        raise ExpressionError(text, f"is not real: {unreal} is a complex number")
    return built


def _catalog_name(function: str) -> str:
    """``gelu_d1`` → ``gelu``: the activation behind a catalog function or its derivative."""
    return function[:-3] if function.endswith(("_d1", "_d2")) else function


def _elementary() -> dict[Any, Callable[..., Any]]:
    """sympy's exp, log, tanh and erf → actcli.elementary / numerics (IEEE operations only)."""
    import sympy as sp

    from actcli import elementary as el
    from actcli import numerics as nx

    return {sp.exp: el.exp, sp.log: el.log, sp.tanh: el.tanh, sp.erf: nx.erf}


_EXACT_INTEGERS = 2**53  # every integer up to here is a double


def _exact_constants(expr: Any) -> Any:
    """Constants holding an integer beyond 2**53 as the double nearest their exact value:
    numpy cannot take such an int (``sin(10**64)``: an object array) or rounds it first
    (``sin(10**17 + 1)`` would be sin(1e17)); sympy evaluates them to the last digit."""
    import sympy as sp

    def huge(atom: Any) -> bool:
        return bool(atom.is_Rational) and max(abs(atom.p), atom.q) > _EXACT_INTEGERS

    def visit(node: Any) -> Any:
        if not any(huge(a) for a in node.atoms(sp.Rational)):
            return node
        if getattr(node, "is_number", False):
            value = node.evalf(20)
            if value.is_Float:
                return sp.Float(value, 17)
        return node.func(*(visit(a) for a in node.args)) if node.args else node

    return visit(expr)


def _numeric(
    expr: Any, params: dict[str, float], functions: set[str], dialect: str
) -> Callable[..., Any]:
    """numpy code for expr, the catalog functions bound to actcli's exact implementations."""
    import sympy as sp

    import actcli

    x = sp.Symbol("x", real=True)
    bound = expr.subs({sp.Symbol(k, real=True): v for k, v in params.items()})
    # kinks of max/abs/where: the derivative at the point is the left one (relu′(0) = 0, as
    # PyTorch), and the Dirac delta of a jump is reported as 0, as for catalog activations
    bound = bound.replace(sp.Heaviside, lambda *a: sp.Heaviside(a[0], 0))
    bound = bound.replace(sp.DiracDelta, lambda *a: sp.Integer(0))
    bound = _exact_constants(bound)
    table: dict[str, Callable[..., Any]] = {}
    for name in functions:
        act = actcli.get(_catalog_name(name), dialect=dialect)
        order = int(name[-1]) if name.endswith(("_d1", "_d2")) else 0
        table[name] = (lambda a, act=act: act(a)) if order == 0 else (
            lambda a, act=act, order=order: act.derivative(a, order)
        )  # fmt: skip
    # e^x, ln x, tanh x and erf x from actcli's own kernels, not numpy's CPU-dispatched ones:
    # a formula gives the same bytes on every CPU where it uses only these and + − × ÷
    for function, kernel in _elementary().items():
        stand_in = sp.Function(f"_actcli_{kernel.__name__}")
        bound = bound.replace(function, stand_in)
        table[str(stand_in)] = kernel
    fn = sp.lambdify(x, bound, modules=[table, "numpy", "scipy"])
    formula = str(expr)

    def evaluate(v: np.ndarray, **_: object) -> np.ndarray:
        # a user's formula may overflow or divide by zero: that is its IEEE result, not a bug
        with np.errstate(all="ignore"):
            try:
                result = np.asarray(fn(v))
            except (TypeError, OverflowError, ValueError, AttributeError) as exc:
                # a constant numpy cannot take (sin(10**64): an int too large for a double)
                raise ExpressionError(formula, f"cannot be evaluated in float64 ({exc})") from None
        if np.iscomplexobj(result):  # (a parameter's value may make a power complex)
            if np.any(result.imag != 0):
                raise ExpressionError(formula, "is not real for these values of x")
            result = result.real
        return np.broadcast_to(result.astype(np.float64), v.shape).copy()

    return evaluate


def _bounded(expr: Any, text: str) -> Any:
    import sympy as sp

    if sp.count_ops(expr) > MAX_OPS:
        raise ExpressionError(text, f"its derivative grows beyond {MAX_OPS} operations")
    return expr


def definition(
    text: str, params: dict[str, object], dialect: str = "torch"
) -> tuple[Definition, dict[str, float]]:
    """A Definition for a formula, with its parameters' values (all must be given)."""
    import sympy as sp

    expr, names = parse(text)
    missing = sorted(names - set(params))
    if missing:
        hint = ", ".join(f"{m}=VALUE" for m in missing)
        raise UsageError(
            f"expression {text!r} uses {', '.join(missing)}: give {hint}", option="param"
        )
    extra = sorted(set(params) - names)
    if extra:
        raise UsageError(f"expression {text!r} has no parameter {extra[0]!r}")
    values: dict[str, float] = {}
    for key in names:
        try:
            values[key] = float(params[key])  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise UsageError(f"parameter {key!r} must be a number, got {params[key]!r}") from None
    with budget(too_costly(text)):
        x = sp.Symbol("x", real=True)
        functions = {f.func.__name__ for f in expr.atoms(sp.Function) if hasattr(f, "func")}
        d1 = _bounded(sp.diff(expr, x), text)
        d2 = _bounded(sp.diff(d1, x), text)
        all_functions = functions | {
            f.func.__name__ for e in (d1, d2) for f in e.atoms(sp.Function)
        }
        catalog = {n for n in all_functions if _catalog_name(n) in definitions()}
        clean = " ".join(text.split())
        d = Definition(
            name=clean,
            kind="elementwise",
            family="expression",
            summary=f"custom activation: {clean}",
            formula=f"f(x) = {sp.sstr(expr)}",
            latex=sp.latex(expr),
            derivative_formula=f"f′(x) = {sp.sstr(d1)}",
            range="not derived for expressions",
            reference="user expression",
            fn=_numeric(expr, values, catalog, dialect),
            d1=_numeric(d1, values, catalog, dialect),
            d2=_numeric(d2, values, catalog, dialect),
            params=tuple(Param(n, values[n], "user parameter") for n in sorted(names)),
            notes=fragility(expr),
        )
    return d, values


def fragility(expr: Any) -> str:
    """Warnings about numerically fragile forms actcli can spot, with the stable spelling."""
    import sympy as sp

    notes = []
    for sub in sp.preorder_traversal(expr):
        if isinstance(sub, sp.log) and sub.args[0].has(sp.exp):
            notes.append("log(1 + exp(...)) overflows for large arguments: use softplus(...)")
        if sub.func is sp.Pow and sub.args[1] == -1 and sub.args[0].has(sp.exp):
            notes.append("1/(1 + exp(−...)) loses its tail: use sigmoid(...)")
        if (
            isinstance(sub, sp.Add)
            and any(isinstance(a, sp.exp) for a in sub.args)
            and any(a == -1 for a in sub.args)
        ):
            notes.append("exp(...) − 1 cancels near 0: use expm1(...)")
        if (
            isinstance(sub, sp.Add)
            and any(a.has(sp.erf) for a in sub.args)
            and any(a.is_number for a in sub.args)
        ):
            notes.append("1 ± erf(...) cancels in one tail: use erfc(...)")
    return "\n".join(dict.fromkeys(notes))
