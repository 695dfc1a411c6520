"""Machine-readable output: CSV, TSV, JSON and JSON Lines (no rich here, ever).

A :class:`Table` is what every command produces; :func:`write` serialises it. Which format
``auto`` means is decided by :func:`resolve_format`, a pure function of the request and whether
stdout is a terminal, so it can be tested as a truth table.
"""

from __future__ import annotations

import contextlib
import csv
import enum
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from actcli import dtypes
from actcli.dtypes import format_number


class OutputFormat(str, enum.Enum):
    """What a command writes to stdout."""

    auto = "auto"
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"


def resolve_format(requested: OutputFormat, stdout_isatty: bool) -> OutputFormat:
    """``auto`` is a rich table on a terminal and CSV in a pipe; anything explicit wins."""
    if requested is OutputFormat.auto:
        return OutputFormat.table if stdout_isatty else OutputFormat.csv
    return requested


@dataclass
class Table:
    """Rows of values under named columns, with metadata for JSON and the table caption."""

    columns: list[str]
    rows: list[list[Any]]
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    inputs: int = 0  # the leading columns that say what went in (x): --precision spares them


def _narrow(value: Any) -> bool:
    """A numpy scalar of a float type narrower than float64 (bfloat16 is not np.floating)."""
    t = dtypes.of(value) if isinstance(value, np.generic) else None
    return t is not None and t.narrow


def format_cell(value: Any, precision: int | None = None) -> str:
    if _narrow(value):
        return dtypes.spell(value, precision=precision)
    if isinstance(value, (float, np.floating)):
        return format_number(float(value), precision)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(format_cell(v, precision) for v in value)
    return str(value)


def _json_value(value: Any, precision: int | None) -> Any:
    """JSON has no NaN or infinity: they are written as the strings "nan", "inf", "-inf"."""
    if isinstance(value, np.integer):
        return int(value)
    if _narrow(value) and np.isfinite(value):
        value = float(dtypes.spell(value))  # the double nearest the narrow type's shortest
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            return format_number(value)
        return float(format_number(value, precision)) if precision is not None else value
    if isinstance(value, (list, tuple)):
        return [_json_value(v, precision) for v in value]
    if isinstance(value, Mapping):
        return {k: _json_value(v, precision) for k, v in value.items()}
    return value


def _digits(width: int, precision: int | None, inputs: int) -> list[int | None]:
    """Each column's --precision: none for the input columns, whose values identify the row."""
    return [None if i < inputs else precision for i in range(width)]


def _record(columns: Sequence[str], row: Sequence[Any], digits: Sequence[int | None]) -> Any:
    """One row as a JSON object keyed by column name."""
    values = (_json_value(v, p) for v, p in zip(row, digits, strict=True))
    return dict(zip(columns, values, strict=True))


def json_safe(value: Any) -> Any:
    """A structure with NaN and ±inf spelled as strings, ready for json.dumps."""
    return _json_value(value, None)


