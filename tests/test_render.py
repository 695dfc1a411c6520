"""Tables never break a number or a word: what the table layout chooses at 80 and 120 columns,
and the code of ``info`` never wrapped (tests run the real commands)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import actcli
from actcli import render
from actcli.cli import app
from actcli.dtypes import format_number

WIDTHS = (80, 120)
# a number as a table spells it: a sign, digits, a point, an exponent (never "−": that is text)
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]\d+)?(?![\w.])")


def run(runner, width: int, *args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def numbers(doc, path=""):
    """(path, number) for every number of a JSON document (booleans are not numbers)."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from numbers(value, f"{path}.{key}")
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from numbers(value, f"{path}[{i}]")
    elif isinstance(doc, (int, float)) and not isinstance(doc, bool):
        yield path, doc


def spellings(value: float) -> set[str]:
    """How the tables spell a number: shortest round trip, or to 12, 9, 6 or 3 digits (an
    exponent with or without its leading zero: 3.29e-08, 1.75e-8)."""
    if isinstance(value, int):
        return {str(value), format_number(float(value))}
    spelt = {format_number(value), *(f"{value:.{p}g}" for p in (12, 9, 6, 3))}
    if float(np.float32(value)) == value:  # check's value given in float32: its shortest
        spelt.add(str(np.float32(value)))
    return spelt | {re.sub(r"e([-+])0(\d)", r"e\1\2", s) for s in spelt}


def assert_whole(text: str, doc, skip: tuple[str, ...] = ()) -> None:
    """Every number of ``doc`` (but the paths in ``skip``) appears whole in ``text``: as one
    of its spellings, delimited like a number, nowhere cut by a line break or a rule."""
    shown = set(NUMBER.findall(text))
    missing = [
        (path, value)
        for path, value in numbers(doc)
        if not any(path.endswith(s) for s in skip) and not spellings(value) & shown
    ]
    assert not missing, missing


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_tables_keep_every_number_whole(runner, width):
    names = ["gelu", "silu", "mish", "elu", "selu"]
    text = run(runner, width, "compare", *names, "--format", "table")
    doc = json.loads(run(runner, width, "compare", *names, "--format", "json"))
    assert_whole(text, doc, skip=(".steps",))  # the grid's size is not in the tables
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_twelve_names_are_laid_out_vertically_not_in_slivers(runner, width):
    names = [
        "relu",
        "gelu",
        "silu",
        "mish",
        "elu",
        "selu",
        "celu",
        "softplus",
        "tanh",
        "sigmoid",
        "softsign",
        "hard_tanh",
    ]
    text = run(runner, width, "compare", *names, "--format", "table")
    doc = json.loads(run(runner, width, "compare", *names, "--format", "json"))
    assert_whole(text, doc, skip=(".steps",))
    assert "property: range" in text and "  hard_tanh: [-1, 1]" in text
    for name in names:
        assert re.search(rf"(?m)^  {name}: ", text), name


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_info_stats_and_check_keep_every_number_whole(runner, width, tmp_path):
    text = run(runner, width, "info", "gelu")
    doc = json.loads(run(runner, width, "info", "gelu", "--format", "json"))
    # a constant is shown by its digits (a string, below), not by its double
    assert_whole(text, doc, skip=(".value",))
    for constant in doc["constants"]:
        assert constant["digits"] in NUMBER.findall(text)
    text = run(runner, width, "stats", "relu", "--format", "table")
    doc = json.loads(run(runner, width, "stats", "relu", "--format", "json"))
    assert_whole(text, doc)
    values = tmp_path / "gelu.csv"
    values.write_text(run(runner, width, "eval", "gelu", "--range", "-3", "3", "--steps", "13"))
    check = ["check", "gelu", str(values), "--dtype", "float32"]
    text = run(runner, width, *check, "--format", "table")
    doc = json.loads(run(runner, width, *check, "--format", "json"))
    assert_whole(text, doc)


@pytest.mark.slow
def test_every_info_code_line_is_printed_whole_at_80_columns(runner):
    """A wrapped line of code is a SyntaxError once pasted (prelu's keras2 layer was)."""
    for name in actcli.names():
        doc = json.loads(run(runner, 80, "info", name, "--format", "json"))
        lines = {line.strip() for line in run(runner, 80, "info", name).splitlines()}
        for framework, forms in doc["frameworks"].items():
            for form in ("function", "layer", "dense"):
                for line in forms.get(form, "").splitlines():
                    assert line.strip() in lines, (name, framework, form, line)


def test_fit_chooses_natural_wrapped_or_vertical():
    rows = [["gelu", "-0.16997120748 at -0.751791524694"], ["relu", "0 for x ≤ 0"]]
    assert render.fit(["property", "value"], rows, 80, boxed=True) == [None, None]
    # 3 per column and 1 more: 7 for two columns; the value column wraps between its words
    widths = render.fit(["property", "value"], rows, 7 + 8 + 20, boxed=True, keep_first=True)
    assert widths is not None and widths[0] == 8 and 15 <= widths[1] <= 20
    # the longest word of each column cannot stand side by side: no widths (blocks instead)
    assert render.fit(["property", "value"], rows, 7 + 8 + 14, boxed=True) is None
    assert render.fit(None, rows, 2 * 2 + 4 + 15, boxed=False) == [4, 15]


def test_a_table_too_wide_is_blocks_of_lines(tmp_path):
    from actcli.formats import Table

    data = Table(
        ["property", "gelu", "silu"],
        [["minimum", "-0.16997120748 at -0.751791524694", "-0.278464542761 at -1.27846"]],
        title="properties",
        meta={"caption": "a caption"},
    )
    path = Path(tmp_path / "out.txt")
    with path.open("w") as stream:
        out = render.console(stream, no_color=True)
        out.width = 30
        render.table(data, out)
    assert path.read_text().splitlines() == [
        "properties",
        "property: minimum",
        "  gelu: -0.16997120748 at",
        "      -0.751791524694",
        "  silu: -0.278464542761 at",
        "      -1.27846",
        "a caption",
    ]


# ours, not a user's: "issue 11", "catalog §4b.1"; an upstream "PyTorch issue 147801" or a
# paper's "arXiv:1606.08415 §2" is a reference a user can follow
INTERNAL = re.compile(
    r"(?<!PyTorch )issue \d+|catalog §|§\d+[a-z]|not in the catalog|tests/|reference/"
)


def test_info_text_from_render_and_explain_has_no_internal_references():
    """Section titles, labels and derived sentences speak to users."""
    from actcli import comparison, explain

    texts = [*explain.LABELS.values(), *comparison.LABELS.values(), *render.FORM_LABELS.values()]
    for name in actcli.names():
        texts += explain.explain(actcli.get(name)).get("problems", [])
    assert not [t for t in texts if INTERNAL.search(t)]


@pytest.mark.slow
def test_info_text_has_no_internal_references(runner):
    found = {}
    for name in actcli.names():
        text = run(runner, 100, "info", name)
        hits = sorted({m.group(0) for m in INTERNAL.finditer(text)})
        if hits:
            found[name] = hits
    assert not found


def test_fit_of_a_table_without_rows():
    assert render.fit(["x", "gelu"], [], 80, boxed=True) == [None, None]
    assert render.fit(None, [], 80, boxed=True) == []


def test_the_first_column_wraps_between_words_before_the_table_turns_vertical(runner):
    text = run(runner, 40, "stats", "relu", "--format", "table")
    assert "┃ quantity" in text and "│ saturated" in text  # its label on two lines
    doc = json.loads(run(runner, 40, "stats", "relu", "--format", "json"))
    assert_whole(text, doc)
