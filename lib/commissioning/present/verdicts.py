"""Sentences on tests and verdicts: agreement between coders, the tests of association,
fragmentation within municipalities and the verdicts on the study's statements.

Each function reads a table the report shows and returns a `Sentence` in the report's language
(see the door, `commissioning.present`).

Examples
--------
>>> import commissioning as cm
>>> print(verdict_counts(cm.claims_table(cm.load_study()), lang="nl"))
Van de 67 uitspraken ondersteunen de gegevens er 66. Geen enkele spreken ze tegen. Over 1 kunnen ze niet beslissen.
"""

from __future__ import annotations

from ..rules import INSUFFICIENT, NOT_SUPPORTED, SUPPORTED
from ..analysis import NOT_APPLICABLE
from ..core import check_lang
from .sentence import Sentence


def agreement(table, n_interviews: int, *, lang: str = "en") -> Sentence:
    """Whether interviews were coded twice, and how well coders agree where they were.

    Parameters
    ----------
    table : DataFrame
        `cm.agreement_table(study)`.
    n_interviews : int

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> import pandas as pd
    >>> s = cm.load_study()
    >>> print(agreement(cm.agreement_table(s), s.n_interviews))
    No interview in this selection was coded by more than one coder, so there is no agreement between coders
    to measure.
    >>> table = pd.DataFrame({"variable": ["a", "b"], "n_units": [4, 3], "alpha": [0.8, 0.5]})
    >>> print(agreement(table, 24, lang="nl"))
    Tot 4 van de 24 interviews zijn dubbel gecodeerd; bij 1 van de 2 variabelen met een alfa ligt Krippendorffs
    alfa onder 0,667, de ondergrens die Krippendorff voor voorlopige conclusies noemt.
    """
    check_lang(lang)
    if table is None or not len(table):
        return Sentence(["Geen interview in deze selectie is door meer dan één codeur gecodeerd; er is geen "
                         "overeenstemming tussen codeurs te meten." if lang == "nl" else
                         "No interview in this selection was coded by more than one coder, so there is no "
                         "agreement between coders to measure."], lang)
    twice = int(table.n_units.max()) if "n_units" in table.columns else 0
    alpha = table["alpha"].dropna()
    low = alpha[alpha < 0.667]
    if lang == "nl":
        parts = [f"Tot {twice} van de {n_interviews} interviews zijn dubbel gecodeerd; ",
                 f"bij {len(low)} van de {len(alpha)} variabelen met een alfa ligt Krippendorffs alfa onder 0,667, "
                 "de ondergrens die Krippendorff voor voorlopige conclusies noemt."]
    else:
        parts = [f"Up to {twice} of the {n_interviews} interviews were coded twice; ",
                 f"for {len(low)} of the {len(alpha)} variables with an alpha, Krippendorff's alpha is below 0.667, "
                 "the lowest value Krippendorff accepts for tentative conclusions."]
    return Sentence(parts, lang)


def tests(table, *, lang: str = "en", alpha: float = 0.05) -> Sentence:
    """What the tests of association say, and what they cannot say, from `Report.association_tests`.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> variables = ["organisation.model", "structure.tenderboard"]
    >>> print(tests(cm.Report().association_tests(variables, n_resamples=99)))  # doctest: +ELLIPSIS
    Of the 2 variables tested, 0 differ between the groups at the 5% level after Holm correction. The largest
    bias-corrected Cramér's V is 0.45 (Tenderboard). A test that finds no difference ...
    >>> print(tests(cm.Report(lang="nl").association_tests(variables, n_resamples=99), lang="nl"))  # doctest: +ELLIPSIS
    Van de 2 getoetste vragen verschillen er geen tussen de groepen op het 5%-niveau na Holm-correctie. De
    grootste gecorrigeerde Cramérs V is 0,45 (Tenderboard). Een toets die geen verschil vindt, ...
    """
    check_lang(lang)
    tested = table[table["status"] == "tested"]
    k = int((tested["p_adjusted"] < alpha).sum())
    m = len(tested)
    if not m:
        return Sentence(["Geen enkele vraag kon getoetst worden (te weinig gemeenten, respondenten of groepen)." if lang == "nl"
                         else "No variable could be tested (too few units or groups)."], lang)
    v = tested["cramers_v_corrected"].dropna()
    top = v.idxmax() if len(v) else None
    if lang == "nl":
        parts = [f"Van de {m} getoetste vragen verschillen er {k if k else 'geen'} tussen de groepen op het "
                 f"{alpha:.0%}-niveau na Holm-correctie."]
        if top is not None:
            parts.append(f" De grootste gecorrigeerde Cramérs V is {v.max():.2f} ({tested.loc[top, 'label']}).".replace(
                f"{v.max():.2f}", f"{v.max():.2f}".replace(".", ",")))
        if k < m:
            parts.append(" Een toets die geen verschil vindt, laat niet zien dat de groepen gelijk zijn. Met zo weinig "
                         "waarnemingen blijven ook flinke verschillen onopgemerkt.")
        parts.append(" De gemeenten zijn gekozen, niet getrokken. Een p-waarde zegt hoe ongewoon het patroon zou zijn als "
                     "de antwoorden willekeurig over deze gemeenten verdeeld waren, niet of het voor alle gemeenten geldt.")
    else:
        parts = [f"Of the {m} variables tested, {k} differ between the groups at the {alpha:.0%} level after Holm "
                 "correction."]
        if top is not None:
            parts.append(f" The largest bias-corrected Cramér's V is {v.max():.2f} ({tested.loc[top, 'label']}).")
        if k < m:
            parts.append(" A test that finds no difference does not show that the groups are alike: with this few "
                         "units, sizeable differences go undetected too.")
        parts.append(" The municipalities were chosen, not drawn: a p-value says how unusual the pattern would be if "
                     "the codes were dealt out at random over these municipalities, not whether it holds for all "
                     "municipalities.")
    return Sentence(parts, lang)


