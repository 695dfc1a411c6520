"""Accuracy of every activation against the mpmath oracle in ``tests/oracle.py``.

Acceptance bar (float64):

* values within 4 ULP, first derivatives within 8 ULP, second derivatives within 1e-12
  relative of the 60-digit reference, on a grid over [-1e6, 1e6]: 4001 points in
  [-40, 40], every kink and a few ulps either side, log-spaced magnitudes 1e-300 .. 1e6
  (4 per decade) of both signs, a list of hazard points, +0.0 and -0.0;
* ULP = |y - ref| / ulp(ref), ulp(ref) = math.ulp(float(ref)) (>= 5e-324);
* a reference that overflows must give +-inf; a reference that is exactly 0 must give
  exactly 0 (sign not checked); a reference in the subnormal range (|ref| < 2**-1022) is
  checked with absolute error <= 4 * 2**-1022;
* exemptions: derivatives at the kinks themselves (values are checked there too: the
  catalog fixes them, e.g. step(threshold) = value); within 0.02 of a zero of f (value
  check) / f' (first derivative) / f'' (second derivative) an absolute error of 1e-15
  (f, f') or 1e-12 (f'') is accepted instead of the ULP / relative bound;
* +-inf give the limits of f, f', f'' (nan where none exists), nan gives nan, and no
  call may emit a warning;
* vector activations: values and Jacobians within 1e-14 relative (or 4 ulp) of the oracle
  per entry, plus documented conditioning slack (centring in standardize / sparsemax
  values, a few ulps of the row maximum for Jacobian entries, rounding of x/T for a
  temperature that is not a power of two).

Run ``python tests/test_accuracy.py`` for a table of measured worst errors per activation
(ULP for f and f', relative error for f''; near-zero and subnormal points excluded).
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest

import actcli
import oracle

VALUE_ULP = 4.0
D1_ULP = 8.0
D2_REL = 1e-12
NEAR_ZERO_TOL = 0.02  # distance in x from a zero of f / f' / f''
NEAR_ZERO_ABS = (1e-15, 1e-15, 1e-12)  # absolute bound there, per order
TINY = 2.2250738585072014e-308  # smallest normal double
SUBNORMAL_ABS = 4 * 2.0**-1022
VECTOR_REL = 1e-14

# ------------------------------------------------------------------------ configurations

NON_DEFAULT: list[tuple[str, dict[str, Any]]] = [
    ("step", {"threshold": 0.5, "value": 0.5}),
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"threshold": 1.0}),
    ("relu", {"negative_slope": 0.3, "threshold": 2.5}),
    ("relu", {"negative_slope": 0.1, "max_value": 6.0, "threshold": 1.0}),
    ("relu", {"negative_slope": 1.0, "max_value": 1e6}),
    ("relu", {"negative_slope": 0.5, "max_value": 5.0, "threshold": 5.0}),
    ("relu", {"max_value": 1.0, "threshold": 2.5}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("prelu", {"weight": 0.1}),
    ("rrelu", {"lower": 0.1, "upper": 0.3}),
    ("threshold", {"threshold": 1.0, "value": -2.0}),
    ("hard_tanh", {"min_val": -2.0, "max_val": 3.0}),
    ("hard_sigmoid", {"slope": 0.2}),
    ("hard_shrink", {"lambd": 1.5}),
    ("soft_shrink", {"lambd": 0.25}),
    ("softplus", {"beta": 2.0}),
    ("softplus", {"beta": 0.5}),
    ("softplus", {"threshold": 20.0}),
    ("squareplus", {"b": 1.0}),
    ("silu", {"beta": 1.702}),
    ("gelu", {"approximate": "tanh"}),
    ("elu", {"alpha": 0.5}),
    ("celu", {"alpha": 2.0}),
    ("star_relu", {"scale": 1.5, "bias": 0.25}),
    ("snake", {"frequency": 2.5}),
    ("isru", {"alpha": 0.5}),
    ("sine", {"w0": 30.0}),
]

CONFIGS: list[tuple[str, dict[str, Any]]] = [
    (name, {}) for name in sorted(oracle.ELEMENTWISE)
] + NON_DEFAULT


def _config_id(cfg: tuple[str, dict[str, Any]]) -> str:
    name, params = cfg
    if not params:
        return name
    return name + ":" + ",".join(f"{k}={v}" for k, v in params.items())


CONFIG_IDS = [_config_id(c) for c in CONFIGS]

# ------------------------------------------------------------------------------- grids

# saturation / switch / overflow / underflow points (catalog section 4b and 5), both signs
HAZARDS = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 6.0, 8.37, 18.5, 19.1, 20.0, 20.000000000000004]
HAZARDS += [25.0, 30.0, 34.04365338911715, 36.74, 37.5, 100.0, 354.5, 700.0, 709.78]
HAZARDS += [709.79, 710.0, 744.4, 745.13, 746.0, 1000.0, 1e-8, 1e-16, 5e-324, 1e-320]
HAZARDS += [1e-310, TINY]
# Where e^x is subnormal but x·e^x (silu, mish, serf, ...) is still normal: every 0.25.
HAZARDS += [float(v) for v in np.arange(700.0, 746.0, 0.25)]


def _base_points() -> list[float]:
    dense = oracle.scan_grid(-40.0, 40.0)  # 4001 points, the grid the oracle scans for zeros
    mags = [float(10.0**e) for e in np.arange(-300.0, 6.0 + 1e-9, 0.25)]
    pts = [*dense, 0.0, -0.0]
    for m in mags + HAZARDS:
        pts += [m, -m]
    return pts


_BASE = _base_points()


def _kink_points(kinks: set[float]) -> list[float]:
    pts: list[float] = []
    for k in kinks:
        pts.append(k)
        lo = hi = k
        for _ in range(4):
            lo, hi = math.nextafter(lo, -math.inf), math.nextafter(hi, math.inf)
            pts += [lo, hi]
        for d in (1e-12, 1e-9, 1e-6):
            step = d * max(1.0, abs(k))
            pts += [k - step, k + step]
    return pts


def _unique(points: list[float]) -> np.ndarray:
    arr = np.array(points, dtype=np.float64)
    _, idx = np.unique(arr.view(np.uint64), return_index=True)  # keeps +0.0 and -0.0
    out = arr[np.sort(idx)]
    return out[np.argsort(out, kind="stable")]


# -------------------------------------------------------------------------- references


@dataclass
class Reference:
    x: np.ndarray
    hi: np.ndarray  # (3, n): float(ref) for f, f', f''
    lo: np.ndarray  # (3, n): float(ref - hi)
    zero: np.ndarray  # (3, n): ref is exactly 0
    at_kink: np.ndarray  # (3, n): x exactly at a kink relevant to that order
    near_zero: np.ndarray  # (3, n): within NEAR_ZERO_TOL of a zero of f^(order)
    kinks: tuple[float, ...]  # oracle kinks (any order) | act.kinks


_REFS: dict[tuple[str, tuple], Reference] = {}


def _split(v: Any) -> tuple[float, float]:
    hi = float(v)
    if not math.isfinite(hi):
        return hi, 0.0
    return hi, float(v - hi)


def _activation(name: str, params: dict[str, Any]) -> Any:
    return actcli.get(name, **params)


def reference(name: str, params: dict[str, Any]) -> Reference:
    key = (name, oracle.params_key(name, **params))
    if key in _REFS:
        return _REFS[key]
    act = _activation(name, params)
    act_kinks = {float(k) for k in act.kinks}
    kinks_by_order = [set(oracle.kinks(name, order, **params)) | act_kinks for order in (0, 1, 2)]
    x = _unique(_BASE + _kink_points(kinks_by_order[2]))
    n = len(x)
    hi = np.empty((3, n))
    lo = np.empty((3, n))
    zero = np.zeros((3, n), dtype=bool)
    for i, xi in enumerate(x.tolist()):
        triple = oracle.evaluate(name, xi, **params)
        for k in range(3):
            hi[k, i], lo[k, i] = _split(triple[k])
            zero[k, i] = triple[k] == 0
    at_kink = np.zeros((3, n), dtype=bool)
    near = np.zeros((3, n), dtype=bool)
    for k in range(3):
        at_kink[k] = np.isin(x, np.array(sorted(kinks_by_order[k]), dtype=np.float64))
        if oracle.ELEMENTWISE[name].periodic_zeros is not None:
            near[k] = [oracle.near_zero(name, k, xi, NEAR_ZERO_TOL, **params) for xi in x.tolist()]
        else:
            zs = oracle.zeros_of_derivative(name, k, **params)
            for z in zs:
                near[k] |= np.abs(x - z) <= NEAR_ZERO_TOL
    ref = Reference(x, hi, lo, zero, at_kink, near, tuple(sorted(kinks_by_order[2])))
    _REFS[key] = ref
    return ref


# -------------------------------------------------------------------------- comparison


def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> np.ndarray:
    """Call into actcli with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return np.asarray(fn(*args, **kwargs))


