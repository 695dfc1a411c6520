"""ULP accuracy of the vector activations (issue 19) against mpmath at rising precision.

Each reference is evaluated twice, at 40 and at 80 digits, and the two must agree far below
the bar; small cases are also checked against the independent oracle (tests/oracle.py).

* values: at most 4 ULP per entry, ULP = |y − ref| / ulp(ref) (ulp(0) = 5e−324, so
  subnormal results are held to an absolute 4·2⁻¹⁰⁷⁴);
* Jacobians: at most 8 ULP of the row's largest entry, per entry (so an entry that should be
  tiny is not allowed to be lost to cancellation against terms of the row's size).

Random rows of lengths 2, 3, 10 and 1000 (and one of 1e5, a few entries checked) at
temperatures 1, 0.7, 0.1 and 3. Run ``python tests/test_vector_accuracy.py`` for a table of
the measured worst errors.
"""

from __future__ import annotations

import itertools
import math
import sys
import warnings
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import pytest
from mpmath import mp, mpf

import actcli
import oracle

VALUE_ULP = 4.0
JACOBIAN_ULP = 8.0
LOW, HIGH = 40, 80  # digits of the two reference evaluations

Ref = Callable[[Sequence[float], dict[str, Any], Sequence[int]], tuple[list[Any], list[list[Any]]]]


# ----------------------------------------------------------------------------- references


def _softmax_ref(
    sign: int, log: bool
) -> Callable[[Sequence[float], dict[str, Any], Sequence[int]], tuple[list[Any], list[list[Any]]]]:
    def ref(
        x: Sequence[float], params: dict[str, Any], rows: Sequence[int]
    ) -> tuple[list[Any], list[list[Any]]]:
        t = mpf(params.get("temperature", 1.0))
        z = [sign * mpf(v) / t for v in x]
        m = max(z)
        e = [mp.exp(zi - m) for zi in z]
        top = z.index(m)
        others = mp.fsum(e[:top] + e[top + 1 :])  # e[top] = 1: log1p keeps log_total
        total = 1 + others
        p = [ei / total for ei in e]
        if log:
            log_total = mp.log1p(others)
            y = [(zi - m) - log_total for zi in z]
        else:
            y = p
        jac = []
        for i in rows:
            rest = mp.fsum(e[:i] + e[i + 1 :]) / total  # 1 − p_i without cancelling
            if log:
                row = [(rest if j == i else -p[j]) / t for j in range(len(x))]
            else:
                row = [sign * p[i] * (rest if j == i else -p[j]) / t for j in range(len(x))]
            jac.append(row)
        return y, jac

    return ref


def _mp(q: Fraction) -> Any:
    return mpf(q.numerator) / q.denominator


def _standardize_ref(
    x: Sequence[float], params: dict[str, Any], rows: Sequence[int]
) -> tuple[list[Any], list[list[Any]]]:
    """Exact in rationals up to the one square root: J = P/s with
    P = I − 11ᵀ/n − d dᵀ/(n s²) and s² = Σd²/n + ε rational (cancellation cannot hurt)."""
    n = len(x)
    xs = [Fraction(v) for v in x]
    mean = sum(xs, Fraction(0)) / n
    d = [v - mean for v in xs]
    s2 = sum((v * v for v in d), Fraction(0)) / n + Fraction(params.get("epsilon", 1e-5))
    s = mp.sqrt(_mp(s2))
    y = [_mp(v) / s for v in d]
    jac = [
        [_mp(int(i == j) - Fraction(1, n) - d[i] * d[j] / (n * s2)) / s for j in range(n)]
        for i in rows
    ]
    return y, jac


def _normalize_ref(
    x: Sequence[float], params: dict[str, Any], rows: Sequence[int]
) -> tuple[list[Any], list[list[Any]]]:
    """For an integer p, exact in rationals up to the p-th root: J = P/‖x‖ with
    P = I − x ⊙ sign(x)|x|^(p−1) / Σ|x|^p."""
    p, eps = int(params.get("p", 2.0)), mpf(params.get("eps", 1e-12))
    assert p == params.get("p", 2.0)
    xs = [Fraction(v) for v in x]
    total = sum((abs(v) ** p for v in xs), Fraction(0))
    norm = mp.root(_mp(total), p)
    n = len(x)
    if norm <= eps:
        return [_mp(v) / eps for v in xs], [[mpf(i == j) / eps for j in range(n)] for i in rows]
    y = [_mp(v) / norm for v in xs]
    grad = [(1 if v > 0 else -1) * abs(v) ** (p - 1) for v in xs]  # ∝ ∂‖x‖/∂x_j
    jac = [[_mp(int(i == j) - xs[i] * grad[j] / total) / norm for j in range(n)] for i in rows]
    return y, jac


