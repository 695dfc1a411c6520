"""The activation names models' configs use (issue 21): each resolves, to the right maths.

Every name of Hugging Face transformers' ``ACT2CLS`` and timm's ``create_act`` tables is
checked against a direct mpmath transcription of the upstream code, written here from the
sources (transformers 5.25.0, ``transformers/activations.py``; timm 1.0.31,
``timm/layers/activations.py`` and ``timm/layers/create_act.py``; torch built-ins by the
formulas their documentation states): f, f′ and f″ (the latter two by mpmath's numerical
differentiation of the transcription) at many points. The tolerance is a few ULP, far tighter
than the gaps between the GELU variants, so an alias pointing at the wrong one fails (the
last tests show the gaps are seen).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest
from mpmath import mp, mpf

import actcli
import oracle
from actcli.catalog import registry

Fn = Callable[[Any], Any]

# ---------------------------------------------------------------- transcriptions (mpmath)

SQRT_2_OVER_PI = lambda: mp.sqrt(2 / mp.pi)  # noqa: E731  math.sqrt(2.0 / math.pi)


def _erf_gelu(x: Any) -> Any:  # input * 0.5 * (1.0 + torch.erf(input / math.sqrt(2.0)))
    return x * mpf("0.5") * mp.erfc(-x / mp.sqrt(2))


def _tanh_gelu(x: Any) -> Any:
    # 0.5 * input * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (input + 0.044715 * input**3)))
    return mpf("0.5") * x * (1 + mp.tanh(SQRT_2_OVER_PI() * (x + mpf("0.044715") * x**3)))


def _fast_gelu(x: Any) -> Any:
    # 0.5 * input * (1.0 + torch.tanh(input * 0.7978845608 * (1.0 + 0.044715 * input * input)))
    c, k = mpf("0.7978845608"), mpf("0.044715")
    return mpf("0.5") * x * (1 + mp.tanh(x * c * (1 + k * x * x)))


def _clipped_gelu(x: Any) -> Any:  # torch.clip(gelu(x), -10, 10)
    return min(max(_erf_gelu(x), mpf(-10)), mpf(10))


def _quick_gelu(x: Any) -> Any:  # input * torch.sigmoid(1.702 * input)
    return x / (1 + mp.exp(-mpf("1.702") * x))


def _laplace(x: Any) -> Any:
    # input = (input - mu).div(sigma * math.sqrt(2.0)); 0.5 * (1.0 + torch.erf(input))
    mu, sigma = mpf(0.707107), mpf(0.282095)
    return mpf("0.5") * mp.erfc(-(x - mu) / (sigma * mp.sqrt(2)))


def _xielu(x: Any) -> Any:
    # alpha_p = softplus(log(expm1(0.8))) = 0.8; alpha_n = beta + softplus(log(expm1(0.8 -
    # beta))) = 0.8; torch.where(x > 0, alpha_p * x * x + beta * x,
    #                            (torch.expm1(torch.min(x, eps)) - x) * alpha_n + beta * x)
    ap, an, beta, eps = mpf(0.8), mpf(0.8), mpf(0.5), mpf(-1e-6)
    if x > 0:
        return ap * x * x + beta * x
    return (mp.expm1(min(x, eps)) - x) * an + beta * x


def _sqrt_softplus(x: Any) -> Any:  # nn.functional.softplus(input).sqrt()
    return mp.sqrt(mp.log1p(mp.exp(x)))


def _relu(x: Any) -> Any:
    return max(x, mpf(0))


def _relu6(x: Any) -> Any:  # torch: min(max(0, x), 6)
    return min(max(x, mpf(0)), mpf(6))


def _leaky(slope: float) -> Fn:  # torch: max(0, x) + negative_slope * min(0, x)
    return lambda x: max(x, mpf(0)) + mpf(slope) * min(x, mpf(0))


def _sigmoid(x: Any) -> Any:
    return 1 / (1 + mp.exp(-x))


def _silu(x: Any) -> Any:
    return x * _sigmoid(x)


def _mish(x: Any) -> Any:  # input * torch.tanh(nn.functional.softplus(input))
    return x * mp.tanh(mp.log1p(mp.exp(x)))


def _hard_sigmoid(x: Any) -> Any:  # F.relu6(x + 3.) / 6.
    return _relu6(x + 3) / 6


def _hard_swish(x: Any) -> Any:  # x * F.relu6(x + 3.) / 6.
    return x * _relu6(x + 3) / 6


def _hard_mish(x: Any) -> Any:  # 0.5 * x * (x + 2).clamp(min=0, max=2)
    return mpf("0.5") * x * min(max(x + 2, mpf(0)), mpf(2))


def _relu2(x: Any) -> Any:  # torch.square(nn.functional.relu(input))
    return _relu(x) ** 2


def _elu(x: Any) -> Any:  # F.elu, alpha=1.0
    return x if x > 0 else mp.expm1(x)


def _celu(x: Any) -> Any:  # F.celu, alpha=1.0: max(0,x) + min(0, alpha*(exp(x/alpha)-1))
    return max(x, mpf(0)) + min(mpf(0), mp.expm1(x))


def _selu(x: Any) -> Any:
    scale = mpf("1.0507009873554804934193349852946")
    alpha = mpf("1.6732632423543772848170429916717")
    return scale * (max(x, mpf(0)) + min(mpf(0), alpha * mp.expm1(x)))


HF = "transformers 5.25.0 transformers/activations.py"
TIMM = "timm 1.0.31 timm/layers/create_act.py"

# name -> (the maths it means upstream, where the name is read)
NAMES: dict[str, tuple[Fn, str]] = {
    # transformers ACT2CLS, every key
    "gelu": (_erf_gelu, HF),  # GELUActivation -> nn.functional.gelu
    "gelu_10": (_clipped_gelu, HF),
    "gelu_fast": (_fast_gelu, HF),
    "gelu_new": (_tanh_gelu, HF),
    "gelu_python": (_erf_gelu, HF),
    "gelu_pytorch_tanh": (_tanh_gelu, HF),  # functools.partial(F.gelu, approximate="tanh")
    "gelu_python_tanh": (_tanh_gelu, HF),
    "gelu_accurate": (_tanh_gelu, HF),
    "hardswish": (_hard_swish, HF),  # nn.Hardswish
    "laplace": (_laplace, HF),
    "leaky_relu": (_leaky(0.01), HF),  # nn.LeakyReLU(negative_slope=0.01)
    "linear": (lambda x: x, HF),
    "mish": (_mish, HF),
    "quick_gelu": (_quick_gelu, HF),
    "relu": (_relu, HF),
    "relu2": (_relu2, HF),
    "relu6": (_relu6, HF),
    "sigmoid": (_sigmoid, HF),
    "silu": (_silu, HF),
    "sqrtsoftplus": (_sqrt_softplus, HF),
    "swish": (_silu, HF),  # nn.SiLU
    "tanh": (mp.tanh, HF),
    "prelu": (_leaky(0.25), HF),  # nn.PReLU(init=0.25)
    "xielu": (_xielu, HF),
    # timm _ACT_FN_DEFAULT / _ACT_LAYER_DEFAULT, every key not above
    "elu": (_elu, TIMM),
    "celu": (_celu, TIMM),
    "selu": (_selu, TIMM),
    "gelu_tanh": (_tanh_gelu, TIMM),  # F.gelu(x, approximate='tanh')
    "hard_sigmoid": (_hard_sigmoid, TIMM),  # F.hardsigmoid
    "hardsigmoid": (_hard_sigmoid, TIMM),
    "hard_swish": (_hard_swish, TIMM),  # F.hardswish
    "hard_mish": (_hard_mish, TIMM),
    "identity": (lambda x: x, TIMM),  # nn.Identity
}

# The keys of transformers 5.25.0's ACT2CLS, as read.
ACT2CLS = (
    "gelu",
    "gelu_10",
    "gelu_fast",
    "gelu_new",
    "gelu_python",
    "gelu_pytorch_tanh",
    "gelu_python_tanh",
    "gelu_accurate",
    "hardswish",
    "laplace",
    "leaky_relu",
    "linear",
    "mish",
    "quick_gelu",
    "relu",
    "relu2",
    "relu6",
    "sigmoid",
    "silu",
    "sqrtsoftplus",
    "swish",
    "tanh",
    "prelu",
    "xielu",
)


def test_every_act2cls_name_is_checked_here():
    assert set(ACT2CLS) <= set(NAMES)


# ---------------------------------------------------------------- the comparison

POINTS = sorted(
    {float(v) for v in np.linspace(-12.0, 12.0, 97)}
    | {-8.5, -2.43, -1.0e-3, -5e-7, -1e-9, 1e-9, 1e-3, 0.707107, 9.99, 10.5, 25.0}
)


def _close(y: float, ref: Any, rel: float, absolute: float) -> bool:
    if ref == 0:
        return abs(y) <= absolute
    return abs(mpf(y) - ref) <= rel * abs(ref) + absolute


@pytest.mark.parametrize("name", sorted(NAMES))
def test_the_name_means_the_upstream_maths(name):
    upstream, _ = NAMES[name]
    act = actcli.get(name)
    xs = np.array(POINTS)
    ys = [act(xs), act.derivative(xs), act.derivative(xs, 2)]
    kinks = [*act.kinks, 10.0 + 7.6e-22 if name == "gelu_10" else math.nan]
    bad = []
    # the transcriptions are taken literally: ½x(1 + tanh(u)) keeps its digits only at a
    # precision that resolves 1 + tanh(u) ≈ 2e^(2u) (u ≈ −71 at x = −12: 1e−62)
    with mp.workdps(100):
        for i, x in enumerate(POINTS):
            ref = upstream(mpf(x))
            if not _close(float(ys[0][i]), ref, 8e-16, 1e-300):
                bad.append((x, "f", float(ys[0][i]), mpmath.nstr(ref, 20)))
            if min((abs(x - k) for k in kinks if k == k), default=math.inf) < 0.02:
                continue  # numerical differentiation straddles a kink
            for order, (rel, absolute) in ((1, (1e-13, 1e-15)), (2, (1e-9, 1e-12))):
                want = mp.diff(upstream, mpf(x), order)
                got = float(ys[order][i])
                if not _close(got, want, rel, absolute):
                    bad.append((x, f"f{order * '′'}", got, mpmath.nstr(want, 20)))
    assert not bad, bad[:10]


# ---------------------------------------------------------------- presets and sources

PRESETS = {
    "gelu_new": "tanh",
    "gelu_pytorch_tanh": "tanh",
    "gelu_python_tanh": "tanh",
    "gelu_accurate": "tanh",
    "gelu_tanh": "tanh",
    "gelu_python": "none",
}


@pytest.mark.parametrize(("name", "approximate"), PRESETS.items())
def test_presets_bind_their_parameters_in_every_dialect(name, approximate):
    for dialect in ("torch", "jax", "keras"):
        act = actcli.get(name, dialect=dialect)
        assert (act.name, act.params["approximate"]) == ("gelu", approximate)
    assert actcli.get(name.upper().replace("_", "-")).params["approximate"] == approximate
    same = actcli.get(f"{name}:approximate={approximate}")
    assert same.params["approximate"] == approximate


def test_a_preset_refuses_other_values_of_its_parameters():
    with pytest.raises(
        actcli.InvalidParameterError, match="gelu_new is gelu with approximate=tanh"
    ):
        actcli.get("gelu_new", approximate="none")


@pytest.mark.parametrize("name", [*PRESETS, "gelu_fast", "gelu_10", "laplace", "xielu"])
def test_info_says_where_the_name_comes_from(name):
    d = registry.lookup(name)
    text = d.notes + d.reference
    assert name in text
    assert ("transformers 5.25.0" in text) or ("timm 1.0.31" in text)
    assert "activations.py" in text or "create_act.py" in text


def test_preset_names_are_searchable_and_suggested():
    assert registry.preset("gelu_new") is not None
    assert registry.preset("gelu") is None
    assert "gelu" in registry.suggest("gelu_nwe")


# ---------------------------------------------------------------- the checks can tell them apart


@pytest.mark.parametrize(
    ("name", "other", "x"),
    [
        ("gelu_fast", _tanh_gelu, 1.0),  # 0.7978845608 is not √(2/π)
        ("gelu_new", _fast_gelu, 1.0),
        ("gelu_new", _erf_gelu, 1.0),
        ("gelu_python", _tanh_gelu, 1.0),
        ("gelu_10", _erf_gelu, 10.5),
        ("quick_gelu", _erf_gelu, 1.0),
        (
            "laplace",
            lambda x: mpf("0.5") * mp.erfc(-(x - 1 / mp.sqrt(2)) * mp.sqrt(2 * mp.pi)),
            1.0,
        ),
        ("xielu", lambda x: (mp.expm1(x) - x) * mpf(0.8) + mpf(0.5) * x, -5e-7),
    ],
)
def test_a_wrong_alias_would_be_caught(name, other, x):
    """The neighbouring definitions differ from the right one by far more than the tolerance."""
    y = float(actcli.get(name)(np.array(x)))
    with mp.workdps(40):
        assert not _close(y, other(mpf(x)), 8e-16, 1e-300)


# ---------------------------------------------------------------- off the defaults

# The new activations' parameters off their defaults, at the catalog's accuracy bar
# (tests/test_accuracy.py): transformers' bfloat16 constants, and other models' values.
OFF_DEFAULTS: list[tuple[str, dict[str, Any]]] = [
    ("laplace", {"mu": 0.0, "sigma": 1.0}),
    ("laplace", {"mu": -2.0, "sigma": 3.5}),
    ("xielu", {"alpha_p": 0.80078125, "alpha_n": 0.80078125, "eps": -9.98377799987793e-07}),
    ("xielu", {"alpha_p": 2.0, "alpha_n": 1.5, "beta": 0.25, "eps": -1e-3}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "params"), OFF_DEFAULTS, ids=lambda v: str(v))
@pytest.mark.parametrize("order", [0, 1, 2])
def test_off_default_parameters_meet_the_accuracy_bar(name, params, order):
    import test_accuracy

    out = test_accuracy.check_order(name, params, order)
    assert not out.failures, test_accuracy._report(name, params, order, out.failures)
    reported = {float(k) for k in actcli.get(name, **params).kinks}
    assert set(oracle.kinks(name, 1, **params)) <= reported


@pytest.mark.parametrize(("name", "params"), OFF_DEFAULTS, ids=lambda v: str(v))
def test_off_default_ranges(name, params):
    act = actcli.get(name, **params)
    xs = np.linspace(-50.0, 50.0, 20001)
    assert float(np.min(act(xs))) >= act.image.lower.value - 1e-15


def test_a_presets_legend_names_its_parameters():
    from actcli.cli import specs

    chosen = specs.members(["gelu_new", "gelu_python"], [], None)
    assert [m.label.params for m in chosen] == [
        (("approximate", "tanh"),),
        (("approximate", "none"),),
    ]


def test_legends_and_compare_columns_name_a_preset_as_typed():
    from actcli.cli import specs

    chosen = specs.members(["gelu_new", "gelu_python", "gelu"], [], None)
    assert [m.label.of(0) for m in chosen] == [
        "gelu_new (approximate=tanh)",
        "gelu_python (approximate=none)",
        "gelu",
    ]
    assert [m.column for m in chosen] == ["gelu_new", "gelu_python", "gelu"]
    swept = specs.members(["gelu_new"], ["approximate=tanh"], None)
    assert swept[0].column == "gelu_new"  # the same maths: still the name typed
