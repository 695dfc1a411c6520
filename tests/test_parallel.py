"""--jobs and --shard: a sweep cut in contiguous parts, computed by processes, gives what one
process gives — the same rows in the same order, the same check report.

The kernels are actcli's own correctly rounded float32 values, spoilt on purpose (misrounded,
out of order, flushed, of the wrong sign, nan): nothing rests on the last bit of a float64
transcendental. The runs are cut small (``BATCH``, ``EVERY_BLOCK`` patched) so that a few
thousand rows go through many processes' tallies and merges.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import actcli
from actcli import inputs, parallel
from actcli.check import compute
from actcli.cli import app
from actcli.cli import progress as bar
from actcli.inputs import every
from actcli.parallel import Shard

F32 = np.float32


# ------------------------------------------------------------------------------ shards


@pytest.mark.parametrize(("text", "pair"), [("1/1", (1, 1)), ("2/8", (2, 8)), (" 3 / 3 ", (3, 3))])
def test_a_shard_is_i_of_n(text, pair):
    assert Shard.parse(text).pair() == pair


@pytest.mark.parametrize("text", ["3/2", "0/0", "0/4", "1/0", "2", "a/b", "-1/2", "1/2/3", ""])
def test_a_bad_shard_is_a_usage_error(text):
    with pytest.raises(actcli.UsageError, match="I/N"):
        Shard.parse(text)


@pytest.mark.parametrize(("low", "high"), [(0, 99), (-5, 5), (0, 2), (7, 7), (3, 2)])
@pytest.mark.parametrize("n", [1, 2, 3, 7, 10])
def test_shards_are_contiguous_and_cover_the_keys_once(low, high, n):
    parts = [every.shard_keys(low, high, (i, n)) for i in range(1, n + 1)]
    keys = [k for lo, hi in parts for k in range(lo, hi + 1)]
    assert keys == list(range(low, high + 1))
    sizes = [hi - lo + 1 for lo, hi in parts]
    assert max(sizes) - min(sizes) <= 1


@pytest.mark.parametrize("dtype", ["bfloat16", "float16", "float8_e4m3fn", "float8_e5m2"])
@pytest.mark.parametrize("n", [1, 3, 8])
def test_every_shard_in_turn_is_the_whole_sweep(dtype, n):
    whole = np.concatenate(list(every.every_value(dtype, special=True)))
    parts = [
        np.concatenate(list(every.every_value(dtype, None, True, (i, n)))) for i in range(1, n + 1)
    ]
    joined = np.concatenate(parts)
    assert joined.view(np.int64).tolist() == whole.view(np.int64).tolist()
    counts = [inputs.every_count(dtype, None, True, (i, n)) for i in range(1, n + 1)]
    assert counts == [p.size for p in parts]


def test_jobs_default_to_the_cores_and_refuse_zero():
    assert parallel.jobs_or_default(None) == parallel.cpu_count() >= 1
    assert parallel.jobs_or_default(3) == 3
    with pytest.raises(actcli.UsageError, match="1 or more"):
        parallel.jobs_or_default(0)


def test_ordered_in_one_process_is_map():
    assert list(parallel.ordered(abs, [-3, 2, -1], 1)) == [3, 2, 1]


@pytest.mark.slow
def test_ordered_over_processes_keeps_the_order():
    assert list(parallel.ordered(abs, range(-50, 0), 2)) == list(range(50, 0, -1))


# ------------------------------------------------------------------------------ eval


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--all", "bfloat16", "--shard", "3/2"], "--shard: '3/2': I/N needs 1 <= I <= N (from 1)"),
        (["--all", "bfloat16", "--shard", "0/0"], "--shard: '0/0': I/N needs 1 <= I <= N (from 1)"),
        (["--all", "bfloat16", "--shard", "x"], "--shard: expected I/N (e.g. 2/8), got 'x'"),
        (["--all", "bfloat16", "--jobs", "0"], "--jobs: must be 1 or more, got 0"),
        (["1", "--jobs", "2"], "--jobs: only with --all"),
        (["--range", "0", "1", "--shard", "1/2"], "--shard: only with --all"),
    ],
)
def test_eval_refuses_bad_jobs_and_shards(runner, args, message):
    refused = runner.invoke(app, ["eval", "gelu", *args])
    assert (refused.exit_code, refused.stderr) == (2, f"error: {message}\n")


def test_a_vector_activation_is_not_sharded(runner):
    got = runner.invoke(app, ["eval", "softmax", "--all", "float8_e5m2", "--shard", "1/2"])
    assert (got.exit_code, got.stderr) == (
        2,
        "error: --shard: softmax is a vector activation; it takes its whole input\n",
    )


def test_eval_shards_joined_are_the_sweep(runner):
    args = ["eval", "gelu", "--all", "float8_e4m3fn", "--special", "--dtype", "float8_e4m3fn"]
    whole = runner.invoke(app, [*args, "--jobs", "1"]).stdout
    parts = [
        runner.invoke(app, [*args, "--shard", f"{i}/3", "--no-header"]).stdout for i in (1, 2, 3)
    ]
    assert whole == "x,gelu\n" + "".join(parts)


def test_float32_sweep_of_all_values_is_allowed_with_a_shard(runner):
    n = 2 * 0x7F7FFFFF + 2  # the finite float32, ±0 both: one a shard
    for i, row in [
        (1, "-3.4028234663852886e+38,0.0"),
        (n // 2, "-0.0,0.0"),
        (n, "3.4028234663852886e+38,3.4028234663852886e+38"),
    ]:
        got = runner.invoke(app, ["eval", "relu", "--all", "float32", "--shard", f"{i}/{n}"])
        assert got.exit_code == 0, got.stderr
        assert got.stdout.splitlines()[1:] == [row]


@pytest.mark.slow
@pytest.mark.parametrize("order", [0, 1])
def test_eval_over_processes_writes_the_rows_of_one(runner, monkeypatch, order):
    monkeypatch.setattr(every, "EVERY_BLOCK", 1500)  # 44 pieces, over 2 processes
    command = "eval" if order == 0 else "diff"
    args = [command, "silu", "--all", "bfloat16", "--special", "--dtype", "bfloat16"]
    one = runner.invoke(app, [*args, "--jobs", "1"])
    two = runner.invoke(app, [*args, "--jobs", "2"])
    assert two.exit_code == one.exit_code == 0
    assert two.stdout == one.stdout and two.stderr == one.stderr  # (the warnings' counts too)
    assert len(one.stdout.splitlines()) == 1 + inputs.every_count("bfloat16", special=True)


@pytest.mark.slow
def test_a_family_and_a_formula_over_processes(runner, monkeypatch):
    monkeypatch.setattr(every, "EVERY_BLOCK", 40)  # 7 pieces of float8_e4m3fn's 253 values
    for name in (["elu", "--sweep", "alpha=0.5,1,2"], ["x*tanh(log1p(exp(x)))"]):
        args = ["eval", *name, "--all", "float8_e4m3fn", "--dtype", "float8_e4m3fn"]
        one, two = (runner.invoke(app, [*args, "-j", j]) for j in ("1", "2"))
        assert two.exit_code == one.exit_code == 0, two.stderr
        assert (two.stdout, two.stderr) == (one.stdout, one.stderr)


@pytest.mark.slow
def test_eval_over_processes_to_npz_is_the_same_file(runner, monkeypatch, tmp_path):
    monkeypatch.setattr(every, "EVERY_BLOCK", 4096)
    args = ["eval", "gelu", "--all", "float32", "--range", "1", "1.01", "--dtype", "float32"]
    for j in (1, 2):
        got = runner.invoke(app, [*args, "--jobs", str(j), "-o", str(tmp_path / f"{j}.npz")])
        assert got.exit_code == 0, got.stderr
    one, two = np.load(tmp_path / "1.npz"), np.load(tmp_path / "2.npz")
    assert one["y"].dtype == two["y"].dtype == F32
    assert np.array_equal(one["x"], two["x"]) and np.array_equal(one["y"], two["y"])


# ------------------------------------------------------------------------------ check


def spoilt_kernel() -> tuple[np.ndarray, np.ndarray]:
    """gelu at every bfloat16 (as float32 x) with ±inf and nan: correctly rounded float32
    values, then spoilt — misrounded rows, a non-monotonic run, zeros past -10, a wrong sign,
    nan outputs, subnormal inputs read as 0, a wrong sign of zero."""
    x = np.concatenate(list(every.every_value("bfloat16", special=True))).astype(F32)
    y = actcli.get("gelu")(x).astype(F32)
    finite = np.flatnonzero(np.isfinite(y))
    rng = np.random.default_rng(20)
    bumped = rng.choice(finite, 400, replace=False)
    y[bumped] = np.nextafter(y[bumped], F32(np.inf))
    y[x < -10] = 0
    run = np.flatnonzero((x > 1) & (x < 1.1))
    y[run] = y[run][::-1]
    y[np.flatnonzero(x > 3)[5]] *= -1
    y[np.flatnonzero(x > 5)[:3]] = np.nan
    sub = np.flatnonzero((np.abs(x) < np.finfo(F32).tiny) & (x != 0))
    y[sub] = 0
    y[np.flatnonzero((x == 0) & np.signbit(x))] = F32(0.0)
    return x.astype(np.float64), y.astype(np.float64)


def same_reports(monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> tuple[str, str]:
    x, y = spoilt_kernel()
    one = actcli.check("gelu", x, y, jobs=1, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(compute, "BATCH", 3001)  # 22 runs, over 2 processes
    monkeypatch.setattr(compute, "INLINE", 0)
    two = actcli.check("gelu", x, y, jobs=2, **kwargs)  # type: ignore[arg-type]
    return json.dumps(one.document()), json.dumps(two.document())


@pytest.mark.slow
@pytest.mark.parametrize(
    "kwargs",
    [
        {"dtype": "float32", "tol": 0.5},
        {"dtype": "float32", "tol": 1, "bands": [-4, 0, 4]},
        {"dtype": "float32", "daz": True},
        {"dtype": "float64", "order": 1, "atol": 1e-7},
    ],
)
def test_check_over_processes_gives_the_report_of_one(monkeypatch, kwargs):
    one, two = same_reports(monkeypatch, **kwargs)
    assert one == two
    kinds = {f["kind"] for f in json.loads(one)["findings"]}
    if kwargs.get("order", 0) == 0:
        assert {"non_monotonic", "flush_to_zero", "sign_error", "non_finite"} <= kinds


@pytest.mark.slow
def test_check_over_processes_with_x_out_of_order(monkeypatch):
    x, y = spoilt_kernel()
    order = np.random.default_rng(1).permutation(x.size)
    one = actcli.check("gelu", x[order], y[order], dtype="float32", jobs=1)
    monkeypatch.setattr(compute, "BATCH", 5000)
    monkeypatch.setattr(compute, "INLINE", 0)
    two = actcli.check("gelu", x[order], y[order], dtype="float32", jobs=2)
    assert json.dumps(one.document()) == json.dumps(two.document())


def test_check_refuses_zero_jobs(runner, tmp_path):
    data = tmp_path / "k.csv"
    data.write_text("x,y\n1,0.8413447460685429\n")
    refused = runner.invoke(app, ["check", "gelu", str(data), "--jobs", "0"])
    assert (refused.exit_code, refused.stderr) == (2, "error: --jobs: must be 1 or more, got 0\n")
    small = runner.invoke(app, ["check", "gelu", str(data), "-j", "2"])  # (one process: 1 row)
    assert small.exit_code == 0, small.stderr


# ------------------------------------------------------------------------------ progress


def test_no_bar_in_a_pipe(monkeypatch, capsys):
    monkeypatch.setattr(bar, "SMALL", 0)
    monkeypatch.setattr(bar, "stderr_is_terminal", lambda: False)
    blocks = [[np.zeros(3)], [np.zeros(2)]]
    assert list(bar.rows(blocks, 5, "evaluating")) == blocks
    assert capsys.readouterr().err == ""


def test_a_bar_with_rate_and_eta_on_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(bar, "SMALL", 0)
    monkeypatch.setattr(bar, "stderr_is_terminal", lambda: True)
    blocks = [[np.zeros(3)], [np.zeros(2)]]
    assert list(bar.rows(blocks, 5, "evaluating")) == blocks
    drawn = capsys.readouterr()
    assert drawn.out == ""
    assert "evaluating" in drawn.err and "100%" in drawn.err and "rows/s" in drawn.err


# ------------------------------------------------------------------------------ Dask


@pytest.fixture(scope="module")
def dask_scheduler():
    """A local Dask cluster of 2 worker processes; its scheduler's address."""
    distributed = pytest.importorskip(
        "distributed", reason="Dask is an optional extra: pip install 'actcli[dask]'"
    )
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
def test_a_dask_cluster_gives_what_one_process_gives(runner, monkeypatch, dask_scheduler):
    monkeypatch.setattr(every, "EVERY_BLOCK", 5000)
    args = ["eval", "gelu", "--all", "bfloat16", "--special", "--dtype", "bfloat16"]
    one = runner.invoke(app, [*args, "--jobs", "1"])
    far = runner.invoke(app, [*args, "--scheduler", dask_scheduler])
    assert far.exit_code == 0, far.stderr
    assert (far.stdout, far.stderr) == (one.stdout, one.stderr)
    x, y = spoilt_kernel()
    alone = actcli.check("gelu", x, y, dtype="float32", tol=0.5)
    monkeypatch.setattr(compute, "BATCH", 7000)
    monkeypatch.setattr(compute, "INLINE", 0)
    spread = actcli.check("gelu", x, y, dtype="float32", tol=0.5, scheduler=dask_scheduler)
    assert json.dumps(spread.document()) == json.dumps(alone.document())


