"""The error figure of ``check -o`` tells the truth (issue 20, item 8): every failing row is
drawn, on top and inside the axes; shading covers only the x it is about; tick labels do not
overlap; the title and the legend stay on the canvas. Asserted on the figure objects of three
real cases: a naive bfloat16 SiLU (exp(−x) overflows: 245 ULP near x = −90), a float32 ELU
whose kernel flushes subnormal inputs and outputs to 0, and a correctly rounded bfloat16
GELU."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import actcli
from actcli import dtypes
from actcli.check.figure import ERROR_BINS, ERROR_DOTS, ErrorPlot, error_figure, figure, zero_runs
from actcli.cli import app
from actcli.plotting import Look

SIZES = {"default": (8.0, 4.8), "column": (3.5, None), "page": (7.0, None)}


def every_bfloat16() -> np.ndarray:
    """Every finite bfloat16 number (±0 both), ascending, as float64."""
    bits = (np.arange(1 << 16, dtype=np.uint32) << 16).view(np.float32)
    x = bits[np.isfinite(bits)].astype(np.float64)
    return x[np.lexsort((~np.signbit(x), x))]


def bf16(values: np.ndarray) -> np.ndarray:
    return dtypes.rounded(np.asarray(values, dtype=np.float64), "bfloat16")


def naive_silu() -> tuple[np.ndarray, np.ndarray]:
    """x · 1/(1 + exp(−x)), each step rounded to bfloat16: exp(−x) overflows for x < −88.7,
    so the kernel returns 0 where the reference is a normal number (up to 245 ULP)."""
    x = every_bfloat16()
    with np.errstate(over="ignore"):
        y = bf16(x * bf16(1 / bf16(1 + bf16(np.exp(-x)))))
    return x, np.where(np.isnan(y), bf16(actcli.get("silu")(x)), y)


def flushing_elu() -> tuple[np.ndarray, np.ndarray]:
    """A float32 band from −100 to 10 through the subnormals, by a kernel that flushes
    subnormal inputs and outputs to 0 (as XLA and TensorFlow do on CPU)."""
    f32 = np.float32
    x = np.unique(
        np.concatenate([-np.logspace(2, -45, 4000), np.logspace(-45, 1, 3000)]).astype(f32)
    )
    tiny = np.finfo(f32).tiny
    given = np.where(np.abs(x) < tiny, f32(0), x).astype(np.float64)
    y = actcli.get("elu")(given).astype(f32)
    return x.astype(np.float64), np.where(np.abs(y) < tiny, f32(0), y).astype(np.float64)


def golden_gelu(path) -> None:
    """``actcli eval gelu --all bfloat16 --dtype bfloat16 -o PATH``: correctly rounded."""
    from typer.testing import CliRunner

    args = ["eval", "gelu", "--all", "bfloat16", "--dtype", "bfloat16", "-o", str(path)]
    assert CliRunner().invoke(app, args).exit_code == 0


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    x, y = naive_silu()
    ex, ey = flushing_elu()
    golden = tmp_path_factory.mktemp("golden") / "gelu.npz"
    golden_gelu(golden)
    return {
        "naive_silu": actcli.check("silu", x, y, dtype="bfloat16"),
        "flushing_elu": actcli.check("elu", ex, ey, dtype="float32"),
        "correct_gelu": actcli.check("gelu", str(golden), dtype="bfloat16", tol=0.5),
    }


FIGURES: dict[tuple[int, str], Any] = {}


def drawn(report, size: str):
    """The figure of ``report`` at a ``--size``, laid out as when saved, and its renderer
    (drawn once for all the tests)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    key = (id(report), size)
    if key not in FIGURES:
        look = Look(size=SIZES[size])
        fig = figure(report, title=report.title, look=look)
        renderer = FigureCanvasAgg(fig).get_renderer()
        with rc_context(look.rc()):
            fig.draw_without_rendering()
        FIGURES[key] = (fig, renderer, report)  # the report kept: its id stays its own
    return FIGURES[key][:2]


def failing_rows(report) -> tuple[np.ndarray, np.ndarray]:
    x, e = (np.concatenate(c) for c in zip(*((b[0], b[3]) for b in report.blocks()), strict=True))
    bad = e > report.tolerance
    return x[bad], e[bad]


def lines(ax, prefix: str):
    return [line for line in ax.get_lines() if str(line.get_label()).startswith(prefix)]


def spans(ax, prefix: str):
    return [p for p in ax.patches if str(p.get_label()).startswith(prefix)]


@pytest.mark.slow
def test_the_cases_are_what_they_say(reports):
    silu, elu, gelu = reports["naive_silu"], reports["flushing_elu"], reports["correct_gelu"]
    assert not silu.passed and round(silu.max_ulp) == 245
    assert [f["kind"] for f in silu.findings if f["kind"] == "flush_to_zero"] == ["flush_to_zero"]
    assert not elu.passed and elu.failed == 868
    assert gelu.passed


