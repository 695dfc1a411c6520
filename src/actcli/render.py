"""Terminal rendering with rich (the only module importing rich)."""

from __future__ import annotations

import errno
import io
import os
from typing import IO, Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from actcli.formats import Table, format_cell


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """rich exits 1 when the reader goes away; raise it to the CLI's boundary instead,
        which ends quietly with 0, as for every other output format."""
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def console(
    stream: IO[str] | None = None, *, stderr: bool = False, no_color: bool = False
) -> Console:
    """A console on ``stream``; colour off with --no-color or NO_COLOR (rich reads NO_COLOR).

    ``stream`` None is a closed stream (Python sets ``sys.stderr`` to None when started with
    ``2>&-``): the console writes nowhere, where rich would fall back to stdout, into the data.
    A COLUMNS that is not a positive number is ignored (rich would draw 0-wide tables).
    """
    no_color = no_color or "NO_COLOR" in os.environ
    columns = os.environ.get("COLUMNS", "").strip()
    width = 80 if columns and not (columns.isdigit() and int(columns) > 0) else None
    # markup off: formulas are full of [brackets] (E[f(z)], [0, ∞)) that are data, not style
    return _Console(
        file=stream if stream is not None else io.StringIO(),
        width=width,
        stderr=stderr,
        no_color=no_color,
        highlight=False,
        soft_wrap=False,
        markup=False,
    )


def table(data: Table, out: Console, *, precision: int | None = None, header: bool = True) -> None:
    """Print ``data`` as a rich table that fits the console width without breaking a word.

    The layout is chosen by :func:`fit`: the natural table when it fits; else columns wrapped
    between words, never inside one (a number, a name); else, when even the longest word of
    each column cannot stand side by side, one block of ``column: value`` lines per row.
    """
    shown = [data.columns.index(c) for c in data.meta.get("display", data.columns)]
    # --precision rounds what was computed, never the inputs that identify the row
    cells = [
        [format_cell(row[i], None if i < data.inputs else precision) for i in shown]
        for row in data.rows
    ]
    headers = [data.columns[i] for i in shown]
    caption = data.meta.get("caption")
    # the first column names the row (an activation, a property): unwrapped where it can be
    widths = fit(headers if header else None, cells, out.width, boxed=True, keep_first=True)
    if widths is None:
        _blocks(data.title, headers, cells, caption, out)
        return
    rt = RichTable(
        title=data.title or None,
        title_justify="left",
        show_header=header,
        header_style="bold",
        caption=caption,
        expand=False,
        min_width=min(len(data.title) + 4, out.width),
    )
    for position, name in enumerate(headers):
        width = widths[position]
        rt.add_column(name, overflow="fold", no_wrap=position == 0 and width is None, width=width)
    for row in cells:
        rt.add_row(*(Text(cell) for cell in row))
    out.print(rt)


def _words(text: str) -> int:
    """The width of the longest word of ``text`` (what a column must hold unbroken)."""
    return max((cell_len(word) for word in text.split()), default=0)