@dataclass
class Outcome:
    metric: list[float]  # ULP (orders 0/1) or relative error (order 2) at normal-range points
    failures: list[tuple[float, float, float, str]]  # (x, got, expected, why)


def _compare(x: np.ndarray, y: np.ndarray, ref: Reference, order: int) -> Outcome:
    """Check y = f^(order)(x) against the reference, point by point (plain Python floats,
    so the bookkeeping itself can never raise a floating-point warning)."""
    tol = (VALUE_ULP, D1_ULP, D2_REL)[order]
    near_abs = NEAR_ZERO_ABS[order]
    metric: list[float] = []
    failures: list[tuple[float, float, float, str]] = []
    hi_l, lo_l = ref.hi[order].tolist(), ref.lo[order].tolist()
    zero_l, kink_l, near_l = (
        ref.zero[order].tolist(),
        ref.at_kink[order].tolist(),
        ref.near_zero[order].tolist(),
    )
    for xi, yi, hi, lo, zero, kink, near in zip(
        x.tolist(), y.tolist(), hi_l, lo_l, zero_l, kink_l, near_l, strict=True
    ):
        if order > 0 and kink:
            continue
        expected = hi
        if zero:
            if yi != 0.0:
                failures.append((xi, yi, 0.0, "reference is exactly 0"))
            continue
        if not math.isfinite(hi):
            if yi != hi:
                failures.append((xi, yi, hi, "reference overflows"))
            continue
        if not math.isfinite(yi):
            failures.append((xi, yi, expected, "non-finite result"))
            continue
        err = abs((yi - hi) - lo)
        if abs(hi) < TINY:
            if err > SUBNORMAL_ABS:
                failures.append((xi, yi, expected, f"subnormal ref, abs err {err:.3g}"))
            continue
        if order < 2:
            m = err / max(math.ulp(hi), 5e-324)
            why = f"{m:.3g} ULP"
        else:
            m = err / abs(hi)
            why = f"rel err {m:.3g}"
        if near:  # ill-conditioned: the absolute bound is an alternative, never a tightening
            if m > tol and err > near_abs:
                failures.append((xi, yi, expected, f"near a zero: {why}, abs err {err:.3g}"))
            continue
        metric.append(m)
        if m > tol:
            failures.append((xi, yi, expected, why))
    return Outcome(metric, failures)


