"""Machine-readable output: CSV, TSV, JSON and JSON Lines (no rich here, ever).

A :class:`Table` is what every command produces; :func:`write` serialises it. Which format
``auto`` means is decided by :func:`resolve_format`, a pure function of the request and whether
stdout is a terminal, so it can be tested as a truth table.
"""

from __future__ import annotations

import csv
import enum
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np


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


def format_number(value: float, precision: int | None = None) -> str:
    """The shortest string that reads back as the same double, or ``precision`` digits.

    The spelling is polars' (which writes large outputs): Python's repr, except that
    exponents are not zero-padded (1e-7, not 1e-07) and 1e-5 … 9.99e-5 are positional
    (0.000025). nan and ±inf are spelled plainly.
    """
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if precision is not None:
        return f"{value:.{precision}g}"
    text = repr(float(value))
    mantissa, sep, exponent = text.partition("e-")
    if not sep:
        return text
    if exponent == "05":
        sign = "-" if mantissa.startswith("-") else ""
        return f"{sign}0.0000{mantissa.lstrip('-').replace('.', '')}"
    return f"{mantissa}e-{int(exponent)}"


def format_cell(value: Any, precision: int | None = None) -> str:
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
    if fmt in (OutputFormat.csv, OutputFormat.tsv):
        writer = csv.writer(
            stream, delimiter="," if fmt is OutputFormat.csv else "\t", lineterminator="\n"
        )
        if header:
            writer.writerow(table.columns)
        writer.writerows([format_cell(v, precision) for v in row] for row in table.rows)
    elif fmt is OutputFormat.json:
        doc = {
            **_json_value(table.meta, None),
            "columns": table.columns,
            "rows": [_json_value(row, precision) for row in table.rows],
        }
        stream.write(json.dumps(doc, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.jsonl:
        for row in table.rows:
            record = dict(zip(table.columns, _json_value(row, precision), strict=True))
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"{fmt.value} is not a machine format")


# ---------------------------------------------------------------------------------- streaming

_POLARS_MIN_ROWS = 50_000  # below this, polars' import costs more than it saves


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
    ) -> None:
        if fmt not in (OutputFormat.csv, OutputFormat.tsv, OutputFormat.jsonl):
            raise ValueError(f"{fmt.value} is not a streaming format")
        self.columns, self.fmt, self.stream = columns, fmt, stream
        self.precision = precision
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
        n = len(block[0]) if block else 0
        if self.fmt is OutputFormat.jsonl:
            for row in zip(*(c.tolist() for c in block), strict=True):
                values = (_json_value(v, self.precision) for v in row)
                record = dict(zip(self.columns, values, strict=True))
                self.stream.write(json.dumps(record) + "\n")
            return
        if n >= _POLARS_MIN_ROWS and self.precision is None:
            self._polars(block)
            return
        writer = csv.writer(self.stream, delimiter=self.delimiter, lineterminator="\n")
        if self.pending_header:
            writer.writerow(self.columns)
            self.pending_header = False
        cells = [[format_cell(v, self.precision) for v in c.tolist()] for c in block]
        writer.writerows(zip(*cells, strict=True))

    def _polars(self, block: list[np.ndarray]) -> None:
        import polars as pl

        frame = pl.DataFrame({f"c{i}": c for i, c in enumerate(block)}).fill_nan(None)
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
