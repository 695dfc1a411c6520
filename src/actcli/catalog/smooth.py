"""Smooth activations: softplus, the SiLU/GELU/Mish family, the ELU family, and smooth extras.

Every formula is written for finite input (the registry substitutes the declared limits at
±inf). Where a huge input would meet an underflowed factor (x·0 with x·something = inf), the
argument is clipped at a magnitude beyond which the result no longer changes; each clip says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli import elementary as el
from actcli import numerics as nx
from actcli.catalog._taylor import RADIUS, SERIES
from actcli.catalog.records import (
    REALS,
    RELU_LIKE,
    Bound,
    Code,
    Constant,
    Kink,
    Param,
    Preset,
    Range,
    Template,
    choice,
    closed,
    number_text,
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
NAN = math.nan
NO_LIMIT = ((NAN, NAN), (NAN, NAN), (NAN, NAN))  # periodic functions have no limit at ±∞

# Global minima (value, where) of the non-monotonic activations, from mpmath's findroot on f′
# at 60 digits; tests/test_catalog_facts.py recomputes them from the oracle.
SILU_MINIMUM = (-0.27846454276107379510935873961, -1.2784645427610737951093587396)  # −W(1/e)
MISH_MINIMUM = (-0.30884341301725040662876021, -1.19243121451549521213758803)
GELU_MINIMUM = {
    "none": (-0.16997120747990366169386846, -0.75179152469356445745790493),
    "tanh": (-0.17004075057125405063906740, -0.75246142207101625848795440),
}
ELISH_MINIMUM = (
    -0.17157287525380990239662255,
    -0.88137358701954302523260933,
)  # 2√2 − 3 at −asinh 1
TANH_EXP_MINIMUM = (-0.35328577784821127098744710, -1.07886005846462405665066700)
SERF_MINIMUM = (-0.34843745875960642022200400, -1.19305996892818796618328600)


def _swish_image(beta: float, unit: str = "") -> Range:
    """x·σ(βx) has its minimum −W(1/e)/β at (−1 − W(1/e))/β (silu, quick_gelu)."""
    value, at = SILU_MINIMUM
    symbols = (number_text(value) + unit, number_text(at) + unit) if unit else ("", "")
    return span(closed(value / beta, at / beta, *symbols), INF)


def _elu_image(alpha: float, symbol: str) -> Range:
    """alpha·(e^x − 1) for x ≤ 0 and x above: → −alpha, or ≥ 0 when alpha ≤ 0 (0 at 0 alone
    when alpha < 0, on all of x ≤ 0 when alpha = 0)."""
    if alpha > 0:
        return span(Bound(-alpha, symbol=symbol), INF)
    return span(closed(0.0, at=0.0 if alpha < 0 else None), INF)


def _sine_image(w0: float) -> Range:
    low = closed(-1.0, -math.pi / (2.0 * w0), at_symbol="−π/(2·w0)")
    return span(low, closed(1.0, math.pi / (2.0 * w0), at_symbol="π/(2·w0)"))


# |z| beyond which σ(z) is exactly 0 or 1 in float64 (σ(−746) underflows): clipping a logistic
# argument there changes nothing but keeps products like z·σ(−z) finite.
_Z = 1000.0


def _times(x: Array, c: tuple[float, float]) -> tuple[Array, Array | None]:
    """c·x as a double-double (hi, lo); lo is None when c is exactly 1 and nothing is lost."""
    if c == (1.0, 0.0):
        return x, None
    return nx.scaled(x, c)


# ---------------------------------------------------------------------------------- softplus


def _softplus_cases(plain: str, softplus: str, where: str) -> Template:
    """softplus in a framework whose softplus has neither beta nor torch's threshold."""
    return (
        ("beta=1,threshold=inf", f"{plain}(x)"),
        (
            "threshold=inf",
            f"{softplus}({{beta}} * x) / {{beta}}  # {plain} has no beta: softplus(βx)/β",
        ),
        (
            "",
            f"{where}({{beta}} * x > {{threshold}}, x, {softplus}({{beta}} * x) / {{beta}})"
            f"  # {plain} has no beta and no threshold: x where βx > threshold",
        ),
    )


def _softplus_parts(x: Array, beta: float) -> tuple[Array, Array | None]:
    return _times(x, (beta, 0.0))


def _softplus_kinks(beta: float, threshold: float) -> tuple[Kink, ...]:
    if not math.isfinite(threshold):
        return ()
    t = np.array([threshold])
    s, ds = float(nx.sigmoid(t)[0]), float(nx.sigmoid_prime(t)[0])
    return (Kink(threshold / beta, (s, beta * ds), (1.0, 0.0), "left", jump=True),)


def _softplus_d1(x: Array, beta: float, threshold: float) -> Array:
    zh, zl = _softplus_parts(x, beta)
    d1 = nx.sigmoid_dd(zh, zl)
    return d1 if threshold == INF else np.where(zh > threshold, 1.0, d1)


def _softplus_d2(x: Array, beta: float, threshold: float) -> Array:
    zh, zl = _softplus_parts(x, beta)
    s, sm = nx.sigmoid_pair(zh)
    # σ′(zh + zl) = σ′(zh)·(1 + (σ(−zh) − σ(zh))·zl): rounding β·x costs |βx| ULP otherwise
    d2 = beta * (s * sm) if zl is None else beta * (s * sm) * (1.0 + (sm - s) * zl)
    return d2 if threshold == INF else np.where(zh > threshold, 0.0, d2)


@elementwise(
    family="smooth",
    formula="softplus(x) = log(1 + e^(beta·x))/beta   (x itself where beta·x > threshold)",
    latex=r"\frac{1}{\beta}\log\left(1 + e^{\beta x}\right)",
    derivative="softplus′(x) = σ(beta·x)",
    sympy=lambda sp, x, p: sym_softplus(sp, p["beta"] * x) / p["beta"],
    image=span(0.0, INF),
    uses=(
        "outputs that must be positive (variances, rates, scales), and hidden layers as a "
        "smooth ReLU"
    ),
    reference="Dugas et al. 2001, Incorporating second-order functional knowledge (NIPS)",
    d1=_softplus_d1,
    d2=_softplus_d2,
    limits=RELU_LIKE,
    params=(
        positive("beta", 1.0, "sharpness; → relu as beta → ∞"),
        Param(
            "threshold",
            INF,
            "switch to the identity where beta·x exceeds it; torch uses 20 (costs 2e−9 absolute), "
            "actcli defaults to inf (exact everywhere)",
            "a number (inf allowed)",
            lambda v: not math.isnan(v),
        ),
    ),
    kinks=_softplus_kinks,
    code={
        "torch": Code(
            function="F.softplus(x, beta={beta}, threshold={threshold})",
            layer="torch.nn.Softplus(beta={beta}, threshold={threshold})",
        ),
        "keras": Code(
            function=_softplus_cases(
                "keras.activations.softplus", "keras.ops.softplus", "keras.ops.where"
            ),
            dense=(("beta=1,threshold=inf", "softplus"),),
        ),
        "keras2": Code(
            function=_softplus_cases(
                "tf_keras.activations.softplus", "tf_keras.activations.softplus", "tf.where"
            ),
            dense=(("beta=1,threshold=inf", "softplus"),),
        ),
        "tf": Code(function=_softplus_cases("tf.nn.softplus", "tf.nn.softplus", "tf.where")),
        "jax": Code(function=_softplus_cases("jax.nn.softplus", "jax.nn.softplus", "jnp.where")),
    },
)
def softplus(x: Array, beta: float, threshold: float) -> Array:
    """Softplus: a smooth ReLU, log(1 + e^x), the antiderivative of the sigmoid.

    PyTorch returns x as soon as beta·x > 20, which is 2e−9 off in float64 and makes the
    function discontinuous; pass threshold=20 to reproduce it.

    Examples:
        >>> round(float(softplus(np.array(0.0), beta=1.0, threshold=np.inf)), 6)
        0.693147
    """
    zh, zl = _softplus_parts(x, beta)
    if zl is None:  # beta = 1
        y = nx.softplus(x)
    else:
        # For z > 0, softplus(z) = z + softplus(−z) and z/beta is x: x + softplus(−z)/beta;
        # below, softplus(z)/beta; the quotient and the sum in double-double, rounded once.
        up = zh > 0
        sh, sl = nx.softplus_pair(np.where(up, -zh, zh), np.where(up, -zl, zl))
        qh, ql = nx.div_dd(sh, sl, beta)
        ph, pl = nx.two_sum(np.where(up, x, 0.0), qh)
        y = ph + (pl + ql)
    return y if threshold == INF else np.where(zh > threshold, x, y)


_SQRT_SOFTPLUS_TAIL = -40.0  # below, softplus(x) = e^x·(1 − e^x/2 + …) is e^x to the last bit


def _sqrt_softplus_parts(x: Array) -> tuple[Array, Array, NDArray[np.bool_]]:
    xs = np.maximum(x, _SQRT_SOFTPLUS_TAIL)
    return xs, nx.softplus(xs), x < _SQRT_SOFTPLUS_TAIL


def _sqrt_softplus_d1(x: Array) -> Array:
    xs, sp, tail = _sqrt_softplus_parts(x)  # σ(x)/(2√sp); e^(x/2)/2 in the tail
    return np.where(tail, 0.5 * el.exp(0.5 * x), nx.sigmoid(xs) / (2.0 * np.sqrt(sp)))


def _sqrt_softplus_d2(x: Array) -> Array:
    xs, sp, tail = _sqrt_softplus_parts(x)  # (2·sp·σσ(−x) − σ²)/(4·sp^(3/2)); e^(x/2)/4 tail
    s = nx.sigmoid(xs)
    # beyond x = 40, 2·sp·σσ(−x) ≈ 2x·e^(−x) is below an ULP of σ² = 1 (and inf·0 far out)
    curve = np.where(xs < 40.0, 2.0 * sp * nx.sigmoid_prime(np.minimum(xs, 40.0)), 0.0)
    general = (curve - s * s) / (4.0 * sp * np.sqrt(sp))
    return np.where(tail, 0.25 * el.exp(0.5 * x), general)


