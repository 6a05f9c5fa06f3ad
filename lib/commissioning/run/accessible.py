"""A report's body made accessible after rendering: tables a screen reader can read, and phrases in
the other language marked.

`accessible_tables` gives every table of a page a caption and header cells with their `scope`,
and flattens pandas' two header rows (column names above, index names below) into one in which
every cell is named. A table keeps its caption if it has one (`CountTable`); a pandas table takes
the name of its columns (`DataFrame.columns.name`) or else the heading of the section it stands in.
`mark_foreign` wraps the phrases of the other language that a page keeps on purpose (the study's
own term "Maturity Model" on a Dutch page) in ``<span lang="...">``.

Examples
--------
>>> body = ('<h2 id="x">Tabel 1</h2><table border="1" class="dataframe"><thead><tr><th></th><th>Inwoners</th></tr>'
...         '<tr><th>Gemeente</th><th></th></tr></thead><tbody><tr><th>Assen</th><td>67.190</td></tr></tbody></table>')
>>> print(accessible_tables(body))  # doctest: +NORMALIZE_WHITESPACE
<h2 id="x">Tabel 1</h2><table class="dataframe"><caption>Tabel 1</caption><thead><tr><th scope="col">Gemeente</th><th
scope="col">Inwoners</th></tr></thead><tbody><tr><th scope="row">Assen</th><td>67.190</td></tr></tbody></table>
"""

from __future__ import annotations

import html
import re

from lxml import html as lxml_html

_TABLE_RE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_SCOPED_STYLE_RE = re.compile(r"<style scoped(?:=\"[^\"]*\")?>.*?</style>\s*", re.IGNORECASE | re.DOTALL)

# Phrases of another language a page keeps on purpose, per page language: {page lang: {lang: phrases}}.
FOREIGN = {"nl": {"en": ("Maturity Model", "Out of the box")}, "en": {}}


def _text(el) -> str:
    return " ".join(el.text_content().split())


