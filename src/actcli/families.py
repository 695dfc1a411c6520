"""Parameter families: ``--sweep KEY=V1,V2,...`` or ``--sweep KEY=A:B:N``.

A sweep binds one activation once per value of one parameter. The values are kept as the
text the parameter will read (``0.5``, ``tanh``), so that a family of a string parameter
(``approximate=none,tanh``) works like one of a number, and every member's label and column
name show the value exactly as it was bound.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from actcli.errors import UsageError

MAX_MEMBERS = 64  # beyond this a legend or a header is unreadable; say so instead


@dataclass(frozen=True)
class Sweep:
    """One parameter and the values it takes, in order."""

    key: str
    values: tuple[str, ...]


def parse(text: str) -> Sweep:
    """``KEY=V1,V2,...`` (a list) or ``KEY=A:B:N`` (N evenly spaced numbers from A to B,
    those between rounded to a hundredth of the step)."""
    key, eq, rest = text.partition("=")
    key, rest = key.strip(), rest.strip()
    if not eq or not key or not re.fullmatch(r"[A-Za-z_]\w*", key):
        raise UsageError(f"{text!r}: expected KEY=V1,V2,... or KEY=A:B:N", option="sweep")
    if ":" in rest:
        values = _span(text, rest)
    else:
        values = tuple(v.strip() for v in rest.split(","))
        if any(not v for v in values):
            raise UsageError(f"{text!r}: an empty value in the list", option="sweep")
    if len(values) < 2:
        raise UsageError(f"{text!r}: a family needs at least 2 values", option="sweep")
    if len(values) > MAX_MEMBERS:
        raise UsageError(
            f"{text!r}: {len(values)} values; at most {MAX_MEMBERS} curves can be told apart",
            option="sweep",
        )
    if len(set(values)) < len(values):
        raise UsageError(f"{text!r}: a value is given twice", option="sweep")
    return Sweep(key, values)


def _span(text: str, rest: str) -> tuple[str, ...]:
    parts = [p.strip() for p in rest.split(":")]
    try:
        if len(parts) != 3:
            raise ValueError
        a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise UsageError(
            f"{text!r}: expected KEY=A:B:N (numbers A and B, a whole number N)", option="sweep"
        ) from None
    if not (np.isfinite(a) and np.isfinite(b)):
        raise UsageError(f"{text!r}: A and B must be finite", option="sweep")
    if n < 2:
        raise UsageError(f"{text!r}: N must be at least 2, got {n}", option="sweep")
    if n > MAX_MEMBERS:
        raise UsageError(f"{text!r}: N is at most {MAX_MEMBERS}, got {n}", option="sweep")
    if a == b:
        raise UsageError(f"{text!r}: A and B are the same value", option="sweep")
    # the ends exactly as written; the points between rounded to a hundredth of the step
    # (0.1:3:12 binds 0.364, not 0.36363636363636365): the value bound is the value shown
    digits = max(0, math.ceil(-math.log10(abs(b - a) / (n - 1))) + 2)
    inner = [number(round(float(v), digits)) for v in np.linspace(a, b, n)[1:-1]]
    return (number(a), *inner, number(b))


def number(value: float) -> str:
    """The shortest text that reads back as ``value``, without a trailing ``.0``."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text
