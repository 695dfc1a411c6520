"""MLX's activations (``mlx.nn``): read from ml-explore/mlx at commit 846d176 (0.32.2 by
``mlx/version.h``), ``python/mlx/nn/layers/activations.py``. Version-pinned: ``gelu_approx``
and ``gelu_fast_approx`` changed formula in MLX PR #989 and ``step`` became inclusive in
#3694 (the issue's record); what is written here is the formula at this commit."""

from __future__ import annotations

from typing import Any

from actcli.libraries.records import LibraryName, Source

SOURCE = Source(
    "MLX",
    "846d176227a0ac13d2667e58d2bb68b322109ab0 (0.32.2)",
    "python/mlx/nn/layers/activations.py",
    "github.com/ml-explore/mlx",
)
TANH = "0.5 * x * (1 + mx.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))"
# selu: elu(x, 1.67326) * 1.0507, the constants truncated
SELU = "1.0507*where(x > 0, x, 1.67326*(exp(x) - 1))"


def _n(name: str, spec: str, code: str, **more: Any) -> LibraryName:
    return LibraryName("mlx", name, spec, code, SOURCE, **more)


NAMES = (
    _n("gelu", "gelu", "x * (1 + mx.erf(x / math.sqrt(2))) / 2"),
    _n("gelu_approx", "gelu:approximate=tanh", TANH),
    _n("gelu_fast_approx", "quick_gelu", "x * mx.sigmoid(1.702 * x)"),
    _n(
        "GELU",
        "gelu:approximate=tanh",
        f"GELU(approx='precise'): gelu_approx: {TANH}",
        args={"approx": "precise"},
        default=False,
    ),
    _n(
        "GELU",
        "gelu:approximate=tanh",
        f"GELU(approx='tanh'): gelu_approx ('tanh' is an alias of 'precise'): {TANH}",
        args={"approx": "tanh"},
        default=False,
    ),
    _n(
        "GELU",
        "quick_gelu",
        "GELU(approx='fast'): gelu_fast_approx: x * mx.sigmoid(1.702 * x)",
        args={"approx": "fast"},
        default=False,
    ),
    _n("sigmoid", "sigmoid", "mx.sigmoid(x)"),
    _n("relu", "relu", "mx.maximum(x, 0)"),
    _n("relu2", "squared_relu", "mx.square(mx.maximum(x, 0))"),
    _n("relu6", "relu6", "mx.minimum(mx.maximum(x, 0), 6.0)"),
    _n(
        "leaky_relu",
        "leaky_relu",
        "leaky_relu(x, negative_slope=0.01): mx.maximum(negative_slope * x, x)",
    ),
    _n(
        "elu",
        "elu",
        "elu(x, alpha=1.0): mx.where(x > 0, x, alpha * (mx.exp(x) - 1))",
        differs="exp(x) − 1, not expm1: near 0 it loses digits",
    ),
    _n("softplus", "softplus", "mx.logaddexp(x, 0)"),
    _n("softsign", "softsign", "mx.divide(x, 1 + mx.abs(x))"),
    _n(
        "softshrink",
        "soft_shrink",
        "softshrink(x, lambd=0.5): mx.where(mx.abs(x) > lambd, x - mx.sign(x) * lambd, 0)",
    ),
    _n(
        "celu",
        "celu",
        "celu(x, alpha=1.0): mx.maximum(x, 0.0) + alpha * (mx.exp(mx.minimum(x, 0.0) / alpha) - 1)",
    ),
    _n("silu", "silu", "x * mx.sigmoid(x)"),
    _n("log_sigmoid", "log_sigmoid", "-softplus(-x)"),
    _n("step", "step", "step(x, threshold=0.0): mx.where(x >= threshold, 1, 0)"),
    _n(
        "selu",
        SELU,
        "elu(x, 1.67326) * 1.0507",
        kin="selu",
        differs="α = 1.67326 and λ = 1.0507, truncated (actcli's selu has the exact constants)",
    ),
    _n(
        "prelu",
        "prelu",
        "PReLU(num_parameters=1, init=0.25): mx.maximum(0, x) + alpha * mx.minimum(0, x)",
    ),
    _n("mish", "mish", "x * mx.tanh(softplus(x))"),
    _n("hardswish", "hard_silu", "max_x_3 = mx.maximum(x + 3, 0); x * mx.minimum(max_x_3, 6) / 6"),
    _n(
        "hard_tanh",
        "hard_tanh",
        "hard_tanh(x, min_val=-1.0, max_val=1.0): mx.minimum(mx.maximum(x, min_val), max_val)",
    ),
    _n(
        "hard_shrink", "hard_shrink", "hard_shrink(x, lambd=0.5): mx.where(mx.abs(x) > lambd, x, 0)"
    ),
    _n("tanh", "tanh", "mx.tanh(x)"),
)
