"""What check reports, and how: the :class:`Report`, its tables (errors by band, the worst
inputs), its text (findings and verdict), its JSON document and every row again.

The command prints ``report.tables()`` then ``report.text()``; ``--format json`` is
``report.document()``; csv, tsv and jsonl stream ``report.blocks()`` into
``report.row_table()``'s columns.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli import dtypes
from actcli.formats import Table

if TYPE_CHECKING:
    from actcli.check.budget import Judgement
    from actcli.check.specials import SpecialValues

# ULP errors under this are shown as such: their digits tell a reader nothing
ULP_FLOOR = 0.001

Blocks = Callable[[], Iterator[list[np.ndarray]]]  # each call reads the rows anew


@dataclass
class Report:
    """How far the values given are from the reference: over all rows, by band of x
    (``bands``), the five worst rows (``worst``) and the ``findings`` (see
    :mod:`actcli.check.findings`). Errors are in ULP of ``dtype``; a row fails when it is over
    ``tolerance`` ULP and, with ``atol``/``rtol``, not allclose."""

    dtype: str
    tolerance: float
    rows: int
    max_ulp: float
    median_ulp: float
    max_rel: float
    p99_ulp: float = 0.0
    max_abs: float = 0.0
    atol: float | None = None
    rtol: float | None = None
    failed: int = 0  # rows over the tolerance
    bands: list[dict[str, Any]] = field(default_factory=list)
    worst: list[dict[str, float]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    narrower_dtype: str | None = None  # a narrower type all values belong to, and pass in
    activation: str = ""  # the activation's name, its spec (with parameters), its dialect
    spec: str = ""
    dialect: str = ""
    daz: bool = False  # the reference models hardware reading subnormal inputs as ±0 ...
    ftz: bool = False  # ... and writing subnormal results as ±0 (see check/flush.py)
    order: int = 0  # 0: the values; 1, 2: the derivative checked
    special_values: SpecialValues | None = None  # the sign of zero, ±inf, nan: a verdict
    budget: Judgement | None = None  # the run against its entry of a budget file
    reread: Blocks | None = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        """No row over the tolerance, the special values right, and within the budget if
        there is one."""
        return (
            self.failed == 0
            and (self.special_values is None or self.special_values.passed)
            and (self.budget is None or self.budget.passed)
        )

    def blocks(self) -> Iterator[list[np.ndarray]]:
        """Every row again, in blocks of the columns x, y (both as ``dtype`` numbers),
        reference and ULP error (read anew from the input)."""
        if self.reread is None:
            raise ValueError("this report cannot read its rows again")
        return self.reread()

    @property
    def title(self) -> str:
        """One line: the activation (′ for a derivative), its dialect and the errors."""
        quantity = ("", "′", "″")[self.order]
        modes = "+".join(m for m, on in (("DAZ", self.daz), ("FTZ", self.ftz)) if on)
        return (
            f"{self.spec}{quantity} · dialect {self.dialect}: max {self.max_ulp:.3g} ULP "
            f"({self.dtype}{' ' + modes if modes else ''}), median {self.median_ulp:.3g}, "
            f"max rel {self.max_rel:.3g}"
        )

    def document(self) -> dict[str, object]:
        """The whole report as a JSON document (numbers as floats, nan and inf too)."""
        return {
            "activation": self.activation,
            "spec": self.spec,
            "dialect": self.dialect,
            "derivative": self.order,
            "dtype": self.dtype,
            "daz": self.daz,
            "ftz": self.ftz,
            "tolerance": self.tolerance,
            "atol": self.atol,
            "rtol": self.rtol,
            "passed": self.passed,
            "row_count": self.rows,
            "failed_count": self.failed,
            "max_ulp": self.max_ulp,
            "median_ulp": self.median_ulp,
            "p99_ulp": self.p99_ulp,
            "max_rel": self.max_rel,
            "max_abs": self.max_abs,
            "bands": self.bands,
            "worst": self.worst,
            "findings": self.findings,
            "narrower_dtype": self.narrower_dtype,
            "special_values": None
            if self.special_values is None
            else self.special_values.document(),
            "budget": None if self.budget is None else self.budget.document(),
        }

    def tables(self, precision: int | None = None) -> list[Table]:
        """The errors by band (titled :attr:`title`) and, when some row is off, the worst
        inputs; ``precision``: significant digits of the errors (default 3)."""
        digits = precision or 3

        def short(value: float, least: float | None = None) -> str:
            return compact(value, digits, least)

        found = [
            Table(
                ["band of x", "rows", "max ULP", "median", "p99", "max rel", "max abs"],
                [
                    [
                        band_label(b["lo"], b["hi"]),
                        f"{b['count']:,}",
                        short(b["max_ulp"], ULP_FLOOR),
                        short(b["median_ulp"], ULP_FLOOR),
                        short(b["p99_ulp"], ULP_FLOOR),
                        short(b["max_rel"]),
                        short(b["max_abs"]),
                    ]
                    for b in self.bands
                ],
                title=self.title,
            )
        ]
        values = self.special_values
        if values is not None and not values.passed:  # (right, they are a line of the text)
            found.append(
                Table(
                    ["class", "rows", "wrong", "first wrong"],
                    values.table_rows(),
                    title="special values",
                )
            )
        if self.worst:
            # x and the value given are values of the type: its shortest spelling; the
            # reference is not, and gets the digits that tell the type's values apart
            wide = precision or dtypes.lookup(self.dtype).digits
            worst = [
                [
                    dtypes.spell(w["x"], self.dtype),
                    dtypes.spell(w["given"], self.dtype, precision),
                    dtypes.format_number(w["reference"], wide),
                    short(w["ulp"]),
                ]
                for w in self.worst
            ]
            found.append(
                Table(["x", "given", "reference", "ULP"], worst, title="worst inputs", inputs=1)
            )
        return found

    def text(self, width: int = 79) -> str:
        """The findings, one paragraph each (``width`` characters), and the verdict."""
        lines = [f["message"] for f in self.findings] or ["none"]
        return (
            "findings:\n"
            + "".join(
                textwrap.fill(m, width, initial_indent="- ", subsequent_indent="  ") + "\n"
                for m in lines
            )
            + "".join(
                textwrap.fill(
                    v,
                    width,
                    subsequent_indent="  ",
                    break_long_words=False,  # (a file's path stays whole)
                    break_on_hyphens=False,
                )
                + "\n"
                for v in self._lines()
            )
            + self.verdict
            + "\n"
        )

    def _lines(self) -> list[str]:
        """The special values' and the budget's verdicts, when they have one (the rows'
        verdict comes last)."""
        lines = [] if self.special_values is None else [self.special_values.line]
        lines += [] if self.budget is None else [self.budget.line]
        return [line for line in lines if line]

    @property
    def verdict(self) -> str:
        """The rows' verdict (a budget's and the special values' are lines of their own)."""
        allclose = "" if self.atol is None and self.rtol is None else " or allclose"
        if self.failed == 0:
            return f"passed: all {self.rows:,} rows within {self.tolerance:g} ULP{allclose}"
        return (
            f"FAILED: {self.failed:,} of {self.rows:,} rows over {self.tolerance:g} "
            f"ULP{' and not allclose' if allclose else ''}"
        )

    def row_table(self) -> Table:
        """The columns of :meth:`blocks` (rows empty: they stream)."""
        return Table(["x", "y", "reference", "ulp"], [], title=self.title, inputs=2)


def compact(value: float, digits: int, least: float | None = None) -> str:
    """``value`` to ``digits`` significant digits in few characters: 1.68e7, 4.86e-4, 0.5;
    under ``least`` (not 0), ``<least``."""
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return dtypes.format_number(value)
    if least is not None and abs(value) < least:
        return f"<{least:g}"
    text = f"{value:.{digits - 1}e}" if abs(value) < 1e-3 else f"{value:.{digits}g}"
    mantissa, sep, exponent = text.partition("e")
    if "." in mantissa and "e" in text:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + (f"e{int(exponent)}" if sep else "")


def band_label(lo: float, hi: float) -> str:
    """A band's ends (half-open away from 0, see :mod:`actcli.check.bands`); one number for
    the band of ±0."""
    if lo == hi:  # the band of ±0, or one x alone at an end
        return "±0" if lo == 0 else compact(lo, 3)

    def end(value: float) -> str:  # 2 digits in exponent form: edges of binades there
        text = compact(value, 3)
        return compact(value, 2) if "e" in text else text

    label = f"{end(lo)} … {end(hi)}"
    return label if len(label) <= 15 else label.replace(" … ", "…")
