"""check's hardware model (--daz, --ftz) and the findings that name a flush when it is not
modelled. Kernel tables are actcli's own correctly rounded float32 values, then flushed as
the hardware would: nothing rests on the last bit of a float64 exp."""

from __future__ import annotations

import json

import numpy as np
import pytest

import actcli
from actcli.check.flush import Flush
from actcli.cli import app

F32 = np.float32
TINY = float(np.finfo(F32).tiny)


def daz_elu() -> tuple[np.ndarray, np.ndarray]:
    """elu in float32 by a kernel that reads subnormal inputs as ±0 (JAX and TF on CPU)."""
    powers = np.ldexp(1.0, np.arange(-149, -126))  # every binade of subnormals, 23 a side
    x = np.concatenate([-powers[::-1], np.linspace(-3, 3, 61), powers]).astype(F32)
    x = np.unique(x)
    y = actcli.get("elu")(x)  # float32 in: correctly rounded float32 out
    sub = (np.abs(x) < TINY) & (x != 0)
    y[sub] = np.copysign(F32(0), x[sub])
    return x.astype(np.float64), y.astype(np.float64)


def ftz_exponential() -> tuple[np.ndarray, np.ndarray]:
    """e^x in float32 by a kernel that writes subnormal results as +0."""
    x = np.concatenate([np.linspace(-103, -80, 47), [0.5]]).astype(F32)
    y = actcli.get("exponential")(x)
    y[np.abs(y) < TINY] = 0
    return x.astype(np.float64), y.astype(np.float64)


def test_daz_reads_subnormal_inputs_as_signed_zeros():
    model = Flush("float32", daz=True)
    x = np.array([-1e-40, 1e-45, -0.0, 0.0, TINY, -TINY, 1.0, np.inf, np.nan])
    got = model.inputs(x)
    assert got[:4].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert np.signbit(got[:4]).tolist() == [True, False, True, False]
    assert got[4:6].tolist() == [TINY, -TINY] and got[6] == 1.0 and got[7] == np.inf
    assert np.isnan(got[8])
    assert Flush("float32").inputs(x) is x  # off: untouched
    wide = Flush("float64", daz=True).inputs(np.array([5e-324, -2e-308, 1e-300]))
    assert wide.tolist() == [0.0, -0.0, 1e-300] and np.signbit(wide[1])


def test_ftz_flushes_what_rounds_below_the_smallest_normal_of_the_dtype():
    model = Flush("float32", ftz=True)
    largest_subnormal = TINY - 2.0**-149
    rounds_up = TINY - 2.0**-151  # within half a subnormal ULP of TINY: rounds to it
    ref = np.array([largest_subnormal, -rounds_up, -1e-50, 1e-39, TINY, 1e-30, np.nan, -np.inf])
    got = model.results(ref)
    assert got[:4].tolist() == [0.0, -rounds_up, -0.0, 0.0] and np.signbit(got[2])
    assert got[4:6].tolist() == [TINY, 1e-30] and np.isnan(got[6]) and got[7] == -np.inf
    # float32's subnormals are normal float64 numbers: only the dtype's range counts
    assert Flush("float64", ftz=True).results(np.array([1e-39])).tolist() == [1e-39]
    assert Flush("float16", ftz=True).results(np.array([1e-5, 1e-4])).tolist() == [0.0, 1e-4]


def test_a_kernel_reading_subnormal_inputs_as_zero_is_named_and_passes_with_daz():
    x, y = daz_elu()
    report = actcli.check("elu", x, y, dtype="float32")
    assert report.failed == 40  # |x| >= 2^-146: over 4 ULP of the subnormal spacing
    messages = [f["message"] for f in report.findings if f["kind"].startswith("subnormal")]
    assert messages == [
        "subnormal inputs flushed: 40 rows (x in ±[1.12e-44, 5.88e-39]); within tolerance if --daz",
        "subnormal results flushed: 40 rows (x in ±[1.12e-44, 5.88e-39]), where the reference "
        "is subnormal in float32; within tolerance if --ftz",
    ]
    modelled = actcli.check("elu", x, y, dtype="float32", daz=True, tol=0.5)
    assert modelled.passed and modelled.max_ulp <= 0.5, modelled.findings
    assert (
        modelled.title.startswith("elu · dialect torch: max ") and "(float32 DAZ)" in modelled.title
    )
    assert not [f for f in modelled.findings if f["kind"].startswith("subnormal")]
    doc = modelled.document()
    assert (doc["daz"], doc["ftz"]) == (True, False)


