"""What ``check`` computes: how far someone else's values are from actcli's reference, in ULP.

The reference is actcli's float64 value (or derivative), itself within a few float64 ULP of
the exact one; errors are counted in ULP of the dtype being checked (the spacing of that
type's numbers at the reference value).

A row passes when its error is at most ``tolerance`` ULP, or, when ``atol`` or ``rtol`` is
given, when it meets numpy's ``allclose`` test ``|y - ref| <= atol + rtol * |ref|`` (either
suffices: ULP alone is harsh where the reference is near 0). The check passes when every row
does; the findings describe the values, they do not decide the verdict.

Bands (:func:`default_bands`): by sign and binade of |x| ([2^e, 2^(e+1)) in |x|, so a
negative band is (-2^(e+1), -2^e]), x = ±0 a band of its own. When more than MAX_BANDS binades
hold values, runs of k adjacent binades of one sign are merged, k the smallest that leaves at
most MAX_BANDS; when fewer, each binade is split into 2, 4 or 8 equal parts, as many as keep
the count at most MAX_BANDS. A band with under 1 % of the rows is then merged into its
neighbour of the same sign (the one nearer 0 if there is one). Given edges E1 < ... < Ek make
the bands x < E1, E1 <= x < E2, ..., x >= Ek. Empty bands are left out, non-finite x too (they
are reported at the specials); the outer ends are the data's extremes.
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


MAX_BANDS = 12


@dataclass
class Report:
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

    @property
    def passed(self) -> bool:
        return self.failed == 0


@dataclass
class Errors:
    """The errors of every row: in ULP, relative and absolute, and whether it passes."""

    ulp: np.ndarray
    rel: np.ndarray
    abs: np.ndarray
    passes: np.ndarray


def check(
    act: Activation,
    x: np.ndarray,
    y: np.ndarray,
    order: int,
    dtype: str,
    tolerance: float,
    *,
    atol: float | None = None,
    rtol: float | None = None,
    edges: list[float] | None = None,
) -> tuple[Report, np.ndarray, np.ndarray]:
    """The report, the reference values and the ULP error of every row."""
    if x.size == 0:
        raise DataError("no rows to check")
    if dtype != "float64":  # what a kernel of that type receives and returns
        x, y = as_dtype(x, dtype), as_dtype(y, dtype)
    reference = np.asarray(act(x) if order == 0 else act.derivative(x, order), dtype=np.float64)
    err = errors_of(y, reference, dtype, tolerance, atol, rtol)
    whole = _summary(err, np.ones(x.shape, dtype=bool))
    report = Report(
        dtype=dtype,
        tolerance=tolerance,
        rows=int(x.size),
        atol=atol,
        rtol=rtol,
        failed=int(x.size - np.count_nonzero(err.passes)),
        max_ulp=whole["max_ulp"],
        median_ulp=whole["median_ulp"],
        max_rel=whole["max_rel"],
        p99_ulp=whole["p99_ulp"],
        max_abs=whole["max_abs"],
    )
    narrower = None if report.passed else narrower_dtype(y, dtype)
    if narrower and ulp_errors(y, reference, narrower).max() <= tolerance:
        report.narrower_dtype = narrower  # the values pass as what they are
    ids, spans = band_ids(x, edges)
    for j, (lo, hi) in enumerate(spans):
        inside = ids == j
        count = int(np.count_nonzero(inside))
        failed = count - int(np.count_nonzero(err.passes[inside]))
        report.bands.append(
            {"lo": lo, "hi": hi, "count": count, **_summary(err, inside), "failed": failed}
        )
    for i in _largest(err.ulp, 5):
        if err.ulp[i] > 0:
            report.worst.append(
                {
                    "x": float(x[i]),
                    "given": float(y[i]),
                    "reference": float(reference[i]),
                    "ulp": float(err.ulp[i]),
                }
            )
    report.findings = findings(x, y, reference, err, dtype)
    return report, reference, err.ulp


def errors_of(
    y: np.ndarray,
    reference: np.ndarray,
    dtype: str,
    tolerance: float,
    atol: float | None,
    rtol: float | None,
) -> Errors:
    """Every row's errors; a row passes within ``tolerance`` ULP or allclose(atol, rtol)."""
    errors = ulp_errors(y, reference, dtype)
    if dtype != "float64":  # beyond the type's range the correctly rounded answer is ±inf
        errors = np.where(np.isinf(y) & (as_dtype(reference, dtype) == y), 0.0, errors)
    exact = errors == 0
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        diff = np.abs(y - reference)
        rel = diff / np.abs(reference)
    diff = np.where(exact, 0.0, np.where(np.isfinite(diff), diff, np.inf))
    rel = np.where(exact, 0.0, np.where(np.isfinite(rel), rel, np.inf))
    passes = errors <= tolerance
    if atol is not None or rtol is not None:
        with np.errstate(over="ignore"):
            bound = (atol or 0.0) + (rtol or 0.0) * np.abs(reference)
        passes |= diff <= bound
    return Errors(errors, rel, diff, passes)


