"""actcli eval and diff through typer's CliRunner: exact stdout, stderr apart, exit codes."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import actcli
from actcli.cli import app
from actcli.formats import format_number


def run(runner, *args, input=None, env=None):
    return runner.invoke(app, list(args), input=input, env=env)


def test_negative_values_are_values(runner):
    result = run(runner, "eval", "relu", "-2", "-1", "0", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "x,relu\n-2.0,0.0\n-1.0,0.0\n0.0,0.0\n1.0,1.0\n"
    assert result.stderr == ""


def test_special_values_as_arguments(runner):
    result = run(runner, "eval", "sigmoid", "-inf", "-Infinity", "nan", "inf", "-1e-3")
    assert result.stdout.splitlines()[1:] == [
        "-inf,0.0", "-inf,0.0", "nan,nan", "inf,1.0", "-0.001,0.4997500000208333",
    ]  # fmt: skip


def test_softmax_of_a_vector(runner):
    result = run(runner, "eval", "softmax", "1", "2", "3")
    lines = result.stdout.splitlines()
    assert lines[0] == "x,softmax" and [line.split(",")[0] for line in lines[1:]] == [
        "1.0",
        "2.0",
        "3.0",
    ]
    # within 2 ULP of the exact values (np.exp's last bit is the CPU's: no byte-exact test)
    exact = [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
    got = [float(line.split(",")[1]) for line in lines[1:]]
    assert all(abs(g - e) <= 2 * math.ulp(e) for g, e in zip(got, exact, strict=True))


def test_range_and_steps(runner):
    result = run(runner, "eval", "relu", "--range", "-5", "5", "--steps", "3")
    assert result.stdout == "x,relu\n-5.0,0.0\n0.0,0.0\n5.0,5.0\n"
    reversed_ = run(runner, "eval", "relu", "--range", "1", "-1", "-n", "3")
    assert reversed_.stdout == "x,relu\n1.0,1.0\n0.0,0.0\n-1.0,0.0\n"
    default = run(runner, "eval", "identity", "--range", "0", "1")
    assert len(default.stdout.splitlines()) == 12  # header + 11 points


@pytest.mark.parametrize("steps", ["0", "-3", "100000001"])
def test_steps_out_of_bounds(runner, steps):
    result = run(runner, "eval", "relu", "--range", "0", "1", "--steps", steps)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--steps: must be between 1 and 100000000" in result.stderr


def test_stdin_tolerates_crlf_blanks_spaces_and_specials(runner):
    data = "1\r\n\n  -2  \n nan\nINF\n-Infinity\n\n"
    result = run(runner, "eval", "relu", input=data)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "x,relu", "1.0,1.0", "-2.0,0.0", "nan,nan", "inf,inf", "-inf,0.0",
    ]  # fmt: skip


def test_dash_reads_stdin(runner):
    assert run(runner, "eval", "relu", "-", input="3\n").stdout == "x,relu\n3.0,3.0\n"


def test_bad_number_names_its_line(runner):
    result = run(runner, "eval", "relu", input="1\n\nabc\n3\n")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: bad number 'abc' at line 3"


def test_bad_argument_names_its_position(runner):
    result = run(runner, "eval", "relu", "1", "abc")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "error: bad number 'abc' at argument 2"


def test_unknown_option_is_a_usage_error(runner):
    result = run(runner, "eval", "relu", "1", "--rnage", "2")
    assert result.exit_code == 2
    assert "No such option: --rnage" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_activation(runner):
    result = run(runner, "eval", "gleu", "1")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown activation 'gleu'; did you mean")
    assert len(result.stderr.strip().splitlines()) == 1


def test_empty_input_gives_the_header(runner):
    result = run(runner, "eval", "relu", input="")
    assert result.exit_code == 0
    assert result.stdout == "x,relu\n"


def test_conflicting_inputs(runner):
    result = run(runner, "eval", "relu", "1", "--range", "0", "1")
    assert result.exit_code == 2
    assert result.stderr == "error: give the input one way, not VALUES and --range\n"


def test_csv_column_by_name_and_index(runner, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,-2\n-3,4\n", encoding="utf-8")
    by_name = run(runner, "eval", "relu", "--input", str(path), "--column", "b")
    assert by_name.stdout == "x,relu\n-2.0,0.0\n4.0,4.0\n"
    by_index = run(runner, "eval", "relu", "--input", str(path), "--column", "1")
    assert by_index.stdout == "x,relu\n1.0,1.0\n-3.0,0.0\n"
    tsv = run(runner, "eval", "relu", "--column", "2", "--no-header", input="1\t-2\n3\t4\n")
    assert tsv.stdout == "-2.0,0.0\n4.0,4.0\n"


def test_csv_errors(runner, tmp_path):
    missing = run(runner, "eval", "relu", "--input", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: --input: cannot read")
    no_column = run(runner, "eval", "relu", "--column", "z", input="a,b\n1,2\n")
    assert no_column.exit_code == 2
    assert "--column: no column 'z' (columns: a, b)" in no_column.stderr
    too_far = run(runner, "eval", "relu", "--column", "5", input="a,b\n1,2\n")
    assert too_far.exit_code == 2
    two_columns = run(runner, "eval", "relu", input="a,b\n1,2\n")
    assert two_columns.exit_code == 2
    assert "pick one column" in two_columns.stderr
    bad_cell = run(runner, "eval", "relu", "--column", "b", input="a,b\n1,2\n3,x\n")
    assert bad_cell.exit_code == 1
    assert bad_cell.stderr.strip() == "error: bad number 'x' at line 3, column 2"


def test_rows_are_vectors(runner):
    result = run(runner, "eval", "softmax", "--no-header", input="0,0\n1000,0\n")
    assert result.stdout == "0.5,0.5\n1.0,0.0\n"
    gated = run(runner, "eval", "glu", "1", "0")
    assert gated.stdout == "i,glu\n1,0.5\n"


def test_formats(runner):
    tsv = run(runner, "eval", "relu", "-1", "2", "--format", "tsv")
    assert tsv.stdout == "x\trelu\n-1.0\t0.0\n2.0\t2.0\n"
    jsonl = run(runner, "eval", "relu", "2", "nan", "--format", "jsonl")
    assert jsonl.stdout == '{"x": 2.0, "relu": 2.0}\n{"x": "nan", "relu": "nan"}\n'
    doc = json.loads(
        run(runner, "eval", "leaky_relu", "-1", "-p", "alpha=0.5", "-f", "json").stdout
    )
    assert doc["rows"] == [{"x": -1.0, "leaky_relu": -0.5}]
    assert doc["params"] == {"negative_slope": 0.5}
    assert (doc["activation"], doc["dialect"], doc["dtype"]) == ("leaky_relu", "torch", "float64")
    precise = run(runner, "eval", "gelu", "1", "--precision", "4")
    assert precise.stdout == "x,gelu\n1.0,0.8413\n"  # x is never rounded
    bare = run(runner, "eval", "relu", "1", "--no-header")
    assert bare.stdout == "1.0,1.0\n"


def test_table_at_pinned_width(runner):
    result = run(runner, "eval", "gelu", "1", "2", "--format", "table")
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "gelu(approximate=none) · dialect torch · float64"
    assert "0.8413447460685429" in result.stdout
    assert max(map(len, lines)) <= 100


def test_parameters_dialects_and_notes(runner):
    spec = run(runner, "eval", "leaky_relu:negative_slope=0.2", "-1")
    assert spec.stdout == "x,leaky_relu\n-1.0,-0.2\n"
    jax = run(runner, "diff", "leaky_relu", "0", "--dialect", "jax")
    assert jax.stdout == "x,dleaky_relu\n0.0,1.0\n"
    note = run(runner, "eval", "leaky_relu", "-1", "--param", "alpha=0.5")
    assert note.stderr == "note: leaky_relu: parameter 'alpha' read as 'negative_slope'\n"
    bad = run(runner, "eval", "softplus", "1", "--param", "beta=-1")
    assert bad.exit_code == 2
    assert "'beta' must be a finite number > 0" in bad.stderr
    malformed = run(runner, "eval", "softplus", "1", "--param", "beta")
    assert malformed.exit_code == 2
    unknown = run(runner, "eval", "relu", "1", "--dialect", "mxnet")
    assert unknown.exit_code == 2
    assert "unknown dialect 'mxnet'" in unknown.stderr


def test_dtype_rounding_and_warnings(runner):
    result = run(runner, "eval", "exponential", "0.1", "100", "--dtype", "float16")
    assert result.exit_code == 0
    # x as the float16 value evaluated (float16(0.1) = 0.0999755859375), y in float16's shortest
    assert result.stdout == "x,exponential\n0.0999755859375,1.105\n100.0,inf\n"
    assert result.stderr == "warning: 1 result(s) overflowed to ±inf in float16\n"
    flushed = run(runner, "eval", "sigmoid", "-200", "--dtype", "float32")
    assert flushed.stderr == "warning: 1 nonzero result(s) flushed to zero in float32\n"
    bf = run(runner, "eval", "identity", "1.01", "--dtype", "bfloat16")
    assert (
        bf.stdout == "x,identity\n1.0078125,1.01\n"
    )  # x exact, y the shortest that reads back as its bfloat16
    inputs = run(runner, "eval", "relu", "70000", "1e-8", "--dtype", "float16")
    assert inputs.stdout == "x,relu\ninf,inf\n0.0,0.0\n"
    assert inputs.stderr == (
        "warning: 1 input value(s) overflowed to ±inf in float16\n"
        "warning: 1 nonzero input value(s) flushed to zero in float16\n"
    )


def test_diff_orders_and_jacobian(runner):
    assert (
        run(runner, "diff", "relu", "-1", "0", "1").stdout
        == "x,drelu\n-1.0,0.0\n0.0,0.0\n1.0,1.0\n"
    )
    second = run(runner, "diff", "silu", "0", "--order", "2")
    assert second.stdout == "x,d2silu\n0.0,0.5\n"
    jac = run(runner, "diff", "softmax", "0", "0")
    assert jac.stdout == "i,x_1,x_2\n1,0.25,-0.25\n2,-0.25,0.25\n"
    order2 = run(runner, "diff", "softmax", "1", "2", "--order", "2")
    assert order2.exit_code == 2 and "not --order 2" in order2.stderr
    huge = run(runner, "diff", "softmax", "--range", "0", "1", "--steps", "100000")
    assert huge.exit_code == 2 and "too large" in huge.stderr
    rows = run(runner, "diff", "softmax", "--no-header", input="1,2\n3,4\n")
    assert rows.exit_code == 2
    assert "one vector" in rows.stderr
    assert run(runner, "diff", "relu", "1", "--order", "3").exit_code == 2


def test_softmax_shortcuts(runner):
    limit = run(runner, "eval", "softmax", "inf", "0", "--inf-policy", "limit")
    assert limit.stdout == "x,softmax\ninf,1.0\n0.0,0.0\n"
    nan = run(runner, "eval", "softmax", "inf", "0")
    assert nan.stdout == "x,softmax\ninf,nan\n0.0,nan\n"
    hot = run(runner, "eval", "softmax", "2", "4", "--temperature", "2", "--no-header")
    cold = run(runner, "eval", "softmax", "1", "2", "--no-header")
    assert [r.split(",")[1] for r in hot.stdout.split()] == [
        r.split(",")[1] for r in cold.stdout.split()
    ]
    misuse = run(runner, "eval", "relu", "1", "--temperature", "2")
    assert misuse.exit_code == 2


def test_numeric_first_row_is_data_not_a_header(runner):
    one = run(runner, "eval", "relu", "--column", "1", input="1\n2\n3\n")
    assert one.stdout == "x,relu\n1.0,1.0\n2.0,2.0\n3.0,3.0\n"
    rows = run(runner, "eval", "softmax", input="0,0\n1000,0\n")
    assert rows.stdout == "softmax_1,softmax_2\n0.5,0.5\n1.0,0.0\n"
    named = run(runner, "eval", "relu", "--column", "x", input="1,2\n")
    assert named.exit_code == 2 and "the first row is numbers, not a header" in named.stderr


def test_bom_ragged_rows_and_odd_line_breaks(runner):
    bom = run(runner, "eval", "relu", "--column", "x", input="\ufeffx,y\n-1,2\n")
    assert bom.stdout == "x,relu\n-1.0,0.0\n"
    ragged = run(runner, "eval", "softmax", input="a,b\n1,2\n3,4,5\n")
    assert ragged.exit_code == 1
    assert ragged.stderr.strip() == "error: line 3 has 3 fields, the others 2"
    vt = run(runner, "eval", "relu", input="1\x0b2\n3\n")  # only \n ends a line
    assert vt.exit_code == 1 and "at line 1" in vt.stderr


def test_options_the_input_would_ignore_are_errors(runner):
    for args, message in [
        (["eval", "relu", "5", "--steps", "3"], "error: --steps: only with --range\n"),
        (["eval", "relu", "1", "--column", "x"], "--column: only with --input or standard input"),
        (["eval", "relu", "-", "5"], "give numbers or '-', not both"),
        (["eval", "relu", "-", "--range", "0", "1"], "give the input one way"),
    ]:
        result = run(runner, *args)
        assert result.exit_code == 2, args
        assert message in result.stderr, args


def test_negative_numbers_after_options_with_attached_values(runner):
    assert run(runner, "eval", "relu", "--format=csv", "-5").stdout == "x,relu\n-5.0,0.0\n"
    jax = run(runner, "eval", "leaky_relu", "--dialect=jax", "-1", "-fcsv")
    assert jax.stdout == "x,leaky_relu\n-1.0,-0.01\n"
    both = run(runner, "eval", "relu", "--range", "-5", "-1", "-n", "2")
    assert both.stdout == "x,relu\n-5.0,0.0\n-1.0,0.0\n"


def test_huge_ranges_and_vectors(runner):
    wide = run(runner, "eval", "relu", "--range", "-1e308", "1e308", "--steps", "3")
    assert wide.stdout == "x,relu\n-1e+308,0.0\n0.0,0.0\n1e+308,1e+308\n"
    assert wide.stderr == ""
    std = run(runner, "eval", "standardize", "1e308", "1.5e308", "1.7e308", "--no-header")
    assert [line.split(",")[1] for line in std.stdout.split()] == [
        "-1.3587324409735149",
        "0.3396831102433788",
        "1.019049330730136",
    ]  # fmt: skip  (correctly rounded: standardize uses no CPU-dispatched function)
    assert run(runner, "eval", "softmax", input="").stdout == "x,softmax\n"


def test_debug_shows_the_traceback_and_keeps_the_status(runner, monkeypatch):
    from actcli.cli import boundary

    monkeypatch.setattr(boundary, "DEBUG", True)  # what ACTCLI_DEBUG=1 sets, read at import
    result = run(runner, "eval", "nosuch", "1")
    assert result.exit_code == 2  # a usage error stays one
    assert "Traceback" in result.stderr and "UnknownActivationError" in result.stderr


def test_no_input_at_a_terminal_is_a_usage_error(runner, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    result = run(runner, "eval", "relu")
    assert result.exit_code in (0, 2)  # CliRunner replaces stdin; the message is what matters
    if result.exit_code == 2:
        assert "no input" in result.stderr


finite = st.floats(allow_nan=True, allow_infinity=True, width=64)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=1, max_size=30))
def test_any_floats_survive_csv_through_the_cli(values):
    """csv in → actcli → csv out: x read back exactly, y equal to the API's to the bit."""
    from typer.testing import CliRunner

    text = "".join(format_number(v) + "\n" for v in values)
    result = CliRunner().invoke(app, ["eval", "gelu"], input=text)
    assert result.exit_code == 0, result.stderr
    rows = [line.split(",") for line in result.stdout.splitlines()[1:]]
    xs = np.array([float(r[0]) for r in rows])
    ys = np.array([float(r[1]) for r in rows])
    np.testing.assert_array_equal(xs, np.array(values))
    np.testing.assert_array_equal(ys, actcli.get("gelu")(np.array(values)))


