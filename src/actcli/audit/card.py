"""The audit's report card: one :class:`Cell` per activation × device × dtype × (f, f′), each
the summary of one :class:`~actcli.check.Report`, and the :class:`AuditCard` holding them, with
its table (display and CSV), its text (findings, notes, verdict) and its JSON document.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from actcli.audit.frameworks import TOLERANCES, Tolerance
from actcli.check import Report
from actcli.check.report import ULP_FLOOR, compact
from actcli.formats import Table

QUANTITIES = ("f", "f′")


@dataclass
class Cell:
    """One activation (``spec``, called as ``call``) on one device, in one dtype, its values
    (``order`` 0) or derivative (1): check's ``report``, the rows ``outside`` the framework's
    documented tolerance, or the ``error`` the framework raised instead."""

    spec: str
    call: str
    device: str
    dtype: str
    order: int
    report: Report | None = None
    outside: int = 0
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.report is not None and not self.report.passed

    @property
    def meets(self) -> bool | None:
        """Whether every row meets the framework's documented tolerance (None: no report)."""
        return None if self.report is None else self.outside == 0

    @property
    def label(self) -> str:
        return f"{self.spec} {self.dtype} {QUANTITIES[self.order]}"

    def findings(self) -> list[dict[str, Any]]:
        """check's findings worth a line: all but the specials that are right."""
        if self.report is None:
            return []
        return [f for f in self.report.findings if f["kind"] != "special" or not f["passed"]]

    def document(self, own: Tolerance) -> dict[str, Any]:
        r = self.report
        rtol, atol = own.rtol_atol[self.dtype]
        return {
            "activation": self.spec,
            "call": self.call,
            "device": self.device,
            "dtype": self.dtype,
            "derivative": self.order,
            "row_count": None if r is None else r.rows,
            "max_ulp": None if r is None else r.max_ulp,
            "p99_ulp": None if r is None else r.p99_ulp,
            "median_ulp": None if r is None else r.median_ulp,
            "failed_count": None if r is None else r.failed,
            "passed": None if r is None else r.passed,
            "own_tolerance": {
                "rtol": rtol,
                "atol": atol,
                "failed_count": None if r is None else self.outside,
                "meets": self.meets,
            },
            "findings": [] if r is None else r.findings,
            "error": self.error,
        }


