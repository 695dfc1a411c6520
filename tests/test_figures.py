"""Figures for papers and classrooms: families, labels, fonts, sizes, layouts, honest sampling.

Every figure here is rendered by matplotlib and checked as the file (pixels, fonts) or as the
rendered artists' bounding boxes; bad options go through the installed ``actcli``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import mpmath
import numpy as np
import pytest
from matplotlib.colors import to_rgb

import actcli
from actcli import curves, families, plotting
from test_plotting import png_pixels

ACTCLI = shutil.which("actcli")
SEED_SIX = ["step", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]


def actcli_run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    assert ACTCLI, "actcli is not on PATH: pip install -e '.[test]' first"
    return subprocess.run([ACTCLI, *args], capture_output=True, cwd=cwd, timeout=120)


def one_line_usage_error(result: subprocess.CompletedProcess[bytes], words: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert words in err, err


# ---------------------------------------------------------------------------- every curve seen


def line_colours(fig) -> set[tuple[int, int, int]]:
    """The RGB (0-255) of every drawn curve (not the axes' zero lines or the grid)."""
    out = set()
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_label().startswith("_") or not line.get_visible():
                continue  # unlabelled: zero lines, kink dots
            out.add(tuple(round(c * 255) for c in to_rgb(line.get_color())))
    return out


def legend_boxes(fig) -> list[tuple[int, int, int, int]]:
    """Each legend's pixel box as (top, bottom, left, right) rows/columns of the PNG."""
    height = fig.bbox.height
    boxes = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            b = legend.get_window_extent()
            boxes.append(
                (int(height - b.y1) - 1, int(height - b.y0) + 2, int(b.x0) - 1, int(b.x1) + 2)
            )
    return boxes


def assert_every_curve_visible(fig, path: Path, least: int = 30) -> None:
    plotting.save(fig, path, {})
    pixels = png_pixels(path)[:, :, :3]
    outside = np.ones(pixels.shape[:2], dtype=bool)
    for top, bottom, left, right in legend_boxes(fig):
        outside[max(top, 0) : bottom, max(left, 0) : right] = False
    for colour in line_colours(fig):
        hits = np.all(pixels == np.array(colour), axis=2) & outside
        assert hits.sum() >= least, f"curve colour {colour} shows in {hits.sum()} pixels only"


def seed_six_figure() -> object:
    x = curves.grid(-5, 5, 501)
    panels = [
        plotting.Panel(curves.curves(actcli.get(n), x, 1, [0.0]), x, title=n) for n in SEED_SIX
    ]
    return plotting.figure(panels, title="the seed's six", look=plotting.Look(size=(7.0, None)))


@pytest.mark.slow
def test_every_curve_of_the_seed_six_grid_is_visible(tmp_path):
    fig = seed_six_figure()
    assert plotting.layout(6) == (2, 3)
    assert len(line_colours(fig)) >= 12  # f and a lighter f′ for each, softmax's two outputs
    assert_every_curve_visible(fig, tmp_path / "six.png")


@pytest.mark.slow
def test_every_member_of_a_family_is_visible_in_its_own_shade(tmp_path):
    x = curves.grid(-5, 5, 501)
    slopes = ["0.01", "0.1", "0.2", "0.3"]
    drawn = [
        c
        for i, s in enumerate(slopes)
        for c in curves.curves(
            actcli.get("leaky_relu", negative_slope=s),
            x,
            0,
            [],
            curves.Label("leaky_relu", (("negative_slope", s),)),
            shade=i / 3,
        )
    ]
    fig = plotting.figure([plotting.Panel(drawn, x)])
    assert len(line_colours(fig)) == 4
    assert_every_curve_visible(fig, tmp_path / "family.png")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0] == "leaky_relu (negative_slope=0.01)"  # the default value is shown


def test_the_palette_has_no_faint_yellow():
    assert "#F0E442" not in plotting.PALETTE


# ---------------------------------------------------------------------------- fonts