@elementwise(
    family="smooth",
    formula="sqrt_softplus(x) = √softplus(x) = √log(1 + e^x)",
    latex=r"\sqrt{\log\left(1 + e^{x}\right)}",
    derivative="sqrt_softplus′(x) = σ(x)/(2·√softplus(x))",
    sympy=lambda sp, x, p: sp.sqrt(sym_softplus(sp, x)),
    image=span(0.0, INF),
    uses="the router scores of DeepSeek V4's mixture of experts (transformers' sqrtsoftplus)",
    reference=(
        "Hugging Face transformers 5.25.0, transformers/activations.py: ACT2CLS['sqrtsoftplus'] "
        "= SqrtSoftplusActivation: nn.functional.softplus(input).sqrt()"
    ),
    d1=_sqrt_softplus_d1,
    d2=_sqrt_softplus_d2,
    limits=((0.0, INF), (0.0, 0.0), (0.0, 0.0)),
    aliases=("sqrtsoftplus",),
)
def sqrt_softplus(x: Array) -> Array:
    """Square root of softplus: e^(x/2) far left, √x far right; DeepSeek V4's router score.

    Below x = −40 softplus(x) is e^x to the last bit, so the value is e^(x/2), still a
    normal number down to x ≈ −1416 where softplus itself underflowed long before.

    Examples:
        >>> round(float(sqrt_softplus(np.array(0.0))), 6)
        0.832555
    """
    _, sp, tail = _sqrt_softplus_parts(x)
    return np.where(tail, el.exp(0.5 * x), np.sqrt(sp))


@elementwise(
    family="smooth",
    formula="squareplus(x) = (x + √(x² + b))/2",
    latex=r"\frac{x + \sqrt{x^2 + b}}{2}",
    derivative="squareplus′(x) = (1 + x/√(x² + b))/2",
    sympy=lambda sp, x, p: (x + sp.sqrt(x**2 + p["b"])) / 2,
    image=span(0.0, INF),
    uses="hidden layers or positive outputs, as an algebraic softplus (no exp or log)",
    reference="Barron 2021, Squareplus: a softplus-like algebraic rectifier, arXiv:2112.11687",
    d1=lambda x, b: _squareplus_d1(x, b),
    d2=lambda x, b: (
        ((0.5 * b / np.hypot(x, math.sqrt(b))) / np.hypot(x, math.sqrt(b)))
        / np.hypot(x, math.sqrt(b))
    ),
    limits=RELU_LIKE,
    params=(positive("b", 4.0, "curvature near 0; value at 0 is √b/2"),),
    code={
        "keras": Code(
            function="keras.activations.squareplus(x, b={b})", dense=(("b=4", "squareplus"),)
        ),
        "jax": Code(function="jax.nn.squareplus(x, b={b})"),
    },
)
def squareplus(x: Array, b: float) -> Array:
    """Squareplus: an algebraic softplus (no exp or log), cheap and smooth.

    Examples:
        >>> squareplus(np.array([0.0, 3.0]), b=16.0).tolist()
        [2.0, 4.0]
    """
    h = np.hypot(x, math.sqrt(b))
    # For x < 0 the sum x + h cancels; (x + h)/2 = b/(2(h − x)), halved again against overflow.
    xn = np.minimum(x, 0.0)
    # ½x + ½h: each half exact, so no overflow unless the result itself overflows.
    far = np.where(x >= 0, 0.5 * x + 0.5 * h, 0.25 * b / (0.5 * h - 0.5 * xn))
    # where x² is in range: h = √(x² + b) and both forms in double-double, rounded once
    xs, (hh, hl), near = _squareplus_h(x, b)
    ph, pl = nx.two_sum(xs, hh)  # x ≥ 0: x + h
    mh, ml = nx.two_sum(hh, -np.minimum(xs, 0.0))  # x < 0: h − x
    qh, ql = nx.dd_div(np.full_like(xs, b), np.zeros_like(xs), mh, ml + hl)
    y = np.where(xs >= 0, 0.5 * (ph + (pl + hl)), 0.5 * (qh + ql))
    return np.where(near, y, far)


def _squareplus_h(x: Array, b: float) -> tuple[Array, nx.Pair, NDArray[np.bool_]]:
    """(x where |x| < 1e150 else 0, √(x² + b) there as a double-double, that mask)."""
    near = np.abs(x) < 1e150
    xs = np.where(near, x, 0.0)
    sh, sl = nx.two_square(xs)
    uh, ul = nx.two_sum(sh, np.full_like(xs, b))
    ul += sl
    hh = np.sqrt(uh)
    qh, ql = nx.two_square(hh)
    return xs, (hh, ((uh - qh) - ql + ul) / (2.0 * hh)), near


def _squareplus_d1(x: Array, b: float) -> Array:
    h = np.hypot(x, math.sqrt(b))
    xn = np.minimum(x, 0.0)
    # ½(1 + x/h) cancels for x < 0; there it equals b/(2h(h − x)).
    far = np.where(x >= 0, 0.5 * (1.0 + x / h), (0.5 * b / h) / (h - xn))
    xs, (hh, hl), near = _squareplus_h(x, b)
    zero = np.zeros_like(xs)
    rh, rl = nx.dd_div(xs, zero, hh, hl)  # x/h
    ph, pl = nx.two_sum(np.ones_like(xs), rh)  # x ≥ 0: 1 + x/h
    mh, ml = nx.two_sum(hh, -np.minimum(xs, 0.0))  # x < 0: b/(h(h − x))
    dh, dl = nx.dd_mul(hh, hl, mh, ml + hl)
    qh, ql = nx.dd_div(np.full_like(xs, b), zero, dh, dl)
    y = np.where(xs >= 0, 0.5 * (ph + (pl + rl)), 0.5 * (qh + ql))
    return np.where(near, y, far)


# ---------------------------------------------------------------------------------- SiLU family

QUICK_GELU = nx.dd_from_decimal("1.702")


def _swish(x: Array, c: tuple[float, float]) -> Array:
    zh, zl = _times(x, c)
    (sh, sl), _ = nx.logistic(zh, zl)
    return _far_left(x, nx.times(x, sh, sl), 0, c)


# The general formulas of these derivatives are double-doubles rounded once: they cancel only
# within a few hundredths of their zero, where the series takes over (elsewhere: RADIUS).
_DD_ROOTS = {
    "silu": 0.05,
    "gelu_tanh": 0.05,
    "gelu_fast": 0.05,
    "mish": 0.05,
    "tanh_exp": 0.05,
    "elish": 0.05,
    "serf": 0.05,
    "gelu": 0.1,
}


def _near_root(name: str, x: Array, general: Array, xl: Array | float = 0.0) -> Array:
    """f′ from its Taylor series near its zero, where the general formula cancels."""
    return nx.near_root(x, xl, SERIES[name], _DD_ROOTS.get(name, RADIUS), general)


def _swish_d1(x: Array, c: tuple[float, float]) -> Array:
    zh, zl = _times(x, c)
    (sh, sl), (mh, ml) = nx.logistic(zh, zl)
    # σ(z)·(1 + z·σ(−z)), the inner sum and the product in double-double, rounded once
    z = np.clip(zh, -_Z, _Z)
    th, tl = nx.two_prod(z, mh)
    tl += z * ml + (0.0 if zl is None else np.where(np.abs(zh) < _Z, zl, 0.0)) * mh
    uh, ul = nx.two_sum(np.ones_like(th), th)
    ul += tl
    ph, pl = nx.two_prod(sh, uh)
    general = np.where(ph == 0, ph, ph + (pl + sh * ul + sl * uh))  # σ(z) = 0: keeps −0
    return _far_left(x, _near_root("silu", zh, general, 0.0 if zl is None else zl), 1, c)


def _swish_d2(x: Array, c: tuple[float, float]) -> Array:
    z = np.clip(c[0] * x, -_Z, _Z)
    return _far_left(x, c[0] * nx.sigmoid_prime(z) * (2.0 - z * el.tanh(0.5 * z)), 2, c)


@elementwise(
    family="smooth",
    formula="silu(x) = x·σ(beta·x)",
    latex=r"x \, \sigma(\beta x)",
    derivative="silu′(x) = σ(βx)·(1 + βx·σ(−βx))",
    sympy=lambda sp, x, p: x * sym_sigmoid(sp, p["beta"] * x),
    image=lambda beta: _swish_image(beta, "/beta"),
    uses=(
        "hidden layers of modern convolutional nets (EfficientNet) and transformers (LLaMA's "
        "SwiGLU): smooth, with some gradient for negative inputs"
    ),
    reference="Elfwing, Uchibe & Doya 2017, arXiv:1702.03118; Ramachandran et al. 2017 (Swish), arXiv:1710.05941",
    d1=lambda x, beta: _swish_d1(x, (beta, 0.0)),
    d2=lambda x, beta: _swish_d2(x, (beta, 0.0)),
    limits=RELU_LIKE,
    params=(positive("beta", 1.0, "Swish-β sharpness; 1 is SiLU, → ∞ is relu"),),
    aliases=("swish", "sil"),
    code={
        "torch": Code(
            function=(
                ("beta=1", "F.silu(x)"),
                ("", "x * torch.sigmoid({beta} * x)  # F.silu has no beta: x·σ(βx)"),
            ),
            layer=(("beta=1", "torch.nn.SiLU()"),),
        ),
        "keras": Code(
            function=(
                ("beta=1", "keras.activations.silu(x)"),
                (
                    "",
                    "x * keras.activations.sigmoid({beta} * x)  # keras's silu has no beta: x·σ(βx)",
                ),
            ),
            dense=(("beta=1", "silu"),),
        ),
        "keras2": Code(
            function=(
                ("beta=1", "tf_keras.activations.swish(x)"),
                (
                    "",
                    "x * tf_keras.activations.sigmoid({beta} * x)  # tf_keras's swish has no beta: x·σ(βx)",
                ),
            ),
            dense=(("beta=1", "swish"),),
        ),
        "tf": Code(function="tf.nn.silu(x, beta={beta})"),
        "jax": Code(
            function=(
                ("beta=1", "jax.nn.silu(x)"),
                ("", "x * jax.nn.sigmoid({beta} * x)  # jax.nn.silu has no beta: x·σ(βx)"),
            )
        ),
    },
)
def silu(x: Array, beta: float) -> Array:
    """SiLU (Swish): x gated by its own sigmoid; smooth, non-monotonic, used in EfficientNet and LLMs.

    Examples:
        >>> round(float(silu(np.array(1.0), beta=1.0)), 6)
        0.731059
    """
    return _swish(x, (beta, 0.0))


