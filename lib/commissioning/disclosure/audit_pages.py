"""The auditor's reading of published pages: every cell of their count tables, every marked-up
number of their prose, and their prose sentence by sentence.

Part of the independent auditor (`commissioning.disclosure.audit`); it parses the published
HTML with lxml and shares no code with the disclosure engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

NOT_PROSE_CLASSES = ("cm-disclosure-log", "cm-public")
BLOCKS = ("p", "li", "ul", "ol", "div", "section", "article", "header", "footer", "main", "nav", "h1", "h2", "h3",
          "h4", "h5", "h6", "figcaption", "caption", "dt", "dd", "dl", "blockquote", "pre", "br", "tr", "td", "th",
          "figure", "title")


@dataclass(frozen=True)
class Cell:
    """One published number: the count `k` of the units of group `group` (of a table by `by`, at
    `unit`) coded one of `codes`, of `n` units with a value; `k` and `n` are None for a
    suppressed cell. `page` names the page it is on.

    Examples
    --------
    >>> cell = Cell("en/02.html", "sourcing.design", "interview", "size_class", "small", ("in_house",), 1, 3)
    >>> cell.group, cell.k, cell.n
    ('small', 1, 3)
    """

    page: str
    variable: str
    unit: str
    by: str
    group: str
    codes: tuple
    k: int | None  # None: suppressed
    n: int | None


def _pages(report_dirs) -> list[Path]:
    """Every ``*.html`` file under a folder or a list of folders, at any depth, sorted."""
    dirs = [report_dirs] if isinstance(report_dirs, (str, Path)) else list(report_dirs)
    return sorted(p for d in dirs for p in Path(d).rglob("*.html"))


def parse_cells(tree, page: str) -> list[Cell]:
    """Every cell of the page's count tables and every marked-up number of its prose.

    Parameters
    ----------
    tree : lxml element
        The parsed page.
    page : str
        The page's name, kept in each cell.

    Returns
    -------
    list of Cell
        The tables' cells row by row (a suppressed one with k and n None), then the prose's numbers.

    Examples
    --------
    >>> from lxml import html
    >>> page = html.document_fromstring(
    ...     '<table class="cm-counts" data-unit="municipality" data-by="region"><thead><tr><th></th>'
    ...     '<th data-group="Noord">Noord</th><th data-group="West">West</th></tr></thead><tbody>'
    ...     '<tr data-variable="sourcing.design" data-codes="in_house"><th>In house</th>'
    ...     '<td data-k="2" data-n="4">2/4</td><td class="cm-suppressed">-</td></tr></tbody></table>')
    >>> for cell in parse_cells(page, "en/02.html"):
    ...     print(cell.group, cell.codes, cell.k, cell.n)
    Noord ('in_house',) 2 4
    West ('in_house',) None None
    """
    cells = []
    for table in tree.xpath('//table[contains(concat(" ", normalize-space(@class), " "), " cm-counts ")]'):
        unit, by = table.get("data-unit"), table.get("data-by")
        groups = [th.get("data-group") for th in table.xpath("./thead//th[@data-group]")]
        for tr in table.xpath("./tbody/tr[@data-variable]"):
            codes = tuple(tr.get("data-codes", "").split())
            tds = tr.xpath("./td")
            for group, td in zip(groups, tds):
                if "cm-suppressed" in (td.get("class") or "").split() or td.get("data-k") is None:
                    cells.append(Cell(page, tr.get("data-variable"), unit, by, group, codes, None, None))
                else:
                    cells.append(Cell(page, tr.get("data-variable"), unit, by, group, codes,
                                      int(td.get("data-k")), int(td.get("data-n"))))
    for span in tree.xpath('//span[contains(concat(" ", normalize-space(@class), " "), " cm-num ")]'):
        cells.append(Cell(page, span.get("data-variable"), span.get("data-unit"), span.get("data-by"),
                          span.get("data-group"), tuple(span.get("data-codes", "").split()),
                          int(span.get("data-k")), int(span.get("data-n"))))
    return cells


def _has_class(el, name: str) -> bool:
    """Whether the element has the class `name`."""
    return name in (el.get("class") or "").split()


def prose_sentences(tree) -> list[str]:
    """The page's prose, one sentence per item (text outside tables and the exempt elements).

    Returns
    -------
    list of str
        Sentences in page order; a block element ends a sentence. Tables, scripts, the head, a
        claim whose evidence is withheld, the disclosure log and Table 1's public facts are left out.

    Examples
    --------
    >>> from lxml import html
    >>> page = html.document_fromstring(
    ...     '<h1>Title</h1><p>Small towns do it. Large ones do not!</p>'
    ...     '<p class="cm-public">Groningen has 1 interview.</p><table><tr><td>9</td></tr></table>')
    >>> prose_sentences(page)
    ['Title', 'Small towns do it.', 'Large ones do not!']
    """
    tree = lxml_html.fromstring(lxml_html.tostring(tree))  # a copy to cut from
    for el in tree.xpath("//table|//script|//style|//head"):
        el.drop_tree()
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        withheld_claim = _has_class(el, "cm-claim") and (
            _has_class(el, "cm-withheld") or el.xpath('.//*[contains(concat(" ", normalize-space(@class), " "), " cm-withheld ")]'))
        if withheld_claim or any(_has_class(el, c) for c in NOT_PROSE_CLASSES):
            el.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag in BLOCKS:  # a block ends a sentence
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    sentences = []
    for line in tree.text_content().split("\n"):
        line = re.sub(r"\s+", " ", line).strip()
        sentences += [s.strip() for s in re.split(r"(?<=[.!?;])\s+", line) if s.strip()]
    return sentences
