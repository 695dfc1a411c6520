"""What the ``actcli`` process sets up before a command runs, so that its surroundings cannot
turn into an internal error or a lost file.

- SIGTERM and SIGHUP end a command as Ctrl-C does: an exception (:class:`Terminated`) that
  unwinds the writers, so that no hidden temporary file is left beside an ``-o`` target; the
  exit status is 128 + the signal's number (143, 129), as shells report it.
- A standard stream whose encoding cannot spell actcli's text (``PYTHONIOENCODING=ascii``, a
  C locale) writes ASCII spellings instead (``−`` as ``-``, ``α`` as ``alpha``), and an escape
  for any other character, rather than failing on the first ``·``.
- ``MPLBACKEND`` names the backend of matplotlib's GUI windows (``--show``); figures written
  to files never use one, and matplotlib refuses to import at all when it names no backend it
  knows. It is set aside here and handed to pyplot only by ``--show`` (``plotting.show``).
"""

from __future__ import annotations

import codecs
import os
import signal
import sys
from types import FrameType

from actcli.errors import Terminated

# how actcli's own non-ASCII characters are spelled in ASCII
ASCII = {
    "−": "-", "·": "*", "×": "x", "∞": "inf", "′": "'", "″": "''", "≤": "<=", "≥": ">=",
    "≈": "~", "→": "->", "…": "...", "√": "sqrt", "∈": "in", "∪": "U", "–": "-", "—": "--",
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "eps", "θ": "theta",
    "κ": "kappa", "λ": "lambda", "μ": "mu", "π": "pi", "σ": "sigma", "τ": "tau", "φ": "phi",
    "ω": "omega", "Φ": "Phi", "Σ": "Sum", "²": "^2", "³": "^3", "½": "1/2", "±": "+-",
}  # fmt: skip
_ERRORS = "actcli-ascii"
GUI_BACKEND = "ACTCLI_MPLBACKEND"  # where MPLBACKEND is kept for --show


def prepare() -> None:
    """Signals, stream encodings and MPLBACKEND, as the module's docstring says."""
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _terminated)
    codecs.register_error(_ERRORS, _ascii_spelling)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not _spells_unicode(stream):
            stream.reconfigure(errors=_ERRORS)  # type: ignore[union-attr]
    backend = os.environ.pop("MPLBACKEND", None)
    if backend:
        os.environ[GUI_BACKEND] = backend


def _terminated(number: int, _frame: FrameType | None) -> None:
    raise Terminated(number)


def _spells_unicode(stream: object) -> bool:
    try:
        "−·∞α".encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _ascii_spelling(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    spelled = "".join(ASCII.get(c, c.encode("ascii", "backslashreplace").decode()) for c in bad)
    return spelled, error.end
