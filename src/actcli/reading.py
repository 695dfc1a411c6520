"""Reading numbers: command-line values, and streams of lines or CSV/TSV rows.

Streams are read in blocks, so memory stays flat whatever the length of the input; every bad
number is reported with its line and column. Lines end at ``\\n`` (a ``\\r`` before it is
dropped); blank lines are skipped; spaces around a number, ``nan``, ``inf``, ``-inf`` and
``infinity`` in any case are accepted; a UTF-8 byte-order mark is ignored.

Input is delimited when its first line holds a comma or a tab, or when ``--column`` is given.
Its first row is a header when any of its fields is not a number: numeric first rows are data,
never silently swallowed. Large blocks (50,000 lines or more, one number per line or delimited
rows) are parsed by polars, imported only then; a block it rejects is parsed again line by
line, which names the bad line.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, TypeVar

import numpy as np

from actcli.errors import DataError, UsageError

BLOCK_BYTES = 1 << 22  # 4 MiB of input at a time
_POLARS_MIN_LINES = 50_000  # below this, polars' import costs more than it saves
_BOM = "\ufeff"

T = TypeVar("T")


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


def out_of_range(token: str, value: float) -> str | None:
    """ "over" for a number written beyond float64's range (read as ±inf), "under" for a
    nonzero one below it (read as 0), None otherwise: float("1e400") and float("1e-400")
    change the data without a word, so the caller counts them and says so."""
    if value == 0:
        mantissa = token.strip().lower().partition("e")[0]
        return "under" if any(c in "123456789" for c in mantissa) else None
    if math.isinf(value) and "inf" not in token.lower():
        return "over"
    return None


def _counted(token: str, value: float, lost: Counter[str] | None) -> float:
    if lost is not None and (value == 0 or math.isinf(value)):
        kind = out_of_range(token, value)
        if kind:
            lost[kind] += 1
    return value


def is_number(text: str) -> bool:
    try:
        parse_number(text, "")
    except DataError:
        return False
    return True


def parse_values(values: Sequence[str], lost: Counter[str] | None = None) -> np.ndarray:
    """Numbers given on the command line (``-2`` is a number, not an option).

    ``lost`` counts the numbers beyond float64's range ("over", "under"; see out_of_range).
    """
    return np.array(
        [_counted(v, parse_number(v, f"argument {i}"), lost) for i, v in enumerate(values, 1)],
        dtype=np.float64,
    )


@dataclass(frozen=True)
class Layout:
    """How a stream is laid out: one number per line, or delimited rows."""

    delimiter: str | None  # None: one number per line
    header: list[str] | None
    columns: list[int] | None  # 0-based indices of the columns read; None: every field
    width: int = 1  # fields in the first row


def _detect(first: str, column: str | None) -> Layout:
    delimiter = "\t" if "\t" in first else "," if ("," in first or column) else None
    if delimiter is None:
        return Layout(None, None, None)
    fields = next(csv.reader([first], delimiter=delimiter))
    names = None if all(is_number(f) for f in fields) else [f.strip() for f in fields]
    if column is None:
        return Layout(delimiter, names, None, len(fields))
    if column.isdigit():
        index = int(column) - 1
        if not 0 <= index < len(fields):
            raise UsageError(f"--column {column}: the input has {len(fields)} column(s)")
        return Layout(delimiter, names, [index], len(fields))
    if names is None or column not in names:
        known = ", ".join(names or []) or "none: the first row is numbers, not a header"
        raise UsageError(f"--column {column!r} not found (columns: {known})")
    return Layout(delimiter, names, [names.index(column)], len(fields))


class Reader:
    """Blocks of numbers from a byte stream: an iterator of (n,) or (n, k) float64 arrays.

    ``column`` picks one column of delimited input (a header name or a 1-based index).
    Without it, every field of a row is read, and all rows must have as many fields.
    """

    def __init__(
        self, stream: IO[bytes], column: str | None = None, lost: Counter[str] | None = None
    ) -> None:
        _block_on(stream)
        self.stream = stream
        self.column = column
        self.lost = lost  # numbers beyond float64's range, counted (see out_of_range)
        self.layout: Layout | None = None
        self.width: int | None = None  # fields per row, when every field is read
        self.line = 0  # lines consumed so far

    def __iter__(self) -> Iterator[np.ndarray]:
        first = True
        while block := self.stream.read(BLOCK_BYTES):
            if not block.endswith(b"\n"):
                block += self.stream.readline()  # finish the last line (one copy, no rescan)
                if not block.endswith(b"\n"):  # the end of the input, without a newline
                    block += b"\n"
            if first and block.startswith(_BOM.encode()):
                block = block[len(_BOM.encode()) :]
            first = False
            yield from self._block(block)

    def _block(self, data: bytes) -> Iterator[np.ndarray]:
        """Complete lines, each ending with a newline."""
        if self.layout is None:
            data = self._take_layout(data)
            if self.layout is None:
                return
        count = _count_lines(data)
        if count >= _POLARS_MIN_LINES:
            fast = _polars_block(data, count, self.layout)
            if fast is not None and self.lost is not None and _may_be_out_of_range(fast, data):
                fast = None  # the line-by-line path counts them exactly
            if fast is not None:
                self.line += count
                if self.layout.delimiter is not None and self.layout.columns is None:
                    self.width = self.layout.width  # what later rows are held to
                yield fast
                return
        lines = data.decode("utf-8", "replace").split("\n")[:-1]
        values = self._numbers(lines) if self.layout.delimiter is None else self._rows(lines)
        self.line += len(lines)
        if values.size:
            yield values

    def _take_layout(self, data: bytes) -> bytes:
        """Detect the layout from the first non-blank line; the data after blanks and header."""
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            text = data[start:end].decode("utf-8", "replace").rstrip("\r")
            if text.strip():
                self.layout = _detect(text, self.column)
                if self.layout.header is not None:
                    self.line += 1
                    return data[end + 1 :]
                return data[start:]
            self.line += 1
            start = end + 1
        return b""  # only blank lines so far

    def _numbers(self, lines: list[str]) -> np.ndarray:
        out = [
            _counted(text, parse_number(text, f"line {i}"), self.lost)
            for i, text in enumerate(lines, start=self.line + 1)
            if text.strip()
        ]
        return np.array(out, dtype=np.float64)

    def _rows(self, lines: list[str]) -> np.ndarray:
        assert self.layout is not None and self.layout.delimiter is not None
        rows = []
        reader = csv.reader((line.rstrip("\r") for line in lines), delimiter=self.layout.delimiter)
        for i, fields in enumerate(reader, start=self.line + 1):
            if not any(f.strip() for f in fields):
                continue
            cols = self.layout.columns
            if cols is None:
                if self.width is None:
                    self.width = len(fields)
                if len(fields) != self.width:
                    raise DataError(f"line {i} has {len(fields)} fields, the others {self.width}")
                cols = list(range(self.width))
            row = []
            for c in cols:
                if c >= len(fields):
                    raise DataError(
                        f"line {i} has {len(fields)} field(s), column {c + 1} is missing"
                    )
                value = parse_number(fields[c], f"line {i}, column {c + 1}")
                row.append(_counted(fields[c], value, self.lost))
            rows.append(row)
        width = len(self.layout.columns) if self.layout.columns is not None else (self.width or 1)
        return np.array(rows, dtype=np.float64).reshape(-1, width)


def _block_on(stream: IO[bytes]) -> None:
    """Make reads wait for data: a non-blocking stream (left so by another program) would
    answer "nothing yet", which must not be taken for the end of the input."""
    try:
        fd = stream.fileno()
        if not os.get_blocking(fd):
            os.set_blocking(fd, True)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a file descriptor (BytesIO, a test's stream): reads block or end


def closing(stream: IO[bytes], reader: Reader) -> Iterator[np.ndarray]:
    """The reader's blocks, and its stream closed by the thread that reads it.

    Closed from another thread, a buffered stream waits for a read in progress to finish,
    which on a pipe that stays open is forever.
    """
    with stream:
        yield from reader


def _count_lines(data: bytes) -> int:
    """The newlines in ``data``: numpy's count is 7x faster than bytes.count, without the GIL."""
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n")))


