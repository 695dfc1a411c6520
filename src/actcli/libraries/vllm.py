"""vLLM's activations: ``get_act_fn`` names, and the fused gated units (``SiluAndMul``, ...)
with their layouts and clamps. Read from vLLM 0.33.0, ``vllm/model_executor/layers/activation.py``."""

from __future__ import annotations

from typing import Any

from actcli.libraries.records import LibraryName, Source

SOURCE = Source("vLLM", "0.33.0", "vllm/model_executor/layers/activation.py", "PyPI wheel")

FIRST_HALF = "gate = x[..., :d], up = x[..., d:] (d = x.shape[-1] // 2): act(gate) * up"
OAI = "(up + 1) * glu, gate = x[..., ::2], up = x[..., 1::2] (interleaved halves)"
# SwigluOAIAndMul's glu: the gate clamped above at limit 7, then gate * sigmoid(1.702 * gate)
OAI_GATE = "min(x, 7)*sigmoid(1.702*min(x, 7))"


def _n(name: str, spec: str, code: str, **more: Any) -> LibraryName:
    return LibraryName("vllm", name, spec, code, SOURCE, **more)


NAMES = (
    # get_act_fn: _ACTIVATION_REGISTRY
    _n("gelu", "gelu", 'GELU: F.gelu(x, approximate="none")'),
    _n(
        "gelu_fast",
        "gelu_fast",
        "FastGELU: 0.5 * x * (1.0 + torch.tanh(x * 0.7978845608 * (1.0 + 0.044715 * x * x)))",
    ),
    _n(
        "gelu_new",
        "gelu:approximate=tanh",
        "NewGELU: c = math.sqrt(2.0 / math.pi); 0.5 * x * (1.0 + torch.tanh(c * (x + 0.044715 * torch.pow(x, 3.0))))",
    ),
    _n(
        "gelu_pytorch_tanh",
        "gelu:approximate=tanh",
        'nn.GELU(approximate="tanh")',
        differs='on ROCm vLLM falls back to nn.GELU(approximate="none"), the exact erf GELU (_get_gelu_pytorch_tanh)',
    ),
    _n("relu", "relu", "nn.ReLU()"),
    _n("relu2", "squared_relu", "ReLUSquaredActivation: torch.square(F.relu(x))"),
    _n("silu", "silu", "nn.SiLU()"),
    _n("swish", "silu", "nn.SiLU()"),
    _n("quick_gelu", "quick_gelu", "QuickGELU: x * torch.sigmoid(1.702 * x)"),
    _n("tanh", "tanh", "nn.Tanh()"),
    _n("sigmoid", "sigmoid", "nn.Sigmoid()"),
    _n(
        "xielu",
        "xielu",
        "XIELU(alpha_p_init=0.8, alpha_n_init=0.8, beta=0.5, eps=-1e-6, dtype=torch.bfloat16): torch.where(x > 0, alpha_p * x * x + self.beta * x, (torch.expm1(torch.min(x, self.eps)) - x) * alpha_n + self.beta * x)",
        differs="its parameters are held in bfloat16 by default (dtype=torch.bfloat16)",
    ),
    # the fused gated units (CustomOp.register names as aliases)
    _n(
        "SiluAndMul",
        "silu",
        "F.silu(x[..., :d]) * x[..., d:]",
        aliases=("silu_and_mul",),
        gated=FIRST_HALF,
    ),
    _n(
        "MulAndSilu",
        "silu",
        "x[..., :d] * F.silu(x[..., d:])",
        aliases=("mul_and_silu",),
        gated="reversed: up = x[..., :d], gate = x[..., d:]: up * act(gate)",
    ),
    _n(
        "GeluAndMul",
        "gelu",
        "F.gelu(x[..., :d], approximate=self.approximate) * x[..., d:]",
        args={"approximate": "none"},
        aliases=("gelu_and_mul", "geglu"),
        gated=FIRST_HALF,
    ),
    _n(
        "GeluAndMul",
        "gelu:approximate=tanh",
        "F.gelu(x[..., :d], approximate=self.approximate) * x[..., d:]",
        args={"approximate": "tanh"},
        default=False,
        aliases=("gelu_and_mul",),
        gated=FIRST_HALF,
        differs='the native (torch.compile) path on ROCm uses approximate="none"; the custom kernel keeps tanh',
    ),
    _n(
        "SwigluOAIAndMul",
        OAI_GATE,
        "gate, up = x[..., ::2], x[..., 1::2]; gate = gate.clamp(min=None, max=self.limit); up = up.clamp(min=-self.limit, max=self.limit); glu = gate * torch.sigmoid(gate * self.alpha); (up + 1) * glu",
        args={"alpha": "1.702", "limit": "7.0"},
        aliases=("swigluoai_and_mul", "swigluoai"),
        gated=OAI + "; up clamped to [-7, 7]",
        kin="silu",
    ),
    _n(
        "SwigluStepAndMul",
        "min(silu(x), 7)",
        "gate, up = x.chunk(2, dim=-1); gate = F.silu(gate).clamp(max=self.limit); up = up.clamp(min=-self.limit, max=self.limit); gate * up",
        args={"limit": "7.0"},
        aliases=("swiglustep_and_mul",),
        gated=FIRST_HALF + "; up clamped to [-7, 7]; silu(gate) clamped above at 7 (not the gate)",
        kin="silu",
    ),
    _n(
        "SiluAndMulWithClamp",
        "silu",
        "gate = torch.clamp(x[..., :d], max=self.swiglu_limit); up = torch.clamp(x[..., d:], min=-self.swiglu_limit, max=self.swiglu_limit); gate * torch.sigmoid(self.alpha * gate) * (up + self.beta)",
        args={"alpha": "1.0", "beta": "0.0"},
        aliases=("silu_and_mul_with_clamp",),
        gated=FIRST_HALF + "; gate clamped above and up to [-swiglu_limit, swiglu_limit]",
        differs="swiglu_limit has no default (the model gives it); the spec is the gate below it",
    ),
    _n(
        "SituAndMul",
        "tanh(x)*sigmoid(x)",
        "gate = self.beta * torch.tanh(gate / self.beta) * torch.sigmoid(gate); (gate * up).to(x.dtype), in float32",
        args={"beta": "1.0"},
        aliases=("situ_and_mul",),
        gated=FIRST_HALF
        + "; computed in float32 (x[..., :d].float()); linear_beta=None leaves up as it is",
        kin="silu",
    ),
    _n(
        "FatreluAndMul",
        "threshold",
        "x1 = F.threshold(x[..., :d], self.threshold, 0.0); x1 * x[..., d:]",
        args={"threshold": "0.0"},
        aliases=("fatrelu_and_mul",),
        gated=FIRST_HALF,
    ),
)
