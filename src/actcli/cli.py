"""The command line (the only module importing typer). Filled in by the command issues."""

from __future__ import annotations

import typer

app = typer.Typer()


def main() -> None:
    app()
