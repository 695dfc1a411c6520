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
from actcli.dtypes import format_number as format_number  # (the spelling lives in dtypes)


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
    if _narrow(value):  # the double nearest the narrow type's shortest
        value = float(dtypes.spell(value)) if np.isfinite(value) else float(value)
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
    writer = BlockWriter(
        table.columns,
        fmt,
        stream,
        header=header,
        precision=precision,
        inputs=table.inputs,
        meta=table.meta,
    )
    writer.write_rows(table.rows)
    writer.finish()


# ---------------------------------------------------------------------------------- streaming

_POLARS_MIN_ROWS = 50_000  # below this, polars' import costs more than it saves
STREAMING = (OutputFormat.csv, OutputFormat.tsv, OutputFormat.jsonl)
_TEXT_PIECE = 1 << 16  # rows spelled as text at a time (polars' CSV and JSON)


def rows(block: list[np.ndarray]) -> Iterator[tuple[Any, ...]]:
    """The rows of a column block: Python numbers, or numpy scalars of a narrow float type
    (so that they print in their own type)."""
    columns = [c.tolist() if c.dtype in (np.float64, np.int64) else list(c) for c in block]
    return zip(*columns, strict=True)


class BlockWriter:
    """Writes column blocks as CSV, TSV, JSON Lines or one JSON document as they come
    (constant memory: a JSON document's rows are written one block at a time too).

    Large blocks are spelled by polars, whose float spelling :func:`format_number`
    reproduces exactly (narrow floats by :func:`dtypes.spell_column`); JSON numbers keep
    Python's spelling (``1e-07``), as :mod:`json` writes them in the small blocks and in every
    other JSON document. Small blocks go through :mod:`csv` and :mod:`json`.
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
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        if fmt not in (*STREAMING, OutputFormat.json):
            raise ValueError(f"{fmt.value} is not a streaming format")
        self.columns, self.fmt, self.stream = columns, fmt, stream
        self.precision = precision
        self.digits = _digits(len(columns), precision, inputs)
        self.delimiter = "\t" if fmt is OutputFormat.tsv else ","
        self.pending_header = header and fmt in (OutputFormat.csv, OutputFormat.tsv)
        self.document = fmt is OutputFormat.json
        self.opened = False  # a JSON document's head is written
        self.first = True  # no row object written yet
        self.meta = meta or {}

    def finish(self) -> None:
        """Close the output: a CSV header if no block came (empty input still names its
        columns), a JSON document's end."""
        if self.pending_header:
            csv.writer(self.stream, delimiter=self.delimiter, lineterminator="\n").writerow(
                self.columns
            )
            self.pending_header = False
        if self.document:
            self._open()
            self.stream.write("]}\n")

    def write(self, block: list[np.ndarray]) -> None:
        """One block of columns."""
        large = bool(block) and len(block[0]) >= _POLARS_MIN_ROWS and self.precision is None
        if not large:
            self.write_rows(rows(block))
        else:  # a piece at a time: the texts of a whole block would be several copies of it
            for start in range(0, len(block[0]), _TEXT_PIECE):
                piece = [c[start : start + _TEXT_PIECE] for c in block]
                if self.fmt in (OutputFormat.csv, OutputFormat.tsv):
                    self._polars_csv(piece)
                else:
                    self._polars_json(piece)

    def write_rows(self, table_rows: Iterable[Sequence[Any]]) -> None:
        """Rows of Python values (or numpy scalars)."""
        if self.fmt in (OutputFormat.jsonl, OutputFormat.json):
            objects = (
                json.dumps(_record(self.columns, row, self.digits), ensure_ascii=False)
                for row in table_rows
            )
            self._objects(objects)
            return
        writer = csv.writer(self.stream, delimiter=self.delimiter, lineterminator="\n")
        if self.pending_header:
            writer.writerow(self.columns)
            self.pending_header = False
        digits = self.digits
        writer.writerows(
            [format_cell(v, p) for v, p in zip(row, digits, strict=True)] for row in table_rows
        )

    def _open(self) -> None:
        """A JSON document's head: its metadata and columns, and the rows' opening bracket."""
        if not self.opened:
            head = {**_json_value(self.meta, None), "columns": self.columns, "rows": []}
            self.stream.write(json.dumps(head, ensure_ascii=False)[: -len("]}")])
            self.opened = True

    def _objects(self, objects: Iterable[str]) -> None:
        """Row objects, as JSON Lines or into the document (``, `` between them)."""
        if not self.document:
            self.stream.writelines(text + "\n" for text in objects)
            return
        self._open()
        for text in objects:
            self.stream.write(text if self.first else ", " + text)
            self.first = False

    def _polars_csv(self, block: list[np.ndarray]) -> None:
        import polars as pl

        # NaN as null, so that it is written as null_value "nan", not polars' "NaN"
        frame = pl.DataFrame(
            {f"c{i}": _polars_column(c) for i, c in enumerate(block)}, nan_to_null=True
        )
        frame.columns = self.columns
        header, self.pending_header = self.pending_header, False
        self._flushed(
            lambda out: frame.write_csv(
                out,
                separator=self.delimiter,
                include_header=header,
                null_value="nan",
                line_terminator="\n",
            )
        )

    def _polars_json(self, block: list[np.ndarray]) -> None:
        import polars as pl

        parts: list[Any] = []
        for i, (name, column) in enumerate(zip(self.columns, block, strict=True)):
            key = json.dumps(name, ensure_ascii=False)
            parts += [pl.lit(("{" if i == 0 else ", ") + key + ": "), pl.lit(_json_number(column))]
        parts.append(pl.lit("}"))
        objects = pl.select(pl.concat_str(parts).alias("o")).to_series()
        if not self.document:
            frame = objects.to_frame()
            self._flushed(
                lambda out: frame.write_csv(
                    out, include_header=False, quote_style="never", line_terminator="\n"
                )
            )
            return
        self._open()
        joined = objects.str.join(", ").item()
        self.stream.write(joined if self.first else ", " + joined)
        self.first = False

    def _flushed(self, write: Any) -> None:
        """Let polars write to the binary stream under the text one (after its pending
        bytes), or to the text stream when there is none."""
        binary = getattr(self.stream, "buffer", None)
        if binary is None:
            write(self.stream)
            return
        self.stream.flush()
        write(binary)
        binary.flush()


