"""actcli audit: a framework's kernels against the reference, driven here through a fake torch
(tests/fakefw: numpy inside, a deliberately sloppy F.gelu); no real framework is needed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

import actcli
from actcli.audit import audit, frameworks
from actcli.cli import app
from actcli.errors import UsageError

FAKE = Path(__file__).parent / "fakefw"


def _forget(monkeypatch, root):
    """Modules ``root`` and ``root.*`` gone from sys.modules for this test (a real framework
    imported elsewhere is put back afterwards, a fake one imported here is not)."""
    for name in [m for m in sys.modules if m == root or m.startswith(root + ".")]:
        monkeypatch.delitem(sys.modules, name)


def _fake(monkeypatch, root):
    _forget(monkeypatch, root)
    monkeypatch.syspath_prepend(str(FAKE))
    yield
    for name in [m for m in sys.modules if m == root or m.startswith(root + ".")]:
        del sys.modules[name]


@pytest.fixture
def fake_torch(monkeypatch):
    """The fake torch importable (before a real one), and forgotten afterwards."""
    yield from _fake(monkeypatch, "torch")


@pytest.fixture
def fake_jax(monkeypatch):
    yield from _fake(monkeypatch, "jax")


@pytest.fixture
def no_torch(monkeypatch):
    """torch not importable, even where a real one is installed."""
    _forget(monkeypatch, "torch")
    monkeypatch.setitem(sys.modules, "torch", None)


# ---------------------------------------------------------------------------------- the table


def test_the_calls_are_the_catalogs_with_each_frameworks_defaults():
    torch = frameworks.table(frameworks.lookup("torch"))
    assert torch["gelu"] == "F.gelu(x, approximate='none')"
    assert torch["leaky_relu"] == "F.leaky_relu(x, negative_slope=0.01)"
    assert "softmax" not in torch and "identity" not in torch  # vector; no function form
    # torch's own default where actcli's departs on purpose (its threshold is inf)
    assert torch["softplus"] == "F.softplus(x, beta=1.0, threshold=20.0)"
    assert frameworks.bind("softplus:threshold=inf", frameworks.lookup("torch")).spec == "softplus"
    assert frameworks.table(frameworks.lookup("jax"))["gelu"] == "jax.nn.gelu(x, approximate=True)"
    assert frameworks.table(frameworks.lookup("tensorflow"))["gelu"] == (
        "tf.nn.gelu(x, approximate=False)"
    )
    keras = frameworks.table(frameworks.lookup("keras"))
    assert keras["leaky_relu"] == "keras.activations.leaky_relu(x, negative_slope=0.2)"


def test_each_frameworks_own_tolerance():
    own = {name: t.rtol_atol for name, t in frameworks.TOLERANCES.items()}
    assert own["torch"] == {
        "bfloat16": (1.6e-2, 1e-5),
        "float16": (1e-3, 1e-5),
        "float32": (1.3e-6, 1e-5),
    }
    assert (
        own["jax"]
        == own["tensorflow"]
        == {
            "bfloat16": (1e-2, 1e-2),
            "float16": (1e-3, 1e-3),
            "float32": (1e-6, 1e-6),
        }
    )


# ---------------------------------------------------------------------------------- the card


@pytest.mark.slow
def test_card_numbers_are_checks_on_the_same_data(fake_torch, runner, tmp_path):
    card = audit("torch", ["gelu", "silu"], dtypes=["bfloat16"], derivative=True)
    cells = {(c.spec, c.order): c for c in card.cells}
    assert len(cells) == 4 and not card.passed
    assert cells["silu", 0].report.passed and cells["silu", 1].report.passed
    sloppy = cells["gelu", 0]
    assert sloppy.failed and sloppy.meets is False

    import torch  # the fake one
    import torch.nn.functional as F

    x = np.concatenate(list(actcli.inputs.every_value("bfloat16", special=True)))
    y = F.gelu(torch.from_numpy(x.astype(np.float32)).to(dtype=torch.bfloat16)).values
    np.savez(tmp_path / "gelu.npz", x=x, y=y)
    result = runner.invoke(
        app, ["check", "gelu", str(tmp_path / "gelu.npz"), "--dtype", "bfloat16", "-f", "json"]
    )
    assert result.exit_code == 3, result.stderr
    doc = json.loads(result.stdout)
    r = sloppy.report
    assert (doc["row_count"], doc["failed_count"]) == (r.rows, r.failed) == (65283, 311)
    # the kernel's inf and nan rows go to the special-values verdict, not the ULP maximum
    assert doc["max_ulp"] == r.max_ulp > 100
    assert (doc["p99_ulp"], doc["median_ulp"]) == (r.p99_ulp, r.median_ulp)
    assert doc["findings"] == json.loads(json.dumps(actcli.formats.json_safe(r.findings)))
    # assert_close's test by hand: |y − ref| ≤ atol + rtol·|ref|, nan matching nan
    ref = actcli.get("gelu")(x)
    with np.errstate(invalid="ignore"):
        close = (np.abs(y - ref) <= 1e-5 + 1.6e-2 * np.abs(ref)) | (y == ref)
    close |= np.isnan(y) & np.isnan(ref)
    assert sloppy.outside == np.count_nonzero(~close) > 0


@pytest.mark.slow
def test_the_card_in_each_format(fake_torch, runner, tmp_path):
    args = ["audit", "torch", "relu", "gelu", "--dtype", "float16", "--dtype", "float32"]
    args += ["--range", "1", "1.001", "-d"]
    table = runner.invoke(app, args)
    assert table.exit_code == 3, table.stderr
    assert table.stderr == "error: FAILED: 4 of 8 cells have rows over 4 ULP\n"
    lines = table.stdout.splitlines()
    assert lines[0].startswith("PyTorch 0.0+fake (cpu) against actcli, dialect torch")
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in lines if "│" in line]
    assert cells[1] == ["relu", "float16", "f′", "63,491", "0", "0", "0", "yes"]
    assert cells[6] == ["gelu", "float32", "f", "8,389", "2.57e3", "2.57e3", "8,389", "no (8,389)"]
    assert "x: every float16 value with ±inf and nan; every float32 in [1, 1.001]" in table.stdout
    assert table.stdout.endswith("FAILED: 4 of 8 cells have rows over 4 ULP\n")

    rows = runner.invoke(app, [*args, "-f", "csv"]).stdout.splitlines()
    assert rows[0] == (
        "activation,device,dtype,derivative,rows,max_ulp,p99_ulp,failed,"
        "own_tol_failed,meets_own_tol,error"
    )
    assert rows[1] == "relu,cpu,float16,0,63491,0.0,0.0,0,0,True,"
    assert len(rows) == 9

    out = tmp_path / "card.json"
    written = runner.invoke(app, [*args, "-f", "json", "-o", str(out)])
    assert (written.exit_code, written.stdout) == (3, "")
    assert f"note: wrote {out}" in written.stderr
    doc = json.loads(out.read_text())
    assert doc["framework"] == "torch" and doc["float32_band"] == [1.0, 1.001]
    gelu32 = next(c for c in doc["cells"] if c["activation"] == "gelu" and c["dtype"] == "float32")
    assert gelu32["call"] == "F.gelu(x, approximate='none')"
    assert doc["own_tolerance"]["name"] == "torch.testing.assert_close defaults"
    assert gelu32["own_tolerance"] == {
        "rtol": 1.3e-6,
        "atol": 1e-5,
        "failed_count": 8389,
        "meets": False,
    }
    assert gelu32["own_tolerance"]["meets"] is False and gelu32["failed_count"] == 8389


@pytest.mark.slow
def test_default_names_skip_what_the_installed_version_lacks(fake_torch):
    card = audit("torch", dtypes=["bfloat16"])
    assert [c.spec for c in card.cells] == ["gelu", "relu", "sigmoid", "silu", "step", "tanh"]
    assert "mish: skipped (PyTorch here has no F.mish" in " ".join(card.notes)


def test_a_framework_error_is_a_cell_not_a_crash(fake_torch):
    card = audit("torch", ["step"], dtypes=["float16"], derivative=True)
    value, slope = card.cells
    assert value.report.passed
    assert slope.report is None
    assert slope.error == "RuntimeError: derivative for aten::heaviside is not implemented"
    assert card.passed and card.verdict == "passed: all 1 cells within 4 ULP; 1 could not run"
    assert "- step float16 f′: RuntimeError: derivative for aten::heaviside" in card.text()


def test_a_gpu_adds_cuda_cells_and_a_device_column(fake_torch, monkeypatch):
    import torch  # the fake one

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    card = audit("torch", ["relu"], dtypes=["float16"])
    assert [c.device for c in card.cells] == ["cpu", "cuda"]
    table = card.table()
    assert table.columns[:4] == ["activation", "device", "dtype", "of"] and table.inputs == 4
    assert table.rows[1][:4] == ["relu", "cuda", "float16", "f"]
    assert card.heading.startswith("PyTorch 0.0+fake (cpu, cuda) against actcli")


def test_jax_through_vjp(fake_jax):
    card = audit("jax", ["relu", "sigmoid"], dtypes=["float16"], derivative=True)
    assert [(c.call, c.order) for c in card.cells] == [
        ("jax.nn.relu(x)", 0),
        ("jax.nn.relu(x)", 1),
        ("jax.nn.sigmoid(x)", 0),
        ("jax.nn.sigmoid(x)", 1),
    ]
    assert card.passed and all(c.meets for c in card.cells)
    assert card.heading.startswith("JAX 0.0+fake (cpu) against actcli, dialect jax")
    assert max(c.report.max_ulp for c in card.cells) <= 0.5  # rounded once: correctly


def test_float32_needs_a_band():
    assert audit.__module__ == "actcli.audit.run"
    with pytest.raises(UsageError, match="float32 takes a band"):
        audit("torch", ["relu"], dtypes=["float32"])


# ---------------------------------------------------------------------------------- errors


def test_a_missing_framework_says_what_to_install(no_torch, runner):
    result = runner.invoke(app, ["audit", "torch"])
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("error: audit torch needs PyTorch")
    assert lines[0].endswith("install it: pip install torch")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pytorchx"], "unknown framework 'pytorchx' (frameworks: torch, jax, tensorflow"),
        (["torch", "nosuch"], "unknown activation 'nosuch'"),
        (["torch", "softmax"], "audit takes elementwise activations; softmax is a vector one"),
        (["torch", "squareplus"], "PyTorch has no function for squareplus"),
        (["torch", "--dtype", "float64"], "--dtype: audit computes in bfloat16, float16, float32"),
        (["torch", "--dtype", "float32"], "--dtype: float32 takes a band of x: --range A B"),
        (["torch", "--range", "2", "1"], "--range: expected finite A < B, got 2 1"),
        (["torch", "--range", "-inf", "1"], "--range: expected finite A < B"),
        (["torch", "--range", "1.00000001", "1.00000002"], "--range: no float32 lies in [1.0"),
        (["torch", "--range", "0", "1", "--all-float32"], "--range: give a float32 band or"),
        (["torch", "--dtype", "float16", "--range", "0", "1"], "--range: the float32 band, and"),
        (["torch", "--dtype", "bfloat16", "--all-float32"], "--all-float32: the float32 band"),
        (["torch", "--range", "0"], "Option '--range' requires 2 arguments"),
        (["torch", "--tol", "-1"], "--tol: must be a finite number >= 0"),
        (["torch", "-f", "jsonl"], "'jsonl' is not one of 'table', 'csv', 'tsv', 'json'"),
    ],
)
def test_bad_requests_are_one_line_and_exit_2(fake_torch, runner, args, message):
    result = runner.invoke(app, ["audit", *args])
    assert result.exit_code == 2, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_an_unwritable_card_file_is_refused_before_the_run(fake_torch, runner, tmp_path):
    result = runner.invoke(app, ["audit", "torch", "relu", "-o", str(tmp_path / "no" / "c.txt")])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"error: cannot write {tmp_path}/no/c.txt: no directory {tmp_path}/no\n"
    assert "torch" not in sys.modules


def test_the_framework_is_imported_only_by_the_command(fake_torch, runner):
    assert "torch" not in sys.modules
    import actcli.audit
    import actcli.cli.audit  # noqa: F401

    assert "torch" not in sys.modules
