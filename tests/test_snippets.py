"""Every snippet ``info`` prints was executed in its framework and matched actcli.

``tools/snippet_inputs.py`` writes the snippets and inputs (tests/data/parity/snippets_input.json);
``tools/parity.py --snippets`` executes them in torch, Keras 3, tf_keras, TensorFlow and JAX in
float64 and writes snippets.json. Here the texts are regenerated: a text actcli prints now that
was not recorded (or recorded differently) fails, and so does a recorded value that differs from
actcli's values now.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

import actcli
from actcli import snippets
from actcli.catalog import dialects
from actcli.catalog.records import FRAMEWORKS
from actcli.catalog.registry import definitions

DATA = Path(__file__).parent / "data" / "parity"
sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
import snippet_inputs  # noqa: E402

RECORDED = json.loads((DATA / "snippets.json").read_text(encoding="utf-8"))
INPUT = json.loads((DATA / "snippets_input.json").read_text(encoding="utf-8"))
RESULTS = {(r["framework"], r["form"], r["text"]): r for r in RECORDED["results"]}

# float64 everywhere: |y − actcli| ≤ ATOL + RTOL·|actcli|.
RTOL, ATOL = 1e-12, 1e-12
# Framework inaccuracies (recorded, not actcli's or the snippet's), with the tolerance they need.
KNOWN = {
    # TensorFlow's LeakyRelu op takes alpha as a float32 attribute, even on float64 tensors
    "tf.nn.leaky_relu(": (1e-7, 0.0, "TF's LeakyRelu op rounds alpha to float32"),
    "tf_keras.activations.relu(x, alpha=": (1e-7, 0.0, "TF's LeakyRelu op: alpha in float32"),
    "keras.layers.LeakyReLU(": (1e-7, 0.0, "TF's LeakyRelu op: alpha in float32"),
    "keras.activations.leaky_relu(": (1e-7, 0.0, "TF's LeakyRelu op: alpha in float32"),
    'activation="leaky_relu"': (1e-7, 0.0, "TF's LeakyRelu op: alpha in float32"),
    # keras's relu with only a slope calls the same op (its other forms do not)
    "max_value=None, threshold=0.0)": (1e-7, 0.0, "TF's LeakyRelu op: alpha in float32"),
    "keras.initializers.Constant(": (1e-7, 0.0, "Keras' Constant initializer holds a float32"),
    # TF's GELU: erfc with a float32 √½ (exact form), float32 0.044715 (tanh form); see
    # tests/test_parity.py
    "gelu(x, approximate=False)": (1e-7, 1e-8, "TF's exact GELU uses a float32 √½"),
    'activation="gelu"': (1e-7, 1e-8, "TF's exact GELU uses a float32 √½"),
    "tf.nn.gelu(x, approximate=True)": (1e-8, 1e-9, "TF's tanh GELU: float32 0.044715"),
    "activations.gelu(x, approximate=True)": (1e-8, 1e-9, "TF's tanh GELU: float32 0.044715"),
    # Keras 3's sparsemax on TF loses 3e-8 on a row of magnitude 1e-8 (τ from cumulative sums)
    "sparsemax": (0.0, 1e-7, "Keras' sparsemax: τ from masked cumulative sums"),
}


def printed() -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    """Every (framework, form, text) info prints for the recorded specs in every dialect."""
    out: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for spec in INPUT["specs"]:
        for dialect in dialects.DIALECTS:
            for framework, forms in snippets.frameworks(actcli.get(spec, dialect=dialect)).items():
                for form in snippets.FORMS:
                    if form in forms:
                        out.setdefault((framework, form, forms[form]), []).append((spec, dialect))
    return out


PRINTED = printed()


def test_the_recorded_specs_are_the_generators():
    assert INPUT["specs"] == snippet_inputs.specs()
    assert INPUT["inputs"] == {
        "elementwise": [snippet_inputs.ELEMENTWISE],
        "vector": snippet_inputs.VECTOR,
    }


def test_every_parameterised_activation_with_code_is_recorded_off_its_defaults():
    off = {spec.partition(":")[0] for spec in INPUT["specs"] if ":" in spec}
    for name, d in definitions().items():
        if d.code and d.params:
            assert name in off, name


def test_the_issues_specs_are_recorded():
    required = (
        "silu:beta=2", "softplus:beta=2", "hard_sigmoid:slope=0.2",
        "hard_tanh:min_val=-2,max_val=2", "softmax:temperature=2", "squareplus:b=2",
        "hard_shrink:lambd=0.3", "normalize:p=1", "standardize:epsilon=0.1",
    )  # fmt: skip
    assert set(required) <= set(INPUT["specs"])


@pytest.mark.parametrize(
    "key", sorted(PRINTED), ids=lambda k: f"{k[0]}-{k[1]}-{hash(k[2]) % 10**6}"
)
def test_snippet_ran_in_its_framework_and_matches_actcli(key):
    framework, _form, text = key
    result = RESULTS.get(key)
    assert result is not None, f"not recorded (stale recording?) for {PRINTED[key]}:\n{text}"
    assert result["ran"], result["error"]
    assert result["warnings"] == []
    assert result["dtype"] == "float64"
    spec, dialect = PRINTED[key][0]
    act = actcli.get(spec, dialect=dialect)
    x = np.array(INPUT["inputs"][act.kind])
    expected = np.asarray(act(x))
    rtol, atol = RTOL, ATOL
    for needle, (known_rtol, known_atol, _reason) in KNOWN.items():
        if needle in text and framework not in ("torch", "jax"):
            rtol, atol = max(rtol, known_rtol), max(atol, known_atol)
    np.testing.assert_allclose(np.array(result["y"]), expected, rtol=rtol, atol=atol)


def test_no_recording_is_left_that_info_no_longer_prints():
    assert sorted(set(RESULTS) - set(PRINTED)) == []


def test_every_framework_was_recorded_with_its_version():
    assert set(RECORDED["versions"]) == set(FRAMEWORKS)
    assert {r["framework"] for r in RECORDED["results"]} == set(FRAMEWORKS)


def test_snippets_import_what_they_use():
    for _framework, _form, snippet in PRINTED:
        text = "\n".join(line for line in snippet.splitlines() if not line.startswith("#"))
        if "jnp." in text:
            assert "import jax.numpy as jnp" in text
        if "F." in text.replace("TF.", ""):
            assert "import torch.nn.functional as F" in text


def test_layer_defaults_are_the_recorded_ones():
    """Where a record says a layer's default differs from its function's, the framework's
    recorded signatures say the same; and every such recorded difference is stated."""
    stated = {
        (name, fw): dict(code.layer_defaults)
        for name, d in definitions().items()
        for fw, code in d.code.items()
        if code.layer_defaults
    }
    found: dict[tuple[str, str], dict[str, object]] = {}
    for fw in FRAMEWORKS:
        doc = json.loads((DATA / f"{fw}.json").read_text(encoding="utf-8"))
        by_kind: dict[tuple[str, str], dict[str, object]] = {}
        for entry in doc["defaults"]:
            if entry["kind"] == "function" and entry["source"].split(".")[-2] == "activations":
                by_kind.setdefault((entry["activation"], "function"), entry["actcli"])
            elif entry["kind"] == "layer":
                by_kind[(entry["activation"], "layer")] = entry["actcli"]
        for (name, kind), layer in by_kind.items():
            function = by_kind.get((name, "function"))
            if kind == "layer" and function is not None:
                differ = {k: v for k, v in layer.items() if function.get(k, v) != v}
                if differ:
                    found[(name, fw)] = differ
    assert stated == found
    for (name, fw), values in stated.items():
        act = actcli.get(name)
        shown = snippets.frameworks(act)[fw]["layer_defaults"]
        for key, value in values.items():
            assert shown[key]["layer"] == value
            assert math.isfinite(float(shown[key]["function"]))
