"""The figure of ``check -o``: |error| in ULP against x, with the tolerance, the band edges
and the findings. It tells the truth: every failing row is drawn on top (at least one marker
per x bin and band with a failure), findings are shaded over the x they cover (a narrow one a
few pixels wide, never the whole axis), the x where the reference itself rounds to 0 in the
dtype are shaded, tick labels on a log or symlog x axis never overlap, and the title and the
legend stay on the canvas.

matplotlib is imported here (the one other module allowed to, beside :mod:`actcli.plotting`,
whose palette, styles, :class:`~actcli.plotting.Look` and legend styling it uses), lazily, by
:func:`error_figure`.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli import dtypes
from actcli.check.deviations import deviations, passes
from actcli.plotting import PALETTE, STYLES, Look, _fit_text, _text_errors, style_legend

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from actcli.check.report import Report

# more rows than this are drawn as the max and median error per x bin, not one dot each
ERROR_DOTS = 20_000
ERROR_BINS = 1_500
MARK_COLOURS = {
    "non_monotonic": "#CC79A7",
    "sign_error": "#D55E00",
    "flush_to_zero": "#E69F00",
    "non_finite": "#D55E00",
    "subnormal_inputs_flushed": "#0072B2",
    "subnormal_results_flushed": "#56B4E9",
}
FAILED_COLOUR = "#D55E00"
# decades between labelled ticks on a log or symlog x axis, the first whose labels do not
# overlap
DECADE_STEPS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 300)


@dataclass
class ErrorPlot:
    """What ``check -o`` draws: |error| in ULP against x, and what the report found."""

    x: np.ndarray
    ulp: np.ndarray
    tolerance: float
    edges: list[float]  # band edges in x
    marks: list[dict[str, Any]]  # findings with x_min, x_max, message (flush: threshold)
    dtype: str = "float64"
    # each row: whether it fails (None: over the tolerance fails)
    failed: np.ndarray | None = None
    # runs of x [lo, hi] where the reference is not 0 but rounds to 0 in the dtype
    zeros: list[tuple[float, float]] = field(default_factory=list)


def figure(report: Report, *, title: str, look: Look) -> Figure:
    """The errors of every row of ``report`` (read again: x and the errors are held in
    memory), its tolerance, band edges and findings."""
    xs, es, fs, zs = [], [], [], []
    for x, y, ref, errors in report.blocks():
        diff = deviations(y, ref, report.dtype)[1]
        ok = passes((errors, diff, diff, diff), ref, report.tolerance, report.atol, report.rtol)
        xs.append(x)
        es.append(errors)
        fs.append(~ok)
        zs.append(_rounds_to_zero(ref, report.dtype))
    marks: list[dict[str, Any]] = [
        f for f in report.findings if f["kind"] != "special" and "x_min" in f
    ]
    x = np.concatenate(xs)
    plot = ErrorPlot(
        x=x,
        ulp=np.concatenate(es),
        tolerance=report.tolerance,
        edges=sorted({b["lo"] for b in report.bands[1:]}),
        marks=marks,
        dtype=report.dtype,
        failed=np.concatenate(fs),
        zeros=zero_runs(x, np.concatenate(zs)),
    )
    return error_figure(plot, title=title, look=look)


def _rounds_to_zero(ref: np.ndarray, dtype: str) -> np.ndarray:
    """Where the reference is not 0 but is 0 in ``dtype``: a kernel's 0 there is right."""
    if dtype == "float64":
        return np.zeros(ref.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        zero: np.ndarray = (ref != 0) & np.isfinite(ref) & (dtypes.rounded(ref, dtype) == 0)
    return zero


def zero_runs(x: np.ndarray, zero: np.ndarray) -> list[tuple[float, float]]:
    """The runs [lo, hi] of ascending finite x where ``zero`` holds for every row."""
    keep = np.isfinite(x)
    x, zero = x[keep], zero[keep]
    if not zero.any():
        return []
    order = np.argsort(x, kind="stable")
    xs, zs = x[order], zero[order]
    # a run ends where a row of the same or a larger x is not a zero
    change = np.flatnonzero(np.diff(zs.astype(np.int8)))
    starts = [0, *(change + 1).tolist()]
    ends = [*change.tolist(), xs.size - 1]
    return [(float(xs[a]), float(xs[b])) for a, b in zip(starts, ends, strict=True) if zs[a]]


def error_figure(plot: ErrorPlot, *, title: str = "", look: Look | None = None) -> Figure:
    """|error| in ULP against x on a log axis: exact rows (0 ULP) at the axis floor and inf
    at its top, both said in the legend; the tolerance, the band edges and the findings;
    failing rows marked on top."""
    from matplotlib import rc_context

    look = look or Look(size=(8.0, 4.8))
    with rc_context(look.rc()), _text_errors():
        return _error_figure(plot, title, look)


def _error_figure(plot: ErrorPlot, title: str, look: Look) -> Figure:
    from matplotlib.figure import Figure

    colours = STYLES[look.style]
    width, height = look.size
    fig = Figure(
        figsize=(width, height or round(width * (0.95 if width < 5 else 0.6), 2)),
        dpi=look.dpi,
        facecolor=colours["bg"],
        layout="constrained",
    )
    ax = fig.subplots()
    ax.set_facecolor(colours["bg"])
    for spine in ax.spines.values():
        spine.set_color(colours["zero"])
    ax.tick_params(colors=colours["fg"])
    ax.grid(True, color=colours["grid"], linewidth=0.6, zorder=0)
    keep = np.isfinite(plot.x)
    x, e = plot.x[keep], plot.ulp[keep]
    failing = plot.ulp > plot.tolerance if plot.failed is None else plot.failed
    failed, unplaced = failing[keep], int(np.count_nonzero(failing[~keep]))
    finite = np.isfinite(e)
    positive = e[finite & (e > 0)]
    top = max(float(positive.max()) if positive.size else 1.0, plot.tolerance, 1.0)
    # errors far below the tolerance are all "fine": the axis starts a decade under it
    floor = 10.0 ** (np.floor(np.log10(min(plot.tolerance, 0.5) or 0.5)) - 1)
    ceiling = 10.0 ** (np.ceil(np.log10(top)) + 1)
    shown = np.where(e <= floor, floor, np.where(np.isinf(e), ceiling, e))
    if x.size:
        _error_x_scale(ax, x)
    _error_points(ax, x, shown, (floor, ceiling))
    for value, label, marker in (
        (floor, f"0 (exact) or under {floor:g} ULP: at the floor", "o"),
        (ceiling, "inf (a non-finite error): at the top", "x"),
    ):
        at = shown == value
        if at.any():
            ax.plot(
                x[at],
                shown[at],
                marker,
                color=colours["zero"],
                markersize=2.5,
                linestyle="none",
                label=label,
                zorder=2,
            )
    if failed.any() or unplaced:
        _failing_points(ax, x, shown, failed, plot.edges, unplaced, colours)
    ax.axhline(
        plot.tolerance,
        color=PALETTE[1],
        linewidth=1.2,
        linestyle="--",
        label=f"tolerance {plot.tolerance:g} ULP",
        zorder=4,
    )
    for k, edge in enumerate(plot.edges):
        ax.axvline(
            edge,
            color=colours["zero"],
            linewidth=0.8,
            linestyle=":",
            zorder=1,
            label="band edges" if k == 0 else None,
        )
    # what a narrow span is widened against: the x drawn so far (along a log scale, the rows')
    if ax.get_xscale() == "linear" or not x.size:
        span = (float(ax.dataLim.intervalx[0]), float(ax.dataLim.intervalx[1]))
    else:
        span = (float(x.min()), float(x.max()))
    for k, (a, b) in enumerate(plot.zeros):
        a, b = _visible_span(ax, a, b, span)
        zeros = f"reference rounds to 0 in {plot.dtype}" if k == 0 else None
        ax.axvspan(a, b, color=colours["zero"], alpha=0.15, zorder=0, label=zeros)
    _error_marks(ax, plot.marks, colours, span)
    ax.set_yscale("log")
    ax.set_ylim(floor / 2, ceiling * 2)
    if x.size:
        _error_x_axis(ax, x)
    ax.set_xlabel("x", color=colours["fg"])
    ax.set_ylabel(f"|error| in ULP of {plot.dtype}", color=colours["fg"])
    if title:
        ax.set_title(title, color=colours["fg"], fontsize=9)
    column = width < 5  # a column-wide figure: the legend below, the axes keep the width
    if column:
        legend = fig.legend(loc="outside lower center", ncols=2, fontsize=7, frameon=True)
    else:
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=True)
    style_legend(legend, colours)
    _on_the_canvas(fig, ax, legend, column, colours)
    return fig


