"""``actcli train``: a tiny network trained with each activation, and what happened to it."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actcli import datasets, training
from actcli.cli import figures, output, specs
from actcli.cli.options import (
    DialectOption,
    DpiOption,
    FontOption,
    FormatOption,
    NamesArg,
    NoColorOption,
    ParamOption,
    SizeOption,
    StyleOption,
    TitleOption,
)
from actcli.errors import UsageError
from actcli.formats import OutputFormat, Table

if TYPE_CHECKING:
    from actcli.plotting import Look
    from actcli.training import Report

TABLE_DIGITS = 4  # a rich table rounds to this; CSV and JSON carry every digit


class Data(str, enum.Enum):  # datasets.NAMES (a test holds them equal)
    circles = "circles"
    moons = "moons"
    xor = "xor"
    spiral = "spiral"
    linear = "linear"


class Optimizer(str, enum.Enum):  # training.OPTIMIZERS
    gd = "gd"
    adam = "adam"


class OutputLayer(str, enum.Enum):  # training.OUTPUTS
    sigmoid = "sigmoid"
    softmax = "softmax"
    identity = "identity"


FigureOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Figure file (.png, .svg, .pdf): regions, loss, dead.",
    ),
]


def _bounded(flag: str, least: int, most: int, text: str) -> Any:
    return typer.Option(flag, min=least, max=most, help=text)


def train_command(
    names: NamesArg,
    data: Annotated[Data, typer.Option("--data", help="The data set.")] = Data.circles,
    samples: Annotated[
        int,
        _bounded("--samples", datasets.MIN_SAMPLES, datasets.MAX_SAMPLES, "Points, ¼ held out"),
    ] = 512,
    noise: Annotated[
        float,
        typer.Option(
            "--noise", min=0, max=datasets.MAX_NOISE, help="σ of the noise on each coordinate."
        ),
    ] = 0.1,
    classes: Annotated[
        int | None, typer.Option("--classes", help="spiral: the arms (2 to 8; default 2).")
    ] = None,
    layers: Annotated[int, _bounded("--layers", 1, training.MAX_LAYERS, "Hidden layers")] = 2,
    hidden: Annotated[int, _bounded("--hidden", 1, training.MAX_HIDDEN, "Units per layer")] = 16,
    epochs: Annotated[int, _bounded("--epochs", 1, training.MAX_EPOCHS, "Full-batch epochs")] = 500,
    lr: Annotated[
        float | None,
        typer.Option("--lr", help="Learning rate (default: gd 0.4, 0.1 on linear; adam 0.01)."),
    ] = None,
    optimizer: Annotated[Optimizer, typer.Option("--optimizer")] = Optimizer.gd,
    output_layer: Annotated[
        OutputLayer | None,
        typer.Option("--output-layer", help="Instead of the task's (sigmoid, softmax, identity)."),
    ] = None,
    bias: Annotated[float, typer.Option("--bias", help="Initial bias of the hidden units.")] = 0.0,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Data and initial weights.")] = 0,
    figure: FigureOption = None,
    terminal: Annotated[
        bool, typer.Option("--terminal", help="Draw the regions and the loss in the terminal.")
    ] = False,
    dpi: DpiOption = None,
    size: SizeOption = None,
    title: TitleOption = None,
    style: StyleOption = None,
    font: FontOption = None,
    fmt: FormatOption = OutputFormat.auto,
    params: ParamOption = None,
    dialect: DialectOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Train a tiny network with each activation, and show what happened.

    A full-batch multilayer perceptron in numpy (LAYERS hidden layers of HIDDEN units) whose
    hidden layers use the activation's own f and f′ from actcli. The output layer follows the
    task: sigmoid with binary cross-entropy for two classes, softmax with cross-entropy for
    more (spiral --classes 3), identity with squared error for the regression (linear). Weights
    start from N(0, g²/fan-in) with the variance-preserving gain g = 1/√E[f(z)²] of actcli
    stats (g = 1 into the first layer), the same draws for every activation; biases at --bias.

    Per activation: train and held-out accuracy (R² for linear), the final loss, the first
    epoch with 95 % held-out accuracy, the fraction of dead hidden units (f′ = 0 on every
    training point) at the start and the end, and the gradient norm ‖∂L/∂W‖ reaching each
    layer at the start and the end. The table rounds to 4 digits; --format json adds the
    history by epoch (at most 201 epochs, evenly spread). -o FILE: decision regions, loss and
    dead units. A loss that stops being finite ends the run there, with a note. The same
    --seed gives the same bytes.

    Examples:

      actcli train identity relu tanh sigmoid --data circles

      actcli train relu leaky_relu --data circles --lr 3.5 -o dying.png

      actcli train sigmoid relu --data spiral --classes 3 --layers 8

      actcli train gelu 'x*tanh(x)' --data moons --terminal
    """
    acts = specs.activations(names, params, dialect)
    resolved = _format(fmt, terminal)
    look = _look(figure, len(acts), (dpi, size, style, font, title))
    settings = training.Settings(
        data=data.value, samples=samples, noise=noise, classes=classes, layers=layers,
        hidden=hidden, epochs=epochs, lr=lr, optimizer=optimizer.value, bias=bias, seed=seed,
        output=output_layer.value if output_layer else None,
    )  # fmt: skip
    report = training.train(acts, settings, specs.labels(acts))
    for run in report.runs:
        for text in run.notes:
            output.note(f"note: {text}")
    if figure is not None and look is not None:
        _draw(report, figure, acts, look, title)
    if resolved is OutputFormat.json:
        output.write_json(_document(report))
    else:
        digits = TABLE_DIGITS if resolved is OutputFormat.table else None
        output.emit(_table(report), resolved, precision=digits, no_color=no_color)
    if terminal:
        _terminal(report, no_color)


