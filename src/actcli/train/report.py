"""What ``train`` reports: the result objects (:class:`Report`, one :class:`Run` per activation
with its :class:`History`) and the views of them that ``actcli train`` prints.

:meth:`Report.table` is the table of ``--format table/csv/tsv`` (one column per activation, one
row per quantity), :meth:`Report.document` the JSON document of ``--format json`` (with the
history, sampled at HISTORY_POINTS epochs), :meth:`Report.title` the line above the table and
the figure's title. A library user gets exactly what the command prints::

    report = actcli.train.train([actcli.get("relu")], actcli.train.Settings(epochs=50))
    report.table()      # formats.Table: render it, or formats.write it as CSV
    report.document()   # a dict: json.dumps(formats.json_safe(...))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli.formats import Table

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation
    from actcli.train.datasets import Dataset
    from actcli.train.network import Network, Settings

TARGET = 0.95  # the held-out accuracy (or R²) whose first epoch is reported
HISTORY_POINTS = 201  # epochs kept in the JSON history, evenly spread, first and last included
TABLE_DIGITS = 4  # a rich table rounds to this; CSV and JSON carry every digit
INIT = (
    "weights N(0, g²/fan-in); g = 1 into the first layer, then the gain 1/√E[f(z)²] of actcli stats"
)


@dataclass
class History:
    """One entry per epoch run (epoch 0 is the initial network)."""

    loss: np.ndarray
    train: np.ndarray  # accuracy, or R²
    held_out: np.ndarray
    dead: np.ndarray  # fraction of hidden units with f′ = 0 on every training point
    gradients: np.ndarray  # (epochs, layers + 1): ‖∂L/∂W‖ of each weight matrix

    @property
    def epochs(self) -> np.ndarray:
        return np.arange(len(self.loss))


@dataclass
class Run:
    """One activation's training: its history and the last finite network."""

    activation: Activation
    label: str  # how tables, legends and notes name it
    gain: float
    history: History
    network: Network
    stopped: int | None = None  # the epoch at which the loss stopped being finite
    notes: list[str] = field(default_factory=list)

    @property
    def reached(self) -> int | None:
        """The first epoch with a held-out accuracy (R²) of at least TARGET."""
        hits = np.flatnonzero(self.history.held_out >= TARGET)
        return int(hits[0]) if hits.size else None


@dataclass
class Report:
    """Everything a training request produced, and its table, JSON document and title."""

    settings: Settings
    data: Dataset
    output: str  # the output layer: sigmoid, softmax or identity
    loss: str  # what it minimises, in words
    runs: list[Run]

    @property
    def score(self) -> str:
        """What is scored, in words: accuracy, or R² for a regression."""
        return "accuracy" if self.data.classes else "R²"

    def title(self, joiner: str = " · ") -> str:
        """What was trained on what; the figure's on two lines (``joiner`` a newline)."""
        s, d = self.settings, self.data
        task = f"{d.classes} classes" if d.classes else "regression"
        points = f"{len(d.x_train)} points + {len(d.x_test)} held out; noise {d.noise:g}"
        return joiner.join(
            [
                f"{d.name} ({task}; {points})",
                f"{s.layers}×{s.hidden} hidden, {self.output} output · {s.optimizer} lr "
                f"{s.rate:g}, {s.epochs} epochs, seed {s.seed}",
            ]
        )

    def table(self) -> Table:
        """One column per activation, one row per quantity (the gradient norms one per layer),
        with the title above and a caption saying what the rows are."""
        settings, runs, score = self.settings, self.runs, self.score
        layers = [f"W{i}" for i in range(1, settings.layers + 1)] + ["Wout"]
        rows: list[list[Any]] = [
            ["gain 1/√E[f²]", *(run.gain for run in runs)],
            [f"train {score}", *(run.history.train[-1] for run in runs)],
            [f"held-out {score}", *(run.history.held_out[-1] for run in runs)],
            ["loss", *(run.history.loss[-1] for run in runs)],
            [f"epoch to {TARGET:.0%}", *(_epoch(run.reached) for run in runs)],
            ["epochs run", *(len(run.history.loss) - 1 for run in runs)],
            ["dead at start", *(run.history.dead[0] for run in runs)],
            ["dead at end", *(run.history.dead[-1] for run in runs)],
        ]
        for when, at in (("start", 0), ("end", -1)):
            for i, layer in enumerate(layers):
                norms = (run.history.gradients[at, i] for run in runs)
                rows.append([f"‖∇{layer}‖ {when}", *norms])
        caption = (
            f"loss: {self.loss}; epoch to {TARGET:.0%}: the first with that held-out "
            f"{score}; dead: the fraction of hidden units with f′ = 0 on every training point; "
            "‖∇Wk‖: the norm of ∂L/∂W reaching layer k. Weights N(0, g²/fan-in): g = 1 into "
            f"W1, the gain of actcli stats after it; biases {settings.bias:g}."
        )
        labels = [run.label for run in runs]
        return Table(["quantity", *labels], rows, title=self.title(), meta={"caption": caption})

    def document(self) -> dict[str, Any]:
        """The JSON document: the request, then per activation the table's quantities and the
        history by epoch (at most HISTORY_POINTS epochs, evenly spread)."""
        s, d = self.settings, self.data
        return {
            "data": {
                "name": d.name,
                "classes": d.classes,
                "train": len(d.x_train),
                "held_out": len(d.x_test),
                "noise": d.noise,
            },
            "network": {
                "layers": s.layers,
                "hidden": s.hidden,
                "output": self.output,
                "loss": self.loss,
                "bias": s.bias,
            },
            "training": {
                "optimizer": s.optimizer,
                "lr": s.rate,
                "epochs": s.epochs,
                "seed": s.seed,
            },
            "init": INIT,
            "score": "accuracy" if d.classes else "r2",
            "target": TARGET,
            "runs": [_run_document(run) for run in self.runs],
        }


def _run_document(run: Run) -> dict[str, Any]:
    h = run.history
    keep = sampled(len(h.loss))
    return {
        "activation": run.label,
        "spec": run.activation.spec,
        "dialect": run.activation.dialect,
        "gain": run.gain,
        "train": h.train[-1],
        "held_out": h.held_out[-1],
        "loss": h.loss[-1],
        "epoch_95": run.reached,
        "epochs_run": len(h.loss) - 1,
        "stopped": run.stopped,
        "dead": {"start": h.dead[0], "end": h.dead[-1]},
        "gradient_norms": {"start": h.gradients[0].tolist(), "end": h.gradients[-1].tolist()},
        "notes": run.notes,
        "history": {
            "epoch": keep.tolist(),
            "loss": h.loss[keep].tolist(),
            "train": h.train[keep].tolist(),
            "held_out": h.held_out[keep].tolist(),
            "dead": h.dead[keep].tolist(),
            "gradient_norms": h.gradients[keep].tolist(),
        },
    }


def _epoch(epoch: int | None) -> int | str:
    return "never" if epoch is None else epoch


def sampled(epochs: int) -> np.ndarray:
    """At most HISTORY_POINTS of ``epochs`` epochs, evenly spread, the first and last included."""
    return np.unique(np.linspace(0, epochs - 1, min(epochs, HISTORY_POINTS)).round().astype(int))
