"""llama.cpp's ggml operators: the unary activations and the GLU ops (``GGML_GLU_OP_*``). Read
from llama.cpp at commit 0c1e570 (as vendored in llama-cpp-python 0.3.36):
``ggml/include/ggml.h`` (the enums), ``ggml/src/ggml-cpu/vec.h``, ``unary-ops.cpp`` and
``ops.cpp`` (the CPU maths), ``src/llama-graph.cpp`` (SwiGLU-OAI's α and limit)."""

from __future__ import annotations

import re
from typing import Any

from actcli.libraries.records import LibraryName, Source

SOURCE = Source(
    "llama.cpp (ggml)",
    "0c1e57098bba43ac29e6e3b677cdceebdd22334f",
    "ggml/include/ggml.h, ggml/src/ggml-cpu/vec.h, unary-ops.cpp, ops.cpp",
    "vendored in the llama-cpp-python 0.3.36 sdist",
)
TANH = "0.5f*x*(1.0f + tanhf(SQRT_2_OVER_PI*x*(1.0f + GELU_COEF_A*x*x))), GELU_COEF_A = 0.044715f, SQRT_2_OVER_PI = 0.79788456080286535587989211986876f"
TABLE = (
    "on the CPU a float32 x is rounded to float16 and looked up in a table of this "
    "function (GGML_GELU_FP16), 0 at x ≤ −10 and x at x ≥ 10; the constants are float32"
)
GLU = (
    "one tensor: gate = the first half of each row, up = the second (the other way round "
    "with swapped); or two tensors (the _split forms): act(gate) * up"
)


def _n(name: str, spec: str, code: str, **more: Any) -> LibraryName:
    # ggml_op_name / ggml_unary_op_name spell an op without its prefix: "GELU", "SWIGLU"
    short = re.sub(r"^GGML_(UNARY_OP|GLU_OP|OP)_", "", name)
    more["aliases"] = (short, *more.get("aliases", ()))
    return LibraryName("ggml", name, spec, code, SOURCE, **more)


