"""What a notebook shows, in one language, with disclosure control when it is published.

A notebook makes one `Report` from its parameters and asks it for everything it shows: the notice
on top, the parameters line, tables of counts by group, notes on imputed values and on what
publishing did. The report knows its language, so the notebook's code is the same in English and
in Dutch, and it knows its disclosure control (`cm.protection`), so a
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

import pandas as pd

from ..core.checks import check_lang
from .tables import ALL, CountTable, count_table
from ..analysis.stats import MIN_UNITS as MIN_TEST_UNITS
from ..core.checks import check_unit
from ..analysis.units import unit_values

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
        "nature": {True: "reconstructed", False: "observed codings"},
        "parameters": "Data: {data}. Selection: {selection}. Unit of analysis: {unit}. Published: {publish}.",
        "whole": "the whole sample",
        "yes": "yes",
        "no": "no",
        "units": {"municipality": "municipality", "interview": "interview"},
        "selection": "{n_m} municipalities, {n_i} interviews",
        "not_published": "Not published: every group is shown, however small.",
        "units_line": "Municipalities: {n_m}, interviews: {n_i}; unit of analysis: {unit} ({n_u} units).",
        "share_external": "Share mixed or outsourced",
        "test_names": {"Fisher exact": "Fisher exact", "permutation chi-square": "permutation chi-square",
                       "none needed": "none needed", "": ""},
        "status": {"tested": "tested", "insufficient data": "insufficient data", "withheld": "withheld"},
        "note_withheld": "not published: the counts of a group are suppressed for this variable",
        "per_municipality": ("Counted per municipality: these are facts about a municipality, and a published report "
                             "does not count them per interview."),
        "fragmentation_withheld": "not published: fewer than {t} municipalities with several respondents",
        "note_fisher": "two-sided; the statistic is the odds ratio",
        "note_exact": "exact: every permutation counted",
        "note_monte_carlo": "Monte Carlo, {b:,} resamples, seed {seed}",
        "note_same": "every unit has the same code",
        "note_groups": "fewer than 2 groups with data ({g}); nothing to compare",
        "note_units": "fewer than {m} units ({n}); too few for a test",
        "measured": "Measured", "held_against": "held against",
        "modality": {"hedged": "the study hedges this statement ('seems')", "opinion": "an opinion of the respondents",
                     "stated": ""},
        "withheld": "Value and evidence withheld in this published report: {reason}",
        "small_group": "the statement rests on fewer than {t} municipalities or respondents",
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
        "nature": {True: "gereconstrueerd", False: "waargenomen coderingen"},
        "parameters": "Gegevens: {data}. Selectie: {selection}. Analyse-eenheid: {unit}. Gepubliceerd: {publish}.",
        "whole": "de hele steekproef",
        "yes": "ja",
        "no": "nee",
        "units": {"municipality": "gemeente", "interview": "interview"},
        "selection": "{n_m} gemeenten, {n_i} interviews",
        "not_published": "Niet gepubliceerd: elke groep wordt getoond, hoe klein ook.",
        "units_line": "Gemeenten: {n_m}, interviews: {n_i}; analyse-eenheid: {unit} ({n_u} eenheden).",
        "share_external": "Aandeel deels of geheel uitbesteed",
        "test_names": {"Fisher exact": "Fishers exacte toets", "permutation chi-square": "permutatietoets chikwadraat",
                       "none needed": "niet nodig", "": ""},
        "status": {"tested": "getoetst", "insufficient data": "onvoldoende gegevens", "withheld": "niet gepubliceerd"},
        "note_withheld": "niet gepubliceerd: de aantallen van een groep zijn voor deze variabele onderdrukt",
        "per_municipality": ("Per gemeente geteld: dit zijn feiten over een gemeente, en een gepubliceerd rapport telt "
                             "ze niet per interview."),
        "fragmentation_withheld": "niet gepubliceerd: minder dan {t} gemeenten met meer respondenten",
        "note_fisher": "tweezijdig; de statistiek is de odds ratio",
        "note_exact": "exact: alle permutaties geteld",
        "note_monte_carlo": "Monte Carlo, {b:,} trekkingen, seed {seed}",
        "note_same": "elke eenheid heeft dezelfde code",
        "note_groups": "minder dan 2 groepen met gegevens ({g}); niets te vergelijken",
        "note_units": "minder dan {m} eenheden ({n}); te weinig voor een toets",
        "measured": "Gemeten", "held_against": "getoetst aan",
        "modality": {"hedged": "het onderzoek zwakt deze uitspraak af ('lijkt')", "opinion": "een mening van de respondenten",
                     "stated": ""},
        "withheld": "Waarde en onderbouwing zijn in dit gepubliceerde rapport weggelaten: {reason}",
        "small_group": "de uitspraak rust op minder dan {t} gemeenten of respondenten",
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
    "n_with_code": ("With the code", "Met de code"), "group": ("Group", "Groep"),
    "first_k": ("First group: with the code", "Eerste groep: met de code"),
    "first_n": ("First group: units", "Eerste groep: eenheden"),
    "second_k": ("Second group: with the code", "Tweede groep: met de code"),
    "second_n": ("Second group: units", "Tweede groep: eenheden"), "difference": ("Difference", "Verschil"),
    "role": ("Role", "Rol"), "code": ("Code", "Code"), "printed": ("Printed (%)", "Gedrukt (%)"),
    "respondents": ("Respondents", "Respondenten"), "share_differing": ("Share differing", "Aandeel verschillend"),
    "mean_share_differing": ("Mean share differing", "Gemiddeld aandeel verschillend"),
    "part": ("Part", "Deel"),
}
CHAPTERS = {
    "conclusions": ("Conclusions (section 5.1)", "Conclusies (paragraaf 5.1)"),
    "segments": ("Segments of the physical domain (2.1)", "Segmenten van het fysieke domein (2.1)"),
    "activities": ("Activities: in-house or outsourced (2.1)", "Activiteiten: zelf of uitbesteed (2.1)"),
    "portfolio": ("Overview of the portfolio (2.1)", "Zicht op de portefeuille (2.1)"),
    "organisation": ("Organisation, steering and networks (3)", "Organisatie, sturing en netwerken (3)"),
    "agenda": ("Commissioning on the agenda (4.1)", "Opdrachtgeverschap op de agenda (4.1)"),
    "maturity": ("Aspects of the maturity model (4.2)", "Aspecten van het Maturity Model (4.2)"),
}
VERDICT_STYLE = {"supported": "background:#dff3e4;color:#0f5323", "not supported": "background:#fde2e1;color:#8a1c14",
                 "insufficient data": "background:#ececec;color:#333"}


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
    from ..data.interviews import BASES

    values = unit_values(study, None, unit="natural")
    counts = values["basis"].value_counts()
    return {"n_municipalities": int(len(study.municipalities)), "n_interviews": int(study.n_interviews),
            "n_coders": int(study.interviews.coder.nunique()) if len(study.interviews) else 0,
            "n_values": int(len(values)), "basis": {b: int(counts.get(b, 0)) for b in BASES}}


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
        suppressed (see `commissioning.disclosure.protection`).
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
        from ..data.publication import for_publication
        from ..disclosure.protection import protection
        from ..data.study import load_study

        self.lang = check_lang(lang)
        self.unit = check_unit(unit)
        self.publish = bool(publish)
        self.threshold = threshold
        self.data_dir = data_dir
        self.loaded = load_study(data_dir)
        study = self.loaded.filter(region=region, size_class=size_class)
        self.protection = protection(study, publish=self.publish, threshold=threshold)
        self.study = for_publication(study) if self.publish else study

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
        from ..core.formats import percent_half_up

        return self.t("imputed_figure" if what == "figure" else "imputed_table",
                      share=percent_half_up(round(share * 10000), 10000))

    def notice(self):
        """Show, first on the page, that the data is a reconstruction (nothing on observed data).

        The notice is a display output marked for the renderer, which puts it at the top of the
        report (`commissioning.run.render`).
        """
        if not self.reconstructed:
            return None
        from IPython.display import HTML, display

        from ..core.formats import percent_half_up

        share = percent_half_up(round(self.imputed() * 10000), 10000)
        display(HTML(self.t("notice", share=share)), metadata={"commissioning": {"notice": True}})
        return None

    def parameters(self) -> Html:
        """What the report ran on, in one line: data (a folder's name, never a path), selection,
        unit and whether it is published."""
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
        """'Municipalities: 18, interviews: 24; unit of analysis: municipality (18 units).'"""
        unit = check_unit(unit or self.unit)
        n_m, n_i = len(self.study.municipalities), self.study.n_interviews
        return self.t("units_line", n_m=n_m, n_i=n_i, unit=self.t("units")[unit],
                      n_u=n_m if unit == "municipality" else n_i)

    def protection_note(self) -> str:
        """One sentence on what publishing did (or that the report is not published)."""
        return self.protection.note(self.lang) if self.publish else self.t("not_published")

    # --- tests ---------------------------------------------------------------------------------------
    def association_tests(self, variables, *, by: str = "size_class", n_resamples: int = 9999, seed: int = 2018):
        """Tests of association of each variable with `by` on the groups the report shows, p-values
        corrected across the variables (Holm, and Benjamini-Hochberg as `p_bh`).

        Returns
        -------
        DataFrame: the columns of `cm.association_tests` and `p_bh`.
        """
        from ..analysis.stats import adjust_pvalues, association_tests

        tests = association_tests(self.protection.study, variables, by=by, unit=self.unit, method="holm",
                                  n_resamples=n_resamples, seed=seed, lang=self.lang)
        if self.publish:  # a statistic over a suppressed block would undo the suppression
            hidden = [v not in self.fully_shown(tests["variable"], by=by) for v in tests["variable"]]
            if any(hidden):
                hidden = pd.Series(hidden, index=tests.index)
                for col in ("statistic", "p_value", "p_adjusted", "cramers_v", "cramers_v_corrected"):
                    if col in tests.columns:
                        tests.loc[hidden, col] = float("nan")
                tests.loc[hidden, "status"] = "withheld"
                tests.loc[~hidden, "p_adjusted"] = adjust_pvalues(tests.loc[~hidden, "p_value"].to_numpy(),
                                                                  method="holm")
        tests["p_bh"] = adjust_pvalues(tests["p_value"].to_numpy(), method="bh")
        return tests

    def fully_shown(self, variables, *, by: str = "size_class", unit: str | None = None) -> list:
        """The variables (of `variables`, in order) whose every group by `by` is shown at the unit:
        in a published report only these may enter a statistic over the groups.

        Returns
        -------
        list of str
        """
        unit = unit or self.unit
        if not self.publish:
            return list(variables)
        groups = [code for code, _, _ in self.protection.groups(by)]
        return [v for v in variables if all(self.protection.shown(v, by, g, unit) for g in groups)
                and self.protection.shown(v, None, ALL, unit)]

    def test_table(self, tests, *, seed: int = 2018):
        """The tests as the report shows them: labels, the test, units and groups, p-values, the
        bias-corrected Cramér's V, and a note, in the report's language."""
        t = TEXT[self.lang]

        def note(row):
            if row.status == "withheld":
                return t["note_withheld"]
            if row.status != "tested":
                if row.n_groups < 2:
                    return t["note_groups"].format(g=row.n_groups)
                return t["note_units"].format(m=MIN_TEST_UNITS, n=row.n_units)
            if row.test == "Fisher exact":
                return t["note_fisher"]
            if row.test == "none needed":
                return t["note_same"]
            text = t["note_exact"] if row.exact else t["note_monte_carlo"].format(b=row.n_resamples, seed=seed)
            return text.replace(",", ".") if self.lang == "nl" and not row.exact else text

        out = tests.assign(test=tests["test"].map(t["test_names"]), status=tests["status"].map(t["status"]),
                           note=[note(r) for r in tests.itertuples()])
        cols = ["label", "test", "n_units", "n_groups", "p_value", "p_adjusted", "p_bh", "cramers_v_corrected",
                "status", "note"]
        return self.frame(out[cols].set_index("label").round(3).rename_axis(None))

    def size_summary(self, tests) -> str:
        """The computed paragraph on the study's statement that size hardly matters (section 2.1)."""
        from ..analysis.stats import size_difference_summary

        shown = self.fully_shown(tests["variable"], by="size_class")
        return size_difference_summary(self.study, unit=self.unit, method="holm", lang=self.lang,
                                       tests=tests[tests["variable"].isin(shown)], variables=shown)

    # --- fragmentation and maturity -----------------------------------------------------------------
    def fragmentation(self, *, n_permutations: int = 2000, seed: int = 2018):
        """`cm.fragmentation` of the selection with the p-values corrected across the variables
        (Holm) as `p_adjusted`."""
        from ..analysis.organisation import fragmentation
        from ..analysis.stats import adjust_pvalues

        frag = fragmentation(self.study, n_permutations=n_permutations, seed=seed, lang=self.lang)
        if len(frag) and self.publish:  # how often the respondents of a few municipalities differ is theirs
            few = frag["n_municipalities"] < self.threshold
            for col in ("n_differ", "share_differ", "expected_share", "p_value"):
                if col in frag.columns:
                    frag.loc[few, col] = float("nan")
        if len(frag):
            frag["p_adjusted"] = adjust_pvalues(frag["p_value"].to_numpy(), method="holm")
        return frag

    def agreement(self):
        """`cm.agreement_table` of the selection; in a published report the agreement over fewer
        interviews than the threshold is left out (NaN).

        Returns
        -------
        DataFrame
        """
        from ..analysis.agreement import agreement_table

        table = agreement_table(self.study)
        if len(table) and self.publish:
            few = table["n_units"] < self.threshold
            for col in ("alpha", "percent_agreement", "kappa"):
                table.loc[few, col] = float("nan")
        return table

    def mentions(self, *, by=None) -> CountTable:
        """Mentions of the maturity aspects, overall or by group (see `present.mention_table`)."""
        from .tables import mention_table

        table = mention_table(self.study, by=by, lang=self.lang, protection=self.protection)
        table.notes = [n for n in (self.imputed_note("maturity.top3"),
                                   self.protection_note() if (by not in (None, "rank") and self.publish) else "") if n]
        return table

    def bootstrap(self, *, n_resamples: int = 2000, seed: int = 2018):
        """`cm.bootstrap_top3` of the selection, or None when it has too few respondents."""
        from ..analysis.maturity import BOOTSTRAP_MIN_RESPONDENTS, bootstrap_top3

        if self.study.n_interviews < BOOTSTRAP_MIN_RESPONDENTS:
            return None
        return bootstrap_top3(self.study, n_resamples=n_resamples, seed=seed, lang=self.lang)

    def bootstrap_table(self, boot):
        """The bootstrap's shares as a table: mentions, printed share, interval and the
        probability of the top five, in percent."""
        table = boot.shares.set_index("label")[["n_mentions", "share_printed", "ci_low", "ci_high", "rank", "p_top5"]]
        for col in ("ci_low", "ci_high", "p_top5"):
            table[col] = (100 * table[col]).round(1)
        return table.rename_axis(None)

    def robustness(self, n_seeds: int = 30):
        """The reconstruction drawn for seeds 1..n_seeds and what moves between the draws (see
        `commissioning.reconstruct.robustness`); on data that is not a reconstruction, nothing is drawn."""
        return Drawn(self, n_seeds)

    # --- the claims ----------------------------------------------------------------------------
    def claims(self):
        """Every claim's verdict on the selection, in the report's language (`cm.claims_table`)."""
        from ..analysis.claims import claims_table

        return claims_table(self.study, lang=self.lang)

    def _evidence(self, part, *, publish: bool):
        """(evidence as shown, whether it rests on a group below the threshold)."""
        import pandas as pd

        ev = part.evidence.copy()
        if not len(ev):
            return ev, False
        if "municipality" in ev.columns:
            ev = ev.drop(columns=[c for c in ("municipality",) if c in ev.columns])
            if publish:
                return ev.iloc[:0], True
        cb = self.study.codebook
        if "variable" in ev.columns:
            ev["variable"] = [cb.label(v, self.lang) if v in cb.variables else v for v in ev["variable"]]
        if "aspect" in ev.columns:
            var = cb.variables["maturity.top3"]
            ev["aspect"] = [var.code_label(a, self.lang) if a in var.codes else a for a in ev["aspect"]]
        if "size_class" in ev.columns:
            size_map = getattr(self.protection, "size_map", None) if publish else None
            groups = {g: (en, nl) for g, en, nl in self.protection.groups("size_class")} if publish else {}
            attr = cb.attributes["size_class"]

            def label(code):
                if code in ("all", None) or code != code:
                    return {"en": "All", "nl": "Alle"}[self.lang]
                if code in groups:
                    return groups[code][self.lang == "nl"]
                return attr.codes[code][self.lang] if code in attr.codes else str(code)

            if size_map:
                ev["size_class"] = [size_map.get(c, c) if c == c else c for c in ev["size_class"]]
                keys = [c for c in ev.columns if c not in ("n_with_code", "n_units", "share")
                        and not pd.api.types.is_numeric_dtype(ev[c])]
                numeric = [c for c in ("n_with_code", "n_units") if c in ev.columns]
                if numeric:
                    ev = ev.groupby(keys, sort=False, dropna=False)[numeric].sum().reset_index()
                    if {"n_with_code", "n_units"} <= set(ev.columns):
                        ev["share"] = ev.n_with_code / ev.n_units.where(ev.n_units > 0)
                elif "code" not in ev.columns:  # a crosstab by size class (a trend): sum its count columns
                    ev = ev.groupby("size_class", sort=False).sum(numeric_only=True).reset_index()
            ev["size_class"] = [label(c) for c in ev["size_class"]]
        small = publish and self._suppressed_in(part.evidence)
        for col in ("n_units", "n_municipalities", "first_n", "second_n", "n_values", "respondents"):
            if col in ev.columns:
                small |= any(0 < int(v) < self.threshold for v in ev[col] if v == v)
        for col in ev.columns:
            if col in ("share", "share_differing", "mean_share_differing", "difference"):
                ev[col] = [("" if x != x else f"{100 * x:.0f}%") for x in pd.to_numeric(ev[col], errors="coerce")]
        return self.frame(ev), small

    def _suppressed_in(self, evidence) -> bool:
        """Whether evidence by group shows a block the disclosure control suppresses."""
        if "variable" not in evidence.columns:
            return False
        for by in ("size_class", "region"):
            if by not in evidence.columns:
                continue
            for v, g in zip(evidence["variable"], evidence[by]):
                if v not in self.study.codebook.variables or g != g or g in (None, ALL):
                    continue
                group = self.protection.size_map.get(g, g) if by == "size_class" else g
                if not self.protection.shown(v, by, group, "natural"):
                    return True
        return False

    def claims_html(self) -> Html:
        """Every claim, grouped by chapter: its full paraphrase, its verdict in words and colour, the
        measured value and what it was held against, and the evidence below it (an HTML
        `<details>`, which opens without script). In a published report a claim about a group
        below the threshold keeps its verdict and withholds its value and evidence, saying why."""
        from ..analysis.claims import VERDICT_TEXT, evaluate, load_claims, suite_file

        t = TEXT[self.lang]
        claims = load_claims(suite_file(self.study, "claims.yaml"), codebook=self.study.codebook)
        out, chapter = [], None
        for c in claims:
            if c["chapter"] != chapter:
                chapter = c["chapter"]
                title = CHAPTERS.get(chapter, (chapter, chapter))[self.lang == "nl"]
                out.append(f"<h3>{html.escape(title)}</h3>")
            v = evaluate(self.study, c, lang=self.lang)
            verdict = VERDICT_TEXT[self.lang][v.verdict]
            style = VERDICT_STYLE[v.verdict]
            withheld = None
            evidence = [self._evidence(p, publish=self.publish) for p in v.parts]
            if self.publish:
                reason = self.protection.withheld(c)
                if reason:
                    withheld = reason[self.lang] if isinstance(reason, dict) else str(reason)
                elif any(small for _, small in evidence):
                    withheld = t["small_group"].format(t=self.threshold)
            modality = t["modality"].get(c.get("modality", "stated"), "")
            head = (f'<summary><span class="cm-verdict" style="{style};padding:0 0.4em;border-radius:3px">'
                    f"{html.escape(verdict)}</span> <span class=\"cm-claim-text\">{html.escape(c[self.lang])}</span> "
                    f'<small class="meta">({html.escape(c["id"])}, {html.escape(str(c["section"]))}'
                    f'{"; " + html.escape(modality) if modality else ""})</small></summary>')
            if withheld:
                body = f'<p class="cm-withheld">{html.escape(t["withheld"].format(reason=withheld))}</p>'
            else:
                body = "".join(
                    f"<p>{html.escape(t['measured'])}: {html.escape(p.value)}; {html.escape(t['held_against'])}: "
                    f"{html.escape(p.threshold)}.</p>"
                    + (ev.to_html(index=False, border=0, escape=True) if len(ev) else "")
                    for p, (ev, _) in zip(v.parts, evidence))
            out.append(f'<details class="cm-claim-block cm-claim">{head}{body}</details>')
        return Html("\n".join(out))

    # --- tables ----------------------------------------------------------------------------------
    def frame(self, df):
        """`df` with its column and index names as headers in the report's language (and, in Dutch,
        decimal commas)."""
        out = df.rename(columns=lambda c: header(c, self.lang))
        if self.lang == "nl":
            for col in out.columns:
                if out[col].dtype.kind == "f":
                    out[col] = [("" if x != x else f"{x:g}".replace(".", ",")) for x in out[col]]
        if out.index.names and any(n is not None for n in out.index.names):
            out.index = out.index.set_names([header(n, self.lang) if n is not None else None
                                             for n in out.index.names])
        return out

    def counts(self, variables, *, by=None, unit: str | None = None, codes=None, label: str = "both",
               notes: bool = True) -> CountTable:
        """Counts of codes by group as the report shows them (see `present.count_table`), with the
        share of imputed values and, by group, what publishing did as notes."""
        unit = check_unit(unit or self.unit)
        names = [variables] if isinstance(variables, str) else list(variables)
        per_municipality = ""
        if self.publish and unit == "interview" and not any(self.study.codebook.variables[v].per_interview
                                                             for v in names):
            # counted per interview, a municipality's value is weighted by its (public) number of
            # interviews, which gives a municipality with several interviews away
            unit, per_municipality = "municipality", self.t("per_municipality")
        table = count_table(self.study, variables, by=by, unit=unit, codes=codes, lang=self.lang,
                            protection=self.protection, label=label)
        if notes:
            table.notes = [n for n in (self.imputed_note(variables), per_municipality,
                                       self.protection_note() if (by is not None and self.publish) else "") if n]
        return table


class Drawn:
    """The robustness runs of a report (see `Report.robustness`)."""

    TEXT = {
        "en": {"drawn": "{n} reconstructions drawn; {c} claims and {p} patterns the study does not state measured on "
                        "each.",
               "none": "This data holds no imputed values: it is not a reconstruction, so there are no draws to compare.",
               "held": "Claims supported on every draw: {a} of {n}\nClaims not supported on some draw: {b}\n"
                       "Claims that cannot be decided on this sample: {c}",
               "families": {"size_difference": "Larger minus smaller municipalities, share (partly) outsourced, in points",
                            "region_difference": "Largest difference between two regions, in points",
                            "association_p": "p-value of the association with size class",
                            "fragmentation_p": "p-value of respondents of one municipality agreeing more than chance",
                            "maturity_rank": "Rank of each maturity aspect"}},
        "nl": {"drawn": "{n} reconstructies getrokken; op elk daarvan zijn {c} uitspraken en {p} patronen gemeten die "
                        "het onderzoek niet noemt.",
               "none": "Deze gegevens bevatten geen geïmputeerde waarden: het is geen reconstructie, dus er zijn geen "
                       "trekkingen om te vergelijken.",
               "held": "Uitspraken ondersteund op elke trekking: {a} van {n}\nUitspraken niet ondersteund op een "
                       "trekking: {b}\nUitspraken die op deze steekproef niet te beslissen zijn: {c}",
               "families": {"size_difference": "Grotere min kleinere gemeenten, aandeel (deels) uitbesteed, in punten",
                            "region_difference": "Grootste verschil tussen twee regio's, in punten",
                            "association_p": "p-waarde van de samenhang met de grootteklasse",
                            "fragmentation_p": "p-waarde van respondenten van één gemeente die vaker overeenstemmen dan toeval",
                            "maturity_rank": "Rang van elk aspect van het Maturity Model"}},
    }

    def __init__(self, report: Report, n_seeds: int):
        from ..reconstruct import robustness

        self.report = report
        self.lang = report.lang
        self.applies = robustness.applies(report.loaded)
        self.families = []
        if self.applies:
            filters = report.study.filters
            self.verdicts, self.patterns = robustness.run_seeds(n_seeds, data_dir=report.data_dir, template=report.loaded,
                                                                region=filters.get("region"),
                                                                size_class=filters.get("size_class"))
            self.shipped = robustness.unstated_patterns(report.study)
            self.families = [f for f in robustness.FAMILIES if f in set(self.patterns.family)]

    def _t(self, key):
        return self.TEXT[self.lang][key]

    def _label(self, statistic: str) -> str:
        cb = self.report.study.codebook
        if statistic in cb.variables:
            return cb.label(statistic, self.lang)
        return cb.variables["maturity.top3"].code_label(statistic, self.lang)

    @property
    def summary(self) -> Html:
        if not self.applies:
            return Html(f"<p>{html.escape(self._t('none'))}</p>")
        text = self._t("drawn").format(n=self.verdicts.seed.nunique(), c=self.verdicts.id.nunique(),
                                       p=len(self.patterns[["family", "statistic"]].drop_duplicates()))
        return Html(f"<p>{html.escape(text)}</p>")

    @property
    def held(self) -> str:
        if not self.applies:
            return self._t("none")
        from ..reconstruct.robustness import held_everywhere

        h = held_everywhere(self.verdicts)
        return self._t("held").format(a=int((h.supported == h.n_seeds).sum()), n=len(h),
                                      b=int((h.not_supported > 0).sum()), c=int((h.insufficient == h.n_seeds).sum()))

    def spread(self, family: str):
        from ..reconstruct.robustness import spread_table

        table = spread_table(self.patterns[self.patterns.family == family],
                             self.shipped[self.shipped.family == family])
        table["statistic"] = [self._label(s) for s in table.statistic]
        out = table.drop(columns="family").set_index("statistic").round(2).rename_axis(None)
        out = self.report.frame(out)
        out.columns.name = self._t("families")[family]
        return out

    def figure(self, family: str):
        from ..plots import pattern_spread

        relabel = lambda df: df.assign(statistic=[self._label(s) for s in df.statistic])  # noqa: E731
        return pattern_spread(relabel(self.patterns), relabel(self.shipped), family=family, lang=self.lang,
                              title=self._t("families")[family])


__all__ = ["ALL", "Drawn", "HEADERS", "Html", "Report", "TEXT", "header"]