def test_a_kernel_flushing_subnormal_results_is_named_and_passes_with_ftz():
    x, y = ftz_exponential()
    report = actcli.check("exponential", x, y, dtype="float32")
    assert not report.passed
    (found,) = [f for f in report.findings if f["kind"].startswith("subnormal")]
    assert found["kind"] == "subnormal_results_flushed" and found["count"] == report.failed
    assert found["message"].endswith("subnormal in float32; within tolerance if --ftz")
    assert found["x_max"] < -87  # e^x is subnormal in float32 below x ≈ -87.34
    modelled = actcli.check("exponential", x, y, dtype="float32", ftz=True, tol=0.5)
    assert modelled.passed and "(float32 FTZ)" in modelled.title
    # the model is no licence: a kernel that keeps its subnormals now fails
    right = actcli.get("exponential")(x.astype(F32)).astype(np.float64)
    assert not actcli.check("exponential", x, right, dtype="float32", ftz=True).passed


def test_daz_and_ftz_on_the_command_line(runner, tmp_path):
    x, y = daz_elu()
    path = tmp_path / "elu.npy"
    np.save(path, np.stack([x, y], axis=1).astype(F32))
    plain = runner.invoke(app, ["check", "elu", str(path), "--dtype", "float32"])
    assert plain.exit_code == 3
    assert (
        "- subnormal inputs flushed: 40 rows (x in ±[1.12e-44, 5.88e-39]); within" in plain.stdout
    )
    both = runner.invoke(
        app, ["check", "elu", str(path), "--dtype", "float32", "--daz", "--ftz", "-f", "json"]
    )
    assert both.exit_code == 0, both.stderr
    doc = json.loads(both.stdout)
    assert (doc["daz"], doc["ftz"]) == (True, True) and doc["max_ulp"] <= 0.5
    table = runner.invoke(app, ["check", "elu", str(path), "--dtype", "float32", "--daz"])
    assert table.stdout.startswith("elu · dialect torch: max 0.448 ULP (float32 DAZ), median")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--daz=yes"], "Option '--daz' does not take a value"),
        (["--ftz=1"], "Option '--ftz' does not take a value"),
        (["--daz", "--dtype", "float33"], "'float33' is not one of"),
    ],
)
def test_daz_and_ftz_bad_input(runner, args, message):
    result = runner.invoke(app, ["check", "elu", "-", *args], input="1,1\n")
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr


def test_daz_in_float64_flushes_float64_subnormals():
    """DAZ is a mode of the float64 unit too (x86's MXCSR): its subnormals, not float32's."""
    x = np.array([-1e-310, 1e-310, 1.0])
    y = np.array([-0.0, 0.0, actcli.get("silu")(np.array([1.0]))[0]])
    assert not actcli.check("silu", x, y).passed
    assert actcli.check("silu", x, y, daz=True).passed
    assert not actcli.check("silu", np.array([1e-39]), np.array([0.0]), daz=True).passed


def test_jax_flushes_the_subnormal_results_of_exp_in_float64():
    """Recorded from JAX on CPU (tests/data/parity/jax.json, float64): its only failure in
    exponential, sigmoid and softplus is e^-710, a float64 subnormal, given as 0."""
    from pathlib import Path

    recorded = json.loads((Path(__file__).parent / "data" / "parity" / "jax.json").read_text())
    x = np.array([float(v) for v in recorded["grid"]])
    for name in ("exponential", "sigmoid", "softplus"):
        y = np.array([float(v) for v in recorded["elementwise"][name]["y"]])
        act = actcli.get(name, dialect="jax")
        plain = actcli.check(act, x, y)
        assert plain.failed == 1, name
        (found,) = [f for f in plain.findings if f["kind"].startswith("subnormal")]
        assert found["message"] == (
            "subnormal results flushed: 1 row (x = -710), where the reference is subnormal in "
            "float64; within tolerance if --ftz"
        )
        assert actcli.check(act, x, y, ftz=True).passed, name