@dataclass
class AuditCard:
    """What ``audit`` found: the framework (``version`` as it reports it), the tolerance in
    ULP, the float32 band (or every float32 value), the devices, and the cells."""

    framework: str
    title: str
    version: str
    tolerance: float
    band: tuple[float, float] | None = None
    all_float32: bool = False
    devices: list[str] = field(default_factory=lambda: ["cpu"])
    own: Tolerance = TOLERANCES["torch"]  # the framework's documented tolerance
    cells: list[Cell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left out, and why

    @property
    def passed(self) -> bool:
        """No row of any cell over the tolerance (cells the framework could not run aside)."""
        return not any(c.failed for c in self.cells)

    @property
    def heading(self) -> str:
        devices = ", ".join(self.devices)
        return (
            f"{self.title} {self.version} ({devices}) against actcli, dialect {self.framework}: "
            f"errors in ULP of each dtype, failing over {self.tolerance:g}"
        )

    @property
    def sent(self) -> str:
        """Which x were sent: every narrow value, and the float32 ones audited."""
        if self.all_float32:
            float32 = "every float32 value, ±inf and nan"
        elif self.band is not None:
            a, b = self.band
            float32 = f"every float32 in [{a:g}, {b:g}]"
        else:
            float32 = ""
        narrow = [d for d in ("bfloat16", "float16") if any(c.dtype == d for c in self.cells)]
        parts = [f"every {' and '.join(narrow)} value with ±inf and nan"] if narrow else []
        return "x: " + "; ".join([*parts, *([float32] if float32 else [])])

    def document(self) -> dict[str, Any]:
        """The whole card as a JSON document (numbers as floats, nan and inf too)."""
        return {
            "framework": self.framework,
            "title": self.title,
            "version": self.version,
            "dialect": self.framework,
            "devices": self.devices,
            "tolerance": self.tolerance,
            "own_tolerance": {
                "name": self.own.name,
                "rtol_atol": {d: list(t) for d, t in self.own.rtol_atol.items()},
            },
            "float32_band": None if self.band is None else list(self.band),
            "all_float32": self.all_float32,
            "passed": self.passed,
            "cells": [c.document(self.own) for c in self.cells],
            "notes": self.notes,
        }

    def _lead_columns(self) -> list[str]:
        """The columns naming a cell (its device only when there are several)."""
        return ["activation", *(["device"] if len(self.devices) > 1 else []), "dtype", "of"]

    def _lead(self, c: Cell) -> list[Any]:
        device = [c.device] if len(self.devices) > 1 else []
        return [c.spec, *device, c.dtype, QUANTITIES[c.order]]

    def table(self, precision: int | None = None) -> Table:
        """The card for reading: errors to ``precision`` significant digits (default 3)."""
        digits = precision or 3
        rows = []
        for c in self.cells:
            r = c.report
            if r is None:
                rows.append([*self._lead(c), "", "error", "", "", ""])
                continue
            meets = "yes" if c.meets else f"no ({c.outside:,})"
            rows.append(
                [
                    *self._lead(c),
                    f"{r.rows:,}",
                    compact(r.max_ulp, digits, ULP_FLOOR),
                    compact(r.p99_ulp, digits, ULP_FLOOR),
                    f"{r.failed:,}",
                    meets,
                ]
            )
        lead = self._lead_columns()
        numbers = ["rows", "max ULP", "p99", "failed", "own tol"]
        return Table([*lead, *numbers], rows, title=self.heading, inputs=len(lead))

    def data(self) -> Table:
        """The card's numbers for CSV: each cell's row with full-precision errors."""
        columns = [
            "activation",
            "device",
            "dtype",
            "derivative",
            "rows",
            "max_ulp",
            "p99_ulp",
            "failed",
            "own_tol_failed",
            "meets_own_tol",
            "error",
        ]
        rows = []
        for c in self.cells:
            r = c.report
            numbers: list[Any] = (
                [None] * 6
                if r is None
                else [r.rows, r.max_ulp, r.p99_ulp, r.failed, c.outside, c.meets]
            )
            rows.append([c.spec, c.device, c.dtype, c.order, *numbers, c.error])
        return Table(columns, rows, title=self.heading, inputs=4)

    def text(self, width: int = 79) -> str:
        """The inputs, the findings and errors (one paragraph each), the notes, the verdict."""
        lines = []
        for c in self.cells:
            where = f"{c.label}" + (f" ({c.device})" if len(self.devices) > 1 else "")
            lines += [f"{where}: {f['message']}" for f in c.findings()]
            if c.error is not None:
                lines.append(f"{where}: {c.error}")
        wrap = "".join(
            textwrap.fill(m, width, initial_indent="- ", subsequent_indent="  ") + "\n"
            for m in lines or ["none"]
        )
        notes = "".join(
            textwrap.fill(n, width, initial_indent="note: ", subsequent_indent="  ") + "\n"
            for n in self.notes
        )
        audited = {c.dtype for c in self.cells}
        tolerances = "; ".join(
            f"{d} {r:g}, {a:g}" for d, (r, a) in self.own.rtol_atol.items() if d in audited
        )
        own = f"own tol: {self.own.name}, rtol and atol: {tolerances}"
        return (
            textwrap.fill(self.sent, width)
            + "\n"
            + textwrap.fill(own, width)
            + "\n"
            + "findings:\n"
            + wrap
            + notes
            + self.verdict
            + "\n"
        )

    @property
    def verdict(self) -> str:
        ran = [c for c in self.cells if c.report is not None]
        failed = sum(c.failed for c in ran)
        broken = len(self.cells) - len(ran)
        tail = f"; {broken} could not run" if broken else ""
        if not failed:
            return f"passed: all {len(ran)} cells within {self.tolerance:g} ULP{tail}"
        return f"FAILED: {failed} of {len(ran)} cells have rows over {self.tolerance:g} ULP{tail}"
