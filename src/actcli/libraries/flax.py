"""flax's activations (``flax.nnx`` and ``flax.linen`` re-export ``jax.nn``): read from
google/flax at commit 18f8f31 (0.12.8 by ``flax/version.py``), ``flax/nnx/nn/activations.py``
and ``flax/linen/activation.py``; the maths from JAX 0.10.2, ``jax/_src/nn/functions.py``."""

from __future__ import annotations

from typing import Any

from actcli.libraries.records import LibraryName, Source

SOURCE = Source(
    "flax",
    "18f8f311c275d57f46d95e41b15aa97b454754c0 (0.12.8)",
    "flax/nnx/nn/activations.py, flax/linen/activation.py; jax 0.10.2 jax/_src/nn/functions.py",
    "github.com/google/flax; the jax wheel",
)


def _n(name: str, spec: str, code: str, **more: Any) -> LibraryName:
    return LibraryName("flax", name, spec, code, SOURCE, **more)


NAMES = (
    _n(
        "gelu",
        "gelu:approximate=tanh",
        "jax.nn.gelu(x, approximate=True): cdf = 0.5 * (1.0 + jnp.tanh(sqrt_2_over_pi * (x_arr + 0.044715 * (x_arr ** 3))))",
        args={"approximate": "true"},
    ),
    _n(
        "gelu",
        "gelu",
        "jax.nn.gelu(x, approximate=False): x/2 · erfc(−x/√2)",
        args={"approximate": "false"},
        default=False,
    ),
    _n("relu", "relu", "jax.nn.relu"),
    _n("relu6", "relu6", "jax.nn.relu6"),
    _n("leaky_relu", "leaky_relu", "jax.nn.leaky_relu(x, negative_slope=1e-2)"),
    _n("elu", "elu", "jax.nn.elu(x, alpha=1.0)"),
    _n("celu", "celu", "jax.nn.celu(x, alpha=1.0)"),
    _n(
        "selu",
        "selu",
        "jax.nn.selu: scale * elu(x, alpha), alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946",
    ),
    _n("silu", "silu", "jax.nn.silu"),
    _n("swish", "silu", "jax.nn.swish = silu"),
    _n("sigmoid", "sigmoid", "jax.nn.sigmoid"),
    _n("log_sigmoid", "log_sigmoid", "jax.nn.log_sigmoid"),
    _n("soft_sign", "softsign", "jax.nn.soft_sign"),
    _n("softplus", "softplus", "jax.nn.softplus"),
    _n("hard_sigmoid", "hard_sigmoid", "jax.nn.hard_sigmoid: relu6(x + 3.) / 6."),
    _n("hard_silu", "hard_silu", "jax.nn.hard_silu", aliases=("hard_swish",)),
    _n("hard_tanh", "hard_tanh", "jax.nn.hard_tanh"),
    _n("identity", "identity", "jax.nn.identity"),
    _n("tanh", "tanh", "jax.numpy.tanh"),
    _n(
        "PReLU",
        "prelu:weight=0.01",
        "PReLU(negative_slope_init=0.01): jnp.where(inputs >= 0, inputs, negative_slope * inputs)",
        differs="the initial slope is 0.01 (torch's nn.PReLU: 0.25); learned afterwards",
    ),
)
