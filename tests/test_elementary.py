"""actcli.elementary: exp, expm1, tanh, log, log1p and power from IEEE operations only.

Measured against mpmath at 200 bits (no cancellation: the reference functions are mpmath's
own) over the whole double range, subnormal results, the overflow edges, ±0, ±inf and NaN.
Bounds: 0.502 ULP for normal results (expm1 0.53) (0.5 is correct rounding; the kernels carry about 2⁻⁶²
relative before their one rounding), one subnormal ULP where the result is subnormal.
"""

from __future__ import annotations

import ast
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import mpmath
import numpy as np
import pytest

from actcli import elementary as el

SRC = Path(__file__).resolve().parent.parent / "src" / "actcli"
TINY = 2.2250738585072014e-308


def _points(lo: float, hi: float, n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(lo, hi, n)


def _worst_ulp(f: Callable, ref: Callable, x: np.ndarray) -> tuple[float, float]:
    """(worst error in ULP of the reference, where), over finite non-zero references."""
    y = f(x)
    worst, at = 0.0, math.nan
    with mpmath.workprec(200):
        for xi, yi in zip(x.tolist(), y.tolist(), strict=True):
            r = ref(mpmath.mpf(xi))
            fr = float(r)
            if r == 0 or math.isinf(fr):
                assert yi == fr, (xi, yi, fr)
                continue
            ulp = math.ulp(fr) if abs(fr) >= TINY else 2.0**-1074
            err = float(abs(mpmath.mpf(yi) - r) / ulp)
            if err > worst:
                worst, at = err, xi
    return worst, at


EXP_POINTS = np.concatenate(
    [
        _points(-745.2, 709.8, 2000, 1),
        _points(-1.0, 1.0, 1000, 2),
        _points(-0.07, 0.07, 1000, 3),
        np.random.default_rng(4).normal(0.0, 1e-6, 300),
        [709.78, 709.782712893384, -708.39, -708.4, -744.44, -745.13, 1e-300, -1e-300, 5e-324],
    ]
)
NORMAL_OUT = (-708.39, 709.78)  # where e^x is a normal number


@pytest.mark.slow
def test_exp_is_within_half_an_ulp_and_a_hair() -> None:
    normal = EXP_POINTS[(NORMAL_OUT[0] < EXP_POINTS) & (NORMAL_OUT[1] > EXP_POINTS)]
    worst, at = _worst_ulp(el.exp, mpmath.exp, normal)
    assert worst < 0.502, (worst, at)
    subnormal = EXP_POINTS[NORMAL_OUT[0] >= EXP_POINTS]
    worst, at = _worst_ulp(el.exp, mpmath.exp, subnormal)
    assert worst <= 1.0, (worst, at)


@pytest.mark.slow
def test_expm1_is_within_half_an_ulp_and_a_hair() -> None:
    x = EXP_POINTS[NORMAL_OUT[1] > EXP_POINTS]
    worst, at = _worst_ulp(el.expm1, mpmath.expm1, x)
    assert worst < 0.53, (worst, at)  # the series below 1/16 rounds x² once: ≤ 0.03 ULP


@pytest.mark.slow
def test_tanh_is_within_half_an_ulp_and_a_hair() -> None:
    x = np.concatenate([_points(-20.0, 20.0, 2000, 5), _points(-0.04, 0.04, 1000, 6), EXP_POINTS])
    worst, at = _worst_ulp(el.tanh, mpmath.tanh, x)
    assert worst < 0.502, (worst, at)


LOG_POINTS = np.concatenate(
    [
        np.exp(_points(-740.0, 709.0, 2000, 7)),
        _points(0.0, 3.0, 1000, 8),
        1.0 + np.random.default_rng(9).normal(0.0, 1e-3, 500),
        1.0 + np.random.default_rng(10).normal(0.0, 1e-12, 200),
        [5e-324, 1e-310, TINY, 1.7976931348623157e308, 0.5, 2.0, 1.0 - 2.0**-53, 1.0 + 2.0**-52],
    ]
)


@pytest.mark.slow
def test_log_and_log1p_are_within_half_an_ulp_and_a_hair() -> None:
    worst, at = _worst_ulp(el.log, mpmath.log, LOG_POINTS[LOG_POINTS != 1.0])
    assert worst < 0.52, (worst, at)
    x = np.concatenate([LOG_POINTS - 1.0, -_points(0.0, 1.0, 1000, 11), [-0.999999, 1e-300]])
    worst, at = _worst_ulp(el.log1p, mpmath.log1p, x[x != 0.0])
    assert worst < 0.52, (worst, at)


@pytest.mark.slow
def test_power_is_within_about_half_an_ulp() -> None:
    x = np.concatenate([_points(0.0, 1.0, 500, 12), _points(1.0, 1e5, 500, 13)])
    for y in (1.5, 3.0, 1.0 / 3.0, 0.25, 7.0):
        worst, at = _worst_ulp(lambda v, y=y: el.power(v, y), lambda v, y=y: v ** mpmath.mpf(y), x)
        assert worst < 0.55, (y, worst, at)


SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 1e300, -1e300])


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (el.exp, [1.0, 1.0, np.inf, 0.0, np.nan, 1.0, 1.0, np.inf, 0.0]),
        (el.expm1, [0.0, -0.0, np.inf, -1.0, np.nan, 5e-324, -5e-324, np.inf, -1.0]),
        (el.tanh, [0.0, -0.0, 1.0, -1.0, np.nan, 5e-324, -5e-324, 1.0, -1.0]),
        (el.log1p, [0.0, -0.0, np.inf, np.nan, np.nan, 5e-324, -5e-324, 690.7755278982137, np.nan]),
    ],
    ids=["exp", "expm1", "tanh", "log1p"],
)
def test_special_values_with_signed_zeros_and_no_warning(f: Callable, expected: list) -> None:
    with np.errstate(all="raise", under="ignore"):  # numpy's default: underflow is no error
        y = f(SPECIAL)
    np.testing.assert_array_equal(y, expected)
    number = ~np.isnan(y)  # a NaN's sign means nothing
    np.testing.assert_array_equal(np.signbit(y[number]), np.signbit(np.asarray(expected)[number]))


