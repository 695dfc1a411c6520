"""Documentation that cannot drift: the README's generated table and its command list."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_activation_table_is_fresh():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "update_readme.py"), "--check"], check=False
    )
    assert result.returncode == 0, "README.md is stale: run python tools/update_readme.py"


def test_readme_names_every_command_and_the_two_setup_commands():
    from typer.main import get_command

    from actcli.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        assert f"actcli {name}" in readme, name
    assert "pip install -e . && actcli" in readme
    assert "pip install -e '.[test]' && pytest" in readme
