"""The study's statement that size hardly matters for outsourcing (section 2.1), checked.

`size_difference` pools the activities' values of larger and of smaller municipalities at a unit;
`size_difference_summary` says in plain language what the claim s21-size-hardly-differs of
data/claims.yaml measures, at the claim's own unit and with its own rules (the verdict is the
claim's), and adds the per-activity tests of association (`association_tests`) at the report's unit.
"""

from __future__ import annotations

import pandas as pd

from ..core import check_lang, check_unit as _check_unit, memoize, percent_half_up
from ..data import default_data_dir, load_quantifiers, suite_file
from ..errors import ParameterError
from ..rules import HOLDS, measure, STATUS_TEXT
from .association import DEFAULT_RESAMPLES, DEFAULT_SEED, TEST_NAMES, association_tests
from .claims import claim_basis, combine, load_claims
from .multiple_testing import ADJUST_METHODS
from .provenance import share_text, value_provenance
from .tabulate import activity_variables, crosstab, imputed_share_of
from .units import table_from_study

CLAIM_ID = "s21-size-hardly-differs"

LARGER = ("large", "very_large")
SMALLER = ("small", "medium")
DIFFERENCE_COLUMNS = ["larger_k", "larger_n", "larger_share", "smaller_k", "smaller_n", "smaller_share",
                      "difference", "threshold", "imputed_share"]


def hardly_threshold(study) -> float:
    """The largest difference in shares that 'hardly differ' allows (quantifier `hardly`).

    Read from quantifiers.csv of the study's data directory, or of the shipped data when that
    directory has none.

    Parameters
    ----------
    study : Study

    Returns
    -------
    float
        The upper bound of the `hardly` quantifier, as a share (0.15 is fifteen percentage points: the
        lower bound of `more_often`, the one minimum effect).

    Examples
    --------
    >>> import commissioning as cm
    >>> cm.hardly_threshold(cm.load_study())
    0.15
    """
    return float(load_quantifiers(suite_file(study.data_dir, "quantifiers.csv"))["hardly"].upper)


@memoize
def size_difference(study, *, unit: str = "municipality", variables=None, codes=("mixed", "outsourced"),
                    larger=LARGER, smaller=SMALLER) -> pd.DataFrame:
    """Pooled share of activities (partly) outsourced in larger and in smaller municipalities.

    Every unit x activity value counts once in its group's pool; the difference is larger minus
    smaller. The values of one municipality are not independent, so no test is made on the pool
    (see `association_tests` for the per-activity tests).

    Parameters
    ----------
    study : Study
    unit : {"municipality", "interview"}
    variables : list of str, optional
        Default: the activities.
    codes : sequence of str
        Codes pooled; default mixed or outsourced.
    larger, smaller : sequence of str
        Size classes of the two groups (default large and very large against small and medium,
        as the study groups them).

    Returns
    -------
    DataFrame with one row and columns `larger_k`, `larger_n`, `larger_share`, `smaller_k`,
    `smaller_n`, `smaller_share`, `difference` (NaN when a group has no value), `threshold`
    (the `hardly` quantifier's bound) and `imputed_share` (of all values pooled).

    Examples
    --------
    >>> import commissioning as cm
    >>> d = cm.size_difference(cm.load_study())
    >>> int(d.larger_n.iat[0]), int(d.smaller_n.iat[0])
    (120, 96)
    """
    for name, group in (("larger", larger), ("smaller", smaller)):
        for code in group:
            study.codebook.check_code("size_class", code, name=name)
    variables = activity_variables(study) if variables is None else list(variables)
    tab = crosstab(study, variables, by="size_class", unit=unit)
    row = {}
    for name, group in (("larger", larger), ("smaller", smaller)):
        sel = tab[tab["size_class"].isin(group)]
        k = int(sel.loc[sel["code"].isin(codes), "n"].sum())
        n = int(sel["n"].sum())
        row.update({f"{name}_k": k, f"{name}_n": n, f"{name}_share": k / n if n else float("nan")})
    row["difference"] = row["larger_share"] - row["smaller_share"]
    row["threshold"] = hardly_threshold(study)
    row["imputed_share"] = imputed_share_of(tab)
    return pd.DataFrame([row], columns=DIFFERENCE_COLUMNS)


