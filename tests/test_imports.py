"""Start-up stays light: importing actcli or evaluating relu pulls in no heavy library."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("scipy", "matplotlib", "rich", "sympy", "polars", "typer")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_actcli_is_light():
    assert not _loaded_after("import actcli") & set(HEAVY)


def test_relu_and_sigmoid_need_no_scipy():
    loaded = _loaded_after("import actcli; actcli.get('relu')([1.0]); actcli.get('sigmoid')([1.0])")
    assert not loaded & set(HEAVY)


def test_gelu_loads_scipy_only_when_called():
    assert "scipy" not in _loaded_after("import actcli; actcli.get('gelu')")
    assert "scipy" in _loaded_after("import actcli; actcli.get('gelu')([1.0])")
