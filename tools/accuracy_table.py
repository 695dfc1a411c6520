"""Regenerate README's accuracy table from a measurement: ``python tools/accuracy_table.py``.

The table is the worst error per activation configuration that tests/test_accuracy.py measures
against its mpmath oracle (values and f′ in ULP, f″ relative); a test holds README to it,
figure by figure. Needs the test dependencies (mpmath); takes about two minutes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def main() -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    import test_accuracy as measured

    text = README.read_text(encoding="utf-8")
    head, found, rest = text.partition(measured.README_START)
    _, found_end, tail = rest.partition(measured.README_END)
    if not (found and found_end):
        sys.stderr.write(f"README.md lacks {measured.README_START} … {measured.README_END}\n")
        return 1
    table = measured.accuracy_markdown()
    README.write_text(f"{head}{measured.README_START}\n{table}{measured.README_END}{tail}", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
