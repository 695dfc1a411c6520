"""What a model library calls an activation: the name as spelled there, the actcli spec it
is, and where that was read (library, version, file, the upstream line).

Nothing here is written from memory: every :class:`LibraryName` quotes its upstream code and
names the release and file it was read from (:class:`Source`). The tables are one module per
library (:mod:`~actcli.libraries.transformers`, ...); :mod:`actcli.libraries` indexes them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """Where a library's names were read: its release and file, and how it was obtained."""

    library: str  # as people write it: "vLLM", "llama.cpp (ggml)"
    version: str  # "0.33.0", or a commit where the library is not released with its version
    path: str  # the file inside the release: "vllm/model_executor/layers/activation.py"
    origin: str  # how the file was read: "PyPI wheel vllm-0.33.0", "github.com/...@846d176"

    @property
    def text(self) -> str:
        return f"{self.library} {self.version}, {self.path} ({self.origin})"


@dataclass(frozen=True)
class LibraryName:
    """One name of one library and the actcli activation it is.

    ``spec`` is what actcli evaluates for it: a catalog spec (``gelu:approximate=tanh``) or,
    where the library's maths is no catalog activation (MLX's SELU with 1.67326 and 1.0507), a
    formula in ``x`` with the library's constants. For a gated unit (``gated`` set) ``spec`` is
    the activation applied to the gate and ``gated`` says the layout and what multiplies it.
    ``differs`` says what the spec leaves out (clamps, a float16 table, float32 constants);
    ``kin`` names the catalog activation a formula stands beside (for look-alikes).
    ``args`` are the constructor or attribute values this entry is (``approximate=tanh``);
    ``default`` marks the entry a bare name gives.
    """

    library: str  # the key of the library: transformers, timm, vllm, ggml, mlx, onnx, flax
    name: str
    spec: str
    code: str
    source: Source
    args: Mapping[str, str] = field(default_factory=dict)
    default: bool = True
    aliases: tuple[str, ...] = ()
    gated: str = ""
    differs: str = ""
    kin: str = ""

    @property
    def spelled(self) -> str:
        """The name with its arguments, as it would be written: ``GeluAndMul(approximate=tanh)``."""
        if not self.args:
            return self.name
        return f"{self.name}({', '.join(f'{k}={v}' for k, v in self.args.items())})"

    @property
    def keys(self) -> tuple[str, ...]:
        """The normalised spellings this entry answers to."""
        return tuple(dict.fromkeys(normalise(n) for n in (self.name, *self.aliases)))


_PREFIX = re.compile(r"^.*\.")  # torch.nn.functional.gelu, nn.gelu_approx, nnx.gelu


def normalise(name: str) -> str:
    """A name as looked up: module prefix dropped, case, ``_``, ``-`` and spaces ignored."""
    bare = _PREFIX.sub("", name.strip().strip("'\"`"))
    return bare.lower().replace("_", "").replace("-", "").replace(" ", "")


def split_args(text: str) -> tuple[str, dict[str, str]]:
    """``GeluAndMul(approximate='tanh')`` → (``GeluAndMul``, {approximate: tanh}); also
    ``Gelu approximate=tanh``. Values lose their quotes and case (``True`` → ``true``)."""
    text = text.strip()
    match = re.fullmatch(r"([^()\s]+)\s*\((.*)\)\s*", text) or re.fullmatch(
        r"([^()\s]+)\s+(\w+\s*=.*)", text
    )
    if not match:
        return text, {}
    args: dict[str, str] = {}
    for item in re.split(r"[,\s]+(?=\w+\s*=)", match.group(2).strip()):
        key, eq, value = item.partition("=")
        if eq and key.strip():
            args[key.strip()] = value.strip().strip(",").strip().strip("'\"").lower()
    return match.group(1), args
