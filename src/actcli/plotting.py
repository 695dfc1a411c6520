"""Figures with matplotlib (the only module importing it), never through pyplot's global state.

:func:`figure` draws curves from :mod:`actcli.curves` onto a ``matplotlib.figure.Figure`` with
the Agg canvas; :func:`save` writes it atomically with provenance metadata and without dates,
so the same command writes the same bytes twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import os
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from actcli.curves import Y_LIMIT, Curve, y_limits
from actcli.errors import DataError, UsageError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as Figure  # re-exported: plot_api types with it

SUFFIXES = (".png", ".svg", ".pdf")
# Okabe & Ito's colour-blind-safe palette without its yellow (too faint on white to read);
# its black is the style's ink (white on dark)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "ink")
# after 7 activations the colours repeat, with markers (not "o": kinks are dots)
MARKERS = ("", "s", "^", "D", "v", "x")
DASHES = ("-", "--", ":")  # f, f′, f″
# a family (--sweep) is shaded along viridis, cut before its pale yellow end on white and
# before its near-black start on a dark background
FAMILY_SHADES = {"light": (0.0, 0.85), "dark": (0.25, 1.0)}
# how far f′ (twice for f″) moves towards the background: less on dark, where it darkens
DERIVATIVE_TINT = {"light": 0.4, "dark": 0.2}
STYLES = {
    "light": {
        "bg": "white",
        "fg": "#222222",
        "grid": "#dddddd",
        "zero": "#999999",
        "ink": "#000000",
    },
    "dark": {
        "bg": "#1e1e1e",
        "fg": "#e8e8e8",
        "grid": "#3a3a3a",
        "zero": "#777777",
        "ink": "#ffffff",
    },
}
# fonts shipped with matplotlib, so a figure looks the same on every machine; STIX is a
# Times-like serif, as most paper templates use
FONTS: dict[str, dict[str, Any]] = {
    "sans": {"font.family": ["DejaVu Sans"], "mathtext.fontset": "dejavusans"},
    "serif": {"font.family": ["STIXGeneral", "DejaVu Serif"], "mathtext.fontset": "stix"},
}
# presets: a journal's column and page widths in inches; the height follows the layout
WIDTHS = {"column": 3.5, "page": 7.0}
SMALLEST_TEXT = 6.0  # points: a title or legend is wrapped, then shrunk down to this


@dataclass(frozen=True)
class Look:
    """How a figure looks, as the figure options set it (checked in ``cli/figures.py``).

    ``size`` is (width, height) in inches; a height of None follows the layout (the presets
    ``--size column`` and ``page`` fix only the width).
    """

    style: str = "light"
    size: tuple[float, float | None] = (7.0, 4.5)
    dpi: int = 150
    font: str = "sans"
    usetex: bool = False
    legend: str = "best"
    yscale: str = "linear"
    xlabel: str | None = None
    ylabel: str | None = None
    svg_paths: bool = False  # SVG text drawn as paths instead of kept as text
    fontsize: float | None = None  # points; None: by the width (a venue sets its caption's)
    panel_labels: bool = False  # (a), (b), ... before the panels' titles

    def rc(self) -> dict[Any, Any]:
        """The matplotlib settings behind the look: fonts, TeX, and embedded TrueType fonts
        in PDF and PostScript (Type 42: journals' checks reject Type 3)."""
        return {
            **FONTS[self.font],
            "text.usetex": self.usetex,
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
            "svg.fonttype": "path" if self.svg_paths else "none",
            "svg.hashsalt": "actcli",
            # a column-wide figure is printed at its size: 8-point text, as the paper's
            "font.size": self.fontsize or (8.0 if self.size[0] <= 4.5 else 10.0),
            "pdf.compression": 6,
        }


@dataclass
class Panel:
    """One axes: its curves and the x grid they share."""

    curves: list[Curve]
    x: np.ndarray
    title: str = ""
    ylabel: str = ""
    xlabel: str = "x"
    yscale: str | None = None  # None: the look's


def check_output(path: Path) -> str:
    """The format of an output file, from its suffix."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        allowed = ", ".join(SUFFIXES)
        raise UsageError(f"cannot write {path.name!r}: the suffix must be one of {allowed}")
    if not path.parent.is_dir():
        raise DataError(f"cannot write {path}: no directory {path.parent}")
    return suffix[1:]


def mathtext_or_none(latex: str) -> str | None:
    """``$latex$`` for matplotlib's mathtext (no TeX install needed), or None.

    mathtext has no environments: piecewise definitions (``\\begin{cases}``) are left to the
    plain-text formula. Every other formula in the catalog parses (a test checks it), so no
    trial parse is paid for here (it costs 60 ms, loading the math fonts).
    """
    return None if "\\begin" in latex else f"${latex}$"


def layout(n: int, width: float = 7.0) -> tuple[int, int]:
    """Rows and columns for n panels on a figure ``width`` inches wide: one row while panels
    stay at least 1.6 in wide, else a column up to three, then rows of two or three, so that
    no slot is left empty where a row or a column fits (3 → 1×3 or 3×1, 4 → 2×2, 6 → 2×3)."""
    widest = max(1, int(width / 1.6))
    if n <= min(widest, 3) or n == 1:
        return 1, n
    if n <= 3:
        return n, 1
    columns = min(widest, 2 if n == 4 else 3)
    return -(-n // columns), columns


def figure(panels: Sequence[Panel], *, title: str = "", look: Look | None = None) -> Figure:
    """A figure with one axes per panel; curves of one activation share a colour (and marker),
    a family's members a shade; titles and legends are fitted inside the canvas."""
    from matplotlib import rc_context

    look = look or Look()
    colours = STYLES[look.style]
    width, height = look.size
    rows, columns = layout(len(panels), width)
    if height is None:  # panels about 4:3 under the title, ticks and labels
        height = round(rows * 0.72 * width / columns + 0.5, 2)
    with rc_context(look.rc()):
        fig = _new_figure(
            look.rc(),
            figsize=(width, height),
            dpi=look.dpi,
            facecolor=colours["bg"],
            layout="constrained",
        )
        axes = list(fig.subplots(rows, columns, squeeze=False).flat)
        names: dict[str, int] = {}  # activation -> its place in the palette, across panels
        shared = len(panels) > 1 and len({p.xlabel for p in panels}) == 1
        # --ylabel names the curves' axis once, beside the panels without a label of their own
        shared_y = bool(look.ylabel) and sum(not p.ylabel for p in panels) > 1
        if look.panel_labels and len(panels) > 1:
            panels = [
                dataclasses.replace(p, title=f"({chr(ord('a') + i)}) {p.title}".rstrip())
                for i, p in enumerate(panels)
            ]
        for ax, panel in zip(axes, panels, strict=False):
            # matplotlib's autoscaling adds margins to the data's extent: values near the
            # double range overflow there, harmlessly (the limits are set after it)
            with np.errstate(over="ignore"):
                _draw(ax, panel, colours, names, look, xlabel=not shared, shared_y=shared_y)
        if shared_y:
            fig.supylabel(look.ylabel or "", color=colours["fg"])
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
        if shared:
            fig.supxlabel(look.xlabel or panels[0].xlabel, color=colours["fg"])
        heading = fig.suptitle(title, color=colours["fg"], fontsize="large") if title else None
        with _text_errors():
            _fit(fig, axes[: len(panels)], heading, look)
    return fig


def _new_figure(rc: dict[Any, Any], **kwargs: Any) -> Figure:
    """A ``Figure`` whose own ``savefig`` applies its look's settings ``rc``, so a caller of
    :func:`actcli.plot` writing ``fig.savefig("f.pdf")`` gets what ``-o f.pdf`` writes:
    TrueType (Type 42) fonts in the PDF, never Type 3, and fixed SVG ids."""
    fig = _saving_figure()(**kwargs)
    fig.look_rc = rc
    return cast("Figure", fig)


@functools.cache
def _saving_figure() -> Any:
    """The class of :func:`_new_figure`'s figures (made on first use: matplotlib is imported
    only then)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    class SavingFigure(Figure):
        look_rc: dict[Any, Any] | None = None  # set per figure by _new_figure

        def savefig(self, *args: Any, **kwargs: Any) -> None:
            with rc_context(self.look_rc):
                super().savefig(*args, **kwargs)

    return SavingFigure


@contextlib.contextmanager
def _text_errors() -> Iterator[None]:
    """Drawing the text fails on a user's bad mathtext or on LaTeX, or finds no room for the
    panels: one line, not a traceback (or a warning and a figure of overlapping text)."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message="constrained_layout not applied")
            yield
    except UserWarning:
        raise UsageError(
            "the figure is too small for its panels, labels and legends: give a larger "
            "--size (or fewer panels, or --legend off)"
        ) from None
    except ValueError as exc:  # mathtext in a user's --title or --label
        first = " ".join(str(exc).split())
        raise UsageError(f"cannot draw the figure's text: {first}") from None
    except RuntimeError as exc:  # --usetex: LaTeX failed on a label
        first = str(exc).strip().splitlines()[0]
        raise DataError(f"LaTeX could not typeset the figure's text: {first}") from None


def _draw(
    ax: Axes,
    panel: Panel,
    colours: dict[str, str],
    names: dict[str, int],
    look: Look,
    *,
    xlabel: bool,
    shared_y: bool,
) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.set_facecolor(colours["bg"])
    for spine in ax.spines.values():
        spine.set_color(colours["zero"])
    ax.tick_params(colors=colours["fg"])
    ax.grid(True, color=colours["grid"], linewidth=0.6)
    scale = panel.yscale or look.yscale
    if scale != "log":
        ax.axhline(0.0, color=colours["zero"], linewidth=0.8, zorder=1)
    ax.axvline(0.0, color=colours["zero"], linewidth=0.8, zorder=1)
    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
    for curve in panel.curves:
        colour, marker = _colour(curve, colours, names, look.style)
        if curve.order and curve.shade is None:
            # f′ and f″ in a lighter tone of f's colour: dashes over f stay visible where the
            # two coincide (step′ = 0 on step's left half)
            colour = _tint(colour, colours["bg"], DERIVATIVE_TINT[look.style] * curve.order)
        dash = DASHES[curve.order % len(DASHES)]
        for i, piece in enumerate(curve.pieces):
            ax.plot(
                piece.x, piece.y, dash, color=colour, linewidth=1.6, marker=marker or None,
                markevery=0.1, markersize=4, label=curve.label if i == 0 else None, zorder=3,
            )  # fmt: skip
        if curve.filled:
            fx, fy = zip(*curve.filled, strict=True)
            ax.plot(fx, fy, "o", color=colour, markersize=4.5, zorder=4)
        if curve.hollow:
            hx, hy = zip(*curve.hollow, strict=True)
            ax.plot(hx, hy, "o", markerfacecolor=colours["bg"], markeredgecolor=colour,
                    markersize=4.5, zorder=4)  # fmt: skip
    ax.set_xlim(float(panel.x[0]), float(panel.x[-1]))
    _y_axis(ax, panel, scale)
    if xlabel:
        ax.set_xlabel(look.xlabel or panel.xlabel, color=colours["fg"])
    ylabel = panel.ylabel or (look.ylabel if not shared_y else "")
    if ylabel:
        ax.set_ylabel(ylabel, color=colours["fg"])
    if panel.title:
        ax.set_title(panel.title, color=colours["fg"], fontsize="medium")
    if look.legend != "off":
        _legend(ax, colours)


def _colour(
    curve: Curve, colours: dict[str, str], names: dict[str, int], style: str
) -> tuple[str, str]:
    """The colour and marker of a curve: a family member's shade, else its activation's."""
    if curve.shade is not None:
        from matplotlib import colormaps
        from matplotlib.colors import to_hex

        lo, hi = FAMILY_SHADES[style]
        # a member's shade; a vector member's outputs share it, told apart by markers
        shade = to_hex(colormaps["viridis"](lo + (hi - lo) * curve.shade))
        return shade, MARKERS[curve.output % len(MARKERS)]
    index = names.setdefault(curve.key, len(names))
    entry = PALETTE[index % len(PALETTE)]
    marker = MARKERS[index // len(PALETTE) % len(MARKERS)]
    return colours.get(entry, entry), marker  # "ink" is the style's; the others are colours


def _tint(colour: str, background: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0 to 1) of the way towards ``background``."""
    from matplotlib.colors import to_hex, to_rgb

    mixed = [
        c + (b - c) * min(amount, 0.6)
        for c, b in zip(to_rgb(colour), to_rgb(background), strict=True)
    ]
    return to_hex((mixed[0], mixed[1], mixed[2]))


def _y_axis(ax: Axes, panel: Panel, scale: str) -> None:
    """Limits that show every curve; a log axis spans the decades of the positive values."""
    import numpy as np
    from matplotlib.ticker import FixedLocator, NullLocator

    if scale == "log":
        values = np.concatenate([c.y for c in panel.curves]) if panel.curves else np.array([])
        positive = values[np.isfinite(values) & (values > 0)]
        if not positive.size:
            raise UsageError("a log y axis needs positive values; none to draw (try --symlogy)")
        ax.set_yscale("log")
        low, high = np.log10(positive.min()), np.log10(positive.max())
        pad = 0.05 * (high - low) or 0.5  # decades: no curve on the frame
        # inside the double range (a gradient factor that grew to 1e307 over thousands of
        # layers padded to inf: 'Axis limits cannot be NaN or Inf')
        edge = math.log10(Y_LIMIT)
        bottom, top = max(low - pad, -edge), min(high + pad, edge)
        ax.set_ylim(10.0**bottom, 10.0**top)
        if top - bottom > 40:  # matplotlib's LogLocator puts a tick a stride beyond: inf
            stride = next(n for n in (10, 20, 25, 50, 100, 200) if n >= (top - bottom) / 8)
            first = math.ceil(bottom / stride) * stride
            ax.yaxis.set_major_locator(
                FixedLocator([10.0**e for e in range(first, math.ceil(top), stride)])
            )
            ax.yaxis.set_minor_locator(NullLocator())
        return
    if scale == "symlog":  # the whole extent: the log part is there to show it
        values = np.concatenate([c.y for c in panel.curves]) if panel.curves else np.array([])
        finite = values[np.isfinite(values)]
        lo, hi = min(float(finite.min(initial=0.0)), 0.0), max(float(finite.max(initial=0.0)), 0.0)
        top = max(-lo, hi) or 1.0
        # asinh, not matplotlib's symlog: smooth where linear meets logarithmic (symlog puts a
        # corner into every smooth curve there), linear within a thousandth of the top
        ax.set_yscale("asinh", linear_width=top * 1e-3)
        ax.set_ylim(1.5 * lo or -top * 1e-3, 1.5 * hi or top * 1e-3)
        # ticks at 0 and the decades beyond the linear part (those inside it collide)
        decades = 10.0 ** np.arange(np.floor(np.log10(top)) - 2, np.ceil(np.log10(top)) + 1)
        ticks = [0.0, *(decades if hi > 0 else []), *(-decades if lo < 0 else [])]
        ax.yaxis.set_major_locator(FixedLocator(sorted(ticks)))
        ax.yaxis.set_minor_locator(NullLocator())
        return
    ax.set_ylim(*y_limits(panel.curves, panel.x))


def _legend(ax: Axes, colours: dict[str, str]) -> None:
    """The legend inside the axes where it covers the fewest points (_fit may move it)."""
    style_legend(ax.legend(loc="best", fontsize="small", frameon=True), colours)


def style_legend(legend: Any, colours: dict[str, str]) -> None:
    """A legend in the style's colours: its frame on the background, its text in ink."""
    legend.get_frame().set_facecolor(colours["bg"])
    legend.get_frame().set_edgecolor(colours["grid"])
    for text in legend.get_texts():
        text.set_color(colours["fg"])


def _fit(fig: Figure, axes: Sequence[Axes], heading: Any, look: Look) -> None:
    """Keep the title and the legends on the canvas: a title too wide is wrapped, then shrunk;
    a legend that does not fit inside its axes (or ``--legend outside``) goes below them, its
    labels wrapped to the axes' width, in as many columns as fit; when the height follows the
    layout, the figure grows by the legend's height."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    fig.draw_without_rendering()
    room = fig.bbox.width * 0.96
    if heading is not None:
        _fit_text(heading, room, renderer)
    for ax in axes:  # a panel's title wider than its panel runs off the canvas at column width
        if ax.get_title():
            _fit_text(ax.title, min(room, ax.bbox.width * 1.05), renderer)
    grow = 0.0
    for ax in axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        if look.legend != "outside" and _fits(legend, ax, renderer):
            continue  # inside, hiding little
        # as wide as its axes: wider, it would squeeze the panels beside it in the layout
        grow = max(
            grow, _below(fig, ax, legend, renderer, min(room, ax.bbox.width * 1.1), look.style)
        )
    if grow and look.size[1] is None:
        width, height = fig.get_size_inches()
        fig.set_size_inches(width, height + grow / fig.dpi)
    fig.draw_without_rendering()


def _fits(legend: Any, ax: Axes, renderer: Any) -> bool:
    """Whether the legend fits inside its axes covering at most a third of them, at its size
    or a size smaller (not under SMALLEST_TEXT)."""
    size = legend.get_texts()[0].get_fontsize()
    for smaller in (size, max(size * 0.85, SMALLEST_TEXT)):
        for text in legend.get_texts():
            text.set_fontsize(smaller)
        box, frame = legend.get_window_extent(renderer), ax.bbox
        if (
            box.width <= 0.9 * frame.width
            and box.width * box.height <= frame.width * frame.height / 3
        ):
            return True
    for text in legend.get_texts():
        text.set_fontsize(size)
    return False


MAX_TITLE = 500  # characters shown of a title (100,000 took minutes to fit; more is cut: …)
MAX_PIXELS = 40_000_000  # a 7x4.5-inch figure at 1200 dpi is 45 MP


def _fit_text(text: Any, room: float, renderer: Any) -> None:
    """Wrap ``text`` at spaces (never inside $math$) until it fits ``room`` pixels, then shrink."""
    import re

    if len(text.get_text()) > MAX_TITLE:  # what three lines can hold, and fast to fit
        text.set_text(text.get_text()[: MAX_TITLE - 1].rstrip() + "…")

    words = re.findall(r"\$[^$]*\$|\S+", text.get_text())
    size = text.get_fontsize()
    while text.get_window_extent(renderer).width > room:
        width = text.get_window_extent(renderer).width
        longest = max(len(line) for line in text.get_text().split("\n"))
        limit = max(int(longest * room / width), 8)
        lines = _wrap(words, limit)
        if len(lines) <= 3 and "\n".join(lines) != text.get_text():
            text.set_text("\n".join(lines))
            continue
        if size <= SMALLEST_TEXT:
            break
        size -= 0.5
        text.set_fontsize(size)


def _wrap(words: list[str], limit: int) -> list[str]:
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _below(fig: Figure, ax: Axes, legend: Any, renderer: Any, room: float, style: str) -> float:
    """Move ``legend`` under the axes' tick labels and x label, as wide as the figure allows;
    its height in pixels."""
    import textwrap

    from matplotlib.transforms import offset_copy

    handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
    legend.remove()
    # below the tick labels and the x label, an offset in points: it holds when the layout
    # then shrinks the axes to make room for the legend
    tight = ax.get_tightbbox(renderer)
    under = (ax.bbox.y0 - (tight.y0 if tight is not None else ax.bbox.y0)) * 72 / fig.dpi + 3
    at = offset_copy(ax.transAxes, fig=fig, y=-under, units="points")
    size = legend.get_texts()[0].get_fontsize()
    chars = max(int(room / (size * fig.dpi / 72 * 0.55)), 12)
    wrapped = [textwrap.fill(label, chars) for label in labels]
    for columns in range(min(len(labels), 4), 0, -1):
        new = ax.legend(handles, wrapped, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                        bbox_transform=at, fontsize=size, ncols=columns)  # fmt: skip
        if new.get_window_extent(renderer).width <= room or columns == 1:
            break
        new.remove()
    style_legend(new, STYLES[style])
    return float(new.get_window_extent(renderer).height)


def save(
    fig: Figure,
    path: Path | None,
    provenance: dict[str, str],
    look: Look | None = None,
    fmt: str | None = None,
) -> None:
    """Write the figure atomically (a temporary file, then a rename) with fixed metadata;
    ``path`` None writes ``fmt`` to standard output."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fmt = check_output(path) if path is not None else fmt or "png"
    FigureCanvasAgg(fig)
    width, height = fig.get_size_inches()
    pixels = width * height * fig.dpi**2
    if fmt == "png" and pixels > MAX_PIXELS:  # the height a grid of panels grew to, counted
        raise UsageError(
            f"the figure came to {width:.3g}x{height:.3g} inches at {fig.dpi:g} dpi, "
            f"{pixels / 1e6:.0f} megapixels (at most {MAX_PIXELS // 1_000_000}): lower --dpi, "
            "or draw fewer panels"
        )
    title = provenance.get("title", "")
    description = "; ".join(f"{k}: {v}" for k, v in provenance.items() if k != "title")
    metadata: dict[str, Any] = {
        "png": {"Software": None, "Title": title, "Description": description},
        "svg": {"Date": None, "Title": title, "Description": description, "Creator": "actcli"},
        "pdf": {"CreationDate": None, "ModDate": None, "Title": title, "Subject": description,
                "Creator": "actcli", "Producer": "actcli"},
    }[fmt]  # fmt: skip

    def write(out: Any) -> None:
        with rc_context((look or Look()).rc()), _text_errors():
            fig.savefig(out, format=fmt, metadata=metadata, facecolor=fig.get_facecolor())

    if path is None:
        import sys

        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            write(out)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a figure is an ordinary file
        os.replace(tmp, path)
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def svg(fig: Figure, look: Look | None = None) -> str:
    """The figure as an ``<svg>`` element to put inside an HTML page (no XML prolog, no
    DOCTYPE, no date), drawn by matplotlib's SVG backend: pyplot is never involved."""
    import io

    from matplotlib import rc_context

    out = io.BytesIO()
    with rc_context((look or Look()).rc()), _text_errors():  # the format picks the SVG canvas
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "actcli"})
    text = out.getvalue().decode("utf-8")
    return text[text.index("<svg") :]


def show(fig: Figure) -> None:
    """Open the figure in a window; only here does pyplot come in (it owns the GUI loop)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise DataError(
            "--show needs a display (none found): write a file with -o or use --terminal"
        )
    import matplotlib.pyplot as plt

    backend = os.environ.get("ACTCLI_MPLBACKEND")  # the user's MPLBACKEND (cli/process.py)
    if backend:
        try:
            plt.switch_backend(backend)
        except (ValueError, ImportError) as exc:
            raise DataError(f"MPLBACKEND={backend!r}: {exc}", option="show") from None
    manager = plt.figure().canvas.manager
    if manager is None:
        raise DataError("matplotlib has no interactive backend here", option="show")
    fig.set_canvas(manager.canvas)
    manager.canvas.figure = fig
    plt.show()
