"""The catalog's declared facts against the mpmath oracle: range, minimum, maximum, boundedness.

Every elementwise record declares its range (``image``: pieces with their ends, whether each
end is attained, and where) as a function of its parameters; ``list``, ``info`` and ``compare``
show it and the record's range text is generated from it. Here each one is checked at 60
digits: the oracle is sampled over a wide grid (dense on [−40, 40], tails to ±1e6, tiny
magnitudes, both sides of every kink), its limits at ±∞ are taken, and every interior extremum
of the grid is refined by mpmath's findroot on f′. Then

- every value lies in a declared piece (gaps included: hard_shrink never takes 0.3);
- each piece's ends are its infimum and supremum, to a few ULP of the declared double;
- a closed end is attained: exactly on a stretch, or at ``at``, a root of f′ (or a kink) that
  findroot finds to a few ULP; an open finite end is a limit (at ±∞ or beside a jump) that no
  sample reaches;
- the texts' parameter spellings ("−alpha", "−0.278464542761/beta") evaluate to the numbers.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from mpmath import mp, mpf

import actcli
import oracle
from actcli import comparison
from actcli.catalog.records import Bound, Interval
from actcli.catalog.registry import definitions

ELEMENTWISE = sorted(n for n, d in definitions().items() if d.kind == "elementwise")

# Parameters on which the range depends (or could be thought to): signs, zeros, scales.
OTHERS: list[tuple[str, dict[str, Any]]] = [
    ("relu", {"negative_slope": 0.2}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"threshold": 1.0}),
    ("relu", {"negative_slope": 0.1, "threshold": 1.0}),
    ("relu", {"negative_slope": 0.1, "max_value": 6.0, "threshold": 1.0}),
    ("relu", {"negative_slope": 1.0, "max_value": 3.0}),
    ("relu", {"negative_slope": 0.5, "max_value": 5.0, "threshold": 5.0}),
    ("relu", {"max_value": 1.0, "threshold": 2.5}),
    ("leaky_relu", {"negative_slope": 0.0}),
    ("leaky_relu", {"negative_slope": -0.5}),
    ("leaky_relu", {"negative_slope": 2.0}),
    ("prelu", {"weight": -0.25}),
    ("rrelu", {"lower": 0.0, "upper": 0.0}),
    ("elu", {"alpha": 2.0}),
    ("elu", {"alpha": 0.0}),
    ("elu", {"alpha": -1.0}),
    ("celu", {"alpha": 0.5}),
    ("hard_tanh", {"min_val": -2.0, "max_val": 3.0}),
    ("star_relu", {"scale": 2.0, "bias": 0.5}),
    ("isru", {"alpha": 4.0}),
    ("silu", {"beta": 2.0}),
    ("sine", {"w0": 30.0}),
    ("step", {"value": 0.5}),
    ("step", {"threshold": 1.0, "value": -1.0}),
    ("threshold", {"threshold": 1.0, "value": 5.0}),
    ("threshold", {"threshold": 1.0, "value": -2.0}),
    ("hard_shrink", {"lambd": 0.0}),
    ("hard_shrink", {"lambd": 1.5}),
    ("softplus", {"beta": 2.0, "threshold": 20.0}),
    ("gelu", {"approximate": "tanh"}),
    ("hard_sigmoid", {"slope": 0.2}),
    ("snake", {"frequency": 2.0}),
    ("squareplus", {"b": 1.0}),
]
CASES = [(name, {}) for name in ELEMENTWISE] + OTHERS
IDS = [name + "".join(f":{k}={v}" for k, v in params.items()) for name, params in CASES]

DENSE = oracle.scan_grid(-40.0, 40.0, 0.02)  # the oracle's own grid: its cache is shared
RESOLVED = 40.0  # where 60 digits still tell 1 − σ(x) from 1: strictness is checked there
WIDE = sorted(
    s * m
    for s in (-1.0, 1.0)
    for m in (*(10.0**k for k in range(-300, 0, 15)), 50.0, 100.0, 700.0, 1e3, 1e4, 1e5, 1e6)
)


def _tol(value: float) -> float:
    """How far a declared double may sit from the exact bound: a few ULP."""
    return 4 * math.ulp(abs(value)) if math.isfinite(value) else 0.0


def _facts(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Samples (x, f(x)) at 60 digits, the limits, the refined extrema, the kinks."""
    act = actcli.get(name, **params)
    spec = oracle.ELEMENTWISE[name]
    p = oracle._thaw(oracle.params_key(name, **params))
    kinks = sorted(set(act.kinks))
    image = act.image
    assert image is not None
    ends = [e.at for piece in image.pieces for e in (piece.lower, piece.upper)]
    near = [float(np.nextafter(k, s)) for k in kinks for s in (-np.inf, np.inf)]
    xs = sorted({*DENSE, *WIDE, *kinks, *near, *(at for at in ends if at is not None)})
    ys = [oracle.value(name, x, **params) for x in xs]
    d1 = [oracle.evaluate(name, x, **params)[1] for x in DENSE]  # cached with the values
    refined = []  # (x*, f(x*)) at each interior extremum of the dense grid, f′(x*) = 0
    with mp.workdps(oracle.DPS):
        for i in range(1, len(DENSE) - 1):
            a, b = DENSE[i - 1], DENSE[i + 1]
            if any(a <= k <= b for k in kinks) or not (d1[i - 1] * d1[i + 1] < 0):
                continue
            root = mp.findroot(lambda t: spec.fn(t, p)[1], (mpf(a), mpf(b)), solver="anderson")
            refined.append((root, spec.fn(root, p)[0]))
    limits = [oracle.limit(name, 0, s, **params) for s in (-1.0, 1.0)]
    return {"act": act, "image": image, "xs": xs, "ys": ys, "refined": refined,
            "limits": [v for v in limits if not math.isnan(v)], "kinks": kinks}  # fmt: skip


