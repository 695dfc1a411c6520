"""Every option and argument more than one command takes, declared once as an ``Annotated`` alias.

A command's signature is then a list of these (``range_: RangeOption = None``), so the same
flag is spelled, typed and documented the same way everywhere. Options only one command takes
stay in that command's module.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any

import typer

from actcli.cli import completion
from actcli.errors import UsageError
from actcli.formats import OutputFormat


class Dtype(str, enum.Enum):
    """The float types of :mod:`actcli.dtypes` (a test holds the two lists equal)."""

    float64 = "float64"
    float32 = "float32"
    float16 = "float16"
    bfloat16 = "bfloat16"
    float8_e5m2 = "float8_e5m2"
    float8_e4m3fn = "float8_e4m3fn"
    float8_e4m3fnuz = "float8_e4m3fnuz"
    float8_e5m2fnuz = "float8_e5m2fnuz"


class InfPolicy(str, enum.Enum):
    nan = "nan"
    limit = "limit"


class Axis(str, enum.Enum):
    rows = "rows"
    columns = "columns"


class Style(str, enum.Enum):
    light = "light"
    dark = "dark"


class Legend(str, enum.Enum):
    best = "best"
    outside = "outside"
    off = "off"


class Font(str, enum.Enum):
    sans = "sans"
    serif = "serif"


class Venue(str, enum.Enum):
    """The venues of :data:`actcli.venues.VENUES` (a test holds the two equal)."""

    neurips = "neurips"
    iclr = "iclr"
    icml = "icml"
    cvpr = "cvpr"
    aaai = "aaai"
    ieee = "ieee"
    jmlr = "jmlr"


class ImageFormat(str, enum.Enum):
    png = "png"
    svg = "svg"
    pdf = "pdf"


class Metric(str, enum.Enum):
    abs = "abs"
    rel = "rel"
    ulp = "ulp"


# ---------------------------------------------------------------------------------- activations

NameArg = Annotated[
    str,
    typer.Argument(
        help="Activation name or alias, optionally with parameters (leaky_relu:negative_slope=0.2), "
        "or a formula in x.",
        metavar="NAME",
        show_default=False,
        autocompletion=completion.names,
    ),
]
NamesArg = Annotated[
    list[str],
    typer.Argument(
        help="Activations (names, aliases, name:k=v, formulas).",
        metavar="NAMES...",
        show_default=False,
        autocompletion=completion.names,
    ),
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        metavar="K=V",
        help="A parameter (repeatable); with several NAMEs, each one that has it.",
    ),
]
DialectOption = Annotated[
    str | None,
    typer.Option(
        "--dialect",
        help="Framework defaults and kink rules: torch, keras, keras2, jax, tf.",
        autocompletion=completion.dialects,
    ),
]
DtypeOption = Annotated[
    Dtype,
    typer.Option(
        "--dtype", help="Round results correctly to this type (x too).", case_sensitive=False
    ),
]
AxisOption = Annotated[
    Axis,
    typer.Option(
        "--axis",
        help="Vector activations on several columns: each row is a vector, or each column.",
        case_sensitive=False,
    ),
]
TemperatureOption = Annotated[
    float | None, typer.Option("--temperature", help="softmax family: divide the logits by T.")
]
InfPolicyOption = Annotated[
    InfPolicy | None,
    typer.Option("--inf-policy", help="softmax family: rows with ±inf give nan or their limit."),
]

# ---------------------------------------------------------------------------------- input

ValuesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Numbers (negative ones too). '-' reads standard input.",
        metavar="VALUES...",
        show_default=False,
    ),
]
RangeOption = Annotated[
    tuple[float, float] | None,
    typer.Option(
        "--range", "-r", metavar="A B", help="Evaluate on STEPS evenly spaced points from A to B."
    ),
]
StepsOption = Annotated[
    int | None,
    typer.Option("--steps", "-n", help="Points of --range (default 11; 1 to 100000000)."),
]
EveryOption = Annotated[
    Dtype | None,
    typer.Option(
        "--all",
        metavar="DTYPE",
        help="Every finite value of a narrow type: bfloat16, float16, the float8 formats; "
        "float32 within --range A B.",
        case_sensitive=False,
    ),
]
SpecialOption = Annotated[bool, typer.Option("--special", help="With --all: ±inf and nan too.")]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        help="Processes (default: every core); the output is the same for any N.",
        show_default=False,
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="Run on a Dask cluster's workers instead of local processes (pip install "
        "'actcli[dask]'); the output is the same.",
        show_default=False,
    ),
]
ShardOption = Annotated[
    str | None,
    typer.Option(
        "--shard",
        metavar="I/N",
        help="Only part I of N contiguous parts of --all's sweep (I from 1).",
        show_default=False,
    ),
]
InputOption = Annotated[
    Path | None, typer.Option("--input", "-i", metavar="FILE", help="Read numbers from FILE.")
]
ColumnOption = Annotated[
    str | None,
    typer.Option(
        "--column",
        "-c",
        metavar="C",
        help="Column of CSV/TSV/whitespace input: header name or 1-based index.",
    ),
]
PlotRangeOption = Annotated[
    tuple[float, float], typer.Option("--range", "-r", metavar="A B", help="The x interval.")
]
GridStepsOption = Annotated[
    int, typer.Option("--steps", "-n", help="Points on the x grid (2 to 1000000).")
]

# ---------------------------------------------------------------------------------- output

FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format. auto: a table on a terminal, CSV in a pipe or file.",
        case_sensitive=False,
    ),
]
PrecisionOption = Annotated[
    int | None,
    typer.Option(
        "--precision",
        min=1,
        max=17,
        help="Significant digits of computed values (default: shortest exact); x is never rounded.",
    ),
]
NoHeaderOption = Annotated[
    bool,
    typer.Option(
        "--no-header", help="No header row in the output; delimited input has none either."
    ),
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colours (also when NO_COLOR is set).")
]

# ---------------------------------------------------------------------------------- figures

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Figure file: .png, .svg or .pdf; - writes to standard output (--image-format).",
    ),
]
ImageFormatOption = Annotated[
    ImageFormat | None,
    typer.Option(
        "--image-format", help="With -o -: png (default), svg or pdf.", case_sensitive=False
    ),
]
DataOutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the columns to FILE instead: .npy (one n×2 array) or .npz (arrays x and y).",
    ),
]
DerivativeOption = Annotated[
    int,
    typer.Option(
        "--derivative",
        "-d",
        count=True,
        min=0,
        max=2,
        help="Derivatives by count: -d f′, -dd f″ (plot: f′ and f″ too).",
        show_default=False,
    ),
]
DpiOption = Annotated[
    int | None, typer.Option("--dpi", help="Pixels per inch, 10 to 1200 (default 150).")
]
SizeOption = Annotated[
    str | None,
    typer.Option(
        "--size",
        metavar="WxH",
        help="Figure size: WxH in inches (1 to 50), column (3.5 in wide) or page (7 in).",
    ),
]
VenueOption = Annotated[
    Venue | None,
    typer.Option(
        "--venue",
        help="A venue's exact column width and caption font size, serif text "
        "(neurips, iclr, icml, cvpr, aaai, ieee, jmlr; README lists the style files).",
        case_sensitive=False,
    ),
]
ColumnsOption = Annotated[
    int | None,
    typer.Option(
        "--columns",
        min=1,
        max=2,
        help="With --venue: 1 (a column, default) or 2 (across both: the text width).",
    ),
]
PanelLabelsOption = Annotated[
    bool, typer.Option("--panel-labels", help="Label the panels of a grid (a), (b), ...")
]
TitleOption = Annotated[str | None, typer.Option("--title", help="Figure title ('' for none).")]
StyleOption = Annotated[
    Style | None, typer.Option("--style", help="light (default) or dark.", case_sensitive=False)
]
FontOption = Annotated[
    Font | None,
    typer.Option(
        "--font",
        help="sans (DejaVu Sans, default) or serif (STIX, Times-like).",
        case_sensitive=False,
    ),
]
UsetexOption = Annotated[
    bool, typer.Option("--usetex", help="Typeset the text with LaTeX (needs a LaTeX install).")
]
SvgPathsOption = Annotated[
    bool, typer.Option("--svg-paths", help="SVG: draw text as paths instead of keeping it text.")
]
LegendOption = Annotated[
    Legend | None,
    typer.Option(
        "--legend",
        help="best (inside, moved below when it does not fit), outside (below) or off.",
        case_sensitive=False,
    ),
]
LabelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--label", metavar="TEXT", help="A curve's legend label (repeatable: one per activation)."
    ),
]
XLabelOption = Annotated[str | None, typer.Option("--xlabel", help="The x axis label.")]
YLabelOption = Annotated[str | None, typer.Option("--ylabel", help="The y axis label.")]
LogyOption = Annotated[
    bool, typer.Option("--logy", help="A logarithmic y axis (values ≤ 0 are not drawn).")
]
SymlogyOption = Annotated[
    bool, typer.Option("--symlogy", help="A symmetric log y axis (linear near 0).")
]
SweepOption = Annotated[
    list[str] | None,
    typer.Option(
        "--sweep",
        metavar="K=V1,V2|K=A:B:N",
        help="A parameter family: one curve (column) per value, e.g. alpha=0.5,1,2 or b=0.5:2:4.",
    ),
]


def refuse_unused(given: dict[str, Any], where: str) -> None:
    """Options given (not None or False) that only ``where`` uses: an error, never ignored."""
    unused = [flag for flag, value in given.items() if value is not None and value is not False]
    if unused:
        raise UsageError(f"{', '.join(unused)}: only for {where}")
