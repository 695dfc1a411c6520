"""The output contract: JSON documents of every command (snake_case keys, numbers as numbers),
--precision never rounding the inputs, info's text in a pipe, compare's labels everywhere."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess

import pytest

from actcli.cli import app

SNAKE = re.compile(r"[a-z][a-z0-9_]*")
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
DATA_KEYS = {
    "properties",
    "params",
    "defaults",
    "frameworks",
    "dialect_differences",
    "framework_errors",
}
EXACT_DIGITS = {"digits"}  # constants' exact decimal expansions, beyond any double


def _walk(value, key=""):
    """(key, value) of every leaf; keys of mappings whose keys are data are not checked."""
    if isinstance(value, dict):
        for k, v in value.items():
            if key not in DATA_KEYS:
                assert SNAKE.fullmatch(k), f"key {k!r} under {key!r} is not ASCII snake_case"
            yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    else:
        yield key, value


@pytest.mark.parametrize(
    "args",
    [
        ["eval", "gelu", "-1", "0.5"],
        ["diff", "softmax", "1", "2", "3"],
        ["list", "--search", "relu"],
        ["info", "gelu"],
        ["info", "softmax"],
        ["stats", "relu"],
        ["stats", "tanh", "--layers", "3"],
        ["compare", "gelu", "gelu:dialect=jax", "--steps", "101"],
    ],
)
@pytest.mark.slow
def test_json_keys_are_snake_case_and_numbers_are_numbers(runner, args):
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    for key, value in _walk(doc):
        if isinstance(value, str) and key not in EXACT_DIGITS:
            assert not NUMBER.fullmatch(value.strip()), f"{key}: the number {value!r} is a string"


def test_json_numbers_keep_every_digit(runner):
    doc = json.loads(runner.invoke(app, ["eval", "gelu", "1", "-f", "json"]).stdout)
    assert doc["rows"] == [{"x": 1.0, "gelu": 0.8413447460685429}]
    check = runner.invoke(
        app, ["check", "relu", "-", "-f", "json"], input="x,y\n1,1.0000000000000002\n"
    )
    assert json.loads(check.stdout)["worst"][0]["given"] == 1.0000000000000002


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_precision_rounds_results_never_the_inputs(runner, fmt):
    result = runner.invoke(app, ["eval", "sigmoid", "0.123456789", "--precision", "3", "-f", fmt])
    assert result.exit_code == 0, result.stderr
    assert "0.123456789" in result.stdout  # x, as given
    assert "0.531" in result.stdout and "0.5308" not in result.stdout  # σ(x), 3 digits
    rows = runner.invoke(app, ["check", "relu", "-", "-f", "csv", "--precision", "2"],
                         input="x,y\n0.123456,0.123457\n")  # fmt: skip
    assert rows.stdout.splitlines()[1].startswith("0.123456,0.123457,0.12,")


def test_compare_labels_keep_dialect_and_parameters_in_every_table(runner):
    result = runner.invoke(
        app, ["compare", "leaky_relu:dialect=torch", "leaky_relu:dialect=jax", "-f", "table"]
    )
    properties, differences = result.stdout.split("differences")
    assert "leaky_relu@torch" in properties and "leaky_relu@jax" in properties
    assert "leaky_relu@torch" in differences and "leaky_relu@jax" in differences
    params = runner.invoke(app, ["compare", "elu", "elu:alpha=0.5", "-f", "table"]).stdout
    assert "elu:alpha=0.5" in params.split("differences")[1]


@pytest.mark.slow
def test_info_in_a_pipe_is_the_readable_text_without_colour():
    assert shutil.which("actcli")
    piped = subprocess.run(
        ["bash", "-o", "pipefail", "-c", "actcli info relu | cat"],
        capture_output=True,
        env={"PATH": os.environ["PATH"], "COLUMNS": "100", "TERM": "xterm-256color"},
        timeout=60,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    text = piped.stdout.decode()
    assert "\x1b" not in text
    assert text.startswith("relu  (elementwise, rectifier)")
    assert "kinks: the derivative at each, per dialect" in text and "in code" in text


def test_info_csv_is_flat_key_value_without_reprs(runner):
    result = runner.invoke(app, ["info", "leaky_relu", "-f", "csv"])
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["key", "value"]
    assert ["parameters.1.defaults.keras", "0.2"] in rows
    for key, value in rows[1:]:
        assert all(SNAKE.fullmatch(part) or part.isdigit() for part in key.split(".")), key
        assert not value.startswith(("{'", "['", "("))  # no Python reprs of dicts, lists, tuples


def test_compare_says_when_a_dialect_s_framework_is_itself_off(runner):
    table = runner.invoke(app, ["compare", "gelu:dialect=torch", "gelu:dialect=tf", "-f", "table"])
    notes = table.stderr.splitlines()
    assert notes[0].startswith("note: gelu@torch: the framework itself is off the exact function")
    assert notes[1].startswith("note: gelu@tf: ") and "(recorded; actcli info says why)" in notes[1]
    doc = json.loads(
        runner.invoke(
            app, ["compare", "gelu:dialect=torch", "gelu:dialect=tf", "-f", "json"]
        ).stdout
    )
    assert set(doc["framework_errors"]) == {"gelu@torch", "gelu@tf"}
    same = runner.invoke(app, ["compare", "gelu", "silu", "-f", "table"])
    assert same.stderr == ""  # one dialect: nothing was ported