def _on_the_canvas(
    fig: Figure, ax: Axes, legend: Any, column: bool, colours: dict[str, str]
) -> None:
    """Keep the legend and the title on the canvas (a legend's labels wrapped, in fewer
    columns; a title wrapped, then shrunk) and the tick labels of a log or symlog x axis
    apart. Nothing moves in a figure where everything fits."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    # where the axes were before the layout ran here: put back when nothing moved, so that
    # the layout when the figure is saved starts where it always did (the same bytes)
    before = ax.get_position(original=True).frozen(), ax.get_position().frozen()
    moved = False
    fig.draw_without_rendering()
    canvas = fig.bbox
    box = legend.get_window_extent(renderer)
    if box.x0 < canvas.x0 or box.x1 > canvas.x1:
        handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
        size = legend.get_texts()[0].get_fontsize()
        legend.remove()
        longest = max(len(label) for label in labels)
        tries = [(c, w) for c in ((2, 1) if column else (1,)) for w in range(longest, 11, -2)]
        for k, (columns, chars) in enumerate(tries):
            wrapped = [textwrap.fill(label, chars) for label in labels]
            if column:
                legend = fig.legend(handles, wrapped, loc="outside lower center", ncols=columns,
                                    fontsize=size, frameon=True)  # fmt: skip
            else:
                legend = ax.legend(handles, wrapped, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                                   fontsize=size, frameon=True)  # fmt: skip
            wide = legend.get_window_extent(renderer).width
            if wide <= canvas.width * (0.98 if column else 0.4) or k == len(tries) - 1:
                break
            legend.remove()
        style_legend(legend, colours)
        fig.draw_without_rendering()
        moved = True
    title = ax.title
    if title.get_text():
        centre = ax.bbox.x0 + ax.bbox.width / 2
        room = 2 * min(centre - canvas.x0, canvas.x1 - centre) * 0.98
        if title.get_window_extent(renderer).width > room:
            _fit_text(title, room, renderer)
            fig.draw_without_rendering()
            moved = True
    if ax.get_xscale() != "linear":
        _decade_ticks(fig, ax, renderer)
    elif not moved:
        ax._set_position(before[0], which="original")  # type: ignore[attr-defined]
        ax._set_position(before[1], which="active")  # type: ignore[attr-defined]


def _failing_points(
    ax: Axes,
    x: np.ndarray,
    shown: np.ndarray,
    failed: np.ndarray,
    edges: list[float],
    unplaced: int,
    colours: dict[str, str],
) -> None:
    """The failing rows, on top of everything: each one, or, for many, the worst of each x
    bin in each band (so every band and every stretch of x with a failure has a marker)."""
    at = np.flatnonzero(failed)
    count = at.size
    label = f"failing rows ({count + unplaced:,})"
    if count > ERROR_DOTS:
        order = np.argsort(x, kind="stable")
        rank = np.empty(x.size, dtype=np.int64)
        rank[order] = np.arange(x.size)
        bins = rank[at] * ERROR_BINS // max(x.size, 1)
        bands = np.searchsorted(np.asarray(edges, dtype=np.float64), x[at], side="right")
        group = bins * (len(edges) + 1) + bands
        worst = np.lexsort((-shown[at], group))  # by group, the largest error first
        first = np.r_[True, group[worst][1:] != group[worst][:-1]]
        at = at[worst[first]]
        label = f"failing rows ({count + unplaced:,}; the worst per x bin)"
    if unplaced:
        label += f"; {unplaced:,} at x = ±inf or nan, not on the axis"
    ax.plot(
        x[at],
        shown[at],
        "o",
        color=FAILED_COLOUR,
        markersize=3.0,
        linestyle="none",
        label=label,
        zorder=6,
        clip_on=False,
    )


def _error_points(ax: Axes, x: np.ndarray, shown: np.ndarray, limits: tuple[float, float]) -> None:
    """Each row as a dot (but those at the floor or the top: the caller draws them), or, for
    many rows, the max and median per x bin."""
    if x.size <= ERROR_DOTS:
        inside = (shown > limits[0]) & (shown < limits[1])
        ax.plot(
            x[inside],
            shown[inside],
            ".",
            color=PALETTE[0],
            markersize=2,
            linestyle="none",
            label="|error| of each row",
            zorder=3,
        )
        return
    order = np.argsort(x, kind="stable") if np.any(x[1:] < x[:-1]) else None
    xs = x if order is None else x[order]
    es = shown if order is None else shown[order]
    bounds = np.linspace(0, xs.size, ERROR_BINS + 1).astype(np.int64)
    centre = xs[(bounds[:-1] + bounds[1:]) // 2]
    top = np.maximum.reduceat(es, bounds[:-1])
    middle = np.array([np.median(es[a:b]) for a, b in itertools.pairwise(bounds.tolist())])
    ax.plot(
        centre,
        top,
        "-",
        color=PALETTE[0],
        linewidth=1.0,
        label=f"max |error| per bin ({ERROR_BINS} bins of x)",
        zorder=4,
    )
    ax.plot(centre, middle, "-", color=PALETTE[2], linewidth=1.0, label="median per bin", zorder=3)


def _visible_span(ax: Axes, a: float, b: float, span: tuple[float, float]) -> tuple[float, float]:
    """[a, b], widened about its middle to 0.4 % of the x range when narrower, measured along
    the axis' scale (on a log or symlog axis, in its decades, not in x)."""
    lo, hi = span
    if ax.get_xscale() == "linear":
        least = (hi - lo) * 0.004
        if b - a < least:
            a, b = (a + b - least) / 2, (a + b + least) / 2
        return a, b
    scale = ax.xaxis.get_transform()
    ta, tb, tlo, thi = scale.transform(np.array([[a], [b], [lo], [hi]], dtype=np.float64)).ravel()
    least = (thi - tlo) * 0.004
    if tb - ta < least:
        middle = (ta + tb) / 2
        ta, tb = (
            scale.inverted()
            .transform(np.array([[middle - least / 2], [middle + least / 2]], dtype=np.float64))
            .ravel()
        )
        a, b = float(ta), float(tb)
    return a, b


