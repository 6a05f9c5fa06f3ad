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

from ..analysis import TEST_NAMES

TEXT = {
    "en": {
        "notice": ("<p><strong>Reconstructed data.</strong> This report runs on the reconstruction of seed {seed} "
                   "of the study's interview codings, not on the interviews themselves: the study never published "
                   "them. Of the {n} values behind it (one per unit and variable), {share} are imputed, drawn at "
                   "random within what the study publishes. Read its figures as one possible dataset, not as "
                   'findings of the study; see <a href="../index.html#about-the-data">About the data</a>.</p>'),
        "notice_edited": ("<p><strong>An edited reconstruction.</strong> This report runs on a reconstruction of the "
                          "study's interview codings that was edited after it was drawn: of the {n} values behind it "
                          "(one per unit and variable), {edited} ({edited_share}) differ from what the reconstruction "
                          "of seed {seed} wrote, and {share} are imputed, drawn at random within what the study "
                          "publishes. The edited values are neither the study's nor drawn within it, and no statement "
                          "that reads them holds by construction. Read its figures as one possible dataset, not as "
                          'findings of the study; see <a href="../index.html#about-the-data">About the data</a>.</p>'),
        "unpublished_notice": ("<p><strong>Not for publication.</strong> This report was made without disclosure "
                               "control: it shows groups of fewer than {t} municipalities or respondents, from which "
                               "single respondents can be recognised. Publish only reports made with "
                               "<code>--publish</code>.</p>"),
        "imputed_table": "Share of imputed values behind this table: {share}%.",
        "imputed_figure": "Share of imputed values behind this figure: {share}%.",
        "shipped": "the shipped data",
        "folder": "the folder {name}",
        "nature": {"reconstruction": "reconstructed", "edited": "an edited reconstruction", "coded": "observed codings"},
        "parameters": "Data: {data}. Selection: {selection}. Unit of analysis: {unit}. Published: {publish}.",
        "whole": "the whole sample",
        "yes": "yes",
        "no": "no",
        "units": {"municipality": "municipality", "interview": "interview"},
        "selection": "{n_m} municipalities, {n_i} interviews",
        "not_published": "Not published: every group is shown, however small.",
        "note_region": ("Published with disclosure control: a region with fewer than {t} municipalities or respondents "
                        "is suppressed together with the smallest other region, and cells from which a smaller group "
                        "could be worked out are suppressed (–)."),
        "units_line": "Municipalities: {n_m}, interviews: {n_i}; counted per {unit} ({n_u} {units}).",
        "unit_one": {"municipality": "municipality", "interview": "respondent"},
        "unit_many": {"municipality": "municipalities", "interview": "respondents"},
        "share_external": "Share mixed or outsourced",
        "test_names": TEST_NAMES["en"],
        "status": {"tested": "tested", "insufficient data": "insufficient data", "withheld": "withheld",
                   "not needed": "not tested"},
        "note_withheld": "not published: the counts of a group are suppressed for this variable",
        "size_withheld": ("The study states (section 2.1) that large and small municipalities in general hardly "
                          "differ in what they outsource. This published report cannot compare them: no activity "
                          "has every size group of this selection shown."),
        "per_municipality": ("Counted per municipality: these are facts about a municipality, and a published report "
                             "does not count them per interview."),
        "fragmentation_withheld": "not published: fewer than {t} municipalities with several respondents",
        "note_fisher": "two-sided; the statistic is the odds ratio",
        "note_exact": "exact: every permutation counted",
        "note_monte_carlo": "Monte Carlo: {b} resamples",
        "note_same": "every one of the {units} has the same answer: there is nothing to test",
        "note_groups": "fewer than 2 groups with data ({g}); nothing to compare",
        "note_units": "fewer than {m} {units} ({n}); too few for a test",
        "measured": "Measured", "held_against": "held against",
        "modality": {"hedged": "the study hedges this statement ('seems')", "opinion": "an opinion of the respondents",
                     "stated": ""},
        "withheld": "Value and evidence withheld in this published report: {reason}",
        "small_group": "the statement rests on fewer than {t} municipalities or respondents, or on counts the "
                       "published tables do not show",
        "verdict_withheld": "not published",
        "trend_withheld": ("the statement compares every size class on its own, and publishing merges a size class "
                           "too small to show"),
        "unshown_withheld": "the statement is about a group that the published tables do not show",
        "within_withheld": ("the evidence describes respondents of single municipalities; the verdict rests on at "
                            "least {t} of them"),
        "coded_group": ("the statement compares groups defined by another variable's codes, which the published "
                        "tables do not show"),
        "per_unit": "measured per {unit}",
    },
    "nl": {
        "notice": ("<p><strong>Gereconstrueerde gegevens.</strong> Dit rapport is gebaseerd op een reconstructie "
                   "(trekking {seed}) van hoe de interviews van het onderzoek zijn gecodeerd. Die codering zelf is "
                   "nooit gepubliceerd. Van de {n} waarden in dit rapport (één per gemeente of respondent en per "
                   "vraag) is {share} geïmputeerd: willekeurig getrokken binnen wat het onderzoek publiceert. Lees "
                   "de cijfers dus als één mogelijke uitkomst, niet als bevindingen van het onderzoek. Zie "
                   '<a href="../index.html#about-the-data">Over de gegevens</a>.</p>'),
        "notice_edited": ("<p><strong>Een bewerkte reconstructie.</strong> Dit rapport is gebaseerd op een "
                          "reconstructie van hoe de interviews van het onderzoek zijn gecodeerd, die na het trekken "
                          "is bewerkt. Van de {n} waarden in dit rapport (één per gemeente of respondent en per vraag) "
                          "wijken er {edited} ({edited_share}) af van trekking {seed}, en is {share} geïmputeerd: "
                          "willekeurig getrokken binnen wat het onderzoek publiceert. De bewerkte waarden komen niet "
                          "uit het onderzoek. Geen uitspraak die ze gebruikt, klopt daarom vanzelf. Lees de cijfers "
                          "als één mogelijke uitkomst, niet als bevindingen van het onderzoek. Zie "
                          '<a href="../index.html#about-the-data">Over de gegevens</a>.</p>'),
        "unpublished_notice": ("<p><strong>Niet voor publicatie.</strong> Dit rapport is gemaakt zonder "
                               "statistische geheimhouding: het toont groepen van minder dan {t} gemeenten of "
                               "respondenten, waarin afzonderlijke respondenten herkenbaar zijn. Publiceer alleen "
                               "rapporten die met <code>--publish</code> zijn gemaakt.</p>"),
        "imputed_table": "Aandeel geïmputeerde waarden in deze tabel: {share}%.",
        "imputed_figure": "Aandeel geïmputeerde waarden in deze figuur: {share}%.",
        "shipped": "de meegeleverde gegevens",
        "folder": "de map {name}",
        "nature": {"reconstruction": "gereconstrueerd", "edited": "een bewerkte reconstructie",
                   "coded": "waargenomen coderingen"},
        "parameters": "Gegevens: {data}. Selectie: {selection}. Analyse-eenheid: {unit}. Gepubliceerd: {publish}.",
        "whole": "de hele steekproef",
        "yes": "ja",
        "no": "nee",
        "units": {"municipality": "gemeente", "interview": "interview"},
        "selection": "{n_m} gemeenten, {n_i} interviews",
        "not_published": "Niet gepubliceerd: elke groep wordt getoond, hoe klein ook.",
        "note_region": ("Gepubliceerd met statistische geheimhouding: een regio met minder dan {t} gemeenten of "
                        "respondenten is weggelaten, samen met de kleinste andere regio. Ook cellen waaruit een "
                        "kleinere groep is af te leiden, zijn weggelaten (–)."),
        "units_line": "Gemeenten: {n_m}, interviews: {n_i}; geteld per {unit} ({n_u} {units}).",
        "unit_one": {"municipality": "gemeente", "interview": "respondent"},
        "unit_many": {"municipality": "gemeenten", "interview": "respondenten"},
        "share_external": "Aandeel deels of geheel uitbesteed",
        "test_names": TEST_NAMES["nl"],
        "status": {"tested": "getoetst", "insufficient data": "te weinig gegevens", "withheld": "niet gepubliceerd",
                   "not needed": "niet getoetst"},
        "note_withheld": "niet gepubliceerd: voor deze vraag zijn de aantallen van een groep weggelaten",
        "size_withheld": ("Het onderzoek stelt (paragraaf 2.1) dat grote en kleine gemeenten over het algemeen "
                          "nauwelijks verschillen in wat ze uitbesteden. Dit gepubliceerde rapport kan ze niet "
                          "vergelijken: bij geen enkele activiteit worden alle grootteklassen van deze selectie "
                          "getoond."),
        "per_municipality": ("Per gemeente geteld: dit zijn feiten over een gemeente. Een gepubliceerd rapport telt "
                             "ze niet per interview."),
        "fragmentation_withheld": "niet gepubliceerd: minder dan {t} gemeenten met meer respondenten",
        "note_fisher": "tweezijdig; de maat is de oddsverhouding",
        "note_exact": "exact: alle permutaties geteld",
        "note_monte_carlo": "benaderd: {b} permutaties",
        "note_same": "alle {units} geven hetzelfde antwoord: er valt niets te toetsen",
        "note_groups": "minder dan 2 groepen met gegevens ({g}); niets te vergelijken",
        "note_units": "minder dan {m} {units} ({n}); te weinig voor een toets",
        "measured": "Gemeten", "held_against": "getoetst aan",
        "modality": {"hedged": "het onderzoek zwakt deze uitspraak af ('lijkt')", "opinion": "een mening van de respondenten",
                     "stated": ""},
        "withheld": "Waarde en onderbouwing zijn in dit gepubliceerde rapport weggelaten: {reason}",
        "small_group": "de uitspraak rust op minder dan {t} gemeenten of respondenten, of op aantallen die de "
                       "gepubliceerde tabellen niet tonen",
        "verdict_withheld": "niet gepubliceerd",
        "trend_withheld": ("de uitspraak vergelijkt elke grootteklasse afzonderlijk, en bij publicatie is een te "
                           "kleine grootteklasse samengevoegd"),
        "unshown_withheld": "de uitspraak gaat over een groep die de gepubliceerde tabellen niet tonen",
        "within_withheld": ("de onderbouwing beschrijft respondenten van afzonderlijke gemeenten; het oordeel rust op "
                            "minstens {t} gemeenten"),
        "coded_group": ("de uitspraak vergelijkt groepen die door de codes van een andere variabele worden bepaald, "
                        "die de gepubliceerde tabellen niet tonen"),
        "per_unit": "gemeten per {unit}",
    },
}


