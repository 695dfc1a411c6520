"""The writers: large blocks (spelled by polars) give the very bytes small blocks (csv, json)
give, in every format and float type; a JSON document is streamed."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from actcli import dtypes, formats
from actcli.formats import OutputFormat

N = formats._POLARS_MIN_ROWS + 17  # a block large enough for polars

# values whose spellings differ between the writers' conventions: exponents, the positional
# 1e-5 … 1e-4, float32's 1e-6 … 1e-5 and 1e13 … 1e16 (polars' float32 layout), subnormals,
# ±0, ±inf, nan, the largest values of each type
SPECIAL = [0.0, -0.0, 1.0, -2.5, 0.1, 1e-7, 2.5e-5, 2e-5, -3.25e-5, 7.63e-6, 8.1861e14,
           1e16, 1e22, 5e-324, 2.0**-149, 6e-8, 3.4e38, 65504.0, np.inf, -np.inf, np.nan]  # fmt: skip


def _columns(name: str) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    if name == "float64":
        x = rng.integers(0, 2**64, N, dtype=np.uint64).view(np.float64)
    else:
        t = dtypes.TYPES[name]
        x = rng.integers(0, 2**t.width, N, dtype=np.uint64).astype(t.unsigned).view(t.numpy)
    special = dtypes.round_to(np.array(SPECIAL), name)
    x = np.concatenate([special, x[: N - special.size]])
    index = np.arange(1, x.size + 1, dtype=np.int64)
    return [index, np.asarray(x)]


def _written(block: list[np.ndarray], fmt: OutputFormat, large: bool) -> str:
    out = io.StringIO()
    writer = formats.BlockWriter(["i", "v"], fmt, out, meta={"dtype": "t"})
    if large:
        writer.write(block)
    else:  # the small-block path, row by row
        for start in range(0, block[0].size, 1000):
            writer.write([c[start : start + 1000] for c in block])
    writer.finish()
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("dtype", dtypes.NAMES)
@pytest.mark.parametrize("fmt", [OutputFormat.csv, OutputFormat.jsonl, OutputFormat.json])
def test_large_blocks_are_written_as_small_ones(dtype, fmt):
    with np.errstate(invalid="ignore"):  # (random bits hold signalling nans)
        block = _columns(dtype)
        assert _written(block, fmt, large=True) == _written(block, fmt, large=False)


def test_a_json_document_is_what_json_dumps_writes():
    table = formats.Table(["x", "y"], [[1.0, np.float32(0.1)], [float("nan"), -0.0]])
    table.meta = {"activation": "relu", "params": {"a": float("inf")}}
    out = io.StringIO()
    formats.write(table, OutputFormat.json, out)
    expected = {
        "activation": "relu",
        "params": {"a": "inf"},
        "columns": ["x", "y"],
        "rows": [{"x": 1.0, "y": 0.1}, {"x": "nan", "y": -0.0}],
    }
    assert out.getvalue() == json.dumps(expected, ensure_ascii=False) + "\n"
    empty = io.StringIO()
    formats.write(formats.Table(["x"], []), OutputFormat.json, empty)
    assert json.loads(empty.getvalue()) == {"columns": ["x"], "rows": []}


def _peak_mb(command: list[str], cwd: str) -> tuple[int, float]:
    """Exit status and peak resident memory (MB) of a command, measured from outside."""
    import subprocess
    from pathlib import Path

    from conftest import measured

    peak = Path(cwd) / "peak.txt"
    status = subprocess.run(measured(command, peak), cwd=cwd, stdout=subprocess.DEVNULL).returncode
    kilobytes = int(peak.read_text())
    peak.unlink()
    return status, kilobytes / 1024


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".npy", ".npz"])
def test_numpy_output_is_written_a_block_at_a_time(tmp_path, suffix):
    steps = 20_000_000  # two float64 columns: 320 MB held whole
    path = tmp_path / f"big{suffix}"
    command = [
        "actcli",
        "eval",
        "relu",
        "--range",
        "0",
        "1",
        "--steps",
        str(steps),
        "-o",
        str(path),
    ]
    status, peak = _peak_mb(command, str(tmp_path))
    assert status == 0 and peak < 250, peak
    loaded = np.load(path, mmap_mode="r") if suffix == ".npy" else np.load(path)
    if suffix == ".npy":
        assert loaded.shape == (steps, 2) and loaded[-1].tolist() == [1.0, 1.0]
    else:
        assert loaded["x"].shape == (steps,) and loaded["y"][-1] == 1.0
