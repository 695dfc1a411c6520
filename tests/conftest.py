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