def _format(fmt: OutputFormat, terminal: bool) -> OutputFormat:
    """--format auto as everywhere; with --terminal a table wherever stdout goes, as the
    drawings beside it are for reading."""
    if not terminal:
        return output.resolve(fmt)
    if fmt not in (OutputFormat.auto, OutputFormat.table):
        raise UsageError(f"--terminal draws beside the table: drop --format {fmt.value}")
    return OutputFormat.table


def _look(path: Path | None, count: int, options: tuple[Any, ...]) -> Look | None:
    """The checked figure options, before any training; without -o, none may be given."""
    dpi, size, style, font, title = options
    from actcli import training_figure

    return figures.beside_a_report(
        path, training_figure.default_size(count),
        size=size, dpi=dpi, style=style, font=font, title=title,
    )  # fmt: skip


def _title(report: Report, joiner: str = " · ") -> str:
    """What was trained on what; the figure's on two lines (``joiner`` a newline)."""
    s, d = report.settings, report.data
    task = f"{d.classes} classes" if d.classes else "regression"
    return joiner.join([
        f"{d.name} ({task}; {len(d.x_train)} points + {len(d.x_test)} held out; noise {d.noise:g})",
        f"{s.layers}×{s.hidden} hidden, {report.output} output · {s.optimizer} lr {s.rate:g}, "
        f"{s.epochs} epochs, seed {s.seed}",
    ])  # fmt: skip


