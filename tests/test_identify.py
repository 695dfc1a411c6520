"""actcli.identify: a library's name → actcli, look-alikes, confusables with measured gaps."""

from __future__ import annotations

import json

import numpy as np
import pytest

import actcli
from actcli import identify as ident
from actcli.errors import DataError, UnknownActivationError, UsageError


def _first(query: str, only: str | None = None) -> ident.Reading:
    return ident.identify(query, only).readings[0]


@pytest.mark.slow
def test_gelu_new_is_tanh_gelu_with_its_sources():
    r = _first("gelu_new")
    assert [(m.library, m.spec) for m in r.matches] == [
        ("transformers", "gelu:approximate=tanh"),
        ("vllm", "gelu:approximate=tanh"),
        ("actcli", "gelu:approximate=tanh"),
    ]
    assert "transformers 5.25.0" in r.matches[0].source
    assert "activations.py" in r.matches[0].source
    assert "torch.tanh(math.sqrt(2.0 / math.pi)" in r.matches[0].code
    (spec, same), *_ = r.lookalikes
    assert spec == "gelu:approximate=tanh"
    for name in (
        "onnx Gelu(approximate=tanh)",
        "flax gelu(approximate=true)",
        "mlx gelu_approx",
        "timm gelu_tanh",
        "ggml GGML_UNARY_OP_GELU",
        "actcli gelu_pytorch_tanh",
    ):
        assert name in same
    assert not any("GeluAndMul" in n for n in same)  # a gated unit is not the same maths


@pytest.mark.slow
def test_the_gaps_are_measured_not_written():
    gaps = {g.spec: g for g in _first("gelu_new").confusables}
    assert set(gaps) >= {"gelu", "gelu_fast", "quick_gelu", "silu", "gelu_10"}
    x = ident._grid()
    exact = np.max(np.abs(actcli.get("gelu")(x) - actcli.get("gelu_new")(x)))
    assert gaps["gelu"].max_abs == exact
    assert 4.7e-4 < gaps["gelu"].max_abs < 4.8e-4 and abs(gaps["gelu"].at) < 3
    assert gaps["gelu_fast"].max_abs < 1e-11 and gaps["gelu_fast"].narrow_differ == 0
    assert gaps["gelu"].float32_differ > gaps["gelu"].narrow_differ  # float32 sees more
    assert gaps["gelu"].narrow_differ > 100 and gaps["quick_gelu"].max_abs > 0.02
    assert gaps["silu"].max_abs > gaps["quick_gelu"].max_abs  # silu is further off than 1.702
    assert x.size == 32768 - 2 * 127 * 128 + 2 * 4 * 128 + 1 or x.size > 30000
    assert np.all(np.diff(x) >= 0) and x[0] == -16 and x[-1] == 16


def test_the_same_name_with_other_maths_comes_first():
    r = _first("gelu")
    libs = {m.library: m.spec for m in r.matches}
    assert libs["transformers"] == libs["mlx"] == libs["onnx"] == "gelu"
    assert libs["flax"] == "gelu:approximate=tanh"  # jax.nn.gelu's approximate=True
    first = r.confusables[0]  # flax's and ggml's gelu are the tanh form: one maths, said once
    assert first.spec == "gelu:approximate=tanh" and first.why.startswith("the same name in")


@pytest.mark.slow
def test_a_gated_unit_keeps_its_layout_and_variants():
    r = _first("GeluAndMul(approximate='tanh')", "vllm")
    (m,) = r.matches
    assert (m.spec, m.library) == ("gelu:approximate=tanh", "vllm")
    assert "x[..., :d]" in m.gated
    assert r.confusables[0].why == "another variant of the name"
    assert r.confusables[0].spec == "gelu"
    assert _first("GeluAndMul").matches[0].spec == "gelu"  # approximate="none" by default
    oai = _first("GGML_GLU_OP_SWIGLU_OAI").matches[0]
    assert "7" in oai.spec and "1.702" in oai.spec and "(clamp(up, -limit, limit) + 1)" in oai.gated


@pytest.mark.slow
def test_spellings_of_other_libraries():
    assert _first("nn.gelu_approx").matches[0].spec == "gelu:approximate=tanh"
    assert _first('nn.GELU(approx="fast")').matches[0].spec == "quick_gelu"
    assert _first("Gelu approximate=tanh", "onnx").matches[0].spec == "gelu:approximate=tanh"
    assert _first("nnx.PReLU", "flax").matches[0].spec == "prelu:weight=0.01"
    assert {m.spec for m in _first("nnx.PReLU").matches} == {"prelu", "prelu:weight=0.01"}
    assert _first("hardsigmoid", "onnx").matches[0].spec == "hard_sigmoid:slope=0.2"
    flax = _first("nnx.gelu", "flax").matches[0]
    assert flax.dialect == "jax"


