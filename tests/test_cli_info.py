"""actcli info: formulas, parameters per dialect, constants, computed properties, kinks."""

from __future__ import annotations

import json
import math

import pytest

import actcli
from actcli.catalog.registry import lookup
from actcli.cli import app


def info(runner, *args):
    result = runner.invoke(app, ["info", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_gelu(runner):
    doc = info(runner, "gelu")
    minimum = doc["properties"]["minimum"]
    assert minimum == {"value": pytest.approx(-0.16997120748), "at": pytest.approx(-0.751791524694)}
    assert doc["properties"]["f_prime_at_0"] == 0.5
    assert doc["properties"]["smoothness"] == "C∞"
    (approximate,) = doc["parameters"]
    assert approximate["defaults"]["torch"] == "none"
    assert approximate["defaults"]["jax"] == "tanh"
    assert "erf" in doc["sympy"]["f"] and "erf" in doc["sympy"]["latex_f"]
    assert doc["frameworks"]["torch"] == {
        "function": "import torch.nn.functional as F\ny = F.gelu(x, approximate='none')",
        "layer": "import torch\nlayer = torch.nn.GELU(approximate='none')\ny = layer(x)",
    }


def test_selu_constants_and_zero_mean(runner):
    doc = info(runner, "selu")
    alpha, scale, _ = doc["constants"]
    assert alpha["symbol"] == "α" and alpha["digits"] == "1.6732632423543772848170429916717"
    assert scale["symbol"] == "λ (scale)" and scale["value"] == 1.0507009873554805
    assert abs(doc["properties"]["gaussian_mean"]) < 1e-15


def test_kinks_per_dialect_and_problems(runner):
    doc = info(runner, "leaky_relu")
    (kink,) = doc["kinks"]
    assert kink["f_prime_torch"] == 0.01 and kink["f_prime_jax"] == 1.0
    assert kink["f_prime_keras"] == 0.2
    relu = info(runner, "relu")
    assert any("dying-ReLU" in p for p in relu["problems"])
    sigmoid = info(runner, "sigmoid")
    assert any("saturates on both sides" in p for p in sigmoid["problems"])


def test_table_at_pinned_width(runner):
    result = runner.invoke(app, ["info", "relu", "--format", "table"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for heading in ("formula", "properties", "kinks", "known problems", "in code", "reference"):
        assert heading in out
    assert "E[f(z)]" in out  # brackets are data, not markup
    assert max(len(line) for line in out.splitlines()) <= 100
    # sympy's f′ puts the kink in one branch; the table points to each framework's value
    assert "at a kink, f′ is each framework's choice" in out
    smooth = runner.invoke(app, ["info", "gelu", "--format", "table"]).stdout
    assert "at a kink" not in smooth


def test_latex_and_csv(runner):
    latex = runner.invoke(app, ["info", "mish", "--latex", "--format", "table"]).stdout
    assert "LaTeX:" in latex and "\\tanh" in latex
    csv = runner.invoke(app, ["info", "relu", "--format", "csv"]).stdout.splitlines()
    assert csv[0] == "key,value"
    assert "name,relu" in csv
    assert not [row for row in csv if "{'" in row or "['" in row]  # no Python reprs


@pytest.mark.slow
def test_every_activation_explains_itself(runner):
    for name in actcli.names():
        doc = info(runner, name)
        assert doc["name"] == name
        if doc["kind"] == "elementwise":
            assert doc["sympy"]["f"] and doc["sympy"]["f_prime"], name
            assert "properties" in doc


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["info", "gleu"], "did you mean"),
        (["info", "elu", "--param", "alpha=x"], "'alpha' must be a number"),
        (["info", "relu", "--dialect", "caffe"], "unknown dialect"),
    ],
)
def test_info_bad_input(runner, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_snippets_spell_out_what_differs_between_frameworks(runner):
    doc = info(runner, "gelu")
    assert doc["frameworks"]["jax"]["function"].endswith("jax.nn.gelu(x, approximate=False)")
    assert doc["frameworks"]["keras"]["function"].endswith("gelu(x, approximate=False)")
    leaky = info(runner, "leaky_relu:negative_slope=0.1")["frameworks"]
    assert leaky["torch"]["function"].endswith("F.leaky_relu(x, negative_slope=0.1)")
    assert leaky["keras"]["layer"].endswith("LeakyReLU(negative_slope=0.1)\ny = layer(x)")
    assert leaky["keras2"]["function"].endswith("tf_keras.activations.relu(x, alpha=0.1)")
    assert leaky["tf"]["function"].endswith("tf.nn.leaky_relu(x, alpha=0.1)")
    # the Keras layer's default differs from the function's
    assert leaky["keras"]["layer_defaults"] == {"negative_slope": {"layer": 0.3, "function": 0.2}}
    # a Dense layer's activation string only where the framework's default is the value
    assert "dense" not in leaky["keras"]
    assert "dense" in info(runner, "leaky_relu:negative_slope=0.2")["frameworks"]["keras"]


def test_a_parameter_a_framework_lacks_gives_the_equivalent_and_says_so(runner):
    softplus = info(runner, "softplus:beta=2")["frameworks"]
    assert softplus["keras"]["function"] == (
        "import keras\n# keras.activations.softplus has no beta: softplus(βx)/β\n"
        "y = keras.ops.softplus(2.0 * x) / 2.0"
    )
    softmax = info(runner, "softmax:temperature=2")["frameworks"]
    assert softmax["torch"]["function"].endswith("y = F.softmax(x / 2.0, dim=-1)")
    assert "layer" not in softmax["torch"]  # torch.nn.Softmax has no temperature either
    step = info(runner, "step")["frameworks"]
    assert step["jax"]["function"] == "import jax.numpy as jnp\ny = jnp.heaviside(x, 1.0)"


def test_dialect_keras2_leads_with_tf_keras_code(runner):
    doc = info(runner, "hard_sigmoid", "--dialect", "keras2")
    first = next(iter(doc["frameworks"]))
    assert first == "keras2"
    assert doc["frameworks"]["keras2"]["function"] == (
        "import tf_keras\ny = tf_keras.activations.hard_sigmoid(x)"
    )


def test_a_formula_whose_mean_does_not_converge_still_explains_itself(runner):
    doc = info(runner, "x**x**x**x**x")
    assert doc["properties"]["gaussian_mean"].startswith("not available (")
    assert doc["properties"]["f_at_0"] == 0.0
    table = runner.invoke(app, ["info", "x**x**x**x**x", "--format", "table"])
    assert table.exit_code == 0, table.stderr
    assert "not available (" in table.stdout and "reference" in table.stdout


def test_info_in_a_pipe_is_the_readable_text(runner):
    piped = runner.invoke(app, ["info", "relu"])  # CliRunner's stdout is not a terminal
    assert piped.exit_code == 0, piped.stderr
    table = runner.invoke(app, ["info", "relu", "--format", "table"])
    assert piped.stdout == table.stdout
    assert (
        "\x1b" not in piped.stdout
        and "properties (range and extrema over all x; the rest on [−10, 10])" in piped.stdout
    )


def test_the_range_facts_come_from_the_function(runner):
    """What the issue found typed by hand and wrong, now declared and checked against mpmath
    (tests/test_catalog_facts.py)."""
    elish = info(runner, "elish")["properties"]
    assert elish["minimum"] == {
        "value": pytest.approx(2 * math.sqrt(2) - 3, rel=1e-14),
        "at": pytest.approx(-math.asinh(1.0), rel=1e-14),
    }
    assert (elish["range"]["lower"], elish["range"]["lower_included"]) == (
        elish["minimum"]["value"], True
    )  # fmt: skip
    quick = info(runner, "quick_gelu")
    assert quick["properties"]["minimum"]["value"] == pytest.approx(-0.1636101896363536, 1e-15)
    assert quick["range"].startswith("[−0.163610189636, ∞)")
    lisht = info(runner, "lisht")["properties"]
    assert (lisht["bounded"], lisht["minimum"]) == ("below", {"value": 0.0, "at": 0.0})
    sine = info(runner, "sine")
    props = sine["properties"]
    assert props["bounded"] == "both"
    assert props["range"] == {
        "lower": -1.0, "upper": 1.0, "lower_included": True, "upper_included": True,
        "text": "[−1, 1]",
    }  # fmt: skip
    assert props["minimum"] == {"value": -1.0, "at": -math.pi / 2}
    assert props["maximum"] == {"value": 1.0, "at": math.pi / 2}
    capped = info(runner, "relu:threshold=1,max_value=6")["properties"]["range"]
    assert capped["text"] == "{0} ∪ (1, 6]"  # the union, not the hull [0, 6]
    relu = info(runner, "relu")["properties"]
    assert relu["minimum"] == {
        "value": 0.0,
        "on": {"lower": "-inf", "upper": 0.0, "lower_included": False, "upper_included": True},
    }
    assert relu["maximum"] == "none (unbounded above)"
    text = runner.invoke(app, ["info", "relu6", "--format", "table"]).stdout
    assert " minimum                  0 for x ≤ 0\n" in text
    assert " maximum                  6 for x ≥ 6\n" in text


def test_the_range_follows_the_parameters(runner):
    leaky = info(runner, "leaky_relu:negative_slope=-0.5")["properties"]
    assert (leaky["bounded"], leaky["minimum"]) == ("below", {"value": 0.0, "at": 0.0})
    elu = info(runner, "elu:alpha=2")["properties"]
    assert (
        elu["range"]["lower"] == -2.0
        and elu["minimum"] == "none (-2 is approached, never attained)"
    )
    clip = info(runner, "hard_tanh:min_val=-2,max_val=3")["properties"]["range"]
    assert (clip["lower"], clip["upper"]) == (-2.0, 3.0)


def test_where_each_activation_is_used(runner):
    for name in actcli.names():
        assert lookup(name).uses.strip(), name
    identity = info(runner, "identity")
    assert identity["uses"].startswith("regression output layers")
    assert "stacked linear layers collapse into one linear map" in identity["uses"]
    assert "a linear model however deep it is" in identity["uses"]
    assert any(p.startswith("linear: stacked linear layers") for p in identity["problems"])
    assert not any(p.startswith("linear:") for p in info(runner, "relu")["problems"])
    assert info(runner, "sigmoid")["uses"].startswith("binary-classification output")
    for name in ("softmax", "log_softmax"):
        assert info(runner, name)["uses"].startswith("multi-class classification output")
    assert info(runner, "relu")["uses"].startswith("hidden layers")
    text = runner.invoke(app, ["info", "sigmoid", "--format", "table"]).stdout
    assert "where it is used ─" in text and "binary-classification output" in text


def test_a_framework_default_actcli_does_not_take_is_said_not_hidden(runner):
    """torch's softplus threshold is 20 (its signature); actcli keeps the exact function and
    says so as a difference, never as torch's default."""
    import math

    import actcli
    from actcli.catalog import dialects
    from test_parity import load

    doc = info(runner, "softplus")
    threshold = doc["parameters"][1]
    assert threshold["name"] == "threshold"
    assert threshold["defaults"]["torch"] == 20.0 and threshold["value"] == "inf"
    assert "torch/nn/functional.py" in threshold["not_taken"]["torch"]
    assert math.isinf(actcli.get("softplus").params["threshold"])
    recorded = load("torch")
    if recorded is not None:  # the signature as torch 2.13.0 gave it
        rows = [r for r in recorded["defaults"] if r["activation"] == "softplus"]
        assert {r["actcli"]["threshold"] for r in rows} == {
            dialects.framework_default("torch", "softplus", "threshold", math.inf)
        }
    text = runner.invoke(app, ["info", "softplus", "--format", "table"], env={"COLUMNS": "100"})
    assert "torch's threshold default is not actcli's" in text.stdout


def test_info_names_the_libraries_of_the_maths_and_where_the_name_is_other_maths(runner):
    doc = info(runner, "gelu")
    names = doc["libraries"]
    assert "transformers gelu_python" in names["same_maths"]
    assert "onnx Gelu(approximate=none)" in names["same_maths"]
    means = {m["actcli"]: m["names"] for m in names["name_means"]}
    assert "flax gelu(approximate=true)" in means["gelu:approximate=tanh"]
    tanh = info(runner, "gelu_new")["libraries"]
    assert "transformers gelu_new" in tanh["same_maths"]
    assert "transformers gelu" in {m["actcli"]: m["names"] for m in tanh["name_means"]}["gelu"]
    assert info(runner, "serf")["libraries"] == {"same_maths": [], "name": "serf", "name_means": []}
