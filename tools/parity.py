#!/usr/bin/env python3
"""Record framework parity data: PyTorch, Keras 3, tf_keras, TensorFlow and JAX activations.

This script is NOT part of actcli and does not import it. torch, tensorflow, keras, tf_keras and
jax are never runtime or CI dependencies of actcli (README: "torch, jax and tensorflow are never needed"): the outputs of this
script are committed as golden data in ``tests/data/parity/<dialect>.json`` and
``tests/test_parity.py`` compares actcli's dialects with them.

How to re-record (from the repository root), in a virtualenv outside the repository::

    python3 -m venv ../parity-venv
    ../parity-venv/bin/pip install torch==2.13.0                # CPU wheel (see below)
    ../parity-venv/bin/pip install "tensorflow-cpu==2.21.*" "tf_keras==2.21.*" keras jax jaxlib numpy
    ../parity-venv/bin/python tools/parity.py                   # every installed dialect
    ../parity-venv/bin/python tools/parity.py --framework keras # or only one (repeatable)

(On the project's machines ``pip install torch==2.13.0`` takes a CPU wheel from local disk; plain
``torch`` would pull a multi-GB CUDA build. tf_keras depends on ``tensorflow``, which pip
installs beside ``tensorflow-cpu``; both are the same CPU build.) Each dialect is recorded in a
child process of its own, so that the environment variables it needs are set before TensorFlow
is imported: ``keras`` runs with ``KERAS_BACKEND=tensorflow``, ``keras2`` with
``TF_USE_LEGACY_KERAS=1`` (tf_keras is imported directly either way). A framework that is not
installed is skipped with a message; its existing JSON file is left untouched.

Recorded versions (the committed files): torch 2.13.0+cpu; Keras 3.15.1 on TensorFlow 2.21.0;
tf_keras 2.21.0 on TensorFlow 2.21.0; TensorFlow 2.21.0; JAX 0.10.2 / jaxlib 0.10.2; numpy
2.4.6, Python 3.11.7, x86_64. Each file's header repeats them.

The five dialects and what is called (actcli's dialect names):

* ``torch``: ``torch.nn.functional`` / ``torch`` (autograd: ``torch.autograd.grad``);
* ``keras``: Keras 3 on the TensorFlow backend, ``keras.activations`` / ``keras.ops`` /
  ``keras.layers`` (autodiff: ``tf.GradientTape``), ``keras.config.set_floatx("float64")``;
* ``keras2``: tf_keras, ``tf_keras.activations`` / ``tf_keras.layers`` (``tf.GradientTape``),
  ``tf_keras.backend.set_floatx("float64")``;
* ``tf``: ``tf.nn`` / ``tf.math`` (``tf.GradientTape``);
* ``jax``: ``jax.nn`` (``jax.grad``), with ``jax_enable_x64``.

What is recorded, in float64, on the CPU:

* ``grid``: a sorted, de-duplicated set of about 330 points: linspace(-40, 40, 161),
  linspace(-10, 10, 161) (the region where cancellation traps live), the kink points
  -6, -3, -2.5, -1, -0.5, 0, 0.5, 1, 2.5, 3, 6 and the softplus switch points ±10, ±20 (βx = 20
  for β = 2 and 1), each with both ``nextafter`` neighbours, and ±1e-300, ±1e-12, ±1e-8, ±1e-6,
  ±1e-4, ±1e-2, ±50, ±100, ±700, ±710, ±1000. Every kink of every recorded spec is one of the
  kink points, so the derivative exactly at each kink is part of ``dy``.
* ``elementwise[spec]``: the framework's value ``y`` and its reverse-mode autodiff first
  derivative ``dy`` (the gradient of ``sum(f(x))``, elementwise). ``dy`` is ``null`` with a
  ``dy_error`` message where the framework has no derivative (torch.heaviside raises; TF's tape
  returns None for keras.ops.heaviside). Each activation is recorded with its default
  parameters and, where it has parameters, one non-default set; keras's relu with each of
  ``RELU_PARAMS`` (slope, cap, threshold and their combinations), in torch, tf.nn and jax
  through the spellings actcli's snippets give there.
* ``vector[spec]``: a few fixed input vectors, with value and full Jacobian, shape (n_out, n)
  (torch ``torch.autograd.functional.jacobian``, TF ``GradientTape.jacobian``, jax
  ``jax.jacfwd``), among them ``NON_FINITE_CASES``: a row with one −inf entry, one entirely
  −inf (attention's fully masked row) and one holding +inf.
* ``defaults``: for every recorded function and layer class, the defaults of its parameters as
  ``inspect.signature`` gives them (``"<required>"`` for a parameter without one; for torch
  builtins that have no signature, the first line of the docstring), and ``actcli``: the same
  defaults under actcli's canonical parameter names and values (approximate=False -> "none",
  alpha_initializer="zeros" -> weight 0.0, ...). ``primary`` marks the function that the
  dialect's plain spec means (keras: ``keras.activations``; keras2: the tf_keras layer where
  tf_keras has no function); the other entries (layers, ``keras.ops``) are what a porter meets
  next to it.

``spec`` is actcli's spec syntax: ``name`` or ``name:key=value,...`` with actcli's canonical
names and parameter names; a spec without parameters means the framework's own defaults (what
actcli's dialect must reproduce); ``call`` is the exact framework expression evaluated.

Floats are written with ``repr`` (they round-trip exactly); non-finite values are written as the
strings "nan", "inf" and "-inf"; -0.0 is kept as -0.0.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import inspect
import json
import math
import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

OUT_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "parity"

KINK_POINTS = (-6.0, -3.0, -2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5, 3.0, 6.0)
SWITCH_POINTS = (-20.0, -10.0, 10.0, 20.0)  # torch softplus threshold 20 on βx, β = 1 and 2
MAGNITUDES = (1e-300, 1e-12, 1e-8, 1e-6, 1e-4, 1e-2, 50.0, 100.0, 700.0, 710.0, 1000.0)

# The non-finite rows: attention's masks (an entry at −inf, a row entirely −inf) and an
# overflowed logit (+inf).
NON_FINITE_CASES = (
    [-math.inf, 0.0, 1.0],
    [-math.inf, -math.inf, -math.inf],
    [math.inf, 0.0, 1.0],
)
VECTOR_CASES = (
    [1.0, 2.0, 3.0],
    [1000.0, 0.0, -1000.0],
    [0.0, 0.0, 0.0, 0.0],
    [-1.0, 0.5, 2.0, -3.0],
    [5.0],
    [1e-300, -1e-300, 40.0, -40.0],
    *NON_FINITE_CASES,
)
# glu halves its input: only even lengths.
GLU_CASES = (
    [0.0, 0.0, 0.0, 0.0],
    [-1.0, 0.5, 2.0, -3.0],
    [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    [1000.0, -1000.0, -800.0, 800.0],
    [2.0, -3.0],
)
STANDARDIZE_CASES = (
    [1.0, 2.0, 3.0],
    [1000.0, 0.0, -1000.0],
    [0.0, 0.0, 0.0, 0.0],
    [-1.0, 0.5, 2.0, -3.0],
    [5.0],
    *NON_FINITE_CASES,
)
# sparsemax: supports of 1, 2, 3 and 4 elements.
SPARSEMAX_CASES = (
    *VECTOR_CASES,
    [0.1, 0.2, 0.3, 0.25],
    [1.0, 1.1, 0.9, -2.0],
    [0.5, 0.4, 0.45, 0.3, -1.0],
)
# normalize: the eps floors. Norm 3.7e-8 (below keras' 1e-7), 5e-7 (between 1e-7 and tf's 1e-6),
# 5e-5 (above every floor), and 1e-13 (below torch's 1e-12).
NORMALIZE_CASES = (
    *VECTOR_CASES,
    [1e-8, -2e-8, 3e-8],
    [3e-7, 4e-7],
    [3e-5, -4e-5],
    [6e-14, 8e-14],
)

# keras's relu parameters (negative_slope, max_value or None, threshold), each recorded in every
# framework: through keras.activations.relu and tf_keras's, and through the spelling actcli's
# snippets give elsewhere (leaky_relu, relu6, hardtanh, threshold, where()), whose kink
# conventions actcli's dialects state.
RELU_PARAMS = (
    (0.1, None, 0.0),
    (0.0, 6.0, 0.0),
    (0.0, 2.5, 0.0),
    (0.0, None, 1.0),
    (0.1, None, 1.0),
    (0.1, 6.0, 0.0),
    (0.1, 6.0, 1.0),
    (0.1, 1.0, 2.5),  # a cap below the threshold: max_value for every x above it
)


def relu_spec(slope: float, cap: float | None, threshold: float) -> str:
    """actcli's spec of keras's relu(x, slope, cap, threshold), defaults left out."""
    given = {"negative_slope": slope, "max_value": cap or 0.0, "threshold": threshold}
    return "relu:" + ",".join(f"{k}={v:g}" for k, v in given.items() if v)


def _relu_defaults(slope: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """keras's relu signature in actcli's names: ``slope`` is negative_slope (tf_keras's
    function: alpha), and max_value None is inf."""

    def conv(s: dict[str, Any]) -> dict[str, Any]:
        cap = s["max_value"]
        return {
            "negative_slope": float(s[slope]),
            "max_value": math.inf if cap is None else float(cap),
            "threshold": float(s["threshold"]),
        }

    return conv


def relu_calls(spell: Callable[[float, float | None, float], str], **names: Any) -> list[Elem]:
    """(spec, call, function) for each of RELU_PARAMS, ``spell`` giving the call's text, which
    is evaluated with ``names`` (the framework's modules) and x bound."""
    out = []
    for params in RELU_PARAMS:
        text = spell(*params)
        code = compile(text, "<call>", "eval")
        out.append((relu_spec(*params), text, lambda x, code=code: eval(code, {**names, "x": x})))
    return out


def where_relu(where: str, capped: str, zero: str) -> Callable[[float, float | None, float], str]:
    """The where() spelling of keras's relu: ``capped`` (with ``{cap}``) is min(x, cap) above
    the threshold, ``zero`` the framework's 0 below it when the slope is 0."""

    def spell(slope: float, cap: float | None, threshold: float) -> str:
        top = "x" if cap is None else capped.format(cap=cap, threshold=threshold)
        bottom = zero if slope == 0 else f"{slope!r} * (x - {threshold!r})"
        return f"{where}(x > {threshold!r}, {top}, {bottom})"

    return spell


Elem = tuple[str, str, Callable[..., Any]]
Vec = tuple[str, str, Callable[..., Any], tuple[list[float], ...]]
# (actcli activation, source, function or layer class, primary, signature -> actcli defaults)
Default = tuple[str, str, Any, bool, Callable[[dict[str, Any]], dict[str, Any]]]
Specs = tuple[str, dict[str, Any], list[Elem], list[Vec], list[Default]]


def make_grid() -> list[float]:
    pts: list[float] = []
    pts += np.linspace(-40.0, 40.0, 161).tolist()
    pts += np.linspace(-10.0, 10.0, 161).tolist()
    for k in KINK_POINTS + SWITCH_POINTS:
        pts += [k, math.nextafter(k, -math.inf), math.nextafter(k, math.inf)]
    for m in MAGNITUDES:
        pts += [m, -m]
    # x + 0.0 turns -0.0 into 0.0, so the set keeps a single zero.
    return sorted({float(p) + 0.0 for p in pts})


def encode(value: Any) -> Any:
    """Floats -> repr-exact JSON numbers; non-finite -> "nan" / "inf" / "-inf"."""
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return encode(value.tolist())
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if value is None or isinstance(value, str):
        return value
    return repr(value)


# --------------------------------------------------------------------------------------------
# Parameter defaults from signatures

_TENSOR_ARGS = {"input", "x", "features", "logits", "x1", "self"}
_NOISE_ARGS = {"inplace", "name", "kwargs", "_stacklevel", "out", "device", "dtype"}


def _docstring_signature(obj: Any) -> dict[str, Any]:
    """torch builtins (F.softplus, F.gelu, ...) have no signature: read the docstring's first
    line, e.g. ``softplus(input, beta=1, threshold=20) -> Tensor``."""
    doc = (getattr(obj, "__doc__", None) or "").strip()
    m = re.match(r"[\w.]+\((.*?)\)", doc)
    if not m:
        raise ValueError(f"no signature in the docstring of {obj!r}")
    out: dict[str, Any] = {}
    for part in m.group(1).split(","):
        part = part.strip().lstrip("*")
        if not part or part == "/":
            continue
        key, eq, raw = part.partition("=")
        key = key.split(":")[0].strip()
        if key in _TENSOR_ARGS or key in _NOISE_ARGS:
            continue
        if not eq:
            out[key] = "<required>"
            continue
        try:
            out[key] = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError):
            out[key] = raw.strip()
    return out


