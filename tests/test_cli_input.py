"""The input users expect, through the installed ``actcli`` in real pipes: only stdout,
stderr and the exit status are looked at."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

ACTCLI = shutil.which("actcli")
assert ACTCLI, "actcli is not on PATH: pip install -e '.[test]' first"  # missing is a failure
ENV = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}


def actcli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """The command with ``stdin`` on a real pipe, and its output decoded."""
    assert ACTCLI is not None
    done = subprocess.run(
        [ACTCLI, *args], input=stdin, capture_output=True, env=ENV, timeout=120, check=False
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def ok(*args: str, stdin: bytes = b"") -> str:
    result = actcli(*args, stdin=stdin)
    assert (result.returncode, result.stderr) == (0, ""), result
    return result.stdout


def test_a_single_column_with_a_header():
    assert ok("eval", "sigmoid", stdin=b"logit\n1\n-2\n") == (
        "x,sigmoid\n1.0,0.7310585786300049\n-2.0,0.11920292202211756\n"
    )  # σ(−2) correctly rounded (…755 was 0.66 ULP off)
    assert ok("eval", "relu", stdin=b"1\n-2\n") == "x,relu\n1.0,1.0\n-2.0,0.0\n"  # data


def test_a_later_non_number_is_still_a_bad_number():
    result = actcli("eval", "relu", stdin=b"logit\n1\nlogit\n")
    assert result.returncode == 1
    assert result.stderr == "error: bad number 'logit' at line 3\n"


@pytest.mark.slow
def test_whitespace_columns_by_name_and_index(tmp_path: Path):
    path = tmp_path / "v.txt"
    np.savetxt(path, [[1.5, -2.0], [-3.0, 4.0]], delimiter=" ", header="a b")
    assert ok("eval", "relu", "--input", str(path), "--column", "b") == (
        "x,relu\n-2.0,0.0\n4.0,4.0\n"
    )
    awk = b"  x    y\n  1.5  -2\n -3\t  4  \n"
    assert ok("eval", "relu", "--column", "1", stdin=awk) == "x,relu\n1.5,1.5\n-3.0,0.0\n"
    assert ok("eval", "relu", "--column", "y", stdin=awk) == "x,relu\n-2.0,0.0\n4.0,4.0\n"


def test_comment_lines_are_skipped():
    data = b"# exported by hand\nx,y\n# a note\n1,2\n\n  # another\n3,-4\n"
    assert ok("eval", "relu", "--column", "y", stdin=data) == "x,relu\n2.0,2.0\n-4.0,0.0\n"


def test_quoted_csv_fields():
    data = b'"name","x"\n"a","1.5"\n"b","-2"\n'
    assert ok("eval", "relu", "--column", "x", stdin=data) == "x,relu\n1.5,1.5\n-2.0,0.0\n"


@pytest.mark.slow
def test_the_minus_sign_actcli_prints_is_a_minus():
    minus = "\u2212"
    assert ok("eval", "relu", f"{minus}2", "1") == "x,relu\n-2.0,0.0\n1.0,1.0\n"
    assert ok("eval", "relu", stdin=f"{minus}3\n{minus}1e-2\n".encode()) == (
        "x,relu\n-3.0,0.0\n-0.01,0.0\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("via", ["--input", "stdin"])
def test_a_binary_file_is_named_as_one(tmp_path: Path, via: str):
    buffer = io.BytesIO()
    np.save(buffer, np.arange(3.0))
    path = tmp_path / "x.dat"  # a .npy by its content; by its name, numpy's reader takes it
    path.write_bytes(buffer.getvalue())
    if via == "--input":
        result = actcli("eval", "relu", "--input", str(path))
    else:
        result = actcli("eval", "relu", stdin=buffer.getvalue())
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "this looks like a binary file (.npy), not text" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_range_points_are_the_decimals_typed():
    out = ok("eval", "identity", "--range", "-1", "1", "--steps", "11", "--no-header")
    xs = [line.split(",")[0] for line in out.splitlines()]
    assert xs == ["-1.0", "-0.8", "-0.6", "-0.4", "-0.2", "0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]


@pytest.mark.slow
def test_a_number_where_the_name_goes_is_a_usage_error():
    for args, shown in ((("1", "2"), "'1'"), (("-1", "2"), "'-1'")):
        out = actcli("eval", *args)
        assert out.returncode == 2
        assert out.stderr == (
            f"error: NAME is missing: {shown} is a number (actcli list shows the names)\n"
        )


@pytest.mark.slow
def test_a_formula_must_contain_x():
    out = actcli("eval", "2+3", "1")
    assert out.returncode == 2
    assert "has no x: a formula is a function of x" in out.stderr
    assert ok("eval", "x+3", "1") == "x,x+3\n1.0,4.0\n"


@pytest.mark.slow
def test_no_input_at_a_terminal_names_the_flags():
    import pty

    primary, secondary = pty.openpty()
    with os.fdopen(primary, "rb", buffering=0):
        out = subprocess.run(
            [ACTCLI, "eval", "relu"], stdin=secondary, capture_output=True, timeout=60, check=False
        )
    os.close(secondary)
    assert out.returncode == 2
    assert out.stderr == b"error: no input: give VALUES, --range or --input, or pipe numbers in\n"


@pytest.mark.slow
def test_numpy_files_in_and_out(tmp_path):
    """A golden table for a kernel's tests is one command, and check reads it back."""
    golden = tmp_path / "golden.npz"
    made = actcli("eval", "gelu", "--range", "-3", "3", "--steps", "7", "--dtype", "float32",
                  "-o", str(golden))  # fmt: skip
    assert (made.returncode, made.stdout) == (0, "")
    assert made.stderr == f"wrote 7 rows to {golden}\n"
    with np.load(golden) as arrays:
        assert arrays.files == ["x", "y"] and arrays["y"].dtype == np.float32
        x, y = arrays["x"], arrays["y"]
    assert ok("check", "gelu", str(golden), "--dtype", "float32", "--tol", "0.5").startswith("gelu")
    table = tmp_path / "table.npy"
    assert actcli("eval", "relu", "-1", "2", "-o", str(table)).returncode == 0
    np.testing.assert_array_equal(np.load(table), [[-1.0, 0.0], [2.0, 2.0]])
    np.save(tmp_path / "x.npy", x)
    assert (
        ok("eval", "gelu", "--input", str(tmp_path / "x.npy")).splitlines()[1]
        == "-3.0,-0.0040496940948902835"  # correctly rounded
    )
    del y


