"""Numbers as people write them: one token to a float, with the line it came from in errors.

``nan``, ``inf``, ``-inf``, ``infinity`` in any case, the minus sign U+2212 (which actcli
prints) and double quotes around a field are accepted; ``1_000`` is not. A number written
beyond float64's range (``1e400``, ``1e-400``) is counted (:func:`out_of_range`), because
float() changes it without a word. A missing-value marker (``NA``, ``N/A``, ``null``,
``None``, ``?``, ``NaN(123)``) is recognised (:func:`is_missing`) so that a first row of one
is read as nan rather than taken for a column's name.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from actcli.errors import DataError

MINUS = "\u2212"  # the minus sign, which actcli prints
_MISSING = re.compile(r"(?:n/?a|null|none|\?|nan\(\w*\))", re.IGNORECASE)


def parse_number(text: str, where: str) -> float:
    """One number; ``where`` says where it came from for the error message."""
    token = text.strip()
    if token and "_" not in token:  # float() would accept 1_000; a data file should not
        try:
            return float(token)
        except ValueError:
            pass
        respelled = _respelled(token)  # only on the slow road: float() took most numbers
        if respelled is not None:
            try:
                return float(respelled)
            except ValueError:
                pass
    shown = token if len(token) <= 40 else token[:37] + "..."
    raise DataError(f"bad number {shown!r} at {where}")


def _respelled(token: str) -> str | None:
    """A number as people (and actcli) also write it, in float()'s spelling: the minus sign
    U+2212 as ``-``, and without the double quotes of a quoted field. None: nothing to do."""
    new = unquoted(token.replace(MINUS, "-"))
    return None if new == token else new


def unquoted(field: str) -> str:
    """A field without the double quotes around it (whitespace input has no CSV quoting)."""
    field = field.strip()
    if len(field) >= 2 and field[0] == field[-1] == '"':
        return field[1:-1].strip()
    return field


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


def counted(token: str, value: float, lost: Counter[str] | None) -> float:
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
        [counted(v, parse_number(v, f"argument {i}"), lost) for i, v in enumerate(values, 1)],
        dtype=np.float64,
    )


def is_missing(field: str) -> bool:
    """Whether a field is a missing-value marker (``NA``, ``N/A``, ``null``, ``None``, ``?``,
    ``NaN(123)``, in any case, quoted or not): what R, SQL and C's printf write for nan."""
    return _MISSING.fullmatch(unquoted(field)) is not None
