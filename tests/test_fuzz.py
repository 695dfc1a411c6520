"""Fuzzing the commands (issue 22 §5): random argv, stdin text, numbers and formulas for eval,
diff, plot, info and check. Whatever the input, the outcome is one of the documented exit
statuses, an error is one line on stderr (a formula's error adds the formula and a caret under
the spot), and nothing is a traceback or an "internal error". In-process (CliRunner) for
speed, where pytest turns any floating-point warning into an error the boundary would report as
an internal one; a smaller part through the installed command and real pipes.

Bounded: a fixed number of examples each, a per-example deadline, and the formulas' own
CPU-time budget (``expr_limits``) keeps any one example short.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actcli.cli import app
from actcli.expr import ELEMENTARY
from test_cli_input import ACTCLI, ENV

STATUSES = {0, 1, 2, 3}
FUZZ = settings(
    max_examples=60,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples on every run: a failure reproduces
)

# ---------------------------------------------------------------------------- strategies

NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(
        [
            "1e400", "-1e400", "1e-400", "-0", "0.0", "nan", "NaN", "-inf", "+inf", "NaN(123)",
            "NA", "null", "?", "0x1p3", "1_000", "−1", "∞", "1,5", "1.5.2", "", " ", "abc",
            "4.9e-324", "1.7976931348623157e308", "1e308", "--", "-", "१२",
        ]
    ),
)  # fmt: skip

DELIMITERS = st.sampled_from([",", "\t", " ", ";", ", "])
ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def table_text(draw: st.DrawFn) -> str:
    """Plausible, hostile CSV/TSV/whitespace text: a header or not, ragged rows, quotes,
    comments, blank lines, a BOM, any line ending."""
    width = draw(st.integers(1, 4))
    delimiter, ending = draw(DELIMITERS), draw(ENDINGS)
    lines = []
    if draw(st.booleans()):
        lines.append(
            delimiter.join(
                draw(st.sampled_from(["x", "y", "logit", '"a b"', "NA"])) for _ in range(width)
            )
        )
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            lines.append(draw(st.sampled_from(["", "# comment", "  ", '"1', '1,"2', "\x00"])))
        else:
            ragged = width + (draw(st.integers(-1, 1)) if kind == 1 else 0)
            lines.append(delimiter.join(draw(NUMBER_TEXT) for _ in range(max(ragged, 1))))
    bom = "\ufeff" if draw(st.booleans()) and draw(st.booleans()) else ""
    return bom + ending.join(lines) + (ending if draw(st.booleans()) else "")


LEAVES = st.one_of(
    st.just("x"),
    st.sampled_from(["pi", "e", "a"]),
    st.integers(-(10**400), 10**400).map(lambda n: f"({n})" if n < 0 else str(n)),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"({f!r})"),
    st.sampled_from(
        [
            "0",
            "1",
            "2",
            "64",
            "0.5",
            "1e308",
            "1e-320",
            "1e400",
            "10**64",
            "2**-1074",
            "(2**64)**64",
            "2**2**2**2",
            "2**2**2**2**2",
            "exp(1000)",
            "9" * 990,
            "x**x**x",
        ]
    ),
)
FUNCTIONS = [*ELEMENTARY, "sigmoid", "softplus", "gelu", "relu", "mish", "elu"]


def _node(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
            lambda t: f"({t[0]}{t[1]}{t[2]})"
        ),
        children.map(lambda c: f"-{c}"),
        st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        st.tuples(children, st.sampled_from(["<", ">=", "<="]), children, children, children).map(
            lambda t: f"where({t[0]}{t[1]}{t[2]}, {t[3]}, {t[4]})"
        ),
    )


FORMULAS = st.recursive(LEAVES, _node, max_leaves=12)
NAMES = st.one_of(
    st.sampled_from(
        [
            "relu", "gelu", "softmax", "glu", "elu:alpha=2", "leaky_relu:negative_slope=-1",
            "gelu_new", "hard_sigmoid", "sparsemax", "selu", "swish", "gelu:approximate=bad",
            "relu6", "nosuch", "x", "step", "log_softmax", "standardize",
        ]
    ),
    FORMULAS.map(lambda f: f"x*{f}"),
    FORMULAS,
)  # fmt: skip
OPTIONS = st.lists(
    st.sampled_from(
        [
            ["--dtype", "float32"], ["--dtype", "bfloat16"], ["--dtype", "float8_e4m3fn"],
            ["--dtype", "float80"], ["--format", "json"], ["--format", "jsonl"],
            ["--format", "table"], ["--format", "tsv"], ["--precision", "3"],
            ["--precision", "-1"], ["--column", "2"], ["--column", "y"], ["--no-header"],
            ["--param", "a=2"], ["--param", "alpha=nan"], ["--dialect", "jax"],
            ["--dialect", "keras2"], ["--sweep", "alpha=1,2"], ["--sweep", "a=0:1:3"],
            ["--range", "-1", "1"], ["--range", "1e308", "-1e308"], ["--steps", "3"],
            ["--steps", "0"], ["--temperature", "0"], ["--inf-policy", "limit"],
        ]
    ),
    max_size=3,
).map(lambda groups: [word for group in groups for word in group])  # fmt: skip


# ---------------------------------------------------------------------------- the outcome

_CARET = re.compile(r"^ *\^$")


def assert_well_behaved(status: int, stderr: str) -> None:
    """A documented status; no traceback or internal error; at most one error, one line (a
    formula's error: that line, the formula and a caret line under the spot)."""
    assert status in STATUSES, (status, stderr)
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = [
        line
        for line in stderr.splitlines()
        if not line.startswith(("warning:", "note:", "wrote ")) and line.strip()
    ]
    errors = [i for i, line in enumerate(lines) if line.startswith("error:")]
    assert len(errors) <= 1, stderr
    if status in (1, 2):
        assert errors == [0], stderr
    if errors:
        rest = lines[1:]
        assert not rest or (len(rest) == 2 and _CARET.match(rest[1])), stderr
    else:
        assert not lines, stderr


@pytest.mark.parametrize(
    ("status", "stderr"),
    [
        (4, ""),
        (1, "Traceback (most recent call last):\n"),
        (1, "error: internal error (ValueError: x); ACTCLI_DEBUG=1 shows where\n"),
        (2, "error: one\nerror: two\n"),
        (2, "usage: something\n"),
        (1, ""),
        (0, "stray text\n"),
        (2, "error: expression 'x+': not a formula at column 3:\n  x+\n  ^\n  more\n"),
    ],
)
def test_the_outcome_check_refuses_what_it_should(status, stderr):
    with pytest.raises(AssertionError):
        assert_well_behaved(status, stderr)
    assert_well_behaved(0, "warning: 1 input value(s) overflowed to ±inf in float64\n")
    assert_well_behaved(2, "error: expression 'x+': not a formula at column 3:\n  x+\n    ^\n")
    assert_well_behaved(3, "error: max error 2 ULP exceeds --tol 1\n")


def _invoke(args: list[str], stdin: str | None = None) -> tuple[int, str]:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, args, input=stdin)
    return result.exit_code, result.stderr


