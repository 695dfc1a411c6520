"""Record what the model libraries' own code computes for their activation names.

Run by hand, in a virtual environment outside the repository with the libraries installed
(never in CI): torch, transformers, jax, flax, onnx, mlx. Writes
``tests/data/libraries/recorded.json``, which ``tests/test_libraries.py`` compares with the
actcli spec each name is recorded as (``actcli.libraries``). Where a library cannot run here
(vLLM needs its CUDA build; llama.cpp's ggml is C), its ``forward_native`` lines are run in
torch, as the recorded source writes them, and said so in the case.

    ../fwvenv/bin/python tools/library_values.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "tests/data/libraries/recorded.json"
# away from where the names' conventions at a kink would matter, except where they agree
X = [-6.0, -3.5, -2.5, -1.25, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 1.25, 2.5, 3.5, 6.0, 7.5, 9.0]


def _case(library: str, name: str, framework: str, dtype: str, ys: Any) -> dict[str, Any]:
    y = [float(v) for v in ys]
    return {
        "library": library,
        "name": name,
        "framework": framework,
        "dtype": dtype,
        "x": X,
        "y": y,
    }


def transformers_cases() -> list[dict[str, Any]]:
    import torch
    import transformers
    from transformers.activations import ACT2FN

    fw = f"transformers {transformers.__version__} on torch {torch.__version__}"
    x = torch.tensor(X, dtype=torch.float64)
    skip = {"xielu"}  # its parameters are bfloat16 tensors: recorded as a difference instead
    out = []
    for key in ACT2FN:
        if key in skip:
            continue
        module = ACT2FN[key]
        if isinstance(module, torch.nn.Module):
            module = module.double()  # nn.PReLU's weight is float32 otherwise
        with torch.no_grad():
            out.append(_case("transformers", key, fw, "float64", module(x).tolist()))
    return out


def vllm_cases() -> list[dict[str, Any]]:
    """vLLM 0.33.0's forward_native lines, in torch (the gate with up = 1, or 0 for OAI's up + 1)."""
    import torch
    import torch.nn.functional as F

    fw = f"vLLM 0.33.0 forward_native, as written, on torch {torch.__version__}"
    gate = torch.tensor(X, dtype=torch.float64)
    one, zero = torch.ones_like(gate), torch.zeros_like(gate)
    out = []
    # SwigluOAIAndMul: gate, up = x[..., ::2], x[..., 1::2] (interleaved)
    x = torch.stack([gate, zero], dim=-1).reshape(-1)
    g, up = x[..., ::2], x[..., 1::2]
    g = g.clamp(min=None, max=7.0)
    up = up.clamp(min=-7.0, max=7.0)
    out.append(
        _case(
            "vllm",
            "SwigluOAIAndMul(alpha=1.702, limit=7.0)",
            fw,
            "float64",
            ((up + 1) * (g * torch.sigmoid(g * 1.702))).tolist(),
        )
    )
    x = torch.cat([gate, one])  # first half the gate
    d = x.shape[-1] // 2
    out.append(
        _case("vllm", "SiluAndMul", fw, "float64", (F.silu(x[..., :d]) * x[..., d:]).tolist())
    )
    for approximate in ("none", "tanh"):
        y = F.gelu(x[..., :d], approximate=approximate) * x[..., d:]
        out.append(
            _case("vllm", f"GeluAndMul(approximate={approximate})", fw, "float64", y.tolist())
        )
    g, u = x.chunk(2, dim=-1)
    y = F.silu(g).clamp(max=7.0) * u.clamp(min=-7.0, max=7.0)
    out.append(_case("vllm", "SwigluStepAndMul(limit=7.0)", fw, "float64", y.tolist()))
    g, u = x[..., :d].float(), x[..., d:].float()  # SituAndMul: in float32, beta = 1.0
    y = (1.0 * torch.tanh(g / 1.0) * torch.sigmoid(g)) * u
    out.append(_case("vllm", "SituAndMul(beta=1.0)", fw, "float32", y.tolist()))
    g = torch.clamp(x[..., :d], max=100.0)  # SiluAndMulWithClamp(swiglu_limit=100.0): below it
    u = torch.clamp(x[..., d:], min=-100.0, max=100.0)
    y = g * torch.sigmoid(1.0 * g) * (u + 0.0)
    out.append(_case("vllm", "SiluAndMulWithClamp(alpha=1.0, beta=0.0)", fw, "float64", y.tolist()))
    y = F.threshold(x[..., :d], 0.0, 0.0) * x[..., d:]
    out.append(_case("vllm", "FatreluAndMul(threshold=0.0)", fw, "float64", y.tolist()))
    y = 0.5 * gate * (1.0 + torch.tanh(gate * 0.7978845608 * (1.0 + 0.044715 * gate * gate)))
    out.append(_case("vllm", "gelu_fast", fw, "float64", y.tolist()))
    return out


def flax_cases() -> list[dict[str, Any]]:
    import jax

    jax.config.update("jax_enable_x64", True)
    import flax
    import jax.numpy as jnp
    from flax import nnx

    fw = f"flax {flax.__version__} on jax {jax.__version__}"
    x = jnp.asarray(X, dtype=jnp.float64)
    out = [
        _case("flax", "gelu(approximate=true)", fw, "float64", nnx.gelu(x)),
        _case("flax", "gelu(approximate=false)", fw, "float64", nnx.gelu(x, approximate=False)),
        _case("flax", "PReLU", fw, "float64", nnx.PReLU(param_dtype=jnp.float64)(x)),
    ]
    for name in (
        "relu",
        "relu6",
        "leaky_relu",
        "elu",
        "celu",
        "selu",
        "silu",
        "swish",
        "sigmoid",
        "log_sigmoid",
        "soft_sign",
        "softplus",
        "hard_sigmoid",
        "hard_silu",
        "hard_tanh",
        "identity",
        "tanh",
    ):
        out.append(_case("flax", name, fw, "float64", getattr(nnx, name)(x)))
    return out


def onnx_cases() -> list[dict[str, Any]]:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper
    from onnx.reference import ReferenceEvaluator

    fw = f"onnx {onnx.__version__} reference evaluator"
    x = np.asarray(X, dtype=np.float64)
    ops: list[tuple[str, str, dict[str, Any], int]] = [
        ("Relu", "Relu", {}, 14),
        ("LeakyRelu", "LeakyRelu", {}, 16),
        ("ThresholdedRelu", "ThresholdedRelu", {}, 22),
        ("Selu", "Selu", {}, 22),
        ("Elu", "Elu", {}, 22),
        ("Celu", "Celu", {}, 12),
        ("Mish", "Mish", {}, 22),
        ("Gelu(approximate=none)", "Gelu", {}, 20),
        ("Gelu(approximate=tanh)", "Gelu", {"approximate": "tanh"}, 20),
        ("Swish", "Swish", {}, 24),
        ("Tanh", "Tanh", {}, 13),
        ("Sigmoid", "Sigmoid", {}, 13),
        ("HardSigmoid", "HardSigmoid", {}, 22),
        ("HardSwish", "HardSwish", {}, 22),
        ("Shrink(lambd=0.5, bias=0.0)", "Shrink", {}, 9),
        ("Shrink(lambd=0.5, bias=0.5)", "Shrink", {"bias": 0.5}, 9),
        ("Softplus", "Softplus", {}, 22),
        ("Softsign", "Softsign", {}, 22),
    ]
    out = []
    for name, op, attrs, opset in ops:
        dtype = TensorProto.FLOAT if op == "Celu" else TensorProto.DOUBLE  # Celu-12: float only
        node = helper.make_node(op, ["X"], ["Y"], **attrs)
        graph = helper.make_graph(
            [node],
            "g",
            [helper.make_tensor_value_info("X", dtype, [len(X)])],
            [helper.make_tensor_value_info("Y", dtype, [len(X)])],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        feed = x.astype(np.float32) if dtype == TensorProto.FLOAT else x
        (y,) = ReferenceEvaluator(model).run(None, {"X": feed})
        out.append(_case("onnx", name, f"{fw} (opset {opset})", str(y.dtype), y.tolist()))
    return out


def mlx_cases() -> list[dict[str, Any]]:
    import mlx.core as mx
    import mlx.nn as nn

    fw = f"mlx {mx.__version__} (CPU)"
    x = mx.array(X, dtype=mx.float32)
    out = []
    for name in (
        "gelu",
        "gelu_approx",
        "gelu_fast_approx",
        "sigmoid",
        "relu",
        "relu2",
        "relu6",
        "leaky_relu",
        "elu",
        "softplus",
        "softsign",
        "softshrink",
        "celu",
        "silu",
        "log_sigmoid",
        "step",
        "selu",
        "mish",
        "hardswish",
        "hard_tanh",
        "hard_shrink",
        "tanh",
    ):
        out.append(_case("mlx", name, fw, "float32", getattr(nn, name)(x).tolist()))
    out.append(_case("mlx", "prelu", fw, "float32", nn.PReLU()(x).tolist()))
    for approx in ("precise", "tanh", "fast"):
        out.append(
            _case("mlx", f"GELU(approx={approx})", fw, "float32", nn.GELU(approx)(x).tolist())
        )
    return out


def main() -> None:
    cases = transformers_cases() + vllm_cases() + flax_cases() + onnx_cases() + mlx_cases()
    for c in cases:
        assert all(math.isfinite(v) for v in c["y"]), c["name"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"points": X, "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