def _evaluate_order(act: Any, x: np.ndarray, order: int) -> np.ndarray:
    y = _call(act, x) if order == 0 else _call(act.derivative, x, order=order)
    assert y.shape == x.shape, f"shape {y.shape} != {x.shape}"
    assert y.dtype == np.float64, f"dtype {y.dtype}"
    return y


def _worst_first(failures: list[tuple[float, float, float, str]]) -> list[tuple]:
    def badness(f: tuple[float, float, float, str]) -> float:
        _, got, exp, _why = f
        if not (math.isfinite(got) and math.isfinite(exp)):
            return math.inf
        return abs(got - exp) / max(math.ulp(exp), 5e-324)

    return sorted(failures, key=badness, reverse=True)


def _report(name: str, params: dict[str, Any], order: int, failures: list[tuple]) -> str:
    what = ("value", "first derivative", "second derivative")[order]
    lines = [f"{name} {params or ''} {what}: {len(failures)} point(s) out of tolerance; worst:"]
    for xi, got, exp, why in _worst_first(failures)[:8]:
        lines.append(f"  x={xi!r}: got {got!r}, expected {exp!r} ({why})")
    return "\n".join(lines)


def check_order(name: str, params: dict[str, Any], order: int) -> Outcome:
    ref = reference(name, params)
    act = _activation(name, params)
    y = _evaluate_order(act, ref.x, order)
    return _compare(ref.x, y, ref, order)