def _polars_column(column: np.ndarray) -> Any:
    """A column for polars to write: narrow floats as their spelling in their own type."""
    t = dtypes.of(column)
    if t is not None and t.narrow:
        import polars as pl

        return pl.Series(dtypes.spell_column(column), dtype=pl.String)
    return column


# polars spells values below 1e-4 (and nan, ±inf) otherwise than Python's repr, which json
# writes (1e-7 for 1e-07, 0.000025 for 2.5e-05): those few are respelled one by one.
_REPR_BELOW = 1e-4
_JSON_SPECIAL = {"nan": '"nan"', "inf": '"inf"', "-inf": '"-inf"'}


def _json_number(column: np.ndarray) -> Any:
    """The column's values spelled as :mod:`json` writes them, as a polars Series:
    Python's repr of each double (of the narrow type's shortest, for narrow floats), and
    ``"nan"``, ``"inf"``, ``"-inf"`` as JSON strings."""
    import polars as pl

    t = dtypes.of(column)
    if t is None:  # integers (a row index)
        return pl.Series(column).cast(pl.String)
    if t.narrow:
        spelled = dtypes.spell_column(column)
        text = pl.Series(spelled, dtype=pl.String)
    else:
        text = pl.Series(column).cast(pl.String)
    with np.errstate(invalid="ignore"):
        magnitude = np.abs(column.astype(np.float64))
        odd = np.flatnonzero(np.isinf(magnitude) | ~(magnitude >= _REPR_BELOW) & (magnitude != 0))
    if odd.size:
        spellings = (
            [spelled[i] for i in odd.tolist()]
            if t.narrow
            else [dtypes.format_number(v) for v in column[odd].tolist()]
        )
        fixed = [_JSON_SPECIAL.get(s) or repr(float(s)) for s in spellings]
        text = text.scatter(odd, pl.Series(fixed, dtype=pl.String))
    return text


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
    written atomically, a block at a time (memory stays flat in the rows). Returns the number
    of rows.

    float32 and float16 results keep their type (x is exact in it, see evaluation); bfloat16
    and the float8 formats, which numpy cannot read back without ml_dtypes, are stored as
    float32, which holds them exactly.
    """
    import os
    import tempfile

    names = ["x", "y"] if list(columns[:1]) == ["x"] and len(columns) == 2 else list(columns)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix
    )
    try:
        with os.fdopen(handle, "w+b") as stream:
            if path.suffix.lower() == ".npz":
                rows = _write_npz(stream, names, blocks, path.parent)
            else:
                rows = _write_npy(stream, len(columns), (_stored(b) for b in blocks))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return rows


def _stored(block: list[np.ndarray]) -> list[np.ndarray]:
    """A block's float columns in the type they are stored in (see write_numpy)."""
    narrow = {(t.name if t.narrow else "") for c in block if (t := dtypes.of(c)) is not None}
    narrow.discard("")
    target = np.float64 if not narrow else np.float16 if narrow == {"float16"} else np.float32
    return [c.astype(target) if dtypes.of(c) is not None else c for c in block]