@elementwise(
    family="smooth",
    formula="quick_gelu(x) = x·σ(1.702·x)",
    latex=r"x \, \sigma(1.702 x)",
    derivative="quick_gelu′(x) = σ(1.702x)·(1 + 1.702x·σ(−1.702x))",
    sympy=lambda sp, x, p: x * sym_sigmoid(sp, sp.Rational(1702, 1000) * x),
    image=_swish_image(1.702),
    uses="transformer hidden layers of CLIP-style models: a cheaper stand-in for GELU",
    reference="Hendrycks & Gimpel 2016, GELU, arXiv:1606.08415 §2; OpenAI CLIP",
    d1=lambda x: _swish_d1(x, QUICK_GELU),
    d2=lambda x: _swish_d2(x, QUICK_GELU),
    limits=RELU_LIKE,
    aliases=("quickgelu", "gelu_sigmoid"),
    presets=(
        Preset(
            "gelu_fast_approx",
            {},
            "MLX 0.32.2 (846d176), python/mlx/nn/layers/activations.py: gelu_fast_approx: "
            "x * mx.sigmoid(1.702 * x) (not transformers' gelu_fast, the tanh form)",
        ),
        Preset(
            "gelu_quick",
            {},
            "llama.cpp 0c1e570, ggml/src/ggml-cpu/vec.h: ggml_gelu_quick_f32: "
            "x*(1.0f/(1.0f+expf(GELU_QUICK_COEF*x))), GELU_QUICK_COEF = -1.702f",
        ),
    ),
)
def quick_gelu(x: Array) -> Array:
    """QuickGELU: the sigmoid approximation of GELU used by CLIP (1.702 taken as exact decimal).

    Examples:
        >>> round(float(quick_gelu(np.array(1.0))), 6)
        0.845796
    """
    return _swish(x, QUICK_GELU)


def _mish_parts(x: Array) -> tuple[Array, Array, Array]:
    sp = nx.softplus(x)
    return el.tanh(sp), nx.tanh_prime(sp), nx.sigmoid(x)


def _mish_tanh(x: Array) -> tuple[nx.Pair, nx.Pair]:
    """(tanh(softplus x), 1 − tanh(softplus x)) as double-doubles, from F = e^(−|x|) ≤ 1:
    tanh(log(1 + e^x)) = (e^2x + 2e^x)/(e^2x + 2e^x + 2), i.e. (F² + 2F)/(F² + 2F + 2) for
    x ≤ 0 and (1 + 2F)/(1 + 2F + 2F²) above; the complements are 2/(…) and 2F²/(…)."""
    fh, fl = el.exp_pair(-np.minimum(np.abs(x), 750.0))
    qh, ql = nx.dd_mul(fh, fl, fh, fl)  # F²
    up = x > 0
    one = np.ones_like(x)
    zero = np.zeros_like(x)
    # numerator: F² + 2F below, 1 + 2F above; denominator: numerator + 2 or + 2F²
    nh, nl = nx.dd_add(np.where(up, one, qh), np.where(up, zero, ql), 2.0 * fh, 2.0 * fl)
    ch, cl = np.where(up, 2.0 * qh, 2.0), np.where(up, 2.0 * ql, 0.0)  # the complement's top
    dh, dl = nx.dd_add(nh, nl, ch, cl)
    return nx.dd_div(nh, nl, dh, dl), nx.dd_div(ch, cl, dh, dl)


def _mish_d1(x: Array) -> Array:
    # t + x·σ(x)·(1 − t)(1 + t), the products and the sum in double-double, rounded once
    (th, tl), (oh, ol) = _mish_tanh(x)
    (sh, sl), _ = nx.logistic(x)
    ph, pl = nx.dd_add(np.ones_like(x), np.zeros_like(x), th, tl)  # 1 + t
    ph, pl = nx.dd_mul(ph, pl, oh, ol)
    ph, pl = nx.dd_mul(ph, pl, sh, sl)
    ph, pl = nx.dd_mul(ph, pl, x, np.zeros_like(x))
    gh, gl = nx.dd_add(th, tl, ph, pl)
    return _far_left(x, _near_root("mish", x, gh + gl), 1)


def _mish_d2(x: Array) -> Array:
    t, sech2, s = _mish_parts(x)
    xc = np.clip(x, -_Z, _Z)  # beyond ±1000, σ·sech² is exactly 0
    return _far_left(x, s * sech2 * (2.0 + xc * (nx.sigmoid(-xc) - 2.0 * t * s)), 2)


@elementwise(
    family="smooth",
    formula="mish(x) = x·tanh(softplus(x))",
    latex=r"x \tanh\left(\log(1 + e^{x})\right)",
    derivative="mish′(x) = tanh(sp(x)) + x·σ(x)·sech²(sp(x))",
    sympy=lambda sp, x, p: x * sp.tanh(sym_softplus(sp, x)),
    image=span(closed(*MISH_MINIMUM), INF),
    uses="hidden layers of detectors (YOLOv4) and convolutional nets: a smooth, non-monotonic ReLU",
    reference="Misra 2019, Mish: a self regularized non-monotonic activation, arXiv:1908.08681",
    d1=lambda x: _mish_d1(x),
    d2=lambda x: _mish_d2(x),
    limits=RELU_LIKE,
    code={
        "torch": Code(function="F.mish(x)", layer="torch.nn.Mish()"),
        "keras": Code(function="keras.activations.mish(x)", dense="mish"),
        "keras2": Code(function="tf_keras.activations.mish(x)", dense="mish"),
        "jax": Code(function="jax.nn.mish(x)"),
    },
)
def mish(x: Array) -> Array:
    """Mish: x·tanh(softplus(x)), a smooth non-monotonic activation (YOLOv4).

    Examples:
        >>> round(float(mish(np.array(1.0))), 6)
        0.865098
    """
    (th, tl), _ = _mish_tanh(x)
    return _far_left(x, nx.times(x, th, tl), 0)


# ---------------------------------------------------------------------------------- GELU

# Where the names models use come from (read from the wheels' sources, not from memory).
HF = "Hugging Face transformers 5.25.0, transformers/activations.py"
TIMM = "timm 1.0.31, timm/layers/create_act.py and timm/layers/activations.py"
_HF_TANH = "0.5 * input * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (input + 0.044715 * torch.pow(input, 3.0))))"
GELU_PRESETS = (
    Preset(
        "gelu_new",
        {"approximate": "tanh"},
        f"{HF}: ACT2CLS['gelu_new'] = NewGELUActivation: {_HF_TANH}",
    ),
    Preset(
        "gelu_pytorch_tanh",
        {"approximate": "tanh"},
        f"{HF}: ACT2CLS['gelu_pytorch_tanh'] = GELUTanh: "
        'functools.partial(nn.functional.gelu, approximate="tanh")',
    ),
    Preset(
        "gelu_python_tanh",
        {"approximate": "tanh"},
        f"{HF}: ACT2CLS['gelu_python_tanh'] = (GELUTanh, {{'use_gelu_tanh_python': True}}): "
        "input * 0.5 * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (input + 0.044715 * "
        "torch.pow(input, 3.0))))",
    ),
    Preset(
        "gelu_accurate",
        {"approximate": "tanh"},
        f"{HF}: ACT2CLS['gelu_accurate'] = AccurateGELUActivation: 0.5 * input * (1 + "
        "torch.tanh(self.precomputed_constant * (input + 0.044715 * torch.pow(input, 3)))), "
        "precomputed_constant = math.sqrt(2 / math.pi)",
    ),
    Preset(
        "gelu_python",
        {"approximate": "none"},
        f"{HF}: ACT2CLS['gelu_python'] = (GELUActivation, {{'use_gelu_python': True}}): "
        "input * 0.5 * (1.0 + torch.erf(input / math.sqrt(2.0)))",
    ),
    Preset(
        "gelu_tanh",
        {"approximate": "tanh"},
        f"{TIMM}: _ACT_FN_DEFAULT['gelu_tanh'] = gelu_tanh: F.gelu(x, approximate='tanh')",
    ),
    Preset(
        "gelu_approx",
        {"approximate": "tanh"},
        "MLX 0.32.2 (846d176), python/mlx/nn/layers/activations.py: gelu_approx: "
        "0.5 * x * (1 + mx.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))",
    ),
    Preset(
        "gelu_erf",
        {"approximate": "none"},
        "llama.cpp 0c1e570, ggml/src/ggml-cpu/vec.h: GGML_UNARY_OP_GELU_ERF: "
        "0.5f*xi*(1.0f + erff(xi*SQRT_2_INV))",
    ),
)

SQRT_2_OVER_PI = nx.dd_from_decimal("0.79788456080286535587989211986876373695171726232987")
KAPPA = nx.dd_from_decimal("0.044715")
_GELU_TANH_CUT = 50.0  # beyond ±50 the tanh form is x or −0.0 to the last bit


Pair = tuple[float, float]


