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
    """Shortest round-trip repr, or ``precision`` significant digits; nan/inf spelled plainly."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if precision is None:
        return repr(float(value))
    return f"{value:.{precision}g}"


def format_cell(value: Any, precision: int | None = None) -> str:
    if isinstance(value, float):
        return format_number(value, precision)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(format_cell(v, precision) for v in value)
    return str(value)


def _json_value(value: Any, precision: int | None) -> Any:
    """JSON has no NaN or infinity: they are written as the strings "nan", "inf", "-inf"."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return format_number(value)
        return float(format_number(value, precision)) if precision is not None else value
    if isinstance(value, (list, tuple)):
        return [_json_value(v, precision) for v in value]
    if isinstance(value, Mapping):
        return {k: _json_value(v, precision) for k, v in value.items()}
    return value


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