def read_ahead(items: Iterable[T]) -> Iterator[T]:
    """The items of ``items``, each produced one step ahead in a background thread.

    Chained, these make a pipeline: while one block is written, the next is evaluated and the
    one after it parsed (polars and numpy work outside the GIL). An exception of the producer
    is raised here, where its item would have been; leaving early (a closed pipe, an error
    downstream) stops the producer.
    """
    import queue
    import threading

    ahead: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand_over(item: tuple[bool, Any]) -> None:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                hand_over((True, item))
        except BaseException as exc:  # handed to the consumer, raised there
            hand_over((False, exc))
        else:
            hand_over((False, None))

    thread = threading.Thread(target=produce, name="actcli-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            ok, item = ahead.get()
            if not ok:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()


def _may_be_out_of_range(values: np.ndarray, data: bytes) -> bool:
    """Whether the block may hold numbers beyond float64's range: an infinity not written
    as one, or a zero on a line with a negative exponent of three digits or more (below
    1e-99). Cheap, and true only on odd data; the line-by-line path then counts exactly."""
    infinite = int(np.count_nonzero(np.isinf(values)))
    if infinite and infinite > data.lower().count(b"inf"):
        return True
    zero_rows = (values == 0).reshape(len(values), -1).any(axis=1)
    if not zero_rows.any() or (b"e-" not in data and b"E-" not in data):
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    minus = np.flatnonzero(raw[1:-3] == ord("-")) + 1  # every block ends with a newline
    minus = minus[(raw[minus - 1] | 0x20) == ord("e")]  # "e-" or "E-"
    digits = [(raw[minus + k] >= ord("0")) & (raw[minus + k] <= ord("9")) for k in (1, 2, 3)]
    tiny = minus[digits[0] & digits[1] & digits[2]]
    lines = np.searchsorted(np.flatnonzero(raw == ord("\n")), tiny)
    return bool(zero_rows[lines].any())


def _polars_block(data: bytes, lines: int, layout: Layout) -> np.ndarray | None:
    """Parse a large block with polars; None if it needs the slow path.

    Anything unusual (a blank line, spaces, a bad number, a ragged row) makes polars fail or
    produce a null, and the block is then parsed line by line, which skips blanks and names
    the bad line. Delimited rows keep the columns asked for: (n, k); one number per line: (n,).
    """
    import polars as pl

    schema: dict[str, Any]
    if layout.delimiter is None:
        schema = {"x": pl.Float64}
        picked = ["x"]
    else:
        names = [f"c{i}" for i in range(layout.width)]
        wanted = range(layout.width) if layout.columns is None else layout.columns
        picked = [names[i] for i in wanted]
        # columns not asked for may hold anything (labels, dates): read them as text
        schema = {n: pl.Float64 if n in picked else pl.String for n in names}
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            schema=schema,
            separator=layout.delimiter or ",",
            quote_char='"' if layout.delimiter else None,
        ).select(picked)
    except Exception:  # any failure means: find the bad line the slow way
        return None
    if len(frame) != lines or any(frame.null_count().row(0)):
        return None
    values = frame.to_numpy().astype(np.float64, copy=False)
    return values[:, 0] if layout.delimiter is None else values