def _gelu_u(x: Array, c: Pair = SQRT_2_OVER_PI) -> tuple[Array, Array]:
    """u = c·(x + 0.044715x³) as a double-double (x within ±50), c = √(2/π) (gelu_fast:
    0.7978845608)."""
    sh, sl = nx.two_prod(x, x)
    kh, kl = nx.dd_mul(sh, sl, np.full_like(x, KAPPA[0]), np.full_like(x, KAPPA[1]))
    ah, al = nx.dd_add(np.ones_like(x), np.zeros_like(x), kh, kl)
    bh, bl = nx.dd_mul(x, np.zeros_like(x), ah, al)
    return nx.dd_mul(bh, bl, np.full_like(x, c[0]), np.full_like(x, c[1]))


def _gelu_du(x: Array, c: Pair = SQRT_2_OVER_PI) -> Array:
    """u′ = c·(1 + 3·0.044715·x²)."""
    return c[0] * (1.0 + 3.0 * KAPPA[0] * x * x)


def _gelu_tanh_parts(x: Array, c: Pair = SQRT_2_OVER_PI) -> tuple[Array, Array, Array, Array]:
    """(clipped x, σ(2u), σ(−2u), u′) for the tanh approximation."""
    xc, (sh, sl), (mh, ml) = _gelu_tanh_logistic(x, c)
    return xc, sh + sl, mh + ml, _gelu_du(xc, c)


def _gelu_tanh_logistic(x: Array, c: Pair) -> tuple[Array, nx.Pair, nx.Pair]:
    """(clipped x, σ(2u), σ(−2u)), the two as double-doubles."""
    xc = np.clip(x, -_GELU_TANH_CUT, _GELU_TANH_CUT)
    uh, ul = _gelu_u(xc, c)
    s, sm = nx.logistic(2.0 * uh, 2.0 * ul)
    return xc, s, sm


def _gelu_du_pair(x: Array, c: Pair) -> nx.Pair:
    """u′ = c·(1 + 3·0.044715·x²) as a double-double."""
    sh, sl = nx.two_square(x)
    three_kappa = (np.full_like(x, 3.0 * KAPPA[0]), np.full_like(x, 3.0 * KAPPA[1]))
    kh, kl = nx.dd_mul(sh, sl, *three_kappa)
    ah, al = nx.dd_add(np.ones_like(x), np.zeros_like(x), kh, kl)
    return nx.dd_mul(ah, al, np.full_like(x, c[0]), np.full_like(x, c[1]))


def _outside_cut(x: Array, inside: Array, above: float | Array, below: float) -> Array:
    big = np.abs(x) > _GELU_TANH_CUT
    return np.where(big, np.where(x > 0, above, below), inside)


def _patch(x: Array, out: Array, mask: NDArray[np.bool_], fn: Callable[[Array], Array]) -> Array:
    """out with the entries under ``mask`` recomputed as fn(x[mask]) (cost ∝ the subset)."""
    if not mask.any():
        return out
    out = np.array(out, dtype=np.float64)
    out[mask] = fn(x[mask])
    return out


# x·g(x) with g(x) = C·e^(βx)·(1 + O(e^(βx))) far left (silu, quick_gelu, mish, tanh_exp,
# serf): once βx < −700, e^(βx) is subnormal while x·e^(βx) may still be normal (silu(−713)
# ≈ −6e−308), so the value and its derivatives are recomputed as exp·factor there, exactly.
_FAR_LEFT = -700.0


def _far_left(
    x: Array, out: Array, order: int, c: tuple[float, float] = (1.0, 0.0), scale: float = 1.0
) -> Array:
    """f, f′ or f″ of C·x·e^(cx) where c·x < −700: x, 1 + z and c(2 + z) times e^z, z = cx."""

    def tail(t: Array) -> Array:
        zh, zl = _times(t, c)
        factor = (t, 1.0 + zh, c[0] * (2.0 + zh))[order]
        fh, fl = nx.two_prod(factor, scale)  # zl goes into the exponent: one rounding in all
        return nx.exp_mul(zh, fh, lo=zl, factor_lo=fl)

    z = c[0] * x  # below −800 the true values underflow and the general formulas give 0
    return _patch(x, out, (z < _FAR_LEFT) & (z > -800.0), tail)


# Deep in the lower tail the results are normal numbers made of a subnormal e^(2u) or
# e^(−x²/2) and a large factor (gelu′(−37.7) ≈ −7.5e−308): there each formula is recomputed
# as exp·factor with the factor applied before the underflow (numerics.exp_mul).
_TANH_DEEP = -10.0  # below, 2u < −87 and σ(2u) = e^(2u)·(1 − e^(2u)) is e^(2u) to the last bit


def _tanh_tail(
    x: Array,
    factor: Callable[[Array, Array, Pair], Array | nx.Pair],
    c: Pair = SQRT_2_OVER_PI,
) -> Array:
    """e^(−2|u|)·factor(x, u′, c) for |x| > −_TANH_DEEP, exact where e^(−2|u|) is subnormal."""
    uh, ul = _gelu_u(x, c)
    sign = np.sign(x)
    f = factor(x, _gelu_du(x, c), c)
    fh, fl = f if isinstance(f, tuple) else (f, None)
    return nx.exp_mul(-2.0 * sign * uh, fh, lo=-2.0 * sign * ul, factor_lo=fl)


def _tanh_deep(x: Array, both: bool = False) -> NDArray[np.bool_]:
    ax = np.abs(x) if both else -x
    return (ax > -_TANH_DEEP) & (ax <= _GELU_TANH_CUT)


def _tanh_form_d1(x: Array, c: Pair, root: str) -> Array:
    """f′ of ½x(1 + tanh(c(x + 0.044715x³))), with its Taylor series ``root`` near its zero."""
    # σ(2u) + 2x·u′·σ(2u)·σ(−2u), every product and the sum in double-double, rounded once
    xc, (sh, sl), (mh, ml) = _gelu_tanh_logistic(x, c)
    dh, dl = _gelu_du_pair(xc, c)
    ph, pl = nx.dd_mul(sh, sl, mh, ml)
    ph, pl = nx.dd_mul(ph, pl, dh, dl)
    ph, pl = nx.dd_mul(ph, pl, 2.0 * xc, np.zeros_like(xc))
    th, tl = nx.dd_add(sh, sl, ph, pl)
    general = _outside_cut(x, th + tl, 1.0, 0.0)
    general = _patch(x, general, _tanh_deep(x), lambda t: _tanh_tail(t, _d1_factor, c))
    return _near_root(root, x, general)


def _tanh_form_d2(x: Array, c: Pair) -> Array:
    xc, s, sm, du = _gelu_tanh_parts(x, c)
    d2u = 6.0 * c[0] * KAPPA[0] * xc
    inner = 4.0 * du + 2.0 * xc * d2u + xc * (2.0 * du) ** 2 * (sm - s)
    general = _outside_cut(x, s * sm * inner, 0.0, 0.0)
    return _patch(x, general, _tanh_deep(x, both=True), lambda t: _tanh_tail(t, _d2_factor, c))


def _tanh_form(x: Array, c: Pair) -> Array:
    """½x(1 + tanh(c(x + 0.044715x³))) = x·σ(2u), u in double-double."""
    xc, (sh, sl), _ = _gelu_tanh_logistic(x, c)
    y = _outside_cut(x, nx.times(xc, sh, sl), x, -0.0)
    return _patch(x, y, _tanh_deep(x), lambda t: _tanh_tail(t, lambda t, _, __: t, c))


def _gelu_d1(x: Array, approximate: str) -> Array:
    if approximate == "tanh":
        return _tanh_form_d1(x, SQRT_2_OVER_PI, "gelu_tanh")
    # gelu′(x) = Φ(x) + xφ(x) = e^(−x²/2)·(P(x) + x/√(2π)) for x ≤ 0, and 1 − gelu′(−x)
    ax = np.abs(x)
    ph, pl = nx.mills(-ax)
    ch, cl = nx.two_prod(ax, nx.INV_SQRT_2PI_DD[0])
    fh, fl = nx.two_sum(ph, -ch)
    fl += pl - (cl + ax * nx.INV_SQRT_2PI_DD[1])
    low = nx.exp_neg_square(x, half=True, factor=fh, factor_lo=fl)
    return _near_root("gelu", x, np.where(x <= 0, low, 1.0 - low))


def _d1_factor(x: Array, du: Array, c: Pair) -> nx.Pair:
    """1 + 2x·u′ as a double-double (u′ itself to its last bit: :func:`_gelu_du_pair`)."""
    dh, dl = _gelu_du_pair(x, c)
    ph, pl = nx.two_prod(2.0 * x, dh)
    sh, sl = nx.two_sum(np.ones_like(ph), ph)
    return sh, sl + (pl + 2.0 * x * dl)


def _d2_factor(x: Array, du: Array, c: Pair) -> Array:
    d2u = 6.0 * c[0] * KAPPA[0] * x
    # σ(−2u) − σ(2u) is exactly −sign(x) out here
    return 4.0 * du + 2.0 * x * d2u - np.sign(x) * x * (2.0 * du) ** 2


def _gelu_d2(x: Array, approximate: str) -> Array:
    if approximate == "tanh":
        return _tanh_form_d2(x, SQRT_2_OVER_PI)
    xc = np.clip(x, -40.0, 40.0)  # φ(x) is exactly 0 beyond ±40
    return nx.std_normal_pdf(xc, factor=2.0 - xc * xc)


def _gelu_sympy(sp: Any, x: Any, p: Mapping[str, Any]) -> Any:
    if p["approximate"] == "none":
        return sp.Rational(1, 2) * x * (1 + sp.erf(x / sp.sqrt(2)))
    u = sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 10**6) * x**3)
    return sp.Rational(1, 2) * x * (1 + sp.tanh(u))


