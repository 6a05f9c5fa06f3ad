"""The parts of a computed sentence: `Num` (a count from a table cell) and `Sentence`, and the
helpers every sentence uses (lists in words, the shown cells of a table, labels).

Examples
--------
>>> s = Sentence(["Sector model: ", Num(5, 8, "organisation.model", ("sector",), "municipality"), "."], "nl")
>>> print(s)
Sector model: 5 van 8 (63%).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from ..core import check_lang, percent_half_up
from .tables import ALL, CountTable


@dataclass(frozen=True)
class Num:
    """A count in a sentence: k of n units of a group, from a table cell.

    Its text is "k of n (p%)" ("k van n (p%)" in Dutch), the share rounded half up as the tables
    round it, or with `words` "all n" and "none of the n" ("alle n", "geen van de n") where k is n
    or 0; its HTML states the cell it comes from as data attributes (a count without a variable is
    a public fact, marked as such).

    Examples
    --------
    >>> n = Num(5, 8, noun="municipalities")
    >>> n.text("en"), Num(5, 8, noun="gemeenten").text("nl")
    ('5 of 8 municipalities (63%)', '5 van 8 gemeenten (63%)')
    >>> Num(0, 18, words=True).text("nl"), Num(18, 18, words=True).text("en")
    ('geen van de 18', 'all 18')
    >>> Num(5, 8, "organisation.model", ("sector",), "municipality").html("en")  # doctest: +ELLIPSIS
    '<span class="cm-num" data-variable="organisation.model" data-codes="sector" ... data-k="5" data-n="8">5 of 8 (63%)</span>'
    """

    k: int
    n: int
    variable: str = ""
    codes: tuple = ()
    unit: str = ""
    by: str = "none"
    group: str = ALL
    percent: bool = True
    noun: str = ""
    words: bool = False

    def text(self, lang: str) -> str:
        """The count in words: "k of n noun (p%)" ("van" in Dutch).

        Returns
        -------
        str
            Without the share when `percent` is False or `n` is 0, without a noun when none is set.

        Examples
        --------
        >>> Num(3, 4).text("nl"), Num(3, 4, percent=False).text("en"), Num(0, 0).text("en")
        ('3 van 4 (75%)', '3 of 4', '0 of 0')
        """
        noun = f" {self.noun}" if self.noun else ""
        if self.words and self.n and self.k in (0, self.n):
            if self.k == self.n:
                return f"{'alle' if lang == 'nl' else 'all'} {self.n}{noun}"
            return f"{'geen van de' if lang == 'nl' else 'none of the'} {self.n}{noun}"
        word = "van" if lang == "nl" else "of"
        share = f" ({percent_half_up(self.k, self.n)}%)" if self.percent and self.n else ""
        return f"{self.k} {word} {self.n}{noun}{share}"

    def html(self, lang: str) -> str:
        """The count as an HTML span that names the cell it comes from.

        Returns
        -------
        str
            A ``cm-num`` span with the cell's variable, codes, unit, group, k and n as data
            attributes; a ``cm-public`` span without them when the count has no variable.

        Examples
        --------
        >>> Num(18, 18, noun="municipalities").html("en")
        '<span class="cm-public">18 of 18 municipalities (100%)</span>'
        >>> Num(2, 3, "agenda.carrier", ("connection",), "interview").html("nl")
        '<span class="cm-num" data-variable="agenda.carrier" data-codes="connection" ... data-n="3">2 van 3 (67%)</span>'
        """
        if not self.variable:  # a public fact (Table 1: municipalities and interviews per group)
            return f'<span class="cm-public">{html.escape(self.text(lang))}</span>'
        attrs = {"variable": self.variable, "codes": " ".join(self.codes), "unit": self.unit, "by": self.by,
                 "group": self.group, "k": str(self.k), "n": str(self.n)}
        data = " ".join(f'data-{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
        return f'<span class="cm-num" {data}>{html.escape(self.text(lang))}</span>'


def cells_attribute(cells) -> str:
    """The count cells a statistic is computed from, as the JSON of a ``data-cells`` attribute
    (the auditor's contract: variable, unit, by, group, codes, k, n).

    Returns
    -------
    str
        Compact JSON, keys sorted; not yet escaped for HTML.

    Examples
    --------
    >>> cells_attribute([Num(2, 5, "sourcing.design", ("mixed",), "municipality", "size_class", "small")])
    '[{"by":"size_class","codes":["mixed"],"group":"small","k":2,"n":5,"unit":"municipality","variable":"sourcing.design"}]'
    """
    out = [{"variable": c.variable, "unit": c.unit, "by": c.by, "group": c.group, "codes": list(c.codes),
            "k": int(c.k), "n": int(c.n)} for c in cells]
    return json.dumps(out, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Stat:
    """A statistic in a sentence (a p-value, an effect size, a difference of shares, the number of
    tests that find a difference): its text in each language, and what it is computed from, for
    the auditor (`kind` "table": a function of the count cells `cells` only, which a published
    statistic may rest on only where they are shown; "resample": a bootstrap over the units of a
    whole group; "within": how often respondents of one municipality differ).

    Examples
    --------
    >>> s = Stat({"en": "0.43", "nl": "0,43"}, cells=(Num(2, 5, "sourcing.design", ("mixed",), "municipality",
    ...                                                    "size_class", "small"),))
    >>> s.text("nl"), s.html("en")[:60]
    ('0,43', '<span class="cm-stat" data-stat="table" data-cells="[{&quot;')
    """

    texts: dict
    kind: str = "table"
    cells: tuple = ()
    attrs: tuple = ()  # further data attributes, (name, value) pairs (e.g. the group of a resample)

    def text(self, lang: str) -> str:
        """The statistic's text in `lang`.

        Returns
        -------
        str

        Examples
        --------
        >>> Stat({"en": "p = 0.52", "nl": "p = 0,52"}).text("en")
        'p = 0.52'
        """
        return self.texts[lang]

    def html(self, lang: str) -> str:
        """The statistic as a ``cm-stat`` span that states what it rests on.

        Returns
        -------
        str

        Examples
        --------
        >>> Stat({"en": "3", "nl": "3"}, kind="resample", attrs=(("variables", "maturity.top3"),)).html("en")
        '<span class="cm-stat" data-stat="resample" data-variables="maturity.top3">3</span>'
        """
        return f'<span class="cm-stat" {stat_attributes(self.kind, self.cells, self.attrs)}>' \
               f"{html.escape(self.text(lang))}</span>"


def stat_attributes(kind: str, cells=(), attrs=()) -> str:
    """The data attributes of a statistic's element: its kind, the cells it rests on, and others.

    Returns
    -------
    str
        ``data-stat="..." data-cells="..." ...``, escaped.

    Examples
    --------
    >>> stat_attributes("within", attrs=(("k", "3"), ("n", "20")))
    'data-stat="within" data-k="3" data-n="20"'
    """
    parts = [f'data-stat="{html.escape(kind, quote=True)}"']
    if cells or kind == "table":  # a table statistic says what it rests on, if only on nothing from the data
        parts.append(f'data-cells="{html.escape(cells_attribute(cells), quote=True)}"')
    parts += [f'data-{name}="{html.escape(str(value), quote=True)}"' for name, value in attrs]
    return " ".join(parts)


class Sentence:
    """A computed sentence (or a short paragraph) in one language.

    Parameters
    ----------
    parts : list of str and Num
    lang : {"en", "nl"}

    Examples
    --------
    >>> s = Sentence(["Of the units, ", Num(5, 8), " agree."], "en")
    >>> print(s)
    Of the units, 5 of 8 (63%) agree.
    >>> s == "Of the units, 5 of 8 (63%) agree."
    True
    >>> s._repr_html_()
    '<p class="cm-sentence">Of the units, <span class="cm-public">5 of 8 (63%)</span> agree.</p>'
    """

    def __init__(self, parts, lang: str, *, public: bool = False):
        self.parts = [p for p in parts if p != ""]
        self.lang = check_lang(lang)
        self.public = public  # about Table 1's public facts only (marked for the auditor)

    def __str__(self) -> str:
        return "".join(p.text(self.lang) if isinstance(p, (Num, Stat)) else p for p in self.parts)

    def __repr__(self) -> str:
        return str(self)

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def _repr_html_(self) -> str:
        inner = "".join(p.html(self.lang) if isinstance(p, (Num, Stat)) else html.escape(p) for p in self.parts)
        return f'<p class="cm-sentence{" cm-public" if self.public else ""}">{inner}</p>'

    def _repr_markdown_(self) -> str:
        return str(self)


def join_parts(items: list, lang: str) -> list:
    """'a, b and c' (or 'a, b en c') as parts; 'a; b; c' when an item itself holds 'and' (a label
    such as 'engineering and specialist work'), so that the list still reads as a list."""
    word = " en " if lang == "nl" else " and "
    plain = ["".join(p if isinstance(p, str) else "" for p in (it if isinstance(it, list) else [it])) for it in items]
    semicolons = any(word in text for text in plain)
    out = []
    for i, item in enumerate(items):
        if i:
            out.append("; " if semicolons else (word if i == len(items) - 1 else ", "))
        out.extend(item if isinstance(item, list) else [item])
    return out


def shown_cells(table: CountTable, group: str = ALL):
    """(row, cell) for every shown cell of one group column."""
    col = [g for g, _ in table.groups].index(group)
    return [(r, r.cells[col]) for r in table.rows if r.cells[col].shown]


def whole_num(table: CountTable, row, cell, group: str = ALL) -> Num:
    """A cell of the whole selection as a count in words ("alle 18", "geen van de 18" where it is)."""
    return Num(cell.k, cell.n, row.variable, row.codes, table.unit, table.by or "none", group, words=group == ALL)


def group_noun(codebook, code: str, lang: str) -> str:
    """'large municipalities' / 'grote gemeenten' for a size class, or for a merged group of size
    classes ('large+very_large': 'large and very large municipalities').

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> cb = cm.load_study().codebook
    >>> group_noun(cb, "large", "en"), group_noun(cb, "large+very_large", "nl")
    ('large municipalities', 'grote en zeer grote gemeenten')
    """
    attr = codebook.attributes["size_class"]
    parts = code.split("+")
    if len(parts) == 1:
        return attr.codes[code].get(f"{lang}_group") or attr.codes[code][lang].lower()
    nouns = [attr.codes[p].get(f"{lang}_group", attr.codes[p][lang].lower()) for p in parts]
    last_word = nouns[-1].split()[-1]
    adjectives = [n[: -len(last_word)].strip() for n in nouns]
    return (" en " if lang == "nl" else " and ").join(adjectives) + " " + last_word


def _var_label(study, variable, lang):
    return study.codebook.label(variable, lang)


def code_label(study, variable, code, lang):
    """The label of `code` of `variable` in `lang`."""
    return study.codebook.code_label(variable, code, lang)


def subject_label(study, variable, lang):
    """A variable's label without the part before a colon ('Investment role: housing' -> 'housing')."""
    label = study.codebook.label(variable, lang)
    return label.split(": ", 1)[1] if ": " in label else label[0].lower() + label[1:]
