"""The auditor's reading of published pages: their metadata (``<meta name="cm-...">``), every cell
of their count tables, every marked-up number of their prose, and their prose sentence by sentence.

Part of the independent auditor (`commissioning.disclosure.audit`); it parses the published
HTML with lxml and shares no code with the disclosure engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

#: elements (by class) whose text is not prose: the disclosure log, Table 1's facts, the run's own
#: facts (parameters, threshold, version, fingerprint, imputed share), the study's own figures
NOT_PROSE_CLASSES = ("cm-disclosure-log", "cm-public", "cm-meta", "cm-study")
BLOCKS = ("p", "li", "ul", "ol", "div", "section", "article", "header", "footer", "main", "nav", "h1", "h2", "h3",
          "h4", "h5", "h6", "figcaption", "caption", "dt", "dd", "dl", "blockquote", "pre", "br", "tr", "td", "th",
          "figure", "title")
#: the page's metadata the auditor reads
META = ("cm-publish", "cm-selection", "cm-threshold", "cm-fingerprint")


def class_xpath(name: str) -> str:
    """An XPath test for an element with the class `name`.

    Returns
    -------
    str

    Examples
    --------
    >>> class_xpath("cm-num")
    'contains(concat(" ", normalize-space(@class), " "), " cm-num ")'
    """
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def without_threshold(text: str, threshold: int) -> str:
    """A text without the phrases that cite the threshold ("fewer than 3", "minder dan 3", "at
    least 3"): the release's own parameter, not a number from the data.

    Returns
    -------
    str

    Examples
    --------
    >>> without_threshold("withheld: a group of fewer than 3 municipalities, not 2", 3)
    'withheld: a group of  municipalities, not 2'
    """
    words = r"fewer\s+than|less\s+than|at\s+least|minder\s+dan|ten\s+minste|minstens|<|≥|>="
    return re.sub(rf"(?<![\w-])(?:{words})\s*{threshold}(?![\w.,]?\d)", "", text, flags=re.I)


def has_class(el, name: str) -> bool:
    """Whether the element has the class `name`.

    Returns
    -------
    bool

    Examples
    --------
    >>> from lxml import html
    >>> has_class(html.fragment_fromstring('<p class="cm-claim cm-withheld">x</p>'), "cm-withheld")
    True
    """
    return name in (el.get("class") or "").split()


@dataclass(frozen=True)
class Cell:
    """One published number: the count `k` of the units of group `group` (of a table by `by`, at
    `unit`) coded one of `codes`, of `n` units with a value; `k` and `n` are None for a
    suppressed cell. `page` names the page it is on, `selection` the page's selection (its
    canonical form, "" for the national run) that the group is relative to, and `origin` what
    published it when it is not a count table or a prose number (a statistic).

    Examples
    --------
    >>> cell = Cell("en/02.html", "sourcing.design", "interview", "size_class", "small", ("in_house",), 1, 3)
    >>> cell.group, cell.k, cell.n, cell.selection
    ('small', 1, 3, '')
    """

    page: str
    variable: str
    unit: str
    by: str
    group: str
    codes: tuple
    k: int | None  # None: suppressed
    n: int | None
    selection: str = ""
    origin: str = ""


@dataclass
class Page:
    """A published page as the auditor reads it.

    Attributes
    ----------
    path : Path
        The file.
    name : str
        How messages name it: ``<folder>/<file> (<selection>)``, e.g.
        ``en/02-outsourcing.html (region=Zuid)``; longer when two pages would share a name.
    meta : dict
        Its ``<meta name="cm-...">`` contents, by name (a missing one is absent).
    tree : lxml element
        The parsed page.

    Examples
    --------
    >>> from lxml import html
    >>> page = Page(Path("r/en/02.html"), "en/02.html (national)", {"cm-publish": "yes"}, html.fromstring("<p>x</p>"))
    >>> page.lang
    'en'
    """

    path: Path
    name: str
    meta: dict
    tree: object
    selection: str = ""
    cells: list = field(default_factory=list)

    @property
    def lang(self) -> str:
        """The page's language: ``<html lang>``, else the name of its folder."""
        return (self.tree.getroottree().getroot().get("lang") or self.path.parent.name)[:2]


def page_paths(report_dirs) -> list[Path]:
    """Every ``*.html`` file under a folder or a list of folders (or pages), at any depth, sorted.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("en/b.html", "en/a.html", "nl/a.html"):
    ...         Path(folder, name).parent.mkdir(exist_ok=True)
    ...         _ = Path(folder, name).write_text("<p/>")
    ...     print([p.relative_to(folder).as_posix() for p in page_paths([folder, Path(folder, "en/a.html")])])
    ['en/a.html', 'en/b.html', 'nl/a.html']
    """
    dirs = [report_dirs] if isinstance(report_dirs, (str, Path)) else list(report_dirs)
    found = set()
    for d in map(Path, dirs):
        found |= {d} if d.is_file() else set(d.rglob("*.html"))
    return sorted(found)


def read_meta(tree) -> dict:
    """The page's ``<meta name="cm-...">`` contents, by name.

    Returns
    -------
    dict

    Examples
    --------
    >>> from lxml import html
    >>> read_meta(html.document_fromstring('<html><head><meta name="cm-publish" content="yes">'
    ...                                    '<meta name="cm-selection" content=""></head><body></body></html>'))
    {'cm-publish': 'yes', 'cm-selection': ''}
    """
    return {m.get("name"): (m.get("content") or "").strip() for m in tree.xpath("//meta[@name]")
            if m.get("name") in META}


