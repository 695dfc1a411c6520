"""The rich display of an Activation in Jupyter: HTML parsed, its SVG read as XML, LaTeX."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

import actcli
from actcli import notebook

SVG = "{http://www.w3.org/2000/svg}"


class Parsed(HTMLParser):
    """Tags in order, the text of table cells, and whether every tag closed."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.open: list[str] = []
        self.cells: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("td", "th"):
            self._cell = []
        if tag not in ("br", "img", "meta"):
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(page: str) -> Parsed:
    parsed = Parsed()
    parsed.feed(page)
    parsed.close()
    assert not parsed.open, f"unclosed: {parsed.open}"
    return parsed


def svg_of(page: str) -> ET.Element:
    start, end = page.index("<svg"), page.index("</svg>") + len("</svg>")
    return ET.fromstring(page[start:end])


def test_latex_is_mathjax_ready() -> None:
    assert (
        actcli.get("gelu")._repr_latex_()
        == r"$\displaystyle \operatorname{gelu}(x) = x \, \Phi(x)$"
    )
    assert notebook.latex(actcli.get("leaky_relu")).startswith(
        r"$\displaystyle \operatorname{leaky\_relu}(x) = "
    )
    assert notebook.latex(actcli.get("softmax")).startswith(
        r"$\displaystyle \operatorname{softmax}(x)_i"
    )


def test_view_range_shows_every_kink() -> None:
    assert notebook.view_range(actcli.get("gelu")) == (-5.0, 5.0)
    assert notebook.view_range(actcli.get("threshold:threshold=20")) == (-30.0, 30.0)


@pytest.mark.slow
def test_html_card_of_relu() -> None:
    page = actcli.get("relu")._repr_html_()
    parsed = parse(page)
    assert "script" not in parsed.tags  # static: GitHub and nbviewer show it as it is
    assert parsed.tags.count("table") == 2  # properties, kinks
    text = "".join(parsed.text)
    assert r"$\displaystyle \operatorname{relu}(x) = \max(x, 0)" in text
    cells = parsed.cells
    assert cells[cells.index("range") + 1] == "[0, ∞)"
    assert cells[cells.index("smoothness") + 1] == "C⁰"
    assert cells[cells.index("monotonic") + 1] == "non-decreasing"
    # the kink at 0: f′ from each side, then each dialect's f′ there
    head = [
        "x",
        "f′ left",
        "f′ right",
        "f′ (torch)",
        "f′ (keras)",
        "f′ (keras2)",
        "f′ (jax)",
        "f′ (tf)",
    ]
    at = cells.index("x")
    assert cells[at : at + len(head)] == head
    assert cells[at + len(head) : at + 2 * len(head)] == [
        "0.0",
        "0.0",
        "1.0",
        "0.0",
        "0.0",
        "0.0",
        "0.0",
        "0.0",
    ]


@pytest.mark.slow
def test_html_svg_is_valid_xml_with_curves_and_leaves_pyplot_alone() -> None:
    before = set(sys.modules)
    page = actcli.get("gelu")._repr_html_()
    root = svg_of(page)
    assert root.tag == SVG + "svg"
    assert root.get("width") == "302.4pt"  # 4.2 in
    paths = root.findall(f".//{SVG}path")
    assert len(paths) > 10
    assert any(len(p.get("d", "")) > 500 for p in paths)  # the curves themselves
    assert "matplotlib.pyplot" not in set(sys.modules) - before
    assert "<?xml" not in page and "DOCTYPE" not in page
    assert "dc:date" not in page  # the same activation, the same bytes


@pytest.mark.slow
@pytest.mark.parametrize("spec", ["softmax", "step", "x*sigmoid(x)", "threshold:threshold=20"])
def test_html_of_other_kinds(spec: str) -> None:
    page = actcli.get(spec)._repr_html_()
    parse(page)
    if spec.startswith("x*"):  # a formula in x is its own name
        assert r"$\displaystyle f(x) = " in page
    assert len(svg_of(page).findall(f".//{SVG}path")) > 5


@pytest.mark.slow
def test_dialect_in_heading_and_kinks() -> None:
    page = actcli.get("relu", dialect="jax")._repr_html_()
    assert "(dialect jax)" in page


def test_properties_of_a_vector_activation_are_its_range() -> None:
    rows = dict(notebook.properties(actcli.get("softmax")))
    assert rows["range"] == actcli.get("softmax").range
    assert notebook.kink_rows(actcli.get("softmax"))[1] == []
