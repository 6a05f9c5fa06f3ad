"""What a notebook shows, in one language, with disclosure control when it is published.

A notebook makes one `Report` from its parameters and asks it for everything it shows: the notice
on top, the parameters line, tables of counts by group, notes on imputed values and on what
publishing did. The report knows its language, so the notebook's code is the same in English and
in Dutch, and it knows its disclosure control (`commissioning.disclosure.protection`), so a
published table can show only what may be shown.

Examples
--------
>>> import commissioning as cm
>>> r = cm.Report(lang="nl")
>>> r.counts("segment.public_space.investment").value("segment.public_space.investment", "commissioner").text
'18/18 (100%)'
"""

from __future__ import annotations

import html
from pathlib import Path

from .codebook import check_lang
from .present import ALL, CountTable, count_table
from .units import check_unit, unit_values

TEXT = {
    "en": {
        "notice": ("<p><strong>Reconstructed data.</strong> This report runs on a reconstruction of the study's "
                   "interview codings, not on the interviews themselves: the study never published them. "
                   "{share}% of the values behind it are imputed, drawn at random within what the study "
                   "publishes. Read its figures as one possible dataset, not as findings of the study; see "
                   '<a href="../index.html#about-the-data">About the data</a>.</p>'),
        "imputed_table": "Share of imputed values behind this table: {share}%.",
        "imputed_figure": "Share of imputed values behind this figure: {share}%.",
        "shipped": "the shipped data",
        "folder": "the folder {name}",
        "parameters": "Data: {data}. Selection: {selection}. Unit of analysis: {unit}. Published: {publish}.",
        "whole": "the whole sample",
        "yes": "yes",
        "no": "no",
        "units": {"municipality": "municipality", "interview": "interview"},
        "selection": "{n_m} municipalities, {n_i} interviews",
        "not_published": "Not published: every group is shown, however small.",
    },
    "nl": {
        "notice": ("<p><strong>Gereconstrueerde gegevens.</strong> Dit rapport draait op een reconstructie van de "
                   "codering van de interviews uit het onderzoek, niet op de interviews zelf: die zijn nooit "
                   "gepubliceerd. {share}% van de waarden erachter is geïmputeerd, willekeurig getrokken binnen "
                   "wat het onderzoek publiceert. Lees de cijfers als één mogelijke dataset, niet als bevindingen "
                   'van het onderzoek; zie <a href="../index.html#about-the-data">Over de gegevens</a>.</p>'),
        "imputed_table": "Aandeel geïmputeerde waarden achter deze tabel: {share}%.",
        "imputed_figure": "Aandeel geïmputeerde waarden achter deze figuur: {share}%.",
        "shipped": "de meegeleverde gegevens",
        "folder": "de map {name}",
        "parameters": "Gegevens: {data}. Selectie: {selection}. Analyse-eenheid: {unit}. Gepubliceerd: {publish}.",
        "whole": "de hele steekproef",
        "yes": "ja",
        "no": "nee",
        "units": {"municipality": "gemeente", "interview": "interview"},
        "selection": "{n_m} gemeenten, {n_i} interviews",
        "not_published": "Niet gepubliceerd: elke groep wordt getoond, hoe klein ook.",
    },
}


