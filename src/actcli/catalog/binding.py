"""Binding: an activation's record bound to parameter values and a framework dialect.

:func:`get` reads a spec (``"leaky_relu:negative_slope=0.1"``, or a formula in ``x``), checks
the parameters against the record, applies the dialect's defaults and kink conventions, and
returns an :class:`Activation`, the object the rest of actcli works with: call it, take its
derivative or Jacobian. Evaluation is in float64, rounded once to a narrower input's dtype.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli import dtypes
from actcli.catalog import dialects
from actcli.catalog.records import (
    Definition,
    Kind,
    KinkPoint,
    Param,
    ParamValue,
    Range,
    Side,
)
from actcli.catalog.registry import lookup, preset
from actcli.errors import InvalidParameterError, UnknownActivationError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    Array = NDArray[np.float64]

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

        return _evaluate(x, compute, exact=(self, order))

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

    # -- rich display (IPython/Jupyter), built in actcli.notebook --------------------------
    def _repr_html_(self) -> str:
        """Formula, a small SVG of f and f′, and the key properties (static HTML)."""
        from actcli import notebook

        return notebook.to_html(self)

    def _repr_latex_(self) -> str:
        from actcli import notebook

        return notebook.latex(self)


def _fmt(value: ParamValue) -> str:
    return value if isinstance(value, str) else repr(float(value))


_CHUNK = 8192


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


def _evaluate(
    x: ArrayLike,
    compute: Callable[[Array], Array],
    vector: bool = False,
    exact: tuple[Activation, int] | None = None,
) -> Any:
    """Compute in float64 and round to float32/float16/bfloat16 inputs' dtype: correctly,
    with ``exact`` = (an elementwise activation, the derivative's order), for which the few
    results float64 cannot round alone are decided exactly (:mod:`actcli.exact`); once
    otherwise (vector activations)."""
    arr = np.asarray(x)
    target = dtypes.of(arr)
    with np.errstate(over="ignore", under="ignore"):  # a longdouble beyond float64: ±inf, 0
        a64 = arr.astype(np.float64)
    if vector and a64.ndim == 0:
        raise InvalidParameterError("a vector activation needs at least one value")
    # Overflow to ±inf and underflow to 0 are the correctly rounded results of the formulas, not
    # errors; "invalid" and "divide" stay loud, since they would mean a formula met inf·0 or 0/0.
    with np.errstate(over="ignore", under="ignore"):
        out = np.asarray(compute(a64), dtype=np.float64)
    if target is not None and target.narrow:
        if exact is None:
            out = dtypes.round_to(out, target.name)
        else:
            from actcli import exact as reference

            act, order = exact
            flat = reference.rounded(act, order, a64.reshape(-1), out.reshape(-1), target.name)
            out = flat.reshape(arr.shape)
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
    fixed = preset(name)  # gelu_new: gelu with approximate=tanh, whatever the dialect
    if fixed is not None:
        values.update(fixed.params)
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
        value = p.coerce(d.name, raw_value)
        if fixed is not None and p.name in fixed.params and value != fixed.params[p.name]:
            raise InvalidParameterError(
                f"{fixed.name} is {d.name} with {p.name}={_fmt(fixed.params[p.name])} "
                f"({fixed.source.split(':')[0]}); for {p.name}={_fmt(value)} use {d.name}"
            )
        values[p.name] = value
    problem = d.check(**values)
    if problem:
        raise InvalidParameterError(f"{d.name}: {problem}")
    kinks = d.kinks(**values)
    rules = dialects.kink_rules(dialect, d.name, kinks, values)
    if rules is not None and len(rules) != len(kinks):
        raise AssertionError(f"dialect {dialect}: one kink rule per kink of {d.name}")
    return Activation(d, values, dialect, tuple(notes), rules)