def signature_defaults(obj: Any) -> tuple[dict[str, Any], str]:
    """The defaults of ``obj``'s parameters (a function, or a layer class's constructor)."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return _docstring_signature(obj), "docstring (builtin without a signature)"
    out: dict[str, Any] = {}
    params = list(sig.parameters.values())
    if not inspect.isclass(obj) and params and params[0].kind is not params[0].KEYWORD_ONLY:
        params = params[1:]  # the tensor argument
    for p in params:
        if p.name in _NOISE_ARGS or p.name == "self":
            continue
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        out[p.name] = "<required>" if p.default is p.empty else p.default
    return out, "inspect.signature"


def _same(*names: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Parameters that actcli spells as the framework does, with float values."""

    def conv(s: dict[str, Any]) -> dict[str, Any]:
        return {n: _num(s[n]) for n in names if n in s}

    return conv


def _num(v: Any) -> Any:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def _gelu_approximate(s: dict[str, Any]) -> dict[str, Any]:
    a = s["approximate"]
    if isinstance(a, bool):
        a = "tanh" if a else "none"
    return {"approximate": a}


def _initializer_weight(s: dict[str, Any]) -> dict[str, Any]:
    init = s["alpha_initializer"]
    return {"weight": 0.0} if str(init).lower() == "zeros" else {"weight": str(init)}


