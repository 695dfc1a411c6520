"""Piecewise-linear and piecewise-polynomial activations: the ReLU family, steps and shrinks.

Each function receives finite float64 input (±inf and NaN are handled by the registry from the
declared limits), returns float64, and states its kinks with the one-sided derivatives there.
The default kink rule is PyTorch's autograd; other frameworks' rules live in ``dialects``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli import elementary as el
from actcli import numerics as nx
from actcli.catalog.records import (
    IDENTITY_LIKE,
    REALS,
    RELU_LIKE,
    Bound,
    Code,
    Kink,
    Limits,
    Param,
    Range,
    Template,
    closed,
    interval,
    nonnegative,
    point,
    positive,
    real,
    span,
    union,
)
from actcli.catalog.registry import elementwise

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Array = NDArray[np.float64]

INF = math.inf
TORCH = "https://pytorch.org/docs/stable/nn.html#non-linear-activations-weighted-sum-nonlinearity"
KERAS = "https://keras.io/api/layers/activations/"
JAX = "https://docs.jax.dev/en/latest/jax.nn.html"


def _indicator(condition: NDArray[np.bool_]) -> Array:
    return np.where(condition, 1.0, 0.0)


def _zero(x: Array, **_: object) -> Array:
    return np.zeros_like(x)


# ---------------------------------------------------------------------------------- steps


@elementwise(
    family="rectifier",
    formula="step(x) = 0 if x < threshold, value if x = threshold, 1 if x > threshold",
    latex=r"H(x - \theta) = \begin{cases} 0 & x < \theta \\ v & x = \theta \\ 1 & x > \theta \end{cases}",
    derivative="step′(x) = 0 (a Dirac delta at the threshold, reported as 0)",
    sympy=lambda sp, x, p: sp.Piecewise(
        (0, x < p["threshold"]), (p["value"], sp.Eq(x, p["threshold"])), (1, True)
    ),
    image=lambda threshold, value: union(point(0.0), point(value, threshold, "value"), point(1.0)),
    uses=(
        "the perceptron's output, a hard yes/no decision; not for networks trained by gradient "
        "descent: its derivative is 0 everywhere"
    ),
    reference="Heaviside step; numpy.heaviside / torch.heaviside(x, values) (value at 0 required)",
    d1=_zero,
    d2=_zero,
    limits=((0.0, 1.0), (0.0, 0.0), (0.0, 0.0)),
    params=(
        real("threshold", 0.0, "where the step happens"),
        real("value", 1.0, "the output exactly at the threshold", aliases=("h0", "values")),
    ),
    aliases=("heaviside", "unit_step", "binary_step"),
    kinks=lambda threshold, **_: (Kink(threshold, (0.0, 0.0), (0.0, 0.0), jump=True),),
    code={
        "torch": Code(
            function=(
                ("threshold=0", "torch.heaviside(x, torch.tensor({value}, dtype=x.dtype))"),
                ("", "torch.heaviside(x - {threshold}, torch.tensor({value}, dtype=x.dtype))"),
            )
        ),
        "keras": Code(
            function=(
                ("threshold=0", "keras.ops.heaviside(x, {value})"),
                ("", "keras.ops.heaviside(x - {threshold}, {value})"),
            )
        ),
        "jax": Code(
            function=(
                ("threshold=0", "jnp.heaviside(x, {value})"),
                ("", "jnp.heaviside(x - {threshold}, {value})"),
            )
        ),
    },
)
def step(x: Array, threshold: float, value: float) -> Array:
    """Heaviside step: the perceptron's activation, 0 below the threshold and 1 above.

    Examples:
        >>> step(np.array([-1.0, 0.0, 2.0]), threshold=0.0, value=1.0).tolist()
        [0.0, 1.0, 1.0]
    """
    return np.where(x > threshold, 1.0, np.where(x == threshold, value, 0.0))


@elementwise(
    family="rectifier",
    formula="threshold(x) = x if x > threshold else value",
    latex=r"\begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}",
    derivative="threshold′(x) = 1 if x > threshold else 0",
    sympy=lambda sp, x, p: sp.Piecewise((x, x > p["threshold"]), (p["value"], True)),
    image=lambda threshold, value: union(
        point(value, symbol="value"), interval(Bound(threshold, symbol="threshold"), INF)
    ),
    uses=(
        "hidden layers, as a ReLU with a movable cut-off: inputs at or below threshold become value"
    ),
    reference="torch.nn.functional.threshold; keras.activations.threshold",
    d1=lambda x, threshold, **_: _indicator(x > threshold),
    d2=_zero,
    limits=lambda value, **_: ((value, INF), (0.0, 1.0), (0.0, 0.0)),
    params=(
        real("threshold", 0.0, "inputs at or below it are replaced"),
        real("value", 0.0, "the replacement", aliases=("default_value",)),
    ),
    kinks=lambda threshold, value: (
        Kink(threshold, (0.0, 0.0), (1.0, 0.0), jump=value != threshold),
    ),
    code={
        "torch": Code(
            function="F.threshold(x, {threshold}, {value})",
            layer="torch.nn.Threshold({threshold}, {value})",
        ),
        "keras": Code(function="keras.activations.threshold(x, {threshold}, {value})"),
        "keras2": Code(layer=(("value=0", "tf_keras.layers.ThresholdedReLU(theta={threshold})"),)),
        "jax": Code(
            function="jnp.where(x > {threshold}, x, {value})  # jax.nn has no threshold: where()"
        ),
    },
)
def threshold(x: Array, threshold: float, value: float) -> Array:
    """Thresholding: pass inputs above a threshold, replace the rest by a constant.

    Examples:
        >>> threshold(np.array([-1.0, 0.5, 2.0]), threshold=1.0, value=-1.0).tolist()
        [-1.0, -1.0, 2.0]
    """
    return np.where(x > threshold, x, value)


# ---------------------------------------------------------------------------------- ReLU family


@elementwise(
    family="rectifier",
    formula="identity(x) = x",
    latex="x",
    derivative="identity′(x) = 1",
    sympy=lambda sp, x, p: x,
    image=REALS,
    uses=(
        "regression output layers (real-valued, unbounded targets), and the logits of a "
        "classifier whose loss applies the sigmoid or softmax itself; never as the only "
        "activation of hidden layers: stacked linear layers collapse into one linear map, so a "
        "network without non-linear activations is a linear model however deep it is"
    ),
    reference="torch.nn.Identity; keras.activations.linear; jax.nn.identity",
    d1=lambda x, **_: np.ones_like(x),
    d2=_zero,
    limits=IDENTITY_LIKE,
    aliases=("linear", "none"),
    code={
        "torch": Code(layer="torch.nn.Identity()"),
        "keras": Code(
            function="keras.activations.linear(x)", layer="keras.layers.Identity()", dense="linear"
        ),
        "keras2": Code(function="tf_keras.activations.linear(x)", dense="linear"),
        "tf": Code(function="tf.identity(x)"),
        "jax": Code(function="jax.nn.identity(x)"),
    },
)
def identity(x: Array) -> Array:
    """The identity: no activation at all (linear output layers, regression heads).

    Examples:
        >>> identity(np.array([-1.5, 0.0, 2.0])).tolist()
        [-1.5, 0.0, 2.0]
    """
    return x.copy()


def _relu_image(negative_slope: float, max_value: float, threshold: float) -> Range:
    # at and below the threshold slope·(x − threshold): 0 on the whole stretch for slope 0, else
    # (−∞, 0] with 0 at the threshold; above it (threshold, max_value], max_value attained on
    # [max_value, ∞), or max_value alone when it is not above the threshold
    top: Bound | float = INF if max_value == INF else closed(max_value)
    if threshold == 0:  # the two pieces meet at 0
        return span(closed(0.0) if negative_slope == 0 else -INF, top)
    below = point(0.0) if negative_slope == 0 else interval(-INF, closed(0.0, at=threshold))
    above = interval(threshold, top) if threshold < max_value else point(max_value)
    return union(below, above)


def _relu_kinks(negative_slope: float, max_value: float, threshold: float) -> tuple[Kink, ...]:
    jump = threshold != 0  # f(threshold) = 0, f(threshold⁺) = min(threshold, max_value) > 0
    above = 1.0 if threshold < max_value else 0.0
    kinks = []
    if jump or negative_slope != above:  # the same slope on both sides: no kink
        kinks.append(Kink(threshold, (negative_slope, 0.0), (above, 0.0), "left", jump=jump))
    if threshold < max_value < INF:  # torch's hardtanh and relu6: 0 at the cap
        kinks.append(Kink(max_value, (1.0, 0.0), (0.0, 0.0), "right"))
    return tuple(kinks)


def _relu_limits(negative_slope: float, max_value: float, threshold: float) -> Limits:
    at_minus_inf = -INF if negative_slope > 0 else 0.0
    capped = max_value < INF
    return ((at_minus_inf, max_value), (negative_slope, 0.0 if capped else 1.0), (0.0, 0.0))


# keras.activations.relu's parameters, as every framework can spell them (tried in order): the
# plain function, relu6, a clip, leaky_relu, a threshold, then where(); conditions in actcli's
# names. The cap of the where() forms is each framework's min, whose tie rule the dialects state.
_PLAIN = "negative_slope=0,max_value=inf,threshold=0"
_RELU6 = "negative_slope=0,max_value=6,threshold=0"
_CLIP = "negative_slope=0,threshold=0"
_LEAKY = "max_value=inf,threshold=0"
_THRESHOLD = "negative_slope=0,max_value=inf"
_BELOW = "{negative_slope} * (x - {threshold})"
_NO_CAP = "max_value=inf"
_KERAS_ARGS = "negative_slope={negative_slope}, max_value={max_value|none}, threshold={threshold}"


def _where(call: str, cap: str, zero: str, framework: str) -> Template:
    """The general form ``call(x > threshold, top, bottom)``: top is x or ``cap``, bottom
    ``zero`` or slope·(x − threshold)."""
    why = f"  # {framework} has no relu with keras's negative_slope, max_value, threshold: where()"
    return (
        ("negative_slope=0,max_value=inf", f"{call}(x > {{threshold}}, x, {zero}){why}"),
        ("negative_slope=0", f"{call}(x > {{threshold}}, {cap}, {zero}){why}"),
        (_NO_CAP, f"{call}(x > {{threshold}}, x, {_BELOW}){why}"),
        ("", f"{call}(x > {{threshold}}, {cap}, {_BELOW}){why}"),
    )


@elementwise(
    family="rectifier",
    formula=(
        "relu(x) = max(x, 0); keras: min(x, max_value) if x > threshold else "
        "negative_slope·(x − threshold)"
    ),
    latex=(
        r"\max(x, 0);\quad \begin{cases} \min(x, M) & x > \theta \\ "
        r"\alpha (x - \theta) & x \le \theta \end{cases}"
    ),
    derivative=(
        "relu′(x) = 1 if x > 0 else 0; keras: 1 if threshold < x < max_value, 0 above both, "
        "negative_slope at or below threshold"
    ),
    sympy=lambda sp, x, p: sp.Piecewise(
        (p["negative_slope"] * (x - p["threshold"]), x <= p["threshold"]),
        (p["max_value"], x >= p["max_value"]),
        (x, True),
    ),
    image=_relu_image,
    uses=(
        "hidden layers: the default choice; cheap, and its gradient is 1 for every positive "
        "input, so deep stacks keep learning (a unit whose inputs stay negative stops)"
    ),
    reference="Nair & Hinton 2010, ICML; Glorot, Bordes & Bengio 2011, AISTATS",
    d1=lambda x, negative_slope, max_value, threshold: np.where(
        x > threshold, _indicator(x < max_value), negative_slope
    ),
    d2=_zero,
    limits=_relu_limits,
    params=(
        nonnegative(
            "negative_slope",
            0.0,
            "slope at or below threshold (keras; tf_keras: alpha)",
            aliases=("alpha",),
        ),
        Param(
            "max_value",
            INF,
            "the cap: the largest value returned (keras; its None is inf)",
            "a number > 0, or inf (no cap)",
            lambda v: v > 0,
        ),
        nonnegative("threshold", 0.0, "inputs at or below it are damped (keras)"),
    ),
    kinks=_relu_kinks,
    code={
        "torch": Code(
            function=(
                (_PLAIN, "F.relu(x)"),
                (_RELU6, "F.relu6(x)"),
                (_CLIP, "F.hardtanh(x, 0.0, {max_value})"),
                (_LEAKY, "F.leaky_relu(x, negative_slope={negative_slope})"),
                (_THRESHOLD, "F.threshold(x, {threshold}, 0.0)"),
                *_where(
                    "torch.where", "torch.where(x < {max_value}, x, {max_value})", "0.0", "torch"
                ),
            ),
            layer=(
                (_PLAIN, "torch.nn.ReLU()"),
                (_RELU6, "torch.nn.ReLU6()"),
                (_CLIP, "torch.nn.Hardtanh(0.0, {max_value})"),
                (_LEAKY, "torch.nn.LeakyReLU(negative_slope={negative_slope})"),
                (_THRESHOLD, "torch.nn.Threshold({threshold}, 0.0)"),
            ),
        ),
        "keras": Code(
            function=(
                (_PLAIN, "keras.activations.relu(x)"),
                ("", f"keras.activations.relu(x, {_KERAS_ARGS})"),
            ),
            layer=((_PLAIN, "keras.layers.ReLU()"), ("", f"keras.layers.ReLU({_KERAS_ARGS})")),
            dense=((_PLAIN, "relu"),),
        ),
        "keras2": Code(
            function=(
                (_PLAIN, "tf_keras.activations.relu(x)"),
                (
                    "",
                    "tf_keras.activations.relu(x, alpha={negative_slope}, "
                    "max_value={max_value|none}, threshold={threshold})",
                ),
            ),
            layer=(
                (_PLAIN, "tf_keras.layers.ReLU()"),
                ("", f"tf_keras.layers.ReLU({_KERAS_ARGS})"),
            ),
            dense=((_PLAIN, "relu"),),
        ),
        "tf": Code(
            function=(
                (_PLAIN, "tf.nn.relu(x)"),
                (_RELU6, "tf.nn.relu6(x)"),
                (_LEAKY, "tf.nn.leaky_relu(x, alpha={negative_slope})"),
                *_where("tf.where", "tf.minimum(x, {max_value})", "tf.zeros_like(x)", "tf.nn"),
            )
        ),
        "jax": Code(
            function=(
                (_PLAIN, "jax.nn.relu(x)"),
                (_RELU6, "jax.nn.relu6(x)"),
                (_LEAKY, "jax.nn.leaky_relu(x, negative_slope={negative_slope})"),
                *_where("jnp.where", "jnp.minimum(x, {max_value})", "0.0", "jax.nn"),
            )
        ),
    },
)
def relu(x: Array, negative_slope: float, max_value: float, threshold: float) -> Array:
    """Rectified linear unit: the default hidden-layer activation; units can 'die' at 0.

    Keras's relu also takes a slope below a threshold and a cap (keras.activations.relu,
    keras.layers.ReLU): with them it is a leaky ReLU, relu6 or a thresholded ReLU, or all at
    once. A negative slope or threshold is refused, as keras.layers.ReLU does
    (keras.activations.relu takes a negative threshold, but then floors (threshold, 0) at 0
    only when capped), and so is a cap of 0.

    Examples:
        >>> x = np.array([-2.0, 0.0, 3.0, 8.0])
        >>> relu(x, negative_slope=0.0, max_value=6.0, threshold=0.0).tolist()
        [0.0, 0.0, 3.0, 6.0]
    """
    if negative_slope == 0 and max_value == INF and threshold == 0:
        return np.maximum(x, 0.0)  # plain relu: one pass
    # 0.0 rather than 0·(x − threshold): no −0.0 below the threshold
    below: Array | float = 0.0
    if negative_slope:  # slope·(x − threshold), the difference exact, rounded once
        dh, dl = nx.two_sum(x, np.full_like(x, -threshold))
        ph, pl = nx.two_prod(dh, negative_slope)
        below = ph + (pl + negative_slope * dl)
    return np.where(x > threshold, np.minimum(x, max_value), below)


@elementwise(
    family="rectifier",
    formula="relu6(x) = min(max(x, 0), 6)",
    latex=r"\min(\max(x, 0), 6)",
    derivative="relu6′(x) = 1 if 0 < x < 6 else 0",
    sympy=lambda sp, x, p: sp.Min(sp.Max(x, 0), 6),
    image=span(closed(0.0), closed(6.0)),
    uses=(
        "hidden layers of mobile networks (MobileNet): the cap at 6 keeps activations in range "
        "for low-precision arithmetic"
    ),
    reference="Krizhevsky 2010, Convolutional deep belief networks on CIFAR-10; MobileNet",
    d1=lambda x, **_: _indicator((x > 0) & (x < 6)),
    d2=_zero,
    limits=((0.0, 6.0), (0.0, 0.0), (0.0, 0.0)),
    kinks=lambda **_: (
        Kink(0.0, (0.0, 0.0), (1.0, 0.0), "left"),
        Kink(6.0, (1.0, 0.0), (0.0, 0.0), "right"),
    ),
    code={
        "torch": Code(function="F.relu6(x)", layer="torch.nn.ReLU6()"),
        "keras": Code(
            function="keras.activations.relu6(x)",
            layer="keras.layers.ReLU(max_value=6.0)",
            dense="relu6",
        ),
        "keras2": Code(
            function="tf_keras.activations.relu(x, max_value=6.0)",
            layer="tf_keras.layers.ReLU(max_value=6.0)",
        ),
        "tf": Code(function="tf.nn.relu6(x)"),
        "jax": Code(function="jax.nn.relu6(x)"),
    },
)
def relu6(x: Array) -> Array:
    """ReLU capped at 6, for low-precision (mobile) networks.

    Examples:
        >>> relu6(np.array([-1.0, 3.0, 8.0])).tolist()
        [0.0, 3.0, 6.0]
    """
    return np.clip(x, 0.0, 6.0)


def _leaky(x: Array, slope: float, slope_lo: float = 0.0) -> Array:
    """x, or (slope + slope_lo)·x below 0: one rounding either way."""
    if not slope_lo:
        return np.where(x >= 0, x, slope * x)
    ph, pl = nx.two_prod(x, slope)
    return np.where(x >= 0, x, ph + (pl + x * slope_lo))


def _sym_leaky(sp: Any, x: Any, slope: Any) -> Any:
    return sp.Piecewise((x, x >= 0), (slope * x, True))


def _leaky_limits(slope: float) -> Limits:
    at_minus_inf = -INF if slope > 0 else (INF if slope < 0 else 0.0)
    return ((at_minus_inf, INF), (slope, 1.0), (0.0, 0.0))


def _leaky_image(slope: float) -> Range:
    if slope > 0:
        return REALS
    # slope 0: 0 on all of x ≤ 0; slope < 0: slope·x > 0 there, so the minimum is f(0) alone
    return span(closed(0.0, at=0.0 if slope < 0 else None), INF)


def _leaky_kink(slope: float) -> tuple[Kink, ...]:
    return (Kink(0.0, (slope, 0.0), (1.0, 0.0), "left"),)


@elementwise(
    family="rectifier",
    formula="leaky_relu(x) = x if x ≥ 0 else negative_slope·x",
    latex=r"\begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
    derivative="leaky_relu′(x) = 1 if x > 0 else negative_slope",
    sympy=lambda sp, x, p: _sym_leaky(sp, x, p["negative_slope"]),
    image=lambda negative_slope: _leaky_image(negative_slope),
    uses=(
        "hidden layers where dead ReLU units are a problem (GANs, deep convolutional nets): "
        "the small negative slope keeps a gradient"
    ),
    reference="Maas, Hannun & Ng 2013, Rectifier nonlinearities improve neural network acoustic models",
    d1=lambda x, negative_slope: np.where(x > 0, 1.0, negative_slope),
    d2=_zero,
    limits=lambda negative_slope: _leaky_limits(negative_slope),
    params=(
        real(
            "negative_slope",
            0.01,
            "slope for x < 0 (torch/jax 0.01, keras 0.2, keras layer 0.3)",
            aliases=("alpha", "slope", "a"),
        ),
    ),
    aliases=("lrelu", "leakyrelu"),
    kinks=lambda negative_slope: _leaky_kink(negative_slope),
    code={
        "torch": Code(
            function="F.leaky_relu(x, negative_slope={negative_slope})",
            layer="torch.nn.LeakyReLU(negative_slope={negative_slope})",
        ),
        "keras": Code(
            function="keras.activations.leaky_relu(x, negative_slope={negative_slope})",
            layer="keras.layers.LeakyReLU(negative_slope={negative_slope})",
            dense=(("negative_slope=0.2", "leaky_relu"),),
            layer_defaults={"negative_slope": 0.3},
        ),
        "keras2": Code(
            function="tf_keras.activations.relu(x, alpha={negative_slope})",
            layer="tf_keras.layers.LeakyReLU(alpha={negative_slope})",
        ),
        "tf": Code(function="tf.nn.leaky_relu(x, alpha={negative_slope})"),
        "jax": Code(function="jax.nn.leaky_relu(x, negative_slope={negative_slope})"),
    },
)
def leaky_relu(x: Array, negative_slope: float) -> Array:
    """Leaky ReLU: a small slope for negative inputs keeps gradients (and units) alive.

    Examples:
        >>> leaky_relu(np.array([-2.0, 3.0]), negative_slope=0.25).tolist()
        [-0.5, 3.0]
    """
    return _leaky(x, negative_slope)


@elementwise(
    family="rectifier",
    formula="prelu(x) = x if x ≥ 0 else weight·x",
    latex=r"\begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases}",
    derivative="prelu′(x) = 1 if x > 0 else weight;  ∂/∂weight = x if x < 0 else 0",
    sympy=lambda sp, x, p: _sym_leaky(sp, x, p["weight"]),
    image=lambda weight: _leaky_image(weight),
    uses="hidden layers of image classifiers (He et al.): a leaky ReLU whose slope is learned",
    reference="He et al. 2015, Delving deep into rectifiers, arXiv:1502.01852",
    d1=lambda x, weight: np.where(x > 0, 1.0, weight),
    d2=_zero,
    limits=lambda weight: _leaky_limits(weight),
    params=(
        real(
            "weight",
            0.25,
            "the learned slope, fixed here (torch init 0.25, keras init 0)",
            aliases=("a", "alpha", "init"),
        ),
    ),
    kinks=lambda weight: _leaky_kink(weight),
    code={
        "torch": Code(
            function="F.prelu(x, torch.tensor([{weight}], dtype=x.dtype))",
            layer="torch.nn.PReLU(init={weight})",
        ),
        "keras": Code(
            layer="keras.layers.PReLU(alpha_initializer=keras.initializers.Constant({weight}))"
        ),
        "keras2": Code(
            layer="tf_keras.layers.PReLU(alpha_initializer=tf_keras.initializers.Constant({weight}))"
        ),
    },
)
def prelu(x: Array, weight: float) -> Array:
    """Parametric ReLU with its learned slope held fixed (one shared parameter).

    Examples:
        >>> prelu(np.array([-2.0, 3.0]), weight=0.25).tolist()
        [-0.5, 3.0]
    """
    return _leaky(x, weight)


@elementwise(
    family="rectifier",
    formula="rrelu(x) = x if x ≥ 0 else ((lower + upper)/2)·x   (evaluation mode)",
    latex=r"\begin{cases} x & x \ge 0 \\ \frac{l + u}{2} x & x < 0 \end{cases}",
    derivative="rrelu′(x) = 1 if x > 0 else (lower + upper)/2",
    sympy=lambda sp, x, p: _sym_leaky(sp, x, (p["lower"] + p["upper"]) / 2),
    image=lambda lower, upper: _leaky_image(0.5 * (lower + upper)),
    uses=(
        "hidden layers: the random slope regularises during training; at evaluation it is a "
        "leaky ReLU"
    ),
    reference="Xu et al. 2015, Empirical evaluation of rectified activations, arXiv:1505.00853",
    d1=lambda x, lower, upper: np.where(x > 0, 1.0, 0.5 * (lower + upper)),
    d2=_zero,
    limits=lambda lower, upper: _leaky_limits(0.5 * (lower + upper)),
    params=(
        real("lower", 0.125, "lower bound of the random training slope"),
        real("upper", 1.0 / 3.0, "upper bound of the random training slope"),
    ),
    kinks=lambda lower, upper: _leaky_kink(0.5 * (lower + upper)),
    check=lambda lower, upper: None if lower <= upper else "lower must not exceed upper",
    code={
        "torch": Code(
            function="F.rrelu(x, lower={lower}, upper={upper}, training=False)",
            layer=(
                "torch.nn.RReLU(lower={lower}, upper={upper}).eval()"
                "  # in eval mode: the slope is (lower + upper)/2"
            ),
        )
    },
)
def rrelu(x: Array, lower: float, upper: float) -> Array:
    """Randomized leaky ReLU in evaluation mode: the slope is the mean of its training range.

    Training mode draws a slope per element from U(lower, upper); that is randomness, not a
    function, and is not provided.

    Examples:
        >>> rrelu(np.array([-4.0, 3.0]), lower=0.125, upper=0.375).tolist()
        [-1.0, 3.0]
    """
    total = lower + upper
    error = (lower - (total - (total - lower))) + (upper - (total - lower))  # Knuth's TwoSum
    return _leaky(x, 0.5 * total, 0.5 * error)  # the exact mean, as a double-double


@elementwise(
    family="rectifier",
    formula="squared_relu(x) = max(x, 0)²",
    latex=r"\max(x, 0)^2",
    derivative="squared_relu′(x) = 2·max(x, 0)",
    sympy=lambda sp, x, p: sp.Max(x, 0) ** 2,
    image=span(closed(0.0), INF),
    uses=(
        "transformer feed-forward (hidden) layers (Primer, recent language models): a sharper ReLU"
    ),
    reference="So et al. 2021, Primer: searching for efficient transformers, arXiv:2109.08668",
    d1=lambda x, **_: 2.0 * np.maximum(x, 0.0),
    d2=lambda x, **_: 2.0 * _indicator(x > 0),
    limits=((0.0, INF), (0.0, INF), (0.0, 2.0)),
    aliases=("relu2", "relu_squared", "square_relu"),
    kinks=lambda **_: (Kink(0.0, (0.0, 0.0), (0.0, 2.0)),),
)
def squared_relu(x: Array) -> Array:
    """Squared ReLU, used in Primer and recent large language models.

    Examples:
        >>> squared_relu(np.array([-2.0, 3.0])).tolist()
        [0.0, 9.0]
    """
    r = np.maximum(x, 0.0)
    return r * r


@elementwise(
    family="rectifier",
    formula="star_relu(x) = scale·max(x, 0)² + bias",
    latex=r"s \max(x, 0)^2 + b",
    derivative="star_relu′(x) = 2·scale·max(x, 0)",
    sympy=lambda sp, x, p: p["scale"] * sp.Max(x, 0) ** 2 + p["bias"],
    image=lambda scale, bias: span(closed(bias, symbol="bias"), INF),
    uses=(
        "hidden layers of MetaFormer vision models: a squared ReLU scaled and shifted to keep "
        "activations centred"
    ),
    reference="Yu et al. 2022, MetaFormer baselines for vision, arXiv:2210.13452",
    d1=lambda x, scale, bias: 2.0 * scale * np.maximum(x, 0.0),
    d2=lambda x, scale, bias: 2.0 * scale * _indicator(x > 0),
    limits=lambda scale, bias: ((bias, INF), (0.0, INF), (0.0, 2.0 * scale)),
    params=(
        positive("scale", 0.8944, "learnable scale s (paper's suggestion 0.8944)"),
        real("bias", -0.4472, "learnable bias b (paper's suggestion −0.4472)"),
    ),
    aliases=("starrelu",),
    kinks=lambda scale, bias: (Kink(0.0, (0.0, 0.0), (0.0, 2.0 * scale)),),
)
def star_relu(x: Array, scale: float, bias: float) -> Array:
    """StarReLU: a scaled and shifted squared ReLU that keeps activations centred.

    The defaults are the MetaFormer paper's (scale 0.8944, bias −0.4472). timm's StarReLU
    (timm 1.0.31, timm/models/metaformer.py: StarReLU(scale_value=1.0, bias_value=0.0), both
    learnable, forward ``self.scale * self.relu(x) ** 2 + self.bias``) starts at scale 1 and
    bias 0, which is star_relu:scale=1,bias=0 (squared_relu); a trained model's values come
    from its checkpoint. timm has no config name for it.

    Examples:
        >>> star_relu(np.array([-1.0, 2.0]), scale=0.5, bias=-1.0).tolist()
        [-1.0, 1.0]
    """
    # s·r² + b in double-double: near the zero r = √(−b/s) the sum cancels (18 ULP lost at 0.02
    # from it in plain arithmetic), while r², s·r² and the sum are all exact here.
    # Beyond r = 2^300, r² is formed as (r·2⁻⁶⁰⁰)² and s·r² scaled back by 2¹²⁰⁰ afterwards:
    # r·r would overflow before the scale (r > 1.34e154) although s·r² may not.
    r = np.maximum(x, 0.0)
    big = r > 2.0**300
    rc = np.where(big, r * 2.0**-600, r)
    sq, sq_err = nx.two_prod(rc, rc)
    prod, prod_err = nx.dd_mul(sq, sq_err, np.full_like(r, scale), np.zeros_like(r))
    if big.any():
        up = np.where(big, 2.0**600, 1.0)
        prod, prod_err = (prod * up) * up, (prod_err * up) * up
    huge = np.isinf(prod)  # s·r² itself overflows
    if huge.any():
        prod, prod_err = np.where(huge, 0.0, prod), np.where(huge, 0.0, prod_err)
    total, total_err = nx.two_sum(prod, np.full_like(r, bias))
    out = total + (total_err + prod_err)
    return np.where(huge, np.inf, out) if huge.any() else out


# ---------------------------------------------------------------------------------- shrinkage


@elementwise(
    family="rectifier",
    formula="hard_shrink(x) = x if |x| > lambd else 0",
    latex=r"\begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    derivative="hard_shrink′(x) = 1 if |x| > lambd else 0",
    sympy=lambda sp, x, p: sp.Piecewise((x, sp.Abs(x) > p["lambd"]), (0, True)),
    image=lambda lambd: union(
        interval(-INF, Bound(-lambd, symbol="−lambd")),
        point(0.0, at=0.0 if lambd == 0 else None),  # on [−lambd, lambd]
        interval(Bound(lambd, symbol="lambd"), INF),
    ),
    uses=(
        "sparse coding and denoising layers: small inputs become exactly 0; rarely a "
        "hidden-layer activation"
    ),
    reference="torch.nn.Hardshrink; keras.activations.hard_shrink (threshold)",
    d1=lambda x, lambd: _indicator(np.abs(x) > lambd),
    d2=_zero,
    limits=IDENTITY_LIKE,
    params=(nonnegative("lambd", 0.5, "half-width of the zeroed band", aliases=("threshold",)),),
    aliases=("hardshrink",),
    kinks=lambda lambd: (
        Kink(-lambd, (1.0, 0.0), (0.0, 0.0), "right", jump=lambd > 0),
        Kink(lambd, (0.0, 0.0), (1.0, 0.0), "left", jump=lambd > 0),
    ),
    code={
        "torch": Code(
            function="F.hardshrink(x, lambd={lambd})", layer="torch.nn.Hardshrink(lambd={lambd})"
        ),
        "keras": Code(
            function="keras.activations.hard_shrink(x, threshold={lambd})",
            dense=(("lambd=0.5", "hard_shrink"),),
        ),
    },
)
def hard_shrink(x: Array, lambd: float) -> Array:
    """Hard shrinkage: zero out small inputs, keep large ones unchanged (sparse coding).

    Examples:
        >>> hard_shrink(np.array([-2.0, 0.25, 0.75]), lambd=0.5).tolist()
        [-2.0, 0.0, 0.75]
    """
    return np.where(np.abs(x) > lambd, x, 0.0)


@elementwise(
    family="rectifier",
    formula="soft_shrink(x) = x − lambd if x > lambd; x + lambd if x < −lambd; else 0",
    latex=r"\operatorname{sign}(x)\max(|x| - \lambda, 0)",
    derivative="soft_shrink′(x) = 1 if |x| > lambd else 0",
    sympy=lambda sp, x, p: sp.Piecewise(
        (x - p["lambd"], x > p["lambd"]), (x + p["lambd"], x < -p["lambd"]), (0, True)
    ),
    image=REALS,
    uses=(
        "sparse coding and denoising (unrolled ISTA layers): the proximal step of L1 regularisation"
    ),
    reference="Donoho 1995, De-noising by soft-thresholding; torch.nn.Softshrink",
    d1=lambda x, lambd: _indicator(np.abs(x) > lambd),
    d2=_zero,
    limits=IDENTITY_LIKE,
    params=(nonnegative("lambd", 0.5, "half-width of the zeroed band", aliases=("threshold",)),),
    aliases=("softshrink",),
    kinks=lambda lambd: (
        Kink(-lambd, (1.0, 0.0), (0.0, 0.0), "right"),
        Kink(lambd, (0.0, 0.0), (1.0, 0.0), "left"),
    ),
    code={
        "torch": Code(
            function="F.softshrink(x, lambd={lambd})", layer="torch.nn.Softshrink(lambd={lambd})"
        ),
        "keras": Code(
            function="keras.activations.soft_shrink(x, threshold={lambd})",
            dense=(("lambd=0.5", "soft_shrink"),),
        ),
    },
)
def soft_shrink(x: Array, lambd: float) -> Array:
    """Soft shrinkage (soft thresholding): the proximal operator of the L1 norm.

    Examples:
        >>> soft_shrink(np.array([-2.0, 0.25, 0.75]), lambd=0.5).tolist()
        [-1.5, 0.0, 0.25]
    """
    return np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0.0))


# ---------------------------------------------------------------------------------- sparse_plus


@elementwise(
    family="rectifier",
    formula="sparse_plus(x) = 0 if x ≤ −1; (x + 1)²/4 if −1 < x < 1; x if x ≥ 1",
    latex=r"\begin{cases} 0 & x \le -1 \\ \frac{(x+1)^2}{4} & |x| < 1 \\ x & x \ge 1 \end{cases}",
    derivative="sparse_plus′(x) = sparse_sigmoid(x)",
    sympy=lambda sp, x, p: sp.Piecewise((0, x <= -1), ((x + 1) ** 2 / 4, x < 1), (x, True)),
    image=span(closed(0.0), INF),
    uses=(
        "hidden layers or positive outputs where exact zeros are wanted: a softplus with a "
        "sparse lower tail"
    ),
    reference="Blondel et al. 2020, Learning with Fenchel-Young losses (JMLR); jax.nn.sparse_plus",
    d1=lambda x, **_: np.where(x <= -1, 0.0, np.where(x >= 1, 1.0, 0.5 * (x + 1.0))),
    d2=lambda x, **_: 0.5 * _indicator((x > -1) & (x < 1)),
    limits=RELU_LIKE,
    kinks=lambda **_: (
        Kink(-1.0, (0.0, 0.0), (0.0, 0.5), "left"),
        Kink(1.0, (1.0, 0.5), (1.0, 0.0), "right"),
    ),
    code={
        "keras": Code(function="keras.activations.sparse_plus(x)", dense="sparse_plus"),
        "jax": Code(function="jax.nn.sparse_plus(x)"),
    },
)
def sparse_plus(x: Array) -> Array:
    """Sparse plus: a softplus-shaped curve that is exactly 0 below −1 and x above 1.

    Examples:
        >>> sparse_plus(np.array([-2.0, 0.0, 3.0])).tolist()
        [0.0, 0.25, 3.0]
    """
    xc = np.clip(x, -1.0, 1.0)
    ih, il = nx.two_sum(xc, np.ones_like(xc))  # x + 1 exactly, then squared: rounded once
    sh, sl = nx.two_square(ih)
    return np.where(x >= 1, x, 0.25 * (sh + (sl + 2.0 * ih * il)))


# ---------------------------------------------------------------------------------- xIELU


def _xielu_left(x: Array, eps: float) -> tuple[Array, Array, Array]:
    """(m, expm1(m) as a double-double) for m = min(x, eps), x ≤ 0; e^m taken as 0 below −700
    (beside 1 + |x| it is below any ULP)."""
    m = np.minimum(x, eps)
    deep = m < -700.0
    eh, elo = nx.exp_dd(np.where(deep, -700.0, m))
    eh, elo = np.where(deep, 0.0, eh), np.where(deep, 0.0, elo)
    mh, ml = nx.two_sum(eh, np.full_like(eh, -1.0))
    return m, mh, ml + elo


def _xielu_negative(x: Array, alpha_n: float, beta: float, eps: float) -> Array:
    """αn·(expm1(min(x, eps)) − x) + β·x in double-double: the two terms cancel at f's zero
    (x ≈ −2.43 at the defaults) and their difference is needed to the last bit."""
    _, mh, ml = _xielu_left(x, eps)
    dh, dl = nx.dd_add(mh, ml, -x, np.zeros_like(x))
    ph, pl = nx.dd_mul(dh, dl, np.full_like(x, alpha_n), np.zeros_like(x))
    bh, bl = nx.two_prod(x, beta)
    sh, sl = nx.dd_add(ph, pl, bh, bl)
    return sh + sl


def _xielu_d1(x: Array, alpha_p: float, alpha_n: float, beta: float, eps: float) -> Array:
    # x ≤ 0: αn·(e^x − 1) + β below eps (cancelling at the minimum, in double-double), β − αn
    # between eps and 0
    _, mh, ml = _xielu_left(np.minimum(x, 0.0), eps)
    ph, pl = nx.dd_mul(mh, ml, np.full_like(x, alpha_n), np.zeros_like(x))
    sh, sl = nx.two_sum(ph, np.full_like(x, beta))
    left = np.where(x < eps, sh + (sl + pl), beta - alpha_n)
    return np.where(x > 0, 2.0 * alpha_p * x + beta, left)


def _xielu_d2(x: Array, alpha_p: float, alpha_n: float, beta: float, eps: float) -> Array:
    left = np.where(x < eps, alpha_n * el.exp(np.minimum(x, eps)), 0.0)
    return np.where(x > 0, 2.0 * alpha_p, left)


def _xielu_kinks(alpha_p: float, alpha_n: float, beta: float, eps: float) -> tuple[Kink, ...]:
    below = (alpha_n * math.expm1(eps) + beta, alpha_n * math.exp(eps))
    return (
        # torch.min(x, eps) splits the gradient of a tie between its arguments: the mean
        Kink(eps, below, (beta - alpha_n, 0.0), "mean"),
        # torch.where(x > 0, …): x = 0 takes the negative branch; f jumps by −αn·expm1(eps)
        Kink(0.0, (beta - alpha_n, 0.0), (beta, 2.0 * alpha_p), "left", jump=True),
    )


def _xielu_image(alpha_p: float, alpha_n: float, beta: float, eps: float) -> Range:
    at = math.log1p(-beta / alpha_n)  # where αn·e^x + β − αn = 0: the minimum
    if at < eps:
        return span(closed(-beta - (alpha_n - beta) * at, at=at), INF)
    return span(closed(alpha_n * math.expm1(eps), at=0.0), INF)  # decreasing up to 0


def _xielu_check(alpha_p: float, alpha_n: float, beta: float, eps: float) -> str | None:
    if not alpha_n > beta:
        return f"alpha_n must exceed beta (xIELU's alpha_n = beta + softplus(·)), got {alpha_n}"
    return None


@elementwise(
    family="rectifier",
    formula=(
        "xielu(x) = alpha_p·x² + beta·x if x > 0; "
        "alpha_n·(expm1(min(x, eps)) − x) + beta·x if x ≤ 0"
    ),
    latex=(
        r"\begin{cases} \alpha_p x^2 + \beta x & x > 0 \\ "
        r"\alpha_n \left(e^{\min(x, \epsilon)} - 1 - x\right) + \beta x & x \le 0 \end{cases}"
    ),
    derivative=(
        "xielu′(x) = 2·alpha_p·x + beta if x > 0; alpha_n·(e^x − 1) + beta if x < eps; "
        "beta − alpha_n if eps < x ≤ 0"
    ),
    sympy=lambda sp, x, p: sp.Piecewise(
        (p["alpha_p"] * x**2 + p["beta"] * x, x > 0),
        (p["alpha_n"] * (sp.exp(sp.Min(x, p["eps"])) - 1 - x) + p["beta"] * x, True),
    ),
    image=_xielu_image,
    uses="feed-forward layers of the Apertus LLMs (hidden_act: xielu), with trained alpha_p "
    "and alpha_n per layer",
    reference=(
        "Huang & Schlag 2024, Deriving activation functions using integration (xIELU), "
        "arXiv:2411.13010; Hugging Face transformers 5.25.0, transformers/activations.py: "
        "ACT2CLS['xielu'] = XIELUActivation._xielu_python: torch.where(x > 0, alpha_p * x * x + "
        "self.beta * x, (torch.expm1(torch.min(x, self.eps)) - x) * alpha_n + self.beta * x)"
    ),
    d1=_xielu_d1,
    d2=_xielu_d2,
    limits=lambda alpha_p, alpha_n, beta, eps: (
        (INF, INF),
        (beta - alpha_n, INF),
        (0.0, 2.0 * alpha_p),
    ),
    kinks=_xielu_kinks,
    check=_xielu_check,
    params=(
        positive(
            "alpha_p",
            0.8,
            "x > 0 curvature (transformers: softplus of a trained parameter)",
            aliases=("alpha_p_init",),
        ),
        real(
            "alpha_n",
            0.8,
            "x ≤ 0 scale, > beta (transformers: beta + softplus of a trained parameter)",
            aliases=("alpha_n_init",),
        ),
        positive("beta", 0.5, "slope at 0"),
        Param(
            "eps",
            -1e-6,
            "upper clamp of the exponential's argument",
            "a finite number < 0",
            lambda v: -math.inf < v < 0,
        ),
    ),
)
def xielu(x: Array, alpha_p: float, alpha_n: float, beta: float, eps: float) -> Array:
    """xIELU: a quadratic for x > 0 and an integrated ELU for x ≤ 0, as transformers runs it.

    The defaults are transformers' XIELUActivation(alpha_p_init=0.8, alpha_n_init=0.8,
    beta=0.5, eps=-1e-6); its alpha_p and alpha_n are softplus(·) and beta + softplus(·) of
    trained parameters, so a model's values come from its checkpoint, and by default
    (dtype=torch.bfloat16) the constants are stored in bfloat16: 0.8 as 0.80078125 and −1e−6
    as −9.98377799987793e−07. Taken literally, the clamp min(x, eps) makes f linear with slope
    beta − alpha_n on (eps, 0] and f jumps at 0 by −alpha_n·expm1(eps) ≈ 8e−7; both are
    recorded as kinks. The negative branch is evaluated in double-double, since its two terms
    cancel at f's zero.

    Examples:
        >>> xielu(np.array([-1.0, 1.0]), alpha_p=0.8, alpha_n=0.8, beta=0.5, eps=-1e-6).round(6).tolist()
        [-0.205696, 1.3]
    """
    out = _xielu_negative(np.minimum(x, 0.0), alpha_n, beta, eps)
    return np.where(x > 0, x * (alpha_p * x + beta), out)
