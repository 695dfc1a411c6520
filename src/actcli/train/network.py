"""What ``train`` computes: a small multilayer perceptron trained with an activation's own f and f′.

:func:`train` is the entry point (a :class:`Settings` in, a :class:`~actcli.train.report.Report`
out); :func:`estimate` says roughly how long a request takes, and :func:`train` says so first
when that is long. :func:`regions` is what a trained network predicts on a grid (the figure's
and the terminal's decision regions).

The network is numpy matrices and nothing else: L hidden layers of H units with the activation
under study, then an output layer that follows the task (sigmoid with binary cross-entropy for
two classes, softmax with cross-entropy for more, identity with squared error for a
regression). Backpropagation uses ``Activation.derivative``, so whatever actcli can evaluate
(a catalog name, ``name:k=v``, a dialect's kink rule, a formula in x) it can train with.

Training is full-batch: every epoch is one forward pass over all the points (the held-out ones
ride along, so that their accuracy costs no second pass) and one update, by gradient descent or
Adam. The inputs are standardised with the training points' mean and deviation. Weights are
drawn from N(0, g²/fan-in): g = 1 for the first layer (its inputs have unit variance) and, for
every later one, the variance-preserving gain g = 1/√E[f(z)²] that ``stats`` computes for the
activation (its inputs are f of unit-variance pre-activations). Every activation starts from
the same draws, scaled by its gain, so that runs differ only by the activation.

After every epoch the run records the loss, both accuracies (R² for a regression), the
fraction of dead hidden units (f′ = 0 on every training point) and the norm of the gradient
reaching each weight matrix (:class:`~actcli.train.report.History`). A loss or gradient that
stops being finite ends the run there.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from actcli import elementary as el
from actcli.catalog.binding import Activation
from actcli.errors import DataError, UsageError
from actcli.train import datasets
from actcli.train.report import History, Report, Run

MAX_LAYERS = 16
MAX_HIDDEN = 128
MAX_EPOCHS = 10_000
OPTIMIZERS = ("gd", "adam")
OUTPUTS = ("sigmoid", "softmax", "identity")
LEARNING_RATES = {"gd": 0.4, "adam": 0.01}  # gd: 0.5 makes identity at --layers 4 diverge
# squared error on linear diverges under gd at 0.5 (identity by epoch 4, tanh by epoch 400)
REGRESSION_GD_RATE = 0.1
ADAM = (0.9, 0.999, 1e-8)  # β₁, β₂, ε: Kingma & Ba's defaults
# the cost of an epoch, measured on 2 shared cores (relu and tanh 30-50 ns per point and unit,
# gelu about 100): the maxima take hours per activation, the defaults half a second
EPOCH_SECONDS = 5e-4
UNIT_SECONDS = 5e-8
LONG_RUN = 60.0  # seconds of estimated training beyond which a note says how long


@dataclass(frozen=True)
class Settings:
    """One training request; ``lr`` and ``output`` None: the optimizer's and the task's."""

    data: str = "circles"
    samples: int = 512
    noise: float = 0.1
    classes: int | None = None
    layers: int = 2
    hidden: int = 16
    epochs: int = 500
    lr: float | None = None
    optimizer: str = "gd"
    output: str | None = None
    bias: float = 0.0
    seed: int = 0

    @property
    def rate(self) -> float:
        if self.lr is not None:
            return self.lr
        if self.optimizer == "gd" and self.data in datasets.REGRESSIONS:
            return REGRESSION_GD_RATE
        return LEARNING_RATES.get(self.optimizer, math.nan)


@dataclass
class Network:
    """Weights (fan-in × fan-out) and biases, with the standardisation of the inputs."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    shift: np.ndarray
    scale: np.ndarray


