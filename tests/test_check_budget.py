"""check --budget / --write-budget: TOML budgets per activation × dtype × quantity, judged
in one run, written from one. Kernel tables are actcli's own correctly rounded float32
values, moved by whole ULPs (so the errors are known without any float64 libm)."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import numpy as np
import pytest

import actcli
from actcli.check import budget
from actcli.cli import app

F32 = np.float32


def kernel(path, name="gelu", moved=2, order=0):
    """A float32 table of ``name`` (or its derivative) with every 7th value ``moved`` ULPs
    up, saved as an (n, 2) .npy; returns its path."""
    x = np.linspace(-4, 4, 801).astype(F32)
    act = actcli.get(name)
    y = act(x) if order == 0 else act.derivative(x, order)
    y = np.asarray(y, dtype=F32).copy()
    for _ in range(moved):
        y[::7] = np.nextafter(y[::7], F32(np.inf))
    np.save(path, np.stack([x, y], axis=1))
    return str(path)


def run(runner, *args, input=None):
    return runner.invoke(app, ["check", *args], input=input)


def test_written_then_judged(runner, tmp_path):
    table, book = kernel(tmp_path / "k.npy"), tmp_path / "budgets.toml"
    wrote = run(runner, "gelu", table, "--dtype", "float32", "--write-budget", str(book))
    assert wrote.exit_code == 0, wrote.stderr
    text = book.read_text()
    assert text.startswith(budget.HEADER + "\n# ")
    day = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    comment, header = text.splitlines()[4:6]
    assert re.fullmatch(
        rf"# {day}, margin 1\.25 \(measured: max 2\.\d+ ULP, p99 2\.\d+\): actcli .*", comment
    ), comment
    assert header == "[gelu.float32.value]"
    written = budget.load(book).limits[("gelu", "float32", "value")]
    report = actcli.check("gelu", table, dtype="float32")
    assert written.max_ulp >= report.max_ulp * 1.25 > written.max_ulp - 0.01
    assert written.p99_ulp >= report.p99_ulp * 1.25 > written.p99_ulp - 0.01
    assert f"note: wrote [gelu.float32.value] max_ulp = {written.max_ulp:g}" in wrote.stderr
    judged = run(runner, "gelu", table, "--dtype", "float32", "--budget", str(book))
    assert judged.exit_code == 0, judged.stderr
    flat = " ".join(judged.stdout.split())  # (the budget's line is wrapped at 79 columns)
    assert f"beats budget [gelu.float32.value] of {book}: max 2." in flat
    assert judged.stdout.splitlines()[-1] == f"passed: all 801 rows within {written.max_ulp:g} ULP"
    assert judged.stderr == "note: the run beats its budget: --write-budget would tighten it\n"


def test_over_budget_exits_3_naming_the_entry_and_the_limit(runner, tmp_path):
    table, book = kernel(tmp_path / "k.npy"), tmp_path / "b.toml"
    book.write_text("[gelu.float32.value]\nmax_ulp = 1.5\n")
    over = run(runner, "gelu", table, "--dtype", "float32", "--budget", str(book), "-f", "json")
    assert over.exit_code == 3
    assert re.fullmatch(
        rf"error: over budget \[gelu\.float32\.value\] of {re.escape(str(book))}: "
        r"max_ulp 2\.\d+ > 1\.5 at x = -?\d\.\d+\n",
        over.stderr,
    ), over.stderr
    book.write_text("[gelu.float32.value]\nmax_ulp = 3\np99_ulp = 0.5\n")  # p99 alone over
    p99 = run(runner, "gelu", table, "--dtype", "float32", "--budget", str(book))
    assert p99.exit_code == 3
    flat = " ".join(p99.stdout.split())
    assert re.search(r"over budget \[gelu.float32.value\] of \S+: p99_ulp 2\.\d+ > 0\.5 ", flat)
    assert flat.endswith("passed: all 801 rows within 3 ULP")  # no row over max_ulp
    book.write_text("[gelu.float32.value]\nmax_ulp = 3\n")
    within = run(runner, "gelu", table, "--dtype", "float32", "--budget", str(book), "-f", "json")
    assert within.exit_code == 0
    assert '"beaten": true' in within.stdout and '"entry": "gelu.float32.value"' in within.stdout


MERGED_BEFORE = """\
# our kernels' budgets (hand-kept)

# relu is exact
[relu.float32.value]
max_ulp = 0   # no error at all

# an old one
[swish.float32.value]
max_ulp = 99
p99_ulp = 9

