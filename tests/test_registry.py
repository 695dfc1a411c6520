"""The registry: names, aliases, lookup, suggestions, parameters, and completeness of every record."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actcli
from actcli.catalog.binding import parse_spec
from actcli.catalog.registry import definitions, lookup

REQUIRED = {
    # the seed's six
    "step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax",
    # every activation of torch.nn, keras.activations and jax.nn (minus gumbel_softmax and softmax2d)
    "identity", "relu6", "prelu", "rrelu", "threshold", "hard_tanh", "hard_sigmoid",
    "hard_silu", "hard_shrink", "soft_shrink", "tanh_shrink", "log_sigmoid", "softsign",
    "softplus", "squareplus", "sparse_plus", "sparse_sigmoid", "silu", "mish", "gelu", "elu",
    "selu", "celu", "exponential", "log_softmax", "softmin", "glu", "sparsemax", "standardize",
    "normalize",
    # extras
    "quick_gelu", "squared_relu", "star_relu", "snake", "lisht", "isru", "tanh_exp", "serf",
    "elish", "sine", "gaussian", "bent_identity", "reglu", "geglu", "swiglu", "bilinear",
}  # fmt: skip

ALIASES = {
    "swish": "silu",
    "hard_swish": "hard_silu",
    "hardswish": "hard_silu",
    "hardtanh": "hard_tanh",
    "logsigmoid": "log_sigmoid",
    "expit": "sigmoid",
    "logistic": "sigmoid",
    "linear": "identity",
    "heaviside": "step",
    "relu2": "squared_relu",
    "softshrink": "soft_shrink",
    "Leaky-ReLU": "leaky_relu",
    "GELU": "gelu",
}


def test_names_are_sorted_and_complete():
    names = actcli.names()
    assert names == sorted(names)
    assert set(names) >= REQUIRED, REQUIRED - set(names)


@pytest.mark.parametrize(("alias", "canonical"), ALIASES.items())
def test_aliases_and_normalisation(alias, canonical):
    assert actcli.get(alias).name == canonical


def test_unknown_name_suggests_close_matches():
    with pytest.raises(actcli.UnknownActivationError) as info:
        actcli.get("gleu")
    assert isinstance(info.value, ValueError)
    assert "gelu" in info.value.suggestions
    assert str(info.value).startswith("unknown activation 'gleu'; did you mean ")
    assert "'gelu'" in str(info.value)


def test_unknown_name_without_close_match_points_to_list():
    with pytest.raises(actcli.UnknownActivationError, match="actcli list"):
        actcli.get("zzzzzzzz")


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_record_is_complete(name):
    d = lookup(name)
    for text in (d.summary, d.uses, d.formula, d.latex, d.derivative_formula, d.range, d.reference):
        assert text.strip(), f"{name} lacks a field"
    if d.kind == "elementwise":
        assert d.d1 is not None and d.d2 is not None
        assert d.image is not None  # its range, checked in test_catalog_facts
    else:
        assert d.jacobian is not None
    for p in d.params:
        assert p.doc
        assert p.coerce(name, p.default) == p.default  # defaults pass their own validation
    # one docstring anatomy for all: summary, formula, (parameters), kinks, range, reference
    doc = d.fn.__doc__ or ""
    assert doc.startswith(d.summary)
    assert f"Used in: {d.uses}" in doc
    for heading in ("Formula:", "Range:", "Reference:"):
        assert heading in doc
    if d.params:
        assert "Parameters:" in doc
    if d.kind == "elementwise":
        assert "Kinks (default parameters):" in doc


def test_kinks_carry_one_sided_limits_and_rules():
    for d in definitions().values():
        if d.kind != "elementwise":
            continue
        defaults = {p.name: p.default for p in d.params}
        for k in d.kinks(**defaults):
            assert k.rule in ("left", "right", "mean")
            assert k.jump or k.left != k.right, f"{d.name} at {k.at}: not a kink"
            assert all(math.isfinite(v) for v in (*k.left, *k.right))


def test_spec_strings():
    assert parse_spec("leaky_relu:negative_slope=0.1, ") == (
        "leaky_relu",
        {"negative_slope": "0.1"},
    )
    act = actcli.get("leaky_relu:negative_slope=0.1")
    assert act.params == {"negative_slope": 0.1}
    assert act.spec == "leaky_relu:negative_slope=0.1"
    assert actcli.get(act.spec).params == act.params
    # a key=value inside the spec wins over a keyword argument
    assert actcli.get("elu:alpha=2", alpha=3).params["alpha"] == 2.0
    assert actcli.get("gelu:dialect=jax").params["approximate"] == "tanh"


def test_the_spec_wins_over_keywords_even_through_an_alias():
    assert actcli.get("leaky_relu:negative_slope=0.2", alpha=0.5).params["negative_slope"] == 0.2
    assert actcli.get("leaky_relu:dialect=jax", dialect="keras").dialect == "jax"


def test_parameter_aliases_are_reported():
    act = actcli.get("leaky_relu", alpha=0.3)
    assert act.params["negative_slope"] == 0.3
    assert act.notes == ("leaky_relu: parameter 'alpha' read as 'negative_slope'",)


def test_choice_parameters_accept_framework_spellings():
    assert actcli.get("gelu", approximate=True).params["approximate"] == "tanh"
    assert actcli.get("gelu", approximate="False").params["approximate"] == "none"


@pytest.mark.parametrize(
    ("spec", "kwargs", "message"),
    [
        ("softplus", {"beta": 0}, r"softplus: parameter 'beta' must be a finite number > 0"),
        ("softplus", {"beta": -1}, r"'beta' must be a finite number > 0"),
        ("celu", {"alpha": 0}, r"celu: parameter 'alpha' must be a finite number > 0"),
        ("leaky_relu", {"negative_slope": "abc"}, r"'negative_slope' must be a number, got 'abc'"),
        ("leaky_relu", {"negative_slope": float("nan")}, r"must be any real number"),
        ("sigmoid", {"alpha": 1}, r"sigmoid has no parameter 'alpha' \(parameters: none\)"),
        ("relu", {"threshold": -1}, r"'threshold' must be a finite number >= 0"),
        ("relu", {"max_value": 0}, r"'max_value' must be a number > 0, or inf"),
        ("elu", {"beta": 1}, r"elu has no parameter 'beta' \(parameters: alpha\)"),
        ("gelu", {"approximate": "fast"}, r"must be one of 'none', 'tanh', got 'fast'"),
        ("hard_tanh", {"min_val": 2}, r"hard_tanh: min_val must be < max_val"),
        ("rrelu", {"lower": 0.5, "upper": 0.1}, r"lower must not exceed upper"),
        ("normalize", {"p": 0.5}, r"p must be >= 1"),
        ("leaky_relu:negative_slope", {}, r"bad parameter 'negative_slope'.*expected key=value"),
        ("leaky_relu", {"negative_slope": 0.1, "alpha": 0.2}, r"both set negative_slope"),
        ("leaky_relu:alpha=0.1,negative_slope=0.2", {}, r"'alpha' and 'negative_slope' both"),
    ],
)
def test_bad_parameters(spec, kwargs, message):
    with pytest.raises(actcli.InvalidParameterError, match=message):
        actcli.get(spec, **kwargs)


def test_odd_length_for_gated_units():
    with pytest.raises(actcli.InvalidParameterError, match=r"glu .* even length, got 3"):
        actcli.get("glu")(np.array([1.0, 2.0, 3.0]))


def test_unknown_dialect():
    with pytest.raises(actcli.UnknownDialectError, match="unknown dialect 'pytorchx'"):
        actcli.get("relu", dialect="pytorchx")
    assert actcli.get("relu", dialect="PyTorch").dialect == "torch"


def test_constants_shown_are_the_ones_computed_with():
    from actcli.catalog import smooth

    used = {
        ("selu", "α"): smooth.SELU_ALPHA,
        ("selu", "λ (scale)"): smooth.SELU_SCALE,
        ("selu", "λα"): smooth.SELU_SCALE_ALPHA,
        ("gelu", "√(2/π)"): smooth.SQRT_2_OVER_PI[0],
        ("gelu", "κ"): smooth.KAPPA[0],
    }
    shown = {(n, c.symbol): c for n, d in definitions().items() for c in d.constants}
    for key, value in used.items():
        assert float(shown[key].digits) == value, key
