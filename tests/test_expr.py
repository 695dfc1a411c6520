"""Custom activations from formulas: hostile input refused, numbers exact, derivatives symbolic."""

from __future__ import annotations

import json
import subprocess
import time

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import actcli
from actcli.cli import app

HOSTILE = [
    "__import__('os').system('touch SENTINEL')",
    "open('SENTINEL', 'w')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "x.real",
    "exp.__globals__",
    "lambda: 0",
    "(lambda y: y)(x)",
    "[x for x in (1,)]",
    "{x}",
    "{'a': x}",
    "x[0]",
    "x[::-1]",
    "f'{x}'",
    "(y := 3)",
    "*x",
    "x if x else 0",
    "x and 0",
    "not x",
    "x @ x",
    "x // 2",
    "x % 2",
    "x << 2",
    "~x",
    "x == 1",
    "1 < x < 2",
    "'x'",
    "b'x'",
    "True",
    "None + x",
    "1j * x",
    "exp(x, 2)",
    "exp + x",
    "exp(x=1)",
    "sigmoid * x",
    "eval('1')",
    "exec('1')",
    "getattr(x, 'real')",
    "globals()",
    "print(x)",
    "9**9**9",
    "x**10**10",
    "(x+1)**1000",
    "2**99999",
    "-" * 300 + "x",
    "(" * 300 + "x" + ")" * 300,
    "x" + "+x" * 600,
    "ｘ + 1",
    "x + \u0131",
    "exp(\u200bx)",
    "x\x00",
    "",
    "   ",
    "x +",
    "sigmoid(x",
    "import os",
    "x; x",
    "__builtins__",
    "x.__dict__",
]


@pytest.mark.slow
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_refused_without_side_effects(runner, tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    start = time.perf_counter()
    result = runner.invoke(app, ["eval", text, "1"])
    elapsed = time.perf_counter() - start
    assert result.exit_code == 2, (text, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "SENTINEL").exists()
    assert elapsed < 5  # generous for a slow CI; typical is well under 0.5 s


def test_error_points_at_the_offending_column(runner):
    result = runner.invoke(app, ["eval", "x + foo(x)", "1"])
    assert result.exit_code == 2
    assert "unknown function 'foo'" in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-2].strip() == "x + foo(x)" and lines[-1].index("^") == lines[-2].index("foo")


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60))
def test_fuzzing_the_parser_gives_exit_0_or_2(text):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["eval", text or "x", "0.5"])
    assert result.exit_code in (0, 2), (text, result.stderr)
    assert "Traceback" not in result.stderr


def test_numbers_match_the_catalog():
    x = np.linspace(-30, 30, 601)
    np.testing.assert_array_equal(actcli.get("sigmoid(x)")(x), actcli.get("sigmoid")(x))
    # the formula rounds σ(x) and then x·σ(x); the catalog's silu rounds the product once
    np.testing.assert_allclose(actcli.get("x*sigmoid(x)")(x), actcli.get("silu")(x), rtol=2.0**-52)
    # away from the zero of silu′ (−1.2785), where the product rule cancels and only the
    # catalog's Taylor series keeps every digit
    calm = np.abs(x + 1.2785) > 0.3
    np.testing.assert_allclose(
        actcli.get("x*sigmoid(x)").derivative(x[calm]),
        actcli.get("silu").derivative(x[calm]),
        rtol=4 * 2.0**-52,
    )
    leaky = actcli.get("where(x>0, x, 0.01*x)")
    np.testing.assert_array_equal(leaky(x), actcli.get("leaky_relu")(x))
    far = np.array([-700.0, -40.0, 40.0])
    np.testing.assert_array_equal(actcli.get("softplus(x)")(far), actcli.get("softplus")(far))


def test_second_derivative_of_mish_as_a_formula_matches_mpmath():
    act = actcli.get("x*tanh(softplus(x))")
    mp.mp.dps = 40

    def mish(t):
        return t * mp.tanh(mp.log1p(mp.exp(t)))

    for t in (-3.0, -1.0, 0.5, 2.0, 6.0):
        want = mp.diff(mish, mp.mpf(t), 2)
        got = float(act.derivative(np.array([t]), 2)[0])
        # the symbolic f″ is a sum of terms that cancel for large x (6e-15 relative at x = 6,
        # against 1e-16 for the catalog's mish″): a formula is as good as its algebra
        assert abs(got - float(want)) <= 1e-10 * abs(float(want)), t


