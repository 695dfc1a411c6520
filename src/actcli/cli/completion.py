"""Shell completion of activation names, their parameter keys and dialects (bash, zsh, fish).

typer calls these on every TAB press with the word typed so far; each answers from the
registry alone (no numpy work), so a completion costs about a start-up.
"""

from __future__ import annotations


def names(incomplete: str) -> list[tuple[str, str]]:
    """``gel`` → gelu, geglu, gelu_10, …; ``leaky_relu:n`` → ``leaky_relu:negative_slope=``.

    After a ':' the keys of that activation's parameters not given yet are offered, each
    followed by '='; names and aliases carry their canonical name as help.
    """
    from actcli.catalog import registry

    spellings = registry.spellings()
    if ":" not in incomplete:
        low = incomplete.lower()
        return [
            (word, canonical if canonical != word else "")
            for word, canonical in spellings.items()
            if word.lower().startswith(low)
        ]
    name, _, rest = incomplete.partition(":")
    canonical = spellings.get(name) or next(
        (c for w, c in spellings.items() if w.lower() == name.lower()), None
    )
    if canonical is None:
        return []
    given = {item.split("=", 1)[0] for item in rest.split(",")[:-1]}
    head = incomplete[: len(incomplete) - len(rest.split(",")[-1])]
    last = rest.split(",")[-1]
    return [
        (f"{head}{param.name}=", param.doc)
        for param in registry.lookup(canonical).params
        if param.name not in given and param.name.startswith(last)
    ]


def dialects(incomplete: str) -> list[str]:
    """The dialects' names that begin with what is typed."""
    from actcli.catalog.dialects import DIALECTS

    return [d for d in DIALECTS if d.startswith(incomplete)]