@pytest.mark.slow
def test_numpy_files_that_are_not_numbers_are_refused(tmp_path):
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    refused = actcli("eval", "relu", "--input", str(tmp_path / "objects.npy"))
    assert refused.returncode == 1
    assert "Object arrays cannot be loaded when allow_pickle=False" in refused.stderr
    np.savez(tmp_path / "two.npz", a=np.zeros(2), b=np.ones(2))
    assert (
        "expected x; it holds a, b"
        in actcli("eval", "relu", "--input", str(tmp_path / "two.npz")).stderr
    )
    wrong = actcli("eval", "relu", "1", "-o", str(tmp_path / "out.csv"))
    assert (wrong.returncode, wrong.stderr) == (
        2,
        "error: -o out.csv: the suffix must be .npy or .npz (or drop -o for text)\n",
    )


@pytest.mark.slow
def test_a_long_exhaustive_sweep_says_its_count_first():
    piped = subprocess.run(
        f"'{ACTCLI}' eval relu --all float32 --range -1 1 | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", capture_output=True, timeout=120,
    )  # fmt: skip
    assert piped.stdout == b"x,relu\n"
    assert piped.stderr == b"note: --all float32 in that range is 2,130,706,434 values\n"
    assert piped.returncode == 0


@pytest.mark.slow
def test_numpy_files_claiming_too_much_are_refused_from_their_headers(tmp_path):
    import io
    import zipfile

    bomb = tmp_path / "bomb.npz"  # 10 GB declared, a few MB on disk
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("x.npy", "w", force_zip64=True) as member,
    ):
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(
            header, {"descr": "<f8", "fortran_order": False, "shape": (1_250_000_000,)}
        )
        member.write(header.getvalue())
        for _ in range(40):
            member.write(bytes(1 << 24))
    sparse = tmp_path / "sparse.npy"
    with open(sparse, "wb") as stream:
        np.lib.format.write_array_header_1_0(
            stream, {"descr": "<f8", "fortran_order": False, "shape": (10**9,)}
        )
        stream.truncate(8 * 10**9 + 128)
    cut = tmp_path / "cut.npy"
    np.save(cut, np.arange(1000.0))
    with open(cut, "r+b") as stream:
        stream.truncate(2000)
    for path, said in [
        (bomb, "671,088,768 bytes of arrays, over the 268,435,456 actcli reads whole"),
        (sparse, "8,000,000,000 bytes of arrays, over the 268,435,456 actcli reads whole"),
        (cut, "its header claims 8,000 bytes of data, the file holds 1,872 (cut short?)"),
    ]:
        out = subprocess.run(
            ["actcli", "eval", "relu", "--input", str(path)], capture_output=True, check=False
        )
        assert out.returncode == 1 and said in out.stderr.decode(), out.stderr