def _error_marks(
    ax: Axes, marks: list[dict[str, Any]], colours: dict[str, str], span: tuple[float, float]
) -> None:
    """The findings: a shaded span of x each, a line at a flush-to-zero threshold."""
    for mark in marks:
        colour = MARK_COLOURS.get(mark["kind"], colours["fg"])
        label = mark["kind"].replace("_", " ") + f" ({mark['count']:,})"
        a, b = _visible_span(ax, mark["x_min"], mark["x_max"], span)
        ax.axvspan(a, b, color=colour, alpha=0.2, zorder=0, label=label)
        if mark.get("threshold") is not None:
            ax.axvline(
                mark["threshold"],
                color=colour,
                linewidth=1.4,
                zorder=4,
                label=f"returns 0 from x = {mark['threshold']:.5g} outwards",
            )


def _error_x_scale(ax: Axes, x: np.ndarray) -> None:
    """A linear x axis, or a symmetric log one when x spans many decades (set before anything
    is drawn, so that narrow spans are widened along it)."""
    lo, hi = float(x.min()), float(x.max())
    nonzero = np.abs(x[x != 0])
    if nonzero.size and max(abs(lo), abs(hi)) / float(nonzero.min()) > 1e4 and lo < 0 < hi:
        ax.set_xscale("symlog", linthresh=float(max(nonzero.min(), 1e-300)))
    elif nonzero.size and lo > 0 and hi / lo > 1e4:
        ax.set_xscale("log")


