"""``actcli list``: the catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from actcli.cli import output
from actcli.cli.options import FormatOption, NoColorOption
from actcli.formats import OutputFormat


def list_command(
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Only names, aliases or formulas containing TEXT."),
    ] = None,
    fmt: FormatOption = OutputFormat.auto,
    no_color: NoColorOption = False,
) -> None:
    """List the activations: names, aliases, parameters, formulas.

    Examples:

      actcli list

      actcli list --search shrink --format csv
    """
    from actcli.listing import catalog_table

    output.emit(catalog_table(search), fmt, no_color=no_color)
