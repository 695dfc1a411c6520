"""check streams every input (issue 20): a .npy, an .npz, a text file and standard input give
the same report, to the byte, as the rows held in memory; what can be read once is spooled to
an anonymous temporary file, gone at the end; a real pipe of millions of rows stays flat."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

import actcli
from actcli import inputs
from actcli.errors import DataError
from actcli.inputs.spool import Spool
from conftest import measured
from test_cli_input import ACTCLI, ENV


def _shapes() -> dict[str, tuple[np.ndarray, np.ndarray, str]]:
    """x and y (float64) for silu, and the dtype to check them in."""
    rng = np.random.default_rng(20)
    act = actcli.get("silu")
    out = {}
    x = np.linspace(-8, 8, 150_001)  # over two blocks; sorted
    y = act(x)
    y[::997] *= 1 + 1e-5  # failing rows
    out["sorted-failing"] = (x, y, "float32")
    x = rng.normal(0, 4, 70_003)  # out of order, with specials
    x[:6] = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-310]
    rng.shuffle(x)
    y = act(x)
    y[rng.integers(0, x.size, 50)] = 0.0  # wrong signs, flushes
    out["unsorted-specials"] = (x, y, "float32")
    x = rng.uniform(-3, 3, 5_000)
    out["bfloat16"] = (x, act(x), "bfloat16")
    x = np.sort(rng.uniform(-30, 30, 66_000))
    out["float64"] = (x, act(x) * (1 + 2e-16 * rng.standard_normal(x.size)), "float64")
    return out


SHAPES = _shapes()


def _csv(x: np.ndarray, y: np.ndarray) -> bytes:
    lines = [f"{a!r},{b!r}" for a, b in zip(x.tolist(), y.tolist(), strict=True)]
    return ("x,y\n" + "\n".join(lines) + "\n").encode()


def _report(source: object, dtype: str, **kwargs: object) -> actcli.check.Report:
    return actcli.check("silu", source, dtype=dtype, tol=0.5, **kwargs)  # type: ignore[arg-type]


def _same(a: actcli.check.Report, b: actcli.check.Report) -> None:
    assert repr(a) == repr(b)
    assert json.dumps(a.document()) == json.dumps(b.document())  # (nan is not nan)


@pytest.fixture
def spool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory the spools go to, watched: nothing may be left in it."""
    where = tmp_path / "spool"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    return where


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_input_gives_the_in_memory_report(shape, tmp_path, spool_dir, monkeypatch):
    x, y, dtype = SHAPES[shape]
    expected = _report(x, dtype, y=y)
    pairs = np.stack([x, y], axis=1)
    np.save(tmp_path / "c.npy", pairs)
    np.save(tmp_path / "f.npy", np.asfortranarray(pairs))
    np.savez(tmp_path / "xy.npz", x=x, y=y)
    np.savez_compressed(tmp_path / "z.npz", x=x, y=y)
    np.savez(tmp_path / "one.npz", rows=pairs)
    np.savez_compressed(tmp_path / "fortran.npz", rows=np.asfortranarray(pairs))
    np.savez(tmp_path / "named.npz", input=x, result=y, other=x)
    (tmp_path / "t.csv").write_bytes(_csv(x, y))
    tsv = _csv(x, y).replace(b",", b"\t")
    (tmp_path / "t.tsv").write_bytes(tsv)
    for name in ("c.npy", "f.npy", "xy.npz", "z.npz", "one.npz", "fortran.npz", "t.csv", "t.tsv"):
        _same(_report(str(tmp_path / name), dtype), expected)
    named = _report(str(tmp_path / "named.npz"), dtype, x_column="input", y_column="result")
    _same(named, expected)
    stdin = io.TextIOWrapper(io.BytesIO(_csv(x, y)))
    monkeypatch.setattr(sys, "stdin", stdin)
    piped = _report("-", dtype)
    _same(piped, expected)
    for got, want in zip(piped.blocks(), expected.blocks(), strict=True):  # the rows again
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(a, b)
    del piped
    assert not list(spool_dir.iterdir())


def test_npz_members_are_read_in_blocks(tmp_path):
    x = np.linspace(-1, 1, inputs.PAIR_BLOCK + 5, dtype=np.float32)
    np.savez_compressed(tmp_path / "a.npz", x=x, y=x * 2)
    blocks = list(inputs.pair_blocks(str(tmp_path / "a.npz"), None, None, None)())
    assert [b[0].size for b in blocks] == [inputs.PAIR_BLOCK, 5]
    assert blocks[1][0].dtype == np.float32
    np.testing.assert_array_equal(np.concatenate([b[1] for b in blocks]), x * 2)