def test_format_number_is_shortest_round_trip():
    for v in (0.1, 1e-5, 2.5e-5, 1e-7, 1e16, -0.0, 5e-324, 1.7976931348623157e308):
        assert float(format_number(v)) == v
    assert format_number(2.5e-5) == "0.000025"
    assert format_number(1e-7) == "1e-7"
    assert math.isnan(float(format_number(float("nan"))))


def test_param_keys_given_twice_or_dialect_are_usage_errors(runner):
    for args, message in [
        (["-p", "alpha=0.2", "-p", "alpha=0.3"], "error: --param alpha given twice\n"),
        (
            ["-p", "dialect=jax"],
            "error: --param dialect=...: use --dialect (or NAME:dialect=... for one)\n",
        ),
    ]:
        result = runner.invoke(app, ["eval", "leaky_relu", "-1", *args])
        assert (result.exit_code, result.stderr) == (2, message)
    twice = runner.invoke(app, ["eval", "leaky_relu:alpha=0.1,alpha=0.2", "-1"])
    assert twice.exit_code == 2 and "'alpha' given twice" in twice.stderr


def test_numbers_beyond_float64_are_reported_not_silently_changed(runner):
    result = runner.invoke(app, ["eval", "relu", "1e400", "1e-400", "1"])
    assert result.stdout == "x,relu\ninf,inf\n0.0,0.0\n1.0,1.0\n"
    assert result.stderr == (
        "warning: 1 input value(s) overflowed to ±inf in float64\n"
        "warning: 1 nonzero input value(s) flushed to zero in float64\n"
    )
    piped = runner.invoke(app, ["eval", "relu", "--column", "y"], input="x,y\n1e999,1\n")
    assert piped.exit_code == 0 and "overflowed" not in piped.stderr  # not the column read


def test_vector_activations_read_rows_or_columns_as_vectors(runner):
    table = "a,b\n1,2\n3,4\n5,6\n"
    rows = run(runner, "eval", "softmax", "--no-header", input=table).stdout.splitlines()
    assert rows[0] == "0.2689414213699951,0.7310585786300049"  # softmax([1, 2])
    columns = run(runner, "eval", "softmax", "--axis", "columns", "--no-header", input=table)
    first = [float(line.split(",")[0]) for line in columns.stdout.splitlines()]
    np.testing.assert_array_equal(first, actcli.get("softmax")(np.array([1.0, 3.0, 5.0])))


def test_json_of_a_narrow_overflow_is_a_string(runner):
    result = runner.invoke(
        app, ["eval", "exponential", "100", "1", "--dtype", "bfloat16", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert rows == [{"x": 100.0, "exponential": "inf"}, {"x": 1.0, "exponential": 2.72}]
