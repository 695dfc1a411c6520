"""The shared command line of the generator scripts: write the file, or --check it is fresh."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def main(out: Path, render: Callable[[], str]) -> int:
    """Write ``render()`` to ``out``; with --check, exit 1 if ``out`` differs from it."""
    text = render()
    if "--check" in sys.argv[1:]:
        return 0 if out.exists() and out.read_text(encoding="utf-8") == text else 1
    out.write_text(text, encoding="utf-8")
    return 0
