"""Shared test settings: a pinned, colourless terminal so rendered output is deterministic."""

from __future__ import annotations

import os

import pytest

# Rich reads these when a Console is created; pin them before any test renders anything.
os.environ["COLUMNS"] = "100"
os.environ["LINES"] = "40"
os.environ.pop("FORCE_COLOR", None)
os.environ.pop("TTY_COMPATIBLE", None)
os.environ["NO_COLOR"] = "1"
os.environ.pop("ACTCLI_DEBUG", None)


@pytest.fixture
def runner():
    """typer's CliRunner with stdout and stderr kept apart."""
    from typer.testing import CliRunner

    return CliRunner()


# Peak memory of a command measured from outside. A child forked from pytest starts as a copy
# of it, and Linux counts that copy in the child's peak RSS (ru_maxrss) until it execs: late in
# the suite, pytest's few hundred MB would be charged to the command. A small launcher process
# runs the command instead and writes its peak RSS (KB) to a file.
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "child.returncode = os.waitstatus_to_exitcode(status)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(child.returncode)\n"
)


def measured(argv: list[str], peak_file: object) -> list[str]:
    """``argv`` run through the launcher, which writes its peak RSS in KB to ``peak_file``
    (the caller reads it when the command has ended; stdin and stdout pass through)."""
    import sys

    return [sys.executable, "-c", _LAUNCHER, str(peak_file), *argv]
