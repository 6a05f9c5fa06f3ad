"""The maturity aspects (section 4.2 and Table 2 of the study): the respondents' top three.

Every respondent named, first to third, the three of the ten aspects of the maturity model that
most need attention. This module renders Table 2 from the codebook, counts the mentions the way
the study does (shares of all mentions, printed as whole percentages rounded half up), and
bootstraps over respondents to show how stable the ranking is with 24 respondents.

Respondents are interviews. When an interview was coded by several coders, the coding of the
first coder in alphabetical order is used (agreement between coders is a separate analysis).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import check_lang, memoize, percent_half_up
from ..errors import ParameterError
from .provenance import imputed_count
from .resampling import bootstrap_counts
from ..rules import mention_counts, unit_mentions
from .units import table_from_study, unit_values

VARIABLE = "maturity.top3"
BY_CHOICES = (None, "size_class", "region", "rank")
BOOTSTRAP_MIN_RESPONDENTS = 5
TOP_N = 5  # the study lists a top five
MENTION_COLUMNS = ["aspect", "number", "label", "n_mentions", "share", "share_printed", "n_total"]
RANK_LABELS = {
    "en": {1: "First", 2: "Second", 3: "Third"},
    "nl": {1: "Eerste", 2: "Tweede", 3: "Derde"},
}
ALL_LABEL = {"en": "All", "nl": "Alle"}


def ordered_aspects(codebook) -> list[str]:
    """Aspect codes ordered by their number in Table 2."""
    var = codebook.variable(VARIABLE)
    return sorted(var.codes, key=lambda code: var.codes[code].get("number", 0))


def aspects_table(codebook, *, lang: str = "en") -> pd.DataFrame:
    """Table 2 of the study: the ten aspects of the maturity model and their sub-aspects.

    Parameters
    ----------
    codebook : Codebook
        For example ``study.codebook``; the aspects are the codes of ``maturity.top3``.
    lang : {"en", "nl"}
        Language of the labels.

    Returns
    -------
    DataFrame with columns `number` (1..10), `aspect` (label), `sub_aspect` (a, b, ...) and
    `sub_aspect_label`, one row per sub-aspect, ordered by number and sub-aspect.

    Examples
    --------
    >>> import commissioning as cm
    >>> table = cm.aspects_table(cm.load_study().codebook)
    >>> table.number.nunique(), len(table)
    (10, 22)
    >>> table.iloc[0][["aspect", "sub_aspect_label"]].tolist()
    ['Organisation and policy', 'Objectives and policy on commissioning']
    """
    check_lang(lang)
    var = codebook.variable(VARIABLE)
    rows = []
    for code in ordered_aspects(codebook):
        spec = var.codes[code]
        subs = spec.get("sub_aspects") or [{"id": "", "en": "", "nl": ""}]
        for sub in subs:
            rows.append((int(spec.get("number", 0)), spec[lang], str(sub.get("id", "")), sub.get(lang, "")))
    return pd.DataFrame(rows, columns=["number", "aspect", "sub_aspect", "sub_aspect_label"])


def respondents_top3(study) -> pd.DataFrame:
    """One row per respondent with the aspects named first, second and third.

    Returns
    -------
    DataFrame with columns `interview_id`, `municipality`, `region`, `size_class`, `first`,
    `second`, `third`, `basis` (the weakest provenance of the three), ordered by interview id.

    Examples
    --------
    >>> import commissioning as cm
    >>> top = respondents_top3(cm.load_study())
    >>> len(top), list(top.columns[4:7])
    (24, ['first', 'second', 'third'])
    """
    cod = unit_values(study, VARIABLE, unit="interview")
    order = ("observed", "reported", "derived", "imputed")
    rows = []
    for iid, grp in cod.sort_values(["unit_id", "rank"]).groupby("unit_id", sort=True):
        codes = dict(zip(grp["rank"], grp["code"]))
        rows.append((iid, grp.municipality.iat[0], grp.region.iat[0], grp.size_class.iat[0],
                     codes.get(1), codes.get(2), codes.get(3), max(grp.basis, key=order.index)))
    return pd.DataFrame(rows, columns=["interview_id", "municipality", "region", "size_class",
                                       "first", "second", "third", "basis"])


def _count_table(table, aspects, var, lang, where=None, rank=None) -> pd.DataFrame:
    """Mentions of each aspect in a group, counted by the rule layer (`commissioning.rules.mention_counts`)."""
    counted, _ = mention_counts(table, VARIABLE, where, rank=rank)
    counts = dict(zip(table.var(VARIABLE).code_list, counted[0].tolist()))
    n_total = int(sum(counts.values()))
    rows = []
    for code in aspects:
        n = int(counts.get(code, 0))
        rows.append((code, int(var.codes[code].get("number", 0)), var.codes[code][lang], n,
                     n / n_total if n_total else float("nan"),
                     percent_half_up(n, n_total) if n_total else pd.NA, n_total))
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    out = out.sort_values(["n_mentions", "number"], ascending=[False, True], kind="stable")
    return out


def top3_mentions(study, *, by: str | None = None, lang: str = "en") -> pd.DataFrame:
    """Mentions of each maturity aspect in the respondents' top three, as the study counts them.

    Each respondent names three aspects, so a group of k respondents gives 3k mentions; an
    aspect's share is its mentions over all mentions of the group (section 4.2: 72 = 24 x 3).

    Parameters
    ----------
    study : Study
    by : {None, "size_class", "region", "rank"}
        Split by the municipality's size class or region, or by the position in the top three
        (first, second, third: then the total is the number of respondents). None: everyone.
    lang : {"en", "nl"}

    Returns
    -------
    DataFrame with columns `aspect` (code), `number` (in Table 2), `label`, `n_mentions`,
    `share` (n_mentions / n_total, a float), `share_printed` (whole percent rounded half up,
    computed exactly, as the study prints it: 12.5% is printed 13%), `n_total` (mentions in the
    group). With `by`, two columns come first: `by` itself (the size-class or region code, or
    the rank 1..3) and `group` (its label in `lang`). All ten aspects are listed in every group,
    also those never mentioned; within a group rows run from most to least mentioned, ties in
    Table 2's order. Groups run from the largest size class down, regions in codebook order.

    Examples
    --------
    >>> import commissioning as cm
    >>> m = cm.top3_mentions(cm.load_study())
    >>> int(m.n_total.iat[0])
    72
    >>> m[["aspect", "n_mentions", "share_printed"]].head(2).values.tolist()
    [['people_competences', 15, 21], ['culture_leadership', 11, 15]]
    """
    check_lang(lang)
    if by not in BY_CHOICES:
        raise ParameterError("by", by, allowed="None, size_class, region, rank")
    cb = study.codebook
    var = cb.variable(VARIABLE)
    aspects = ordered_aspects(cb)
    table = table_from_study(study)
    if by is None:
        return _count_table(table, aspects, var, lang).reset_index(drop=True)
    if by == "rank":
        groups = [(r, RANK_LABELS[lang][r] if r in RANK_LABELS[lang] else str(r)) for r in range(1, (var.size or 3) + 1)]
    else:
        codes = list(cb.attributes[by].codes)
        if by == "size_class":
            codes = codes[::-1]
        present = set(study.municipalities[by])
        groups = [(c, cb.code_label(by, c, lang)) for c in codes if c in present]
    parts = []
    for value, label in groups:
        counted = (_count_table(table, aspects, var, lang, rank=value) if by == "rank"
                   else _count_table(table, aspects, var, lang, where={by: [value]}))
        counted.insert(0, "group", label)
        counted.insert(0, by, value)
        parts.append(counted)
    if not parts:
        return pd.DataFrame(columns=[by, "group", *MENTION_COLUMNS])
    return pd.concat(parts, ignore_index=True)


def top3_table(study, *, by: str, lang: str = "en", value: str = "share_printed") -> pd.DataFrame:
    """A wide view of `top3_mentions`: one row per aspect, one column per group plus the total.

    Parameters
    ----------
    study : Study
    by : {"size_class", "region", "rank"}
    lang : {"en", "nl"}
    value : {"share_printed", "n_mentions"}
        The number shown in each cell.

    Returns
    -------
    DataFrame indexed by aspect label (ordered as in the whole sample, most mentioned first)
    with one column per group label and a last column for everyone ("All" / "Alle"); a row
    `n_total` gives the mentions behind each column.

    Examples
    --------
    >>> import commissioning as cm
    >>> list(top3_table(cm.load_study(), by="size_class", lang="nl").columns)
    ['Zeer groot', 'Groot', 'Middelgroot', 'Klein', 'Alle']
    """
    if by is None or by not in BY_CHOICES:
        raise ParameterError("by", by, allowed="size_class, region, rank")
    if value not in ("share_printed", "n_mentions"):
        raise ParameterError("value", value, allowed="share_printed, n_mentions")
    overall = top3_mentions(study, lang=lang)
    split = top3_mentions(study, by=by, lang=lang)
    order = overall.label.tolist()
    wide = {}
    totals = {}
    for label, grp in split.groupby("group", sort=False):
        wide[label] = grp.set_index("label")[value].reindex(order)
        totals[label] = int(grp.n_total.iat[0])
    wide[ALL_LABEL[lang]] = overall.set_index("label")[value].reindex(order)
    totals[ALL_LABEL[lang]] = int(overall.n_total.iat[0]) if len(overall) else 0
    table = pd.DataFrame(wide)
    table.loc["n_total"] = pd.Series(totals)
    table.index.name = "aspect"
    return table.astype("Int64")


def top3_headline(study, *, n: int = 5, lang: str = "en") -> pd.DataFrame:
    """The study's ranked list of the most mentioned aspects (section 4.2: the top five).

    Ranks follow the number of mentions; equal counts are listed in Table 2's order and share
    a `position` (the lowest of the tied positions), so a tie at the cut-off is visible.

    Returns
    -------
    DataFrame with columns `position`, `aspect`, `label`, `n_mentions`, `share_printed`,
    `n_total`: the first `n` rows of the overall count.

    Examples
    --------
    >>> import commissioning as cm
    >>> top = cm.top3_headline(cm.load_study())
    >>> [f"{row.label} ({row.share_printed}%)" for row in top.itertuples()][:2]
    ['People and competences (21%)', 'Culture and leadership (15%)']
    """
    if not isinstance(n, int) or n < 1:
        raise ParameterError("n", n, allowed="a whole number of at least 1")
    m = top3_mentions(study, lang=lang)
    m = m[m.n_mentions > 0]
    m = m.assign(position=m.n_mentions.rank(method="min", ascending=False).astype("int64"))
    return m[["position", "aspect", "label", "n_mentions", "share_printed", "n_total"]].head(n).reset_index(drop=True)


def imputed_share(study, variables=None) -> float:
    """Share of the coded values behind a table that the reconstruction imputed (as
    `commissioning.analysis.provenance` counts them, at each variable's natural unit).

    Parameters
    ----------
    study : Study
    variables : str or list of str, optional
        The variables behind the table; default the top three of the maturity aspects.

    Returns
    -------
    float
        Imputed values over all values of those variables, one coder per interview (0.0 when
        there are none).

    Examples
    --------
    >>> import commissioning as cm
    >>> cm.imputed_share(cm.load_study()) > 0.5
    True
    """
    variables = [VARIABLE] if variables is None else ([variables] if isinstance(variables, str) else list(variables))
    for v in variables:
        study.codebook.variable(v)
    k, n = imputed_count(study, variables)  # the one count (analysis.provenance)
    return k / n if n else 0.0


# --- bootstrap over respondents ------------------------------------------------------------

@dataclass(frozen=True)
class Top3Bootstrap:
    """The result of `bootstrap_top3`.

    Attributes
    ----------
    shares : DataFrame
        One row per aspect: `aspect`, `number`, `label`, `n_mentions`, `share` (point
        estimate), `share_printed` (whole percent, rounded half up), `ci_low`,
        `ci_high` (percentile interval), `rank` (point estimate, ties sharing the mean rank),
        `p_top5` (probability of ranking in the top five).
    ranks : DataFrame
        One row per aspect x rank 1..10: `aspect`, `number`, `label`, `rank`, `probability`.
    n_resamples, seed, confidence, n_respondents
    """

    shares: pd.DataFrame
    ranks: pd.DataFrame
    n_resamples: int
    seed: int
    confidence: float
    n_respondents: int


def rank_fractions(counts: np.ndarray) -> np.ndarray:
    """Per resample and aspect, the probability of each rank 1..k, ties sharing their ranks.

    `counts` has shape (n_resamples, k). Returns shape (n_resamples, k, k): entry [b, a, r] is
    the weight of aspect a on rank r+1 in resample b. Aspects with equal counts share the ranks
    they jointly occupy equally (what breaking the tie at random gives on average).
    """
    n_res, k = counts.shape
    # Number of aspects with strictly more mentions, and with equal mentions (self included).
    greater = (counts[:, None, :] > counts[:, :, None]).sum(axis=2)
    equal = (counts[:, None, :] == counts[:, :, None]).sum(axis=2)
    positions = np.arange(k)[None, None, :]
    inside = (positions >= greater[:, :, None]) & (positions < (greater + equal)[:, :, None])
    return inside / equal[:, :, None]


@memoize
def _bootstrap_arrays(study, *, n_resamples: int, seed: int, confidence: float):
    """The resampling of `bootstrap_top3`, the same in every language: the number of respondents,
    the observed mentions per aspect, the interval bounds and the rank probabilities (k x k)."""
    aspects = ordered_aspects(study.codebook)
    table = table_from_study(study)
    order = [table.var(VARIABLE).code_list.index(code) for code in aspects]
    per_resp = unit_mentions(table, VARIABLE)[0][:, order]  # counted by the rule layer, in Table 2's order
    per_resp = per_resp[per_resp.sum(axis=1) > 0]  # the respondents who named an aspect
    n = len(per_resp)
    if n < BOOTSTRAP_MIN_RESPONDENTS:
        raise ParameterError("study", problem=f"selects {n} respondents; a bootstrap needs more",
                             allowed=f"a selection of at least {BOOTSTRAP_MIN_RESPONDENTS} respondents")
    # respondents in the order of their answers, not of their files: the resamples then depend on
    # which answers were given, not on who gave them (a published interval tells nothing of whom)
    per_resp = per_resp[np.lexsort(per_resp.T[::-1])]
    # (n_resamples, k): the resamples of rng.integers(0, n, size=(n_resamples, n)), drawn in batches
    counts = bootstrap_counts(per_resp, n_resamples, np.random.default_rng(seed))
    totals = counts.sum(axis=1, keepdims=True)
    shares = counts / totals
    alpha = (1 - confidence) / 2
    low, high = np.quantile(shares, [alpha, 1 - alpha], axis=0)
    rank_prob = rank_fractions(counts).mean(axis=0)  # (k, k)
    return n, per_resp.sum(axis=0), low, high, rank_prob


def bootstrap_top3(study, *, n_resamples: int = 2000, seed: int = 2018, confidence: float = 0.95,
                   lang: str = "en") -> Top3Bootstrap:
    """Bootstrap over respondents: how stable are the shares and the ranking of the aspects?

    Respondents (with their whole top three) are drawn with replacement, as many as there are,
    `n_resamples` times with ``numpy.random.default_rng(seed)``, from a list in the order of their
    answers (not of their files), so that the result depends on the answers given and not on
    which respondent gave them. In every resample each aspect's
    share of the mentions and its rank are computed; a tie shares the ranks it occupies equally
    (as breaking it at random would on average), so every aspect's rank probabilities sum to 1.

    Parameters
    ----------
    study : Study
    n_resamples : int
        At least 100.
    seed : int
        Seed of the numpy Generator; the same seed gives the same result.
    confidence : float
        Coverage of the percentile intervals, between 0 and 1.
    lang : {"en", "nl"}

    Returns
    -------
    Top3Bootstrap
        `.shares` (per aspect: share, ci_low, ci_high, rank, p_top5) and `.ranks` (per aspect and
        rank: probability).

    Raises
    ------
    ParameterError
        With fewer than `BOOTSTRAP_MIN_RESPONDENTS` respondents, or a bad option.

    Examples
    --------
    >>> import commissioning as cm
    >>> boot = cm.bootstrap_top3(cm.load_study(), n_resamples=200, seed=1)
    >>> boot.shares.aspect.iat[0], float(boot.shares["rank"].iat[0])
    ('people_competences', 1.0)
    """
    check_lang(lang)
    if not isinstance(n_resamples, (int, np.integer)) or n_resamples < 100:
        raise ParameterError("n_resamples", n_resamples, allowed="a whole number of at least 100")
    if not (isinstance(confidence, float) and 0 < confidence < 1):
        raise ParameterError("confidence", confidence, allowed="a number between 0 and 1")
    cb = study.codebook
    var = cb.variable(VARIABLE)
    aspects = ordered_aspects(cb)
    k = len(aspects)
    n, observed, low, high, rank_prob = _bootstrap_arrays(study, n_resamples=n_resamples, seed=seed,
                                                          confidence=confidence)
    obs_share = observed / observed.sum()
    obs_rank = pd.Series(observed).rank(method="average", ascending=False).to_numpy()
    labels = [var.codes[c][lang] for c in aspects]
    numbers = [int(var.codes[c].get("number", 0)) for c in aspects]
    share_table = pd.DataFrame({
        "aspect": aspects, "number": numbers, "label": labels, "n_mentions": observed,
        "share": obs_share, "share_printed": [percent_half_up(int(c), int(observed.sum())) for c in observed],
        "ci_low": low, "ci_high": high, "rank": obs_rank,
        "p_top5": np.clip(rank_prob[:, :TOP_N].sum(axis=1), 0.0, 1.0),  # clip rounding only
    }).sort_values(["rank", "number"], kind="stable").reset_index(drop=True)
    rank_rows = [(aspects[a], numbers[a], labels[a], r + 1, float(rank_prob[a, r])) for a in range(k) for r in range(k)]
    ranks = pd.DataFrame(rank_rows, columns=["aspect", "number", "label", "rank", "probability"])
    order = {code: i for i, code in enumerate(share_table.aspect)}
    ranks = ranks.sort_values(["aspect", "rank"], key=lambda s: s.map(order) if s.name == "aspect" else s,
                              kind="stable").reset_index(drop=True)
    return Top3Bootstrap(share_table, ranks, int(n_resamples), int(seed), float(confidence), n)