REFS: dict[str, Ref] = {
    "softmax": _softmax_ref(1, log=False),
    "softmin": _softmax_ref(-1, log=False),
    "log_softmax": _softmax_ref(1, log=True),
    "standardize": _standardize_ref,
    "normalize": _normalize_ref,
}


def reference(
    name: str, x: Sequence[float], params: dict[str, Any], rows: Sequence[int]
) -> tuple[list[Any], list[list[Any]]]:
    """The reference at HIGH digits, checked against the one at LOW digits."""
    with mp.workdps(LOW):
        y_low, j_low = REFS[name](x, params, rows)
    with mp.workdps(HIGH):
        y, jac = REFS[name](x, params, rows)
        for a, b in zip(y, y_low, strict=True):
            assert abs(a - b) <= mpf(2) ** -70 * abs(a) + mpf(10) ** -330, (name, a, b)
        for row, row_low in zip(jac, j_low, strict=True):
            scale = max(abs(v) for v in row)
            for a, b in zip(row, row_low, strict=True):
                assert abs(a - b) <= mpf(2) ** -70 * scale + mpf(10) ** -330, (name, a, b)
    return y, jac


# ----------------------------------------------------------------------------- measures


def _ulps(got: float, ref: Any, unit: float) -> float:
    """|got − ref| in units of ``unit`` (infinite for a non-finite result that should not be)."""
    hi = float(ref)
    if not math.isfinite(got):
        return 0.0 if got == hi else math.inf
    return float(abs(mpf(got) - ref) / unit)


def value_ulps(got: np.ndarray, ref: list[Any], at: Sequence[int]) -> float:
    return max(_ulps(float(got[i]), ref[i], math.ulp(float(ref[i]))) for i in at)


def jacobian_ulps(got: np.ndarray, ref: list[list[Any]]) -> float:
    worst = 0.0
    for g_row, r_row in zip(got, ref, strict=True):
        unit = math.ulp(max(abs(float(v)) for v in r_row))
        worst = max(worst, *(_ulps(float(g), r, unit) for g, r in zip(g_row, r_row, strict=True)))
    return worst


def _quiet(fn: Callable[..., Any], *args: Any) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return np.asarray(fn(*args))


def measure(
    name: str, x: np.ndarray, params: dict[str, Any], at: Sequence[int] | None = None
) -> tuple[float, float]:
    """(worst value ULP, worst Jacobian ULP of the row maximum) of ``name`` on the row x;
    ``at``: the entries (and Jacobian rows) checked, all by default."""
    act = actcli.get(name, **params)
    xs = [float(v) for v in x]
    idx = list(range(len(xs))) if at is None else list(at)
    y_ref, j_ref = reference(name, xs, params, idx)
    y = _quiet(act, x)
    # a (1e5)² Jacobian would take 80 GB: long rows have their values checked only
    worst_j = jacobian_ulps(_quiet(act.jacobian, x)[idx], j_ref) if len(xs) <= 1000 else 0.0
    return value_ulps(y, y_ref, idx), worst_j


# ----------------------------------------------------------------------------- cases


def _row(n: int, seed: int, spread: float) -> np.ndarray:
    return np.random.default_rng(seed).normal(scale=spread, size=n)


SOFTMAX_FAMILY = ("softmax", "softmin", "log_softmax")
TEMPERATURES = (1.0, 0.7, 0.1, 3.0)
LENGTHS = (2, 3, 10, 1000)
SPREADS = (1.0, 10.0)  # logit scales: exp amplifies the error of (x − max)/T by |x − max|/T


