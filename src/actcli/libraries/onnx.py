"""ONNX operators (the standard's definitions, attributes with their defaults and function
bodies): read from onnx at commit f754691 (1.23.0 by ``VERSION_NUMBER``),
``onnx/defs/math/defs.cc`` and ``onnx/defs/nn/defs.cc`` (Shrink)."""

from __future__ import annotations

from typing import Any

from actcli.libraries.records import LibraryName, Source

SOURCE = Source(
    "ONNX",
    "f7546912001bc31e92a238b17068a21b373d882e (1.23.0)",
    "onnx/defs/math/defs.cc, onnx/defs/nn/defs.cc",
    "github.com/onnx/onnx",
)
FLOAT32 = "attributes are float32"
# Selu's defaults are the float32 roundings of SELU's constants
SELU = "1.05070102214813232421875*where(x > 0, x, 1.67326319217681884765625*(exp(x) - 1))"
# HardSwish's body: HardSigmoid<alpha = 0.16666667163372, beta = 0.5>(X) * X
HARD_SWISH = "x*min(max(0.16666667163372*x + 0.5, 0), 1)"


def _n(name: str, spec: str, code: str, **more: Any) -> LibraryName:
    return LibraryName("onnx", name, spec, code, SOURCE, **more)


NAMES = (
    _n("Relu", "relu", "Relu-14: Y = Max (X, 0)"),
    _n(
        "LeakyRelu",
        "leaky_relu",
        "LeakyRelu-16 (alpha = 0.01f): Y = Where (X < 0, alpha * X, X)",
        differs=FLOAT32,
    ),
    _n(
        "ThresholdedRelu",
        "threshold:threshold=1",
        "ThresholdedRelu-22 (alpha = 1.0f): Y = Where (alpha < X, X, 0)",
    ),
    _n(
        "Selu",
        SELU,
        "Selu-22 (alpha = 1.67326319217681884765625f, gamma = 1.05070102214813232421875f)",
        kin="selu",
        differs="α and γ are the float32 roundings of SELU's constants",
    ),
    _n("Elu", "elu", "Elu-22 (alpha = 1.0f)"),
    _n("Celu", "celu", "Celu-28 (alpha = 1.0f): max(0,x) + min(0,alpha*(exp(x/alpha)-1))"),
    _n("Mish", "mish", "Mish-22: Y = Mul (X, Tanh (Softplus (X)))"),
    _n(
        "Gelu",
        "gelu",
        'Gelu-20 (approximate = "none"): Y = Mul (Mul (Half, X), Sum (One, Erf (Div (X, Sqrt (Two)))))',
        args={"approximate": "none"},
    ),
    _n(
        "Gelu",
        "gelu:approximate=tanh",
        'Gelu-20 (approximate = "tanh"): TwoOverPi = Constant <value = float {0.63661977236}>; C0 = Constant <value = float {0.044715}>; Y = Mul (Mul (Half, X), Sum (One, Tanh (Mul (Sqrt (TwoOverPi), Sum (X, Mul (C0, Pow (X, 3)))))))',
        args={"approximate": "tanh"},
        default=False,
        differs="its function body's constants are float32 (0.044715f; 2/π as 0.63661977236f, then Sqrt), cast to the input's type",
    ),
    _n("Swish", "silu", "Swish-24 (alpha = 1.0f): Y = Mul (X, Sigmoid (Mul (alpha, X)))"),
    _n(
        "SwiGLU",
        "silu",
        "SwiGLU-28 (alpha = 1.0f): SwishGate = Swish <alpha> (A); Y = Mul (SwishGate, B)",
        gated="two inputs: A (the gate) and B: Swish_alpha(A) * B",
    ),
    _n("Tanh", "tanh", "Tanh-13"),
    _n("Sigmoid", "sigmoid", "Sigmoid-13"),
    _n(
        "PRelu",
        "prelu",
        "PRelu-16: slope is an input",
        differs="the slope is an input tensor (no default); actcli's 0.25 shown",
    ),
    _n(
        "HardSigmoid",
        "hard_sigmoid:slope=0.2",
        "HardSigmoid-22 (alpha = 0.2f, beta = 0.5f): Y = Max (Min (alpha * X + beta, 1), 0)",
        differs="alpha is float32: 0.2f = 0.20000000298…",
    ),
    _n(
        "HardSwish",
        HARD_SWISH,
        "HardSwish-22: HS_X = HardSigmoid<alpha = 0.16666667163372, beta = 0.5>(X); Y = Mul (X, HS_X)",
        kin="hard_silu",
        differs="alpha is 0.16666667163372, not 1/6",
    ),
    _n(
        "Shrink",
        "hard_shrink",
        "Shrink-9 (lambd = 0.5f, bias = 0.0f): x < -lambd: x + bias; x > lambd: x - bias; else 0",
        args={"lambd": "0.5", "bias": "0.0"},
    ),
    _n(
        "Shrink",
        "soft_shrink",
        "Shrink-9 (lambd = 0.5f, bias = 0.5f): x < -lambd: x + bias; x > lambd: x - bias; else 0",
        args={"lambd": "0.5", "bias": "0.5"},
        default=False,
    ),
    _n("Softplus", "softplus", "Softplus-1: Y = Log (Add (Exp (X), 1))"),
    _n("Softsign", "softsign", "Softsign-1"),
)