def test_parameters_and_names(runner):
    result = runner.invoke(app, ["eval", "x*sigmoid(b*x)", "1", "--param", "b=1.5"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "x,x*sigmoid(b*x)\n1.0,0.8175744761936437\n"
    missing = runner.invoke(app, ["eval", "x*sigmoid(b*x)", "1"])
    assert (
        missing.exit_code == 2
        and "--param: expression" in missing.stderr
        and "give b=VALUE" in missing.stderr
    )
    assert actcli.get("gelu").definition.family == "smooth"  # catalog names win
    clash = runner.invoke(app, ["eval", "gelu", "0"]).stdout
    assert clash == "x,gelu\n0.0,0.0\n"


@pytest.mark.slow
def test_commands_take_formulas(runner, tmp_path):
    diff = runner.invoke(app, ["diff", "x*tanh(softplus(x))", "0", "--order", "1"])
    assert diff.stdout == "x,dx*tanh(softplus(x))\n0.0,0.6\n"
    plot = runner.invoke(app, ["plot", "x*erf(softplus(x))", "gelu", "-o", str(tmp_path / "s.png")])
    assert plot.exit_code == 0, plot.stderr
    compare = runner.invoke(
        app, ["compare", "x/(1+abs(x))", "softsign", "--metric", "ulp", "-f", "json"]
    )
    assert compare.exit_code == 0, compare.stderr
    # the same function: the formula's two roundings against the catalog's correctly rounded one
    assert json.loads(compare.stdout)["differences"][0]["value"] <= 1.0
    info = runner.invoke(app, ["info", "log(1+exp(x))", "--format", "table"])
    assert info.exit_code == 0, info.stderr
    assert "use softplus" in info.stdout


def test_catalog_derivatives_are_shown_with_primes_and_bound_by_name(runner):
    from actcli import expr

    f, names = expr.parse("x*sigmoid(x)")
    assert expr.parse("x*sigmoid(x)") == (f, names)  # cached: info asks several times
    shown = runner.invoke(app, ["info", "x*sigmoid(x)", "--format", "json"])
    assert "f′(x) = x*sigmoid′(x) + sigmoid(x)" in shown.stdout
    assert "sigmoid_d1" not in shown.stdout
    d2 = actcli.get("x*sigmoid(x)").derivative(np.array([1.0]), 2)
    np.testing.assert_allclose(d2, actcli.get("silu").derivative(np.array([1.0]), 2), rtol=1e-15)


def test_catalog_functions_under_powers(runner):
    """sympy's LaTeX printer hands a power's exponent to the function's own printer."""
    from actcli import expr, plotting

    result = runner.invoke(app, ["eval", "sigmoid(x)**2", "1"])
    assert result.stdout == "x,sigmoid(x)**2\n1.0,0.534446645388523\n"
    latex = expr.definition("sigmoid(x)**2*relu(x)**0.5", {})[0].latex
    assert r"\left(\operatorname{sigmoid}\left(x\right)\right)^{2}" in latex
    assert plotting.mathtext_or_none(latex) is not None


def test_constants_with_huge_integers_are_evaluated_exactly(runner):
    """numpy cannot take sin(10**64) (an int beyond a double): sympy evaluates the constant."""
    import mpmath

    result = runner.invoke(app, ["eval", "x*sin(10**64)", "1"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == f"1.0,{float(mpmath.sin(10**64))!r}"
    result = runner.invoke(app, ["eval", "x*sin(10**17+1)", "1"])  # not sin(1e17)
    assert result.stdout.splitlines()[1] == f"1.0,{float(mpmath.sin(10**17 + 1))!r}"


BEYOND = [
    ("sin(exp(exp(exp(10))))*x", "exp(exp(exp(10)))", "infinite"),
    ("x*(((2**-64)**64)**64)**64", "(((2**-64)**64)**64)**64", "about 2**-16777216"),
    ("x*((2**64)**64)**64", "((2**64)**64)**64", "about 2**262144"),
    ("x*2**2**2**2**2", "2**2**2**2**2", "about 2**65536"),
    ("x*exp(1000)", "exp(1000)", "about 2**1443"),
    ("x*1e400", "1e400", "infinite"),
    ("x*2**-1080", "2**-1080", "about 2**-1080"),
    ("x + " + "9" * 990, "999999999999…999999999999", "about 2**3289"),
    ("x*(10**200*10**200)", "10**200*10**200", "about 2**1329"),
    ("x/(1/10**400)", "1/10**400", "about 2**-1329"),
]


@pytest.mark.parametrize(("formula", "constant", "size"), BEYOND)
@pytest.mark.parametrize("command", ["eval", "diff", "info"])
def test_constants_beyond_float64_are_refused_before_sympy_builds_them(
    runner, command, formula, constant, size
):
    """Integer towers and 990-digit constants: sympy would build them digit by digit (hours,
    or Python's 4300-digit conversion limit); their size is read from the tree instead."""
    args = ["info", formula] if command == "info" else [command, formula, "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stdout == "", result.stderr
    first = result.stderr.splitlines()[0]
    assert f"the constant {constant} is beyond float64's range ({size};" in first
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("x*10**64*10**64*10**64*10**64", 1e256),  # each Mult computed alone (it ran for hours)
        ("x*2**2**2**2", 65536.0),
        ("x*(2**64)**15", 2.0**960),
        ("x*exp(700)", 1.0142320547350045e304),
        ("x*0**5", 0.0),
        ("x*10**200*10**100", 1e300),
        ("x*(-1)**(10**30)", 1.0),
    ],
)
def test_large_constants_within_float64_are_evaluated(runner, formula, value):
    result = runner.invoke(app, ["eval", formula, "1"])
    assert result.exit_code == 0, result.stderr
    assert float(result.stdout.splitlines()[1].split(",")[1]) == value


@pytest.mark.slow
@pytest.mark.parametrize(
    "formula",
    [
        "**".join(["x"] * 40),  # derivatives as trees grow without end
        "(" * 12 + "x" + "".join(f"**x+{i})" for i in range(12)),
    ],
)
@pytest.mark.parametrize("command", ["eval", "diff", "info", "plot"])
def test_costly_symbolic_work_is_refused_within_its_cpu_budget(tmp_path, command, formula):
    """Through the installed command, under a generous timeout that fails the test (the
    budget is 1 s of CPU; without it these ran for many seconds to minutes)."""
    args = {
        "eval": ["eval", formula, "1"],
        "diff": ["diff", formula, "1", "--order", "2"],
        "info": ["info", formula],
        "plot": ["plot", formula, "-dd", "-o", str(tmp_path / "f.png")],
    }[command]
    result = subprocess.run(
        ["actcli", *args], capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert (
        "takes over 1 s of CPU to process (ACTCLI_FORMULA_SECONDS sets the limit)"
        in (result.stderr.splitlines()[0])
    )
    assert not (tmp_path / "f.png").exists()


def test_the_cpu_budget_is_adjustable(monkeypatch):
    from actcli import expr_limits

    monkeypatch.setenv("ACTCLI_FORMULA_SECONDS", "5")
    assert expr_limits.seconds() == 5
    for bad in ("0", "-1", "nan", "inf", "soon"):
        monkeypatch.setenv("ACTCLI_FORMULA_SECONDS", bad)
        assert expr_limits.seconds() == expr_limits.SECONDS


def test_the_cpu_budget_refuses_and_restores_the_previous_handler(monkeypatch):
    import signal

    from actcli import expr_limits

    monkeypatch.setenv("ACTCLI_FORMULA_SECONDS", "0.05")
    before = signal.getsignal(signal.SIGPROF)

    def spin() -> None:
        with expr_limits.budget(lambda limit: ValueError(f"spent {limit:g}")):
            while True:
                pass

    with pytest.raises(ValueError, match=r"spent 0\.05"):
        spin()
    assert signal.getsignal(signal.SIGPROF) == before
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