def _summary(err: Errors, inside: np.ndarray) -> dict[str, float]:
    e = err.ulp[inside]
    return {
        "max_ulp": float(e.max()),
        "median_ulp": float(np.median(e)),
        "p99_ulp": float(np.percentile(e, 99, method="inverted_cdf")),
        "max_rel": float(err.rel[inside].max()),
        "max_abs": float(err.abs[inside].max()),
    }


# ---------------------------------------------------------------------------------- bands


def _distinct(values: np.ndarray) -> list[int]:
    """The distinct values of an integer array of a small span, ascending (no sort)."""
    if not values.size:
        return []
    low = int(values.min())
    return (np.flatnonzero(np.bincount(values - low)) + low).tolist()


def _largest(values: np.ndarray, k: int) -> list[int]:
    """The indices of the k largest values, largest first (the first of equal ones first)."""
    if values.size > k:
        top = np.argpartition(-values, k - 1)[:k]
        threshold = values[top].min()
        top = np.flatnonzero(values >= threshold)
    else:
        top = np.arange(values.size)
    order = np.argsort(-values[top], kind="stable")
    return [int(i) for i in top[order][:k]]


def band_ids(
    x: np.ndarray, edges: list[float] | None
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Each row's band (-1: none, x not finite) and each band's (lo, hi), in ascending x."""
    finite = np.isfinite(x)
    if not finite.any():
        return np.full(x.shape, -1), []
    lo, hi = float(x[finite].min()), float(x[finite].max())
    if edges is not None:
        cuts = np.asarray(edges, dtype=np.float64)
        raw = np.where(finite, np.searchsorted(cuts, x, side="right"), -1)
        bounds = [lo, *cuts.tolist(), hi]
        spans = [(max(bounds[j], lo), min(bounds[j + 1], hi)) for j in range(len(cuts) + 1)]
    else:
        raw, spans = default_bands(x, finite)
    return _drop_empty(raw, spans)


def _drop_empty(
    raw: np.ndarray, spans: list[tuple[float, float]]
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    counts = np.bincount(raw[raw >= 0], minlength=len(spans))
    kept = np.flatnonzero(counts)
    renumber = np.full(len(spans) + 1, -1)
    renumber[kept] = np.arange(kept.size)
    return renumber[raw], [spans[j] for j in kept]


def default_bands(
    x: np.ndarray, finite: np.ndarray
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Bands by sign and binade of |x|, merged or split to at most MAX_BANDS (see above)."""
    nonzero = finite & (x != 0)
    negative = np.signbit(x) & nonzero
    sides = {True: negative, False: nonzero & ~negative}
    mantissa, exponent = np.frexp(np.where(nonzero, np.abs(x), 1.0))  # |x| = m 2^E, m in [½, 1)
    units = {side: _distinct(exponent[on]) for side, on in sides.items()}
    count = len(units[True]) + len(units[False])
    group, parts = 1, 1
    if count > MAX_BANDS:
        while sum(-(-(u[-1] - u[0] + 1) // group) for u in units.values() if u) > MAX_BANDS:
            group += 1
    else:
        while count * parts * 2 <= MAX_BANDS and parts < 8:
            parts *= 2
    low = {side: (u[0] if u else 0) for side, u in units.items()}
    # a unit: (sign, index of the merged binades or of the part of a binade), by ascending |x|
    index = exponent - np.where(negative, low[True], low[False]).astype(exponent.dtype)
    if parts > 1:
        part = ((mantissa * 2.0 - 1.0) * parts).astype(exponent.dtype)
        index = index * parts + np.minimum(part, parts - 1)
    else:
        index //= group

    def span(side: bool, i: int) -> tuple[float, float]:
        if parts > 1:
            e, p = divmod(i, parts)
            a = math.ldexp(1.0 + p / parts, low[side] + e - 1)
            b = math.ldexp(1.0 + (p + 1) / parts, low[side] + e - 1)
        else:
            a = math.ldexp(1.0, low[side] + i * group - 1)
            b = math.ldexp(1.0, low[side] + (i + 1) * group - 1)
        return (-b, -a) if side else (a, b)

    counts = {
        side: np.bincount(index[on]) if on.any() else np.zeros(0) for side, on in sides.items()
    }
    key = {
        (side, int(i)): span(side, int(i)) for side, c in counts.items() for i in np.flatnonzero(c)
    }
    merged = _merge_small(key, counts, x.size)
    order = sorted(set(merged.values()) | ({(0.0, 0.0)} if (finite & ~nonzero).any() else set()))
    number = {band: j for j, band in enumerate(order)}
    # one look-up table from (index, sign) to the band, rather than a pass per band
    width = max((len(c) for c in counts.values()), default=0)
    table = np.full(2 * width + 1, -1)
    for (side, i), band in merged.items():
        table[2 * i + side] = number[band]
    raw = table[np.where(nonzero, 2 * index + negative, 2 * width)]
    raw[finite & ~nonzero] = number.get((0.0, 0.0), -1)
    lo, hi = float(x[finite].min()), float(x[finite].max())
    return raw, [(max(a, lo), min(b, hi)) for a, b in order]


def _merge_small(
    key: dict[tuple[bool, int], tuple[float, float]],
    counts: dict[bool, np.ndarray],
    rows: int,
) -> dict[tuple[bool, int], tuple[float, float]]:
    """Units holding under 1 % of the rows joined to a neighbour of their sign (nearer 0)."""
    merged = dict(key)
    for side, count in counts.items():
        units = sorted(i for s, i in key if s == side)  # ascending |x|
        if len(units) < 2:
            continue
        groups = [[u] for u in units]
        sizes = [int(count[u]) for u in units]
        while len(groups) > 1 and (small := min(sizes)) * 100 < rows:
            g = sizes.index(small)
            target = g - 1 if g > 0 else g + 1
            groups[target] = sorted(groups[target] + groups[g])
            sizes[target] += small
            del groups[g], sizes[g]
        for members in groups:
            spans = [key[(side, u)] for u in members]
            whole = (min(s[0] for s in spans), max(s[1] for s in spans))
            for u in members:
                merged[(side, u)] = whole
    return merged


# ---------------------------------------------------------------------------------- findings


def _num(value: float, digits: int = 5) -> str:
    from actcli.formats import format_number

    return format_number(float(value), digits)


def spell(value: float, dtype: str) -> str:
    """The shortest spelling of a number of ``dtype`` (a value given or an input x)."""
    from actcli.evaluation import numpy_dtype
    from actcli.formats import format_number

    if dtype == "float64" or not math.isfinite(value):
        return format_number(float(value))
    return str(numpy_dtype(dtype).type(value))


def _example(x: np.ndarray, y: np.ndarray, ref: np.ndarray, i: int) -> dict[str, float]:
    return {"x": float(x[i]), "given": float(y[i]), "reference": float(ref[i])}


def findings(
    x: np.ndarray, y: np.ndarray, ref: np.ndarray, err: Errors, dtype: str
) -> list[dict[str, Any]]:
    """What the values do that a correctly rounded kernel does not, and the special inputs."""
    found = [_non_monotonic(x, y, ref, dtype)]
    with np.errstate(invalid="ignore"):
        wrong_sign = np.sign(y) * np.sign(ref) < 0
    found.append(_where("sign_error", wrong_sign, (x, y, ref), dtype, "outputs of the wrong sign"))
    found += _flushed(x, y, ref, dtype)
    broken = ~np.isfinite(y) & np.isfinite(ref) & (err.ulp > 0)
    found.append(
        _where("non_finite", broken, (x, y, ref), dtype, "inf or nan where the reference is finite")
    )
    found += _specials(x, y, ref, err)
    return [f for f in found if f is not None]


def _where(
    kind: str,
    rows: np.ndarray,
    data: tuple[np.ndarray, np.ndarray, np.ndarray],
    dtype: str,
    what: str,
) -> dict[str, Any] | None:
    x, y, ref = data
    count = int(np.count_nonzero(rows))
    if not count:
        return None
    at = np.flatnonzero(rows)
    lo, hi, i = float(x[at].min()), float(x[at].max()), int(at[0])
    return {
        "kind": kind,
        "count": count,
        "x_min": lo,
        "x_max": hi,
        "example": _example(x, y, ref, i),
        "message": f"{count:,} {what}, for x in [{_num(lo)}, {_num(hi)}]; e.g. f({spell(x[i], dtype)}) "
        f"= {spell(y[i], dtype)}, reference {_num(ref[i], 3)}",
    }


def _non_monotonic(
    x: np.ndarray, y: np.ndarray, ref: np.ndarray, dtype: str
) -> dict[str, Any] | None:
    """Steps between neighbouring x where the output goes against the reference's direction."""
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(ref)
    xs, ys, rs = x[ok], y[ok], ref[ok]
    if xs.size < 2:
        return None
    if not np.all(xs[1:] >= xs[:-1]):
        order = np.argsort(xs, kind="stable")
        xs, ys, rs = xs[order], ys[order], rs[order]
    way = np.sign(np.diff(rs))
    step = np.diff(ys)
    bad = (np.diff(xs) > 0) & (way != 0) & (np.sign(step) == -way)
    count = int(np.count_nonzero(bad))
    if not count:
        return None
    at = np.flatnonzero(bad)
    size = np.abs(step[at]) / ulp(rs[at + 1], dtype)
    i = int(at[np.argmax(size)])
    lo, hi = float(xs[at].min()), float(xs[at + 1].max())
    pair = [
        {"x": float(xs[j]), "given": float(ys[j]), "reference": float(rs[j])} for j in (i, i + 1)
    ]
    return {
        "kind": "non_monotonic",
        "count": count,
        "x_min": lo,
        "x_max": hi,
        "worst_pair": pair,
        "worst_ulp": float(size.max()),
        "message": f"{count:,} non-monotonic steps for x in [{_num(lo)}, {_num(hi)}] where the "
        f"reference is monotone; worst ({float(size.max()):.3g} ULP): f({spell(xs[i], dtype)}) = "
        f"{spell(ys[i], dtype)} {'>' if way[i] > 0 else '<'} f({spell(xs[i + 1], dtype)}) = {spell(ys[i + 1], dtype)}",
    }


def _flushed(x: np.ndarray, y: np.ndarray, ref: np.ndarray, dtype: str) -> list[dict[str, Any]]:
    """Zero where the reference is a normal number of the type, on each side of 0: a
    threshold when every x beyond it gives 0."""
    from actcli.evaluation import numpy_dtype

    tiny = float(np.finfo(numpy_dtype(dtype)).tiny)
    with np.errstate(invalid="ignore"):
        zero = (y == 0) & np.isfinite(ref) & (np.abs(ref) >= tiny)
    out = []
    for side, beyond in ((-1, x < 0), (1, x > 0)):
        rows = zero & beyond
        count = int(np.count_nonzero(rows))
        if not count:
            continue
        at = np.flatnonzero(rows)
        edge = at[np.argmax(x[at])] if side < 0 else at[np.argmin(x[at])]
        t = float(x[edge])
        tail = beyond & np.isfinite(x) & ((x <= t) if side < 0 else (x >= t))
        cut = bool(np.all(y[tail] == 0))
        found: dict[str, Any] = {
            "kind": "flush_to_zero",
            "count": count,
            "x_min": float(x[at].min()),
            "x_max": float(x[at].max()),
            "threshold": t if cut else None,
            "example": _example(x, y, ref, int(edge)),
        }
        if cut:
            sign = "≤" if side < 0 else "≥"
            found["message"] = (
                f"returns 0 for x {sign} {_num(t)} ({count:,} inputs); reference "
                f"{_num(ref[edge], 2)} there"
            )
        else:
            found["message"] = (
                f"returns 0 at {count:,} inputs in [{_num(found['x_min'])}, "
                f"{_num(found['x_max'])}] where the reference is a normal number; e.g. "
                f"f({_num(t)}) = 0, reference {_num(ref[edge], 2)}"
            )
        out.append(found)
    return out


SPECIALS = (("-0", -0.0), ("+0", 0.0), ("-inf", -math.inf), ("+inf", math.inf), ("nan", math.nan))


def _specials(x: np.ndarray, y: np.ndarray, ref: np.ndarray, err: Errors) -> list[dict[str, Any]]:
    """What the values are at ±0, ±inf and nan, where those are among the inputs."""
    out = []
    for label, value in SPECIALS:
        if math.isnan(value):
            rows = np.isnan(x)
        else:
            rows = (x == value) & (np.signbit(x) == (math.copysign(1.0, value) < 0))
        if not rows.any():
            continue
        i = int(np.flatnonzero(rows)[0])
        right = bool(err.passes[i])
        zero_sign = y[i] == 0 and ref[i] == 0 and np.signbit(y[i]) != np.signbit(ref[i])
        verdict = "right" if right else "WRONG"
        if zero_sign:
            verdict += ", but the sign of zero differs"
        out.append(
            {
                "kind": "special",
                "x": value,
                "given": float(y[i]),
                "reference": float(ref[i]),
                "passed": right,
                "count": int(np.count_nonzero(rows)),
                "message": f"at x = {label}: {_num(y[i], 3)} (reference {_num(ref[i], 3)}): "
                f"{verdict}",
            }
        )
    return out
