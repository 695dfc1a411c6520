"""``actcli.plot(...)``: the ``plot`` command's figure for Python callers, as a matplotlib Figure.

The same functions draw it as for ``actcli plot -o``: :func:`actcli.curves.panels` (what is
drawn), :func:`actcli.families.member` and :func:`actcli.families.title` (how it is named),
:func:`actcli.plotting.figure` (how it looks), :func:`actcli.venues.venue` (venue widths). The
figure is a ``matplotlib.figure.Figure`` made without pyplot, so no global state changes and a
notebook shows it once (IPython displays a returned Figure); ``fig.savefig("f.pdf")`` writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation
    from actcli.families import Member
    from actcli.plotting import Figure, Look


def plot(
    *names: str | Activation,
    derivative: int = 0,
    range: tuple[float, float] = (-5.0, 5.0),  # the CLI's --range, by its name
    steps: int = 1001,
    dialect: str | None = None,
    grid: bool = False,
    others: Sequence[float] | None = None,
    title: str | None = None,
    labels: Sequence[str] | None = None,
    venue: str | None = None,
    columns: int | None = None,
    size: tuple[float, float | None] | str | None = None,
    style: str = "light",
    font: str | None = None,
    legend: str = "best",
    yscale: str = "linear",
    panel_labels: bool = False,
    dpi: int = 150,
) -> Figure:
    """Activations (and with ``derivative`` 1 or 2 their f′, f″) as ``actcli plot`` draws them.

    ``names`` are specs (``"gelu"``, ``"leaky_relu:negative_slope=0.1"``, a formula in x) or
    :class:`~actcli.Activation` objects; ``grid`` draws a panel each; ``venue`` (``"icml"``,
    ``"neurips"``, ...) with ``columns`` 1 or 2 sets the venue's exact width and caption
    font size (and a serif font unless ``font`` is given); else ``size`` is (width, height) in
    inches, a height of None following the layout, or ``"column"``/``"page"``.

    >>> import actcli
    >>> fig = actcli.plot("gelu", "silu", derivative=1, range=(-4, 4), venue="icml")
    >>> float(fig.get_size_inches()[0])  # ICML's column, inches
    3.25
    """
    import dataclasses

    from actcli import curves, families, plotting

    if not names:
        raise UsageError("plot: give one or more activations")
    if derivative not in (0, 1, 2):
        raise UsageError(f"derivative must be 0, 1 or 2, got {derivative!r}")
    chosen = _members(names, dialect, labels)
    x = curves.grid(float(range[0]), float(range[1]), steps)
    extra = None if others is None else ",".join(repr(float(v)) for v in others)
    panels = curves.panels(chosen, x, derivative, extra, grid)
    look = _look(len(panels) > 1, venue, columns, size, style, font, legend, yscale, dpi)
    look = dataclasses.replace(look, panel_labels=panel_labels)
    shown = title if title is not None else families.title(chosen)
    return plotting.figure(panels, title=shown, look=look)


def _members(
    names: Sequence[str | Activation], dialect: str | None, labels: Sequence[str] | None
) -> list[Member]:
    """Each name bound (an Activation as given) and named as the command line names it:
    the parameters written in its spec, the dialect when they are mixed."""
    from actcli.catalog.binding import Activation, get, parse_spec
    from actcli.families import member

    if labels is not None and len(labels) != len(names):
        raise UsageError(f"labels: {len(labels)} given for {len(names)} activations")
    bound: list[tuple[Activation, list[str]]] = []
    for name in names:
        if isinstance(name, Activation):
            changed = [p.name for p in name.definition.params if name.params[p.name] != p.default]
            bound.append((name, changed))
        else:
            bound.append((get(name, dialect=dialect), list(parse_spec(name)[1])))
    mixed = len({act.dialect for act, _ in bound}) > 1
    return [
        member(act, keys, i, mixed=mixed, custom=labels[i] if labels else "")
        for i, (act, keys) in enumerate(bound)
    ]


def _look(
    several: bool,
    venue: str | None,
    columns: int | None,
    size: tuple[float, float | None] | str | None,
    style: str,
    font: str | None,
    legend: str,
    yscale: str,
    dpi: int,
) -> Look:
    """The figure's look, checked: a venue's width and type size, or a size (``plot``'s
    defaults: 7×4.5 in, the page width for several panels)."""
    from actcli import plotting, venues

    fontsize = None
    if venue is not None:
        if size is not None:
            raise UsageError("size and venue: give one of them (a venue fixes the width)")
        width, fontsize = venues.venue(venue, columns)
        dims: tuple[float, float | None] = (width, None)
        font = font or "serif"
    elif columns is not None:
        raise UsageError("columns: only with a venue")
    elif isinstance(size, str):
        if size not in plotting.WIDTHS:
            raise UsageError(f"size {size!r}: (width, height) in inches, or one of column, page")
        dims = (plotting.WIDTHS[size], None)
    else:
        dims = size or ((plotting.WIDTHS["page"], None) if several else (7.0, 4.5))
    choices = {
        "style": (style, plotting.STYLES),
        "font": (font or "sans", plotting.FONTS),
        "legend": (legend, ("best", "outside", "off")),
        "yscale": (yscale, ("linear", "log", "symlog")),
    }
    for key, (value, allowed) in choices.items():
        if value not in allowed:
            raise UsageError(f"{key} {value!r}: one of {', '.join(allowed)}")
    return plotting.Look(
        style=style,
        size=dims,
        dpi=dpi,
        font=font or "sans",
        legend=legend,
        yscale=yscale,
        fontsize=fontsize,
    )