def test_log_special_values() -> None:
    with np.errstate(all="raise", under="ignore"):  # numpy's default: underflow is no error
        y = el.log(np.array([0.0, -0.0, -1.0, np.inf, np.nan, 1.0, 5e-324]))
    np.testing.assert_array_equal(
        y, [-np.inf, -np.inf, np.nan, np.inf, np.nan, 0.0, -744.4400719213812]
    )


def test_shapes_and_scalars_are_kept() -> None:
    for f in (el.exp, el.expm1, el.tanh, el.log1p):
        assert f(np.zeros((2, 3))).shape == (2, 3)
        assert f(np.float64(0.5)).shape == ()


# ------------------------------------------------------------------ the same bytes on every CPU

# numpy dispatches these float64 ufuncs to SIMD code chosen per CPU at import; their last bits
# differ between machines. The reference must not call them (nor np.power through **).
DISPATCHED = {"exp", "expm1", "log", "log1p", "log2", "exp2", "tanh", "sinh", "cosh", "cbrt",
              "arctan", "arctanh", "arcsinh", "power", "float_power", "tan"}  # fmt: skip
# Outside the reference: the training demo's and the CLI's own arithmetic, and elementary.py's
# np.log of the special values 0, negatives, inf and NaN (fixed by IEEE).
ALLOWED = {"elementary.py"}


def _numeric_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but those inside sympy forms (functions taking ``sp``, sympy's module)."""
    out: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.Lambda) and "sp" in {
            a.arg for a in node.args.args
        }:
            continue
        out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out


