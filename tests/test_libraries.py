"""The model libraries' names (actcli.libraries): every entry binds, cites its source, and
computes what the library's own code computes (tests/data/libraries/recorded.json, recorded
by tools/library_values.py with torch 2.13, transformers 5.25.0, flax 0.12.8 on jax 0.10.2,
onnx 1.23.2's reference evaluator and mlx 0.32.4; vLLM's forward_native lines run in torch).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import actcli
import test_model_names
from actcli import libraries
from actcli.libraries import records

RECORDED = json.loads((Path(__file__).parent / "data/libraries/recorded.json").read_text())


def _entry(library: str, spelled: str) -> libraries.LibraryName:
    (hit,) = [e for e in libraries.entries() if e.library == library and e.spelled == spelled]
    return hit


def test_every_entry_binds_in_its_librarys_dialect():
    for e in libraries.entries():
        act = actcli.get(e.spec, dialect=libraries.LIBRARIES[e.library].dialect)
        assert act.kind == "elementwise", e  # a gated unit's spec is its gate's activation
        assert e.library in libraries.LIBRARIES


def test_every_entry_cites_a_version_and_a_file():
    for e in libraries.entries():
        s = e.source
        assert s.library and s.version and s.origin, e
        assert any(c.isdigit() for c in s.version), e
        assert ".py" in s.path or ".cc" in s.path or ".h" in s.path, e
        assert e.code, e


def test_names_are_unique_and_one_default_per_name_and_library():
    spelled = Counter((e.library, e.spelled) for e in libraries.entries())
    assert [k for k, n in spelled.items() if n > 1] == []
    defaults = Counter((e.library, k) for e in libraries.entries() if e.default for k in e.keys)
    assert [k for k, n in defaults.items() if n > 1] == []


def test_every_transformers_key_and_every_timm_name_is_recorded():
    hf = {e.name for e in libraries.entries() if e.library == "transformers"}
    assert set(test_model_names.ACT2CLS) == hf
    timm = {k for e in libraries.entries() if e.library == "timm" for k in (e.name, *e.aliases)}
    assert {
        k for k, (_, src) in test_model_names.NAMES.items() if src == test_model_names.TIMM
    } <= timm


def test_the_registry_presets_agree_with_the_tables():
    """A transformers or timm name actcli also resolves itself means the same maths there."""
    for e in libraries.entries():
        if e.library not in ("transformers", "timm"):
            continue
        assert actcli.get(e.name).spec == actcli.get(e.spec).spec, e.name


def test_gated_entries_say_their_layout_and_ungated_ones_none():
    for e in libraries.entries():
        gated = any(w in e.name.lower() for w in ("andmul", "andsilu", "glu_op", "swiglu"))
        assert bool(e.gated) == gated, e.spelled


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("GeluAndMul(approximate='tanh')", "GeluAndMul", {"approximate": "tanh"}),
        ('nn.GELU(approx="fast")', "nn.GELU", {"approx": "fast"}),
        ("Gelu approximate=tanh", "Gelu", {"approximate": "tanh"}),
        ("Shrink(lambd=0.5, bias=0.5)", "Shrink", {"lambd": "0.5", "bias": "0.5"}),
        ("gelu(approximate=True)", "gelu", {"approximate": "true"}),
        ("gelu_new", "gelu_new", {}),
    ],
)
def test_split_args(text, name, args):
    assert records.split_args(text) == (name, args)


def test_find_by_any_spelling():
    assert [e.library for e in libraries.find("torch.nn.functional.gelu_new")] == [
        "transformers",
        "vllm",
    ]
    assert [e.spelled for e in libraries.find("nn.gelu_approx")] == ["gelu_approx"]
    assert [e.spec for e in libraries.find("GGML_GLU_OP_GEGLU")] == ["gelu:approximate=tanh"]
    assert [e.spec for e in libraries.find("GeluAndMul")] == ["gelu"]  # approximate="none"
    assert [e.spec for e in libraries.find("GeluAndMul(approximate='tanh')")] == [
        "gelu:approximate=tanh"
    ]
    assert [e.spec for e in libraries.find("Gelu", "onnx")] == ["gelu"]
    assert libraries.find("GeluAndMul(approximate='fast')") == []
    assert {e.spec for e in libraries.find("gelu", "flax")} == {"gelu:approximate=tanh"}


def test_library_spellings():
    assert libraries.library("HF").key == "transformers"
    assert libraries.library("llama.cpp").key == "ggml"
    with pytest.raises(actcli.UsageError, match="unknown library 'torch'"):
        libraries.library("torch")


# ------------------------------------------------------------------ against the libraries


# Where the recording tool itself is float32 inside: onnx's reference evaluator computes Erf
# as np.vectorize(math.erf, otypes=["f"]) (onnx/reference/ops/op_erf.py), whatever the input.
FLOAT32_INSIDE = {("onnx", "Gelu(approximate=none)")}


def _ulp32(y: np.ndarray) -> np.ndarray:
    return np.spacing(np.abs(y).astype(np.float32)).astype(np.float64)


@pytest.mark.parametrize("case", RECORDED["cases"], ids=lambda c: f"{c['library']}-{c['name']}")
def test_the_spec_computes_what_the_library_computes(case):
    e = _entry(case["library"], case["name"])
    x = np.asarray(case["x"])
    want = np.asarray(case["y"])
    got = np.asarray(actcli.get(e.spec)(x), dtype=np.float64)
    if case["dtype"] == "float32" or (case["library"], case["name"]) in FLOAT32_INSIDE:
        # the library computed in float32: a few of its ULP, and where it cancels (MLX's
        # exp(x) − 1 in elu and selu near 0; 1 + erf(x/√2) in gelu below −3) about twice
        # float32's epsilon in absolute terms
        tol = 8 * _ulp32(got) + 2.5e-7
    elif "float32" in e.differs:  # a float32 attribute (ONNX's HardSigmoid alpha = 0.2f)
        tol = 4e-6 * np.abs(got) + 1e-9  # in the tails the constant's error is amplified
    else:
        tol = 1e-13 * np.abs(got) + 1e-15
    bad = np.abs(got - want) > tol
    assert not bad.any(), list(zip(x[bad], got[bad], want[bad], strict=True))


def test_every_library_that_runs_here_was_recorded():
    seen = {c["library"] for c in RECORDED["cases"]}
    assert seen == {"transformers", "vllm", "flax", "onnx", "mlx"}
    hf = {c["name"] for c in RECORDED["cases"] if c["library"] == "transformers"}
    assert hf == set(test_model_names.ACT2CLS) - {"xielu"}  # xielu's parameters are bfloat16


@pytest.mark.parametrize(
    ("library", "name", "other", "x"),
    [
        ("mlx", "selu", "selu", 1.0),  # 1.0507 is not λ
        ("onnx", "Selu", "selu", 1.0),  # float32 constants
        ("onnx", "HardSwish", "hard_silu", 1.0),  # 0.16666667163372 is not 1/6
        ("onnx", "HardSigmoid", "hard_sigmoid", 1.0),  # 0.2, not 1/6
        ("ggml", "GGML_UNARY_OP_SOFTPLUS", "softplus", 21.0),  # x itself past 20
        ("ggml", "GGML_UNARY_OP_STEP", "step", 0.0),  # 0 at 0; MLX's step is 1 there
        ("flax", "PReLU", "prelu", -1.0),  # 0.01, torch's 0.25
        ("flax", "gelu(approximate=true)", "gelu", 1.0),
        ("vllm", "SwigluOAIAndMul(alpha=1.702, limit=7.0)", "silu:beta=1.702", 8.0),  # clamped
    ],
)
def test_a_lookalike_is_not_taken_for_the_entry(library, name, other, x):
    e = _entry(library, name)
    xs = np.array([x])
    assert float(actcli.get(e.spec)(xs)[0]) != float(actcli.get(other)(xs)[0])


# ------------------------------------------------------------------ ggml: its C lines, in numpy

# llama.cpp's ggml cannot run here: each op's C line (unary-ops.cpp, vec.h, ops.cpp at
# 0c1e570) transcribed literally in float64 numpy; the GLU ops as their gate's function. The
# float16 tables of GELU and quick GELU are built from these functions (GGML_GELU_FP16).
_A, _C, _Q = 0.044715, 0.79788456080286535587989211986876, -1.702
GGML = {
    "GGML_UNARY_OP_GELU": lambda x: 0.5 * x * (1.0 + np.tanh(_C * x * (1.0 + _A * x * x))),
    "GGML_UNARY_OP_GELU_ERF": lambda x: (
        0.5 * x * (1.0 + scipy_erf(x * 0.70710678118654752440084436210484))
    ),
    "GGML_UNARY_OP_GELU_QUICK": lambda x: x * (1.0 / (1.0 + np.exp(_Q * x))),
    "GGML_UNARY_OP_SILU": lambda x: x / (1.0 + np.exp(-x)),
    "GGML_UNARY_OP_RELU": lambda x: np.where(x > 0, x, 0.0),
    "GGML_UNARY_OP_SIGMOID": lambda x: 1.0 / (1.0 + np.exp(-x)),
    "GGML_UNARY_OP_TANH": np.tanh,
    "GGML_UNARY_OP_ELU": lambda x: np.where(x > 0, x, np.expm1(x)),
    "GGML_UNARY_OP_STEP": lambda x: np.where(x > 0, 1.0, 0.0),
    "GGML_UNARY_OP_HARDSWISH": lambda x: x * np.fmin(1.0, np.fmax(0.0, (x + 3.0) / 6.0)),
    "GGML_UNARY_OP_HARDSIGMOID": lambda x: np.fmin(1.0, np.fmax(0.0, (x + 3.0) / 6.0)),
    "GGML_UNARY_OP_SOFTPLUS": lambda x: np.where(
        x > 20.0, x, np.log(1.0 + np.exp(np.minimum(x, 20.0)))
    ),
    "GGML_UNARY_OP_XIELU": lambda x: np.where(
        x > 0, 0.8 * x * x + 0.5 * x, (np.expm1(np.fmin(x, -1e-6)) - x) * 0.8 + 0.5 * x
    ),
    "GGML_OP_LEAKY_RELU": lambda x: np.where(x > 0, x, 0.0) + 0.01 * np.where(x < 0, x, 0.0),
    "GGML_GLU_OP_REGLU": lambda x: np.where(x > 0, x, 0.0),
    "GGML_GLU_OP_GEGLU": lambda x: 0.5 * x * (1.0 + np.tanh(_C * x * (1.0 + _A * x * x))),
    "GGML_GLU_OP_SWIGLU": lambda x: x / (1.0 + np.exp(-x)),
    "GGML_GLU_OP_SWIGLU_OAI(alpha=1.702, limit=7.0)": lambda x: (
        np.minimum(x, 7.0) / (1.0 + np.exp(1.702 * -np.minimum(x, 7.0)))
    ),
    "GGML_GLU_OP_GEGLU_ERF": lambda x: (
        0.5 * x * (1.0 + scipy_erf(x * 0.70710678118654752440084436210484))
    ),
    "GGML_GLU_OP_GEGLU_QUICK": lambda x: x * (1.0 / (1.0 + np.exp(_Q * x))),
    "GGML_GLU_OP_SWIGLU_CLAMP": lambda x: x / (1.0 + np.exp(-x)),  # below the model's limit
}


def scipy_erf(x):
    from scipy.special import erf

    return erf(x)


def test_every_ggml_name_is_transcribed():
    assert {e.spelled for e in libraries.entries() if e.library == "ggml"} == set(GGML)


@pytest.mark.parametrize("name", sorted(GGML))
def test_the_spec_computes_what_ggmls_c_line_says(name):
    e = _entry("ggml", name)
    x = np.array(RECORDED["points"] + [-20.0, 19.5, 21.0, 30.0])
    got = np.asarray(actcli.get(e.spec)(x), dtype=np.float64)
    want = GGML[name](x)
    # the C lines in float64 lose digits where they cancel (1 + tanh(u), 1 + erf near −6)
    assert np.allclose(got, want, rtol=1e-9, atol=1e-12), (x, got - want)


def test_every_catalog_preset_means_what_the_library_means_by_it():
    """A preset actcli resolves by itself (gelu_approx, gelu_quick, ...) is that library's maths."""
    from actcli.catalog import registry

    checked = 0
    for d in registry.definitions().values():
        for p in d.presets:
            for e in libraries.find(p.name):
                assert actcli.get(p.name).spec == actcli.get(e.spec).spec, (p.name, e.library)
                checked += 1
    assert checked >= 12