# ------------------------------------------------------------------------------- tests


def test_every_registered_activation_is_covered_by_the_oracle() -> None:
    missing = []
    for name in actcli.names():
        kind = actcli.get(name).kind
        table = oracle.ELEMENTWISE if kind == "elementwise" else oracle.VECTOR
        if name not in table:
            missing.append(f"{name} ({kind})")
    assert not missing, f"activations without an oracle entry: {missing}"


def test_every_oracle_activation_is_registered() -> None:
    registered = set(actcli.names())
    absent = sorted((set(oracle.ELEMENTWISE) | set(oracle.VECTOR)) - registered)
    assert not absent, f"oracle activations missing from actcli.names(): {absent}"


@pytest.mark.parametrize("name", sorted(oracle.ELEMENTWISE))
def test_kind_elementwise(name: str) -> None:
    assert actcli.get(name).kind == "elementwise"


@pytest.mark.parametrize("name", sorted(oracle.VECTOR))
def test_kind_vector(name: str) -> None:
    assert actcli.get(name).kind == "vector"


@pytest.mark.parametrize(("name", "params"), CONFIGS, ids=CONFIG_IDS)
def test_kinks_reported(name: str, params: dict[str, Any]) -> None:
    """act.kinks holds every point where f or f' jumps, and nothing where f'' is continuous."""
    reported = {float(k) for k in _activation(name, params).kinks}
    needed = set(oracle.kinks(name, 1, **params))
    allowed = set(oracle.kinks(name, 2, **params))
    assert needed <= reported, f"missing kinks {sorted(needed - reported)}"
    assert reported <= allowed, f"spurious kinks {sorted(reported - allowed)}"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "params"), CONFIGS, ids=CONFIG_IDS)
def test_values(name: str, params: dict[str, Any]) -> None:
    out = check_order(name, params, 0)
    assert not out.failures, _report(name, params, 0, out.failures)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "params"), CONFIGS, ids=CONFIG_IDS)
def test_first_derivative(name: str, params: dict[str, Any]) -> None:
    out = check_order(name, params, 1)
    assert not out.failures, _report(name, params, 1, out.failures)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "params"), CONFIGS, ids=CONFIG_IDS)
def test_second_derivative(name: str, params: dict[str, Any]) -> None:
    out = check_order(name, params, 2)
    assert not out.failures, _report(name, params, 2, out.failures)


@pytest.mark.parametrize(("name", "params"), NON_DEFAULT, ids=CONFIG_IDS[-len(NON_DEFAULT) :])
def test_string_form_binds_the_same_parameters(name: str, params: dict[str, Any]) -> None:
    spec = name + ":" + ",".join(f"{k}={v}" for k, v in params.items())
    x = np.array(oracle.scan_grid(-10.0, 10.0, 0.05))
    np.testing.assert_array_equal(_call(actcli.get(spec), x), _call(_activation(name, params), x))


SPECIAL_VALUES: list[tuple[str, dict[str, Any], int, float, float]] = [
    ("softplus", {}, 0, 0.0, 0.6931471805599453),
    ("log_sigmoid", {}, 0, 0.0, -0.6931471805599453),
    ("mish", {}, 1, 0.0, 0.6),
    ("silu", {}, 1, 0.0, 0.5),
    ("gelu", {}, 1, 0.0, 0.5),
    ("gelu", {"approximate": "tanh"}, 1, 0.0, 0.5),
    ("sigmoid", {}, 0, 0.0, 0.5),
    ("sigmoid", {}, 1, 0.0, 0.25),
    ("tanh", {}, 1, 0.0, 1.0),
    ("sparse_plus", {}, 0, 0.0, 0.25),
    ("squareplus", {}, 0, 0.0, 1.0),
    ("squareplus", {"b": 1.0}, 0, 0.0, 0.5),
    ("hard_sigmoid", {}, 0, 0.0, 0.5),
    ("hard_silu", {}, 0, -1.5, -0.375),
    ("rrelu", {}, 1, -1.0, 11 / 48),
    ("softsign", {}, 1, 0.0, 1.0),
    ("selu", {}, 0, 1.0, 1.0507009873554805),
    ("celu", {}, 1, 0.0, 1.0),
]


