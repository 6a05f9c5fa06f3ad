"""Tables of units by group as a report shows them: one display format, fit to publish.

Every table that counts units by group (overall, by size class, by region, by rank) is a
`CountTable`: one row per variable and code (or set of codes counted together), one column per
group shown and one for the whole selection, each cell "k/n (p%)" with the percentage rounded
half up as the study prints it. In a published report the groups come from the disclosure
control (`cm.protection`: size classes too small are merged with their
neighbour) and a cell it suppresses is shown as "–".

The HTML form states its numbers as data attributes too (the variable, the codes, the unit, the
group, k and n: only what the cell shows), so that a disclosure audit can read a published page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from ..core.checks import check_lang
from ..core.formats import percent_half_up

ALL = "all"
ALL_LABEL = {"en": "All", "nl": "Alle"}
DASH = "–"


def cell_text(k: int, n: int) -> str:
    """A count and its share as every table shows it: "k/n (p%)", the share rounded half up.

    Returns
    -------
    str
        "–" when the group has no unit with a value (n = 0).

    Examples
    --------
    >>> cell_text(5, 8), cell_text(0, 0)
    ('5/8 (63%)', '–')
    """
    return f"{int(k)}/{int(n)} ({percent_half_up(int(k), int(n))}%)" if n else DASH


@dataclass(frozen=True)
class Cell:
    """One cell: `k` units of `n` with a value in the group; `shown` False when suppressed.

    Examples
    --------
    >>> Cell(5, 8).text, Cell(1, 2, shown=False).text
    ('5/8 (63%)', '–')
    """

    k: int
    n: int
    shown: bool = True

    @property
    def text(self) -> str:
        """The cell as shown: "k/n (p%)", or "–" when suppressed or empty."""
        return cell_text(self.k, self.n) if self.shown else DASH


@dataclass
class Row:
    """One row of a `CountTable`: a variable, the code(s) it counts, its label and one `Cell` per
    group column.

    Examples
    --------
    >>> row = Row("structure.tenderboard", ("yes",), "Tenderboard: Yes", [Cell(1, 18)])
    >>> row.label, row.cells[0].text
    ('Tenderboard: Yes', '1/18 (6%)')
    """

    variable: str
    codes: tuple
    label: str
    cells: list


@dataclass
class CountTable:
    """Units by group, one row per variable and code(s); see the module's description.

    Attributes
    ----------
    rows : list of Row
    groups : list of (code, label)
        The columns, the whole selection last (code "all").
    unit : {"interview", "municipality", "mention"}
    by : {None, "size_class", "region", "rank"}
    lang : {"en", "nl"}
    notes : list of str
        Lines shown under the table (the share of imputed values, what publishing did).

    Examples
    --------
    >>> table = CountTable([Row("structure.tenderboard", ("yes",), "Tenderboard: Yes", [Cell(1, 18)])],
    ...                    [(ALL, "All")], "municipality", None, "en")
    >>> table
                            All
    Tenderboard: Yes  1/18 (6%)
    >>> table.value("structure.tenderboard", "yes").k
    1
    """

    rows: list
    groups: list
    unit: str
    by: str | None
    lang: str
    notes: list = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The table as text cells, indexed by row label, one column per group label.

        Returns
        -------
        DataFrame of str

        Examples
        --------
        >>> row = Row("agenda.carrier", ("connection",), "Carrier: Connection", [Cell(2, 3), Cell(5, 9)])
        >>> CountTable([row], [("small", "Small"), (ALL, "All")], "interview", "size_class", "en").frame()
                                    Small        All
        Carrier: Connection  2/3 (67%)  5/9 (56%)
        """
        data = {label: [r.cells[i].text for r in self.rows] for i, (_, label) in enumerate(self.groups)}
        return pd.DataFrame(data, index=pd.Index([r.label for r in self.rows]))

    def value(self, variable: str, codes, group: str = ALL) -> Cell:
        """The cell of one variable, code(s) and group.

        Returns
        -------
        Cell
            `codes` is one code or a sequence of the codes a row counts together; StopIteration
            when no row has them, ValueError for a group the table does not show.

        Examples
        --------
        >>> import commissioning as cm
        >>> table = cm.Report().counts("agenda.carrier", by="size_class")
        >>> cell = table.value("agenda.carrier", "connection", "large")
        >>> cell.k, cell.n, cell.text
        (6, 8, '6/8 (75%)')
        """
        codes = (codes,) if isinstance(codes, str) else tuple(codes)
        col = [g for g, _ in self.groups].index(group)
        row = next(r for r in self.rows if r.variable == variable and r.codes == codes)
        return row.cells[col]

    def __repr__(self) -> str:
        text = self.frame().to_string()
        return text + ("\n" + "\n".join(self.notes) if self.notes else "")

    def _repr_html_(self) -> str:
        by = self.by or "none"
        head = "".join(f'<th data-group="{html.escape(g, quote=True)}">{html.escape(label)}</th>'
                       for g, label in self.groups)
        body = []
        for r in self.rows:
            cells = []
            for (g, _), c in zip(self.groups, r.cells):
                if c.shown:
                    cells.append(f'<td data-k="{c.k}" data-n="{c.n}">{html.escape(c.text)}</td>')
                else:
                    cells.append(f'<td class="cm-suppressed">{DASH}</td>')
            body.append(f'<tr data-variable="{html.escape(r.variable, quote=True)}" '
                        f'data-codes="{html.escape(" ".join(r.codes), quote=True)}">'
                        f'<th>{html.escape(r.label)}</th>{"".join(cells)}</tr>')
        notes = "".join(f'<p class="cm-note">{html.escape(n)}</p>' for n in self.notes if n)
        return (f'<table class="cm-counts" data-unit="{html.escape(self.unit, quote=True)}" '
                f'data-by="{html.escape(by, quote=True)}">'
                f'<thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{notes}')


