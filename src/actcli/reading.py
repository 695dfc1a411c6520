"""Reading numbers: command-line values, and streams of lines or CSV/TSV rows.

Streams are read in blocks, so memory stays flat whatever the length of the input; every bad
number is reported with its line and column. Accepted: CRLF, blank lines (skipped), spaces
around a number, ``nan``, ``inf``, ``-inf`` and ``infinity`` in any case.

Large blocks of one-number-per-line input are parsed by polars (imported only then); a block
it rejects is parsed again line by line, which names the offending line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np

from actcli.errors import DataError, UsageError

BLOCK_BYTES = 1 << 22  # 4 MiB of input at a time
_POLARS_MIN_LINES = 50_000  # below this, polars' import costs more than it saves


def parse_number(text: str, where: str) -> float:
    """One number; ``where`` says where it came from for the error message."""
    token = text.strip()
    if token and "_" not in token:  # float() would accept 1_000; a data file should not
        try:
            return float(token)
        except ValueError:
            pass
    shown = token if len(token) <= 40 else token[:37] + "..."
    raise DataError(f"bad number {shown!r} at {where}")


def parse_values(values: Sequence[str]) -> np.ndarray:
    """Numbers given on the command line (``-2`` is a number, not an option)."""
    return np.array(
        [parse_number(v, f"argument {i}") for i, v in enumerate(values, start=1)],
        dtype=np.float64,
    )


@dataclass(frozen=True)
class Layout:
    """How a stream is laid out: one number per line, or delimited rows."""

    delimiter: str | None  # None: one number per line
    header: list[str] | None
    columns: list[int]  # 0-based indices of the columns read


def _detect(first: str, column: str | None, header: bool) -> Layout:
    delimiter = "\t" if "\t" in first else "," if ("," in first or column) else None
    if delimiter is None:
        return Layout(None, None, [0])
    fields = next(csv.reader([first], delimiter=delimiter))
    names = [f.strip() for f in fields] if header else None
    if column is None:
        return Layout(delimiter, names, list(range(len(fields))))
    if column.isdigit():
        index = int(column) - 1
        if not 0 <= index < len(fields):
            raise UsageError(f"--column {column}: the input has {len(fields)} column(s)")
        return Layout(delimiter, names, [index])
    if names is None or column not in names:
        known = ", ".join(names or []) or "none: the input has no header"
        raise UsageError(f"--column {column!r} not found (columns: {known})")
    return Layout(delimiter, names, [names.index(column)])


class Reader:
    """Blocks of numbers from a byte stream: an iterator of (n,) or (n, k) float64 arrays.

    ``column`` picks one column of delimited input (a name from the header or a 1-based
    index); ``header`` says whether the first row of delimited input is a header. Input is
    delimited when its first line holds a comma or a tab, or when ``column`` is given.
    """

    def __init__(self, stream: IO[bytes], column: str | None = None, header: bool = True):
        self.stream = stream
        self.column = column
        self.header = header
        self.layout: Layout | None = None
        self.line = 0  # lines consumed so far

    def __iter__(self) -> Iterator[np.ndarray]:
        rest = b""
        while True:
            block = self.stream.read(BLOCK_BYTES)
            data = rest + block
            if not block:
                if data:
                    yield from self._lines(data.decode("utf-8", "replace").splitlines())
                return
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            rest = data[cut + 1 :]
            fast = self._fast(data[: cut + 1])
            if fast is not None:
                yield fast
                continue
            yield from self._lines(data[: cut + 1].decode("utf-8", "replace").splitlines())

    def _fast(self, data: bytes) -> np.ndarray | None:
        """A large block of one-number lines parsed by polars straight from the bytes."""
        if (
            self.layout is None
            or self.layout.delimiter is not None
            or data.count(b"\n") < _POLARS_MIN_LINES
        ):
            return None
        values = _polars_numbers(data)
        if values is not None:
            self.line += data.count(b"\n")
        return values

    # -- one block of complete lines -----------------------------------------------------
    def _lines(self, lines: list[str]) -> Iterator[np.ndarray]:
        if self.layout is None:
            lines = self._take_layout(lines)
            if self.layout is None:
                self.line += len(lines)
                return
        assert self.layout is not None
        values = self._numbers(lines) if self.layout.delimiter is None else self._rows(lines)
        self.line += len(lines)
        if values.size:
            yield values

    def _take_layout(self, lines: list[str]) -> list[str]:
        for i, text in enumerate(lines):
            if text.strip():
                self.layout = _detect(text, self.column, self.header)
                if self.layout.header is not None:
                    self.line += i + 1
                    return lines[i + 1 :]
                return lines
        return []  # only blank lines so far

    def _numbers(self, lines: list[str]) -> np.ndarray:
        if len(lines) >= _POLARS_MIN_LINES:
            fast = _polars_numbers("\n".join(line.strip() for line in lines).encode())
            if fast is not None:
                return fast
        out = []
        for i, text in enumerate(lines, start=self.line + 1):
            if text.strip():
                out.append(parse_number(text, f"line {i}"))
        return np.array(out, dtype=np.float64)

    def _rows(self, lines: list[str]) -> np.ndarray:
        assert self.layout is not None and self.layout.delimiter is not None
        cols = self.layout.columns
        rows = []
        reader = csv.reader(lines, delimiter=self.layout.delimiter)
        for i, fields in enumerate(reader, start=self.line + 1):
            if not any(f.strip() for f in fields):
                continue
            row = []
            for c in cols:
                if c >= len(fields):
                    raise DataError(
                        f"line {i} has {len(fields)} field(s), column {c + 1} is missing"
                    )
                row.append(parse_number(fields[c], f"line {i}, column {c + 1}"))
            rows.append(row)
        return np.array(rows, dtype=np.float64).reshape(-1, len(cols))

    @property
    def names(self) -> list[str] | None:
        """Header names of the columns read, when there is a header."""
        if self.layout is None or self.layout.header is None:
            return None
        return [self.layout.header[c] for c in self.layout.columns]


def _polars_numbers(data: bytes) -> np.ndarray | None:
    """Parse a large block of one-number lines with polars; None if it needs the slow path.

    Anything unusual (a blank line, spaces, a bad number) makes polars fail or produce a null,
    and the block is then parsed line by line, which skips blanks and names bad lines.
    """
    import polars as pl

    try:
        frame = pl.read_csv(io.BytesIO(data), has_header=False, schema={"x": pl.Float64})
    except Exception:
        return None
    series = frame["x"]
    if series.null_count():
        return None
    return series.to_numpy().astype(np.float64, copy=False)