@pytest.mark.parametrize(
    ("name", "params", "order", "x", "expected"),
    SPECIAL_VALUES,
    ids=[f"{n}{p or ''}-d{o}({x})" for n, p, o, x, _ in SPECIAL_VALUES],
)
def test_special_values(
    name: str, params: dict[str, Any], order: int, x: float, expected: float
) -> None:
    act = _activation(name, params)
    y = _evaluate_order(act, np.array([x]), order)
    assert y[0] == expected


@pytest.mark.parametrize(("name", "params"), CONFIGS, ids=CONFIG_IDS)
def test_nonfinite_inputs(name: str, params: dict[str, Any]) -> None:
    """+-inf give the mathematical limits (nan where none exists), nan gives nan."""
    act = _activation(name, params)
    x = np.array([-math.inf, math.inf, math.nan])
    problems = []
    for order in range(3):
        y = _evaluate_order(act, x, order).tolist()
        expected = [
            oracle.limit(name, order, -1.0, **params),
            oracle.limit(name, order, 1.0, **params),
        ]
        expected.append(math.nan)
        tol = (VALUE_ULP, D1_ULP, D2_REL)[order]
        for xi, got, exp in zip(x.tolist(), y, expected, strict=True):
            if math.isnan(exp):
                ok = math.isnan(got)
            elif exp == 0.0 or math.isinf(exp):
                ok = got == exp
            elif not math.isfinite(got):
                ok = False
            elif order < 2:
                ok = abs(got - exp) <= tol * math.ulp(exp)
            else:
                ok = abs(got - exp) <= tol * abs(exp)
            if not ok:
                problems.append(f"order {order} at x={xi}: got {got!r}, expected {exp!r}")
    assert not problems, "\n".join(problems)


# -------------------------------------------------------------------- vector activations

VECTORS: list[list[float]] = [
    [1.0, 2.0, 3.0, 4.5],
    [1000.0, 0.0, -1000.0, 0.25],
    [1e-300, -1e-300, 0.0, 5e-324],
    [0.3, -1.2, 2.5, 0.7, -0.1, 1.9],
    [700.0, 710.0, -745.0, 0.0],
    [1e-10, 2e-10, -3e-10, 4e-10],
    [-3.7, 2.2, 0.1, 9.9, -0.5, 4.4, 1e-5, -20.0],
    [1e200, -1e200, 3e199, 5e199],
    [10.0, 0.0],
]
# A large common offset is ill-conditioned for the centring in standardize (y depends on
# x_i - mean), so that vector is only used elsewhere. sparsemax takes its threshold τ in
# double-double, so it is held to the strict bound there too.
OFFSET_VECTOR = [1e6 + 1.0, 1e6 + 0.5, 1e6, 1e6 - 2.0]
CENTRING = {"standardize"}

VECTOR_CONFIGS: list[tuple[str, dict[str, Any]]] = [(n, {}) for n in sorted(oracle.VECTOR)] + [
    ("softmax", {"temperature": 0.5}),
    ("softmax", {"temperature": 3.0}),
    ("log_softmax", {"temperature": 2.0}),
    ("softmin", {"temperature": 0.5}),
    ("standardize", {"epsilon": 0.0}),
    ("normalize", {"p": 1.0}),
    ("normalize", {"p": 3.0}),
]
VECTOR_IDS = [_config_id(c) for c in VECTOR_CONFIGS]


def _vector_cases(name: str) -> list[list[float]]:
    cases = [v for v in VECTORS if not (oracle.VECTOR[name].halves and len(v) % 2)]
    if name not in CENTRING:
        cases.append(OFFSET_VECTOR)
    return cases


def _temperature_slack(name: str, params: dict[str, Any], v: list[float]) -> float:
    """softmax-family inputs are x/T: unless T is a power of two that quotient is rounded,
    and exp turns an absolute error u*|x_i - x_j|/T into a relative one.  This is the
    conditioning of the problem, so it is allowed on top of the 1e-14 (relative for
    probabilities and Jacobians, absolute for log_softmax values)."""
    if name not in ("softmax", "softmin", "log_softmax"):
        return 0.0
    t = float(params.get("temperature", 1.0))
    if math.frexp(t)[0] == 0.5:
        return 0.0
    return 2.0**-53 * (max(v) - min(v)) / abs(t)