# Column headers of the tables notebooks show, per language (ids are the library's column names).
HEADERS = {
    "size_class": ("Size class", "Grootteklasse"), "region": ("Region", "Regio"),
    "municipality": ("Municipality", "Gemeente"), "official_name": ("Official name (CBS)", "Officiële naam (CBS)"),
    "population": ("Population, 1 January 2016", "Inwoners, 1 januari 2016"),
    "n_interviews": ("Interviews", "Interviews"), "n_municipalities": ("Municipalities", "Gemeenten"),
    "variable": ("Variable", "Variabele"), "label": ("Label", "Omschrijving"), "type": ("Type", "Type"),
    "level": ("Level", "Meetniveau"), "n_units": ("Units", "Eenheden"), "n_coders": ("Coders", "Codeurs"),
    "alpha": ("Krippendorff's alpha", "Krippendorffs alfa"),
    "percent_agreement": ("Share of pairs that agree", "Aandeel paren dat overeenkomt"),
    "kappa": ("Cohen's kappa", "Cohens kappa"), "number": ("Number", "Nummer"), "aspect": ("Aspect", "Aspect"),
    "sub_aspect": ("Sub-aspect", "Subaspect"), "sub_aspect_label": ("Sub-aspect", "Subaspect"),
    "n_mentions": ("Mentions", "Vermeldingen"), "share_printed": ("Share (%)", "Aandeel (%)"),
    "n_total": ("Total", "Totaal"), "ci_low": ("Interval from (%)", "Interval vanaf (%)"),
    "ci_high": ("Interval to (%)", "Interval tot (%)"), "rank": ("Rank", "Rang"),
    "p_top5": ("Probability of the top five (%)", "Kans op de top vijf (%)"), "test": ("Test", "Toets"),
    "n_groups": ("Groups", "Groepen"), "p_value": ("p-value", "p-waarde"),
    "p_adjusted": ("p (Holm)", "p (Holm)"), "p_bh": ("q (Benjamini-Hochberg)", "q (Benjamini-Hochberg)"),
    "cramers_v": ("Cramér's V", "Cramérs V"), "cramers_v_corrected": ("Cramér's V, bias-corrected", "Cramérs V, gecorrigeerd"),
    "status": ("Status", "Status"), "note": ("Note", "Opmerking"), "theme": ("Theme", "Thema"),
    "n_differ": ("Differing", "Verschillend"), "share_differ": ("Share differing", "Aandeel verschillend"),
    "expected_share": ("By chance", "Bij toeval"), "mean_permuted": ("Mean of permutations", "Gemiddelde permutaties"),
    "n_permutations": ("Permutations", "Permutaties"), "statistic": ("Pattern", "Patroon"),
    "n_seeds": ("Reconstructions", "Reconstructies"), "mean": ("Mean", "Gemiddelde"), "sd": ("SD", "SD"),
    "min": ("Lowest", "Laagste"), "p05": ("5th percentile", "5e percentiel"), "median": ("Median", "Mediaan"),
    "p95": ("95th percentile", "95e percentiel"), "max": ("Highest", "Hoogste"),
    "shipped": ("Loaded data", "Geladen gegevens"), "share": ("Share", "Aandeel"),
    "n": ("Count", "Aantal"), "first": ("First", "Eerste"), "second": ("Second", "Tweede"), "third": ("Third", "Derde"),
    "probability": ("Probability (%)", "Kans (%)"), "id": ("Claim", "Claim"), "section": ("Section", "Paragraaf"),
    "claim": ("Statement", "Uitspraak"), "verdict": ("Verdict", "Oordeel"), "value": ("Measured", "Gemeten"),
    "threshold": ("Held against", "Getoetst aan"), "supported": ("Supported", "Ondersteund"),
    "not_supported": ("Not supported", "Niet ondersteund"), "insufficient": ("Undecidable", "Onbeslist"),
}


def header(column, lang: str) -> str:
    """The header of a column id in `lang` (the id itself when it has none)."""
    pair = HEADERS.get(column)
    return pair[lang == "nl"] if pair else str(column)


