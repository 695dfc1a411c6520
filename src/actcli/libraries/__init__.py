"""Names model libraries use for activations, each with the actcli spec it is and its source.

One module per library holds its table (``NAMES``); :data:`LIBRARIES` says how each is
written and which actcli dialect its conventions follow. :func:`entries` lists them all,
:func:`find` looks a name up (``GeluAndMul(approximate='tanh')``, ``nn.gelu_approx``,
``GGML_GLU_OP_SWIGLU``), :func:`library` reads ``--from``.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass

from actcli.errors import UsageError
from actcli.libraries.records import LibraryName, Source, normalise, split_args

__all__ = ["LIBRARIES", "Library", "LibraryName", "Source", "entries", "find", "library"]


@dataclass(frozen=True)
class Library:
    key: str  # transformers
    title: str  # Hugging Face transformers
    dialect: str  # the actcli dialect whose conventions it follows (kinks, defaults)
    module: str  # the module holding its NAMES
    spellings: tuple[str, ...] = ()  # other ways to say it with --from


LIBRARIES: Mapping[str, Library] = {
    lib.key: lib
    for lib in (
        Library(
            "transformers",
            "Hugging Face transformers",
            "torch",
            "transformers",
            ("hf", "huggingface"),
        ),
        Library("timm", "timm", "torch", "timm"),
        Library("vllm", "vLLM", "torch", "vllm"),
        Library("ggml", "llama.cpp (ggml)", "torch", "ggml", ("llama.cpp", "llamacpp", "llama")),
        Library("mlx", "MLX", "torch", "mlx"),
        Library("onnx", "ONNX", "torch", "onnx"),
        Library("flax", "flax", "jax", "flax", ("nnx", "linen")),
    )
}


def library(name: str) -> Library:
    """The library ``--from`` names (its key or another spelling, any case)."""
    wanted = name.strip().lower()
    for lib in LIBRARIES.values():
        if wanted == lib.key or wanted in lib.spellings:
            return lib
    known = ", ".join(LIBRARIES)
    raise UsageError(f"unknown library {name!r} (one of {known})", option="from")


@functools.cache
def entries() -> tuple[LibraryName, ...]:
    """Every recorded name of every library, in the order of :data:`LIBRARIES`."""
    import importlib

    out: list[LibraryName] = []
    for lib in LIBRARIES.values():
        out += importlib.import_module(f"actcli.libraries.{lib.module}").NAMES
    return tuple(out)


def find(text: str, only: str | None = None) -> list[LibraryName]:
    """The entries a name stands for, in every library (or ``only`` that one).

    Without arguments a name gives the entries a bare name gives (``GeluAndMul`` is
    approximate="none"); with them (``GeluAndMul(approximate='tanh')``), the entries whose
    arguments include those values.
    """
    name, args = split_args(text)
    key = normalise(name)
    hits = [e for e in entries() if key in e.keys and (only is None or e.library == only)]
    if args:
        return [e for e in hits if all(e.args.get(k) == v for k, v in args.items())]
    plain = [e for e in hits if e.default]
    return plain or hits


def variants(text: str, only: str | None = None) -> list[LibraryName]:
    """Every entry of that name, whatever its arguments."""
    key = normalise(split_args(text)[0])
    return [e for e in entries() if key in e.keys and (only is None or e.library == only)]


def suggest(text: str, n: int = 3) -> list[str]:
    """Close library names (as spelled) for an unknown one."""
    spelled = {k: e.name for e in entries() for k in e.keys}
    hits = difflib.get_close_matches(normalise(split_args(text)[0]), list(spelled), n=n, cutoff=0.7)
    return list(dict.fromkeys(spelled[h] for h in hits))