# Column headers of the tables notebooks show, per language (ids are the library's column names).
HEADERS = {
    "size_class": ("Size class", "Grootteklasse"), "region": ("Region", "Regio"),
    "municipality": ("Municipality", "Gemeente"), "official_name": ("Official name (CBS)", "Officiële naam (CBS)"),
    "population": ("Population, 1 January 2016", "Inwoners, 1 januari 2016"),
    "n_interviews": ("Interviews", "Interviews"), "n_municipalities": ("Municipalities", "Gemeenten"),
    "variable": ("Variable", "Variabele"), "label": ("Label", "Omschrijving"), "type": ("Type", "Type"),
    "level": ("Level", "Meetniveau"), "n_units": ("Units", "Aantal"), "n_coders": ("Coders", "Codeurs"),
    "alpha": ("Krippendorff's alpha", "Krippendorffs alfa"),
    "percent_agreement": ("Share of pairs that agree", "Aandeel paren dat overeenkomt"),
    "kappa": ("Cohen's kappa", "Cohens kappa"), "number": ("Number", "Nummer"), "aspect": ("Aspect", "Aspect"),
    "sub_aspect": ("Letter", "Letter"), "sub_aspect_label": ("Sub-aspect", "Subaspect"),
    "n_mentions": ("Mentions", "Vermeldingen"), "share_printed": ("Share (%)", "Aandeel (%)"),
    "n_total": ("Total", "Totaal"), "ci_low": ("Interval from (%)", "Interval vanaf (%)"),
    "ci_high": ("Interval to (%)", "Interval tot (%)"), "rank": ("Rank", "Rang"),
    "p_top5": ("Probability of the top five (%)", "Kans op de top vijf (%)"), "test": ("Test", "Toets"),
    "statistic_name": ("Pattern", "Patroon"),
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
    "probability": ("Probability (%)", "Kans (%)"), "id": ("Claim", "Code"), "section": ("Section", "Paragraaf"),
    "claim": ("Statement", "Uitspraak"), "verdict": ("Verdict", "Oordeel"), "value": ("Measured", "Gemeten"),
    "threshold": ("Held against", "Getoetst aan"), "supported": ("Supported", "Ondersteund"),
    "not_supported": ("Not supported", "Niet ondersteund"), "insufficient": ("Undecidable", "Niet te beslissen"),
    "n_with_code": ("With the code", "Met de code"), "group": ("Group", "Groep"),
    "first_k": ("First group: with the code", "Eerste groep: met de code"),
    "first_n": ("First group: units", "Eerste groep: aantal"),
    "second_k": ("Second group: with the code", "Tweede groep: met de code"),
    "second_n": ("Second group: units", "Tweede groep: aantal"), "difference": ("Difference", "Verschil"),
    "role": ("Role", "Rol"), "code": ("Code", "Code"), "printed": ("Printed (%)", "Gedrukt (%)"),
    "respondents": ("Respondents", "Respondenten"), "share_differing": ("Share differing", "Aandeel verschillend"),
    "mean_share_differing": ("Mean share differing", "Gemiddeld aandeel verschillend"),
    "n_respondents": ("Respondents", "Respondenten"),
    "part": ("Part", "Deel"),
    # a QCA (R's QCA package's column names)
    "condition": ("Condition", "Voorwaarde"), "row": ("Row", "Rij"), "OUT": ("Outcome", "Uitkomst"), "incl": ("Consistency", "Consistentie"),
    "PRI": ("PRI", "PRI"), "cases": ("Municipalities", "Gemeenten"), "term": ("Term", "Term"),
    "inclS": ("Consistency", "Consistentie"), "covS": ("Coverage", "Dekking"),
    "covU": ("Unique coverage", "Unieke dekking"), "inclN": ("Consistency of necessity", "Consistentie van noodzaak"),
    "RoN": ("Relevance of necessity", "Relevantie van noodzaak"), "covN": ("Coverage", "Dekking"),
    "draws": ("Reconstructions with the term", "Reconstructies met de term"),
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
                 "insufficient data": "background:#ececec;color:#333", "not applicable": "background:#ececec;color:#333"}


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
    ('Units', 'Aantal', 'unknown')
    """
    pair = HEADERS.get(column)
    return pair[lang == "nl"] if pair else str(column)