class Html:
    """A piece of HTML for a notebook (shown as HTML in JupyterLab and in a report)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        import re

        return re.sub(r"<[^>]+>", "", self.text)


class Report:
    """One notebook's report: its data, selection, unit, language and disclosure control.

    Parameters
    ----------
    data_dir : path, optional
        The data directory (None: the shipped data).
    region, size_class : str, optional
        Filters (codes of the codebook).
    unit : {"municipality", "interview"}
        The default unit of the tables.
    lang : {"en", "nl"}
    publish : bool
        Disclosure control on: respondent fields blanked, groups below `threshold` merged or
        suppressed (see `commissioning.disclosure`).
    threshold : int
        The smallest group of municipalities and of respondents a published report shows.

    Attributes
    ----------
    study : Study
        The selection (with respondent fields blanked when publishing).
    protection : Protection
        What publishing allows to be shown; `protection.study` is the study the tables count on.
    """

    def __init__(self, data_dir=None, *, region=None, size_class=None, unit: str = "municipality",
                 lang: str = "en", publish: bool = False, threshold: int = 3):
        from .disclosure import for_publication, protection
        from .study import load_study

        self.lang = check_lang(lang)
        self.unit = check_unit(unit)
        self.publish = bool(publish)
        self.threshold = threshold
        self.data_dir = data_dir
        self.loaded = load_study(data_dir)
        study = self.loaded.filter(region=region, size_class=size_class)
        self.study = for_publication(study) if self.publish else study
        self.protection = protection(self.study, publish=self.publish, threshold=threshold)

    # --- texts ---------------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        """A text of the report's chrome in its language."""
        text = TEXT[self.lang][key]
        return text.format(**values) if values else text

    @property
    def reconstructed(self) -> bool:
        """Whether any value behind the report is reconstructed (imputed or derived)."""
        return bool(self.study.codings["basis"].isin(["imputed", "derived"]).any())

    def imputed(self, variables=None) -> float:
        """Share of imputed values among the values (one per unit and variable, at each variable's
        natural unit) of `variables` (default: all)."""
        values = unit_values(self.study, variables, unit="natural")
        return float((values["basis"] == "imputed").mean()) if len(values) else 0.0

    def imputed_note(self, variables=None, *, what: str = "table") -> str:
        """The line stating the share of imputed values behind a table or figure ('' when none is)."""
        share = self.imputed(variables)
        if not share:
            return ""
        from .rules import percent_half_up

        return self.t("imputed_figure" if what == "figure" else "imputed_table",
                      share=percent_half_up(round(share * 10000), 10000))

    def notice(self):
        """Show, first on the page, that the data is a reconstruction (nothing on observed data).

        The notice is a display output marked for the renderer, which puts it at the top of the
        report (`commissioning.render`).
        """
        if not self.reconstructed:
            return None
        from IPython.display import HTML, display

        from .rules import percent_half_up

        share = percent_half_up(round(self.imputed() * 10000), 10000)
        display(HTML(self.t("notice", share=share)), metadata={"commissioning": {"notice": True}})
        return None

    def parameters(self) -> Html:
        """What the report ran on, in one line: data (a folder's name, never a path), selection,
        unit and whether it is published."""
        data = self.t("shipped") if self.data_dir is None else self.t("folder", name=repr(Path(self.data_dir).name))
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

    def protection_note(self) -> str:
        """One sentence on what publishing did (or that the report is not published)."""
        return self.protection.note(self.lang) if self.publish else self.t("not_published")

    # --- tables ----------------------------------------------------------------------------------
    def frame(self, df):
        """`df` with its column and index names as headers in the report's language."""
        out = df.rename(columns=lambda c: header(c, self.lang))
        if out.index.names and any(n is not None for n in out.index.names):
            out.index = out.index.set_names([header(n, self.lang) if n is not None else None
                                             for n in out.index.names])
        return out

    def counts(self, variables, *, by=None, unit: str | None = None, codes=None, label: str = "both",
               notes: bool = True) -> CountTable:
        """Counts of codes by group as the report shows them (see `present.count_table`), with the
        share of imputed values and, by group, what publishing did as notes."""
        unit = check_unit(unit or self.unit)
        table = count_table(self.study, variables, by=by, unit=unit, codes=codes, lang=self.lang,
                            protection=self.protection, label=label)
        if notes:
            table.notes = [n for n in (self.imputed_note(variables),
                                       self.protection_note() if (by is not None and self.publish) else "") if n]
        return table


__all__ = ["ALL", "HEADERS", "Html", "Report", "TEXT", "header"]