def test_a_catalog_name_no_library_uses():
    r = _first("serf")
    assert [(m.library, m.spec) for m in r.matches] == [("actcli", "serf")]


def test_config_lines():
    for line in ("hidden_act: gelu_new", '"hidden_act": "gelu_new",', "hidden_activation=gelu_new"):
        r = _first(line, "transformers")
        assert (r.where, r.text, r.matches[0].spec) == (
            line.split(":")[0].split("=")[0].strip('" '),
            "gelu_new",
            "gelu:approximate=tanh",
        )


def test_a_config_json_at_any_depth(tmp_path):
    cfg = {
        "model_type": "gemma3",
        "text_config": {"hidden_activation": "gelu_pytorch_tanh", "hidden_size": 8},
        "vision_config": {"hidden_act": "gelu_pytorch_tanh"},
        "projector_hidden_act": "gelu",
        "activation_dropout": 0.0,
    }
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    for query in (str(tmp_path / "config.json"), str(tmp_path)):
        result = ident.identify(query, "hf")
        assert [(r.where, r.text) for r in result.readings] == [
            ("text_config.hidden_activation", "gelu_pytorch_tanh"),
            ("vision_config.hidden_act", "gelu_pytorch_tanh"),
            ("projector_hidden_act", "gelu"),
        ]
        assert result.config.endswith("config.json")
    doc = json.loads(json.dumps(result.document()))
    assert doc["readings"][2]["matches"][0]["actcli"] == "gelu"
    assert doc["gaps_over"]["dtype"] == "bfloat16"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON: Expecting property name"),
        ("[1, 2]", r"not a config \(a JSON object\), but a JSON list"),
        ('{"hidden_size": 8}', "no activation field"),
        ('{"hidden_act": 3}', "no activation field"),
    ],
)
def test_bad_configs(tmp_path, content, message):
    (tmp_path / "config.json").write_text(content)
    with pytest.raises(DataError, match=message):
        ident.identify(str(tmp_path / "config.json"))


def test_a_huge_or_deeply_nested_config_is_refused(tmp_path, monkeypatch):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(DataError, match="nested too deeply"):
        ident.identify(str(tmp_path / "deep.json"))
    monkeypatch.setattr(ident, "CONFIG_BYTES", 10)
    (tmp_path / "big.json").write_text('{"hidden_act": "gelu"}')
    with pytest.raises(DataError, match="too large for a config"):
        ident.identify(str(tmp_path / "big.json"))


def test_missing_and_unreadable_configs(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        ident.identify(str(tmp_path / "nope.json"))
    with pytest.raises(DataError, match=r"directory without a config\.json"):
        ident.identify(str(tmp_path))
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(DataError, match="cannot be read"):
        ident.identify(str(tmp_path / "bin.json"))


def test_unknown_names_say_what_is_close():
    with pytest.raises(UnknownActivationError, match="did you mean 'gelu_new'"):
        ident.identify("gelu_nwe")
    with pytest.raises(UsageError, match="not a onnx name; it is one in mlx"):
        ident.identify("gelu_fast_approx", "onnx")
    with pytest.raises(UsageError, match="the recorded variants are GeluAndMul"):
        ident.identify("GeluAndMul(approximate='fast')")
    with pytest.raises(UsageError, match="unknown library"):
        ident.identify("gelu", "keras")


@pytest.mark.slow
def test_tables_show_every_part():
    titles = [t.title for t in ident.identify("quick_gelu").tables()]
    assert titles[0] == "what quick_gelu is"
    assert titles[1] == "where each was read"
    assert titles[2].startswith("look-alikes")
    assert titles[3].startswith("confusables: gaps from quick_gelu (quick_gelu) over the")


def test_a_config_naming_two_maths_is_noted(tmp_path):
    cfg = {"hidden_act": "gelu", "hidden_activation": "gelu_pytorch_tanh"}  # Gemma's config.json
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    result = ident.identify(str(tmp_path), "transformers")
    (note,) = result.notes()
    assert "hidden_act = gelu (gelu)" in note
    assert "hidden_activation = gelu_pytorch_tanh (gelu:approximate=tanh)" in note
    assert result.document()["notes"] == [note]
    assert ident.identify("gelu_new").notes() == []


def test_a_file_named_like_an_activation_does_not_hide_the_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gelu_new").write_text("not a config")
    assert _first("gelu_new").matches[0].spec == "gelu:approximate=tanh"
    (tmp_path / "my_config").write_text('{"hidden_act": "silu"}')
    assert _first("my_config").where == "hidden_act"


@pytest.mark.slow
def test_every_recorded_name_identifies_as_itself_without_a_warning():
    from actcli import libraries

    for e in libraries.entries():
        (reading,) = ident.identify(e.spelled, e.library).readings
        assert reading.matches[0].spec == e.spec, (e.library, e.spelled)
        assert all(np.isfinite(g.max_abs) for g in reading.confusables), (e.library, e.spelled)
