"""actcli check: values from elsewhere against the reference, in ULP, with a pass/fail exit."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import erf

import actcli
from actcli.cli import app
from actcli.formats import format_number


def csv_of(x, y, header=True):
    lines = ["x,y"] if header else []
    lines += [f"{format_number(a)},{format_number(b)}" for a, b in zip(x, y, strict=True)]
    return "\n".join(lines) + "\n"


def test_actcli_against_itself_is_exact(runner):
    table = runner.invoke(app, ["eval", "gelu", "--range", "-10", "10", "-n", "41"]).stdout
    result = runner.invoke(app, ["check", "gelu", "-", "--format", "json"], input=table)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["max_ulp"] == 0 and doc["passed"] is True and doc["row_count"] == 41


def test_the_textbook_gelu_fails_in_the_negative_tail(runner):
    x = np.linspace(-10, 10, 41)
    naive = 0.5 * x * (1 + erf(x / np.sqrt(2)))
    result = runner.invoke(app, ["check", "gelu", "-", "--format", "json"], input=csv_of(x, naive))
    assert result.exit_code == 3
    assert "exceeds --tol 4" in result.stderr
    doc = json.loads(result.stdout)
    bands = {(b["lo"], b["hi"]): b for b in doc["bands"]}
    assert bands[(-10.0, -8.0)]["max_ulp"] > 1e12  # −0.0 instead of ≈ −8e−17 and the like
    assert bands[(1.0, 2.0)]["median_ulp"] <= 2
    assert doc["worst"][0]["x"] < -8


def test_tolerance_dtype_and_derivative(runner):
    x = np.linspace(-3, 3, 13)
    y32 = (1 / (1 + np.exp(-x))).astype(np.float32).astype(np.float64)
    ok = runner.invoke(app, ["check", "sigmoid", "-", "--dtype", "float32", "--tol", "1"],
                       input=csv_of(x, y32))  # fmt: skip
    assert ok.exit_code == 0, ok.stderr
    strict = runner.invoke(app, ["check", "sigmoid", "-", "--tol", "4"], input=csv_of(x, y32))
    assert strict.exit_code == 3  # float32 values are millions of float64 ULP off
    d = runner.invoke(app, ["diff", "relu", "-1", "0", "1", "--dialect", "jax"]).stdout
    assert runner.invoke(app, ["check", "relu", "-", "-d"], input=d).exit_code == 0
    per_row = runner.invoke(app, ["check", "relu", "-", "-f", "csv"], input="x,y\n-1,0\n2,2\n")
    assert per_row.stdout == "x,y,reference,ulp\n-1.0,0.0,0.0,0.0\n2.0,2.0,2.0,0.0\n"


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (["check", "gelu", "missing.csv"], None, 1, "cannot read missing.csv"),
        (["check", "relu", "-"], "x,y\n1,2\n3,abc\n", 1, "bad number 'abc' at line 3, column 2"),
        (["check", "relu", "-"], "1\n2\n", 1, "expected two columns x,y, found 1"),
        (["check", "relu", "-"], "", 1, "no rows to check"),
        (["check", "softmax", "-"], "1,2\n", 2, "softmax is a vector one"),
        (["check", "relu", "-", "--tol", "-1"], "1,1\n", 2, "--tol must be"),
        (["check", "relu", "-", "-ddd"], "1,1\n", 2, "3 is not in the range 0<=x<=2"),
        (["check", "nosuch", "-"], "1,1\n", 2, "unknown activation"),
    ],
)
def test_check_bad_input(runner, args, stdin, code, message):
    result = runner.invoke(app, args, input=stdin)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr


def test_float32_values_checked_as_float64_get_a_hint(runner):
    x = np.linspace(-5, 5, 101)
    y32 = (x / (1 + np.exp(-x))).astype(np.float32).astype(np.float64)
    wide = runner.invoke(app, ["check", "silu", "-", "--format", "json"], input=csv_of(x, y32))
    assert wide.exit_code == 3
    assert wide.stderr.splitlines() == [
        "note: every given value is a float32 number, and they pass as one: --dtype float32",
        f"error: max error {json.loads(wide.stdout)['max_ulp']:.3g} ULP exceeds --tol 4",
    ]
    narrow = runner.invoke(app, ["check", "silu", "-", "--dtype", "float32"], input=csv_of(x, y32))
    assert narrow.exit_code == 0, narrow.stderr
    x = np.linspace(-10, 10, 41)
    naive = runner.invoke(
        app, ["check", "gelu", "-"], input=csv_of(x, 0.5 * x * (1 + erf(x / 2**0.5)))
    )
    assert naive.exit_code == 3
    assert "note:" not in naive.stderr  # float64 numbers: no narrower type to suggest
    for rows in ("x,y\n1,nan\n2,inf\n", "x,y\n0.3,0.5\n", "x,y\n-1,0\n1,1\n"):
        wrong = runner.invoke(app, ["check", "sigmoid", "-"], input=rows)
        assert wrong.exit_code == 3 and "note:" not in wrong.stderr  # wrong in any type


@pytest.mark.slow
def test_the_verdict_survives_a_closed_pipe(tmp_path):
    """A CI step `actcli check ... | head` must fail with a failing kernel: the summary is
    printed by default (in a pipe too), and the exit status is the verdict either way."""
    import shutil
    import subprocess

    assert shutil.which("actcli")
    data = tmp_path / "kernel.csv"
    data.write_text("x,y\n" + "".join(f"{i},-1\n" for i in range(1, 20001)))
    for fmt in ("", "-f csv", "-f table"):
        out = subprocess.run(
            ["bash", "-o", "pipefail", "-c", f"actcli check relu {data} {fmt} | head -1"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert out.returncode == 3, (fmt, out.stderr)
        assert out.stderr.decode().endswith("error: max error 9.01e+15 ULP exceeds --tol 4\n")
    summary = subprocess.run(
        ["actcli", "check", "relu", str(data)], capture_output=True, check=False
    )
    assert summary.stdout.decode().startswith("relu · dialect torch: max 9.01e+15 ULP")


FINITE_MAX = {
    "float32": 3.4028234663852886e38,
    "float16": 65504.0,
    "bfloat16": 3.3895313892515355e38,
}


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
@pytest.mark.parametrize("command", ["eval", "diff"])
@pytest.mark.parametrize("name", ["gelu", "silu", "softplus", "tanh", "exponential", "relu"])
def test_eval_output_checks_at_half_an_ulp_in_its_own_dtype(runner, dtype, command, name):
    """One dtype contract: x rounded to the type (as a kernel receives it) and written exactly,
    y the reference rounded once; check reads both back as that type, over the whole range."""
    top = FINITE_MAX[dtype]
    inputs = [repr(float(v)) for v in np.concatenate([np.linspace(-top, top, 401), np.linspace(-9, 9, 401),
                                                 np.geomspace(1e-30, 1e-3, 50)])]  # fmt: skip
    table = runner.invoke(app, [command, name, *inputs, "--dtype", dtype, "-f", "csv"])
    assert table.exit_code == 0, table.stderr
    flags = ["-d"] if command == "diff" else []
    verdict = runner.invoke(
        app,
        ["check", name, "-", "--dtype", dtype, "--tol", "0.5", "-f", "json", *flags],
        input=table.stdout,
    )
    assert verdict.exit_code == 0, verdict.stdout + verdict.stderr
    assert json.loads(verdict.stdout)["max_ulp"] <= 0.5


def test_bfloat16_x_is_written_as_the_value_evaluated(runner):
    result = runner.invoke(app, ["eval", "gelu", "-7.7", "--dtype", "bfloat16"])
    assert result.stdout == "x,gelu\n-7.6875,-5.77e-14\n"  # gelu(−7.6875), not gelu(−7.7)


def test_a_correctly_rounded_float32_table_in_9_digits_passes_at_half_an_ulp(runner):
    x = np.linspace(-8, 8, 2001).astype(np.float32)
    y = actcli.get("gelu")(x.astype(np.float64)).astype(np.float32)  # rounded once
    text = "x,y\n" + "".join(f"{a:.9g},{b:.9g}\n" for a, b in zip(x, y, strict=True))
    result = runner.invoke(app, ["check", "gelu", "-", "--dtype", "float32", "--tol", "0.5"],
                           input=text)  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
@pytest.mark.parametrize("flags", [[], ["-d"]])
def test_every_value_of_a_narrow_type_round_trips(runner, dtype, flags):
    """eval/diff --all D --dtype D | check --dtype D --tol 0.5: the exhaustive sweep a kernel
    engineer scripts by hand, in two commands, for values and derivatives."""
    command = "diff" if flags else "eval"
    table = runner.invoke(app, [command, "gelu", "--all", dtype, "--dtype", dtype, "-f", "csv"])
    assert table.exit_code == 0, table.stderr
    finite = {"bfloat16": 65280, "float16": 63488}[dtype]  # 2^16 less the inf and nan patterns
    assert table.stdout.count("\n") == finite + 1
    verdict = runner.invoke(
        app,
        ["check", "gelu", "-", "--dtype", dtype, "--tol", "0.5", "-f", "json", *flags],
        input=table.stdout,
    )
    assert verdict.exit_code == 0, verdict.stderr
    assert json.loads(verdict.stdout)["row_count"] == finite


def test_every_float32_in_a_range_and_the_specials(runner):
    got = runner.invoke(app, ["eval", "relu", "--all", "float32", "--range", "-1.5e-45", "1.5e-45"])
    assert (
        got.stdout
        == "x,relu\n-1.401298464324817e-45,0.0\n-0.0,0.0\n0.0,0.0\n1.401298464324817e-45,1.401298464324817e-45\n"
    )
    special = runner.invoke(app, ["eval", "relu", "--all", "float16", "--special", "--no-header"])
    lines = special.stdout.splitlines()
    assert lines[0] == "-inf,0.0" and lines[-2:] == ["inf,inf", "nan,nan"]
    for args, message in [
        (["--all", "float32"], "--all float32 is 4.3 billion values: give --range A B as well"),
        (["--all", "bfloat16", "--steps", "3"], "--steps: not with --all, which takes every value"),
        (["1", "--special"], "--special: only with --all"),
        (["1", "--all", "float16"], "give the input one way, not VALUES and --all"),
    ]:
        refused = runner.invoke(app, ["eval", "relu", *args])
        assert (refused.exit_code, refused.stderr) == (2, f"error: {message}\n")


# ---------------------------------------------------------------------------------- issue 12


def kernel_table(tmp_path, rounded=False):
    """A dense float32 sweep of [−6, −3] through the cancelling erf GELU kernel (or the
    correctly rounded values), saved as an (n, 2) .npy."""
    x = np.unique(np.linspace(-6.0, -3.0, 30_001).astype(np.float32))
    if rounded:
        y = actcli.get("gelu")(x.astype(np.float64)).astype(np.float32)
    else:
        half = np.float32(0.5)
        y = x * (half + half * erf(x / np.float32(np.sqrt(2.0))))
    assert y.dtype == np.float32
    path = tmp_path / ("rounded.npy" if rounded else "kernel.npy")
    np.save(path, np.stack([x, y], axis=1))
    return path


def test_the_cancelling_float32_kernel_fails_and_a_rounded_table_passes(runner, tmp_path):
    args = ["check", "gelu", str(kernel_table(tmp_path)), "--dtype", "float32", "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["passed"] is False and doc["failed_count"] > 0.9 * doc["row_count"]
    rel = [b["max_rel"] for b in doc["bands"]]
    assert rel == sorted(rel, reverse=True) and rel[0] >= 1.0  # growing into the tail
    kinds = [f["kind"] for f in doc["findings"]]
    assert kinds == ["non_monotonic", "flush_to_zero"]
    assert doc["findings"][0]["x_max"] <= -3.0
    rounded = [str(kernel_table(tmp_path, rounded=True)), "--dtype", "float32", "--tol", "0.5"]
    ok = runner.invoke(app, ["check", "gelu", *rounded])
    assert ok.exit_code == 0, ok.stderr
    assert ok.stdout.endswith("findings:\n- none\npassed: all 30,001 rows within 0.5 ULP\n")


@pytest.mark.slow
def test_the_report_fits_80_columns(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(
        app, ["check", "gelu", str(kernel_table(tmp_path)), "--dtype", "float32"]
    )
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, result.stdout
    assert lines[0].startswith("gelu · dialect torch: max 1.68e+07 ULP (float32)")
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    assert cells[:4] == [  # bands by binade, split in parts; errors to 3 digits
        ["-6 … -5", "10,001", "1.68e7", "8.37e6", "1.65e7", "1", "8.26e-8"],
        ["-5 … -4", "10,000", "6.51e5", "2e4", "5.24e5", "0.0474", "7.4e-8"],
        ["-4 … -3.5", "5,000", "4.07e3", "841", "3.87e3", "4.62e-4", "5.92e-8"],
        ["-3.5 … -3", "5,000", "894", "144", "822", "6.29e-5", "5.21e-8"],
    ]
    assert "- returns 0 for x ≤ -5.5426" in result.stdout
    assert lines[-1].startswith("FAILED: ") and lines[-1].endswith(" rows over 4 ULP")
    sweep = runner.invoke(app, ["eval", "gelu", "--all", "bfloat16", "--dtype", "bfloat16"])
    every = runner.invoke(app, ["check", "gelu", "-", "--dtype", "bfloat16"], input=sweep.stdout)
    assert every.exit_code == 0, every.stderr
    widest = max(every.stdout.splitlines(), key=len)
    assert len(widest) <= 80, widest  # 13 bands from ±3.4e38 to ±9.2e-41, and ±0
    assert "│ -1.6e-27…-9.2e-41 │ 4,863 │ 0.5" in every.stdout


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("n,input,out\n1,-1,0\n2,2,2\n", ["--x", "input", "--y", "out"]),
        ("n,input,out\n1,-1,0\n2,2,2\n", ["--x", "2", "--y", "3"]),
        ("y,x\n0,-1\n2,2\n", []),  # by the header's names
        ("x,relu\n-1,0\n2,2\n", []),  # no y: the first two columns
        ("-1 9 0\n2 9 2\n", ["--y", "3"]),  # whitespace, no header
    ],
)
def test_columns_are_picked_by_name_or_index(runner, text, args):
    result = runner.invoke(app, ["check", "relu", "-", "-f", "json", *args], input=text)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["row_count"] == 2


def test_a_band_of_one_x_at_an_end_is_labelled_with_it(runner):
    x = np.array([-3.0, -2.5, -2.0, 0.0, 2.0])
    result = runner.invoke(app, ["check", "relu", "-"], input=csv_of(x, np.maximum(x, 0)))
    labels = [line.split("│")[1].strip() for line in result.stdout.splitlines()[4:9]]
    assert labels == ["-3", "-3 … -2.5", "-2.5 … -2", "±0", "2"]  # (−3.5, −3] clipped to −3


def test_columns_of_numpy_files(runner, tmp_path):
    np.save(tmp_path / "wide.npy", np.array([[0.0, -1.0, 0.0], [1.0, 2.0, 2.0]]))
    np.savez(tmp_path / "named.npz", inputs=np.array([-1.0, 2.0]), out=np.array([0.0, 2.0]))
    for args in ([str(tmp_path / "wide.npy"), "--x", "2", "--y", "3"],
                 [str(tmp_path / "named.npz"), "--x", "inputs", "--y", "out"]):  # fmt: skip
        result = runner.invoke(app, ["check", "relu", *args])
        assert result.exit_code == 0, result.stderr


def test_given_bands_and_allclose_tolerances(runner):
    x = np.linspace(-10, 10, 41)
    naive = 0.5 * x * (1 + erf(x / np.sqrt(2)))
    rows = csv_of(x, naive)
    banded = runner.invoke(app, ["check", "gelu", "-", "-f", "json", "--bands=-5,5"], input=rows)
    doc = json.loads(banded.stdout)
    assert [(b["lo"], b["hi"], b["count"]) for b in doc["bands"]] == [
        (-10.0, -5.0, 10),
        (-5.0, 5.0, 20),
        (5.0, 10.0, 11),
    ]
    assert doc["bands"][0]["failed"] > 0 and doc["bands"][2]["failed"] == 0
    loose = runner.invoke(app, ["check", "gelu", "-", "--atol", "1e-15"], input=rows)
    assert loose.exit_code == 0, loose.stderr
    assert loose.stdout.endswith("passed: all 41 rows within 4 ULP or allclose\n")
    strict = runner.invoke(app, ["check", "gelu", "-", "--rtol", "1e-9"], input=rows)
    assert strict.exit_code == 3
    assert strict.stderr.endswith(
        "rows fail both --tol 4 and the allclose test (--atol 0 --rtol 1e-09)\n"
    )


@pytest.mark.slow
def test_the_error_figure(runner, tmp_path):
    from PIL import Image

    png = tmp_path / "err.png"
    args = ["check", "gelu", str(kernel_table(tmp_path)), "--dtype", "float32", "-o", str(png)]
    result = runner.invoke(app, args)
    assert result.exit_code == 3
    assert f"note: wrote {png}" in result.stderr
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size == (1200, 720)  # 8×4.8 in at 150 dpi
        pixels = np.asarray(image.convert("RGB"))
    drawn = np.any(pixels < 250, axis=2).mean()
    assert 0.05 < drawn < 0.9  # curves, spans and text on a white ground
    with Image.open(png) as image:
        assert "activations: gelu; dialect: torch" in image.info["Description"]
    svg = tmp_path / "err.svg"
    x = np.linspace(-3, 3, 61)
    small = runner.invoke(app, ["check", "gelu", "-", "-o", str(svg)], input=csv_of(x, x))
    assert small.exit_code == 3 and svg.read_text().startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--x", "nosuch"], "--x 'nosuch': no such column in standard input (columns: a, b, c)"),
        (["--y", "4"], "--y 4: standard input has 3 column(s) (a, b, c)"),
        (["--y", "0"], "--y 0: standard input has 3 column(s) (a, b, c)"),
        (["--bands", "1,x"], "--bands: 'x' is not a number"),
        (["--bands", "1,0"], "--bands 1,0: expected finite edges in ascending order, e.g. -6,-5,-4"),
        (["--bands", "1,inf"], "--bands 1,inf: expected finite edges in ascending order, e.g. -6,-5,-4"),
        (["--atol", "-1"], "--atol must be a finite number >= 0, got -1.0"),
        (["--rtol", "nan"], "--rtol must be a finite number >= 0, got nan"),
        (["-o", "err.txt"], "cannot write 'err.txt': the suffix must be one of .png, .svg, .pdf"),
    ],
)  # fmt: skip
def test_bad_options_are_one_line_usage_errors(runner, args, message):
    result = runner.invoke(app, ["check", "relu", "-", *args], input="a,b,c\n1,1,1\n")
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")


def test_a_column_name_without_a_header(runner):
    result = runner.invoke(app, ["check", "relu", "-", "--x", "a"], input="1,1\n")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --x 'a': no such column in standard input "
        "(columns: none by name: the first row is numbers)\n"
    )


def test_a_npy_is_read_block_by_block(runner, tmp_path, monkeypatch):
    """Memory stays flat: a .npy of any layout is read a block at a time, never whole, and
    gives the report of its rows (a float32 table, its transpose's Fortran order, big-endian,
    float64 with an extra column)."""
    x = np.unique(np.linspace(-6.0, 6.0, 5_001).astype(np.float32))
    y = actcli.get("gelu")(x.astype(np.float64)).astype(np.float32)
    y[::97] = np.nextafter(y[::97], np.float32(np.inf))
    table = np.stack([x, y], axis=1)
    layouts = {
        "c.npy": table,
        "fortran.npy": np.stack([x, y]).T,
        "big.npy": table.astype(">f4"),
        "wide.npy": np.stack([np.arange(x.size), x, y], axis=1).astype(np.float64),
    }
    monkeypatch.setattr("actcli.inputs.xy.PAIR_BLOCK", 1000)
    monkeypatch.setattr("actcli.inputs.xy.load_numpy", None)  # not loaded whole
    docs = []
    for name, array in layouts.items():
        np.save(tmp_path / name, array)
        columns = ["--x", "2", "--y", "3"] if name == "wide.npy" else []
        args = ["check", "gelu", str(tmp_path / name), "--dtype", "float32", "-f", "json"]
        result = runner.invoke(app, [*args, *columns])
        assert result.exit_code == 0, result.stderr
        docs.append(json.loads(result.stdout))
    assert all(doc == docs[0] for doc in docs)
    assert docs[0]["row_count"] == x.size and docs[0]["failed_count"] == 0  # within 4 ULP
    assert 0.5 < docs[0]["max_ulp"] <= 1.5  # the rows 1 ULP off are seen
    monkeypatch.undo()
    text = runner.invoke(app, ["check", "gelu", "-", "--dtype", "float32", "-f", "json"],
                         input=csv_of(x, y))  # fmt: skip
    assert json.loads(text.stdout) == docs[0]


def test_a_numpy_file_that_is_a_fifo_is_refused_not_waited_on(tmp_path):
    import os
    import subprocess

    fifo = tmp_path / "t.npy"
    os.mkfifo(fifo)
    out = subprocess.run(["actcli", "check", "relu", str(fifo)], capture_output=True, timeout=30)
    assert out.returncode == 1
    assert b"must be a regular file" in out.stderr
