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


@pytest.mark.slow
def test_plot_writes_names_png_and_prints_its_path(runner, in_tmp):
    result = run(runner, "plot", "relu", "--range", "-5", "5")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "relu.png\n"
    assert (in_tmp / "relu.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
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


@pytest.mark.slow
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
        (["plot", "relu", "--steps", "100000000"], 2, "--steps: must be between 2 and"),
        (["plot", "relu", "-ddd"], 2, "3 is not in the range 0<=x<=2"),
        (["plot", "relu", "--terminal", "-o", "f.png"], 2, "drop -o"),
        (
            ["plot", "softmax", "--others", "a,b"],
            2,
            "--others: expected numbers separated by commas, got 'a,b'",
        ),
    ],
)
@pytest.mark.slow
def test_plot_bad_input(runner, in_tmp, args, code, message):
    result = run(runner, *args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(in_tmp.glob("*.png")) and not list(in_tmp.glob(".*"))


@pytest.mark.slow
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
    assert (
        csv == f"x,relu,sigmoid\n-5.0,0.0,{s5}\n0.0,0.0,0.5\n5.0,5.0,0.9933071490757152\n"
    )  # σ(5), correctly rounded


@pytest.mark.slow
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


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gaussian", ((0.0, 1.0, False, True), "no")),
        ("relu6", ((0.0, 6.0, True, True), "non-decreasing")),
        ("sigmoid", ((0.0, 1.0, False, False), "increasing")),
        ("step", ((0.0, 1.0, True, True), "non-decreasing")),
        ("elu", ((-1.0, "inf", False, False), "increasing")),
    ],
)
@pytest.mark.slow
def test_compare_range_and_monotonicity(runner, name, expected):
    doc = json.loads(run(runner, "compare", name, "--range", "-6", "6", "-f", "json").stdout)
    props = doc["properties"][name]
    keys = ("lower", "upper", "lower_included", "upper_included")
    assert (tuple(props["range"][k] for k in keys), props["monotonic"]) == expected


def test_saturation_edges_are_exact_at_kinks(runner):
    doc = json.loads(run(runner, "compare", "relu", "hard_sigmoid", "-f", "json").stdout)
    assert doc["properties"]["relu"]["saturates"] == [{"lower": "-inf", "upper": 0.0}]
    assert doc["properties"]["hard_sigmoid"]["saturates"] == [
        {"lower": "-inf", "upper": -3.0},
        {"lower": 3.0, "upper": "inf"},
    ]
    table = run(runner, "compare", "relu", "hard_sigmoid", "-f", "table").stdout
    assert "│ x < 0 " in table and "│ x < -3, x > 3 " in table


@pytest.mark.slow
def test_options_that_would_be_ignored_are_refused(runner, in_tmp):
    for args, message in [
        (["plot", "relu", "--terminal", "--dpi", "50"], "--dpi: only for a figure file"),
        (["plot", "relu", "-o", "f.png", "--width", "40"], "--width: only for --terminal"),
        (["plot", "relu", "--others", "0,1"], "--others is for vector activations"),
        (["plot", "softmax", "-dd"], "not -dd"),
        (["compare", "relu", "gelu", "--grid"], "--grid: only for the figure"),
        (["plot", "relu", "--size", "40x40", "--dpi", "600", "-o", "f.png"], "megapixels"),
        (["plot", "relu", "--range", "-1e308", "1e308"], "beyond ±1e100"),
        (["plot", "relu", "-o", "t.svg", "--title", "$\\frac{1$"], "cannot draw the figure's text"),
    ]:
        result = run(runner, *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr, args
    assert not list(in_tmp.iterdir())


def test_dialects_in_labels_and_ascii_terminal(runner):
    csv = run(runner, "compare", "leaky_relu:dialect=torch", "leaky_relu:dialect=jax", "-n", "2",
              "-f", "csv").stdout  # fmt: skip
    assert csv.splitlines()[0] == "x,leaky_relu@torch,leaky_relu@jax"
    text = run(runner, "plot", "relu", "-d", "--terminal", "--ascii", "--width", "30").stdout
    assert text.isascii() and "relu'" in text


@pytest.mark.slow
def test_a_param_goes_to_the_names_that_have_it(runner, in_tmp):
    doc = json.loads(
        run(runner, "compare", "leaky_relu:negative_slope=0.2", "elu", "tanh",
            "-p", "alpha=0.5", "-f", "json").stdout
    )  # fmt: skip
    props = doc["properties"]
    assert set(props) == {"leaky_relu:negative_slope=0.2", "elu:alpha=0.5", "tanh"}
    plotted = run(runner, "plot", "leaky_relu", "tanh", "-p", "negative_slope=0.2", "-o", "f.png")
    assert plotted.exit_code == 0, plotted.stderr
    nobody = run(runner, "plot", "tanh", "gelu", "-p", "negative_slope=0.2", "-o", "g.png")
    assert nobody.exit_code == 2
    assert (
        nobody.stderr
        == "error: --param negative_slope: none of tanh, gelu has a parameter 'negative_slope'\n"
    )
    assert not (in_tmp / "g.png").exists()
    # alpha is also leaky_relu's alias of negative_slope (Keras' name): two values, refused
    twice = run(
        runner, "compare", "leaky_relu", "elu", "-p", "negative_slope=0.2", "-p", "alpha=0.5"
    )
    assert twice.exit_code == 2
    assert "'negative_slope' and 'alpha' both set negative_slope" in twice.stderr
    unknown = run(runner, "compare", "rleu", "gelu", "-p", "a=1")
    assert unknown.exit_code == 2 and "unknown activation 'rleu'" in unknown.stderr


def test_terminal_plot_without_colour_has_a_character_per_curve(runner):
    names = ["relu", "elu", "gelu", "silu", "mish", "softplus", "tanh"]
    seven = run(runner, "plot", *names, "--terminal")  # CliRunner: no TTY, so no colour
    assert seven.exit_code == 0, seven.stderr
    assert "## tanh" in seven.stdout
    many = run(runner, "plot", *names[:5], "-dd", "--terminal")
    assert many.exit_code == 2
    assert many.stderr.startswith(
        "error: a terminal plot without colour tells 12 curves apart, not 15"
    )


def test_values_near_the_double_range_are_drawn_not_an_internal_error(runner, tmp_path):
    out = tmp_path / "w.png"
    result = runner.invoke(app, ["plot", "where(x>0, 1e308*x, 0)", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_the_pixel_limit_counts_the_height_a_grid_grew_to(runner, tmp_path):
    names = [f"relu:negative_slope=0.0{i}" for i in range(1, 61)]
    out = tmp_path / "g.png"
    args = ["plot", *names, "--grid", "--size", "column", "--dpi", "1200", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and not out.exists()
    assert "megapixels (at most 40): lower --dpi, or draw fewer panels" in result.stderr


def test_a_huge_title_is_cut_not_fitted_for_minutes(runner, tmp_path):
    out = tmp_path / "t.png"
    result = runner.invoke(app, ["plot", "relu", "--title", "a " * 50_000, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"
