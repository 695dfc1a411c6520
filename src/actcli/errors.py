"""Exception types raised by actcli, and the exit statuses the command line gives them.

The core raises these with messages in its own words ("the range", "steps", "column"); an
error about one input the user gave names it in ``option`` (a key of the command line's
``FLAGS`` table), so that the command line can say which flag it was without the core knowing
any flag. Nothing else lives here.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence

# How the core names the inputs an error may be about (the command line spells them as flags)
TERMS: Mapping[str, str] = {
    "values": "numbers",
    "range": "a range",
    "file": "a file",
    "stdin": "standard input",
}


class ExitStatus(enum.IntEnum):
    """What ``actcli`` exits with (README's exit-status table)."""

    OK = 0
    DATA_ERROR = 1  # bad input data, unreadable or unwritable file
    USAGE_ERROR = 2  # bad option, unknown activation, bad parameter
    CHECK_FAILED = 3  # `check`: the values are further off than the tolerance
    HANGUP = 129  # SIGHUP (128 + 1)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
    TERMINATED = 143  # SIGTERM (128 + 15)


class ActcliError(Exception):
    """Base class of every error actcli raises on purpose.

    ``exit_status`` is what the command line exits with; ``option`` names the input (or the
    inputs) the error is about, in the core's words (``"steps"``, ``("range", "file")``). The
    message may refer to them as ``{0}``, ``{1}``, …, which :meth:`spelled` fills in: with
    :data:`TERMS` in ``str(error)``, with flags on the command line.
    """

    exit_status: ExitStatus = ExitStatus.DATA_ERROR

    def __init__(self, message: str, *, option: str | tuple[str, ...] | None = None) -> None:
        self.template = message
        self.options: tuple[str, ...] = (option,) if isinstance(option, str) else option or ()
        super().__init__(self.spelled(TERMS))

    def spelled(self, names: Mapping[str, str]) -> str:
        """The message with ``{i}`` replaced by how ``names`` spells the i-th option."""
        text = self.template
        for i, option in enumerate(self.options):
            text = text.replace(f"{{{i}}}", names.get(option, option))
        return text

    @property
    def refers(self) -> bool:
        """Whether the message names its options itself (``{0}``), or is about the first."""
        return "{0}" in self.template


class UsageError(ActcliError, ValueError):
    """The request itself is malformed: unknown name, bad parameter, bad option value."""

    exit_status = ExitStatus.USAGE_ERROR


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

    exit_status = ExitStatus.DATA_ERROR


class CheckFailed(ActcliError):
    """``check``'s verdict: the values are further from the reference than the tolerance."""

    exit_status = ExitStatus.CHECK_FAILED


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like KeyboardInterrupt (a BaseException, so that
    no ``except Exception`` stops it), and the command exits with 128 + the signal's number."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(f"signal {signal_number}")
        self.signal_number = signal_number