def _error_x_axis(ax: Axes, x: np.ndarray) -> None:
    """The x limits: every row's x, with a margin."""
    lo, hi = float(x.min()), float(x.max())
    pad = (hi - lo) * 0.01 or 1.0
    if ax.get_xscale() == "linear":
        ax.set_xlim(lo - pad, hi + pad)
        return
    # along the log scale, the same margin (spans widened past the data do not move it)
    scale = ax.xaxis.get_transform()
    tlo, thi = scale.transform(np.array([[lo], [hi]], dtype=np.float64)).ravel()
    tpad = (thi - tlo) * 0.02 or 1.0
    left, right = (
        scale.inverted().transform(np.array([[tlo - tpad], [thi + tpad]], dtype=np.float64)).ravel()
    )
    ax.set_xlim(float(left) if lo <= 0 else max(float(left), lo / 2), float(right))


def _decade_label(value: float, _position: float) -> str:
    if value == 0:
        return "$\\mathdefault{0}$"
    sign = "-" if value < 0 else ""
    return f"$\\mathdefault{{{sign}10^{{{round(math.log10(abs(value)))}}}}}$"


def _decade_ticks(fig: Figure, ax: Axes, renderer: Any) -> None:
    """Labelled ticks every few decades (and at 0 on a symlog axis, kept a step away from
    the first decade), as few decades apart as keeps their labels from overlapping; a minor
    tick at every decade."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator

    lo, hi = ax.get_xlim()
    scale = ax.xaxis.get_transform()
    symlog = ax.get_xscale() == "symlog"
    if symlog:
        least = float(getattr(scale, "linthresh", 1.0))
        zero = float(scale.transform(np.array([[0.0]])).ravel()[0])
    else:
        least, zero = max(lo, 1e-323), -math.inf
    first = math.ceil(math.log10(least))
    last = math.floor(math.log10(max(abs(lo), abs(hi))))

    def transformed(values: list[float]) -> np.ndarray:
        return scale.transform(np.array(values, dtype=np.float64).reshape(-1, 1)).ravel()

    unit = float(np.diff(transformed([10.0**first, 10.0 ** (first + 1)]))[0])
    decades = [10.0**k for k in range(first, last + 1) if k >= -323]
    ax.xaxis.set_major_formatter(FuncFormatter(_decade_label))
    ax.xaxis.set_minor_formatter(NullFormatter())  # a log axis labels minor decades too
    ax.xaxis.set_minor_locator(
        FixedLocator([v for d in decades for v in (-d, d) if lo <= v <= hi])
        if len(decades) < 1000
        else NullLocator()
    )
    # the widest label there can be, and the pixels a decade takes: the first step tried is
    # the least whose labels would clear each other, then each is drawn and measured
    from matplotlib.text import Text

    widest = max(
        Text(0, 0, _decade_label(v, 0), figure=fig, fontproperties=label.get_fontproperties())
        .get_window_extent(renderer)
        .width
        for label in ax.get_xticklabels()[:1] or [Text(0, 0, "")]
        for v in (-(10.0**first), -(10.0**last))
    )
    span = float(np.diff(transformed([lo, hi]))[0])
    decade = ax.bbox.width * unit / span if span > 0 else math.inf
    for step in DECADE_STEPS:
        if step * decade < widest + renderer.points_to_pixels(4) and step != DECADE_STEPS[-1]:
            continue
        chosen = [10.0**k for k in range(first, last + 1) if k % step == 0 and k >= -323]
        ticks = [0.0] if symlog and lo <= 0 <= hi else []
        for d in chosen:
            for v in (-d, d) if symlog else (d,):
                if lo <= v <= hi and abs(transformed([v])[0] - zero) >= 0.6 * step * unit:
                    ticks.append(v)
        ax.xaxis.set_major_locator(FixedLocator(sorted(ticks)))
        fig.draw_without_rendering()
        # apart by a space of about half a label's height, not merely not touching
        if not overlapping(shown_tick_labels(ax.xaxis), renderer, renderer.points_to_pixels(4)):
            break


def shown_tick_labels(axis: Any) -> list[Any]:
    """The major tick labels drawn: visible, not empty, at a tick inside the view (an axis
    keeps the labels of ticks it no longer draws)."""
    locs = axis.get_majorticklocs()
    lo, hi = sorted(axis.get_view_interval())
    return [
        tick.label1
        for tick, loc in zip(axis.get_major_ticks(len(locs)), locs, strict=True)
        if lo <= loc <= hi and tick.label1.get_visible() and tick.label1.get_text()
    ]


def overlapping(labels: list[Any], renderer: Any, gap: float = 2.0) -> bool:
    """Whether any two of the tick labels overlap or come within ``gap`` pixels of each
    other."""
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    return any(b.x0 < a.x1 + gap for a, b in itertools.pairwise(boxes))
