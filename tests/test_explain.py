"""info's document and compare's properties: JSON-friendly keys, numbers as numbers, labels from
one mapping, "not available (reason)" where a formula's property cannot be computed, and the
same text on a terminal as in a pipe."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pytest
from rich.console import Console

import actcli
from actcli import comparison, explain, render, stats
from actcli.catalog import dialects

SNAKE = re.compile(r"[a-z][a-z0-9_]*\Z")
# keys that are data rather than names: dialects (in defaults and differences), frameworks
DATA_KEYS = {*dialects.DIALECTS}
EVERY = [*actcli.names(), "gelu:dialect=jax", "leaky_relu:negative_slope=0.1"]


def _keys(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}", key
            yield from _keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _keys(item, f"{path}[{i}]")


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _text(doc, **console):
    buf = io.StringIO()
    out = Console(file=buf, width=100, markup=False, highlight=False, **console)
    render.info(doc, out, latex=False)
    return buf.getvalue()


@pytest.fixture(scope="module")
def docs():
    return {spec: explain.explain(actcli.get(spec)) for spec in EVERY}


def test_keys_are_ascii_snake_case_everywhere(docs):
    for spec, doc in docs.items():
        for path, key in _keys(doc):
            assert SNAKE.match(key) or key in DATA_KEYS, (spec, path)


def test_no_catalog_activation_shows_not_available(docs):
    for spec, doc in docs.items():
        assert not [s for s in _strings(doc) if "not available" in s], spec


def test_labels_cover_every_key(docs):
    doc = docs["leaky_relu"]
    assert list(doc["properties"]) == list(comparison.LABELS)
    for key in doc["kinks"][0]:
        assert key in explain.LABELS
    assert float(comparison.LABELS["saturates"].split("< ")[1].rstrip(")")) == stats.SATURATION


def test_numbers_stay_numbers(docs):
    gelu = docs["gelu"]["properties"]
    assert gelu["minimum"] == {
        "value": pytest.approx(-0.16997120748),
        "at": pytest.approx(-0.751791524694),
    }
    assert gelu["gaussian_mean"] == pytest.approx(
        1 / math.sqrt(2 * math.pi) / math.sqrt(2), rel=1e-12
    )
    assert gelu["range"] == {
        "lower": gelu["minimum"]["value"], "upper": math.inf,
        "lower_included": True, "upper_included": False, "text": "[−0.16997120748, ∞)",
    }  # fmt: skip
    assert gelu["saturates"][0]["lower"] == -math.inf
    assert gelu["saturates"][0]["upper"] == pytest.approx(-3.81, abs=0.005)
    assert gelu["f_prime_at_0"] == 0.5
    sigmoid = docs["sigmoid"]["properties"]["saturates"]
    assert [s["lower"] for s in sigmoid] == [-math.inf, pytest.approx(6.9, abs=0.05)]
    (kink,) = docs["leaky_relu"]["kinks"]
    assert kink["jump_order"] == 1
    assert (kink["f_prime_torch"], kink["f_prime_jax"], kink["f_prime_keras"]) == (0.01, 1.0, 0.2)
    (constant, *_) = docs["selu"]["constants"]
    assert constant == {
        "symbol": "α", "value": 1.6732632423543772, "digits": "1.6732632423543772848170429916717",
        "note": "",
    }  # fmt: skip


def test_display_reads_as_the_table_did(docs):
    shown = comparison.display(docs["gelu"]["properties"])
    assert shown["range"] == "[-0.169971, ∞)"
    assert shown["on the grid"] == "[-0.169971, 10]"
    assert shown["minimum"] == "-0.16997120748 at -0.751791524694"
    assert shown["E[f(z)], z ~ N(0,1)"] == "0.282095"
    assert shown["saturates (|f′| < 1e-3)"] == "x < -3.81"
    assert comparison.display(docs["sigmoid"]["properties"])["saturates (|f′| < 1e-3)"] == (
        "x < -6.91, x > 6.91"
    )
    assert comparison.display(docs["step"]["properties"])["saturates (|f′| < 1e-3)"] == "everywhere"
    assert comparison.display(docs["identity"]["properties"])["saturates (|f′| < 1e-3)"] == "none"


@pytest.mark.parametrize("formula", ["x**x**x**x**x", "exp(x**2)", "log(x)"])
def test_a_property_that_cannot_be_computed_is_not_available(formula):
    doc = explain.explain(actcli.get(formula))
    mean = doc["properties"]["gaussian_mean"]
    assert mean.startswith("not available (E[·] for z ~ N(0, 1²) is not finite: the integrand is")
    assert isinstance(doc["properties"]["f_at_0"], float)  # the rest is there
    assert doc["sympy"]["f"] and doc["problems"] is not None
    text = _text(doc, no_color=True)
    assert "not available" in text and "reference" in text


def test_compare_properties_of_a_formula_that_overflows():
    x = np.linspace(-5.0, 5.0, 1001)
    props = [comparison.properties(actcli.get(n), x) for n in ("x**x**x", "relu")]
    assert props[0]["gaussian_mean"].startswith("not available (")
    assert props[1]["gaussian_mean"] == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-14)


def test_compare_rows_are_labelled_display_cells():
    x = np.linspace(-5.0, 5.0, 1001)
    table = comparison.rows([comparison.properties(actcli.get(n), x) for n in ("relu", "tanh")])
    assert [row[0] for row in table] == list(comparison.LABELS.values())
    assert table[0] == ["range", "[0, ∞)", "(-1, 1)"]
    assert table[-1] == ["saturates (|f′| < 1e-3)", "x < 0", "x < -4.15, x > 4.15"]


def test_available_catches_only_what_a_formula_may_raise():
    assert comparison.available(lambda: 1.0) == 1.0
    assert comparison.available(lambda: math.exp(1000)) == "not available (math range error)"
    with pytest.raises(KeyError):  # a bug, not a property that cannot be computed
        comparison.available(lambda: {}["missing"])


@pytest.mark.parametrize("spec", ["relu", "gelu", "leaky_relu", "selu", "x*sigmoid(x)"])
def test_the_same_text_in_a_pipe_as_on_a_terminal(spec):
    doc = explain.explain(actcli.get(spec))
    pipe = _text(doc, no_color=True)
    terminal = _text(doc, force_terminal=True, color_system="truecolor")
    assert "\x1b" not in pipe
    assert "\x1b[" in terminal  # styles there, and only styles
    assert re.sub(r"\x1b\[[0-9;]*m", "", terminal) == pipe


def test_the_rendered_text():
    text = _text(explain.explain(actcli.get("leaky_relu")), no_color=True)
    lines = text.splitlines()
    assert lines[0] == "leaky_relu  (elementwise, rectifier)  aliases: lrelu, leakyrelu"
    for label in ("formula ─", "parameters ─", "properties (range and extrema over all x; the rest on [−10, 10]) ─",
                  "kinks: the derivative at each, per dialect ─", "known problems ─",
                  "in code ─", "reference ─"):  # fmt: skip
        assert any(line.startswith(label) for line in lines), label
    assert " E[f(z)], z ~ N(0,1)      0.394953" in [line.rstrip() for line in lines]
    assert any(
        re.match(r"│ 0\.0 │ f′ +│ 0\.01 +│ 1\.0 +│ 0\.01 +│ 0\.2 +│", line) for line in lines
    )
    assert "at a kink, f′ is each framework's choice: see 'kinks' below" in lines
    selu = _text(explain.explain(actcli.get("selu")), no_color=True)
    assert "λα = 1.7580993408473768599402175208123 (float64 1.7580993408473768; torch " in selu


def test_info_says_where_each_framework_is_off_for_this_very_function():
    """Every recorded framework inaccuracy reaches info for the function it concerns (its spec
    bound in its framework's dialect), and only there."""
    from actcli.catalog.framework_errors import KNOWN_FRAMEWORK_ERRORS

    exact = explain.framework_errors(actcli.get("gelu"))
    assert any(e["frameworks"] == ["torch"] and "1+erf cancels" in e["reason"] for e in exact)
    assert not any("tanh GELU as" in e["reason"] for e in exact)  # that is the other gelu
    tanh = explain.framework_errors(actcli.get("gelu", dialect="jax"))
    assert any("tanh GELU as" in e["reason"] for e in tanh)
    relu = explain.framework_errors(actcli.get("relu"))
    assert {"keras", "keras2", "tf"} <= {f for e in relu for f in e["frameworks"]}
    for entry in KNOWN_FRAMEWORK_ERRORS:
        shown = explain.framework_errors(actcli.get(entry.spec, dialect=entry.framework))
        assert any(
            entry.framework in e["frameworks"] and e["reason"] == entry.reason for e in shown
        ), entry