@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("case", ["naive_silu", "flushing_elu"])
def test_every_failing_row_is_drawn_on_top(reports, case, size):
    report = reports[case]
    fig, _ = drawn(report, size)
    ax = fig.axes[0]
    (marks,) = lines(ax, "failing rows")
    assert marks.get_label().startswith(f"failing rows ({report.failed:,})")
    fx, fe = failing_rows(report)
    assert fx.size == report.failed
    xs, ys = np.asarray(marks.get_xdata()), np.asarray(marks.get_ydata())
    assert set(fx.tolist()) == set(xs.tolist())  # every one, at its x
    for x, e in zip(fx, fe, strict=True):
        assert ys[xs == x][0] == e
    assert marks.get_zorder() > max(a.get_zorder() for a in ax.get_children() if a is not marks)
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    assert left < xs.min() and xs.max() < right and bottom < ys.min() and ys.max() < top


@pytest.mark.slow
def test_many_failures_leave_a_marker_in_every_band_and_bin():
    rng = np.random.default_rng(7)
    x = np.sort(rng.uniform(-8, 8, 3 * ERROR_DOTS))
    ulp = rng.uniform(0, 3, x.size)
    ulp[(x > -2) & (x < 5)] = 50.0
    ulp[np.argmin(np.abs(x + 6))] = 1e4  # one alone among passing rows
    failed = ulp > 4
    edges = [-7.0, -6.0, 0.0, 2.0, 2.5, 6.0]
    fig = error_figure(ErrorPlot(x=x, ulp=ulp, tolerance=4.0, edges=edges, marks=[], failed=failed))
    (marks,) = lines(fig.axes[0], "failing rows")
    assert "the worst per x bin" in marks.get_label()
    xs = np.asarray(marks.get_xdata())
    assert xs.size <= ERROR_BINS + len(edges) + 1
    assert 1e4 in np.asarray(marks.get_ydata())
    bands = np.searchsorted(edges, x, side="right")
    assert set(bands[failed]) == set(np.searchsorted(edges, xs, side="right"))
    bins = np.arange(x.size) * ERROR_BINS // x.size
    assert set(bins[failed]) == set(bins[np.isin(x, xs)])


@pytest.mark.slow
def test_shading_covers_only_what_it_is_about(reports):
    report = reports["naive_silu"]
    fig, renderer = drawn(report, "default")
    ax = fig.axes[0]
    for patch in ax.patches:  # no span hides the axis
        assert patch.get_window_extent(renderer).width < 0.05 * ax.bbox.width, patch.get_label()
    (flush,) = spans(ax, "flush to zero")
    found = next(f for f in report.findings if f["kind"] == "flush_to_zero")
    box = flush.get_window_extent(renderer)
    lo, hi = ax.transData.transform([[found["x_min"], 1.0], [found["x_max"], 1.0]])[:, 0]
    assert box.x0 <= lo <= hi <= box.x1 and box.width < 6  # a few pixels about it
    # the reference rounds to 0 in bfloat16 exactly over the runs shaded
    x, _ = naive_silu()
    ref = actcli.get("silu")(x)
    zero = (ref != 0) & (bf16(ref) == 0)
    runs = zero_runs(x, zero)
    assert runs and all(lo <= hi for lo, hi in runs)
    assert sum(int(np.count_nonzero((x >= lo) & (x <= hi))) for lo, hi in runs) == zero.sum()
    assert len(spans(ax, "reference rounds to 0 in bfloat16")) == 1  # one label, every run
    shaded = [p for p in ax.patches if p.get_facecolor()[:3] == flush.get_facecolor()[:3]]
    assert shaded == [flush]


@pytest.mark.slow
def test_a_flushing_kernel_is_shaded_where_it_flushes_only(reports):
    """Its findings name the cause, over the subnormal x alone (not where the reference is
    not 0), and the hardware model passes it."""
    report = reports["flushing_elu"]
    kinds = [f["kind"] for f in report.findings]
    assert kinds == ["subnormal_inputs_flushed", "subnormal_results_flushed"]
    fig, renderer = drawn(report, "default")
    ax = fig.axes[0]
    tiny = float(np.finfo(np.float32).tiny)
    lo, hi = ax.transData.transform([[-tiny, 1.0], [tiny, 1.0]])[:, 0]
    for prefix in ("subnormal inputs flushed", "subnormal results flushed"):
        (patch,) = spans(ax, prefix)
        box = patch.get_window_extent(renderer)
        assert lo - 1 <= box.x0 <= box.x1 <= hi + 1, prefix
    assert len(ax.patches) == 2
    x, y = flushing_elu()
    modelled = actcli.check("elu", x, y, dtype="float32", daz=True, ftz=True)
    assert modelled.failed == 0 and modelled.max_ulp <= 0.5 and not modelled.findings
    # (its flush writes +0 for negative x, where hardware keeps the sign)
    assert modelled.special_values.line.startswith(
        "special values WRONG: sign of zero differs at x = -1.1574864e-38: kernel +0, exact -0"
    )


