"""The records of the catalog: what an activation states about itself, as frozen data.

:class:`Definition` is the static record of one activation (formulas, parameters, derivatives,
kinks, range, framework code, references). Its parts live here too: :class:`Param` (with the
``real``/``positive``/``nonnegative``/``choice`` helpers), :class:`Kink` and :class:`KinkPoint`,
:class:`Constant`, the range (:class:`Bound`, :class:`Interval`, :class:`Range` and ``span``,
``union``, ``point``, ``interval``, ``REALS``), the limits at ±∞ (``RELU_LIKE``,
``IDENTITY_LIKE``), :class:`Code` templates and ``FRAMEWORKS``, and the sympy-form helpers.

Nothing here registers or evaluates: :mod:`actcli.catalog.registry` holds the records by name,
:mod:`actcli.catalog.binding` binds one to parameter values and a dialect.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from actcli.errors import InvalidParameterError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

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
    a float64 holds), and a note (how frameworks round it, where it comes from). ``sympy``
    names the symbol that stands for it in the record's sympy form (SELU's ``lambda``), which
    the exact reference replaces by the digits."""

    symbol: str
    digits: str
    note: str = ""
    sympy: str = ""


# f, f′, f″ at x = −inf and x = +inf: ((f(−∞), f(+∞)), (f′(−∞), f′(+∞)), (f″(−∞), f″(+∞))).
# Declared per activation, so that the formulas only ever see finite numbers (where inf·0 and
# inf − inf would turn a perfectly defined limit into NaN).
Limits = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]
_NO_LIMITS: Limits = ((math.nan, math.nan),) * 3

RELU_LIKE: Limits = ((0.0, math.inf), (0.0, 1.0), (0.0, 0.0))
"""f → 0 as x → −∞ and f ~ x as x → +∞ (relu, silu, gelu, softplus, mish, ...)."""

IDENTITY_LIKE: Limits = ((-math.inf, math.inf), (1.0, 1.0), (0.0, 0.0))

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

# ---------------------------------------------------------------------------------- sympy forms

# f(x) as a sympy expression, for reading (``info``'s pretty print and LaTeX), never for numbers:
# (sympy module, the symbol x, parameter name -> its symbol, or its value for a choice) -> expr.
# Built only by actcli.symbolic, which imports sympy; the catalog itself never does.
SympyForm = Callable[[Any, Any, Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Preset:
    """A name another library uses for this activation at fixed parameter values.

    ``gelu_new`` is gelu with approximate=tanh: looking the name up binds those values, and
    giving one of them a different value is refused (it would no longer be that library's
    function). ``source`` says where the name and its definition were read: library, version,
    file, and the upstream line.
    """

    name: str
    params: Mapping[str, ParamValue]
    source: str

    @property
    def text(self) -> str:
        """``gelu_new (approximate=tanh)``, or the name alone."""
        if not self.params:
            return self.name
        return f"{self.name} ({', '.join(f'{k}={v}' for k, v in self.params.items())})"


@dataclass(frozen=True)
class Definition:
    """The static record of one activation. Built by the registry's decorators; never mutated."""

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
    # doctest examples of ``fn`` (its docstring after "Examples:"), for ``help()``, never ``info``
    examples: str = ""
    sympy: SympyForm | None = None  # elementwise catalog activations: f(x) for sympy
    image: Callable[..., Range] | None = None  # elementwise: the range, given the parameters
    # names other libraries give this activation at fixed parameter values (gelu_new is gelu
    # with approximate=tanh), each with where the name comes from
    presets: tuple[Preset, ...] = ()

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if name == p.name or name in p.aliases:
                return p
        return None


def sym_sigmoid(sp: Any, z: Any) -> Any:
    """σ(z) for the records' sympy forms."""
    return 1 / (1 + sp.exp(-z))


def sym_softplus(sp: Any, z: Any) -> Any:
    """softplus(z) = log(1 + e^z) for the records' sympy forms."""
    return sp.log(1 + sp.exp(z))
