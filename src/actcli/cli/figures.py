"""The figure options every figure-writing command shares, checked in one place.

:func:`settings` validates ``--size``, ``--dpi`` and ``--style`` together (the pixel count is
bounded); :func:`save` writes the figure with its provenance. (An option the chosen output
ignores is refused by :func:`actcli.cli.options.refuse_unused`.)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actcli import __version__
from actcli.cli.options import Style
from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.catalog.registry import Activation

MAX_PIXELS = 40_000_000  # a 7x4.5-inch figure at 1200 dpi is 45 MP: beyond, say so up front


@dataclass(frozen=True)
class Settings:
    size: tuple[float, float]
    dpi: int
    style: str


def settings(size: str | None, dpi: int | None, style: Style | None, default_size: str) -> Settings:
    """--size, --dpi and --style, checked together."""
    w, h = parse_size(size or default_size)
    dots = 150 if dpi is None else dpi
    if not 10 <= dots <= 1200:
        raise UsageError(f"--dpi must be between 10 and 1200, got {dots}")
    if w * h * dots * dots > MAX_PIXELS:
        raise UsageError(
            f"{w:g}x{h:g} inches at {dots} dpi is {w * h * dots * dots / 1e6:.0f} megapixels "
            f"(at most {MAX_PIXELS // 1_000_000}): lower --dpi or --size"
        )
    return Settings((w, h), dots, (style or Style.light).value)


def parse_size(text: str) -> tuple[float, float]:
    w, sep, h = text.lower().partition("x")
    try:
        size = (float(w), float(h))
    except ValueError:
        size = (0.0, 0.0)
    if not sep or not all(1 <= v <= 50 for v in size):
        raise UsageError(f"--size {text!r}: expected WxH in inches, each in [1, 50], e.g. 7x4.5")
    return size


def default_path(acts: list[Activation]) -> Path:
    """``<names>.png`` in the current directory; formulas get a hash (x*2 and x+2 differ)."""
    specs = [a.spec for a in acts]
    stem = "_".join(re.sub(r"[^A-Za-z0-9.=-]+", "-", s) for s in specs)[:100]
    if any(re.search(r"[^A-Za-z0-9_.=:,-]", s) for s in specs):
        import hashlib

        stem += "-" + hashlib.sha1("|".join(specs).encode()).hexdigest()[:8]
    return Path(stem + ".png")


def save(fig: Any, path: Path, acts: list[Activation], title: str) -> None:
    """Write ``fig`` atomically, carrying its command, activations and dialect as metadata."""
    from actcli import plotting

    provenance = {
        "title": title,
        "software": f"actcli {__version__}",
        "command": "actcli " + " ".join(sys.argv[1:]),
        "activations": "; ".join(a.spec for a in acts),
        "dialect": ", ".join(sorted({a.dialect for a in acts})),
    }
    plotting.save(fig, path, provenance)
