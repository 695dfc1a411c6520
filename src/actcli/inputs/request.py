"""Which numbers a command reads (:class:`Request`, :func:`blocks`), in this order of
precedence:

1. numbers as typed (the command line's VALUES; ``-2`` is a number, ``−2`` with the minus sign
   U+2212 too); the single value ``-`` means standard input;
2. else a range: ``steps`` points from a to b (:func:`actcli.inputs.ranges.grid`;
   ``default_steps`` when not given); or, with ``every``, every value of a float type;
3. else a file (text, ``.npy``, ``.npz``);
4. else standard input, when it is not a terminal (or when the values are ``-``).

Giving two sources, ``steps`` without a range, or a ``column`` with numbers or a range is an
error: nothing asked for is silently dropped. Errors use this package's words and name the
input they are about in ``option`` ("values", "range", "steps", "file", "column", "stdin"), so
that the command line can name its flag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from actcli.errors import DataError, UsageError
from actcli.inputs.every import Piece, every_value, pieces
from actcli.inputs.npfiles import NUMPY_SUFFIXES, numpy_input
from actcli.inputs.numbers import parse_values
from actcli.inputs.ranges import MAX_STEPS, finite_span, grid_blocks
from actcli.inputs.streams import closing, read_ahead, reporting_os_errors, unreadable
from actcli.inputs.text import Reader

if TYPE_CHECKING:
    from actcli.parallel import Shard


@dataclass(frozen=True)
class Request:
    """What to read, as the user gave it: numbers, a range, a file, or none of them
    (standard input). ``values`` are the numbers as typed (``("-",)``: standard input);
    ``span`` and ``steps`` a range (``default_steps`` when ``steps`` is None); ``column`` picks
    a column of a file or standard input; ``every`` asks for every value of a float type
    (within ``span`` if given; ±inf and nan too with ``special``)."""

    values: tuple[str, ...] = ()
    span: tuple[float, float] | None = None
    steps: int | None = None
    path: Path | None = None
    column: str | None = None
    default_steps: int = 11
    every: str | None = None
    special: bool = False


def blocks(
    request: Request,
    stdin: IO[bytes] | None,
    stdin_is_terminal: bool,
    lost: Counter[str] | None = None,
    notes: list[str] | None = None,
) -> Iterator[np.ndarray]:
    """The input the request selects, as blocks of float64: (n,) or, for rows, (n, k).

    Errors in the request itself are raised here, before anything is read; errors in the
    data as the blocks are read. A file and standard input are read one block ahead in a
    background thread (:func:`read_ahead`), which also opens and closes the file. ``lost``
    counts the numbers written beyond float64's range (see :func:`out_of_range`); ``notes``
    receives what the reader has to say about how it read the data (a first row read as nan).
    ``stdin`` is None when standard input is closed: asked for, it is an error.
    """
    source = _source(request, stdin_is_terminal)
    if source == "every":
        assert request.every is not None
        span = None if request.span is None else finite_span(*request.span)
        return every_value(request.every, span, request.special)
    if source == "values":
        return iter([parse_values(request.values, lost)])
    if source == "range":
        assert request.span is not None
        steps = request.default_steps if request.steps is None else request.steps
        if not 1 <= steps <= MAX_STEPS:
            raise UsageError(f"must be between 1 and {MAX_STEPS}, got {steps}", option="steps")
        a, b = finite_span(*request.span)
        return grid_blocks(a, b, steps)
    if source == "file":
        assert request.path is not None
        return read_ahead(_file_blocks(request.path, request.column, lost, notes))
    if stdin is None:
        raise DataError("cannot read {0}: it is closed", option="stdin")
    reader = Reader(stdin, request.column, lost, name="standard input", notes=notes)
    return read_ahead(reporting_os_errors(reader, "standard input", "stdin"))


def every_pieces(request: Request, shard: Shard) -> list[Piece]:
    """``--all``'s sweep (shard ``shard`` of it) in pieces for processes to evaluate apart
    (:func:`actcli.inputs.every.pieces`), after the same checks as :func:`blocks`."""
    if _source(request, stdin_is_terminal=True) != "every" or request.every is None:
        raise UsageError("{0}: only with {1}", option=("shard", "every"))
    span = None if request.span is None else finite_span(*request.span)
    return pieces(request.every, span, request.special, shard.pair())


def _source(request: Request, stdin_is_terminal: bool) -> str:
    """Which input the request selects ("values", "range", "file", "stdin"), after checking
    that it gives one and that nothing given would be ignored."""
    values = request.values
    dash = "-" in values
    if dash and values != ("-",):
        raise UsageError("'-' reads standard input: give numbers or '-', not both", option="values")
    given = [
        source
        for source, present in (
            ("values", bool(values) and not dash),
            ("every", request.every is not None),
            ("range", request.span is not None and request.every is None),
            ("file", request.path is not None),
            ("stdin", dash),
        )
        if present
    ]
    if len(given) > 1:
        both = " and ".join(f"{{{i}}}" for i in range(len(given)))
        raise UsageError(f"give the input one way, not {both}", option=tuple(given))
    if request.steps is not None and request.every is not None:
        raise UsageError("{0}: not with {1}, which takes every value", option=("steps", "every"))
    if request.steps is not None and request.span is None:
        raise UsageError("{0}: only with {1}", option=("steps", "range"))
    if request.special and request.every is None:
        raise UsageError("{0}: only with {1}", option=("special", "every"))
    if request.column is not None and given and given[0] in ("values", "range", "every"):
        raise UsageError("{0}: only with {1} or {2}", option=("column", "file", "stdin"))
    if given:
        return given[0]
    if not stdin_is_terminal:
        return "stdin"
    raise UsageError(
        "no input: give {0}, {1} or {2}, or pipe numbers in", option=("values", "range", "file")
    )


def _file_blocks(
    path: Path, column: str | None, lost: Counter[str] | None, notes: list[str] | None
) -> Iterator[np.ndarray]:
    """A file's blocks; opened and closed by the thread that reads it (see :func:`closing`)."""
    if path.suffix.lower() in NUMPY_SUFFIXES:
        yield numpy_input(path, column, lost)
        return
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise unreadable(str(path), exc, "file") from None
    reader = Reader(stream, column, lost, name=str(path), notes=notes)
    yield from reporting_os_errors(closing(stream, reader), str(path), "file")
