"""The texts of a report per language: its chrome, the column headers, the chapter titles.

Everything a `Report` writes that is not computed comes from these tables, so that a Dutch report
holds no English words: `TEXT` (the notice, the parameters line, the notes of the tests and of the
claims), `HEADERS` (the column ids of the library's tables, as headers), `CHAPTERS` (the chapters
of the claims) and `VERDICT_STYLE` (a verdict's colours).

Examples
--------
>>> TEXT["nl"]["yes"], header("size_class", "nl"), CHAPTERS["maturity"][0]
('ja', 'Grootteklasse', 'Aspects of the maturity model (4.2)')
"""

from __future__ import annotations

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
    """The header of a column id in `lang` (the id itself when it has none).

    Parameters
    ----------
    column : str
        A column id of the library's tables (``"n_units"``, ``"p_value"``, ...).
    lang : {"en", "nl"}

    Returns
    -------
    str

    Examples
    --------
    >>> header("n_units", "en"), header("n_units", "nl"), header("unknown", "nl")
    ('Units', 'Eenheden', 'unknown')
    """
    pair = HEADERS.get(column)
    return pair[lang == "nl"] if pair else str(column)

