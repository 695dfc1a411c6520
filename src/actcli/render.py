"""Terminal rendering with rich (the only module importing rich)."""

from __future__ import annotations

import errno
import os
from typing import IO, Any

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
    """A console on ``stream``; colour off with --no-color or NO_COLOR (rich reads NO_COLOR)."""
    no_color = no_color or "NO_COLOR" in os.environ
    # markup off: formulas are full of [brackets] (E[f(z)], [0, ∞)) that are data, not style
    return _Console(
        file=stream,
        stderr=stderr,
        no_color=no_color,
        highlight=False,
        soft_wrap=False,
        markup=False,
    )


def table(data: Table, out: Console, *, precision: int | None = None, header: bool = True) -> None:
    """Print ``data`` as a rich table that fits the console width."""
    rt = RichTable(
        title=data.title or None,
        title_justify="left",
        show_header=header,
        header_style="bold",
        caption=data.meta.get("caption"),
        expand=False,
        min_width=min(len(data.title) + 4, out.width),
    )
    shown = [data.columns.index(c) for c in data.meta.get("display", data.columns)]
    for position, i in enumerate(shown):
        # the first column names the row (an activation, a property): it is never broken
        rt.add_column(data.columns[i], overflow="fold", no_wrap=position == 0)
    for row in data.rows:
        # --precision rounds what was computed, never the inputs that identify the row
        rt.add_row(
            *(Text(format_cell(row[i], None if i < data.inputs else precision)) for i in shown)
        )
    out.print(rt)


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

    def grid(columns: list[str], rows: list[list[str]]) -> None:
        t = RichTable(show_header=True, header_style="bold", expand=False)
        for col in columns:
            t.add_column(col, overflow="fold")
        for row in rows:
            t.add_row(*row)
        out.print(t)

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
    if doc.get("constants"):
        section("constants")
        for c in doc["constants"]:
            out.print(
                Text(f"{c['symbol']} = {c['digits']}" + (f" ({c['note']})" if c["note"] else ""))
            )
    if "properties" in doc:
        section("properties")
        t = RichTable(show_header=False, expand=False, box=None)
        t.add_column("property", style="bold")
        t.add_column("value")
        for label, value in comparison.display(doc["properties"]).items():
            t.add_row(label, format_cell(value))
        out.print(t)
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
                    out.print(Text(forms[form]))
            for key, both in forms.get("layer_defaults", {}).items():
                out.print(
                    Text(
                        f"# {framework}: the layer's default {key} is "
                        f"{format_cell(both['layer'])}, the function's "
                        f"{format_cell(both['function'])}",
                        style="bold",
                    )
                )
    section("reference")
    out.print(Text(doc["reference"]))