def _rows_checked(n: int) -> list[int] | None:
    """Every Jacobian row of a short vector; a few of a long one (mpmath is slow)."""
    return None if n <= 10 else [0, 1, n // 2, n - 1]


@pytest.mark.parametrize("temperature", TEMPERATURES)
@pytest.mark.parametrize("name", SOFTMAX_FAMILY)
def test_softmax_family(name: str, temperature: float) -> None:
    problems = []
    for n in LENGTHS:
        for k, spread in enumerate(SPREADS):
            x = _row(n, 100 * n + k, spread)
            at = _rows_checked(n)
            if at is not None:
                at = [*at, int(np.argmax(x)), int(np.argmin(x))]
            v, j = measure(name, x, {"temperature": temperature}, at)
            if v > VALUE_ULP or j > JACOBIAN_ULP:
                problems.append(f"n={n} spread={spread}: values {v:.3g} ULP, Jacobian {j:.3g}")
    assert not problems, f"{name} T={temperature}:\n" + "\n".join(problems)


# (spread, offset): logits over ±300 (q up to 3000 at T = 0.1: exp's argument rounded cost
# 300 to 750 ULP), and large offsets, where x − max itself rounds
WIDE = ((100.0, 0.0), (300.0, 0.0), (10.0, 1e5), (3.0, -1e3))


@pytest.mark.parametrize("temperature", TEMPERATURES)
@pytest.mark.parametrize("name", SOFTMAX_FAMILY)
def test_softmax_family_wide_logits(name: str, temperature: float) -> None:
    problems = []
    for n in (2, 3, 10, 200):
        for k, (spread, offset) in enumerate(WIDE):
            x = _row(n, 7 * n + k, spread) + offset
            at = _rows_checked(n)
            v, j = measure(name, x, {"temperature": temperature}, at)
            if v > VALUE_ULP or j > JACOBIAN_ULP:
                problems.append(f"n={n} {spread=} {offset=}: values {v:.3g} ULP, Jacobian {j:.3g}")
    assert not problems, f"{name} T={temperature}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "spec",
    [
        *(
            f"{n}:temperature={t},inf_policy={p}"
            for n in SOFTMAX_FAMILY
            for t in (0.7, 1e-300, 1e300)
            for p in ("nan", "limit")
        ),
        *(f"standardize:epsilon={e}" for e in (0.0, 1e-5, 1e300)),
        *(f"normalize:p={p},eps={e}" for p in (1.0, 2.0, 3.0, 1.5) for e in (0.0, 1e-12, 1e300)),
    ],
)
def test_special_rows_quiet(spec: str) -> None:
    """Rows of extreme, infinite and NaN entries: no floating-point warning, values and
    Jacobians of the right shapes, and finite rows that are not constant get a value."""
    act = actcli.get(spec)
    picks = (0.0, -0.0, 1e308, -1.7e308, 5e-324, 1e-310, 2.0, math.inf, -math.inf, math.nan)
    rows = np.array(list(itertools.product(picks, repeat=3)))
    y = _quiet(act, rows)
    jac = _quiet(act.jacobian, rows)
    assert y.shape == rows.shape and jac.shape == (*rows.shape, 3)
    clean = np.isfinite(rows).all(axis=-1) & (np.abs(rows) < 1e300).all(axis=-1)
    varied = clean & (np.ptp(np.where(clean[:, None], rows, 0.0), axis=-1) > 0)
    assert not np.isnan(y[varied]).any()  # constant rows may have none (ε = 0, eps = 0)


