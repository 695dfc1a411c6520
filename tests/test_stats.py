"""Gaussian statistics against mpmath quadrature of the independent oracle (≤ 1e-12 relative)."""

from __future__ import annotations

import inspect
import math

import mpmath as mp
import numpy as np
import pytest

import actcli
import oracle
from actcli import comparison, stats
from actcli.cli import app
from actcli.cli.stats import stats_command
from actcli.errors import DataError

CASES = [
    ("relu", {}, 0.0, 1.0),
    ("gelu", {}, 0.0, 1.0),
    ("tanh", {}, 0.0, 1.0),
    ("selu", {}, 0.0, 1.0),
    ("leaky_relu", {"negative_slope": 0.2}, 0.3, 2.0),
    ("hard_tanh", {}, -0.5, 1.5),
    ("elu", {"alpha": 0.5}, 0.0, 1.0),
    ("softplus", {}, 1.0, 0.5),
    ("silu", {}, 0.0, 3.0),
]


def reference(name, params, order, power, mean, std, kinks):
    """E[(f^(order)(z))^power], z ~ N(mean, std²), with mpmath, split at the kinks."""
    with mp.workdps(30):

        def g(t):
            value = (
                oracle.value(name, float(t), **params)
                if order == 0
                else (oracle.derivative(name, float(t), 1, **params))
            )
            u = (t - mean) / std
            return value**power * mp.exp(-u * u / 2) / (std * mp.sqrt(2 * mp.pi))

        points = [-mp.inf, *sorted(kinks), mp.inf]
        return mp.quad(g, points)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "params", "mean", "std"), CASES)
def test_moments_match_mpmath(name, params, mean, std):
    act = actcli.get(name, **params)
    m = stats.moments(act, mean, std)
    kinks = list(act.kinks)
    for got, order, power in [
        (m.mean, 0, 1), (m.second, 0, 2), (m.d_mean, 1, 1), (m.d_second, 1, 2),
    ]:  # fmt: skip
        want = reference(name, params, order, power, mean, std, kinks)
        assert abs(got - float(want)) <= 1e-12 * max(abs(float(want)), 1e-3), (order, power)
    var = float(reference(name, params, 0, 2, mean, std, kinks) - reference(
        name, params, 0, 1, mean, std, kinks) ** 2)  # fmt: skip
    assert abs(m.variance - var) <= 1e-12 * max(var, 1e-3)


def test_golden_values():
    relu = stats.moments(actcli.get("relu"))
    assert relu.gain == pytest.approx(math.sqrt(2), rel=1e-15)
    assert relu.mean == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-15)
    assert relu.dead == 0.5
    selu = stats.moments(actcli.get("selu"))
    assert abs(selu.mean) < 1e-15
    assert selu.variance == pytest.approx(1.0, rel=1e-12)
    assert selu.second == pytest.approx(1.0, rel=1e-12)
    hard = stats.moments(actcli.get("hard_tanh"))
    assert hard.dead == pytest.approx(math.erfc(1 / math.sqrt(2)), rel=1e-12)  # P(|z| > 1)
    leaky = actcli.get("leaky_relu", negative_slope=0.2)
    assert stats.TORCH_GAIN["leaky_relu"](leaky) == pytest.approx(math.sqrt(2 / 1.04))


def test_propagation_keeps_variance_with_its_gain():
    act = actcli.get("tanh")
    trace = stats.propagate(act, 6, stats.moments(act).gain)
    assert all(abs(t.q - 1.0) < 1e-12 for t in trace)
    sigmoid = stats.propagate(actcli.get("sigmoid"), 20, 1.0)
    assert sigmoid[-1].gradient < 1e-20  # the vanishing-gradient story, as a number


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stats", "relu", "--std", "0"], "--mean must be finite and --std finite and > 0"),
        (["stats", "relu", "--std", "-1"], "--mean must be finite and --std finite and > 0"),
        (["stats", "relu", "--layers", "0"], "--layers: must be between 1 and 10000"),
        (["stats", "relu", "--layers", "1000000"], "--layers: must be between 1 and 10000"),
        (["stats", "relu", "--eps", "0"], "--eps: must be > 0"),
        (["stats", "softmax"], "softmax is a vector one"),
        (["stats", "nosuch"], "unknown activation"),
        (["stats", "relu", "-o", "x.png"], "give --layers"),
    ],
)
def test_stats_bad_input(runner, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_stats_cli_outputs(runner, tmp_path):
    csv = runner.invoke(app, ["stats", "relu", "--format", "csv"]).stdout.splitlines()
    assert csv[0] == "quantity,value"
    assert "gain 1/√E[f²],1.414213562373095" in csv
    assert "torch calculate_gain,1.4142135623730951" in csv
    layers = runner.invoke(app, ["stats", "tanh", "--layers", "3", "-o", str(tmp_path / "l.png")])
    assert layers.exit_code == 0, layers.stderr
    assert (tmp_path / "l.png").read_bytes()[:4] == b"\x89PNG"
    assert layers.stdout.splitlines()[0] == "layer,q,mean,chi,gradient"


def test_one_saturation_threshold_everywhere():
    label = comparison.LABELS["saturates"]
    assert float(label.split("< ")[1].rstrip(")")) == stats.SATURATION
    assert inspect.signature(stats_command).parameters["eps"].default == stats.SATURATION


def test_odd_functions_have_mean_exactly_zero():
    for name in ("tanh", "softsign", "hard_tanh", "isru", "sine", "tanh_shrink"):
        assert stats.moments(actcli.get(name)).mean == 0.0, name


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("exp(x**2)", "the integrand is inf at z = "),  # E[e^(z²)] diverges
        ("log(x)", "the integrand is nan at z = "),
        ("x**x**x", "the integrand is nan at z = "),
    ],
)
def test_a_mean_that_does_not_exist_is_a_data_error(formula, message):
    with pytest.raises(DataError, match=r"E\[·\] for z ~ N\(0, 1²\) is not finite: " + message):
        stats.moments(actcli.get(formula))


def test_overflow_in_the_integrand_is_a_data_error():
    act = actcli.get("exp(x)")
    with pytest.raises(DataError, match="is not finite"):
        stats.expect(act, lambda t: np.asarray(act(t)) ** 40, 0.0, 1.0)  # e^(40z) overflows


def test_edge_is_found_to_the_last_bit():
    root = math.sqrt(2.0)
    assert abs(stats.edge(lambda t: t * t < 2.0, 1.0, 2.0) - root) <= math.ulp(root)
    assert stats.edge(lambda t: t < 0.0, -1.0, 1.0) == 0.0  # not −0.0