@elementwise(
    family="smooth",
    formula="gelu(x) = x·Φ(x) = ½x·erfc(−x/√2);  tanh: ½x(1 + tanh(√(2/π)(x + 0.044715x³)))",
    latex=r"x \, \Phi(x)",
    derivative="gelu′(x) = Φ(x) + x·φ(x)",
    sympy=_gelu_sympy,
    image=lambda approximate: span(closed(*GELU_MINIMUM[approximate]), INF),
    uses=(
        "transformer hidden (feed-forward) layers: BERT, GPT, ViT; a smooth ReLU that weights "
        "inputs by their Gaussian CDF"
    ),
    reference="Hendrycks & Gimpel 2016, Gaussian error linear units, arXiv:1606.08415",
    presets=GELU_PRESETS,
    d1=_gelu_d1,
    d2=_gelu_d2,
    limits=RELU_LIKE,
    params=(
        choice(
            "approximate",
            "none",
            ("none", "tanh"),
            "'none' = exact (torch, keras.activations), 'tanh' = approximation (jax, keras.ops)",
        ),
    ),
    code={
        "torch": Code(
            function="F.gelu(x, approximate={approximate})",
            layer="torch.nn.GELU(approximate={approximate})",
        ),
        "keras": Code(
            function="keras.activations.gelu(x, approximate={approximate|bool})",
            dense=(("approximate=none", "gelu"),),
        ),
        "keras2": Code(
            function="tf_keras.activations.gelu(x, approximate={approximate|bool})",
            dense=(("approximate=none", "gelu"),),
        ),
        "tf": Code(function="tf.nn.gelu(x, approximate={approximate|bool})"),
        "jax": Code(function="jax.nn.gelu(x, approximate={approximate|bool})"),
    },
    constants=(
        Constant(
            "√(2/π)", "0.79788456080286535587989211986876373695", "float64 0.7978845608028654"
        ),
        Constant("κ", "0.044715", "Hendrycks & Gimpel"),
        Constant("1/√(2π)", "0.39894228040143267793994605993438186848"),
    ),
)
def gelu(x: Array, approximate: str) -> Array:
    """GELU: x weighted by the Gaussian CDF; the transformer (BERT, GPT) activation.

    The exact form is x·P(x)·e^(−x²/2) with the Mills ratio P from polynomial fits and x²
    split exactly (PyTorch's 1 + erf returns −0.0 below x ≈ −8.4). The tanh form is evaluated as x·σ(2u) with u in double-double
    arithmetic, since ½(1 + tanh u) cancels for negative x.

    Examples:
        >>> round(float(gelu(np.array(1.0), approximate='none')), 6)
        0.841345
    """
    if approximate == "tanh":
        return _tanh_form(x, SQRT_2_OVER_PI)
    # x·Φ(x) = x·P(x)·e^(−x²/2) for x ≤ 0 (the factor goes in before any underflow), and
    # x·Φ(x) = x + gelu(−x) above.
    ph, pl = nx.mills(-np.abs(x))
    fh, fl = nx.two_prod(x, ph)
    q = nx.exp_neg_square(x, half=True, factor=fh, factor_lo=fl + x * pl)
    return np.where(x <= 0, q, x - q)


# gelu(x) = 10 at x = 10 + 7.6e−22, whose nearest double is 10: gelu(10.0) = 10 − 7.6e−22, which
# rounds to 10, and every double above 10 is clipped. f′ and f″ there are gelu′(10) and
# gelu″(10) to far below an ULP.
GELU_10_KINK = 10.0


def _gelu_10_kinks() -> tuple[Kink, ...]:
    x = np.array([GELU_10_KINK])
    left = (float(_gelu_d1(x, "none")[0]), float(_gelu_d2(x, "none")[0]))
    return (Kink(GELU_10_KINK, left, (0.0, 0.0), "left"),)


def _above_kink(x: Array, inside: Array) -> Array:
    return np.where(x > GELU_10_KINK, 0.0, inside)


@elementwise(
    family="smooth",
    formula="gelu_10(x) = clip(x·Φ(x), −10, 10)",
    latex=r"\operatorname{clip}\left(x \, \Phi(x), -10, 10\right)",
    derivative="gelu_10′(x) = Φ(x) + x·φ(x) while x·Φ(x) < 10 (x ≤ 10), then 0",
    sympy=lambda sp, x, p: sp.Min(
        sp.Max(sp.Rational(1, 2) * x * (1 + sp.erf(x / sp.sqrt(2))), -10), 10
    ),
    image=span(closed(*GELU_MINIMUM["none"]), closed(10.0)),
    uses="transformer feed-forward layers quantised to 8 bits (hidden_act: gelu_10): GELU with "
    "its outputs clipped so that a fixed-point range covers them",
    reference=(
        f"{HF}: ACT2CLS['gelu_10'] = (ClippedGELUActivation, {{'min': -10, 'max': 10}}): "
        "torch.clip(gelu(x), self.min, self.max), gelu = GELUActivation (nn.functional.gelu); "
        "Wu et al. 2020, arXiv:2004.09602"
    ),
    d1=lambda x: _above_kink(x, _gelu_d1(x, "none")),
    d2=lambda x: _above_kink(x, _gelu_d2(x, "none")),
    limits=((0.0, 10.0), (0.0, 0.0), (0.0, 0.0)),
    kinks=_gelu_10_kinks,
)
def gelu_10(x: Array) -> Array:
    """Clipped GELU (transformers' gelu_10): the exact GELU clipped to [−10, 10].

    GELU's minimum is −0.17, so only the upper clip acts: f is gelu(x) up to x = 10 (to the
    double) and 10 beyond, with f′ dropping from 1 to 0 there. transformers' class takes any
    [min, max]; the name gelu_10 is this one.

    Examples:
        >>> gelu_10(np.array([-1.0, 10.0, 11.0])).round(6).tolist()
        [-0.158655, 10.0, 10.0]
    """
    return np.where(x > GELU_10_KINK, 10.0, gelu(x, "none"))


FAST_GELU_C = nx.dd_from_decimal("0.7978845608")  # transformers' literal, √(2/π) to 10 digits
GELU_FAST_MINIMUM = (-0.17004075057183596188601286, -0.75246142207342638054860052)


@elementwise(
    family="smooth",
    formula="gelu_fast(x) = ½x(1 + tanh(0.7978845608·x·(1 + 0.044715x²)))",
    latex=r"\frac{1}{2} x \left(1 + \tanh\left(0.7978845608\, x (1 + 0.044715 x^{2})\right)\right)",
    derivative="gelu_fast′(x) = σ(2u) + 2x·u′·σ(2u)·σ(−2u), u = 0.7978845608·x·(1 + 0.044715x²)",
    sympy=lambda sp, x, p: (
        sp.Rational(1, 2)
        * x
        * (
            1
            + sp.tanh(sp.Rational(7978845608, 10**10) * x * (1 + sp.Rational(44715, 10**6) * x**2))
        )
    ),
    image=span(closed(*GELU_FAST_MINIMUM), INF),
    uses="transformer feed-forward layers of models whose config says hidden_act: gelu_fast",
    reference=(
        f"{HF}: ACT2CLS['gelu_fast'] = FastGELUActivation: 0.5 * input * (1.0 + torch.tanh(input "
        "* 0.7978845608 * (1.0 + 0.044715 * input * input)))"
    ),
    d1=lambda x: _tanh_form_d1(x, FAST_GELU_C, "gelu_fast"),
    d2=lambda x: _tanh_form_d2(x, FAST_GELU_C),
    limits=RELU_LIKE,
    constants=(
        Constant("c", "0.7978845608", "transformers' literal; √(2/π) = 0.79788456080286535588…"),
        Constant("κ", "0.044715", "Hendrycks & Gimpel"),
    ),
)
def gelu_fast(x: Array) -> Array:
    """FastGELU (transformers): the tanh GELU with √(2/π) cut to 0.7978845608.

    Not gelu:approximate=tanh: the constant is √(2/π) truncated to ten digits (2.9e−12 low),
    so the two differ by up to 6e−11 relative, thousands of float64 ULP (gelu_new,
    gelu_pytorch_tanh and gelu_accurate are gelu:approximate=tanh exactly). Its own factoring
    x·c·(1 + 0.044715x²) is c·(x + 0.044715x³), the same real number; it is evaluated as
    gelu's tanh form is, x·σ(2u) with u in double-double.

    Examples:
        >>> round(float(gelu_fast(np.array(1.0))), 6)
        0.841192
    """
    return _tanh_form(x, FAST_GELU_C)


# ---------------------------------------------------------------------------------- ELU family

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
SELU_SCALE_ALPHA = 1.7580993408473768599402175208123  # λα correctly rounded (TF's literal)
# the exact reals λ and λα (the product of the two decimals) as double-doubles
_SELU_SCALE_DD = nx.dd_from_decimal("1.0507009873554804934193349852946")
_SELU_SCALE_ALPHA_DD = nx.dd_from_decimal(  # λ·α, exactly
    "1.75809934084737685994021752081231934206024580891220830977098"
)


def _selu_left(x: Array, order: int) -> Array:
    """λα·(e^x − 1) (order 0) or λα·e^x for x ≤ 0, the constant a double-double, rounded once."""
    xn = _nonpositive(x)
    ch, cl = _SELU_SCALE_ALPHA_DD
    if order:
        return nx.exp_mul(xn, ch, factor_lo=cl)
    eh, elo = el.expm1_pair(xn)
    ph, pl = nx.two_prod(eh, np.full_like(eh, ch))
    return np.where(xn == 0, xn * ch, ph + (pl + eh * cl + elo * ch))  # keeps −0


def _selu_right(x: Array) -> Array:
    ph, pl = nx.two_prod(x, np.full_like(x, _SELU_SCALE_DD[0]))
    return ph + (pl + x * _SELU_SCALE_DD[1])


def _nonpositive(x: Array) -> Array:
    """min(x, 0) that keeps −0.0 (np.minimum(−0.0, 0.0) may give +0.0): elu(−0) = −0."""
    return np.where(x > 0, 0.0, x)