def _vector_check(
    got: np.ndarray,
    ref: list[list[Any]],
    row_abs: float,
    rel_extra: float = 0.0,
    abs_extra: float = 0.0,
) -> list[str]:
    """|got - ref| <= max(1e-14 |ref|, 4 ulp(ref)) + rel_extra |ref| + abs_extra
    + row_abs * max|ref row| (+ the subnormal allowance); exact zeros must be exact."""
    problems = []
    for i, row in enumerate(ref):
        row_hi = [float(v) for v in row]
        scale = max((abs(v) for v in row_hi if math.isfinite(v)), default=0.0)
        for j, r in enumerate(row):
            g = float(got[i][j])
            hi, lo = _split(r)
            if r == 0:
                ok = g == 0.0
            elif not math.isfinite(hi):
                ok = g == hi
            elif not math.isfinite(g):
                ok = False
            else:
                err = abs((g - hi) - lo)
                bound = (
                    max(VECTOR_REL * abs(hi), 4 * math.ulp(hi))
                    + rel_extra * abs(hi)
                    + abs_extra
                    + row_abs * scale
                )
                ok = err <= bound or (abs(hi) < TINY and err <= SUBNORMAL_ABS)
            if not ok:
                problems.append(f"[{i}][{j}]: got {g!r}, expected {hi!r}")
    return problems


@pytest.mark.parametrize(("name", "params"), VECTOR_CONFIGS, ids=VECTOR_IDS)
def test_vector_values_and_jacobians(name: str, params: dict[str, Any]) -> None:
    act = _activation(name, params)
    problems = []
    for v in _vector_cases(name):
        x = np.array(v)
        y = _call(act, x)
        jac = _call(act.jacobian, x)
        ref_y = oracle.vector_value(name, v, **params)
        ref_j = oracle.vector_jacobian(name, v, **params)
        assert y.shape == (len(ref_y),), f"{v}: value shape {y.shape}"
        assert jac.shape == (len(ref_y), len(v)), f"{v}: jacobian shape {jac.shape}"
        # values: elementwise relative, except where centring makes it ill-conditioned
        row_abs = 4 * 2.0**-52 if name in CENTRING else 0.0
        slack = _temperature_slack(name, params, v)
        rel_y, abs_y = (0.0, slack) if name == "log_softmax" else (slack, 0.0)
        for p in _vector_check(y[None, :], [ref_y], row_abs, rel_y, abs_y):
            problems.append(f"value {v} {p}")
        # Jacobians: row-scaled slack of a few ulps of the largest entry in the row. The
        # standardize Jacobian (δ_ij − 1/n − y_i y_j/n)/s is a difference of terms of size
        # ~1/s that nearly cancel when ε ≪ var ([10, 0]: 4e-8 from terms of 0.05): its
        # conditioning, not the implementation's, sets the absolute slack there.
        abs_j = 0.0
        if name == "standardize":
            eps = mpmath.mpf(params.get("epsilon", 1e-5))
            mean = mpmath.fsum(v) / len(v)
            sd = float(mpmath.sqrt(mpmath.fsum((t - mean) ** 2 for t in v) / len(v) + eps))
            if sd > 0:
                y_max = max((abs(float(t)) for t in ref_y), default=0.0)
                abs_j = 8 * 2.0**-52 * (1.0 + y_max**2) / sd
        for p in _vector_check(jac, ref_j, 4 * 2.0**-52, slack, abs_j):
            problems.append(f"jacobian {v} {p}")
    assert not problems, f"{name} {params}:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("name", sorted(oracle.VECTOR))
def test_vector_shape_contract(name: str) -> None:
    act = _activation(name, {})
    rng = np.random.default_rng(1234)
    x = rng.normal(size=(2, 3, 6))
    y = _call(act, x)
    jac = _call(act.jacobian, x)
    m = 3 if oracle.VECTOR[name].halves else 6
    assert y.shape == (2, 3, m)
    assert jac.shape == (2, 3, m, 6)
    for i in range(2):
        for j in range(3):
            np.testing.assert_array_equal(y[i, j], _call(act, x[i, j]))
            np.testing.assert_array_equal(jac[i, j], _call(act.jacobian, x[i, j]))