@pytest.mark.parametrize(
    "command",
    [
        ["plot", "gelu", "silu", "-d"],
        ["plot", "relu", "--font", "serif"],
        ["compare", "gelu", "silu", "--diff", "--metric", "ulp"],
        ["stats", "tanh", "--layers", "10"],
    ],
)
@pytest.mark.slow
def test_no_type3_font_in_any_pdf(tmp_path, command):
    result = actcli_run(*command, "-o", "f.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "f.pdf").read_bytes()
    assert re.search(rb"/Subtype\s*/Type3", data) is None
    assert re.search(rb"/Subtype\s*/CIDFontType2", data)  # TrueType (Type 42)
    assert b"/FontFile2" in data  # and embedded


@pytest.mark.slow
def test_a_serif_pdf_embeds_a_serif_truetype_font(tmp_path):
    result = actcli_run("plot", "gelu", "--font", "serif", "-o", "f.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    fonts = set(
        re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)", (tmp_path / "f.pdf").read_bytes())
    )
    assert any(f.startswith(b"STIX") for f in fonts), fonts
    assert not any(f.startswith(b"DejaVuSans") for f in fonts), fonts


@pytest.mark.slow
def test_svg_keeps_text_as_text_unless_asked(tmp_path):
    assert actcli_run("plot", "relu", "-o", "t.svg", cwd=tmp_path).returncode == 0
    assert actcli_run("plot", "relu", "-o", "p.svg", "--svg-paths", cwd=tmp_path).returncode == 0
    assert b"<text" in (tmp_path / "t.svg").read_bytes()
    assert b"<text" not in (tmp_path / "p.svg").read_bytes()


def test_usetex_without_latex_is_a_clear_error(tmp_path):
    if shutil.which("latex") and shutil.which("dvipng"):
        pytest.skip("LaTeX is installed here")
    result = actcli_run("plot", "relu", "--usetex", "-o", "f.png", cwd=tmp_path)
    one_line_usage_error(result, "--usetex needs a LaTeX installation")


# ---------------------------------------------------------------------------- sizes, layouts


LONG = [
    "gelu:approximate=tanh",
    "silu:beta=1.5",
    "leaky_relu:negative_slope=0.2",
    "elu:alpha=0.5",
]


@pytest.mark.slow
@pytest.mark.parametrize("derivative", [0, 1])
def test_title_and_legend_stay_inside_a_column_wide_figure(derivative):
    from actcli.cli import specs

    members = specs.members(LONG, None, None)
    x = curves.grid(-5, 5, 201)
    drawn = [c for m in members for c in curves.curves(m.act, x, derivative, [], m.label)]
    title = "compare: " + ", ".join(LONG) + "   (torch)"
    fig = plotting.figure(
        [plotting.Panel(drawn, x)], title=title, look=plotting.Look(size=(3.5, None))
    )
    fig.canvas.draw()
    frame = fig.bbox
    assert fig.get_size_inches()[0] == 3.5
    heading = fig.get_children()[-1] if fig.get_suptitle() else None
    boxes = [t.get_window_extent() for t in fig.texts] + [
        ax.get_legend().get_window_extent() for ax in fig.axes if ax.get_legend()
    ]
    assert heading is not None and len(boxes) >= 2
    for box in boxes:
        assert box.x0 >= frame.x0 - 0.5 and box.x1 <= frame.x1 + 0.5, (box, frame)
        assert box.y0 >= frame.y0 - 0.5 and box.y1 <= frame.y1 + 0.5, (box, frame)
    assert "\n" in fig.get_suptitle()  # wrapped, not cut


