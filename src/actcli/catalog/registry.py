"""The registry: one frozen record per activation, and the bound objects users get from it.

A :class:`Definition` is the static description of an activation (formulas, parameters,
derivatives, kinks, references). :func:`get` binds it to parameter values and a framework
dialect and returns an :class:`Activation`, the object the rest of actcli works with.

Names are looked up case-insensitively with ``-`` and ``_`` ignored, aliases included; an unknown
name raises :class:`~actcli.errors.UnknownActivationError` with close matches.
"""

from __future__ import annotations

import difflib
import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from actcli.errors import InvalidParameterError, UnknownActivationError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    Array = NDArray[np.float64]

ParamValue = float | str
Params = Mapping[str, ParamValue]
Kind = Literal["elementwise", "vector"]
# What autodiff returns exactly at a kink: a one-sided limit, their mean (jnp.clip's ties),
# their sum (both branches of max(0, x) + min(0, …) pass the tie's gradient, Keras 3's celu)
# or 0 (neither does: relu(x) − α·relu(−x), Keras' PReLU).
Side = Literal["left", "right", "mean", "sum", "zero"]

# ---------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Param:
    """One parameter of an activation: name, default, meaning and domain.

    ``check`` returns True for an admissible value; ``domain`` says the same in words for error
    messages. ``choices`` makes the parameter a string enumeration instead of a real number.
    """

    name: str
    default: ParamValue
    doc: str
    domain: str = "any real number"
    check: Callable[[float], bool] = math.isfinite
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def coerce(self, activation: str, raw: object) -> ParamValue:
        """Validate ``raw`` (a number, or text from the command line) against this parameter."""
        where = f"{activation}: parameter {self.name!r}"
        if self.choices:
            text = str(raw).strip().lower()
            text = _CHOICE_SYNONYMS.get(text, text)
            if text not in self.choices:
                allowed = ", ".join(repr(c) for c in self.choices)
                raise InvalidParameterError(f"{where} must be one of {allowed}, got {raw!r}")
            return text
        if isinstance(raw, bool):
            raise InvalidParameterError(f"{where} must be a number, got {raw!r}")
        try:
            value = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidParameterError(f"{where} must be a number, got {raw!r}") from None
        if math.isnan(value) or not self.check(value):
            raise InvalidParameterError(f"{where} must be {self.domain}, got {raw!r}")
        return value


# Framework spellings of the same choice: keras/jax say approximate=True/False for gelu.
_CHOICE_SYNONYMS = {"false": "none", "true": "tanh", "exact": "none", "erf": "none"}


def real(name: str, default: float, doc: str, aliases: tuple[str, ...] = ()) -> Param:
    return Param(name, default, doc, aliases=aliases)


def positive(name: str, default: float, doc: str, aliases: tuple[str, ...] = ()) -> Param:
    return Param(name, default, doc, "a finite number > 0", lambda v: 0 < v < math.inf, (), aliases)


def nonnegative(name: str, default: float, doc: str, aliases: tuple[str, ...] = ()) -> Param:
    return Param(
        name, default, doc, "a finite number >= 0", lambda v: 0 <= v < math.inf, (), aliases
    )


def choice(name: str, default: str, choices: tuple[str, ...], doc: str) -> Param:
    return Param(name, default, doc, choices=choices)


# ---------------------------------------------------------------------------------- kinks


@dataclass(frozen=True)
class Kink:
    """A point where f′ or f″ is discontinuous, with the one-sided limits on either side.

    ``left`` and ``right`` are the limits (f′, f″) from below and above; ``jump`` marks a
    discontinuity of f itself, where f′ is a Dirac delta (reported as the one-sided limit). ``rule`` is actcli's
    default convention for the derivative *at* the point (PyTorch's, where PyTorch has the
    function); dialects may override it (see :mod:`actcli.catalog.dialects`).
    """

    at: float
    left: tuple[float, float]
    right: tuple[float, float]
    rule: Side = "left"
    jump: bool = False  # f itself is discontinuous here (step, threshold, hard_shrink)

    def derivative(self, order: int, rule: Side | None = None) -> float:
        side = rule or self.rule
        i = order - 1
        if side == "mean":
            return 0.5 * (self.left[i] + self.right[i])
        if side == "sum":
            return self.left[i] + self.right[i]
        if side == "zero":
            return 0.0
        return self.left[i] if side == "left" else self.right[i]


