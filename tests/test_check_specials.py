"""check's special values: the sign of zero, ±inf and nan, a verdict of their own, apart from
the ULP statistics. Values are actcli's own (its output is the reference, exactly)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import actcli
from actcli.cli import app

GELU = actcli.get("gelu")


def test_the_sign_of_zero_is_judged_though_it_is_no_ulp_error():
    x = np.array([-0.0, 0.0, 1.0])
    y = np.array([0.0, 0.0, GELU(np.array([1.0]))[0]])  # gelu(−0) is −0
    report = actcli.check("gelu", x, y)
    assert (report.failed, report.max_ulp, report.passed) == (0, 0.0, False)
    line = "special values WRONG: sign of zero differs at x = -0.0: kernel +0, exact -0"
    assert report.special_values.line == line
    assert report.text().splitlines()[-2:] == [line, "passed: all 3 rows within 4 ULP"]
    (table,) = [t for t in report.tables() if t.title == "special values"]
    assert table.rows == [["sign of zero", "2", "1", "x = -0.0: kernel +0, exact -0"]]
    right = actcli.check("gelu", x, np.where(x == 0, x, y))
    assert (
        right.passed and right.special_values.line == "special values right (rows: sign of zero 2)"
    )
    assert [t.title for t in right.tables()][1:] == []  # right: a line, no table


def test_inf_and_nan_are_counted_apart_from_the_ulp_statistics():
    x = np.array([1.0, 2.0, 3.0, np.inf, np.nan, -np.inf])
    y = actcli.get("sigmoid")(x)
    y[1] = np.nan  # a nan where the reference is finite
    report = actcli.check("sigmoid", x, y, dtype="float64")
    assert report.max_ulp == 0 and report.failed == 0  # the finite rows are exact
    assert sum(b["count"] for b in report.bands) == 2  # x = 1 and 3 (±inf and nan x: no band)
    doc = report.document()["special_values"]
    assert doc["passed"] is False
    counts = {c["class"]: (c["rows"], c["wrong"]) for c in doc["classes"]}
    assert counts == {"zero": (1, 0), "inf": (0, 0), "nan": (2, 1)}  # sigmoid(−inf) = 0
    assert doc["classes"][2]["message"] == "nan wrong at x = 2.0: kernel nan, exact 0.881"
    assert doc["classes"][2]["example"]["x"] == 2.0


def test_inf_beyond_the_range_of_the_dtype_is_right():
    x = np.array([89.0, 88.0, 1.0], dtype=np.float32)
    y = actcli.get("exponential")(x).astype(np.float64)  # e^89 > float32's largest: inf
    assert y[0] == np.inf
    report = actcli.check("exponential", x.astype(np.float64), y, dtype="float32", tol=0.5)
    assert report.passed and report.special_values.line == "special values right (rows: ±inf 1)"
    y[1] = np.inf  # e^88 is a float32 number: inf is wrong
    wrong = actcli.check("exponential", x.astype(np.float64), y, dtype="float32")
    assert wrong.special_values.line == (
        "special values WRONG: ±inf wrong at x = 88.0: kernel +inf, exact 1.65e+38"
    )
    assert not wrong.passed and wrong.failed == 0


@pytest.mark.slow  # (ml_dtypes' first import)
def test_a_format_without_negative_zero_has_no_sign_to_get_wrong():
    x = np.array([-0.0, 0.0, 1.0])
    y = np.array([0.0, 0.0, 0.0])
    report = actcli.check("relu", x, np.where(x > 0, 1.0, y), dtype="float8_e4m3fnuz")
    assert report.special_values.passed


def test_the_command_fails_on_a_wrong_special_value(runner):
    result = runner.invoke(app, ["check", "gelu", "-"], input="x,y\n-0.0,0.0\n2,nan\n")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: special values WRONG: sign of zero differs at x = -0.0: kernel +0, exact -0; "
        "nan wrong at x = 2.0: kernel nan, exact 1.95\n"
    )
    doc = json.loads(
        runner.invoke(app, ["check", "gelu", "-", "-f", "json"], input="x,y\n-0.0,-0.0\n").stdout
    )
    assert doc["passed"] is True and doc["special_values"]["passed"] is True