@pytest.mark.slow
def test_a_scheduler_that_is_not_there(runner, monkeypatch):
    pytest.importorskip("distributed", reason="Dask is an optional extra")
    from actcli import cluster

    monkeypatch.setattr(cluster, "CONNECT", 0.5)
    got = runner.invoke(
        app, ["eval", "relu", "--all", "float8_e5m2", "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert got.exit_code == 1
    assert got.stderr.startswith(
        "error: --scheduler: cannot reach the Dask scheduler at tcp://127.0.0.1:9"
    )
    assert len(got.stderr.splitlines()) == 1


def test_jobs_and_a_scheduler_are_one_or_the_other(runner):
    got = runner.invoke(
        app, ["eval", "relu", "--all", "float8_e5m2", "-j", "2", "--scheduler", "tcp://h:1"]
    )
    assert (got.exit_code, got.stderr) == (
        2,
        "error: --jobs and --scheduler: give one; a Dask cluster has its own workers\n",
    )


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_check_on_a_terminal_has_a_bar_a_pass_and_the_same_report(
    runner, monkeypatch, tmp_path, source
):
    x = np.linspace(-3, 3, 2001)
    y = actcli.get("gelu")(x)
    text = "x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in zip(x.tolist(), y.tolist(), strict=True))
    data = tmp_path / "k.csv"
    data.write_text(text)
    args = ["check", "gelu", "-" if source == "stdin" else str(data), "-f", "json"]
    plain = runner.invoke(app, args, input=text)
    monkeypatch.setattr(bar, "stderr_is_terminal", lambda: True)
    drawn = runner.invoke(app, args, input=text)
    assert drawn.exit_code == plain.exit_code == 0, drawn.stderr
    assert drawn.stdout == plain.stdout
    assert "checking, pass 1" in drawn.stderr and plain.stderr == ""
