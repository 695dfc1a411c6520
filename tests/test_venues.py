"""Venue-exact figures: widths from the style files, the PDF's MediaBox measured, bad input."""

from __future__ import annotations

import re
import zlib

import pytest

from actcli import venues
from actcli.cli import app
from actcli.cli.options import Venue
from actcli.errors import UsageError

# width in PostScript points (72 per inch) a figure must have, from the style files' numbers
EXPECTED_BP = {
    ("neurips", 1): 5.5 * 72,
    ("iclr", 1): 5.5 * 72,
    ("jmlr", 1): 6.0 * 72,
    ("icml", 1): 3.25 * 72,
    ("icml", 2): 6.75 * 72,
    ("cvpr", 1): (6.875 - 0.3125) / 2 * 72,
    ("cvpr", 2): 6.875 * 72,
    ("aaai", 1): (7.0 - 0.375) / 2 * 72,
    ("aaai", 2): 7.0 * 72,
    ("ieee", 1): 21 * 12 / 72.27 * 72,  # 21pc in TeX points
    ("ieee", 2): 43 * 12 / 72.27 * 72,
}


def media_box(pdf: bytes) -> list[float]:
    found = re.search(rb"/MediaBox\s*\[\s*([-\d.\s]+)\]", pdf)
    assert found, "no MediaBox"
    return [float(v) for v in found.group(1).split()]


def test_the_cli_choices_are_the_venues() -> None:
    assert [v.value for v in Venue] == list(venues.VENUES)


@pytest.mark.parametrize(("name", "columns"), sorted(EXPECTED_BP))
def test_widths(name: str, columns: int) -> None:
    width, _ = venues.venue(name, columns)
    assert width * 72 == pytest.approx(EXPECTED_BP[name, columns], abs=1e-9)


def test_caption_sizes_in_postscript_points() -> None:
    assert venues.venue("icml")[1] == pytest.approx(9 * 72 / 72.27)
    assert venues.venue("ieee")[1] == pytest.approx(8 * 72 / 72.27)
    assert venues.venue("jmlr")[1] == pytest.approx(10.95 * 72 / 72.27)


@pytest.mark.parametrize(
    ("name", "columns", "message"),
    [
        ("iclr", 2, "columns 2: ICLR has one column"),
        ("icml", 3, "columns 3: ICML has 1 or 2"),
        ("nips", None, "venue: unknown 'nips'; one of neurips, iclr"),
    ],
)
def test_bad_venue_or_columns(name: str, columns: int | None, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        venues.venue(name, columns)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "columns"), [("ieee", 1), ("icml", 2), ("neurips", 1)])
def test_plot_pdf_media_box_is_the_venue_width(runner, tmp_path, name, columns) -> None:
    out = tmp_path / "f.pdf"
    args = [
        "plot",
        "gelu",
        "silu",
        "-d",
        "--venue",
        name,
        "--columns",
        str(columns),
        "-o",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    box = media_box(out.read_bytes())
    assert box[0] == box[1] == 0
    assert box[2] == pytest.approx(EXPECTED_BP[name, columns], abs=1e-6)
    assert 100 < box[3] < box[2] * 1.2  # the height follows the layout


def _fonts_sizes(pdf: bytes) -> set[float]:
    """The sizes of the fonts set in the PDF's content streams (``/F1 8.97 Tf``)."""
    sizes: set[float] = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            continue
        sizes |= {float(s) for s in re.findall(rb"/F\d+ ([\d.]+) Tf", text)}
    return sizes


@pytest.mark.slow
def test_compare_grid_at_icml_width_with_panel_labels(runner, tmp_path) -> None:
    out = tmp_path / "c.pdf"
    args = ["compare", "gelu", "silu", "--grid", "--venue", "icml", "--columns", "2"]
    result = runner.invoke(app, [*args, "--panel-labels", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    pdf = out.read_bytes()
    assert media_box(pdf)[2] == pytest.approx(6.75 * 72)
    # ticks at the caption's size: ICML's \small, 9 TeX points
    assert round(9 * 72 / 72.27, 4) in {round(s, 4) for s in _fonts_sizes(pdf)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--venue", "iclr", "--columns", "2"], "--columns 2: ICLR has one column"),
        (["--columns", "2"], "--columns: only with --venue"),
        (["--venue", "icml", "--size", "4x3"], "--size and --venue: give one of them"),
    ],
)
def test_cli_bad_venue_input(runner, tmp_path, args, message) -> None:
    result = runner.invoke(app, ["plot", "relu", *args, "-o", str(tmp_path / "f.pdf")])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "f.pdf").exists()


def test_cli_unknown_venue_is_a_usage_error(runner, tmp_path) -> None:
    result = runner.invoke(app, ["plot", "relu", "--venue", "nips", "-o", str(tmp_path / "f.pdf")])
    assert result.exit_code == 2
    assert "--venue" in result.stderr and "nips" in result.stderr


def test_venue_options_need_a_figure(runner) -> None:
    result = runner.invoke(app, ["compare", "relu", "gelu", "--venue", "icml"])
    assert result.exit_code == 2
    assert "--venue: only for the figure: give -o FILE" in result.stderr