def _celu_quotient(x: Array, alpha: float) -> tuple[Array, Array]:
    """x/alpha for x ≤ 0 (0 above) as a double-double: rounding the quotient alone costs
    |x/alpha| ULP of e^(x/alpha) (260 ULP at x = −211 with alpha = 0.3)."""
    xn = _nonpositive(x)
    qh = xn / alpha
    xs = np.where(qh > -800.0, xn, 0.0)  # beyond, e^q is 0 and expm1(q) is −1: no correction
    p, e = nx.two_prod(np.where(qh > -800.0, qh, 0.0), alpha)
    return qh, ((xs - p) - e) / alpha


def _celu_exp(x: Array, alpha: float, order: int) -> Array:
    """e^(x/alpha) (order 1) or e^(x/alpha)/alpha (order 2) for x ≤ 0, with x/alpha carried
    as a double-double."""
    qh, ql = _celu_quotient(x, alpha)
    if order == 1:
        return nx.exp_mul(qh, 1.0, ql)
    # dividing afterwards saves the rounding of 1/alpha, but not where e^(x/alpha) is subnormal
    deep = nx.exp_mul(qh, 1.0 / alpha, ql)
    return np.where(qh < -700.0, deep, nx.exp_mul(qh, 1.0, ql) / alpha)


def _elu_kink(alpha: float) -> tuple[Kink, ...]:
    return (Kink(0.0, (alpha, alpha), (1.0, 0.0), "left"),)


@elementwise(
    family="smooth",
    formula="elu(x) = x if x > 0 else alpha·(e^x − 1)",
    latex=r"\begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
    derivative="elu′(x) = 1 if x > 0 else alpha·e^x",
    sympy=lambda sp, x, p: sp.Piecewise((x, x > 0), (p["alpha"] * (sp.exp(x) - 1), True)),
    image=lambda alpha: _elu_image(alpha, "−alpha"),
    uses=(
        "hidden layers: negative outputs push mean activations towards 0, which can speed up "
        "learning"
    ),
    reference="Clevert, Unterthiner & Hochreiter 2015, arXiv:1511.07289",
    d1=lambda x, alpha: np.where(x > 0, 1.0, alpha * el.exp(np.minimum(x, 0.0))),
    d2=lambda x, alpha: np.where(x > 0, 0.0, alpha * el.exp(np.minimum(x, 0.0))),
    limits=lambda alpha: ((-alpha, INF), (0.0, 1.0), (0.0, 0.0)),
    params=(real("alpha", 1.0, "saturation value −alpha for x → −∞"),),
    kinks=_elu_kink,
    code={
        "torch": Code(function="F.elu(x, alpha={alpha})", layer="torch.nn.ELU(alpha={alpha})"),
        "keras": Code(
            function="keras.activations.elu(x, alpha={alpha})",
            layer="keras.layers.ELU(alpha={alpha})",
            dense=(("alpha=1", "elu"),),
        ),
        "keras2": Code(
            function="tf_keras.activations.elu(x, alpha={alpha})",
            layer="tf_keras.layers.ELU(alpha={alpha})",
            dense=(("alpha=1", "elu"),),
        ),
        "tf": Code(
            function=(
                ("alpha=1", "tf.nn.elu(x)"),
                ("", "tf.where(x > 0, x, {alpha} * tf.math.expm1(x))  # tf.nn.elu has no alpha"),
            )
        ),
        "jax": Code(function="jax.nn.elu(x, alpha={alpha})"),
    },
)
def elu(x: Array, alpha: float) -> Array:
    """Exponential linear unit: negative outputs push mean activations towards zero.

    Examples:
        >>> round(float(elu(np.array(-1.0), alpha=1.0)), 6)
        -0.632121
    """
    return np.where(x > 0, x, alpha * el.expm1(_nonpositive(x)))


@elementwise(
    family="smooth",
    formula="selu(x) = λ·x if x > 0 else λα·(e^x − 1), α = 1.6732632423543772…, λ = 1.0507009873554804…",
    latex=r"\lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
    derivative="selu′(x) = λ if x > 0 else λα·e^x",
    sympy=lambda sp, x, p: (
        sp.Symbol("lambda") * sp.Piecewise((x, x > 0), (sp.Symbol("alpha") * (sp.exp(x) - 1), True))
    ),
    image=_elu_image(SELU_SCALE_ALPHA, f"−{SELU_SCALE_ALPHA!r}"),
    uses=(
        "hidden layers of self-normalising fully-connected networks (with LeCun-normal "
        "initialisation and alpha dropout)"
    ),
    reference="Klambauer et al. 2017, Self-normalizing neural networks, arXiv:1706.02515",
    d1=lambda x: np.where(x > 0, SELU_SCALE, _selu_left(x, 1)),
    d2=lambda x: np.where(x > 0, 0.0, _selu_left(x, 2)),
    limits=((-SELU_SCALE_ALPHA, INF), (0.0, SELU_SCALE), (0.0, 0.0)),
    kinks=lambda: (Kink(0.0, (SELU_SCALE_ALPHA, SELU_SCALE_ALPHA), (SELU_SCALE, 0.0), "left"),),
    code={
        "torch": Code(function="F.selu(x)", layer="torch.nn.SELU()"),
        "keras": Code(function="keras.activations.selu(x)", dense="selu"),
        "keras2": Code(function="tf_keras.activations.selu(x)", dense="selu"),
        "tf": Code(function="tf.nn.selu(x)"),
        "jax": Code(function="jax.nn.selu(x)"),
    },
    constants=(
        Constant("α", "1.6732632423543772848170429916717", sympy="alpha"),
        Constant("λ (scale)", "1.0507009873554804934193349852946", sympy="lambda"),
        Constant(
            "λα",
            "1.7580993408473768599402175208123",
            "float64 1.7580993408473768; torch forms α·λ = 1.7580993408473766",
        ),
    ),
)
def selu(x: Array) -> Array:
    """Scaled ELU: with LeCun-normal init, keeps activations at zero mean and unit variance.

    λα is the correctly rounded 1.7580993408473768 (TensorFlow's literal); PyTorch forms
    α·λ in float64 and gets one ULP less, so expect 1 ULP differences for x < 0.

    Examples:
        >>> round(float(selu(np.array(1.0))), 6)
        1.050701
    """
    return np.where(x > 0, _selu_right(x), _selu_left(_nonpositive(x), 0))


@elementwise(
    family="smooth",
    formula="celu(x) = max(0, x) + min(0, alpha·(e^(x/alpha) − 1))",
    latex=r"\max(0, x) + \min\left(0, \alpha (e^{x/\alpha} - 1)\right)",
    derivative="celu′(x) = 1 if x > 0 else e^(x/alpha)",
    sympy=lambda sp, x, p: sp.Max(0, x) + sp.Min(0, p["alpha"] * (sp.exp(x / p["alpha"]) - 1)),
    image=lambda alpha: _elu_image(alpha, "−alpha"),
    uses="hidden layers: an ELU whose derivative is continuous for every alpha",
    reference="Barron 2017, Continuously differentiable exponential linear units, arXiv:1704.07483",
    d1=lambda x, alpha: np.where(x > 0, 1.0, _celu_exp(x, alpha, 1)),
    d2=lambda x, alpha: np.where(x > 0, 0.0, _celu_exp(x, alpha, 2)),
    limits=lambda alpha: ((-alpha, INF), (0.0, 1.0), (0.0, 0.0)),
    params=(positive("alpha", 1.0, "saturation value −alpha; torch rejects 0"),),
    kinks=lambda alpha: (Kink(0.0, (1.0, 1.0 / alpha), (1.0, 0.0), "left"),),
    code={
        "torch": Code(function="F.celu(x, alpha={alpha})", layer="torch.nn.CELU(alpha={alpha})"),
        "keras": Code(
            function="keras.activations.celu(x, alpha={alpha})", dense=(("alpha=1", "celu"),)
        ),
        "jax": Code(function="jax.nn.celu(x, alpha={alpha})"),
    },
)
def celu(x: Array, alpha: float) -> Array:
    """Continuously differentiable ELU: ELU rescaled so that f′ is continuous for every alpha.

    Examples:
        >>> round(float(celu(np.array(-2.0), alpha=2.0)), 6)
        -1.264241
    """
    qh, ql = _celu_quotient(x, alpha)
    em = el.expm1(qh)
    # expm1(qh + ql) = expm1(qh) + e^qh·ql; the zero test keeps expm1(−0) = −0
    corr = el.exp(qh) * ql
    return np.where(x > 0, x, alpha * np.where(corr == 0, em, em + corr))


@elementwise(
    family="smooth",
    formula="exponential(x) = e^x",
    latex=r"e^{x}",
    derivative="exponential′(x) = e^x",
    sympy=lambda sp, x, p: sp.exp(x),
    image=span(0.0, INF),
    uses=(
        "positive outputs, such as the rate of a Poisson regression; rarely in hidden layers "
        "(it overflows)"
    ),
    reference="keras.activations.exponential",
    d1=lambda x: el.exp(x),
    d2=lambda x: el.exp(x),
    limits=((0.0, INF), (0.0, INF), (0.0, INF)),
    aliases=("exp",),
    code={
        "torch": Code(function="torch.exp(x)"),
        "keras": Code(function="keras.activations.exponential(x)", dense="exponential"),
        "keras2": Code(function="tf_keras.activations.exponential(x)", dense="exponential"),
        "tf": Code(function="tf.math.exp(x)"),
        "jax": Code(function="jnp.exp(x)"),
    },
)
def exponential(x: Array) -> Array:
    """The exponential function (positive-rate outputs, e.g. Poisson regression).

    Examples:
        >>> exponential(np.array([0.0])).tolist()
        [1.0]
    """
    return el.exp(x)


