"""``train``: the data sets, backpropagation against finite differences, the run's report,
the three demonstrations of issue 14 (README's commands), bad input and reproducibility."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

import actcli
from actcli import train
from actcli.cli import app
from actcli.cli import train as train_cli
from actcli.errors import UsageError
from actcli.plotting import PALETTE
from actcli.train import datasets, network
from actcli.train import report as train_report

# ---------------------------------------------------------------------------------- data sets


def make(name: str, samples: int = 400, noise: float = 0.0, classes: int | None = None, seed=0):
    return datasets.make(name, samples, noise, classes, np.random.default_rng(seed))


def test_the_enums_of_the_command_are_the_cores_names():
    assert [d.value for d in train_cli.Data] == list(datasets.NAMES) == list(train.DATA_SETS)
    assert [o.value for o in train_cli.Optimizer] == list(network.OPTIMIZERS)
    assert [o.value for o in train_cli.OutputLayer] == list(network.OUTPUTS)


@pytest.mark.parametrize("name", datasets.NAMES)
def test_a_data_set_is_the_same_for_the_same_seed_and_split_a_quarter_held_out(name):
    a, b, c = make(name, noise=0.1), make(name, noise=0.1), make(name, noise=0.1, seed=1)
    assert all(np.array_equal(getattr(a, k), getattr(b, k)) for k in ("x_train", "y_test"))
    assert not np.array_equal(a.x_train, c.x_train)
    assert (len(a.x_train), len(a.x_test)) == (300, 100)
    assert a.x_train.shape[1] == 2 and np.isfinite(a.x_train).all()


def test_the_documented_formulas_without_noise():
    circles = make("circles")
    radius = np.hypot(*circles.x_train.T)
    assert np.allclose(radius, np.where(circles.y_train == 0, 1.0, 0.5))
    xor = make("xor")
    assert np.array_equal(xor.y_train, (xor.x_train[:, 0] * xor.x_train[:, 1] > 0))
    linear = make("linear")
    assert np.allclose(linear.y_train, linear.x_train @ [1.0, -2.0] + 0.5)
    spiral = make("spiral", classes=3)
    assert spiral.classes == 3 and set(spiral.y_train) | set(spiral.y_test) == {0, 1, 2}
    moons = make("moons")
    upper = moons.x_train[moons.y_train == 0]
    assert np.allclose(np.hypot(*upper.T), 1.0) and (upper[:, 1] >= 0).all()


def test_classes_are_balanced():
    data = make("spiral", samples=301, classes=3)
    counts = np.bincount(np.concatenate([data.y_train, data.y_test]))
    assert counts.tolist() == [101, 100, 100]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("blobs", 100, 0.1, None), "unknown data set 'blobs'"),
        (("circles", 10, 0.1, None), "between 20 and 10000"),
        (("circles", 100, -1.0, None), "between 0 and 10"),
        (("circles", 100, float("nan"), None), "between 0 and 10"),
        (("circles", 100, 0.1, 3), "circles has 2 classes; only spiral"),
        (("linear", 100, 0.1, 2), "linear is a regression"),
        (("spiral", 100, 0.1, 1), "between 2 and 8"),
    ],
)
def test_bad_data_requests(args, message):
    with pytest.raises(UsageError, match=message):
        datasets.make(*args, np.random.default_rng(0))


# ---------------------------------------------------------------------------------- the network


@pytest.mark.parametrize(("name", "output"), [("circles", "sigmoid"), ("spiral", "softmax"),
                                              ("linear", "identity"), ("circles", "identity")])  # fmt: skip
def test_backpropagation_matches_finite_differences(name, output):
    """∂L/∂W of every layer, as _fit computes it, against central differences of the loss."""
    data = make(name, samples=40, noise=0.1, classes=3 if name == "spiral" else None)
    act = actcli.get("tanh")
    width = 1 if output != "softmax" else 3
    rng = np.random.default_rng(3)
    shapes = [(2, 5), (5, 4), (4, width)]
    net = network.Network(
        [rng.standard_normal(s) * 0.7 for s in shapes],
        [rng.standard_normal(s[1]) * 0.1 for s in shapes],
        np.zeros(2),
        np.ones(2),
    )
    target = network._targets(data, data.y_train, width)
    loss_of = network._Loss(output)

    def loss() -> float:
        return loss_of(network.forward(net, act, data.x_train)[0], target)[0]

    z, inputs, slopes = network.forward(net, act, data.x_train, slopes=len(data.x_train))
    dw, db = network._backward(net, inputs, slopes, loss_of(z, target)[1])
    for params, grads in ((net.weights, dw), (net.biases, db)):
        for p, g in zip(params, grads, strict=True):
            numeric = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                keep = p[i]
                p[i] = keep + 1e-6
                up = loss()
                p[i] = keep - 1e-6
                numeric[i] = (up - loss()) / 2e-6
                p[i] = keep
            assert np.allclose(g, numeric, rtol=1e-5, atol=1e-8)


def test_weights_start_with_the_stats_gain_from_the_same_draws():
    from actcli import stats

    data = make("circles", noise=0.1)
    draws = [np.random.default_rng(5).standard_normal(s) for s in [(2, 16), (16, 16), (16, 1)]]
    gains = {name: network.gain(actcli.get(name)) for name in ("relu", "tanh")}
    relu, tanh = (network._initial(data, draws, network.Settings(), gains[n]) for n in gains)
    relu_gain, tanh_gain = gains["relu"], gains["tanh"]
    assert tanh_gain == stats.moments(actcli.get("tanh")).gain
    assert relu_gain == pytest.approx(2**0.5, rel=1e-12)
    assert network.gain(actcli.get("0*x")) == 1.0  # E[f²] = 0: no gain preserves anything
    assert np.array_equal(relu.weights[0], tanh.weights[0])  # g = 1 into the first layer
    assert np.allclose(tanh.weights[1], draws[1] * tanh_gain / 4)
    assert np.allclose(relu.weights[2], draws[2] * relu_gain / 4)
    assert all((b == 0).all() for b in relu.biases)


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", network.OPTIMIZERS)
def test_a_regression_by_either_optimizer(optimizer):
    settings = network.Settings(data="linear", optimizer=optimizer, epochs=300)
    report = network.train([actcli.get("identity"), actcli.get("tanh")], settings)
    assert report.output == "identity" and report.loss == "½·mean squared error"
    for run in report.runs:
        assert run.history.held_out[-1] > 0.99 and run.reached is not None
        assert run.history.loss[-1] < 0.01  # noise 0.1: the floor is ½·0.01


def test_step_cannot_be_trained_by_gradient_descent_and_is_still_reported():
    (run,) = network.train([actcli.get("step")], network.Settings(epochs=20)).runs
    assert run.history.dead.tolist() == [1.0] * 21
    assert (run.history.gradients[:, :-1] == 0).all() and (run.history.gradients[:, -1] > 0).all()
    assert "cannot be trained by gradient descent" in run.notes[0]
    assert len(run.history.loss) == 21 and run.stopped is None


def test_a_diverging_run_stops_at_the_epoch_whose_loss_is_not_finite():
    settings = network.Settings(lr=10.0, epochs=100)
    (run,) = network.train([actcli.get("leaky_relu")], settings).runs
    assert run.stopped is not None and 1 <= run.stopped < 100
    assert len(run.history.loss) == run.stopped  # epochs 0 .. stopped − 1
    assert np.isfinite(run.history.loss).all()
    assert f"not finite at epoch {run.stopped}: stops there" in run.notes[-1]
    assert all(np.isfinite(w).all() for w in run.network.weights)  # the last finite network


@pytest.mark.parametrize(
    ("names", "settings", "message"),
    [
        (["softmax"], {}, "softmax is a vector activation"),
        (["relu"], {"layers": 0}, "between 1 and 16, got 0"),
        (["relu"], {"hidden": 100_000}, "between 1 and 128, got 100000"),
        (["relu"], {"epochs": 10_001}, "between 1 and 10000"),
        (["relu"], {"lr": 0.0}, "learning rate must be finite and > 0"),
        (["relu"], {"optimizer": "sgd"}, "unknown optimizer"),
        (["relu"], {"data": "spiral", "classes": 3, "output": "sigmoid"}, "sigmoid is for two"),
        (["relu"], {"data": "linear", "output": "softmax"}, "linear is a regression"),
    ],
)
def test_bad_training_requests(names, settings, message):
    with pytest.raises(UsageError, match=message):
        network.train([actcli.get(n) for n in names], network.Settings(**settings))


def test_the_output_layer_can_be_softmax_for_two_classes():
    report = network.train([actcli.get("tanh")], network.Settings(output="softmax", epochs=200))
    assert report.output == "softmax" and report.runs[0].network.weights[-1].shape == (16, 2)
    assert report.runs[0].history.held_out[-1] >= 0.95


def test_the_history_is_sampled_at_a_bounded_number_of_epochs():
    assert train_report.sampled(5).tolist() == [0, 1, 2, 3, 4]
    many = train_report.sampled(10_001)
    assert len(many) == train_report.HISTORY_POINTS and many[0] == 0 and many[-1] == 10_000


# ---------------------------------------------------------------------------------- the command


def run(runner, *args: str):
    return runner.invoke(app, ["train", *args])


def table(stdout: str) -> dict[str, dict[str, str]]:
    """CSV output (quantity, then one column per activation) as {activation: {quantity: cell}}."""
    rows = list(csv.reader(io.StringIO(stdout)))
    names = rows[0][1:]
    return {n: {row[0]: row[1 + i] for row in rows[1:]} for i, n in enumerate(names)}


@pytest.mark.slow
def test_demonstration_1_without_a_non_linearity_depth_does_not_help(runner):
    """README: identity stays near chance on circles; relu and tanh reach 95 %."""
    result = run(runner, "identity", "relu", "tanh", "sigmoid", "--data", "circles")
    assert result.exit_code == 0, result.stderr
    got = table(result.stdout)
    assert float(got["identity"]["held-out accuracy"]) <= 0.70
    assert float(got["relu"]["held-out accuracy"]) >= 0.95
    assert float(got["tanh"]["held-out accuracy"]) >= 0.95
    assert got["identity"]["epoch to 95%"] == "never"
    deeper = table(
        run(runner, "identity", "relu", "tanh", "--data", "circles", "--layers", "4").stdout
    )
    assert float(deeper["identity"]["held-out accuracy"]) <= 0.70
    assert deeper["identity"]["epochs run"] == "500"  # it did not diverge: it cannot do better
    assert min(float(deeper[n]["held-out accuracy"]) for n in ("relu", "tanh")) >= 0.95


@pytest.mark.slow
def test_demonstration_2_relu_dies_leaky_relu_does_not(runner, tmp_path):
    """README: with a large learning rate, a quarter of ReLU's units or more end dead and its
    held-out accuracy is lower; leaky ReLU has none dead; the figure shows them climbing."""
    figure = tmp_path / "dying.png"
    args = ["relu", "leaky_relu", "--data", "circles", "--lr", "3.5", "-o", str(figure)]
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    got = table(result.stdout)
    relu, leaky = got["relu"], got["leaky_relu"]
    assert float(relu["dead at end"]) >= 0.25 and float(leaky["dead at end"]) == 0
    assert float(relu["held-out accuracy"]) < float(leaky["held-out accuracy"])
    assert float(relu["dead at end"]) > float(relu["dead at start"])
    doc = json.loads(run(runner, *args[:-2], "--format", "json").stdout)
    dead = doc["runs"][0]["history"]["dead"]
    assert max(dead[: len(dead) // 2]) > dead[0] and dead[-1] == max(dead)
    pixels = png(figure)
    assert pixels.shape[:2] == (960, 1080)  # 7.2x6.4 inches at 150 dpi: 2×2 panels
    for colour in PALETTE[:2]:  # relu and leaky_relu's lines, in actcli's palette
        assert close_to(pixels, colour).sum() > 500
    assert (pixels[..., :3] < 0.9).any(axis=-1).mean() > 0.05  # drawn on, not blank


@pytest.mark.slow
def test_demonstration_3_sigmoid_gradients_vanish_through_depth(runner):
    """README: at initialisation sigmoid's first layer gets ≥ 1000× less gradient than its
    last; ReLU's stay within 10×."""
    result = run(runner, "sigmoid", "relu", "--data", "spiral", "--classes", "3", "--layers", "8")
    assert result.exit_code == 0, result.stderr
    got = table(result.stdout)
    for name, lo, hi in (("sigmoid", 0.0, 1e-3), ("relu", 0.1, 10.0)):
        ratio = float(got[name]["‖∇W1‖ start"]) / float(got[name]["‖∇Wout‖ start"])
        assert lo < ratio <= hi, (name, ratio)
    sigmoid, relu = (float(got[n]["held-out accuracy"]) for n in ("sigmoid", "relu"))
    assert sigmoid < 0.5 < relu  # three classes: sigmoid stays at chance