def write(
    table: Table,
    fmt: OutputFormat,
    stream: IO[str],
    *,
    header: bool = True,
    precision: int | None = None,
) -> None:
    """Serialise ``table`` to ``stream`` in a machine format (not ``table``/``auto``)."""
    if fmt in STREAMING:
        writer = BlockWriter(
            table.columns, fmt, stream, header=header, precision=precision, inputs=table.inputs
        )
        writer.write_rows(table.rows)
        writer.finish()
    elif fmt is OutputFormat.json:
        digits = _digits(len(table.columns), precision, table.inputs)
        doc = {
            **_json_value(table.meta, None),
            "columns": table.columns,
            "rows": [_record(table.columns, row, digits) for row in table.rows],
        }
        stream.write(json.dumps(doc, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"{fmt.value} is not a machine format")


# ---------------------------------------------------------------------------------- streaming

_POLARS_MIN_ROWS = 50_000  # below this, polars' import costs more than it saves
STREAMING = (OutputFormat.csv, OutputFormat.tsv, OutputFormat.jsonl)


def rows(block: list[np.ndarray]) -> Iterator[tuple[Any, ...]]:
    """The rows of a column block: Python numbers, or numpy scalars of a narrow float type
    (so that they print in their own type)."""
    columns = [c.tolist() if c.dtype in (np.float64, np.int64) else list(c) for c in block]
    return zip(*columns, strict=True)


class BlockWriter:
    """Writes column blocks as CSV, TSV or JSON Lines as they come (constant memory).

    Large CSV/TSV blocks are written by polars, whose float spelling :func:`format_number`
    reproduces exactly; everything else goes through :mod:`csv` and :mod:`json`.
    """

    def __init__(
        self,
        columns: list[str],
        fmt: OutputFormat,
        stream: IO[str],
        *,
        header: bool = True,
        precision: int | None = None,
        inputs: int = 0,
    ) -> None:
        if fmt not in STREAMING:
            raise ValueError(f"{fmt.value} is not a streaming format")
        self.columns, self.fmt, self.stream = columns, fmt, stream
        self.precision = precision
        self.digits = _digits(len(columns), precision, inputs)
        self.delimiter = "\t" if fmt is OutputFormat.tsv else ","
        self.pending_header = header and fmt is not OutputFormat.jsonl

    def finish(self) -> None:
        """Write the header if no block came (empty input still names its columns)."""
        if self.pending_header:
            csv.writer(self.stream, delimiter=self.delimiter, lineterminator="\n").writerow(
                self.columns
            )
            self.pending_header = False

    def write(self, block: list[np.ndarray]) -> None:
        """One block of columns."""
        large = bool(block) and len(block[0]) >= _POLARS_MIN_ROWS
        wide = all(c.dtype in (np.float64, np.int64) for c in block)
        if large and wide and self.fmt is not OutputFormat.jsonl and self.precision is None:
            self._polars(block)
            return
        self.write_rows(rows(block))

    def write_rows(self, table_rows: Iterable[Sequence[Any]]) -> None:
        """Rows of Python values (or numpy scalars)."""
        if self.fmt is OutputFormat.jsonl:
            for row in table_rows:
                record = _record(self.columns, row, self.digits)
                self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        writer = csv.writer(self.stream, delimiter=self.delimiter, lineterminator="\n")
        if self.pending_header:
            writer.writerow(self.columns)
            self.pending_header = False
        digits = self.digits
        writer.writerows(
            [format_cell(v, p) for v, p in zip(row, digits, strict=True)] for row in table_rows
        )

    def _polars(self, block: list[np.ndarray]) -> None:
        import polars as pl

        # NaN as null, so that it is written as null_value "nan", not polars' "NaN"
        frame = pl.DataFrame({f"c{i}": c for i, c in enumerate(block)}, nan_to_null=True)
        frame.columns = self.columns
        header, self.pending_header = self.pending_header, False
        binary = getattr(self.stream, "buffer", None)
        if binary is not None:
            self.stream.flush()  # the text layer's pending bytes go first
        frame.write_csv(
            binary if binary is not None else self.stream,
            separator=self.delimiter,
            include_header=header,
            null_value="nan",
            line_terminator="\n",
        )
        if binary is not None:
            binary.flush()


def flatten(doc: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """A nested document as (dotted key, scalar) pairs: ``parameters.1.name``, lists 1-based.

    For key/value CSV of a document (``info --format csv``): no Python reprs in any cell.
    """
    if isinstance(doc, Mapping):
        items: Iterable[tuple[Any, Any]] = doc.items()
    elif isinstance(doc, (list, tuple)):
        items = enumerate(doc, start=1)
    else:
        yield prefix, doc
        return
    if not doc:  # an empty list or mapping still has its row
        yield prefix, ""
        return
    for key, value in items:
        yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))


NUMPY_OUTPUTS = (".npy", ".npz")


def write_numpy(path: Path, columns: Sequence[str], blocks: Iterable[list[np.ndarray]]) -> int:
    """The columns as one (n, k) array in ``.npy``, or as named 1-D arrays in ``.npz`` (an
    elementwise activation's two columns as ``x`` and ``y``, what ``check`` reads back);
    written atomically. Returns the number of rows.

    float32 and float16 results keep their type (x is exact in it, see evaluation); bfloat16,
    which numpy cannot read back without ml_dtypes, is stored as float32, which holds it exactly.
    """
    import os
    import tempfile

    parts = [list(block) for block in blocks]
    data = [
        np.concatenate([p[i] for p in parts]) if parts else np.array([])
        for i in range(len(columns))
    ]
    narrow = {np.dtype(a.dtype).name for a in data} & {"float32", "float16", "bfloat16"}
    target = np.float64 if not narrow else np.float16 if narrow == {"float16"} else np.float32
    arrays = [
        a.astype(target) if a.dtype.kind == "f" or a.dtype.name == "bfloat16" else a for a in data
    ]
    names = ["x", "y"] if list(columns[:1]) == ["x"] and len(columns) == 2 else list(columns)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            if path.suffix.lower() == ".npz":
                named = dict(zip(names, arrays, strict=True))
                np.savez(stream, **named)  # type: ignore[arg-type]  # (numpy types the kwargs as its own)
            else:
                np.save(
                    stream,
                    np.column_stack(arrays) if arrays else np.empty((0, 0)),
                    allow_pickle=False,
                )
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return len(arrays[0]) if arrays else 0