["leaky_relu:negative_slope=0.1".bfloat16.derivative]
max_ulp = 0.5
"""


def test_a_written_entry_replaces_its_own_and_keeps_every_other_line(runner, tmp_path):
    table, book = kernel(tmp_path / "silu.npy", "silu", moved=0), tmp_path / "b.toml"
    book.write_text(MERGED_BEFORE)
    wrote = run(runner, "silu", table, "--dtype", "float32", "--write-budget", str(book))
    assert wrote.exit_code == 0, wrote.stderr
    lines = book.read_text().splitlines()
    before = MERGED_BEFORE.splitlines()
    assert lines[:6] == before[:6] and lines[-3:] == before[-3:]  # untouched, comments too
    assert lines[6].startswith("# ") and lines[7] == "[silu.float32.value]"  # swish is silu
    assert lines[8] == "max_ulp = 0.625" and re.fullmatch(r"p99_ulp = 0\.6\d*", lines[9])
    assert lines[10] == ""
    gelu = kernel(tmp_path / "g.npy")
    run(runner, "gelu", gelu, "--dtype", "float32", "--write-budget", str(book), "--margin", "2")
    appended = book.read_text()
    assert appended.startswith("\n".join(lines) + "\n\n# ")
    assert "\n[gelu.float32.value]\n" in appended and "margin 2 (" in appended
    assert set(budget.load(book).limits) == {
        ("relu", "float32", "value"),
        ("silu", "float32", "value"),
        ("leaky_relu:negative_slope=0.1", "bfloat16", "derivative"),
        ("gelu", "float32", "value"),
    }


def test_parameters_and_derivatives_have_entries_of_their_own(runner, tmp_path):
    book = tmp_path / "b.toml"
    table = kernel(tmp_path / "d.npy", "leaky_relu:negative_slope=0.1", moved=1, order=1)
    args = ["leaky_relu", table, "--param", "negative_slope=0.1", "--dtype", "float32", "-d"]
    assert run(runner, *args, "--write-budget", str(book)).exit_code == 0
    assert '\n["leaky_relu:negative_slope=0.1".float32.derivative]\n' in book.read_text()
    assert run(runner, *args, "--budget", str(book)).exit_code == 0
    plain = run(runner, "leaky_relu", table, "--dtype", "float32", "-d", "--budget", str(book))
    assert plain.exit_code == 1
    assert plain.stderr == (
        f"error: {book} has no budget [leaky_relu.float32.derivative] (it has: "
        '"leaky_relu:negative_slope=0.1".float32.derivative)\n'
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[gelu.float32.value\nmax_ulp = 1\n", "is not valid TOML: "),
        (
            "[gelux.float32.value]\nmax_ulp = 1\n",
            "[gelux]: unknown activation 'gelux'; did you mean",
        ),
        (
            "[softmax.float32.value]\nmax_ulp = 1\n",
            "[softmax]: check takes elementwise activations",
        ),
        ('["leaky_relu:bogus=2".float32.value]\nmax_ulp = 1\n', '["leaky_relu:bogus=2"]: '),
        (
            "[gelu.float33.value]\nmax_ulp = 1\n",
            "[gelu.float33]: unknown dtype; expected one of float64",
        ),
        (
            "[gelu.float32.values]\nmax_ulp = 1\n",
            "[gelu.float32.values]: unknown quantity; expected value, derivative, second_derivative",
        ),
        (
            "[gelu.float32.value]\nmax = 1\n",
            "[gelu.float32.value]: unknown key 'max'; expected max_ulp and p99_ulp",
        ),
        ("[gelu.float32.value]\np99_ulp = 1\n", "[gelu.float32.value]: max_ulp is missing"),
        ("[gelu.float32.value]\nmax_ulp = -1\n", "max_ulp must be a finite number >= 0, got -1"),
        ("[gelu.float32.value]\nmax_ulp = inf\n", "max_ulp must be a finite number >= 0, got inf"),
        ("[gelu.float32.value]\nmax_ulp = '2'\n", "max_ulp must be a finite number >= 0, got '2'"),
        (
            "[gelu.float32.value]\nmax_ulp = true\n",
            "max_ulp must be a finite number >= 0, got true",
        ),
        ("gelu = 1\n", "[gelu]: expected a table, found 1"),
        ("[gelu]\nfloat32 = [1]\n", "[gelu.float32]: expected a table, found [1]"),
        (
            "[swish.float32.value]\nmax_ulp = 1\n[silu.float32.value]\nmax_ulp = 2\n",
            "[silu.float32.value] and [swish.float32.value] are one budget, [silu.float32.value]",
        ),
        ("", "has no budget [gelu.float32.value] (it has: none)"),
    ],
)
def test_bad_budget_files(runner, tmp_path, content, message):
    book = tmp_path / "b.toml"
    book.write_text(content)
    result = run(runner, "gelu", "-", "--dtype", "float32", "--budget", str(book))
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith(f"error: {book}"), result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--budget", "{book}", "--tol", "3"], 2, "--tol and --budget: give one"),
        (["--margin", "2"], 2, "--margin: only with --write-budget"),
        (
            ["--write-budget", "{book}", "--margin", "0.9"],
            2,
            "--margin: must be a finite number >= 1, got 0.9",
        ),
        (
            ["--write-budget", "{book}", "--margin", "nan"],
            2,
            "--margin: must be a finite number >= 1, got nan",
        ),
        (["--write-budget", "{book}", "--margin", "x"], 2, "'x' is not a valid float"),
        (["--budget", "{missing}"], 1, "cannot read budget {missing}: No such file or directory"),
        (
            ["--write-budget", "{nodir}"],
            1,
            "cannot write budget {nodir}: No such file or directory",
        ),
        (["--write-budget", "{tmp}"], 1, "cannot read budget {tmp}: Is a directory"),
    ],
)
def test_budget_options_bad_input(runner, tmp_path, args, code, message):
    names = {
        "book": str(tmp_path / "b.toml"),
        "missing": str(tmp_path / "missing.toml"),
        "nodir": str(tmp_path / "no" / "b.toml"),
        "tmp": str(tmp_path),
    }
    (tmp_path / "b.toml").write_text("[relu.float64.value]\nmax_ulp = 1\n")
    args = [a.format(**names) for a in args]
    result = run(runner, "relu", "-", *args, input="x,y\n1,1\n")
    assert result.exit_code == code, result.stderr
    assert message.format(**names) in result.stderr
    assert "Traceback" not in result.stderr


def test_no_budget_is_written_from_an_infinite_error(runner, tmp_path):
    book = tmp_path / "b.toml"
    result = runner.invoke(
        app, ["check", "relu", "-", "--write-budget", str(book)], input="x,y\n-1,-0.5\n1,1\n"
    )
    assert result.exit_code == 1
    assert (
        "cannot write a budget to" in result.stderr
        and "the largest error is inf ULP" in result.stderr
    )
    assert not book.exists()


def test_rounding_up_to_3_digits():
    assert [budget._up(v) for v in (0.0, 6.8125, 2.44, 1234.5, 0.000123456)] == [
        0.0,
        6.82,
        2.44,
        1240.0,
        0.000124,
    ]


@pytest.mark.slow
def test_the_real_command_writes_its_command_and_exits_by_the_budget(tmp_path):
    assert shutil.which("actcli")
    table, book = kernel(tmp_path / "k.npy"), tmp_path / "b.toml"
    command = ["actcli", "check", "gelu", table, "--dtype", "float32"]
    wrote = subprocess.run(
        [*command, "--write-budget", str(book)], capture_output=True, text=True, check=False
    )
    assert wrote.returncode == 0, wrote.stderr
    assert (
        f"): actcli check gelu {table} --dtype float32 --write-budget {book}\n" in book.read_text()
    )
    assert (
        subprocess.run(
            [*command, "--budget", str(book)], capture_output=True, check=False
        ).returncode
        == 0
    )
    book.write_text("[gelu.float32.value]\nmax_ulp = 1\n")
    over = subprocess.run(
        [*command, "--budget", str(book)], capture_output=True, text=True, check=False
    )
    assert over.returncode == 3 and over.stderr.startswith(
        "error: over budget [gelu.float32.value]"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[gelu]\nfloat32.value.max_ulp = 1\n",
            "its entry gelu.float32.value is not a [gelu.float32.value] table of its own",
        ),
        ("[gelu.float32.value\n", "is not valid TOML"),
        ("[gelux.float32.value]\nmax_ulp = 1\n", "unknown activation 'gelux'"),
    ],
)
def test_a_file_that_cannot_be_updated_is_left_as_it_was(runner, tmp_path, content, message):
    table, book = kernel(tmp_path / "k.npy"), tmp_path / "b.toml"
    book.write_text(content)
    result = run(runner, "gelu", table, "--dtype", "float32", "--write-budget", str(book))
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert book.read_text() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.toml", "k.npy"]  # no temporary
