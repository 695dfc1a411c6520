"""The one place that decides what stdout gets: a rich table, CSV/TSV, JSON or JSON Lines.

:func:`stdout_is_terminal` is the only look at the terminal (tests replace it);
:func:`resolve` turns ``--format auto`` into a concrete format with it. :func:`emit` writes a
whole table, :func:`emit_blocks` streams blocks of columns, :func:`write_json` is the one JSON
writer, :func:`note` the one way to say something on stderr.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from actcli.errors import UsageError
from actcli.formats import OutputFormat, Table, resolve_format

# the largest table --format auto draws on a terminal; beyond, CSV (a box table of a million
# rows takes minutes and gigabytes, and columns past a dozen are squeezed to nothing)
TABLE_CELLS = 20_000
TABLE_COLUMNS = 12


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def resolve(requested: OutputFormat) -> OutputFormat:
    """``auto`` as a table on a terminal and CSV elsewhere (formats.resolve_format)."""
    return resolve_format(requested, stdout_is_terminal())


def note(text: str) -> None:
    """A line on stderr (``note: ...``, ``warning: ...``): stdout carries data only."""
    from actcli import render

    render.note(text, render.console(sys.stderr))


def console(no_color: bool) -> Any:
    """A rich console on stdout (colourless off a terminal, with --no-color or NO_COLOR)."""
    from actcli import render

    return render.console(sys.stdout, no_color=no_color)


def text(draw: Callable[[Any], None], no_color: bool) -> None:
    """Rich text on stdout: as drawn on a terminal; elsewhere the same text without colour
    and without the spaces rich pads lines with (for grep, diff and files)."""
    out = console(no_color)
    if stdout_is_terminal():
        draw(out)
        return
    with out.capture() as captured:
        draw(out)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def write_json(doc: Any) -> None:
    """A JSON document on stdout: numbers as numbers, nan and ±inf as strings."""
    from actcli import formats

    sys.stdout.write(json.dumps(formats.json_safe(doc), ensure_ascii=False) + "\n")


def emit(
    data: Table,
    fmt: OutputFormat,
    *,
    header: bool = True,
    precision: int | None = None,
    no_color: bool = False,
) -> None:
    """Write a whole table to stdout in the resolved format."""
    resolved = resolve(fmt)
    if resolved is OutputFormat.table:
        from actcli import render

        render.table(data, console(no_color), precision=precision, header=header)
    else:
        from actcli import formats

        formats.write(data, resolved, sys.stdout, header=header, precision=precision)


def emit_blocks(
    table: Table,
    blocks: Iterable[list[np.ndarray]],
    fmt: OutputFormat,
    *,
    header: bool = True,
    precision: int | None = None,
    no_color: bool = False,
) -> None:
    """Stream column blocks (CSV, TSV, JSON Lines, a JSON document with ``table``'s
    metadata) or gather them into ``table`` (its rows empty until then) for a rich table.

    A terminal gets a table (--format auto) up to TABLE_CELLS cells and TABLE_COLUMNS
    columns, and CSV beyond, with a note; ``--format table`` beyond them is refused (a
    million-row box table takes minutes and gigabytes, and shows nobody anything).
    """
    from actcli import formats

    resolved = resolve(fmt)
    if resolved is OutputFormat.table:
        blocks, too_big = _too_big_for_a_table(len(table.columns), blocks)
        if too_big and fmt is OutputFormat.table:
            raise UsageError(
                f"{too_big} are too many for a table: use --format csv", option="format"
            )
        if too_big:
            note(f"note: {too_big}: CSV, not a table")
            resolved = OutputFormat.csv
    if resolved is not OutputFormat.table:
        writer = formats.BlockWriter(
            table.columns,
            resolved,
            sys.stdout,
            header=header,
            precision=precision,
            inputs=table.inputs,
            meta=table.meta,
        )
        for block in blocks:
            writer.write(block)
        writer.finish()
        return
    table.rows = [list(row) for block in blocks for row in formats.rows(block)]
    emit(table, resolved, header=header, precision=precision, no_color=no_color)


def _too_big_for_a_table(
    width: int, blocks: Iterable[list[np.ndarray]]
) -> tuple[Iterable[list[np.ndarray]], str | None]:
    """Why the blocks make too big a table, if they do; the blocks, with what was read ahead."""
    if width > TABLE_COLUMNS:
        return blocks, f"{width} columns"
    most = TABLE_CELLS // width
    rest = iter(blocks)
    head, count = [], 0
    while count <= most and (block := next(rest, None)) is not None:
        head.append(block)
        count += len(block[0]) if block else 0
    return itertools.chain(head, rest), (f"over {most:,} rows" if count > most else None)
