"""The text reader: numbers from a byte stream, a block at a time, so memory stays flat
whatever its length; every bad number is reported with its line (and column).

- Lines end at ``\\n`` (a ``\\r`` before it is dropped); a UTF-8 byte-order mark is ignored;
  blank lines and comment lines (the first character that is not a space is ``#``) are
  skipped anywhere.
- The layout is decided by the first data line (:func:`actcli.inputs.layout.detect`).
- ``column`` picks one column by header name or 1-based index; without it every field of a
  row is read, and all rows must have as many fields.

Large blocks (50,000 lines or more) are parsed by polars (:mod:`actcli.inputs.fast`); a block
it rejects is parsed again line by line, which names the bad line.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO

import numpy as np

from actcli.errors import DataError
from actcli.inputs.fast import parse_large
from actcli.inputs.layout import Layout, blank_fields, detect, refuse_binary
from actcli.inputs.numbers import counted, parse_number
from actcli.inputs.streams import block_on

BLOCK_BYTES = 1 << 22  # 4 MiB of input at a time
# The longest line read: an endless line (`yes 1 | tr -d '\n'`) must not grow without limit.
MAX_LINE = 1 << 24  # 16 MiB: a million fields
MAX_LINE_VARIABLE = "ACTCLI_MAX_LINE_BYTES"


def max_line() -> int:
    """The longest line read, in bytes (MAX_LINE, or the environment's ACTCLI_MAX_LINE_BYTES)."""
    import os

    text = os.environ.get(MAX_LINE_VARIABLE, "")
    return int(text) if text.isdigit() and int(text) > 0 else MAX_LINE


_POLARS_MIN_LINES = 50_000  # below this, polars' import costs more than it saves
_BOM = "\ufeff".encode()


class Reader:
    """Blocks of numbers from a byte stream: an iterator of (n,) or (n, k) float64 arrays.

    ``column`` picks one column of delimited input (a header name or a 1-based index).
    Without it, every field of a row is read, and all rows must have as many fields. ``name``
    says what the stream is in messages ("standard input", a file's path).
    """

    def __init__(
        self,
        stream: IO[bytes],
        column: str | None = None,
        lost: Counter[str] | None = None,
        *,
        name: str = "the input",
        notes: list[str] | None = None,
    ) -> None:
        block_on(stream)
        self.stream = stream
        self.column = column
        self.lost = lost  # numbers beyond float64's range, counted (see out_of_range)
        self.name = name
        self.notes = notes  # what to tell the user about how the data was read
        self.layout: Layout | None = None
        self.width: int | None = None  # fields per row of delimited input (the first line's)
        self.line = 0  # lines consumed so far
        self._comment: str | None = None  # the comment line just before, while none is data
        self._missing_first = False  # a nan to give first: the first row was a missing-value marker

    def __iter__(self) -> Iterator[np.ndarray]:
        for lines in self._whole_lines():
            yield from self._block(lines)

    def _whole_lines(self) -> Iterator[bytes]:
        """The stream in blocks of whole lines, each ending with ``\\n`` (``\\r\\n`` kept: the
        parsers drop its ``\\r``): a lone ``\\r`` (classic Mac OS, some spreadsheet exports)
        is made ``\\n``, the last line gets one, a byte-order mark before the first is
        dropped."""
        rest: list[bytes] = []  # the start of a line that the blocks so far did not finish
        first = True
        while block := self.stream.read(BLOCK_BYTES):
            if first:
                refuse_binary(block, self.name)  # before a binary "line" is read to its end
            while block.endswith(b"\r"):  # maybe a \r\n cut in two: decide on the next byte
                more = self.stream.read(1)
                if not more:
                    break
                block += more
            if b"\r" in block and block.count(b"\r") != block.count(b"\r\n"):
                block = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # a lone \r
            cut = block.rfind(b"\n") + 1
            if not cut:  # a line longer than a block
                rest.append(block)
                if sum(map(len, rest)) > max_line():
                    raise DataError(
                        f"{self.name}: line {self.line + 1} is longer than {max_line():,} bytes "
                        f"(a row of numbers is far shorter; {MAX_LINE_VARIABLE} raises the limit)"
                    )
                continue
            lines = b"".join([*rest, block[:cut]]) if rest else block[:cut]
            rest = [block[cut:]] if cut < len(block) else []
            yield lines.removeprefix(_BOM) if first else lines
            first = False
        if rest:  # the end of the input, without a newline
            lines = b"".join([*rest, b"\n"])
            yield lines.removeprefix(_BOM) if first else lines

    def _block(self, data: bytes) -> Iterator[np.ndarray]:
        """Complete lines, each ending with a newline."""
        if self.layout is None:
            data = self._take_layout(data)
            if self.layout is None:
                return
        if self._missing_first:  # the first row, a missing-value marker: nan, not a name
            self._missing_first = False
            yield np.full((1,) if self.layout.delimiter is None else (1, 1), np.nan)
        count = _count_lines(data)
        if count >= _POLARS_MIN_LINES:
            fast = parse_large(data, count, self.layout, self.lost is not None)
            if fast is not None:
                self.line += count
                yield fast
                return
        lines = data.decode("utf-8", "replace").split("\n")[:-1]
        if b"#" in data:
            lines = ["" if line.lstrip().startswith("#") else line for line in lines]
        values = self._numbers(lines) if self.layout.delimiter is None else self._rows(lines)
        self.line += len(lines)
        if values.size:
            yield values

    def _take_layout(self, data: bytes) -> bytes:
        """Detect the layout from the first data line; the data after blanks, comments and
        header."""
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            text = data[start:end].decode("utf-8", "replace").rstrip("\r")
            token = text.strip()
            if token and not token.startswith("#"):
                self.layout, first = detect(text, self.column, self._comment)
                if self.layout.delimiter is not None:
                    self.width = self.layout.width  # what every row is held to
                if first == "data":
                    return data[start:]
                self.line += 1
                if first == "missing":
                    self._missing_first = True
                    if self.notes is not None:
                        self.notes.append(
                            f"{self.name}, line {self.line}: {token!r} read as nan (a missing "
                            "value, not a column name)"
                        )
                return data[end + 1 :]
            self._comment = token[1:] if token else None  # a blank line parts it from the data
            self.line += 1
            start = end + 1
        return b""  # only blank lines and comments so far

    def _numbers(self, lines: list[str]) -> np.ndarray:
        out = [
            counted(text, parse_number(text, f"line {i}"), self.lost)
            for i, text in enumerate(lines, start=self.line + 1)
            if text.strip()
        ]
        return np.array(out, dtype=np.float64)

    def _rows(self, lines: list[str]) -> np.ndarray:
        assert self.layout is not None and self.layout.delimiter is not None
        delimiter = self.layout.delimiter
        numbered: Iterable[tuple[int, list[str]]]
        if delimiter == " ":
            numbered = enumerate(map(blank_fields, lines), start=self.line + 1)
        else:
            numbered = self._csv_rows(lines, delimiter)
        width = self.width or self.layout.width
        cols = self.layout.columns if self.layout.columns is not None else range(width)
        rows = []
        for i, fields in numbered:
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != width:  # a ragged row: its fields may not be what they seem
                raise DataError(f"line {i} has {len(fields)} fields, the others {width}")
            row = []
            for c in cols:
                value = parse_number(fields[c], f"line {i}, column {c + 1}")
                row.append(counted(fields[c], value, self.lost))
            rows.append(row)
        return np.array(rows, dtype=np.float64).reshape(-1, len(cols))

    def _csv_rows(self, lines: list[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
        """CSV or TSV rows with their line numbers. A row is one line: a quoted field left
        open would swallow the lines after it (``1,"2`` and ``3"`` read as 23), so it is a
        bad number at the line it begins on."""
        reader = csv.reader((line.rstrip("\r") for line in lines), delimiter=delimiter)
        line = self.line + 1  # the line the next row begins on
        for fields in reader:
            last = self.line + reader.line_num
            if last != line:  # the open field, as its own line holds it
                opened = next(csv.reader([lines[line - self.line - 1]], delimiter=delimiter))
                field = '"' + opened[-1]
                raise DataError(
                    f"bad number {field!r} at line {line}, column {len(opened)} "
                    "(a quoted field must close on the line it opens on)"
                )
            yield line, fields
            line = last + 1


def _count_lines(data: bytes) -> int:
    """The newlines in ``data``: numpy's count is 7x faster than bytes.count, without the GIL."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")))