# ------------------------------------------------------------------------ report table


def _worst(name: str, params: dict[str, Any], order: int) -> float:
    return max(check_order(name, params, order).metric, default=0.0)


def accuracy_table() -> str:
    """Worst measured error per configuration: ULP for values and f', relative for f''."""
    rows = [f"{'activation':44s} {'max ULP f':>10s} {'max ULP f1':>11s} {'max rel f2':>11s}  fails"]
    for name, params in CONFIGS:
        cells = []
        fails = []
        for order in range(3):
            try:
                out = check_order(name, params, order)
            except Exception as exc:  # report, do not stop the table
                cells.append("error")
                fails.append(f"d{order}: {type(exc).__name__}: {exc}".splitlines()[0][:60])
                continue
            worst = max(out.metric, default=0.0)
            cells.append(f"{worst:.3g}")
            if out.failures:
                fails.append(f"d{order}:{len(out.failures)}")
        rows.append(
            f"{_config_id((name, params)):44s} {cells[0]:>10s} {cells[1]:>11s} {cells[2]:>11s}  "
            + " ".join(fails)
        )
    return "\n".join(rows)


README_START, README_END = "<!-- accuracy:start -->", "<!-- accuracy:end -->"


def _ulp_cell(v: float) -> str:
    return "exact" if v == 0 else f"{math.ceil(v * 100) / 100:.2f}"  # rounded up: a bound


def accuracy_markdown() -> str:
    """README's accuracy table: the measured worst per elementwise configuration (values and
    f′ in ULP, rounded up to 0.01; f″ relative), as this file's tests measure it. Generated by
    ``python tools/accuracy_table.py``; a test holds README to it, figure by figure."""
    lines = [
        "| activation | f: max ULP | f′: max ULP | f″: max relative error |",
        "|---|---:|---:|---:|",
    ]
    for name, params in CONFIGS:
        f, d1, d2 = (_worst(name, params, order) for order in range(3))
        d2_cell = "exact" if d2 == 0 else f"{d2:.1e}"
        ident = _config_id((name, params)).replace("|", "\\|")
        lines.append(f"| `{ident}` | {_ulp_cell(f)} | {_ulp_cell(d1)} | {d2_cell} |")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_readme_accuracy_table_is_the_measured_one() -> None:
    """Every figure of README's accuracy table is what this run measures (the results are the
    same bytes on every CPU: tests/test_elementary.py)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    _, _, rest = readme.partition(README_START)
    table, found, _ = rest.partition(README_END)
    assert found, "README.md has no accuracy table: python tools/accuracy_table.py"
    assert table.strip() == accuracy_markdown().strip(), (
        "README's accuracy table is stale: python tools/accuracy_table.py"
    )


if __name__ == "__main__":
    sys.stdout.write(accuracy_table() + "\n")


@pytest.mark.slow
def test_sparsemax_is_exact_near_its_threshold() -> None:
    """p_i = x_i − τ cancels when x_i is just above τ: τ is taken in double-double, so the
    small entries keep their digits (a float τ lost up to 218 ULP there)."""
    rng = np.random.default_rng(7)
    act = actcli.get("sparsemax")
    worst = 0.0
    for _ in range(200):
        x = rng.normal(0.0, 3.0, int(rng.integers(2, 9))) + rng.choice([0.0, 1e3, 1e6])
        p = act(x)
        tau = float(x[p > 0][0] - p[p > 0][0])
        smallest = int(np.argmin(np.where(p > 0, p, np.inf)))
        x[smallest] = tau + abs(tau) * 10.0 ** -int(rng.integers(3, 12)) + 1e-9
        ref = oracle.vector_value("sparsemax", [float(v) for v in x])
        for got, want in zip(act(x), ref, strict=True):
            if want != 0:
                err = abs(mpmath.mpf(float(got)) - want) / math.ulp(abs(float(want)))
                worst = max(worst, float(err))
    assert worst <= 1.0, f"{worst} ULP"