@elementwise(
    family="smooth",
    formula="elish(x) = x·σ(x) if x ≥ 0 else (e^x − 1)·σ(x)",
    latex=r"\begin{cases} x\,\sigma(x) & x \ge 0 \\ (e^{x} - 1)\,\sigma(x) & x < 0 \end{cases}",
    derivative="elish′(x) = σ(x)(1 + x·σ(−x)) if x ≥ 0 else σ(x)(e^x + (e^x − 1)·σ(−x))",
    sympy=lambda sp, x, p: sp.Piecewise(
        (x * sym_sigmoid(sp, x), x >= 0), ((sp.exp(x) - 1) * sym_sigmoid(sp, x), True)
    ),
    image=span(closed(*ELISH_MINIMUM), INF),
    uses=(
        "hidden layers of image classifiers (found by evolutionary search): SiLU for x ≥ 0, "
        "ELU-like below"
    ),
    reference="Basirat & Roth 2018, The quest for the golden activation function, arXiv:1808.00783",
    d1=lambda x: _near_root("elish", x, _elish_d1(x)),
    d2=lambda x: _elish_d2(x),
    limits=RELU_LIKE,
    kinks=lambda: (Kink(0.0, (0.5, 1.0), (0.5, 0.5), "right"),),
)
def elish(x: Array) -> Array:
    """ELiSH: SiLU for x ≥ 0 and an ELU-times-sigmoid for x < 0.

    Examples:
        >>> round(float(elish(np.array(-1.0))), 6)
        -0.170003
    """
    # x·σ(x) above 0, (e^x − 1)·σ(x) below: the factors as double-doubles, rounded once
    (sh, sl), _ = nx.logistic(x)
    gh, gl = el.expm1_pair(np.minimum(x, 0.0))
    ah, al = np.where(x >= 0, x, gh), np.where(x >= 0, 0.0, gl)
    ph, pl = nx.dd_mul(ah, al, sh, sl)
    return np.where(ph == 0, np.where(x == 0, 0.5 * x, ph), ph + pl)  # keeps −0


def _elish_d1(x: Array) -> Array:
    # σ(x)·(1 + x·σ(−x)) above 0, σ(x)·(e^x + (e^x − 1)·σ(−x)) below, in double-double
    xn = np.minimum(x, 0.0)
    up = x >= 0
    (sh, sl), (mh, ml) = nx.logistic(x)
    gh, gl = el.expm1_pair(xn)
    eh, elo = el.exp_pair(xn)
    th, tl = nx.dd_mul(np.where(up, x, gh), np.where(up, 0.0, gl), mh, ml)
    bh, bl = np.where(up, 1.0, eh), np.where(up, 0.0, elo)
    uh, ul = nx.dd_add(bh, bl, th, tl)
    ph, pl = nx.dd_mul(sh, sl, uh, ul)
    return np.where(ph == 0, ph, ph + pl)  # an underflowed product keeps its sign


def _elish_d2(x: Array) -> Array:
    xp, xn = np.minimum(np.maximum(x, 0.0), _Z), np.minimum(x, 0.0)
    pos = nx.sigmoid_prime(xp) * (2.0 - xp * el.tanh(0.5 * xp))
    e, g, s, ds = el.exp(xn), el.expm1(xn), nx.sigmoid(xn), nx.sigmoid_prime(xn)
    neg = e * s + 2.0 * e * ds - g * ds * el.tanh(0.5 * xn)
    return np.where(x >= 0, pos, neg)


# ---------------------------------------------------------------------------------- tanh-based


def _lisht_d1(x: Array) -> Array:
    """tanh x + x·sech² x, the product and the sum in double-double, rounded once."""
    th, tl = el.tanh_pair(x)
    sh, sl = nx.tanh_prime_pair(x)
    ph, pl = nx.dd_mul(sh, sl, x, np.zeros_like(x))
    gh, gl = nx.dd_add(th, tl, ph, pl)
    return np.where(gh == 0, gh, gh + gl)  # keeps −0


@elementwise(
    family="smooth",
    formula="lisht(x) = x·tanh(x)",
    latex=r"x \tanh(x)",
    derivative="lisht′(x) = tanh(x) + x·(1 − tanh²(x))",
    sympy=lambda sp, x, p: x * sp.tanh(x),
    image=span(closed(0.0, at=0.0), INF),
    uses=(
        "hidden layers (proposed for classification and LSTMs): symmetric, so negative inputs "
        "give positive outputs"
    ),
    reference="Roy et al. 2019, LiSHT: non-parametric linearly scaled hyperbolic tangent, arXiv:1901.05894",
    d1=lambda x: _lisht_d1(x),
    d2=lambda x: 2.0 * nx.tanh_prime(x) * (1.0 - x * el.tanh(x)),
    limits=((INF, INF), (-1.0, 1.0), (0.0, 0.0)),
)
def lisht(x: Array) -> Array:
    """LiSHT: x·tanh(x), symmetric and unbounded.

    Examples:
        >>> round(float(lisht(np.array(-1.0))), 6)
        0.761594
    """
    th, tl = el.tanh_pair(x)
    return nx.times(x, th, tl)  # +0 at ±0, as x·tanh x


def _tanh_exp_parts(x: Array) -> tuple[Array, Array, Array]:
    e = el.exp(np.minimum(x, 20.0))  # tanh(e^20) is exactly 1: nothing changes beyond
    return e, el.tanh(e), nx.tanh_prime(e)


def _tanh_exp_pairs(x: Array) -> tuple[nx.Pair, nx.Pair, nx.Pair]:
    """(E = e^x, tanh E, sech² E = 4σ(2E)σ(−2E)) as double-doubles, x ≤ 20 (above, tanh E
    is 1 to the last bit): E's low part applied to first order through tanh′."""
    eh, elo = el.exp_pair(np.minimum(x, 20.0))
    th, tl = el.tanh_pair(eh)
    (ph, pl), (mh, ml) = nx.logistic(2.0 * eh, 2.0 * elo)  # sech² E = 4σ(2E)σ(−2E)
    sh, sl = nx.dd_mul(4.0 * ph, 4.0 * pl, mh, ml)
    return (eh, elo), (th, tl + sh * elo), (sh, sl)


def _tanh_exp_d1(x: Array) -> Array:
    # tanh E + x·E·sech² E, the products and the sum in double-double, rounded once
    (eh, elo), (th, tl), (sh, sl) = _tanh_exp_pairs(x)
    ph, pl = nx.dd_mul(eh, elo, sh, sl)
    ph, pl = nx.dd_mul(ph, pl, x, np.zeros_like(x))
    gh, gl = nx.dd_add(th, tl, ph, pl)
    return _far_left(x, gh + gl, 1)


def _tanh_exp_d2(x: Array) -> Array:
    xc = np.clip(x, -_Z, 20.0)  # e^x is 0 below −1000 (and tanh(e^x) saturated above 20)
    e, t, sech2 = _tanh_exp_parts(xc)
    general = _far_left(x, (e * sech2) * (2.0 + xc - 2.0 * xc * e * t), 2)
    return _patch(xc, general, xc > 0.0, _tanh_exp_d2_right)


def _tanh_exp_d2_right(x: Array) -> Array:
    """tanh_exp″ for x > 0, where e·sech²(e) = 4e^(x − 2e)/(1 + e^(−2e))² (e = e^x).

    e^(−2e) turns the half-ULP rounding of e into e ULP (360 at x = 5.9), and sech²(e)
    alone is subnormal from x ≈ 5.9 on while the product is not: e is taken as a
    double-double and the whole factor applied before any underflow (numerics.exp_mul).
    """
    eh, elo = nx.exp_dd(x)
    ah, al = nx.two_sum(x, -2.0 * eh)
    t = el.tanh(eh)
    factor = 4.0 / (1.0 + el.exp(-2.0 * eh)) ** 2 * (2.0 + x - 2.0 * x * eh * t)
    return nx.exp_mul(ah, factor, al - 2.0 * elo)


@elementwise(
    family="smooth",
    formula="tanh_exp(x) = x·tanh(e^x)",
    latex=r"x \tanh\left(e^{x}\right)",
    derivative="tanh_exp′(x) = tanh(e^x) + x·e^x·sech²(e^x)",
    sympy=lambda sp, x, p: x * sp.tanh(sp.exp(x)),
    image=span(closed(*TANH_EXP_MINIMUM), INF),
    uses="hidden layers of lightweight real-time networks",
    reference="Liu & Di 2020, TanhExp: a smooth activation function, arXiv:2003.09855",
    d1=lambda x: _near_root("tanh_exp", x, _tanh_exp_d1(x)),
    d2=lambda x: _tanh_exp_d2(x),
    limits=RELU_LIKE,
    aliases=("tanhexp",),
)
def tanh_exp(x: Array) -> Array:
    """TanhExp: x·tanh(e^x), designed for lightweight real-time networks.

    Examples:
        >>> round(float(tanh_exp(np.array(1.0))), 6)
        0.991329
    """
    _, (th, tl), _ = _tanh_exp_pairs(x)
    return _far_left(x, nx.times(x, th, tl), 0)


def _serf_parts(x: Array) -> tuple[Array, Array, Array, Array]:
    (eh, el_), (sh, sl), g = _serf_erf(x)
    return sh + sl, eh + el_, g, nx.sigmoid(x)


def _serf_erf(x: Array) -> tuple[nx.Pair, nx.Pair, Array]:
    """(erf(softplus x), softplus x, (2/√π)·e^(−softplus(x)²)), the first two as
    double-doubles: the
    softplus' low part applied to first order through erf′ = (2/√π)·e^(−s²)."""
    sh, sl = nx.softplus_pair(x)
    c = nx.TWO_OVER_SQRT_PI_DD
    g = nx.exp_neg_square(sh, factor=c[0], factor_lo=c[1])
    eh, el_ = nx.erf_pair(sh)
    return (eh, el_ + g * sl), (sh, sl), g


