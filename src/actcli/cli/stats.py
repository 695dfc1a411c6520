"""``actcli stats``: Gaussian moments, the initialisation gain, and the layer recursion."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from actcli.cli import figures, output, specs
from actcli.cli.options import (
    DialectOption,
    DpiOption,
    FontOption,
    FormatOption,
    ImageFormatOption,
    NameArg,
    NoColorOption,
    OutputOption,
    ParamOption,
    PrecisionOption,
    SizeOption,
    StyleOption,
    refuse_unused,
)
from actcli.errors import UsageError
from actcli.formats import OutputFormat

if TYPE_CHECKING:
    from actcli.catalog.binding import Activation
    from actcli.plotting import Look
    from actcli.stats import Report


def stats_command(
    name: NameArg,
    mean: Annotated[float, typer.Option("--mean", help="Mean of the Gaussian input.")] = 0.0,
    std: Annotated[float, typer.Option("--std", help="Its standard deviation (> 0).")] = 1.0,
    eps: Annotated[float, typer.Option("--eps", help="|f′| below this is saturated.")] = 1e-3,
    layers: Annotated[
        int | None, typer.Option("--layers", help="Propagate through this many layers.")
    ] = None,
    gain: Annotated[
        float | None, typer.Option("--gain", help="Weight gain for --layers (default 1/√E[f²]).")
    ] = None,
    output_file: OutputOption = None,
    image_format: ImageFormatOption = None,
    size: SizeOption = None,
    dpi: DpiOption = None,
    style: StyleOption = None,
    font: FontOption = None,
    params: ParamOption = None,
    dialect: DialectOption = None,
    fmt: FormatOption = OutputFormat.auto,
    precision: PrecisionOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Gaussian statistics of an activation, and the gain it needs.

    For z ~ N(MEAN, STD²): E[f], Var[f], E[f²], E[f′], E[f′²], the fraction of inputs with
    f′(z) = 0 exactly (dead) and with |f′(z)| < EPS (saturated), and the variance-preserving
    gain 1/√E[f²], beside torch.nn.init.calculate_gain's where torch has one. Integrals are
    adaptive quadrature split at the kinks (≤ 1e-12 relative). --layers L propagates the
    pre-activation variance and the gradient factor through L layers initialised with that gain
    (mean-field recursion); -o FILE plots them (a log axis when they span decades; -o -
    writes the image to standard output instead of the table).

    Examples:

      actcli stats relu

      actcli stats tanh --layers 20

      actcli stats leaky_relu:negative_slope=0.2 --std 2 --format json

      actcli stats sigmoid --layers 30 --gain 1 -o sigmoid_layers.png
    """
    from actcli import stats

    act = specs.activation(name, params, dialect)
    if layers is None and (output_file is not None or gain is not None):
        raise UsageError("-o and --gain are for the --layers recursion: give --layers L")
    if layers is not None and mean != 0:
        raise UsageError("--layers follows zero-mean pre-activations: drop --mean")
    if output_file is None:
        look = {
            "--size": size,
            "--dpi": dpi,
            "--style": style,
            "--font": font,
            "--image-format": image_format,
        }
        refuse_unused(look, "the figure: give -o FILE")
    else:
        target = figures.destination(output_file, image_format)
        appearance = figures.look(size, dpi, style, "7x4.5", font=font)
    result = stats.report(act, mean, std, eps, layers, gain)
    if output_file is not None:
        _figure(act, result, target, appearance)
        if target[0] is None:  # the image went to standard output
            return
    output.emit(result.table(), fmt, precision=precision, no_color=no_color)


def _figure(act: Activation, result: Report, target: tuple[Path | None, str], look: Look) -> None:
    """q and the gradient factor against the layer index."""
    from actcli import plotting

    title = result.table().title
    fig = plotting.figure([result.panel()], title=title, look=look)
    path, image = target
    figures.save(fig, path, [act], title, look, image)
    if path is not None:
        output.note(f"wrote {path}")
