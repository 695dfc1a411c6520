"""Vector activations: they act on the last axis (a row is a vector).

softmax, log_softmax, softmin, sparsemax, standardize and normalize map n values to n values;
the gated family (glu, reglu, geglu, swiglu, bilinear) splits the row into halves a and b and
maps 2m values to m. Jacobians have shape (..., m, n).

**Gating convention clash.** PyTorch, Keras and JAX ``glu`` gate the *second* half:
``glu([a, b]) = a ⊙ σ(b)``. Shazeer's GLU variants (ReGLU, GEGLU, SwiGLU, bilinear) write
``f(xW) ⊙ (xV)`` and gate through the *first* projection: ``reglu([a, b]) = relu(a) ⊙ b``.
actcli keeps each convention under its own name; porting code should check which half it feeds.

**Infinite inputs.** A −inf entry of a softmax-family or sparsemax row gets weight 0 (a mask).
``inf_policy`` of the softmax family says what a row holding +inf, or entirely −inf (a fully
masked row), gives: ``nan`` (what PyTorch, Keras 3, tf_keras, TensorFlow and JAX all return,
recorded in tests/data/parity) or ``limit`` (the +inf entries share the mass equally, so
softmax([inf, 0]) = [1, 0]; an all −inf row is uniform); sparsemax gives NaN there. normalize
gives a row holding ±inf what every framework's x/‖x‖ gives: ±0 for its finite entries, NaN for
its infinite ones; standardize gives NaN. No floating-point warning is raised either way.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from actcli import elementary as el
from actcli import numerics as nx
from actcli.catalog import registry
from actcli.catalog.binding import get
from actcli.catalog.records import Code, Param, Template, choice, nonnegative, positive
from actcli.errors import InvalidParameterError
from actcli.numerics import two_sum

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Array = NDArray[np.float64]
    Mask = NDArray[np.bool_]


def vector(*, jacobian: Callable[..., Array], **described: Any) -> registry.Decorator:
    """:func:`registry.vector`, with empty rows handled once for every vector activation: a
    last axis of length 0 gives an empty result and an empty (..., 0, 0) Jacobian, as in every
    framework (the formulas' reductions have no identity there)."""

    def jacobian_of_rows(x: Array, **params: Any) -> Array:
        return np.empty((*x.shape[:-1], 0, 0)) if x.shape[-1] == 0 else jacobian(x, **params)

    register = registry.vector(jacobian=jacobian_of_rows, **described)

    def decorate(fn: Callable[..., Array]) -> Callable[..., Array]:
        @functools.wraps(fn)
        def of_rows(x: Array, **params: Any) -> Array:
            return np.empty(x.shape) if x.shape[-1] == 0 else fn(x, **params)

        return register(of_rows)

    return decorate


TORCH_SOFTMAX = "torch.nn.functional.softmax; keras.activations.softmax; jax.nn.softmax"


# What a framework cannot say for inf_policy=limit (see the module's docstring).
_INF_LIMIT = "inf_policy=limit has no equivalent: rows with +inf or only −inf follow the framework"


def _tempered(call: str, name: str, missing: str = "") -> Template:
    """Cases of a softmax-family call ``call`` (``{x}`` where the logits go): the frameworks
    have no temperature (x is divided by it) and no inf_policy (said in a comment)."""

    def case(condition: str, x: str, notes: list[str]) -> tuple[str, str]:
        comment = "; ".join(([missing] if missing else []) + notes)
        return condition, call.replace("{x}", x) + (f"  # {comment}" if comment else "")

    divide = f"{name} has no temperature: x is divided by it"
    return (
        case("temperature=1,inf_policy=nan", "x", []),
        case("inf_policy=nan", "x / {temperature}", [divide]),
        case("temperature=1", "x", [_INF_LIMIT]),
        case("", "x / {temperature}", [divide, _INF_LIMIT]),
    )


def _untempered(layer: str) -> Template:
    """A softmax-family layer: only at temperature 1."""
    return (("temperature=1,inf_policy=nan", layer), ("temperature=1", f"{layer}  # {_INF_LIMIT}"))


def _softmax_code(fn: str, layer: str, *, keras_layer: bool) -> dict[str, Code]:
    """softmax and log_softmax in the five frameworks (tf_keras has no log_softmax)."""
    plain = "temperature=1,inf_policy=nan"
    code = {
        "torch": Code(
            function=_tempered(f"F.{fn}({{x}}, dim=-1)", f"F.{fn}"),
            layer=_untempered(f"torch.nn.{layer}(dim=-1)"),
        ),
        "keras": Code(
            function=_tempered(f"keras.activations.{fn}({{x}}, axis=-1)", f"keras's {fn}"),
            layer=_untempered(f"keras.layers.{layer}(axis=-1)") if keras_layer else "",
            dense=((plain, fn),),
        ),
        "keras2": Code(
            function=_tempered(f"tf_keras.activations.{fn}({{x}}, axis=-1)", f"tf_keras's {fn}"),
            layer=_untempered(f"tf_keras.layers.{layer}(axis=-1)"),
            dense=((plain, fn),),
        ),
        "tf": Code(function=_tempered(f"tf.nn.{fn}({{x}}, axis=-1)", f"tf.nn.{fn}")),
        "jax": Code(function=_tempered(f"jax.nn.{fn}({{x}}, axis=-1)", f"jax.nn.{fn}")),
    }
    if not keras_layer:
        del code["keras2"]
    return code


def _temperature() -> tuple[Param, ...]:
    return (
        positive(
            "temperature", 1.0, "divides the logits: > 1 flattens, < 1 sharpens", ("t", "tau")
        ),
        choice(
            "inf_policy",
            "nan",
            ("nan", "limit"),
            "rows with +inf or only −inf: NaN (as the frameworks) or the mathematical limit",
        ),
    )


# ---------------------------------------------------------------------------------- softmax family


class _Softmax(NamedTuple):
    p: Array  # softmax (empty unless asked for)
    logp: Array  # log_softmax (empty unless asked for)
    q: Array  # 1 − p, computed without cancelling where p ≈ 1 (empty unless asked for)


_NONE: Array = np.empty(0)


def _softmax_core(z: Array, temperature: float, inf_policy: str, parts: str) -> _Softmax:
    """softmax, log_softmax and 1 − softmax along the last axis, special rows resolved;
    ``parts`` says which ("p", "logp", "q"; q needs p), the others are left empty.

    Accuracy (issue 19): a few ULP per entry at any temperature and row length.

    * q = (x − max)/T is carried as a double-double (qh + ql): the difference by two_sum, the
      quotient's remainder by Dekker's product. Rounding q (or x − max alone, at T = 1) costs
      up to |q|·u relative in e^q, hundreds of ULP for logits a few hundred apart (750 at
      T = 0.7, 500 at T = 1 measured); instead e^q = e^qh·(1 + ql).
    * After the shift the maximum's term is exactly 1, so Σ e = 1 + rest with rest the sum of
      the others, taken as a compensated (double-double) sum (:func:`numerics.sum_dd`)
      instead of np.sum's log₂(n) roundings.
    * log_softmax = q − log1p(rest): q ≤ 0 and log1p(rest) ≥ 0, so nothing cancels; at the
      maximum 1 − p = rest/(1 + rest) stays exact when p rounds to 1 (p′ = p(1 − p) ≈ 8.5e−18
      at a logit gap of 40, where 1 − p and p − p² give 0). Elsewhere p ≤ 1/2.
    """
    x = z
    m = np.max(z, axis=-1, keepdims=True)  # NaN for a row with NaN: every special row shows
    special = ~np.isfinite(m)
    if special.any():  # such rows are computed as zeros, then overwritten
        z = np.where(special, 0.0, z)
    qh, ql = _shifted(z, np.where(special, 0.0, m), float(temperature))
    e = el.exp(qh)
    e += e * ql
    top = np.argmax(z, axis=-1)[..., None]
    others = e.copy()
    np.put_along_axis(others, top, 0.0, axis=-1)
    rh, rl = nx.sum_dd(others)
    rh, rl = rh[..., None], rl[..., None]
    th, tl = two_sum(np.ones_like(rh), rh)  # 1 + rest as a double-double
    tl += rl
    p = logp = q = _NONE
    if "p" in parts or "q" in parts:
        p = e / th
        p -= p * (tl / th)
    if "logp" in parts:
        logp = qh - el.log1p(rh)
        logp += ql - rl / th
    if "q" in parts:
        q = 1.0 - p
        np.put_along_axis(q, top, (rh + (rl - (rh / th) * tl)) / th, axis=-1)
    if special.any():
        p, logp, q = _special_rows(x, m, special, inf_policy, p, logp, q)
    return _Softmax(p, logp, q)


def _special_rows(
    z: Array, m: Array, special: Mask, inf_policy: str, p: Array, logp: Array, q: Array
) -> tuple[Array, Array, Array]:
    """(p, logp, q) with the rows holding NaN, +inf or only −inf set (m: their maxima)."""
    nan_row, pos_row = np.isnan(m), m == np.inf  # the others: m = −inf, all −inf
    if inf_policy == "limit":
        pos = np.isposinf(z)
        n = z.shape[-1]
        k = np.maximum(pos.sum(axis=-1, keepdims=True), 1)
        p_lim = np.where(pos_row, np.where(pos, 1.0 / k, 0.0), 1.0 / n)
        if p.size:
            p = np.where(special, p_lim, p)
        if logp.size:
            logp_lim = np.where(pos_row, np.where(pos, -el.log(k), -np.inf), -el.log(n))
            logp = np.where(special, logp_lim, logp)
        if q.size:
            q = np.where(special, 1.0 - p_lim, q)  # exact fractions: nothing to cancel
        bad = nan_row
    else:
        bad = special
    return tuple(a if not a.size else np.where(bad, np.nan, a) for a in (p, logp, q))  # type: ignore[return-value]


# Below q = −1000, e^q is 0 in double precision: no need to carry such q as a double-double.
_DEAD = -1000.0


def _shifted(z: Array, m: Array, temperature: float) -> tuple[Array, Array]:
    """(z − m)/T as a double-double (qh, ql), for z ≤ m (−inf allowed). Entries with q below
    −1000 (whose exponential is 0) get ql = 0 and qh = fl(fl(z − m)/T), −inf where that
    overflows, as log_softmax's exact value then does."""
    floor = _DEAD * temperature
    with np.errstate(over="ignore"):  # z − m beyond −1.8e308: dead, handled below
        all_live = bool((np.min(z, axis=-1, keepdims=True) - m > floor).all())
        d = None if all_live else z - m
    live = None if d is None else d > floor
    dh, dl = two_sum(z if live is None else np.where(live, z, m), -m)  # exact: live is finite
    if temperature != 1.0:
        dh, dl = nx.div_dd(dh, dl, temperature)
    if d is None or live is None:
        return dh, dl
    with np.errstate(over="ignore"):  # q itself beyond −1.8e308: −inf, correctly rounded
        return np.where(live, dh, d / temperature), np.where(live, dl, 0.0)


def _softmax_jacobian(s: _Softmax, temperature: float) -> Array:
    """(diag(p ⊙ q) − p pᵀ off the diagonal)/T for each row, q = 1 − p.

    T < 1 scales p first, so that a product that is subnormal only before the scaling keeps
    its digits (T beyond 1e−300: p/T cannot overflow)."""
    early = 1e-300 < temperature < 1.0
    pt = s.p / temperature if early else s.p
    jac = -pt[..., :, None] * s.p[..., None, :]
    idx = np.arange(s.p.shape[-1])
    jac[..., idx, idx] = pt * s.q
    out: Array = jac if early else jac / temperature
    return out


def _log_softmax_jacobian(s: _Softmax, temperature: float) -> Array:
    """(I − 1 pᵀ)/T, with the diagonal 1 − p_i taken from q."""
    jac = -np.broadcast_to(s.p[..., None, :], (*s.p.shape, s.p.shape[-1])).copy()
    idx = np.arange(s.p.shape[-1])
    jac[..., idx, idx] = s.q
    out: Array = jac / temperature
    return out


@vector(
    family="vector",
    uses="multi-class classification output (one of n classes): turns the last layer's n logits into probabilities that sum to 1, trained with cross-entropy; also attention weights",
    formula="softmax(x)_i = e^(x_i/T) / Σ_j e^(x_j/T)",
    latex=r"\frac{e^{x_i / T}}{\sum_j e^{x_j / T}}",
    derivative="∂p_i/∂x_j = (p_i δ_ij − p_i p_j)/T",
    range="the open probability simplex",
    reference=f"Bridle 1990, Probabilistic interpretation of feedforward network outputs; {TORCH_SOFTMAX}",
    jacobian=lambda x, temperature, inf_policy: _softmax_jacobian(
        _softmax_core(x, temperature, inf_policy, "pq"), temperature
    ),
    params=_temperature(),
    code=_softmax_code("softmax", "Softmax", keras_layer=True),
)
def softmax(x: Array, temperature: float, inf_policy: str) -> Array:
    """Softmax: turns a vector of logits into probabilities (multi-class outputs, attention).

    Examples:
        >>> softmax(np.array([0.0, 0.0, 0.0, 0.0]), temperature=1.0, inf_policy='nan').tolist()
        [0.25, 0.25, 0.25, 0.25]
    """
    return _softmax_core(x, temperature, inf_policy, "p").p


@vector(
    family="vector",
    uses="multi-class classification output, as log-probabilities: paired with the negative log-likelihood loss, it is cross-entropy without ever forming a softmax that underflowed to 0",
    formula="log_softmax(x)_i = x_i/T − log Σ_j e^(x_j/T)",
    latex=r"\frac{x_i}{T} - \log \sum_j e^{x_j / T}",
    derivative="∂y_i/∂x_j = (δ_ij − p_j)/T",
    range="(−∞, 0]^n",
    reference="torch.nn.functional.log_softmax; jax.nn.log_softmax",
    jacobian=lambda x, temperature, inf_policy: _log_softmax_jacobian(
        _softmax_core(x, temperature, inf_policy, "pq"), temperature
    ),
    params=_temperature(),
    aliases=("logsoftmax",),
    code=_softmax_code("log_softmax", "LogSoftmax", keras_layer=False),
)
def log_softmax(x: Array, temperature: float, inf_policy: str) -> Array:
    """Log-softmax, computed stably (never log of a softmax that underflowed to 0).

    Examples:
        >>> round(float(log_softmax(np.array([0.0, 0.0]), temperature=1.0, inf_policy='nan')[0]), 6)
        -0.693147
    """
    return _softmax_core(x, temperature, inf_policy, "logp").logp


@vector(
    family="vector",
    uses="weighting where the smallest input should get the most weight (soft minimum)",
    formula="softmin(x) = softmax(−x)",
    latex=r"\frac{e^{-x_i / T}}{\sum_j e^{-x_j / T}}",
    derivative="∂q_i/∂x_j = −(q_i δ_ij − q_i q_j)/T",
    range="the open probability simplex",
    reference="torch.nn.functional.softmin",
    jacobian=lambda x, temperature, inf_policy: (
        -_softmax_jacobian(_softmax_core(-x, temperature, inf_policy, "pq"), temperature)
    ),
    params=_temperature(),
    code={
        "torch": Code(
            function=_tempered("F.softmin({x}, dim=-1)", "F.softmin"),
            layer=_untempered("torch.nn.Softmin(dim=-1)"),
        ),
        "keras": Code(
            function=_tempered(
                "keras.activations.softmax(-{x}, axis=-1)",
                "keras's softmax",
                "keras has no softmin: softmax of −x",
            )
        ),
        "jax": Code(
            function=_tempered(
                "jax.nn.softmax(-{x}, axis=-1)",
                "jax.nn.softmax",
                "jax.nn has no softmin: softmax of −x",
            )
        ),
    },
)
def softmin(x: Array, temperature: float, inf_policy: str) -> Array:
    """Softmin: softmax of the negated input; the smallest entry gets the most weight.

    Examples:
        >>> softmin(np.array([0.0, 0.0]), temperature=1.0, inf_policy='nan').tolist()
        [0.5, 0.5]
    """
    return _softmax_core(-x, temperature, inf_policy, "p").p


# ---------------------------------------------------------------------------------- sparsemax


def _top_sum(xs: Array, k: NDArray[np.intp]) -> tuple[Array, Array]:
    """Σ of the first k entries of each row of ``xs``, as a double-double (hi, lo).

    Short rows are summed column by column with Knuth's two_sum, vectorised over the rows;
    a few long rows are summed exactly, row by row, by math.fsum (whichever loop is shorter).
    """
    rows, width = xs.shape
    if rows >= width:
        hi, lo = np.zeros(rows), np.zeros(rows)
        prefix_hi, prefix_lo = np.empty_like(xs), np.empty_like(xs)
        for col in range(width):
            hi, err = nx.two_sum(hi, xs[:, col])
            lo = lo + err
            prefix_hi[:, col], prefix_lo[:, col] = hi, lo
        at = k[:, None] - 1
        return np.take_along_axis(prefix_hi, at, 1)[:, 0], np.take_along_axis(prefix_lo, at, 1)[
            :, 0
        ]
    tops = [row[:n].tolist() for row, n in zip(xs, k, strict=True)]
    sums = np.array([math.fsum(top) for top in tops])
    rest = np.array([math.fsum([*top, -total]) for top, total in zip(tops, sums, strict=True)])
    return sums, rest


def _tau(xs: Array, k: NDArray[np.intp]) -> tuple[Array, Array]:
    """τ = (Σ of the k largest − 1)/k per row of the descending ``xs``, as a double-double."""
    shape = (*xs.shape[:-1], 1)
    flat_k = k.reshape(-1)
    s_hi, s_lo = _top_sum(xs.reshape(-1, xs.shape[-1]), flat_k)
    n_hi, n_lo = nx.dd_add(s_hi, s_lo, np.full_like(s_hi, -1.0), np.zeros_like(s_hi))
    count = flat_k.astype(np.float64)
    t_hi = n_hi / count
    p_hi, p_lo = nx.two_prod(t_hi, count)  # t_hi·k exactly: the division's remainder follows
    t_lo = (((n_hi - p_hi) - p_lo) + n_lo) / count
    return t_hi.reshape(shape), t_lo.reshape(shape)


def _sparsemax_core(x: Array) -> tuple[Array, Array]:
    """(p, support) of the Euclidean projection onto the simplex; NaN rows for NaN or +inf."""
    bad = (np.isnan(x) | np.isposinf(x)).any(axis=-1, keepdims=True)
    dead = np.isneginf(x).all(axis=-1, keepdims=True)
    finite = np.isfinite(x)
    floor = np.min(np.where(finite, x, np.inf), axis=-1, keepdims=True)
    floor = np.where(np.isfinite(floor), floor, 0.0)
    # −inf can never be in the support (τ ≥ max − 1): any value below min − 1 behaves the same.
    xf = np.where(finite, x, floor - 2.0)
    z = xf - np.max(xf, axis=-1, keepdims=True)  # shift-invariant: keeps 1 + j·z meaningful
    zs = -np.sort(-z, axis=-1)
    cs = np.cumsum(zs, axis=-1)
    j = np.arange(1, z.shape[-1] + 1)
    k = np.maximum(np.sum(1.0 + j * zs > cs, axis=-1, keepdims=True), 1)
    # p = x − τ cancels near the threshold, so τ = (Σ of the k largest − 1)/k is taken in
    # double-double from x itself, and x − τ_hi is exact there (Sterbenz)
    tau_hi, tau_lo = _tau(-np.sort(-xf, axis=-1), k)
    p = np.maximum((xf - tau_hi) - tau_lo, 0.0)
    bad = bad | dead
    return np.where(bad, np.nan, p), np.where(bad, np.nan, (p > 0).astype(np.float64))


def _sparsemax_jacobian(x: Array) -> Array:
    _, s = _sparsemax_core(x)
    size = np.sum(s, axis=-1, keepdims=True)[..., None]
    jac: Array = nx.diag_embed(s) - s[..., :, None] * s[..., None, :] / size
    return jac


@vector(
    family="vector",
    uses="multi-class output or attention where exact zeros are wanted: a sparse alternative to softmax",
    formula="sparsemax(x) = argmin_{p ∈ simplex} ‖p − x‖² = max(x − τ, 0), Σ p = 1",
    latex=r"\max(x_i - \tau(x), 0)",
    derivative="J = diag(s) − s sᵀ/|S|, s = 1[p > 0]",
    range="the closed probability simplex (exact zeros)",
    reference="Martins & Astudillo 2016, From softmax to sparsemax, arXiv:1602.02068",
    jacobian=_sparsemax_jacobian,
    code={
        "keras": Code(function="keras.activations.sparsemax(x, axis=-1)", dense="sparsemax"),
    },
)
def sparsemax(x: Array) -> Array:
    """Sparsemax: like softmax, but projects onto the simplex, so small logits get exactly 0.

    Examples:
        >>> sparsemax(np.array([0.0, 1.0, 3.0])).tolist()
        [0.0, 0.0, 1.0]
    """
    return _sparsemax_core(x)[0]


# ---------------------------------------------------------------------------------- gated


def _halves(x: Array, name: str) -> tuple[Array, Array]:
    n = x.shape[-1]
    if n % 2:
        raise InvalidParameterError(
            f"{name} splits each row into two halves and needs an even length, got {n}"
        )
    return x[..., : n // 2], x[..., n // 2 :]


def _gated_jacobian(da: Array, db: Array) -> Array:
    """[diag(∂y/∂a), diag(∂y/∂b)] for y = g(a, b) acting elementwise on the halves."""
    return np.concatenate([nx.diag_embed(da), nx.diag_embed(db)], axis=-1)


def _gated(x: Array, name: str, inner: str, gate_first: bool) -> tuple[Array, Array, Array]:
    """(y, ∂y/∂a, ∂y/∂b) of a gated unit; the inner activation acts on the gating half."""
    a, b = _halves(x, name)
    act = get(inner)
    gate, value = (a, b) if gate_first else (b, a)
    f, df = act(gate), act.derivative(gate)
    # inf·0 from an infinite value half against a closed gate is indeterminate: NaN, by design.
    with np.errstate(invalid="ignore"):
        y = value * f
        d_gate = value * df
    return (y, d_gate, f) if gate_first else (y, f, d_gate)


GLU_REF = (
    "Dauphin et al. 2017, Language modeling with gated convolutional networks, arXiv:1612.08083"
)
SHAZEER = "Shazeer 2020, GLU variants improve transformer, arXiv:2002.05202"


@vector(
    family="gated",
    uses="hidden layers (gated convolutional and feed-forward blocks): one half gates the other",
    formula="glu([a, b]) = a ⊙ σ(b)   (second half gates, as torch/keras/jax)",
    latex=r"a \odot \sigma(b)",
    derivative="∂y/∂a = diag(σ(b)), ∂y/∂b = diag(a ⊙ σ′(b))",
    range="ℝ^m for 2m inputs",
    reference=GLU_REF,
    jacobian=lambda x: _gated_jacobian(*_gated(x, "glu", "sigmoid", gate_first=False)[1:]),
    code={
        "torch": Code(function="F.glu(x, dim=-1)", layer="torch.nn.GLU(dim=-1)"),
        "keras": Code(function="keras.activations.glu(x, axis=-1)"),
        "jax": Code(function="jax.nn.glu(x, axis=-1)"),
    },
)
def glu(x: Array) -> Array:
    """Gated linear unit: the first half of the row, gated by the sigmoid of the second half.

    Examples:
        >>> glu(np.array([[2.0, -4.0, 0.0, 0.0]])).tolist()
        [[1.0, -2.0]]
    """
    return _gated(x, "glu", "sigmoid", gate_first=False)[0]


def _register_shazeer(
    name: str, inner: str, title: str, uses: str, example: tuple[str, str]
) -> Callable[..., Array]:
    """Register one of Shazeer's gated units; ``example`` is a doctest (call, output)."""

    def fn(x: Array) -> Array:
        return _gated(x, name, inner, gate_first=True)[0]

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"{title}: {inner}(a) ⊙ b, the first half gated (Shazeer's convention, not torch glu's)."
        f"\n\nExamples:\n    >>> {example[0]}\n    {example[1]}\n"
    )
    return vector(
        family="gated",
        uses=uses,
        formula=f"{name}([a, b]) = {inner}(a) ⊙ b   (first half gated, Shazeer 2020)",
        latex=rf"\operatorname{{{inner}}}(a) \odot b",
        derivative=f"∂y/∂a = diag({inner}′(a) ⊙ b), ∂y/∂b = diag({inner}(a))",
        range="ℝ^m for 2m inputs",
        reference=SHAZEER,
        jacobian=lambda x: _gated_jacobian(*_gated(x, name, inner, gate_first=True)[1:]),
    )(fn)


reglu = _register_shazeer(
    "reglu",
    "relu",
    "ReGLU",
    "transformer feed-forward (hidden) layers: a ReLU-gated linear unit",
    ("reglu(np.array([-2.0, 3.0, 5.0, 7.0])).tolist()", "[0.0, 21.0]"),
)
geglu = _register_shazeer(
    "geglu",
    "gelu",
    "GEGLU",
    "transformer feed-forward (hidden) layers: a GELU-gated linear unit",
    ("round(float(geglu(np.array([1.0, 2.0]))[0]), 6)", "1.682689"),
)
swiglu = _register_shazeer(
    "swiglu",
    "silu",
    "SwiGLU",
    "transformer feed-forward (hidden) layers of LLaMA-style models: a SiLU-gated unit",
    ("round(float(swiglu(np.array([1.0, 2.0]))[0]), 6)", "1.462117"),
)
bilinear = _register_shazeer(
    "bilinear",
    "identity",
    "Bilinear GLU",
    "transformer feed-forward (hidden) layers: a gated unit without a non-linearity",
    ("bilinear(np.array([2.0, 3.0])).tolist()", "[6.0]"),
)


# ---------------------------------------------------------------------------------- normalisers


def _clean_rows(x: Array) -> tuple[Array, Mask]:
    """(x with non-finite entries zeroed, mask of rows that held any)."""
    bad: Mask = np.asarray((~np.isfinite(x)).any(axis=-1, keepdims=True))
    clean: Array = np.where(np.isfinite(x), x, 0.0)
    return clean, bad


class _Standardized(NamedTuple):
    """A row's deviations d = x − mean in units of 2^K, as a double-double r + rl (the
    largest |r| in [0.5, 1)), their mean square V = (Vh + Vl) in those units, and what
    follows: y, root = s·2^−K (or s itself where ε swamps the variance: ``swamped``) and
    frac = ε/s². ``bad`` marks rows with no value (a non-finite entry, or s = 0)."""

    y: Array
    r: Array
    rl: Array
    v: Array
    root: Array
    k: NDArray[np.intc]
    frac: Array
    swamped: Mask
    bad: Mask


def _standardize_parts(x: Array, epsilon: float) -> _Standardized:
    """y = (x − mean)/s, s = √(var + ε), to a few ULP per entry over the whole double range.

    The row is scaled by a power of two (exact) so that its largest entry is below 1, summed
    as a double-double (:func:`numerics.sum_dd`), and the mean subtracted in double-double:
    an entry close to the mean keeps its digits (plain centring left 53 ULP, 269 with an
    offset of 3). The deviations are scaled by a power of two again and their squares summed
    exactly as well; ε joins the variance in those units unless it swamps it (by 2¹⁰⁰⁰), where
    s = √ε. No intermediate overflows or underflows where the result does not.
    """
    z, bad = _clean_rows(x)
    n = z.shape[-1]
    kz = np.frexp(np.max(np.abs(z), axis=-1, keepdims=True))[1]
    zs = np.ldexp(z, -kz)
    sh, sl = nx.sum_dd(zs)
    mh, ml = nx.div_dd(sh[..., None], sl[..., None], float(n))
    a, b = two_sum(zs, -mh)
    dh, dl = two_sum(a, b - ml)
    kd = np.frexp(np.max(np.abs(dh), axis=-1, keepdims=True))[1]
    r, rl = np.ldexp(dh, -kd), np.ldexp(dl, -kd)
    sq, sq_err = nx.two_square(r)
    qh, ql = nx.sum_dd(sq)
    ql = ql + np.sum(sq_err + 2.0 * r * rl, axis=-1)
    vh, vl = nx.div_dd(qh[..., None], ql[..., None], float(n))
    k = kz + kd
    if epsilon > 0:
        k_eps = math.frexp(epsilon)[1]
        swamped = (k_eps - 2 * k > 1000) | (vh == 0)  # vh = 0: a constant row, s = √ε
        term = np.ldexp(epsilon, np.minimum(-2 * k, 1000 - k_eps))  # ε·2^−2K, capped
        total = (vh + term) + vl
        total = np.where(swamped, 1.0, total)
        root = np.where(swamped, math.sqrt(epsilon), np.sqrt(total))
        frac = np.where(swamped, 1.0, term / total)
        with np.errstate(over="ignore"):  # 2^K beyond the range: the branch not taken
            y = np.where(swamped, (np.ldexp(r, k) + np.ldexp(rl, k)) / root, r / root + rl / root)
    else:
        swamped = np.zeros(k.shape, dtype=bool)
        root, frac = np.sqrt(vh + vl), np.zeros(vh.shape)
        bad = bad | (root == 0)
        root = np.where(root == 0, 1.0, root)
        y = r / root + rl / root
    y = np.where(bad, np.nan, y)
    return _Standardized(y, r, rl, vh + vl, root, k, frac, swamped, bad)


def _standardize_jacobian(x: Array, epsilon: float) -> Array:
    """(I − 11ᵀ/n − y yᵀ/n)/s, without cancellation.

    With Q = Σ d² (d = x − mean), I − 11ᵀ/n − y yᵀ/n = P0 + (ε/s²)·d dᵀ/Q, where P0 is the
    projector onto the complement of span(1, d) (orthogonal to the second term). In P0 the
    difference 1 − 1/n − y_i²/n cancels for an outlier (all of it for n = 2, where the whole
    Jacobian is ε/(2s³)·[[1, −1], [−1, 1]]); in terms of the others' deviations
    g_ij = x_j − mean of the others (j ≠ i), D_i = x_i − that mean, Q'_i = Σ_j g_ij²,
    it is exactly
        nQ·(P0)_ii = (n − 1)·Q'_i,    nQ·(P0)_ij = −(Q'_i + (n − 1)·D_i·g_ij),
    where only isolated entries can cancel, never a whole row. The mean of the others is taken
    in double-double from the deviations (−d_i/(n − 1)).
    """
    st = _standardize_parts(x, epsilon)
    n = x.shape[-1]
    if n == 1:
        return np.where(st.bad[..., None], np.nan, np.zeros((*x.shape, 1)))
    q_all = n * st.v  # Σ d², in the units of r
    # μ'_i = −d_i/(n − 1) in double-double; g_ij = d_j − μ'_i
    mh, ml = nx.div_dd(-st.r, -st.rl, float(n - 1))
    gh, ge = two_sum(st.r[..., None, :], -mh[..., :, None])
    g = gh + (ge + (st.rl[..., None, :] - ml[..., :, None]))
    idx = np.arange(n)
    lead = g[..., idx, idx]  # D_i
    g[..., idx, idx] = 0.0
    q_other = np.sum(g * g, axis=-1)  # Q'_i
    p0 = -(q_other[..., :, None] + (n - 1) * lead[..., :, None] * g)
    p0[..., idx, idx] = (n - 1) * q_other
    if n == 2:  # the complement of span(1, d) in ℝ² is {0}: no rounding may say otherwise
        p0[...] = 0.0
    flat = q_all == 0  # a constant row: d = 0, P = I − 11ᵀ/n
    q_safe = np.where(flat, 1.0, q_all)
    p0 = np.where(flat[..., None], np.eye(n) - 1.0 / n, p0 / (n * q_safe[..., None]))
    coef = (st.frac / q_safe)[..., None]  # ε/(s²Q) in the units of r (0 for a constant row)
    p = p0 + (coef * st.r[..., :, None]) * st.r[..., None, :]
    with np.errstate(over="ignore"):  # 1/s beyond the range: J is
        jac = np.where(
            st.swamped[..., None],
            p / st.root[..., None],
            np.ldexp(p / st.root[..., None], -st.k[..., None]),
        )
    return np.where(st.bad[..., None], np.nan, jac)


@vector(
    family="normaliser",
    uses="between layers: zero mean and unit variance per row (layer normalisation without its learned scale and shift)",
    formula="standardize(x) = (x − mean(x))/√(var(x) + epsilon)",
    latex=r"\frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}",
    derivative="∂y_i/∂x_j = (δ_ij − 1/n)/s − (x_i − μ)(x_j − μ)/(n s³), s = √(var + ε)",
    range="ℝ^n with mean 0",
    reference="jax.nn.standardize (algorithm='stable': two-pass variance)",
    jacobian=_standardize_jacobian,
    params=(nonnegative("epsilon", 1e-5, "added to the variance", ("eps",)),),
    code={
        "jax": Code(function="jax.nn.standardize(x, axis=-1, epsilon={epsilon})"),
    },
)
def standardize(x: Array, epsilon: float) -> Array:
    """Standardize a row to zero mean and unit variance (layer normalisation without affine).

    Examples:
        >>> standardize(np.array([1.0, 3.0]), epsilon=0.0).tolist()
        [-1.0, 1.0]
    """
    return _standardize_parts(x, epsilon).y


class _Norm(NamedTuple):
    """A row scaled by 2^−k (k: its largest entry's exponent, so the scaled entries are below
    1), the sum W of the p-th powers w of its scaled magnitudes (1 for a zero row), the sums
    of the others' rest_i = W − w_i (no cancellation), and its scaled norm ns (‖x‖ = ns·2^k).
    ``floor``: rows where eps is the divisor; ``bad``: rows with no value."""

    z: Array
    zs: Array
    k: NDArray[np.intc]
    wh: Array
    rest: Array
    ns: Array
    floor: Mask
    bad: Mask


def _norm_parts(x: Array, p: float, eps: float) -> _Norm:
    """The p-norm of each row to about 1 ULP: scaled by a power of two (exact, no overflow
    in |x|^p), squares split exactly for p = 2, powers summed as a double-double."""
    z, bad = _clean_rows(x)
    a = np.abs(z)
    k = np.frexp(np.max(a, axis=-1, keepdims=True))[1]
    zs, s = np.ldexp(z, -k), np.ldexp(a, -k)
    if p == 2.0:
        w, w_err = nx.two_square(s)
    else:
        w, w_err = (s if p == 1.0 else el.power(s, p)), np.zeros_like(s)
    wh, wl = nx.sum_dd(w)
    wh, wl = wh[..., None], wl[..., None] + np.sum(w_err, axis=-1, keepdims=True)
    top = np.argmax(a, axis=-1)[..., None]
    others = w.copy()
    np.put_along_axis(others, top, 0.0, axis=-1)
    oh, ol = nx.sum_dd(others)
    rest = (wh - w) + (wl - w_err)  # w_i ≤ W/2 but at the largest entry
    np.put_along_axis(rest, top, (oh + ol)[..., None], axis=-1)
    total = wh + wl
    if p == 1.0:
        ns = total
    elif p == 2.0:
        root = np.sqrt(wh)
        ns = root + wl / (2.0 * np.where(root > 0, root, 1.0))
    else:
        root = el.power(wh, 1.0 / p)
        ns = root + root * (wl / (p * np.where(wh > 0, wh, 1.0)))
    with np.errstate(over="ignore"):  # eps far above the row: the floor is active
        floor = ns <= np.ldexp(eps, -k)
    bad = bad | (floor & (eps == 0))
    total = np.where(total > 0, total, 1.0)  # a zero row: the floor (or NaN) decides
    return _Norm(z, zs, k, total, rest, np.where(ns > 0, ns, 1.0), floor, bad)


def _normalize_jacobian(x: Array, p: float, eps: float) -> Array:
    """(I − y gᵀ)/‖x‖ with g = ∂‖x‖/∂x = sign(x)(|x|/‖x‖)^(p−1), and I/eps where the floor
    is active. The diagonal 1 − y_i g_i = 1 − |x_i|^p/‖x‖^p cancels for a dominant entry
    (it came out 0): it is taken as (Σ_{j≠i} |x_j|^p)/‖x‖^p instead."""
    nm = _norm_parts(x, p, eps)
    n = x.shape[-1]
    y = nm.zs / nm.ns
    ratio = np.abs(nm.zs) / nm.ns
    grad = np.sign(nm.z) * (ratio if p == 2.0 else el.power(ratio, p - 1.0))
    jac = -y[..., :, None] * grad[..., None, :]
    idx = np.arange(n)
    jac[..., idx, idx] = nm.rest / nm.wh
    with np.errstate(over="ignore"):  # 1/‖x‖ beyond the range: J is too
        jac = np.ldexp(jac / nm.ns[..., None], -nm.k[..., None])
    div = eps if eps > 0 else 1.0
    jac = np.where(nm.floor[..., None], np.eye(n) / div, jac)
    return np.where(nm.bad[..., None], np.nan, jac)


@vector(
    family="normaliser",
    uses="between layers: rescales each row to unit p-norm (embeddings, cosine similarity)",
    formula="normalize(x) = x / max(‖x‖_p, eps)",
    latex=r"\frac{x}{\max(\|x\|_p, \epsilon)}",
    derivative="p = 2: ∂y/∂x = (I − y yᵀ)/‖x‖ (and I/eps where the floor is active)",
    range="the unit p-sphere (or inside it, for tiny inputs)",
    reference="torch.nn.functional.normalize (p=2, eps=1e-12); keras.ops.normalize",
    jacobian=_normalize_jacobian,
    params=(
        positive("p", 2.0, "the norm's exponent (>= 1)", ("order", "ord")),
        nonnegative("eps", 1e-12, "floor of the divisor (torch 1e-12, keras 1e-7)", ("epsilon",)),
    ),
    check=lambda p, eps: None if p >= 1 else "p must be >= 1",
    aliases=("l2_normalize", "lp_normalize"),
    code={
        "torch": Code(function="F.normalize(x, p={p}, dim=-1, eps={eps})"),
        "keras": Code(function="keras.ops.normalize(x, axis=-1, order={p|int}, epsilon={eps})"),
        "tf": Code(
            function=(
                (
                    "p=2",
                    "tf.math.l2_normalize(x, axis=-1, epsilon={eps|square})"
                    "  # tf floors Σx² at epsilon, actcli the norm at eps: epsilon = eps²",
                ),
            )
        ),
    },
)
def normalize(x: Array, p: float, eps: float) -> Array:
    """Lp-normalise a row: divide by its p-norm (floored at eps).

    Examples:
        >>> normalize(np.array([3.0, 4.0]), p=2.0, eps=1e-12).tolist()
        [0.6, 0.8]
    """
    nm = _norm_parts(x, p, eps)
    y = np.where(nm.floor, nm.z / (eps if eps > 0 else 1.0), nm.zs / nm.ns)
    y = np.where(nm.bad, np.nan, y)
    # A row holding ±inf (and no NaN) has the norm inf: every framework's x/‖x‖ then gives
    # its finite entries ±0 and its infinite ones inf/inf = NaN (recorded); so does actcli.
    infinite = np.isinf(x).any(axis=-1, keepdims=True) & ~np.isnan(x).any(axis=-1, keepdims=True)
    return np.where(infinite, np.where(np.isinf(x), np.nan, np.copysign(0.0, x)), y)
