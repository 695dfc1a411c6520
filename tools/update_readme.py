"""Regenerate the generated parts of README.md from the registry.

python tools/update_readme.py          # rewrite README.md in place
python tools/update_readme.py --check  # exit 1 if README.md is stale (tests do the same)
"""

from __future__ import annotations

import sys
from pathlib import Path

from actcli.listing import markdown_table

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- activations:start -->", "<!-- activations:end -->"


def render(text: str) -> str:
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{markdown_table()}{END}{tail}"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    fresh = render(text)
    if "--check" in sys.argv[1:]:
        return 0 if fresh == text else 1
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