def tests_count(table, *, lang: str = "en", alpha: float = 0.05) -> Sentence:
    """The counts of the tests, one per line (for a checked output).

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> variables = ["organisation.model", "structure.tenderboard"]
    >>> print(tests_count(cm.Report().association_tests(variables, n_resamples=99)))
    Tested: 2 of 2
    Different after Holm correction (p < 0.05): 0
    Different after Benjamini-Hochberg (q < 0.05): 0
    >>> print(tests_count(cm.Report(lang="nl").association_tests(variables, n_resamples=99), lang="nl"))
    Getoetst: 2 van 2
    Verschillend na Holm-correctie (p < 0,05): 0
    Verschillend na Benjamini-Hochberg (q < 0,05): 0
    """
    check_lang(lang)
    tested = table[table["status"] == "tested"]
    holm = int((tested["p_adjusted"] < alpha).sum())
    bh = int((tested["p_bh"] < alpha).sum()) if "p_bh" in tested else 0
    if lang == "nl":
        a = str(alpha).replace(".", ",")
        lines = [f"Getoetst: {len(tested)} van {len(table)}", f"Verschillend na Holm-correctie (p < {a}): {holm}",
                 f"Verschillend na Benjamini-Hochberg (q < {a}): {bh}"]
    else:
        lines = [f"Tested: {len(tested)} of {len(table)}", f"Different after Holm correction (p < {alpha}): {holm}",
                 f"Different after Benjamini-Hochberg (q < {alpha}): {bh}"]
    return Sentence(["\n".join(lines)], lang)


def fragmentation(frag, *, lang: str = "en", alpha: float = 0.05) -> Sentence:
    """How often respondents of one municipality differ compared with chance, over the variables
    of `cm.fragmentation` (with `p_adjusted`, Holm across the variables).

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> print(fragmentation(cm.Report().fragmentation(n_permutations=200)))
    For 15 of the 21 variables, respondents of one municipality differ at least as often as chance would make them
    (over 5 municipalities with several interviews); for 0, they agree more than chance after Holm correction
    across the variables (p < 0.05).
    >>> print(fragmentation(cm.Report(lang="nl").fragmentation(n_permutations=200), lang="nl"))
    Bij 15 van de 21 vragen verschillen respondenten van één gemeente minstens zo vaak als bij toeval (over 5
    gemeenten met meerdere interviews); bij geen enkele zijn ze na Holm-correctie over de vragen eensgezinder
    dan toeval (p < 0,05).
    """
    check_lang(lang)
    if frag is None or not len(frag):
        return Sentence(["Geen gemeente in deze selectie heeft meerdere interviews; er is geen versnippering te meten."
                         if lang == "nl" else "No municipality in this selection has several interviews, so there "
                         "is no fragmentation to measure."], lang)
    m = len(frag)
    more = int((frag.share_differ >= frag.expected_share - 1e-12).sum())
    agree = int((frag.p_adjusted < alpha).sum()) if "p_adjusted" in frag else 0
    n = int(frag.n_municipalities.max())
    if lang == "nl":
        agree_text = f"bij {agree}" if agree else "bij geen enkele"
        return Sentence([f"Bij {more} van de {m} vragen verschillen respondenten van één gemeente minstens zo vaak "
                         f"als bij toeval (over {n} gemeenten met meerdere interviews); {agree_text} zijn ze na "
                         f"Holm-correctie over de vragen eensgezinder dan toeval (p < {str(alpha).replace('.', ',')})."],
                        lang)
    return Sentence([f"For {more} of the {m} variables, respondents of one municipality differ at least as often as "
                     f"chance would make them (over {n} municipalities with several interviews); for {agree}, they "
                     f"agree more than chance after Holm correction across the variables (p < {alpha})."], lang)


def verdict_counts(table, *, lang: str = "en") -> Sentence:
    """How many claims the data supports, does not support, or cannot decide (`cm.claims_table`),
    and how many are not applicable (their variables are not in the codebook) or withheld (a
    published report does not show a verdict on a hidden group).

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> print(verdict_counts(cm.claims_table(cm.load_study())))
    Of the 67 statements, the data support 66, do not support 0, and cannot decide 1.
    >>> print(verdict_counts(cm.claims_table(cm.load_study(), lang="nl"), lang="nl"))
    Van de 67 uitspraken ondersteunen de gegevens er 66. Geen enkele spreken ze tegen. Over 1 kunnen ze niet
    beslissen.
    """
    check_lang(lang)
    counts = table.verdict.value_counts()
    s, ns, ins, na, wh = (int(counts.get(v, 0)) for v in (SUPPORTED, NOT_SUPPORTED, INSUFFICIENT, NOT_APPLICABLE,
                                                          "withheld"))
    if lang == "nl":
        against = f"{ns} spreken ze tegen" if ns else "Geen enkele spreken ze tegen"
        undecided = f" Over {ins} kunnen ze niet beslissen." if ins else ""
        text = (f"Van de {len(table)} uitspraken ondersteunen de gegevens er {s}. {against[:1].upper()}"
                f"{against[1:]}.{undecided}")
        text += f" {na} zijn niet van toepassing: hun variabelen staan niet in het codeboek." if na else ""
        text += f" Van {wh} is het oordeel niet gepubliceerd." if wh else ""
        return Sentence([text], lang)
    text = (f"Of the {len(table)} statements, the data support {s}, do not support {ns}, and cannot decide "
            f"{ins}.")
    text += f" {na} do not apply: their variables are not in the codebook." if na else ""
    text += f" The verdict on {wh} is not published." if wh else ""
    return Sentence([text], lang)
