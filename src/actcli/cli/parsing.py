"""Command-line parsing that typer does not do itself: negative numbers as arguments."""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand

from actcli.cli.boundary import QuietHelp
from actcli.inputs import is_number


class NumbersCommand(QuietHelp, TyperCommand):
    """A command whose positional arguments may be negative numbers: -2, -1e-3, -inf.

    Such a token is protected from the option parser by a leading space (float() ignores it),
    unless it is the value of the option just before it (``--range -5 5``, ``--temperature
    -1``); which options take values, and how many, comes from the command's own parameters.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        arity = {
            name: param.nargs
            for param in self.params
            if getattr(param, "is_flag", True) is False and not getattr(param, "count", False)
            for name in (*param.opts, *param.secondary_opts)
            if name.startswith("-")
        }
        protected, owed = [], 0
        for token in args:
            if owed:
                owed -= 1
            elif token in arity:
                owed = arity[token]
            elif token.startswith("-") and token != "-" and is_number(token):
                token = " " + token
            protected.append(token)
        return super().parse_args(ctx, protected)