def record_defaults(defaults: list[Default]) -> list[dict[str, Any]]:
    rows = []
    for activation, source, obj, primary, convert in defaults:
        sig, how = signature_defaults(obj)
        rows.append(
            {
                "activation": activation,
                "source": source,
                "kind": "layer" if inspect.isclass(obj) else "function",
                "primary": primary,
                "from": how,
                "signature": sig,
                "actcli": convert(sig),
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# --------------------------------------------------------------------------------------------
# PyTorch


def torch_specs() -> Specs:
    import torch
    import torch.nn.functional as F

    torch.set_default_dtype(torch.float64)
    t = torch.tensor
    f64 = torch.float64

    elementwise: list[tuple[str, str, Callable]] = [
        (
            "step",
            "torch.heaviside(x, torch.tensor(1.0))",
            lambda x: torch.heaviside(x, t(1.0, dtype=f64)),
        ),
        (
            "step:value=0.5",
            "torch.heaviside(x, torch.tensor(0.5))",
            lambda x: torch.heaviside(x, t(0.5, dtype=f64)),
        ),
        ("identity", "torch.nn.Identity()(x)", lambda x: torch.nn.Identity()(x)),
        ("relu", "torch.nn.functional.relu(x)", F.relu),
        *relu_calls(_torch_relu, torch=torch, F=F),
        ("relu6", "torch.nn.functional.relu6(x)", F.relu6),
        ("leaky_relu", "torch.nn.functional.leaky_relu(x)", F.leaky_relu),
        (
            "leaky_relu:negative_slope=0.2",
            "torch.nn.functional.leaky_relu(x, negative_slope=0.2)",
            lambda x: F.leaky_relu(x, negative_slope=0.2),
        ),
        (
            "prelu",
            "torch.nn.functional.prelu(x, torch.tensor([0.25]))",
            lambda x: F.prelu(x, t([0.25], dtype=f64)),
        ),
        (
            "prelu:weight=0.1",
            "torch.nn.functional.prelu(x, torch.tensor([0.1]))",
            lambda x: F.prelu(x, t([0.1], dtype=f64)),
        ),
        (
            "rrelu",
            "torch.nn.functional.rrelu(x, training=False)",
            lambda x: F.rrelu(x, training=False),
        ),
        (
            "rrelu:lower=0.1,upper=0.3",
            "torch.nn.functional.rrelu(x, lower=0.1, upper=0.3, training=False)",
            lambda x: F.rrelu(x, lower=0.1, upper=0.3, training=False),
        ),
        (
            "threshold:threshold=0,value=0",
            "torch.nn.functional.threshold(x, 0.0, 0.0)",
            lambda x: F.threshold(x, 0.0, 0.0),
        ),
        (
            "threshold:threshold=0.5,value=-1",
            "torch.nn.functional.threshold(x, 0.5, -1.0)",
            lambda x: F.threshold(x, 0.5, -1.0),
        ),
        ("hard_tanh", "torch.nn.functional.hardtanh(x)", F.hardtanh),
        (
            "hard_tanh:min_val=-0.5,max_val=2.5",
            "torch.nn.functional.hardtanh(x, min_val=-0.5, max_val=2.5)",
            lambda x: F.hardtanh(x, min_val=-0.5, max_val=2.5),
        ),
        ("hard_sigmoid", "torch.nn.functional.hardsigmoid(x)", F.hardsigmoid),
        ("hard_silu", "torch.nn.functional.hardswish(x)", F.hardswish),
        ("hard_shrink", "torch.nn.functional.hardshrink(x)", F.hardshrink),
        (
            "hard_shrink:lambd=1",
            "torch.nn.functional.hardshrink(x, lambd=1.0)",
            lambda x: F.hardshrink(x, lambd=1.0),
        ),
        ("soft_shrink", "torch.nn.functional.softshrink(x)", F.softshrink),
        (
            "soft_shrink:lambd=1",
            "torch.nn.functional.softshrink(x, lambd=1.0)",
            lambda x: F.softshrink(x, lambd=1.0),
        ),
        ("tanh_shrink", "torch.nn.functional.tanhshrink(x)", F.tanhshrink),
        ("sigmoid", "torch.sigmoid(x)", torch.sigmoid),
        ("log_sigmoid", "torch.nn.functional.logsigmoid(x)", F.logsigmoid),
        ("tanh", "torch.tanh(x)", torch.tanh),
        ("softsign", "torch.nn.functional.softsign(x)", F.softsign),
        ("softplus:threshold=20", "torch.nn.functional.softplus(x)", F.softplus),
        (
            "softplus:beta=2,threshold=20",
            "torch.nn.functional.softplus(x, beta=2.0)",
            lambda x: F.softplus(x, beta=2.0),
        ),
        ("silu", "torch.nn.functional.silu(x)", F.silu),
        ("mish", "torch.nn.functional.mish(x)", F.mish),
        ("gelu", "torch.nn.functional.gelu(x)", F.gelu),
        (
            "gelu:approximate=tanh",
            "torch.nn.functional.gelu(x, approximate='tanh')",
            lambda x: F.gelu(x, approximate="tanh"),
        ),
        ("elu", "torch.nn.functional.elu(x)", F.elu),
        ("elu:alpha=0.5", "torch.nn.functional.elu(x, alpha=0.5)", lambda x: F.elu(x, alpha=0.5)),
        ("selu", "torch.nn.functional.selu(x)", F.selu),
        ("celu", "torch.nn.functional.celu(x)", F.celu),
        ("celu:alpha=2", "torch.nn.functional.celu(x, alpha=2.0)", lambda x: F.celu(x, alpha=2.0)),
        ("exponential", "torch.exp(x)", torch.exp),
    ]
    vector: list[tuple[str, str, Callable, tuple]] = [
        (
            "softmax",
            "torch.nn.functional.softmax(x, dim=-1)",
            lambda x: F.softmax(x, dim=-1),
            VECTOR_CASES,
        ),
        (
            "log_softmax",
            "torch.nn.functional.log_softmax(x, dim=-1)",
            lambda x: F.log_softmax(x, dim=-1),
            VECTOR_CASES,
        ),
        (
            "softmin",
            "torch.nn.functional.softmin(x, dim=-1)",
            lambda x: F.softmin(x, dim=-1),
            VECTOR_CASES,
        ),
        ("glu", "torch.nn.functional.glu(x, dim=-1)", lambda x: F.glu(x, dim=-1), GLU_CASES),
        (
            "normalize",
            "torch.nn.functional.normalize(x, dim=-1)",
            lambda x: F.normalize(x, dim=-1),
            NORMALIZE_CASES,
        ),
        (
            "normalize:p=1",
            "torch.nn.functional.normalize(x, p=1.0, dim=-1)",
            lambda x: F.normalize(x, p=1.0, dim=-1),
            NORMALIZE_CASES,
        ),
    ]
    nn = torch.nn
    same = _same
    defaults: list[Default] = [
        ("step", "torch.heaviside", torch.heaviside, True, lambda s: {"value": s.get("values")}),
        (
            "leaky_relu",
            "torch.nn.functional.leaky_relu",
            F.leaky_relu,
            True,
            same("negative_slope"),
        ),
        ("leaky_relu", "torch.nn.LeakyReLU", nn.LeakyReLU, False, same("negative_slope")),
        ("prelu", "torch.nn.PReLU", nn.PReLU, True, lambda s: {"weight": s["init"]}),
        ("rrelu", "torch.nn.functional.rrelu", F.rrelu, True, same("lower", "upper")),
        ("rrelu", "torch.nn.RReLU", nn.RReLU, False, same("lower", "upper")),
        (
            "threshold",
            "torch.nn.functional.threshold",
            F.threshold,
            True,
            same("threshold", "value"),
        ),
        ("hard_tanh", "torch.nn.functional.hardtanh", F.hardtanh, True, same("min_val", "max_val")),
        ("hard_tanh", "torch.nn.Hardtanh", nn.Hardtanh, False, same("min_val", "max_val")),
        ("hard_shrink", "torch.nn.functional.hardshrink", F.hardshrink, True, same("lambd")),
        ("hard_shrink", "torch.nn.Hardshrink", nn.Hardshrink, False, same("lambd")),
        ("soft_shrink", "torch.nn.functional.softshrink", F.softshrink, True, same("lambd")),
        ("soft_shrink", "torch.nn.Softshrink", nn.Softshrink, False, same("lambd")),
        ("softplus", "torch.nn.functional.softplus", F.softplus, True, same("beta", "threshold")),
        ("softplus", "torch.nn.Softplus", nn.Softplus, False, same("beta", "threshold")),
        ("gelu", "torch.nn.functional.gelu", F.gelu, True, same("approximate")),
        ("gelu", "torch.nn.GELU", nn.GELU, False, same("approximate")),
        ("elu", "torch.nn.functional.elu", F.elu, True, same("alpha")),
        ("elu", "torch.nn.ELU", nn.ELU, False, same("alpha")),
        ("celu", "torch.nn.functional.celu", F.celu, True, same("alpha")),
        ("celu", "torch.nn.CELU", nn.CELU, False, same("alpha")),
        ("softmax", "torch.nn.functional.softmax", F.softmax, True, same()),
        ("log_softmax", "torch.nn.functional.log_softmax", F.log_softmax, True, same()),
        ("softmin", "torch.nn.functional.softmin", F.softmin, True, same()),
        ("glu", "torch.nn.functional.glu", F.glu, True, same()),
        ("normalize", "torch.nn.functional.normalize", F.normalize, True, same("p", "eps")),
    ]
    meta = {
        "version": torch.__version__.split("+")[0],
        "version_full": torch.__version__,
        "device": "cpu",
        "notes": {
            "derivative": "reverse mode: torch.autograd.grad(f(x).sum(), x)",
            "jacobian": "torch.autograd.functional.jacobian(f, x)",
            "softplus": "torch's default threshold 20 (x returned when beta*x > 20) is recorded "
            "under spec softplus:threshold=20; actcli's own default threshold is inf",
            "threshold": "torch requires threshold and value; both are explicit in the spec",
            "relu": "torch has no relu with keras's parameters: relu:negative_slope=… specs "
            "are the spellings actcli's snippets give (leaky_relu, relu6, hardtanh, threshold, "
            "torch.where)",
        },
    }
    return "torch", meta, elementwise, vector, defaults


def _torch_relu(slope: float, cap: float | None, threshold: float) -> str:
    """keras's relu in torch, as actcli's snippets spell it."""
    if slope == 0 and threshold == 0:
        return "F.relu6(x)" if cap == 6 else f"F.hardtanh(x, 0.0, {cap!r})"
    if cap is None and threshold == 0:
        return f"F.leaky_relu(x, negative_slope={slope!r})"
    if slope == 0 and cap is None:
        return f"F.threshold(x, {threshold!r}, 0.0)"
    return where_relu("torch.where", "torch.where(x < {cap!r}, x, {cap!r})", "0.0")(
        slope, cap, threshold
    )


def torch_eval(elementwise: list[Elem], vector: list[Vec], grid: list[float]) -> dict:
    import torch

    out_e: dict[str, Any] = {}
    for spec, call, fn in elementwise:
        x = torch.tensor(grid, dtype=torch.float64, requires_grad=True)
        y = fn(x)
        entry: dict[str, Any] = {"call": call, "y": y.detach().numpy()}
        try:
            (dy,) = torch.autograd.grad(y.sum(), x)
            entry["dy"] = dy.numpy()
        except RuntimeError as exc:  # torch.heaviside has no derivative
            entry["dy"] = None
            entry["dy_error"] = str(exc).splitlines()[0]
        out_e[spec] = entry
    out_v: dict[str, Any] = {}
    for spec, call, fn, cases in vector:
        rows = []
        for case in cases:
            x = torch.tensor(case, dtype=torch.float64)
            y = fn(x)
            jac = torch.autograd.functional.jacobian(fn, x)
            rows.append({"x": list(case), "y": y.numpy(), "jacobian": jac.numpy()})
        out_v[spec] = {"call": call, "cases": rows}
    return {"elementwise": out_e, "vector": out_v}


# --------------------------------------------------------------------------------------------
# JAX


def jax_specs() -> Specs:
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    import jax.nn as nn
    import jax.numpy as jnp

    elementwise: list[tuple[str, str, Callable]] = [
        ("step", "jax.numpy.heaviside(x, 1.0)", lambda x: jnp.heaviside(x, 1.0)),
        ("step:value=0.5", "jax.numpy.heaviside(x, 0.5)", lambda x: jnp.heaviside(x, 0.5)),
        ("identity", "jax.nn.identity(x)", nn.identity),
        ("relu", "jax.nn.relu(x)", nn.relu),
        *relu_calls(_jax_relu, jax=jax, jnp=jnp),
        ("relu6", "jax.nn.relu6(x)", nn.relu6),
        ("leaky_relu", "jax.nn.leaky_relu(x)", nn.leaky_relu),
        (
            "leaky_relu:negative_slope=0.2",
            "jax.nn.leaky_relu(x, negative_slope=0.2)",
            lambda x: nn.leaky_relu(x, negative_slope=0.2),
        ),
        ("hard_tanh", "jax.nn.hard_tanh(x)", nn.hard_tanh),
        ("hard_sigmoid", "jax.nn.hard_sigmoid(x)", nn.hard_sigmoid),
        ("hard_silu", "jax.nn.hard_silu(x)", nn.hard_silu),
        ("sigmoid", "jax.nn.sigmoid(x)", nn.sigmoid),
        ("log_sigmoid", "jax.nn.log_sigmoid(x)", nn.log_sigmoid),
        ("tanh", "jax.numpy.tanh(x)", jnp.tanh),
        ("softsign", "jax.nn.soft_sign(x)", nn.soft_sign),
        ("softplus", "jax.nn.softplus(x)", nn.softplus),
        ("squareplus", "jax.nn.squareplus(x)", nn.squareplus),
        ("squareplus:b=1", "jax.nn.squareplus(x, b=1.0)", lambda x: nn.squareplus(x, b=1.0)),
        ("sparse_plus", "jax.nn.sparse_plus(x)", nn.sparse_plus),
        ("sparse_sigmoid", "jax.nn.sparse_sigmoid(x)", nn.sparse_sigmoid),
        ("silu", "jax.nn.silu(x)", nn.silu),
        ("mish", "jax.nn.mish(x)", nn.mish),
        (
            "gelu:approximate=none",
            "jax.nn.gelu(x, approximate=False)",
            lambda x: nn.gelu(x, approximate=False),
        ),
        ("gelu:approximate=tanh", "jax.nn.gelu(x)  # approximate=True is jax's default", nn.gelu),
        ("elu", "jax.nn.elu(x)", nn.elu),
        ("elu:alpha=0.5", "jax.nn.elu(x, alpha=0.5)", lambda x: nn.elu(x, alpha=0.5)),
        ("selu", "jax.nn.selu(x)", nn.selu),
        ("celu", "jax.nn.celu(x)", nn.celu),
        ("celu:alpha=2", "jax.nn.celu(x, alpha=2.0)", lambda x: nn.celu(x, alpha=2.0)),
        ("exponential", "jax.numpy.exp(x)", jnp.exp),
    ]
    if hasattr(nn, "quick_gelu"):  # not in jax 0.10.x; recorded if a later jax adds it
        elementwise.append(("quick_gelu", "jax.nn.quick_gelu(x)", nn.quick_gelu))

    vector: list[tuple[str, str, Callable, tuple]] = [
        ("softmax", "jax.nn.softmax(x, axis=-1)", lambda x: nn.softmax(x, axis=-1), VECTOR_CASES),
        (
            "softmin",
            "jax.nn.softmax(-x, axis=-1)  # jax.nn has no softmin",
            lambda x: nn.softmax(-x, axis=-1),
            VECTOR_CASES,
        ),
        (
            "log_softmax",
            "jax.nn.log_softmax(x, axis=-1)",
            lambda x: nn.log_softmax(x, axis=-1),
            VECTOR_CASES,
        ),
        ("glu", "jax.nn.glu(x, axis=-1)", lambda x: nn.glu(x, axis=-1), GLU_CASES),
        (
            "standardize",
            "jax.nn.standardize(x, axis=-1, epsilon=1e-5)  # algorithm='fast'",
            lambda x: nn.standardize(x, axis=-1, epsilon=1e-5),
            STANDARDIZE_CASES,
        ),
    ]
    meta = {
        "version": jax.__version__,
        "jaxlib_version": _jaxlib_version(),
        "device": str(jax.devices()[0].platform),
        "config": {
            "jax_enable_x64": True,
            "jax_softmax_custom_jvp": bool(jax.config.jax_softmax_custom_jvp),
        },
        "notes": {
            "derivative": "reverse mode: jax.vmap(jax.grad(f))(x), eager (no outer jit)",
            "jacobian": "jax.jacfwd(f)(x)",
            "gelu": "jax's default approximate=True is recorded under gelu:approximate=tanh, "
            "approximate=False (erfc form) under gelu:approximate=none: both explicit, "
            "since actcli's jax dialect defaults gelu to tanh",
            "standardize": "jax.nn.standardize default algorithm='fast' (variance E[x^2]-E[x]^2, "
            "clipped at 0; cancels when |mean| >> std, a known trap); on the recorded cases "
            "'fast' and 'stable' agree to 1 ulp",
            "relu": "jax.nn.relu has no parameters: relu:negative_slope=… specs are the "
            "spellings actcli's snippets give (leaky_relu, relu6, jnp.where)",
            "subnormals": "XLA on the CPU treats subnormal inputs as zero (denormals-are-zero): "
            "at x = ±5e-324 jax takes its x = 0 branch",
            "quick_gelu": "absent from jax.nn in this version, not recorded"
            if not hasattr(nn, "quick_gelu")
            else "recorded",
        },
    }
    same = _same
    defaults: list[Default] = [
        ("step", "jax.numpy.heaviside", jnp.heaviside, True, same()),
        ("leaky_relu", "jax.nn.leaky_relu", nn.leaky_relu, True, same("negative_slope")),
        ("squareplus", "jax.nn.squareplus", nn.squareplus, True, same("b")),
        ("gelu", "jax.nn.gelu", nn.gelu, True, _gelu_approximate),
        ("elu", "jax.nn.elu", nn.elu, True, same("alpha")),
        ("celu", "jax.nn.celu", nn.celu, True, same("alpha")),
        ("softmax", "jax.nn.softmax", nn.softmax, True, same()),
        ("log_softmax", "jax.nn.log_softmax", nn.log_softmax, True, same()),
        ("glu", "jax.nn.glu", nn.glu, True, same()),
        ("standardize", "jax.nn.standardize", nn.standardize, True, same("epsilon")),
    ]
    return "jax", meta, elementwise, vector, defaults


def _jax_relu(slope: float, cap: float | None, threshold: float) -> str:
    """keras's relu in jax, as actcli's snippets spell it."""
    if (slope, cap, threshold) == (0, 6, 0):
        return "jax.nn.relu6(x)"
    if cap is None and threshold == 0:
        return f"jax.nn.leaky_relu(x, negative_slope={slope!r})"
    return where_relu("jnp.where", "jnp.minimum(x, {cap!r})", "0.0")(slope, cap, threshold)


def _jaxlib_version() -> str:
    try:
        import jaxlib

        return str(jaxlib.__version__)
    except (ImportError, AttributeError):
        return "unknown"


def jax_eval(elementwise: list[Elem], vector: list[Vec], grid: list[float]) -> dict:
    import jax
    import jax.numpy as jnp

    xg = jnp.asarray(np.asarray(grid, dtype=np.float64))
    assert xg.dtype == jnp.float64, "jax_enable_x64 did not take effect"
    out_e: dict[str, Any] = {}
    for spec, call, fn in elementwise:
        y = np.asarray(fn(xg), dtype=np.float64)
        dy = np.asarray(jax.vmap(jax.grad(fn))(xg), dtype=np.float64)
        out_e[spec] = {"call": call, "y": y, "dy": dy}
    out_v: dict[str, Any] = {}
    for spec, call, fn, cases in vector:
        rows = []
        for case in cases:
            x = jnp.asarray(np.asarray(case, dtype=np.float64))
            y = np.asarray(fn(x), dtype=np.float64)
            jac = np.asarray(jax.jacfwd(fn)(x), dtype=np.float64)
            rows.append({"x": list(case), "y": y, "jacobian": jac})
        out_v[spec] = {"call": call, "cases": rows}
    return {"elementwise": out_e, "vector": out_v}


# --------------------------------------------------------------------------------------------
# TensorFlow family: Keras 3 (TF backend), tf_keras, tf.nn


def _tf_meta(tf: Any) -> dict[str, Any]:
    return {"tensorflow_version": tf.__version__, "device": "cpu"}


def _batched(layer: Any) -> Callable[..., Any]:
    """A layer applied to a vector: add and drop a batch axis (per-element PReLU alpha)."""
    return lambda x: layer(x[None, :])[0]


def _layer(cls: Any, **kw: Any) -> Callable[..., Any]:
    cache: dict[int, Any] = {}

    def fn(x: Any) -> Any:
        n = int(x.shape[0])
        if n not in cache:
            cache[n] = cls(**kw)
        return cache[n](x[None, :])[0]

    return fn


def _keras_relu(function: str, slope: str) -> Callable[[float, float | None, float], str]:
    """keras's relu itself, every parameter given (tf_keras's names the slope alpha)."""

    def spell(a: float, cap: float | None, threshold: float) -> str:
        return f"{function}(x, {slope}={a!r}, max_value={cap!r}, threshold={threshold!r})"

    return spell


def keras_specs() -> Specs:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras
    import tensorflow as tf

    assert keras.backend.backend() == "tensorflow", keras.backend.backend()
    keras.config.set_floatx("float64")
    A = keras.activations
    ops = keras.ops
    L = keras.layers
    const = keras.initializers.Constant

    elementwise: list[Elem] = [
        ("step", "keras.ops.heaviside(x, 1.0)", lambda x: ops.heaviside(x, 1.0)),
        ("step:value=0.5", "keras.ops.heaviside(x, 0.5)", lambda x: ops.heaviside(x, 0.5)),
        ("identity", "keras.activations.linear(x)", A.linear),
        ("relu", "keras.activations.relu(x)", A.relu),
        *relu_calls(_keras_relu("keras.activations.relu", "negative_slope"), keras=keras),
        ("relu6", "keras.activations.relu6(x)", A.relu6),
        ("leaky_relu", "keras.activations.leaky_relu(x)", A.leaky_relu),
        ("leaky_relu:negative_slope=0.3", "keras.layers.LeakyReLU()(x)", _layer(L.LeakyReLU)),
        (
            "leaky_relu:negative_slope=0.1",
            "keras.activations.leaky_relu(x, negative_slope=0.1)",
            lambda x: A.leaky_relu(x, negative_slope=0.1),
        ),
        ("prelu", "keras.layers.PReLU()(x)  # alpha_initializer='Zeros'", _layer(L.PReLU)),
        (
            "prelu:weight=0.25",
            "keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))(x)",
            _layer(L.PReLU, alpha_initializer=const(0.25)),
        ),
        (
            "threshold:threshold=0,value=0",
            "keras.activations.threshold(x, 0.0, 0.0)",
            lambda x: A.threshold(x, 0.0, 0.0),
        ),
        (
            "threshold:threshold=0.5,value=-1",
            "keras.activations.threshold(x, 0.5, -1.0)",
            lambda x: A.threshold(x, 0.5, -1.0),
        ),
        ("hard_tanh", "keras.activations.hard_tanh(x)", A.hard_tanh),
        ("hard_sigmoid", "keras.activations.hard_sigmoid(x)", A.hard_sigmoid),
        ("hard_silu", "keras.activations.hard_silu(x)", A.hard_silu),
        ("hard_shrink", "keras.activations.hard_shrink(x)", A.hard_shrink),
        (
            "hard_shrink:lambd=1",
            "keras.activations.hard_shrink(x, threshold=1.0)",
            lambda x: A.hard_shrink(x, threshold=1.0),
        ),
        ("soft_shrink", "keras.activations.soft_shrink(x)", A.soft_shrink),
        (
            "soft_shrink:lambd=1",
            "keras.activations.soft_shrink(x, threshold=1.0)",
            lambda x: A.soft_shrink(x, threshold=1.0),
        ),
        ("tanh_shrink", "keras.activations.tanh_shrink(x)", A.tanh_shrink),
        ("sigmoid", "keras.activations.sigmoid(x)", A.sigmoid),
        ("log_sigmoid", "keras.activations.log_sigmoid(x)", A.log_sigmoid),
        ("tanh", "keras.activations.tanh(x)", A.tanh),
        ("softsign", "keras.activations.softsign(x)", A.softsign),
        ("softplus", "keras.activations.softplus(x)", A.softplus),
        ("squareplus", "keras.activations.squareplus(x)", A.squareplus),
        (
            "squareplus:b=1",
            "keras.activations.squareplus(x, b=1.0)",
            lambda x: A.squareplus(x, b=1.0),
        ),
        ("sparse_plus", "keras.activations.sparse_plus(x)", A.sparse_plus),
        ("sparse_sigmoid", "keras.activations.sparse_sigmoid(x)", A.sparse_sigmoid),
        ("silu", "keras.activations.silu(x)", A.silu),
        ("mish", "keras.activations.mish(x)", A.mish),
        ("gelu", "keras.activations.gelu(x)  # approximate=False", A.gelu),
        (
            "gelu:approximate=tanh",
            "keras.activations.gelu(x, approximate=True)",
            lambda x: A.gelu(x, approximate=True),
        ),
        ("elu", "keras.activations.elu(x)", A.elu),
        ("elu:alpha=0.5", "keras.activations.elu(x, alpha=0.5)", lambda x: A.elu(x, alpha=0.5)),
        ("selu", "keras.activations.selu(x)", A.selu),
        ("celu", "keras.activations.celu(x)", A.celu),
        ("celu:alpha=2", "keras.activations.celu(x, alpha=2.0)", lambda x: A.celu(x, alpha=2.0)),
        ("exponential", "keras.activations.exponential(x)", A.exponential),
    ]
    vector: list[Vec] = [
        ("softmax", "keras.activations.softmax(x, axis=-1)", A.softmax, VECTOR_CASES),
        (
            "softmin",
            "keras.activations.softmax(-x, axis=-1)  # keras has no softmin",
            lambda x: A.softmax(-x),
            VECTOR_CASES,
        ),
        ("log_softmax", "keras.activations.log_softmax(x, axis=-1)", A.log_softmax, VECTOR_CASES),
        ("glu", "keras.activations.glu(x, axis=-1)", A.glu, GLU_CASES),
        ("sparsemax", "keras.activations.sparsemax(x, axis=-1)", A.sparsemax, SPARSEMAX_CASES),
        (
            "normalize",
            "keras.ops.normalize(x, axis=-1)  # order=2, epsilon=keras.config.epsilon()",
            ops.normalize,
            NORMALIZE_CASES,
        ),
        (
            "normalize:p=1",
            "keras.ops.normalize(x, axis=-1, order=1)",
            lambda x: ops.normalize(x, order=1),
            NORMALIZE_CASES,
        ),
    ]
    eps = float(keras.config.epsilon())

    def normalize_defaults(s: dict[str, Any]) -> dict[str, Any]:
        e = s["epsilon"]
        return {"p": float(s["order"]), "eps": eps if e is None else float(e)}

    same = _same
    defaults: list[Default] = [
        ("step", "keras.ops.heaviside", ops.heaviside, True, same()),
        ("relu", "keras.activations.relu", A.relu, True, _relu_defaults("negative_slope")),
        ("relu", "keras.layers.ReLU", L.ReLU, False, _relu_defaults("negative_slope")),
        ("leaky_relu", "keras.activations.leaky_relu", A.leaky_relu, True, same("negative_slope")),
        ("leaky_relu", "keras.ops.leaky_relu", ops.leaky_relu, False, same("negative_slope")),
        ("leaky_relu", "keras.layers.LeakyReLU", L.LeakyReLU, False, same("negative_slope")),
        ("prelu", "keras.layers.PReLU", L.PReLU, True, _initializer_weight),
        (
            "threshold",
            "keras.activations.threshold",
            A.threshold,
            True,
            lambda s: {"threshold": s["threshold"], "value": s["default_value"]},
        ),
        (
            "hard_shrink",
            "keras.activations.hard_shrink",
            A.hard_shrink,
            True,
            lambda s: {"lambd": float(s["threshold"])},
        ),
        (
            "soft_shrink",
            "keras.activations.soft_shrink",
            A.soft_shrink,
            True,
            lambda s: {"lambd": float(s["threshold"])},
        ),
        ("squareplus", "keras.activations.squareplus", A.squareplus, True, same("b")),
        ("gelu", "keras.activations.gelu", A.gelu, True, _gelu_approximate),
        ("gelu", "keras.ops.gelu", ops.gelu, False, _gelu_approximate),
        ("elu", "keras.activations.elu", A.elu, True, same("alpha")),
        ("elu", "keras.layers.ELU", L.ELU, False, same("alpha")),
        ("celu", "keras.activations.celu", A.celu, True, same("alpha")),
        ("softmax", "keras.activations.softmax", A.softmax, True, same()),
        ("softmax", "keras.layers.Softmax", L.Softmax, False, same()),
        ("log_softmax", "keras.activations.log_softmax", A.log_softmax, True, same()),
        ("glu", "keras.activations.glu", A.glu, True, same()),
        ("sparsemax", "keras.activations.sparsemax", A.sparsemax, True, same()),
        ("normalize", "keras.ops.normalize", ops.normalize, True, normalize_defaults),
    ]
    meta = {
        "version": keras.__version__,
        "backend": keras.backend.backend(),
        **_tf_meta(tf),
        "config": {"floatx": keras.config.floatx(), "epsilon": eps},
        "notes": {
            "derivative": "reverse mode: tf.GradientTape().gradient(f(x), x) (sum of f)",
            "jacobian": "tf.GradientTape().jacobian(f(x), x)",
            "layers": "layers are called on x[None, :] and the batch axis dropped; PReLU has "
            "one alpha per element (no shared_axes), so its gradient is elementwise",
            "heaviside": "keras.ops.heaviside on TF is tf.where on constants: the tape "
            "returns None (no gradient)",
            "gelu": "keras.activations.gelu defaults to approximate=False, keras.ops.gelu to "
            "approximate=True (see defaults)",
        },
    }
    return "keras", meta, elementwise, vector, defaults


def keras2_specs() -> Specs:
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    import tensorflow as tf
    import tf_keras

    tf_keras.backend.set_floatx("float64")
    A = tf_keras.activations
    L = tf_keras.layers
    const = tf_keras.initializers.Constant

    elementwise: list[Elem] = [
        ("identity", "tf_keras.activations.linear(x)", A.linear),
        ("relu", "tf_keras.activations.relu(x)", A.relu),
        *relu_calls(_keras_relu("tf_keras.activations.relu", "alpha"), tf_keras=tf_keras),
        (
            "relu6",
            "tf_keras.activations.relu(x, max_value=6.0)",
            lambda x: A.relu(x, max_value=6.0),
        ),
        ("leaky_relu", "tf_keras.layers.LeakyReLU()(x)", _layer(L.LeakyReLU)),
        (
            "leaky_relu:negative_slope=0.1",
            "tf_keras.layers.LeakyReLU(alpha=0.1)(x)",
            _layer(L.LeakyReLU, alpha=0.1),
        ),
        ("prelu", "tf_keras.layers.PReLU()(x)  # alpha_initializer='zeros'", _layer(L.PReLU)),
        (
            "prelu:weight=0.25",
            "tf_keras.layers.PReLU(alpha_initializer=tf_keras.initializers.Constant(0.25))(x)",
            _layer(L.PReLU, alpha_initializer=const(0.25)),
        ),
        (
            "threshold",
            "tf_keras.layers.ThresholdedReLU()(x)  # theta=1.0",
            _layer(L.ThresholdedReLU),
        ),
        (
            "threshold:threshold=0.5,value=0",
            "tf_keras.layers.ThresholdedReLU(theta=0.5)(x)",
            _layer(L.ThresholdedReLU, theta=0.5),
        ),
        ("hard_sigmoid", "tf_keras.activations.hard_sigmoid(x)", A.hard_sigmoid),
        ("sigmoid", "tf_keras.activations.sigmoid(x)", A.sigmoid),
        ("tanh", "tf_keras.activations.tanh(x)", A.tanh),
        ("softsign", "tf_keras.activations.softsign(x)", A.softsign),
        ("softplus", "tf_keras.activations.softplus(x)", A.softplus),
        ("silu", "tf_keras.activations.swish(x)", A.swish),
        ("mish", "tf_keras.activations.mish(x)", A.mish),
        ("gelu", "tf_keras.activations.gelu(x)  # approximate=False", A.gelu),
        (
            "gelu:approximate=tanh",
            "tf_keras.activations.gelu(x, approximate=True)",
            lambda x: A.gelu(x, approximate=True),
        ),
        ("elu", "tf_keras.activations.elu(x)", A.elu),
        ("elu:alpha=0.5", "tf_keras.activations.elu(x, alpha=0.5)", lambda x: A.elu(x, alpha=0.5)),
        ("selu", "tf_keras.activations.selu(x)", A.selu),
        ("exponential", "tf_keras.activations.exponential(x)", A.exponential),
    ]
    vector: list[Vec] = [
        (
            "softmax",
            "tf_keras.activations.softmax(x[None, :], axis=-1)[0]  # rejects 1-D input",
            lambda x: A.softmax(x[None, :])[0],
            VECTOR_CASES,
        ),
    ]
    same = _same
    defaults: list[Default] = [
        ("relu", "tf_keras.activations.relu", A.relu, True, _relu_defaults("alpha")),
        ("relu", "tf_keras.layers.ReLU", L.ReLU, False, _relu_defaults("negative_slope")),
        (
            "leaky_relu",
            "tf_keras.layers.LeakyReLU",
            L.LeakyReLU,
            True,
            lambda s: {"negative_slope": float(s["alpha"])},
        ),
        ("prelu", "tf_keras.layers.PReLU", L.PReLU, True, _initializer_weight),
        (
            "threshold",
            "tf_keras.layers.ThresholdedReLU",
            L.ThresholdedReLU,
            True,
            lambda s: {"threshold": float(s["theta"])},
        ),
        ("gelu", "tf_keras.activations.gelu", A.gelu, True, _gelu_approximate),
        ("elu", "tf_keras.activations.elu", A.elu, True, same("alpha")),
        ("elu", "tf_keras.layers.ELU", L.ELU, False, same("alpha")),
        ("softmax", "tf_keras.activations.softmax", A.softmax, True, same()),
        ("softmax", "tf_keras.layers.Softmax", L.Softmax, False, same()),
    ]
    meta = {
        "version": tf_keras.__version__,
        **_tf_meta(tf),
        "config": {
            "floatx": tf_keras.backend.floatx(),
            "TF_USE_LEGACY_KERAS": os.environ.get("TF_USE_LEGACY_KERAS"),
        },
        "notes": {
            "derivative": "reverse mode: tf.GradientTape().gradient(f(x), x) (sum of f)",
            "jacobian": "tf.GradientTape().jacobian(f(x), x)",
            "leaky_relu": "tf_keras.activations has no leaky_relu: the LeakyReLU layer "
            "(alpha=0.3) is recorded as the dialect's leaky_relu",
            "threshold": "tf_keras.activations has no threshold: ThresholdedReLU (theta=1.0, "
            "value 0) is recorded as the dialect's threshold",
            "relu6": "tf_keras.activations has no relu6: relu(x, max_value=6.0)",
        },
    }
    return "keras2", meta, elementwise, vector, defaults


def tf_specs() -> Specs:
    import tensorflow as tf

    nn = tf.nn
    elementwise: list[Elem] = [
        ("identity", "tf.identity(x)", tf.identity),
        ("relu", "tf.nn.relu(x)", nn.relu),
        *relu_calls(_tf_relu, tf=tf),
        ("relu6", "tf.nn.relu6(x)", nn.relu6),
        ("leaky_relu", "tf.nn.leaky_relu(x)  # alpha=0.2", nn.leaky_relu),
        (
            "leaky_relu:negative_slope=0.01",
            "tf.nn.leaky_relu(x, alpha=0.01)",
            lambda x: nn.leaky_relu(x, alpha=0.01),
        ),
        ("sigmoid", "tf.nn.sigmoid(x)", nn.sigmoid),
        ("log_sigmoid", "tf.math.log_sigmoid(x)", tf.math.log_sigmoid),
        ("tanh", "tf.nn.tanh(x)", nn.tanh),
        ("softsign", "tf.nn.softsign(x)", nn.softsign),
        ("softplus", "tf.nn.softplus(x)", nn.softplus),
        ("silu", "tf.nn.silu(x)", nn.silu),
        ("silu:beta=2", "tf.nn.silu(x, beta=2.0)", lambda x: nn.silu(x, beta=2.0)),
        ("gelu", "tf.nn.gelu(x)  # approximate=False", nn.gelu),
        (
            "gelu:approximate=tanh",
            "tf.nn.gelu(x, approximate=True)",
            lambda x: nn.gelu(x, approximate=True),
        ),
        ("elu", "tf.nn.elu(x)", nn.elu),
        ("selu", "tf.nn.selu(x)", nn.selu),
        ("exponential", "tf.math.exp(x)", tf.math.exp),
    ]
    vector: list[Vec] = [
        ("softmax", "tf.nn.softmax(x, axis=-1)", lambda x: nn.softmax(x, axis=-1), VECTOR_CASES),
        (
            "log_softmax",
            "tf.nn.log_softmax(x, axis=-1)",
            lambda x: nn.log_softmax(x, axis=-1),
            VECTOR_CASES,
        ),
        (
            "normalize",
            "tf.nn.l2_normalize(x, axis=-1)  # epsilon=1e-12 floors sum(x**2)",
            lambda x: nn.l2_normalize(x, axis=-1),
            NORMALIZE_CASES,
        ),
    ]

    def l2_defaults(s: dict[str, Any]) -> dict[str, Any]:
        # tf floors Σx² at epsilon: the norm at √epsilon (actcli's eps floors the norm)
        return {"p": 2.0, "eps": math.sqrt(float(s["epsilon"]))}

    same = _same
    defaults: list[Default] = [
        (
            "leaky_relu",
            "tf.nn.leaky_relu",
            nn.leaky_relu,
            True,
            lambda s: {"negative_slope": float(s["alpha"])},
        ),
        ("silu", "tf.nn.silu", nn.silu, True, same("beta")),
        ("gelu", "tf.nn.gelu", nn.gelu, True, _gelu_approximate),
        ("softmax", "tf.nn.softmax", nn.softmax, True, same()),
        ("log_softmax", "tf.nn.log_softmax", nn.log_softmax, True, same()),
        ("normalize", "tf.nn.l2_normalize", nn.l2_normalize, True, l2_defaults),
    ]
    meta = {
        "version": tf.__version__,
        "device": "cpu",
        "notes": {
            "derivative": "reverse mode: tf.GradientTape().gradient(f(x), x) (sum of f)",
            "jacobian": "tf.GradientTape().jacobian(f(x), x)",
            "elu": "tf.nn.elu has no alpha (fixed 1)",
            "relu": "tf.nn.relu has no parameters: relu:negative_slope=… specs are the "
            "spellings actcli's snippets give (leaky_relu, relu6, tf.where)",
            "normalize": "tf.nn.l2_normalize computes x * rsqrt(max(sum(x**2), epsilon)), "
            "epsilon = 1e-12: the norm is floored at 1e-6; its axis defaults to None (all "
            "elements), recorded with axis=-1",
        },
    }
    return "tf", meta, elementwise, vector, defaults


def _tf_relu(slope: float, cap: float | None, threshold: float) -> str:
    """keras's relu in tf.nn, as actcli's snippets spell it."""
    if (slope, cap, threshold) == (0, 6, 0):
        return "tf.nn.relu6(x)"
    if cap is None and threshold == 0:
        return f"tf.nn.leaky_relu(x, alpha={slope!r})"
    return where_relu("tf.where", "tf.minimum(x, {cap!r})", "tf.zeros_like(x)")(
        slope, cap, threshold
    )


def tf_eval(elementwise: list[Elem], vector: list[Vec], grid: list[float]) -> dict:
    import tensorflow as tf

    out_e: dict[str, Any] = {}
    for spec, call, fn in elementwise:
        x = tf.constant(np.asarray(grid, dtype=np.float64))
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        assert y.dtype == tf.float64, (spec, y.dtype)
        dy = tape.gradient(y, x)
        entry: dict[str, Any] = {"call": call, "y": np.asarray(y, dtype=np.float64)}
        if dy is None:
            entry["dy"] = None
            entry["dy_error"] = "tf.GradientTape.gradient returned None (output not connected)"
        else:
            entry["dy"] = np.asarray(dy, dtype=np.float64)
        out_e[spec] = entry
    out_v: dict[str, Any] = {}
    for spec, call, fn, cases in vector:
        rows = []
        for case in cases:
            x = tf.constant(np.asarray(case, dtype=np.float64))
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = fn(x)
            jac = tape.jacobian(y, x)
            rows.append(
                {
                    "x": list(case),
                    "y": np.asarray(y, dtype=np.float64),
                    "jacobian": np.asarray(jac, dtype=np.float64),
                }
            )
        out_v[spec] = {"call": call, "cases": rows}
    return {"elementwise": out_e, "vector": out_v}


# --------------------------------------------------------------------------------------------

# dialect -> (module that must be importable, specs, evaluation, environment for the child)
FRAMEWORKS: dict[str, tuple[str, Callable[[], Specs], Callable[..., dict], dict[str, str]]] = {
    "torch": ("torch", torch_specs, torch_eval, {}),
    "keras": ("keras", keras_specs, tf_eval, {"KERAS_BACKEND": "tensorflow"}),
    "keras2": ("tf_keras", keras2_specs, tf_eval, {"TF_USE_LEGACY_KERAS": "1"}),
    "tf": ("tensorflow", tf_specs, tf_eval, {}),
    "jax": ("jax", jax_specs, jax_eval, {}),
}


def dump(doc: dict[str, Any], path: Path) -> None:
    """JSON with one array per line: readable diffs, modest size, exact floats."""
    arrays: list[Any] = []

    def stash(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: stash(v) for k, v in node.items()}
        if isinstance(node, list) and not any(isinstance(v, dict) for v in _flatten(node)):
            arrays.append(node)
            return f"@@ARRAY{len(arrays) - 1}@@"
        if isinstance(node, list):
            return [stash(v) for v in node]
        return node

    text = json.dumps(stash(doc), indent=1, allow_nan=False)
    for i, arr in enumerate(arrays):
        text = text.replace(f'"@@ARRAY{i}@@"', json.dumps(arr, allow_nan=False), 1)
    # Self-check: exact round trip.
    assert json.loads(text) == json.loads(json.dumps(doc, allow_nan=False))
    path.write_text(text + "\n", encoding="utf-8")


def _flatten(node: Any) -> list[Any]:
    if isinstance(node, list):
        return [w for v in node for w in _flatten(v)]
    return [node]


def run(name: str, grid: list[float]) -> Path | None:
    module, specs, evaluate, _env = FRAMEWORKS[name]
    if importlib.util.find_spec(module) is None:
        print(f"{name}: {module} not installed, skipped", file=sys.stderr)
        return None
    fw, meta, elementwise, vector, defaults = specs()
    data = evaluate(elementwise, vector, grid)
    doc: dict[str, Any] = {
        "framework": fw,
        "version": meta.pop("version"),
        "generated_by": "tools/parity.py",
        **meta,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "kink_points": list(KINK_POINTS),
        "defaults": record_defaults(defaults),
        "grid": grid,
        "elementwise": data["elementwise"],
        "vector": data["vector"],
    }
    doc = encode(doc)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{fw}.json"
    dump(doc, path)
    print(
        f"{fw} {doc['version']}: {len(data['elementwise'])} elementwise, "
        f"{len(data['vector'])} vector specs, {len(doc['defaults'])} defaults, "
        f"{len(grid)} grid points -> {path} ({path.stat().st_size / 1e6:.2f} MB)",
        file=sys.stderr,
    )
    return path


# ---------------------------------------------------------------------------------- snippets

SNIPPETS_IN = OUT_DIR / "snippets_input.json"  # written by tools/snippet_inputs.py (actcli's venv)
SNIPPETS_OUT = OUT_DIR / "snippets.json"


def _snippet_setup(name: str) -> tuple[Callable[[Any], Any], dict[str, str]]:
    """float64 everywhere (so that layers build float64 weights), and x as the framework's
    tensor; returns (to_tensor, versions)."""
    if name == "torch":
        import torch

        torch.set_default_dtype(torch.float64)
        return (lambda a: torch.tensor(a, dtype=torch.float64)), {"torch": torch.__version__}
    if name == "jax":
        import jax

        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp

        return (lambda a: jnp.asarray(a, dtype=jnp.float64)), {"jax": jax.__version__}
    import tensorflow as tf

    versions = {"tensorflow": tf.__version__}
    if name == "keras":
        import keras

        keras.config.set_floatx("float64")
        versions["keras"] = keras.__version__
        versions["backend"] = keras.backend.backend()
    elif name == "keras2":
        import tf_keras

        tf_keras.backend.set_floatx("float64")
        versions["tf_keras"] = tf_keras.__version__
    return (lambda a: tf.constant(a, dtype=tf.float64)), versions


def _execute(text: str, form: str, x: Any) -> Any:
    """Run one snippet as printed with ``x`` bound; its y (a Dense layer: its activation on x)."""
    namespace: dict[str, Any] = {"x": x}
    exec(compile(text, "<snippet>", "exec"), namespace)  # the snippet is the recorded text
    return namespace["layer"].activation(x) if form == "dense" else namespace["y"]


def _difference(y: np.ndarray, expected: np.ndarray) -> dict[str, Any]:
    if y.shape != expected.shape:
        return {"shape": list(y.shape), "max_abs": None, "max_rel": None}
    same = (y == expected) | (np.isnan(y) & np.isnan(expected))
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.where(same, 0.0, np.abs(y - expected))
        rel = np.where(same, 0.0, diff / np.maximum(np.abs(expected), np.finfo(float).tiny))
    return {"shape": list(y.shape), "max_abs": float(diff.max()), "max_rel": float(rel.max())}


def run_snippets(name: str, out: Path) -> bool:
    """Execute every snippet of framework ``name`` in SNIPPETS_IN; write the results to out."""
    import warnings

    module = FRAMEWORKS[name][0]
    if importlib.util.find_spec(module) is None:
        print(f"{name}: {module} not installed, skipped", file=sys.stderr)
        return False
    doc = json.loads(SNIPPETS_IN.read_text(encoding="utf-8"))
    to_tensor, versions = _snippet_setup(name)
    results = []
    for item in doc["snippets"]:
        if item["framework"] != name:
            continue
        x = to_tensor(np.array(doc["inputs"][item["kind"]], dtype=np.float64))
        record: dict[str, Any] = {"framework": name, "form": item["form"], "text": item["text"]}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                y = _execute(item["text"], item["form"], x)
                raw = np.asarray(y.detach() if hasattr(y, "detach") else y)  # torch: a layer's
                # output carries its weight's gradient
            except Exception as e:  # a snippet that fails is what is recorded
                record.update(ran=False, error=f"{type(e).__name__}: {e}".splitlines()[0])
            else:
                y = raw.astype(np.float64)
                record.update(ran=True, error=None, dtype=str(raw.dtype))
                record.update(_difference(y, np.array(item["expected"], dtype=np.float64)))
                record["y"] = y.tolist()
        record["warnings"] = sorted({str(w.message).splitlines()[0] for w in caught})
        results.append(record)
    out.write_text(json.dumps({"versions": versions, "results": results}), encoding="utf-8")
    bad = [r for r in results if not r["ran"]]
    print(f"{name}: {len(results)} snippets executed, {len(bad)} failed", file=sys.stderr)
    return True


def record_snippets(names: list[str]) -> int:
    """Each framework's snippets in a child process; merged into SNIPPETS_OUT (frameworks not
    run keep their earlier results)."""
    import tempfile

    old = json.loads(SNIPPETS_OUT.read_text(encoding="utf-8")) if SNIPPETS_OUT.exists() else {}
    versions: dict[str, Any] = old.get("versions", {})
    results = [r for r in old.get("results", []) if r["framework"] not in names]
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            part = Path(tmp) / f"{name}.json"
            env = {**os.environ, **FRAMEWORKS[name][3]}
            cmd = [sys.executable, str(Path(__file__).resolve()), "--in-process", "--snippets"]
            cmd += ["--framework", name, "--part", str(part)]
            if subprocess.run(cmd, env=env, check=False).returncode == 0 and part.exists():
                got = json.loads(part.read_text(encoding="utf-8"))
                versions[name] = got["versions"]
                results = [r for r in results if r["framework"] != name] + got["results"]
    order = {f: i for i, f in enumerate(FRAMEWORKS)}
    results.sort(key=lambda r: (order[r["framework"]], r["text"], r["form"]))
    doc = {
        "generated_by": "tools/parity.py --snippets",
        "input": SNIPPETS_IN.name,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "versions": versions,
        "results": results,
    }
    lines = [json.dumps(r, allow_nan=False, ensure_ascii=False) for r in results]
    head = json.dumps({k: v for k, v in doc.items() if k != "results"}, indent=1)[:-2]
    text = head + ',\n "results": [\n' + ",\n".join(lines) + "\n ]\n}\n"
    SNIPPETS_OUT.write_text(text, encoding="utf-8")
    print(f"{len(results)} snippet results -> {SNIPPETS_OUT}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--framework",
        choices=sorted(FRAMEWORKS),
        action="append",
        help="only this dialect (repeatable); default: every installed one",
    )
    ap.add_argument(
        "--snippets",
        action="store_true",
        help=f"execute the snippets in {SNIPPETS_IN.name} and write {SNIPPETS_OUT.name}",
    )
    ap.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--part", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    names = args.framework or list(FRAMEWORKS)
    if args.snippets and args.in_process:
        (name,) = names
        return 0 if run_snippets(name, args.part) else 1
    if args.snippets:
        return record_snippets(names)
    if args.in_process:
        (name,) = names
        return 0 if run(name, make_grid()) else 1
    written = 0
    for name in names:
        env = {**os.environ, **FRAMEWORKS[name][3]}
        cmd = [sys.executable, str(Path(__file__).resolve()), "--in-process", "--framework", name]
        written += subprocess.run(cmd, env=env, check=False).returncode == 0
    if not written:
        print("no framework installed: nothing written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
