"""Running an audit: each activation × device × dtype × (f, f′) is one ``check`` of the
framework's outputs over the dtype's inputs, and one more pass for the framework's own
tolerance; the cells make the :class:`~actcli.audit.card.AuditCard`.

Inputs: every bfloat16 and float16 value with ±inf and nan; float32, every value in a band
(``span``), or all of them (``all_float32``, ±inf and nan too). They are made, sent to the
framework and checked a block at a time (:func:`actcli.inputs.every_value`'s blocks), and
check's later passes ask the framework again rather than keep its outputs: memory stays flat
in the band's size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from actcli.audit import frameworks
from actcli.audit.card import AuditCard, Cell
from actcli.errors import UsageError

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation

Progress = Callable[[str], None]


def audit(
    framework: str,
    names: Sequence[str] = (),
    *,
    dtypes: Sequence[str] | None = None,
    span: tuple[float, float] | None = None,
    all_float32: bool = False,
    derivative: bool = False,
    tol: float = 4.0,
    progress: Progress | None = None,
) -> AuditCard:
    """The report card of ``framework``'s kernels for ``names`` (default: every elementwise
    activation it has a function for), in ``dtypes`` (default bfloat16, float16, and float32
    when a band is given), values and, with ``derivative``, autodiff f′; errors in ULP of the
    dtype against actcli's reference in the framework's dialect, rows failing over ``tol``.
    ``progress`` hears each cell's name before it runs."""
    fw = frameworks.lookup(framework)
    kinds = _dtypes(dtypes, span, all_float32)
    if not (tol >= 0 and math.isfinite(tol)):
        raise UsageError(f"must be a finite number >= 0, got {tol}", option="tol")
    acts = _activations(fw, names)
    backend, version = frameworks.load(fw)
    card = AuditCard(
        framework=fw.name,
        title=fw.title,
        version=version,
        tolerance=tol,
        band=None if all_float32 or "float32" not in kinds else span,
        all_float32=all_float32 and "float32" in kinds,
        devices=backend.devices(),
        own=backend.tolerance,
    )
    if dtypes is None and "float32" not in kinds:
        card.notes.append("float32 not audited: give a band, --range A B, or --all-float32")
    orders = (0, 1) if derivative else (0,)
    for act, expression in acts:
        try:
            kernel = frameworks.kernel(expression, fw)
        except UsageError as exc:
            if names:  # asked for by name: an error; else the installed version lacks it
                raise
            card.notes.append(f"{act.spec}: skipped ({exc})")
            continue
        for device in card.devices:
            for dtype in kinds:
                for order in orders:
                    if progress is not None:
                        progress(f"{act.spec} {device} {dtype} {('f', 'f′')[order]}")
                    card.cells.append(
                        _cell(act, expression, kernel, backend, device, dtype, order, card)
                    )
    return card


def _dtypes(
    asked: Sequence[str] | None, span: tuple[float, float] | None, all_float32: bool
) -> list[str]:
    """The dtypes to audit, narrowest first; the float32 band checked."""
    if span is not None and all_float32:
        raise UsageError("give a float32 band or all float32 values, not both", option="range")
    if span is not None:
        a, b = span
        if not (math.isfinite(a) and math.isfinite(b) and a < b):
            raise UsageError(f"expected finite A < B, got {a:g} {b:g}", option="range")
        from actcli.inputs import every_count

        if not every_count("float32", span):
            raise UsageError(f"no float32 lies in [{a!r}, {b!r}]", option="range")
    if asked is None:
        banded = span is not None or all_float32
        return [d for d in frameworks.DTYPES if d != "float32" or banded]
    kinds = []
    for name in asked:
        if name not in frameworks.DTYPES:
            raise UsageError(
                f"audit computes in {', '.join(frameworks.DTYPES)}, not {name!r}", option="dtype"
            )
        if name not in kinds:
            kinds.append(name)
    if "float32" not in kinds and (span is not None or all_float32):
        raise UsageError(
            "the float32 band, and --dtype leaves float32 out (the narrow types are audited whole)",
            option="all_float32" if all_float32 else "range",
        )
    if "float32" in kinds and span is None and not all_float32:
        raise UsageError(
            "float32 takes a band of x: --range A B (every float32 in it) or --all-float32",
            option="dtype",
        )
    return sorted(kinds, key=frameworks.DTYPES.index)


def _activations(fw: frameworks.Framework, names: Sequence[str]) -> list[tuple[Activation, str]]:
    """Each activation bound in the framework's dialect, with the framework's call for it."""
    if not names:
        table = frameworks.table(fw)
        return [(frameworks.bind(name, fw), table[name]) for name in table]
    out = []
    for name in names:
        act = frameworks.bind(name, fw)
        if act.kind != "elementwise":
            raise UsageError(f"audit takes elementwise activations; {act.name} is a vector one")
        expression = frameworks.call(act, fw)
        if not expression:
            raise UsageError(
                f"{fw.title} has no function for {act.spec} in actcli's table "
                f"(`actcli info {act.name}` shows its frameworks)"
            )
        out.append((act, expression))
    return out


def _cell(
    act: Activation,
    expression: str,
    kernel: frameworks.Kernel,
    backend: frameworks.Backend,
    device: str,
    dtype: str,
    order: int,
    card: AuditCard,
) -> Cell:
    """One check of the framework's values (order 0) or derivative (1) in one dtype."""
    from actcli import check
    from actcli.check.deviations import deviations, passes
    from actcli.inputs import every_value

    span = card.band if dtype == "float32" else None
    special = dtype != "float32" or card.all_float32

    def pairs() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for x in every_value(dtype, span, special):
            try:
                y = backend.evaluate(kernel, x, dtype, device, order)
            except Exception as exc:  # the framework's own error: the cell says what it was
                raise frameworks.KernelError(f"{type(exc).__name__}: {exc}") from exc
            yield x, y

    cell = Cell(spec=act.spec, call=expression, device=device, dtype=dtype, order=order)
    try:
        report = check.check(act, pairs, dtype=dtype, order=order, tol=card.tolerance)
        # the framework's documented tolerance: the allclose test alone (tolerance 0 ULP)
        rtol, atol = card.own.rtol_atol[dtype]
        outside = 0
        for _, y, ref, _ in report.blocks():
            errors = deviations(y, ref, dtype)
            outside += int(np.count_nonzero(~passes(errors, ref, 0.0, atol, rtol)))
    except frameworks.KernelError as exc:
        cell.error = " ".join(str(exc).split())
        return cell
    cell.report, cell.outside = report, outside
    return cell