def test_zero_runs():
    x = np.array([3.0, 1.0, 2.0, -1.0, np.nan, 5.0, 4.0])
    zero = np.array([True, True, False, True, True, False, True])
    assert zero_runs(x, zero) == [(-1.0, 1.0), (3.0, 4.0)]
    assert zero_runs(x, np.zeros(x.size, dtype=bool)) == []


def shown_tick_labels(axis):
    """The major tick labels drawn: at a tick inside the view, visible, not empty (an axis
    keeps the labels of ticks it no longer draws; minor ticks have none here)."""
    locs = axis.get_majorticklocs()
    lo, hi = sorted(axis.get_view_interval())
    ticks = axis.get_major_ticks(len(locs))
    shown = [t.label1 for t, loc in zip(ticks, locs, strict=True) if lo <= loc <= hi]
    assert not any(t.label1.get_text() for t in axis.get_minor_ticks())
    return [label for label in shown if label.get_visible() and label.get_text()]


def overlaps(labels, renderer) -> list[tuple[str, str]]:
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
    return [(a, b) for i, (a, p) in enumerate(boxes) for b, q in boxes[i + 1 :] if p.overlaps(q)]


@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("case", ["naive_silu", "flushing_elu", "correct_gelu"])
def test_tick_labels_do_not_overlap_and_text_stays_on_the_canvas(reports, case, size):
    from matplotlib.text import Text

    fig, renderer = drawn(reports[case], size)
    ax = fig.axes[0]
    assert ax.get_xscale() == "symlog"
    xticks, yticks = shown_tick_labels(ax.xaxis), shown_tick_labels(ax.yaxis)
    assert not overlaps(xticks, renderer)
    assert not overlaps(yticks, renderer)
    assert len(xticks) >= 5 and "$\\mathdefault{0}$" in [t.get_text() for t in xticks]
    canvas = fig.bbox
    ticks = {id(tick.label1) for axis in (ax.xaxis, ax.yaxis) for tick in axis.get_major_ticks()}
    ticks |= {id(tick.label1) for axis in (ax.xaxis, ax.yaxis) for tick in axis.get_minor_ticks()}
    texts = [
        t for t in fig.findobj(Text) if t.get_visible() and t.get_text() and id(t) not in ticks
    ]
    texts += xticks + yticks
    assert any(t is ax.title for t in texts) and any(
        t.get_text().startswith("tolerance") for t in texts
    )
    for text in texts:
        box = text.get_window_extent(renderer)
        inside = (
            box.x0 >= canvas.x0 - 0.5
            and box.x1 <= canvas.x1 + 0.5
            and box.y0 >= canvas.y0 - 0.5
            and box.y1 <= canvas.y1 + 0.5
        )
        assert inside, (text.get_text(), box, canvas)
    legend = fig.legends[0] if fig.legends else ax.get_legend()
    box = legend.get_window_extent(renderer)
    assert canvas.x0 - 0.5 <= box.x0 and box.x1 <= canvas.x1 + 0.5 and canvas.y0 - 0.5 <= box.y0


@pytest.mark.slow
def test_check_writes_the_figures(runner, tmp_path):
    from PIL import Image

    x, y = naive_silu()
    np.savez(tmp_path / "sloppy.npz", x=x.astype(np.float32), y=y.astype(np.float32))
    golden_gelu(tmp_path / "golden.npz")
    for name, extra, code in (("sloppy", [], 3), ("golden", ["--tol", "0.5"], 0)):
        png = tmp_path / f"{name}.png"
        args = ["check", "silu" if name == "sloppy" else "gelu", str(tmp_path / f"{name}.npz")]
        result = runner.invoke(
            app, [*args, "--dtype", "bfloat16", *extra, "-o", str(png), "--size", "column"]
        )
        assert result.exit_code == code, result.stderr
        with Image.open(png) as image:
            assert image.format == "PNG" and image.size[0] == 525  # 3.5 in at 150 dpi


@pytest.mark.parametrize("size", ["default", "column"])
def test_a_log_x_axis_labels_only_its_major_decades(size):
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    x = np.logspace(-10, 3, 200)
    ulp = np.where(np.arange(x.size) % 50 == 0, 100.0, 0.25)
    look = Look(size=SIZES[size])
    fig = error_figure(
        ErrorPlot(x=x, ulp=ulp, tolerance=4.0, edges=[1e-5, 1.0], marks=[]), look=look
    )
    renderer = FigureCanvasAgg(fig).get_renderer()
    with rc_context(look.rc()):
        fig.draw_without_rendering()
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    labels = shown_tick_labels(ax.xaxis)
    assert len(labels) >= 3 and not overlaps(labels, renderer)
    (marks,) = lines(ax, "failing rows (4)")
    assert sorted(marks.get_xdata()) == sorted(x[::50])
