"""timm's ``create_act`` names (``get_act_fn`` / ``get_act_layer``): read from timm 1.0.31,
``timm/layers/create_act.py`` (the tables) and ``timm/layers/activations.py`` (the maths)."""

from __future__ import annotations

from typing import Any

from actcli.libraries.records import LibraryName, Source

SOURCE = Source(
    "timm", "1.0.31", "timm/layers/create_act.py, timm/layers/activations.py", "PyPI wheel"
)


def _n(name: str, spec: str, code: str, **more: Any) -> LibraryName:
    return LibraryName("timm", name, spec, code, SOURCE, **more)


NAMES = (
    _n("silu", "silu", "silu=F.silu, nn.SiLU"),
    _n("swish", "silu", "swish=F.silu, nn.SiLU"),
    _n("mish", "mish", "mish=F.mish, nn.Mish"),
    _n("relu", "relu", "relu=F.relu, nn.ReLU"),
    _n("relu6", "relu6", "relu6=F.relu6, nn.ReLU6"),
    _n("leaky_relu", "leaky_relu", "leaky_relu=F.leaky_relu, nn.LeakyReLU"),
    _n("elu", "elu", "elu=F.elu, nn.ELU"),
    _n(
        "prelu",
        "prelu",
        "prelu=PReLU: PReLU(num_parameters=1, init=0.25): F.prelu(input, self.weight)",
    ),
    _n("celu", "celu", "celu=F.celu, nn.CELU"),
    _n("selu", "selu", "selu=F.selu, nn.SELU"),
    _n("gelu", "gelu", "gelu: F.gelu(x)"),
    _n("gelu_tanh", "gelu:approximate=tanh", "gelu_tanh: F.gelu(x, approximate='tanh')"),
    _n("quick_gelu", "quick_gelu", "quick_gelu: x * torch.sigmoid(1.702 * x)"),
    _n("sigmoid", "sigmoid", "sigmoid: x.sigmoid()"),
    _n("tanh", "tanh", "tanh: x.tanh()"),
    _n(
        "hard_sigmoid",
        "hard_sigmoid",
        "hard_sigmoid=F.hardsigmoid (else F.relu6(x + 3.) / 6.)",
        aliases=("hardsigmoid",),
    ),
    _n("hard_swish", "hard_silu", "hard_swish=F.hardswish", aliases=("hardswish",)),
    _n("hard_mish", "hard_mish", "hard_mish: 0.5 * x * (x + 2).clamp(min=0, max=2)"),
    _n("identity", "identity", "identity=nn.Identity"),
)
