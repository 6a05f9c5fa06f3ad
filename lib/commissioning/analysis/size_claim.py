"""The study's statement that size hardly matters for outsourcing (section 2.1), checked.

`size_difference` pools the activities' values of larger and of smaller municipalities,
`size_difference_summary` joins that pooled difference and the per-activity tests of association
(`association_tests`) into a plain-language verdict.
"""

from __future__ import annotations

import pandas as pd

from ..core.checks import check_lang
from ..core.checks import check_unit as _check_unit
from ..core.formats import percent_half_up
from ..core.memo import memoize
from ..data.files import suite_file
from ..data.quantifiers import load_quantifiers
from ..errors import ParameterError
from .association import DEFAULT_RESAMPLES, DEFAULT_SEED, association_tests
from .multiple_testing import ADJUST_METHODS
from .tabulate import activity_variables, crosstab, imputed_share_of

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
        The upper bound of the `hardly` quantifier, as a share (0.1 is ten percentage points).

    Examples
    --------
    >>> import commissioning as cm
    >>> cm.hardly_threshold(cm.load_study())
    0.1
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
        "pooled": ("Pooled over {acts}, {lk} of {ln} values ({ls}%) in large and very large "
                   "municipalities are mixed or outsourced, against {sk} of {sn} ({ss}%) in small and medium "
                   "ones: a difference of {d:+.0f} percentage points, {within} the {t:.0f} points that "
                   "'hardly' allows."),
        "within": "within", "beyond": "beyond",
        "tests": ("Per activity, a test of association with size class ({tests}) finds {k} of {m} activities "
                  "different at the {alpha:.0%} level after {method} correction{which}; the largest "
                  "bias-corrected Cramér's V is {v} ({vlabel})."),
        "untested": "{u} activities could not be tested (too few units or groups).",
        "no_tests": "No activity could be tested in this selection (too few units or groups).",
        "verdict_ok": "Verdict: the data are consistent with the statement.",
        "verdict_diff": "Verdict: the data are not consistent with the statement.",
        "verdict_none": "Verdict: insufficient data; the pooled difference alone describes this selection only.",
        "power": ("With {n} {units} the tests have little power: a moderate difference can go undetected, so "
                  "'no significant difference' is weak evidence of no difference."),
        "imputed": ("{imp:.0%} of the values behind these numbers are imputed by the reconstruction, which was "
                    "drawn to satisfy this very statement; the check shows that the reconstruction honours it, "
                    "not that the interviews do."),
        "imputed_some": "{imp:.0%} of the values behind these numbers are imputed by the reconstruction.",
        "units": {"municipality": "municipalities", "interview": "interviews"},
        "methods": {"holm": "Holm", "bh": "Benjamini-Hochberg"},
    },
    "nl": {
        "claim": ("Het onderzoek stelt (paragraaf 2.1) dat grote en kleine gemeenten over het algemeen nauwelijks "
                  "verschillen in welke activiteiten ze zelf uitvoeren en welke ze uitbesteden."),
        "insufficient": "Deze selectie kan dat niet toetsen: {reason}.",
        "no_larger": "er zit geen waarde van een grote of zeer grote gemeente in",
        "no_smaller": "er zit geen waarde van een kleine of middelgrote gemeente in",
        "pooled": ("Over {acts} samen is {lk} van {ln} waarden ({ls}%) bij grote en zeer grote "
                   "gemeenten deels of geheel uitbesteed, tegen {sk} van {sn} ({ss}%) bij kleine en middelgrote: "
                   "een verschil van {d:+.0f} procentpunt, {within} de {t:.0f} punten die 'nauwelijks' toelaat."),
        "within": "binnen", "beyond": "buiten",
        "tests": ("Per activiteit vindt een toets op samenhang met de grootteklasse ({tests}) bij {k} van {m} "
                  "activiteiten een verschil op het {alpha:.0%}-niveau na {method}-correctie{which}; de grootste "
                  "voor vertekening gecorrigeerde Cramérs V is {v} ({vlabel})."),
        "untested": "{u} activiteiten konden niet getoetst worden (te weinig eenheden of groepen).",
        "no_tests": "Geen enkele activiteit kon in deze selectie getoetst worden (te weinig eenheden of groepen).",
        "verdict_ok": "Oordeel: de gegevens zijn in overeenstemming met de uitspraak.",
        "verdict_diff": "Oordeel: de gegevens zijn niet in overeenstemming met de uitspraak.",
        "verdict_none": "Oordeel: onvoldoende gegevens; het gepoolde verschil beschrijft alleen deze selectie.",
        "power": ("Met {n} {units} hebben de toetsen weinig onderscheidend vermogen: een matig verschil kan "
                  "onopgemerkt blijven, dus 'geen significant verschil' is zwak bewijs voor geen verschil."),
        "imputed": ("{imp:.0%} van de waarden achter deze getallen is door de reconstructie geïmputeerd, die juist "
                    "zo is getrokken dat deze uitspraak klopt; de toets laat zien dat de reconstructie haar "
                    "respecteert, niet dat de interviews dat doen."),
        "imputed_some": "{imp:.0%} van de waarden achter deze getallen is door de reconstructie geïmputeerd.",
        "units": {"municipality": "gemeenten", "interview": "interviews"},
        "methods": {"holm": "Holm", "bh": "Benjamini-Hochberg"},
    },
}