def _contains(piece: Interval, y: Any, strict: bool) -> bool:
    """y in the piece, up to the declared doubles' rounding; ``strict``: never on an open end
    (where the oracle resolves 1 − σ(x) from 1, it must not reach it)."""
    lo, hi = piece.lower, piece.upper
    low = y >= lo.value - _tol(lo.value) if lo.closed else y > lo.value - _tol(lo.value)
    high = y <= hi.value + _tol(hi.value) if hi.closed else y < hi.value + _tol(hi.value)
    if strict:
        low = low and (lo.closed or y != lo.value)
        high = high and (hi.closed or y != hi.value)
    return bool(low and high)


def _attained(end: Bound, facts: dict[str, Any]) -> None:
    refined = facts["refined"]
    if end.at is None:  # on a stretch: exactly, as piecewise definitions give it
        hits = [x for x, y in zip(facts["xs"], facts["ys"], strict=True) if y == end.value]
        assert len([x for x in hits if abs(x) <= RESOLVED]) > 1, f"{end.value}: not on a stretch"
        return
    y_at = oracle.value(facts["act"].name, end.at, **facts["act"].params)
    assert abs(y_at - end.value) <= _tol(end.value), f"f({end.at}) = {y_at}, not {end.value}"
    if end.at in facts["kinks"]:
        return  # a corner: f′ changes sign across the kink
    nearest = min((abs(x - end.at) for x, _ in refined), default=math.inf)
    assert nearest <= 4 * math.ulp(max(abs(end.at), 1e-16)), (
        f"{end.at} is not where f′ = 0 (the nearest root is {nearest} away)"
    )


def _approached(end: Bound, facts: dict[str, Any]) -> None:
    """An open finite end: a limit at ±∞, or the one-sided value beside a jump."""
    sides = [*facts["limits"]]
    for k in facts["kinks"]:
        for s in (-np.inf, np.inf):
            sides.append(float(oracle.value(facts["act"].name, float(np.nextafter(k, s)),
                                            **facts["act"].params)))  # fmt: skip
    assert any(abs(v - end.value) <= _tol(end.value) for v in sides), (
        f"{end.value} is neither a limit at ±∞ nor beside a jump"
    )


