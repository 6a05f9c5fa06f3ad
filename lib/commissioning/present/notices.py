"""What a report says about its data: the notice on top, the parameters line, the notes under a
table, and the provenance of a run's values.

`Html` is a piece of HTML a notebook shows; `provenance` counts what the data of a run is (kept in
the reports' manifest); `_Notices` holds the methods of `Report` (see `present.report`) that say
what the report runs on, in its language.

Examples
--------
>>> import commissioning as cm
>>> cm.Report(lang="nl").units_line()
'Gemeenten: 18, interviews: 24; analyse-eenheid: gemeente (18 eenheden).'
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..analysis.units import unit_values
from ..core.checks import check_unit
from ..core.formats import percent_half_up
from ..data.interviews import BASES
from .texts import TEXT


class Html:
    """A piece of HTML for a notebook (shown as HTML in JupyterLab and in a report).

    Parameters
    ----------
    text : str
        The HTML.

    Examples
    --------
    >>> h = Html("<p>18 <b>municipalities</b></p>")
    >>> h._repr_html_(), h
    ('<p>18 <b>municipalities</b></p>', 18 municipalities)
    """

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return re.sub(r"<[^>]+>", "", self.text)


def provenance(study) -> dict:
    """What the data of a run is, as the index's "About the data" says it.

    Counts the municipalities, interviews and coders, and the values behind the analyses (one per
    unit and variable, at each variable's natural unit, as `Report.imputed` counts them) by their
    provenance: observed, reported, derived or imputed.

    Returns
    -------
    dict
        ``{"n_municipalities", "n_interviews", "n_coders", "n_values", "basis": {basis: count}}``,
        plain numbers (it is kept in the reports' manifest).

    Examples
    --------
    >>> import commissioning as cm
    >>> info = provenance(cm.load_study())
    >>> info["n_municipalities"], info["n_interviews"], info["basis"]["observed"]
    (18, 24, 0)
    """
    values = unit_values(study, None, unit="natural")
    counts = values["basis"].value_counts()
    return {"n_municipalities": int(len(study.municipalities)), "n_interviews": int(study.n_interviews),
            "n_coders": int(study.interviews.coder.nunique()) if len(study.interviews) else 0,
            "n_values": int(len(values)), "basis": {b: int(counts.get(b, 0)) for b in BASES}}


class _Notices:
    """The methods of `Report` that say what it runs on: its texts, the share of imputed values,
    the notice, the parameters line and the notes under a table.

    They read the report's `lang`, `unit`, `publish`, `data_dir`, `study` and `protection`.
    """

    def t(self, key: str, **values) -> str:
        """A text of the report's chrome in its language.

        Returns
        -------
        str
            The text of `key` in `present.texts.TEXT`, with `values` filled in when given.

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report(lang="nl")
        >>> r.t("yes"), r.t("selection", n_m=3, n_i=4)
        ('ja', '3 gemeenten, 4 interviews')
        """
        text = TEXT[self.lang][key]
        return text.format(**values) if values else text

    @property
    def reconstructed(self) -> bool:
        """Whether any value behind the report is reconstructed (imputed or derived)."""
        return bool(self.study.codings["basis"].isin(["imputed", "derived"]).any())

    def imputed(self, variables=None) -> float:
        """Share of imputed values among the values (one per unit and variable, at each variable's
        natural unit) of `variables` (default: all).

        Returns
        -------
        float
            Between 0 and 1; 0.0 when there are no values.

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> round(r.imputed(), 3), r.imputed("sourcing.design")
        (0.945, 1.0)
        """
        values = unit_values(self.study, variables, unit="natural")
        return float((values["basis"] == "imputed").mean()) if len(values) else 0.0

    def imputed_note(self, variables=None, *, what: str = "table") -> str:
        """The line stating the share of imputed values behind a table or figure ('' when none is).

        Returns
        -------
        str

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().imputed_note("agenda.carrier", what="figure")
        'Share of imputed values behind this figure: 100%.'
        """
        share = self.imputed(variables)
        if not share:
            return ""
        return self.t("imputed_figure" if what == "figure" else "imputed_table",
                      share=percent_half_up(round(share * 10000), 10000))

    def notice(self):
        """Show, first on the page, that the data is a reconstruction (nothing on observed data).

        The notice is a display output marked for the renderer, which puts it at the top of the
        report (`commissioning.run.render`).

        Returns
        -------
        None

        Examples
        --------
        Outside a notebook, IPython's `display` prints what it would show:

        >>> import commissioning as cm
        >>> cm.Report().notice()
        <IPython.core.display.HTML object>
        """
        if not self.reconstructed:
            return None
        from IPython.display import HTML, display  # only in a notebook (and patched in the tests)

        share = percent_half_up(round(self.imputed() * 10000), 10000)
        display(HTML(self.t("notice", share=share)), metadata={"commissioning": {"notice": True}})
        return None

    def parameters(self) -> Html:
        """What the report ran on, in one line: data (a folder's name, never a path), selection,
        unit and whether it is published.

        Returns
        -------
        Html
            A paragraph of class ``cm-parameters``.

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report(lang="nl", region="Zuid", publish=True).parameters()
        Gegevens: de meegeleverde gegevens (gereconstrueerd). Selectie: Zuid (6 gemeenten, 7 interviews).
        Analyse-eenheid: gemeente. Gepubliceerd: ja.
        """
        data = self.t("shipped") if self.data_dir is None else self.t("folder", name=repr(Path(self.data_dir).name))
        data += f" ({self.t('nature')[self.reconstructed]})"
        filters = self.study.filters
        if filters:
            cb = self.study.codebook
            sel = ", ".join(cb.code_label(k, v, self.lang) for k, v in filters.items())
        else:
            sel = self.t("whole")
        sel += " (" + self.t("selection", n_m=len(self.study.municipalities), n_i=self.study.n_interviews) + ")"
        line = self.t("parameters", data=data, selection=sel, unit=self.t("units")[self.unit],
                      publish=self.t("yes") if self.publish else self.t("no"))
        return Html(f"<p class=\"cm-parameters\">{html.escape(line)}</p>")

    def units_line(self, unit: str | None = None) -> str:
        """'Municipalities: 18, interviews: 24; unit of analysis: municipality (18 units).'

        Returns
        -------
        str
            At `unit` (default the report's unit).

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().units_line("interview")
        'Municipalities: 18, interviews: 24; unit of analysis: interview (24 units).'
        """
        unit = check_unit(unit or self.unit)
        n_m, n_i = len(self.study.municipalities), self.study.n_interviews
        return self.t("units_line", n_m=n_m, n_i=n_i, unit=self.t("units")[unit],
                      n_u=n_m if unit == "municipality" else n_i)

    def protection_note(self) -> str:
        """One sentence on what publishing did (or that the report is not published).

        Returns
        -------
        str

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().protection_note()
        'Not published: every group is shown, however small.'
        >>> cm.Report(publish=True).protection_note()
        'Published with disclosure control: size classes with fewer than 3 municipalities ...'
        """
        return self.protection.note(self.lang) if self.publish else self.t("not_published")
