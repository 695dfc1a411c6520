"""The special values' verdict: the sign of zero, ±inf and nan, judged apart from the ULP
statistics (which are over the rows where the value given and the reference are finite).

Three classes, each judged on its own rows:

- ``zero``: the value given and the reference (rounded to the dtype) are both zero; right
  when their signs agree ("sign of zero differs at x = -0: kernel +0, exact -0"). A zero
  where the reference is not is an error in ULP, not a sign (the formats without −0 have no
  sign to get wrong);
- ``inf``: either is ±inf; right when the value given is what the reference rounds to in the
  dtype (beyond the type's range, that is ±inf);
- ``nan``: either is nan; right when both are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from actcli import dtypes
from actcli.check.findings import example

CLASSES = {"zero": "sign of zero", "inf": "±inf", "nan": "nan"}


@dataclass
class _Class:
    rows: int = 0
    wrong: int = 0
    first: dict[str, float] = field(default_factory=dict)  # the first wrong row

    def add(
        self, rows: int, wrong: np.ndarray, x: np.ndarray, y: np.ndarray, r: np.ndarray
    ) -> None:
        self.rows += rows
        self.wrong += wrong.size
        if wrong.size and not self.first:
            self.first = example(x, y, r, int(wrong[0]))

    def merge(self, later: _Class) -> None:
        self.rows += later.rows
        self.wrong += later.wrong
        self.first = self.first or later.first


@dataclass
class SpecialValues:
    """The three classes' rows, gathered block by block (the report keeps it)."""

    dtype: str
    classes: dict[str, _Class] = field(default_factory=lambda: {n: _Class() for n in CLASSES})

    @property
    def signed(self) -> bool:
        return dtypes.lookup(self.dtype).negative_zero

    def add(self, x: np.ndarray, y: np.ndarray, ref: np.ndarray, odd: np.ndarray) -> None:
        """A block; ``odd``: its rows where the value given or the reference is not finite."""
        zero = np.flatnonzero(y == 0)
        if zero.size:
            small = ref[zero]
            near = np.abs(small) < dtypes.lookup(self.dtype).smallest_subnormal
            zero = zero[near]  # (rounding decides only where the reference is that small)
            zero = zero[dtypes.rounded(ref[zero], self.dtype) == 0] if zero.size else zero
            wrong = zero[np.signbit(y[zero]) != np.signbit(ref[zero])] if self.signed else zero[:0]
            self.classes["zero"].add(zero.size, wrong, x, y, ref)
        if not odd.size:
            return
        ys, rs = y[odd], ref[odd]
        nan = np.isnan(ys) | np.isnan(rs)
        both = np.isnan(ys) & np.isnan(rs)
        self.classes["nan"].add(int(nan.sum()), odd[nan & ~both], x, y, ref)
        inf = ~nan
        with np.errstate(over="ignore"):
            right = ys[inf] == dtypes.rounded(rs[inf], self.dtype)
        self.classes["inf"].add(int(inf.sum()), odd[inf][~right], x, y, ref)

    def merge(self, later: SpecialValues) -> None:
        """Take in the rows that follow these."""
        for name, c in self.classes.items():
            c.merge(later.classes[name])

    @property
    def rows(self) -> int:
        return sum(c.rows for c in self.classes.values())

    @property
    def passed(self) -> bool:
        return not any(c.wrong for c in self.classes.values())

    def _message(self, name: str, count: bool = True) -> str:
        c, d = self.classes[name], self.dtype
        e = c.first
        if not e:
            return ""
        what = "sign of zero differs" if name == "zero" else f"{CLASSES[name]} wrong"
        rows = f" ({c.wrong:,} rows)" if count and c.wrong > 1 else ""
        return (
            f"{what} at x = {dtypes.spell(e['x'], d)}: kernel {_signed(e['given'])}, exact "
            f"{_signed(dtypes.rounded(np.array([e['reference']]), d)[0])}{rows}"
        )

    def document(self) -> dict[str, Any]:
        """The verdict and each class: its rows, the wrong ones and the first of them."""
        return {
            "passed": self.passed,
            "classes": [
                {
                    "class": name,
                    "rows": c.rows,
                    "wrong": c.wrong,
                    "example": c.first or None,
                    "message": self._message(name),
                }
                for name, c in self.classes.items()
            ],
        }

    @property
    def line(self) -> str:
        """The verdict in one line (empty when no row is of a special class)."""
        if not self.rows:
            return ""
        if self.passed:
            counts = ", ".join(
                f"{CLASSES[n]} {c.rows:,}" for n, c in self.classes.items() if c.rows
            )
            return f"special values right (rows: {counts})"
        wrong = "; ".join(self._message(n) for n, c in self.classes.items() if c.wrong)
        return f"special values WRONG: {wrong}"

    def table_rows(self) -> list[list[str]]:
        """class, rows, wrong, the first wrong row: one per class that has rows."""
        return [
            [
                CLASSES[n],
                f"{c.rows:,}",
                f"{c.wrong:,}",
                self._message(n, False).partition(" at ")[2],
            ]
            for n, c in self.classes.items()
            if c.rows
        ]


def _signed(value: float) -> str:
    """A value to 3 digits, the sign of zero and inf always shown: +0, -0, +inf, 1.5."""
    text = dtypes.format_number(float(value), 3)
    return "+" + text if (value == 0 and not np.signbit(value)) or value == np.inf else text