def png(path: Path) -> np.ndarray:
    from matplotlib.image import imread

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(imread(path))


def close_to(pixels: np.ndarray, colour: str) -> np.ndarray:
    from matplotlib.colors import to_rgb

    return (np.abs(pixels[..., :3] - np.array(to_rgb(colour))) < 0.06).all(axis=-1)


@pytest.mark.slow
def test_the_same_seed_gives_the_same_bytes(runner, tmp_path):
    common = ["relu", "tanh", "--epochs", "60", "--samples", "200", "--data", "moons"]
    outputs = []
    for attempt in range(2):
        figure = tmp_path / f"f{attempt}.png"
        csv_out = run(runner, *common, "-o", str(figure), "--dpi", "50").stdout
        json_out = run(runner, *common, "--format", "json").stdout
        outputs.append((csv_out, json_out, figure.read_bytes()))
    assert outputs[0] == outputs[1]
    other = run(runner, *common, "--seed", "1").stdout
    assert other != outputs[0][0]


def test_the_table_and_the_json_report(runner):
    from actcli.cli import output

    result = run(runner, "relu", "--epochs", "30", "--samples", "100", "--format", "json")
    doc = json.loads(result.stdout)
    (entry,) = doc["runs"]
    assert doc["data"] == {"name": "circles", "classes": 2, "train": 75, "held_out": 25,
                           "noise": 0.1}  # fmt: skip
    assert doc["network"]["output"] == "sigmoid" and "actcli stats" in doc["init"]
    assert entry["gain"] == pytest.approx(2**0.5) and entry["epochs_run"] == 30
    assert len(entry["gradient_norms"]["start"]) == 3
    assert entry["history"]["epoch"] == list(range(31))
    assert len(entry["history"]["gradient_norms"][0]) == 3
    assert output.stdout_is_terminal() is False
    shown = run(runner, "relu", "tanh", "--epochs", "30", "--samples", "100", "--format", "table")
    assert "gain 1/√E[f²]" in shown.stdout and "the gain of actcli stats" in shown.stdout
    assert "‖∇Wout‖ end" in shown.stdout