@pytest.mark.slow
def test_three_panels_make_one_row_with_a_shared_x_label(tmp_path):
    result = actcli_run("compare", "gelu", "silu", "mish", "--grid", "-o", "g.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert plotting.layout(3) == (1, 3)
    assert plotting.layout(4) == (2, 2)
    assert plotting.layout(5) == (2, 3)
    x = curves.grid(-1, 1, 11)
    panels = [
        plotting.Panel(curves.curves(actcli.get(n), x, 0, []), x) for n in ("relu", "elu", "selu")
    ]
    fig = plotting.figure(panels)
    assert len(fig.axes) == 3 and all(ax.get_visible() for ax in fig.axes)
    assert [ax.get_xlabel() for ax in fig.axes] == ["", "", ""]
    assert fig.get_supxlabel() == "x"


def test_size_presets():
    from actcli.cli import figures

    assert figures.parse_size("column") == (3.5, None)
    assert figures.parse_size("page") == (7.0, None)
    assert figures.parse_size("4x3") == (4.0, 3.0)


# ---------------------------------------------------------------------------- honest sampling


def test_relu_at_two_steps_has_its_vertex():
    x = curves.grid(-5, 5, 2)
    (f,) = curves.curves(actcli.get("relu"), x, 0, [])
    points = list(zip(f.x.tolist(), f.y.tolist(), strict=True))
    assert points == [(-5.0, 0.0), (0.0, 0.0), (5.0, 5.0)]


def test_relu_beside_step_is_drawn_through_zero():
    x = curves.grid(-5, 5, 6)  # -5, -3, -1, 1, 3, 5: no grid point at 0
    (relu,) = curves.curves(actcli.get("relu"), x, 0, [])
    assert 0.0 in relu.x.tolist() and relu.y[relu.x.tolist().index(0.0)] == 0.0
    (d_hard,) = curves.curves(actcli.get("hard_tanh"), x, 1, [])[1:]
    assert {-1.0, 1.0} <= set(d_hard.x[np.isfinite(d_hard.x)].tolist())  # f′'s jumps too


# ---------------------------------------------------------------------------- labels


def test_labels_say_what_was_drawn():
    label = curves.Label("leaky_relu", (("negative_slope", "0.1"),))
    assert label.of(0) == "leaky_relu (negative_slope=0.1)"
    assert label.of(1) == "leaky_relu′ (negative_slope=0.1)"
    x = curves.grid(-1, 1, 5)
    soft = curves.curves(actcli.get("softmax"), x, 1, [0.0])
    assert [c.label for c in soft][:2] == ["softmax([x, 0])₀", "∂softmax([x, 0])₀/∂x"]
    (glu,) = curves.curves(actcli.get("glu"), x, 0, [])
    assert glu.label == "glu([1, x])"
    assert curves.Label("gelu", dialect="jax").of(0) == "gelu (jax)"
    assert curves.Label("x", custom="mine").of(1) == "mine′"


def test_member_labels_keep_a_value_set_to_its_default():
    from actcli.cli import specs

    (member,) = specs.members(["leaky_relu:negative_slope=0.01"], None, None)
    assert member.label.of(0) == "leaky_relu (negative_slope=0.01)"
    assert member.column == "leaky_relu"  # the column is a spec that reads back
    fam = specs.members(["elu"], None, None, ["alpha=0.5:2:4"])
    assert [m.column for m in fam] == [
        "elu:alpha=0.5",
        "elu:alpha=1",
        "elu:alpha=1.5",
        "elu:alpha=2",
    ]
    assert [m.shade for m in fam] == [0.0, 1 / 3, 2 / 3, 1.0]


@pytest.mark.slow
def test_a_family_of_a_formula(tmp_path):
    result = actcli_run(
        "plot", "x*sigmoid(b*x)", "--sweep", "b=0.5:2:4", "-d", "-o", "f.png", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    out = actcli_run("eval", "x*sigmoid(b*x)", "--sweep", "b=1,2", "0", "1")
    assert out.returncode == 0, out.stderr
    header, *rows = out.stdout.decode().splitlines()
    assert header == "x,x*sigmoid(b*x):b=1,x*sigmoid(b*x):b=2"
    with mpmath.workprec(200):  # σ(1), σ(2) correctly rounded (the naive form is 1 ULP off)
        expected = [repr(float(1 / (1 + mpmath.exp(-b)))) for b in (1, 2)]
    assert rows[1].split(",")[1:] == expected


def test_a_family_in_csv_is_one_column_per_value():
    out = actcli_run("diff", "leaky_relu", "--sweep", "negative_slope=0.01,0.2", "-1", "1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().splitlines() == [
        "x,dleaky_relu:negative_slope=0.01,dleaky_relu:negative_slope=0.2",
        "-1.0,0.01,0.2",
        "1.0,1.0,1.0",
    ]


@pytest.mark.parametrize(
    ("sweep", "words"),
    [
        ("alpha=", "an empty value"),
        ("alpha=0.5,,1", "an empty value"),
        ("alpha=1", "at least 2 values"),
        ("alpha=0:1:1", "N must be at least 2"),
        ("alpha=0:1", "expected KEY=A:B:N"),
        ("alpha=0:1:1000", "N is at most"),
        ("=1,2", "expected KEY=V1,V2"),
        ("gamma=1,2", "elu has no parameter 'gamma'"),
    ],
)
@pytest.mark.slow
def test_bad_sweeps_are_one_line_usage_errors(sweep, words):
    one_line_usage_error(actcli_run("plot", "elu", "--sweep", sweep, "-o", "x.png"), words)


@pytest.mark.slow
def test_a_sweep_value_out_of_range_and_two_sweeps_are_refused():
    one_line_usage_error(
        actcli_run("eval", "softplus", "--sweep", "beta=0,1", "1"),
        "'beta' must be a finite number > 0",
    )
    one_line_usage_error(
        actcli_run("eval", "elu", "--sweep", "alpha=1,2", "--sweep", "alpha=3,4", "1"),
        "--sweep given twice",
    )
    one_line_usage_error(
        actcli_run("eval", "elu", "--sweep", "alpha=1,2", "-p", "alpha=3", "1"), "give it once"
    )
    one_line_usage_error(
        actcli_run("eval", "elu:alpha=3", "--sweep", "alpha=1,2", "1"), "both set alpha"
    )
    one_line_usage_error(actcli_run("eval", "softmax", "--sweep", "temperature=1,2", "1"), "vector")


def test_family_values():
    assert families.parse("b=0.5:2:4").values == ("0.5", "1", "1.5", "2")
    assert families.parse("approximate=none,tanh").values == ("none", "tanh")


@pytest.mark.slow
def test_label_count_must_match(tmp_path):
    result = actcli_run("plot", "relu", "gelu", "--label", "a", "-o", "f.png", cwd=tmp_path)
    one_line_usage_error(result, "--label: 1 given for 2 activations")
    empty = actcli_run("plot", "relu", "--label", " ", "-o", "f.png", cwd=tmp_path)
    one_line_usage_error(empty, "an empty label")
    ok = actcli_run("plot", "relu", "gelu", "--label", "ReLU", "--label", "GELU", "-o", "f.svg",
                    "--xlabel", "input", "--ylabel", "output", "--legend", "outside", cwd=tmp_path)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    svg = (tmp_path / "f.svg").read_bytes()
    for text in (b"ReLU", b"GELU", b"input", b"output"):
        assert text in svg


# ---------------------------------------------------------------------------- scales, stdout


@pytest.mark.slow
def test_log_scales(tmp_path):
    x = curves.grid(-5, 5, 101)
    panel = plotting.Panel(curves.curves(actcli.get("softplus"), x, 0, []), x)
    fig = plotting.figure([panel], look=plotting.Look(yscale="log"))
    assert fig.axes[0].get_yscale() == "log"
    lo, hi = fig.axes[0].get_ylim()
    assert 0 < lo < float(actcli.get("softplus")(np.array([-5.0]))[0]) and hi > 5
    one_line_usage_error(
        actcli_run("plot", "relu", "--logy", "--symlogy", "-o", "f.png", cwd=tmp_path), "give one"
    )
    ok = actcli_run("plot", "tanh", "--symlogy", "-o", "s.png", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr


def test_compare_diff_draws_the_metric_on_a_log_axis():
    from actcli import comparison
    from actcli.cli import specs

    members = specs.members(["gelu", "gelu:approximate=tanh"], None, None)
    x = curves.grid(-4, 4, 101)
    panels = comparison.panels(members, x, False, "ulp")
    assert panels[-1].yscale == "log" and "ULP" in panels[-1].title
    ulp = panels[-1].curves[0].y
    assert np.nanmax(ulp) > 1e6  # the tanh form is ~1e-4 off: ~1e12 ULP


@pytest.mark.slow
def test_stats_uses_a_log_axis_for_a_vanishing_gradient(tmp_path):
    result = actcli_run(
        "stats", "sigmoid", "--layers", "30", "--gain", "1", "-o", "s.svg", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "s.svg").read_bytes().decode()
    exponents = re.findall(r"font-size: 7px[^>]*>(−|\d)</tspan>", svg)  # superscripts of 10^k
    assert "−" in exponents, "no tick label 10^-k: the y axis is not logarithmic"


@pytest.mark.parametrize(
    ("fmt", "magic"), [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")]
)
@pytest.mark.slow
def test_dash_o_writes_the_figure_to_stdout(fmt, magic):
    args = ["plot", "relu", "-o", "-"] + ([] if fmt == "png" else ["--image-format", fmt])
    result = actcli_run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(magic) and result.stderr == b""


@pytest.mark.slow
def test_dash_o_through_head_and_image_format_alone(tmp_path):
    piped = subprocess.run(
        f"'{ACTCLI}' plot gelu -o - | head -c 8; exit ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", capture_output=True, timeout=120,
    )  # fmt: skip
    assert piped.stdout == b"\x89PNG\r\n\x1a\n"
    assert piped.returncode == 0, piped.stderr  # a closed pipe is not an error
    one_line_usage_error(
        actcli_run("plot", "relu", "-o", "f.png", "--image-format", "svg", cwd=tmp_path),
        "--image-format: only with -o -",
    )


def test_no_help_text_turns_into_an_emoji():
    """rich reads ``:b:`` in help text as an emoji code (``A:B:N`` printed as ``A🅱N``)."""
    import inspect

    from rich._emoji_codes import EMOJI

    from actcli.cli import COMMANDS, command

    for name in COMMANDS:
        doc = inspect.getdoc(command(name)) or ""
        codes = [m for m in re.findall(r":(\S*?):", doc) if m.lower() in EMOJI]
        assert not codes, (name, codes)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["plot", "relu", "--svg-paths", "-o", "a.pdf"], "--svg-paths: only for an SVG figure"),
        (["compare", "relu", "--diff", "-o", "x.png"], "give two or more"),
        (["compare", "relu", "gelu", "-o", "-", "-f", "json"], "--format: only for the tables"),
        (["plot", "relu", "gelu", "--size", "1x1", "-o", "t.png"], "too small for its panels"),
        (["check", "gelu", "t.csv", "--size", "column"], "--size: only for the figure"),
        (["check", "gelu", "t.csv", "-o", "-"], "-o -: the report goes to standard output"),
    ],
)
@pytest.mark.slow
def test_figure_options_that_cannot_work_are_refused(tmp_path, args, words):
    (tmp_path / "t.csv").write_text("x,y\n1,0.8413447460685429\n")
    one_line_usage_error(actcli_run(*args, cwd=tmp_path), words)


@pytest.mark.slow
def test_check_draws_a_column_wide_serif_figure(tmp_path):
    (tmp_path / "t.csv").write_text("x,y\n1,0.8413447460685429\n2,1.9544997361036416\n")
    result = actcli_run("check", "gelu", "t.csv", "-o", "e.pdf", "--size", "column",
                        "--font", "serif", "--title", "mine", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "e.pdf").read_bytes()
    assert b"STIX" in data and re.search(rb"/Subtype\s*/Type3", data) is None


def test_a_terminal_plot_without_a_title():
    result = actcli_run(
        "plot", "relu", "--title", "", "--terminal", "--width", "30", "--height", "5"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[0].startswith("┌")  # the frame, no title line


def test_a_column_wide_grid_has_two_columns_and_grows_with_its_rows():
    assert plotting.layout(6, 3.5) == (3, 2)
    assert plotting.layout(3, 3.5) == (3, 1)
    assert plotting.layout(2, 3.5) == (1, 2)
    assert plotting.layout(6, 7.0) == (2, 3)
    x = curves.grid(-1, 1, 11)
    panels = [plotting.Panel(curves.curves(actcli.get(n), x, 0, []), x) for n in SEED_SIX[:5]]
    fig = plotting.figure(panels, look=plotting.Look(size=(3.5, None)))
    width, height = fig.get_size_inches()
    assert width == 3.5 and height > 4.0  # three rows of panels about 4:3


def test_a_vector_family_tells_its_outputs_apart():
    from actcli.cli import specs

    x = curves.grid(-3, 3, 61)
    chosen = specs.members(["softmax"], None, None, ["temperature=0.5,1,2"])
    drawn = [c for m in chosen for c in curves.curves(m.act, x, 0, [0.0], m.label, m.shade)]
    fig = plotting.figure([plotting.Panel(drawn, x)])
    styles = {
        (line.get_color(), line.get_marker())
        for line in fig.axes[0].get_lines()
        if not line.get_label().startswith("_")
    }
    assert len(styles) == len(drawn) == 6