NAMES = (
    _n(
        "GGML_UNARY_OP_GELU",
        "gelu:approximate=tanh",
        f"ggml_gelu: {TANH}",
        aliases=("ggml_gelu",),
        differs=TABLE,
    ),
    _n(
        "GGML_UNARY_OP_GELU_ERF",
        "gelu",
        "ggml_gelu_erf: 0.5f*xi*(1.0f + erff(xi*SQRT_2_INV))",
        aliases=("ggml_gelu_erf", "gelu_erf"),
    ),
    _n(
        "GGML_UNARY_OP_GELU_QUICK",
        "quick_gelu",
        "ggml_gelu_quick: x*(1.0f/(1.0f+expf(GELU_QUICK_COEF*x))), GELU_QUICK_COEF = -1.702f",
        aliases=("ggml_gelu_quick", "gelu_quick"),
        differs="on the CPU a float32 x is rounded to float16 and looked up in a table (GGML_GELU_QUICK_FP16)",
    ),
    _n("GGML_UNARY_OP_SILU", "silu", "ggml_silu: x/(1.0f + expf(-x))", aliases=("ggml_silu",)),
    _n("GGML_UNARY_OP_RELU", "relu", "op_relu: (x > 0.f) ? x : 0.f", aliases=("ggml_relu",)),
    _n(
        "GGML_UNARY_OP_SIGMOID",
        "sigmoid",
        "op_sigmoid: 1.f / (1.f + expf(-x))",
        aliases=("ggml_sigmoid",),
    ),
    _n("GGML_UNARY_OP_TANH", "tanh", "op_tanh: tanhf(x)", aliases=("ggml_tanh",)),
    _n("GGML_UNARY_OP_ELU", "elu", "op_elu: (x > 0.f) ? x : expm1f(x)", aliases=("ggml_elu",)),
    _n(
        "GGML_UNARY_OP_STEP",
        "step:value=0",
        "op_step: (x > 0.f) ? 1.f : 0.f",
        aliases=("ggml_step",),
    ),
    _n(
        "GGML_UNARY_OP_HARDSWISH",
        "hard_silu",
        "op_hardswish: x * fminf(1.0f, fmaxf(0.0f, (x + 3.0f) / 6.0f))",
        aliases=("ggml_hardswish",),
    ),
    _n(
        "GGML_UNARY_OP_HARDSIGMOID",
        "hard_sigmoid",
        "op_hardsigmoid: fminf(1.0f, fmaxf(0.0f, (x + 3.0f) / 6.0f))",
        aliases=("ggml_hardsigmoid",),
    ),
    _n(
        "GGML_UNARY_OP_SOFTPLUS",
        "softplus:threshold=20",
        "op_softplus: (x > 20.0f) ? x : logf(1.0f + expf(x))",
        aliases=("ggml_softplus",),
    ),
    _n(
        "GGML_UNARY_OP_XIELU",
        "xielu",
        "op_xielu: (x > 0.0f) ? alpha_p * x * x + beta * x : (expm1f(fminf(x, eps)) - x) * alpha_n + beta * x",
        aliases=("ggml_xielu",),
        differs="alpha_n, alpha_p, beta, eps are given by the model (ggml_xielu's arguments); actcli's defaults shown",
    ),
    _n(
        "GGML_OP_LEAKY_RELU",
        "leaky_relu",
        "ggml_vec_leaky_relu_f32: ((x > 0.f) ? x : 0.f) + ns * ((x < 0.0f) ? x : 0.f)",
        aliases=("ggml_leaky_relu",),
        differs="negative_slope is an argument of ggml_leaky_relu (no default); actcli's 0.01 shown",
    ),
    _n(
        "GGML_GLU_OP_REGLU",
        "relu",
        "ggml_vec_reglu_f32: (x[i] > 0.f) ? x[i] * g[i] : 0.f",
        aliases=("ggml_reglu",),
        gated=GLU,
    ),
    _n(
        "GGML_GLU_OP_GEGLU",
        "gelu:approximate=tanh",
        f"ggml_vec_geglu_f32: ggml_gelu_f32(x[i]) * g[i]; {TANH}",
        aliases=("ggml_geglu",),
        gated=GLU,
        differs=TABLE,
    ),
    _n(
        "GGML_GLU_OP_SWIGLU",
        "silu",
        "ggml_vec_swiglu_f32: ggml_v_silu(x) * g",
        aliases=("ggml_swiglu",),
        gated=GLU,
    ),
    _n(
        "GGML_GLU_OP_SWIGLU_OAI",
        "min(x, 7)*sigmoid(1.702*min(x, 7))",
        "x = std::min(src0_p[k], limit); y = std::clamp(src1_p[k], -limit, limit); out_glu = x / (1.f + expf(alpha * (-x))); dst_p[k] = out_glu * (y + 1.f)",
        args={"alpha": "1.702", "limit": "7.0"},
        aliases=("ggml_swiglu_oai",),
        gated=GLU
        + "; out = act(gate) * (clamp(up, -limit, limit) + 1); alpha and limit are arguments (llama-graph.cpp passes 1.702f and 7.0f)",
        kin="silu",
    ),
    _n(
        "GGML_GLU_OP_GEGLU_ERF",
        "gelu",
        "ggml_vec_geglu_erf_f32: 0.5f * xi * (1.0f + erff(xi*SQRT_2_INV)) * g[i]",
        aliases=("ggml_geglu_erf",),
        gated=GLU,
    ),
    _n(
        "GGML_GLU_OP_GEGLU_QUICK",
        "quick_gelu",
        "ggml_vec_geglu_quick_f32: ggml_gelu_quick_f32(x[i]) * g[i]",
        aliases=("ggml_geglu_quick",),
        gated=GLU,
        differs="on the CPU the gate goes through the float16 table (GGML_GELU_QUICK_FP16)",
    ),
    _n(
        "GGML_GLU_OP_SWIGLU_CLAMP",
        "silu",
        "gate = std::min(src0_p[k], limit); up = std::clamp(src1_p[k], -limit, limit); dst_p[k] = gate / (1.f + expf(-gate)) * up",
        aliases=("ggml_swiglu_clamp",),
        gated=GLU
        + "; the gate clamped above and up to [-limit, limit], limit an argument (from the model)",
        differs="the clamp at limit is not in the spec (no default limit)",
    ),
)
