"""The error boundary: every kind of exception -> one exit status and at most one stderr line;
the exit statuses as README documents them; help text as written; the format decision."""

from __future__ import annotations

import errno
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from actcli.cli import COMMANDS, app, boundary
from actcli.cli.parsing import NumbersCommand
from actcli.errors import (
    CheckFailed,
    DataError,
    ExitStatus,
    InvalidParameterError,
    UnknownActivationError,
    UsageError,
)
from actcli.formats import OutputFormat, resolve_format

ROOT = Path(__file__).resolve().parent.parent


def _raising(exc: BaseException) -> typer.Typer:
    """An app of the real boundary whose one command raises ``exc``."""
    test_app = typer.Typer(cls=boundary.Boundary, add_completion=False)

    @test_app.callback()
    def root() -> None:
        """Root."""

    @test_app.command("boom", cls=NumbersCommand)
    def boom() -> None:
        raise exc

    return test_app


@pytest.mark.parametrize(
    ("exc", "status", "line"),
    [
        (UsageError("bad option value"), ExitStatus.USAGE_ERROR, "error: bad option value"),
        (
            UsageError("must be between 1 and 100000000, got 0", option="steps"),
            ExitStatus.USAGE_ERROR,
            "error: --steps: must be between 1 and 100000000, got 0",
        ),
        (
            UnknownActivationError("rleu", ["relu"]),
            ExitStatus.USAGE_ERROR,
            "error: unknown activation 'rleu'; did you mean 'relu'?",
        ),
        (InvalidParameterError("elu: alpha must be"), ExitStatus.USAGE_ERROR, "error: elu: alpha must be"),
        (DataError("bad number 'a' at line 3"), ExitStatus.DATA_ERROR, "error: bad number 'a' at line 3"),
        (
            DataError("cannot read f.csv: No such file or directory", option="file"),
            ExitStatus.DATA_ERROR,
            "error: --input: cannot read f.csv: No such file or directory",
        ),
        (CheckFailed("max error 9 ULP exceeds --tol 4"), ExitStatus.CHECK_FAILED, "error: max error 9 ULP exceeds --tol 4"),
        (typer.BadParameter("nope"), ExitStatus.USAGE_ERROR, "error: Invalid value: nope (see 'root boom --help')"),
        (OSError(errno.ENOSPC, "No space left on device"), ExitStatus.DATA_ERROR, "error: No space left on device"),
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), ExitStatus.OK, None),
        (OSError("polars: os error 32"), ExitStatus.OK, None),
        (KeyboardInterrupt(), ExitStatus.INTERRUPTED, None),
        (typer.Abort(), ExitStatus.INTERRUPTED, None),
        (
            MemoryError(),
            ExitStatus.DATA_ERROR,
            "error: out of memory: ask for fewer values (--steps) or stream them through stdin",
        ),
        (
            ZeroDivisionError("division by zero"),
            ExitStatus.DATA_ERROR,
            "error: internal error (ZeroDivisionError: division by zero); ACTCLI_DEBUG=1 shows where",
        ),
    ],
)  # fmt: skip
def test_each_exception_gives_its_status_and_one_line(exc, status, line):
    result = CliRunner().invoke(_raising(exc), ["boom"], prog_name="root")
    assert result.exit_code == status
    assert result.stdout == ""
    assert result.stderr == ("" if line is None else line + "\n")


def test_debug_adds_the_traceback_and_keeps_the_status(monkeypatch):
    monkeypatch.setattr(boundary, "DEBUG", True)
    for exc, status in (
        (DataError("bad"), ExitStatus.DATA_ERROR),
        (UsageError("wrong"), ExitStatus.USAGE_ERROR),
        (ZeroDivisionError("bug"), ExitStatus.DATA_ERROR),
    ):
        result = CliRunner().invoke(_raising(exc), ["boom"])
        assert result.exit_code == status  # ACTCLI_DEBUG never changes the status
        assert "Traceback" in result.stderr
        assert result.stderr.splitlines()[-1].startswith("error: ")


@pytest.mark.parametrize(
    "argv",
    [
        ["eval", "gelu", "--dialect", "torch", "--dialect", "jax", "1"],
        ["eval", "gelu", "--dialect=torch", "--dialect", "jax", "1"],
        ["eval", "relu", "--range", "0", "1", "--range", "2", "3"],
        ["plot", "relu", "-o", "a.png", "--output", "b.png"],
    ],
)
def test_a_single_valued_option_given_twice_is_refused(argv):
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "is given more than once" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_flags_and_counted_options_may_repeat(tmp_path):
    figure = str(tmp_path / "f.png")
    result = CliRunner().invoke(app, ["plot", "relu", "-d", "-d", "--grid", "--grid", "-o", figure])
    assert result.exit_code == 0, result.stderr


def test_usage_errors_of_the_parser_are_one_line_with_a_hint():
    result = CliRunner().invoke(app, ["eval", "relu", "--nope"])
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert result.stderr.startswith("error: No such option: --nope")
    assert result.stderr.endswith("(see 'actcli eval --help')\n")
    assert len(result.stderr.splitlines()) == 1
    unknown = CliRunner().invoke(app, ["evl"])
    assert unknown.exit_code == ExitStatus.USAGE_ERROR
    assert len(unknown.stderr.splitlines()) == 1 and "No such command 'evl'" in unknown.stderr


def test_readme_documents_every_exit_status_in_one_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `?(\d+)`? \| (.+?) \|$", readme, flags=re.MULTILINE))
    assert {int(code) for code in rows} == {int(s) for s in ExitStatus}


# ---------------------------------------------------------------------------------- help


BRACKETED = {
    "stats": ["E[f]", "Var[f]", "E[f′²]"],
    "compare": ["E[f(z)]"],
    "info": ["E[f(z)]"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_keeps_brackets_and_summary_fits_one_line(name):
    result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())  # rich wraps lines; the words stay in order
    for term in BRACKETED.get(name, []):
        assert term in text, (name, term)
    assert "Examples:" in text and f"actcli {name}" in text


def test_every_command_summary_is_one_line_at_80_columns():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"})
    commands = result.stdout.split("Commands")[1]
    rows = [line for line in commands.splitlines() if line.startswith("│ ")]
    assert [row.split()[1] for row in rows] == list(
        COMMANDS
    )  # one row per command: no wrapped summary


@pytest.mark.slow
@pytest.mark.parametrize("command", ["actcli --help", "actcli eval --help", "actcli info --help"])
def test_help_into_head_exits_zero(command):
    assert shutil.which("actcli")
    out = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{command} | head -1"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (out.returncode, out.stderr) == (0, b"")


# ---------------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("requested", "terminal", "expected"),
    [(OutputFormat.auto, True, OutputFormat.table), (OutputFormat.auto, False, OutputFormat.csv)]
    + [(f, t, f) for f in OutputFormat if f is not OutputFormat.auto for t in (True, False)],
)
def test_resolve_format_truth_table(requested, terminal, expected):
    assert resolve_format(requested, terminal) is expected


def test_auto_follows_the_one_terminal_decision(monkeypatch):
    from actcli.cli import output

    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    table = CliRunner().invoke(app, ["eval", "relu", "1"])
    assert "┃" in table.stdout and "dialect torch" in table.stdout
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: False)
    assert CliRunner().invoke(app, ["eval", "relu", "1"]).stdout == "x,relu\n1.0,1.0\n"
