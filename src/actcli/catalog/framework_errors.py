"""Where the frameworks themselves are wrong: recorded inaccuracies of PyTorch, Keras 3, tf_keras,
TensorFlow and JAX, each with its region and its reason.

Every entry was measured: ``tests/test_parity.py`` compares the recorded framework outputs
(``tests/data/parity/``, written by ``tools/parity.py``) with an mpmath oracle, and keeps this
table honest (every entry must show the framework off the oracle in its region; outside the
regions the framework is the reference). ``info`` reports the entries of an activation, so that
a porter knows a difference is the framework's, not theirs.

Elementwise entries name the quantity ("y" or "dy") and closed x intervals; vector entries
("y" or "jacobian") the recorded input vector.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TINY = 2.2250738585072014e-308  # smallest normal float64
INF = math.inf


def beyond(a: float) -> tuple[tuple[float, float], ...]:
    """|x| >= a."""
    return ((-INF, -a), (a, INF))


SUBNORMAL = ((-TINY, TINY),)
NEAR_THREE_BELOW = ((3.0 - 4e-15, math.nextafter(3.0, 0.0)),)
NEAR_ONE = ((1.0 - 4e-15, 1.0 + 4e-15),)  # 1 itself is a kink: never exempt


@dataclass(frozen=True)
class KnownError:
    """A region where ``framework``'s recorded ``quantity`` of ``spec`` is inaccurate.

    Elementwise: ``quantity`` is "y" or "dy" and ``region`` closed x intervals. Vector:
    ``quantity`` is "y" or "jacobian" and ``case`` the recorded input vector.
    """

    framework: str
    spec: str
    quantity: str
    region: tuple[tuple[float, float], ...]
    reason: str
    case: tuple[float, ...] | None = None


_E = KnownError
_Y_1_MINUS_Y = "derivative y·(1−y) from the saved output: 1−y cancels"
_TANH_1_MINUS_Y2 = "derivative 1−y² / (1+y)(1−y) from the saved output cancels"
_SOFTSIGN = (
    "autodiff of x/(1+|x|): the quotient rule's two terms cancel: 5–9 ulp from |x| ≈ 4.75, up "
    "to 305 ulp (torch) / 207 ulp (jax) at |x| = 700 (measured)"
)
_ERF = (
    "exact GELU as ½x(1+erf(x/√2)): 1+erf cancels for x < 0 (−0.0 below x ≈ −8.4); the "
    "backward cdf + x·pdf inherits it (measured > 2 ulp from x = −1.5, "
    "> 4 ulp in the derivative from x = −3)"
)
_TANH_GELU = (
    "tanh GELU as ½x(1+tanh u): 1+tanh u cancels for x < 0 (−0.0 below x ≈ −7.2) and so does "
    "its backward (measured from x ≈ −1 to −2)"
)
_GELU_ROOT = (
    "gelu' has a zero at x ≈ −0.7518 (tanh form −0.7525): cdf + x·pdf cancels "
    "(torch 609 / jax 31 ulp at −0.75 exact form, 389 / 11 ulp tanh form; measured)"
)
_TANH_GELU_DY_POS = (
    "tanh-GELU backward: 1−tanh²(u) cancels for large x (5–155 ulp for 3 < x < 7.5; measured)"
)
_ELU_JVP = (
    "jax's expm1 JVP is g·(ans+1) = expm1(x)+1, which cancels for x ≪ 0: > 4 ulp from "
    "x ≈ −3.4 (α = 1), exactly 0 instead of α·eˣ below x ≈ −37 (measured)"
)
_DAZ = (
    "XLA on the CPU treats subnormal inputs as zero (denormals-are-zero): at x = ±5e-324 jax "
    "takes its x = 0 branch: relu'(5e-324) = 0, leaky_relu'(−5e-324) = 1, "
    "heaviside(−5e-324) = 1, selu'(5e-324) = λα (measured)"
)
_SQUAREPLUS = (
    "(x + √(x²+b))/2 cancels for x < 0 (7e4 ulp for b = 4, 4e5 ulp for b = 1 at x = −1000) and "
    "so does the derivative ½(1 + x/√(x²+b)); robust: b/(2(√(x²+b) − x)) (measured)"
)
_SP_JVP = (
    "logaddexp custom JVP exp(x − softplus(x)): the rounding of x − sp(x) is amplified by |x| "
    "(5–22 ulp for 8.9 ≤ |x| ≤ 34.5; measured)"
)
_X_PLUS_3 = (
    "relu6(x+3)/6: at x = nextafter(3, 0) x + 3 rounds to 6, so relu6' sees its kink: "
    "hard_sigmoid' 0 instead of 1/6, hard_silu' 1 instead of 1.4999999999999998 (measured)"
)
_SOFTMAX_DIAG = (
    "Jacobian diagonal p − p² (log_softmax: 1 − p) rounds to 0 where p ≈ 1; true "
    "p(1−p) = 8.5e-18 (measured)"
)
_LOG_SOFTMAX_Y = (
    "x − max − log Σexp(x − max): for the dominant entry Σ = 1 + 8.5e-18 rounds to 1 and the "
    "result is 0 instead of −8.5e-18 (log1p would keep it); other entries lose 3–4 ulp to the "
    "rounding of max + log Σ before the subtraction (measured)"
)
_GLU_JAC = "∂y/∂b = a·σ(b)(1−σ(b)): 1−σ cancels (7 ulp at b = 2, 405 ulp at b = 6)"

_TF_DAZ = (
    "TensorFlow on the CPU treats subnormal inputs as zero (denormals-are-zero, as XLA): at "
    "x = ±5e-324 TF takes its x = 0 branch (relu'(5e-324) = 0, heaviside(−5e-324) = h₀, ...; "
    "measured)"
)
TF_F32_ALPHA = (
    "TF's LeakyRelu kernel takes alpha as a float32 attribute: the slope is float32(α) "
    "(0.20000000298023224 for 0.2), 1.5e-8 relative off for x < 0, values and gradient "
    "(measured; Keras 3 and tf_keras call the same kernel)"
)
_TF_GELU = (
    "tf.nn.gelu (approximate=False), also behind keras.activations.gelu: "
    "0.5·x·erfc(−x·0.7071067690849304), √½ rounded to float32 (reproduced bit for bit at "
    "x = ±1, ±3): relative error ~1e-8 (4e7 ulp) for x > 0, growing like x² in the negative "
    "tail (1.5e-5 relative at x = −30, 1.7e11 ulp at x = −36; measured)"
)
_TF_GELU_TANH = (
    "tf.nn.gelu(approximate=True): the coefficient 0.044715 is rounded to float32 "
    "(0.04471499845385551; reproduced bit for bit at x = 1, 3): 4e6 ulp for x > 0; and "
    "1 + tanh u cancels for x < 0 (−0.0 below x ≈ −20; measured)"
)
_TF_ELU_Y = (
    "TF's Elu/Selu kernel computes exp(x) − 1, not expm1 (its value at x = −1e-12 is "
    "numpy's exp(x) − 1 bit for bit): cancellation near 0 (1.1e11 ulp at x = −1e-12, 0 "
    "instead of x at −1e-300; measured)"
)
_TF_ELU_DY = (
    "EluGrad/SeluGrad from the saved output: (y + α) cancels for x ≪ 0 (> 4 ulp from "
    "x ≈ −2.75, 0 instead of α·eˣ below x ≈ −37; measured)"
)
_TF_FAMILY = ("keras", "keras2", "tf")


def _tf_family(
    spec: str,
    quantity: str,
    region: tuple[tuple[float, float], ...],
    reason: str,
    frameworks: tuple[str, ...] = _TF_FAMILY,
) -> tuple[KnownError, ...]:
    """One TF kernel's inaccuracy, as recorded through each front end that has ``spec``."""
    return tuple(KnownError(fw, spec, quantity, region, reason) for fw in frameworks)


