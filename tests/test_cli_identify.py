"""actcli identify through typer's CliRunner: output formats, and one line for bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from actcli.cli import app


def test_csv_in_a_pipe(runner):
    result = runner.invoke(app, ["identify", "gelu_pytorch_tanh", "--from", "hf"])
    assert result.exit_code == 0, result.stderr
    first = list(csv.reader(io.StringIO(result.stdout)))[:2]
    assert first == [
        ["library", "name", "actcli", "notes"],
        ["Hugging Face transformers", "gelu_pytorch_tanh", "gelu:approximate=tanh", ""],
    ]
    assert "transformers 5.25.0, transformers/activations.py" in result.stdout
    assert result.stderr == ""


def test_json(runner):
    result = runner.invoke(app, ["identify", "hidden_act: quick_gelu", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    (reading,) = doc["readings"]
    assert reading["field"] == "hidden_act" and reading["name"] == "quick_gelu"
    assert {m["library"] for m in reading["matches"]} >= {"transformers", "timm", "vllm"}
    silu = next(g for g in reading["confusables"] if g["actcli"] == "silu")
    assert silu["max_abs_difference"] > 0.1 and silu["bfloat16_inputs_differing"] > 1000


def test_table_at_80_columns_keeps_numbers_whole(runner):
    result = runner.invoke(
        app, ["identify", "gelu_new", "--format", "table"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.stderr
    assert "what gelu_new is" in result.stdout
    assert "0.00047322160778806577" in result.stdout  # |gelu − gelu_new|, not folded


def test_a_model_directory(runner, tmp_path):
    (tmp_path / "config.json").write_text(
        '{"text_config": {"hidden_activation": "gelu_pytorch_tanh"}}'
    )
    result = runner.invoke(app, ["identify", str(tmp_path), "--from", "vllm", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["readings"][0]["field"] == "text_config.hidden_activation"
    assert "ROCm" in doc["readings"][0]["matches"][0]["differs"]


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["gelu_nwe"], 2, "error: unknown activation 'gelu_nwe'; did you mean 'gelu_new'"),
        (["gelu", "--from", "keras"], 2, "error: --from: unknown library 'keras'"),
        (["GeluAndMul(approximate=fast)"], 2, "the recorded variants are"),
        (["{dir}"], 1, "is a directory without a config.json"),
        (["{dir}/missing.json"], 1, "no such file"),
        (["{dir}/bad.json"], 1, "not JSON"),
        (["{dir}/empty.json"], 1, "no activation field"),
        ([" "], 2, "NAME_OR_CONFIG is empty"),
    ],
)
def test_bad_input_is_one_line(runner, tmp_path, args, status, words):
    (tmp_path / "bad.json").write_text('{"hidden_act": ')
    (tmp_path / "empty.json").write_text('{"hidden_size": 4}')
    args = [a.replace("{dir}", str(tmp_path)) for a in args]
    result = runner.invoke(app, ["identify", *args])
    assert result.exit_code == status
    assert words in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