def train(
    acts: list[Activation],
    settings: Settings,
    labels: list[str] | None = None,
    *,
    notify: Callable[[str], None] | None = None,
) -> Report:
    """Train one network per activation on the data set of ``settings``; ``labels`` name the
    runs (default: the activations' specs).

    ``notify`` is given each note as a line (``note: ...``) as soon as it is known: the
    estimated time of a long request (over LONG_RUN seconds) before training starts, then
    each run's notes (also in ``Run.notes``) when it ends.
    """
    _check(acts, settings)
    rng = np.random.default_rng([settings.seed, 0])
    data = datasets.make(settings.data, settings.samples, settings.noise, settings.classes, rng)
    output = _output(data, settings.output)
    tell = notify or (lambda _: None)
    seconds = estimate(settings, len(acts))
    if seconds > LONG_RUN:  # hours of work at the maxima: say so before it starts
        tell(f"note: {_request(settings, len(acts))} takes roughly {_duration(seconds)}")
    widths = [2] + [settings.hidden] * settings.layers + [_width(data, output)]
    draws = [  # the same for every activation
        np.random.default_rng([settings.seed, 1]).standard_normal((a, b))
        for a, b in itertools.pairwise(widths)
    ]
    runs = []
    for act, name in zip(acts, labels or [act.spec for act in acts], strict=True):
        runs.append(_fit(act, name, data, output, draws, settings))
        for text in runs[-1].notes:
            tell(f"note: {text}")
    return Report(settings, data, output, LOSSES[output], runs)


def estimate(settings: Settings, count: int = 1) -> float:
    """Roughly how many seconds training ``count`` activations takes: every epoch costs about
    EPOCH_SECONDS plus UNIT_SECONDS per point (held-out ones too) and hidden unit."""
    units = settings.samples * settings.layers * settings.hidden
    return count * (settings.epochs + 1) * (EPOCH_SECONDS + units * UNIT_SECONDS)


def _request(settings: Settings, count: int) -> str:
    s = settings
    activations = f"{count} activation{'s' if count != 1 else ''}"
    return (
        f"training {activations} for {s.epochs:,} epochs on {s.samples:,} points through "
        f"{s.layers}×{s.hidden} hidden units"
    )


def _duration(seconds: float) -> str:
    if seconds < 90 * 60:
        minutes = max(round(seconds / 60), 1)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{round(seconds / 3600)} hours"


def _check(acts: list[Activation], settings: Settings) -> None:
    for act in acts:
        if act.kind != "elementwise":
            raise UsageError(
                f"{act.name} is a vector activation: a hidden layer applies its activation "
                "to each unit on its own (give an elementwise one)"
            )
    bounds = {"layers": MAX_LAYERS, "hidden": MAX_HIDDEN, "epochs": MAX_EPOCHS}
    for option, most in bounds.items():
        value = getattr(settings, option)
        if not 1 <= value <= most:
            raise UsageError(f"must be between 1 and {most}, got {value}", option=option)
    if settings.optimizer not in OPTIMIZERS:
        raise UsageError(f"unknown optimizer {settings.optimizer!r}: gd or adam")
    if not (math.isfinite(settings.rate) and settings.rate > 0):
        raise UsageError(f"the learning rate must be finite and > 0, got {settings.rate}")
    if not math.isfinite(settings.bias):
        raise UsageError(f"the initial bias must be finite, got {settings.bias}")


# ---------------------------------------------------------------------------------- output layer

LOSSES = {
    "sigmoid": "binary cross-entropy",
    "softmax": "cross-entropy",
    "identity": "½·mean squared error",
}


def _output(data: datasets.Dataset, asked: str | None) -> str:
    """The output layer the task calls for, or the one asked for if it fits the task."""
    task = "identity" if not data.classes else "sigmoid" if data.classes == 2 else "softmax"
    if asked is None or asked == task:
        return task
    if asked not in OUTPUTS:
        raise UsageError(f"unknown output layer {asked!r}: one of {', '.join(OUTPUTS)}")
    if not data.classes:
        raise UsageError(f"{data.name} is a regression: its output layer is identity")
    if asked == "sigmoid":
        raise UsageError(f"sigmoid is for two classes; {data.name} has {data.classes}")
    return asked


def _width(data: datasets.Dataset, output: str) -> int:
    return 1 if not data.classes or (output != "softmax" and data.classes == 2) else data.classes


def _targets(data: datasets.Dataset, y: np.ndarray, width: int) -> np.ndarray:
    """Labels as the output layer's targets: a column of 0/1, one-hot rows, or the values."""
    if not data.classes:
        return y[:, None]
    if width == 1:
        return y[:, None].astype(np.float64)
    one_hot: np.ndarray = np.eye(width)[y]
    return one_hot


