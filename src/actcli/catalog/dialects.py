"""Framework dialects: where PyTorch, Keras, JAX and TensorFlow disagree.

A dialect changes two things and nothing else:

* **parameter defaults** (leaky ReLU slope 0.01 / 0.2, GELU exact or tanh, Keras 2's
  hard sigmoid 0.2·x + 0.5), and
* **the derivative at kinks** (what reverse-mode autodiff returns exactly at the point:
  ``leaky_relu'(0)`` is the slope in PyTorch and 1 in JAX).

The values come from the frameworks' sources (each record's ``code=`` and ``frameworks=``
name the functions) and are checked against recorded framework outputs in
``tests/data/parity`` (``tools/parity.py`` records them). ``torch`` is the default and is what each
definition's own kink rules encode; the other dialects list their differences only.
Keras 3 is a front end: the ``keras`` dialect is Keras 3 on its default TensorFlow backend.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from actcli.catalog.records import Kink, ParamValue, Side
from actcli.catalog.registry import lookup
from actcli.errors import UnknownDialectError

DEFAULT = "torch"

DIALECTS: Mapping[str, str] = {
    "torch": "PyTorch (torch.nn.functional); actcli's default",
    "keras": "Keras 3 (keras.activations) on its default TensorFlow backend",
    "keras2": "Keras 2 (tf_keras, tf.keras <= 2.15; hard_sigmoid = clip(0.2·x + 0.5, 0, 1))",
    "jax": "JAX (jax.nn)",
    "tf": "TensorFlow (tf.nn)",
}

# Parameter defaults that differ from the definition's (PyTorch's) default. Each one is recorded
# from the framework (tests/data/parity/<dialect>.json, section "defaults"; the entry marked
# "primary" is the function the dialect's plain spec means) and checked by tests/test_parity.py.
_DEFAULTS: Mapping[str, Mapping[str, Mapping[str, ParamValue]]] = {
    "keras": {
        "leaky_relu": {"negative_slope": 0.2},  # keras.activations.leaky_relu (layer: 0.3)
        "prelu": {"weight": 0.0},  # keras.layers.PReLU(alpha_initializer="Zeros")
        "normalize": {"eps": 1e-7},  # keras.ops.normalize: epsilon=None -> keras.config.epsilon()
    },
    "keras2": {
        "leaky_relu": {"negative_slope": 0.3},  # tf_keras.layers.LeakyReLU(alpha=0.3), no function
        "hard_sigmoid": {"slope": 0.2},  # tf_keras.activations.hard_sigmoid: clip(0.2·x + 0.5)
        "prelu": {"weight": 0.0},  # tf_keras.layers.PReLU(alpha_initializer="zeros")
        "threshold": {"threshold": 1.0},  # tf_keras.layers.ThresholdedReLU(theta=1.0), value 0
    },
    "jax": {"gelu": {"approximate": "tanh"}},  # jax.nn.gelu(approximate=True)
    "tf": {
        "leaky_relu": {"negative_slope": 0.2},  # tf.nn.leaky_relu(alpha=0.2)
        # tf.nn.l2_normalize floors Σx² at epsilon = 1e-12, i.e. the norm at √1e-12 = 1e-6
        # (actcli's eps floors the norm)
        "normalize": {"eps": 1e-6},
    },
}

# Framework signature defaults a dialect deliberately does not take: the framework's value,
# where it was read, and what actcli does instead. ``info`` shows the framework's value as its
# default and says the difference; binding keeps actcli's (``default`` above).
KEPT: Mapping[str, Mapping[str, Mapping[str, tuple[ParamValue, str]]]] = {
    "torch": {
        "softplus": {
            "threshold": (
                20.0,
                "torch 2.13.0 defaults to threshold=20 (torch/nn/functional.py: "
                "softplus(input, beta=1, threshold=20); torch/nn/modules/activation.py: "
                "Softplus(beta=1.0, threshold=20.0)) and returns x where beta·x > 20, up to "
                "2e-9 off; actcli keeps the exact function (threshold=inf): "
                "softplus:threshold=20 reproduces torch",
            )
        }
    }
}


def framework_default(
    dialect: str, activation: str, param: str, fallback: ParamValue
) -> ParamValue:
    """The default the framework's own signature gives (``default`` unless actcli keeps another)."""
    kept = KEPT.get(dialect, {}).get(activation, {}).get(param)
    return kept[0] if kept is not None else default(dialect, activation, param, fallback)


def kept(activation: str, param: str) -> dict[str, str]:
    """Per dialect, why actcli does not take that framework's default of ``param``."""
    return {
        dialect: by[activation][param][1]
        for dialect, by in KEPT.items()
        if param in by.get(activation, {})
    }


# Kink conventions that differ from PyTorch's, one rule per kink (in ascending order of x), or,
# where the framework's code path depends on the parameters, a function of the kink and the
# parameters giving its rule. Each is what the framework's autodiff returns exactly at the kink
# in float64, as recorded in tests/data/parity/<dialect>.json (tests/test_parity.py compares
# them bit for bit).
KinkRule = Callable[..., Side]  # (kink, **params) -> its rule