def test_terminal_draws_the_regions_and_the_loss(runner):
    result = run(runner, "relu", "identity", "--epochs", "100", "--terminal")
    assert result.exit_code == 0, result.stderr
    assert "relu: held-out accuracy" in result.stdout and "identity: held-out" in result.stdout
    assert "training points of class 0 1: o x" in result.stdout
    assert "binary cross-entropy by epoch" in result.stdout
    regression = run(runner, "tanh", "--data", "linear", "--epochs", "50", "--terminal")
    assert "held-out R²" in regression.stdout and "the predicted value" in regression.stdout


# ---------------------------------------------------------------------------------- bad input


def actcli_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command in a subprocess: exit status and stderr as a user sees them."""
    return subprocess.run(
        ["actcli", "train", *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["relu", "--data", "blobs"], 2, "Invalid value for '--data': 'blobs' is not one of"),
        (["relu", "--layers", "0"], 2, "'--layers': 0 is not in the range 1<=x<=16"),
        (["relu", "--hidden", "100000"], 2, "'--hidden': 100000 is not in the range 1<=x<=128"),
        (["relu", "--epochs", "20000"], 2, "'--epochs': 20000 is not in the range 1<=x<=10000"),
        (["softmax"], 2, "softmax is a vector activation: a hidden layer applies"),
        (["relu", "--lr", "-1"], 2, "the learning rate must be finite and > 0, got -1.0"),
        (["relu", "--classes", "3"], 2, "circles has 2 classes; only spiral"),
        (["relu", "--terminal", "--format", "csv"], 2, "--terminal draws beside the table"),
        (["relu", "--dpi", "100"], 2, "--dpi: only for the figure: give -o FILE"),
        (["relu", "-o", "f.jpg"], 2, "the suffix must be one of .png, .svg, .pdf"),
        (["relu", "-o", "-"], 2, "-o -: the report goes to standard output"),
        (["nosuch"], 2, "unknown activation 'nosuch'"),
    ],
)
@pytest.mark.slow
def test_bad_input_is_one_line_and_a_status(args, status, message):
    result = actcli_cli(*args)
    assert result.returncode == status
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


@pytest.mark.slow
def test_step_and_a_diverging_run_are_reported_with_a_note():
    step = actcli_cli("step", "relu", "--epochs", "20")
    assert step.returncode == 0
    assert "note: step: f′ = 0 on every training point" in step.stderr
    assert "cannot be trained by gradient descent" in step.stderr
    assert step.stdout.startswith("quantity,step,relu\n")
    nan = actcli_cli("leaky_relu", "--lr", "10", "--epochs", "100")
    assert nan.returncode == 0
    assert "the loss is not finite at epoch" in nan.stderr and "stops there" in nan.stderr


# ---------------------------------------------------------------------------------- the cost


@pytest.mark.slow
def test_a_long_request_says_how_long_on_stderr_before_training():
    """At the documented maxima a run takes hours: the first line on stderr says so at once,
    before any epoch (the process is stopped as soon as the line is read)."""
    import selectors
    import time

    args = ["relu", "tanh", "--epochs", "10000", "--layers", "16", "--hidden", "128"]
    with subprocess.Popen(
        ["actcli", "train", *args, "--samples", "10000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        selector = selectors.DefaultSelector()
        selector.register(process.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + 60
        try:
            ready = selector.select(timeout=deadline - time.monotonic())
            line = process.stderr.readline() if ready else ""
        finally:
            process.kill()
    assert line.startswith(
        "note: training 2 activations for 10,000 epochs on 10,000 points through 16×128 "
        "hidden units takes roughly "
    ), line
    assert line.rstrip().endswith(" hours")


def test_the_cost_note_in_the_core_and_its_threshold():
    assert train.estimate(train.Settings()) < 2  # the defaults: no note
    at_most = train.Settings(epochs=10_000, layers=16, hidden=128, samples=10_000)
    assert train.estimate(at_most) > 3600  # hours per activation
    assert train.estimate(at_most, 3) == pytest.approx(3 * train.estimate(at_most))
    assert network._duration(61) == "1 minute"
    assert network._duration(45 * 60) == "45 minutes"
    assert network._duration(3 * 3600 + 100) == "3 hours"
    notes: list[str] = []
    train.train([actcli.get("step")], train.Settings(epochs=5), notify=notes.append)
    assert len(notes) == 1 and notes[0].startswith("note: step: f′ = 0")  # no cost note


@pytest.mark.slow
def test_a_default_request_writes_nothing_on_stderr():
    result = actcli_cli("relu", "--epochs", "50")
    assert result.returncode == 0 and result.stderr == ""


# ---------------------------------------------------------------------------------- library


def test_a_library_user_gets_what_the_command_prints(runner):
    """Report.table and Report.document are the command's CSV and JSON, byte for byte."""
    from actcli import formats

    args = ["relu", "tanh", "--epochs", "40", "--samples", "120", "--data", "moons"]
    settings = train.Settings(data="moons", samples=120, epochs=40)
    report = train.train([actcli.get("relu"), actcli.get("tanh")], settings)
    text = io.StringIO()
    formats.write(report.table(), formats.OutputFormat.csv, text)
    assert text.getvalue() == run(runner, *args, "--format", "csv").stdout
    document = json.dumps(formats.json_safe(report.document()), ensure_ascii=False) + "\n"
    assert document == run(runner, *args, "--format", "json").stdout
    assert report.table().title == report.title()
