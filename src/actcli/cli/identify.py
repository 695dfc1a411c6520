"""``actcli identify``: what a model library's activation name is, and what it is not."""

from __future__ import annotations

from typing import Annotated

import typer

from actcli.cli import output
from actcli.cli.options import FormatOption, NoColorOption, PrecisionOption
from actcli.formats import OutputFormat


def identify_command(
    query: Annotated[
        str,
        typer.Argument(
            help="A name as a library spells it (gelu_pytorch_tanh, GeluAndMul(approximate=tanh), "
            "nn.gelu_approx, GGML_GLU_OP_SWIGLU), a config line (hidden_act: gelu_new), or a "
            "config.json (or the model directory holding it).",
            metavar="NAME_OR_CONFIG",
            show_default=False,
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Only this library: transformers (hf), timm, vllm, ggml (llama.cpp), mlx, onnx, flax.",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Identify a library's activation name: its maths and look-alikes.

    For every library that uses the name (Hugging Face transformers, timm, vLLM, llama.cpp's
    ggml, MLX, ONNX, flax; each recorded from its source, named in the table) it prints the
    actcli activation with its parameters and dialect and what that leaves out (a gated unit's
    layout, clamps, float32 constants); then the other names of the same maths (look-alikes),
    and the activations it is easily mistaken for (the same name elsewhere, its other variants,
    its family) with the gap measured over every bfloat16 input in [-16, 16]: max |difference|
    in float64, and how many inputs give another bfloat16 (float32) result, by how many ULP. A
    config.json is read for hidden_act, hidden_activation, activation_function and every key
    ending in _act or _activation, at any depth. An unknown name is a usage error (exit 2) with
    close matches; an unreadable config or one without an activation field exits 1.

    Examples:

      actcli identify gelu_pytorch_tanh

      actcli identify "hidden_act: gelu_new"

      actcli identify "GeluAndMul(approximate='tanh')" --from vllm

      actcli identify GGML_GLU_OP_SWIGLU_OAI

      actcli identify path/to/model/config.json --format json
    """
    from actcli.identify import identify

    result = identify(query, source)
    for text in result.notes():
        output.note(text)
    if output.resolve(fmt) is OutputFormat.json:
        output.write_json(result.document())
        return
    for table in result.tables():
        output.emit(table, fmt, precision=precision, no_color=no_color)
