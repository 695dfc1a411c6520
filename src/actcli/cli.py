"""The ``actcli`` command line (the only module importing typer).

Every command parses its options, calls one core function and hands the result to a writer.
Errors are actcli exceptions, turned into one stderr line and an exit code in one place:
:class:`Boundary` (0 ok, 1 data or I/O error, 2 usage error, 130 Ctrl-C). ``ACTCLI_DEBUG=1``
lets them through with their traceback.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from actcli import __version__
from actcli.errors import ActcliError
from actcli.formats import OutputFormat, Table, resolve_format


class Boundary(TyperGroup):
    """The one place where actcli errors become messages and exit codes."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ActcliError as exc:
            if os.environ.get("ACTCLI_DEBUG"):
                raise
            from actcli import render

            render.error(str(exc), render.console(sys.stderr))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            if os.environ.get("ACTCLI_DEBUG"):
                raise
            raise typer.Exit(130) from None


app = typer.Typer(
    name="actcli",
    cls=Boundary,
    help="Evaluate, differentiate, plot and compare neural-network activation functions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# ---------------------------------------------------------------------------------- shared options

FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format. auto: a table on a terminal, CSV in a pipe or file.",
        case_sensitive=False,
    ),
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colours (also when NO_COLOR is set).")
]


def emit(data: Table, fmt: OutputFormat, *, no_color: bool = False) -> None:
    """Write a command's result to stdout in the resolved format."""
    resolved = resolve_format(fmt, sys.stdout.isatty())
    if resolved is OutputFormat.table:
        from actcli import render

        render.table(data, render.console(sys.stdout, no_color=no_color))
    else:
        from actcli import formats

        formats.write(data, resolved, sys.stdout)


# ---------------------------------------------------------------------------------- commands


def _version(value: bool) -> None:
    if value:
        typer.echo(f"actcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Evaluate, differentiate, plot and compare neural-network activation functions.

    Examples:

      actcli list --search relu

      actcli eval gelu -2 -1 0 1 2
    """


@app.command("list")
def list_cmd(
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Only names, aliases or formulas containing TEXT."),
    ] = None,
    fmt: FormatOption = OutputFormat.auto,
    no_color: NoColorOption = False,
) -> None:
    """List every activation: name, aliases, parameters, formula, range, framework names.

    Examples:

      actcli list

      actcli list --search shrink --format csv
    """
    from actcli.listing import catalog_table

    emit(catalog_table(search), fmt, no_color=no_color)


def main() -> None:
    """Entry point of ``python -m actcli``."""
    app()