def _keras_relu(kink: Kink, negative_slope: float, max_value: float, threshold: float) -> Side:
    """keras.activations.relu (and tf_keras's): TF's LeakyRelu when only the slope is set (the
    slope at 0); otherwise where(x > threshold, x, 0) or relu or relu6, minus
    slope·relu(threshold − x), then clip_by_value(·, 0, max_value): at the threshold neither
    term passes a gradient, and the clip passes it at the cap, unless relu6 did the capping."""
    if kink.at == threshold:
        only_slope = max_value == math.inf and threshold == 0
        return "left" if only_slope or negative_slope == 0 else "zero"
    return "right" if max_value == 6 and threshold == 0 else "left"


def _tf_relu(kink: Kink, negative_slope: float, max_value: float, threshold: float) -> Side:
    """relu's tf.nn spellings (actcli.catalog.rectifiers): tf.where takes the lower branch at
    the threshold, and tf.minimum passes a tie to x at the cap, but relu6 does not."""
    if kink.at == threshold:
        return "left"
    return "right" if (negative_slope, max_value, threshold) == (0, 6, 0) else "left"


def _jax_relu(kink: Kink, negative_slope: float, max_value: float, threshold: float) -> Side:
    """relu's jax spellings: leaky_relu is where(x >= 0, …), jnp.where takes the lower branch
    at the threshold, and jnp.minimum splits a tie at the cap, but relu6 does not."""
    if kink.at == threshold:
        only_slope = negative_slope != 0 and max_value == math.inf and threshold == 0
        return "right" if only_slope else "left"
    return "right" if (negative_slope, max_value, threshold) == (0, 6, 0) else "mean"


_TF_KINKS: Mapping[str, tuple[Side, ...] | KinkRule] = {
    "relu": _keras_relu,
    "selu": ("right",),  # SeluGrad tests activations < 0: λ at x = 0, not λα
    # PReLU layer = relu(x) − α·relu(−x): both relu′(0) = 0, so 0 at x = 0
    "prelu": ("zero",),
}
_KINK_RULES: Mapping[str, Mapping[str, tuple[Side, ...] | KinkRule]] = {
    "jax": {
        "relu": _jax_relu,
        "leaky_relu": ("right",),  # where(x >= 0, x, α·x): gradient 1 at 0
        "hard_tanh": ("right", "left"),  # strict inequalities: gradient 1 at both ends
        "sparse_sigmoid": ("mean", "mean"),  # 0.5·clip(x + 1, 0, 2): jnp.clip ties give ¼
    },
    "keras": {
        **_TF_KINKS,
        # elu: where(x > 0, x, α·expm1(x)) -> α at 0, as PyTorch (the definition's rule)
        "hard_tanh": ("right", "left"),  # tf.clip_by_value passes the gradient at its bounds
        "celu": ("sum",),  # maximum(x, 0) + minimum(0, …): both ties pass the gradient: 2
    },
    "keras2": {
        **_TF_KINKS,
        "hard_sigmoid": ("right", "left"),  # clip(0.2·x + 0.5, 0, 1): 0.2 at ±2.5
    },
    "tf": {
        "relu": _tf_relu,
        # EluGrad tests activations < 0: 1 at x = 0 (tf.nn.elu has no α; it is 1)
        "elu": ("right",),
        "selu": ("right",),  # SeluGrad, as above
    },
}


def check(dialect: str) -> str:
    """The dialect's canonical spelling; raises UnknownDialectError."""
    key = dialect.strip().lower()
    aliases = {"pytorch": "torch", "tensorflow": "tf", "keras3": "keras", "tf.keras": "keras2"}
    key = aliases.get(key, key)
    if key not in DIALECTS:
        known = ", ".join(DIALECTS)
        raise UnknownDialectError(f"unknown dialect {dialect!r} (dialects: {known})")
    return key


def default(dialect: str, activation: str, param: str, fallback: ParamValue) -> ParamValue:
    """The default of ``param`` of ``activation`` in ``dialect``."""
    return _DEFAULTS.get(dialect, {}).get(activation, {}).get(param, fallback)


def kink_rules(
    dialect: str, activation: str, kinks: tuple[Kink, ...], params: Mapping[str, ParamValue]
) -> tuple[Side, ...] | None:
    """The dialect's rules for ``kinks``, the kinks of ``activation`` bound to ``params``, or
    None for the definition's own."""
    rules = _KINK_RULES.get(dialect, {}).get(activation)
    if rules is None or isinstance(rules, tuple):
        return rules
    return tuple(rules(k, **params) for k in kinks)


def differences(activation: str) -> dict[str, dict[str, object]]:
    """Per dialect, what differs from PyTorch for ``activation`` (for ``info`` and ``compare``)."""
    out: dict[str, dict[str, object]] = {}
    for dialect in DIALECTS:
        diff: dict[str, object] = dict(_DEFAULTS.get(dialect, {}).get(activation, {}))
        rules = _KINK_RULES.get(dialect, {}).get(activation)
        if rules is not None and not isinstance(rules, tuple):  # at the dialect's defaults
            d = lookup(activation)
            params = {p.name: default(dialect, activation, p.name, p.default) for p in d.params}
            kinks = d.kinks(**params)
            rules = kink_rules(dialect, activation, kinks, params)
            rules = None if rules == tuple(k.rule for k in kinks) else rules
        if rules is not None:
            diff["kink_rules"] = rules
        if diff:
            out[dialect] = diff
    return out