def read_pages(paths, selections=None) -> list[Page]:
    """The pages, parsed, each named by its last two path parts and its selection (more parts
    when two would share a name).

    Parameters
    ----------
    paths : list of Path
        The pages.
    selections : callable, optional
        Page -> its selection's label ("national", "region=Zuid"), added to its name; default
        none added.

    Returns
    -------
    list of Page
        In the order of `paths`.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("national/en/02.html", "zuid/en/02.html"):
    ...         Path(folder, name).parent.mkdir(parents=True)
    ...         _ = Path(folder, name).write_text('<html lang="en"><body><p>x</p></body></html>')
    ...     print([page.name for page in read_pages(page_paths(folder))])
    ['national/en/02.html', 'zuid/en/02.html']
    """
    pages = [Page(p, "", {}, lxml_html.document_fromstring(p.read_text(encoding="utf-8"))) for p in paths]
    for page in pages:
        page.meta = read_meta(page.tree)
    labels = [f" ({selections(page)})" if selections else "" for page in pages]
    depth = 2
    while True:
        names = ["/".join(p.path.parts[-depth:]) + label for p, label in zip(pages, labels)]
        if len(set(names)) == len(names) or depth > max((len(p.path.parts) for p in pages), default=0):
            break
        depth += 1
    for page, name in zip(pages, names):
        page.name = name
    return pages


def parse_cells(tree, page: str, selection: str = "") -> list[Cell]:
    """Every cell of the page's count tables and every marked-up number of its prose.

    Parameters
    ----------
    tree : lxml element
        The parsed page.
    page : str
        The page's name, kept in each cell.
    selection : str
        The page's selection (canonical form), kept in each cell.

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
    for table in tree.xpath(f"//table[{class_xpath('cm-counts')}]"):
        unit, by = table.get("data-unit"), table.get("data-by")
        groups = [th.get("data-group") for th in table.xpath("./thead//th[@data-group]")]
        for tr in table.xpath("./tbody/tr[@data-variable]"):
            codes = tuple(tr.get("data-codes", "").split())
            for group, td in zip(groups, tr.xpath("./td")):
                # a grid (one column per code): the cell names its own codes
                own = tuple(td.get("data-codes").split()) if td.get("data-codes") is not None else codes
                k, n = _count(td.get("data-k")), _count(td.get("data-n"))
                if has_class(td, "cm-suppressed") or k is None or n is None:
                    k = n = None
                cells.append(Cell(page, tr.get("data-variable"), unit, by, group, own, k, n, selection))
    for span in tree.xpath(f"//*[{class_xpath('cm-num')}]"):
        k, n = _count(span.get("data-k")), _count(span.get("data-n"))
        cells.append(Cell(page, span.get("data-variable"), span.get("data-unit"), span.get("data-by"),
                          span.get("data-group"), tuple(span.get("data-codes", "").split()), k, n, selection,
                          "" if k is not None and n is not None else "an unreadable prose number"))
    return cells


def _count(text):
    """A count attribute as an int, or None when it is missing or not a whole number."""
    return int(text) if text is not None and text.strip().isdigit() else None


def _prose_copy(tree):
    """A copy of the page without what is not prose: tables become their caption (a text table's
    cells and a claims table's shown claims stay), and the exempt elements go."""
    tree = lxml_html.fromstring(lxml_html.tostring(tree))  # a copy to cut from
    for el in tree.xpath("//script|//style|//head"):
        el.drop_tree()
    for table in tree.xpath("//table"):
        if has_class(table, "cm-text") or has_class(table, "cm-claims"):
            for tr in table.xpath(f".//tr[{class_xpath('cm-withheld')}]"):
                tr.drop_tree()
            continue
        captions = table.xpath("./caption")
        if captions:
            keep = lxml_html.fromstring(f"<div>{captions[0].text_content()}</div>")
            keep.tail = table.tail
            table.getparent().replace(table, keep)
        else:
            table.drop_tree()
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        withheld_claim = has_class(el, "cm-claim") and (
            has_class(el, "cm-withheld") or el.xpath(f".//*[{class_xpath('cm-withheld')}]"))
        if withheld_claim or any(has_class(el, c) for c in NOT_PROSE_CLASSES):
            el.drop_tree()
    for img in tree.xpath("//img[@alt]"):  # a figure's alt text is read out: prose
        img.tail = "\n" + img.get("alt") + "\n" + (img.tail or "")
    return tree


def prose_sentences(tree) -> list[str]:
    """The page's prose, one sentence per item: the text outside tables and the exempt elements,
    with every table's caption, the cells of a text table (``cm-text``), the shown claims of a
    claims table (``cm-claims``) and every figure's alt text.

    Returns
    -------
    list of str
        Sentences in page order; a block element ends a sentence. Count and statistics tables,
        scripts, the head, a claim whose evidence is withheld, the disclosure log, Table 1's
        public facts, the run's own facts (``cm-meta``) and the study's figures (``cm-study``) are
        left out.

    Examples
    --------
    >>> from lxml import html
    >>> page = html.document_fromstring(
    ...     '<h1>Title</h1><p>Small towns do it. Large ones do not!</p>'
    ...     '<p class="cm-public">Groningen has 1 interview.</p><table><tr><td>9</td></tr></table>'
    ...     '<p>The study found <span class="cm-study">21%</span>.</p><img alt="Shares per class." src="x.png">')
    >>> prose_sentences(page)
    ['Title', 'Small towns do it.', 'Large ones do not!', 'The study found .', 'Shares per class.']
    """
    tree = _prose_copy(tree)
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag in BLOCKS:  # a block ends a sentence
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    sentences = []
    for line in tree.text_content().split("\n"):
        line = re.sub(r"\s+", " ", line).strip()
        sentences += [s.strip() for s in re.split(r"(?<=[.!?;])\s+", line) if s.strip()]
    return sentences