SOFTMAX_TAIL = (1e-300, -1e-300, 40.0, -40.0)
SPARSEMAX_WRONG = ((0.1, 0.2, 0.3, 0.25), (1.0, 1.1, 0.9, -2.0), (0.5, 0.4, 0.45, 0.3, -1.0))
_KERAS_SPARSEMAX_Y = (
    "keras.activations.sparsemax on the TF backend (Keras 3.15.1) returns all zeros when the "
    "support has 3 or more elements: τ is computed from the sum of the masked cumulative "
    "sums instead of the cumulative sum at the support size (reported: 0.0973 where the "
    "answer is 0.01725; recorded: 0 for (0.1, 0.2, 0.3, 0.25) where the answer is "
    "(0.1375, 0.2375, 0.3375, 0.2875))"
)
_KERAS_SPARSEMAX_JAC = (
    "autodiff through the same τ (see the values): the Jacobian is not diag(s) − s·sᵀ/|S| "
    "(e.g. at (1, 2, 3), support {3}, it has a row (0, 1, −1) where the answer is 0)"
)
_KERAS_SPARSEMAX_MASKED = (
    "keras.activations.sparsemax of a row entirely −inf (a fully masked row): its values are "
    "NaN, but autodiff gives the Jacobian 0 instead of NaN (recorded)"
)
_KERAS_SPARSEMAX_POS_INF = (
    "keras.activations.sparsemax of a row holding +inf: +inf for every entry and the identity "
    "as its Jacobian (recorded), where the row has no value (NaN)"
)
MIXED = (-1.0, 0.5, 2.0, -3.0)
# relu's recorded parameter sets with a kink at 0 beside a cap (tools/parity.py RELU_PARAMS),
# where a subnormal x reads as that kink
RELU_AT_ZERO = ("max_value=6", "max_value=2.5", "negative_slope=0.1,max_value=6")
MASKED = (-INF, 0.0, 1.0)  # one entry masked
DEAD = (-INF, -INF, -INF)  # every entry masked
OVERFLOWED = (INF, 0.0, 1.0)

