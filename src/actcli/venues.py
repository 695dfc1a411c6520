"""Venue-exact figure sizes: each venue's text and column widths and its captions' font size,
read from the venue's own LaTeX style file (the source of every number is beside it).

A figure for ``--venue icml`` is exactly as wide as an ICML column (``--columns 2``: the text
width, a figure* across both columns), so LaTeX includes it at 100 % (``\\includegraphics``
without ``width=``) and its text is the size of the caption under it. Widths in the style files
are in inches or TeX points (1 in = 72.27 pt); matplotlib's points are PostScript points (1 in =
72 bp), so a caption's size in TeX points is converted.
"""

from __future__ import annotations

from dataclasses import dataclass

from actcli.errors import UsageError

TEX_POINTS_PER_INCH = 72.27
PS_POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class Venue:
    """``widths[n - 1]``: the width in inches of a figure spanning n columns; ``caption``
    the captions' font size in TeX points; ``source`` where both were read."""

    name: str
    title: str
    widths: tuple[float, ...]
    caption: float
    source: str

    @property
    def fontsize(self) -> float:
        """The caption's size in matplotlib's (PostScript) points."""
        return self.caption * PS_POINTS_PER_INCH / TEX_POINTS_PER_INCH


def _two(text: float, columnsep: float) -> tuple[float, float]:
    """A two-column layout: one column is (text width − column separation) / 2."""
    return (text - columnsep) / 2, text


VENUES: dict[str, Venue] = {
    # neurips_2024.sty (andykitchen/neuroai-workshop-2024 @ d9a1f3a, the official 2024 file):
    # geometry textwidth=5.5in; \normalsize 10pt (\@xpt); captions are not resized (10 pt)
    "neurips": Venue("neurips", "NeurIPS", (5.5,), 10.0, "neurips_2024.sty"),
    # iclr2026/iclr2026_conference.sty (ICLR/Master-Template @ a28d335): \textwidth 5.5 true in;
    # \normalsize 10pt (\xpt); captions not resized (10 pt)
    "iclr": Venue("iclr", "ICLR", (5.5,), 10.0, "iclr2026_conference.sty"),
    # icml2025.sty (jolars/icml-style-updated @ 6c783c0): \textwidth 6.75in, \columnsep 0.25in;
    # \captionsetup{font=small}, \small = 9 pt (\ixpt)
    "icml": Venue("icml", "ICML", _two(6.75, 0.25), 9.0, "icml2025.sty"),
    # cvpr.sty (cvpr-org/author-kit @ 12909ae): \textwidth 6.875in, \columnsep 0.3125in;
    # caption package font=small, in a 10pt article \small = 9 pt
    "cvpr": Venue("cvpr", "CVPR", _two(6.875, 0.3125), 9.0, "cvpr.sty"),
    # aaai25.sty (dsikar/AAAI-2025-Submission-1 @ edc09a4, "AAAI 2025 Submission format"):
    # \textwidth 7.0in, \columnsep 0.375in; \normalsize 10 pt, captions not resized (10 pt)
    "aaai": Venue("aaai", "AAAI", _two(7.0, 0.375), 10.0, "aaai25.sty"),
    # IEEEtran.cls V1.8b (amirsojoodi/IEEE-Conf-Template @ 22f75ef): \textwidth 43pc
    # ("2 x 21pc + 1pc"), \columnsep 1pc, 1pc = 12 pt; captions \footnotesize = 8 pt (10pt option)
    "ieee": Venue(
        "ieee",
        "IEEE",
        _two(43 * 12 / TEX_POINTS_PER_INCH, 12 / TEX_POINTS_PER_INCH),
        8.0,
        "IEEEtran.cls",
    ),
    # jmlr2e.sty (JmlrOrg/jmlr-style-file @ f413f63): \textwidth 6.0 true in; sample.tex is
    # [11pt]{article}, captions at \normalsize: 10.95 pt (\@xipt)
    "jmlr": Venue("jmlr", "JMLR", (6.0,), 10.95, "jmlr2e.sty"),
}


def venue(name: str, columns: int | None = None) -> tuple[float, float]:
    """(width in inches, font size in points) of a figure for ``name`` spanning ``columns``
    (default 1: one column of a two-column venue, the text of a one-column one)."""
    found = VENUES.get(name.strip().lower())
    if found is None:
        raise UsageError(f"{{0}}: unknown {name!r}; one of {', '.join(VENUES)}", option="venue")
    n = 1 if columns is None else columns
    if not 1 <= n <= len(found.widths):
        allowed = "has one column" if len(found.widths) == 1 else "has 1 or 2"
        raise UsageError(f"{{0}} {n}: {found.title} {allowed}", option="columns")
    return found.widths[n - 1], found.fontsize