def test_text_is_read_once_in_whole_blocks(tmp_path):
    rows = inputs.PAIR_BLOCK * 2 + 3
    path = tmp_path / "t.txt"
    path.write_text("".join(f"{i} {i % 7} {-i}\n" for i in range(rows)))
    read = inputs.pair_blocks(str(path), "3", "1", None)
    assert getattr(read, "once", False)
    blocks = list(read())
    assert [b[0].size for b in blocks] == [inputs.PAIR_BLOCK] * 2 + [3]
    np.testing.assert_array_equal(np.concatenate([b[0] for b in blocks]), -np.arange(rows))
    with pytest.raises(RuntimeError, match="read once"):
        read()


def test_a_spool_keeps_blocks_in_their_dtype(spool_dir):
    spool = Spool(np.dtype(np.float32))
    spool.write(np.array([1.5, -0.0, np.inf]), np.array([2.0, np.nan, 3.0]))
    spool.write(np.array([4.0]), np.array([5.0]))
    for _ in range(2):
        (x1, y1), (x2, y2) = spool()
        assert x1.dtype == np.float32 and x1.tolist() == [1.5, 0.0, np.inf]
        assert np.signbit(x1[1]) and np.isnan(y1[1]) and (x2[0], y2[0]) == (4.0, 5.0)
    assert spool.rows == 4
    assert not list(spool_dir.iterdir())  # no name, ever
    spool.close()


def test_a_bad_number_is_named_by_its_line_and_the_spool_is_gone(tmp_path, spool_dir):
    x = np.linspace(0, 1, 80_000)
    lines = _csv(x, x).decode().splitlines()
    lines[60_001] = "0.5,O.5"
    (tmp_path / "bad.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match="line 60002, column 2"):
        _report(str(tmp_path / "bad.csv"), "float32")
    assert not list(spool_dir.iterdir())


def test_column_errors_are_as_before(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    with pytest.raises(actcli.UsageError, match="no such column"):
        _report(str(tmp_path / "t.csv"), "float32", x_column="c")
    np.savez(tmp_path / "two.npz", a=np.zeros(3), b=np.zeros(4))
    with pytest.raises(DataError, match="expected x and y"):
        _report(str(tmp_path / "two.npz"), "float32")
    with pytest.raises(DataError, match="cannot read"):
        _report(str(tmp_path / "missing.csv"), "float32")


def _piped_check(lo: str, hi: str) -> tuple[int, str, int]:
    """``eval silu --all float32 --range lo hi --dtype float32 | check silu - --dtype
    float32`` in a real pipe: check's exit status, its JSON and its peak RSS in KB."""
    assert ACTCLI is not None
    first = [ACTCLI, "eval", "silu", "--all", "float32", "--range", lo, hi, "--dtype", "float32"]
    second = [ACTCLI, "check", "silu", "-", "--dtype", "float32", "-f", "json"]
    with tempfile.TemporaryDirectory() as scratch:
        peak = Path(scratch) / "peak.txt"
        with (
            subprocess.Popen(first, stdout=subprocess.PIPE, env=ENV) as producer,
            subprocess.Popen(
                measured(second, peak), stdin=producer.stdout, stdout=subprocess.PIPE, env=ENV
            ) as consumer,
        ):
            assert producer.stdout is not None and consumer.stdout is not None
            producer.stdout.close()  # the consumer's now
            out = consumer.stdout.read().decode()
            consumer.wait()
            assert producer.wait() == 0
        return consumer.returncode, out, int(peak.read_text())


@pytest.mark.slow
def test_a_pipe_of_millions_of_rows_checks_in_flat_memory():
    status, out, peak = _piped_check("1", "1.5")  # 4,194,305 float32 values
    report = json.loads(out)
    assert status == 0 and report["passed"] and report["row_count"] == 4_194_305
    assert peak <= 300 * 1024, f"peak RSS {peak / 1024:.0f} MB"


@pytest.mark.slow
def test_a_real_pipe_gives_the_json_of_the_npy(tmp_path):
    x, y, dtype = SHAPES["unsorted-specials"]
    np.save(tmp_path / "c.npy", np.stack([x, y], axis=1))
    assert ACTCLI is not None
    command = [ACTCLI, "check", "silu", "--dtype", dtype, "-f", "json"]

    def run(file: str, data: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [*command, file], input=data, capture_output=True, env=ENV, timeout=120, check=False
        )

    piped, stored = run("-", _csv(x, y)), run(str(tmp_path / "c.npy"))
    assert piped.returncode == stored.returncode == 3
    assert piped.stdout == stored.stdout and b'"row_count": 70003' in piped.stdout