# ---------------------------------------------------------------------------- in-process


@pytest.mark.slow
@FUZZ
@given(
    command=st.sampled_from(["eval", "diff"]),
    name=NAMES,
    given=st.one_of(
        st.lists(NUMBER_TEXT, min_size=1, max_size=4).map(lambda values: (values, None)),
        table_text().map(lambda text: ([], text)),
    ),
    options=OPTIONS,
)
def test_eval_and_diff_take_anything(command, name, given, options):
    values, stdin = given
    status, stderr = _invoke([command, name, *values, *options], stdin)
    assert_well_behaved(status, stderr)


@pytest.mark.slow
@settings(FUZZ, max_examples=40)
@given(name=NAMES, options=OPTIONS, derivative=st.sampled_from([[], ["-d"], ["-dd"]]))
def test_plot_and_info_take_anything(name, options, derivative):
    with tempfile.TemporaryDirectory() as where:
        out = Path(where) / "f.png"
        plot = ["plot", name, *derivative, "--steps", "50", "-o", str(out)]
        status, stderr = _invoke([*plot, *(o for o in options if o != "--steps")])
        assert_well_behaved(status, stderr)
        if status != 0:
            assert not out.exists()
    status, stderr = _invoke(["info", name])
    assert_well_behaved(status, stderr)


@pytest.mark.slow
@FUZZ
@given(
    name=NAMES,
    text=table_text(),
    options=st.lists(
        st.sampled_from(
            [
                ["--tol", "0.5"], ["--tol", "-1"], ["--dtype", "float16"], ["-d"],
                ["--x", "2"], ["--y", "y"], ["--atol", "1e-3"], ["--format", "json"],
            ]
        ),
        max_size=2,
    ).map(lambda groups: [word for group in groups for word in group]),
)  # fmt: skip
def test_check_takes_any_table(name, text, options):
    with tempfile.TemporaryDirectory() as where:
        table = Path(where) / "t.csv"
        table.write_text(text, encoding="utf-8")
        status, stderr = _invoke(["check", name, str(table), *options])
        assert_well_behaved(status, stderr)
        status, stderr = _invoke(["check", name, "-", *options], text)
        assert_well_behaved(status, stderr)


# ---------------------------------------------------------------------------- real pipes


def _installed(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[str]:
    assert ACTCLI is not None
    done = subprocess.run(
        [ACTCLI, *args], input=stdin, capture_output=True, env=ENV, timeout=60, check=False
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode()
    )


@pytest.mark.slow
@settings(FUZZ, max_examples=8)
@given(data=st.one_of(st.binary(max_size=300), table_text().map(lambda t: t.encode())))
def test_the_installed_command_takes_any_bytes(data):
    for args in (["eval", "relu"], ["check", "relu", "-"]):
        result = _installed(args, data)
        assert_well_behaved(result.returncode, result.stderr)


@pytest.mark.slow
@settings(FUZZ, max_examples=12)
@given(
    numbers=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=40),
    ending=ENDINGS,
)
def test_the_installed_command_gives_a_row_for_every_row(numbers, ending):
    """Rows in = rows out: one number a line, any line ending."""
    text = ending.join(repr(n) for n in numbers) + ending
    result = _installed(["eval", "relu", "--no-header"], text.encode())
    assert_well_behaved(result.returncode, result.stderr)
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == len(numbers)
