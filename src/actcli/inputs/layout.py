"""How a text stream is laid out, from its first data line, and binary files refused.

- A tab makes it TSV, a comma (or a leading quote) CSV, two or more fields apart by spaces or
  tabs whitespace-delimited (as ``np.savetxt`` and awk write it: runs of spaces and tabs,
  spaces at either end); otherwise it is one number per line (CSV with one column when
  ``column`` is given).
- That first data line, and only it, is a header when any of its fields is not a number (for
  one number per line: when it is not a number and does not begin like one, e.g. ``logit``).
  A numeric first line is data, never silently swallowed; so is a lone missing-value marker
  (``NA``, ``null``, ``?``...), read as nan. Without a header, a comment line just before it
  whose fields are as many as the data's and not all numbers names the columns
  (``np.savetxt(..., header="x y")`` writes ``# x y``).
- ``column`` picks one column by header name or 1-based index; every row must have as many
  fields as the first line, with ``column`` or without.
- A binary file (NUL bytes near its start, or the magic of .npy, .npz/zip, gzip, HDF5 or
  Parquet) is an error that says so, not a garbled "bad number".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from actcli.errors import DataError, UsageError
from actcli.inputs.numbers import MINUS, is_missing, is_number, unquoted

_SNIFF = 8192  # bytes looked at for NUL, the mark of a binary file
_MAGIC = (  # how binary files people give a text reader begin
    (b"\x93NUMPY", ".npy"),
    (b"PK\x03\x04", ".npz or zip"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89HDF\r\n\x1a\n", "HDF5"),
    (b"PAR1", "Parquet"),
)


@dataclass(frozen=True)
class Layout:
    """How a stream is laid out: one number per line, or delimited rows."""

    delimiter: str | None  # None: one number per line; " ": runs of spaces and tabs
    header: list[str] | None  # the columns' names, from the header or a comment before the data
    columns: list[int] | None  # 0-based indices of the columns read; None: every field
    width: int = 1  # fields in the first row


def _delimiter(first: str, column: str | None) -> str | None:
    if "\t" in first:
        return "\t"
    if "," in first:
        return ","
    if len(blank_fields(first)) >= 2:
        return " "
    return "," if column is not None else None


def blank_fields(line: str) -> list[str]:
    """The fields of a whitespace-delimited line: apart by runs of spaces and tabs only (a
    vertical tab or form feed is no separator: only ``\\n`` ends a line)."""
    return [f for f in line.rstrip("\r").replace("\t", " ").split(" ") if f]


def split_fields(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return [line.strip()]
    if delimiter == " ":
        return blank_fields(line)
    return next(csv.reader([line], delimiter=delimiter), [])


def _looks_like_a_name(field: str) -> bool:
    """Whether a lone first field is a column name: not a number and not begun like one
    ("logit", not "1.5.2" or "-x", which are bad numbers)."""
    text = unquoted(field)
    return bool(text) and not is_number(text) and text[0] not in "0123456789.+-" + MINUS


def detect(first: str, column: str | None, comment: str | None) -> tuple[Layout, str]:
    """The layout the first data line shows, and what that line is: "header", "data", or
    "missing" (a lone missing-value marker, ``NA``: data, read as nan).

    ``comment`` is the comment line just before it (without its ``#``): it names the
    columns when the first line is data and it has as many fields, not all numbers.
    """
    delimiter = _delimiter(first, column)
    fields = split_fields(first, delimiter)
    if delimiter is None:
        is_header = _looks_like_a_name(fields[0])
    else:
        is_header = not all(is_number(f) for f in fields)
    # one column headed NA, null, ?: a missing value, unless --column names it so
    missing = len(fields) == 1 and is_missing(fields[0]) and column != unquoted(fields[0])
    is_header = is_header and not missing
    names = [unquoted(f) for f in fields] if is_header else None
    if names is None and comment is not None:
        named = [unquoted(f) for f in split_fields(comment, delimiter)]
        if len(named) == len(fields) and all(named) and not all(is_number(n) for n in named):
            names = named
    width = len(fields)
    if column is None:
        picked = None
    elif column.isdigit():
        if not 1 <= int(column) <= width:
            raise UsageError(
                f"no column {column}: the input has {width} column(s)", option="column"
            )
        picked = [int(column) - 1]
    elif names is None or column not in names:
        known = ", ".join(names or []) or "none: the first row is numbers, not a header"
        raise UsageError(f"no column {column!r} (columns: {known})", option="column")
    else:
        picked = [names.index(column)]
    kind = "header" if is_header else "missing" if missing else "data"
    return Layout(delimiter, names, picked, width), kind


def refuse_binary(head: bytes, name: str) -> None:
    """A binary file fails here, with what it seems to be, rather than as a garbled number."""
    kind = next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)
    if kind is None and b"\x00" in head[:_SNIFF]:
        kind = "it holds NUL bytes"
    if kind is not None:
        raise DataError(f"this looks like a binary file ({kind}), not text: {name}")
