"""The core's report objects are what the commands print: ``compare``, ``stats`` and ``info``
parse options, call one core function and hand its result to a writer."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

import actcli
from actcli import comparison, curves, explain, formats, render, stats
from actcli.cli import app
from actcli.errors import UsageError
from actcli.formats import OutputFormat


def run(runner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def as_json(doc) -> object:
    return json.loads(json.dumps(formats.json_safe(doc), ensure_ascii=False))


def drawn(tables) -> str:
    """Tables as ``--format table`` draws them off a terminal (100 columns, no colour)."""
    out = render.console(io.StringIO(), no_color=True)
    with out.capture() as captured:
        for table in tables:
            render.table(table, out)
    return captured.get()


def test_compare_report_is_what_compare_prints(runner):
    acts = [actcli.get("gelu"), actcli.get("gelu", dialect="jax")]
    report = comparison.compare(acts, curves.grid(-4.0, 4.0, 101), "ulp")
    assert report.labels == ["gelu@torch", "gelu:approximate=tanh@jax"]  # jax's default
    args = ["compare", "gelu:dialect=torch", "gelu:dialect=jax", "-r", "-4", "4", "--steps", "101"]
    args += ["--metric", "ulp"]
    assert as_json(report.document()) == json.loads(run(runner, *args, "--format", "json"))
    assert drawn(report.tables()) == run(runner, *args, "--format", "table")
    head, block = report.curves()
    stream = io.StringIO()
    writer = formats.BlockWriter(head.columns, OutputFormat.csv, stream, inputs=head.inputs)
    writer.write(block)
    writer.finish()
    assert stream.getvalue() == run(runner, *args, "--format", "csv")
    assert report.framework_errors and all(n.startswith("note: gelu") for n in report.notes())


def test_compare_refuses_what_it_cannot_compare():
    with pytest.raises(UsageError, match="elementwise"):
        comparison.compare([actcli.get("softmax")], np.linspace(-1, 1, 5))
    with pytest.raises(UsageError, match="metric"):
        comparison.compare([actcli.get("relu")], np.linspace(-1, 1, 5), "max")


def test_one_activation_has_no_differences_table():
    report = comparison.compare([actcli.get("relu")], np.linspace(-1, 1, 5))
    assert [t.title for t in report.tables()] == ["properties on [-1, 1]"]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (["relu"], {}),
        (["tanh", "--layers", "4", "--std", "2"], {"std": 2.0, "layers": 4}),
    ],
)
@pytest.mark.slow
def test_stats_report_is_what_stats_prints(runner, args, kwargs):
    report = stats.report(actcli.get(args[0]), **kwargs)
    assert as_json(report.document()) == json.loads(run(runner, "stats", *args, "-f", "json"))
    stream = io.StringIO()
    formats.write(report.table(), OutputFormat.csv, stream)
    assert stream.getvalue() == run(runner, "stats", *args, "--format", "csv")
    assert drawn([report.table()]) == run(runner, "stats", *args, "--format", "table")


def test_stats_report_refuses_a_gain_out_of_range():
    with pytest.raises(UsageError, match="--gain 0 is outside"):
        stats.report(actcli.get("relu"), layers=2, gain=0.0)


def test_info_document_and_key_value_table(runner):
    doc = explain.explain(actcli.get("selu"))
    assert as_json(doc) == json.loads(run(runner, "info", "selu", "--format", "json"))
    stream = io.StringIO()
    formats.write(explain.table(doc), OutputFormat.csv, stream)
    assert stream.getvalue() == run(runner, "info", "selu", "--format", "csv")