def _serf_d1(x: Array) -> Array:
    # erf(sp) + x·g·σ(x), g = (2/√π)·e^(−sp²), the product and the sum in double-double
    (eh, el_), (ph, pl), _ = _serf_erf(x)
    (sh, sl), _ = nx.logistic(x)
    c = nx.TWO_OVER_SQRT_PI_DD
    lo = -2.0 * np.minimum(ph, 40.0) * pl  # e^(−s²) is 0 beyond s = 40 anyway
    gh, gl = nx.exp_neg_square_pair(ph, factor=c[0], factor_lo=c[1], lo=lo)
    ph, pl = nx.dd_mul(gh, gl, sh, sl)
    ph, pl = nx.dd_mul(ph, pl, x, np.zeros_like(x))
    th, tl = nx.dd_add(eh, el_, ph, pl)
    return _far_left(x, th + tl, 1, scale=nx.TWO_OVER_SQRT_PI)


def _serf_d2(x: Array) -> Array:
    xc = np.clip(x, -_Z, _Z)  # e^(−sp²) is 0 above 40 and σ is 0 below −750
    s, _, g, sig = _serf_parts(xc)
    d2 = 2.0 * g * sig + xc * g * (nx.sigmoid_prime(xc) - 2.0 * s * sig * sig)
    return _far_left(x, d2, 2, scale=nx.TWO_OVER_SQRT_PI)


@elementwise(
    family="smooth",
    formula="serf(x) = x·erf(softplus(x))",
    latex=r"x \operatorname{erf}\left(\log(1 + e^{x})\right)",
    derivative="serf′(x) = erf(sp(x)) + x·(2/√π)·e^(−sp(x)²)·σ(x)",
    sympy=lambda sp, x, p: x * sp.erf(sym_softplus(sp, x)),
    image=span(closed(*SERF_MINIMUM), INF),
    uses="hidden layers, as a Mish-like self-regularised activation",
    reference="Nag & Bhattacharyya 2021, SERF: towards better training of deep neural networks, arXiv:2108.09598",
    d1=lambda x: _near_root("serf", x, _serf_d1(x)),
    d2=lambda x: _serf_d2(x),
    limits=RELU_LIKE,
)
def serf(x: Array) -> Array:
    """Serf: x·erf(softplus(x)), a Mish-like self-regularised activation.

    Examples:
        >>> round(float(serf(np.array(1.0))), 6)
        0.936722
    """
    (eh, el_), _, _ = _serf_erf(x)
    y = nx.times(x, eh, el_)
    return _far_left(x, y, 0, scale=nx.TWO_OVER_SQRT_PI)


# ---------------------------------------------------------------------------------- periodic


def _cos_double(s: Array, c: Array) -> Array:
    return (c - s) * (c + s)  # cos 2θ from θ itself: 2·a·x could overflow where a·x does not


@elementwise(
    family="smooth",
    formula="snake(x) = x + sin²(frequency·x)/frequency",
    latex=r"x + \frac{\sin^2(a x)}{a}",
    derivative="snake′(x) = 1 + sin(2·frequency·x)",
    sympy=lambda sp, x, p: x + sp.sin(p["frequency"] * x) ** 2 / p["frequency"],
    image=REALS,
    uses=(
        "hidden layers of networks that model periodic signals (audio synthesis, time series) "
        "and must extrapolate them"
    ),
    reference="Liu Ziyin, Hartwig & Ueda 2020, Neural networks fail to learn periodic functions, arXiv:2006.08195",
    d1=lambda x, frequency: _snake_d1(x, frequency),
    d2=lambda x, frequency: 2.0 * frequency * _cos_double(*nx.sin_scaled(x, frequency)),
    limits=lambda frequency: ((-INF, INF), (NAN, NAN), (NAN, NAN)),
    params=(
        positive("frequency", 1.0, "frequency a of the periodic part", aliases=("a", "alpha")),
    ),
)
def snake(x: Array, frequency: float) -> Array:
    """Snake: identity plus a periodic ripple, for extrapolating periodic signals.

    Examples:
        >>> round(float(snake(np.array(1.0), frequency=1.0)), 6)
        1.708073
    """
    s, _ = nx.sin_scaled(x, frequency)
    y = x + s * s / frequency
    # For −2 < a·x < 0 the two terms have opposite signs and cancel by up to a factor 4, more
    # than half-ULP sines can afford: there the sum is formed in double-double throughout.
    y = _patch(x, y, (x < 0) & (x * frequency > -2.0), lambda t: _snake_dd(t, frequency))
    return np.where(x == 0, x, y)  # snake(−0) = −0


def _snake_dd(x: Array, frequency: float) -> Array:
    th, tl = nx.two_prod(x, frequency)
    sh, sl = nx.sin_dd(th, tl)
    qh, ql = nx.dd_mul(sh, sl, sh, sl)
    inv = 1.0 / frequency
    inv_l = (1.0 - inv * frequency - nx.two_prod(np.asarray([inv]), frequency)[1][0]) / frequency
    qh, ql = nx.dd_mul(qh, ql, np.full_like(x, inv), np.full_like(x, inv_l))
    total, err = nx.two_sum(x, qh)
    return total + (err + ql)


def _snake_d1(x: Array, frequency: float) -> Array:
    # 1 + sin 2θ = 2 sin²(θ + π/4): at the double zeros 1 + sin 2θ loses 1/d² ULP (2500 ULP
    # at 0.02 from one), while the sine of a double-double argument stays exact.
    s, _ = nx.sin_scaled(x, frequency, nx.PI_4)
    return 2.0 * s * s


@elementwise(
    family="smooth",
    formula="sine(x) = sin(w0·x)",
    latex=r"\sin(\omega_0 x)",
    derivative="sine′(x) = w0·cos(w0·x)",
    sympy=lambda sp, x, p: sp.sin(p["w0"] * x),
    image=lambda w0: _sine_image(w0),
    uses=(
        "hidden layers of implicit neural representations (SIREN: images, shapes and signals "
        "as functions of coordinates)"
    ),
    reference="Sitzmann et al. 2020, Implicit neural representations with periodic activation functions (SIREN), arXiv:2006.09661",
    d1=lambda x, w0: w0 * nx.sin_scaled(x, w0)[1],
    d2=lambda x, w0: -(w0 * w0) * nx.sin_scaled(x, w0)[0],
    limits=lambda w0: NO_LIMIT,
    params=(
        positive("w0", 1.0, "frequency ω₀ (SIREN uses 30 in the first layer)", aliases=("omega",)),
    ),
    aliases=("sin", "siren"),
)
def sine(x: Array, w0: float) -> Array:
    """Sine activation of SIREN networks (implicit neural representations).

    Examples:
        >>> sine(np.array([0.0, np.pi / 2]), w0=1.0).tolist()
        [0.0, 1.0]
    """
    return nx.sin_scaled(x, w0)[0]


# ---------------------------------------------------------------------------------- bumps


def _gaussian_d(x: Array, order: int) -> Array:
    xc = np.clip(x, -40.0, 40.0)  # e^(−x²) is exactly 0 beyond ±40
    return nx.exp_neg_square(xc, factor=-2.0 * xc if order == 1 else 4.0 * xc * xc - 2.0)


@elementwise(
    family="smooth",
    formula="gaussian(x) = e^(−x²)",
    latex=r"e^{-x^2}",
    derivative="gaussian′(x) = −2x·e^(−x²)",
    sympy=lambda sp, x, p: sp.exp(-(x**2)),
    image=span(0.0, closed(1.0, at=0.0)),
    uses="radial-basis-function networks: a unit responds to inputs near its centre",
    reference="Radial basis function networks (Broomhead & Lowe 1988)",
    d1=lambda x: _gaussian_d(x, 1),
    d2=lambda x: _gaussian_d(x, 2),
    limits=((0.0, 0.0), (0.0, 0.0), (0.0, 0.0)),
    aliases=("gauss", "rbf"),
)
def gaussian(x: Array) -> Array:
    """Gaussian bump e^(−x²), with x² split exactly (e^(−x²) has condition number 2x²).

    Examples:
        >>> round(float(gaussian(np.array(1.0))), 6)
        0.367879
    """
    return nx.exp_neg_square(x)


@elementwise(
    family="smooth",
    formula="bent_identity(x) = (√(x² + 1) − 1)/2 + x",
    latex=r"\frac{\sqrt{x^2 + 1} - 1}{2} + x",
    derivative="bent_identity′(x) = x/(2√(x² + 1)) + 1",
    sympy=lambda sp, x, p: (sp.sqrt(x**2 + 1) - 1) / 2 + x,
    image=REALS,
    uses=(
        "hidden layers or regression outputs that need a smooth, unbounded, monotonic non-linearity"
    ),
    reference="Classic activation tables (no canonical paper)",
    d1=lambda x: 1.0 + 0.5 * x / np.hypot(x, 1.0),
    d2=lambda x: ((0.5 / np.hypot(x, 1.0)) / np.hypot(x, 1.0)) / np.hypot(x, 1.0),
    limits=((-INF, INF), (0.5, 1.5), (0.0, 0.0)),
    aliases=("bentidentity",),
)
def bent_identity(x: Array) -> Array:
    """Bent identity: a smooth, unbounded, monotonic curve bending between slopes ½ and 3/2.

    Examples:
        >>> bent_identity(np.array([0.0, 0.75])).tolist()
        [0.0, 0.875]
    """
    h = np.hypot(x, 1.0)
    # √(x² + 1) − 1 = x²/(√(x² + 1) + 1): no cancellation near 0, no overflow of x².
    far = 0.5 * x * (x / (h + 1.0)) + x
    # where x² is in range: x² and √(x² + 1) (squareplus' h with b = 1) in double-double,
    # the quotient and the sum too, rounded once
    xs, (hh, hl), near = _squareplus_h(x, 1.0)
    sh, sl = nx.two_square(xs)
    dh, dl = nx.two_sum(hh, np.ones_like(hh))
    qh, ql = nx.dd_div(sh, sl, dh, dl + hl)
    th, tl = nx.two_sum(xs, 0.5 * qh)
    y = np.where(near, th + (tl + 0.5 * ql), far)
    return np.where(x == 0, x, y)  # bent_identity(−0) = −0
