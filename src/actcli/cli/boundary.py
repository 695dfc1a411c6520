"""The one place where an exception becomes an exit status and a line on stderr.

:data:`RULES` maps each kind of exception to its exit status and message, first match wins;
:func:`fail` applies it. :class:`Boundary` is the typer group that routes every exception of
parsing and of the commands here. ``ACTCLI_DEBUG=1`` (read once, at import) lets actcli's own
errors and unexpected ones through with their traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from actcli.errors import ActcliError, ExitStatus, Terminated, UsageError

DEBUG = bool(os.environ.get("ACTCLI_DEBUG"))

# How the core's words for an input are spelled on the command line.
FLAGS = {
    "values": "VALUES",
    "range": "--range",
    "steps": "--steps",
    "file": "--input",
    "column": "--column",
    "stdin": "standard input",
    "others": "--others",
    "sweep": "--sweep",
    "every": "--all",
    "x": "--x",
    "y": "--y",
    "special": "--special",
    "mean": "--mean",
    "std": "--std",
    "eps": "--eps",
    "layers": "--layers",
    "param": "--param",
    "show": "--show",
    "dtype": "--dtype",
    "tol": "--tol",
    "budget": "--budget",
    "margin": "--margin",
    "all_float32": "--all-float32",
    "data": "--data",
    "samples": "--samples",
    "noise": "--noise",
    "hidden": "--hidden",
    "epochs": "--epochs",
    "classes": "--classes",
    "format": "--format",
    "venue": "--venue",
    "columns": "--columns",
    "from": "--from",
    "jobs": "--jobs",
    "shard": "--shard",
    "scheduler": "--scheduler",
}


def _actcli(exc: ActcliError) -> tuple[int, str | None]:
    """The core's message with the flags it is about: in its own words where it names them
    (``--steps: only with --range``), else before it (``--steps: must be between ...``)."""
    text = exc.spelled(FLAGS)
    if exc.options and not exc.refers:
        text = f"{FLAGS.get(exc.options[0], exc.options[0])}: {text}"
    return exc.exit_status, text


def _parser(exc: typer.TyperException) -> tuple[int, str | None]:
    """typer's (click's) usage errors: bad option, missing argument, bad choice."""
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else " ".join(["actcli", *sys.argv[1:2]])
    hint = f" (see '{path} --help')"
    return getattr(exc, "exit_code", ExitStatus.USAGE_ERROR), exc.format_message() + hint


def closed_pipe(exc: OSError) -> bool:
    """EPIPE, as Python raises it (BrokenPipeError) or as polars does (OSError, os error 32)."""
    return isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE or "os error 32" in str(exc)


def _os_error(exc: OSError) -> tuple[int, str | None]:
    """A failed write: exit 1, or, when the reader went away (``| head``), quietly 0."""
    if not closed_pipe(exc):
        return ExitStatus.DATA_ERROR, exc.strerror or str(exc)
    silence_stdout()
    return ExitStatus.OK, None


def silence_stdout() -> None:
    """After the reader went away: what is still buffered, and the final flush, go nowhere
    instead of meeting the closed pipe again (a test runner's stdout has no descriptor)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _internal(exc: BaseException) -> tuple[int, str | None]:
    """Anything else is a bug, and still gets one line rather than a traceback."""
    return (
        ExitStatus.DATA_ERROR,
        f"internal error ({type(exc).__name__}: {exc}); ACTCLI_DEBUG=1 shows where",
    )


Rule = Callable[[Any], tuple[int, str | None]]
RULES: Sequence[tuple[type[BaseException], Rule]] = (
    (ActcliError, _actcli),
    (typer.Abort, lambda _: (ExitStatus.INTERRUPTED, None)),  # Ctrl-C while parsing
    (KeyboardInterrupt, lambda _: (ExitStatus.INTERRUPTED, None)),
    (Terminated, lambda exc: (128 + exc.signal_number, None)),
    (typer.TyperException, _parser),
    (OSError, _os_error),
    (
        MemoryError,
        lambda _: (
            ExitStatus.DATA_ERROR,
            "out of memory: ask for fewer values (--steps) or stream them through stdin",
        ),
    ),
    (Exception, _internal),
)


def outcome(exc: BaseException) -> tuple[int, str | None]:
    """The exit status for ``exc`` and the message for stderr (None: nothing to say)."""
    for kind, rule in RULES:
        if isinstance(exc, kind):
            return rule(exc)
    raise exc  # SystemExit and other BaseExceptions are not errors to report


def fail(exc: BaseException) -> NoReturn:
    """Say what went wrong in one line on stderr and exit with its status."""
    if DEBUG and not isinstance(exc, (typer.TyperException, typer.Abort)):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)  # where it came from; the status stays
    status, message = outcome(exc)
    if message is not None:
        from actcli import render

        render.error(message, render.console(sys.stderr))
    sys.exit(int(status))  # SystemExit, not typer.Exit: it must work outside click's handling


class QuietHelp:
    """Help that meets a reader gone away (``actcli --help | head -1``) ends with status 0:
    rich answers a broken pipe with SystemExit(1), which is no error of the user's."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        try:
            super().format_help(ctx, formatter)  # type: ignore[misc]
        except SystemExit:
            raise typer.Exit(ExitStatus.OK) from None


class Boundary(QuietHelp, TyperGroup):
    """The typer group whose parsing and commands report every exception through :func:`fail`."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        forward = (args, prog_name, complete_var, False, windows_expand_args)
        if not standalone_mode:
            return super().main(*forward, **extra)
        try:
            code = super().main(*forward, **extra)  # typer.Exit comes back as its code
        except Exception as exc:  # the group's own parsing: unknown command, bad option
            fail(exc)
        sys.exit(code if isinstance(code, int) else ExitStatus.OK)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            refuse_repeats(command, rest)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.Exit:
            raise
        except (Exception, KeyboardInterrupt, Terminated) as exc:  # typer: EPIPE would be exit 1
            fail(exc)


def refuse_repeats(command: Any, args: Sequence[str]) -> None:
    """A single-valued option given twice is a usage error (click keeps the last silently:
    ``--dialect torch --dialect jax`` would quietly be jax). Flags and counted options (-dd)
    may repeat."""
    seen: dict[str, int] = {}
    names: dict[str, str] = {}
    for param in command.params:  # typer's own click: options by their type name
        if getattr(param, "param_type_name", "") != "option":
            continue
        if not (param.multiple or getattr(param, "count", False) or param.is_flag):
            for opt in param.opts:
                names[opt] = max(param.opts, key=len)
    for arg in args:
        if arg == "--":
            break
        opt = arg.split("=", 1)[0] if arg.startswith("--") else arg
        if opt in names:
            key = names[opt]
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                raise UsageError(f"{key} is given more than once: give it once")