@dataclass(frozen=True)
class KinkPoint:
    """A kink of a bound activation with the convention of its dialect applied."""

    at: float
    left: tuple[float, float]
    right: tuple[float, float]
    rule: Side
    d1: float
    d2: float
    jump: bool

    @property
    def jump_order(self) -> int:
        """0 when f itself jumps here, 1 when f′ does, 2 when only f″ does."""
        if self.jump:
            return 0
        return 1 if self.left[0] != self.right[0] else 2


# ---------------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Constant:
    """An exact constant of a formula, for display: its symbol, its decimal digits (more than
    a float64 holds), and a note (how frameworks round it, where it comes from)."""

    symbol: str
    digits: str
    note: str = ""


# f, f′, f″ at x = −inf and x = +inf: ((f(−∞), f(+∞)), (f′(−∞), f′(+∞)), (f″(−∞), f″(+∞))).
# Declared per activation, so that the formulas only ever see finite numbers (where inf·0 and
# inf − inf would turn a perfectly defined limit into NaN).
Limits = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]
_NO_LIMITS: Limits = ((math.nan, math.nan),) * 3

# ---------------------------------------------------------------------------------- ranges


@dataclass(frozen=True)
class Bound:
    """One end of a range: the infimum or supremum of f (±inf when unbounded), whether f attains
    it (a closed end), and where: ``at`` when f attains it at one point (periodic functions: the
    one nearest 0 on the left for a minimum, on the right for a maximum), None when on a whole
    stretch (relu's 0 for x ≤ 0) or not at all. ``symbol`` and ``at_symbol`` spell them in the
    parameters for the record's text ("−alpha", "−π/(2·w0)"); the numbers are what is checked.
    """

    value: float
    closed: bool = False
    at: float | None = None
    symbol: str = ""
    at_symbol: str = ""

    @property
    def text(self) -> str:
        return self.symbol or number_text(self.value)


def closed(value: float, at: float | None = None, symbol: str = "", at_symbol: str = "") -> Bound:
    """An end f attains (at ``at``, or on a stretch when ``at`` is None)."""
    return Bound(value, True, at, symbol, at_symbol)


@dataclass(frozen=True)
class Interval:
    lower: Bound
    upper: Bound

    @property
    def is_point(self) -> bool:
        return self.lower.closed and self.upper.closed and self.lower.value == self.upper.value

    @property
    def text(self) -> str:
        left, right = "[" if self.lower.closed else "(", "]" if self.upper.closed else ")"
        return f"{left}{self.lower.text}, {self.upper.text}{right}"


@dataclass(frozen=True)
class Range:
    """The set of values f takes, as a union of intervals (most activations: one).

    Declared by each elementwise record as a function of its parameters and checked against
    the mpmath oracle over a wide grid, its limits and its refined extrema
    (tests/test_catalog_facts.py); ``list``, ``info`` and ``compare`` show it.
    """

    pieces: tuple[Interval, ...]

    @property
    def lower(self) -> Bound:
        """The infimum of f: the lowest piece's lower end."""
        return _hull([p.lower for p in self.pieces], min)

    @property
    def upper(self) -> Bound:
        """The supremum of f: the highest piece's upper end."""
        return _hull([p.upper for p in self.pieces], max)

    @property
    def bounded(self) -> str:
        """ "both", "below", "above" or "no": from the infimum and the supremum of f."""
        below, above = math.isfinite(self.lower.value), math.isfinite(self.upper.value)
        return {(True, True): "both", (True, False): "below", (False, True): "above"}.get(
            (below, above), "no"
        )

    @property
    def text(self) -> str:
        """``[−0.375, ∞), minimum at x = −1.5``, ``{0, value, 1}``, ``ℝ``."""
        out = self.union
        for word, end in (("minimum", self.lower), ("maximum", self.upper)):
            if end.at is not None:
                out += f", {word} at x = {end.at_symbol or number_text(end.at)}"
        return out

    @property
    def union(self) -> str:
        """The pieces alone: ``{0} ∪ (1, 6]``, ``[−0.375, ∞)``, ``ℝ``."""
        parts: list[str] = []
        points: list[str] = []
        for piece in self.pieces:
            if piece.is_point:
                points.append(piece.lower.text)
                continue
            if points:
                parts.append("{" + ", ".join(points) + "}")
                points = []
            parts.append(piece.text)
        if points:
            parts.append("{" + ", ".join(points) + "}")
        out = " ∪ ".join(parts)
        return "ℝ" if out == "(−∞, ∞)" else out


