"""Start-up stays light: importing actcli or evaluating relu pulls in no heavy library."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("scipy", "matplotlib", "rich", "sympy", "polars", "typer")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_actcli_is_light():
    assert not _loaded_after("import actcli") & set(HEAVY)


def test_the_common_activations_need_no_scipy():
    calls = "; ".join(f"actcli.get('{n}')([1.0])" for n in ("relu", "sigmoid", "gelu", "silu"))
    assert not _loaded_after(f"import actcli; {calls}") & set(HEAVY)


@pytest.mark.slow
def test_scipy_is_loaded_only_when_a_function_needs_it():
    assert "scipy" not in _loaded_after("import actcli; actcli.get('serf')")
    assert "scipy" in _loaded_after("import actcli; actcli.get('serf')([1.0])")
