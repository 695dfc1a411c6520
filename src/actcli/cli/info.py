"""``actcli info``: the whole story of one activation."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from actcli.cli import output, specs
from actcli.cli.options import DialectOption, FormatOption, NameArg, NoColorOption, ParamOption
from actcli.errors import UsageError
from actcli.formats import OutputFormat


def info_command(
    name: NameArg,
    latex: Annotated[bool, typer.Option("--latex", help="Formulas as LaTeX.")] = False,
    params: ParamOption = None,
    dialect: DialectOption = None,
    fmt: FormatOption = OutputFormat.auto,
    no_color: NoColorOption = False,
) -> None:
    """Explain one activation: formulas, properties, kinks, code.

    Shows f and f′ (pretty-printed), the parameters and their defaults per framework,
    full-precision constants, computed properties (range, minimum, monotonic, bounded, E[f(z)],
    smoothness, saturation), the derivative at each kink in every dialect, known problems, and
    how to call it in PyTorch, Keras and JAX. In a pipe or a file the same text is written
    without colour; --format json gives the whole document, --format csv|tsv key/value rows.

    Examples:

      actcli info gelu

      actcli info leaky_relu --dialect keras

      actcli info selu --format json

      actcli info mish --latex
    """
    from actcli import explain

    resolved = OutputFormat.table if fmt is OutputFormat.auto else fmt
    if latex and resolved is not OutputFormat.table:
        raise UsageError("--latex is for the text; JSON and CSV carry the LaTeX forms anyway")
    act = specs.activation(name, params, dialect)
    doc = explain.explain(act)
    if resolved is OutputFormat.json:
        output.write_json(doc)
    elif resolved is OutputFormat.table:
        output.text(lambda console: render_info(doc, console, latex), no_color)
    else:
        output.emit(explain.table(doc), resolved, no_color=no_color)


def render_info(doc: dict[str, object], console: Any, latex: bool) -> None:
    from actcli import render

    render.info(doc, console, latex=latex)
