"""Terminal rendering with rich (the only module importing rich)."""

from __future__ import annotations

import os
from typing import IO

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from actcli.formats import Table, format_cell


def console(
    stream: IO[str] | None = None, *, stderr: bool = False, no_color: bool = False
) -> Console:
    """A console on ``stream``; colour off with --no-color or NO_COLOR (rich reads NO_COLOR)."""
    no_color = no_color or "NO_COLOR" in os.environ
    return Console(file=stream, stderr=stderr, no_color=no_color, highlight=False, soft_wrap=False)


def table(data: Table, out: Console, *, precision: int | None = None, header: bool = True) -> None:
    """Print ``data`` as a rich table that fits the console width."""
    rt = RichTable(
        title=data.title or None,
        title_justify="left",
        show_header=header,
        header_style="bold",
        caption=data.meta.get("caption"),
        expand=False,
        min_width=min(len(data.title) + 4, out.width),
    )
    shown = [data.columns.index(c) for c in data.meta.get("display", data.columns)]
    for i in shown:
        rt.add_column(data.columns[i], overflow="fold")
    for row in data.rows:
        rt.add_row(*(Text(format_cell(row[i], precision)) for i in shown))
    out.print(rt)


def note(message: str, out: Console) -> None:
    """A line on stderr: notes and warnings (``warning: ...``, ``note: ...``)."""
    out.print(Text(message), soft_wrap=True, highlight=False)


def error(message: str, out: Console) -> None:
    """One line on stderr: ``error: message``."""
    out.print(Text.assemble(("error", "bold red"), ": ", message), soft_wrap=True)
