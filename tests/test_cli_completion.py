"""Shell completion through the installed command (typer's protocol: _ACTCLI_COMPLETE)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

ACTCLI = shutil.which("actcli")
assert ACTCLI, "actcli is not on PATH: pip install -e '.[test]' first"  # missing is a failure


def complete(words: str, shell: str = "bash") -> list[str]:
    """The candidates the shell would get for the command line ``words`` (completing its last
    word; a trailing space completes a new, empty word)."""
    env = {**os.environ, "_ACTCLI_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        parts = words.split(" ")
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
    result = subprocess.run([ACTCLI], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.slow
def test_activation_names_aliases_and_presets_complete() -> None:
    offered = complete("actcli eval gel")
    assert {"gelu", "gelu_10", "gelu_fast", "gelu_new"} <= set(offered)
    assert all(word.startswith("gel") for word in offered)
    assert "swish" in complete("actcli plot relu sw")  # NAMES... too, aliases included


@pytest.mark.slow
def test_parameter_keys_complete_after_a_colon() -> None:
    assert complete("actcli eval leaky_relu:n") == ["leaky_relu:negative_slope="]
    given = complete("actcli diff elu:alpha=1,")
    assert "alpha" not in " ".join(given)  # a key given already is not offered again


@pytest.mark.slow
def test_options_complete_their_choices() -> None:
    assert complete("actcli eval gelu --dialect j") == ["jax"]
    assert complete("actcli eval gelu --dtype bf") == ["bfloat16"]
    assert "eval" in complete("actcli ev")


@pytest.mark.slow
def test_zsh_and_fish_get_the_names_too() -> None:
    for shell in ("zsh", "fish"):
        env = {**os.environ, "_TYPER_COMPLETE_ARGS": "actcli eval gel"}
        env["_ACTCLI_COMPLETE"] = f"complete_{shell}"
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"  # fish asks for the candidates so
        out = subprocess.run([ACTCLI], env=env, capture_output=True, text=True, check=False)
        assert out.returncode == 0 and "gelu" in out.stdout, out.stderr
