"""Tables a report shows that are not counts by group: public facts, text, and statistics, each
marked up for the auditor of published pages (`commissioning.disclosure.audit`).

Every table on a published page says what it holds: ``cm-counts`` (`present.tables.CountTable`),
``cm-stats`` (statistics, each row naming the count cells it is computed from), ``cm-public``
(Table 1's facts and the study's own tables), ``cm-text`` (no number from the data) or
``cm-claims`` (the claims). A `ReportFrame` is a DataFrame that renders with its kind and, for
statistics, one set of data attributes per row.

Examples
--------
>>> import pandas as pd
>>> frame = ReportFrame(pd.DataFrame({"p-value": [0.5]}, index=["Design"]))
>>> frame.cm_kind = "stats"
>>> frame.cm_rows = ['data-stat="table"']
>>> html = frame._repr_html_()
>>> '<table class="cm-stats"' in html, '<tr data-stat="table" class="cm-stat">' in html
(True, True)
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import ParameterError

KINDS = ("stats", "public", "text", "claims")


class ReportFrame(pd.DataFrame):
    """A DataFrame as a report shows it: rendered as a ``cm-<kind>`` table, with the data
    attributes of each body row (for a table of statistics: what each row is computed from).

    Attributes
    ----------
    cm_kind : {"stats", "public", "text", "claims"}
    cm_rows : list of str, optional
        One string of data attributes per row (`present.sentence.stat_attributes`), or None.

    Examples
    --------
    >>> import pandas as pd
    >>> f = mark(pd.DataFrame({"Municipalities": [3]}, index=["Small"]), "public")
    >>> f._repr_html_().splitlines()[0]
    '<table class="cm-public">'
    """

    _metadata = ["cm_kind", "cm_rows", "cm_index"]

    @property
    def _constructor(self):
        return ReportFrame

    def _repr_html_(self) -> str:
        kind = getattr(self, "cm_kind", None) or "text"
        text = pd.DataFrame(self).to_html(border=0, escape=True, index=getattr(self, "cm_index", True))
        text = re.sub(r'^<table[^>]*>', f'<table class="cm-{kind}">', text, count=1)
        rows = getattr(self, "cm_rows", None)
        if rows:
            head, sep, body = text.partition("<tbody>")
            marks = iter(rows)

            def mark_row(match):
                attrs = next(marks, "")
                if "class=" in attrs:  # a row of its own kind (withheld)
                    return f"<tr {attrs}>"
                return f"<tr {attrs} class=\"cm-stat\">" if attrs else match.group(0)

            text = head + sep + re.sub(r"<tr>", mark_row, body)
        return text


def mark(frame: pd.DataFrame, kind: str, rows=None, *, index: bool = True) -> ReportFrame:
    """`frame` as a `ReportFrame` of `kind`, with per-row data attributes.

    Parameters
    ----------
    frame : DataFrame
    kind : {"stats", "public", "text", "claims"}
    rows : list of str, optional
        Data attributes per row, in the frame's order.
    index : bool
        Whether the index is shown.

    Returns
    -------
    ReportFrame
        A new frame; `frame` is unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> mark(pd.DataFrame({"a": [1]}), "stats", ['data-stat="resample"']).cm_rows
    ['data-stat="resample"']
    """
    if kind not in KINDS:
        raise ParameterError("kind", kind, allowed=KINDS)
    out = ReportFrame(frame.copy())
    out.cm_kind = kind
    out.cm_rows = list(rows) if rows is not None else None
    out.cm_index = index
    return out