_TEXT = {
    "en": {
        "claim": ("The study states (section 2.1) that large and small municipalities in general hardly differ in "
                  "which activities they do themselves and which they outsource."),
        "insufficient": "This selection cannot check it: {reason}.",
        "no_larger": "it holds no value from a large or very large municipality",
        "no_smaller": "it holds no value from a small or medium municipality",
        "no_activity": "it holds no value of an activity",
        "unit": {"municipality": "Per municipality, the unit the statement is checked at",
                 "interview": "Per interview, the unit the statement is checked at"},
        "pooled": ("{unit}, pooled over {acts}, {lk} of {ln} values ({ls}%) in large and very large "
                   "municipalities are mixed or outsourced, against {sk} of {sn} ({ss}%) in small and medium "
                   "ones: a difference of {d:+.0f} percentage points, {within} the {t:.0f} points below which "
                   "'hardly' holds."),
        "within": "within", "beyond": "beyond",
        "per_activity": ("Activity by activity the difference stays below {t:.0f} points for {k} of the {m}; "
                         "'in general' asks it of more than half of them."),
        "tests": ("Per activity, a test of association with size class ({tests}, per {report_unit}) finds {count} "
                  "activities different at the {alpha:.0%} level after {method} correction{which}; the largest "
                  "bias-corrected Cramér's V is {v} ({vlabel})."),
        "untested": "{u} activities could not be tested (too few units or groups).",
        "no_tests": "No activity could be tested in this selection (too few units or groups).",
        "verdict": {"supported": "Verdict: the data are consistent with the statement.",
                    "not supported": "Verdict: the data are not consistent with the statement.",
                    "insufficient data": "Verdict: insufficient data to decide the statement in this selection."},
        "power": ("With {n} {units} the tests have little power: a moderate difference can go undetected, so "
                  "'no significant difference' is weak evidence of no difference."),
        "construction": ("{imp} of the interview values behind these numbers are imputed by the reconstruction, which "
                         "was drawn so that this very statement holds; the check shows that the reconstruction "
                         "honours it, not that the interviews do."),
        "edited": ("{edited} of the interview values behind these numbers were edited after the reconstruction was "
                   "drawn, so the verdict is on the edited data; {imp} are imputed."),
        "imputed_some": "{imp} of the interview values behind these numbers are imputed by the reconstruction.",
        "units": {"municipality": "municipalities", "interview": "interviews"},
        "report_units": {"municipality": "municipality", "interview": "interview"},
        "methods": {"holm": "Holm", "bh": "Benjamini-Hochberg"},
    },
    "nl": {
        "claim": ("Het onderzoek stelt (paragraaf 2.1) dat grote en kleine gemeenten over het algemeen nauwelijks "
                  "verschillen in welke activiteiten ze zelf uitvoeren en welke ze uitbesteden."),
        "insufficient": "Deze selectie kan dat niet toetsen: {reason}.",
        "no_larger": "er zit geen waarde van een grote of zeer grote gemeente in",
        "no_smaller": "er zit geen waarde van een kleine of middelgrote gemeente in",
        "no_activity": "er zit geen waarde van een activiteit in",
        "unit": {"municipality": "Per gemeente, de eenheid waarop de uitspraak wordt getoetst",
                 "interview": "Per interview, de eenheid waarop de uitspraak wordt getoetst"},
        "pooled": ("{unit}, is over {acts} samen {lk} van {ln} waarden ({ls}%) bij grote en zeer grote "
                   "gemeenten deels of geheel uitbesteed, tegen {sk} van {sn} ({ss}%) bij kleine en middelgrote: "
                   "een verschil van {d:+.0f} procentpunt, {within} de {t:.0f} punten waaronder 'nauwelijks' geldt."),
        "within": "binnen", "beyond": "buiten",
        "per_activity": ("Per activiteit blijft het verschil bij {k} van de {m} onder de {t:.0f} punten; 'over het "
                         "algemeen' vraagt dat van meer dan de helft."),
        "tests": ("Per activiteit vindt een toets op samenhang met de grootteklasse ({tests}, per {report_unit}) bij {count} "
                  "activiteiten een verschil op het {alpha:.0%}-niveau na {method}-correctie{which}; de "
                  "grootste voor vertekening gecorrigeerde Cramérs V is {v} ({vlabel})."),
        "untested": "{u} activiteiten konden niet getoetst worden (te weinig gemeenten, respondenten of groepen).",
        "no_tests": ("Geen enkele activiteit kon in deze selectie getoetst worden (te weinig gemeenten, respondenten of "
                     "groepen)."),
        "verdict": {"supported": "Oordeel: de gegevens zijn in overeenstemming met de uitspraak.",
                    "not supported": "Oordeel: de gegevens zijn niet in overeenstemming met de uitspraak.",
                    "insufficient data": "Oordeel: onvoldoende gegevens om de uitspraak in deze selectie te toetsen."},
        "power": ("Met {n} {units} hebben de toetsen weinig onderscheidend vermogen: een matig verschil kan "
                  "onopgemerkt blijven, dus 'geen significant verschil' is zwak bewijs voor geen verschil."),
        "construction": ("{imp} van de interviewwaarden achter deze getallen is door de reconstructie geïmputeerd, die "
                         "juist zo is getrokken dat deze uitspraak klopt; de toets laat zien dat de reconstructie haar "
                         "respecteert, niet dat de interviews dat doen."),
        "edited": ("{edited} van de interviewwaarden achter deze getallen zijn na het trekken van de reconstructie "
                   "bewerkt, dus het oordeel gaat over de bewerkte gegevens; {imp} is geïmputeerd."),
        "imputed_some": "{imp} van de interviewwaarden achter deze getallen is door de reconstructie geïmputeerd.",
        "units": {"municipality": "gemeenten", "interview": "interviews"},
        "report_units": {"municipality": "gemeente", "interview": "interview"},
        "methods": {"holm": "Holm", "bh": "Benjamini-Hochberg"},
    },
}