def _dispatched_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in _numeric_nodes(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "np"
            and node.attr in DISPATCHED
        ):
            found.append(f"{path.relative_to(SRC)}:{node.lineno} np.{node.attr}")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = node.right
            square = isinstance(exponent, ast.Constant) and exponent.value in (2, 2.0, -1, 0.5)
            if not square and not _is_python_number(node.left):
                found.append(f"{path.relative_to(SRC)}:{node.lineno} ** (np.power on arrays)")
    return found


def _is_python_number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)
    )


def test_the_reference_calls_no_cpu_dispatched_ufunc() -> None:
    numeric = [SRC / "numerics.py", *sorted((SRC / "catalog").glob("*.py"))]
    found = [c for p in numeric if p.name not in ALLOWED for c in _dispatched_calls(p)]
    assert not found, "CPU-dispatched float64 ufuncs (use actcli.elementary):\n" + "\n".join(found)


def _all_dispatch_features() -> str:
    probe = "from numpy._core._multiarray_umath import __cpu_dispatch__ as d; print(' '.join(d))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.strip()


# Every activation (f, f′, f″ or the Jacobian) and a few formulas, on inputs across the range, a
# digest a line; run in a child process so that numpy's dispatch (NPY_DISABLE_CPU_FEATURES, read
# once at import) or glibc's CPU variants (GLIBC_TUNABLES) can be switched off. The inputs are
# made exactly (ldexp), not with np.geomspace, whose np.power is itself dispatched.
_DIGESTS = """
import hashlib, numpy as np, actcli
wide = np.ldexp(1.0 + np.arange(1201) % 97 / 97.0, np.arange(1201) * 5 % 2001 - 1000)
x = np.concatenate([np.linspace(-40, 40, 4001), wide, -wide, [0.0, -0.0, np.inf, -np.inf, np.nan]])
def show(name, order, y):
    digest = hashlib.sha256(np.ascontiguousarray(y, dtype=np.float64).tobytes()).hexdigest()
    print(name, order, digest)
for name in actcli.names():
    a = actcli.get(name)
    if a.kind == "vector":
        v = np.resize(x, (len(x) // 8, 8))
        show(name, 0, a(v)); show(name, 1, a.jacobian(v[:50]))
    else:
        for order in (0, 1, 2):
            show(name, order, a(x) if order == 0 else a.derivative(x, order))
for formula in ("x*tanh(log(1+exp(x)))", "0.5*x*(1+erf(x/sqrt(2)))", "x*sigmoid(1.702*x)"):
    a = actcli.get(formula)
    show(formula, 0, a(x)); show(formula, 1, a.derivative(x))
"""


def _digests(extra_env: dict[str, str]) -> set[str]:
    env = {**os.environ, **extra_env}
    run = subprocess.run(
        [sys.executable, "-c", _DIGESTS], capture_output=True, text=True, env=env, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return set(run.stdout.splitlines())


@pytest.mark.slow
def test_every_activation_and_formula_gives_the_same_bytes_with_numpy_dispatch_on_and_off() -> None:
    features = _all_dispatch_features()
    if not features:
        pytest.skip("this numpy build dispatches to no optional CPU feature: nothing to switch")
    on, off = _digests({}), _digests({"NPY_DISABLE_CPU_FEATURES": features})
    assert on == off, f"results depend on numpy's CPU dispatch ({features}): {sorted(on ^ off)}"


# sine and snake still take sin and cos from the C library (numpy's baseline loop), whose
# FMA and non-FMA variants differ in a few last bits; everything else is IEEE operations only.
LIBM_SINES = {"sine", "snake"}


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="GLIBC_TUNABLES is glibc's")
def test_only_the_sines_depend_on_glibcs_cpu_variants() -> None:
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc: its CPU variants cannot be switched off here")
    tunables = "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F,-AVX_Usable,-AVX2_Usable,-FMA_Usable,-FMA4"
    on, off = _digests({}), _digests({"GLIBC_TUNABLES": tunables})
    differing = {line.split()[0] for line in on ^ off}
    assert differing <= LIBM_SINES, sorted(differing)