def _table(report: Report) -> Table:
    """One column per activation, one row per quantity (the gradient norms one per layer)."""
    settings, runs = report.settings, report.runs
    score = "accuracy" if report.data.classes else "R²"
    layers = [f"W{i}" for i in range(1, settings.layers + 1)] + ["Wout"]
    rows: list[list[Any]] = [
        ["gain 1/√E[f²]", *(run.gain for run in runs)],
        [f"train {score}", *(run.history.train[-1] for run in runs)],
        [f"held-out {score}", *(run.history.held_out[-1] for run in runs)],
        ["loss", *(run.history.loss[-1] for run in runs)],
        [f"epoch to {training.TARGET:.0%}", *(_epoch(run.reached) for run in runs)],
        ["epochs run", *(len(run.history.loss) - 1 for run in runs)],
        ["dead at start", *(run.history.dead[0] for run in runs)],
        ["dead at end", *(run.history.dead[-1] for run in runs)],
    ]
    for when, at in (("start", 0), ("end", -1)):
        for i, layer in enumerate(layers):
            rows.append([f"‖∇{layer}‖ {when}", *(run.history.gradients[at, i] for run in runs)])
    caption = (
        f"loss: {report.loss}; epoch to {training.TARGET:.0%}: the first with that held-out "
        f"{score}; dead: the fraction of hidden units with f′ = 0 on every training point; "
        "‖∇Wk‖: the norm of ∂L/∂W reaching layer k. Weights N(0, g²/fan-in): g = 1 into "
        f"W1, the gain of actcli stats after it; biases {settings.bias:g}."
    )
    labels = [run.label for run in runs]
    return Table(["quantity", *labels], rows, title=_title(report), meta={"caption": caption})


def _epoch(epoch: int | None) -> int | str:
    return "never" if epoch is None else epoch


def _document(report: Report) -> dict[str, Any]:
    s, d = report.settings, report.data
    runs = []
    for run in report.runs:
        h = run.history
        keep = training.sampled(len(h.loss))
        runs.append({
            "activation": run.label, "spec": run.activation.spec,
            "dialect": run.activation.dialect, "gain": run.gain, "train": h.train[-1],
            "held_out": h.held_out[-1], "loss": h.loss[-1], "epoch_95": run.reached,
            "epochs_run": len(h.loss) - 1, "stopped": run.stopped,
            "dead": {"start": h.dead[0], "end": h.dead[-1]},
            "gradient_norms": {"start": h.gradients[0].tolist(), "end": h.gradients[-1].tolist()},
            "notes": run.notes,
            "history": {
                "epoch": keep.tolist(), "loss": h.loss[keep].tolist(),
                "train": h.train[keep].tolist(), "held_out": h.held_out[keep].tolist(),
                "dead": h.dead[keep].tolist(), "gradient_norms": h.gradients[keep].tolist(),
            },
        })  # fmt: skip
    return {
        "data": {"name": d.name, "classes": d.classes, "train": len(d.x_train),
                 "held_out": len(d.x_test), "noise": d.noise},
        "network": {"layers": s.layers, "hidden": s.hidden, "output": report.output,
                    "loss": report.loss, "bias": s.bias},
        "training": {"optimizer": s.optimizer, "lr": s.rate, "epochs": s.epochs, "seed": s.seed},
        "init": "weights N(0, g²/fan-in); g = 1 into the first layer, then the gain "
                "1/√E[f(z)²] of actcli stats",
        "score": "accuracy" if d.classes else "r2",
        "target": training.TARGET,
        "runs": runs,
    }  # fmt: skip


def _draw(report: Report, path: Path, acts: list[Any], look: Look, title: str | None) -> None:
    from actcli import training_figure

    shown = title if title is not None else _title(report, "\n")
    fig = training_figure.figure(report, title=shown, look=look)
    figures.save(fig, path, acts, shown, look)
    output.note(f"wrote {path}")


def _terminal(report: Report, no_color: bool) -> None:
    from actcli import termplot, training_text

    console = output.console(no_color)
    width = max(console.width, 40)
    sys.stdout.write(training_text.regions(report, width, 14))
    encoding = getattr(sys.stdout, "encoding", None)
    ascii_only = not termplot.can_draw_blocks(encoding)
    color = console.color_system is not None and not (no_color or console.no_color)
    sys.stdout.write(training_text.losses(report, max(width - 12, 20), 15, ascii_only, color))