def size_claim(study) -> dict:
    """The claim s21-size-hardly-differs as the study's data folder states it (its claims.yaml, or
    the shipped one when that has no such claim).

    Returns
    -------
    dict

    Examples
    --------
    >>> import commissioning as cm
    >>> c = size_claim(cm.load_study())
    >>> c["unit"], [bool(r.get("per_variable")) for r in c["rules"]]
    ('municipality', [False, True])
    """
    for path in (suite_file(study.data_dir, "claims.yaml"), default_data_dir() / "claims.yaml"):
        found = [c for c in load_claims(path, codebook=study.codebook) if c["id"] == CLAIM_ID]
        if found:
            return found[0]
    raise ParameterError("claim", CLAIM_ID, problem="is not a claim of claims.yaml")  # pragma: no cover


def _pct(k, n):
    return percent_half_up(int(k), int(n))


def _measured(study, claim, variables, quantifiers):
    """The claim's two rules measured on `variables` (the activities a published report shows):
    (pooled outcome, per-activity outcome, verdict)."""
    table = table_from_study(study)
    specs = [{**spec, "variables": list(variables)} for spec in claim["rules"]]
    outcomes = [measure(table, spec, quantifiers) for spec in specs]
    pooled = next(o for o, spec in zip(outcomes, specs) if not spec.get("per_variable"))
    per = next(o for o, spec in zip(outcomes, specs) if spec.get("per_variable"))
    return pooled, per, combine(STATUS_TEXT[o.first()] for o in outcomes)


def _construction(study, claim, verdict, variables, t, lang):
    """The sentence on what the values behind the numbers are: drawn to satisfy the statement (only
    when they are the reconstruction's and the verdict agrees), edited, or imputed."""
    counts = value_provenance(study, list(variables))
    n, imp, edited = counts["n_values"], counts["basis"]["imputed"], counts["basis"]["edited"]
    if not n:
        return None
    share = share_text(imp, n, lang)
    basis = claim_basis(study, claim, verdict)
    if basis in ("construction", "selection") and imp:
        return t["construction"].format(imp=share)
    if basis == "edited" or edited:
        return t["edited"].format(edited=share_text(edited, n, lang), imp=share)
    return t["imputed_some"].format(imp=share) if imp else None


