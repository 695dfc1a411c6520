"""What bounds the cost of a formula in ``x``: its constants' sizes and its symbolic work.

sympy keeps integers and rationals exact, so ``2**2**2**2**2`` or ``((2**-64)**64)**64`` is
built digit by digit (minutes, gigabytes), and numpy cannot take an integer beyond a double
anyway. So every constant subexpression's magnitude is estimated in log space from the parse
tree, before sympy sees it (:func:`log2_magnitude`), and one beyond float64's range is refused.
What is left unbounded — the size of symbolic derivatives and simplifications of a formula
like ``x**x**x**…`` — runs under a CPU-time budget (:func:`budget`), refused when it is spent.
"""

from __future__ import annotations

import ast
import contextlib
import math
import os
import signal
import threading
from collections.abc import Callable, Iterator

# float64's range in powers of two: beyond 2**1024 a constant is inf, below 2**-1075 zero;
# a formula holding one would be evaluated wrongly without a word, so it is refused.
MAX_LOG2 = 1024.0
MIN_LOG2 = -1075.0

# CPU seconds for a formula's symbolic work (parse, derivatives, printing): an ordinary formula
# takes a few hundredths; CPU time, not wall time, so a loaded machine does not refuse it.
SECONDS = 1.0
SECONDS_VARIABLE = "ACTCLI_FORMULA_SECONDS"

LOG2_E = math.log2(math.e)

_Magnitude = tuple[float, float]  # (value as a float, log2 of |value|): both ±inf when beyond


def seconds() -> float:
    """The CPU-time budget (SECONDS, or the environment's ACTCLI_FORMULA_SECONDS)."""
    try:
        value = float(os.environ.get(SECONDS_VARIABLE, ""))
    except ValueError:
        return SECONDS
    return value if math.isfinite(value) and value > 0 else SECONDS


def _number(value: float) -> _Magnitude:
    return value, (math.log2(abs(value)) if value else -math.inf)


def _integer(value: int) -> _Magnitude:
    log2 = math.log2(abs(value)) if value else -math.inf  # (math.log2 takes any int)
    return (float(value) if log2 < MAX_LOG2 else math.inf if value > 0 else -math.inf), log2


def _call(name: str, args: list[_Magnitude]) -> _Magnitude | None:
    """An elementary function, or a catalog activation, of constants: its magnitude."""
    (value, log2), rest = args[0], args[1:]
    if name in ("min", "max"):
        return (min if name == "min" else max)(args)
    if name == "where":
        return max(rest, key=lambda m: m[1])
    if name in ("exp", "expm1", "sinh", "cosh"):
        grows = value if name in ("exp", "expm1") else abs(value)
        if grows * LOG2_E > 2 * MAX_LOG2:
            return math.inf, math.inf
        with contextlib.suppress(OverflowError, ValueError):
            return _number(getattr(math, name)(value))
        return math.inf, grows * LOG2_E
    if name == "sqrt":
        return math.sqrt(abs(value)) if math.isfinite(value) else math.inf, log2 / 2
    if name in ("log", "log1p"):
        return 0.0, math.log2(abs(log2) * math.log(2) + 2)  # |ln v| ≤ |log2 v|·ln 2 (+ 2)
    if name in ("sin", "cos", "tanh", "erf", "erfc", "arctan", "arcsin", "arccos"):
        return 0.0, 2.0  # bounded by 4 (the value itself is left to sympy)
    if name == "tan":
        with contextlib.suppress(OverflowError, ValueError):
            return _number(math.tan(value))
        return 0.0, 2.0
    if name == "abs":
        return abs(value), log2
    return 0.0, max(log2, 0.0) + 2  # a catalog activation grows at most linearly


def log2_magnitude(
    node: ast.AST, constants: dict[str, float], cache: dict[int, _Magnitude | None]
) -> _Magnitude | None:
    """A constant subexpression's value (as a float, ±inf beyond a double) and log2 of its
    magnitude — exact for products and powers, an upper bound for sums and functions — or
    None if ``node`` depends on x or a parameter. ``cache`` is keyed by node identity."""
    key = id(node)
    if key in cache:
        return cache[key]

    def sub(child: ast.AST) -> _Magnitude | None:
        return log2_magnitude(child, constants, cache)

    result: _Magnitude | None = None
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        result = _integer(node.value)
    elif isinstance(node, ast.Constant) and isinstance(node.value, float):
        result = _number(node.value)
    elif isinstance(node, ast.Name) and node.id in constants:
        result = _number(constants[node.id])
    elif isinstance(node, ast.UnaryOp):
        inner = sub(node.operand)
        if inner is not None:
            result = (-inner[0] if isinstance(node.op, ast.USub) else inner[0]), inner[1]
    elif isinstance(node, ast.BinOp):
        a, b = sub(node.left), sub(node.right)
        if a is not None and b is not None:
            result = _binary(node.op, a, b)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = [sub(arg) for arg in node.args]
        if args and all(arg is not None for arg in args):
            result = _call(node.func.id, [arg for arg in args if arg is not None])
    cache[key] = result
    return result


def _binary(op: ast.operator, a: _Magnitude, b: _Magnitude) -> _Magnitude:
    (va, la), (vb, lb) = a, b
    with contextlib.suppress(OverflowError, ZeroDivisionError, ValueError):
        if isinstance(op, (ast.Add, ast.Sub)):
            value = va + vb if isinstance(op, ast.Add) else va - vb
            bound = max(la, lb) + 1  # cancellation only makes it smaller
            return value, (bound if not math.isfinite(value) else min(bound, _number(value)[1]))
        if isinstance(op, ast.Mult):
            return va * vb, _sum(la, lb)
        if isinstance(op, ast.Div):
            return (va / vb if vb else math.inf), _sum(la, -lb)
        if isinstance(op, ast.Pow):
            if va == 0 or la == 0:  # 0 ** b and (±1) ** b stay small
                return _number(va**vb) if abs(vb) < 1e300 else (0.0, -math.inf)
            log2 = la * vb if math.isfinite(vb) else math.copysign(math.inf, la * vb)
            value = va**vb if abs(log2) < MAX_LOG2 and va > 0 else math.copysign(math.inf, log2)
            return value, log2
    return math.inf, math.inf


def _sum(a: float, b: float) -> float:
    return a + b if not (math.isinf(a) and math.isinf(b) and a != b) else math.inf


def beyond_range(magnitude: _Magnitude) -> bool:
    """Whether a nonzero constant lies outside float64's range (inf or 0 as a double)."""
    log2 = magnitude[1]
    if math.isnan(log2):
        return True
    return log2 != -math.inf and not MIN_LOG2 <= log2 <= MAX_LOG2


class OverBudget(BaseException):
    """Raised inside the symbolic work when its CPU time is spent: a BaseException, so that
    sympy's own ``except Exception`` cannot swallow it (and the timer fires again if it did)."""


@contextlib.contextmanager
def budget(refuse: Callable[[float], Exception]) -> Iterator[None]:
    """Run a formula's symbolic work under the CPU-time budget; ``refuse(seconds)`` is the
    error raised when it is spent. A timer needs the main thread (signals are delivered
    there); elsewhere, and inside an enclosing budget, the work runs unbounded by this one."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return
    previous = signal.getsignal(signal.SIGPROF)
    if previous is _expire:  # nested: the outer budget holds
        yield
        return
    limit = seconds()
    signal.signal(signal.SIGPROF, _expire)
    signal.setitimer(signal.ITIMER_PROF, limit, 0.05)
    try:
        yield
    except OverBudget:
        raise refuse(limit) from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _expire(signum: int, frame: object) -> None:
    raise OverBudget