def _lines(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


def fit(
    headers: list[str] | None,
    rows: list[list[str]],
    width: int,
    *,
    boxed: bool,
    keep_first: bool = False,
) -> list[int | None] | None:
    """Column widths for a table of ``rows`` (cells as text) on a terminal ``width`` wide.

    ``[None, ...]`` when the natural table fits (rich sizes it); widths at least the longest
    word of each column (the whole first column with ``keep_first``, where the room allows
    it) when the table fits only
    with cells wrapped between words, the spare room going first to the columns that need
    least, so that short columns stay on one line; None when even that does not fit (the
    caller then lays the table out vertically). A box table spends 3 characters per column
    on padding and rules, and one more; a table without a box 2 per column.
    """
    count = len(headers) if headers is not None else len(rows[0]) if rows else 0
    if not count:
        return []
    heads = headers if headers is not None else [""] * count
    most = [max([_lines(heads[i]), *(_lines(row[i]) for row in rows)]) for i in range(count)]
    least = [max([_words(heads[i]), *(_words(row[i]) for row in rows)]) for i in range(count)]
    room = width - (3 * count + 1 if boxed else 2 * count)
    if sum(most) <= room:
        return [None] * count
    if keep_first and sum(least) - least[0] + most[0] <= room:
        least[0] = most[0]  # the row's name on one line, while the room allows
    if sum(least) > room:
        return None

    # the widest columns are capped at one width, as wide as the room allows (what rich does
    # too), but none below its longest word
    def capped(cap: int) -> list[int]:
        return [max(lo, min(hi, cap)) for lo, hi in zip(least, most, strict=True)]

    cap = max(most)
    while sum(capped(cap)) > room:
        cap -= 1
    widths = capped(cap)
    spare = room - sum(widths)
    for i in reversed(range(count)):  # what is left: a character each to the capped ones
        if spare and widths[i] < most[i]:
            widths[i] += 1
            spare -= 1
    return list(widths)


def _blocks(
    title: str, headers: list[str], rows: list[list[str]], caption: str | None, out: Console
) -> None:
    """A table too wide for the terminal: one block per row, a ``column: value`` line each
    (the first unindented, the rest under it), long values wrapped between words only."""
    import textwrap

    def say(text: str, indent: str, style: str = "") -> None:
        lines = textwrap.wrap(
            text,
            max(out.width, 20),
            initial_indent=indent,
            subsequent_indent=indent + "    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        for line in lines or [indent]:
            out.print(Text(line, style=style), soft_wrap=True)

    if title:
        say(title, "")
    for row in rows:
        for i, (name, cell) in enumerate(zip(headers, row, strict=True)):
            if i and not cell:  # an empty cell says nothing
                continue
            say(f"{name}: {cell}", "  " if i else "", "" if i else "bold")
    if caption:
        say(caption, "", "dim")


def note(message: str, out: Console) -> None:
    """A line on stderr: notes and warnings (``warning: ...``, ``note: ...``)."""
    out.print(Text(message), soft_wrap=True, highlight=False)


def error(message: str, out: Console) -> None:
    """One line on stderr: ``error: message``."""
    out.print(Text.assemble(("error", "bold red"), ": ", message), soft_wrap=True)


FORM_LABELS = {"function": "function", "layer": "layer", "dense": "as a Dense layer's activation"}


def info(doc: dict[str, Any], out: Console, *, latex: bool = False) -> None:
    """``actcli info``: sections of text and small tables (``explain.explain``'s document).

    Nothing here depends on a terminal: on a file or a pipe (no colour) the text is the same
    as on a terminal without its styles, and the formulas are printed at a fixed width.
    """
    from rich.rule import Rule

    from actcli import comparison
    from actcli.explain import JUMPS, LABELS

    def section(key: str) -> None:
        out.print(Rule(Text(LABELS[key], style="bold"), align="left"))

    def grid(columns: list[str] | None, rows: list[list[str]]) -> None:
        """A small table that never breaks a word: a box with a header, or without a header
        two columns of label and value; blocks of lines when it cannot fit."""
        boxed = columns is not None
        widths = fit(columns, rows, out.width, boxed=boxed, keep_first=not boxed)
        heads = columns if columns is not None else ["property", "value"]
        if widths is None:
            _blocks("", heads, rows, None, out)
            return
        if boxed:
            t = RichTable(show_header=True, header_style="bold", expand=False)
        else:
            t = RichTable(show_header=False, expand=False, box=None)
        for i, col in enumerate(heads):
            label = i == 0 and not boxed
            t.add_column(
                col,
                overflow="fold",
                width=widths[i],
                style="bold" if label else "",
                no_wrap=label and widths[i] is None,
            )
        for row in rows:
            t.add_row(*(Text(cell) for cell in row))
        out.print(t)

    def code(text: str) -> None:
        """Code is never wrapped nor cut: a long line runs past the width (a line of Python
        broken in two is a SyntaxError once pasted)."""
        out.print(Text(text), soft_wrap=True)

    head = Text.assemble((doc["spec"], "bold"), f"  ({doc['kind']}, {doc['family']})")
    if doc["aliases"]:
        head.append(f"  aliases: {', '.join(doc['aliases'])}")
    out.print(head)
    out.print(Text(doc["summary"]))
    if doc["notes"]:
        out.print(Text(doc["notes"], style="dim"))
    if doc["uses"]:
        section("uses")
        out.print(Text(doc["uses"]))
    section("formula")
    out.print(Text(doc["formula"]))
    out.print(Text(doc["derivative"]))
    sym = doc.get("sympy")
    if isinstance(sym, str):  # "not available (reason)"
        out.print(Text(f"f(x) and f′(x) by sympy: {sym}"))
    elif latex:
        out.print(Text(f"LaTeX: {doc['latex']}"))
        if sym:
            out.print(Text(f"f′ (LaTeX): {sym['latex_f_prime']}"))
    elif sym:
        out.print(Text("f(x) ="))
        out.print(Text(sym["f"]))
        out.print(Text("f′(x) ="))
        out.print(Text(sym["f_prime"]))
        if doc.get("kinks"):  # sympy puts each kink in one branch; frameworks disagree there
            out.print(Text("at a kink, f′ is each framework's choice: see 'kinks' below", "dim"))
    if doc["parameters"]:
        section("parameters")
        dialect_names = list(doc["parameters"][0]["defaults"])
        grid(
            ["name", "symbol", "value", *dialect_names, "domain"],
            [
                [
                    p["name"],
                    p["symbol"],
                    format_cell(p["value"]),
                    *(format_cell(p["defaults"][d]) for d in dialect_names),
                    p["domain"],
                ]
                for p in doc["parameters"]
            ],
        )
        for p in doc["parameters"]:
            for dialect, why in p.get("not_taken", {}).items():
                out.print(Text(f"{dialect}'s {p['name']} default is not actcli's: {why}", "dim"))
    if doc.get("constants"):
        section("constants")
        for c in doc["constants"]:
            out.print(
                Text(f"{c['symbol']} = {c['digits']}" + (f" ({c['note']})" if c["note"] else ""))
            )
    if "properties" in doc:
        section("properties")
        shown = comparison.display(doc["properties"])
        grid(None, [[label, format_cell(value)] for label, value in shown.items()])
    if doc.get("kinks"):
        section("kinks")
        keys = list(doc["kinks"][0])
        rows = [
            [JUMPS[row[k]] if k == "jump_order" else format_cell(row[k]) for k in keys]
            for row in doc["kinks"]
        ]
        grid([LABELS[k] for k in keys], rows)
    if doc.get("problems"):
        section("problems")
        for problem in doc["problems"]:
            out.print(Text(f"• {problem}"))
    if doc.get("framework_errors"):
        section("framework_errors")
        for e in doc["framework_errors"]:
            who = ", ".join(e["frameworks"])
            out.print(Text(f"• {who}, {e['quantity']} {e['where']}: {e['reason']}"))
    if doc["frameworks"]:
        section("frameworks")
        for framework, forms in doc["frameworks"].items():
            for form in ("function", "layer", "dense"):
                if form in forms:
                    out.print(Text(f"# {framework}, {FORM_LABELS[form]}", style="bold"))
                    code(forms[form])
            for key, both in forms.get("layer_defaults", {}).items():
                out.print(
                    Text(
                        f"# {framework}: the layer's default {key} is "
                        f"{format_cell(both['layer'])}, the function's "
                        f"{format_cell(both['function'])}",
                        style="bold",
                    )
                )
    names = doc.get("libraries") or {}
    if names.get("same_maths") or names.get("name_means"):
        section("libraries")
        if names["same_maths"]:
            out.print(Text(f"this maths: {', '.join(names['same_maths'])}"))
        if names["name_means"]:
            meanings = "; ".join(
                f"{m['actcli']} in {', '.join(m['names'])}" for m in names["name_means"]
            )
            out.print(Text(f"the name {names['name']} is not one maths: {meanings}"))
    section("reference")
    out.print(Text(doc["reference"]))
