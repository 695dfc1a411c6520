"""actcli list and the root options, through typer's CliRunner (stdout and stderr apart)."""

from __future__ import annotations

import csv
import io
import json

import actcli
from actcli.cli import app


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"actcli {actcli.__version__}\n"


def test_no_arguments_shows_help(runner):
    result = runner.invoke(app, [])
    assert "Usage" in result.stdout + result.stderr


def test_list_csv_has_every_activation(runner):
    result = runner.invoke(app, ["list", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["name"] for r in rows] == actcli.names()
    gelu = next(r for r in rows if r["name"] == "gelu")
    assert gelu["parameters"] == "approximate=none"
    assert gelu["torch"] == "F.gelu" and gelu["jax"] == "jax.nn.gelu"
    assert result.stderr == ""


def test_list_search_json(runner):
    result = runner.invoke(app, ["list", "--search", "SHRINK", "--format", "json"])
    doc = json.loads(result.stdout)
    assert [row["name"] for row in doc["rows"]] == ["hard_shrink", "soft_shrink", "tanh_shrink"]
    assert doc["count"] == 3 and doc["search"] == "SHRINK"


def test_list_auto_in_a_pipe_is_csv(runner):
    result = runner.invoke(app, ["list", "-s", "relu6"])
    header = "name,kind,aliases,parameters,formula,range,torch,keras,jax,in"
    assert result.stdout.splitlines()[0] == header


def test_list_table_at_pinned_width(runner):
    result = runner.invoke(app, ["list", "-s", "relu6", "--format", "table"])
    lines = result.stdout.splitlines()
    assert "relu6" in result.stdout and "min(max(x," in result.stdout
    assert "torch keras jax" in result.stdout
    assert max(len(line) for line in lines) <= 100


def test_list_bad_format_is_a_usage_error(runner):
    result = runner.invoke(app, ["list", "--format", "xml"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "xml" in result.stderr


def test_list_search_without_match_is_empty_not_an_error(runner):
    result = runner.invoke(app, ["list", "--search", "nothing-like-this", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1  # the header only
