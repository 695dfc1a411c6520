"""Large blocks of text (50,000 lines or more) parsed by polars, imported only then.

Anything unusual makes :func:`parse_large` answer None, and the block is then parsed line by
line (:mod:`actcli.inputs.text`), which skips blanks and names the bad line.
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np

from actcli.inputs.layout import Layout
from actcli.inputs.numbers import MINUS

_MINUS_UTF8 = MINUS.encode()
_COMMENT_LINE = re.compile(rb"^[ \t]*#[^\n]*\n", re.MULTILINE)
_BLANKS = re.compile(rb"[ \t]+")


def parse_large(data: bytes, count: int, layout: Layout, counting: bool) -> np.ndarray | None:
    """A large block of ``count`` whole lines through polars, made plain for it first (minus
    signs, comments, runs of blanks); None when it needs the line-by-line path (also, when
    ``counting`` numbers beyond float64's range, when it may hold some)."""
    if b"\xe2" in data and _MINUS_UTF8 in data:  # one byte is found 30x faster than three
        data = data.replace(_MINUS_UTF8, b"-")
    if b"#" in data:
        data, comments = _COMMENT_LINE.subn(b"", data)
        count -= comments
        if not count:
            return None
    if layout.delimiter == " ":
        data = _squeezed(data)
    fast = _polars_block(data, count, layout)
    if fast is not None and counting and _may_be_out_of_range(fast, data):
        return None  # the line-by-line path counts them exactly
    return fast


def _squeezed(data: bytes) -> bytes:
    """Whitespace-delimited rows with one space between fields and none at either end, which
    polars reads with the separator " " (np.savetxt's output is so already)."""
    if not (
        b"\t" in data
        or b"  " in data
        or b"\n " in data
        or b" \n" in data
        or b" \r" in data
        or data.startswith(b" ")
    ):
        return data
    data = _BLANKS.sub(b" ", data)
    return (
        data.replace(b"\n ", b"\n").replace(b" \n", b"\n").replace(b" \r", b"\r").removeprefix(b" ")
    )


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
    Whitespace-delimited rows come squeezed to single spaces (see _squeezed).
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
            quote_char='"' if layout.delimiter or b'"' in data else None,
        )
    except Exception:  # any failure means: find the bad line the slow way
        return None
    # a null anywhere: a short (ragged) row or an empty field, for the line-by-line path to judge
    if len(frame) != lines or any(frame.null_count().row(0)):
        return None
    values = frame.select(picked).to_numpy().astype(np.float64, copy=False)
    return values[:, 0] if layout.delimiter is None else values
