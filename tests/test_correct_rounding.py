"""Narrow results are correctly rounded: ``eval``/``diff --dtype D`` give the exact value
rounded to nearest-even in D, for every bfloat16, float16 and float8 input.

The reference is the oracle (mpmath, stable forms, independent of actcli) at rising
precision: 60 digits, and ten times more as long as that cannot tell on which side of a
rounding boundary the exact value lies (tanh_shrink(2050) − 2049 is 2e−1781). A result can only be misrounded
where the float64 value it is rounded from lies within its error of a boundary; every input
whose float64 result lies within 2^20 float64 ULP of one (a margin far beyond any measured
float64 error, see test_accuracy.py) is compared with the oracle's correct rounding, and so
is a sample of the rest.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from mpmath import mp, mpf

import actcli
import oracle
from actcli import dtypes, evaluation

MARGIN = 2.0**20  # float64 ULP: results nearer than this to a boundary are all compared
SAMPLE = 64  # and this many others per activation and type


def _every(name: str) -> np.ndarray:
    t = dtypes.lookup(name)
    values = np.arange(1 << t.width, dtype=np.uint32).astype(t.unsigned).view(t.numpy)
    with np.errstate(invalid="ignore"):  # (the signalling nans)
        wide = values.astype(np.float32).astype(np.float64)
    return wide[np.isfinite(wide)]


def _correctly_rounded(exact: mpf, name: str) -> float:
    """``exact`` rounded to nearest-even in ``name``, decided in mpmath (no double rounding)."""
    if mp.isnan(exact):
        return math.nan
    t = dtypes.lookup(name)
    guess = float(exact)  # nearest double; its two narrow neighbours bracket the exact value
    below = float(dtypes.rounded(np.nextafter(guess, -math.inf), name))
    above = float(dtypes.rounded(np.nextafter(guess, math.inf), name))
    if below == above:
        return below
    if math.isinf(below) or math.isinf(above):
        edge = math.ldexp(2.0 - math.ldexp(1.0, -t.precision), t.emax)
        boundary = mpf(math.copysign(edge, below if math.isinf(below) else above))
    else:
        boundary = (mpf(below) + mpf(above)) / 2
    if exact > boundary:
        return above
    if exact < boundary:
        return below
    bits = int(dtypes.to_bits(below, name))
    return below if bits % 2 == 0 else above


def _oracle(name: str, x: float, order: int, params: dict[str, object], dps: int) -> mpf:
    saved = oracle.DPS
    oracle.DPS = dps
    try:
        return oracle._eval_uncached(name, oracle.params_key(name, **params), x)[order]
    finally:
        oracle.DPS = saved


def _expected(name: str, x: float, order: int, params: dict[str, object], dtype: str) -> float:
    """The oracle's value correctly rounded, at rising precision until the rounding is sure:
    the exact value is farther than the working precision's error from a boundary."""
    for dps in (60, 600, 6_000):  # (float16 tanh_shrink needs 3,600 digits at most)
        with mp.workdps(dps):
            exact = _oracle(name, x, order, params, dps)
            wiggle = abs(exact) * mpf(10) ** (10 - dps)
            rounded = _correctly_rounded(exact, dtype)
            if _correctly_rounded(exact - wiggle, dtype) == _correctly_rounded(
                exact + wiggle, dtype
            ):
                return rounded
    return rounded  # an exact tie (a rational result on a midpoint): ties to even


CASES = [
    # the misrounds measured in issue 19, and the rest of the catalog at its defaults
    ("silu", {}), ("quick_gelu", {}), ("elish", {}), ("hard_silu", {}), ("tanh_shrink", {}),
    ("bent_identity", {}), ("leaky_relu", {}), ("rrelu", {}), ("gelu", {}), ("sigmoid", {}),
    ("tanh", {}), ("softplus", {}), ("mish", {}), ("elu", {}), ("selu", {}), ("celu", {}),
    ("log_sigmoid", {}), ("softsign", {}), ("squareplus", {}), ("lisht", {}), ("isru", {}),
    ("tanh_exp", {}), ("serf", {}), ("gaussian", {}), ("exponential", {}), ("hard_tanh", {}),
    ("hard_sigmoid", {}), ("soft_shrink", {}), ("squared_relu", {}), ("leaky_relu", {"negative_slope": 0.1}),
]  # fmt: skip


