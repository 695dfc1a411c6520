"""The ``actcli`` command line (the only package importing typer).

Each command lives in a module of its own and parses options, calls one core function and
hands the result to :mod:`~actcli.cli.output`. Every exception becomes one stderr line and an
exit status in :mod:`~actcli.cli.boundary`; shared options are declared once in
:mod:`~actcli.cli.options`.

:func:`main` builds only the command named on the command line (typer turns every signature
into click parameters on each run, a tenth of the start-up); ``actcli.cli.app`` is the whole
app, for tests and documentation.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import sys
from collections.abc import Callable, Iterable
from typing import Annotated, Any, NoReturn

import typer

from actcli import __version__
from actcli.cli import process
from actcli.cli.boundary import Boundary, closed_pipe
from actcli.cli.parsing import NumbersCommand
from actcli.errors import ExitStatus

# command -> (module in this package, function); the function's docstring is its help
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("list", "list_command"),
    "info": ("info", "info_command"),
    "eval": ("evaluate", "eval_command"),
    "diff": ("evaluate", "diff_command"),
    "plot": ("plot", "plot_command"),
    "compare": ("compare", "compare_command"),
    "stats": ("stats", "stats_command"),
    "check": ("check", "check_command"),
    "train": ("train", "train_command"),
    "audit": ("audit", "audit_command"),
    "identify": ("identify", "identify_command"),
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"actcli {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
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
    if ctx.invoked_subcommand is None:  # `actcli` alone: the help, on stderr, as a usage error
        typer.echo(ctx.get_help(), err=True)
        raise typer.Exit(ExitStatus.USAGE_ERROR)


def plain(text: str) -> str:
    """Help text from a docstring, for typer's rich help: prose paragraphs unwrapped (rich
    wraps them to the terminal), indented lines (examples) kept, and brackets escaped (rich
    markup would read E[f] or [0, 1] as a style and drop it)."""
    paragraphs = [p if p.startswith(" ") else " ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(paragraphs).replace("[", r"\[")


def command(name: str) -> Callable[..., None]:
    module, function = COMMANDS[name]
    fn: Callable[..., None] = getattr(importlib.import_module(f"actcli.cli.{module}"), function)
    return fn


def build(names: Iterable[str] = COMMANDS) -> typer.Typer:
    """The typer app with the commands ``names`` (all by default)."""
    app = typer.Typer(
        name="actcli",
        cls=Boundary,
        add_completion=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback(invoke_without_command=True, help=plain(inspect.getdoc(root) or ""))(root)
    for name in names:
        fn = command(name)
        app.command(name, help=plain(inspect.getdoc(fn) or ""), cls=NumbersCommand)(fn)
    return app


@functools.cache
def _whole_app() -> typer.Typer:
    return build()


def __getattr__(name: str) -> Any:
    if name == "app":
        return _whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> NoReturn:
    """Entry point of ``actcli`` and ``python -m actcli``."""
    if sys.stdout is None:  # started with stdout closed (>&-): whatever it wrote would be lost
        if sys.stderr is not None:
            sys.stderr.write("error: standard output is closed: there is nowhere to write\n")
        _leave(ExitStatus.DATA_ERROR)
    process.prepare()
    asked = sys.argv[1:2]
    app = build(asked if asked and asked[0] in COMMANDS else COMMANDS)
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    _leave(code)


def _leave(code: object) -> NoReturn:
    """Flush what the command wrote and exit, without the interpreter's teardown.

    Freeing every module at exit takes 25 ms, 50 ms once polars is loaded (a tenth of a
    2M-line pipeline), and does nothing a finished command needs: nothing is registered with
    atexit, and a read-ahead thread still waiting for input (after ``| head`` or an error) has
    nothing left to deliver. A failed final flush is reported like any other write error; a
    reader that went away (``| head``) is not an error.
    """
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = ExitStatus.DATA_ERROR
    status = code if isinstance(code, int) else ExitStatus.OK
    _end_workers()
    try:
        if sys.stdout is not None:  # None: started with stdout closed
            sys.stdout.flush()
    except OSError as exc:
        # a failure the command met is reported already (its bytes are still buffered)
        if not closed_pipe(exc) and status == 0 and sys.stderr is not None:
            sys.stderr.write(f"error: cannot write the output: {exc.strerror or exc}\n")
            status = ExitStatus.DATA_ERROR
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except OSError:
        pass  # nowhere left to say it
    finally:
        os._exit(int(status))


def _end_workers() -> None:
    """Stop the worker processes of ``--jobs`` still running: leaving through os._exit (after
    ``| head``, say) skips the pool's shutdown, and a worker left behind would keep the
    caller's stderr pipe open and compute for nothing."""
    multiprocessing = sys.modules.get("multiprocessing")  # imported only by --jobs runs
    if multiprocessing is None:
        return
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(timeout=1.0)
    # what the interpreter's exit would do: the pool's queues and semaphores released, so that
    # the resource tracker has nothing to warn about on the user's stderr
    from multiprocessing import util

    util._run_finalizers()  # type: ignore[attr-defined]  # private, stable since 3.4