def size_difference_summary(study, *, unit: str = "municipality", method: str = "holm", alpha: float = 0.05,
                            n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                            lang: str = "en", tests: pd.DataFrame | None = None, variables=None) -> str:
    """A plain-language paragraph on the study's statement that size hardly matters for outsourcing.

    The statement is held consistent with the data when the pooled difference
    (`size_difference`) is within the `hardly` threshold and no activity shows an association
    with size class after correction (`association_tests`). A selection without values from both
    larger and smaller municipalities, or where no activity can be tested, gives the verdict
    "insufficient data".

    Parameters
    ----------
    study : Study
    unit : {"municipality", "interview"}
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
    >>> "Verdict: the data are consistent with the statement." in text
    True
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
    diff = size_difference(study, unit=unit, variables=variables).iloc[0]
    if diff["larger_n"] == 0 or diff["smaller_n"] == 0:
        reason = t["no_larger"] if diff["larger_n"] == 0 else t["no_smaller"]
        parts.append(t["insufficient"].format(reason=reason))
        return " ".join(parts)
    coded = set(study.codings["variable"])
    n_act = sum(v in coded for v in (activity_variables(study) if variables is None else variables))
    d_points = 100 * diff["difference"]
    d_points = 0.0 if round(d_points) == 0 else d_points  # no "-0"
    within = abs(diff["difference"]) <= diff["threshold"] + 1e-12
    acts = {"en": ("the {n} activities", "the one activity"), "nl": ("de {n} activiteiten", "de ene activiteit")}[lang]
    parts.append(t["pooled"].format(acts=acts[1] if n_act == 1 else acts[0].format(n=n_act), lk=int(diff["larger_k"]), ln=int(diff["larger_n"]),
                                    ls=percent_half_up(int(diff["larger_k"]), int(diff["larger_n"])),
                                    sk=int(diff["smaller_k"]), sn=int(diff["smaller_n"]),
                                    ss=percent_half_up(int(diff["smaller_k"]), int(diff["smaller_n"])), d=d_points, within=t["within" if within else "beyond"],
                                    t=100 * diff["threshold"]))
    if tests is None:
        tests = association_tests(study, variables, by="size_class", unit=unit, method=method,
                                  n_resamples=n_resamples, seed=seed, lang=lang)
    tested = tests[tests["status"] == "tested"]
    n_sig = 0
    if len(tested):
        sig = tested[tested["p_adjusted"] < alpha]
        n_sig = len(sig)
        which = f": {', '.join(sig['label'])}" if n_sig else ""
        top = tested.loc[tested["cramers_v_corrected"].idxmax()]
        v = f"{top['cramers_v_corrected']:.2f}"
        kinds = ", ".join(sorted(set(tested["test"]) - {"none needed"})) or "-"
        parts.append(t["tests"].format(tests=kinds, k=n_sig, m=len(tested), alpha=alpha, method=t["methods"][method],
                                       which=which, v=v.replace(".", ",") if lang == "nl" else v,
                                       vlabel=top["label"]))
        if len(tested) < len(tests):
            parts.append(t["untested"].format(u=len(tests) - len(tested)))
    else:
        parts.append(t["no_tests"])
    if len(tested) == 0:
        parts.append(t["verdict_none"])
    else:
        parts.append(t["verdict_ok" if within and n_sig == 0 else "verdict_diff"])
    n_units = len(study.municipalities) if unit == "municipality" else study.n_interviews
    parts.append(t["power"].format(n=n_units, units=t["units"][unit]))
    imp = diff["imputed_share"]
    if imp >= 0.5:
        parts.append(t["imputed"].format(imp=imp))
    elif imp > 0:
        parts.append(t["imputed_some"].format(imp=imp))
    return " ".join(parts)
