"""Framework dialects: where PyTorch, Keras, JAX and TensorFlow disagree.

A dialect changes two things and nothing else:

* **parameter defaults** (leaky ReLU slope 0.01 / 0.2, GELU exact or tanh, Keras 2's
  hard sigmoid 0.2·x + 0.5), and
* **the derivative at kinks** (what reverse-mode autodiff returns exactly at the point:
  ``leaky_relu'(0)`` is the slope in PyTorch and 1 in JAX).

The values come from the frameworks' sources as recorded in
``shared/reference/activation-catalog.md`` §1b and §2 and are checked against recorded
framework outputs in ``tests/data/parity``. ``torch`` is the default and is what each
definition's own kink rules encode; the other dialects list their differences only.
Keras 3 is a front end: the ``keras`` dialect is Keras 3 on its default TensorFlow backend.
"""

from __future__ import annotations

from collections.abc import Mapping

from actcli.catalog.registry import ParamValue, Side
from actcli.errors import UnknownDialectError

DEFAULT = "torch"

DIALECTS: Mapping[str, str] = {
    "torch": "PyTorch (torch.nn.functional); actcli's default",
    "keras": "Keras 3 (keras.activations) on its default TensorFlow backend",
    "keras2": "Keras 2 / tf.keras <= 2.15 (hard_sigmoid = clip(0.2·x + 0.5, 0, 1))",
    "jax": "JAX (jax.nn)",
    "tf": "TensorFlow (tf.nn)",
}

# Parameter defaults that differ from the definition's (PyTorch's) default.
_DEFAULTS: Mapping[str, Mapping[str, Mapping[str, ParamValue]]] = {
    "keras": {"leaky_relu": {"negative_slope": 0.2}},
    "keras2": {"leaky_relu": {"negative_slope": 0.2}, "hard_sigmoid": {"slope": 0.2}},
    "jax": {"gelu": {"approximate": "tanh"}},
    "tf": {"leaky_relu": {"negative_slope": 0.2}},
}

# Kink conventions that differ from PyTorch's, one rule per kink (in ascending order of x).
_TF_KINKS: Mapping[str, tuple[Side, ...]] = {
    "elu": ("right",),  # EluGrad tests activations < 0: 1 at x = 0 (equal to α only if α = 1)
    "selu": ("right",),  # SeluGrad tests activations < 0: λ at x = 0, not λα
    "sparse_sigmoid": ("left", "right"),  # tf.where-based: 0 at both ends, as PyTorch
}
_KINK_RULES: Mapping[str, Mapping[str, tuple[Side, ...]]] = {
    "jax": {
        "leaky_relu": ("right",),  # where(x >= 0, x, α·x): gradient 1 at 0
        "hard_tanh": ("right", "left"),  # strict inequalities: gradient 1 at both ends
        "sparse_sigmoid": ("mean", "mean"),  # 0.5·clip(x + 1, 0, 2): jnp.clip ties give ¼
    },
    "keras": _TF_KINKS,
    "keras2": _TF_KINKS,
    "tf": _TF_KINKS,
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


def kink_rules(dialect: str, activation: str) -> tuple[Side, ...] | None:
    """The dialect's rules for the kinks of ``activation``, or None for the definition's own."""
    return _KINK_RULES.get(dialect, {}).get(activation)


def differences(activation: str) -> dict[str, dict[str, object]]:
    """Per dialect, what differs from PyTorch for ``activation`` (for ``info`` and ``compare``)."""
    out: dict[str, dict[str, object]] = {}
    for dialect in DIALECTS:
        diff: dict[str, object] = dict(_DEFAULTS.get(dialect, {}).get(activation, {}))
        rules = kink_rules(dialect, activation)
        if rules is not None:
            diff["kink_rules"] = rules
        if diff:
            out[dialect] = diff
    return out