def _hull(ends: list[Bound], pick: Callable[..., float]) -> Bound:
    value = pick(b.value for b in ends)
    tied = [b for b in ends if b.value == value]
    attained = [b for b in tied if b.closed]
    if len(attained) > 1:  # reached in several places: no single arg-extremum
        return Bound(value, True, None, attained[0].symbol)
    return (attained or tied)[0]


def span(lower: Bound | float, upper: Bound | float) -> Range:
    """One interval; a number as an end is an open end (f only approaches it)."""
    return union(Interval(_end(lower), _end(upper)))


def union(*pieces: Interval) -> Range:
    return Range(pieces)


def point(value: float, at: float | None = None, symbol: str = "") -> Interval:
    """A single value f takes (at ``at``, or on a stretch when None)."""
    end = closed(value, at, symbol)
    return Interval(end, end)


def interval(lower: Bound | float, upper: Bound | float) -> Interval:
    return Interval(_end(lower), _end(upper))


def _end(end: Bound | float) -> Bound:
    return end if isinstance(end, Bound) else Bound(float(end))


REALS = span(-math.inf, math.inf)


def number_text(value: float) -> str:
    """A number as the records' texts spell it: 12 significant digits, ∞, a true minus sign."""
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return "0" if value == 0 else f"{value:.12g}".replace("-", "−")


# ---------------------------------------------------------------------------------- framework code

# A call template: Python text in ``x`` with ``{param}`` fields that :mod:`actcli.snippets` fills
# from the bound parameters (``{param|bool}`` for gelu's approximate, ``{param|square}``), or
# cases ``((condition, text), ...)`` of which the first whose condition holds is used. A condition
# is ``"key=value,..."`` (every key at that value; ``""`` always holds); an empty text means the
# framework has no such form for those parameters. A comment after ``#`` says what a framework
# cannot express and why the equivalent given computes the same.
Template = str | tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Code:
    """How one framework spells an activation, each form a :data:`Template`.

    ``function`` is an expression computing y from x; ``layer`` the expression constructing a
    layer (module) that is then applied to x; ``dense`` the string name the framework's
    ``Dense(units, activation=...)`` resolves to the same function. ``layer_defaults`` are the
    layer's parameter defaults (actcli's names) where they differ from the function's, as
    recorded in tests/data/parity/<framework>.json "defaults" (Keras ``LeakyReLU()``: 0.3).
    """

    function: Template = ""
    layer: Template = ""
    dense: Template = ""
    layer_defaults: Mapping[str, ParamValue] = field(default_factory=dict)


FRAMEWORKS = ("torch", "keras", "keras2", "tf", "jax")  # the frameworks code is given for


def _call_names(code: Mapping[str, Code]) -> dict[str, str]:
    """What ``list`` shows per framework: the callee of the default form (``F.relu``)."""
    out = {}
    for framework, c in code.items():
        for form in (c.function, c.layer):
            text = form if isinstance(form, str) else next((t for _, t in form if t), "")
            if text:
                out[framework] = text.split("(")[0]
                break
    return out