@pytest.mark.slow
@pytest.mark.parametrize("name", SOFTMAX_FAMILY)
def test_softmax_family_long_row(name: str) -> None:
    n = 100_000
    x = _row(n, 7, 10.0)
    at = [0, 1, n // 3, int(np.argmax(x)), int(np.argmin(x))]
    v, _ = measure(name, x, {"temperature": 0.7}, at)
    assert v <= VALUE_ULP


@pytest.mark.parametrize("params", [{"epsilon": 1e-5}, {"epsilon": 0.0}, {"epsilon": 1.0}], ids=str)
def test_standardize(params: dict[str, Any]) -> None:
    problems = []
    for n in LENGTHS:
        for k, offset in enumerate((0.0, 3.0, 1e4)):
            x = _row(n, 300 * n + k, 1.0) + offset
            v, j = measure("standardize", x, params, _rows_checked(n))
            if v > VALUE_ULP or j > JACOBIAN_ULP:
                problems.append(f"n={n} offset={offset}: values {v:.3g} ULP, Jacobian {j:.3g}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "x",
    [
        [10.0, 0.0],
        [1.0, 2.0],
        [3.0, 1e-3],
        [10.0, 0.0, 0.0, 0.0],  # one outlier: its Jacobian row is zero for ε = 0
        [10.0, 0.0, 0.0, 1e-5],  # ... and all cancellation nearby
        [1e6 + 1.0, 1e6 + 0.5, 1e6, 1e6 - 2.0],
    ],
)
@pytest.mark.parametrize("epsilon", [1e-5, 0.0])
def test_standardize_cancellation(x: list[float], epsilon: float) -> None:
    v, j = measure("standardize", np.array(x), {"epsilon": epsilon})
    assert v <= VALUE_ULP and j <= JACOBIAN_ULP, (v, j)


@pytest.mark.parametrize("params", [{"p": 2.0}, {"p": 1.0}, {"p": 3.0}], ids=str)
def test_normalize(params: dict[str, Any]) -> None:
    problems = []
    cases = [_row(n, 500 * n, 1.0) for n in LENGTHS]
    cases += [np.array([1e8, 1.0, -2.0]), np.array([1.0, 1e-9]), np.array([3.0, 4.0])]
    for x in cases:
        v, j = measure("normalize", x, params, _rows_checked(len(x)))
        if v > VALUE_ULP or j > JACOBIAN_ULP:
            problems.append(f"{x[:4]}: values {v:.3g} ULP, Jacobian {j:.3g}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", [*SOFTMAX_FAMILY, "standardize", "normalize"])
def test_reference_agrees_with_oracle(name: str) -> None:
    """The references here and the oracle's are written independently: they must agree."""
    params: dict[str, Any] = {"temperature": 0.7} if name in SOFTMAX_FAMILY else {}
    x = [0.3, -1.2, 2.5, 0.7, -0.1]
    y, jac = reference(name, x, params, range(len(x)))
    y_o = oracle.vector_value(name, x, **params)
    j_o = oracle.vector_jacobian(name, x, **params)
    for a, b in zip(y, y_o, strict=True):
        assert abs(a - b) <= 1e-40 * abs(a) + 1e-300
    for row, row_o in zip(jac, j_o, strict=True):
        for a, b in zip(row, row_o, strict=True):
            assert abs(a - b) <= 1e-40 * max(abs(v) for v in row)


def test_softmax_batch_matches_rows() -> None:
    """The vectorised sums give each row of a batch the same bits as the row alone."""
    x = np.random.default_rng(5).normal(scale=5.0, size=(7, 33))
    for name in SOFTMAX_FAMILY:
        act = actcli.get(name, temperature=0.7)
        batch = _quiet(act, x)
        for i in range(x.shape[0]):
            np.testing.assert_array_equal(batch[i], _quiet(act, x[i]))


def table() -> str:
    lines = [f"{'activation':34s} {'max ULP y':>10s} {'max ULP J':>10s}"]
    configs: list[tuple[str, dict[str, Any]]] = [
        (name, {"temperature": t}) for name in SOFTMAX_FAMILY for t in TEMPERATURES
    ]
    configs += [("standardize", {"epsilon": 1e-5}), ("standardize", {"epsilon": 0.0})]
    configs += [("normalize", {"p": 2.0}), ("normalize", {"p": 3.0})]
    for name, params in configs:
        worst_v = worst_j = 0.0
        for n in LENGTHS:
            for k, spread in enumerate(SPREADS):
                x = _row(n, 100 * n + k, spread)
                if name == "standardize":
                    x = x + 3.0
                at = _rows_checked(n)
                v, j = measure(name, x, params, at)
                worst_v, worst_j = max(worst_v, v), max(worst_j, j)
        if name == "standardize":
            _, j2 = measure(name, np.array([10.0, 0.0]), params)
            worst_j = max(worst_j, j2)
        if name == "normalize":
            _, j2 = measure(name, np.array([1e8, 1.0, -2.0]), params)
            worst_j = max(worst_j, j2)
        label = f"{name} {params}"
        lines.append(f"{label:34s} {worst_v:10.3g} {worst_j:10.3g}")
    return "\n".join(lines)


if __name__ == "__main__":
    mpmath.mp.dps = 15
    sys.stdout.write(table() + "\n")


# ----------------------------------------------------------------------------- numerics.sum_dd, div_dd


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 64, 1001])
def test_sum_dd_is_faithful(n: int) -> None:
    """hi + lo is within a few u² of the exact sum (math.fsum), even with cancellation."""
    from actcli.numerics import sum_dd

    rng = np.random.default_rng(n)
    rows = rng.normal(size=(5, n)) * 10.0 ** rng.integers(-8, 9, size=(5, n))
    if n:
        rows[0, -1] = -math.fsum(rows[0, :-1])  # cancels to a few ulps of the terms
    hi, lo = sum_dd(rows)
    for row, h, low in zip(rows, hi, lo, strict=True):
        exact = sum((Fraction(v) for v in row), Fraction(0))
        scale = max((abs(v) for v in row), default=0.0)
        assert abs(Fraction(h) + Fraction(low) - exact) <= 2.0**-100 * max(n, 1) * scale


@pytest.mark.parametrize("divisor", [0.7, 3.0, 1.0, 0.1, 1e250, 1e-250, 1000.0])
def test_div_dd(divisor: float) -> None:
    from actcli.numerics import div_dd

    rng = np.random.default_rng(3)
    hi = rng.normal(size=50) * divisor * 100.0
    lo = hi * 2.0**-60
    qh, ql = div_dd(hi, lo, divisor)
    for h, low, a, b in zip(qh, ql, hi, lo, strict=True):
        exact = (Fraction(a) + Fraction(b)) / Fraction(divisor)
        assert abs(Fraction(h) + Fraction(low) - exact) <= 2.0**-100 * abs(exact)
