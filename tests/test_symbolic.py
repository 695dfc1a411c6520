"""sympy forms: each record holds its own, the stored prints are what sympy prints now, and the
catalog path never imports sympy."""

from __future__ import annotations

import subprocess
import sys

import pytest

import actcli
from actcli import symbolic
from actcli.catalog._forms import FORMS
from actcli.catalog.registry import definitions


@pytest.mark.slow
def test_stored_forms_are_what_sympy_prints_now():
    # Fails after a record's sympy form, a new activation or a sympy upgrade changed them:
    # run `python tools/gen_forms.py` and commit src/actcli/catalog/_forms.py.
    assert symbolic.catalog_forms() == FORMS


def test_every_elementwise_record_has_a_sympy_form_and_vector_ones_none():
    for name, d in definitions().items():
        assert (d.sympy is not None) == (d.kind == "elementwise"), name


def test_one_stored_form_per_choice_and_parameters_as_symbols():
    assert {"gelu:approximate=none", "gelu:approximate=tanh"} <= set(FORMS)
    jax = symbolic.forms(actcli.get("gelu", dialect="jax"))
    torch = symbolic.forms(actcli.get("gelu"))
    assert jax is not None and torch is not None
    assert "tanh" in jax["f"] and "erf" in torch["f"]
    # real parameters stay symbols (SYMBOLS: negative_slope reads α), so any value has the form
    slope = symbolic.forms(actcli.get("leaky_relu", negative_slope=0.3))
    assert slope == symbolic.forms(actcli.get("leaky_relu"))
    assert slope is not None and "α" in slope["f"] and "\\alpha" in slope["latex_f"]


def test_formulas_are_printed_by_sympy():
    forms = symbolic.forms(actcli.get("x*sigmoid(1.702*x)"))
    assert forms is not None and set(forms) == set(symbolic.FORM_KEYS)
    assert "sigmoid" in forms["f"] and "sigmoid′" in forms["f_prime"]
    assert symbolic.forms(actcli.get("softmax")) is None


@pytest.mark.slow
def test_pretty_prints_do_not_depend_on_the_terminal(monkeypatch):
    long = actcli.get("+".join(f"sin({k}*x)" for k in range(1, 30)))
    forms = symbolic.forms(long)
    assert forms is not None
    monkeypatch.setenv("COLUMNS", "40")
    assert symbolic.forms(long) == forms
    assert max(len(line) for line in forms["f"].splitlines()) <= symbolic.PRETTY_WIDTH


@pytest.mark.slow
@pytest.mark.parametrize("name", ["gelu", "leaky_relu", "softplus:beta=2"])
def test_info_of_a_catalog_activation_imports_neither_sympy_nor_scipy(name):
    code = (
        "import io, sys, actcli\n"
        "from actcli import explain, render\n"
        f"doc = explain.explain(actcli.get({name!r}))\n"
        "render.info(doc, render.console(io.StringIO(), no_color=True))\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not {"sympy", "scipy"} & set(out.stdout.split())