# f(x) as a sympy expression, for reading (``info``'s pretty print and LaTeX), never for numbers:
# (sympy module, the symbol x, parameter name -> its symbol, or its value for a choice) -> expr.
# Built only by actcli.symbolic, which imports sympy; the catalog itself never does.
SympyForm = Callable[[Any, Any, Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Definition:
    """The static record of one activation. Built by :func:`register`; never mutated."""

    name: str
    kind: Kind
    family: str
    summary: str
    formula: str
    latex: str
    derivative_formula: str
    range: str
    reference: str
    fn: Callable[..., Array]
    d1: Callable[..., Array] | None = None
    d2: Callable[..., Array] | None = None
    jacobian: Callable[..., Array] | None = None
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()
    kinks: Callable[..., tuple[Kink, ...]] = field(default=lambda **_: ())
    check: Callable[..., str | None] = field(default=lambda **_: None)
    limits: Callable[..., Limits] = field(default=lambda **_: _NO_LIMITS)
    # framework -> its call templates (see :class:`Code`); ``frameworks`` is derived from them
    code: Mapping[str, Code] = field(default_factory=dict)
    frameworks: Mapping[str, str] = field(default_factory=dict)
    constants: tuple[Constant, ...] = ()  # exact values, for display
    notes: str = ""
    # where it is used in a network (hidden layers, which output layer) and why, next to the
    # summary in ``info``; empty for formulas in x
    uses: str = ""
    sympy: SympyForm | None = None  # elementwise catalog activations: f(x) for sympy
    image: Callable[..., Range] | None = None  # elementwise: the range, given the parameters

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if name == p.name or name in p.aliases:
                return p
        return None


_REGISTRY: dict[str, Definition] = {}
_LOOKUP: dict[str, str] = {}  # normalised name or alias -> canonical name


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "").replace("_", "").replace(" ", "")


def register(definition: Definition) -> Definition:
    """Add a definition; its name and aliases must not collide with existing ones."""
    for key in (definition.name, *definition.aliases):
        norm = _normalise(key)
        if _LOOKUP.get(norm, definition.name) != definition.name:
            raise ValueError(f"{key!r} is already registered for {_LOOKUP[norm]!r}")
        _LOOKUP[norm] = definition.name
    _REGISTRY[definition.name] = definition
    return definition


def _load() -> None:
    """Import the family modules (they register on import)."""
    from actcli.catalog import rectifiers, sigmoids, smooth, vector  # noqa: F401


def definitions() -> dict[str, Definition]:
    """All definitions by canonical name (loads the catalog on first use)."""
    if not _REGISTRY:
        _load()
    return _REGISTRY


def names() -> list[str]:
    """Canonical activation names, sorted."""
    return sorted(definitions())


def lookup(name: str) -> Definition:
    """The definition for a canonical name or alias; raises UnknownActivationError."""
    defs = definitions()
    canonical = _LOOKUP.get(_normalise(name))
    if canonical is None:
        raise UnknownActivationError(name, suggest(name))
    return defs[canonical]


def suggest(name: str, n: int = 3) -> list[str]:
    """Close matches among names and aliases, reported as canonical names."""
    definitions()
    hits = difflib.get_close_matches(_normalise(name), list(_LOOKUP), n=n * 2, cutoff=0.6)
    out: list[str] = []
    for hit in hits:
        canonical = _LOOKUP[hit]
        if canonical not in out:
            out.append(canonical)
    return out[:n]


# ---------------------------------------------------------------------------------- bound objects


@dataclass(frozen=True)
class Activation:
    """An activation bound to parameter values and a dialect: call it, differentiate it.

    >>> import actcli
    >>> act = actcli.get("leaky_relu", negative_slope=0.1)
    >>> act([-2.0, 3.0]).tolist()
    [-0.2, 3.0]
    >>> act.derivative([-2.0, 0.0, 3.0]).tolist()
    [0.1, 0.1, 1.0]
    """

    definition: Definition
    params: Mapping[str, ParamValue]
    dialect: str
    notes: tuple[str, ...] = ()
    kink_rules: tuple[Side, ...] | None = None

    # -- metadata -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def kind(self) -> Kind:
        return self.definition.kind

    @property
    def formula(self) -> str:
        return self.definition.formula

    @property
    def latex(self) -> str:
        return self.definition.latex

    @property
    def range(self) -> str:
        return self.definition.range

    @property
    def image(self) -> Range | None:
        """The range of f for these parameters (None for vector activations and formulas)."""
        image = self.definition.image
        return None if image is None else image(**self.params)

    @property
    def reference(self) -> str:
        return self.definition.reference

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.definition.aliases

    @property
    def spec(self) -> str:
        """The spec string that reproduces this activation: ``name:key=value,...``."""
        changed = {
            p.name: self.params[p.name]
            for p in self.definition.params
            if self.params[p.name] != p.default
        }
        if not changed:
            return self.name
        return self.name + ":" + ",".join(f"{k}={_fmt(v)}" for k, v in changed.items())

    @property
    def kink_points(self) -> tuple[KinkPoint, ...]:
        kinks = self.definition.kinks(**self.params)
        rules = self.kink_rules or tuple(k.rule for k in kinks)
        return tuple(
            KinkPoint(k.at, k.left, k.right, r, k.derivative(1, r), k.derivative(2, r), k.jump)
            for k, r in zip(kinks, rules, strict=True)
        )

    @property
    def kinks(self) -> tuple[float, ...]:
        return tuple(k.at for k in self.kink_points)

    # -- evaluation -----------------------------------------------------------------------
    def __call__(self, x: ArrayLike, axis: int | tuple[int, ...] = -1) -> Any:
        """f(x), elementwise, or along ``axis`` for vector activations (the frameworks'
        ``dim=``/``axis=``; a tuple of axes acts on them together, as keras and jax allow);
        float32/16 inputs are rounded once."""
        d = self.definition
        if d.kind == "vector":
            return _along(x, axis, lambda a: d.fn(a, **self.params), jacobian=False)
        if axis != -1:
            raise InvalidParameterError(f"{d.name} is elementwise: it takes no axis")
        return self._elementwise(x, d.fn, 0)

    def derivative(self, x: ArrayLike, order: int = 1) -> Any:
        """f′(x) (order 1) or f″(x) (order 2) of an elementwise activation.

        At a kink the value follows the dialect's convention (see :attr:`kink_points`).
        """
        d = self.definition
        if d.kind != "elementwise":
            raise InvalidParameterError(
                f"{d.name} is a vector activation: use jacobian(), not derivative()"
            )
        if order not in (1, 2):
            raise InvalidParameterError(f"derivative order must be 1 or 2, got {order!r}")
        fn = d.d1 if order == 1 else d.d2
        assert fn is not None, f"{d.name} lacks its derivative of order {order}"
        return self._elementwise(x, fn, order)

    def _elementwise(self, x: ArrayLike, fn: Callable[..., Array], order: int) -> Any:
        """Apply fn to the finite entries; ±inf get the declared limits, NaN stays NaN."""
        lo, hi = self.definition.limits(**self.params)[order]
        kinks = self.kink_points if order else ()

        def one(a: Array) -> Array:
            # The formulas only ever see finite numbers: some numpy ufuncs warn on NaN input
            # (logaddexp), and at ±inf the declared limits are exact where formulas give inf·0.
            finite = np.isfinite(a)
            clean = bool(finite.all())
            out = fn(a if clean else np.where(finite, a, 0.0), **self.params)
            for k in kinks:
                at = a == k.at
                if at.any():
                    out = np.where(at, k.d1 if order == 1 else k.d2, out)
            if not clean:
                out = np.where(a == -np.inf, lo, np.where(a == np.inf, hi, out))
                out = np.where(np.isnan(a), a, out)
            return out

        def compute(a: Array) -> Array:
            if a.size <= _CHUNK:
                return one(a)
            # Large inputs go through in cache-sized blocks: the exact formulas make many
            # passes over their temporaries, which then stay in cache (2–4× faster at 1e7).
            flat = a.reshape(-1)
            out = np.empty_like(flat)
            for start in range(0, flat.size, _CHUNK):
                out[start : start + _CHUNK] = one(flat[start : start + _CHUNK])
            return out.reshape(a.shape)

        return _evaluate(x, compute)

    def jacobian(self, x: ArrayLike, axis: int | tuple[int, ...] = -1) -> Any:
        """∂f/∂x along ``axis`` (default the last): the other axes in their order, then the m
        outputs and n inputs of each vector, shape (..., m, n); a tuple of axes counts their
        entries together.

        For elementwise activations this is the diagonal matrix of f′.
        """
        d = self.definition
        if d.kind == "elementwise":
            from actcli.numerics import diag_embed

            if axis != -1:
                raise InvalidParameterError(f"{d.name} is elementwise: it takes no axis")
            return diag_embed(np.asarray(self.derivative(np.asarray(x, dtype=np.float64))))
        assert d.jacobian is not None
        jac = d.jacobian
        return _along(x, axis, lambda a: jac(a, **self.params), jacobian=True)

    def __repr__(self) -> str:
        return f"<Activation {self.spec} dialect={self.dialect}>"


def _fmt(value: ParamValue) -> str:
    return value if isinstance(value, str) else repr(float(value))


_CHUNK = 8192

_ROUNDED_DTYPES = {np.dtype(np.float32), np.dtype(np.float16)}


def _along(
    x: ArrayLike, axis: int | tuple[int, ...], compute: Callable[[Array], Array], jacobian: bool
) -> Any:
    """A vector activation's ``compute`` (which acts on the last axis) along ``axis``: those
    axes are moved last and flattened into one, and the result is moved back."""
    arr = np.asarray(x)
    if arr.ndim == 0:
        raise InvalidParameterError("a vector activation needs at least one value")
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    if not axes or not all(-arr.ndim <= a < arr.ndim for a in axes):
        raise InvalidParameterError(f"axis {axis!r} is out of range for {arr.ndim} dimension(s)")
    axes = tuple(a % arr.ndim for a in axes)
    if len(set(axes)) != len(axes):
        raise InvalidParameterError(f"axis {axis!r} names an axis twice")
    if axes == (arr.ndim - 1,):
        return _evaluate(arr, compute, vector=True)
    last = tuple(range(arr.ndim - len(axes), arr.ndim))
    moved = np.moveaxis(arr, axes, last)
    rest = moved.shape[: arr.ndim - len(axes)]
    out = np.asarray(_evaluate(moved.reshape(*rest, -1), compute, vector=True))
    if jacobian:
        return out
    if out.shape[-1] == moved.reshape(*rest, -1).shape[-1]:
        return np.moveaxis(out.reshape(moved.shape), last, axes)
    if len(axes) > 1:  # the gated ones halve their input: along one axis only
        raise InvalidParameterError(
            "a gated activation halves its input along one axis, not several"
        )
    return np.moveaxis(out, -1, axes[0])


def _evaluate(x: ArrayLike, compute: Callable[[Array], Array], vector: bool = False) -> Any:
    """Compute in float64 and round once to float32/float16/bfloat16 inputs' dtype."""
    arr = np.asarray(x)
    target = arr.dtype if (arr.dtype in _ROUNDED_DTYPES or arr.dtype.name == "bfloat16") else None
    a64 = arr.astype(np.float64)
    if vector and a64.ndim == 0:
        raise InvalidParameterError("a vector activation needs at least one value")
    # Overflow to ±inf and underflow to 0 are the correctly rounded results of the formulas, not
    # errors; "invalid" and "divide" stay loud, since they would mean a formula met inf·0 or 0/0.
    with np.errstate(over="ignore", under="ignore"):
        out = np.asarray(compute(a64), dtype=np.float64)
    if target is not None:
        with np.errstate(over="ignore"):  # rounding to a narrower type may overflow to ±inf
            out = out.astype(target)
    return out[()] if out.ndim == 0 else out


# ---------------------------------------------------------------------------------- get()


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """Split ``"name:key=value,key2=value2"`` into the name and its raw parameters."""
    name, sep, rest = spec.partition(":")
    raw: dict[str, str] = {}
    if sep:
        for item in rest.split(","):
            if not item.strip():
                continue
            key, eq, value = item.partition("=")
            if not eq or not key.strip():
                raise InvalidParameterError(
                    f"bad parameter {item.strip()!r} in {spec!r}: expected key=value"
                )
            if key.strip() in raw:
                raise InvalidParameterError(f"{key.strip()!r} given twice in {spec!r}")
            raw[key.strip()] = value.strip()
    return name.strip(), raw


def takes(spec: str, key: str) -> bool:
    """Whether the activation ``spec`` names has the parameter ``key`` (a name or an alias).

    An unknown name raises, as :func:`get` would.
    """
    name, _ = parse_spec(spec)
    try:
        return lookup(name).param(key) is not None
    except UnknownActivationError:
        from actcli import expr

        if not expr.looks_like_expression(name):
            raise
        return key in expr.parse(name)[1]


def get(spec: str, dialect: str | None = None, **params: object) -> Activation:
    """Look up an activation and bind its parameters.

    ``spec`` is a name or alias, optionally followed by ``:key=value,...``; keyword arguments
    add parameters (those inside ``spec`` win). ``dialect`` (default ``"torch"``; also given as
    ``dialect=`` inside the spec) supplies framework defaults and kink conventions.
    """
    if not isinstance(spec, str):  # get(None), get(relu_function): say so, not AttributeError
        raise UnknownActivationError(repr(spec))
    from actcli.catalog import dialects

    name, written = parse_spec(spec)  # the spec's own values: they win over keywords
    dialect = dialects.check(str(written.pop("dialect", None) or dialect or dialects.DEFAULT))
    try:
        d = lookup(name)
    except UnknownActivationError:
        from actcli import expr

        if not expr.looks_like_expression(name):
            raise
        # a formula in x; a name that clashes with the catalog never gets here
        custom, bound = expr.definition(name, {**params, **written}, dialect)
        return Activation(custom, dict(bound), dialect)
    values: dict[str, ParamValue] = {
        p.name: dialects.default(dialect, d.name, p.name, p.default) for p in d.params
    }
    chosen: dict[str, tuple[str, Param, object]] = {}  # name -> (key used, parameter, value)
    sources: tuple[Mapping[str, object], ...] = (params, written)
    for source in sources:  # the spec's own values last: they win
        seen: dict[str, str] = {}
        for key, raw_value in source.items():
            p = d.param(key)
            if p is None:
                known = ", ".join(p.name for p in d.params) or "none"
                raise InvalidParameterError(
                    f"{d.name} has no parameter {key!r} (parameters: {known})"
                )
            if p.name in seen:
                raise InvalidParameterError(
                    f"{d.name}: {seen[p.name]!r} and {key!r} both set {p.name}; give it once"
                )
            seen[p.name] = key
            chosen[p.name] = (key, p, raw_value)
    notes: list[str] = []
    for key, p, raw_value in chosen.values():
        if key != p.name:
            notes.append(f"{d.name}: parameter {key!r} read as {p.name!r}")
        values[p.name] = p.coerce(d.name, raw_value)
    problem = d.check(**values)
    if problem:
        raise InvalidParameterError(f"{d.name}: {problem}")
    kinks = d.kinks(**values)
    rules = dialects.kink_rules(dialect, d.name, kinks, values)
    if rules is not None and len(rules) != len(kinks):
        raise AssertionError(f"dialect {dialect}: one kink rule per kink of {d.name}")
    return Activation(d, values, dialect, tuple(notes), rules)


# ---------------------------------------------------------------------------------- definitions


RELU_LIKE: Limits = ((0.0, math.inf), (0.0, 1.0), (0.0, 0.0))
"""f → 0 as x → −∞ and f ~ x as x → +∞ (relu, silu, gelu, softplus, mish, ...)."""

IDENTITY_LIKE: Limits = ((-math.inf, math.inf), (1.0, 1.0), (0.0, 0.0))


def sym_sigmoid(sp: Any, z: Any) -> Any:
    """σ(z) for the records' sympy forms."""
    return 1 / (1 + sp.exp(-z))


def sym_softplus(sp: Any, z: Any) -> Any:
    """softplus(z) = log(1 + e^z) for the records' sympy forms."""
    return sp.log(1 + sp.exp(z))


Decorator = Callable[[Callable[..., "Array"]], Callable[..., "Array"]]


if TYPE_CHECKING:
    from typing_extensions import NotRequired, TypedDict, Unpack  # typing's need 3.11

    class Described(TypedDict):
        """What every activation states, elementwise or vector (see :class:`Definition`)."""

        family: str
        formula: str
        latex: str
        derivative: str  # the derivative's formula, as text
        reference: str
        range: NotRequired[str]  # elementwise: generated from ``image``
        params: NotRequired[tuple[Param, ...]]
        aliases: NotRequired[tuple[str, ...]]
        check: NotRequired[Callable[..., str | None]]
        code: NotRequired[Mapping[str, Code]]
        name: NotRequired[str]  # when the function's own name cannot be it (``lambda_``)


def _registering(kind: Kind, described: Described, **specific: Any) -> Decorator:
    """The decorator both ``elementwise`` and ``vector`` return: record, register, document.

    The function's docstring gives the one-line summary (and optional notes); it is replaced
    by the full anatomy generated from the record, so ``help()`` on any activation reads the
    same way: summary, formula, parameters, kinks, range, reference.
    """
    fields: dict[str, Any] = {**described, **specific}
    fields["derivative_formula"] = fields.pop("derivative")
    name = fields.pop("name", None)
    uses = fields.pop("uses", "")
    fields["frameworks"] = _call_names(fields.get("code", {}))
    image = fields.get("image")
    if image is not None:  # the text is the declared range at the default parameters
        assert "range" not in fields, "an elementwise record declares its range as image="
        fields["range"] = image(**{p.name: p.default for p in fields.get("params", ())}).text

    def decorate(fn: Callable[..., Array]) -> Callable[..., Array]:
        summary, _, notes = inspect.cleandoc(fn.__doc__ or "").partition("\n")
        canonical = name or fn.__name__.rstrip("_")
        definition = Definition(
            name=canonical,
            kind=kind,
            fn=fn,
            summary=summary.strip(),
            uses=uses,
            notes=notes.strip(),
            **fields,
        )
        register(definition)
        fn.__doc__ = anatomy(definition)
        return fn

    return decorate


def elementwise(
    *,
    d1: Callable[..., Array],
    d2: Callable[..., Array],
    sympy: SympyForm,
    limits: Limits | Callable[..., Limits],
    image: Range | Callable[..., Range],
    uses: str,
    kinks: Callable[..., tuple[Kink, ...]] | None = None,
    constants: tuple[Constant, ...] = (),
    **described: Unpack[Described],
) -> Decorator:
    """Register the decorated value function as an elementwise activation.

    ``image`` is its range (a :class:`Range`, or a function of the parameters returning one);
    the record's range text is generated from it.
    """
    return _registering(
        "elementwise",
        described,
        d1=d1,
        d2=d2,
        sympy=sympy,
        limits=limits if callable(limits) else (lambda **_: limits),
        image=image if callable(image) else (lambda **_: image),
        uses=uses,
        kinks=kinks or (lambda **_: ()),
        constants=constants,
    )


# Where each vector activation is used, until its record says so itself (``uses=``): what the
# seed tutorial teaches about output layers (softmax for several classes) and more.


def vector(
    *, jacobian: Callable[..., Array], uses: str = "", **described: Unpack[Described]
) -> Decorator:
    """Register the decorated function as a vector activation (acting on the last axis)."""
    return _registering("vector", described, jacobian=jacobian, uses=uses)


def anatomy(d: Definition) -> str:
    """The docstring every activation shares: summary, formula, parameters, kinks, reference."""
    lines = [d.summary, "", f"Used in: {d.uses}", "", "Formula:", f"    {d.formula}"]
    lines.append(f"    {d.derivative_formula}")
    if d.params:
        lines += ["", "Parameters:"]
        for p in d.params:
            default = p.default if isinstance(p.default, str) else repr(p.default)
            extra = f" (one of {', '.join(p.choices)})" if p.choices else f" ({p.domain})"
            lines.append(f"    {p.name} = {default}: {p.doc}{extra}")
    if d.kind == "elementwise":
        defaults = {p.name: p.default for p in d.params}
        kinks = d.kinks(**defaults)
        lines += ["", "Kinks (default parameters):"]
        if not kinks:
            lines.append("    none: f′ and f″ are continuous")
        for k in kinks:
            lines.append(
                f"    x = {k.at:g}: {'f jumps; ' if k.jump else ''}f′ {k.left[0]:g} from the "
                f"left, {k.right[0]:g} from the right; f″ {k.left[1]:g} / {k.right[1]:g}; "
                f"convention: {k.rule}"
            )
    lines += ["", f"Range: {d.range}", "", "Reference:", f"    {d.reference}"]
    if d.notes:
        lines += ["", d.notes]
    return "\n".join(lines)
