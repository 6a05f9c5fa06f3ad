"""The auditor's rules for tables: every table on a published page says what it holds, so that
the auditor can read every number in it.

A ``<table>`` carries one of these classes:

- ``cm-counts``: counts by group (read cell by cell, `audit_pages.parse_cells`); every body row
  names its variable and codes, every body cell is a count (``data-k``, ``data-n``) or
  suppressed (``cm-suppressed``, and then shows no digit);
- ``cm-stats``: statistics; each body row is a statistic (`audit_stats`), or holds marked ones and
  no other digit;
- ``cm-claims``: the claims; its numbers are marked (``cm-num``, ``cm-stat``), its withheld rows
  (``cm-withheld``) show no other digit either;
- ``cm-text``: text only, no digit;
- ``cm-public`` (Table 1's facts, the study's own Table 2) and ``cm-meta`` (the run's own facts):
  not read.

A phrase citing the threshold ("fewer than 3", "minder dan 3") is not a number to read. A table
inside an element that is not prose (the disclosure log, Table 1's facts, the run's
facts) is not read. Digits inside an element marked ``cm-num``, ``cm-stat``, ``cm-public``,
``cm-meta`` or ``cm-study`` are accounted for; a header row (``thead``) may hold digits. Anything
else is "a table the auditor cannot read", a problem.

Part of the independent auditor (`commissioning.disclosure.audit`); it shares no code with the
disclosure engine.
"""

from __future__ import annotations

import re

from .audit_pages import class_xpath, has_class, without_threshold

TABLE_CLASSES = ("cm-counts", "cm-stats", "cm-claims", "cm-text", "cm-public", "cm-meta")
MARKED = ("cm-num", "cm-stat", "cm-public", "cm-meta", "cm-study")
_SKIP_INSIDE = ("cm-disclosure-log", "cm-public", "cm-meta")


def unmarked_text(el) -> str:
    """The text of an element outside its marked descendants (`MARKED`).

    Returns
    -------
    str

    Examples
    --------
    >>> from lxml import html
    >>> unmarked_text(html.fragment_fromstring('<td>p = <span class="cm-stat">0.5</span> (n 18)</td>'))
    'p =  (n 18)'
    """
    if any(has_class(el, c) for c in MARKED):
        return ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            cell = child.tag in ("td", "th", "tr", "p", "div", "li", "br", "caption")
            parts.append(f" {unmarked_text(child)} " if cell else unmarked_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _describe(table, index: int) -> str:
    """How a message names a table: its number on the page and its caption or first header."""
    heads = [re.sub(r"\s+", " ", h.text_content()).strip() for h in table.xpath("./caption") + table.xpath(".//th")]
    text = next((h for h in heads if h), "")
    return f"table {index}" + (f" ({text[:40]!r})" if text else "")


def _digits(text: str, threshold: int = 3) -> str:
    """The first word of a text with a digit in it (not the threshold cited), or ""."""
    match = re.search(r"\S*\d\S*", without_threshold(text, threshold))
    return match.group(0) if match else ""


def _body_rows(table) -> list:
    """The rows of a table outside its header."""
    return table.xpath("./tbody/tr|./tr|./tfoot/tr")


def _count_rules(table, name: str, threshold: int) -> list[str]:
    """A count table: every body row names its variable and codes; every cell a count or suppressed."""
    problems = []
    groups = table.xpath("./thead//th[@data-group]")
    for tr in _body_rows(table):
        cells = tr.xpath("./td")
        # the codes of a row, or of each of its cells (a grid: one column per code)
        coded = tr.get("data-codes") is not None or (cells and all(td.get("data-codes") is not None for td in cells))
        if tr.get("data-variable") is None or not coded:
            if _digits(unmarked_text(tr), threshold):
                problems.append(f"{name}: a row without data-variable and data-codes shows "
                                f"{_digits(unmarked_text(tr), threshold)!r}")
            continue
        if len(cells) != len(groups):
            problems.append(f"{name}: a row of {tr.get('data-variable')} has {len(cells)} cells for {len(groups)} "
                            "groups (th[data-group])")
        for td in cells:
            counted = all((td.get(a) or "").strip().isdigit() for a in ("data-k", "data-n"))
            if has_class(td, "cm-suppressed"):
                if _digits(unmarked_text(td), threshold):
                    problems.append(f"{name}: a suppressed cell of {tr.get('data-variable')} shows "
                                    f"{_digits(unmarked_text(td), threshold)!r}")
            elif not counted:
                problems.append(f"{name}: a cell of {tr.get('data-variable')} is neither a count (data-k, data-n) "
                                "nor suppressed (cm-suppressed)")
    return problems


def _marked_rules(table, name: str, kind: str, threshold: int) -> list[str]:
    """A statistics or claims table: no digit outside marked elements, but in a row that is a
    statistic itself (a statistics table's row with no marked element, not withheld)."""
    problems = []
    for tr in _body_rows(table):
        marked = any(tr.xpath(f".//*[{class_xpath(c)}]") for c in ("cm-stat", "cm-num"))
        is_stat = has_class(tr, "cm-stat") or (kind == "cm-stats" and not marked and not has_class(tr, "cm-withheld"))
        shown = _digits(unmarked_text(tr), threshold)
        if shown and not is_stat:
            problems.append(f"{name}: a row shows {shown!r} outside the marked numbers (cm-num, cm-stat)")
    return problems


def check_tables(tree, page: str, threshold: int = 3) -> list[str]:
    """Every table of a page that the auditor cannot read (module docstring).

    Parameters
    ----------
    tree : lxml element
        The parsed page.
    page : str
        The page's name, for the messages.
    threshold : int
        The release's threshold: a phrase citing it ("fewer than 3") is not a number to read.

    Returns
    -------
    list of str
        One problem per fault; empty when every table can be read.

    Examples
    --------
    >>> from lxml import html
    >>> page = html.document_fromstring(
    ...     '<table class="dataframe"><tr><th>Design</th><td>0.598</td></tr></table>'
    ...     '<table class="cm-text"><tr><th>Test</th><td>chi-square, 9999 resamples</td></tr></table>'
    ...     '<table class="cm-public"><tr><td>Rotterdam</td><td>629606</td></tr></table>')
    >>> for problem in check_tables(page, "en/06.html"):
    ...     print(problem)
    en/06.html: table 1 ('Design') is a table the auditor cannot read: it carries none of the classes cm-counts, cm-stats, cm-claims, cm-text, cm-public, cm-meta (it shows '0.598')
    en/06.html: table 2 ('Test') is a text table (cm-text) but shows '9999'
    """
    problems = []
    for index, table in enumerate(tree.xpath("//table"), 1):
        if any(has_class(a, c) for a in table.iterancestors() for c in _SKIP_INSIDE):
            continue
        name = f"{page}: {_describe(table, index)}"
        kinds = [c for c in TABLE_CLASSES if has_class(table, c)]
        if not kinds:
            shown = _digits(unmarked_text(table), threshold)
            problems.append(f"{name} is a table the auditor cannot read: it carries none of the classes "
                            f"{', '.join(TABLE_CLASSES)}" + (f" (it shows {shown!r})" if shown else ""))
        elif kinds[0] == "cm-text" and _digits(unmarked_text(table), threshold):
            problems.append(f"{name} is a text table (cm-text) but shows {_digits(unmarked_text(table), threshold)!r}")
        elif kinds[0] == "cm-counts":
            problems += _count_rules(table, name, threshold)
        elif kinds[0] in ("cm-stats", "cm-claims"):
            problems += _marked_rules(table, name, kinds[0], threshold)
    return problems
