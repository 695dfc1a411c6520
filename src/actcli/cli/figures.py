"""The figure options every figure-writing command shares, checked in one place.

:func:`look` validates ``--size``, ``--dpi``, ``--style``, the fonts, the legend and the
axes' scale together (the pixel count is bounded); :func:`destination` decides between a file
and ``-o -``; :func:`save` writes the figure with its provenance. (An option the chosen output
ignores is refused by :func:`actcli.cli.options.refuse_unused`.)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actcli import __version__, plotting
from actcli.cli.options import Font, ImageFormat, Legend, Style, Venue, refuse_unused
from actcli.errors import UsageError
from actcli.plotting import Look

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation

STDOUT = Path("-")


def look(
    size: str | None,
    dpi: int | None,
    style: Style | None,
    default_size: str,
    *,
    font: Font | None = None,
    usetex: bool = False,
    svg_paths: bool = False,
    legend: Legend | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    logy: bool = False,
    symlogy: bool = False,
    venue: Venue | None = None,
    columns: int | None = None,
    panel_labels: bool = False,
) -> Look:
    """The figure options, checked together (the pixel count is bounded; TeX must be there).

    ``--venue`` sets the width (the height follows the layout), the caption's font size and,
    unless ``--font`` says otherwise, a Times-like serif, as the venues' papers use."""
    fontsize = None
    if venue is not None:
        from actcli import venues

        if size is not None:
            raise UsageError("--size and --venue: give one of them (a venue fixes the width)")
        w, fontsize = venues.venue(venue.value, columns)
        h: float | None = None
        font = font or Font.serif
    elif columns is not None:
        raise UsageError("--columns: only with --venue")
    else:
        w, h = parse_size(size or default_size)
    dots = 150 if dpi is None else dpi
    if not 10 <= dots <= 1200:
        raise UsageError(f"--dpi must be between 10 and 1200, got {dots}")
    if w * (h or w) * dots * dots > plotting.MAX_PIXELS:  # up front; save counts again
        area = f"{w:g}x{h:g} inches" if h else f"{w:g} inches wide"
        raise UsageError(
            f"{area} at {dots} dpi is {w * (h or w) * dots * dots / 1e6:.0f} megapixels "
            f"(at most {plotting.MAX_PIXELS // 1_000_000}): lower --dpi or --size"
        )
    if logy and symlogy:
        raise UsageError("--logy and --symlogy: give one of them")
    if usetex:
        _check_tex()
    return Look(
        style=(style or Style.light).value,
        size=(w, h),
        dpi=dots,
        font=(font or Font.sans).value,
        usetex=usetex,
        svg_paths=svg_paths,
        legend=(legend or Legend.best).value,
        yscale="log" if logy else "symlog" if symlogy else "linear",
        xlabel=xlabel,
        ylabel=ylabel,
        fontsize=fontsize,
        panel_labels=panel_labels,
    )


def parse_size(text: str) -> tuple[float, float | None]:
    """``WxH`` in inches, or a preset width (``column``, ``page``) with the height left to the
    layout."""
    from actcli.plotting import WIDTHS

    preset = WIDTHS.get(text.strip().lower())
    if preset is not None:
        return preset, None
    w, sep, h = text.lower().partition("x")
    try:
        size = (float(w), float(h))
    except ValueError:
        size = (0.0, 0.0)
    if not sep or not all(1 <= v <= 50 for v in size):
        raise UsageError(
            f"--size {text!r}: expected WxH in inches, each in [1, 50] (e.g. 7x4.5), column or page"
        )
    return size


def _check_tex() -> None:
    """--usetex needs latex, and dvipng for PNG: say so before drawing, not in a traceback."""
    import shutil

    missing = [tool for tool in ("latex", "dvipng") if shutil.which(tool) is None]
    if missing:
        raise UsageError(
            f"--usetex needs a LaTeX installation ({' and '.join(missing)} not found on PATH); "
            "without it, mathtext draws the formulas"
        )


def destination(
    path: Path | None, image_format: ImageFormat | None, svg_paths: bool = False
) -> tuple[Path | None, str]:
    """Where the figure goes and in which format: a file (its suffix) or, for ``-o -``,
    standard output (``--image-format``, PNG by default), never a terminal."""
    from actcli import plotting
    from actcli.cli.output import stdout_is_terminal

    if path != STDOUT:
        if image_format is not None:
            raise UsageError("--image-format: only with -o - (a file's suffix is its format)")
        target, fmt = path, "png" if path is None else plotting.check_output(path)
    elif stdout_is_terminal():
        raise UsageError("-o - writes an image to standard output: redirect it (> f.png, | ...)")
    else:
        target, fmt = None, (image_format or ImageFormat.png).value
    if svg_paths and fmt != "svg":
        raise UsageError(f"--svg-paths: only for an SVG figure, not {fmt.upper()}")
    return target, fmt


def beside_a_report(
    path: Path | None,
    default_size: str,
    *,
    size: str | None,
    dpi: int | None,
    style: Style | None,
    font: Font | None,
    title: str | None,
) -> Look | None:
    """The look of a figure drawn beside a report on standard output (check, train), or None
    without -o, when no figure option may be given; ``-o -`` would mix the two: refused."""
    from actcli import plotting

    if path is None:
        given = {"--dpi": dpi, "--size": size, "--style": style, "--font": font, "--title": title}
        refuse_unused(given, "the figure: give -o FILE")
        return None
    if path == STDOUT:
        raise UsageError("-o -: the report goes to standard output; give the figure a file")
    plotting.check_output(path)
    return look(size, dpi, style, default_size, font=font)


def default_path(acts: list[Activation]) -> Path:
    """``<names>.png`` in the current directory; formulas get a hash (x*2 and x+2 differ)."""
    specs = [a.spec for a in acts]
    stem = "_".join(re.sub(r"[^A-Za-z0-9.=-]+", "-", s) for s in specs)[:100]
    if any(re.search(r"[^A-Za-z0-9_.=:,-]", s) for s in specs):
        import hashlib

        stem += "-" + hashlib.sha1("|".join(specs).encode()).hexdigest()[:8]
    return Path(stem + ".png")


def save(
    fig: Any,
    path: Path | None,
    acts: list[Activation],
    title: str,
    look: Look | None = None,
    fmt: str | None = None,
) -> None:
    """Write ``fig`` atomically (``path`` None: ``fmt`` to standard output), carrying its
    command, activations and dialect as metadata."""
    from actcli import plotting

    provenance = {
        "title": title,
        "software": f"actcli {__version__}",
        "command": "actcli " + " ".join(sys.argv[1:]),
        "activations": "; ".join(a.spec for a in acts),
        "dialect": ", ".join(sorted({a.dialect for a in acts})),
    }
    plotting.save(fig, path, provenance, look, fmt)