def size_difference_summary(study, *, unit: str = "municipality", method: str = "holm", alpha: float = 0.05,
                            n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                            lang: str = "en", tests: pd.DataFrame | None = None, variables=None) -> str:
    """A plain-language paragraph on the study's statement that size hardly matters for outsourcing.

    The statement is the claim s21-size-hardly-differs: it is measured at the claim's unit with the
    claim's rules (pooled over the activities and activity by activity, against the one minimum
    effect), and the verdict is the claim's. The tests of association per activity
    (`association_tests`, at `unit`, the report's unit) are described beside it. The last sentence
    says what the values are: drawn so that the statement holds only when they are the
    reconstruction's (`commissioning.data.origin`) and the verdict agrees.

    Parameters
    ----------
    study : Study
    unit : {"municipality", "interview"}
        The unit of the tests (the report's); the statement is measured at its own unit.
    method : {"holm", "bh"}
        Correction across activities.
    alpha : float
        Level at which an adjusted p-value counts as a difference.
    n_resamples, seed
        Of the permutation tests.
    lang : {"en", "nl"}
    tests : DataFrame, optional
        The output of `association_tests` when already computed (same unit and method).
    variables : list of str, optional
        The activities pooled and tested; default all of them.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> text = cm.size_difference_summary(cm.load_study(), n_resamples=999)
    >>> "Per municipality, the unit the statement is checked at" in text, "consistent with the statement." in text
    (True, True)
    >>> print(cm.size_difference_summary(cm.load_study().filter(size_class="large")))
    The study states (section 2.1) that large and small municipalities in general hardly differ in which activities they do themselves and which they outsource. This selection cannot check it: it holds no value from a small or medium municipality.
    """
    check_lang(lang)
    _check_unit(unit)
    if method not in ADJUST_METHODS:
        raise ParameterError("method", method, allowed=ADJUST_METHODS)
    if not 0 < alpha < 1:
        raise ParameterError("alpha", alpha, allowed="a number strictly between 0 and 1")
    t = _TEXT[lang]
    parts = [t["claim"]]
    claim = size_claim(study)
    if variables is None:  # the claim's activities that the data codes
        coded = set(study.codings["variable"])
        variables = [v for v in claim["rules"][0]["variables"] if v in coded]
    variables = list(variables)
    if not variables:
        parts.append(t["insufficient"].format(reason=t["no_activity"]))
        return " ".join(parts)
    quantifiers = load_quantifiers(suite_file(study.data_dir, "quantifiers.csv"))
    pooled, per, verdict = _measured(study, claim, variables, quantifiers)
    k1, n1, k2, n2 = (int(pooled.data[x][0]) for x in ("k1", "n1", "k2", "n2"))
    if n1 == 0 or n2 == 0:
        parts.append(t["insufficient"].format(reason=t["no_larger"] if n1 == 0 else t["no_smaller"]))
        return " ".join(parts)
    threshold = 100 * hardly_threshold(study)
    diff = 100 * (k1 / n1 - k2 / n2)
    diff = 0.0 if round(diff) == 0 else diff  # no "-0"
    acts = {"en": ("the {n} activities", "the one activity"), "nl": ("de {n} activiteiten", "de ene activiteit")}[lang]
    parts.append(t["pooled"].format(unit=t["unit"][claim["unit"]],
                                    acts=acts[1] if len(variables) == 1 else acts[0].format(n=len(variables)),
                                    lk=k1, ln=n1, ls=_pct(k1, n1), sk=k2, sn=n2, ss=_pct(k2, n2), d=diff,
                                    within=t["within" if pooled.first() == HOLDS else "beyond"], t=threshold))
    within_each = per.data["parts"][0]
    parts.append(t["per_activity"].format(t=threshold, k=int(within_each.sum()), m=len(within_each)))
    parts += _tests_sentences(study, t, unit, method, alpha, n_resamples, seed, lang, tests, variables)
    parts.append(t["verdict"][verdict])
    n_units = len(study.municipalities) if unit == "municipality" else study.n_interviews
    parts.append(t["power"].format(n=n_units, units=t["units"][unit]))
    last = _construction(study, claim, verdict, variables, t, lang)
    if last:
        parts.append(last)
    return " ".join(parts)


# the names of the tests of `association_tests` in the report's language
def _tests_sentences(study, t, unit, method, alpha, n_resamples, seed, lang, tests, variables) -> list[str]:
    """What the tests of association per activity find, at the report's unit."""
    if tests is None:
        tests = association_tests(study, variables, by="size_class", unit=unit, method=method,
                                  n_resamples=n_resamples, seed=seed, lang=lang)
    tested = tests[tests["status"] == "tested"]
    if not len(tested):
        return [t["no_tests"]]
    sig = tested[tested["p_adjusted"] < alpha]
    which = f": {', '.join(sig['label'])}" if len(sig) else ""
    top = tested.loc[tested["cramers_v_corrected"].idxmax()]
    v = f"{top['cramers_v_corrected']:.2f}"
    kinds = ", ".join(sorted(set(tested["test"]) - {"none needed"})) or "-"
    kinds = ", ".join(TEST_NAMES[lang].get(k, k) for k in kinds.split(", "))
    count = (f"{'geen van de' if lang == 'nl' else 'none of the'} {len(tested)}" if not len(sig)
             else f"{len(sig)} {'van' if lang == 'nl' else 'of'} {len(tested)}")
    out = [t["tests"].format(tests=kinds, report_unit=t["report_units"][unit], count=count, alpha=alpha,
                             method=t["methods"][method], which=which, v=v.replace(".", ",") if lang == "nl" else v,
                             vlabel=top["label"])]
    if len(tested) < len(tests):
        out.append(t["untested"].format(u=len(tests) - len(tested)))
    return out
