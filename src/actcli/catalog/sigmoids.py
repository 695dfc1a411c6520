"""Saturating activations: the logistic sigmoid, tanh, their hard (piecewise) versions, softsign.

Derivatives are never formed from the output as y(1 − y) or 1 − y²: those cancel to 0 long before
the true value underflows (sigmoid′ at x ≳ 36.7, tanh′ at |x| ≳ 19). See ``numerics``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli import elementary as el
from actcli import numerics as nx
from actcli.catalog.records import (
    REALS,
    RELU_LIKE,
    Bound,
    Code,
    Kink,
    closed,
    positive,
    real,
    span,
    sym_sigmoid,
    sym_softplus,
)
from actcli.catalog.registry import elementwise

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Array = NDArray[np.float64]

INF = math.inf
SIGMOID_LIKE = ((0.0, 1.0), (0.0, 0.0), (0.0, 0.0))


def _zero(x: Array, **_: object) -> Array:
    return np.zeros_like(x)


# ---------------------------------------------------------------------------------- logistic


# Comments of the equivalents where a framework's function has fixed parameters.
def _clip_note(fn: str, fixed: str) -> str:
    return f"  # {fn} has {fixed}: clip"


@elementwise(
    family="sigmoid",
    formula="sigmoid(x) = 1/(1 + e^(−x))",
    latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    derivative="sigmoid′(x) = σ(x)·σ(−x)",
    sympy=lambda sp, x, p: sym_sigmoid(sp, x),
    image=span(0.0, 1.0),
    uses=(
        "binary-classification output (one unit: the probability of the positive class, "
        "trained with binary cross-entropy); gates of LSTM/GRU cells; avoid in deep hidden "
        "layers: it saturates on both sides, so gradients vanish"
    ),
    reference="Verhulst's logistic function; Rumelhart, Hinton & Williams 1986",
    d1=lambda x: nx.sigmoid_prime(x),
    d2=lambda x: -nx.sigmoid_prime(x) * el.tanh(0.5 * x),
    limits=SIGMOID_LIKE,
    aliases=("logistic", "expit"),
    code={
        "torch": Code(function="torch.sigmoid(x)", layer="torch.nn.Sigmoid()"),
        "keras": Code(function="keras.activations.sigmoid(x)", dense="sigmoid"),
        "keras2": Code(function="tf_keras.activations.sigmoid(x)", dense="sigmoid"),
        "tf": Code(function="tf.nn.sigmoid(x)"),
        "jax": Code(function="jax.nn.sigmoid(x)"),
    },
)
def sigmoid(x: Array) -> Array:
    """Logistic sigmoid: squashes to (0, 1); binary outputs and gates. Saturates, so gradients vanish.

    Examples:
        >>> sigmoid(np.array([0.0])).tolist()
        [0.5]
    """
    return nx.sigmoid(x)


@elementwise(
    family="sigmoid",
    formula="log_sigmoid(x) = log σ(x) = −softplus(−x)",
    latex=r"\log \sigma(x) = -\log(1 + e^{-x})",
    derivative="log_sigmoid′(x) = σ(−x)",
    sympy=lambda sp, x, p: -sym_softplus(sp, -x),
    image=span(-INF, 0.0),
    uses=(
        "binary-classification output as a log-probability: the logistic loss from logits, "
        "without forming σ(x)"
    ),
    reference="torch.nn.LogSigmoid; jax.nn.log_sigmoid",
    d1=lambda x: nx.sigmoid(-x),
    d2=lambda x: -nx.sigmoid_prime(x),
    limits=((-INF, 0.0), (1.0, 0.0), (0.0, 0.0)),
    aliases=("logsigmoid",),
    code={
        "torch": Code(function="F.logsigmoid(x)", layer="torch.nn.LogSigmoid()"),
        "keras": Code(function="keras.activations.log_sigmoid(x)", dense="log_sigmoid"),
        "tf": Code(function="tf.math.log_sigmoid(x)"),
        "jax": Code(function="jax.nn.log_sigmoid(x)"),
    },
)
def log_sigmoid(x: Array) -> Array:
    """Log of the sigmoid, computed without forming σ(x) (binary cross-entropy from logits).

    Examples:
        >>> round(float(log_sigmoid(np.array(0.0))), 6)
        -0.693147
    """
    return -nx.softplus(-x)


@elementwise(
    family="sigmoid",
    formula="tanh(x) = (e^x − e^(−x))/(e^x + e^(−x))",
    latex=r"\tanh(x)",
    derivative="tanh′(x) = 1 − tanh²(x) = 4σ(2x)σ(−2x)",
    sympy=lambda sp, x, p: sp.tanh(x),
    image=span(-1.0, 1.0),
    uses=(
        "hidden layers of recurrent networks (RNN, LSTM and GRU cell states) and outputs "
        "bounded in (−1, 1); zero-centred, but it saturates, so deep feed-forward stacks "
        "prefer ReLU"
    ),
    reference="LeCun et al. 1998, Efficient BackProp",
    d1=lambda x: nx.tanh_prime(x),
    d2=lambda x: -2.0 * el.tanh(x) * nx.tanh_prime(x),
    limits=((-1.0, 1.0), (0.0, 0.0), (0.0, 0.0)),
    code={
        "torch": Code(function="torch.tanh(x)", layer="torch.nn.Tanh()"),
        "keras": Code(function="keras.activations.tanh(x)", dense="tanh"),
        "keras2": Code(function="tf_keras.activations.tanh(x)", dense="tanh"),
        "tf": Code(function="tf.nn.tanh(x)"),
        "jax": Code(function="jnp.tanh(x)"),
    },
)
def tanh(x: Array) -> Array:
    """Hyperbolic tangent: a zero-centred sigmoid with range (−1, 1); RNN cells.

    Examples:
        >>> round(float(tanh(np.array(1.0))), 6)
        0.761594
    """
    return el.tanh(x)


@elementwise(
    family="sigmoid",
    formula="tanh_shrink(x) = x − tanh(x)",
    latex=r"x - \tanh(x)",
    derivative="tanh_shrink′(x) = tanh²(x)",
    sympy=lambda sp, x, p: x - sp.tanh(x),
    image=REALS,
    uses=(
        "rarely used: hidden layers of some signal-processing networks; x − tanh x is nearly 0 "
        "around 0"
    ),
    reference="torch.nn.Tanhshrink; keras.activations.tanh_shrink",
    d1=lambda x: el.tanh(x) ** 2,
    d2=lambda x: 2.0 * el.tanh(x) * nx.tanh_prime(x),
    limits=((-INF, INF), (1.0, 1.0), (0.0, 0.0)),
    aliases=("tanhshrink",),
    code={
        "torch": Code(function="F.tanhshrink(x)", layer="torch.nn.Tanhshrink()"),
        "keras": Code(function="keras.activations.tanh_shrink(x)", dense="tanh_shrink"),
    },
)
def tanh_shrink(x: Array) -> Array:
    """x − tanh x, exact near 0 (≈ x³/3) where the direct difference cancels to nothing.

    Examples:
        >>> round(float(tanh_shrink(np.array(1.0))), 6)
        0.238406
    """
    return nx.tanh_shrink(x)


@elementwise(
    family="sigmoid",
    formula="softsign(x) = x/(1 + |x|)",
    latex=r"\frac{x}{1 + |x|}",
    derivative="softsign′(x) = 1/(1 + |x|)²",
    sympy=lambda sp, x, p: x / (1 + sp.Abs(x)),
    image=span(-1.0, 1.0),
    uses="hidden layers as a tanh substitute that saturates more slowly (polynomial tails)",
    reference="Bergstra et al. 2009, Quadratic polynomials learn better image features",
    d1=lambda x: _softsign_d(x, 1),
    d2=lambda x: _softsign_d(x, 2),
    limits=((-1.0, 1.0), (0.0, 0.0), (0.0, 0.0)),
    aliases=("soft_sign",),
    kinks=lambda: (Kink(0.0, (1.0, 2.0), (1.0, -2.0), "mean"),),
    code={
        "torch": Code(function="F.softsign(x)", layer="torch.nn.Softsign()"),
        "keras": Code(function="keras.activations.softsign(x)", dense="softsign"),
        "keras2": Code(function="tf_keras.activations.softsign(x)", dense="softsign"),
        "tf": Code(function="tf.nn.softsign(x)"),
        "jax": Code(function="jax.nn.soft_sign(x)"),
    },
)
def softsign(x: Array) -> Array:
    """Softsign: a sigmoid-shaped curve with polynomial rather than exponential tails.

    Examples:
        >>> softsign(np.array([-3.0, 0.0, 1.0])).tolist()
        [-0.75, 0.0, 0.5]
    """
    ah, al = _one_plus_abs(x)
    q = x / ah
    return np.where(al == 0, q, q - q * (al / ah))  # x/(ah + al) = (x/ah)·(1 − al/ah); ±0 kept


def _one_plus_abs(x: Array) -> tuple[Array, Array]:
    """1 + |x| as a double-double (the 1 is lost from |x| = 2⁵³ on, and matters there)."""
    return nx.two_sum(np.ones_like(x), np.abs(x))


_SOFTSIGN_SCALE = 600  # 1 + |x| beyond 2^500 is scaled by 2^−600 so that its square stays normal


def _softsign_d(x: Array, order: int) -> Array:
    """1/(1 + |x|)² (order 1) or −2·sign(x)/(1 + |x|)³ (order 2), to an ULP or so: the
    square of a = 1 + |x| is exact (two_square) and scaled for huge |x|, so that results in the
    subnormal range (softsign′(1.35e154) = 5.5e−309) come out right instead of 0."""
    ah, al = _one_plus_abs(x)
    k = np.where(ah > 2.0**500, _SOFTSIGN_SCALE, 0)
    uh, ul = np.ldexp(ah, -k), np.ldexp(al, -k)
    sh, sl = nx.two_square(uh)
    sl = sl + 2.0 * uh * ul
    inv_sq = 1.0 / sh
    d1 = inv_sq - inv_sq * (sl * inv_sq)  # 1/(sh + sl)
    if order == 1:
        return np.asarray(np.ldexp(d1, -2 * k), dtype=np.float64)
    inv = 1.0 / uh
    inv = inv - inv * (ul * inv)
    return np.asarray(-2.0 * np.sign(x) * np.ldexp(d1 * inv, -3 * k), dtype=np.float64)


def _isru_parts(x: Array, alpha: float) -> tuple[nx.Pair, nx.Pair, NDArray[np.bool_]]:
    """(r, s, big) in double-double: r = 1/√(1 + αx²) for |x| ≤ 1; for |x| > 1 (where αx²
    may overflow) r = 1/√(1/x² + α) and s = 1/|x|, so that 1/√(1 + αx²) = r·s there."""
    big = np.abs(x) > 1.0
    a = np.abs(np.where(big, x, 1.0))
    one, zero = np.ones_like(x), np.zeros_like(x)
    sh = 1.0 / a  # 1/|x| with its remainder: a is at most 2¹⁰²⁴, 1/a not subnormal for a < 2¹⁰²²
    ph, pl = nx.two_prod(sh, a)
    sl = ((1.0 - ph) - pl) / a
    sm = np.where(big, 0.0, x)  # |x| ≤ 1: the square of x itself
    th, tl = nx.dd_mul(
        np.where(big, sh, sm),
        np.where(big, sl, zero),
        np.where(big, sh, sm),
        np.where(big, sl, zero),
    )
    kh, kl = nx.two_prod(th, np.where(big, 1.0, alpha))
    kl += tl * np.where(big, 1.0, alpha)
    uh, ul = nx.dd_add(np.where(big, alpha, one), zero, kh, kl)
    return nx.dd_rsqrt(uh, ul), (sh, sl), big


def _isru_d1(x: Array, alpha: float) -> Array:
    """(1 + αx²)^(−3/2) = r³ (times 1/|x|³ beyond |x| = 1), rounded once."""
    (rh, rl), (sh, sl), big = _isru_parts(x, alpha)
    ph, pl = nx.dd_mul(rh, rl, rh, rl)
    ph, pl = nx.dd_mul(ph, pl, rh, rl)
    for _ in range(3):
        qh, ql = nx.dd_mul(ph, pl, sh, sl)
        ph, pl = np.where(big, qh, ph), np.where(big, ql, pl)
    return ph + pl


@elementwise(
    family="sigmoid",
    formula="isru(x) = x/√(1 + alpha·x²)",
    latex=r"\frac{x}{\sqrt{1 + \alpha x^2}}",
    derivative="isru′(x) = (1 + alpha·x²)^(−3/2)",
    sympy=lambda sp, x, p: x / sp.sqrt(1 + p["alpha"] * x**2),
    image=lambda alpha: span(
        Bound(-1 / math.sqrt(alpha), symbol="−1/√alpha"),
        Bound(1 / math.sqrt(alpha), symbol="1/√alpha"),
    ),
    uses="hidden and recurrent layers as a cheap tanh substitute without exponentials",
    reference="Carlile et al. 2017, Improving deep learning by inverse square root linear units, arXiv:1710.09967",
    d1=_isru_d1,
    d2=lambda x, alpha: -3.0 * alpha * (x / (1.0 + alpha * x * x)) * _isru_d1(x, alpha),
    limits=lambda alpha: ((-1 / math.sqrt(alpha), 1 / math.sqrt(alpha)), (0.0, 0.0), (0.0, 0.0)),
    params=(positive("alpha", 1.0, "sets the saturation level 1/√alpha"),),
)
def isru(x: Array, alpha: float) -> Array:
    """Inverse square root unit: a cheap sigmoid-shaped function without exponentials.

    Examples:
        >>> isru(np.array([0.0, 2.0]), alpha=0.75).tolist()
        [0.0, 1.0]
    """
    # x·r for |x| ≤ 1, sign(x)·r beyond (r from the scaled form), rounded once
    (rh, rl), _, big = _isru_parts(x, alpha)
    return nx.times(np.where(big, np.sign(x), x), rh, rl)


# ---------------------------------------------------------------------------------- hard ones


@elementwise(
    family="sigmoid",
    formula="hard_tanh(x) = min(max(x, min_val), max_val)",
    latex=r"\operatorname{clip}(x, a, b)",
    derivative="hard_tanh′(x) = 1 if min_val < x < max_val else 0",
    sympy=lambda sp, x, p: sp.Min(sp.Max(x, p["min_val"]), p["max_val"]),
    image=lambda min_val, max_val: span(
        closed(min_val, symbol="min_val"), closed(max_val, symbol="max_val")
    ),
    uses=(
        "hidden layers of cheap or quantised networks, and clipped outputs: tanh's shape for "
        "the cost of a clip"
    ),
    reference="Collobert 2004, Large scale machine learning (PhD thesis); torch.nn.Hardtanh",
    d1=lambda x, min_val, max_val: np.where((x > min_val) & (x < max_val), 1.0, 0.0),
    d2=lambda x, **_: np.zeros_like(x),
    limits=lambda min_val, max_val: ((min_val, max_val), (0.0, 0.0), (0.0, 0.0)),
    params=(
        real("min_val", -1.0, "lower clip value (keras/jax fix it at −1)"),
        real("max_val", 1.0, "upper clip value (keras/jax fix it at 1)"),
    ),
    aliases=("hardtanh",),
    kinks=lambda min_val, max_val: (
        Kink(min_val, (0.0, 0.0), (1.0, 0.0), "left"),
        Kink(max_val, (1.0, 0.0), (0.0, 0.0), "right"),
    ),
    check=lambda min_val, max_val: None if min_val < max_val else "min_val must be < max_val",
    code={
        "torch": Code(
            function="F.hardtanh(x, min_val={min_val}, max_val={max_val})",
            layer="torch.nn.Hardtanh(min_val={min_val}, max_val={max_val})",
        ),
        "keras": Code(
            function=(
                ("min_val=-1,max_val=1", "keras.activations.hard_tanh(x)"),
                (
                    "",
                    "keras.ops.clip(x, {min_val}, {max_val})"
                    + _clip_note("keras.activations.hard_tanh", "fixed bounds −1 and 1"),
                ),
            ),
            dense=(("min_val=-1,max_val=1", "hard_tanh"),),
        ),
        "tf": Code(function="tf.clip_by_value(x, {min_val}, {max_val})  # tf.nn has no hard_tanh"),
        "jax": Code(
            function=(
                ("min_val=-1,max_val=1", "jax.nn.hard_tanh(x)"),
                (
                    "",
                    "jnp.clip(x, {min_val}, {max_val})"
                    + _clip_note("jax.nn.hard_tanh", "fixed bounds −1 and 1"),
                ),
            )
        ),
    },
)
def hard_tanh(x: Array, min_val: float, max_val: float) -> Array:
    """Hard tanh: the identity clipped to [min_val, max_val].

    Examples:
        >>> hard_tanh(np.array([-3.0, 0.5, 3.0]), min_val=-1.0, max_val=1.0).tolist()
        [-1.0, 0.5, 1.0]
    """
    return np.clip(x, min_val, max_val)


def _half_width(slope: float) -> float:
    """Where hard_sigmoid saturates: 0.5/slope (exactly 3 for slope 1/6, 2.5 for 0.2)."""
    return 0.5 / slope


def _hard_sigmoid(x: Array, slope: float) -> Array:
    c = _half_width(slope)
    # (x + c)/(2c) rather than slope·x + ½: cancellation-free near −c; x + c exact and the
    # quotient rounded once (x is clipped to the ramp first: nothing overflows)
    xc = np.clip(x, -c, c)
    sh, sl = nx.two_sum(xc, np.full_like(xc, c))
    qh, ql = nx.div_dd(sh, sl, 2.0 * c)
    return np.clip(qh + ql, 0.0, 1.0)


def _hard_sigmoid_sympy(sp: Any, x: Any, slope: Any) -> Any:
    """slope·x + 1/2 to print; for numbers, what is computed: (x + c)/(2c) with the half-width
    c = 1/(2·slope) a binary64 (3 for slope 1/6: relu6(x + 3)/6 exactly, as the frameworks)."""
    if not slope.is_Number:
        return slope * x + sp.Rational(1, 2)
    c = sp.Rational(_half_width(float(slope)))
    return (x + c) / (2 * c)


@elementwise(
    family="sigmoid",
    formula="hard_sigmoid(x) = clip(slope·x + 1/2, 0, 1)   (slope 1/6: relu6(x + 3)/6)",
    latex=r"\operatorname{clip}\left(\frac{x}{6} + \frac{1}{2}, 0, 1\right)",
    derivative="hard_sigmoid′(x) = slope if |x| < 1/(2·slope) else 0",
    sympy=lambda sp, x, p: sp.Min(sp.Max(_hard_sigmoid_sympy(sp, x, p["slope"]), 0), 1),
    image=span(closed(0.0), closed(1.0)),
    uses=(
        "gates and attention scales of mobile networks (MobileNetV3's squeeze-and-excitation): "
        "a cheap sigmoid"
    ),
    reference="Howard et al. 2019, Searching for MobileNetV3, arXiv:1905.02244",
    d1=lambda x, slope: np.where(np.abs(x) < _half_width(slope), 0.5 / _half_width(slope), 0.0),
    d2=lambda x, **_: np.zeros_like(x),
    limits=SIGMOID_LIKE,
    params=(
        positive(
            "slope", 1.0 / 6.0, "slope of the linear part: 1/6 (torch, keras 3, jax), 0.2 (keras 2)"
        ),
    ),
    aliases=("hardsigmoid",),
    kinks=lambda slope: (
        Kink(-_half_width(slope), (0.0, 0.0), (0.5 / _half_width(slope), 0.0), "left"),
        Kink(_half_width(slope), (0.5 / _half_width(slope), 0.0), (0.0, 0.0), "right"),
    ),
    code={
        "torch": Code(
            function=(
                ("slope=1/6", "F.hardsigmoid(x)"),
                (
                    "",
                    "torch.clamp({slope} * x + 0.5, 0.0, 1.0)"
                    + _clip_note("F.hardsigmoid", "slope 1/6"),
                ),
            ),
            layer=(("slope=1/6", "torch.nn.Hardsigmoid()"),),
        ),
        "keras": Code(
            function=(
                ("slope=1/6", "keras.activations.hard_sigmoid(x)"),
                (
                    "",
                    "keras.ops.clip({slope} * x + 0.5, 0.0, 1.0)"
                    + _clip_note("keras.activations.hard_sigmoid", "slope 1/6"),
                ),
            ),
            dense=(("slope=1/6", "hard_sigmoid"),),
        ),
        "keras2": Code(
            function=(
                ("slope=0.2", "tf_keras.activations.hard_sigmoid(x)"),
                (
                    "",
                    "tf.clip_by_value({slope} * x + 0.5, 0.0, 1.0)"
                    + _clip_note("tf_keras.activations.hard_sigmoid", "slope 0.2"),
                ),
            ),
            dense=(("slope=0.2", "hard_sigmoid"),),
        ),
        "jax": Code(
            function=(
                ("slope=1/6", "jax.nn.hard_sigmoid(x)"),
                (
                    "",
                    "jnp.clip({slope} * x + 0.5, 0.0, 1.0)"
                    + _clip_note("jax.nn.hard_sigmoid", "slope 1/6"),
                ),
            )
        ),
    },
)
def hard_sigmoid(x: Array, slope: float) -> Array:
    """Hard sigmoid: a piecewise-linear sigmoid, cheap on mobile hardware.

    Keras 2 used slope 0.2 (saturating at ±2.5); Keras 3, PyTorch and JAX use 1/6 (±3). The
    ``keras2`` dialect selects the former.

    Examples:
        >>> hard_sigmoid(np.array([-4.0, 0.0, 4.0]), slope=0.25).tolist()
        [0.0, 0.5, 1.0]
    """
    return _hard_sigmoid(x, slope)


@elementwise(
    family="sigmoid",
    formula="hard_silu(x) = x·relu6(x + 3)/6",
    latex=r"x \cdot \frac{\operatorname{relu6}(x + 3)}{6}",
    derivative="hard_silu′(x) = 0 if x < −3; (2x + 3)/6 if −3 < x < 3; 1 if x > 3",
    sympy=lambda sp, x, p: x * sp.Min(sp.Max(x + 3, 0), 6) / 6,
    image=span(closed(-0.375, at=-1.5), INF),
    uses="hidden layers of mobile networks (MobileNetV3): SiLU's shape without exponentials",
    reference="Howard et al. 2019, Searching for MobileNetV3, arXiv:1905.02244",
    d1=lambda x: np.where(x <= -3, 0.0, np.where(x >= 3, 1.0, (2.0 * x + 3.0) / 6.0)),
    d2=lambda x: np.where((x > -3) & (x < 3), 1.0 / 3.0, 0.0),
    limits=RELU_LIKE,
    aliases=("hard_swish", "hardswish"),
    kinks=lambda: (
        Kink(-3.0, (0.0, 0.0), (-0.5, 1.0 / 3.0), "left"),
        Kink(3.0, (1.5, 1.0 / 3.0), (1.0, 0.0), "right"),
    ),
    code={
        "torch": Code(function="F.hardswish(x)", layer="torch.nn.Hardswish()"),
        "keras": Code(function="keras.activations.hard_silu(x)", dense="hard_silu"),
        "jax": Code(function="jax.nn.hard_silu(x)"),
    },
)
def hard_silu(x: Array) -> Array:
    """Hard SiLU (hard swish): SiLU with the sigmoid replaced by the hard sigmoid.

    PyTorch ≤ 2.6 returned −0.5 and 1.5 for the derivative at −3 and 3 (PyTorch issue 147801); current
    PyTorch, Keras and JAX return 0 and 1, which is the convention used here.

    Examples:
        >>> hard_silu(np.array([-4.0, 0.0, 3.0, 6.0])).tolist()
        [0.0, 0.0, 3.0, 6.0]
    """
    # x(x + 3)/6 with x + 3, the product and the division in double-double, rounded once
    xc = np.clip(x, -3.0, 3.0)
    qh, ql = nx.div_dd(*nx.times_shifted(xc, 3.0), 6.0)
    middle = np.where(qh == 0, qh, qh + ql)  # keeps −0
    return np.where(x <= -3, 0.0, np.where(x >= 3, x, middle))


# ---------------------------------------------------------------------------------- Laplace

_Z_CLIP = 1000.0  # Φ(z) is 0 or 1 to the last bit far before |z| = 1000


def _laplace_z(x: Array, mu: float, sigma: float) -> tuple[Array, Array]:
    """z = (x − μ)/σ as a double-double (clipped at ±1000): rounding z alone would cost
    |z|²·2⁻⁵³ of Φ(z) in the tail (about 700 ULP at z = −37)."""
    dh, dl = nx.two_sum(x, np.full_like(x, -mu))
    with np.errstate(over="ignore"):
        qh = dh / sigma
    inside = np.abs(qh) < _Z_CLIP
    qs, ds = np.where(inside, qh, 0.0), np.where(inside, dh, 0.0)
    p, e = nx.two_prod(qs, sigma)
    ql = np.where(inside, (((ds - p) - e) + dl) / sigma, 0.0)
    return np.clip(qh, -_Z_CLIP, _Z_CLIP), ql


def _laplace_gauss(
    zh: Array, zl: Array, factor: Array | float, factor_lo: Array | float | None = None
) -> Array:
    """e^(−z²/2)·(factor + factor_lo) for z = zh + zl (the low part to first order)."""
    return nx.exp_neg_square(zh, half=True, factor=factor, factor_lo=factor_lo, lo=-zh * zl)


def _density_scale(like: Array, sigma: float) -> tuple[Array, Array]:
    """1/(√(2π)·σ) as a double-double, shaped like ``like``."""
    c = nx.INV_SQRT_2PI_DD
    return nx.div_dd(np.full_like(like, c[0]), np.full_like(like, c[1]), sigma)


def _laplace_d1(x: Array, mu: float, sigma: float) -> Array:
    zh, zl = _laplace_z(x, mu, sigma)
    fh, fl = _density_scale(zh, sigma)
    return _laplace_gauss(zh, zl, fh, fl)


def _laplace_d2(x: Array, mu: float, sigma: float) -> Array:
    zh, zl = _laplace_z(x, mu, sigma)
    fh, fl = _density_scale(zh, sigma)
    fh, fl = nx.div_dd(fh, fl, sigma)
    ph, pl = nx.two_prod(zh, fh)
    return _laplace_gauss(zh, zl, -ph, -(pl + zh * fl + zl * fh))


@elementwise(
    family="sigmoid",
    formula="laplace(x) = ½(1 + erf((x − mu)/(sigma·√2))) = Φ((x − mu)/sigma)",
    latex=r"\frac{1}{2}\left(1 + \operatorname{erf}\left(\frac{x - \mu}{\sigma \sqrt{2}}\right)\right)",
    derivative="laplace′(x) = φ(z)/sigma, z = (x − mu)/sigma;  laplace″(x) = −z·φ(z)/sigma²",
    sympy=lambda sp, x, p: (1 + sp.erf((x - p["mu"]) / (p["sigma"] * sp.sqrt(2)))) / 2,
    image=span(0.0, 1.0),
    uses="attention weights of MEGA (hidden_act: laplace): a bounded stand-in for squared ReLU "
    "with a bounded gradient",
    reference=(
        "Hugging Face transformers 5.25.0, transformers/activations.py: ACT2CLS['laplace'] = "
        "LaplaceActivation: forward(input, mu=0.707107, sigma=0.282095): input = (input - "
        "mu).div(sigma * math.sqrt(2.0)); return 0.5 * (1.0 + torch.erf(input)); Ma et al. "
        "2022, Mega, arXiv:2209.10655"
    ),
    d1=_laplace_d1,
    d2=_laplace_d2,
    limits=SIGMOID_LIKE,
    params=(
        real("mu", 0.707107, "centre: laplace(mu) = ½ (transformers: 0.707107 ≈ 1/√2)"),
        positive("sigma", 0.282095, "width (transformers: 0.282095 ≈ 1/(2√π))"),
    ),
)
def laplace(x: Array, mu: float, sigma: float) -> Array:
    """Laplace activation (MEGA): the Gaussian CDF of (x − μ)/σ, a smooth bounded step at μ.

    Its name is from Laplace's error function; it is a normal CDF, not a Laplace
    distribution's. transformers writes μ and σ as the decimals 0.707107 and 0.282095 (the
    doubles nearest them are the defaults here), chosen so that it matches relu² near
    x = √2/2 (Ma et al. 2022). Evaluated as P(z)·e^(−z²/2) with z in double-double (P the
    Mills-ratio fit, as for GELU), reflected above μ.

    Examples:
        >>> round(float(laplace(np.array(1.0), mu=0.707107, sigma=0.282095)), 6)
        0.85043
    """
    zh, zl = _laplace_z(x, mu, sigma)
    # P at −|z| = t + tl: P(t) + P′(t)·tl with P′ = 1/√(2π) + t·P (P moves by |z|·ulp)
    t, tl = -np.abs(zh), np.where(zh <= 0, zl, -zl)
    ph, pl = nx.mills(t)
    pl += (nx.INV_SQRT_2PI + t * ph) * tl
    low = _laplace_gauss(t, tl, ph, pl)
    return np.where(zh <= 0, low, 1.0 - low)


@elementwise(
    family="sigmoid",
    formula="hard_mish(x) = ½x·clamp(x + 2, 0, 2)",
    latex=r"\frac{1}{2} x \operatorname{clip}(x + 2, 0, 2)",
    derivative="hard_mish′(x) = 0 if x < −2; x + 1 if −2 < x < 0; 1 if x > 0",
    sympy=lambda sp, x, p: x * sp.Min(sp.Max(x + 2, 0), 2) / 2,
    image=span(closed(-0.5, at=-1.0), INF),
    uses="hidden layers of timm's convolutional nets: Mish's shape without exponentials",
    reference=(
        "timm 1.0.31, timm/layers/activations.py: hard_mish: 0.5 * x * (x + 2).clamp(min=0, "
        "max=2) (after notes by D. Misra, github.com/digantamisra98/H-Mish)"
    ),
    d1=lambda x: np.where(x < -2, 0.0, np.where(x > 0, 1.0, x + 1.0)),
    d2=lambda x: np.where((x > -2) & (x < 0), 1.0, 0.0),
    limits=RELU_LIKE,
    aliases=("hardmish",),
    # timm's default layer (HardMishMe, hard_mish_bwd) and autodiff of the clamp (which passes
    # the gradient at its bounds) agree: x + 1 on [−2, 0], so −1 at −2 and 1 at 0
    kinks=lambda: (
        Kink(-2.0, (0.0, 0.0), (-1.0, 1.0), "right"),
        Kink(0.0, (1.0, 1.0), (1.0, 0.0), "left"),
    ),
)
def hard_mish(x: Array) -> Array:
    """Hard Mish: x times a piecewise-linear gate, timm's cheap stand-in for Mish.

    On (−2, 0) it is the parabola ½x(x + 2), with its minimum −½ at x = −1; it is x from 0
    on and 0 below −2. timm's name is ``hard_mish`` (create_act's ``_ACT_FN_DEFAULT``).

    Examples:
        >>> hard_mish(np.array([-3.0, -1.0, 0.0, 2.0])).tolist()
        [0.0, -0.5, 0.0, 2.0]
    """
    # ½x(x + 2) with x + 2 exact and the product rounded once
    xc = np.clip(x, -2.0, 0.0)
    ph, pl = nx.times_shifted(xc, 2.0)
    middle = np.where(ph == 0, ph, 0.5 * (ph + pl))  # keeps −0
    return np.where(x <= -2, 0.0, np.where(x >= 0, x, middle))


@elementwise(
    family="sigmoid",
    formula="sparse_sigmoid(x) = 0 if x ≤ −1; (x + 1)/2 if −1 < x < 1; 1 if x ≥ 1",
    latex=r"\operatorname{clip}\left(\frac{x + 1}{2}, 0, 1\right)",
    derivative="sparse_sigmoid′(x) = 1/2 if |x| < 1 else 0",
    sympy=lambda sp, x, p: sp.Piecewise((0, x <= -1), ((x + 1) / 2, x < 1), (1, True)),
    image=span(closed(0.0), closed(1.0)),
    uses="gates and binary outputs where exact 0 and 1 are wanted (sparse probabilities)",
    reference="Martins & Astudillo 2016, From softmax to sparsemax, arXiv:1602.02068; jax.nn.sparse_sigmoid",
    d1=lambda x: np.where(np.abs(x) < 1, 0.5, 0.0),
    d2=lambda x: np.zeros_like(x),
    limits=SIGMOID_LIKE,
    kinks=lambda: (
        Kink(-1.0, (0.0, 0.0), (0.5, 0.0), "left"),
        Kink(1.0, (0.5, 0.0), (0.0, 0.0), "right"),
    ),
    code={
        "keras": Code(function="keras.activations.sparse_sigmoid(x)", dense="sparse_sigmoid"),
        "jax": Code(function="jax.nn.sparse_sigmoid(x)"),
    },
)
def sparse_sigmoid(x: Array) -> Array:
    """Sparse sigmoid: the derivative of sparse_plus, exactly 0 or 1 outside (−1, 1).

    Examples:
        >>> sparse_sigmoid(np.array([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return np.clip(0.5 * (x + 1.0), 0.0, 1.0)