class _Loss:
    """The output layer's mean loss over the rows, and its gradient with respect to the
    layer's input z.

    The cross-entropies are taken from the logits through actcli's own log_sigmoid and
    log_softmax, never as the log of a rounded probability. For two classes, with
    s = ±z (+ for class 1), the loss is −log σ(s) and its gradient σ(z) − y = ±expm1(log σ(s)):
    one call, and a tiny gradient of a well-classified point is not rounded to 0.
    """

    def __init__(self, output: str) -> None:
        import actcli

        self.output = output
        self.log = actcli.get("log_softmax" if output == "softmax" else "log_sigmoid")

    def __call__(self, z: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
        n = len(z)
        if self.output == "identity":  # ½·mean squared error: its gradient is z − y, per row
            error = z - target
            return float(0.5 * np.mean(error * error)), error / error.size
        if self.output == "sigmoid":
            sign = 2.0 * target - 1.0
            log_p = np.asarray(self.log(sign * z))
            return float(-np.mean(log_p)), sign * el.expm1(log_p) / n
        log_p = np.asarray(self.log(z, axis=-1))
        return float(-np.sum(target * log_p) / n), (el.exp(log_p) - target) / n


def decide(output: str, z: np.ndarray) -> np.ndarray:
    """The class each row of the output layer's input z predicts."""
    if z.shape[1] > 1:
        classes: np.ndarray = np.argmax(z, axis=1)
        return classes
    # one output: a logit (cut at 0) or, under identity, the class itself (cut at ½)
    return (z[:, 0] > (0.5 if output == "identity" else 0.0)).astype(np.int64)


def _score(data: datasets.Dataset, output: str, z: np.ndarray, y: np.ndarray) -> float:
    """Accuracy, or R² for a regression."""
    if data.classes:
        return np.count_nonzero(decide(output, z) == y) / len(y)
    residual = float(np.sum((z[:, 0] - y) ** 2))
    total = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - residual / total if total > 0 else math.nan


# ---------------------------------------------------------------------------------- the network


def _initial(
    data: datasets.Dataset, draws: list[np.ndarray], settings: Settings, gain: float
) -> Network:
    """The draws scaled to N(0, g²/fan-in): g = 1 into the first layer, ``gain`` after it."""
    weights = [d * (1.0 if i == 0 else gain) / math.sqrt(d.shape[0]) for i, d in enumerate(draws)]
    biases = [np.full(w.shape[1], settings.bias if i < settings.layers else 0.0)
              for i, w in enumerate(weights)]  # fmt: skip
    shift = data.x_train.mean(axis=0)
    scale = data.x_train.std(axis=0)
    return Network(weights, biases, shift, np.where(scale > 0, scale, 1.0))


def gain(act: Activation) -> float:
    """The variance-preserving gain 1/√E[f(z)²] of ``stats``, or 1 where there is none
    (E[f²] = 0: f is 0 almost everywhere)."""
    from actcli import stats

    g = stats.moments(act).gain
    return g if math.isfinite(g) and g > 0 else 1.0


def forward(
    net: Network, act: Activation, x: np.ndarray, slopes: int = 0
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """The output layer's input z for the points x, each layer's input, and f′ of each hidden
    layer's pre-activations on the first ``slopes`` points (the training ones: f′ of the
    held-out points is never needed, and costs as much as f)."""
    h = (x - net.shift) / net.scale
    inputs, derivatives = [h], []
    for w, b in zip(net.weights[:-1], net.biases[:-1], strict=True):
        z = h @ w + b
        h = np.asarray(act(z))
        if slopes:
            derivatives.append(np.asarray(act.derivative(z[:slopes])))
        inputs.append(h)
    return h @ net.weights[-1] + net.biases[-1], inputs, derivatives


def _backward(
    net: Network, inputs: list[np.ndarray], slopes: list[np.ndarray], dz: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """∂L/∂W and ∂L/∂b of every layer, from ∂L/∂z of the output layer (rows: training points)."""
    n = len(dz)
    dw, db = [], []
    for i in range(len(net.weights) - 1, -1, -1):
        dw.append(inputs[i][:n].T @ dz)
        db.append(dz.sum(axis=0))
        if i:
            dz = (dz @ net.weights[i].T) * slopes[i - 1]
    return dw[::-1], db[::-1]


class _Optimizer:
    """Gradient descent, or Adam (bias-corrected moments)."""

    def __init__(self, kind: str, rate: float, params: list[np.ndarray]) -> None:
        self.kind, self.rate, self.step = kind, rate, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def update(self, params: list[np.ndarray], grads: list[np.ndarray]) -> list[np.ndarray]:
        """New arrays (the old ones stay the last finite network if these overflow)."""
        if self.kind == "gd":
            return [p - self.rate * g for p, g in zip(params, grads, strict=True)]
        beta1, beta2, eps = ADAM
        self.step += 1
        self.m = [beta1 * m + (1 - beta1) * g for m, g in zip(self.m, grads, strict=True)]
        self.v = [beta2 * v + (1 - beta2) * g * g for v, g in zip(self.v, grads, strict=True)]
        c1, c2 = 1 - beta1**self.step, 1 - beta2**self.step
        return [
            p - self.rate * (m / c1) / (np.sqrt(v / c2) + eps)
            for p, m, v in zip(params, self.m, self.v, strict=True)
        ]


def _fit(
    act: Activation,
    label: str,
    data: datasets.Dataset,
    output: str,
    draws: list[np.ndarray],
    settings: Settings,
) -> Run:
    g = gain(act)
    net = _initial(data, draws, settings, g)
    n = len(data.x_train)
    points = np.concatenate([data.x_train, data.x_test])
    target = _targets(data, data.y_train, draws[-1].shape[1])
    optimizer = _Optimizer(settings.optimizer, settings.rate, net.weights + net.biases)
    loss_of = _Loss(output)
    units = settings.layers * settings.hidden
    rows: list[tuple[float, float, float, float, list[float]]] = []
    good, grads, stopped = net, None, None
    for epoch in range(settings.epochs + 1):
        try:
            # a run that diverges overflows: that ends it (stopped), it is not a warning
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                if grads is not None:
                    params = optimizer.update(good.weights + good.biases, grads)
                    k = len(good.weights)
                    net = Network(params[:k], params[k:], good.shift, good.scale)
                z, inputs, slopes = forward(net, act, points, slopes=n)
                loss, dz = loss_of(z[:n], target)
                dw, db = _backward(net, inputs, slopes, dz)
                norms = [math.sqrt(float(np.vdot(g, g))) for g in dw]
        except FloatingPointError:
            stopped = epoch
            break
        if not math.isfinite(loss) or not all(map(math.isfinite, norms)):
            stopped = epoch
            break
        dead = sum(s.shape[1] - np.count_nonzero(s.any(axis=0)) for s in slopes) / units
        train_score = _score(data, output, z[:n], data.y_train)
        rows.append((loss, train_score, _score(data, output, z[n:], data.y_test), dead, norms))
        good, grads = net, dw + db
    if not rows:
        raise DataError(f"{label}: the initial network's loss is not finite")
    loss_, train_, held_, dead_, norms_ = zip(*rows, strict=True)
    history = History(
        np.array(loss_), np.array(train_), np.array(held_), np.array(dead_), np.array(norms_)
    )
    notes = _notes(label, history, stopped, settings)
    return Run(act, label, g, history, good, stopped, notes)


def _notes(label: str, history: History, stopped: int | None, settings: Settings) -> list[str]:
    notes = []
    if history.dead[0] == 1.0:
        notes.append(
            f"{label}: f′ = 0 on every training point of every hidden unit, so no gradient "
            "reaches the hidden layers: it cannot be trained by gradient descent (only the "
            "output layer learns)"
        )
    if stopped is not None:
        notes.append(
            f"{label}: the loss is not finite at epoch {stopped}: stops there "
            f"(the report is that of epoch {stopped - 1}; try a learning rate below "
            f"{settings.rate:g})"
        )
    return notes


# ---------------------------------------------------------------------------------- views


def region_grid(data: datasets.Dataset, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The x and y of a steps × steps grid over every point, with a margin of a tenth."""
    points = np.concatenate([data.x_train, data.x_test])
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = 0.1 * np.maximum(hi - lo, 1e-9)
    xs, ys = (np.linspace(lo[i] - pad[i], hi[i] + pad[i], steps) for i in (0, 1))
    return xs, ys


def regions(report: Report, run: Run, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """What the trained network predicts at each point of the grid xs × ys, as an array of
    len(ys) rows: the class, or the value of a regression."""
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    # the last finite network may still overflow far from the data: inf is still a decision
    with np.errstate(over="ignore", invalid="ignore"):
        z = forward(run.network, run.activation, points)[0]
    shown = decide(report.output, z) if report.data.classes else z[:, 0]
    return shown.reshape(gx.shape)