def _kinks(name: str, params: dict[str, object]) -> set[float]:
    return {float(k) for k in oracle.kinks(name, order=2, **params)}


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["bfloat16", "float16", "float8_e4m3fn", "float8_e5m2"])
@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}{p or ''}" for n, p in CASES])
@pytest.mark.parametrize("order", [0, 1])
def test_every_narrow_input_is_correctly_rounded(name, params, dtype, order):
    act = actcli.get(name, **params)
    x = _every(dtype)
    report = evaluation.Report(dtype=dtype)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        wide = np.asarray(act(x) if order == 0 else act.derivative(x, order), dtype=np.float64)
        (block,) = evaluation.elementwise([act], [x], order, dtype, report)
        got = block[1].astype(np.float64)
        reach = np.abs(wide) * (MARGIN * 2.0**-52)
        near = dtypes.round_to(wide - reach, dtype) != dtypes.round_to(wide + reach, dtype)
    finite = np.isfinite(wide)
    rng = np.random.default_rng(abs(hash((name, dtype, order))) % 2**32)
    picked = set(np.flatnonzero(near & finite).tolist())
    picked |= set(rng.choice(np.flatnonzero(finite), SAMPLE, replace=False).tolist())
    kinks = _kinks(name, params)
    wrong = []
    for i in sorted(picked):
        if order and float(x[i]) in kinks:
            continue  # f′ at a kink is the dialect's convention, not a formula's value
        expected = _expected(name, float(x[i]), order, params, dtype)
        if not (got[i] == expected or (math.isnan(expected) and math.isnan(got[i]))):
            wrong.append((float(x[i]), float(got[i]), expected))
    assert not wrong, f"{len(wrong)} of {len(picked)} misrounded, e.g. {wrong[:5]}"


def test_the_reproducers_of_issue_19():
    def one(name: str, x: float, dtype: str, order: int = 0, **params: object) -> float:
        act = actcli.get(name, **params)
        report = evaluation.Report(dtype=dtype)
        (block,) = evaluation.elementwise([act], [np.array([x])], order, dtype, report)
        return float(block[1][0])

    assert one("tanh_shrink", 2050.0, "float16") == 2050.0  # float64's 2049 is a midpoint
    tiny = 2.0**-133  # bfloat16's smallest subnormal: silu(x) ≈ x/2 + x²/4, just above x/2
    assert one("silu", tiny, "bfloat16") == tiny
    assert one("silu", -tiny, "bfloat16") == 0.0
    assert math.copysign(1.0, one("silu", -tiny, "bfloat16")) == -1.0


def test_check_at_half_an_ulp_tells_correct_rounding_from_misrounding():
    tiny = 2.0**-133
    x = [tiny, -tiny, 1.0]
    right = actcli.check("silu", x, [tiny, -0.0, 0.73046875], dtype="bfloat16", tol=0.5)
    assert right.passed and right.max_ulp == 0.5
    # what rounding float64's silu(tiny) = tiny/2 once gives: 0 (the tie goes to even)
    wrong = actcli.check("silu", x, [0.0, -0.0, 0.73046875], dtype="bfloat16", tol=0.5)
    assert not wrong.passed and wrong.failed == 1 and wrong.max_ulp > 0.5
    half = actcli.check("tanh_shrink", [2050.0, 2052.0], [2048.0, 2052.0], dtype="float16", tol=0.5)
    assert not half.passed and half.failed == 1
    assert actcli.check("tanh_shrink", [2050.0], [2050.0], dtype="float16", tol=0.5).passed


def _dispatch_off() -> dict[str, str]:
    """The environment that keeps numpy to its baseline SIMD paths on any CPU."""
    from numpy._core._multiarray_umath import __cpu_dispatch__

    return {"NPY_DISABLE_CPU_FEATURES": " ".join(__cpu_dispatch__)}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["gelu", "silu", "tanh", "softplus", "mish", "elu", "sigmoid"])
def test_narrow_results_are_the_same_bytes_whatever_simd_numpy_uses(name):
    """Correctly rounded, a narrow result does not depend on the last bits numpy's CPU
    dispatch decides in float64 (which it does: gelu(−2.5) ends in …335 with AVX-512 and
    …337 without)."""
    import os
    import subprocess

    commands = [
        ["actcli", "eval", name, "--all", "bfloat16", "--dtype", "bfloat16"],
        ["actcli", "diff", name, "--all", "float16", "--dtype", "float16"],
        ["actcli", "eval", name, "--all", "float32", "--range", "-2.5", "-2.49", "--dtype", "float32"],
    ]  # fmt: skip
    for command in commands:
        runs = [
            subprocess.run(command, capture_output=True, env={**os.environ, **extra}, check=True)
            for extra in ({}, _dispatch_off())
        ]
        assert runs[0].stdout == runs[1].stdout, command


def test_float8_through_the_command_line(runner):
    from actcli.cli import app

    out = runner.invoke(app, ["eval", "exponential", "5", "7", "--dtype", "float8_e4m3fn"])
    assert out.exit_code == 0
    assert out.stdout == "x,exponential\n5.0,140.0\n7.0,nan\n"  # no inf: exp(7) is nan
    assert out.stderr == "warning: 1 result(s) overflowed to nan in float8_e4m3fn\n"
    table = runner.invoke(app, ["eval", "gelu", "--all", "float8_e5m2", "--dtype", "float8_e5m2"])
    assert table.stdout.count("\n") == 1 + 248  # the header; 256 patterns less ±inf and 6 nans
    checked = runner.invoke(
        app, ["check", "gelu", "-", "--dtype", "float8_e5m2", "--tol", "0.5"], input=table.stdout
    )
    assert checked.exit_code == 0, checked.stdout
