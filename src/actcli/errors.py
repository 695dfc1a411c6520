"""Exception types raised by actcli. The CLI turns them into one stderr line and an exit code."""

from __future__ import annotations

from collections.abc import Sequence


class ActcliError(Exception):
    """Base class of every error actcli raises on purpose.

    ``exit_code`` is what the command line exits with: 2 for a usage error (the user asked for
    something that does not exist or is out of range), 1 for a data or I/O error.
    """

    exit_code: int = 1


class UsageError(ActcliError, ValueError):
    """The request itself is malformed: unknown name, bad parameter, bad option value."""

    exit_code = 2


class UnknownActivationError(UsageError):
    """No activation (or alias) of that name; carries the close matches."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        message = f"unknown activation {name!r}"
        if self.suggestions:
            quoted = ", ".join(repr(s) for s in self.suggestions)
            message += f"; did you mean {quoted}?"
        else:
            message += "; `actcli list` shows them all"
        super().__init__(message)


class InvalidParameterError(UsageError):
    """A parameter is unknown, of the wrong type, or outside its domain."""


class UnknownDialectError(UsageError):
    """The dialect is not one of the frameworks actcli knows."""


class DataError(ActcliError):
    """Input data could not be read or interpreted (bad number, wrong shape, unreadable file)."""

    exit_code = 1
