"""What ``check`` computes: how far someone else's values are from actcli's reference, in ULP.

The reference is actcli's float64 value (or derivative), itself within a few float64 ULP of
the exact one; errors are counted in ULP of the dtype being checked (the spacing of that
type's numbers at the reference value), by region of x.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from actcli.catalog.registry import Activation
from actcli.errors import DataError

# significand bits and smallest normal exponent of each dtype
FORMATS = {
    "float64": (53, -1022),
    "float32": (24, -126),
    "float16": (11, -14),
    "bfloat16": (8, -126),
}


def ulp(reference: np.ndarray, dtype: str) -> np.ndarray:
    """The spacing of ``dtype`` numbers at |reference| (the subnormal spacing below normal)."""
    bits, emin = FORMATS[dtype]
    _, exponent = np.frexp(np.abs(reference))
    # frexp's mantissa is in [0.5, 1); at 0 (and in the subnormal range) the spacing is the
    # smallest subnormal's
    exponent = np.where(reference == 0, emin, np.maximum(exponent - 1, emin))
    spacing: np.ndarray = np.ldexp(1.0, exponent - (bits - 1))
    return spacing


def ulp_errors(got: np.ndarray, reference: np.ndarray, dtype: str) -> np.ndarray:
    """|got − reference| in ULP; 0 where both are the same non-finite value, inf where one is."""
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(got - reference) / ulp(np.where(np.isfinite(reference), reference, 1.0), dtype)
    same = (got == reference) | (np.isnan(got) & np.isnan(reference))
    broken = ~same & ~(np.isfinite(got) & np.isfinite(reference))
    return np.where(same, 0.0, np.where(broken, np.inf, err))


def as_dtype(values: np.ndarray, dtype: str) -> np.ndarray:
    """``values`` rounded to ``dtype`` (to nearest, ±inf beyond its range), as float64."""
    from actcli.evaluation import numpy_dtype

    with np.errstate(over="ignore"):
        rounded: np.ndarray = values.astype(numpy_dtype(dtype)).astype(np.float64)
    return rounded


def narrower_dtype(values: np.ndarray, dtype: str) -> str | None:
    """The narrowest dtype, narrower than ``dtype``, that holds every given value exactly.

    float64 values that all are float32 numbers were very likely computed in float32: their
    errors belong in float32 ULP. None when no narrower type holds them all.
    """

    finite = values[np.isfinite(values)]
    if not finite.size:
        return None
    narrower = [d for d in ("float16", "bfloat16", "float32") if FORMATS[d][0] < FORMATS[dtype][0]]
    for name in narrower:
        if np.array_equal(as_dtype(finite, name), finite):  # (too large: not one of its numbers)
            return name
    return None


@dataclass
class Report:
    dtype: str
    tolerance: float
    rows: int
    max_ulp: float
    median_ulp: float
    max_rel: float
    regions: list[dict[str, Any]] = field(default_factory=list)
    worst: list[dict[str, float]] = field(default_factory=list)
    narrower_dtype: str | None = None  # a narrower type all values belong to, and pass in

    @property
    def passed(self) -> bool:
        return self.max_ulp <= self.tolerance


def check(
    act: Activation, x: np.ndarray, y: np.ndarray, order: int, dtype: str, tolerance: float
) -> tuple[Report, np.ndarray, np.ndarray]:
    """The report, the reference values and the ULP error of every row."""
    if x.size == 0:
        raise DataError("no rows to check")
    if dtype != "float64":  # what a kernel of that type receives and returns
        x, y = as_dtype(x, dtype), as_dtype(y, dtype)
    reference = np.asarray(act(x) if order == 0 else act.derivative(x, order), dtype=np.float64)
    errors = ulp_errors(y, reference, dtype)
    if dtype != "float64":  # beyond the type's range the correctly rounded answer is ±inf
        errors = np.where(np.isinf(y) & (as_dtype(reference, dtype) == y), 0.0, errors)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.abs(y - reference) / np.abs(reference)
    rel = np.where(errors == 0, 0.0, np.where(np.isfinite(rel), rel, np.inf))
    report = Report(
        dtype=dtype,
        tolerance=tolerance,
        rows=int(x.size),
        max_ulp=float(errors.max()),
        median_ulp=float(np.median(errors)),
        max_rel=float(rel.max()),
    )
    narrower = None if report.passed else narrower_dtype(y, dtype)
    if narrower and ulp_errors(y, reference, narrower).max() <= tolerance:
        report.narrower_dtype = narrower  # the values pass as what they are
    regions = {
        "negative tail (x < −5)": x < -5.0,
        "around 0 (−5 ≤ x ≤ 5)": (x >= -5.0) & (x <= 5.0),
        "positive tail (x > 5)": x > 5.0,
    }
    for label, inside in regions.items():
        e = errors[inside]
        report.regions.append(
            {
                "region": label,
                "rows": int(e.size),
                "max_ulp": float(e.max()) if e.size else math.nan,
                "median_ulp": float(np.median(e)) if e.size else math.nan,
            }
        )
    for i in np.argsort(-errors, kind="stable")[:5]:
        if errors[i] > 0:
            report.worst.append(
                {
                    "x": float(x[i]),
                    "given": float(y[i]),
                    "reference": float(reference[i]),
                    "ulp": float(errors[i]),
                }
            )
    return report, reference, errors
