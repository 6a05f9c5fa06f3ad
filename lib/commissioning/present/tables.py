"""Tables of units by group as a report shows them: one display format, fit to publish.

Every table that counts units by group (overall, by size class, by region, by rank) is a
`CountTable`: one row per variable and code (or set of codes counted together), one column per
group shown and one for the whole selection, each cell "k/n (p%)" with the percentage rounded
half up as the study prints it. In a published report the groups come from the disclosure
control (`cm.protection`: size classes too small are merged with their
neighbour) and a cell it suppresses is shown as "–".

The HTML form states its numbers as data attributes too (the variable, the codes, the unit, the
group, k and n: only what the cell shows), so that a disclosure audit can read a published page.
It has a caption and scoped header cells, none of them empty; a table of several variables that
share their codes, overall, is a grid (one row per variable, one column per code), which reads at
a glance where a list of "Variable: code" rows would not.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from ..core import check_lang, percent_half_up
from .captions import common_prefix, count_caption, row_header

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
    variable_label: str = ""  # the label of the variable alone (a grid's row)
    code_label: str = ""  # the label of the code(s) alone (a grid's column)


@dataclass(frozen=True)
class CellRef:
    """A shown cell of a count table, named as the auditor reads it: k of the n units of `group`
    (of a table by `by`, at `unit`) coded one of `codes`.

    Examples
    --------
    >>> CellRef("sourcing.design", "municipality", "none", "all", ("mixed",), 5, 18).k
    5
    """

    variable: str
    unit: str
    by: str
    group: str
    codes: tuple
    k: int
    n: int


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
    caption : str
        What the table counts (`present.captions.count_caption`).
    row_header : str
        The header of the row labels.

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
    caption: str = ""
    row_header: str = ""
    by_label: str = ""  # the grouping's name in the table's language, lower case (a further attribute's)

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
        (5, 8, '5/8 (63%)')
        """
        codes = (codes,) if isinstance(codes, str) else tuple(codes)
        col = [g for g, _ in self.groups].index(group)
        row = next(r for r in self.rows if r.variable == variable and r.codes == codes)
        return row.cells[col]

    def cells(self) -> list:
        """Every shown cell of the table, as what a statistic computed from it rests on.

        Returns
        -------
        list of CellRef

        Examples
        --------
        >>> import commissioning as cm
        >>> ref = cm.Report().counts("structure.tenderboard").cells()[0]
        >>> ref.variable, ref.codes, ref.k, ref.n, ref.group
        ('structure.tenderboard', ('yes',), 6, 18, 'all')
        """
        by = self.by or "none"
        return [CellRef(r.variable, self.unit, by, g, tuple(r.codes), c.k, c.n)
                for r in self.rows for (g, _), c in zip(self.groups, r.cells) if c.shown]

    def __repr__(self) -> str:
        text = self.frame().to_string()
        return text + ("\n" + "\n".join(self.notes) if self.notes else "")

    @property
    def grid(self) -> bool:
        """Whether the HTML form is a grid: overall, several variables, each with a row per code of
        the same codes in the same order.

        Returns
        -------
        bool

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().counts(["sourcing.design", "sourcing.execution"]).grid
        True
        >>> cm.Report().counts(["sourcing.design"]).grid, cm.Report().counts(["sourcing.design"], by="region").grid
        (False, False)
        """
        if self.by is not None or not self.rows or not all(r.code_label and len(r.codes) == 1 for r in self.rows):
            return False
        codes: dict = {}
        for r in self.rows:
            codes.setdefault(r.variable, []).append(r.codes)
        lists = list(codes.values())
        return len(lists) > 1 and len(lists[0]) > 1 and all(x == lists[0] for x in lists)

    def _cell_html(self, c: Cell, codes: str = "") -> str:
        extra = f' data-codes="{html.escape(codes, quote=True)}"' if codes else ""
        if c.shown:
            return f'<td data-k="{c.k}" data-n="{c.n}"{extra}>{html.escape(c.text)}</td>'
        return f'<td class="cm-suppressed"{extra}>{DASH}</td>'

    def _grid_html(self):
        """The head and the body of the grid: one row per variable, one column per code."""
        variables = list(dict.fromkeys(r.variable for r in self.rows))
        first = [r for r in self.rows if r.variable == variables[0]]
        head = "".join(f'<th scope="col" data-group="{ALL}" data-codes="{html.escape(" ".join(r.codes), quote=True)}">'
                       f"{html.escape(r.code_label)}</th>" for r in first)
        body = []
        for v in variables:
            rows = [r for r in self.rows if r.variable == v]
            cells = "".join(self._cell_html(r.cells[0], " ".join(r.codes)) for r in rows)
            body.append(f'<tr data-variable="{html.escape(v, quote=True)}"><th scope="row">'
                        f"{html.escape(rows[0].variable_label)}</th>{cells}</tr>")
        return head, body

    def _repr_html_(self) -> str:
        by = self.by or "none"
        if self.grid:
            head, body = self._grid_html()
        else:
            head = "".join(f'<th scope="col" data-group="{html.escape(g, quote=True)}">{html.escape(label)}</th>'
                           for g, label in self.groups)
            body = [f'<tr data-variable="{html.escape(r.variable, quote=True)}" '
                    f'data-codes="{html.escape(" ".join(r.codes), quote=True)}">'
                    f'<th scope="row">{html.escape(r.label)}</th>{"".join(self._cell_html(c) for c in r.cells)}</tr>'
                    for r in self.rows]
        notes = "".join(f'<p class="cm-note">{html.escape(n)}</p>' for n in self.notes if n)
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        corner = html.escape(self.row_header or {"en": "Row", "nl": "Rij"}[self.lang])
        return (f'<table class="cm-counts{" cm-grid" if self.grid else ""}" '
                f'data-unit="{html.escape(self.unit, quote=True)}" data-by="{html.escape(by, quote=True)}">'
                f'{caption}<thead><tr><th scope="col">{corner}</th>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table>{notes}')


def _groups(study, by, protection, lang):
    if by is None:
        return [(ALL, ALL_LABEL[lang])]
    if protection is not None and by not in (None, "rank"):
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
    from ..analysis import crosstab

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
            rows.append(Row(v, code_set, text, cells, var.label[lang], codes_label))
    _short_labels(rows)
    caption = count_caption(cb, variables, by=by, unit=unit, codes=sets, lang=lang)
    table = CountTable(rows, groups, unit, by, lang, caption=caption)
    table.row_header = row_header(cb, variables, label="grid" if table.grid else label, lang=lang)
    if by is not None and by in cb.attributes:
        table.by_label = cb.attributes[by].label[lang].lower()
    return table


def _short_labels(rows) -> None:
    """Rows whose variables' labels share what comes before ": " drop it (the caption says it)."""
    labels = list(dict.fromkeys(r.variable_label for r in rows))
    prefix = common_prefix(labels)
    if not prefix:
        return
    for r in rows:
        rest = r.variable_label[len(prefix) + 2:]
        rest = rest[:1].upper() + rest[1:]
        r.label = r.label.replace(r.variable_label, rest, 1)
        r.variable_label = rest


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
    from ..analysis import top3_mentions

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
    caption = count_caption(source.codebook, [variable], by=by, unit="mention", lang=lang)
    row = row_header(source.codebook, [variable], label="mention", lang=lang)
    return CountTable(rows, groups, "mention", by, lang, caption=caption, row_header=row)
