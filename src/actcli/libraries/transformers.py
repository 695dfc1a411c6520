"""Hugging Face transformers' ``ACT2CLS`` (every key), the names a ``config.json`` gives as
``hidden_act``: read from transformers 5.25.0, ``transformers/activations.py``."""

from __future__ import annotations

from typing import Any

from actcli.libraries.records import LibraryName, Source

SOURCE = Source("Hugging Face transformers", "5.25.0", "transformers/activations.py", "PyPI wheel")
_TANH = (
    "0.5 * input * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (input + 0.044715 * "
    "torch.pow(input, 3.0))))"
)


def _n(name: str, spec: str, code: str, **more: Any) -> LibraryName:
    return LibraryName("transformers", name, spec, code, SOURCE, **more)


NAMES = (
    _n("gelu", "gelu", "GELUActivation: nn.functional.gelu"),
    _n(
        "gelu_10",
        "gelu_10",
        "(ClippedGELUActivation, {'min': -10, 'max': 10}): torch.clip(gelu(x), self.min, self.max)",
    ),
    _n(
        "gelu_fast",
        "gelu_fast",
        "FastGELUActivation: 0.5 * input * (1.0 + torch.tanh(input * 0.7978845608 * (1.0 + 0.044715 * input * input)))",
    ),
    _n("gelu_new", "gelu:approximate=tanh", f"NewGELUActivation: {_TANH}"),
    _n(
        "gelu_python",
        "gelu",
        "(GELUActivation, {'use_gelu_python': True}): input * 0.5 * (1.0 + torch.erf(input / math.sqrt(2.0)))",
    ),
    _n(
        "gelu_pytorch_tanh",
        "gelu:approximate=tanh",
        'GELUTanh: functools.partial(nn.functional.gelu, approximate="tanh")',
    ),
    _n(
        "gelu_python_tanh",
        "gelu:approximate=tanh",
        "(GELUTanh, {'use_gelu_tanh_python': True}): input * 0.5 * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (input + 0.044715 * torch.pow(input, 3.0))))",
    ),
    _n(
        "gelu_accurate",
        "gelu:approximate=tanh",
        "AccurateGELUActivation: 0.5 * input * (1 + torch.tanh(self.precomputed_constant * (input + 0.044715 * torch.pow(input, 3)))), precomputed_constant = math.sqrt(2 / math.pi)",
    ),
    _n("hardswish", "hard_silu", "nn.Hardswish"),
    _n(
        "laplace",
        "laplace",
        "LaplaceActivation: forward(self, input, mu=0.707107, sigma=0.282095): 0.5 * (1.0 + torch.erf((input - mu).div(sigma * math.sqrt(2.0))))",
    ),
    _n("leaky_relu", "leaky_relu", "nn.LeakyReLU (negative_slope=0.01)"),
    _n("linear", "identity", "LinearActivation: return input"),
    _n("mish", "mish", "MishActivation: nn.functional.mish"),
    _n("quick_gelu", "quick_gelu", "QuickGELUActivation: input * torch.sigmoid(1.702 * input)"),
    _n("relu", "relu", "nn.ReLU"),
    _n("relu2", "squared_relu", "ReLUSquaredActivation: torch.square(nn.functional.relu(input))"),
    _n("relu6", "relu6", "nn.ReLU6"),
    _n("sigmoid", "sigmoid", "nn.Sigmoid"),
    _n("silu", "silu", "SiLUActivation: nn.functional.silu(input)"),
    _n(
        "sqrtsoftplus",
        "sqrt_softplus",
        "SqrtSoftplusActivation: nn.functional.softplus(input).sqrt()",
    ),
    _n("swish", "silu", "nn.SiLU"),
    _n("tanh", "tanh", "nn.Tanh"),
    _n("prelu", "prelu", "nn.PReLU (init=0.25, learned)"),
    _n(
        "xielu",
        "xielu",
        "XIELUActivation(alpha_p_init=0.8, alpha_n_init=0.8, beta=0.5, eps=-1e-6, dtype=torch.bfloat16): torch.where(x > 0, alpha_p * x * x + self.beta * x, (torch.expm1(torch.min(x, self.eps)) - x) * alpha_n + self.beta * x)",
        differs="its parameters are held in bfloat16 by default (dtype=torch.bfloat16)",
    ),
)
