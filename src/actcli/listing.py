"""The catalog as a table: what ``actcli list`` shows (and what the README's table is made of)."""

from __future__ import annotations

from actcli.catalog.records import Definition
from actcli.catalog.registry import definitions
from actcli.formats import Table

# list's columns (tests/test_cli_list.py pins them); info shows code for keras2 and tf as well
FRAMEWORKS = ("torch", "keras", "jax")


def _params(d: Definition) -> str:
    parts = []
    for p in d.params:
        default = p.default if isinstance(p.default, str) else f"{p.default:g}"
        parts.append(f"{p.name}={default}")
    return ", ".join(parts)


def _matches(d: Definition, needle: str) -> bool:
    names = (d.name, *d.aliases, *(p.name for p in d.presets))
    haystack = " ".join((*names, d.formula, d.family, d.summary)).lower()
    return needle.lower() in haystack


def catalog_table(search: str | None = None) -> Table:
    """One row per activation: name, kind, aliases, parameters, formula, range, frameworks."""
    columns = ["name", "kind", "aliases", "parameters", "formula", "range", *FRAMEWORKS, "in"]
    rows = []
    for name in sorted(definitions()):
        d = definitions()[name]
        if search and not _matches(d, search):
            continue
        frameworks = [d.frameworks.get(f, "") for f in FRAMEWORKS]
        shipped = " ".join(f for f in FRAMEWORKS if d.frameworks.get(f))
        rows.append(
            [
                d.name,
                d.kind,
                ", ".join((*d.aliases, *(p.text for p in d.presets))),
                _params(d),
                d.formula,
                d.range,
                *frameworks,
                shipped,
            ]
        )
    title = "activations" + (f" matching {search!r}" if search else "")
    meta = {
        "search": search,
        "count": len(rows),
        "display": ["name", "aliases", "parameters", "formula", "in"],
    }
    return Table(columns, rows, title=title, meta=meta)


def markdown_table() -> str:
    """The README's table of activations, generated from the registry."""
    lines = ["| name | aliases | parameters | formula |", "|---|---|---|---|"]
    for row in catalog_table().rows:
        name, _, aliases, params, formula = row[:5]
        cells = [f"`{name}`", aliases, params, formula]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
