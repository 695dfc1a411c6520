"""``actcli info``: the whole story of one activation."""

from __future__ import annotations

from typing import Annotated

import typer

from actcli.cli import output, specs
from actcli.cli.options import DialectOption, FormatOption, NameArg, NoColorOption, ParamOption
from actcli.formats import OutputFormat, Table, flatten


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

    act = specs.activation(name, params, dialect)
    doc = explain.explain(act)
    resolved = OutputFormat.table if fmt is OutputFormat.auto else fmt
    if resolved is OutputFormat.json:
        output.write_json(doc)
    elif resolved is OutputFormat.table:
        from actcli import render

        render.info(doc, output.console(no_color), latex=latex)
    else:
        rows = [[key, value] for key, value in flatten(doc)]
        output.emit(Table(["key", "value"], rows), resolved, no_color=no_color)
