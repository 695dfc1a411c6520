"""actcli plot and compare through CliRunner: files written, terminal plots, bad input."""

from __future__ import annotations

import json

import pytest

import actcli
from actcli.cli import app
from actcli.formats import format_number


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(runner, *args):
    return runner.invoke(app, list(args))


def test_plot_writes_names_png_and_prints_its_path(runner, in_tmp):
    result = run(runner, "plot", "relu", "--range", "-5", "5")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "relu.png\n"
    assert (in_tmp / "relu.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("suffix", ["svg", "pdf", "png"])
def test_plot_formats_from_the_suffix(runner, in_tmp, suffix):
    result = run(runner, "plot", "gelu", "silu", "-d", "-o", f"f.{suffix}", "--size", "4x3")
    assert result.exit_code == 0, result.stderr
    assert (in_tmp / f"f.{suffix}").stat().st_size > 1000


def test_plot_terminal_ascii_at_pinned_width(runner):
    result = run(runner, "plot", "relu", "--terminal", "--ascii", "--width", "40", "--height", "8")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "relu" in lines[0]
    assert max(len(line) for line in lines) <= 60
    assert "+" in result.stdout  # the ASCII marker of the first series


def test_plot_vector_and_second_derivative(runner, in_tmp):
    assert run(runner, "plot", "softmax", "--others", "0,1", "-o", "s.png").exit_code == 0
    assert run(runner, "plot", "mish", "-dd", "-o", "m.png").exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["plot", "nosuch"], 2, "unknown activation 'nosuch'"),
        (["plot", "relu", "-o", "f.jpg"], 2, "suffix must be one of .png, .svg, .pdf"),
        (["plot", "relu", "-o", "/nonexistent-dir/f.png"], 1, "no directory"),
        (["plot", "relu", "--range", "1", "1"], 2, "is empty"),
        (["plot", "relu", "--size", "0x0"], 2, "--size '0x0'"),
        (["plot", "relu", "--dpi", "0"], 2, "--dpi"),
        (["plot", "relu", "--steps", "100000000"], 2, "--steps must be between 2 and"),
        (["plot", "relu", "-ddd"], 2, "at most twice"),
        (["plot", "relu", "--terminal", "-o", "f.png"], 2, "drop -o"),
        (["plot", "softmax", "--others", "a,b"], 2, "--others 'a,b'"),
    ],
)
def test_plot_bad_input(runner, in_tmp, args, code, message):
    result = run(runner, *args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(in_tmp.glob("*.png")) and not list(in_tmp.glob(".*"))


def test_plot_show_without_display(runner, monkeypatch, in_tmp):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = run(runner, "plot", "relu", "--show")
    assert result.exit_code == 1
    assert "--show needs a display" in result.stderr


def test_compare_table_at_pinned_width(runner):
    result = run(runner, "compare", "gelu", "silu", "mish", "--range", "-4", "4", "-f", "table")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "-0.16997120748 at" in out and "-0.751791524694" in out  # GELU's minimum
    assert "-0.278464542761 at" in out and "-1.27846454276" in out  # SiLU's
    assert "│ f′(0)" in out and "0.6" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_compare_json_and_csv(runner):
    doc = json.loads(run(runner, "compare", "gelu", "gelu:approximate=tanh", "-f", "json").stdout)
    (d,) = doc["differences"]
    assert d["a"] == "gelu" and d["b"] == "gelu:approximate=tanh"
    assert 4.7e-4 < d["value"] < 4.8e-4  # max |tanh-GELU − GELU| ≈ 4.73e-4
    assert abs(abs(d["at"]) - 2.7) < 0.05
    assert doc["properties"]["gelu"]["smoothness"] == "C∞"
    csv = run(runner, "compare", "relu", "sigmoid", "-n", "3", "-f", "csv").stdout
    s5 = format_number(float(actcli.get("sigmoid")(-5.0)))
    assert csv == f"x,relu,sigmoid\n-5.0,0.0,{s5}\n0.0,0.0,0.5\n5.0,5.0,0.9933071490757153\n"


def test_compare_dialects_and_figure(runner, in_tmp):
    result = run(runner, "compare", "gelu:dialect=torch", "gelu:dialect=jax", "-o", "gap.png",
                 "--diff", "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (in_tmp / "gap.png").exists()
    assert result.stderr == "wrote gap.png\n"
    doc = json.loads(result.stdout)
    assert doc["differences"][0]["value"] > 1e-4


def test_compare_bad_input(runner):
    vector = run(runner, "compare", "relu", "softmax")
    assert vector.exit_code == 2 and "softmax is a vector one" in vector.stderr
    metric = run(runner, "compare", "relu", "gelu", "--metric", "max")
    assert metric.exit_code == 2
