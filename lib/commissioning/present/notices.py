"""What a report says about its data: the notice on top, the parameters line, the notes under a
table, and the provenance of a run's values.

`Html` is a piece of HTML a notebook shows; `provenance` counts what the data of a run is (kept in
the reports' manifest); `NoticesMixin` holds the methods of `Report` (see `present.report`) that say
what the report runs on, in its language.

Examples
--------
>>> import commissioning as cm
>>> cm.Report(lang="nl").units_line()
'Gemeenten: 18, interviews: 24; geteld per gemeente (18 gemeenten).'
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..analysis import imputed_count, share_text, value_provenance
from ..core import check_unit, percent_half_up
from ..data import origin
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
    unit and variable, at each variable's natural unit) by their provenance, with
    `commissioning.analysis.provenance.value_provenance`: the one count of the notice on top of
    every report, the notes under its tables and the README.

    Returns
    -------
    dict
        ``{"n_municipalities", "n_interviews", "n_coders", "n_values", "basis": {basis: count}}``,
        plain numbers (it is kept in the reports' manifest); `basis` counts observed, reported,
        derived, external and imputed values, and apart from them the values edited after the
        reconstruction drew them (`edited`).

    Examples
    --------
    >>> import commissioning as cm
    >>> info = provenance(cm.load_study())
    >>> info["n_municipalities"], info["n_interviews"], info["n_values"], info["basis"]["observed"]
    (18, 24, 1080, 0)
    """
    counts = value_provenance(study)
    return {"n_municipalities": int(len(study.municipalities)), "n_interviews": int(study.n_interviews),
            "n_coders": int(study.interviews.coder.nunique()) if len(study.interviews) else 0,
            "n_values": counts["n_values"], "basis": counts["basis"]}


class NoticesMixin:
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
    def origin(self):
        """What the report's data is, from the data itself (`commissioning.data.origin.origin`):
        the reconstruction, an edited reconstruction or coded data."""
        return origin(self.study)

    @property
    def reconstructed(self) -> bool:
        """Whether the report's data is the reconstruction or an edited one (`origin`), whatever the
        values' labels say."""
        return self.origin.kind != "coded"

    def imputed(self, variables=None) -> float:
        """Share of imputed values among the values (one per unit and variable, at each variable's
        natural unit) of `variables` (default: all), as `commissioning.analysis.provenance` counts
        them (a value edited after the reconstruction is not imputed).

        Returns
        -------
        float
            Between 0 and 1; 0.0 when there are no values.

        Examples
        --------
        >>> import commissioning as cm
        >>> r = cm.Report()
        >>> 0.9 < r.imputed() < 1, r.imputed("sourcing.design")
        (True, 1.0)
        """
        k, n = imputed_count(self.study, variables)
        return k / n if n else 0.0

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

    def notice_text(self) -> str:
        """The notice on top of the report: that the data is the reconstruction of a seed, or an edited
        reconstruction (how many values differ from it), and the share of imputed values with its
        denominator; '' on coded data.

        Returns
        -------
        str
            HTML.

        Examples
        --------
        >>> import commissioning as cm
        >>> text = cm.Report().notice_text()
        >>> "seed 2018" in text, "Of the 1,080 values behind it (one per unit and variable), 9" in text
        (True, True)
        """
        found = self.origin
        if found.kind == "coded":
            return ""
        counts = value_provenance(self.study)
        n, basis = counts["n_values"], counts["basis"]
        sep = "." if self.lang == "nl" else ","
        values = dict(seed=found.seed, n=f"{n:,}".replace(",", sep), share=share_text(basis["imputed"], n, self.lang),
                      edited=f"{basis['edited']:,}".replace(",", sep),
                      edited_share=share_text(basis["edited"], n, self.lang))
        return self.t("notice" if found.kind == "reconstruction" else "notice_edited", **values)

    def notice(self):
        """Show, first on the page, that a report made without publishing is not for publication,
        and that the data is a reconstruction (nothing on coded data).

        The notice is a display output marked for the renderer, which puts it at the top of the
        report (`commissioning.run.convert`).

        Returns
        -------
        None

        Examples
        --------
        Outside a notebook, IPython's `display` prints what it would show:

        >>> import commissioning as cm
        >>> cm.Report().notice()
        <IPython.core.display.HTML object>
        <IPython.core.display.HTML object>
        """
        from IPython.display import HTML, display  # only in a notebook (and patched in the tests)

        if not self.publish:  # a page of one's own exploration must not pass for a publication
            display(HTML(self.t("unpublished_notice", t=self.threshold)), metadata={"commissioning": {"notice": True}})
        text = self.notice_text()
        if not text:
            return None
        display(HTML(text), metadata={"commissioning": {"notice": True}})
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
        data += f" ({self.t('nature')[self.origin.kind]})"
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
        """'Municipalities: 18, interviews: 24; counted per municipality (18 municipalities).'

        Returns
        -------
        str
            At `unit` (default the report's unit).

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().units_line("interview")
        'Municipalities: 18, interviews: 24; counted per respondent (24 respondents).'
        """
        unit = check_unit(unit or self.unit)
        n_m, n_i = len(self.study.municipalities), self.study.n_interviews
        return self.t("units_line", n_m=n_m, n_i=n_i, unit=self.t("unit_one")[unit],
                      n_u=n_m if unit == "municipality" else n_i, units=self.t("unit_many")[unit])

    def protection_note(self, by: str | None = "size_class") -> str:
        """One sentence on what publishing did to a table by `by` (or that the report is not published).

        Returns
        -------
        str
            By size class, how the size classes were merged; by region, how regions are suppressed
            (a region's table merges no size class, so the merge is not its note).

        Examples
        --------
        >>> import commissioning as cm
        >>> cm.Report().protection_note()
        'Not published: every group is shown, however small.'
        >>> cm.Report(publish=True).protection_note()
        'Published with disclosure control: size classes with fewer than 3 municipalities ...'
        >>> cm.Report(publish=True, lang="nl").protection_note("region")
        'Gepubliceerd met statistische geheimhouding: een regio met minder dan 3 gemeenten of respondenten ...'
        """
        if not self.publish:
            return self.t("not_published")
        if by == "region":
            return self.t("note_region", t=self.threshold)
        return self.protection.note(self.lang)
