"""How far given values are from their reference: in ULP of a dtype, absolutely and
relatively, and whether a row passes (within a tolerance in ULP, or numpy's ``allclose``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from actcli import dtypes


def ulp_errors(got: np.ndarray, reference: np.ndarray, dtype: str) -> np.ndarray:
    """|got − reference| in ULP; 0 where both are the same non-finite value, inf where one is."""
    return deviations(got, reference, dtype, saturating=False)[0]


def received(values: np.ndarray, kind: np.dtype[Any], dtype: str) -> np.ndarray:
    """What a kernel of ``dtype`` receives and returns: ``values`` rounded to it, as float64."""
    if values.dtype == kind or dtype == "float64":
        return np.asarray(values, dtype=np.float64)
    return dtypes.rounded(np.asarray(values, dtype=np.float64), dtype)


Deviations = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def deviations(
    y: np.ndarray, reference: np.ndarray, dtype: str, *, saturating: bool = True
) -> Deviations:
    """The errors in ULP, absolute and relative (0 where y is right), and the rows where y or
    the reference is not finite: 0 where both are the same value, else inf. ``saturating``:
    ±inf is right where the reference rounds to it in ``dtype`` (beyond the type's range)."""
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        diff = np.abs(y - reference)
        errors = diff / dtypes.ulp(reference, dtype)
        rel = np.divide(diff, np.abs(reference), out=np.zeros_like(diff), where=diff != 0)
    # where y and the reference are finite, their difference is too (or overflows to inf)
    odd = np.flatnonzero(~np.isfinite(diff))
    odd = odd[~(np.isfinite(y[odd]) & np.isfinite(reference[odd]))]
    if odd.size:
        ys, refs = y[odd], reference[odd]
        same = (ys == refs) | (np.isnan(ys) & np.isnan(refs))
        if saturating and dtype != "float64":
            same |= np.isinf(ys) & (dtypes.rounded(refs, dtype) == ys)
        errors[odd] = diff[odd] = rel[odd] = np.where(same, 0.0, np.inf)
    return errors, diff, rel, odd


def passes(
    errors: Deviations,
    reference: np.ndarray,
    tolerance: float,
    atol: float | None,
    rtol: float | None,
) -> np.ndarray:
    """Whether each row passes: within ``tolerance`` ULP, or, with ``atol`` or ``rtol``,
    ``|y − ref| <= atol + rtol · |ref|`` (numpy's ``allclose``)."""
    ulps, diff, _, _ = errors
    ok = ulps <= tolerance
    if atol is not None or rtol is not None:
        with np.errstate(over="ignore", invalid="ignore"):  # 0 · inf: no bound, not a warning
            bound = (atol or 0.0) + (rtol or 0.0) * np.abs(reference)
        ok |= diff <= bound
    return ok