# Each region was measured (tools/parity.py's data against the mpmath oracle of
# tests/test_parity.py): it covers the grid points where the framework is more than 2 ulp
# (values) or 4 ulp (derivatives) off the correctly rounded result, rounded outwards: half the
# tolerances, so that outside these regions the framework's own error leaves actcli at least
# half of them.
# fmt: off
KNOWN_FRAMEWORK_ERRORS: tuple[KnownError, ...] = (
    # ---- PyTorch 2.13.0 (CPU, float64) ----
    _E("torch", "hard_sigmoid", "dy", ((math.nextafter(-3.0, 0.0), math.nextafter(3.0, 0.0)),),
       "hardsigmoid_backward multiplies by a float32 1/6 even for float64: 0.1666666716337204 "
       "instead of 0.16666666666666666 on all of (−3, 3) (relative 3e-8, 1.8e8 ulp; measured)"),
    _E("torch", "hard_silu", "dy", ((-2.0, -1.0),),
       "(2x+3)/6 evaluated as x/3 + 0.5 cancels near its zero x = −1.5 (5 ulp at −1.625)"),
    _E("torch", "tanh_shrink", "y", ((-1.0, 1.0),),
       "x − tanh x cancels for small |x| (measured 3 ulp at ±0.5, 4e3 ulp at "
       "±0.01, 0 instead of x³/3 for |x| ≤ 1e-8)"),
    _E("torch", "tanh_shrink", "dy", ((-0.1, 0.1),),
       "autograd 1 − (1 − y²) cancels like the value (3e3 ulp at ±0.01)"),
    _E("torch", "sigmoid", "dy", ((1.5, INF),), _Y_1_MINUS_Y + "; measured from x ≈ 1.9"),
    _E("torch", "tanh", "dy", beyond(1.5), _TANH_1_MINUS_Y2 + "; measured from |x| ≈ 1.9"),
    _E("torch", "softsign", "dy", beyond(4.5), _SOFTSIGN),
    _E("torch", "silu", "dy", ((-1.5, -1.0), (9.5, 40.0)),
       "silu_backward σ(1 + x(1−σ)): silu' has a zero at x ≈ −1.2785 (13 ulp at −1.25), and "
       "1−σ cancels for large x (5–14 ulp for 9.9 ≤ x ≤ 38; measured)"),
    _E("torch", "mish", "dy", ((-1.5, -0.9), (10.0, 25.0)),
       "mish_backward: mish' has a zero at x ≈ −1.1924 (25 ulp at −1.25), and 1 − tanh²(sp) "
       "cancels for large x (5–10 ulp for 12 ≤ x ≤ 19; measured)"),
    _E("torch", "gelu", "y", ((-INF, -1.25),), _ERF),
    _E("torch", "gelu", "dy", ((-INF, -2.0), (-0.8, -0.7)), _ERF + "; " + _GELU_ROOT),
    _E("torch", "gelu:approximate=tanh", "y", ((-INF, -1.25),), _TANH_GELU),
    _E("torch", "gelu:approximate=tanh", "dy", ((-INF, -1.75), (-1.25, -0.6), (6.0, 8.0)),
       _TANH_GELU + "; " + _GELU_ROOT + "; " + _TANH_GELU_DY_POS),
    # ---- JAX 0.10.2 (CPU, x64) ----
    _E("jax", "step", "y", SUBNORMAL, _DAZ),
    _E("jax", "step:value=0.5", "y", SUBNORMAL, _DAZ),
    _E("jax", "relu", "dy", SUBNORMAL, _DAZ),
    *(_E("jax", f"relu:{p}", "dy", SUBNORMAL, _DAZ) for p in (*RELU_AT_ZERO, "negative_slope=0.1")),
    _E("jax", "relu6", "dy", SUBNORMAL, _DAZ),
    _E("jax", "leaky_relu", "dy", SUBNORMAL, _DAZ),
    _E("jax", "leaky_relu:negative_slope=0.2", "dy", SUBNORMAL, _DAZ),
    _E("jax", "elu:alpha=0.5", "dy", SUBNORMAL, _DAZ),
    _E("jax", "selu", "dy", SUBNORMAL, _DAZ),
    _E("jax", "hard_sigmoid", "dy", NEAR_THREE_BELOW, _X_PLUS_3),
    _E("jax", "hard_silu", "dy", NEAR_THREE_BELOW, _X_PLUS_3),
    _E("jax", "sparse_sigmoid", "dy", NEAR_ONE,
       "0.5·clip(x+1, 0, 2): x + 1 rounds to 2 at x = 1 ± 1 ulp and the clip tie gives ¼ "
       "instead of ½ / 0 (input rounding; measured)"),
    _E("jax", "sigmoid", "dy", ((1.5, INF),), _Y_1_MINUS_Y + "; measured from x ≈ 1.9"),
    _E("jax", "log_sigmoid", "dy", beyond(8.5), _SP_JVP),
    _E("jax", "softplus", "dy", beyond(8.5), _SP_JVP),
    _E("jax", "tanh", "y", beyond(9.0),
       "XLA's CPU tanh is 3–6 ulp off for 9 ≤ |x| ≤ 20, before it saturates (measured)"),
    _E("jax", "tanh", "dy", beyond(1.25), _TANH_1_MINUS_Y2 + "; measured from |x| ≈ 1.4"),
    _E("jax", "softsign", "dy", beyond(4.5), _SOFTSIGN),
    _E("jax", "squareplus", "y", ((-INF, -1.75),), _SQUAREPLUS),
    _E("jax", "squareplus", "dy", ((-INF, -1.75),), _SQUAREPLUS),
    _E("jax", "squareplus:b=1", "y", ((-INF, -1.75),), _SQUAREPLUS),
    _E("jax", "squareplus:b=1", "dy", ((-INF, -1.75),), _SQUAREPLUS),
    _E("jax", "silu", "dy", ((-1.5, -1.25), (9.5, 40.0)),
       "autodiff of x·σ(x): silu' has a zero at x ≈ −1.2785 (5 ulp at −1.375), and σ' = "
       "σ(1−σ) cancels for large x (5–14 ulp for 9.9 ≤ x ≤ 38; measured)"),
    _E("jax", "mish", "y", ((-10.5, 20.0),),
       "x·tanh(softplus(x)) with XLA's tanh: 3–4 ulp at scattered points in [−10, 19.5] "
       "(measured)"),
    _E("jax", "mish", "dy", ((-INF, -0.8), (4.0, 25.0)),
       "autodiff of x·tanh(softplus(x)): the softplus JVP (see log_sigmoid) and 1 − tanh² "
       "cancel (5–22 ulp for x ≤ −9.5, up to 129 ulp for 4.5 ≤ x ≤ 19.5), and mish' has a "
       "zero at x ≈ −1.1924 (33 ulp at −1.25; measured)"),
    _E("jax", "gelu:approximate=none", "y", ((-INF, -1.0),),
       "½x·erfc(−x/√2) with the argument −x·(1/√2) rounded: relative error ≈ 2z²·2⁻⁵³, "
       "3–970 ulp for x ≤ −1.1 (SciPy's erfc at the same rounded argument is off alike; "
       "measured up to 1e-13 relative)"),
    _E("jax", "gelu:approximate=none", "dy", ((-INF, -2.75), (-1.5, -0.6)),
       "the erfc-form derivative inherits the rounded-argument error (5–1000 ulp for "
       "x ≤ −3); " + _GELU_ROOT),
    _E("jax", "gelu:approximate=tanh", "y", ((-INF, -1.0), (7.0, 7.5)),
       _TANH_GELU + "; 4 ulp at x = 7.125, 7.25 (XLA tanh)"),
    _E("jax", "gelu:approximate=tanh", "dy", ((-INF, -1.25), (-0.8, -0.6), (3.0, 8.0)),
       _TANH_GELU + "; " + _GELU_ROOT + "; " + _TANH_GELU_DY_POS),
    _E("jax", "elu", "dy", ((-INF, -3.0),), _ELU_JVP),
    _E("jax", "elu:alpha=0.5", "dy", ((-INF, -3.0),), _ELU_JVP),
    _E("jax", "selu", "dy", ((-INF, -3.0),), _ELU_JVP),
    _E("jax", "celu", "dy", ((-INF, -3.0),), _ELU_JVP),
    _E("jax", "celu:alpha=2", "dy", ((-INF, -5.5),), _ELU_JVP),
    # ---- TensorFlow 2.21 kernels: Keras 3.15.1 (TF backend), tf_keras 2.21.0, tf.nn ----
    # (one kernel, three front ends: each entry below is measured in all three files)
    *_tf_family("step", "y", SUBNORMAL, _TF_DAZ, ("keras",)),
    *_tf_family("step:value=0.5", "y", SUBNORMAL, _TF_DAZ, ("keras",)),
    *_tf_family("relu", "dy", SUBNORMAL, _TF_DAZ),
    *(e for p in RELU_AT_ZERO for e in _tf_family(f"relu:{p}", "dy", SUBNORMAL, _TF_DAZ)),
    *_tf_family("relu:negative_slope=0.1", "y", ((-INF, -TINY),), TF_F32_ALPHA),
    *_tf_family("relu:negative_slope=0.1", "dy", ((-INF, TINY),), TF_F32_ALPHA + "; " + _TF_DAZ),
    *_tf_family("relu6", "dy", SUBNORMAL, _TF_DAZ),
    *_tf_family("prelu", "dy", SUBNORMAL, _TF_DAZ, ("keras", "keras2")),
    *_tf_family("prelu:weight=0.25", "dy", SUBNORMAL, _TF_DAZ, ("keras", "keras2")),
    *_tf_family("threshold:threshold=0,value=0", "dy", SUBNORMAL, _TF_DAZ, ("keras",)),
    *_tf_family("celu", "dy", SUBNORMAL, _TF_DAZ, ("keras",)),
    *_tf_family("celu:alpha=2", "dy", SUBNORMAL, _TF_DAZ, ("keras",)),
    *_tf_family("leaky_relu", "y", ((-INF, -TINY),), TF_F32_ALPHA),
    *_tf_family("leaky_relu", "dy", ((-INF, TINY),), TF_F32_ALPHA + "; " + _TF_DAZ),
    *_tf_family("leaky_relu:negative_slope=0.1", "y", ((-INF, -TINY),), TF_F32_ALPHA,
                ("keras", "keras2")),
    *_tf_family("leaky_relu:negative_slope=0.1", "dy", ((-INF, TINY),),
                TF_F32_ALPHA + "; " + _TF_DAZ, ("keras", "keras2")),
    *_tf_family("leaky_relu:negative_slope=0.3", "y", ((-INF, -TINY),), TF_F32_ALPHA,
                ("keras",)),
    *_tf_family("leaky_relu:negative_slope=0.3", "dy", ((-INF, TINY),),
                TF_F32_ALPHA + "; " + _TF_DAZ, ("keras",)),
    *_tf_family("leaky_relu:negative_slope=0.01", "y", ((-INF, -TINY),), TF_F32_ALPHA,
                ("tf",)),
    *_tf_family("leaky_relu:negative_slope=0.01", "dy", ((-INF, TINY),),
                TF_F32_ALPHA + "; " + _TF_DAZ, ("tf",)),
    *_tf_family("hard_sigmoid", "dy", NEAR_THREE_BELOW, _X_PLUS_3, ("keras",)),
    *_tf_family("hard_silu", "dy", NEAR_THREE_BELOW, _X_PLUS_3, ("keras",)),
    *_tf_family("hard_sigmoid", "y", ((math.nextafter(-2.5, 0.0), -2.0),),
                "clip(0.2·x + 0.5, 0, 1): 0.2·x + 0.5 cancels next to x = −2.5 (2.7e15 ulp "
                "at nextafter(−2.5, 0), 3 ulp at −2.125; measured)", ("keras2",)),
    *_tf_family("hard_sigmoid", "dy", ((2.5 + 2e-16, 2.5 + 1e-15),),
                "at x = nextafter(2.5, 3) 0.2·x + 0.5 rounds to 1, the clip bound, whose "
                "gradient passes: 0.2 instead of 0 (input rounding; measured)", ("keras2",)),
    *_tf_family("tanh_shrink", "y", ((-1.0, 1.0),),
                "x − tanh x cancels for small |x| (0 instead of x³/3 for "
                "|x| ≤ 1e-8; measured from |x| ≈ 0.6)", ("keras",)),
    *_tf_family("tanh_shrink", "dy", ((-15.0, 15.0),),
                "autodiff 1 − TanhGrad = 1 − (1 − y²): cancels for small |x| (5e15 ulp at "
                "±1e-12) and 5–8 ulp at scattered points up to |x| = 14 (measured)",
                ("keras",)),
    *_tf_family("sigmoid", "dy", ((2.5, INF),), _Y_1_MINUS_Y + " (SigmoidGrad); measured "
                "from x ≈ 2.75, 0 instead of e^(−x) from x ≈ 37"),
    *_tf_family("tanh", "y", beyond(6.5),
                "TF's CPU tanh is 3–4 ulp off at scattered points 7 ≤ |x| ≤ 14 (measured)"),
    *_tf_family("tanh", "dy", beyond(1.25), _TANH_1_MINUS_Y2 + " (TanhGrad); measured from "
                "|x| = 1.5, 0 instead of 4e^(−2|x|) from |x| ≈ 19"),
    *_tf_family("log_sigmoid", "y", ((34.0, 35.0),),
                "3 ulp at x = 34.5 (log_sigmoid as −softplus(−x); measured)", ("keras", "tf")),
    *_tf_family("softplus", "y", ((-35.0, -34.0),),
                "TF's Softplus kernel: 3 ulp at x = −34.5, near its exp(x) switch (measured)"),
    *_tf_family("squareplus", "y", ((-INF, -3.5),), _SQUAREPLUS, ("keras",)),
    *_tf_family("squareplus", "dy", ((-INF, -3.5),), _SQUAREPLUS, ("keras",)),
    *_tf_family("squareplus:b=1", "y", ((-INF, -1.75),), _SQUAREPLUS, ("keras",)),
    *_tf_family("squareplus:b=1", "dy", ((-INF, -1.75),), _SQUAREPLUS, ("keras",)),
    *_tf_family("silu", "dy", ((-1.5, -1.0), (20.0, 40.0)),
                "autodiff of x·σ(x): silu' has a zero at x ≈ −1.2785 (21 ulp at −1.25), and "
                "SigmoidGrad σ(1−σ) cancels for large x (5–14 ulp for 22 ≤ x ≤ 38; measured)",
                ("keras", "keras2", "tf")),
    *_tf_family("silu:beta=2", "dy", ((-0.75, -0.5), (10.0, 20.0)),
                "as silu with βx: zero of the derivative at x ≈ −0.639 (21 ulp at −0.625), "
                "σ(1−σ) cancels for 11 ≤ x ≤ 19 (measured)", ("tf",)),
    *_tf_family("mish", "y", ((-35.0, 15.0),),
                "x·tanh(softplus(x)) with TF's tanh and softplus: 3 ulp at x = −34.5, −6, 4, "
                "14 (measured)", ("keras", "keras2")),
    *_tf_family("mish", "dy", ((-2.0, -0.9), (2.5, 20.0)),
                "autodiff of x·tanh(softplus(x)): mish' has a zero at x ≈ −1.1924 (31 ulp "
                "at −1.25), and TanhGrad 1 − y² cancels for large x (5–73 ulp for "
                "2.75 ≤ x ≤ 19; measured)", ("keras", "keras2")),
    *_tf_family("gelu", "y", ((-INF, -1e-6), (1e-6, 7.0)), _TF_GELU),
    *_tf_family("gelu", "dy", ((-INF, -1e-6), (1e-6, 7.0)), _TF_GELU),
    *_tf_family("gelu:approximate=tanh", "y", ((-INF, -0.01), (0.01, 7.5)), _TF_GELU_TANH),
    *_tf_family("gelu:approximate=tanh", "dy", ((-INF, -0.01), (0.01, 7.5)), _TF_GELU_TANH),
    *_tf_family("elu", "y", ((-0.25, -TINY),), _TF_ELU_Y),
    *_tf_family("elu", "dy", ((-INF, -3.25),), _TF_ELU_DY),
    *_tf_family("elu:alpha=0.5", "y", ((-0.25, -TINY),), _TF_ELU_Y, ("keras", "keras2")),
    *_tf_family("elu:alpha=0.5", "dy", ((-INF, -3.25), *SUBNORMAL),
                _TF_ELU_DY + "; " + _TF_DAZ, ("keras", "keras2")),
    *_tf_family("selu", "y", ((-0.25, -TINY),), _TF_ELU_Y),
    *_tf_family("selu", "dy", ((-INF, -2.5), (-1e-250, -TINY / 2**52)),
                _TF_ELU_DY + "; at x = −1e-300 and −5e-324 the value rounds to 0, so "
                "SeluGrad's activations < 0 test takes the x > 0 branch: λ instead of λα "
                "(measured)"),
    # ---- vector activations ----
    _E("torch", "softmax", "jacobian", (), _SOFTMAX_DIAG, case=SOFTMAX_TAIL),
    _E("torch", "softmin", "jacobian", (), _SOFTMAX_DIAG, case=SOFTMAX_TAIL),
    _E("torch", "log_softmax", "jacobian", (), _SOFTMAX_DIAG, case=SOFTMAX_TAIL),
    _E("torch", "log_softmax", "y", (), _LOG_SOFTMAX_Y, case=SOFTMAX_TAIL),
    _E("torch", "log_softmax", "y", (), _LOG_SOFTMAX_Y, case=MIXED),
    _E("torch", "glu", "jacobian", (), _GLU_JAC, case=MIXED),
    _E("torch", "glu", "jacobian", (), _GLU_JAC, case=(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)),
    _E("jax", "softmax", "jacobian", (), _SOFTMAX_DIAG, case=SOFTMAX_TAIL),
    _E("jax", "softmin", "jacobian", (), _SOFTMAX_DIAG, case=SOFTMAX_TAIL),
    _E("jax", "log_softmax", "jacobian", (), _SOFTMAX_DIAG, case=SOFTMAX_TAIL),
    _E("jax", "log_softmax", "y", (), _LOG_SOFTMAX_Y, case=SOFTMAX_TAIL),
    _E("jax", "log_softmax", "y", (), _LOG_SOFTMAX_Y, case=MIXED),
    _E("jax", "glu", "jacobian", (), _GLU_JAC, case=MIXED),
    _E("jax", "glu", "jacobian", (), _GLU_JAC, case=(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)),
    *(
        _E(fw, spec, q, (), reason, case=SOFTMAX_TAIL)
        for fw in _TF_FAMILY
        for spec, q, reason in (
            ("softmax", "jacobian", _SOFTMAX_DIAG),
            ("log_softmax", "jacobian", _SOFTMAX_DIAG),
            ("log_softmax", "y", _LOG_SOFTMAX_Y),
        )
        if (fw, spec) != ("keras2", "log_softmax")  # tf_keras has no log_softmax
    ),
    _E("keras", "softmin", "jacobian", (), _SOFTMAX_DIAG, case=SOFTMAX_TAIL),
    _E("keras", "glu", "jacobian", (), _GLU_JAC, case=(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)),
    *(_E("keras", "sparsemax", "y", (), _KERAS_SPARSEMAX_Y, case=c) for c in SPARSEMAX_WRONG),
    *(
        _E("keras", "sparsemax", "jacobian", (), _KERAS_SPARSEMAX_JAC, case=c)
        for c in ((1.0, 2.0, 3.0), (0.0, 0.0, 0.0, 0.0), MASKED, *SPARSEMAX_WRONG)
    ),
    _E("keras", "sparsemax", "jacobian", (), _KERAS_SPARSEMAX_MASKED, case=DEAD),
    _E("keras", "sparsemax", "y", (), _KERAS_SPARSEMAX_POS_INF, case=OVERFLOWED),
    _E("keras", "sparsemax", "jacobian", (), _KERAS_SPARSEMAX_POS_INF, case=OVERFLOWED),
    *(
        _E(fw, "normalize", "jacobian", (),
           "autodiff of the normalisation of a one-element vector leaves −2.8e-17 "
           "instead of 0 (the two terms of (I − y yᵀ)/‖x‖ do not cancel exactly; "
           "measured)", case=(5.0,))
        for fw in ("keras", "tf")
    ),
    _E("jax", "standardize", "jacobian", (),
       "10 ulp: the 'fast' variance E[x²] − E[x]² and lax.rsqrt (measured)",
       case=(1.0, 2.0, 3.0)),
)
# fmt: on