def _heading_text(fragment: str) -> str:
    """A heading's text without its anchor link (nbconvert's "¶")."""
    text = re.sub(r"<a\b[^>]*class=\"anchor-link\"[^>]*>.*?</a>", "", fragment, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _flatten_head(table) -> str:
    """Merge pandas' row of index names into the row of column names; return the columns' name
    that pandas put in the corner ("" when there is none)."""
    rows = table.xpath("./thead/tr")
    if not rows:
        return ""
    body_row = table.xpath("./tbody/tr[1]")
    levels = len(body_row[0].xpath("./th")) if body_row else 0
    top = rows[0].xpath("./th|./td")
    name = ""
    if len(rows) == 2 and levels:
        names = rows[1].xpath("./th|./td")
        if levels and _text(top[levels - 1]):
            name = _text(top[levels - 1])
        for i in range(min(levels, len(names), len(top))):
            for child in list(top[i]):
                top[i].remove(child)
            top[i].text = _text(names[i])
        rows[1].getparent().remove(rows[1])
    elif levels and top and _text(top[0]) and len(rows) == 1 and top[0].get("scope") is None:
        # only the columns' name in the corner: it is the caption, and the corner names the rows
        name = _text(top[0])
    rows[0].attrib.pop("style", None)
    return name


def accessible_table(table_html: str, heading: str = "") -> str:
    """One table with a caption, one header row and scoped header cells.

    Parameters
    ----------
    table_html : str
        A ``<table>`` element.
    heading : str
        The text of the heading of the section the table stands in (its caption when it has none
        and pandas gave its columns no name).

    Returns
    -------
    str
        The table's HTML; pandas' `border` attribute and inline style dropped.

    Examples
    --------
    >>> t = ('<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th>Spread</th><th>Median</th>'
    ...      '</tr><tr><th>Pattern</th><th></th></tr></thead><tbody><tr><th>Design</th><td>-5</td></tr></tbody></table>')
    >>> print(accessible_table(t, "Section"))  # doctest: +NORMALIZE_WHITESPACE
    <table class="dataframe"><caption>Spread</caption><thead><tr><th scope="col">Pattern</th><th
    scope="col">Median</th></tr></thead><tbody><tr><th scope="row">Design</th><td>-5</td></tr></tbody></table>
    """
    table = lxml_html.fragment_fromstring(table_html)
    table.attrib.pop("border", None)
    name = _flatten_head(table)
    for th in table.xpath("./thead//th"):
        th.set("scope", th.get("scope") or "col")
    for th in table.xpath("./tbody//th"):
        th.set("scope", th.get("scope") or "row")
    if not table.xpath("./caption"):
        text = name or heading
        if text:
            caption = lxml_html.fragment_fromstring(f"<caption>{html.escape(text)}</caption>")
            table.insert(0, caption)
    return lxml_html.tostring(table, encoding="unicode")


def accessible_tables(body: str) -> str:
    """Every table of a rendered body made accessible (`accessible_table`), pandas' scoped style
    blocks removed; each table without a caption of its own takes the heading before it.

    Returns
    -------
    str

    Examples
    --------
    >>> accessible_tables('<h3>Evidence</h3><table><tr><th>k</th></tr><tr><td>5</td></tr></table>')
    '<h3>Evidence</h3><table><caption>Evidence</caption><tr><th>k</th></tr><tr><td>5</td></tr></table>'
    """
    body = _SCOPED_STYLE_RE.sub("", body)
    out, last, heading = [], 0, ""
    for m in re.finditer(rf"{_HEADING_RE.pattern}|{_TABLE_RE.pattern}", body, re.IGNORECASE | re.DOTALL):
        out.append(body[last:m.start()])
        fragment = m.group(0)
        if fragment[:2].lower() == "<h":
            heading = _heading_text(fragment)
            out.append(fragment)
        else:
            out.append(accessible_table(fragment, heading))
        last = m.end()
    out.append(body[last:])
    return "".join(out)


_SKIP_TAGS = ("style", "script", "code", "pre", "title")


def mark_foreign(body: str, lang: str) -> str:
    """Wrap each phrase of another language that a page in `lang` keeps (`FOREIGN`) in
    ``<span lang="...">``, in text only (not in attributes, code, or an element already marked).

    Returns
    -------
    str

    Examples
    --------
    >>> mark_foreign('<p>Aspecten van het Maturity Model</p><p lang="en">Maturity Model</p>', "nl")
    '<p>Aspecten van het <span lang="en">Maturity Model</span></p><p lang="en">Maturity Model</p>'
    >>> mark_foreign('<img alt="Maturity Model"><code>Maturity Model</code>', "nl")
    '<img alt="Maturity Model"><code>Maturity Model</code>'
    """
    terms = [(other, phrase) for other, phrases in FOREIGN.get(lang, {}).items() for phrase in phrases]
    if not terms:
        return body
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(p)}(?![\w-])" for _, p in terms))
    which = {p: other for other, p in terms}
    stack: list = []  # open elements: (tag, whether it skips its text)
    out = []
    for token in re.split(r"(<[^>]+>)", body):
        if token.startswith("</"):
            tag = token[2:].split(">")[0].strip().lower()
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == tag:
                    del stack[i:]
                    break
            out.append(token)
        elif token.startswith("<") and not token.startswith("<!"):
            m = re.match(r"<\s*([a-zA-Z0-9]+)", token)
            tag = m.group(1).lower() if m else ""
            if not token.endswith("/>") and tag not in ("br", "img", "meta", "hr", "input", "link", "wbr"):
                stack.append((tag, tag in _SKIP_TAGS or re.search(r"\slang=", token) is not None))
            out.append(token)
        elif any(skip for _, skip in stack):
            out.append(token)
        else:
            out.append(pattern.sub(lambda m: f'<span lang="{which[m.group(0)]}">{m.group(0)}</span>', token))
    return "".join(out)
