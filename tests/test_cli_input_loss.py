"""Inputs that were once read wrong without a word (issue 22): through the installed
``actcli`` in real pipes, each either read right or refused with one line and exit 1 or 2."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import numpy as np
import pytest

from test_cli_input import ACTCLI, ENV, actcli, ok


def shell(command: str) -> subprocess.CompletedProcess[str]:
    """``command`` run by sh, with ``actcli`` standing for the installed command."""
    assert ACTCLI is not None
    line = command.replace("actcli", shlex.quote(ACTCLI))
    return subprocess.run(
        ["sh", "-c", line], capture_output=True, text=True, env=ENV, timeout=120, check=False
    )


@pytest.mark.parametrize(
    "data",
    [b"x\r1\r-2\r3\r", b"1\r-2\r3", b"x\r\n1\r-2\n3\r\n", b"\xef\xbb\xbfx\r1\r-2\r3\r"],
)
@pytest.mark.slow
def test_a_lone_carriage_return_ends_a_line(data):
    assert ok("eval", "relu", stdin=data) == "x,relu\n1.0,1.0\n-2.0,0.0\n3.0,3.0\n"


@pytest.mark.slow
def test_a_lone_carriage_return_ends_a_row_of_csv_too():
    data = b"x,y\r1,2\r3,-4\r"
    assert ok("eval", "relu", "--column", "y", stdin=data) == "x,relu\n2.0,2.0\n-4.0,0.0\n"
    n = 60_000  # large blocks go through polars
    data = ("x,y\r" + "".join(f"{i},{-i}\r" for i in range(n))).encode()
    out = ok("eval", "relu", "--column", "y", stdin=data).splitlines()
    assert len(out) == n + 1 and out[-1] == f"{-(n - 1)}.0,0.0"


@pytest.mark.slow
@pytest.mark.parametrize("rows", [1, 60_000])
@pytest.mark.parametrize("bad", ["1,5,2,5", "1,5"])
def test_a_ragged_row_is_refused_with_column_as_without(rows, bad):
    lines = [f"{i},{-i},{i}" for i in range(rows)]
    lines[rows // 2] = bad
    data = ("x,y,z\n" + "\n".join(lines) + "\n").encode()
    width = len(bad.split(","))
    for name, *column in (("relu", "--column", "y"), ("relu", "--column", "2"), ("softmax",)):
        result = actcli("eval", name, *column, stdin=data)
        assert (result.returncode, result.stdout) == (1, ""), result
        assert result.stderr == f"error: line {rows // 2 + 2} has {width} fields, the others 3\n"


@pytest.mark.slow
def test_a_ragged_row_beside_a_column_of_labels_is_refused():
    lines = [f"{i},label {i}" for i in range(60_000)]
    lines[123] = "5,"
    lines[124] = "6"
    data = ("x,name\n" + "\n".join(lines) + "\n").encode()
    result = actcli("eval", "relu", "--column", "x", stdin=data)
    assert (result.returncode, result.stderr) == (1, "error: line 126 has 1 fields, the others 2\n")


def test_a_short_header_holds_the_rows_to_its_width():
    result = actcli("eval", "relu", "--column", "y", stdin=b"x,y\n1,5,2,5\n")
    assert (result.returncode, result.stderr) == (1, "error: line 2 has 4 fields, the others 2\n")


@pytest.mark.slow
@pytest.mark.parametrize("column", ["y", "x"])
def test_a_quoted_field_spanning_lines_is_a_bad_number(column):
    result = actcli("eval", "relu", "--column", column, stdin=b'x,y\n1,"2\n3"\n')
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "error: bad number '\"2' at line 2, column 2 "
        "(a quoted field must close on the line it opens on)\n"
    )


@pytest.mark.slow
def test_a_numpy_file_of_three_dimensions_is_refused(tmp_path: Path):
    path = tmp_path / "a3d.npy"
    np.save(path, np.arange(8.0).reshape(2, 2, 2))
    for name in ("softmax", "relu"):
        result = actcli("eval", name, "--input", str(path))
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == (
            f"error: --input: {path}: an array of shape (2, 2, 2); actcli reads 1-D arrays "
            "(values) and 2-D ones (rows)\n"
        )


@pytest.mark.slow
@pytest.mark.parametrize("marker", ["NA", "n/a", "NULL", "None", "?", "NaN(123)", '"NA"'])
def test_a_first_row_that_is_a_missing_value_is_nan_not_a_header(marker):
    result = actcli("eval", "relu", stdin=f"{marker}\n1\n-2\n".encode())
    assert (result.returncode, result.stdout) == (0, "x,relu\nnan,nan\n1.0,1.0\n-2.0,0.0\n")
    assert result.stderr == (
        f"warning: standard input, line 1: {marker!r} read as nan "
        "(a missing value, not a column name)\n"
    )


@pytest.mark.slow
def test_a_name_in_the_first_row_stays_a_header():
    assert ok("eval", "relu", stdin=b"logit\n1\n") == "x,relu\n1.0,1.0\n"
    assert ok("eval", "relu", "--column", "NA", stdin=b"NA\n1\n") == "x,relu\n1.0,1.0\n"
    vector = actcli("eval", "softmax", "--format", "jsonl", stdin=b"NA\n1\n")
    assert vector.returncode == 0 and '"x": "nan"' in vector.stdout


@pytest.mark.slow
def test_eval_reads_its_own_numpy_output_back(tmp_path: Path):
    npy, npz = tmp_path / "x.npy", tmp_path / "x.npz"
    for path in (npy, npz):
        shell(f"actcli eval relu -1 0 2 -o {path}").check_returncode()
    assert ok("eval", "relu", "--input", str(npy), "--column", "2") == (
        "x,relu\n0.0,0.0\n0.0,0.0\n2.0,2.0\n"
    )
    assert ok("eval", "relu", "--input", str(npy), "--column", "1") == (
        "x,relu\n-1.0,0.0\n0.0,0.0\n2.0,2.0\n"
    )
    assert ok("eval", "relu", "--input", str(npz), "--column", "y") == (
        "x,relu\n0.0,0.0\n0.0,0.0\n2.0,2.0\n"
    )
    assert ok("eval", "relu", "--input", str(npz)) == "x,relu\n-1.0,0.0\n0.0,0.0\n2.0,2.0\n"
    for path, column, message in (
        (npy, "3", "--column: no column 3: x.npy holds an array of shape (3, 2)"),
        (npy, "y", "--column: 'y': a .npy file has no column names; give a 1-based index"),
        (npz, "z", f"--column: no array 'z' in {npz} (it holds x, y)"),
    ):
        result = actcli("eval", "relu", "--input", str(path), "--column", column)
        assert (result.returncode, result.stderr) == (2, f"error: {message}\n")


@pytest.mark.slow
@pytest.mark.parametrize("command", ["eval relu 1", "diff relu 1", "eval softmax 1 2"])
def test_a_closed_stdin_does_not_matter_when_values_are_given(command):
    result = shell(f"actcli {command} <&-")
    assert (result.returncode, result.stderr) == (0, ""), result
    assert result.stdout.startswith(("x,", "x,d"))


@pytest.mark.slow
def test_a_closed_stdin_is_no_input_or_a_clear_error():
    result = shell("actcli eval relu <&-")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("error: no input: give VALUES, --range or --input")
    result = shell("actcli eval relu - <&-")
    assert (result.returncode, result.stderr) == (
        1,
        "error: cannot read standard input: it is closed\n",
    )


@pytest.mark.xfail(
    strict=True,
    reason="CPython itself stops at start-up when stdin is a directory (init_sys_streams: "
    "'Fatal Python error'), before any of actcli runs; only a non-Python launcher could say it",
)
def test_a_directory_on_stdin_is_one_clear_line(tmp_path: Path):
    result = shell(f"actcli eval relu < {shlex.quote(str(tmp_path))}")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result


@pytest.mark.slow
def test_a_directory_as_input_is_one_clear_line(tmp_path: Path):
    for name in ("d", "d.npy"):
        (tmp_path / name).mkdir()
        result = actcli("eval", "relu", "--input", str(tmp_path / name))
        assert result.returncode == 1 and result.stderr.startswith("error: "), result
        assert result.stderr.count("\n") == 1 and "Is a directory" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".npz", ".npy"])
def test_a_truncated_numpy_file_is_a_data_error(tmp_path: Path, suffix: str):
    whole, cut = tmp_path / f"whole{suffix}", tmp_path / f"cut{suffix}"
    (np.savez if suffix == ".npz" else np.save)(whole, np.arange(100.0))
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    result = actcli("eval", "relu", "--input", str(cut))
    assert (result.returncode, result.stdout) == (1, ""), result
    assert result.stderr.startswith(f"error: --input: {cut}: ") and "internal" not in result.stderr


def _wide(*values: str) -> np.ndarray:
    return np.array([np.longdouble(v) for v in values])


@pytest.mark.skipif(np.finfo(np.longdouble).maxexp <= 1024, reason="longdouble is float64 here")
def test_longdouble_beyond_float64_is_inf_or_zero_and_counted_without_numpys_warning(tmp_path):
    """A longdouble .npy holding 1e4000 read as inf with numpy's RuntimeWarning (from its
    cast) instead of the count the text path gives (issue 22 §4). CliRunner: pytest makes any
    floating-point warning an error, which the boundary would report as an internal error."""
    from typer.testing import CliRunner

    from actcli.cli import app

    np.save(tmp_path / "x.npy", _wide("1e4000", "-1e4000", "1.5", "1e-4000"))
    np.savez(tmp_path / "x.npz", x=_wide("1e4000", "2"))
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "relu", "--input", str(tmp_path / "x.npy")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "x,relu\ninf,inf\n-inf,0.0\n1.5,1.5\n0.0,0.0\n"
    assert result.stderr == (
        "warning: 2 input value(s) overflowed to ±inf in float64\n"
        "warning: 1 nonzero input value(s) flushed to zero in float64\n"
    )
    result = runner.invoke(app, ["eval", "relu", "--input", str(tmp_path / "x.npz")])
    assert result.stdout == "x,relu\ninf,inf\n2.0,2.0\n"
    assert result.stderr == "warning: 1 input value(s) overflowed to ±inf in float64\n"


@pytest.mark.skipif(np.finfo(np.longdouble).maxexp <= 1024, reason="longdouble is float64 here")
@pytest.mark.parametrize("suffix", [".npy", ".npz"])
def test_check_reads_longdouble_pairs_without_numpys_warning(tmp_path, suffix):
    from typer.testing import CliRunner

    from actcli.cli import app

    x, y = _wide("1e4000", "-1e4000", "2", "-3"), _wide("1e4000", "0", "2", "0")
    path = tmp_path / f"t{suffix}"
    if suffix == ".npy":
        np.save(path, np.stack([x, y], axis=1))
    else:
        np.savez(path, x=x, y=y)
    result = CliRunner().invoke(app, ["check", "relu", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "passed: all 4 rows" in result.stdout


def test_the_api_takes_longdouble_beyond_float64_without_a_warning():
    import actcli

    x = _wide("1e4000", "-1e4000", "0.5")
    np.testing.assert_array_equal(actcli.get("relu")(x), [np.inf, 0.0, 0.5])
    assert actcli.get("gelu").derivative(x)[0] == 1.0