@pytest.mark.slow
@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_declared_range_is_the_functions(name, params):
    facts = _facts(name, params)
    pieces = facts["image"].pieces
    values: list[list[Any]] = [[] for _ in pieces]
    for x, y in [*zip(facts["xs"], facts["ys"], strict=True), *facts["refined"]]:
        where = [i for i, piece in enumerate(pieces) if _contains(piece, y, abs(x) <= RESOLVED)]
        assert where, f"f({x}) = {mp.nstr(y, 20)} lies outside {facts['image'].text}"
        for i in where:  # pieces may overlap: step's {value} and {1}
            values[i].append(y)
    for limit in facts["limits"]:
        hits = [i for i, piece in enumerate(pieces) if _contains(piece, limit, False) or (
            limit in (piece.lower.value, piece.upper.value))]  # fmt: skip
        assert hits, f"the limit {limit} lies outside {facts['image'].text}"
        for i in hits:
            values[i].append(mpf(limit))
    for piece, vals in zip(pieces, values, strict=True):
        assert vals, f"no value of f in {piece.text}"
        for end, extreme in ((piece.lower, min(vals)), (piece.upper, max(vals))):
            if math.isinf(end.value):
                assert extreme == end.value, f"{end.text}: f only reaches {extreme}"
                continue
            assert abs(extreme - end.value) <= _tol(end.value), (
                f"the bound {end.value!r} of {piece.text} is {mp.nstr(extreme, 20)}"
            )
            (_attained if end.closed else _approached)(end, facts)


def _evaluate(text: str, params: dict[str, Any]) -> float:
    """A range text's spelling of a number in the parameters ("−1/√alpha"), evaluated."""
    python = text.replace("−", "-").replace("·", "*").replace("π", "pi")
    python = re.sub(r"√(\w+)", r"sqrt(\1)", python)
    names = {"sqrt": math.sqrt, "pi": math.pi, **params}
    return float(eval(python, {"__builtins__": {}}, names))  # the records' own texts


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_spelled_bounds_evaluate_to_the_numbers(name, params):
    act = actcli.get(name, **params)
    image = act.image
    assert image is not None
    for piece in image.pieces:
        for end in (piece.lower, piece.upper):
            for text, number in ((end.symbol, end.value), (end.at_symbol, end.at)):
                if text:
                    assert number is not None
                    assert _evaluate(text, dict(act.params)) == pytest.approx(number, rel=1e-11)


def test_the_record_text_is_the_declared_range_at_the_defaults():
    for name in ELEMENTWISE:
        d = definitions()[name]
        assert d.image is not None
        assert d.range == d.image(**{p.name: p.default for p in d.params}).text


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_minimum_and_maximum_say_where(name, params):
    """Where an end is attained on a stretch, compare finds the stretch between kinks."""
    act = actcli.get(name, **params)
    props = comparison.properties(act, np.linspace(-10.0, 10.0, 201))
    for key in ("minimum", "maximum"):
        extreme = props[key]
        if isinstance(extreme, dict) and "on" in extreme:
            on = extreme["on"]
            assert on is not None, f"{name}: no stretch where f is {extreme['value']}"
            inside = on["lower"] + 0.5 if math.isinf(on["upper"]) else on["upper"] - 0.5
            assert float(act(inside)) == extreme["value"]
    image = act.image
    assert image is not None
    assert props["bounded"] == image.bounded


def test_the_facts_the_issue_found_wrong():
    elish = actcli.get("elish").image
    quick = actcli.get("quick_gelu").image
    lisht = actcli.get("lisht").image
    sine = actcli.get("sine").image
    assert elish is not None and quick is not None and lisht is not None and sine is not None
    assert elish.lower == Bound(elish.lower.value, True, elish.lower.at)
    assert elish.lower.value == pytest.approx(2 * math.sqrt(2) - 3, rel=1e-15)
    assert elish.lower.at == pytest.approx(-math.asinh(1.0), rel=1e-15)
    assert quick.lower.value == pytest.approx(-0.1636101896363536, rel=1e-15)
    assert (lisht.lower.value, lisht.lower.closed, lisht.lower.at, lisht.bounded) == (
        0.0, True, 0.0, "below"
    )  # fmt: skip
    assert (sine.lower.value, sine.upper.value, sine.bounded) == (-1.0, 1.0, "both")
    assert sine.text == "[−1, 1], minimum at x = −π/(2·w0), maximum at x = π/(2·w0)"
