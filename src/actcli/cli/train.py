"""``actcli train``: a tiny network trained with each activation, and what happened to it."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from actcli import train
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
from actcli.formats import OutputFormat
from actcli.train import datasets

if TYPE_CHECKING:
    from actcli.plotting import Look
    from actcli.train import Report


class Data(str, enum.Enum):  # train.DATA_SETS (a test holds them equal)
    circles = "circles"
    moons = "moons"
    xor = "xor"
    spiral = "spiral"
    linear = "linear"


class Optimizer(str, enum.Enum):  # train.OPTIMIZERS
    gd = "gd"
    adam = "adam"


class OutputLayer(str, enum.Enum):  # train.OUTPUTS
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
    layers: Annotated[int, _bounded("--layers", 1, train.MAX_LAYERS, "Hidden layers")] = 2,
    hidden: Annotated[int, _bounded("--hidden", 1, train.MAX_HIDDEN, "Units per layer")] = 16,
    epochs: Annotated[int, _bounded("--epochs", 1, train.MAX_EPOCHS, "Full-batch epochs")] = 500,
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
    dead units. A loss that stops being finite ends the run there, with a note. A request
    estimated to take over a minute says how long on stderr before it starts (the maxima take
    hours per activation). The same --seed gives the same bytes.

    Examples:

      actcli train identity relu tanh sigmoid --data circles

      actcli train relu leaky_relu --data circles --lr 3.5 -o dying.png

      actcli train sigmoid relu --data spiral --classes 3 --layers 8

      actcli train gelu 'x*tanh(x)' --data moons --terminal
    """
    acts = specs.activations(names, params, dialect)
    resolved = _format(fmt, terminal)
    look = _look(figure, len(acts), (dpi, size, style, font, title))
    settings = train.Settings(
        data=data.value,
        samples=samples,
        noise=noise,
        classes=classes,
        layers=layers,
        hidden=hidden,
        epochs=epochs,
        lr=lr,
        optimizer=optimizer.value,
        output=output_layer.value if output_layer else None,
        bias=bias,
        seed=seed,
    )
    report = train.train(acts, settings, specs.labels(acts), notify=output.note)
    if figure is not None and look is not None:
        _draw(report, figure, acts, look, title)
    if resolved is OutputFormat.json:
        output.write_json(report.document())
    else:
        digits = train.TABLE_DIGITS if resolved is OutputFormat.table else None
        output.emit(report.table(), resolved, precision=digits, no_color=no_color)
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
    from actcli.train import figure

    default = figure.default_size(count)
    return figures.beside_a_report(
        path, default, size=size, dpi=dpi, style=style, font=font, title=title
    )


def _draw(report: Report, path: Path, acts: list[Any], look: Look, title: str | None) -> None:
    from actcli.train import figure

    shown = title if title is not None else report.title("\n")
    figures.save(figure.figure(report, title=shown, look=look), path, acts, shown, look)
    output.note(f"wrote {path}")


def _terminal(report: Report, no_color: bool) -> None:
    from actcli import termplot
    from actcli.train import terminal

    console = output.console(no_color)
    ascii_only = not termplot.can_draw_blocks(getattr(sys.stdout, "encoding", None))
    color = console.color_system is not None and not (no_color or console.no_color)
    sys.stdout.write(
        terminal.view(report, max(console.width, 40), ascii_only=ascii_only, color=color)
    )
