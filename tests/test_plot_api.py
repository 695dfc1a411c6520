"""actcli.plot(): the plot command's figure as a matplotlib Figure, pyplot untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest

import actcli
from actcli.errors import UsageError


@pytest.mark.slow
def test_plot_imports_matplotlib_only_when_called_and_never_pyplot() -> None:
    code = (
        "import sys, actcli\n"
        "assert 'matplotlib' not in sys.modules\n"
        "fig = actcli.plot('gelu', 'silu', derivative=1, range=(-4, 4))\n"
        "from matplotlib.figure import Figure\n"
        "assert isinstance(fig, Figure), type(fig)\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "print(*fig.get_size_inches())"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout == "7.0 4.5\n"


@pytest.mark.slow
def test_plot_draws_what_the_cli_draws() -> None:
    fig = actcli.plot("gelu", "relu", derivative=1, range=(-4, 4))
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["gelu", "gelu′", "relu", "relu′"]
    assert ax.get_xlim() == (-4.0, 4.0)
    assert fig._suptitle.get_text() == "gelu, relu   (torch)"


@pytest.mark.slow
def test_plot_takes_activations_and_mixed_dialects_are_named() -> None:
    fig = actcli.plot(actcli.get("leaky_relu", negative_slope=0.1), "gelu:dialect=jax")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["leaky_relu (negative_slope=0.1, torch)", "gelu (jax)"]


@pytest.mark.slow
def test_plot_grid_with_venue_and_panel_labels() -> None:
    fig = actcli.plot("gelu", "silu", grid=True, venue="icml", columns=2, panel_labels=True)
    assert fig.get_size_inches()[0] == 6.75
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["(a) gelu", "(b) silu"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"venue": "iclr", "columns": 2}, "columns 2: ICLR has one column"),
        ({"columns": 2}, "columns: only with a venue"),
        ({"venue": "icml", "size": (3.0, 2.0)}, "size and venue"),
        ({"size": "poster"}, "size 'poster'"),
        ({"style": "neon"}, "style 'neon': one of light, dark"),
        ({"derivative": 3}, "derivative must be 0, 1 or 2"),
        ({"labels": ["a", "b"]}, "labels: 2 given for 1 activations"),
    ],
)
def test_plot_bad_input(kwargs, message) -> None:
    with pytest.raises(UsageError, match=message):
        actcli.plot("relu", **kwargs)


def test_plot_needs_a_name() -> None:
    with pytest.raises(UsageError, match="give one or more"):
        actcli.plot()


def test_unknown_activation() -> None:
    with pytest.raises(actcli.UnknownActivationError):
        actcli.plot("gelu", "relux")


@pytest.mark.slow
def test_panel_titles_stay_on_a_column_wide_canvas() -> None:
    """compare --diff at an IEEE column: "difference in ULP from gelu (torch)" was cut."""
    from actcli import comparison, curves, families, plotting, venues

    dialects = enumerate(["torch", "jax"])
    chosen = [
        families.member(actcli.get("gelu", dialect=d), [], i, mixed=True) for i, d in dialects
    ]
    x = curves.grid(-5, 5, 201)
    width, size = venues.venue("ieee")
    look = plotting.Look(size=(width, None), font="serif", fontsize=size)
    fig = plotting.figure(comparison.panels(chosen, x, False, "ulp"), look=look)
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        box = ax.title.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width, (ax.get_title(), box, fig.bbox.width)


@pytest.mark.slow
def test_savefig_of_the_returned_figure_embeds_truetype(tmp_path) -> None:
    """fig.savefig, outside actcli's own writer, still embeds Type 42 fonts (never Type 3)."""
    out = tmp_path / "f.pdf"
    actcli.plot("gelu", venue="icml").savefig(out)
    pdf = out.read_bytes()
    assert b"/FontFile2" in pdf  # TrueType
    assert b"/Subtype /Type3" not in pdf