_NPY_HEAD = 128  # bytes of a streamed .npy's header, room for any shape (numpy pads to 64)


def _npy_header(dtype: np.dtype[Any], shape: tuple[int, ...]) -> bytes:
    """A version 1.0 ``.npy`` header of exactly _NPY_HEAD bytes."""
    text = repr(
        {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False, "shape": shape}
    )
    body = text.encode("latin1").ljust(_NPY_HEAD - 10 - 1) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(body).to_bytes(2, "little") + body


def _write_npy(stream: IO[bytes], width: int, blocks: Iterable[list[np.ndarray]]) -> int:
    """Rows of ``width`` columns as one (n, width) array."""
    spool = _Spool(stream, width)
    for block in blocks:
        spool.add(np.column_stack(block) if block else np.empty((0, width)))
    spool.close()
    return spool.rows


def _write_npz(
    stream: IO[bytes], names: list[str], blocks: Iterable[list[np.ndarray]], folder: Path
) -> int:
    """Each column as a member ``NAME.npy`` of a zip (as ``np.savez`` writes them), each
    streamed to a temporary file first, so that no column is ever held whole."""
    import tempfile
    import zipfile

    rows = 0
    with tempfile.TemporaryDirectory(dir=folder, prefix=".actcli-npz-") as scratch:
        parts = [open(Path(scratch) / f"{i}.npy", "w+b") for i in range(len(names))]  # noqa: SIM115
        try:
            spools = [_Spool(part) for part in parts]
            for block in blocks:
                for spool, column in zip(spools, _stored(block), strict=True):
                    spool.add(column)
                rows += len(block[0]) if block else 0
            for spool in spools:
                spool.close()
        finally:
            for part in parts:
                part.close()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for i, name in enumerate(names):
                archive.write(Path(scratch) / f"{i}.npy", arcname=f"{name}.npy")
    return rows


class _Spool:
    """An array written to a ``.npy`` file as its blocks come: rows of ``width`` columns, or
    one column (``width`` None). The header is written first with no rows, and again with
    their count when it is closed."""

    def __init__(self, stream: IO[bytes], width: int | None = None) -> None:
        self.stream, self.width, self.rows = stream, width, 0
        self.dtype: np.dtype[Any] | None = None
        stream.write(b"\0" * _NPY_HEAD)

    def add(self, rows: np.ndarray) -> None:
        if self.dtype is None:
            self.dtype = rows.dtype
        self.stream.write(np.ascontiguousarray(rows, dtype=self.dtype).tobytes())
        self.rows += rows.shape[0]

    def close(self) -> None:
        self.stream.seek(0)
        dtype = self.dtype if self.dtype is not None else np.dtype(np.float64)
        shape = (self.rows,) if self.width is None else (self.rows, self.width)
        self.stream.write(_npy_header(dtype, shape))