def _groups(study, by, protection, lang):
    if by is None:
        return [(ALL, ALL_LABEL[lang])]
    if protection is not None and by in ("size_class", "region"):
        shown = [(code, en if lang == "en" else nl) for code, en, nl in protection.groups(by)]
    else:
        attr = study.codebook.attributes[by]
        present = set(study.municipalities[by])
        shown = [(c, attr.codes[c][lang]) for c in attr.code_list if c in present]
    return shown + [(ALL, ALL_LABEL[lang])]


def count_table(study, variables, *, by=None, unit: str = "municipality", codes=None, lang: str = "en",
                protection=None, label: str = "both") -> CountTable:
    """Counts of codes of one or more variables, overall or by group, as a publishable table.

    Parameters
    ----------
    study : Study
        When `protection` is given, its `study` is used (in publish mode the recoded one).
    variables : str or list of str
        Variables that are not ranked sets.
    by : {None, "size_class", "region"}
    unit : {"municipality", "interview"}
    codes : list of str or list of lists, optional
        Default: one row per code of each variable. A list of codes gives one row per variable
        counting those codes together (e.g. ``[["mixed", "outsourced"]]``); a list of lists gives
        one row per variable and set.
    lang : {"en", "nl"}
    protection : Protection, optional
        Disclosure control (`cm.protection`); None shows every group.
    label : {"both", "variable", "code"}
        What a row's label says: "Variable: code", the variable only, or the code only.

    Returns
    -------
    CountTable

    Examples
    --------
    >>> import commissioning as cm
    >>> t = count_table(cm.load_study(), "segment.public_space.investment")
    >>> t.value("segment.public_space.investment", "commissioner").text
    '18/18 (100%)'
    """
    from ..analysis.tabulate import crosstab

    check_lang(lang)
    source = protection.study if protection is not None else study
    variables = [variables] if isinstance(variables, str) else list(variables)
    groups = _groups(source, by, protection, lang)
    tab = crosstab(source, variables, by=by, unit=unit, lang=lang)
    overall = crosstab(source, variables, by=None, unit=unit, lang=lang) if by is not None else tab
    cb = source.codebook
    if codes is None:
        sets = None
    elif all(isinstance(c, str) for c in codes):
        sets = [tuple(codes)]
    else:
        sets = [tuple(c) for c in codes]
    rows = []
    for v in variables:
        var = cb.variables[v]
        for code_set in (sets or [(c,) for c in var.code_list]):
            cells = []
            for g, _ in groups:
                part = overall[overall.variable == v] if g == ALL else tab[(tab.variable == v) & (tab[by] == g)]
                k = int(part[part.code.isin(code_set)].n.sum())
                n = int(part.n_total.iat[0]) if len(part) else 0
                shown = protection is None or protection.shown(v, by, g, unit)
                cells.append(Cell(k, n, shown))
            codes_label = " / ".join(var.code_label(c, lang) for c in code_set)
            text = {"both": f"{var.label[lang]}: {codes_label}", "variable": var.label[lang],
                    "code": codes_label}[label]
            rows.append(Row(v, code_set, text, cells))
    return CountTable(rows, groups, unit, by, lang)


def mention_table(study, *, by=None, lang: str = "en", protection=None, variable: str = "maturity.top3") -> CountTable:
    """Mentions of each code of a ranked set (a respondent's top three), overall or by group:
    k mentions of the aspect among the n mentions of the group, aspects in the order of the whole
    selection (most mentioned first, ties in Table 2's order).

    Parameters
    ----------
    study : Study
    by : {None, "size_class", "region", "rank"}
    lang : {"en", "nl"}
    protection : Protection, optional

    Returns
    -------
    CountTable with unit "mention".

    Examples
    --------
    >>> import commissioning as cm
    >>> t = mention_table(cm.load_study())
    >>> t.rows[0].label, t.rows[0].cells[0].text
    ('People and competences', '15/72 (21%)')
    """
    from ..analysis.maturity import top3_mentions

    check_lang(lang)
    source = protection.study if protection is not None else study
    overall = top3_mentions(source, lang=lang)
    if by == "rank":
        var = source.codebook.variables[variable]
        words = {"en": ("First", "Second", "Third"), "nl": ("Eerste", "Tweede", "Derde")}[lang]
        groups = [(str(r), words[r - 1] if r <= 3 else str(r)) for r in range(1, (var.size or 3) + 1)]
        groups.append((ALL, ALL_LABEL[lang]))
    else:
        groups = _groups(source, by, protection, lang)
    split = top3_mentions(source, by=by, lang=lang) if by is not None else None
    rows = []
    for aspect, label in zip(overall.aspect, overall.label):
        cells = []
        for g, _ in groups:
            if g == ALL:
                part = overall[overall.aspect == aspect]
            else:
                key = int(g) if by == "rank" else g
                part = split[(split[by] == key) & (split.aspect == aspect)]
            k = int(part.n_mentions.iat[0]) if len(part) else 0
            n = int(part.n_total.iat[0]) if len(part) else 0
            shown = protection is None or protection.shown(variable, by, g, "interview")  # a ranked set: per interview
            cells.append(Cell(k, n, shown))
        rows.append(Row(variable, (aspect,), label, cells))
    return CountTable(rows, groups, "mention", by, lang)
