"""Bounded memory and time for the inputs that once took gigabytes or minutes (issue 22 §2):
memory measured from outside (``conftest.measured``), never a timed assertion; a generous
subprocess timeout fails a test that hangs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from actcli import curves
from conftest import measured
from test_cli_input import ACTCLI, ENV

LIMIT_MB = 300


def peak_mb(argv: list[str], tmp_path: Path, timeout: float = 300) -> tuple[int, str, float]:
    """(exit status, stderr, peak RSS in MB) of the installed command."""
    assert ACTCLI is not None
    peak = tmp_path / "peak"
    done = subprocess.run(
        measured([ACTCLI, *argv], peak),
        capture_output=True,
        text=True,
        env=ENV,
        cwd=tmp_path,
        timeout=timeout,
        check=False,
    )
    return done.returncode, done.stderr, int(peak.read_text()) / 1024


# ------------------------------------------------------------------------ thinning a curve


def test_a_thinned_curve_keeps_every_runs_ends_extremes_and_first_gap():
    x = np.arange(10_000, dtype=np.float64)
    y = np.sin(x / 50.0)
    y[[1234, 5678]] = [7.0, -7.0]  # spikes a plain stride would skip
    y[3000:3005] = np.nan
    tx, ty = curves.thinned(x, y, 100)
    assert len(tx) <= 5 * 100 and tx[0] == 0 and tx[-1] == 9_999
    assert 1234 in tx and 5678 in tx and 3000 in tx
    assert np.nanmax(ty) == 7.0 and np.nanmin(ty) == -7.0
    np.testing.assert_array_equal(ty, y[tx.astype(int)])  # points of the curve, not new ones
    for start in range(0, 10_000, 100):  # each run's extremes are still drawn
        run = y[start : start + 100]
        inside = ty[(tx >= start) & (tx < start + 100)]
        if not np.isnan(run).all():
            assert np.nanmax(inside) == np.nanmax(run) and np.nanmin(inside) == np.nanmin(run)


def test_short_curves_are_not_thinned():
    x = np.linspace(-1, 1, 1001)
    assert curves.bucket_size(len(x)) == 1
    tx, _ = curves.thinned(x, x**2, curves.bucket_size(len(x)))
    assert tx is x


def test_a_thinned_vector_curve_is_the_whole_ones_envelope():
    import actcli

    x = np.linspace(-30, 30, 200_001)
    act = actcli.get("softmax")
    whole = np.asarray(act(np.column_stack([x, np.zeros_like(x), np.ones_like(x)])))[:, 0]
    drawn = curves.curves(act, x, 1, [0.0, 1.0])
    assert [c.order for c in drawn] == [0, 1, 0, 1, 0, 1]
    piece = drawn[0].pieces[0]
    assert len(piece.x) < 5 * curves.BUCKETS
    np.testing.assert_array_equal(piece.y, whole[np.searchsorted(x, piece.x)])
    assert piece.y.max() == whole.max() and piece.y.min() == whole.min()


# ------------------------------------------------------------------------ --others


def test_too_many_others_are_refused_naming_the_limit(runner, monkeypatch, tmp_path):
    from actcli.cli import app

    many = ",".join(["0"] * 33)
    result = runner.invoke(
        app, ["plot", "softmax", "--others", many, "-o", str(tmp_path / "a.png")]
    )
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "error: --others: 33 values; at most 32, a curve each (ACTCLI_MAX_OTHERS changes the limit)\n"
    )
    monkeypatch.setenv("ACTCLI_MAX_OTHERS", "2")
    result = runner.invoke(app, ["plot", "softmax", "--others", "0,1,2", "--terminal"])
    assert "at most 2" in result.stderr and result.exit_code == 2
    assert not (tmp_path / "a.png").exists()


def test_twenty_thousand_others_are_refused_in_flat_memory(tmp_path):
    """Was 5.5 GB."""
    others = ",".join(str(i) for i in range(20_000))
    status, stderr, mb = peak_mb(
        ["plot", "softmax", "--others", others, "-d", "-o", "s.png"], tmp_path
    )
    assert status == 2 and "at most 32" in stderr and mb < LIMIT_MB
    assert not (tmp_path / "s.png").exists()


@pytest.mark.slow
def test_softmax_with_others_at_a_million_steps_stays_under_the_limit(tmp_path):
    """The Jacobian per point is computed in blocks and only the ∂/∂x column is kept."""
    others = ",".join(str(i) for i in range(16))
    argv = ["plot", "softmax", "--others", others, "-d", "--legend", "off"]
    status, stderr, mb = peak_mb([*argv, "--steps", "1000000", "-o", "s.png"], tmp_path)
    assert status == 0, stderr
    assert mb < LIMIT_MB, mb
    assert (tmp_path / "s.png").stat().st_size > 10_000


@pytest.mark.slow
def test_a_sweep_with_second_derivatives_at_a_million_steps_stays_under_the_limit(tmp_path):
    """`--sweep … -dd --steps 1e6` was 6 GB (eight members: 1.7 GB and minutes); each curve is
    thinned to the envelope a figure can show as it is computed."""
    argv = ["plot", "elu", "--sweep", "alpha=0.5:2:8", "-dd", "--steps", "1000000", "-o", "e.png"]
    status, stderr, mb = peak_mb(argv, tmp_path)
    assert status == 0, stderr
    assert mb < LIMIT_MB, mb


# ------------------------------------------------------------------------ stats --layers -o


@pytest.mark.slow
def test_a_gradient_factor_growing_to_the_double_range_is_drawn(runner, tmp_path):
    """`stats tanh --layers 10000 -o` (χ > 1 over thousands of layers, 74 s) ended in an
    internal error: the log axis padded 1e307 to inf, and matplotlib's log ticks a stride
    beyond overflowed. --gain 100 reaches 1e203 in 56 layers, then nan."""
    from actcli.cli import app

    out = tmp_path / "s.png"
    result = runner.invoke(
        app, ["stats", "tanh", "--layers", "200", "--gain", "100", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 10_000 and "internal error" not in result.stderr
    result = runner.invoke(
        app, ["stats", "tanh", "--layers", "200", "--gain", "0.001", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr


# ------------------------------------------------------------------------ a vector held whole


def test_a_vector_over_the_limit_is_refused_as_it_is_read(runner, monkeypatch):
    from actcli.cli import app

    monkeypatch.setenv("ACTCLI_MAX_VECTOR_VALUES", "5")
    result = runner.invoke(app, ["eval", "softmax", "--range", "0", "1", "--steps", "6"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "error: softmax holds its whole input: over 5 values is too many "
        "(ACTCLI_MAX_VECTOR_VALUES changes the limit)\n"
    )
    result = runner.invoke(app, ["eval", "softmax", "--range", "0", "1", "--steps", "5"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 6
    rows = "".join(f"{i},{i + 1},{i + 2}\n" for i in range(2)).encode()  # 6 values in rows
    result = runner.invoke(app, ["eval", "softmax", "--format", "csv"], input=rows)
    assert result.exit_code == 1 and "over 5 values" in result.stderr


@pytest.mark.slow
def test_softmax_over_1e8_values_is_refused_in_flat_memory(tmp_path):
    """Was over 6 GB: the grid arrives in blocks and the count passes the limit early."""
    argv = ["eval", "softmax", "--range", "-1", "1", "--steps", "100000000"]
    status, stderr, mb = peak_mb(argv, tmp_path)
    assert status == 1 and "over 1,000,000 values is too many" in stderr
    assert mb < 100, mb
    status, stderr, mb = peak_mb(
        ["eval", "softmax", "--range", "-1", "1", "--steps", "1000000"], tmp_path
    )
    assert status == 0 and mb < LIMIT_MB, (stderr, mb)
